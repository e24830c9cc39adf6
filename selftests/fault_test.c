// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection: every ioctl, with its Nth allocation or user copy
 * failing, for every N it reaches (the kernel's fail-nth, with failslab,
 * fail_page_alloc and fail_usercopy). Each failure must return an error
 * and leave no effect: handles where they were, messages where they were,
 * the module's live counters unchanged, no VMO page charged and no
 * mapping made. Opening a table is one scenario too, by a user the
 * module has no record of yet. Runs where the kernel has fault
 * injection (the debug lane); skips elsewhere.
 *
 * fail_usercopy does not reach put_user(), through which the kernel
 * writes results to the out-pointers of the ioctl structs, nor the u32
 * loops that copy a message's handle values in and out; the outptr tests
 * (every lane) give those pointers memory that cannot be written, one at
 * a time, and check the same: EINVAL and no effect.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <magenta/process.h>
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
	/* a VMO's pages are shmem's, GFP_HIGHUSER: let them fail too */
	set_attr("/sys/kernel/debug/fail_page_alloc/ignore-gfp-highmem", "N");
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
		struct mxchan_channel_reply_read rr;
		struct mxchan_fifo_create fc;
		struct mxchan_fifo_io fio;
		struct mxchan_socket_create sc;
		struct mxchan_socket_io sio;
		struct mxchan_vmo_create vc;
		struct mxchan_vmo_io vio;
		struct mxchan_vmo_size vs;
		struct mxchan_vmo_op_range vor;
		struct mxchan_vmo_clone vcl;
		struct mxchan_vmo_cache_policy vcp;
		struct mxchan_vmar_root vr;
		struct mxchan_vmar_map vm;
		struct mxchan_object_property prop;
	} u;
	/* where the kernel writes results: the out-pointers aim here */
	uint32_t o[2];
	size_t cnt[2];
	uint64_t size_out;
	uintptr_t addr;
	/* a VMO scenario's VMO as setup left it (vmo_snap()) */
	mx_handle_t vmo, parent;
	uint64_t want_size;
	char want[8 * 4096];
	int32_t rs;
	int sfd;
	mx_channel_call_args_t args;
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
	/*
	 * After a failure, the messages it may rightly have left (a reply
	 * that went before the read failed), seen without consuming
	 * anything; NULL: none.
	 */
	long (*sent)(struct st *st);
};

/* ---- creates: a failure leaves the counters alone, checked for all ---- */

static int op_channel_create(struct st *st)
{
	st->u.cc.out0 = (uintptr_t)&st->o[0];
	st->u.cc.out1 = (uintptr_t)&st->o[1];
	return raw(MXCHAN_IOC_CHANNEL_CREATE, &st->u.cc);
}

static void undo_two(struct st *st)
{
	own(st, st->o[0]);
	own(st, st->o[1]);
}

static int op_event_create(struct st *st)
{
	st->u.ec.out = (uintptr_t)&st->o[0];
	return raw(MXCHAN_IOC_EVENT_CREATE, &st->u.ec);
}

static void undo_one(struct st *st)
{
	own(st, st->o[0]);
}

static int op_eventpair_create(struct st *st)
{
	st->u.pc.out0 = (uintptr_t)&st->o[0];
	st->u.pc.out1 = (uintptr_t)&st->o[1];
	return raw(MXCHAN_IOC_EVENTPAIR_CREATE, &st->u.pc);
}

static int op_port_create(struct st *st)
{
	st->u.poc.out = (uintptr_t)&st->o[0];
	return raw(MXCHAN_IOC_PORT_CREATE, &st->u.poc);
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
		.actual_bytes = (uintptr_t)&st->o[0],
		.actual_handles = (uintptr_t)&st->o[1],
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

	for (i = 0; i < st->o[1]; i++)
		own(st, st->out[i]);
}

/* CHANNEL_REPLY_READ without a reply: its read, through its own path. */
static void setup_read_wait(struct st *st)
{
	setup_read(st);
	st->u.rr = (struct mxchan_channel_reply_read){
		.handle = st->b, .deadline = 0,
		.rd_bytes = (uintptr_t)st->bytes, .rd_handles = (uintptr_t)st->out,
		.rd_num_bytes = sizeof(st->bytes), .rd_num_handles = 64,
		.actual_bytes = (uintptr_t)&st->o[0],
		.actual_handles = (uintptr_t)&st->o[1],
	};
}

static int op_read_wait(struct st *st)
{
	return raw(MXCHAN_IOC_CHANNEL_REPLY_READ, &st->u.rr);
}

/*
 * And with a reply carrying an event: a failure in the write sends
 * nothing; a failure in the read after it leaves the reply sent, whole,
 * once, and the request queued, whole. Nothing else.
 */
static void setup_reply_read(struct st *st)
{
	setup_read_wait(st);
	st->handles[8] = new_event(st);
	st->u.rr.flags = MXCHAN_REPLY_READ_REPLY;
	st->u.rr.wr_bytes = (uintptr_t)"reply-msg";
	st->u.rr.wr_num_bytes = 9;
	st->u.rr.wr_handles = (uintptr_t)&st->handles[8];
	st->u.rr.wr_num_handles = 1;
}

static long sent_reply(struct st *st)
{
	mx_signals_t s = 0;

	mx_object_wait_one(st->a, 0, 0, &s);
	return s & MX_CHANNEL_READABLE ? 1 : 0;
}

static bool same_reply_read(struct st *st)
{
	mx_handle_t h = MX_HANDLE_INVALID;
	uint32_t nb = 0, nh = 0;
	char buf[16];
	mx_status_t s;

	if (!same_read(st))
		return false;
	s = mx_channel_read(st->a, 0, buf, &h, sizeof(buf), 1, &nb, &nh);
	if (s == MX_ERR_SHOULD_WAIT)
		return mxt_valid(st->handles[8]);
	own(st, h);
	return s == MX_OK && nb == 9 && nh == 1 && !memcmp(buf, "reply-msg", 9) &&
	       mxt_valid(h) && !mxt_valid(st->handles[8]) && empty(st->a);
}

