// SPDX-License-Identifier: GPL-2.0
/*
 * Handle tables.
 *
 * Locking: the table lock (t->lock) guards which handle sits in which
 * slot, the free list, and each handle's gen, claimed flag and rights
 * while it is in the table. It is a spinlock: no allocation, sleep or
 * user copy happens under it. channel_write takes a channel lock inside
 * it (table -> channel); nothing takes a table lock while holding a
 * channel lock.
 *
 * Slots: an arena, as Magenta's handle table was. The slots are an array
 * of chunks of MXC_CHUNK_SLOTS words; the array (struct mxc_slots) is
 * published under RCU and replaced by one twice its size when the table
 * outgrows it, and a chunk, once there, stays until the table goes. A
 * lookup is a decode, a bounds check, two loads and a generation check:
 * no tree, no lock.
 *
 * Lookups that only pin an object (mxc_table_get(), a read's
 * mxc_channel_get_reader()) take no lock: under RCU they load the slot,
 * read the handle's fields inside its seq (object.c), and load the slot
 * again; the handle counts only if it is still there with the same
 * generation and its seq did not move. Handles come from a
 * SLAB_TYPESAFE_BY_RCU cache and every object is freed after a grace
 * period, so whatever a stale handle points to is memory of the right
 * type until the lookup ends, and a handle's obj and rights are read as
 * one pair, from one life of its memory, however often it was reused
 * meanwhile (32 bits of seq: no RCU read section lasts 2^31 reuses).
 *
 * Budgets: the slots in use or reserved (@used) are charged to the
 * table's user (user.c), both under the lock, so a change of user moves
 * exactly what is charged (mxc_table_user()).
 *
 * Values: a value names a slot and that slot's generation. A free slot
 * keeps a tombstone holding the generation of its next use, one more
 * than the last, so a stale value finds a handle of another generation.
 * Free slots wait on a FIFO list, linked through their tombstones. The
 * table grows by a new slot while fewer than MXC_WINDOW slots are free;
 * otherwise it takes the slot freed longest ago. A value therefore comes
 * back only after its slot has been reused 2^9 times, at least
 * 2^9 * MXC_WINDOW allocations later (fewer only in a table of all
 * MXC_MAX_SLOTS slots). A table keeps the slots of its largest size
 * (plus MXC_WINDOW) until it is closed, so a busy table allocates
 * nothing. A value is ((gen << 21 | slot) << 1 | 1) ^ mask, with a
 * per-table random mask that keeps bit 0 clear and bit 31 clear: values
 * are odd, positive and differ between tables.
 */

#include <linux/random.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "param.h"
#include "table.h"
#include "trace.h"
#include "user.h"

#define MXC_GEN_BITS		9
#define MXC_GEN_MASK		((1U << MXC_GEN_BITS) - 1)
#define MXC_SLOT_MASK		(MXC_MAX_SLOTS - 1)
#define MXC_WINDOW		64

#define MXC_CHUNK_SHIFT		8
#define MXC_CHUNK_SLOTS		BIT(MXC_CHUNK_SHIFT)
#define MXC_CHUNK_MASK		(MXC_CHUNK_SLOTS - 1)
#define MXC_MAX_CHUNKS		(MXC_MAX_SLOTS >> MXC_CHUNK_SHIFT)

/*
 * A slot's word: a struct mxc_handle * (its low bits clear), or a slot
 * without a handle, tagged: free, with its next generation and the next
 * free slot (21 + 9 + 2 bits: a word even where longs are 32 bits), or
 * reserved, with the generation of the value handed out. 0: never used.
 */
#define MXC_SLOT_FREE		1UL
#define MXC_SLOT_RESERVED	2UL
#define MXC_SLOT_TAGS		3UL
#define MXC_NEXT_SHIFT		(MXC_GEN_BITS + 2)

struct mxc_chunk {
	unsigned long slot[MXC_CHUNK_SLOTS];
};

struct mxc_slots {
	struct rcu_head rcu;
	u32 nchunks;
	struct mxc_chunk __rcu *chunk[];
};

static inline unsigned long mxc_tomb(u32 gen, u32 next)
{
	return (unsigned long)next << MXC_NEXT_SHIFT |
	       (unsigned long)(gen & MXC_GEN_MASK) << 2 | MXC_SLOT_FREE;
}

static inline u32 mxc_word_gen(unsigned long word)
{
	return (word >> 2) & MXC_GEN_MASK;
}

static inline u32 mxc_tomb_next(unsigned long word)
{
	return (word >> MXC_NEXT_SHIFT) & MXC_SLOT_MASK;
}

static inline u32 mxc_value(const struct mxc_table *t, u32 slot, u32 gen)
{
	return ((((gen << MXC_SLOT_BITS) | slot) << 1) | 1) ^ t->mask;
}

