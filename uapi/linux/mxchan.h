/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * mxchan: Magenta channels and handles for Linux.
 *
 * Every open of /dev/mxchan is a handle table. The ioctls below act on
 * handles in the table of the file they are issued on. Handle values are
 * positive 32-bit integers that mean nothing outside their table.
 *
 * ABI rules: fields are __u32/__u64 only, pointers travel as __u64, every
 * struct has the same layout on 32- and 64-bit, every reserved field and
 * unknown option bit must be zero.
 *
 * Errors are negative errnos, one per Magenta status (the one-to-one
 * table is mxchan-errno.h). Faults on user memory are reported as EINVAL,
 * because Magenta reports them as MX_ERR_INVALID_ARGS.
 *
 * Results go where the caller wants them: every out-parameter is a user
 * pointer in the struct, and the kernel writes through it before the
 * call takes effect, so a pointer that cannot be written fails the call
 * with EINVAL and changes nothing (memory already written through other
 * out-pointers of that call may hold values that mean nothing). A 0
 * pointer is EINVAL unless the field says it may be 0. From 32-bit
 * callers pointers are 32-bit values (compat_ptr()).
 */
#ifndef _UAPI_LINUX_MXCHAN_H
#define _UAPI_LINUX_MXCHAN_H

#include <linux/const.h>
#include <linux/ioctl.h>
#include <linux/types.h>

#define MXCHAN_DEVICE			"/dev/mxchan"

/*
 * Bumped on incompatible change; features grow compatibly. Version 2:
 * out-parameters are pointers written by the kernel.
 */
#define MXCHAN_ABI_VERSION		2

/* Features reported by MXCHAN_IOC_VERSION. */
#define MXCHAN_FEATURE_CHANNEL		_BITULL(0)
#define MXCHAN_FEATURE_HANDLE		_BITULL(1)	/* close, duplicate, replace */
#define MXCHAN_FEATURE_INFO		_BITULL(2)	/* HANDLE_VALID, HANDLE_BASIC */
#define MXCHAN_FEATURE_EVENT		_BITULL(3)
#define MXCHAN_FEATURE_MOVE		_BITULL(4)	/* HANDLE_MOVE, STARTUP_TAKE */
#define MXCHAN_FEATURE_WAIT		_BITULL(5)	/* signals, waits, eventpairs */
#define MXCHAN_FEATURE_CALL		_BITULL(6)	/* CHANNEL_CALL, CALL_FINISH */
#define MXCHAN_FEATURE_SIGNAL_FD	_BITULL(7)	/* SIGNAL_FD */
#define MXCHAN_FEATURE_PORT		_BITULL(8)	/* ports, OBJECT_WAIT_ASYNC */
#define MXCHAN_FEATURE_REPLY_READ	_BITULL(9)	/* CHANNEL_REPLY_READ */
#define MXCHAN_FEATURE_FIFO		_BITULL(10)	/* FIFO_CREATE, _WRITE, _READ */
#define MXCHAN_FEATURE_SOCKET		_BITULL(11)	/* SOCKET_CREATE, _WRITE, _READ */
#define MXCHAN_FEATURE_VMO		_BITULL(12)	/* VMO_*, VMAR_*, properties */
#define MXCHAN_FEATURE_TIMER		_BITULL(13)	/* TIMER_CREATE, _SET, _CANCEL */
#define MXCHAN_FEATURE_COOKIE		_BITULL(14)	/* OBJECT_SET_, _GET_COOKIE */
#define MXCHAN_FEATURE_NO_LAST_HANDLE	_BITULL(15)	/* MXCHAN_WAIT_ASYNC_NO_LAST_HANDLE */

/* Magenta's limits and values, repeated here so the ABI stands alone. */
#define MXCHAN_MAX_MSG_BYTES		65536u
#define MXCHAN_MAX_MSG_HANDLES		64u
#define MXCHAN_READ_MAY_DISCARD		1u

#define MXCHAN_RIGHT_DUPLICATE		0x1u
#define MXCHAN_RIGHT_TRANSFER		0x2u
#define MXCHAN_RIGHT_READ		0x4u
#define MXCHAN_RIGHT_WRITE		0x8u
#define MXCHAN_RIGHT_EXECUTE		0x10u
#define MXCHAN_RIGHT_MAP		0x20u
#define MXCHAN_RIGHT_GET_PROPERTY	0x40u
#define MXCHAN_RIGHT_SET_PROPERTY	0x80u
#define MXCHAN_RIGHT_SIGNAL		0x1000u
#define MXCHAN_RIGHT_SIGNAL_PEER	0x2000u
#define MXCHAN_RIGHT_SAME_RIGHTS	0x80000000u

#define MXCHAN_OBJ_TYPE_VMO		3u
#define MXCHAN_OBJ_TYPE_CHANNEL		4u
#define MXCHAN_OBJ_TYPE_EVENT		5u
#define MXCHAN_OBJ_TYPE_PORT		6u
#define MXCHAN_OBJ_TYPE_SOCKET		14u
#define MXCHAN_OBJ_TYPE_EVENT_PAIR	16u
#define MXCHAN_OBJ_TYPE_VMAR		18u
#define MXCHAN_OBJ_TYPE_FIFO		19u
#define MXCHAN_OBJ_TYPE_TIMER		22u

/* Signals, Magenta's values. */
#define MXCHAN_SIGNAL_READABLE		0x00000001u	/* channel, fifo, socket */
#define MXCHAN_SIGNAL_WRITABLE		0x00000002u	/* channel, fifo, socket */
#define MXCHAN_SIGNAL_PEER_CLOSED	0x00000004u	/* all with a peer */
#define MXCHAN_SIGNAL_SIGNALED		0x00000008u	/* event, eventpair, timer */
#define MXCHAN_SIGNAL_SOCKET_READ_DISABLED	0x00000010u
#define MXCHAN_SIGNAL_SOCKET_WRITE_DISABLED	0x00000020u
#define MXCHAN_SIGNAL_SOCKET_CONTROL_READABLE	0x00000040u
#define MXCHAN_SIGNAL_SOCKET_CONTROL_WRITABLE	0x00000080u
#define MXCHAN_SIGNAL_LAST_HANDLE	0x00400000u	/* one handle left */
#define MXCHAN_SIGNAL_HANDLE_CLOSED	0x00800000u	/* only in wait results */
#define MXCHAN_SIGNAL_USER_ALL		0xff000000u	/* user signals 0..7 */
#define MXCHAN_TIME_INFINITE		0xffffffffffffffffULL
#define MXCHAN_WAIT_MANY_MAX		1024u
#define MXCHAN_OBJ_PROP_WAITABLE	1u

