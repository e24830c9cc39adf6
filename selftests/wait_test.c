// SPDX-License-Identifier: GPL-2.0
/*
 * Signals and waits: channel, event and eventpair signals, LAST_HANDLE,
 * object_signal(_peer) mask and rights rules, wait_one and wait_many with
 * absolute deadlines, observed sets, cancellation by handle, and waits
 * under a storm of Linux signals. Time checks are lower bounds only.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/syscall.h>

#include <mxchan.h>

#include "mx-internal.h"
#include "mxchan_test.h"

#define MS(n) MX_MSEC(n)

/*
 * The current signals of h: a wait that cannot succeed, deadline now.
 * All bits set if that wait failed, so no assertion on it can pass.
 */
static mx_signals_t state(mx_handle_t h)
{
	mx_signals_t s = 0;

	if (mx_object_wait_one(h, 0, 0, &s) != MX_ERR_TIMED_OUT)
		return ~0u;
	return s;
}

/*
 * Do something to a handle from another thread, once the thread that
 * started it is asleep in its wait (and a little later), so the action
 * always lands during the wait however slow the machine.
 */
struct later {
	pthread_t thread;
	pid_t waiter;
	mx_status_t (*fn)(mx_handle_t h, uint32_t arg);
	mx_handle_t h;
	uint32_t arg;
};

static void *later_thread(void *p)
{
	struct later *l = p;
	int i;

	for (i = 0; i < 20000 && !mxt_asleep(l->waiter); i++)
		mx_nanosleep(mx_deadline_after(MX_MSEC(1)));
	mx_nanosleep(mx_deadline_after(MX_MSEC(5)));
	l->fn(l->h, l->arg);
	return NULL;
}

static void later_start(struct later *l,
			mx_status_t (*fn)(mx_handle_t, uint32_t),
			mx_handle_t h, uint32_t arg)
{
	l->waiter = (pid_t)syscall(SYS_gettid);
	l->fn = fn;
	l->h = h;
	l->arg = arg;
	pthread_create(&l->thread, NULL, later_thread, l);
}

static mx_status_t do_write(mx_handle_t h, uint32_t arg)
{
	return mx_channel_write(h, 0, &arg, sizeof(arg), NULL, 0);
}

static mx_status_t do_close(mx_handle_t h, uint32_t arg)
{
	(void)arg;
	return mx_handle_close(h);
}

static mx_status_t do_signal(mx_handle_t h, uint32_t set)
{
	return mx_object_signal(h, 0, set);
}

/* Set then clear user signal 0, then set user signal 1. */
static mx_status_t do_flicker(mx_handle_t h, uint32_t arg)
{
	(void)arg;
	mx_object_signal(h, 0, MX_USER_SIGNAL_0);
	mx_object_signal(h, MX_USER_SIGNAL_0, 0);
	return mx_object_signal(h, 0, MX_USER_SIGNAL_1);
}

TEST(channel_signals)
{
	mx_handle_t a, b;
	uint32_t v = 1;

	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_EQ(MX_CHANNEL_WRITABLE | MX_SIGNAL_LAST_HANDLE, state(a));
	ASSERT_EQ(0x00400002u, state(b));
	ASSERT_OK(mx_channel_write(a, 0, &v, 4, NULL, 0));
	ASSERT_OK(mx_channel_write(a, 0, &v, 4, NULL, 0));
	ASSERT_EQ(MX_CHANNEL_READABLE, state(b) & MX_CHANNEL_READABLE);
	ASSERT_EQ(0, state(a) & MX_CHANNEL_READABLE);
	ASSERT_OK(mx_channel_read(b, 0, &v, NULL, 4, 0, NULL, NULL));
	ASSERT_EQ(MX_CHANNEL_READABLE, state(b) & MX_CHANNEL_READABLE);
	ASSERT_OK(mx_channel_read(b, 0, &v, NULL, 4, 0, NULL, NULL));
	ASSERT_EQ(0, state(b) & MX_CHANNEL_READABLE);
	/* MAY_DISCARD emptying the queue clears READABLE too */
	ASSERT_OK(mx_channel_write(a, 0, "long", 4, NULL, 0));
	ASSERT_STATUS(MX_ERR_BUFFER_TOO_SMALL,
		      mx_channel_read(b, MX_CHANNEL_READ_MAY_DISCARD, NULL, NULL,
				      0, 0, NULL, NULL));
	ASSERT_EQ(0, state(b) & MX_CHANNEL_READABLE);
	/* the peer goes: WRITABLE off, PEER_CLOSED on, for good */
	ASSERT_OK(mx_channel_write(a, 0, &v, 4, NULL, 0));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_EQ(MX_CHANNEL_READABLE | MX_CHANNEL_PEER_CLOSED |
		  MX_SIGNAL_LAST_HANDLE, state(b));
	ASSERT_OK(mx_channel_read(b, 0, &v, NULL, 4, 0, NULL, NULL));
	ASSERT_EQ(MX_CHANNEL_PEER_CLOSED | MX_SIGNAL_LAST_HANDLE, state(b));
	mx_handle_close(b);
}

