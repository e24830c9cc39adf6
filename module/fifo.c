// SPDX-License-Identifier: GPL-2.0
/*
 * FIFOs: two ends, each with a ring of fixed-size elements that its peer
 * writes and it reads, as Magenta's (count a power of two, count x size
 * at most a page). Whole elements only; a write takes what fits, a read
 * what is there. Signals as Magenta's: an end is WRITABLE while its
 * peer's ring has room, READABLE while its own has elements; when one
 * end's last handle goes, the other loses WRITABLE and gets PEER_CLOSED,
 * and what was queued to it stays readable.
 *
 * Locking: fifo->lock guards each end's ring state (head, queued) and
 * closed flag; an end's wait queue lock nests inside it (signals change
 * with the state). The bytes move with no spinlock held: a ring's
 * write_lock lets one writer fill its free part, its read_lock one
 * reader copy out its queued part; the two parts do not overlap, and a
 * ring's state changes only under fifo->lock, after the copy. The
 * mutexes are taken alone, never nested.
 */

#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/uio.h>

#include "fifo.h"

#define MXC_DEFAULT_FIFO_RIGHTS						\
	(MXCHAN_RIGHT_DUPLICATE | MXCHAN_RIGHT_TRANSFER | MXCHAN_RIGHT_READ |	\
	 MXCHAN_RIGHT_WRITE | MXCHAN_RIGHT_SIGNAL | MXCHAN_RIGHT_SIGNAL_PEER)

struct mxc_fifo;

struct mxc_fifo_end {
	struct mxc_object obj;
	struct mxc_fifo *fifo;
	struct page *ring;		/* what the peer wrote, to read here */
	struct mutex read_lock;		/* one reader of the ring at a time */
	struct mutex write_lock;	/* one writer into the ring at a time */
	u32 head;			/* first queued element, fifo->lock */
	u32 queued;			/* elements in the ring, fifo->lock */
	bool closed;			/* no handles left, fifo->lock */
};

struct mxc_fifo {
	spinlock_t lock;		/* both ends' state; see the top */
	refcount_t ref;			/* end objects alive */
	u32 count;			/* elements a ring holds: a power of 2 */
	u32 size;			/* bytes an element */
	struct rcu_head rcu;		/* freed after a grace period */
	struct mxc_fifo_end end[2];
};

static struct mxc_fifo_end *to_fifo_end(struct mxc_object *obj)
{
	return container_of(obj, struct mxc_fifo_end, obj);
}

static struct mxc_fifo_end *mxc_fifo_peer_end(struct mxc_fifo_end *e)
{
	struct mxc_fifo *f = e->fifo;

	return e == &f->end[0] ? &f->end[1] : &f->end[0];
}

static void mxc_fifo_on_zero_handles(struct mxc_object *obj,
				     struct mxc_reaper *r)
{
	struct mxc_fifo_end *e = to_fifo_end(obj);

	spin_lock(&e->fifo->lock);
	e->closed = true;
	mxc_object_signal(&mxc_fifo_peer_end(e)->obj, MXCHAN_SIGNAL_WRITABLE,
			  MXCHAN_SIGNAL_PEER_CLOSED);
	spin_unlock(&e->fifo->lock);
}

/* The fifo and its rings go with the last end: a writer uses its peer's. */
static void mxc_fifo_free(struct mxc_fifo *f)
{
	int i;

	for (i = 0; i < 2; i++) {
		mutex_destroy(&f->end[i].read_lock);
		mutex_destroy(&f->end[i].write_lock);
		if (f->end[i].ring)
			__free_page(f->end[i].ring);
	}
	/* a lockless lookup may still be reading an end (table.c) */
	kfree_rcu(f, rcu);
}

static void mxc_fifo_release(struct mxc_object *obj)
{
	struct mxc_fifo *f = to_fifo_end(obj)->fifo;

	if (refcount_dec_and_test(&f->ref))
		mxc_fifo_free(f);
}

static u64 mxc_fifo_related_koid(struct mxc_object *obj)
{
	return mxc_fifo_peer_end(to_fifo_end(obj))->obj.koid;
}

