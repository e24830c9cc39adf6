// SPDX-License-Identifier: GPL-2.0
/*
 * mx_channel_call: replies matched by txid and handed straight to the
 * caller, every outcome Magenta defines (OK, TIMED_OUT, CALL_FAILED with
 * BUFFER_TOO_SMALL, PEER_CLOSED or CANCELED), errors before the request is
 * sent, concurrent callers answered out of order, and callers hit by a
 * storm of Linux signals (no request lost or sent twice). And the
 * server's side, beyond Magenta: mxchan_channel_reply_read (a reply and
 * the wait for and read of the next request in one call) and
 * mxchan_channel_read_wait, with every error, deadline and signal case.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>

#include <mxchan.h>

#include "mx-internal.h"
#include "mxchan_test.h"

struct msg {
	uint32_t txid;
	uint32_t value;
};

/* The current signals of h (all bits if that fails). */
static mx_signals_t state(mx_handle_t h)
{
	mx_signals_t s = 0;

	if (mx_object_wait_one(h, 0, 0, &s) != MX_ERR_TIMED_OUT)
		return ~0u;
	return s;
}

static mx_status_t call(mx_handle_t h, mx_time_t deadline, struct msg *req,
			struct msg *rep, uint32_t rep_size, mx_handle_t *hs,
			uint32_t nh, uint32_t *nb_out, mx_status_t *rs)
{
	mx_channel_call_args_t args = {
		.wr_bytes = req, .wr_num_bytes = sizeof(*req),
		.wr_handles = hs, .wr_num_handles = nh,
		.rd_bytes = rep, .rd_num_bytes = rep_size,
	};
	uint32_t nb = 0, ah = 0;
	mx_status_t st = mx_channel_call(h, 0, deadline, &args, &nb, &ah, rs);

	if (nb_out)
		*nb_out = nb;
	return st;
}

/* A server that answers n requests: value + 1000, same txid. */
struct server {
	pthread_t thread;
	mx_handle_t h;
	int n;
	bool reverse;		/* collect all n, answer last first */
	int got;
};

static void *serve(void *p)
{
	struct server *s = p;
	struct msg req[16], rep;
	int i;

	for (i = 0; i < s->n; i++) {
		if (mx_object_wait_one(s->h, MX_CHANNEL_READABLE,
				       MX_TIME_INFINITE, NULL) != MX_OK ||
		    mx_channel_read(s->h, 0, &req[i], NULL, sizeof(req[i]), 0,
				    NULL, NULL) != MX_OK)
			return NULL;
		s->got++;
		if (!s->reverse) {
			rep = (struct msg){ req[i].txid, req[i].value + 1000 };
			mx_channel_write(s->h, 0, &rep, sizeof(rep), NULL, 0);
		}
	}
	for (i = s->n - 1; s->reverse && i >= 0; i--) {
		rep = (struct msg){ req[i].txid, req[i].value + 1000 };
		mx_channel_write(s->h, 0, &rep, sizeof(rep), NULL, 0);
	}
	return NULL;
}

static void serve_start(struct server *s, mx_handle_t h, int n, bool reverse)
{
	s->h = h;
	s->n = n;
	s->reverse = reverse;
	s->got = 0;
	pthread_create(&s->thread, NULL, serve, s);
}

TEST(reply_goes_to_the_caller)
{
	struct msg req = { 7, 42 }, rep = { 0, 0 };
	struct server s;
	mx_handle_t a, b;
	uint32_t nb;

	ASSERT_OK(mx_channel_create(0, &a, &b));
	serve_start(&s, b, 1, false);
	ASSERT_OK(call(a, MX_TIME_INFINITE, &req, &rep, sizeof(rep), NULL, 0,
		       &nb, NULL));
	pthread_join(s.thread, NULL);
	ASSERT_EQ(sizeof(rep), nb);
	ASSERT_EQ(7, rep.txid);
	ASSERT_EQ(1042, rep.value);
	/* the reply was never queued */
	ASSERT_EQ(0, state(a) & MX_CHANNEL_READABLE);
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_channel_read(a, 0, NULL, NULL, 0, 0, NULL, NULL));
	mx_handle_close(a);
	mx_handle_close(b);
}

static void *answer_with_stray_first(void *p)
{
	mx_handle_t h = *(mx_handle_t *)p;
	struct msg req, stray = { 999, 1 }, rep;

	mx_object_wait_one(h, MX_CHANNEL_READABLE, MX_TIME_INFINITE, NULL);
	mx_channel_read(h, 0, &req, NULL, sizeof(req), 0, NULL, NULL);
	mx_channel_write(h, 0, &stray, sizeof(stray), NULL, 0);
	rep = (struct msg){ req.txid, 5 };
	mx_channel_write(h, 0, &rep, sizeof(rep), NULL, 0);
	return NULL;
}

/* Messages with other txids queue as usual while the call waits. */
TEST(other_messages_are_queued)
{
	struct msg req = { 3, 0 }, rep, got;
	pthread_t t;
	mx_handle_t a, b;

	ASSERT_OK(mx_channel_create(0, &a, &b));
	pthread_create(&t, NULL, answer_with_stray_first, &b);
	ASSERT_OK(call(a, MX_TIME_INFINITE, &req, &rep, sizeof(rep), NULL, 0,
		       NULL, NULL));
	pthread_join(t, NULL);
	ASSERT_EQ(5, rep.value);
	ASSERT_OK(mx_channel_read(a, 0, &got, NULL, sizeof(got), 0, NULL,
				  NULL));
	ASSERT_EQ(999, got.txid);
	mx_handle_close(a);
	mx_handle_close(b);
}

TEST(timed_out)
{
	struct msg req = { 9, 0 }, rep, late = { 9, 1 };
	mx_handle_t a, b, ev, got;
	mx_time_t deadline;
	uint32_t nh;

	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_OK(mx_event_create(0, &ev));
	deadline = mx_deadline_after(MX_MSEC(30));
	ASSERT_STATUS(MX_ERR_TIMED_OUT,
		      call(a, deadline, &req, &rep, sizeof(rep), &ev, 1, NULL,
			   NULL));
	ASSERT_GE(mx_time_get(MX_CLOCK_MONOTONIC), deadline);
	/* the request and its handle went out */
	ASSERT_FALSE(mxt_valid(ev));
	ASSERT_OK(mx_channel_read(b, 0, &rep, &got, sizeof(rep), 1, NULL, &nh));
	ASSERT_EQ(1, nh);
	mx_handle_close(got);
	/* a late reply is an ordinary message */
	ASSERT_OK(mx_channel_write(b, 0, &late, sizeof(late), NULL, 0));
	ASSERT_TRUE(state(a) & MX_CHANNEL_READABLE);
	/* a deadline in the past still sends the request */
	ASSERT_OK(mx_channel_read(a, 0, &rep, NULL, sizeof(rep), 0, NULL, NULL));
	ASSERT_STATUS(MX_ERR_TIMED_OUT,
		      call(a, 0, &req, &rep, sizeof(rep), NULL, 0, NULL, NULL));
	ASSERT_OK(mx_channel_read(b, 0, &rep, NULL, sizeof(rep), 0, NULL, NULL));
	ASSERT_EQ(9, rep.txid);
	mx_handle_close(a);
	mx_handle_close(b);
}

static void *read_then_close(void *p)
{
	mx_handle_t h = *(mx_handle_t *)p;
	struct msg req;

	mx_object_wait_one(h, MX_CHANNEL_READABLE, MX_TIME_INFINITE, NULL);
	mx_channel_read(h, 0, &req, NULL, sizeof(req), 0, NULL, NULL);
	mx_handle_close(h);
	return NULL;
}

