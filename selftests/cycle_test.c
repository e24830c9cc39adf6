// SPDX-License-Identifier: GPL-2.0
/*
 * Cycle collection: rings of channel endpoints held in each other's
 * queues, which no table can reach, are destroyed by the module's
 * collector, with everything they carry; endpoints that some table can
 * still reach are never touched.
 *
 * Every topology is built, then checked from outside the ring: the peers
 * kept in the table see PEER_CLOSED by themselves (nothing here asks the
 * collector to run), event handles kept here see LAST_HANDLE, and once
 * everything is closed and the collector is idle (reading debugfs
 * mxchan/gc waits for it) the module's live counters are back where they
 * started and mxchan/gc counts the rings. Then a race: a read on an
 * endpoint started before the endpoint was sent into its own queue may
 * rescue its handle, or the ring is collected; never both, never neither.
 * Last, 100000 rings of every shape in a loop, in two processes at once,
 * and a process killed again and again while it makes rings.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <magenta/syscalls/port.h>

#include "mxchan_test.h"

#define SECOND		1000000000ULL
#define LOOPS		100000

/* Has @h's peer closed, within a few seconds? */
static bool sees_peer_closed(mx_handle_t h)
{
	mx_signals_t s = 0;

	return mx_object_wait_one(h, MX_CHANNEL_PEER_CLOSED,
				  mx_deadline_after(10 * SECOND), &s) == MX_OK &&
	       (s & MX_CHANNEL_PEER_CLOSED);
}

/* Is @sig set on @h right now? */
static bool has_signal(mx_handle_t h, mx_signals_t sig)
{
	mx_signals_t s = 0;

	mx_object_wait_one(h, 0, 0, &s);
	return s & sig;
}

/* Send @h through @through, with a byte. */
static mx_status_t send1(mx_handle_t through, mx_handle_t h)
{
	return mx_channel_write(through, 0, "r", 1, &h, 1);
}

/* n channels, x[i] on x[i + 1]'s queue: a ring but for its last link. */
static mx_status_t make_chain(int n, mx_handle_t *x, mx_handle_t *y)
{
	mx_status_t st = MX_OK;
	int i;

	for (i = 0; i < n && st == MX_OK; i++)
		st = mx_channel_create(0, &x[i], &y[i]);
	for (i = 0; i < n - 1 && st == MX_OK; i++)
		st = send1(y[i + 1], x[i]);
	return st;
}

/*
 * A ring of @n channels: x[i] is queued on x[i+1] (through y[i+1]), the
 * last on x[0]. The y ends stay in the table; every x is gone from it.
 */
static mx_status_t make_ring(int n, mx_handle_t *y)
{
	mx_handle_t *x = calloc(n, sizeof(*x));
	mx_status_t st;

	if (!x)
		return MX_ERR_NO_MEMORY;
	st = make_chain(n, x, y);
	if (st == MX_OK)
		st = send1(y[0], x[n - 1]);
	free(x);
	return st;
}

FIXTURE(cycle) {
	long start;
	struct mxt_gc gc;
	bool debugfs;
};

FIXTURE_SETUP(cycle)
{
	struct mxt_counters c;

	/* with debugfs, the collector's file must be there too */
	self->debugfs = mxt_counters_read(&c);
	if (self->debugfs)
		ASSERT_TRUE(mxt_gc_settle(&self->gc));
	self->start = mxt_live_total();
}

FIXTURE_TEARDOWN(cycle)
{
}

/*
 * Once the collector is idle: nothing left alive, and @rings more rings
 * of @members endpoints in all destroyed (-1: not checked).
 */
static void assert_collected(struct __test_metadata *_metadata,
			     FIXTURE_DATA(cycle) *self, long rings,
			     long members)
{
	struct mxt_gc g;

	if (!self->debugfs)
		return;		/* the signals were the whole check */
	ASSERT_TRUE(mxt_gc_settle(&g));
	ASSERT_EQ(self->start, mxt_live_total());
	if (rings >= 0)
		ASSERT_EQ(self->gc.rings + rings, g.rings);
	if (members >= 0)
		ASSERT_EQ(self->gc.members + members, g.members);
}