static struct mxc_object *mxc_fifo_peer(struct mxc_object *obj)
{
	struct mxc_fifo_end *other = mxc_fifo_peer_end(to_fifo_end(obj));
	struct mxc_object *ret = NULL;

	spin_lock(&other->fifo->lock);
	if (!other->closed) {
		ret = &other->obj;
		kref_get(&ret->ref);
	}
	spin_unlock(&other->fifo->lock);
	return ret;
}

static const struct mxc_object_ops mxc_fifo_ops = {
	.type = MXCHAN_OBJ_TYPE_FIFO,
	.user_signals = MXCHAN_SIGNAL_USER_ALL,
	.peer = mxc_fifo_peer,
	.on_zero_handles = mxc_fifo_on_zero_handles,
	.release = mxc_fifo_release,
	.related_koid = mxc_fifo_related_koid,
	.waitable = true,
};

/* A ring is one page: Magenta's most is a page on its 4 KiB pages. */
static_assert(MXCHAN_FIFO_MAX_BYTES <= PAGE_SIZE);

/* Magenta's sizes: OUT_OF_RANGE otherwise. */
bool mxc_fifo_size_ok(u32 count, u32 size)
{
	return count && size && is_power_of_2(count) &&
	       (u64)count * size <= MXCHAN_FIFO_MAX_BYTES;
}

/*
 * A FIFO of rings of @count elements of @size bytes (mxc_fifo_size_ok());
 * *h0 and *h1 are its ends' handles, in no table yet.
 */
int mxc_fifo_create(u32 count, u32 size, struct mxc_handle **h0,
		    struct mxc_handle **h1)
{
	struct mxc_handle *hs[2];
	struct mxc_fifo *f;
	int i;

	f = kzalloc(sizeof(*f), GFP_KERNEL_ACCOUNT);
	hs[0] = mxc_handle_alloc();
	hs[1] = mxc_handle_alloc();
	if (f) {
		f->end[0].ring = alloc_page(GFP_KERNEL_ACCOUNT);
		f->end[1].ring = alloc_page(GFP_KERNEL_ACCOUNT);
	}
	if (!f || !f->end[0].ring || !f->end[1].ring || !hs[0] || !hs[1]) {
		for (i = 0; f && i < 2; i++)
			if (f->end[i].ring)
				__free_page(f->end[i].ring);
		kfree(f);
		if (hs[0])
			mxc_handle_free(hs[0]);
		if (hs[1])
			mxc_handle_free(hs[1]);
		return -ENOMEM;
	}
	spin_lock_init(&f->lock);
	refcount_set(&f->ref, 2);
	f->count = count;
	f->size = size;
	for (i = 0; i < 2; i++) {
		struct mxc_fifo_end *e = &f->end[i];

		e->fifo = f;
		mutex_init(&e->read_lock);
		mutex_init(&e->write_lock);
		mxc_object_init(&e->obj, &mxc_fifo_ops, MXCHAN_SIGNAL_WRITABLE);
		mxc_handle_init(hs[i], &e->obj, MXC_DEFAULT_FIFO_RIGHTS);
		mxc_object_put(&e->obj);	/* the handle holds it */
	}
	*h0 = hs[0];
	*h1 = hs[1];
	return 0;
}

/*
 * Copy @n elements between the ring of @e, from element @at on, and user
 * memory at @u: in at most two pieces, as the ring wraps. A ring is one
 * page, copied with the page helpers as a pipe's. True if all were
 * copied.
 */
static bool mxc_fifo_copy(struct mxc_fifo_end *e, u32 at, u32 n,
			  void __user *u, bool in)
{
	struct mxc_fifo *f = e->fifo;
	u32 first = min(n, f->count - at) * f->size, all = n * f->size;
	size_t done;
	struct iov_iter it;

	iov_iter_ubuf(&it, in ? ITER_SOURCE : ITER_DEST, u, all);
	if (in) {
		done = copy_page_from_iter(e->ring, at * f->size, first, &it);
		if (done == first && all > first)
			done += copy_page_from_iter(e->ring, 0, all - first,
						    &it);
	} else {
		done = copy_page_to_iter(e->ring, at * f->size, first, &it);
		if (done == first && all > first)
			done += copy_page_to_iter(e->ring, 0, all - first, &it);
	}
	return done == all;
}

