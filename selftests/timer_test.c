// SPDX-License-Identifier: GPL-2.0
/*
 * Timers, object cookies, the CPRNG and ticks: the Magenta calls
 * fuchsia-zircon 0.3.3 uses beyond channels, events, ports and VMOs.
 *
 * Timers: create's checks (clock, slack mode), a set that fires (never
 * before its deadline, within seconds after it), a deadline of 0 or one
 * past, a set replacing a pending one, cancel, the slack modes at their
 * saturated extremes, the WRITE right, the wrong type, user signals, a
 * timer in wait_many, a port's async wait and a signal fd, a timer sent
 * over a channel (armed, and closed inside the message), the last handle
 * closed while armed, mx_timer_start, and timers counted as events are
 * in max_user_handles. Times are generous: the guest may be an emulator
 * that runs several times slower than the host and stalls now and then,
 * so no test bounds a delay by less than seconds.
 *
 * Cookies: the first set claims the object for its scope, the same scope
 * updates and reads it, others are ACCESS_DENIED, as is a get before any
 * set; events, event pairs and VMOs keep one, other objects are
 * NOT_SUPPORTED; BAD_HANDLE for the handle and then the scope, before the
 * type; no rights needed; an event pair side loses its cookie when its
 * peer closes; a get's bad pointer is INVALID_ARGS; a cookie travels with
 * its object.
 *
 * CPRNG and ticks (libmx alone): the length limits, bytes that vary,
 * faulting buffers, no fd left open; ticks monotonic, in nanoseconds.
 *
 * Each test ends with the module's live counters (debugfs) where they
 * were.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>

#include <magenta/process.h>
#include <magenta/syscalls/object.h>
#include <magenta/syscalls/port.h>
#include <mxchan.h>

#include "mx-internal.h"
#include "mxchan_test.h"

/* How long anything that should happen may take: a hang, not slowness. */
#define LONG_WAIT	MX_SEC(30)

/* ---- helpers ---- */

/* An ioctl on this process's table: 0 or the errno. */
static int raw(unsigned long cmd, void *arg)
{
	return ioctl(mxchan_table_fd(), cmd, arg) ? errno : 0;
}

/* The signals of @h now (a wait that cannot wait). */
static mx_signals_t signals_of(mx_handle_t h)
{
	mx_signals_t seen = 0;

	mx_object_wait_one(h, MX_USER_SIGNAL_ALL | __MX_OBJECT_SIGNAL_ALL, 0,
			   &seen);
	return seen;
}

static bool is_signaled(mx_handle_t h)
{
	return signals_of(h) & MX_TIMER_SIGNALED;
}

/* Wait (LONG_WAIT) for SIGNALED on @h; the time it was seen, or 0. */
static mx_time_t fired_at(mx_handle_t h)
{
	if (mx_object_wait_one(h, MX_TIMER_SIGNALED,
			       mx_deadline_after(LONG_WAIT), NULL) != MX_OK)
		return 0;
	return mx_time_get(MX_CLOCK_MONOTONIC);
}

/* Does SIGNALED stay off on @h for @ns from now? */
static bool quiet_for(mx_handle_t h, mx_duration_t ns)
{
	return mx_object_wait_one(h, MX_TIMER_SIGNALED, mx_deadline_after(ns),
				  NULL) == MX_ERR_TIMED_OUT;
}

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/* Send @h through a new channel and read it back; the new value. */
static mx_status_t round_trip(mx_handle_t h, mx_handle_t *out)
{
	mx_handle_t c0, c1;
	uint32_t nb, nh;
	mx_status_t st;

	st = mx_channel_create(0, &c0, &c1);
	if (st != MX_OK)
		return st;
	st = mx_channel_write(c0, 0, "t", 1, &h, 1);
	if (st == MX_OK) {
		char b;

		st = mx_channel_read(c1, 0, &b, out, 1, 1, &nb, &nh);
		if (st == MX_OK && nh != 1)
			st = MX_ERR_INTERNAL;
	}
	mx_handle_close(c0);
	mx_handle_close(c1);
	return st;
}

/* ---- the fixture: nothing made in a test outlives it ---- */

FIXTURE(tm) {
	long live;	/* everything alive in the module; -1 without debugfs */
};

FIXTURE_SETUP(tm)
{
	struct mxt_gc gc;

	ASSERT_LE(0, mxchan_table_fd());
	ASSERT_NE(MX_HANDLE_INVALID, mx_vmar_root_self());
	mxt_gc_settle(&gc);
	self->live = mxt_live_total();
}

FIXTURE_TEARDOWN(tm)
{
	if (self->live >= 0)
		EXPECT_EQ(self->live, mxt_live_total());
}

#define ASSERT_ALL_GONE() do {						\
	if (self->live >= 0)						\
		ASSERT_EQ(self->live, mxt_live_total());		\
} while (0)