TEST(peer_closes_while_waiting)
{
	struct msg req = { 1, 0 }, rep;
	mx_status_t rs = MX_OK;
	pthread_t t;
	mx_handle_t a, b;

	ASSERT_OK(mx_channel_create(0, &a, &b));
	pthread_create(&t, NULL, read_then_close, &b);
	ASSERT_STATUS(MX_ERR_CALL_FAILED,
		      call(a, MX_TIME_INFINITE, &req, &rep, sizeof(rep), NULL, 0,
			   NULL, &rs));
	ASSERT_STATUS(MX_ERR_PEER_CLOSED, rs);
	pthread_join(t, NULL);
	mx_handle_close(a);
}

TEST(peer_already_closed_keeps_handles)
{
	struct msg req = { 1, 0 }, rep;
	mx_handle_t a, b, ev;

	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_handle_close(b));
	ASSERT_STATUS(MX_ERR_PEER_CLOSED,
		      call(a, MX_TIME_INFINITE, &req, &rep, sizeof(rep), &ev, 1,
			   NULL, NULL));
	ASSERT_TRUE(mxt_valid(ev));
	mx_handle_close(ev);
	mx_handle_close(a);
}

static pid_t caller_tid;

static void *close_after_read(void *p)
{
	mx_handle_t *hs = p;	/* [server end, caller's handle] */
	struct msg req;
	int i;

	mx_object_wait_one(hs[0], MX_CHANNEL_READABLE, MX_TIME_INFINITE, NULL);
	mx_channel_read(hs[0], 0, &req, NULL, sizeof(req), 0, NULL, NULL);
	/* the request is out: close once the caller sleeps for the reply */
	for (i = 0; i < 20000 && !mxt_asleep(caller_tid); i++)
		mx_nanosleep(mx_deadline_after(MX_MSEC(1)));
	mx_handle_close(hs[1]);
	return NULL;
}

/* Another thread closes the handle the call was made through. */
TEST(canceled_by_close)
{
	struct msg req = { 1, 0 }, rep;
	mx_status_t rs = MX_OK;
	mx_handle_t hs[2];
	pthread_t t;

	ASSERT_OK(mx_channel_create(0, &hs[1], &hs[0]));
	caller_tid = (pid_t)syscall(SYS_gettid);
	pthread_create(&t, NULL, close_after_read, hs);
	ASSERT_STATUS(MX_ERR_CALL_FAILED,
		      call(hs[1], MX_TIME_INFINITE, &req, &rep, sizeof(rep),
			   NULL, 0, NULL, &rs));
	ASSERT_STATUS(MX_ERR_CANCELED, rs);
	pthread_join(t, NULL);
	mx_handle_close(hs[0]);
}

static void *answer_big_with_channel(void *p)
{
	mx_handle_t *hs = p;	/* [server end, channel end to send] */
	struct msg req;
	char big[64] = { 0 };

	mx_object_wait_one(hs[0], MX_CHANNEL_READABLE, MX_TIME_INFINITE, NULL);
	mx_channel_read(hs[0], 0, &req, NULL, sizeof(req), 0, NULL, NULL);
	memcpy(big, &req.txid, 4);
	mx_channel_write(hs[0], 0, big, sizeof(big), &hs[1], 1);
	return NULL;
}

/* A reply too big is dropped, its handles closed; sizes not reported. */
TEST(reply_too_big)
{
	struct msg req = { 4, 0 }, rep;
	mx_handle_t a, hs[2], kept;
	mx_status_t rs = MX_OK;
	mx_channel_call_args_t args = {
		.wr_bytes = &req, .wr_num_bytes = sizeof(req),
		.rd_bytes = &rep, .rd_num_bytes = sizeof(rep),
	};
	uint32_t nb = 77, nh = 77;
	pthread_t t;

	ASSERT_OK(mx_channel_create(0, &a, &hs[0]));
	ASSERT_OK(mx_channel_create(0, &hs[1], &kept));
	pthread_create(&t, NULL, answer_big_with_channel, hs);
	ASSERT_STATUS(MX_ERR_CALL_FAILED,
		      mx_channel_call(a, 0, MX_TIME_INFINITE, &args, &nb, &nh,
				      &rs));
	pthread_join(t, NULL);
	ASSERT_STATUS(MX_ERR_BUFFER_TOO_SMALL, rs);
	ASSERT_EQ(77, nb);
	ASSERT_EQ(77, nh);
	ASSERT_TRUE(state(kept) & MX_CHANNEL_PEER_CLOSED);
	mx_handle_close(kept);

	/* the kernel itself leaves the sizes alone, and says EMSGSIZE */
	ASSERT_OK(mx_channel_create(0, &hs[1], &kept));
	pthread_create(&t, NULL, answer_big_with_channel, hs);
	{
		int32_t err = 0;
		struct mxchan_channel_call c = {
			.handle = (uint32_t)a,
			.deadline = MX_TIME_INFINITE,
			.args = (uintptr_t)&args,
			.actual_bytes = (uintptr_t)&nb,
			.actual_handles = (uintptr_t)&nh,
			.read_status = (uintptr_t)&err,
		};

		ASSERT_EQ(-1, ioctl(mxchan_table_fd(), MXCHAN_IOC_CHANNEL_CALL,
				    &c));
		ASSERT_EQ(ECOMM, errno);
		ASSERT_EQ(EMSGSIZE, err);
		ASSERT_EQ(77, nb);
		ASSERT_EQ(77, nh);
	}
	pthread_join(t, NULL);
	mx_handle_close(kept);
	mx_handle_close(a);
	mx_handle_close(hs[0]);
}

/* A call whose send fails never registers: it cannot take a reply. */
TEST(failed_send_takes_no_reply)
{
	struct msg req = { 8, 0 }, rep = { 8, 99 }, got;
	mx_handle_t a, b, bad = MXT_BAD_VALUE;

	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      call(a, MX_TIME_INFINITE, &req, &got, sizeof(got), &bad, 1,
			   NULL, NULL));
	/* a message with that txid is an ordinary message */
	ASSERT_OK(mx_channel_write(b, 0, &rep, sizeof(rep), NULL, 0));
	ASSERT_OK(mx_channel_read(a, 0, &got, NULL, sizeof(got), 0, NULL, NULL));
	ASSERT_EQ(99, got.value);
	mx_handle_close(a);
	mx_handle_close(b);
}

/*
 * While a call waits, its reply's room is taken in its endpoint's queue:
 * a stray message finds the queue full, the reply passes.
 */
struct full_server {
	mx_handle_t h;
	mx_status_t stray, reply;
};

static void *answer_past_a_full_queue(void *p)
{
	struct full_server *s = p;
	struct msg req, stray = { 999, 1 }, rep;

	mx_object_wait_one(s->h, MX_CHANNEL_READABLE, MX_TIME_INFINITE, NULL);
	mx_channel_read(s->h, 0, &req, NULL, sizeof(req), 0, NULL, NULL);
	s->stray = mx_channel_write(s->h, 0, &stray, sizeof(stray), NULL, 0);
	rep = (struct msg){ req.txid, req.value + 1000 };
	s->reply = mx_channel_write(s->h, 0, &rep, sizeof(rep), NULL, 0);
	return NULL;
}

/*
 * A call takes room for its reply in its own endpoint's queue before it
 * sends: with max_queued messages there already, NO_MEMORY and nothing
 * sent; with one less, the reply passes the (then full) queue.
 */