/*
 * A port has no signals for waits (Magenta's ports are not waitable), but
 * a signal fd on a port reports READABLE while packets are queued.
 */
#define MXCHAN_SIGNAL_PORT_READABLE	MXCHAN_SIGNAL_READABLE

#define MXCHAN_INFO_HANDLE_VALID	1u
#define MXCHAN_INFO_HANDLE_BASIC	2u
#define MXCHAN_INFO_VMAR		7u	/* struct mxchan_info_vmar */

struct mxchan_version {
	__u32 abi_version;		/* out: MXCHAN_ABI_VERSION */
	__u32 reserved;			/* out: 0 */
	__u64 features;			/* out: MXCHAN_FEATURE_* */
};

struct mxchan_channel_create {
	__u32 options;			/* in: must be 0 */
	__u32 reserved;			/* in: must be 0 */
	__u64 out0;			/* in: __u32 *, endpoint 0's handle */
	__u64 out1;			/* in: __u32 *, endpoint 1's handle */
};

struct mxchan_event_create {
	__u32 options;			/* in: must be 0 */
	__u32 reserved;			/* in: must be 0 */
	__u64 out;			/* in: __u32 *, the event's handle */
};

struct mxchan_channel_write {
	__u32 handle;			/* in: channel, needs WRITE */
	__u32 options;			/* in: must be 0 */
	__u64 bytes;			/* in: user pointer, may be 0 if num_bytes is 0 */
	__u64 handles;			/* in: user pointer to __u32 values */
	__u32 num_bytes;		/* in: <= MXCHAN_MAX_MSG_BYTES */
	__u32 num_handles;		/* in: <= MXCHAN_MAX_MSG_HANDLES */
};

struct mxchan_channel_read {
	__u32 handle;			/* in: channel, needs READ */
	__u32 options;			/* in: 0 or MXCHAN_READ_MAY_DISCARD */
	__u64 bytes;			/* in: user buffer */
	__u64 handles;			/* in: user buffer for __u32 values */
	__u32 num_bytes;		/* in: capacity of bytes */
	__u32 num_handles;		/* in: capacity of handles */
	/* __u32 *, or 0: the message's sizes, on success and on EMSGSIZE */
	__u64 actual_bytes;
	__u64 actual_handles;
};

struct mxchan_handle_rights {
	__u32 handle;			/* in */
	__u32 rights;			/* in: subset, or MXCHAN_RIGHT_SAME_RIGHTS */
	__u64 out;			/* in: __u32 *, the new handle */
};

/*
 * actual_count and avail_count point to a size_t each, or are 0: 8 bytes
 * are written through them, 4 from a 32-bit caller.
 */
struct mxchan_object_get_info {
	__u32 handle;			/* in */
	__u32 topic;			/* in: MXCHAN_INFO_* */
	__u64 buffer;			/* in: user pointer */
	__u64 buffer_size;		/* in: bytes */
	__u64 actual_count;		/* in: size_t *, records written, or 0 */
	__u64 avail_count;		/* in: size_t *, records available, or 0 */
};

/*
 * Wait until a signal in @waitfor is set on the handle's object, until
 * the absolute CLOCK_MONOTONIC @deadline (ns; MXCHAN_TIME_INFINITE waits
 * for ever), or until the handle is closed or sent away (ECANCELED, with
 * HANDLE_CLOSED in @observed). @observed: the signals at the start and
 * every state seen during the wait, written after it (also on ETIMEDOUT
 * and ECANCELED; a fault then is EINVAL). Interrupted waits restart.
 * Deadlines are in the caller's time namespace, as clock_nanosleep's.
 */
struct mxchan_object_wait_one {
	__u32 handle;			/* in: needs READ */
	__u32 waitfor;			/* in */
	__u64 deadline;			/* in */
	__u64 observed;			/* in: __u32 *, or 0 */
};

/* One item of MXCHAN_IOC_OBJECT_WAIT_MANY: Magenta's mx_wait_item_t. */
struct mxchan_wait_item {
	__u32 handle;
	__u32 waitfor;
	__u32 pending;			/* out: what was observed */
};

struct mxchan_object_wait_many {
	__u64 items;			/* in: user pointer to count items */
	__u32 count;			/* in: <= MXCHAN_WAIT_MANY_MAX */
	__u32 reserved;			/* in: must be 0 */
	__u64 deadline;			/* in */
};

/*
 * Magenta's mx_channel_call_args_t, which @args of MXCHAN_IOC_CHANNEL_CALL
 * points to: four pointers, then four counts. A 32-bit caller's has
 * 32-bit pointers (32 bytes); the kernel reads that layout from it.
 */
struct mxchan_call_args {
	__u64 wr_bytes;
	__u64 wr_handles;		/* __u32 values to send */
	__u64 rd_bytes;
	__u64 rd_handles;		/* room for __u32 values */
	__u32 wr_num_bytes;
	__u32 wr_num_handles;
	__u32 rd_num_bytes;
	__u32 rd_num_handles;
};