#define ASSERT_COLLECTED(rings, members) \
	assert_collected(_metadata, self, rings, members)

/*
 * Let the collector finish (with debugfs), so that a check that nothing
 * was destroyed means something; @rings more rings so far (-1: any).
 */
static void settle(struct __test_metadata *_metadata,
		   FIXTURE_DATA(cycle) *self, long rings)
{
	struct mxt_gc g;

	if (!self->debugfs)
		return;
	ASSERT_TRUE(mxt_gc_settle(&g));
	if (rings >= 0)
		ASSERT_EQ(self->gc.rings + rings, g.rings);
}

#define SETTLE(rings) settle(_metadata, self, rings)

/*
 * The seed allows the peer end in a message on its own channel: it lands
 * in its own queue, where nothing can ever read it. The collector closes
 * it, so the writer sees PEER_CLOSED.
 */
TEST_F(cycle, peer_end_through_own_channel)
{
	mx_handle_t a, b;

	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_OK(mx_channel_write(b, 0, "first", 5, NULL, 0));
	ASSERT_OK(send1(b, a));
	ASSERT_FALSE(mxt_valid(a));
	ASSERT_TRUE(sees_peer_closed(b));
	ASSERT_STATUS(MX_ERR_PEER_CLOSED, mx_channel_write(b, 0, "x", 1,
							   NULL, 0));
	ASSERT_OK(mx_handle_close(b));
	ASSERT_COLLECTED(1, 1);
}

/* Each channel's end is queued in the other: both peers left see it. */
TEST_F(cycle, two_channels_crossed)
{
	mx_handle_t a1, a2, b1, b2;

	ASSERT_OK(mx_channel_create(0, &a1, &a2));
	ASSERT_OK(mx_channel_create(0, &b1, &b2));
	ASSERT_OK(send1(a1, b2));	/* b2 on a2's queue */
	SETTLE(0);
	ASSERT_FALSE(has_signal(b1, MX_CHANNEL_PEER_CLOSED));
	ASSERT_OK(send1(b1, a2));	/* a2 on b2's queue: a ring */
	ASSERT_TRUE(sees_peer_closed(a1));
	ASSERT_TRUE(sees_peer_closed(b1));
	ASSERT_OK(mx_handle_close(a1));
	ASSERT_OK(mx_handle_close(b1));
	ASSERT_COLLECTED(1, 2);
}

/* The classic: the ring is made with both writers alive, then they go. */
TEST_F(cycle, two_channels_then_writers_close)
{
	mx_handle_t a1, a2, b1, b2;

	ASSERT_OK(mx_channel_create(0, &a1, &a2));
	ASSERT_OK(mx_channel_create(0, &b1, &b2));
	ASSERT_OK(mx_channel_write(a1, 0, "data", 4, NULL, 0));
	ASSERT_OK(send1(a1, b2));
	ASSERT_OK(send1(b1, a2));
	ASSERT_OK(mx_handle_close(a1));
	ASSERT_OK(mx_handle_close(b1));
	ASSERT_COLLECTED(1, 2);
}

static void ring_of(struct __test_metadata *_metadata,
		    FIXTURE_DATA(cycle) *self, int n)
{
	mx_handle_t *y = calloc(n, sizeof(*y));
	int i;

	ASSERT_NE(NULL, y);
	ASSERT_OK(make_ring(n, y));
	for (i = 0; i < n; i++)
		ASSERT_TRUE(sees_peer_closed(y[i])) TH_LOG("y[%d] of %d", i, n);
	for (i = 0; i < n; i++)
		ASSERT_OK(mx_handle_close(y[i]));
	free(y);
	ASSERT_COLLECTED(1, n);
}

