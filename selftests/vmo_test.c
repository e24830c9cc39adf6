// SPDX-License-Identifier: GPL-2.0
/*
 * VMOs: the ABI under libmx (struct layouts, reserved fields, a struct
 * the kernel cannot read, the actual pointer written after the bytes
 * moved and in the caller's width), create and its byte-exact sizes,
 * HANDLE_BASIC, every error of read, write, get_size, set_size,
 * op_range, clone and set_cache_policy in Magenta's order (the handle,
 * its rights, its type, then the buffer, then the range), read and write
 * at and past the end, lengths cut to the size, zeros where nothing was
 * written, shrinking and growing, large and unaligned transfers; clones
 * as Magenta had them (the fuchsia-zircon crate's "one" ... "four"
 * sequence, Magenta's clone_test_2 and clone_test_4 through reads, a
 * page the clone writes or commits becomes its own, zeros past the
 * parent's size, the parent's growth and shrink showing through,
 * DECOMMIT bringing the parent's bytes back, clones of clones, a chain
 * of 40), the clone's rights and name; COMMIT, DECOMMIT, LOOKUP (root
 * and not), LOCK, the cache ops; user signals; a VMO sent to another
 * process; every order of closing; max_user_vmo_pages and the vmo_pages
 * the module's debugfs shows.
 *
 * Each test ends with the module's live counters (debugfs) where they
 * were: every object and handle it made is gone, and the VMO pages
 * charged to us are back where they were.
 *
 * The binary is also its own child program: "vmo_test --child MODE".
 */
#define _GNU_SOURCE		/* setresuid() */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <magenta/process.h>
#include <magenta/processargs.h>
#include <magenta/syscalls/object.h>
#include <mxchan.h>

#include "mx-internal.h"
#include "mxchan_test.h"

#define H0 PA_HND(PA_USER0, 0)

#define PG 4096u
#define MIB (1u << 20)

/* Magenta's VMO rights, 0x10FF. */
#define VMO_RIGHTS (MX_RIGHT_DUPLICATE | MX_RIGHT_TRANSFER | MX_RIGHT_READ | \
		    MX_RIGHT_WRITE | MX_RIGHT_EXECUTE | MX_RIGHT_MAP |	      \
		    MX_RIGHT_GET_PROPERTY | MX_RIGHT_SET_PROPERTY |	      \
		    MX_RIGHT_SIGNAL)
/* What a clone adds to the rights of the handle it was made through. */
#define CLONE_ADDS (MX_RIGHT_WRITE | MX_RIGHT_GET_PROPERTY | \
		    MX_RIGHT_SET_PROPERTY)

#define COW MX_VMO_CLONE_COPY_ON_WRITE
#define LAST MX_SIGNAL_LAST_HANDLE
#define U0 MX_USER_SIGNAL_0

/* What an actual the kernel must not write holds. */
#define NOACT ((size_t)-1)
/* The pattern seed that means "zeros". */
#define ZERO (-1)

#define PARAM "max_user_vmo_pages"
#define PARAM_PATH "/sys/module/mxchan/parameters/" PARAM

/* Big enough for the largest transfer and a few pages more. */
static unsigned char wbuf[MIB + 4 * PG];
static unsigned char rbuf[MIB + 4 * PG];

/* ---- helpers ---- */

/* The current signals of h; all bits if that wait failed. */
static mx_signals_t state(mx_handle_t h)
{
	mx_signals_t s = 0;

	if (mx_object_wait_one(h, 0, 0, &s) != MX_ERR_TIMED_OUT)
		return ~0u;
	return s;
}

/* Byte @i of the test pattern @seed (ZERO: 0). */
static unsigned char pat(uint64_t i, int seed)
{
	if (seed == ZERO)
		return 0;
	return (unsigned char)(i * 131u + (i >> 8) * 7u +
			       (unsigned int)seed * 29u + 1u);
}

static void fill(unsigned char *p, size_t n, uint64_t first, int seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = pat(first + i, seed);
}

/* The first byte of @p[0..n) that is not the pattern, or n. */
static size_t unlike(const unsigned char *p, size_t n, uint64_t first,
		     int seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != pat(first + i, seed))
			return i;
	return n;
}

/* Write @len bytes of pattern @seed, numbered from @first, at @off: all. */
static mx_status_t put_at(mx_handle_t h, uint64_t off, size_t len,
			  uint64_t first, int seed)
{
	size_t n = NOACT;
	mx_status_t st;

	fill(wbuf, len, first, seed);
	st = mx_vmo_write(h, wbuf, off, len, &n);
	return st == MX_OK && n != len ? MX_ERR_INTERNAL : st;
}

/* The same, numbered from @off: byte x of the VMO is pat(x, seed). */
static mx_status_t put(mx_handle_t h, uint64_t off, size_t len, int seed)
{
	return put_at(h, off, len, off, seed);
}

/*
 * Read [off, off + len) of h and compare it with pattern @seed numbered
 * from @first: the index of the first byte that differs, len if none,
 * (size_t)-2 if the read failed or was short.
 */
static size_t diff_at(mx_handle_t h, uint64_t off, size_t len, uint64_t first,
		      int seed)
{
	size_t n = NOACT;

	memset(rbuf, 0xa5, len);
	if (mx_vmo_read(h, rbuf, off, len, &n) != MX_OK || n != len)
		return (size_t)-2;
	return unlike(rbuf, len, first, seed);
}

/* Byte x of h reads pat(x + delta, seed) for x in [off, off + len). */
#define ASSERT_READS_AT(h, off, len, first, seed) do {			\
	size_t __len = (len);						\
	size_t __at = diff_at((h), (off), __len, (first), (seed));	\
	if (__at != __len)						\
		TH_LOG("byte %zd of %zu at offset %llu: read %#x, "	\
		       "pattern %d wants %#x", (ssize_t)__at, __len,	\
		       (unsigned long long)(off),			\
		       __at < __len ? rbuf[__at] : 0, (seed),		\
		       __at < __len ?					\
		       pat((first) + __at, (seed)) : 0);		\
	ASSERT_EQ(__len, __at);						\
} while (0)
#define ASSERT_READS(h, off, len, seed) \
	ASSERT_READS_AT(h, off, len, off, seed)

/* One little-endian u64 of h at off; ~0 if the read failed. */
static uint64_t get64(mx_handle_t h, uint64_t off)
{
	uint64_t v = ~0ULL;
	size_t n = 0;

	if (mx_vmo_read(h, &v, off, sizeof(v), &n) != MX_OK || n != sizeof(v))
		return ~0ULL;
	return v;
}

/* The u64 at @off of pattern @seed, as a read gives it (little-endian). */
static uint64_t pat64(uint64_t off, int seed)
{
	uint64_t v = 0;
	int k;

	for (k = 0; k < 8; k++)
		v |= (uint64_t)pat(off + k, seed) << (8 * k);
	return v;
}

static mx_status_t put64(mx_handle_t h, uint64_t off, uint64_t v)
{
	size_t n = 0;
	mx_status_t st = mx_vmo_write(h, &v, off, sizeof(v), &n);

	return st == MX_OK && n != sizeof(v) ? MX_ERR_INTERNAL : st;
}

/* The size of h; ~0 if get_size failed. */
static uint64_t size_of(mx_handle_t h)
{
	uint64_t s = ~0ULL;

	if (mx_vmo_get_size(h, &s) != MX_OK)
		return ~0ULL;
	return s;
}

/* ASSERT_STATUS, with a message when it fails. */
#define ASSERT_STATUS_LOG(expected, actual, ...) do {			\
	mx_status_t __sl = (actual);					\
	if (__sl != (expected))						\
		TH_LOG(__VA_ARGS__);					\
	ASSERT_STATUS((expected), __sl);				\
} while (0)

/* An ioctl on this process's table: 0 or the errno. */
static int raw(unsigned long cmd, void *arg)
{
	return ioctl(mxchan_table_fd(), cmd, arg) ? errno : 0;
}

static int raw_io(unsigned long cmd, mx_handle_t h, const void *data,
		  uint64_t off, uint64_t len, void *actual)
{
	struct mxchan_vmo_io a = {
		.handle = (uint32_t)h, .data = (uintptr_t)data, .offset = off,
		.len = len, .actual = (uintptr_t)actual,
	};

	return raw(cmd, &a);
}

/* A page that can be read but not written, holding @n bytes of @src. */
static void *ro_page(const void *src, size_t n)
{
	void *p = mmap(NULL, PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (n)
		memcpy(p, src, n);
	if (mprotect(p, PG, PROT_READ))
		return NULL;
	return p;
}

/*
 * A page that faults on any touch and stays mapped (PROT_NONE), so no
 * later mmap can hand its address out again, as one unmapped could be.
 */
static void *bad_ptr(void)
{
	void *p = mmap(NULL, PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		       0);

	return p == MAP_FAILED ? NULL : p;
}

/* VMO objects alive in the module (debugfs mxchan/objects); -1 if absent. */
static long vmos_live(void)
{
	FILE *f = fopen("/sys/kernel/debug/mxchan/objects", "r");
	long created, destroyed, n = -1;
	char kind[32];

	if (!f)
		return -1;
	while (fscanf(f, "%31s created %ld destroyed %ld", kind, &created,
		      &destroyed) == 3)
		if (!strcmp(kind, "vmo"))
			n = created - destroyed;
	fclose(f);
	return n;
}

/*
 * VMO pages charged to our euid (debugfs mxchan/users): -1 if the file
 * or our line is absent, -2 if our line is not in the module's format.
 */
static long vmo_pages(void)
{
	FILE *f = fopen("/sys/kernel/debug/mxchan/users", "r");
	long handles, inflight, bytes, waits, sockp, vmop, n = -1;
	char line[256];
	unsigned int uid;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "uid %u", &uid) != 1 || uid != geteuid())
			continue;
		if (sscanf(line, "uid %u handles %ld inflight %ld bytes %ld "
			   "waits %ld socket_pages %ld vmo_pages %ld", &uid,
			   &handles, &inflight, &bytes, &waits, &sockp,
			   &vmop) == 7)
			n = vmop;
		else
			n = -2;
	}
	fclose(f);
	return n;
}

/* The module's max_user_vmo_pages; -1 if it cannot be read. */
static long budget(void)
{
	FILE *f = fopen(PARAM_PATH, "r");
	long v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/*
 * A size in bytes that is above the budget but not above
 * MXCHAN_VMO_MAX_SIZE: 2^44 bytes (2^32 pages) unless the parameter says
 * more, which an unsigned int cannot.
 */
static uint64_t over_budget(void)
{
	long b = budget();

	if (b < 0 || (uint64_t)b < (1ULL << 32))
		return (uint64_t)PG << 32;
	return ((uint64_t)b + 1) * PG;
}

/* ---- the child programs ---- */

/*
 * Take a VMO from the startup channel (its koid and size in the message's
 * bytes), check it reads pattern 7, write pattern 8 over part of it.
 * Exiting closes it.
 */
struct xfer_msg {
	mx_koid_t koid;
	uint64_t size;
};

#define XFER_OFF (PG + 3)
#define XFER_LEN 5000u

static int child_vmo(void)
{
	mx_handle_t ch = mx_get_startup_handle(H0), v = MX_HANDLE_INVALID;
	mx_info_handle_basic_t info;
	struct xfer_msg m = { 0 };
	uint32_t nb = 0, nh = 0;

	if (ch <= 0)
		return 10;
	if (mx_object_wait_one(ch, MX_CHANNEL_READABLE,
			       mx_deadline_after(MX_SEC(20)), NULL) != MX_OK)
		return 11;
	if (mx_channel_read(ch, 0, &m, &v, sizeof(m), 1, &nb, &nh) != MX_OK ||
	    nb != sizeof(m) || nh != 1)
		return 12;
	info = mxt_info(v);
	if (info.type != MX_OBJ_TYPE_VMO || info.koid != m.koid ||
	    info.rights != VMO_RIGHTS)
		return 13;
	if (size_of(v) != m.size)
		return 14;
	if (diff_at(v, 0, m.size, 0, 7) != m.size)
		return 15;
	if (put(v, XFER_OFF, XFER_LEN, 8) != MX_OK)
		return 16;
	/* the parent answers when it has read them */
	if (mx_channel_write(ch, 0, "w", 1, NULL, 0) != MX_OK)
		return 17;
	if (mx_object_wait_one(ch, MX_CHANNEL_READABLE,
			       mx_deadline_after(MX_SEC(20)), NULL) != MX_OK)
		return 18;
	/* and has written pattern 9 over the first page */
	if (diff_at(v, 0, PG, 0, 9) != PG)
		return 19;
	return 0;
}

static int child_main(const char *mode)
{
	/* never outlive the test that started us */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (!strcmp(mode, "vmo"))
		return child_vmo();
	return 99;
}

/* ---- the fixture: nothing made in a test outlives it ---- */

FIXTURE(vmo) {
	long live;	/* everything alive in the module; -1 without debugfs */
	long vmos;	/* VMO objects alive */
	long pages;	/* VMO pages charged to us */
};

FIXTURE_SETUP(vmo)
{
	struct mxt_gc gc;

	/* the table exists before we count what is alive */
	ASSERT_LE(0, mxchan_table_fd());
	mxt_gc_settle(&gc);
	self->live = mxt_live_total();
	self->vmos = vmos_live();
	self->pages = vmo_pages();
}

FIXTURE_TEARDOWN(vmo)
{
	if (self->live >= 0)
		EXPECT_EQ(self->live, mxt_live_total());
	if (self->vmos >= 0)
		EXPECT_EQ(self->vmos, vmos_live());
	if (self->pages >= 0)
		EXPECT_EQ(self->pages, vmo_pages());
}

/* Everything is back where the test started (where debugfs shows it). */
#define ASSERT_ALL_GONE() do {						\
	if (self->live >= 0)						\
		ASSERT_EQ(self->live, mxt_live_total());		\
	if (self->vmos >= 0)						\
		ASSERT_EQ(self->vmos, vmos_live());			\
	if (self->pages >= 0)						\
		ASSERT_EQ(self->pages, vmo_pages());			\
} while (0)

/* ---- the ABI ---- */