/*
 * Write a request and wait for the reply whose first 4 bytes (the txid)
 * equal the request's; the reply goes straight to the caller, never to
 * the queue. Errors as channel_write before the request is sent, and
 * EMFILE if the table already has 4096 calls running or waiting to be
 * finished, or ENOMEM if the caller's own endpoint has no room left for
 * the reply (max_queued counts the replies calls wait for); after,
 * ETIMEDOUT, or ECOMM (Magenta's CALL_FAILED) with *@read_status (an
 * errno: EMSGSIZE, EPIPE, ECANCELED, EINVAL, ENOMEM, EMFILE) saying why
 * the reply could not be read. A Linux signal ends the ioctl with EINTR and @call_id
 * set: the request was sent and the call stays pending;
 * MXCHAN_IOC_CALL_FINISH with that id (and the same struct) waits for the
 * reply again. CALL_FINISH with an id that names no pending call is
 * EBADFD (Magenta's BAD_STATE).
 */
struct mxchan_channel_call {
	__u32 handle;			/* in: channel, needs READ and WRITE */
	__u32 options;			/* in: must be 0 */
	__u64 deadline;			/* in: absolute CLOCK_MONOTONIC ns */
	__u64 args;			/* in: struct mxchan_call_args * */
	__u64 actual_bytes;		/* in: __u32 *, the reply's sizes */
	__u64 actual_handles;		/* in: __u32 * */
	__u64 read_status;		/* in: __s32 *, or 0: with ECOMM, an errno */
	__u32 call_id;			/* out: with EINTR; in: CALL_FINISH */
	__u32 reserved;			/* in: must be 0 */
};

/*
 * A new close-on-exec file descriptor that poll, select and epoll report
 * readable (EPOLLIN) while any of @signals is set on the handle's object.
 * It keeps the object, not a handle: closing every handle still closes
 * the object as usual.
 */
struct mxchan_signal_fd {
	__u32 handle;			/* in: needs READ */
	__u32 signals;			/* in */
	__u64 fd;			/* in: int *, the new file descriptor */
};

/* MXCHAN_IOC_OBJECT_SIGNAL flags */
#define MXCHAN_SIGNAL_PEER		0x1u	/* signal the object's peer */

struct mxchan_object_signal {
	__u32 handle;			/* in: needs SIGNAL (SIGNAL_PEER) */
	__u32 clear_mask;		/* in */
	__u32 set_mask;			/* in */
	__u32 flags;			/* in: MXCHAN_SIGNAL_PEER */
};

struct mxchan_eventpair_create {
	__u32 options;			/* in: must be 0 */
	__u32 reserved;			/* in: must be 0 */
	__u64 out0;			/* in: __u32 * */
	__u64 out1;			/* in: __u32 * */
};

/*
 * A FIFO: two ends, each with a ring of @elem_count elements of
 * @elem_size bytes that its peer writes and it reads; each end starts
 * WRITABLE. ERANGE (OUT_OF_RANGE) if either is 0, the count is not a
 * power of two, or count x size is above MXCHAN_FIFO_MAX_BYTES, as
 * Magenta's. Magenta ignored @options; so does mxchan.
 */
#define MXCHAN_FIFO_MAX_BYTES		4096u

struct mxchan_fifo_create {
	__u32 elem_count;		/* in: a power of two */
	__u32 elem_size;		/* in: bytes */
	__u32 options;			/* in: ignored */
	__u32 reserved;			/* in: must be 0 */
	__u64 out0;			/* in: __u32 * */
	__u64 out1;			/* in: __u32 * */
};

/*
 * FIFO_WRITE puts whole elements into the peer's ring, FIFO_READ takes
 * them from this end's: as many of the @len / elem_size elements as there
 * is room for (or as are queued), in order. Their count goes through
 * @actual, which is required as in Magenta: written after the elements
 * moved, so a fault there is EINVAL with the elements moved. Errors, in
 * order: EINVAL (a fault on this struct, reserved), EBADF, EACCES
 * (WRITE; READ), EPROTOTYPE, EPIPE (write: the peer is closed), ERANGE
 * (@len below one element), EAGAIN (write: the ring is full; read: it is
 * empty, even after the peer closed, as Magenta's), EINVAL (a fault on
 * @data: nothing moved).
 */
struct mxchan_fifo_io {
	__u32 handle;			/* in: needs WRITE (write), READ (read) */
	__u32 reserved;			/* in: must be 0 */
	__u64 data;			/* in: user buffer */
	__u64 len;			/* in: bytes, rounded down to elements */
	__u64 actual;			/* in: __u32 *, the elements moved */
};

/*
 * A socket: two ends, each with a buffer of bytes its peer writes and it
 * reads, as Magenta's: a stream (short writes) or datagrams (whole or
 * not at all), MXCHAN_SOCKET_MAX_BYTES a direction, and with
 * MXCHAN_SOCKET_HAS_CONTROL a one-message control plane of at most
 * MXCHAN_SOCKET_CONTROL_MAX bytes each way. Create: EINVAL for options
 * outside MXCHAN_SOCKET_CREATE_MASK (or reserved); both ends start
 * WRITABLE (and CONTROL_WRITABLE with the control plane).
 */
#define MXCHAN_SOCKET_STREAM		0x0u	/* create options */
#define MXCHAN_SOCKET_DATAGRAM		0x1u
#define MXCHAN_SOCKET_HAS_CONTROL	0x2u
#define MXCHAN_SOCKET_CREATE_MASK	0x3u
#define MXCHAN_SOCKET_SHUTDOWN_WRITE	0x1u	/* write options, size 0 */
#define MXCHAN_SOCKET_SHUTDOWN_READ	0x2u
#define MXCHAN_SOCKET_SHUTDOWN_MASK	0x3u
#define MXCHAN_SOCKET_CONTROL		0x4u	/* write and read option */
#define MXCHAN_SOCKET_MAX_BYTES		257024u
#define MXCHAN_SOCKET_CONTROL_MAX	1024u

struct mxchan_socket_create {
	__u32 options;			/* in: MXCHAN_SOCKET_CREATE_MASK bits */
	__u32 reserved;			/* in: must be 0 */
	__u64 out0;			/* in: __u32 * */
	__u64 out1;			/* in: __u32 * */
};

