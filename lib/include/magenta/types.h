/* SPDX-License-Identifier: MIT */
/*
 * <magenta/types.h>: Magenta's basic types, the handle rights and the
 * channel limits, with Magenta's names, types and values.
 *
 * libmx declares only what works: the signal bits and structures of the
 * objects and calls it implements.
 */
#ifndef MAGENTA_TYPES_H_
#define MAGENTA_TYPES_H_

#include <magenta/compiler.h>
#include <magenta/errors.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#ifndef __cplusplus
#include <stdatomic.h>		/* mx_futex_t */
#endif

__BEGIN_CDECLS

/* A handle value; valid ones are > 0 and mean nothing in another process. */
typedef int32_t mx_handle_t;
#define MX_HANDLE_INVALID		((mx_handle_t)0)

/* MX_OK or a negative MX_ERR_* value from <magenta/errors.h>. */
typedef int32_t mx_status_t;

/* An absolute time in nanoseconds, of the monotonic clock unless stated. */
typedef uint64_t mx_time_t;
/* A length of time in nanoseconds. */
typedef uint64_t mx_duration_t;
#define MX_TIME_INFINITE		UINT64_MAX
#define MX_USEC(n)			((mx_duration_t)(1000ULL * (n)))
#define MX_MSEC(n)			((mx_duration_t)(1000000ULL * (n)))
#define MX_SEC(n)			((mx_duration_t)(1000000000ULL * (n)))

/* Clock ids. */
#define MX_CLOCK_MONOTONIC		(0u)
#define MX_CLOCK_UTC			(1u)
#define MX_CLOCK_THREAD			(2u)

typedef uint32_t mx_signals_t;

/* Signals: the state bits of an object, as waits see them. */
#define MX_SIGNAL_NONE			((mx_signals_t)0u)
#define __MX_OBJECT_SIGNAL_ALL		((mx_signals_t)0x00ffffffu)
#define MX_USER_SIGNAL_ALL		((mx_signals_t)0xff000000u)
#define MX_USER_SIGNAL_0		((mx_signals_t)1u << 24)
#define MX_USER_SIGNAL_1		((mx_signals_t)1u << 25)
#define MX_USER_SIGNAL_2		((mx_signals_t)1u << 26)
#define MX_USER_SIGNAL_3		((mx_signals_t)1u << 27)
#define MX_USER_SIGNAL_4		((mx_signals_t)1u << 28)
#define MX_USER_SIGNAL_5		((mx_signals_t)1u << 29)
#define MX_USER_SIGNAL_6		((mx_signals_t)1u << 30)
#define MX_USER_SIGNAL_7		((mx_signals_t)1u << 31)
/* Exactly one handle refers to the object. */
#define MX_SIGNAL_LAST_HANDLE		((mx_signals_t)1u << 22)
/* Only in wait results: the handle waited on was closed or sent away. */
#define MX_SIGNAL_HANDLE_CLOSED		((mx_signals_t)1u << 23)

#define MX_EVENT_SIGNALED		((mx_signals_t)1u << 3)
#define MX_EVENT_SIGNAL_MASK		(MX_USER_SIGNAL_ALL | MX_EVENT_SIGNALED)

#define MX_EPAIR_PEER_CLOSED		((mx_signals_t)1u << 2)
#define MX_EPAIR_SIGNALED		((mx_signals_t)1u << 3)
#define MX_EPAIR_SIGNAL_MASK \
	(MX_USER_SIGNAL_ALL | MX_EPAIR_SIGNALED | MX_EPAIR_PEER_CLOSED)

#define MX_CHANNEL_READABLE		((mx_signals_t)1u << 0)
#define MX_CHANNEL_WRITABLE		((mx_signals_t)1u << 1)
#define MX_CHANNEL_PEER_CLOSED		((mx_signals_t)1u << 2)

#define MX_FIFO_READABLE		((mx_signals_t)1u << 0)
#define MX_FIFO_WRITABLE		((mx_signals_t)1u << 1)
#define MX_FIFO_PEER_CLOSED		((mx_signals_t)1u << 2)

