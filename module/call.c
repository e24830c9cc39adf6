// SPDX-License-Identifier: GPL-2.0
/*
 * channel_call: write a request, then wait for the reply whose txid (the
 * first 4 bytes; 0 for shorter messages) is the request's.
 *
 * A call is registered on its endpoint before the request is visible, in
 * the same step, so no reply can slip past it. A message that arrives at
 * the endpoint goes to the oldest registered call with its txid and no
 * reply yet, instead of to the queue (no READABLE), as in Magenta: the
 * write finds it by txid in O(1) (txid.c).
 *
 * What a call needs is taken before its request goes out, so that once it
 * is out nothing can fail for lack of room (a table keeps the memory of
 * its last call, with its id still reserved, for the next one:
 * t->call_spare, swapped with xchg()):
 *   - an id in the table's calls (at most MXC_MAX_CALLS running or parked
 *     per table, EMFILE beyond), where an interrupted call is parked;
 *   - its txid's entry on the endpoint (memory);
 *   - room for its reply in its endpoint's queue: a registered call counts
 *     in ep->calls, and queued + calls never passes max_queued (ENOMEM),
 *     so a reply that cannot be read is put back without passing it
 *     either. This also bounds the calls one endpoint can hold.
 *
 * The caller sleeps until its reply comes, its endpoint's peer closes,
 * the handle it called through leaves the table, the deadline passes, or
 * a Linux signal comes. On a signal the call stays registered, parked in
 * the table under its id, and the ioctl returns EINTR with that id:
 * CALL_FINISH resumes the wait, so a request is never sent twice. A
 * parked call is on its endpoint's parked list; when the handle leaves
 * the table (closed, sent, replaced), its parked calls end as a sleeping
 * call would: canceled, catching no more messages, and, unless a reply
 * came already, giving back the room kept for one. The end's next holder
 * gets its messages and its queue whole.
 *
 * Locking: ch->lock guards what txid.c says it does, and ep->parked,
 * which grows only with the table lock held too and the handle in its
 * slot, so that a handle leaving its slot (under the table lock) sees
 * every call parked through it.
 */

#include <linux/hrtimer.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "call.h"
#include "channel.h"
#include "compat.h"
#include "trace.h"
#include "txid.h"
#include "wait.h"

/* At most this many calls run or wait for CALL_FINISH in a table. */
#define MXC_MAX_CALLS		4096
/*
 * A reserved id in every table's calls, never a call's: the node holding
 * the first ids stays while calls come and go, instead of being made and
 * freed for every call.
 */
#define MXC_CALLS_PIN		63

/* Where a call's reply goes, read from the caller's structs. */
struct mxc_call_io {
	struct mxchan_call_args args;
	u64 actual_bytes, actual_handles, read_status;
};

/* Taken out of the table for CALL_FINISH, or the table's end. */
static void mxc_call_unpark(struct mxc_call *call)
{
	spin_lock(&call->ep->ch->lock);
	list_del_init(&call->parked);
	spin_unlock(&call->ep->ch->lock);
}

/*
 * A reply that cannot be delivered goes to the head of the queue, into
 * the room its call kept there.
 */
static void mxc_call_requeue(struct mxc_endpoint *ep, struct mxc_message *msg,
			     struct mxc_reaper *r)
{
	spin_lock(&ep->ch->lock);
	if (ep->closed) {
		mxc_reaper_add(r, msg, &ep->spares);
	} else {
		list_add(&msg->node, &ep->queue);
		if (mxc_queue_in(ep, msg))
			mxc_object_signal(&ep->obj, 0, MXCHAN_SIGNAL_READABLE);
		mxc_gc_queued_locked(ep, msg);
	}
	spin_unlock(&ep->ch->lock);
}

/* Stop waiting; returns a reply the call may have got. */
static struct mxc_message *mxc_call_unlink(struct mxc_call *call)
{
	struct mxc_message *reply;

	spin_lock(&call->ep->ch->lock);
	list_del_init(&call->node);
	reply = call->reply;
	call->reply = NULL;
	spin_unlock(&call->ep->ch->lock);
	return reply;
}

/*
 * @call's memory and its id, still reserved, become the table's spare
 * for the next call (the one there before goes).
 */
static void mxc_call_recycle(struct mxc_table *t, struct mxc_call *call)
{
	call = xchg(&t->call_spare, call);
	if (call) {
		xa_release(&t->calls, call->id);
		kfree(call);
	}
}

