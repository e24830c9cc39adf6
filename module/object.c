// SPDX-License-Identifier: GPL-2.0
/*
 * Objects, handles and the reaper.
 *
 * An object (a channel end, an event, an event pair side, a port) has two
 * counts:
 *   - ref: a kref on its memory, held by every handle and by any code
 *     using the object outside a lock;
 *   - handles: the number of handles to it, in any table or inside any
 *     queued message. When it reaches zero the object's on_zero_handles()
 *     runs once (an endpoint closes: its peer sees PEER_CLOSED and the
 *     messages queued to it are destroyed).
 *
 * Every object has signals (Magenta's state bits) and a wait queue. Its
 * wait queue's lock guards the signals, the handle count and the waiters:
 * a change of signals wakes the waiters whose signals it sets. A handle
 * moves by its pointer: sending it copies nothing.
 *
 * Destroying a handle can destroy messages, whose handles can close more
 * endpoints, and so on. That work goes through a reaper list walked by
 * one loop, so nested channels never recurse on the kernel stack.
 *
 * Koids come from one counter that starts at 1024 and only grows, as in
 * Magenta. A handle pins its object's memory (ref) and counts in its
 * object's handles; the last handle going away runs on_zero_handles().
 * LAST_HANDLE is set exactly while one handle is left; the count and the
 * signal change together under the object's wait queue lock.
 */

#include <linux/sched.h>
#include <linux/slab.h>

#include "message.h"
#include "object.h"
#include "param.h"

static struct kmem_cache *mxc_handle_cache;
static atomic64_t mxc_next_koid = ATOMIC64_INIT(1024);
static DEFINE_PER_CPU(long, mxc_live_objects);
static DEFINE_PER_CPU(long, mxc_live_handles);

/* Objects made and gone since load, per type (debugfs's objects file). */
struct mxc_type_counts {
	long created[MXC_NR_KINDS];
	long destroyed[MXC_NR_KINDS];
};

static DEFINE_PER_CPU(struct mxc_type_counts, mxc_type_counts);

/* What ends when a handle leaves its slot; added to only at load. */
static LIST_HEAD(mxc_handle_hooks);

static const char *const mxc_kind_names[MXC_NR_KINDS] = {
	[MXC_KIND_CHANNEL] = "channel",
	[MXC_KIND_EVENT] = "event",
	[MXC_KIND_EVENTPAIR] = "eventpair",
	[MXC_KIND_PORT] = "port",
	[MXC_KIND_FIFO] = "fifo",
	[MXC_KIND_SOCKET] = "socket",
	[MXC_KIND_VMO] = "vmo",
	[MXC_KIND_VMAR] = "vmar",
	[MXC_KIND_TIMER] = "timer",
};

static unsigned int mxc_kind(u32 type)
{
	switch (type) {
	case MXCHAN_OBJ_TYPE_CHANNEL:
		return MXC_KIND_CHANNEL;
	case MXCHAN_OBJ_TYPE_EVENT:
		return MXC_KIND_EVENT;
	case MXCHAN_OBJ_TYPE_EVENT_PAIR:
		return MXC_KIND_EVENTPAIR;
	case MXCHAN_OBJ_TYPE_PORT:
		return MXC_KIND_PORT;
	case MXCHAN_OBJ_TYPE_FIFO:
		return MXC_KIND_FIFO;
	case MXCHAN_OBJ_TYPE_SOCKET:
		return MXC_KIND_SOCKET;
	case MXCHAN_OBJ_TYPE_VMO:
		return MXC_KIND_VMO;
	case MXCHAN_OBJ_TYPE_VMAR:
		return MXC_KIND_VMAR;
	case MXCHAN_OBJ_TYPE_TIMER:
		return MXC_KIND_TIMER;
	}
	WARN_ON_ONCE(1);	/* a new type needs its kind */
	return MXC_KIND_PORT;
}

const char *mxc_type_name(u32 type)
{
	return mxc_kind_names[mxc_kind(type)];
}

const char *mxc_kind_name(unsigned int kind)
{
	return mxc_kind_names[kind];
}

void mxc_object_init(struct mxc_object *obj, const struct mxc_object_ops *ops,
		     u32 signals)
{
	obj->ops = ops;
	kref_init(&obj->ref);
	init_waitqueue_head(&obj->wq);
	obj->signals = signals;
	obj->handles = 0;
	obj->waits = 0;
	obj->koid = atomic64_inc_return(&mxc_next_koid) - 1;
	this_cpu_inc(mxc_live_objects);
	this_cpu_inc(mxc_type_counts.created[mxc_kind(ops->type)]);
}

static void mxc_object_release(struct kref *ref)
{
	struct mxc_object *obj = container_of(ref, struct mxc_object, ref);

	this_cpu_dec(mxc_live_objects);
	this_cpu_inc(mxc_type_counts.destroyed[mxc_kind(obj->ops->type)]);
	obj->ops->release(obj);
}

