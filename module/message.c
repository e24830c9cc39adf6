// SPDX-License-Identifier: GPL-2.0
/*
 * Messages: one allocation holding the handle pointers, their values and
 * the bytes.
 * Charged to the writer's memory cgroup, and, while it lives, to the user
 * who holds the channel end it was written to (user.c): the handles it
 * carries and the bytes it takes.
 *
 * A message is made from user memory (channel_write, channel_call) and
 * copied out to it (channel_read, a call's reply) by message.h's inline
 * mxc_message_copy_in() and mxc_message_copy_out(), on the message path.
 * Faults are EINVAL, as Magenta's INVALID_ARGS.
 */

#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/slab.h>

#include "message.h"
#include "user.h"

DEFINE_PER_CPU(long, mxc_live_messages);

static size_t mxc_message_size(u32 num_bytes, u32 num_handles)
{
	const struct mxc_message *msg;

	return struct_size(msg, handles, num_handles) +
	       num_handles * sizeof(u32) + num_bytes;
}

/*
 * A message of @num_bytes and @num_handles, the one in *@spare if there
 * is one and it is big enough. A small message is allocated in a power of
 * two, so the next one to come that way fits.
 */
struct mxc_message *mxc_message_alloc(u32 num_bytes, u32 num_handles,
				      struct mxc_message **spare)
{
	size_t size = mxc_message_size(num_bytes, num_handles);
	struct mxc_message *msg = NULL;

	if (size <= MXC_SPARE_MAX) {
		msg = spare ? xchg(spare, NULL) : NULL;
		if (msg && msg->size < size) {
			kvfree(msg);
			msg = NULL;
		}
		size = max_t(size_t, roundup_pow_of_two(size), MXC_SPARE_MIN);
	}
	if (!msg) {
		msg = kvmalloc(size, GFP_KERNEL_ACCOUNT);
		if (!msg)
			return NULL;
		msg->size = size;
	}
	INIT_LIST_HEAD(&msg->node);
	msg->to = NULL;
	msg->share = NULL;
	msg->num_bytes = num_bytes;
	msg->num_handles = num_handles;
	this_cpu_inc(mxc_live_messages);
	return msg;
}

/*
 * Charge @msg to @to, through its writer's @share of @to (NULL when the
 * writer is @to), until it is freed: EMFILE (NO_RESOURCES) if either has
 * no room. Takes a reference on @to and, on success, @share's. Atomics
 * only: called under the channel lock.
 */
int mxc_message_charge(struct mxc_message *msg, struct mxc_user *to,
		       struct mxc_share *share)
{
	int ret;

	ret = mxc_user_charge_message(to, share, msg->num_handles,
				      mxc_message_size(msg->num_bytes,
						       msg->num_handles));
	if (ret)
		return ret;
	mxc_user_hold(to);
	msg->to = to;
	msg->share = share;
	return 0;
}

/* Uncharge @msg: it is no message any more, only memory. */
static void mxc_message_end(struct mxc_message *msg)
{
	if (msg->to) {
		mxc_user_uncharge_message(msg->to, msg->share,
					  msg->num_handles,
					  mxc_message_size(msg->num_bytes,
							   msg->num_handles));
		mxc_share_put(msg->share);
		mxc_user_put(msg->to);
	}
	this_cpu_dec(mxc_live_messages);
}

/* Free the message itself; its handles have moved elsewhere. */
void mxc_message_free(struct mxc_message *msg)
{
	mxc_message_end(msg);
	kvfree(msg);
}

/*
 * mxc_message_free(), but a small message's memory becomes *@spare, for
 * the next message to come that way (the one there before is freed).
 * Only the endpoint's reader puts one there, and only while it holds the
 * endpoint; writers take it, and the endpoint frees what is left.
 */
void mxc_message_recycle(struct mxc_message *msg, struct mxc_message **spare)
{
	mxc_message_end(msg);
	if (msg->size <= MXC_SPARE_MAX)
		msg = xchg(spare, msg);
	kvfree(msg);
}

