// SPDX-License-Identifier: GPL-2.0
/*
 * An ioctl fuzzer for /dev/mxchan, run for a bounded number of calls.
 *
 * Structure-aware: every table has a pool of handle values it got from
 * creates, reads, duplicates, replaces and moves, with each value's object
 * type, and most handle arguments come from it; the rest are 0, odd, even,
 * negative, stale (closed here before) or foreign (another table's) values.
 * Every ioctl of <linux/mxchan.h> is called with valid, NULL, PROT_NONE,
 * read-only, misaligned, kernel, non-canonical and page-straddling
 * buffers and out-pointers (where the kernel writes new handle values,
 * sizes, counts, an fd, a read status), sizes and counts around every
 * limit, short deadlines only (0, past, a few microseconds, at most a
 * millisecond), and random raw commands in the 0xB9 range. Each result must be 0 or an errno of
 * <linux/mxchan-errno.h> (ENOTTY for unknown commands; never EINTR), and a
 * few facts that hold whatever the race are checked (new values are odd
 * and positive, a value never names an object of another type, a call
 * that writes a result cannot succeed if its out-pointer cannot be
 * written (0 is allowed where the ABI says so), a channel_call with a 0
 * size pointer is EINVAL, the kernel never writes the struct of an _IOW
 * ioctl, known-bad handles are never sent).
 *
 * VMOs are created, read, written, resized, committed, looked up, cloned
 * (clones of clones too), named and mapped through the root VMAR with random
 * flags, lengths and offsets: a mapping is unmapped at once, and
 * SPECIFIC_OVERWRITE only ever lands in a range of its own thread's that
 * it reserved, PROT_NONE, for that (reserved again after); a read of a
 * mapping past its VMO's end (SIGBUS) is caught. The VMO budget
 * (max_user_vmo_pages) is kept at VMO_CAP_PAGES all along, so that what
 * COMMIT and writes make stays small, and at the end the root user's VMO
 * pages and this process's VMO mappings are where they were.
 *
 * Four threads share two tables (handles also move between them); a
 * manager thread forks a child that fuzzes its own table and the parent's
 * inherited one with three threads, and SIGKILLs it at a random moment,
 * again and again. Writes, port queues and async waits come in short
 * bursts, and one second in four the module's queue, packet, observer,
 * socket and VMO limits are lowered to a few, so their ENOMEM paths run
 * too (restored in the teardown). At the end every table is closed, the
 * children are reaped, and the module's debugfs counters must be back
 * where they were.
 * A watcher reports any ioctl still running after 60 s, with its args.
 *
 * Any handle may go into any message, channel ends into their own
 * channel's queue included, so rings of endpoints that no table can reach
 * come and go all the time: the module's collector must destroy them, and
 * the counters are read once it is idle (debugfs mxchan/gc). Handle values
 * are never reused soon in a table, so a pooled value names its recorded
 * object or none.
 *
 *   MXCHAN_FUZZ_SEED   seed (printed at start; threads race, so a replay
 *                      repeats every thread's choices, not their timing)
 *   MXCHAN_FUZZ_CALLS  ioctls in all, children's included (default 1M)
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE		/* mremap */
#endif
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>

#include "mxchan_test.h"

#define FUZZ_DEFAULT_CALLS	1000000ULL
#define NPARENT		4	/* threads on the parent's two tables */
#define NCHILD		3	/* threads in each child */
#define NSLOTS		(NPARENT + NCHILD)
#define POOL_SLOTS	256
#define STALE_SLOTS	64
#define PAIRS		32
#define PAGE		4096u
#define HANG_NS		(60ULL * 1000000000ULL)
#define NERR		136	/* stats: errno buckets; the last is "other" */
#define VMO_CAP_PAGES	4096	/* max_user_vmo_pages for the run: 16 MiB */
#define MAP_SLOTS	4	/* per thread, reserved for SPECIFIC_OVERWRITE */
#define SLOT_PAGES	16

/* ---- what is in a pool ---- */

enum kind {
	K_NONE, K_CHANNEL, K_EVENT, K_EVENTPAIR, K_PORT, K_FIFO, K_SOCKET,
	K_VMO, K_VMAR, K_UNKNOWN
};

/* entry: value | kind << 32; 0 is an empty slot */
#define E_VAL(e)	((uint32_t)(e))
#define E_KIND(e)	((int)(((e) >> 32) & 0xf))
#define ENTRY(v, k)	((uint64_t)(v) | (uint64_t)(k) << 32)

struct pool {
	_Atomic uint64_t slot[POOL_SLOTS];
	_Atomic uint32_t stale[STALE_SLOTS];	/* values closed in this table */
	_Atomic uint32_t stale_next;
	/* both ends of recent channels, so a call can find its server */
	_Atomic uint64_t pair[PAIRS][2];
	_Atomic uint32_t pair_next;
	_Atomic uint64_t callhint;	/* the far end of a call in progress */
	/* recent VMOs and the root VMAR, which the pool holds few of */
	_Atomic uint64_t vmo[8];
	_Atomic uint32_t vmo_next;
	_Atomic uint64_t vmar;
};

struct table {
	int fd;
	int id;			/* 1, 2: the parent's; 3: a child's */
	struct pool *pool;
};

/* ---- operations ---- */

enum op {
	OP_VERSION, OP_CHANNEL_CREATE, OP_CHANNEL_WRITE, OP_CHANNEL_READ,
	OP_HANDLE_CLOSE, OP_HANDLE_DUPLICATE, OP_HANDLE_REPLACE, OP_GET_INFO,
	OP_EVENT_CREATE, OP_HANDLE_MOVE, OP_STARTUP_TAKE, OP_WAIT_ONE,
	OP_WAIT_MANY, OP_SIGNAL, OP_EVENTPAIR_CREATE, OP_CHANNEL_CALL,
	OP_CALL_FINISH, OP_SIGNAL_FD, OP_PORT_CREATE, OP_PORT_QUEUE,
	OP_PORT_WAIT, OP_PORT_CANCEL, OP_WAIT_ASYNC, OP_REPLY_READ,
	OP_FIFO_CREATE, OP_FIFO_WRITE, OP_FIFO_READ, OP_SOCKET_CREATE,
	OP_SOCKET_WRITE, OP_SOCKET_READ, OP_VMO_CREATE, OP_VMO_READ,
	OP_VMO_WRITE, OP_VMO_GET_SIZE, OP_VMO_SET_SIZE, OP_VMO_OP_RANGE,
	OP_VMO_CLONE, OP_VMO_CACHE_POLICY, OP_VMAR_ROOT, OP_VMAR_MAP,
	OP_GET_PROPERTY, OP_SET_PROPERTY, OP_RAW, NOPS
};

static const struct {
	const char *name;
	const char *layout;	/* the arg struct's fields: name:size */
} ops[NOPS] = {
	[OP_VERSION] = { "version", "abi_version:4 reserved:4 features:8" },
	[OP_CHANNEL_CREATE] = { "channel_create", "options:4 reserved:4 out0:8 out1:8" },
	[OP_CHANNEL_WRITE] = { "channel_write",
		"handle:4 options:4 bytes:8 handles:8 num_bytes:4 num_handles:4" },
	[OP_CHANNEL_READ] = { "channel_read",
		"handle:4 options:4 bytes:8 handles:8 num_bytes:4 num_handles:4 "
		"actual_bytes:8 actual_handles:8" },
	[OP_HANDLE_CLOSE] = { "handle_close", "" },
	[OP_HANDLE_DUPLICATE] = { "handle_duplicate", "handle:4 rights:4 out:8" },
	[OP_HANDLE_REPLACE] = { "handle_replace", "handle:4 rights:4 out:8" },
	[OP_GET_INFO] = { "object_get_info",
		"handle:4 topic:4 buffer:8 buffer_size:8 actual_count:8 avail_count:8" },
	[OP_EVENT_CREATE] = { "event_create", "options:4 reserved:4 out:8" },
	[OP_HANDLE_MOVE] = { "handle_move",
		"fd:4 flags:4 handles:8 out:8 ids:8 num_handles:4 reserved:4" },
	[OP_STARTUP_TAKE] = { "startup_take", "id:4 handle:4" },
	[OP_WAIT_ONE] = { "object_wait_one",
		"handle:4 waitfor:4 deadline:8 observed:8" },
	[OP_WAIT_MANY] = { "object_wait_many", "items:8 count:4 reserved:4 deadline:8" },
	[OP_SIGNAL] = { "object_signal", "handle:4 clear_mask:4 set_mask:4 flags:4" },
	[OP_EVENTPAIR_CREATE] = { "eventpair_create", "options:4 reserved:4 out0:8 out1:8" },
	[OP_CHANNEL_CALL] = { "channel_call",
		"handle:4 options:4 deadline:8 args:8 actual_bytes:8 "
		"actual_handles:8 read_status:8 call_id:4 reserved:4" },
	[OP_CALL_FINISH] = { "call_finish",
		"handle:4 options:4 deadline:8 args:8 actual_bytes:8 "
		"actual_handles:8 read_status:8 call_id:4 reserved:4" },
	[OP_SIGNAL_FD] = { "signal_fd", "handle:4 signals:4 fd:8" },
	[OP_PORT_CREATE] = { "port_create", "options:4 reserved:4 out:8" },
	[OP_PORT_QUEUE] = { "port_queue", "handle:4 reserved:4 packet:8 size:8" },
	[OP_PORT_WAIT] = { "port_wait", "handle:4 reserved:4 deadline:8 packet:8 size:8" },
	[OP_PORT_CANCEL] = { "port_cancel", "handle:4 source:4 key:8" },
	[OP_WAIT_ASYNC] = { "object_wait_async",
		"handle:4 port:4 key:8 signals:4 options:4" },
	[OP_REPLY_READ] = { "channel_reply_read",
		"handle:4 options:4 flags:4 reserved:4 deadline:8 wr_bytes:8 "
		"wr_handles:8 wr_num_bytes:4 wr_num_handles:4 rd_bytes:8 "
		"rd_handles:8 rd_num_bytes:4 rd_num_handles:4 actual_bytes:8 "
		"actual_handles:8" },
	[OP_FIFO_CREATE] = { "fifo_create",
		"elem_count:4 elem_size:4 options:4 reserved:4 out0:8 out1:8" },
	[OP_FIFO_WRITE] = { "fifo_write",
		"handle:4 reserved:4 data:8 len:8 actual:8" },
	[OP_FIFO_READ] = { "fifo_read",
		"handle:4 reserved:4 data:8 len:8 actual:8" },
	[OP_SOCKET_CREATE] = { "socket_create",
		"options:4 reserved:4 out0:8 out1:8" },
	[OP_SOCKET_WRITE] = { "socket_write",
		"handle:4 options:4 buffer:8 size:8 actual:8" },
	[OP_SOCKET_READ] = { "socket_read",
		"handle:4 options:4 buffer:8 size:8 actual:8" },
	[OP_VMO_CREATE] = { "vmo_create", "size:8 options:4 reserved:4 out:8" },
	[OP_VMO_READ] = { "vmo_read",
		"handle:4 reserved:4 data:8 offset:8 len:8 actual:8" },
	[OP_VMO_WRITE] = { "vmo_write",
		"handle:4 reserved:4 data:8 offset:8 len:8 actual:8" },
	[OP_VMO_GET_SIZE] = { "vmo_get_size",
		"handle:4 reserved:4 size:8 out:8" },
	[OP_VMO_SET_SIZE] = { "vmo_set_size",
		"handle:4 reserved:4 size:8 out:8" },
	[OP_VMO_OP_RANGE] = { "vmo_op_range",
		"handle:4 op:4 offset:8 size:8 buffer:8 buffer_size:8" },
	[OP_VMO_CLONE] = { "vmo_clone",
		"handle:4 options:4 offset:8 size:8 out:8" },
	[OP_VMO_CACHE_POLICY] = { "vmo_cache_policy", "handle:4 policy:4" },
	[OP_VMAR_ROOT] = { "vmar_root", "out:8" },
	[OP_VMAR_MAP] = { "vmar_map",
		"vmar:4 vmo:4 vmar_offset:8 vmo_offset:8 len:8 flags:4 "
		"reserved:4 mapped_addr:8" },
	[OP_GET_PROPERTY] = { "object_get_property",
		"handle:4 property:4 value:8 size:8" },
	[OP_SET_PROPERTY] = { "object_set_property",
		"handle:4 property:4 value:8 size:8" },
	[OP_RAW] = { "raw_0xB9", "" },
};

/* Relative weights of the operations. */
static const unsigned int op_weight[NOPS] = {
	[OP_VERSION] = 1, [OP_CHANNEL_CREATE] = 6, [OP_CHANNEL_WRITE] = 14,
	[OP_CHANNEL_READ] = 12, [OP_HANDLE_CLOSE] = 6, [OP_HANDLE_DUPLICATE] = 5,
	[OP_HANDLE_REPLACE] = 3, [OP_GET_INFO] = 4, [OP_EVENT_CREATE] = 3,
	[OP_HANDLE_MOVE] = 5, [OP_STARTUP_TAKE] = 1, [OP_WAIT_ONE] = 4,
	[OP_WAIT_MANY] = 3, [OP_SIGNAL] = 5, [OP_EVENTPAIR_CREATE] = 2,
	[OP_CHANNEL_CALL] = 4, [OP_CALL_FINISH] = 1, [OP_SIGNAL_FD] = 2,
	[OP_PORT_CREATE] = 3, [OP_PORT_QUEUE] = 4, [OP_PORT_WAIT] = 4,
	[OP_PORT_CANCEL] = 2, [OP_WAIT_ASYNC] = 5, [OP_REPLY_READ] = 5,
	[OP_FIFO_CREATE] = 3, [OP_FIFO_WRITE] = 5, [OP_FIFO_READ] = 5,
	[OP_SOCKET_CREATE] = 3, [OP_SOCKET_WRITE] = 5, [OP_SOCKET_READ] = 5,
	[OP_VMO_CREATE] = 3, [OP_VMO_READ] = 4, [OP_VMO_WRITE] = 4,
	[OP_VMO_GET_SIZE] = 1, [OP_VMO_SET_SIZE] = 2, [OP_VMO_OP_RANGE] = 3,
	[OP_VMO_CLONE] = 3, [OP_VMO_CACHE_POLICY] = 1, [OP_VMAR_ROOT] = 1,
	[OP_VMAR_MAP] = 4, [OP_GET_PROPERTY] = 1, [OP_SET_PROPERTY] = 1,
	[OP_RAW] = 2,
};

/* ---- buffers ---- */

/* R_O0..R_O2: the out-pointers of the ioctl structs, in their order */
enum role { R_ARG, R_WB, R_WH, R_RB, R_RH, R_AUX, R_O0, R_O1, R_O2, NROLES };
static const char *const role_name[NROLES] = {
	"arg", "bytes", "handles", "rd_bytes", "rd_handles", "aux",
	"out0", "out1", "out2",
};
static const size_t role_size[NROLES] = {
	PAGE, 17 * PAGE, 4 * PAGE, 17 * PAGE, PAGE, PAGE, PAGE, PAGE, PAGE,
};

enum bufkind {
	BK_VALID, BK_MISALIGNED, BK_RO, BK_EDGE, BK_NONE, BK_NULL, BK_KERNEL,
	BK_NONCANON, NBK
};
static const char *const bk_name[NBK] = {
	"valid", "misaligned", "read-only", "straddling", "PROT_NONE", "NULL",
	"kernel", "non-canonical",
};

/* What one thread is doing, for reports (shared with the parent). */
struct lastcall {
	_Atomic uint64_t start;		/* ns; 0 when not in an ioctl */
	int op, fd, table, gen, tid;
	unsigned long cmd, arg;
	uint64_t n;			/* the thread's ioctl count */
	uint32_t len;
	unsigned char a[96];		/* the arg struct as passed */
	signed char bk[NROLES];		/* buffer kinds, -1 if unused */
} __attribute__((aligned(64)));

struct shared {
	uint64_t seed, budget;
	bool vmo_capped;		/* max_user_vmo_pages is VMO_CAP_PAGES */
	_Atomic uint64_t calls, child_calls;
	_Atomic int stop, failed, done;
	_Atomic uint64_t forks, kills, child_exits;
	_Atomic uint64_t kill_ns;	/* when the current child was killed */
	char failmsg[4096];
	struct lastcall last[NSLOTS];
	_Atomic uint64_t stats[NOPS][NERR];
	struct pool pool[2];		/* the parent's tables */
};

struct ctx {
	struct shared *sh;
	uint64_t rng;
	uint64_t n;
	int tid, gen;			/* gen: child number, -1 in the parent */
	struct table *tabs[2];		/* [0] mostly; handles move between them */
	int devnull;
	unsigned char *rw;		/* valid buffers, one area per role */
	unsigned char *shrw, *ro;	/* one shared area, mapped RW and RO */
	unsigned char *edge;		/* per role: a RW page, a PROT_NONE page */
	unsigned char *none;		/* PROT_NONE */
	unsigned char *loc[NROLES];	/* where the last placement reads back */
	size_t lim[NROLES];		/* and how many bytes of it are ours */
	signed char bk[NROLES];
	int sigfd[4];
	int nsigfd;
	struct {			/* recent async waits, for port_cancel */
		struct table *t;
		uint32_t port, handle;
		uint64_t key;
	} aw[8];
	struct lastcall *last;
	bool argback;			/* the arg struct was read back */
	unsigned char *slots;		/* MAP_SLOTS reserved ranges, PROT_NONE */
	bool slot_lost[MAP_SLOTS];	/* a hole someone else's mapping took */
	unsigned char mincore_vec[SLOT_PAGES];
	uint64_t vmar_base, vmar_len;	/* the root VMAR's range, once known */
};

static size_t role_off(int r)
{
	size_t off = 0;
	int i;

	for (i = 0; i < r; i++)
		off += role_size[i];
	return off;
}

static size_t roles_total(void)
{
	return role_off(NROLES);
}

/* ---- randomness ---- */

static uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t rnd(struct ctx *c)
{
	c->rng ^= c->rng >> 12;
	c->rng ^= c->rng << 25;
	c->rng ^= c->rng >> 27;
	return c->rng * 0x2545f4914f6cdd1dULL;
}

static uint32_t below(struct ctx *c, uint32_t n)
{
	return (uint32_t)(((rnd(c) >> 32) * (uint64_t)n) >> 32);
}

static bool chance(struct ctx *c, unsigned int pct)
{
	return below(c, 100) < pct;
}

