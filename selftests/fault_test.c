// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection: every ioctl, with its Nth allocation or user copy
 * failing, for every N it reaches (the kernel's fail-nth, with failslab,
 * fail_page_alloc and fail_usercopy). Each failure must return an error
 * and leave no effect: handles where they were, messages where they were,
 * the module's live counters unchanged. Opening a table is one scenario
 * too, by a user the module has no record of yet. Runs where the kernel has fault
 * injection (the debug lane); skips elsewhere.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <magenta/syscalls/port.h>
#include <mxchan.h>

#include "mx-internal.h"
#include "mxchan_test.h"

#define MAX_N 400	/* no ioctl makes this many allocations and copies */

static int nth_fd = -1;

/* Let sleeping allocations fail too, and keep the log quiet. */
static void set_attr(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);

	if (fd >= 0) {
		if (write(fd, val, strlen(val)) < 0)
			perror(path);
		close(fd);
	}
}

static bool faults_ready(void)
{
	static const char *const attrs[] = { "failslab", "fail_page_alloc",
					     "fail_usercopy" };
	char path[128];
	unsigned int i;

	if (access("/sys/kernel/debug/mxchan/counters", R_OK))
		return false;
	nth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (nth_fd < 0)
		return false;
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "/sys/kernel/debug/%s/verbose",
			 attrs[i]);
		set_attr(path, "0");
		snprintf(path, sizeof(path),
			 "/sys/kernel/debug/%s/ignore-gfp-wait", attrs[i]);
		set_attr(path, "N");
	}
	set_attr("/sys/kernel/debug/fail_page_alloc/min-order", "0");
	return true;
}

static void nth_arm(unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	if (pwrite(nth_fd, buf, len, 0) != len)
		abort();
}

/*
 * Did the armed failure happen? Reading the count copies to user memory,
 * which counts too: a read that faults means the count was 1 (the
 * failure had not happened). Disarms in every case.
 */
static bool nth_hit(void)
{
	char buf[16] = "";
	ssize_t r = pread(nth_fd, buf, sizeof(buf) - 1, 0);
	bool hit = r > 0 && atoi(buf) == 0;

	while (pwrite(nth_fd, "0", 1, 0) != 1)
		;
	return hit;
}

static bool counters_equal(const struct mxt_counters *a,
			   const struct mxt_counters *b)
{
	return a->objects == b->objects && a->handles == b->handles &&
	       a->messages == b->messages && a->packets == b->packets &&
	       a->async_waits == b->async_waits;
}


static int raw(unsigned long cmd, void *arg)
{
	return ioctl(mxchan_table_fd(), cmd, arg) ? errno : 0;
}

/* What a scenario may hold; cleanup() closes all of it. */
struct st {
	mx_handle_t own[80];		/* closed by cleanup, errors ignored */
	unsigned int nown;
	mx_handle_t a, b, ev[64], port;
	int fd, table;			/* -1 when none */
	int lowfd;			/* lowest free fd at setup */
	union {
		struct mxchan_channel_create cc;
		struct mxchan_event_create ec;
		struct mxchan_eventpair_create pc;
		struct mxchan_port_create poc;
		struct mxchan_channel_write cw;
		struct mxchan_channel_read cr;
		struct mxchan_handle_rights hr;
		struct mxchan_object_wait_many wm;
		struct mxchan_object_signal os;
		struct mxchan_signal_fd sf;
		struct mxchan_port_queue pq;
		struct mxchan_port_wait pw;
		struct mxchan_object_wait_async wa;
		struct mxchan_port_cancel pca;
		struct mxchan_channel_call call;
		struct mxchan_handle_move mv;
		struct mxchan_object_wait_one wo;
		struct mxchan_object_get_info gi;
		struct mxchan_version v;
		struct mxchan_startup_take stt;
	} u;
	mx_port_packet_t pkt;
	mx_wait_item_t items[8];
	mx_handle_t handles[64], out[64];
	uint32_t ids[64];
	char bytes[65536];
};

static mx_handle_t own(struct st *st, mx_handle_t h)
{
	st->own[st->nown++] = h;
	return h;
}

static void cleanup(struct st *st)
{
	while (st->nown)
		mx_handle_close(st->own[--st->nown]);
	if (st->fd >= 0)
		close(st->fd);
	if (st->table >= 0)
		close(st->table);
	st->fd = st->table = -1;
	/* back to root, after open_new_user */
	if (geteuid() != 0 && syscall(SYS_setresuid, -1, 0, -1))
		abort();
}