static inline bool mxc_value_to_slot(const struct mxc_table *t, u32 value,
				     u32 *slot)
{
	u32 x = value ^ t->mask;

	if ((s32)value <= 0 || !(x & 1))
		return false;
	*slot = (x >> 1) & MXC_SLOT_MASK;
	return true;
}

static inline u32 mxc_value_gen(const struct mxc_table *t, u32 value)
{
	return (((value ^ t->mask) >> 1) >> MXC_SLOT_BITS) & MXC_GEN_MASK;
}

/* The word of @slot, under RCU or the table lock; 0 past the chunks. */
static inline unsigned long mxc_slot_load(struct mxc_table *t, u32 slot)
{
	struct mxc_slots *s;
	struct mxc_chunk *c;
	u32 i = slot >> MXC_CHUNK_SHIFT;

	s = rcu_dereference_check(t->slots, lockdep_is_held(&t->lock));
	if (!s || i >= s->nchunks)
		return 0;
	c = rcu_dereference_check(s->chunk[i], lockdep_is_held(&t->lock));
	/*
	 * Pairs with publish's smp_store_release(): what is read through a
	 * handle pointer depends on it.
	 */
	return c ? READ_ONCE(c->slot[slot & MXC_CHUNK_MASK]) : 0;
}

/*
 * The slot array, under the table lock: it stays while the lock is held,
 * so a function working on many slots loads it once.
 */
static inline struct mxc_slots *mxc_slots_locked(struct mxc_table *t)
{
	return rcu_dereference_protected(t->slots, lockdep_is_held(&t->lock));
}

/* Where @slot's word is in @s, under the table lock; @slot < t->top. */
static inline unsigned long *mxc_slot_at(struct mxc_table *t,
					 struct mxc_slots *s, u32 slot)
{
	struct mxc_chunk *c;

	c = rcu_dereference_protected(s->chunk[slot >> MXC_CHUNK_SHIFT],
				      lockdep_is_held(&t->lock));
	return &c->slot[slot & MXC_CHUNK_MASK];
}

static inline unsigned long *mxc_slot_locked(struct mxc_table *t, u32 slot)
{
	return mxc_slot_at(t, mxc_slots_locked(t), slot);
}

/* The handle in a slot whose word is @word, if @value names it. */
static inline struct mxc_handle *mxc_slot_handle(const struct mxc_table *t,
						 unsigned long word, u32 value)
{
	struct mxc_handle *h = (struct mxc_handle *)word;

	/* empty, reserved, free, or another generation's handle */
	if (!word || (word & MXC_SLOT_TAGS) ||
	    READ_ONCE(h->gen) != mxc_value_gen(t, value))
		return NULL;
	return h;
}

static struct kmem_cache *mxc_table_cache;

/* An empty table, its user the caller's; the calls' XArray is call.c's. */
struct mxc_table *mxc_table_create(void)
{
	struct mxc_table *t;

	t = kmem_cache_alloc(mxc_table_cache, GFP_KERNEL_ACCOUNT);
	if (!t)
		return NULL;
	t->user = mxc_user_current();
	if (!t->user) {
		kmem_cache_free(mxc_table_cache, t);
		return NULL;
	}
	INIT_LIST_HEAD(&t->past_users);
	spin_lock_init(&t->lock);
	RCU_INIT_POINTER(t->slots, NULL);
	xa_init_flags(&t->startup, XA_FLAGS_ACCOUNT);
	atomic_set(&t->startup_count, 0);
	t->top = 0;
	t->free = 0;
	t->free_head = 0;
	t->free_tail = 0;
	t->mask = get_random_u32() & 0x7ffffffe;
	t->used = 0;
	return t;
}

int mxc_table_cache_init(void)
{
	mxc_table_cache = KMEM_CACHE(mxc_table, SLAB_ACCOUNT);
	return mxc_table_cache ? 0 : -ENOMEM;
}

void mxc_table_cache_exit(void)
{
	kmem_cache_destroy(mxc_table_cache);
}

/* A user the table had, kept referenced until the table goes. */
struct mxc_past_user {
	struct list_head node;
	struct mxc_user *user;
};

struct mxc_adopt {
	struct mxc_table *t;
	struct mxc_user *u;
};

/*
 * Under the table lock: a later change of user walks the table again, so
 * this walk stops where it finds one (the owners stay the latest user's).
 */
static unsigned int mxc_table_adopt_one(void *arg, u32 value,
					struct mxc_handle *h)
{
	struct mxc_adopt *a = arg;

	if (a->t->user != a->u)
		return MXC_WALK_STOP;
	if (h->end)
		h->obj->ops->adopt(h->obj, a->u);
	return 1;
}

