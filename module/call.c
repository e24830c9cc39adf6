// SPDX-License-Identifier: GPL-2.0
/*
 * channel_call: write a request, then wait for the reply whose txid (the
 * first 4 bytes; 0 for shorter messages) is the request's.
 *
 * A call is registered on its endpoint (ep->calls, under ch->lock) before
 * the request is written, so no reply can slip past it. A message that
 * arrives at the endpoint goes to the first registered call with its txid
 * and no reply yet, instead of to the queue (no READABLE), as in Magenta.
 *
 * The caller sleeps until its reply comes, its endpoint's peer closes,
 * the handle it called through leaves the table, the deadline passes, or
 * a Linux signal comes. On a signal the call stays registered, parked in
 * the table under an id, and the ioctl returns EINTR with that id:
 * CALL_FINISH resumes the wait, so a request is never sent twice.
 */

#include <linux/hrtimer.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "channel.h"
#include "mxchan.h"
#include "trace.h"

/* At most this many interrupted calls wait in a table for CALL_FINISH. */
#define MXC_MAX_PARKED_CALLS	4096

struct mxc_call {
	struct list_head node;		/* on ep->calls, ch->lock */
	struct mxc_endpoint *ep;	/* a ref on ep->obj */
	const struct mxc_handle *h;	/* called through; compared only */
	u32 value;			/* h's value */
	u32 txid;
	struct mxc_message *reply;	/* ch->lock */
	struct task_struct *task;	/* the caller while asleep, ch->lock */
};

static u32 mxc_message_txid(struct mxc_message *msg)
{
	u32 txid = 0;

	if (msg->num_bytes >= sizeof(txid))
		memcpy(&txid, mxc_message_data(msg), sizeof(txid));
	return txid;
}

/* The first call on @ep waiting for @msg's txid, or NULL. */
static struct mxc_call *mxc_call_find_locked(struct mxc_endpoint *ep,
					     struct mxc_message *msg)
{
	struct mxc_call *call;
	u32 txid;

	lockdep_assert_held(&ep->ch->lock);
	if (list_empty(&ep->calls))
		return NULL;
	txid = mxc_message_txid(msg);
	list_for_each_entry(call, &ep->calls, node)
		if (!call->reply && call->txid == txid)
			return call;
	return NULL;
}

/* Would @msg go to a caller (so no queue limit applies to it)? */
bool mxc_call_wants_locked(struct mxc_endpoint *ep, struct mxc_message *msg)
{
	return mxc_call_find_locked(ep, msg);
}

bool mxc_call_deliver_locked(struct mxc_endpoint *ep, struct mxc_message *msg)
{
	struct mxc_call *call = mxc_call_find_locked(ep, msg);

	if (!call)
		return false;
	call->reply = msg;
	if (call->task)
		wake_up_process(call->task);
	return true;
}

/* A reply that cannot be delivered goes to the head of the queue. */
static void mxc_call_requeue(struct mxc_endpoint *ep, struct mxc_message *msg,
			     struct mxc_reaper *r)
{
	spin_lock(&ep->ch->lock);
	if (ep->closed) {
		mxc_reaper_add(r, msg);
	} else {
		list_add(&msg->node, &ep->queue);
		if (!ep->queued++)
			mxc_object_signal(&ep->obj, 0, MXCHAN_SIGNAL_READABLE);
		mxc_gc_queued_locked(ep, msg);
	}
	spin_unlock(&ep->ch->lock);
}

/* Take the call off its endpoint; returns a reply it may have got. */
static struct mxc_message *mxc_call_unlink(struct mxc_call *call)
{
	struct mxc_message *reply;

	spin_lock(&call->ep->ch->lock);
	list_del(&call->node);
	reply = call->reply;
	call->reply = NULL;
	spin_unlock(&call->ep->ch->lock);
	return reply;
}

static void mxc_call_free(struct mxc_call *call)
{
	mxc_object_put(&call->ep->obj);
	kfree(call);
}

/* The table is going: drop a parked call and any reply it got. */
void mxc_call_discard(void *p)
{
	struct mxc_call *call = p;
	struct mxc_message *reply = mxc_call_unlink(call);
	struct mxc_reaper r;

	mxc_reaper_init(&r);
	if (reply)
		mxc_reaper_add(&r, reply);
	mxc_call_free(call);
	mxc_reaper_run(&r);
}