TEST_F(vmo, abi)
{
	struct mxchan_vmo_create cr, *crro;
	struct mxchan_vmo_io io, *ioro;
	struct mxchan_vmo_size sz;
	struct mxchan_vmo_op_range op;
	struct mxchan_vmo_clone cl;
	struct mxchan_vmo_cache_policy cp;
	struct mxchan_version ver;
	uint32_t h = 0, c = 0;
	uint64_t size = 0;
	size_t n = NOACT;
	void *bad = bad_ptr();
	static const unsigned long cmds[] = {
		MXCHAN_IOC_VMO_CREATE, MXCHAN_IOC_VMO_READ,
		MXCHAN_IOC_VMO_WRITE, MXCHAN_IOC_VMO_GET_SIZE,
		MXCHAN_IOC_VMO_SET_SIZE, MXCHAN_IOC_VMO_OP_RANGE,
		MXCHAN_IOC_VMO_CLONE, MXCHAN_IOC_VMO_CACHE_POLICY,
	};
	unsigned int i;

	/* natural 8-byte layouts, the same for 32-bit callers */
	ASSERT_EQ(24, sizeof(struct mxchan_vmo_create));
	ASSERT_EQ(0, offsetof(struct mxchan_vmo_create, size));
	ASSERT_EQ(8, offsetof(struct mxchan_vmo_create, options));
	ASSERT_EQ(12, offsetof(struct mxchan_vmo_create, reserved));
	ASSERT_EQ(16, offsetof(struct mxchan_vmo_create, out));
	ASSERT_EQ(40, sizeof(struct mxchan_vmo_io));
	ASSERT_EQ(0, offsetof(struct mxchan_vmo_io, handle));
	ASSERT_EQ(4, offsetof(struct mxchan_vmo_io, reserved));
	ASSERT_EQ(8, offsetof(struct mxchan_vmo_io, data));
	ASSERT_EQ(16, offsetof(struct mxchan_vmo_io, offset));
	ASSERT_EQ(24, offsetof(struct mxchan_vmo_io, len));
	ASSERT_EQ(32, offsetof(struct mxchan_vmo_io, actual));
	ASSERT_EQ(24, sizeof(struct mxchan_vmo_size));
	ASSERT_EQ(4, offsetof(struct mxchan_vmo_size, reserved));
	ASSERT_EQ(8, offsetof(struct mxchan_vmo_size, size));
	ASSERT_EQ(16, offsetof(struct mxchan_vmo_size, out));
	ASSERT_EQ(40, sizeof(struct mxchan_vmo_op_range));
	ASSERT_EQ(4, offsetof(struct mxchan_vmo_op_range, op));
	ASSERT_EQ(8, offsetof(struct mxchan_vmo_op_range, offset));
	ASSERT_EQ(16, offsetof(struct mxchan_vmo_op_range, size));
	ASSERT_EQ(24, offsetof(struct mxchan_vmo_op_range, buffer));
	ASSERT_EQ(32, offsetof(struct mxchan_vmo_op_range, buffer_size));
	ASSERT_EQ(32, sizeof(struct mxchan_vmo_clone));
	ASSERT_EQ(4, offsetof(struct mxchan_vmo_clone, options));
	ASSERT_EQ(8, offsetof(struct mxchan_vmo_clone, offset));
	ASSERT_EQ(16, offsetof(struct mxchan_vmo_clone, size));
	ASSERT_EQ(24, offsetof(struct mxchan_vmo_clone, out));
	ASSERT_EQ(8, sizeof(struct mxchan_vmo_cache_policy));
	ASSERT_EQ(4, offsetof(struct mxchan_vmo_cache_policy, policy));
	ASSERT_EQ(_IOW(MXCHAN_IOC_MAGIC, 0x1e, struct mxchan_vmo_create),
		  MXCHAN_IOC_VMO_CREATE);
	ASSERT_EQ(_IOW(MXCHAN_IOC_MAGIC, 0x1f, struct mxchan_vmo_io),
		  MXCHAN_IOC_VMO_READ);
	ASSERT_EQ(_IOW(MXCHAN_IOC_MAGIC, 0x20, struct mxchan_vmo_io),
		  MXCHAN_IOC_VMO_WRITE);
	ASSERT_EQ(_IOW(MXCHAN_IOC_MAGIC, 0x21, struct mxchan_vmo_size),
		  MXCHAN_IOC_VMO_GET_SIZE);
	ASSERT_EQ(_IOW(MXCHAN_IOC_MAGIC, 0x22, struct mxchan_vmo_size),
		  MXCHAN_IOC_VMO_SET_SIZE);
	ASSERT_EQ(_IOW(MXCHAN_IOC_MAGIC, 0x23, struct mxchan_vmo_op_range),
		  MXCHAN_IOC_VMO_OP_RANGE);
	ASSERT_EQ(_IOW(MXCHAN_IOC_MAGIC, 0x24, struct mxchan_vmo_clone),
		  MXCHAN_IOC_VMO_CLONE);
	ASSERT_EQ(_IOW(MXCHAN_IOC_MAGIC, 0x25, struct mxchan_vmo_cache_policy),
		  MXCHAN_IOC_VMO_CACHE_POLICY);
	/* Magenta's numbers, and libmx's names for the kernel's */
	ASSERT_EQ(3, MXCHAN_OBJ_TYPE_VMO);
	ASSERT_EQ(MX_OBJ_TYPE_VMO, MXCHAN_OBJ_TYPE_VMO);
	ASSERT_EQ(0x10FFu, VMO_RIGHTS);
	ASSERT_EQ(VMO_RIGHTS, MX_DEFAULT_VMO_RIGHTS);
	ASSERT_EQ(0x7ffffffffffff000ULL, MXCHAN_VMO_MAX_SIZE);
	ASSERT_EQ(1u, MX_VMO_OP_COMMIT);
	ASSERT_EQ(MXCHAN_VMO_OP_COMMIT, MX_VMO_OP_COMMIT);
	ASSERT_EQ(MXCHAN_VMO_OP_DECOMMIT, MX_VMO_OP_DECOMMIT);
	ASSERT_EQ(MXCHAN_VMO_OP_LOCK, MX_VMO_OP_LOCK);
	ASSERT_EQ(MXCHAN_VMO_OP_UNLOCK, MX_VMO_OP_UNLOCK);
	ASSERT_EQ(MXCHAN_VMO_OP_LOOKUP, MX_VMO_OP_LOOKUP);
	ASSERT_EQ(MXCHAN_VMO_OP_CACHE_SYNC, MX_VMO_OP_CACHE_SYNC);
	ASSERT_EQ(MXCHAN_VMO_OP_CACHE_INVALIDATE, MX_VMO_OP_CACHE_INVALIDATE);
	ASSERT_EQ(MXCHAN_VMO_OP_CACHE_CLEAN, MX_VMO_OP_CACHE_CLEAN);
	ASSERT_EQ(9u, MX_VMO_OP_CACHE_CLEAN_INVALIDATE);
	ASSERT_EQ(MXCHAN_VMO_OP_CACHE_CLEAN_INVALIDATE,
		  MX_VMO_OP_CACHE_CLEAN_INVALIDATE);
	ASSERT_EQ(1u, MX_VMO_CLONE_COPY_ON_WRITE);
	ASSERT_EQ(MXCHAN_VMO_CLONE_COPY_ON_WRITE, MX_VMO_CLONE_COPY_ON_WRITE);
	ASSERT_EQ(3u, MXCHAN_CACHE_POLICY_MASK);
	ASSERT_EQ(MXCHAN_CACHE_POLICY_MASK, (uint32_t)MX_CACHE_POLICY_MASK);
	memset(&ver, 0, sizeof(ver));
	ASSERT_EQ(0, raw(MXCHAN_IOC_VERSION, &ver));
	ASSERT_TRUE(ver.features & MXCHAN_FEATURE_VMO);

	/* a struct the kernel cannot read: EINVAL, for every VMO ioctl */
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		ASSERT_EQ(EINVAL, raw(cmds[i], bad)) TH_LOG("ioctl %u", i);

	/* create: reserved, then options; nothing made, out not written */
	cr = (struct mxchan_vmo_create){
		.size = 100, .reserved = 1, .out = (uintptr_t)&h,
	};
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_VMO_CREATE, &cr));
	cr.reserved = 0x80000000u;
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_VMO_CREATE, &cr));
	cr.reserved = 0;
	cr.options = 1;
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_VMO_CREATE, &cr));
	ASSERT_EQ(0, h);
	ASSERT_ALL_GONE();
	/* the size errno is ENOMEM */
	cr.options = 0;
	cr.size = MXCHAN_VMO_MAX_SIZE + 1;
	ASSERT_EQ(ENOMEM, raw(MXCHAN_IOC_VMO_CREATE, &cr));
	ASSERT_EQ(0, h);
	/* the kernel only reads the structs (_IOW): read-only ones work */
	cr.size = 100;
	crro = ro_page(&cr, sizeof(cr));
	ASSERT_NE(NULL, crro);
	ASSERT_EQ(0, raw(MXCHAN_IOC_VMO_CREATE, crro));
	ASSERT_NE(0, h);
	ASSERT_EQ(MX_OBJ_TYPE_VMO, mxt_info(h).type);
	fill(wbuf, 100, 0, 1);
	io = (struct mxchan_vmo_io){
		.handle = h, .data = (uintptr_t)wbuf, .len = 100,
		.actual = (uintptr_t)&n,
	};
	ioro = ro_page(&io, sizeof(io));
	ASSERT_NE(NULL, ioro);
	ASSERT_EQ(0, raw(MXCHAN_IOC_VMO_WRITE, ioro));
	ASSERT_EQ(100, n);
	ASSERT_READS(h, 0, 100, 1);

	/* read and write: reserved before the handle (EINVAL, not EBADF) */
	io.reserved = 1;
	n = NOACT;
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_VMO_READ, &io));
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_VMO_WRITE, &io));
	io.handle = MXT_BAD_VALUE;
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_VMO_READ, &io));
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_VMO_WRITE, &io));
	ASSERT_EQ(NOACT, n);
	io.reserved = 0;
	ASSERT_EQ(EBADF, raw(MXCHAN_IOC_VMO_READ, &io));
	ASSERT_EQ(EBADF, raw(MXCHAN_IOC_VMO_WRITE, &io));
	io.handle = h;
	io.offset = 101;
	ASSERT_EQ(ERANGE, raw(MXCHAN_IOC_VMO_READ, &io));
	ASSERT_EQ(ERANGE, raw(MXCHAN_IOC_VMO_WRITE, &io));
	ASSERT_EQ(NOACT, n);
	/*
	 * len is 64 bits wide, whatever the caller's size_t: 4 GiB and 10
	 * bytes from wbuf fault (the buffer is touched before the range
	 * cuts len to 100); 10 bytes would not
	 */
	io.offset = 0;
	io.len = (1ULL << 32) + 10;
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_VMO_WRITE, &io));
	ASSERT_EQ(NOACT, n);
	ASSERT_READS(h, 0, 100, 1);

	/* get_size and set_size: reserved first */
	sz = (struct mxchan_vmo_size){
		.handle = h, .reserved = 1, .size = 5, .out = (uintptr_t)&size,
	};
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_VMO_GET_SIZE, &sz));
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_VMO_SET_SIZE, &sz));
	sz.handle = MXT_BAD_VALUE;
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_VMO_GET_SIZE, &sz));
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_VMO_SET_SIZE, &sz));
	ASSERT_EQ(0, size);
	ASSERT_EQ(100, size_of(h));
	sz.reserved = 0;
	ASSERT_EQ(EBADF, raw(MXCHAN_IOC_VMO_GET_SIZE, &sz));
	sz.handle = h;
	ASSERT_EQ(0, raw(MXCHAN_IOC_VMO_GET_SIZE, &sz));
	ASSERT_EQ(100, size);
	sz.size = MXCHAN_VMO_MAX_SIZE + 1;
	ASSERT_EQ(ERANGE, raw(MXCHAN_IOC_VMO_SET_SIZE, &sz));
	sz.size = over_budget();
	ASSERT_EQ(ENOMEM, raw(MXCHAN_IOC_VMO_SET_SIZE, &sz));
	ASSERT_EQ(100, size_of(h));
	/* get_size's out is a __u64 for every caller */
	{
		uint64_t two[2] = { ~0ULL, ~0ULL };

		sz.out = (uintptr_t)two;
		ASSERT_EQ(0, raw(MXCHAN_IOC_VMO_GET_SIZE, &sz));
		ASSERT_EQ(100, two[0]);
		ASSERT_EQ(~0ULL, two[1]);
	}

	/* op_range: the errnos of its statuses */
	op = (struct mxchan_vmo_op_range){
		.handle = h, .op = MX_VMO_OP_LOCK, .size = 1,
	};
	ASSERT_EQ(EOPNOTSUPP, raw(MXCHAN_IOC_VMO_OP_RANGE, &op));
	op.op = 0;
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_VMO_OP_RANGE, &op));
	op.op = MX_VMO_OP_CACHE_SYNC;
	op.size = 101;
	ASSERT_EQ(ERANGE, raw(MXCHAN_IOC_VMO_OP_RANGE, &op));
	op.op = MX_VMO_OP_LOOKUP;
	op.size = 2 * PG;
	op.buffer = (uintptr_t)rbuf;
	op.buffer_size = 8;
	ASSERT_EQ(EMSGSIZE, raw(MXCHAN_IOC_VMO_OP_RANGE, &op));
	op.handle = MXT_BAD_VALUE;
	ASSERT_EQ(EBADF, raw(MXCHAN_IOC_VMO_OP_RANGE, &op));

	/* clone: EBADF, EACCES, EINVAL, ERANGE, ENOMEM; out not written */
	cl = (struct mxchan_vmo_clone){
		.handle = MXT_BAD_VALUE, .options = COW, .size = PG,
		.out = (uintptr_t)&c,
	};
	ASSERT_EQ(EBADF, raw(MXCHAN_IOC_VMO_CLONE, &cl));
	cl.handle = h;
	cl.options = 0;
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_VMO_CLONE, &cl));
	cl.options = COW;
	cl.size = MXCHAN_VMO_MAX_SIZE + 1;
	ASSERT_EQ(ERANGE, raw(MXCHAN_IOC_VMO_CLONE, &cl));
	cl.size = over_budget();
	ASSERT_EQ(ENOMEM, raw(MXCHAN_IOC_VMO_CLONE, &cl));
	ASSERT_EQ(0, c);
	cl.size = 100;
	ASSERT_EQ(0, raw(MXCHAN_IOC_VMO_CLONE, &cl));
	ASSERT_NE(0, c);
	ASSERT_NE(h, c);
	ASSERT_READS(c, 0, 100, 1);

	/* cache policy: the policy, then the handle, then EOPNOTSUPP */
	cp = (struct mxchan_vmo_cache_policy){ .handle = MXT_BAD_VALUE,
					       .policy = 4 };
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_VMO_CACHE_POLICY, &cp));
	cp.policy = 0;
	ASSERT_EQ(EBADF, raw(MXCHAN_IOC_VMO_CACHE_POLICY, &cp));
	cp.handle = h;
	ASSERT_EQ(EOPNOTSUPP, raw(MXCHAN_IOC_VMO_CACHE_POLICY, &cp));

	ASSERT_EQ(0, raw(MXCHAN_IOC_HANDLE_CLOSE, (void *)(uintptr_t)c));
	ASSERT_EQ(0, raw(MXCHAN_IOC_HANDLE_CLOSE, (void *)(uintptr_t)h));
	munmap(crro, PG);
	munmap(ioro, PG);
	ASSERT_ALL_GONE();
}

/*
 * The actual pointer: required, written after the bytes moved (a NULL or
 * a faulting one is INVALID_ARGS then, the bytes moved all the same), as
 * the caller's size_t (4 bytes for a 32-bit program), and never on an
 * error before the move.
 */
TEST_F(vmo, actual_pointer)
{
	void *bad = bad_ptr();
	size_t *ro = ro_page(NULL, 0);
	size_t *edge = mxt_edge_ptr(sizeof(size_t) - 1);
	unsigned char wide[16];
	mx_handle_t v;
	size_t n;

	ASSERT_NE(NULL, ro);
	ASSERT_NE(NULL, edge);
	ASSERT_OK(mx_vmo_create(3 * PG, 0, &v));

	/* NULL, through the raw ioctl (libmx declares it nonnull) */
	fill(wbuf, 300, 0, 2);
	ASSERT_EQ(EINVAL, raw_io(MXCHAN_IOC_VMO_WRITE, v, wbuf, 0, 300, NULL));
	ASSERT_READS(v, 0, 300, 2);
	memset(rbuf, 0, 300);
	ASSERT_EQ(EINVAL, raw_io(MXCHAN_IOC_VMO_READ, v, rbuf, 0, 300, NULL));
	ASSERT_EQ(300, unlike(rbuf, 300, 0, 2));

	/* a pointer to nothing, through libmx */
	fill(wbuf, 2 * PG, PG - 5, 3);
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_vmo_write(v, wbuf, PG - 5, 2 * PG, bad));
	ASSERT_READS(v, PG - 5, 2 * PG, 3);
	memset(rbuf, 0, 2 * PG);
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_vmo_read(v, rbuf, PG - 5, 2 * PG, bad));
	ASSERT_EQ(2 * PG, unlike(rbuf, 2 * PG, PG - 5, 3));

	/* read-only, and one byte short of a size_t */
	fill(wbuf, 64, 7, 4);
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_vmo_write(v, wbuf, 7, 64, ro));
	ASSERT_READS(v, 7, 64, 4);
	fill(wbuf, 64, 7, 5);
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_vmo_write(v, wbuf, 7, 64, edge));
	ASSERT_READS(v, 7, 64, 5);
	memset(rbuf, 0, 64);
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_vmo_read(v, rbuf, 7, 64, edge));
	ASSERT_EQ(64, unlike(rbuf, 64, 7, 5));

	/* the caller's width: the bytes after a size_t are left alone */
	memset(wide, 0xee, sizeof(wide));
	ASSERT_EQ(0, raw_io(MXCHAN_IOC_VMO_READ, v, rbuf, 0, 5, wide));
	memcpy(&n, wide, sizeof(n));
	ASSERT_EQ(5, n);
	for (n = sizeof(size_t); n < sizeof(wide); n++)
		ASSERT_EQ(0xee, wide[n]) TH_LOG("byte %zu", n);
	memset(wide, 0xee, sizeof(wide));
	ASSERT_EQ(0, raw_io(MXCHAN_IOC_VMO_WRITE, v, wbuf, 3 * PG - 3, 9,
			    wide));
	memcpy(&n, wide, sizeof(n));
	ASSERT_EQ(3, n);
	for (n = sizeof(size_t); n < sizeof(wide); n++)
		ASSERT_EQ(0xee, wide[n]) TH_LOG("byte %zu", n);

	/* errors before the move leave it alone, and move nothing */
	n = NOACT;
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE,
		      mx_vmo_write(v, wbuf, 3 * PG + 1, 1, &n));
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE,
		      mx_vmo_read(v, rbuf, 3 * PG + 1, 1, &n));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_vmo_read(MXT_BAD_VALUE, rbuf, 0, 1, &n));
	ASSERT_EQ(NOACT, n);
	ASSERT_EQ(3 * PG, size_of(v));

	ASSERT_OK(mx_handle_close(v));
	munmap(ro, PG);
	ASSERT_ALL_GONE();
}

/* ---- create, sizes, info ---- */

TEST_F(vmo, create_and_info)
{
	mx_info_handle_basic_t info;
	mx_handle_t v, w, d;

	ASSERT_OK(mx_vmo_create(PG, 0, &v));
	info = mxt_info(v);
	ASSERT_NE(0, info.koid);
	ASSERT_EQ(VMO_RIGHTS, info.rights);
	ASSERT_EQ(MX_OBJ_TYPE_VMO, info.type);
	ASSERT_EQ(3, info.type);
	ASSERT_EQ(0, info.related_koid);
	ASSERT_EQ(MX_OBJ_PROP_WAITABLE, info.props);
	/* each VMO is an object of its own; a copy names the same one */
	ASSERT_OK(mx_vmo_create(PG, 0, &w));
	ASSERT_NE(info.koid, mxt_koid(w));
	ASSERT_OK(mx_handle_duplicate(v, MX_RIGHT_READ, &d));
	ASSERT_EQ(info.koid, mxt_koid(d));
	ASSERT_EQ(MX_RIGHT_READ, mxt_rights(d));
	ASSERT_EQ(MX_OBJ_TYPE_VMO, mxt_info(d).type);
	/* no signal from the kernel; a VMO's only handle is its last */
	ASSERT_EQ(0, state(w) & ~LAST);
	ASSERT_OK(mx_handle_close(d));
	ASSERT_OK(mx_handle_close(w));
	ASSERT_OK(mx_handle_close(v));
	ASSERT_ALL_GONE();
}

