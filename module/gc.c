// SPDX-License-Identifier: GPL-2.0
/*
 * Cycle collection.
 *
 * A handle inside a queued message keeps its object alive, as in Magenta,
 * so userspace can build rings no table can reach any more: an endpoint
 * sent into its own queue, two channels each queued inside the other,
 * longer rings, rings nested inside messages. This file finds them and
 * destroys them.
 *
 * The graph: a channel endpoint has exactly one handle (channel rights
 * lack DUPLICATE; replace moves the handle), and that handle is in a
 * table, in the hands of a running ioctl, or inside one message on one
 * endpoint's queue, its holder. Only endpoints hold handles, so following
 * holders from any endpoint either ends at one that is not held (alive:
 * a table or an ioctl has it) or comes back to an endpoint already seen:
 * a ring, each member held in the next one's queue. A queue is read only
 * through its endpoint's handle, so nothing outside a ring can take a
 * handle out of it, unless a channel_read on a member is running. A ring
 * with no reader on any member is garbage, and stays so. Purging one
 * member's queue destroys the next member's handle; that member closes
 * and its queue is destroyed, and so on round the ring (the reaper in
 * object.c), with everything the ring held.
 *
 * Rules:
 *  - gc.holder changes inside a write section of gc.seq: set when a
 *    message is queued, cleared when it is taken off, both under the
 *    holder's ch->lock, or cleared by a closing endpoint once its messages
 *    are off its queue and belong to nobody else. An endpoint's one handle
 *    is in one place, so two writes to one holder never overlap.
 *  - gc.readers counts channel_reads on the endpoint. A read counts
 *    itself under the table lock while the table still has the handle
 *    (mxc_channel_get_reader()), before the handle can be sent anywhere.
 *  - The collector reads seq, holder and readers without locks, under RCU
 *    (channels are freed after a grace period), and pins each holder with
 *    kref_get_unless_zero(). It takes a ring only if no member's seq moved
 *    from its read to the end of the walk: the whole ring then existed at
 *    one moment with no reader on any member. A member being written
 *    (odd seq) or read ends the walk: it is alive for now.
 *  - Triggers. A message with endpoint handles queued on an endpoint that
 *    is itself held may close a ring: its endpoints become suspects (the
 *    full barrier there makes one of two writes closing a ring together
 *    see the other). The last reader leaving a held endpoint makes it a
 *    suspect. A suspect is on the lock-free list at most once
 *    (MXC_GC_QUEUED), with a reference.
 *  - A pass takes the whole list and walks from each suspect, each
 *    endpoint at most once (gc.pass): O(held endpoints) at worst. The
 *    suspects' flags are cleared before the first walk, so anything that
 *    changes during a pass queues the next one.
 *  - A pass that took more than a millisecond, with more suspects
 *    waiting, sleeps as long before it ends, so a user feeding it long
 *    chains gets at most about half a CPU of it; a user at its object or
 *    in-flight limit waits for the collector (mxc_gc_flush()), sleep
 *    included, before the limit refuses it.
 *
 * Lock order: mxc_gc_mutex, then (through the reaper) an endpoint's
 * read_lock and ch->lock. Nothing takes mxc_gc_mutex inside another lock.
 */

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/llist.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/workqueue.h>

#include "channel.h"
#include "mxchan.h"

enum { MXC_GC_QUEUED };

static LLIST_HEAD(mxc_gc_suspects);
static DEFINE_MUTEX(mxc_gc_mutex);	/* one pass at a time */
static unsigned long mxc_gc_pass;	/* mxc_gc_mutex */
static void mxc_gc_work_fn(struct work_struct *work);
static DECLARE_WORK(mxc_gc_work, mxc_gc_work_fn);

static atomic_long_t mxc_gc_passes = ATOMIC_LONG_INIT(0);
static atomic_long_t mxc_gc_rings = ATOMIC_LONG_INIT(0);
static atomic_long_t mxc_gc_members = ATOMIC_LONG_INIT(0);
static atomic_long_t mxc_gc_visited = ATOMIC_LONG_INIT(0);

