// SPDX-License-Identifier: GPL-2.0
/*
 * What a kernel reviewer would try on a device any user can open:
 *  - close, write, read and wait racing on one handle, round after round,
 *    with a handle in every message: each call gets a status Magenta
 *    allows, and the sent handle is either still here or gone with the
 *    message, never lost or doubled;
 *  - a process killed, or exiting, while threads of it sleep in every
 *    blocking call (waits, a port wait, a channel call, a poll on a
 *    signal fd, a read stalled in a page fault and one queued behind it);
 *  - Linux signals hammering a read that waits for another reader: it
 *    restarts by itself, even through the raw ioctl;
 *  - a read stalled in a page fault: neither a close of its handle nor
 *    the collector destroying a ring that carries its endpoint waits;
 *  - unloading the module while a table, a blocked waiter or a signal fd
 *    holds it: refused, and the module goes on working.
 * Whatever happens, the module's live counters come back to where they
 * started once the collector is idle.
 *
 * Tests that fork never use libmx before the fork, so every child opens
 * a table of its own, which dies with it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <dirent.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <magenta/process.h>
#include <magenta/syscalls/port.h>
#include <mxchan.h>

#include "mx-internal.h"
#include "mxchan_test.h"

#define SECOND		1000000000ULL

/* Live objects, handles and messages, once the collector is idle. */
static long settled_total(void)
{
	struct mxt_gc g;

	if (!mxt_gc_settle(&g))
		return -1;
	return mxt_live_total();
}

/* ---- close vs write vs read vs wait on one handle ---- */

struct quad {
	pthread_barrier_t start, done;
	mx_handle_t a, b, ev;
	int rounds;
	mx_status_t wst, rst, wait_st;
	mx_handle_t got;
	uint32_t got_n;
	unsigned int delay;
};

static void *quad_writer(void *p)
{
	struct quad *q = p;
	int i;

	for (i = 0; i < q->rounds; i++) {
		pthread_barrier_wait(&q->start);
		q->wst = mx_channel_write(q->b, 0, "w", 1, &q->ev, 1);
		pthread_barrier_wait(&q->done);
	}
	return NULL;
}

static void *quad_reader(void *p)
{
	struct quad *q = p;
	char buf[4];
	int i;

	for (i = 0; i < q->rounds; i++) {
		pthread_barrier_wait(&q->start);
		q->got_n = 0;
		q->rst = mx_channel_read(q->a, 0, buf, &q->got, sizeof(buf), 1,
					 NULL, &q->got_n);
		pthread_barrier_wait(&q->done);
	}
	return NULL;
}

static void *quad_waiter(void *p)
{
	struct quad *q = p;
	int i;

	for (i = 0; i < q->rounds; i++) {
		pthread_barrier_wait(&q->start);
		q->wait_st = mx_object_wait_one(q->a, MX_CHANNEL_READABLE,
						mx_deadline_after(200000), NULL);
		pthread_barrier_wait(&q->done);
	}
	return NULL;
}

TEST(close_write_read_wait_on_one_handle)
{
	enum { ROUNDS = 1500 };
	int splits[3] = { 0 }, i;
	pthread_t th[3];
	struct quad q = { .rounds = ROUNDS };
	long start = settled_total();

	pthread_barrier_init(&q.start, NULL, 4);
	pthread_barrier_init(&q.done, NULL, 4);
	ASSERT_EQ(0, pthread_create(&th[0], NULL, quad_writer, &q));
	ASSERT_EQ(0, pthread_create(&th[1], NULL, quad_reader, &q));
	ASSERT_EQ(0, pthread_create(&th[2], NULL, quad_waiter, &q));
	for (i = 0; i < ROUNDS; i++) {
		mx_koid_t koid;

		ASSERT_OK(mx_channel_create(0, &q.a, &q.b));
		ASSERT_OK(mx_event_create(0, &q.ev));
		koid = mxt_koid(q.ev);
		pthread_barrier_wait(&q.start);
		if (i % 4)
			usleep((unsigned int)(i * 7919) % 200);
		ASSERT_OK(mx_handle_close(q.a));		/* the closer */
		pthread_barrier_wait(&q.done);

		/* the writer: sent (into a's queue) or refused, handle kept */
		ASSERT_TRUE(q.wst == MX_OK || q.wst == MX_ERR_PEER_CLOSED)
			TH_LOG("write: %s", mx_status_get_string(q.wst));
		ASSERT_EQ(q.wst != MX_OK, mxt_valid(q.ev));
		/* the reader: the message, nothing yet, or a gone */
		ASSERT_TRUE(q.rst == MX_OK || q.rst == MX_ERR_SHOULD_WAIT ||
			    q.rst == MX_ERR_BAD_HANDLE)
			TH_LOG("read: %s", mx_status_get_string(q.rst));
		if (q.rst == MX_OK) {
			ASSERT_EQ(MX_OK, q.wst);
			ASSERT_EQ(1, q.got_n);
			ASSERT_EQ(koid, mxt_koid(q.got));
			ASSERT_OK(mx_handle_close(q.got));
			splits[0]++;
		} else if (q.wst == MX_OK) {
			splits[1]++;		/* died with a's queue */
		} else {
			ASSERT_OK(mx_handle_close(q.ev));
			splits[2]++;
		}
		ASSERT_TRUE(q.wait_st == MX_OK || q.wait_st == MX_ERR_TIMED_OUT ||
			    q.wait_st == MX_ERR_CANCELED ||
			    q.wait_st == MX_ERR_BAD_HANDLE)
			TH_LOG("wait: %s", mx_status_get_string(q.wait_st));
		ASSERT_FALSE(mxt_valid(q.a));
		ASSERT_OK(mx_handle_close(q.b));
	}
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, pthread_join(th[i], NULL));
	TH_LOG("%d read, %d closed with the queue, %d refused", splits[0],
	       splits[1], splits[2]);
	if (start >= 0)
		ASSERT_EQ(start, settled_total());
}

/*
 * A reader stalled in a page fault holds nobody else up: closing its
 * handle returns at once, and so does the collector destroying a ring
 * that carries the endpoint. The read still completes once the page
 * comes, with the message it had taken.
 */
