// SPDX-License-Identifier: MIT
/*
 * libmx: ports and async waits. Each call is one ioctl; the kernel checks
 * size (which must be 0) itself, so it is passed through. mx_port_wait
 * is restarted by the kernel after a Linux signal, with the same absolute
 * deadline, and never returns early.
 */
#include <stddef.h>
#include <stdint.h>

#include <linux/mxchan.h>
#include <magenta/syscalls.h>
#include <magenta/syscalls/port.h>

#include "mx-internal.h"

/* The kernel copies packets in and out as they are. */
_Static_assert(sizeof(mx_port_packet_t) == sizeof(struct mxchan_port_packet),
	       "mx_port_packet_t is the kernel's packet");
_Static_assert(offsetof(mx_port_packet_t, user) ==
	       offsetof(struct mxchan_port_packet, user),
	       "the payload is where the kernel puts it");
_Static_assert(offsetof(mx_port_packet_t, signal.count) ==
	       offsetof(struct mxchan_port_packet, signal.count),
	       "the signal count is where the kernel puts it");
_Static_assert(MX_WAIT_ASYNC_ONCE == MXCHAN_WAIT_ASYNC_ONCE &&
	       MX_WAIT_ASYNC_REPEATING == MXCHAN_WAIT_ASYNC_REPEATING,
	       "wait_async options are the kernel's");
_Static_assert(MX_PKT_TYPE_USER == MXCHAN_PKT_TYPE_USER &&
	       MX_PKT_TYPE_SIGNAL_ONE == MXCHAN_PKT_TYPE_SIGNAL_ONE &&
	       MX_PKT_TYPE_SIGNAL_REP == MXCHAN_PKT_TYPE_SIGNAL_REP,
	       "packet types are the kernel's");
_Static_assert(MX_PORT_READABLE == MXCHAN_SIGNAL_PORT_READABLE,
	       "a port's signal fd signal is the kernel's");
_Static_assert(MX_OBJ_TYPE_PORT == MXCHAN_OBJ_TYPE_PORT,
	       "the port object type is the kernel's");

MX_EXPORT mx_status_t mx_port_create(uint32_t options, mx_handle_t *out)
{
	struct mxchan_port_create a = {
		.options = options,
		.out = (uintptr_t)out,
	};

	return MX_IOCTL(MXCHAN_IOC_PORT_CREATE, &a);
}

MX_EXPORT mx_status_t mx_port_queue(mx_handle_t handle, const void *packet,
				    size_t size)
{
	struct mxchan_port_queue a = {
		.handle = (uint32_t)handle,
		.packet = (uintptr_t)packet,
		.size = size,
	};

	return MX_IOCTL(MXCHAN_IOC_PORT_QUEUE, &a);
}

MX_EXPORT mx_status_t mx_port_wait(mx_handle_t handle, mx_time_t deadline,
				   void *packet, size_t size)
{
	struct mxchan_port_wait a = {
		.handle = (uint32_t)handle,
		.deadline = deadline,
		.packet = (uintptr_t)packet,
		.size = size,
	};

	return MX_IOCTL(MXCHAN_IOC_PORT_WAIT, &a);
}

MX_EXPORT mx_status_t mx_port_cancel(mx_handle_t handle, mx_handle_t source,
				     uint64_t key)
{
	struct mxchan_port_cancel a = {
		.handle = (uint32_t)handle,
		.source = (uint32_t)source,
		.key = key,
	};

	return MX_IOCTL(MXCHAN_IOC_PORT_CANCEL, &a);
}

MX_EXPORT mx_status_t mx_object_wait_async(mx_handle_t handle,
					   mx_handle_t port_handle,
					   uint64_t key, mx_signals_t signals,
					   uint32_t options)
{
	struct mxchan_object_wait_async a = {
		.handle = (uint32_t)handle,
		.port = (uint32_t)port_handle,
		.key = key,
		.signals = signals,
		.options = options,
	};

	return MX_IOCTL(MXCHAN_IOC_OBJECT_WAIT_ASYNC, &a);
}

MX_ALIAS(mx_port_create);
MX_ALIAS(mx_port_queue);
MX_ALIAS(mx_port_wait);
MX_ALIAS(mx_port_cancel);
MX_ALIAS(mx_object_wait_async);
