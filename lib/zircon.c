// SPDX-License-Identifier: MIT
/*
 * libzircon: the zx_ names of early 2018 (<zircon/syscalls.h>, made from
 * the Magenta headers by lib/gen-zircon-headers.sh) over libmx.
 *
 * libzircon.so needs libmx.so and calls it, so a process has one handle
 * table whether it calls zx_, mx_ or both; libzircon.a is this file with
 * libmx's own objects. Each zx_ function is defined against its
 * <zircon/...> prototype, so a prototype that differs from the one
 * libzircon implements fails to compile.
 *
 * Most calls are Magenta's unchanged (the ABI was only renamed). The era's
 * differences are here:
 *  - there is no LAST_HANDLE signal (bit 22): waits and signal packets
 *    never report it, a wait for it alone waits for nothing, and a
 *    REPEATING async wait queues no packet when only it changes;
 *  - port_queue and port_wait take a count, 0 or 1, for Magenta's size 0.
 */
#include <stdint.h>

#include <linux/mxchan.h>
#include <zircon/process.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/port.h>

#include "mx-internal.h"

/* Magenta's LAST_HANDLE, which a zx_ caller never sees. */
#define ZX_LAST_HANDLE ((zx_signals_t)MXCHAN_SIGNAL_LAST_HANDLE)

/*
 * zx_name(params) calls mx_name(args): the libmx function, declared here
 * with the zircon prototype (the same ABI: only zx_handle_t's signedness
 * differs, which no register or stack slot sees).
 */
