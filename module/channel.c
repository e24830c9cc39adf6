// SPDX-License-Identifier: GPL-2.0
/*
 * Channels: two endpoints and their message queues.
 *
 * Locking: one spinlock per channel (ch->lock) guards both endpoints'
 * queues, queue counts and closed flags, so a writer checks its peer and
 * queues to it under a single lock. It nests inside a table lock (write
 * with handles) and never the other way round. Messages are copied from
 * and to user memory with no lock held: a writer fills its message before
 * queueing it; a reader takes the message off the queue, copies it out,
 * and puts it back at the head if the copy faults.
 */

#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "mxchan.h"

struct mxc_channel;

struct mxc_endpoint {
	struct mxc_object obj;
	struct mxc_channel *ch;
	struct list_head queue;		/* messages to read here, ch->lock */
	u32 queued;			/* length of queue, ch->lock */
	bool closed;			/* no handles left, ch->lock */
};

struct mxc_channel {
	spinlock_t lock;		/* both endpoints; see the top of file */
	refcount_t ref;			/* endpoint objects alive */
	struct mxc_endpoint ep[2];
};

static inline struct mxc_endpoint *to_endpoint(struct mxc_object *obj)
{
	return container_of(obj, struct mxc_endpoint, obj);
}

static inline struct mxc_endpoint *mxc_peer(struct mxc_endpoint *ep)
{
	return &ep->ch->ep[ep == &ep->ch->ep[0]];
}

/* The last handle is gone: the peer sees PEER_CLOSED, our queue dies. */
static void mxc_endpoint_on_zero_handles(struct mxc_object *obj,
					 struct mxc_reaper *r)
{
	struct mxc_endpoint *ep = to_endpoint(obj);

	spin_lock(&ep->ch->lock);
	ep->closed = true;
	list_splice_tail_init(&ep->queue, &r->msgs);
	ep->queued = 0;
	spin_unlock(&ep->ch->lock);
}

static void mxc_endpoint_release(struct mxc_object *obj)
{
	struct mxc_endpoint *ep = to_endpoint(obj);
	struct mxc_channel *ch = ep->ch;

	WARN_ON_ONCE(!list_empty(&ep->queue));
	if (refcount_dec_and_test(&ch->ref))
		kfree(ch);
}

static u64 mxc_endpoint_related_koid(struct mxc_object *obj)
{
	return mxc_peer(to_endpoint(obj))->obj.koid;
}

static const struct mxc_object_ops mxc_endpoint_ops = {
	.type = MXCHAN_OBJ_TYPE_CHANNEL,
	.on_zero_handles = mxc_endpoint_on_zero_handles,
	.release = mxc_endpoint_release,
	.related_koid = mxc_endpoint_related_koid,
};

/* Create a channel; *h0 and *h1 are its two handles, in no table yet. */
int mxc_channel_create(struct mxc_handle **h0, struct mxc_handle **h1)
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

		mxc_object_init(&ep->obj, &mxc_endpoint_ops);
		ep->ch = ch;
		INIT_LIST_HEAD(&ep->queue);
		mxc_handle_init(hs[i], &ep->obj, MXC_DEFAULT_CHANNEL_RIGHTS);
		mxc_object_put(&ep->obj);	/* the handle holds it now */
	}
	*h0 = hs[0];
	*h1 = hs[1];
	return 0;
}

/*
 * Queue @msg, whose bytes are filled in, on the peer of @obj, moving the
 * handles named by @values (msg->num_handles of them) out of @t. On error
 * nothing changed and the caller still owns @msg.
 */
int mxc_channel_write(struct mxc_table *t, struct mxc_object *obj,
		      struct mxc_message *msg, const u32 *values)
{
	struct mxc_endpoint *ep = to_endpoint(obj);
	struct mxc_endpoint *peer = mxc_peer(ep);
	u32 n = msg->num_handles;
	int ret = 0;

	if (n) {
		xa_lock(&t->slots);
		ret = mxc_table_claim_locked(t, values, n, obj, msg->handles);
		if (ret) {
			xa_unlock(&t->slots);
			return ret;
		}
	}

