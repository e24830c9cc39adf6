// SPDX-License-Identifier: GPL-2.0
/*
 * Waiting on signals: object_wait_one and object_wait_many.
 *
 * A waiter sits on its object's wait queue, tagged with the handle it
 * waits through. Every signal change ORs the new state into the waiter's
 * observed set and wakes the task once a wanted signal shows. A handle
 * that leaves its table (closed, sent, replaced) cancels the waits made
 * through it, and only those: a duplicate of it is another handle.
 *
 * Deadlines are absolute CLOCK_MONOTONIC times, so a wait interrupted by
 * a signal restarts (-ERESTARTNOINTR: whatever the handler's SA_RESTART)
 * without drifting. A wait that was satisfied or canceled by the time the
 * signal came returns that instead of restarting. Deadlines are in the
 * caller's time namespace, as clock_nanosleep's are (mxc_deadline()).
 */

#include <linux/hrtimer.h>
#include <linux/mm.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "wait.h"

/*
 * @deadline, an absolute CLOCK_MONOTONIC time in the caller's time
 * namespace, as an hrtimer expiry in *@expires; NULL (no expiry) for
 * MXCHAN_TIME_INFINITE. Every wait's deadline goes through here; a
 * timer's goes through mxc_timens_to_host() alone (timer.c).
 */
ktime_t *mxc_deadline(u64 deadline, ktime_t *expires)
{
	if (deadline == MXCHAN_TIME_INFINITE)
		return NULL;
	*expires = ns_to_ktime(min_t(u64, deadline, KTIME_MAX));
	*expires = mxc_timens_to_host(*expires);
	return expires;
}

static int mxc_waiter_wake(struct wait_queue_entry *wqe, unsigned int mode,
			   int sync, void *key)
{
	struct mxc_waiter *w = container_of(wqe, struct mxc_waiter, wqe);
	u32 signals = (__force u32)key_to_poll(key);

	w->observed |= signals;
	if (!(signals & w->waitfor))
		return 0;
	return default_wake_function(wqe, mode, sync, key);
}

/* @h left its table's slot: the waits made through it end with CANCELED. */
static void mxc_waits_handle_left(struct mxc_handle *h)
{
	struct mxc_object *obj = h->obj;
	struct wait_queue_entry *wqe;

	spin_lock(&obj->wq.lock);
	/* the queue is walked only if this handle has waiters on it */
	list_for_each_entry(wqe, &obj->wq.head, entry) {
		struct mxc_waiter *w;

		if (!h->waiters)
			break;
		if (wqe->func != mxc_waiter_wake)
			continue;
		w = container_of(wqe, struct mxc_waiter, wqe);
		if (w->h != h || w->canceled)
			continue;
		w->canceled = true;
		h->waiters--;
		w->observed |= MXCHAN_SIGNAL_HANDLE_CLOSED;
		wake_up_process(wqe->private);
	}
	spin_unlock(&obj->wq.lock);
}

static struct mxc_handle_hook mxc_waits_hook = {
	.left = mxc_waits_handle_left,
};

void mxc_wait_init(void)
{
	mxc_handle_hook_add(&mxc_waits_hook);
}

/*
 * Look up @value (with @rights) and put @w on its object, all under the
 * table lock, so that a close or send of the handle cannot slip between.
 * @type 0 takes any waitable object (EOPNOTSUPP otherwise, e.g. a port);
 * MXCHAN_OBJ_TYPE_PORT takes only a port (EPROTOTYPE otherwise), whose
 * packet waiters wait exclusively: one wakes per packet.
 */
int mxc_waiter_add(struct mxc_table *t, u32 value, u32 rights, u32 type,
		   u32 waitfor, struct mxc_waiter *w)
{
	struct mxc_handle *h;
	int ret = 0;

	mxc_table_lock(t);
	ret = mxc_table_check_locked(t, value, rights, type ?: MXC_TYPE_WAITABLE,
				     &h);
	if (!ret) {
		init_waitqueue_func_entry(&w->wqe, mxc_waiter_wake);
		w->wqe.private = current;
		if (type == MXCHAN_OBJ_TYPE_PORT)
			w->wqe.flags |= WQ_FLAG_EXCLUSIVE;
		w->obj = h->obj;
		w->h = h;
		w->waitfor = waitfor;
		w->canceled = false;
		kref_get(&w->obj->ref);
		spin_lock(&w->obj->wq.lock);
		w->observed = w->obj->signals;
		h->waiters++;
		__add_wait_queue_entry_tail(&w->obj->wq, &w->wqe);
		spin_unlock(&w->obj->wq.lock);
	}
	mxc_table_unlock(t);
	return ret;
}

