#!/bin/sh
# Runs in a guest on the host's own file system (vm/run.sh --hostfs), from
# the top of the tree, with the module loaded: what needs more than the
# busybox guest. TAP on stdout.
#
#   1. the Python package's tests (python/run-tests.py), under Debian's
#      python3, with libmx.so.0 from build/lib
#   2. the demo (build/examples/demo) with mxstat (build/tools/mxstat) on
#      PATH: it must end by printing mxstat's table of its four processes
#      and writing their graph as an SVG picture, rendered by Graphviz
py=/usr/bin/python3
out=/tmp/demo.out svg=/tmp/demo.svg

echo "# python3: $($py --version 2>&1)"
PYTHONPATH=python LD_LIBRARY_PATH=build/lib $py python/run-tests.py
rc=$?
# a runner that died without its verdicts still fails
[ $rc = 0 ] || echo "not ok - python/run-tests.py exited with status $rc"

PATH=$PWD/build/tools:$PATH build/examples/demo --svg $svg > $out 2>&1
rc=$?
sed 's/^/# demo: /' $out
n=0
tap() {	# tap OK-CONDITION-STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - demo: $2"; else echo "not ok $n - demo: $2"; fi
}
tap $rc "runs to the end and exits 0 (status $rc)"
grep -q 'every step behaved as Magenta specifies' $out
tap $? "says every step behaved"
# mxstat's table: a header, then the demo's processes' handles (parent,
# keeper, holder-read, holder): four distinct pids among its rows
pids=$(awk '/mxstat -p/ { split($3, p, ","); for (i in p) print p[i] }' $out | sort -u)
seen=0
for p in $pids; do
	grep -Eq "^ *$p[[:space:]]" $out && seen=$((seen + 1))
done
[ "$seen" = 4 ]
tap $? "mxstat's table has rows for its 4 processes (found $seen)"
head -c 512 $svg 2>/dev/null | grep -q '<svg'
tap $? "mxstat --svg wrote an SVG picture"
grep -q 'cluster' $svg 2>/dev/null && [ "$(grep -c '<g id="node' $svg)" -ge 4 ]
tap $? "the picture has the processes as clusters and the objects as nodes"