#define ZX_FORWARD(ret, name, params, args)				\
	extern __typeof(zx_##name) mx_##name;				\
	MX_EXPORT ret zx_##name params					\
	{								\
		return mx_##name args;					\
	}								\
	MX_ALIAS(zx_##name)

ZX_FORWARD(zx_status_t, handle_close, (zx_handle_t handle), (handle));
ZX_FORWARD(zx_status_t, handle_duplicate,
	   (zx_handle_t handle, zx_rights_t rights, zx_handle_t *out),
	   (handle, rights, out));
ZX_FORWARD(zx_status_t, handle_replace,
	   (zx_handle_t handle, zx_rights_t rights, zx_handle_t *out),
	   (handle, rights, out));
ZX_FORWARD(zx_status_t, object_get_info,
	   (zx_handle_t handle, uint32_t topic, void *buffer,
	    size_t buffer_size, size_t *actual_count, size_t *avail_count),
	   (handle, topic, buffer, buffer_size, actual_count, avail_count));
ZX_FORWARD(zx_status_t, object_signal,
	   (zx_handle_t handle, uint32_t clear_mask, uint32_t set_mask),
	   (handle, clear_mask, set_mask));
ZX_FORWARD(zx_status_t, object_signal_peer,
	   (zx_handle_t handle, uint32_t clear_mask, uint32_t set_mask),
	   (handle, clear_mask, set_mask));
ZX_FORWARD(zx_status_t, object_get_property,
	   (zx_handle_t handle, uint32_t property, void *value, size_t size),
	   (handle, property, value, size));
ZX_FORWARD(zx_status_t, object_set_property,
	   (zx_handle_t handle, uint32_t property, const void *value,
	    size_t size),
	   (handle, property, value, size));
ZX_FORWARD(zx_status_t, channel_create,
	   (uint32_t options, zx_handle_t *out0, zx_handle_t *out1),
	   (options, out0, out1));
ZX_FORWARD(zx_status_t, channel_read,
	   (zx_handle_t handle, uint32_t options, void *bytes,
	    zx_handle_t *handles, uint32_t num_bytes, uint32_t num_handles,
	    uint32_t *actual_bytes, uint32_t *actual_handles),
	   (handle, options, bytes, handles, num_bytes, num_handles,
	    actual_bytes, actual_handles));
ZX_FORWARD(zx_status_t, channel_write,
	   (zx_handle_t handle, uint32_t options, const void *bytes,
	    uint32_t num_bytes, const zx_handle_t *handles,
	    uint32_t num_handles),
	   (handle, options, bytes, num_bytes, handles, num_handles));
ZX_FORWARD(zx_status_t, channel_call,
	   (zx_handle_t handle, uint32_t options, zx_time_t deadline,
	    const zx_channel_call_args_t *args, uint32_t *actual_bytes,
	    uint32_t *actual_handles, zx_status_t *read_status),
	   (handle, options, deadline, args, actual_bytes, actual_handles,
	    read_status));
ZX_FORWARD(zx_status_t, event_create, (uint32_t options, zx_handle_t *out),
	   (options, out));
ZX_FORWARD(zx_status_t, eventpair_create,
	   (uint32_t options, zx_handle_t *out0, zx_handle_t *out1),
	   (options, out0, out1));
ZX_FORWARD(zx_status_t, fifo_create,
	   (uint32_t elem_count, uint32_t elem_size, uint32_t options,
	    zx_handle_t *out0, zx_handle_t *out1),
	   (elem_count, elem_size, options, out0, out1));
ZX_FORWARD(zx_status_t, fifo_write,
	   (zx_handle_t handle, const void *data, size_t len,
	    uint32_t *num_written),
	   (handle, data, len, num_written));
ZX_FORWARD(zx_status_t, fifo_read,
	   (zx_handle_t handle, void *data, size_t len, uint32_t *num_read),
	   (handle, data, len, num_read));
ZX_FORWARD(zx_status_t, socket_create,
	   (uint32_t options, zx_handle_t *out0, zx_handle_t *out1),
	   (options, out0, out1));
ZX_FORWARD(zx_status_t, socket_write,
	   (zx_handle_t handle, uint32_t options, const void *buffer,
	    size_t size, size_t *actual),
	   (handle, options, buffer, size, actual));
ZX_FORWARD(zx_status_t, socket_read,
	   (zx_handle_t handle, uint32_t options, void *buffer, size_t size,
	    size_t *actual),
	   (handle, options, buffer, size, actual));
ZX_FORWARD(zx_status_t, vmo_create,
	   (uint64_t size, uint32_t options, zx_handle_t *out),
	   (size, options, out));
ZX_FORWARD(zx_status_t, vmo_read,
	   (zx_handle_t handle, void *data, uint64_t offset, size_t len,
	    size_t *actual),
	   (handle, data, offset, len, actual));
ZX_FORWARD(zx_status_t, vmo_write,
	   (zx_handle_t handle, const void *data, uint64_t offset, size_t len,
	    size_t *actual),
	   (handle, data, offset, len, actual));
ZX_FORWARD(zx_status_t, vmo_get_size, (zx_handle_t handle, uint64_t *size),
	   (handle, size));
ZX_FORWARD(zx_status_t, vmo_set_size, (zx_handle_t handle, uint64_t size),
	   (handle, size));
ZX_FORWARD(zx_status_t, vmo_op_range,
	   (zx_handle_t handle, uint32_t op, uint64_t offset, uint64_t size,
	    void *buffer, size_t buffer_size),
	   (handle, op, offset, size, buffer, buffer_size));
ZX_FORWARD(zx_status_t, vmo_clone,
	   (zx_handle_t handle, uint32_t options, uint64_t offset,
	    uint64_t size, zx_handle_t *out),
	   (handle, options, offset, size, out));
ZX_FORWARD(zx_status_t, vmo_set_cache_policy,
	   (zx_handle_t handle, uint32_t cache_policy),
	   (handle, cache_policy));
ZX_FORWARD(zx_status_t, vmar_map,
	   (zx_handle_t vmar, size_t vmar_offset, zx_handle_t vmo,
	    uint64_t vmo_offset, size_t len, uint32_t map_flags,
	    uintptr_t *mapped_addr),
	   (vmar, vmar_offset, vmo, vmo_offset, len, map_flags, mapped_addr));
ZX_FORWARD(zx_status_t, vmar_unmap,
	   (zx_handle_t vmar, uintptr_t addr, size_t len), (vmar, addr, len));
ZX_FORWARD(zx_status_t, vmar_protect,
	   (zx_handle_t vmar, uintptr_t addr, size_t len, uint32_t prot),
	   (vmar, addr, len, prot));
ZX_FORWARD(zx_handle_t, vmar_root_self, (void), ());
ZX_FORWARD(zx_time_t, time_get, (uint32_t clock_id), (clock_id));
ZX_FORWARD(zx_status_t, nanosleep, (zx_time_t deadline), (deadline));
ZX_FORWARD(zx_time_t, deadline_after, (zx_duration_t nanoseconds),
	   (nanoseconds));
ZX_FORWARD(zx_status_t, object_set_cookie,
	   (zx_handle_t handle, zx_handle_t scope, uint64_t cookie),
	   (handle, scope, cookie));
ZX_FORWARD(zx_status_t, object_get_cookie,
	   (zx_handle_t handle, zx_handle_t scope, uint64_t *cookie),
	   (handle, scope, cookie));
ZX_FORWARD(zx_status_t, timer_create,
	   (uint32_t options, uint32_t clock_id, zx_handle_t *out),
	   (options, clock_id, out));
ZX_FORWARD(zx_status_t, timer_set,
	   (zx_handle_t handle, zx_time_t deadline, zx_duration_t slack),
	   (handle, deadline, slack));
ZX_FORWARD(zx_status_t, timer_cancel, (zx_handle_t handle), (handle));
ZX_FORWARD(zx_status_t, timer_start,
	   (zx_handle_t handle, zx_time_t deadline, zx_duration_t period,
	    zx_duration_t slack),
	   (handle, deadline, period, slack));
ZX_FORWARD(uint64_t, ticks_get, (void), ());
ZX_FORWARD(uint64_t, ticks_per_second, (void), ());
ZX_FORWARD(zx_status_t, cprng_draw,
	   (void *buffer, size_t len, size_t *actual), (buffer, len, actual));
ZX_FORWARD(zx_status_t, cprng_add_entropy,
	   (const void *buffer, size_t len), (buffer, len));
ZX_FORWARD(zx_status_t, port_create, (uint32_t options, zx_handle_t *out),
	   (options, out));
ZX_FORWARD(zx_status_t, port_cancel,
	   (zx_handle_t handle, zx_handle_t source, uint64_t key),
	   (handle, source, key));

/* Not a vDSO call in Zircon either (libc's): no _zx_ name. */
extern __typeof(zx_get_startup_handle) mx_get_startup_handle;
MX_EXPORT zx_handle_t zx_get_startup_handle(uint32_t hnd_info)
{
	return mx_get_startup_handle(hnd_info);
}

/* The calls of the era's differences. */

extern __typeof(zx_object_wait_one) mx_object_wait_one;
extern __typeof(zx_object_wait_many) mx_object_wait_many;
extern __typeof(zx_object_wait_async) mx_object_wait_async;
extern __typeof(zx_port_queue) mx_port_queue;
extern __typeof(zx_port_wait) mx_port_wait;

MX_EXPORT zx_status_t zx_object_wait_one(zx_handle_t handle,
					 zx_signals_t waitfor,
					 zx_time_t deadline,
					 zx_signals_t *observed)
{
	zx_status_t status;

	status = mx_object_wait_one(handle, waitfor & ~ZX_LAST_HANDLE,
				    deadline, observed);
	/* observed is written on these statuses only, and may be NULL */
	if (observed && (status == ZX_OK || status == ZX_ERR_TIMED_OUT ||
			 status == ZX_ERR_CANCELED))
		*observed &= ~ZX_LAST_HANDLE;
	return status;
}

/*
 * The items are the caller's, read and written by the kernel: a waitfor
 * with bit 22 has it cleared for the call and put back after, and each
 * pending loses it. More items than the kernel takes are its error, with
 * nothing changed here.
 */
MX_EXPORT zx_status_t zx_object_wait_many(zx_wait_item_t *items,
					  uint32_t count, zx_time_t deadline)
{
	uint32_t asked[(MXCHAN_WAIT_MANY_MAX + 31) / 32] = { 0 };
	uint32_t n = count <= MXCHAN_WAIT_MANY_MAX && items ? count : 0, i;
	zx_status_t status;

	for (i = 0; i < n; i++) {
		if (items[i].waitfor & ZX_LAST_HANDLE) {
			items[i].waitfor &= ~ZX_LAST_HANDLE;
			asked[i / 32] |= 1u << (i % 32);
		}
	}
	status = mx_object_wait_many(items, count, deadline);
	for (i = 0; i < n; i++) {
		if (asked[i / 32] & (1u << (i % 32)))
			items[i].waitfor |= ZX_LAST_HANDLE;
		if (status == ZX_OK || status == ZX_ERR_TIMED_OUT ||
		    status == ZX_ERR_CANCELED)
			items[i].pending &= ~ZX_LAST_HANDLE;
	}
	return status;
}

/*
 * The kernel leaves LAST_HANDLE out of the wait (NO_LAST_HANDLE): its
 * packets never show it, and a REPEATING wait queues no packet when only
 * it changes. The flag is mxchan's, not an option of the era: a caller
 * that passes it gets the kernel's INVALID_ARGS for a bad option, after
 * the port and handle checks, as for any other bad option.
 */
MX_EXPORT zx_status_t zx_object_wait_async(zx_handle_t handle,
					   zx_handle_t port_handle,
					   uint64_t key, zx_signals_t signals,
					   uint32_t options)
{
	if (options & MXCHAN_WAIT_ASYNC_NO_LAST_HANDLE)
		options = UINT32_MAX;
	return mx_object_wait_async(handle, port_handle, key, signals,
				    options | MXCHAN_WAIT_ASYNC_NO_LAST_HANDLE);
}

/* Zircon took a count of packets, 0 or 1, where Magenta took size 0. */
MX_EXPORT zx_status_t zx_port_queue(zx_handle_t handle, const void *packet,
				    size_t count)
{
	return mx_port_queue(handle, packet, count == 1 ? 0 : count);
}

MX_EXPORT zx_status_t zx_port_wait(zx_handle_t handle, zx_time_t deadline,
				   void *packet, size_t count)
{
	zx_port_packet_t *p = packet;
	zx_status_t status;

	status = mx_port_wait(handle, deadline, packet, count == 1 ? 0 : count);
	/* zx_object_wait_async's packets lack bit 22; a mx_ wait's may not */
	if (status == ZX_OK && (p->type == ZX_PKT_TYPE_SIGNAL_ONE ||
				p->type == ZX_PKT_TYPE_SIGNAL_REP)) {
		p->signal.trigger &= ~ZX_LAST_HANDLE;
		p->signal.observed &= ~ZX_LAST_HANDLE;
	}
	return status;
}

MX_ALIAS(zx_object_wait_one);
MX_ALIAS(zx_object_wait_many);
MX_ALIAS(zx_object_wait_async);
MX_ALIAS(zx_port_queue);
MX_ALIAS(zx_port_wait);
