/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Channel internals shared by channel.c and call.c. The locking rules are
 * at the top of channel.c.
 */
#ifndef _MXCHAN_CHANNEL_H
#define _MXCHAN_CHANNEL_H

#include <linux/mutex.h>
#include <linux/refcount.h>

#include "mxchan.h"

struct mxc_channel;

struct mxc_endpoint {
	struct mxc_object obj;
	struct mxc_channel *ch;
	struct mutex read_lock;		/* readers of queue, and closing */
	struct list_head queue;		/* messages to read here, ch->lock */
	struct list_head calls;		/* callers awaiting replies, ch->lock */
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
	struct mxc_channel *ch = ep->ch;

	return ep == &ch->ep[0] ? &ch->ep[1] : &ch->ep[0];
}

/* call.c: a message for a waiting caller goes to it, not to the queue. */
bool mxc_call_wants_locked(struct mxc_endpoint *ep, struct mxc_message *msg);
bool mxc_call_deliver_locked(struct mxc_endpoint *ep, struct mxc_message *msg);

#endif /* _MXCHAN_CHANNEL_H */
