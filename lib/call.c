// SPDX-License-Identifier: MIT
/*
 * libmx: mx_channel_call. The kernel sends the request once; if a Linux
 * signal interrupts the wait for the reply, it keeps the call pending and
 * says EINTR with a call id, and this loop resumes the wait with
 * CALL_FINISH, as Magenta's vDSO did with channel_call_finish.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/ioctl.h>

#include <linux/mxchan.h>
#include <magenta/syscalls.h>

#include "mx-internal.h"

/*
 * The kernel reads mx_channel_call_args_t itself, in the caller's layout:
 * four pointers, then four counts (48 bytes on 64-bit, 32 on 32-bit).
 */
_Static_assert(sizeof(mx_channel_call_args_t) ==
	       4 * sizeof(void *) + 4 * sizeof(uint32_t),
	       "mx_channel_call_args_t has Magenta's layout");

MX_EXPORT mx_status_t mx_channel_call(mx_handle_t handle, uint32_t options,
				      mx_time_t deadline,
				      const mx_channel_call_args_t *args,
				      uint32_t *actual_bytes,
				      uint32_t *actual_handles,
				      mx_status_t *read_status)
{
	struct mxchan_channel_call a = {
		.handle = (uint32_t)handle,
		.options = options,
		.deadline = deadline,
		.args = (uintptr_t)args,
		.actual_bytes = (uintptr_t)actual_bytes,
		.actual_handles = (uintptr_t)actual_handles,
		.read_status = (uintptr_t)read_status,
	};
	unsigned long cmd = MXCHAN_IOC_CHANNEL_CALL;
	int saved = errno, fd = mxchan_table_fd();
	mx_status_t status = MX_OK;

	if (fd < 0) {
		errno = saved;
		return MX_ERR_UNAVAILABLE;
	}
	while (ioctl(fd, cmd, &a) != 0) {
		if (errno == EINTR) {
			/* sent once already: only wait again */
			if (a.call_id)
				cmd = MXCHAN_IOC_CALL_FINISH;
			continue;
		}
		status = mxchan_status_from_errno(errno);
		break;
	}
	/*
	 * The kernel wrote the read status, an errno, where the caller wants
	 * it (it said EINVAL had it not been able to): make it a status.
	 */
	if (status == MX_ERR_CALL_FAILED && read_status)
		*read_status = mxchan_status_from_errno(*read_status);
	errno = saved;
	return status;
}

MX_ALIAS(mx_channel_call);