static void nobody_waits_for_a_stalled_reader(struct __test_metadata *_metadata,
					      bool in_ring)
{
	struct mxt_read r = { 0 };
	mx_handle_t x, y, a, b;
	struct mxt_gc g0, g1;
	struct mxt_stall st;
	pthread_t th;
	long start = settled_total();
	uint64_t t0;

	if (!mxt_stall_init(&st))
		SKIP(return, "no userfaultfd here");
	if (in_ring && !mxt_gc_settle(&g0))
		SKIP(return, "no debugfs");
	ASSERT_OK(mx_channel_create(0, &x, &y));
	ASSERT_OK(mx_channel_write(y, 0, "stalled", 7, NULL, 0));
	r.h = x;
	r.bytes = st.page;
	ASSERT_EQ(0, pthread_create(&th, NULL, mxt_read_thread, &r));
	ASSERT_TRUE(mxt_stall_hit(&st));

	t0 = mx_time_get(MX_CLOCK_MONOTONIC);
	if (in_ring) {
		/* x rides in the ring {a}; the collector closes it */
		ASSERT_OK(mx_channel_create(0, &a, &b));
		ASSERT_OK(mx_channel_write(b, 0, "x", 1, &x, 1));
		ASSERT_OK(mx_channel_write(b, 0, "a", 1, &a, 1));
		ASSERT_TRUE(mxt_gc_settle(&g1));
		ASSERT_EQ(g0.rings + 1, g1.rings);
		ASSERT_OK(mx_object_wait_one(b, MX_CHANNEL_PEER_CLOSED, 0,
					     NULL));
		ASSERT_OK(mx_handle_close(b));
	} else {
		ASSERT_OK(mx_handle_close(x));
	}
	/* y sees x go while the read is still stuck */
	ASSERT_OK(mx_object_wait_one(y, MX_CHANNEL_PEER_CLOSED,
				     mx_deadline_after(10 * SECOND), NULL));
	ASSERT_GT(5 * SECOND, mx_time_get(MX_CLOCK_MONOTONIC) - t0);

	ASSERT_TRUE(mxt_stall_release(&st));
	ASSERT_EQ(0, pthread_join(th, NULL));
	ASSERT_OK(r.st);
	ASSERT_EQ(7, r.nb);
	ASSERT_EQ(0, memcmp(st.page, "stalled", 7));
	mxt_stall_end(&st);
	ASSERT_OK(mx_handle_close(y));
	if (start >= 0)
		ASSERT_EQ(start, settled_total());
}

/* A FIFO or socket read in a thread of its own, into a stalling page. */
struct ring_read {
	mx_handle_t h;
	void *buf;
	size_t len;
	bool socket;
	uint32_t n;
	size_t actual;
	mx_status_t st;
};

static void *ring_read_thread(void *arg)
{
	struct ring_read *r = arg;

	r->st = r->socket ?
		mx_socket_read(r->h, 0, r->buf, r->len, &r->actual) :
		mx_fifo_read(r->h, r->buf, r->len, &r->n);
	return NULL;
}

/*
 * A read from a full FIFO or socket buffer, stalled in its copy while its
 * own end's last handle closes: the close takes the writer's WRITABLE for
 * good, and the read, finishing after, gives none back.
 */
static void stalled_read_then_close(struct __test_metadata *_metadata,
				    bool socket)
{
	static char fill[257024];	/* a socket buffer, full */
	struct ring_read r = { .socket = socket };
	long start = settled_total();
	mx_signals_t seen = 0;
	struct mxt_stall st;
	mx_handle_t w, rd;
	uint32_t n = 0;
	size_t actual = 0;
	pthread_t th;

	if (!mxt_stall_init(&st))
		SKIP(return, "no userfaultfd here");
	if (socket) {
		ASSERT_OK(mx_socket_create(0, &w, &rd));
		ASSERT_OK(mx_socket_write(w, 0, fill, sizeof(fill), &actual));
		ASSERT_EQ(sizeof(fill), actual);
	} else {
		ASSERT_OK(mx_fifo_create(2, 8, 0, &w, &rd));
		ASSERT_OK(mx_fifo_write(w, fill, 16, &n));
		ASSERT_EQ(2u, n);
	}
	/* full: the writer waits for room (a socket's signals are a FIFO's) */
	ASSERT_STATUS(MX_ERR_TIMED_OUT,
		      mx_object_wait_one(w, MX_FIFO_WRITABLE, 0, NULL));
	r.h = rd;
	r.buf = st.page;
	r.len = 16;
	ASSERT_EQ(0, pthread_create(&th, NULL, ring_read_thread, &r));
	ASSERT_TRUE(mxt_stall_hit(&st));
	ASSERT_OK(mx_handle_close(rd));
	ASSERT_OK(mx_object_wait_one(w, MX_FIFO_PEER_CLOSED, 0, &seen));
	ASSERT_FALSE(seen & MX_FIFO_WRITABLE);
	ASSERT_TRUE(mxt_stall_release(&st));
	ASSERT_EQ(0, pthread_join(th, NULL));
	ASSERT_OK(r.st);
	ASSERT_EQ(socket ? 0u : 2u, r.n);
	ASSERT_EQ(socket ? 16u : 0u, r.actual);
	/* the finished read gave the writer nothing back */
	ASSERT_STATUS(MX_ERR_TIMED_OUT,
		      mx_object_wait_one(w, MX_FIFO_WRITABLE, 0, &seen));
	ASSERT_TRUE(seen & MX_FIFO_PEER_CLOSED);
	mxt_stall_end(&st);
	ASSERT_OK(mx_handle_close(w));
	if (start >= 0)
		ASSERT_EQ(start, settled_total());
}

/* A FIFO or socket write in a thread of its own, from a stalling page. */
static void *ring_write_thread(void *arg)
{
	struct ring_read *r = arg;

	r->st = r->socket ?
		mx_socket_write(r->h, 0, r->buf, r->len, &r->actual) :
		mx_fifo_write(r->h, r->buf, r->len, &r->n);
	return NULL;
}

/*
 * A write stalled in its copy while its own end's last handle closes:
 * the peer has seen PEER_CLOSED on an empty buffer, so the write, when
 * it goes on, queues nothing and says PEER_CLOSED.
 */
static void stalled_write_then_close(struct __test_metadata *_metadata,
				     bool socket)
{
	struct ring_read r = { .socket = socket };
	long start = settled_total();
	struct mxt_stall st;
	mx_handle_t w, rd;
	char buf[16];
	uint32_t n = 0;
	size_t actual = 0;
	pthread_t th;

	if (!mxt_stall_init(&st))
		SKIP(return, "no userfaultfd here");
	if (socket)
		ASSERT_OK(mx_socket_create(0, &w, &rd));
	else
		ASSERT_OK(mx_fifo_create(2, 8, 0, &w, &rd));
	r.h = w;
	r.buf = st.page;
	r.len = 16;
	ASSERT_EQ(0, pthread_create(&th, NULL, ring_write_thread, &r));
	ASSERT_TRUE(mxt_stall_hit(&st));
	ASSERT_OK(mx_handle_close(w));
	ASSERT_OK(mx_object_wait_one(rd, MX_FIFO_PEER_CLOSED, 0, NULL));
	ASSERT_TRUE(mxt_stall_release(&st));
	ASSERT_EQ(0, pthread_join(th, NULL));
	ASSERT_STATUS(MX_ERR_PEER_CLOSED, r.st);
	/* nothing came after the close */
	ASSERT_STATUS(MX_ERR_TIMED_OUT,
		      mx_object_wait_one(rd, MX_FIFO_READABLE, 0, NULL));
	if (socket)
		ASSERT_STATUS(MX_ERR_PEER_CLOSED,
			      mx_socket_read(rd, 0, buf, sizeof(buf), &actual));
	else
		ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
			      mx_fifo_read(rd, buf, sizeof(buf), &n));
	mxt_stall_end(&st);
	ASSERT_OK(mx_handle_close(rd));
	if (start >= 0)
		ASSERT_EQ(start, settled_total());
}

TEST(fifo_write_stalled_while_its_end_closes)
{
	stalled_write_then_close(_metadata, false);
}

TEST(socket_write_stalled_while_its_end_closes)
{
	stalled_write_then_close(_metadata, true);
}

TEST(fifo_read_stalled_while_its_end_closes)
{
	stalled_read_then_close(_metadata, false);
}

