#!/bin/bash
# Host checks of the manual pages, as TAP:
#   man/check-man.sh BUILD_LIB_DIR
# BUILD_LIB_DIR holds the built libmx.so (build/lib). MAN_DIR (default
# man) is the folder of the pages to check. Relative paths are taken from
# the top of the tree.
# - every page (man1, man3, man4, man7, .so link pages too) renders with
#   man --warnings without a warning;
# - every function libmx.so exports has its section 3 page, every _mx_*
#   export its .so link page, and no section 3 page is about a function
#   that is not exported;
# - each page's NAME names its file; each section 3 page has NAME,
#   SYNOPSIS, DESCRIPTION, RETURN VALUE, ERRORS and SEE ALSO, in that
#   order; ERRORS names only statuses of <magenta/errors.h>;
# - every SEE ALSO reference is a page of MAN_DIR or of the system
#   (man -w NAME.SECTION);
# - mxstat.1, mxchan.4 and mxchan.7 exist.
# Needs man-db and groff-base (and manpages, manpages-dev for the system
# pages that SEE ALSO sections name).
set -uo pipefail
export LC_ALL=C

cd "$(dirname "$0")/.." || exit 2
if [ $# -ne 1 ]; then
	echo "usage: $0 BUILD_LIB_DIR" >&2
	exit 2
fi
libdir=$1
mandir=$(cd "${MAN_DIR:-man}" && pwd) || exit 2
errors_h=$PWD/lib/include/magenta/errors.h
. vm/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Print standard input as TAP comment lines.
comment() {
	sed 's/^/# /'
}

# The body of section $2 of page $1: the lines after its .SH, up to the
# next .SH.
section() {
	awk -v want="$2" '
		/^\.SH([ \t]|$)/ {
			h = $0
			sub(/^\.SH[ \t]*/, "", h)
			gsub(/"/, "", h)
			insec = (h == want)
			next
		}
		insec { print }' "$1"
}

# The section headings of page $1, one a line.
headings() {
	awk '/^\.SH([ \t]|$)/ { sub(/^\.SH[ \t]*/, ""); gsub(/"/, ""); print }' "$1"
}

# Page text without font changes, hyphenation marks, macro names or quotes.
plain() {
	sed -e 's/\\f[BIRP]//g' -e 's/\\f(..//g' -e 's/\\f\[[^]]*\]//g' \
	    -e 's/\\[%&]//g' -e 's/\\-/-/g' -e 's/\\(em/-/g' \
	    -e 's/^\.[A-Z][A-Z]*[ \t]*//' -e 's/"//g'
}

# The names a page's NAME section gives, one a line.
names() {
	section "$1" NAME | plain | tr '\n' ' ' |
		sed -e 's/[ \t][ \t]*-[ \t].*//' | tr ',' '\n' |
		sed -e 's/^[ \t]*//' -e 's/[ \t]*$//' | grep -v '^$'
}

# The target of a .so link page ("man3/mx_foo.3"), or nothing.
link_target() {
	awk '!/^\.\\"/ && NF { if ($1 == ".so" && NF == 2) t = $2; else other = 1 }
	     END { if (t != "" && !other) print t }' "$1"
}

# ---- the pages ----

(cd "$mandir" && find man1 man3 man4 man7 -maxdepth 1 -type f -name '*.[0-9]*' 2>/dev/null) |
	sort > "$tmp/pages"

# statuses defined by <magenta/errors.h>
sed -n 's/^#define[ \t]*\(MX_OK\|MX_ERR_[A-Z0-9_]*\)[ \t].*/\1/p' "$errors_h" |
	sort -u > "$tmp/statuses"

# system pages already looked up: "name.section ok|missing"
: > "$tmp/syspages"
system_page() {	# $1 = name.section; status 0 if man -w finds it
	local seen
	seen=$(awk -v p="$1" '$1 == p { print $2 }' "$tmp/syspages")
	if [ -z "$seen" ]; then
		if man -w "$1" > /dev/null 2>&1; then seen=ok; else seen=missing; fi
		echo "$1 $seen" >> "$tmp/syspages"
	fi
	[ "$seen" = ok ]
}

while read -r page; do
	file=$mandir/$page
	base=${page##*/}
	name=${base%.*}
	sec=${base##*.}
	target=$(link_target "$file")

	# renders without a warning (from MAN_DIR, so .so requests resolve)
	(cd "$mandir" && LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 \
		-l "./$page") > "$tmp/out" 2> "$tmp/err"
	[ ! -s "$tmp/err" ] && [ -s "$tmp/out" ]
	ok=$?
	if [ ! -s "$tmp/out" ]; then
		result $ok "$page renders (no output)"
	elif [ $ok -ne 0 ]; then
		result $ok "$page renders without warnings: $(head -n 1 "$tmp/err" | tr -d '#')"
	else
		result $ok "$page renders without warnings"
	fi
	[ $ok -eq 0 ] || comment < "$tmp/err"

	# a link page: its target exists and its NAME lists the link's name
	if [ -n "$target" ]; then
		if [ -f "$mandir/$target" ]; then
			names "$mandir/$target" > "$tmp/names"
			grep -qxF -- "$name" "$tmp/names"
			result $? "$page links to $target, whose NAME names $name"
		else
			result 1 "$page links to $target, which does not exist"
		fi
		continue
	fi

	# NAME names the file's function (or device, or overview)
	names "$file" > "$tmp/names"
	if grep -qxF -- "$name" "$tmp/names"; then
		result 0 "$page NAME names $name"
	else
		result 1 "$page NAME names $name (it names: $(paste -sd ' ' "$tmp/names"))"
	fi

	if [ "$sec" = 3 ]; then
		# the sections of a section 3 page, in order
		want="NAME|SYNOPSIS|DESCRIPTION|RETURN VALUE|ERRORS|SEE ALSO"
		have=$(headings "$file" | grep -x -E "$want" | paste -sd '|')
		if [ "$have" = "$want" ]; then
			result 0 "$page has the sections ${want//|/, } in order"
		else
			result 1 "$page has the sections ${want//|/, } in order (has: ${have//|/, })"
		fi

		# every status its ERRORS section names is defined
		section "$file" ERRORS | grep -o -E '\bMX_(OK|ERR_[A-Z0-9_]+)\b' |
			sort -u > "$tmp/named"
		unknown=$(comm -23 "$tmp/named" "$tmp/statuses" | paste -sd ' ')
		[ -z "$unknown" ]
		result $? "$page ERRORS names only statuses of errors.h${unknown:+ (not: $unknown)}"
	fi

	# every SEE ALSO reference is a page here or on the system
	section "$file" "SEE ALSO" | plain | tr '\n' ' ' |
		grep -o -E '[A-Za-z0-9_.:+-]+[ ]?\([0-9][a-z]*\)' |
		sed -E 's/[ ]?\(([0-9][a-z]*)\)/.\1/' > "$tmp/refs"
	missing=
	while read -r ref; do
		rsec=${ref##*.}
		if [ -f "$mandir/man${rsec:0:1}/$ref" ]; then
			continue
		fi
		system_page "$ref" || missing="$missing $ref"
	done < "$tmp/refs"
	if [ -s "$tmp/refs" ]; then
		[ -z "$missing" ]
		result $? "$page SEE ALSO names existing pages${missing:+ (missing:$missing)}"
	else
		result 1 "$page SEE ALSO names no page"
	fi
done < "$tmp/pages"

# ---- libmx.so's exports against the section 3 pages ----

nm -D --defined-only "$libdir/libmx.so" 2> "$tmp/err" |
	awk '$2 ~ /^[TW]$/ { sub(/@.*/, "", $3); print $3 }' | sort -u > "$tmp/exports"
[ -s "$tmp/exports" ]
result $? "libmx.so in $libdir exports functions$(head -n 1 "$tmp/err" | tr -d '#' | sed 's/^./: &/')"

missing=
while read -r f; do
	page=$mandir/man3/$f.3
	if [ ! -f "$page" ] || [ -n "$(link_target "$page")" ]; then
		missing="$missing $f"
	fi
done < <(grep -v '^_' "$tmp/exports")
[ -z "$missing" ]
result $? "every exported function has its man3 page${missing:+ (missing:$missing)}"

missing=
while read -r f; do
	[ "$(link_target "$mandir/man3/$f.3" 2> /dev/null)" = "man3/${f#_}.3" ] ||
		missing="$missing $f"
done < <(grep '^_mx_' "$tmp/exports")
[ -z "$missing" ]
result $? "every _mx_* export has its .so link page${missing:+ (missing:$missing)}"

stray=
while read -r page; do
	case $page in man3/*) ;; *) continue ;; esac
	base=${page##*/}
	{
		echo "${base%.*}"
		[ -n "$(link_target "$mandir/$page")" ] || names "$mandir/$page"
	} | sort -u > "$tmp/documented"
	while read -r f; do
		grep -qxF -- "$f" "$tmp/exports" || stray="$stray $f($page)"
	done < "$tmp/documented"
done < "$tmp/pages"
if [ -s "$tmp/exports" ]; then
	[ -z "$stray" ]
	result $? "every man3 page documents exported functions only${stray:+ (not exported:$stray)}"
else
	result 1 "every man3 page documents exported functions only (no exports to compare)"
fi

# ---- the device and overview pages ----

for page in man1/mxstat.1 man4/mxchan.4 man7/mxchan.7; do
	[ -f "$mandir/$page" ]
	result $? "$page exists"
done

tap_done