void mxc_object_put(struct mxc_object *obj)
{
	kref_put(&obj->ref, mxc_object_release);
}

struct mxc_handle *mxc_handle_alloc(void)
{
	return kmem_cache_alloc(mxc_handle_cache, GFP_KERNEL_ACCOUNT);
}

/* Free a handle that mxc_handle_init() never set up. */
void mxc_handle_free(struct mxc_handle *h)
{
	kmem_cache_free(mxc_handle_cache, h);
}

/* Change signals and wake the waiters the new state satisfies. */
void mxc_object_signal_locked(struct mxc_object *obj, u32 clear, u32 set)
{
	u32 old = obj->signals;

	lockdep_assert_held(&obj->wq.lock);
	obj->signals = (old & ~clear) | set;
	/*
	 * The wake key is our signals, not poll bits (wait.c, sigfd.c).
	 * Waiters join under the lock we hold: an empty queue is exact.
	 */
	if (obj->signals != old && waitqueue_active(&obj->wq))
		wake_up_locked_poll(&obj->wq, (__force __poll_t)obj->signals);
}

/* The ops of an object that has no peer and no related object. */
struct mxc_object *mxc_object_no_peer(struct mxc_object *obj)
{
	return ERR_PTR(-EOPNOTSUPP);
}

u64 mxc_object_no_related_koid(struct mxc_object *obj)
{
	return 0;
}

void mxc_object_signal(struct mxc_object *obj, u32 clear, u32 set)
{
	spin_lock(&obj->wq.lock);
	mxc_object_signal_locked(obj, clear, set);
	spin_unlock(&obj->wq.lock);
}

/*
 * Every signal change walks the object's wait queue in the context of
 * whoever changes it, so what others may hang there is bounded: async
 * waits and signal fds, max_object_waits of them (sync waits need a
 * thread each). EMFILE (NO_RESOURCES) past it.
 */
bool mxc_object_add_wait_locked(struct mxc_object *obj)
{
	lockdep_assert_held(&obj->wq.lock);
	if (obj->waits >= READ_ONCE(mxc_max_object_waits))
		return false;
	obj->waits++;
	return true;
}

int mxc_object_add_wait(struct mxc_object *obj)
{
	bool ok;

	spin_lock(&obj->wq.lock);
	ok = mxc_object_add_wait_locked(obj);
	spin_unlock(&obj->wq.lock);
	return ok ? 0 : -EMFILE;
}

void mxc_object_del_wait_locked(struct mxc_object *obj)
{
	lockdep_assert_held(&obj->wq.lock);
	obj->waits--;
}

/*
 * Make h a handle to obj: one ref and one handle count. The caller
 * guarantees obj has handles already, or is new: a count that went to
 * zero never comes back.
 */
/*
 * A handle's fields change between these, only while it is in no table:
 * a lockless lookup that reads @seq even and unchanged around obj and
 * rights reads one handle's pair, even if the memory was freed and reused
 * meanwhile (its cache is SLAB_TYPESAFE_BY_RCU, and @seq, set once per
 * slab object, only grows).
 */
static void mxc_handle_write_begin(struct mxc_handle *h)
{
	WRITE_ONCE(h->seq, h->seq + 1);
	/* the odd seq before any field: pairs with mxc_table_pin()'s rmb */
	smp_wmb();
}

static void mxc_handle_write_end(struct mxc_handle *h)
{
	/* the fields before the even seq: pairs with its acquire */
	smp_store_release(&h->seq, h->seq + 1);
}

/*
 * handle_replace: @h, out of its table, comes back with @rights; a
 * lockless lookup of the old value sees one life or the other.
 */
void mxc_handle_set_rights(struct mxc_handle *h, u32 rights)
{
	mxc_handle_write_begin(h);
	WRITE_ONCE(h->rights, rights);
	mxc_handle_write_end(h);
}

void mxc_handle_init(struct mxc_handle *h, struct mxc_object *obj, u32 rights)
{
	kref_get(&obj->ref);
	spin_lock(&obj->wq.lock);
	if (++obj->handles == 1)
		mxc_object_signal_locked(obj, 0, MXCHAN_SIGNAL_LAST_HANDLE);
	else if (obj->handles == 2)
		mxc_object_signal_locked(obj, MXCHAN_SIGNAL_LAST_HANDLE, 0);
	spin_unlock(&obj->wq.lock);
	/* lockless lookups may be reading this memory's last life (table.c) */
	mxc_handle_write_begin(h);
	WRITE_ONCE(h->obj, obj);
	WRITE_ONCE(h->rights, rights);
	mxc_handle_write_end(h);
	h->waiters = 0;
	h->claimed = 0;
	h->end = obj->ops->type == MXCHAN_OBJ_TYPE_CHANNEL;
	h->watch = NULL;
	this_cpu_inc(mxc_live_handles);
}