TEST(reply_passes_full_queue)
{
	struct msg req = { 6, 1 }, rep;
	struct full_server srv = { .stray = 1, .reply = 1 };
	char old[32];
	mx_handle_t a, b;
	pthread_t t;
	int i;

	ASSERT_OK(mx_channel_create(0, &a, &b));
	if (mxt_param_set("max_queued", "4", old, sizeof(old)))
		SKIP(return, "cannot set max_queued (needs root)");
	for (i = 0; i < 4; i++)
		EXPECT_EQ(MX_OK, mx_channel_write(b, 0, &i, sizeof(i), NULL, 0));
	EXPECT_EQ(MX_ERR_NO_MEMORY,
		  call(a, mx_deadline_after(MX_SEC(20)), &req, &rep,
		       sizeof(rep), NULL, 0, NULL, NULL));
	EXPECT_EQ(MX_ERR_SHOULD_WAIT,
		  mx_channel_read(b, 0, NULL, NULL, 0, 0, NULL, NULL));
	/* three queued, and the call's reply makes four */
	EXPECT_EQ(MX_OK, mx_channel_read(a, 0, &i, NULL, sizeof(i), 0, NULL,
					 NULL));
	srv.h = b;
	pthread_create(&t, NULL, answer_past_a_full_queue, &srv);
	EXPECT_EQ(MX_OK, call(a, mx_deadline_after(MX_SEC(20)), &req, &rep,
			      sizeof(rep), NULL, 0, NULL, NULL));
	pthread_join(t, NULL);
	ASSERT_EQ(0, mxt_param_restore("max_queued", old));
	ASSERT_STATUS(MX_ERR_NO_MEMORY, srv.stray);
	ASSERT_OK(srv.reply);
	ASSERT_EQ(1001, rep.value);
	/* the three messages from before, nothing else */
	for (i = 1; i < 4; i++) {
		int v = -1;

		ASSERT_OK(mx_channel_read(a, 0, &v, NULL, sizeof(v), 0, NULL,
					  NULL));
		ASSERT_EQ(i, v);
	}
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_channel_read(a, 0, NULL, NULL, 0, 0, NULL, NULL));
	mx_handle_close(a);
	mx_handle_close(b);
}

/* Errors before the request is sent leave everything in place. */
TEST(errors_before_sending)
{
	struct msg req = { 1, 0 }, rep;
	mx_handle_t a, b, ev, wo, ro;
	mx_channel_call_args_t args = {
		.wr_bytes = &req, .wr_num_bytes = sizeof(req),
		.rd_bytes = &rep, .rd_num_bytes = sizeof(rep),
		.wr_handles = &ev, .wr_num_handles = 1,
	};
	uint32_t nb, nh;

	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_channel_call(a, 1, 0, &args, &nb, &nh, NULL));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_channel_call(MXT_BAD_VALUE, 0, 0, &args, &nb, &nh,
				      NULL));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE,
		      mx_channel_call(ev, 0, 0, &args, &nb, &nh, NULL));
	ASSERT_OK(mx_channel_create(0, &wo, &ro));
	ASSERT_OK(mx_handle_replace(wo, MX_RIGHT_WRITE, &wo));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_channel_call(wo, 0, 0, &args, &nb, &nh, NULL));
	ASSERT_OK(mx_handle_replace(ro, MX_RIGHT_READ, &ro));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_channel_call(ro, 0, 0, &args, &nb, &nh, NULL));
	args.wr_num_handles = 65;
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE,
		      mx_channel_call(a, 0, 0, &args, &nb, &nh, NULL));
	args.wr_num_handles = 1;
	args.wr_handles = &a;
	ASSERT_STATUS(MX_ERR_NOT_SUPPORTED,
		      mx_channel_call(a, 0, 0, &args, &nb, &nh, NULL));
	ASSERT_TRUE(mxt_valid(ev));
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_channel_read(b, 0, NULL, NULL, 0, 0, NULL, NULL));
	/* the raw ioctl: its own fields, checked before anything is sent */
	{
		int32_t err = 12345;
		struct mxchan_channel_call c = {
			.handle = (uint32_t)a, .args = (uintptr_t)&args,
			.actual_bytes = (uintptr_t)&nb,
			.actual_handles = (uintptr_t)&nh,
			.read_status = (uintptr_t)&err,
		};
		int fd = mxchan_table_fd();

		args.wr_handles = &ev;
		c.reserved = 1;
		ASSERT_EQ(-1, ioctl(fd, MXCHAN_IOC_CHANNEL_CALL, &c));
		ASSERT_EQ(EINVAL, errno);
		c.reserved = 0;
		c.actual_bytes = 0;
		ASSERT_EQ(-1, ioctl(fd, MXCHAN_IOC_CHANNEL_CALL, &c));
		ASSERT_EQ(EINVAL, errno);
		c.actual_bytes = (uintptr_t)&nb;
		c.actual_handles = 0;
		ASSERT_EQ(-1, ioctl(fd, MXCHAN_IOC_CHANNEL_CALL, &c));
		ASSERT_EQ(EINVAL, errno);
		c.actual_handles = (uintptr_t)&nh;
		c.args = 0;
		ASSERT_EQ(-1, ioctl(fd, MXCHAN_IOC_CHANNEL_CALL, &c));
		ASSERT_EQ(EINVAL, errno);
		c.args = (uintptr_t)mxt_bad_ptr();
		ASSERT_EQ(-1, ioctl(fd, MXCHAN_IOC_CHANNEL_CALL, &c));
		ASSERT_EQ(EINVAL, errno);
		c.args = (uintptr_t)&args;
		/* none of them sent the event or wrote a read status */
		ASSERT_TRUE(mxt_valid(ev));
		ASSERT_EQ(12345, err);
		ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
			      mx_channel_read(b, 0, NULL, NULL, 0, 0, NULL,
					      NULL));

		/*
		 * The finish of a call that is not pending: BAD_STATE, once
		 * its own fields are right.
		 */
		c.call_id = 12345;
		ASSERT_EQ(-1, ioctl(fd, MXCHAN_IOC_CALL_FINISH, &c));
		ASSERT_EQ(EBADFD, errno);
		c.call_id = 0;
		ASSERT_EQ(-1, ioctl(fd, MXCHAN_IOC_CALL_FINISH, &c));
		ASSERT_EQ(EBADFD, errno);
		c.call_id = 1;
		c.options = 1;
		ASSERT_EQ(-1, ioctl(fd, MXCHAN_IOC_CALL_FINISH, &c));
		ASSERT_EQ(EINVAL, errno);
		c.options = 0;
		c.reserved = 1;
		ASSERT_EQ(-1, ioctl(fd, MXCHAN_IOC_CALL_FINISH, &c));
		ASSERT_EQ(EINVAL, errno);
		c.reserved = 0;
		c.actual_bytes = 0;
		ASSERT_EQ(-1, ioctl(fd, MXCHAN_IOC_CALL_FINISH, &c));
		ASSERT_EQ(EINVAL, errno);
		ASSERT_EQ(12345, err);
	}
	mx_handle_close(ev);
	mx_handle_close(a);
	mx_handle_close(b);
	mx_handle_close(wo);
	mx_handle_close(ro);
}

#define NCALLERS 10

struct caller {
	pthread_t thread;
	mx_handle_t h;
	uint32_t id;
	mx_status_t status;
	struct msg rep;
	int calls;
	/* if set: wait on done, then on leave, before exiting */
	pthread_barrier_t *done, *leave;
};

static void *caller(void *p)
{
	struct caller *c = p;
	struct msg req = { 100 + c->id, c->id };
	int i;

	c->status = MX_OK;
	for (i = 0; i < c->calls && c->status == MX_OK; i++) {
		req.txid = 1000 * (i + 1) + c->id;
		c->status = call(c->h, MX_TIME_INFINITE, &req, &c->rep,
				 sizeof(c->rep), NULL, 0, NULL, NULL);
		if (c->status == MX_OK &&
		    (c->rep.txid != req.txid || c->rep.value != c->id + 1000))
			c->status = MX_ERR_INTERNAL;
	}
	/* stay alive (a signal target) until the storm is over */
	if (c->done) {
		pthread_barrier_wait(c->done);
		pthread_barrier_wait(c->leave);
	}
	return NULL;
}