TEST_F(tm, abi)
{
	struct mxchan_version v;

	ASSERT_EQ(16, sizeof(struct mxchan_timer_create));
	ASSERT_EQ(4, offsetof(struct mxchan_timer_create, clock_id));
	ASSERT_EQ(8, offsetof(struct mxchan_timer_create, out));
	ASSERT_EQ(24, sizeof(struct mxchan_timer_set));
	ASSERT_EQ(8, offsetof(struct mxchan_timer_set, deadline));
	ASSERT_EQ(16, offsetof(struct mxchan_timer_set, slack));
	ASSERT_EQ(8, sizeof(struct mxchan_timer_cancel));
	ASSERT_EQ(16, sizeof(struct mxchan_object_cookie));
	ASSERT_EQ(4, offsetof(struct mxchan_object_cookie, scope));
	ASSERT_EQ(8, offsetof(struct mxchan_object_cookie, cookie));
	ASSERT_EQ(0x2a, _IOC_NR(MXCHAN_IOC_TIMER_CREATE));
	ASSERT_EQ(0x2e, _IOC_NR(MXCHAN_IOC_OBJECT_GET_COOKIE));
	/* Magenta's values */
	ASSERT_EQ(22, MX_OBJ_TYPE_TIMER);
	ASSERT_EQ(8u, MX_TIMER_SIGNALED);
	ASSERT_EQ(0u, MX_TIMER_SLACK_CENTER);
	ASSERT_EQ(1u, MX_TIMER_SLACK_EARLY);
	ASSERT_EQ(2u, MX_TIMER_SLACK_LATE);
	ASSERT_EQ(0x100Fu, MX_DEFAULT_TIMERS_RIGHTS);
	ASSERT_EQ(256, MX_CPRNG_DRAW_MAX_LEN);
	ASSERT_EQ(256, MX_CPRNG_ADD_ENTROPY_MAX_LEN);
	ASSERT_EQ(0, raw(MXCHAN_IOC_VERSION, &v));
	ASSERT_TRUE(v.features & MXCHAN_FEATURE_TIMER);
	ASSERT_TRUE(v.features & MXCHAN_FEATURE_COOKIE);
}

/* ---- timers ---- */

TEST_F(tm, create)
{
	static const uint32_t modes[] = {
		MX_TIMER_SLACK_CENTER, MX_TIMER_SLACK_EARLY, MX_TIMER_SLACK_LATE,
	};
	mx_info_handle_basic_t info;
	mx_signals_t seen = 0;
	mx_handle_t t;
	size_t i;

	for (i = 0; i < 3; i++) {
		t = MX_HANDLE_INVALID;
		ASSERT_OK(mx_timer_create(modes[i], MX_CLOCK_MONOTONIC, &t));
		info = mxt_info(t);
		ASSERT_EQ(MX_OBJ_TYPE_TIMER, info.type);
		ASSERT_EQ(MX_DEFAULT_TIMERS_RIGHTS, info.rights);
		ASSERT_EQ(MX_OBJ_PROP_WAITABLE, info.props);
		ASSERT_EQ(0, info.related_koid);
		/* not signaled until set */
		ASSERT_STATUS(MX_ERR_TIMED_OUT,
			      mx_object_wait_one(t, MX_TIMER_SIGNALED, 0,
						 &seen));
		ASSERT_EQ(MX_SIGNAL_LAST_HANDLE, seen);
		ASSERT_OK(mx_handle_close(t));
	}
	ASSERT_ALL_GONE();
}

TEST_F(tm, create_errors)
{
	mx_handle_t t = MX_HANDLE_INVALID;
	struct mxchan_timer_create a = { .out = (uintptr_t)&t };

	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_timer_create(0, MX_CLOCK_UTC, &t));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_timer_create(0, MX_CLOCK_THREAD, &t));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_timer_create(0, 0xffffffffu, &t));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_timer_create(MX_TIMER_SLACK_LATE + 1,
				      MX_CLOCK_MONOTONIC, &t));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_timer_create(0xffffffffu, MX_CLOCK_MONOTONIC, &t));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_timer_create(MX_TIMER_SLACK_LATE + 1, MX_CLOCK_UTC,
				      &t));
	ASSERT_EQ(MX_HANDLE_INVALID, t);
	/* an out-pointer that faults: no handle is left behind */
	a.out = (uintptr_t)mxt_bad_ptr();
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_TIMER_CREATE, &a));
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_TIMER_CREATE, mxt_bad_ptr()));
	ASSERT_ALL_GONE();
}

/* A set fires: not before its deadline, and SIGNALED stays. */
TEST_F(tm, set_fires)
{
	mx_time_t deadline, at;
	mx_handle_t t;

	ASSERT_OK(mx_timer_create(0, MX_CLOCK_MONOTONIC, &t));
	deadline = mx_deadline_after(MX_MSEC(300));
	ASSERT_OK(mx_timer_set(t, deadline, 0));
	at = fired_at(t);
	ASSERT_NE(0, at);
	ASSERT_LE(deadline, at);
	ASSERT_GT(deadline + LONG_WAIT, at);
	ASSERT_TRUE(is_signaled(t));
	ASSERT_TRUE(is_signaled(t));
	/* and it can be set again */
	deadline = mx_deadline_after(MX_MSEC(200));
	ASSERT_OK(mx_timer_set(t, deadline, 0));
	ASSERT_FALSE(is_signaled(t) &&
		     mx_time_get(MX_CLOCK_MONOTONIC) < deadline);
	at = fired_at(t);
	ASSERT_NE(0, at);
	ASSERT_LE(deadline, at);
	ASSERT_OK(mx_handle_close(t));
	ASSERT_ALL_GONE();
}

/* A deadline of 0, or one past, signals at once. */
TEST_F(tm, deadline_now)
{
	mx_time_t past[] = { 0, 1, 0 };
	mx_handle_t t;
	size_t i;

	past[2] = mx_time_get(MX_CLOCK_MONOTONIC) - 1;
	ASSERT_OK(mx_timer_create(0, MX_CLOCK_MONOTONIC, &t));
	for (i = 0; i < 3; i++) {
		ASSERT_OK(mx_timer_cancel(t));
		ASSERT_FALSE(is_signaled(t));
		ASSERT_OK(mx_timer_set(t, past[i], MX_SEC(1)));
		ASSERT_TRUE(is_signaled(t));
	}
	/* set again while signaled: still signaled */
	ASSERT_OK(mx_timer_set(t, 0, 0));
	ASSERT_TRUE(is_signaled(t));
	ASSERT_OK(mx_handle_close(t));
	ASSERT_ALL_GONE();
}