/*
 * The calling process's user: from now on the table's handles count
 * against it, and the channel ends in it are its own (what is queued to
 * them from then on is charged to it). A process whose user changed (a
 * worker that dropped privileges, a table inherited from another user's
 * process) takes the table over on its first call that charges anything:
 * EMFILE (NO_RESOURCES) if its budget has no room for the table's
 * handles, which then stay charged as they were.
 */
struct mxc_user *mxc_table_user(struct mxc_table *t)
{
	struct mxc_user *u = READ_ONCE(t->user), *drop = NULL;
	struct mxc_past_user *p, *new;
	int ret = 0;

	if (likely(mxc_user_is_current(u)))
		return u;
	u = mxc_user_current();
	new = kmalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
	if (!u || !new) {
		mxc_user_put(u);
		kfree(new);
		return ERR_PTR(-ENOMEM);
	}
	mxc_table_lock(t);
	if (t->user == u) {		/* another call of ours did it */
		drop = u;
		goto out;
	}
	ret = mxc_user_move_handles(t->user, u, t->used);
	if (ret) {
		drop = u;
		goto out;
	}
	list_for_each_entry(p, &t->past_users, node)
		if (p->user == u)
			break;
	if (!list_entry_is_head(p, &t->past_users, node)) {
		/* a user it had before: its entry keeps the one it had now */
		p->user = t->user;
		drop = u;
	} else {
		new->user = t->user;
		list_add(&new->node, &t->past_users);
		new = NULL;
	}
	WRITE_ONCE(t->user, u);
out:
	mxc_table_unlock(t);
	kfree(new);
	mxc_user_put(drop);
	if (ret)
		return ERR_PTR(ret);
	/* in the new user's own time: the ends it now holds are its own */
	mxc_table_walk(t, mxc_table_adopt_one, &(struct mxc_adopt){ t, u });
	return u;
}

/*
 * Call @fn on each handle in @t, with its value, under the table lock
 * (debugfs, fdinfo): @fn must not sleep, and returns the work it did (1
 * for a line; more if it walked a queue) or MXC_WALK_STOP to end the
 * walk. The lock is dropped every 256 units of work, free slots counting
 * one each, so a handle that moves meanwhile may be missed or seen twice.
 */
void mxc_table_walk(struct mxc_table *t,
		    unsigned int (*fn)(void *arg, u32 value,
				       struct mxc_handle *h),
		    void *arg)
{
	unsigned long work = 0, word;
	struct mxc_handle *h;
	unsigned int done;
	u32 slot;

	mxc_table_lock(t);
	for (slot = 0; slot < t->top; slot++) {
		word = *mxc_slot_locked(t, slot);
		/* reserved slots and tombstones hold no handle */
		if (!word || (word & MXC_SLOT_TAGS)) {
			done = 1;
		} else {
			h = (struct mxc_handle *)word;
			done = fn(arg, mxc_value(t, slot, h->gen), h);
			if (done == MXC_WALK_STOP)
				break;
		}
		work += done;
		if (work < 256)
			continue;
		work = 0;
		mxc_table_unlock(t);
		cond_resched();
		mxc_table_lock(t);
	}
	mxc_table_unlock(t);
}

/*
 * The file is gone: no ioctl runs on it and nothing else can see the
 * table, so its slots are read without the lock, and it is freed.
 */
void mxc_table_destroy(struct mxc_table *t)
{
	struct mxc_slots *s = rcu_dereference_protected(t->slots, true);
	struct mxc_past_user *p, *tmp;
	struct mxc_reaper r;
	struct mxc_chunk *c;
	unsigned long word;
	u32 i, j;

	mxc_reaper_init(&r);
	mxc_user_uncharge_handles(t->user, t->used);
	for (i = 0; s && i < s->nchunks; i++) {
		c = rcu_dereference_protected(s->chunk[i], true);
		for (j = 0; c && j < MXC_CHUNK_SLOTS; j++) {
			word = c->slot[j];
			if (!word || (word & MXC_SLOT_TAGS))	/* no handle */
				continue;
			/* no wait can run, but async waits may be armed */
			mxc_handle_left((struct mxc_handle *)word, t);
			mxc_handle_destroy((struct mxc_handle *)word, &r);
			mxc_reaper_run(&r);
			cond_resched();
		}
		kfree(c);
	}
	kvfree(s);
	xa_destroy(&t->startup);
	list_for_each_entry_safe(p, tmp, &t->past_users, node) {
		mxc_user_put(p->user);
		kfree(p);
	}
	mxc_user_put(t->user);
	kmem_cache_free(mxc_table_cache, t);
}

/*
 * @n free slots, chained through their tombstones from @first to @last
 * (whose next is 0), join the end of the free list.
 */
static void mxc_table_free_chain(struct mxc_table *t, struct mxc_slots *s,
				 u32 first, u32 last, unsigned int n)
{
	unsigned long *tail;

	mxc_table_assert_locked(t);
	if (t->free) {
		tail = mxc_slot_at(t, s, t->free_tail);
		WRITE_ONCE(*tail, mxc_tomb(mxc_word_gen(*tail), first));
	} else {
		t->free_head = first;
	}
	t->free_tail = last;
	t->free += n;
}