static mx_handle_t new_event(struct st *st)
{
	mx_handle_t h = MX_HANDLE_INVALID;

	mx_event_create(0, &h);
	return own(st, h);
}

static void new_channel(struct st *st)
{
	mx_channel_create(0, &st->a, &st->b);
	own(st, st->a);
	own(st, st->b);
}

static bool empty(mx_handle_t ch)
{
	return mx_channel_read(ch, 0, NULL, NULL, 0, 0, NULL, NULL) ==
	       MX_ERR_SHOULD_WAIT;
}

static bool all_valid(const mx_handle_t *hs, unsigned int n)
{
	while (n--)
		if (!mxt_valid(hs[n]))
			return false;
	return true;
}

struct scenario {
	const char *name;
	int expect;			/* the ioctl's errno without faults */
	void (*setup)(struct st *st);
	int (*op)(struct st *st);
	bool (*same)(struct st *st);	/* after a failure: nothing changed */
	void (*undo)(struct st *st);	/* after success: own what it made */
};

/* ---- creates: a failure leaves the counters alone, checked for all ---- */

static int op_channel_create(struct st *st)
{
	return raw(MXCHAN_IOC_CHANNEL_CREATE, &st->u.cc);
}

static void undo_channel_create(struct st *st)
{
	own(st, st->u.cc.out0);
	own(st, st->u.cc.out1);
}

static int op_event_create(struct st *st)
{
	return raw(MXCHAN_IOC_EVENT_CREATE, &st->u.ec);
}

static void undo_event_create(struct st *st)
{
	own(st, st->u.ec.out);
}

static int op_eventpair_create(struct st *st)
{
	return raw(MXCHAN_IOC_EVENTPAIR_CREATE, &st->u.pc);
}

static void undo_eventpair_create(struct st *st)
{
	own(st, st->u.pc.out0);
	own(st, st->u.pc.out1);
}

static int op_port_create(struct st *st)
{
	return raw(MXCHAN_IOC_PORT_CREATE, &st->u.poc);
}

static void undo_port_create(struct st *st)
{
	own(st, st->u.poc.out);
}

/* ---- messages ---- */

static void setup_write(struct st *st, unsigned int nb, unsigned int nh)
{
	unsigned int i;

	new_channel(st);
	for (i = 0; i < nh; i++)
		st->handles[i] = new_event(st);
	memset(st->bytes, 'm', nb);
	st->u.cw = (struct mxchan_channel_write){
		.handle = st->a, .bytes = (uintptr_t)st->bytes,
		.handles = (uintptr_t)st->handles,
		.num_bytes = nb, .num_handles = nh,
	};
}

static void setup_write_small(struct st *st)
{
	setup_write(st, 100, 8);
}

static void setup_write_big(struct st *st)
{
	setup_write(st, 65536, 64);
}

static int op_write(struct st *st)
{
	return raw(MXCHAN_IOC_CHANNEL_WRITE, &st->u.cw);
}

static bool same_write(struct st *st)
{
	return all_valid(st->handles, st->u.cw.num_handles) && empty(st->b);
}

static void setup_read(struct st *st)
{
	setup_write_small(st);
	mx_channel_write(st->a, 0, st->bytes, 100, st->handles, 8);
	st->nown -= 8;		/* the events are in the message now */
	st->u.cr = (struct mxchan_channel_read){
		.handle = st->b, .bytes = (uintptr_t)st->bytes,
		.handles = (uintptr_t)st->out,
		.num_bytes = sizeof(st->bytes), .num_handles = 64,
	};
}

static int op_read(struct st *st)
{
	return raw(MXCHAN_IOC_CHANNEL_READ, &st->u.cr);
}

/* the message is still first, whole, with its 8 handles */
static bool same_read(struct st *st)
{
	uint32_t nb = 0, nh = 0;
	mx_status_t s;
	unsigned int i;

	s = mx_channel_read(st->b, 0, st->bytes, st->out, sizeof(st->bytes),
			    64, &nb, &nh);
	for (i = 0; i < nh; i++)
		own(st, st->out[i]);
	return s == MX_OK && nb == 100 && nh == 8 &&
	       all_valid(st->out, 8) && empty(st->b);
}