/* A set replaces what was pending, and clears SIGNALED. */
TEST_F(tm, set_replaces)
{
	mx_time_t deadline, at;
	mx_handle_t t;

	ASSERT_OK(mx_timer_create(0, MX_CLOCK_MONOTONIC, &t));
	ASSERT_OK(mx_timer_set(t, 0, 0));
	ASSERT_TRUE(is_signaled(t));
	ASSERT_OK(mx_timer_set(t, mx_deadline_after(MX_SEC(3600)), 0));
	ASSERT_FALSE(is_signaled(t));
	/* later to sooner: the sooner one fires */
	deadline = mx_deadline_after(MX_MSEC(200));
	ASSERT_OK(mx_timer_set(t, deadline, 0));
	at = fired_at(t);
	ASSERT_NE(0, at);
	ASSERT_LE(deadline, at);
	/* sooner to later: the sooner one is gone */
	ASSERT_OK(mx_timer_set(t, mx_deadline_after(MX_MSEC(100)), 0));
	ASSERT_OK(mx_timer_set(t, mx_deadline_after(MX_SEC(3600)), 0));
	ASSERT_TRUE(quiet_for(t, MX_SEC(1)));
	ASSERT_OK(mx_handle_close(t));
	ASSERT_ALL_GONE();
}

TEST_F(tm, cancel)
{
	mx_handle_t t;

	ASSERT_OK(mx_timer_create(0, MX_CLOCK_MONOTONIC, &t));
	/* nothing pending: fine */
	ASSERT_OK(mx_timer_cancel(t));
	ASSERT_OK(mx_timer_set(t, 0, 0));
	ASSERT_TRUE(is_signaled(t));
	ASSERT_OK(mx_timer_cancel(t));
	ASSERT_FALSE(is_signaled(t));
	/* a pending one never fires */
	ASSERT_OK(mx_timer_set(t, mx_deadline_after(MX_MSEC(100)), 0));
	ASSERT_OK(mx_timer_cancel(t));
	ASSERT_TRUE(quiet_for(t, MX_SEC(1)));
	/* and the timer still works */
	ASSERT_OK(mx_timer_set(t, mx_deadline_after(MX_MSEC(50)), 0));
	ASSERT_NE(0, fired_at(t));
	ASSERT_OK(mx_handle_close(t));
	ASSERT_ALL_GONE();
}

/*
 * The slack window: the kernel may fire a timer anywhere in it (at the
 * deadline, or a LATE one at the window's end, unless it is awake
 * anyway), so only the window's start is checked, and at its extremes,
 * saturated, never wrapped.
 */
TEST_F(tm, slack_modes)
{
	mx_handle_t c, e, l;
	mx_time_t deadline, at;

	ASSERT_OK(mx_timer_create(MX_TIMER_SLACK_CENTER, MX_CLOCK_MONOTONIC,
				  &c));
	ASSERT_OK(mx_timer_create(MX_TIMER_SLACK_EARLY, MX_CLOCK_MONOTONIC,
				  &e));
	ASSERT_OK(mx_timer_create(MX_TIMER_SLACK_LATE, MX_CLOCK_MONOTONIC,
				  &l));
	/* each mode within its window */
	deadline = mx_deadline_after(MX_MSEC(400));
	ASSERT_OK(mx_timer_set(c, deadline, MX_MSEC(100)));
	ASSERT_OK(mx_timer_set(e, deadline, MX_MSEC(100)));
	ASSERT_OK(mx_timer_set(l, deadline, MX_MSEC(100)));
	at = fired_at(c);
	ASSERT_NE(0, at);
	ASSERT_LE(deadline - MX_MSEC(100), at);
	at = fired_at(e);
	ASSERT_NE(0, at);
	ASSERT_LE(deadline - MX_MSEC(100), at);
	at = fired_at(l);
	ASSERT_NE(0, at);
	ASSERT_LE(deadline, at);
	/* no mode fires a second before its window: none wraps */
	deadline = mx_deadline_after(MX_SEC(3600));
	ASSERT_OK(mx_timer_set(c, deadline, MX_SEC(1800)));
	ASSERT_OK(mx_timer_set(e, deadline, MX_SEC(1800)));
	ASSERT_OK(mx_timer_set(l, deadline, UINT64_MAX));
	ASSERT_TRUE(quiet_for(l, MX_SEC(1)));
	ASSERT_FALSE(is_signaled(c));
	ASSERT_FALSE(is_signaled(e));
	ASSERT_OK(mx_timer_set(l, UINT64_MAX, UINT64_MAX));
	ASSERT_OK(mx_timer_set(c, UINT64_MAX, UINT64_MAX));
	ASSERT_TRUE(quiet_for(l, MX_MSEC(200)));
	/* a window reaching back to 0 (it may fire at once, or at its end) */
	ASSERT_OK(mx_timer_set(e, deadline, UINT64_MAX));
	ASSERT_OK(mx_timer_set(c, mx_deadline_after(MX_MSEC(100)),
			       UINT64_MAX));
	ASSERT_OK(mx_handle_close(c));
	ASSERT_OK(mx_handle_close(e));
	ASSERT_OK(mx_handle_close(l));
	ASSERT_ALL_GONE();
}