TEST_F(cycle, triangle)
{
	ring_of(_metadata, self, 3);
}

TEST_F(cycle, ring_of_64)
{
	ring_of(_metadata, self, 64);
}

TEST_F_TIMEOUT(cycle, ring_of_2000, 300)
{
	ring_of(_metadata, self, 2000);
}

/*
 * A peer riding in its own ring: w goes on x's queue, then x and its peer
 * y together on w's. The ring is {x, w}; v, w's peer, is all that is left.
 */
TEST_F(cycle, peer_rides_in_the_ring)
{
	mx_handle_t x, y, w, v, pair[2];

	ASSERT_OK(mx_channel_create(0, &x, &y));
	ASSERT_OK(mx_channel_create(0, &w, &v));
	ASSERT_OK(send1(y, w));			/* w on x's queue */
	pair[0] = x;
	pair[1] = y;
	ASSERT_OK(mx_channel_write(v, 0, "xy", 2, pair, 2)); /* on w's */
	ASSERT_FALSE(mxt_valid(x));
	ASSERT_FALSE(mxt_valid(y));
	ASSERT_TRUE(sees_peer_closed(v));
	ASSERT_OK(mx_handle_close(v));
	ASSERT_COLLECTED(1, 2);
}

/*
 * A ring carrying a bit of everything: 64 KiB of bytes, an event and an
 * event pair end whose other handles stay here, a port with packets, and
 * a chain 200 channels deep whose far ends stay here. All of it goes with
 * the ring: the event gets LAST_HANDLE back, every peer left here sees
 * PEER_CLOSED, and the counters (packets too) come back.
 */
TEST_F(cycle, ring_with_cargo)
{
	enum { DEPTH = 200 };
	mx_handle_t a1, a2, b1, b2, ev, ev2, ep1, ep2, port, top, far[DEPTH];
	mx_handle_t cargo[4], cur, next;
	mx_port_packet_t pkt;
	static char big[65536];
	int i;

	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_handle_duplicate(ev, MX_RIGHT_SAME_RIGHTS, &ev2));
	ASSERT_FALSE(has_signal(ev, MX_SIGNAL_LAST_HANDLE));
	ASSERT_OK(mx_eventpair_create(0, &ep1, &ep2));
	ASSERT_OK(mx_port_create(0, &port));
	memset(&pkt, 0, sizeof(pkt));
	for (i = 0; i < 10; i++)
		ASSERT_OK(mx_port_queue(port, &pkt, 0));

	/* the chain: cur's queue holds the next end down */
	ASSERT_OK(mx_channel_create(0, &top, &far[0]));
	cur = top;
	for (i = 1; i < DEPTH; i++) {
		ASSERT_OK(mx_channel_create(0, &next, &far[i]));
		ASSERT_OK(send1(far[i - 1], next));	/* on cur's queue */
		cur = next;
	}
	(void)cur;

	ASSERT_OK(mx_channel_create(0, &a1, &a2));
	ASSERT_OK(mx_channel_create(0, &b1, &b2));
	memset(big, 'c', sizeof(big));
	ASSERT_OK(mx_channel_write(a1, 0, big, sizeof(big), NULL, 0));
	cargo[0] = ev2;
	cargo[1] = ep2;
	cargo[2] = port;
	cargo[3] = top;
	ASSERT_OK(mx_channel_write(a1, 0, "cargo", 5, cargo, 4));
	ASSERT_OK(send1(a1, b2));
	ASSERT_OK(send1(b1, a2));
	ASSERT_OK(mx_handle_close(a1));
	ASSERT_OK(mx_handle_close(b1));

	for (i = 0; i < DEPTH; i++)
		ASSERT_TRUE(sees_peer_closed(far[i])) TH_LOG("far[%d]", i);
	ASSERT_OK(mx_object_wait_one(ep1, MX_EPAIR_PEER_CLOSED,
				     mx_deadline_after(10 * SECOND), NULL));
	ASSERT_OK(mx_object_wait_one(ev, MX_SIGNAL_LAST_HANDLE,
				     mx_deadline_after(10 * SECOND), NULL));
	for (i = 0; i < DEPTH; i++)
		ASSERT_OK(mx_handle_close(far[i]));
	ASSERT_OK(mx_handle_close(ep1));
	ASSERT_OK(mx_handle_close(ev));
	ASSERT_COLLECTED(1, 2);
}