static void undo_read(struct st *st)
{
	unsigned int i;

	for (i = 0; i < st->u.cr.actual_handles; i++)
		own(st, st->out[i]);
}

static void setup_call(struct st *st)
{
	new_channel(st);
	st->handles[0] = new_event(st);
	st->u.call = (struct mxchan_channel_call){
		.handle = st->a, .deadline = 0,
		.wr_bytes = (uintptr_t)"txid-call", .wr_num_bytes = 9,
		.wr_handles = (uintptr_t)st->handles, .wr_num_handles = 1,
		.rd_bytes = (uintptr_t)st->bytes, .rd_num_bytes = 64,
		.rd_handles = (uintptr_t)st->out, .rd_num_handles = 1,
	};
}

static int op_call(struct st *st)
{
	return raw(MXCHAN_IOC_CHANNEL_CALL, &st->u.call);
}

static bool same_call(struct st *st)
{
	return mxt_valid(st->handles[0]) && empty(st->b);
}

/* ---- handles ---- */

static void setup_rights(struct st *st)
{
	st->ev[0] = new_event(st);
	st->u.hr = (struct mxchan_handle_rights){
		.handle = st->ev[0], .rights = MXCHAN_RIGHT_SAME_RIGHTS,
	};
}

static int op_duplicate(struct st *st)
{
	return raw(MXCHAN_IOC_HANDLE_DUPLICATE, &st->u.hr);
}

static int op_replace(struct st *st)
{
	return raw(MXCHAN_IOC_HANDLE_REPLACE, &st->u.hr);
}

static bool same_rights(struct st *st)
{
	return mxt_valid(st->ev[0]);
}

static void undo_rights(struct st *st)
{
	own(st, st->u.hr.out);
}

static void setup_move(struct st *st)
{
	unsigned int i;

	mxchan_table_create(&st->table);
	for (i = 0; i < 8; i++) {
		st->handles[i] = new_event(st);
		st->ids[i] = 100 + i;
	}
	st->u.mv = (struct mxchan_handle_move){
		.fd = st->table, .handles = (uintptr_t)st->handles,
		.out = (uintptr_t)st->out, .ids = (uintptr_t)st->ids,
		.num_handles = 8,
	};
}

static int op_move(struct st *st)
{
	return raw(MXCHAN_IOC_HANDLE_MOVE, &st->u.mv);
}

static bool same_move(struct st *st)
{
	return all_valid(st->handles, 8);
}

static void setup_signal(struct st *st)
{
	st->ev[0] = new_event(st);
	st->u.os = (struct mxchan_object_signal){
		.handle = st->ev[0], .set_mask = MX_EVENT_SIGNALED,
	};
}

static int op_signal(struct st *st)
{
	return raw(MXCHAN_IOC_OBJECT_SIGNAL, &st->u.os);
}

static bool same_signal(struct st *st)
{
	mx_signals_t s = ~0u;

	mx_object_wait_one(st->ev[0], 0, 0, &s);
	return !(s & MX_EVENT_SIGNALED);
}

/* ---- waits ---- */

static void setup_wait_many(struct st *st)
{
	unsigned int i;

	for (i = 0; i < 8; i++)
		st->items[i] = (mx_wait_item_t){ .handle = new_event(st),
						 .waitfor = MX_EVENT_SIGNALED };
	st->u.wm = (struct mxchan_object_wait_many){
		.items = (uintptr_t)st->items, .count = 8, .deadline = 0,
	};
}

static int op_wait_many(struct st *st)
{
	return raw(MXCHAN_IOC_OBJECT_WAIT_MANY, &st->u.wm);
}

static bool same_nothing(struct st *st __attribute__((unused)))
{
	return true;	/* the counters say it all */
}

static void setup_wait_one(struct st *st)
{
	st->ev[0] = new_event(st);
	st->u.wo = (struct mxchan_object_wait_one){
		.handle = st->ev[0], .waitfor = MX_EVENT_SIGNALED,
	};
}

static int op_wait_one(struct st *st)
{
	return raw(MXCHAN_IOC_OBJECT_WAIT_ONE, &st->u.wo);
}

/* ---- queries: nothing to undo but the record they may write ---- */