/* set and cancel need WRITE; the state is untouched when denied. */
TEST_F(tm, rights)
{
	mx_handle_t t, ro, ro2;

	ASSERT_OK(mx_timer_create(0, MX_CLOCK_MONOTONIC, &t));
	ASSERT_OK(mx_handle_duplicate(t, MX_DEFAULT_TIMERS_RIGHTS &
				      ~MX_RIGHT_WRITE, &ro));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_timer_set(ro, 0, 0));
	ASSERT_FALSE(is_signaled(t));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_timer_start(ro, 0, 0, 0));
	ASSERT_FALSE(is_signaled(t));
	ASSERT_OK(mx_timer_set(t, 0, 0));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_timer_cancel(ro));
	ASSERT_TRUE(is_signaled(ro));
	/* WRITE alone is enough */
	ASSERT_OK(mx_handle_duplicate(t, MX_RIGHT_WRITE, &ro2));
	ASSERT_OK(mx_timer_cancel(ro2));
	ASSERT_FALSE(is_signaled(t));
	ASSERT_OK(mx_timer_set(ro2, 0, 0));
	ASSERT_TRUE(is_signaled(t));
	/* object_signal needs SIGNAL, as on events */
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_object_signal(ro2, 0, MX_USER_SIGNAL_0));
	ASSERT_OK(mx_handle_close(ro2));
	ASSERT_OK(mx_handle_close(ro));
	ASSERT_OK(mx_handle_close(t));
	ASSERT_ALL_GONE();
}

TEST_F(tm, wrong_type_bad_handle)
{
	struct mxchan_timer_set s = {};
	struct mxchan_timer_cancel c = {};
	mx_handle_t ev, closed, t;

	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE, mx_timer_set(ev, 0, 0));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE, mx_timer_cancel(ev));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE, mx_timer_start(ev, 0, 0, 0));
	ASSERT_FALSE(signals_of(ev) & MX_EVENT_SIGNALED);
	ASSERT_STATUS(MX_ERR_WRONG_TYPE,
		      mx_timer_set(mx_vmar_root_self(), 0, 0));
	ASSERT_OK(mx_timer_create(0, MX_CLOCK_MONOTONIC, &closed));
	ASSERT_OK(mx_handle_close(closed));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE, mx_timer_set(closed, 0, 0));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE, mx_timer_cancel(closed));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE, mx_timer_set(MXT_BAD_VALUE, 0, 0));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_timer_cancel(MX_HANDLE_INVALID));
	/* the struct: reserved first, a fault is INVALID_ARGS */
	ASSERT_OK(mx_timer_create(0, MX_CLOCK_MONOTONIC, &t));
	s.handle = (uint32_t)t;
	s.reserved = 1;
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_TIMER_SET, &s));
	c.handle = (uint32_t)t;
	c.reserved = 1;
	ASSERT_OK(mx_timer_set(t, 0, 0));
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_TIMER_CANCEL, &c));
	ASSERT_TRUE(is_signaled(t));
	s.reserved = 0;
	ASSERT_EQ(0, raw(MXCHAN_IOC_TIMER_SET, &s));
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_TIMER_SET, mxt_bad_ptr()));
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_TIMER_CANCEL, mxt_bad_ptr()));
	ASSERT_OK(mx_handle_close(t));
	ASSERT_OK(mx_handle_close(ev));
	ASSERT_ALL_GONE();
}

/* User signals as on events; SIGNALED is the timer's own. */
TEST_F(tm, user_signals)
{
	mx_handle_t t;

	ASSERT_OK(mx_timer_create(0, MX_CLOCK_MONOTONIC, &t));
	ASSERT_OK(mx_object_signal(t, 0, MX_USER_SIGNAL_0 | MX_USER_SIGNAL_7));
	ASSERT_EQ(MX_USER_SIGNAL_0 | MX_USER_SIGNAL_7,
		  signals_of(t) & MX_USER_SIGNAL_ALL);
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_object_signal(t, 0, MX_TIMER_SIGNALED));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_object_signal(t, MX_TIMER_SIGNALED, 0));
	ASSERT_FALSE(is_signaled(t));
	/* no peer to signal, and no right to ask (as an event) */
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_object_signal_peer(t, 0, MX_USER_SIGNAL_1));
	/* set and cancel leave the user signals alone */
	ASSERT_OK(mx_timer_set(t, 0, 0));
	ASSERT_OK(mx_timer_cancel(t));
	ASSERT_EQ(MX_USER_SIGNAL_0 | MX_USER_SIGNAL_7,
		  signals_of(t) & MX_USER_SIGNAL_ALL);
	ASSERT_OK(mx_object_signal(t, MX_USER_SIGNAL_ALL, 0));
	ASSERT_EQ(0, signals_of(t) & MX_USER_SIGNAL_ALL);
	ASSERT_OK(mx_handle_close(t));
	ASSERT_ALL_GONE();
}

TEST_F(tm, wait_many)
{
	mx_wait_item_t items[2];
	mx_handle_t t, ev;
	mx_time_t deadline;

	ASSERT_OK(mx_timer_create(0, MX_CLOCK_MONOTONIC, &t));
	ASSERT_OK(mx_event_create(0, &ev));
	items[0] = (mx_wait_item_t){ .handle = ev, .waitfor = MX_EVENT_SIGNALED };
	items[1] = (mx_wait_item_t){ .handle = t, .waitfor = MX_TIMER_SIGNALED };
	ASSERT_STATUS(MX_ERR_TIMED_OUT, mx_object_wait_many(items, 2, 0));
	deadline = mx_deadline_after(MX_MSEC(200));
	ASSERT_OK(mx_timer_set(t, deadline, 0));
	ASSERT_OK(mx_object_wait_many(items, 2, mx_deadline_after(LONG_WAIT)));
	ASSERT_LE(deadline, mx_time_get(MX_CLOCK_MONOTONIC));
	ASSERT_EQ(0, items[0].pending & MX_EVENT_SIGNALED);
	ASSERT_TRUE(items[1].pending & MX_TIMER_SIGNALED);
	ASSERT_OK(mx_handle_close(t));
	ASSERT_OK(mx_handle_close(ev));
	ASSERT_ALL_GONE();
}

