// SPDX-License-Identifier: MIT
/*
 * libmx: Magenta's channel and handle calls on top of /dev/mxchan.
 *
 * The process's handle table is one open file description of /dev/mxchan:
 * the table the process was started with by mxchan_spawn(), adopted before
 * main() (its fd is named by MXCHAN_TABLE_FD in the environment), or else
 * a new one opened on the first call (thread-safe). Either is close-on-exec.
 * That fd is the library's only state. Every call is one ioctl (but
 * mx_vmar_unmap and mx_vmar_protect: one, then munmap or mprotect on the
 * caller's own address space); the errno an ioctl fails with maps
 * one-to-one to a Magenta status. EINTR is retried, never returned.
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
#include <sys/mman.h>
#include <unistd.h>

#include <linux/mxchan.h>
#include <magenta/process.h>
#include <magenta/rights.h>
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
	int saved = errno;	/* before the open of the first call */
	int fd = mxchan_table_fd();
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

/* Magenta's VMO, VMAR and property values are the kernel's. */
_Static_assert(MX_RIGHT_EXECUTE == MXCHAN_RIGHT_EXECUTE &&
	       MX_RIGHT_MAP == MXCHAN_RIGHT_MAP &&
	       MX_RIGHT_GET_PROPERTY == MXCHAN_RIGHT_GET_PROPERTY &&
	       MX_RIGHT_SET_PROPERTY == MXCHAN_RIGHT_SET_PROPERTY &&
	       MX_RIGHT_DUPLICATE == MXCHAN_RIGHT_DUPLICATE &&
	       MX_RIGHT_TRANSFER == MXCHAN_RIGHT_TRANSFER &&
	       MX_RIGHT_READ == MXCHAN_RIGHT_READ &&
	       MX_RIGHT_WRITE == MXCHAN_RIGHT_WRITE &&
	       MX_RIGHT_SIGNAL == MXCHAN_RIGHT_SIGNAL,
	       "VMO and VMAR rights");
_Static_assert(MX_DEFAULT_VMO_RIGHTS == 0x10FFu &&
	       MX_DEFAULT_VMO_RIGHTS ==
			(MXCHAN_RIGHT_DUPLICATE | MXCHAN_RIGHT_TRANSFER |
			 MXCHAN_RIGHT_READ | MXCHAN_RIGHT_WRITE |
			 MXCHAN_RIGHT_EXECUTE | MXCHAN_RIGHT_MAP |
			 MXCHAN_RIGHT_GET_PROPERTY |
			 MXCHAN_RIGHT_SET_PROPERTY | MXCHAN_RIGHT_SIGNAL) &&
	       MX_DEFAULT_VMAR_RIGHTS == 0x3u,
	       "VMO and VMAR default rights");
_Static_assert(MX_OBJ_TYPE_VMO == MXCHAN_OBJ_TYPE_VMO &&
	       MX_OBJ_TYPE_VMAR == MXCHAN_OBJ_TYPE_VMAR,
	       "VMO and VMAR object types");
_Static_assert(MX_VMO_OP_COMMIT == MXCHAN_VMO_OP_COMMIT &&
	       MX_VMO_OP_DECOMMIT == MXCHAN_VMO_OP_DECOMMIT &&
	       MX_VMO_OP_LOCK == MXCHAN_VMO_OP_LOCK &&
	       MX_VMO_OP_UNLOCK == MXCHAN_VMO_OP_UNLOCK &&
	       MX_VMO_OP_LOOKUP == MXCHAN_VMO_OP_LOOKUP &&
	       MX_VMO_OP_CACHE_SYNC == MXCHAN_VMO_OP_CACHE_SYNC &&
	       MX_VMO_OP_CACHE_INVALIDATE == MXCHAN_VMO_OP_CACHE_INVALIDATE &&
	       MX_VMO_OP_CACHE_CLEAN == MXCHAN_VMO_OP_CACHE_CLEAN &&
	       MX_VMO_OP_CACHE_CLEAN_INVALIDATE ==
			MXCHAN_VMO_OP_CACHE_CLEAN_INVALIDATE,
	       "VMO operations");
