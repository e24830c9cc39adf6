// SPDX-License-Identifier: GPL-2.0
/*
 * Ports: create, queue and wait (FIFO, deadlines, one waiter per packet,
 * cancellation by close, faulting buffers, Linux signals), the packet
 * limit, async waits (ONCE and REPEATING, on events and channels, count
 * and observed), their errors and their order, port_cancel, what each
 * order of closing leaves behind (checked with the debugfs counters), a
 * signal fd on a port in poll and edge-triggered epoll, and a stress run.
 * Time checks are lower bounds only.
 *
 * The binary is also its own child program: "port_test --child MODE".
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/epoll.h>
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

static char self_exe[PATH_MAX];

/* ---- helpers ---- */

/* The current signals of h; all bits if that wait failed. */
static mx_signals_t state(mx_handle_t h)
{
	mx_signals_t s = 0;

	if (mx_object_wait_one(h, 0, 0, &s) != MX_ERR_TIMED_OUT)
		return ~0u;
	return s;
}

/* A user packet with a recognisable payload and a junk type. */
static mx_port_packet_t user_pkt(uint64_t key, int32_t status, uint8_t seed)
{
	mx_port_packet_t p;
	int i;

	memset(&p, 0, sizeof(p));
	p.key = key;
	p.type = 0x5a5a5a5au;
	p.status = status;
	for (i = 0; i < 32; i++)
		p.user.c8[i] = (uint8_t)(seed + 7 * i);
	return p;
}

static mx_status_t queue_key(mx_handle_t port, uint64_t key)
{
	mx_port_packet_t p = user_pkt(key, 0, (uint8_t)key);

	return mx_port_queue(port, &p, 0);
}

/* Take a packet that is there now; the buffer is junk before. */
static mx_status_t take(mx_handle_t port, mx_port_packet_t *p)
{
	memset(p, 0xa5, sizeof(*p));
	return mx_port_wait(port, 0, p, 0);
}

/* The port has no packet now (this takes one if it has). */
#define ASSERT_EMPTY(port) do {						\
	mx_port_packet_t __p;						\
	ASSERT_STATUS(MX_ERR_TIMED_OUT, take((port), &__p));		\
} while (0)

/* A signal packet's fixed fields. */
#define ASSERT_SIGNAL_PKT(p, k, t, trig) do {				\
	ASSERT_EQ((uint64_t)(k), (p).key);				\
	ASSERT_EQ((uint32_t)(t), (p).type);				\
	ASSERT_EQ(MX_OK, (p).status);					\
	ASSERT_EQ((mx_signals_t)(trig), (p).signal.trigger);		\
	ASSERT_EQ(0, (p).signal.reserved0);				\
	ASSERT_EQ(0, (p).signal.reserved1);				\
} while (0)

/* Every counter equal to what was read in @before. */
#define ASSERT_COUNTERS_BACK(before) do {				\
	struct mxt_counters __now;					\
	ASSERT_TRUE(mxt_counters_read(&__now));				\
	EXPECT_EQ((before).objects, __now.objects);			\
	EXPECT_EQ((before).handles, __now.handles);			\
	EXPECT_EQ((before).messages, __now.messages);			\
	EXPECT_EQ((before).packets, __now.packets);			\
	ASSERT_EQ((before).async_waits, __now.async_waits);		\
} while (0)

/* Read the counters; with debugfs, the port lines must be there too. */
#define COUNTERS_START(c, have) do {					\
	(have) = mxt_counters_read(&(c));				\
	if (have) {							\
		ASSERT_LE(0, (c).packets);				\
		ASSERT_LE(0, (c).async_waits);				\
	}								\
} while (0)

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

static mx_status_t do_queue(mx_handle_t port, uint64_t key)
{
	return queue_key(port, key);
}

static mx_status_t do_close(mx_handle_t h, uint64_t arg)
{
	(void)arg;
	return mx_handle_close(h);
}

static mx_status_t do_signal(mx_handle_t h, uint64_t set)
{
	return mx_object_signal(h, 0, (uint32_t)set);
}

/* Send h through the channel end arg. */
static mx_status_t do_send(mx_handle_t h, uint64_t via)
{
	return mx_channel_write((mx_handle_t)via, 0, NULL, 0, &h, 1);
}

/* ---- create ---- */

TEST(port_create)
{
	mx_handle_t port, port2, dup, x = 77;
	mx_info_handle_basic_t info;
	mx_port_packet_t p;

	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_port_create(1, &x));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_port_create(0x80000000u, &x));
	ASSERT_EQ(77, x);
	ASSERT_OK(mx_port_create(0, &port));
	ASSERT_GT(port, 0);
	info = mxt_info(port);
	ASSERT_EQ(MX_OBJ_TYPE_PORT, info.type);
	ASSERT_EQ(0xFu, info.rights);
	ASSERT_EQ(MX_DEFAULT_PORT_RIGHTS, info.rights);
	/* not waitable */
	ASSERT_EQ(0u, info.props);
	ASSERT_NE(0, info.koid);
	ASSERT_EQ(0, info.related_koid);
	ASSERT_OK(mx_port_create(0, &port2));
	ASSERT_NE(info.koid, mxt_koid(port2));
	/* a duplicate is the same port */
	ASSERT_OK(mx_handle_duplicate(port, MX_RIGHT_SAME_RIGHTS, &dup));
	ASSERT_EQ(info.koid, mxt_koid(dup));
	ASSERT_OK(queue_key(dup, 5));
	ASSERT_EMPTY(port2);
	ASSERT_OK(take(port, &p));
	ASSERT_EQ(5, p.key);
	ASSERT_OK(mx_handle_close(dup));
	ASSERT_OK(mx_handle_close(port));
	ASSERT_OK(mx_handle_close(port2));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE, mx_handle_close(port));
}

/* The kernel says it has ports; reserved fields must be zero. */
TEST(port_abi)
{
	struct mxchan_version v = { 0 };
	mx_port_packet_t pkt = user_pkt(1, 0, 1);
	mx_handle_t port;
	int fd;

	ASSERT_OK(mx_port_create(0, &port));
	fd = mxchan_table_fd();
	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, ioctl(fd, MXCHAN_IOC_VERSION, &v));
	ASSERT_TRUE(v.features & MXCHAN_FEATURE_PORT);
	{
		struct mxchan_port_queue q = {
			.handle = (uint32_t)port, .reserved = 1,
			.packet = (uintptr_t)&pkt,
		};

		ASSERT_EQ(-1, ioctl(fd, MXCHAN_IOC_PORT_QUEUE, &q));
		ASSERT_EQ(EINVAL, errno);
	}
	{
		struct mxchan_port_wait w = {
			.handle = (uint32_t)port, .reserved = 1,
			.packet = (uintptr_t)&pkt,
		};

		ASSERT_EQ(-1, ioctl(fd, MXCHAN_IOC_PORT_WAIT, &w));
		ASSERT_EQ(EINVAL, errno);
	}
	ASSERT_EMPTY(port);
	mx_handle_close(port);
}

/* ---- queue ---- */

TEST(port_queue_errors)
{
	mx_handle_t port, ro, wo, ev, ev_ro, a, b;
	mx_port_packet_t pkt = user_pkt(9, 0, 3), got;

	ASSERT_OK(mx_port_create(0, &port));
	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_channel_create(0, &a, &b));
	/* size must be 0, and is checked first */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_port_queue(port, &pkt, 1));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_port_queue(port, &pkt, sizeof(pkt)));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_port_queue(MXT_BAD_VALUE, &pkt, sizeof(pkt)));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_port_queue(ev, NULL, 1));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE, mx_port_queue(MXT_BAD_VALUE, &pkt, 0));
	/* WRITE is needed, and rights come before the type */
	ASSERT_OK(mx_handle_duplicate(port, MX_DEFAULT_PORT_RIGHTS &
				      ~MX_RIGHT_WRITE, &ro));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_port_queue(ro, &pkt, 0));
	ASSERT_OK(mx_handle_duplicate(ev, MX_RIGHT_READ, &ev_ro));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_port_queue(ev_ro, &pkt, 0));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE, mx_port_queue(ev, &pkt, 0));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE, mx_port_queue(a, &pkt, 0));
	/* the packet itself */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_port_queue(port, NULL, 0));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_port_queue(port, mxt_bad_ptr(), 0));
	/* none of that queued anything */
	ASSERT_EMPTY(port);
	/* WRITE alone is enough */
	ASSERT_OK(mx_handle_duplicate(port, MX_RIGHT_WRITE, &wo));
	ASSERT_OK(mx_port_queue(wo, &pkt, 0));
	ASSERT_OK(take(port, &got));
	ASSERT_EQ(9, got.key);
	ASSERT_EMPTY(port);
	mx_handle_close(port);
	mx_handle_close(ro);
	mx_handle_close(wo);
	mx_handle_close(ev);
	mx_handle_close(ev_ro);
	mx_handle_close(a);
	mx_handle_close(b);
}

/* The type becomes USER; key, status and payload come back as queued. */
TEST(port_queue_keeps_packet)
{
	mx_port_packet_t in[3], out;
	mx_handle_t port;
	int i;

	ASSERT_OK(mx_port_create(0, &port));
	in[0] = user_pkt(0x1122334455667788ull, MX_ERR_SHOULD_WAIT, 1);
	in[1] = user_pkt(0xffffffffffffffffull, INT32_MIN, 0x80);
	in[1].type = MX_PKT_TYPE_SIGNAL_ONE;
	in[2] = user_pkt(0, INT32_MAX, 0xfe);
	in[2].type = MX_PKT_TYPE_SIGNAL_REP;
	for (i = 0; i < 3; i++)
		ASSERT_OK(mx_port_queue(port, &in[i], 0));
	for (i = 0; i < 3; i++) {
		ASSERT_OK(take(port, &out));
		ASSERT_EQ(in[i].key, out.key);
		ASSERT_EQ(MX_PKT_TYPE_USER, out.type);
		ASSERT_EQ(in[i].status, out.status);
		ASSERT_EQ(0, memcmp(&in[i].user, &out.user, sizeof(out.user)));
	}
	/* the caller's packet is not touched */
	ASSERT_EQ(MX_PKT_TYPE_SIGNAL_ONE, in[1].type);
	ASSERT_EMPTY(port);
	mx_handle_close(port);
}

FIXTURE(limit) {
	char old[32];
	bool set;
};

FIXTURE_SETUP(limit)
{
	self->set = mxt_param_set("max_port_packets", "8", self->old,
				  sizeof(self->old)) == 0;
}

FIXTURE_TEARDOWN_PARENT(limit)
{
	if (self->set)
		mxt_param_restore("max_port_packets", self->old);
}