/*
 * The fuchsia-zircon crate's vmo_get_size and vmo_set_size: sizes are
 * byte-exact, and get_size needs no right at all.
 */
TEST_F(vmo, sizes_byte_exact)
{
	static const uint64_t sizes[] = {
		0, 1, 7, 12, 23, PG - 1, PG, PG + 1, 3 * PG + 17,
		16 * 1024 * 1024, (1ULL << 30) + 5,
	};
	mx_handle_t v, t;
	unsigned int i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		ASSERT_OK(mx_vmo_create(sizes[i], 0, &v));
		ASSERT_EQ(sizes[i], size_of(v)) TH_LOG("size %llu",
			(unsigned long long)sizes[i]);
		ASSERT_OK(mx_handle_close(v));
	}
	/* create 12, set 23 */
	ASSERT_OK(mx_vmo_create(12, 0, &v));
	ASSERT_EQ(12, size_of(v));
	ASSERT_OK(mx_vmo_set_size(v, 23));
	ASSERT_EQ(23, size_of(v));
	/* a copy with only TRANSFER still gets the size, cannot set it */
	ASSERT_OK(mx_handle_duplicate(v, MX_RIGHT_TRANSFER, &t));
	ASSERT_EQ(MX_RIGHT_TRANSFER, mxt_rights(t));
	ASSERT_EQ(23, size_of(t));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_vmo_set_size(t, 5));
	ASSERT_EQ(23, size_of(v));
	/* every size set is the size got */
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		ASSERT_OK(mx_vmo_set_size(v, sizes[i]));
		ASSERT_EQ(sizes[i], size_of(t));
	}
	ASSERT_OK(mx_vmo_set_size(v, 0));
	ASSERT_EQ(0, size_of(v));
	ASSERT_OK(mx_handle_close(t));
	ASSERT_OK(mx_handle_close(v));
	ASSERT_ALL_GONE();
}

/* create: options first, then the size; then the out pointer. */
TEST_F(vmo, create_errors)
{
	mx_handle_t *bad = bad_ptr(), *ro = ro_page(NULL, 0), h;
	mx_handle_t *edge = mxt_edge_ptr(2);

	ASSERT_NE(NULL, ro);
	ASSERT_NE(NULL, edge);
	h = 77;
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_vmo_create(PG, 1, &h));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_vmo_create(PG, 0x80000000u, &h));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_vmo_create(PG, ~0u, &h));
	/* options before the size */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_vmo_create(MXCHAN_VMO_MAX_SIZE + 1, 1, &h));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_vmo_create(~0ULL, 2, &h));
	/* sizes: above the largest or above the budget */
	ASSERT_STATUS(MX_ERR_NO_MEMORY,
		      mx_vmo_create(MXCHAN_VMO_MAX_SIZE + 1, 0, &h));
	ASSERT_STATUS(MX_ERR_NO_MEMORY, mx_vmo_create(~0ULL, 0, &h));
	ASSERT_STATUS(MX_ERR_NO_MEMORY,
		      mx_vmo_create(MXCHAN_VMO_MAX_SIZE, 0, &h));
	ASSERT_STATUS(MX_ERR_NO_MEMORY, mx_vmo_create(over_budget(), 0, &h));
	ASSERT_EQ(77, h);
	ASSERT_ALL_GONE();
	/* the size before the out pointer */
	ASSERT_STATUS(MX_ERR_NO_MEMORY, mx_vmo_create(~0ULL, 0, bad));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_vmo_create(PG, 1, bad));
	/* an out pointer the kernel cannot write: nothing is left made */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_vmo_create(PG, 0, bad));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_vmo_create(PG, 0, ro));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_vmo_create(0, 0, edge));
	ASSERT_ALL_GONE();
	munmap(ro, PG);
}

/* get_size: the handle (no right), its type, then the out pointer. */
TEST_F(vmo, get_size_errors)
{
	mx_handle_t v, c0, c1, ev, none;
	uint64_t *bad = bad_ptr(), *ro = ro_page(NULL, 0), s;
	struct mxchan_vmo_size a = { 0 };

	ASSERT_NE(NULL, ro);
	ASSERT_OK(mx_vmo_create(77, 0, &v));
	ASSERT_OK(mx_channel_create(0, &c0, &c1));
	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_handle_duplicate(v, 0, &none));
	ASSERT_EQ(0, mxt_rights(none));
	s = 5;
	ASSERT_STATUS(MX_ERR_BAD_HANDLE, mx_vmo_get_size(MXT_BAD_VALUE, &s));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_vmo_get_size(MX_HANDLE_INVALID, &s));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE, mx_vmo_get_size(MXT_BAD_VALUE, bad));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE, mx_vmo_get_size(c0, &s));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE, mx_vmo_get_size(ev, &s));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE, mx_vmo_get_size(ev, bad));
	ASSERT_EQ(5, s);
	/* a handle with no rights at all */
	ASSERT_OK(mx_vmo_get_size(none, &s));
	ASSERT_EQ(77, s);
	/* the out pointer: NULL (raw), unmapped, read-only */
	a.handle = (uint32_t)v;
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_VMO_GET_SIZE, &a));
	a.handle = MXT_BAD_VALUE;
	ASSERT_EQ(EBADF, raw(MXCHAN_IOC_VMO_GET_SIZE, &a));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_vmo_get_size(v, bad));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_vmo_get_size(v, ro));
	ASSERT_OK(mx_handle_close(none));
	ASSERT_OK(mx_handle_close(ev));
	ASSERT_OK(mx_handle_close(c0));
	ASSERT_OK(mx_handle_close(c1));
	ASSERT_OK(mx_handle_close(v));
	munmap(ro, PG);
	ASSERT_ALL_GONE();
}

/*
 * set_size: the handle, WRITE, the type (rights before type, as every
 * lookup), then OUT_OF_RANGE above the largest size and NO_MEMORY past
 * the budget, the size unchanged.
 */
TEST_F(vmo, set_size_errors)
{
	mx_handle_t v, ro, c0, c1, c0t, ev;

	ASSERT_OK(mx_vmo_create(300, 0, &v));
	ASSERT_OK(mx_handle_duplicate(v, MX_RIGHT_READ | MX_RIGHT_DUPLICATE,
				      &ro));
	ASSERT_OK(mx_channel_create(0, &c0, &c1));
	ASSERT_OK(mx_handle_replace(c0, MX_RIGHT_TRANSFER, &c0t));
	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE, mx_vmo_set_size(MXT_BAD_VALUE, 5));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_vmo_set_size(MXT_BAD_VALUE, ~0ULL));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_vmo_set_size(ro, 5));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_vmo_set_size(ro, ~0ULL));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_vmo_set_size(ro, over_budget()));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE, mx_vmo_set_size(c1, 5));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE, mx_vmo_set_size(ev, ~0ULL));
	/* a channel without WRITE: the right is missing before the type */
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_vmo_set_size(c0t, 5));
	/* the sizes */
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE,
		      mx_vmo_set_size(v, MXCHAN_VMO_MAX_SIZE + 1));
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE, mx_vmo_set_size(v, ~0ULL));
	ASSERT_STATUS(MX_ERR_NO_MEMORY, mx_vmo_set_size(v, over_budget()));
	ASSERT_STATUS(MX_ERR_NO_MEMORY,
		      mx_vmo_set_size(v, MXCHAN_VMO_MAX_SIZE));
	ASSERT_EQ(300, size_of(v));
	ASSERT_OK(put(v, 0, 300, 6));
	ASSERT_STATUS(MX_ERR_NO_MEMORY, mx_vmo_set_size(v, over_budget()));
	ASSERT_READS(v, 0, 300, 6);
	ASSERT_OK(mx_handle_close(ev));
	ASSERT_OK(mx_handle_close(c0t));
	ASSERT_OK(mx_handle_close(c1));
	ASSERT_OK(mx_handle_close(ro));
	ASSERT_OK(mx_handle_close(v));
	ASSERT_ALL_GONE();
}

/* ---- read and write ---- */

/* The fuchsia-zircon crate's vmo_read_write. */
TEST_F(vmo, read_write_crate)
{
	unsigned char b[16];
	mx_handle_t v;
	size_t n;

	ASSERT_OK(mx_vmo_create(16, 0, &v));
	ASSERT_OK(mx_vmo_write(v, "abcdef", 0, 6, &n));
	ASSERT_EQ(6, n);
	ASSERT_OK(mx_vmo_read(v, b, 0, 16, &n));
	ASSERT_EQ(16, n);
	ASSERT_EQ(0, memcmp(b, "abcdef", 6));
	ASSERT_OK(mx_vmo_write(v, "123", 2, 3, &n));
	ASSERT_EQ(3, n);
	ASSERT_OK(mx_vmo_read(v, b, 0, 16, &n));
	ASSERT_EQ(16, n);
	ASSERT_EQ(0, memcmp(b, "ab123f", 6));
	/* the rest was never written: zeros */
	for (n = 6; n < 16; n++)
		ASSERT_EQ(0, b[n]);
	ASSERT_OK(mx_vmo_read(v, b, 1, 16, &n));
	ASSERT_EQ(15, n);
	ASSERT_EQ(0, memcmp(b, "b123f", 5));
	ASSERT_OK(mx_handle_close(v));
	ASSERT_ALL_GONE();
}

/*
 * The range: offset == size moves nothing and is OK; past it, or an
 * offset + len that wraps, is OUT_OF_RANGE; len is cut to the size
 * (and a write never grows the VMO).
 */
TEST_F(vmo, read_write_range)
{
	unsigned char b[64];
	mx_handle_t v, z;
	size_t n;

	ASSERT_OK(mx_vmo_create(100, 0, &v));
	ASSERT_OK(put(v, 0, 100, 10));
	/* at the end: OK, 0 bytes */
	n = NOACT;
	ASSERT_OK(mx_vmo_read(v, b, 100, 10, &n));
	ASSERT_EQ(0, n);
	n = NOACT;
	ASSERT_OK(mx_vmo_write(v, "xy", 100, 2, &n));
	ASSERT_EQ(0, n);
	/* len 0 anywhere up to the end, with any buffer */
	n = NOACT;
	ASSERT_OK(mx_vmo_read(v, NULL, 0, 0, &n));
	ASSERT_EQ(0, n);
	n = NOACT;
	ASSERT_OK(mx_vmo_write(v, NULL, 50, 0, &n));
	ASSERT_EQ(0, n);
	/* past the end */
	n = NOACT;
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE, mx_vmo_read(v, b, 101, 1, &n));
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE, mx_vmo_write(v, b, 101, 1, &n));
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE, mx_vmo_read(v, b, 101, 0, &n));
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE, mx_vmo_write(v, b, 101, 0, &n));
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE, mx_vmo_read(v, b, 1ULL << 40, 8,
						       &n));
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE, mx_vmo_write(v, b, 1ULL << 32, 8,
							&n));
	/* offset + len wraps: the offset alone would be in range for none */
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE, mx_vmo_read(v, b, ~0ULL, 1, &n));
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE, mx_vmo_read(v, b, ~0ULL - 3, 8,
						       &n));
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE, mx_vmo_write(v, b, ~0ULL - 3, 8,
							&n));
	ASSERT_EQ(NOACT, n);
	ASSERT_READS(v, 0, 100, 10);
	/* len cut to the size */
	memset(b, 0xa5, sizeof(b));
	ASSERT_OK(mx_vmo_read(v, b, 90, sizeof(b), &n));
	ASSERT_EQ(10, n);
	ASSERT_EQ(10, unlike(b, 10, 90, 10));
	ASSERT_EQ(0xa5, b[10]);
	fill(wbuf, 64, 90, 11);
	ASSERT_OK(mx_vmo_write(v, wbuf, 90, 64, &n));
	ASSERT_EQ(10, n);
	ASSERT_EQ(100, size_of(v));
	ASSERT_READS(v, 0, 90, 10);
	ASSERT_READS(v, 90, 10, 11);
	/* the last byte */
	ASSERT_OK(mx_vmo_read(v, b, 99, 1, &n));
	ASSERT_EQ(1, n);
	ASSERT_EQ(pat(99, 11), b[0]);
	/* a VMO of size 0: offset 0 is its end */
	ASSERT_OK(mx_vmo_create(0, 0, &z));
	n = NOACT;
	ASSERT_OK(mx_vmo_read(z, b, 0, 8, &n));
	ASSERT_EQ(0, n);
	n = NOACT;
	ASSERT_OK(mx_vmo_write(z, b, 0, 8, &n));
	ASSERT_EQ(0, n);
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE, mx_vmo_read(z, b, 1, 8, &n));
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE, mx_vmo_write(z, b, 1, 0, &n));
	ASSERT_EQ(0, size_of(z));
	ASSERT_OK(mx_handle_close(z));
	ASSERT_OK(mx_handle_close(v));
	ASSERT_ALL_GONE();
}

/*
 * The order of read's and write's errors: the handle, its right, its
 * type, then the buffer, then the range. Each call below has two faults
 * and must report the first.
 */
TEST_F(vmo, read_write_error_order)
{
	mx_handle_t v, rd, wr, c0, c1, c0t, ev;
	void *bad = bad_ptr(), *ro = ro_page(NULL, 0);
	unsigned char b[64];
	size_t n = NOACT;
	int w;

	ASSERT_NE(NULL, ro);
	ASSERT_OK(mx_vmo_create(100, 0, &v));
	ASSERT_OK(put(v, 0, 100, 12));
	ASSERT_OK(mx_handle_duplicate(v, MX_RIGHT_READ, &rd));
	ASSERT_OK(mx_handle_duplicate(v, MX_RIGHT_WRITE, &wr));
	ASSERT_OK(mx_channel_create(0, &c0, &c1));
	ASSERT_OK(mx_handle_replace(c0, MX_RIGHT_TRANSFER, &c0t));
	ASSERT_OK(mx_event_create(0, &ev));

#define RW(write, h, buf, off, len)					\
	((write) ? mx_vmo_write((h), (buf), (off), (len), &n) :	\
		   mx_vmo_read((h), (buf), (off), (len), &n))
	for (w = 0; w < 2; w++) {
		mx_handle_t lacks = w ? rd : wr;

		/* BAD_HANDLE before everything */
		ASSERT_STATUS(MX_ERR_BAD_HANDLE, RW(w, MXT_BAD_VALUE, b, 0, 8));
		ASSERT_STATUS(MX_ERR_BAD_HANDLE,
			      RW(w, MX_HANDLE_INVALID, b, 0, 8));
		ASSERT_STATUS(MX_ERR_BAD_HANDLE,
			      RW(w, MXT_BAD_VALUE, b, 1000, 8));
		ASSERT_STATUS(MX_ERR_BAD_HANDLE,
			      RW(w, MXT_BAD_VALUE, bad, 0, 8));
		ASSERT_STATUS(MX_ERR_BAD_HANDLE,
			      RW(w, MXT_BAD_VALUE, bad, ~0ULL, 8));
		/* then the right (READ; WRITE) */
		ASSERT_STATUS(MX_ERR_ACCESS_DENIED, RW(w, lacks, b, 0, 8));
		ASSERT_STATUS(MX_ERR_ACCESS_DENIED, RW(w, lacks, b, 1000, 8));
		ASSERT_STATUS(MX_ERR_ACCESS_DENIED, RW(w, lacks, bad, 0, 8));
		ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
			      RW(w, lacks, bad, ~0ULL - 1, 8));
		/* then the type: a channel and an event have both rights */
		ASSERT_STATUS(MX_ERR_WRONG_TYPE, RW(w, c1, b, 0, 8));
		ASSERT_STATUS(MX_ERR_WRONG_TYPE, RW(w, ev, b, 0, 8));
		ASSERT_STATUS(MX_ERR_WRONG_TYPE, RW(w, c1, bad, 1000, 8));
		ASSERT_STATUS(MX_ERR_WRONG_TYPE, RW(w, ev, b, 1000, 8));
		/* a channel with neither right: the right first */
		ASSERT_STATUS(MX_ERR_ACCESS_DENIED, RW(w, c0t, b, 0, 8));
		/* then the buffer, before the range (Magenta touches it) */
		ASSERT_STATUS(MX_ERR_INVALID_ARGS, RW(w, v, bad, 0, 8));
		ASSERT_STATUS(MX_ERR_INVALID_ARGS, RW(w, v, NULL, 0, 8));
		ASSERT_STATUS(MX_ERR_INVALID_ARGS, RW(w, v, bad, 101, 8));
		ASSERT_STATUS(MX_ERR_INVALID_ARGS,
			      RW(w, v, bad, 1ULL << 40, 8));
		ASSERT_STATUS(MX_ERR_INVALID_ARGS, RW(w, v, bad, ~0ULL - 3, 8));
		ASSERT_STATUS(MX_ERR_INVALID_ARGS, RW(w, v, NULL, 500, 8));
		/* and the range last */
		ASSERT_STATUS(MX_ERR_OUT_OF_RANGE, RW(w, v, b, 101, 8));
		ASSERT_STATUS(MX_ERR_OUT_OF_RANGE, RW(w, v, b, ~0ULL - 3, 8));
		ASSERT_EQ(NOACT, n);
	}
	/* a read-only buffer cannot be read into */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_vmo_read(v, ro, 0, 8, &n));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_vmo_read(v, ro, 101, 8, &n));
	/* but written from */
	ASSERT_OK(mx_vmo_write(v, ro, 0, 8, &n));
	ASSERT_EQ(8, n);
	ASSERT_READS(v, 0, 8, ZERO);
	ASSERT_READS(v, 8, 92, 12);
	/* through the READ-only copy: reads work */
	ASSERT_OK(mx_vmo_read(rd, b, 8, 10, &n));
	ASSERT_EQ(10, n);
	ASSERT_EQ(10, unlike(b, 10, 8, 12));
	/* through the WRITE-only copy: writes work */
	ASSERT_OK(mx_vmo_write(wr, "zz", 98, 2, &n));
	ASSERT_EQ(2, n);
	ASSERT_OK(mx_vmo_read(v, b, 98, 2, &n));
	ASSERT_EQ(0, memcmp(b, "zz", 2));
