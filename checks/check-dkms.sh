#!/bin/bash
# The module through DKMS, as TAP, in a private tree: the host's /var/lib/dkms,
# /usr/src and /lib/modules are not touched.
#
#   checks/check-dkms.sh
#
# For each Debian kernel headers tree with a /lib/modules/RELEASE/build link
# (the linux-headers-RELEASE packages make it; vm/deps.sh installs 6.1 and
# 6.12): make dkms-install DESTDIR=<tmp>, dkms add, dkms build -k RELEASE with
# --dkmstree/--sourcetree/--installtree pointing into <tmp>, and check the
# mxchan.ko dkms built (its vermagic, and its signature when dkms signs: the
# signing key is generated into <tmp>, without prompting). Then the Makefile's
# own dkms path (add, build, install; dkms remove) in that private tree, and
# finally the 6.1 build is loaded in a QEMU guest of the 6.1 lane, which must be
# the same release, and examples/demo runs there.
#
# Needs root (dkms install refuses otherwise) and the packages dkms, openssl,
# kmod, xz-utils, plus what vm/run.sh needs. Exit status 0 only if every
# check passed.
set -uo pipefail

cd "$(dirname "$0")/.." || exit 1
# shellcheck source=vm/lib.sh
. vm/lib.sh

. vm/tap.sh
tmp=$(mktemp -d)
TAP_WHY=$tmp/diag
trap 'rm -rf "$tmp"' EXIT
: > "$tmp/diag"

diag() { printf '%s\n' "$*" >> "$tmp/diag"; }
bail() { echo "Bail out! $*"; exit 1; }

[ "$(id -u)" = 0 ] || bail "needs root (dkms install); run as root"
command -v dkms >/dev/null || bail "needs the dkms package (apt-get install dkms)"
command -v openssl >/dev/null || bail "needs the openssl package (dkms signs modules)"

version=$(sed -n 's/^VERSION := //p' Makefile)
arch=$(uname -m)
# The private dkms: its trees, its temporary files and its signing key in
# $tmp (dkms takes mok_signing_key and mok_certificate from the environment
# when /etc/dkms/framework.conf does not set them).
export TMPDIR=$tmp mok_signing_key=$tmp/mok.key mok_certificate=$tmp/mok.pub
stage=$tmp/root
dkms=(dkms --dkmstree "$tmp/dkms" --sourcetree "$stage/usr/src" --installtree "$tmp/modules")
mkdir -p "$tmp/dkms" "$tmp/modules"

# the Debian header trees that a dkms run would find
releases=()
for b in /lib/modules/*/build; do
	[ -L "$b" ] || continue
	r=${b#/lib/modules/}; r=${r%/build}
	uts=$(sed -n 's/.*UTS_RELEASE "\(.*\)".*/\1/p' "$b/include/generated/utsrelease.h" 2>/dev/null)
	case $(readlink -f "$b") in /usr/src/linux-headers-*) ;; *) continue ;; esac
	[ "$uts" = "$r" ] && releases+=("$r")
