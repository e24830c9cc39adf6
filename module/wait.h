/* SPDX-License-Identifier: GPL-2.0 */
/* Waits on signals (wait.c): object_wait_one, object_wait_many, deadlines. */
#ifndef _MXC_WAIT_H
#define _MXC_WAIT_H

#include <linux/ktime.h>
#include <linux/wait.h>

#include "object.h"
#include "table.h"

struct mxc_waiter {
	struct wait_queue_entry wqe;	/* on obj->wq; private is the task */
	struct mxc_object *obj;		/* a ref */
	/* counted in h->waiters until canceled; dereferenced only then */
	struct mxc_handle *h;
	u32 waitfor;
	u32 observed;			/* obj->wq.lock */
	bool canceled;			/* obj->wq.lock */
};

int mxc_waiter_add(struct mxc_table *t, u32 value, u32 rights, u32 type,
		   u32 waitfor, struct mxc_waiter *w);
void mxc_waiter_unlink_locked(struct mxc_waiter *w);
u32 mxc_waiter_remove(struct mxc_waiter *w, bool *canceled);
ktime_t *mxc_deadline(u64 deadline, ktime_t *expires);
int mxc_wait_one(struct mxc_table *t, u32 value, u32 waitfor, u64 deadline,
		 u32 *observed);
int mxc_wait_many(struct mxc_table *t, struct mxchan_wait_item __user *uitems,
		  u32 count, u64 deadline);
void mxc_wait_init(void);

#endif /* _MXC_WAIT_H */