#undef RW
	ASSERT_OK(mx_handle_close(ev));
	ASSERT_OK(mx_handle_close(c0t));
	ASSERT_OK(mx_handle_close(c1));
	ASSERT_OK(mx_handle_close(wr));
	ASSERT_OK(mx_handle_close(rd));
	ASSERT_OK(mx_handle_close(v));
	munmap(ro, PG);
	ASSERT_ALL_GONE();
}

/*
 * Magenta touched every page of the caller's buffer, all of len, before
 * it looked at the range: a buffer that faults is INVALID_ARGS even where
 * the range cuts len to what fits (or to 0), and a write then moves
 * nothing at all.
 */
TEST_F(vmo, write_buffer_touched_first)
{
	unsigned char *edge = mxt_edge_ptr(16);
	void *bad = bad_ptr();
	mx_handle_t v;
	size_t n = NOACT;

	ASSERT_NE(NULL, edge);
	ASSERT_OK(mx_vmo_create(100, 0, &v));
	ASSERT_OK(put(v, 0, 100, 13));
	/* offset == size: len is cut to 0, the buffer still touched */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_vmo_write(v, bad, 100, 8, &n));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_vmo_write(v, NULL, 100, 8, &n));
	/* 16 good bytes, then a fault; the range would take only 10 */
	memcpy(edge, "0123456789abcdef", 16);
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_vmo_write(v, edge, 90, 32, &n));
	/* the range in full: a write that faults part way moves nothing */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_vmo_write(v, edge, 0, 32, &n));
	/*
	 * a len that wraps with a small offset (the raw ioctl's 64-bit len)
	 * is a buffer that faults: INVALID_ARGS, not OUT_OF_RANGE
	 */
	ASSERT_EQ(EINVAL, raw_io(MXCHAN_IOC_VMO_WRITE, v, wbuf, 50,
				 ~0ULL - 10, &n));
	/* 4 GiB and 10 bytes from a 1 MiB buffer: it faults */
	ASSERT_EQ(EINVAL, raw_io(MXCHAN_IOC_VMO_WRITE, v, wbuf, 0,
				 (1ULL << 32) + 10, &n));
	ASSERT_EQ(NOACT, n);
	ASSERT_READS(v, 0, 100, 13);
	/* within the good bytes, all is well */
	ASSERT_OK(mx_vmo_write(v, edge, 90, 16, &n));
	ASSERT_EQ(10, n);
	ASSERT_OK(mx_vmo_read(v, rbuf, 90, 10, &n));
	ASSERT_EQ(0, memcmp(rbuf, "0123456789", 10));
	ASSERT_OK(mx_handle_close(v));
	ASSERT_ALL_GONE();
}

/* Expect a status; on a miss, say which call and go on to the next. */
#define EXPECT_STATUS(expected, actual, what) do {			\
	mx_status_t __x = (actual);					\
	if (__x != (expected))						\
		TH_LOG("%s: expected %s, got %s", (what),		\
		       mx_status_get_string(expected),			\
		       mx_status_get_string(__x));			\
	EXPECT_EQ((expected), __x);					\
} while (0)

/*
 * The same for a read: Magenta wrote a byte to each page of the whole
 * buffer first (its MG-730 workaround), so a buffer that cannot take all
 * of len is INVALID_ARGS, even where the range cuts len to what fits or
 * to 0. Each case is checked, whatever the one before it gave.
 */
TEST_F(vmo, read_buffer_touched_first)
{
	unsigned char *edge = mxt_edge_ptr(16);
	void *bad = bad_ptr(), *ro = ro_page(NULL, 0);
	mx_handle_t v;
	size_t n = NOACT;

	ASSERT_NE(NULL, ro);
	ASSERT_NE(NULL, edge);
	ASSERT_OK(mx_vmo_create(100, 0, &v));
	ASSERT_OK(put(v, 0, 100, 13));
	/* the range in full: the copy faults in any case */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_vmo_read(v, edge, 0, 32, &n));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_vmo_read(v, ro, 0, 8, &n));
	/* a len that wraps, or an offset past the end: the buffer first */
	ASSERT_EQ(EINVAL, raw_io(MXCHAN_IOC_VMO_READ, v, rbuf, 50, ~0ULL - 10,
				 &n));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_vmo_read(v, bad, 101, 8, &n));
	ASSERT_EQ(NOACT, n);
	/* offset == size: len is cut to 0, the buffer still touched */
	EXPECT_STATUS(MX_ERR_INVALID_ARGS, mx_vmo_read(v, bad, 100, 8, &n),
		      "unmapped buffer, offset == size");
	EXPECT_STATUS(MX_ERR_INVALID_ARGS, mx_vmo_read(v, ro, 100, 8, &n),
		      "read-only buffer, offset == size");
	EXPECT_STATUS(MX_ERR_INVALID_ARGS, mx_vmo_read(v, NULL, 100, 8, &n),
		      "NULL buffer, offset == size");
	/* 16 good bytes, then a fault; the range takes only 10 */
	EXPECT_STATUS(MX_ERR_INVALID_ARGS, mx_vmo_read(v, edge, 90, 32, &n),
		      "16 good bytes of 32, 10 in range");
	/* 4 GiB and 10 bytes into a 1 MiB buffer, 100 in range */
	n = NOACT;
	EXPECT_EQ(EINVAL, raw_io(MXCHAN_IOC_VMO_READ, v, rbuf, 0,
				 (1ULL << 32) + 10, &n))
		TH_LOG("len 4 GiB + 10 into a 1 MiB buffer, 100 in range");
	EXPECT_EQ(NOACT, n) TH_LOG("actual %zu", n);
	/* within the good bytes, all is well */
	n = 0;
	memset(edge, 0, 16);
	ASSERT_OK(mx_vmo_read(v, edge, 90, 16, &n));
	ASSERT_EQ(10, n);
	ASSERT_EQ(10, unlike(edge, 10, 90, 13));
	ASSERT_OK(mx_handle_close(v));
	munmap(ro, PG);
	ASSERT_ALL_GONE();
}

/* Pages never written read as zeros, wherever they are. */
TEST_F(vmo, unwritten_reads_zero)
{
	const uint64_t size = (64ULL << 20) + 123;
	mx_handle_t v;

	ASSERT_OK(mx_vmo_create(size, 0, &v));
	ASSERT_READS(v, 0, 3 * PG, ZERO);
	ASSERT_READS(v, 32ULL << 20, PG + 7, ZERO);
	ASSERT_READS(v, size - 2 * PG, 2 * PG, ZERO);
	/* one page written, its neighbours still zero */
	ASSERT_OK(put(v, 5 * PG, PG, 14));
	ASSERT_READS(v, 4 * PG, PG, ZERO);
	ASSERT_READS(v, 5 * PG, PG, 14);
	ASSERT_READS(v, 6 * PG, PG, ZERO);
	/* a few bytes in a page: the rest of the page is zero */
	ASSERT_OK(put(v, 9 * PG + 100, 10, 15));
	ASSERT_READS(v, 9 * PG, 100, ZERO);
	ASSERT_READS(v, 9 * PG + 100, 10, 15);
	ASSERT_READS(v, 9 * PG + 110, PG - 110, ZERO);
	ASSERT_OK(mx_handle_close(v));
	ASSERT_ALL_GONE();
}

/*
 * Shrinking drops the bytes past the new end: a partial last page keeps
 * its first bytes, and growing again reads zeros past the shrink point.
 */
TEST_F(vmo, shrink_then_grow)
{
	static const uint64_t cuts[] = { PG + 100, 50, 2 * PG, 1, 0,
					 3 * PG - 1 };
	mx_handle_t v;
	unsigned int i;
	size_t n;

	ASSERT_OK(mx_vmo_create(3 * PG, 0, &v));
	for (i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		ASSERT_OK(put(v, 0, 3 * PG, 16 + (int)i));
		ASSERT_OK(mx_vmo_set_size(v, cuts[i]));
		ASSERT_EQ(cuts[i], size_of(v));
		ASSERT_READS(v, 0, cuts[i], 16 + (int)i);
		/* past the new end: OUT_OF_RANGE */
		ASSERT_STATUS(MX_ERR_OUT_OF_RANGE,
			      mx_vmo_read(v, rbuf, cuts[i] + 1, 1, &n));
		ASSERT_OK(mx_vmo_set_size(v, 3 * PG));
		ASSERT_READS(v, 0, cuts[i], 16 + (int)i);
		ASSERT_READS(v, cuts[i], 3 * PG - cuts[i], ZERO);
	}
	/* growing past what was ever there, then writing at the far end */
	ASSERT_OK(mx_vmo_set_size(v, 40 * PG + 3));
	ASSERT_OK(put(v, 40 * PG, 3, 30));
	ASSERT_READS(v, 3 * PG, 37 * PG, ZERO);
	ASSERT_READS(v, 40 * PG, 3, 30);
	ASSERT_OK(mx_handle_close(v));
	ASSERT_ALL_GONE();
}

/*
 * A VMO is a shmem file, so the caller's RLIMIT_FSIZE bounds its writes
 * and its growth as a memfd's: NO_RESOURCES (with SIGXFSZ, ignored
 * here), nothing changed past the limit; below it, all is well, and a
 * shrink is never refused. Sizes past 2 GiB need no more than that.
 */
TEST_F(vmo, file_size_limit)
{
	struct rlimit old, lim = { .rlim_cur = 4 * PG, .rlim_max = 0 };
	void (*oldsig)(int);
	mx_status_t w_hi, w_lo, w_cross, grow, shrink, big;
	mx_handle_t v, b;
	size_t n = NOACT;

	ASSERT_OK(mx_vmo_create(8 * PG, 0, &v));
	ASSERT_OK(mx_vmo_create(3ULL << 30, 0, &b));
	/* above 2 GiB, with no file size limit: O_LARGEFILE's sizes */
	ASSERT_OK(put(b, (5ULL << 29) + 1, 100, 41));
	ASSERT_READS(b, (5ULL << 29) + 1, 100, 41);
	ASSERT_EQ(0, getrlimit(RLIMIT_FSIZE, &old));
	lim.rlim_max = old.rlim_max;
	oldsig = signal(SIGXFSZ, SIG_IGN);
	ASSERT_EQ(0, setrlimit(RLIMIT_FSIZE, &lim));
	w_hi = put(v, 5 * PG, 10, 42);
	w_lo = put(v, PG, 10, 43);
	w_cross = put(v, 4 * PG - 10, 20, 46);
	grow = mx_vmo_set_size(v, 16 * PG);
	shrink = mx_vmo_set_size(v, 6 * PG);
	big = mx_vmo_write(b, rbuf, 1ULL << 30, 8, &n);
	ASSERT_EQ(0, setrlimit(RLIMIT_FSIZE, &old));
	signal(SIGXFSZ, oldsig);
	ASSERT_STATUS(MX_ERR_NO_RESOURCES, w_hi);
	ASSERT_OK(w_lo);
	/* across the limit: the bytes below it written, then NO_RESOURCES */
	ASSERT_STATUS(MX_ERR_NO_RESOURCES, w_cross);
	ASSERT_READS(v, 4 * PG - 10, 10, 46);
	ASSERT_READS(v, 4 * PG, 10, ZERO);
	ASSERT_STATUS(MX_ERR_NO_RESOURCES, grow);
	ASSERT_OK(shrink);
	ASSERT_STATUS(MX_ERR_NO_RESOURCES, big);
	ASSERT_EQ(6 * PG, size_of(v));
	ASSERT_READS(v, 5 * PG, 10, ZERO);
	ASSERT_READS(v, PG, 10, 43);
	/* the limit gone, the same calls work */
	ASSERT_OK(put(v, 5 * PG, 10, 42));
	ASSERT_READS(v, 5 * PG, 10, 42);
	ASSERT_OK(mx_vmo_set_size(v, 16 * PG));
	ASSERT_OK(mx_handle_close(b));
	ASSERT_OK(mx_handle_close(v));
	ASSERT_ALL_GONE();
}

/*
 * A clone's first write to a page copies the parent's page in; cut short
 * by RLIMIT_FSIZE, the write fails (NO_RESOURCES) and the part copied
 * goes: once the parent's page is decommitted, the clone owning that
 * page (COMMIT) reads zeros there, not the parent's old bytes.
 */
TEST_F(vmo, clone_copy_cut_by_file_size_limit)
{
	struct rlimit old, lim = { .rlim_cur = PG + 100, .rlim_max = 0 };
	void (*oldsig)(int);
	mx_handle_t p, c;
	mx_status_t w;

	ASSERT_OK(mx_vmo_create(2 * PG, 0, &p));
	ASSERT_OK(put(p, 0, 2 * PG, 44));
	ASSERT_OK(mx_vmo_clone(p, COW, 0, 2 * PG, &c));
	ASSERT_EQ(0, getrlimit(RLIMIT_FSIZE, &old));
	lim.rlim_max = old.rlim_max;
	oldsig = signal(SIGXFSZ, SIG_IGN);
	ASSERT_EQ(0, setrlimit(RLIMIT_FSIZE, &lim));
	w = put(c, PG + 10, 1, 45);
	ASSERT_EQ(0, setrlimit(RLIMIT_FSIZE, &old));
	signal(SIGXFSZ, oldsig);
	ASSERT_STATUS(MX_ERR_NO_RESOURCES, w);
	/* still the parent's page */
	ASSERT_READS(c, PG, PG, 44);
	ASSERT_OK(mx_vmo_op_range(p, MX_VMO_OP_DECOMMIT, PG, PG, NULL, 0));
	ASSERT_READS(c, PG, PG, ZERO);
	ASSERT_OK(mx_vmo_op_range(c, MX_VMO_OP_COMMIT, PG, PG, NULL, 0));
	ASSERT_READS(c, PG, PG, ZERO);
	ASSERT_READS(c, 0, PG, 44);
	ASSERT_OK(mx_handle_close(c));
	ASSERT_OK(mx_handle_close(p));
	ASSERT_ALL_GONE();
}

/* 1 MiB each way, and unaligned ranges across pages. */
TEST_F(vmo, large_and_unaligned)
{
	static const struct { uint64_t off; size_t len; } r[] = {
		{ PG - 3, 3 * PG + 7 }, { 1, PG }, { PG + 1, 1 },
		{ 7 * PG - 1, 2 }, { 13, 5 * PG - 26 },
		{ 100 * PG + 17, MIB - 33 },
	};
	mx_handle_t v;
	unsigned int i;
	size_t n;

	ASSERT_OK(mx_vmo_create(MIB, 0, &v));
	fill(wbuf, MIB, 0, 40);
	n = 0;
	ASSERT_OK(mx_vmo_write(v, wbuf, 0, MIB, &n));
	ASSERT_EQ(MIB, n);
	memset(rbuf, 0x5a, MIB);
	n = 0;
	ASSERT_OK(mx_vmo_read(v, rbuf, 0, MIB, &n));
	ASSERT_EQ(MIB, n);
	ASSERT_EQ(MIB, unlike(rbuf, MIB, 0, 40));
	ASSERT_OK(mx_handle_close(v));

	for (i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
		uint64_t end = r[i].off + r[i].len;

		ASSERT_OK(mx_vmo_create(end + 2 * PG, 0, &v));
		ASSERT_OK(put(v, r[i].off, r[i].len, 41 + (int)i));
		ASSERT_READS(v, 0, r[i].off, ZERO);
		ASSERT_READS(v, r[i].off, r[i].len, 41 + (int)i);
		ASSERT_READS(v, end, 2 * PG, ZERO);
		/* read back from other unaligned places */
		if (r[i].len > 10)
			ASSERT_READS(v, r[i].off + 5, r[i].len - 10,
				     41 + (int)i);
		/* one byte more on each side, in one read: zero there */
		memset(rbuf, 0xa5, r[i].len + 2);
		ASSERT_OK(mx_vmo_read(v, rbuf, r[i].off - 1, r[i].len + 2, &n));
		ASSERT_EQ(r[i].len + 2, n);
		ASSERT_EQ(0, rbuf[0]);
		ASSERT_EQ(r[i].len, unlike(rbuf + 1, r[i].len, r[i].off,
					   41 + (int)i));
		ASSERT_EQ(0, rbuf[r[i].len + 1]);
		ASSERT_OK(mx_handle_close(v));
	}
	ASSERT_ALL_GONE();
}