static void setup_call(struct st *st)
{
	new_channel(st);
	st->handles[0] = new_event(st);
	st->args = (mx_channel_call_args_t){
		.wr_bytes = "txid-call", .wr_num_bytes = 9,
		.wr_handles = st->handles, .wr_num_handles = 1,
		.rd_bytes = st->bytes, .rd_num_bytes = 64,
		.rd_handles = st->out, .rd_num_handles = 1,
	};
	st->u.call = (struct mxchan_channel_call){
		.handle = st->a, .deadline = 0,
		.args = (uintptr_t)&st->args,
		.actual_bytes = (uintptr_t)&st->o[0],
		.actual_handles = (uintptr_t)&st->o[1],
		.read_status = (uintptr_t)&st->rs,
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
		.out = (uintptr_t)&st->o[0],
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
		.observed = (uintptr_t)&st->o[0],
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
		.actual_count = (uintptr_t)&st->cnt[0],
		.avail_count = (uintptr_t)&st->cnt[1],
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
	st->sfd = -1;
	st->u.sf = (struct mxchan_signal_fd){
		.handle = st->ev[0], .signals = MX_EVENT_SIGNALED,
		.fd = (uintptr_t)&st->sfd,
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
	return st->sfd == -1 && fd == st->lowfd;
}

static void undo_signal_fd(struct st *st)
{
	st->fd = st->sfd;
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

/* ---- fifos: a fault moves nothing, across the ring's wrap too ---- */

static int op_fifo_create(struct st *st)
{
	st->u.fc = (struct mxchan_fifo_create){
		.elem_count = 64, .elem_size = 64,
		.out0 = (uintptr_t)&st->o[0], .out1 = (uintptr_t)&st->o[1],
	};
	return raw(MXCHAN_IOC_FIFO_CREATE, &st->u.fc);
}

/*
 * An 8 x 8 fifo whose next slot is 6: 4 elements go in two copies (or
 * come out so, after setup_fifo_read).
 */
static void setup_fifo(struct st *st)
{
	uint32_t n;

	mx_fifo_create(8, 8, 0, &st->a, &st->b);
	own(st, st->a);
	own(st, st->b);
	memset(st->bytes, 'f', 6 * 8);
	mx_fifo_write(st->a, st->bytes, 6 * 8, &n);
	mx_fifo_read(st->b, st->bytes, 6 * 8, &n);
	memset(st->bytes, 'q', 4 * 8);
}

static void setup_fifo_write(struct st *st)
{
	setup_fifo(st);
	st->u.fio = (struct mxchan_fifo_io){
		.handle = st->a, .data = (uintptr_t)st->bytes, .len = 4 * 8,
		.actual = (uintptr_t)&st->o[0],
	};
}

static int op_fifo_write(struct st *st)
{
	return raw(MXCHAN_IOC_FIFO_WRITE, &st->u.fio);
}

/* nothing queued to b, and a can still fill its ring */
static bool same_fifo_write(struct st *st)
{
	uint32_t n = 0;

	return mx_fifo_read(st->b, st->bytes, 8 * 8, &n) == MX_ERR_SHOULD_WAIT &&
	       mx_fifo_write(st->a, st->bytes, 8 * 8, &n) == MX_OK && n == 8;
}

static void setup_fifo_read(struct st *st)
{
	uint32_t n;

	setup_fifo(st);
	mx_fifo_write(st->a, st->bytes, 4 * 8, &n);
	memset(st->bytes, 0, 4 * 8);
	st->u.fio = (struct mxchan_fifo_io){
		.handle = st->b, .data = (uintptr_t)st->bytes, .len = 8 * 8,
		.actual = (uintptr_t)&st->o[0],
	};
}

static int op_fifo_read(struct st *st)
{
	return raw(MXCHAN_IOC_FIFO_READ, &st->u.fio);
}

/* the 4 elements are still queued, whole, and nothing else */
static bool same_fifo_read(struct st *st)
{
	uint32_t n = 0, i;

	if (mx_fifo_read(st->b, st->bytes, 8 * 8, &n) != MX_OK || n != 4)
		return false;
	for (i = 0; i < 4 * 8; i++)
		if (st->bytes[i] != 'q')
			return false;
	return mx_fifo_read(st->b, st->bytes, 8, &n) == MX_ERR_SHOULD_WAIT;
}

/*
 * ---- sockets: a fault queues nothing and takes nothing ----
 *
 * Each op crosses pages of the socket's buffer: the ring is set 4000
 * (stream) or 4004 (datagram) bytes in, so a write of 9000 bytes makes
 * three new pages (each a failure point) and copies into four, and a
 * read of 6000 copies out of two. A write fails with ENOMEM (a page),
 * EINVAL (a copy), EMFILE; a stream write whose first copy faults is
 * SHOULD_WAIT (Magenta's), and one whose later copy faults is a short
 * write (a success, absorbed).
 */

static int op_socket_create(struct st *st)
{
	st->u.sc = (struct mxchan_socket_create){
		.options = MXCHAN_SOCKET_DATAGRAM | MXCHAN_SOCKET_HAS_CONTROL,
		.out0 = (uintptr_t)&st->o[0], .out1 = (uintptr_t)&st->o[1],
	};
	return raw(MXCHAN_IOC_SOCKET_CREATE, &st->u.sc);
}

static void setup_socket(struct st *st, uint32_t options)
{
	size_t n;

	mx_socket_create(options, &st->a, &st->b);
	own(st, st->a);
	own(st, st->b);
	memset(st->bytes, 's', 4000);
	mx_socket_write(st->a, 0, st->bytes, 4000, &n);
	mx_socket_read(st->b, 0, st->bytes, 4000, &n);
	memset(st->bytes, 'q', 9000);
}

static void setup_socket_write_as(struct st *st, uint32_t options)
{
	setup_socket(st, options);
	st->u.sio = (struct mxchan_socket_io){
		.handle = st->a, .buffer = (uintptr_t)st->bytes, .size = 9000,
		.actual = (uintptr_t)&st->cnt[0],
	};
}

static void setup_socket_write(struct st *st)
{
	setup_socket_write_as(st, MXCHAN_SOCKET_DATAGRAM);
}

static void setup_socket_write_stream(struct st *st)
{
	setup_socket_write_as(st, MXCHAN_SOCKET_STREAM);
}

static int op_socket_write(struct st *st)
{
	return raw(MXCHAN_IOC_SOCKET_WRITE, &st->u.sio);
}

/* A stream's first copy faulting is SHOULD_WAIT: the same failure. */
static int op_socket_write_stream(struct st *st)
{
	int err = raw(MXCHAN_IOC_SOCKET_WRITE, &st->u.sio);

	return err == EAGAIN ? EINVAL : err;
}

/* nothing queued to b, b not readable; the same write works now */
static bool same_socket_write(struct st *st)
{
	mx_signals_t s = 0;
	size_t n = 1, i;

	mx_object_wait_one(st->b, 0, 0, &s);
	if (mx_socket_read(st->b, 0, NULL, 0, &n) != MX_OK || n ||
	    (s & MX_SOCKET_READABLE))
		return false;
	if (mx_socket_write(st->a, 0, st->bytes, 9000, &n) != MX_OK ||
	    n != 9000)
		return false;
	memset(st->bytes, 0, 9000);
	if (mx_socket_read(st->b, 0, st->bytes, sizeof(st->bytes), &n) !=
	    MX_OK || n != 9000)
		return false;
	for (i = 0; i < 9000; i++)
		if (st->bytes[i] != 'q')
			return false;
	return true;
}

static void setup_socket_read_as(struct st *st, uint32_t options)
{
	size_t n;

	setup_socket(st, options);
	mx_socket_write(st->a, 0, st->bytes, 6000, &n);
	memset(st->bytes, 0, 6000);
	st->u.sio = (struct mxchan_socket_io){
		.handle = st->b, .buffer = (uintptr_t)st->bytes, .size = 8192,
		.actual = (uintptr_t)&st->cnt[0],
	};
}

static void setup_socket_read(struct st *st)
{
	setup_socket_read_as(st, MXCHAN_SOCKET_STREAM);
}

static void setup_socket_read_dgram(struct st *st)
{
	setup_socket_read_as(st, MXCHAN_SOCKET_DATAGRAM);
}

static int op_socket_read(struct st *st)
{
	return raw(MXCHAN_IOC_SOCKET_READ, &st->u.sio);
}

/* the 6000 bytes are still queued, whole, and nothing else */
static bool same_socket_read(struct st *st)
{
	mx_signals_t s = 0;
	size_t n = 0, i;

	mx_object_wait_one(st->b, 0, 0, &s);
	if (!(s & MX_SOCKET_READABLE) ||
	    mx_socket_read(st->b, 0, NULL, 0, &n) != MX_OK || n != 6000)
		return false;
	memset(st->bytes, 0, 8192);
	if (mx_socket_read(st->b, 0, st->bytes, 8192, &n) != MX_OK ||
	    n != 6000)
		return false;
	for (i = 0; i < 6000; i++)
		if (st->bytes[i] != 'q')
			return false;
	return mx_socket_read(st->b, 0, NULL, 0, &n) == MX_OK && !n;
}

/* A control message of 1000 bytes: its one copy. */
static void setup_socket_control_write(struct st *st)
{
	setup_socket(st, MXCHAN_SOCKET_HAS_CONTROL);
	st->u.sio = (struct mxchan_socket_io){
		.handle = st->a, .options = MXCHAN_SOCKET_CONTROL,
		.buffer = (uintptr_t)st->bytes, .size = 1000,
		.actual = (uintptr_t)&st->cnt[0],
	};
}

/* b's slot is empty, a may still write it */
static bool same_socket_control_write(struct st *st)
{
	mx_signals_t s = 0;
	size_t n = 0;

	mx_object_wait_one(st->a, 0, 0, &s);
	return (s & MX_SOCKET_CONTROL_WRITABLE) &&
	       mx_socket_read(st->b, MX_SOCKET_CONTROL, st->bytes, 1024,
			      &n) == MX_ERR_SHOULD_WAIT;
}

static void setup_socket_control_read(struct st *st)
{
	size_t n;

	setup_socket(st, MXCHAN_SOCKET_HAS_CONTROL);
	mx_socket_write(st->a, MXCHAN_SOCKET_CONTROL, st->bytes, 1000, &n);
	memset(st->bytes, 0, 1000);
	st->u.sio = (struct mxchan_socket_io){
		.handle = st->b, .options = MXCHAN_SOCKET_CONTROL,
		.buffer = (uintptr_t)st->bytes, .size = 1024,
		.actual = (uintptr_t)&st->cnt[0],
	};
}

/* the message is still in b's slot, whole */
static bool same_socket_control_read(struct st *st)
{
	size_t n = 0, i;

	memset(st->bytes, 0, 1024);
	if (mx_socket_read(st->b, MXCHAN_SOCKET_CONTROL, st->bytes, 1024,
			   &n) != MX_OK || n != 1000)
		return false;
	for (i = 0; i < 1000; i++)
		if (st->bytes[i] != 'q')
			return false;
	return true;
}

/*
 * ---- VMOs, the root VMAR, mappings and properties ----
 *
 * A failed VMO call leaves the VMO's size and every byte it reads as
 * they were (vmo_snap() took them after setup): no partial truncation,
 * no page of a clone taken half; only a write may have written a prefix
 * of its bytes, each one whole, as Magenta's write did before it ran out
 * of pages. A failed vmar_map leaves no mapping behind (/proc/self/maps,
 * checked for every scenario), and every scenario's VMO pages come back
 * to the caller's budget (debugfs users, vmo_pages).
 */

#define VPAGE 4096u

/* Read all of @h (at most 8 pages) into @buf; its size, or -1. */
static int64_t vmo_all(mx_handle_t h, char *buf)
{
	uint64_t size = 0;
	size_t n = 0;

	if (mx_vmo_get_size(h, &size) != MX_OK || size > 8 * VPAGE)
		return -1;
	if (mx_vmo_read(h, buf, 0, size, &n) != MX_OK || n != size)
		return -1;
	return (int64_t)size;
}

static void vmo_snap(struct st *st, mx_handle_t h)
{
	int64_t size = vmo_all(h, st->want);

	st->vmo = h;
	st->want_size = size < 0 ? ~0ULL : (uint64_t)size;
}

/* @st->vmo reads as vmo_snap() saw it */
static bool same_vmo(struct st *st)
{
	static char got[8 * VPAGE];
	int64_t size = vmo_all(st->vmo, got);

	return size >= 0 && (uint64_t)size == st->want_size &&
	       !memcmp(got, st->want, st->want_size);
}

static mx_handle_t new_vmo(struct st *st, uint64_t size)
{
	mx_handle_t h = MX_HANDLE_INVALID;

	mx_vmo_create(size, 0, &h);
	return own(st, h);
}

static void fill(mx_handle_t h, uint64_t off, uint64_t len, char c)
{
	static char buf[8 * VPAGE];
	size_t n;

	memset(buf, c, len);
	mx_vmo_write(h, buf, off, len, &n);
}

static mx_handle_t new_clone(struct st *st, mx_handle_t parent, uint64_t off,
			     uint64_t size)
{
	mx_handle_t h = MX_HANDLE_INVALID;

	mx_vmo_clone(parent, MX_VMO_CLONE_COPY_ON_WRITE, off, size, &h);
	return own(st, h);
}

static int op_vmo_create(struct st *st)
{
	st->u.vc = (struct mxchan_vmo_create){
		.size = 5 * VPAGE + 100, .out = (uintptr_t)&st->o[0],
	};
	return raw(MXCHAN_IOC_VMO_CREATE, &st->u.vc);
}

/* 4 pages, the first written; 9000 bytes go across the first three */
static void setup_vmo_write(struct st *st)
{
	mx_handle_t h = new_vmo(st, 4 * VPAGE);

	fill(h, 0, VPAGE, 'o');
	vmo_snap(st, h);
	memset(st->bytes, 'q', 9000);
	st->u.vio = (struct mxchan_vmo_io){
		.handle = h, .data = (uintptr_t)st->bytes, .offset = 2000,
		.len = 9000, .actual = (uintptr_t)&st->cnt[0],
	};
}

static int op_vmo_write(struct st *st)
{
	return raw(MXCHAN_IOC_VMO_WRITE, &st->u.vio);
}

/*
 * The size as it was; the bytes as they were but for a prefix of the
 * write's (a short write the caller is told nothing of); then the same
 * write works.
 */
static bool same_vmo_write(struct st *st)
{
	static char got[8 * VPAGE];
	uint64_t off = st->u.vio.offset, len = st->u.vio.len, i;
	bool prefix = true;
	size_t n = 0;

	if (vmo_all(st->vmo, got) != (int64_t)st->want_size)
		return false;
	for (i = 0; i < st->want_size; i++) {
		if (i >= off && i < off + len && prefix && got[i] == 'q')
			continue;
		if (i >= off)
			prefix = false;
		if (got[i] != st->want[i])
			return false;
	}
	if (mx_vmo_write(st->vmo, st->bytes, off, len, &n) != MX_OK ||
	    n != len || vmo_all(st->vmo, got) != (int64_t)st->want_size)
		return false;
	memset(st->want + off, 'q', len);
	return !memcmp(got, st->want, st->want_size);
}

/* a partial last page, a hole between written pages */
static void setup_vmo_read(struct st *st)
{
	mx_handle_t h = new_vmo(st, 3 * VPAGE + 100);

	fill(h, 0, VPAGE, 'r');
	fill(h, 2 * VPAGE, VPAGE + 100, 's');
	vmo_snap(st, h);
	st->cnt[0] = 12345;
	st->u.vio = (struct mxchan_vmo_io){
		.handle = h, .data = (uintptr_t)st->bytes, .offset = 0,
		.len = 8 * VPAGE, .actual = (uintptr_t)&st->cnt[0],
	};
}

static int op_vmo_read(struct st *st)
{
	return raw(MXCHAN_IOC_VMO_READ, &st->u.vio);
}

/* as it was, and the count not written */
static bool same_vmo_read(struct st *st)
{
	return st->cnt[0] == 12345 && same_vmo(st);
}

/*
 * A clone of 3 pages from its parent's second: its first page its own,
 * the second the parent's third, the third past the parent's end (0s).
 */
static void setup_vmo_clone_io(struct st *st)
{
	st->parent = new_vmo(st, 3 * VPAGE);
	fill(st->parent, 0, 3 * VPAGE, 'p');
	st->vmo = new_clone(st, st->parent, VPAGE, 3 * VPAGE);
	fill(st->vmo, 0, 100, 'c');
	vmo_snap(st, st->vmo);
}

static void setup_vmo_read_clone(struct st *st)
{
	setup_vmo_clone_io(st);
	st->cnt[0] = 12345;
	st->u.vio = (struct mxchan_vmo_io){
		.handle = st->vmo, .data = (uintptr_t)st->bytes, .offset = 10,
		.len = 3 * VPAGE - 20, .actual = (uintptr_t)&st->cnt[0],
	};
}

/*
 * A clone's first write to a page copies the page from its parent: one
 * that fails takes nothing, so the parent's writes still show there.
 */
static void setup_vmo_write_clone(struct st *st)
{
	setup_vmo_clone_io(st);
	memset(st->bytes, 'w', 100);
	st->u.vio = (struct mxchan_vmo_io){
		.handle = st->vmo, .data = (uintptr_t)st->bytes,
		.offset = VPAGE + 50, .len = 100,
		.actual = (uintptr_t)&st->cnt[0],
	};
}

static bool same_vmo_write_clone(struct st *st)
{
	char c = 0;
	size_t n = 0;

	if (!same_vmo(st))
		return false;
	/* the page is still the parent's */
	fill(st->parent, 2 * VPAGE + 7, 1, 'P');
	return mx_vmo_read(st->vmo, &c, VPAGE + 7, 1, &n) == MX_OK &&
	       n == 1 && c == 'P';
}

static void setup_vmo_get_size(struct st *st)
{
	vmo_snap(st, new_vmo(st, VPAGE + 1));
	st->u.vs = (struct mxchan_vmo_size){
		.handle = st->vmo, .out = (uintptr_t)&st->size_out,
	};
}

static int op_vmo_get_size(struct st *st)
{
	return raw(MXCHAN_IOC_VMO_GET_SIZE, &st->u.vs);
}

static int op_vmo_set_size(struct st *st)
{
	return raw(MXCHAN_IOC_VMO_SET_SIZE, &st->u.vs);
}

static void setup_vmo_grow(struct st *st)
{
	mx_handle_t h = new_vmo(st, VPAGE);

	fill(h, 0, VPAGE, 'g');
	vmo_snap(st, h);
	st->u.vs = (struct mxchan_vmo_size){
		.handle = h, .size = 5 * VPAGE + 7,
	};
}

static void setup_vmo_shrink(struct st *st)
{
	mx_handle_t h = new_vmo(st, 4 * VPAGE);

	fill(h, 0, 4 * VPAGE, 'h');
	vmo_snap(st, h);
	st->u.vs = (struct mxchan_vmo_size){ .handle = h, .size = VPAGE + 10 };
}

/* a clone whose own pages go with its end */
static void setup_vmo_shrink_clone(struct st *st)
{
	setup_vmo_clone_io(st);
	fill(st->vmo, 2 * VPAGE, 2, 'e');
	vmo_snap(st, st->vmo);
	st->u.vs = (struct mxchan_vmo_size){ .handle = st->vmo, .size = 10 };
}

static int op_vmo_op_range(struct st *st)
{
	return raw(MXCHAN_IOC_VMO_OP_RANGE, &st->u.vor);
}

/* 8 pages, the first written: COMMIT makes the other seven */
static void setup_vmo_commit(struct st *st)
{
	mx_handle_t h = new_vmo(st, 8 * VPAGE);

	fill(h, 0, VPAGE, 'o');
	vmo_snap(st, h);
	st->u.vor = (struct mxchan_vmo_op_range){
		.handle = h, .op = MXCHAN_VMO_OP_COMMIT, .offset = 100,
		.size = 8 * VPAGE,
	};
}

/* COMMIT on a clone copies its parent's pages in */
static void setup_vmo_commit_clone(struct st *st)
{
	setup_vmo_clone_io(st);
	st->u.vor = (struct mxchan_vmo_op_range){
		.handle = st->vmo, .op = MXCHAN_VMO_OP_COMMIT, .offset = 0,
		.size = 3 * VPAGE,
	};
}

static void setup_vmo_decommit(struct st *st)
{
	mx_handle_t h = new_vmo(st, 4 * VPAGE);

	fill(h, 0, 4 * VPAGE, 'd');
	vmo_snap(st, h);
	st->u.vor = (struct mxchan_vmo_op_range){
		.handle = h, .op = MXCHAN_VMO_OP_DECOMMIT, .offset = VPAGE,
		.size = 2 * VPAGE,
	};
}

/* DECOMMIT on a clone gives its own page back to the parent's */
static void setup_vmo_decommit_clone(struct st *st)
{
	setup_vmo_clone_io(st);
	st->u.vor = (struct mxchan_vmo_op_range){
		.handle = st->vmo, .op = MXCHAN_VMO_OP_DECOMMIT, .offset = 0,
		.size = VPAGE,
	};
}

static void setup_vmo_lookup(struct st *st)
{
	mx_handle_t h = new_vmo(st, 2 * VPAGE);

	fill(h, 0, 2 * VPAGE, 'l');
	vmo_snap(st, h);
	st->u.vor = (struct mxchan_vmo_op_range){
		.handle = h, .op = MXCHAN_VMO_OP_LOOKUP, .offset = 0,
		.size = 2 * VPAGE, .buffer = (uintptr_t)st->bytes,
		.buffer_size = 16,
	};
}

static void setup_vmo_clone(struct st *st)
{
	mx_handle_t h = new_vmo(st, 4 * VPAGE);

	fill(h, 0, 4 * VPAGE, 'k');
	vmo_snap(st, h);
	st->u.vcl = (struct mxchan_vmo_clone){
		.handle = h, .options = MXCHAN_VMO_CLONE_COPY_ON_WRITE,
		.offset = VPAGE, .size = 4 * VPAGE, .out = (uintptr_t)&st->o[0],
	};
}

static int op_vmo_clone(struct st *st)
{
	return raw(MXCHAN_IOC_VMO_CLONE, &st->u.vcl);
}

/*
 * A clone of a clone 32 deep is made as a copy, at once: every page
 * read up the chain and written into it.
 */
static void setup_vmo_clone_deep(struct st *st)
{
	mx_handle_t h = new_vmo(st, 3 * VPAGE);
	int i;

	fill(h, 0, 3 * VPAGE, '0');
	for (i = 1; i <= 32; i++) {
		h = new_clone(st, h, 0, 3 * VPAGE);
		fill(h, (uint64_t)(i % 3) * VPAGE + i, 1, (char)('0' + i));
	}
	vmo_snap(st, h);
	st->u.vcl = (struct mxchan_vmo_clone){
		.handle = h, .options = MXCHAN_VMO_CLONE_COPY_ON_WRITE,
		.size = 3 * VPAGE, .out = (uintptr_t)&st->o[0],
	};
}

/* the deep clone reads as its parent did */
static void undo_vmo_clone_deep(struct st *st)
{
	static char got[8 * VPAGE];

	own(st, st->o[0]);
	if (vmo_all(st->o[0], got) != (int64_t)st->want_size ||
	    memcmp(got, st->want, st->want_size))
		abort();
}

static void setup_vmo_cache_policy(struct st *st)
{
	vmo_snap(st, new_vmo(st, VPAGE));
	st->u.vcp = (struct mxchan_vmo_cache_policy){
		.handle = st->vmo, .policy = MX_CACHE_POLICY_UNCACHED,
	};
}

static int op_vmo_cache_policy(struct st *st)
{
	return raw(MXCHAN_IOC_VMO_CACHE_POLICY, &st->u.vcp);
}

/* The table's root VMAR, made anew: none is open when the op runs. */
static void setup_vmar_root(struct st *st)
{
	mx_handle_close(mx_vmar_root_self());
	st->u.vr = (struct mxchan_vmar_root){ .out = (uintptr_t)&st->o[0] };
}

static int op_vmar_root(struct st *st)
{
	return raw(MXCHAN_IOC_VMAR_ROOT, &st->u.vr);
}

static void setup_map(struct st *st, mx_handle_t h)
{
	vmo_snap(st, h);
	st->addr = 0;
	st->u.vm = (struct mxchan_vmar_map){
		.vmar = own(st, mx_vmar_root_self()), .vmo = h,
		.len = 3 * VPAGE,
		.flags = MX_VM_FLAG_PERM_READ | MX_VM_FLAG_PERM_WRITE,
		.mapped_addr = (uintptr_t)&st->addr,
	};
}

static void setup_vmar_map(struct st *st)
{
	mx_handle_t h = new_vmo(st, 3 * VPAGE);

	fill(h, 0, 3 * VPAGE, 'm');
	setup_map(st, h);
}

/* mapping a clone makes every page of it its own first */
static void setup_vmar_map_clone(struct st *st)
{
	setup_vmo_clone_io(st);
	setup_map(st, st->vmo);
}

static int op_vmar_map(struct st *st)
{
	return raw(MXCHAN_IOC_VMAR_MAP, &st->u.vm);
}

/* the mapping is the VMO's pages: its bytes, and a write shows there */
static void undo_vmar_map(struct st *st)
{
	volatile char *p = (volatile char *)st->addr;
	char c = 0;
	size_t n;

	if (memcmp((const char *)st->addr, st->want, st->want_size))
		abort();
	p[1] = 'M';
	if (mx_vmo_read(st->vmo, &c, 1, 1, &n) != MX_OK || c != 'M' ||
	    munmap((void *)st->addr, st->u.vm.len))
		abort();
}

/* nothing mapped, no address told; the VMO as it was, and it still maps */
static bool same_vmar_map(struct st *st)
{
	uintptr_t addr = 0;

	if (st->addr || !same_vmo(st) ||
	    mx_vmar_map(st->u.vm.vmar, 0, st->vmo, 0, VPAGE,
			MX_VM_FLAG_PERM_READ, &addr) != MX_OK)
		return false;
	return !munmap((void *)addr, VPAGE);
}

static void setup_vmo_name(struct st *st)
{
	vmo_snap(st, new_vmo(st, VPAGE));
	mx_object_set_property(st->vmo, MX_PROP_NAME, "before", 6);
	memset(st->bytes, 0, MX_MAX_NAME_LEN);
	strcpy(st->bytes, "a name of thirty-one characters!!");
	st->u.prop = (struct mxchan_object_property){
		.handle = st->vmo, .property = MX_PROP_NAME,
		.value = (uintptr_t)st->bytes, .size = MX_MAX_NAME_LEN,
	};
}

static int op_set_property(struct st *st)
{
	return raw(MXCHAN_IOC_OBJECT_SET_PROPERTY, &st->u.prop);
}

static int op_get_property(struct st *st)
{
	return raw(MXCHAN_IOC_OBJECT_GET_PROPERTY, &st->u.prop);
}

/* the name is the one it had */
static bool same_vmo_name(struct st *st)
{
	char name[MX_MAX_NAME_LEN];

	return mx_object_get_property(st->vmo, MX_PROP_NAME, name,
				      sizeof(name)) == MX_OK &&
	       !strcmp(name, "before");
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
	  undo_two, NULL },
	{ "event_create", 0, NULL, op_event_create, same_nothing, undo_one, NULL },
	{ "eventpair_create", 0, NULL, op_eventpair_create, same_nothing,
	  undo_two, NULL },
	{ "port_create", 0, NULL, op_port_create, same_nothing, undo_one, NULL },
	{ "channel_write", 0, setup_write_small, op_write, same_write,
	  undo_none, NULL },
	{ "channel_write_64k_64h", 0, setup_write_big, op_write, same_write,
	  undo_none, NULL },
	{ "channel_read", 0, setup_read, op_read, same_read, undo_read, NULL },
	{ "channel_call", ETIMEDOUT, setup_call, op_call, same_call,
	  undo_none, NULL },
	{ "handle_duplicate", 0, setup_rights, op_duplicate, same_rights,
	  undo_one, NULL },
	{ "handle_replace", 0, setup_rights, op_replace, same_rights,
	  undo_one, NULL },
	{ "handle_move", 0, setup_move, op_move, same_move, undo_none, NULL },
	{ "object_signal", 0, setup_signal, op_signal, same_signal,
	  undo_none, NULL },
	{ "object_wait_many", ETIMEDOUT, setup_wait_many, op_wait_many,
	  same_nothing, undo_none, NULL },
	{ "signal_fd", 0, setup_signal_fd, op_signal_fd, same_signal_fd,
	  undo_signal_fd, NULL },
	{ "port_queue", 0, setup_port_queue, op_port_queue, same_port_queue,
	  undo_none, NULL },
	{ "port_wait", 0, setup_port_wait, op_port_wait, same_port_wait,
	  undo_none, NULL },
	{ "object_wait_async", 0, setup_wait_async, op_wait_async,
	  same_wait_async, undo_none, NULL },
	{ "port_cancel", 0, setup_port_cancel, op_port_cancel,
	  same_port_cancel, undo_none, NULL },
	{ "open_new_user", 0, setup_open, op_open, same_open, undo_none, NULL },
	{ "object_wait_one", ETIMEDOUT, setup_wait_one, op_wait_one,
	  same_nothing, undo_none, NULL },
	{ "object_get_info", 0, setup_get_info, op_get_info, same_nothing,
	  undo_none, NULL },
	{ "version", 0, NULL, op_version, same_nothing, undo_none, NULL },
	{ "startup_take", 0, setup_startup_take, op_startup_take,
	  same_startup_take, undo_none, NULL },
	{ "channel_read_wait", 0, setup_read_wait, op_read_wait, same_read,
	  undo_read, NULL },
	{ "channel_reply_read", 0, setup_reply_read, op_read_wait,
	  same_reply_read, undo_read, sent_reply },
	{ "fifo_create", 0, NULL, op_fifo_create, same_nothing, undo_two,
	  NULL },
	{ "fifo_write", 0, setup_fifo_write, op_fifo_write, same_fifo_write,
	  undo_none, NULL },
	{ "fifo_read", 0, setup_fifo_read, op_fifo_read, same_fifo_read,
	  undo_none, NULL },
	{ "socket_create", 0, NULL, op_socket_create, same_nothing, undo_two,
	  NULL },
	{ "socket_write", 0, setup_socket_write, op_socket_write,
	  same_socket_write, undo_none, NULL },
	{ "socket_write_stream", 0, setup_socket_write_stream,
	  op_socket_write_stream, same_socket_write, undo_none, NULL },
	{ "socket_read", 0, setup_socket_read, op_socket_read,
	  same_socket_read, undo_none, NULL },
	{ "socket_read_datagram", 0, setup_socket_read_dgram, op_socket_read,
	  same_socket_read, undo_none, NULL },
	{ "socket_control_write", 0, setup_socket_control_write,
	  op_socket_write, same_socket_control_write, undo_none, NULL },
	{ "socket_control_read", 0, setup_socket_control_read, op_socket_read,
	  same_socket_control_read, undo_none, NULL },
	{ "vmo_create", 0, NULL, op_vmo_create, same_nothing, undo_one, NULL },
	{ "vmo_write", 0, setup_vmo_write, op_vmo_write, same_vmo_write,
	  undo_none, NULL },
	{ "vmo_read", 0, setup_vmo_read, op_vmo_read, same_vmo_read,
	  undo_none, NULL },
	{ "vmo_read_clone", 0, setup_vmo_read_clone, op_vmo_read,
	  same_vmo_read, undo_none, NULL },
	{ "vmo_write_clone", 0, setup_vmo_write_clone, op_vmo_write,
	  same_vmo_write_clone, undo_none, NULL },
	{ "vmo_get_size", 0, setup_vmo_get_size, op_vmo_get_size, same_vmo,
	  undo_none, NULL },
	{ "vmo_set_size_grow", 0, setup_vmo_grow, op_vmo_set_size, same_vmo,
	  undo_none, NULL },
	{ "vmo_set_size_shrink", 0, setup_vmo_shrink, op_vmo_set_size,
	  same_vmo, undo_none, NULL },
	{ "vmo_set_size_clone", 0, setup_vmo_shrink_clone, op_vmo_set_size,
	  same_vmo, undo_none, NULL },
	{ "vmo_commit", 0, setup_vmo_commit, op_vmo_op_range, same_vmo,
	  undo_none, NULL },
	{ "vmo_commit_clone", 0, setup_vmo_commit_clone, op_vmo_op_range,
	  same_vmo, undo_none, NULL },
	{ "vmo_decommit", 0, setup_vmo_decommit, op_vmo_op_range, same_vmo,
	  undo_none, NULL },
	{ "vmo_decommit_clone", 0, setup_vmo_decommit_clone, op_vmo_op_range,
	  same_vmo, undo_none, NULL },
	{ "vmo_lookup", 0, setup_vmo_lookup, op_vmo_op_range, same_vmo,
	  undo_none, NULL },
	{ "vmo_clone", 0, setup_vmo_clone, op_vmo_clone, same_vmo, undo_one,
	  NULL },
	{ "vmo_clone_deep", 0, setup_vmo_clone_deep, op_vmo_clone, same_vmo,
	  undo_vmo_clone_deep, NULL },
	{ "vmo_cache_policy", EOPNOTSUPP, setup_vmo_cache_policy,
	  op_vmo_cache_policy, same_vmo, undo_none, NULL },
	{ "vmar_root", 0, setup_vmar_root, op_vmar_root, same_nothing,
	  undo_one, NULL },
	{ "vmar_map", 0, setup_vmar_map, op_vmar_map, same_vmar_map,
	  undo_vmar_map, NULL },
	{ "vmar_map_clone", 0, setup_vmar_map_clone, op_vmar_map,
	  same_vmar_map, undo_vmar_map, NULL },
	{ "object_set_property", 0, setup_vmo_name, op_set_property,
	  same_vmo_name, undo_none, NULL },
	{ "object_get_property", 0, setup_vmo_name, op_get_property,
	  same_vmo_name, undo_none, NULL },
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
SCENARIO(23, channel_read_wait);
SCENARIO(24, channel_reply_read);
SCENARIO(25, fifo_create);
SCENARIO(26, fifo_write);
SCENARIO(27, fifo_read);
SCENARIO(28, socket_create);
SCENARIO(29, socket_write);
SCENARIO(30, socket_write_stream);
SCENARIO(31, socket_read);
SCENARIO(32, socket_read_datagram);
SCENARIO(33, socket_control_write);
SCENARIO(34, socket_control_read);
SCENARIO(35, vmo_create);
SCENARIO(36, vmo_write);
SCENARIO(37, vmo_read);
SCENARIO(38, vmo_read_clone);
SCENARIO(39, vmo_write_clone);
SCENARIO(40, vmo_get_size);
SCENARIO(41, vmo_set_size_grow);
SCENARIO(42, vmo_set_size_shrink);
SCENARIO(43, vmo_set_size_clone);
SCENARIO(44, vmo_commit);
SCENARIO(45, vmo_commit_clone);
SCENARIO(46, vmo_decommit);
SCENARIO(47, vmo_decommit_clone);
SCENARIO(48, vmo_lookup);
SCENARIO(49, vmo_clone);
SCENARIO(50, vmo_clone_deep);
SCENARIO(51, vmo_cache_policy);
SCENARIO(52, vmar_root);
SCENARIO(53, vmar_map);
SCENARIO(54, vmar_map_clone);
SCENARIO(55, object_set_property);
SCENARIO(56, object_get_property);

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
	long pages0 = mxt_vmo_pages(), pages;
	int maps0 = mxt_vmo_maps(), maps;

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
		pages = mxt_vmo_pages();
		maps = mxt_vmo_maps();
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
		if (sc->sent)
			before.messages += sc->sent(st);
		if (!counters_equal(&before, &after))
			TH_LOG("%s: N=%u changed the counters", sc->name, n);
		ASSERT_TRUE(counters_equal(&before, &after));
		/* no VMO pages charged, no mapping left */
		ASSERT_EQ(pages, mxt_vmo_pages()) TH_LOG("%s: N=%u", sc->name, n);
		ASSERT_EQ(maps, mxt_vmo_maps()) TH_LOG("%s: N=%u", sc->name, n);
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
	/* everything closed: the budget and the address space as they were */
	ASSERT_EQ(pages0, mxt_vmo_pages());
	ASSERT_EQ(maps0, mxt_vmo_maps());
	TH_LOG("%s: %u fault points, %u failed cleanly, %u absorbed",
	       sc->name, n - 1, failed, absorbed);
}

/*
 * ---- out-pointers the kernel cannot write: EINVAL and no effect ----
 *
 * Every lane, no fault injection: each call that writes a result through
 * a pointer in its struct gets, for that pointer, 0 (where 0 is not
 * allowed), a PROT_NONE page, a read-only page, a value straddling into a
 * PROT_NONE page, or a kernel address. The call must fail with EINVAL
 * and change nothing: the table holds the handles it held (its fdinfo),
 * the module's counters are where they were (debugfs, where mounted),
 * messages are still queued, whole, and no file descriptor appeared.
 */
enum bad_kind { BAD_NULL, BAD_NONE, BAD_RO, BAD_STRADDLE, BAD_KERNEL };

FIXTURE(outptr) {
	int fd;				/* a table of its own */
	char *none, *ro, *edge;		/* edge: RW page, then PROT_NONE */
	struct mxt_counters before;
	bool counters;
	int lowfd;
	long handles;
};

FIXTURE_VARIANT(outptr) {
	enum bad_kind kind;
};

FIXTURE_VARIANT_ADD(outptr, null) { .kind = BAD_NULL };
FIXTURE_VARIANT_ADD(outptr, prot_none) { .kind = BAD_NONE };
FIXTURE_VARIANT_ADD(outptr, read_only) { .kind = BAD_RO };
FIXTURE_VARIANT_ADD(outptr, straddling) { .kind = BAD_STRADDLE };
FIXTURE_VARIANT_ADD(outptr, kernel) { .kind = BAD_KERNEL };

FIXTURE_SETUP(outptr)
{
	self->fd = open(MXCHAN_DEVICE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	self->none = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			  -1, 0);
	self->ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
			-1, 0);
	self->edge = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->none);
	ASSERT_NE(MAP_FAILED, self->ro);
	ASSERT_NE(MAP_FAILED, self->edge);
	ASSERT_EQ(0, mprotect(self->edge + 4096, 4096, PROT_NONE));
}

