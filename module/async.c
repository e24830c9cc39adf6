// SPDX-License-Identifier: GPL-2.0
/*
 * Async waits: object_wait_async, and port_cancel, which ends them.
 *
 * An async wait is an observer: a wait queue entry on the watched
 * object's wait queue, whose wake function runs with the object's wait
 * queue lock held on every signal change. Each observer owns one packet,
 * so it is queued at most once: a REPEATING observer whose packet is
 * still queued only updates the packet's observed signals. Observers go
 * at the head of the queue, so one change that fires several queues
 * their packets newest wait first, as Magenta's state tracker did.
 *
 * Every signal change walks the armed observers in the signaller's
 * context, so they are bounded: max_object_waits armed on one object
 * (object.c), max_user_waits alive for one user (user.c, charged to the
 * user of the table the wait was made in), max_port_observers alive on
 * one port.
 *
 * Locking: an async wait's state is guarded by its port's lock (port.c),
 * taken inside the watched object's wait queue lock:
 *   - armed: on the watched object's wait queue, on port->observers and
 *     on its handle's watch list; armed and disarmed with both locks
 *     held;
 *   - queued: its packet is on port->queue;
 *   - delivering: port_wait took its packet and is copying it out (and
 *     may put it back if that faults); a REPEATING packet can be queued
 *     and taken again meanwhile, so this is a count.
 * Whoever clears the last of the three frees the observer. Observers
 * hold a reference on the port and on the watched object, not a handle:
 * they keep no object from closing.
 *
 * An async wait belongs to the handle it was made through: armed, it is
 * on that handle's watch list, and its packet knows the handle by the
 * watch's id. The handle leaving its table (closed, sent, replaced) ends
 * its waits (a handle hook, object.h), as does port_cancel through it;
 * both walk only that list.
 */

#include <linux/poll.h>
#include <linux/slab.h>

#include "async.h"
#include "param.h"
#include "port.h"
#include "user.h"

struct mxc_observer {
	struct wait_queue_entry wqe;	/* on obj->wq while armed */
	struct list_head port_node;	/* on port->observers while armed */
	struct list_head handle_node;	/* on its handle's watch while armed */
	struct mxc_packet packet;
	struct mxc_port *port;		/* a ref */
	struct mxc_object *obj;		/* a ref */
	struct mxc_user *user;		/* charged for it; a ref */
	u64 watch_id;			/* of the handle it was made through */
	u32 trigger;
	u32 hidden;			/* LAST_HANDLE for NO_LAST_HANDLE, or 0 */
	u32 seen;			/* the object's signals at the last wake */
	bool once;
	bool canceled;			/* by port_cancel: never requeued */
	unsigned int delivering;	/* copies of its packet going out */
};

static atomic_long_t mxc_live_observers = ATOMIC_LONG_INIT(0);
static atomic64_t mxc_next_watch_id = ATOMIC64_INIT(1);

static bool mxc_observer_armed(struct mxc_observer *o)
{
	return !list_empty(&o->port_node);
}

/*
 * @o has just lost its last reason to live (armed, queued, delivering):
 * put it on @dead, to be freed once no lock is held.
 */
static void mxc_observer_retire_locked(struct mxc_observer *o,
				       struct list_head *dead)
{
	lockdep_assert_held(&o->port->obj.wq.lock);
	o->port->observers_alive--;
	list_add(&o->port_node, dead);
}

static bool mxc_observer_unused(struct mxc_observer *o)
{
	return !mxc_observer_armed(o) && !mxc_packet_queued(&o->packet) &&
	       !o->delivering;
}

/* Take @o off its object and its port; both locks are held. */
static void mxc_observer_disarm_locked(struct mxc_observer *o,
				       struct list_head *dead)
{
	lockdep_assert_held(&o->obj->wq.lock);
	lockdep_assert_held(&o->port->obj.wq.lock);
	list_del_init(&o->wqe.entry);
	mxc_object_del_wait_locked(o->obj);
	list_del_init(&o->port_node);
	list_del_init(&o->handle_node);
	if (mxc_observer_unused(o))
		mxc_observer_retire_locked(o, dead);
}