#define MX_SOCKET_READABLE		((mx_signals_t)1u << 0)
#define MX_SOCKET_WRITABLE		((mx_signals_t)1u << 1)
#define MX_SOCKET_PEER_CLOSED		((mx_signals_t)1u << 2)
#define MX_SOCKET_READ_DISABLED		((mx_signals_t)1u << 4)
#define MX_SOCKET_WRITE_DISABLED	((mx_signals_t)1u << 5)
#define MX_SOCKET_CONTROL_READABLE	((mx_signals_t)1u << 6)
#define MX_SOCKET_CONTROL_WRITABLE	((mx_signals_t)1u << 7)

#define MX_TIMER_SIGNALED		((mx_signals_t)1u << 3)

/* Only for mxchan_signal_fd: a port is not waitable. */
#define MX_PORT_READABLE		((mx_signals_t)1u << 0)

/* Kernel object id: unique for the life of the system, never reused. */
typedef uint64_t mx_koid_t;
#define MX_KOID_INVALID			((uint64_t)0)
#define MX_KOID_KERNEL			((uint64_t)1)

/* Transaction id, the first 4 bytes of an mx_channel_call message. */
typedef uint32_t mx_txid_t;
/* What mx_channel_call writes and where it reads the reply. */
typedef struct {
	const void* wr_bytes;
	const mx_handle_t* wr_handles;
	void* rd_bytes;
	mx_handle_t* rd_handles;
	uint32_t wr_num_bytes;
	uint32_t wr_num_handles;
	uint32_t rd_num_bytes;
	uint32_t rd_num_handles;
} mx_channel_call_args_t;
/* One handle of mx_object_wait_many: pending receives what was seen. */
typedef struct {
	mx_handle_t handle;
	mx_signals_t waitfor;
	mx_signals_t pending;
} mx_wait_item_t;

/* Rights of a handle (<magenta/rights.h> has the defaults per object). */
typedef uint32_t mx_rights_t;
#define MX_RIGHT_NONE			((mx_rights_t)0u)
#define MX_RIGHT_DUPLICATE		((mx_rights_t)1u << 0)
#define MX_RIGHT_TRANSFER		((mx_rights_t)1u << 1)
#define MX_RIGHT_READ			((mx_rights_t)1u << 2)
#define MX_RIGHT_WRITE			((mx_rights_t)1u << 3)
#define MX_RIGHT_EXECUTE		((mx_rights_t)1u << 4)
#define MX_RIGHT_MAP			((mx_rights_t)1u << 5)
#define MX_RIGHT_GET_PROPERTY		((mx_rights_t)1u << 6)
#define MX_RIGHT_SET_PROPERTY		((mx_rights_t)1u << 7)
#define MX_RIGHT_ENUMERATE		((mx_rights_t)1u << 8)
#define MX_RIGHT_DESTROY		((mx_rights_t)1u << 9)
#define MX_RIGHT_SET_POLICY		((mx_rights_t)1u << 10)
#define MX_RIGHT_GET_POLICY		((mx_rights_t)1u << 11)
#define MX_RIGHT_SIGNAL			((mx_rights_t)1u << 12)
#define MX_RIGHT_SIGNAL_PEER		((mx_rights_t)1u << 13)
/* Not a right: asks mx_handle_duplicate/replace to keep the same rights. */
#define MX_RIGHT_SAME_RIGHTS		((mx_rights_t)1u << 31)

/* Addresses and offsets. */
typedef uintptr_t mx_vaddr_t;
typedef uintptr_t mx_paddr_t;
typedef uint64_t mx_off_t;
typedef int64_t mx_rel_off_t;

/*
 * Longest kernel object name, with its NUL: a VMO's name, which
 * mx_object_get_property() and mx_object_set_property() take as
 * MX_PROP_NAME (<magenta/syscalls/object.h>).
 */
#define MX_MAX_NAME_LEN			(32)

/* Operations of mx_vmo_op_range(). */
#define MX_VMO_OP_COMMIT		1u
#define MX_VMO_OP_DECOMMIT		2u
#define MX_VMO_OP_LOCK			3u
#define MX_VMO_OP_UNLOCK		4u
#define MX_VMO_OP_LOOKUP		5u
#define MX_VMO_OP_CACHE_SYNC		6u
#define MX_VMO_OP_CACHE_INVALIDATE	7u
#define MX_VMO_OP_CACHE_CLEAN		8u
#define MX_VMO_OP_CACHE_CLEAN_INVALIDATE 9u

/* Options of mx_vmo_clone(). */
#define MX_VMO_CLONE_COPY_ON_WRITE	1u