FIXTURE_TEARDOWN(outptr)
{
	close(self->fd);
	munmap(self->none, 4096);
	munmap(self->ro, 4096);
	munmap(self->edge, 8192);
}

/* A pointer of the variant's kind for an out-parameter of @size bytes. */
static uint64_t bad_out(FIXTURE_DATA(outptr) *self, enum bad_kind kind,
			size_t size)
{
	switch (kind) {
	case BAD_NULL:
		return 0;
	case BAD_NONE:
		return (uintptr_t)self->none;
	case BAD_RO:
		return (uintptr_t)self->ro;
	case BAD_STRADDLE:
		return (uintptr_t)(self->edge + 4096 - size / 2);
	case BAD_KERNEL:
		break;
	}
	return sizeof(void *) == 8 ? 0xffff888000001000ULL : 0xc0001000u;
}

/* The handles in table @fd, from its fdinfo; -1 if not shown. */
static long table_handles(int fd)
{
	char path[64], line[128];
	long n = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "mxchan-handles: %ld", &n) == 1)
			break;
	fclose(f);
	return n;
}

static int lowest_free_fd(void)
{
	int fd = dup(0);

	close(fd);
	return fd;
}

/* What must not change: taken just before the failing call. */
static void snapshot(FIXTURE_DATA(outptr) *self)
{
	self->counters = mxt_counters_read(&self->before);
	self->handles = table_handles(self->fd);
	self->lowfd = lowest_free_fd();
}

