/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Channels (channel.c): two endpoints and their queues; the endpoint is
 * shared with the calls waiting on it (call.c) and the cycle collector
 * (gc.c). The locking rules are at the top of channel.c.
 */
#ifndef _MXC_CHANNEL_H
#define _MXC_CHANNEL_H

#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/xarray.h>

#include "gc.h"
#include "message.h"
#include "table.h"

struct mxc_channel;
struct mxc_endpoint;

struct mxc_endpoint {
	struct mxc_object obj;
	struct mxc_channel *ch;
	struct mutex read_lock;		/* one reader at a time */
	struct list_head queue;		/* messages to read here, ch->lock */
	struct mxc_message *reading;	/* taken off by a reader, ch->lock */
	struct xarray txids;		/* calls waiting here, by txid (call.c) */
	struct list_head txid_idle;	/* txids no call holds, txids' lock */
	u32 txid_nidle;			/* how many, txids' lock */
	/* calls parked through its handle (call.c): table lock + ch->lock */
	struct list_head parked;
	/* sent from this table, whose calls parked here end soon (call.c) */
	const struct mxc_table *stale;
	u32 queued;			/* queue and reading, ch->lock */
	u32 queued_handles;		/* the handles they carry, ch->lock */
	u64 queued_bytes;		/* and their bytes, ch->lock */
	struct mxc_spares spares;	/* memory for the next messages */
	u32 calls;			/* calls registered here, ch->lock */
	bool closed;			/* no handles left, ch->lock */
	/* who pays for what is queued here (user.c): a ref, swapped */
	struct mxc_user __rcu *owner;
	struct mxc_gc_node gc;
};

struct mxc_channel {
	spinlock_t lock;		/* both endpoints; see the top of file */
	refcount_t ref;			/* endpoint objects alive */
	struct rcu_head rcu;		/* freed after a grace period (gc.c) */
	struct mxc_endpoint ep[2];
};

static inline struct mxc_endpoint *to_endpoint(struct mxc_object *obj)
{
	return container_of(obj, struct mxc_endpoint, obj);
}

/*
 * @msg joins what waits to be read at @ep (the queue, or the reader's
 * hands): true if nothing was waiting, so READABLE goes up.
 */
static inline bool mxc_queue_in(struct mxc_endpoint *ep,
				const struct mxc_message *msg)
{
	lockdep_assert_held(&ep->ch->lock);
	ep->queued_bytes += msg->num_bytes;
	ep->queued_handles += msg->num_handles;
	return !ep->queued++;
}

/* @msg leaves it: true if nothing waits now, so READABLE goes down. */
static inline bool mxc_queue_out(struct mxc_endpoint *ep,
				 const struct mxc_message *msg)
{
	lockdep_assert_held(&ep->ch->lock);
	ep->queued_bytes -= msg->num_bytes;
	ep->queued_handles -= msg->num_handles;
	return !--ep->queued;
}

static inline struct mxc_endpoint *mxc_peer(struct mxc_endpoint *ep)
{
	struct mxc_channel *ch = ep->ch;

	return ep == &ch->ep[0] ? &ch->ep[1] : &ch->ep[0];
}

/* Where a write through @obj finds memory for its message. */
static inline struct mxc_spares *mxc_channel_spare(struct mxc_object *obj)
{
	return &mxc_peer(to_endpoint(obj))->spares;
}

/* channel.c */
int mxc_channel_create(struct mxc_user *u, struct mxc_handle **h0,
		       struct mxc_handle **h1);
struct mxc_call;
int mxc_channel_write(struct mxc_table *t, struct mxc_object *obj,
		      struct mxc_message *msg, struct mxc_call *call);
int mxc_channel_get_reader(struct mxc_table *t, u32 value,
			   struct mxc_object **objp);
void mxc_channel_put_reader(struct mxc_object *obj);

/* What is queued at an endpoint, for debugfs; takes the channel lock. */
struct mxc_queue_stats {
	u32 messages;
	u32 handles;
	u64 bytes;
};

void mxc_channel_stats(struct mxc_object *obj, struct mxc_queue_stats *in,
		       struct mxc_queue_stats *out, bool *peer_closed);
/* The handles in messages waiting at an endpoint, for debugfs. */
u32 mxc_channel_carried(struct mxc_object *obj,
			bool (*fn)(void *arg, struct mxc_handle *h), void *arg,
			u32 budget, bool *cut);
int mxc_channel_read(struct mxc_table *t, struct mxc_object *obj,
		     const struct mxchan_channel_read *args);

#endif /* _MXC_CHANNEL_H */