/*
 * Flags of mx_vmar_map() (and, the PERM_ ones, of mx_vmar_protect()).
 * The CAN_MAP_ flags and COMPACT belong to Magenta's vmar_allocate, which
 * libmx does not have: mx_vmar_map() refuses the CAN_MAP_ ones.
 */
#define MX_VM_FLAG_PERM_READ		(1u << 0)
#define MX_VM_FLAG_PERM_WRITE		(1u << 1)
#define MX_VM_FLAG_PERM_EXECUTE		(1u << 2)
#define MX_VM_FLAG_COMPACT		(1u << 3)
#define MX_VM_FLAG_SPECIFIC		(1u << 4)
#define MX_VM_FLAG_SPECIFIC_OVERWRITE	(1u << 5)
#define MX_VM_FLAG_CAN_MAP_SPECIFIC	(1u << 6)
#define MX_VM_FLAG_CAN_MAP_READ		(1u << 7)
#define MX_VM_FLAG_CAN_MAP_WRITE	(1u << 8)
#define MX_VM_FLAG_CAN_MAP_EXECUTE	(1u << 9)
#define MX_VM_FLAG_MAP_RANGE		(1u << 10)

/* Channel options and limits. */
#define MX_CHANNEL_READ_MAY_DISCARD	1u
#define MX_CHANNEL_MAX_MSG_BYTES	65536u
#define MX_CHANNEL_MAX_MSG_HANDLES	64u

/*
 * Socket options. Of mx_socket_write, with size 0: shut this end down for
 * writing, reading, or both. Magenta's MX_SOCKET_HALF_CLOSE (1 in 2017),
 * dropped in August 2017, is not defined: MX_SOCKET_SHUTDOWN_WRITE has
 * its value.
 */
#define MX_SOCKET_SHUTDOWN_WRITE	(1u << 0)
#define MX_SOCKET_SHUTDOWN_READ		(1u << 1)
#define MX_SOCKET_SHUTDOWN_MASK \
	(MX_SOCKET_SHUTDOWN_WRITE | MX_SOCKET_SHUTDOWN_READ)
/* Of mx_socket_create. */
#define MX_SOCKET_STREAM		(0u << 0)
#define MX_SOCKET_DATAGRAM		(1u << 0)
#define MX_SOCKET_HAS_CONTROL		(1u << 1)
#define MX_SOCKET_CREATE_MASK \
	(MX_SOCKET_DATAGRAM | MX_SOCKET_HAS_CONTROL)
/* Of mx_socket_read and mx_socket_write: the control plane. */
#define MX_SOCKET_CONTROL		(1u << 2)

/*
 * Options of mx_timer_create(): how a timer may fire within the slack of
 * mx_timer_set(): in [deadline - slack, deadline + slack], only early
 * ([deadline - slack, deadline]), or only late ([deadline, deadline +
 * slack]).
 */
#define MX_TIMER_SLACK_CENTER		0u
#define MX_TIMER_SLACK_EARLY		1u
#define MX_TIMER_SLACK_LATE		2u

/* The most bytes mx_cprng_draw() and mx_cprng_add_entropy() take at once. */
#define MX_CPRNG_DRAW_MAX_LEN		256
#define MX_CPRNG_ADD_ENTROPY_MAX_LEN	256

/*
 * Cache policies of mx_vmo_set_cache_policy(), an enum as in Magenta. A
 * VMO's pages are ordinary cached memory: the call checks its arguments
 * and then returns MX_ERR_NOT_SUPPORTED, whatever the policy.
 */
typedef enum {
	MX_CACHE_POLICY_CACHED		= 0,
	MX_CACHE_POLICY_UNCACHED	= 1,
	MX_CACHE_POLICY_UNCACHED_DEVICE	= 2,
	MX_CACHE_POLICY_WRITE_COMBINING	= 3,

	MX_CACHE_POLICY_MASK		= 0x3
} mx_cache_policy_t;

/*
 * A futex word. C++11 has no spelling of C11's atomic_int that both
 * languages accept, so C++ sees a plain int of the same size, as in Magenta.
 */
#ifdef __cplusplus
typedef int mx_futex_t;
#else
typedef atomic_int mx_futex_t;
#endif

__END_CDECLS

#endif /* MAGENTA_TYPES_H_ */