TEST(last_handle)
{
	mx_handle_t ev, dup, a, b, got;
	uint32_t nh;

	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_EQ(MX_SIGNAL_LAST_HANDLE, state(ev));
	ASSERT_OK(mx_handle_duplicate(ev, MX_RIGHT_SAME_RIGHTS, &dup));
	ASSERT_EQ(0, state(ev) & MX_SIGNAL_LAST_HANDLE);
	/* a handle in flight is a handle */
	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_OK(mx_channel_write(a, 0, NULL, 0, &dup, 1));
	ASSERT_EQ(0, state(ev) & MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_channel_read(b, 0, NULL, &got, 0, 1, NULL, &nh));
	ASSERT_OK(mx_handle_close(got));
	ASSERT_EQ(MX_SIGNAL_LAST_HANDLE, state(ev) & MX_SIGNAL_LAST_HANDLE);
	/* replace makes no edge: still one handle */
	ASSERT_OK(mx_handle_replace(ev, MX_RIGHT_SAME_RIGHTS, &ev));
	ASSERT_EQ(MX_SIGNAL_LAST_HANDLE, state(ev) & MX_SIGNAL_LAST_HANDLE);
	/* nobody may signal it */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_object_signal(ev, MX_SIGNAL_LAST_HANDLE, 0));
	mx_handle_close(ev);
	mx_handle_close(a);
	mx_handle_close(b);
}

TEST(object_signal_rules)
{
	mx_handle_t ev, weak, a, b;

	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED | MX_USER_SIGNAL_3));
	ASSERT_EQ(MX_EVENT_SIGNALED | MX_USER_SIGNAL_3,
		  state(ev) & MX_EVENT_SIGNAL_MASK);
	ASSERT_OK(mx_object_signal(ev, MX_EVENT_SIGNALED, 0));
	ASSERT_EQ(MX_USER_SIGNAL_3, state(ev) & MX_EVENT_SIGNAL_MASK);
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_object_signal(ev, 0, MX_CHANNEL_READABLE));
	/* SIGNAL is needed; events have no SIGNAL_PEER */
	ASSERT_OK(mx_handle_duplicate(ev, MX_RIGHT_READ, &weak));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_object_signal(weak, 0, MX_USER_SIGNAL_0));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_object_signal_peer(ev, 0, MX_USER_SIGNAL_0));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_object_signal(MXT_BAD_VALUE, 0, MX_USER_SIGNAL_0));
	/* channels: user signals only, on either end */
	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_OK(mx_object_signal(a, 0, MX_USER_SIGNAL_7));
	ASSERT_EQ(MX_USER_SIGNAL_7, state(a) & MX_USER_SIGNAL_ALL);
	ASSERT_OK(mx_object_signal_peer(a, 0, MX_USER_SIGNAL_1));
	ASSERT_EQ(MX_USER_SIGNAL_1, state(b) & MX_USER_SIGNAL_ALL);
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_object_signal(a, 0, MX_CHANNEL_READABLE));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_object_signal_peer(a, MX_CHANNEL_WRITABLE, 0));
	ASSERT_EQ(MX_CHANNEL_WRITABLE, state(b) & MX_CHANNEL_WRITABLE);
	/* the mask is checked before the peer's state */
	ASSERT_OK(mx_handle_close(b));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_object_signal_peer(a, 0, MX_EVENT_SIGNALED));
	ASSERT_STATUS(MX_ERR_PEER_CLOSED,
		      mx_object_signal_peer(a, 0, MX_USER_SIGNAL_0));
	mx_handle_close(a);
	mx_handle_close(ev);
	mx_handle_close(weak);
}