/*
 * A new call with a reserved id: the spare's, or new ones. EMFILE if the
 * table has MXC_MAX_CALLS calls running or parked.
 */
static struct mxc_call *mxc_call_alloc(struct mxc_table *t)
{
	struct mxc_call *call = xchg(&t->call_spare, NULL);
	u32 id;
	int ret;

	if (call) {
		id = call->id;
		memset(call, 0, sizeof(*call));
		call->id = id;
		return call;
	}
	call = kzalloc(sizeof(*call), GFP_KERNEL_ACCOUNT);
	if (!call)
		return ERR_PTR(-ENOMEM);
	/* ids 1 to MXC_MAX_CALLS + 1, but for the pin (table.c) */
	ret = xa_alloc(&t->calls, &call->id, NULL,
		       XA_LIMIT(1, MXC_MAX_CALLS + 1), GFP_KERNEL_ACCOUNT);
	if (ret) {
		kfree(call);
		return ERR_PTR(ret == -EBUSY ? -EMFILE : -ENOMEM);
	}
	return call;
}

/* The call is over: its room, its txid, its id and its memory go. */
static void mxc_call_free(struct mxc_table *t, struct mxc_call *call)
{
	struct mxc_endpoint *ep = call->ep;

	if (call->registered) {
		spin_lock(&ep->ch->lock);
		ep->calls--;
		spin_unlock(&ep->ch->lock);
	}
	mxc_txid_put(ep, call->tx);
	mxc_object_put(&ep->obj);
	mxc_call_recycle(t, call);
}

/* The table is going: drop a parked call and any reply it got. */
static void mxc_call_discard(struct mxc_table *t, struct mxc_call *call)
{
	struct mxc_message *reply;
	struct mxc_reaper r;

	mxc_call_unpark(call);
	reply = mxc_call_unlink(call);
	mxc_reaper_init(&r);
	if (reply)
		mxc_reaper_add(&r, reply, &call->ep->spares);
	mxc_call_free(t, call);
	mxc_reaper_run(&r);
}

/* A failure after the request went out: CALL_FAILED with a read status. */
static int mxc_call_failed(const struct mxc_call_io *io, int status)
{
	if (!io->read_status)
		return -ECOMM;
	return put_user(status, (s32 __user *)mxc_uptr(io->read_status)) ?
	       -EINVAL : -ECOMM;
}

/* Read @reply into the caller's buffers, as channel_read would. */
static int mxc_call_read_reply(struct mxc_table *t, struct mxc_endpoint *ep,
			       struct mxc_message *reply,
			       const struct mxc_call_io *io)
{
	const struct mxchan_call_args *a = &io->args;
	const struct mxc_read_to to = {
		.bytes = a->rd_bytes, .handles = a->rd_handles,
		.actual_bytes = io->actual_bytes,
		.actual_handles = io->actual_handles,
	};
	u32 nb = reply->num_bytes, nh = reply->num_handles, i;
	u32 *values = mxc_message_values(reply);
	struct mxc_reaper r;
	int ret;

	mxc_reaper_init(&r);
	if (nb > a->rd_num_bytes || nh > a->rd_num_handles) {
		/* Magenta discards it and closes its handles */
		trace_mxchan_read(t, ep->obj.koid, nb, nh, -EMSGSIZE);
		mxc_reaper_add(&r, reply, &ep->spares);
		ret = mxc_call_failed(io, EMSGSIZE);
		goto out;
	}
	ret = nh ? mxc_gc_table_reserve(t, values, nh) : 0;
	if (ret) {
		trace_mxchan_read(t, ep->obj.koid, nb, nh, ret);
		mxc_call_requeue(ep, reply, &r);
		ret = mxc_call_failed(io, -ret);
		goto out;
	}
	if (mxc_message_copy_out(reply, &to)) {
		mxc_table_unreserve(t, values, nh);
		trace_mxchan_read(t, ep->obj.koid, nb, nh, -EINVAL);
		mxc_call_requeue(ep, reply, &r);
		ret = mxc_call_failed(io, EINVAL);
		goto out;
	}
	trace_mxchan_read(t, ep->obj.koid, nb, nh, 0);
	if (trace_mxchan_transfer_enabled())
		for (i = 0; i < nh; i++)
			trace_mxchan_transfer(0, t->id, ep->obj.koid,
					      values[i], reply->handles[i]);
	mxc_table_publish(t, values, reply->handles, nh);
	mxc_message_recycle(reply, &ep->spares);
out:
	mxc_reaper_run(&r);
	return ret;
}

