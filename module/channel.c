// SPDX-License-Identifier: GPL-2.0
/*
 * Channels: two endpoints and their message queues.
 *
 * Locking:
 *  - ch->lock, one spinlock per channel, guards both endpoints' queues,
 *    queue lengths and closed flags, so a writer checks its peer and queues
 *    to it under one lock. It nests inside a table lock (a write moving
 *    handles out of its table) and never the other way round.
 *  - ep->read_lock, a mutex per endpoint, lets one reader at a time take
 *    messages off its queue. The reader takes the head message off (as
 *    ep->reading, still counted in ep->queued, so READABLE holds), copies
 *    it out, and puts it back at the head if that fails, so a fault loses
 *    nothing and the order holds. Nothing else waits for a reader: a
 *    reader stalled in a page fault holds up no close and no collector.
 *    It is taken before a table lock and ch->lock.
 *  - An endpoint's signals change under ch->lock (its wait queue lock
 *    nests inside), so they always agree with the queue and the peer.
 *  - ep->owner is the user who pays for what is queued at the endpoint
 *    (user.c): the user of the table its handle was last put in or read
 *    from through, or, while the handle travels, the owner of the end
 *    whose queue holds it. It is swapped with xchg(), no lock needed, so
 *    a write can hand the ends it carries to its receiver under the
 *    receiver's ch->lock alone; readers take a reference under RCU (users
 *    are freed after a grace period). A message is charged to the owner
 *    it finds when it is queued (a user's counts are atomics and its
 *    locks are leaves) and stays charged to that user until it is freed.
 *  - Nothing touches user memory under ch->lock; writers fill a message
 *    before queueing it and never touch it after.
 *  - debugfs and fdinfo read both ends' counts under ch->lock
 *    (mxc_channel_stats()); debugfs's inflight file walks a queue under
 *    it, inside the table lock, for a bounded number of messages and
 *    handles (mxc_channel_carried()), printing into a seq_file buffer:
 *    kernel memory only.
 */

#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "call.h"
#include "channel.h"
#include "param.h"
#include "trace.h"
#include "txid.h"
#include "user.h"

#define MXC_DEFAULT_CHANNEL_RIGHTS					\
	(MXCHAN_RIGHT_TRANSFER | MXCHAN_RIGHT_READ | MXCHAN_RIGHT_WRITE |	\
	 MXCHAN_RIGHT_SIGNAL | MXCHAN_RIGHT_SIGNAL_PEER)

/*
 * Take every message off @ep's queue and hand them to @r; on @close, the
 * last handle is gone: @ep is closed and its peer sees PEER_CLOSED.
 */
static void mxc_endpoint_drain(struct mxc_endpoint *ep, struct mxc_reaper *r,
			       bool close)
{
	struct mxc_message *msg;
	LIST_HEAD(msgs);

	spin_lock(&ep->ch->lock);
	if (close) {
		ep->closed = true;
		mxc_object_signal(&mxc_peer(ep)->obj, MXCHAN_SIGNAL_WRITABLE,
				  MXCHAN_SIGNAL_PEER_CLOSED);
	}
	/* a reader's message is its own to deliver or put back */
	list_splice_init(&ep->queue, &msgs);
	ep->queued = ep->reading ? 1 : 0;
	ep->queued_bytes = ep->reading ? ep->reading->num_bytes : 0;
	ep->queued_handles = ep->reading ? ep->reading->num_handles : 0;
	if (!ep->queued)
		mxc_object_signal(&ep->obj, MXCHAN_SIGNAL_READABLE, 0);
	spin_unlock(&ep->ch->lock);
	/* ours alone now: the endpoints they carry are in no queue */
	list_for_each_entry(msg, &msgs, node) {
		mxc_gc_dequeued(msg);
		mxc_message_leave(msg, &ep->spares);
	}
	list_splice_tail(&msgs, &r->msgs);
}

static void mxc_endpoint_on_zero_handles(struct mxc_object *obj,
					 struct mxc_reaper *r)
{
	mxc_endpoint_drain(to_endpoint(obj), r, true);
}

