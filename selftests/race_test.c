// SPDX-License-Identifier: GPL-2.0
/*
 * Races between threads of one process on one table: each outcome must be
 * one Magenta allows, and a failed write must leave every handle in place.
 */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>

#include "mxchan_test.h"

#define ROUNDS 1000

/* Two threads that start each round together and run one call each. */
struct duel {
	pthread_barrier_t start, done;
	int rounds;
	mx_status_t (*fn[2])(void *arg);
	void *arg;
	mx_status_t result[2];
};

static void *duel_thread(void *p)
{
	struct duel *d = p;
	int i;

	for (i = 0; i < d->rounds; i++) {
		pthread_barrier_wait(&d->start);
		d->result[1] = d->fn[1](d->arg);
		pthread_barrier_wait(&d->done);
	}
	return NULL;
}

static void duel_init(struct duel *d, int rounds, pthread_t *t)
{
	d->rounds = rounds;
	pthread_barrier_init(&d->start, NULL, 2);
	pthread_barrier_init(&d->done, NULL, 2);
	pthread_create(t, NULL, duel_thread, d);
}

/* Run one round: fn[0] here, fn[1] on the other thread. */
static void duel_round(struct duel *d)
{
	pthread_barrier_wait(&d->start);
	d->result[0] = d->fn[0](d->arg);
	pthread_barrier_wait(&d->done);
}

struct wc {
	mx_handle_t a, b, ev[2];
};

/* A new channel a-b and two events to send through a. */
static mx_status_t wc_setup(struct wc *w)
{
	mx_status_t st = mx_channel_create(0, &w->a, &w->b);

	if (st == MX_OK)
		st = mx_event_create(0, &w->ev[0]);
	if (st == MX_OK)
		st = mx_event_create(0, &w->ev[1]);
	return st;
}

/* Are both events still in the table? */
static bool wc_events_held(struct wc *w)
{
	return mxt_valid(w->ev[0]) && mxt_valid(w->ev[1]);
}

/* ... or both gone from it? */
static bool wc_events_gone(struct wc *w)
{
	return !mxt_valid(w->ev[0]) && !mxt_valid(w->ev[1]);
}

static mx_status_t wc_write(void *p)
{
	struct wc *w = p;

	return mx_channel_write(w->a, 0, "race", 4, w->ev, 2);
}

static mx_status_t wc_close_ev1(void *p)
{
	return mx_handle_close(((struct wc *)p)->ev[1]);
}

static mx_status_t wc_close_a(void *p)
{
	return mx_handle_close(((struct wc *)p)->a);
}

/* Write [e0, e1] while another thread closes e1: all or nothing. */
TEST(write_vs_close_of_sent_handle)
{
	struct duel d = { .fn = { wc_write, wc_close_ev1 } };
	int wrote = 0, closed = 0, i;
	struct wc w;
	pthread_t t;

	d.arg = &w;
	ASSERT_OK(mx_channel_create(0, &w.a, &w.b));
	duel_init(&d, ROUNDS, &t);
	for (i = 0; i < ROUNDS; i++) {
		mx_handle_t got[2];
		mx_koid_t k0;
		uint32_t nh;

		ASSERT_OK(mx_event_create(0, &w.ev[0]));
		ASSERT_OK(mx_event_create(0, &w.ev[1]));
		k0 = mxt_koid(w.ev[0]);
		duel_round(&d);
		if (d.result[0] == MX_OK) {
			ASSERT_STATUS(MX_ERR_BAD_HANDLE, d.result[1]);
			ASSERT_FALSE(mxt_valid(w.ev[0]));
			ASSERT_OK(mx_channel_read(w.b, 0, (char[4]){0}, got, 4, 2,
						  NULL, &nh));
			ASSERT_EQ(2, nh);
			ASSERT_EQ(k0, mxt_koid(got[0]));
			mx_handle_close(got[0]);
			mx_handle_close(got[1]);
			wrote++;
		} else {
			ASSERT_STATUS(MX_ERR_BAD_HANDLE, d.result[0]);
			ASSERT_OK(d.result[1]);
			/* e0 stayed, under its value */
			ASSERT_EQ(k0, mxt_koid(w.ev[0]));
			ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
				      mx_channel_read(w.b, 0, NULL, NULL, 0, 0,
						      NULL, NULL));
			mx_handle_close(w.ev[0]);
			closed++;
		}
	}
	pthread_join(t, NULL);
	TH_LOG("write first %d, close first %d", wrote, closed);
	mx_handle_close(w.a);
	mx_handle_close(w.b);
}