void mxc_handle_hook_add(struct mxc_handle_hook *hook)
{
	list_add_tail(&hook->node, &mxc_handle_hooks);
}

/*
 * mxc_handle_end_waits()'s work: the hooks end the waits and async waits
 * made through @h. Out of its slot, it gains none: both start only on a
 * handle in its slot, under the table lock.
 */
void __mxc_handle_end_waits(struct mxc_handle *h)
{
	struct mxc_handle_hook *hook;

	list_for_each_entry(hook, &mxc_handle_hooks, node)
		hook->left(h);
}

/* handle_replace: @h left, and comes back as another handle. */
void mxc_handle_renew(struct mxc_handle *h, const struct mxc_table *t)
{
	mxc_handle_left(h, t);
	if (h->watch) {
		/* its async waits are over: the new handle starts afresh */
		WARN_ON_ONCE(!list_empty(&h->watch->observers));
		kfree(h->watch);
		h->watch = NULL;
	}
}

/*
 * Destroy a handle that is in no table and no message. Work it causes
 * (messages of endpoints that closed) is queued on r.
 */
void mxc_handle_destroy(struct mxc_handle *h, struct mxc_reaper *r)
{
	struct mxc_object *obj = h->obj;
	u32 left;

	if (h->watch) {
		/* its async waits ended when it left its table */
		WARN_ON_ONCE(!list_empty(&h->watch->observers));
		kfree(h->watch);
	}
	mxc_handle_free(h);
	this_cpu_dec(mxc_live_handles);
	spin_lock(&obj->wq.lock);
	left = --obj->handles;
	if (left == 1)
		mxc_object_signal_locked(obj, 0, MXCHAN_SIGNAL_LAST_HANDLE);
	spin_unlock(&obj->wq.lock);
	if (!left)
		obj->ops->on_zero_handles(obj, r);
	mxc_object_put(obj);
}

void mxc_handle_close(struct mxc_handle *h)
{
	struct mxc_reaper r;

	mxc_reaper_init(&r);
	mxc_handle_destroy(h, &r);
	mxc_reaper_run(&r);
}

void mxc_reaper_init(struct mxc_reaper *r)
{
	INIT_LIST_HEAD(&r->msgs);
}

/*
 * Destroy @msg and its handles when the reaper runs: it leaves the
 * endpoint whose @from spares it was made in (mxc_message_leave()).
 */
void mxc_reaper_add(struct mxc_reaper *r, struct mxc_message *msg,
		    struct mxc_spares *from)
{
	mxc_message_leave(msg, from);
	list_add_tail(&msg->node, &r->msgs);
}

/*
 * Destroy queued messages and their handles. A handle may close an
 * endpoint whose own queue is appended to the list, so a chain of nested
 * channels is walked iteratively.
 */
void mxc_reaper_run(struct mxc_reaper *r)
{
	struct mxc_message *msg;
	u32 i;

	while ((msg = list_first_entry_or_null(&r->msgs, struct mxc_message,
					       node))) {
		list_del(&msg->node);
		for (i = 0; i < msg->num_handles; i++)
			mxc_handle_destroy(msg->handles[i], r);
		mxc_message_free(msg);
		cond_resched();
	}
}

void mxc_object_stats(long *objects, long *handles, long *messages)
{
	*objects = mxc_live_sum(&mxc_live_objects);
	*handles = mxc_live_sum(&mxc_live_handles);
	*messages = mxc_live_sum(&mxc_live_messages);
}

void mxc_object_type_stats(unsigned int kind, long *created, long *destroyed)
{
	int cpu;

	*created = 0;
	*destroyed = 0;
	for_each_possible_cpu(cpu) {
		struct mxc_type_counts *c = per_cpu_ptr(&mxc_type_counts, cpu);

		*created += c->created[kind];
		*destroyed += c->destroyed[kind];
	}
}

/* Once per slab object: @seq then only grows, through every reuse. */
static void mxc_handle_ctor(void *p)
{
	struct mxc_handle *h = p;

	h->seq = 0;
}

int mxc_object_cache_init(void)
{
	/* lockless lookups may read a handle being freed (table.c) */
	mxc_handle_cache = kmem_cache_create("mxc_handle",
					     sizeof(struct mxc_handle), 0,
					     SLAB_ACCOUNT | SLAB_TYPESAFE_BY_RCU,
					     mxc_handle_ctor);
	return mxc_handle_cache ? 0 : -ENOMEM;
}

void mxc_object_cache_exit(void)
{
	kmem_cache_destroy(mxc_handle_cache);
}
