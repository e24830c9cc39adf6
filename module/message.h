/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Messages (message.c): what a channel carries. Made from user memory and
 * copied back to it here, inline: these are the message path's copies.
 */
#ifndef _MXC_MESSAGE_H
#define _MXC_MESSAGE_H

#include <linux/err.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/types.h>
#include <linux/uaccess.h>
#include <linux/uio.h>

#include "compat.h"
#include "object.h"

/*
 * A message: the handles it carries, the values they have (in the
 * writer's table on the way in, in the reader's on the way out: a
 * message's handle values need no room on either's stack), then the
 * bytes. A small message is one allocation: a page of its own when it
 * is its endpoint's page (@in_page, see struct mxc_spares), otherwise
 * from the slab. A larger one (more than MXC_SPARE_MAX in all) keeps its
 * bytes in pages of their own, as a pipe does; its head has room for
 * Magenta's most handles and the page array (mxc_message_pages()). Bytes
 * in pages are copied with the iov_iter page helpers, as a pipe's: no
 * hardened usercopy object check, which costs a slab object's copy more
 * than the copy of 64 bytes itself. No allocation is above order 0, nor
 * vmalloc.
 */
struct mxc_message {
	struct list_head node;
	struct mxc_user *to;		/* charged for it (user.c), or NULL */
	struct mxc_share *share;	/* its writer's share of @to, or NULL */
	u32 num_bytes;
	u32 num_handles;
	u32 size;			/* allocated, >= what it holds */
	u16 npages;			/* 0: the bytes are inline */
	u16 num_ends;			/* channel ends among the handles */
	bool in_page;			/* its endpoint's page */
	struct mxc_handle *handles[];	/* then the values, then the data */
};

/*
 * Each endpoint keeps the memory of one small message its reader freed,
 * and of one paged message with its pages, for the next message written
 * to it: no allocation, no memory cgroup charge and no zeroing on the
 * message path while messages are alike. At most a page and one paged
 * head with MXC_MSG_PAGES pages an endpoint.
 *
 * An endpoint's first small message is made in a page of its own, the
 * endpoint's page (MXC_SPARE_PAGE set while it exists): its reader puts
 * it back as the small spare, preferred to any other, so while messages
 * come one at a time every small message is in it; while it is out, the
 * others are slab objects. An endpoint has one such page (two for a
 * moment): a message in it that leaves its endpoint other than through
 * its reader (discarded with the queue, a failed write) clears the bit
 * as it goes (mxc_message_leave()), so the endpoint may make another.
 */
#define MXC_SPARE_MIN	128
#define MXC_SPARE_MAX	2048
#define MXC_MSG_PAGES	DIV_ROUND_UP(MXCHAN_MAX_MSG_BYTES, PAGE_SIZE)

struct mxc_spares {
	struct mxc_message *small;	/* xchg() */
	struct mxc_message *paged;	/* xchg() */
	unsigned long flags;		/* MXC_SPARE_PAGE: atomic bitops */
};

#define MXC_SPARE_PAGE	0

static_assert(MXCHAN_MAX_MSG_HANDLES <= U16_MAX && MXC_MSG_PAGES <= U16_MAX);

static inline u32 *mxc_message_values(struct mxc_message *msg)
{
	return (u32 *)&msg->handles[msg->num_handles];
}

static inline void *mxc_message_data(struct mxc_message *msg)
{
	return mxc_message_values(msg) + msg->num_handles;
}

/* A paged message's pages: at the end of its head, whatever it carries. */
#define MXC_PAGED_PAGES_OFF						\
	ALIGN(sizeof(struct mxc_message) +				\
	      MXCHAN_MAX_MSG_HANDLES * (sizeof(struct mxc_handle *) +	\
					sizeof(u32)), sizeof(void *))
#define MXC_PAGED_HEAD							\
	(MXC_PAGED_PAGES_OFF + MXC_MSG_PAGES * sizeof(struct page *))

static inline struct page **mxc_message_pages(struct mxc_message *msg)
{
	return (struct page **)((char *)msg + MXC_PAGED_PAGES_OFF);
}

/*
 * A small message's bytes from or to user memory at @ubytes: 0, or EINVAL
 * for a fault (what was copied stays, meaning nothing). In the
 * endpoint's page with the page helpers, as a paged message's: measured,
 * copy_{from,to}_user() on page memory still pays the hardened usercopy
 * lookups of the page, more than the iov_iter costs.
 */
static inline int mxc_message_small_copy(struct mxc_message *msg, u64 ubytes,
					 bool in)
{
	void *data = mxc_message_data(msg);
	u32 n = msg->num_bytes;
	struct iov_iter it;
	size_t done;

	if (!msg->in_page) {
		if (in)
			return copy_from_user(data, mxc_uptr(ubytes), n) ?
			       -EINVAL : 0;
		return copy_to_user(mxc_uptr(ubytes), data, n) ? -EINVAL : 0;
	}
	if (!n)
		return 0;
	iov_iter_ubuf(&it, in ? ITER_SOURCE : ITER_DEST, mxc_uptr(ubytes), n);
	if (in)
		done = copy_page_from_iter(virt_to_page(msg),
					   offset_in_page(data), n, &it);
	else
		done = copy_page_to_iter(virt_to_page(msg),
					 offset_in_page(data), n, &it);
	return done == n ? 0 : -EINVAL;
}