TEST_F(tm, port_wait_async)
{
	mx_port_packet_t pkt;
	mx_handle_t t, port;
	mx_time_t deadline;

	ASSERT_OK(mx_timer_create(0, MX_CLOCK_MONOTONIC, &t));
	ASSERT_OK(mx_port_create(0, &port));
	ASSERT_OK(mx_object_wait_async(t, port, 0x7153, MX_TIMER_SIGNALED,
				       MX_WAIT_ASYNC_ONCE));
	ASSERT_STATUS(MX_ERR_TIMED_OUT, mx_port_wait(port, 0, &pkt, 0));
	deadline = mx_deadline_after(MX_MSEC(200));
	ASSERT_OK(mx_timer_set(t, deadline, 0));
	memset(&pkt, 0, sizeof(pkt));
	ASSERT_OK(mx_port_wait(port, mx_deadline_after(LONG_WAIT), &pkt, 0));
	ASSERT_LE(deadline, mx_time_get(MX_CLOCK_MONOTONIC));
	ASSERT_EQ(0x7153, pkt.key);
	ASSERT_EQ(MX_PKT_TYPE_SIGNAL_ONE, pkt.type);
	ASSERT_EQ(MX_TIMER_SIGNALED, pkt.signal.trigger);
	ASSERT_TRUE(pkt.signal.observed & MX_TIMER_SIGNALED);
	/* once: a second firing queues nothing */
	ASSERT_OK(mx_timer_set(t, 0, 0));
	ASSERT_STATUS(MX_ERR_TIMED_OUT, mx_port_wait(port, 0, &pkt, 0));
	ASSERT_OK(mx_handle_close(port));
	ASSERT_OK(mx_handle_close(t));
	ASSERT_ALL_GONE();
}

TEST_F(tm, signal_fd)
{
	struct pollfd p = { .events = POLLIN };
	mx_handle_t t;
	int fd = -1;

	ASSERT_OK(mx_timer_create(0, MX_CLOCK_MONOTONIC, &t));
	ASSERT_OK(mxchan_signal_fd(t, MX_TIMER_SIGNALED, &fd));
	p.fd = fd;
	ASSERT_EQ(0, poll(&p, 1, 0));
	ASSERT_OK(mx_timer_set(t, mx_deadline_after(MX_MSEC(100)), 0));
	ASSERT_EQ(1, poll(&p, 1, 30000));
	ASSERT_TRUE(p.revents & POLLIN);
	ASSERT_OK(mx_timer_cancel(t));
	ASSERT_EQ(0, poll(&p, 1, 0));
	close(fd);
	ASSERT_OK(mx_handle_close(t));
	ASSERT_ALL_GONE();
}

/* An armed timer travels in a message and still fires. */
TEST_F(tm, over_channel)
{
	mx_handle_t t, back = MX_HANDLE_INVALID;
	mx_time_t deadline;
	mx_koid_t koid;

	ASSERT_OK(mx_timer_create(0, MX_CLOCK_MONOTONIC, &t));
	koid = mxt_koid(t);
	deadline = mx_deadline_after(MX_MSEC(300));
	ASSERT_OK(mx_timer_set(t, deadline, 0));
	ASSERT_OK(round_trip(t, &back));
	ASSERT_FALSE(mxt_valid(t));
	ASSERT_EQ(koid, mxt_koid(back));
	ASSERT_EQ(MX_DEFAULT_TIMERS_RIGHTS, mxt_rights(back));
	ASSERT_LE(deadline, fired_at(back));
	ASSERT_OK(mx_timer_cancel(back));
	ASSERT_FALSE(is_signaled(back));
	ASSERT_OK(mx_handle_close(back));
	ASSERT_ALL_GONE();
}

/*
 * The last handle goes while the timer is armed: in a table, and inside
 * a message whose channel closes. Nothing is left, and the deadlines
 * pass with nothing to fire on (KASAN would see a callback on freed
 * memory).
 */
TEST_F(tm, close_armed)
{
	mx_handle_t t[64], c0, c1;
	int i;

	for (i = 0; i < 64; i++) {
		ASSERT_OK(mx_timer_create((uint32_t)i % 3, MX_CLOCK_MONOTONIC,
					  &t[i]));
		ASSERT_OK(mx_timer_set(t[i],
				       mx_deadline_after(MX_USEC(100 * i)),
				       (mx_duration_t)i * 1000));
	}
	for (i = 0; i < 64; i++)
		ASSERT_OK(mx_handle_close(t[i]));
	ASSERT_ALL_GONE();
	/* inside a message */
	ASSERT_OK(mx_channel_create(0, &c0, &c1));
	for (i = 0; i < 8; i++) {
		ASSERT_OK(mx_timer_create(0, MX_CLOCK_MONOTONIC, &t[i]));
		ASSERT_OK(mx_timer_set(t[i],
				       mx_deadline_after(MX_MSEC(20 * i)), 0));
	}
	ASSERT_OK(mx_channel_write(c0, 0, NULL, 0, t, 8));
	ASSERT_OK(mx_handle_close(c1));
	ASSERT_OK(mx_handle_close(c0));
	ASSERT_ALL_GONE();
	/* closed with a firing racing it */
	for (i = 0; i < 64; i++) {
		ASSERT_OK(mx_timer_create(0, MX_CLOCK_MONOTONIC, &t[0]));
		ASSERT_OK(mx_timer_set(t[0], mx_deadline_after(MX_USEC(i * 7)),
				       0));
		ASSERT_OK(mx_handle_close(t[0]));
	}
	ASSERT_ALL_GONE();
	mx_nanosleep(mx_deadline_after(MX_MSEC(300)));
	ASSERT_ALL_GONE();
}