/* The collector breaks a ring here (gc.c): the queue goes, the end stays. */
static void mxc_endpoint_purge(struct mxc_object *obj, struct mxc_reaper *r)
{
	mxc_endpoint_drain(to_endpoint(obj), r, false);
}

static void mxc_endpoint_release(struct mxc_object *obj)
{
	struct mxc_endpoint *ep = to_endpoint(obj);
	struct mxc_channel *ch = ep->ch;

	mxc_txid_release(ep);
	WARN_ON_ONCE(!list_empty(&ep->queue) || ep->calls || ep->reading ||
		     ep->queued_bytes || ep->queued_handles ||
		     !xa_empty(&ep->txids) || !list_empty(&ep->parked));
	mutex_destroy(&ep->read_lock);
	xa_destroy(&ep->txids);
	/* a writer still holding the peer only ever takes it (message.c) */
	mxc_message_spares_free(&ep->spares);
	mxc_user_put(rcu_dereference_protected(ep->owner, true));
	/* the collector may still be reading it (gc.c) */
	if (refcount_dec_and_test(&ch->ref))
		kfree_rcu(ch, rcu);
}

static u64 mxc_endpoint_related_koid(struct mxc_object *obj)
{
	return mxc_peer(to_endpoint(obj))->obj.koid;
}

/* The peer endpoint, while it is open. */
static struct mxc_object *mxc_endpoint_peer(struct mxc_object *obj)
{
	struct mxc_endpoint *peer = mxc_peer(to_endpoint(obj));
	struct mxc_object *ret = NULL;

	spin_lock(&peer->ch->lock);
	if (!peer->closed) {
		ret = &peer->obj;
		kref_get(&ret->ref);
	}
	spin_unlock(&peer->ch->lock);
	return ret;
}

static u64 mxc_endpoint_readable_count(struct mxc_object *obj)
{
	/*
	 * Read without ch->lock, which nests outside the caller's locks:
	 * a count for an async wait's first packet, racy by nature.
	 */
	return data_race(to_endpoint(obj)->queued);
}

/* @u becomes the endpoint's owner (see the top of this file). */
static void mxc_endpoint_set_owner(struct mxc_endpoint *ep, struct mxc_user *u)
{
	struct mxc_user *old;

	if (rcu_access_pointer(ep->owner) == u)
		return;
	mxc_user_hold(u);
	old = unrcu_pointer(xchg(&ep->owner, RCU_INITIALIZER(u)));
	mxc_user_put(old);
}

/* The endpoint's owner, with a reference. */
static struct mxc_user *mxc_endpoint_owner(struct mxc_endpoint *ep)
{
	struct mxc_user *u;

	rcu_read_lock();
	/* a user whose last reference went was swapped out already */
	do {
		u = rcu_dereference(ep->owner);
	} while (!mxc_user_tryget(u));
	rcu_read_unlock();
	return u;
}

/*
 * The endpoint's handle went into a table of @u's (a write giving an end
 * to its receiver calls mxc_endpoint_set_owner() itself).
 */
static void mxc_endpoint_adopt(struct mxc_object *obj, struct mxc_user *u)
{
	mxc_endpoint_set_owner(to_endpoint(obj), u);
}

static void mxc_endpoint_handle_gone(struct mxc_object *obj,
				     const struct mxc_handle *h,
				     const struct mxc_table *t)
{
	mxc_call_handle_gone(to_endpoint(obj), h, t);
}

static const struct mxc_object_ops mxc_endpoint_ops = {
	.type = MXCHAN_OBJ_TYPE_CHANNEL,
	.user_signals = MXCHAN_SIGNAL_USER_ALL,
	.peer = mxc_endpoint_peer,
	.on_zero_handles = mxc_endpoint_on_zero_handles,
	.purge = mxc_endpoint_purge,
	.adopt = mxc_endpoint_adopt,
	.handle_gone = mxc_endpoint_handle_gone,
	.release = mxc_endpoint_release,
	.related_koid = mxc_endpoint_related_koid,
	.readable_count = mxc_endpoint_readable_count,
	.waitable = true,
};