static void setup_get_info(struct st *st)
{
	st->ev[0] = new_event(st);
	st->u.gi = (struct mxchan_object_get_info){
		.handle = st->ev[0], .topic = MXCHAN_INFO_HANDLE_BASIC,
		.buffer = (uintptr_t)st->bytes,
		.buffer_size = sizeof(struct mxchan_info_handle_basic),
	};
}

static int op_get_info(struct st *st)
{
	return raw(MXCHAN_IOC_OBJECT_GET_INFO, &st->u.gi);
}

static int op_version(struct st *st)
{
	return raw(MXCHAN_IOC_VERSION, &st->u.v);
}

/* a startup id the table remembers, taken once */
static void setup_startup_take(struct st *st)
{
	uint32_t id = 7;

	st->ev[0] = new_event(st);
	mxchan_table_create(&st->table);
	mxchan_handles_give(st->table, &st->ev[0], 1, &id, &st->out[0]);
	st->u.stt = (struct mxchan_startup_take){ .id = id };
}

static int op_startup_take(struct st *st)
{
	return ioctl(st->table, MXCHAN_IOC_STARTUP_TAKE, &st->u.stt) ? errno : 0;
}

/* the id is still there, once */
static bool same_startup_take(struct st *st)
{
	struct mxchan_startup_take a = { .id = 7 };

	return ioctl(st->table, MXCHAN_IOC_STARTUP_TAKE, &a) == 0 &&
	       a.handle == (uint32_t)st->out[0] &&
	       ioctl(st->table, MXCHAN_IOC_STARTUP_TAKE, &a) == 0 &&
	       a.handle == 0;
}

static void setup_signal_fd(struct st *st)
{
	st->ev[0] = new_event(st);
	st->lowfd = dup(0);
	close(st->lowfd);
	st->u.sf = (struct mxchan_signal_fd){
		.handle = st->ev[0], .signals = MX_EVENT_SIGNALED, .fd = -1,
	};
}

static int op_signal_fd(struct st *st)
{
	return raw(MXCHAN_IOC_SIGNAL_FD, &st->u.sf);
}

/* no fd appeared: the lowest free fd is still the one it was */
static bool same_signal_fd(struct st *st)
{
	int fd = dup(0);

	close(fd);
	return st->u.sf.fd == -1 && fd == st->lowfd;
}

static void undo_signal_fd(struct st *st)
{
	st->fd = st->u.sf.fd;
}

/* ---- ports ---- */

static void setup_port(struct st *st)
{
	mx_port_create(0, &st->port);
	own(st, st->port);
}

static bool port_empty(struct st *st)
{
	return mx_port_wait(st->port, 0, &st->pkt, 0) == MX_ERR_TIMED_OUT;
}

static void setup_port_queue(struct st *st)
{
	setup_port(st);
	memset(&st->pkt, 0, sizeof(st->pkt));
	st->pkt.key = 7;
	st->u.pq = (struct mxchan_port_queue){
		.handle = st->port, .packet = (uintptr_t)&st->pkt,
	};
}

static int op_port_queue(struct st *st)
{
	return raw(MXCHAN_IOC_PORT_QUEUE, &st->u.pq);
}

static void setup_port_wait(struct st *st)
{
	setup_port_queue(st);
	mx_port_queue(st->port, &st->pkt, 0);
	st->u.pw = (struct mxchan_port_wait){
		.handle = st->port, .deadline = 0,
		.packet = (uintptr_t)&st->pkt,
	};
}

static int op_port_wait(struct st *st)
{
	return raw(MXCHAN_IOC_PORT_WAIT, &st->u.pw);
}

/* the packet is still there, and it is the only one */
static bool same_port_wait(struct st *st)
{
	return mx_port_wait(st->port, 0, &st->pkt, 0) == MX_OK &&
	       st->pkt.key == 7 && port_empty(st);
}

static void setup_wait_async(struct st *st)
{
	setup_port(st);
	st->ev[0] = new_event(st);
	mx_object_signal(st->ev[0], 0, MX_EVENT_SIGNALED);
	st->u.wa = (struct mxchan_object_wait_async){
		.handle = st->ev[0], .port = st->port, .key = 9,
		.signals = MX_EVENT_SIGNALED,
		.options = MX_WAIT_ASYNC_REPEATING,
	};
}