/* 0 mostly; with @pct % chance something that is not 0. */
static uint32_t odd_u32(struct ctx *c, unsigned int pct)
{
	static const uint32_t v[] = { 1, 2, 0x80, 0x80000000u, 0xffffffffu };

	if (!chance(c, pct))
		return 0;
	return chance(c, 50) ? v[below(c, 5)] : (uint32_t)rnd(c) | 1;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Never MXCHAN_TIME_INFINITE, never more than a millisecond ahead. */
static uint64_t pick_deadline(struct ctx *c, unsigned int long_pct)
{
	uint32_t r = below(c, 100);

	if (r < long_pct)
		return now_ns() + 1000ULL * (50 + below(c, 950));
	if (r < 40)
		return 0;
	if (r < 50)
		return 1;
	if (r < 90)
		return now_ns() + 1000ULL * (1 + below(c, 20));
	return now_ns() - below(c, 1000000000u);
}

static uint32_t pick_len(struct ctx *c)
{
	static const uint32_t edge[] = {
		0, 1, 3, 4, 8, 47, 48, 49, 64, 65, 1024, 1025, 4096,
		65535, 65536, 65537, 0x7fffffffu, 0x80000000u, 0xffffffffu,
	};
	uint32_t r = below(c, 100);

	if (r < 70)
		return below(c, 65);
	if (r < 82)
		return below(c, 4097);
	return edge[below(c, sizeof(edge) / sizeof(edge[0]))];
}

static uint32_t pick_count(struct ctx *c, uint32_t max)
{
	static const uint32_t edge[] = {
		0, 1, 2, 63, 64, 65, 1023, 1024, 1025, 65536, 0x80000000u,
		0xffffffffu,
	};
	uint32_t r = below(c, 100);

	if (r < 60)
		return below(c, 4);
	if (r < 85)
		return below(c, max + 1);
	return edge[below(c, sizeof(edge) / sizeof(edge[0]))];
}

static uint32_t pick_signals(struct ctx *c)
{
	static const uint32_t v[] = {
		MXCHAN_SIGNAL_READABLE, MXCHAN_SIGNAL_WRITABLE,
		MXCHAN_SIGNAL_PEER_CLOSED, MXCHAN_SIGNAL_SIGNALED,
		MXCHAN_SIGNAL_LAST_HANDLE, MXCHAN_SIGNAL_HANDLE_CLOSED,
		0x01000000u, 0x80000000u, MXCHAN_SIGNAL_USER_ALL,
	};
	uint32_t s = 0;
	int i, n = 1 + (int)below(c, 3);

	if (chance(c, 5))
		return (uint32_t)rnd(c);
	if (chance(c, 3))
		return 0;
	for (i = 0; i < n; i++)
		s |= v[below(c, sizeof(v) / sizeof(v[0]))];
	return s;
}

/* A mask for object_signal: mostly user signals and SIGNALED. */
static uint32_t pick_mask(struct ctx *c)
{
	uint32_t r = below(c, 100);

	if (r < 30)
		return 0;
	if (r < 60)
		return 1u << (24 + below(c, 8));
	if (r < 75)
		return MXCHAN_SIGNAL_SIGNALED;
	if (r < 85)
		return MXCHAN_SIGNAL_USER_ALL | MXCHAN_SIGNAL_SIGNALED;
	if (r < 95)
		return 1u << below(c, 32);
	return (uint32_t)rnd(c);
}

static uint32_t pick_rights(struct ctx *c)
{
	static const uint32_t bits[] = {
		MXCHAN_RIGHT_DUPLICATE, MXCHAN_RIGHT_TRANSFER, MXCHAN_RIGHT_READ,
		MXCHAN_RIGHT_WRITE, MXCHAN_RIGHT_SIGNAL, MXCHAN_RIGHT_SIGNAL_PEER,
		MXCHAN_RIGHT_EXECUTE, MXCHAN_RIGHT_MAP,
		MXCHAN_RIGHT_GET_PROPERTY, MXCHAN_RIGHT_SET_PROPERTY,
	};
	uint32_t r = below(c, 100), v = 0;
	int i;

	if (r < 60)
		return MXCHAN_RIGHT_SAME_RIGHTS;
	if (r < 90) {
		for (i = 0; i < (int)(sizeof(bits) / sizeof(bits[0])); i++)
			if (chance(c, 50))
				v |= bits[i];
		return v;
	}
	return (uint32_t)rnd(c);
}

static uint64_t pick_key(struct ctx *c)
{
	return chance(c, 95) ? below(c, 8) : rnd(c);
}

/* ---- errnos ---- */

static bool errno_known(int e)
{
	switch (e) {
#define MXCHAN_ERRNO(status, err) case err:
#include <linux/mxchan-errno.h>
#undef MXCHAN_ERRNO
		return true;
	}
	return false;
}

static const char *errno_name(int e)
{
	static __thread char buf[16];

	switch (e) {
	case 0:
		return "OK";
#define MXCHAN_ERRNO(status, err) case err: return #err;
#include <linux/mxchan-errno.h>
#undef MXCHAN_ERRNO
	case EINTR:
		return "EINTR";
	case EFAULT:
		return "EFAULT";
	}
	snprintf(buf, sizeof(buf), "errno %d", e);
	return buf;
}

/* ---- failure reports ---- */

static int describe(const struct lastcall *l, char *buf, size_t size)
{
	const char *p = ops[l->op].layout;
	int n, i;
	size_t off = 0;

	if (l->gen >= 0)
		n = snprintf(buf, size, "child %d thread %d", l->gen, l->tid);
	else
		n = snprintf(buf, size, "parent thread %d", l->tid);
	if (n >= 0 && (size_t)n < size)
		n += snprintf(buf + n, size - (size_t)n,
			      " ioctl #%" PRIu64 ": %s on table T%d (fd %d), cmd 0x%lx, arg 0x%lx",
			      l->n, ops[l->op].name, l->table, l->fd, l->cmd, l->arg);
	if (n < 0)
		return 0;
	off = (size_t)n < size ? (size_t)n : size;
	if (l->bk[R_ARG] >= 0 && off < size)
		off += (size_t)snprintf(buf + off, size - off, " (%s)",
					bk_name[(int)l->bk[R_ARG]]);
	if (*p && off < size)
		off += (size_t)snprintf(buf + off, size - off, " {");
	for (i = 0; *p && off < size;) {
		char name[32];
		int sz, len = 0;
		uint64_t v = 0;

		if (sscanf(p, "%31[^:]:%d%n", name, &sz, &len) != 2)
			break;
		p += len;
		while (*p == ' ')
			p++;
		if ((size_t)i + (size_t)sz > l->len)
			break;
		memcpy(&v, l->a + i, (size_t)sz);
		i += sz;
		off += (size_t)snprintf(buf + off, size - off, "%s%s=0x%" PRIx64,
					i == sz ? "" : " ", name, v);
	}
	if (*ops[l->op].layout && off < size)
		off += (size_t)snprintf(buf + off, size - off, "}");
	for (i = 1; i < NROLES && off < size; i++)
		if (l->bk[i] >= 0)
			off += (size_t)snprintf(buf + off, size - off, " %s:%s",
						role_name[i], bk_name[(int)l->bk[i]]);
	return (int)off;
}

static void fail(struct ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fail(struct ctx *c, const char *fmt, ...)
{
	struct shared *sh = c->sh;
	char msg[sizeof(sh->failmsg)];
	int expected = 0;
	va_list ap;
	size_t off;

	va_start(ap, fmt);
	off = (size_t)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (off < sizeof(msg))
		off += (size_t)snprintf(msg + off, sizeof(msg) - off,
					"\n#   seed %" PRIu64 ", last call: ",
					sh->seed);
	if (off < sizeof(msg))
		describe(c->last, msg + off, sizeof(msg) - off);
	if (atomic_compare_exchange_strong(&sh->failed, &expected, 1)) {
		memcpy(sh->failmsg, msg, sizeof(msg));
		sh->failmsg[sizeof(sh->failmsg) - 1] = 0;
	}
	atomic_store(&sh->stop, 1);
	dprintf(2, "# fuzz FAILURE: %s\n", msg);
}

/* ---- the ioctl ---- */

/* One ioctl, checked; returns 0 or -errno. */
static int fz_ioctl(struct ctx *c, int op, struct table *t, unsigned long cmd,
		    unsigned long arg, const void *a, size_t len)
{
	struct lastcall *l = c->last;
	int r, e;

	l->op = op;
	l->fd = t->fd;
	l->table = t->id;
	l->cmd = cmd;
	l->arg = arg;
	l->n = ++c->n;
	l->len = len < sizeof(l->a) ? (uint32_t)len : (uint32_t)sizeof(l->a);
	if (a)
		memcpy(l->a, a, l->len);
	memcpy(l->bk, c->bk, sizeof(l->bk));
	atomic_store_explicit(&l->start, now_ns(), memory_order_relaxed);
	r = ioctl(t->fd, cmd, arg);
	e = r < 0 ? errno : 0;
	atomic_store_explicit(&l->start, 0, memory_order_relaxed);
	atomic_fetch_add_explicit(&c->sh->calls, 1, memory_order_relaxed);
	if (c->gen >= 0)
		atomic_fetch_add_explicit(&c->sh->child_calls, 1,
					  memory_order_relaxed);
	atomic_fetch_add_explicit(&c->sh->stats[op][e < NERR - 1 ? e : NERR - 1],
				  1, memory_order_relaxed);
	if (r > 0)
		fail(c, "ioctl returned %d", r);
	else if (r < 0 && op == OP_RAW && e != ENOTTY)
		fail(c, "unknown command gave %s, not ENOTTY", errno_name(e));
	else if (r < 0 && (!errno_known(e) || e == EINTR))
		fail(c, "%s: errno %s is not one of mxchan-errno.h",
		     ops[op].name, errno_name(e));
	return -e;
}

static void reset_bk(struct ctx *c)
{
	memset(c->bk, -1, sizeof(c->bk));
	memset(c->loc, 0, sizeof(c->loc));
	memset(c->lim, 0, sizeof(c->lim));
}

/* The last placement in @role, if @need bytes of it can be read back. */
static const unsigned char *readable(struct ctx *c, int role, size_t need)
{
	return c->loc[role] && c->lim[role] >= need ? c->loc[role] : NULL;
}

static int arg_kind(struct ctx *c)
{
	uint32_t r = below(c, 100);

	if (r < 82)
		return BK_VALID;
	if (r < 87)
		return BK_MISALIGNED;
	if (r < 92)
		return BK_RO;
	return BK_EDGE + (int)below(c, NBK - BK_EDGE);
}

static int buf_kind(struct ctx *c)
{
	uint32_t r = below(c, 100);

	if (r < 72)
		return BK_VALID;
	if (r < 78)
		return BK_MISALIGNED;
	if (r < 84)
		return BK_RO;
	return BK_EDGE + (int)below(c, NBK - BK_EDGE);
}

/*
 * A user pointer to a buffer of kind @kind in @role's area, holding the
 * first @srclen bytes of @src where it can; @len is the size the call
 * will use (a straddling buffer crosses into PROT_NONE before @len).
 * c->loc[role] and c->lim[role]: where it reads back, and how far.
 */
static uint64_t place(struct ctx *c, int role, int kind, const void *src,
		      size_t srclen, uint64_t len)
{
	size_t off = role_off(role), cap = role_size[role] - 8;
	unsigned char *p = NULL;
	uint64_t addr = 0;

	if (srclen > cap)
		srclen = cap;
	switch (kind) {
	case BK_VALID:
		p = c->rw + off;
		addr = (uintptr_t)p;
		c->loc[role] = p;
		c->lim[role] = cap;
		break;
	case BK_MISALIGNED:
		p = c->rw + off + 1 + below(c, 7);
		addr = (uintptr_t)p;
		c->loc[role] = p;
		c->lim[role] = cap;
		break;
	case BK_RO: {
		size_t mis = chance(c, 20) ? 1 + below(c, 7) : 0;

		p = c->shrw + off + mis;
		addr = (uintptr_t)(c->ro + off + mis);
		break;
	}
	case BK_EDGE: {
		unsigned char *end = c->edge + (2 * role + 1) * PAGE;
		uint64_t k = len ? below(c, len < PAGE ? (uint32_t)len : PAGE) : 0;

		p = end - k;
		addr = (uintptr_t)p;
		c->loc[role] = p;
		c->lim[role] = (size_t)k;	/* the kernel may use less than @len */
		if (srclen > k)
			srclen = (size_t)k;
		break;
	}
	case BK_NONE:
		addr = (uintptr_t)(c->none + below(c, 8 * PAGE));
		break;
	case BK_NULL:
		addr = chance(c, 80) ? 0 : below(c, PAGE);
		break;
	case BK_KERNEL:
		addr = chance(c, 50) ? 0xffff888000000000ULL + (rnd(c) & 0xfffff000ULL) :
		       0xffffffff81000000ULL + below(c, 1u << 24);
		break;
	case BK_NONCANON:
		addr = chance(c, 50) ? 0x0000800000000000ULL - below(c, 64) :
		       0x8000000000000000ULL | (rnd(c) >> 2);
		break;
	}
	if (p && src && srclen)
		memcpy(p, src, srclen);
	c->bk[role] = (signed char)kind;
	return addr;
}

/*
 * Place the arg struct @a (@len bytes), issue @cmd, read @a back. Sets
 * c->argback when the struct was in readable user memory (valid kinds).
 * The kernel only reads the struct of an _IOW command: it must come back
 * unchanged.
 */
static int do_call(struct ctx *c, int op, struct table *t, unsigned long cmd,
		   void *a, size_t len)
{
	int kind = arg_kind(c);
	uint64_t addr = place(c, R_ARG, kind, a, len, len);
	int r = fz_ioctl(c, op, t, cmd, (unsigned long)addr, a, len);

	c->argback = readable(c, R_ARG, len) != NULL;
	if (!c->argback)
		return r;
	if (_IOC_DIR(cmd) == _IOC_WRITE && memcmp(a, c->loc[R_ARG], len))
		fail(c, "%s (_IOW) wrote its arg struct", ops[op].name);
	memcpy(a, c->loc[R_ARG], len);
	return r;
}

/* An op that writes its results into the arg cannot succeed without it. */
static void check_argback(struct ctx *c, int r, const char *what)
{
	if (!r && !c->argback)
		fail(c, "%s succeeded with a %s arg struct", what,
		     bk_name[(int)c->bk[R_ARG]]);
}

/* Out-pointers: mostly valid, else any kind of the pool but valid. */
static int out_kind(struct ctx *c)
{
	uint32_t r = below(c, 100);

	if (r < 85)
		return BK_VALID;
	if (r < 90)
		return BK_MISALIGNED;
	r = below(c, NBK - BK_EDGE + 1);
	return r ? BK_EDGE + (int)r - 1 : BK_RO;
}

/*
 * An out-pointer in @role for @size bytes (a straddling one crosses into
 * PROT_NONE within them), its memory filled with 0xa5 where it is ours.
 */
static uint64_t place_out(struct ctx *c, int role, size_t size)
{
	uint64_t addr = place(c, role, out_kind(c), NULL, 0, size);

	if (readable(c, role, size))
		memset(c->loc[role], 0xa5, size);
	return addr;
}

/*
 * A call that wrote a result through @role's pointer @addr: it could only
 * if that is writable memory, or 0 where 0 is allowed (@may_be_0, and
 * then nothing was written). Returns where the result is, or NULL.
 */
static const void *out_result(struct ctx *c, int role, uint64_t addr,
			      size_t size, bool may_be_0, const char *what)
{
	const unsigned char *p = readable(c, role, size);

	if (!p && !(may_be_0 && !addr))
		fail(c, "%s wrote through a %s %s pointer 0x%" PRIx64, what,
		     bk_name[(int)c->bk[role]], role_name[role], addr);
	return p;
}

static uint32_t out_u32(const void *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* A call that looks a handle up cannot succeed on one that names nothing. */
static void check_bad(struct ctx *c, int r, bool bad, uint32_t v,
		      const char *what)
{
	if (!r && bad && v)
		fail(c, "%s succeeded on handle 0x%x, which names nothing",
		     what, v);
}

/* ... nor with one handle twice in a list that moves handles. */
static void check_twice(struct ctx *c, const uint32_t *v, uint32_t n,
			const char *what)
{
	uint32_t i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			if (v[i] == v[j])
				fail(c, "%s succeeded with handle 0x%x twice",
				     what, v[i]);
}

/* ---- pools ---- */

static void stale_push(struct pool *p, uint32_t v)
{
	uint32_t i = atomic_fetch_add_explicit(&p->stale_next, 1,
					       memory_order_relaxed);

	atomic_store_explicit(&p->stale[i % STALE_SLOTS], v, memory_order_relaxed);
}

static uint32_t stale_pick(struct ctx *c, struct pool *p)
{
	return atomic_load_explicit(&p->stale[below(c, STALE_SLOTS)],
				    memory_order_relaxed);
}

/* A pooled entry, of kind @want if one is found quickly; 0 if none. */
static uint64_t pool_get(struct ctx *c, struct pool *p, int want, int *idx)
{
	uint64_t first = 0;
	int i, fi = -1;

	for (i = 0; i < 8; i++) {
		int j = (int)below(c, POOL_SLOTS);
		uint64_t e = atomic_load_explicit(&p->slot[j], memory_order_relaxed);

		if (!e)
			continue;
		if (!want || E_KIND(e) == want) {
			*idx = j;
			return e;
		}
		if (!first) {
			first = e;
			fi = j;
		}
	}
	*idx = fi;
	return first;
}

/* The value left the table (closed, sent, replaced, moved). */
static void pool_forget(struct pool *p, int idx, uint64_t e)
{
	uint64_t expected = e;

	if (idx >= 0)
		atomic_compare_exchange_strong(&p->slot[idx], &expected, 0);
	stale_push(p, E_VAL(e));
}

static int close_value(struct ctx *c, struct table *t, uint64_t arg)
{
	reset_bk(c);
	return fz_ioctl(c, OP_HANDLE_CLOSE, t, MXCHAN_IOC_HANDLE_CLOSE,
			(unsigned long)arg, NULL, 0);
}

/* Pool a new value; the entry it evicts is closed. */
static void pool_add(struct ctx *c, struct table *t, uint64_t e)
{
	struct pool *p = t->pool;
	int j = (int)below(c, POOL_SLOTS);
	uint64_t old = atomic_exchange(&p->slot[j], e);

	if (old && !close_value(c, t, E_VAL(old)))
		stale_push(p, E_VAL(old));
}

static int type_kind(uint32_t type)
{
	switch (type) {
	case MXCHAN_OBJ_TYPE_CHANNEL:
		return K_CHANNEL;
	case MXCHAN_OBJ_TYPE_EVENT:
		return K_EVENT;
	case MXCHAN_OBJ_TYPE_EVENT_PAIR:
		return K_EVENTPAIR;
	case MXCHAN_OBJ_TYPE_PORT:
		return K_PORT;
	case MXCHAN_OBJ_TYPE_FIFO:
		return K_FIFO;
	case MXCHAN_OBJ_TYPE_SOCKET:
		return K_SOCKET;
	case MXCHAN_OBJ_TYPE_VMO:
		return K_VMO;
	case MXCHAN_OBJ_TYPE_VMAR:
		return K_VMAR;
	}
	return K_UNKNOWN;
}

/* HANDLE_BASIC of @v with valid buffers; false if it failed. */
static bool basic_info(struct ctx *c, struct table *t, uint32_t v,
		       struct mxchan_info_handle_basic *rec)
{
	struct mxchan_object_get_info a = {
		.handle = v, .topic = MXCHAN_INFO_HANDLE_BASIC,
		.buffer_size = sizeof(*rec),
	};
	unsigned char *aux = c->rw + role_off(R_AUX);
	unsigned char *arg = c->rw + role_off(R_ARG);
	int r;

	reset_bk(c);
	a.buffer = (uintptr_t)aux;
	c->bk[R_ARG] = BK_VALID;
	c->bk[R_AUX] = BK_VALID;
	memcpy(arg, &a, sizeof(a));
	r = fz_ioctl(c, OP_GET_INFO, t, MXCHAN_IOC_OBJECT_GET_INFO,
		     (unsigned long)(uintptr_t)arg, &a, sizeof(a));
	if (r)
		return false;
	memcpy(rec, aux, sizeof(*rec));
	return true;
}

/* Pool a value this table just got, learning its type. */
static void pool_add_new(struct ctx *c, struct table *t, uint32_t v)
{
	struct mxchan_info_handle_basic rec;
	if ((int32_t)v <= 0 || !(v & 1)) {
		fail(c, "new handle value 0x%x is not odd and positive", v);
		return;
	}
	if (!basic_info(c, t, v, &rec)) {
		/* another thread closed or sent it already */
		return;
	}
	pool_add(c, t, ENTRY(v, type_kind(rec.type)));
}

/* ---- handle arguments ---- */

struct pick {
	uint32_t v;
	uint64_t e;	/* the pool entry, 0 if not from the pool */
	int idx;
	bool bad;	/* certainly names nothing in this table */
};

static struct table *other_table(struct ctx *c, struct table *t)
{
	return c->tabs[0] == t ? c->tabs[1] : c->tabs[0];
}

static void pick_bad(struct ctx *c, struct table *t, struct pick *pk)
{
	pk->e = 0;
	pk->idx = -1;
	pk->bad = true;
	switch (below(c, 6)) {
	case 0:
		pk->v = 0;
		break;
	case 1:
		pk->v = (uint32_t)rnd(c) & ~1u;		/* even */
		break;
	case 2:
		pk->v = 0x80000000u | (uint32_t)rnd(c);	/* negative */
		break;
	case 3:
		pk->v = 0xffffffffu;
		break;
	default:
		pk->v = stale_pick(c, t->pool);
		break;
	}
}

/* Any handle argument: mostly pooled (of kind @want), sometimes not. */
static void pick_handle(struct ctx *c, struct table *t, int want,
			struct pick *pk)
{
	uint32_t r = below(c, 100);

	pk->bad = false;
	pk->idx = -1;
	pk->e = 0;
	if (r < 80) {
		pk->e = pool_get(c, t->pool, chance(c, 90) ? want : 0, &pk->idx);
		if (pk->e) {
			pk->v = E_VAL(pk->e);
			return;
		}
	}
	if (r >= 80 && r < 85) {
		pk->v = ((uint32_t)rnd(c) | 1) & 0x7fffffffu;	/* random odd */
		return;
	}
	if (r >= 85 && r < 90) {
		uint64_t e = pool_get(c, other_table(c, t)->pool, want, &pk->idx);

		pk->idx = -1;
		pk->v = e ? E_VAL(e) : 1;			/* foreign */
		return;
	}
	pick_bad(c, t, pk);
}

/*
 * Fill @vals with @n values to send through @ch; @n is at most 66. Any
 * handle at all, @ch's peer too (into its own queue: a ring), and now and
 * then @ch itself (NOT_SUPPORTED).
 */
static void pick_payload_handles(struct ctx *c, struct table *t,
				 const struct pick *ch, uint32_t n,
				 uint32_t *vals, struct pick *pks)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		if (i && chance(c, 3)) {
			pks[i] = pks[below(c, i)];	/* twice: INVALID_ARGS */
			pks[i].idx = -1;
		} else if (chance(c, 2)) {
			pks[i] = *ch;
			pks[i].idx = -1;
			pks[i].e = 0;
		} else {
			pick_handle(c, t, 0, &pks[i]);
		}
		vals[i] = pks[i].v;
	}
}

static uint32_t pick_txid(struct ctx *c)
{
	return chance(c, 90) ? 1 + below(c, 4) : (uint32_t)rnd(c);
}

/* ---- the operations ---- */

static void op_version(struct ctx *c, struct table *t)
{
	struct mxchan_version a;
	int r;

	memset(&a, 0xa5, sizeof(a));
	r = do_call(c, OP_VERSION, t, MXCHAN_IOC_VERSION, &a, sizeof(a));
	check_argback(c, r, "version");
	if (!r && c->argback && (a.abi_version != MXCHAN_ABI_VERSION || a.reserved))
		fail(c, "version: abi %u reserved %u", a.abi_version, a.reserved);
}

static void check_new_values(struct ctx *c, const uint32_t *v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if ((int32_t)v[i] <= 0 || !(v[i] & 1))
			fail(c, "new handle value 0x%x is not odd and positive",
			     v[i]);
	if (n == 2 && v[0] == v[1])
		fail(c, "both new handles are 0x%x", v[0]);
}

/*
 * The new handle values a create wrote through @n out-pointers (R_O0,
 * R_O1): false, after a failure report, if one could not have been.
 */
static bool created(struct ctx *c, const uint64_t *outs, int n, uint32_t *v,
		    const char *what)
{
	const void *p;
	int i;

	for (i = 0; i < n; i++) {
		p = out_result(c, R_O0 + i, outs[i], sizeof(uint32_t), false,
			       what);
		if (!p)
			return false;
		v[i] = out_u32(p);
	}
	check_new_values(c, v, n);
	return true;
}

static void op_channel_create(struct ctx *c, struct table *t)
{
	struct mxchan_channel_create a = {
		.options = odd_u32(c, 3), .reserved = odd_u32(c, 3),
	};
	struct mxchan_info_handle_basic rec;
	uint32_t v[2];
	int r;

	a.out0 = place_out(c, R_O0, sizeof(uint32_t));
	a.out1 = place_out(c, R_O1, sizeof(uint32_t));
	r = do_call(c, OP_CHANNEL_CREATE, t, MXCHAN_IOC_CHANNEL_CREATE, &a,
		    sizeof(a));
	if (r || !created(c, (uint64_t[]){ a.out0, a.out1 }, 2, v,
			  "channel_create"))
		return;
	if (basic_info(c, t, v[0], &rec) &&
	    rec.type != MXCHAN_OBJ_TYPE_CHANNEL)
		fail(c, "a new channel end has type %u", rec.type);
	{
		struct pool *p = t->pool;
		uint32_t i = atomic_fetch_add(&p->pair_next, 1) % PAIRS;

		atomic_store(&p->pair[i][0], ENTRY(v[0], K_CHANNEL));
		atomic_store(&p->pair[i][1], ENTRY(v[1], K_CHANNEL));
	}
	pool_add(c, t, ENTRY(v[0], K_CHANNEL));
	pool_add(c, t, ENTRY(v[1], K_CHANNEL));
}

static void op_eventpair_create(struct ctx *c, struct table *t)
{
	struct mxchan_eventpair_create a = {
		.options = odd_u32(c, 3), .reserved = odd_u32(c, 3),
	};
	uint32_t v[2];
	int r;

	a.out0 = place_out(c, R_O0, sizeof(uint32_t));
	a.out1 = place_out(c, R_O1, sizeof(uint32_t));
	r = do_call(c, OP_EVENTPAIR_CREATE, t, MXCHAN_IOC_EVENTPAIR_CREATE, &a,
		    sizeof(a));
	if (r || !created(c, (uint64_t[]){ a.out0, a.out1 }, 2, v,
			  "eventpair_create"))
		return;
	pool_add(c, t, ENTRY(v[0], K_EVENTPAIR));
	pool_add(c, t, ENTRY(v[1], K_EVENTPAIR));
}

static void op_event_create(struct ctx *c, struct table *t)
{
	struct mxchan_event_create a = {
		.options = odd_u32(c, 3), .reserved = odd_u32(c, 3),
	};
	uint32_t v;
	int r;

	a.out = place_out(c, R_O0, sizeof(uint32_t));
	r = do_call(c, OP_EVENT_CREATE, t, MXCHAN_IOC_EVENT_CREATE, &a, sizeof(a));
	if (r || !created(c, (uint64_t[]){ a.out }, 1, &v, "event_create"))
		return;
	pool_add(c, t, ENTRY(v, K_EVENT));
}

static void op_port_create(struct ctx *c, struct table *t)
{
	struct mxchan_port_create a = {
		.options = odd_u32(c, 3), .reserved = odd_u32(c, 3),
	};
	uint32_t v;
	int r;

	a.out = place_out(c, R_O0, sizeof(uint32_t));
	r = do_call(c, OP_PORT_CREATE, t, MXCHAN_IOC_PORT_CREATE, &a, sizeof(a));
	if (r || !created(c, (uint64_t[]){ a.out }, 1, &v, "port_create"))
		return;
	pool_add(c, t, ENTRY(v, K_PORT));
}

/* Sent handles are gone from the table; a bad one cannot have been sent. */
static void sent(struct ctx *c, struct table *t, const struct pick *pks,
		 uint32_t n, int hkind, const char *what)
{
	uint32_t i;

	if (n && hkind != BK_VALID && hkind != BK_MISALIGNED && hkind != BK_RO) {
		fail(c, "%s took %u handles from a %s buffer", what, n,
		     bk_name[hkind]);
		return;
	}
	for (i = 0; i < n; i++) {
		uint32_t j;

		for (j = 0; j < i; j++)
			if (pks[j].v == pks[i].v)
				fail(c, "%s sent handle 0x%x twice", what, pks[i].v);
		if (pks[i].bad)
			fail(c, "%s sent handle %u (0x%x), which names nothing",
			     what, i, pks[i].v);
		else if (pks[i].e)
			pool_forget(t->pool, pks[i].idx, pks[i].e);
	}
}

static void write_msg(struct ctx *c, struct table *t, const struct pick *ch,
		      uint32_t txid)
{
	struct mxchan_channel_write a = {
		.handle = ch->v, .options = odd_u32(c, 2),
	};
	uint32_t vals[66], head[4], n;
	struct pick pks[66];
	int r, hkind;

	reset_bk(c);
	a.num_bytes = pick_len(c);
	a.num_handles = chance(c, 60) ? below(c, 3) : pick_count(c, 64);
	n = a.num_handles < 66 ? a.num_handles : 66;
	pick_payload_handles(c, t, ch, n, vals, pks);
	head[0] = txid;
	head[1] = (uint32_t)rnd(c);
	head[2] = c->tid;
	head[3] = (uint32_t)c->n;
	a.bytes = place(c, R_WB, buf_kind(c), head,
			a.num_bytes < sizeof(head) ? a.num_bytes : sizeof(head),
			a.num_bytes);
	hkind = buf_kind(c);
	a.handles = place(c, R_WH, hkind, vals, n * 4, (uint64_t)a.num_handles * 4);
	r = do_call(c, OP_CHANNEL_WRITE, t, MXCHAN_IOC_CHANNEL_WRITE, &a, sizeof(a));
	check_bad(c, r, ch->bad, ch->v, "channel_write");
	if (!r)
		sent(c, t, pks, n, hkind, "channel_write");
	for (uint32_t i = 0; !r && i < n; i++)
		if (vals[i] == ch->v)
			fail(c, "channel_write sent 0x%x through itself", ch->v);
}

/* Bursts fill queues up to their (sometimes lowered) limits. */
static uint32_t burst(struct ctx *c)
{
	return chance(c, 15) ? 2 + below(c, 7) : 1;
}

static void op_channel_write(struct ctx *c, struct table *t)
{
	uint32_t n = burst(c);
	struct pick ch;

	pick_handle(c, t, K_CHANNEL, &ch);
	while (n--)
		write_msg(c, t, &ch, chance(c, 50) ? pick_txid(c) : (uint32_t)rnd(c));
}

/* Pool the handles a read or a call got, from the R_RH buffer. */
static void received(struct ctx *c, struct table *t, uint32_t nh,
		     uint32_t cap, const char *what)
{
	uint32_t v[MXCHAN_MAX_MSG_HANDLES], i;
	const unsigned char *loc;

	if (nh > MXCHAN_MAX_MSG_HANDLES || nh > cap) {
		fail(c, "%s: %u handles (capacity %u)", what, nh, cap);
		return;
	}
	if (!nh)
		return;
	loc = readable(c, R_RH, nh * sizeof(uint32_t));
	if (!loc) {
		fail(c, "%s: %u handles written to a %s buffer", what, nh,
		     bk_name[(int)c->bk[R_RH]]);
		return;
	}
	memcpy(v, loc, nh * sizeof(uint32_t));
	for (i = 0; i < nh; i++)
		pool_add_new(c, t, v[i]);
}

/*
 * What a read (@what) with these capacities and size pointers wrote, for
 * result @r: pool the handles it got, and maybe answer the message as a
 * server would, @answer_pct times in 100.
 */
static void read_done(struct ctx *c, struct table *t, const struct pick *ch,
		      int r, uint32_t num_bytes, uint32_t num_handles,
		      uint64_t actual_bytes, uint64_t actual_handles,
		      unsigned int answer_pct, const char *what)
{
	uint32_t txid = 0, nb, nh, cap = num_handles < 64 ? num_handles : 64;
	const unsigned char *rb, *pb, *ph;

	check_bad(c, r, ch->bad, ch->v, what);
	if (r && r != -EMSGSIZE)
		return;
	/* written on success and on EMSGSIZE alike */
	pb = out_result(c, R_O0, actual_bytes, 4, true, what);
	ph = out_result(c, R_O1, actual_handles, 4, true, what);
	if (r)
		return;
	nb = pb ? out_u32(pb) : 0;
	if (nb > num_bytes || nb > MXCHAN_MAX_MSG_BYTES) {
		fail(c, "%s: %u bytes (capacity %u)", what, nb, num_bytes);
		return;
	}
	rb = readable(c, R_RB, nb);
	if (nb && !rb) {
		fail(c, "%s: %u bytes written to a %s buffer", what, nb,
		     bk_name[(int)c->bk[R_RB]]);
		return;
	}
	if (nb >= 4)
		memcpy(&txid, rb, 4);
	if (ph) {
		nh = out_u32(ph);
	} else if (readable(c, R_RH, cap * 4)) {
		/* handle values are never 0 */
		for (nh = 0; nh < cap && out_u32(c->loc[R_RH] + nh * 4); nh++)
			;
	} else {
		nh = 0;		/* a success wrote none to such a buffer */
	}
	received(c, t, nh, num_handles, what);
	/* answer it like a server: a call on the other end may be waiting */
	if (pb && nb >= 4 && chance(c, answer_pct))
		write_msg(c, t, ch, txid);
}

static void op_channel_read(struct ctx *c, struct table *t)
{
	struct mxchan_channel_read a;
	struct pick ch;
	uint64_t hint;
	uint32_t cap;
	int r;

	hint = chance(c, 50) ? atomic_exchange(&t->pool->callhint, 0) : 0;
	if (hint) {
		/* serve a call: read its request and answer it, below */
		ch.v = E_VAL(hint);
		ch.e = hint;
		ch.idx = -1;
		ch.bad = false;
		a.options = 0;
		a.num_bytes = 65536;
		a.num_handles = 64;
		a.bytes = place(c, R_RB, BK_VALID, NULL, 0, a.num_bytes);
		a.handles = place(c, R_RH, BK_VALID, NULL, 0, 256);
	} else {
		pick_handle(c, t, K_CHANNEL, &ch);
		a.options = chance(c, 30) ? MXCHAN_READ_MAY_DISCARD : odd_u32(c, 5);
		a.num_bytes = chance(c, 70) ? 65536 : pick_len(c);
		a.num_handles = chance(c, 70) ? 64 : pick_count(c, 64);
		a.bytes = place(c, R_RB, buf_kind(c), NULL, 0, a.num_bytes);
		a.handles = place(c, R_RH, buf_kind(c), NULL, 0,
				  (uint64_t)a.num_handles * 4);
	}
	a.handle = ch.v;
	/* the sizes may go unwritten (0); then the handles show by value */
	cap = a.num_handles < 64 ? a.num_handles : 64;
	if (readable(c, R_RH, cap * 4))
		memset(c->loc[R_RH], 0, cap * 4);
	if (hint) {
		a.actual_bytes = place(c, R_O0, BK_VALID, NULL, 0, 4);
		a.actual_handles = place(c, R_O1, BK_VALID, NULL, 0, 4);
	} else {
		a.actual_bytes = place_out(c, R_O0, 4);
		a.actual_handles = place_out(c, R_O1, 4);
	}
	r = do_call(c, OP_CHANNEL_READ, t, MXCHAN_IOC_CHANNEL_READ, &a, sizeof(a));
	read_done(c, t, &ch, r, a.num_bytes, a.num_handles, a.actual_bytes,
		  a.actual_handles, hint ? 95 : 40, "channel_read");
}

/*
 * A server's turn: maybe a reply, then a read that may wait (short
 * deadlines only). The reply carries bytes alone: whether its handles
 * went could not be told from every failure of the read after it.
 */
static void op_reply_read(struct ctx *c, struct table *t)
{
	struct mxchan_channel_reply_read a = { 0 };
	uint32_t head[4], cap;
	struct pick ch;
	int r;

	pick_handle(c, t, K_CHANNEL, &ch);
	a.handle = ch.v;
	a.options = chance(c, 30) ? MXCHAN_READ_MAY_DISCARD : odd_u32(c, 5);
	a.flags = chance(c, 60) ? MXCHAN_REPLY_READ_REPLY : odd_u32(c, 10);
	a.reserved = odd_u32(c, 2);
	a.deadline = pick_deadline(c, 20);
	a.wr_num_bytes = pick_len(c);
	head[0] = pick_txid(c);
	head[1] = (uint32_t)rnd(c);
	head[2] = c->tid;
	head[3] = (uint32_t)c->n;
	a.wr_bytes = place(c, R_WB, buf_kind(c), head,
			   a.wr_num_bytes < sizeof(head) ? a.wr_num_bytes :
			   sizeof(head), a.wr_num_bytes);
	a.wr_handles = chance(c, 80) ? 0 : rnd(c);
	a.rd_num_bytes = chance(c, 70) ? 65536 : pick_len(c);
	a.rd_num_handles = chance(c, 70) ? 64 : pick_count(c, 64);
	a.rd_bytes = place(c, R_RB, buf_kind(c), NULL, 0, a.rd_num_bytes);
	a.rd_handles = place(c, R_RH, buf_kind(c), NULL, 0,
			     (uint64_t)a.rd_num_handles * 4);
	cap = a.rd_num_handles < 64 ? a.rd_num_handles : 64;
	if (readable(c, R_RH, cap * 4))
		memset(c->loc[R_RH], 0, cap * 4);
	a.actual_bytes = place_out(c, R_O0, 4);
	a.actual_handles = place_out(c, R_O1, 4);
	r = do_call(c, OP_REPLY_READ, t, MXCHAN_IOC_CHANNEL_REPLY_READ, &a,
		    sizeof(a));
	read_done(c, t, &ch, r, a.rd_num_bytes, a.rd_num_handles,
		  a.actual_bytes, a.actual_handles, 40, "channel_reply_read");
}

static void op_channel_call(struct ctx *c, struct table *t, bool finish)
{
	struct mxchan_channel_call a = { 0 };
	struct mxchan_call_args ca = { 0 };
	uint32_t vals[66], head[4], n, nb, nh;
	const void *pb, *ph, *ps;
	struct pick pks[66], ch;
	int r, hkind;

	a.deadline = pick_deadline(c, 30);
	if (!finish && chance(c, 50)) {
		/* call on a channel whose other end a reader will serve */
		uint32_t i = below(c, PAIRS), k = below(c, 2);
		uint64_t e = atomic_load(&t->pool->pair[i][k]);
		uint64_t far = atomic_load(&t->pool->pair[i][1 - k]);

		ch.v = E_VAL(e);
		ch.e = e;
		ch.idx = -1;
		ch.bad = false;
		if (e && far) {
			atomic_store(&t->pool->callhint, far);
			a.deadline = now_ns() + 1000ULL * (200 + below(c, 1800));
		}
	} else {
		pick_handle(c, t, K_CHANNEL, &ch);
	}
	a.handle = ch.v;
	a.options = odd_u32(c, 2);
	a.reserved = odd_u32(c, 2);
	ca.wr_num_bytes = chance(c, 80) ? 4 + below(c, 60) : pick_len(c);
	ca.wr_num_handles = chance(c, 70) ? below(c, 3) : pick_count(c, 64);
	n = ca.wr_num_handles < 66 ? ca.wr_num_handles : 66;
	pick_payload_handles(c, t, &ch, n, vals, pks);
	head[0] = pick_txid(c);
	head[1] = (uint32_t)rnd(c);
	head[2] = c->tid;
	head[3] = (uint32_t)c->n;
	ca.wr_bytes = place(c, R_WB, buf_kind(c), head,
			    ca.wr_num_bytes < sizeof(head) ? ca.wr_num_bytes : sizeof(head),
			    ca.wr_num_bytes);
	hkind = buf_kind(c);
	ca.wr_handles = place(c, R_WH, hkind, vals, n * 4,
			      (uint64_t)ca.wr_num_handles * 4);
	ca.rd_num_bytes = chance(c, 70) ? 65536 : pick_len(c);
	ca.rd_num_handles = chance(c, 70) ? 64 : pick_count(c, 64);
	ca.rd_bytes = place(c, R_RB, buf_kind(c), NULL, 0, ca.rd_num_bytes);
	ca.rd_handles = place(c, R_RH, buf_kind(c), NULL, 0,
			      (uint64_t)ca.rd_num_handles * 4);
	/* Magenta's args struct, which the kernel reads (an in-pointer) */
	a.args = place(c, R_AUX, arg_kind(c), &ca, sizeof(ca), sizeof(ca));
	a.actual_bytes = place_out(c, R_O0, 4);
	a.actual_handles = place_out(c, R_O1, 4);
	a.read_status = place_out(c, R_O2, 4);
	if (finish) {
		/* no call is ever parked here: nothing to find */
		a.call_id = chance(c, 80) ? below(c, 4100) : (uint32_t)rnd(c);
		r = do_call(c, OP_CALL_FINISH, t, MXCHAN_IOC_CALL_FINISH, &a,
			    sizeof(a));
		if (r != -EINVAL && r != -EBADFD && r != -ENOMEM)
			fail(c, "call_finish with no call parked gave %s",
			     errno_name(-r));
		return;
	}
	a.call_id = (uint32_t)rnd(c);
	r = do_call(c, OP_CHANNEL_CALL, t, MXCHAN_IOC_CHANNEL_CALL, &a, sizeof(a));
	/*
	 * The reply's sizes must have somewhere to go before anything is
	 * sent (ENOMEM: no memory for the table's user, before that).
	 */
	if ((!a.actual_bytes || !a.actual_handles) && r != -EINVAL &&
	    r != -ENOMEM)
		fail(c, "channel_call with a 0 size pointer gave %s",
		     errno_name(-r));
	/* the request went out: its handles are gone */
	if (!r || r == -ETIMEDOUT || r == -ECOMM)
		sent(c, t, pks, n, hkind, "channel_call");
	if (r == -ECOMM) {
		ps = out_result(c, R_O2, a.read_status, 4, true, "channel_call");
		if (ps) {
			int32_t s = (int32_t)out_u32(ps);

			if (s != EMSGSIZE && s != EPIPE && s != ECANCELED &&
			    s != EINVAL && s != ENOMEM && s != EMFILE)
				fail(c, "channel_call: CALL_FAILED with read_status %d",
				     s);
		}
	}
	check_bad(c, r, ch.bad, ch.v, "channel_call");
	if (r)
		return;
	if (!readable(c, R_AUX, sizeof(ca)) && c->bk[R_AUX] != BK_RO)
		fail(c, "channel_call succeeded with a %s args pointer",
		     bk_name[(int)c->bk[R_AUX]]);
	pb = out_result(c, R_O0, a.actual_bytes, 4, false, "channel_call");
	ph = out_result(c, R_O1, a.actual_handles, 4, false, "channel_call");
	if (!pb || !ph)
		return;
	nb = out_u32(pb);
	nh = out_u32(ph);
	if (nb > ca.rd_num_bytes || (nb && !readable(c, R_RB, nb)))
		fail(c, "channel_call: %u bytes in a %s buffer of %u",
		     nb, bk_name[(int)c->bk[R_RB]], ca.rd_num_bytes);
	received(c, t, nh, ca.rd_num_handles, "channel_call");
}

static void op_handle_close(struct ctx *c, struct table *t)
{
	struct pick pk;
	uint64_t arg;
	int r;

	pick_handle(c, t, 0, &pk);
	arg = pk.v;
	if (chance(c, 3))
		arg |= (uint64_t)(1 + below(c, 0xffff)) << 32;	/* beyond u32 */
	r = close_value(c, t, arg);
	if (r)
		return;
	if (arg >> 32)
		fail(c, "handle_close: closed 0x%" PRIx64, arg);
	if (pk.bad && pk.v)
		fail(c, "handle_close: closed 0x%" PRIx64 ", which names nothing", arg);
	if (pk.e)
		pool_forget(t->pool, pk.idx, pk.e);
}

static void op_handle_rights(struct ctx *c, struct table *t, bool dup)
{
	/* kinds whose handles carry DUPLICATE (channel ends do not) */
	static const int dup_kinds[] = {
		K_EVENT, K_PORT, K_FIFO, K_SOCKET, K_VMO, K_VMAR,
	};
	const char *what = dup ? "handle_duplicate" : "handle_replace";
	struct mxchan_handle_rights a;
	struct pick pk;
	uint32_t v;
	int r;

	pick_handle(c, t, dup ? dup_kinds[below(c, 6)] : 0, &pk);
	a.handle = pk.v;
	a.rights = pick_rights(c);
	a.out = place_out(c, R_O0, sizeof(uint32_t));
	r = do_call(c, dup ? OP_HANDLE_DUPLICATE : OP_HANDLE_REPLACE, t,
		    dup ? MXCHAN_IOC_HANDLE_DUPLICATE : MXCHAN_IOC_HANDLE_REPLACE,
		    &a, sizeof(a));
	/* a failed replace, a bad out-pointer's too, leaves the handle */
	if (r)
		return;
	if (pk.bad)
		fail(c, "%s of 0x%x, which names nothing", what, pk.v);
	if (!dup && pk.e)
		pool_forget(t->pool, pk.idx, pk.e);
	if (!created(c, (uint64_t[]){ a.out }, 1, &v, what))
		return;
	if (pk.e)
		pool_add(c, t, ENTRY(v, E_KIND(pk.e)));
	else
		pool_add_new(c, t, v);
}

/*
 * INFO_VMAR: only a VMAR's; counts as HANDLE_BASIC's; a success wrote a
 * range on a page, not empty, not wrapping, where the kernel could.
 */
static void info_vmar_done(struct ctx *c, const struct mxchan_object_get_info *a,
			   const struct pick *pk, int ret)
{
	struct mxchan_info_vmar rec;
	size_t actual = ret ? 0 : 1, avail = 1;
	const void *pa, *pv;

	if (pk->e && E_KIND(pk->e) != K_VMAR && E_KIND(pk->e) != K_UNKNOWN)
		fail(c, "INFO_VMAR on a handle of kind %d", E_KIND(pk->e));
	pa = out_result(c, R_O0, a->actual_count, sizeof(size_t), true,
			"object_get_info");
	pv = out_result(c, R_O1, a->avail_count, sizeof(size_t), true,
			"object_get_info");
	if (pa)
		memcpy(&actual, pa, sizeof(actual));
	if (pv)
		memcpy(&avail, pv, sizeof(avail));
	if (actual != (ret ? 0u : 1u) || avail != 1)
		fail(c, "INFO_VMAR: %s, actual %zu avail %zu", errno_name(-ret),
		     actual, avail);
	if (ret)
		return;
	if (a->buffer_size < sizeof(rec) || !readable(c, R_AUX, sizeof(rec))) {
		fail(c, "INFO_VMAR: a record in %" PRIu64 " bytes of a %s buffer",
		     (uint64_t)a->buffer_size, bk_name[(int)c->bk[R_AUX]]);
		return;
	}
	memcpy(&rec, c->loc[R_AUX], sizeof(rec));
	if (!rec.len || rec.base % PAGE || rec.base + rec.len < rec.base)
		fail(c, "INFO_VMAR: base 0x%" PRIx64 " len 0x%" PRIx64,
		     (uint64_t)rec.base, (uint64_t)rec.len);
}

static void op_get_info(struct ctx *c, struct table *t)
{
	static const uint64_t sizes[] = {
		0, 1, 31, 33, 4096, 0xffffffffULL, 0x8000000000000000ULL,
		~0ULL,
	};
	struct mxchan_object_get_info a;
	struct mxchan_info_handle_basic rec;
	const void *pa, *pv;
	size_t actual, avail;
	struct pick pk;
	uint32_t r;
	int ret;

	r = below(c, 100);
	a.topic = r < 30 ? MXCHAN_INFO_HANDLE_VALID :
		  r < 85 ? MXCHAN_INFO_HANDLE_BASIC :
		  r < 90 ? MXCHAN_INFO_VMAR :
		  r < 95 ? below(c, 8) : (uint32_t)rnd(c);
	pick_handle(c, t, a.topic == MXCHAN_INFO_VMAR ? K_VMAR : 0, &pk);
	a.handle = pk.v;
	a.buffer_size = chance(c, 70) ? sizeof(rec) : sizes[below(c, 8)];
	a.buffer = place(c, R_AUX, buf_kind(c), NULL, 0,
			 a.buffer_size < sizeof(rec) ? a.buffer_size : sizeof(rec));
	a.actual_count = place_out(c, R_O0, sizeof(size_t));
	a.avail_count = place_out(c, R_O1, sizeof(size_t));
	ret = do_call(c, OP_GET_INFO, t, MXCHAN_IOC_OBJECT_GET_INFO, &a, sizeof(a));
	if (ret && ret != -EMSGSIZE)
		return;
	if (pk.bad)
		fail(c, "object_get_info on 0x%x, which names nothing", pk.v);
	if (a.topic == MXCHAN_INFO_VMAR)
		info_vmar_done(c, &a, &pk, ret);
	if (a.topic != MXCHAN_INFO_HANDLE_BASIC)
		return;
	/* the counts: written on success and on EMSGSIZE (0 records then) */
	pa = out_result(c, R_O0, a.actual_count, sizeof(size_t), true,
			"object_get_info");
	pv = out_result(c, R_O1, a.avail_count, sizeof(size_t), true,
			"object_get_info");
	actual = ret ? 0 : 1;	/* what a 0 pointer would have said */
	avail = 1;
	if (pa)
		memcpy(&actual, pa, sizeof(actual));
	if (pv)
		memcpy(&avail, pv, sizeof(avail));
	if (actual != (ret ? 0u : 1u) || avail != 1)
		fail(c, "object_get_info: %s, actual %zu avail %zu",
		     errno_name(-ret), actual, avail);
	if (ret)
		return;
	if (!readable(c, R_AUX, sizeof(rec))) {
		fail(c, "object_get_info: a record written to a %s buffer",
		     bk_name[(int)c->bk[R_AUX]]);
		return;
	}
	memcpy(&rec, c->loc[R_AUX], sizeof(rec));
	if (pk.e && E_KIND(pk.e) != K_UNKNOWN && type_kind(rec.type) != E_KIND(pk.e))
		fail(c, "handle 0x%x was pooled as kind %d, now has type %u",
		     pk.v, E_KIND(pk.e), rec.type);
}

/* A file descriptor for handle_move: mostly the other table. */
static int pick_fd(struct ctx *c, struct table *t, struct table **dst)
{
	uint32_t r = below(c, 100);

	*dst = NULL;
	if (r < 75) {
		*dst = other_table(c, t);
		return (*dst)->fd;
	}
	if (r < 80)
		return t->fd;				/* itself: EINVAL */
	if (r < 85)
		return c->devnull;			/* not a table */
	if (r < 90 && c->nsigfd)
		return c->sigfd[below(c, (uint32_t)c->nsigfd)];
	if (r < 95)
		return chance(c, 50) ? -1 : (int)(1000 + below(c, 1u << 20));
	return (int)below(c, 24);			/* whatever is open */
}

static void op_handle_move(struct ctx *c, struct table *t)
{
	struct mxchan_handle_move a = { 0 };
	uint32_t vals[66], ids[66], out[66], n, i;
	struct table *other, *src, *dst;
	struct pick pks[66];
	bool take;
	int r;

	a.fd = pick_fd(c, t, &other);
	a.flags = chance(c, 40) ? MXCHAN_MOVE_TAKE : odd_u32(c, 3);
	a.reserved = odd_u32(c, 2);
	a.num_handles = chance(c, 85) ? below(c, 5) : pick_count(c, 64);
	n = a.num_handles < 66 ? a.num_handles : 66;
	take = a.flags & MXCHAN_MOVE_TAKE;
	/* the tables we track; NULL when @fd is something else */
	src = take ? other : t;
	dst = take ? t : other;
	for (i = 0; i < n; i++) {
		if (i && chance(c, 3)) {
			pks[i] = pks[below(c, i)];
			pks[i].idx = -1;
		} else {
			pick_handle(c, src ? src : t, 0, &pks[i]);
		}
		vals[i] = pks[i].v;
		ids[i] = chance(c, 95) ? below(c, 64) : (uint32_t)rnd(c);
	}
	a.handles = place(c, R_WH, buf_kind(c), vals, n * 4,
			  (uint64_t)a.num_handles * 4);
	a.out = place(c, R_RH, buf_kind(c), NULL, 0, (uint64_t)a.num_handles * 4);
	if (chance(c, 20))
		a.ids = place(c, R_AUX, buf_kind(c), ids, n * 4,
			      (uint64_t)a.num_handles * 4);
	r = do_call(c, OP_HANDLE_MOVE, t, MXCHAN_IOC_HANDLE_MOVE, &a, sizeof(a));
	if (r || !n)
		return;
	if (!readable(c, R_RH, n * 4)) {
		fail(c, "handle_move: values written to a %s buffer",
		     bk_name[(int)c->bk[R_RH]]);
		return;
	}
	memcpy(out, c->loc[R_RH], n * 4);
	check_twice(c, vals, n, "handle_move");
	check_twice(c, out, n, "handle_move (values out)");
	for (i = 0; i < n; i++) {
		if (src && pks[i].bad)
			fail(c, "handle_move moved 0x%x, which names nothing",
			     pks[i].v);
		if (src && pks[i].e)
			pool_forget(src->pool, pks[i].idx, pks[i].e);
		if (!dst)
			continue;	/* moved into a table we do not track */
		if (src && pks[i].e)
			pool_add(c, dst, ENTRY(out[i], E_KIND(pks[i].e)));
		else
			pool_add_new(c, dst, out[i]);
	}
}

static void op_startup_take(struct ctx *c, struct table *t)
{
	struct mxchan_startup_take a = {
		.id = chance(c, 95) ? below(c, 64) : (uint32_t)rnd(c),
		.handle = (uint32_t)rnd(c),
	};
	int r;

	r = do_call(c, OP_STARTUP_TAKE, t, MXCHAN_IOC_STARTUP_TAKE, &a, sizeof(a));
	check_argback(c, r, "startup_take");
	if (!r && c->argback && a.handle)
		pool_add_new(c, t, a.handle);
}

static void op_wait_one(struct ctx *c, struct table *t)
{
	struct mxchan_object_wait_one a;
	struct pick pk;
	int r;

	pick_handle(c, t, 0, &pk);
	a.handle = pk.v;
	a.waitfor = pick_signals(c);
	a.deadline = pick_deadline(c, 3);
	a.observed = place_out(c, R_O0, sizeof(uint32_t));
	r = do_call(c, OP_WAIT_ONE, t, MXCHAN_IOC_OBJECT_WAIT_ONE, &a, sizeof(a));
	check_bad(c, r, pk.bad, pk.v, "object_wait_one");
	/* observed is written after the wait, whatever its result */
	if (!r || r == -ETIMEDOUT || r == -ECANCELED)
		out_result(c, R_O0, a.observed, sizeof(uint32_t), true,
			   "object_wait_one");
}

static void op_wait_many(struct ctx *c, struct table *t)
{
	struct mxchan_wait_item it[MXCHAN_WAIT_MANY_MAX + 1];
	struct mxchan_object_wait_many a = { 0 };
	uint32_t n, i, badv = 0;
	bool bad = false;
	struct pick pk;

	a.count = chance(c, 80) ? below(c, 8) : pick_count(c, MXCHAN_WAIT_MANY_MAX);
	n = a.count <= MXCHAN_WAIT_MANY_MAX + 1 ? a.count : MXCHAN_WAIT_MANY_MAX + 1;
	for (i = 0; i < n; i++) {
		pick_handle(c, t, 0, &pk);
		if (pk.bad && pk.v && !bad) {
			bad = true;
			badv = pk.v;
		}
		it[i].handle = pk.v;
		it[i].waitfor = pick_signals(c);
		it[i].pending = (uint32_t)rnd(c);
	}
	a.items = place(c, R_WH, buf_kind(c), it, n * sizeof(it[0]),
			(uint64_t)a.count * sizeof(it[0]));
	a.reserved = odd_u32(c, 2);
	a.deadline = pick_deadline(c, 3);
	/* count 0 only sleeps; any other success looked every item up */
	if (!do_call(c, OP_WAIT_MANY, t, MXCHAN_IOC_OBJECT_WAIT_MANY, &a,
		     sizeof(a)) && a.count && a.count <= n)
		check_bad(c, 0, bad, badv, "object_wait_many");
}

static void op_signal(struct ctx *c, struct table *t)
{
	struct mxchan_object_signal a;
	struct pick pk;
	uint32_t r = below(c, 100);

	pick_handle(c, t, 0, &pk);
	a.handle = pk.v;
	a.clear_mask = pick_mask(c);
	a.set_mask = pick_mask(c);
	a.flags = r < 65 ? 0 : r < 95 ? MXCHAN_SIGNAL_PEER : (uint32_t)rnd(c);
	check_bad(c, do_call(c, OP_SIGNAL, t, MXCHAN_IOC_OBJECT_SIGNAL, &a,
			     sizeof(a)), pk.bad, pk.v, "object_signal");
}

/* Is @fd an mxchan signal fd (and so ours to close)? */
static bool is_signal_fd(int fd)
{
	static const char want[] = "anon_inode:[mxchan-signals]";
	char path[64], link[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return errno == ENOENT && access("/proc/self/fd", F_OK);	/* no /proc */
	link[n] = 0;
	return !strcmp(link, want);
}

static void sigfd_drop(int fd, bool do_poll)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (do_poll)
		poll(&p, 1, 0);
	close(fd);
}

static void op_signal_fd(struct ctx *c, struct table *t)
{
	struct mxchan_signal_fd a;
	const void *p;
	struct pick pk;
	int r, fd;

	pick_handle(c, t, 0, &pk);
	a.handle = pk.v;
	a.signals = pick_signals(c);
	a.fd = place_out(c, R_O0, sizeof(int));
	r = do_call(c, OP_SIGNAL_FD, t, MXCHAN_IOC_SIGNAL_FD, &a, sizeof(a));
	check_bad(c, r, pk.bad, pk.v, "signal_fd");
	if (r)
		return;
	/* a fd that cannot be reported is never made: nothing leaks here */
	p = out_result(c, R_O0, a.fd, sizeof(int), false, "signal_fd");
	if (!p)
		return;
	memcpy(&fd, p, sizeof(fd));
	if (fd < 0 || !is_signal_fd(fd)) {
		/* never close it: it may be a table or another thread's fd */
		fail(c, "signal_fd: fd %d is not a new signal fd", fd);
		return;
	}
	if (chance(c, 60)) {
		sigfd_drop(fd, chance(c, 50));
		return;
	}
	/* keep it a while: it holds its object after the handles close */
	if (c->nsigfd == 4) {
		int k = (int)below(c, 4);

		sigfd_drop(c->sigfd[k], true);
		c->sigfd[k] = fd;
	} else {
		c->sigfd[c->nsigfd++] = fd;
	}
}

static void fill_packet(struct ctx *c, struct mxchan_port_packet *p)
{
	int i;

	p->key = pick_key(c);
	p->type = chance(c, 50) ? below(c, 3) : (uint32_t)rnd(c);
	p->status = (int32_t)rnd(c);
	for (i = 0; i < 4; i++)
		p->user[i] = rnd(c);
}

static void op_port_queue(struct ctx *c, struct table *t)
{
	struct mxchan_port_queue a;
	struct mxchan_port_packet pkt;
	uint32_t n = burst(c);
	struct pick pk;

	pick_handle(c, t, K_PORT, &pk);
	while (n--) {
		reset_bk(c);
		fill_packet(c, &pkt);
		a.handle = pk.v;
		a.reserved = odd_u32(c, 2);
		a.packet = place(c, R_AUX, buf_kind(c), &pkt, sizeof(pkt), sizeof(pkt));
		a.size = chance(c, 95) ? 0 : (chance(c, 50) ? sizeof(pkt) : rnd(c));
		check_bad(c, do_call(c, OP_PORT_QUEUE, t, MXCHAN_IOC_PORT_QUEUE,
				     &a, sizeof(a)), pk.bad, pk.v, "port_queue");
	}
}

static void op_port_wait(struct ctx *c, struct table *t)
{
	struct mxchan_port_wait a;
	struct mxchan_port_packet pkt;
	struct pick pk;
	int r;

	pick_handle(c, t, K_PORT, &pk);
	a.handle = pk.v;
	a.reserved = odd_u32(c, 2);
	a.deadline = pick_deadline(c, 3);
	a.packet = place(c, R_AUX, buf_kind(c), NULL, 0, sizeof(pkt));
	a.size = chance(c, 95) ? 0 : (chance(c, 50) ? sizeof(pkt) : rnd(c));
	r = do_call(c, OP_PORT_WAIT, t, MXCHAN_IOC_PORT_WAIT, &a, sizeof(a));
	check_bad(c, r, pk.bad, pk.v, "port_wait");
	if (r)
		return;
	if (!readable(c, R_AUX, sizeof(pkt))) {
		fail(c, "port_wait: a packet written to a %s buffer",
		     bk_name[(int)c->bk[R_AUX]]);
		return;
	}
	memcpy(&pkt, c->loc[R_AUX], sizeof(pkt));
	if (pkt.type > MXCHAN_PKT_TYPE_SIGNAL_REP)
		fail(c, "port_wait: packet type %u", pkt.type);
	else if (pkt.type != MXCHAN_PKT_TYPE_USER &&
		 (pkt.status || pkt.signal.reserved0 || pkt.signal.reserved1))
		fail(c, "port_wait: signal packet with status %d, reserved %" PRIx64
		     " %" PRIx64, pkt.status, (uint64_t)pkt.signal.reserved0,
		     (uint64_t)pkt.signal.reserved1);
}

static void op_port_cancel(struct ctx *c, struct table *t)
{
	struct mxchan_port_cancel a;
	struct pick port, src;
	int k = (int)below(c, 8);

	pick_handle(c, t, K_PORT, &port);
	pick_handle(c, t, 0, &src);
	a.handle = port.v;
	a.source = src.v;
	a.key = pick_key(c);
	if (c->aw[k].t == t && chance(c, 60)) {
		/* one this thread armed, if it is still there */
		a.handle = c->aw[k].port;
		a.source = c->aw[k].handle;
		a.key = c->aw[k].key;
	}
	do_call(c, OP_PORT_CANCEL, t, MXCHAN_IOC_PORT_CANCEL, &a, sizeof(a));
}

static void op_wait_async(struct ctx *c, struct table *t)
{
	struct mxchan_object_wait_async a;
	uint32_t n = burst(c), r;
	struct pick h, port;

	pick_handle(c, t, 0, &h);
	pick_handle(c, t, K_PORT, &port);
	while (n--) {
		r = below(c, 100);
		a.handle = h.v;
		a.port = port.v;
		a.key = pick_key(c);
		a.signals = pick_signals(c);
		a.options = r < 50 ? MXCHAN_WAIT_ASYNC_ONCE :
			    r < 95 ? MXCHAN_WAIT_ASYNC_REPEATING : (uint32_t)rnd(c);
		reset_bk(c);
		if (do_call(c, OP_WAIT_ASYNC, t, MXCHAN_IOC_OBJECT_WAIT_ASYNC,
			    &a, sizeof(a)))
			continue;
		check_bad(c, 0, h.bad, h.v, "object_wait_async");
		check_bad(c, 0, port.bad, port.v, "object_wait_async (port)");
		r = below(c, 8);
		c->aw[r].t = t;
		c->aw[r].port = a.port;
		c->aw[r].handle = a.handle;
		c->aw[r].key = a.key;
	}
}

/* ---- fifos ---- */

/* A fifo dimension: mostly one that fits with any other such, or not. */
static uint32_t pick_fifo_dim(struct ctx *c)
{
	static const uint32_t fit[] = { 1, 2, 4, 8, 16, 64 };
	static const uint32_t edge[] = {
		0, 3, 512, 4096, 4097, 8192, 0x80000000u,
	};
	uint32_t r = below(c, 100);

	if (r < 80)
		return fit[below(c, sizeof(fit) / sizeof(fit[0]))];
	if (r < 97)
		return edge[below(c, sizeof(edge) / sizeof(edge[0]))];
	return (uint32_t)rnd(c);
}

static bool fifo_size_ok(uint32_t count, uint32_t size)
{
	return count && size && !(count & (count - 1)) &&
	       (uint64_t)count * size <= MXCHAN_FIFO_MAX_BYTES;
}

static void op_fifo_create(struct ctx *c, struct table *t)
{
	struct mxchan_fifo_create a = {
		.elem_count = pick_fifo_dim(c), .elem_size = pick_fifo_dim(c),
		.options = odd_u32(c, 20), .reserved = odd_u32(c, 3),
	};
	bool ok = fifo_size_ok(a.elem_count, a.elem_size);
	uint32_t v[2];
	int r;

	a.out0 = place_out(c, R_O0, sizeof(uint32_t));
	a.out1 = place_out(c, R_O1, sizeof(uint32_t));
	r = do_call(c, OP_FIFO_CREATE, t, MXCHAN_IOC_FIFO_CREATE, &a, sizeof(a));
	/* the sizes decide, whatever the options */
	if ((!r && !ok) || (r == -ERANGE && ok))
		fail(c, "fifo_create of %u x %u: %s", a.elem_count, a.elem_size,
		     errno_name(-r));
	if (r || !created(c, (uint64_t[]){ a.out0, a.out1 }, 2, v,
			  "fifo_create"))
		return;
	pool_add(c, t, ENTRY(v[0], K_FIFO));
	pool_add(c, t, ENTRY(v[1], K_FIFO));
}

/*
 * One FIFO_WRITE or FIFO_READ through @pk, of a length around the limits
 * (64-bit ones too). A success moved at least one element of a byte or
 * more, no more than the length holds or a ring does, through memory the
 * kernel could read (write) or write (read), and wrote the count through
 * its pointer, which is required.
 */
static void fifo_io(struct ctx *c, struct table *t, const struct pick *pk,
		    bool write)
{
	const char *what = write ? "fifo_write" : "fifo_read";
	struct mxchan_fifo_io a = {
		.handle = pk->v, .reserved = odd_u32(c, 2),
	};
	int role = write ? R_WB : R_RB, kind;
	unsigned char head[32];
	const void *p;
	uint32_t n, i;
	int r;

	reset_bk(c);
	a.len = chance(c, 3) ? (1ULL << 32) + pick_len(c) : pick_len(c);
	for (i = 0; i < sizeof(head); i++)
		head[i] = (unsigned char)rnd(c);
	kind = buf_kind(c);
	a.data = place(c, role, kind, write ? head : NULL,
		       write ? sizeof(head) : 0, a.len);
	a.actual = place_out(c, R_O0, sizeof(uint32_t));
	r = do_call(c, write ? OP_FIFO_WRITE : OP_FIFO_READ, t,
		    write ? MXCHAN_IOC_FIFO_WRITE : MXCHAN_IOC_FIFO_READ,
		    &a, sizeof(a));
	check_bad(c, r, pk->bad, pk->v, what);
	if (r)
		return;
	p = out_result(c, R_O0, a.actual, sizeof(uint32_t), false, what);
	if (!p)
		return;
	n = out_u32(p);
	if (!n || n > MXCHAN_FIFO_MAX_BYTES || n > a.len)
		fail(c, "%s: %u elements for %" PRIu64 " bytes", what, n,
		     (uint64_t)a.len);
	if (kind == BK_EDGE ? n > c->lim[role] :
	    kind >= BK_NONE || (!write && kind == BK_RO))
		fail(c, "%s: %u elements through a %s buffer", what, n,
		     bk_name[kind]);
}

static void op_fifo_write(struct ctx *c, struct table *t)
{
	uint32_t n = burst(c);
	struct pick pk;

	pick_handle(c, t, K_FIFO, &pk);
	while (n--)
		fifo_io(c, t, &pk, true);
}

static void op_fifo_read(struct ctx *c, struct table *t)
{
	struct pick pk;

	pick_handle(c, t, K_FIFO, &pk);
	fifo_io(c, t, &pk, false);
}

/* ---- sockets ---- */

static void op_socket_create(struct ctx *c, struct table *t)
{
	struct mxchan_socket_create a = {
		.options = chance(c, 90) ? below(c, 4) : odd_u32(c, 100),
		.reserved = odd_u32(c, 3),
	};
	uint32_t v[2];
	int r;

	a.out0 = place_out(c, R_O0, sizeof(uint32_t));
	a.out1 = place_out(c, R_O1, sizeof(uint32_t));
	r = do_call(c, OP_SOCKET_CREATE, t, MXCHAN_IOC_SOCKET_CREATE, &a,
		    sizeof(a));
	if (!r && (a.reserved || (a.options & ~MXCHAN_SOCKET_CREATE_MASK)))
		fail(c, "socket_create with options 0x%x reserved 0x%x",
		     a.options, a.reserved);
	if (r || !created(c, (uint64_t[]){ a.out0, a.out1 }, 2, v,
			  "socket_create"))
		return;
	pool_add(c, t, ENTRY(v[0], K_SOCKET));
	pool_add(c, t, ENTRY(v[1], K_SOCKET));
}

/* Options for a socket write or read: mostly the ones that exist. */
static uint32_t pick_socket_options(struct ctx *c, bool write)
{
	uint32_t r = below(c, 100);

	if (r < 60)
		return 0;
	if (r < 80)
		return MXCHAN_SOCKET_CONTROL;
	if (r < 92)
		return write ? 1 + below(c, 3) : below(c, 8);
	return chance(c, 50) ? 1u << below(c, 32) : (uint32_t)rnd(c);
}

/*
 * A size for a socket write or read: small, a few pages, or around the
 * limits (the buffer, the control slot, 4 GiB); never more than the
 * memory behind a buffer the kernel can use, which it would read (write)
 * or write (read) on.
 */
static uint64_t pick_socket_size(struct ctx *c)
{
	static const uint64_t edge[] = {
		0, 1, 1023, 1024, 1025, 4095, 4096, 4097, 65536,
		MXCHAN_SOCKET_MAX_BYTES, MXCHAN_SOCKET_MAX_BYTES + 1,
		0xffffffffULL, 1ULL << 32, (1ULL << 32) + 1, UINT64_MAX,
	};
	uint32_t r = below(c, 100);

	if (r < 60)
		return below(c, 65);
	if (r < 85)
		return below(c, 17 * PAGE);
	return edge[below(c, sizeof(edge) / sizeof(edge[0]))];
}

/*
 * One SOCKET_WRITE or SOCKET_READ through @pk. A success had options the
 * call takes, a buffer if it had a size (a read without options may try
 * NULL: Magenta's quirk), a size below 4 GiB (but for a control read);
 * it moved no more than the size and a buffer's worth (the control
 * slot's for CONTROL), through memory the kernel could read (write) or
 * write (read), and wrote the count to actual (a size_t, or 0 for none)
 * but for a shutdown, which moves nothing and leaves actual alone.
 */
static void socket_io(struct ctx *c, struct table *t, const struct pick *pk,
		      bool write)
{
	const char *what = write ? "socket_write" : "socket_read";
	struct mxchan_socket_io a = {
		.handle = pk->v, .options = pick_socket_options(c, write),
	};
	int role = write ? R_WB : R_RB, kind;
	unsigned char head[32];
	bool query, shutdown;
	const void *p;
	uint64_t n;
	uint32_t i;
	int r;

	reset_bk(c);
	a.size = pick_socket_size(c);
	for (i = 0; i < sizeof(head); i++)
		head[i] = (unsigned char)rnd(c);
	kind = chance(c, 5) ? BK_NULL : buf_kind(c);
	a.buffer = place(c, role, kind, write ? head : NULL,
			 write ? sizeof(head) : 0, a.size);
	/* the kernel would go past our memory: keep to it */
	if (a.size <= 0xffffffffULL &&
	    (kind == BK_VALID || kind == BK_MISALIGNED || kind == BK_RO) &&
	    a.size > role_size[role] - 16)
		a.size = role_size[role] - 16;
	a.actual = chance(c, 10) ? 0 : place_out(c, R_O0, sizeof(uint64_t));
	query = !write && !a.options && !a.buffer && !a.size;
	shutdown = write && a.options >= 1 && a.options <= 3;
	r = do_call(c, write ? OP_SOCKET_WRITE : OP_SOCKET_READ, t,
		    write ? MXCHAN_IOC_SOCKET_WRITE : MXCHAN_IOC_SOCKET_READ,
		    &a, sizeof(a));
	check_bad(c, r, pk->bad, pk->v, what);
	if (r)
		return;
	if (a.options && a.options != MXCHAN_SOCKET_CONTROL && !shutdown)
		fail(c, "%s succeeded with options 0x%x", what, a.options);
	if (!a.buffer && a.size && (write || a.options))
		fail(c, "%s succeeded with no buffer and %" PRIu64 " bytes",
		     what, (uint64_t)a.size);
	if (a.size > 0xffffffffULL && !(a.options == MXCHAN_SOCKET_CONTROL &&
					!write))
		fail(c, "%s succeeded with %" PRIu64 " bytes", what,
		     (uint64_t)a.size);
	if (shutdown) {
		if (a.size)
			fail(c, "a shutdown succeeded with %" PRIu64 " bytes",
			     (uint64_t)a.size);
		/* Magenta's: a shutdown leaves actual alone */
		if (readable(c, R_O0, sizeof(uint64_t)) &&
		    memcmp(c->loc[R_O0], "\xa5\xa5\xa5\xa5\xa5\xa5\xa5\xa5", 8))
			fail(c, "a shutdown wrote actual");
		return;
	}
	p = out_result(c, R_O0, a.actual, sizeof(uint64_t), true, what);
	if (!p)
		return;
	memcpy(&n, p, sizeof(n));
	if (n > (a.options ? MXCHAN_SOCKET_CONTROL_MAX :
		 MXCHAN_SOCKET_MAX_BYTES) || (!query && n > a.size))
		fail(c, "%s: %" PRIu64 " bytes for %" PRIu64, what, n,
		     (uint64_t)a.size);
	if (!query && n && (kind == BK_EDGE ? n > c->lim[role] :
			    kind >= BK_NONE || (!write && kind == BK_RO)))
		fail(c, "%s: %" PRIu64 " bytes through a %s buffer", what, n,
		     bk_name[kind]);
}

static void op_socket_write(struct ctx *c, struct table *t)
{
	uint32_t n = burst(c);
	struct pick pk;

	pick_handle(c, t, K_SOCKET, &pk);
	while (n--)
		socket_io(c, t, &pk, true);
}

static void op_socket_read(struct ctx *c, struct table *t)
{
	struct pick pk;

	pick_handle(c, t, K_SOCKET, &pk);
	socket_io(c, t, &pk, false);
}

/* ---- VMOs, the root VMAR, mappings, properties ---- */

/*
 * A VMO size: small mostly, around pages, or (when the run could cap the
 * VMO budget, which then bounds what COMMIT and writes make) around the
 * budget and the limits.
 */
static uint64_t pick_vmo_size(struct ctx *c)
{
	static const uint64_t edge[] = {
		0, 1, PAGE - 1, PAGE, PAGE + 1, 64ULL * PAGE, 65ULL * PAGE,
		VMO_CAP_PAGES * (uint64_t)PAGE, VMO_CAP_PAGES * (uint64_t)PAGE + 1,
		1ULL << 32, 1ULL << 40, MXCHAN_VMO_MAX_SIZE - 1,
		MXCHAN_VMO_MAX_SIZE, MXCHAN_VMO_MAX_SIZE + 1, 1ULL << 63,
		UINT64_MAX,
	};
	uint32_t r = below(c, 100);

	if (r < 60)
		return below(c, 4 * PAGE + 1);
	if (r < 85 || !c->sh->vmo_capped)
		return below(c, 17 * PAGE + 1);
	return edge[below(c, sizeof(edge) / sizeof(edge[0]))];
}

/* Remember a VMO of @t's for the VMO calls to find. */
static void vmo_recent(struct table *t, uint32_t v)
{
	uint32_t i = atomic_fetch_add(&t->pool->vmo_next, 1) % 8;

	atomic_store(&t->pool->vmo[i], ENTRY(v, K_VMO));
}

/*
 * A handle for a VMO call: often one of the recent VMOs (or the root
 * VMAR, @vmar), else what pick_handle() finds. A value remembered may
 * have been closed since: it names nothing then (BAD_HANDLE).
 */
static void pick_vm(struct ctx *c, struct table *t, bool vmar,
		    struct pick *pk)
{
	uint64_t e = 0;

	if (chance(c, vmar ? 70 : 40))
		e = vmar ? atomic_load(&t->pool->vmar) :
			   atomic_load(&t->pool->vmo[below(c, 8)]);
	if (!e) {
		pick_handle(c, t, vmar ? K_VMAR : K_VMO, pk);
		return;
	}
	pk->v = E_VAL(e);
	pk->e = e;
	pk->idx = -1;
	pk->bad = false;
}

/* An offset into a VMO: inside the small ones mostly, or at the edges. */
static uint64_t pick_vmo_offset(struct ctx *c)
{
	static const uint64_t edge[] = {
		0, PAGE, 16ULL * PAGE, VMO_CAP_PAGES * (uint64_t)PAGE,
		MXCHAN_VMO_MAX_SIZE, 1ULL << 63, UINT64_MAX - PAGE,
		UINT64_MAX - 1, UINT64_MAX,
	};
	uint32_t r = below(c, 100);

	if (r < 60)
		return below(c, 4 * PAGE + 1);
	if (r < 85)
		return below(c, 17 * PAGE + 1);
	return edge[below(c, sizeof(edge) / sizeof(edge[0]))];
}

/* A 64-bit length: pick_len()'s, or one past 4 GiB, or a wrap. */
static uint64_t pick_len64(struct ctx *c)
{
	static const uint64_t edge[] = {
		1ULL << 32, (1ULL << 32) + 1, 1ULL << 40, 1ULL << 63,
		UINT64_MAX - PAGE, UINT64_MAX,
	};

	if (chance(c, 5))
		return edge[below(c, sizeof(edge) / sizeof(edge[0]))];
	return pick_len(c);
}

static void op_vmo_create(struct ctx *c, struct table *t)
{
	struct mxchan_vmo_create a = {
		.size = pick_vmo_size(c), .options = odd_u32(c, 5),
		.reserved = odd_u32(c, 3),
	};
	uint32_t v;
	int r;

	a.out = place_out(c, R_O0, sizeof(uint32_t));
	r = do_call(c, OP_VMO_CREATE, t, MXCHAN_IOC_VMO_CREATE, &a, sizeof(a));
	if (!r && (a.options || a.reserved || a.size > MXCHAN_VMO_MAX_SIZE))
		fail(c, "vmo_create of %" PRIu64 " bytes, options 0x%x "
		     "reserved 0x%x", (uint64_t)a.size, a.options, a.reserved);
	if (r || !created(c, (uint64_t[]){ a.out }, 1, &v, "vmo_create"))
		return;
	vmo_recent(t, v);
	pool_add(c, t, ENTRY(v, K_VMO));
}

/* @v's size, through valid memory; false if it could not be had. */
static bool vmo_size_of(struct ctx *c, struct table *t, uint32_t v,
			uint64_t *size)
{
	struct mxchan_vmo_size a = { .handle = v };
	unsigned char *aux = c->rw + role_off(R_AUX);
	unsigned char *arg = c->rw + role_off(R_ARG);

	reset_bk(c);
	a.out = (uintptr_t)aux;
	c->bk[R_ARG] = BK_VALID;
	c->bk[R_AUX] = BK_VALID;
	memcpy(arg, &a, sizeof(a));
	if (fz_ioctl(c, OP_VMO_GET_SIZE, t, MXCHAN_IOC_VMO_GET_SIZE,
		     (unsigned long)(uintptr_t)arg, &a, sizeof(a)))
		return false;
	memcpy(size, aux, sizeof(*size));
	return true;
}

/*
 * One VMO_READ or VMO_WRITE through @pk, now and then right at the end
 * of the VMO (a few bytes, or none, move then). A success had reserved 0, moved
 * no more than the length, never past the largest size, and wrote the
 * count through its pointer (required). A write touched its whole source
 * first (Magenta's order), so it succeeded only from memory the kernel
 * could read, all of the length; a read wrote its bytes only to memory
 * the kernel could write. A read is kept to our buffer: a VMO may be
 * larger than it.
 */
static void vmo_io(struct ctx *c, struct table *t, const struct pick *pk,
		   bool write)
{
	const char *what = write ? "vmo_write" : "vmo_read";
	struct mxchan_vmo_io a = {
		.handle = pk->v, .reserved = odd_u32(c, 2),
	};
	int role = write ? R_WB : R_RB, kind;
	unsigned char head[32];
	const void *p;
	uint64_t n;
	uint32_t i;
	int r;

	if (chance(c, 15) && vmo_size_of(c, t, pk->v, &n))
		a.offset = n - below(c, n < 64 ? (uint32_t)n + 1 : 65);
	else
		a.offset = pick_vmo_offset(c);
	reset_bk(c);
	a.len = pick_len64(c);
	for (i = 0; i < sizeof(head); i++)
		head[i] = (unsigned char)rnd(c);
	kind = chance(c, 3) ? BK_NULL : buf_kind(c);
	a.data = place(c, role, kind, write ? head : NULL,
		       write ? sizeof(head) : 0, a.len);
	if (!write && (kind == BK_VALID || kind == BK_MISALIGNED) &&
	    a.len > role_size[role] - 16)
		a.len = role_size[role] - 16;
	a.actual = chance(c, 5) ? 0 : place_out(c, R_O0, sizeof(uint64_t));
	r = do_call(c, write ? OP_VMO_WRITE : OP_VMO_READ, t,
		    write ? MXCHAN_IOC_VMO_WRITE : MXCHAN_IOC_VMO_READ,
		    &a, sizeof(a));
	check_bad(c, r, pk->bad, pk->v, what);
	if (r)
		return;
	if (a.reserved)
		fail(c, "%s succeeded with reserved 0x%x", what, a.reserved);
	if (write && a.len && (kind == BK_EDGE ? a.len > c->lim[role] :
			       kind >= BK_NONE))
		fail(c, "vmo_write of %" PRIu64 " bytes from a %s buffer",
		     (uint64_t)a.len, bk_name[kind]);
	p = out_result(c, R_O0, a.actual, sizeof(uint64_t), false, what);
	if (!p)
		return;
	memcpy(&n, p, sizeof(n));
	if (n > a.len || a.offset + n < a.offset ||
	    a.offset + n > MXCHAN_VMO_MAX_SIZE)
		fail(c, "%s: %" PRIu64 " bytes for %" PRIu64 " at %" PRIu64,
		     what, n, (uint64_t)a.len, (uint64_t)a.offset);
	if (!write && n && (kind == BK_EDGE ? n > c->lim[role] :
			    kind >= BK_NONE || kind == BK_RO))
		fail(c, "vmo_read: %" PRIu64 " bytes into a %s buffer", n,
		     bk_name[kind]);
}

static void op_vmo_write(struct ctx *c, struct table *t)
{
	uint32_t n = burst(c);
	struct pick pk;

	pick_vm(c, t, false, &pk);
	while (n--)
		vmo_io(c, t, &pk, true);
}

static void op_vmo_read(struct ctx *c, struct table *t)
{
	struct pick pk;

	pick_vm(c, t, false, &pk);
	vmo_io(c, t, &pk, false);
}

/* GET_SIZE (no right needed) or SET_SIZE: a size no larger than the limit. */
static void op_vmo_size(struct ctx *c, struct table *t, bool set)
{
	const char *what = set ? "vmo_set_size" : "vmo_get_size";
	struct mxchan_vmo_size a = { .reserved = odd_u32(c, 2) };
	const void *p;
	struct pick pk;
	uint64_t size;
	int r;

	pick_vm(c, t, false, &pk);
	a.handle = pk.v;
	if (set)
		a.size = pick_vmo_size(c);
	else
		a.out = place_out(c, R_O0, sizeof(uint64_t));
	r = do_call(c, set ? OP_VMO_SET_SIZE : OP_VMO_GET_SIZE, t,
		    set ? MXCHAN_IOC_VMO_SET_SIZE : MXCHAN_IOC_VMO_GET_SIZE,
		    &a, sizeof(a));
	check_bad(c, r, pk.bad, pk.v, what);
	if (r)
		return;
	if (a.reserved)
		fail(c, "%s succeeded with reserved 0x%x", what, a.reserved);
	if (set) {
		if (a.size > MXCHAN_VMO_MAX_SIZE)
			fail(c, "vmo_set_size to %" PRIu64, (uint64_t)a.size);
		return;
	}
	p = out_result(c, R_O0, a.out, sizeof(uint64_t), false, what);
	if (!p)
		return;
	memcpy(&size, p, sizeof(size));
	if (size > MXCHAN_VMO_MAX_SIZE)
		fail(c, "vmo_get_size: %" PRIu64, size);
}

/*
 * VMO_OP_RANGE. A success was COMMIT, DECOMMIT, LOOKUP or a cache op
 * (never LOCK or UNLOCK, nor another op); a LOOKUP or cache op had a size
 * and no wrap; a LOOKUP had room for a u64 per page, and wrote each
 * (nonzero, on a page) to memory the kernel could write. A LOOKUP
 * buffer is kept to our memory.
 */
static void op_vmo_op_range(struct ctx *c, struct table *t)
{
	struct mxchan_vmo_op_range a = { 0 };
	uint32_t r = below(c, 100);
	uint64_t pages = 0, need = 0, i, pa;
	const unsigned char *p;
	struct pick pk;
	int kind = BK_NULL, ret;

	pick_vm(c, t, false, &pk);
	reset_bk(c);
	a.handle = pk.v;
	a.op = r < 35 ? MXCHAN_VMO_OP_COMMIT :
	       r < 55 ? MXCHAN_VMO_OP_DECOMMIT :
	       r < 70 ? MXCHAN_VMO_OP_LOOKUP :
	       r < 85 ? MXCHAN_VMO_OP_CACHE_SYNC + below(c, 4) :
	       r < 92 ? MXCHAN_VMO_OP_LOCK + below(c, 2) :
	       chance(c, 50) ? below(c, 16) : (uint32_t)rnd(c);
	a.offset = chance(c, 70) ? below(c, 5) * (uint64_t)PAGE :
		   pick_vmo_offset(c);
	a.size = chance(c, 50) ? (1 + below(c, 8)) * (uint64_t)PAGE :
		 pick_vmo_size(c);
	if (a.size && a.offset + a.size > a.offset) {
		pages = ((a.offset + a.size - 1) >> 12) - (a.offset >> 12) + 1;
		need = pages * 8;
	}
	if (a.op == MXCHAN_VMO_OP_LOOKUP || chance(c, 10)) {
		a.buffer_size = chance(c, 70) && need ? need :
				chance(c, 50) ? below(c, 200) : rnd(c);
		kind = chance(c, 5) ? BK_NULL : buf_kind(c);
		a.buffer = place(c, R_RB, kind, NULL, 0, a.buffer_size);
		if ((kind == BK_VALID || kind == BK_MISALIGNED) &&
		    a.buffer_size > role_size[R_RB] - 16)
			a.buffer_size = role_size[R_RB] - 16;
	}
	ret = do_call(c, OP_VMO_OP_RANGE, t, MXCHAN_IOC_VMO_OP_RANGE, &a,
		      sizeof(a));
	check_bad(c, ret, pk.bad, pk.v, "vmo_op_range");
	if (ret)
		return;
	if (a.op < MXCHAN_VMO_OP_COMMIT ||
	    a.op > MXCHAN_VMO_OP_CACHE_CLEAN_INVALIDATE ||
	    a.op == MXCHAN_VMO_OP_LOCK || a.op == MXCHAN_VMO_OP_UNLOCK) {
		fail(c, "vmo_op_range succeeded with op %u", a.op);
		return;
	}
	if (a.op < MXCHAN_VMO_OP_LOOKUP)
		return;
	if (!pages) {
		fail(c, "vmo_op_range op %u succeeded on %" PRIu64 " bytes at %"
		     PRIu64, a.op, (uint64_t)a.size, (uint64_t)a.offset);
		return;
	}
	if (a.op != MXCHAN_VMO_OP_LOOKUP)
		return;
	if (!a.buffer || a.buffer_size < need ||
	    (kind == BK_EDGE ? need > c->lim[R_RB] :
	     kind >= BK_NONE || kind == BK_RO)) {
		fail(c, "vmo_op_range LOOKUP of %" PRIu64 " pages into %" PRIu64
		     " bytes of a %s buffer", pages, (uint64_t)a.buffer_size,
		     bk_name[kind]);
		return;
	}
	p = readable(c, R_RB, need);
	for (i = 0; p && i < pages; i++) {
		memcpy(&pa, p + i * 8, sizeof(pa));
		if (!pa || pa % PAGE)
			fail(c, "LOOKUP: page %" PRIu64 " at 0x%" PRIx64, i, pa);
	}
}

/*
 * VMO_CLONE. A success had COPY_ON_WRITE, an offset on a page, a size no
 * larger than the limit and no wrap; the clone is a VMO whose handle has
 * WRITE, GET_PROPERTY and SET_PROPERTY.
 */
static void op_vmo_clone(struct ctx *c, struct table *t)
{
	struct mxchan_vmo_clone a = { 0 };
	struct mxchan_info_handle_basic rec;
	struct pick pk;
	uint32_t v;
	int r;

	pick_vm(c, t, false, &pk);
	a.handle = pk.v;
	a.options = chance(c, 85) ? MXCHAN_VMO_CLONE_COPY_ON_WRITE :
		    odd_u32(c, 50);
	a.offset = chance(c, 80) ? below(c, 5) * (uint64_t)PAGE :
		   pick_vmo_offset(c);
	a.size = pick_vmo_size(c);
	a.out = place_out(c, R_O0, sizeof(uint32_t));
	r = do_call(c, OP_VMO_CLONE, t, MXCHAN_IOC_VMO_CLONE, &a, sizeof(a));
	check_bad(c, r, pk.bad, pk.v, "vmo_clone");
	if (r)
		return;
	if (!(a.options & MXCHAN_VMO_CLONE_COPY_ON_WRITE) || a.offset % PAGE ||
	    a.size > MXCHAN_VMO_MAX_SIZE || a.offset + a.size < a.offset)
		fail(c, "vmo_clone of %" PRIu64 " bytes at %" PRIu64
		     ", options 0x%x", (uint64_t)a.size, (uint64_t)a.offset,
		     a.options);
	if (!created(c, (uint64_t[]){ a.out }, 1, &v, "vmo_clone"))
		return;
	if (chance(c, 20) && basic_info(c, t, v, &rec)) {
		uint32_t want = MXCHAN_RIGHT_WRITE | MXCHAN_RIGHT_GET_PROPERTY |
				MXCHAN_RIGHT_SET_PROPERTY;

		if (rec.type != MXCHAN_OBJ_TYPE_VMO || (rec.rights & want) != want)
			fail(c, "vmo_clone: a clone of type %u, rights 0x%x",
			     rec.type, rec.rights);
	}
	vmo_recent(t, v);
	pool_add(c, t, ENTRY(v, K_VMO));
}

/* Magenta's: never supported, whatever the policy. */
static void op_vmo_cache_policy(struct ctx *c, struct table *t)
{
	struct mxchan_vmo_cache_policy a;
	struct pick pk;

	pick_vm(c, t, false, &pk);
	a.handle = pk.v;
	a.policy = chance(c, 80) ? below(c, 4) : (uint32_t)rnd(c);
	if (!do_call(c, OP_VMO_CACHE_POLICY, t, MXCHAN_IOC_VMO_CACHE_POLICY,
		     &a, sizeof(a)))
		fail(c, "vmo_cache_policy succeeded");
}

static void op_vmar_root(struct ctx *c, struct table *t)
{
	struct mxchan_vmar_root a;
	struct mxchan_info_handle_basic rec;
	uint32_t v;
	int r;

	a.out = place_out(c, R_O0, sizeof(uint32_t));
	r = do_call(c, OP_VMAR_ROOT, t, MXCHAN_IOC_VMAR_ROOT, &a, sizeof(a));
	if (r || !created(c, (uint64_t[]){ a.out }, 1, &v, "vmar_root"))
		return;
	/* closed by another thread already, or the root VMAR */
	if (chance(c, 20) && basic_info(c, t, v, &rec) &&
	    rec.type != MXCHAN_OBJ_TYPE_VMAR)
		fail(c, "vmar_root: 0x%x has type %u", v, rec.type);
	atomic_store(&t->pool->vmar, ENTRY(v, K_VMAR));
	pool_add(c, t, ENTRY(v, K_VMAR));
}

/*
 * The range a root VMAR maps into, learnt once through @v (a VMAR handle
 * of @t): false if it could not be.
 */
static bool vmar_range(struct ctx *c, struct table *t, uint32_t v)
{
	struct mxchan_object_get_info a = {
		.handle = v, .topic = MXCHAN_INFO_VMAR,
		.buffer_size = sizeof(struct mxchan_info_vmar),
	};
	unsigned char *aux = c->rw + role_off(R_AUX);
	unsigned char *arg = c->rw + role_off(R_ARG);
	struct mxchan_info_vmar rec;

	if (c->vmar_len)
		return true;
	reset_bk(c);
	a.buffer = (uintptr_t)aux;
	c->bk[R_ARG] = BK_VALID;
	c->bk[R_AUX] = BK_VALID;
	memcpy(arg, &a, sizeof(a));
	if (fz_ioctl(c, OP_GET_INFO, t, MXCHAN_IOC_OBJECT_GET_INFO,
		     (unsigned long)(uintptr_t)arg, &a, sizeof(a)))
		return false;
	memcpy(&rec, aux, sizeof(rec));
	if (!rec.len || rec.base % PAGE || rec.base + rec.len < rec.base) {
		fail(c, "INFO_VMAR: base 0x%" PRIx64 " len 0x%" PRIx64,
		     (uint64_t)rec.base, (uint64_t)rec.len);
		return false;
	}
	c->vmar_base = rec.base;
	c->vmar_len = rec.len;
	return true;
}

/* Flags for vmar_map: mostly permissions, now and then the others. */
static uint32_t pick_map_flags(struct ctx *c)
{
	static const uint32_t perms[] = {
		MXCHAN_VM_FLAG_PERM_READ,
		MXCHAN_VM_FLAG_PERM_READ | MXCHAN_VM_FLAG_PERM_WRITE,
		MXCHAN_VM_FLAG_PERM_READ | MXCHAN_VM_FLAG_PERM_EXECUTE,
		MXCHAN_VM_FLAG_PERM_READ | MXCHAN_VM_FLAG_PERM_WRITE |
		MXCHAN_VM_FLAG_PERM_EXECUTE,
		MXCHAN_VM_FLAG_PERM_WRITE, MXCHAN_VM_FLAG_PERM_EXECUTE, 0,
	};
	uint32_t f;

	if (chance(c, 8))
		return chance(c, 50) ? 1u << below(c, 32) : (uint32_t)rnd(c);
	f = perms[chance(c, 85) ? below(c, 4) : below(c, 7)];
	if (chance(c, 15))
		f |= MXCHAN_VM_FLAG_SPECIFIC;
	if (chance(c, 10))
		f |= MXCHAN_VM_FLAG_SPECIFIC_OVERWRITE;
	if (chance(c, 5))
		f |= MXCHAN_VM_FLAG_COMPACT;
	if (chance(c, 5))
		f |= MXCHAN_VM_FLAG_MAP_RANGE;
	if (chance(c, 3))
		f |= MXCHAN_VM_FLAG_CAN_MAP_SPECIFIC << below(c, 4);
	return f;
}

/* A mapping's length: a few pages mostly, or around the edges. */
static uint64_t pick_map_len(struct ctx *c)
{
	static const uint64_t edge[] = {
		0, 1, PAGE - 1, 1ULL << 30, 1ULL << 40, 1ULL << 46, 1ULL << 47,
		UINT64_MAX - PAGE + 1, UINT64_MAX,
	};
	uint32_t r = below(c, 100);

	if (r < 70)
		return (1 + below(c, 8)) * (uint64_t)PAGE -
		       (chance(c, 20) ? below(c, PAGE) : 0);
	if (r < 90)
		return below(c, 17 * PAGE + 1);
	return edge[below(c, sizeof(edge) / sizeof(edge[0]))];
}

/* Touching a mapped page past a VMO's end is SIGBUS: caught here. */
static __thread sigjmp_buf bus_jmp;
static __thread volatile sig_atomic_t bus_armed;

static void on_sigbus(int sig)
{
	if (bus_armed)
		siglongjmp(bus_jmp, 1);
	signal(sig, SIG_DFL);	/* not ours: die of it */
}

/* Read (and write, if @write) the first byte at @addr; false on SIGBUS. */
static bool touch(uintptr_t addr, bool write)
{
	bool ok = false;

	bus_armed = 1;
	if (!sigsetjmp(bus_jmp, 1)) {
		char v = *(volatile char *)addr;

		if (write)
			*(volatile char *)addr = v;
		ok = true;
	}
	bus_armed = 0;
	return ok;
}

/*
 * Reserve [@at, +@len) of a slot again, PROT_NONE: over our own mapping
 * (@ours), or into a hole, which someone else's mapping may have taken
 * (false: the slot is not ours any more).
 */
static bool slot_restore(uintptr_t at, uint64_t len, bool ours)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
		    (ours ? MAP_FIXED : MAP_FIXED_NOREPLACE);

	return mmap((void *)at, len, PROT_NONE, flags, -1, 0) == (void *)at;
}

