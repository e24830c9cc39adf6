// SPDX-License-Identifier: GPL-2.0
/*
 * Sockets: the ABI under libmx, create and its options, HANDLE_BASIC,
 * Magenta's 13 socket utests (socket_basic ... socket_control_plane_
 * shutdown, as Magenta's last mx_ tree had them, with LAST_HANDLE), every
 * error of write and read in Magenta's order (the write's NULL buffer
 * before the handle, the read's only with options, sizes past 4 GiB,
 * options, rights, types, peer closed, shut down, full, empty), the
 * control plane's, the stream's fault quirks (part-way: a short write;
 * the first byte: SHOULD_WAIT) and the datagram's (nothing queued),
 * reads that fault with the bytes kept, the actual pointer (optional, a
 * size_t, written last and only on success), signals through the full
 * and empty transitions, shutdown in every order, waits woken from
 * another thread, an end sent to another process, every order of
 * closing, one writer at a time (a Linux signal restarts the one that
 * waits), two streams of threads, and max_user_socket_pages.
 *
 * Each test ends with the module's live counters (debugfs) where they
 * were: every object, handle and socket it made is gone, and the
 * socket pages charged to us are back where they were.
 *
 * The binary is also its own child program: "socket_test --child MODE".
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
#include <mxchan.h>

#include "mx-internal.h"
#include "mxchan_test.h"

#define H0 PA_HND(PA_USER0, 0)

/* Magenta's default socket rights, 0x300F. */
#define SOCKET_RIGHTS (MX_RIGHT_DUPLICATE | MX_RIGHT_TRANSFER | MX_RIGHT_READ | \
		       MX_RIGHT_WRITE | MX_RIGHT_SIGNAL | MX_RIGHT_SIGNAL_PEER)

#define R MX_SOCKET_READABLE
#define W MX_SOCKET_WRITABLE
#define PC MX_SOCKET_PEER_CLOSED
#define RD MX_SOCKET_READ_DISABLED
#define WD MX_SOCKET_WRITE_DISABLED
#define CR MX_SOCKET_CONTROL_READABLE
#define CW MX_SOCKET_CONTROL_WRITABLE
#define LAST MX_SIGNAL_LAST_HANDLE

#define SHUT_W MX_SOCKET_SHUTDOWN_WRITE
#define SHUT_R MX_SOCKET_SHUTDOWN_READ
#define CTL MX_SOCKET_CONTROL

/* A direction's capacity, Magenta's 128 mbufs of 2008 bytes. */
#define MAXB ((size_t)MXCHAN_SOCKET_MAX_BYTES)
#define CTLMAX ((size_t)MXCHAN_SOCKET_CONTROL_MAX)
/* What an actual the kernel must not write holds. */
#define NOACT ((size_t)-1)
#define GIB4 (1ULL << 32)

/* Big enough for two directions' worth and more. */
static unsigned char wbuf[2 * MXCHAN_SOCKET_MAX_BYTES + 4096];
static unsigned char rbuf[2 * MXCHAN_SOCKET_MAX_BYTES + 4096];

/* ---- helpers ---- */

/* The current signals of h; all bits if that wait failed. */
static mx_signals_t state(mx_handle_t h)
{
	mx_signals_t s = 0;

	if (mx_object_wait_one(h, 0, 0, &s) != MX_ERR_TIMED_OUT)
		return ~0u;
	return s;
}

/* Byte @i of the test pattern @seed. */
static unsigned char pat(size_t i, unsigned int seed)
{
	return (unsigned char)(i * 131u + (i >> 8) * 7u + seed * 29u + 1u);
}

static void fill(unsigned char *p, size_t n, size_t first, unsigned int seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = pat(first + i, seed);
}

/* The first byte of @p[0..n) that is not the pattern, or n. */
static size_t unlike(const unsigned char *p, size_t n, size_t first,
		     unsigned int seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != pat(first + i, seed))
			return i;
	return n;
}

/* ASSERT_STATUS, with a message when it fails. */
#define ASSERT_STATUS_LOG(expected, actual, ...) do {			\
	mx_status_t __sl = (actual);					\
	if (__sl != (expected))						\
		TH_LOG(__VA_ARGS__);					\
	ASSERT_STATUS((expected), __sl);				\
} while (0)

#define ASSERT_PAT(p, n, first, seed) do {				\
	size_t __n = (n);						\
	size_t __at = unlike((p), __n, (first), (seed));		\
	if (__at != __n)						\
		TH_LOG("byte %zu of %zu differs", __at, __n);		\
	ASSERT_EQ(__n, __at);						\
} while (0)

/* An ioctl on this process's table: 0 or the errno. */
static int raw(unsigned long cmd, void *arg)
{
	return ioctl(mxchan_table_fd(), cmd, arg) ? errno : 0;
}

static int raw_io(unsigned long cmd, mx_handle_t h, uint32_t options,
		  const void *buf, uint64_t size, void *actual)
{
	struct mxchan_socket_io a = {
		.handle = (uint32_t)h, .options = options,
		.buffer = (uintptr_t)buf, .size = size,
		.actual = (uintptr_t)actual,
	};

	return raw(cmd, &a);
}

/* Bytes queued to h (Magenta's NULL/0 query); -2 if the query failed. */
static size_t queued(mx_handle_t h)
{
	size_t n = NOACT;

	if (mx_socket_read(h, 0, NULL, 0, &n) != MX_OK)
		return (size_t)-2;
	return n;
}

/* Socket ends alive in the module (debugfs mxchan/objects); -1 if absent. */
static long sockets_live(void)
{
	FILE *f = fopen("/sys/kernel/debug/mxchan/objects", "r");
	long created, destroyed, n = -1;
	char kind[32];

	if (!f)
		return -1;
	while (fscanf(f, "%31s created %ld destroyed %ld", kind, &created,
		      &destroyed) == 3)
		if (!strcmp(kind, "socket"))
			n = created - destroyed;
	fclose(f);
	return n;
}

/* Socket pages charged to our euid (debugfs mxchan/users); -1 if not shown. */
static long pages_charged(void)
{
	FILE *f = fopen("/sys/kernel/debug/mxchan/users", "r");
	char line[256], *p;
	long n = -1, v;
	unsigned int uid;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "uid %u", &uid) != 1 || uid != geteuid())
			continue;
		p = strstr(line, "socket_pages ");
		if (p && sscanf(p, "socket_pages %ld", &v) == 1)
			n = v;
		else
			n = 0;	/* a user the module shows: none charged */
	}
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

/* Write arg bytes of pattern 0 (from another thread: its own buffer). */
static mx_status_t do_write(mx_handle_t h, uint64_t arg)
{
	static unsigned char buf[4096];
	size_t n = 0;
	mx_status_t st;

	fill(buf, (size_t)arg, 0, 0);
	st = mx_socket_write(h, 0, buf, (size_t)arg, &n);
	return st == MX_OK && n != arg ? MX_ERR_INTERNAL : st;
}

/* Read arg bytes. */
static mx_status_t do_read(mx_handle_t h, uint64_t arg)
{
	static unsigned char buf[4096];
	size_t n = 0;
	mx_status_t st = mx_socket_read(h, 0, buf, (size_t)arg, &n);

	return st == MX_OK && n != arg ? MX_ERR_INTERNAL : st;
}

static mx_status_t do_control(mx_handle_t h, uint64_t arg)
{
	(void)arg;
	return mx_socket_write(h, CTL, "ctl", 3, NULL);
}

/* Take the control message, of arg bytes. */
static mx_status_t do_read_control(mx_handle_t h, uint64_t arg)
{
	char buf[64];
	size_t n = 0;
	mx_status_t st = mx_socket_read(h, CTL, buf, sizeof(buf), &n);

	return st == MX_OK && n != arg ? MX_ERR_INTERNAL : st;
}

static mx_status_t do_shutdown(mx_handle_t h, uint64_t arg)
{
	return mx_socket_write(h, (uint32_t)arg, NULL, 0, NULL);
}

static mx_status_t do_close(mx_handle_t h, uint64_t arg)
{
	(void)arg;
	return mx_handle_close(h);
}

/* ---- the child program ---- */

#define ECHO_BYTES 1000u

/*
 * Take a socket end from the startup channel (its koid in the message's
 * bytes), read ECHO_BYTES of pattern 1 and a control message from it, and
 * write them back as pattern 2 and "re:" + the message. Exiting closes
 * the end.
 */
static int child_echo(void)
{
	mx_handle_t ch = mx_get_startup_handle(H0), s = MX_HANDLE_INVALID;
	unsigned char buf[ECHO_BYTES], ctl[64];
	mx_info_handle_basic_t info;
	uint32_t nb = 0, nh = 0;
	size_t n, got = 0, cn = 0;
	mx_koid_t koid = 0;

	if (ch <= 0)
		return 10;
	if (mx_object_wait_one(ch, MX_CHANNEL_READABLE,
			       mx_deadline_after(MX_SEC(20)), NULL) != MX_OK)
		return 11;
	if (mx_channel_read(ch, 0, &koid, &s, sizeof(koid), 1, &nb,
			    &nh) != MX_OK || nb != sizeof(koid) || nh != 1)
		return 12;
	info = mxt_info(s);
	if (info.type != MX_OBJ_TYPE_SOCKET || info.koid != koid ||
	    info.rights != SOCKET_RIGHTS)
		return 13;
	while (got < ECHO_BYTES) {
		if (mx_object_wait_one(s, R, mx_deadline_after(MX_SEC(20)),
				       NULL) != MX_OK)
			return 14;
		n = 0;
		if (mx_socket_read(s, 0, buf + got, ECHO_BYTES - got,
				   &n) != MX_OK || n == 0 || n > ECHO_BYTES - got)
			return 15;
		got += n;
	}
	if (unlike(buf, ECHO_BYTES, 0, 1) != ECHO_BYTES)
		return 16;
	if (mx_object_wait_one(s, CR, mx_deadline_after(MX_SEC(20)),
			       NULL) != MX_OK)
		return 17;
	memcpy(ctl, "re:", 3);
	if (mx_socket_read(s, CTL, ctl + 3, sizeof(ctl) - 3, &cn) != MX_OK ||
	    cn == 0)
		return 18;
	fill(buf, ECHO_BYTES, 0, 2);
	n = 0;
	if (mx_socket_write(s, 0, buf, ECHO_BYTES, &n) != MX_OK ||
	    n != ECHO_BYTES)
		return 19;
	if (mx_socket_write(s, CTL, ctl, cn + 3, &n) != MX_OK || n != cn + 3)
		return 20;
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

FIXTURE(socket) {
	long live;	/* everything alive in the module; -1 without debugfs */
	long sockets;	/* socket ends alive */
	long pages;	/* socket pages charged to us */
};

FIXTURE_SETUP(socket)
{
	struct mxt_gc gc;

	/* the table exists before we count what is alive */
	ASSERT_LE(0, mxchan_table_fd());
	mxt_gc_settle(&gc);
	self->live = mxt_live_total();
	self->sockets = sockets_live();
	self->pages = pages_charged();
}

FIXTURE_TEARDOWN(socket)
{
	if (self->live >= 0)
		EXPECT_EQ(self->live, mxt_live_total());
	if (self->sockets >= 0)
		EXPECT_EQ(self->sockets, sockets_live());
	if (self->pages >= 0)
		EXPECT_EQ(self->pages, pages_charged());
}

/* Everything is back where the test started (where debugfs shows it). */
#define ASSERT_ALL_GONE() do {						\
	if (self->live >= 0)						\
		ASSERT_EQ(self->live, mxt_live_total());		\
	if (self->sockets >= 0)						\
		ASSERT_EQ(self->sockets, sockets_live());		\
	if (self->pages >= 0)						\
		ASSERT_EQ(self->pages, pages_charged());		\
} while (0)

/* ---- the ABI ---- */

TEST_F(socket, abi)
{
	struct mxchan_socket_create cc, *cro;
	struct mxchan_socket_io io, *iro;
	struct mxchan_version ver;
	uint32_t h0 = 0, h1 = 0;
	void *bad = mxt_bad_ptr();
	size_t n = 0;

	/* natural 8-byte layouts, the same for 32-bit callers */
	ASSERT_EQ(24, sizeof(struct mxchan_socket_create));
	ASSERT_EQ(0, offsetof(struct mxchan_socket_create, options));
	ASSERT_EQ(4, offsetof(struct mxchan_socket_create, reserved));
	ASSERT_EQ(8, offsetof(struct mxchan_socket_create, out0));
	ASSERT_EQ(16, offsetof(struct mxchan_socket_create, out1));
	ASSERT_EQ(32, sizeof(struct mxchan_socket_io));
	ASSERT_EQ(0, offsetof(struct mxchan_socket_io, handle));
	ASSERT_EQ(4, offsetof(struct mxchan_socket_io, options));
	ASSERT_EQ(8, offsetof(struct mxchan_socket_io, buffer));
	ASSERT_EQ(16, offsetof(struct mxchan_socket_io, size));
	ASSERT_EQ(24, offsetof(struct mxchan_socket_io, actual));
	ASSERT_EQ(_IOW(MXCHAN_IOC_MAGIC, 0x1b, struct mxchan_socket_create),
		  MXCHAN_IOC_SOCKET_CREATE);
	ASSERT_EQ(_IOW(MXCHAN_IOC_MAGIC, 0x1c, struct mxchan_socket_io),
		  MXCHAN_IOC_SOCKET_WRITE);
	ASSERT_EQ(_IOW(MXCHAN_IOC_MAGIC, 0x1d, struct mxchan_socket_io),
		  MXCHAN_IOC_SOCKET_READ);
	/* Magenta's values, in the uapi and in libmx's names */
	ASSERT_EQ(0u, MXCHAN_SOCKET_STREAM);
	ASSERT_EQ(1u, MXCHAN_SOCKET_DATAGRAM);
	ASSERT_EQ(2u, MXCHAN_SOCKET_HAS_CONTROL);
	ASSERT_EQ(3u, MXCHAN_SOCKET_CREATE_MASK);
	ASSERT_EQ(1u, MXCHAN_SOCKET_SHUTDOWN_WRITE);
	ASSERT_EQ(2u, MXCHAN_SOCKET_SHUTDOWN_READ);
	ASSERT_EQ(3u, MXCHAN_SOCKET_SHUTDOWN_MASK);
	ASSERT_EQ(4u, MXCHAN_SOCKET_CONTROL);
	ASSERT_EQ(257024u, MXCHAN_SOCKET_MAX_BYTES);
	ASSERT_EQ(128u * 2008u, MXCHAN_SOCKET_MAX_BYTES);
	ASSERT_EQ(1024u, MXCHAN_SOCKET_CONTROL_MAX);
	ASSERT_EQ(MXCHAN_SOCKET_STREAM, MX_SOCKET_STREAM);
	ASSERT_EQ(MXCHAN_SOCKET_DATAGRAM, MX_SOCKET_DATAGRAM);
	ASSERT_EQ(MXCHAN_SOCKET_HAS_CONTROL, MX_SOCKET_HAS_CONTROL);
	ASSERT_EQ(MXCHAN_SOCKET_CREATE_MASK, MX_SOCKET_CREATE_MASK);
	ASSERT_EQ(MXCHAN_SOCKET_SHUTDOWN_WRITE, MX_SOCKET_SHUTDOWN_WRITE);
	ASSERT_EQ(MXCHAN_SOCKET_SHUTDOWN_READ, MX_SOCKET_SHUTDOWN_READ);
	ASSERT_EQ(MXCHAN_SOCKET_SHUTDOWN_MASK, MX_SOCKET_SHUTDOWN_MASK);
	ASSERT_EQ(MXCHAN_SOCKET_CONTROL, MX_SOCKET_CONTROL);
	ASSERT_EQ(0x01u, MX_SOCKET_READABLE);
	ASSERT_EQ(0x02u, MX_SOCKET_WRITABLE);
	ASSERT_EQ(0x04u, MX_SOCKET_PEER_CLOSED);
	ASSERT_EQ(0x10u, MX_SOCKET_READ_DISABLED);
	ASSERT_EQ(0x20u, MX_SOCKET_WRITE_DISABLED);
	ASSERT_EQ(0x40u, MX_SOCKET_CONTROL_READABLE);
	ASSERT_EQ(0x80u, MX_SOCKET_CONTROL_WRITABLE);
	ASSERT_EQ(MXCHAN_SIGNAL_READABLE, MX_SOCKET_READABLE);
	ASSERT_EQ(MXCHAN_SIGNAL_WRITABLE, MX_SOCKET_WRITABLE);
	ASSERT_EQ(MXCHAN_SIGNAL_PEER_CLOSED, MX_SOCKET_PEER_CLOSED);
	ASSERT_EQ(MXCHAN_SIGNAL_SOCKET_READ_DISABLED, MX_SOCKET_READ_DISABLED);
	ASSERT_EQ(MXCHAN_SIGNAL_SOCKET_WRITE_DISABLED,
		  MX_SOCKET_WRITE_DISABLED);
	ASSERT_EQ(MXCHAN_SIGNAL_SOCKET_CONTROL_READABLE,
		  MX_SOCKET_CONTROL_READABLE);
	ASSERT_EQ(MXCHAN_SIGNAL_SOCKET_CONTROL_WRITABLE,
		  MX_SOCKET_CONTROL_WRITABLE);
	ASSERT_EQ(14u, MXCHAN_OBJ_TYPE_SOCKET);
	ASSERT_EQ(MX_OBJ_TYPE_SOCKET, MXCHAN_OBJ_TYPE_SOCKET);
	ASSERT_EQ(0x300Fu, SOCKET_RIGHTS);
	ASSERT_EQ(1ULL << 11, MXCHAN_FEATURE_SOCKET);
	memset(&ver, 0, sizeof(ver));
	ASSERT_EQ(0, raw(MXCHAN_IOC_VERSION, &ver));
	ASSERT_TRUE(ver.features & MXCHAN_FEATURE_SOCKET);

	/* reserved must be 0; unknown options are EINVAL */
	cc = (struct mxchan_socket_create){
		.reserved = 1, .out0 = (uintptr_t)&h0, .out1 = (uintptr_t)&h1,
	};
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_SOCKET_CREATE, &cc));
	cc.reserved = 0x80000000u;
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_SOCKET_CREATE, &cc));
	cc.reserved = 0;
	cc.options = 4;
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_SOCKET_CREATE, &cc));
	ASSERT_EQ(0, h0);
	ASSERT_EQ(0, h1);
	ASSERT_ALL_GONE();
	/* a struct the kernel cannot read */
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_SOCKET_CREATE, bad));
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_SOCKET_WRITE, bad));
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_SOCKET_READ, bad));
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_SOCKET_CREATE, NULL));
	/* the kernel only reads the structs (_IOW): read-only ones work */
	cc.options = MX_SOCKET_HAS_CONTROL;
	cro = ro_page(&cc, sizeof(cc));
	ASSERT_NE(NULL, cro);
	ASSERT_EQ(0, raw(MXCHAN_IOC_SOCKET_CREATE, cro));
	ASSERT_NE(0, h0);
	ASSERT_NE(0, h1);
	ASSERT_NE(h0, h1);
	ASSERT_EQ(W | CW | LAST, state(h0));
	fill(wbuf, 24, 0, 0);
	io = (struct mxchan_socket_io){
		.handle = h0, .buffer = (uintptr_t)wbuf, .size = 24,
		.actual = (uintptr_t)&n,
	};
	iro = ro_page(&io, sizeof(io));
	ASSERT_NE(NULL, iro);
	ASSERT_EQ(0, raw(MXCHAN_IOC_SOCKET_WRITE, iro));
	ASSERT_EQ(24, n);

	/* each status's errno */
	ASSERT_EQ(EBADF, raw_io(MXCHAN_IOC_SOCKET_READ, MXT_BAD_VALUE, 0,
				rbuf, 1, &n));
	ASSERT_EQ(EINVAL, raw_io(MXCHAN_IOC_SOCKET_WRITE, h0, 0, NULL, 1, &n));
	ASSERT_EQ(EINVAL, raw_io(MXCHAN_IOC_SOCKET_WRITE, h0, 8, wbuf, 1, &n));
	ASSERT_EQ(ERANGE, raw_io(MXCHAN_IOC_SOCKET_WRITE, h0, CTL, wbuf,
				 CTLMAX + 1, &n));
	ASSERT_EQ(0, raw_io(MXCHAN_IOC_SOCKET_WRITE, h0, CTL, wbuf, 3, &n));
	ASSERT_EQ(3, n);
	ASSERT_EQ(EAGAIN, raw_io(MXCHAN_IOC_SOCKET_WRITE, h0, CTL, wbuf, 3,
				 &n));
	ASSERT_EQ(EAGAIN, raw_io(MXCHAN_IOC_SOCKET_READ, h0, 0, rbuf, 1, &n));
	n = 0;
	ASSERT_EQ(0, raw_io(MXCHAN_IOC_SOCKET_READ, h1, 0, rbuf, 100, &n));
	ASSERT_EQ(24, n);
	ASSERT_PAT(rbuf, 24, 0, 0);
	ASSERT_EQ(0, raw_io(MXCHAN_IOC_SOCKET_WRITE, h0, SHUT_W, NULL, 0,
			    NULL));
	ASSERT_EQ(EBADFD, raw_io(MXCHAN_IOC_SOCKET_WRITE, h0, 0, wbuf, 1, &n));
	ASSERT_EQ(EBADFD, raw_io(MXCHAN_IOC_SOCKET_READ, h1, 0, rbuf, 1, &n));
	ASSERT_EQ(0, raw(MXCHAN_IOC_HANDLE_CLOSE, (void *)(uintptr_t)h1));
	ASSERT_EQ(EPIPE, raw_io(MXCHAN_IOC_SOCKET_WRITE, h0, CTL, wbuf, 1,
				&n));
	ASSERT_EQ(EPIPE, raw_io(MXCHAN_IOC_SOCKET_READ, h0, 0, rbuf, 1, &n));
	ASSERT_EQ(0, raw(MXCHAN_IOC_HANDLE_CLOSE, (void *)(uintptr_t)h0));
	munmap(cro, 4096);
	munmap(iro, 4096);
}

