// SPDX-License-Identifier: MIT
/*
 * libmx: timers, one ioctl each. mx_timer_start() is Magenta's older
 * call, kept for code that still uses it: a one-shot timer (period 0) is
 * mx_timer_set(); a periodic one is MX_ERR_NOT_SUPPORTED, before the
 * handle is looked at.
 */
#include <stdint.h>

#include <linux/mxchan.h>
#include <magenta/syscalls.h>

#include "mx-internal.h"

MX_EXPORT mx_status_t mx_timer_create(uint32_t options, uint32_t clock_id,
				      mx_handle_t *out)
{
	struct mxchan_timer_create a = {
		.options = options,
		.clock_id = clock_id,
		.out = (uintptr_t)out,
	};

	return MX_IOCTL(MXCHAN_IOC_TIMER_CREATE, &a);
}

MX_EXPORT mx_status_t mx_timer_set(mx_handle_t handle, mx_time_t deadline,
				   mx_duration_t slack)
{
	struct mxchan_timer_set a = {
		.handle = (uint32_t)handle,
		.deadline = deadline,
		.slack = slack,
	};

	return MX_IOCTL(MXCHAN_IOC_TIMER_SET, &a);
}

MX_EXPORT mx_status_t mx_timer_cancel(mx_handle_t handle)
{
	struct mxchan_timer_cancel a = { .handle = (uint32_t)handle };

	return MX_IOCTL(MXCHAN_IOC_TIMER_CANCEL, &a);
}

MX_EXPORT mx_status_t mx_timer_start(mx_handle_t handle, mx_time_t deadline,
				     mx_duration_t period,
				     mx_duration_t slack)
{
	if (period != 0)
		return MX_ERR_NOT_SUPPORTED;
	return mx_timer_set(handle, deadline, slack);
}

MX_ALIAS(mx_timer_create);
MX_ALIAS(mx_timer_set);
MX_ALIAS(mx_timer_cancel);
MX_ALIAS(mx_timer_start);