void mxc_observers_free(struct list_head *dead)
{
	struct mxc_observer *o, *tmp;

	list_for_each_entry_safe(o, tmp, dead, port_node) {
		mxc_user_uncharge_waits(o->user);
		mxc_user_put(o->user);
		mxc_object_put(o->obj);
		mxc_object_put(&o->port->obj);
		atomic_long_dec(&mxc_live_observers);
		kfree(o);
	}
}

/*
 * The watched object's signals are now @signals, one of which @o waits
 * for: queue its packet, or update it if it is queued already.
 */
static void mxc_observer_fire_locked(struct mxc_observer *o, u32 signals,
				     u64 count)
{
	struct mxc_packet *p = &o->packet;

	lockdep_assert_held(&o->obj->wq.lock);
	lockdep_assert_held(&o->port->obj.wq.lock);
	p->pkt.signal.observed = signals;
	if (!mxc_packet_queued(p)) {
		p->pkt.signal.count = count;
		mxc_port_put_locked(o->port, p, false);
	}
}

/*
 * The wake function of an armed observer: the object's lock is held (it
 * guards @seen). A change of hidden signals alone is no change to it.
 */
static int mxc_observer_wake(struct wait_queue_entry *wqe, unsigned int mode,
			     int sync, void *key)
{
	struct mxc_observer *o = container_of(wqe, struct mxc_observer, wqe);
	u32 signals = (__force u32)key_to_poll(key);
	struct mxc_port *port = o->port;
	u32 changed = signals ^ o->seen;
	LIST_HEAD(dead);

	lockdep_assert_held(&o->obj->wq.lock);
	o->seen = signals;
	if (!(signals & o->trigger) || (o->hidden && !(changed & ~o->hidden)))
		return 0;
	mxc_port_lock(port);
	/* a dead port disarms its observers itself; leave it alone */
	if (!port->dead) {
		mxc_observer_fire_locked(o, signals & ~o->hidden, 1);
		/* queued, so not retired: removing our own entry is safe */
		if (o->once)
			mxc_observer_disarm_locked(o, &dead);
	}
	mxc_port_unlock(port);
	WARN_ON_ONCE(!list_empty(&dead));
	return 0;
}

/*
 * @h leaves its table: end the async waits made through it. The caller
 * may hold the table lock (and a channel lock); freeing the observers
 * there is safe: @h still holds the watched object, and a put that
 * frees a port only kfree_rcu()s it.
 */
static void mxc_async_handle_left(struct mxc_handle *h)
{
	struct mxc_object *obj = h->obj;
	struct mxc_observer *o, *tmp;
	LIST_HEAD(dead);

	if (!h->watch)
		return;
	spin_lock(&obj->wq.lock);
	list_for_each_entry_safe(o, tmp, &h->watch->observers, handle_node) {
		mxc_port_lock(o->port);
		mxc_observer_disarm_locked(o, &dead);
		mxc_port_unlock(o->port);
	}
	spin_unlock(&obj->wq.lock);
	mxc_observers_free(&dead);
}

static struct mxc_handle_hook mxc_async_hook = {
	.left = mxc_async_handle_left,
};

void mxc_async_init(void)
{
	mxc_handle_hook_add(&mxc_async_hook);
}

/* port_wait took @o's packet: it is delivering until it is given back. */
void mxc_observer_taken_locked(struct mxc_observer *o)
{
	lockdep_assert_held(&o->port->obj.wq.lock);
	o->delivering++;
}

/*
 * The copy out of @o's packet is over: it goes back first if the copy
 * failed and the port @keep's it, unless a newer one is queued or the
 * wait was canceled; else @o may be done.
 */
void mxc_observer_delivered_locked(struct mxc_observer *o, bool keep,
				   struct list_head *dead)
{
	lockdep_assert_held(&o->port->obj.wq.lock);
	o->delivering--;
	if (keep && !o->canceled && !mxc_packet_queued(&o->packet))
		mxc_port_put_locked(o->port, &o->packet, true);
	else if (mxc_observer_unused(o))
		mxc_observer_retire_locked(o, dead);
}

/* A dead port dropped @o's packet from its queue. */
void mxc_observer_dropped_locked(struct mxc_observer *o,
				 struct list_head *dead)
{
	lockdep_assert_held(&o->port->obj.wq.lock);
	if (mxc_observer_unused(o))
		mxc_observer_retire_locked(o, dead);
}