/*
 * actual is the caller's size_t, all of it and no more: 8 bytes here, 4
 * in the 32-bit build (the compat path), the bytes after it untouched.
 */
TEST_F(socket, actual_is_size_t)
{
	union {
		size_t v;
		unsigned char b[16];
	} u;
	mx_handle_t a, b, c, d;
	size_t i, big;

	TH_LOG("a %zu-byte size_t", sizeof(size_t));
	ASSERT_OK(mx_socket_create(MX_SOCKET_HAS_CONTROL, &a, &b));
	fill(wbuf, MAXB, 0, 3);
#define CHECK_U(expect) do {						\
	ASSERT_EQ((size_t)(expect), u.v);				\
	for (i = sizeof(size_t); i < sizeof(u.b); i++)			\
		ASSERT_EQ(0xa5, u.b[i]) TH_LOG("byte %zu", i);		\
} while (0)
	memset(&u, 0xa5, sizeof(u));
	ASSERT_OK(mx_socket_write(a, 0, wbuf, 5, &u.v));
	CHECK_U(5);
	memset(&u, 0xa5, sizeof(u));
	ASSERT_EQ(0, raw_io(MXCHAN_IOC_SOCKET_WRITE, a, 0, wbuf + 5, 7, &u));
	CHECK_U(7);
	memset(&u, 0xa5, sizeof(u));
	ASSERT_OK(mx_socket_read(b, 0, NULL, 0, &u.v));
	CHECK_U(12);
	memset(&u, 0xa5, sizeof(u));
	ASSERT_OK(mx_socket_read(b, 0, rbuf, 4, &u.v));
	CHECK_U(4);
	memset(&u, 0xa5, sizeof(u));
	ASSERT_EQ(0, raw_io(MXCHAN_IOC_SOCKET_READ, b, 0, rbuf + 4, 100, &u));
	CHECK_U(8);
	ASSERT_PAT(rbuf, 12, 0, 3);
	memset(&u, 0xa5, sizeof(u));
	ASSERT_OK(mx_socket_write(a, CTL, "control", 7, &u.v));
	CHECK_U(7);
	memset(&u, 0xa5, sizeof(u));
	ASSERT_OK(mx_socket_read(b, CTL, rbuf, 100, &u.v));
	CHECK_U(7);
	/* a write of nothing writes 0 */
	memset(&u, 0xa5, sizeof(u));
	ASSERT_OK(mx_socket_write(a, 0, wbuf, 0, &u.v));
	CHECK_U(0);
	/* large counts, with every byte of a 64-bit size_t written */
	memset(&u, 0xa5, sizeof(u));
	ASSERT_OK(mx_socket_write(a, 0, wbuf, MAXB + 1000, &u.v));
	CHECK_U(MAXB);
	memset(&u, 0xa5, sizeof(u));
	ASSERT_OK(mx_socket_read(b, 0, NULL, 0, &u.v));
	CHECK_U(MAXB);
	memset(&u, 0xa5, sizeof(u));
	ASSERT_OK(mx_socket_read(b, 0, rbuf, sizeof(rbuf), &u.v));
	CHECK_U(MAXB);
	ASSERT_PAT(rbuf, MAXB, 0, 3);
	/* and a datagram's */
	ASSERT_OK(mx_socket_create(MX_SOCKET_DATAGRAM, &c, &d));
	big = MAXB - 24;
	memset(&u, 0xa5, sizeof(u));
	ASSERT_OK(mx_socket_write(c, 0, wbuf, big, &u.v));
	CHECK_U(big);
	memset(&u, 0xa5, sizeof(u));
	ASSERT_OK(mx_socket_read(d, 0, rbuf, sizeof(rbuf), &u.v));
	CHECK_U(big);
#undef CHECK_U
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
	ASSERT_OK(mx_handle_close(c));
	ASSERT_OK(mx_handle_close(d));
}

/* ---- create ---- */

TEST_F(socket, create_options)
{
	static const uint32_t bad[] = {
		4, 5, 6, 7, 8, 0x10, 0x100, 0x80000000u, 0x80000001u,
		0xfffffffcu, 0xffffffffu,
	};
	mx_handle_t a, b;
	uint32_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		a = b = 77;
		ASSERT_STATUS_LOG(MX_ERR_INVALID_ARGS,
			      mx_socket_create(bad[i], &a, &b),
			"options 0x%x", bad[i]);
		ASSERT_EQ(77, a);
		ASSERT_EQ(77, b);
	}
	ASSERT_ALL_GONE();
	for (i = 0; i <= MX_SOCKET_CREATE_MASK; i++) {
		mx_signals_t want = W | LAST;

		if (i & MX_SOCKET_HAS_CONTROL)
			want |= CW;
		ASSERT_OK(mx_socket_create(i, &a, &b));
		ASSERT_NE(a, b);
		ASSERT_EQ(MX_OBJ_TYPE_SOCKET, mxt_info(a).type);
		ASSERT_EQ(MX_OBJ_TYPE_SOCKET, mxt_info(b).type);
		ASSERT_EQ(SOCKET_RIGHTS, mxt_rights(a));
		ASSERT_EQ(SOCKET_RIGHTS, mxt_rights(b));
		/* exactly these: nothing readable, no control message */
		ASSERT_EQ(want, state(a)) TH_LOG("options %u", i);
		ASSERT_EQ(want, state(b)) TH_LOG("options %u", i);
		ASSERT_EQ(0, queued(a));
		ASSERT_EQ(0, queued(b));
		/* the control plane is there or not */
		ASSERT_STATUS(i & MX_SOCKET_HAS_CONTROL ? MX_ERR_SHOULD_WAIT :
			      MX_ERR_BAD_STATE,
			      mx_socket_read(a, CTL, rbuf, 10, NULL));
		/* two writes: one datagram each, or one stream of bytes */
		ASSERT_OK(mx_socket_write(a, 0, "abc", 3, NULL));
		ASSERT_OK(mx_socket_write(a, 0, "defg", 4, NULL));
		memset(rbuf, 0, 16);
		ASSERT_OK(mx_socket_read(b, 0, rbuf, 16, NULL));
		ASSERT_EQ(0, i & MX_SOCKET_DATAGRAM ?
			  memcmp(rbuf, "abc\0", 4) :
			  memcmp(rbuf, "abcdefg\0", 8));
		ASSERT_OK(mx_handle_close(a));
		ASSERT_OK(mx_handle_close(b));
	}
	ASSERT_ALL_GONE();
}

/* Out-pointers that cannot be written: INVALID_ARGS, nothing made. */
TEST_F(socket, create_out_pointer_faults)
{
	mx_handle_t *bad = mxt_bad_ptr(), *edge = mxt_edge_ptr(2), h;
	mx_handle_t *ro = ro_page(NULL, 0);
	uint32_t opt;

	ASSERT_NE(NULL, edge);
	ASSERT_NE(NULL, ro);
	for (opt = 0; opt <= MX_SOCKET_CREATE_MASK; opt++) {
		h = 77;
		ASSERT_STATUS(MX_ERR_INVALID_ARGS,
			      mx_socket_create(opt, bad, &h));
		if (h != 77)
			ASSERT_FALSE(mxt_valid(h));
		h = 77;
		ASSERT_STATUS(MX_ERR_INVALID_ARGS,
			      mx_socket_create(opt, &h, bad));
		if (h != 77)
			ASSERT_FALSE(mxt_valid(h));
		ASSERT_STATUS(MX_ERR_INVALID_ARGS,
			      mx_socket_create(opt, ro, ro));
		h = 77;
		ASSERT_STATUS(MX_ERR_INVALID_ARGS,
			      mx_socket_create(opt, &h, edge));
		if (h != 77)
			ASSERT_FALSE(mxt_valid(h));
		{
			struct mxchan_socket_create cc = { .options = opt };

			ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_SOCKET_CREATE, &cc));
		}
		ASSERT_ALL_GONE();
	}
	munmap(ro, 4096);
}

TEST_F(socket, info)
{
	mx_info_handle_basic_t i0, i1;
	mx_handle_t a, b, dup;

	ASSERT_OK(mx_socket_create(0, &a, &b));
	ASSERT_GT(a, 0);
	ASSERT_GT(b, 0);
	ASSERT_EQ(1, a & 1);
	ASSERT_EQ(1, b & 1);
	ASSERT_NE(a, b);
	i0 = mxt_info(a);
	i1 = mxt_info(b);
	ASSERT_EQ(14, i0.type);
	ASSERT_EQ(MX_OBJ_TYPE_SOCKET, i1.type);
	ASSERT_EQ(0x300Fu, i0.rights);
	ASSERT_EQ(SOCKET_RIGHTS, i1.rights);
	ASSERT_EQ(MX_OBJ_PROP_WAITABLE, i0.props);
	ASSERT_EQ(MX_OBJ_PROP_WAITABLE, i1.props);
	ASSERT_NE(0, i0.koid);
	ASSERT_NE(0, i1.koid);
	ASSERT_NE(i0.koid, i1.koid);
	ASSERT_EQ(i1.koid, i0.related_koid);
	ASSERT_EQ(i0.koid, i1.related_koid);
	/* sockets have DUPLICATE: a copy is the same end */
	ASSERT_OK(mx_handle_duplicate(a, MX_RIGHT_SAME_RIGHTS, &dup));
	ASSERT_NE(a, dup);
	ASSERT_EQ(i0.koid, mxt_koid(dup));
	ASSERT_EQ(i1.koid, mxt_info(dup).related_koid);
	ASSERT_EQ(SOCKET_RIGHTS, mxt_rights(dup));
	ASSERT_EQ(W, state(a));
	ASSERT_EQ(W | LAST, state(b));
	/* and writes into the same buffer */
	ASSERT_OK(mx_socket_write(dup, 0, "x", 1, NULL));
	ASSERT_OK(mx_socket_write(a, 0, "y", 1, NULL));
	ASSERT_EQ(2, queued(b));
	ASSERT_OK(mx_handle_close(dup));
	ASSERT_EQ(W | LAST, state(a));
	/* related_koid survives the peer */
	ASSERT_OK(mx_handle_close(a));
	ASSERT_EQ(i0.koid, mxt_info(b).related_koid);
	ASSERT_OK(mx_handle_close(b));
}

/* ---- Magenta's socket utests ---- */

TEST_F(socket, basic)
{
	static const uint32_t write_data[] = { 0xdeadbeef, 0xc0ffee };
	mx_info_handle_basic_t info[2];
	uint32_t read_data[] = { 0, 0 };
	mx_handle_t h[2];
	size_t count;

	ASSERT_OK(mx_socket_create(0, h, h + 1));
	/* koids line up */
	info[0] = mxt_info(h[0]);
	info[1] = mxt_info(h[1]);
	ASSERT_NE(0, info[0].koid);
	ASSERT_NE(0, info[0].related_koid);
	ASSERT_NE(0, info[1].koid);
	ASSERT_NE(0, info[1].related_koid);
	ASSERT_EQ(info[0].koid, info[1].related_koid);
	ASSERT_EQ(info[1].koid, info[0].related_koid);

	count = NOACT;
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_socket_read(h[0], 0, read_data, sizeof(read_data),
				     &count));
	ASSERT_EQ(NOACT, count);
	ASSERT_OK(mx_socket_write(h[0], 0, &write_data[0],
				  sizeof(write_data[0]), &count));
	ASSERT_EQ(sizeof(write_data[0]), count);
	ASSERT_OK(mx_socket_write(h[0], 0, &write_data[1],
				  sizeof(write_data[1]), &count));
	ASSERT_EQ(sizeof(write_data[1]), count);
	/* a stream: both writes in one read */
	ASSERT_OK(mx_socket_read(h[1], 0, read_data, sizeof(read_data),
				 &count));
	ASSERT_EQ(sizeof(read_data), count);
	ASSERT_EQ(write_data[0], read_data[0]);
	ASSERT_EQ(write_data[1], read_data[1]);
	/* actual may be NULL */
	ASSERT_OK(mx_socket_write(h[0], 0, write_data, sizeof(write_data),
				  NULL));
	memset(read_data, 0, sizeof(read_data));
	ASSERT_OK(mx_socket_read(h[1], 0, read_data, sizeof(read_data), NULL));
	ASSERT_EQ(write_data[0], read_data[0]);
	ASSERT_EQ(write_data[1], read_data[1]);
	ASSERT_EQ(W | LAST, state(h[0]));
	ASSERT_EQ(W | LAST, state(h[1]));

	ASSERT_OK(mx_handle_close(h[1]));
	count = NOACT;
	ASSERT_STATUS(MX_ERR_PEER_CLOSED,
		      mx_socket_write(h[0], 0, &write_data[1],
				      sizeof(write_data[1]), &count));
	ASSERT_EQ(NOACT, count);
	ASSERT_STATUS(MX_ERR_PEER_CLOSED,
		      mx_socket_read(h[0], 0, read_data, sizeof(read_data),
				     &count));
	ASSERT_EQ(NOACT, count);
	ASSERT_OK(mx_handle_close(h[0]));
}