	spin_lock(&ep->ch->lock);
	if (ep->closed)			/* our handle was closed meanwhile */
		ret = -EBADF;
	else if (peer->closed)
		ret = -EPIPE;
	else if (peer->queued >= mxc_max_queued)
		ret = -ENOMEM;
	if (!ret) {
		list_add_tail(&msg->node, &peer->queue);
		peer->queued++;
	}
	spin_unlock(&ep->ch->lock);

	if (n) {
		if (ret)
			mxc_table_unclaim_locked(msg->handles, n);
		else
			mxc_table_detach_locked(t, values, msg->handles, n);
		xa_unlock(&t->slots);
	}
	return ret;
}

/* A copy-out failed: put the message back where it was. */
static void mxc_channel_unread(struct mxc_endpoint *ep,
			       struct mxc_message *msg, struct mxc_reaper *r)
{
	spin_lock(&ep->ch->lock);
	if (ep->closed) {
		list_add_tail(&msg->node, &r->msgs);
	} else {
		list_add(&msg->node, &ep->queue);
		ep->queued++;
	}
	spin_unlock(&ep->ch->lock);
}

/*
 * Read the first message queued on @obj into the buffers named by @a;
 * sizes and handle values go to user memory at @ua. A message that cannot
 * be delivered (too small without MAY_DISCARD, full table, fault) stays
 * queued.
 */
int mxc_channel_read(struct mxc_table *t, struct mxc_object *obj,
		     struct mxchan_channel_read *a,
		     struct mxchan_channel_read __user *ua)
{
	struct mxc_endpoint *ep = to_endpoint(obj);
	bool discard = a->options & MXCHAN_READ_MAY_DISCARD;
	u32 values[MXCHAN_MAX_MSG_HANDLES];
	struct mxc_message *msg;
	unsigned int reserved = 0;
	bool too_small;
	u32 nb, nh = 0;
	struct mxc_reaper r;
	int ret;

	mxc_reaper_init(&r);
	for (;;) {
		spin_lock(&ep->ch->lock);
		msg = list_first_entry_or_null(&ep->queue, struct mxc_message,
					       node);
		if (!msg) {
			ret = mxc_peer(ep)->closed ? -EPIPE : -EAGAIN;
			spin_unlock(&ep->ch->lock);
			goto out;
		}
		nb = msg->num_bytes;
		nh = msg->num_handles;
		too_small = nb > a->num_bytes || nh > a->num_handles;
		if (too_small || nh <= reserved)
			break;
		/* reserve table slots for the handles, then look again */
		spin_unlock(&ep->ch->lock);
		ret = mxc_table_reserve(t, values + reserved, nh - reserved);
		if (ret)
			goto out;
		reserved = nh;
	}
	if (!too_small || discard) {
		list_del(&msg->node);
		ep->queued--;
	}
	spin_unlock(&ep->ch->lock);

	if (too_small) {
		if (discard)
			mxc_message_destroy(msg, &r);
		ret = -EMSGSIZE;
		if (put_user(nb, &ua->actual_bytes) ||
		    put_user(nh, &ua->actual_handles))
			ret = -EINVAL;
		goto out;
	}

	if (copy_to_user(u64_to_user_ptr(a->bytes), mxc_message_data(msg), nb) ||
	    copy_to_user(u64_to_user_ptr(a->handles), values,
			 nh * sizeof(u32)) ||
	    put_user(nb, &ua->actual_bytes) ||
	    put_user(nh, &ua->actual_handles)) {
		mxc_channel_unread(ep, msg, &r);
		ret = -EINVAL;
		goto out;
	}
	mxc_table_publish(t, values, msg->handles, nh);
	mxc_message_free(msg);
	ret = 0;
out:
	if (ret == 0)
		mxc_table_unreserve(t, values + nh, reserved - nh);
	else
		mxc_table_unreserve(t, values, reserved);
	mxc_reaper_run(&r);
	return ret;
}
