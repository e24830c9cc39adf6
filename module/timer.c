// SPDX-License-Identifier: GPL-2.0
/*
 * Timers: Magenta's one-shot timer object. timer_set arms an hrtimer on
 * CLOCK_MONOTONIC with the deadline and slack mapped to the hrtimer's
 * [soft, hard] expiry range (mxc_timer_range()); when it fires the timer
 * asserts SIGNALED, which stays until the next set or cancel. A deadline
 * of 0, or one already past, asserts it at once.
 *
 * The hrtimer callback runs in interrupt context, but an object's signals
 * change under its wait queue lock, which the module takes with
 * interrupts (and softirqs) enabled. So the callback only queues @fire, a
 * work item, which asserts SIGNALED in process context, as Magenta's
 * timer queued a DPC. A work item may come late, from an earlier arming:
 * it asserts SIGNALED only if the timer is still armed and the current
 * arming's soft expiry has passed, which is all a firing means.
 *
 * Locking: the object's wq.lock guards @armed, @soft and @dead, and the
 * arming of @hrt along with them. When the last handle goes, the timer
 * is marked dead (nothing arms it again: a set racing with the close
 * holds the object, not a handle), then @hrt and @fire are cancelled
 * and waited for, so no callback runs on the freed object and none is
 * left when the module unloads.
 */

#include <linux/hrtimer.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "timer.h"

#define MXC_DEFAULT_TIMER_RIGHTS					\
	(MXCHAN_RIGHT_DUPLICATE | MXCHAN_RIGHT_TRANSFER | MXCHAN_RIGHT_READ |	\
	 MXCHAN_RIGHT_WRITE | MXCHAN_RIGHT_SIGNAL)

struct mxc_timer {
	struct mxc_object obj;
	struct hrtimer hrt;
	struct work_struct fire;	/* asserts SIGNALED for @hrt */
	ktime_t soft;			/* the arming's soft expiry, host time */
	u32 slack_mode;			/* MXCHAN_TIMER_SLACK_* */
	bool armed;			/* set and not yet fired or cancelled */
	bool dead;			/* no handles left: never armed again */
	struct rcu_head rcu;
};

static inline struct mxc_timer *to_timer(struct mxc_object *obj)
{
	return container_of(obj, struct mxc_timer, obj);
}

static enum hrtimer_restart mxc_timer_expired(struct hrtimer *hrt)
{
	struct mxc_timer *tm = container_of(hrt, struct mxc_timer, hrt);

	/* the work is cancelled before the object can go (on_zero_handles) */
	queue_work(system_highpri_wq, &tm->fire);
	return HRTIMER_NORESTART;
}

static void mxc_timer_fire(struct work_struct *work)
{
	struct mxc_timer *tm = container_of(work, struct mxc_timer, fire);

	spin_lock(&tm->obj.wq.lock);
	if (tm->armed && ktime_get() >= tm->soft) {
		tm->armed = false;
		mxc_object_signal_locked(&tm->obj, 0, MXCHAN_SIGNAL_SIGNALED);
	}
	spin_unlock(&tm->obj.wq.lock);
}

/* Disarm and clear SIGNALED; a callback on its way finds it disarmed. */
static void mxc_timer_disarm_locked(struct mxc_timer *tm)
{
	lockdep_assert_held(&tm->obj.wq.lock);
	tm->armed = false;
	hrtimer_try_to_cancel(&tm->hrt);
	mxc_object_signal_locked(&tm->obj, MXCHAN_SIGNAL_SIGNALED, 0);
}

static void mxc_timer_on_zero_handles(struct mxc_object *obj,
				      struct mxc_reaper *r)
{
	struct mxc_timer *tm = to_timer(obj);

	might_sleep();
	spin_lock(&obj->wq.lock);
	tm->dead = true;
	tm->armed = false;
	spin_unlock(&obj->wq.lock);
	/* the callback queues the work: stop it first, then the work */
	hrtimer_cancel(&tm->hrt);
	cancel_work_sync(&tm->fire);
}

