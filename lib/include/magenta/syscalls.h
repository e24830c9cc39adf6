/* SPDX-License-Identifier: MIT */
/*
 * <magenta/syscalls.h>: the Magenta calls libmx implements, with
 * Magenta's prototypes. As in Magenta's vDSO, every call has two names,
 * mx_foo and _mx_foo, for the same function.
 *
 * Magenta's out-parameters are non-null (__NONNULL) unless Magenta marked
 * them optional: mx_channel_read's actual_bytes/actual_handles,
 * mx_object_get_info's actual_count/avail_count, and mx_socket_write's
 * and mx_socket_read's actual may be NULL.
 */
#ifndef MAGENTA_SYSCALLS_H_
#define MAGENTA_SYSCALLS_H_

#include <magenta/types.h>
#include <magenta/syscalls/types.h>
#include <magenta/syscalls/object.h>

__BEGIN_CDECLS

/*
 * Annotates syscall parameters for clang's static analyzer (e.g.
 * MX_SYSCALL_PARAM_ATTR(handle_acquire)); nothing under other compilers.
 */
#ifndef MX_SYSCALL_PARAM_ATTR
#if defined(__clang__)
#define MX_SYSCALL_PARAM_ATTR(x)	__attribute__((__annotate__("mx_" #x)))
#else
#define MX_SYSCALL_PARAM_ATTR(x)
#endif
#endif

/* Handles. */

extern mx_status_t mx_handle_close(mx_handle_t handle) __LEAF_FN;
extern mx_status_t _mx_handle_close(mx_handle_t handle) __LEAF_FN;

extern mx_status_t mx_handle_duplicate(mx_handle_t handle, mx_rights_t rights,
				       mx_handle_t* out)
	__NONNULL((3)) __LEAF_FN;
extern mx_status_t _mx_handle_duplicate(mx_handle_t handle, mx_rights_t rights,
					mx_handle_t* out)
	__NONNULL((3)) __LEAF_FN;

extern mx_status_t mx_handle_replace(mx_handle_t handle, mx_rights_t rights,
				     mx_handle_t* out)
	__NONNULL((3)) __LEAF_FN;
extern mx_status_t _mx_handle_replace(mx_handle_t handle, mx_rights_t rights,
				      mx_handle_t* out)
	__NONNULL((3)) __LEAF_FN;

/* Objects. */

extern mx_status_t mx_object_get_info(mx_handle_t handle, uint32_t topic,
				      void* buffer, size_t buffer_size,
				      size_t* actual_count, size_t* avail_count)
	__LEAF_FN;
extern mx_status_t _mx_object_get_info(mx_handle_t handle, uint32_t topic,
				       void* buffer, size_t buffer_size,
				       size_t* actual_count, size_t* avail_count)
	__LEAF_FN;

extern mx_status_t mx_object_wait_one(mx_handle_t handle, mx_signals_t waitfor,
				      mx_time_t deadline, mx_signals_t* observed)
	__LEAF_FN;
extern mx_status_t _mx_object_wait_one(mx_handle_t handle, mx_signals_t waitfor,
				       mx_time_t deadline, mx_signals_t* observed)
	__LEAF_FN;

extern mx_status_t mx_object_wait_many(mx_wait_item_t* items, uint32_t count,
				       mx_time_t deadline) __LEAF_FN;
extern mx_status_t _mx_object_wait_many(mx_wait_item_t* items, uint32_t count,
					mx_time_t deadline) __LEAF_FN;

extern mx_status_t mx_object_signal(mx_handle_t handle, uint32_t clear_mask,
				    uint32_t set_mask) __LEAF_FN;
extern mx_status_t _mx_object_signal(mx_handle_t handle, uint32_t clear_mask,
				     uint32_t set_mask) __LEAF_FN;

extern mx_status_t mx_object_signal_peer(mx_handle_t handle, uint32_t clear_mask,
					 uint32_t set_mask) __LEAF_FN;
extern mx_status_t _mx_object_signal_peer(mx_handle_t handle,
					  uint32_t clear_mask,
					  uint32_t set_mask) __LEAF_FN;

/*
 * A property of the object (MX_PROP_NAME of <magenta/syscalls/object.h>):
 * value is size bytes. The handle needs MX_RIGHT_GET_PROPERTY or
 * MX_RIGHT_SET_PROPERTY, which only VMOs have.
 */
extern mx_status_t mx_object_get_property(mx_handle_t handle,
					  uint32_t property, void* value,
					  size_t size) __LEAF_FN;