_Static_assert(MX_VMO_CLONE_COPY_ON_WRITE == MXCHAN_VMO_CLONE_COPY_ON_WRITE,
	       "VMO clone options");
_Static_assert(MX_CACHE_POLICY_CACHED == 0 &&
	       MX_CACHE_POLICY_UNCACHED == 1 &&
	       MX_CACHE_POLICY_UNCACHED_DEVICE == 2 &&
	       MX_CACHE_POLICY_WRITE_COMBINING == 3 &&
	       MX_CACHE_POLICY_MASK == MXCHAN_CACHE_POLICY_MASK,
	       "cache policies");
_Static_assert(MX_VM_FLAG_PERM_READ == MXCHAN_VM_FLAG_PERM_READ &&
	       MX_VM_FLAG_PERM_WRITE == MXCHAN_VM_FLAG_PERM_WRITE &&
	       MX_VM_FLAG_PERM_EXECUTE == MXCHAN_VM_FLAG_PERM_EXECUTE &&
	       MX_VM_FLAG_COMPACT == MXCHAN_VM_FLAG_COMPACT &&
	       MX_VM_FLAG_SPECIFIC == MXCHAN_VM_FLAG_SPECIFIC &&
	       MX_VM_FLAG_SPECIFIC_OVERWRITE ==
			MXCHAN_VM_FLAG_SPECIFIC_OVERWRITE &&
	       MX_VM_FLAG_CAN_MAP_SPECIFIC == MXCHAN_VM_FLAG_CAN_MAP_SPECIFIC &&
	       MX_VM_FLAG_CAN_MAP_READ == MXCHAN_VM_FLAG_CAN_MAP_READ &&
	       MX_VM_FLAG_CAN_MAP_WRITE == MXCHAN_VM_FLAG_CAN_MAP_WRITE &&
	       MX_VM_FLAG_CAN_MAP_EXECUTE == MXCHAN_VM_FLAG_CAN_MAP_EXECUTE &&
	       MX_VM_FLAG_MAP_RANGE == MXCHAN_VM_FLAG_MAP_RANGE,
	       "VM flags");
_Static_assert(MX_INFO_VMAR == MXCHAN_INFO_VMAR &&
	       MX_INFO_HANDLE_BASIC == MXCHAN_INFO_HANDLE_BASIC,
	       "get_info topics");
_Static_assert(MX_PROP_NAME == MXCHAN_PROP_NAME &&
	       MX_MAX_NAME_LEN == MXCHAN_MAX_NAME_LEN,
	       "properties");
/*
 * The kernel writes mx_info_vmar_t in the caller's width: two __u64 for a
 * 64-bit caller, two 32-bit words for a 32-bit one.
 */
_Static_assert(sizeof(mx_info_vmar_t) == 2 * sizeof(uintptr_t) &&
	       offsetof(mx_info_vmar_t, len) == sizeof(uintptr_t),
	       "mx_info_vmar_t layout");
_Static_assert(sizeof(uintptr_t) != 8 ||
	       sizeof(mx_info_vmar_t) == sizeof(struct mxchan_info_vmar),
	       "mx_info_vmar_t is the kernel's record");

/* The kernel checks options (reserved stays 0). */
MX_EXPORT mx_status_t mx_vmo_create(uint64_t size, uint32_t options,
				    mx_handle_t *out)
{
	struct mxchan_vmo_create a = {
		.size = size,
		.options = options,
		.out = (uintptr_t)out,
	};

	return MX_IOCTL(MXCHAN_IOC_VMO_CREATE, &a);
}

/*
 * actual, required, goes to the kernel as it is: it writes a size_t of
 * the caller's width there after the bytes moved (a NULL or bad pointer
 * is MX_ERR_INVALID_ARGS then, and the bytes stay moved, as in Magenta).
 */