/* Ten callers on one channel, answered in reverse order. */
TEST(concurrent_callers_reverse_replies)
{
	struct caller c[NCALLERS];
	struct server s;
	mx_handle_t a, b;
	int i;

	ASSERT_OK(mx_channel_create(0, &a, &b));
	serve_start(&s, b, NCALLERS, true);
	for (i = 0; i < NCALLERS; i++) {
		c[i].h = a;
		c[i].id = (uint32_t)i;
		c[i].calls = 1;
		c[i].done = c[i].leave = NULL;
		pthread_create(&c[i].thread, NULL, caller, &c[i]);
	}
	for (i = 0; i < NCALLERS; i++) {
		pthread_join(c[i].thread, NULL);
		ASSERT_OK(c[i].status);
	}
	pthread_join(s.thread, NULL);
	ASSERT_EQ(NCALLERS, s.got);
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_channel_read(a, 0, NULL, NULL, 0, 0, NULL, NULL));
	mx_handle_close(a);
	mx_handle_close(b);
}

static void on_sigusr1(int sig)
{
	(void)sig;
}

struct storm {
	pthread_t *targets;
	int n;
	volatile int stop;
};

static void *storm_thread(void *p)
{
	struct storm *st = p;
	int i;

	while (!st->stop) {
		for (i = 0; i < st->n; i++)
			pthread_kill(st->targets[i], SIGUSR1);
		mx_nanosleep(mx_deadline_after(MX_USEC(500)));
	}
	return NULL;
}

/* A slow server: answers each request after a short pause. */
static void *slow_serve(void *p)
{
	struct server *s = p;
	struct msg req, rep;

	while (s->got < s->n) {
		if (mx_object_wait_one(s->h, MX_CHANNEL_READABLE,
				       MX_TIME_INFINITE, NULL) != MX_OK ||
		    mx_channel_read(s->h, 0, &req, NULL, sizeof(req), 0, NULL,
				    NULL) != MX_OK)
			return NULL;
		s->got++;
		mx_nanosleep(mx_deadline_after(MX_MSEC(2)));
		rep = (struct msg){ req.txid, req.value + 1000 };
		mx_channel_write(s->h, 0, &rep, sizeof(rep), NULL, 0);
	}
	return NULL;
}

/*
 * Callers under a storm of signals (no SA_RESTART): every call completes,
 * and the server sees each request exactly once.
 */
TEST(callers_survive_signal_storm)
{
	struct sigaction sa = { .sa_handler = on_sigusr1 };
	struct caller c[4];
	pthread_t targets[4], t;
	struct storm st = { .targets = targets, .n = 4, .stop = 0 };
	struct server s = { .n = 4 * 25 };
	pthread_barrier_t done, leave;
	mx_handle_t a, b;
	int i;

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	pthread_barrier_init(&done, NULL, 5);
	pthread_barrier_init(&leave, NULL, 5);
	ASSERT_OK(mx_channel_create(0, &a, &b));
	s.h = b;
	pthread_create(&s.thread, NULL, slow_serve, &s);
	for (i = 0; i < 4; i++) {
		c[i].h = a;
		c[i].id = (uint32_t)i;
		c[i].calls = 25;
		c[i].done = &done;
		c[i].leave = &leave;
		pthread_create(&c[i].thread, NULL, caller, &c[i]);
		targets[i] = c[i].thread;
	}
	pthread_create(&t, NULL, storm_thread, &st);
	pthread_barrier_wait(&done);
	st.stop = 1;
	pthread_join(t, NULL);
	pthread_barrier_wait(&leave);
	for (i = 0; i < 4; i++) {
		pthread_join(c[i].thread, NULL);
		ASSERT_OK(c[i].status);
	}
	pthread_join(s.thread, NULL);
	ASSERT_EQ(100, s.got);
	/* no duplicate request is left over either */
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_channel_read(b, 0, NULL, NULL, 0, 0, NULL, NULL));
	mx_handle_close(a);
	mx_handle_close(b);
}

struct raw_caller {
	pthread_t thread;
	pid_t tid;
	mx_handle_t h;
	int eintr;
	uint32_t call_id;
	int result;
	struct msg rep;
	uint32_t nb, nh;
};

/* The raw ioctls, as libmx issues them, counting the EINTRs. */
static void *raw_caller(void *p)
{
	struct raw_caller *rc = p;
	struct msg req = { 55, 5 };
	mx_channel_call_args_t args = {
		.wr_bytes = &req, .wr_num_bytes = sizeof(req),
		.rd_bytes = &rc->rep, .rd_num_bytes = sizeof(rc->rep),
	};
	struct mxchan_channel_call a = {
		.handle = (uint32_t)rc->h,
		.deadline = MX_TIME_INFINITE,
		.args = (uintptr_t)&args,
		.actual_bytes = (uintptr_t)&rc->nb,
		.actual_handles = (uintptr_t)&rc->nh,
	};
	unsigned long cmd = MXCHAN_IOC_CHANNEL_CALL;

	rc->tid = (pid_t)syscall(SYS_gettid);
	while ((rc->result = ioctl(mxchan_table_fd(), cmd, &a)) != 0 &&
	       errno == EINTR) {
		__atomic_store_n(&rc->call_id, a.call_id, __ATOMIC_SEQ_CST);
		__atomic_add_fetch(&rc->eintr, 1, __ATOMIC_SEQ_CST);
		cmd = MXCHAN_IOC_CALL_FINISH;
	}
	return NULL;
}

/*
 * A signal during the wait ends the ioctl with EINTR and a call id; the
 * request is not sent again, and CALL_FINISH gets the reply.
 */
TEST(interrupted_call_finishes)
{
	struct sigaction sa = { .sa_handler = on_sigusr1 };
	struct raw_caller rc = { .eintr = 0 };
	struct msg req, rep;
	mx_handle_t a, b;
	int i;

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	ASSERT_OK(mx_channel_create(0, &a, &b));
	rc.h = a;
	pthread_create(&rc.thread, NULL, raw_caller, &rc);
	ASSERT_OK(mx_object_wait_one(b, MX_CHANNEL_READABLE, MX_TIME_INFINITE,
				     NULL));
	for (i = 0; i < 20000 && !(rc.tid && mxt_asleep(rc.tid)); i++)
		mx_nanosleep(mx_deadline_after(MX_MSEC(1)));
	pthread_kill(rc.thread, SIGUSR1);
	for (i = 0; i < 20000 && !__atomic_load_n(&rc.eintr, __ATOMIC_SEQ_CST);
	     i++)
		mx_nanosleep(mx_deadline_after(MX_MSEC(1)));
	ASSERT_EQ(1, __atomic_load_n(&rc.eintr, __ATOMIC_SEQ_CST));
	ASSERT_NE(0, rc.call_id);
	/* answer now: the pending call, not the queue, takes it */
	ASSERT_OK(mx_channel_read(b, 0, &req, NULL, sizeof(req), 0, NULL,
				  NULL));
	rep = (struct msg){ req.txid, 77 };
	ASSERT_OK(mx_channel_write(b, 0, &rep, sizeof(rep), NULL, 0));
	pthread_join(rc.thread, NULL);
	ASSERT_EQ(0, rc.result);
	ASSERT_EQ(77, rc.rep.value);
	ASSERT_EQ(sizeof(rc.rep), rc.nb);
	ASSERT_EQ(0, rc.nh);
	/* exactly one request was sent */
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_channel_read(b, 0, NULL, NULL, 0, 0, NULL, NULL));
	ASSERT_EQ(0, state(a) & MX_CHANNEL_READABLE);
	mx_handle_close(a);
	mx_handle_close(b);
}

/*
 * A call parked by a signal and never finished dies with its table, with
 * the reply it got meanwhile (and the handle in that reply).
 */
struct parked {
	int fd;
	uint32_t h;
	int result, err;
	uint32_t call_id;
	pid_t tid;
	uint64_t deadline;	/* 0: infinite */
	struct msg req, rep;
	uint32_t nb, nh;
};

