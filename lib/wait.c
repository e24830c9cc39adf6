// SPDX-License-Identifier: MIT
/*
 * libmx: signals, waits, time and ticks. Deadlines are absolute
 * CLOCK_MONOTONIC nanoseconds; a wait interrupted by a Linux signal is
 * restarted (by the kernel, or here on EINTR) with the same deadline.
 */
#include <errno.h>
#include <stdint.h>
#include <time.h>

#include <linux/mxchan.h>
#include <magenta/syscalls.h>
#include <mxchan.h>

#include "mx-internal.h"

_Static_assert(sizeof(mx_wait_item_t) == sizeof(struct mxchan_wait_item),
	       "mx_wait_item_t is the kernel's wait item");

MX_EXPORT mx_status_t mx_object_wait_one(mx_handle_t handle,
					 mx_signals_t waitfor,
					 mx_time_t deadline,
					 mx_signals_t *observed)
{
	struct mxchan_object_wait_one a = {
		.handle = (uint32_t)handle,
		.waitfor = waitfor,
		.deadline = deadline,
		.observed = (uintptr_t)observed,
	};

	return MX_IOCTL(MXCHAN_IOC_OBJECT_WAIT_ONE, &a);
}

MX_EXPORT mx_status_t mx_object_wait_many(mx_wait_item_t *items,
					  uint32_t count, mx_time_t deadline)
{
	struct mxchan_object_wait_many a = {
		.items = (uintptr_t)items,
		.count = count,
		.deadline = deadline,
	};

	return MX_IOCTL(MXCHAN_IOC_OBJECT_WAIT_MANY, &a);
}

static mx_status_t mx_signal(mx_handle_t handle, uint32_t clear_mask,
			     uint32_t set_mask, uint32_t flags)
{
	struct mxchan_object_signal a = {
		.handle = (uint32_t)handle,
		.clear_mask = clear_mask,
		.set_mask = set_mask,
		.flags = flags,
	};

	return MX_IOCTL(MXCHAN_IOC_OBJECT_SIGNAL, &a);
}

MX_EXPORT mx_status_t mx_object_signal(mx_handle_t handle,
				       uint32_t clear_mask, uint32_t set_mask)
{
	return mx_signal(handle, clear_mask, set_mask, 0);
}

MX_EXPORT mx_status_t mx_object_signal_peer(mx_handle_t handle,
					    uint32_t clear_mask,
					    uint32_t set_mask)
{
	return mx_signal(handle, clear_mask, set_mask, MXCHAN_SIGNAL_PEER);
}

MX_EXPORT mx_status_t mxchan_signal_fd(mx_handle_t handle, mx_signals_t signals,
				       int *fd)
{
	struct mxchan_signal_fd a = {
		.handle = (uint32_t)handle,
		.signals = signals,
		.fd = (uintptr_t)fd,
	};

	return MX_IOCTL(MXCHAN_IOC_SIGNAL_FD, &a);
}

/* Magenta's clocks; 0 for a clock it does not know. */
MX_EXPORT mx_time_t mx_time_get(uint32_t clock_id)
{
	struct timespec ts;
	clockid_t id;

	switch (clock_id) {
	case MX_CLOCK_MONOTONIC:
		id = CLOCK_MONOTONIC;
		break;
	case MX_CLOCK_UTC:
		id = CLOCK_REALTIME;
		break;
	case MX_CLOCK_THREAD:
		id = CLOCK_THREAD_CPUTIME_ID;
		break;
	default:
		return 0;
	}
	if (clock_gettime(id, &ts) != 0)
		return 0;
	return (mx_time_t)ts.tv_sec * 1000000000ull + (mx_time_t)ts.tv_nsec;
}

MX_EXPORT mx_time_t mx_deadline_after(mx_duration_t nanoseconds)
{
	return mx_time_get(MX_CLOCK_MONOTONIC) + nanoseconds;
}

/* Ticks are the monotonic clock's nanoseconds: never 0 once booted. */
MX_EXPORT uint64_t mx_ticks_get(void)
{
	return mx_time_get(MX_CLOCK_MONOTONIC);
}

MX_EXPORT uint64_t mx_ticks_per_second(void)
{
	return 1000000000ull;
}

/* Sleep until the deadline; signals do not cut it short. */
MX_EXPORT mx_status_t mx_nanosleep(mx_time_t deadline)
{
	struct timespec ts = {
		.tv_sec = (time_t)(deadline / 1000000000ull),
		.tv_nsec = (long)(deadline % 1000000000ull),
	};
	int saved = errno;

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
	errno = saved;
	return MX_OK;
}

MX_ALIAS(mx_object_wait_one);
MX_ALIAS(mx_object_wait_many);
MX_ALIAS(mx_object_signal);
MX_ALIAS(mx_object_signal_peer);
MX_ALIAS(mx_time_get);
MX_ALIAS(mx_deadline_after);
MX_ALIAS(mx_nanosleep);
MX_ALIAS(mx_ticks_get);
MX_ALIAS(mx_ticks_per_second);