static int op_wait_async(struct st *st)
{
	return raw(MXCHAN_IOC_OBJECT_WAIT_ASYNC, &st->u.wa);
}

static bool same_wait_async(struct st *st)
{
	return port_empty(st) &&
	       mx_port_cancel(st->port, st->ev[0], 9) == MX_ERR_NOT_FOUND;
}

static void setup_port_cancel(struct st *st)
{
	setup_wait_async(st);
	mx_object_wait_async(st->ev[0], st->port, 9, MX_EVENT_SIGNALED,
			     MX_WAIT_ASYNC_REPEATING);
	st->u.pca = (struct mxchan_port_cancel){
		.handle = st->port, .source = st->ev[0], .key = 9,
	};
}

static int op_port_cancel(struct st *st)
{
	return raw(MXCHAN_IOC_PORT_CANCEL, &st->u.pca);
}

/* the wait is still armed and its packet still queued */
static bool same_port_cancel(struct st *st)
{
	return mx_port_wait(st->port, 0, &st->pkt, 0) == MX_OK &&
	       st->pkt.key == 9 &&
	       mx_object_signal(st->ev[0], 0, MX_USER_SIGNAL_0) == MX_OK &&
	       mx_port_wait(st->port, 0, &st->pkt, 0) == MX_OK;
}

static bool same_port_queue(struct st *st)
{
	return port_empty(st);
}

/* ---- opening a table, as a user the module has not seen yet ---- */

#define NEW_UID 12345

/* euid 12345 owns the table; fsuid stays root, for debugfs */
static void setup_open(struct st *st)
{
	int fd = dup(0);

	close(fd);
	st->lowfd = fd;
	if (syscall(SYS_setresuid, -1, NEW_UID, -1))
		abort();
	syscall(SYS_setfsuid, 0);
}

static int op_open(struct st *st)
{
	st->table = open("/dev/mxchan", O_RDWR | O_CLOEXEC);
	return st->table < 0 ? errno : 0;
}

/* no table fd appeared */
static bool same_open(struct st *st)
{
	int fd = dup(0);

	close(fd);
	return st->table == -1 && fd == st->lowfd;
}

static void undo_none(struct st *st __attribute__((unused)))
{
}

static const struct scenario scenarios[] = {
	{ "channel_create", 0, NULL, op_channel_create, same_nothing,
	  undo_channel_create },
	{ "event_create", 0, NULL, op_event_create, same_nothing,
	  undo_event_create },
	{ "eventpair_create", 0, NULL, op_eventpair_create, same_nothing,
	  undo_eventpair_create },
	{ "port_create", 0, NULL, op_port_create, same_nothing,
	  undo_port_create },
	{ "channel_write", 0, setup_write_small, op_write, same_write,
	  undo_none },
	{ "channel_write_64k_64h", 0, setup_write_big, op_write, same_write,
	  undo_none },
	{ "channel_read", 0, setup_read, op_read, same_read, undo_read },
	{ "channel_call", ETIMEDOUT, setup_call, op_call, same_call,
	  undo_none },
	{ "handle_duplicate", 0, setup_rights, op_duplicate, same_rights,
	  undo_rights },
	{ "handle_replace", 0, setup_rights, op_replace, same_rights,
	  undo_rights },
	{ "handle_move", 0, setup_move, op_move, same_move, undo_none },
	{ "object_signal", 0, setup_signal, op_signal, same_signal,
	  undo_none },
	{ "object_wait_many", ETIMEDOUT, setup_wait_many, op_wait_many,
	  same_nothing, undo_none },
	{ "signal_fd", 0, setup_signal_fd, op_signal_fd, same_signal_fd,
	  undo_signal_fd },
	{ "port_queue", 0, setup_port_queue, op_port_queue, same_port_queue,
	  undo_none },
	{ "port_wait", 0, setup_port_wait, op_port_wait, same_port_wait,
	  undo_none },
	{ "object_wait_async", 0, setup_wait_async, op_wait_async,
	  same_wait_async, undo_none },
	{ "port_cancel", 0, setup_port_cancel, op_port_cancel,
	  same_port_cancel, undo_none },
	{ "open_new_user", 0, setup_open, op_open, same_open, undo_none },
	{ "object_wait_one", ETIMEDOUT, setup_wait_one, op_wait_one,
	  same_nothing, undo_none },
	{ "object_get_info", 0, setup_get_info, op_get_info, same_nothing,
	  undo_none },
	{ "version", 0, NULL, op_version, same_nothing, undo_none },
	{ "startup_take", 0, setup_startup_take, op_startup_take,
	  same_startup_take, undo_none },
};