extern mx_status_t _mx_object_get_property(mx_handle_t handle,
					   uint32_t property, void* value,
					   size_t size) __LEAF_FN;

extern mx_status_t mx_object_set_property(mx_handle_t handle,
					  uint32_t property,
					  const void* value, size_t size)
	__LEAF_FN;
extern mx_status_t _mx_object_set_property(mx_handle_t handle,
					   uint32_t property,
					   const void* value, size_t size)
	__LEAF_FN;

/*
 * A 64-bit cookie kept on an event, an event pair side or a VMO for one
 * scope: any object, named by any handle to it. The first set claims the
 * object for its scope; only that scope can set or get it later
 * (MX_ERR_ACCESS_DENIED for the others, and for a get before any set).
 * Other objects: MX_ERR_NOT_SUPPORTED. No rights are needed.
 */
extern mx_status_t mx_object_set_cookie(mx_handle_t handle, mx_handle_t scope,
					uint64_t cookie) __LEAF_FN;
extern mx_status_t _mx_object_set_cookie(mx_handle_t handle,
					 mx_handle_t scope, uint64_t cookie)
	__LEAF_FN;

extern mx_status_t mx_object_get_cookie(mx_handle_t handle, mx_handle_t scope,
					uint64_t* cookie)
	__NONNULL((3)) __LEAF_FN;
extern mx_status_t _mx_object_get_cookie(mx_handle_t handle,
					 mx_handle_t scope, uint64_t* cookie)
	__NONNULL((3)) __LEAF_FN;

/*
 * Queue a packet (<magenta/syscalls/port.h>) with key on port_handle when
 * any of signals is set on handle's object: once (MX_WAIT_ASYNC_ONCE), or
 * each time one is set while none of its packets is queued
 * (MX_WAIT_ASYNC_REPEATING).
 */
extern mx_status_t mx_object_wait_async(mx_handle_t handle,
					mx_handle_t port_handle, uint64_t key,
					mx_signals_t signals, uint32_t options)
	__LEAF_FN;
extern mx_status_t _mx_object_wait_async(mx_handle_t handle,
					 mx_handle_t port_handle, uint64_t key,
					 mx_signals_t signals, uint32_t options)
	__LEAF_FN;

/* Channels. */

extern mx_status_t mx_channel_create(uint32_t options, mx_handle_t* out0,
				     mx_handle_t* out1)
	__NONNULL((2, 3)) __LEAF_FN;
extern mx_status_t _mx_channel_create(uint32_t options, mx_handle_t* out0,
				      mx_handle_t* out1)
	__NONNULL((2, 3)) __LEAF_FN;

extern mx_status_t mx_channel_read(mx_handle_t handle, uint32_t options,
				   void* bytes, mx_handle_t* handles,
				   uint32_t num_bytes, uint32_t num_handles,
				   uint32_t* actual_bytes,
				   uint32_t* actual_handles)
	__LEAF_FN;
extern mx_status_t _mx_channel_read(mx_handle_t handle, uint32_t options,
				    void* bytes, mx_handle_t* handles,
				    uint32_t num_bytes, uint32_t num_handles,
				    uint32_t* actual_bytes,
				    uint32_t* actual_handles)
	__LEAF_FN;

extern mx_status_t mx_channel_write(mx_handle_t handle, uint32_t options,
				    const void* bytes, uint32_t num_bytes,
				    const mx_handle_t* handles,
				    uint32_t num_handles)
	__LEAF_FN;
extern mx_status_t _mx_channel_write(mx_handle_t handle, uint32_t options,
				     const void* bytes, uint32_t num_bytes,
				     const mx_handle_t* handles,
				     uint32_t num_handles)
	__LEAF_FN;

/*
 * Write a request and wait for its reply (same first 4 bytes). On
 * MX_ERR_CALL_FAILED, *read_status (if not NULL) says why the reply could
 * not be read; the request's handles are gone on MX_OK, MX_ERR_TIMED_OUT
 * and MX_ERR_CALL_FAILED, and still the caller's on any other status.
 */
extern mx_status_t mx_channel_call(mx_handle_t handle, uint32_t options,
				   mx_time_t deadline,
				   const mx_channel_call_args_t* args,
				   uint32_t* actual_bytes,
				   uint32_t* actual_handles,
				   mx_status_t* read_status)
	__NONNULL((5, 6)) __LEAF_FN;
extern mx_status_t _mx_channel_call(mx_handle_t handle, uint32_t options,
				    mx_time_t deadline,
				    const mx_channel_call_args_t* args,
				    uint32_t* actual_bytes,
				    uint32_t* actual_handles,
				    mx_status_t* read_status)
	__NONNULL((5, 6)) __LEAF_FN;