/*
 * Create a channel owned by @u; *h0 and *h1 are its two handles, in no
 * table yet.
 */
int mxc_channel_create(struct mxc_user *u, struct mxc_handle **h0,
		       struct mxc_handle **h1)
{
	struct mxc_handle *hs[2];
	struct mxc_channel *ch;
	int i;

	ch = kzalloc(sizeof(*ch), GFP_KERNEL_ACCOUNT);
	hs[0] = mxc_handle_alloc();
	hs[1] = mxc_handle_alloc();
	if (!ch || !hs[0] || !hs[1]) {
		kfree(ch);
		if (hs[0])
			mxc_handle_free(hs[0]);
		if (hs[1])
			mxc_handle_free(hs[1]);
		return -ENOMEM;
	}
	spin_lock_init(&ch->lock);
	refcount_set(&ch->ref, 2);
	for (i = 0; i < 2; i++) {
		struct mxc_endpoint *ep = &ch->ep[i];

		mxc_object_init(&ep->obj, &mxc_endpoint_ops,
				MXCHAN_SIGNAL_WRITABLE);
		ep->ch = ch;
		mutex_init(&ep->read_lock);
		INIT_LIST_HEAD(&ep->queue);
		xa_init_flags(&ep->txids, XA_FLAGS_ACCOUNT);
		INIT_LIST_HEAD(&ep->txid_idle);
		INIT_LIST_HEAD(&ep->parked);
		mxc_user_hold(u);
		RCU_INIT_POINTER(ep->owner, u);
		mxc_gc_init_endpoint(ep);
		mxc_handle_init(hs[i], &ep->obj, MXC_DEFAULT_CHANNEL_RIGHTS);
		mxc_object_put(&ep->obj);	/* the handle holds it now */
	}
	*h0 = hs[0];
	*h1 = hs[1];
	return 0;
}

/* The channel ends @msg carries are @to's, its receiver's, to pay for. */
static void mxc_channel_adopt_ends(struct mxc_message *msg,
				   struct mxc_user *to)
{
	u32 i;

	for (i = 0; i < msg->num_handles; i++)
		if (msg->handles[i]->end)
			mxc_endpoint_set_owner(to_endpoint(msg->handles[i]->obj),
					       to);
}

/*
 * Charge @msg to whoever owns @peer (ch->lock held), through @from's
 * share of the owner, which *@share holds across attempts. -EAGAIN with a
 * reference on the owner in *@need when that share must be got first,
 * outside the lock. On success *@to is the owner charged, referenced by
 * the message.
 */
static int mxc_channel_charge_locked(struct mxc_endpoint *peer,
				     struct mxc_message *msg,
				     struct mxc_user *from,
				     struct mxc_share **share,
				     struct mxc_user **need, bool *own,
				     struct mxc_user **to)
{
	struct mxc_user *u = mxc_endpoint_owner(peer);
	int ret;

	lockdep_assert_held(&peer->ch->lock);
	*own = u == from;
	if (u == from) {
		ret = mxc_message_charge(msg, u, NULL);
		goto out;
	}
	if (!*share)
		*share = mxc_share_lookup(u, from);
	/* none yet, or one of the owner before: the caller gets another */
	if (!*share || mxc_share_to(*share) != u) {
		*need = u;		/* our reference */
		return -EAGAIN;
	}
	ret = mxc_message_charge(msg, u, *share);
	if (!ret)
		*share = NULL;		/* the message has it now */
out:
	*to = u;
	if (ret)
		mxc_user_put(u);	/* else the message has our reference */
	return ret;
}

/*
 * Queue @msg, whose bytes are filled in, on the peer of @obj, moving the
 * handles named by its values (msg->num_handles of them) out of @t. On error
 * nothing changed and the caller still owns @msg; on success @msg belongs
 * to the peer (its queue, or a caller waiting for it) and must not be
 * touched. @call, if set, is a channel_call's, registered on our endpoint
 * in the same step as the request goes out, so no reply can slip past it
 * and a request that fails never registers.
 *
 * Errors, in Magenta's order: the handles' checks, EBADF (our handle
 * closed meanwhile), EPIPE, ENOMEM (max_queued at the peer; for a call,
 * no room for its reply here), then EMFILE (the peer's owner has no
 * budget left for it, or none for this writer: user.c). At the writer's
 * own budget, the cycle collector runs first, in the writer's time, and
 * the write is tried again; another user's full budget is not the
 * writer's to collect.
 */