/*
 * SOCKET_WRITE and SOCKET_READ, Magenta's socket_write and socket_read
 * with their options, order of checks and quirks (mxchan(4) lists them).
 * @actual is the caller's size_t *, or 0: written only on success (not
 * by a shutdown), as a 4-byte value for a 32-bit caller; a fault there is
 * EINVAL with the bytes moved. A write whose buffer needs a page more
 * than its user's max_user_socket_pages allow fails with EMFILE
 * (NO_RESOURCES).
 */
struct mxchan_socket_io {
	__u32 handle;			/* in: needs WRITE (write), READ (read) */
	__u32 options;			/* in: 0, MXCHAN_SOCKET_CONTROL, shutdown */
	__u64 buffer;			/* in: user buffer */
	__u64 size;			/* in: bytes */
	__u64 actual;			/* in: size_t *, or 0 */
};

/*
 * A VMO: bytes in kernel shmem (charged to the memory cgroup of whoever
 * touches a page first, swappable), read as zeros until written, with a
 * byte-exact size. VMO_CREATE: EINVAL for options other than 0 (or
 * reserved), ENOMEM (NO_MEMORY) when the size would take its maker's
 * VMO sizes past max_user_vmo_pages, or is above MXCHAN_VMO_MAX_SIZE.
 * The handle has Magenta's VMO rights (0x10FF); a VMO takes user signals.
 */
#define MXCHAN_VMO_MAX_SIZE		0x7ffffffffffff000ULL

struct mxchan_vmo_create {
	__u64 size;			/* in: bytes */
	__u32 options;			/* in: 0 */
	__u32 reserved;			/* in: must be 0 */
	__u64 out;			/* in: __u32 * */
};

/*
 * VMO_READ and VMO_WRITE, Magenta's vmo_read and vmo_write (with the
 * @actual of the Magenta era): errors in order EINVAL (this struct,
 * reserved), EBADF, EACCES (READ; WRITE), EPROTOTYPE, EINVAL (a fault
 * touching @data), ERANGE (@offset beyond the size, or @offset + @len
 * wraps); @len is cut to the size, so @offset == size moves 0 bytes;
 * then the bytes move and their count goes through @actual (required;
 * the caller's size_t, 4 bytes for a 32-bit caller).
 */
struct mxchan_vmo_io {
	__u32 handle;			/* in: needs READ (read), WRITE (write) */
	__u32 reserved;			/* in: must be 0 */
	__u64 data;			/* in: user buffer */
	__u64 offset;			/* in: bytes into the VMO */
	__u64 len;			/* in: bytes */
	__u64 actual;			/* in: size_t *, bytes moved */
};

/*
 * VMO_GET_SIZE writes the size through @out (no right needed); a fault
 * there is EINVAL. VMO_SET_SIZE (WRITE) sets it to @size, byte-exact:
 * ERANGE above MXCHAN_VMO_MAX_SIZE, ENOMEM past the caller's budget
 * (the caller's user pays for the whole new size from then on, so a
 * holder of another user's VMO grows it on its own budget);
 * shrinking frees the pages past the new end (a mapping of them then
 * faults with SIGBUS).
 */
struct mxchan_vmo_size {
	__u32 handle;			/* in */
	__u32 reserved;			/* in: must be 0 */
	__u64 size;			/* in: the new size (SET_SIZE) */
	__u64 out;			/* in: __u64 *, the size (GET_SIZE) */
};

#define MXCHAN_VMO_OP_COMMIT		1u
#define MXCHAN_VMO_OP_DECOMMIT		2u
#define MXCHAN_VMO_OP_LOCK		3u
#define MXCHAN_VMO_OP_UNLOCK		4u
#define MXCHAN_VMO_OP_LOOKUP		5u
#define MXCHAN_VMO_OP_CACHE_SYNC	6u
#define MXCHAN_VMO_OP_CACHE_INVALIDATE	7u
#define MXCHAN_VMO_OP_CACHE_CLEAN	8u
#define MXCHAN_VMO_OP_CACHE_CLEAN_INVALIDATE	9u

/*
 * Magenta's vmo_op_range (no right needed, as Magenta's): COMMIT and
 * DECOMMIT act on the pages the range touches (cut to the size; ERANGE
 * past it); LOCK and UNLOCK are EOPNOTSUPP; LOOKUP writes the physical
 * address of each page of the range into @buffer (u64 each): EINVAL for
 * a 0 buffer, EMSGSIZE for a short one, EINVAL for @size 0, ERANGE for a
 * range past the size, EACCES without CAP_SYS_ADMIN (physical addresses
 * are not for everyone), ENOMEM if a page is not committed; the CACHE_
 * ops check the range (EINVAL for 0, ERANGE) and do nothing else (shmem
 * is cached memory); any other op is EINVAL.
 */
struct mxchan_vmo_op_range {
	__u32 handle;			/* in */
	__u32 op;			/* in: MXCHAN_VMO_OP_* */
	__u64 offset;			/* in: bytes */
	__u64 size;			/* in: bytes */
	__u64 buffer;			/* in: user buffer (LOOKUP), or 0 */
	__u64 buffer_size;		/* in: bytes */
};

#define MXCHAN_VMO_CLONE_COPY_ON_WRITE	1u

/*
 * Magenta's vmo_clone: EINVAL (this struct), EBADF, EACCES (DUPLICATE
 * and READ), EPROTOTYPE, EINVAL without COPY_ON_WRITE in @options,
 * ERANGE for a @size above MXCHAN_VMO_MAX_SIZE, EINVAL for an @offset
 * not on a page, ERANGE if @offset + @size wraps, ENOMEM past the
 * budget. The clone reads as its parent's range until it writes a
 * page (each page it writes is its own from then on; the parent's later
 * writes to the others show through, as in Magenta); it never shows the
 * parent past its first @size, nor past a size it shrank to. Its handle
 * gets the rights of @handle, with WRITE, GET_PROPERTY and SET_PROPERTY
 * added; its name is the parent's.
 */
struct mxchan_vmo_clone {
	__u32 handle;			/* in: needs DUPLICATE and READ */
	__u32 options;			/* in: MXCHAN_VMO_CLONE_COPY_ON_WRITE */
	__u64 offset;			/* in: bytes, on a page */
	__u64 size;			/* in: bytes */
	__u64 out;			/* in: __u32 * */
};

