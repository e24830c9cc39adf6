// SPDX-License-Identifier: GPL-2.0
/*
 * FIFOs: create and its size rules (options ignored, as Magenta did),
 * the ABI under libmx, HANDLE_BASIC, Magenta's basic_test sequence on an
 * 8 x 8 ring (filled, drained across the wrap, its writer closed), lengths
 * rounded down to whole elements, the largest rings, rights and the order
 * of errors, count pointers that fault after the elements moved, data
 * pointers that fault with nothing moved (across the wrap too), signals
 * and user signals, waits woken from another thread, a port watching a
 * fifo, an end sent through a channel to another process, every order of
 * closing, and two streams, one each way, of threads that wait.
 *
 * Each test ends with the module's live counters (debugfs) where they
 * were: every object, handle and fifo it made is gone.
 *
 * The binary is also its own child program: "fifo_test --child MODE".
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <magenta/process.h>
#include <magenta/processargs.h>
#include <magenta/syscalls/port.h>
#include <mxchan.h>

#include "mx-internal.h"
#include "mxchan_test.h"

#define H0 PA_HND(PA_USER0, 0)

/* Magenta's default fifo rights, 0x300F. */
#define FIFO_RIGHTS (MX_RIGHT_DUPLICATE | MX_RIGHT_TRANSFER | MX_RIGHT_READ | \
		     MX_RIGHT_WRITE | MX_RIGHT_SIGNAL | MX_RIGHT_SIGNAL_PEER)

#define R MX_FIFO_READABLE
#define W MX_FIFO_WRITABLE
#define PC MX_FIFO_PEER_CLOSED
#define LAST MX_SIGNAL_LAST_HANDLE

/* ---- helpers ---- */

/* The current signals of h; all bits if that wait failed. */
static mx_signals_t state(mx_handle_t h)
{
	mx_signals_t s = 0;

	if (mx_object_wait_one(h, 0, 0, &s) != MX_ERR_TIMED_OUT)
		return ~0u;
	return s;
}

/* Element i of the test sequences: 8 bytes, never 0. */
static uint64_t elem(uint64_t i)
{
	return 0xf1f0000000000000ULL + i;
}

static void fill(uint64_t *v, uint64_t first, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		v[i] = elem(first + i);
}

/* buf holds elements first, first + 1, ... */
#define ASSERT_SEQ(buf, first, count) do {				\
	uint32_t __i;							\
	for (__i = 0; __i < (uint32_t)(count); __i++)			\
		ASSERT_EQ(elem((first) + __i), (buf)[__i])		\
			TH_LOG("element %u of %u", __i, (uint32_t)(count)); \
} while (0)

/* An ioctl on this process's table: 0 or the errno. */
static int raw(unsigned long cmd, void *arg)
{
	return ioctl(mxchan_table_fd(), cmd, arg) ? errno : 0;
}

static int raw_io(unsigned long cmd, mx_handle_t h, const void *data,
		  uint64_t len, uint32_t *actual)
{
	struct mxchan_fifo_io a = {
		.handle = (uint32_t)h, .data = (uintptr_t)data, .len = len,
		.actual = (uintptr_t)actual,
	};

	return raw(cmd, &a);
}

/* Fifo objects alive in the module (debugfs mxchan/objects); -1 if absent. */
static long fifos_live(void)
{
	FILE *f = fopen("/sys/kernel/debug/mxchan/objects", "r");
	long created, destroyed, n = -1;
	char kind[32];

	if (!f)
		return -1;
	while (fscanf(f, "%31s created %ld destroyed %ld", kind, &created,
		      &destroyed) == 3)
		if (!strcmp(kind, "fifo"))
			n = created - destroyed;
	fclose(f);
	return n;
}

/* A page that can be read but not written, holding @n bytes of @src. */
static void *ro_page(const void *src, size_t n)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (n)
		memcpy(p, src, n);
	if (mprotect(p, 4096, PROT_READ))
		return NULL;
	return p;
}

/*
 * Do something to a handle from another thread once the thread that
 * started it sleeps in its wait (and a little later), so the action
 * lands during the wait however slow the machine.
 */
struct later {
	pthread_t thread;
	pid_t waiter;
	mx_status_t (*fn)(mx_handle_t h, uint64_t arg);
	mx_handle_t h;
	uint64_t arg;
	mx_status_t result;
};

static void *later_thread(void *p)
{
	struct later *l = p;
	int i;

	for (i = 0; i < 20000 && !mxt_asleep(l->waiter); i++)
		mx_nanosleep(mx_deadline_after(MX_MSEC(1)));
	mx_nanosleep(mx_deadline_after(MX_MSEC(5)));
	l->result = l->fn(l->h, l->arg);
	return NULL;
}

static void later_start(struct later *l,
			mx_status_t (*fn)(mx_handle_t, uint64_t),
			mx_handle_t h, uint64_t arg)
{
	l->waiter = (pid_t)syscall(SYS_gettid);
	l->fn = fn;
	l->h = h;
	l->arg = arg;
	l->result = MX_ERR_INTERNAL;
	pthread_create(&l->thread, NULL, later_thread, l);
}

/* Write the one element arg. */
static mx_status_t do_write(mx_handle_t h, uint64_t arg)
{
	uint32_t n = 0;
	mx_status_t st = mx_fifo_write(h, &arg, sizeof(arg), &n);

	return st == MX_OK && n != 1 ? MX_ERR_INTERNAL : st;
}

/* Read one element. */
static mx_status_t do_read(mx_handle_t h, uint64_t arg)
{
	uint32_t n = 0;
	mx_status_t st = mx_fifo_read(h, &arg, sizeof(arg), &n);

	return st == MX_OK && n != 1 ? MX_ERR_INTERNAL : st;
}

static mx_status_t do_close(mx_handle_t h, uint64_t arg)
{
	(void)arg;
	return mx_handle_close(h);
}

/* ---- the child program ---- */

/*
 * Take a fifo end from the startup channel (its koid in the message's
 * bytes), read 8 elements from it, and write them back plus 1000.
 * Exiting closes the end.
 */
static int child_echo(void)
{
	mx_handle_t ch = mx_get_startup_handle(H0), f = MX_HANDLE_INVALID;
	mx_info_handle_basic_t info;
	uint32_t nb = 0, nh = 0, n, got = 0, i;
	mx_koid_t koid = 0;
	uint64_t v[8];

	if (ch <= 0)
		return 10;
	if (mx_object_wait_one(ch, MX_CHANNEL_READABLE,
			       mx_deadline_after(MX_SEC(20)), NULL) != MX_OK)
		return 11;
	if (mx_channel_read(ch, 0, &koid, &f, sizeof(koid), 1, &nb,
			    &nh) != MX_OK || nb != sizeof(koid) || nh != 1)
		return 12;
	info = mxt_info(f);
	if (info.type != MX_OBJ_TYPE_FIFO || info.koid != koid ||
	    info.rights != FIFO_RIGHTS)
		return 13;
	while (got < 8) {
		if (mx_object_wait_one(f, MX_FIFO_READABLE,
				       mx_deadline_after(MX_SEC(20)),
				       NULL) != MX_OK)
			return 14;
		if (mx_fifo_read(f, v + got, (8 - got) * sizeof(v[0]),
				 &n) != MX_OK || n == 0 || n > 8 - got)
			return 15;
		got += n;
	}
	for (i = 0; i < 8; i++) {
		if (v[i] != elem(i))
			return 16;
		v[i] = elem(1000 + i);
	}
	if (mx_fifo_write(f, v, sizeof(v), &n) != MX_OK || n != 8)
		return 17;
	return 0;
}

static int child_main(const char *mode)
{
	/* never outlive the test that started us */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (!strcmp(mode, "echo"))
		return child_echo();
	return 99;
}

/* ---- the fixture: nothing made in a test outlives it ---- */

FIXTURE(fifo) {
	long live;	/* everything alive in the module; -1 without debugfs */
	long fifos;	/* fifo objects alive */
};

FIXTURE_SETUP(fifo)
{
	struct mxt_gc gc;

	/* the table exists before we count what is alive */
	ASSERT_LE(0, mxchan_table_fd());
	mxt_gc_settle(&gc);
	self->live = mxt_live_total();
	self->fifos = fifos_live();
}

FIXTURE_TEARDOWN(fifo)
{
	if (self->live >= 0)
		EXPECT_EQ(self->live, mxt_live_total());
	if (self->fifos >= 0)
		EXPECT_EQ(self->fifos, fifos_live());
}

/* Everything is back where the test started (where debugfs shows it). */
#define ASSERT_ALL_GONE() do {						\
	if (self->live >= 0)						\
		ASSERT_EQ(self->live, mxt_live_total());		\
	if (self->fifos >= 0)						\
		ASSERT_EQ(self->fifos, fifos_live());			\
} while (0)

