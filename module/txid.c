// SPDX-License-Identifier: GPL-2.0
/*
 * Calls waiting at a channel end, found by txid: what a write to the end
 * asks before it queues a message (channel.c), and what channel_call
 * registers on (call.c).
 *
 * ep->txids maps a txid to a struct mxc_txid, whose list holds that
 * txid's waiting calls, oldest first; a message whose txid (its first 4
 * bytes; 0 for shorter messages) has a waiting call goes to the oldest
 * such call instead of the queue. The lookup is O(1), whatever else waits
 * there: a writer's cost does not grow with what the reader has parked.
 *
 * Locking: ch->lock guards the txid lists, ep->calls, call->reply,
 * call->task and call->canceled. A struct mxc_txid's count of calls
 * holding it is guarded by the txids XArray's own lock, which nests
 * inside ch->lock; it is erased with both held, so a lookup under
 * ch->lock never sees it freed.
 */

#include <linux/sched.h>
#include <linux/slab.h>

#include "channel.h"
#include "txid.h"

/*
 * The calls on one endpoint that wait for one txid. One that no call
 * holds stays a while, on the endpoint's idle list (at most
 * MXC_TXID_IDLE), so that a caller's next txids find their XArray nodes
 * there: erasing every entry as its call ends would free and make a node
 * for nearly every call.
 */
struct mxc_txid {
	struct list_head waiting;	/* oldest first, ch->lock */
	struct list_head idle;		/* on ep->txid_idle, txids' lock */
	u32 txid;
	u32 holders;			/* calls holding it, txids' lock */
};

#define MXC_TXID_IDLE		64

u32 mxc_message_txid(struct mxc_message *msg)
{
	u32 txid = 0;

	if (msg->num_bytes < sizeof(txid))
		return 0;
	/* pages from GFP_KERNEL: never highmem */
	memcpy(&txid, msg->npages ? page_address(mxc_message_pages(msg)[0]) :
		      mxc_message_data(msg), sizeof(txid));
	return txid;
}

/* The oldest call on @ep waiting for @msg's txid, or NULL. */
struct mxc_call *mxc_call_find_locked(struct mxc_endpoint *ep,
				      struct mxc_message *msg)
{
	const struct mxc_table *stale;
	struct mxc_call *call;
	struct mxc_txid *tx;

	lockdep_assert_held(&ep->ch->lock);
	if (!ep->calls)
		return NULL;
	tx = xa_load(&ep->txids, mxc_message_txid(msg));
	if (!tx)
		return NULL;
	stale = READ_ONCE(ep->stale);
	if (likely(!stale))
		return list_first_entry_or_null(&tx->waiting, struct mxc_call,
						node);
	/* the end was sent from @stale: its calls parked there are over */
	list_for_each_entry(call, &tx->waiting, node)
		if (call->t != stale || list_empty(&call->parked))
			return call;
	return NULL;
}

void mxc_call_deliver_locked(struct mxc_call *call, struct mxc_message *msg)
{
	lockdep_assert_held(&call->ep->ch->lock);
	list_del_init(&call->node);
	call->reply = msg;
	if (call->task)
		wake_up_process(call->task);
}

/* The request goes out: @call waits on @ep from now on. */
void mxc_call_register_locked(struct mxc_endpoint *ep, struct mxc_call *call)
{
	lockdep_assert_held(&ep->ch->lock);
	list_add_tail(&call->node, &call->tx->waiting);
	ep->calls++;
	call->registered = true;
}

/*
 * @ep's handle @h left its slot in @t: the calls parked through it there
 * end (the top of this file). None parks there from now on: parking
 * checks the slot under the table lock, which the handle's leaving held.
 * Calls parked through @h since, in the table it went to, are not ours.
 */
void mxc_call_handle_gone(struct mxc_endpoint *ep, const struct mxc_handle *h,
			  const struct mxc_table *t)
{
	struct mxc_call *call, *tmp;

	if (list_empty(&ep->parked) && !READ_ONCE(ep->stale))
		return;
	spin_lock(&ep->ch->lock);
	if (ep->stale == t)
		WRITE_ONCE(ep->stale, NULL);
	list_for_each_entry_safe(call, tmp, &ep->parked, parked) {
		if (call->h != h || call->t != t)
			continue;
		list_del_init(&call->parked);
		call->canceled = true;
		if (call->reply)
			continue;	/* its room holds the reply */
		list_del_init(&call->node);
		if (call->registered) {
			ep->calls--;
			call->registered = false;
		}
	}
	spin_unlock(&ep->ch->lock);
}

/* Hold @txid's entry on @ep for a call, making it if need be. */
struct mxc_txid *mxc_txid_get(struct mxc_endpoint *ep, u32 txid)
{
	struct mxc_txid *tx, *new = NULL;
	int ret;

	xa_lock(&ep->txids);
	for (;;) {
		tx = xa_load(&ep->txids, txid);
		if (tx || new)
			break;
		xa_unlock(&ep->txids);
		new = kmalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
		if (!new)
			return NULL;
		INIT_LIST_HEAD(&new->waiting);
		INIT_LIST_HEAD(&new->idle);
		new->txid = txid;
		new->holders = 0;
		xa_lock(&ep->txids);
	}
	if (!tx) {
		/* may drop the lock to allocate; -EBUSY if one came meanwhile */
		ret = __xa_insert(&ep->txids, txid, new, GFP_KERNEL_ACCOUNT);
		if (ret && ret != -EBUSY) {
			xa_unlock(&ep->txids);
			kfree(new);
			return NULL;
		}
		if (ret) {
			tx = xa_load(&ep->txids, txid);
		} else {
			tx = new;
			new = NULL;
		}
	}
	if (!tx->holders++ && !list_empty(&tx->idle)) {
		list_del_init(&tx->idle);
		ep->txid_nidle--;
	}
	xa_unlock(&ep->txids);
	kfree(new);
	return tx;
}

/*
 * No call holds @tx any more: it waits on the idle list, and the oldest
 * idle one goes (erased with ch->lock held, so no lookup sees it freed).
 */
void mxc_txid_put(struct mxc_endpoint *ep, struct mxc_txid *tx)
{
	struct mxc_txid *old = NULL;

	spin_lock(&ep->ch->lock);
	xa_lock(&ep->txids);
	if (!--tx->holders) {
		list_add_tail(&tx->idle, &ep->txid_idle);
		if (++ep->txid_nidle > MXC_TXID_IDLE) {
			old = list_first_entry(&ep->txid_idle, struct mxc_txid,
					       idle);
			list_del(&old->idle);
			ep->txid_nidle--;
			__xa_erase(&ep->txids, old->txid);
		}
	}
	xa_unlock(&ep->txids);
	spin_unlock(&ep->ch->lock);
	kfree(old);
}

/* The endpoint goes: its idle txids with it (no call holds one). */
void mxc_txid_release(struct mxc_endpoint *ep)
{
	struct mxc_txid *tx, *tmp;

	list_for_each_entry_safe(tx, tmp, &ep->txid_idle, idle) {
		xa_erase(&ep->txids, tx->txid);
		kfree(tx);
	}
	ep->txid_nidle = 0;
	INIT_LIST_HEAD(&ep->txid_idle);
}