/*
 * Two rings, one inside the other's cargo: b's own ring {b}, and b's
 * peer riding in a's ring {a}. Both go; a's peer is the only end left.
 */
TEST_F(cycle, ring_carrying_another_rings_peer)
{
	mx_handle_t a, a2, b, b2;

	ASSERT_OK(mx_channel_create(0, &a, &a2));
	ASSERT_OK(mx_channel_create(0, &b, &b2));
	ASSERT_OK(send1(b2, b));	/* ring {b} */
	ASSERT_OK(send1(a2, b2));	/* b's peer on a's queue */
	ASSERT_OK(send1(a2, a));	/* ring {a} */
	ASSERT_TRUE(sees_peer_closed(a2));
	ASSERT_OK(mx_handle_close(a2));
	ASSERT_COLLECTED(2, 2);
}

/*
 * Chains a table can still reach are left alone, however they are
 * nested: x in y's queue, y in z's, z here; and a held end whose own
 * queue holds its holder's peer. Everything reads back whole.
 */
TEST_F(cycle, reachable_chains_are_kept)
{
	mx_handle_t x, xp, y, yp, z, zp, got, h[2];
	uint32_t nb = 0, nh = 0;
	char buf[16];

	ASSERT_OK(mx_channel_create(0, &x, &xp));
	ASSERT_OK(mx_channel_create(0, &y, &yp));
	ASSERT_OK(mx_channel_create(0, &z, &zp));
	ASSERT_OK(mx_channel_write(xp, 0, "in x", 4, NULL, 0));
	ASSERT_OK(send1(yp, x));	/* x on y's queue */
	ASSERT_OK(send1(zp, y));	/* y on z's queue */
	ASSERT_OK(send1(xp, yp));	/* y's peer on x's queue */
	SETTLE(0);
	ASSERT_FALSE(has_signal(zp, MX_CHANNEL_PEER_CLOSED));
	ASSERT_FALSE(has_signal(xp, MX_CHANNEL_PEER_CLOSED));

	ASSERT_OK(mx_channel_read(z, 0, buf, h, sizeof(buf), 2, &nb, &nh));
	ASSERT_EQ(1, nh);
	got = h[0];				/* y */
	ASSERT_OK(mx_channel_read(got, 0, buf, h, sizeof(buf), 2, &nb, &nh));
	ASSERT_EQ(1, nh);
	y = got;
	got = h[0];				/* x */
	ASSERT_OK(mx_channel_read(got, 0, buf, h, sizeof(buf), 2, &nb, &nh));
	ASSERT_EQ(4, nb);
	ASSERT_EQ(0, memcmp(buf, "in x", 4));
	ASSERT_OK(mx_channel_read(got, 0, buf, h, sizeof(buf), 2, &nb, &nh));
	ASSERT_EQ(1, nh);			/* y's peer */
	yp = h[0];
	ASSERT_OK(mx_channel_write(yp, 0, "ok", 2, NULL, 0));
	ASSERT_OK(mx_channel_read(y, 0, buf, NULL, sizeof(buf), 0, &nb, NULL));
	ASSERT_EQ(2, nb);
	x = got;
	ASSERT_OK(mx_handle_close(x));
	ASSERT_OK(mx_handle_close(xp));
	ASSERT_OK(mx_handle_close(y));
	ASSERT_OK(mx_handle_close(yp));
	ASSERT_OK(mx_handle_close(z));
	ASSERT_OK(mx_handle_close(zp));
	ASSERT_COLLECTED(0, 0);
}

