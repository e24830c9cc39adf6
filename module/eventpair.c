// SPDX-License-Identifier: GPL-2.0
/*
 * Event pairs: two events joined like a channel's ends. Each can signal
 * itself or its peer; when one side's last handle goes, the other sees
 * PEER_CLOSED, and loses its cookie.
 *
 * Locking: pair->lock guards the closed flags; a side's wait queue lock
 * nests inside it.
 */

#include <linux/err.h>
#include <linux/refcount.h>
#include <linux/slab.h>

#include "cookie.h"
#include "eventpair.h"

#define MXC_DEFAULT_EVENTPAIR_RIGHTS					\
	(MXCHAN_RIGHT_DUPLICATE | MXCHAN_RIGHT_TRANSFER | MXCHAN_RIGHT_READ |	\
	 MXCHAN_RIGHT_WRITE | MXCHAN_RIGHT_SIGNAL | MXCHAN_RIGHT_SIGNAL_PEER)

struct mxc_eventpair;

struct mxc_eventpair_side {
	struct mxc_object obj;
	struct mxc_eventpair *pair;
	struct mxc_cookie_jar jar;
	bool closed;			/* no handles left, pair->lock */
};

struct mxc_eventpair {
	spinlock_t lock;		/* both sides' closed flags */
	refcount_t ref;			/* side objects alive */
	struct rcu_head rcu;
	struct mxc_eventpair_side side[2];
};

static inline struct mxc_eventpair_side *to_side(struct mxc_object *obj)
{
	return container_of(obj, struct mxc_eventpair_side, obj);
}

static inline struct mxc_eventpair_side *
mxc_other_side(struct mxc_eventpair_side *s)
{
	struct mxc_eventpair *p = s->pair;

	return s == &p->side[0] ? &p->side[1] : &p->side[0];
}

static void mxc_eventpair_on_zero_handles(struct mxc_object *obj,
					  struct mxc_reaper *r)
{
	struct mxc_eventpair_side *s = to_side(obj);

	spin_lock(&s->pair->lock);
	s->closed = true;
	mxc_cookie_invalidate(&mxc_other_side(s)->obj);
	mxc_object_signal(&mxc_other_side(s)->obj, 0,
			  MXCHAN_SIGNAL_PEER_CLOSED);
	spin_unlock(&s->pair->lock);
}

static void mxc_eventpair_release(struct mxc_object *obj)
{
	struct mxc_eventpair *p = to_side(obj)->pair;

	/* a lockless lookup may still be reading it (table.c) */
	if (refcount_dec_and_test(&p->ref))
		kfree_rcu(p, rcu);
}

static u64 mxc_eventpair_related_koid(struct mxc_object *obj)
{
	return mxc_other_side(to_side(obj))->obj.koid;
}

static struct mxc_object *mxc_eventpair_peer(struct mxc_object *obj)
{
	struct mxc_eventpair_side *other = mxc_other_side(to_side(obj));
	struct mxc_object *ret = NULL;

	spin_lock(&other->pair->lock);
	if (!other->closed) {
		ret = &other->obj;
		kref_get(&ret->ref);
	}
	spin_unlock(&other->pair->lock);
	return ret;
}

static struct mxc_cookie_jar *mxc_eventpair_cookie_jar(struct mxc_object *obj)
{
	return &to_side(obj)->jar;
}

static const struct mxc_object_ops mxc_eventpair_ops = {
	.type = MXCHAN_OBJ_TYPE_EVENT_PAIR,
	.user_signals = MXCHAN_SIGNAL_USER_ALL | MXCHAN_SIGNAL_SIGNALED,
	.peer = mxc_eventpair_peer,
	.on_zero_handles = mxc_eventpair_on_zero_handles,
	.release = mxc_eventpair_release,
	.related_koid = mxc_eventpair_related_koid,
	.cookie_jar = mxc_eventpair_cookie_jar,
	.waitable = true,
};

/* Create an event pair; *h0 and *h1 are its handles, in no table yet. */
int mxc_eventpair_create(struct mxc_handle **h0, struct mxc_handle **h1)
{
	struct mxc_handle *hs[2];
	struct mxc_eventpair *p;
	int i;

	p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	hs[0] = mxc_handle_alloc();
	hs[1] = mxc_handle_alloc();
	if (!p || !hs[0] || !hs[1]) {
		kfree(p);
		if (hs[0])
			mxc_handle_free(hs[0]);
		if (hs[1])
			mxc_handle_free(hs[1]);
		return -ENOMEM;
	}
	spin_lock_init(&p->lock);
	refcount_set(&p->ref, 2);
	for (i = 0; i < 2; i++) {
		p->side[i].pair = p;
		mxc_object_init(&p->side[i].obj, &mxc_eventpair_ops, 0);
		mxc_handle_init(hs[i], &p->side[i].obj,
				MXC_DEFAULT_EVENTPAIR_RIGHTS);
		mxc_object_put(&p->side[i].obj);	/* the handle holds it */
	}
	*h0 = hs[0];
	*h1 = hs[1];
	return 0;
}
