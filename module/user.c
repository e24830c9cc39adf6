// SPDX-License-Identifier: GPL-2.0
/*
 * Per-user accounting: the objects a user's tables created and the
 * handles they sent that sit in messages, each bounded by a module
 * parameter, so one user cannot pin unbounded kernel memory that no
 * memory cgroup limit of another user would stop.
 *
 * A table belongs to the user who opened /dev/mxchan (the effective uid
 * of the opener). Objects are charged to their creator's user until
 * released; a message's handles to its writer's user until the message
 * is freed. Users live in a small hash, under mxc_users_lock, looked up
 * only when a table is opened; the counts are atomics.
 */

#include <linux/hashtable.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uidgid.h>

#include "mxchan.h"

struct mxc_user {
	struct hlist_node node;		/* mxc_users, mxc_users_lock */
	kuid_t uid;
	refcount_t ref;			/* tables, objects, messages */
	atomic_long_t objects;
	atomic_long_t inflight;
};

static DEFINE_HASHTABLE(mxc_users, 6);
static DEFINE_SPINLOCK(mxc_users_lock);

/* The user @uid, with a reference; NULL if out of memory. */
struct mxc_user *mxc_user_get(kuid_t uid)
{
	u32 key = from_kuid(&init_user_ns, uid);
	struct mxc_user *u, *new;

	new = kzalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
	spin_lock(&mxc_users_lock);
	hash_for_each_possible(mxc_users, u, node, key) {
		if (uid_eq(u->uid, uid)) {
			refcount_inc(&u->ref);
			goto out;
		}
	}
	u = new;
	new = NULL;
	if (u) {
		u->uid = uid;
		refcount_set(&u->ref, 1);
		hash_add(mxc_users, &u->node, key);
	}
out:
	spin_unlock(&mxc_users_lock);
	kfree(new);
	return u;
}

void mxc_user_hold(struct mxc_user *u)
{
	refcount_inc(&u->ref);
}

void mxc_user_put(struct mxc_user *u)
{
	if (!__cond_lock(&mxc_users_lock,
			 refcount_dec_and_lock(&u->ref, &mxc_users_lock)))
		return;
	hash_del(&u->node);
	spin_unlock(&mxc_users_lock);
	WARN_ON_ONCE(atomic_long_read(&u->objects) ||
		     atomic_long_read(&u->inflight));
	kfree(u);
}

static bool mxc_user_try_charge(atomic_long_t *count, unsigned int n,
				unsigned int limit)
{
	if (atomic_long_add_return(n, count) <= limit)
		return true;
	atomic_long_sub(n, count);
	return false;
}

/*
 * Past the limit, unreachable rings (gc.c) may be holding what the user
 * needs: wait for the collector once, then try again.
 */
static int mxc_user_charge(atomic_long_t *count, unsigned int n,
			   unsigned int limit)
{
	if (mxc_user_try_charge(count, n, limit))
		return 0;
	if (mxc_gc_flush(true) && mxc_user_try_charge(count, n, limit))
		return 0;
	return -EMFILE;
}

/* Charge @n new objects to @u: EMFILE (NO_RESOURCES) past the limit. */
int mxc_user_charge_objects(struct mxc_user *u, unsigned int n)
{
	return mxc_user_charge(&u->objects, n,
			       READ_ONCE(mxc_max_user_objects));
}

void mxc_user_uncharge_objects(struct mxc_user *u, unsigned int n)
{
	atomic_long_sub(n, &u->objects);
}

/* Charge @n handles about to be sent by @u: EMFILE past the limit. */
int mxc_user_charge_inflight(struct mxc_user *u, unsigned int n)
{
	return mxc_user_charge(&u->inflight, n,
			       READ_ONCE(mxc_max_user_inflight));
}

void mxc_user_uncharge_inflight(struct mxc_user *u, unsigned int n)
{
	atomic_long_sub(n, &u->inflight);
}