/*
 * VMAR_MAP. SPECIFIC_OVERWRITE replaces what is mapped: only ever into a
 * slot of this thread's (reserved PROT_NONE memory), with a length that
 * stays inside it and an address pointer the kernel can write (so that a
 * failure maps nothing), and the slot is reserved again after. SPECIFIC
 * alone goes into a slot (taken: NO_MEMORY) or anywhere (what is free).
 * Every mapping made is unmapped at once: at most one per thread lives.
 *
 * A success had flags Magenta allows (no CAN_MAP_, none unknown, WRITE
 * or EXECUTE with READ, not MAP_RANGE with SPECIFIC_OVERWRITE), reserved
 * 0, a length, a VMO offset on a page, a VMAR offset only with SPECIFIC
 * (on a page); the address, through a pointer the kernel could write, is
 * on a page, inside the root VMAR's range, base + offset with SPECIFIC.
 * A readable mapping reads (or is past the VMO's end: SIGBUS); one made
 * through handles without WRITE cannot be mprotect()ed writable.
 */
static void op_vmar_map(struct ctx *c, struct table *t)
{
	struct mxchan_info_handle_basic rv, ro;
	struct mxchan_vmar_map a = { 0 };
	bool overwrite, specific, inslot = false;
	uintptr_t at = 0, addr;
	struct pick vr, vo;
	uint64_t len;
	const void *p;
	int s = -1, r;

	pick_vm(c, t, true, &vr);
	pick_vm(c, t, false, &vo);
	a.vmar = vr.v;
	a.vmo = vo.v;
	a.flags = pick_map_flags(c);
	a.reserved = odd_u32(c, 2);
	a.vmo_offset = chance(c, 70) ? below(c, 4) * (uint64_t)PAGE :
		       chance(c, 50) ? below(c, 17 * PAGE) : pick_vmo_offset(c);
	a.len = pick_map_len(c);
	overwrite = a.flags & MXCHAN_VM_FLAG_SPECIFIC_OVERWRITE;
	specific = a.flags & MXCHAN_VM_FLAG_SPECIFIC;
	if (overwrite && vr.e && E_KIND(vr.e) == K_VMAR && vmar_range(c, t, vr.v)) {
		/* pages [k, k + n) of a slot that is still ours */
		uint64_t k, room;

		s = (int)below(c, MAP_SLOTS);
		if (c->slot_lost[s])
			s = -1;
		for (k = 0; s < 0 && k < MAP_SLOTS; k++)
			if (!c->slot_lost[k])
				s = (int)k;
		if (s < 0) {
			a.flags &= ~MXCHAN_VM_FLAG_SPECIFIC_OVERWRITE;
		} else {
			k = below(c, SLOT_PAGES);
			at = (uintptr_t)c->slots + ((uint64_t)s * SLOT_PAGES + k) * PAGE;
			room = (SLOT_PAGES - k) * (uint64_t)PAGE;
			if (!a.len || a.len > room)
				a.len = chance(c, 10) ? 0 : room;
			a.vmar_offset = at - c->vmar_base;
			inslot = true;
		}
	} else if (overwrite) {
		a.flags &= ~MXCHAN_VM_FLAG_SPECIFIC_OVERWRITE;
	}
	overwrite = a.flags & MXCHAN_VM_FLAG_SPECIFIC_OVERWRITE;
	if (!overwrite && specific) {
		if (chance(c, 40) && vmar_range(c, t, vr.v))
			a.vmar_offset = (uintptr_t)c->slots - c->vmar_base +
					below(c, MAP_SLOTS * SLOT_PAGES) *
					(uint64_t)PAGE;
		else
			a.vmar_offset = chance(c, 80) ?
					(rnd(c) & 0x7fffffff000ULL) : rnd(c);
	} else if (!overwrite && chance(c, 5)) {
		a.vmar_offset = chance(c, 50) ? PAGE : rnd(c);
	}
	reset_bk(c);
	a.mapped_addr = overwrite ? place(c, R_O0, BK_VALID, NULL, 0, 8) :
			place_out(c, R_O0, sizeof(uintptr_t));
	r = do_call(c, OP_VMAR_MAP, t, MXCHAN_IOC_VMAR_MAP, &a, sizeof(a));
	check_bad(c, r, vr.bad, vr.v, "vmar_map (vmar)");
	check_bad(c, r, vo.bad, vo.v, "vmar_map (vmo)");
	len = (a.len + PAGE - 1) & ~(uint64_t)(PAGE - 1);
	if (r) {
		/* nothing mapped; if the slot has a hole, it is not ours */
		if (inslot && mincore((void *)at, len, c->mincore_vec) &&
		    !slot_restore(at, len, false))
			c->slot_lost[s] = true;
		return;
	}
	p = out_result(c, R_O0, a.mapped_addr, sizeof(uintptr_t), false,
		       "vmar_map");
	if (!p)
		return;		/* lost: reported */
	memcpy(&addr, p, sizeof(addr));
	if ((a.flags & (MXCHAN_VM_FLAG_CAN_MAP_SPECIFIC |
			MXCHAN_VM_FLAG_CAN_MAP_READ |
			MXCHAN_VM_FLAG_CAN_MAP_WRITE |
			MXCHAN_VM_FLAG_CAN_MAP_EXECUTE)) ||
	    (a.flags & ~0x43fu) ||
	    ((a.flags & (MXCHAN_VM_FLAG_PERM_WRITE | MXCHAN_VM_FLAG_PERM_EXECUTE)) &&
	     !(a.flags & MXCHAN_VM_FLAG_PERM_READ)) ||
	    ((a.flags & MXCHAN_VM_FLAG_MAP_RANGE) && overwrite) ||
	    a.reserved || !a.len || a.vmo_offset % PAGE ||
	    (!(a.flags & (MXCHAN_VM_FLAG_SPECIFIC |
			  MXCHAN_VM_FLAG_SPECIFIC_OVERWRITE)) && a.vmar_offset) ||
	    addr % PAGE)
		fail(c, "vmar_map succeeded, at 0x%lx", (unsigned long)addr);
	if (c->vmar_len && (addr < c->vmar_base ||
			    addr - c->vmar_base + len > c->vmar_len ||
			    ((a.flags & (MXCHAN_VM_FLAG_SPECIFIC |
					 MXCHAN_VM_FLAG_SPECIFIC_OVERWRITE)) &&
			     addr != c->vmar_base + a.vmar_offset)))
		fail(c, "vmar_map: 0x%lx for offset 0x%" PRIx64 " of [0x%" PRIx64
		     ", +0x%" PRIx64 ")", (unsigned long)addr,
		     (uint64_t)a.vmar_offset, c->vmar_base, c->vmar_len);
	if (inslot && addr != at) {
		fail(c, "vmar_map: SPECIFIC_OVERWRITE at 0x%lx, not 0x%lx",
		     (unsigned long)addr, (unsigned long)at);
		inslot = false;
	}
	if ((a.flags & MXCHAN_VM_FLAG_PERM_READ) && chance(c, 25))
		touch(addr, a.flags & MXCHAN_VM_FLAG_PERM_WRITE);
	if (chance(c, 20) && basic_info(c, t, a.vmar, &rv) &&
	    basic_info(c, t, a.vmo, &ro) &&
	    !(rv.rights & ro.rights & MXCHAN_RIGHT_WRITE) &&
	    !mprotect((void *)addr, PAGE, PROT_READ | PROT_WRITE))
		fail(c, "a mapping through handles without WRITE (0x%x, 0x%x) "
		     "became writable", rv.rights, ro.rights);
	if (inslot ? !slot_restore(addr, len, true) :
	    munmap((void *)addr, len))
		fail(c, "vmar_map: cannot unmap 0x%lx +0x%" PRIx64 ": %s",
		     (unsigned long)addr, len, strerror(errno));
}