/* max_port_packets user packets per port, then NO_MEMORY. */
TEST_F(limit, port_queue_limit)
{
	mx_handle_t port, port2, ev;
	mx_port_packet_t p;
	uint64_t i;

	if (!self->set)
		SKIP(return, "cannot set max_port_packets (needs root)");
	ASSERT_OK(mx_port_create(0, &port));
	ASSERT_OK(mx_port_create(0, &port2));
	for (i = 0; i < 8; i++)
		ASSERT_OK(queue_key(port, i));
	ASSERT_STATUS(MX_ERR_NO_MEMORY, queue_key(port, 100));
	ASSERT_STATUS(MX_ERR_NO_MEMORY, queue_key(port, 101));
	/* the limit is per port */
	ASSERT_OK(queue_key(port2, 200));
	/* signal packets are not user packets */
	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED));
	ASSERT_OK(mx_object_wait_async(ev, port, 50, MX_EVENT_SIGNALED,
				       MX_WAIT_ASYNC_ONCE));
	/* one taken: room for one more, and only one */
	ASSERT_OK(take(port, &p));
	ASSERT_EQ(0, p.key);
	ASSERT_OK(queue_key(port, 8));
	ASSERT_STATUS(MX_ERR_NO_MEMORY, queue_key(port, 102));
	/* nothing lost, nothing extra, in order */
	for (i = 1; i < 8; i++) {
		ASSERT_OK(take(port, &p));
		ASSERT_EQ(i, p.key);
	}
	ASSERT_OK(take(port, &p));
	ASSERT_SIGNAL_PKT(p, 50, MX_PKT_TYPE_SIGNAL_ONE, MX_EVENT_SIGNALED);
	ASSERT_OK(take(port, &p));
	ASSERT_EQ(8, p.key);
	ASSERT_EQ(MX_PKT_TYPE_USER, p.type);
	ASSERT_EMPTY(port);
	ASSERT_OK(take(port2, &p));
	ASSERT_EQ(200, p.key);
	mx_handle_close(port);
	mx_handle_close(port2);
	mx_handle_close(ev);
}

/* ---- wait ---- */

/* Closing a port drains its queue a batch of 256 at a time. */
TEST(port_close_drains_a_long_queue)
{
	long start = mxt_live_total();
	mx_port_packet_t p;
	mx_handle_t port;
	int i;

	ASSERT_OK(mx_port_create(0, &port));
	for (i = 0; i < 1000; i++) {
		p = user_pkt(i, 0, (uint8_t)i);
		ASSERT_OK(mx_port_queue(port, &p, 0));
	}
	ASSERT_OK(mx_handle_close(port));
	if (start >= 0)
		ASSERT_EQ(start, mxt_live_total());
}

TEST(port_wait_errors)
{
	mx_handle_t port, wo, ro, ev, ev_wo, a, b;
	mx_port_packet_t p;

	ASSERT_OK(mx_port_create(0, &port));
	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_OK(queue_key(port, 1));
	/* size must be 0, checked before the handle */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_port_wait(port, 0, &p, 1));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_port_wait(port, 0, &p, sizeof(p)));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_port_wait(MXT_BAD_VALUE, 0, &p, sizeof(p)));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE, mx_port_wait(MXT_BAD_VALUE, 0, &p, 0));
	/* READ is needed, and rights come before the type */
	ASSERT_OK(mx_handle_duplicate(port, MX_DEFAULT_PORT_RIGHTS &
				      ~MX_RIGHT_READ, &wo));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_port_wait(wo, 0, &p, 0));
	ASSERT_OK(mx_handle_duplicate(ev, MX_RIGHT_WRITE, &ev_wo));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_port_wait(ev_wo, 0, &p, 0));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE, mx_port_wait(ev, 0, &p, 0));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE, mx_port_wait(b, 0, &p, 0));
	/* the packet is still there, and READ alone takes it */
	ASSERT_OK(mx_handle_duplicate(port, MX_RIGHT_READ, &ro));
	ASSERT_OK(take(ro, &p));
	ASSERT_EQ(1, p.key);
	ASSERT_EMPTY(port);
	mx_handle_close(port);
	mx_handle_close(wo);
	mx_handle_close(ro);
	mx_handle_close(ev);
	mx_handle_close(ev_wo);
	mx_handle_close(a);
	mx_handle_close(b);
}

/* Packets come out in the order they went in, signal packets included. */
TEST(port_wait_fifo)
{
	mx_handle_t port, ev, ev2;
	mx_port_packet_t p;
	uint64_t i;

	ASSERT_OK(mx_port_create(0, &port));
	for (i = 0; i < 200; i++) {
		mx_port_packet_t q = user_pkt(i, (int32_t)i, (uint8_t)i);

		q.user.u64[3] = i * 3;
		ASSERT_OK(mx_port_queue(port, &q, 0));
	}
	for (i = 0; i < 200; i++) {
		ASSERT_OK(take(port, &p));
		ASSERT_EQ(i, p.key);
		ASSERT_EQ((int32_t)i, p.status);
		ASSERT_EQ(i * 3, p.user.u64[3]);
	}
	ASSERT_EMPTY(port);

	/* user 1, ONCE 2 (fires at once), REP 3 (fires at once), user 4 */
	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_event_create(0, &ev2));
	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED));
	ASSERT_OK(mx_object_signal(ev2, 0, MX_EVENT_SIGNALED));
	ASSERT_OK(queue_key(port, 1));
	ASSERT_OK(mx_object_wait_async(ev, port, 2, MX_EVENT_SIGNALED,
				       MX_WAIT_ASYNC_ONCE));
	ASSERT_OK(mx_object_wait_async(ev2, port, 3,
				       MX_EVENT_SIGNALED | MX_USER_SIGNAL_0,
				       MX_WAIT_ASYNC_REPEATING));
	ASSERT_OK(queue_key(port, 4));
	/* updating the queued REP packet does not move it */
	ASSERT_OK(mx_object_signal(ev2, 0, MX_USER_SIGNAL_0));
	for (i = 1; i <= 4; i++) {
		ASSERT_OK(take(port, &p));
		ASSERT_EQ(i, p.key);
	}
	ASSERT_EQ(MX_PKT_TYPE_USER, p.type);
	ASSERT_EMPTY(port);
	mx_handle_close(ev);
	mx_handle_close(ev2);
	mx_handle_close(port);
}

TEST(port_wait_deadlines)
{
	mx_time_t deadline, now;
	mx_handle_t port;
	mx_port_packet_t p;

	ASSERT_OK(mx_port_create(0, &port));
	ASSERT_STATUS(MX_ERR_TIMED_OUT, mx_port_wait(port, 0, &p, 0));
	ASSERT_STATUS(MX_ERR_TIMED_OUT, mx_port_wait(port, 1, &p, 0));
	now = mx_time_get(MX_CLOCK_MONOTONIC);
	ASSERT_STATUS(MX_ERR_TIMED_OUT,
		      mx_port_wait(port, now - MX_MSEC(1), &p, 0));
	deadline = mx_deadline_after(MX_MSEC(50));
	ASSERT_STATUS(MX_ERR_TIMED_OUT, mx_port_wait(port, deadline, &p, 0));
	/* never early */
	ASSERT_GE(mx_time_get(MX_CLOCK_MONOTONIC), deadline);
	/* a packet there: deadline 0 takes it */
	ASSERT_OK(queue_key(port, 3));
	ASSERT_OK(mx_port_wait(port, 0, &p, 0));
	ASSERT_EQ(3, p.key);
	mx_handle_close(port);
}

/* A blocked waiter gets a packet queued later, user or signal. */
TEST(port_wait_wakes)
{
	mx_handle_t port, ev;
	mx_port_packet_t p;
	struct later l;

	ASSERT_OK(mx_port_create(0, &port));
	later_start(&l, do_queue, port, 42);
	ASSERT_OK(mx_port_wait(port, MX_TIME_INFINITE, &p, 0));
	pthread_join(l.thread, NULL);
	ASSERT_OK(l.result);
	ASSERT_EQ(42, p.key);
	ASSERT_EQ(MX_PKT_TYPE_USER, p.type);

	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_object_wait_async(ev, port, 43, MX_EVENT_SIGNALED,
				       MX_WAIT_ASYNC_ONCE));
	later_start(&l, do_signal, ev, MX_EVENT_SIGNALED);
	ASSERT_OK(mx_port_wait(port, mx_deadline_after(MX_SEC(20)), &p, 0));
	pthread_join(l.thread, NULL);
	ASSERT_OK(l.result);
	ASSERT_SIGNAL_PKT(p, 43, MX_PKT_TYPE_SIGNAL_ONE, MX_EVENT_SIGNALED);
	ASSERT_TRUE(p.signal.observed & MX_EVENT_SIGNALED);
	ASSERT_EQ(1, p.signal.count);
	ASSERT_EMPTY(port);
	mx_handle_close(ev);
	mx_handle_close(port);
}

#define NWAITERS 4

struct waiter {
	pthread_t thread;
	pid_t tid;
	mx_handle_t port;
	mx_status_t status;
	mx_port_packet_t pkt;
};

static void *waiter_thread(void *p)
{
	struct waiter *w = p;

	__atomic_store_n(&w->tid, (pid_t)syscall(SYS_gettid), __ATOMIC_SEQ_CST);
	w->status = mx_port_wait(w->port, mx_deadline_after(MX_SEC(20)),
				 &w->pkt, 0);
	return NULL;
}

/* N waiters, N packets: each waiter gets one, each packet goes once. */
TEST(port_wait_one_waiter_per_packet)
{
	struct waiter w[NWAITERS];
	bool seen[NWAITERS + 1] = { false };
	mx_handle_t port;
	int i, j;

	ASSERT_OK(mx_port_create(0, &port));
	for (i = 0; i < NWAITERS; i++) {
		w[i].tid = 0;
		w[i].port = port;
		w[i].status = MX_ERR_INTERNAL;
		pthread_create(&w[i].thread, NULL, waiter_thread, &w[i]);
	}
	/* all asleep in their waits before the first packet */
	for (i = 0; i < NWAITERS; i++)
		for (j = 0; j < 20000; j++) {
			pid_t tid = __atomic_load_n(&w[i].tid, __ATOMIC_SEQ_CST);

			if (tid && mxt_asleep(tid))
				break;
			mx_nanosleep(mx_deadline_after(MX_MSEC(1)));
		}
	mx_nanosleep(mx_deadline_after(MX_MSEC(5)));
	for (i = 1; i <= NWAITERS; i++)
		ASSERT_OK(queue_key(port, (uint64_t)i));
	for (i = 0; i < NWAITERS; i++) {
		pthread_join(w[i].thread, NULL);
		ASSERT_OK(w[i].status);
		ASSERT_EQ(MX_PKT_TYPE_USER, w[i].pkt.type);
		ASSERT_GE(w[i].pkt.key, 1);
		ASSERT_LE(w[i].pkt.key, NWAITERS);
		ASSERT_FALSE(seen[w[i].pkt.key]);
		seen[w[i].pkt.key] = true;
	}
	ASSERT_EMPTY(port);
	mx_handle_close(port);
}

/*
 * Closing or sending the port handle a wait goes through ends it with
 * CANCELED; closing a duplicate does not.
 */
