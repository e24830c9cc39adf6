// SPDX-License-Identifier: GPL-2.0
/*
 * Per-user budgets: what one user may hold, so that no user can pin
 * unbounded kernel memory, exhaust another user's budget, or multiply
 * its own with user namespaces.
 *
 * Who a user is. The budget belongs to the user of the calling process,
 * taken from its credentials at each call (mxc_user_of()): the effective
 * uid, unless the process runs in user namespaces made by an
 * unprivileged user, in which case it is the owner of the outermost one
 * of those. So everything a user does in namespaces of its own, with any
 * number of subordinate ids, draws on that user's one budget, as the
 * kernel's own per-user counts do; namespaces made by root (a container
 * runtime's) leave each container uid a budget of its own.
 *
 * What a user pays for, each bounded by a module parameter:
 *   - handles: the handles in the tables its processes use (a table's
 *     handles count against the user whose process last called into it:
 *     a worker that drops privileges pays for its table from then on);
 *   - inflight and bytes: the handles and bytes of the messages queued to
 *     the channel ends it holds, whoever wrote them: the reader pays for
 *     what it leaves unread. An end belongs to the user whose table it
 *     was last put in or read from (channel.c);
 *   - waits: its async waits and signal fds.
 * Another user's messages may take at most half of what the receiving
 * user has left of inflight and bytes (a share, per writing user), so a
 * writer cannot fill its reader's budget and a reader cannot drain its
 * writer's: a user keeps at least half of what it does not use itself
 * against any one writer, and 1/2^n of it against n writers at once.
 *
 * Locking: users live in an RCU hash under mxc_users_lock, taken only to
 * add or remove one. A user's shares live in its own RCU hash under its
 * ->lock. Counts are atomics, charged first and checked after, so
 * racing charges can only refuse too early. Users and shares are freed
 * after a grace period, so a lookup under RCU may find one whose count
 * just reached zero: it takes a reference only if the count is not.
 */

#include <linux/cred.h>
#include <linux/hashtable.h>
#include <linux/rculist.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uidgid.h>
#include <linux/user_namespace.h>

#include "param.h"
#include "user.h"

struct mxc_user {
	struct hlist_node node;		/* mxc_users, mxc_users_lock */
	kuid_t uid;
	refcount_t ref;
	atomic_long_t handles;
	atomic_long_t inflight;
	atomic_long_t bytes;
	atomic_long_t waits;
	atomic_long_t socket_pages;	/* sockets' buffer pages it made */
	atomic_long_t vmo_pages;	/* the sizes of the VMOs it made */
	spinlock_t lock;		/* adds to and removes from shares */
	DECLARE_HASHTABLE(shares, 4);	/* by writing user */
	struct rcu_head rcu;
};

/* What one user has queued to another (@to, which holds it in ->shares). */
struct mxc_share {
	struct hlist_node node;		/* on to->shares */
	struct mxc_user *from;		/* a ref */
	struct mxc_user *to;		/* a ref */
	refcount_t ref;			/* messages charged through it */
	atomic_long_t inflight;
	atomic_long_t bytes;
	struct rcu_head rcu;
};

static DEFINE_HASHTABLE(mxc_users, 6);
static DEFINE_SPINLOCK(mxc_users_lock);

/* Whose budget a process with @cred spends (the top of this file). */
static kuid_t mxc_user_uid(const struct cred *cred)
{
	struct user_namespace *ns;
	kuid_t uid = cred->euid;

	for (ns = cred->user_ns; ns != &init_user_ns; ns = ns->parent)
		if (!uid_eq(ns->owner, GLOBAL_ROOT_UID))
			uid = ns->owner;
	return uid;
}

bool mxc_user_is_current(const struct mxc_user *u)
{
	return uid_eq(u->uid, mxc_user_uid(current_cred()));
}

static struct mxc_user *mxc_user_find_rcu(kuid_t uid)
{
	struct mxc_user *u;

	hash_for_each_possible_rcu(mxc_users, u, node, __kuid_val(uid))
		if (uid_eq(u->uid, uid) && refcount_inc_not_zero(&u->ref))
			return u;
	return NULL;
}

/* The calling process's user, with a reference; NULL if out of memory. */
struct mxc_user *mxc_user_current(void)
{
	kuid_t uid = mxc_user_uid(current_cred());
	struct mxc_user *u, *new;