/*
 * OBJECT_GET_PROPERTY and OBJECT_SET_PROPERTY. A success had a value, the
 * NAME property, a handle that is a VMO's (only VMOs have the rights); a
 * get had room for the 32 bytes, wrote them where the kernel could, NUL
 * padded; a set read its (at most 31) bytes from where it could.
 */
static void op_property(struct ctx *c, struct table *t, bool set)
{
	static const uint64_t sizes[] = {
		0, 1, 31, 32, 33, 4096, 1ULL << 32, UINT64_MAX,
	};
	const char *what = set ? "object_set_property" : "object_get_property";
	struct mxchan_object_property a = { 0 };
	unsigned char name[MXCHAN_MAX_NAME_LEN];
	uint64_t use;
	struct pick pk;
	uint32_t i, r = below(c, 100);
	const unsigned char *p;
	int kind, ret;

	if (chance(c, 80))
		pick_vm(c, t, false, &pk);
	else
		pick_handle(c, t, 0, &pk);
	a.handle = pk.v;
	a.property = chance(c, 85) ? MXCHAN_PROP_NAME :
		     chance(c, 50) ? below(c, 8) : (uint32_t)rnd(c);
	a.size = r < 60 ? MXCHAN_MAX_NAME_LEN : r < 80 ? below(c, 40) :
		 sizes[below(c, sizeof(sizes) / sizeof(sizes[0]))];
	for (i = 0; i < sizeof(name); i++)
		name[i] = chance(c, 5) ? 0 : (unsigned char)(' ' + below(c, 95));
	use = set ? (a.size < 31 ? a.size : 31) : MXCHAN_MAX_NAME_LEN;
	kind = chance(c, 5) ? BK_NULL : buf_kind(c);
	a.value = place(c, R_AUX, kind, set ? name : NULL, set ? sizeof(name) : 0,
			use);
	ret = do_call(c, set ? OP_SET_PROPERTY : OP_GET_PROPERTY, t,
		      set ? MXCHAN_IOC_OBJECT_SET_PROPERTY :
			    MXCHAN_IOC_OBJECT_GET_PROPERTY, &a, sizeof(a));
	check_bad(c, ret, pk.bad, pk.v, what);
	if (ret)
		return;
	if (!a.value || a.property != MXCHAN_PROP_NAME ||
	    (pk.e && E_KIND(pk.e) != K_VMO && E_KIND(pk.e) != K_UNKNOWN) ||
	    (!set && a.size < MXCHAN_MAX_NAME_LEN) ||
	    (use && (kind == BK_EDGE ? use > c->lim[R_AUX] :
		     kind >= BK_NONE || (!set && kind == BK_RO)))) {
		fail(c, "%s succeeded: property %u, %" PRIu64 " bytes at a %s "
		     "value, handle kind %d", what, a.property, (uint64_t)a.size,
		     bk_name[kind], pk.e ? E_KIND(pk.e) : -1);
		return;
	}
	p = set ? NULL : readable(c, R_AUX, MXCHAN_MAX_NAME_LEN);
	if (!p)
		return;
	for (i = 0; i < MXCHAN_MAX_NAME_LEN && p[i]; i++)
		;
	for (; i < MXCHAN_MAX_NAME_LEN; i++)
		if (p[i]) {
			fail(c, "object_get_property: a name not NUL padded");
			break;
		}
}