/*
 * Magenta's vmo_set_cache_policy: EINVAL for a policy outside
 * MXCHAN_CACHE_POLICY_MASK, then the lookup (MAP right), then
 * EOPNOTSUPP, as Magenta gave for every VMO vmo_create makes.
 */
#define MXCHAN_CACHE_POLICY_MASK	0x3u

struct mxchan_vmo_cache_policy {
	__u32 handle;			/* in: needs MAP */
	__u32 policy;			/* in: MXCHAN_CACHE_POLICY_* */
};

/*
 * VMAR_ROOT writes the value of the table's root VMAR handle through
 * @out, making the handle (and keeping its value) if the table has none
 * or it was closed. A root VMAR stands for the address space of the
 * process that maps through it.
 */
struct mxchan_vmar_root {
	__u64 out;			/* in: __u32 * */
};

#define MXCHAN_VM_FLAG_PERM_READ		0x1u
#define MXCHAN_VM_FLAG_PERM_WRITE		0x2u
#define MXCHAN_VM_FLAG_PERM_EXECUTE		0x4u
#define MXCHAN_VM_FLAG_COMPACT			0x8u
#define MXCHAN_VM_FLAG_SPECIFIC			0x10u
#define MXCHAN_VM_FLAG_SPECIFIC_OVERWRITE	0x20u
#define MXCHAN_VM_FLAG_CAN_MAP_SPECIFIC		0x40u
#define MXCHAN_VM_FLAG_CAN_MAP_READ		0x80u
#define MXCHAN_VM_FLAG_CAN_MAP_WRITE		0x100u
#define MXCHAN_VM_FLAG_CAN_MAP_EXECUTE		0x200u
#define MXCHAN_VM_FLAG_MAP_RANGE		0x400u

/*
 * Magenta's vmar_map on a root VMAR: the VMO's range, shared, into the
 * caller's address space (an mmap of the VMO's shmem file, made by the
 * kernel). Errors in order: EINVAL (this struct, reserved), EBADF or
 * EPROTOTYPE (@vmar, then @vmo), EACCES (the VMO lacks MAP), EINVAL
 * (write or execute without read, a CAN_MAP_ flag, an unknown flag,
 * MAP_RANGE with SPECIFIC_OVERWRITE), EACCES (a PERM_ flag whose right
 * the VMO or the VMAR lacks), EINVAL (@len 0, @vmo_offset not on a page,
 * @vmar_offset not 0 without SPECIFIC or not on a page with it, a range
 * that wraps), EACCES (the table was opened without write access),
 * EACCES also where mmap(2) itself refuses the access (PERM_EXECUTE
 * with /dev mounted noexec, or under a memory-deny-write-execute
 * policy), ENOMEM (no room, or SPECIFIC over a mapping), then the
 * address goes through @mapped_addr (uintptr_t *; a fault there is
 * EINVAL and unmaps it; with SPECIFIC_OVERWRITE, what was mapped there
 * before is gone too, a hole is left). @len is rounded up to pages. The
 * mapping holds the VMO: closing or sending the handle leaves it valid.
 * Without WRITE (or EXECUTE) on the handles, mprotect() cannot add that
 * access later. A clone takes its own copy of every page when it is
 * first mapped.
 */
struct mxchan_vmar_map {
	__u32 vmar;			/* in: a VMAR handle */
	__u32 vmo;			/* in: needs MAP, and the PERM_ rights */
	__u64 vmar_offset;		/* in: with SPECIFIC: bytes past base */
	__u64 vmo_offset;		/* in: bytes, on a page */
	__u64 len;			/* in: bytes */
	__u32 flags;			/* in: MXCHAN_VM_FLAG_* */
	__u32 reserved;			/* in: must be 0 */
	__u64 mapped_addr;		/* in: uintptr_t * */
};

/* The record of MXCHAN_INFO_VMAR: the range a root VMAR maps into. */
struct mxchan_info_vmar {
	__u64 base;			/* uintptr_t for a 32-bit caller */
	__u64 len;			/* size_t for a 32-bit caller */
};

/*
 * Magenta's object_get_property and object_set_property: EINVAL for a 0
 * @value, then the lookup with GET_PROPERTY or SET_PROPERTY (only VMOs
 * have them, so the IPC objects give EACCES), then the property: NAME
 * needs @size >= MXCHAN_MAX_NAME_LEN to get (EMSGSIZE; exactly 32 bytes
 * are written, NUL padded) and takes at most 31 bytes when set (more are
 * cut); any other property is EINVAL.
 */
#define MXCHAN_PROP_NAME		3u
#define MXCHAN_MAX_NAME_LEN		32u

struct mxchan_object_property {
	__u32 handle;			/* in */
	__u32 property;			/* in: MXCHAN_PROP_* */
	__u64 value;			/* in: user buffer */
	__u64 size;			/* in: bytes */
};

/*
 * A timer: Magenta's, on CLOCK_MONOTONIC. TIMER_CREATE: EINVAL for a
 * @clock_id other than MXCHAN_CLOCK_MONOTONIC, then for @options other
 * than a MXCHAN_TIMER_SLACK_* mode. The handle has Magenta's timer
 * rights (0x100F); a timer takes user signals, and asserts SIGNALED when
 * it fires.
 */
#define MXCHAN_CLOCK_MONOTONIC		0u
#define MXCHAN_TIMER_SLACK_CENTER	0u	/* [deadline -+ slack] */
#define MXCHAN_TIMER_SLACK_EARLY	1u	/* [deadline - slack, deadline] */
#define MXCHAN_TIMER_SLACK_LATE		2u	/* [deadline, deadline + slack] */

struct mxchan_timer_create {
	__u32 options;			/* in: MXCHAN_TIMER_SLACK_* */
	__u32 clock_id;			/* in: MXCHAN_CLOCK_MONOTONIC */
	__u64 out;			/* in: __u32 *, the timer's handle */
};