/* Leave @slot free, its next use being generation @gen: last in line. */
static void mxc_table_free_slot(struct mxc_table *t, u32 slot, u32 gen)
{
	struct mxc_slots *s = mxc_slots_locked(t);

	WRITE_ONCE(*mxc_slot_at(t, s, slot), mxc_tomb(gen, 0));
	mxc_table_free_chain(t, s, slot, slot, 1);
}

/*
 * Take up to @n slots and reserve them (lookups see nothing there yet),
 * each the free slot freed longest ago or a new one; their values go to
 * values[]. Returns how many: fewer if a new slot needs a chunk first
 * (mxc_table_grow()) or, unreachably, the table is full.
 */
static unsigned int mxc_table_take_slots(struct mxc_table *t, u32 *values,
					 unsigned int n)
{
	struct mxc_slots *s = mxc_slots_locked(t);
	unsigned long *word;
	unsigned int i;
	u32 slot, gen;

	for (i = 0; i < n; i++) {
		/* enough free slots wait, or the table cannot grow */
		if (t->free >= MXC_WINDOW ||
		    (t->free && t->top >= MXC_MAX_SLOTS)) {
			slot = t->free_head;
			word = mxc_slot_at(t, s, slot);
			gen = mxc_word_gen(*word);
			t->free_head = mxc_tomb_next(*word);
			t->free--;
		} else if (t->top < MXC_MAX_SLOTS && s &&
			   t->top >> MXC_CHUNK_SHIFT < s->nchunks &&
			   rcu_access_pointer(s->chunk[t->top >>
						       MXC_CHUNK_SHIFT])) {
			slot = t->top++;
			word = mxc_slot_at(t, s, slot);
			gen = 0;
		} else {
			/* the new slot's chunk first (or, unreachably, full) */
			break;
		}
		WRITE_ONCE(*word, (unsigned long)gen << 2 | MXC_SLOT_RESERVED);
		values[i] = mxc_value(t, slot, gen);
	}
	return i;
}

/*
 * Room for slot t->top: its chunk, and an array with room for it (twice
 * the old one's). Takes and drops the table lock; ENOMEM, or ENOSPC for
 * a table of all MXC_MAX_SLOTS slots.
 */
static int mxc_table_grow(struct mxc_table *t)
{
	struct mxc_slots *s, *ns = NULL, *old = NULL;
	struct mxc_chunk *c = NULL;
	u32 i, n;
	int ret = 0;

	for (;;) {
		mxc_table_lock(t);
		s = rcu_dereference_protected(t->slots,
					      lockdep_is_held(&t->lock));
		i = t->top >> MXC_CHUNK_SHIFT;
		n = s ? s->nchunks : 0;
		if (i >= MXC_MAX_CHUNKS) {
			ret = -ENOSPC;
		} else if (i < n && rcu_access_pointer(s->chunk[i])) {
			/* there already (another caller grew it) */
		} else if (i < n && c) {
			rcu_assign_pointer(s->chunk[i], c);
			c = NULL;
		} else if (i >= n && ns && ns->nchunks > i) {
			if (s)
				memcpy(ns->chunk, s->chunk,
				       n * sizeof(s->chunk[0]));
			rcu_assign_pointer(t->slots, ns);
			old = s;
			ns = NULL;
			mxc_table_unlock(t);
			if (old)
				kvfree_rcu(old, rcu);
			continue;
		} else {
			mxc_table_unlock(t);
			if (i < n) {
				c = kzalloc(sizeof(*c), GFP_KERNEL_ACCOUNT);
				if (!c)
					return -ENOMEM;
				continue;
			}
			kvfree(ns);
			n = min_t(u32, max_t(u32, 2 * n, i + 1),
				  MXC_MAX_CHUNKS);
			ns = kvzalloc(struct_size(ns, chunk, n),
				      GFP_KERNEL_ACCOUNT);
			if (!ns)
				return -ENOMEM;
			ns->nchunks = n;
			continue;
		}
		mxc_table_unlock(t);
		break;
	}
	kfree(c);
	kvfree(ns);
	return ret;
}

/* @n slots more in use: charged to the table's user. */
static int mxc_table_charge_locked(struct mxc_table *t, unsigned int n)
{
	int ret;

	mxc_table_assert_locked(t);
	/* a full table is Magenta's full handle arena: NO_MEMORY */
	if (t->used + n > READ_ONCE(mxc_max_handles))
		return -ENOMEM;
	ret = mxc_user_charge_handles(t->user, n);
	if (!ret)
		WRITE_ONCE(t->used, t->used + n);
	return ret;
}