static bool known_cmd(unsigned long cmd)
{
	switch (cmd) {
	case MXCHAN_IOC_VERSION: case MXCHAN_IOC_CHANNEL_CREATE:
	case MXCHAN_IOC_CHANNEL_WRITE: case MXCHAN_IOC_CHANNEL_READ:
	case MXCHAN_IOC_HANDLE_CLOSE: case MXCHAN_IOC_HANDLE_DUPLICATE:
	case MXCHAN_IOC_HANDLE_REPLACE: case MXCHAN_IOC_OBJECT_GET_INFO:
	case MXCHAN_IOC_EVENT_CREATE: case MXCHAN_IOC_HANDLE_MOVE:
	case MXCHAN_IOC_STARTUP_TAKE: case MXCHAN_IOC_OBJECT_WAIT_ONE:
	case MXCHAN_IOC_OBJECT_WAIT_MANY: case MXCHAN_IOC_OBJECT_SIGNAL:
	case MXCHAN_IOC_EVENTPAIR_CREATE: case MXCHAN_IOC_CHANNEL_CALL:
	case MXCHAN_IOC_SIGNAL_FD: case MXCHAN_IOC_CALL_FINISH:
	case MXCHAN_IOC_PORT_CREATE: case MXCHAN_IOC_PORT_QUEUE:
	case MXCHAN_IOC_PORT_WAIT: case MXCHAN_IOC_PORT_CANCEL:
	case MXCHAN_IOC_OBJECT_WAIT_ASYNC: case MXCHAN_IOC_CHANNEL_REPLY_READ:
	case MXCHAN_IOC_FIFO_CREATE: case MXCHAN_IOC_FIFO_WRITE:
	case MXCHAN_IOC_FIFO_READ: case MXCHAN_IOC_SOCKET_CREATE:
	case MXCHAN_IOC_SOCKET_WRITE: case MXCHAN_IOC_SOCKET_READ:
	case MXCHAN_IOC_VMO_CREATE: case MXCHAN_IOC_VMO_READ:
	case MXCHAN_IOC_VMO_WRITE: case MXCHAN_IOC_VMO_GET_SIZE:
	case MXCHAN_IOC_VMO_SET_SIZE: case MXCHAN_IOC_VMO_OP_RANGE:
	case MXCHAN_IOC_VMO_CLONE: case MXCHAN_IOC_VMO_CACHE_POLICY:
	case MXCHAN_IOC_VMAR_ROOT: case MXCHAN_IOC_VMAR_MAP:
	case MXCHAN_IOC_OBJECT_GET_PROPERTY:
	case MXCHAN_IOC_OBJECT_SET_PROPERTY:
	case MXCHAN_IOC_TIMER_CREATE: case MXCHAN_IOC_TIMER_SET:
	case MXCHAN_IOC_TIMER_CANCEL: case MXCHAN_IOC_OBJECT_SET_COOKIE:
	case MXCHAN_IOC_OBJECT_GET_COOKIE:
		return true;
	}
	return false;
}

