#!/bin/sh
# Runs in the guest, as one more selftest of run-selftests.sh: the
# fuchsia-zircon crate's own #[test]s (binary fuchsia-zircon-tests, from
# rust/build-crate-tests.sh), each in a process of its own so that a crash
# or a hang fails that test only, printed as TAP. A test that is not there
# fails too: the crate (0.3.3) has 37.
#
# Some of the crate's tests have tight real-time margins (time.rs
# timer_basic waits until +6 s for a +5 s timer; channel.rs call gives a
# thread 1 s), which a stall of a busy TCG guest can miss: a test that
# fails is run once more. Passing then, it is "ok" with a diagnostic that
# it failed once (and the first run's report); failing again, "not ok".
#
#   fuchsia-zircon-tests.sh        MXCHAN_RUST_TEST_TIMEOUT: seconds a test
#                                  run may take (default 120)
#                                  MXCHAN_RUST_TOTAL_TIMEOUT: seconds all of
#                                  them may take (default 900); the tests
#                                  left then are "not ok ... # not run"
expect=37
limit=${MXCHAN_RUST_TEST_TIMEOUT:-120}
total_limit=${MXCHAN_RUST_TOTAL_TIMEOUT:-900}
bin=$(command -v fuchsia-zircon-tests)
# whole seconds since boot (no wall clock to be set in between)
now() { cut -d. -f1 /proc/uptime; }
t0=$(now)

# seconds left of the total time limit (0 or less: none)
left() { echo $((total_limit - ($(now) - t0))); }

# run NAME: runs one test within the time limits; sets out (its output),
# rc, result (ok, skip or fail), why (for a fail) and report (libtest's
# report without its frame: the panic and the output)
run() {
	run_limit=$(left)
	[ "$run_limit" -gt "$limit" ] && run_limit=$limit
	# (0 would be no limit at all to timeout)
	[ "$run_limit" -ge 1 ] || run_limit=1
	out=$(timeout "$run_limit" "$bin" --exact "$1" --test-threads=1 2>&1)
	rc=$?
	report=""
	if [ $rc = 0 ] && printf '%s\n' "$out" | grep -qx "test $1 \.\.\. ignored"; then
		result=skip
	elif [ $rc = 0 ] && printf '%s\n' "$out" | grep -qx "test $1 \.\.\. ok"; then
		result=ok
	else
		result=fail
		# libtest exits 101 on a failed test; more than 128 is a signal
		# (SIGTERM: the time limit, from busybox's timeout; coreutils'
		# exits 124)
		why="exit $rc"
		[ $rc -gt 128 ] && why="killed by signal $((rc - 128))"
		if [ $rc = 143 ] || [ $rc = 124 ]; then
			why="$why (no result in ${run_limit}s"
			[ "$run_limit" -lt "$limit" ] && why="$why: total time limit"
			why="$why)"
		fi
		report=$(printf '%s\n' "$out" |
			grep -Ev '^$|^running 1 test$|^failures:$|^    |^test result: |^note: run with|^test .* \.\.\. FAILED$' |
			sed 's/^/# /')
	fi
}

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
i=0 pass=0 fail=0 skip=0 notrun=0
for name in $names; do
	i=$((i + 1))
	if [ "$(left)" -le 0 ]; then
		echo "not ok $i $name # not run: total time limit"
		fail=$((fail + 1)) notrun=$((notrun + 1))
		continue
	fi
	run "$name"
	if [ $result = fail ]; then
		first_why=$why first_report=$report
		if [ "$(left)" -le 0 ]; then
			[ -z "$first_report" ] || printf '%s\n' "$first_report"
			why="$first_why; no retry: total time limit"
		else
			run "$name"
			if [ $result = fail ]; then
				echo "# $name failed twice; the first run: $first_why"
				[ -z "$first_report" ] || printf '%s\n' "$first_report"
				echo "# the second run: $why"
				[ -z "$report" ] || printf '%s\n' "$report"
				why="failed twice: $why"
			else
				echo "# $name failed once, then passed; the first run: $first_why"
				[ -z "$first_report" ] || printf '%s\n' "$first_report"
			fi
		fi
	fi
	case $result in
	skip)
		echo "ok $i $name # SKIP ignored"
		skip=$((skip + 1)) ;;
	ok)
		echo "ok $i $name"
		pass=$((pass + 1)) ;;
	*)
		echo "not ok $i $name # $why"
		fail=$((fail + 1)) ;;
	esac
done
[ $notrun = 0 ] ||
	echo "# total time limit of ${total_limit}s reached: $notrun test(s) not run"
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
