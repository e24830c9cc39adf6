#!/bin/bash
# Host checks of the built library and its headers, as TAP:
#   lib/check-lib.sh BUILD_LIB_DIR
# - libmx.so's soname is libmx.so.0 and it exports the Magenta API only;
# - lib/libmx.map names every export, sorted, and nothing else;
# - every public header compiles on its own as C11 and as C++11 (the C++
#   wrappers under mx/: as C++11 and C++17, and refuse C), with
#   -Wall -Wextra -Werror -pedantic, so Magenta code includes them as it is.
set -uo pipefail

cd "$(dirname "$0")/.."
libdir=$1
. vm/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

soname=$(objdump -p "$libdir/libmx.so" | awk '/SONAME/ { print $2 }')
[ "$soname" = libmx.so.0 ]
result $? "libmx.so soname is libmx.so.0 (got '$soname')"

# every exported function is Magenta's (mx_*, _mx_*) or one of <mxchan.h>'s,
# and each Magenta call is exported under both names
nm -D --defined-only "$libdir/libmx.so" | awk '$2 ~ /[TW]/ { sub(/@.*/, "", $3); print $3 }' |
	sort > "$tmp/exports"
grep -v -E '^_?mx_[a-z_]+$' "$tmp/exports" |
	grep -v -x -E 'mxchan_(spawn|table_create|handles_give|handles_take|signal_fd|channel_reply_read|channel_read_wait)' \
	> "$tmp/stray"
[ ! -s "$tmp/stray" ]
result $? "libmx.so exports only the API ($(tr '\n' ' ' < "$tmp/stray"))"
missing=
for f in $(grep -E '^mx_' "$tmp/exports" | grep -v -x mx_get_startup_handle); do
	grep -qx "_$f" "$tmp/exports" || missing="$missing _$f"
done
for f in mx_channel_create mx_channel_read mx_channel_write mx_handle_close \
	 mx_handle_duplicate mx_handle_replace mx_object_get_info \
	 mx_event_create mx_status_get_string mx_get_startup_handle \
	 mx_object_wait_one mx_object_wait_many mx_object_signal \
	 mx_object_signal_peer mx_eventpair_create mx_time_get \
	 mx_nanosleep mx_deadline_after mx_channel_call \
	 mx_port_create mx_port_queue mx_port_wait mx_port_cancel \
	 mx_object_wait_async mx_fifo_create mx_fifo_write mx_fifo_read \
	 mx_socket_create mx_socket_write mx_socket_read \
	 mx_vmo_create mx_vmo_read mx_vmo_write mx_vmo_get_size \
	 mx_vmo_set_size mx_vmo_op_range mx_vmo_clone mx_vmo_set_cache_policy \
	 mx_vmar_root_self mx_vmar_map mx_vmar_unmap mx_vmar_protect \
	 mx_object_get_property mx_object_set_property \
	 mx_timer_create mx_timer_set mx_timer_cancel mx_timer_start \
	 mx_object_set_cookie mx_object_get_cookie mx_cprng_draw \
	 mx_cprng_add_entropy mx_ticks_get mx_ticks_per_second \
	 mxchan_spawn mxchan_table_create mxchan_handles_give \
	 mxchan_handles_take mxchan_signal_fd mxchan_channel_reply_read \
	 mxchan_channel_read_wait; do
	grep -qx "$f" "$tmp/exports" || missing="$missing $f"
done
[ -z "$missing" ]
result $? "libmx.so exports every call as mx_* and _mx_*$missing"

# lib/libmx.map names each export (no wildcard), sorted, under LIBMX_0: it
# is exactly what libmx.so exports, and every function a source marks
# MX_EXPORT (default visibility in libmx.a) is in it, so none is dropped
sed -n '/^LIBMX_0 {/,/^};/p' lib/libmx.map |
	sed -n '/global:/,/local:/s/^[[:space:]]*\([A-Za-z0-9_]*\);$/\1/p' > "$tmp/map"
readelf -sW "$libdir/libmx.a" |
	awk '($5 == "GLOBAL" || $5 == "WEAK") && $6 == "DEFAULT" && $7 != "UND" { print $8 }' |
	LC_ALL=C sort -u > "$tmp/marked"
{ LC_ALL=C sort -c "$tmp/map" 2>&1 | sed 's/^/not sorted: /'
  grep -n '\*' lib/libmx.map | grep -v -E '^[0-9]+:[[:space:]]*(/\*| \*|\*/|\*;)' |
	sed 's/^/wildcard: /'
  grep -q '^LIBMX_0 {' lib/libmx.map || echo "no LIBMX_0 node"
  LC_ALL=C sort "$tmp/map" | diff - <(LC_ALL=C sort "$tmp/exports") |
	sed -n 's/^< /in the map, not exported: /p; s/^> /exported, not in the map: /p'
  LC_ALL=C sort "$tmp/map" | diff - "$tmp/marked" |
	sed -n 's/^> /MX_EXPORT but not in the map: /p'; } > "$tmp/mapdiff"