static void *park_once(void *p)
{
	struct parked *pc = p;
	mx_channel_call_args_t args = {
		.wr_bytes = &pc->req, .wr_num_bytes = sizeof(pc->req),
		.rd_bytes = &pc->rep, .rd_num_bytes = sizeof(pc->rep),
	};
	struct mxchan_channel_call a = {
		.handle = pc->h,
		.deadline = pc->deadline ? pc->deadline : MX_TIME_INFINITE,
		.args = (uintptr_t)&args,
		.actual_bytes = (uintptr_t)&pc->nb,
		.actual_handles = (uintptr_t)&pc->nh,
	};

	__atomic_store_n(&pc->tid, (pid_t)syscall(SYS_gettid),
			 __ATOMIC_RELEASE);
	pc->result = ioctl(pc->fd, MXCHAN_IOC_CHANNEL_CALL, &a);
	pc->err = errno;
	pc->call_id = a.call_id;
	return NULL;
}

TEST(parked_call_dies_with_its_table)
{
	struct sigaction sa = { .sa_handler = on_sigusr1 };
	uint32_t c0, c1, ev;
	struct mxchan_channel_create cc = {
		.out0 = (uintptr_t)&c0, .out1 = (uintptr_t)&c1,
	};
	struct mxchan_event_create ec = { .out = (uintptr_t)&ev };
	struct parked pc = { .req = { 5, 1 } };
	long start = mxt_live_total();
	struct mxchan_channel_write w = { 0 };
	struct msg rep = { 5, 2 };
	pthread_t th;
	int i;

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	pc.fd = open("/dev/mxchan", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, pc.fd);
	ASSERT_EQ(0, ioctl(pc.fd, MXCHAN_IOC_CHANNEL_CREATE, &cc));
	ASSERT_EQ(0, ioctl(pc.fd, MXCHAN_IOC_EVENT_CREATE, &ec));
	pc.h = c0;
	ASSERT_EQ(0, pthread_create(&th, NULL, park_once, &pc));
	for (i = 0; i < 20000 && !(pc.tid && mxt_asleep(pc.tid)); i++)
		mx_nanosleep(mx_deadline_after(MX_MSEC(1)));
	ASSERT_EQ(0, pthread_kill(th, SIGUSR1));
	ASSERT_EQ(0, pthread_join(th, NULL));
	ASSERT_EQ(-1, pc.result);
	ASSERT_EQ(EINTR, pc.err);
	ASSERT_NE(0, pc.call_id);
	/* the reply, with an event in it, goes to the parked call */
	w.handle = c1;
	w.bytes = (uintptr_t)&rep;
	w.num_bytes = sizeof(rep);
	w.handles = (uintptr_t)&ev;
	w.num_handles = 1;
	ASSERT_EQ(0, ioctl(pc.fd, MXCHAN_IOC_CHANNEL_WRITE, &w));
	ASSERT_EQ(0, close(pc.fd));
	if (start >= 0)
		ASSERT_EQ(start, mxt_live_total());
}

/*
 * A table has at most 4096 calls running or parked. One more fails with
 * EMFILE before its request is sent; once a parked call is finished, a
 * new call has room again.
 */
FIXTURE(slow) {};
FIXTURE_SETUP(slow) {}
FIXTURE_TEARDOWN(slow) {}

/* Messages queued on @h in table @fd, read (and dropped) one by one. */
static int drain(int fd, uint32_t h)
{
	char buf[64];
	struct mxchan_channel_read r = {
		.handle = h, .bytes = (uintptr_t)buf, .num_bytes = sizeof(buf),
	};
	int n = 0;

	while (ioctl(fd, MXCHAN_IOC_CHANNEL_READ, &r) == 0)
		n++;
	return errno == EAGAIN ? n : -errno;
}

TEST_F_TIMEOUT(slow, call_beyond_4096_is_emfile, 300)
{
	struct sigaction sa = { .sa_handler = on_sigusr1 };
	uint32_t c0, c1;
	struct mxchan_channel_create cc = {
		.out0 = (uintptr_t)&c0, .out1 = (uintptr_t)&c1,
	};
	struct parked pc = { .req = { 5, 1 } };
	struct msg rep = { 5, 2 };
	struct mxchan_channel_write w = {
		.bytes = (uintptr_t)&rep, .num_bytes = sizeof(rep),
	};
	mx_channel_call_args_t args = {
		.wr_bytes = &pc.req, .wr_num_bytes = sizeof(pc.req),
		.rd_bytes = &pc.rep, .rd_num_bytes = sizeof(pc.rep),
	};
	struct mxchan_channel_call fin = {
		.args = (uintptr_t)&args,
		.actual_bytes = (uintptr_t)&pc.nb,
		.actual_handles = (uintptr_t)&pc.nh,
	};
	uint32_t prev = 0;
	uint64_t t0;
	pthread_t th;
	int i, k;

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	pc.fd = open("/dev/mxchan", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, pc.fd);
	ASSERT_EQ(0, ioctl(pc.fd, MXCHAN_IOC_CHANNEL_CREATE, &cc));
	pc.h = c0;
	for (k = 0; k < 4096; k++) {
		pc.tid = 0;
		pc.deadline = MX_TIME_INFINITE;
		ASSERT_EQ(0, pthread_create(&th, NULL, park_once, &pc));
		for (i = 0; i < 20000 && !(pc.tid && mxt_asleep(pc.tid)); i++)
			usleep(100);
		ASSERT_EQ(0, pthread_kill(th, SIGUSR1));
		ASSERT_EQ(0, pthread_join(th, NULL));
		ASSERT_EQ(EINTR, pc.err) TH_LOG("call %d", k);
		/* each its own id, the lowest free */
		ASSERT_LT(prev, pc.call_id);
		prev = pc.call_id;
	}
	/* the 4097th: EMFILE at once, and its request never went out */
	pc.deadline = mx_deadline_after(MX_SEC(5));
	pc.call_id = 0;
	t0 = mx_time_get(MX_CLOCK_MONOTONIC);
	park_once(&pc);
	ASSERT_EQ(-1, pc.result);
	ASSERT_EQ(EMFILE, pc.err);
	ASSERT_GT(t0 + MX_SEC(5), mx_time_get(MX_CLOCK_MONOTONIC));
	ASSERT_EQ(4096, drain(pc.fd, c1));

	/* the reply goes to the oldest parked call; finishing it frees room */
	w.handle = c1;
	ASSERT_EQ(0, ioctl(pc.fd, MXCHAN_IOC_CHANNEL_WRITE, &w));
	fin.handle = c0;
	fin.deadline = mx_deadline_after(MX_SEC(5));
	fin.call_id = 1;
	pc.rep.value = 0;
	ASSERT_EQ(0, ioctl(pc.fd, MXCHAN_IOC_CALL_FINISH, &fin));
	ASSERT_EQ(2, pc.rep.value);
	ASSERT_EQ(sizeof(rep), pc.nb);
	ASSERT_EQ(-1, ioctl(pc.fd, MXCHAN_IOC_CALL_FINISH, &fin));
	ASSERT_EQ(EBADFD, errno);
	pc.deadline = mx_deadline_after(MX_MSEC(100));
	park_once(&pc);
	ASSERT_EQ(-1, pc.result);
	ASSERT_EQ(ETIMEDOUT, pc.err);
	ASSERT_EQ(1, drain(pc.fd, c1));
	ASSERT_EQ(0, close(pc.fd));
}

/*
 * A reply with a handle for a caller whose table is full: CALL_FAILED,
 * read_status NO_MEMORY, and the reply waits at the head of the queue.
 * The server is another table, so answering frees no slot here.
 */
struct far_server {
	int fd;
	mx_handle_t h;
	uint32_t ev;		/* made before the limit came down */
	int result;
};