/*
 * TIMER_SET: cancel what is pending and clear SIGNALED, then arm the
 * timer for the absolute CLOCK_MONOTONIC @deadline (ns, in the caller's
 * time namespace), to fire within @slack ns of it as its slack mode says;
 * a @deadline of 0 or one already past asserts SIGNALED at once. SIGNALED
 * stays asserted until the next set or cancel. Errors, in order: EINVAL
 * (this struct, reserved), EBADF, EACCES (no WRITE), EPROTOTYPE.
 * TIMER_CANCEL (WRITE): cancel what is pending and clear SIGNALED.
 */
struct mxchan_timer_set {
	__u32 handle;			/* in: timer, needs WRITE */
	__u32 reserved;			/* in: must be 0 */
	__u64 deadline;			/* in: absolute ns, or 0 */
	__u64 slack;			/* in: ns */
};

struct mxchan_timer_cancel {
	__u32 handle;			/* in: timer, needs WRITE */
	__u32 reserved;			/* in: must be 0 */
};

/*
 * Magenta's object cookies: a 64-bit value kept on an event, an event
 * pair side or a VMO for whoever holds the @scope object (any handle to
 * it: the scope is its koid). No right is needed on either handle.
 * Errors, in order: EINVAL (this struct), EBADF (@handle, then
 * @scope), EOPNOTSUPP (the object keeps no cookie), EACCES (SET: a
 * cookie of another scope is there; GET: none is there, or one of
 * another scope); GET then writes the cookie through @cookie (a fault is
 * EINVAL). Once an event pair side's peer is closed, its cookie is gone
 * for every scope: both calls are EACCES.
 */
struct mxchan_object_cookie {
	__u32 handle;			/* in */
	__u32 scope;			/* in: any handle */
	__u64 cookie;			/* in: SET: the cookie; GET: __u64 * */
};

/* MXCHAN_IOC_HANDLE_MOVE flags */
#define MXCHAN_MOVE_TAKE		0x1u	/* from fd's table into this one */

/*
 * Move handles between this table and the table open as @fd, all or
 * nothing: every handle needs TRANSFER, none may appear twice. Without
 * MXCHAN_MOVE_TAKE the handles go from this table to fd's ("give"); with
 * it they come from fd's table to this one ("take"). Their values in the
 * destination are written through @out (which holds garbage after a
 * failure). If @ids is set, the destination also remembers each moved
 * handle under ids[i] for MXCHAN_IOC_STARTUP_TAKE (how a spawned process
 * finds its startup handles); at most 4096 ids are remembered at once per
 * table. This table, and for a give fd's table too, count against the
 * caller's user from then on, as for any call that charges a table.
 *
 * Errors, in order: EINVAL (reserved, flags, faults), ERANGE (more than
 * 64 handles), EBADF (fd not open), EPROTOTYPE (fd not a table), EINVAL
 * (fd is this table), ENOMEM (destination full, or too many ids), EMFILE
 * (the user's max_user_handles), EEXIST (an id already remembered, or
 * given twice), then per handle EBADF or EACCES (no TRANSFER), then EINVAL
 * (a handle given twice).
 */
struct mxchan_handle_move {
	__s32 fd;			/* in: the other table */
	__u32 flags;			/* in: MXCHAN_MOVE_* */
	__u64 handles;			/* in: __u32 values in the source table */
	__u64 out;			/* in: __u32 *, values in the destination */
	__u64 ids;			/* in: __u32 startup ids, or 0 */
	__u32 num_handles;		/* in: <= MXCHAN_MAX_MSG_HANDLES */
	__u32 reserved;			/* in: must be 0 */
};

/* Take the handle remembered under @id: its value once, then 0. */
struct mxchan_startup_take {
	__u32 id;			/* in */
	__u32 handle;			/* out: the value, or 0 if none */
};

/*
 * The record of MXCHAN_INFO_HANDLE_BASIC, Magenta's mx_info_handle_basic_t.
 * A 32-bit x86 caller's mx_info_handle_basic_t has no tail padding (28
 * bytes): from it, 28 bytes suffice and reserved is not written.
 */
struct mxchan_info_handle_basic {
	__u64 koid;
	__u32 rights;
	__u32 type;
	__u64 related_koid;
	__u32 props;
	__u32 reserved;
};

/* Ports: Magenta's values. */
#define MXCHAN_WAIT_ASYNC_ONCE		0u
#define MXCHAN_WAIT_ASYNC_REPEATING	1u
/*
 * mxchan's, or'ed into either: the wait does not see LAST_HANDLE, as in
 * Zircon, which has no such signal (libzircon sets it). Its packets'
 * observed signals leave it out, and a change of it alone queues no
 * packet and updates none.
 */
#define MXCHAN_WAIT_ASYNC_NO_LAST_HANDLE	0x80000000u
#define MXCHAN_PKT_TYPE_USER		0u
#define MXCHAN_PKT_TYPE_SIGNAL_ONE	1u
#define MXCHAN_PKT_TYPE_SIGNAL_REP	2u

/* Magenta's mx_port_packet_t: 48 bytes. */
struct mxchan_port_packet {
	__u64 key;
	__u32 type;			/* MXCHAN_PKT_TYPE_* */
	__s32 status;			/* a Magenta status; 0 for signals */
	union {
		__u64 user[4];		/* USER: the queuer's payload */
		struct {		/* SIGNAL_ONE, SIGNAL_REP */
			__u32 trigger;	/* the signals asked for */
			__u32 observed;	/* the object's signals then */
			__u64 count;	/* queued messages, or 1 */
			__u64 reserved0;
			__u64 reserved1;
		} signal;
	};
};

struct mxchan_port_create {
	__u32 options;			/* in: must be 0 */
	__u32 reserved;			/* in: must be 0 */
	__u64 out;			/* in: __u32 *, the port's handle */
};

/*
 * Queue a USER packet: @packet's key, status and payload; the type is
 * forced to USER. Errors, in order: EINVAL (@size not 0, as Magenta
 * requires), EBADF, EACCES (no WRITE), EPROTOTYPE, EINVAL (fault), ENOMEM
 * (the port holds max_port_packets user packets).
 */