TEST(port_wait_canceled)
{
	mx_handle_t port, dup, a, b, got;
	mx_time_t deadline;
	mx_port_packet_t p;
	struct later l;
	uint32_t nh;

	ASSERT_OK(mx_port_create(0, &port));
	ASSERT_OK(mx_handle_duplicate(port, MX_RIGHT_SAME_RIGHTS, &dup));
	later_start(&l, do_close, dup, 0);
	deadline = mx_deadline_after(MX_MSEC(200));
	ASSERT_STATUS(MX_ERR_TIMED_OUT, mx_port_wait(port, deadline, &p, 0));
	pthread_join(l.thread, NULL);
	ASSERT_OK(l.result);
	ASSERT_GE(mx_time_get(MX_CLOCK_MONOTONIC), deadline);

	/* sent away */
	ASSERT_OK(mx_channel_create(0, &a, &b));
	later_start(&l, do_send, port, (uint64_t)a);
	ASSERT_STATUS(MX_ERR_CANCELED,
		      mx_port_wait(port, MX_TIME_INFINITE, &p, 0));
	pthread_join(l.thread, NULL);
	ASSERT_OK(l.result);
	ASSERT_FALSE(mxt_valid(port));
	ASSERT_OK(mx_channel_read(b, 0, NULL, &got, 0, 1, NULL, &nh));
	ASSERT_EQ(MX_OBJ_TYPE_PORT, mxt_info(got).type);

	/* closed */
	later_start(&l, do_close, got, 0);
	ASSERT_STATUS(MX_ERR_CANCELED,
		      mx_port_wait(got, MX_TIME_INFINITE, &p, 0));
	pthread_join(l.thread, NULL);
	ASSERT_OK(l.result);
	ASSERT_FALSE(mxt_valid(got));
	mx_handle_close(a);
	mx_handle_close(b);
}

/* A packet that cannot be written out stays first in the queue. */
TEST(port_wait_bad_buffer_keeps_packet)
{
	mx_handle_t port, ev;
	mx_port_packet_t p;
	void *ro;

	ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	ASSERT_OK(mx_port_create(0, &port));
	ASSERT_OK(queue_key(port, 1));
	ASSERT_OK(queue_key(port, 2));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_port_wait(port, 0, NULL, 0));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_port_wait(port, 0, mxt_bad_ptr(), 0));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_port_wait(port, 0, ro, 0));
	ASSERT_OK(take(port, &p));
	ASSERT_EQ(1, p.key);
	ASSERT_EQ(MX_PKT_TYPE_USER, p.type);
	ASSERT_OK(take(port, &p));
	ASSERT_EQ(2, p.key);
	ASSERT_EMPTY(port);

	/* a signal packet too, ahead of a user packet */
	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED));
	ASSERT_OK(mx_object_wait_async(ev, port, 3, MX_EVENT_SIGNALED,
				       MX_WAIT_ASYNC_ONCE));
	ASSERT_OK(queue_key(port, 4));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_port_wait(port, MX_TIME_INFINITE, mxt_bad_ptr(), 0));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_port_wait(port, 0, NULL, 0));
	ASSERT_OK(take(port, &p));
	ASSERT_SIGNAL_PKT(p, 3, MX_PKT_TYPE_SIGNAL_ONE, MX_EVENT_SIGNALED);
	ASSERT_EQ(1, p.signal.count);
	ASSERT_OK(take(port, &p));
	ASSERT_EQ(4, p.key);
	ASSERT_EMPTY(port);
	mx_handle_close(ev);
	mx_handle_close(port);
	munmap(ro, 4096);
}

static void on_sigusr1(int sig)
{
	(void)sig;
}

struct storm {
	pthread_t target;
	volatile int stop;
};

static void *storm_thread(void *p)
{
	struct storm *st = p;

	while (!st->stop) {
		pthread_kill(st->target, SIGUSR1);
		mx_nanosleep(mx_deadline_after(MX_MSEC(2)));
	}
	return NULL;
}

/*
 * Signals (without SA_RESTART) hit a thread in port_wait again and again:
 * no EINTR, no error, the deadline does not move, the packet arrives.
 */
TEST(port_wait_survives_signal_storm)
{
	struct sigaction sa = { .sa_handler = on_sigusr1 };
	struct storm st = { .stop = 0 };
	mx_time_t deadline;
	mx_port_packet_t p;
	mx_handle_t port;
	struct later l;
	pthread_t t;

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	ASSERT_OK(mx_port_create(0, &port));
	st.target = pthread_self();
	pthread_create(&t, NULL, storm_thread, &st);
	deadline = mx_deadline_after(MX_MSEC(100));
	ASSERT_STATUS(MX_ERR_TIMED_OUT, mx_port_wait(port, deadline, &p, 0));
	ASSERT_GE(mx_time_get(MX_CLOCK_MONOTONIC), deadline);
	later_start(&l, do_queue, port, 77);
	ASSERT_OK(mx_port_wait(port, MX_TIME_INFINITE, &p, 0));
	pthread_join(l.thread, NULL);
	ASSERT_EQ(77, p.key);
	/* the kernel restarts the wait itself: the raw ioctl never says EINTR */
	{
		struct mxchan_port_wait w = {
			.handle = (uint32_t)port,
			.deadline = mx_deadline_after(MX_MSEC(100)),
			.packet = (uintptr_t)&p,
		};

		ASSERT_EQ(-1, ioctl(mxchan_table_fd(), MXCHAN_IOC_PORT_WAIT,
				    &w));
		ASSERT_EQ(ETIMEDOUT, errno);
		ASSERT_GE(mx_time_get(MX_CLOCK_MONOTONIC), w.deadline);
	}
	st.stop = 1;
	pthread_join(t, NULL);
	ASSERT_EMPTY(port);
	mx_handle_close(port);
}

/* Ports have no signals to wait for. */
TEST(port_is_not_waitable)
{
	mx_handle_t port, wo, ev;
	mx_wait_item_t items[2];
	mx_signals_t s = 77;

	ASSERT_OK(mx_port_create(0, &port));
	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(queue_key(port, 1));
	ASSERT_STATUS(MX_ERR_NOT_SUPPORTED,
		      mx_object_wait_one(port, MX_PORT_READABLE, 0, &s));
	ASSERT_STATUS(MX_ERR_NOT_SUPPORTED,
		      mx_object_wait_one(port, MX_PORT_READABLE,
					 mx_deadline_after(MX_SEC(1)), NULL));
	ASSERT_EQ(77, s);
	/* READ is checked first, as for any wait */
	ASSERT_OK(mx_handle_duplicate(port, MX_RIGHT_WRITE, &wo));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_object_wait_one(wo, MX_PORT_READABLE, 0, NULL));
	items[0] = (mx_wait_item_t){ ev, MX_EVENT_SIGNALED, 0 };
	items[1] = (mx_wait_item_t){ port, MX_PORT_READABLE, 0 };
	ASSERT_STATUS(MX_ERR_NOT_SUPPORTED,
		      mx_object_wait_many(items, 2,
					  mx_deadline_after(MX_SEC(1))));
	items[0] = items[1];
	ASSERT_STATUS(MX_ERR_NOT_SUPPORTED, mx_object_wait_many(items, 1, 0));
	ASSERT_EQ(0u, mxt_info(port).props);
	mx_handle_close(wo);
	mx_handle_close(ev);
	mx_handle_close(port);
}

/* ---- async waits ---- */

/*
 * Errors in order: the port (BAD_HANDLE, ACCESS_DENIED, WRONG_TYPE), the
 * handle (BAD_HANDLE, ACCESS_DENIED, NOT_SUPPORTED), then the options.
 */
TEST(wait_async_errors)
{
	mx_handle_t port, port2, port_ro, port_wo, port2_wo, ev, ev2, ev_wo,
		    ev2_ro, ev_ro;
	struct mxt_counters before, after;
	const mx_signals_t sig = MX_EVENT_SIGNALED;
	const uint32_t badopt = 7;
	mx_port_packet_t p;
	bool have;

	COUNTERS_START(before, have);
	ASSERT_OK(mx_port_create(0, &port));
	ASSERT_OK(mx_port_create(0, &port2));
	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_event_create(0, &ev2));
	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED));
	ASSERT_OK(mx_handle_duplicate(port, MX_DEFAULT_PORT_RIGHTS &
				      ~MX_RIGHT_WRITE, &port_ro));
	ASSERT_OK(mx_handle_duplicate(port, MX_RIGHT_WRITE, &port_wo));
	ASSERT_OK(mx_handle_duplicate(port2, MX_RIGHT_WRITE, &port2_wo));
	ASSERT_OK(mx_handle_duplicate(ev, MX_RIGHT_WRITE | MX_RIGHT_SIGNAL,
				      &ev_wo));
	ASSERT_OK(mx_handle_duplicate(ev, MX_RIGHT_READ, &ev_ro));
	ASSERT_OK(mx_handle_duplicate(ev2, MX_RIGHT_READ, &ev2_ro));

	/* the port first: whatever is wrong with the rest */
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_object_wait_async(ev, MXT_BAD_VALUE, 1, sig, 0));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_object_wait_async(MXT_BAD_VALUE, MXT_BAD_VALUE, 1, sig,
					   badopt));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_object_wait_async(ev, port_ro, 1, sig, 0));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_object_wait_async(MXT_BAD_VALUE, port_ro, 1, sig,
					   badopt));
	/* an event without WRITE as the port: rights before type */
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_object_wait_async(ev, ev2_ro, 1, sig, 0));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE,
		      mx_object_wait_async(ev, ev2, 1, sig, 0));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE,
		      mx_object_wait_async(MXT_BAD_VALUE, ev2, 1, sig, badopt));
	/* then the handle */
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_object_wait_async(MXT_BAD_VALUE, port, 1, sig, badopt));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_object_wait_async(ev_wo, port, 1, sig, badopt));
	/* a port without READ: rights before NOT_SUPPORTED */
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_object_wait_async(port2_wo, port, 1, sig, badopt));
	ASSERT_STATUS(MX_ERR_NOT_SUPPORTED,
		      mx_object_wait_async(port2, port, 1, sig, badopt));
	ASSERT_STATUS(MX_ERR_NOT_SUPPORTED,
		      mx_object_wait_async(port, port, 1, sig, 0));
	ASSERT_STATUS(MX_ERR_NOT_SUPPORTED,
		      mx_object_wait_async(port_ro, port, 1, sig, 1));
	/* then the options */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_object_wait_async(ev, port, 1, sig, 2));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_object_wait_async(ev, port, 1, sig, 0x40000000u));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_object_wait_async(ev, port, 1, sig, 0xffffffffu));
	/* mxchan's flag goes with ONCE or REPEATING only */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_object_wait_async(ev, port, 1, sig,
					   2 | MXCHAN_WAIT_ASYNC_NO_LAST_HANDLE));
	/* none of it registered anything, though ev is SIGNALED */
	ASSERT_EMPTY(port);
	ASSERT_OK(mx_object_signal(ev, MX_EVENT_SIGNALED, 0));
	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED));
	ASSERT_EMPTY(port);
	if (have) {
		ASSERT_TRUE(mxt_counters_read(&after));
		ASSERT_EQ(before.async_waits, after.async_waits);
	}
	/* WRITE on the port and READ on the handle are all it takes */
	ASSERT_OK(mx_object_wait_async(ev_ro, port_wo, 9, sig,
				       MX_WAIT_ASYNC_ONCE));
	ASSERT_OK(take(port, &p));
	ASSERT_SIGNAL_PKT(p, 9, MX_PKT_TYPE_SIGNAL_ONE, sig);
	ASSERT_EMPTY(port);
	ASSERT_EMPTY(port2);
	mx_handle_close(port);
	mx_handle_close(port2);
	mx_handle_close(port_ro);
	mx_handle_close(port_wo);
	mx_handle_close(port2_wo);
	mx_handle_close(ev);
	mx_handle_close(ev2);
	mx_handle_close(ev_wo);
	mx_handle_close(ev_ro);
	mx_handle_close(ev2_ro);
}