/*
 * A ring is broken before it is ever collected if a table gets a member
 * back first: here the holder's reader takes it back out at once.
 */
TEST_F(cycle, ring_undone_by_a_read_elsewhere)
{
	mx_handle_t a, a2, b, b2, h;
	uint32_t nh = 0;
	char buf[4];

	ASSERT_OK(mx_channel_create(0, &a, &a2));
	ASSERT_OK(mx_channel_create(0, &b, &b2));
	ASSERT_OK(send1(b2, a));	/* a on b's queue; b is here */
	ASSERT_OK(mx_channel_read(b, 0, buf, &h, sizeof(buf), 1, NULL, &nh));
	ASSERT_EQ(1, nh);
	ASSERT_OK(send1(a2, b));	/* b on a's queue; a is here */
	SETTLE(0);
	ASSERT_FALSE(has_signal(b2, MX_CHANNEL_PEER_CLOSED));
	ASSERT_OK(mx_handle_close(h));
	ASSERT_OK(mx_handle_close(a2));
	ASSERT_OK(mx_handle_close(b2));
	ASSERT_COLLECTED(0, 0);
}

/*
 * The race the collector must get right, left to chance. A reader on a
 * starts while the table has a; a writer then sends a into a's own queue.
 * Either the read takes the message (and a comes back into the table, its
 * channel whole) or it does not, and the ring {a} is collected (b sees
 * PEER_CLOSED). Never both (a rescued end whose peer then closes) and
 * never neither (a ring left alive). The window is a few instructions
 * wide, so most rounds are collected; the userfaultfd tests below make
 * the rescue certain.
 */
struct rescue {
	mx_handle_t a, b;
	volatile int go;
	mx_status_t st;
	mx_handle_t got;
	uint32_t nh;
};

static void *rescue_reader(void *arg)
{
	struct rescue *r = arg;
	char buf[4];

	while (!r->go)
		;
	r->st = mx_channel_read(r->a, 0, buf, &r->got, sizeof(buf), 1, NULL,
				&r->nh);
	return NULL;
}

TEST_F(cycle, read_racing_the_ring)
{
	int i, rescued = 0, collected = 0;

	for (i = 0; i < 400; i++) {
		struct rescue r = { 0 };
		pthread_t th;

		ASSERT_OK(mx_channel_create(0, &r.a, &r.b));
		ASSERT_EQ(0, pthread_create(&th, NULL, rescue_reader, &r));
		r.go = 1;
		ASSERT_OK(send1(r.b, r.a));	/* a into its own queue */
		ASSERT_EQ(0, pthread_join(th, NULL));
		if (r.st == MX_OK) {
			char buf[4];
			uint32_t nb = 0;

			ASSERT_EQ(1, r.nh);
			rescued++;
			/* the collector leaves it be, its channel whole */
			SETTLE(-1);
			ASSERT_FALSE(has_signal(r.b, MX_CHANNEL_PEER_CLOSED));
			ASSERT_OK(mx_channel_write(r.b, 0, "ok", 2, NULL, 0));
			ASSERT_OK(mx_channel_read(r.got, 0, buf, NULL,
						  sizeof(buf), 0, &nb, NULL));
			ASSERT_EQ(2, nb);
			ASSERT_OK(mx_handle_close(r.got));
		} else {
			/* before the message came, or after a left the table */
			ASSERT_TRUE(r.st == MX_ERR_SHOULD_WAIT ||
				    r.st == MX_ERR_BAD_HANDLE)
				TH_LOG("read: %s", mx_status_get_string(r.st));
			collected++;
			ASSERT_TRUE(sees_peer_closed(r.b)) TH_LOG("round %d", i);
		}
		ASSERT_OK(mx_handle_close(r.b));
	}
	TH_LOG("%d rescued by the read, %d collected", rescued, collected);
	ASSERT_COLLECTED(collected, collected);
}