TEST_F(socket, signals)
{
	const size_t all = 128 * 1024;
	mx_handle_t h0, h1;
	size_t count;

	ASSERT_OK(mx_socket_create(0, &h0, &h1));
	ASSERT_EQ(W | LAST, state(h0));
	ASSERT_EQ(W | LAST, state(h1));
	memset(wbuf, 0x66, all);
	ASSERT_OK(mx_socket_write(h0, 0, wbuf, all / 16, &count));
	ASSERT_EQ(all / 16, count);
	ASSERT_EQ(W | LAST, state(h0));
	ASSERT_EQ(R | W | LAST, state(h1));
	ASSERT_OK(mx_socket_read(h1, 0, rbuf, all, &count));
	ASSERT_EQ(all / 16, count);
	ASSERT_EQ(W | LAST, state(h0));
	ASSERT_EQ(W | LAST, state(h1));

	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_object_signal_peer(h0, W, 0));
	ASSERT_OK(mx_object_signal_peer(h0, 0, MX_USER_SIGNAL_1));
	ASSERT_EQ(W | LAST, state(h0));
	ASSERT_EQ(W | MX_USER_SIGNAL_1 | LAST, state(h1));

	ASSERT_OK(mx_handle_close(h1));
	ASSERT_EQ(PC | LAST, state(h0));
	ASSERT_OK(mx_handle_close(h0));
}

/*
 * Magenta's socket_shutdown_write: READ_DISABLED comes to the reader when
 * what was queued before the shutdown has been read.
 */
TEST_F(socket, shutdown_write)
{
	mx_handle_t h0, h1;
	char rbuf10[10];
	size_t count;

	ASSERT_OK(mx_socket_create(0, &h0, &h1));
	ASSERT_EQ(W | LAST, state(h0));
	ASSERT_EQ(W | LAST, state(h1));
	ASSERT_OK(mx_socket_write(h1, 0, "12345", 5, &count));
	ASSERT_EQ(5, count);
	ASSERT_OK(mx_socket_write(h1, SHUT_W, NULL, 0, NULL));
	ASSERT_EQ(W | R | LAST, state(h0));
	ASSERT_EQ(WD | LAST, state(h1));
	ASSERT_OK(mx_socket_write(h0, 0, "abcde", 5, &count));
	ASSERT_EQ(5, count);
	ASSERT_EQ(R | WD | LAST, state(h1));
	count = NOACT;
	ASSERT_STATUS(MX_ERR_BAD_STATE,
		      mx_socket_write(h1, 0, "fghij", 5, &count));
	ASSERT_EQ(NOACT, count);

	memset(rbuf10, 0, sizeof(rbuf10));
	ASSERT_OK(mx_socket_read(h0, 0, rbuf10, sizeof(rbuf10), &count));
	ASSERT_EQ(5, count);
	ASSERT_EQ(0, memcmp(rbuf10, "12345", 5));
	count = NOACT;
	ASSERT_STATUS(MX_ERR_BAD_STATE, mx_socket_read(h0, 0, rbuf10, 1,
						       &count));
	ASSERT_EQ(NOACT, count);
	ASSERT_EQ(W | RD | LAST, state(h0));
	ASSERT_OK(mx_socket_read(h1, 0, rbuf10, sizeof(rbuf10), &count));
	ASSERT_EQ(5, count);
	ASSERT_EQ(0, memcmp(rbuf10, "abcde", 5));
	ASSERT_EQ(WD | LAST, state(h1));

	ASSERT_OK(mx_handle_close(h0));
	ASSERT_EQ(WD | PC | LAST, state(h1));
	/* shutdown after the peer closed is valid, and changes this end */
	ASSERT_OK(mx_socket_write(h1, SHUT_R, NULL, 0, NULL));
	ASSERT_EQ(RD | WD | PC | LAST, state(h1));
	ASSERT_OK(mx_handle_close(h1));
}

TEST_F(socket, shutdown_read)
{
	mx_handle_t h0, h1;
	char rbuf10[10];
	size_t count;

	ASSERT_OK(mx_socket_create(0, &h0, &h1));
	ASSERT_EQ(W | LAST, state(h0));
	ASSERT_EQ(W | LAST, state(h1));
	ASSERT_OK(mx_socket_write(h1, 0, "12345", 5, &count));
	ASSERT_EQ(5, count);
	ASSERT_OK(mx_socket_write(h0, SHUT_R, NULL, 0, NULL));
	ASSERT_EQ(W | R | LAST, state(h0));
	ASSERT_EQ(WD | LAST, state(h1));
	ASSERT_OK(mx_socket_write(h0, 0, "abcde", 5, &count));
	ASSERT_EQ(5, count);
	ASSERT_EQ(R | WD | LAST, state(h1));
	ASSERT_STATUS(MX_ERR_BAD_STATE,
		      mx_socket_write(h1, 0, "fghij", 5, &count));

	memset(rbuf10, 0, sizeof(rbuf10));
	ASSERT_OK(mx_socket_read(h0, 0, rbuf10, sizeof(rbuf10), &count));
	ASSERT_EQ(5, count);
	ASSERT_EQ(0, memcmp(rbuf10, "12345", 5));
	ASSERT_STATUS(MX_ERR_BAD_STATE, mx_socket_read(h0, 0, rbuf10, 1,
						       &count));
	ASSERT_EQ(W | RD | LAST, state(h0));
	ASSERT_OK(mx_socket_read(h1, 0, rbuf10, sizeof(rbuf10), &count));
	ASSERT_EQ(5, count);
	ASSERT_EQ(0, memcmp(rbuf10, "abcde", 5));

	ASSERT_OK(mx_handle_close(h0));
	ASSERT_OK(mx_handle_close(h1));
}

TEST_F(socket, bytes_outstanding)
{
	static const uint32_t write_data[] = { 0xdeadbeef, 0xc0ffee };
	uint32_t read_data[] = { 0, 0 };
	size_t count, outstanding;
	mx_handle_t h[2];

	ASSERT_OK(mx_socket_create(0, h, h + 1));
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_socket_read(h[0], 0, read_data, sizeof(read_data),
				     &count));
	ASSERT_OK(mx_socket_write(h[0], 0, &write_data[0],
				  sizeof(write_data[0]), &count));
	ASSERT_EQ(sizeof(write_data[0]), count);
	ASSERT_OK(mx_socket_write(h[0], 0, &write_data[1],
				  sizeof(write_data[1]), &count));
	ASSERT_EQ(sizeof(write_data[1]), count);
	/* the number of bytes outstanding, twice: the query takes nothing */
	outstanding = NOACT;
	ASSERT_OK(mx_socket_read(h[1], 0, NULL, 0, &outstanding));
	ASSERT_EQ(sizeof(write_data), outstanding);
	outstanding = NOACT;
	ASSERT_OK(mx_socket_read(h[1], 0, NULL, 0, &outstanding));
	ASSERT_EQ(sizeof(write_data), outstanding);
	ASSERT_EQ(R | W | LAST, state(h[1]));
	/* the other way: nothing */
	ASSERT_EQ(0, queued(h[0]));
	ASSERT_OK(mx_socket_read(h[1], 0, read_data, sizeof(read_data),
				 &count));
	ASSERT_EQ(sizeof(read_data), count);
	ASSERT_EQ(write_data[0], read_data[0]);
	ASSERT_EQ(write_data[1], read_data[1]);
	ASSERT_EQ(0, queued(h[1]));

	ASSERT_OK(mx_handle_close(h[1]));
	ASSERT_STATUS(MX_ERR_PEER_CLOSED,
		      mx_socket_write(h[0], 0, &write_data[1],
				      sizeof(write_data[1]), &count));
	/* the query answers after the peer closed */
	ASSERT_EQ(0, queued(h[0]));
	ASSERT_OK(mx_handle_close(h[0]));
}

/* The query after a shutdown: write (@how 1, on h1) or read (2, on h0). */
static void outstanding_after_shutdown(struct __test_metadata *_metadata,
				       uint32_t how)
{
	mx_handle_t h0, h1;
	char rbuf10[10] = { 0 };
	size_t count;

	ASSERT_OK(mx_socket_create(0, &h0, &h1));
	ASSERT_EQ(W | LAST, state(h0));
	ASSERT_EQ(W | LAST, state(h1));
	ASSERT_OK(mx_socket_write(h1, 0, "12345", 5, &count));
	ASSERT_EQ(5, count);
	ASSERT_OK(mx_socket_write(how == SHUT_W ? h1 : h0, how, NULL, 0,
				  NULL));
	ASSERT_EQ(W | R | LAST, state(h0));
	ASSERT_EQ(WD | LAST, state(h1));
	ASSERT_OK(mx_socket_write(h0, 0, "abcde", 5, &count));
	ASSERT_EQ(5, count);
	ASSERT_EQ(R | WD | LAST, state(h1));
	ASSERT_STATUS(MX_ERR_BAD_STATE,
		      mx_socket_write(h1, 0, "fghij", 5, &count));

	count = NOACT;
	ASSERT_OK(mx_socket_read(h0, 0, NULL, 0, &count));
	ASSERT_EQ(5, count);
	ASSERT_EQ(W | R | LAST, state(h0));
	count = 0;
	ASSERT_OK(mx_socket_read(h0, 0, rbuf10, sizeof(rbuf10), &count));
	ASSERT_EQ(5, count);
	ASSERT_EQ(0, memcmp(rbuf10, "12345", 5));
	ASSERT_STATUS(MX_ERR_BAD_STATE, mx_socket_read(h0, 0, rbuf10, 1,
						       &count));
	ASSERT_EQ(W | RD | LAST, state(h0));
	/* an empty, read-disabled end still answers the query: 0 */
	count = NOACT;
	ASSERT_OK(mx_socket_read(h0, 0, NULL, 0, &count));
	ASSERT_EQ(0, count);
	ASSERT_OK(mx_socket_read(h1, 0, rbuf10, sizeof(rbuf10), &count));
	ASSERT_EQ(5, count);
	ASSERT_EQ(0, memcmp(rbuf10, "abcde", 5));

	ASSERT_OK(mx_handle_close(h0));
	ASSERT_OK(mx_handle_close(h1));
}

TEST_F(socket, bytes_outstanding_shutdown_write)
{
	outstanding_after_shutdown(_metadata, SHUT_W);
}

TEST_F(socket, bytes_outstanding_shutdown_read)
{
	outstanding_after_shutdown(_metadata, SHUT_R);
}

/* 256 KiB + 1 on a stream: a short write, of exactly what fits. */
TEST_F(socket, short_write)
{
	const size_t size = 256 * 1024 + 1;
	mx_handle_t h0, h1;
	size_t written = ~(size_t)0;

	ASSERT_OK(mx_socket_create(0, &h0, &h1));
	fill(wbuf, size, 0, 4);
	ASSERT_OK(mx_socket_write(h0, 0, wbuf, size, &written));
	ASSERT_LT(written, size);
	ASSERT_EQ(MAXB, written);
	ASSERT_EQ(MAXB, queued(h1));
	ASSERT_EQ(LAST, state(h0));
	ASSERT_EQ(R | W | LAST, state(h1));
	memset(rbuf, 0, MAXB + 16);
	ASSERT_OK(mx_socket_read(h1, 0, rbuf, size, &written));
	ASSERT_EQ(MAXB, written);
	ASSERT_PAT(rbuf, MAXB, 0, 4);
	ASSERT_EQ(0, rbuf[MAXB]);
	ASSERT_OK(mx_handle_close(h0));
	ASSERT_OK(mx_handle_close(h1));
}

/*
 * Magenta's socket_datagram: boundaries kept, a short read discards the
 * rest of its datagram, and the NULL/0 query gives all that is queued.
 */
TEST_F(socket, datagram)
{
	unsigned char r[4096];
	mx_handle_t h0, h1;
	size_t count;

	ASSERT_OK(mx_socket_create(MX_SOCKET_DATAGRAM, &h0, &h1));
	ASSERT_OK(mx_socket_write(h0, 0, "packet1", 8, &count));
	ASSERT_EQ(8, count);
	ASSERT_OK(mx_socket_write(h0, 0, "pkt2", 5, &count));
	ASSERT_EQ(5, count);
	memset(r, 0, sizeof(r));
	r[0] = 'a';
	r[1000] = 'b';
	r[2000] = 'c';
	r[3000] = 'd';
	r[4000] = 'e';
	r[4095] = 'f';
	ASSERT_OK(mx_socket_write(h0, 0, r, sizeof(r), &count));
	ASSERT_EQ(sizeof(r), count);

	count = 0;
	ASSERT_OK(mx_socket_read(h1, 0, NULL, 0, &count));
	ASSERT_EQ(8 + 5 + sizeof(r), count);
	memset(r, 0, sizeof(r));
	ASSERT_OK(mx_socket_read(h1, 0, r, 3, &count));
	ASSERT_EQ(3, count);
	ASSERT_EQ(0, memcmp(r, "pac\0", 4));	/* a short read of "packet1" */
	ASSERT_OK(mx_socket_read(h1, 0, NULL, 0, &count));
	ASSERT_EQ(5 + sizeof(r), count);
	/* a bigger buffer than the next datagram: that one only */
	ASSERT_OK(mx_socket_read(h1, 0, r, sizeof(r), &count));
	ASSERT_EQ(5, count);
	ASSERT_EQ(0, memcmp(r, "pkt2", 5));
	ASSERT_OK(mx_socket_read(h1, 0, NULL, 0, &count));
	ASSERT_EQ(sizeof(r), count);
	ASSERT_EQ(R | W | LAST, state(h1));
	memset(r, 0, sizeof(r));
	ASSERT_OK(mx_socket_read(h1, 0, r, sizeof(r), &count));
	ASSERT_EQ(sizeof(r), count);
	ASSERT_EQ('a', r[0]);
	ASSERT_EQ('b', r[1000]);
	ASSERT_EQ('c', r[2000]);
	ASSERT_EQ('d', r[3000]);
	ASSERT_EQ('e', r[4000]);
	ASSERT_EQ('f', r[4095]);
	ASSERT_OK(mx_socket_read(h1, 0, NULL, 0, &count));
	ASSERT_EQ(0, count);
	ASSERT_EQ(W | LAST, state(h1));
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_socket_read(h1, 0, r, sizeof(r), &count));
	ASSERT_OK(mx_handle_close(h0));
	ASSERT_OK(mx_handle_close(h1));
}

/*
 * Magenta's socket_datagram_no_short_write: a datagram bigger than the
 * buffer can never be written: SHOULD_WAIT, actual left alone.
 */
TEST_F(socket, datagram_no_short_write)
{
	mx_handle_t h0, h1;
	size_t written;

	ASSERT_OK(mx_socket_create(MX_SOCKET_DATAGRAM, &h0, &h1));
	written = ~(size_t)0;
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_socket_write(h0, 0, wbuf, 2 * MAXB, &written));
	ASSERT_EQ(~(size_t)0, written);
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_socket_write(h0, 0, wbuf, 256 * 1024 + 1, &written));
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_socket_write(h0, 0, wbuf, MAXB + 1, &written));
	ASSERT_EQ(~(size_t)0, written);
	/* nothing of them was queued */
	ASSERT_EQ(0, queued(h1));
	ASSERT_EQ(W | LAST, state(h0));
	ASSERT_EQ(W | LAST, state(h1));
	ASSERT_OK(mx_handle_close(h0));
	ASSERT_OK(mx_handle_close(h1));
}

TEST_F(socket, control_plane_absent)
{
	mx_handle_t h0, h1;
	char r[10] = { 0 };
	size_t count;

	ASSERT_OK(mx_socket_create(0, &h0, &h1));
	ASSERT_STATUS(MX_ERR_BAD_STATE,
		      mx_socket_write(h0, CTL, "hi", 2, NULL));
	ASSERT_STATUS(MX_ERR_BAD_STATE,
		      mx_socket_write(h1, CTL, "hi", 2, NULL));
	count = NOACT;
	ASSERT_STATUS(MX_ERR_BAD_STATE,
		      mx_socket_read(h0, CTL, r, sizeof(r), &count));
	ASSERT_STATUS(MX_ERR_BAD_STATE,
		      mx_socket_read(h1, CTL, r, sizeof(r), &count));
	ASSERT_EQ(NOACT, count);
	ASSERT_EQ(W | LAST, state(h0));
	ASSERT_EQ(W | LAST, state(h1));
	ASSERT_OK(mx_handle_close(h0));
	ASSERT_OK(mx_handle_close(h1));
}

TEST_F(socket, control_plane)
{
	mx_handle_t h0, h1;
	char r[10] = { 0 };
	size_t count;

	ASSERT_OK(mx_socket_create(MX_SOCKET_HAS_CONTROL, &h0, &h1));
	ASSERT_EQ(W | CW | LAST, state(h0));
	ASSERT_EQ(W | CW | LAST, state(h1));

	ASSERT_OK(mx_socket_write(h0, CTL, "hello1", 6, &count));
	ASSERT_EQ(6, count);
	ASSERT_EQ(W | LAST, state(h0));
	ASSERT_EQ(W | CR | CW | LAST, state(h1));
	count = NOACT;
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_socket_write(h0, CTL, "hi", 2, &count));
	ASSERT_EQ(NOACT, count);
	ASSERT_OK(mx_socket_write(h1, CTL, "hello0", 6, &count));
	ASSERT_EQ(6, count);
	ASSERT_EQ(W | CR | LAST, state(h0));
	ASSERT_EQ(W | CR | LAST, state(h1));
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_socket_write(h1, CTL, "hi", 2, NULL));

	/* the control plane is independent of the data */
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_socket_read(h0, 0, r, sizeof(r), &count));
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_socket_read(h1, 0, r, sizeof(r), &count));
	ASSERT_EQ(0, queued(h0));
	ASSERT_OK(mx_socket_write(h0, 0, "normal", 7, &count));
	ASSERT_EQ(7, count);
	ASSERT_OK(mx_socket_read(h1, 0, r, sizeof(r), &count));
	ASSERT_EQ(7, count);
	ASSERT_EQ(0, memcmp(r, "normal", 7));

	memset(r, 0, sizeof(r));
	ASSERT_OK(mx_socket_read(h0, CTL, r, sizeof(r), &count));
	ASSERT_EQ(6, count);
	ASSERT_EQ(0, memcmp(r, "hello0", 6));
	ASSERT_EQ(W | LAST, state(h0));
	ASSERT_EQ(W | CR | CW | LAST, state(h1));
	count = NOACT;
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_socket_read(h0, CTL, r, sizeof(r), &count));
	ASSERT_EQ(NOACT, count);
	memset(r, 0, sizeof(r));
	ASSERT_OK(mx_socket_read(h1, CTL, r, sizeof(r), &count));
	ASSERT_EQ(6, count);
	ASSERT_EQ(0, memcmp(r, "hello1", 6));
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_socket_read(h1, CTL, r, sizeof(r), &count));
	ASSERT_EQ(W | CW | LAST, state(h0));
	ASSERT_EQ(W | CW | LAST, state(h1));
	ASSERT_OK(mx_handle_close(h0));
	ASSERT_OK(mx_handle_close(h1));
}

