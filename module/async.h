/* SPDX-License-Identifier: GPL-2.0 */
/* Async waits (async.c): object_wait_async and port_cancel. */
#ifndef _MXC_ASYNC_H
#define _MXC_ASYNC_H

#include <linux/list.h>

#include "table.h"

struct mxc_observer;
struct mxc_port;

int mxc_wait_async(struct mxc_table *t, u32 value, u32 port, u64 key,
		   u32 signals, u32 options);
int mxc_port_cancel(struct mxc_table *t, u32 value, u32 source, u64 key);
void mxc_async_init(void);
long mxc_async_waits(void);

/* for port.c: what happens to an async wait's packet there */
void mxc_observer_taken_locked(struct mxc_observer *o);
void mxc_observer_delivered_locked(struct mxc_observer *o, bool keep,
				   struct list_head *dead);
void mxc_observer_dropped_locked(struct mxc_observer *o,
				 struct list_head *dead);
void mxc_observers_port_dead(struct mxc_port *port, struct list_head *dead);
void mxc_observers_free(struct list_head *dead);

#endif /* _MXC_ASYNC_H */
