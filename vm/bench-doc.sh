#!/bin/bash
# make bench-doc: regenerate BENCHMARKS.md's result tables from one run of
# `make bench` and one of `make bench ICOUNT=1`, at the commit checked out.
# Each table goes between its markers, untouched by hand:
#
#   <!-- bench:tcg -->      ... <!-- /bench:tcg -->
#   <!-- bench:icount -->   ... <!-- /bench:icount -->
#
#   vm/bench-doc.sh [--from DIR]
#
#   --from DIR   splice DIR/tcg.md and DIR/icount.md (two earlier runs'
#                `mxbench --markdown` output) instead of running
set -euo pipefail

cd "$(dirname "$0")/.."

from=
if [ "${1:-}" = --from ]; then from=$2; shift 2; fi
[ $# = 0 ] || { echo "usage: vm/bench-doc.sh [--from DIR]" >&2; exit 2; }

if [ -z "$from" ]; then
	from=build/bench/doc
	mkdir -p "$from"
	vm/bench.sh -- --markdown > "$from/tcg.md"
	vm/bench.sh --icount -- --markdown > "$from/icount.md"
fi

rev=$(git rev-parse --short HEAD)
[ -z "$(git status --porcelain -- module lib bench)" ] || rev="$rev+changes"
for run in tcg icount; do
	f="$from/$run.md"
	grep -q '^mxbench: .* rows, targets met' "$f" ||
		{ echo "bench-doc: $f: not a whole mxbench run" >&2; exit 1; }
	{
		echo "<!-- bench:$run -->"
		echo "Commit $rev; $(grep -m1 '^mxbench: kernel' "$f" | sed 's/^mxbench: //')."
		echo
		grep '^|' "$f"
		echo
		grep '^mxbench: .* rows, targets met' "$f" | sed 's/^mxbench: //;s/$/./'
		echo "<!-- /bench:$run -->"
	} > "$from/$run.block"
	grep -q "^<!-- bench:$run -->" BENCHMARKS.md ||
		{ echo "bench-doc: BENCHMARKS.md has no <!-- bench:$run --> marker" >&2; exit 1; }
	awk -v run="$run" -v block="$from/$run.block" '
		$0 == "<!-- bench:" run " -->" {
			while ((getline l < block) > 0) print l
			skip = 1; next
		}
		$0 == "<!-- /bench:" run " -->" { skip = 0; next }
		!skip' BENCHMARKS.md > "$from/BENCHMARKS.md.new"
	mv "$from/BENCHMARKS.md.new" BENCHMARKS.md
done
echo "bench-doc: BENCHMARKS.md's tables are now those of $from"