/* Magenta's older call: period 0 is a set; a period is NOT_SUPPORTED. */
TEST_F(tm, timer_start)
{
	mx_time_t deadline;
	mx_handle_t t;

	ASSERT_OK(mx_timer_create(0, MX_CLOCK_MONOTONIC, &t));
	ASSERT_OK(mx_timer_start(t, 0, 0, 0));
	ASSERT_TRUE(is_signaled(t));
	ASSERT_STATUS(MX_ERR_NOT_SUPPORTED,
		      mx_timer_start(t, mx_deadline_after(MX_SEC(3600)),
				     MX_MSEC(1), 0));
	/* refused before anything changed */
	ASSERT_TRUE(is_signaled(t));
	ASSERT_STATUS(MX_ERR_NOT_SUPPORTED,
		      mx_timer_start(MXT_BAD_VALUE, 0, MX_SEC(1), 0));
	deadline = mx_deadline_after(MX_MSEC(200));
	ASSERT_OK(mx_timer_start(t, deadline, 0, 0));
	ASSERT_FALSE(is_signaled(t) &&
		     mx_time_get(MX_CLOCK_MONOTONIC) < deadline);
	ASSERT_LE(deadline, fired_at(t));
	ASSERT_OK(mx_handle_close(t));
	ASSERT_ALL_GONE();
}

/* Timers are handles like events: the same max_user_handles budget. */
FIXTURE(budget) {
	char old[32];
	bool saved;
};

FIXTURE_SETUP(budget)
{
	ASSERT_LE(0, mxchan_table_fd());
	self->saved = mxt_param_set("max_user_handles", "64", self->old,
				    sizeof(self->old)) == 0;
	if (!self->saved)
		SKIP(return, "cannot set max_user_handles (not root?)");
}

FIXTURE_TEARDOWN_PARENT(budget)
{
	if (self->saved)
		mxt_param_restore("max_user_handles", self->old);
}

TEST_F(budget, timers_as_events)
{
	mx_handle_t h[80];
	mx_status_t st = MX_OK, st2 = MX_OK;
	int n_ev = 0, n_tm = 0, i;

	while (n_ev < 80 && (st = mx_event_create(0, &h[n_ev])) == MX_OK)
		n_ev++;
	for (i = 0; i < n_ev; i++)
		ASSERT_OK(mx_handle_close(h[i]));
	while (n_tm < 80 &&
	       (st2 = mx_timer_create(0, MX_CLOCK_MONOTONIC, &h[n_tm])) == MX_OK)
		n_tm++;
	for (i = 0; i < n_tm; i++)
		ASSERT_OK(mx_handle_close(h[i]));
	ASSERT_STATUS(MX_ERR_NO_RESOURCES, st);
	ASSERT_STATUS(MX_ERR_NO_RESOURCES, st2);
	ASSERT_LT(0, n_ev);
	ASSERT_EQ(n_ev, n_tm);
}

/* ---- cookies ---- */

/* The rules on one object @h, with scopes @s1 and @s2 (other objects). */
static int cookie_rules(mx_handle_t h, mx_handle_t s1, mx_handle_t s2)
{
	mx_handle_t s1dup;
	uint64_t c = 0xdead;

	if (mx_object_get_cookie(h, s1, &c) != MX_ERR_ACCESS_DENIED ||
	    c != 0xdead)
		return 1;
	if (mx_object_set_cookie(h, s1, 42) != MX_OK)
		return 2;
	if (mx_object_get_cookie(h, s1, &c) != MX_OK || c != 42)
		return 3;
	if (mx_object_set_cookie(h, s1, 0x8000000000000001ull) != MX_OK)
		return 4;
	c = 0;
	if (mx_object_get_cookie(h, s1, &c) != MX_OK ||
	    c != 0x8000000000000001ull)
		return 5;
	if (mx_object_set_cookie(h, s2, 7) != MX_ERR_ACCESS_DENIED)
		return 6;
	c = 0xdead;
	if (mx_object_get_cookie(h, s2, &c) != MX_ERR_ACCESS_DENIED ||
	    c != 0xdead)
		return 7;
	/* the scope is the object: another handle to it, without rights */
	if (mx_handle_duplicate(s1, 0, &s1dup) != MX_OK)
		return 8;
	if (mx_object_get_cookie(h, s1dup, &c) != MX_OK ||
	    c != 0x8000000000000001ull)
		return 9;
	if (mx_object_set_cookie(h, s1dup, 0) != MX_OK)
		return 10;
	if (mx_object_get_cookie(h, s1, &c) != MX_OK || c != 0)
		return 11;
	mx_handle_close(s1dup);
	return 0;
}

TEST_F(tm, cookie_rules)
{
	mx_handle_t ev, ep0, ep1, vmo, s1, s2, own;

	ASSERT_OK(mx_event_create(0, &s1));
	ASSERT_OK(mx_port_create(0, &s2));
	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_eventpair_create(0, &ep0, &ep1));
	ASSERT_OK(mx_vmo_create(4096, 0, &vmo));
	ASSERT_EQ(0, cookie_rules(ev, s1, s2));
	ASSERT_EQ(0, cookie_rules(ep0, s1, s2));
	ASSERT_EQ(0, cookie_rules(ep1, s2, s1));
	ASSERT_EQ(0, cookie_rules(vmo, s2, ev));
	/* an object may be its own scope */
	ASSERT_OK(mx_event_create(0, &own));
	ASSERT_OK(mx_object_set_cookie(own, own, 5));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_object_set_cookie(own, s1, 5));
	ASSERT_OK(mx_handle_close(own));
	ASSERT_OK(mx_handle_close(s2));
	ASSERT_OK(mx_handle_close(vmo));
	ASSERT_OK(mx_handle_close(ep0));
	ASSERT_OK(mx_handle_close(ep1));
	ASSERT_OK(mx_handle_close(ev));
	ASSERT_OK(mx_handle_close(s1));
	ASSERT_ALL_GONE();
}