/* Events. */

extern mx_status_t mx_event_create(uint32_t options, mx_handle_t* out)
	__NONNULL((2)) __LEAF_FN;
extern mx_status_t _mx_event_create(uint32_t options, mx_handle_t* out)
	__NONNULL((2)) __LEAF_FN;

extern mx_status_t mx_eventpair_create(uint32_t options, mx_handle_t* out0,
				       mx_handle_t* out1)
	__NONNULL((2, 3)) __LEAF_FN;
extern mx_status_t _mx_eventpair_create(uint32_t options, mx_handle_t* out0,
					mx_handle_t* out1)
	__NONNULL((2, 3)) __LEAF_FN;

/*
 * FIFOs: two ends, each with a ring of elem_count elements of elem_size
 * bytes that the other end writes. len is in bytes, rounded down to whole
 * elements; *num_written and *num_read count elements.
 */

extern mx_status_t mx_fifo_create(uint32_t elem_count, uint32_t elem_size,
				  uint32_t options, mx_handle_t* out0,
				  mx_handle_t* out1)
	__NONNULL((4, 5)) __LEAF_FN;
extern mx_status_t _mx_fifo_create(uint32_t elem_count, uint32_t elem_size,
				   uint32_t options, mx_handle_t* out0,
				   mx_handle_t* out1)
	__NONNULL((4, 5)) __LEAF_FN;

extern mx_status_t mx_fifo_write(mx_handle_t handle, const void* data,
				 size_t len, uint32_t* num_written)
	__NONNULL((4)) __LEAF_FN;
extern mx_status_t _mx_fifo_write(mx_handle_t handle, const void* data,
				  size_t len, uint32_t* num_written)
	__NONNULL((4)) __LEAF_FN;

extern mx_status_t mx_fifo_read(mx_handle_t handle, void* data, size_t len,
				uint32_t* num_read)
	__NONNULL((4)) __LEAF_FN;
extern mx_status_t _mx_fifo_read(mx_handle_t handle, void* data, size_t len,
				 uint32_t* num_read)
	__NONNULL((4)) __LEAF_FN;

/*
 * Sockets: two ends, each with a buffer of bytes that the other end
 * writes: a stream (a write takes what fits) or datagrams (whole or not
 * at all), and with MX_SOCKET_HAS_CONTROL one control message each way.
 * size and *actual are in bytes; a write of size 0 with
 * MX_SOCKET_SHUTDOWN_* options shuts an end down.
 */

extern mx_status_t mx_socket_create(uint32_t options, mx_handle_t* out0,
				    mx_handle_t* out1)
	__NONNULL((2, 3)) __LEAF_FN;
extern mx_status_t _mx_socket_create(uint32_t options, mx_handle_t* out0,
				     mx_handle_t* out1)
	__NONNULL((2, 3)) __LEAF_FN;

extern mx_status_t mx_socket_write(mx_handle_t handle, uint32_t options,
				   const void* buffer, size_t size,
				   size_t* actual)
	__LEAF_FN;
extern mx_status_t _mx_socket_write(mx_handle_t handle, uint32_t options,
				    const void* buffer, size_t size,
				    size_t* actual)
	__LEAF_FN;

extern mx_status_t mx_socket_read(mx_handle_t handle, uint32_t options,
				  void* buffer, size_t size, size_t* actual)
	__LEAF_FN;
extern mx_status_t _mx_socket_read(mx_handle_t handle, uint32_t options,
				   void* buffer, size_t size, size_t* actual)
	__LEAF_FN;

/*
 * VMOs: bytes of memory with a size, read and written by offset, cloned
 * copy-on-write, and mapped with mx_vmar_map(). Offsets and sizes are in
 * bytes; the size is kept byte-exact, pages are made as they are touched.
 */

extern mx_status_t mx_vmo_create(uint64_t size, uint32_t options,
				 mx_handle_t* out)
	__NONNULL((3)) __LEAF_FN;
extern mx_status_t _mx_vmo_create(uint64_t size, uint32_t options,
				  mx_handle_t* out)
	__NONNULL((3)) __LEAF_FN;

extern mx_status_t mx_vmo_read(mx_handle_t handle, void* data,
			       uint64_t offset, size_t len, size_t* actual)
	__NONNULL((5)) __LEAF_FN;
extern mx_status_t _mx_vmo_read(mx_handle_t handle, void* data,
				uint64_t offset, size_t len, size_t* actual)
	__NONNULL((5)) __LEAF_FN;

