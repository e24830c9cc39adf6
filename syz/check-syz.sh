#!/bin/bash
# Host checks of the syzkaller description syz/mxchan.txt and its
# constants syz/mxchan.txt.const against uapi/linux/mxchan.h, as TAP:
#   syz/check-syz.sh
# 1. the .const file lists every constant mxchan.txt uses and no other,
#    with the values the headers give: all of them on the host's arch;
#    on the others, everything but syscall numbers, for both ioctl
#    encodings (the generic one, and powerpc's and mips's);
# 2. every MXCHAN_IOC_* of the header has an ioctl$ description, and each
#    ioctl$ description is named after the command it issues;
# 3. mxchan.txt is well formed: balanced brackets, one declaration per
#    line, every type, flag set, resource and template it names defined
#    here (or one of syzkaller's own it is allowed), everything it
#    defines used;
# 4. every struct of the header is described with its layout: each
#    field's offset and size, nested ones included, and the struct's size.
# syzkaller itself is not needed; it checks the rest when it compiles
# the description.
set -uo pipefail
export LC_ALL=C

cd "$(dirname "$0")/.." || exit 1
txt=syz/mxchan.txt
consts=syz/mxchan.txt.const
hdr=uapi/linux/mxchan.h
. vm/tap.sh
tmp=$(mktemp -d)
TAP_WHY=$tmp/why
trap 'rm -rf "$tmp"' EXIT

# Defined by syzkaller (sys/linux/sys.txt), not here.
external="fd fd_epoll epoll_event open_flags"

# mxchan.txt without comments and string contents, line numbers kept.
sed -e 's/"[^"]*"/""/g' -e 's/#.*//' -e 's/[ \t]*$//' "$txt" > "$tmp/clean"

# syzkaller's arch names, from the C compiler's target.
case "$(cc -dumpmachine)" in
x86_64*) host=amd64 ;;
i?86*) host=386 ;;
aarch64*) host=arm64 ;;
arm*) host=arm ;;
riscv64*) host=riscv64 ;;
s390x*) host=s390x ;;
loongarch64*) host=loong64 ;;
powerpc64le*) host=ppc64le ;;
mips64el*) host=mips64le ;;
*) host=unknown ;;
esac
ppc_encoding="ppc64le mips64le"	# the arches with powerpc's _IOC layout

# --- 1. constants --------------------------------------------------------------

