/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mxchan internals: objects, handles, handle tables, messages, channels.
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
 * a change of signals wakes the waiters whose signals it sets. The lock
 * may be taken inside a table, channel or event pair lock; no mxchan lock
 * is taken inside it (waking a task takes the scheduler's own locks).
 *
 * A handle is {object, rights}. It lives in exactly one place at a time:
 * a table slot or a message. Sending it moves the pointer; nothing is
 * copied.
 *
 * Destroying a handle can destroy messages, whose handles can close more
 * endpoints, and so on. That work goes through a reaper list walked by
 * one loop, so nested channels never recurse on the kernel stack.
 */
#ifndef _MXCHAN_H
#define _MXCHAN_H

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/kref.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <linux/wait.h>
#include <linux/xarray.h>

#include <linux/mxchan.h>

#define MXC_DEFAULT_CHANNEL_RIGHTS					\
	(MXCHAN_RIGHT_TRANSFER | MXCHAN_RIGHT_READ | MXCHAN_RIGHT_WRITE |	\
	 MXCHAN_RIGHT_SIGNAL | MXCHAN_RIGHT_SIGNAL_PEER)

#define MXC_DEFAULT_EVENT_RIGHTS					\
	(MXCHAN_RIGHT_DUPLICATE | MXCHAN_RIGHT_TRANSFER | MXCHAN_RIGHT_READ |	\
	 MXCHAN_RIGHT_WRITE | MXCHAN_RIGHT_SIGNAL)

#define MXC_DEFAULT_PORT_RIGHTS						\
	(MXCHAN_RIGHT_DUPLICATE | MXCHAN_RIGHT_TRANSFER | MXCHAN_RIGHT_READ |	\
	 MXCHAN_RIGHT_WRITE)

#define MXC_DEFAULT_EVENTPAIR_RIGHTS					\
	(MXCHAN_RIGHT_DUPLICATE | MXCHAN_RIGHT_TRANSFER | MXCHAN_RIGHT_READ |	\
	 MXCHAN_RIGHT_WRITE | MXCHAN_RIGHT_SIGNAL | MXCHAN_RIGHT_SIGNAL_PEER)

/* Limits, set by module parameters (main.c). */
extern unsigned int mxc_max_handles;
/* A handle value holds a 21-bit slot number (table.c): max_handles' cap. */
#define MXC_SLOT_BITS		21
#define MXC_MAX_SLOTS		BIT(MXC_SLOT_BITS)
extern unsigned int mxc_max_queued;
extern unsigned int mxc_max_port_packets;
extern unsigned int mxc_max_port_observers;
extern unsigned int mxc_max_user_handles;
extern unsigned int mxc_max_user_inflight;
extern unsigned int mxc_max_user_bytes;
extern unsigned int mxc_max_user_waits;
extern unsigned int mxc_max_object_waits;

struct mxc_object;
struct mxc_reaper;
struct mxc_share;
struct mxc_user;

/* Object types, as debugfs counts them (object.c). */
enum mxc_kind {
	MXC_KIND_CHANNEL,	/* an endpoint */
	MXC_KIND_EVENT,
	MXC_KIND_EVENTPAIR,	/* one side */
	MXC_KIND_PORT,
	MXC_NR_KINDS
};

struct mxc_object_ops {
	u32 type;				/* MXCHAN_OBJ_TYPE_* */
	u32 user_signals;			/* what object_signal may touch */
	/* the peer, with a ref; NULL if it closed; ERR_PTR if none can be */
	struct mxc_object *(*peer)(struct mxc_object *obj);
	void (*on_zero_handles)(struct mxc_object *obj, struct mxc_reaper *r);
	/* its handle was put in a table of @u's; may be NULL */
	void (*adopt)(struct mxc_object *obj, struct mxc_user *u);
	/* its handle left its table's slot; may be NULL */
	void (*handle_gone)(struct mxc_object *obj);
	void (*release)(struct mxc_object *obj);
	u64 (*related_koid)(struct mxc_object *obj);
	/* messages queued, for async waits on READABLE; may be NULL */
	u64 (*readable_count)(struct mxc_object *obj);
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
 * @seq (table.c): a lockless lookup that reads @seq even and unchanged
 * around obj and rights read one handle's pair, even if the memory was
 * freed and reused meanwhile (its cache is SLAB_TYPESAFE_BY_RCU, and
 * @seq, set once per slab page, only grows).
 */
struct mxc_handle {
	struct mxc_object *obj;
	u32 rights;
	u32 seq;
	u32 waiters;			/* sync waits through it, obj->wq.lock */
	u32 gen;			/* its slot's generation, table lock */
	struct mxc_watch *watch;	/* NULL until an async wait (port.c) */
};

/*
 * The async waits made through one handle. Set under the table lock by
 * the first one; kept while the handle travels in messages (it is the
 * same handle); freed with the handle, or by handle_replace (the new
 * handle is another one).
 */
struct mxc_watch {
	u64 id;			/* unique; queued packets know the handle by it */
	struct list_head observers;	/* armed ones, the object's wq.lock */
};

/* Messages whose handles still have to be destroyed. */
struct mxc_reaper {
	struct list_head msgs;
};

struct mxc_message {
	struct list_head node;
	struct mxc_user *to;		/* charged for it (user.c), or NULL */
	struct mxc_share *share;	/* its writer's share of @to, or NULL */
	u32 num_bytes;
	u32 num_handles;
	struct mxc_handle *handles[];	/* then num_bytes of data */
};

static inline void *mxc_message_data(struct mxc_message *msg)
{
	return &msg->handles[msg->num_handles];
}

/*
 * A handle table: one per open file. Slots live in an XArray whose lock
 * (xa_lock) is the table lock (table.c has the value scheme). Rules:
 *   - a slot holds a struct mxc_handle *, is reserved (XA_ZERO_ENTRY,
 *     read as NULL), or is free: a tombstone (value entry) holding its next
 *     generation, marked MXC_MARK_FREE;
 *   - a handle is added or removed only under the table lock;
 *   - the table lock may be held while taking a channel lock, never the
 *     other way round, and nothing sleeps or touches user memory under it;
 *   - a slot's claimed mark (channel_write) lives only within one hold;
 *   - @used slots are charged to @user, both changed under the lock.
 */
struct mxc_table {
	struct xarray slots;
	struct xarray startup;	/* startup id -> value, its own lock */
	atomic_t startup_count;	/* entries in startup, filled or reserved */
	struct xarray calls;	/* channel calls running or parked, by id */
	u32 next;		/* where a free slot is looked for, table lock */
	u32 top;		/* slots ever used: [0, top), table lock */
	u32 free;		/* tombstones among them, table lock */
	u32 mask;		/* scrambles slot numbers into handle values */
	u32 used;		/* slots in use or reserved, table lock */
	/*
	 * Whose budget its handles count against: the user who called into
	 * it last (mxc_table_user()). Every user it had stays referenced,
	 * on @past_users, until the table goes, so @user may be read
	 * without the lock.
	 */
	struct mxc_user *user;
	struct list_head past_users;
	/* for people (debugfs.c, trace.h), set at open */
	u64 id;			/* unique since load, from 1 */
	pid_t pid;		/* the opener's thread group, init namespace */
	char comm[TASK_COMM_LEN];	/* and its name then */
	struct dentry *debugfs;	/* tables/ID */
};

/* A handle's fields change between these (struct mxc_handle). */
static inline void mxc_handle_write_begin(struct mxc_handle *h)
{
	WRITE_ONCE(h->seq, h->seq + 1);
	/* the odd seq before any field: pairs with mxc_table_pin()'s rmb */
	smp_wmb();
}

static inline void mxc_handle_write_end(struct mxc_handle *h)
{
	/* the fields before the even seq: pairs with its acquire */
	smp_store_release(&h->seq, h->seq + 1);
}

/* object.c */
void mxc_object_init(struct mxc_object *obj, const struct mxc_object_ops *ops,
		     u32 signals);
bool mxc_object_add_wait_locked(struct mxc_object *obj);
int mxc_object_add_wait(struct mxc_object *obj);
void mxc_object_del_wait_locked(struct mxc_object *obj);
void mxc_object_put(struct mxc_object *obj);
void mxc_object_signal_locked(struct mxc_object *obj, u32 clear, u32 set);
void mxc_object_signal(struct mxc_object *obj, u32 clear, u32 set);
struct mxc_handle *mxc_handle_alloc(void);
void mxc_handle_free(struct mxc_handle *h);
void mxc_handle_init(struct mxc_handle *h, struct mxc_object *obj, u32 rights);
void mxc_handle_destroy(struct mxc_handle *h, struct mxc_reaper *r);
void mxc_handle_close(struct mxc_handle *h);
void mxc_reaper_init(struct mxc_reaper *r);
void mxc_reaper_add(struct mxc_reaper *r, struct mxc_message *msg);
void mxc_reaper_run(struct mxc_reaper *r);
void mxc_object_stats(long *objects, long *handles, long *messages);
void mxc_object_type_stats(unsigned int kind, long *created, long *destroyed);
const char *mxc_type_name(u32 type);
const char *mxc_kind_name(unsigned int kind);
int mxc_object_cache_init(void);
void mxc_object_cache_exit(void);

/* message.c */
struct mxc_message *mxc_message_alloc(u32 num_bytes, u32 num_handles);
int mxc_message_charge(struct mxc_message *msg, struct mxc_user *to,
		       struct mxc_share *share);
void mxc_message_free(struct mxc_message *msg);
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

/* table.c */
/* A reserved id in every table's calls: never a call's (call.c). */
#define MXC_CALLS_PIN	63
int mxc_table_init(struct mxc_table *t, struct mxc_user *u);
struct mxc_user *mxc_table_user(struct mxc_table *t);
#define MXC_WALK_STOP	UINT_MAX
void mxc_table_walk(struct mxc_table *t,
		    unsigned int (*fn)(void *arg, u32 value,
				       struct mxc_handle *h),
		    void *arg);
void mxc_table_destroy(struct mxc_table *t);
int mxc_table_reserve(struct mxc_table *t, u32 *values, unsigned int n);
void mxc_table_unreserve(struct mxc_table *t, const u32 *values,
			 unsigned int n);
void mxc_table_publish(struct mxc_table *t, const u32 *values,
		       struct mxc_handle **hs, unsigned int n);
struct mxc_handle *mxc_table_lookup_locked(struct mxc_table *t, u32 value);
int mxc_table_check_locked(struct mxc_table *t, u32 value, u32 rights,
			   u32 type, struct mxc_handle **hp);
int mxc_table_pin(struct mxc_table *t, u32 value, u32 rights, u32 type,
		  struct mxc_handle **hp, u32 *slotp, struct mxc_object **objp,
		  u32 *rightsp);
bool mxc_table_still(struct mxc_table *t, u32 slot, u32 value,
		     struct mxc_handle *h);
int mxc_table_get(struct mxc_table *t, u32 value, u32 rights, u32 type,
		  struct mxc_object **objp, u32 *rightsp);
int mxc_table_remove(struct mxc_table *t, u32 value, struct mxc_handle **hp);
int mxc_table_duplicate(struct mxc_table *t, u32 value, u32 rights,
			u32 __user *uout);
int mxc_table_replace(struct mxc_table *t, u32 value, u32 rights,
		      u32 __user *uout);
int mxc_table_claim_locked(struct mxc_table *t, const u32 *values,
			   unsigned int n, struct mxc_object *self,
			   struct mxc_handle **out);
void mxc_table_unclaim_locked(struct mxc_table *t, const u32 *values,
			      unsigned int n);
void mxc_table_detach_locked(struct mxc_table *t, const u32 *values,
			     unsigned int n);
/* Most startup ids a table remembers at once. */
#define MXC_MAX_STARTUP_IDS	4096

/* HANDLE_MOVE's working set, allocated once per call, off the stack. */
struct mxc_move_scratch {
	u32 values[MXCHAN_MAX_MSG_HANDLES];	/* in the source */
	u32 ids[MXCHAN_MAX_MSG_HANDLES];	/* startup ids */
	u32 out[MXCHAN_MAX_MSG_HANDLES];	/* in the destination */
	struct mxc_handle *hs[MXCHAN_MAX_MSG_HANDLES];
};

int mxc_table_move(struct mxc_table *src, struct mxc_table *dst,
		   struct mxc_move_scratch *s, unsigned int n, bool with_ids,
		   u32 __user *uout);
u32 mxc_table_startup_peek(struct mxc_table *t, u32 id);
bool mxc_table_startup_forget(struct mxc_table *t, u32 id, u32 value);

/* wait.c */
struct mxc_waiter {
	struct wait_queue_entry wqe;	/* on obj->wq; private is the task */
	struct mxc_object *obj;		/* a ref */
	/* counted in h->waiters until canceled; dereferenced only then */
	struct mxc_handle *h;
	u32 waitfor;
	u32 observed;			/* obj->wq.lock */
	bool canceled;			/* obj->wq.lock */
};

int mxc_waiter_add(struct mxc_table *t, u32 value, u32 rights, u32 type,
		   u32 waitfor, struct mxc_waiter *w);
void mxc_waiter_unlink_locked(struct mxc_waiter *w);
u32 mxc_waiter_remove(struct mxc_waiter *w, bool *canceled);
void mxc_handle_cancel_waits(struct mxc_handle *h);
ktime_t *mxc_deadline(u64 deadline, ktime_t *expires);
int mxc_wait_one(struct mxc_table *t, u32 value, u32 waitfor, u64 deadline,
		 u32 *observed);
int mxc_wait_many(struct mxc_table *t, struct mxchan_wait_item __user *uitems,
		  u32 count, u64 deadline);

/* call.c */
int mxc_channel_call(struct mxc_table *t, struct mxchan_channel_call *a,
		     struct mxchan_channel_call __user *ua);
int mxc_call_finish(struct mxc_table *t, struct mxchan_channel_call *a,
		    struct mxchan_channel_call __user *ua);
void mxc_call_discard(struct mxc_table *t, void *call);

/* pollfd.c */
int mxc_sigfd_create(struct mxc_table *t, u32 value, u32 signals,
		     int __user *ufd);

/* port.c */
int mxc_port_create(struct mxc_handle **hp);
int mxc_port_queue(struct mxc_table *t, u32 value,
		   const struct mxchan_port_packet __user *upkt);
int mxc_port_wait(struct mxc_table *t, u32 value, u64 deadline,
		  struct mxchan_port_packet __user *upkt);
int mxc_port_cancel(struct mxc_table *t, u32 value, u32 source, u64 key);
int mxc_wait_async(struct mxc_table *t, u32 value, u32 port, u64 key,
		   u32 signals, u32 options);
void mxc_port_handle_gone(struct mxc_handle *h);
void mxc_port_handle_replaced(struct mxc_handle *h);
void mxc_port_stats(long *packets, long *waits);

/* eventpair.c */
int mxc_eventpair_create(struct mxc_handle **h0, struct mxc_handle **h1);

/* user.c */
struct seq_file;
struct mxc_user *mxc_user_current(void);
bool mxc_user_is_current(const struct mxc_user *u);
void mxc_user_hold(struct mxc_user *u);
bool mxc_user_tryget(struct mxc_user *u);
void mxc_user_put(struct mxc_user *u);
int mxc_user_charge_handles(struct mxc_user *u, unsigned int n);
void mxc_user_uncharge_handles(struct mxc_user *u, unsigned int n);
int mxc_user_move_handles(struct mxc_user *from, struct mxc_user *to,
			  unsigned int n);
int mxc_user_charge_waits(struct mxc_user *u);
void mxc_user_uncharge_waits(struct mxc_user *u);
struct mxc_share *mxc_share_get(struct mxc_user *to, struct mxc_user *from);
struct mxc_share *mxc_share_lookup(struct mxc_user *to,
				   struct mxc_user *from);
void mxc_share_put(struct mxc_share *s);
struct mxc_user *mxc_share_to(const struct mxc_share *s);
int mxc_user_charge_message(struct mxc_user *to, struct mxc_share *s,
			    unsigned int handles, unsigned int bytes);
void mxc_user_uncharge_message(struct mxc_user *to, struct mxc_share *s,
			       unsigned int handles, unsigned int bytes);
void mxc_user_show(struct seq_file *m);
bool mxc_user_none_left(void);

/* debugfs.c: what the module shows of itself (and fdinfo) */
void mxc_debugfs_init(void);
void mxc_debugfs_exit(void);
void mxc_table_opened(struct mxc_table *t);
void mxc_table_closed(struct mxc_table *t);
void mxc_show_fdinfo(struct seq_file *m, struct mxc_table *t);

/* channel.c */
int mxc_channel_create(struct mxc_user *u, struct mxc_handle **h0,
		       struct mxc_handle **h1);
struct mxc_call;
int mxc_channel_write(struct mxc_table *t, struct mxc_object *obj,
		      struct mxc_message *msg, const u32 *values,
		      struct mxc_call *call);
int mxc_channel_get_reader(struct mxc_table *t, u32 value,
			   struct mxc_object **objp);
void mxc_channel_put_reader(struct mxc_object *obj);

/* What is queued at an endpoint, for debugfs; takes the channel lock. */
struct mxc_queue_stats {
	u32 messages;
	u32 handles;
	u64 bytes;
};

void mxc_channel_stats(struct mxc_object *obj, struct mxc_queue_stats *in,
		       struct mxc_queue_stats *out, bool *peer_closed);
int mxc_channel_read(struct mxc_table *t, struct mxc_object *obj,
		     const struct mxchan_channel_read *args);

/* gc.c: cycles of endpoints held in each other's queues */
struct mxc_gc_stats {
	long passes;		/* passes run */
	long rings;		/* rings destroyed */
	long members;		/* their endpoints */
	long visited;		/* endpoints walked */
	long waits;		/* users at a limit who waited for a pass */
};

int mxc_gc_init(void);
void mxc_gc_exit(void);
bool mxc_gc_flush(bool at_limit);
void mxc_gc_backpressure(void);
void mxc_gc_settle(unsigned int passes);
void mxc_gc_stats(struct mxc_gc_stats *st);

/* event.c */
int mxc_event_create(struct mxc_handle **hp);

#endif /* _MXCHAN_H */
