#!/bin/bash
# Kernel-style hygiene of the sources, as TAP:
#   checks/check-hygiene.sh
# 1. checkpatch.pl --strict (Debian's linux-source-6.12) is clean on every
#    file of module/ and uapi/, and on Kbuild: one line per file;
# 2. sparse (make C=2) reports nothing on our files, against the 6.12
#    lane's headers and the 6.1 lane's: one line per lane. Every object
#    built must have been through sparse, so the check cannot pass with
#    sparse not running;
# 3. libmx builds with -Wall -Wextra -Werror and prints nothing (make -B
#    lib), with the default compiler and, if installed, with clang.
# Needs perl, sparse, the lane headers (vm/deps.sh) and linux-source-6.12's
# tarball (for checkpatch.pl, unless the debug kernel's tree has it).
# Exits 0 only if every check passed.
set -uo pipefail
export LC_ALL=C

cd "$(dirname "$0")/.." || exit 1
. vm/lib.sh
repo=$(pwd)
TARBALL=${MXCHAN_KERNEL_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
SPARSE_LANES=${SPARSE_LANES:-6.12 6.1}
. vm/tap.sh
tmp=$(mktemp -d)
TAP_WHY=$tmp/why
trap 'rm -rf "$tmp"' EXIT

: > "$tmp/why"

# --- 1. checkpatch -----------------------------------------------------------

# The debug kernel's source tree (vm/build-debug-kernel.sh) if it is there,
# else the three files checkpatch reads, taken from the tarball once per
# version of it.
checkpatch_dir() {
	local src=$MXCHAN_CACHE/kernel-debug/src dir=$MXCHAN_CACHE/checkpatch
	local f version files=()
	if [ -f "$src/scripts/checkpatch.pl" ] && [ -f "$src/scripts/spelling.txt" ] &&
	   [ -f "$src/scripts/const_structs.checkpatch" ]; then
		echo "$src"
		return 0
	fi
	[ -f "$TARBALL" ] || { echo "$TARBALL missing: run vm/deps.sh" > "$tmp/why"; return 1; }
	version=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null ||
		stat -c '%s-%Y' "$TARBALL")
	if [ "$(cat "$dir/.version" 2>/dev/null)" != "$version" ]; then
		rm -rf "$dir" "$dir.tmp.$$" && mkdir -p "$dir.tmp.$$"
		for f in checkpatch.pl spelling.txt const_structs.checkpatch; do
			files+=("--wildcards" "*/scripts/$f")
		done
		tar -xJf "$TARBALL" -C "$dir.tmp.$$" --strip-components=1 \
			--no-wildcards-match-slash "${files[@]}" \
			2> "$tmp/why" || { rm -rf "$dir.tmp.$$"; return 1; }
		echo "$version" > "$dir.tmp.$$/.version"
		mv "$dir.tmp.$$" "$dir" 2>/dev/null || rm -rf "$dir.tmp.$$"
	fi
	echo "$dir"
}

# Everything of ours, not what an in-tree build (make module) leaves there.
hygiene_files() {
	find module uapi -type f ! -name '.*' ! -name '*~' ! -name '*.o' \
		! -name '*.ko' ! -name '*.mod' ! -name '*.mod.c' ! -name '*.gcno' \
		! -name '*.gcda' ! -name '*.orig' ! -name '*.rej' | sort
	echo Kbuild
}

if cp_dir=$(checkpatch_dir); then
	# Out of the tree: run it from an empty directory with no git
	# repository and no configuration file, and let it seed CamelCase
	# names from an empty include/, so neither this checkout nor the
	# user's files change what it reports; it writes its CamelCase cache
	# there too, not here.
	mkdir -p "$tmp/cp/root/include" "$tmp/cp/home"
	while IFS= read -r f; do
		(cd "$tmp/cp" && HOME="$tmp/cp/home" GIT_DIR="$tmp/cp/no-git" \
			perl "$cp_dir/scripts/checkpatch.pl" --no-tree \
			--root="$tmp/cp/root" --strict -q --color=never \
			--show-types -f "$repo/$f") > "$tmp/cp.out" 2> "$tmp/cp.err"
		rc=$?
		sed "s|$repo/||g" "$tmp/cp.out" | grep -v '^$' > "$tmp/why"
		[ $rc -eq 0 ] && [ -s "$tmp/cp.out" ] && rc=1
		# its own complaints (a file it could not read, ...) are notes
		sed "s|$repo/||g; s/^/warning: /" "$tmp/cp.err" >> "$tmp/why"
		result $rc "checkpatch --strict $f"
	done < <(hygiene_files)
else
	result 1 "checkpatch.pl from linux-source-6.12 available"
fi

# --- 2. sparse -----------------------------------------------------------------

