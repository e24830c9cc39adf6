/* SPDX-License-Identifier: GPL-2.0 */
/* Messages (message.c): what a channel carries, made from and copied to user memory. */
#ifndef _MXC_MESSAGE_H
#define _MXC_MESSAGE_H

#include <linux/list.h>
#include <linux/percpu.h>
#include <linux/types.h>

#include "object.h"

struct mxc_message {
	struct list_head node;
	struct mxc_user *to;		/* charged for it (user.c), or NULL */
	struct mxc_share *share;	/* its writer's share of @to, or NULL */
	u32 num_bytes;
	u32 num_handles;
	struct mxc_handle *handles[];	/* then num_bytes of data */
};

static inline void *mxc_message_data(struct mxc_message *msg)
{
	return &msg->handles[msg->num_handles];
}

/* Where a reader wants a message: user pointers, 0 for none. */
struct mxc_read_to {
	u64 bytes;			/* void * */
	u64 handles;			/* u32 *, the values in its table */
	u64 actual_bytes;		/* u32 *, or 0 */
	u64 actual_handles;		/* u32 *, or 0 */
};

struct mxc_message *mxc_message_alloc(u32 num_bytes, u32 num_handles);
struct mxc_message *mxc_message_copy_in(u64 ubytes, u32 num_bytes,
					u64 uhandles, u32 num_handles,
					u32 *values);
int mxc_message_put_sizes(const struct mxc_read_to *to, u32 nb, u32 nh);
int mxc_message_copy_out(struct mxc_message *msg, const u32 *values,
			 const struct mxc_read_to *to);
int mxc_message_charge(struct mxc_message *msg, struct mxc_user *to,
		       struct mxc_share *share);
void mxc_message_free(struct mxc_message *msg);

/*
 * Live counts, for debugfs and the leak check at unload: per CPU, so the
 * message path shares no cache line between CPUs; a read sums them, and
 * while counts change a sum may be briefly off (even negative).
 */
DECLARE_PER_CPU(long, mxc_live_messages);

static inline long mxc_live_sum(long __percpu *count)
{
	long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += *per_cpu_ptr(count, cpu);
	return sum;
}

#endif /* _MXC_MESSAGE_H */
