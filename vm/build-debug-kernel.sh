#!/bin/bash
# Build the "debug" lane kernel (KASAN, lockdep, kmemleak, UBSAN, ...) from
# Debian's linux-source-6.12 tarball: tinyconfig + vm/debug.config.
#
#   vm/build-debug-kernel.sh            build, or do nothing if up to date
#   vm/build-debug-kernel.sh --force    rebuild even if up to date
#
# Results in $MXCHAN_CACHE/kernel-debug/:
#   vmlinuz   the bzImage to boot
#   kdir      path of the build tree, for `make -C "$(cat kdir)" M=... modules`
#   src/      the build tree itself, build.log its last build output
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"

TARBALL=${MXCHAN_KERNEL_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
FRAGMENT=$here/debug.config
dir=$MXCHAN_CACHE/kernel-debug
src=$dir/src

# Options whose absence would make the debug lane (or the coverage step,
# vm/coverage.sh) pointless.
REQUIRED="KASAN KASAN_GENERIC PROVE_LOCKING DEBUG_KMEMLEAK UBSAN MODULES
MODULE_UNLOAD DEBUG_LIST SERIAL_8250_CONSOLE BLK_DEV_INITRD DEVTMPFS
GCOV_KERNEL"

die() { echo "build-debug-kernel: $*" >&2; exit 1; }
say() { echo "build-debug-kernel: $*" >&2; }

force=0
case "${1:-}" in
--force) force=1 ;;
"") ;;
*) die "usage: $0 [--force]" ;;
esac

[ -f "$TARBALL" ] || die "$TARBALL missing: run vm/deps.sh first"

# One build at a time: a second caller (another make check) waits, then
# finds the kernel up to date.
mkdir -p "$dir"
exec 9>"$MXCHAN_CACHE/kernel-debug.lock"
if ! flock -n 9; then
	say "waiting for another build of the debug kernel to finish"
	flock 9
fi

# Version of the source: the Debian package's if it is installed, else the
# tarball's size and mtime.
src_version() {
	dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null ||
		stat -c '%s-%Y' "$TARBALL"
}

# Rebuild when the source version or any option line of the fragment changes.
version=$(src_version)
stamp=$( { echo "$version"; grep -E '^(# )?CONFIG_' "$FRAGMENT"; } | sha256sum | cut -d' ' -f1)

if [ $force = 0 ] && [ -f "$dir/vmlinuz" ] && [ -f "$src/Module.symvers" ] &&
	[ "$(cat "$dir/stamp" 2>/dev/null)" = "$stamp" ]; then
	say "up to date ($dir/vmlinuz)"
	exit 0
fi

mkdir -p "$dir"
rm -f "$dir/stamp"

# Extract once per source version; unpack beside it, then move into place.
if [ "$(cat "$src/.mxchan-source" 2>/dev/null)" != "$version" ]; then
	say "extracting $TARBALL"
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -xf "$TARBALL" -C "$src.tmp" --strip-components=1
	echo "$version" > "$src.tmp/.mxchan-source"
	mv "$src.tmp" "$src"
fi

log=$dir/build.log
start=$(date +%s)
say "configuring and building in $src (log: $log)"
{
	make -C "$src" tinyconfig
	(cd "$src" && scripts/kconfig/merge_config.sh -m .config "$FRAGMENT")
	make -C "$src" olddefconfig
} > "$log" 2>&1 || { tail -n 30 "$log" >&2; die "configuration failed, see $log"; }

# merge_config drops options whose dependencies are unmet, quietly:
# report every fragment line that did not survive, fail on the key ones.
cfg_value() {	# $1 = option name without CONFIG_
	local line
	line=$(grep -E "^(CONFIG_$1=|# CONFIG_$1 is not set)" "$src/.config" || true)
	case "$line" in
	"# CONFIG_"*|"") echo n ;;
	*) echo "${line#*=}" ;;
	esac
}

while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*) opt=${line%%=*}; want=${line#*=} ;;
	"# CONFIG_"*" is not set") opt=${line#\# }; opt=${opt%% *}; want=n ;;
	*) continue ;;
	esac
	opt=${opt#CONFIG_}
	got=$(cfg_value "$opt")
	[ "$got" = "$want" ] || say "warning: CONFIG_$opt=$want requested, got $got"
done < "$FRAGMENT"

missing=""
for opt in $REQUIRED; do
	[ "$(cfg_value "$opt")" = y ] || missing="$missing CONFIG_$opt"
done
[ -z "$missing" ] || die "required options missing from .config:$missing"

# "modules" also writes Module.symvers, which M= builds need.
make -C "$src" -j"$(nproc)" bzImage modules >> "$log" 2>&1 ||
	{ tail -n 30 "$log" >&2; die "build failed, see $log"; }

cp "$src/arch/x86/boot/bzImage" "$dir/vmlinuz.tmp"
mv "$dir/vmlinuz.tmp" "$dir/vmlinuz"
echo "$src" > "$dir/kdir"
echo "$stamp" > "$dir/stamp"
say "built $dir/vmlinuz in $(( $(date +%s) - start ))s"