/* Write on a channel while another thread closes that channel's handle. */
TEST(write_vs_close_of_channel)
{
	struct duel d = { .fn = { wc_write, wc_close_a } };
	int i;
	struct wc w;
	pthread_t t;

	d.arg = &w;
	duel_init(&d, ROUNDS, &t);
	for (i = 0; i < ROUNDS; i++) {
		mx_handle_t got[2];
		uint32_t nh;

		ASSERT_OK(wc_setup(&w));
		duel_round(&d);
		ASSERT_OK(d.result[1]);
		if (d.result[0] == MX_OK) {
			ASSERT_TRUE(wc_events_gone(&w));
			ASSERT_OK(mx_channel_read(w.b, 0, (char[4]){0}, got, 4, 2,
						  NULL, &nh));
			mx_handle_close(got[0]);
			mx_handle_close(got[1]);
		} else {
			ASSERT_STATUS(MX_ERR_BAD_HANDLE, d.result[0]);
			ASSERT_TRUE(wc_events_held(&w));
			mx_handle_close(w.ev[0]);
			mx_handle_close(w.ev[1]);
		}
		ASSERT_STATUS(MX_ERR_PEER_CLOSED,
			      mx_channel_read(w.b, 0, NULL, NULL, 0, 0, NULL,
					      NULL));
		mx_handle_close(w.b);
	}
	pthread_join(t, NULL);
}

static mx_status_t wc_close_b(void *p)
{
	return mx_handle_close(((struct wc *)p)->b);
}

/*
 * Write handles while the reading end is closed: the write succeeds (and
 * the message dies with the reader's queue) or fails with PEER_CLOSED and
 * every handle stays. Under KASAN this also checks that the writer never
 * touches its message once it is queued.
 */
TEST(write_vs_close_of_peer)
{
	struct duel d = { .fn = { wc_write, wc_close_b } };
	int i, ok = 0;
	struct wc w;
	pthread_t t;

	d.arg = &w;
	duel_init(&d, ROUNDS, &t);
	for (i = 0; i < ROUNDS; i++) {
		ASSERT_OK(wc_setup(&w));
		duel_round(&d);
		ASSERT_OK(d.result[1]);
		if (d.result[0] == MX_OK) {
			ASSERT_TRUE(wc_events_gone(&w));
			ok++;
		} else {
			ASSERT_STATUS(MX_ERR_PEER_CLOSED, d.result[0]);
			ASSERT_TRUE(wc_events_held(&w));
			mx_handle_close(w.ev[0]);
			mx_handle_close(w.ev[1]);
		}
		mx_handle_close(w.a);
	}
	pthread_join(t, NULL);
	TH_LOG("write first %d of %d", ok, ROUNDS);
}

struct two {
	mx_handle_t c1, c2, ev;
};

static mx_status_t two_write1(void *p)
{
	struct two *s = p;

	return mx_channel_write(s->c1, 0, NULL, 0, &s->ev, 1);
}

static mx_status_t two_write2(void *p)
{
	struct two *s = p;

	return mx_channel_write(s->c2, 0, NULL, 0, &s->ev, 1);
}

/* One handle sent into two channels at once: exactly one send wins. */
TEST(same_handle_two_writers)
{
	struct duel d = { .fn = { two_write1, two_write2 } };
	mx_handle_t r1, r2, got;
	struct two s;
	pthread_t t;
	int i, first = 0;

	d.arg = &s;
	ASSERT_OK(mx_channel_create(0, &s.c1, &r1));
	ASSERT_OK(mx_channel_create(0, &s.c2, &r2));
	duel_init(&d, ROUNDS, &t);
	for (i = 0; i < ROUNDS; i++) {
		mx_koid_t k;
		uint32_t nh;

		ASSERT_OK(mx_event_create(0, &s.ev));
		k = mxt_koid(s.ev);
		duel_round(&d);
		ASSERT_TRUE((d.result[0] == MX_OK) != (d.result[1] == MX_OK));
		ASSERT_STATUS(MX_ERR_BAD_HANDLE,
			      d.result[0] == MX_OK ? d.result[1] : d.result[0]);
		first += d.result[0] == MX_OK;
		ASSERT_OK(mx_channel_read(d.result[0] == MX_OK ? r1 : r2, 0,
					  NULL, &got, 0, 1, NULL, &nh));
		ASSERT_EQ(k, mxt_koid(got));
		ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
			      mx_channel_read(d.result[0] == MX_OK ? r2 : r1, 0,
					      NULL, &got, 0, 1, NULL, &nh));
		mx_handle_close(got);
	}
	pthread_join(t, NULL);
	TH_LOG("first writer won %d of %d", first, ROUNDS);
	mx_handle_close(s.c1);
	mx_handle_close(s.c2);
	mx_handle_close(r1);
	mx_handle_close(r2);
}

#define NMSG 5000

struct reader {
	mx_handle_t h;
	uint32_t *got;
	int n;
};

static void *drain(void *p)
{
	struct reader *r = p;
	uint32_t v;

	while (mx_channel_read(r->h, 0, &v, NULL, sizeof(v), 0, NULL,
			       NULL) == MX_OK)
		r->got[r->n++] = v;
	return NULL;
}