/*
 * Take @w off its object. Not canceled, its handle is still in a table
 * (or being taken out, before the cancel), so it can be uncounted.
 */
void mxc_waiter_unlink_locked(struct mxc_waiter *w)
{
	lockdep_assert_held(&w->obj->wq.lock);
	__remove_wait_queue(&w->obj->wq, &w->wqe);
	if (!w->canceled)
		w->h->waiters--;
}

/* Take @w off its object; returns what it observed. */
u32 mxc_waiter_remove(struct mxc_waiter *w, bool *canceled)
{
	u32 observed;

	spin_lock(&w->obj->wq.lock);
	mxc_waiter_unlink_locked(w);
	observed = w->observed;
	*canceled |= w->canceled;
	spin_unlock(&w->obj->wq.lock);
	mxc_object_put(w->obj);
	return observed;
}

static bool mxc_waiters_done(struct mxc_waiter *ws, unsigned int n)
{
	unsigned int i;
	bool done = false;

	for (i = 0; i < n && !done; i++) {
		spin_lock(&ws[i].obj->wq.lock);
		done = ws[i].canceled || (ws[i].observed & ws[i].waitfor);
		spin_unlock(&ws[i].obj->wq.lock);
	}
	return done;
}

/*
 * Sleep until one of @ws is satisfied or canceled (0), the deadline
 * passes (-ETIMEDOUT) or a signal comes (-ERESTARTNOINTR).
 */
static int mxc_waiters_sleep(struct mxc_waiter *ws, unsigned int n,
			     u64 deadline)
{
	ktime_t expires, *exp = mxc_deadline(deadline, &expires);
	int ret = 0;

	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (n && mxc_waiters_done(ws, n))
			break;
		if (signal_pending(current)) {
			ret = -ERESTARTNOINTR;
			break;
		}
		if (!schedule_hrtimeout_range(exp, current->timer_slack_ns,
					      HRTIMER_MODE_ABS)) {
			ret = n && mxc_waiters_done(ws, n) ? 0 : -ETIMEDOUT;
			break;
		}
	}
	__set_current_state(TASK_RUNNING);
	return ret;
}

int mxc_wait_one(struct mxc_table *t, u32 value, u32 waitfor, u64 deadline,
		 u32 *observed)
{
	struct mxc_waiter w;
	bool canceled = false;
	int ret;

	ret = mxc_waiter_add(t, value, MXCHAN_RIGHT_READ, 0, waitfor, &w);
	if (ret)
		return ret;
	ret = mxc_waiters_sleep(&w, 1, deadline);
	/* decide on what the waiter saw by the time it left the queue */
	*observed = mxc_waiter_remove(&w, &canceled);
	if (canceled)
		return -ECANCELED;
	if (*observed & waitfor)
		return 0;
	return ret;
}

/*
 * Magenta's order: count 0 sleeps until the deadline; then the items
 * pointer, the count limit, the copy; then each item's handle in turn.
 */
int mxc_wait_many(struct mxc_table *t, struct mxchan_wait_item __user *uitems,
		  u32 count, u64 deadline)
{
	struct mxchan_wait_item *items;
	struct mxc_waiter *ws;
	bool canceled = false;
	unsigned int i, added = 0;
	int ret;

	if (!count) {
		ret = mxc_waiters_sleep(NULL, 0, deadline);
		return ret;
	}
	if (!uitems || count > MXCHAN_WAIT_MANY_MAX)
		return -EINVAL;
	items = kvmalloc_array(count, sizeof(*items), GFP_KERNEL_ACCOUNT);
	ws = kvmalloc_array(count, sizeof(*ws), GFP_KERNEL_ACCOUNT);
	if (!items || !ws) {
		ret = -ENOMEM;
		goto out_free;
	}
	if (copy_from_user(items, uitems, count * sizeof(*items))) {
		ret = -EINVAL;
		goto out_free;
	}
	for (added = 0; added < count; added++) {
		ret = mxc_waiter_add(t, items[added].handle, MXCHAN_RIGHT_READ, 0,
				     items[added].waitfor, &ws[added]);
		if (ret)
			goto out_remove;
	}
	ret = mxc_waiters_sleep(ws, count, deadline);
out_remove:
	for (i = 0; i < added; i++) {
		items[i].pending = mxc_waiter_remove(&ws[i], &canceled);
		if (added == count && (items[i].pending & items[i].waitfor))
			ret = 0;
	}
	if (added == count) {
		if (canceled)
			ret = -ECANCELED;
		if (ret != -ERESTARTNOINTR &&
		    copy_to_user(uitems, items, count * sizeof(*items)))
			ret = -EINVAL;
	}
out_free:
	kvfree(items);
	kvfree(ws);
	return ret;
}