/* Nothing changed since snapshot(). */
#define ASSERT_NO_EFFECT() do {						\
	struct mxt_counters __now;					\
	ASSERT_LE(0, self->handles);					\
	ASSERT_EQ(self->handles, table_handles(self->fd));		\
	ASSERT_EQ(self->lowfd, lowest_free_fd());			\
	if (self->counters) {						\
		ASSERT_TRUE(mxt_counters_read(&__now));			\
		ASSERT_TRUE(counters_equal(&self->before, &__now));	\
	}								\
} while (0)

static int tioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? errno : 0;
}

static uint32_t t_event(int fd)
{
	uint32_t h = 0;
	struct mxchan_event_create a = { .out = (uintptr_t)&h };

	return tioctl(fd, MXCHAN_IOC_EVENT_CREATE, &a) ? 0 : h;
}

static int t_channel(int fd, uint32_t *h0, uint32_t *h1)
{
	struct mxchan_channel_create a = {
		.out0 = (uintptr_t)h0, .out1 = (uintptr_t)h1,
	};

	return tioctl(fd, MXCHAN_IOC_CHANNEL_CREATE, &a);
}

static int t_write(int fd, uint32_t ch, const void *b, uint32_t nb,
		   uint32_t *hs, uint32_t nh)
{
	struct mxchan_channel_write a = {
		.handle = ch, .bytes = (uintptr_t)b, .num_bytes = nb,
		.handles = (uintptr_t)hs, .num_handles = nh,
	};

	return tioctl(fd, MXCHAN_IOC_CHANNEL_WRITE, &a);
}