static struct st the_st;

FIXTURE(fault) {
	bool ready;
};

FIXTURE_VARIANT(fault) {
	unsigned int index;
};

#define SCENARIO(i, n) \
	FIXTURE_VARIANT_ADD(fault, n) { .index = (i) }
SCENARIO(0, channel_create);
SCENARIO(1, event_create);
SCENARIO(2, eventpair_create);
SCENARIO(3, port_create);
SCENARIO(4, channel_write);
SCENARIO(5, channel_write_64k_64h);
SCENARIO(6, channel_read);
SCENARIO(7, channel_call);
SCENARIO(8, handle_duplicate);
SCENARIO(9, handle_replace);
SCENARIO(10, handle_move);
SCENARIO(11, object_signal);
SCENARIO(12, object_wait_many);
SCENARIO(13, signal_fd);
SCENARIO(14, port_queue);
SCENARIO(15, port_wait);
SCENARIO(16, object_wait_async);
SCENARIO(17, port_cancel);
SCENARIO(18, open_new_user);
SCENARIO(19, object_wait_one);
SCENARIO(20, object_get_info);
SCENARIO(21, version);
SCENARIO(22, startup_take);

FIXTURE_SETUP(fault)
{
	/* libmx opens its table now, not under an armed fault */
	self->ready = mxchan_table_fd() >= 0 && faults_ready();
}

FIXTURE_TEARDOWN(fault)
{
	if (nth_fd >= 0)
		while (pwrite(nth_fd, "0", 1, 0) != 1)
			;
}

static bool errno_allowed(int err)
{
	return err == ENOMEM || err == EINVAL || err == EMFILE;
}

/*
 * For N = 1, 2, ...: set up, fail the Nth allocation or user copy of
 * the one ioctl, check. Stops at the first N the ioctl does not reach.
 */
TEST_F(fault, every_nth)
{
	const struct scenario *sc = &scenarios[variant->index];
	struct mxt_counters before, after;
	unsigned int n, failed = 0, absorbed = 0;
	struct st *st = &the_st;

	if (!self->ready)
		SKIP(return, "no fault injection (fail-nth) or no debugfs");
	ASSERT_EQ(ARRAY_SIZE(scenarios) > variant->index, true);
	for (n = 1; n <= MAX_N; n++) {
		bool hit;
		int err;

		memset(st, 0, offsetof(struct st, pkt));
		st->fd = st->table = -1;
		if (sc->setup)
			sc->setup(st);
		ASSERT_TRUE(mxt_counters_read(&before));
		nth_arm(n);
		err = sc->op(st);
		hit = nth_hit();
		if (err == sc->expect) {
			/* succeeded, perhaps after a failure it recovered from */
			absorbed += hit;
			sc->undo(st);
			cleanup(st);
			if (!hit)
				break;
			continue;
		}
		if (!hit)
			TH_LOG("%s: errno %d without an injected fault",
			       sc->name, err);
		ASSERT_TRUE(hit);
		/* open's own copy of the path can fault before ours */
		if (sc->op == op_open && err == EFAULT)
			err = EINVAL;
		if (!errno_allowed(err))
			TH_LOG("%s: N=%u gave errno %d", sc->name, n, err);
		ASSERT_TRUE(errno_allowed(err));
		ASSERT_TRUE(mxt_counters_read(&after));
		if (!counters_equal(&before, &after))
			TH_LOG("%s: N=%u changed the counters", sc->name, n);
		ASSERT_TRUE(counters_equal(&before, &after));
		hit = sc->same(st);	/* once: it may consume the state */
		if (!hit)
			TH_LOG("%s: N=%u (errno %d) left an effect", sc->name,
			       n, err);
		ASSERT_TRUE(hit);
		failed++;
		cleanup(st);
	}
	ASSERT_LE(n, MAX_N);
	/* the ioctl itself copies its arguments: at least one point */
	ASSERT_GE(failed, 1);
	TH_LOG("%s: %u fault points, %u failed cleanly, %u absorbed",
	       sc->name, n - 1, failed, absorbed);
}

TEST_HARNESS_MAIN
