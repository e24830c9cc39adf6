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
 * table, inside one message on one endpoint's queue (its holder), or
 * somewhere else the kernel keeps it: a running ioctl, a reader's
 * ep->reading, a call's reply (a parked call's too: CALL_FINISH reads
 * it), a reaper's list. Only the queue counts as held; everything else is
 * alive, or about to be destroyed anyway. Only endpoints hold handles, so
 * following holders from any endpoint either ends at one that is not held
 * or comes back to an endpoint already seen:
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
 *    message is queued (or put back), cleared when it is taken off, both
 *    under the holder's ch->lock, or cleared by a draining endpoint
 *    (closing, or purged by us) once its messages are spliced off its
 *    queue and belong to nobody else, without the lock. An endpoint's one
 *    handle is in one place, so two writes to one holder never overlap;
 *    a write may be preempted, which only makes us stop a walk (odd seq),
 *    as we never spin on a seqcount.
 *  - gc.readers counts channel_reads on the endpoint. A read counts
 *    itself, then checks that its table still has the handle
 *    (mxc_channel_get_reader()), a full barrier between. A handle leaves
 *    its table before its holder is set (the seqcount's write barrier
 *    between), and we read readers after holder with a full barrier: so
 *    if we see the holder, we see every read that found the handle.
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
 *  - A pass moves the list onto the backlog (oldest first, under
 *    mxc_gc_mutex) and takes a batch off its head, sized so that a pass
 *    takes about MXC_GC_SLICE_NS: the mutex is never held for long, however
 *    many suspects wait. It walks from each suspect of the batch, each
 *    endpoint at most once (gc.pass): O(held endpoints) at worst. The
 *    batch's flags are cleared before its first walk, so anything that
 *    changes during a pass queues the next one; a suspect still on the
 *    backlog keeps its flag, and its walk, which comes later, sees the
 *    change. mxc_gc_pending counts the suspects on the list and backlog,
 *    mxc_gc_taken those ever taken into a batch: a flush is done when as
 *    many as were there when it came have been taken, by any pass, and
 *    it has held the mutex since (the pass that took them has ended).
 *  - Passes run on a workqueue of our own. After a pass that took more
 *    than a millisecond, the worker starts the next no sooner than as
 *    long again (mxc_gc_resume, checked when it runs), so a user feeding
 *    us long chains gets at most about half a CPU of it. The worker never
 *    sleeps on mxc_gc_mutex: if a user holds it, whoever unlocks with
 *    suspects left queues the worker again. A user at its object or
 *    in-flight limit runs passes itself, in its own time (mxc_gc_flush()),
 *    before the limit refuses it: an abuser pays for the passes it asks
 *    for, and a signal ends that between two passes. So does a writer
 *    whose message made suspects while more than MXC_GC_BACKLOG wait
 *    (mxc_gc_backpressure()): one pass each, so garbage made faster than
 *    half a CPU can collect it is collected by whoever makes it, and the
 *    backlog a flush or an unload inherits stays small.
 *
 * Lock order (all of it is in object.h): mxc_gc_mutex, then (through the
 * reaper) ch->lock and the object locks inside it. Nothing we do waits
 * for a reader or for userspace. The only lock held around mxc_gc_mutex
 * is a reader's ep->read_lock (a read at its user's budget runs a pass),
 * and the collector never takes that one.
 */

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/llist.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/workqueue.h>

#include "channel.h"

enum { MXC_GC_QUEUED };

/* a pass holds mxc_gc_mutex for about this long, at least one walk */
#define MXC_GC_SLICE_NS		(10 * NSEC_PER_MSEC)
#define MXC_GC_BATCH_MAX	65536
/* more suspects waiting than this: a writer adding to them runs a pass */
#define MXC_GC_BACKLOG		1024