TEST(eventpair)
{
	mx_handle_t p, q, x = 77;
	mx_info_handle_basic_t ip, iq;

	ASSERT_STATUS(MX_ERR_NOT_SUPPORTED, mx_eventpair_create(1, &x, &x));
	ASSERT_EQ(77, x);
	ASSERT_OK(mx_eventpair_create(0, &p, &q));
	ip = mxt_info(p);
	iq = mxt_info(q);
	ASSERT_EQ(MX_OBJ_TYPE_EVENT_PAIR, ip.type);
	ASSERT_EQ(0x300Fu, ip.rights);
	ASSERT_EQ(MX_DEFAULT_EVENTPAIR_RIGHTS, iq.rights);
	ASSERT_EQ(iq.koid, ip.related_koid);
	ASSERT_EQ(ip.koid, iq.related_koid);
	ASSERT_OK(mx_object_signal_peer(p, 0, MX_EPAIR_SIGNALED));
	ASSERT_EQ(MX_EPAIR_SIGNALED, state(q) & MX_EPAIR_SIGNAL_MASK);
	ASSERT_EQ(0, state(p) & MX_EPAIR_SIGNAL_MASK);
	ASSERT_OK(mx_object_signal(q, MX_EPAIR_SIGNALED, MX_USER_SIGNAL_2));
	ASSERT_EQ(MX_USER_SIGNAL_2, state(q) & MX_EPAIR_SIGNAL_MASK);
	/* PEER_CLOSED is the kernel's to set */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_object_signal(q, 0, MX_EPAIR_PEER_CLOSED));
	ASSERT_OK(mx_handle_close(p));
	ASSERT_EQ(MX_EPAIR_PEER_CLOSED, state(q) & MX_EPAIR_PEER_CLOSED);
	ASSERT_STATUS(MX_ERR_PEER_CLOSED,
		      mx_object_signal_peer(q, 0, MX_USER_SIGNAL_0));
	mx_handle_close(q);
}

TEST(wait_one_returns_at_once_when_satisfied)
{
	mx_signals_t s = 0;
	mx_handle_t ev;

	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED));
	/* even with a deadline in the past */
	ASSERT_OK(mx_object_wait_one(ev, MX_EVENT_SIGNALED, 0, &s));
	ASSERT_EQ(MX_EVENT_SIGNALED | MX_SIGNAL_LAST_HANDLE, s);
	ASSERT_OK(mx_object_wait_one(ev, MX_EVENT_SIGNALED, MX_TIME_INFINITE,
				     NULL));
	mx_handle_close(ev);
}

TEST(wait_one_deadlines)
{
	mx_time_t deadline;
	mx_signals_t s = 0;
	mx_handle_t ev;

	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_STATUS(MX_ERR_TIMED_OUT,
		      mx_object_wait_one(ev, MX_EVENT_SIGNALED, 0, &s));
	ASSERT_EQ(MX_SIGNAL_LAST_HANDLE, s);
	deadline = mx_deadline_after(MS(50));
	ASSERT_STATUS(MX_ERR_TIMED_OUT,
		      mx_object_wait_one(ev, MX_EVENT_SIGNALED, deadline, &s));
	/* never early */
	ASSERT_GE(mx_time_get(MX_CLOCK_MONOTONIC), deadline);
	mx_handle_close(ev);
}