static void mxc_timer_release(struct mxc_object *obj)
{
	/* a lockless lookup may still be reading it (table.c) */
	kfree_rcu(to_timer(obj), rcu);
}

static const struct mxc_object_ops mxc_timer_ops = {
	.type = MXCHAN_OBJ_TYPE_TIMER,
	.user_signals = MXCHAN_SIGNAL_USER_ALL,
	.peer = mxc_object_no_peer,
	.on_zero_handles = mxc_timer_on_zero_handles,
	.release = mxc_timer_release,
	.related_koid = mxc_object_no_related_koid,
	.waitable = true,
};

bool mxc_timer_options_ok(u32 options)
{
	return options == MXCHAN_TIMER_SLACK_CENTER ||
	       options == MXCHAN_TIMER_SLACK_EARLY ||
	       options == MXCHAN_TIMER_SLACK_LATE;
}

/* Create a timer with slack mode @options; *hp is its handle, in no table. */
int mxc_timer_create(u32 options, struct mxc_handle **hp)
{
	struct mxc_timer *tm;
	struct mxc_handle *h;

	tm = kzalloc(sizeof(*tm), GFP_KERNEL_ACCOUNT);
	h = mxc_handle_alloc();
	if (!tm || !h) {
		kfree(tm);
		if (h)
			mxc_handle_free(h);
		return -ENOMEM;
	}
	tm->slack_mode = options;
	mxc_hrtimer_setup(&tm->hrt, mxc_timer_expired, CLOCK_MONOTONIC,
			  HRTIMER_MODE_ABS);
	INIT_WORK(&tm->fire, mxc_timer_fire);
	mxc_object_init(&tm->obj, &mxc_timer_ops, 0);
	mxc_handle_init(h, &tm->obj, MXC_DEFAULT_TIMER_RIGHTS);
	mxc_object_put(&tm->obj);	/* the handle holds it now */
	*hp = h;
	return 0;
}

/*
 * The [soft, soft + *delta] expiry range of host deadline @d with @slack
 * in @mode, saturated to [0, KTIME_MAX]. An hrtimer fires at the end of
 * its range unless the CPU wakes in it anyway; Magenta's fired at the
 * deadline unless it coalesced. So CENTER takes the half of its window
 * that ends at the deadline, as EARLY does; only LATE ends after it.
 */
static ktime_t mxc_timer_range(ktime_t d, u64 slack, u32 mode, u64 *delta)
{
	s64 s = min_t(u64, slack, KTIME_MAX);
	ktime_t soft = d, hard = d;

	if (mode != MXCHAN_TIMER_SLACK_LATE)
		soft = d - min_t(s64, s, d);
	else
		hard = d + min_t(s64, s, KTIME_MAX - d);
	*delta = hard - soft;
	return soft;
}

/*
 * timer_set on @obj, a timer: @deadline is an absolute CLOCK_MONOTONIC
 * time in the caller's time namespace.
 */
void mxc_timer_set(struct mxc_object *obj, u64 deadline, u64 slack)
{
	struct mxc_timer *tm = to_timer(obj);
	ktime_t d = 0, soft;
	u64 delta;

	if (deadline)
		d = mxc_timens_to_host(ns_to_ktime(min_t(u64, deadline,
							 KTIME_MAX)));
	spin_lock(&obj->wq.lock);
	mxc_timer_disarm_locked(tm);
	if (!deadline || d <= ktime_get()) {
		mxc_object_signal_locked(obj, 0, MXCHAN_SIGNAL_SIGNALED);
	} else if (!tm->dead) {
		soft = mxc_timer_range(d, slack, tm->slack_mode, &delta);
		tm->soft = soft;
		tm->armed = true;
		hrtimer_start_range_ns(&tm->hrt, soft, delta,
				       HRTIMER_MODE_ABS);
	}
	spin_unlock(&obj->wq.lock);
}

/* timer_cancel on @obj, a timer. */
void mxc_timer_cancel(struct mxc_object *obj)
{
	spin_lock(&obj->wq.lock);
	mxc_timer_disarm_locked(to_timer(obj));
	spin_unlock(&obj->wq.lock);
}