# Constants used: upper-case identifiers outside call names, include lines
# and template parameters; plus __NR_<syscall> for every call described.
awk '
	/^include </ { next }
	/^type [a-z0-9_]+\[/ {
		p = $0; sub(/^type [a-z0-9_]+\[/, "", p); sub(/\].*/, "", p)
		np = split(p, ps, /[ ,]+/)
		for (i = 1; i <= np; i++) tparam[ps[i]] = 1
	}
	{ lines[NR] = $0 }
	END {
		for (l = 1; l <= NR; l++) {
			s = lines[l]
			if (match(s, /^[a-z0-9_]+(\$[A-Za-z0-9_]+)?\(/)) {
				call = substr(s, 1, RLENGTH - 1); sub(/\$.*/, "", call)
				print "__NR_" call
				s = substr(s, RLENGTH)
			}
			while (match(s, /[A-Za-z0-9_]+/)) {
				tok = substr(s, RSTART, RLENGTH)
				s = substr(s, RSTART + RLENGTH)
				if (tok ~ /^[A-Z][A-Z0-9_]*$/ && !(tok in tparam))
					print tok
			}
		}
	}' "$tmp/clean" | sort -u > "$tmp/used"
grep -v -e '^#' -e '^arches' -e '^$' "$consts" | sed 's/ *=.*//' | sort > "$tmp/listed"
{
	comm -23 "$tmp/used" "$tmp/listed" | sed 's/$/: used by mxchan.txt, missing from the .const file/'
	comm -13 "$tmp/used" "$tmp/listed" | sed 's/$/: in the .const file, not used by mxchan.txt/'
	uniq -d "$tmp/listed" | sed 's/$/: listed twice/'
} > "$tmp/why"

# A C program that prints each listed constant as the headers define it,
# built for the host's ioctl encoding and for powerpc's.
{
	printf '#include <stdio.h>\n#include <asm/unistd.h>\n#include <linux/eventpoll.h>\n'
	printf '#include <linux/fcntl.h>\n#include <linux/mxchan.h>\n\nint main(void)\n{\n'
	while read -r c; do
		printf '#ifdef %s\n\tprintf("%s %%llu\\n", (unsigned long long)(%s));\n' "$c" "$c" "$c"
		printf '#else\n\tprintf("%s undefined\\n");\n#endif\n' "$c"
	done < "$tmp/listed"
	printf '\treturn 0;\n}\n'
} > "$tmp/consts.c"
cflags=(-std=c11 -Wall -Wextra -Werror -Iuapi)
ppc=(-D_IOC_SIZEBITS=13 -D_IOC_DIRBITS=3 -D_IOC_NONE=1U -D_IOC_READ=2U -D_IOC_WRITE=4U)
if ! cc "${cflags[@]}" "$tmp/consts.c" -o "$tmp/consts-generic" 2> "$tmp/ccerr" ||
   ! cc "${cflags[@]}" "${ppc[@]}" "$tmp/consts.c" -o "$tmp/consts-ppc" 2>> "$tmp/ccerr"; then
	grep -m 8 "error:" "$tmp/ccerr" | sed "s|^.*error: |error: |" >> "$tmp/why"
	echo "the constants program does not build" >> "$tmp/why"
elif [ "$host" = unknown ] || [[ " $ppc_encoding " == *" $host "* ]]; then
	echo "host arch $(cc -dumpmachine): run on one with the generic ioctl encoding" >> "$tmp/why"
else
	"$tmp/consts-generic" > "$tmp/values-generic"
	"$tmp/consts-ppc" > "$tmp/values-ppc"
	# Compare every listed value, arch by arch, with the program's.
	awk -v host="$host" -v ppcarches="$ppc_encoding" '
		FILENAME ~ /values-generic$/ { gen[$1] = $2; next }
		FILENAME ~ /values-ppc$/ { ppc[$1] = $2; next }
		/^#/ || /^$/ { next }
		/^arches *=/ {
			s = $0; sub(/^arches *= */, "", s)
			na = split(s, arches, / *, */)
			for (i = 1; i <= na; i++) known[arches[i]] = 1
			if (!(host in known)) print "host arch " host " is not in the arches line"
			next
		}
		{
			name = $1; s = $0; sub(/^[^=]*= */, "", s)
			delete val; d = ""
			np = split(s, parts, / *, */)
			for (i = 1; i <= np; i++) {
				k = split(parts[i], f, ":")
				if (k == 1) { d = f[1]; continue }	# the default
				for (j = 1; j < k; j++) {
					if (!(f[j] in known)) print name ": unknown arch " f[j]
					val[f[j]] = f[k]
				}
			}
			for (j = 1; j <= na; j++) {
				a = arches[j]
				v = (a in val) ? val[a] : d
				if (v == "" || v == "???") { print name ": no value for " a; continue }
				if (a == host) want = gen[name]
				else if (name ~ /^__NR_/) continue	# other arches: syscall tables
				else if (index(" " ppcarches " ", " " a " ")) want = ppc[name]
				else want = gen[name]
				if (want == "undefined") { print name ": not defined by the headers"; break }
				if (v != want) print name ": " a " has " v ", the headers give " want
			}
		}' "$tmp/values-generic" "$tmp/values-ppc" "$consts" >> "$tmp/why"
fi
[ ! -s "$tmp/why" ]
result $? "mxchan.txt.const has every constant mxchan.txt uses, with the headers' values ($(wc -l < "$tmp/listed") constants, host $host)"

# --- 2. one description per ioctl ------------------------------------------------

grep -oE '^#define MXCHAN_IOC_[A-Z0-9_]+' "$hdr" | awk '{ print $2 }' |
	grep -vx MXCHAN_IOC_MAGIC | sort -u > "$tmp/ioctls-header"
awk '/^ioctl\$/ {
		name = $0; sub(/^ioctl\$/, "", name); sub(/\(.*/, "", name)
		if (!match($0, /\(fd fd_mxchan, cmd const\[[A-Z0-9_]+\]/)) {
			print "ioctl$" name ": not (fd fd_mxchan, cmd const[MXCHAN_IOC_...], ...)" > "/dev/stderr"
			next
		}
		cmd = substr($0, RSTART, RLENGTH); sub(/.*const\[/, "", cmd); sub(/\]$/, "", cmd)
		if (name != cmd && index(name, cmd "_") != 1 || name != cmd && substr(name, length(cmd) + 2) !~ /^[a-z][a-z0-9_]*$/)
			print "ioctl$" name ": issues " cmd "; name it ioctl$" cmd " or ioctl$" cmd "_variant" > "/dev/stderr"
		print cmd
	}' "$tmp/clean" 2>> "$tmp/why" | sort -u > "$tmp/ioctls-described"
comm -23 "$tmp/ioctls-header" "$tmp/ioctls-described" | sed 's/$/: in the header, not described/' >> "$tmp/why"
comm -13 "$tmp/ioctls-header" "$tmp/ioctls-described" | sed 's/$/: described, not in the header/' >> "$tmp/why"
[ ! -s "$tmp/why" ]
result $? "every MXCHAN_IOC_* is described, and only those ($(wc -l < "$tmp/ioctls-described") of $(wc -l < "$tmp/ioctls-header"), $(grep -c '^ioctl\$' "$tmp/clean") ioctl\$ descriptions)"

# --- 3. well formed --------------------------------------------------------------

awk -v external="$external" '
	function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
	function bad(msg) { print "mxchan.txt:" NR ": " msg }
	function define(name, kind) {
		if (name in kinds) bad(name " defined twice")
		kinds[name] = kind; where[name] = NR
	}
	# Record the lower-case identifiers a type expression refers to.
	function refs(s,    tok) {
		gsub(/(len|bytesize[1248]?|bitsize|offsetof)\[[A-Za-z0-9_:]+/, "len[", s)	# field paths
		while (match(s, /[A-Za-z0-9_]+/)) {
			tok = substr(s, RSTART, RLENGTH)
			s = substr(s, RSTART + RLENGTH)
			if (tok ~ /^[0-9A-Z]/ || tok in builtin) continue	# numbers, constants, parameters
			used[tok]++
			if (!(tok in firstuse)) firstuse[tok] = NR
		}
	}
	# Brackets of one line balance, less those of a block it opens or closes.
	function balanced(s,    i, c, d) {
		d = 0
		for (i = 1; i <= length(s); i++) {
			c = substr(s, i, 1)
			if (c == "(" || c == "[") d++
			else if (c == ")" || c == "]") { if (--d < 0) return 0 }
		}
		return d == 0
	}
	BEGIN {
		nb = split("int8 int16 int32 int64 intptr int16be int32be int64be const flags len " \
			"bytesize bytesize2 bytesize4 bytesize8 bitsize offsetof ptr ptr64 array " \
			"string stringnoz filename glob fmt vma vma64 proc text void fileoff buffer " \
			"optional bool8 bool16 bool32 bool64 boolptr in out inout out_overlay opt " \
			"varlen packed align size parent syscall value if disabled timeout " \
			"prog_timeout ignore_return breaks_returns no_generate no_minimize remote_cover", b, " ")
		for (i = 1; i <= nb; i++) builtin[b[i]] = 1
		ne = split(external, e, " ")
		for (i = 1; i <= ne; i++) ext[e[i]] = 1
	}
	{
		line = $0; t = trim(line)
		for (i = 1; i <= length(line); i++) {
			c = substr(line, i, 1)
			if (c == "{" || c == "[" || c == "(") depth++
			if (c == "}" || c == "]" || c == ")") if (--depth < 0) { bad("unbalanced " c); depth = 0 }
		}
	}
	t == "" { next }
	inblock && /^[}\]]/ {	# the end of a struct or union, maybe with attributes
		if (substr(t, 1, 1) != closer) bad("block closed with " substr(t, 1, 1))
		rest = substr(t, 2); if (!balanced(rest)) bad("unbalanced brackets")
		refs(rest); inblock = 0; next
	}
	inblock {
		if (t ~ /[{]$/ || t ~ /^[a-z0-9_]+ \[$/) { bad("block opened inside " block); next }
		if (!match(t, /^[a-z_][a-z0-9_]*[ \t]+/)) { bad("not a field: " t); next }
		f = trim(substr(t, 1, RLENGTH))
		if (f in fields) bad("field " f " twice in " block)
		fields[f] = 1
		if (!balanced(t)) bad("unbalanced brackets")
		refs(substr(t, RLENGTH + 1)); nfields++; next
	}
	/^include <[^>]+>$/ { next }
	/^resource [a-z_][a-z0-9_]*\[[a-z0-9_]+\]/ {
		name = $2; sub(/\[.*/, "", name); define(name, "resource")
		base = $2; sub(/^[^[]*\[/, "", base); sub(/\].*/, "", base); refs(base)
		if (!balanced(t)) bad("unbalanced brackets")
		next
	}
	/^type [a-z_][a-z0-9_]*(\[[A-Z0-9_, ]+\])? *[{]$/ {	# a struct template
		name = $2; sub(/\[.*/, "", name); define(name, "template")
		block = name; closer = "}"; inblock = 1; delete fields; next
	}
	/^type [a-z_][a-z0-9_]*(\[[A-Z0-9_, ]+\])? +[a-z]/ {	# a type alias
		name = $2; sub(/\[.*/, "", name); define(name, "type")
		s = t; sub(/^type [^ ]+ +/, "", s); refs(s)
		if (!balanced(t)) bad("unbalanced brackets")
		next
	}
	/^[a-z_][a-z0-9_]* = / {	# flags
		define($1, "flags"); s = t; sub(/^[^=]*=/, "", s); refs(s)
		nv = split(s, vs, ",")
		for (i = 1; i <= nv; i++) if (trim(vs[i]) !~ /^[A-Za-z0-9_]+$/) bad("flags: not a list of values")
		next
	}
	/^[a-z_][a-z0-9_]* [{[]$/ {	# a struct or union
		define($1, $2 == "{" ? "struct" : "union")
		block = $1; closer = ($2 == "{") ? "}" : "]"; inblock = 1; delete fields; next
	}
	/^[a-z_][a-z0-9_]*(\$[A-Za-z0-9_]+)?\(/ {	# a call
		name = t; sub(/\(.*/, "", name)
		if (name in calls) bad(name " described twice")
		calls[name] = 1; ncalls++
		if (!balanced(t)) { bad("unbalanced brackets"); next }
		s = substr(t, length(name) + 1)
		gsub(/[(,][ \t]*[a-z_][a-z0-9_]*[ \t]+/, "(", s)	# argument names
		refs(s); next
	}
	{ bad("not a declaration: " t) }
	END {
		if (inblock) bad(block " is not closed")
		if (depth) bad("brackets do not balance at the end")
		for (name in used)
			if (!(name in kinds) && !(name in ext))
				print "mxchan.txt:" firstuse[name] ": " name " is not defined"
		for (name in kinds)
			if (!(name in used))
				print "mxchan.txt:" where[name] ": " kinds[name] " " name " is never used"
		for (name in ext)
			if (!(name in used)) print name " is allowed as syzkaller'"'"'s but not used"
		for (name in kinds) count[kinds[name]]++
		printf "%d calls, %d resources, %d structs, %d unions, %d templates, %d flag sets, %d types\n",
			ncalls, count["resource"], count["struct"], count["union"],
			count["template"], count["flags"], count["type"] > "/dev/stderr"
	}' "$tmp/clean" > "$tmp/why" 2> "$tmp/counts"
[ ! -s "$tmp/why" ]
result $? "mxchan.txt is well formed and self-contained ($(cat "$tmp/counts"))"

# --- 4. struct layouts -------------------------------------------------------------

# For each struct of the header, the offset and size of every member as
# mxchan.txt lays it out (natural alignment, as syzkaller does on the
# 64-bit arches and as the ABI guarantees on the 32-bit ones; native
# pointers, ptr, only where the ABI takes the caller's own layout, as in
# struct mxchan_call_args, and laid out 64-bit here), and a C
# program printing the same from the header. A union field stands for
# C's anonymous union: its options are members of the enclosing struct.
# Template parameters are 32-bit, as every one in mxchan.txt is.
grep -oE '^struct mxchan_[a-z0-9_]+ \{' "$hdr" | awk '{ print $2 }' > "$tmp/structs-header"
: > "$tmp/layout-expected"
awk -v hdrlist="$tmp/structs-header" -v constfile="$consts" -v expect="$tmp/layout-expected" '
	function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
	function head(t,    i) { i = index(t, "["); return i ? substr(t, 1, i - 1) : t }
	function targs(t, a,    i, c, d, n, cur, inner) {	# top-level arguments of t[...]
		i = index(t, "["); if (!i) return 0
		inner = substr(t, i + 1, length(t) - i - 1); n = 0; cur = ""; d = 0
		for (i = 1; i <= length(inner); i++) {
			c = substr(inner, i, 1)
			if (c == "[") d++
			if (c == "]") d--
			if (c == "," && d == 0) { a[++n] = trim(cur); cur = ""; continue }
			cur = cur c
		}
		a[++n] = trim(cur); return n
	}
	# Size of type t inside struct s; sets ALIGN. -1 (and WHY) if not fixed.
	function tsize(t, s,    h, a, k, cnt, el) {
		t = trim(t); h = head(t)
		if (h ~ /^int(8|16|32|64)(be)?$/) { sub(/^int/, "", h); sub(/be$/, "", h); ALIGN = h / 8; return ALIGN }
		if (h == "ptr64" || h == "vma64") { ALIGN = 8; return 8 }
		# native pointers: 8 bytes as on the 64-bit arches, where the
		# header has the struct (a 32-bit caller has its own layout)
		if (h == "ptr" || h == "vma" || h == "intptr") { ALIGN = 8; return 8 }
		if (h ~ /^(const|flags|len|bytesize[1248]?|bitsize|offsetof|proc)$/) { k = targs(t, a); return tsize(a[k], s) }
		if (h == "array") {
			k = targs(t, a)
			if (k < 2 || a[2] ~ /:/) { WHY = "variable length " t; return -1 }
			cnt = a[2]
			if (cnt !~ /^[0-9]+$/) { if (!(cnt in cval)) { WHY = "no value for " cnt; return -1 } cnt = cval[cnt] }
			el = tsize(a[1], s); return el < 0 ? -1 : el * cnt
		}
		if ((s SUBSEP h) in tparam) { ALIGN = 4; return 4 }
		if (h in alias) return tsize(alias[h], s)
		if (h in rbase) return tsize(rbase[h], s)
		if (h == "fd") { ALIGN = 4; return 4 }	# syzkaller: resource fd[int32]
		if (h in nf) return ssize(h)
		WHY = "no fixed size: " t; return -1
	}
	function ssize(s,    i, off, sz, al, maxal) {
		if (s in SZ) { ALIGN = AL[s]; return SZ[s] }
		if (s in sattr) { WHY = s " has attributes " sattr[s]; return -1 }
		off = 0; maxal = 1
		for (i = 1; i <= nf[s]; i++) {
			sz = tsize(ft[s, i], s)
			if (sz < 0) { WHY = s "." fn[s, i] ": " WHY; return -1 }
			al = ALIGN
			if (isunion[s]) { OFF[s, i] = 0; if (sz > off) off = sz }
			else { off = int((off + al - 1) / al) * al; OFF[s, i] = off; off += sz }
			FSZ[s, i] = sz
			if (al > maxal) maxal = al
		}
		off = int((off + maxal - 1) / maxal) * maxal
		SZ[s] = off; AL[s] = maxal; ALIGN = maxal
		return off
	}
	function walk(c, s, prefix, base,    i, h, off) {
		for (i = 1; i <= nf[s]; i++) {
			h = head(trim(ft[s, i])); off = base + OFF[s, i]
			if ((h in nf) && isunion[h] && !isunion[s]) { walk(c, h, prefix, off); continue }
			print c, prefix fn[s, i], off, FSZ[s, i] > expect
			printf "\tprintf(\"%s %s %%zu %%zu\\n\", offsetof(struct %s, %s), sizeof(((struct %s *)0)->%s));\n",
				c, prefix fn[s, i], c, prefix fn[s, i], c, prefix fn[s, i]
			if ((h in nf) && !isunion[h]) walk(c, h, prefix fn[s, i] ".", off)
		}
	}
	BEGIN {
		while ((getline l < constfile) > 0)
			if (l !~ /^#/ && l !~ /^arches/ && split(l, kv, / *= */) == 2) { v = kv[2]; sub(/,.*/, "", v); cval[kv[1]] = v }
		while ((getline l < hdrlist) > 0) { cstruct[l] = 1; order[++ncs] = l }
	}
	inblock && /^[ \t]*[}\]]/ {
		a = $0; sub(/^[ \t]*[}\]][ \t]*/, "", a); a = trim(a)
		if (a != "" && !(isunion[block] && a == "[varlen]")) sattr[block] = a
		inblock = 0; next
	}
	inblock && NF {
		k = ++nf[block]; fn[block, k] = $1
		t = $0; sub(/^[ \t]*[^ \t]+[ \t]+/, "", t); sub(/[ \t]+\(.*$/, "", t); ft[block, k] = trim(t)
		next
	}
	/^resource / { r = $2; sub(/\[.*/, "", r); b = $2; sub(/^[^[]*\[/, "", b); sub(/\].*/, "", b); rbase[r] = b; next }
	/^type .*[{]$/ {
		block = $2; sub(/\[.*/, "", block); p = $0; sub(/^type [^[]*\[/, "", p); sub(/\].*/, "", p)
		k = split(p, ps, /[ ,]+/); for (i = 1; i <= k; i++) tparam[block, ps[i]] = 1
		inblock = 1; nf[block] = 0; next
	}
	/^type / { t = $0; sub(/^type [^ ]+ +/, "", t); alias[$2] = trim(t); next }
	/^[a-z_][a-z0-9_]* [{[][ \t]*$/ { block = $1; isunion[block] = ($2 == "["); inblock = 1; nf[block] = 0; next }
	END {
		print "#include <stddef.h>\n#include <stdio.h>\n#include <linux/mxchan.h>\n\nint main(void)\n{"
		for (j = 1; j <= ncs; j++) {
			c = order[j]
			if (!(c in nf) || isunion[c]) { print "struct " c ": not described in mxchan.txt" > "/dev/stderr"; continue }
			if (ssize(c) < 0) { print "struct " c ": " WHY > "/dev/stderr"; continue }
			walk(c, c, "", 0)
			print c, "sizeof", SZ[c] > expect
			printf "\tprintf(\"%s sizeof %%zu\\n\", sizeof(struct %s));\n", c, c
		}
		print "\treturn 0;\n}"
	}' "$tmp/clean" > "$tmp/layout.c" 2> "$tmp/why"
if cc -std=c11 -Wall -Wextra -Werror -Iuapi "$tmp/layout.c" -o "$tmp/layout" 2> "$tmp/ccerr"; then
	"$tmp/layout" > "$tmp/layout-actual"
	diff "$tmp/layout-expected" "$tmp/layout-actual" |
		sed -n -e 's/^< \(.*\)/mxchan.txt: \1/p' -e 's/^> \(.*\)/header:     \1/p' >> "$tmp/why"
else
	grep -m 8 "error:" "$tmp/ccerr" | sed "s|^.*error: |error: |" >> "$tmp/why"
	echo "the layout program does not build" >> "$tmp/why"
fi
[ ! -s "$tmp/why" ]
result $? "mxchan.txt lays out every struct of the header as the header does ($(awk '$2 == "sizeof" { s++ } $2 != "sizeof" { m++ } END { printf "%d structs, %d members", s, m }' "$tmp/layout-expected"))"

tap_done