/* A command in the 0xB9 range that is not one of ours: ENOTTY. */
static void op_raw(struct ctx *c, struct table *t)
{
	static const unsigned int sizes[] = { 0, 8, 16, 24, 32, 40, 48, 80 };
	unsigned long cmd;
	uint32_t nr, size, dir;
	uint64_t arg;

	do {
		dir = below(c, 4);
		/* mostly one of our numbers with another size or direction */
		nr = chance(c, 60) ? below(c, 0x2f) : below(c, 256);
		size = chance(c, 70) ? sizes[below(c, 8)] + (chance(c, 30) ? 4 : 0) :
		       below(c, 1u << 14);
		cmd = _IOC(dir, MXCHAN_IOC_MAGIC, nr, size);
	} while (known_cmd(cmd));
	arg = chance(c, 50) ? place(c, R_ARG, buf_kind(c), NULL, 0, size) : rnd(c);
	fz_ioctl(c, OP_RAW, t, cmd, (unsigned long)arg, NULL, 0);
}

/* ---- threads ---- */

static int pick_op(struct ctx *c)
{
	unsigned int r, i, total = 0;

	for (i = 0; i < NOPS; i++)
		total += op_weight[i];
	r = below(c, total);
	for (i = 0; i < NOPS; i++) {
		if (r < op_weight[i])
			return (int)i;
		r -= op_weight[i];
	}
	return OP_VERSION;
}

