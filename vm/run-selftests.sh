#!/bin/sh
# Runs in the guest: each selftest named on the command line, in order,
# with its TAP on stdout and a marker line carrying its exit status.
for t in "$@"; do
	echo "# selftest: $t"
	"$t"
	echo "# selftest-exit: $t $?"
done