/*
 * The same race, made certain with userfaultfd. A first reader of a holds
 * a's read lock, stuck copying a message into a page that is not there
 * yet; a second reader has found a in the table and waits for the lock.
 * a is sent into its own queue: a ring, but with two reads running on
 * it, which the collector must leave alone. Once the page arrives, the
 * second reader takes a back out of the ring into the table.
 */
TEST_F(cycle, reads_in_progress_keep_a_ring)
{
	struct mxt_read r1 = { 0 }, r2 = { 0 };
	static char buf2[4096];
	struct mxt_stall st;
	mx_handle_t a, b;
	pthread_t t1, t2;

	if (!mxt_stall_init(&st))
		SKIP(return, "no userfaultfd here (%s)", strerror(errno));

	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_OK(mx_channel_write(b, 0, "m0", 2, NULL, 0));
	r1.h = r2.h = a;
	r1.bytes = st.page;
	r2.bytes = buf2;
	ASSERT_EQ(0, pthread_create(&t1, NULL, mxt_read_thread, &r1));
	ASSERT_TRUE(mxt_stall_hit(&st));	/* r1 is in the fault */
	ASSERT_TRUE(mxt_read_asleep(&r1));
	ASSERT_EQ(0, pthread_create(&t2, NULL, mxt_read_thread, &r2));
	ASSERT_TRUE(mxt_read_asleep(&r2));		/* r2 waits for the lock */

	ASSERT_OK(send1(b, a));			/* the ring {a} */
	SETTLE(0);
	ASSERT_FALSE(has_signal(b, MX_CHANNEL_PEER_CLOSED));

	ASSERT_TRUE(mxt_stall_release(&st));
	ASSERT_EQ(0, pthread_join(t1, NULL));
	ASSERT_EQ(0, pthread_join(t2, NULL));
	ASSERT_OK(r1.st);
	ASSERT_EQ(2, r1.nb);
	ASSERT_EQ(0, memcmp(st.page, "m0", 2));
	ASSERT_OK(r2.st);
	ASSERT_EQ(1, r2.nh);			/* a, back in the table */
	SETTLE(0);
	ASSERT_OK(mx_channel_write(b, 0, "ok", 2, NULL, 0));
	ASSERT_OK(mx_channel_read(r2.got, 0, buf2, NULL, sizeof(buf2), 0,
				  &r2.nb, NULL));
	ASSERT_EQ(2, r2.nb);
	ASSERT_OK(mx_handle_close(r2.got));
	ASSERT_TRUE(sees_peer_closed(b));
	ASSERT_OK(mx_handle_close(b));
	mxt_stall_end(&st);
	ASSERT_COLLECTED(0, 0);
}

/*
 * A ring that only a read kept alive goes when that read ends: the read
 * was stalled (userfaultfd) with the message ahead of the ring's own, so
 * it takes that one and leaves; the last reader leaving a held endpoint
 * is what sends the collector to it.
 */
TEST_F(cycle, ring_goes_when_its_last_reader_leaves)
{
	struct mxt_read r = { 0 };
	struct mxt_stall st;
	mx_handle_t a, b;
	pthread_t t;

	if (!mxt_stall_init(&st))
		SKIP(return, "no userfaultfd here (%s)", strerror(errno));

	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_OK(mx_channel_write(b, 0, "m0", 2, NULL, 0));
	r.h = a;
	r.bytes = st.page;
	ASSERT_EQ(0, pthread_create(&t, NULL, mxt_read_thread, &r));
	ASSERT_TRUE(mxt_stall_hit(&st));
	ASSERT_OK(send1(b, a));			/* the ring {a}, read */
	SETTLE(0);
	ASSERT_FALSE(has_signal(b, MX_CHANNEL_PEER_CLOSED));
	ASSERT_TRUE(mxt_stall_release(&st));
	ASSERT_EQ(0, pthread_join(t, NULL));
	ASSERT_OK(r.st);
	ASSERT_EQ(0, r.nh);			/* m0, not the ring's */
	ASSERT_TRUE(sees_peer_closed(b));
	ASSERT_OK(mx_handle_close(b));
	mxt_stall_end(&st);
	ASSERT_COLLECTED(1, 1);
}