TEST_F(socket, control_plane_shutdown)
{
	mx_handle_t h0, h1;
	size_t count;

	ASSERT_OK(mx_socket_create(MX_SOCKET_HAS_CONTROL, &h0, &h1));
	ASSERT_EQ(W | CW | LAST, state(h0));
	ASSERT_EQ(W | CW | LAST, state(h1));
	ASSERT_OK(mx_socket_write(h1, 0, "12345", 5, &count));
	ASSERT_EQ(5, count);
	ASSERT_OK(mx_socket_write(h1, SHUT_W, NULL, 0, NULL));
	ASSERT_EQ(W | CW | R | LAST, state(h0));
	ASSERT_EQ(WD | CW | LAST, state(h1));
	/* shut down for data, not for control messages */
	ASSERT_OK(mx_socket_write(h0, CTL, "hello1", 6, &count));
	ASSERT_EQ(6, count);
	ASSERT_OK(mx_socket_write(h1, CTL, "hello0", 6, &count));
	ASSERT_EQ(6, count);
	ASSERT_EQ(W | CR | R | LAST, state(h0));
	ASSERT_EQ(WD | CR | LAST, state(h1));
	ASSERT_OK(mx_handle_close(h0));
	ASSERT_OK(mx_handle_close(h1));
}

/* ---- errors, in Magenta's order ---- */

TEST_F(socket, write_errors)
{
	static const uint32_t bad_opts[] = {
		CTL | SHUT_W, CTL | SHUT_R, CTL | 3, 8, 0x10, 0x80,
		0x80000000u, 0x80000001u, 0xffffffffu,
	};
	mx_handle_t a, b, ro, none, c0, c1, d0, d1, c_ro, ev, f0, f1;
	void *bad = mxt_bad_ptr();
	size_t n = NOACT;
	uint32_t i;

	ASSERT_OK(mx_socket_create(0, &a, &b));
	ASSERT_OK(mx_handle_duplicate(a, MX_RIGHT_READ | MX_RIGHT_DUPLICATE,
				      &ro));
	ASSERT_OK(mx_handle_duplicate(a, MX_RIGHT_NONE, &none));
	ASSERT_OK(mx_channel_create(0, &c0, &c1));
	ASSERT_OK(mx_channel_create(0, &d0, &d1));
	ASSERT_OK(mx_handle_replace(d0, MX_RIGHT_READ, &c_ro));
	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_fifo_create(8, 8, 0, &f0, &f1));

	/* 1. a NULL buffer with a size: first, before the handle */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_socket_write(a, 0, NULL, 1, &n));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_socket_write(MXT_BAD_VALUE, 0, NULL, 1, &n));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_socket_write(MX_HANDLE_INVALID, 0, NULL, 5, &n));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_socket_write(ro, 0, NULL, 1, &n));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_socket_write(c0, 0, NULL, 1, &n));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_socket_write(ev, 0, NULL, 1, &n));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_socket_write(a, CTL, NULL, 1, &n));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_socket_write(a, SHUT_W, NULL, 1, &n));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_socket_write(a, 0x80, NULL, 1, &n));
	ASSERT_EQ(EINVAL, raw_io(MXCHAN_IOC_SOCKET_WRITE, MXT_BAD_VALUE, 0,
				 NULL, GIB4, &n));
	ASSERT_EQ(NOACT, n);
	ASSERT_EQ(W, state(a));		/* ro, none: not the last handle */
	ASSERT_EQ(W | LAST, state(b));
	/* NULL, or any pointer, with no size is a write of nothing */
	ASSERT_OK(mx_socket_write(a, 0, NULL, 0, &n));
	ASSERT_EQ(0, n);
	n = NOACT;
	ASSERT_OK(mx_socket_write(a, 0, bad, 0, &n));
	ASSERT_EQ(0, n);
	ASSERT_EQ(W | LAST, state(b));
	ASSERT_EQ(0, queued(b));

	/* 2. the handle: a value, then the rights, then the type */
	n = NOACT;
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_socket_write(MXT_BAD_VALUE, 0, "x", 1, &n));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_socket_write(MX_HANDLE_INVALID, 0, "x", 1, &n));
	/* ... before the options, the size and the data */
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_socket_write(MXT_BAD_VALUE, 0x80, "x", 1, &n));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_socket_write(MXT_BAD_VALUE, SHUT_W, "x", 1, &n));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_socket_write(MXT_BAD_VALUE, 0, bad, 1, &n));
	ASSERT_EQ(EBADF, raw_io(MXCHAN_IOC_SOCKET_WRITE, MXT_BAD_VALUE, 0,
				wbuf, GIB4, &n));
	/* without WRITE: data, nothing, control, shutdown, bad options */
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_socket_write(ro, 0, "x", 1, &n));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_socket_write(ro, 0, "x", 0, &n));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_socket_write(ro, CTL, "x", 1, &n));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_socket_write(ro, SHUT_W, NULL, 0, &n));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_socket_write(ro, SHUT_R, NULL, 0, &n));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_socket_write(ro, 0x80, "x", 1, &n));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_socket_write(ro, 0, bad, 1, &n));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_socket_write(none, 0, "x", 1, &n));
	/* the wrong type, after the rights */
	ASSERT_STATUS(MX_ERR_WRONG_TYPE, mx_socket_write(c0, 0, "x", 1, &n));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE, mx_socket_write(c0, 0x80, "x", 1, &n));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE,
		      mx_socket_write(c0, SHUT_W, NULL, 0, &n));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE, mx_socket_write(ev, 0, "x", 1, &n));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE, mx_socket_write(f0, 0, "x", 1, &n));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_socket_write(c_ro, 0, "x", 1, &n));
	ASSERT_EQ(NOACT, n);
	/* nothing got anywhere, and no shutdown happened */
	ASSERT_EQ(W | LAST, state(b));
	ASSERT_EQ(W, state(a));
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_channel_read(c1, 0, NULL, NULL, 0, 0, NULL, NULL));
	/* ... and the copies without WRITE read */
	ASSERT_OK(mx_socket_write(b, 0, "rd", 2, NULL));
	ASSERT_OK(mx_socket_read(ro, 0, rbuf, 10, &n));
	ASSERT_EQ(2, n);
	n = NOACT;

	/* 3. options: other than 0, CONTROL and the shutdowns */
	for (i = 0; i < sizeof(bad_opts) / sizeof(bad_opts[0]); i++) {
		ASSERT_STATUS_LOG(MX_ERR_INVALID_ARGS,
			      mx_socket_write(a, bad_opts[i], "x", 1, &n),
			"options 0x%x", bad_opts[i]);
		ASSERT_STATUS_LOG(MX_ERR_INVALID_ARGS,
			      mx_socket_write(a, bad_opts[i], NULL, 0, &n),
			"options 0x%x", bad_opts[i]);
	}
	/* a shutdown with a size */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_socket_write(a, SHUT_W, "x", 1, &n));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_socket_write(a, SHUT_R, "x", 1, &n));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_socket_write(a, SHUT_R | SHUT_W, bad, 3, &n));
	ASSERT_EQ(NOACT, n);
	ASSERT_EQ(W | LAST, state(b));
	ASSERT_EQ(W, state(a));
	ASSERT_EQ(0, queued(b));

	/* data: a size past 4 GiB, checked after a size of 0 */
	ASSERT_EQ(EINVAL, raw_io(MXCHAN_IOC_SOCKET_WRITE, a, 0, wbuf, GIB4,
				 &n));
	ASSERT_EQ(EINVAL, raw_io(MXCHAN_IOC_SOCKET_WRITE, a, 0, wbuf,
				 GIB4 + 1, &n));
	ASSERT_EQ(EINVAL, raw_io(MXCHAN_IOC_SOCKET_WRITE, a, 0, wbuf,
				 UINT64_MAX, &n));
	ASSERT_EQ(EINVAL, raw_io(MXCHAN_IOC_SOCKET_WRITE, a, 0, bad, GIB4,
				 &n));
	ASSERT_EQ(NOACT, n);
	ASSERT_EQ(0, queued(b));
	/* 4 GiB - 1 is a size: what fits is written */
	fill(wbuf, MAXB, 0, 5);
	ASSERT_EQ(0, raw_io(MXCHAN_IOC_SOCKET_WRITE, a, 0, wbuf, GIB4 - 1,
			    &n));
	ASSERT_EQ(MAXB, n);
	/* full: SHOULD_WAIT, after the size checks */
	n = NOACT;
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT, mx_socket_write(a, 0, "x", 1, &n));
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT, mx_socket_write(a, 0, bad, 1, &n));
	ASSERT_EQ(EINVAL, raw_io(MXCHAN_IOC_SOCKET_WRITE, a, 0, wbuf, GIB4,
				 &n));
	ASSERT_EQ(NOACT, n);
	ASSERT_OK(mx_socket_write(a, 0, "x", 0, &n));
	ASSERT_EQ(0, n);
	n = NOACT;
	ASSERT_EQ(MAXB, queued(b));

	/* write-disabled: BAD_STATE, before a size of 0 and the rest */
	ASSERT_OK(mx_socket_write(a, SHUT_W, NULL, 0, NULL));
	ASSERT_STATUS(MX_ERR_BAD_STATE, mx_socket_write(a, 0, "x", 1, &n));
	ASSERT_STATUS(MX_ERR_BAD_STATE, mx_socket_write(a, 0, "x", 0, &n));
	ASSERT_STATUS(MX_ERR_BAD_STATE, mx_socket_write(a, 0, bad, 1, &n));
	ASSERT_EQ(EBADFD, raw_io(MXCHAN_IOC_SOCKET_WRITE, a, 0, wbuf, GIB4,
				 &n));
	ASSERT_STATUS(MX_ERR_BAD_STATE,
		      mx_socket_write(a, 0, wbuf, 2 * MAXB, &n));
	ASSERT_EQ(NOACT, n);
	/* options and the shutdown's size still come first */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_socket_write(a, 0x80, "x", 1, &n));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_socket_write(a, SHUT_W, "x", 1, &n));

	/* the peer closed: PEER_CLOSED, before write-disabled */
	ASSERT_OK(mx_handle_close(b));
	ASSERT_STATUS(MX_ERR_PEER_CLOSED, mx_socket_write(a, 0, "x", 1, &n));
	ASSERT_STATUS(MX_ERR_PEER_CLOSED, mx_socket_write(a, 0, "x", 0, &n));
	ASSERT_STATUS(MX_ERR_PEER_CLOSED, mx_socket_write(a, 0, bad, 5, &n));
	ASSERT_EQ(EPIPE, raw_io(MXCHAN_IOC_SOCKET_WRITE, a, 0, wbuf, GIB4,
				&n));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_socket_write(none, 0, "x", 1, &n));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_socket_write(a, 0, NULL, 1, &n));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_socket_write(a, 0x80, "x", 1, &n));
	ASSERT_EQ(NOACT, n);
	/* a shutdown still works on this end */
	ASSERT_OK(mx_socket_write(a, SHUT_R, NULL, 0, NULL));
	ASSERT_EQ(RD | WD | PC, state(a) & ~(mx_signals_t)LAST);

	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(ro));
	ASSERT_OK(mx_handle_close(none));
	ASSERT_OK(mx_handle_close(c_ro));
	ASSERT_OK(mx_handle_close(c0));
	ASSERT_OK(mx_handle_close(c1));
	ASSERT_OK(mx_handle_close(d1));
	ASSERT_OK(mx_handle_close(ev));
	ASSERT_OK(mx_handle_close(f0));
	ASSERT_OK(mx_handle_close(f1));
}

TEST_F(socket, read_errors)
{
	static const uint32_t bad_opts[] = {
		SHUT_W, SHUT_R, 3, CTL | 1, CTL | 2, 8, 0x80, 0x80000000u,
		0xffffffffu,
	};
	mx_handle_t a, b, wo, c0, c1, d0, d1, c_wo, ev;
	void *bad = mxt_bad_ptr();
	size_t n = NOACT;
	uint32_t i;

	ASSERT_OK(mx_socket_create(MX_SOCKET_HAS_CONTROL, &a, &b));
	ASSERT_OK(mx_handle_duplicate(b, MX_RIGHT_WRITE | MX_RIGHT_DUPLICATE,
				      &wo));
	ASSERT_OK(mx_channel_create(0, &c0, &c1));
	ASSERT_OK(mx_channel_create(0, &d0, &d1));
	ASSERT_OK(mx_handle_replace(d0, MX_RIGHT_WRITE, &c_wo));
	ASSERT_OK(mx_event_create(0, &ev));

	/* 1. a NULL buffer with a size: first, but only with options */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_socket_read(MXT_BAD_VALUE, CTL, NULL, 1, &n));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_socket_read(MXT_BAD_VALUE, 1, NULL, 1, &n));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_socket_read(MX_HANDLE_INVALID, 0x80000000u, NULL, 8,
				     &n));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_socket_read(wo, CTL, NULL, 1, &n));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_socket_read(c0, CTL, NULL, 1, &n));
	/* Magenta's quirk: without options it goes on to the handle ... */
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_socket_read(MXT_BAD_VALUE, 0, NULL, 1, &n));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_socket_read(wo, 0, NULL, 1, &n));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE, mx_socket_read(ev, 0, NULL, 1, &n));
	/* ... and the buffer's state: empty */
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT, mx_socket_read(b, 0, NULL, 1, &n));
	/* with bytes queued, a copy to NULL that faults: they stay */
	fill(wbuf, 10, 0, 6);
	ASSERT_OK(mx_socket_write(a, 0, wbuf, 10, NULL));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_socket_read(b, 0, NULL, 1, &n));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_socket_read(b, 0, NULL, 10, &n));
	ASSERT_EQ(NOACT, n);
	ASSERT_EQ(10, queued(b));
	ASSERT_EQ(R | W | CW, state(b));	/* wo: not the last handle */

	/* 2. the handle: a value, then the rights, then the type */
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_socket_read(MXT_BAD_VALUE, 0, rbuf, 10, &n));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_socket_read(MX_HANDLE_INVALID, 0, rbuf, 10, &n));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_socket_read(MXT_BAD_VALUE, 0x80, rbuf, 10, &n));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_socket_read(MXT_BAD_VALUE, 0, NULL, 0, &n));
	ASSERT_EQ(EBADF, raw_io(MXCHAN_IOC_SOCKET_READ, MXT_BAD_VALUE, 0,
				rbuf, GIB4, &n));
	/* without READ: no read, no query, no control message */
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_socket_read(wo, 0, rbuf, 10, &n));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_socket_read(wo, 0, NULL, 0, &n));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_socket_read(wo, CTL, rbuf, 10, &n));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_socket_read(wo, 0x80, rbuf, 10, &n));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE, mx_socket_read(c0, 0, rbuf, 10, &n));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE, mx_socket_read(c0, 0x80, rbuf, 10, &n));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE, mx_socket_read(c1, 0, NULL, 0, &n));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE, mx_socket_read(ev, 0, rbuf, 10, &n));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_socket_read(c_wo, 0, rbuf, 10, &n));
	ASSERT_EQ(NOACT, n);
	ASSERT_EQ(10, queued(b));
	/* ... but writes */
	ASSERT_OK(mx_socket_write(wo, 0, "w", 1, NULL));
	ASSERT_EQ(1, queued(a));
	ASSERT_OK(mx_socket_read(a, 0, rbuf, 1, NULL));

	/* 3. options: other than 0 and CONTROL */
	for (i = 0; i < sizeof(bad_opts) / sizeof(bad_opts[0]); i++) {
		ASSERT_STATUS_LOG(MX_ERR_INVALID_ARGS,
			      mx_socket_read(b, bad_opts[i], rbuf, 10, &n),
			"options 0x%x", bad_opts[i]);
		ASSERT_STATUS_LOG(MX_ERR_INVALID_ARGS,
			      mx_socket_read(b, bad_opts[i], NULL, 0, &n),
			"options 0x%x", bad_opts[i]);
	}
	ASSERT_EQ(NOACT, n);
	ASSERT_EQ(10, queued(b));

	/* a size past 4 GiB: after the query, before anything else */
	ASSERT_EQ(EINVAL, raw_io(MXCHAN_IOC_SOCKET_READ, b, 0, rbuf, GIB4,
				 &n));
	ASSERT_EQ(EINVAL, raw_io(MXCHAN_IOC_SOCKET_READ, b, 0, rbuf,
				 UINT64_MAX, &n));
	ASSERT_EQ(EINVAL, raw_io(MXCHAN_IOC_SOCKET_READ, b, 0, NULL, GIB4,
				 &n));
	ASSERT_EQ(EINVAL, raw_io(MXCHAN_IOC_SOCKET_READ, a, 0, rbuf, GIB4,
				 &n));
	ASSERT_EQ(NOACT, n);
	ASSERT_EQ(10, queued(b));
	/* a size of 0 into a buffer: nothing taken */
	ASSERT_OK(mx_socket_read(b, 0, rbuf, 0, &n));
	ASSERT_EQ(0, n);
	ASSERT_EQ(10, queued(b));
	/* 4 GiB - 1 is a size */
	memset(rbuf, 0, 16);
	ASSERT_EQ(0, raw_io(MXCHAN_IOC_SOCKET_READ, b, 0, rbuf, GIB4 - 1,
			    &n));
	ASSERT_EQ(10, n);
	ASSERT_PAT(rbuf, 10, 0, 6);

	/* empty: SHOULD_WAIT, actual untouched; the size still first */
	n = NOACT;
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT, mx_socket_read(b, 0, rbuf, 10, &n));
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT, mx_socket_read(b, 0, bad, 10, &n));
	ASSERT_EQ(EINVAL, raw_io(MXCHAN_IOC_SOCKET_READ, b, 0, rbuf, GIB4,
				 &n));
	ASSERT_EQ(NOACT, n);
	/* read-disabled and empty: BAD_STATE; the query still answers */
	ASSERT_OK(mx_socket_write(a, SHUT_W, NULL, 0, NULL));
	ASSERT_STATUS(MX_ERR_BAD_STATE, mx_socket_read(b, 0, rbuf, 10, &n));
	ASSERT_STATUS(MX_ERR_BAD_STATE, mx_socket_read(b, 0, rbuf, 0, &n));
	ASSERT_EQ(NOACT, n);
	ASSERT_EQ(0, queued(b));
	/* the control plane is not shut down */
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT, mx_socket_read(b, CTL, rbuf, 10, &n));
	/* the peer closed: PEER_CLOSED, before BAD_STATE */
	ASSERT_OK(mx_handle_close(a));
	ASSERT_STATUS(MX_ERR_PEER_CLOSED, mx_socket_read(b, 0, rbuf, 10, &n));
	ASSERT_STATUS(MX_ERR_PEER_CLOSED, mx_socket_read(b, 0, bad, 10, &n));
	ASSERT_EQ(EINVAL, raw_io(MXCHAN_IOC_SOCKET_READ, b, 0, rbuf, GIB4,
				 &n));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_socket_read(b, 0x80, rbuf, 10, &n));
	ASSERT_EQ(NOACT, n);
	ASSERT_EQ(0, queued(b));
	/* an empty control slot: SHOULD_WAIT, not PEER_CLOSED */
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT, mx_socket_read(b, CTL, rbuf, 10, &n));
	ASSERT_EQ(NOACT, n);

	ASSERT_OK(mx_handle_close(b));
	ASSERT_OK(mx_handle_close(wo));
	ASSERT_OK(mx_handle_close(c_wo));
	ASSERT_OK(mx_handle_close(c0));
	ASSERT_OK(mx_handle_close(c1));
	ASSERT_OK(mx_handle_close(d1));
	ASSERT_OK(mx_handle_close(ev));
}