/* A failure after the request went out: CALL_FAILED with a read status. */
static int mxc_call_failed(struct mxchan_channel_call __user *ua, int status)
{
	return put_user(status, &ua->read_status) ? -EINVAL : -ECOMM;
}

/* Read @reply into the caller's buffers, as channel_read would. */
static int mxc_call_read_reply(struct mxc_table *t, struct mxc_endpoint *ep,
			       struct mxc_message *reply,
			       struct mxchan_channel_call *a,
			       struct mxchan_channel_call __user *ua)
{
	u32 values[MXCHAN_MAX_MSG_HANDLES];
	u32 nb = reply->num_bytes, nh = reply->num_handles, i;
	struct mxc_reaper r;
	int ret;

	mxc_reaper_init(&r);
	if (nb > a->rd_num_bytes || nh > a->rd_num_handles) {
		/* Magenta discards it and closes its handles */
		trace_mxchan_read(t, ep->obj.koid, nb, nh, -EMSGSIZE);
		mxc_reaper_add(&r, reply);
		ret = mxc_call_failed(ua, EMSGSIZE);
		goto out;
	}
	ret = mxc_table_reserve(t, values, nh);
	if (ret) {
		trace_mxchan_read(t, ep->obj.koid, nb, nh, ret);
		mxc_call_requeue(ep, reply, &r);
		ret = mxc_call_failed(ua, -ret);
		goto out;
	}
	if (copy_to_user(u64_to_user_ptr(a->rd_bytes), mxc_message_data(reply),
			 nb) ||
	    copy_to_user(u64_to_user_ptr(a->rd_handles), values,
			 nh * sizeof(u32)) ||
	    put_user(nb, &ua->actual_bytes) ||
	    put_user(nh, &ua->actual_handles)) {
		mxc_table_unreserve(t, values, nh);
		trace_mxchan_read(t, ep->obj.koid, nb, nh, -EINVAL);
		mxc_call_requeue(ep, reply, &r);
		ret = mxc_call_failed(ua, EINVAL);
		goto out;
	}
	trace_mxchan_read(t, ep->obj.koid, nb, nh, 0);
	for (i = 0; i < nh; i++)
		trace_mxchan_transfer(0, t->id, ep->obj.koid, values[i],
				      reply->handles[i]);
	mxc_table_publish(t, values, reply->handles, nh);
	mxc_message_free(reply);
out:
	mxc_reaper_run(&r);
	return ret;
}