int mxc_channel_write(struct mxc_table *t, struct mxc_object *obj,
		      struct mxc_message *msg, struct mxc_call *call)
{
	const u32 *values = mxc_message_values(msg);
	struct mxc_endpoint *ep = to_endpoint(obj);
	struct mxc_endpoint *peer = mxc_peer(ep);
	struct mxc_user *from = READ_ONCE(t->user), *need = NULL, *to = NULL;
	u32 nb = msg->num_bytes, n = msg->num_handles, i;
	unsigned int max = READ_ONCE(mxc_max_queued);
	struct mxc_share *share = NULL;
	struct mxc_call *target;
	bool flushed = false, own = false, suspects = false, noted = false;
	int tries = 0, ret;

again:
	ret = 0;
	mxc_table_lock_for(t, n);
	if (n) {
		ret = mxc_table_claim_locked(t, values, n, obj, msg->handles);
		if (ret < 0) {
			mxc_table_unlock_for(t, n);
			goto out;
		}
		msg->num_ends = ret;
		ret = 0;
	}

	spin_lock(&ep->ch->lock);
	target = NULL;
	if (ep->closed) {		/* our handle was closed meanwhile */
		ret = -EBADF;
	} else if (peer->closed) {
		ret = -EPIPE;
	} else {
		target = mxc_call_find_locked(peer, msg);
		if (!target && peer->queued + peer->calls >= max)
			ret = -ENOMEM;
		else if (call && ep->queued + ep->calls >= max)
			ret = -ENOMEM;
		else
			ret = mxc_channel_charge_locked(peer, msg, from, &share,
							&need, &own, &to);
	}
	if (!ret) {
		/* the handles leave the table as the message becomes visible */
		if (n)
			mxc_table_detach_locked(t, values, msg->handles, n);
		/* ends with calls parked here: see mxc_call_sent_note() */
		if (msg->num_ends)
			noted = mxc_call_sent_note(t, msg->handles, n);
		if (trace_mxchan_transfer_enabled())
			for (i = 0; i < n; i++)
				trace_mxchan_transfer(t->id, 0, peer->obj.koid,
						      values[i],
						      msg->handles[i]);
		/* an end in the message is its receiver's to pay for */
		if (msg->num_ends)
			mxc_channel_adopt_ends(msg, to);
		if (call)
			mxc_call_register_locked(ep, call);
		if (target) {
			mxc_call_deliver_locked(target, msg);
		} else {
			list_add_tail(&msg->node, &peer->queue);
			if (mxc_queue_in(peer, msg))
				mxc_object_signal(&peer->obj, 0,
						  MXCHAN_SIGNAL_READABLE);
			suspects = mxc_gc_queued_locked(peer, msg);
		}
	}
	spin_unlock(&ep->ch->lock);

	if (n && ret)
		mxc_table_unclaim_locked(t, msg->handles, n);
	if (noted)
		mxc_call_sent_end(t);
	mxc_table_unlock_for(t, n);
	if (ret == -EAGAIN) {
		/*
		 * A first message to @need's end from @from. The end's owner
		 * may change meanwhile; a few times only, then a temporary
		 * failure.
		 */
		if (share)
			mxc_share_put(share);
		share = ++tries < 8 ? mxc_share_get(need, from) : NULL;
		mxc_user_put(need);
		need = NULL;
		if (share)
			goto again;
		ret = -ENOMEM;
	} else if (ret == -EMFILE && own && !flushed) {
		/*
		 * Rings nothing can reach may hold the budget; and a pass
		 * that ended just now may have freed it: once more anyway.
		 */
		mxc_gc_flush(true);
		flushed = true;
		goto again;
	}
out:
	if (share)
		mxc_share_put(share);
	trace_mxchan_write(t, ep->obj.koid, peer->obj.koid, nb, n, ret);
	/* a writer making garbage faster than it is collected collects it */
	if (suspects)
		mxc_gc_backpressure();
	return ret;
}