/* The control plane's errors, in order, and its faults. */
TEST_F(socket, control_errors)
{
	mx_handle_t a, b;
	void *bad = mxt_bad_ptr();
	unsigned char *edge;
	size_t n = NOACT;
	uint32_t opt;

	/* no control plane: BAD_STATE first, for every size and buffer */
	for (opt = 0; opt <= MX_SOCKET_DATAGRAM; opt++) {
		ASSERT_OK(mx_socket_create(opt, &a, &b));
		ASSERT_STATUS(MX_ERR_BAD_STATE,
			      mx_socket_write(a, CTL, "x", 0, &n));
		ASSERT_STATUS(MX_ERR_BAD_STATE,
			      mx_socket_write(a, CTL, wbuf, CTLMAX + 1, &n));
		ASSERT_STATUS(MX_ERR_BAD_STATE,
			      mx_socket_write(a, CTL, bad, 5, &n));
		ASSERT_STATUS(MX_ERR_BAD_STATE,
			      mx_socket_read(a, CTL, rbuf, 0, &n));
		ASSERT_STATUS(MX_ERR_BAD_STATE,
			      mx_socket_read(a, CTL, bad, 5, &n));
		ASSERT_OK(mx_handle_close(b));
		ASSERT_STATUS(MX_ERR_BAD_STATE,
			      mx_socket_write(a, CTL, "x", 1, &n));
		ASSERT_STATUS(MX_ERR_BAD_STATE,
			      mx_socket_read(a, CTL, rbuf, 10, &n));
		ASSERT_EQ(NOACT, n);
		ASSERT_OK(mx_handle_close(a));
	}

	ASSERT_OK(mx_socket_create(MX_SOCKET_HAS_CONTROL | MX_SOCKET_DATAGRAM,
				   &a, &b));
	/* a size of 0, then too big, then the slot */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_socket_write(a, CTL, "x", 0, &n));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_socket_write(a, CTL, NULL, 0, &n));
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE,
		      mx_socket_write(a, CTL, wbuf, CTLMAX + 1, &n));
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE,
		      mx_socket_write(a, CTL, bad, CTLMAX + 1, &n));
	ASSERT_EQ(ERANGE, raw_io(MXCHAN_IOC_SOCKET_WRITE, a, CTL, wbuf,
				 GIB4 + 1, &n));
	ASSERT_EQ(NOACT, n);
	ASSERT_EQ(W | CW | LAST, state(a));
	ASSERT_EQ(W | CW | LAST, state(b));
	/* a fault: INVALID_ARGS, the slot still empty */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_socket_write(a, CTL, bad, 5, &n));
	edge = mxt_edge_ptr(10);
	ASSERT_NE(NULL, edge);
	memcpy(edge, "0123456789", 10);
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_socket_write(a, CTL, edge, 20, &n));
	ASSERT_EQ(NOACT, n);
	ASSERT_EQ(W | CW | LAST, state(a));
	ASSERT_EQ(W | CW | LAST, state(b));
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT, mx_socket_read(b, CTL, rbuf, 100, &n));
	/* the largest message */
	fill(wbuf, CTLMAX, 0, 7);
	ASSERT_OK(mx_socket_write(a, CTL, wbuf, CTLMAX, &n));
	ASSERT_EQ(CTLMAX, n);
	n = NOACT;
	ASSERT_EQ(W | LAST, state(a));
	ASSERT_EQ(W | CR | CW | LAST, state(b));
	/* full slot: the size checks still first */
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT, mx_socket_write(a, CTL, "x", 1, &n));
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT, mx_socket_write(a, CTL, bad, 1, &n));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_socket_write(a, CTL, "x", 0, &n));
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE,
		      mx_socket_write(a, CTL, wbuf, CTLMAX + 1, &n));
	ASSERT_EQ(NOACT, n);
	/* the data plane is apart: no bytes queued by any of it */
	ASSERT_EQ(0, queued(b));
	/* a read that faults keeps the message */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_socket_read(b, CTL, bad, 100, &n));
	edge = mxt_edge_ptr(100);
	ASSERT_NE(NULL, edge);
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_socket_read(b, CTL, edge, CTLMAX, &n));
	ASSERT_EQ(NOACT, n);
	ASSERT_EQ(W | CR | CW | LAST, state(b));
	ASSERT_EQ(W | LAST, state(a));
	/* a short read takes the message: the rest is discarded */
	memset(rbuf, 0, 200);
	ASSERT_OK(mx_socket_read(b, CTL, rbuf, 100, &n));
	ASSERT_EQ(100, n);
	ASSERT_PAT(rbuf, 100, 0, 7);
	ASSERT_EQ(0, rbuf[100]);
	ASSERT_EQ(W | CW | LAST, state(b));
	ASSERT_EQ(W | CW | LAST, state(a));
	n = NOACT;
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT, mx_socket_read(b, CTL, rbuf, 100, &n));
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT, mx_socket_read(b, CTL, bad, 100, &n));
	ASSERT_EQ(NOACT, n);
	/* a bigger buffer: the message's length */
	ASSERT_OK(mx_socket_write(a, CTL, "ab", 2, NULL));
	ASSERT_OK(mx_socket_read(b, CTL, rbuf, CTLMAX * 2, &n));
	ASSERT_EQ(2, n);
	ASSERT_EQ(0, memcmp(rbuf, "ab", 2));

	/* shutdowns leave the control plane alone */
	ASSERT_OK(mx_socket_write(a, SHUT_R | SHUT_W, NULL, 0, NULL));
	ASSERT_OK(mx_socket_write(a, CTL, "cd", 2, NULL));
	ASSERT_OK(mx_socket_write(b, CTL, "ef", 2, NULL));
	ASSERT_OK(mx_socket_read(b, CTL, rbuf, 10, &n));
	ASSERT_EQ(2, n);
	ASSERT_EQ(0, memcmp(rbuf, "cd", 2));
	ASSERT_EQ(WD | RD | CR | CW | LAST, state(a));
	ASSERT_EQ(WD | RD | LAST, state(b));

	/* the peer closed: control state untouched, writes PEER_CLOSED */
	ASSERT_OK(mx_handle_close(b));
	ASSERT_EQ(WD | RD | CR | CW | PC | LAST, state(a));
	n = NOACT;
	ASSERT_STATUS(MX_ERR_PEER_CLOSED, mx_socket_write(a, CTL, "x", 1, &n));
	/* ... after the sizes */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_socket_write(a, CTL, "x", 0, &n));
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE,
		      mx_socket_write(a, CTL, wbuf, CTLMAX + 1, &n));
	ASSERT_EQ(NOACT, n);
	/* what the peer sent before it closed is still there */
	ASSERT_OK(mx_socket_read(a, CTL, rbuf, 10, &n));
	ASSERT_EQ(2, n);
	ASSERT_EQ(0, memcmp(rbuf, "ef", 2));
	ASSERT_EQ(WD | RD | CW | PC | LAST, state(a));
	n = NOACT;
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT, mx_socket_read(a, CTL, rbuf, 10, &n));
	ASSERT_EQ(NOACT, n);
	ASSERT_OK(mx_handle_close(a));
}

/* ---- shutdown ---- */

TEST_F(socket, shutdown_orders)
{
	mx_handle_t a, b;
	size_t n;

	/* write, twice: the second changes nothing */
	ASSERT_OK(mx_socket_create(0, &a, &b));
	ASSERT_OK(mx_socket_write(b, 0, "xyz", 3, NULL));
	ASSERT_OK(mx_socket_write(a, SHUT_W, NULL, 0, NULL));
	ASSERT_EQ(WD | R | LAST, state(a));
	ASSERT_EQ(W | RD | LAST, state(b));
	ASSERT_OK(mx_socket_write(a, SHUT_W, NULL, 0, NULL));
	ASSERT_EQ(WD | R | LAST, state(a));
	ASSERT_EQ(W | RD | LAST, state(b));
	ASSERT_STATUS(MX_ERR_BAD_STATE, mx_socket_write(a, 0, "x", 1, NULL));
	ASSERT_STATUS(MX_ERR_BAD_STATE, mx_socket_read(b, 0, rbuf, 1, NULL));
	/* the other way still works */
	ASSERT_OK(mx_socket_write(b, 0, "uvw", 3, NULL));
	ASSERT_EQ(6, queued(a));
	/* then read on a: a's data stays readable until read */
	ASSERT_OK(mx_socket_write(a, SHUT_R, NULL, 0, NULL));
	ASSERT_EQ(WD | R | LAST, state(a));
	ASSERT_EQ(WD | RD | LAST, state(b));
	ASSERT_STATUS(MX_ERR_BAD_STATE, mx_socket_write(b, 0, "x", 1, NULL));
	ASSERT_OK(mx_socket_read(a, 0, rbuf, 4, &n));
	ASSERT_EQ(4, n);
	ASSERT_EQ(0, memcmp(rbuf, "xyzu", 4));
	ASSERT_EQ(WD | R | LAST, state(a));
	ASSERT_OK(mx_socket_read(a, 0, rbuf, 4, &n));
	ASSERT_EQ(2, n);
	ASSERT_EQ(0, memcmp(rbuf, "vw", 2));
	ASSERT_EQ(WD | RD | LAST, state(a));
	ASSERT_STATUS(MX_ERR_BAD_STATE, mx_socket_read(a, 0, rbuf, 4, &n));
	/* both, from either end: nothing more to change */
	ASSERT_OK(mx_socket_write(a, SHUT_R | SHUT_W, NULL, 0, NULL));
	ASSERT_OK(mx_socket_write(b, SHUT_R | SHUT_W, NULL, 0, NULL));
	ASSERT_OK(mx_socket_write(b, SHUT_R, NULL, 0, NULL));
	ASSERT_EQ(WD | RD | LAST, state(a));
	ASSERT_EQ(WD | RD | LAST, state(b));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_EQ(WD | RD | PC | LAST, state(b));
	ASSERT_OK(mx_handle_close(b));

	/* both at once, empty: every bit on both ends now */
	ASSERT_OK(mx_socket_create(MX_SOCKET_DATAGRAM, &a, &b));
	ASSERT_OK(mx_socket_write(a, SHUT_R | SHUT_W, NULL, 0, NULL));
	ASSERT_EQ(WD | RD | LAST, state(a));
	ASSERT_EQ(WD | RD | LAST, state(b));
	ASSERT_STATUS(MX_ERR_BAD_STATE, mx_socket_write(b, 0, "x", 1, NULL));
	ASSERT_STATUS(MX_ERR_BAD_STATE, mx_socket_read(a, 0, rbuf, 1, NULL));
	ASSERT_OK(mx_handle_close(b));
	ASSERT_EQ(WD | RD | PC | LAST, state(a));
	ASSERT_OK(mx_handle_close(a));

	/* read on a datagram end with two queued: READ_DISABLED after both */
	ASSERT_OK(mx_socket_create(MX_SOCKET_DATAGRAM, &a, &b));
	ASSERT_OK(mx_socket_write(b, 0, "first", 5, NULL));
	ASSERT_OK(mx_socket_write(b, 0, "second", 6, NULL));
	ASSERT_OK(mx_socket_write(a, SHUT_R, NULL, 0, NULL));
	ASSERT_EQ(W | R | LAST, state(a));
	ASSERT_EQ(WD | LAST, state(b));
	ASSERT_OK(mx_socket_read(a, 0, rbuf, 2, &n));	/* cut short */
	ASSERT_EQ(2, n);
	ASSERT_EQ(W | R | LAST, state(a));
	ASSERT_OK(mx_socket_read(a, 0, rbuf, 2, &n));
	ASSERT_EQ(2, n);
	ASSERT_EQ(0, memcmp(rbuf, "se", 2));
	ASSERT_EQ(W | RD | LAST, state(a));
	ASSERT_STATUS(MX_ERR_BAD_STATE, mx_socket_read(a, 0, rbuf, 10, &n));
	/* a still writes to b */
	ASSERT_OK(mx_socket_write(a, 0, "back", 4, NULL));
	ASSERT_OK(mx_socket_read(b, 0, rbuf, 10, &n));
	ASSERT_EQ(4, n);
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));

	/* the peer closed first: only this end changes, and data stays */
	ASSERT_OK(mx_socket_create(0, &a, &b));
	ASSERT_OK(mx_socket_write(b, 0, "left", 4, NULL));
	ASSERT_OK(mx_handle_close(b));
	ASSERT_EQ(R | PC | LAST, state(a));
	ASSERT_OK(mx_socket_write(a, SHUT_W, NULL, 0, NULL));
	ASSERT_EQ(R | WD | PC | LAST, state(a));
	ASSERT_OK(mx_socket_write(a, SHUT_R, NULL, 0, NULL));
	ASSERT_EQ(R | WD | PC | LAST, state(a));
	ASSERT_OK(mx_socket_read(a, 0, rbuf, 10, &n));
	ASSERT_EQ(4, n);
	ASSERT_EQ(0, memcmp(rbuf, "left", 4));
	ASSERT_EQ(RD | WD | PC | LAST, state(a));
	/* empty and peer closed: PEER_CLOSED wins over read-disabled */
	ASSERT_STATUS(MX_ERR_PEER_CLOSED, mx_socket_read(a, 0, rbuf, 10, &n));
	ASSERT_OK(mx_handle_close(a));
}

/*
 * Magenta returned from a shutdown before it looked at actual: it is
 * neither written nor able to fail the call.
 */
TEST_F(socket, shutdown_leaves_actual)
{
	mx_handle_t a, b;
	size_t n = NOACT;

	ASSERT_OK(mx_socket_create(0, &a, &b));
	ASSERT_OK(mx_socket_write(a, SHUT_W, NULL, 0, &n));
	ASSERT_EQ(NOACT, n);
	ASSERT_EQ(WD | LAST, state(a));
	ASSERT_OK(mx_socket_write(b, SHUT_W, NULL, 0, mxt_bad_ptr()));
	ASSERT_EQ(WD | RD | LAST, state(b));
	ASSERT_EQ(WD | RD | LAST, state(a));
	ASSERT_EQ(0, raw_io(MXCHAN_IOC_SOCKET_WRITE, a, SHUT_R, NULL, 0,
			    mxt_bad_ptr()));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
}

/* ---- signals ---- */

