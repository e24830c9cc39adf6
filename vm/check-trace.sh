#!/bin/bash
# The tracepoints through a kernel trace tool: in a QEMU guest, perf
# records the mxchan:* events of the example program (examples/demo.c)
# and perf script must show each of the five, from the program's own
# task. TAP, one line per event; exit 0 only if all were seen.
#
#   vm/check-trace.sh [LANE]     (default 6.12)
set -uo pipefail

cd "$(dirname "$0")/.."
. vm/lib.sh

lane=${1:-6.12}
. vm/tap.sh

perf=$(command -v perf) || { echo "not ok 1 perf is installed (vm/deps.sh: linux-perf)"; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/mxchan-trace.XXXXXX")
trap 'rm -rf "$work"' EXIT
cat > "$work/trace-demo" <<'GUEST'
#!/bin/sh
# In the guest: record every mxchan event while demo runs, then print them.
echo -1 > /proc/sys/kernel/perf_event_paranoid
perf record -q -e 'mxchan:*' -o /tmp/perf.data -- demo > /tmp/demo.out || exit 1
echo "@@events"
perf --no-pager script -i /tmp/perf.data -F comm,event,trace 2>/dev/null | cat
GUEST
chmod +x "$work/trace-demo"

if make -s examples "module-$lane" >/dev/null &&
	vm/run.sh --kernel "$lane" --module "build/module-$lane/mxchan.ko" \
		--add build/examples/demo --add "$perf" --add "$work/trace-demo" \
		--timeout 300 -- trace-demo > "$work/out" 2> "$work/err"; then
	result 0 "perf record -e 'mxchan:*' -- demo ran in the $lane guest"
else
	result 1 "perf record -e 'mxchan:*' -- demo ran in the $lane guest"
	sed 's/^/# /' "$work/err" "$work/out" | tail -20
fi
tr -d '\r' < "$work/out" | sed '0,/^@@events/d' > "$work/events"
for ev in create write read transfer close; do
	count=$(grep -c "^ *demo .*mxchan:mxchan_$ev:" "$work/events")
	[ "$count" -gt 0 ]
	result $? "perf script shows mxchan:mxchan_$ev from demo ($count events)"
done
# the demo's socket and VMO show by their names, not as numbers
for type in socket vmo; do
	count=$(grep -c "^ *demo .*mxchan:mxchan_create:.* type=$type " "$work/events")
	[ "$count" -gt 0 ]
	result $? "mxchan_create names the demo's ${type}s ($count events)"
done
grep -m1 'mxchan:mxchan_write:' "$work/events" | sed 's/^ */# e.g. /'
tap_done