struct mxchan_port_queue {
	__u32 handle;			/* in: port, needs WRITE */
	__u32 reserved;			/* in: must be 0 */
	__u64 packet;			/* in: user pointer to a packet */
	__u64 size;			/* in: must be 0 */
};

/*
 * Take the oldest packet, waiting until the absolute CLOCK_MONOTONIC
 * @deadline (ETIMEDOUT). One waiter wakes per packet. ECANCELED if the
 * port handle waited through is closed or sent away meanwhile. A fault
 * writing @packet returns EINVAL and leaves the packet first in the queue.
 * Interrupted waits restart.
 */
struct mxchan_port_wait {
	__u32 handle;			/* in: port, needs READ */
	__u32 reserved;			/* in: must be 0 */
	__u64 deadline;			/* in */
	__u64 packet;			/* in: user pointer, 48 bytes out */
	__u64 size;			/* in: must be 0 */
};

/*
 * End the async waits made through handle @source for @key on the port,
 * and drop their queued packets. ENOENT if there was neither.
 */
struct mxchan_port_cancel {
	__u32 handle;			/* in: port, needs WRITE */
	__u32 source;			/* in: needs READ */
	__u64 key;			/* in */
};

/*
 * Queue a SIGNAL_ONE (ONCE) or SIGNAL_REP (REPEATING) packet on @port
 * when any of @signals is set on the handle's object, now or later.
 * REPEATING queues again on a later change once its packet was taken;
 * while its packet is queued, a change updates its observed signals. The
 * wait ends with port_cancel, or when @handle is closed or sent away
 * (its queued packet stays).
 */
struct mxchan_object_wait_async {
	__u32 handle;			/* in: needs READ, waitable */
	__u32 port;			/* in: port, needs WRITE */
	__u64 key;			/* in */
	__u32 signals;			/* in */
	__u32 options;			/* in: ONCE or REPEATING, | NO_LAST_HANDLE */
};

/* MXCHAN_IOC_CHANNEL_REPLY_READ flags */
#define MXCHAN_REPLY_READ_REPLY		0x1u	/* write the wr_ message first */

/*
 * Beyond Magenta: a server's turn in one call. With
 * MXCHAN_REPLY_READ_REPLY, first write the wr_ message on the channel,
 * as CHANNEL_WRITE does (its errors, and nothing else happens); then
 * read the first message queued there into the rd_ buffers, as
 * CHANNEL_READ does with @options, waiting for one while the queue is
 * empty until the absolute CLOCK_MONOTONIC @deadline (ETIMEDOUT; a
 * deadline already past reads without waiting, and says ETIMEDOUT if
 * nothing is queued), the peer closes (EPIPE), or the handle is closed
 * or sent away (ECANCELED). Without the flag it is a read that waits.
 * A Linux signal during the wait restarts the call if it wrote nothing;
 * if it wrote, the call ends with EINTR: the message was sent, and the
 * caller goes on waiting by calling again without the flag.
 * Errors, in order: EINVAL (a fault on this struct, flags, reserved),
 * EOPNOTSUPP (options), the write's (but EACCES if the handle lacks READ
 * or WRITE), then the read's and the wait's.
 */
struct mxchan_channel_reply_read {
	__u32 handle;			/* in: channel, needs READ (and WRITE) */
	__u32 options;			/* in: 0 or MXCHAN_READ_MAY_DISCARD */
	__u32 flags;			/* in: MXCHAN_REPLY_READ_REPLY */
	__u32 reserved;			/* in: must be 0 */
	__u64 deadline;			/* in: for the read */
	__u64 wr_bytes;			/* in: as channel_write's */
	__u64 wr_handles;
	__u32 wr_num_bytes;
	__u32 wr_num_handles;
	__u64 rd_bytes;			/* in: as channel_read's */
	__u64 rd_handles;
	__u32 rd_num_bytes;
	__u32 rd_num_handles;
	__u64 actual_bytes;		/* in: __u32 *, or 0, as channel_read's */
	__u64 actual_handles;
};

#define MXCHAN_IOC_MAGIC		0xB9	/* unassigned in ioctl-number.rst */

#define MXCHAN_IOC_VERSION		_IOR(MXCHAN_IOC_MAGIC, 0x00, struct mxchan_version)
#define MXCHAN_IOC_CHANNEL_CREATE	_IOW(MXCHAN_IOC_MAGIC, 0x01, struct mxchan_channel_create)
#define MXCHAN_IOC_CHANNEL_WRITE	_IOW(MXCHAN_IOC_MAGIC, 0x02, struct mxchan_channel_write)
#define MXCHAN_IOC_CHANNEL_READ		_IOW(MXCHAN_IOC_MAGIC, 0x03, struct mxchan_channel_read)
/* The argument is the handle value itself, not a pointer. */
#define MXCHAN_IOC_HANDLE_CLOSE		_IO(MXCHAN_IOC_MAGIC, 0x04)
#define MXCHAN_IOC_HANDLE_DUPLICATE	_IOW(MXCHAN_IOC_MAGIC, 0x05, struct mxchan_handle_rights)
#define MXCHAN_IOC_HANDLE_REPLACE	_IOW(MXCHAN_IOC_MAGIC, 0x06, struct mxchan_handle_rights)
#define MXCHAN_IOC_OBJECT_GET_INFO	_IOW(MXCHAN_IOC_MAGIC, 0x07, struct mxchan_object_get_info)
#define MXCHAN_IOC_EVENT_CREATE		_IOW(MXCHAN_IOC_MAGIC, 0x08, struct mxchan_event_create)
#define MXCHAN_IOC_HANDLE_MOVE		_IOW(MXCHAN_IOC_MAGIC, 0x09, struct mxchan_handle_move)
#define MXCHAN_IOC_STARTUP_TAKE		_IOWR(MXCHAN_IOC_MAGIC, 0x0a, struct mxchan_startup_take)
#define MXCHAN_IOC_OBJECT_WAIT_ONE	_IOW(MXCHAN_IOC_MAGIC, 0x0b, struct mxchan_object_wait_one)
#define MXCHAN_IOC_OBJECT_WAIT_MANY	_IOW(MXCHAN_IOC_MAGIC, 0x0c, struct mxchan_object_wait_many)
#define MXCHAN_IOC_OBJECT_SIGNAL	_IOW(MXCHAN_IOC_MAGIC, 0x0d, struct mxchan_object_signal)
#define MXCHAN_IOC_EVENTPAIR_CREATE	\
	_IOW(MXCHAN_IOC_MAGIC, 0x0e, struct mxchan_eventpair_create)