TEST_F(socket, signals_full_and_empty)
{
	mx_handle_t a, b;
	size_t n;

	ASSERT_OK(mx_socket_create(0, &a, &b));
	fill(wbuf, 2 * MAXB, 0, 8);
	/* one byte short of full */
	ASSERT_OK(mx_socket_write(a, 0, wbuf, MAXB - 1, &n));
	ASSERT_EQ(MAXB - 1, n);
	ASSERT_EQ(W | LAST, state(a));
	ASSERT_EQ(R | W | LAST, state(b));
	/* the last byte fills it: WRITABLE goes */
	ASSERT_OK(mx_socket_write(a, 0, wbuf + MAXB - 1, 5, &n));
	ASSERT_EQ(1, n);
	ASSERT_EQ(LAST, state(a));
	n = NOACT;
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT, mx_socket_write(a, 0, wbuf, 1, &n));
	ASSERT_EQ(NOACT, n);
	/* one byte read gives it back */
	ASSERT_OK(mx_socket_read(b, 0, rbuf, 1, &n));
	ASSERT_EQ(1, n);
	ASSERT_EQ(W | LAST, state(a));
	ASSERT_EQ(R | W | LAST, state(b));
	ASSERT_OK(mx_socket_write(a, 0, wbuf + MAXB, 2, &n));
	ASSERT_EQ(1, n);
	ASSERT_EQ(LAST, state(a));
	/* all of it, in order: READABLE goes, WRITABLE comes */
	ASSERT_OK(mx_socket_read(b, 0, rbuf + 1, 2 * MAXB, &n));
	ASSERT_EQ(MAXB, n);
	ASSERT_PAT(rbuf, MAXB + 1, 0, 8);
	ASSERT_EQ(W | LAST, state(a));
	ASSERT_EQ(W | LAST, state(b));

	/* both ways full at once */
	ASSERT_OK(mx_socket_write(a, 0, wbuf, MAXB, &n));
	ASSERT_OK(mx_socket_write(b, 0, wbuf, MAXB + 1, &n));
	ASSERT_EQ(MAXB, n);
	ASSERT_EQ(R | LAST, state(a));
	ASSERT_EQ(R | LAST, state(b));
	/* a partial read: READABLE stays, WRITABLE comes back */
	ASSERT_OK(mx_socket_read(a, 0, rbuf, 1000, &n));
	ASSERT_EQ(R | LAST, state(a));
	ASSERT_EQ(R | W | LAST, state(b));
	ASSERT_OK(mx_socket_read(a, 0, rbuf, 2 * MAXB, &n));
	ASSERT_EQ(MAXB - 1000, n);
	ASSERT_OK(mx_socket_read(b, 0, rbuf, 2 * MAXB, &n));
	ASSERT_EQ(MAXB, n);
	ASSERT_EQ(W | LAST, state(a));
	ASSERT_EQ(W | LAST, state(b));

	/* a full buffer read by a read-disabled end: no WRITABLE to a */
	ASSERT_OK(mx_socket_write(a, 0, wbuf, MAXB, &n));
	ASSERT_EQ(LAST, state(a));
	ASSERT_OK(mx_socket_write(b, SHUT_R, NULL, 0, NULL));
	ASSERT_EQ(WD | LAST, state(a));
	ASSERT_EQ(R | W | LAST, state(b));
	ASSERT_OK(mx_socket_read(b, 0, rbuf, 10, &n));
	ASSERT_EQ(WD | LAST, state(a));
	ASSERT_OK(mx_socket_read(b, 0, rbuf, 2 * MAXB, &n));
	ASSERT_EQ(MAXB - 10, n);
	ASSERT_EQ(W | RD | LAST, state(b));
	ASSERT_EQ(WD | LAST, state(a));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));

	/* a full buffer whose writer closed: readable, then PEER_CLOSED */
	ASSERT_OK(mx_socket_create(0, &a, &b));
	ASSERT_OK(mx_socket_write(a, 0, wbuf, MAXB, &n));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_EQ(R | PC | LAST, state(b));
	ASSERT_OK(mx_socket_read(b, 0, rbuf, 100, &n));
	ASSERT_EQ(R | PC | LAST, state(b));
	ASSERT_OK(mx_socket_read(b, 0, rbuf, 2 * MAXB, &n));
	ASSERT_EQ(MAXB - 100, n);
	ASSERT_EQ(PC | LAST, state(b));
	ASSERT_STATUS(MX_ERR_PEER_CLOSED, mx_socket_read(b, 0, rbuf, 1, &n));
	ASSERT_OK(mx_handle_close(b));

	/* datagrams: the largest fills the buffer; a short read empties it */
	ASSERT_OK(mx_socket_create(MX_SOCKET_DATAGRAM, &a, &b));
	ASSERT_OK(mx_socket_write(a, 0, wbuf, MAXB, &n));
	ASSERT_EQ(MAXB, n);
	ASSERT_EQ(LAST, state(a));
	ASSERT_EQ(R | W | LAST, state(b));
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT, mx_socket_write(a, 0, wbuf, 1, &n));
	ASSERT_OK(mx_socket_read(b, 0, rbuf, 100, &n));
	ASSERT_EQ(100, n);
	ASSERT_PAT(rbuf, 100, 0, 8);
	ASSERT_EQ(0, queued(b));
	ASSERT_EQ(W | LAST, state(a));
	ASSERT_EQ(W | LAST, state(b));
	/* two that fill it; the first read gives WRITABLE back */
	ASSERT_OK(mx_socket_write(a, 0, wbuf, MAXB - 24, &n));
	ASSERT_EQ(W | LAST, state(a));
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT, mx_socket_write(a, 0, wbuf, 25, &n));
	ASSERT_OK(mx_socket_write(a, 0, wbuf + 7, 24, &n));
	ASSERT_EQ(24, n);
	ASSERT_EQ(LAST, state(a));
	ASSERT_EQ(MAXB, queued(b));
	ASSERT_OK(mx_socket_read(b, 0, rbuf, 2 * MAXB, &n));
	ASSERT_EQ(MAXB - 24, n);
	ASSERT_EQ(W | LAST, state(a));
	ASSERT_EQ(R | W | LAST, state(b));
	ASSERT_OK(mx_socket_read(b, 0, rbuf, 2 * MAXB, &n));
	ASSERT_EQ(24, n);
	ASSERT_PAT(rbuf, 24, 7, 8);
	ASSERT_EQ(W | LAST, state(b));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
}

/* A datagram is all or nothing, whatever its size. */
TEST_F(socket, datagram_sizes)
{
	mx_handle_t a, b;
	size_t n;

	ASSERT_OK(mx_socket_create(MX_SOCKET_DATAGRAM, &a, &b));
	fill(wbuf, 2 * MAXB, 0, 9);
	/* one byte queued: the largest no longer fits, one less does */
	ASSERT_OK(mx_socket_write(a, 0, wbuf, 1, &n));
	n = NOACT;
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT, mx_socket_write(a, 0, wbuf, MAXB, &n));
	ASSERT_EQ(NOACT, n);
	ASSERT_EQ(1, queued(b));
	ASSERT_OK(mx_socket_write(a, 0, wbuf + 1, MAXB - 1, &n));
	ASSERT_EQ(MAXB - 1, n);
	ASSERT_EQ(LAST, state(a));
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT, mx_socket_write(a, 0, wbuf, 1, &n));
	ASSERT_OK(mx_socket_read(b, 0, rbuf, 10, &n));
	ASSERT_EQ(1, n);
	ASSERT_EQ(pat(0, 9), rbuf[0]);
	ASSERT_EQ(MAXB - 1, queued(b));
	memset(rbuf, 0, MAXB + 1);
	ASSERT_OK(mx_socket_read(b, 0, rbuf, MAXB, &n));
	ASSERT_EQ(MAXB - 1, n);
	ASSERT_PAT(rbuf, MAXB - 1, 1, 9);
	ASSERT_EQ(0, rbuf[MAXB - 1]);
	/* a datagram of one byte, of 1024, across the buffer's pages */
	ASSERT_OK(mx_socket_write(a, 0, wbuf + 3, 1, &n));
	ASSERT_OK(mx_socket_write(a, 0, wbuf + 5, 1024, &n));
	ASSERT_OK(mx_socket_write(a, 0, wbuf + 7, 9000, &n));
	ASSERT_EQ(1 + 1024 + 9000, queued(b));
	ASSERT_OK(mx_socket_read(b, 0, rbuf, 9000, &n));
	ASSERT_EQ(1, n);
	ASSERT_EQ(pat(3, 9), rbuf[0]);
	ASSERT_OK(mx_socket_read(b, 0, rbuf, 9000, &n));
	ASSERT_EQ(1024, n);
	ASSERT_PAT(rbuf, 1024, 5, 9);
	ASSERT_OK(mx_socket_read(b, 0, rbuf, 9000, &n));
	ASSERT_EQ(9000, n);
	ASSERT_PAT(rbuf, 9000, 7, 9);
	/* a read into a buffer of no size reads nothing, as Magenta's */
	ASSERT_OK(mx_socket_write(a, 0, "kept", 4, NULL));
	ASSERT_OK(mx_socket_write(a, 0, "next", 4, NULL));
	n = NOACT;
	ASSERT_OK(mx_socket_read(b, 0, rbuf, 0, &n));
	ASSERT_EQ(0, n);
	ASSERT_EQ(8, queued(b));
	ASSERT_OK(mx_socket_read(b, 0, rbuf, 10, &n));
	ASSERT_EQ(4, n);
	ASSERT_EQ(0, memcmp(rbuf, "kept", 4));
	ASSERT_EQ(4, queued(b));
	ASSERT_OK(mx_socket_read(b, 0, rbuf, 10, &n));
	ASSERT_EQ(4, n);
	ASSERT_EQ(0, memcmp(rbuf, "next", 4));
	ASSERT_EQ(W | LAST, state(b));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
}

/*
 * mxchan's own rule: each queued datagram also takes 4 bytes of the
 * 262,144-byte buffer, so 64-byte datagrams fill it (68 bytes each) with
 * 3855 of them, 246,720 bytes of data.
 */
TEST_F(socket, datagram_headers)
{
	const size_t per = 64, fit = 262144 / (per + 4);
	mx_handle_t a, b;
	size_t i, n;

	ASSERT_EQ(3855, fit);
	ASSERT_LT(fit * per, MAXB);
	ASSERT_OK(mx_socket_create(MX_SOCKET_DATAGRAM, &a, &b));
	fill(wbuf, per * (fit + 2), 0, 10);
	for (i = 0; i < fit; i++) {
		ASSERT_STATUS_LOG(MX_OK,
				  mx_socket_write(a, 0, wbuf + i * per, per, &n),
				  "datagram %zu", i);
		ASSERT_EQ(per, n);
	}
	n = NOACT;
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_socket_write(a, 0, wbuf + fit * per, per, &n));
	ASSERT_EQ(NOACT, n);
	ASSERT_EQ(fit * per, queued(b));
	/* one read makes room for one more */
	ASSERT_OK(mx_socket_read(b, 0, rbuf, 2 * per, &n));
	ASSERT_EQ(per, n);
	ASSERT_PAT(rbuf, per, 0, 10);
	ASSERT_OK(mx_socket_write(a, 0, wbuf + fit * per, per, &n));
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_socket_write(a, 0, wbuf, per, &n));
	/* and all come out whole, in order, across the ring's wrap */
	for (i = 1; i <= fit; i++) {
		ASSERT_STATUS_LOG(MX_OK,
				  mx_socket_read(b, 0, rbuf, 2 * per, &n),
				  "datagram %zu", i);
		ASSERT_EQ(per, n);
		ASSERT_PAT(rbuf, per, i * per, 10);
	}
	ASSERT_EQ(0, queued(b));
	ASSERT_EQ(W | LAST, state(b));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
}

TEST_F(socket, user_signals)
{
	static const mx_signals_t not_user[] = {
		R, W, PC, RD, WD, CR, CW, LAST, MX_EVENT_SIGNALED, 0x100,
		0x00800000u,
	};
	mx_handle_t a, b, s, p;
	uint32_t i;

	ASSERT_OK(mx_socket_create(MX_SOCKET_HAS_CONTROL, &a, &b));
	ASSERT_OK(mx_object_signal(a, 0, MX_USER_SIGNAL_0 | MX_USER_SIGNAL_7));
	ASSERT_EQ(W | CW | LAST | MX_USER_SIGNAL_0 | MX_USER_SIGNAL_7,
		  state(a));
	ASSERT_EQ(W | CW | LAST, state(b));
	ASSERT_OK(mx_object_signal_peer(a, 0, MX_USER_SIGNAL_3));
	ASSERT_EQ(W | CW | LAST | MX_USER_SIGNAL_3, state(b));
	ASSERT_OK(mx_object_signal(a, MX_USER_SIGNAL_0, 0));
	ASSERT_OK(mx_object_signal_peer(b, MX_USER_SIGNAL_7,
					MX_USER_SIGNAL_1));
	ASSERT_EQ(W | CW | LAST | MX_USER_SIGNAL_1, state(a));
	/* only user signals, set or cleared, here or on the peer */
	for (i = 0; i < sizeof(not_user) / sizeof(not_user[0]); i++) {
		ASSERT_STATUS(MX_ERR_INVALID_ARGS,
			      mx_object_signal(a, 0, not_user[i]));
		ASSERT_STATUS(MX_ERR_INVALID_ARGS,
			      mx_object_signal(a, not_user[i], 0));
		ASSERT_STATUS(MX_ERR_INVALID_ARGS,
			      mx_object_signal_peer(a, 0, not_user[i]));
		ASSERT_STATUS(MX_ERR_INVALID_ARGS,
			      mx_object_signal_peer(a, not_user[i], 0));
	}
	ASSERT_EQ(W | CW | LAST | MX_USER_SIGNAL_1, state(a));
	ASSERT_EQ(W | CW | LAST | MX_USER_SIGNAL_3, state(b));
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
	ASSERT_EQ(W | CW | LAST | MX_USER_SIGNAL_1 | MX_USER_SIGNAL_2,
		  state(a));
	ASSERT_EQ(W | CW | LAST | MX_USER_SIGNAL_3 | MX_USER_SIGNAL_4,
		  state(b));
	/* the peer gone: PEER_CLOSED, WRITABLE gone, control bits kept */
	ASSERT_OK(mx_handle_close(b));
	ASSERT_EQ(PC | CW | LAST | MX_USER_SIGNAL_1 | MX_USER_SIGNAL_2,
		  state(a));
	ASSERT_STATUS(MX_ERR_PEER_CLOSED,
		      mx_object_signal_peer(a, 0, MX_USER_SIGNAL_0));
	ASSERT_STATUS(MX_ERR_PEER_CLOSED,
		      mx_object_signal_peer(a, MX_USER_SIGNAL_0, 0));
	/* the mask is checked first */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_object_signal_peer(a, 0, R));
	ASSERT_OK(mx_object_signal(a, MX_USER_SIGNAL_1 | MX_USER_SIGNAL_2, 0));
	ASSERT_EQ(PC | CW | LAST, state(a));
	ASSERT_OK(mx_handle_close(a));
}

/* ---- faults ---- */

/*
 * A stream keeps what it could copy: a fault part-way is a short write;
 * on the very first byte, SHOULD_WAIT (Magenta's). A read that faults is
 * INVALID_ARGS with the bytes still queued.
 */
TEST_F(socket, stream_faults)
{
	unsigned char *src, *dst, *ro;
	void *bad = mxt_bad_ptr();
	mx_handle_t a, b;
	size_t n;

	ASSERT_OK(mx_socket_create(0, &a, &b));
	/* from nowhere: SHOULD_WAIT, nothing queued, actual untouched */
	n = NOACT;
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT, mx_socket_write(a, 0, bad, 10, &n));
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_socket_write(a, 0, bad, 2 * MAXB, &n));
	ASSERT_EQ(NOACT, n);
	ASSERT_EQ(W | LAST, state(a));
	ASSERT_EQ(W | LAST, state(b));
	ASSERT_EQ(0, queued(b));
	/* from memory that ends after 100 bytes: those 100 */
	src = mxt_edge_ptr(100);
	ASSERT_NE(NULL, src);
	fill(src, 100, 0, 11);
	ASSERT_OK(mx_socket_write(a, 0, src, 1000, &n));
	ASSERT_EQ(100, n);
	ASSERT_EQ(100, queued(b));
	ASSERT_EQ(R | W | LAST, state(b));
	/* and 1 */
	ASSERT_OK(mx_socket_write(a, 0, src + 99, 2, &n));
	ASSERT_EQ(1, n);
	memset(rbuf, 0, 200);
	ASSERT_OK(mx_socket_read(b, 0, rbuf, 1000, &n));
	ASSERT_EQ(101, n);
	ASSERT_PAT(rbuf, 100, 0, 11);
	ASSERT_EQ(pat(99, 11), rbuf[100]);
	/* a read-only source is fine: the kernel only reads it */
	fill(wbuf, 200, 0, 12);
	ro = ro_page(wbuf, 200);
	ASSERT_NE(NULL, ro);
	ASSERT_OK(mx_socket_write(a, 0, ro, 200, &n));
	ASSERT_EQ(200, n);

	/* reads that fault: INVALID_ARGS, the 200 bytes stay queued */
	n = NOACT;
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_socket_read(b, 0, bad, 200, &n));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_socket_read(b, 0, ro, 200, &n));
	dst = mxt_edge_ptr(10);
	ASSERT_NE(NULL, dst);
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_socket_read(b, 0, dst, 200, &n));
	ASSERT_EQ(NOACT, n);
	ASSERT_EQ(200, queued(b));
	ASSERT_EQ(R | W | LAST, state(b));
	/* what fits in the edge: taken */
	ASSERT_OK(mx_socket_read(b, 0, dst, 10, &n));
	ASSERT_EQ(10, n);
	ASSERT_PAT(dst, 10, 0, 12);
	ASSERT_OK(mx_socket_read(b, 0, rbuf, 1000, &n));
	ASSERT_EQ(190, n);
	ASSERT_PAT(rbuf, 190, 10, 12);
	munmap(ro, 4096);

	/* a full buffer: a read that faults gives WRITABLE back to no one */
	fill(wbuf, MAXB, 0, 13);
	ASSERT_OK(mx_socket_write(a, 0, wbuf, MAXB, &n));
	ASSERT_EQ(LAST, state(a));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_socket_read(b, 0, bad, 100, &n));
	ASSERT_EQ(LAST, state(a));
	ASSERT_EQ(MAXB, queued(b));
	/* and the data is not looked at when nothing can be written */
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT, mx_socket_write(a, 0, bad, 10, &n));
	ASSERT_OK(mx_socket_read(b, 0, rbuf, 2 * MAXB, &n));
	ASSERT_EQ(MAXB, n);
	ASSERT_PAT(rbuf, MAXB, 0, 13);
	/* a fault part-way across the buffer's pages, near its end */
	ASSERT_OK(mx_socket_write(a, 0, wbuf, MAXB - 5000, &n));
	ASSERT_OK(mx_socket_read(b, 0, rbuf, 2 * MAXB, &n));
	src = mxt_edge_ptr(3000);
	ASSERT_NE(NULL, src);
	fill(src, 3000, 0, 14);
	ASSERT_OK(mx_socket_write(a, 0, src, 9000, &n));
	ASSERT_EQ(3000, n);
	ASSERT_OK(mx_socket_write(a, 0, src, 3000, &n));
	ASSERT_EQ(3000, n);
	ASSERT_OK(mx_socket_read(b, 0, rbuf, 2 * MAXB, &n));
	ASSERT_EQ(6000, n);
	ASSERT_PAT(rbuf, 3000, 0, 14);
	ASSERT_PAT(rbuf + 3000, 3000, 0, 14);
	/* order: PEER_CLOSED and BAD_STATE before the copy */
	ASSERT_OK(mx_socket_write(b, SHUT_R, NULL, 0, NULL));
	ASSERT_STATUS(MX_ERR_BAD_STATE, mx_socket_write(a, 0, bad, 10, &n));
	ASSERT_OK(mx_handle_close(b));
	ASSERT_STATUS(MX_ERR_PEER_CLOSED, mx_socket_write(a, 0, bad, 10, &n));
	ASSERT_OK(mx_handle_close(a));
}