TEST(wait_one_wakes_on_write)
{
	mx_signals_t s = 0;
	struct later l;
	mx_handle_t a, b;

	ASSERT_OK(mx_channel_create(0, &a, &b));
	later_start(&l, do_write, a, 7);
	ASSERT_OK(mx_object_wait_one(b, MX_CHANNEL_READABLE, MX_TIME_INFINITE,
				     &s));
	ASSERT_TRUE(s & MX_CHANNEL_READABLE);
	pthread_join(l.thread, NULL);
	mx_handle_close(a);
	mx_handle_close(b);
}

/* observed is every state seen, not just the last one. */
TEST(wait_one_observed_accumulates)
{
	mx_signals_t s = 0;
	struct later l;
	mx_handle_t ev;

	ASSERT_OK(mx_event_create(0, &ev));
	later_start(&l, do_flicker, ev, 0);
	ASSERT_OK(mx_object_wait_one(ev, MX_USER_SIGNAL_1, MX_TIME_INFINITE,
				     &s));
	pthread_join(l.thread, NULL);
	ASSERT_EQ(MX_USER_SIGNAL_0 | MX_USER_SIGNAL_1 | MX_SIGNAL_LAST_HANDLE,
		  s);
	ASSERT_EQ(MX_USER_SIGNAL_1, state(ev) & MX_USER_SIGNAL_ALL);
	mx_handle_close(ev);
}

TEST(wait_one_rights_and_handles)
{
	mx_handle_t ev, noread;

	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_object_wait_one(MXT_BAD_VALUE, 1, 0, NULL));
	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_handle_duplicate(ev, MX_RIGHT_WRITE, &noread));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_object_wait_one(noread, MX_EVENT_SIGNALED, 0, NULL));
	mx_handle_close(ev);
	mx_handle_close(noread);
}

/* Closing the waited handle cancels the wait; closing a duplicate does not. */
TEST(wait_one_canceled_by_close)
{
	mx_signals_t s = 0;
	mx_handle_t ev, dup;
	struct later l;

	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_handle_duplicate(ev, MX_RIGHT_SAME_RIGHTS, &dup));
	later_start(&l, do_close, dup, 0);
	ASSERT_STATUS(MX_ERR_TIMED_OUT,
		      mx_object_wait_one(ev, MX_EVENT_SIGNALED,
					 mx_deadline_after(MS(200)), &s));
	pthread_join(l.thread, NULL);
	later_start(&l, do_close, ev, 0);
	ASSERT_STATUS(MX_ERR_CANCELED,
		      mx_object_wait_one(ev, MX_EVENT_SIGNALED,
					 MX_TIME_INFINITE, &s));
	ASSERT_TRUE(s & MX_SIGNAL_HANDLE_CLOSED);
	pthread_join(l.thread, NULL);
}

static mx_status_t do_send(mx_handle_t via, uint32_t h)
{
	mx_handle_t v = (mx_handle_t)h;

	return mx_channel_write(via, 0, NULL, 0, &v, 1);
}

/* Sending the waited handle away cancels the wait too. */
TEST(wait_one_canceled_by_send)
{
	mx_handle_t ev, a, b, got;
	mx_signals_t s = 0;
	struct later l;
	uint32_t nh;

	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_channel_create(0, &a, &b));
	later_start(&l, do_send, a, (uint32_t)ev);
	ASSERT_STATUS(MX_ERR_CANCELED,
		      mx_object_wait_one(ev, MX_EVENT_SIGNALED,
					 MX_TIME_INFINITE, &s));
	ASSERT_TRUE(s & MX_SIGNAL_HANDLE_CLOSED);
	pthread_join(l.thread, NULL);
	ASSERT_OK(mx_channel_read(b, 0, NULL, &got, 0, 1, NULL, &nh));
	mx_handle_close(got);
	mx_handle_close(a);
	mx_handle_close(b);
}

static mx_status_t do_replace(mx_handle_t h, uint32_t arg)
{
	mx_handle_t out;

	(void)arg;
	return mx_handle_replace(h, MX_RIGHT_SAME_RIGHTS, &out);
}