/* ONCE on an event that is already signaled: one packet, at once. */
TEST(once_already_signaled)
{
	const mx_signals_t trig = MX_EVENT_SIGNALED | MX_USER_SIGNAL_5;
	mx_handle_t port, ev;
	mx_port_packet_t p;
	mx_signals_t now;

	ASSERT_OK(mx_port_create(0, &port));
	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED | MX_USER_SIGNAL_2));
	now = state(ev);
	ASSERT_EQ(MX_EVENT_SIGNALED | MX_USER_SIGNAL_2 | MX_SIGNAL_LAST_HANDLE,
		  now);
	ASSERT_OK(mx_object_wait_async(ev, port, 0xfeedface12345678ull, trig,
				       MX_WAIT_ASYNC_ONCE));
	ASSERT_OK(take(port, &p));
	ASSERT_SIGNAL_PKT(p, 0xfeedface12345678ull, MX_PKT_TYPE_SIGNAL_ONE,
			  trig);
	ASSERT_TRUE(p.signal.observed & MX_EVENT_SIGNALED);
	ASSERT_EQ(now, p.signal.observed);
	ASSERT_EQ(1, p.signal.count);
	ASSERT_EMPTY(port);
	/* it is over: more changes queue nothing */
	ASSERT_OK(mx_object_signal(ev, MX_EVENT_SIGNALED, 0));
	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED | MX_USER_SIGNAL_5));
	ASSERT_EMPTY(port);
	ASSERT_STATUS(MX_ERR_NOT_FOUND,
		      mx_port_cancel(port, ev, 0xfeedface12345678ull));
	mx_handle_close(ev);
	mx_handle_close(port);
}

/* ONCE not yet satisfied: nothing, then exactly one packet. */
TEST(once_fires_later)
{
	mx_handle_t port, ev;
	mx_port_packet_t p;

	ASSERT_OK(mx_port_create(0, &port));
	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_object_wait_async(ev, port, 11, MX_EVENT_SIGNALED,
				       MX_WAIT_ASYNC_ONCE));
	ASSERT_EMPTY(port);
	/* a change that sets no trigger signal: nothing */
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_0));
	ASSERT_EMPTY(port);
	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED));
	ASSERT_OK(mx_object_signal(ev, MX_EVENT_SIGNALED, 0));
	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED));
	ASSERT_OK(take(port, &p));
	ASSERT_SIGNAL_PKT(p, 11, MX_PKT_TYPE_SIGNAL_ONE, MX_EVENT_SIGNALED);
	ASSERT_TRUE(p.signal.observed & MX_EVENT_SIGNALED);
	ASSERT_TRUE(p.signal.observed & MX_USER_SIGNAL_0);
	ASSERT_EQ(1, p.signal.count);
	ASSERT_EMPTY(port);
	mx_handle_close(ev);
	mx_handle_close(port);
}

static void write_n(mx_handle_t h, int n)
{
	int i;

	for (i = 0; i < n; i++)
		mx_channel_write(h, 0, &i, sizeof(i), NULL, 0);
}

/* count: the queued messages when registered on a READABLE channel. */
TEST(channel_count)
{
	mx_handle_t port, a, b, c, d;
	mx_port_packet_t p;

	ASSERT_OK(mx_port_create(0, &port));
	ASSERT_OK(mx_channel_create(0, &a, &b));
	write_n(a, 3);
	ASSERT_OK(mx_object_wait_async(b, port, 1, MX_CHANNEL_READABLE,
				       MX_WAIT_ASYNC_ONCE));
	ASSERT_OK(mx_object_wait_async(b, port, 2,
				       MX_CHANNEL_READABLE | MX_CHANNEL_PEER_CLOSED,
				       MX_WAIT_ASYNC_REPEATING));
	/* READABLE not asked for: WRITABLE fires, count 1 */
	ASSERT_OK(mx_object_wait_async(b, port, 3, MX_CHANNEL_WRITABLE,
				       MX_WAIT_ASYNC_ONCE));
	ASSERT_OK(take(port, &p));
	ASSERT_SIGNAL_PKT(p, 1, MX_PKT_TYPE_SIGNAL_ONE, MX_CHANNEL_READABLE);
	ASSERT_EQ(3, p.signal.count);
	ASSERT_TRUE(p.signal.observed & MX_CHANNEL_READABLE);
	ASSERT_EQ(state(b), p.signal.observed);
	ASSERT_OK(take(port, &p));
	ASSERT_SIGNAL_PKT(p, 2, MX_PKT_TYPE_SIGNAL_REP,
			  MX_CHANNEL_READABLE | MX_CHANNEL_PEER_CLOSED);
	ASSERT_EQ(3, p.signal.count);
	ASSERT_OK(take(port, &p));
	ASSERT_SIGNAL_PKT(p, 3, MX_PKT_TYPE_SIGNAL_ONE, MX_CHANNEL_WRITABLE);
	ASSERT_EQ(1, p.signal.count);
	ASSERT_TRUE(p.signal.observed & MX_CHANNEL_READABLE);
	ASSERT_EMPTY(port);
	ASSERT_OK(mx_port_cancel(port, b, 2));

	/* registered before any message: count 1 */
	ASSERT_OK(mx_channel_create(0, &c, &d));
	ASSERT_OK(mx_object_wait_async(d, port, 4, MX_CHANNEL_READABLE,
				       MX_WAIT_ASYNC_ONCE));
	ASSERT_OK(mx_object_wait_async(d, port, 5, MX_CHANNEL_READABLE,
				       MX_WAIT_ASYNC_REPEATING));
	ASSERT_EMPTY(port);
	write_n(c, 2);
	/*
	 * One signal change fires both: as in Magenta, the newest wait is
	 * first on the object's wait queue, so its packet comes first.
	 */
	ASSERT_OK(take(port, &p));
	ASSERT_SIGNAL_PKT(p, 5, MX_PKT_TYPE_SIGNAL_REP, MX_CHANNEL_READABLE);
	ASSERT_EQ(1, p.signal.count);
	ASSERT_TRUE(p.signal.observed & MX_CHANNEL_READABLE);
	ASSERT_OK(take(port, &p));
	ASSERT_SIGNAL_PKT(p, 4, MX_PKT_TYPE_SIGNAL_ONE, MX_CHANNEL_READABLE);
	ASSERT_EQ(1, p.signal.count);
	/* the second write came while the REP packet was queued */
	ASSERT_EMPTY(port);
	mx_handle_close(a);
	mx_handle_close(b);
	mx_handle_close(c);
	mx_handle_close(d);
	mx_handle_close(port);
}

/*
 * The order of packets from one signal change is Magenta's: the object's
 * waits are newest first, so the newest wait's packet is queued first.
 * Waits that fire when they are made come in the order they were made.
 */
TEST(one_change_newest_wait_first)
{
	mx_handle_t port, ev;
	mx_port_packet_t p;
	uint64_t k;

	ASSERT_OK(mx_port_create(0, &port));
	ASSERT_OK(mx_event_create(0, &ev));
	for (k = 1; k <= 4; k++)
		ASSERT_OK(mx_object_wait_async(ev, port, k, MX_EVENT_SIGNALED,
					       k & 1 ? MX_WAIT_ASYNC_ONCE :
						       MX_WAIT_ASYNC_REPEATING));
	ASSERT_EMPTY(port);
	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED));
	for (k = 4; k >= 1; k--) {
		ASSERT_OK(take(port, &p));
		ASSERT_SIGNAL_PKT(p, k, k & 1 ? MX_PKT_TYPE_SIGNAL_ONE :
					       MX_PKT_TYPE_SIGNAL_REP,
				  MX_EVENT_SIGNALED);
	}
	ASSERT_EMPTY(port);
	ASSERT_OK(mx_port_cancel(port, ev, 2));
	ASSERT_OK(mx_port_cancel(port, ev, 4));

	/* already signaled: each fires as it is made, in that order */
	for (k = 5; k <= 7; k++)
		ASSERT_OK(mx_object_wait_async(ev, port, k, MX_EVENT_SIGNALED,
					       MX_WAIT_ASYNC_ONCE));
	for (k = 5; k <= 7; k++) {
		ASSERT_OK(take(port, &p));
		ASSERT_SIGNAL_PKT(p, k, MX_PKT_TYPE_SIGNAL_ONE,
				  MX_EVENT_SIGNALED);
	}
	ASSERT_EMPTY(port);
	mx_handle_close(ev);
	mx_handle_close(port);
}

/* REPEATING on an event: one packet queued at a time, kept up to date. */
TEST(repeating_event)
{
	mx_handle_t port, ev;
	mx_port_packet_t p;

	ASSERT_OK(mx_port_create(0, &port));
	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_object_wait_async(ev, port, 7, MX_EVENT_SIGNALED,
				       MX_WAIT_ASYNC_REPEATING));
	ASSERT_EMPTY(port);
	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED));
	/* while it is queued: no second packet, observed follows */
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_0));
	ASSERT_OK(mx_object_signal(ev, MX_EVENT_SIGNALED, 0));
	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED));
	ASSERT_OK(take(port, &p));
	ASSERT_SIGNAL_PKT(p, 7, MX_PKT_TYPE_SIGNAL_REP, MX_EVENT_SIGNALED);
	ASSERT_EQ(MX_EVENT_SIGNALED | MX_USER_SIGNAL_0,
		  p.signal.observed & (MX_EVENT_SIGNALED | MX_USER_SIGNAL_0));
	ASSERT_EQ(state(ev), p.signal.observed);
	ASSERT_EQ(1, p.signal.count);
	ASSERT_EMPTY(port);
	/* taken: the next change with SIGNALED set queues a new one */
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_1));
	ASSERT_OK(take(port, &p));
	ASSERT_SIGNAL_PKT(p, 7, MX_PKT_TYPE_SIGNAL_REP, MX_EVENT_SIGNALED);
	ASSERT_TRUE(p.signal.observed & MX_USER_SIGNAL_1);
	ASSERT_TRUE(p.signal.observed & MX_EVENT_SIGNALED);
	ASSERT_EMPTY(port);
	/* changes that leave no trigger signal set queue nothing */
	ASSERT_OK(mx_object_signal(ev, MX_EVENT_SIGNALED, 0));
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_2));
	ASSERT_OK(mx_object_signal(ev, MX_USER_SIGNAL_ALL, 0));
	ASSERT_EMPTY(port);
	/* and it is still armed */
	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED));
	ASSERT_OK(take(port, &p));
	ASSERT_SIGNAL_PKT(p, 7, MX_PKT_TYPE_SIGNAL_REP, MX_EVENT_SIGNALED);
	ASSERT_EQ(0, p.signal.observed & MX_USER_SIGNAL_ALL);
	ASSERT_EMPTY(port);
	ASSERT_OK(mx_port_cancel(port, ev, 7));
	mx_handle_close(ev);
	mx_handle_close(port);
}