/*
 * A read that fails puts its message back where it was, and that counts
 * as queueing it: here the read stalls (userfaultfd) on a message that
 * carries a channel end c, a is sent into its own queue meanwhile, and
 * the read then fails on its handles buffer. c is held again, by a ring
 * that goes when the read leaves, with c: its peer d sees PEER_CLOSED.
 */
TEST_F(cycle, read_put_back_into_a_ring)
{
	struct mxt_read r = { .ro_handles = true };
	mx_handle_t a, b, c, d;
	struct mxt_stall st;
	pthread_t t;

	if (!mxt_stall_init(&st))
		SKIP(return, "no userfaultfd here (%s)", strerror(errno));
	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_OK(mx_channel_create(0, &c, &d));
	ASSERT_OK(send1(b, c));			/* c on a's queue */
	r.h = a;
	r.bytes = st.page;
	ASSERT_EQ(0, pthread_create(&t, NULL, mxt_read_thread, &r));
	ASSERT_TRUE(mxt_stall_hit(&st));	/* c's message is off the queue */
	ASSERT_OK(send1(b, a));			/* the ring {a}, read */
	SETTLE(0);
	ASSERT_FALSE(has_signal(d, MX_CHANNEL_PEER_CLOSED));
	ASSERT_TRUE(mxt_stall_release(&st));
	ASSERT_EQ(0, pthread_join(t, NULL));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, r.st);
	ASSERT_TRUE(sees_peer_closed(b));
	ASSERT_TRUE(sees_peer_closed(d));
	ASSERT_OK(mx_handle_close(b));
	ASSERT_OK(mx_handle_close(d));
	mxt_stall_end(&st);
	ASSERT_COLLECTED(1, 1);
}

/*
 * One of each shape, @i picking: self, crossed pair, triangle, a ring
 * with an event and a nested chain, a ring of 8 built by a writer that
 * then closes. Returns the rings made.
 */
static int one_round(int i, mx_handle_t ev)
{
	mx_handle_t y[8], a, b, c, d, e;
	int n, k;

	switch (i % 5) {
	case 0:
		if (mx_channel_create(0, &a, &b) || send1(b, a))
			return -1;
		return mx_handle_close(b) ? -1 : 1;
	case 1:
		n = 2;
		break;
	case 2:
		n = 3;
		break;
	case 3:
		if (mx_channel_create(0, &a, &b) ||
		    mx_channel_create(0, &c, &d) ||
		    mx_handle_duplicate(ev, MX_RIGHT_SAME_RIGHTS, &e) ||
		    send1(d, e) || send1(b, c) || send1(b, a))
			return -1;
		return mx_handle_close(b) || mx_handle_close(d) ? -1 : 1;
	default:
		n = 8;
		break;
	}
	if (make_ring(n, y))
		return -1;
	for (k = 0; k < n; k++)
		if (mx_handle_close(y[k]))
			return -1;
	return 1;
}

/*
 * 100000 rings of every shape, as fast as they can be made, by two
 * processes at once (each with its own table), so the collector runs
 * against writers on both CPUs. MXCHAN_CYCLE_LOOPS sets the number.
 */
TEST_F_TIMEOUT(cycle, hundred_thousand_rings, 900)
{
	const char *env = getenv("MXCHAN_CYCLE_LOOPS");
	long loops = env ? atol(env) : LOOPS;
	pid_t pid[2];
	int p, status;

	ASSERT_LT(0, loops);
	for (p = 0; p < 2; p++) {
		pid[p] = fork();
		ASSERT_LE(0, pid[p]);
		if (pid[p] == 0) {
			mx_handle_t ev;
			long i;

			if (mx_event_create(0, &ev))
				_exit(2);
			for (i = p; i < loops; i += 2)
				if (one_round((int)i, ev) != 1)
					_exit(3);
			_exit(mx_handle_close(ev) ? 4 : 0);
		}
	}
	for (p = 0; p < 2; p++) {
		ASSERT_EQ(pid[p], waitpid(pid[p], &status, 0));
		ASSERT_TRUE(WIFEXITED(status));
		ASSERT_EQ(0, WEXITSTATUS(status));
	}
	ASSERT_COLLECTED(loops, -1);
}