static void mxc_queue_count(struct mxc_endpoint *ep, struct mxc_queue_stats *st)
{
	lockdep_assert_held(&ep->ch->lock);
	st->messages = ep->queued;
	st->handles = ep->queued_handles;
	st->bytes = ep->queued_bytes;
}

/*
 * What waits to be read at @obj (@in) and at its peer (@out): counts the
 * message path keeps (mxc_queue_in(), mxc_queue_out()), so this takes
 * the channel lock only as long as a write does. For debugfs and fdinfo.
 */
void mxc_channel_stats(struct mxc_object *obj, struct mxc_queue_stats *in,
		       struct mxc_queue_stats *out, bool *peer_closed)
{
	struct mxc_endpoint *ep = to_endpoint(obj);
	struct mxc_endpoint *peer = mxc_peer(ep);

	spin_lock(&ep->ch->lock);
	mxc_queue_count(ep, in);
	mxc_queue_count(peer, out);
	*peer_closed = peer->closed;
	spin_unlock(&ep->ch->lock);
}

/*
 * One message of mxc_channel_carried()'s walk: false once @fn said stop
 * or *@work reached @budget (the message counts one, each handle one).
 */
static bool mxc_message_carried(struct mxc_endpoint *ep,
				struct mxc_message *msg,
				bool (*fn)(void *arg, struct mxc_handle *h),
				void *arg, u32 budget, u32 *work)
{
	u32 i;

	lockdep_assert_held(&ep->ch->lock);
	if ((*work)++ >= budget)
		return false;
	for (i = 0; i < msg->num_handles; i++)
		if ((*work)++ >= budget || !fn(arg, msg->handles[i]))
			return false;
	return true;
}

/*
 * Call @fn on each handle carried by a message waiting to be read at
 * @obj, the reader's message first, then the queue in order, until @fn
 * returns false or @budget messages and handles have been walked: under
 * the channel lock, so @fn must not sleep. A queued message's handles
 * stay as they are until it is taken off under that lock (a reader's
 * until it clears ep->reading under it). Returns the work done; *@cut
 * says whether the walk stopped before the end. For debugfs.
 */
u32 mxc_channel_carried(struct mxc_object *obj,
			bool (*fn)(void *arg, struct mxc_handle *h), void *arg,
			u32 budget, bool *cut)
{
	struct mxc_endpoint *ep = to_endpoint(obj);
	struct mxc_message *msg;
	u32 work = 0;

	spin_lock(&ep->ch->lock);
	*cut = ep->reading &&
	       !mxc_message_carried(ep, ep->reading, fn, arg, budget, &work);
	if (!*cut)
		list_for_each_entry(msg, &ep->queue, node)
			if (!mxc_message_carried(ep, msg, fn, arg, budget,
						 &work)) {
				*cut = true;
				break;
			}
	spin_unlock(&ep->ch->lock);
	return work;
}

/*
 * channel_read's lookup, in mxc_table_get()'s order: the read counts in
 * the endpoint's readers, then checks that the table still has its
 * handle, so the collector (gc.c) sees it. mxc_channel_put_reader() ends
 * it.
 */
int mxc_channel_get_reader(struct mxc_table *t, u32 value,
			   struct mxc_object **objp)
{
	struct mxc_handle *h;
	bool still;
	u32 slot;
	int ret;

	ret = mxc_table_pin(t, value, MXCHAN_RIGHT_READ,
			    MXCHAN_OBJ_TYPE_CHANNEL, &h, &slot, objp, NULL);
	if (ret)
		return ret;
	mxc_gc_reader_enter(to_endpoint(*objp));
	rcu_read_lock();
	still = mxc_table_still(t, slot, value, h);
	rcu_read_unlock();
	if (!still) {			/* closed or sent meanwhile */
		mxc_channel_put_reader(*objp);
		return -EBADF;
	}
	return 0;
}