static void *serve_with_handle(void *p)
{
	struct far_server *s = p;
	struct mxchan_object_wait_one wo = {
		.handle = (uint32_t)s->h, .waitfor = MX_CHANNEL_READABLE,
		.deadline = MX_TIME_INFINITE,
	};
	struct msg req;
	struct mxchan_channel_read r = {
		.handle = (uint32_t)s->h, .bytes = (uintptr_t)&req,
		.num_bytes = sizeof(req),
	};
	struct mxchan_channel_write w = {
		.handle = (uint32_t)s->h, .bytes = (uintptr_t)&req,
		.num_bytes = sizeof(req), .num_handles = 1,
	};

	s->result = -1;
	if (ioctl(s->fd, MXCHAN_IOC_OBJECT_WAIT_ONE, &wo) ||
	    ioctl(s->fd, MXCHAN_IOC_CHANNEL_READ, &r))
		return NULL;
	req.value += 1000;
	w.handles = (uintptr_t)&s->ev;
	s->result = ioctl(s->fd, MXCHAN_IOC_CHANNEL_WRITE, &w);
	return NULL;
}

/* max_handles, put back whatever happens */
FIXTURE(full) {
	char old[32];
	bool set;
};

FIXTURE_SETUP(full)
{
	self->set = false;
}

FIXTURE_TEARDOWN_PARENT(full)
{
	if (self->set)
		mxt_param_restore("max_handles", self->old);
}

TEST_F_TIMEOUT(full, reply_to_a_full_table_stays_queued, 60)
{
	struct far_server s = { 0 };
	struct mxchan_event_create ec = { .out = (uintptr_t)&s.ev };
	struct msg req = { 9, 1 }, rep;
	mx_handle_t a, b, got = 0;
	mx_status_t rs = MX_OK, st;
	uint32_t nb = 0, nh = 0;
	pthread_t th;
	mx_channel_call_args_t args = {
		.wr_bytes = &req, .wr_num_bytes = sizeof(req),
		.rd_bytes = &rep, .rd_num_bytes = sizeof(rep),
		.rd_handles = &got, .rd_num_handles = 1,
	};

	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_OK(mxchan_table_create(&s.fd));
	ASSERT_OK(mxchan_handles_give(s.fd, &b, 1, NULL, &s.h));
	ASSERT_EQ(0, ioctl(s.fd, MXCHAN_IOC_EVENT_CREATE, &ec));
	/* this table has a alone: full at 1 */
	if (mxt_param_set("max_handles", "1", self->old, sizeof(self->old)))
		SKIP(return, "cannot set max_handles (needs root)");
	self->set = true;
	ASSERT_EQ(0, pthread_create(&th, NULL, serve_with_handle, &s));
	st = mx_channel_call(a, 0, MX_TIME_INFINITE, &args, &nb, &nh, &rs);
	ASSERT_EQ(0, pthread_join(th, NULL));
	ASSERT_EQ(0, mxt_param_restore("max_handles", self->old));
	self->set = false;
	ASSERT_STATUS(MX_ERR_CALL_FAILED, st);
	ASSERT_EQ(0, s.result);
	ASSERT_STATUS(MX_ERR_NO_MEMORY, rs);
	/* the reply is the first message on a, whole */
	ASSERT_TRUE(state(a) & MX_CHANNEL_READABLE);
	ASSERT_OK(mx_channel_read(a, 0, &rep, &got, sizeof(rep), 1, &nb, &nh));
	ASSERT_EQ(sizeof(rep), nb);
	ASSERT_EQ(1, nh);
	ASSERT_EQ(9, rep.txid);
	ASSERT_EQ(1001, rep.value);
	ASSERT_EQ(MX_OBJ_TYPE_EVENT, mxt_info(got).type);
	ASSERT_OK(mx_handle_close(got));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_EQ(0, close(s.fd));
}

/* Echo one request of up to 20000 bytes back, its txid first. */
static void *echo_big(void *p)
{
	static unsigned char buf[20000];
	struct server *s = p;
	uint32_t nb = 0;

	if (mxchan_channel_read_wait(s->h, 0, MX_TIME_INFINITE, buf, NULL,
				     sizeof(buf), 0, &nb, NULL) != MX_OK)
		return NULL;
	s->got++;
	/* the same txid, other bytes: the reply is not the request */
	buf[nb - 1] ^= 0xff;
	mx_channel_write(s->h, 0, buf, nb, NULL, 0);
	return NULL;
}

/* Requests and replies kept in pages match by txid as small ones do. */
TEST(paged_request_and_reply)
{
	static unsigned char req[15000], rep[20000];
	mx_channel_call_args_t args = {
		.wr_bytes = req, .wr_num_bytes = sizeof(req),
		.rd_bytes = rep, .rd_num_bytes = sizeof(rep),
	};
	struct server s = { .n = 1 };
	uint32_t nb = 0, nh = 0, i, stray = 0x5a5a5a5a;
	mx_handle_t a, b;

	for (i = 0; i < sizeof(req); i++)
		req[i] = (unsigned char)(i * 11);
	memcpy(req, "\x42\x00\x00\x10", 4);
	ASSERT_OK(mx_channel_create(0, &a, &b));
	/* a big message with another txid first: it must stay queued */
	memcpy(rep, &stray, 4);
	ASSERT_OK(mx_channel_write(b, 0, rep, 9000, NULL, 0));
	s.h = b;
	pthread_create(&s.thread, NULL, echo_big, &s);
	ASSERT_OK(mx_channel_call(a, 0, MX_TIME_INFINITE, &args, &nb, &nh,
				  NULL));
	pthread_join(s.thread, NULL);
	ASSERT_EQ(sizeof(req), nb);
	ASSERT_EQ(0, memcmp(rep, req, sizeof(req) - 1));
	ASSERT_EQ(req[sizeof(req) - 1] ^ 0xff, rep[sizeof(req) - 1]);
	ASSERT_OK(mx_channel_read(a, 0, rep, NULL, sizeof(rep), 0, &nb, NULL));
	ASSERT_EQ(9000, nb);
	ASSERT_EQ(0, memcmp(rep, &stray, 4));
	mx_handle_close(a);
	mx_handle_close(b);
}

/* --- the server's side: reply_read and read_wait ------------------------ */

/*
 * A server in one call a turn: the first request with read_wait, then
 * each reply with the read of the next; the last reply alone.
 */
static void *reply_read_serve(void *p)
{
	struct server *s = p;
	struct msg req, rep;
	mx_channel_call_args_t args = {
		.wr_bytes = &rep, .wr_num_bytes = sizeof(rep),
		.rd_bytes = &req, .rd_num_bytes = sizeof(req),
	};
	uint32_t nb = 0, nh = 0;

	if (mxchan_channel_read_wait(s->h, 0, MX_TIME_INFINITE, &req, NULL,
				     sizeof(req), 0, &nb, &nh) != MX_OK)
		return NULL;
	for (;;) {
		if (nb != sizeof(req) || nh)
			return NULL;
		s->got++;
		rep = (struct msg){ req.txid, req.value + 1000 };
		if (s->got == s->n) {
			mx_channel_write(s->h, 0, &rep, sizeof(rep), NULL, 0);
			return NULL;
		}
		nb = nh = 0;
		if (mxchan_channel_reply_read(s->h, 0, MX_TIME_INFINITE, &args,
					      &nb, &nh) != MX_OK)
			return NULL;
	}
}