/* ---- create ---- */

TEST_F(fifo, create_sizes)
{
	/* OUT_OF_RANGE: a zero, a count not a power of two, too many bytes */
	static const uint32_t bad[][2] = {
		{ 0, 8 }, { 8, 0 }, { 0, 0 }, { 3, 8 }, { 23, 8 }, { 6, 1 },
		{ 4095, 1 }, { 8192, 1 }, { 0x80000000u, 1 },
		{ 0x80000000u, 2 }, { 65536, 65536 },
		{ 0xffffffffu, 0xffffffffu }, { 1, 4097 }, { 1, 8192 },
		{ 2, 0x80000000u }, { 64, 128 }, { 4096, 2 }, { 2, 4096 },
		{ 256, 17 }, { 8, 513 },
	};
	/* any element size that fits, count x size up to 4096 bytes */
	static const uint32_t good[][2] = {
		{ 1, 4096 }, { 4096, 1 }, { 8, 8 }, { 1, 1 }, { 2, 2048 },
		{ 2048, 2 }, { 64, 64 }, { 16, 3 }, { 1, 4095 }, { 512, 8 },
	};
	static unsigned char in[4096], out[4096];
	mx_handle_t a, b;
	mx_status_t st;
	uint32_t i, n;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (unsigned char)(i * 7 + i / 251);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		a = b = 77;
		st = mx_fifo_create(bad[i][0], bad[i][1], 0, &a, &b);
		if (st != MX_ERR_OUT_OF_RANGE)
			TH_LOG("%u x %u", bad[i][0], bad[i][1]);
		ASSERT_STATUS(MX_ERR_OUT_OF_RANGE, st);
		ASSERT_EQ(77, a);
		ASSERT_EQ(77, b);
	}
	ASSERT_ALL_GONE();
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		uint32_t count = good[i][0], size = good[i][1];

		st = mx_fifo_create(count, size, 0, &a, &b);
		if (st != MX_OK)
			TH_LOG("%u x %u", count, size);
		ASSERT_OK(st);
		ASSERT_NE(a, b);
		ASSERT_EQ(MX_OBJ_TYPE_FIFO, mxt_info(a).type);
		ASSERT_EQ(MX_OBJ_TYPE_FIFO, mxt_info(b).type);
		/* exactly count elements of size bytes fit */
		n = 0;
		ASSERT_EQ(MX_OK, mx_fifo_write(a, in, count * size, &n))
			TH_LOG("%u x %u", count, size);
		ASSERT_EQ(count, n) TH_LOG("%u x %u", count, size);
		ASSERT_EQ(MX_ERR_SHOULD_WAIT, mx_fifo_write(a, in, size, &n))
			TH_LOG("%u x %u", count, size);
		if (size > 1)
			ASSERT_EQ(MX_ERR_OUT_OF_RANGE,
				  mx_fifo_read(b, out, size - 1, &n))
				TH_LOG("%u x %u", count, size);
		memset(out, 0, sizeof(out));
		ASSERT_EQ(MX_OK, mx_fifo_read(b, out, sizeof(out), &n))
			TH_LOG("%u x %u", count, size);
		ASSERT_EQ(count, n) TH_LOG("%u x %u", count, size);
		ASSERT_EQ(0, memcmp(in, out, count * size))
			TH_LOG("%u x %u", count, size);
		ASSERT_OK(mx_handle_close(a));
		ASSERT_OK(mx_handle_close(b));
	}
}

/* Magenta ignored options; its basic_test has (0, 0, 1) fail on the sizes. */
TEST_F(fifo, create_options_ignored)
{
	static const uint32_t opts[] = { 1, 2, 0x80000000u, 0xffffffffu };
	uint64_t v = elem(5), w = 0;
	mx_handle_t a = 77, b = 77;
	uint32_t i, n;

	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE, mx_fifo_create(0, 0, 1, &a, &b));
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE, mx_fifo_create(23, 8, 1, &a, &b));
	ASSERT_EQ(77, a);
	ASSERT_EQ(77, b);
	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		ASSERT_OK(mx_fifo_create(8, 8, opts[i], &a, &b));
		ASSERT_EQ(FIFO_RIGHTS, mxt_rights(a));
		ASSERT_OK(mx_fifo_write(b, &v, 8, &n));
		ASSERT_EQ(1, n);
		ASSERT_OK(mx_fifo_read(a, &w, 8, &n));
		ASSERT_EQ(v, w);
		ASSERT_OK(mx_handle_close(a));
		ASSERT_OK(mx_handle_close(b));
	}
}

/* Out-pointers that cannot be written: INVALID_ARGS, nothing made. */
TEST_F(fifo, create_out_pointer_faults)
{
	mx_handle_t *bad = mxt_bad_ptr(), *edge = mxt_edge_ptr(2), h;
	mx_handle_t *ro = ro_page(NULL, 0);

	ASSERT_NE(NULL, edge);
	ASSERT_NE(NULL, ro);
	h = 77;
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_fifo_create(8, 8, 0, bad, &h));
	if (h != 77)
		ASSERT_FALSE(mxt_valid(h));
	h = 77;
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_fifo_create(8, 8, 0, &h, bad));
	if (h != 77)
		ASSERT_FALSE(mxt_valid(h));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_fifo_create(8, 8, 0, ro, ro));
	h = 77;
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_fifo_create(8, 8, 0, &h, edge));
	if (h != 77)
		ASSERT_FALSE(mxt_valid(h));
	/* the sizes are checked first */
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE, mx_fifo_create(0, 8, 0, bad, bad));
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE, mx_fifo_create(3, 8, 0, ro, edge));
	ASSERT_ALL_GONE();
	munmap(ro, 4096);
}

/* ---- the ABI ---- */

TEST_F(fifo, abi)
{
	struct mxchan_fifo_create cc, *cro;
	struct mxchan_fifo_io io, *iro;
	struct mxchan_version ver;
	uint32_t h0 = 0, h1 = 0, n = 0;
	uint64_t in[8], out[8];
	void *bad = mxt_bad_ptr();

	/* natural 8-byte layouts, the same for 32-bit callers */
	ASSERT_EQ(32, sizeof(struct mxchan_fifo_create));
	ASSERT_EQ(0, offsetof(struct mxchan_fifo_create, elem_count));
	ASSERT_EQ(4, offsetof(struct mxchan_fifo_create, elem_size));
	ASSERT_EQ(8, offsetof(struct mxchan_fifo_create, options));
	ASSERT_EQ(12, offsetof(struct mxchan_fifo_create, reserved));
	ASSERT_EQ(16, offsetof(struct mxchan_fifo_create, out0));
	ASSERT_EQ(24, offsetof(struct mxchan_fifo_create, out1));
	ASSERT_EQ(32, sizeof(struct mxchan_fifo_io));
	ASSERT_EQ(0, offsetof(struct mxchan_fifo_io, handle));
	ASSERT_EQ(4, offsetof(struct mxchan_fifo_io, reserved));
	ASSERT_EQ(8, offsetof(struct mxchan_fifo_io, data));
	ASSERT_EQ(16, offsetof(struct mxchan_fifo_io, len));
	ASSERT_EQ(24, offsetof(struct mxchan_fifo_io, actual));
	ASSERT_EQ(_IOW(MXCHAN_IOC_MAGIC, 0x18, struct mxchan_fifo_create),
		  MXCHAN_IOC_FIFO_CREATE);
	ASSERT_EQ(_IOW(MXCHAN_IOC_MAGIC, 0x19, struct mxchan_fifo_io),
		  MXCHAN_IOC_FIFO_WRITE);
	ASSERT_EQ(_IOW(MXCHAN_IOC_MAGIC, 0x1a, struct mxchan_fifo_io),
		  MXCHAN_IOC_FIFO_READ);
	ASSERT_EQ(4096, MXCHAN_FIFO_MAX_BYTES);
	ASSERT_EQ(19, MXCHAN_OBJ_TYPE_FIFO);
	ASSERT_EQ(MX_OBJ_TYPE_FIFO, MXCHAN_OBJ_TYPE_FIFO);
	ASSERT_EQ(0x1u, MX_FIFO_READABLE);
	ASSERT_EQ(0x2u, MX_FIFO_WRITABLE);
	ASSERT_EQ(0x4u, MX_FIFO_PEER_CLOSED);
	ASSERT_EQ(0x300Fu, FIFO_RIGHTS);
	memset(&ver, 0, sizeof(ver));
	ASSERT_EQ(0, raw(MXCHAN_IOC_VERSION, &ver));
	ASSERT_TRUE(ver.features & MXCHAN_FEATURE_FIFO);

	/* reserved must be 0; the sizes' errno is ERANGE */
	cc = (struct mxchan_fifo_create){
		.elem_count = 8, .elem_size = 8, .reserved = 1,
		.out0 = (uintptr_t)&h0, .out1 = (uintptr_t)&h1,
	};
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_FIFO_CREATE, &cc));
	ASSERT_EQ(0, h0);
	ASSERT_EQ(0, h1);
	cc.reserved = 0;
	cc.elem_count = 3;
	ASSERT_EQ(ERANGE, raw(MXCHAN_IOC_FIFO_CREATE, &cc));
	ASSERT_EQ(0, h0);
	/* a struct the kernel cannot read */
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_FIFO_CREATE, bad));
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_FIFO_WRITE, bad));
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_FIFO_READ, bad));
	/* the kernel only reads the structs (_IOW): read-only ones work */
	cc.elem_count = 8;
	cro = ro_page(&cc, sizeof(cc));
	ASSERT_NE(NULL, cro);
	ASSERT_EQ(0, raw(MXCHAN_IOC_FIFO_CREATE, cro));
	ASSERT_NE(0, h0);
	ASSERT_NE(0, h1);
	ASSERT_NE(h0, h1);
	fill(in, 0, 8);
	io = (struct mxchan_fifo_io){
		.handle = h0, .data = (uintptr_t)in, .len = 24,
		.actual = (uintptr_t)&n,
	};
	iro = ro_page(&io, sizeof(io));
	ASSERT_NE(NULL, iro);
	ASSERT_EQ(0, raw(MXCHAN_IOC_FIFO_WRITE, iro));
	ASSERT_EQ(3, n);
	/* reserved, then the handle: EINVAL before EBADF */
	io = (struct mxchan_fifo_io){
		.handle = h1, .reserved = 1, .data = (uintptr_t)out,
		.len = sizeof(out), .actual = (uintptr_t)&n,
	};
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_FIFO_READ, &io));
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_FIFO_WRITE, &io));
	io.handle = MXT_BAD_VALUE;
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_FIFO_READ, &io));
	io.reserved = 0;
	ASSERT_EQ(EBADF, raw(MXCHAN_IOC_FIFO_READ, &io));
	/* the errnos of the rest */
	io.handle = h1;
	io.len = 7;
	ASSERT_EQ(ERANGE, raw(MXCHAN_IOC_FIFO_READ, &io));
	io.len = sizeof(out);
	n = 0;
	ASSERT_EQ(0, raw(MXCHAN_IOC_FIFO_READ, &io));
	ASSERT_EQ(3, n);
	ASSERT_SEQ(out, 0, 3);
	ASSERT_EQ(EAGAIN, raw(MXCHAN_IOC_FIFO_READ, &io));
	ASSERT_EQ(0, raw(MXCHAN_IOC_HANDLE_CLOSE, (void *)(uintptr_t)h0));
	ASSERT_EQ(EPIPE, raw(MXCHAN_IOC_FIFO_WRITE, &io));
	ASSERT_EQ(0, raw(MXCHAN_IOC_HANDLE_CLOSE, (void *)(uintptr_t)h1));
	munmap(cro, 4096);
	munmap(iro, 4096);
}