void mxc_gc_init_endpoint(struct mxc_endpoint *ep)
{
	/* the rest of gc is zeroed with the channel */
	seqcount_init(&ep->gc.seq);
	INIT_LIST_HEAD(&ep->gc.batch);
	INIT_LIST_HEAD(&ep->gc.path);
}

static struct mxc_endpoint *mxc_gc_endpoint(struct mxc_handle *h)
{
	if (h->obj->ops->type != MXCHAN_OBJ_TYPE_CHANNEL)
		return NULL;
	return to_endpoint(h->obj);
}

static void mxc_gc_set_holder(struct mxc_endpoint *ep,
			      struct mxc_endpoint *holder)
{
	raw_write_seqcount_begin(&ep->gc.seq);
	WRITE_ONCE(ep->gc.holder, holder);
	raw_write_seqcount_end(&ep->gc.seq);
}

static void mxc_gc_suspect(struct mxc_endpoint *ep)
{
	if (test_and_set_bit(MXC_GC_QUEUED, &ep->gc.flags))
		return;
	kref_get(&ep->obj.ref);
	llist_add(&ep->gc.suspect, &mxc_gc_suspects);
	queue_work(system_unbound_wq, &mxc_gc_work);
}

/* @msg was just queued on @holder: the endpoints it carries are held. */
void mxc_gc_queued_locked(struct mxc_endpoint *holder,
			  struct mxc_message *msg)
{
	struct mxc_endpoint *ep;
	bool any = false;
	u32 i;

	lockdep_assert_held(&holder->ch->lock);
	for (i = 0; i < msg->num_handles; i++) {
		ep = mxc_gc_endpoint(msg->handles[i]);
		if (ep) {
			mxc_gc_set_holder(ep, holder);
			any = true;
		}
	}
	if (!any)
		return;
	/* pairs with itself in the writes closing a ring at the same time */
	smp_mb();
	if (!READ_ONCE(holder->gc.holder))
		return;			/* a table has it: no ring through it */
	for (i = 0; i < msg->num_handles; i++) {
		ep = mxc_gc_endpoint(msg->handles[i]);
		if (ep)
			mxc_gc_suspect(ep);
	}
}

/*
 * @msg was just taken off its queue, under the holder's ch->lock, or is
 * one of a closing endpoint's, now owned by its reaper alone: the
 * endpoints it carries are in nobody's queue.
 */
void mxc_gc_dequeued(struct mxc_message *msg)
{
	struct mxc_endpoint *ep;
	u32 i;

	for (i = 0; i < msg->num_handles; i++) {
		ep = mxc_gc_endpoint(msg->handles[i]);
		if (ep)
			mxc_gc_set_holder(ep, NULL);
	}
}

/* Under the table lock that still has @ep's handle. */
void mxc_gc_reader_enter(struct mxc_endpoint *ep)
{
	atomic_inc(&ep->gc.readers);
}

void mxc_gc_reader_exit(struct mxc_endpoint *ep)
{
	/* fully ordered: pairs with the barrier in mxc_gc_queued_locked() */
	if (atomic_dec_and_test(&ep->gc.readers) && READ_ONCE(ep->gc.holder))
		mxc_gc_suspect(ep);
}

/*
 * The holder of @ep, pinned, for the walk; NULL if @ep is not held, is
 * being read or moved, or its holder is going away. Records @ep's seq.
 */
static struct mxc_endpoint *mxc_gc_next(struct mxc_endpoint *ep)
{
	struct mxc_endpoint *holder;

	rcu_read_lock();
	ep->gc.snap = raw_read_seqcount(&ep->gc.seq);
	holder = READ_ONCE(ep->gc.holder);
	if ((ep->gc.snap & 1) || atomic_read(&ep->gc.readers) ||
	    (holder && !kref_get_unless_zero(&holder->obj.ref)))
		holder = NULL;
	rcu_read_unlock();
	return holder;
}

/*
 * The walk came back to @first: the ring is @first to the end of @path.
 * Destroy it if none of its members moved during the walk.
 */