TEST(socket_read_stalled_while_its_end_closes)
{
	stalled_read_then_close(_metadata, true);
}

/*
 * A stalled read whose endpoint closes meanwhile, and whose copy then
 * fails (its handles buffer is read-only): the message it had taken dies
 * with the endpoint, and the event it carried loses that handle.
 */
TEST(failed_read_after_close_drops_its_message)
{
	struct mxt_read r = { .ro_handles = true };
	long start = settled_total();
	mx_handle_t x, y, ev, ev2;
	struct mxt_stall st;
	pthread_t th;

	if (!mxt_stall_init(&st))
		SKIP(return, "no userfaultfd here");
	ASSERT_OK(mx_channel_create(0, &x, &y));
	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_handle_duplicate(ev, MX_RIGHT_SAME_RIGHTS, &ev2));
	ASSERT_OK(mx_channel_write(y, 0, "ev", 2, &ev2, 1));
	r.h = x;
	r.bytes = st.page;
	ASSERT_EQ(0, pthread_create(&th, NULL, mxt_read_thread, &r));
	ASSERT_TRUE(mxt_stall_hit(&st));
	ASSERT_OK(mx_handle_close(x));		/* closes while it is read */
	ASSERT_OK(mx_object_wait_one(y, MX_CHANNEL_PEER_CLOSED, 0, NULL));
	/* the reader still has the message, and ev2 in it */
	ASSERT_STATUS(MX_ERR_TIMED_OUT,
		      mx_object_wait_one(ev, MX_SIGNAL_LAST_HANDLE, 0, NULL));
	ASSERT_TRUE(mxt_stall_release(&st));
	ASSERT_EQ(0, pthread_join(th, NULL));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, r.st);
	/* the message is gone, and ev2 with it */
	ASSERT_OK(mx_object_wait_one(ev, MX_SIGNAL_LAST_HANDLE, 0, NULL));
	ASSERT_OK(mx_handle_close(ev));
	ASSERT_OK(mx_handle_close(y));
	mxt_stall_end(&st);
	if (start >= 0)
		ASSERT_EQ(start, settled_total());
}

TEST(close_does_not_wait_for_a_stalled_reader)
{
	nobody_waits_for_a_stalled_reader(_metadata, false);
}

TEST(collector_does_not_wait_for_a_stalled_reader)
{
	nobody_waits_for_a_stalled_reader(_metadata, true);
}

/*
 * ---- VMOs: stalled copies, and mappings, racing closes and set_size ----
 *
 * A user buffer registered with userfaultfd holds a VMO read or write in
 * the middle of its copy. The module touches a write's whole source
 * before it takes the VMO's lock (Magenta's order: a bad buffer is
 * INVALID_ARGS before anything else), so a write can be held there, with
 * no lock, or, by taking a page away again once it was touched, inside
 * shmem's copy, under the VMO's lock and the file's.
 */

#define VP 4096u

/*
 * Where the test started: live items, VMO pages, mappings. Checked again
 * at the end, once everything is closed and unmapped.
 */
struct vmo_start {
	long live, pages;
	int maps;
};

static struct vmo_start vmo_start(void)
{
	struct vmo_start s = {
		.live = settled_total(), .pages = mxt_vmo_pages(),
		.maps = mxt_vmo_maps(),
	};

	return s;
}

#define ASSERT_BACK_TO(s) do {						\
	if ((s).live >= 0)						\
		ASSERT_EQ((s).live, settled_total());			\
	if ((s).pages >= 0)						\
		ASSERT_EQ((s).pages, mxt_vmo_pages());			\
	ASSERT_EQ((s).maps, mxt_vmo_maps());				\
} while (0)

/*
 * @n pages of private memory whose pages [first, first + count) stall
 * the first touch (by the kernel too) until the test fills them.
 */
struct ustall {
	int uffd;
	char *area;
	size_t len;
};

static bool ustall_init(struct ustall *u, size_t n, size_t first,
			size_t count)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { 0 };

	u->len = n * VP;
	u->area = MAP_FAILED;
	u->uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (u->uffd < 0)
		return false;
	u->area = mmap(NULL, u->len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	reg.range.start = (uintptr_t)u->area + first * VP;
	reg.range.len = count * VP;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	return u->area != MAP_FAILED &&
	       ioctl(u->uffd, UFFDIO_API, &api) == 0 &&
	       ioctl(u->uffd, UFFDIO_REGISTER, &reg) == 0;
}

/* The page a thread now sleeps on (10 s at most), or NULL. */
static char *ustall_hit(struct ustall *u, int ms)
{
	struct pollfd p = { .fd = u->uffd, .events = POLLIN };
	struct uffd_msg msg;

	if (poll(&p, 1, ms) != 1 || !(p.revents & POLLIN) ||
	    read(u->uffd, &msg, sizeof(msg)) != sizeof(msg) ||
	    msg.event != UFFD_EVENT_PAGEFAULT)
		return NULL;
	return (char *)(uintptr_t)(msg.arg.pagefault.address & ~(VP - 1ULL));
}

/*
 * Take @page away again: a new page there, registered as before, so the
 * next touch stalls again (what MADV_DONTNEED does, where the kernel has
 * no madvise()).
 */
static bool ustall_drop(struct ustall *u, char *page)
{
	struct uffdio_register reg = { 0 };

	if (mmap(page, VP, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != page)
		return false;
	reg.range.start = (uintptr_t)page;
	reg.range.len = VP;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	return ioctl(u->uffd, UFFDIO_REGISTER, &reg) == 0;
}

/* Map @page full of @c: the thread stalled on it goes on. */
static bool ustall_fill(struct ustall *u, char *page, char c)
{
	static char src[VP] __attribute__((aligned(4096)));
	struct uffdio_copy cp = { 0 };

	memset(src, c, VP);
	cp.dst = (uintptr_t)page;
	cp.src = (uintptr_t)src;
	cp.len = VP;
	return ioctl(u->uffd, UFFDIO_COPY, &cp) == 0 && cp.copy == VP;
}

static void ustall_end(struct ustall *u)
{
	if (u->area != MAP_FAILED)
		munmap(u->area, u->len);
	if (u->uffd >= 0)
		close(u->uffd);
}

/* A VMO read or write, or a set_size, in a thread of its own. */
struct vmo_call {
	mx_handle_t h;
	bool write, set_size;
	void *buf;
	uint64_t off;
	size_t len;
	uint64_t size;
	size_t actual;
	mx_status_t st;
	_Atomic bool done;
	pthread_t th;
};

static void *vmo_call_thread(void *arg)
{
	struct vmo_call *c = arg;

	if (c->set_size)
		c->st = mx_vmo_set_size(c->h, c->size);
	else if (c->write)
		c->st = mx_vmo_write(c->h, c->buf, c->off, c->len, &c->actual);
	else
		c->st = mx_vmo_read(c->h, c->buf, c->off, c->len, &c->actual);
	atomic_store(&c->done, true);
	return NULL;
}

/* Has @c finished, within @ms? */
static bool vmo_call_done(struct vmo_call *c, int ms)
{
	while (!atomic_load(&c->done) && ms-- > 0)
		usleep(1000);
	return atomic_load(&c->done);
}

/* Do @len bytes of @h at @off read as @c? */
static bool vmo_reads(mx_handle_t h, uint64_t off, size_t len, char c)
{
	static char buf[4 * VP];
	size_t n = 0, i;

	if (len > sizeof(buf) ||
	    mx_vmo_read(h, buf, off, len, &n) != MX_OK || n != len)
		return false;
	for (i = 0; i < len; i++)
		if (buf[i] != c)
			return false;
	return true;
}

static bool all_bytes(const volatile char *p, size_t len, char c)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != c)
			return false;
	return true;
}