/* Sleep until the reply, a stop (peer closed, canceled), the deadline. */
static int mxc_call_sleep(struct mxc_call *call, struct mxc_waiter *w,
			  u64 deadline)
{
	spinlock_t *lock = &call->ep->ch->lock;
	ktime_t expires, *exp = mxc_deadline(deadline, &expires);
	bool stop;
	int ret = 0;

	spin_lock(lock);
	call->task = current;
	spin_unlock(lock);
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		spin_lock(lock);
		stop = call->reply;
		spin_unlock(lock);
		spin_lock(&w->obj->wq.lock);
		stop |= w->canceled || (w->observed & w->waitfor);
		spin_unlock(&w->obj->wq.lock);
		if (stop)
			break;
		if (signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		if (!schedule_hrtimeout_range(exp, current->timer_slack_ns,
					      HRTIMER_MODE_ABS)) {
			ret = -ETIMEDOUT;
			break;
		}
	}
	__set_current_state(TASK_RUNNING);
	spin_lock(lock);
	call->task = NULL;
	spin_unlock(lock);
	return ret;
}

/*
 * Park an interrupted call in the table for CALL_FINISH, unless its reply
 * came already or its handle left the table: its id was reserved when it
 * started, so this cannot fail for lack of room. Returns true if parked:
 * from then on another thread may finish it, so the caller must not touch
 * it. If the id cannot be written out, the call stays parked all the
 * same, unreachable, until the table goes.
 */
static bool mxc_call_park(struct mxc_table *t, struct mxc_call *call,
			  struct mxchan_channel_call __user *ua)
{
	struct mxc_endpoint *ep = call->ep;
	bool parked = false;
	u32 id = call->id;

	mxc_table_lock(t);
	spin_lock(&ep->ch->lock);
	if (!call->reply && !call->canceled &&
	    mxc_table_lookup_locked(t, call->value) == call->h) {
		list_add(&call->parked, &ep->parked);
		parked = true;
	}
	spin_unlock(&ep->ch->lock);
	mxc_table_unlock(t);
	/* the entry exists: filling it allocates nothing, and cannot fail */
	if (!parked || WARN_ON_ONCE(xa_err(xa_store(&t->calls, id, call,
						    GFP_NOWAIT)))) {
		if (parked)
			mxc_call_unpark(call);
		return false;
	}
	/* hands off @call from here */
	if (put_user(id, &ua->call_id))
		pr_debug("mxchan: call %u parked but its id was not written\n",
			 id);
	return true;
}

/*
 * Wait for @call's reply and read it. Returns 0, -ETIMEDOUT, -ECOMM (with
 * the read status written), or -EINTR with the call parked under
 * call_id. Consumes @call either way.
 */
static int mxc_call_wait(struct mxc_table *t, struct mxc_call *call,
			 u64 deadline, const struct mxc_call_io *io,
			 struct mxchan_channel_call __user *ua)
{
	struct mxc_message *reply;
	bool canceled = false;
	struct mxc_waiter w;
	u32 observed = 0;
	int ret;

	/* wait through the same handle, for the peer to close */
	ret = mxc_waiter_add(t, call->value, 0, 0, MXCHAN_SIGNAL_PEER_CLOSED,
			     &w);
	if (!ret && (w.h != call->h || w.obj != &call->ep->obj ||
		     READ_ONCE(call->canceled))) {
		/* the value names another handle now */
		mxc_waiter_remove(&w, &canceled);
		ret = -EBADF;
	}
	if (ret) {
		canceled = true;	/* the handle is gone */
		goto decide;
	}
	ret = mxc_call_sleep(call, &w, deadline);
	/* take the waiter off first: a parked call may go at once */
	observed = mxc_waiter_remove(&w, &canceled);
	canceled |= READ_ONCE(call->canceled);
	if (ret == -EINTR && !fatal_signal_pending(current) && !canceled &&
	    !(observed & MXCHAN_SIGNAL_PEER_CLOSED) && mxc_call_park(t, call, ua))
		return -EINTR;
decide:
	reply = mxc_call_unlink(call);
	if (reply)
		ret = mxc_call_read_reply(t, call->ep, reply, io);
	else if (canceled)
		ret = mxc_call_failed(io, ECANCELED);
	else if (observed & MXCHAN_SIGNAL_PEER_CLOSED)
		ret = mxc_call_failed(io, EPIPE);
	mxc_call_free(t, call);
	return ret;
}