static void mxc_gc_ring(struct list_head *path, struct mxc_endpoint *first)
{
	struct mxc_endpoint *ep = first;
	struct mxc_reaper r;
	long n = 0;

	list_for_each_entry_from(ep, path, gc.path) {
		if (read_seqcount_retry(&ep->gc.seq, ep->gc.snap))
			return;
		n++;
	}
	mxc_reaper_init(&r);
	mxc_endpoint_purge(first, &r);
	mxc_reaper_run(&r);
	atomic_long_inc(&mxc_gc_rings);
	atomic_long_add(n, &mxc_gc_members);
}

/* Follow holders from @start, which the caller keeps pinned. */
static void mxc_gc_walk(struct mxc_endpoint *start, unsigned long pass)
{
	struct mxc_endpoint *ep = start, *tmp;
	LIST_HEAD(path);

	kref_get(&ep->obj.ref);		/* the path holds a ref on each */
	while (ep) {
		if (ep->gc.pass == pass) {
			/* seen: on this walk, a ring; else its end is known */
			if (ep->gc.on_path)
				mxc_gc_ring(&path, ep);
			mxc_object_put(&ep->obj);
			break;
		}
		ep->gc.pass = pass;
		ep->gc.on_path = true;
		list_add_tail(&ep->gc.path, &path);
		atomic_long_inc(&mxc_gc_visited);
		ep = mxc_gc_next(ep);
		cond_resched();
	}
	list_for_each_entry_safe(ep, tmp, &path, gc.path) {
		list_del_init(&ep->gc.path);
		ep->gc.on_path = false;
		mxc_object_put(&ep->obj);
	}
}

static void mxc_gc_work_fn(struct work_struct *work)
{
	struct llist_node *node, *next;
	struct mxc_endpoint *ep, *tmp;
	LIST_HEAD(batch);
	u64 start, took;

	mutex_lock(&mxc_gc_mutex);
	start = ktime_get_ns();
	node = llist_del_all(&mxc_gc_suspects);
	if (!node)
		goto out;
	for (; node; node = next) {
		next = node->next;	/* before the flag lets it be queued */
		ep = llist_entry(node, struct mxc_endpoint, gc.suspect);
		list_add_tail(&ep->gc.batch, &batch);
		clear_bit(MXC_GC_QUEUED, &ep->gc.flags);
	}
	/* a change after this point queues the next pass */
	smp_mb__after_atomic();
	mxc_gc_pass++;
	list_for_each_entry_safe(ep, tmp, &batch, gc.batch) {
		list_del_init(&ep->gc.batch);
		mxc_gc_walk(ep, mxc_gc_pass);
		mxc_object_put(&ep->obj);	/* the suspect list's ref */
	}
	atomic_long_inc(&mxc_gc_passes);
out:
	mutex_unlock(&mxc_gc_mutex);
	/* the next pass, queued already, waits for this one to return */
	took = ktime_get_ns() - start;
	if (took > NSEC_PER_MSEC && !llist_empty(&mxc_gc_suspects))
		msleep(div_u64(min_t(u64, took, NSEC_PER_SEC), NSEC_PER_MSEC));
}

/*
 * Run the collector now if it is queued or running, and wait for it. True
 * if it was, so a caller short of objects or in-flight handles may retry.
 */
bool mxc_gc_flush(void)
{
	return flush_work(&mxc_gc_work);
}

/* Until no suspect is left, or @passes passes ran. */
void mxc_gc_settle(unsigned int passes)
{
	while (passes--) {
		mxc_gc_flush();
		if (llist_empty(&mxc_gc_suspects))
			break;
	}
}

void mxc_gc_stats(long *passes, long *rings, long *members, long *visited)
{
	*passes = atomic_long_read(&mxc_gc_passes);
	*rings = atomic_long_read(&mxc_gc_rings);
	*members = atomic_long_read(&mxc_gc_members);
	*visited = atomic_long_read(&mxc_gc_visited);
}

/* Module unload: no table is open, so no new suspect can come. */
void mxc_gc_exit(void)
{
	while (!llist_empty(&mxc_gc_suspects)) {
		queue_work(system_unbound_wq, &mxc_gc_work);
		flush_work(&mxc_gc_work);
	}
	cancel_work_sync(&mxc_gc_work);
}
