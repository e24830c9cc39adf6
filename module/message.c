// SPDX-License-Identifier: GPL-2.0
/*
 * Messages: one allocation holding the handle pointers, their values and
 * the bytes (the endpoint's page, or a slab object); or, above
 * MXC_SPARE_MAX, a head holding the pointers, values and page array, and
 * the bytes in order-0 pages.
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

/* Free @n of a paged head's pages, from the last. */
static void mxc_message_put_pages(struct mxc_message *msg, u32 n)
{
	struct page **pages = mxc_message_pages(msg);

	while (n--)
		__free_page(pages[--msg->npages]);
}

/* Free a message's memory: its page, or its head and its pages if any. */
static void mxc_message_release(struct mxc_message *msg)
{
	if (!msg)
		return;
	if (msg->in_page) {
		free_page((unsigned long)msg);
		return;
	}
	mxc_message_put_pages(msg, msg->npages);
	kfree(msg);
}

/*
 * A paged message's head, the one in *@spare if there is one, with the
 * pages for @num_bytes: the spare's, and new ones if it has too few.
 */
static struct mxc_message *mxc_message_alloc_paged(u32 num_bytes,
						   struct mxc_message **spare)
{
	u32 need = DIV_ROUND_UP(num_bytes, PAGE_SIZE);
	struct mxc_message *msg = spare ? xchg(spare, NULL) : NULL;
	struct page **pages;

	if (!msg) {
		msg = kmalloc(MXC_PAGED_HEAD, GFP_KERNEL_ACCOUNT);
		if (!msg)
			return NULL;
		msg->size = MXC_PAGED_HEAD;
		msg->npages = 0;
		msg->in_page = false;
	}
	pages = mxc_message_pages(msg);
	if (msg->npages > need)
		mxc_message_put_pages(msg, msg->npages - need);
	while (msg->npages < need) {
		pages[msg->npages] = alloc_page(GFP_KERNEL_ACCOUNT);
		if (!pages[msg->npages]) {
			mxc_message_put_pages(msg, msg->npages);
			kfree(msg);
			return NULL;
		}
		msg->npages++;
	}
	return msg;
}

/*
 * A small message of @size in all: @spares' small spare if it fits, the
 * endpoint's page if it has none yet, or a slab object in a power of two,
 * so the next one to come that way fits.
 */
static struct mxc_message *mxc_message_alloc_small(size_t size,
						   struct mxc_spares *spares)
{
	struct mxc_message *msg = NULL;
	struct page *page;

	if (spares) {
		msg = xchg(&spares->small, NULL);
		if (msg && msg->size >= size)
			return msg;
		mxc_message_release(msg);
		if (!test_bit(MXC_SPARE_PAGE, &spares->flags) &&
		    !test_and_set_bit(MXC_SPARE_PAGE, &spares->flags)) {
			page = alloc_page(GFP_KERNEL_ACCOUNT);
			if (page) {
				msg = page_address(page);
				msg->size = PAGE_SIZE;
				msg->npages = 0;
				msg->in_page = true;
				return msg;
			}
			clear_bit(MXC_SPARE_PAGE, &spares->flags);
		}
	}
	size = max_t(size_t, roundup_pow_of_two(size), MXC_SPARE_MIN);
	msg = kmalloc(size, GFP_KERNEL_ACCOUNT);
	if (!msg)
		return NULL;
	msg->size = size;
	msg->npages = 0;
	msg->in_page = false;
	return msg;
}

/*
 * A message of @num_bytes and @num_handles, made in @spares' memory if
 * it fits: small, or paged if larger.
 */
struct mxc_message *mxc_message_alloc(u32 num_bytes, u32 num_handles,
				      struct mxc_spares *spares)
{
	size_t size = mxc_message_size(num_bytes, num_handles);
	struct mxc_message *msg;

	if (size > MXC_SPARE_MAX)
		msg = mxc_message_alloc_paged(num_bytes,
					      spares ? &spares->paged : NULL);
	else
		msg = mxc_message_alloc_small(size, spares);
	if (!msg)
		return NULL;
	INIT_LIST_HEAD(&msg->node);
	msg->to = NULL;
	msg->share = NULL;
	msg->num_bytes = num_bytes;
	msg->num_handles = num_handles;
	msg->num_ends = 0;		/* the write counts them */
	this_cpu_inc(mxc_live_messages);
	return msg;
}

/*
 * Charge @msg to @to, through its writer's @share of @to (NULL when the
 * writer is @to), until it is freed: EMFILE (NO_RESOURCES) if either has
 * no room. On success the message takes the caller's reference on @to
 * and @share's. Atomics only: called under the channel lock.
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
	mxc_message_release(msg);
}

/*
 * mxc_message_free(), but the message's memory, with its pages, becomes
 * the spare of its kind in @spares, for the next message to come that
 * way (the one there before is freed), unless the small spare is the
 * endpoint's page: that one stays. Only the endpoint's reader puts one
 * there, and only while it holds the endpoint; writers take it, and the
 * endpoint frees what is left (mxc_message_spares_free()).
 */
void mxc_message_recycle(struct mxc_message *msg, struct mxc_spares *spares)
{
	struct mxc_message *old;

	mxc_message_end(msg);
	if (msg->npages) {
		mxc_message_release(xchg(&spares->paged, msg));
		return;
	}
	old = xchg(&spares->small, msg);
	/* a writer may have taken @msg meanwhile: then this is NULL */
	if (old && old->in_page && !msg->in_page)
		old = xchg(&spares->small, old);
	mxc_message_release(old);
}

/* An endpoint's spares, as it goes: no writer can reach it any more. */
void mxc_message_spares_free(struct mxc_spares *spares)
{
	mxc_message_release(xchg(&spares->small, NULL));
	mxc_message_release(xchg(&spares->paged, NULL));
}