static void one_op(struct ctx *c)
{
	struct table *t = c->tabs[chance(c, 60) ? 0 : 1];

	reset_bk(c);
	switch (pick_op(c)) {
	case OP_VERSION: op_version(c, t); break;
	case OP_CHANNEL_CREATE: op_channel_create(c, t); break;
	case OP_CHANNEL_WRITE: op_channel_write(c, t); break;
	case OP_CHANNEL_READ: op_channel_read(c, t); break;
	case OP_HANDLE_CLOSE: op_handle_close(c, t); break;
	case OP_HANDLE_DUPLICATE: op_handle_rights(c, t, true); break;
	case OP_HANDLE_REPLACE: op_handle_rights(c, t, false); break;
	case OP_GET_INFO: op_get_info(c, t); break;
	case OP_EVENT_CREATE: op_event_create(c, t); break;
	case OP_HANDLE_MOVE: op_handle_move(c, t); break;
	case OP_STARTUP_TAKE: op_startup_take(c, t); break;
	case OP_WAIT_ONE: op_wait_one(c, t); break;
	case OP_WAIT_MANY: op_wait_many(c, t); break;
	case OP_SIGNAL: op_signal(c, t); break;
	case OP_EVENTPAIR_CREATE: op_eventpair_create(c, t); break;
	case OP_CHANNEL_CALL: op_channel_call(c, t, false); break;
	case OP_CALL_FINISH: op_channel_call(c, t, true); break;
	case OP_SIGNAL_FD: op_signal_fd(c, t); break;
	case OP_PORT_CREATE: op_port_create(c, t); break;
	case OP_PORT_QUEUE: op_port_queue(c, t); break;
	case OP_PORT_WAIT: op_port_wait(c, t); break;
	case OP_PORT_CANCEL: op_port_cancel(c, t); break;
	case OP_WAIT_ASYNC: op_wait_async(c, t); break;
	case OP_REPLY_READ: op_reply_read(c, t); break;
	case OP_FIFO_CREATE: op_fifo_create(c, t); break;
	case OP_FIFO_WRITE: op_fifo_write(c, t); break;
	case OP_FIFO_READ: op_fifo_read(c, t); break;
	case OP_SOCKET_CREATE: op_socket_create(c, t); break;
	case OP_SOCKET_WRITE: op_socket_write(c, t); break;
	case OP_SOCKET_READ: op_socket_read(c, t); break;
	case OP_VMO_CREATE: op_vmo_create(c, t); break;
	case OP_VMO_READ: op_vmo_read(c, t); break;
	case OP_VMO_WRITE: op_vmo_write(c, t); break;
	case OP_VMO_GET_SIZE: op_vmo_size(c, t, false); break;
	case OP_VMO_SET_SIZE: op_vmo_size(c, t, true); break;
	case OP_VMO_OP_RANGE: op_vmo_op_range(c, t); break;
	case OP_VMO_CLONE: op_vmo_clone(c, t); break;
	case OP_VMO_CACHE_POLICY: op_vmo_cache_policy(c, t); break;
	case OP_VMAR_ROOT: op_vmar_root(c, t); break;
	case OP_VMAR_MAP: op_vmar_map(c, t); break;
	case OP_GET_PROPERTY: op_property(c, t, false); break;
	case OP_SET_PROPERTY: op_property(c, t, true); break;
	case OP_RAW: op_raw(c, t); break;
	}
}