static mx_status_t mx_vmo_io(unsigned long cmd, mx_handle_t handle,
			     const void *data, uint64_t offset, size_t len,
			     size_t *actual)
{
	struct mxchan_vmo_io a = {
		.handle = (uint32_t)handle,
		.data = (uintptr_t)data,
		.offset = offset,
		.len = len,
		.actual = (uintptr_t)actual,
	};

	return MX_IOCTL(cmd, &a);
}

MX_EXPORT mx_status_t mx_vmo_read(mx_handle_t handle, void *data,
				  uint64_t offset, size_t len, size_t *actual)
{
	return mx_vmo_io(MXCHAN_IOC_VMO_READ, handle, data, offset, len,
			 actual);
}

MX_EXPORT mx_status_t mx_vmo_write(mx_handle_t handle, const void *data,
				   uint64_t offset, size_t len,
				   size_t *actual)
{
	return mx_vmo_io(MXCHAN_IOC_VMO_WRITE, handle, data, offset, len,
			 actual);
}

MX_EXPORT mx_status_t mx_vmo_get_size(mx_handle_t handle, uint64_t *size)
{
	struct mxchan_vmo_size a = {
		.handle = (uint32_t)handle,
		.out = (uintptr_t)size,
	};

	return MX_IOCTL(MXCHAN_IOC_VMO_GET_SIZE, &a);
}

MX_EXPORT mx_status_t mx_vmo_set_size(mx_handle_t handle, uint64_t size)
{
	struct mxchan_vmo_size a = {
		.handle = (uint32_t)handle,
		.size = size,
	};

	return MX_IOCTL(MXCHAN_IOC_VMO_SET_SIZE, &a);
}

MX_EXPORT mx_status_t mx_vmo_op_range(mx_handle_t handle, uint32_t op,
				      uint64_t offset, uint64_t size,
				      void *buffer, size_t buffer_size)
{
	struct mxchan_vmo_op_range a = {
		.handle = (uint32_t)handle,
		.op = op,
		.offset = offset,
		.size = size,
		.buffer = (uintptr_t)buffer,
		.buffer_size = buffer_size,
	};

	return MX_IOCTL(MXCHAN_IOC_VMO_OP_RANGE, &a);
}

MX_EXPORT mx_status_t mx_vmo_clone(mx_handle_t handle, uint32_t options,
				   uint64_t offset, uint64_t size,
				   mx_handle_t *out)
{
	struct mxchan_vmo_clone a = {
		.handle = (uint32_t)handle,
		.options = options,
		.offset = offset,
		.size = size,
		.out = (uintptr_t)out,
	};

	return MX_IOCTL(MXCHAN_IOC_VMO_CLONE, &a);
}

MX_EXPORT mx_status_t mx_vmo_set_cache_policy(mx_handle_t handle,
					      uint32_t cache_policy)
{
	struct mxchan_vmo_cache_policy a = {
		.handle = (uint32_t)handle,
		.policy = cache_policy,
	};

	return MX_IOCTL(MXCHAN_IOC_VMO_CACHE_POLICY, &a);
}

/*
 * Asked of the kernel each time: libmx keeps no state but the table, and
 * the handle may have been closed or sent away since the last call.
 */
MX_EXPORT mx_handle_t mx_vmar_root_self(void)
{
	mx_handle_t h = MX_HANDLE_INVALID;
	struct mxchan_vmar_root a = { .out = (uintptr_t)&h };

	if (MX_IOCTL(MXCHAN_IOC_VMAR_ROOT, &a) != MX_OK)
		return MX_HANDLE_INVALID;
	return h;
}

/* The kernel checks the flags (reserved stays 0) and makes the mapping. */
MX_EXPORT mx_status_t mx_vmar_map(mx_handle_t vmar, size_t vmar_offset,
				  mx_handle_t vmo, uint64_t vmo_offset,
				  size_t len, uint32_t map_flags,
				  uintptr_t *mapped_addr)
{
	struct mxchan_vmar_map a = {
		.vmar = (uint32_t)vmar,
		.vmo = (uint32_t)vmo,
		.vmar_offset = vmar_offset,
		.vmo_offset = vmo_offset,
		.len = len,
		.flags = map_flags,
		.mapped_addr = (uintptr_t)mapped_addr,
	};

	return MX_IOCTL(MXCHAN_IOC_VMAR_MAP, &a);
}