/* ---- clones ---- */

/* The fuchsia-zircon crate's vmo_clone, step by step. */
TEST_F(vmo, clone_crate)
{
	unsigned char b[16];
	mx_handle_t orig, clone;
	size_t n;

	ASSERT_OK(mx_vmo_create(12, 0, &orig));
	ASSERT_OK(mx_vmo_write(orig, "one", 0, 3, &n));
	ASSERT_EQ(3, n);
	/* the clone holds what we expect */
	ASSERT_OK(mx_vmo_clone(orig, COW, 0, 10, &clone));
	ASSERT_EQ(10, size_of(clone));
	ASSERT_OK(mx_vmo_read(clone, b, 0, 16, &n));
	ASSERT_EQ(10, n);
	ASSERT_EQ(0, memcmp(b, "one", 3));
	/* writing to the original affects the clone too, surprisingly */
	ASSERT_OK(mx_vmo_write(orig, "two", 0, 3, &n));
	ASSERT_EQ(3, n);
	ASSERT_OK(mx_vmo_read(orig, b, 0, 16, &n));
	ASSERT_EQ(12, n);
	ASSERT_EQ(0, memcmp(b, "two", 3));
	ASSERT_OK(mx_vmo_read(clone, b, 0, 16, &n));
	ASSERT_EQ(10, n);
	ASSERT_EQ(0, memcmp(b, "two", 3));
	/* writing to the clone does not affect the original */
	ASSERT_OK(mx_vmo_write(clone, "three", 0, 5, &n));
	ASSERT_EQ(5, n);
	ASSERT_OK(mx_vmo_read(orig, b, 0, 16, &n));
	ASSERT_EQ(12, n);
	ASSERT_EQ(0, memcmp(b, "two\0\0", 5));
	ASSERT_OK(mx_vmo_read(clone, b, 0, 16, &n));
	ASSERT_EQ(10, n);
	ASSERT_EQ(0, memcmp(b, "three", 5));
	/* once copied, the original's writes no longer show */
	ASSERT_OK(mx_vmo_write(orig, "four", 0, 4, &n));
	ASSERT_EQ(4, n);
	ASSERT_OK(mx_vmo_read(orig, b, 0, 16, &n));
	ASSERT_EQ(12, n);
	ASSERT_EQ(0, memcmp(b, "four", 4));
	ASSERT_OK(mx_vmo_read(clone, b, 0, 16, &n));
	ASSERT_EQ(10, n);
	ASSERT_EQ(0, memcmp(b, "three", 5));
	ASSERT_OK(mx_handle_close(clone));
	ASSERT_OK(mx_handle_close(orig));
	ASSERT_ALL_GONE();
}

/*
 * Magenta's clone_test_2: a write to the clone makes its whole page the
 * clone's own (the rest of the page as the parent had it), the parent is
 * untouched, and the parent's later writes to the other pages show.
 */
TEST_F(vmo, clone_per_page)
{
	const uint64_t size = 4 * PG;
	mx_handle_t v, c;
	uint64_t off;

	ASSERT_OK(mx_vmo_create(size, 0, &v));
	for (off = 0; off < size; off += 8)
		ASSERT_OK(put64(v, off, off));
	ASSERT_OK(mx_vmo_clone(v, COW, 0, size, &c));
	for (off = 0; off < size; off += 8)
		ASSERT_EQ(off, get64(c, off));
	/* write to part of the clone */
	ASSERT_OK(put64(c, 0, 99));
	ASSERT_EQ(99, get64(c, 0));
	/* the rest of that page was copied */
	for (off = 8; off < PG; off += 8)
		ASSERT_EQ(off, get64(c, off));
	/* the original is untouched */
	for (off = 0; off < size; off += 8)
		ASSERT_EQ(off, get64(v, off));
	/* the original's write to a page the clone did not write shows */
	ASSERT_OK(put64(v, 2 * PG, 99));
	ASSERT_EQ(99, get64(c, 2 * PG));
	/* to the page the clone wrote, it does not */
	ASSERT_OK(put64(v, 8, 77));
	ASSERT_EQ(8, get64(c, 8));
	/* every other byte of page 2 still the original's, in both */
	ASSERT_EQ(2 * PG + 8, get64(c, 2 * PG + 8));
	ASSERT_EQ(3 * PG, get64(c, 3 * PG));
	ASSERT_OK(mx_handle_close(c));
	ASSERT_OK(mx_handle_close(v));
	ASSERT_ALL_GONE();
}

/*
 * A page the clone COMMITs is its own as well; a write across pages,
 * unaligned, makes every page it touches the clone's own (whole), and
 * no other.
 */
TEST_F(vmo, clone_own_pages)
{
	mx_handle_t v, c;

	ASSERT_OK(mx_vmo_create(8 * PG, 0, &v));
	ASSERT_OK(put(v, 0, 8 * PG, 50));
	ASSERT_OK(mx_vmo_clone(v, COW, 0, 8 * PG, &c));
	/* commit page 0 of the clone: taken from the parent now */
	ASSERT_OK(mx_vmo_op_range(c, MX_VMO_OP_COMMIT, 10, 1, NULL, 0));
	ASSERT_READS(c, 0, PG, 50);
	/* pages 2..5, unaligned */
	ASSERT_OK(put(c, 2 * PG + 5, 3 * PG + 7, 51));
	/* the parent writes everything again */
	ASSERT_OK(put(v, 0, 8 * PG, 52));
	ASSERT_READS(c, 0, PG, 50);
	ASSERT_READS(c, PG, PG, 52);
	ASSERT_READS(c, 2 * PG, 5, 50);
	ASSERT_READS(c, 2 * PG + 5, 3 * PG + 7, 51);
	ASSERT_READS(c, 5 * PG + 12, PG - 12, 50);
	ASSERT_READS(c, 6 * PG, 2 * PG, 52);
	ASSERT_READS(v, 0, 8 * PG, 52);
	ASSERT_OK(mx_handle_close(c));
	ASSERT_OK(mx_handle_close(v));
	ASSERT_ALL_GONE();
}

/*
 * Magenta's clone_test_4, through reads: a clone at an offset, past the
 * parent's end. Zeros beyond the parent's size; the parent's growth and
 * its writes there show; the parent shrunk to 0 leaves zeros in every
 * page the clone never wrote (and the clone's own pages as they were).
 */
TEST_F(vmo, clone_beyond_parent)
{
	const uint64_t size = 4 * PG;
	mx_handle_t v, c, bad;
	uint64_t off;

	ASSERT_OK(mx_vmo_create(size, 0, &v));
	for (off = 0; off < size; off += 8)
		ASSERT_OK(put64(v, off, off));
	/* an offset not on a page */
	bad = 77;
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_vmo_clone(v, COW, 1, size, &bad));
	ASSERT_EQ(77, bad);
	/* one page past the parent's end */
	ASSERT_OK(mx_vmo_clone(v, COW, PG, size, &c));
	ASSERT_EQ(size, size_of(c));
	for (off = 0; off < size - PG; off += 8)
		ASSERT_EQ(off + PG, get64(c, off));
	ASSERT_READS(c, size - PG, PG, ZERO);
	/* the parent grows: still zeros */
	ASSERT_OK(mx_vmo_set_size(v, size + PG));
	ASSERT_READS(c, size - PG, PG, ZERO);
	/* it writes its new part: the clone sees it */
	ASSERT_OK(put64(v, size, 99));
	ASSERT_EQ(99, get64(c, size - PG));
	ASSERT_READS(c, size - PG + 8, PG - 8, ZERO);
	/* grows past the clone, then shrinks to 0 */
	ASSERT_OK(mx_vmo_set_size(v, size + 2 * PG));
	ASSERT_EQ(99, get64(c, size - PG));
	ASSERT_OK(put64(c, 8, 1234));	/* clone page 0 is its own now */
	ASSERT_OK(mx_vmo_set_size(v, 0));
	ASSERT_EQ(PG, get64(c, 0));
	ASSERT_EQ(1234, get64(c, 8));
	for (off = 16; off < PG; off += 8)
		ASSERT_EQ(off + PG, get64(c, off));
	ASSERT_READS(c, PG, size - PG, ZERO);
	/* the parent grows again and writes: that shows through again */
	ASSERT_OK(mx_vmo_set_size(v, size));
	ASSERT_READS(c, PG, size - PG, ZERO);
	ASSERT_OK(put64(v, 3 * PG, 4321));
	ASSERT_EQ(4321, get64(c, 2 * PG));
	ASSERT_EQ(1234, get64(c, 8));
	ASSERT_EQ(size, size_of(c));
	/* a clone wholly past the parent's end: zeros */
	ASSERT_OK(mx_vmo_clone(v, COW, 100 * PG, 3 * PG, &bad));
	ASSERT_READS(bad, 0, 3 * PG, ZERO);
	ASSERT_OK(mx_handle_close(bad));
	ASSERT_OK(mx_handle_close(c));
	ASSERT_OK(mx_handle_close(v));
	ASSERT_ALL_GONE();
}

/*
 * A clone shows its parent only inside the window it was given: grown,
 * it reads zeros past its first size, not the parent's next bytes; shrunk
 * and grown again, zeros past the shrink (the parent's later writes show
 * below it, never above); mapped after, the same. An offset near 2^64
 * with size 0 passes the wrap check, and growing such a clone shows
 * zeros, not the parent's first page (Magenta's kernel of 2017 let a
 * grown clone read on; Zircon stopped it).
 */
TEST_F(vmo, clone_window)
{
	mx_handle_t v, c, far, root;
	uintptr_t addr = 0;
	uint64_t off;

	ASSERT_OK(mx_vmo_create(4 * PG, 0, &v));
	for (off = 0; off < 4 * PG; off += 8)
		ASSERT_OK(put64(v, off, off + 1));
	ASSERT_OK(mx_vmo_clone(v, COW, PG, PG + 100, &c));
	ASSERT_EQ(PG + 1, get64(c, 0));
	/* grown: the parent's bytes past the window stay out */
	ASSERT_OK(mx_vmo_set_size(c, 3 * PG));
	ASSERT_EQ(2 * PG + 88 + 1, get64(c, PG + 88));
	ASSERT_READS(c, PG + 100, 2 * PG - 100, ZERO);
	/* shrunk to 50 and grown: zeros past 50, live parent below */
	ASSERT_OK(mx_vmo_set_size(c, 50));
	ASSERT_OK(mx_vmo_set_size(c, 2 * PG));
	ASSERT_EQ(PG + 40 + 1, get64(c, 40));
	ASSERT_READS(c, 50, 2 * PG - 50, ZERO);
	ASSERT_OK(put64(v, PG, 777));
	ASSERT_OK(put64(v, PG + 64, 888));
	ASSERT_EQ(777, get64(c, 0));
	ASSERT_READS(c, 50, 2 * PG - 50, ZERO);
	/* its own writes past the window stay its own */
	ASSERT_OK(put64(c, PG + 8, 999));
	ASSERT_EQ(999, get64(c, PG + 8));
	/* mapped: a copy of what it reads */
	root = mx_vmar_root_self();
	ASSERT_OK(mx_vmar_map(root, 0, c, 0, 2 * PG, MX_VM_FLAG_PERM_READ,
			      &addr));
	ASSERT_EQ(777, *(volatile uint64_t *)addr);
	ASSERT_EQ(0, *(volatile uint64_t *)(addr + 64));
	ASSERT_EQ(999, *(volatile uint64_t *)(addr + PG + 8));
	ASSERT_OK(mx_vmar_unmap(root, addr, 2 * PG));
	ASSERT_OK(mx_handle_close(root));
	/* an offset that wraps once grown: zeros, never the parent's start */
	ASSERT_OK(mx_vmo_clone(v, COW, ~(uint64_t)PG + 1, 0, &far));
	ASSERT_OK(mx_vmo_set_size(far, 2 * PG));
	ASSERT_READS(far, 0, 2 * PG, ZERO);
	ASSERT_OK(mx_handle_close(far));
	ASSERT_OK(mx_handle_close(c));
	ASSERT_OK(mx_handle_close(v));
	ASSERT_ALL_GONE();
}

/* DECOMMIT on a clone drops its own pages: the parent's show again. */
TEST_F(vmo, clone_decommit)
{
	mx_handle_t v, c;

	ASSERT_OK(mx_vmo_create(4 * PG, 0, &v));
	ASSERT_OK(put(v, 0, 4 * PG, 60));
	ASSERT_OK(mx_vmo_clone(v, COW, 0, 4 * PG, &c));
	ASSERT_OK(put(c, 0, 4 * PG, 61));
	ASSERT_READS(c, 0, 4 * PG, 61);
	/* pages 1 and 2: a range touching both */
	ASSERT_OK(mx_vmo_op_range(c, MX_VMO_OP_DECOMMIT, PG + 100, PG, NULL,
				  0));
	ASSERT_READS(c, 0, PG, 61);
	ASSERT_READS(c, PG, 2 * PG, 60);
	ASSERT_READS(c, 3 * PG, PG, 61);
	ASSERT_READS(v, 0, 4 * PG, 60);
	/* and the parent's later writes show there again */
	ASSERT_OK(put(v, 0, 4 * PG, 62));
	ASSERT_READS(c, 0, PG, 61);
	ASSERT_READS(c, PG, 2 * PG, 62);
	ASSERT_READS(c, 3 * PG, PG, 61);
	/* the whole clone */
	ASSERT_OK(mx_vmo_op_range(c, MX_VMO_OP_DECOMMIT, 0, 4 * PG, NULL, 0));
	ASSERT_READS(c, 0, 4 * PG, 62);
	ASSERT_EQ(4 * PG, size_of(c));
	ASSERT_OK(mx_handle_close(c));
	ASSERT_OK(mx_handle_close(v));
	ASSERT_ALL_GONE();
}

/*
 * A clone of a clone: each reads through the ones above it; a byte past
 * any size on the way reads as zero; writes go down, never up.
 */
TEST_F(vmo, clone_of_clone)
{
	mx_handle_t a, b, c;

	ASSERT_OK(mx_vmo_create(3 * PG, 0, &a));
	ASSERT_OK(put(a, 0, 3 * PG, 70));
	/* b: a's first page and 10 bytes of its second */
	ASSERT_OK(mx_vmo_clone(a, COW, 0, PG + 10, &b));
	ASSERT_OK(mx_vmo_clone(b, COW, 0, 3 * PG, &c));
	ASSERT_EQ(3 * PG, size_of(c));
	ASSERT_READS(c, 0, PG + 10, 70);
	ASSERT_READS(c, PG + 10, 2 * PG - 10, ZERO);
	/* a's later writes show through both */
	ASSERT_OK(put(a, 0, 3 * PG, 71));
	ASSERT_READS(b, 0, PG + 10, 71);
	ASSERT_READS(c, 0, PG + 10, 71);
	ASSERT_READS(c, PG + 10, 2 * PG - 10, ZERO);
	/* b writes page 0: c sees b's, a does not */
	ASSERT_OK(put(b, 0, 100, 72));
	ASSERT_READS(c, 0, 100, 72);
	ASSERT_READS(c, 100, PG - 100, 71);
	ASSERT_READS(a, 0, 3 * PG, 71);
	/* now a's writes to page 0 show in neither; page 1's in both */
	ASSERT_OK(put(a, 0, 3 * PG, 73));
	ASSERT_READS(b, 0, 100, 72);
	ASSERT_READS(b, 100, PG - 100, 71);
	ASSERT_READS(c, 0, 100, 72);
	ASSERT_READS(c, PG, 10, 73);
	/* c writes: only c */
	ASSERT_OK(put(c, PG, 2 * PG, 74));
	ASSERT_READS(c, PG, 2 * PG, 74);
	ASSERT_READS(b, PG, 10, 73);
	ASSERT_READS(a, 0, 3 * PG, 73);
	/* closing the middle one leaves c reading through it */
	ASSERT_OK(mx_handle_close(b));
	ASSERT_READS(c, 0, 100, 72);
	ASSERT_READS(c, 100, PG - 100, 71);
	ASSERT_READS(c, PG, 2 * PG, 74);
	ASSERT_OK(mx_handle_close(c));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_ALL_GONE();
}

/*
 * A chain of 40 clones, each made after the one above it wrote its mark
 * at 8 * level on page 0: each reads every mark above it and its own,
 * the original's bytes elsewhere. The chain is deeper than mxchan's
 * limit of 32 live links (deeper clones are made as copies), so the
 * original's later writes to page 1 show in the first 31 and not in the
 * last; closing everything above the last leaves it whole.
 */
