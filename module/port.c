// SPDX-License-Identifier: GPL-2.0
/*
 * Ports: queues of packets. USER packets come from port_queue; SIGNAL
 * packets from async waits (object_wait_async), which watch an object
 * and queue their packet when a signal they watch for is set.
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
 * Locking. The port lock is the port object's own wait queue lock (which
 * also guards its signals, like every object's), in a lock class of its
 * own. It nests inside any watched object's wait queue lock, never the
 * other way round: ports are not waitable, so no observer watches a port.
 * The port lock guards the queue, the list of armed observers, the dead
 * flag, the counts, and each observer's state:
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
 * its waits, as does port_cancel through it; both walk only that list.
 * Closing the port's last handle drains the queue and disarms every
 * observer.
 */

#include <linux/hrtimer.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "param.h"
#include "port.h"
#include "user.h"
#include "wait.h"

#define MXC_DEFAULT_PORT_RIGHTS						\
	(MXCHAN_RIGHT_DUPLICATE | MXCHAN_RIGHT_TRANSFER | MXCHAN_RIGHT_READ |	\
	 MXCHAN_RIGHT_WRITE)

struct mxc_port {
	struct mxc_object obj;		/* obj.wq.lock is the port lock */
	struct list_head queue;		/* struct mxc_packet, oldest first */
	struct list_head observers;	/* armed struct mxc_observer */
	u32 user_packets;		/* USER packets alive */
	u32 observers_alive;		/* struct mxc_observer alive */
	bool dead;			/* no handles left */
	struct rcu_head rcu;
};

struct mxc_packet {
	struct list_head node;		/* on port->queue while queued */
	struct mxc_observer *observer;	/* NULL for a USER packet */
	struct mxchan_port_packet pkt;
};

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
	bool once;
	bool canceled;			/* by port_cancel: never requeued */
	unsigned int delivering;	/* copies of its packet going out */
};

static struct lock_class_key mxc_port_lock_key;
static atomic_long_t mxc_live_packets = ATOMIC_LONG_INIT(0);
static atomic_long_t mxc_live_observers = ATOMIC_LONG_INIT(0);
static atomic64_t mxc_next_watch_id = ATOMIC64_INIT(1);

static inline struct mxc_port *to_port(struct mxc_object *obj)
{
	return container_of(obj, struct mxc_port, obj);
}

static void mxc_port_lock(struct mxc_port *port)
	__acquires(&port->obj.wq.lock)
{
	spin_lock(&port->obj.wq.lock);
}

static void mxc_port_unlock(struct mxc_port *port)
	__releases(&port->obj.wq.lock)
{
	spin_unlock(&port->obj.wq.lock);
}

static bool mxc_observer_armed(struct mxc_observer *o)
{
	return !list_empty(&o->port_node);
}

static bool mxc_packet_queued(struct mxc_packet *p)
{
	return !list_empty(&p->node);
}

/*
 * Queue @p and wake one packet waiter and every signal fd (those sit
 * before the exclusive packet waiters): a packet is an event for an
 * edge-triggered epoll too.
 */
static void mxc_port_put_locked(struct mxc_port *port, struct mxc_packet *p,
				bool first)
{
	lockdep_assert_held(&port->obj.wq.lock);
	if (first)
		list_add(&p->node, &port->queue);
	else
		list_add_tail(&p->node, &port->queue);
	port->obj.signals |= MXCHAN_SIGNAL_PORT_READABLE;
	wake_up_locked_poll(&port->obj.wq, (__force __poll_t)port->obj.signals);
}