/* len is a 64-bit byte count: nothing of it is cut off. */
TEST_F(fifo, len_is_64_bit)
{
	uint64_t in[8], out[8];
	mx_handle_t a, b;
	uint32_t n;

	ASSERT_OK(mx_fifo_create(8, 8, 0, &a, &b));
	fill(in, 0, 8);
	/* 2^32 + 8 bytes: 8 fit (cut to 32 bits, 8 bytes would be 1) */
	n = 0;
	ASSERT_EQ(0, raw_io(MXCHAN_IOC_FIFO_WRITE, a, in,
			    (1ULL << 32) + 8, &n));
	ASSERT_EQ(8, n);
	/* 2^32 + 4 bytes is not less than one element */
	memset(out, 0, sizeof(out));
	n = 0;
	ASSERT_EQ(0, raw_io(MXCHAN_IOC_FIFO_READ, b, out,
			    (1ULL << 32) + 4, &n));
	ASSERT_EQ(8, n);
	ASSERT_SEQ(out, 0, 8);
	/* and the largest length moves what there is */
	fill(in, 8, 3);
	ASSERT_OK(mx_fifo_write(a, in, 3 * 8, &n));
	ASSERT_EQ(0, raw_io(MXCHAN_IOC_FIFO_READ, b, out, UINT64_MAX, &n));
	ASSERT_EQ(3, n);
	ASSERT_SEQ(out, 8, 3);
	fill(in, 20, 8);
	ASSERT_EQ(0, raw_io(MXCHAN_IOC_FIFO_WRITE, a, in, UINT64_MAX, &n));
	ASSERT_EQ(8, n);
	ASSERT_OK(mx_fifo_read(b, out, sizeof(out), &n));
	ASSERT_EQ(8, n);
	ASSERT_SEQ(out, 20, 8);
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
}

TEST_F(fifo, info)
{
	mx_info_handle_basic_t i0, i1;
	mx_handle_t a, b, dup;

	ASSERT_OK(mx_fifo_create(8, 8, 0, &a, &b));
	ASSERT_GT(a, 0);
	ASSERT_GT(b, 0);
	ASSERT_EQ(1, a & 1);
	ASSERT_EQ(1, b & 1);
	ASSERT_NE(a, b);
	i0 = mxt_info(a);
	i1 = mxt_info(b);
	ASSERT_EQ(19, i0.type);
	ASSERT_EQ(MX_OBJ_TYPE_FIFO, i1.type);
	ASSERT_EQ(0x300Fu, i0.rights);
	ASSERT_EQ(FIFO_RIGHTS, i1.rights);
	ASSERT_EQ(MX_OBJ_PROP_WAITABLE, i0.props);
	ASSERT_EQ(MX_OBJ_PROP_WAITABLE, i1.props);
	ASSERT_NE(0, i0.koid);
	ASSERT_NE(0, i1.koid);
	ASSERT_NE(i0.koid, i1.koid);
	ASSERT_EQ(i1.koid, i0.related_koid);
	ASSERT_EQ(i0.koid, i1.related_koid);
	ASSERT_TRUE(mxt_valid(a));
	/* each end starts WRITABLE, and is its object's only handle */
	ASSERT_EQ(W | LAST, state(a));
	ASSERT_EQ(W | LAST, state(b));
	/* fifos have DUPLICATE: a copy is the same end */
	ASSERT_OK(mx_handle_duplicate(a, MX_RIGHT_SAME_RIGHTS, &dup));
	ASSERT_NE(a, dup);
	ASSERT_EQ(i0.koid, mxt_koid(dup));
	ASSERT_EQ(i1.koid, mxt_info(dup).related_koid);
	ASSERT_EQ(FIFO_RIGHTS, mxt_rights(dup));
	ASSERT_EQ(W, state(a));
	ASSERT_EQ(W | LAST, state(b));
	ASSERT_OK(mx_handle_close(dup));
	ASSERT_EQ(W | LAST, state(a));
	/* related_koid survives the peer */
	ASSERT_OK(mx_handle_close(a));
	ASSERT_EQ(i0.koid, mxt_info(b).related_koid);
	ASSERT_OK(mx_handle_close(b));
}

/* ---- Magenta's basic_test, with every count and element checked ---- */