/*
 * Write as many of the @len / size elements at @data as the peer's ring
 * has room for; *@moved says how many. Magenta's order: PEER_CLOSED,
 * OUT_OF_RANGE (not one element), SHOULD_WAIT (full); a fault moves
 * nothing (EINVAL).
 */
int mxc_fifo_write(struct mxc_object *obj, const void __user *data, u64 len,
		   u32 *moved)
{
	struct mxc_fifo_end *e = to_fifo_end(obj), *p = mxc_fifo_peer_end(e);
	struct mxc_fifo *f = e->fifo;
	u32 n = 0, tail = 0;
	u64 want;
	int ret = 0;

	/* waiting for another writer: a signal restarts us, as reads do */
	if (mutex_lock_interruptible(&p->write_lock))
		return -ERESTARTNOINTR;
	want = div_u64(len, f->size);
	spin_lock(&f->lock);
	if (p->closed) {
		ret = -EPIPE;
	} else if (!want) {
		ret = -ERANGE;
	} else {
		n = min_t(u64, want, f->count - p->queued);
		tail = (p->head + p->queued) & (f->count - 1);
		if (!n)
			ret = -EAGAIN;
	}
	spin_unlock(&f->lock);
	if (ret)
		goto out;
	/* the free part is ours alone: the reader copies only queued ones */
	if (!mxc_fifo_copy(p, tail, n, (void __user *)data, true)) {
		ret = -EINVAL;
		goto out;
	}
	spin_lock(&f->lock);
	/* our end closed during the copy: the elements must not follow */
	if (e->closed) {
		spin_unlock(&f->lock);
		ret = -EPIPE;
		goto out;
	}
	if (!p->queued && !p->closed)
		mxc_object_signal(&p->obj, 0, MXCHAN_SIGNAL_READABLE);
	p->queued += n;
	if (p->queued == f->count)
		mxc_object_signal(&e->obj, MXCHAN_SIGNAL_WRITABLE, 0);
	spin_unlock(&f->lock);
	*moved = n;
out:
	mutex_unlock(&p->write_lock);
	return ret;
}

/*
 * Read as many of the @len / size elements as are queued here into
 * @data; *@moved says how many. Magenta's order: OUT_OF_RANGE (not one
 * element), SHOULD_WAIT (empty, even with the peer closed); a fault
 * takes nothing (EINVAL).
 */
int mxc_fifo_read(struct mxc_object *obj, void __user *data, u64 len,
		  u32 *moved)
{
	struct mxc_fifo_end *e = to_fifo_end(obj), *p = mxc_fifo_peer_end(e);
	struct mxc_fifo *f = e->fifo;
	u32 n = 0, head = 0;
	bool was_full;
	u64 want;
	int ret = 0;

	if (mutex_lock_interruptible(&e->read_lock))
		return -ERESTARTNOINTR;
	want = div_u64(len, f->size);
	spin_lock(&f->lock);
	if (!want) {
		ret = -ERANGE;
	} else {
		n = min_t(u64, want, e->queued);
		head = e->head;
		if (!n)
			ret = -EAGAIN;
	}
	spin_unlock(&f->lock);
	if (ret)
		goto out;
	/* the queued part is ours alone: the writer fills only free ones */
	if (!mxc_fifo_copy(e, head, n, data, false)) {
		ret = -EINVAL;
		goto out;
	}
	spin_lock(&f->lock);
	was_full = e->queued == f->count;
	e->head = (e->head + n) & (f->count - 1);
	e->queued -= n;
	if (!e->queued)
		mxc_object_signal(&e->obj, MXCHAN_SIGNAL_READABLE, 0);
	/* not if either closed meanwhile: the close took WRITABLE for good */
	if (was_full && !e->closed && !p->closed)
		mxc_object_signal(&p->obj, 0, MXCHAN_SIGNAL_WRITABLE);
	spin_unlock(&f->lock);
	*moved = n;
out:
	mutex_unlock(&e->read_lock);
	return ret;
}
