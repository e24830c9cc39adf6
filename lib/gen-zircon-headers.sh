#!/bin/bash
# The Zircon-era headers, made from the Magenta ones:
#   lib/gen-zircon-headers.sh SRC_INCLUDE_DIR OUT_INCLUDE_DIR
# writes OUT/zircon/... from SRC/magenta/... and OUT/zx/... (the C++
# wrappers) from SRC/mx/..., so the two sets cannot drift: a name or value
# changed in a Magenta header changes here at the next build.
#
# From September 2017 to March 2018 Zircon was Magenta's ABI under new
# names: mx_ became zx_, MX_ became ZX_, <magenta/...> became <zircon/...>,
# namespace mx became zx. That renaming is all this does, except for the
# era's few real changes, each an edit below that must change exactly the
# lines it names (so an edited Magenta header that no longer matches, or
# matches more, fails the build):
#  - zx_handle_t is uint32_t (2017-10-03; Magenta's mx_handle_t is int32_t);
#  - ZX_SIGNAL_LAST_HANDLE does not exist (removed 2017-10-03; libzircon's
#    waits and port packets never report bit 22);
#  - port_queue's and port_wait's last argument is a count, 0 or 1
#    (2017-10-24; Magenta's was a size that had to be 0).
set -euo pipefail

src=$1 out=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# rename FILE: the names of the era, nothing else
rename() {
	sed -e 's/mx_/zx_/g' -e 's/MX_/ZX_/g' \
	    -e 's|<magenta/|<zircon/|g' -e 's/MAGENTA_/ZIRCON_/g' \
	    -e 's|<mx/|<zx/|g' -e 's/\bmx::/zx::/g' \
	    -e 's/namespace mx\b/namespace zx/g' -e 's/\bMX_CPP_/ZX_CPP_/g' "$1"
}

# edit FILE SED-SCRIPT WHAT LINES: apply a sed script that must change
# exactly LINES lines of FILE (replaced or deleted)
edit() {
	local n
	cp "$1" "$tmp/before"
	sed -i -e "$2" "$1"
	n=$(diff "$tmp/before" "$1" | grep -c '^<' || true)
	if [ "$n" != "$4" ]; then
		echo "gen-zircon-headers: $(basename "$1"): the edit for $3 changed $n lines, not $4" >&2
		exit 1
	fi
}

rm -rf "$out/zircon" "$out/zx"
for dir in magenta mx; do
	[ "$dir" = magenta ] && to=zircon || to=zx
	(cd "$src" && find "$dir" -name '*.h' | sort) | while read -r h; do
		rel=${h#"$dir"/}
		dst=$out/$to/$rel
		mkdir -p "$(dirname "$dst")"
		{
			sed -n '1p' "$src/$h"
			printf '/* Generated from <%s> by lib/gen-zircon-headers.sh: do not edit. */\n' "$h"
			rename "$src/$h" | sed '1d'
		} > "$dst"
	done
done

z=$out/zircon
edit "$z/types.h" 's/^typedef int32_t zx_handle_t;$/typedef uint32_t zx_handle_t;/' \
	"zx_handle_t's type" 1
edit "$z/types.h" '/^\/\* Exactly one handle refers to the object\. \*\/$/d; /^#define ZX_SIGNAL_LAST_HANDLE\b/d' \
	"LAST_HANDLE" 2
for f in zx_port_queue _zx_port_queue zx_port_wait _zx_port_wait; do
	edit "$z/syscalls.h" "/^extern zx_status_t $f(/,/;\$/s/size_t size)/size_t count)/" \
		"$f's count" 1
done
edit "$z/syscalls.h" 's/^ \* Ports: queues of zx_port_packet_t (<zircon\/syscalls\/port.h>)\. size must$/ * Ports: queues of zx_port_packet_t (<zircon\/syscalls\/port.h>). count must/; s/^ \* be 0, as in Magenta: a packet is always sizeof(zx_port_packet_t)\.$/ * be 0 or 1, as in Zircon: a packet is always sizeof(zx_port_packet_t)./' \
	"the ports' comment" 2
if grep -rn 'LAST_HANDLE\|mx_\|MX_\|<magenta/\|<mx/' "$z" "$out/zx" |
	grep -v ':2:/\* Generated from <'; then
	echo "gen-zircon-headers: Magenta names left (above)" >&2
	exit 1
fi