TEST_F(fifo, basic)
{
	uint64_t in[8], out[8], v = elem(99), w = 0;
	mx_handle_t a, b;
	uint32_t n;

	ASSERT_OK(mx_fifo_create(8, 8, 0, &a, &b));
	ASSERT_EQ(W | LAST, state(a));
	ASSERT_EQ(W | LAST, state(b));
	/* nothing to read at either end; the count is not written */
	n = 99;
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_fifo_read(a, out, sizeof(out), &n));
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_fifo_read(b, out, sizeof(out), &n));
	ASSERT_EQ(99, n);
	/* no zero-element moves, nor less than one element */
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE, mx_fifo_read(a, out, 0, &n));
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE, mx_fifo_write(a, in, 0, &n));
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE, mx_fifo_read(a, out, 4, &n));
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE, mx_fifo_write(a, in, 4, &n));
	ASSERT_EQ(99, n);
	ASSERT_EQ(W | LAST, state(b));

	/* 0..7 fill b's ring */
	fill(in, 0, 8);
	ASSERT_OK(mx_fifo_write(a, in, sizeof(in), &n));
	ASSERT_EQ(8, n);
	ASSERT_EQ(R | W | LAST, state(b));
	/* the writer is full, and has nothing to read: LAST_HANDLE only */
	ASSERT_EQ(LAST, state(a));
	/* a 9th does not fit */
	n = 99;
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT, mx_fifo_write(a, &v, 8, &n));
	ASSERT_EQ(99, n);
	ASSERT_EQ(LAST, state(a));
	/* the other way is another ring */
	ASSERT_OK(mx_fifo_write(b, &v, 8, &n));
	ASSERT_EQ(1, n);
	ASSERT_EQ(R | LAST, state(a));
	ASSERT_OK(mx_fifo_read(a, &w, 8, &n));
	ASSERT_EQ(1, n);
	ASSERT_EQ(v, w);
	ASSERT_EQ(LAST, state(a));

	/* half: 0..3, and nothing written past them */
	memset(out, 0, sizeof(out));
	ASSERT_OK(mx_fifo_read(b, out, sizeof(out) / 2, &n));
	ASSERT_EQ(4, n);
	ASSERT_SEQ(out, 0, 4);
	ASSERT_EQ(0, out[4]);
	ASSERT_EQ(W | LAST, state(a));
	ASSERT_EQ(R | W | LAST, state(b));

	/* 8, 9 go to the front of the ring (the wrap) */
	fill(in, 8, 5);
	ASSERT_OK(mx_fifo_write(a, in, 2 * 8, &n));
	ASSERT_EQ(2, n);
	/* of 5 more, the 2 that fit: 10, 11; full again */
	ASSERT_OK(mx_fifo_write(a, in + 2, 5 * 8, &n));
	ASSERT_EQ(2, n);
	ASSERT_EQ(LAST, state(a));
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT, mx_fifo_write(a, in + 4, 8, &n));

	/* all 8 at once, in order across the wrap: 4..11 */
	memset(out, 0, sizeof(out));
	ASSERT_OK(mx_fifo_read(b, out, sizeof(out), &n));
	ASSERT_EQ(8, n);
	ASSERT_SEQ(out, 4, 8);
	ASSERT_EQ(W | LAST, state(a));
	ASSERT_EQ(W | LAST, state(b));
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_fifo_read(b, out, sizeof(out), &n));

	/* 5 across the wrap (slots 4..7, 0), then 3 (1..3): 12..19, full */
	fill(in, 12, 8);
	ASSERT_OK(mx_fifo_write(a, in, 5 * 8, &n));
	ASSERT_EQ(5, n);
	ASSERT_EQ(W | LAST, state(a));
	ASSERT_OK(mx_fifo_write(a, in + 5, 3 * 8, &n));
	ASSERT_EQ(3, n);
	ASSERT_EQ(LAST, state(a));
	/* a partial read: 12..14 */
	memset(out, 0, sizeof(out));
	ASSERT_OK(mx_fifo_read(b, out, 3 * 8, &n));
	ASSERT_EQ(3, n);
	ASSERT_SEQ(out, 12, 3);
	ASSERT_EQ(0, out[3]);
	ASSERT_EQ(W | LAST, state(a));

	/* the writer goes: PEER_CLOSED, not WRITABLE; its elements stay */
	ASSERT_OK(mx_handle_close(a));
	ASSERT_EQ(R | PC | LAST, state(b));
	memset(out, 0, sizeof(out));
	ASSERT_OK(mx_fifo_read(b, out, sizeof(out), &n));
	ASSERT_EQ(5, n);
	ASSERT_SEQ(out, 15, 5);
	ASSERT_EQ(PC | LAST, state(b));
	/* empty: SHOULD_WAIT, not PEER_CLOSED; a write: PEER_CLOSED */
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_fifo_read(b, out, sizeof(out), &n));
	ASSERT_STATUS(MX_ERR_PEER_CLOSED, mx_fifo_write(b, &v, 8, &n));
	ASSERT_EQ(PC | LAST, state(b));
	ASSERT_OK(mx_handle_close(b));
}

/* Lengths are rounded down to whole elements, here of 3 bytes. */
TEST_F(fifo, len_rounding)
{
	unsigned char in[64], out[64];
	mx_handle_t a, b;
	uint32_t n, i;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (unsigned char)(0x40 + i);
	ASSERT_OK(mx_fifo_create(16, 3, 0, &a, &b));
	/* 10 bytes: 3 elements, 9 bytes */
	ASSERT_OK(mx_fifo_write(a, in, 10, &n));
	ASSERT_EQ(3, n);
	/* 8 bytes: 2 elements; the buffer's last 2 bytes untouched */
	memset(out, 0xa5, sizeof(out));
	ASSERT_OK(mx_fifo_read(b, out, 8, &n));
	ASSERT_EQ(2, n);
	ASSERT_EQ(0, memcmp(out, in, 6));
	ASSERT_EQ(0xa5, out[6]);
	ASSERT_EQ(0xa5, out[7]);
	/* less than one element: OUT_OF_RANGE, and the third stays */
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE, mx_fifo_read(b, out, 2, &n));
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE, mx_fifo_read(b, out, 0, &n));
	ASSERT_EQ(R | W | LAST, state(b));
	memset(out, 0xa5, sizeof(out));
	ASSERT_OK(mx_fifo_read(b, out, sizeof(out), &n));
	ASSERT_EQ(1, n);
	ASSERT_EQ(0, memcmp(out, in + 6, 3));
	ASSERT_EQ(0xa5, out[3]);
	/* on an empty ring the length comes first */
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE, mx_fifo_read(b, out, 2, &n));
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT, mx_fifo_read(b, out, 3, &n));
	/* 64 bytes hold 21 elements; 16 fit */
	ASSERT_OK(mx_fifo_write(a, in, sizeof(in), &n));
	ASSERT_EQ(16, n);
	/* on a full ring too */
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE, mx_fifo_write(a, in, 2, &n));
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE, mx_fifo_write(a, in, 0, &n));
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT, mx_fifo_write(a, in, 5, &n));
	memset(out, 0xa5, sizeof(out));
	ASSERT_OK(mx_fifo_read(b, out, sizeof(out), &n));
	ASSERT_EQ(16, n);
	ASSERT_EQ(0, memcmp(out, in, 48));
	ASSERT_EQ(0xa5, out[48]);
	/* the peer gone: a write says PEER_CLOSED before the length */
	ASSERT_OK(mx_handle_close(b));
	ASSERT_STATUS(MX_ERR_PEER_CLOSED, mx_fifo_write(a, in, 0, &n));
	ASSERT_STATUS(MX_ERR_PEER_CLOSED, mx_fifo_write(a, in, 2, &n));
	ASSERT_STATUS(MX_ERR_PEER_CLOSED, mx_fifo_write(a, in, 3, &n));
	/* a read never looks at the peer: the length, then SHOULD_WAIT */
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE, mx_fifo_read(a, out, 2, &n));
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT, mx_fifo_read(a, out, 3, &n));
	ASSERT_OK(mx_handle_close(a));
}

/* The largest rings: one element of 4096 bytes, 4096 of one byte. */
TEST_F(fifo, max_sizes)
{
	static unsigned char in[8192], out[8192];
	mx_handle_t a, b;
	uint32_t n, i;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (unsigned char)(i * 13 + i / 256);
	ASSERT_OK(mx_fifo_create(1, 4096, 0, &a, &b));
	ASSERT_OK(mx_fifo_write(a, in, sizeof(in), &n));
	ASSERT_EQ(1, n);
	ASSERT_EQ(LAST, state(a));
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT, mx_fifo_write(a, in, 4096, &n));
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE, mx_fifo_read(b, out, 4095, &n));
	/* each end has its own 4096 bytes */
	ASSERT_OK(mx_fifo_write(b, in + 1, 4096, &n));
	ASSERT_EQ(1, n);
	memset(out, 0, sizeof(out));
	ASSERT_OK(mx_fifo_read(b, out, sizeof(out), &n));
	ASSERT_EQ(1, n);
	ASSERT_EQ(0, memcmp(out, in, 4096));
	ASSERT_EQ(0, out[4096]);
	ASSERT_OK(mx_fifo_read(a, out, 4096, &n));
	ASSERT_EQ(1, n);
	ASSERT_EQ(0, memcmp(out, in + 1, 4096));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));

	ASSERT_OK(mx_fifo_create(4096, 1, 0, &a, &b));
	ASSERT_OK(mx_fifo_write(a, in, sizeof(in), &n));
	ASSERT_EQ(4096, n);
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT, mx_fifo_write(a, in, 1, &n));
	ASSERT_OK(mx_fifo_read(b, out, 1000, &n));
	ASSERT_EQ(1000, n);
	ASSERT_EQ(0, memcmp(out, in, 1000));
	/* 1000 more, at the front of the ring */
	ASSERT_OK(mx_fifo_write(a, in + 4096, 2000, &n));
	ASSERT_EQ(1000, n);
	memset(out, 0, sizeof(out));
	ASSERT_OK(mx_fifo_read(b, out, sizeof(out), &n));
	ASSERT_EQ(4096, n);
	ASSERT_EQ(0, memcmp(out, in + 1000, 3096));
	ASSERT_EQ(0, memcmp(out + 3096, in + 4096, 1000));
	ASSERT_EQ(W | LAST, state(b));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
}