#define MX_VM_FLAG_PERM_MASK \
	(MX_VM_FLAG_PERM_READ | MX_VM_FLAG_PERM_WRITE | MX_VM_FLAG_PERM_EXECUTE)

/*
 * Unmapping and protecting need no kernel object: a root VMAR stands for
 * the caller's own address space, so munmap(2) and mprotect(2) do the
 * work once the handle is known to be a VMAR's. HANDLE_BASIC gives
 * MX_ERR_BAD_HANDLE (or MX_ERR_UNAVAILABLE without a table), and its
 * rights for mx_vmar_protect().
 */
static mx_status_t mx_vmar_lookup(mx_handle_t vmar, mx_rights_t *rights)
{
	mx_info_handle_basic_t info;
	struct mxchan_object_get_info a = {
		.handle = (uint32_t)vmar,
		.topic = MXCHAN_INFO_HANDLE_BASIC,
		.buffer = (uintptr_t)&info,
		.buffer_size = sizeof(info),
	};
	mx_status_t status = MX_IOCTL(MXCHAN_IOC_OBJECT_GET_INFO, &a);

	if (status != MX_OK)
		return status;
	if (info.type != MX_OBJ_TYPE_VMAR)
		return MX_ERR_WRONG_TYPE;
	*rights = info.rights;
	return MX_OK;
}

/*
 * Magenta's checks of the range: addr on a page, len not 0; len is
 * rounded up to pages, and a range that wraps is refused here rather than
 * handed to the kernel (where mprotect(2) would call it unmapped).
 */
static mx_status_t mx_vmar_range(uintptr_t addr, size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	if ((addr & (page - 1)) != 0 || len == 0)
		return MX_ERR_INVALID_ARGS;
	if (len > SIZE_MAX - (page - 1) ||
	    ((len + page - 1) & ~(page - 1)) > UINTPTR_MAX - addr)
		return MX_ERR_INVALID_ARGS;
	return MX_OK;
}

/*
 * The errno of munmap(2) or mprotect(2): EACCES (mprotect asking for
 * access the mapping may not have: the handles it was made through lacked
 * the right) and EPERM (a sealed mapping) are MX_ERR_ACCESS_DENIED; ENOMEM
 * is MX_ERR_NOT_FOUND from mprotect (part of the range is not mapped) and
 * MX_ERR_NO_MEMORY from munmap (splitting a mapping would pass the
 * process's limit on mappings); anything else is MX_ERR_INVALID_ARGS.
 */
static mx_status_t mx_vm_status(int err, bool unmap)
{
	switch (err) {
	case EACCES:
	case EPERM:
		return MX_ERR_ACCESS_DENIED;
	case ENOMEM:
		return unmap ? MX_ERR_NO_MEMORY : MX_ERR_NOT_FOUND;
	default:
		return MX_ERR_INVALID_ARGS;
	}
}

MX_EXPORT mx_status_t mx_vmar_unmap(mx_handle_t vmar, uintptr_t addr,
				    size_t len)
{
	mx_rights_t rights;
	mx_status_t status = mx_vmar_lookup(vmar, &rights);
	int saved;

	if (status == MX_OK)
		status = mx_vmar_range(addr, len);
	if (status != MX_OK)
		return status;
	saved = errno;
	if (munmap((void *)addr, len) != 0)
		status = mx_vm_status(errno, true);
	errno = saved;
	return status;
}

