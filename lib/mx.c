// SPDX-License-Identifier: MIT
/*
 * libmx: Magenta's channel and handle calls on top of /dev/mxchan.
 *
 * The process's handle table is one open file description of /dev/mxchan:
 * the table the process was started with by mxchan_spawn(), adopted before
 * main() (its fd is named by MXCHAN_TABLE_FD in the environment), or else
 * a new one opened on the first call (thread-safe). Either is close-on-exec.
 * That fd is the library's only state. Every call is one ioctl; the errno it fails with
 * maps one-to-one to a Magenta status. EINTR is retried, never returned.
 * Out-parameters are passed to the kernel, which writes them before the
 * call takes effect: a pointer that cannot be written gives
 * MX_ERR_INVALID_ARGS and no effect, as in Magenta, never a crash after
 * the fact.
 */
#define _GNU_SOURCE	/* secure_getenv */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/mxchan.h>
#include <magenta/process.h>
#include <magenta/syscalls.h>

#include "mx-internal.h"

static atomic_int mx_table = -1;

/*
 * The table this process was started with, if it was: its fd, or -1. A
 * program running with more privilege than its caller (setuid, setgid,
 * file capabilities) adopts none: the caller would hold the same table
 * and could hand it startup handles of its choosing.
 */
static int mx_inherited_table(void)
{
	const char *s = secure_getenv(MXCHAN_TABLE_FD_ENV);
	struct mxchan_version v;
	char *end;
	long fd;

	if (!s || !*s)
		return -1;
	fd = strtol(s, &end, 10);
	if (*end || fd < 0 || fd > INT32_MAX)
		return -1;
	/* the number may have been inherited without its fd: check it */
	if (ioctl((int)fd, MXCHAN_IOC_VERSION, &v) != 0)
		return -1;
	fcntl((int)fd, F_SETFD, FD_CLOEXEC);
	return (int)fd;
}

/*
 * Adopt the inherited table before main(), while the process has one
 * thread and its fds are as exec left them, and take the variable out of
 * the environment so that no program this one starts sees a stale number.
 */
__attribute__((constructor)) static void mx_adopt_inherited_table(void)
{
	int fd = mx_inherited_table();

	if (fd >= 0)
		atomic_store_explicit(&mx_table, fd, memory_order_release);
	unsetenv(MXCHAN_TABLE_FD_ENV);
}