#define CHAIN 40
TEST_F(vmo, clone_chain)
{
	mx_handle_t p, c[CHAIN];
	int i, j;

	ASSERT_OK(mx_vmo_create(2 * PG, 0, &p));
	ASSERT_OK(put(p, 0, 2 * PG, 80));
	for (i = 0; i < CHAIN; i++) {
		ASSERT_STATUS_LOG(MX_OK, mx_vmo_clone(i ? c[i - 1] : p, COW, 0,
						      2 * PG, &c[i]),
				  "clone %d", i);
		ASSERT_OK(put64(c[i], 8 * i, 1000 + i));
	}
	for (i = 0; i < CHAIN; i++) {
		for (j = 0; j < CHAIN; j++)
			ASSERT_EQ(j <= i ? (uint64_t)(1000 + j) :
				  pat64(8 * j, 80), get64(c[i], 8 * j))
				TH_LOG("clone %d, mark %d", i, j);
		ASSERT_READS(c[i], 8 * CHAIN, PG - 8 * CHAIN, 80);
		ASSERT_READS(c[i], PG, PG, 80);
	}
	ASSERT_READS(p, 0, 2 * PG, 80);
	/* the original writes page 1 */
	ASSERT_OK(put(p, PG, PG, 81));
	for (i = 0; i < 31; i++)
		ASSERT_READS(c[i], PG, PG, 81);
	ASSERT_READS(c[CHAIN - 1], PG, PG, 80);
	/* everything above the last closed: it reads the same */
	ASSERT_OK(mx_handle_close(p));
	for (i = 0; i < CHAIN - 1; i++)
		ASSERT_OK(mx_handle_close(c[i]));
	for (j = 0; j < CHAIN; j++)
		ASSERT_EQ(1000 + j, get64(c[CHAIN - 1], 8 * j));
	ASSERT_READS(c[CHAIN - 1], 8 * CHAIN, PG - 8 * CHAIN, 80);
	ASSERT_READS(c[CHAIN - 1], PG, PG, 80);
	ASSERT_OK(mx_handle_close(c[CHAIN - 1]));
	ASSERT_ALL_GONE();
}

/*
 * Magenta's clone_rights_test: a clone made through a READ | DUPLICATE
 * handle gets READ | DUPLICATE | WRITE | GET_PROPERTY | SET_PROPERTY,
 * and can be written; its name is its parent's.
 */
TEST_F(vmo, clone_rights)
{
	const mx_rights_t old_rights = MX_RIGHT_READ | MX_RIGHT_DUPLICATE;
	char name[MX_MAX_NAME_LEN];
	mx_info_handle_basic_t info;
	mx_handle_t v, reduced, c, c2;

	ASSERT_OK(mx_vmo_create(PG, 0, &v));
	ASSERT_OK(mx_object_set_property(v, MX_PROP_NAME, "original",
					 sizeof("original")));
	ASSERT_OK(mx_handle_duplicate(v, old_rights, &reduced));
	ASSERT_EQ(old_rights, mxt_rights(reduced));
	ASSERT_OK(mx_vmo_clone(reduced, COW, 0, PG, &c));
	ASSERT_OK(mx_handle_close(reduced));
	info = mxt_info(c);
	ASSERT_EQ(old_rights | CLONE_ADDS, info.rights);
	ASSERT_EQ(0xCDu, info.rights);
	ASSERT_EQ(MX_OBJ_TYPE_VMO, info.type);
	ASSERT_EQ(0, info.related_koid);
	ASSERT_EQ(MX_OBJ_PROP_WAITABLE, info.props);
	ASSERT_NE(mxt_koid(v), info.koid);
	ASSERT_NE(0, info.koid);
	/* the name came along */
	memset(name, 'x', sizeof(name));
	ASSERT_OK(mx_object_get_property(c, MX_PROP_NAME, name, sizeof(name)));
	ASSERT_STREQ("original", name);
	/* WRITE was added: it can be written */
	ASSERT_OK(put(c, 0, 100, 90));
	ASSERT_READS(c, 0, 100, 90);
	ASSERT_READS(v, 0, 100, ZERO);
	/* from a full handle: the VMO's rights again */
	ASSERT_OK(mx_vmo_clone(v, COW, 0, PG, &c2));
	ASSERT_EQ(VMO_RIGHTS, mxt_rights(c2));
	ASSERT_OK(mx_handle_close(c2));
	ASSERT_OK(mx_handle_close(v));
	ASSERT_EQ(old_rights | CLONE_ADDS, mxt_rights(c));
	ASSERT_OK(mx_handle_close(c));
	ASSERT_ALL_GONE();
}

/*
 * clone's errors in order: the handle (DUPLICATE and READ, rights before
 * type), options without COPY_ON_WRITE, a size above the largest, an
 * offset not on a page, offset + size wrapping, the budget, then the out
 * pointer.
 */
TEST_F(vmo, clone_errors)
{
	mx_handle_t v, rd, dup, c0, c1, ev, c, *bad = bad_ptr();
	const uint64_t huge = MXCHAN_VMO_MAX_SIZE + 1;
	const uint64_t top = ~(uint64_t)(PG - 1);	/* the last page */

	ASSERT_OK(mx_vmo_create(2 * PG, 0, &v));
	ASSERT_OK(mx_handle_duplicate(v, MX_RIGHT_READ | MX_RIGHT_TRANSFER,
				      &rd));
	ASSERT_OK(mx_handle_duplicate(v, MX_RIGHT_DUPLICATE | MX_RIGHT_WRITE,
				      &dup));
	ASSERT_OK(mx_channel_create(0, &c0, &c1));
	ASSERT_OK(mx_event_create(0, &ev));
	c = 77;
	/* the handle */
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_vmo_clone(MXT_BAD_VALUE, COW, 0, PG, &c));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_vmo_clone(MXT_BAD_VALUE, 0, 1, huge, &c));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_vmo_clone(MX_HANDLE_INVALID, COW, 0, PG, &c));
	/* no DUPLICATE; no READ */
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_vmo_clone(rd, COW, 0, PG, &c));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_vmo_clone(rd, 0, 1, huge, &c));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_vmo_clone(dup, COW, 0, PG, &c));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_vmo_clone(dup, 0, 0, PG, &c));
	/* a channel has no DUPLICATE: rights before type */
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_vmo_clone(c0, COW, 0, PG, &c));
	/* an event has both: the type */
	ASSERT_STATUS(MX_ERR_WRONG_TYPE, mx_vmo_clone(ev, COW, 0, PG, &c));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE, mx_vmo_clone(ev, 0, 1, huge, &c));
	/* options: without COPY_ON_WRITE */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_vmo_clone(v, 0, 0, PG, &c));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_vmo_clone(v, 2, 0, PG, &c));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_vmo_clone(v, 0, 0, huge, &c));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_vmo_clone(v, 0, 1, PG, &c));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_vmo_clone(v, 0, top, 2 * PG, &c));
	/* the size above the largest, before the offset */
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE, mx_vmo_clone(v, COW, 0, huge, &c));
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE,
		      mx_vmo_clone(v, COW, 0, ~0ULL, &c));
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE, mx_vmo_clone(v, COW, 1, huge, &c));
	/* the offset not on a page, before the wrap */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_vmo_clone(v, COW, 1, PG, &c));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_vmo_clone(v, COW, PG + 8, PG, &c));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_vmo_clone(v, COW, ~0ULL, 2 * PG, &c));
	/* offset + size wraps */
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE,
		      mx_vmo_clone(v, COW, top, 2 * PG, &c));
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE,
		      mx_vmo_clone(v, COW, top - PG, MXCHAN_VMO_MAX_SIZE, &c));
	/* past the budget */
	ASSERT_STATUS(MX_ERR_NO_MEMORY,
		      mx_vmo_clone(v, COW, 0, over_budget(), &c));
	ASSERT_STATUS(MX_ERR_NO_MEMORY,
		      mx_vmo_clone(v, COW, 0, MXCHAN_VMO_MAX_SIZE, &c));
	ASSERT_EQ(77, c);
	/* other option bits along with COPY_ON_WRITE: fine */
	ASSERT_OK(mx_vmo_clone(v, COW | 2, 0, PG, &c));
	ASSERT_OK(mx_handle_close(c));
	c = 77;
	/* the out pointer last: nothing left made */
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE, mx_vmo_clone(v, COW, 0, huge, bad));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_vmo_clone(v, COW, 0, PG, bad));
	/* a clone of size 0, and one far past the parent, are fine */
	ASSERT_OK(mx_vmo_clone(v, COW, 0, 0, &c));
	ASSERT_EQ(0, size_of(c));
	ASSERT_OK(mx_handle_close(c));
	ASSERT_OK(mx_vmo_clone(v, COW, 1ULL << 40, 5, &c));
	ASSERT_EQ(5, size_of(c));
	ASSERT_READS(c, 0, 5, ZERO);
	ASSERT_OK(mx_handle_close(c));
	ASSERT_OK(mx_handle_close(ev));
	ASSERT_OK(mx_handle_close(c0));
	ASSERT_OK(mx_handle_close(c1));
	ASSERT_OK(mx_handle_close(dup));
	ASSERT_OK(mx_handle_close(rd));
	ASSERT_OK(mx_handle_close(v));
	ASSERT_ALL_GONE();
}

/* ---- op_range ---- */

/*
 * COMMIT and DECOMMIT: the range cut to the size (OUT_OF_RANGE past it
 * or on a wrap), 0 bytes fine; they act on whole pages; COMMIT keeps the
 * bytes, DECOMMIT drops them (zeros after). No right is needed.
 */
TEST_F(vmo, commit_decommit)
{
	const uint64_t size = 3 * PG + 100;
	static const uint32_t ops[] = { MX_VMO_OP_COMMIT, MX_VMO_OP_DECOMMIT };
	mx_handle_t v, none;
	unsigned int i;

	ASSERT_OK(mx_vmo_create(size, 0, &v));
	ASSERT_OK(mx_handle_duplicate(v, 0, &none));
	for (i = 0; i < 2; i++) {
		uint32_t op = ops[i];

		ASSERT_OK(mx_vmo_op_range(v, op, 0, size, NULL, 0));
		ASSERT_OK(mx_vmo_op_range(v, op, 0, 0, NULL, 0));
		ASSERT_OK(mx_vmo_op_range(v, op, size, 0, NULL, 0));
		ASSERT_OK(mx_vmo_op_range(v, op, size, 10, NULL, 0));
		ASSERT_OK(mx_vmo_op_range(v, op, PG, 1ULL << 40, NULL, 0));
		ASSERT_OK(mx_vmo_op_range(v, op, 5, ~0ULL - 5, NULL, 0));
		ASSERT_OK(mx_vmo_op_range(none, op, 0, size, NULL, 0));
		ASSERT_STATUS(MX_ERR_OUT_OF_RANGE,
			      mx_vmo_op_range(v, op, size + 1, 0, NULL, 0));
		ASSERT_STATUS(MX_ERR_OUT_OF_RANGE,
			      mx_vmo_op_range(v, op, 1ULL << 40, 1, NULL, 0));
		ASSERT_STATUS(MX_ERR_OUT_OF_RANGE,
			      mx_vmo_op_range(v, op, 10, ~0ULL, NULL, 0));
		ASSERT_STATUS(MX_ERR_OUT_OF_RANGE,
			      mx_vmo_op_range(v, op, ~0ULL, 2, NULL, 0));
		ASSERT_EQ(size, size_of(v));
	}
	/* COMMIT keeps what is there */
	ASSERT_OK(put(v, 0, size, 100));
	ASSERT_OK(mx_vmo_op_range(v, MX_VMO_OP_COMMIT, 0, size, NULL, 0));
	ASSERT_READS(v, 0, size, 100);
	/* DECOMMIT of 20 bytes drops their whole page */
	ASSERT_OK(mx_vmo_op_range(v, MX_VMO_OP_DECOMMIT, PG + 10, 20, NULL,
				  0));
	ASSERT_READS(v, 0, PG, 100);
	ASSERT_READS(v, PG, PG, ZERO);
	ASSERT_READS(v, 2 * PG, size - 2 * PG, 100);
	/* through a handle with no rights, across two pages */
	ASSERT_OK(mx_vmo_op_range(none, MX_VMO_OP_DECOMMIT, 2 * PG + 50, PG,
				  NULL, 0));
	ASSERT_READS(v, 0, PG, 100);
	ASSERT_READS(v, PG, size - PG, ZERO);
	ASSERT_EQ(size, size_of(v));
	/* it can be written again */
	ASSERT_OK(put(v, 0, size, 101));
	ASSERT_READS(v, 0, size, 101);
	ASSERT_OK(mx_vmo_op_range(v, MX_VMO_OP_DECOMMIT, 0, size, NULL, 0));
	ASSERT_READS(v, 0, size, ZERO);
	ASSERT_OK(mx_handle_close(none));
	ASSERT_OK(mx_handle_close(v));
	ASSERT_ALL_GONE();
}

/*
 * op_range's handle (no right needed: a channel with no rights is
 * WRONG_TYPE), unknown ops, LOCK and UNLOCK, and the cache ops.
 */
TEST_F(vmo, op_range_errors_and_cache)
{
	static const uint32_t cache[] = {
		MX_VMO_OP_CACHE_SYNC, MX_VMO_OP_CACHE_INVALIDATE,
		MX_VMO_OP_CACHE_CLEAN, MX_VMO_OP_CACHE_CLEAN_INVALIDATE,
	};
	static const uint32_t unknown[] = { 0, 10, 11, 100, 0x80000001u, ~0u };
	mx_handle_t v, none, c0, c1, c0n;
	unsigned int i;

	ASSERT_OK(mx_vmo_create(12, 0, &v));
	ASSERT_OK(mx_handle_duplicate(v, 0, &none));
	ASSERT_OK(mx_channel_create(0, &c0, &c1));
	ASSERT_OK(mx_handle_replace(c0, 0, &c0n));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_vmo_op_range(MXT_BAD_VALUE, MX_VMO_OP_COMMIT, 0, 12,
				      NULL, 0));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_vmo_op_range(MXT_BAD_VALUE, 0, 0, 12, NULL, 0));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_vmo_op_range(MXT_BAD_VALUE, MX_VMO_OP_LOCK, 0, 12,
				      NULL, 0));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE,
		      mx_vmo_op_range(c1, MX_VMO_OP_COMMIT, 0, 12, NULL, 0));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE,
		      mx_vmo_op_range(c0n, MX_VMO_OP_CACHE_SYNC, 0, 12, NULL,
				      0));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE,
		      mx_vmo_op_range(c0n, 0, 0, 12, NULL, 0));
	/* unknown ops */
	for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		ASSERT_STATUS(MX_ERR_INVALID_ARGS,
			      mx_vmo_op_range(v, unknown[i], 0, 12, NULL, 0));
		ASSERT_STATUS(MX_ERR_INVALID_ARGS,
			      mx_vmo_op_range(none, unknown[i], 0, 1, rbuf,
					      8));
	}
	/* LOCK and UNLOCK: NOT_SUPPORTED, whatever the range */
	ASSERT_STATUS(MX_ERR_NOT_SUPPORTED,
		      mx_vmo_op_range(v, MX_VMO_OP_LOCK, 0, 1, NULL, 0));
	ASSERT_STATUS(MX_ERR_NOT_SUPPORTED,
		      mx_vmo_op_range(v, MX_VMO_OP_UNLOCK, 0, 1, NULL, 0));
	ASSERT_STATUS(MX_ERR_NOT_SUPPORTED,
		      mx_vmo_op_range(none, MX_VMO_OP_LOCK, 1000, 0, NULL, 0));
	/* the cache ops (the crate's vmo_cache), with no right too */
	for (i = 0; i < 4; i++) {
		uint32_t op = cache[i];

		ASSERT_OK(mx_vmo_op_range(v, op, 0, 12, NULL, 0));
		ASSERT_OK(mx_vmo_op_range(v, op, 11, 1, NULL, 0));
		ASSERT_OK(mx_vmo_op_range(none, op, 3, 5, NULL, 0));
		ASSERT_STATUS(MX_ERR_INVALID_ARGS,
			      mx_vmo_op_range(v, op, 0, 0, NULL, 0));
		ASSERT_STATUS(MX_ERR_INVALID_ARGS,
			      mx_vmo_op_range(v, op, 100, 0, NULL, 0));
		ASSERT_STATUS(MX_ERR_OUT_OF_RANGE,
			      mx_vmo_op_range(v, op, 0, 13, NULL, 0));
		ASSERT_STATUS(MX_ERR_OUT_OF_RANGE,
			      mx_vmo_op_range(v, op, 12, 1, NULL, 0));
		ASSERT_STATUS(MX_ERR_OUT_OF_RANGE,
			      mx_vmo_op_range(v, op, 1ULL << 40, 1, NULL, 0));
		ASSERT_STATUS(MX_ERR_OUT_OF_RANGE,
			      mx_vmo_op_range(v, op, ~0ULL, 2, NULL, 0));
		ASSERT_STATUS(MX_ERR_OUT_OF_RANGE,
			      mx_vmo_op_range(v, op, 4, ~0ULL, NULL, 0));
	}
	ASSERT_OK(mx_handle_close(c0n));
	ASSERT_OK(mx_handle_close(c1));
	ASSERT_OK(mx_handle_close(none));
	ASSERT_OK(mx_handle_close(v));
	ASSERT_ALL_GONE();
}

/* set_size through our table in a child that became uid 65534. */
static mx_status_t set_size_as_nobody(mx_handle_t v, uint64_t size)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return MX_ERR_INTERNAL;
	if (pid == 0) {
		if (setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534) || geteuid() != 65534)
			_exit(255);
		_exit(-mx_vmo_set_size(v, size));
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) == 255)
		return MX_ERR_INTERNAL;
	return -(mx_status_t)WEXITSTATUS(status);
}

/*
 * set_size makes its caller the payer: another user (a child that
 * dropped to uid 65534, taking our table over) that grows our VMO pays
 * for all of its new size, and we are paid back; our own set_size after
 * takes it back, and the other user is paid back in turn.
 */