/* ---- rights, types, handles, and which error wins ---- */

TEST_F(fifo, rights_and_errors)
{
	mx_handle_t a, b, aw, ro, wo, none, a2, c0, c1, c_ro, ev;
	uint64_t v = elem(7), w = 0;
	void *bad = mxt_bad_ptr();
	uint32_t n;

	ASSERT_OK(mx_fifo_create(8, 8, 0, &a, &b));
	ASSERT_OK(mx_handle_duplicate(a, MX_RIGHT_SAME_RIGHTS, &aw));
	/* without WRITE: no write, rights before the length and the data */
	ASSERT_OK(mx_handle_duplicate(a, MX_RIGHT_READ | MX_RIGHT_DUPLICATE,
				      &ro));
	ASSERT_EQ(MX_RIGHT_READ | MX_RIGHT_DUPLICATE, mxt_rights(ro));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_fifo_write(ro, &v, 8, &n));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_fifo_write(ro, &v, 0, &n));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_fifo_write(ro, bad, 8, &n));
	ASSERT_EQ(W | LAST, state(b));
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT, mx_fifo_read(ro, &w, 8, &n));
	/* without READ: no read, and what is queued stays */
	ASSERT_OK(mx_handle_duplicate(b, MX_RIGHT_WRITE, &wo));
	ASSERT_OK(mx_fifo_write(a, &v, 8, &n));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_fifo_read(wo, &w, 8, &n));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_fifo_read(wo, &w, 0, &n));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_fifo_read(wo, bad, 8, &n));
	ASSERT_EQ(R | W, state(b));
	/* ... but it writes, and the copy without WRITE reads */
	ASSERT_OK(mx_fifo_write(wo, &v, 8, &n));
	ASSERT_EQ(1, n);
	ASSERT_OK(mx_fifo_read(ro, &w, 8, &n));
	ASSERT_EQ(v, w);
	w = 0;
	ASSERT_OK(mx_fifo_read(b, &w, 8, &n));
	ASSERT_EQ(v, w);
	/* no rights at all */
	ASSERT_OK(mx_handle_duplicate(a, MX_RIGHT_NONE, &none));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_fifo_write(none, &v, 8, &n));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_fifo_read(none, &w, 8, &n));
	ASSERT_OK(mx_handle_close(none));
	/* a closed value names nothing */
	ASSERT_STATUS(MX_ERR_BAD_HANDLE, mx_fifo_write(none, &v, 8, &n));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE, mx_fifo_read(none, &w, 8, &n));
	/* replace drops WRITE; the peer sees no close */
	ASSERT_OK(mx_handle_replace(a, MX_RIGHT_READ | MX_RIGHT_SIGNAL, &a2));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE, mx_fifo_write(a, &v, 8, &n));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_fifo_write(a2, &v, 8, &n));
	ASSERT_EQ(0, state(b) & PC);

	/* the wrong type: WRONG_TYPE, after the rights, before the length */
	ASSERT_OK(mx_channel_create(0, &c0, &c1));
	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE, mx_fifo_write(c0, &v, 8, &n));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE, mx_fifo_read(c0, &w, 8, &n));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE, mx_fifo_write(c0, bad, 0, &n));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE, mx_fifo_read(c1, bad, 0, &n));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE, mx_fifo_write(ev, &v, 8, &n));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE, mx_fifo_read(ev, &w, 8, &n));
	ASSERT_OK(mx_handle_replace(c0, MX_RIGHT_READ, &c_ro));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_fifo_write(c_ro, &v, 8, &n));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE, mx_fifo_read(c_ro, &w, 8, &n));
	/* nothing got into the channel */
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_channel_read(c1, 0, NULL, NULL, 0, 0, NULL, NULL));

	/* values that name nothing: BAD_HANDLE before anything else */
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_fifo_write(MXT_BAD_VALUE, &v, 8, &n));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_fifo_read(MXT_BAD_VALUE, &w, 8, &n));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_fifo_write(MX_HANDLE_INVALID, &v, 8, &n));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_fifo_read(MX_HANDLE_INVALID, &w, 8, &n));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_fifo_write(MXT_BAD_VALUE, bad, 0, bad));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_fifo_read(MXT_BAD_VALUE, bad, 0, bad));

	/* the peer gone: the rights first, then PEER_CLOSED, then the rest */
	ASSERT_OK(mx_handle_close(b));
	ASSERT_EQ(0, state(a2) & PC);	/* wo keeps b's end alive */
	ASSERT_OK(mx_handle_close(wo));
	ASSERT_EQ(PC, state(a2));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_fifo_write(ro, &v, 8, &n));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_fifo_write(a2, &v, 0, &n));
	ASSERT_STATUS(MX_ERR_PEER_CLOSED, mx_fifo_write(aw, &v, 8, &n));
	ASSERT_STATUS(MX_ERR_PEER_CLOSED, mx_fifo_write(aw, &v, 0, &n));
	ASSERT_STATUS(MX_ERR_PEER_CLOSED, mx_fifo_write(aw, bad, 8, bad));
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT, mx_fifo_read(aw, bad, 8, bad));

	ASSERT_OK(mx_handle_close(aw));
	ASSERT_OK(mx_handle_close(ro));
	ASSERT_OK(mx_handle_close(a2));
	ASSERT_OK(mx_handle_close(c_ro));
	ASSERT_OK(mx_handle_close(c1));
	ASSERT_OK(mx_handle_close(ev));
}

/* ---- faults ---- */

/*
 * The count is written after the elements moved (Magenta wrote it last,
 * and it is required): a count pointer that cannot be written is
 * INVALID_ARGS with the elements moved.
 */
TEST_F(fifo, count_pointer_faults)
{
	uint32_t *ptrs[4], n;
	uint64_t in[8], out[8];
	mx_handle_t a, b;
	int i;

	ptrs[0] = NULL;
	ptrs[1] = mxt_bad_ptr();
	ptrs[2] = ro_page(NULL, 0);
	ptrs[3] = mxt_edge_ptr(2);
	ASSERT_NE(NULL, ptrs[2]);
	ASSERT_NE(NULL, ptrs[3]);
	ASSERT_OK(mx_fifo_create(8, 8, 0, &a, &b));
	for (i = 0; i < 4; i++) {
		/* a write: queued, then EINVAL */
		fill(in, 10 * i, 3);
		ASSERT_EQ(EINVAL, raw_io(MXCHAN_IOC_FIFO_WRITE, a, in, 3 * 8,
					 ptrs[i]))
			TH_LOG("count pointer %d", i);
		ASSERT_EQ(R | W | LAST, state(b));
		memset(out, 0, sizeof(out));
		ASSERT_OK(mx_fifo_read(b, out, sizeof(out), &n));
		ASSERT_EQ(3, n);
		ASSERT_SEQ(out, 10 * i, 3);
		/* a read: taken, then EINVAL */
		ASSERT_OK(mx_fifo_write(a, in, 3 * 8, &n));
		memset(out, 0, sizeof(out));
		ASSERT_EQ(EINVAL, raw_io(MXCHAN_IOC_FIFO_READ, b, out,
					 sizeof(out), ptrs[i]))
			TH_LOG("count pointer %d", i);
		ASSERT_SEQ(out, 10 * i, 3);
		ASSERT_EQ(0, out[3]);
		ASSERT_EQ(W | LAST, state(b));
		ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
			      mx_fifo_read(b, out, sizeof(out), &n));
	}
	/* libmx says INVALID_ARGS */
	fill(in, 100, 8);
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_fifo_write(a, in, 8, ptrs[1]));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_fifo_read(b, out, sizeof(out), ptrs[2]));
	ASSERT_EQ(elem(100), out[0]);
	/* a read that fails so from a full ring gives WRITABLE back */
	ASSERT_OK(mx_fifo_write(a, in, sizeof(in), &n));
	ASSERT_EQ(8, n);
	ASSERT_EQ(LAST, state(a));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_fifo_read(b, out, 2 * 8, ptrs[1]));
	ASSERT_EQ(W | LAST, state(a));
	ASSERT_EQ(R | W | LAST, state(b));
	/* when nothing moves, the count pointer is not looked at */
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE, mx_fifo_read(b, out, 0, ptrs[1]));
	ASSERT_OK(mx_fifo_read(b, out, sizeof(out), &n));
	ASSERT_EQ(6, n);
	ASSERT_SEQ(out, 102, 6);
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_fifo_read(b, out, sizeof(out), ptrs[1]));
	ASSERT_OK(mx_fifo_write(a, in, sizeof(in), &n));
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT, mx_fifo_write(a, in, 8, ptrs[1]));
	ASSERT_OK(mx_handle_close(b));
	ASSERT_STATUS(MX_ERR_PEER_CLOSED, mx_fifo_write(a, in, 8, ptrs[1]));
	ASSERT_OK(mx_handle_close(a));
	munmap(ptrs[2], 4096);
}