/* Replacing the waited handle gives it a new value: the wait ends. */
TEST(wait_one_canceled_by_replace)
{
	mx_signals_t s = 0;
	struct later l;
	mx_handle_t ev;

	ASSERT_OK(mx_event_create(0, &ev));
	later_start(&l, do_replace, ev, 0);
	ASSERT_STATUS(MX_ERR_CANCELED,
		      mx_object_wait_one(ev, MX_EVENT_SIGNALED,
					 MX_TIME_INFINITE, &s));
	ASSERT_TRUE(s & MX_SIGNAL_HANDLE_CLOSED);
	pthread_join(l.thread, NULL);
	ASSERT_FALSE(mxt_valid(ev));
}

/* The peer of an event pair closing wakes a waiter for PEER_CLOSED. */
TEST(wait_wakes_on_eventpair_peer_closed)
{
	mx_signals_t s = 0;
	struct later l;
	mx_handle_t p, q;

	ASSERT_OK(mx_eventpair_create(0, &p, &q));
	later_start(&l, do_close, q, 0);
	ASSERT_OK(mx_object_wait_one(p, MX_EPAIR_PEER_CLOSED, MX_TIME_INFINITE,
				     &s));
	ASSERT_TRUE(s & MX_EPAIR_PEER_CLOSED);
	pthread_join(l.thread, NULL);
	mx_handle_close(p);
}

/* Closing the other handle wakes a waiter for LAST_HANDLE. */
TEST(wait_wakes_on_last_handle)
{
	mx_signals_t s = 0;
	mx_handle_t ev, dup;
	struct later l;

	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_handle_duplicate(ev, MX_RIGHT_SAME_RIGHTS, &dup));
	later_start(&l, do_close, dup, 0);
	ASSERT_OK(mx_object_wait_one(ev, MX_SIGNAL_LAST_HANDLE,
				     MX_TIME_INFINITE, &s));
	pthread_join(l.thread, NULL);
	mx_handle_close(ev);
}

TEST(wait_many)
{
	mx_wait_item_t items[3];
	mx_handle_t a, b, ev;
	mx_time_t deadline;
	struct later l;

	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_OK(mx_event_create(0, &ev));
	items[0] = (mx_wait_item_t){ b, MX_CHANNEL_READABLE, 0 };
	items[1] = (mx_wait_item_t){ ev, MX_EVENT_SIGNALED, 0 };
	items[2] = (mx_wait_item_t){ a, MX_CHANNEL_PEER_CLOSED, 0 };
	later_start(&l, do_signal, ev, MX_EVENT_SIGNALED);
	ASSERT_OK(mx_object_wait_many(items, 3, MX_TIME_INFINITE));
	pthread_join(l.thread, NULL);
	ASSERT_EQ(0, items[0].pending & MX_CHANNEL_READABLE);
	ASSERT_TRUE(items[0].pending & MX_CHANNEL_WRITABLE);
	ASSERT_TRUE(items[1].pending & MX_EVENT_SIGNALED);
	ASSERT_TRUE(items[2].pending & MX_CHANNEL_WRITABLE);
	/* nothing satisfied: TIMED_OUT, pending still written */
	ASSERT_OK(mx_object_signal(ev, MX_EVENT_SIGNALED, 0));
	items[0].pending = items[1].pending = 0;
	deadline = mx_deadline_after(MS(30));
	ASSERT_STATUS(MX_ERR_TIMED_OUT,
		      mx_object_wait_many(items, 2, deadline));
	ASSERT_GE(mx_time_get(MX_CLOCK_MONOTONIC), deadline);
	ASSERT_TRUE(items[0].pending & MX_CHANNEL_WRITABLE);
	ASSERT_TRUE(items[1].pending & MX_SIGNAL_LAST_HANDLE);
	/* a closed handle among them: CANCELED */
	later_start(&l, do_close, ev, 0);
	ASSERT_STATUS(MX_ERR_CANCELED,
		      mx_object_wait_many(items, 2, MX_TIME_INFINITE));
	pthread_join(l.thread, NULL);
	ASSERT_TRUE(items[1].pending & MX_SIGNAL_HANDLE_CLOSED);
	ASSERT_EQ(0, items[0].pending & MX_SIGNAL_HANDLE_CLOSED);
	mx_handle_close(a);
	mx_handle_close(b);
}

