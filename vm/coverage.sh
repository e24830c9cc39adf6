#!/bin/bash
# make coverage (and make check's debug lane): line coverage of module/*.c
# under the selftests. Builds mxchan.ko with gcov counters (make
# module-coverage), runs every selftest with it on the debug kernel (which
# has CONFIG_GCOV_KERNEL), brings the module's .gcda files back over the
# serial console after rmmod (vm/run.sh --gcov), and runs gcov on the host.
#
#   vm/coverage.sh              run the selftests, then report
#   vm/coverage.sh --from DIR   report on a run already made: DIR is what
#                               vm/run.sh --gcov DIR brought back (make
#                               check's debug lane runs the gcov module)
#
# Prints the selftests' verdict in that run, then one line:
#   coverage: module/ 87.3% lines (1234/1413); call.c 90%, channel.c 85%, ...
# Results, replaced on every run, in $MXCHAN_CACHE/coverage/:
#   uncovered.txt   per-file counts, then every line never run, as
#                   module/FILE.c:LINE (function): source
#   gcov/*.c.gcov   each source with its execution counts (##### = never run)
#   summary.txt     the coverage line; run.out, run.err: the VM's output
# Exit status 0 when the data was collected and a total computed; there is
# no threshold yet, and a failing selftest here is the lanes' business.
set -uo pipefail

cd "$(dirname "$0")/.." || exit 1
. vm/lib.sh

out=$MXCHAN_CACHE/coverage
build=$PWD/build/module-coverage

fail() { echo "coverage: FAILED: $*"; echo "coverage: FAILED: $*" > "$out/summary.txt"; exit 1; }

# One run at a time (two make checks would share $out and the build).
mkdir -p "$MXCHAN_CACHE"
exec 9>"$MXCHAN_CACHE/coverage.lock"
if ! flock -n 9; then
	echo "coverage: waiting for another coverage run to finish"
	flock 9
fi

rm -rf "$out"
mkdir -p "$out"

from=""
if [ "${1:-}" = --from ]; then
	from=${2:?--from needs the directory vm/run.sh --gcov wrote}
	[ -d "$from" ] || fail "no gcov data in $from"
fi
if [ -z "$from" ]; then
	make -s module-coverage || fail "build of the gcov module failed"
	make -s lib selftests >/dev/null || fail "build of the selftests failed"
	read -r -a tests <<<"$(make -s -C selftests KSELFTEST_DIR=unused print-tests)"
	[ ${#tests[@]} -gt 0 ] || fail "no selftests listed"
	adds=(--add vm/run-selftests.sh)
	for t in "${tests[@]}"; do adds+=(--add "build/selftests/$t"); done
	start=$(date +%s)
	# The long loops run shorter here: the same lines, a fifth of the time.
	vm/run.sh --kernel debug --module "$build/mxchan.ko" --gcov "$out/guest" \
		--timeout 3600 "${adds[@]}" -- env MXCHAN_FUZZ_CALLS=200000 \
		MXCHAN_CYCLE_LOOPS=20000 run-selftests.sh "${tests[@]}" \
		>"$out/run.out" 2>"$out/run.err"
	rc=$?
	ok=$(grep -c '^ok ' "$out/run.out")
	notok=$(grep -c '^not ok ' "$out/run.out")
	echo "coverage: selftests with the gcov module: $ok ok, $notok not ok ($(( $(date +%s) - start ))s; output: $out/run.out)"
	if [ $rc -ne 0 ]; then
		echo "coverage: warning: the VM run exited $rc:"
		sed 's/^/coverage: | /' "$out/run.err" | tail -n 15
	fi
	from=$out/guest
fi

# gcov wants each .gcda beside its .gcno.
mkdir -p "$out/data" "$out/gcov"
n=0
for f in "$from/$build"/module/*.gcda; do
	[ -f "$f" ] || continue
	cp "$f" "$out/data/" && n=$((n + 1))
done
[ $n -gt 0 ] || fail "no .gcda files for $build/module in $from"
cp "$build"/module/*.gcno "$out/data/" || fail "no .gcno files in $build/module"

# One gcov run over every object, so lines of a shared header add up.
(cd "$out/gcov" && gcov -o ../data ../data/*.gcno) >"$out/gcov.log" 2>&1 ||
	fail "gcov failed (see $out/gcov.log)"
# keep the module's own sources; kernel headers' .gcov files go
for g in "$out"/gcov/*.gcov; do
	grep -q "^ *-: *0:Source:$build/module/" "$g" || rm -f "$g"
done

gcovs=("$out"/gcov/*.c.gcov)
[ -f "${gcovs[0]}" ] || fail "gcov wrote no module/*.c.gcov (see $out/gcov.log)"

# Per file: executable lines (count or #####), run lines; uncovered lines
# with the function they are in (a definition starts in column 0).
awk -F: -v out="$out/uncovered.body" '
	FNR == 1 { file = FILENAME; sub(/.*\//, "", file); sub(/\.gcov$/, "", file)
		   files[++nf] = file; fn = "" }
	{
		count = $1; gsub(/ /, "", count); line = $2 + 0
		src = $0; sub(/^[^:]*:[^:]*:/, "", src)
		if (line == 0) next
		if (src ~ /^[A-Za-z_].*\(/ && src !~ /;[ \t]*$/) {
			fn = src; sub(/\(.*/, "", fn); sub(/.*[ *]/, "", fn)
		}
		if (count == "-") next
		total[file]++
		if (count ~ /^(#####|=====)$/) {
			printf "module/%s:%d (%s): %s\n", file, line, fn, src > out
			next
		}
		hit[file]++
	}
	END {
		for (i = 1; i <= nf; i++) {
			f = files[i]
			if (f !~ /\.c$/) continue
			T += total[f]; H += hit[f] + 0
			printf "%s %d %d\n", f, hit[f] + 0, total[f]
		}
		printf "TOTAL %d %d\n", H, T
	}' "${gcovs[@]}" > "$out/counts" ||
	fail "could not read the .gcov files"

read -r _ hit total < <(grep '^TOTAL ' "$out/counts")
[ "${total:-0}" -gt 0 ] || fail "no executable lines found in $out/gcov"
pct() { awk -v h="$1" -v t="$2" -v d="$3" 'BEGIN { printf "%.*f", d, t ? 100 * h / t : 0 }'; }
line="coverage: module/ $(pct "$hit" "$total" 1)% lines ($hit/$total);"
sep=" "
while read -r f h t; do
	[ "$f" = TOTAL ] && continue
	line+="$sep$f $(pct "$h" "$t" 0)%"
	sep=", "
done < "$out/counts"

{
	echo "# Line coverage of module/*.c under the selftests (vm/coverage.sh)"
	echo "# file: run/executable lines; then each line never run"
	while read -r f h t; do
		printf '%-12s %5s/%-5s %s%%\n' "$f" "$h" "$t" "$(pct "$h" "$t" 1)"
	done < "$out/counts"
	echo
	cat "$out/uncovered.body" 2>/dev/null
} > "$out/uncovered.txt"
rm -f "$out/uncovered.body" "$out/counts"

echo "$line"
echo "$line" > "$out/summary.txt"
echo "coverage: lines never run: $out/uncovered.txt (annotated sources: $out/gcov/)"