static struct mxchan_info_handle_basic t_info(int fd, uint32_t h)
{
	struct mxchan_info_handle_basic rec = { 0 };
	struct mxchan_object_get_info a = {
		.handle = h, .topic = MXCHAN_INFO_HANDLE_BASIC,
		.buffer = (uintptr_t)&rec, .buffer_size = sizeof(rec),
	};

	if (tioctl(fd, MXCHAN_IOC_OBJECT_GET_INFO, &a))
		memset(&rec, 0, sizeof(rec));
	return rec;
}

TEST_F(outptr, creates)
{
	uint32_t h0 = 0, h1 = 0;
	uint64_t bad = bad_out(self, variant->kind, sizeof(uint32_t));
	struct mxchan_channel_create cc;
	struct mxchan_eventpair_create pc;
	struct mxchan_event_create ec = { .out = bad };
	struct mxchan_port_create poc = { .out = bad };
	struct mxchan_fifo_create fc;
	struct mxchan_socket_create sc;
	int i;

	for (i = 0; i < 2; i++) {
		/* the first pointer bad, then the second */
		cc = (struct mxchan_channel_create){
			.out0 = i ? (uintptr_t)&h0 : bad,
			.out1 = i ? bad : (uintptr_t)&h1,
		};
		pc = (struct mxchan_eventpair_create){
			.out0 = i ? (uintptr_t)&h0 : bad,
			.out1 = i ? bad : (uintptr_t)&h1,
		};
		fc = (struct mxchan_fifo_create){
			.elem_count = 8, .elem_size = 8,
			.out0 = i ? (uintptr_t)&h0 : bad,
			.out1 = i ? bad : (uintptr_t)&h1,
		};
		sc = (struct mxchan_socket_create){
			.options = MXCHAN_SOCKET_HAS_CONTROL,
			.out0 = i ? (uintptr_t)&h0 : bad,
			.out1 = i ? bad : (uintptr_t)&h1,
		};
		snapshot(self);
		ASSERT_EQ(EINVAL, tioctl(self->fd, MXCHAN_IOC_CHANNEL_CREATE,
					 &cc));
		ASSERT_NO_EFFECT();
		ASSERT_EQ(EINVAL, tioctl(self->fd, MXCHAN_IOC_EVENTPAIR_CREATE,
					 &pc));
		ASSERT_NO_EFFECT();
		ASSERT_EQ(EINVAL, tioctl(self->fd, MXCHAN_IOC_FIFO_CREATE, &fc));
		ASSERT_NO_EFFECT();
		ASSERT_EQ(EINVAL, tioctl(self->fd, MXCHAN_IOC_SOCKET_CREATE,
					 &sc));
		ASSERT_NO_EFFECT();
	}
	snapshot(self);
	ASSERT_EQ(EINVAL, tioctl(self->fd, MXCHAN_IOC_EVENT_CREATE, &ec));
	ASSERT_NO_EFFECT();
	ASSERT_EQ(EINVAL, tioctl(self->fd, MXCHAN_IOC_PORT_CREATE, &poc));
	ASSERT_NO_EFFECT();
	/* and the same table still creates */
	ASSERT_EQ(0, t_channel(self->fd, &h0, &h1));
	ASSERT_EQ(self->handles + 2, table_handles(self->fd));
}