TEST(wait_many_errors)
{
	mx_wait_item_t items[2], *many;
	mx_time_t deadline;
	mx_handle_t ev;

	/* no items: sleep until the deadline */
	deadline = mx_deadline_after(MS(30));
	ASSERT_STATUS(MX_ERR_TIMED_OUT, mx_object_wait_many(NULL, 0, deadline));
	ASSERT_GE(mx_time_get(MX_CLOCK_MONOTONIC), deadline);
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_object_wait_many(NULL, 1, 0));
	many = calloc(1025, sizeof(*many));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_object_wait_many(many, 1025, 0));
	free(many);
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_object_wait_many(mxt_bad_ptr(), 2, 0));
	ASSERT_OK(mx_event_create(0, &ev));
	items[0] = (mx_wait_item_t){ ev, MX_EVENT_SIGNALED, 77 };
	items[1] = (mx_wait_item_t){ MXT_BAD_VALUE, MX_EVENT_SIGNALED, 77 };
	ASSERT_STATUS(MX_ERR_BAD_HANDLE, mx_object_wait_many(items, 2, 0));
	ASSERT_EQ(77, items[0].pending);
	mx_handle_close(ev);
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
 * Signals (without SA_RESTART) hit a waiting thread again and again: the
 * wait neither fails with EINTR nor moves its deadline.
 */
TEST(wait_survives_signal_storm)
{
	struct sigaction sa = { .sa_handler = on_sigusr1 };
	struct storm st = { .stop = 0 };
	mx_time_t deadline;
	mx_signals_t s = 0;
	struct later l;
	pthread_t t;
	mx_handle_t a, b;

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	st.target = pthread_self();
	pthread_create(&t, NULL, storm_thread, &st);
	ASSERT_OK(mx_channel_create(0, &a, &b));
	deadline = mx_deadline_after(MS(100));
	ASSERT_STATUS(MX_ERR_TIMED_OUT,
		      mx_object_wait_one(b, MX_CHANNEL_READABLE, deadline, &s));
	ASSERT_GE(mx_time_get(MX_CLOCK_MONOTONIC), deadline);
	later_start(&l, do_write, a, 1);
	ASSERT_OK(mx_object_wait_one(b, MX_CHANNEL_READABLE, MX_TIME_INFINITE,
				     &s));
	/* the kernel restarts the wait itself: the raw ioctl never says EINTR */
	{
		struct mxchan_object_wait_one w = {
			.handle = (uint32_t)a,
			.waitfor = MX_CHANNEL_READABLE,
			.deadline = mx_deadline_after(MS(100)),
		};

		ASSERT_EQ(-1, ioctl(mxchan_table_fd(), MXCHAN_IOC_OBJECT_WAIT_ONE,
				    &w));
		ASSERT_EQ(ETIMEDOUT, errno);
		ASSERT_GE(mx_time_get(MX_CLOCK_MONOTONIC), w.deadline);
	}
	st.stop = 1;
	pthread_join(t, NULL);
	pthread_join(l.thread, NULL);
	mx_handle_close(a);
	mx_handle_close(b);
}

/* A signal fd in epoll, poll and select follows the channel's READABLE. */
TEST(signal_fd_in_event_loops)
{
	struct epoll_event ev = { .events = EPOLLIN }, out;
	struct timeval tv = { 0, 0 };
	mx_handle_t a, b;
	struct later l;
	struct pollfd p;
	fd_set set;
	int fd, ep;

	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_OK(mxchan_signal_fd(b, MX_CHANNEL_READABLE, &fd));
	ASSERT_GE(fd, 0);
	ASSERT_EQ(FD_CLOEXEC, fcntl(fd, F_GETFD) & FD_CLOEXEC);
	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_GE(ep, 0);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
	ASSERT_EQ(0, epoll_wait(ep, &out, 1, 0));
	/* a write from another thread wakes epoll_wait */
	later_start(&l, do_write, a, 5);
	ASSERT_EQ(1, epoll_wait(ep, &out, 1, 20000));
	pthread_join(l.thread, NULL);
	ASSERT_TRUE(out.events & EPOLLIN);
	p = (struct pollfd){ .fd = fd, .events = POLLIN };
	ASSERT_EQ(1, poll(&p, 1, 0));
	FD_ZERO(&set);
	FD_SET(fd, &set);
	ASSERT_EQ(1, select(fd + 1, &set, NULL, NULL, &tv));
	/* drained: not readable any more */
	ASSERT_OK(mx_channel_read(b, 0, (char[4]){0}, NULL, 4, 0, NULL, NULL));
	ASSERT_EQ(0, poll(&p, 1, 0));
	ASSERT_EQ(0, epoll_wait(ep, &out, 1, 0));
	close(ep);
	close(fd);
	mx_handle_close(a);
	mx_handle_close(b);
}

