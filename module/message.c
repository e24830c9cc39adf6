// SPDX-License-Identifier: GPL-2.0
/*
 * Messages: one allocation holding the handle pointers and the bytes.
 * Charged to the writer's memory cgroup, and its handles to the writer's
 * user (user.c).
 */

#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/slab.h>

#include "mxchan.h"

DEFINE_PER_CPU(long, mxc_live_messages);

struct mxc_message *mxc_message_alloc(u32 num_bytes, u32 num_handles)
{
	struct mxc_message *msg;
	size_t size = struct_size(msg, handles, num_handles) + num_bytes;

	msg = kvmalloc(size, GFP_KERNEL_ACCOUNT);
	if (!msg)
		return NULL;
	INIT_LIST_HEAD(&msg->node);
	msg->user = NULL;
	msg->num_bytes = num_bytes;
	msg->num_handles = num_handles;
	this_cpu_inc(mxc_live_messages);
	return msg;
}

/*
 * Charge @msg's handles to @user, its writer, until it is freed: EMFILE
 * (NO_RESOURCES) if that user has too many handles in messages.
 */
int mxc_message_charge(struct mxc_message *msg, struct mxc_user *user)
{
	int ret;

	if (!msg->num_handles)
		return 0;
	ret = mxc_user_charge_inflight(user, msg->num_handles);
	if (ret)
		return ret;
	mxc_user_hold(user);
	msg->user = user;
	return 0;
}

/* Free the message itself; its handles have moved elsewhere. */
void mxc_message_free(struct mxc_message *msg)
{
	if (msg->user) {
		mxc_user_uncharge_inflight(msg->user, msg->num_handles);
		mxc_user_put(msg->user);
	}
	this_cpu_dec(mxc_live_messages);
	kvfree(msg);
}