/*
 * A data pointer that faults is INVALID_ARGS with nothing moved, even
 * when part of the copy could be made: the ring is rolled back, across
 * the wrap too (the second of the two copies faulting).
 */
TEST_F(fifo, data_faults)
{
	uint64_t in[8], out[8], *src, *ro;
	void *bad = mxt_bad_ptr(), *dst;
	mx_handle_t a, b;
	uint32_t n;

	ASSERT_OK(mx_fifo_create(8, 8, 0, &a, &b));
	/* from nowhere */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_fifo_write(a, bad, 64, &n));
	ASSERT_EQ(W | LAST, state(a));
	ASSERT_EQ(W | LAST, state(b));
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_fifo_read(b, out, sizeof(out), &n));
	/* from memory that ends after 3.5 elements: none of the 8 queued */
	src = mxt_edge_ptr(28);
	ASSERT_NE(NULL, src);
	fill(in, 0, 8);
	memcpy(src, in, 28);
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_fifo_write(a, src, 64, &n));
	ASSERT_EQ(W | LAST, state(b));
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_fifo_read(b, out, sizeof(out), &n));
	/* ... though its 3 whole elements can be written */
	ASSERT_OK(mx_fifo_write(a, src, 24, &n));
	ASSERT_EQ(3, n);
	ASSERT_OK(mx_fifo_read(b, out, sizeof(out), &n));
	ASSERT_EQ(3, n);
	ASSERT_SEQ(out, 0, 3);
	ASSERT_OK(mx_fifo_write(a, in, 3 * 8, &n));
	ASSERT_OK(mx_fifo_read(b, out, sizeof(out), &n));
	ASSERT_EQ(3, n);

	/* the ring's next slot is 6: 4 elements go in 2 + 2 */
	src = mxt_edge_ptr(16);
	ASSERT_NE(NULL, src);
	fill(in, 100, 8);
	memcpy(src, in, 16);
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_fifo_write(a, src, 4 * 8, &n));
	ASSERT_EQ(W | LAST, state(a));
	ASSERT_EQ(W | LAST, state(b));
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_fifo_read(b, out, sizeof(out), &n));
	fill(in, 200, 4);
	ASSERT_OK(mx_fifo_write(a, in, 4 * 8, &n));
	ASSERT_EQ(4, n);
	/* a read into memory for 2 of them: the second copy faults, all stay */
	dst = mxt_edge_ptr(16);
	ASSERT_NE(NULL, dst);
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_fifo_read(b, dst, 4 * 8, &n));
	ASSERT_EQ(R | W | LAST, state(b));
	memset(out, 0, sizeof(out));
	ASSERT_OK(mx_fifo_read(b, out, sizeof(out), &n));
	ASSERT_EQ(4, n);
	ASSERT_SEQ(out, 200, 4);
	ASSERT_EQ(W | LAST, state(b));

	/* into a read-only page, or nowhere: the same */
	ro = ro_page(NULL, 0);
	ASSERT_NE(NULL, ro);
	fill(in, 300, 8);
	ASSERT_OK(mx_fifo_write(a, in, 2 * 8, &n));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_fifo_read(b, ro, 2 * 8, &n));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_fifo_read(b, bad, 2 * 8, &n));
	ASSERT_OK(mx_fifo_read(b, out, sizeof(out), &n));
	ASSERT_EQ(2, n);
	ASSERT_SEQ(out, 300, 2);
	munmap(ro, 4096);
	/* a full ring stays full: the writer does not get WRITABLE back */
	ASSERT_OK(mx_fifo_write(a, in, sizeof(in), &n));
	ASSERT_EQ(8, n);
	ASSERT_EQ(LAST, state(a));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_fifo_read(b, bad, 64, &n));
	ASSERT_EQ(LAST, state(a));
	/* nor is the data looked at when nothing can move */
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT, mx_fifo_write(a, bad, 64, &n));
	ASSERT_OK(mx_fifo_read(b, out, sizeof(out), &n));
	ASSERT_EQ(8, n);
	ASSERT_SEQ(out, 300, 8);
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT, mx_fifo_read(b, bad, 64, &n));
	/* a read-only source is fine: the kernel only reads it */
	ro = ro_page(in, sizeof(in));
	ASSERT_NE(NULL, ro);
	ASSERT_OK(mx_fifo_write(a, ro, 5 * 8, &n));
	ASSERT_EQ(5, n);
	ASSERT_OK(mx_fifo_read(b, out, sizeof(out), &n));
	ASSERT_EQ(5, n);
	ASSERT_SEQ(out, 300, 5);
	munmap(ro, 4096);
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
}

/* ---- signals ---- */

TEST_F(fifo, signals)
{
	mx_handle_t a, b, s, p;
	uint64_t in[4], out[4];
	uint32_t n;

	fill(in, 0, 4);
	ASSERT_OK(mx_fifo_create(4, 8, 0, &a, &b));
	/* the first element makes the reader READABLE, not the writer */
	ASSERT_OK(mx_fifo_write(a, in, 8, &n));
	ASSERT_EQ(R | W | LAST, state(b));
	ASSERT_EQ(W | LAST, state(a));
	ASSERT_OK(mx_fifo_write(a, in + 1, 8, &n));
	ASSERT_OK(mx_fifo_read(b, out, 8, &n));
	ASSERT_EQ(R | W | LAST, state(b));
	/* the last one read clears it */
	ASSERT_OK(mx_fifo_read(b, out, 8, &n));
	ASSERT_EQ(W | LAST, state(b));
	/* full: the writer loses WRITABLE; one element read gives it back */
	ASSERT_OK(mx_fifo_write(a, in, sizeof(in), &n));
	ASSERT_EQ(4, n);
	ASSERT_EQ(LAST, state(a));
	ASSERT_OK(mx_fifo_read(b, out, 8, &n));
	ASSERT_EQ(W | LAST, state(a));
	ASSERT_OK(mx_fifo_write(a, in, 8, &n));
	ASSERT_EQ(LAST, state(a));
	/* both ways full at once */
	ASSERT_OK(mx_fifo_write(b, in, sizeof(in), &n));
	ASSERT_EQ(4, n);
	ASSERT_EQ(R | LAST, state(a));
	ASSERT_EQ(R | LAST, state(b));
	ASSERT_OK(mx_fifo_read(a, out, sizeof(out), &n));
	ASSERT_EQ(4, n);
	ASSERT_EQ(LAST, state(a));
	ASSERT_EQ(R | W | LAST, state(b));
	ASSERT_OK(mx_fifo_read(b, out, sizeof(out), &n));
	ASSERT_EQ(4, n);
	ASSERT_EQ(W | LAST, state(a));
	ASSERT_EQ(W | LAST, state(b));

	/* user signals, on the end itself and on its peer */
	ASSERT_OK(mx_object_signal(a, 0, MX_USER_SIGNAL_0 | MX_USER_SIGNAL_7));
	ASSERT_EQ(W | LAST | MX_USER_SIGNAL_0 | MX_USER_SIGNAL_7, state(a));
	ASSERT_EQ(W | LAST, state(b));
	ASSERT_OK(mx_object_signal_peer(a, 0, MX_USER_SIGNAL_3));
	ASSERT_EQ(W | LAST | MX_USER_SIGNAL_3, state(b));
	ASSERT_OK(mx_object_signal(a, MX_USER_SIGNAL_0, 0));
	ASSERT_OK(mx_object_signal_peer(b, MX_USER_SIGNAL_7, MX_USER_SIGNAL_1));
	ASSERT_EQ(W | LAST | MX_USER_SIGNAL_1, state(a));
	/* only user signals */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_object_signal(a, 0, R));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_object_signal(a, W, 0));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_object_signal(a, 0, PC));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_object_signal(a, 0, MX_EVENT_SIGNALED));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_object_signal(a, 0, LAST));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_object_signal_peer(a, 0, R));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_object_signal_peer(a, W, 0));
	ASSERT_EQ(W | LAST | MX_USER_SIGNAL_1, state(a));
	ASSERT_EQ(W | LAST | MX_USER_SIGNAL_3, state(b));
	/* SIGNAL for the end itself, SIGNAL_PEER for its peer */
	ASSERT_OK(mx_handle_duplicate(a, MX_RIGHT_READ | MX_RIGHT_SIGNAL, &s));
	ASSERT_OK(mx_handle_duplicate(a, MX_RIGHT_READ | MX_RIGHT_SIGNAL_PEER,
				      &p));
	ASSERT_OK(mx_object_signal(s, 0, MX_USER_SIGNAL_2));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_object_signal_peer(s, 0, MX_USER_SIGNAL_5));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_object_signal(p, 0, MX_USER_SIGNAL_5));
	ASSERT_OK(mx_object_signal_peer(p, 0, MX_USER_SIGNAL_4));
	ASSERT_OK(mx_handle_close(s));
	ASSERT_OK(mx_handle_close(p));
	ASSERT_EQ(W | LAST | MX_USER_SIGNAL_1 | MX_USER_SIGNAL_2, state(a));
	ASSERT_EQ(W | LAST | MX_USER_SIGNAL_3 | MX_USER_SIGNAL_4, state(b));

	/* the peer gone: PEER_CLOSED, no WRITABLE; signal_peer fails */
	ASSERT_OK(mx_handle_close(b));
	ASSERT_EQ(PC | LAST | MX_USER_SIGNAL_1 | MX_USER_SIGNAL_2, state(a));
	ASSERT_STATUS(MX_ERR_PEER_CLOSED,
		      mx_object_signal_peer(a, 0, MX_USER_SIGNAL_0));
	ASSERT_STATUS(MX_ERR_PEER_CLOSED,
		      mx_object_signal_peer(a, MX_USER_SIGNAL_0, 0));
	/* the mask is checked first */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_object_signal_peer(a, 0, R));
	/* and the end still signals itself */
	ASSERT_OK(mx_object_signal(a, MX_USER_SIGNAL_1 | MX_USER_SIGNAL_2, 0));
	ASSERT_EQ(PC | LAST, state(a));
	ASSERT_OK(mx_handle_close(a));
}