static void *map(size_t size, int prot, int flags)
{
	void *p = mmap(NULL, size, prot, flags | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* Map a thread's buffers; false if the system would not. */
static bool ctx_init(struct ctx *c, struct shared *sh, int tid, int gen,
		     struct table *t0, struct table *t1, int devnull,
		     struct lastcall *last)
{
	size_t total = roles_total();
	int i;

	memset(c, 0, sizeof(*c));
	c->sh = sh;
	c->tid = tid;
	c->gen = gen;
	c->tabs[0] = t0;
	c->tabs[1] = t1;
	c->devnull = devnull;
	c->last = last;
	c->rng = mix64(sh->seed ^ mix64((uint64_t)(gen + 1) << 8 | (uint64_t)tid)) | 1;
	memset(last, 0, sizeof(*last));
	last->gen = gen;
	last->tid = tid;
	c->rw = map(total, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	c->shrw = map(total, PROT_READ | PROT_WRITE, MAP_SHARED);
	if (!c->rw || !c->shrw)
		return false;
	/* a second mapping of the same pages, read-only */
	c->ro = mremap(c->shrw, 0, total, MREMAP_MAYMOVE);
	if (c->ro == MAP_FAILED || mprotect(c->ro, total, PROT_READ))
		return false;
	memset(c->shrw, 0xa5, total);	/* handle values 0xa5a5a5a5: negative */
	c->edge = map(2 * NROLES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	c->none = map(9 * PAGE, PROT_NONE, MAP_PRIVATE);
	if (!c->edge || !c->none)
		return false;
	for (i = 0; i < NROLES; i++)
		if (mprotect(c->edge + (2 * i + 1) * PAGE, PAGE, PROT_NONE))
			return false;
	c->slots = map(MAP_SLOTS * SLOT_PAGES * PAGE, PROT_NONE,
		       MAP_PRIVATE | MAP_NORESERVE);
	return c->slots != NULL;
}

static void ctx_fini(struct ctx *c)
{
	size_t total = roles_total();
	int i;

	while (c->nsigfd)
		sigfd_drop(c->sigfd[--c->nsigfd], false);
	munmap(c->rw, total);
	munmap(c->ro, total);
	munmap(c->shrw, total);
	munmap(c->edge, 2 * NROLES * PAGE);
	munmap(c->none, 9 * PAGE);
	/* a lost slot holds someone else's mapping: left alone */
	for (i = 0; i < MAP_SLOTS; i++)
		if (!c->slot_lost[i])
			munmap(c->slots + (size_t)i * SLOT_PAGES * PAGE,
			       SLOT_PAGES * PAGE);
}

static void *worker(void *p)
{
	struct ctx *c = p;
	struct shared *sh = c->sh;

	while (!atomic_load_explicit(&sh->stop, memory_order_relaxed)) {
		if (atomic_load_explicit(&sh->calls, memory_order_relaxed) >=
		    sh->budget) {
			atomic_store(&sh->stop, 1);
			break;
		}
		one_op(c);
	}
	ctx_fini(c);
	if (c->gen < 0)
		atomic_fetch_add(&sh->done, 1);
	return NULL;
}

/* In a forked child: fuzz a new table and the parent's T1, until killed. */
static void child_main(struct shared *sh, int gen, struct table *t1,
		       int devnull)
{
	struct ctx c[NCHILD];
	pthread_t th[NCHILD];
	struct table t3 = { .id = 3 };
	int i;

	t3.fd = open(MXCHAN_DEVICE, O_RDWR | O_CLOEXEC);
	t3.pool = map(sizeof(struct pool), PROT_READ | PROT_WRITE, MAP_PRIVATE);
	if (t3.fd < 0 || !t3.pool) {
		dprintf(2, "# fuzz child %d: cannot open %s or map: %s\n", gen,
			MXCHAN_DEVICE, strerror(errno));
		_exit(2);
	}
	for (i = 0; i < NCHILD; i++) {
		if (!ctx_init(&c[i], sh, i, gen, &t3, t1, devnull,
			      &sh->last[NPARENT + i]))
			_exit(2);
		if (pthread_create(&th[i], NULL, worker, &c[i]))
			_exit(2);
	}
	for (i = 0; i < NCHILD; i++)
		pthread_join(th[i], NULL);
	_exit(0);
}

struct manager {
	struct shared *sh;
	struct table *t1;
	int devnull;
	uint64_t rng;
	int gen;
	int exit_bad;		/* a child that exited by itself with a status */
};

static void *manager(void *p)
{
	struct manager *m = p;
	struct shared *sh = m->sh;
	struct ctx rc = { .rng = mix64(sh->seed ^ 0x6d616e61676572ULL) | 1 };

	while (!atomic_load(&sh->stop)) {
		uint64_t life_us, start;
		int st = 0, i;
		pid_t pid;

		life_us = chance(&rc, 50) ? below(&rc, 20000) :
			  chance(&rc, 80) ? below(&rc, 200000) : below(&rc, 1000000);
		pid = fork();
		if (pid < 0)
			break;
		if (pid == 0)
			child_main(sh, m->gen, m->t1, m->devnull);
		atomic_fetch_add(&sh->forks, 1);
		start = now_ns();
		while (!atomic_load(&sh->stop) && now_ns() - start < life_us * 1000) {
			if (waitpid(pid, &st, WNOHANG) == pid)
				goto reaped;
			usleep(life_us < 2000 ? (useconds_t)life_us : 2000);
		}
		atomic_store(&sh->kill_ns, now_ns());
		kill(pid, SIGKILL);
		atomic_fetch_add(&sh->kills, 1);
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
reaped:
		atomic_store(&sh->kill_ns, 0);
		if (WIFEXITED(st)) {
			atomic_fetch_add(&sh->child_exits, 1);
			if (WEXITSTATUS(st) && !m->exit_bad)
				m->exit_bad = WEXITSTATUS(st);
		}
		for (i = NPARENT; i < NSLOTS; i++)
			atomic_store(&sh->last[i].start, 0);
		m->gen++;
	}
	atomic_fetch_add(&sh->done, 1);
	return NULL;
}

/* ---- the test ---- */

static uint64_t env_u64(const char *name, uint64_t dflt)
{
	const char *s = getenv(name);
	char *end;
	uint64_t v;

	if (!s || !*s)
		return dflt;
	errno = 0;
	v = strtoull(s, &end, 0);
	return errno || *end ? dflt : v;
}

static void print_stats(struct shared *sh)
{
	int op, e;

	for (op = 0; op < NOPS; op++) {
		char line[512];
		uint64_t total = 0;
		size_t off = 0;

		for (e = 0; e < NERR; e++)
			total += sh->stats[op][e];
		if (!total)
			continue;
		off += (size_t)snprintf(line, sizeof(line), "%-18s %9" PRIu64 ":",
					ops[op].name, total);
		for (e = 0; e < NERR && off < sizeof(line); e++) {
			uint64_t n = sh->stats[op][e];

			if (n)
				off += (size_t)snprintf(line + off, sizeof(line) - off,
							" %s %" PRIu64,
							e == NERR - 1 ? "other" : errno_name(e), n);
		}
		fprintf(stderr, "#   %s\n", line);
	}
}

static void peak_update(struct mxt_counters *peak)
{
	struct mxt_counters s;

	if (!mxt_counters_read(&s))
		return;
	if (s.objects > peak->objects)
		peak->objects = s.objects;
	if (s.handles > peak->handles)
		peak->handles = s.handles;
	if (s.messages > peak->messages)
		peak->messages = s.messages;
	if (s.packets > peak->packets)
		peak->packets = s.packets;
	if (s.async_waits > peak->async_waits)
		peak->async_waits = s.async_waits;
}

static bool counters_equal(const struct mxt_counters *a,
			   const struct mxt_counters *b)
{
	return a->objects == b->objects && a->handles == b->handles &&
	       a->messages == b->messages && a->packets == b->packets &&
	       a->async_waits == b->async_waits;
}

/*
 * Limits the run lowers now and then, so that ENOMEM paths are taken
 * too (the queue, packet and observer limits fill up in a few calls).
 */
#define NLIMITS 5
#define L_VMO_PAGES 4
static const char *const limit_name[NLIMITS] = {
	"max_queued", "max_port_packets", "max_port_observers",
	"max_user_socket_pages", "max_user_vmo_pages",
};
static const char *const limit_low[NLIMITS] = { "2", "2", "4", "64", "64" };
/*
 * And the rest of the time: the saved value, but for the VMO budget,
 * which stays small all along, so that what COMMIT and writes make (all
 * of a VMO's size at most) cannot eat the guest's memory.
 */
#define STR(x) #x
#define XSTR(x) STR(x)
static const char *const limit_high[NLIMITS] = {
	[L_VMO_PAGES] = XSTR(VMO_CAP_PAGES),
};

FIXTURE(fuzz) {
	char saved[NLIMITS][32];	/* "" if it cannot be changed */
};

FIXTURE_SETUP(fuzz)
{
	int i;

	for (i = 0; i < NLIMITS; i++) {
		/* setting it to what it is tells whether we may */
		char path[128];
		ssize_t n;
		int fd;

		self->saved[i][0] = 0;
		snprintf(path, sizeof(path), "/sys/module/mxchan/parameters/%s",
			 limit_name[i]);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		n = read(fd, self->saved[i], sizeof(self->saved[i]) - 1);
		close(fd);
		self->saved[i][n > 0 ? n : 0] = 0;
		if (n <= 0 || mxt_param_set(limit_name[i], self->saved[i], NULL, 0))
			self->saved[i][0] = 0;
		else if (limit_high[i])
			mxt_param_set(limit_name[i], limit_high[i], NULL, 0);
	}
}

/* Also after a failed assertion: the next tests want the defaults. */
FIXTURE_TEARDOWN_PARENT(fuzz)
{
	int i;

	for (i = 0; i < NLIMITS; i++)
		if (self->saved[i][0])
			mxt_param_restore(limit_name[i], self->saved[i]);
}

static void limits_low(FIXTURE_DATA(fuzz) *self, bool low)
{
	int i;

	for (i = 0; i < NLIMITS; i++)
		if (self->saved[i][0])
			mxt_param_set(limit_name[i],
				      low ? limit_low[i] :
				      limit_high[i] ? limit_high[i] :
				      self->saved[i], NULL, 0);
}

/* A generous bound: MXCHAN_FUZZ_CALLS decides how long it runs. */
TEST_F_TIMEOUT(fuzz, ioctls, 6 * 3600)
{
	struct mxt_counters before, after, peak = { 0 };
	struct mxt_gc gc0, gc1;
	struct table tabs[2] = { { .id = 1 }, { .id = 2 } };
	struct ctx c[NPARENT];
	pthread_t th[NPARENT], mt;
	struct manager m = { 0 };
	uint64_t start, next_report, last_sample = 0, last_flip;
	long pages0;
	int maps0;
	bool have, hung = false, low = false;
	struct shared *sh;
	int devnull, i;

	have = mxt_counters_read(&before);
	if (have)
		ASSERT_TRUE(mxt_gc_settle(&gc0));
	pages0 = mxt_vmo_pages();
	maps0 = mxt_vmo_maps();
	sh = map(sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED);
	ASSERT_NE(NULL, sh);
	sh->vmo_capped = self->saved[L_VMO_PAGES][0] != 0;
	/* a touch of a mapping past its VMO's end: SIGBUS, caught */
	{
		struct sigaction sa = { .sa_handler = on_sigbus };

		sigaction(SIGBUS, &sa, NULL);
	}
	sh->seed = env_u64("MXCHAN_FUZZ_SEED", mix64(now_ns() ^ (uint64_t)getpid() << 32));
	sh->budget = env_u64("MXCHAN_FUZZ_CALLS", FUZZ_DEFAULT_CALLS);
	TH_LOG("seed %" PRIu64 " (MXCHAN_FUZZ_SEED=%" PRIu64 " replays it), %" PRIu64
	       " ioctls (MXCHAN_FUZZ_CALLS)", sh->seed, sh->seed, sh->budget);

	for (i = 0; i < 2; i++) {
		tabs[i].fd = open(MXCHAN_DEVICE, O_RDWR | O_CLOEXEC);
		ASSERT_LE(0, tabs[i].fd);
		tabs[i].pool = &sh->pool[i];
	}
	devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, devnull);

	start = now_ns();
	next_report = sh->budget / 4;
	for (i = 0; i < NPARENT; i++) {
		ASSERT_TRUE(ctx_init(&c[i], sh, i, -1, &tabs[i % 2], &tabs[1 - i % 2],
				     devnull, &sh->last[i]));
		ASSERT_EQ(0, pthread_create(&th[i], NULL, worker, &c[i]));
	}
	m.sh = sh;
	m.t1 = &tabs[0];
	m.devnull = devnull;
	ASSERT_EQ(0, pthread_create(&mt, NULL, manager, &m));
	last_flip = now_ns();
	if (!self->saved[0][0])
		TH_LOG("module limits cannot be lowered (not root?): ENOMEM paths not fuzzed");
	if (!sh->vmo_capped)
		TH_LOG("max_user_vmo_pages cannot be capped: VMOs kept to 17 pages");

	/* watch progress, hangs and the module's counters until all stop */
	while (atomic_load(&sh->done) < NPARENT + 1) {
		uint64_t calls, now, k;

		usleep(100000);
		calls = atomic_load(&sh->calls);
		now = now_ns();
		if (calls >= next_report && !atomic_load(&sh->stop)) {
			TH_LOG("%" PRIu64 " ioctls, %.0f/s, %" PRIu64 " children",
			       calls, calls / ((now - start) / 1e9),
			       (uint64_t)atomic_load(&sh->forks));
			next_report += sh->budget / 4;
		}
		if (have && now - last_sample > 1000000000ULL) {
			last_sample = now;
			peak_update(&peak);
		}
		/* low limits one second in four */
		if (now - last_flip > (low ? 1 : 3) * 1000000000ULL) {
			last_flip = now;
			low = !low;
			limits_low(self, low);
		}
		for (i = 0; i < NSLOTS; i++) {
			uint64_t st = atomic_load(&sh->last[i].start);

			if (st && now > st && now - st > HANG_NS) {
				char d[1024];

				describe(&sh->last[i], d, sizeof(d));
				TH_LOG("HANG: an ioctl has run for %d s: %s",
				       (int)(HANG_NS / 1000000000ULL), d);
				hung = true;
			}
		}
		k = atomic_load(&sh->kill_ns);
		if (k && now > k && now - k > HANG_NS) {
			TH_LOG("HANG: a child did not die within %d s of SIGKILL",
			       (int)(HANG_NS / 1000000000ULL));
			hung = true;
		}
		if (hung) {
			TH_LOG("seed %" PRIu64, sh->seed);
			atomic_store(&sh->stop, 1);
			/* threads are stuck in the kernel: give up on them */
			ASSERT_FALSE(hung);
		}
	}
	for (i = 0; i < NPARENT; i++)
		pthread_join(th[i], NULL);
	pthread_join(mt, NULL);
	limits_low(self, false);

	{
		double secs = (now_ns() - start) / 1e9;
		uint64_t calls = atomic_load(&sh->calls);

		TH_LOG("%" PRIu64 " ioctls (%" PRIu64 " in children) in %.1f s: %.0f/s; %" PRIu64
		       " children forked, %" PRIu64 " killed, %" PRIu64 " exited",
		       calls, (uint64_t)atomic_load(&sh->child_calls), secs,
		       calls / secs, (uint64_t)atomic_load(&sh->forks),
		       (uint64_t)atomic_load(&sh->kills),
		       (uint64_t)atomic_load(&sh->child_exits));
	}
	if (have)
		TH_LOG("peak live: %ld objects, %ld handles, %ld messages, %ld packets, %ld async waits",
		       peak.objects, peak.handles, peak.messages, peak.packets,
		       peak.async_waits);
	print_stats(sh);

	close(tabs[0].fd);
	close(tabs[1].fd);
	close(devnull);
	if (atomic_load(&sh->failed))
		TH_LOG("FAILURE: %s", sh->failmsg);
	ASSERT_EQ(0, atomic_load(&sh->failed));
	ASSERT_EQ(0, m.exit_bad);

	if (!have)
		SKIP(return, "no debugfs: counters not checked");
	/* everything is closed and reaped, rings collected: nothing is left */
	for (i = 0; i < 50; i++) {
		ASSERT_TRUE(mxt_gc_settle(&gc1));
		ASSERT_TRUE(mxt_counters_read(&after));
		if (counters_equal(&before, &after))
			break;
		usleep(100000);
	}
	TH_LOG("the collector destroyed %ld rings of %ld endpoints in %ld passes",
	       gc1.rings - gc0.rings, gc1.members - gc0.members,
	       gc1.passes - gc0.passes);
	EXPECT_EQ(before.objects, after.objects);
	EXPECT_EQ(before.handles, after.handles);
	EXPECT_EQ(before.messages, after.messages);
	EXPECT_EQ(before.packets, after.packets);
	EXPECT_EQ(before.async_waits, after.async_waits);
	/* every VMO gone with its pages' charge, every mapping unmapped */
	if (pages0 >= 0)
		EXPECT_EQ(pages0, mxt_vmo_pages());
	EXPECT_EQ(maps0, mxt_vmo_maps());
	munmap(sh, sizeof(*sh));
}

TEST_HARNESS_MAIN
