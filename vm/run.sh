#!/bin/bash
# Boot one kernel lane under QEMU (TCG) with a busybox initramfs, load the
# module, run one command as root, unload the module, and check the kernel log.
#
#   vm/run.sh --kernel LANE [--module FILE.ko] [--add FILE]... [--timeout SEC]
#             [--mem SIZE] [--smp N] [--icount] [--gcov DIR] [--verbose]
#             [--hostfs [--rw DIR]...] -- COMMAND [ARGS...]
#
#   LANE        6.1, 6.12 or rt (6.12 PREEMPT_RT) (vm/deps.sh), or debug
#               (vm/build-debug-kernel.sh)
#   --module    loaded with insmod before COMMAND, removed with rmmod after
#   --add       copied to /usr/local/bin (on PATH), with the shared libraries
#               it needs; may be repeated
#   --timeout   seconds for the whole boot-run-shutdown (default 600)
#   --mem       guest memory (default 512M, 2G for debug)
#   --smp       guest CPUs (default 2)
#   --icount    deterministic guest time: one instruction is one virtual
#               nanosecond (QEMU -icount shift=0), and the vCPUs take turns
#               on one host thread
#   --gcov      after rmmod, copy the .gcda files of /sys/kernel/debug/gcov
#               (kept for an unloaded module) into DIR, under their guest
#               paths; needs a kernel with CONFIG_GCOV_KERNEL (debug lane)
#   --verbose   also stream the raw console to stderr while it runs
#   --hostfs    run COMMAND on this host's own root file system, shared
#               read-only into the guest over 9p (lanes 6.1, 6.12, rt), so
#               dynamically linked programs (python3, C++, Rust) run as
#               they do here: COMMAND is chrooted into it, in the directory
#               vm/run.sh was started from, with the guest's /proc, /sys,
#               /dev, debugfs, and tmpfs on /tmp and /run (a current
#               directory under /tmp or /run is shared again, over them);
#               --add files are on PATH (in /run/mxchan-bin)
#   --rw DIR    with --hostfs: the host directory DIR is writable in the
#               guest, at the same path (the guest writes as root)
#
# COMMAND runs in /tmp (--hostfs: in the current directory) with stdin from
# /dev/null; its output is printed to stdout after the run. Exit status: COMMAND's own if everything else was
# clean, 125 on timeout, guest crash, insmod/rmmod failure or any kernel
# report (BUG, WARNING, KASAN, UBSAN, lockdep, kmemleak, ...).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"

MARK=@@mxchan-vm@@

# The comment block at the top of this file.
help() { sed -n '2,/^set /p' "$0" | sed -n 's/^# \{0,1\}//p'; }
usage() { help >&2; exit 2; }
die() { echo "vm: $*" >&2; exit 125; }

lane="" module="" timeout_s=600 mem="" verbose=0 gcov_dir="" smp=2 icount=0
hostfs=0 adds=() rws=()
while [ $# -gt 0 ]; do
	case "$1" in
	--) shift; break ;;
	-v|--verbose) verbose=1; shift; continue ;;
	--icount) icount=1; shift; continue ;;
	--hostfs) hostfs=1; shift; continue ;;
	-h|--help) help; exit 0 ;;
	esac
	[ $# -ge 2 ] || usage
	case "$1" in
	--kernel) lane=$2 ;;
	--module) module=$2 ;;
	--add) adds+=("$2") ;;
	--timeout) timeout_s=$2 ;;
	--mem) mem=$2 ;;
	--smp) smp=$2 ;;
	--gcov) gcov_dir=$2 ;;
	--rw) rws+=("$2") ;;
	*) usage ;;
	esac
	shift 2
done
if [ -z "$lane" ] || [ $# = 0 ]; then usage; fi
[[ "$timeout_s" =~ ^[0-9]+$ ]] || die "--timeout wants seconds, got '$timeout_s'"
[[ "$smp" =~ ^[1-9][0-9]*$ ]] || die "--smp wants a CPU count, got '$smp'"

kernel=$MXCHAN_CACHE/kernel-$lane/vmlinuz
if [ ! -f "$kernel" ]; then
	case "$lane" in
	debug) die "no kernel for lane debug ($kernel): run vm/build-debug-kernel.sh" ;;
	6.1|6.12|rt) die "no kernel for lane $lane ($kernel): run vm/deps.sh" ;;
	*) die "unknown lane '$lane' (want 6.1, 6.12, debug or rt)" ;;
	esac