/*
 * After the last handle of something a stalled call uses closed: time
 * for it to be freed if the call did not hold it, so that the call's use
 * of it after is a use after free, which the debug lane's KASAN reports.
 * kfree_rcu() batches for seconds unless memory is short: the slab
 * shrinkers (drop_caches, as root) make it go now, a grace period on.
 */
static void let_it_be_freed(void)
{
	struct mxt_gc g;
	int fd;

	mxt_gc_settle(&g);
	fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
	if (fd >= 0) {
		ssize_t n = write(fd, "2", 1);

		(void)n;
		close(fd);
	}
	usleep(200000);
}

enum stall_at { BEFORE_LOCK, IN_COPY };

/*
 * An 8 KiB write at 4 KiB into a VMO of 16 KiB of 'o', from two pages
 * that stall. BEFORE_LOCK: held while the module touches the first page,
 * before it locks anything. IN_COPY: both pages touched, the first taken
 * away again, so shmem's own copy stalls on it, under the VMO's lock.
 * Meanwhile another thread sets the size to 4196 bytes (@shrink), or the
 * VMO's only handle closes.
 *
 * Shrunk: the set size stands, the write never grows the VMO past it
 * (nor leaves bytes past it that a later growth would show: it reads 0s
 * there), the write's bytes below it are there. Before the lock the
 * set_size finishes at once and the write, cut to the new size, moves
 * 100 bytes; in the copy it waits, and the write moves all 8 KiB first.
 * Closed: the close returns at once, the write finishes into the VMO,
 * which a mapping made before still shows, then goes. Nothing leaks.
 */
static void stalled_vmo_write(struct __test_metadata *_metadata,
			      enum stall_at at, bool shrink)
{
	struct vmo_start s0 = vmo_start();
	struct vmo_call w = { .write = true, .off = VP, .len = 2 * VP };
	struct vmo_call sz = { .set_size = true, .size = VP + 100 };
	struct ustall u;
	mx_handle_t v, root = MX_HANDLE_INVALID;
	uintptr_t map = 0;
	uint64_t size = 0;
	size_t n;
	char *p;

	if (!ustall_init(&u, 2, 0, 2))
		SKIP(return, "no userfaultfd here");
	ASSERT_OK(mx_vmo_create(4 * VP, 0, &v));
	{
		static char o[4 * VP];

		memset(o, 'o', sizeof(o));
		ASSERT_OK(mx_vmo_write(v, o, 0, sizeof(o), &n));
	}
	if (!shrink) {
		root = mx_vmar_root_self();
		ASSERT_OK(mx_vmar_map(root, 0, v, 0, 4 * VP,
				      MX_VM_FLAG_PERM_READ, &map));
	}
	w.h = v;
	w.buf = u.area;
	sz.h = v;
	ASSERT_EQ(0, pthread_create(&w.th, NULL, vmo_call_thread, &w));
	/* the module touches the source, first page first */
	p = ustall_hit(&u, 10000);
	ASSERT_EQ(u.area, p);
	if (at == BEFORE_LOCK) {
		/* held with no lock: a set_size or a close goes through */
		if (shrink) {
			ASSERT_EQ(0, pthread_create(&sz.th, NULL,
						    vmo_call_thread, &sz));
			ASSERT_TRUE(vmo_call_done(&sz, 5000));
		} else {
			ASSERT_OK(mx_handle_close(v));
			let_it_be_freed();
		}
		ASSERT_FALSE(atomic_load(&w.done));
	}
	ASSERT_TRUE(ustall_fill(&u, u.area, 'w'));
	p = ustall_hit(&u, 10000);
	ASSERT_EQ(u.area + VP, p);
	if (at == IN_COPY)
		ASSERT_TRUE(ustall_drop(&u, u.area));
	ASSERT_TRUE(ustall_fill(&u, u.area + VP, 'w'));
	if (at == IN_COPY) {
		/* shmem copies, finds the first page gone: stalled, locked */
		p = ustall_hit(&u, 10000);
		ASSERT_EQ(u.area, p) TH_LOG("the write did not stall in its copy");
		if (shrink) {
			ASSERT_EQ(0, pthread_create(&sz.th, NULL,
						    vmo_call_thread, &sz));
			/* it waits for the write, as a memfd's ftruncate */
			ASSERT_FALSE(vmo_call_done(&sz, 200));
		} else {
			ASSERT_OK(mx_handle_close(v));
			let_it_be_freed();
		}
		ASSERT_FALSE(atomic_load(&w.done));
		ASSERT_TRUE(ustall_fill(&u, u.area, 'w'));
	}
	ASSERT_EQ(0, pthread_join(w.th, NULL));
	if (shrink)
		ASSERT_EQ(0, pthread_join(sz.th, NULL));
	ASSERT_OK(w.st);
	if (!shrink) {
		const volatile char *m = (const volatile char *)map;

		ASSERT_EQ(2 * VP, w.actual);
		/* the write went into the VMO the mapping still holds */
		ASSERT_TRUE(all_bytes(m, VP, 'o'));
		ASSERT_TRUE(all_bytes(m + VP, 2 * VP, 'w'));
		ASSERT_TRUE(all_bytes(m + 3 * VP, VP, 'o'));
		ASSERT_OK(mx_vmar_unmap(root, map, 4 * VP));
		ASSERT_OK(mx_handle_close(root));
		ustall_end(&u);
		ASSERT_BACK_TO(s0);
		return;
	}
	ASSERT_OK(sz.st);
	ASSERT_EQ(at == BEFORE_LOCK ? 100u : 2 * VP, w.actual);
	ASSERT_OK(mx_vmo_get_size(v, &size));
	ASSERT_EQ(VP + 100, size);
	ASSERT_TRUE(vmo_reads(v, 0, VP, 'o'));
	ASSERT_TRUE(vmo_reads(v, VP, 100, 'w'));
	/* nothing was written past the set size: growing shows 0s there */
	ASSERT_OK(mx_vmo_set_size(v, 4 * VP));
	ASSERT_TRUE(vmo_reads(v, VP + 100, 3 * VP - 100, 0));
	ASSERT_OK(mx_handle_close(v));
	ustall_end(&u);
	ASSERT_BACK_TO(s0);
}

TEST(vmo_write_stalled_before_its_lock_while_shrunk)
{
	stalled_vmo_write(_metadata, BEFORE_LOCK, true);
}

TEST(vmo_write_stalled_in_its_copy_while_shrunk)
{
	stalled_vmo_write(_metadata, IN_COPY, true);
}

TEST(vmo_write_stalled_before_its_lock_while_closed)
{
	stalled_vmo_write(_metadata, BEFORE_LOCK, false);
}

TEST(vmo_write_stalled_in_its_copy_while_closed)
{
	stalled_vmo_write(_metadata, IN_COPY, false);
}

