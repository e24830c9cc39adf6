/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Channel internals shared by channel.c and call.c. The locking rules are
 * at the top of channel.c.
 */
#ifndef _MXCHAN_CHANNEL_H
#define _MXCHAN_CHANNEL_H

#include <linux/llist.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/seqlock.h>

#include "mxchan.h"

struct mxc_channel;
struct mxc_endpoint;

/*
 * An endpoint's part in cycle collection; the rules are at the top of
 * gc.c. An endpoint has exactly one handle: @holder is the endpoint whose
 * queue holds it inside a message, NULL anywhere else (a table, an ioctl,
 * a reader's or a call's hands, a reaper's list).
 */
struct mxc_gc_node {
	struct mxc_endpoint *holder;	/* written inside seq's write side */
	seqcount_t seq;			/* bumped by every change of holder */
	atomic_t readers;		/* channel_reads running on it */
	unsigned long flags;		/* MXC_GC_QUEUED: on the suspects */
	struct llist_node suspect;	/* on the list of suspects */
	/* the collector's own, under its mutex */
	struct list_head batch;		/* on the backlog, or a pass's batch */
	struct list_head path;		/* on the running walk */
	u64 pass;			/* last pass that walked it */
	unsigned int snap;		/* seq when its holder was read */
	bool on_path;
};

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
	u32 queued;			/* queue and reading, ch->lock */
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

static inline struct mxc_endpoint *mxc_peer(struct mxc_endpoint *ep)
{
	struct mxc_channel *ch = ep->ch;

	return ep == &ch->ep[0] ? &ch->ep[1] : &ch->ep[0];
}

/* call.c: a message for a waiting caller goes to it, not to the queue. */
struct mxc_call *mxc_call_find_locked(struct mxc_endpoint *ep,
				      struct mxc_message *msg);
void mxc_call_deliver_locked(struct mxc_call *call, struct mxc_message *msg);
void mxc_call_register_locked(struct mxc_endpoint *ep, struct mxc_call *call);
void mxc_call_handle_gone(struct mxc_endpoint *ep);
void mxc_txid_release(struct mxc_endpoint *ep);

/* channel.c */
void mxc_endpoint_purge(struct mxc_endpoint *ep, struct mxc_reaper *r);

/* gc.c */
void mxc_gc_init_endpoint(struct mxc_endpoint *ep);
bool mxc_gc_queued_locked(struct mxc_endpoint *holder,
			  struct mxc_message *msg);
void mxc_gc_dequeued(struct mxc_message *msg);
void mxc_gc_reader_enter(struct mxc_endpoint *ep);
void mxc_gc_reader_exit(struct mxc_endpoint *ep);

#endif /* _MXCHAN_CHANNEL_H */