	rcu_read_lock();
	u = mxc_user_find_rcu(uid);
	rcu_read_unlock();
	if (u)
		return u;
	new = kzalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
	if (!new)
		return NULL;
	new->uid = uid;
	refcount_set(&new->ref, 1);
	spin_lock_init(&new->lock);
	hash_init(new->shares);
	spin_lock(&mxc_users_lock);
	u = mxc_user_find_rcu(uid);
	if (!u) {
		hash_add_rcu(mxc_users, &new->node, __kuid_val(uid));
		u = new;
		new = NULL;
	}
	spin_unlock(&mxc_users_lock);
	kfree(new);
	return u;
}

void mxc_user_hold(struct mxc_user *u)
{
	refcount_inc(&u->ref);
}

/* Under RCU: a reference on @u, unless its last one is going. */
bool mxc_user_tryget(struct mxc_user *u)
{
	return refcount_inc_not_zero(&u->ref);
}

void mxc_user_put(struct mxc_user *u)
{
	if (!u)
		return;
	if (!__cond_lock(&mxc_users_lock,
			 refcount_dec_and_lock(&u->ref, &mxc_users_lock)))
		return;
	hash_del_rcu(&u->node);
	spin_unlock(&mxc_users_lock);
	WARN_ON_ONCE(atomic_long_read(&u->handles) ||
		     atomic_long_read(&u->inflight) ||
		     atomic_long_read(&u->bytes) ||
		     atomic_long_read(&u->waits) ||
		     atomic_long_read(&u->socket_pages) ||
		     atomic_long_read(&u->vmo_pages));
	kfree_rcu(u, rcu);
}

/* Add @n to @count unless that passes @limit. */
static bool mxc_charge_one(atomic_long_t *count, long n, unsigned int limit)
{
	if (atomic_long_add_return(n, count) <= limit)
		return true;
	atomic_long_sub(n, count);
	return false;
}

/* Charge @n handles to @u: EMFILE (NO_RESOURCES) past max_user_handles. */
int mxc_user_charge_handles(struct mxc_user *u, unsigned int n)
{
	return mxc_charge_one(&u->handles, n,
			      READ_ONCE(mxc_max_user_handles)) ? 0 : -EMFILE;
}

void mxc_user_uncharge_handles(struct mxc_user *u, unsigned int n)
{
	atomic_long_sub(n, &u->handles);
}

/* Move @n handles' charge from @from to @to: EMFILE if @to has no room. */
int mxc_user_move_handles(struct mxc_user *from, struct mxc_user *to,
			  unsigned int n)
{
	int ret = mxc_user_charge_handles(to, n);

	if (!ret)
		mxc_user_uncharge_handles(from, n);
	return ret;
}

int mxc_user_charge_waits(struct mxc_user *u)
{
	return mxc_charge_one(&u->waits, 1,
			      READ_ONCE(mxc_max_user_waits)) ? 0 : -EMFILE;
}

void mxc_user_uncharge_waits(struct mxc_user *u)
{
	atomic_long_dec(&u->waits);
}

/* A page of a socket's buffer: EMFILE past max_user_socket_pages. */
int mxc_user_charge_socket_page(struct mxc_user *u)
{
	return mxc_charge_one(&u->socket_pages, 1,
			      READ_ONCE(mxc_max_user_socket_pages)) ?
	       0 : -EMFILE;
}

void mxc_user_uncharge_socket_pages(struct mxc_user *u, unsigned int n)
{
	atomic_long_sub(n, &u->socket_pages);
}

/* A VMO's pages of size: ENOMEM (NO_MEMORY) past max_user_vmo_pages. */
int mxc_user_charge_vmo_pages(struct mxc_user *u, u64 n)
{
	unsigned int limit = READ_ONCE(mxc_max_user_vmo_pages);

	if (n > limit || !mxc_charge_one(&u->vmo_pages, n, limit))
		return -ENOMEM;
	return 0;
}

void mxc_user_uncharge_vmo_pages(struct mxc_user *u, u64 n)
{
	atomic_long_sub(n, &u->vmo_pages);
}

static struct mxc_share *mxc_share_find_rcu(struct mxc_user *to,
					    struct mxc_user *from)
{
	struct mxc_share *s;

	hash_for_each_possible_rcu(to->shares, s, node, (unsigned long)from)
		if (s->from == from && refcount_inc_not_zero(&s->ref))
			return s;
	return NULL;
}

/*
 * @from's share of @to, with a reference, made if it is not there yet:
 * NULL if out of memory. Both users are held by the caller.
 */
struct mxc_share *mxc_share_get(struct mxc_user *to, struct mxc_user *from)
{
	struct mxc_share *s, *new;