[ -s "$tmp/map" ] && [ ! -s "$tmp/mapdiff" ]
rc=$? TAP_WHY=$tmp/mapdiff
result $rc "lib/libmx.map names each of libmx.so's $(grep -c . "$tmp/exports") exports, sorted, under LIBMX_0, and nothing else"
TAP_WHY=

# libzircon: its soname, libmx.so under it (one handle table), and its
# exports: a zx_ and _zx_ name for each call <zircon/...> declares, which
# are libmx's calls renamed (every mx_ export has its zx_ twin)
soname=$(objdump -p "$libdir/libzircon.so" | awk '/SONAME/ { print $2 }')
needed=$(objdump -p "$libdir/libzircon.so" | awk '/NEEDED/ && $2 ~ /^libmx/ { print $2 }')
[ "$soname" = libzircon.so.0 ] && [ "$needed" = libmx.so.0 ]
result $? "libzircon.so soname is libzircon.so.0 and it needs libmx.so.0 (got '$soname', '$needed')"
nm -D --defined-only "$libdir/libzircon.so" | awk '$2 ~ /[TW]/ { sub(/@.*/, "", $3); print $3 }' |
	LC_ALL=C sort > "$tmp/zexports"
zinc=$(cd "$libdir/../include" && pwd)
cat "$zinc"/zircon/*.h | tr -s ' \t\n' ' ' | grep -o '[a-z_]* *\*\? *_\?zx_[a-z_]*(' |
	grep -o '_\?zx_[a-z_]*' | grep -v '_t$' | LC_ALL=C sort -u > "$tmp/zdecl"
{ diff "$tmp/zdecl" "$tmp/zexports" |
	sed -n 's/^< /declared in <zircon\/...>, not exported: /p; s/^> /exported, not declared: /p'
  grep -E '^_?mx_' "$tmp/exports" | sed 's/mx_/zx_/' | LC_ALL=C sort |
	comm -23 - "$tmp/zexports" | sed 's/^/no zx_ twin of libmx'"'"'s: /'
  sed -n '/^LIBZIRCON_0 {/,/^};/p' lib/libzircon.map |
	sed -n '/global:/,/local:/s/^[[:space:]]*\([A-Za-z0-9_]*\);$/\1/p' > "$tmp/zmap"
  LC_ALL=C sort -c "$tmp/zmap" 2>&1 | sed 's/^/not sorted: /'
  diff "$tmp/zmap" "$tmp/zexports" |
	sed -n 's/^< /in lib\/libzircon.map, not exported: /p; s/^> /exported, not in lib\/libzircon.map: /p'
} > "$tmp/zdiff"
[ -s "$tmp/zexports" ] && [ ! -s "$tmp/zdiff" ]
rc=$? TAP_WHY=$tmp/zdiff
result $rc "libzircon.so exports the $(grep -c . "$tmp/zexports") names <zircon/...> declares, as lib/libzircon.map lists them, each libmx call's zx_ twin"
TAP_WHY=
! grep -rn 'LAST_HANDLE\|\bmx_\|\bMX_\|<magenta/' "$zinc/zircon" "$zinc/zx" | grep -v ':2:/\* Generated from <' > "$tmp/zleft"
rc=$? TAP_WHY=$tmp/zleft
result $rc "the generated <zircon/...> and <zx/...> headers have no Magenta name and no LAST_HANDLE"
TAP_WHY=

# every public header, and every generated Zircon one, compiles alone
for h in $( (cd lib/include && find . -name '*.h'; cd "$zinc" && find zircon zx -name '*.h') |
	    sed 's|^\./||' | sort); do
	printf '#include <%s>\nint mx_check_dummy;\n' "$h" > "$tmp/c.c"
	cp "$tmp/c.c" "$tmp/cxx.cc"
	case $h in
	mx/* | zx/*)	# the C++ wrappers: C gets their #error; C++11 and C++17 compile
		! cc -std=c11 -Ilib/include -I"$zinc" -c "$tmp/c.c" -o "$tmp/c.o" \
			2> "$tmp/err" && grep -q 'is a C++ header' "$tmp/err"
		result $? "<$h> refuses C with its #error"
		for std in c++11 c++17; do
			c++ -std=$std -Wall -Wextra -Werror -pedantic \
				-Ilib/include -I"$zinc" -c "$tmp/cxx.cc" -o "$tmp/cxx.o" \
				2> "$tmp/err"
			result $? "<$h> compiles alone as ${std^^} $(head -c 300 "$tmp/err")"
		done
		continue ;;
	esac
	cc -std=c11 -Wall -Wextra -Werror -pedantic -Ilib/include -I"$zinc" -c "$tmp/c.c" \
		-o "$tmp/c.o" 2> "$tmp/err"
	result $? "<$h> compiles alone as C11 $(head -c 300 "$tmp/err")"
	c++ -std=c++11 -Wall -Wextra -Werror -pedantic -Ilib/include -I"$zinc" \
		-c "$tmp/cxx.cc" -o "$tmp/cxx.o" 2> "$tmp/err"
	result $? "<$h> compiles alone as C++11 $(head -c 300 "$tmp/err")"
done

tap_done
