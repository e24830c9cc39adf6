// SPDX-License-Identifier: GPL-2.0
/*
 * Messages: one allocation holding the handle pointers and the bytes.
 * Charged to the writer's memory cgroup, and, while it lives, to the user
 * who holds the channel end it was written to (user.c): the handles it
 * carries and the bytes it takes.
 *
 * A message is made from user memory here (channel_write, channel_call)
 * and copied out to user memory here (channel_read, a call's reply).
 * Faults are EINVAL, as Magenta's INVALID_ARGS.
 */

#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "message.h"
#include "user.h"

DEFINE_PER_CPU(long, mxc_live_messages);

static size_t mxc_message_size(u32 num_bytes, u32 num_handles)
{
	const struct mxc_message *msg;

	return struct_size(msg, handles, num_handles) + num_bytes;
}

struct mxc_message *mxc_message_alloc(u32 num_bytes, u32 num_handles)
{
	struct mxc_message *msg;

	msg = kvmalloc(mxc_message_size(num_bytes, num_handles),
		       GFP_KERNEL_ACCOUNT);
	if (!msg)
		return NULL;
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

/* Free the message itself; its handles have moved elsewhere. */
void mxc_message_free(struct mxc_message *msg)
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
	kvfree(msg);
}

/*
 * A message of the @num_bytes at @ubytes, to carry @num_handles handles
 * whose values are copied from @uhandles to @values: the write takes the
 * handles from its table later, under the table lock. ERANGE past
 * Magenta's sizes, ENOMEM, EINVAL for a fault.
 */
struct mxc_message *mxc_message_copy_in(u64 ubytes, u32 num_bytes,
					u64 uhandles, u32 num_handles,
					u32 *values)
{
	struct mxc_message *msg;

	if (num_bytes > MXCHAN_MAX_MSG_BYTES ||
	    num_handles > MXCHAN_MAX_MSG_HANDLES)
		return ERR_PTR(-ERANGE);
	msg = mxc_message_alloc(num_bytes, num_handles);
	if (!msg)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(mxc_message_data(msg), mxc_uptr(ubytes),
			   num_bytes) ||
	    (num_handles &&
	     copy_from_user(values, mxc_uptr(uhandles),
			    num_handles * sizeof(u32)))) {
		mxc_message_free(msg);
		return ERR_PTR(-EINVAL);
	}
	return msg;
}

/* A message's sizes, where the reader wants them (0: nowhere). */
int mxc_message_put_sizes(const struct mxc_read_to *to, u32 nb, u32 nh)
{
	if (to->actual_bytes &&
	    put_user(nb, (u32 __user *)mxc_uptr(to->actual_bytes)))
		return -EINVAL;
	if (to->actual_handles &&
	    put_user(nh, (u32 __user *)mxc_uptr(to->actual_handles)))
		return -EINVAL;
	return 0;
}

/*
 * @msg's bytes, the @values its handles have in the reader's table, and
 * its sizes, to where @to says; the caller checked they fit. EINVAL for a
 * fault: the message is the caller's to put back.
 */
int mxc_message_copy_out(struct mxc_message *msg, const u32 *values,
			 const struct mxc_read_to *to)
{
	u32 nb = msg->num_bytes, nh = msg->num_handles;

	if (copy_to_user(mxc_uptr(to->bytes), mxc_message_data(msg), nb) ||
	    (nh && copy_to_user(mxc_uptr(to->handles), values,
				nh * sizeof(u32))))
		return -EINVAL;
	return mxc_message_put_sizes(to, nb, nh);
}