/*
 * @port is dead: disarm its observers. Observers are disarmed under their
 * object's lock, which nests outside the port lock, so each is looked up
 * again once both are held; none is added to a dead port, so one still
 * first is the same.
 */
void mxc_observers_port_dead(struct mxc_port *port, struct list_head *dead)
{
	struct mxc_observer *o;

	for (;;) {
		struct mxc_object *watched;

		mxc_port_lock(port);
		o = list_first_entry_or_null(&port->observers,
					     struct mxc_observer, port_node);
		if (!o) {
			mxc_port_unlock(port);
			break;
		}
		watched = o->obj;
		kref_get(&watched->ref);
		mxc_port_unlock(port);

		spin_lock(&watched->wq.lock);
		mxc_port_lock(port);
		if (list_first_entry_or_null(&port->observers,
					     struct mxc_observer,
					     port_node) == o)
			mxc_observer_disarm_locked(o, dead);
		mxc_port_unlock(port);
		spin_unlock(&watched->wq.lock);
		mxc_object_put(watched);
		cond_resched();
	}
}

long mxc_async_waits(void)
{
	return atomic_long_read(&mxc_live_observers);
}

/*
 * Magenta's order: the port (WRITE), then the handle (READ, waitable),
 * then the options; then the limits: ENOMEM (the port's), EMFILE (the
 * user's, or the object's). A packet is queued at once if a watched
 * signal is set; its count is then the number of queued messages for
 * READABLE.
 */
int mxc_wait_async(struct mxc_table *t, u32 value, u32 port_value, u64 key,
		   u32 signals, u32 options)
{
	struct mxc_user *u = READ_ONCE(t->user);
	struct mxc_watch *watch = NULL;
	struct mxc_object *pobj, *obj;
	struct mxc_observer *o;
	struct mxc_port *port;
	struct mxc_handle *h;
	u64 count = 1;
	u32 now, mode;
	bool arm;
	int ret;

	ret = mxc_table_get(t, port_value, MXCHAN_RIGHT_WRITE,
			    MXCHAN_OBJ_TYPE_PORT, &pobj, NULL);
	if (ret)
		return ret;
	port = to_port(pobj);
	o = kzalloc(sizeof(*o), GFP_KERNEL_ACCOUNT);

again:
	mxc_table_lock(t);
	ret = mxc_table_check_locked(t, value, MXCHAN_RIGHT_READ,
				     MXC_TYPE_WAITABLE, &h);
	mode = options & ~MXCHAN_WAIT_ASYNC_NO_LAST_HANDLE;
	if (!ret && mode != MXCHAN_WAIT_ASYNC_ONCE &&
	    mode != MXCHAN_WAIT_ASYNC_REPEATING)
		ret = -EINVAL;
	else if (!ret && !o)
		ret = -ENOMEM;
	if (ret)
		goto out_unlock;
	if (!h->watch) {
		/* the handle's first async wait: allocate, then look again */
		if (!watch) {
			mxc_table_unlock(t);
			watch = kmalloc(sizeof(*watch), GFP_KERNEL_ACCOUNT);
			if (!watch) {
				ret = -ENOMEM;
				goto out_free;
			}
			goto again;
		}
		watch->id = atomic64_inc_return(&mxc_next_watch_id);
		INIT_LIST_HEAD(&watch->observers);
		h->watch = watch;
		watch = NULL;
	}

	obj = h->obj;
	init_waitqueue_func_entry(&o->wqe, mxc_observer_wake);
	INIT_LIST_HEAD(&o->port_node);
	INIT_LIST_HEAD(&o->handle_node);
	INIT_LIST_HEAD(&o->packet.node);
	o->packet.observer = o;
	o->packet.pkt.key = key;
	o->packet.pkt.type = mode == MXCHAN_WAIT_ASYNC_ONCE ?
			     MXCHAN_PKT_TYPE_SIGNAL_ONE :
			     MXCHAN_PKT_TYPE_SIGNAL_REP;
	if (options & MXCHAN_WAIT_ASYNC_NO_LAST_HANDLE)
		o->hidden = MXCHAN_SIGNAL_LAST_HANDLE;
	signals &= ~o->hidden;
	o->packet.pkt.signal.trigger = signals;
	o->watch_id = h->watch->id;
	o->trigger = signals;
	o->once = mode == MXCHAN_WAIT_ASYNC_ONCE;

	spin_lock(&obj->wq.lock);
	mxc_port_lock(port);
	if (port->dead) {
		/* closed since we looked: as if it closed right after */
		mxc_port_unlock(port);
		spin_unlock(&obj->wq.lock);
		goto out_unlock;
	}
	now = obj->signals;
	o->seen = now;
	/* a ONCE wait whose signal is set fires now and is never armed */
	arm = !(o->once && (now & signals));
	if (port->observers_alive >= READ_ONCE(mxc_max_port_observers)) {
		ret = -ENOMEM;
	} else if (mxc_user_charge_waits(u)) {
		ret = -EMFILE;
	} else if (arm && !mxc_object_add_wait_locked(obj)) {
		mxc_user_uncharge_waits(u);
		ret = -EMFILE;
	}
	if (ret) {
		mxc_port_unlock(port);
		spin_unlock(&obj->wq.lock);
		goto out_unlock;
	}
	port->observers_alive++;
	atomic_long_inc(&mxc_live_observers);
	kref_get(&obj->ref);
	o->obj = obj;
	o->port = port;		/* takes over our reference */
	mxc_user_hold(u);
	o->user = u;
	if (now & signals) {
		if ((signals & MXCHAN_SIGNAL_READABLE) &&
		    obj->ops->readable_count)
			count = obj->ops->readable_count(obj) ?: 1;
		mxc_observer_fire_locked(o, now & ~o->hidden, count);
	}
	if (arm) {
		/* at the head: newest first, as Magenta fires them */
		__add_wait_queue(&obj->wq, &o->wqe);
		list_add_tail(&o->port_node, &port->observers);
		list_add_tail(&o->handle_node, &h->watch->observers);
	}
	mxc_port_unlock(port);
	spin_unlock(&obj->wq.lock);
	o = NULL;
	pobj = NULL;

out_unlock:
	mxc_table_unlock(t);
out_free:
	kfree(watch);
	kfree(o);
	if (pobj)
		mxc_object_put(pobj);
	return ret;
}