/*
 * A read of two pages whose second page stalls while being copied, in
 * shmem's read under the VMO's lock, while the VMO's only handle closes
 * (and, @clone, the handle of the parent the clone's second page comes
 * from): the close returns at once; the read, released, finishes with
 * every byte, from the VMO (and parent) it still holds, then all goes.
 */
static void stalled_vmo_read(struct __test_metadata *_metadata, bool clone)
{
	struct vmo_start s0 = vmo_start();
	struct vmo_call r = { .len = 2 * VP };
	static char buf[3 * VP];
	mx_handle_t v, parent = MX_HANDLE_INVALID;
	struct ustall u;
	uint64_t t0;
	size_t n;

	if (!ustall_init(&u, 2, 1, 1))
		SKIP(return, "no userfaultfd here");
	if (clone) {
		/* the clone's first page its own ('a'), the second not ('b') */
		ASSERT_OK(mx_vmo_create(3 * VP, 0, &parent));
		memset(buf, 'b', sizeof(buf));
		ASSERT_OK(mx_vmo_write(parent, buf, 0, 3 * VP, &n));
		ASSERT_OK(mx_vmo_clone(parent, MX_VMO_CLONE_COPY_ON_WRITE, VP,
				       2 * VP, &v));
		memset(buf, 'a', VP);
		ASSERT_OK(mx_vmo_write(v, buf, 0, VP, &n));
	} else {
		ASSERT_OK(mx_vmo_create(2 * VP, 0, &v));
		memset(buf, 'a', VP);
		memset(buf + VP, 'b', VP);
		ASSERT_OK(mx_vmo_write(v, buf, 0, 2 * VP, &n));
	}
	r.h = v;
	r.buf = u.area;
	ASSERT_EQ(0, pthread_create(&r.th, NULL, vmo_call_thread, &r));
	ASSERT_EQ(u.area + VP, ustall_hit(&u, 10000));
	t0 = mx_time_get(MX_CLOCK_MONOTONIC);
	ASSERT_OK(mx_handle_close(v));
	if (clone)
		ASSERT_OK(mx_handle_close(parent));
	ASSERT_GT(5 * SECOND, mx_time_get(MX_CLOCK_MONOTONIC) - t0);
	let_it_be_freed();
	ASSERT_FALSE(atomic_load(&r.done));
	/* the page comes with 'z's, which the read then writes over */
	ASSERT_TRUE(ustall_fill(&u, u.area + VP, 'z'));
	ASSERT_EQ(0, pthread_join(r.th, NULL));
	ASSERT_OK(r.st);
	ASSERT_EQ(2 * VP, r.actual);
	ASSERT_TRUE(all_bytes(u.area, VP, 'a'));
	ASSERT_TRUE(all_bytes(u.area + VP, VP, 'b'));
	ustall_end(&u);
	ASSERT_BACK_TO(s0);
}

TEST(vmo_read_stalled_while_its_only_handle_closes)
{
	stalled_vmo_read(_metadata, false);
}

TEST(clone_read_stalled_while_it_and_its_parent_close)
{
	stalled_vmo_read(_metadata, true);
}

/*
 * vmar_map racing a close of the handle it maps through and a set_size
 * through another handle, round after round, of a VMO or (odd rounds) of
 * a clone, which the map makes a copy of. The map succeeds or finds the
 * handle gone; the size ends as set. A mapping shows the VMO's bytes
 * below the size, 0s in the rest of the last page, and none past it
 * (SIGBUS, which the probe catches), whether a handle is still open or not
 * (the mapping holds the VMO); a mapped clone no longer sees its
 * parent's writes; a write through the mapping shows in the VMO.
 */
struct map_race {
	pthread_barrier_t start, done;
	int rounds;
	mx_handle_t root, v, d;
	uint64_t size;
	unsigned int delay[2];
	mx_status_t map_st, close_st, size_st;
	uintptr_t addr;
};

static void *map_race_mapper(void *arg)
{
	struct map_race *m = arg;
	int i;

	for (i = 0; i < m->rounds; i++) {
		pthread_barrier_wait(&m->start);
		m->addr = 0;
		m->map_st = mx_vmar_map(m->root, 0, m->v, 0, 4 * VP,
					MX_VM_FLAG_PERM_READ |
					MX_VM_FLAG_PERM_WRITE, &m->addr);
		pthread_barrier_wait(&m->done);
	}
	return NULL;
}

static void *map_race_closer(void *arg)
{
	struct map_race *m = arg;
	int i;

	for (i = 0; i < m->rounds; i++) {
		pthread_barrier_wait(&m->start);
		usleep(m->delay[0]);
		m->close_st = mx_handle_close(m->v);
		pthread_barrier_wait(&m->done);
	}
	return NULL;
}

static void *map_race_sizer(void *arg)
{
	struct map_race *m = arg;
	int i;

	for (i = 0; i < m->rounds; i++) {
		pthread_barrier_wait(&m->start);
		usleep(m->delay[1]);
		m->size_st = mx_vmo_set_size(m->d, m->size);
		pthread_barrier_wait(&m->done);
	}
	return NULL;
}

/*
 * @len bytes at @addr copied to @buf: @len, or -1 if touching them raised
 * SIGBUS (a mapped page past a VMO's end), caught here.
 */
static sigjmp_buf probe_jmp;

static void probe_bus(int sig)
{
	siglongjmp(probe_jmp, sig);
}

static ssize_t probe(uintptr_t addr, void *buf, size_t len)
{
	struct sigaction sa = { .sa_handler = probe_bus }, old;
	volatile ssize_t ret = -1;
	size_t i;

	sigaction(SIGBUS, &sa, &old);
	if (!sigsetjmp(probe_jmp, 1)) {
		for (i = 0; i < len; i++)
			((char *)buf)[i] = ((const volatile char *)addr)[i];
		ret = (ssize_t)len;
	}
	sigaction(SIGBUS, &old, NULL);
	return ret;
}