/* No rights are needed, on the object or on the scope. */
TEST_F(tm, cookie_no_rights)
{
	mx_handle_t ev, bare, s, sbare;
	uint64_t c = 0;

	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_event_create(0, &s));
	ASSERT_OK(mx_handle_duplicate(ev, 0, &bare));
	ASSERT_OK(mx_handle_duplicate(s, 0, &sbare));
	ASSERT_EQ(0, mxt_rights(bare));
	ASSERT_OK(mx_object_set_cookie(bare, sbare, 99));
	ASSERT_OK(mx_object_get_cookie(bare, sbare, &c));
	ASSERT_EQ(99, c);
	ASSERT_OK(mx_handle_close(sbare));
	ASSERT_OK(mx_handle_close(bare));
	ASSERT_OK(mx_handle_close(s));
	ASSERT_OK(mx_handle_close(ev));
	ASSERT_ALL_GONE();
}

TEST_F(tm, cookie_not_supported)
{
	mx_handle_t h[8], s, x;
	uint64_t c = 0xdead;
	int i, n = 0;

	ASSERT_OK(mx_event_create(0, &s));
	ASSERT_OK(mx_channel_create(0, &h[0], &h[1]));
	ASSERT_OK(mx_port_create(0, &h[2]));
	ASSERT_OK(mx_socket_create(0, &h[3], &h[4]));
	ASSERT_OK(mx_fifo_create(4, 4, 0, &h[5], &h[6]));
	ASSERT_OK(mx_timer_create(0, MX_CLOCK_MONOTONIC, &h[7]));
	n = 8;
	for (i = 0; i < n; i++) {
		ASSERT_STATUS(MX_ERR_NOT_SUPPORTED,
			      mx_object_set_cookie(h[i], s, 1));
		ASSERT_STATUS(MX_ERR_NOT_SUPPORTED,
			      mx_object_get_cookie(h[i], s, &c));
	}
	x = mx_vmar_root_self();
	ASSERT_STATUS(MX_ERR_NOT_SUPPORTED, mx_object_set_cookie(x, s, 1));
	ASSERT_STATUS(MX_ERR_NOT_SUPPORTED, mx_object_get_cookie(x, s, &c));
	ASSERT_EQ(0xdead, c);
	for (i = 0; i < n; i++)
		ASSERT_OK(mx_handle_close(h[i]));
	ASSERT_OK(mx_handle_close(s));
	ASSERT_ALL_GONE();
}

/* BAD_HANDLE for the handle, then the scope, before NOT_SUPPORTED. */
TEST_F(tm, cookie_bad_handle)
{
	mx_handle_t ev, port, closed;
	uint64_t c = 0xdead;

	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_port_create(0, &port));
	ASSERT_OK(mx_event_create(0, &closed));
	ASSERT_OK(mx_handle_close(closed));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_object_set_cookie(MXT_BAD_VALUE, ev, 1));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE, mx_object_set_cookie(closed, ev, 1));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_object_set_cookie(MX_HANDLE_INVALID, ev, 1));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE, mx_object_set_cookie(ev, closed, 1));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_object_set_cookie(ev, MX_HANDLE_INVALID, 1));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_object_set_cookie(closed, closed, 1));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_object_get_cookie(MXT_BAD_VALUE, ev, &c));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_object_get_cookie(ev, MXT_BAD_VALUE, &c));
	/* a bad scope before the object's type */
	ASSERT_STATUS(MX_ERR_BAD_HANDLE, mx_object_set_cookie(port, closed, 1));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_object_get_cookie(port, MXT_BAD_VALUE, &c));
	ASSERT_EQ(0xdead, c);
	/* none of that claimed the event */
	ASSERT_OK(mx_object_set_cookie(ev, port, 3));
	ASSERT_OK(mx_handle_close(port));
	ASSERT_OK(mx_handle_close(ev));
	ASSERT_ALL_GONE();
}

/* An event pair side whose peer closed has no cookie for anyone. */
TEST_F(tm, cookie_eventpair_peer_closed)
{
	mx_handle_t ep0, ep1, s;
	uint64_t c = 0;

	ASSERT_OK(mx_event_create(0, &s));
	ASSERT_OK(mx_eventpair_create(0, &ep0, &ep1));
	ASSERT_OK(mx_object_set_cookie(ep0, s, 11));
	ASSERT_OK(mx_object_set_cookie(ep1, s, 12));
	ASSERT_OK(mx_object_get_cookie(ep0, s, &c));
	ASSERT_EQ(11, c);
	ASSERT_OK(mx_handle_close(ep1));
	c = 0xdead;
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_object_get_cookie(ep0, s, &c));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_object_set_cookie(ep0, s, 13));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_object_get_cookie(ep0, ep0, &c));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_object_set_cookie(ep0, ep0, 1));
	ASSERT_EQ(0xdead, c);
	/* an unclaimed side is taken from everyone too */
	ASSERT_OK(mx_handle_close(ep0));
	ASSERT_OK(mx_eventpair_create(0, &ep0, &ep1));
	ASSERT_OK(mx_handle_close(ep0));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_object_set_cookie(ep1, s, 1));
	ASSERT_OK(mx_handle_close(ep1));
	ASSERT_OK(mx_handle_close(s));
	ASSERT_ALL_GONE();
}

