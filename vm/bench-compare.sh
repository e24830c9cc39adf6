#!/bin/bash
# Two runs of `mxbench --markdown` side by side, as a Markdown table for
# BENCHMARKS.md's before/after sections: each row's mxchan and peer
# medians and median ratio in both runs, matched by case and peer.
#
#   vm/bench-compare.sh BEFORE.md AFTER.md
set -euo pipefail

[ $# = 2 ] || { echo "usage: vm/bench-compare.sh BEFORE.md AFTER.md" >&2; exit 2; }
for f in "$@"; do
	[ -r "$f" ] || { echo "bench-compare: cannot read $f" >&2; exit 1; }
done

echo "| case | peer | before: mxchan / peer | ratio | after: mxchan / peer | ratio | mxchan after / before |"
echo "|---|---|---:|---:|---:|---:|---:|"
awk -F' [|] ' '
function med(r,   a) { split(r, a, " / "); return a[2] }
/^[|] / && $2 ~ /^[0-9]+$/ {
	sub(/^[|] /, "", $1)
	key = $1 "\t" $3
	if (FILENAME == ARGV[1]) {
		bm[key] = $2; bp[key] = $4; br[key] = med($5)
		next
	}
	b = key in bm ? bm[key] " / " bp[key] : "-"
	r = key in bm ? br[key] : "-"
	q = key in bm ? sprintf("%.2f", $2 / bm[key]) : "-"
	printf "| %s | %s | %s | %s | %s / %s | %s | %s |\n", $1, $3, b, r, $2, $4, med($5), q
}' "$1" "$2"
