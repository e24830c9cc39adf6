#!/bin/sh
# Runs in the guest: each selftest named on the command line, in order,
# with its TAP on stdout and marker lines carrying its run time (guest
# seconds) and its exit status.
up() { cut -d' ' -f1 /proc/uptime; }
for t in "$@"; do
	echo "# selftest: $t"
	start=$(up)
	"$t"
	rc=$?
	echo "# selftest-time: $t $(awk -v a="$start" -v b="$(up)" 'BEGIN { printf "%.1f", b - a }')s"
	echo "# selftest-exit: $t $rc"
done