/* REPEATING on a server's channel end: messages, then PEER_CLOSED. */
TEST(repeating_channel)
{
	mx_handle_t port, a, b;
	mx_port_packet_t p;
	uint32_t v;
	int i;

	ASSERT_OK(mx_port_create(0, &port));
	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_OK(mx_object_wait_async(b, port, 1,
				       MX_CHANNEL_READABLE | MX_CHANNEL_PEER_CLOSED,
				       MX_WAIT_ASYNC_REPEATING));
	for (i = 0; i < 3; i++) {
		v = (uint32_t)i;
		ASSERT_OK(mx_channel_write(a, 0, &v, sizeof(v), NULL, 0));
		ASSERT_OK(mx_port_wait(port, mx_deadline_after(MX_SEC(20)), &p,
				       0));
		ASSERT_SIGNAL_PKT(p, 1, MX_PKT_TYPE_SIGNAL_REP,
				  MX_CHANNEL_READABLE | MX_CHANNEL_PEER_CLOSED);
		ASSERT_TRUE(p.signal.observed & MX_CHANNEL_READABLE);
		ASSERT_EQ(1, p.signal.count);
		ASSERT_OK(mx_channel_read(b, 0, &v, NULL, sizeof(v), 0, NULL,
					  NULL));
		ASSERT_EQ((uint32_t)i, v);
		/* reading it empty sets no trigger signal */
		ASSERT_EMPTY(port);
	}
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(take(port, &p));
	ASSERT_SIGNAL_PKT(p, 1, MX_PKT_TYPE_SIGNAL_REP,
			  MX_CHANNEL_READABLE | MX_CHANNEL_PEER_CLOSED);
	ASSERT_TRUE(p.signal.observed & MX_CHANNEL_PEER_CLOSED);
	ASSERT_EQ(0, p.signal.observed & MX_CHANNEL_READABLE);
	ASSERT_EMPTY(port);
	mx_handle_close(b);
	mx_handle_close(port);
}

/* ---- cancel ---- */

TEST(cancel_errors)
{
	mx_handle_t port, port2, port_ro, port_wo, ev, ev_wo, ev_ro, ev2;
	mx_port_packet_t p;

	ASSERT_OK(mx_port_create(0, &port));
	ASSERT_OK(mx_port_create(0, &port2));
	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_event_create(0, &ev2));
	ASSERT_OK(mx_handle_duplicate(port, MX_DEFAULT_PORT_RIGHTS &
				      ~MX_RIGHT_WRITE, &port_ro));
	ASSERT_OK(mx_handle_duplicate(port, MX_RIGHT_WRITE, &port_wo));
	ASSERT_OK(mx_handle_duplicate(ev, MX_RIGHT_WRITE | MX_RIGHT_SIGNAL,
				      &ev_wo));
	ASSERT_OK(mx_handle_duplicate(ev, MX_RIGHT_READ, &ev_ro));
	ASSERT_OK(mx_object_wait_async(ev, port, 5, MX_EVENT_SIGNALED,
				       MX_WAIT_ASYNC_REPEATING));
	/* the port first */
	ASSERT_STATUS(MX_ERR_BAD_HANDLE, mx_port_cancel(MXT_BAD_VALUE, ev, 5));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_port_cancel(MXT_BAD_VALUE, MXT_BAD_VALUE, 5));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_port_cancel(port_ro, ev, 5));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_port_cancel(port_ro, MXT_BAD_VALUE, 5));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE, mx_port_cancel(ev2, ev, 5));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE,
		      mx_port_cancel(ev2, MXT_BAD_VALUE, 5));
	/* then the source */
	ASSERT_STATUS(MX_ERR_BAD_HANDLE, mx_port_cancel(port, MXT_BAD_VALUE, 5));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_port_cancel(port, ev_wo, 5));
	ASSERT_STATUS(MX_ERR_NOT_SUPPORTED, mx_port_cancel(port, port2, 5));
	ASSERT_STATUS(MX_ERR_NOT_SUPPORTED, mx_port_cancel(port, port, 5));
	/* nothing registered through these */
	ASSERT_STATUS(MX_ERR_NOT_FOUND, mx_port_cancel(port, ev2, 5));
	ASSERT_STATUS(MX_ERR_NOT_FOUND, mx_port_cancel(port, ev_ro, 5));
	/* on another port */
	ASSERT_STATUS(MX_ERR_NOT_FOUND, mx_port_cancel(port2, ev, 5));
	/* after all that the registration still works */
	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED));
	ASSERT_OK(take(port, &p));
	ASSERT_SIGNAL_PKT(p, 5, MX_PKT_TYPE_SIGNAL_REP, MX_EVENT_SIGNALED);
	ASSERT_EMPTY(port2);
	/* WRITE on the port and READ on the source are enough */
	ASSERT_OK(mx_object_wait_async(ev_ro, port, 6, MX_EVENT_SIGNALED,
				       MX_WAIT_ASYNC_REPEATING));
	ASSERT_OK(take(port, &p));
	ASSERT_SIGNAL_PKT(p, 6, MX_PKT_TYPE_SIGNAL_REP, MX_EVENT_SIGNALED);
	ASSERT_OK(mx_port_cancel(port_wo, ev_ro, 6));
	ASSERT_OK(mx_port_cancel(port, ev, 5));
	ASSERT_OK(mx_object_signal(ev, MX_EVENT_SIGNALED, 0));
	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED));
	ASSERT_EMPTY(port);
	mx_handle_close(port);
	mx_handle_close(port2);
	mx_handle_close(port_ro);
	mx_handle_close(port_wo);
	mx_handle_close(ev);
	mx_handle_close(ev_wo);
	mx_handle_close(ev_ro);
	mx_handle_close(ev2);
}

/* Cancel ends armed registrations; a second cancel finds nothing. */
TEST(cancel_armed)
{
	mx_handle_t port, ev, a, b;

	ASSERT_OK(mx_port_create(0, &port));
	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_OK(mx_object_wait_async(ev, port, 1, MX_EVENT_SIGNALED,
				       MX_WAIT_ASYNC_REPEATING));
	ASSERT_OK(mx_object_wait_async(ev, port, 2, MX_EVENT_SIGNALED,
				       MX_WAIT_ASYNC_ONCE));
	ASSERT_OK(mx_object_wait_async(b, port, 3, MX_CHANNEL_READABLE,
				       MX_WAIT_ASYNC_REPEATING));
	ASSERT_OK(mx_port_cancel(port, ev, 1));
	ASSERT_OK(mx_port_cancel(port, ev, 2));
	ASSERT_OK(mx_port_cancel(port, b, 3));
	ASSERT_STATUS(MX_ERR_NOT_FOUND, mx_port_cancel(port, ev, 1));
	ASSERT_STATUS(MX_ERR_NOT_FOUND, mx_port_cancel(port, ev, 2));
	ASSERT_STATUS(MX_ERR_NOT_FOUND, mx_port_cancel(port, b, 3));
	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED));
	ASSERT_OK(mx_object_signal(ev, MX_EVENT_SIGNALED, 0));
	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED));
	write_n(a, 2);
	ASSERT_EMPTY(port);
	mx_handle_close(ev);
	mx_handle_close(a);
	mx_handle_close(b);
	mx_handle_close(port);
}

/* Cancel removes queued packets of the registration, not user packets. */
TEST(cancel_removes_queued_packet)
{
	mx_handle_t port, ev, ev2;
	mx_port_packet_t p;

	ASSERT_OK(mx_port_create(0, &port));
	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_event_create(0, &ev2));
	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED));
	ASSERT_OK(mx_object_signal(ev2, 0, MX_EVENT_SIGNALED));
	/* ONCE fired, not read */
	ASSERT_OK(mx_object_wait_async(ev, port, 1, MX_EVENT_SIGNALED,
				       MX_WAIT_ASYNC_ONCE));
	ASSERT_OK(mx_port_cancel(port, ev, 1));
	ASSERT_EMPTY(port);
	ASSERT_STATUS(MX_ERR_NOT_FOUND, mx_port_cancel(port, ev, 1));

	/* user packets with that key stay, in order, around it */
	ASSERT_OK(queue_key(port, 2));
	ASSERT_OK(mx_object_wait_async(ev, port, 2, MX_EVENT_SIGNALED,
				       MX_WAIT_ASYNC_REPEATING));
	ASSERT_OK(mx_object_wait_async(ev2, port, 2, MX_EVENT_SIGNALED,
				       MX_WAIT_ASYNC_ONCE));
	ASSERT_OK(queue_key(port, 2));
	ASSERT_OK(mx_port_cancel(port, ev, 2));
	/* the REP registration is gone too */
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_0));
	ASSERT_OK(take(port, &p));
	ASSERT_EQ(2, p.key);
	ASSERT_EQ(MX_PKT_TYPE_USER, p.type);
	ASSERT_OK(take(port, &p));
	ASSERT_SIGNAL_PKT(p, 2, MX_PKT_TYPE_SIGNAL_ONE, MX_EVENT_SIGNALED);
	ASSERT_OK(take(port, &p));
	ASSERT_EQ(2, p.key);
	ASSERT_EQ(MX_PKT_TYPE_USER, p.type);
	ASSERT_EMPTY(port);

	/* user packets alone are nothing to cancel */
	ASSERT_OK(queue_key(port, 3));
	ASSERT_STATUS(MX_ERR_NOT_FOUND, mx_port_cancel(port, ev, 3));
	ASSERT_OK(take(port, &p));
	ASSERT_EQ(3, p.key);
	ASSERT_EMPTY(port);
	mx_handle_close(ev);
	mx_handle_close(ev2);
	mx_handle_close(port);
}