TEST(vmar_map_races_close_and_set_size)
{
	static const uint64_t sizes[] = { 0, 100, VP, VP + 1, 3 * VP };
	enum { ROUNDS = 200 };
	struct vmo_start s0 = vmo_start();
	struct map_race m = { .rounds = ROUNDS };
	int mapped = 0, gone = 0, i, k;
	static char page[4 * VP];
	pthread_t th[3];

	m.root = mx_vmar_root_self();
	ASSERT_NE(MX_HANDLE_INVALID, m.root);
	pthread_barrier_init(&m.start, NULL, 4);
	pthread_barrier_init(&m.done, NULL, 4);
	ASSERT_EQ(0, pthread_create(&th[0], NULL, map_race_mapper, &m));
	ASSERT_EQ(0, pthread_create(&th[1], NULL, map_race_closer, &m));
	ASSERT_EQ(0, pthread_create(&th[2], NULL, map_race_sizer, &m));
	for (i = 0; i < ROUNDS; i++) {
		bool clone = i & 1;
		mx_handle_t base = MX_HANDLE_INVALID;
		uint64_t size = 0;
		size_t n;

		/* page k reads 'a' + k */
		for (k = 0; k < 4; k++)
			memset(page + k * VP, 'a' + k, VP);
		if (clone) {
			ASSERT_OK(mx_vmo_create(4 * VP, 0, &base));
			ASSERT_OK(mx_vmo_write(base, page, 0, 4 * VP, &n));
			ASSERT_OK(mx_vmo_clone(base, MX_VMO_CLONE_COPY_ON_WRITE,
					       0, 4 * VP, &m.v));
		} else {
			ASSERT_OK(mx_vmo_create(4 * VP, 0, &m.v));
			ASSERT_OK(mx_vmo_write(m.v, page, 0, 4 * VP, &n));
		}
		ASSERT_OK(mx_handle_duplicate(m.v, MX_RIGHT_SAME_RIGHTS, &m.d));
		m.size = sizes[i % 5];
		m.delay[0] = (unsigned int)(i * 7919) % 300;
		m.delay[1] = (unsigned int)(i * 104729) % 300;
		pthread_barrier_wait(&m.start);
		pthread_barrier_wait(&m.done);

		ASSERT_OK(m.close_st);
		ASSERT_OK(m.size_st);
		ASSERT_TRUE(m.map_st == MX_OK || m.map_st == MX_ERR_BAD_HANDLE)
			TH_LOG("round %d: map %s", i,
			       mx_status_get_string(m.map_st));
		ASSERT_OK(mx_vmo_get_size(m.d, &size));
		ASSERT_EQ(m.size, size);
		if (m.map_st != MX_OK) {
			gone++;
			ASSERT_OK(mx_handle_close(m.d));
			if (clone)
				ASSERT_OK(mx_handle_close(base));
			continue;
		}
		mapped++;
		ASSERT_EQ(0u, m.addr % VP);
		/* a clone mapped is a copy: its parent's writes show no more */
		if (clone) {
			ASSERT_OK(mx_vmo_write(base, "X", 0, 1, &n));
			ASSERT_OK(mx_handle_close(base));
		}
		/* every other round, the mapping alone holds the VMO */
		if (i & 2)
			ASSERT_OK(mx_handle_close(m.d));
		for (k = 0; k < 4; k++) {
			uint64_t at = (uint64_t)k * VP;
			ssize_t got = probe(m.addr + at, page, VP);

			if (at >= m.size) {
				ASSERT_EQ(-1, got) TH_LOG("round %d: page %d "
					"of a VMO of %llu bytes", i, k,
					(unsigned long long)m.size);
				continue;
			}
			ASSERT_EQ(VP, got) TH_LOG("round %d: page %d", i, k);
			n = m.size - at < VP ? m.size - at : VP;
			ASSERT_TRUE(all_bytes(page, n, 'a' + k))
				TH_LOG("round %d: page %d", i, k);
			ASSERT_TRUE(all_bytes(page + n, VP - n, 0))
				TH_LOG("round %d: page %d past the end", i, k);
		}
		if (m.size && !(i & 2)) {
			char c = 0;

			((volatile char *)m.addr)[0] = 'M';
			ASSERT_OK(mx_vmo_read(m.d, &c, 0, 1, &n));
			ASSERT_EQ('M', c);
		}
		ASSERT_OK(mx_vmar_unmap(m.root, m.addr, 4 * VP));
		if (!(i & 2))
			ASSERT_OK(mx_handle_close(m.d));
	}
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, pthread_join(th[i], NULL));
	TH_LOG("%d mapped, %d found the handle gone", mapped, gone);
	ASSERT_LT(0, mapped);
	ASSERT_OK(mx_handle_close(m.root));
	ASSERT_BACK_TO(s0);
}

/*
 * A chain of 40 clones, each writing one page of its own (clone i page i
 * with byte i), read through its last (which sees page 0 as the first
 * VMO wrote it, page i as clone i did) and through its 32nd (made a copy
 * past that depth, so pages 33 on are the first VMO's) while every other
 * handle of the chain closes, in random order. Every read sees all of
 * it; so does a mapping of each at the end; then it all goes (a release
 * 32 parents deep).
 */
#define CHAIN 40
#define CHAIN_PAGES (CHAIN + 1)

struct chain_reader {
	mx_handle_t last, mid;
	_Atomic bool stop;
	_Atomic long reads;
	_Atomic long bad;	/* the first read that was wrong: its number */
	mx_status_t st;
	int bad_page;
};

static char chain_byte(int depth, int page)
{
	return page && page <= depth ? (char)page : (char)0x80;
}

/* Does @buf hold the chain's pages as clone @depth reads them? */
static int chain_check(const char *buf, int depth)
{
	int k;

	for (k = 0; k < CHAIN_PAGES; k++)
		if (!all_bytes(buf + k * VP, VP, chain_byte(depth, k)))
			return k;
	return -1;
}

static void *chain_read_thread(void *arg)
{
	struct chain_reader *r = arg;
	char *buf = malloc(CHAIN_PAGES * VP);
	long i = 0;

	while (buf && !atomic_load(&r->stop) && atomic_load(&r->bad) < 0) {
		mx_handle_t h = i & 1 ? r->mid : r->last;
		size_t n = 0;

		memset(buf, 0x55, CHAIN_PAGES * VP);
		r->st = mx_vmo_read(h, buf, 0, CHAIN_PAGES * VP, &n);
		if (r->st != MX_OK || n != CHAIN_PAGES * VP)
			atomic_store(&r->bad, i);
		else if ((r->bad_page = chain_check(buf, i & 1 ? 32 : CHAIN)) >= 0)
			atomic_store(&r->bad, i);
		atomic_store(&r->reads, ++i);
	}
	free(buf);
	return NULL;
}