/* A get writes through the pointer: a fault is INVALID_ARGS. */
TEST_F(tm, cookie_get_fault)
{
	struct mxchan_object_cookie a = {};
	mx_handle_t ev, s;
	uint64_t c = 0;

	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_event_create(0, &s));
	ASSERT_OK(mx_object_set_cookie(ev, s, 77));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_object_get_cookie(ev, s, mxt_bad_ptr()));
	a.handle = (uint32_t)ev;
	a.scope = (uint32_t)s;
	a.cookie = 0;
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_OBJECT_GET_COOKIE, &a));
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_OBJECT_GET_COOKIE, mxt_bad_ptr()));
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_OBJECT_SET_COOKIE, mxt_bad_ptr()));
	/* the denial comes before the write: the pointer is not touched */
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_object_get_cookie(ev, ev, mxt_bad_ptr()));
	ASSERT_OK(mx_object_get_cookie(ev, s, &c));
	ASSERT_EQ(77, c);
	ASSERT_OK(mx_handle_close(s));
	ASSERT_OK(mx_handle_close(ev));
	ASSERT_ALL_GONE();
}

/* The cookie is the object's: it travels with it. */
TEST_F(tm, cookie_travels)
{
	mx_handle_t vmo, back, s;
	uint64_t c = 0;

	ASSERT_OK(mx_event_create(0, &s));
	ASSERT_OK(mx_vmo_create(4096, 0, &vmo));
	ASSERT_OK(mx_object_set_cookie(vmo, s, 0x5eed));
	ASSERT_OK(round_trip(vmo, &back));
	ASSERT_OK(mx_object_get_cookie(back, s, &c));
	ASSERT_EQ(0x5eed, c);
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, mx_object_set_cookie(back, back, 1));
	ASSERT_OK(mx_handle_close(back));
	ASSERT_OK(mx_handle_close(s));
	ASSERT_ALL_GONE();
}

/* ---- the CPRNG and ticks ---- */

TEST(cprng_draw)
{
	unsigned char a[MX_CPRNG_DRAW_MAX_LEN + 1], b[sizeof(a)];
	size_t actual = 12345, i, zeros = 0;
	int fds = open_fds();

	memset(a, 0, sizeof(a));
	ASSERT_OK(mx_cprng_draw(a, MX_CPRNG_DRAW_MAX_LEN, &actual));
	ASSERT_EQ(MX_CPRNG_DRAW_MAX_LEN, actual);
	ASSERT_EQ(0, a[MX_CPRNG_DRAW_MAX_LEN]);
	for (i = 0; i < MX_CPRNG_DRAW_MAX_LEN; i++)
		zeros += !a[i];
	ASSERT_GT(32, zeros);
	ASSERT_OK(mx_cprng_draw(b, MX_CPRNG_DRAW_MAX_LEN, &actual));
	ASSERT_NE(0, memcmp(a, b, MX_CPRNG_DRAW_MAX_LEN));
	ASSERT_OK(mx_cprng_draw(b, 1, &actual));
	ASSERT_EQ(1, actual);
	ASSERT_OK(mx_cprng_draw(b, 0, &actual));
	ASSERT_EQ(0, actual);
	ASSERT_OK(mx_cprng_draw(NULL, 0, &actual));
	/* too long, or no buffer: nothing written */
	actual = 12345;
	memset(b, 0x5a, sizeof(b));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_cprng_draw(b, MX_CPRNG_DRAW_MAX_LEN + 1, &actual));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_cprng_draw(b, SIZE_MAX, &actual));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_cprng_draw(NULL, 16, &actual));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_cprng_draw(mxt_bad_ptr(), 16, &actual));
	ASSERT_EQ(12345, actual);
	for (i = 0; i < sizeof(b); i++)
		ASSERT_EQ(0x5a, b[i]);
	ASSERT_EQ(fds, open_fds());
}

TEST(cprng_add_entropy)
{
	unsigned char buf[MX_CPRNG_ADD_ENTROPY_MAX_LEN + 1];
	int fds = open_fds();

	memset(buf, 0x3c, sizeof(buf));
	ASSERT_OK(mx_cprng_add_entropy(buf, MX_CPRNG_ADD_ENTROPY_MAX_LEN));
	ASSERT_OK(mx_cprng_add_entropy(buf, 1));
	ASSERT_OK(mx_cprng_add_entropy(buf, 0));
	ASSERT_OK(mx_cprng_add_entropy(NULL, 0));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_cprng_add_entropy(buf,
					   MX_CPRNG_ADD_ENTROPY_MAX_LEN + 1));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_cprng_add_entropy(NULL, 8));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_cprng_add_entropy(mxt_bad_ptr(), 8));
	ASSERT_EQ(fds, open_fds());
}

TEST(ticks)
{
	uint64_t prev, now, t0, t1;
	int i;

	ASSERT_EQ(1000000000ull, mx_ticks_per_second());
	ASSERT_EQ(1000000000ull, _mx_ticks_per_second());
	t0 = mx_time_get(MX_CLOCK_MONOTONIC);
	prev = mx_ticks_get();
	t1 = mx_time_get(MX_CLOCK_MONOTONIC);
	ASSERT_NE(0, prev);
	ASSERT_LE(t0, prev);
	ASSERT_GE(t1, prev);
	for (i = 0; i < 1000; i++) {
		now = _mx_ticks_get();
		ASSERT_LE(prev, now);
		prev = now;
	}
	/* a tick is a nanosecond: a 50 ms sleep is 50e6 ticks, at least */
	t0 = mx_ticks_get();
	mx_nanosleep(mx_deadline_after(MX_MSEC(50)));
	ASSERT_LE(t0 + 50000000ull, mx_ticks_get());
}

TEST_HARNESS_MAIN
