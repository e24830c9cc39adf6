#!/bin/bash
# make bench: mxchan against AF_UNIX, pipes and socketpairs, in one boot of
# a QEMU guest (bench/mxbench.c). Prints mxbench's table; also kept in
# build/bench/result-LANE.txt.
#
#   vm/bench.sh [--icount] [--kernel LANE] [-- MXBENCH_ARGS...]
#
#   --icount   deterministic guest time (QEMU -icount shift=0): figures
#              count guest instructions, the same on every run, but see
#              nothing of caches, and the two-thread row measures one
#              host thread taking turns
#   --kernel   the lane to boot (default 6.12, Debian's own kernel: the
#              debug lane's checkers would dominate every figure)
set -euo pipefail

cd "$(dirname "$0")/.."
. vm/lib.sh

lane=6.12 icount=()
while [ $# -gt 0 ]; do
	case "$1" in
	--icount) icount=(--icount); shift ;;
	--kernel) lane=$2; shift 2 ;;
	--) shift; break ;;
	*) echo "usage: vm/bench.sh [--icount] [--kernel LANE] [-- ARGS...]" >&2; exit 2 ;;
	esac
done

vm/deps.sh
make -s bench-build "module-$lane"
if [ ${#icount[@]} -gt 0 ]; then
	note="QEMU TCG guest, -icount shift=0: ns are guest instructions (deterministic)"
else
	note="QEMU TCG guest: absolute ns are emulated time; ratios hold to about 15 %"
fi
mkdir -p build/bench
vm/run.sh --kernel "$lane" --module "build/module-$lane/mxchan.ko" \
	--add build/bench/mxbench --timeout 1200 --mem 1G "${icount[@]}" \
	-- mxbench --note "$note" "$@" | tee "build/bench/result-$lane.txt"