/* A wait belongs to the handle and key it was made with. */
TEST(cancel_other_key_or_handle)
{
	mx_handle_t port, ev, dup;
	mx_port_packet_t p;

	ASSERT_OK(mx_port_create(0, &port));
	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_handle_duplicate(ev, MX_RIGHT_SAME_RIGHTS, &dup));
	ASSERT_OK(mx_object_wait_async(ev, port, 5, MX_EVENT_SIGNALED,
				       MX_WAIT_ASYNC_REPEATING));
	ASSERT_STATUS(MX_ERR_NOT_FOUND, mx_port_cancel(port, ev, 6));
	ASSERT_STATUS(MX_ERR_NOT_FOUND, mx_port_cancel(port, dup, 5));
	ASSERT_OK(mx_object_signal(dup, 0, MX_EVENT_SIGNALED));
	ASSERT_OK(take(port, &p));
	ASSERT_SIGNAL_PKT(p, 5, MX_PKT_TYPE_SIGNAL_REP, MX_EVENT_SIGNALED);
	ASSERT_EMPTY(port);
	/* the same key through both handles: cancel ends only one */
	ASSERT_OK(mx_object_signal(ev, MX_EVENT_SIGNALED, 0));
	ASSERT_OK(mx_object_wait_async(dup, port, 5, MX_EVENT_SIGNALED,
				       MX_WAIT_ASYNC_REPEATING));
	ASSERT_OK(mx_port_cancel(port, ev, 5));
	ASSERT_STATUS(MX_ERR_NOT_FOUND, mx_port_cancel(port, ev, 5));
	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED));
	ASSERT_OK(take(port, &p));
	ASSERT_SIGNAL_PKT(p, 5, MX_PKT_TYPE_SIGNAL_REP, MX_EVENT_SIGNALED);
	ASSERT_EMPTY(port);
	ASSERT_OK(mx_port_cancel(port, dup, 5));
	ASSERT_STATUS(MX_ERR_NOT_FOUND, mx_port_cancel(port, dup, 5));
	mx_handle_close(ev);
	mx_handle_close(dup);
	mx_handle_close(port);
}

/* ---- closing, sending, exiting ---- */

/* (a) The watched handle closes: its queued packet stays, the wait ends. */
TEST(close_watched_keeps_packet)
{
	struct mxt_counters before;
	mx_handle_t port, ev, dup, ev2, dup2, ev3;
	mx_port_packet_t p;
	bool have;

	COUNTERS_START(before, have);
	ASSERT_OK(mx_port_create(0, &port));
	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_handle_duplicate(ev, MX_RIGHT_SAME_RIGHTS, &dup));
	ASSERT_OK(mx_object_wait_async(ev, port, 1,
				       MX_EVENT_SIGNALED | MX_USER_SIGNAL_0,
				       MX_WAIT_ASYNC_REPEATING));
	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED));
	ASSERT_OK(mx_handle_close(ev));
	ASSERT_OK(take(port, &p));
	ASSERT_SIGNAL_PKT(p, 1, MX_PKT_TYPE_SIGNAL_REP,
			  MX_EVENT_SIGNALED | MX_USER_SIGNAL_0);
	ASSERT_TRUE(p.signal.observed & MX_EVENT_SIGNALED);
	ASSERT_OK(mx_object_signal(dup, 0, MX_USER_SIGNAL_0));
	ASSERT_OK(mx_object_signal(dup, MX_EVENT_SIGNALED, 0));
	ASSERT_OK(mx_object_signal(dup, 0, MX_EVENT_SIGNALED));
	ASSERT_EMPTY(port);

	/* an armed ONCE and REPEATING end too, and replace ends them */
	ASSERT_OK(mx_event_create(0, &ev2));
	ASSERT_OK(mx_handle_duplicate(ev2, MX_RIGHT_SAME_RIGHTS, &dup2));
	ASSERT_OK(mx_object_wait_async(ev2, port, 2, MX_EVENT_SIGNALED,
				       MX_WAIT_ASYNC_ONCE));
	ASSERT_OK(mx_object_wait_async(dup2, port, 3, MX_EVENT_SIGNALED,
				       MX_WAIT_ASYNC_REPEATING));
	ASSERT_OK(mx_handle_close(ev2));
	ASSERT_OK(mx_handle_replace(dup2, MX_RIGHT_SAME_RIGHTS, &ev3));
	ASSERT_OK(mx_object_signal(ev3, 0, MX_EVENT_SIGNALED));
	ASSERT_EMPTY(port);
	ASSERT_STATUS(MX_ERR_NOT_FOUND, mx_port_cancel(port, ev3, 3));
	mx_handle_close(ev3);
	mx_handle_close(dup);
	mx_handle_close(port);
	if (!have)
		SKIP(return, "no debugfs: counters not checked");
	ASSERT_COUNTERS_BACK(before);
}

/* (b) The port closes with waits armed and packets queued. */
TEST(close_port_with_waits)
{
	struct mxt_counters before, mid;
	mx_handle_t port, a, b, ev;
	mx_signals_t s = 0;
	uint32_t v = 5;
	bool have;

	COUNTERS_START(before, have);
	ASSERT_OK(mx_port_create(0, &port));
	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_object_wait_async(b, port, 1, MX_CHANNEL_READABLE,
				       MX_WAIT_ASYNC_REPEATING));
	ASSERT_OK(mx_object_wait_async(ev, port, 2, MX_EVENT_SIGNALED,
				       MX_WAIT_ASYNC_ONCE));
	ASSERT_OK(mx_object_wait_async(ev, port, 3, MX_USER_SIGNAL_0,
				       MX_WAIT_ASYNC_REPEATING));
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_0));
	ASSERT_OK(queue_key(port, 4));
	ASSERT_OK(queue_key(port, 5));
	if (have) {
		ASSERT_TRUE(mxt_counters_read(&mid));
		ASSERT_EQ(before.packets + 2, mid.packets);
		ASSERT_EQ(before.async_waits + 3, mid.async_waits);
	}
	ASSERT_OK(mx_handle_close(port));
	if (have) {
		/* the channel and the event are still open */
		ASSERT_TRUE(mxt_counters_read(&mid));
		ASSERT_EQ(before.packets, mid.packets);
		ASSERT_EQ(before.async_waits, mid.async_waits);
	}
	/* the channel and the event carry on */
	ASSERT_OK(mx_channel_write(a, 0, &v, sizeof(v), NULL, 0));
	v = 0;
	ASSERT_OK(mx_channel_read(b, 0, &v, NULL, sizeof(v), 0, NULL, NULL));
	ASSERT_EQ(5, v);
	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED));
	ASSERT_OK(mx_object_wait_one(ev, MX_EVENT_SIGNALED, 0, &s));
	ASSERT_TRUE(s & MX_USER_SIGNAL_0);
	ASSERT_OK(mx_object_signal(ev, MX_EVENT_SIGNALED | MX_USER_SIGNAL_0, 0));
	ASSERT_EQ(MX_SIGNAL_LAST_HANDLE, state(ev));
	mx_handle_close(a);
	mx_handle_close(b);
	mx_handle_close(ev);
	if (!have)
		SKIP(return, "no debugfs: counters not checked");
	ASSERT_COUNTERS_BACK(before);
}

/* (c) Sending the watched handle away ends the wait like a close. */
TEST(send_watched_handle)
{
	struct mxt_counters before;
	mx_handle_t port, ev, dup, a, b, got;
	mx_port_packet_t p;
	uint32_t nh;
	bool have;

	COUNTERS_START(before, have);
	ASSERT_OK(mx_port_create(0, &port));
	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_handle_duplicate(ev, MX_RIGHT_SAME_RIGHTS, &dup));
	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_OK(mx_object_wait_async(ev, port, 1,
				       MX_EVENT_SIGNALED | MX_USER_SIGNAL_0,
				       MX_WAIT_ASYNC_REPEATING));
	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED));
	ASSERT_OK(mx_channel_write(a, 0, NULL, 0, &ev, 1));
	ASSERT_FALSE(mxt_valid(ev));
	/* the packet stayed */
	ASSERT_OK(take(port, &p));
	ASSERT_SIGNAL_PKT(p, 1, MX_PKT_TYPE_SIGNAL_REP,
			  MX_EVENT_SIGNALED | MX_USER_SIGNAL_0);
	/* the wait is over, whichever handle signals */
	ASSERT_OK(mx_channel_read(b, 0, NULL, &got, 0, 1, NULL, &nh));
	ASSERT_EQ(1, nh);
	ASSERT_OK(mx_object_signal(got, 0, MX_USER_SIGNAL_0));
	ASSERT_OK(mx_object_signal(dup, MX_EVENT_SIGNALED, 0));
	ASSERT_OK(mx_object_signal(dup, 0, MX_EVENT_SIGNALED));
	ASSERT_EMPTY(port);
	/* it was not the new handle's */
	ASSERT_STATUS(MX_ERR_NOT_FOUND, mx_port_cancel(port, got, 1));
	mx_handle_close(got);
	mx_handle_close(dup);
	mx_handle_close(a);
	mx_handle_close(b);
	mx_handle_close(port);
	if (!have)
		SKIP(return, "no debugfs: counters not checked");
	ASSERT_COUNTERS_BACK(before);
}

/*
 * (d) The port handle travels: read back, it still has its packets and
 * waits; left in a channel whose ends close, all of it is freed.
 */
TEST(send_port_handle)
{
	struct mxt_counters before, mid;
	mx_handle_t port, ev, ev2, a, b, got;
	mx_port_packet_t p;
	uint32_t nh;
	bool have;

	COUNTERS_START(before, have);
	ASSERT_OK(mx_port_create(0, &port));
	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_event_create(0, &ev2));
	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_OK(queue_key(port, 1));
	ASSERT_OK(mx_object_wait_async(ev, port, 2, MX_EVENT_SIGNALED,
				       MX_WAIT_ASYNC_REPEATING));
	ASSERT_OK(mx_channel_write(a, 0, NULL, 0, &port, 1));
	ASSERT_OK(mx_channel_read(b, 0, NULL, &got, 0, 1, NULL, &nh));
	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED));
	ASSERT_OK(take(got, &p));
	ASSERT_EQ(1, p.key);
	ASSERT_EQ(MX_PKT_TYPE_USER, p.type);
	ASSERT_OK(take(got, &p));
	ASSERT_SIGNAL_PKT(p, 2, MX_PKT_TYPE_SIGNAL_REP, MX_EVENT_SIGNALED);
	ASSERT_EMPTY(got);

	/* now into the channel for good, with things on it */
	ASSERT_OK(queue_key(got, 3));
	ASSERT_OK(queue_key(got, 4));
	ASSERT_OK(mx_object_signal(ev, 0, MX_USER_SIGNAL_0)); /* REP queued */
	ASSERT_OK(mx_object_wait_async(ev2, got, 5, MX_EVENT_SIGNALED,
				       MX_WAIT_ASYNC_ONCE));
	ASSERT_OK(mx_channel_write(a, 0, NULL, 0, &got, 1));
	if (have) {
		ASSERT_TRUE(mxt_counters_read(&mid));
		ASSERT_EQ(before.packets + 2, mid.packets);
		ASSERT_EQ(before.async_waits + 2, mid.async_waits);
	}
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
	if (have) {
		ASSERT_TRUE(mxt_counters_read(&mid));
		ASSERT_EQ(before.packets, mid.packets);
		ASSERT_EQ(before.async_waits, mid.async_waits);
	}
	/* the events do not miss it */
	ASSERT_OK(mx_object_signal(ev, MX_EVENT_SIGNALED, 0));
	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED));
	ASSERT_OK(mx_object_signal(ev2, 0, MX_EVENT_SIGNALED));
	ASSERT_OK(mx_object_wait_one(ev2, MX_EVENT_SIGNALED, 0, NULL));
	mx_handle_close(ev);
	mx_handle_close(ev2);
	if (!have)
		SKIP(return, "no debugfs: counters not checked");
	ASSERT_COUNTERS_BACK(before);
}