static void mxc_table_uncharge_locked(struct mxc_table *t, unsigned int n)
{
	mxc_table_assert_locked(t);
	mxc_user_uncharge_handles(t->user, n);
	WRITE_ONCE(t->used, t->used - n);
}

/*
 * Reserve n slots; their values go to values[]. Nothing is visible yet.
 * ENOMEM for a full table, EMFILE (NO_RESOURCES) if its user's budget
 * has no room (mxc_gc_table_reserve() runs the collector first). One
 * hold of the lock, unless the table has to grow.
 */
int mxc_table_reserve(struct mxc_table *t, u32 *values, unsigned int n)
{
	unsigned int i = 0;
	int ret;

	if (!n)
		return 0;
	mxc_table_lock(t);
	ret = mxc_table_charge_locked(t, n);
	while (!ret) {
		i += mxc_table_take_slots(t, values + i, n - i);
		if (i == n)
			break;
		mxc_table_unlock(t);
		ret = mxc_table_grow(t) ? -ENOMEM : 0;
		mxc_table_lock(t);
		if (ret)
			mxc_table_uncharge_locked(t, n - i);
	}
	mxc_table_unlock(t);
	if (ret && i)
		mxc_table_unreserve(t, values, i);
	return ret;
}

void mxc_table_unreserve(struct mxc_table *t, const u32 *values,
			 unsigned int n)
{
	unsigned int i;
	u32 slot;

	if (!n)
		return;
	mxc_table_lock(t);
	for (i = 0; i < n; i++) {
		if (WARN_ON_ONCE(!mxc_value_to_slot(t, values[i], &slot) ||
				 slot >= t->top))
			continue;
		/* only a reserved slot goes back */
		if (WARN_ON_ONCE((*mxc_slot_locked(t, slot) & MXC_SLOT_TAGS) !=
				 MXC_SLOT_RESERVED))
			continue;
		/* the value may have been seen: its slot moves on too */
		mxc_table_free_slot(t, slot, mxc_value_gen(t, values[i]) + 1);
		mxc_table_uncharge_locked(t, 1);
	}
	mxc_table_unlock(t);
}

/*
 * Fill a reserved slot of @s, the table's slots. Cannot fail. The object
 * learns whose table holds it (a channel end's owner pays for what is
 * queued to it).
 */
static inline void mxc_table_publish_in(struct mxc_table *t,
					struct mxc_slots *s, u32 value,
					struct mxc_handle *h)
{
	unsigned long *word;
	u32 slot;

	mxc_table_assert_locked(t);
	if (WARN_ON_ONCE(!mxc_value_to_slot(t, value, &slot) ||
			 slot >= t->top))
		return;
	word = mxc_slot_at(t, s, slot);
	/* over a tombstone it would break the free list */
	if (WARN_ON_ONCE((*word & MXC_SLOT_TAGS) != MXC_SLOT_RESERVED))
		return;
	WRITE_ONCE(h->gen, mxc_value_gen(t, value));
	if (h->end)
		h->obj->ops->adopt(h->obj, t->user);
	/* the handle whole before lookups find it: pairs with their loads */
	smp_store_release(word, (unsigned long)h);
}

static void mxc_table_publish_locked(struct mxc_table *t, u32 value,
				     struct mxc_handle *h)
{
	mxc_table_publish_in(t, mxc_slots_locked(t), value, h);
}

void mxc_table_publish(struct mxc_table *t, const u32 *values,
		       struct mxc_handle **hs, unsigned int n)
{
	struct mxc_slots *s;
	unsigned int i;

	if (!n)
		return;
	mxc_table_lock(t);
	s = mxc_slots_locked(t);
	for (i = 0; i < n; i++)
		mxc_table_publish_in(t, s, values[i], hs[i]);
	mxc_table_unlock(t);
}

/* The handle @value names in @s, the table's slots, under the lock. */
static inline struct mxc_handle *mxc_lookup_in(struct mxc_table *t,
					       struct mxc_slots *s, u32 value)
{
	u32 slot;

	/* a slot below top has its chunk */
	if (!mxc_value_to_slot(t, value, &slot) || slot >= t->top)
		return NULL;
	return mxc_slot_handle(t, *mxc_slot_at(t, s, slot), value);
}

struct mxc_handle *mxc_table_lookup_locked(struct mxc_table *t, u32 value)
{
	mxc_table_assert_locked(t);
	return mxc_lookup_in(t, mxc_slots_locked(t), value);
}

/*
 * The handle @value names, if it has @rights on an object of @type (0:
 * any type; MXC_TYPE_WAITABLE: any with signals, else NOT_SUPPORTED),
 * checked in Magenta's order: BAD_HANDLE, ACCESS_DENIED, WRONG_TYPE.
 */