TEST_F(outptr, duplicate_and_replace)
{
	uint32_t ev = t_event(self->fd);
	struct mxchan_handle_rights a = {
		.handle = ev, .rights = MXCHAN_RIGHT_SAME_RIGHTS,
		.out = bad_out(self, variant->kind, sizeof(uint32_t)),
	};
	uint32_t rights;

	ASSERT_NE(0, ev);
	rights = t_info(self->fd, ev).rights;
	ASSERT_NE(0, rights);
	snapshot(self);
	ASSERT_EQ(EINVAL, tioctl(self->fd, MXCHAN_IOC_HANDLE_DUPLICATE, &a));
	ASSERT_NO_EFFECT();
	a.rights = MXCHAN_RIGHT_READ;
	ASSERT_EQ(EINVAL, tioctl(self->fd, MXCHAN_IOC_HANDLE_REPLACE, &a));
	ASSERT_NO_EFFECT();
	/* the handle was not replaced: still there, with all its rights */
	ASSERT_EQ(rights, t_info(self->fd, ev).rights);
}

/* A message with bytes and an event in it, which a failed read leaves. */
static void check_still_queued(struct __test_metadata *_metadata,
			       int fd, uint32_t ch, uint64_t koid)
{
	char buf[16] = "";
	uint32_t got = 0, nb = 0, nh = 0;
	struct mxchan_channel_read r = {
		.handle = ch, .bytes = (uintptr_t)buf, .num_bytes = sizeof(buf),
		.handles = (uintptr_t)&got, .num_handles = 1,
		.actual_bytes = (uintptr_t)&nb, .actual_handles = (uintptr_t)&nh,
	};

	ASSERT_EQ(0, tioctl(fd, MXCHAN_IOC_CHANNEL_READ, &r));
	ASSERT_EQ(5, nb);
	ASSERT_EQ(1, nh);
	ASSERT_EQ(0, memcmp(buf, "hello", 5));
	ASSERT_EQ(koid, t_info(fd, got).koid);
	ASSERT_EQ(EAGAIN, tioctl(fd, MXCHAN_IOC_CHANNEL_READ, &r));
}

TEST_F(outptr, channel_read)
{
	uint64_t bad = bad_out(self, variant->kind, sizeof(uint32_t));
	uint32_t a, b, ev, got, nb = 0, nh = 0;
	struct mxchan_channel_read r;
	uint64_t koid;
	char buf[16];
	int i;

	ASSERT_EQ(0, t_channel(self->fd, &a, &b));
	ev = t_event(self->fd);
	koid = t_info(self->fd, ev).koid;
	ASSERT_NE(0, koid);
	ASSERT_EQ(0, t_write(self->fd, a, "hello", 5, &ev, 1));
	/*
	 * i = 0, 1: the bytes', then the handles' count; i = 2, 3: the same
	 * into too small a buffer, MAY_DISCARD: not discarded either.
	 */
	for (i = 0; i < 4; i++) {
		r = (struct mxchan_channel_read){
			.handle = b, .bytes = (uintptr_t)buf,
			.num_bytes = i < 2 ? sizeof(buf) : 2,
			.handles = (uintptr_t)&got, .num_handles = 1,
			.options = i < 2 ? 0 : MXCHAN_READ_MAY_DISCARD,
			.actual_bytes = i & 1 ? (uintptr_t)&nb : bad,
			.actual_handles = i & 1 ? bad : (uintptr_t)&nh,
		};
		snapshot(self);
		if (variant->kind == BAD_NULL) {
			/*
			 * 0 is allowed here, and only goes unwritten: shown
			 * by a read into too small a buffer, which leaves
			 * the message (MAY_DISCARD would discard it).
			 */
			if (i >= 2)
				continue;
			r.num_bytes = 2;
			nb = nh = 0;
			ASSERT_EQ(EMSGSIZE, tioctl(self->fd,
						   MXCHAN_IOC_CHANNEL_READ, &r));
			ASSERT_EQ(i & 1 ? 5 : 1, i & 1 ? nb : nh);
			ASSERT_NO_EFFECT();
			continue;
		}
		ASSERT_EQ(EINVAL, tioctl(self->fd, MXCHAN_IOC_CHANNEL_READ, &r))
			TH_LOG("read %d", i);
		ASSERT_NO_EFFECT();
	}
	check_still_queued(_metadata, self->fd, b, koid);
	if (variant->kind == BAD_NULL) {
		/* and a read with 0 for both works */
		ASSERT_EQ(0, t_write(self->fd, a, "x", 1, NULL, 0));
		r = (struct mxchan_channel_read){
			.handle = b, .bytes = (uintptr_t)buf,
			.num_bytes = sizeof(buf),
		};
		ASSERT_EQ(0, tioctl(self->fd, MXCHAN_IOC_CHANNEL_READ, &r));
		ASSERT_EQ('x', buf[0]);
	}
}

/* The read of CHANNEL_REPLY_READ writes its sizes as channel_read does. */
TEST_F(outptr, reply_read_sizes)
{
	uint64_t bad = bad_out(self, variant->kind, sizeof(uint32_t));
	uint32_t a, b, ev, got, nb = 0, nh = 0;
	struct mxchan_channel_reply_read r;
	uint64_t koid;
	char buf[16];
	int i;

	if (variant->kind == BAD_NULL)
		SKIP(return, "0 is allowed for the sizes (channel_read shows it)");
	ASSERT_EQ(0, t_channel(self->fd, &a, &b));
	ev = t_event(self->fd);
	koid = t_info(self->fd, ev).koid;
	ASSERT_NE(0, koid);
	ASSERT_EQ(0, t_write(self->fd, a, "hello", 5, &ev, 1));
	for (i = 0; i < 2; i++) {
		r = (struct mxchan_channel_reply_read){
			.handle = b, .rd_bytes = (uintptr_t)buf,
			.rd_num_bytes = sizeof(buf),
			.rd_handles = (uintptr_t)&got, .rd_num_handles = 1,
			.actual_bytes = i ? (uintptr_t)&nb : bad,
			.actual_handles = i ? bad : (uintptr_t)&nh,
		};
		snapshot(self);
		ASSERT_EQ(EINVAL, tioctl(self->fd,
					 MXCHAN_IOC_CHANNEL_REPLY_READ, &r))
			TH_LOG("read %d", i);
		ASSERT_NO_EFFECT();
	}
	check_still_queued(_metadata, self->fd, b, koid);
}

TEST_F(outptr, get_info_counts)
{
	uint64_t bad = bad_out(self, variant->kind, sizeof(size_t));
	struct mxchan_info_handle_basic rec;
	uint32_t ev = t_event(self->fd);
	size_t n = 77;
	struct mxchan_object_get_info a = {
		.handle = ev, .topic = MXCHAN_INFO_HANDLE_BASIC,
		.buffer = (uintptr_t)&rec, .buffer_size = sizeof(rec),
	};
	int i;

	ASSERT_NE(0, ev);
	/* the record fits, then it does not (the counts come with EMSGSIZE) */
	for (i = 0; i < 4; i++) {
		a.buffer_size = i < 2 ? sizeof(rec) : 1;
		a.actual_count = i & 1 ? (uintptr_t)&n : bad;
		a.avail_count = i & 1 ? bad : (uintptr_t)&n;
		ASSERT_EQ(variant->kind == BAD_NULL ? (i < 2 ? 0 : EMSGSIZE) :
			  EINVAL,
			  tioctl(self->fd, MXCHAN_IOC_OBJECT_GET_INFO, &a))
			TH_LOG("get_info %d", i);
	}
	/* HANDLE_VALID writes no counts: any pointer will do */
	a.topic = MXCHAN_INFO_HANDLE_VALID;
	ASSERT_EQ(0, tioctl(self->fd, MXCHAN_IOC_OBJECT_GET_INFO, &a));
}