MX_EXPORT mx_status_t mx_vmar_protect(mx_handle_t vmar, uintptr_t addr,
				      size_t len, uint32_t prot)
{
	mx_rights_t rights, need = 0;
	mx_status_t status = mx_vmar_lookup(vmar, &rights);
	int saved, mprot = PROT_NONE;

	if (status == MX_OK)
		status = mx_vmar_range(addr, len);
	if (status != MX_OK)
		return status;
	/* write or execute without read, or a flag that is not a PERM_ one */
	if ((prot & ~(uint32_t)MX_VM_FLAG_PERM_MASK) != 0 ||
	    ((prot & (MX_VM_FLAG_PERM_WRITE | MX_VM_FLAG_PERM_EXECUTE)) &&
	     !(prot & MX_VM_FLAG_PERM_READ)))
		return MX_ERR_INVALID_ARGS;
	if (prot & MX_VM_FLAG_PERM_READ) {
		need |= MX_RIGHT_READ;
		mprot |= PROT_READ;
	}
	if (prot & MX_VM_FLAG_PERM_WRITE) {
		need |= MX_RIGHT_WRITE;
		mprot |= PROT_WRITE;
	}
	if (prot & MX_VM_FLAG_PERM_EXECUTE) {
		need |= MX_RIGHT_EXECUTE;
		mprot |= PROT_EXEC;
	}
	if ((rights & need) != need)
		return MX_ERR_ACCESS_DENIED;
	saved = errno;
	if (mprotect((void *)addr, len, mprot) != 0)
		status = mx_vm_status(errno, false);
	errno = saved;
	return status;
}

/* value goes to the kernel as it is: NULL is its MX_ERR_INVALID_ARGS. */
MX_EXPORT mx_status_t mx_object_get_property(mx_handle_t handle,
					     uint32_t property, void *value,
					     size_t size)
{
	struct mxchan_object_property a = {
		.handle = (uint32_t)handle,
		.property = property,
		.value = (uintptr_t)value,
		.size = size,
	};

	return MX_IOCTL(MXCHAN_IOC_OBJECT_GET_PROPERTY, &a);
}

MX_EXPORT mx_status_t mx_object_set_property(mx_handle_t handle,
					     uint32_t property,
					     const void *value, size_t size)
{
	struct mxchan_object_property a = {
		.handle = (uint32_t)handle,
		.property = property,
		.value = (uintptr_t)value,
		.size = size,
	};

	return MX_IOCTL(MXCHAN_IOC_OBJECT_SET_PROPERTY, &a);
}

MX_EXPORT mx_status_t mx_object_set_cookie(mx_handle_t handle,
					   mx_handle_t scope, uint64_t cookie)
{
	struct mxchan_object_cookie a = {
		.handle = (uint32_t)handle,
		.scope = (uint32_t)scope,
		.cookie = cookie,
	};

	return MX_IOCTL(MXCHAN_IOC_OBJECT_SET_COOKIE, &a);
}

/* The kernel writes the cookie through the pointer: a fault is INVALID_ARGS. */
MX_EXPORT mx_status_t mx_object_get_cookie(mx_handle_t handle,
					   mx_handle_t scope, uint64_t *cookie)
{
	struct mxchan_object_cookie a = {
		.handle = (uint32_t)handle,
		.scope = (uint32_t)scope,
		.cookie = (uintptr_t)cookie,
	};

	return MX_IOCTL(MXCHAN_IOC_OBJECT_GET_COOKIE, &a);
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
MX_ALIAS(mx_vmo_create);
MX_ALIAS(mx_vmo_read);
MX_ALIAS(mx_vmo_write);
MX_ALIAS(mx_vmo_get_size);
MX_ALIAS(mx_vmo_set_size);
MX_ALIAS(mx_vmo_op_range);
MX_ALIAS(mx_vmo_clone);
MX_ALIAS(mx_vmo_set_cache_policy);
MX_ALIAS(mx_vmar_root_self);
MX_ALIAS(mx_vmar_map);
MX_ALIAS(mx_vmar_unmap);
MX_ALIAS(mx_vmar_protect);
MX_ALIAS(mx_object_get_property);
MX_ALIAS(mx_object_set_property);
MX_ALIAS(mx_object_set_cookie);
MX_ALIAS(mx_object_get_cookie);
