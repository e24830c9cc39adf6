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
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>

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