TEST_F(outptr, wait_one_observed)
{
	uint32_t ev = t_event(self->fd), seen = 0;
	struct mxchan_object_wait_one w = {
		.handle = ev, .waitfor = MXCHAN_SIGNAL_SIGNALED, .deadline = 0,
		.observed = bad_out(self, variant->kind, sizeof(uint32_t)),
	};
	struct mxchan_object_signal sig = {
		.handle = ev, .set_mask = MXCHAN_SIGNAL_SIGNALED,
	};

	ASSERT_NE(0, ev);
	/* written after the wait, whatever its result: timed out, then OK */
	ASSERT_EQ(variant->kind == BAD_NULL ? ETIMEDOUT : EINVAL,
		  tioctl(self->fd, MXCHAN_IOC_OBJECT_WAIT_ONE, &w));
	ASSERT_EQ(0, tioctl(self->fd, MXCHAN_IOC_OBJECT_SIGNAL, &sig));
	ASSERT_EQ(variant->kind == BAD_NULL ? 0 : EINVAL,
		  tioctl(self->fd, MXCHAN_IOC_OBJECT_WAIT_ONE, &w));
	w.observed = (uintptr_t)&seen;
	ASSERT_EQ(0, tioctl(self->fd, MXCHAN_IOC_OBJECT_WAIT_ONE, &w));
	ASSERT_TRUE(seen & MXCHAN_SIGNAL_SIGNALED);
}

TEST_F(outptr, signal_fd)
{
	uint32_t ev = t_event(self->fd);
	int fd = -1;
	struct mxchan_signal_fd a = {
		.handle = ev, .signals = MXCHAN_SIGNAL_SIGNALED,
		.fd = bad_out(self, variant->kind, sizeof(int)),
	};

	ASSERT_NE(0, ev);
	snapshot(self);
	ASSERT_EQ(EINVAL, tioctl(self->fd, MXCHAN_IOC_SIGNAL_FD, &a));
	ASSERT_NO_EFFECT();
	/* the object took no lasting wait: a good one works, and goes */
	a.fd = (uintptr_t)&fd;
	ASSERT_EQ(0, tioctl(self->fd, MXCHAN_IOC_SIGNAL_FD, &a));
	ASSERT_EQ(self->lowfd, fd);
	ASSERT_EQ(0, close(fd));
	ASSERT_NO_EFFECT();
}

/*
 * The one exception: a fifo's count is written after its elements moved,
 * as Magenta's was, so a count pointer that cannot be written (0 too: it
 * is required) is EINVAL with them moved. The table is as it was.
 */
TEST_F(outptr, fifo_count)
{
	uint64_t bad = bad_out(self, variant->kind, sizeof(uint32_t));
	uint32_t h0 = 0, h1 = 0, n = 0;
	struct mxchan_fifo_create fc = {
		.elem_count = 8, .elem_size = 8,
		.out0 = (uintptr_t)&h0, .out1 = (uintptr_t)&h1,
	};
	char in[24] = "abcdefgh12345678ABCDEFG", out[64];
	struct mxchan_fifo_io io = {
		.data = (uintptr_t)in, .len = sizeof(in), .actual = bad,
	};

	ASSERT_EQ(0, tioctl(self->fd, MXCHAN_IOC_FIFO_CREATE, &fc));
	snapshot(self);
	io.handle = h0;
	ASSERT_EQ(EINVAL, tioctl(self->fd, MXCHAN_IOC_FIFO_WRITE, &io));
	ASSERT_NO_EFFECT();
	/* the 3 elements went: read them with a count that works */
	io = (struct mxchan_fifo_io){
		.handle = h1, .data = (uintptr_t)out, .len = sizeof(out),
		.actual = (uintptr_t)&n,
	};
	ASSERT_EQ(0, tioctl(self->fd, MXCHAN_IOC_FIFO_READ, &io));
	ASSERT_EQ(3, n);
	ASSERT_EQ(0, memcmp(in, out, sizeof(in)));
	/* a read: the elements are taken, then EINVAL */
	io = (struct mxchan_fifo_io){
		.handle = h0, .data = (uintptr_t)in, .len = sizeof(in),
		.actual = (uintptr_t)&n,
	};
	ASSERT_EQ(0, tioctl(self->fd, MXCHAN_IOC_FIFO_WRITE, &io));
	memset(out, 0, sizeof(out));
	io = (struct mxchan_fifo_io){
		.handle = h1, .data = (uintptr_t)out, .len = sizeof(out),
		.actual = bad,
	};
	ASSERT_EQ(EINVAL, tioctl(self->fd, MXCHAN_IOC_FIFO_READ, &io));
	ASSERT_NO_EFFECT();
	ASSERT_EQ(0, memcmp(in, out, sizeof(in)));
	io.actual = (uintptr_t)&n;
	ASSERT_EQ(EAGAIN, tioctl(self->fd, MXCHAN_IOC_FIFO_READ, &io));
}

/*
 * A socket's actual (a size_t) is optional, 0 is not written, and it is
 * written last, as Magenta's: one that cannot be written is EINVAL with
 * the bytes moved, queued or taken, or the control message sent or
 * taken. A shutdown never looks at it. The table is as it was.
 */
TEST_F(outptr, socket_actual)
{
	uint64_t bad = bad_out(self, variant->kind, sizeof(size_t));
	int want = variant->kind == BAD_NULL ? 0 : EINVAL;
	uint32_t h0 = 0, h1 = 0;
	struct mxchan_socket_create sc = {
		.options = MXCHAN_SOCKET_HAS_CONTROL,
		.out0 = (uintptr_t)&h0, .out1 = (uintptr_t)&h1,
	};
	char in[24] = "abcdefgh12345678ABCDEFG", out[64];
	struct mxchan_socket_io io = {
		.buffer = (uintptr_t)in, .size = sizeof(in), .actual = bad,
	};
	size_t n = 0;

	ASSERT_EQ(0, tioctl(self->fd, MXCHAN_IOC_SOCKET_CREATE, &sc));
	snapshot(self);
	/* a write: queued */
	io.handle = h0;
	ASSERT_EQ(want, tioctl(self->fd, MXCHAN_IOC_SOCKET_WRITE, &io));
	ASSERT_NO_EFFECT();
	/* the query: nothing moves */
	io = (struct mxchan_socket_io){ .handle = h1, .actual = bad };
	ASSERT_EQ(want, tioctl(self->fd, MXCHAN_IOC_SOCKET_READ, &io));
	io.actual = (uintptr_t)&n;
	ASSERT_EQ(0, tioctl(self->fd, MXCHAN_IOC_SOCKET_READ, &io));
	ASSERT_EQ(sizeof(in), n);
	/* a read: taken */
	memset(out, 0, sizeof(out));
	io = (struct mxchan_socket_io){
		.handle = h1, .buffer = (uintptr_t)out, .size = sizeof(out),
		.actual = bad,
	};
	ASSERT_EQ(want, tioctl(self->fd, MXCHAN_IOC_SOCKET_READ, &io));
	ASSERT_NO_EFFECT();
	ASSERT_EQ(0, memcmp(in, out, sizeof(in)));
	io.actual = (uintptr_t)&n;
	ASSERT_EQ(EAGAIN, tioctl(self->fd, MXCHAN_IOC_SOCKET_READ, &io));
	/* a control message: sent, then taken */
	io = (struct mxchan_socket_io){
		.handle = h0, .options = MXCHAN_SOCKET_CONTROL,
		.buffer = (uintptr_t)in, .size = 5, .actual = bad,
	};
	ASSERT_EQ(want, tioctl(self->fd, MXCHAN_IOC_SOCKET_WRITE, &io));
	memset(out, 0, sizeof(out));
	io = (struct mxchan_socket_io){
		.handle = h1, .options = MXCHAN_SOCKET_CONTROL,
		.buffer = (uintptr_t)out, .size = sizeof(out), .actual = bad,
	};
	ASSERT_EQ(want, tioctl(self->fd, MXCHAN_IOC_SOCKET_READ, &io));
	ASSERT_EQ(0, memcmp(in, out, 5));
	ASSERT_EQ(0, out[5]);
	io.actual = (uintptr_t)&n;
	ASSERT_EQ(EAGAIN, tioctl(self->fd, MXCHAN_IOC_SOCKET_READ, &io));
	/* a shutdown: done, actual not looked at */
	io = (struct mxchan_socket_io){
		.handle = h0, .options = MXCHAN_SOCKET_SHUTDOWN_WRITE,
		.actual = bad,
	};
	ASSERT_EQ(0, tioctl(self->fd, MXCHAN_IOC_SOCKET_WRITE, &io));
	io.options = 0;
	io.buffer = (uintptr_t)in;
	io.size = 1;
	ASSERT_EQ(EBADFD, tioctl(self->fd, MXCHAN_IOC_SOCKET_WRITE, &io));
	ASSERT_NO_EFFECT();
}

/*
 * VMOs: a new VMO's, a clone's and the root VMAR's value, the size, and
 * vmar_map's address, through a pointer that cannot be written: EINVAL,
 * no handle made, no page charged, no mapping left. A read's or write's
 * count is written after the bytes moved, as a FIFO's: EINVAL with them
 * moved (0 too: it is required).
 */