static mx_status_t wait_read(mx_handle_t h, void *buf, uint32_t size)
{
	mx_status_t st;

	st = mx_object_wait_one(h, MX_CHANNEL_READABLE | MX_CHANNEL_PEER_CLOSED,
				mx_deadline_after(MX_SEC(20)), NULL);
	if (st != MX_OK)
		return st;
	return mx_channel_read(h, 0, buf, NULL, size, 0, NULL, NULL);
}

/*
 * The child of (e): leave a port with armed waits, fired waits and user
 * packets behind; "exit" returns once told to, "kill" blocks in
 * port_wait until killed.
 */
static int child_leave(const char *how)
{
	mx_handle_t h = mx_get_startup_handle(H0), port, port2, x, y, e1, e2;
	mx_port_packet_t p;
	char buf[8];
	int i;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (h <= 0)
		return 10;
	if (mx_port_create(0, &port) || mx_port_create(0, &port2) ||
	    mx_channel_create(0, &x, &y) || mx_event_create(0, &e1) ||
	    mx_event_create(0, &e2))
		return 11;
	/* REPEATING fired (packet queued), ONCE fired, ONCE armed */
	if (mx_object_wait_async(y, port, 1, MX_CHANNEL_READABLE,
				 MX_WAIT_ASYNC_REPEATING) ||
	    mx_object_wait_async(e1, port, 2, MX_EVENT_SIGNALED,
				 MX_WAIT_ASYNC_ONCE) ||
	    mx_object_wait_async(e2, port, 3, MX_EVENT_SIGNALED,
				 MX_WAIT_ASYNC_ONCE))
		return 12;
	if (mx_object_signal(e1, 0, MX_EVENT_SIGNALED) ||
	    mx_channel_write(x, 0, "m", 2, NULL, 0))
		return 13;
	for (i = 0; i < 3; i++)
		if (queue_key(port, 10 + (uint64_t)i))
			return 14;
	if (mx_channel_write(h, 0, "ready", 6, NULL, 0))
		return 15;
	if (!strcmp(how, "kill")) {
		mx_port_wait(port2, MX_TIME_INFINITE, &p, 0);
		return 16;
	}
	if (wait_read(h, buf, sizeof(buf)) != MX_OK)
		return 17;
	return 0;	/* closing nothing */
}

/* (e) A process exits, or is killed, with a busy port: all freed. */
TEST(process_exit_frees_port)
{
	struct mxt_counters before, mid;
	static const char *const how[2] = { "exit", "kill" };
	int round;

	if (!mxt_counters_read(&before))
		SKIP(return, "no debugfs: counters not checked");
	ASSERT_LE(0, before.packets);
	ASSERT_LE(0, before.async_waits);
	for (round = 0; round < 2; round++) {
		char *argv[] = { self_exe, "--child", (char *)how[round], NULL };
		mx_handle_t c, theirs;
		uint32_t id = H0;
		char buf[8];
		pid_t pid;

		ASSERT_OK(mx_channel_create(0, &c, &theirs));
		ASSERT_OK(mxchan_spawn(self_exe, argv, NULL, 1, &theirs, &id,
				       &pid));
		ASSERT_OK(wait_read(c, buf, sizeof(buf)));
		ASSERT_STREQ("ready", buf);
		ASSERT_TRUE(mxt_counters_read(&mid));
		ASSERT_EQ(before.packets + 3, mid.packets);
		ASSERT_EQ(before.async_waits + 3, mid.async_waits);
		if (round == 0) {
			ASSERT_OK(mx_channel_write(c, 0, "go", 3, NULL, 0));
			ASSERT_EQ(0, mxt_reap(pid));
		} else {
			mx_nanosleep(mx_deadline_after(MX_MSEC(20)));
			ASSERT_EQ(0, kill(pid, SIGKILL));
			ASSERT_EQ(128 + SIGKILL, mxt_reap(pid));
		}
		ASSERT_TRUE(mxt_peer_closed(c));
		ASSERT_OK(mx_handle_close(c));
		ASSERT_COUNTERS_BACK(before);
	}
}

struct closer {
	pthread_t thread;
	pthread_barrier_t *go;
	mx_handle_t h;
	mx_status_t status;
};

static void *closer_thread(void *p)
{
	struct closer *c = p;

	pthread_barrier_wait(c->go);
	c->status = mx_handle_close(c->h);
	return NULL;
}

struct drainer {
	pthread_t thread;
	pid_t tid;
	mx_handle_t port;
	mx_status_t status;
	int signal_packets;
	mx_port_packet_t last_signal;
};

/* Take packets until the user packet with key ~0 (the end). */
static void *drainer_thread(void *p)
{
	struct drainer *d = p;
	mx_port_packet_t pkt;

	__atomic_store_n(&d->tid, (pid_t)syscall(SYS_gettid), __ATOMIC_SEQ_CST);
	for (;;) {
		d->status = mx_port_wait(d->port, mx_deadline_after(MX_SEC(20)),
					 &pkt, 0);
		if (d->status != MX_OK)
			return NULL;
		if (pkt.type == MX_PKT_TYPE_USER && pkt.key == ~0ull)
			return NULL;
		d->signal_packets++;
		d->last_signal = pkt;
	}
}

/*
 * (f) Two threads close the two handles of a watched event (the second
 * closes the last one) while a third waits on the port: no hang, at most
 * the one packet of LAST_HANDLE, nothing left behind.
 */
TEST(close_last_handle_while_waiting)
{
	struct mxt_counters before;
	pthread_barrier_t go;
	mx_handle_t port;
	int i, j, fired = 0;
	bool have;

	COUNTERS_START(before, have);
	ASSERT_OK(mx_port_create(0, &port));
	pthread_barrier_init(&go, NULL, 2);
	for (i = 0; i < 20; i++) {
		struct drainer d = { .port = port };
		struct closer c[2];
		mx_handle_t ev, dup;

		ASSERT_OK(mx_event_create(0, &ev));
		ASSERT_OK(mx_handle_duplicate(ev, MX_RIGHT_SAME_RIGHTS, &dup));
		ASSERT_OK(mx_object_wait_async(ev, port, (uint64_t)i,
					       MX_SIGNAL_LAST_HANDLE,
					       MX_WAIT_ASYNC_REPEATING));
		pthread_create(&d.thread, NULL, drainer_thread, &d);
		for (j = 0; j < 20000; j++) {
			pid_t tid = __atomic_load_n(&d.tid, __ATOMIC_SEQ_CST);

			if (tid && mxt_asleep(tid))
				break;
			mx_nanosleep(mx_deadline_after(MX_MSEC(1)));
		}
		c[0] = (struct closer){ .go = &go, .h = ev };
		c[1] = (struct closer){ .go = &go, .h = dup };
		pthread_create(&c[0].thread, NULL, closer_thread, &c[0]);
		pthread_create(&c[1].thread, NULL, closer_thread, &c[1]);
		pthread_join(c[0].thread, NULL);
		pthread_join(c[1].thread, NULL);
		ASSERT_OK(c[0].status);
		ASSERT_OK(c[1].status);
		/* anything the closes queued is ahead of the end marker */
		ASSERT_OK(queue_key(port, ~0ull));
		pthread_join(d.thread, NULL);
		ASSERT_OK(d.status);
		ASSERT_LE(d.signal_packets, 1);
		if (d.signal_packets) {
			ASSERT_SIGNAL_PKT(d.last_signal, (uint64_t)i,
					  MX_PKT_TYPE_SIGNAL_REP,
					  MX_SIGNAL_LAST_HANDLE);
			ASSERT_TRUE(d.last_signal.signal.observed &
				    MX_SIGNAL_LAST_HANDLE);
			fired++;
		}
		ASSERT_EMPTY(port);
	}
	TH_LOG("LAST_HANDLE packet in %d of 20 rounds", fired);
	pthread_barrier_destroy(&go);
	mx_handle_close(port);
	if (!have)
		SKIP(return, "no debugfs: counters not checked");
	ASSERT_COUNTERS_BACK(before);
}

/* ---- signal fd ---- */

TEST(signal_fd_on_port)
{
	struct epoll_event in = { .events = EPOLLIN | EPOLLET }, out;
	mx_handle_t port, ev, wo;
	mx_port_packet_t p;
	struct pollfd pfd;
	struct later l;
	int fd, fd2, ep;

	ASSERT_OK(mx_port_create(0, &port));
	ASSERT_OK(mxchan_signal_fd(port, MX_PORT_READABLE, &fd));
	ASSERT_GE(fd, 0);
	ASSERT_EQ(FD_CLOEXEC, fcntl(fd, F_GETFD) & FD_CLOEXEC);
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	ASSERT_EQ(0, poll(&pfd, 1, 0));
	ASSERT_OK(queue_key(port, 1));
	ASSERT_EQ(1, poll(&pfd, 1, 0));
	ASSERT_TRUE(pfd.revents & POLLIN);
	ASSERT_OK(take(port, &p));
	ASSERT_EQ(0, poll(&pfd, 1, 0));

	/* edge-triggered: each packet is an event */
	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_GE(ep, 0);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, fd, &in));
	ASSERT_EQ(0, epoll_wait(ep, &out, 1, 0));
	ASSERT_OK(queue_key(port, 2));
	ASSERT_EQ(1, epoll_wait(ep, &out, 1, 0));
	ASSERT_TRUE(out.events & EPOLLIN);
	ASSERT_EQ(0, epoll_wait(ep, &out, 1, 0));
	ASSERT_OK(queue_key(port, 3));
	ASSERT_EQ(1, epoll_wait(ep, &out, 1, 0));
	ASSERT_EQ(0, epoll_wait(ep, &out, 1, 0));
	/* a signal packet is one too */
	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_object_wait_async(ev, port, 4, MX_EVENT_SIGNALED,
				       MX_WAIT_ASYNC_ONCE));
	ASSERT_EQ(0, epoll_wait(ep, &out, 1, 0));
	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED));
	ASSERT_EQ(1, epoll_wait(ep, &out, 1, 0));
	/* its source closes: the packet and the fd stay */
	ASSERT_OK(mx_handle_close(ev));
	ASSERT_EQ(1, poll(&pfd, 1, 0));
	ASSERT_OK(take(port, &p));
	ASSERT_EQ(2, p.key);
	ASSERT_OK(take(port, &p));
	ASSERT_EQ(3, p.key);
	ASSERT_EQ(1, poll(&pfd, 1, 0));
	ASSERT_OK(take(port, &p));
	ASSERT_SIGNAL_PKT(p, 4, MX_PKT_TYPE_SIGNAL_ONE, MX_EVENT_SIGNALED);
	ASSERT_EQ(0, poll(&pfd, 1, 0));
	ASSERT_EQ(0, epoll_wait(ep, &out, 1, 0));
	/* a packet from another thread wakes a blocked epoll_wait */
	later_start(&l, do_queue, port, 5);
	ASSERT_EQ(1, epoll_wait(ep, &out, 1, 20000));
	pthread_join(l.thread, NULL);
	ASSERT_OK(l.result);
	ASSERT_OK(take(port, &p));
	ASSERT_EQ(5, p.key);
	ASSERT_EQ(0, poll(&pfd, 1, 0));
	/* READ is needed */
	ASSERT_OK(mx_handle_duplicate(port, MX_RIGHT_WRITE, &wo));
	fd2 = -1;
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mxchan_signal_fd(wo, MX_PORT_READABLE, &fd2));
	ASSERT_EQ(-1, fd2);
	close(ep);
	close(fd);
	mx_handle_close(wo);
	mx_handle_close(port);
}