/* ---- waits ---- */

TEST_F(fifo, waits)
{
	mx_time_t deadline = mx_deadline_after(MX_SEC(60));
	mx_signals_t seen = 0;
	uint64_t v = 0, in[2];
	mx_handle_t a, b;
	struct later l;
	uint32_t n;

	ASSERT_OK(mx_fifo_create(2, 8, 0, &a, &b));
	ASSERT_STATUS(MX_ERR_TIMED_OUT,
		      mx_object_wait_one(b, R, 0, &seen));
	ASSERT_EQ(W | LAST, seen);
	/* READABLE: woken by a write in another thread */
	later_start(&l, do_write, a, elem(1));
	seen = 0;
	ASSERT_OK(mx_object_wait_one(b, R, deadline, &seen));
	ASSERT_EQ(0, pthread_join(l.thread, NULL));
	ASSERT_OK(l.result);
	ASSERT_EQ(R | W | LAST, seen);
	ASSERT_OK(mx_fifo_read(b, &v, 8, &n));
	ASSERT_EQ(elem(1), v);
	/* WRITABLE: a full ring, woken by a read in another thread */
	fill(in, 2, 2);
	ASSERT_OK(mx_fifo_write(a, in, sizeof(in), &n));
	ASSERT_EQ(2, n);
	ASSERT_EQ(LAST, state(a));
	later_start(&l, do_read, b, 0);
	seen = 0;
	ASSERT_OK(mx_object_wait_one(a, W, deadline, &seen));
	ASSERT_EQ(0, pthread_join(l.thread, NULL));
	ASSERT_OK(l.result);
	ASSERT_EQ(W | LAST, seen);
	ASSERT_OK(mx_fifo_read(b, &v, 8, &n));
	ASSERT_EQ(elem(3), v);
	/*
	 * PEER_CLOSED: woken by the close; READABLE never came. Observed is
	 * every state seen in the wait, ORed (Magenta's): WRITABLE from
	 * before the close, which took it away.
	 */
	later_start(&l, do_close, a, 0);
	seen = 0;
	ASSERT_OK(mx_object_wait_one(b, R | PC, deadline, &seen));
	ASSERT_EQ(0, pthread_join(l.thread, NULL));
	ASSERT_OK(l.result);
	ASSERT_EQ(W | PC | LAST, seen);
	ASSERT_EQ(PC | LAST, state(b));
	ASSERT_OK(mx_handle_close(b));
}

/* A port's async waits see a fifo's signals as any object's. */
TEST_F(fifo, port_wait_async)
{
	mx_handle_t port, a, b;
	mx_port_packet_t p;
	uint64_t in[2];
	uint32_t n;

	fill(in, 0, 2);
	ASSERT_OK(mx_port_create(0, &port));
	ASSERT_OK(mx_fifo_create(2, 8, 0, &a, &b));
	ASSERT_OK(mx_object_wait_async(b, port, 7, R, MX_WAIT_ASYNC_ONCE));
	ASSERT_STATUS(MX_ERR_TIMED_OUT, mx_port_wait(port, 0, &p, 0));
	ASSERT_OK(mx_fifo_write(a, in, sizeof(in), &n));
	memset(&p, 0xa5, sizeof(p));
	ASSERT_OK(mx_port_wait(port, 0, &p, 0));
	ASSERT_EQ(7, p.key);
	ASSERT_EQ(MX_PKT_TYPE_SIGNAL_ONE, p.type);
	ASSERT_EQ(MX_OK, p.status);
	ASSERT_EQ(R, p.signal.trigger);
	ASSERT_EQ(R, p.signal.observed & R);
	ASSERT_STATUS(MX_ERR_TIMED_OUT, mx_port_wait(port, 0, &p, 0));
	/* WRITABLE coming back to a full writer */
	ASSERT_OK(mx_object_wait_async(a, port, 8, W, MX_WAIT_ASYNC_ONCE));
	ASSERT_STATUS(MX_ERR_TIMED_OUT, mx_port_wait(port, 0, &p, 0));
	ASSERT_OK(mx_fifo_read(b, in, 8, &n));
	ASSERT_OK(mx_port_wait(port, 0, &p, 0));
	ASSERT_EQ(8, p.key);
	ASSERT_EQ(W, p.signal.trigger);
	ASSERT_EQ(W, p.signal.observed & W);
	/* PEER_CLOSED */
	ASSERT_OK(mx_object_wait_async(b, port, 9, PC, MX_WAIT_ASYNC_ONCE));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_port_wait(port, 0, &p, 0));
	ASSERT_EQ(9, p.key);
	ASSERT_EQ(PC, p.signal.observed & (PC | W));
	ASSERT_STATUS(MX_ERR_TIMED_OUT, mx_port_wait(port, 0, &p, 0));
	ASSERT_OK(mx_handle_close(b));
	ASSERT_OK(mx_handle_close(port));
}

/* ---- transfer ---- */

/*
 * An end goes through a channel to another process (its own table) with
 * elements already queued to it; the processes then talk through the
 * fifo, and the child's exit closes its end.
 */
TEST_F(fifo, transfer_to_process)
{
	mx_handle_t a, b, c0, c1, nt;
	uint64_t in[8], out[8];
	mx_koid_t koid;
	uint32_t n;
	pid_t pid;

	ASSERT_OK(mx_fifo_create(8, 8, 0, &a, &b));
	ASSERT_OK(mx_channel_create(0, &c0, &c1));
	koid = mxt_koid(b);
	/* a copy without TRANSFER cannot be sent, and stays */
	ASSERT_OK(mx_handle_duplicate(b, MX_RIGHT_READ | MX_RIGHT_WRITE, &nt));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_channel_write(c0, 0, &koid, sizeof(koid), &nt, 1));
	ASSERT_TRUE(mxt_valid(nt));
	ASSERT_OK(mx_handle_close(nt));
	/* 0..2 queued to b before it travels */
	fill(in, 0, 8);
	ASSERT_OK(mx_fifo_write(a, in, 3 * 8, &n));
	ASSERT_EQ(3, n);
	ASSERT_OK(mx_channel_write(c0, 0, &koid, sizeof(koid), &b, 1));
	ASSERT_FALSE(mxt_valid(b));
	/* in flight it is alive: no PEER_CLOSED */
	ASSERT_EQ(W | LAST, state(a));
	ASSERT_OK(mxt_spawn_self("echo", c1, &pid));
	ASSERT_FALSE(mxt_valid(c1));
	/* 3..7 after it left: the child reads all 8, then echoes them */
	ASSERT_OK(mx_fifo_write(a, in + 3, 5 * 8, &n));
	ASSERT_EQ(5, n);
	ASSERT_EQ(0, mxt_reap(pid));
	/* its exit closed its end; what it wrote stays */
	ASSERT_EQ(R | PC | LAST, state(a));
	memset(out, 0, sizeof(out));
	ASSERT_OK(mx_fifo_read(a, out, sizeof(out), &n));
	ASSERT_EQ(8, n);
	ASSERT_SEQ(out, 1000, 8);
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_fifo_read(a, out, sizeof(out), &n));
	ASSERT_STATUS(MX_ERR_PEER_CLOSED, mx_fifo_write(a, in, 8, &n));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(c0));
}