TEST_F(vmo, set_size_moves_the_charge)
{
	long root0 = mxt_vmo_pages_of(0), nobody0 = mxt_vmo_pages_of(65534);
	mx_handle_t v;

	if (geteuid() != 0)
		SKIP(return, "needs root, to become another user");
	if (root0 < 0)
		SKIP(return, "no debugfs");
	ASSERT_OK(mx_vmo_create(8 * PG, 0, &v));
	ASSERT_EQ(root0 + 8, mxt_vmo_pages_of(0));
	ASSERT_OK(set_size_as_nobody(v, 16 * PG + 1));
	ASSERT_EQ(16 * PG + 1, size_of(v));
	ASSERT_EQ(root0, mxt_vmo_pages_of(0));
	ASSERT_EQ(nobody0 + 17, mxt_vmo_pages_of(65534));
	/* ours again, at our size */
	ASSERT_OK(mx_vmo_set_size(v, 4 * PG));
	ASSERT_EQ(root0 + 4, mxt_vmo_pages_of(0));
	ASSERT_EQ(nobody0, mxt_vmo_pages_of(65534));
	ASSERT_OK(mx_handle_close(v));
	ASSERT_EQ(root0, mxt_vmo_pages_of(0));
	ASSERT_ALL_GONE();
}

/* LOOKUP in a child that became uid 65534 (no CAP_SYS_ADMIN). */
static mx_status_t lookup_as_nobody(mx_handle_t v, uint64_t off,
				    uint64_t size, void *buf, size_t bs)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return MX_ERR_INTERNAL;
	if (pid == 0) {
		mx_status_t st;

		if (setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534) || geteuid() != 65534)
			_exit(255);
		st = mx_vmo_op_range(v, MX_VMO_OP_LOOKUP, off, size, buf, bs);
		_exit(-st);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) == 255)
		return MX_ERR_INTERNAL;
	return -(mx_status_t)WEXITSTATUS(status);
}

/*
 * LOOKUP (the crate's vmo_lookup and more): NO_MEMORY until committed,
 * then a nonzero physical address for each page, distinct; NO_MEMORY
 * again after DECOMMIT. Errors in order: NULL buffer, a buffer short of
 * 8 bytes a page touched, size 0, past the size, not CAP_SYS_ADMIN, a
 * page not committed.
 */
TEST_F(vmo, lookup)
{
	uint64_t pa[8], pa2[8];
	mx_handle_t v, w;
	void *bad = bad_ptr();
	int i, j;

	if (geteuid() != 0)
		SKIP(return, "LOOKUP needs CAP_SYS_ADMIN (run as root)");
	/* the crate's: 12 bytes, a buffer of two */
	ASSERT_OK(mx_vmo_create(12, 0, &v));
	memset(pa, 0, sizeof(pa));
	ASSERT_STATUS(MX_ERR_NO_MEMORY,
		      mx_vmo_op_range(v, MX_VMO_OP_LOOKUP, 0, 12, pa, 16));
	ASSERT_OK(mx_vmo_op_range(v, MX_VMO_OP_COMMIT, 0, 12, NULL, 0));
	ASSERT_OK(mx_vmo_op_range(v, MX_VMO_OP_LOOKUP, 0, 12, pa, 16));
	ASSERT_NE(0, pa[0]);
	ASSERT_EQ(0, pa[0] % PG);
	ASSERT_EQ(0, pa[1]);
	/* as nobody: ACCESS_DENIED, after the checks before it */
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      lookup_as_nobody(v, 0, 12, pa2, 16));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      lookup_as_nobody(v, 0, 12, NULL, 16));
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE,
		      lookup_as_nobody(v, 0, 13, pa2, 16));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, lookup_as_nobody(v, 0, 0, pa2, 16));
	ASSERT_OK(mx_vmo_op_range(v, MX_VMO_OP_DECOMMIT, 0, 12, NULL, 0));
	ASSERT_STATUS(MX_ERR_NO_MEMORY,
		      mx_vmo_op_range(v, MX_VMO_OP_LOOKUP, 0, 12, pa, 16));
	/* nobody is denied before the commit is looked at */
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      lookup_as_nobody(v, 0, 12, pa2, 16));
	ASSERT_OK(mx_handle_close(v));

	/* 4 pages */
	ASSERT_OK(mx_vmo_create(4 * PG, 0, &v));
	ASSERT_OK(mx_vmo_op_range(v, MX_VMO_OP_COMMIT, PG, 1, NULL, 0));
	/* a page not committed among them: NO_MEMORY */
	ASSERT_STATUS(MX_ERR_NO_MEMORY,
		      mx_vmo_op_range(v, MX_VMO_OP_LOOKUP, 0, 2 * PG, pa, 16));
	ASSERT_STATUS(MX_ERR_NO_MEMORY,
		      mx_vmo_op_range(v, MX_VMO_OP_LOOKUP, PG, 2 * PG, pa,
				      16));
	memset(pa, 0, sizeof(pa));
	ASSERT_OK(mx_vmo_op_range(v, MX_VMO_OP_LOOKUP, PG + 5, 10, pa, 8));
	ASSERT_NE(0, pa[0]);
	/* a written page is committed */
	ASSERT_OK(put(v, 3 * PG + 7, 1, 110));
	ASSERT_OK(mx_vmo_op_range(v, MX_VMO_OP_LOOKUP, 3 * PG, PG, pa2, 8));
	ASSERT_NE(0, pa2[0]);
	/* all of them */
	ASSERT_OK(mx_vmo_op_range(v, MX_VMO_OP_COMMIT, 0, 4 * PG, NULL, 0));
	memset(pa2, 0, sizeof(pa2));
	ASSERT_OK(mx_vmo_op_range(v, MX_VMO_OP_LOOKUP, 0, 4 * PG, pa2,
				  sizeof(pa2)));
	for (i = 0; i < 4; i++) {
		ASSERT_NE(0, pa2[i]) TH_LOG("page %d", i);
		ASSERT_EQ(0, pa2[i] % PG) TH_LOG("page %d", i);
		for (j = 0; j < i; j++)
			ASSERT_NE(pa2[j], pa2[i]) TH_LOG("pages %d, %d", j, i);
	}
	for (i = 4; i < 8; i++)
		ASSERT_EQ(0, pa2[i]);
	ASSERT_EQ(pa[0], pa2[1]);
	/* a range inside, unaligned: the pages it touches */
	memset(pa, 0, sizeof(pa));
	ASSERT_OK(mx_vmo_op_range(v, MX_VMO_OP_LOOKUP, PG + 5, PG, pa, 16));
	ASSERT_EQ(pa2[1], pa[0]);
	ASSERT_EQ(pa2[2], pa[1]);
	ASSERT_EQ(0, pa[2]);

	/* the errors, in order */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_vmo_op_range(v, MX_VMO_OP_LOOKUP, 0, PG, NULL, 8));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_vmo_op_range(v, MX_VMO_OP_LOOKUP, 0, 0, NULL, 0));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_vmo_op_range(v, MX_VMO_OP_LOOKUP, 0, 8 * PG, NULL,
				      0));
	/* 8 bytes a page touched */
	ASSERT_STATUS(MX_ERR_BUFFER_TOO_SMALL,
		      mx_vmo_op_range(v, MX_VMO_OP_LOOKUP, 0, 2 * PG, pa, 15));
	ASSERT_STATUS(MX_ERR_BUFFER_TOO_SMALL,
		      mx_vmo_op_range(v, MX_VMO_OP_LOOKUP, 0, 1, pa, 7));
	ASSERT_STATUS(MX_ERR_BUFFER_TOO_SMALL,
		      mx_vmo_op_range(v, MX_VMO_OP_LOOKUP, 0, 1, pa, 0));
	ASSERT_STATUS(MX_ERR_BUFFER_TOO_SMALL,
		      mx_vmo_op_range(v, MX_VMO_OP_LOOKUP, PG - 1, 2, pa, 8));
	ASSERT_OK(mx_vmo_op_range(v, MX_VMO_OP_LOOKUP, PG - 1, 2, pa, 16));
	/* a short buffer before the range */
	ASSERT_STATUS(MX_ERR_BUFFER_TOO_SMALL,
		      mx_vmo_op_range(v, MX_VMO_OP_LOOKUP, 3 * PG, 2 * PG, pa,
				      8));
	/* size 0, with any buffer */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_vmo_op_range(v, MX_VMO_OP_LOOKUP, 0, 0, pa, 64));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_vmo_op_range(v, MX_VMO_OP_LOOKUP, 0, 0, pa, 0));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_vmo_op_range(v, MX_VMO_OP_LOOKUP, 8 * PG, 0, pa, 64));
	/* past the size */
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE,
		      mx_vmo_op_range(v, MX_VMO_OP_LOOKUP, 0, 4 * PG + 1, pa,
				      64));
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE,
		      mx_vmo_op_range(v, MX_VMO_OP_LOOKUP, 4 * PG, 1, pa, 64));
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE,
		      mx_vmo_op_range(v, MX_VMO_OP_LOOKUP, 3 * PG, 2 * PG, pa,
				      16));
	/* a buffer the kernel cannot write */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_vmo_op_range(v, MX_VMO_OP_LOOKUP, 0, PG, bad, 8));
	/* no right needed */
	ASSERT_OK(mx_handle_duplicate(v, 0, &w));
	ASSERT_OK(mx_vmo_op_range(w, MX_VMO_OP_LOOKUP, 0, PG, pa, 8));
	ASSERT_EQ(pa2[0], pa[0]);
	/* nobody: every page committed, still denied */
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      lookup_as_nobody(v, 0, 4 * PG, pa, 64));
	ASSERT_STATUS(MX_ERR_BUFFER_TOO_SMALL,
		      lookup_as_nobody(v, 0, 4 * PG, pa, 8));
	/* and after DECOMMIT of one page, NO_MEMORY again */
	ASSERT_OK(mx_vmo_op_range(v, MX_VMO_OP_DECOMMIT, 2 * PG, 1, NULL, 0));
	ASSERT_STATUS(MX_ERR_NO_MEMORY,
		      mx_vmo_op_range(v, MX_VMO_OP_LOOKUP, 0, 4 * PG, pa,
				      64));
	ASSERT_OK(mx_vmo_op_range(v, MX_VMO_OP_LOOKUP, 3 * PG, PG, pa, 8));
	ASSERT_OK(mx_handle_close(w));
	ASSERT_OK(mx_handle_close(v));
	ASSERT_ALL_GONE();
}

/*
 * set_cache_policy: a policy outside the mask is INVALID_ARGS before the
 * handle is looked at; then MAP is needed; then NOT_SUPPORTED for any
 * policy (Magenta's answer for every VMO vmo_create made).
 */
TEST_F(vmo, cache_policy)
{
	static const uint32_t badp[] = { 4, 5, 8, 0x80000000u, ~0u };
	mx_handle_t v, nomap, c0, c1;
	uint32_t p;
	unsigned int i;

	ASSERT_OK(mx_vmo_create(4 * PG, 0, &v));
	ASSERT_OK(mx_handle_duplicate(v, VMO_RIGHTS & ~MX_RIGHT_MAP, &nomap));
	ASSERT_OK(mx_channel_create(0, &c0, &c1));
	for (i = 0; i < sizeof(badp) / sizeof(badp[0]); i++) {
		ASSERT_STATUS(MX_ERR_INVALID_ARGS,
			      mx_vmo_set_cache_policy(v, badp[i]));
		ASSERT_STATUS(MX_ERR_INVALID_ARGS,
			      mx_vmo_set_cache_policy(nomap, badp[i]));
		ASSERT_STATUS(MX_ERR_INVALID_ARGS,
			      mx_vmo_set_cache_policy(MXT_BAD_VALUE, badp[i]));
		ASSERT_STATUS(MX_ERR_INVALID_ARGS,
			      mx_vmo_set_cache_policy(c0, badp[i]));
	}
	for (p = 0; p <= MX_CACHE_POLICY_MASK; p++) {
		ASSERT_STATUS(MX_ERR_BAD_HANDLE,
			      mx_vmo_set_cache_policy(MXT_BAD_VALUE, p));
		ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
			      mx_vmo_set_cache_policy(nomap, p));
		/* a channel has no MAP either: rights before type */
		ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
			      mx_vmo_set_cache_policy(c0, p));
		ASSERT_STATUS(MX_ERR_NOT_SUPPORTED,
			      mx_vmo_set_cache_policy(v, p));
	}
	/* Magenta's vmo_cache_test */
	ASSERT_STATUS(MX_ERR_NOT_SUPPORTED,
		      mx_vmo_set_cache_policy(v, MX_CACHE_POLICY_UNCACHED));
	ASSERT_OK(mx_handle_close(c0));
	ASSERT_OK(mx_handle_close(c1));
	ASSERT_OK(mx_handle_close(nomap));
	ASSERT_OK(mx_handle_close(v));
	ASSERT_ALL_GONE();
}

/* ---- signals ---- */

struct waiter {
	mx_handle_t h;
	mx_signals_t want, seen;
	mx_status_t st;
	pid_t tid;
};

static void *wait_thread(void *p)
{
	struct waiter *w = p;

	__atomic_store_n(&w->tid, (pid_t)syscall(SYS_gettid),
			 __ATOMIC_RELEASE);
	w->st = mx_object_wait_one(w->h, w->want,
				   mx_deadline_after(MX_SEC(20)), &w->seen);
	return NULL;
}

/*
 * No signal comes from the kernel; the user signals do (SIGNAL right),
 * seen by a wait at once and by one already asleep; other bits are
 * INVALID_ARGS. A clone's signals are its own.
 */
TEST_F(vmo, user_signals)
{
	struct waiter w = { 0 };
	mx_handle_t v, c, nosig;
	mx_signals_t s = 0;
	pthread_t t;
	int i;

	ASSERT_OK(mx_vmo_create(PG, 0, &v));
	ASSERT_OK(mx_vmo_clone(v, COW, 0, PG, &c));
	ASSERT_OK(mx_handle_duplicate(v, VMO_RIGHTS & ~MX_RIGHT_SIGNAL,
				      &nosig));
	ASSERT_EQ(0, state(v) & ~LAST);
	/* a write, a resize, a commit: still nothing */
	ASSERT_OK(put(v, 0, 100, 120));
	ASSERT_OK(mx_vmo_set_size(v, 2 * PG));
	ASSERT_OK(mx_vmo_op_range(v, MX_VMO_OP_COMMIT, 0, 2 * PG, NULL, 0));
	ASSERT_EQ(0, state(v) & ~LAST);
	ASSERT_STATUS(MX_ERR_TIMED_OUT,
		      mx_object_wait_one(v, U0, mx_deadline_after(MX_MSEC(10)),
					 &s));
	/* USER_0 */
	ASSERT_OK(mx_object_signal(v, 0, U0));
	s = 0;
	ASSERT_OK(mx_object_wait_one(v, U0, mx_deadline_after(MX_SEC(5)), &s));
	ASSERT_EQ(U0, s & ~LAST);
	ASSERT_EQ(U0, state(nosig) & ~LAST);
	/* the clone is another object */
	ASSERT_EQ(0, state(c) & ~LAST);
	/* every user bit; clear them */
	for (i = 0; i < 8; i++)
		ASSERT_OK(mx_object_signal(v, 0, MX_USER_SIGNAL_0 << i));
	ASSERT_EQ(MX_USER_SIGNAL_ALL, state(v) & ~LAST);
	ASSERT_OK(mx_object_signal(v, MX_USER_SIGNAL_ALL, 0));
	ASSERT_EQ(0, state(v) & ~LAST);
	/* not a user bit */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_object_signal(v, 0, 1u));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_object_signal(v, 0, 1u << 23));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_object_signal(v, 1u << 2, 0));
	/* no SIGNAL right */
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_object_signal(nosig, 0, U0));
	ASSERT_EQ(0, state(v) & ~LAST);
	/* a waiter asleep on the clone is woken by USER_3 */
	w.h = c;
	w.want = MX_USER_SIGNAL_0 << 3;
	w.st = MX_ERR_INTERNAL;
	ASSERT_EQ(0, pthread_create(&t, NULL, wait_thread, &w));
	for (i = 0; i < 5000; i++) {
		if (__atomic_load_n(&w.tid, __ATOMIC_ACQUIRE) &&
		    mxt_asleep(w.tid))
			break;
		usleep(1000);
	}
	ASSERT_OK(mx_object_signal(c, 0, MX_USER_SIGNAL_0 << 3));
	ASSERT_EQ(0, pthread_join(t, NULL));
	ASSERT_OK(w.st);
	ASSERT_EQ(MX_USER_SIGNAL_0 << 3, w.seen & ~LAST);
	ASSERT_EQ(0, state(v) & ~LAST);
	ASSERT_OK(mx_handle_close(nosig));
	ASSERT_OK(mx_handle_close(c));
	ASSERT_OK(mx_handle_close(v));
	ASSERT_ALL_GONE();
}

/* ---- another process ---- */

/*
 * A VMO goes through a channel to another process (its own table) with
 * its bytes; the child reads them and writes its own, which the parent
 * sees; the parent's writes are seen by the child; the child's exit
 * closes its handle.
 */