/* The fd holds the object, not a handle; it needs READ. */
TEST(signal_fd_is_not_a_handle)
{
	mx_handle_t a, b, ev, wo;
	struct pollfd p;
	int fd, fd2;

	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_OK(mxchan_signal_fd(a, MX_CHANNEL_PEER_CLOSED, &fd));
	ASSERT_OK(mxchan_signal_fd(b, MX_CHANNEL_READABLE, &fd2));
	ASSERT_EQ(MX_SIGNAL_LAST_HANDLE, state(b) & MX_SIGNAL_LAST_HANDLE);
	/* closing b's only handle closes b, fd or not: a sees PEER_CLOSED */
	ASSERT_OK(mx_handle_close(b));
	p = (struct pollfd){ .fd = fd, .events = POLLIN };
	ASSERT_EQ(1, poll(&p, 1, 0));
	close(fd);
	close(fd2);
	mx_handle_close(a);
	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_handle_duplicate(ev, MX_RIGHT_WRITE, &wo));
	fd = -1;
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mxchan_signal_fd(wo, MX_EVENT_SIGNALED, &fd));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mxchan_signal_fd(MXT_BAD_VALUE, MX_EVENT_SIGNALED, &fd));
	ASSERT_EQ(-1, fd);
	mx_handle_close(ev);
	mx_handle_close(wo);
}

/* Out of file descriptors: NO_RESOURCES, and no fd or leak left. */
TEST(signal_fd_without_fds)
{
	struct rlimit old, none;
	long start = mxt_live_total();
	mx_handle_t ev;
	int fd = -1, probe;

	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_EQ(0, getrlimit(RLIMIT_NOFILE, &old));
	/* the lowest free fd is the next one given: allow none above it */
	probe = dup(0);
	ASSERT_LE(0, probe);
	close(probe);
	none = old;
	none.rlim_cur = (rlim_t)probe;
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &none));
	ASSERT_STATUS(MX_ERR_NO_RESOURCES,
		      mxchan_signal_fd(ev, MX_EVENT_SIGNALED, &fd));
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &old));
	ASSERT_EQ(-1, fd);
	ASSERT_OK(mxchan_signal_fd(ev, MX_EVENT_SIGNALED, &fd));
	ASSERT_EQ(probe, fd);
	close(fd);
	ASSERT_OK(mx_handle_close(ev));
	if (start >= 0)
		ASSERT_EQ(start, mxt_live_total());
}

TEST(time_calls)
{
	mx_time_t t0, t1, deadline;

	t0 = mx_time_get(MX_CLOCK_MONOTONIC);
	t1 = mx_time_get(MX_CLOCK_MONOTONIC);
	ASSERT_GT(t0, 0);
	ASSERT_GE(t1, t0);
	ASSERT_GT(mx_time_get(MX_CLOCK_UTC), 1500000000ull * 1000000000ull);
	ASSERT_EQ(0, mx_time_get(99));
	ASSERT_GE(mx_deadline_after(0), t1);
	deadline = mx_deadline_after(MS(20));
	ASSERT_OK(mx_nanosleep(deadline));
	ASSERT_GE(mx_time_get(MX_CLOCK_MONOTONIC), deadline);
}

TEST_HARNESS_MAIN