/* Every order of closing, with elements queued or not: nothing is left. */
TEST_F(fifo, close_orders)
{
	mx_handle_t a, b, a2, c0, c1, got, pair[2];
	uint64_t in[8], out[8];
	uint32_t n, nh, h0 = 0, h1 = 0;
	int fd, i;

	fill(in, 0, 8);
	for (i = 0; i < 4; i++) {
		/* end0 or end1 first, empty or with both rings full */
		ASSERT_OK(mx_fifo_create(8, 8, 0, &a, &b));
		if (self->fifos >= 0)
			ASSERT_LT(self->fifos, fifos_live());
		if (i >= 2) {
			ASSERT_OK(mx_fifo_write(a, in, sizeof(in), &n));
			ASSERT_OK(mx_fifo_write(b, in, sizeof(in), &n));
		}
		ASSERT_OK(mx_handle_close(i & 1 ? b : a));
		ASSERT_EQ((i >= 2 ? R : 0) | PC | LAST, state(i & 1 ? a : b));
		ASSERT_OK(mx_handle_close(i & 1 ? a : b));
		ASSERT_ALL_GONE();
	}
	/* a copy keeps the end alive */
	ASSERT_OK(mx_fifo_create(8, 8, 0, &a, &b));
	ASSERT_OK(mx_handle_duplicate(a, MX_RIGHT_SAME_RIGHTS, &a2));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_EQ(W | LAST, state(b));
	ASSERT_OK(mx_fifo_write(a2, in, 8, &n));
	ASSERT_OK(mx_handle_close(a2));
	ASSERT_EQ(R | PC | LAST, state(b));
	ASSERT_OK(mx_handle_close(b));
	ASSERT_ALL_GONE();
	/* an end in a message is alive; it goes with the channel's queue */
	ASSERT_OK(mx_fifo_create(8, 8, 0, &a, &b));
	ASSERT_OK(mx_channel_create(0, &c0, &c1));
	ASSERT_OK(mx_fifo_write(a, in, 3 * 8, &n));
	ASSERT_OK(mx_fifo_write(b, in, 2 * 8, &n));
	ASSERT_OK(mx_channel_write(c0, 0, NULL, 0, &b, 1));
	ASSERT_EQ(R | W | LAST, state(a));
	ASSERT_OK(mx_handle_close(c1));
	ASSERT_EQ(R | PC | LAST, state(a));
	ASSERT_OK(mx_handle_close(c0));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_ALL_GONE();
	/* both ends in one message, then the channel closed, end0 first */
	ASSERT_OK(mx_fifo_create(8, 8, 0, &pair[0], &pair[1]));
	ASSERT_OK(mx_fifo_write(pair[0], in, sizeof(in), &n));
	ASSERT_OK(mx_channel_create(0, &c0, &c1));
	ASSERT_OK(mx_channel_write(c0, 0, NULL, 0, pair, 2));
	ASSERT_OK(mx_handle_close(c0));
	ASSERT_OK(mx_handle_close(c1));
	ASSERT_ALL_GONE();
	/* an end that went through a channel and came back */
	ASSERT_OK(mx_fifo_create(8, 8, 0, &a, &b));
	ASSERT_OK(mx_channel_create(0, &c0, &c1));
	ASSERT_OK(mx_fifo_write(a, in, 2 * 8, &n));
	ASSERT_OK(mx_channel_write(c0, 0, NULL, 0, &b, 1));
	ASSERT_OK(mx_channel_read(c1, 0, NULL, &got, 0, 1, NULL, &nh));
	ASSERT_EQ(1, nh);
	ASSERT_EQ(mxt_info(a).related_koid, mxt_koid(got));
	ASSERT_EQ(FIFO_RIGHTS, mxt_rights(got));
	ASSERT_OK(mx_fifo_read(got, out, sizeof(out), &n));
	ASSERT_EQ(2, n);
	ASSERT_SEQ(out, 0, 2);
	ASSERT_OK(mx_fifo_write(got, in, 8, &n));
	ASSERT_OK(mx_handle_close(got));
	ASSERT_EQ(R | PC | LAST, state(a));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(c0));
	ASSERT_OK(mx_handle_close(c1));
	ASSERT_ALL_GONE();
	/* a table that closes with both ends and elements in it */
	fd = open(MXCHAN_DEVICE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	{
		struct mxchan_fifo_create cc = {
			.elem_count = 8, .elem_size = 8,
			.out0 = (uintptr_t)&h0, .out1 = (uintptr_t)&h1,
		};
		struct mxchan_fifo_io io = {
			.data = (uintptr_t)in, .len = sizeof(in),
			.actual = (uintptr_t)&n,
		};

		ASSERT_EQ(0, ioctl(fd, MXCHAN_IOC_FIFO_CREATE, &cc));
		io.handle = h0;
		ASSERT_EQ(0, ioctl(fd, MXCHAN_IOC_FIFO_WRITE, &io));
		io.handle = h1;
		ASSERT_EQ(0, ioctl(fd, MXCHAN_IOC_FIFO_WRITE, &io));
		ASSERT_EQ(8, n);
	}
	ASSERT_EQ(0, close(fd));
	ASSERT_ALL_GONE();
}

/* ---- two streams, one each way, each end read and written at once ---- */

#define STREAM_N 20000u

struct stream {
	pthread_t thread;
	mx_handle_t h;
	uint64_t base;		/* the first element's number */
	unsigned int seed;
	uint32_t waits;
	int err;		/* 0, or the step that failed */
};

static void *producer(void *p)
{
	struct stream *s = p;
	uint32_t done = 0, n, k, i;
	uint64_t buf[20];
	mx_signals_t seen;
	mx_status_t st;

	while (done < STREAM_N) {
		k = 1 + (uint32_t)rand_r(&s->seed) % 20;
		if (k > STREAM_N - done)
			k = STREAM_N - done;
		for (i = 0; i < k; i++)
			buf[i] = elem(s->base + done + i);
		n = 0;
		st = mx_fifo_write(s->h, buf, k * sizeof(buf[0]), &n);
		if (st == MX_ERR_SHOULD_WAIT) {
			s->waits++;
			seen = 0;
			if (mx_object_wait_one(s->h, W | PC,
					       mx_deadline_after(MX_SEC(60)),
					       &seen) != MX_OK || (seen & PC)) {
				s->err = 1;
				break;
			}
			continue;
		}
		if (st != MX_OK || n == 0 || n > k) {
			s->err = 2;
			break;
		}
		done += n;
	}
	return NULL;
}

static void *consumer(void *p)
{
	struct stream *s = p;
	uint32_t done = 0, n, k, i;
	uint64_t buf[20];
	mx_signals_t seen;
	mx_status_t st;

	while (done < STREAM_N) {
		k = 1 + (uint32_t)rand_r(&s->seed) % 20;
		n = 0;
		st = mx_fifo_read(s->h, buf, k * sizeof(buf[0]), &n);
		if (st == MX_ERR_SHOULD_WAIT) {
			s->waits++;
			seen = 0;
			if (mx_object_wait_one(s->h, R | PC,
					       mx_deadline_after(MX_SEC(60)),
					       &seen) != MX_OK ||
			    !(seen & R)) {
				s->err = 3;
				break;
			}
			continue;
		}
		if (st != MX_OK || n == 0 || n > k || n > STREAM_N - done) {
			s->err = 4;
			break;
		}
		for (i = 0; i < n; i++)
			if (buf[i] != elem(s->base + done + i))
				s->err = 5;
		if (s->err)
			break;
		done += n;
	}
	return NULL;
}

TEST_F_TIMEOUT(fifo, stream_both_ways, 300)
{
	struct stream s[4];
	mx_handle_t a, b;
	int i;

	ASSERT_OK(mx_fifo_create(16, 8, 0, &a, &b));
	memset(s, 0, sizeof(s));
	/* a -> b: elements 0.., b -> a: elements 1 << 32.. */
	s[0].h = a;
	s[1].h = b;
	s[2].h = b;
	s[2].base = s[3].base = 1ULL << 32;
	s[3].h = a;
	for (i = 0; i < 4; i++) {
		s[i].seed = 0x5eed + (unsigned int)i;
		ASSERT_EQ(0, pthread_create(&s[i].thread, NULL, i & 1 ?
					    consumer : producer, &s[i]));
	}
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, pthread_join(s[i].thread, NULL));
		ASSERT_EQ(0, s[i].err) TH_LOG("thread %d", i);
	}
	TH_LOG("%u elements each way; writers waited %u and %u times, "
	       "readers %u and %u", STREAM_N, s[0].waits, s[2].waits,
	       s[1].waits, s[3].waits);
	ASSERT_EQ(W | LAST, state(a));
	ASSERT_EQ(W | LAST, state(b));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
}

int main(int argc, char **argv)
{
	return mxt_self_main(argc, argv, child_main);
}