done
diag "no /lib/modules/*/build links to /usr/src/linux-headers-*: run vm/deps.sh"
[ ${#releases[@]} -gt 0 ]
result $? "kernel headers for ${releases[*]:-nothing}"

pv=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' dkms.conf)
[ "$pv" = "$version" ]
result $? "dkms.conf PACKAGE_VERSION ($pv) is the Makefile's VERSION ($version)"

make dkms-install DESTDIR="$stage" > "$tmp/diag" 2>&1 &&
	[ -f "$stage/usr/src/mxchan-$version/dkms.conf" ]
result $? "make dkms-install DESTDIR=<tmp>"

"${dkms[@]}" add -m mxchan -v "$version" > "$tmp/diag" 2>&1
result $? "dkms add -m mxchan -v $version (private trees)"

declare -A built
for r in "${releases[@]}"; do
	"${dkms[@]}" build -m mxchan -v "$version" -k "$r" > "$tmp/build-$r.log" 2>&1; rc=$?
	tail -n 12 "$tmp/build-$r.log" > "$tmp/diag"
	if [ $rc -ne 0 ] && [ -f "$tmp/dkms/mxchan/$version/build/make.log" ]; then
		tail -n 12 "$tmp/dkms/mxchan/$version/build/make.log" >> "$tmp/diag"
	fi
	result $rc "dkms build -m mxchan -v $version -k $r"

	ko=$(find "$tmp/dkms/mxchan/$version/$r/$arch/module" -name 'mxchan.ko*' 2>/dev/null | head -n1)
	vermagic=$(modinfo -F vermagic "$ko" 2>/dev/null)
	[ -n "$ko" ] && [ "${vermagic%% *}" = "$r" ]
	result $? "it made ${ko#"$tmp"/}, vermagic '${vermagic%% *}'"
	# keep a copy: dkms remove below takes its tree away
	if [ -n "$ko" ]; then
		mkdir -p "$tmp/built/$r" && cp "$ko" "$tmp/built/$r/" &&
			built[$r]=$tmp/built/$r/${ko##*/}
	fi

	# dkms signs when it finds the kernel's sign-file; then with our key
	signer=$(modinfo -F signer "$ko" 2>/dev/null)
	if grep -q "^Signing module" "$tmp/build-$r.log"; then
		[ "$signer" = "DKMS module signing key" ] && [ -f "$mok_signing_key" ]
		result $? "signed with the generated key in the private tree (signer '$signer')"
	else
		grep -i 'sign' "$tmp/build-$r.log" > "$tmp/diag"
		[ -z "$signer" ]
		result $? "not signed, as dkms said (no sign-file for $r) # SKIP signing"
	fi
done

out=$("${dkms[@]}" status -m mxchan -v "$version" 2>&1)
diag "$out"
bad=
for r in "${releases[@]}"; do
	grep -q "^mxchan/$version, $r, $arch: built" <<<"$out" || bad="$bad $r"
done
[ -z "$bad" ]
result $? "dkms status: built for ${releases[*]}$bad"

"${dkms[@]}" remove -m mxchan -v "$version" --all --no-depmod > "$tmp/diag" 2>&1 &&
	[ ! -e "$tmp/dkms/mxchan/$version" ]
result $? "dkms remove --all empties the private tree"
make dkms-uninstall DESTDIR="$stage" >> "$tmp/diag" 2>&1 &&
	[ ! -e "$stage/usr/src/mxchan-$version" ]
result $? "make dkms-uninstall DESTDIR=<tmp>"

# The Makefile's path without DESTDIR (add, build, install), aimed at the
# private trees through DKMS and DKMS_SOURCE_TREE; --no-depmod keeps depmod
# off the host's /lib/modules.
r=${releases[0]:-none}
src2=$tmp/src2
mkvars=(DKMS="dkms --dkmstree $tmp/dkms --sourcetree $src2 --installtree $tmp/modules --no-depmod"
	DKMS_SOURCE_TREE="$src2" KDIR="/lib/modules/$r/build")
mkdir -p "$tmp/modules/$r"	# dkms installs only for a kernel it can see there
make dkms-install "${mkvars[@]}" > "$tmp/mk.log" 2>&1; rc=$?
inst=$(find "$tmp/modules/$r" -name 'mxchan.ko*' 2>/dev/null | head -n1)
tail -n 12 "$tmp/mk.log" > "$tmp/diag"
[ $rc -eq 0 ] && [ -n "$inst" ]
result $? "make dkms-install (no DESTDIR) runs dkms add, build, install: ${inst#"$tmp"/}"

make dkms-uninstall "${mkvars[@]}" > "$tmp/diag" 2>&1; rc=$?
left=$(find "$tmp/modules" -name 'mxchan.ko*'; ls -d "$src2/mxchan-$version" "$tmp/dkms/mxchan/$version" 2>/dev/null)
diag "$left"
[ $rc -eq 0 ] && [ -z "$left" ]
result $? "make dkms-uninstall runs dkms remove and deletes the sources"

# The 6.1 build in a 6.1 guest: the lane's kernel must be that release.
abi=$(cat "$MXCHAN_CACHE/kernel-6.1/abi" 2>/dev/null)
r61=$abi-amd64
ko61=${built[$r61]:-}
diag "lane 6.1 is '$abi' ($MXCHAN_CACHE/kernel-6.1/abi); dkms built for: ${!built[*]}"
[ -n "$abi" ] && [ -n "$ko61" ]
result $? "the 6.1 lane's kernel ($r61) is one dkms built for"

if [ -n "$ko61" ] && make -s examples > "$tmp/diag" 2>&1; then
	mod=$tmp/boot/mxchan.ko
	mkdir -p "$tmp/boot"
	case $ko61 in
	*.xz) xz -dc "$ko61" > "$mod" ;;
	*.gz) gzip -dc "$ko61" > "$mod" ;;
	*.zst) zstd -qdc "$ko61" > "$mod" ;;
	*) cp "$ko61" "$mod" ;;
	esac
	vm/run.sh --kernel 6.1 --module "$mod" --add build/examples/demo -- demo \
		> "$tmp/demo.out" 2> "$tmp/demo.err"; rc=$?
	tail -n 8 "$tmp/demo.out" > "$tmp/diag"; tail -n 8 "$tmp/demo.err" >> "$tmp/diag"
	result $rc "the dkms-built module loads in a $r61 guest, demo passes, rmmod and kernel log clean"
else
	result 1 "the dkms-built module loads in a 6.1 guest and demo passes (not run)"
fi

tap_done