#define MXCHAN_IOC_CHANNEL_CALL		_IOWR(MXCHAN_IOC_MAGIC, 0x0f, struct mxchan_channel_call)
#define MXCHAN_IOC_SIGNAL_FD		_IOW(MXCHAN_IOC_MAGIC, 0x11, struct mxchan_signal_fd)
#define MXCHAN_IOC_CALL_FINISH		_IOWR(MXCHAN_IOC_MAGIC, 0x10, struct mxchan_channel_call)
#define MXCHAN_IOC_PORT_CREATE		_IOW(MXCHAN_IOC_MAGIC, 0x12, struct mxchan_port_create)
#define MXCHAN_IOC_PORT_QUEUE		_IOW(MXCHAN_IOC_MAGIC, 0x13, struct mxchan_port_queue)
#define MXCHAN_IOC_PORT_WAIT		_IOW(MXCHAN_IOC_MAGIC, 0x14, struct mxchan_port_wait)
#define MXCHAN_IOC_PORT_CANCEL		_IOW(MXCHAN_IOC_MAGIC, 0x15, struct mxchan_port_cancel)
#define MXCHAN_IOC_OBJECT_WAIT_ASYNC	\
	_IOW(MXCHAN_IOC_MAGIC, 0x16, struct mxchan_object_wait_async)
#define MXCHAN_IOC_CHANNEL_REPLY_READ \
	_IOW(MXCHAN_IOC_MAGIC, 0x17, struct mxchan_channel_reply_read)
#define MXCHAN_IOC_FIFO_CREATE		_IOW(MXCHAN_IOC_MAGIC, 0x18, struct mxchan_fifo_create)
#define MXCHAN_IOC_FIFO_WRITE		_IOW(MXCHAN_IOC_MAGIC, 0x19, struct mxchan_fifo_io)
#define MXCHAN_IOC_FIFO_READ		_IOW(MXCHAN_IOC_MAGIC, 0x1a, struct mxchan_fifo_io)
#define MXCHAN_IOC_SOCKET_CREATE	_IOW(MXCHAN_IOC_MAGIC, 0x1b, struct mxchan_socket_create)
#define MXCHAN_IOC_SOCKET_WRITE		_IOW(MXCHAN_IOC_MAGIC, 0x1c, struct mxchan_socket_io)
#define MXCHAN_IOC_SOCKET_READ		_IOW(MXCHAN_IOC_MAGIC, 0x1d, struct mxchan_socket_io)
#define MXCHAN_IOC_VMO_CREATE		_IOW(MXCHAN_IOC_MAGIC, 0x1e, struct mxchan_vmo_create)
#define MXCHAN_IOC_VMO_READ		_IOW(MXCHAN_IOC_MAGIC, 0x1f, struct mxchan_vmo_io)
#define MXCHAN_IOC_VMO_WRITE		_IOW(MXCHAN_IOC_MAGIC, 0x20, struct mxchan_vmo_io)
#define MXCHAN_IOC_VMO_GET_SIZE		_IOW(MXCHAN_IOC_MAGIC, 0x21, struct mxchan_vmo_size)
#define MXCHAN_IOC_VMO_SET_SIZE		_IOW(MXCHAN_IOC_MAGIC, 0x22, struct mxchan_vmo_size)
#define MXCHAN_IOC_VMO_OP_RANGE		_IOW(MXCHAN_IOC_MAGIC, 0x23, struct mxchan_vmo_op_range)
#define MXCHAN_IOC_VMO_CLONE		_IOW(MXCHAN_IOC_MAGIC, 0x24, struct mxchan_vmo_clone)
#define MXCHAN_IOC_VMO_CACHE_POLICY	\
	_IOW(MXCHAN_IOC_MAGIC, 0x25, struct mxchan_vmo_cache_policy)
#define MXCHAN_IOC_VMAR_ROOT		_IOW(MXCHAN_IOC_MAGIC, 0x26, struct mxchan_vmar_root)
#define MXCHAN_IOC_VMAR_MAP		_IOW(MXCHAN_IOC_MAGIC, 0x27, struct mxchan_vmar_map)
#define MXCHAN_IOC_OBJECT_GET_PROPERTY	\
	_IOW(MXCHAN_IOC_MAGIC, 0x28, struct mxchan_object_property)
#define MXCHAN_IOC_OBJECT_SET_PROPERTY	\
	_IOW(MXCHAN_IOC_MAGIC, 0x29, struct mxchan_object_property)
#define MXCHAN_IOC_TIMER_CREATE		_IOW(MXCHAN_IOC_MAGIC, 0x2a, struct mxchan_timer_create)
#define MXCHAN_IOC_TIMER_SET		_IOW(MXCHAN_IOC_MAGIC, 0x2b, struct mxchan_timer_set)
#define MXCHAN_IOC_TIMER_CANCEL		_IOW(MXCHAN_IOC_MAGIC, 0x2c, struct mxchan_timer_cancel)
#define MXCHAN_IOC_OBJECT_SET_COOKIE	\
	_IOW(MXCHAN_IOC_MAGIC, 0x2d, struct mxchan_object_cookie)
#define MXCHAN_IOC_OBJECT_GET_COOKIE	\
	_IOW(MXCHAN_IOC_MAGIC, 0x2e, struct mxchan_object_cookie)

#endif /* _UAPI_LINUX_MXCHAN_H */