/*
 * A process making rings is killed at a random moment, again and again:
 * whatever it left, half built or queued for the collector, goes. The
 * test process never opens a table itself, so each child opens its own.
 */
TEST_F_TIMEOUT(cycle, killed_while_making_rings, 180)
{
	int i;

	for (i = 0; i < 20; i++) {
		pid_t pid = fork();
		int status;

		ASSERT_GE(pid, 0);
		if (pid == 0) {
			mx_handle_t ev;
			int k;

			if (mx_event_create(0, &ev))
				_exit(2);
			for (k = 0;; k++)
				if (one_round(k + i, ev) != 1)
					_exit(3);
		}
		usleep(1000 * (5 + (i * 37) % 40));
		ASSERT_EQ(0, kill(pid, SIGKILL));
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		ASSERT_TRUE(WIFSIGNALED(status)) TH_LOG("status %#x", status);
	}
	ASSERT_COLLECTED(-1, -1);
}

/*
 * Reading mxchan/gc waits for every pass, the worker's too. Long rings
 * make passes slow, so the collector walks a few suspects per pass; all
 * rings of a round are closed at once, just before the file is read, so
 * its reader runs passes while the worker, queued again as each ends,
 * takes up the rest; two processes spinning keep both CPUs busy, so
 * either side is preempted anywhere. When the file returns, every ring
 * is counted and every object is gone, every round.
 */
TEST_F_TIMEOUT(cycle, counted_when_the_file_returns, 600)
{
	enum { RINGS = 8, LEN = 400 };
	const char *env = getenv("MXCHAN_CYCLE_LOOPS");
	long rounds = (env ? atol(env) : LOOPS) / 5000;
	mx_handle_t (*x)[LEN] = calloc(RINGS, sizeof(*x));
	mx_handle_t (*y)[LEN] = calloc(RINGS, sizeof(*y));
	struct mxt_gc g;
	pid_t spin[2];
	long r, rings = 0;
	int i, k;

	ASSERT_NE(NULL, x);
	ASSERT_NE(NULL, y);
	ASSERT_LT(0, rounds);
	for (i = 0; i < 2; i++) {
		spin[i] = fork();
		ASSERT_LE(0, spin[i]);
		if (spin[i] == 0) {
			/* gone with the test, however it ends */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			for (;;)
				;
		}
	}
	for (r = 0; r < rounds; r++) {
		for (k = 0; k < RINGS; k++)
			ASSERT_OK(make_chain(LEN, x[k], y[k]));
		/* each closed into a ring, at once */
		for (k = 0; k < RINGS; k++)
			ASSERT_OK(send1(y[k][0], x[k][LEN - 1]));
		rings += RINGS;
		if (self->debugfs) {
			ASSERT_TRUE(mxt_gc_settle(&g));
			ASSERT_EQ(self->gc.rings + rings, g.rings)
				TH_LOG("round %ld", r);
		}
		for (k = 0; k < RINGS; k++)
			for (i = 0; i < LEN; i++)
				ASSERT_OK(mx_handle_close(y[k][i]));
		ASSERT_EQ(self->start, mxt_live_total()) TH_LOG("round %ld", r);
	}
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, kill(spin[i], SIGKILL));
		ASSERT_EQ(spin[i], waitpid(spin[i], NULL, 0));
	}
	free(x);
	free(y);
	ASSERT_COLLECTED(rings, rings * LEN);
}

TEST_HARNESS_MAIN
