#!/bin/bash
# make check: build everything, then for each kernel lane boot QEMU, load
# the module, run the selftests, unload it, and read the guest's kernel
# log. Prints each lane's TAP, then one line: N passed, N failed.
#
#   vm/check.sh [LANE...]     lanes: 6.1 6.12 debug rt (default: all four;
#                             rt is Debian's 6.12 PREEMPT_RT kernel, where
#                             spinlocks sleep)
set -uo pipefail

cd "$(dirname "$0")/.."
. vm/lib.sh

lanes=("$@")
[ ${#lanes[@]} -gt 0 ] || lanes=(6.1 6.12 debug rt)

die() { echo "check: $*" >&2; echo "0 passed, 1 failed"; exit 1; }

vm/deps.sh || die "missing packages (see above)"
make -s lib selftests >/dev/null || die "build failed"
read -r -a tests <<<"$(make -s -C selftests KSELFTEST_DIR=unused print-tests)"
[ ${#tests[@]} -gt 0 ] || die "no selftests listed"
logdir=$MXCHAN_CACHE/logs
mkdir -p "$logdir"

pass=0 fail=0 skip=0
summary=()

# Debian's fuchsia-zircon crate (0.3.3), built unchanged against libzircon
# (rust/build-crate-tests.sh): its 37 tests run in the guests of these
# lanes as one more selftest, rust/fuchsia-zircon-tests.sh. A failed build
# is one failure and leaves no test binary (not even an earlier run's,
# should make stop in a prerequisite before the script runs); the runner
# then fails each of the 37 as missing.
rust_lanes=" 6.1 6.12 debug "
rust_log=$logdir/rust-build.log
echo "=== rust: the fuchsia-zircon crate's tests (make rust-tests)"
rm -f build/rust/fuchsia-zircon-tests
if make -s rust-tests >"$rust_log" 2>&1; then
	echo "built build/rust/fuchsia-zircon-tests"
	pass=$((pass + 1))
	summary+=("rust-tests: build of the fuchsia-zircon crate's tests: ok")
else
	grep -E '^error|undefined reference|build-crate-tests:' "$rust_log" | sort -u | head -n 20
	echo "rust-tests: build FAILED (log: $rust_log); each test will count as failed"
	fail=$((fail + 1))
	summary+=("rust-tests: build of the fuchsia-zircon crate's tests FAILED (log: $rust_log)")
fi

# Did a guest run (its vm/run.sh stderr in $1) die of an int3 Oops whose
# report names no function of mxchan's?
tcg_int3_fault() {
	local log
	log=$(sed -n 's/^vm: full console log: //p' "$1" | tail -n1)
	[ -f "$log" ] && awk '
		/Oops: int3/ { found = 1; n = 0; on = 1 }
		on && /\[mxchan\]/ { ours = 1 }
		on && ++n > 100 { on = 0 }
		END { exit !(found && !ours) }' "$log"
}

# One TAP-printing check script: its output, its counts in the totals and
# a summary line. A script that died before its verdicts still fails.
#   tap_check NAME TITLE CMD...
tap_check() {
	local name=$1 title=$2 out=$MXCHAN_CACHE/check-$1.out rc p f s
	shift 2
	echo "=== $title"
	"$@" > "$out" 2>&1
	rc=$?
	cat "$out"
	p=$(grep '^ok ' "$out" | grep -vc '# SKIP')
	s=$(grep '^ok ' "$out" | grep -c '# SKIP')
	f=$(grep -c '^not ok ' "$out")
	[ $rc -ne 0 ] && [ "$f" -eq 0 ] && f=1
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
	if [ "$s" -gt 0 ]; then
		summary+=("$name: $p passed, $f failed, $s skipped")
	else
		summary+=("$name: $p passed, $f failed")
	fi
}

tap_check lib "host: libmx and its headers" lib/check-lib.sh build/lib
tap_check syz "host: the syzkaller description (syz/)" syz/check-syz.sh
tap_check man "host: the man pages (man/), rendered by man -l" \
	man/check-man.sh build/lib
tap_check hygiene "host: checkpatch and sparse on module/ and uapi/, libmx with -Werror" \
	checks/check-hygiene.sh
tap_check install "host: make install and uninstall into a DESTDIR" \
	checks/check-install.sh
if [ "$(id -u)" = 0 ]; then
	tap_check dkms "dkms build for each installed kernel's headers, and the module in a guest" \
		checks/check-dkms.sh
else
	skip=$((skip + 1))
	summary+=("dkms: skipped (needs root)")
fi

for lane in "${lanes[@]}"; do
	echo "=== lane $lane"
	# The debug lane runs the module with gcov counters (make
	# module-coverage): the same code, and its run is the coverage step.
	target=module-$lane ko=build/module-$lane/mxchan.ko gcov=()
	if [ "$lane" = debug ]; then
		target=module-coverage ko=build/module-coverage/mxchan.ko
		rm -rf "$logdir/gcov-debug"
		gcov=(--gcov "$logdir/gcov-debug")
	fi
	if ! make -s "$target"; then
		fail=$((fail + 1))
		summary+=("lane $lane: module build FAILED")
		continue
	fi
	out=$logdir/check-$lane.out
	adds=(--add vm/run-selftests.sh --add build/selftests/mxstat)
	for t in "${tests[@]}"; do adds+=(--add "build/selftests/$t"); done
	lane_tests=("${tests[@]}")
	if [[ "$rust_lanes" == *" $lane "* ]]; then
		lane_tests+=(fuchsia-zircon-tests.sh)
		adds+=(--add rust/fuchsia-zircon-tests.sh)
		[ ! -f build/rust/fuchsia-zircon-tests ] ||
			adds+=(--add build/rust/fuchsia-zircon-tests)
	fi
	# Limits for a hang, not for speed: Debian's lanes take 3 to 8
	# minutes on this machine kind under TCG, twice that with the host
	# busy. The debug lane took 8 to 20 minutes, and twice that busy: its
	# long loops run a fifth as long (as in vm/coverage.sh), so a busy
	# machine fails no test.
	timeout=1500 env=()
	if [ "$lane" = debug ]; then
		timeout=3600
		env=(MXCHAN_FUZZ_CALLS=200000 MXCHAN_CYCLE_LOOPS=20000)
	fi
	lane_run=(vm/run.sh --kernel "$lane" --module "$ko" "${gcov[@]}"
		--timeout "$timeout" "${adds[@]}" -- env "${env[@]}"
		run-selftests.sh "${lane_tests[@]}")
	"${lane_run[@]}" >"$out" 2>"$out.err"
	rc=$?
	# QEMU's TCG has been seen (2 runs in 101) to trip on the kernel's
	# live patching of its own text (the int3 of text_poke_bp, as
	# tracepoints are switched on and off) in code that is not the
	# module's: such a lane runs once more, and the summary says so.
	if [ $rc -ne 0 ] && tcg_int3_fault "$out.err"; then
		echo "check: lane $lane: int3 fault outside mxchan (TCG text patching); running the lane again"
		summary+=("lane $lane: run again after an int3 fault outside mxchan ($(sed -n 's/^vm: full console log: //p' "$out.err"))")
		"${lane_run[@]}" >"$out" 2>"$out.err"
		rc=$?
	fi
	cat "$out"
	cat "$out.err" >&2

	# count the TAP of every test binary; a binary that died without a
	# "not ok" line (crash, timeout, harness error) still fails
	read -r p f s <<<"$(awk '
		/^# selftest: / { bin = $3; bad[bin] = 0 }
		/^ok [0-9]+ .*# SKIP/ { s++; next }
		/^ok [0-9]+ / { p++ }
		/^not ok [0-9]+ / { f++; bad[bin]++ }
		/^# selftest-exit: / {
			if ($4 != 0 && $4 != 4 && bad[$3] == 0) f++
			done[$3] = 1
		}
		/^# selftest: / { started[$3] = 1 }
		END {
			for (b in started) if (!(b in done)) f++
			printf "%d %d %d\n", p, f, s
		}' "$out")"
	ran=$(grep -c '^# selftest-exit: ' "$out")
	if [ "$ran" -lt ${#lane_tests[@]} ]; then
		f=$((f + ${#lane_tests[@]} - ran))
	fi
	# the lane itself: module loaded and unloaded, no kernel report
	# (run-selftests.sh exits 0, so anything else is the VM's verdict)
	if [ $rc -ne 0 ]; then
		f=$((f + 1))
		lane_state="VM run FAILED with status $rc (log: $out.err)"
	else
		p=$((p + 1))
		lane_state="module unload ok, kernel log clean"
	fi
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
	summary+=("lane $lane: $p passed, $f failed, $s skipped; $lane_state")
	# the crate's share of those, and the tests it failed
	if [[ "$rust_lanes" == *" $lane "* ]]; then
		summary+=("$(awk -v lane="$lane" '
			/^# selftest: / { on = ($3 == "fuchsia-zircon-tests.sh") }
			on && /^ok [0-9]+ .*# SKIP/ { s++; next }
			on && /^ok [0-9]+ / { p++ }
			on && /^not ok [0-9]+ / { f++; sub(/^not ok [0-9]+ /, ""); sub(/ #.*/, ""); bad = bad " " $0 }
			END { printf "lane %s: fuchsia-zircon crate tests: %d passed, %d failed, %d skipped%s\n",
				lane, p, f, s, (f ? ":" bad : "") }' "$out")")
	fi

	# Line coverage of module/ from the debug lane's counters. One
	# check: it passes when the data came back and a total was computed
	# (no threshold yet).
	if [ "$lane" = debug ]; then
		echo "=== coverage: module/ under the selftests (gcov, debug lane)"
		if vm/coverage.sh --from "$logdir/gcov-debug"; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
		fi
		summary+=("$(cat "$MXCHAN_CACHE/coverage/summary.txt" 2>/dev/null ||
			echo "coverage: FAILED")")
	fi
done

# What needs the host's own file system in the guest (vm/run.sh --hostfs):
# the Python package's tests and the demo ending with mxstat's table and
# picture (vm/hostfs-checks.sh), on the 6.12 lane.
if [[ " ${lanes[*]} " == *" 6.12 "* ]]; then
	if make -s examples tools module-6.12 >/dev/null; then
		tap_check hostfs "lane 6.12 on the host's file system: Python tests, demo with mxstat" \
			vm/run.sh --kernel 6.12 --hostfs \
			--module build/module-6.12/mxchan.ko --timeout 1200 \
			-- vm/hostfs-checks.sh
	else
		fail=$((fail + 1))
		summary+=("hostfs: build FAILED")
	fi
fi

# A Magenta-style program built against lib/libmx-uninstalled.pc runs
# through `make vm-run`, as a user would run their own.
echo "=== example: make vm-run RUN=demo"
if make -s examples >/dev/null &&
	make -s vm-run KERNEL="${lanes[0]}" RUN=demo ADD=build/examples/demo; then
	pass=$((pass + 1))
	summary+=("example demo via make vm-run: ok")
else
	fail=$((fail + 1))
	summary+=("example demo via make vm-run: FAILED")
fi

# The same through a Rust program: rust-echo (Debian's fuchsia-zircon crate
# over libzircon) answers a C program (libmx) over a channel.
echo "=== example: make vm-run RUN=echo-parent (C and Rust over a channel)"
if make -s rust-example >/dev/null &&
	make -s vm-run KERNEL="${lanes[0]}" RUN=echo-parent \
		ADD='build/examples/echo-parent build/examples/rust-echo'; then
	pass=$((pass + 1))
	summary+=("example rust-echo via make vm-run: ok")
else
	fail=$((fail + 1))
	summary+=("example rust-echo via make vm-run: FAILED")
fi

# The benchmark (make bench) once, quickly, so it keeps working: every
# row must run; its figures are not checked (speed is no test).
echo "=== bench: mxbench --quick (figures not checked)"
bench_out=$MXCHAN_CACHE/check-bench.out
if make -s bench-build "module-${lanes[0]}" >/dev/null &&
	vm/run.sh --kernel "${lanes[0]}" --module "build/module-${lanes[0]}/mxchan.ko" \
		--add build/bench/mxbench --timeout 600 --mem 1G -- mxbench --quick \
		> "$bench_out" 2>&1 &&
	grep -q '^mxbench: [0-9]* rows, ' "$bench_out"; then
	cat "$bench_out"
	pass=$((pass + 1))
	summary+=("bench --quick: ok")
else
	cat "$bench_out"
	fail=$((fail + 1))
	summary+=("bench --quick: FAILED")
fi

# The tracepoints through perf in a guest, on a running program.
tap_check trace "trace: perf record -e 'mxchan:*' of the example program" \
	vm/check-trace.sh "${lanes[0]}"

echo "=== summary"
printf '%s\n' "${summary[@]}"
line="$pass passed, $fail failed"
[ $skip -gt 0 ] && line="$line, $skip skipped"
echo "$line"
[ $fail -eq 0 ]
