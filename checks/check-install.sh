#!/bin/bash
# make install / make uninstall / make dkms-install into a staging root, as TAP.
#
#   checks/check-install.sh [KDIR]
#
# KDIR is the kernel headers tree the module is built and installed for
# (default: the 6.12 lane's, from $MXCHAN_CACHE/kernel-6.12/kdir; vm/deps.sh).
# Runs `make install DESTDIR=<tmp> PREFIX=/usr KDIR=...` and checks that the
# library, its links, the archive, every header, libmx.pc, mxstat, every man
# page of man/ (mxstat.1 too) and mxchan.ko (with that kernel's vermagic) are where they belong; that
# a program including <magenta/syscalls.h>, <mxchan.h> and <linux/mxchan.h>
# builds against the staged tree with nothing but pkg-config, dynamically and
# statically, and runs here (for calls that need no /dev/mxchan); that the man
# pages render; that libzircon, its generated <zircon/...> headers and
# zircon.pc are installed too and a zx_ program builds with pkg-config zircon
# and runs; that the Python package (python/mxchan) is where Debian's
# /usr/bin/python3 looks and imports from there; and that make uninstall
# leaves no file behind. Needs a C and C++ compiler, pkg-config, kmod
# (modinfo, depmod), xz-utils, man-db, binutils and python3; no root.
# Exit status 0 only if every check passed.
set -uo pipefail

cd "$(dirname "$0")/.." || exit 1
# modinfo and depmod live in /sbin, off a normal user's PATH
PATH=$PATH:/usr/sbin:/sbin
# shellcheck source=vm/lib.sh
. vm/lib.sh

. vm/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root		# DESTDIR
work=$tmp/work		# everything else the checks make
TAP_WHY=$work/diag
mkdir -p "$work"

diag() { printf '%s\n' "$*" >> "$work/diag"; }
: > "$work/diag"

version=$(sed -n 's/^VERSION := //p' Makefile)
soversion=$(sed -n 's/^SOVERSION := //p' Makefile)
kdir=${1:-$(cat "$MXCHAN_CACHE/kernel-6.12/kdir" 2>/dev/null)}
release=$(sed -n 's/.*UTS_RELEASE "\(.*\)".*/\1/p' "$kdir/include/generated/utsrelease.h" 2>/dev/null)
vars=(DESTDIR="$root" PREFIX=/usr KDIR="$kdir")
libdir=$root/usr/lib
incdir=$root/usr/include
mandir=$root/usr/share/man

# --- dkms.conf follows the Makefile
pv=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' dkms.conf)
[ -n "$version" ] && [ "$pv" = "$version" ]
result $? "dkms.conf PACKAGE_VERSION ($pv) is the Makefile's VERSION ($version)"

# --- make install
[ -n "$release" ]; rc=$?
diag "no kernel headers at '$kdir' (run vm/deps.sh, or pass KDIR)"
result $rc "kernel headers at $kdir are for release ${release:-?}"

make install "${vars[@]}" > "$work/install.log" 2>&1; rc=$?
tail -n 15 "$work/install.log" > "$work/diag"
result $rc "make install DESTDIR=... PREFIX=/usr KDIR=$kdir"

so=$libdir/libmx.so.$version
soname=$(objdump -p "$so" 2>/dev/null | awk '/SONAME/ { print $2 }')
[ -f "$so" ] && [ ! -L "$so" ] && [ "$soname" = "libmx.so.$soversion" ]
result $? "usr/lib/libmx.so.$version installed, soname libmx.so.$soversion (got '$soname')"

[ "$(readlink "$libdir/libmx.so.$soversion")" = "libmx.so.$version" ] &&
	[ "$(readlink -f "$libdir/libmx.so")" = "$(readlink -f "$so")" ]
result $? "usr/lib/libmx.so.$soversion -> libmx.so.$version and libmx.so -> it"

# (grep -q could end a pipe early: under pipefail, read the whole output first)
members=$(ar t "$libdir/libmx.a" 2>&1)
symbols=$(nm "$libdir/libmx.a" 2>&1)
grep -qx mx.o <<<"$members" && grep -q ' T mx_channel_create$' <<<"$symbols"
result $? "usr/lib/libmx.a installed, defines mx_channel_create"

bad=
while read -r h; do
	cmp -s "lib/include/$h" "$incdir/$h" || bad="$bad $h"
