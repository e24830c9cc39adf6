/* SPDX-License-Identifier: GPL-2.0 */
/* Handle tables (table.c): one per open file, handle values to handles. */
#ifndef _MXC_TABLE_H
#define _MXC_TABLE_H

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/xarray.h>

#include "object.h"

/* A handle value holds a 21-bit slot number: max_handles' cap. */
#define MXC_SLOT_BITS		21
#define MXC_MAX_SLOTS		BIT(MXC_SLOT_BITS)

struct mxc_sent_ends;
struct mxc_slots;

/*
 * A handle table: one per open file. Its slots are an array of chunks,
 * published under RCU (table.c has the value scheme). Rules:
 *   - @lock is the table lock; it guards every slot, the free list and
 *     the counts below, and each handle's gen, claimed and rights while
 *     it is in the table;
 *   - a slot holds a struct mxc_handle *, is reserved (read as empty),
 *     or is free: a tombstone holding its next generation, on a FIFO list
 *     of free slots;
 *   - a handle is added or removed only under the table lock, and
 *     lookups without it run under RCU (mxc_table_pin());
 *   - the table lock may be held while taking a channel lock, never the
 *     other way round, and nothing sleeps or touches user memory under it;
 *   - a handle's claimed flag (channel_write) lives only within one hold;
 *   - @used slots are charged to @user, both changed under the lock.
 */
struct mxc_table {
	spinlock_t lock;		/* the table lock: the rules above */
	struct mxc_slots __rcu *slots;	/* NULL until the first handle */
	struct xarray startup;	/* startup id -> value, its own lock */
	atomic_t startup_count;	/* entries in startup, filled or reserved */
	struct xarray calls;	/* call.c's: calls running or parked, by id */
	struct mxc_call *call_spare;	/* call.c's: the last call's memory and id */
	struct mxc_sent_ends *sent;	/* call.c's: a write's ends, table lock */
	u32 root_vmar;		/* ioctl.c's: the root VMAR handle made last */
	u32 top;		/* slots ever used: [0, top), table lock */
	u32 free;		/* tombstones among them, table lock */
	u32 free_head;		/* the free slot to take next, if @free */
	u32 free_tail;		/* the one freed last, if @free */
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

/* The table lock (the top of table.c); only through these. */
static inline void mxc_table_lock(struct mxc_table *t)
	__acquires(&t->lock)
{
	spin_lock(&t->lock);
}

static inline void mxc_table_unlock(struct mxc_table *t)
	__releases(&t->lock)
{
	spin_unlock(&t->lock);
}

/* A write's hold: the lock only when it moves handles (@n of them). */
static inline void mxc_table_lock_for(struct mxc_table *t, unsigned int n)
	__acquires(&t->lock)
{
	if (n)
		spin_lock(&t->lock);
	else
		__acquire(&t->lock);
}

static inline void mxc_table_unlock_for(struct mxc_table *t, unsigned int n)
	__releases(&t->lock)
{
	if (n)
		spin_unlock(&t->lock);
	else
		__release(&t->lock);
}

static inline void mxc_table_assert_locked(struct mxc_table *t)
{
	lockdep_assert_held(&t->lock);
}

struct mxc_table *mxc_table_create(void);
struct mxc_user *mxc_table_user(struct mxc_table *t);
#define MXC_WALK_STOP	UINT_MAX
void mxc_table_walk(struct mxc_table *t,
		    unsigned int (*fn)(void *arg, u32 value,
				       struct mxc_handle *h),
		    void *arg);
void mxc_table_destroy(struct mxc_table *t);
int mxc_table_cache_init(void);
void mxc_table_cache_exit(void);
int mxc_table_reserve(struct mxc_table *t, u32 *values, unsigned int n);
void mxc_table_unreserve(struct mxc_table *t, const u32 *values,
			 unsigned int n);
void mxc_table_publish(struct mxc_table *t, const u32 *values,
		       struct mxc_handle **hs, unsigned int n);
struct mxc_handle *mxc_table_lookup_locked(struct mxc_table *t, u32 value);
/* A @type for mxc_table_check_locked(): any object with signals. */
#define MXC_TYPE_WAITABLE	U32_MAX
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
void mxc_table_unclaim_locked(struct mxc_table *t, struct mxc_handle **hs,
			      unsigned int n);
void mxc_table_detach_locked(struct mxc_table *t, const u32 *values,
			     struct mxc_handle **hs, unsigned int n);
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

#endif /* _MXC_TABLE_H */