int mxc_table_check_locked(struct mxc_table *t, u32 value, u32 rights,
			   u32 type, struct mxc_handle **hp)
{
	struct mxc_handle *h;

	mxc_table_assert_locked(t);
	h = mxc_table_lookup_locked(t, value);
	if (!h)
		return -EBADF;
	if ((h->rights & rights) != rights)
		return -EACCES;
	if (type == MXC_TYPE_WAITABLE) {
		if (!h->obj->ops->waitable)
			return -EOPNOTSUPP;
	} else if (type && h->obj->ops->type != type) {
		return -EPROTOTYPE;
	}
	*hp = h;
	return 0;
}

/* Under RCU: @value still names @h, in @slot. */
bool mxc_table_still(struct mxc_table *t, u32 slot, u32 value,
		     struct mxc_handle *h)
{
	return mxc_slot_handle(t, mxc_slot_load(t, slot), value) == h;
}

/*
 * As mxc_table_check_locked(), without the lock; on success the caller
 * holds a ref on *objp, the object of *hp, which was the handle @value
 * named after the ref was taken; *slotp is its slot.
 */
int mxc_table_pin(struct mxc_table *t, u32 value, u32 rights, u32 type,
		  struct mxc_handle **hp, u32 *slotp, struct mxc_object **objp,
		  u32 *rightsp)
{
	struct mxc_object *obj;
	struct mxc_handle *h;
	u32 slot, have, seq;
	int ret = 0;

	if (!mxc_value_to_slot(t, value, &slot))
		return -EBADF;
	rcu_read_lock();
	h = mxc_slot_handle(t, mxc_slot_load(t, slot), value);
	if (!h) {
		ret = -EBADF;
		goto out;
	}
	/* one life's pair of fields, as mxc_handle_write_begin/end() wrote */
	seq = smp_load_acquire(&h->seq);
	obj = READ_ONCE(h->obj);
	have = READ_ONCE(h->rights);
	/* the fields before seq again: pairs with write_begin()'s wmb */
	smp_rmb();
	if ((seq & 1) || READ_ONCE(h->seq) != seq ||
	    !mxc_table_still(t, slot, value, h))
		ret = -EBADF;
	else if ((have & rights) != rights)
		ret = -EACCES;
	else if (type && obj->ops->type != type)
		ret = -EPROTOTYPE;
	else if (!kref_get_unless_zero(&obj->ref))
		ret = -EBADF;		/* closing as we looked */
out:
	rcu_read_unlock();
	if (ret)
		return ret;
	*hp = h;
	*slotp = slot;
	*objp = obj;
	if (rightsp)
		*rightsp = have;
	return 0;
}

/* As mxc_table_check_locked(); on success the caller holds a ref on *objp. */
int mxc_table_get(struct mxc_table *t, u32 value, u32 rights, u32 type,
		  struct mxc_object **objp, u32 *rightsp)
{
	struct mxc_handle *h;
	u32 slot;

	return mxc_table_pin(t, value, rights, type, &h, &slot, objp, rightsp);
}

/* Take a handle out of the table; the caller destroys it. */
int mxc_table_remove(struct mxc_table *t, u32 value, struct mxc_handle **hp)
{
	struct mxc_handle *h;
	u32 slot;

	if (!mxc_value_to_slot(t, value, &slot))
		return -EBADF;
	mxc_table_lock(t);
	h = mxc_slot_handle(t, mxc_slot_load(t, slot), value);
	if (h) {
		mxc_table_free_slot(t, slot, h->gen + 1);
		mxc_table_uncharge_locked(t, 1);
	}
	mxc_table_unlock(t);
	if (!h)
		return -EBADF;
	/* no new wait can find h now; end the ones made through it */
	mxc_handle_left(h, t);
	*hp = h;
	return 0;
}

/* Resolve MXCHAN_RIGHT_SAME_RIGHTS and check @want is a subset of @have. */
static int mxc_rights_derive(u32 have, u32 want, u32 *out)
{
	if (want == MXCHAN_RIGHT_SAME_RIGHTS)
		want = have;
	else if (want & ~have)
		return -EINVAL;
	*out = want;
	return 0;
}

/*
 * Validate @value for duplicate (@dup) or replace, in Magenta's order,
 * before anything is allocated; the caller checks again under the lock.
 */
static int mxc_table_check_derive(struct mxc_table *t, u32 value, u32 rights,
				  bool dup, u32 *newr)
{
	struct mxc_handle *h;
	int ret;

	mxc_table_lock(t);
	h = mxc_table_lookup_locked(t, value);
	if (!h)
		ret = -EBADF;
	else if (dup && !(h->rights & MXCHAN_RIGHT_DUPLICATE))
		ret = -EACCES;
	else
		ret = mxc_rights_derive(h->rights, rights, newr);
	mxc_table_unlock(t);
	return ret;
}