extern mx_status_t mx_vmo_write(mx_handle_t handle, const void* data,
				uint64_t offset, size_t len, size_t* actual)
	__NONNULL((5)) __LEAF_FN;
extern mx_status_t _mx_vmo_write(mx_handle_t handle, const void* data,
				 uint64_t offset, size_t len, size_t* actual)
	__NONNULL((5)) __LEAF_FN;

extern mx_status_t mx_vmo_get_size(mx_handle_t handle, uint64_t* size)
	__NONNULL((2)) __LEAF_FN;
extern mx_status_t _mx_vmo_get_size(mx_handle_t handle, uint64_t* size)
	__NONNULL((2)) __LEAF_FN;

extern mx_status_t mx_vmo_set_size(mx_handle_t handle, uint64_t size)
	__LEAF_FN;
extern mx_status_t _mx_vmo_set_size(mx_handle_t handle, uint64_t size)
	__LEAF_FN;

extern mx_status_t mx_vmo_op_range(mx_handle_t handle, uint32_t op,
				   uint64_t offset, uint64_t size,
				   void* buffer, size_t buffer_size)
	__LEAF_FN;
extern mx_status_t _mx_vmo_op_range(mx_handle_t handle, uint32_t op,
				    uint64_t offset, uint64_t size,
				    void* buffer, size_t buffer_size)
	__LEAF_FN;

extern mx_status_t mx_vmo_clone(mx_handle_t handle, uint32_t options,
				uint64_t offset, uint64_t size,
				mx_handle_t* out)
	__NONNULL((5)) __LEAF_FN;
extern mx_status_t _mx_vmo_clone(mx_handle_t handle, uint32_t options,
				 uint64_t offset, uint64_t size,
				 mx_handle_t* out)
	__NONNULL((5)) __LEAF_FN;

extern mx_status_t mx_vmo_set_cache_policy(mx_handle_t handle,
					   uint32_t cache_policy) __LEAF_FN;
extern mx_status_t _mx_vmo_set_cache_policy(mx_handle_t handle,
					    uint32_t cache_policy) __LEAF_FN;

/*
 * VMARs: the root VMAR of mx_vmar_root_self() (<magenta/process.h>)
 * stands for the caller's address space. mx_vmar_map() maps a VMO's pages
 * there, shared; mx_vmar_unmap() and mx_vmar_protect() act on what is
 * mapped, as munmap(2) and mprotect(2) do.
 */

extern mx_status_t mx_vmar_map(mx_handle_t vmar, size_t vmar_offset,
			       mx_handle_t vmo, uint64_t vmo_offset,
			       size_t len, uint32_t map_flags,
			       uintptr_t* mapped_addr)
	__NONNULL((7)) __LEAF_FN;
extern mx_status_t _mx_vmar_map(mx_handle_t vmar, size_t vmar_offset,
				mx_handle_t vmo, uint64_t vmo_offset,
				size_t len, uint32_t map_flags,
				uintptr_t* mapped_addr)
	__NONNULL((7)) __LEAF_FN;

extern mx_status_t mx_vmar_unmap(mx_handle_t vmar, uintptr_t addr,
				 size_t len) __LEAF_FN;
extern mx_status_t _mx_vmar_unmap(mx_handle_t vmar, uintptr_t addr,
				  size_t len) __LEAF_FN;

extern mx_status_t mx_vmar_protect(mx_handle_t vmar, uintptr_t addr,
				   size_t len, uint32_t prot) __LEAF_FN;
extern mx_status_t _mx_vmar_protect(mx_handle_t vmar, uintptr_t addr,
				    size_t len, uint32_t prot) __LEAF_FN;

/* Time. */

extern mx_time_t mx_time_get(uint32_t clock_id) __LEAF_FN;
extern mx_time_t _mx_time_get(uint32_t clock_id) __LEAF_FN;

extern mx_status_t mx_nanosleep(mx_time_t deadline) __LEAF_FN;
extern mx_status_t _mx_nanosleep(mx_time_t deadline) __LEAF_FN;

/* deadline = now (MX_CLOCK_MONOTONIC) + nanoseconds, unsaturated */
extern mx_time_t mx_deadline_after(mx_duration_t nanoseconds) __LEAF_FN;
extern mx_time_t _mx_deadline_after(mx_duration_t nanoseconds) __LEAF_FN;

/* Ticks: the monotonic clock's nanoseconds, a billion a second. */
extern uint64_t mx_ticks_get(void) __LEAF_FN;
extern uint64_t _mx_ticks_get(void) __LEAF_FN;

