/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Objects and handles (object.c, which tells their counts and the
 * reaper), and the module's lock order.
 *
 * A handle is {object, rights}, in exactly one place at a time: a table
 * slot or a message. When it leaves its slot, what was made through it
 * ends by the hooks added with mxc_handle_hook_add() (waits, async waits)
 * and the object's handle_gone() (a channel end's parked calls), so the
 * table names none of them.
 *
 * Lock order, outermost first: a lock is taken only with locks above it
 * (or none) held. Each file says what its own locks guard.
 *   ep->read_lock     mutex: one reader per channel end (channel.c); a read
 *                     at its user's budget runs a collector pass under it.
 *   fifo and socket   read_lock and write_lock, mutexes of a FIFO end's
 *   end mutexes       ring (fifo.c) or a socket end's buffer (socket.c),
 *                     one at a time (a socket reader may try, never
 *                     wait for, its end's write_lock); user copies under
 *                     them.
 *   vmo->sem          rw_semaphore of a VMO (vmo.c), then at most one
 *                     parent's, shared; user copies and shmem's own
 *                     locks under it.
 *   mxc_gc_mutex      mutex: one collector pass (gc.c), which destroys
 *                     rings through the reaper, so takes all below.
 *   table lock        spinlock (table.c: mxc_table_lock()); no sleeping or
 *                     user memory under it.
 *   ch->lock          both ends of a channel (channel.c), or pair->lock,
 *                     both sides of an event pair (eventpair.c),
 *                     fifo->lock, both ends of a FIFO (fifo.c), or
 *                     sock->lock, both ends of a socket (socket.c).
 *   ep->txids lock    a channel end's calls by txid (txid.c).
 *   obj->wq.lock      an object's signals, handle count and waiters,
 *                     its cookie (cookie.c) and a timer's arming
 *                     (timer.c, whose hrtimer callback takes no lock:
 *                     it queues a work item that takes this one).
 *   port lock         a port's own wq.lock, its own class (port.c): async
 *                     waits (async.c) fire inside the watched object's lock.
 *   sigfd queue       a signal fd's poll queue (sigfd.c), likewise.
 * Leaves, nothing inside them: the users' hash lock and each user's share
 * lock (user.c), a VMO's name_lock (vmo.c), the lock of the XArray of
 * pending mappings (vmar.c). Never nested with the others: a table's
 * calls and startup XArray locks. A _locked function asserts its lock
 * first thing.
 */
#ifndef _MXC_OBJECT_H
#define _MXC_OBJECT_H

#include <linux/bits.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/types.h>
#include <linux/wait.h>

#include <linux/mxchan.h>

struct mxc_cookie_jar;
struct mxc_handle;
struct mxc_message;
struct mxc_spares;
struct mxc_object;
struct mxc_reaper;
struct mxc_table;
struct mxc_user;

/* Object types, as debugfs counts them (object.c). */
enum mxc_kind {
	MXC_KIND_CHANNEL,	/* an endpoint */
	MXC_KIND_EVENT,
	MXC_KIND_EVENTPAIR,	/* one side */
	MXC_KIND_PORT,
	MXC_KIND_FIFO,		/* one end */
	MXC_KIND_SOCKET,	/* one end */
	MXC_KIND_VMO,
	MXC_KIND_VMAR,
	MXC_KIND_TIMER,
	MXC_NR_KINDS
};

struct mxc_object_ops {
	u32 type;				/* MXCHAN_OBJ_TYPE_* */
	u32 user_signals;			/* what object_signal may touch */
	/* the peer, with a ref; NULL if it closed; ERR_PTR if none can be */
	struct mxc_object *(*peer)(struct mxc_object *obj);
	void (*on_zero_handles)(struct mxc_object *obj, struct mxc_reaper *r);
	/* drop what is queued to it, staying open (gc.c); may be NULL */
	void (*purge)(struct mxc_object *obj, struct mxc_reaper *r);
	/* its handle was put in a table of @u's; a channel end's only */
	void (*adopt)(struct mxc_object *obj, struct mxc_user *u);
	/*
	 * Its handle @h left its slot in @t (mxc_handle_gone()); a channel
	 * end's only. @h and @t are compared, not followed.
	 */
	void (*handle_gone)(struct mxc_object *obj, const struct mxc_handle *h,
			    const struct mxc_table *t);
	void (*release)(struct mxc_object *obj);
	u64 (*related_koid)(struct mxc_object *obj);
	/* messages queued, for async waits on READABLE; may be NULL */
	u64 (*readable_count)(struct mxc_object *obj);
	/* MXCHAN_PROP_NAME, MXCHAN_MAX_NAME_LEN bytes; NULL: no name */
	void (*get_name)(struct mxc_object *obj, char *name);
	int (*set_name)(struct mxc_object *obj, const char *name);
	/* its cookie (cookie.h); NULL: it keeps none */
	struct mxc_cookie_jar *(*cookie_jar)(struct mxc_object *obj);
	bool waitable;				/* has signals to wait on */
};

struct mxc_object {
	const struct mxc_object_ops *ops;
	struct kref ref;
	wait_queue_head_t wq;	/* waiters; wq.lock guards the three below */
	u32 signals;		/* MXCHAN_SIGNAL_* */
	u32 handles;		/* in tables and in messages */
	u32 waits;		/* async waits and signal fds on it */
	u64 koid;
};

/*
 * A handle's fields change only while it is in no table, inside an odd
 * @seq (object.c), so a lockless lookup reads one life's pair (table.c).
 */
struct mxc_handle {
	struct mxc_object *obj;
	u32 rights;
	u32 seq;
	u32 waiters;			/* sync waits through it, obj->wq.lock */
	u16 gen;			/* its slot's generation, table lock */
	u8 claimed;			/* by a write, within one table hold */
	u8 end;				/* obj is a channel end, for its life */
	struct mxc_watch *watch;	/* NULL until an async wait (port.c) */
};

/*
 * The async waits made through one handle (port.c): made by the first,
 * it travels with the handle, and goes with it or by handle_replace.
 */
struct mxc_watch {
	u64 id;			/* unique; queued packets know the handle by it */
	struct list_head observers;	/* armed ones, the object's wq.lock */
};

/* Messages whose handles still have to be destroyed. */
struct mxc_reaper {
	struct list_head msgs;
};

/*
 * A feature that makes things through a handle ends them when the handle
 * leaves its slot: @left runs, for a handle with waiters or a watch, with
 * the handle still whole, maybe under the table lock: it must not sleep.
 */
struct mxc_handle_hook {
	struct list_head node;
	void (*left)(struct mxc_handle *h);
};

/* object.c */
void mxc_handle_hook_add(struct mxc_handle_hook *hook);
void __mxc_handle_end_waits(struct mxc_handle *h);
void mxc_handle_renew(struct mxc_handle *h, const struct mxc_table *t);
void mxc_object_init(struct mxc_object *obj, const struct mxc_object_ops *ops,
		     u32 signals);
bool mxc_object_add_wait_locked(struct mxc_object *obj);
int mxc_object_add_wait(struct mxc_object *obj);
void mxc_object_del_wait_locked(struct mxc_object *obj);
void mxc_object_put(struct mxc_object *obj);
void mxc_object_signal_locked(struct mxc_object *obj, u32 clear, u32 set);
void mxc_object_signal(struct mxc_object *obj, u32 clear, u32 set);
struct mxc_object *mxc_object_no_peer(struct mxc_object *obj);
u64 mxc_object_no_related_koid(struct mxc_object *obj);
struct mxc_handle *mxc_handle_alloc(void);
void mxc_handle_free(struct mxc_handle *h);
void mxc_handle_init(struct mxc_handle *h, struct mxc_object *obj, u32 rights);
void mxc_handle_set_rights(struct mxc_handle *h, u32 rights);
void mxc_handle_destroy(struct mxc_handle *h, struct mxc_reaper *r);
void mxc_handle_close(struct mxc_handle *h);
void mxc_reaper_init(struct mxc_reaper *r);
void mxc_reaper_add(struct mxc_reaper *r, struct mxc_message *msg,
		    struct mxc_spares *from);
void mxc_reaper_run(struct mxc_reaper *r);
void mxc_object_stats(long *objects, long *handles, long *messages);
void mxc_object_type_stats(unsigned int kind, long *created, long *destroyed);
const char *mxc_type_name(u32 type);
const char *mxc_kind_name(unsigned int kind);
int mxc_object_cache_init(void);
void mxc_object_cache_exit(void);

/*
 * @h left its table's slot (closed, sent, replaced, or its table went):
 * what was made through it ends, in two parts. Most handles had nothing
 * made through them and are no channel end: nothing to do.
 *
 * Its waits and async waits, feature by feature (the hooks): under any
 * of the module's locks but the object's own.
 */
static inline void mxc_handle_end_waits(struct mxc_handle *h)
{
	if (READ_ONCE(h->waiters) || h->watch)
		__mxc_handle_end_waits(h);
}

/*
 * Then the object's own part: a channel end's calls parked through @h in
 * @t end, which takes the end's channel lock, so the caller holds none
 * (a table lock is fine).
 */
static inline void mxc_handle_gone(struct mxc_handle *h,
				   const struct mxc_table *t)
{
	if (h->end)
		h->obj->ops->handle_gone(h->obj, h, t);
}

static inline void mxc_handle_left(struct mxc_handle *h,
				   const struct mxc_table *t)
{
	mxc_handle_end_waits(h);
	mxc_handle_gone(h, t);
}

#endif /* _MXC_OBJECT_H */