/*
 * The new value is written to @uout before the handle is published, so
 * a fault there leaves the table as it was.
 */
int mxc_table_duplicate(struct mxc_table *t, u32 value, u32 rights,
			u32 __user *uout)
{
	struct mxc_handle *h, *nh;
	u32 newr, out[1];
	int ret;

	ret = mxc_table_check_derive(t, value, rights, true, &newr);
	if (ret)
		return ret;
	nh = mxc_handle_alloc();
	if (!nh)
		return -ENOMEM;
	ret = mxc_table_reserve(t, out, 1);
	if (ret) {
		mxc_handle_free(nh);
		return ret;
	}
	if (put_user(*out, uout)) {
		mxc_table_unreserve(t, out, 1);
		mxc_handle_free(nh);
		return -EINVAL;
	}
	mxc_table_lock(t);
	/* the value may name another handle by now: check it all again */
	h = mxc_table_lookup_locked(t, value);
	if (!h)
		ret = -EBADF;
	else if (!(h->rights & MXCHAN_RIGHT_DUPLICATE))
		ret = -EACCES;
	else
		ret = mxc_rights_derive(h->rights, rights, &newr);
	if (!ret) {
		/* h is in the table: its object still has handles */
		mxc_handle_init(nh, h->obj, newr);
		mxc_table_publish_locked(t, *out, nh);
	}
	mxc_table_unlock(t);
	if (ret) {
		mxc_table_unreserve(t, out, 1);
		mxc_handle_free(nh);
	}
	return ret;
}

/* As duplicate: the new value goes out before anything changes. */
int mxc_table_replace(struct mxc_table *t, u32 value, u32 rights,
		      u32 __user *uout)
{
	struct mxc_handle *h;
	u32 newr, slot, out[1];
	int ret;

	ret = mxc_table_check_derive(t, value, rights, false, &newr);
	if (ret)
		return ret;
	ret = mxc_table_reserve(t, out, 1);
	if (ret)
		return ret;
	if (put_user(*out, uout)) {
		mxc_table_unreserve(t, out, 1);
		return -EINVAL;
	}
	mxc_value_to_slot(t, value, &slot);	/* found above */
	mxc_table_lock(t);
	/* the value may name another handle by now: check it again */
	h = mxc_table_lookup_locked(t, value);
	if (!h)
		ret = -EBADF;
	else
		ret = mxc_rights_derive(h->rights, rights, &newr);
	if (!ret) {
		mxc_table_free_slot(t, slot, h->gen + 1);
		mxc_table_uncharge_locked(t, 1);
		/* as in Magenta, the old handle's waits end */
		mxc_handle_renew(h, t);
		mxc_handle_set_rights(h, newr);
		mxc_table_publish_locked(t, *out, h);
	}
	mxc_table_unlock(t);
	if (ret)
		mxc_table_unreserve(t, out, 1);
	return ret;
}

/*
 * channel_write, step one, under the table lock: find the handles to send,
 * check them and claim them, changing nothing else. Magenta's order: per
 * value, BAD_HANDLE, NOT_SUPPORTED (the channel being written),
 * ACCESS_DENIED (no TRANSFER); then INVALID_ARGS for a value given twice:
 * a handle is claimed by a flag on it, so a second claim of it shows. On
 * success, returns how many of them are channel ends, and the handles stay
 * claimed until detached or unclaimed in the same hold; on error none is.
 */
int mxc_table_claim_locked(struct mxc_table *t, const u32 *values,
			   unsigned int n, struct mxc_object *self,
			   struct mxc_handle **out)
{
	struct mxc_slots *s = mxc_slots_locked(t);
	unsigned int i, ends = 0;
	struct mxc_handle *h;
	bool twice = false;
	int ret = 0;

	mxc_table_assert_locked(t);
	for (i = 0; i < n; i++) {
		h = mxc_lookup_in(t, s, values[i]);
		if (!h)
			ret = -EBADF;
		else if (h->obj == self)
			ret = -EOPNOTSUPP;
		else if (!(h->rights & MXCHAN_RIGHT_TRANSFER))
			ret = -EACCES;
		if (ret)
			break;
		out[i] = h;
		twice |= h->claimed;
		h->claimed = 1;
		ends += h->end;
	}
	if (!ret && !twice)
		return ends;
	/* an error, or a value given twice: none stays claimed */
	mxc_table_unclaim_locked(t, out, i);
	return ret ?: -EINVAL;
}

void mxc_table_unclaim_locked(struct mxc_table *t, struct mxc_handle **hs,
			      unsigned int n)
{
	unsigned int i;

	mxc_table_assert_locked(t);
	for (i = 0; i < n; i++)
		hs[i]->claimed = 0;
}

/*
 * channel_write, committed: the claimed handles @hs leave the table. Their
 * slots join the free list in one chain, in order. Their waits end here;
 * the caller ends the rest, mxc_handle_gone(), once it holds no channel
 * lock (a write holds one here).
 */