TEST(clone_chain_closed_in_random_order_while_read)
{
	struct vmo_start s0 = vmo_start();
	struct chain_reader r = { .bad = -1 };
	mx_handle_t chain[CHAIN + 1], root;
	static char buf[CHAIN_PAGES * VP];
	unsigned int seed = (unsigned int)getpid();
	int order[CHAIN], i, k;
	uintptr_t addr;
	pthread_t th;
	size_t n;

	memset(buf, 0x80, sizeof(buf));
	ASSERT_OK(mx_vmo_create(CHAIN_PAGES * VP, 0, &chain[0]));
	ASSERT_OK(mx_vmo_write(chain[0], buf, 0, sizeof(buf), &n));
	for (i = 1; i <= CHAIN; i++) {
		ASSERT_OK(mx_vmo_clone(chain[i - 1], MX_VMO_CLONE_COPY_ON_WRITE,
				       0, CHAIN_PAGES * VP, &chain[i]));
		memset(buf, i, VP);
		ASSERT_OK(mx_vmo_write(chain[i], buf, (uint64_t)i * VP, VP,
				       &n));
	}
	r.last = chain[CHAIN];
	ASSERT_OK(mx_handle_duplicate(chain[32], MX_RIGHT_SAME_RIGHTS,
				      &r.mid));
	ASSERT_EQ(0, pthread_create(&th, NULL, chain_read_thread, &r));

	/* close chain[0 .. CHAIN - 1], shuffled, a read or more between */
	TH_LOG("seed %u", seed);
	for (i = 0; i < CHAIN; i++)
		order[i] = i;
	for (i = CHAIN - 1; i > 0; i--) {
		int j = (int)(rand_r(&seed) % (unsigned int)(i + 1)), t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	for (i = 0; i < CHAIN; i++) {
		long before = atomic_load(&r.reads);

		ASSERT_OK(mx_handle_close(chain[order[i]]));
		for (k = 0; k < 5000 && atomic_load(&r.reads) < before + 2 &&
		     atomic_load(&r.bad) < 0; k++)
			usleep(1000);
		ASSERT_EQ(-1, atomic_load(&r.bad))
			TH_LOG("read %ld: %s, page %d", atomic_load(&r.bad),
			       mx_status_get_string(r.st), r.bad_page);
		ASSERT_LT(before + 1, atomic_load(&r.reads));
	}
	atomic_store(&r.stop, true);
	ASSERT_EQ(0, pthread_join(th, NULL));
	ASSERT_EQ(-1, atomic_load(&r.bad))
		TH_LOG("read %ld: %s, page %d", atomic_load(&r.bad),
		       mx_status_get_string(r.st), r.bad_page);
	TH_LOG("%ld reads", atomic_load(&r.reads));

	/* mapped, each is made a copy of what it reads */
	root = mx_vmar_root_self();
	ASSERT_OK(mx_vmar_map(root, 0, r.last, 0, CHAIN_PAGES * VP,
			      MX_VM_FLAG_PERM_READ, &addr));
	ASSERT_EQ(-1, chain_check((const char *)addr, CHAIN));
	ASSERT_OK(mx_vmar_unmap(root, addr, CHAIN_PAGES * VP));
	ASSERT_OK(mx_vmar_map(root, 0, r.mid, 0, CHAIN_PAGES * VP,
			      MX_VM_FLAG_PERM_READ, &addr));
	ASSERT_EQ(-1, chain_check((const char *)addr, 32));
	ASSERT_OK(mx_vmar_unmap(root, addr, CHAIN_PAGES * VP));
	ASSERT_OK(mx_handle_close(root));
	ASSERT_OK(mx_handle_close(r.last));
	ASSERT_OK(mx_handle_close(r.mid));
	ASSERT_BACK_TO(s0);
}

/* ---- processes dying in every blocking call ---- */

enum { B_WAIT_ONE, B_WAIT_MANY, B_PORT_WAIT, B_CALL, B_POLL, B_STALLED,
       B_QUEUED, NBLOCKED };

struct sleeper {
	int what;
	mx_handle_t h, h2;
	void *page;
	int fd;
};

static void *sleeper_run(void *p)
{
	struct sleeper *s = p;
	mx_wait_item_t items[2];
	mx_port_packet_t pkt;
	mx_channel_call_args_t args = { 0 };
	uint32_t nb, nh;
	mx_status_t rs;
	char buf[8];
	struct pollfd pfd;

	switch (s->what) {
	case B_WAIT_ONE:
		mx_object_wait_one(s->h, MX_USER_SIGNAL_0, MX_TIME_INFINITE,
				   NULL);
		break;
	case B_WAIT_MANY:
		items[0].handle = s->h;
		items[0].waitfor = MX_USER_SIGNAL_1;
		items[1].handle = s->h2;
		items[1].waitfor = MX_CHANNEL_PEER_CLOSED;
		mx_object_wait_many(items, 2, MX_TIME_INFINITE);
		break;
	case B_PORT_WAIT:
		mx_port_wait(s->h, MX_TIME_INFINITE, &pkt, 0);
		break;
	case B_CALL:
		args.wr_bytes = "call";
		args.wr_num_bytes = 4;
		args.rd_bytes = buf;
		args.rd_num_bytes = sizeof(buf);
		mx_channel_call(s->h, 0, MX_TIME_INFINITE, &args, &nb, &nh,
				&rs);
		break;
	case B_POLL:
		pfd.fd = s->fd;
		pfd.events = POLLIN;
		poll(&pfd, 1, -1);
		break;
	case B_STALLED:
	case B_QUEUED:
		mx_channel_read(s->h, 0, s->page, NULL, 4096, 0, NULL, NULL);
		break;
	}
	return NULL;
}

/*
 * Threads of @pid asleep (state S), not counting the main thread; the
 * others' stat lines go to @why, if given.
 */
static int asleep_threads(pid_t pid, char *why, size_t size)
{
	char path[64], buf[256];
	struct dirent *d;
	int n = 0;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	dir = opendir(path);
	if (!dir)
		return -1;
	while ((d = readdir(dir))) {
		FILE *f;
		char *p;

		if (d->d_name[0] == '.' || atoi(d->d_name) == pid)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid,
			 atoi(d->d_name));
		f = fopen(path, "r");
		if (!f)
			continue;
		p = fgets(buf, sizeof(buf), f);
		fclose(f);
		p = p ? strrchr(buf, ')') : NULL;
		if (p && p[1] == ' ' && p[2] == 'S') {
			n++;
		} else if (why) {
			size_t len = strlen(why);

			snprintf(why + len, size - len, "[%.40s] ", buf);
		}
	}
	closedir(dir);
	return n;
}

/*
 * The child: a thread asleep in each blocking call, on objects of its own
 * table, then it tells the parent and sleeps (or exits, if @exits).
 */
static int child_sleepers(int ready, bool exits)
{
	struct sleeper s[NBLOCKED];
	mx_handle_t ev, port, c0, c1, r0, r1, q0, q1, extra;
	struct mxt_stall st;
	pthread_t th[NBLOCKED];
	bool have_stall = mxt_stall_init(&st);
	int i, n = have_stall ? NBLOCKED : B_STALLED;
	char b = (char)n;

	if (mx_event_create(0, &ev) || mx_port_create(0, &port) ||
	    mx_channel_create(0, &c0, &c1) || mx_channel_create(0, &r0, &r1) ||
	    mx_channel_create(0, &q0, &q1) || mx_event_create(0, &extra))
		return 2;
	/* a message for the stalled reader, a handle in flight too */
	if (mx_channel_write(q1, 0, "stall", 5, NULL, 0) ||
	    mx_channel_write(r1, 0, "x", 1, &extra, 1))
		return 3;
	memset(s, 0, sizeof(s));
	s[B_WAIT_ONE].h = ev;
	s[B_WAIT_MANY].h = ev;
	s[B_WAIT_MANY].h2 = r0;
	s[B_PORT_WAIT].h = port;
	s[B_CALL].h = c0;		/* c1 never answers */
	if (mxchan_signal_fd(ev, MX_USER_SIGNAL_2, &s[B_POLL].fd))
		return 4;
	s[B_STALLED].h = q0;
	s[B_QUEUED].h = q0;
	if (have_stall) {
		s[B_STALLED].page = st.page;
		s[B_QUEUED].page = malloc(4096);
	}
	for (i = 0; i < n; i++) {
		s[i].what = i;
		if (pthread_create(&th[i], NULL, sleeper_run, &s[i]))
			return 5;
		if (i == B_STALLED && !mxt_stall_hit(&st))
			return 6;
	}
	if (write(ready, &b, 1) != 1)
		return 7;
	if (exits)
		_exit(0);	/* with every thread still asleep */
	pause();
	return 8;
}

/* The child, killed by the teardown if a check failed first. */
FIXTURE(slow) {
	pid_t pid;
};

FIXTURE_SETUP(slow)
{
	self->pid = 0;
}

