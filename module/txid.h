/* SPDX-License-Identifier: GPL-2.0 */
/* Calls waiting at a channel end, by txid (txid.c); channel_call's (call.c). */
#ifndef _MXC_TXID_H
#define _MXC_TXID_H

#include <linux/list.h>
#include <linux/types.h>

struct mxc_endpoint;
struct mxc_handle;
struct mxc_message;
struct mxc_table;
struct mxc_txid;

struct mxc_call {
	struct list_head node;		/* on tx->waiting until answered */
	struct list_head parked;	/* on ep->parked while parked */
	struct mxc_endpoint *ep;	/* a ref on ep->obj */
	struct mxc_txid *tx;		/* held */
	const struct mxc_handle *h;	/* called through; compared only */
	const struct mxc_table *t;	/* h's table then; compared only */
	u32 value;			/* h's value */
	u32 txid;
	u32 id;				/* its entry in t->calls */
	bool registered;		/* counted in ep->calls, ch->lock */
	bool canceled;			/* its handle left, ch->lock */
	struct mxc_message *reply;	/* ch->lock */
	struct task_struct *task;	/* the caller while asleep, ch->lock */
};

u32 mxc_message_txid(struct mxc_message *msg);
struct mxc_call *mxc_call_find_locked(struct mxc_endpoint *ep,
				      struct mxc_message *msg);
void mxc_call_deliver_locked(struct mxc_call *call, struct mxc_message *msg);
void mxc_call_register_locked(struct mxc_endpoint *ep, struct mxc_call *call);
void mxc_call_handle_gone(struct mxc_endpoint *ep, const struct mxc_handle *h,
			  const struct mxc_table *t);
struct mxc_txid *mxc_txid_get(struct mxc_endpoint *ep, u32 txid);
void mxc_txid_put(struct mxc_endpoint *ep, struct mxc_txid *tx);
void mxc_txid_release(struct mxc_endpoint *ep);

#endif /* _MXC_TXID_H */