static LLIST_HEAD(mxc_gc_suspects);
static DEFINE_MUTEX(mxc_gc_mutex);	/* one pass at a time */
static u64 mxc_gc_pass;			/* mxc_gc_mutex */
static LIST_HEAD(mxc_gc_backlog);	/* suspects taken, not walked; mutex */
static unsigned int mxc_gc_batch = 64;	/* suspects per pass; mutex */
static atomic_long_t mxc_gc_pending = ATOMIC_LONG_INIT(0);
/* suspects ever taken into a batch; changes under mxc_gc_mutex */
static atomic_long_t mxc_gc_taken = ATOMIC_LONG_INIT(0);
static struct workqueue_struct *mxc_gc_wq;
static void mxc_gc_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(mxc_gc_work, mxc_gc_work_fn);
static unsigned long mxc_gc_resume;	/* jiffies; no worker pass before */

static atomic_long_t mxc_gc_passes = ATOMIC_LONG_INIT(0);
static atomic_long_t mxc_gc_rings = ATOMIC_LONG_INIT(0);
static atomic_long_t mxc_gc_members = ATOMIC_LONG_INIT(0);
static atomic_long_t mxc_gc_visited = ATOMIC_LONG_INIT(0);
static atomic_long_t mxc_gc_waits = ATOMIC_LONG_INIT(0);

void mxc_gc_init_endpoint(struct mxc_endpoint *ep)
{
	/* the rest of gc is zeroed with the channel */
	seqcount_init(&ep->gc.seq);
	INIT_LIST_HEAD(&ep->gc.batch);
	INIT_LIST_HEAD(&ep->gc.path);
}

static struct mxc_endpoint *mxc_gc_endpoint(struct mxc_handle *h)
{
	if (!h->end)
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
	atomic_long_inc(&mxc_gc_pending);
	llist_add(&ep->gc.suspect, &mxc_gc_suspects);
	/* the worker keeps to the throttle itself; a queued pass stays */
	queue_delayed_work(mxc_gc_wq, &mxc_gc_work, 0);
}

/*
 * @msg was just queued on @holder: the endpoints it carries are held.
 * True if that made them suspects.
 */
bool mxc_gc_queued_locked(struct mxc_endpoint *holder,
			  struct mxc_message *msg)
{
	struct mxc_endpoint *ep;
	bool any = false;
	u32 i;

	lockdep_assert_held(&holder->ch->lock);
	if (!msg->num_ends)
		return false;
	for (i = 0; i < msg->num_handles; i++) {
		ep = mxc_gc_endpoint(msg->handles[i]);
		if (ep) {
			mxc_gc_set_holder(ep, holder);
			any = true;
		}
	}
	if (!any)
		return false;
	/* pairs with itself in the writes closing a ring at the same time */
	smp_mb();
	if (!READ_ONCE(holder->gc.holder))
		return false;		/* a table has it: no ring through it */
	for (i = 0; i < msg->num_handles; i++) {
		ep = mxc_gc_endpoint(msg->handles[i]);
		if (ep)
			mxc_gc_suspect(ep);
	}
	return true;
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

	if (!msg->num_ends)
		return;
	for (i = 0; i < msg->num_handles; i++) {
		ep = mxc_gc_endpoint(msg->handles[i]);
		if (ep)
			mxc_gc_set_holder(ep, NULL);
	}
}

/* Before the read checks that its table still has @ep's handle. */
void mxc_gc_reader_enter(struct mxc_endpoint *ep)
{
	atomic_inc(&ep->gc.readers);
	/* pairs with the barrier between holder and readers in mxc_gc_next() */
	smp_mb__after_atomic();
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
	/*
	 * A reader counts itself, then (full barrier) checks that its table
	 * still has the handle, which leaves the table before the holder is
	 * set: seeing the holder, we see that reader.
	 */
	smp_mb();
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
	first->obj.ops->purge(&first->obj, &r);
	mxc_reaper_run(&r);
	atomic_long_inc(&mxc_gc_rings);
	atomic_long_add(n, &mxc_gc_members);
}

/* Follow holders from @start, which the caller keeps pinned. */
static void mxc_gc_walk(struct mxc_endpoint *start, u64 pass)
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