/* Two readers on one queue: each message goes to exactly one, in order. */
TEST(two_readers)
{
	struct reader r[2];
	char *seen = calloc(NMSG, 1);
	mx_handle_t a, b;
	pthread_t t[2];
	uint32_t i;
	int k, j;

	ASSERT_OK(mx_channel_create(0, &a, &b));
	for (i = 0; i < NMSG; i++)
		ASSERT_OK(mx_channel_write(a, 0, &i, sizeof(i), NULL, 0));
	for (k = 0; k < 2; k++) {
		r[k].h = b;
		r[k].n = 0;
		r[k].got = calloc(NMSG, sizeof(uint32_t));
		pthread_create(&t[k], NULL, drain, &r[k]);
	}
	for (k = 0; k < 2; k++)
		pthread_join(t[k], NULL);
	ASSERT_EQ(NMSG, r[0].n + r[1].n);
	for (k = 0; k < 2; k++) {
		for (j = 0; j < r[k].n; j++) {
			ASSERT_LT(r[k].got[j], NMSG);
			ASSERT_EQ(0, seen[r[k].got[j]]);
			seen[r[k].got[j]] = 1;
			if (j)
				ASSERT_LT(r[k].got[j - 1], r[k].got[j]);
		}
		free(r[k].got);
	}
	TH_LOG("reader split %d / %d", r[0].n, r[1].n);
	free(seen);
	mx_handle_close(a);
	mx_handle_close(b);
}

struct writer {
	mx_handle_t h;
	uint32_t id;
};

static void *flood(void *p)
{
	struct writer *w = p;
	uint32_t msg[2] = { w->id, 0 };

	for (msg[1] = 0; msg[1] < NMSG; msg[1]++)
		if (mx_channel_write(w->h, 0, msg, sizeof(msg), NULL, 0) != MX_OK)
			break;
	return NULL;
}

/* Two writers and a reader at once: nothing lost, each writer's order kept. */
TEST(two_writers)
{
	struct writer w[2];
	uint32_t next[2] = { 0, 0 }, msg[2];
	mx_handle_t a, b;
	pthread_t t[2];
	int k, total = 0;

	ASSERT_OK(mx_channel_create(0, &a, &b));
	for (k = 0; k < 2; k++) {
		w[k].h = a;
		w[k].id = (uint32_t)k;
		pthread_create(&t[k], NULL, flood, &w[k]);
	}
	while (total < 2 * NMSG) {
		mx_status_t st = mx_channel_read(b, 0, msg, NULL, sizeof(msg), 0,
						 NULL, NULL);

		if (st == MX_ERR_SHOULD_WAIT) {
			sched_yield();
			continue;
		}
		ASSERT_OK(st);
		ASSERT_LT(msg[0], 2);
		ASSERT_EQ(next[msg[0]], msg[1]);
		next[msg[0]]++;
		total++;
	}
	for (k = 0; k < 2; k++)
		pthread_join(t[k], NULL);
	ASSERT_EQ(NMSG, next[0]);
	ASSERT_EQ(NMSG, next[1]);
	mx_handle_close(a);
	mx_handle_close(b);
}

struct rc {
	mx_handle_t b;
	mx_handle_t got[64];
	int n;
	volatile int stop;
};

static void *read_until_gone(void *p)
{
	struct rc *r = p;
	mx_status_t st;
	uint32_t nh;

	for (;;) {
		st = mx_channel_read(r->b, 0, NULL, &r->got[r->n], 0, 1, NULL,
				     &nh);
		if (st == MX_OK)
			r->n++;
		else if (st != MX_ERR_SHOULD_WAIT)
			break;
		if (r->n == 64)
			break;
	}
	return NULL;
}

/*
 * A reader takes channel ends out of a queue while another thread closes
 * the reading endpoint. Each end is read or destroyed, never both, never
 * neither.
 */
TEST(read_vs_close)
{
	int round, i;

	for (round = 0; round < 100; round++) {
		mx_handle_t a, kept[64];
		struct rc r = { .n = 0 };
		pthread_t t;

		ASSERT_OK(mx_channel_create(0, &a, &r.b));
		for (i = 0; i < 64; i++) {
			mx_handle_t x;

			ASSERT_OK(mx_channel_create(0, &x, &kept[i]));
			ASSERT_OK(mx_channel_write(a, 0, NULL, 0, &x, 1));
		}
		pthread_create(&t, NULL, read_until_gone, &r);
		for (i = 0; i < round % 7; i++)
			sched_yield();
		ASSERT_OK(mx_handle_close(r.b));
		pthread_join(t, NULL);
		/* the first n ends were read; the rest died with b's queue */
		for (i = 0; i < 64; i++) {
			bool read = i < r.n;

			if (read) {
				ASSERT_TRUE(mxt_valid(r.got[i]));
				ASSERT_EQ(mxt_info(kept[i]).related_koid,
					  mxt_koid(r.got[i]));
				ASSERT_FALSE(mxt_peer_closed(kept[i]));
				mx_handle_close(r.got[i]);
			}
			ASSERT_TRUE(mxt_peer_closed(kept[i]));
			mx_handle_close(kept[i]);
		}
		mx_handle_close(a);
	}
}

TEST_HARNESS_MAIN