TEST(reply_read_serves_calls)
{
	struct server s = { .n = 200 };
	struct msg req, rep;
	mx_handle_t a, b;
	uint32_t nb;
	int i;

	ASSERT_OK(mx_channel_create(0, &a, &b));
	s.h = b;
	pthread_create(&s.thread, NULL, reply_read_serve, &s);
	for (i = 0; i < s.n; i++) {
		req = (struct msg){ (uint32_t)i + 1, (uint32_t)i };
		ASSERT_OK(call(a, MX_TIME_INFINITE, &req, &rep, sizeof(rep),
			       NULL, 0, &nb, NULL));
		ASSERT_EQ(sizeof(rep), nb);
		ASSERT_EQ(req.txid, rep.txid);
		ASSERT_EQ((uint32_t)i + 1000, rep.value);
	}
	pthread_join(s.thread, NULL);
	ASSERT_EQ(s.n, s.got);
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_channel_read(a, 0, NULL, NULL, 0, 0, NULL, NULL));
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_channel_read(b, 0, NULL, NULL, 0, 0, NULL, NULL));
	mx_handle_close(a);
	mx_handle_close(b);
}

/* The reply carries a handle out, the next request one in. */
TEST(reply_read_moves_handles)
{
	mx_handle_t a, b, e, got = 0, back = 0;
	uint32_t x = 1, y = 0, nb = 0, nh = 0;
	mx_channel_call_args_t args = {
		.wr_bytes = &x, .wr_num_bytes = sizeof(x),
		.wr_handles = &e, .wr_num_handles = 1,
		.rd_bytes = &y, .rd_num_bytes = sizeof(y),
		.rd_handles = &got, .rd_num_handles = 1,
	};

	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_OK(mx_event_create(0, &e));
	x = 2;
	ASSERT_OK(mx_channel_write(a, 0, &x, sizeof(x), &e, 1));
	ASSERT_OK(mxchan_channel_read_wait(b, 0, 0, &y, &got, sizeof(y), 1,
					   &nb, &nh));
	ASSERT_EQ(2, y);
	ASSERT_EQ(1, nh);
	e = got;
	x = 3;
	ASSERT_OK(mx_channel_write(a, 0, &x, sizeof(x), NULL, 0));
	got = 0;
	ASSERT_OK(mxchan_channel_reply_read(b, 0, 0, &args, &nb, &nh));
	ASSERT_EQ(3, y);
	ASSERT_EQ(0, nh);
	ASSERT_FALSE(mxt_valid(e));		/* it left with the reply */
	ASSERT_OK(mx_channel_read(a, 0, &y, &back, sizeof(y), 1, &nb, &nh));
	ASSERT_EQ(3, y);		/* x as the reply was written */
	ASSERT_EQ(1, nh);
	ASSERT_EQ((mx_obj_type_t)MX_OBJ_TYPE_EVENT, mxt_info(back).type);
	mx_handle_close(back);
	mx_handle_close(a);
	mx_handle_close(b);
}

TEST(read_wait_deadlines)
{
	mx_handle_t a, b;
	uint32_t x = 5, y = 0;
	mx_time_t t0;

	ASSERT_OK(mx_channel_create(0, &a, &b));
	/* a deadline passed: no wait, TIMED_OUT with nothing queued */
	ASSERT_STATUS(MX_ERR_TIMED_OUT,
		      mxchan_channel_read_wait(b, 0, 0, &y, NULL, sizeof(y), 0,
					       NULL, NULL));
	t0 = mx_time_get(MX_CLOCK_MONOTONIC);
	ASSERT_STATUS(MX_ERR_TIMED_OUT,
		      mxchan_channel_read_wait(b, 0,
					       mx_deadline_after(MX_MSEC(20)),
					       &y, NULL, sizeof(y), 0, NULL,
					       NULL));
	ASSERT_LE(t0 + MX_MSEC(20), mx_time_get(MX_CLOCK_MONOTONIC));
	/* ... and reads what is queued, whatever the deadline */
	ASSERT_OK(mx_channel_write(a, 0, &x, sizeof(x), NULL, 0));
	ASSERT_OK(mxchan_channel_read_wait(b, 0, 0, &y, NULL, sizeof(y), 0,
					   NULL, NULL));
	ASSERT_EQ(5, y);
	ASSERT_EQ(0, state(b) & MX_CHANNEL_READABLE);
	mx_handle_close(a);
	mx_handle_close(b);
}

struct later {
	pthread_t thread;
	mx_handle_t h;
	bool close;		/* close h; else write a message on it */
};

static void *later_fn(void *p)
{
	struct later *l = p;
	uint32_t x = 9;

	mx_nanosleep(mx_deadline_after(MX_MSEC(30)));
	if (l->close)
		mx_handle_close(l->h);
	else
		mx_channel_write(l->h, 0, &x, sizeof(x), NULL, 0);
	return NULL;
}

TEST(read_wait_wakes_for_a_message_and_for_peer_closed)
{
	struct later l = { .close = false };
	mx_handle_t a, b;
	uint32_t x = 1, y = 0;

	ASSERT_OK(mx_channel_create(0, &a, &b));
	l.h = a;
	pthread_create(&l.thread, NULL, later_fn, &l);
	ASSERT_OK(mxchan_channel_read_wait(b, 0, MX_TIME_INFINITE, &y, NULL,
					   sizeof(y), 0, NULL, NULL));
	ASSERT_EQ(9, y);
	pthread_join(l.thread, NULL);
	/* queued before the close: still read; then PEER_CLOSED */
	ASSERT_OK(mx_channel_write(a, 0, &x, sizeof(x), NULL, 0));
	l.close = true;
	pthread_create(&l.thread, NULL, later_fn, &l);
	ASSERT_OK(mxchan_channel_read_wait(b, 0, MX_TIME_INFINITE, &y, NULL,
					   sizeof(y), 0, NULL, NULL));
	ASSERT_EQ(1, y);
	ASSERT_STATUS(MX_ERR_PEER_CLOSED,
		      mxchan_channel_read_wait(b, 0, MX_TIME_INFINITE, &y,
					       NULL, sizeof(y), 0, NULL,
					       NULL));
	pthread_join(l.thread, NULL);
	mx_handle_close(b);
}

TEST(read_wait_canceled_by_close)
{
	struct later l = { .close = true };
	mx_handle_t a, b;
	uint32_t y = 0;

	ASSERT_OK(mx_channel_create(0, &a, &b));
	l.h = b;
	pthread_create(&l.thread, NULL, later_fn, &l);
	ASSERT_STATUS(MX_ERR_CANCELED,
		      mxchan_channel_read_wait(b, 0, MX_TIME_INFINITE, &y,
					       NULL, sizeof(y), 0, NULL,
					       NULL));
	pthread_join(l.thread, NULL);
	ASSERT_FALSE(mxt_valid(b));
	ASSERT_TRUE(mxt_peer_closed(a));
	mx_handle_close(a);
}

/* The raw ioctl: one struct, the reply of x and room for one u32. */
static struct mxchan_channel_reply_read rr_args(uint32_t h, uint32_t *x,
						uint32_t *y, uint32_t *nb,
						uint32_t *nh)
{
	return (struct mxchan_channel_reply_read){
		.handle = h, .flags = MXCHAN_REPLY_READ_REPLY,
		.wr_bytes = (uintptr_t)x, .wr_num_bytes = sizeof(*x),
		.rd_bytes = (uintptr_t)y, .rd_num_bytes = sizeof(*y),
		.actual_bytes = (uintptr_t)nb, .actual_handles = (uintptr_t)nh,
	};
}

static int rr_ioctl(struct mxchan_channel_reply_read *r)
{
	return ioctl(mxchan_table_fd(), MXCHAN_IOC_CHANNEL_REPLY_READ, r) ?
	       errno : 0;
}