/*
 * One pass: walk from the oldest suspects, a batch of them; the rest stay
 * on the backlog for the next pass. Returns how many were walked from.
 */
static long mxc_gc_pass_locked(void)
{
	struct llist_node *node, *next;
	struct mxc_endpoint *ep, *tmp;
	u64 start = ktime_get_ns(), took;
	LIST_HEAD(batch);
	long n = 0;

	lockdep_assert_held(&mxc_gc_mutex);
	/* their flags stay set: each is ours until we clear it */
	node = llist_reverse_order(llist_del_all(&mxc_gc_suspects));
	for (; node; node = next) {
		next = node->next;
		ep = llist_entry(node, struct mxc_endpoint, gc.suspect);
		list_add_tail(&ep->gc.batch, &mxc_gc_backlog);
	}
	list_for_each_entry_safe(ep, tmp, &mxc_gc_backlog, gc.batch) {
		if (n == mxc_gc_batch)
			break;
		list_move_tail(&ep->gc.batch, &batch);
		/* release: off list and backlog before it can be queued */
		clear_bit_unlock(MXC_GC_QUEUED, &ep->gc.flags);
		n++;
	}
	atomic_long_add(n, &mxc_gc_taken);
	/* taken, then no longer pending: mxc_gc_flush() reads them so */
	smp_mb__after_atomic();
	atomic_long_sub(n, &mxc_gc_pending);
	/* a change after this point queues the next pass */
	smp_mb__after_atomic();
	mxc_gc_pass++;
	list_for_each_entry_safe(ep, tmp, &batch, gc.batch) {
		list_del_init(&ep->gc.batch);
		mxc_gc_walk(ep, mxc_gc_pass);
		mxc_object_put(&ep->obj);	/* the suspect list's ref */
	}
	atomic_long_inc(&mxc_gc_passes);
	/* the next batch: about MXC_GC_SLICE_NS, if this one was full */
	took = ktime_get_ns() - start;
	if (took > MXC_GC_SLICE_NS && mxc_gc_batch > 1)
		mxc_gc_batch /= 2;
	else if (n == mxc_gc_batch && took < MXC_GC_SLICE_NS / 2 &&
		 mxc_gc_batch < MXC_GC_BATCH_MAX)
		mxc_gc_batch *= 2;
	return n;
}

/* Unlock; with suspects left, the worker takes them on (it never waits). */
static void mxc_gc_unlock(void)
{
	mutex_unlock(&mxc_gc_mutex);
	if (atomic_long_read(&mxc_gc_pending))
		queue_delayed_work(mxc_gc_wq, &mxc_gc_work, 0);
}

static void mxc_gc_work_fn(struct work_struct *work)
{
	unsigned long now = jiffies, at = READ_ONCE(mxc_gc_resume);
	u64 start, took;

	/* too soon after a long pass: come back when it is time */
	if (time_before(now, at)) {
		queue_delayed_work(mxc_gc_wq, &mxc_gc_work, at - now);
		return;
	}
	/* a user runs passes: its mxc_gc_unlock() queues us again */
	if (!mutex_trylock(&mxc_gc_mutex))
		return;
	start = ktime_get_ns();
	mxc_gc_pass_locked();
	took = ktime_get_ns() - start;
	/* as long again before the next one: at most about half a CPU */
	if (took > NSEC_PER_MSEC)
		WRITE_ONCE(mxc_gc_resume,
			   jiffies + usecs_to_jiffies(div_u64(took,
							      NSEC_PER_USEC)));
	mxc_gc_unlock();
}

/*
 * Run passes here and now, in the caller's own time, until every suspect
 * queued when it came has been walked from, by us or by a pass that took
 * it meanwhile and has ended (we held the mutex after it): a user at its
 * limit (@at_limit, counted) pays for the passes it asks for, whatever
 * the throttle says. It waits for a pass already running interruptibly
 * (no uninterruptible sleep on another's pass), and drops the mutex
 * between passes. False if there was nothing to collect and no pass ran,
 * or a signal came first or meanwhile.
 */
