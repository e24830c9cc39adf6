// SPDX-License-Identifier: MIT
/*
 * libmx: mx_channel_call. The kernel sends the request once; if a Linux
 * signal interrupts the wait for the reply, it keeps the call pending and
 * says EINTR with a call id, and this loop resumes the wait with
 * CALL_FINISH, as Magenta's vDSO did with channel_call_finish.
 *
 * And the server's side, beyond Magenta: mxchan_channel_reply_read and
 * mxchan_channel_read_wait, one ioctl for a reply and the wait for and
 * read of the next request.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/ioctl.h>

#include <linux/mxchan.h>
#include <magenta/syscalls.h>
#include <mxchan.h>

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

/*
 * The kernel says EINTR only when a signal came after the reply went
 * out: go on waiting without sending it again. Any other interrupted
 * wait the kernel restarts itself.
 */
static mx_status_t mxchan_reply_read(struct mxchan_channel_reply_read *a)
{
	int saved = errno, fd = mxchan_table_fd();
	mx_status_t status = MX_OK;

	if (fd < 0) {
		errno = saved;
		return MX_ERR_UNAVAILABLE;
	}
	while (ioctl(fd, MXCHAN_IOC_CHANNEL_REPLY_READ, a) != 0) {
		if (errno == EINTR) {
			a->flags &= ~MXCHAN_REPLY_READ_REPLY;
			continue;
		}
		status = mxchan_status_from_errno(errno);
		break;
	}
	errno = saved;
	return status;
}

MX_EXPORT mx_status_t mxchan_channel_reply_read(mx_handle_t handle,
						uint32_t options,
						mx_time_t deadline,
						const mx_channel_call_args_t *args,
						uint32_t *actual_bytes,
						uint32_t *actual_handles)
{
	struct mxchan_channel_reply_read a = {
		.handle = (uint32_t)handle,
		.options = options,
		.flags = MXCHAN_REPLY_READ_REPLY,
		.deadline = deadline,
		.actual_bytes = (uintptr_t)actual_bytes,
		.actual_handles = (uintptr_t)actual_handles,
	};

	if (!args)
		return MX_ERR_INVALID_ARGS;
	a.wr_bytes = (uintptr_t)args->wr_bytes;
	a.wr_handles = (uintptr_t)args->wr_handles;
	a.wr_num_bytes = args->wr_num_bytes;
	a.wr_num_handles = args->wr_num_handles;
	a.rd_bytes = (uintptr_t)args->rd_bytes;
	a.rd_handles = (uintptr_t)args->rd_handles;
	a.rd_num_bytes = args->rd_num_bytes;
	a.rd_num_handles = args->rd_num_handles;
	return mxchan_reply_read(&a);
}

MX_EXPORT mx_status_t mxchan_channel_read_wait(mx_handle_t handle,
					       uint32_t options,
					       mx_time_t deadline, void *bytes,
					       mx_handle_t *handles,
					       uint32_t num_bytes,
					       uint32_t num_handles,
					       uint32_t *actual_bytes,
					       uint32_t *actual_handles)
{
	struct mxchan_channel_reply_read a = {
		.handle = (uint32_t)handle,
		.options = options,
		.deadline = deadline,
		.rd_bytes = (uintptr_t)bytes,
		.rd_handles = (uintptr_t)handles,
		.rd_num_bytes = num_bytes,
		.rd_num_handles = num_handles,
		.actual_bytes = (uintptr_t)actual_bytes,
		.actual_handles = (uintptr_t)actual_handles,
	};

	return mxchan_reply_read(&a);
}