/* ---- stress ---- */

#define SWORKERS 3
#define SROUNDS 300
#define NSLOTS 4
#define SKEY(who, n) (((uint64_t)(who) << 32) | (uint32_t)(n))

struct stress {
	mx_handle_t port;
	mx_handle_t slots[NSLOTS];
	mx_time_t end;			/* stop early past this */
	int stop;
	int bad;			/* unexpected outcomes */
	pthread_mutex_t lock;
	char what[160];			/* the first of them */
	int rounds[SWORKERS + 1];
	long packets;
};

struct sworker {
	pthread_t thread;
	struct stress *s;
	int id;
};

static void stress_bad(struct stress *s, const char *op, int line,
		       mx_status_t st)
{
	pthread_mutex_lock(&s->lock);
	if (!s->bad++)
		snprintf(s->what, sizeof(s->what), "%s (line %d): %s", op,
			 line, mx_status_get_string(st));
	pthread_mutex_unlock(&s->lock);
}

/* Record st unless it is ok1 or ok2. */
#define SX_EXPECT2(s, call, ok1, ok2) do {					\
	mx_status_t __st = (call);					\
	if (__st != (ok1) && __st != (ok2))				\
		stress_bad((s), #call, __LINE__, __st);			\
} while (0)
#define SX_EXPECT1(s, call, ok) SX_EXPECT2(s, call, ok, ok)

/* A packet taken during the stress must be one somebody made. */
static void stress_check_pkt(struct stress *s, const mx_port_packet_t *p)
{
	uint64_t who = p->key >> 32 & 0x7fffffff;

	if (p->type > MX_PKT_TYPE_SIGNAL_REP || who < 1 ||
	    who > SWORKERS + 1)
		stress_bad(s, "packet", __LINE__, (mx_status_t)p->type);
	__atomic_add_fetch(&s->packets, 1, __ATOMIC_RELAXED);
}

static bool stress_over(struct stress *s, int round)
{
	return round >= SROUNDS || __atomic_load_n(&s->stop, __ATOMIC_SEQ_CST) ||
	       mx_time_get(MX_CLOCK_MONOTONIC) > s->end;
}

static void *stress_worker(void *p)
{
	struct sworker *w = p;
	struct stress *s = w->s;
	mx_handle_t ev = 0, a = 0, b = 0, h;
	mx_port_packet_t pkt;
	uint32_t opt, v;
	mx_status_t st;
	uint64_t key;
	int r;

	for (r = 0; !stress_over(s, r); r++) {
		key = SKEY(w->id, r);
		opt = r & 1 ? MX_WAIT_ASYNC_REPEATING : MX_WAIT_ASYNC_ONCE;
		if (r % 16 == 0) {
			/* close with waits armed, and start again */
			if (ev) {
				SX_EXPECT1(s, mx_handle_close(ev), MX_OK);
				SX_EXPECT1(s, mx_handle_close(a), MX_OK);
				SX_EXPECT1(s, mx_handle_close(b), MX_OK);
			}
			SX_EXPECT1(s, mx_event_create(0, &ev), MX_OK);
			SX_EXPECT1(s, mx_channel_create(0, &a, &b), MX_OK);
		}
		SX_EXPECT1(s, mx_object_wait_async(ev, s->port, key,
						 MX_EVENT_SIGNALED, opt), MX_OK);
		SX_EXPECT1(s, mx_object_wait_async(b, s->port, key,
						 MX_CHANNEL_READABLE,
						 MX_WAIT_ASYNC_REPEATING), MX_OK);
		SX_EXPECT1(s, mx_object_signal(ev, 0, MX_EVENT_SIGNALED), MX_OK);
		v = (uint32_t)r;
		SX_EXPECT1(s, mx_channel_write(a, 0, &v, sizeof(v), NULL, 0), MX_OK);
		SX_EXPECT1(s, queue_key(s->port, key), MX_OK);
		memset(&pkt, 0, sizeof(pkt));
		SX_EXPECT2(s, mx_port_wait(s->port, 0, &pkt, 0), MX_OK,
			MX_ERR_TIMED_OUT);
		if (pkt.key)
			stress_check_pkt(s, &pkt);
		/* a REPEATING wait is armed until canceled; a ONCE may be taken */
		if (opt == MX_WAIT_ASYNC_REPEATING)
			SX_EXPECT1(s, mx_port_cancel(s->port, ev, key), MX_OK);
		else
			SX_EXPECT2(s, mx_port_cancel(s->port, ev, key), MX_OK,
				MX_ERR_NOT_FOUND);
		if (r % 16 != 15)
			SX_EXPECT1(s, mx_port_cancel(s->port, b, key), MX_OK);
		SX_EXPECT1(s, mx_object_signal(ev, MX_EVENT_SIGNALED, 0), MX_OK);
		SX_EXPECT1(s, mx_channel_read(b, 0, &v, NULL, sizeof(v), 0, NULL,
					   NULL), MX_OK);
		/* the churner's events, which it may close at any moment */
		h = __atomic_load_n(&s->slots[r % NSLOTS], __ATOMIC_SEQ_CST);
		key |= 1ull << 63;
		SX_EXPECT2(s, mx_object_wait_async(h, s->port, key, MX_USER_SIGNAL_1,
						opt), MX_OK, MX_ERR_BAD_HANDLE);
		SX_EXPECT2(s, mx_object_signal(h, 0, MX_USER_SIGNAL_1), MX_OK,
			MX_ERR_BAD_HANDLE);
		SX_EXPECT2(s, mx_object_signal(h, MX_USER_SIGNAL_1, 0), MX_OK,
			MX_ERR_BAD_HANDLE);
		st = mx_port_cancel(s->port, h, key);
		if (st != MX_OK && st != MX_ERR_NOT_FOUND &&
		    st != MX_ERR_BAD_HANDLE)
			stress_bad(s, "cancel on a slot", __LINE__, st);
	}
	s->rounds[w->id - 1] = r;
	if (ev) {
		SX_EXPECT1(s, mx_handle_close(ev), MX_OK);
		SX_EXPECT1(s, mx_handle_close(a), MX_OK);
		SX_EXPECT1(s, mx_handle_close(b), MX_OK);
	}
	return NULL;
}

/* Replace the slot events, each with a wait armed, closing the old. */
static void *stress_churner(void *p)
{
	struct stress *s = p;
	mx_handle_t ev, old;
	int r, i;

	for (r = 0; !stress_over(s, r); r++) {
		i = r % NSLOTS;
		if (mx_event_create(0, &ev) != MX_OK) {
			stress_bad(s, "event_create", __LINE__, MX_ERR_INTERNAL);
			break;
		}
		SX_EXPECT1(s, mx_object_wait_async(ev, s->port, SKEY(SWORKERS + 1, r),
						MX_EVENT_SIGNALED |
						MX_USER_SIGNAL_1,
						MX_WAIT_ASYNC_REPEATING), MX_OK);
		old = __atomic_exchange_n(&s->slots[i], ev, __ATOMIC_SEQ_CST);
		SX_EXPECT1(s, mx_object_signal(old, 0, MX_EVENT_SIGNALED), MX_OK);
		SX_EXPECT1(s, mx_handle_close(old), MX_OK);
	}
	s->rounds[SWORKERS] = r;
	return NULL;
}

/* Waits with short deadlines, taking whatever comes. */
static void *stress_consumer(void *p)
{
	struct stress *s = p;
	mx_port_packet_t pkt;
	mx_status_t st;

	while (!__atomic_load_n(&s->stop, __ATOMIC_SEQ_CST)) {
		st = mx_port_wait(s->port, mx_deadline_after(MX_MSEC(2)), &pkt,
				  0);
		if (st == MX_OK)
			stress_check_pkt(s, &pkt);
		else if (st != MX_ERR_TIMED_OUT)
			stress_bad(s, "consumer port_wait", __LINE__, st);
	}
	return NULL;
}

TEST(stress_shared_port)
{
	struct stress s = { .stop = 0 };
	struct sworker w[SWORKERS];
	struct mxt_counters before;
	pthread_t churner, consumer;
	mx_port_packet_t pkt;
	mx_status_t st;
	bool have;
	int i;

	COUNTERS_START(before, have);
	pthread_mutex_init(&s.lock, NULL);
	ASSERT_OK(mx_port_create(0, &s.port));
	for (i = 0; i < NSLOTS; i++)
		ASSERT_OK(mx_event_create(0, &s.slots[i]));
	s.end = mx_deadline_after(MX_SEC(6));
	for (i = 0; i < SWORKERS; i++) {
		w[i].s = &s;
		w[i].id = i + 1;
		pthread_create(&w[i].thread, NULL, stress_worker, &w[i]);
	}
	pthread_create(&churner, NULL, stress_churner, &s);
	pthread_create(&consumer, NULL, stress_consumer, &s);
	for (i = 0; i < SWORKERS; i++)
		pthread_join(w[i].thread, NULL);
	pthread_join(churner, NULL);
	__atomic_store_n(&s.stop, 1, __ATOMIC_SEQ_CST);
	pthread_join(consumer, NULL);
	while ((st = mx_port_wait(s.port, 0, &pkt, 0)) == MX_OK)
		stress_check_pkt(&s, &pkt);
	ASSERT_STATUS(MX_ERR_TIMED_OUT, st);
	TH_LOG("rounds %d %d %d, churner %d, %ld packets", s.rounds[0],
	       s.rounds[1], s.rounds[2], s.rounds[SWORKERS], s.packets);
	if (s.bad)
		TH_LOG("%d unexpected outcomes, first: %s", s.bad, s.what);
	ASSERT_EQ(0, s.bad);
	ASSERT_GT(s.packets, 0);
	for (i = 0; i < NSLOTS; i++)
		ASSERT_OK(mx_handle_close(s.slots[i]));
	ASSERT_OK(mx_handle_close(s.port));
	pthread_mutex_destroy(&s.lock);
	if (!have)
		SKIP(return, "no debugfs: counters not checked");
	ASSERT_COUNTERS_BACK(before);
}

int main(int argc, char **argv)
{
	ssize_t n = readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);

	if (n <= 0)
		return 1;
	self_exe[n] = 0;
	if (argc >= 3 && !strcmp(argv[1], "--child"))
		return child_leave(argv[2]);
	return test_harness_run(argc, argv);
}