FIXTURE_TEARDOWN(slow)
{
	if (self->pid > 0) {
		kill(self->pid, SIGKILL);
		waitpid(self->pid, NULL, 0);
	}
}

static void die_in_blocking_calls(struct __test_metadata *_metadata,
				  FIXTURE_DATA(slow) *self, bool killed)
{
	long start = settled_total();
	int round;

	for (round = 0; round < 10; round++) {
		int ready[2], status, k;
		char n = 0, why[512] = "";
		pid_t pid;

		ASSERT_EQ(0, pipe(ready));
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			close(ready[0]);
			_exit(child_sleepers(ready[1], !killed));
		}
		self->pid = pid;
		close(ready[1]);
		ASSERT_EQ(1, read(ready[0], &n, 1));
		close(ready[0]);
		if (killed) {
			/* every one of them asleep in the module (or poll) */
			for (k = 0; k < 5000 && asleep_threads(pid, NULL, 0) < n;
			     k++)
				usleep(1000);
			ASSERT_EQ(n, asleep_threads(pid, why, sizeof(why)))
				TH_LOG("awake: %s", why);
			ASSERT_EQ(0, kill(pid, SIGKILL));
		}
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		self->pid = 0;
		if (killed) {
			ASSERT_TRUE(WIFSIGNALED(status));
		} else {
			ASSERT_TRUE(WIFEXITED(status) &&
				    WEXITSTATUS(status) == 0)
				TH_LOG("status %#x", status);
		}
		if (start >= 0)
			ASSERT_EQ(start, settled_total()) TH_LOG("round %d",
								  round);
	}
}

TEST_F_TIMEOUT(slow, killed_in_every_blocking_call, 300)
{
	die_in_blocking_calls(_metadata, self, true);
}

TEST_F_TIMEOUT(slow, exit_in_every_blocking_call, 300)
{
	die_in_blocking_calls(_metadata, self, false);
}

/* ---- signals on a read that waits for another reader ---- */

static volatile int signals_seen;

static void on_signal(int sig)
{
	(void)sig;
	signals_seen++;
}

struct raw_read {
	int fd;
	uint32_t h;
	void *buf;
	int ret, err;
	pid_t tid;
};

static void *raw_reader(void *p)
{
	struct raw_read *r = p;
	struct mxchan_channel_read a = {
		.handle = r->h, .bytes = (uintptr_t)r->buf, .num_bytes = 4096,
	};

	__atomic_store_n(&r->tid, (pid_t)syscall(SYS_gettid),
			 __ATOMIC_RELEASE);
	r->ret = ioctl(r->fd, MXCHAN_IOC_CHANNEL_READ, &a);
	r->err = errno;
	return NULL;
}

TEST(signals_on_a_read_waiting_for_the_lock)
{
	struct sigaction sa = { .sa_handler = on_signal };	/* no SA_RESTART */
	struct raw_read stalled = { 0 }, queued = { 0 };
	uint32_t h0 = 0, h1 = 0;
	struct mxchan_channel_create cc = {
		.out0 = (uintptr_t)&h0, .out1 = (uintptr_t)&h1,
	};
	struct mxchan_channel_write w = { 0 };
	pthread_t t1, t2;
	struct mxt_stall st;
	int fd, i;

	if (!mxt_stall_init(&st))
		SKIP(return, "no userfaultfd here");
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	fd = open("/dev/mxchan", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, MXCHAN_IOC_CHANNEL_CREATE, &cc));
	w.handle = h1;
	w.bytes = (uintptr_t)"one";
	w.num_bytes = 3;
	ASSERT_EQ(0, ioctl(fd, MXCHAN_IOC_CHANNEL_WRITE, &w));
	w.bytes = (uintptr_t)"two";
	ASSERT_EQ(0, ioctl(fd, MXCHAN_IOC_CHANNEL_WRITE, &w));

	stalled = (struct raw_read){ .fd = fd, .h = h0, .buf = st.page };
	queued = (struct raw_read){ .fd = fd, .h = h0,
				    .buf = malloc(4096) };
	ASSERT_EQ(0, pthread_create(&t1, NULL, raw_reader, &stalled));
	ASSERT_TRUE(mxt_stall_hit(&st));
	ASSERT_EQ(0, pthread_create(&t2, NULL, raw_reader, &queued));
	for (i = 0; i < 5000 && !(queued.tid && mxt_asleep(queued.tid)); i++)
		usleep(1000);
	ASSERT_TRUE(mxt_asleep(queued.tid));
	/* the queued reader is interrupted again and again */
	for (i = 0; i < 200; i++) {
		ASSERT_EQ(0, syscall(SYS_tgkill, getpid(), queued.tid, SIGUSR1));
		usleep(500);
	}
	ASSERT_TRUE(mxt_stall_release(&st));
	ASSERT_EQ(0, pthread_join(t1, NULL));
	ASSERT_EQ(0, pthread_join(t2, NULL));
	ASSERT_LT(0, signals_seen);
	ASSERT_EQ(0, stalled.ret);
	ASSERT_EQ(0, memcmp(st.page, "one", 3));
	ASSERT_EQ(0, queued.ret) TH_LOG("errno %d", queued.err);
	ASSERT_EQ(0, memcmp(queued.buf, "two", 3));
	TH_LOG("%d signals on the queued reader", signals_seen);
	free(queued.buf);
	mxt_stall_end(&st);
	close(fd);
}

/* ---- unloading the module while it is in use ---- */

static int try_unload(void)
{
	return syscall(SYS_delete_module, "mxchan", O_NONBLOCK) ? errno : 0;
}

static void *blocked_waiter(void *p)
{
	mx_handle_t *ev = p;

	return (void *)(intptr_t)mx_object_wait_one(*ev, MX_USER_SIGNAL_0,
						    MX_TIME_INFINITE, NULL);
}

TEST(unload_refused_while_in_use)
{
	mx_handle_t ev;
	pthread_t th;
	void *ret;
	int sfd, e;

	if (geteuid() != 0)
		SKIP(return, "needs root");
	ASSERT_OK(mx_event_create(0, &ev));	/* this table holds it */
	e = try_unload();
	ASSERT_TRUE(e == EWOULDBLOCK || e == EBUSY) TH_LOG("errno %d", e);

	/* a waiter asleep in the module */
	ASSERT_EQ(0, pthread_create(&th, NULL, blocked_waiter, &ev));
	usleep(100000);
	e = try_unload();
	ASSERT_TRUE(e == EWOULDBLOCK || e == EBUSY) TH_LOG("errno %d", e);
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_0));
	ASSERT_EQ(0, pthread_join(th, &ret));
	ASSERT_EQ(MX_OK, (mx_status_t)(intptr_t)ret);

	/* only a signal fd left: the table goes, the fd keeps the module */
	ASSERT_OK(mxchan_signal_fd(ev, MX_USER_SIGNAL_0, &sfd));
	ASSERT_EQ(0, close(mxchan_table_fd()));
	e = try_unload();
	ASSERT_TRUE(e == EWOULDBLOCK || e == EBUSY) TH_LOG("errno %d", e);
	ASSERT_EQ(0, close(sfd));

	/* still working: a new table, a round trip */
	ASSERT_EQ(0, close(open("/dev/mxchan", O_RDWR)));
}

TEST_HARNESS_MAIN
