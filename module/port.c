// SPDX-License-Identifier: GPL-2.0
/*
 * Ports: queues of packets. USER packets come from port_queue; SIGNAL
 * packets from async waits (async.c), each of which owns one packet and
 * queues it when a signal it watches for is set.
 *
 * Locking. The port lock is the port object's own wait queue lock (which
 * also guards its signals, like every object's), in a lock class of its
 * own (port.h). It nests inside any watched object's wait queue lock,
 * never the other way round: ports are not waitable, so no async wait
 * watches a port. It guards the queue, the list of armed async waits, the
 * dead flag and the counts. A packet taken by port_wait is copied out
 * with no lock held and put back first if that faults.
 *
 * Closing the port's last handle drains the queue and ends every async
 * wait on it.
 */

#include <linux/hrtimer.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "async.h"
#include "param.h"
#include "port.h"
#include "wait.h"

#define MXC_DEFAULT_PORT_RIGHTS						\
	(MXCHAN_RIGHT_DUPLICATE | MXCHAN_RIGHT_TRANSFER | MXCHAN_RIGHT_READ |	\
	 MXCHAN_RIGHT_WRITE)

static struct lock_class_key mxc_port_lock_key;
static atomic_long_t mxc_live_packets = ATOMIC_LONG_INIT(0);

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
		mxc_observer_taken_locked(p->observer);
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
		mxc_observer_delivered_locked(o, keep, &dead);
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
			} else {
				mxc_observer_dropped_locked(o, &dead);
			}
		}
		n = !list_empty(&port->queue);
		mxc_port_unlock(port);
		if (!n)
			break;
		cond_resched();
	}

	mxc_observers_port_dead(port, &dead);

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

static const struct mxc_object_ops mxc_port_ops = {
	.type = MXCHAN_OBJ_TYPE_PORT,
	.user_signals = 0,
	.peer = mxc_object_no_peer,
	.on_zero_handles = mxc_port_on_zero_handles,
	.release = mxc_port_release,
	.related_koid = mxc_object_no_related_koid,
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

long mxc_port_packets(void)
{
	return atomic_long_read(&mxc_live_packets);
}