done < <(cd lib/include && find . -type f ! -name '.*' ! -name '*~' | sed 's|^\./||' | sort)
for h in uapi/linux/*.h; do
	cmp -s "$h" "$incdir/mxchan/linux/${h##*/}" || bad="$bad mxchan/linux/${h##*/}"
done
[ -z "$bad" ] && [ ! -e "$incdir/linux" ]
result $? "every header of lib/include under usr/include, the ABI under usr/include/mxchan/linux, none in usr/include/linux$bad"

pc=$libdir/pkgconfig/libmx.pc
export PKG_CONFIG_SYSROOT_DIR=$root PKG_CONFIG_LIBDIR=$libdir/pkgconfig
# the staged tree stands in for /usr: keep its -I/usr/include and -L/usr/lib
export PKG_CONFIG_ALLOW_SYSTEM_CFLAGS=1 PKG_CONFIG_ALLOW_SYSTEM_LIBS=1
mv=$(pkg-config --modversion libmx 2>&1)
[ "$mv" = "$version" ] && grep -qx 'prefix=/usr' "$pc" && ! grep -qF "$root" "$pc"
result $? "usr/lib/pkgconfig/libmx.pc: version $mv, prefix=/usr, no trace of DESTDIR"

mapfile -t pages < <(find man -type f -path 'man/man[1-9]/*.[1-9]' 2>/dev/null | sort)
missing=
for m in "${pages[@]}"; do
	cmp -s "$m" "$mandir/${m#man/}" || missing="$missing ${m#man/}"
done
[ ${#pages[@]} -gt 0 ] && [ -z "$missing" ]
result $? "all ${#pages[@]} man pages of man/ under usr/share/man$missing"

# each page renders; aliases (.so lines) resolve from the man directory
bad=
for m in "${pages[@]}"; do
	p=${m#man/}
	if ! (cd "$mandir" && MANWIDTH=80 man -P cat -l "$p") > "$work/man.out" 2> "$work/man.err" ||
	   ! grep -q '^NAME' "$work/man.out" ||
	   grep -q -E "can't open|failed .so" "$work/man.err"; then
		bad="$bad $p"
		head -n 2 "$work/man.err" >> "$work/diag"
	fi
done
[ ${#pages[@]} -gt 0 ] && [ -z "$bad" ]
result $? "man -l renders every installed page$bad"

# and man finds each by its name, as a user asks: man 3 mx_channel_write
bad=
for m in "${pages[@]}"; do
	name=$(basename "$m") sec=${m##*.}
	name=${name%.*}
	out=$(MANWIDTH=80 man -M "$mandir" -P cat "$sec" "$name" 2>/dev/null)
	grep -q '^NAME' <<<"$out" || bad="$bad $name($sec)"
done
[ ${#pages[@]} -gt 0 ] && [ -z "$bad" ]
result $? "man -M MANDIR SECTION NAME shows every installed page$bad"

# --- mxstat (tools/) in BINDIR, and its page
mxstat=$root/usr/bin/mxstat
out=$("$mxstat" --help 2>&1)
rc=$?
diag "$out"
[ -x "$mxstat" ] && [ $rc -eq 0 ] && grep -q '^usage: mxstat ' <<<"$out"
result $? "usr/bin/mxstat installed, and mxstat --help runs"

cmp -s man/man1/mxstat.1 "$mandir/man1/mxstat.1" &&
	MANWIDTH=80 man -M "$mandir" -P cat 1 mxstat 2>/dev/null | grep -q '^NAME'
result $? "usr/share/man/man1/mxstat.1 installed, man -M MANDIR 1 mxstat shows it"

ko=$(find "$root/lib/modules/$release" -name 'mxchan.ko*' 2>/dev/null | head -n1)
vermagic=$(modinfo -F vermagic "$ko" 2>/dev/null)
[ -n "$ko" ] && [ "${vermagic%% *}" = "$release" ]
result $? "${ko#"$root"/} installed, vermagic '${vermagic%% *}' is $release"

[ -n "$ko" ] && grep -q "mxchan\.ko" "$root/lib/modules/$release/modules.dep" 2>/dev/null
rc=$?
diag "$(grep -i depmod "$work/install.log")"
result $rc "depmod indexed it (lib/modules/$release/modules.dep)"

# --- a program built against the staged tree with only pkg-config
cat > "$work/prog.c" <<'EOF'
#include <stdio.h>
#include <sys/stat.h>

#include <magenta/status.h>
#include <magenta/syscalls.h>
#include <mxchan.h>
#include <linux/mxchan.h>

int main(void)
{
	struct stat st;
	mx_handle_t a, b;
	int fd;
	/* without the module, calls that need a handle table say so */
	int have_dev = stat(MXCHAN_DEVICE, &st) == 0;
	mx_status_t s = mx_channel_create(0, &a, &b);
	mx_status_t t = mxchan_table_create(&fd);

	printf("%s\n", mx_status_get_string(MX_ERR_BAD_HANDLE));
	printf("abi %d\n", MXCHAN_ABI_VERSION);
	printf("channel %s\n", s == (have_dev ? MX_OK : MX_ERR_UNAVAILABLE) ?
	       "as expected" : mx_status_get_string(s));
	printf("table %s\n", (t == MX_OK) == have_dev ?
	       "as expected" : mx_status_get_string(t));
	printf("clock %s\n", mx_time_get(MX_CLOCK_MONOTONIC) > 0 ? "ok" : "bad");
	return 0;
}
EOF
abi=$(sed -n 's/^#define MXCHAN_ABI_VERSION[[:space:]]*//p' uapi/linux/mxchan.h)
want=$(printf '%s\n' MX_ERR_BAD_HANDLE "abi $abi" 'channel as expected' \
	'table as expected' 'clock ok')
read -r -a cflags <<<"$(pkg-config --cflags libmx 2>&1)"
read -r -a libs <<<"$(pkg-config --libs libmx 2>&1)"
read -r -a slibs <<<"$(pkg-config --static --libs libmx 2>&1)"

echo "flags: ${cflags[*]} ${libs[*]}" > "$work/diag"
(cd "$work" && cc -std=c11 -Wall -Wextra -Werror prog.c "${cflags[@]}" "${libs[@]}" -o prog-dyn) \
	>> "$work/diag" 2>&1
result $? "a program builds against the staged tree: cc prog.c \$(pkg-config --cflags --libs libmx)"

needed=$(readelf -d "$work/prog-dyn" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(libmx[^]]*\)\]/\1/p')
[ "$needed" = "libmx.so.$soversion" ]
result $? "it needs libmx.so.$soversion (readelf: '$needed')"

out=$(LD_LIBRARY_PATH=$libdir "$work/prog-dyn" 2>&1); rc=$?
resolved=$(LD_LIBRARY_PATH=$libdir ldd "$work/prog-dyn" 2>/dev/null | awk '/libmx/ { print $3 }')
diag "$out"
[ $rc -eq 0 ] && [ "$out" = "$want" ] && [ "$resolved" = "$libdir/libmx.so.$soversion" ]
result $? "it runs here with LD_LIBRARY_PATH, on the staged libmx.so.$soversion"

echo "flags: ${cflags[*]} ${slibs[*]}" > "$work/diag"
(cd "$work" && cc -static -std=c11 -Wall -Wextra -Werror prog.c "${cflags[@]}" "${slibs[@]}" -o prog-static) \
	>> "$work/diag" 2>&1
result $? "and statically: cc -static prog.c \$(pkg-config --static --cflags --libs libmx)"

out=$("$work/prog-static" 2>&1); rc=$?
diag "$out"
dyn=$(readelf -d "$work/prog-static" 2>&1)
grep -q 'no dynamic section' <<<"$dyn" &&
	[ $rc -eq 0 ] && [ "$out" = "$want" ]
result $? "the static program has no dynamic section and runs"

# libzircon: installed as libmx is, and a zx_ program of early 2018 builds
# with pkg-config zircon alone, dynamically (needing libzircon.so.0, which
# needs libmx.so.0) and statically, and runs here
zso=$libdir/libzircon.so.$version
[ -f "$zso" ] && [ ! -L "$zso" ] &&
	[ "$(objdump -p "$zso" 2>/dev/null | awk '/SONAME/ { print $2 }')" = "libzircon.so.$soversion" ] &&
	[ "$(readlink -f "$libdir/libzircon.so")" = "$(readlink -f "$zso")" ] &&
	[ -f "$libdir/libzircon.a" ] && [ -f "$libdir/pkgconfig/zircon.pc" ]
result $? "usr/lib/libzircon.so.$version (soname libzircon.so.$soversion, links), libzircon.a and zircon.pc installed"

bad=
while read -r h; do
	cmp -s "build/include/$h" "$incdir/$h" || bad="$bad $h"
done < <(cd build/include && find zircon zx -type f -name '*.h' | sort)
[ -z "$bad" ] && [ -f "$incdir/zircon/syscalls.h" ]
result $? "every generated <zircon/...> and <zx/...> header under usr/include$bad"

cat > "$work/zprog.c" <<'EOF'
#include <stdio.h>
#include <sys/stat.h>

#include <zircon/status.h>
#include <zircon/syscalls.h>
#include <linux/mxchan.h>

int main(void)
{
	struct stat st;
	zx_handle_t a, b;
	int have_dev = stat(MXCHAN_DEVICE, &st) == 0;
	zx_status_t s = zx_channel_create(0, &a, &b);

	printf("%s\n", zx_status_get_string(ZX_ERR_BAD_HANDLE));
	printf("channel %s\n", s == (have_dev ? ZX_OK : ZX_ERR_UNAVAILABLE) ?
	       "as expected" : zx_status_get_string(s));
	printf("clock %s\n", zx_time_get(ZX_CLOCK_MONOTONIC) > 0 ? "ok" : "bad");
	return 0;
}
EOF
read -r -a zcflags <<<"$(pkg-config --cflags zircon 2>&1)"
read -r -a zlibs <<<"$(pkg-config --libs zircon 2>&1)"
read -r -a zslibs <<<"$(pkg-config --static --libs zircon 2>&1)"
zwant=$(printf '%s\n' ZX_ERR_BAD_HANDLE 'channel as expected' 'clock ok')
echo "flags: ${zcflags[*]} ${zlibs[*]}" > "$work/diag"
# (the staged libmx.so.0 is found as /usr/lib would be found)
(cd "$work" && cc -std=c11 -Wall -Wextra -Werror zprog.c "${zcflags[@]}" "${zlibs[@]}" \
	-Wl,-rpath-link,"$libdir" -o zprog-dyn) \
	>> "$work/diag" 2>&1 &&
	out=$(LD_LIBRARY_PATH=$libdir "$work/zprog-dyn" 2>&1) && diag "$out" &&
	[ "$out" = "$zwant" ] &&
	readelf -d "$work/zprog-dyn" | grep -q 'NEEDED.*\[libzircon.so.0\]'
result $? "a zx_ program builds with pkg-config zircon, needs libzircon.so.0 and runs"
echo "flags: ${zcflags[*]} ${zslibs[*]}" > "$work/diag"
(cd "$work" && cc -static -std=c11 -Wall -Wextra -Werror zprog.c "${zcflags[@]}" "${zslibs[@]}" -o zprog-static) \
	>> "$work/diag" 2>&1 &&
	out=$("$work/zprog-static" 2>&1) && diag "$out" && [ "$out" = "$zwant" ]
result $? "and statically, with pkg-config --static"

# every installed header compiles alone with those flags (C++ for mx/...)
bad=
while read -r h; do
	case $h in
	*-errno.h)	# a table of MXCHAN_ERRNO rows, used as lib/mx.c does
	      printf '#include <errno.h>\n#define MXCHAN_ERRNO(st, e) case e: return st;\nint f(int e);\nint f(int e)\n{\n\tswitch (e) {\n#include <%s>\n\t}\n\treturn 0;\n}\n' "$h" > "$work/h.c"
	      cc -std=c11 -Wall -Wextra -Werror -pedantic "${cflags[@]}" -c "$work/h.c" -o "$work/h.o" ;;
	mx/* | zx/*) printf '#include <%s>\nint mx_check_dummy;\n' "$h" > "$work/h.cc"
	      c++ -Wall -Wextra -Werror "${cflags[@]}" -c "$work/h.cc" -o "$work/h.o" ;;
	*)    printf '#include <%s>\nint mx_check_dummy;\n' "$h" > "$work/h.c"
	      cc -std=c11 -Wall -Wextra -Werror -pedantic "${cflags[@]}" -c "$work/h.c" -o "$work/h.o" ;;
	esac 2>> "$work/diag" || bad="$bad $h"
done < <(cd "$incdir" && find magenta mx zircon zx mxchan mxchan.h -type f 2>/dev/null | sort)
[ -z "$bad" ]
result $? "every installed header compiles alone with only pkg-config's flags$bad"
unset PKG_CONFIG_SYSROOT_DIR PKG_CONFIG_LIBDIR PKG_CONFIG_ALLOW_SYSTEM_CFLAGS PKG_CONFIG_ALLOW_SYSTEM_LIBS

# --- the Python package: where Debian's python3 looks for PREFIX=/usr, and
# it imports from there (with no device and, for the import, no libmx)
python=/usr/bin/python3
pyrel=usr/lib/python3/dist-packages
pydir=$root/$pyrel
bad=
for f in python/mxchan/*.py; do
	cmp -s "$f" "$pydir/mxchan/${f##*/}" || bad="$bad ${f##*/}"
done
searched=$("$python" -c 'import sys; print("\n".join(sys.path))' 2>&1)
diag "$python's sys.path: $searched"
[ -z "$bad" ] && grep -qx "/$pyrel" <<<"$searched"
result $? "the Python package under $pyrel/mxchan, a directory $python searches$bad"

# (PYTHONDONTWRITEBYTECODE: no __pycache__ in DESTDIR)
out=$(cd "$work" && PYTHONDONTWRITEBYTECODE=1 PYTHONPATH=$pydir MXCHAN_LIBMX=/nonexistent \
	"$python" -c 'import mxchan; assert mxchan.__doc__; print(mxchan.__file__)' 2>&1)
rc=$?
diag "$out"
[ $rc -eq 0 ] && [ "$out" = "$pydir/mxchan/__init__.py" ]
result $? "$python imports it from there (PYTHONPATH), without libmx; mxchan.__doc__ is set"

# and with the staged libmx: a status name, and a channel or, without the
# module, MX_ERR_UNAVAILABLE
cat > "$work/py-check.py" <<'EOF'
import os
import mxchan
print(mxchan.status_name(mxchan.MX_ERR_BAD_HANDLE))
print(mxchan.load_library()._name)
try:
    a, b = mxchan.Channel.create()
    a.write(b"x")
    print("channel", "as expected" if b.read() == (b"x", []) else "bad")
except mxchan.MxError as e:
    print("channel", "as expected" if e.name == "MX_ERR_UNAVAILABLE"
          and not os.path.exists("/dev/mxchan") else e)
EOF
out=$(cd "$work" && PYTHONDONTWRITEBYTECODE=1 PYTHONPATH=$pydir LD_LIBRARY_PATH=$libdir \
	"$python" py-check.py 2>&1)
rc=$?
diag "$out"
[ $rc -eq 0 ] && [ "$out" = "$(printf '%s\n' MX_ERR_BAD_HANDLE libmx.so.0 'channel as expected')" ] &&
	[ ! -e "$pydir/mxchan/__pycache__" ]
result $? "and, with LD_LIBRARY_PATH, calls the staged libmx.so.$soversion through it"

# --- make uninstall
make uninstall "${vars[@]}" > "$work/uninstall.log" 2>&1; rc=$?
tail -n 15 "$work/uninstall.log" > "$work/diag"
result $rc "make uninstall with the same DESTDIR, PREFIX and KDIR"

left=$(cd "$root" 2>/dev/null && find . ! -type d | sed 's|^\./||')
diag "$left"
[ -d "$root" ] && [ -z "$left" ]
result $? "nothing but empty directories left in DESTDIR ($(grep -c . <<<"$left") files)"

# --- no kernel headers: the userspace parts only, and a note
root2=$tmp/root2
make install DESTDIR="$root2" PREFIX=/usr KDIR="$tmp/no-such-kdir" \
	> "$work/install2.log" 2>&1; rc=$?
tail -n 15 "$work/install2.log" > "$work/diag"
[ $rc -eq 0 ] && [ -f "$root2/usr/lib/libmx.so.$version" ] &&
	[ ! -e "$root2/lib/modules" ] && grep -q 'mxchan.ko skipped' "$work/install2.log"
result $? "make install KDIR=<no headers> installs libmx, skips the module with a note"

make uninstall DESTDIR="$root2" PREFIX=/usr KDIR="$tmp/no-such-kdir" \
	> "$work/uninstall2.log" 2>&1; rc=$?
left=$(cd "$root2" && find . ! -type d)
tail -n 5 "$work/uninstall2.log" > "$work/diag"; diag "$left"
[ $rc -eq 0 ] && [ -z "$left" ]
result $? "and make uninstall removes it all"

# --- make dkms-install into a staging root (no dkms run: DESTDIR is set)
root3=$tmp/root3
src=$root3/usr/src/mxchan-$version
make dkms-install DESTDIR="$root3" > "$work/dkms.log" 2>&1; rc=$?
tail -n 15 "$work/dkms.log" > "$work/diag"
bad=
for f in Kbuild dkms.conf module/*.[ch] uapi/linux/*.h; do
	cmp -s "$f" "$src/$f" || bad="$bad $f"
done
[ $rc -eq 0 ] && [ -z "$bad" ] && [ ! -e "$src/Makefile" ]
result $? "make dkms-install DESTDIR=... copies Kbuild, dkms.conf, module/, uapi/ to usr/src/mxchan-$version$bad"

make dkms-uninstall DESTDIR="$root3" > "$work/diag" 2>&1 && [ ! -e "$src" ]
result $? "make dkms-uninstall DESTDIR=... removes usr/src/mxchan-$version"

tap_done