int mxchan_table_fd(void)
{
	int fd = atomic_load_explicit(&mx_table, memory_order_acquire);
	int expected = -1;

	if (fd >= 0)
		return fd;
	fd = open(MXCHAN_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (!atomic_compare_exchange_strong(&mx_table, &expected, fd)) {
		close(fd);	/* another thread won the race */
		return expected;
	}
	return fd;
}

mx_status_t mxchan_status_from_errno(int err)
{
	switch (err) {
#define MXCHAN_ERRNO(status, errnum) case errnum: return status;
#include <linux/mxchan-errno.h>
#undef MXCHAN_ERRNO
	}
	return MX_ERR_INTERNAL;
}

int mxchan_errno_from_status(mx_status_t status)
{
	switch (status) {
#define MXCHAN_ERRNO(st, errnum) case st: return errnum;
#include <linux/mxchan-errno.h>
#undef MXCHAN_ERRNO
	}
	return 0;
}

/* One ioctl on the table; arg is a pointer or, for close, a value. */
mx_status_t mxchan_ioctl(unsigned long cmd, unsigned long arg)
{
	int fd = mxchan_table_fd();
	int saved = errno;
	mx_status_t status = MX_OK;

	if (fd < 0) {
		errno = saved;
		return MX_ERR_UNAVAILABLE;
	}
	while (ioctl(fd, cmd, arg) < 0) {
		if (errno == EINTR)
			continue;
		status = mxchan_status_from_errno(errno);
		break;
	}
	errno = saved;
	return status;
}

/* mx_handle_t is the kernel's __u32 handle value. */
_Static_assert(sizeof(mx_handle_t) == sizeof(uint32_t),
	       "handle values are 32 bits");

MX_EXPORT mx_status_t mx_channel_create(uint32_t options, mx_handle_t *out0,
					mx_handle_t *out1)
{
	struct mxchan_channel_create a = {
		.options = options,
		.out0 = (uintptr_t)out0,
		.out1 = (uintptr_t)out1,
	};

	return MX_IOCTL(MXCHAN_IOC_CHANNEL_CREATE, &a);
}

MX_EXPORT mx_status_t mx_channel_write(mx_handle_t handle, uint32_t options,
				       const void *bytes, uint32_t num_bytes,
				       const mx_handle_t *handles,
				       uint32_t num_handles)
{
	struct mxchan_channel_write a = {
		.handle = (uint32_t)handle,
		.options = options,
		.bytes = (uintptr_t)bytes,
		.handles = (uintptr_t)handles,
		.num_bytes = num_bytes,
		.num_handles = num_handles,
	};

	return MX_IOCTL(MXCHAN_IOC_CHANNEL_WRITE, &a);
}

MX_EXPORT mx_status_t mx_channel_read(mx_handle_t handle, uint32_t options,
				      void *bytes, mx_handle_t *handles,
				      uint32_t num_bytes, uint32_t num_handles,
				      uint32_t *actual_bytes,
				      uint32_t *actual_handles)
{
	struct mxchan_channel_read a = {
		.handle = (uint32_t)handle,
		.options = options,
		.bytes = (uintptr_t)bytes,
		.handles = (uintptr_t)handles,
		.num_bytes = num_bytes,
		.num_handles = num_handles,
		.actual_bytes = (uintptr_t)actual_bytes,
		.actual_handles = (uintptr_t)actual_handles,
	};

	return MX_IOCTL(MXCHAN_IOC_CHANNEL_READ, &a);
}

MX_EXPORT mx_status_t mx_handle_close(mx_handle_t handle)
{
	if (handle == MX_HANDLE_INVALID)
		return MX_OK;
	return mxchan_ioctl(MXCHAN_IOC_HANDLE_CLOSE, (uint32_t)handle);
}

static mx_status_t mx_handle_rights(unsigned long cmd, mx_handle_t handle,
				    mx_rights_t rights, mx_handle_t *out)
{
	struct mxchan_handle_rights a = {
		.handle = (uint32_t)handle,
		.rights = rights,
		.out = (uintptr_t)out,
	};

	return MX_IOCTL(cmd, &a);
}

MX_EXPORT mx_status_t mx_handle_duplicate(mx_handle_t handle,
					  mx_rights_t rights, mx_handle_t *out)
{
	return mx_handle_rights(MXCHAN_IOC_HANDLE_DUPLICATE, handle, rights,
				out);
}

MX_EXPORT mx_status_t mx_handle_replace(mx_handle_t handle, mx_rights_t rights,
					mx_handle_t *out)
{
	return mx_handle_rights(MXCHAN_IOC_HANDLE_REPLACE, handle, rights, out);
}

MX_EXPORT mx_status_t mx_object_get_info(mx_handle_t handle, uint32_t topic,
					 void *buffer, size_t buffer_size,
					 size_t *actual_count,
					 size_t *avail_count)
{
	struct mxchan_object_get_info a = {
		.handle = (uint32_t)handle,
		.topic = topic,
		.buffer = (uintptr_t)buffer,
		.buffer_size = buffer_size,
		/* the kernel writes a size_t through each */
		.actual_count = (uintptr_t)actual_count,
		.avail_count = (uintptr_t)avail_count,
	};

	return MX_IOCTL(MXCHAN_IOC_OBJECT_GET_INFO, &a);
}

MX_EXPORT mx_status_t mx_event_create(uint32_t options, mx_handle_t *out)
{
	struct mxchan_event_create a = {
		.options = options,
		.out = (uintptr_t)out,
	};

	return MX_IOCTL(MXCHAN_IOC_EVENT_CREATE, &a);
}

MX_EXPORT mx_status_t mx_eventpair_create(uint32_t options, mx_handle_t *out0,
					  mx_handle_t *out1)
{
	struct mxchan_eventpair_create a = {
		.options = options,
		.out0 = (uintptr_t)out0,
		.out1 = (uintptr_t)out1,
	};

	return MX_IOCTL(MXCHAN_IOC_EVENTPAIR_CREATE, &a);
}

/* Magenta ignored options; so does the kernel. */
MX_EXPORT mx_status_t mx_fifo_create(uint32_t elem_count, uint32_t elem_size,
				     uint32_t options, mx_handle_t *out0,
				     mx_handle_t *out1)
{
	struct mxchan_fifo_create a = {
		.elem_count = elem_count,
		.elem_size = elem_size,
		.options = options,
		.out0 = (uintptr_t)out0,
		.out1 = (uintptr_t)out1,
	};

	return MX_IOCTL(MXCHAN_IOC_FIFO_CREATE, &a);
}

/* The kernel writes the count through actual, after the elements moved. */
static mx_status_t mx_fifo_io(unsigned long cmd, mx_handle_t handle,
			      const void *data, size_t len, uint32_t *actual)
{
	struct mxchan_fifo_io a = {
		.handle = (uint32_t)handle,
		.data = (uintptr_t)data,
		.len = len,
		.actual = (uintptr_t)actual,
	};

	return MX_IOCTL(cmd, &a);
}

MX_EXPORT mx_status_t mx_fifo_write(mx_handle_t handle, const void *data,
				    size_t len, uint32_t *num_written)
{
	return mx_fifo_io(MXCHAN_IOC_FIFO_WRITE, handle, data, len,
			  num_written);
}

MX_EXPORT mx_status_t mx_fifo_read(mx_handle_t handle, void *data, size_t len,
				   uint32_t *num_read)
{
	return mx_fifo_io(MXCHAN_IOC_FIFO_READ, handle, data, len, num_read);
}

/* Magenta's socket values are the kernel's. */
_Static_assert(MX_SOCKET_DATAGRAM == MXCHAN_SOCKET_DATAGRAM &&
	       MX_SOCKET_HAS_CONTROL == MXCHAN_SOCKET_HAS_CONTROL &&
	       MX_SOCKET_CREATE_MASK == MXCHAN_SOCKET_CREATE_MASK &&
	       MX_SOCKET_SHUTDOWN_WRITE == MXCHAN_SOCKET_SHUTDOWN_WRITE &&
	       MX_SOCKET_SHUTDOWN_READ == MXCHAN_SOCKET_SHUTDOWN_READ &&
	       MX_SOCKET_SHUTDOWN_MASK == MXCHAN_SOCKET_SHUTDOWN_MASK &&
	       MX_SOCKET_CONTROL == MXCHAN_SOCKET_CONTROL,
	       "socket options");
_Static_assert(MX_SOCKET_READABLE == MXCHAN_SIGNAL_READABLE &&
	       MX_SOCKET_WRITABLE == MXCHAN_SIGNAL_WRITABLE &&
	       MX_SOCKET_PEER_CLOSED == MXCHAN_SIGNAL_PEER_CLOSED &&
	       MX_SOCKET_READ_DISABLED == MXCHAN_SIGNAL_SOCKET_READ_DISABLED &&
	       MX_SOCKET_WRITE_DISABLED ==
			MXCHAN_SIGNAL_SOCKET_WRITE_DISABLED &&
	       MX_SOCKET_CONTROL_READABLE ==
			MXCHAN_SIGNAL_SOCKET_CONTROL_READABLE &&
	       MX_SOCKET_CONTROL_WRITABLE ==
			MXCHAN_SIGNAL_SOCKET_CONTROL_WRITABLE,
	       "socket signals");
_Static_assert(MX_OBJ_TYPE_SOCKET == MXCHAN_OBJ_TYPE_SOCKET,
	       "socket object type");

/* The kernel checks options (reserved stays 0). */
MX_EXPORT mx_status_t mx_socket_create(uint32_t options, mx_handle_t *out0,
				       mx_handle_t *out1)
{
	struct mxchan_socket_create a = {
		.options = options,
		.out0 = (uintptr_t)out0,
		.out1 = (uintptr_t)out1,
	};

	return MX_IOCTL(MXCHAN_IOC_SOCKET_CREATE, &a);
}

/*
 * actual, optional, goes to the kernel as it is: it writes a size_t of
 * the caller's width there, on success only, after the bytes moved.
 */
static mx_status_t mx_socket_io(unsigned long cmd, mx_handle_t handle,
				uint32_t options, const void *buffer,
				size_t size, size_t *actual)
{
	struct mxchan_socket_io a = {
		.handle = (uint32_t)handle,
		.options = options,
		.buffer = (uintptr_t)buffer,
		.size = size,
		.actual = (uintptr_t)actual,
	};

	return MX_IOCTL(cmd, &a);
}

MX_EXPORT mx_status_t mx_socket_write(mx_handle_t handle, uint32_t options,
				      const void *buffer, size_t size,
				      size_t *actual)
{
	return mx_socket_io(MXCHAN_IOC_SOCKET_WRITE, handle, options, buffer,
			    size, actual);
}

MX_EXPORT mx_status_t mx_socket_read(mx_handle_t handle, uint32_t options,
				     void *buffer, size_t size, size_t *actual)
{
	return mx_socket_io(MXCHAN_IOC_SOCKET_READ, handle, options, buffer,
			    size, actual);
}

MX_EXPORT mx_handle_t mx_get_startup_handle(uint32_t hnd_info)
{
	struct mxchan_startup_take a = { .id = hnd_info };

	if (MX_IOCTL(MXCHAN_IOC_STARTUP_TAKE, &a) != MX_OK)
		return MX_HANDLE_INVALID;
	return (mx_handle_t)a.handle;
}

MX_ALIAS(mx_channel_create);
MX_ALIAS(mx_channel_write);
MX_ALIAS(mx_channel_read);
MX_ALIAS(mx_handle_close);
MX_ALIAS(mx_handle_duplicate);
MX_ALIAS(mx_handle_replace);
MX_ALIAS(mx_object_get_info);
MX_ALIAS(mx_event_create);
MX_ALIAS(mx_eventpair_create);
MX_ALIAS(mx_fifo_create);
MX_ALIAS(mx_fifo_write);
MX_ALIAS(mx_fifo_read);
MX_ALIAS(mx_socket_create);
MX_ALIAS(mx_socket_write);
MX_ALIAS(mx_socket_read);
