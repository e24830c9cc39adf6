// SPDX-License-Identifier: GPL-2.0
/*
 * Events: Magenta's simplest object, a set of signals (SIGNALED and the
 * user signals) that object_signal changes and waits watch.
 */

#include <linux/slab.h>

#include "cookie.h"
#include "event.h"

#define MXC_DEFAULT_EVENT_RIGHTS					\
	(MXCHAN_RIGHT_DUPLICATE | MXCHAN_RIGHT_TRANSFER | MXCHAN_RIGHT_READ |	\
	 MXCHAN_RIGHT_WRITE | MXCHAN_RIGHT_SIGNAL)

struct mxc_event {
	struct mxc_object obj;
	struct mxc_cookie_jar jar;
	struct rcu_head rcu;
};

static void mxc_event_on_zero_handles(struct mxc_object *obj,
				      struct mxc_reaper *r)
{
}

static void mxc_event_release(struct mxc_object *obj)
{
	/* a lockless lookup may still be reading it (table.c) */
	kfree_rcu(container_of(obj, struct mxc_event, obj), rcu);
}

static struct mxc_cookie_jar *mxc_event_cookie_jar(struct mxc_object *obj)
{
	return &container_of(obj, struct mxc_event, obj)->jar;
}

static const struct mxc_object_ops mxc_event_ops = {
	.type = MXCHAN_OBJ_TYPE_EVENT,
	.user_signals = MXCHAN_SIGNAL_USER_ALL | MXCHAN_SIGNAL_SIGNALED,
	.peer = mxc_object_no_peer,
	.on_zero_handles = mxc_event_on_zero_handles,
	.release = mxc_event_release,
	.related_koid = mxc_object_no_related_koid,
	.cookie_jar = mxc_event_cookie_jar,
	.waitable = true,
};

/* Create an event; *hp is its handle, in no table yet. */
int mxc_event_create(struct mxc_handle **hp)
{
	struct mxc_event *ev;
	struct mxc_handle *h;

	ev = kzalloc(sizeof(*ev), GFP_KERNEL_ACCOUNT);
	h = mxc_handle_alloc();
	if (!ev || !h) {
		kfree(ev);
		if (h)
			mxc_handle_free(h);
		return -ENOMEM;
	}
	mxc_object_init(&ev->obj, &mxc_event_ops, 0);
	mxc_handle_init(h, &ev->obj, MXC_DEFAULT_EVENT_RIGHTS);
	mxc_object_put(&ev->obj);	/* the handle holds it now */
	*hp = h;
	return 0;
}