/* Sleep until the reply, a stop (peer closed, canceled), the deadline. */
static int mxc_call_sleep(struct mxc_call *call, struct mxc_waiter *w,
			  u64 deadline, unsigned int state)
{
	ktime_t expires = ns_to_ktime(min_t(u64, deadline, KTIME_MAX));
	ktime_t *exp = deadline == MXCHAN_TIME_INFINITE ? NULL : &expires;
	spinlock_t *lock = &call->ep->ch->lock;
	bool stop;
	int ret = 0;

	spin_lock(lock);
	call->task = current;
	spin_unlock(lock);
	for (;;) {
		set_current_state(state);
		spin_lock(lock);
		stop = call->reply;
		spin_unlock(lock);
		spin_lock(&w->obj->wq.lock);
		stop |= w->canceled || (w->observed & w->waitfor);
		spin_unlock(&w->obj->wq.lock);
		if (stop)
			break;
		if (signal_pending_state(state, current)) {
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
 * came already. Returns true if parked: from
 * then on another thread may finish it, so the caller must not touch it.
 * If the id cannot be written out, the call stays parked all the same,
 * unreachable, until the table goes.
 */
static bool mxc_call_park(struct mxc_table *t, struct mxc_call *call,
			  struct mxchan_channel_call __user *ua)
{
	bool over;
	u32 id;

	spin_lock(&call->ep->ch->lock);
	over = call->reply;
	spin_unlock(&call->ep->ch->lock);
	if (over || xa_alloc(&t->calls, &id, call,
			     XA_LIMIT(1, MXC_MAX_PARKED_CALLS),
			     GFP_KERNEL_ACCOUNT))
		return false;
	/* hands off @call from here */
	if (put_user(id, &ua->call_id))
		pr_debug("mxchan: call %u parked but its id was not written\n",
			 id);
	return true;
}

/*
 * Wait for @call's reply and read it. Returns 0, -ETIMEDOUT, -ECOMM (with
 * read_status written), or -EINTR with the call parked under call_id.
 * Consumes @call either way.
 */
static int mxc_call_wait(struct mxc_table *t, struct mxc_call *call,
			 struct mxchan_channel_call *a,
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
	if (!ret && w.h != call->h) {
		/* the value names another handle now */
		mxc_waiter_remove(&w, &canceled);
		ret = -EBADF;
	}
	if (ret) {
		canceled = true;	/* the handle is gone */
		goto decide;
	}
	ret = mxc_call_sleep(call, &w, a->deadline, TASK_INTERRUPTIBLE);
	/* take the waiter off first: a parked call may go at once */
	observed = mxc_waiter_remove(&w, &canceled);
	if (ret != -EINTR || fatal_signal_pending(current) || canceled ||
	    (observed & MXCHAN_SIGNAL_PEER_CLOSED))
		goto decide;
	if (mxc_call_park(t, call, ua))
		return -EINTR;
	/* the reply came, or no room to park: wait on, for a kill only */
	if (mxc_waiter_add(t, call->value, 0, 0, MXCHAN_SIGNAL_PEER_CLOSED,
			   &w)) {
		canceled = true;
		goto decide;
	}
	if (w.h == call->h)
		ret = mxc_call_sleep(call, &w, a->deadline, TASK_KILLABLE);
	else
		canceled = true;
	observed |= mxc_waiter_remove(&w, &canceled);
decide:
	reply = mxc_call_unlink(call);
	if (reply)
		ret = mxc_call_read_reply(t, call->ep, reply, a, ua);
	else if (canceled)
		ret = mxc_call_failed(ua, ECANCELED);
	else if (observed & MXCHAN_SIGNAL_PEER_CLOSED)
		ret = mxc_call_failed(ua, EPIPE);
	mxc_call_free(call);
	return ret;
}

/* Magenta's order: options, the handle, then as channel_write. */
int mxc_channel_call(struct mxc_table *t, struct mxchan_channel_call *a,
		     struct mxchan_channel_call __user *ua)
{
	u32 values[MXCHAN_MAX_MSG_HANDLES];
	struct mxc_message *msg;
	struct mxc_endpoint *ep;
	struct mxc_object *obj;
	struct mxc_call *call;
	int ret;

	if (a->options)
		return -EINVAL;
	ret = mxc_table_get(t, a->handle,
			    MXCHAN_RIGHT_READ | MXCHAN_RIGHT_WRITE,
			    MXCHAN_OBJ_TYPE_CHANNEL, &obj, NULL);
	if (ret)
		return ret;
	ep = to_endpoint(obj);
	if (a->wr_num_bytes > MXCHAN_MAX_MSG_BYTES ||
	    a->wr_num_handles > MXCHAN_MAX_MSG_HANDLES) {
		ret = -ERANGE;
		goto out_put;
	}
	msg = mxc_message_alloc(a->wr_num_bytes, a->wr_num_handles);
	call = kzalloc(sizeof(*call), GFP_KERNEL_ACCOUNT);
	if (!msg || !call) {
		ret = -ENOMEM;
		goto out_free;
	}
	ret = mxc_message_charge(msg, t->user);
	if (ret)
		goto out_free;
	if (copy_from_user(mxc_message_data(msg), u64_to_user_ptr(a->wr_bytes),
			   a->wr_num_bytes) ||
	    copy_from_user(values, u64_to_user_ptr(a->wr_handles),
			   a->wr_num_handles * sizeof(u32))) {
		ret = -EINVAL;
		goto out_free;
	}
	call->ep = ep;
	call->value = a->handle;
	call->txid = mxc_message_txid(msg);
	xa_lock(&t->slots);
	call->h = mxc_table_lookup_locked(t, a->handle);
	xa_unlock(&t->slots);

	/* registered as the request goes out, and only if it does */
	ret = mxc_channel_write(t, obj, msg, values, &call->node);
	if (ret)
		goto out_free;
	return mxc_call_wait(t, call, a, ua);	/* the call has the ref */

out_free:
	if (msg)
		mxc_message_free(msg);
	kfree(call);
out_put:
	mxc_object_put(obj);
	return ret;
}

int mxc_call_finish(struct mxc_table *t, struct mxchan_channel_call *a,
		    struct mxchan_channel_call __user *ua)
{
	struct mxc_call *call = xa_erase(&t->calls, a->call_id);

	if (!call)
		return -EINVAL;
	return mxc_call_wait(t, call, a, ua);
}