/* A datagram that faults is not queued; one read that faults stays. */
TEST_F(socket, datagram_faults)
{
	void *bad = mxt_bad_ptr();
	unsigned char *src, *dst;
	mx_handle_t a, b;
	size_t n;

	ASSERT_OK(mx_socket_create(MX_SOCKET_DATAGRAM, &a, &b));
	n = NOACT;
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_socket_write(a, 0, bad, 10, &n));
	src = mxt_edge_ptr(100);
	ASSERT_NE(NULL, src);
	fill(src, 100, 0, 15);
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_socket_write(a, 0, src, 101, &n));
	ASSERT_EQ(NOACT, n);
	ASSERT_EQ(0, queued(b));
	ASSERT_EQ(W | LAST, state(b));
	/* one that crosses a page of the buffer, faulting in the second */
	fill(wbuf, 4000, 0, 16);
	ASSERT_OK(mx_socket_write(a, 0, wbuf, 4000, &n));
	ASSERT_OK(mx_socket_read(b, 0, rbuf, 4000, &n));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_socket_write(a, 0, src, 150, &n));
	ASSERT_EQ(0, queued(b));
	ASSERT_EQ(W | LAST, state(b));
	/* the ring is as it was: the next ones come out whole */
	ASSERT_OK(mx_socket_write(a, 0, src, 100, &n));
	ASSERT_EQ(100, n);
	ASSERT_OK(mx_socket_write(a, 0, "hello world", 11, &n));
	ASSERT_EQ(111, queued(b));
	/* reads that fault: the datagram stays, whole */
	n = NOACT;
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_socket_read(b, 0, bad, 100, &n));
	dst = mxt_edge_ptr(50);
	ASSERT_NE(NULL, dst);
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_socket_read(b, 0, dst, 100, &n));
	ASSERT_EQ(NOACT, n);
	ASSERT_EQ(111, queued(b));
	ASSERT_OK(mx_socket_read(b, 0, rbuf, 1000, &n));
	ASSERT_EQ(100, n);
	ASSERT_PAT(rbuf, 100, 0, 15);
	/* 50 bytes into a 50-byte edge: the rest discarded, no fault */
	ASSERT_OK(mx_socket_read(b, 0, dst, 50, &n));
	ASSERT_EQ(11, n);
	ASSERT_EQ(0, memcmp(dst, "hello world", 11));
	ASSERT_EQ(W | LAST, state(b));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
}

/*
 * actual is optional; when given, it is written last: one that cannot
 * be written is INVALID_ARGS with the bytes moved (queued, or taken).
 */
TEST_F(socket, actual_pointer)
{
	size_t *ptrs[3];
	mx_handle_t a, b;
	int i;

	ptrs[0] = mxt_bad_ptr();
	ptrs[1] = ro_page(NULL, 0);
	ptrs[2] = mxt_edge_ptr(sizeof(size_t) / 2);
	ASSERT_NE(NULL, ptrs[1]);
	ASSERT_NE(NULL, ptrs[2]);
	ASSERT_OK(mx_socket_create(MX_SOCKET_HAS_CONTROL, &a, &b));
	/* NULL everywhere */
	ASSERT_OK(mx_socket_write(a, 0, "abc", 3, NULL));
	ASSERT_OK(mx_socket_read(b, 0, NULL, 0, NULL));
	ASSERT_OK(mx_socket_write(a, CTL, "ctl", 3, NULL));
	ASSERT_OK(mx_socket_read(b, CTL, rbuf, 10, NULL));
	ASSERT_EQ(0, memcmp(rbuf, "ctl", 3));
	ASSERT_OK(mx_socket_read(b, 0, rbuf, 10, NULL));
	ASSERT_EQ(0, memcmp(rbuf, "abc", 3));
	ASSERT_EQ(0, queued(b));
	for (i = 0; i < 3; i++) {
		/* a write: queued, then INVALID_ARGS */
		fill(wbuf, 30, 0, 17 + i);
		ASSERT_STATUS_LOG(MX_ERR_INVALID_ARGS,
			      mx_socket_write(a, 0, wbuf, 30, ptrs[i]),
			"actual %d", i);
		ASSERT_EQ(30, queued(b));
		ASSERT_EQ(R | W | CW | LAST, state(b));
		/* the query: nothing changes */
		ASSERT_STATUS(MX_ERR_INVALID_ARGS,
			      mx_socket_read(b, 0, NULL, 0, ptrs[i]));
		ASSERT_EQ(30, queued(b));
		/* a read: taken, then INVALID_ARGS */
		memset(rbuf, 0, 40);
		ASSERT_STATUS(MX_ERR_INVALID_ARGS,
			      mx_socket_read(b, 0, rbuf, 40, ptrs[i]));
		ASSERT_PAT(rbuf, 30, 0, 17 + i);
		ASSERT_EQ(0, rbuf[30]);
		ASSERT_EQ(0, queued(b));
		ASSERT_EQ(W | CW | LAST, state(b));
		/* a write of nothing: 0 goes to actual */
		ASSERT_STATUS(MX_ERR_INVALID_ARGS,
			      mx_socket_write(a, 0, wbuf, 0, ptrs[i]));
		/* a control message: sent, then INVALID_ARGS */
		ASSERT_STATUS(MX_ERR_INVALID_ARGS,
			      mx_socket_write(a, CTL, "msg", 3, ptrs[i]));
		ASSERT_EQ(W | CR | CW | LAST, state(b));
		ASSERT_EQ(W | LAST, state(a));
		/* and taken, then INVALID_ARGS */
		memset(rbuf, 0, 8);
		ASSERT_STATUS(MX_ERR_INVALID_ARGS,
			      mx_socket_read(b, CTL, rbuf, 8, ptrs[i]));
		ASSERT_EQ(0, memcmp(rbuf, "msg", 4));
		ASSERT_EQ(W | CW | LAST, state(b));
		ASSERT_EQ(W | CW | LAST, state(a));
		/* raw: the same errno */
		ASSERT_EQ(EINVAL, raw_io(MXCHAN_IOC_SOCKET_WRITE, a, 0, "z", 1,
					 ptrs[i]));
		ASSERT_EQ(1, queued(b));
		ASSERT_OK(mx_socket_read(b, 0, rbuf, 1, NULL));
	}
	/* not looked at when the call fails before */
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_socket_read(b, 0, rbuf, 10, ptrs[0]));
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_socket_read(b, CTL, rbuf, 10, ptrs[0]));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_socket_write(a, 0x80, "x", 1, ptrs[0]));
	ASSERT_OK(mx_handle_close(b));
	ASSERT_STATUS(MX_ERR_PEER_CLOSED,
		      mx_socket_write(a, 0, "x", 1, ptrs[0]));
	ASSERT_OK(mx_handle_close(a));
	munmap(ptrs[1], 4096);
}

/* ---- waits ---- */

TEST_F(socket, waits)
{
	mx_time_t deadline = mx_deadline_after(MX_SEC(60));
	mx_signals_t seen = 0;
	mx_handle_t a, b;
	struct later l;
	size_t n;

	ASSERT_OK(mx_socket_create(MX_SOCKET_HAS_CONTROL, &a, &b));
	ASSERT_STATUS(MX_ERR_TIMED_OUT, mx_object_wait_one(b, R, 0, &seen));
	ASSERT_EQ(W | CW | LAST, seen);
	/* READABLE: woken by a write in another thread */
	later_start(&l, do_write, a, 100);
	seen = 0;
	ASSERT_OK(mx_object_wait_one(b, R, deadline, &seen));
	ASSERT_EQ(0, pthread_join(l.thread, NULL));
	ASSERT_OK(l.result);
	ASSERT_EQ(R | W | CW | LAST, seen);
	ASSERT_OK(mx_socket_read(b, 0, rbuf, 1000, &n));
	ASSERT_EQ(100, n);
	ASSERT_PAT(rbuf, 100, 0, 0);
	/* WRITABLE: a full buffer, woken by a read in another thread */
	ASSERT_OK(mx_socket_write(a, 0, wbuf, MAXB, &n));
	ASSERT_EQ(CW | LAST, state(a));
	later_start(&l, do_read, b, 10);
	seen = 0;
	ASSERT_OK(mx_object_wait_one(a, W, deadline, &seen));
	ASSERT_EQ(0, pthread_join(l.thread, NULL));
	ASSERT_OK(l.result);
	ASSERT_EQ(W | CW | LAST, seen);
	ASSERT_OK(mx_socket_read(b, 0, rbuf, MAXB, &n));
	ASSERT_EQ(MAXB - 10, n);
	/* CONTROL_READABLE: woken by a control message */
	later_start(&l, do_control, a, 0);
	seen = 0;
	ASSERT_OK(mx_object_wait_one(b, CR, deadline, &seen));
	ASSERT_EQ(0, pthread_join(l.thread, NULL));
	ASSERT_OK(l.result);
	ASSERT_EQ(W | CR | CW | LAST, seen);
	/* CONTROL_WRITABLE: woken by the peer taking the message */
	ASSERT_EQ(W | LAST, state(a));
	later_start(&l, do_read_control, b, 3);
	seen = 0;
	ASSERT_OK(mx_object_wait_one(a, CW, deadline, &seen));
	ASSERT_EQ(0, pthread_join(l.thread, NULL));
	ASSERT_OK(l.result);
	ASSERT_EQ(W | CW | LAST, seen);
	ASSERT_EQ(W | CW | LAST, state(b));
	/* READ_DISABLED: woken by the peer shutting down its writing */
	later_start(&l, do_shutdown, a, SHUT_W);
	seen = 0;
	ASSERT_OK(mx_object_wait_one(b, RD, deadline, &seen));
	ASSERT_EQ(0, pthread_join(l.thread, NULL));
	ASSERT_OK(l.result);
	ASSERT_EQ(W | CW | RD | LAST, seen);
	/* WRITE_DISABLED: by the peer shutting down its reading */
	later_start(&l, do_shutdown, a, SHUT_R);
	seen = 0;
	ASSERT_OK(mx_object_wait_one(b, WD, deadline, &seen));
	ASSERT_EQ(0, pthread_join(l.thread, NULL));
	ASSERT_OK(l.result);
	ASSERT_EQ(WD | CW | RD | LAST | W, seen);
	ASSERT_EQ(WD | CW | RD | LAST, state(b));
	/* PEER_CLOSED: woken by the close */
	later_start(&l, do_close, a, 0);
	seen = 0;
	ASSERT_OK(mx_object_wait_one(b, PC, deadline, &seen));
	ASSERT_EQ(0, pthread_join(l.thread, NULL));
	ASSERT_OK(l.result);
	ASSERT_EQ(WD | CW | RD | PC | LAST, seen);
	ASSERT_OK(mx_handle_close(b));
}

/* ---- transfer ---- */

/*
 * An end goes through a channel to another process (its own table) with
 * bytes already queued to it; the processes then talk through the
 * socket both ways, data and control, and the child's exit closes its
 * end.
 */
TEST_F(socket, transfer_to_process)
{
	mx_handle_t a, b, c0, c1, nt;
	unsigned char in[ECHO_BYTES];
	mx_koid_t koid;
	size_t n;
	pid_t pid;

	ASSERT_OK(mx_socket_create(MX_SOCKET_HAS_CONTROL, &a, &b));
	ASSERT_OK(mx_channel_create(0, &c0, &c1));
	koid = mxt_koid(b);
	/* a copy without TRANSFER cannot be sent, and stays */
	ASSERT_OK(mx_handle_duplicate(b, MX_RIGHT_READ | MX_RIGHT_WRITE, &nt));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_channel_write(c0, 0, &koid, sizeof(koid), &nt, 1));
	ASSERT_TRUE(mxt_valid(nt));
	ASSERT_OK(mx_handle_close(nt));
	/* 300 bytes queued to b before it travels */
	fill(in, ECHO_BYTES, 0, 1);
	ASSERT_OK(mx_socket_write(a, 0, in, 300, &n));
	ASSERT_EQ(300, n);
	ASSERT_OK(mx_channel_write(c0, 0, &koid, sizeof(koid), &b, 1));
	ASSERT_FALSE(mxt_valid(b));
	/* in flight it is alive: no PEER_CLOSED */
	ASSERT_EQ(W | CW | LAST, state(a));
	ASSERT_OK(mxt_spawn_self("echo", c1, &pid));
	ASSERT_FALSE(mxt_valid(c1));
	/* the rest after it left, and a control message */
	ASSERT_OK(mx_socket_write(a, 0, in + 300, ECHO_BYTES - 300, &n));
	ASSERT_EQ(ECHO_BYTES - 300, n);
	ASSERT_OK(mx_socket_write(a, CTL, "ping", 4, &n));
	ASSERT_EQ(0, mxt_reap(pid));
	/* its exit closed its end; what it wrote stays */
	ASSERT_EQ(R | CR | CW | PC | LAST, state(a));
	ASSERT_EQ(ECHO_BYTES, queued(a));
	memset(rbuf, 0, ECHO_BYTES + 1);
	ASSERT_OK(mx_socket_read(a, 0, rbuf, 2 * ECHO_BYTES, &n));
	ASSERT_EQ(ECHO_BYTES, n);
	ASSERT_PAT(rbuf, ECHO_BYTES, 0, 2);
	ASSERT_OK(mx_socket_read(a, CTL, rbuf, 100, &n));
	ASSERT_EQ(7, n);
	ASSERT_EQ(0, memcmp(rbuf, "re:ping", 7));
	ASSERT_EQ(CW | PC | LAST, state(a));
	ASSERT_STATUS(MX_ERR_PEER_CLOSED, mx_socket_read(a, 0, rbuf, 1, &n));
	ASSERT_STATUS(MX_ERR_PEER_CLOSED, mx_socket_write(a, 0, in, 1, &n));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(c0));
}