	rcu_read_lock();
	s = mxc_share_find_rcu(to, from);
	rcu_read_unlock();
	if (s)
		return s;
	new = kzalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
	if (!new)
		return NULL;
	mxc_user_hold(from);
	mxc_user_hold(to);
	new->from = from;
	new->to = to;
	refcount_set(&new->ref, 1);
	spin_lock(&to->lock);
	s = mxc_share_find_rcu(to, from);
	if (!s) {
		hash_add_rcu(to->shares, &new->node, (unsigned long)from);
		s = new;
		new = NULL;
	}
	spin_unlock(&to->lock);
	if (new) {
		mxc_user_put(new->from);
		mxc_user_put(new->to);
		kfree(new);
	}
	return s;
}

struct mxc_user *mxc_share_to(const struct mxc_share *s)
{
	return s->to;
}

/* @from's share of @to with a reference, or NULL: no allocation. */
struct mxc_share *mxc_share_lookup(struct mxc_user *to, struct mxc_user *from)
{
	struct mxc_share *s;

	rcu_read_lock();
	s = mxc_share_find_rcu(to, from);
	rcu_read_unlock();
	return s;
}

void mxc_share_put(struct mxc_share *s)
{
	struct mxc_user *to;

	if (!s)
		return;
	if (!__cond_lock(&s->to->lock,
			 refcount_dec_and_lock(&s->ref, &s->to->lock)))
		return;
	to = s->to;
	hash_del_rcu(&s->node);
	spin_unlock(&to->lock);
	WARN_ON_ONCE(atomic_long_read(&s->inflight) ||
		     atomic_long_read(&s->bytes));
	mxc_user_put(s->from);
	mxc_user_put(to);
	kfree_rcu(s, rcu);
}

/*
 * A share may hold at most half of what the rest leaves of @limit:
 * @mine + others <= limit and @mine <= (limit - others) / 2.
 */
static bool mxc_share_fits(long total, long mine, unsigned int limit)
{
	return total <= limit && 2 * mine <= (long)limit - (total - mine);
}

/*
 * Charge a message of @handles handles and @bytes bytes, queued to a
 * channel end of @to's, written by a user whose share of @to is @s (NULL
 * if the writer is @to): EMFILE if @to's budget, or the share, has no
 * room. Atomics only: callable under spinlocks.
 */
int mxc_user_charge_message(struct mxc_user *to, struct mxc_share *s,
			    unsigned int handles, unsigned int bytes)
{
	unsigned int max_in = READ_ONCE(mxc_max_user_inflight);
	unsigned int max_bytes = READ_ONCE(mxc_max_user_bytes);
	long in = atomic_long_add_return(handles, &to->inflight);
	long by = atomic_long_add_return(bytes, &to->bytes);
	bool ok = in <= max_in && by <= max_bytes;

	if (s) {
		long sin = atomic_long_add_return(handles, &s->inflight);
		long sby = atomic_long_add_return(bytes, &s->bytes);

		ok = ok && mxc_share_fits(in, sin, max_in) &&
		     mxc_share_fits(by, sby, max_bytes);
		if (!ok) {
			atomic_long_sub(handles, &s->inflight);
			atomic_long_sub(bytes, &s->bytes);
		}
	}
	if (ok)
		return 0;
	atomic_long_sub(handles, &to->inflight);
	atomic_long_sub(bytes, &to->bytes);
	return -EMFILE;
}

void mxc_user_uncharge_message(struct mxc_user *to, struct mxc_share *s,
			       unsigned int handles, unsigned int bytes)
{
	if (s) {
		atomic_long_sub(handles, &s->inflight);
		atomic_long_sub(bytes, &s->bytes);
	}
	atomic_long_sub(handles, &to->inflight);
	atomic_long_sub(bytes, &to->bytes);
}

/* Module unload: every user went with the last table, message and wait. */
bool mxc_user_none_left(void)
{
	return hash_empty(mxc_users);
}

/* For debugfs: every user's counts, one line each. */
void mxc_user_show(struct seq_file *m)
{
	struct mxc_user *u;
	int bkt;

	rcu_read_lock();
	hash_for_each_rcu(mxc_users, bkt, u, node)
		seq_printf(m, "uid %u handles %ld inflight %ld bytes %ld waits %ld socket_pages %ld vmo_pages %ld\n",
			   __kuid_val(u->uid), atomic_long_read(&u->handles),
			   atomic_long_read(&u->inflight),
			   atomic_long_read(&u->bytes),
			   atomic_long_read(&u->waits),
			   atomic_long_read(&u->socket_pages),
			   atomic_long_read(&u->vmo_pages));
	rcu_read_unlock();
}