TEST_F(vmo, transfer_to_process)
{
	const uint64_t size = 3 * PG + 5;
	mx_handle_t v, keep, nt, c0, c1;
	struct xfer_msg m;
	unsigned char b;
	uint32_t nb;
	pid_t pid;

	ASSERT_OK(mx_vmo_create(size, 0, &v));
	ASSERT_OK(put(v, 0, size, 7));
	ASSERT_OK(mx_handle_duplicate(v, MX_RIGHT_READ | MX_RIGHT_WRITE |
				      MX_RIGHT_DUPLICATE, &keep));
	ASSERT_OK(mx_channel_create(0, &c0, &c1));
	m.koid = mxt_koid(v);
	m.size = size;
	/* a copy without TRANSFER cannot be sent, and stays */
	ASSERT_OK(mx_handle_duplicate(keep, MX_RIGHT_READ, &nt));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_channel_write(c0, 0, &m, sizeof(m), &nt, 1));
	ASSERT_TRUE(mxt_valid(nt));
	ASSERT_OK(mx_handle_close(nt));
	ASSERT_OK(mx_channel_write(c0, 0, &m, sizeof(m), &v, 1));
	ASSERT_FALSE(mxt_valid(v));
	ASSERT_OK(mxt_spawn_self("vmo", c1, &pid));
	ASSERT_FALSE(mxt_valid(c1));
	/* the child has written pattern 8 */
	ASSERT_OK(mx_object_wait_one(c0, MX_CHANNEL_READABLE,
				     mx_deadline_after(MX_SEC(30)), NULL));
	ASSERT_OK(mx_channel_read(c0, 0, &b, NULL, 1, 0, &nb, NULL));
	ASSERT_EQ(1, nb);
	ASSERT_READS(keep, 0, XFER_OFF, 7);
	ASSERT_READS(keep, XFER_OFF, XFER_LEN, 8);
	ASSERT_READS(keep, XFER_OFF + XFER_LEN, size - XFER_OFF - XFER_LEN, 7);
	ASSERT_EQ(size, size_of(keep));
	/* ours are seen there */
	ASSERT_OK(put(keep, 0, PG, 9));
	ASSERT_OK(mx_channel_write(c0, 0, "r", 1, NULL, 0));
	ASSERT_EQ(0, mxt_reap(pid));
	ASSERT_READS(keep, 0, PG, 9);
	ASSERT_OK(mx_handle_close(keep));
	ASSERT_OK(mx_handle_close(c0));
	ASSERT_ALL_GONE();
}

/* ---- closing ---- */

struct reader {
	mx_handle_t h;
	size_t len;
	int rounds, done, err;
	pid_t tid;
};

/* Read all of r->h again and again: pattern 130 each time. */
static void *reader_thread(void *p)
{
	struct reader *r = p;
	unsigned char *buf = malloc(r->len);
	size_t n;
	int i;

	__atomic_store_n(&r->tid, (pid_t)syscall(SYS_gettid),
			 __ATOMIC_RELEASE);
	if (!buf) {
		r->err = 1;
		return NULL;
	}
	for (i = 0; i < r->rounds && !r->err; i++) {
		n = 0;
		if (mx_vmo_read(r->h, buf, 0, r->len, &n) != MX_OK ||
		    n != r->len)
			r->err = 2;
		else if (unlike(buf, r->len, 0, 130) != r->len)
			r->err = 3;
		__atomic_store_n(&r->done, i + 1, __ATOMIC_RELEASE);
	}
	free(buf);
	return NULL;
}

TEST_F(vmo, close_orders)
{
	struct reader r = { 0 };
	mx_handle_t p, c, d, c0, c1, got;
	uint32_t h = 0, hc = 0, nh;
	pthread_t t;
	int fd, i;

	/* the parent's handle first: the clone still reads its bytes */
	ASSERT_OK(mx_vmo_create(3 * PG, 0, &p));
	ASSERT_OK(put(p, 0, 3 * PG, 131));
	ASSERT_OK(mx_vmo_clone(p, COW, 0, 3 * PG, &c));
	ASSERT_OK(mx_handle_close(p));
	ASSERT_READS(c, 0, 3 * PG, 131);
	ASSERT_OK(put(c, PG, 10, 132));
	ASSERT_READS(c, 0, PG, 131);
	ASSERT_READS(c, PG, 10, 132);
	ASSERT_READS(c, PG + 10, 2 * PG - 10, 131);
	ASSERT_OK(mx_handle_close(c));
	ASSERT_ALL_GONE();
	/* the clone first: the parent does not care */
	ASSERT_OK(mx_vmo_create(3 * PG, 0, &p));
	ASSERT_OK(put(p, 0, 3 * PG, 133));
	ASSERT_OK(mx_vmo_clone(p, COW, 0, 3 * PG, &c));
	ASSERT_OK(put(c, 0, 3 * PG, 134));
	ASSERT_OK(mx_handle_close(c));
	ASSERT_READS(p, 0, 3 * PG, 133);
	ASSERT_OK(put(p, 0, 3 * PG, 135));
	ASSERT_READS(p, 0, 3 * PG, 135);
	ASSERT_OK(mx_handle_close(p));
	ASSERT_ALL_GONE();
	/* the middle of three first: the last still reads through it */
	ASSERT_OK(mx_vmo_create(2 * PG, 0, &p));
	ASSERT_OK(put(p, 0, 2 * PG, 136));
	ASSERT_OK(mx_vmo_clone(p, COW, 0, 2 * PG, &c));
	ASSERT_OK(mx_vmo_clone(c, COW, 0, 2 * PG, &d));
	ASSERT_OK(mx_handle_close(c));
	ASSERT_READS(d, 0, 2 * PG, 136);
	ASSERT_OK(put(p, 0, 2 * PG, 137));
	ASSERT_READS(d, 0, 2 * PG, 137);
	ASSERT_OK(mx_handle_close(p));
	ASSERT_READS(d, 0, 2 * PG, 137);
	ASSERT_OK(mx_handle_close(d));
	ASSERT_ALL_GONE();
	/* a copy keeps the VMO */
	ASSERT_OK(mx_vmo_create(PG, 0, &p));
	ASSERT_OK(put(p, 0, PG, 138));
	ASSERT_OK(mx_handle_duplicate(p, MX_RIGHT_SAME_RIGHTS, &d));
	ASSERT_OK(mx_handle_close(p));
	ASSERT_READS(d, 0, PG, 138);
	ASSERT_OK(mx_handle_close(d));
	ASSERT_ALL_GONE();
	/* a VMO and its clone in a message go with the channel */
	ASSERT_OK(mx_vmo_create(PG, 0, &p));
	ASSERT_OK(mx_vmo_clone(p, COW, 0, PG, &c));
	ASSERT_OK(mx_channel_create(0, &c0, &c1));
	{
		mx_handle_t two[2] = { c, p };

		ASSERT_OK(mx_channel_write(c0, 0, NULL, 0, two, 2));
	}
	ASSERT_OK(mx_handle_close(c1));
	ASSERT_OK(mx_handle_close(c0));
	ASSERT_ALL_GONE();
	/* one that went through a channel and came back */
	ASSERT_OK(mx_vmo_create(PG, 0, &p));
	ASSERT_OK(put(p, 0, PG, 139));
	ASSERT_OK(mx_channel_create(0, &c0, &c1));
	ASSERT_OK(mx_channel_write(c0, 0, NULL, 0, &p, 1));
	ASSERT_OK(mx_channel_read(c1, 0, NULL, &got, 0, 1, NULL, &nh));
	ASSERT_EQ(1, nh);
	ASSERT_EQ(VMO_RIGHTS, mxt_rights(got));
	ASSERT_READS(got, 0, PG, 139);
	ASSERT_OK(mx_handle_close(got));
	ASSERT_OK(mx_handle_close(c0));
	ASSERT_OK(mx_handle_close(c1));
	ASSERT_ALL_GONE();
	/* a table that closes with a VMO and a clone in it */
	fd = open(MXCHAN_DEVICE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	{
		struct mxchan_vmo_create cr = {
			.size = 5 * PG, .out = (uintptr_t)&h,
		};
		struct mxchan_vmo_clone cl = {
			.options = COW, .size = 5 * PG, .out = (uintptr_t)&hc,
		};
		size_t n = 0;
		struct mxchan_vmo_io io = {
			.data = (uintptr_t)wbuf, .len = 5 * PG,
			.actual = (uintptr_t)&n,
		};

		ASSERT_EQ(0, ioctl(fd, MXCHAN_IOC_VMO_CREATE, &cr));
		io.handle = h;
		ASSERT_EQ(0, ioctl(fd, MXCHAN_IOC_VMO_WRITE, &io));
		ASSERT_EQ(5 * PG, n);
		cl.handle = h;
		ASSERT_EQ(0, ioctl(fd, MXCHAN_IOC_VMO_CLONE, &cl));
		io.handle = hc;
		ASSERT_EQ(0, ioctl(fd, MXCHAN_IOC_VMO_WRITE, &io));
	}
	ASSERT_EQ(0, close(fd));
	ASSERT_ALL_GONE();
	/* the parent's handle closed while another thread reads the clone */
	ASSERT_OK(mx_vmo_create(MIB / 4, 0, &p));
	ASSERT_OK(put(p, 0, MIB / 4, 130));
	ASSERT_OK(mx_vmo_clone(p, COW, 0, MIB / 4, &c));
	r.h = c;
	r.len = MIB / 4;
	r.rounds = 50;
	ASSERT_EQ(0, pthread_create(&t, NULL, reader_thread, &r));
	for (i = 0; i < 5000 && !__atomic_load_n(&r.done, __ATOMIC_ACQUIRE);
	     i++)
		usleep(1000);
	ASSERT_OK(mx_handle_close(p));
	ASSERT_EQ(0, pthread_join(t, NULL));
	ASSERT_EQ(0, r.err);
	ASSERT_EQ(50, r.done);
	ASSERT_OK(mx_handle_close(c));
	ASSERT_ALL_GONE();
}

/* ---- what the module counts ---- */

/*
 * debugfs mxchan/users, our line: vmo_pages goes up by the pages of each
 * VMO made (its size rounded up to pages, clones included), follows
 * set_size, and is back where it was once they are closed.
 */
TEST_F(vmo, debugfs_vmo_pages)
{
	mx_handle_t a, z, c;
	long base = vmo_pages();

	ASSERT_NE(-2, base) TH_LOG("our line of mxchan/users has no vmo_pages");
	if (base < 0)
		SKIP(return, "no debugfs mxchan/users");
	ASSERT_OK(mx_vmo_create(5 * PG + 1, 0, &a));
	ASSERT_EQ(base + 6, vmo_pages());
	ASSERT_OK(mx_vmo_create(0, 0, &z));
	ASSERT_EQ(base + 6, vmo_pages());
	ASSERT_OK(mx_vmo_clone(a, COW, PG, 3 * PG, &c));
	ASSERT_EQ(base + 9, vmo_pages());
	/* pages written or not: the size is what counts */
	ASSERT_OK(put(a, 0, 5 * PG + 1, 140));
	ASSERT_OK(put(c, 0, 3 * PG, 141));
	ASSERT_EQ(base + 9, vmo_pages());
	ASSERT_OK(mx_vmo_set_size(a, 1));
	ASSERT_EQ(base + 4, vmo_pages());
	ASSERT_OK(mx_vmo_set_size(a, 2 * PG));
	ASSERT_EQ(base + 5, vmo_pages());
	ASSERT_OK(mx_vmo_set_size(z, PG + 1));
	ASSERT_EQ(base + 7, vmo_pages());
	ASSERT_OK(mx_handle_close(c));
	ASSERT_EQ(base + 4, vmo_pages());
	ASSERT_OK(mx_handle_close(a));
	ASSERT_EQ(base + 2, vmo_pages());
	ASSERT_OK(mx_handle_close(z));
	ASSERT_EQ(base, vmo_pages());
	ASSERT_ALL_GONE();
}

/* ---- max_user_vmo_pages ---- */

FIXTURE(pages) {
	char old[32];		/* "" if the parameter was not changed */
};

FIXTURE_SETUP(pages)
{
	self->old[0] = 0;
	ASSERT_LE(0, mxchan_table_fd());
}

/* Also after a failed assertion: the next tests want the default. */
FIXTURE_TEARDOWN_PARENT(pages)
{
	if (self->old[0])
		mxt_param_restore(PARAM, self->old);
}

/* Our VMO pages now, or @dflt where debugfs does not show them. */
static long charged_or(long dflt)
{
	long n = vmo_pages();

	return n < 0 ? dflt : n;
}

/*
 * The sizes of the VMOs a user made, clones included, in pages, may not
 * pass the budget: create, set_size and clone beyond it are NO_MEMORY
 * (set_size leaving the size as it was), and closing a VMO makes room.
 */
TEST_F(pages, max_user_vmo_pages)
{
	mx_handle_t a, b, c, d;
	long base, limit;
	char val[32];

	if (access(PARAM_PATH, F_OK))
		SKIP(return, "no " PARAM " parameter");
	base = charged_or(0);
	limit = base + 16;
	snprintf(val, sizeof(val), "%ld", limit);
	if (mxt_param_set(PARAM, val, self->old, sizeof(self->old))) {
		self->old[0] = 0;
		SKIP(return, "cannot set " PARAM " (not root?)");
	}
	TH_LOG(PARAM " %.*s -> %ld", (int)strcspn(self->old, "\n"),
	       self->old, limit);
	ASSERT_EQ(limit, budget());

	/* create: 17 pages no (16 pages and a byte), 16 yes */
	b = 77;
	ASSERT_STATUS(MX_ERR_NO_MEMORY, mx_vmo_create(16 * PG + 1, 0, &b));
	ASSERT_STATUS(MX_ERR_NO_MEMORY, mx_vmo_create(17 * PG, 0, &b));
	ASSERT_EQ(77, b);
	ASSERT_EQ(base, charged_or(base));
	ASSERT_OK(mx_vmo_create(16 * PG, 0, &a));
	ASSERT_EQ(limit, charged_or(limit));
	ASSERT_STATUS(MX_ERR_NO_MEMORY, mx_vmo_create(1, 0, &b));
	/* a size of 0 takes no page */
	ASSERT_OK(mx_vmo_create(0, 0, &b));
	/* set_size past it: NO_MEMORY, the size as it was */
	ASSERT_STATUS(MX_ERR_NO_MEMORY, mx_vmo_set_size(b, 1));
	ASSERT_EQ(0, size_of(b));
	ASSERT_OK(put(a, 16 * PG - 100, 100, 150));
	ASSERT_STATUS(MX_ERR_NO_MEMORY, mx_vmo_set_size(a, 16 * PG + 1));
	ASSERT_EQ(16 * PG, size_of(a));
	ASSERT_READS(a, 16 * PG - 100, 100, 150);
	ASSERT_EQ(limit, charged_or(limit));
	/* within its pages: fine */
	ASSERT_OK(mx_vmo_set_size(a, 15 * PG + 1));
	ASSERT_EQ(limit, charged_or(limit));
	/* shrinking gives pages back */
	ASSERT_OK(mx_vmo_set_size(a, 10 * PG));
	ASSERT_EQ(base + 10, charged_or(base + 10));
	/* clone: 7 pages no, 6 yes, then not even one byte */
	c = 77;
	ASSERT_STATUS(MX_ERR_NO_MEMORY, mx_vmo_clone(a, COW, 0, 7 * PG, &c));
	ASSERT_STATUS(MX_ERR_NO_MEMORY,
		      mx_vmo_clone(a, COW, 0, 6 * PG + 1, &c));
	ASSERT_EQ(77, c);
	ASSERT_OK(mx_vmo_clone(a, COW, 0, 6 * PG, &c));
	ASSERT_EQ(limit, charged_or(limit));
	ASSERT_STATUS(MX_ERR_NO_MEMORY, mx_vmo_clone(a, COW, 0, 1, &d));
	ASSERT_STATUS(MX_ERR_NO_MEMORY, mx_vmo_clone(c, COW, 0, 1, &d));
	ASSERT_STATUS(MX_ERR_NO_MEMORY, mx_vmo_create(1, 0, &d));
	ASSERT_STATUS(MX_ERR_NO_MEMORY, mx_vmo_set_size(c, 6 * PG + 1));
	ASSERT_EQ(6 * PG, size_of(c));
	/* closing the clone makes room: success again */
	ASSERT_OK(mx_handle_close(c));
	ASSERT_EQ(base + 10, charged_or(base + 10));
	ASSERT_OK(mx_vmo_set_size(b, 6 * PG));
	ASSERT_EQ(6 * PG, size_of(b));
	ASSERT_STATUS(MX_ERR_NO_MEMORY, mx_vmo_create(1, 0, &d));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_EQ(base + 6, charged_or(base + 6));
	ASSERT_OK(mx_vmo_create(10 * PG, 0, &a));
	ASSERT_OK(mx_vmo_clone(b, COW, 0, 0, &c));
	ASSERT_EQ(limit, charged_or(limit));
	ASSERT_STATUS(MX_ERR_NO_MEMORY, mx_vmo_create(PG, 0, &d));
	ASSERT_OK(mx_handle_close(c));
	ASSERT_OK(mx_handle_close(b));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_EQ(base, charged_or(base));
	/* all of it at once again */
	ASSERT_OK(mx_vmo_create(16 * PG, 0, &a));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_EQ(base, charged_or(base));
}

int main(int argc, char **argv)
{
	return mxt_self_main(argc, argv, child_main);
}