/* Can a u32 be written at @uptr? Tried by writing back what is there. */
static int mxc_try_out(u64 uptr)
{
	u32 __user *p = mxc_uptr(uptr);
	u32 v;

	return get_user(v, p) || put_user(v, p) ? -EINVAL : 0;
}

/*
 * The caller's mx_channel_call_args_t, in its own layout (32-bit pointers
 * from a 32-bit caller), and the out-pointers; Magenta copies the args
 * first, then checks options. The reply's sizes must have somewhere to go,
 * and every out-pointer is tried now, before the request goes out (read,
 * and written back unchanged), so that one that cannot be written fails
 * the call with nothing sent. The reply's buffers are written only when it comes: a fault there
 * is a read status, with the reply put back.
 */
static int mxc_call_io(const struct mxchan_channel_call *a,
		       struct mxc_call_io *io)
{
	void __user *uargs = mxc_uptr(a->args);

	if (mxc_caller_32bit()) {
		u32 c[8];

		if (copy_from_user(c, uargs, sizeof(c)))
			return -EINVAL;
		io->args.wr_bytes = c[0];
		io->args.wr_handles = c[1];
		io->args.rd_bytes = c[2];
		io->args.rd_handles = c[3];
		io->args.wr_num_bytes = c[4];
		io->args.wr_num_handles = c[5];
		io->args.rd_num_bytes = c[6];
		io->args.rd_num_handles = c[7];
	} else if (copy_from_user(&io->args, uargs, sizeof(io->args))) {
		return -EINVAL;
	}
	if (a->options || a->reserved || !a->actual_bytes || !a->actual_handles)
		return -EINVAL;
	if (mxc_try_out(a->actual_bytes) || mxc_try_out(a->actual_handles) ||
	    (a->read_status && mxc_try_out(a->read_status)))
		return -EINVAL;
	io->actual_bytes = a->actual_bytes;
	io->actual_handles = a->actual_handles;
	io->read_status = a->read_status;
	return 0;
}

/* Magenta's order: the args, options, the handle, then as channel_write. */
int mxc_channel_call(struct mxc_table *t, struct mxchan_channel_call *a,
		     struct mxchan_channel_call __user *ua)
{
	struct mxc_message *msg = NULL;
	struct mxc_call *call = NULL;
	struct mxchan_call_args *ca;
	struct mxc_endpoint *ep;
	struct mxc_object *obj;
	struct mxc_call_io io;
	int ret;

	ret = mxc_call_io(a, &io);
	if (ret)
		return ret;
	ca = &io.args;
	ret = mxc_table_get(t, a->handle,
			    MXCHAN_RIGHT_READ | MXCHAN_RIGHT_WRITE,
			    MXCHAN_OBJ_TYPE_CHANNEL, &obj, NULL);
	if (ret)
		return ret;
	ep = to_endpoint(obj);
	msg = mxc_message_copy_in(ca->wr_bytes, ca->wr_num_bytes,
				  ca->wr_handles, ca->wr_num_handles,
				  mxc_channel_spare(obj));
	if (IS_ERR(msg)) {
		ret = PTR_ERR(msg);
		msg = NULL;
		goto out_free;
	}
	/* what the call needs once the request is out, taken now */
	if (!READ_ONCE(t->sent)) {
		ret = mxc_call_sent_alloc(t);
		if (ret)
			goto out_free;
	}
	call = mxc_call_alloc(t);
	if (IS_ERR(call)) {
		ret = PTR_ERR(call);
		call = NULL;
		goto out_free;
	}
	call->txid = mxc_message_txid(msg);
	call->tx = mxc_txid_get(ep, call->txid);
	if (!call->tx) {
		mxc_call_recycle(t, call);
		call = NULL;
		ret = -ENOMEM;
		goto out_free;
	}
	INIT_LIST_HEAD(&call->node);
	INIT_LIST_HEAD(&call->parked);
	call->ep = ep;
	call->value = a->handle;
	call->t = t;
	mxc_table_lock(t);
	call->h = mxc_table_lookup_locked(t, a->handle);
	mxc_table_unlock(t);

	/* registered as the request goes out, and only if it does */
	ret = mxc_channel_write(t, obj, msg, call);
	if (ret) {
		mxc_message_leave(msg, mxc_channel_spare(obj));
		mxc_call_free(t, call);	/* puts the ref on obj */
		mxc_message_free(msg);
		return ret;
	}
	return mxc_call_wait(t, call, a->deadline, &io, ua);

out_free:
	if (msg) {
		mxc_message_leave(msg, mxc_channel_spare(obj));
		mxc_message_free(msg);
	}
	mxc_object_put(obj);
	return ret;
}