/* What fails before the reply is sent sends nothing. */
TEST(reply_read_errors_before_sending)
{
	uint32_t x = 1, y = 0, nb = 0, nh = 0, big = MXCHAN_MAX_MSG_BYTES + 1;
	mx_handle_t a, b, wo, e, stale;
	struct mxchan_channel_reply_read r;

	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_OK(mx_event_create(0, &e));
	ASSERT_OK(mx_event_create(0, &stale));
	ASSERT_OK(mx_handle_close(stale));
	r = rr_args(b, &x, &y, &nb, &nh);
	r.flags = 2;
	ASSERT_EQ(EINVAL, rr_ioctl(&r));
	r = rr_args(b, &x, &y, &nb, &nh);
	r.reserved = 1;
	ASSERT_EQ(EINVAL, rr_ioctl(&r));
	r = rr_args(b, &x, &y, &nb, &nh);
	r.options = 2;
	ASSERT_EQ(EOPNOTSUPP, rr_ioctl(&r));
	r = rr_args(stale, &x, &y, &nb, &nh);
	ASSERT_EQ(EBADF, rr_ioctl(&r));
	r = rr_args(e, &x, &y, &nb, &nh);
	ASSERT_EQ(EPROTOTYPE, rr_ioctl(&r));
	/* the write's own errors */
	r = rr_args(b, &x, &y, &nb, &nh);
	r.wr_num_bytes = big;
	ASSERT_EQ(ERANGE, rr_ioctl(&r));
	r = rr_args(b, &x, &y, &nb, &nh);
	r.wr_bytes = (uintptr_t)mxt_bad_ptr();
	ASSERT_EQ(EINVAL, rr_ioctl(&r));
	ASSERT_EQ(0, state(a) & MX_CHANNEL_READABLE);
	/* a failed write reads nothing: a queued request stays */
	ASSERT_OK(mx_channel_write(a, 0, &x, sizeof(x), NULL, 0));
	r = rr_args(b, &x, &y, &nb, &nh);
	r.wr_num_bytes = big;
	ASSERT_EQ(ERANGE, rr_ioctl(&r));
	ASSERT_EQ(0, y);
	ASSERT_EQ(MX_CHANNEL_READABLE, state(b) & MX_CHANNEL_READABLE);
	/* a write-only end: the read would fail, so nothing is sent */
	ASSERT_OK(mx_handle_replace(b, MX_RIGHT_WRITE, &wo));
	r = rr_args(wo, &x, &y, &nb, &nh);
	ASSERT_EQ(EACCES, rr_ioctl(&r));
	ASSERT_EQ(0, state(a) & MX_CHANNEL_READABLE);
	/* without the reply, a read: it needs READ alone */
	r.flags = 0;
	ASSERT_EQ(EACCES, rr_ioctl(&r));
	/* a fault on the struct itself */
	ASSERT_EQ(-1, ioctl(mxchan_table_fd(), MXCHAN_IOC_CHANNEL_REPLY_READ,
			    mxt_bad_ptr()));
	ASSERT_EQ(EINVAL, errno);
	mx_handle_close(wo);
	mx_handle_close(e);
	mx_handle_close(a);
}

/* Once the reply is out, the read's errors are the read's alone. */
TEST(reply_read_read_errors_after_sending)
{
	uint32_t x = 1, y = 0, nb = 0, nh = 0, two[2] = { 7, 8 };
	struct mxchan_channel_reply_read r;
	mx_handle_t a, b;

	ASSERT_OK(mx_channel_create(0, &a, &b));
	/* too small: the reply went, the request stays first */
	ASSERT_OK(mx_channel_write(a, 0, two, sizeof(two), NULL, 0));
	r = rr_args(b, &x, &y, &nb, &nh);
	ASSERT_EQ(EMSGSIZE, rr_ioctl(&r));
	ASSERT_EQ(sizeof(two), nb);
	ASSERT_OK(mx_channel_read(a, 0, &y, NULL, sizeof(y), 0, NULL, NULL));
	ASSERT_EQ(1, y);
	/* with MAY_DISCARD it goes, and so does the next reply */
	r.options = MXCHAN_READ_MAY_DISCARD;
	x = 2;
	ASSERT_EQ(EMSGSIZE, rr_ioctl(&r));
	ASSERT_EQ(0, state(b) & MX_CHANNEL_READABLE);
	ASSERT_OK(mx_channel_read(a, 0, &y, NULL, sizeof(y), 0, NULL, NULL));
	ASSERT_EQ(2, y);
	/* a fault on the sizes' pointer: EINVAL, the reply went */
	ASSERT_OK(mx_channel_write(a, 0, &x, sizeof(x), NULL, 0));
	r = rr_args(b, &x, &y, &nb, &nh);
	r.actual_bytes = (uintptr_t)mxt_bad_ptr();
	x = 3;
	ASSERT_EQ(EINVAL, rr_ioctl(&r));
	ASSERT_EQ(MX_CHANNEL_READABLE, state(b) & MX_CHANNEL_READABLE);
	ASSERT_OK(mx_channel_read(a, 0, &y, NULL, sizeof(y), 0, NULL, NULL));
	ASSERT_EQ(3, y);
	/* peer gone: the reply cannot go */
	mx_handle_close(a);
	ASSERT_EQ(EPIPE, rr_ioctl(&r));
	/* nothing to send and nothing left to read */
	r.flags = 0;
	r.actual_bytes = (uintptr_t)&nb;
	ASSERT_EQ(0, rr_ioctl(&r));
	ASSERT_EQ(EPIPE, rr_ioctl(&r));
	mx_handle_close(b);
}

struct rr_thread {
	pthread_t thread;
	pid_t tid;
	struct mxchan_channel_reply_read r;
	int first, second;
};

/* The raw reply_read; after an EINTR, once more without the reply. */
static void *rr_thread_fn(void *p)
{
	struct rr_thread *t = p;

	t->tid = (pid_t)syscall(SYS_gettid);
	t->first = rr_ioctl(&t->r);
	if (t->first == EINTR) {
		t->r.flags = 0;
		t->second = rr_ioctl(&t->r);
	}
	return NULL;
}

static void rr_wait_asleep(struct rr_thread *t)
{
	int i;

	for (i = 0; i < 20000 && !(__atomic_load_n(&t->tid, __ATOMIC_SEQ_CST) &&
				   mxt_asleep(t->tid)); i++)
		mx_nanosleep(mx_deadline_after(MX_MSEC(1)));
}

/*
 * A signal after the reply went ends the call with EINTR (no SA_RESTART
 * needed): the reply is sent once. A signal when nothing was sent
 * restarts the wait, which returns only with the message.
 */
TEST(reply_read_signal_sends_once)
{
	struct sigaction sa = { .sa_handler = on_sigusr1 };
	struct rr_thread t = { .tid = 0 };
	uint32_t x = 11, y = 0, nb = 0, nh = 0, z = 12;
	mx_handle_t a, b;

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	ASSERT_OK(mx_channel_create(0, &a, &b));
	t.r = rr_args(b, &x, &y, &nb, &nh);
	t.r.deadline = MX_TIME_INFINITE;
	pthread_create(&t.thread, NULL, rr_thread_fn, &t);
	ASSERT_OK(mx_object_wait_one(a, MX_CHANNEL_READABLE, MX_TIME_INFINITE,
				     NULL));
	rr_wait_asleep(&t);
	pthread_kill(t.thread, SIGUSR1);
	/* asleep again, in the second call, read only */
	mx_nanosleep(mx_deadline_after(MX_MSEC(20)));
	rr_wait_asleep(&t);
	pthread_kill(t.thread, SIGUSR1);
	mx_nanosleep(mx_deadline_after(MX_MSEC(20)));
	ASSERT_OK(mx_channel_write(a, 0, &z, sizeof(z), NULL, 0));
	pthread_join(t.thread, NULL);
	ASSERT_EQ(EINTR, t.first);
	ASSERT_EQ(0, t.second);
	ASSERT_EQ(12, y);
	ASSERT_EQ(sizeof(y), nb);
	/* the reply, once */
	ASSERT_OK(mx_channel_read(a, 0, &y, NULL, sizeof(y), 0, NULL, NULL));
	ASSERT_EQ(11, y);
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_channel_read(a, 0, NULL, NULL, 0, 0, NULL, NULL));
	mx_handle_close(a);
	mx_handle_close(b);
}

TEST_HARNESS_MAIN
