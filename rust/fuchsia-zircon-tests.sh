#!/bin/sh
# Runs in the guest, as one more selftest of run-selftests.sh: the
# fuchsia-zircon crate's own #[test]s (binary fuchsia-zircon-tests, from
# rust/build-crate-tests.sh), each in a process of its own so that a crash
# or a hang fails that test only, printed as TAP. A test that is not there
# fails too: the crate (0.3.3) has 37.
#
#   fuchsia-zircon-tests.sh        MXCHAN_RUST_TEST_TIMEOUT: seconds a test
#                                  may take (default 120)
expect=37
limit=${MXCHAN_RUST_TEST_TIMEOUT:-120}
bin=$(command -v fuchsia-zircon-tests)

names=""
if [ -n "$bin" ] && list=$("$bin" --list 2>&1); then
	names=$(printf '%s\n' "$list" | sed -n 's/: test$//p')
else
	echo "# fuchsia-zircon-tests --list failed: ${list:-no binary}"
fi
found=$(printf '%s\n' "$names" | grep -c .)
# one line per test the crate has, one more if the binary lists too many
total=$expect
[ "$found" -gt $expect ] && total=$((found + 1))

echo "TAP version 13"
echo "1..$total"
i=0 pass=0 fail=0 skip=0
for name in $names; do
	i=$((i + 1))
	out=$(timeout "$limit" "$bin" --exact "$name" --test-threads=1 2>&1)
	rc=$?
	if [ $rc = 0 ] && printf '%s\n' "$out" | grep -qx "test $name \.\.\. ignored"; then
		echo "ok $i $name # SKIP ignored"
		skip=$((skip + 1))
	elif [ $rc = 0 ] && printf '%s\n' "$out" | grep -qx "test $name \.\.\. ok"; then
		echo "ok $i $name"
		pass=$((pass + 1))
	else
		# libtest exits 101 on a failed test; more than 128 is a signal
		# (SIGTERM: the time limit)
		why="exit $rc"
		[ $rc -gt 128 ] && why="killed by signal $((rc - 128))"
		[ $rc = 143 ] && why="$why (no result in ${limit}s)"
		# libtest's report without its frame: the panic and the output
		printf '%s\n' "$out" | grep -Ev '^$|^running 1 test$|^failures:$|^    |^test result: |^note: run with|^test .* \.\.\. FAILED$' |
			sed 's/^/# /'
		echo "not ok $i $name # $why"
		fail=$((fail + 1))
	fi
done
while [ $i -lt $expect ]; do
	i=$((i + 1))
	echo "not ok $i missing: the crate has $expect tests, the binary listed $found"
	fail=$((fail + 1))
done
if [ "$found" -gt $expect ]; then
	echo "not ok $((i + 1)) count: the crate has $expect tests, the binary listed $found"
	fail=$((fail + 1))
fi
echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:$skip error:0"
[ $fail = 0 ]