/* Where a reader wants a message: user pointers, 0 for none. */
struct mxc_read_to {
	u64 bytes;			/* void * */
	u64 handles;			/* u32 *, the values in its table */
	u64 actual_bytes;		/* u32 *, or 0 */
	u64 actual_handles;		/* u32 *, or 0 */
};

struct mxc_message *mxc_message_alloc(u32 num_bytes, u32 num_handles,
				      struct mxc_spares *spares);
int mxc_message_charge(struct mxc_message *msg, struct mxc_user *to,
		       struct mxc_share *share);
void mxc_message_free(struct mxc_message *msg);
void mxc_message_recycle(struct mxc_message *msg, struct mxc_spares *spares);
void mxc_message_spares_free(struct mxc_spares *spares);

/*
 * @msg, made in @spares' memory, leaves its endpoint for good other than
 * through its reader: if it is the endpoint's page, the endpoint may make
 * another. The caller holds @spares' channel.
 */
static inline void mxc_message_leave(struct mxc_message *msg,
				     struct mxc_spares *spares)
{
	if (msg->in_page)
		clear_bit(MXC_SPARE_PAGE, &spares->flags);
}

/*
 * A paged message's bytes from or to user memory at @ubytes, a page at a
 * time: 0, or EINVAL for a fault (what was copied stays, meaning nothing).
 */
static inline int mxc_message_pages_copy(struct mxc_message *msg, u64 ubytes,
					 bool in)
{
	struct page **pages = mxc_message_pages(msg);
	u32 left = msg->num_bytes, i;
	struct iov_iter it;
	size_t len;

	iov_iter_ubuf(&it, in ? ITER_SOURCE : ITER_DEST, mxc_uptr(ubytes),
		      left);
	for (i = 0; left; i++, left -= len) {
		len = min_t(u32, left, PAGE_SIZE);
		if ((in ? copy_page_from_iter(pages[i], 0, len, &it) :
			  copy_page_to_iter(pages[i], 0, len, &it)) != len)
			return -EINVAL;
	}
	return 0;
}

/*
 * Handle values from or to user memory at @uptr, @n of them, in one user
 * access window: u32 at a time, as get_user()/put_user() would, so no
 * object size check for the array, which is the message's own and sized
 * by @n. EINVAL for a fault (what was copied stays, meaning nothing).
 */
static inline int mxc_values_from_user(u32 *values, u64 uptr, u32 n)
{
	const u32 __user *src = mxc_uptr(uptr);
	u32 i;

	might_fault();
	if (!user_read_access_begin(src, n * sizeof(u32)))
		return -EINVAL;
	for (i = 0; i < n; i++)
		unsafe_get_user(values[i], &src[i], fault);
	user_read_access_end();
	return 0;
fault:
	user_read_access_end();
	return -EINVAL;
}

static inline int mxc_values_to_user(u64 uptr, const u32 *values, u32 n)
{
	u32 __user *dst = mxc_uptr(uptr);
	u32 i;

	might_fault();
	if (!user_write_access_begin(dst, n * sizeof(u32)))
		return -EINVAL;
	for (i = 0; i < n; i++)
		unsafe_put_user(values[i], &dst[i], fault);
	user_write_access_end();
	return 0;
fault:
	user_write_access_end();
	return -EINVAL;
}

/*
 * A message of the @num_bytes at @ubytes, to carry @num_handles handles
 * whose values are copied from @uhandles to mxc_message_values(), made
 * in @spares' memory if it fits (NULL: none): the write takes the
 * handles from its table later, under the table lock.
 * ERANGE past Magenta's sizes, ENOMEM, EINVAL for a fault.
 */
static inline struct mxc_message *
mxc_message_copy_in(u64 ubytes, u32 num_bytes, u64 uhandles, u32 num_handles,
		    struct mxc_spares *spares)
{
	struct mxc_message *msg;
	int ret;

	if (num_bytes > MXCHAN_MAX_MSG_BYTES ||
	    num_handles > MXCHAN_MAX_MSG_HANDLES)
		return ERR_PTR(-ERANGE);
	msg = mxc_message_alloc(num_bytes, num_handles, spares);
	if (!msg)
		return ERR_PTR(-ENOMEM);
	if (msg->npages)
		ret = mxc_message_pages_copy(msg, ubytes, true);
	else
		ret = mxc_message_small_copy(msg, ubytes, true);
	if (ret ||
	    (num_handles &&
	     mxc_values_from_user(mxc_message_values(msg), uhandles,
				  num_handles))) {
		mxc_message_leave(msg, spares);
		mxc_message_free(msg);
		return ERR_PTR(-EINVAL);
	}
	return msg;
}

/* A message's sizes, where the reader wants them (0: nowhere). */
static inline int mxc_message_put_sizes(const struct mxc_read_to *to, u32 nb, u32 nh)
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
 * @msg's bytes, the values its handles have in the reader's table
 * (reserved into mxc_message_values()), and its sizes, to where @to says;
 * the caller checked they fit. EINVAL for a fault: the message is the
 * caller's to put back.
 */
static inline int mxc_message_copy_out(struct mxc_message *msg,
				       const struct mxc_read_to *to)
{
	u32 nb = msg->num_bytes, nh = msg->num_handles;
	const u32 *values = mxc_message_values(msg);

	if (msg->npages ? mxc_message_pages_copy(msg, to->bytes, false) :
			  mxc_message_small_copy(msg, to->bytes, false))
		return -EINVAL;
	if (nh && mxc_values_to_user(to->handles, values, nh))
		return -EINVAL;
	return mxc_message_put_sizes(to, nb, nh);
}

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