bool mxc_gc_flush(bool at_limit)
{
	long target = atomic_long_read(&mxc_gc_pending);
	bool first = true, done;

	if (!target && !mutex_is_locked(&mxc_gc_mutex))
		return false;
	/*
	 * Pending, then taken: a suspect taken in between counts twice,
	 * which only costs a pass more. Suspects are taken oldest first, so
	 * ours are taken once this many are.
	 */
	smp_rmb();	/* pairs with the barrier in mxc_gc_pass_locked() */
	target += atomic_long_read(&mxc_gc_taken);
	for (;;) {
		if (mutex_lock_interruptible(&mxc_gc_mutex))
			return false;
		if (at_limit && first)
			atomic_long_inc(&mxc_gc_waits);
		first = false;
		if (atomic_long_read(&mxc_gc_taken) < target)
			mxc_gc_pass_locked();
		/* the passes that took the others have ended: we hold the mutex */
		done = atomic_long_read(&mxc_gc_taken) >= target ||
		       !atomic_long_read(&mxc_gc_pending);
		mxc_gc_unlock();
		if (done)
			return true;
		cond_resched();
		if (signal_pending(current))
			return false;
	}
}

/*
 * mxc_table_reserve(), but at the user's handle budget the collector runs
 * and the reserve is tried again: rings nothing can reach may hold the
 * budget.
 */
int mxc_gc_table_reserve(struct mxc_table *t, u32 *values, unsigned int n)
{
	int ret = mxc_table_reserve(t, values, n);

	/* once more even if no pass ran: one may have ended just now */
	if (ret == -EMFILE) {
		mxc_gc_flush(true);
		ret = mxc_table_reserve(t, values, n);
	}
	return ret;
}

/*
 * A write whose message made suspects just returned, with no lock held:
 * if suspects pile up faster than the worker's share collects them, the
 * writer runs one pass in its own time (interruptibly, one batch). Only
 * a writer that adds to them pays: others' writes never wait here.
 */
void mxc_gc_backpressure(void)
{
	if (atomic_long_read(&mxc_gc_pending) <= MXC_GC_BACKLOG)
		return;
	if (mutex_lock_interruptible(&mxc_gc_mutex))
		return;
	mxc_gc_pass_locked();
	mxc_gc_unlock();
}

/*
 * Until no suspect is left and no pass runs (@passes flushes at most, or
 * a signal): the counts read next include every pass that has run.
 */
void mxc_gc_settle(unsigned int passes)
{
	while (passes-- && mxc_gc_flush(false))
		;
	/* the last pass's counts: pairs with its mutex_unlock() */
	smp_rmb();
}

void mxc_gc_stats(struct mxc_gc_stats *st)
{
	st->passes = atomic_long_read(&mxc_gc_passes);
	st->rings = atomic_long_read(&mxc_gc_rings);
	st->members = atomic_long_read(&mxc_gc_members);
	st->visited = atomic_long_read(&mxc_gc_visited);
	st->waits = atomic_long_read(&mxc_gc_waits);
}

int mxc_gc_init(void)
{
	mxc_gc_resume = jiffies;
	/* a pass frees memory: let it run under memory pressure too */
	mxc_gc_wq = alloc_workqueue("mxchan_gc", WQ_UNBOUND | WQ_MEM_RECLAIM, 1);
	return mxc_gc_wq ? 0 : -ENOMEM;
}

/*
 * Module unload: no table is open, so no new suspect can come; the ones
 * left go before the workqueue does.
 */
void mxc_gc_exit(void)
{
	cancel_delayed_work_sync(&mxc_gc_work);
	mutex_lock(&mxc_gc_mutex);
	while (atomic_long_read(&mxc_gc_pending))
		mxc_gc_pass_locked();
	mutex_unlock(&mxc_gc_mutex);
	destroy_workqueue(mxc_gc_wq);
}