void mxc_channel_put_reader(struct mxc_object *obj)
{
	mxc_gc_reader_exit(to_endpoint(obj));
	mxc_object_put(obj);
}

/*
 * Read the first message queued on @obj into the buffers named by @a,
 * and its sizes through @a's out-pointers. A message that cannot be
 * delivered (too small without MAY_DISCARD, full table, fault) stays at
 * the head of the queue. The reader's user owns @obj from now on.
 */
int mxc_channel_read(struct mxc_table *t, struct mxc_object *obj,
		     const struct mxchan_channel_read *a)
{
	struct mxc_endpoint *ep = to_endpoint(obj);
	const struct mxc_read_to to = {
		.bytes = a->bytes, .handles = a->handles,
		.actual_bytes = a->actual_bytes,
		.actual_handles = a->actual_handles,
	};
	struct mxc_message *msg;
	struct mxc_reaper r;
	u32 nb, nh, i, *values;
	int ret;

	mxc_reaper_init(&r);
	/* waiting for another reader: a signal restarts us, as waits do */
	if (mutex_lock_interruptible(&ep->read_lock))
		return -ERESTARTNOINTR;

	/* whoever reads here pays for what comes here from now on */
	mxc_endpoint_set_owner(ep, READ_ONCE(t->user));
	spin_lock(&ep->ch->lock);
	msg = list_first_entry_or_null(&ep->queue, struct mxc_message, node);
	if (msg) {
		list_del_init(&msg->node);
		mxc_gc_dequeued(msg);
		ep->reading = msg;
	} else {
		ret = mxc_peer(ep)->closed ? -EPIPE : -EAGAIN;
	}
	spin_unlock(&ep->ch->lock);
	if (!msg)
		goto out_unlock;

	nb = msg->num_bytes;
	nh = msg->num_handles;
	if (nb > a->num_bytes || nh > a->num_handles) {
		ret = mxc_message_put_sizes(&to, nb, nh) ?: -EMSGSIZE;
		if (ret == -EMSGSIZE && (a->options & MXCHAN_READ_MAY_DISCARD))
			goto done;
		goto put_back;
	}

	/* the values the handles will have here, in the message itself */
	values = mxc_message_values(msg);
	ret = nh ? mxc_gc_table_reserve(t, values, nh) : 0;
	if (ret)
		goto put_back;
	if (mxc_message_copy_out(msg, &to)) {
		mxc_table_unreserve(t, values, nh);
		ret = -EINVAL;
		goto put_back;
	}

done:
	spin_lock(&ep->ch->lock);
	ep->reading = NULL;
	if (mxc_queue_out(ep, msg))
		mxc_object_signal(&ep->obj, MXCHAN_SIGNAL_READABLE, 0);
	spin_unlock(&ep->ch->lock);
	trace_mxchan_read(t, obj->koid, nb, nh, ret);
	if (ret == -EMSGSIZE) {		/* MAY_DISCARD */
		mxc_reaper_add(&r, msg, &ep->spares);
	} else {
		if (trace_mxchan_transfer_enabled())
			for (i = 0; i < nh; i++)
				trace_mxchan_transfer(0, t->id, obj->koid,
						      values[i],
						      msg->handles[i]);
		if (nh)
			mxc_table_publish(t, values, msg->handles, nh);
		mxc_message_recycle(msg, &ep->spares);
	}
	goto out_unlock;

put_back:
	trace_mxchan_read(t, obj->koid, nb, nh, ret);
	/* at the head again, as if never taken, unless we closed meanwhile */
	spin_lock(&ep->ch->lock);
	ep->reading = NULL;
	if (ep->closed) {
		mxc_reaper_add(&r, msg, &ep->spares);
		if (mxc_queue_out(ep, msg))
			mxc_object_signal(&ep->obj, MXCHAN_SIGNAL_READABLE, 0);
	} else {
		list_add(&msg->node, &ep->queue);
		mxc_gc_queued_locked(ep, msg);
	}
	spin_unlock(&ep->ch->lock);
out_unlock:
	mutex_unlock(&ep->read_lock);
	mxc_reaper_run(&r);
	return ret;
}