# kbuild runs $(CHECK) on each source as it compiles it (C=2: on all of
# them); this one runs sparse, notes the file and keeps its report.
sparse_bin=$(command -v sparse)
cat > "$tmp/sparse-wrap" <<EOF
#!/bin/sh
for src; do :; done
log=\$SPARSE_LOGDIR/\$(echo "\$src" | tr / _).log
"$sparse_bin" "\$@" 2> "\$log"
rc=\$?
echo "\$src" >> "\$SPARSE_LOGDIR/checked"
exit \$rc
EOF
chmod +x "$tmp/sparse-wrap"

for lane in $SPARSE_LANES; do
	desc="sparse on the module, lane $lane"
	kdir=$(cat "$MXCHAN_CACHE/kernel-$lane/kdir" 2>/dev/null)
	if [ -z "$sparse_bin" ]; then
		echo "sparse is not installed (apt-get install sparse)" > "$tmp/why"
		result 1 "$desc"
		continue
	fi
	if [ -z "$kdir" ] || [ ! -f "$kdir/Makefile" ]; then
		echo "no headers for lane $lane: run vm/deps.sh" > "$tmp/why"
		result 1 "$desc"
		continue
	fi
	copy=$repo/build/module-sparse-$lane
	logs=$tmp/sparse-$lane
	rm -rf "$copy" "$logs" && mkdir -p "$copy" "$logs"
	cp -a Kbuild module uapi "$copy/"
	# no object files from an in-tree build: kbuild would take them as built
	find "$copy" \( -name '*.o' -o -name '.*.cmd' \) -delete
	SPARSE_LOGDIR=$logs make -C "$kdir" M="$copy" C=2 CHECK="$tmp/sparse-wrap" \
		-j"$(nproc)" modules > "$copy/build.log" 2>&1
	rc=$?
	if [ $rc -ne 0 ]; then
		{ echo "make C=2 failed ($rc):"; tail -n 30 "$copy/build.log"; } > "$tmp/why"
		result 1 "$desc"
		continue
	fi
	# every object of the module went through sparse
	: > "$tmp/unchecked"
	nobj=0
	while IFS= read -r o; do
		nobj=$((nobj + 1))
		grep -qxF "${o%.o}.c" "$logs/checked" 2>/dev/null || echo "${o#"$copy/"}" >> "$tmp/unchecked"
	done < <(find "$copy/module" -name '*.o' | sort)
	nchecked=$(sort -u "$logs/checked" 2>/dev/null | wc -l)
	# its diagnostics: ours fail the check, the kernel headers' are notes
	cat "$logs"/*.log 2>/dev/null | awk '!seen[$0]++' > "$tmp/diag"
	grep -F "$copy/" "$tmp/diag" | sed "s|$copy/||" > "$tmp/ours"
	rc=0
	if [ "$nobj" -eq 0 ] || [ "$nchecked" -eq 0 ] || [ -s "$tmp/unchecked" ]; then
		rc=1
		{ echo "sparse did not run on every object ($nchecked files checked, $nobj objects)"
		  sed 's/^/not checked: /' "$tmp/unchecked"; } > "$tmp/why"
	fi
	[ -s "$tmp/ours" ] && rc=1
	cat "$tmp/ours" >> "$tmp/why"
	grep -vF "$copy/" "$tmp/diag" | sed 's/^/note (not our file): /' >> "$tmp/why"
	result $rc "$desc ($nchecked files checked)"
done

# --- 3. libmx with -Wall -Wextra -Werror ---------------------------------------

# Its own build directory, so a build someone is running in build/lib is
# not disturbed; every lib/*.c must be one of the library's sources.
lib_build() {	# $1 = description, $2 = build dir, then make's arguments
	local desc=$1 dir=$2 c
	shift 2
	rm -rf "$dir"
	make -s -B lib B="$dir" "$@" > "$tmp/why" 2>&1
	local rc=$?
	if [ $rc -eq 0 ]; then
		[ -s "$tmp/why" ] && rc=1
		for c in lib/*.c; do
			[ -f "$dir/lib/$(basename "${c%.c}").o" ] ||
				echo "warning: $c is not built (not in the Makefile's LIB_SRCS)" >> "$tmp/why"
		done
	fi
	result $rc "$desc"
}

lib_build "libmx builds with ${CC:-cc} -std=c11 -Wall -Wextra -Werror, silently" \
	build/hygiene-lib-cc
if command -v clang > /dev/null; then
	lib_build "libmx builds with clang -std=c11 -Wall -Wextra -Werror, silently" \
		build/hygiene-lib-clang CC=clang
else
	n=$((n + 1))
	echo "ok $n libmx builds with clang # SKIP clang is not installed"
fi

tap_done