extern uint64_t mx_ticks_per_second(void) __LEAF_FN;
extern uint64_t _mx_ticks_per_second(void) __LEAF_FN;

/*
 * Timers: one-shot, on MX_CLOCK_MONOTONIC. mx_timer_set() arms a timer
 * for an absolute deadline, to fire within slack nanoseconds of it as
 * its options (MX_TIMER_SLACK_*) say; it then asserts MX_TIMER_SIGNALED
 * until the next mx_timer_set() or mx_timer_cancel(). A deadline of 0 or
 * one already past asserts it at once. mx_timer_start() is Magenta's
 * older form: with a period of 0 it is mx_timer_set(); periodic timers
 * are MX_ERR_NOT_SUPPORTED.
 */

extern mx_status_t mx_timer_create(uint32_t options, uint32_t clock_id,
				   mx_handle_t* out)
	__NONNULL((3)) __LEAF_FN;
extern mx_status_t _mx_timer_create(uint32_t options, uint32_t clock_id,
				    mx_handle_t* out)
	__NONNULL((3)) __LEAF_FN;

extern mx_status_t mx_timer_set(mx_handle_t handle, mx_time_t deadline,
				mx_duration_t slack) __LEAF_FN;
extern mx_status_t _mx_timer_set(mx_handle_t handle, mx_time_t deadline,
				 mx_duration_t slack) __LEAF_FN;

extern mx_status_t mx_timer_cancel(mx_handle_t handle) __LEAF_FN;
extern mx_status_t _mx_timer_cancel(mx_handle_t handle) __LEAF_FN;

extern mx_status_t mx_timer_start(mx_handle_t handle, mx_time_t deadline,
				  mx_duration_t period, mx_duration_t slack)
	__LEAF_FN;
extern mx_status_t _mx_timer_start(mx_handle_t handle, mx_time_t deadline,
				   mx_duration_t period, mx_duration_t slack)
	__LEAF_FN;

/*
 * Random bytes from the kernel's CPRNG: at most MX_CPRNG_DRAW_MAX_LEN at a
 * time, all of them (*actual is len). mx_cprng_add_entropy() mixes at most
 * MX_CPRNG_ADD_ENTROPY_MAX_LEN bytes into its pool.
 */
extern mx_status_t mx_cprng_draw(void* buffer, size_t len, size_t* actual)
	__NONNULL((3)) __LEAF_FN;
extern mx_status_t _mx_cprng_draw(void* buffer, size_t len, size_t* actual)
	__NONNULL((3)) __LEAF_FN;

extern mx_status_t mx_cprng_add_entropy(const void* buffer, size_t len)
	__LEAF_FN;
extern mx_status_t _mx_cprng_add_entropy(const void* buffer, size_t len)
	__LEAF_FN;

/*
 * Ports: queues of mx_port_packet_t (<magenta/syscalls/port.h>). size must
 * be 0, as in Magenta: a packet is always sizeof(mx_port_packet_t).
 */

extern mx_status_t mx_port_create(uint32_t options, mx_handle_t* out)
	__NONNULL((2)) __LEAF_FN;
extern mx_status_t _mx_port_create(uint32_t options, mx_handle_t* out)
	__NONNULL((2)) __LEAF_FN;

/* Queue a user packet: its key, status and payload; the type becomes USER. */
extern mx_status_t mx_port_queue(mx_handle_t handle, const void* packet,
				 size_t size) __LEAF_FN;
extern mx_status_t _mx_port_queue(mx_handle_t handle, const void* packet,
				  size_t size) __LEAF_FN;

/* Take the oldest packet, waiting until the deadline (MX_ERR_TIMED_OUT). */
extern mx_status_t mx_port_wait(mx_handle_t handle, mx_time_t deadline,
				void* packet, size_t size) __LEAF_FN;
extern mx_status_t _mx_port_wait(mx_handle_t handle, mx_time_t deadline,
				 void* packet, size_t size) __LEAF_FN;

/*
 * End the async waits made through handle source with key on the port,
 * and drop their queued packets; MX_ERR_NOT_FOUND if there was neither.
 */
extern mx_status_t mx_port_cancel(mx_handle_t handle, mx_handle_t source,
				  uint64_t key) __LEAF_FN;
extern mx_status_t _mx_port_cancel(mx_handle_t handle, mx_handle_t source,
				   uint64_t key) __LEAF_FN;

__END_CDECLS

#endif /* MAGENTA_SYSCALLS_H_ */