/* Every order of closing, with bytes queued or not: nothing is left. */
TEST_F(socket, close_orders)
{
	mx_handle_t a, b, a2, c0, c1, got, pair[2];
	uint32_t nh, h0 = 0, h1 = 0;
	int fd, i;
	size_t n;

	fill(wbuf, MAXB, 0, 20);
	for (i = 0; i < 8; i++) {
		/* end0 or end1 first, empty or full both ways, each option */
		uint32_t opt = (uint32_t)(i >> 2) * MX_SOCKET_DATAGRAM |
			       MX_SOCKET_HAS_CONTROL;
		mx_signals_t left = CW | PC | LAST;

		ASSERT_OK(mx_socket_create(opt, &a, &b));
		if (self->sockets >= 0)
			ASSERT_EQ(self->sockets + 2, sockets_live());
		if (i & 2) {
			ASSERT_OK(mx_socket_write(a, 0, wbuf, MAXB, &n));
			ASSERT_OK(mx_socket_write(b, 0, wbuf, MAXB, &n));
			ASSERT_OK(mx_socket_write(a, CTL, wbuf, 10, &n));
			ASSERT_OK(mx_socket_write(b, CTL, wbuf, 10, &n));
			left = R | CR | PC | LAST;
		}
		ASSERT_OK(mx_handle_close(i & 1 ? b : a));
		ASSERT_EQ(left, state(i & 1 ? a : b)) TH_LOG("case %d", i);
		ASSERT_OK(mx_handle_close(i & 1 ? a : b));
		ASSERT_ALL_GONE();
	}
	/* a copy keeps the end alive */
	ASSERT_OK(mx_socket_create(0, &a, &b));
	ASSERT_OK(mx_handle_duplicate(a, MX_RIGHT_SAME_RIGHTS, &a2));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_EQ(W | LAST, state(b));
	ASSERT_OK(mx_socket_write(a2, 0, wbuf, 8, &n));
	ASSERT_OK(mx_handle_close(a2));
	ASSERT_EQ(R | PC | LAST, state(b));
	ASSERT_OK(mx_handle_close(b));
	ASSERT_ALL_GONE();
	/* an end in a message is alive; it goes with the channel's queue */
	ASSERT_OK(mx_socket_create(0, &a, &b));
	ASSERT_OK(mx_channel_create(0, &c0, &c1));
	ASSERT_OK(mx_socket_write(a, 0, wbuf, 3000, &n));
	ASSERT_OK(mx_socket_write(b, 0, wbuf, 2000, &n));
	ASSERT_OK(mx_channel_write(c0, 0, NULL, 0, &b, 1));
	ASSERT_EQ(R | W | LAST, state(a));
	ASSERT_OK(mx_handle_close(c1));
	ASSERT_EQ(R | PC | LAST, state(a));
	ASSERT_OK(mx_handle_close(c0));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_ALL_GONE();
	/* both ends in one message, then the channel closed */
	ASSERT_OK(mx_socket_create(0, &pair[0], &pair[1]));
	ASSERT_OK(mx_socket_write(pair[0], 0, wbuf, MAXB, &n));
	ASSERT_OK(mx_channel_create(0, &c0, &c1));
	ASSERT_OK(mx_channel_write(c0, 0, NULL, 0, pair, 2));
	ASSERT_OK(mx_handle_close(c0));
	ASSERT_OK(mx_handle_close(c1));
	ASSERT_ALL_GONE();
	/* an end that went through a channel and came back */
	ASSERT_OK(mx_socket_create(0, &a, &b));
	ASSERT_OK(mx_channel_create(0, &c0, &c1));
	ASSERT_OK(mx_socket_write(a, 0, wbuf, 16, &n));
	ASSERT_OK(mx_channel_write(c0, 0, NULL, 0, &b, 1));
	ASSERT_OK(mx_channel_read(c1, 0, NULL, &got, 0, 1, NULL, &nh));
	ASSERT_EQ(1, nh);
	ASSERT_EQ(mxt_info(a).related_koid, mxt_koid(got));
	ASSERT_EQ(SOCKET_RIGHTS, mxt_rights(got));
	ASSERT_OK(mx_socket_read(got, 0, rbuf, 100, &n));
	ASSERT_EQ(16, n);
	ASSERT_PAT(rbuf, 16, 0, 20);
	ASSERT_OK(mx_socket_write(got, 0, wbuf, 8, &n));
	ASSERT_OK(mx_handle_close(got));
	ASSERT_EQ(R | PC | LAST, state(a));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(c0));
	ASSERT_OK(mx_handle_close(c1));
	ASSERT_ALL_GONE();
	/* a table that closes with both ends and bytes in it */
	fd = open(MXCHAN_DEVICE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	{
		struct mxchan_socket_create cc = {
			.options = MX_SOCKET_HAS_CONTROL,
			.out0 = (uintptr_t)&h0, .out1 = (uintptr_t)&h1,
		};
		struct mxchan_socket_io io = {
			.buffer = (uintptr_t)wbuf, .size = MAXB,
			.actual = (uintptr_t)&n,
		};

		ASSERT_EQ(0, ioctl(fd, MXCHAN_IOC_SOCKET_CREATE, &cc));
		io.handle = h0;
		ASSERT_EQ(0, ioctl(fd, MXCHAN_IOC_SOCKET_WRITE, &io));
		io.handle = h1;
		ASSERT_EQ(0, ioctl(fd, MXCHAN_IOC_SOCKET_WRITE, &io));
		ASSERT_EQ(MAXB, n);
		io.options = CTL;
		io.size = 5;
		ASSERT_EQ(0, ioctl(fd, MXCHAN_IOC_SOCKET_WRITE, &io));
	}
	ASSERT_EQ(0, close(fd));
	ASSERT_ALL_GONE();
}

/* ---- one writer at a time ---- */

static volatile sig_atomic_t usr1_count;

static void on_usr1(int sig)
{
	(void)sig;
	usr1_count++;
}

/* A write (or a read) in a thread of its own. */
struct writer {
	pthread_t thread;
	mx_handle_t h;
	bool read;
	void *buf;
	size_t size, n;
	pid_t tid;
	mx_status_t st;
};

static void *writer_thread(void *p)
{
	struct writer *w = p;

	__atomic_store_n(&w->tid, (pid_t)syscall(SYS_gettid),
			 __ATOMIC_RELEASE);
	w->n = NOACT;
	w->st = w->read ? mx_socket_read(w->h, 0, w->buf, w->size, &w->n) :
		mx_socket_write(w->h, 0, w->buf, w->size, &w->n);
	return NULL;
}

static bool thread_asleep(struct writer *w)
{
	int i;

	for (i = 0; i < 5000; i++) {
		if (__atomic_load_n(&w->tid, __ATOMIC_ACQUIRE) &&
		    mxt_asleep(w->tid))
			return true;
		usleep(1000);
	}
	return false;
}

/*
 * A writer held in its copy (a page whose first touch waits, with
 * userfaultfd) keeps a second writer waiting; a Linux signal to the
 * second restarts its call, which then waits again; the reader sees
 * nothing until the first is done, then both, in order.
 */
TEST_F(socket, one_writer_at_a_time)
{
	struct sigaction sa, old;
	struct writer w1, w2;
	struct mxt_stall st;
	mx_handle_t a, b;
	size_t n;
	int i;

	if (!mxt_stall_init(&st)) {
		mxt_stall_end(&st);
		SKIP(return, "no userfaultfd");
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;	/* no SA_RESTART: the kernel restarts */
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, &old));
	ASSERT_OK(mx_socket_create(0, &a, &b));
	memset(&w1, 0, sizeof(w1));
	memset(&w2, 0, sizeof(w2));
	w1.h = w2.h = a;
	w1.buf = st.page;
	w1.size = 4096;
	w2.buf = (void *)"BBBB";
	w2.size = 4;
	ASSERT_EQ(0, pthread_create(&w1.thread, NULL, writer_thread, &w1));
	ASSERT_TRUE(mxt_stall_hit(&st));
	ASSERT_EQ(0, pthread_create(&w2.thread, NULL, writer_thread, &w2));
	ASSERT_TRUE(thread_asleep(&w2));
	/* nothing published, and a reader does not wait for the writers */
	ASSERT_EQ(W | LAST, state(b));
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT, mx_socket_read(b, 0, rbuf, 10, &n));
	/* a signal: the handler runs, the call starts over and waits */
	usr1_count = 0;
	ASSERT_EQ(0, pthread_kill(w2.thread, SIGUSR1));
	for (i = 0; i < 5000 && !usr1_count; i++)
		usleep(1000);
	ASSERT_EQ(1, usr1_count);
	ASSERT_TRUE(thread_asleep(&w2));
	ASSERT_EQ(NOACT, w2.n);
	ASSERT_EQ(0, queued(b));
	/* the copy goes on */
	ASSERT_TRUE(mxt_stall_release(&st));
	ASSERT_EQ(0, pthread_join(w1.thread, NULL));
	ASSERT_EQ(0, pthread_join(w2.thread, NULL));
	ASSERT_OK(w1.st);
	ASSERT_EQ(4096, w1.n);
	ASSERT_OK(w2.st);
	ASSERT_EQ(4, w2.n);
	memset(rbuf, 0xa5, 4200);
	ASSERT_OK(mx_socket_read(b, 0, rbuf, 8192, &n));
	ASSERT_EQ(4100, n);
	for (i = 0; i < 4096; i++)
		ASSERT_EQ(0, rbuf[i]) TH_LOG("byte %d", i);
	ASSERT_EQ(0, memcmp(rbuf + 4096, "BBBB", 4));
	sigaction(SIGUSR1, &old, NULL);
	mxt_stall_end(&st);
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
}

/*
 * The same for readers: one held while it copies out keeps a second
 * waiting (a signal restarts it); writers go on meanwhile; the first
 * gets the first bytes, the second the next.
 */
TEST_F(socket, one_reader_at_a_time)
{
	struct sigaction sa, old;
	struct writer r1, r2;
	struct mxt_stall st;
	unsigned char got[8];
	mx_handle_t a, b;
	size_t n;
	int i;

	if (!mxt_stall_init(&st)) {
		mxt_stall_end(&st);
		SKIP(return, "no userfaultfd");
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, &old));
	ASSERT_OK(mx_socket_create(0, &a, &b));
	fill(wbuf, 8192, 0, 21);
	ASSERT_OK(mx_socket_write(a, 0, wbuf, 8192, &n));
	memset(&r1, 0, sizeof(r1));
	memset(&r2, 0, sizeof(r2));
	r1.h = r2.h = b;
	r1.read = r2.read = true;
	r1.buf = st.page;
	r1.size = 4096;
	memset(got, 0, sizeof(got));
	r2.buf = got;
	r2.size = 4;
	ASSERT_EQ(0, pthread_create(&r1.thread, NULL, writer_thread, &r1));
	ASSERT_TRUE(mxt_stall_hit(&st));
	ASSERT_EQ(0, pthread_create(&r2.thread, NULL, writer_thread, &r2));
	ASSERT_TRUE(thread_asleep(&r2));
	/* a writer does not wait for the readers */
	ASSERT_OK(mx_socket_write(a, 0, wbuf + 8192, 100, &n));
	ASSERT_EQ(100, n);
	usr1_count = 0;
	ASSERT_EQ(0, pthread_kill(r2.thread, SIGUSR1));
	for (i = 0; i < 5000 && !usr1_count; i++)
		usleep(1000);
	ASSERT_EQ(1, usr1_count);
	ASSERT_TRUE(thread_asleep(&r2));
	ASSERT_EQ(NOACT, r2.n);
	ASSERT_TRUE(mxt_stall_release(&st));
	ASSERT_EQ(0, pthread_join(r1.thread, NULL));
	ASSERT_EQ(0, pthread_join(r2.thread, NULL));
	ASSERT_OK(r1.st);
	ASSERT_EQ(4096, r1.n);
	ASSERT_PAT((unsigned char *)st.page, 4096, 0, 21);
	ASSERT_OK(r2.st);
	ASSERT_EQ(4, r2.n);
	ASSERT_PAT(got, 4, 4096, 21);
	ASSERT_EQ(8192 + 100 - 4100, queued(b));
	sigaction(SIGUSR1, &old, NULL);
	mxt_stall_end(&st);
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
}

/* ---- two streams, one each way, each end read and written at once ---- */

#define STREAM_BYTES (3u << 20)

struct stream {
	pthread_t thread;
	mx_handle_t h;
	unsigned int seed, pseed;	/* rand_r's, and the pattern's */
	uint32_t waits;
	int err;			/* 0, or the step that failed */
	unsigned char buf[65536];
};

static void *producer(void *p)
{
	struct stream *s = p;
	size_t done = 0, k, n;
	mx_signals_t seen;
	mx_status_t st;

	while (done < STREAM_BYTES) {
		k = 1 + (size_t)rand_r(&s->seed) % sizeof(s->buf);
		if (k > STREAM_BYTES - done)
			k = STREAM_BYTES - done;
		fill(s->buf, k, done, s->pseed);
		n = 0;
		st = mx_socket_write(s->h, 0, s->buf, k, &n);
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
	size_t done = 0, k, n;
	mx_signals_t seen;
	mx_status_t st;

	while (done < STREAM_BYTES) {
		k = 1 + (size_t)rand_r(&s->seed) % sizeof(s->buf);
		n = 0;
		st = mx_socket_read(s->h, 0, s->buf, k, &n);
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
		if (st != MX_OK || n == 0 || n > k ||
		    n > STREAM_BYTES - done) {
			s->err = 4;
			break;
		}
		if (unlike(s->buf, n, done, s->pseed) != n) {
			s->err = 5;
			break;
		}
		done += n;
	}
	return NULL;
}

TEST_F_TIMEOUT(socket, stream_both_ways, 300)
{
	static struct stream s[4];
	mx_handle_t a, b;
	int i;

	ASSERT_OK(mx_socket_create(0, &a, &b));
	memset(s, 0, sizeof(s));
	/* a -> b: pattern 30, b -> a: pattern 31 */
	s[0].h = a;
	s[1].h = b;
	s[0].pseed = s[1].pseed = 30;
	s[2].h = b;
	s[3].h = a;
	s[2].pseed = s[3].pseed = 31;
	for (i = 0; i < 4; i++) {
		s[i].seed = 0x5eed + (unsigned int)i;
		ASSERT_EQ(0, pthread_create(&s[i].thread, NULL, i & 1 ?
					    consumer : producer, &s[i]));
	}
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, pthread_join(s[i].thread, NULL));
		ASSERT_EQ(0, s[i].err) TH_LOG("thread %d", i);
	}
	TH_LOG("%u bytes each way; writers waited %u and %u times, "
	       "readers %u and %u", STREAM_BYTES, s[0].waits, s[2].waits,
	       s[1].waits, s[3].waits);
	ASSERT_EQ(W | LAST, state(a));
	ASSERT_EQ(W | LAST, state(b));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
}

/* ---- max_user_socket_pages ---- */

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
		mxt_param_restore("max_user_socket_pages", self->old);
}

/*
 * The buffers' pages are made as writes first reach them and charged to
 * the user who made the socket: a write that needs one past the limit
 * is NO_RESOURCES with nothing queued; closing a socket gives its pages
 * back; control messages take none.
 */
TEST_F(pages, max_user_socket_pages)
{
	const size_t full_pages = (MAXB + 4095) / 4096;	/* 63 */
	const long extra = 100;
	mx_handle_t a, b, c, d, e, f;
	long base, limit;
	char val[32];
	size_t n, got;
	int i;

	if (access("/sys/module/mxchan/parameters/max_user_socket_pages",
		   F_OK))
		SKIP(return, "no max_user_socket_pages parameter");
	base = pages_charged();
	if (base < 0)
		base = 0;
	limit = base + extra;
	snprintf(val, sizeof(val), "%ld", limit);
	if (mxt_param_set("max_user_socket_pages", val, self->old,
			  sizeof(self->old))) {
		self->old[0] = 0;
		SKIP(return, "cannot set max_user_socket_pages (not root?)");
	}
	TH_LOG("max_user_socket_pages %s -> %ld", self->old, limit);
	ASSERT_EQ(63, full_pages);
	fill(wbuf, MAXB, 0, 40);

	/* a fills one direction: 63 pages */
	ASSERT_OK(mx_socket_create(0, &a, &b));
	got = 0;
	for (i = 0; got < MAXB; i++) {
		ASSERT_STATUS_LOG(MX_OK,
				  mx_socket_write(a, 0, wbuf + got, 4096, &n),
				  "write %d", i);
		got += n;
	}
	ASSERT_EQ(MAXB, got);
	if (pages_charged() >= 0)
		ASSERT_EQ(base + (long)full_pages, pages_charged());
	/* c gets the other 37 pages, 4096 bytes each, then NO_RESOURCES */
	ASSERT_OK(mx_socket_create(0, &c, &d));
	got = 0;
	for (i = 0; i < (int)(extra - (long)full_pages); i++) {
		ASSERT_STATUS_LOG(MX_OK,
				  mx_socket_write(c, 0, wbuf + got, 4096, &n),
				  "write %d", i);
		ASSERT_EQ(4096, n);
		got += n;
	}
	ASSERT_EQ(37 * 4096, got);
	if (pages_charged() >= 0)
		ASSERT_EQ(limit, pages_charged());
	n = NOACT;
	ASSERT_STATUS(MX_ERR_NO_RESOURCES,
		      mx_socket_write(c, 0, wbuf + got, 4096, &n));
	ASSERT_STATUS(MX_ERR_NO_RESOURCES,
		      mx_socket_write(c, 0, wbuf + got, 1, &n));
	ASSERT_EQ(NOACT, n);
	/* nothing of those was queued */
	ASSERT_EQ(got, queued(d));
	ASSERT_EQ(R | W | LAST, state(d));
	ASSERT_EQ(W | LAST, state(c));
	/* the other direction and a new socket: no page to be had either */
	ASSERT_STATUS(MX_ERR_NO_RESOURCES, mx_socket_write(d, 0, "x", 1, &n));
	ASSERT_EQ(0, queued(c));
	ASSERT_EQ(W | LAST, state(c));
	ASSERT_OK(mx_socket_create(MX_SOCKET_DATAGRAM | MX_SOCKET_HAS_CONTROL,
				   &e, &f));
	ASSERT_STATUS(MX_ERR_NO_RESOURCES, mx_socket_write(e, 0, "x", 1, &n));
	ASSERT_EQ(NOACT, n);
	ASSERT_EQ(0, queued(f));
	ASSERT_EQ(W | CW | LAST, state(f));
	/* a control message needs no page */
	ASSERT_OK(mx_socket_write(e, CTL, "ctl", 3, &n));
	ASSERT_EQ(3, n);
	ASSERT_OK(mx_socket_read(f, CTL, rbuf, 10, &n));
	/* reading does not give pages back: a socket's go with it */
	ASSERT_OK(mx_socket_read(b, 0, rbuf, 2 * MAXB, &n));
	ASSERT_EQ(MAXB, n);
	ASSERT_PAT(rbuf, MAXB, 0, 40);
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
	if (pages_charged() >= 0)
		ASSERT_EQ(base + 37, pages_charged());
	/* now c and the datagram socket have room */
	ASSERT_OK(mx_socket_write(c, 0, wbuf + got, 4096, &n));
	ASSERT_EQ(4096, n);
	ASSERT_OK(mx_socket_write(e, 0, "dgram", 5, &n));
	ASSERT_EQ(5, n);
	ASSERT_OK(mx_socket_read(d, 0, rbuf, 2 * MAXB, &n));
	ASSERT_EQ(got + 4096, n);
	ASSERT_PAT(rbuf, got + 4096, 0, 40);
	ASSERT_OK(mx_socket_read(f, 0, rbuf, 10, &n));
	ASSERT_EQ(5, n);
	ASSERT_OK(mx_handle_close(c));
	ASSERT_OK(mx_handle_close(d));
	ASSERT_OK(mx_handle_close(e));
	ASSERT_OK(mx_handle_close(f));
	if (pages_charged() >= 0)
		ASSERT_EQ(base, pages_charged());
	ASSERT_EQ(0, mxt_param_restore("max_user_socket_pages", self->old));
	self->old[0] = 0;
}

int main(int argc, char **argv)
{
	return mxt_self_main(argc, argv, child_main);
}