TEST_F(outptr, vmo)
{
	uint64_t bad = bad_out(self, variant->kind, sizeof(uint32_t));
	uint64_t bad64 = bad_out(self, variant->kind, sizeof(uint64_t));
	uint64_t badp = bad_out(self, variant->kind, sizeof(uintptr_t));
	uint64_t bads = bad_out(self, variant->kind, sizeof(size_t));
	uint32_t v = 0, root = 0, root2 = 0;
	char in[24] = "abcdefgh12345678ABCDEFG", out[64];
	struct mxchan_vmo_create vc = { .size = 3 * VPAGE, .out = bad };
	struct mxchan_vmo_clone cl = {
		.options = MXCHAN_VMO_CLONE_COPY_ON_WRITE, .size = VPAGE,
		.out = bad,
	};
	struct mxchan_vmar_root vr = { .out = bad };
	struct mxchan_vmo_size sz = { .out = bad64 };
	struct mxchan_vmar_map map = {
		.len = 2 * VPAGE, .flags = MXCHAN_VM_FLAG_PERM_READ,
		.mapped_addr = badp,
	};
	struct mxchan_vmo_io io = {
		.data = (uintptr_t)in, .offset = 10, .len = sizeof(in),
		.actual = bads,
	};
	uint64_t size = 0;
	long pages = mxt_vmo_pages();
	int maps = mxt_vmo_maps();

	snapshot(self);
	ASSERT_EQ(EINVAL, tioctl(self->fd, MXCHAN_IOC_VMO_CREATE, &vc));
	ASSERT_NO_EFFECT();
	ASSERT_EQ(pages, mxt_vmo_pages());
	/* a table without a root VMAR makes none; one with it, the same */
	ASSERT_EQ(EINVAL, tioctl(self->fd, MXCHAN_IOC_VMAR_ROOT, &vr));
	ASSERT_NO_EFFECT();
	vr.out = (uintptr_t)&root;
	ASSERT_EQ(0, tioctl(self->fd, MXCHAN_IOC_VMAR_ROOT, &vr));
	vc.out = (uintptr_t)&v;
	ASSERT_EQ(0, tioctl(self->fd, MXCHAN_IOC_VMO_CREATE, &vc));
	snapshot(self);
	vr.out = bad;
	ASSERT_EQ(EINVAL, tioctl(self->fd, MXCHAN_IOC_VMAR_ROOT, &vr));
	ASSERT_NO_EFFECT();
	vr.out = (uintptr_t)&root2;
	ASSERT_EQ(0, tioctl(self->fd, MXCHAN_IOC_VMAR_ROOT, &vr));
	ASSERT_EQ(root, root2);

	pages = mxt_vmo_pages();
	cl.handle = v;
	ASSERT_EQ(EINVAL, tioctl(self->fd, MXCHAN_IOC_VMO_CLONE, &cl));
	ASSERT_NO_EFFECT();
	ASSERT_EQ(pages, mxt_vmo_pages());
	sz.handle = v;
	ASSERT_EQ(EINVAL, tioctl(self->fd, MXCHAN_IOC_VMO_GET_SIZE, &sz));
	map.vmar = root;
	map.vmo = v;
	ASSERT_EQ(EINVAL, tioctl(self->fd, MXCHAN_IOC_VMAR_MAP, &map));
	ASSERT_NO_EFFECT();
	ASSERT_EQ(maps, mxt_vmo_maps());

	/* the write went, then EINVAL; and a read moves its bytes, too */
	io.handle = v;
	ASSERT_EQ(EINVAL, tioctl(self->fd, MXCHAN_IOC_VMO_WRITE, &io));
	ASSERT_NO_EFFECT();
	memset(out, 0, sizeof(out));
	io.data = (uintptr_t)out;
	ASSERT_EQ(EINVAL, tioctl(self->fd, MXCHAN_IOC_VMO_READ, &io));
	ASSERT_NO_EFFECT();
	ASSERT_EQ(0, memcmp(in, out, sizeof(in)));
	/* and the size never changed */
	sz.out = (uintptr_t)&size;
	ASSERT_EQ(0, tioctl(self->fd, MXCHAN_IOC_VMO_GET_SIZE, &sz));
	ASSERT_EQ(3 * VPAGE, size);
}

/* Answer one request on @h of table @fd with "hello" and one event. */
struct answerer {
	pthread_t thread;
	int fd;
	uint32_t h, ev;
	int result;
};

static void *answer(void *p)
{
	struct answerer *s = p;
	uint32_t req[4];
	struct mxchan_object_wait_one w = {
		.handle = s->h, .waitfor = MXCHAN_SIGNAL_READABLE,
		.deadline = MXCHAN_TIME_INFINITE,
	};
	struct mxchan_channel_read r = {
		.handle = s->h, .bytes = (uintptr_t)req, .num_bytes = sizeof(req),
	};
	char rep[5];

	s->result = -1;
	if (tioctl(s->fd, MXCHAN_IOC_OBJECT_WAIT_ONE, &w) ||
	    tioctl(s->fd, MXCHAN_IOC_CHANNEL_READ, &r))
		return NULL;
	memcpy(rep, req, 4);		/* the txid */
	rep[4] = '!';
	s->result = t_write(s->fd, s->h, rep, 5, &s->ev, 1);
	return NULL;
}

/*
 * A call writes its out-pointers before it sends: one it cannot write
 * (or a 0 for a required one) is EINVAL, with nothing sent; so is args
 * it cannot read. The reply's own buffers are written only when it comes:
 * one that faults is CALL_FAILED with read status EINVAL, and the reply
 * waits first in the queue, whole.
 */
TEST_F(outptr, channel_call)
{
	uint64_t bad = bad_out(self, variant->kind, sizeof(uint32_t));
	uint32_t a, b, nb = 0, nh = 0, txid = 0x1234;
	struct answerer s = { .fd = self->fd };
	mx_handle_t got = 0;
	int32_t rs = 0;
	char rep[8];
	mx_channel_call_args_t args = {
		.wr_bytes = &txid, .wr_num_bytes = sizeof(txid),
		.rd_bytes = rep, .rd_num_bytes = sizeof(rep),
		.rd_handles = &got, .rd_num_handles = 1,
	};
	struct mxchan_channel_call c;
	uint64_t koid;
	int i;

	ASSERT_EQ(0, t_channel(self->fd, &a, &b));
	s.h = b;
	s.ev = t_event(self->fd);
	koid = t_info(self->fd, s.ev).koid;
	ASSERT_NE(0, koid);
	for (i = 0; i < 4; i++) {
		/* the args (a bad in-pointer), the sizes, the read status */
		c = (struct mxchan_channel_call){
			.handle = a, .deadline = MXCHAN_TIME_INFINITE,
			.args = i == 0 ? bad : (uintptr_t)&args,
			.actual_bytes = i == 1 ? bad : (uintptr_t)&nb,
			.actual_handles = i == 2 ? bad : (uintptr_t)&nh,
			.read_status = i == 3 ? bad : (uintptr_t)&rs,
		};
		/* the kernel only reads the args: read-only memory is fine */
		if (i == 0 && variant->kind == BAD_RO)
			continue;
		/* a 0 read status is allowed: tested by call_test */
		if (i == 3 && variant->kind == BAD_NULL)
			continue;
		snapshot(self);
		ASSERT_EQ(EINVAL, tioctl(self->fd, MXCHAN_IOC_CHANNEL_CALL, &c))
			TH_LOG("call %d", i);
		ASSERT_NO_EFFECT();
	}
	/* nothing was sent */
	{
		struct mxchan_channel_read r = { .handle = b };

		ASSERT_EQ(EAGAIN, tioctl(self->fd, MXCHAN_IOC_CHANNEL_READ, &r));
	}
	/* a reply whose buffer faults: read status EINVAL, reply kept */
	if (variant->kind == BAD_NULL)
		return;		/* a 0 buffer for 8 bytes: the same fault */
	args.rd_bytes = (void *)(uintptr_t)bad;
	c = (struct mxchan_channel_call){
		.handle = a, .deadline = MXCHAN_TIME_INFINITE,
		.args = (uintptr_t)&args,
		.actual_bytes = (uintptr_t)&nb,
		.actual_handles = (uintptr_t)&nh, .read_status = (uintptr_t)&rs,
	};
	ASSERT_EQ(0, pthread_create(&s.thread, NULL, answer, &s));
	rs = 0;
	ASSERT_EQ(ECOMM, tioctl(self->fd, MXCHAN_IOC_CHANNEL_CALL, &c));
	ASSERT_EQ(0, pthread_join(s.thread, NULL));
	ASSERT_EQ(0, s.result);
	ASSERT_EQ(EINVAL, rs);
	{
		struct mxchan_channel_read r = {
			.handle = a, .bytes = (uintptr_t)rep,
			.num_bytes = sizeof(rep),
			.handles = (uintptr_t)&got, .num_handles = 1,
			.actual_bytes = (uintptr_t)&nb,
			.actual_handles = (uintptr_t)&nh,
		};

		ASSERT_EQ(0, tioctl(self->fd, MXCHAN_IOC_CHANNEL_READ, &r));
		ASSERT_EQ(5, nb);
		ASSERT_EQ(1, nh);
		ASSERT_EQ(0, memcmp(rep, &txid, 4));
		ASSERT_EQ('!', rep[4]);
		ASSERT_EQ(koid, t_info(self->fd, (uint32_t)got).koid);
	}
	{
		struct mxchan_channel_read r = { .handle = a };

		ASSERT_EQ(EAGAIN, tioctl(self->fd, MXCHAN_IOC_CHANNEL_READ, &r));
		r.handle = b;
		ASSERT_EQ(EAGAIN, tioctl(self->fd, MXCHAN_IOC_CHANNEL_READ, &r));
	}
}

TEST_HARNESS_MAIN
