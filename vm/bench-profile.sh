#!/bin/bash
# make bench-profile: where the time of one mxbench row's mxchan side goes,
# sampled with perf in the QEMU guest and sorted into buckets (the ioctl
# floor, LSM hooks, user copies, allocation, locks, mxchan itself, ...).
#
#   vm/bench-profile.sh [--icount] [--kernel LANE] [--symbols N] ROW
#
#   ROW       a substring of a row name of mxbench, e.g. "write+read 64 B"
#   --icount  QEMU -icount shift=0: samples fall every so many guest
#             instructions, so the shares are shares of instructions
#   --symbols N  after the buckets, the N symbols with the most samples
#
# A timer sample cannot land where interrupts are off: what the syscall
# exit does with them off is billed to the first user instruction after
# it, in libc's wrapper (mxbench is static). Those are counted as the
# syscall's.
set -euo pipefail

cd "$(dirname "$0")/.."
. vm/lib.sh

lane=6.12 icount=() symbols=0
while [ $# -gt 1 ]; do
	case "$1" in
	--icount) icount=(--icount); shift ;;
	--kernel) lane=$2; shift 2 ;;
	--symbols) symbols=$2; shift 2 ;;
	*) break ;;
	esac
done
[ $# = 1 ] || { echo "usage: vm/bench-profile.sh [--icount] [--kernel LANE] [--symbols N] ROW" >&2; exit 2; }
row=$1

vm/deps.sh
perf=$(command -v perf) || { echo "bench-profile: no perf (vm/deps.sh installs linux-perf)" >&2; exit 1; }
make -s bench-build "module-$lane"
work=$(mktemp -d "${TMPDIR:-/tmp}/mxchan-prof.XXXXXX")
trap 'rm -rf "$work"' EXIT
cat > "$work/profile-row" <<'GUEST'
#!/bin/sh
# In the guest: sample the mxchan side of one row, print symbol shares.
echo 0 > /proc/sys/kernel/kptr_restrict
echo -1 > /proc/sys/kernel/perf_event_paranoid
perf record -q -e cpu-clock -F 20000 -o /tmp/perf.data -- \
	mxbench --mx-only -r 9 -c "$1" || exit 1
echo "@@symbols"
perf report -i /tmp/perf.data --stdio --no-children --sort dso,sym \
	--percent-limit 0 2>/dev/null | grep '%'
GUEST
chmod +x "$work/profile-row"
vm/run.sh --kernel "$lane" --module "build/module-$lane/mxchan.ko" \
	--add build/bench/mxbench --add "$perf" --add "$work/profile-row" \
	--timeout 600 "${icount[@]}" -- profile-row "$row" > "$work/out"
sed '/^@@symbols/,$d' "$work/out"

# One line per bucket: share of the samples, then its biggest symbols.
sed '1,/^@@symbols/d' "$work/out" | awk '
function bucket(dso, sym) {
	if (dso !~ /kernel|mxchan/ && sym ~ /^(__GI_)?(__)?(libc_)?(ioctl|read|write|sendmsg|recvmsg|poll|close_range|close)(_nocancel)?$/)
		return "syscall entry/exit and ioctl dispatch"
	if (dso !~ /kernel|mxchan/) return "userspace (mxbench, libmx, libc)"
	if (sym ~ /^mxc_/) return "mxchan module"
	if (sym ~ /tomoyo|apparmor|^aa_|landlock|^hook_|^security_|bpf_lsm/)
		return "LSM hooks on each call"
	if (sym ~ /copy_(from|to)_user|rep_movs|copy_user|check_object_size|check_heap_object|virt_addr_valid|__(get|put)_user|check_stack/)
		return "user copies and hardened usercopy"
	if (sym ~ /kmalloc|kfree|kvfree|kvmalloc|slab|kmem_cache|memcg|obj_cgroup|objcg|obj_stock|mod_node_page|page_counter|clear_page|get_page_from_freelist|alloc_pages|free_unref/)
		return "allocation and memcg accounting"
	if (sym ~ /^_*xas?_/) return "XArray (handle table)"
	if (sym ~ /spin_|mutex_|_lock|_unlock|rwsem/) return "locks"
	if (sym ~ /wake|schedule|switch|enqueue|dequeue|pick_next|update_curr|ttwu|select_task|idle|halt/)
		return "wakeups and scheduling"
	if (sym ~ /syscall|sys_ioctl|vfs_ioctl|fdget|^fput|^entry_|^asm_|exit_to_user|^__x64_|x64_sys_call|^irqentry|fpregs|switch_fpu/)
		return "syscall entry/exit and ioctl dispatch"
	return "other kernel"
}
{
	pct = $1; sub(/%/, "", pct)
	dso = $2; gsub(/[\[\]]/, "", dso)
	sym = $NF
	b = bucket(dso, sym)
	share[b] += pct
	if (n[b] < 4) { top[b] = top[b] (n[b] ? ", " : "") sym; n[b]++ }
}
END {
	for (b in share) printf "%6.1f%%  %-38s %s\n", share[b], b, top[b]
}' | sort -rn
if [ "$symbols" -gt 0 ]; then
	echo "top $symbols symbols:"
	sed '1,/^@@symbols/d' "$work/out" | head -n "$symbols" |
		awk '{ d = $2; gsub(/[\[\]]/, "", d); printf "%8s  %-10s %s\n", $1, d, $NF }'
fi