/* Magenta's channel_call_finish: BAD_STATE if there is no such call. */
int mxc_call_finish(struct mxc_table *t, struct mxchan_channel_call *a,
		    struct mxchan_channel_call __user *ua)
{
	struct mxc_call_io io;
	struct mxc_call *call;
	int ret;

	ret = mxc_call_io(a, &io);
	if (ret)
		return ret;
	/* take it, leaving its id reserved: it may park again under it */
	xa_lock(&t->calls);
	call = xa_load(&t->calls, a->call_id);
	if (call)
		__xa_store(&t->calls, a->call_id, NULL, GFP_NOWAIT);
	xa_unlock(&t->calls);
	if (!call)
		return -EBADFD;
	mxc_call_unpark(call);
	return mxc_call_wait(t, call, a->deadline, &io, ua);
}

/*
 * A write that sends channel ends with calls parked through them in its
 * table ends those calls (mxc_call_handle_gone()) after it has queued the
 * message, once it holds no channel lock: the end's lock may be the
 * write's own (an end sent through its peer) or another channel's. It
 * notes the ends here, in its table's memory (made by the table's first
 * call: without one nothing parks), under the table lock, which it holds
 * throughout: no call parks through them meanwhile. Until their calls
 * end, a noted end's ep->stale names the table, and its calls parked from
 * there catch no message (mxc_call_find_locked()).
 */
struct mxc_sent_ends {
	unsigned int n;
	struct {
		struct mxc_endpoint *ep;
		const struct mxc_handle *h;
	} e[MXCHAN_MAX_MSG_HANDLES];
};

/* Room to note a write's ends, made once per table; ENOMEM. */
int mxc_call_sent_alloc(struct mxc_table *t)
{
	struct mxc_sent_ends *s = kmalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);

	if (!s)
		return -ENOMEM;
	s->n = 0;
	if (cmpxchg(&t->sent, NULL, s))
		kfree(s);		/* another call made it */
	return 0;
}

/*
 * Under the table lock and the write's channel lock, as the handles @hs
 * leave: note the ends among them with calls parked, and mark them;
 * true if there were any (a table that made no call has none parked, nor
 * memory to note them). The
 * table lock, held until mxc_call_sent_end(), is a spinlock and so an RCU
 * read section: the ends' memory stays (channels are freed after a grace
 * period) even if their new holder closes them at once.
 */
bool mxc_call_sent_note(struct mxc_table *t, struct mxc_handle **hs,
			unsigned int n)
{
	struct mxc_sent_ends *s = READ_ONCE(t->sent);
	struct mxc_endpoint *ep;
	unsigned int i;

	mxc_table_assert_locked(t);
	if (!s)
		return false;
	s->n = 0;
	for (i = 0; i < n; i++) {
		if (!hs[i]->end)
			continue;
		ep = to_endpoint(hs[i]->obj);
		if (list_empty(&ep->parked))
			continue;
		s->e[s->n].ep = ep;
		s->e[s->n].h = hs[i];
		s->n++;
		/* one handle per end: one table sends it at a time */
		WRITE_ONCE(ep->stale, t);
	}
	return s->n;
}

/*
 * Under the table lock, no channel lock, after mxc_call_sent_note() noted
 * some: the noted ends' calls end.
 */
void mxc_call_sent_end(struct mxc_table *t)
{
	struct mxc_sent_ends *s = t->sent;
	unsigned int i;

	mxc_table_assert_locked(t);
	for (i = 0; i < s->n; i++)
		mxc_call_handle_gone(s->e[i].ep, s->e[i].h, t);
	s->n = 0;
}

int mxc_calls_init(struct mxc_table *t)
{
	t->call_spare = NULL;
	t->sent = NULL;
	xa_init_flags(&t->calls, XA_FLAGS_ALLOC1 | XA_FLAGS_ACCOUNT);
	return xa_reserve(&t->calls, MXC_CALLS_PIN, GFP_KERNEL_ACCOUNT);
}

/* The table is going: its parked calls go before its handles. */
void mxc_calls_destroy(struct mxc_table *t)
{
	struct mxc_call *call;
	unsigned long id;

	xa_for_each(&t->calls, id, call)
		mxc_call_discard(t, call);
	mxc_call_recycle(t, NULL);	/* frees the spare */
	kfree(t->sent);
	xa_destroy(&t->calls);
}