static void mxc_port_unqueue_locked(struct mxc_port *port,
				    struct mxc_packet *p)
{
	lockdep_assert_held(&port->obj.wq.lock);
	list_del_init(&p->node);
	if (list_empty(&port->queue))
		mxc_object_signal_locked(&port->obj,
					 MXCHAN_SIGNAL_PORT_READABLE, 0);
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

static void mxc_observers_free(struct list_head *dead)
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

/* The wake function of an armed observer: the object's lock is held. */
static int mxc_observer_wake(struct wait_queue_entry *wqe, unsigned int mode,
			     int sync, void *key)
{
	struct mxc_observer *o = container_of(wqe, struct mxc_observer, wqe);
	u32 signals = (__force u32)key_to_poll(key);
	struct mxc_port *port = o->port;
	LIST_HEAD(dead);

	if (!(signals & o->trigger))
		return 0;
	mxc_port_lock(port);
	/* a dead port disarms its observers itself; leave it alone */
	if (!port->dead) {
		mxc_observer_fire_locked(o, signals, 1);
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
static void mxc_port_handle_left(struct mxc_handle *h)
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

static struct mxc_handle_hook mxc_port_hook = {
	.left = mxc_port_handle_left,
};

void mxc_port_init(void)
{
	mxc_handle_hook_add(&mxc_port_hook);
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
	bool arm;
	u32 now;
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
	if (!ret && options != MXCHAN_WAIT_ASYNC_ONCE &&
	    options != MXCHAN_WAIT_ASYNC_REPEATING)
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
	o->packet.pkt.type = options == MXCHAN_WAIT_ASYNC_ONCE ?
			     MXCHAN_PKT_TYPE_SIGNAL_ONE :
			     MXCHAN_PKT_TYPE_SIGNAL_REP;
	o->packet.pkt.signal.trigger = signals;
	o->watch_id = h->watch->id;
	o->trigger = signals;
	o->once = options == MXCHAN_WAIT_ASYNC_ONCE;

	spin_lock(&obj->wq.lock);
	mxc_port_lock(port);
	if (port->dead) {
		/* closed since we looked: as if it closed right after */
		mxc_port_unlock(port);
		spin_unlock(&obj->wq.lock);
		goto out_unlock;
	}
	now = obj->signals;
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
		mxc_observer_fire_locked(o, now, count);
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

/* Magenta's order: the port (WRITE), the packet, then the limit. */
int mxc_port_queue(struct mxc_table *t, u32 value,
		   const struct mxchan_port_packet __user *upkt)
{
	struct mxc_object *pobj;
	struct mxc_port *port;
	struct mxc_packet *p;
	int ret;

	ret = mxc_table_get(t, value, MXCHAN_RIGHT_WRITE,
			    MXCHAN_OBJ_TYPE_PORT, &pobj, NULL);
	if (ret)
		return ret;
	port = to_port(pobj);
	p = kmalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	if (!p) {
		ret = -ENOMEM;
		goto out_put;
	}
	if (copy_from_user(&p->pkt, upkt, sizeof(p->pkt))) {
		kfree(p);
		ret = -EINVAL;
		goto out_put;
	}
	INIT_LIST_HEAD(&p->node);
	p->observer = NULL;
	p->pkt.type = MXCHAN_PKT_TYPE_USER;

	mxc_port_lock(port);
	if (port->user_packets >= READ_ONCE(mxc_max_port_packets)) {
		ret = -ENOMEM;
	} else if (!port->dead) {
		port->user_packets++;
		atomic_long_inc(&mxc_live_packets);
		mxc_port_put_locked(port, p, false);
		p = NULL;
	}
	mxc_port_unlock(port);
	kfree(p);
out_put:
	mxc_object_put(pobj);
	return ret;
}

static void mxc_packet_free(struct mxc_packet *p)
{
	atomic_long_dec(&mxc_live_packets);
	kfree(p);
}

/* Take the first packet into @out; it is ours until delivered. */
static struct mxc_packet *mxc_port_take_locked(struct mxc_port *port,
					       struct mxchan_port_packet *out)
{
	struct mxc_packet *p;

	lockdep_assert_held(&port->obj.wq.lock);
	p = list_first_entry_or_null(&port->queue, struct mxc_packet, node);
	if (!p)
		return NULL;
	mxc_port_unqueue_locked(port, p);
	*out = p->pkt;
	if (p->observer)
		p->observer->delivering++;
	return p;
}

/*
 * The copy out of @p is over; if it @failed, put the packet back first
 * unless a newer one of its async wait is queued, or it was canceled.
 */
static void mxc_port_delivered(struct mxc_port *port, struct mxc_packet *p,
			       bool failed)
{
	struct mxc_observer *o = p->observer;
	LIST_HEAD(dead);
	bool keep;

	mxc_port_lock(port);
	keep = failed && !port->dead;
	if (!o) {
		if (keep) {
			mxc_port_put_locked(port, p, true);
			p = NULL;
		} else {
			port->user_packets--;
		}
	} else {
		o->delivering--;
		if (keep && !o->canceled && !mxc_packet_queued(p))
			mxc_port_put_locked(port, p, true);
		else if (mxc_observer_unused(o))
			mxc_observer_retire_locked(o, &dead);
		p = NULL;
	}
	mxc_port_unlock(port);
	if (p)
		mxc_packet_free(p);
	mxc_observers_free(&dead);
}

/*
 * Wait for a packet until @deadline; one waiter wakes per packet. The
 * packet is copied out after it left the queue and goes back first if
 * the copy faults. A canceled wait (the port handle closed or sent away)
 * wins over a packet, as for object waits.
 */
int mxc_port_wait(struct mxc_table *t, u32 value, u64 deadline,
		  struct mxchan_port_packet __user *upkt)
{
	ktime_t expires, *exp = mxc_deadline(deadline, &expires);
	struct mxchan_port_packet out;
	struct mxc_packet *p = NULL;
	bool timed_out = false;
	struct mxc_port *port;
	struct mxc_waiter w;
	int ret;

	ret = mxc_waiter_add(t, value, MXCHAN_RIGHT_READ, MXCHAN_OBJ_TYPE_PORT,
			     MXCHAN_SIGNAL_PORT_READABLE, &w);
	if (ret)
		return ret;
	port = to_port(w.obj);
	for (;;) {
		mxc_port_lock(port);
		if (w.canceled) {
			ret = -ECANCELED;
			break;
		}
		p = mxc_port_take_locked(port, &out);
		if (p)
			break;
		if (timed_out) {
			ret = -ETIMEDOUT;
			break;
		}
		set_current_state(TASK_INTERRUPTIBLE);
		mxc_port_unlock(port);
		if (signal_pending(current)) {
			__set_current_state(TASK_RUNNING);
			mxc_port_lock(port);
			ret = -ERESTARTNOINTR;
			break;
		}
		if (!schedule_hrtimeout_range(exp, current->timer_slack_ns,
					      HRTIMER_MODE_ABS))
			timed_out = true;
	}
	mxc_waiter_unlink_locked(&w);
	/* a packet we were woken for but leave goes to the next waiter */
	if (!p && !list_empty(&port->queue))
		wake_up_locked_poll(&port->obj.wq,
				    (__force __poll_t)port->obj.signals);
	mxc_port_unlock(port);

	if (p) {
		ret = copy_to_user(upkt, &out, sizeof(out)) ? -EINVAL : 0;
		mxc_port_delivered(port, p, ret);
	}
	mxc_object_put(&port->obj);
	return ret;
}

/*
 * The port's last handle is gone: drop its packets and disarm its
 * observers. Observers are disarmed under their object's lock, which
 * nests outside the port lock, so each is looked up again once both are
 * held; none is added to a dead port, so one still first is the same.
 */
static void mxc_port_on_zero_handles(struct mxc_object *obj,
				     struct mxc_reaper *r)
{
	struct mxc_port *port = to_port(obj);
	struct mxc_packet *p, *tmp;
	struct mxc_observer *o;
	LIST_HEAD(packets);
	LIST_HEAD(dead);

	mxc_port_lock(port);
	port->dead = true;
	mxc_port_unlock(port);
	/* nothing joins a dead port's queue: drain it a batch at a time */
	for (;;) {
		unsigned int n = 0;

		mxc_port_lock(port);
		while (n++ < 256 &&
		       (p = list_first_entry_or_null(&port->queue,
						     struct mxc_packet, node))) {
			mxc_port_unqueue_locked(port, p);
			o = p->observer;
			if (!o) {
				port->user_packets--;
				list_add(&p->node, &packets);
			} else if (mxc_observer_unused(o)) {
				mxc_observer_retire_locked(o, &dead);
			}
		}
		n = !list_empty(&port->queue);
		mxc_port_unlock(port);
		if (!n)
			break;
		cond_resched();
	}

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
			mxc_observer_disarm_locked(o, &dead);
		mxc_port_unlock(port);
		spin_unlock(&watched->wq.lock);
		mxc_object_put(watched);
		cond_resched();
	}

	list_for_each_entry_safe(p, tmp, &packets, node)
		mxc_packet_free(p);
	mxc_observers_free(&dead);
}

static void mxc_port_release(struct mxc_object *obj)
{
	struct mxc_port *port = to_port(obj);

	WARN_ON_ONCE(!list_empty(&port->queue) ||
		     !list_empty(&port->observers) || port->observers_alive);
	/* a lockless lookup may still be reading it (table.c) */
	kfree_rcu(port, rcu);
}

static u64 mxc_port_related_koid(struct mxc_object *obj)
{
	return 0;
}

static struct mxc_object *mxc_port_peer(struct mxc_object *obj)
{
	return ERR_PTR(-EOPNOTSUPP);
}

static const struct mxc_object_ops mxc_port_ops = {
	.type = MXCHAN_OBJ_TYPE_PORT,
	.user_signals = 0,
	.peer = mxc_port_peer,
	.on_zero_handles = mxc_port_on_zero_handles,
	.release = mxc_port_release,
	.related_koid = mxc_port_related_koid,
	.waitable = false,
};

/* Create a port; *hp is its handle, in no table yet. */
int mxc_port_create(struct mxc_handle **hp)
{
	struct mxc_port *port;
	struct mxc_handle *h;

	port = kzalloc(sizeof(*port), GFP_KERNEL_ACCOUNT);
	h = mxc_handle_alloc();
	if (!port || !h) {
		kfree(port);
		if (h)
			mxc_handle_free(h);
		return -ENOMEM;
	}
	mxc_object_init(&port->obj, &mxc_port_ops, 0);
	lockdep_set_class(&port->obj.wq.lock, &mxc_port_lock_key);
	INIT_LIST_HEAD(&port->queue);
	INIT_LIST_HEAD(&port->observers);
	mxc_handle_init(h, &port->obj, MXC_DEFAULT_PORT_RIGHTS);
	mxc_object_put(&port->obj);	/* the handle holds it now */
	*hp = h;
	return 0;
}

void mxc_port_stats(long *packets, long *waits)
{
	*packets = atomic_long_read(&mxc_live_packets);
	*waits = atomic_long_read(&mxc_live_observers);
}