fi
if [ -z "$mem" ]; then
	if [ "$lane" = debug ]; then mem=2G; else mem=512M; fi
fi
hostfs_mods=$MXCHAN_CACHE/kernel-$lane/modules
if [ $hostfs = 1 ] && [ ! -f "$hostfs_mods/order" ]; then
	case "$lane" in
	debug) die "--hostfs: lane debug has no 9p (use 6.1, 6.12 or rt)" ;;
	*) die "--hostfs: no 9p modules for lane $lane ($hostfs_mods): run vm/deps.sh" ;;
	esac
fi
[ $hostfs = 1 ] || [ ${#rws[@]} = 0 ] || die "--rw needs --hostfs"
# The guest mounts its own /proc, /sys and /dev over the host's: a folder
# of the host's under them cannot be shared. Its tmpfs on /tmp and /run
# would hide the current directory there: that one is then shared by
# itself (tag cwd), read-only, and mounted over them.
kernel_own() { [[ "$1/" =~ ^/(proc|sys|dev)/ ]]; }
rw_paths=()
for d in "${rws[@]}"; do
	[ -d "$d" ] || die "--rw $d: no such directory"
	p=$(cd "$d" && pwd -P)
	[[ "$p" != *[[:space:]\',]* ]] || die "--rw $d: a path with spaces, quotes or commas"
	! kernel_own "$p" || die "--rw $d: under /proc, /sys or /dev, which are the guest's own"
	rw_paths+=("$p")
done
cwd=$(pwd -P) cwd_share=0
if [ $hostfs = 1 ]; then
	[[ "$cwd" != *[[:space:]\',]* ]] ||
		die "--hostfs: the current directory's path has spaces, quotes or commas"
	! kernel_own "$cwd" ||
		die "--hostfs: the current directory $cwd is under /proc, /sys or /dev, which are the guest's own"
	[[ ! "$cwd/" =~ ^/(tmp|run)/ ]] || cwd_share=1
fi

modname=""
if [ -n "$module" ]; then
	[ -f "$module" ] || die "module $module not found"
	modname=$(modinfo -F name "$module" 2>/dev/null || true)
	[ -n "$modname" ] || { modname=$(basename "$module" .ko); modname=${modname//-/_}; }
fi

busybox=$(command -v busybox || true)
if [ -z "$busybox" ] || ldd "$busybox" >/dev/null 2>&1; then
	die "need a static busybox (busybox-static): run vm/deps.sh"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/mxchan-vm.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 125' INT TERM HUP
root=$work/root

# --- initramfs ---------------------------------------------------------------

mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,lib/modules,etc,dev,proc,sys,tmp,root}
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list-full); do
	[ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
done
echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
echo 'root:x:0:' > "$root/etc/group"

# Copy a host file to the same absolute path inside the guest.
copy_lib() {
	[ -e "$root$1" ] && return
	mkdir -p "$root$(dirname "$1")"
	cp -L "$1" "$root$1"
}

# Shared libraries (and the dynamic loader) a host program needs.
add_libs() {
	local out lib
	out=$(ldd "$1" 2>/dev/null) || return 0	# static, or a script
	if grep -q 'not found' <<<"$out"; then
		die "--add $1: ldd cannot resolve: $(grep 'not found' <<<"$out" | tr -s ' \t' ' ')"
	fi
	awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' <<<"$out" |
		while read -r lib; do copy_lib "$lib"; done
}

for f in "${adds[@]}"; do
	[ -f "$f" ] || die "--add $f: no such file"
	cp -L "$f" "$root/usr/local/bin/"
	[ $hostfs = 1 ] || add_libs "$f"	# else the host's own libraries
done
if [ $hostfs = 1 ]; then
	mkdir -p "$root/lib/modules/hostfs"
	cp "$hostfs_mods"/*.ko "$hostfs_mods/order" "$root/lib/modules/hostfs/"
	{
		echo "HOSTFS_CWD='$cwd'"
		echo "HOSTFS_CWDSHARE=$cwd_share"
		i=0
		for p in "${rw_paths[@]}"; do
			echo "HOSTFS_RW$i='$p'"
			i=$((i + 1))
		done
		echo "HOSTFS_NRW=$i"
	} > "$root/etc/mxchan-hostfs"
fi
[ -z "$module" ] || cp "$module" "$root/lib/modules/mxchan.ko"
# A run about to hit --timeout dumps its blocked tasks (with stacks), the
# locks held and the whole kernel log first: the console shows warnings
# only, and the dmesg dump at the end never comes (guest seconds track
# the host's without --icount; boot and shutdown need the margin).
watchdog=0
if [ $icount = 0 ] && [ "$timeout_s" -ge 300 ]; then
	watchdog=$((timeout_s - 90))
fi

# COMMAND, quoted for the guest shell: 'a'\''b' style works in any sh.
{
	printf 'exec'
	for arg in "$@"; do
		printf " '%s'" "${arg//\'/\'\\\'\'}"
	done
	printf '\n'
} > "$root/etc/mxchan-cmd"

gcov=0
[ -z "$gcov_dir" ] || gcov=1
sed -e "s/@MARK@/$MARK/" -e "s/@MODNAME@/$modname/" -e "s/@GCOV@/$gcov/" \
	-e "s/@WATCHDOG@/$watchdog/" -e "s/@HOSTFS@/$hostfs/" \
	> "$root/init" <<'EOF'
#!/bin/sh
# Guest init, generated by vm/run.sh. No "set -e": PID 1 must reach reboot.
M=@MARK@
MODNAME=@MODNAME@
GCOV=@GCOV@
WATCHDOG=@WATCHDOG@
HOSTFS=@HOSTFS@
KL=/sys/kernel/debug/kmemleak
export PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root

# Our archive has no /dev/console, so stdio may be closed: reopen it.
mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
echo "$M init"			# the kernel booted: what follows is ours
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tmpfs tmpfs /tmp
mkdir -p /dev/shm && mount -t tmpfs tmpfs /dev/shm
# The console keeps the boot's loglevel (warnings and worse) so that kernel
# lines rarely cut into the command's output; dmesg below has everything.
# Lift printk rate limits so no report or /dev/kmsg line is dropped.
echo 0 > /proc/sys/kernel/printk_ratelimit
echo on > /proc/sys/kernel/printk_devkmsg
[ -w $KL ] && echo clear > $KL		# forget boot-time objects

# Is any process but this one still running a program?
strays() {
	for p in /proc/[0-9]*; do
		[ "${p#/proc/}" = 1 ] && continue
		x=""
		IFS= read -r x < "$p/cmdline" 2>/dev/null
		[ -z "$x" ] || return 0
	done
	return 1
}

# Run a module tool; on failure report its output on one marked line.
modtool() {
	out=$("$@" 2>&1) && return 0
	echo "$M error: $* failed: $(printf '%s' "$out" | tr '\n' ' ')"
	return 1
}

# --hostfs: the host's root, read-only, at /host (tag hostroot), and each
# --rw directory writable at its own path in it (tags rw0, rw1, ...).
hostfs_mount() {
	for m in $(cat /lib/modules/hostfs/order); do
		modtool insmod "/lib/modules/hostfs/$m" || return 1
	done
	. /etc/mxchan-hostfs
	opts=trans=virtio,version=9p2000.L,msize=512000
	mkdir -p /host
	modtool mount -t 9p -o "$opts,ro,cache=loose" hostroot /host || return 1
	mount -t proc proc /host/proc && mount -t sysfs sysfs /host/sys &&
		mount -t devtmpfs devtmpfs /host/dev &&
		mount -t tmpfs tmpfs /host/tmp && mount -t tmpfs tmpfs /host/run ||
		{ echo "$M error: mounts in /host failed"; return 1; }
	mount -t debugfs debugfs /host/sys/kernel/debug 2>/dev/null
	mkdir -p /host/dev/shm /host/run/mxchan-bin
	mount -t tmpfs tmpfs /host/dev/shm
	# last, so that nothing above covers them: the current directory if
	# it is under /tmp or /run, then the --rw folders
	if [ "$HOSTFS_CWDSHARE" = 1 ]; then
		mkdir -p "/host$HOSTFS_CWD" &&
		modtool mount -t 9p -o "$opts,ro,cache=loose" cwd "/host$HOSTFS_CWD" ||
			return 1
	fi
	i=0
	while [ $i -lt "$HOSTFS_NRW" ]; do
		eval "d=\$HOSTFS_RW$i"
		mkdir -p "/host$d" 2>/dev/null
		modtool mount -t 9p -o "$opts" "rw$i" "/host$d" || return 1
		i=$((i + 1))
	done
	cp /usr/local/bin/* /host/run/mxchan-bin/ 2>/dev/null
	cp /etc/mxchan-cmd /host/run/mxchan-cmd
}

ins=none rm=none status=none
if [ "$HOSTFS" = 1 ] && ! hostfs_mount; then
	ins=nohost
elif [ -n "$MODNAME" ]; then
	if modtool insmod /lib/modules/mxchan.ko; then
		ins=ok
		# mxchan registers misc device "mxchan": devtmpfs makes the node
		if [ "$MODNAME" = mxchan ] && [ ! -c /dev/mxchan ]; then
			echo "$M error: /dev/mxchan missing after insmod"
			ins=nodev
		fi
	else
		ins=fail
	fi
fi

# killed with the command's strays (kill -1 below) if it finishes first
if [ "$WATCHDOG" -gt 0 ]; then
	( sleep "$WATCHDOG"
	  # not $M: the command's section goes on (stdout drops kernel lines)
	  echo "@@mxchan-watchdog@@ the run is about to time out"
	  echo 1 > /proc/sys/kernel/sysrq
	  echo w > /proc/sysrq-trigger	# blocked tasks and their stacks
	  echo d > /proc/sysrq-trigger	# locks held (lockdep)
	  dmesg
	  echo "@@mxchan-watchdog@@ end of dmesg" ) &
fi

if [ $ins = none ] || [ $ins = ok ]; then
	echo "$M begin-command uptime=$(cut -d' ' -f1 /proc/uptime)"
	if [ "$HOSTFS" = 1 ]; then
		# HOME is the host's, read-only: caches (fontconfig's, say) go to /tmp
		PATH=/run/mxchan-bin:$PATH XDG_CACHE_HOME=/tmp/.cache \
		chroot /host /bin/sh -c \
			'cd "$1" && . /run/mxchan-cmd' sh "$HOSTFS_CWD" </dev/null
	else
		(cd /tmp && sh /etc/mxchan-cmd) </dev/null
	fi
	status=$?
	echo "$M end-command status=$status"
	kill -KILL -1 2>/dev/null	# strays must not pin the module
	# ... nor close their files after rmmod began: wait until they are
	# gone (a kernel thread or a zombie has an empty cmdline), 5 s at most
	n=0
	while [ $n -lt 50 ] && strays; do sleep 0.1; n=$((n + 1)); done
	if [ "$HOSTFS" = 1 ]; then	# write back what the guest wrote
		sync
		for i in $(seq 0 $((HOSTFS_NRW - 1))); do
			eval "umount \"/host\$HOSTFS_RW$i\""
		done
	fi
fi
if [ $ins = ok ] || [ $ins = nodev ]; then
	if modtool rmmod "$MODNAME"; then rm=ok; else rm=fail; fi
fi

# gcov keeps an unloaded module's counters, so they include its exit path.
# debugfs files report size 0: cat them into files tar can read.
if [ "$GCOV" = 1 ]; then
	G=/sys/kernel/debug/gcov
	mkdir -p /gcov
	(cd $G 2>/dev/null && find . -name '*.gcda') | while read -r f; do
		mkdir -p "/gcov/${f%/*}" && cat "$G/$f" > "/gcov/$f"
	done
	echo "$M begin-gcov"
	tar -C /gcov -cf - . | gzip -9 | base64
	echo "$M end-gcov"
fi

if [ -w $KL ]; then
	sleep 5				# kmemleak ignores objects younger than 5 s
	echo scan > $KL
	echo scan > $KL
	echo "$M begin-kmemleak"
	cat $KL
	echo "$M end-kmemleak"
fi
echo "$M begin-dmesg"
dmesg
echo "$M end-dmesg"
echo "$M result status=$status insmod=$ins rmmod=$rm"
sync
reboot -f
EOF
chmod +x "$root/init"

(cd "$root" && find . -print0 | LC_ALL=C sort -z |
	cpio --quiet --null -o -H newc -R 0:0 | gzip -1) > "$work/initramfs.gz"

# --- boot --------------------------------------------------------------------

logdir=$MXCHAN_CACHE/logs
mkdir -p "$logdir"
log=$logdir/run-$lane-$(date +%Y%m%d-%H%M%S)-$$.log
# keep the newest 100 logs
find "$logdir" -name 'run-*.log' -printf '%T@ %p\n' | sort -rn | tail -n +101 |
	cut -d' ' -f2- | xargs -r rm -f

# loglevel=5: warnings and worse on the console. panic_print=0x20: a panic
# replays the whole kernel log, info lines included, before the guest dies.
# syscall.x32=y: Debian builds x32 in but leaves it off; the x32 tests need it.
append="console=ttyS0 loglevel=5 panic=-1 oops=panic panic_on_warn=1 panic_print=0x20"
append+=" syscall.x32=y"
qemu=(qemu-system-x86_64 -accel tcg -cpu max -smp "$smp" -m "$mem"
	-nographic -nodefaults -serial stdio -no-reboot
	-kernel "$kernel" -initrd "$work/initramfs.gz" -append "$append")
# A host folder as a 9p device whose mount tag is its id: share TAG PATH [OPTS]
share() {
	qemu+=(-fsdev "local,id=$1,path=$2,security_model=none,multidevs=remap${3:+,$3}"
		-device "virtio-9p-pci,fsdev=$1,mount_tag=$1")
}
if [ $hostfs = 1 ]; then
	share hostroot / readonly=on
	[ $cwd_share = 0 ] || share cwd "$cwd" readonly=on
	for i in "${!rw_paths[@]}"; do share "rw$i" "${rw_paths[$i]}"; done
fi
[ $icount = 0 ] || qemu+=(-icount shift=0,sleep=off)

# Serial console to plain text: no CRs, no terminal escapes (from SeaBIOS).
clean_console() {
	sed -u -e 's/\r$//' -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\x1bc//g'
}

# A guest kernel that dies before its init runs (TCG has been seen to
# fault in early boot, under load, before any of our code is loaded) is
# booted again, twice at most; its log is kept beside the new one. A
# timeout is not retried, nor anything after init began.
start=$(date +%s)
for boot_try in 1 2 3; do
	qrc=0
	if [ $verbose = 1 ]; then
		timeout -k 10 "$timeout_s" "${qemu[@]}" </dev/null 2>"$work/qemu.err" |
			clean_console | tee "$log" >&2 || qrc=${PIPESTATUS[0]}
	else
		timeout -k 10 "$timeout_s" "${qemu[@]}" </dev/null 2>"$work/qemu.err" |
			clean_console > "$log" || qrc=${PIPESTATUS[0]}
	fi
	if grep -q "$MARK init" "$log" || [ "$qrc" = 124 ] || [ "$qrc" = 137 ] ||
	   [ $boot_try = 3 ]; then
		break
	fi
	mv "$log" "${log%.log}-boot$boot_try.log"
	echo "vm: lane $lane: the guest kernel died before its init ran" \
	     "(log: ${log%.log}-boot$boot_try.log); booting again" >&2
done
elapsed=$(( $(date +%s) - start ))
if [ -s "$work/qemu.err" ]; then
	{ echo "$MARK qemu-stderr"; cat "$work/qemu.err"; } >> "$log"
	sed 's/^/vm: qemu: /' "$work/qemu.err" >&2
fi

# --- verdict -----------------------------------------------------------------

TIMESTAMP_RE='^\[ *[0-9]+\.[0-9]+\]'

# Lines after the marker "begin-$1", up to the next marker (which may end
# a last line that had no newline).
section() {
	awk -v b="$MARK begin-$1" -v m="$MARK " '
		on && (i = index($0, m)) { if (i > 1) print substr($0, 1, i - 1); on = 0 }
		on { print }
		index($0, b) { on = 1 }' "$log"
}

# The command's output, without kernel lines (those carry a [ time ] stamp).
section command | grep -Ev "$TIMESTAMP_RE" || true

REPORT_RE='BUG:|WARNING:|KASAN|UBSAN|unreferenced object|suspected memory leak|'
REPORT_RE+='possible circular locking|possible recursive locking|'
REPORT_RE+='inconsistent lock state|suspicious RCU usage|DEBUG_LOCKS_WARN|'
REPORT_RE+='Oops|Kernel panic|general protection fault|kernel BUG at|'
REPORT_RE+='list_add corruption|list_del corruption|hung_task|'
REPORT_RE+='blocked for more than|soft lockup|scheduling while atomic|'
REPORT_RE+='sleeping function called from invalid context|detected stall|'
# the module's own leak counters, printed at unload
REPORT_RE+='mxchan: leaked'
IGNORE_RE='loading out-of-tree module taints kernel|module verification failed'

# Scan everything but the command's own output: kernel lines inside it are
# recognised by their timestamp. Keep log line numbers for the context.
# The base64 of the gcov section is skipped the same way.
reports=$(awk -v b="$MARK begin-command" -v e="$MARK end-command" \
	-v gb="$MARK begin-gcov" -v ge="$MARK end-gcov" -v ts="$TIMESTAMP_RE" '
	index($0, e) || index($0, ge) { cmd = 0 }
	!cmd || $0 ~ ts { print NR ":" $0 }
	index($0, b) || index($0, gb) { cmd = 1 }' "$log" |
	grep -E "$REPORT_RE" | grep -vE "$IGNORE_RE" || true)
if [ -n "$reports" ]; then
	# each distinct report line once (console and dmesg dump repeat them)
	sed -E 's/^[0-9]+:(\[ *[0-9.]+\] )?//' <<<"$reports" | awk '!seen[$0]++' |
		sed 's/^/vm: KERNEL REPORT: /' >&2
	first=$(head -n1 <<<"$reports" | cut -d: -f1)
	echo "vm: context of the first report (log line $first):" >&2
	sed -n "$(( first > 5 ? first - 5 : 1 )),$(( first + 30 ))p" "$log" | sed 's/^/vm: | /' >&2
fi

# Errors the guest init reported (insmod, rmmod, /dev/mxchan).
grep -o "$MARK error: .*" "$log" | sed "s/^$MARK error: /vm: guest: /" >&2 || true

result=$(grep -o "$MARK result .*" "$log" | tail -n1 || true)
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$result"; }
status=$(field status) ins=$(field insmod) rm=$(field rmmod)
boot=$(grep -o "$MARK begin-command uptime=[0-9.]*" "$log" | head -n1 | sed 's/.*=//' || true)

problems=()
if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
	problems+=("timeout after ${timeout_s}s")
elif [ -z "$result" ] && grep -q 'Kernel panic' "$log"; then
	problems+=("kernel panicked")
elif [ -z "$result" ]; then
	problems+=("guest died without a result (qemu exit $qrc)")
fi
case "$ins" in
fail) problems+=("module load FAILED") ;;
nohost) problems+=("the host's file system could not be mounted (--hostfs)") ;;
nodev) problems+=("/dev/mxchan missing after insmod") ;;
esac
[ "$rm" != fail ] || problems+=("module unload FAILED")
[ -z "$reports" ] || problems+=("kernel reports in log")

# The guest's .gcda files: base64 lines only (a kernel line that cut into
# one breaks the archive's checksum, and says so).
if [ -n "$gcov_dir" ] && [ -n "$result" ]; then
	mkdir -p "$gcov_dir"
	if ! section gcov | grep -E '^[A-Za-z0-9+/=]+$' | base64 -d 2>/dev/null |
		tar -xzf - -C "$gcov_dir" 2>"$work/gcov.err"; then
		problems+=("gcov data unreadable ($(tr '\n' ' ' < "$work/gcov.err"))")
	fi
fi

if [ "$ins" = fail ] || [ "$rm" = fail ]; then
	echo "vm: last kernel messages:" >&2
	section dmesg | tail -n 5 | sed 's/^/vm: | /' >&2
fi

summary="vm: lane $lane:"
if [[ "$status" =~ ^[0-9]+$ ]]; then
	summary+=" command exit $status,"
elif [ -n "$result" ]; then
	summary+=" command not run,"
else
	summary+=" command did not finish,"
fi
case "$rm" in
ok) summary+=" module unload ok," ;;
none) [ -n "$module" ] || summary+=" no module," ;;
esac
if [ ${#problems[@]} = 0 ]; then
	summary+=" kernel log clean"
else
	printf -v joined '%s, ' "${problems[@]}"
	summary+=" ${joined%, }"
fi
summary+=" (${boot:+boot ${boot}s, }total ${elapsed}s)"
echo "$summary" >&2

if [ ${#problems[@]} != 0 ]; then
	if [ -z "$result" ] && [ -z "$reports" ]; then
		echo "vm: last console lines:" >&2
		tail -n 20 "$log" | sed 's/^/vm: | /' >&2
	fi
	echo "vm: full console log: $log" >&2
	exit 125
fi
exit "$status"