void mxc_table_detach_locked(struct mxc_table *t, const u32 *values,
			     struct mxc_handle **hs, unsigned int n)
{
	struct mxc_slots *s = mxc_slots_locked(t);
	u32 first, slot, next = 0;
	unsigned int i;

	mxc_table_assert_locked(t);
	if (!n)
		return;
	mxc_value_to_slot(t, values[0], &first);	/* claimed */
	slot = first;
	for (i = 0; i < n; i++) {
		if (i + 1 < n)
			mxc_value_to_slot(t, values[i + 1], &next);
		WRITE_ONCE(*mxc_slot_at(t, s, slot),
			   mxc_tomb(hs[i]->gen + 1, i + 1 < n ? next : 0));
		hs[i]->claimed = 0;
		mxc_handle_end_waits(hs[i]);
		if (i + 1 < n)
			slot = next;
	}
	mxc_table_free_chain(t, s, first, slot, n);
	mxc_table_uncharge_locked(t, n);
}

/* Drop the ids reserved for a move that failed; filled ones are not ours. */
static void mxc_table_release_ids(struct mxc_table *t, const u32 *ids,
				  unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		xa_release(&t->startup, ids[i]);
	atomic_sub(n, &t->startup_count);
}

/*
 * Move n handles from @src to @dst, all or nothing: reserve their slots in
 * @dst (and their startup @ids, if any), tell the caller the new values at
 * @uout, take the handles out of @src under its lock, fill the reserved
 * slots, then the ids. The two table locks are never held together.
 * @s is scratch space for the values and handles in between.
 */
int mxc_table_move(struct mxc_table *src, struct mxc_table *dst,
		   struct mxc_move_scratch *s, unsigned int n, bool with_ids,
		   u32 __user *uout)
{
	unsigned int i = 0;
	int ret;

	ret = mxc_table_reserve(dst, s->out, n);
	if (ret)
		return ret;
	if (with_ids &&
	    atomic_add_return(n, &dst->startup_count) > MXC_MAX_STARTUP_IDS) {
		atomic_sub(n, &dst->startup_count);
		ret = -ENOMEM;
		goto undo_slots;
	}
	for (i = 0; with_ids && i < n; i++) {
		ret = xa_insert(&dst->startup, s->ids[i], NULL,
				GFP_KERNEL_ACCOUNT);
		if (ret) {
			ret = ret == -EBUSY ? -EEXIST : -ENOMEM;
			goto undo_ids;
		}
	}
	if (copy_to_user(uout, s->out, n * sizeof(u32))) {
		ret = -EINVAL;
		goto undo_ids;
	}

	mxc_table_lock(src);
	ret = mxc_table_claim_locked(src, s->values, n, NULL, s->hs);
	if (ret >= 0) {
		mxc_table_detach_locked(src, s->values, s->hs, n);
		for (i = 0; i < n; i++)
			mxc_handle_gone(s->hs[i], src);
	}
	mxc_table_unlock(src);
	if (ret < 0)
		goto undo_ids;

	if (trace_mxchan_transfer_enabled())
		for (i = 0; i < n; i++)
			trace_mxchan_transfer(src->id, dst->id, 0, s->out[i],
					      s->hs[i]);
	mxc_table_publish(dst, s->out, s->hs, n);
	/* filling a reserved id allocates nothing, so it cannot fail */
	for (i = 0; with_ids && i < n; i++)
		xa_store(&dst->startup, s->ids[i], xa_mk_value(s->out[i]),
			 GFP_KERNEL_ACCOUNT);
	return 0;

undo_ids:
	if (with_ids) {
		mxc_table_release_ids(dst, s->ids, i);
		atomic_sub(n - i, &dst->startup_count);
	}
undo_slots:
	mxc_table_unreserve(dst, s->out, n);
	return ret;
}

/*
 * The value remembered under @id, or 0 (MX_HANDLE_INVALID) if there is
 * none, or a move that reserved @id has not finished; @id stays.
 */
u32 mxc_table_startup_peek(struct mxc_table *t, u32 id)
{
	void *v = xa_load(&t->startup, id);

	return xa_is_value(v) ? xa_to_value(v) : 0;
}

/*
 * Forget @id, whose value the caller has handed out, if it still holds
 * @value; false if another take had it first.
 */
bool mxc_table_startup_forget(struct mxc_table *t, u32 id, u32 value)
{
	void *v;
	bool ours;

	xa_lock(&t->startup);
	v = xa_load(&t->startup, id);
	ours = xa_is_value(v) && xa_to_value(v) == value;
	if (ours)
		__xa_erase(&t->startup, id);
	xa_unlock(&t->startup);
	if (ours)
		atomic_dec(&t->startup_count);
	return ours;
}