/*
 * End the async waits made through handle @source for @key on the port,
 * armed or with a packet queued. Magenta's order: the port (WRITE), then
 * the source (READ, waitable).
 */
int mxc_port_cancel(struct mxc_table *t, u32 value, u32 source, u64 key)
{
	struct mxc_observer *o, *otmp;
	struct mxc_packet *p, *ptmp;
	struct mxc_object *pobj, *obj;
	struct mxc_port *port;
	struct mxc_handle *h;
	bool found = false;
	LIST_HEAD(dead);
	int ret;

	ret = mxc_table_get(t, value, MXCHAN_RIGHT_WRITE,
			    MXCHAN_OBJ_TYPE_PORT, &pobj, NULL);
	if (ret)
		return ret;
	port = to_port(pobj);

	mxc_table_lock(t);
	ret = mxc_table_check_locked(t, source, MXCHAN_RIGHT_READ,
				     MXC_TYPE_WAITABLE, &h);
	if (ret || !h->watch)
		goto out_unlock;

	obj = h->obj;
	spin_lock(&obj->wq.lock);
	mxc_port_lock(port);
	list_for_each_entry_safe(o, otmp, &h->watch->observers, handle_node) {
		if (o->port != port || o->packet.pkt.key != key)
			continue;
		o->canceled = true;
		found = true;
		mxc_observer_disarm_locked(o, &dead);
	}
	list_for_each_entry_safe(p, ptmp, &port->queue, node) {
		o = p->observer;
		if (!o || o->watch_id != h->watch->id || p->pkt.key != key)
			continue;
		o->canceled = true;
		found = true;
		mxc_port_unqueue_locked(port, p);
		if (mxc_observer_unused(o))
			mxc_observer_retire_locked(o, &dead);
	}
	mxc_port_unlock(port);
	spin_unlock(&obj->wq.lock);

out_unlock:
	mxc_table_unlock(t);
	mxc_observers_free(&dead);
	mxc_object_put(pobj);
	if (!ret && !found)
		ret = -ENOENT;
	return ret;
}
