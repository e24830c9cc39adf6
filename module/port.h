/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ports (port.c): queues of packets, USER ones and async waits' (async.c).
 * The port lock's rules are at the top of port.c.
 */
#ifndef _MXC_PORT_H
#define _MXC_PORT_H

#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/poll.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>

#include "table.h"

struct mxc_observer;

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

static inline struct mxc_port *to_port(struct mxc_object *obj)
{
	return container_of(obj, struct mxc_port, obj);
}

static inline void mxc_port_lock(struct mxc_port *port)
	__acquires(&port->obj.wq.lock)
{
	spin_lock(&port->obj.wq.lock);
}

static inline void mxc_port_unlock(struct mxc_port *port)
	__releases(&port->obj.wq.lock)
{
	spin_unlock(&port->obj.wq.lock);
}

static inline bool mxc_packet_queued(struct mxc_packet *p)
{
	return !list_empty(&p->node);
}

/*
 * Queue @p and wake one packet waiter and every signal fd (those sit
 * before the exclusive packet waiters): a packet is an event for an
 * edge-triggered epoll too.
 */
static inline void mxc_port_put_locked(struct mxc_port *port,
				       struct mxc_packet *p, bool first)
{
	lockdep_assert_held(&port->obj.wq.lock);
	if (first)
		list_add(&p->node, &port->queue);
	else
		list_add_tail(&p->node, &port->queue);
	port->obj.signals |= MXCHAN_SIGNAL_PORT_READABLE;
	wake_up_locked_poll(&port->obj.wq, (__force __poll_t)port->obj.signals);
}

static inline void mxc_port_unqueue_locked(struct mxc_port *port,
					   struct mxc_packet *p)
{
	lockdep_assert_held(&port->obj.wq.lock);
	list_del_init(&p->node);
	if (list_empty(&port->queue))
		mxc_object_signal_locked(&port->obj,
					 MXCHAN_SIGNAL_PORT_READABLE, 0);
}

int mxc_port_create(struct mxc_handle **hp);
int mxc_port_queue(struct mxc_table *t, u32 value,
		   const struct mxchan_port_packet __user *upkt);
int mxc_port_wait(struct mxc_table *t, u32 value, u64 deadline,
		  struct mxchan_port_packet __user *upkt);
long mxc_port_packets(void);

#endif /* _MXC_PORT_H */
