// SPDX-License-Identifier: GPL-2.0
/*
 * The ioctls of /dev/mxchan (<linux/mxchan.h>): one decoder each. A
 * decoder copies its struct in, makes the checks Magenta makes before it
 * touches an object, and hands the rest to the object's own file. The
 * sizes of the ABI's structs are pinned at the end of this file.
 */

#include <linux/compat.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "async.h"
#include "call.h"
#include "channel.h"
#include "compat.h"
#include "cookie.h"
#include "event.h"
#include "eventpair.h"
#include "fifo.h"
#include "gc.h"
#include "ioctl.h"
#include "port.h"
#include "sigfd.h"
#include "socket.h"
#include "timer.h"
#include "trace.h"
#include "vmar.h"
#include "vmo.h"
#include "wait.h"

/* Magenta reports faults as INVALID_ARGS, hence EINVAL, not EFAULT. */
static int mxc_copy_in(void *dst, const void __user *src, size_t size)
{
	return copy_from_user(dst, src, size) ? -EINVAL : 0;
}

static int mxc_copy_out(void __user *dst, const void *src, size_t size)
{
	return copy_to_user(dst, src, size) ? -EINVAL : 0;
}

static long mxc_ioctl_version(void __user *argp)
{
	struct mxchan_version v = {
		.abi_version = MXCHAN_ABI_VERSION,
		.features = MXCHAN_FEATURE_CHANNEL | MXCHAN_FEATURE_HANDLE |
			    MXCHAN_FEATURE_INFO | MXCHAN_FEATURE_EVENT |
			    MXCHAN_FEATURE_MOVE | MXCHAN_FEATURE_WAIT |
			    MXCHAN_FEATURE_CALL | MXCHAN_FEATURE_SIGNAL_FD |
			    MXCHAN_FEATURE_PORT | MXCHAN_FEATURE_REPLY_READ |
			    MXCHAN_FEATURE_FIFO | MXCHAN_FEATURE_SOCKET |
			    MXCHAN_FEATURE_VMO | MXCHAN_FEATURE_TIMER |
			    MXCHAN_FEATURE_COOKIE |
			    MXCHAN_FEATURE_NO_LAST_HANDLE,
	};

	return mxc_copy_out(argp, &v, sizeof(v));
}

/*
 * Put new handles @hs (@n of them) in @t: reserve their values, write
 * each through its out-pointer @uout[i], then publish. On failure nothing
 * is left: the handles are closed.
 */
static int mxc_install_values(struct mxc_table *t, struct mxc_handle **hs,
			      unsigned int n, const u64 *uout, u32 *out)
{
	unsigned int i;
	int ret;

	ret = mxc_gc_table_reserve(t, out, n);
	if (ret)
		goto close;
	for (i = 0; i < n; i++) {
		if (put_user(out[i], (u32 __user *)mxc_uptr(uout[i]))) {
			mxc_table_unreserve(t, out, n);
			ret = -EINVAL;
			goto close;
		}
	}
	for (i = 0; i < n; i++)
		trace_mxchan_create(t, out[i], hs[i]);
	mxc_table_publish(t, out, hs, n);
	return 0;

close:
	for (i = 0; i < n; i++)
		mxc_handle_close(hs[i]);
	return ret;
}

static int mxc_install(struct mxc_table *t, struct mxc_handle **hs,
		       unsigned int n, const u64 *uout)
{
	u32 out[2];

	return mxc_install_values(t, hs, n, uout, out);
}

/* The creates have one shape: options, reserved, one or two out-pointers. */
struct mxc_create_args {
	u32 options;
	u32 reserved;
	u64 out[2];
};

static_assert(offsetof(struct mxchan_channel_create, out1) ==
	      offsetof(struct mxc_create_args, out[1]));
static_assert(offsetof(struct mxchan_event_create, out) ==
	      offsetof(struct mxc_create_args, out[0]));
static_assert(offsetof(struct mxchan_eventpair_create, out1) ==
	      offsetof(struct mxc_create_args, out[1]));
static_assert(offsetof(struct mxchan_port_create, out) ==
	      offsetof(struct mxc_create_args, out[0]));

struct mxc_creator {
	unsigned int n;			/* handles made, each with an out */
	int options_err;		/* what options other than 0 get */
	int (*make)(struct mxc_table *t, struct mxc_handle **hs);
};

static int mxc_make_channel(struct mxc_table *t, struct mxc_handle **hs)
{
	return mxc_channel_create(READ_ONCE(t->user), &hs[0], &hs[1]);
}

static int mxc_make_event(struct mxc_table *t, struct mxc_handle **hs)
{
	return mxc_event_create(&hs[0]);
}

static int mxc_make_eventpair(struct mxc_table *t, struct mxc_handle **hs)
{
	return mxc_eventpair_create(&hs[0], &hs[1]);
}

static int mxc_make_port(struct mxc_table *t, struct mxc_handle **hs)
{
	return mxc_port_create(&hs[0]);
}

static const struct mxc_creator mxc_channel_creator = {
	.n = 2, .options_err = -EINVAL, .make = mxc_make_channel,
};

static const struct mxc_creator mxc_event_creator = {
	.n = 1, .options_err = -EINVAL, .make = mxc_make_event,
};

/* Magenta's order: options, then (unlike channels) NOT_SUPPORTED. */
static const struct mxc_creator mxc_eventpair_creator = {
	.n = 2, .options_err = -EOPNOTSUPP, .make = mxc_make_eventpair,
};

static const struct mxc_creator mxc_port_creator = {
	.n = 1, .options_err = -EINVAL, .make = mxc_make_port,
};

static long mxc_ioctl_create(struct mxc_table *t, void __user *argp,
			     const struct mxc_creator *c)
{
	struct mxc_create_args a;
	struct mxc_handle *hs[2];
	int ret;

	ret = mxc_copy_in(&a, argp,
			  offsetof(struct mxc_create_args, out) +
			  c->n * sizeof(a.out[0]));
	if (ret)
		return ret;
	if (a.reserved)
		return -EINVAL;
	if (a.options)
		return c->options_err;
	ret = c->make(t, hs);
	if (ret)
		return ret;
	return mxc_install(t, hs, c->n, a.out);
}

/* Magenta's order: the sizes (options are ignored, as Magenta did). */
static long mxc_ioctl_fifo_create(struct mxc_table *t, void __user *argp)
{
	struct mxchan_fifo_create a;
	struct mxc_handle *hs[2];
	u64 out[2];
	int ret;

	ret = mxc_copy_in(&a, argp, sizeof(a));
	if (ret)
		return ret;
	if (a.reserved)
		return -EINVAL;
	if (!mxc_fifo_size_ok(a.elem_count, a.elem_size))
		return -ERANGE;
	ret = mxc_fifo_create(a.elem_count, a.elem_size, &hs[0], &hs[1]);
	if (ret)
		return ret;
	out[0] = a.out0;
	out[1] = a.out1;
	return mxc_install(t, hs, 2, out);
}

/*
 * FIFO_WRITE and FIFO_READ: the elements move, then their count goes
 * out; a fault there is EINVAL with them moved, as Magenta's.
 */
static long mxc_ioctl_fifo_io(struct mxc_table *t, void __user *argp,
			      bool write)
{
	struct mxchan_fifo_io a;
	struct mxc_object *obj;
	u32 moved;
	int ret;

	ret = mxc_copy_in(&a, argp, sizeof(a));
	if (ret)
		return ret;
	if (a.reserved)
		return -EINVAL;
	ret = mxc_table_get(t, a.handle,
			    write ? MXCHAN_RIGHT_WRITE : MXCHAN_RIGHT_READ,
			    MXCHAN_OBJ_TYPE_FIFO, &obj, NULL);
	if (ret)
		return ret;
	ret = write ? mxc_fifo_write(obj, mxc_uptr(a.data), a.len, &moved) :
		      mxc_fifo_read(obj, mxc_uptr(a.data), a.len, &moved);
	mxc_object_put(obj);
	if (ret)
		return ret;
	return put_user(moved, (u32 __user *)mxc_uptr(a.actual)) ? -EINVAL : 0;
}

/* Magenta's order: options (unknown bits), then the socket's making. */
static long mxc_ioctl_socket_create(struct mxc_table *t, void __user *argp)
{
	struct mxchan_socket_create a;
	struct mxc_handle *hs[2];
	u64 out[2];
	int ret;

	ret = mxc_copy_in(&a, argp, sizeof(a));
	if (ret)
		return ret;
	if (a.reserved || (a.options & ~MXCHAN_SOCKET_CREATE_MASK))
		return -EINVAL;
	ret = mxc_socket_create(READ_ONCE(t->user), a.options, &hs[0], &hs[1]);
	if (ret)
		return ret;
	out[0] = a.out0;
	out[1] = a.out1;
	return mxc_install(t, hs, 2, out);
}

/*
 * SOCKET_WRITE and SOCKET_READ. Magenta checks a write's buffer before
 * its handle, and a read's only with options (its quirk, kept). The
 * count goes out as the caller's size_t, only on success.
 */
static long mxc_ioctl_socket_io(struct mxc_table *t, void __user *argp,
				bool write)
{
	struct mxchan_socket_io a;
	struct mxc_object *obj;
	u64 moved;
	int ret;

	ret = mxc_copy_in(&a, argp, sizeof(a));
	if (ret)
		return ret;
	if (!a.buffer && a.size && (write || a.options))
		return -EINVAL;
	ret = mxc_table_get(t, a.handle,
			    write ? MXCHAN_RIGHT_WRITE : MXCHAN_RIGHT_READ,
			    MXCHAN_OBJ_TYPE_SOCKET, &obj, NULL);
	if (ret)
		return ret;
	ret = write ? mxc_socket_write(obj, a.options, mxc_uptr(a.buffer),
				       a.size, &moved) :
		      mxc_socket_read(obj, a.options, mxc_uptr(a.buffer),
				      a.size, &moved);
	mxc_object_put(obj);
	/* a shutdown, as Magenta's, leaves *actual alone */
	if (ret || !a.actual ||
	    (write && (a.options & MXCHAN_SOCKET_SHUTDOWN_MASK)))
		return ret;
	return mxc_put_size(moved, a.actual);
}

/*
 * A write of a message in user memory, through channel handle @value,
 * which needs @rights (WRITE at least). Inlined in both callers: this is
 * the message path.
 */
static __always_inline int mxc_write_user(struct mxc_table *t, u32 value,
					  u32 rights, u64 bytes, u32 num_bytes,
					  u64 handles, u32 num_handles)
{
	struct mxc_message *msg;
	struct mxc_object *obj;
	int ret;

	ret = mxc_table_get(t, value, rights, MXCHAN_OBJ_TYPE_CHANNEL, &obj,
			    NULL);
	if (ret)
		return ret;
	msg = mxc_message_copy_in(bytes, num_bytes, handles, num_handles,
				  mxc_channel_spare(obj));
	if (IS_ERR(msg)) {
		ret = PTR_ERR(msg);
	} else {
		ret = mxc_channel_write(t, obj, msg, NULL);
		if (ret) {
			mxc_message_leave(msg, mxc_channel_spare(obj));
			mxc_message_free(msg);
		}
	}
	mxc_object_put(obj);
	return ret;
}

/* Magenta's order: options, the channel handle, sizes, memory, copies. */
static long mxc_ioctl_channel_write(struct mxc_table *t, void __user *argp)
{
	struct mxchan_channel_write a;
	int ret;

	ret = mxc_copy_in(&a, argp, sizeof(a));
	if (ret)
		return ret;
	if (a.options)
		return -EINVAL;
	return mxc_write_user(t, a.handle, MXCHAN_RIGHT_WRITE, a.bytes,
			      a.num_bytes, a.handles, a.num_handles);
}

/* A read as @a says; Magenta's order: the handle, then options. */
static __always_inline int mxc_read_user(struct mxc_table *t,
					 const struct mxchan_channel_read *a)
{
	struct mxc_object *obj;
	int ret;

	ret = mxc_channel_get_reader(t, a->handle, &obj);
	if (ret)
		return ret;
	if (a->options & ~MXCHAN_READ_MAY_DISCARD)
		ret = -EOPNOTSUPP;
	else
		ret = mxc_channel_read(t, obj, a);
	mxc_channel_put_reader(obj);
	return ret;
}

static long mxc_ioctl_channel_read(struct mxc_table *t, void __user *argp)
{
	struct mxchan_channel_read a;
	int ret;

	ret = mxc_copy_in(&a, argp, sizeof(a));
	if (ret)
		return ret;
	return mxc_read_user(t, &a);
}

/*
 * A server's turn in one call: the reply (if asked), then the next
 * message, waited for as object_wait_one waits for READABLE or
 * PEER_CLOSED. A signal during the wait restarts the call if it sent
 * nothing; if it sent the reply, the call ends with EINTR, so that a
 * restart cannot send it twice (the caller goes on without the flag).
 */
static long mxc_ioctl_channel_reply_read(struct mxc_table *t,
					 void __user *argp)
{
	struct mxchan_channel_reply_read a;
	struct mxchan_channel_read rd;
	bool reply;
	u32 observed;
	int ret;

	ret = mxc_copy_in(&a, argp, sizeof(a));
	if (ret)
		return ret;
	if ((a.flags & ~MXCHAN_REPLY_READ_REPLY) || a.reserved)
		return -EINVAL;
	if (a.options & ~MXCHAN_READ_MAY_DISCARD)
		return -EOPNOTSUPP;
	reply = a.flags & MXCHAN_REPLY_READ_REPLY;
	if (reply) {
		/* what would fail the read fails the call before it sends */
		ret = mxc_write_user(t, a.handle,
				     MXCHAN_RIGHT_READ | MXCHAN_RIGHT_WRITE,
				     a.wr_bytes, a.wr_num_bytes,
				     a.wr_handles, a.wr_num_handles);
		if (ret)
			return ret;
	}
	rd = (struct mxchan_channel_read) {
		.handle = a.handle, .options = a.options,
		.bytes = a.rd_bytes, .handles = a.rd_handles,
		.num_bytes = a.rd_num_bytes, .num_handles = a.rd_num_handles,
		.actual_bytes = a.actual_bytes,
		.actual_handles = a.actual_handles,
	};
	for (;;) {
		ret = mxc_read_user(t, &rd);
		if (ret != -EAGAIN)
			return ret;
		/* empty: wait, then read again (another reader may win) */
		ret = mxc_wait_one(t, a.handle, MXCHAN_SIGNAL_READABLE |
				   MXCHAN_SIGNAL_PEER_CLOSED, a.deadline,
				   &observed);
		if (ret == -ERESTARTNOINTR && reply)
			return -EINTR;
		if (ret)
			return ret;
	}
}

static long mxc_ioctl_handle_close(struct mxc_table *t, unsigned long arg)
{
	struct mxc_handle *h;
	int ret;

	/* closing MX_HANDLE_INVALID succeeds, like free(NULL) */
	if (arg == 0)
		return 0;
	if (arg > U32_MAX)
		return -EBADF;
	ret = mxc_table_remove(t, arg, &h);
	if (ret)
		return ret;
	trace_mxchan_close(t, arg, h);
	mxc_handle_close(h);
	return 0;
}

static long mxc_ioctl_handle_rights(struct mxc_table *t, void __user *argp,
				    bool dup)
{
	struct mxchan_handle_rights a;
	u32 __user *uout;
	int ret;

	ret = mxc_copy_in(&a, argp, sizeof(a));
	if (ret)
		return ret;
	uout = mxc_uptr(a.out);
	/* the new value is written out before the table changes */
	if (dup)
		return mxc_table_duplicate(t, a.handle, a.rights, uout);
	return mxc_table_replace(t, a.handle, a.rights, uout);
}

/* get_info's counts, through the pointers the caller gave (if any) */
static int mxc_info_counts(const struct mxchan_object_get_info *a,
			   u64 actual, u64 avail)
{
	return (a->actual_count ? mxc_put_size(actual, a->actual_count) : 0) ?:
	       (a->avail_count ? mxc_put_size(avail, a->avail_count) : 0);
}

/* MXCHAN_INFO_VMAR: a root VMAR's range, as uintptr_t and size_t. */
static int mxc_info_vmar(struct mxc_table *t,
			 const struct mxchan_object_get_info *a)
{
	struct mxc_object *obj;
	u64 base, len;
	size_t need;
	int ret;

	ret = mxc_table_get(t, a->handle, 0, MXCHAN_OBJ_TYPE_VMAR, &obj, NULL);
	if (ret)
		return ret;
	mxc_object_put(obj);
	need = mxc_caller_32bit() ? 2 * sizeof(u32) : 2 * sizeof(u64);
	if (a->buffer_size < need)
		return mxc_info_counts(a, 0, 1) ?: -EMSGSIZE;
	mxc_vmar_range(&base, &len);
	if (mxc_caller_32bit()) {
		u32 rec[2] = { base, len };

		ret = mxc_copy_out(mxc_uptr(a->buffer), rec, need);
	} else {
		struct mxchan_info_vmar rec = { .base = base, .len = len };

		ret = mxc_copy_out(mxc_uptr(a->buffer), &rec, need);
	}
	return ret ?: mxc_info_counts(a, 1, 1);
}

static long mxc_ioctl_object_get_info(struct mxc_table *t, void __user *argp)
{
	struct mxchan_info_handle_basic rec = {};
	struct mxchan_object_get_info a;
	struct mxc_object *obj;
	size_t need;
	u32 rights;
	int ret;

	ret = mxc_copy_in(&a, argp, sizeof(a));
	if (ret)
		return ret;
	if (a.topic == MXCHAN_INFO_VMAR)
		return mxc_info_vmar(t, &a);
	if (a.topic != MXCHAN_INFO_HANDLE_VALID &&
	    a.topic != MXCHAN_INFO_HANDLE_BASIC)
		return -EOPNOTSUPP;
	ret = mxc_table_get(t, a.handle, 0, 0, &obj, &rights);
	if (ret)
		return ret;
	if (a.topic == MXCHAN_INFO_HANDLE_VALID)
		goto out_put;

	/* an i386 caller's record lacks the tail padding: 28 bytes */
	need = mxc_compat_packed_u64() ?
	       offsetofend(struct mxchan_info_handle_basic, props) :
	       sizeof(rec);
	if (a.buffer_size < need) {
		ret = mxc_info_counts(&a, 0, 1) ?: -EMSGSIZE;
		goto out_put;
	}
	rec.koid = obj->koid;
	rec.rights = rights;
	rec.type = obj->ops->type;
	rec.related_koid = obj->ops->related_koid(obj);
	rec.props = obj->ops->waitable ? MXCHAN_OBJ_PROP_WAITABLE : 0;
	ret = mxc_copy_out(mxc_uptr(a.buffer), &rec, need) ?:
	      mxc_info_counts(&a, 1, 1);
out_put:
	mxc_object_put(obj);
	return ret;
}

/* Magenta's order: options, then the size and the budget. */
static long mxc_ioctl_vmo_create(struct mxc_table *t, void __user *argp)
{
	struct mxchan_vmo_create a;
	struct mxc_handle *h;
	int ret;

	ret = mxc_copy_in(&a, argp, sizeof(a));
	if (ret)
		return ret;
	if (a.reserved || a.options)
		return -EINVAL;
	ret = mxc_vmo_create(READ_ONCE(t->user), a.size, &h);
	if (ret)
		return ret;
	return mxc_install(t, &h, 1, &a.out);
}

/* VMO_READ and VMO_WRITE: the bytes move, then their count goes out. */
static long mxc_ioctl_vmo_io(struct mxc_table *t, void __user *argp,
			     bool write)
{
	struct mxchan_vmo_io a;
	struct mxc_object *obj;
	u64 done = 0;
	int ret;

	ret = mxc_copy_in(&a, argp, sizeof(a));
	if (ret)
		return ret;
	if (a.reserved)
		return -EINVAL;
	ret = mxc_table_get(t, a.handle,
			    write ? MXCHAN_RIGHT_WRITE : MXCHAN_RIGHT_READ,
			    MXCHAN_OBJ_TYPE_VMO, &obj, NULL);
	if (ret)
		return ret;
	ret = mxc_vmo_rw(obj, mxc_uptr(a.data), a.offset, a.len, write, &done);
	mxc_object_put(obj);
	return ret ?: mxc_put_size(done, a.actual);
}

/* GET_SIZE needs no right, as Magenta's; SET_SIZE needs WRITE. */
static long mxc_ioctl_vmo_size(struct mxc_table *t, void __user *argp,
			       bool set)
{
	struct mxchan_vmo_size a;
	struct mxc_object *obj;
	u64 size;
	int ret;

	ret = mxc_copy_in(&a, argp, sizeof(a));
	if (ret)
		return ret;
	if (a.reserved)
		return -EINVAL;
	ret = mxc_table_get(t, a.handle, set ? MXCHAN_RIGHT_WRITE : 0,
			    MXCHAN_OBJ_TYPE_VMO, &obj, NULL);
	if (ret)
		return ret;
	if (set) {
		ret = mxc_vmo_set_size(obj, READ_ONCE(t->user), a.size);
	} else {
		size = mxc_vmo_get_size(obj);
		ret = mxc_copy_out(mxc_uptr(a.out), &size, sizeof(size));
	}
	mxc_object_put(obj);
	return ret;
}

/* No right needed, as Magenta's (which had a TODO there). */
static long mxc_ioctl_vmo_op_range(struct mxc_table *t, void __user *argp)
{
	struct mxchan_vmo_op_range a;
	struct mxc_object *obj;
	int ret;

	ret = mxc_copy_in(&a, argp, sizeof(a));
	if (ret)
		return ret;
	ret = mxc_table_get(t, a.handle, 0, MXCHAN_OBJ_TYPE_VMO, &obj, NULL);
	if (ret)
		return ret;
	ret = mxc_vmo_op_range(obj, a.op, a.offset, a.size,
			       a.buffer ? mxc_uptr(a.buffer) : NULL,
			       a.buffer_size);
	mxc_object_put(obj);
	return ret;
}

/*
 * Magenta's order: the handle (DUPLICATE and READ), options, the size,
 * the offset (on a page, no wrap), then the budget. The clone's handle
 * has the parent handle's rights and WRITE, GET_ and SET_PROPERTY.
 */
static long mxc_ioctl_vmo_clone(struct mxc_table *t, void __user *argp)
{
	struct mxchan_vmo_clone a;
	struct mxc_object *obj;
	struct mxc_handle *h;
	u32 rights;
	int ret;

	ret = mxc_copy_in(&a, argp, sizeof(a));
	if (ret)
		return ret;
	ret = mxc_table_get(t, a.handle,
			    MXCHAN_RIGHT_DUPLICATE | MXCHAN_RIGHT_READ,
			    MXCHAN_OBJ_TYPE_VMO, &obj, &rights);
	if (ret)
		return ret;
	if (!(a.options & MXCHAN_VMO_CLONE_COPY_ON_WRITE))
		ret = -EINVAL;
	else if (a.size > MXCHAN_VMO_MAX_SIZE)
		ret = -ERANGE;
	else if (!PAGE_ALIGNED(a.offset))
		ret = -EINVAL;
	else if (a.offset + a.size < a.offset)
		ret = -ERANGE;
	else
		ret = mxc_vmo_clone(READ_ONCE(t->user), obj, a.offset, a.size,
				    rights | MXCHAN_RIGHT_WRITE |
				    MXCHAN_RIGHT_GET_PROPERTY |
				    MXCHAN_RIGHT_SET_PROPERTY, &h);
	mxc_object_put(obj);
	if (ret)
		return ret;
	return mxc_install(t, &h, 1, &a.out);
}

/* Magenta's: the policy, the handle (MAP), then NOT_SUPPORTED. */
static long mxc_ioctl_vmo_cache_policy(struct mxc_table *t, void __user *argp)
{
	struct mxchan_vmo_cache_policy a;
	struct mxc_object *obj;
	int ret;

	ret = mxc_copy_in(&a, argp, sizeof(a));
	if (ret)
		return ret;
	if (a.policy & ~MXCHAN_CACHE_POLICY_MASK)
		return -EINVAL;
	ret = mxc_table_get(t, a.handle, MXCHAN_RIGHT_MAP, MXCHAN_OBJ_TYPE_VMO,
			    &obj, NULL);
	if (ret)
		return ret;
	mxc_object_put(obj);
	return -EOPNOTSUPP;
}

/*
 * The table's root VMAR: the handle made last, while it still names a
 * VMAR; else a new one, remembered. Two first calls at once may make
 * two; either is a root VMAR.
 */
static long mxc_ioctl_vmar_root(struct mxc_table *t, void __user *argp)
{
	struct mxchan_vmar_root a;
	struct mxc_object *obj;
	struct mxc_handle *h;
	u32 value;
	int ret;

	ret = mxc_copy_in(&a, argp, sizeof(a));
	if (ret)
		return ret;
	value = READ_ONCE(t->root_vmar);
	if (value && !mxc_table_get(t, value, 0, MXCHAN_OBJ_TYPE_VMAR, &obj,
				    NULL)) {
		mxc_object_put(obj);
		return put_user(value, (u32 __user *)mxc_uptr(a.out)) ?
		       -EINVAL : 0;
	}
	ret = mxc_vmar_create(&h);
	if (ret)
		return ret;
	ret = mxc_install_values(t, &h, 1, &a.out, &value);
	if (!ret)
		WRITE_ONCE(t->root_vmar, value);
	return ret;
}

/* vmar_map; a fault writing the address unmaps it again (EINVAL). */
static long mxc_ioctl_vmar_map(struct mxc_table *t, struct file *file,
			       void __user *argp)
{
	struct mxc_object *vmar, *vmo;
	struct mxchan_vmar_map a;
	u32 vmar_rights, vmo_rights;
	unsigned long addr;
	int ret;

	ret = mxc_copy_in(&a, argp, sizeof(a));
	if (ret)
		return ret;
	if (a.reserved)
		return -EINVAL;
	ret = mxc_table_get(t, a.vmar, 0, MXCHAN_OBJ_TYPE_VMAR, &vmar,
			    &vmar_rights);
	if (ret)
		return ret;
	ret = mxc_table_get(t, a.vmo, 0, MXCHAN_OBJ_TYPE_VMO, &vmo,
			    &vmo_rights);
	if (ret)
		goto put_vmar;
	ret = mxc_vmar_map(file, vmar_rights, vmo, vmo_rights, &a, &addr);
	if (!ret && mxc_put_size(addr, a.mapped_addr)) {
		mxc_vmar_unmap(addr, a.len);
		ret = -EINVAL;
	}
	mxc_object_put(vmo);
put_vmar:
	mxc_object_put(vmar);
	return ret;
}

/*
 * Magenta's object_get_property and object_set_property: the value
 * pointer, the handle with GET_ or SET_PROPERTY, then the property.
 * Only VMOs have those rights and a name.
 */
static long mxc_ioctl_object_property(struct mxc_table *t, void __user *argp,
				      bool set)
{
	char name[MXCHAN_MAX_NAME_LEN] = {};
	struct mxchan_object_property a;
	struct mxc_object *obj;
	int ret;

	ret = mxc_copy_in(&a, argp, sizeof(a));
	if (ret)
		return ret;
	if (!a.value)
		return -EINVAL;
	ret = mxc_table_get(t, a.handle,
			    set ? MXCHAN_RIGHT_SET_PROPERTY :
				  MXCHAN_RIGHT_GET_PROPERTY, 0, &obj, NULL);
	if (ret)
		return ret;
	if (a.property != MXCHAN_PROP_NAME) {
		ret = -EINVAL;
	} else if (set) {
		/* a longer name is cut to 31 bytes, as Magenta's */
		ret = mxc_copy_in(name, mxc_uptr(a.value),
				  min_t(u64, a.size, sizeof(name) - 1));
		if (!ret)
			ret = obj->ops->set_name ?
			      obj->ops->set_name(obj, name) : -EOPNOTSUPP;
	} else if (a.size < sizeof(name)) {
		ret = -EMSGSIZE;
	} else {
		if (obj->ops->get_name)
			obj->ops->get_name(obj, name);
		ret = mxc_copy_out(mxc_uptr(a.value), name, sizeof(name));
	}
	mxc_object_put(obj);
	return ret;
}

/* Magenta's order: the clock, then the options (the slack mode). */
static long mxc_ioctl_timer_create(struct mxc_table *t, void __user *argp)
{
	struct mxchan_timer_create a;
	struct mxc_handle *h;
	int ret;

	ret = mxc_copy_in(&a, argp, sizeof(a));
	if (ret)
		return ret;
	if (a.clock_id != MXCHAN_CLOCK_MONOTONIC ||
	    !mxc_timer_options_ok(a.options))
		return -EINVAL;
	ret = mxc_timer_create(a.options, &h);
	if (ret)
		return ret;
	return mxc_install(t, &h, 1, &a.out);
}

/* TIMER_SET and TIMER_CANCEL: WRITE on a timer. */
static long mxc_ioctl_timer(struct mxc_table *t, void __user *argp, bool set)
{
	struct mxchan_timer_set a = {};
	struct mxc_object *obj;
	int ret;

	ret = mxc_copy_in(&a, argp, set ? sizeof(a) :
			  sizeof(struct mxchan_timer_cancel));
	if (ret)
		return ret;
	if (a.reserved)
		return -EINVAL;
	ret = mxc_table_get(t, a.handle, MXCHAN_RIGHT_WRITE,
			    MXCHAN_OBJ_TYPE_TIMER, &obj, NULL);
	if (ret)
		return ret;
	if (set)
		mxc_timer_set(obj, a.deadline, a.slack);
	else
		mxc_timer_cancel(obj);
	mxc_object_put(obj);
	return 0;
}

/*
 * Magenta's object_set_cookie and object_get_cookie: no rights; the
 * handle, the scope (any object, by its koid), then whether the object
 * keeps a cookie. A get writes the cookie out after the lock is dropped.
 */
static long mxc_ioctl_object_cookie(struct mxc_table *t, void __user *argp,
				    bool set)
{
	struct mxchan_object_cookie a;
	struct mxc_object *obj, *scope;
	u64 koid, cookie;
	int ret;

	ret = mxc_copy_in(&a, argp, sizeof(a));
	if (ret)
		return ret;
	ret = mxc_table_get(t, a.handle, 0, 0, &obj, NULL);
	if (ret)
		return ret;
	ret = mxc_table_get(t, a.scope, 0, 0, &scope, NULL);
	if (ret)
		goto out_put;
	koid = scope->koid;
	mxc_object_put(scope);
	if (set) {
		ret = mxc_cookie_set(obj, koid, a.cookie);
	} else {
		ret = mxc_cookie_get(obj, koid, &cookie);
		if (!ret && put_user(cookie, (u64 __user *)mxc_uptr(a.cookie)))
			ret = -EINVAL;
	}
out_put:
	mxc_object_put(obj);
	return ret;
}

/* Give handles to, or take them from, the table open as another fd. */
static long mxc_ioctl_handle_move(struct mxc_table *t, void __user *argp)
{
	struct mxchan_handle_move a;
	struct mxc_move_scratch *s;
	struct mxc_table *other;
	struct fd f;
	size_t size;
	int ret;

	ret = mxc_copy_in(&a, argp, sizeof(a));
	if (ret)
		return ret;
	if (a.reserved || (a.flags & ~MXCHAN_MOVE_TAKE))
		return -EINVAL;
	if (a.num_handles > MXCHAN_MAX_MSG_HANDLES)
		return -ERANGE;
	s = kmalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);
	if (!s)
		return -ENOMEM;
	size = a.num_handles * sizeof(u32);
	if (mxc_copy_in(s->values, mxc_uptr(a.handles), size) ||
	    (a.ids && mxc_copy_in(s->ids, mxc_uptr(a.ids), size))) {
		ret = -EINVAL;
		goto out_free;
	}

	f = fdget(a.fd);
	if (!fd_file(f)) {
		ret = -EBADF;
		goto out_free;
	}
	/* a table is a file whose ioctls are ours */
	if (fd_file(f)->f_op->unlocked_ioctl != mxc_ioctl) {
		ret = -EPROTOTYPE;
		goto out_put;
	}
	other = fd_file(f)->private_data;
	if (other == t) {
		ret = -EINVAL;
		goto out_put;
	}
	if (a.flags & MXCHAN_MOVE_TAKE) {
		ret = mxc_table_move(other, t, s, a.num_handles, a.ids,
				     mxc_uptr(a.out));
	} else {
		/* giving is a charging call into the other table too */
		struct mxc_user *u = mxc_table_user(other);

		ret = IS_ERR(u) ? PTR_ERR(u) :
		      mxc_table_move(t, other, s, a.num_handles, a.ids,
				     mxc_uptr(a.out));
	}
out_put:
	fdput(f);
out_free:
	kfree(s);
	return ret;
}

/*
 * A startup id's value, once. It is written out before the id is
 * forgotten, so a fault leaves the id there; of two takes at once, the
 * one that finds it gone says 0.
 */
static long mxc_ioctl_startup_take(struct mxc_table *t, void __user *argp)
{
	struct mxchan_startup_take a;
	int ret;

	ret = mxc_copy_in(&a, argp, sizeof(a));
	if (ret)
		return ret;
	a.handle = mxc_table_startup_peek(t, a.id);
	ret = mxc_copy_out(argp, &a, sizeof(a));
	if (ret || !a.handle || mxc_table_startup_forget(t, a.id, a.handle))
		return ret;
	a.handle = 0;
	return mxc_copy_out(argp, &a, sizeof(a));
}

static long mxc_ioctl_object_wait_one(struct mxc_table *t, void __user *argp)
{
	struct mxchan_object_wait_one a;
	u32 observed;
	int ret, wret;

	ret = mxc_copy_in(&a, argp, sizeof(a));
	if (ret)
		return ret;
	wret = mxc_wait_one(t, a.handle, a.waitfor, a.deadline, &observed);
	if (wret == -EBADF || wret == -EACCES || wret == -EOPNOTSUPP ||
	    wret == -ERESTARTNOINTR || !a.observed)
		return wret;
	/* observed is written after the wait, whatever its result */
	if (put_user(observed, (u32 __user *)mxc_uptr(a.observed)))
		return -EINVAL;
	return wret;
}

static long mxc_ioctl_object_wait_many(struct mxc_table *t, void __user *argp)
{
	struct mxchan_object_wait_many a;
	int ret;

	ret = mxc_copy_in(&a, argp, sizeof(a));
	if (ret)
		return ret;
	if (a.reserved)
		return -EINVAL;
	return mxc_wait_many(t, mxc_uptr(a.items), a.count, a.deadline);
}

/* Magenta's order: rights, a peer to signal, the mask, the peer's state. */
static long mxc_ioctl_object_signal(struct mxc_table *t, void __user *argp)
{
	struct mxc_object *obj, *target;
	struct mxchan_object_signal a;
	bool peer;
	int ret;

	ret = mxc_copy_in(&a, argp, sizeof(a));
	if (ret)
		return ret;
	if (a.flags & ~MXCHAN_SIGNAL_PEER)
		return -EINVAL;
	peer = a.flags & MXCHAN_SIGNAL_PEER;
	ret = mxc_table_get(t, a.handle, peer ? MXCHAN_RIGHT_SIGNAL_PEER :
			    MXCHAN_RIGHT_SIGNAL, 0, &obj, NULL);
	if (ret)
		return ret;
	target = obj;
	if (peer) {
		target = obj->ops->peer(obj);
		if (IS_ERR(target)) {
			ret = PTR_ERR(target);
			goto out;
		}
	}
	if ((a.clear_mask | a.set_mask) & ~obj->ops->user_signals)
		ret = -EINVAL;
	else if (!target)
		ret = -EPIPE;
	else
		mxc_object_signal(target, a.clear_mask, a.set_mask);
	if (peer && target)
		mxc_object_put(target);
out:
	mxc_object_put(obj);
	return ret;
}

static long mxc_ioctl_channel_call(struct mxc_table *t, void __user *argp,
				   bool finish)
{
	struct mxchan_channel_call a;
	int ret;

	ret = mxc_copy_in(&a, argp, sizeof(a));
	if (ret)
		return ret;
	if (finish)
		return mxc_call_finish(t, &a, argp);
	return mxc_channel_call(t, &a, argp);
}

static long mxc_ioctl_signal_fd(struct mxc_table *t, void __user *argp)
{
	struct mxchan_signal_fd a;
	int ret;

	ret = mxc_copy_in(&a, argp, sizeof(a));
	if (ret)
		return ret;
	return mxc_sigfd_create(t, a.handle, a.signals, mxc_uptr(a.fd));
}

/* Magenta's order: the size, the port, the packet. */
static long mxc_ioctl_port_queue(struct mxc_table *t, void __user *argp)
{
	struct mxchan_port_queue a;
	int ret;

	ret = mxc_copy_in(&a, argp, sizeof(a));
	if (ret)
		return ret;
	if (a.size || a.reserved)
		return -EINVAL;
	return mxc_port_queue(t, a.handle, mxc_uptr(a.packet));
}

static long mxc_ioctl_port_wait(struct mxc_table *t, void __user *argp)
{
	struct mxchan_port_wait a;
	int ret;

	ret = mxc_copy_in(&a, argp, sizeof(a));
	if (ret)
		return ret;
	if (a.size || a.reserved)
		return -EINVAL;
	return mxc_port_wait(t, a.handle, a.deadline, mxc_uptr(a.packet));
}

static long mxc_ioctl_port_cancel(struct mxc_table *t, void __user *argp)
{
	struct mxchan_port_cancel a;
	int ret;

	ret = mxc_copy_in(&a, argp, sizeof(a));
	if (ret)
		return ret;
	return mxc_port_cancel(t, a.handle, a.source, a.key);
}

static long mxc_ioctl_object_wait_async(struct mxc_table *t, void __user *argp)
{
	struct mxchan_object_wait_async a;
	int ret;

	ret = mxc_copy_in(&a, argp, sizeof(a));
	if (ret)
		return ret;
	return mxc_wait_async(t, a.handle, a.port, a.key, a.signals,
			      a.options);
}

long mxc_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct mxc_table *t = file->private_data;
	void __user *argp = (void __user *)arg;
	struct mxc_user *u;

	/* calls that charge the table's user make the caller's its user */
	switch (cmd) {
	case MXCHAN_IOC_CHANNEL_WRITE:
	case MXCHAN_IOC_CHANNEL_READ:
	case MXCHAN_IOC_CHANNEL_CREATE:
	case MXCHAN_IOC_HANDLE_DUPLICATE:
	case MXCHAN_IOC_HANDLE_REPLACE:
	case MXCHAN_IOC_EVENT_CREATE:
	case MXCHAN_IOC_HANDLE_MOVE:
	case MXCHAN_IOC_CHANNEL_CALL:
	case MXCHAN_IOC_CALL_FINISH:
	case MXCHAN_IOC_SIGNAL_FD:
	case MXCHAN_IOC_EVENTPAIR_CREATE:
	case MXCHAN_IOC_PORT_CREATE:
	case MXCHAN_IOC_OBJECT_WAIT_ASYNC:
	case MXCHAN_IOC_CHANNEL_REPLY_READ:
	case MXCHAN_IOC_FIFO_CREATE:
	case MXCHAN_IOC_SOCKET_CREATE:
	case MXCHAN_IOC_VMO_CREATE:
	case MXCHAN_IOC_VMO_CLONE:
	case MXCHAN_IOC_VMO_SET_SIZE:
	case MXCHAN_IOC_VMAR_ROOT:
	case MXCHAN_IOC_TIMER_CREATE:
		u = mxc_table_user(t);
		if (IS_ERR(u))
			return PTR_ERR(u);
		break;
	}

	switch (cmd) {
	case MXCHAN_IOC_CHANNEL_WRITE:
		return mxc_ioctl_channel_write(t, argp);
	case MXCHAN_IOC_CHANNEL_READ:
		return mxc_ioctl_channel_read(t, argp);
	case MXCHAN_IOC_CHANNEL_CREATE:
		return mxc_ioctl_create(t, argp, &mxc_channel_creator);
	case MXCHAN_IOC_HANDLE_CLOSE:
		return mxc_ioctl_handle_close(t, arg);
	case MXCHAN_IOC_HANDLE_DUPLICATE:
		return mxc_ioctl_handle_rights(t, argp, true);
	case MXCHAN_IOC_HANDLE_REPLACE:
		return mxc_ioctl_handle_rights(t, argp, false);
	case MXCHAN_IOC_OBJECT_GET_INFO:
		return mxc_ioctl_object_get_info(t, argp);
	case MXCHAN_IOC_EVENT_CREATE:
		return mxc_ioctl_create(t, argp, &mxc_event_creator);
	case MXCHAN_IOC_HANDLE_MOVE:
		return mxc_ioctl_handle_move(t, argp);
	case MXCHAN_IOC_STARTUP_TAKE:
		return mxc_ioctl_startup_take(t, argp);
	case MXCHAN_IOC_OBJECT_WAIT_ONE:
		return mxc_ioctl_object_wait_one(t, argp);
	case MXCHAN_IOC_OBJECT_WAIT_MANY:
		return mxc_ioctl_object_wait_many(t, argp);
	case MXCHAN_IOC_OBJECT_SIGNAL:
		return mxc_ioctl_object_signal(t, argp);
	case MXCHAN_IOC_CHANNEL_CALL:
		return mxc_ioctl_channel_call(t, argp, false);
	case MXCHAN_IOC_CALL_FINISH:
		return mxc_ioctl_channel_call(t, argp, true);
	case MXCHAN_IOC_SIGNAL_FD:
		return mxc_ioctl_signal_fd(t, argp);
	case MXCHAN_IOC_EVENTPAIR_CREATE:
		return mxc_ioctl_create(t, argp, &mxc_eventpair_creator);
	case MXCHAN_IOC_PORT_CREATE:
		return mxc_ioctl_create(t, argp, &mxc_port_creator);
	case MXCHAN_IOC_PORT_QUEUE:
		return mxc_ioctl_port_queue(t, argp);
	case MXCHAN_IOC_PORT_WAIT:
		return mxc_ioctl_port_wait(t, argp);
	case MXCHAN_IOC_PORT_CANCEL:
		return mxc_ioctl_port_cancel(t, argp);
	case MXCHAN_IOC_OBJECT_WAIT_ASYNC:
		return mxc_ioctl_object_wait_async(t, argp);
	case MXCHAN_IOC_CHANNEL_REPLY_READ:
		return mxc_ioctl_channel_reply_read(t, argp);
	case MXCHAN_IOC_FIFO_CREATE:
		return mxc_ioctl_fifo_create(t, argp);
	case MXCHAN_IOC_FIFO_WRITE:
		return mxc_ioctl_fifo_io(t, argp, true);
	case MXCHAN_IOC_FIFO_READ:
		return mxc_ioctl_fifo_io(t, argp, false);
	case MXCHAN_IOC_SOCKET_CREATE:
		return mxc_ioctl_socket_create(t, argp);
	case MXCHAN_IOC_SOCKET_WRITE:
		return mxc_ioctl_socket_io(t, argp, true);
	case MXCHAN_IOC_SOCKET_READ:
		return mxc_ioctl_socket_io(t, argp, false);
	case MXCHAN_IOC_VMO_CREATE:
		return mxc_ioctl_vmo_create(t, argp);
	case MXCHAN_IOC_VMO_READ:
		return mxc_ioctl_vmo_io(t, argp, false);
	case MXCHAN_IOC_VMO_WRITE:
		return mxc_ioctl_vmo_io(t, argp, true);
	case MXCHAN_IOC_VMO_GET_SIZE:
		return mxc_ioctl_vmo_size(t, argp, false);
	case MXCHAN_IOC_VMO_SET_SIZE:
		return mxc_ioctl_vmo_size(t, argp, true);
	case MXCHAN_IOC_VMO_OP_RANGE:
		return mxc_ioctl_vmo_op_range(t, argp);
	case MXCHAN_IOC_VMO_CLONE:
		return mxc_ioctl_vmo_clone(t, argp);
	case MXCHAN_IOC_VMO_CACHE_POLICY:
		return mxc_ioctl_vmo_cache_policy(t, argp);
	case MXCHAN_IOC_VMAR_ROOT:
		return mxc_ioctl_vmar_root(t, argp);
	case MXCHAN_IOC_VMAR_MAP:
		return mxc_ioctl_vmar_map(t, file, argp);
	case MXCHAN_IOC_OBJECT_GET_PROPERTY:
		return mxc_ioctl_object_property(t, argp, false);
	case MXCHAN_IOC_OBJECT_SET_PROPERTY:
		return mxc_ioctl_object_property(t, argp, true);
	case MXCHAN_IOC_TIMER_CREATE:
		return mxc_ioctl_timer_create(t, argp);
	case MXCHAN_IOC_TIMER_SET:
		return mxc_ioctl_timer(t, argp, true);
	case MXCHAN_IOC_TIMER_CANCEL:
		return mxc_ioctl_timer(t, argp, false);
	case MXCHAN_IOC_OBJECT_SET_COOKIE:
		return mxc_ioctl_object_cookie(t, argp, true);
	case MXCHAN_IOC_OBJECT_GET_COOKIE:
		return mxc_ioctl_object_cookie(t, argp, false);
	case MXCHAN_IOC_VERSION:
		return mxc_ioctl_version(argp);
	}
	return -ENOTTY;
}

/*
 * The structs are the same for 32-bit callers; only pointers need
 * compat_ptr(): the argument here, the ones inside the structs through
 * mxc_uptr(). HANDLE_CLOSE carries a handle value, passed untouched.
 */
long mxc_compat_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	if (cmd == MXCHAN_IOC_HANDLE_CLOSE)
		return mxc_ioctl(file, cmd, arg);
	return mxc_ioctl(file, cmd, (unsigned long)compat_ptr(arg));
}

/* The ABI: the same sizes for every caller, 64-bit or not. */
static_assert(sizeof(struct mxchan_version) == 16);
static_assert(sizeof(struct mxchan_channel_create) == 24);
static_assert(sizeof(struct mxchan_event_create) == 16);
static_assert(sizeof(struct mxchan_channel_write) == 32);
static_assert(sizeof(struct mxchan_channel_read) == 48);
static_assert(sizeof(struct mxchan_handle_rights) == 16);
static_assert(sizeof(struct mxchan_object_get_info) == 40);
static_assert(sizeof(struct mxchan_info_handle_basic) == 32);
static_assert(sizeof(struct mxchan_handle_move) == 40);
static_assert(sizeof(struct mxchan_startup_take) == 8);
static_assert(sizeof(struct mxchan_object_wait_one) == 24);
static_assert(sizeof(struct mxchan_wait_item) == 12);
static_assert(sizeof(struct mxchan_object_wait_many) == 24);
static_assert(sizeof(struct mxchan_object_signal) == 16);
static_assert(sizeof(struct mxchan_eventpair_create) == 24);
static_assert(sizeof(struct mxchan_call_args) == 48);
static_assert(sizeof(struct mxchan_channel_call) == 56);
static_assert(sizeof(struct mxchan_signal_fd) == 16);
static_assert(sizeof(struct mxchan_port_packet) == 48);
static_assert(sizeof(struct mxchan_port_create) == 16);
static_assert(sizeof(struct mxchan_port_queue) == 24);
static_assert(sizeof(struct mxchan_port_wait) == 32);
static_assert(sizeof(struct mxchan_port_cancel) == 16);
static_assert(sizeof(struct mxchan_object_wait_async) == 24);
static_assert(sizeof(struct mxchan_channel_reply_read) == 88);
static_assert(sizeof(struct mxchan_fifo_create) == 32);
static_assert(sizeof(struct mxchan_fifo_io) == 32);
static_assert(sizeof(struct mxchan_socket_create) == 24);
static_assert(sizeof(struct mxchan_socket_io) == 32);
static_assert(sizeof(struct mxchan_vmo_create) == 24);
static_assert(sizeof(struct mxchan_vmo_io) == 40);
static_assert(sizeof(struct mxchan_vmo_size) == 24);
static_assert(sizeof(struct mxchan_vmo_op_range) == 40);
static_assert(sizeof(struct mxchan_vmo_clone) == 32);
static_assert(sizeof(struct mxchan_vmo_cache_policy) == 8);
static_assert(sizeof(struct mxchan_vmar_root) == 8);
static_assert(sizeof(struct mxchan_vmar_map) == 48);
static_assert(sizeof(struct mxchan_info_vmar) == 16);
static_assert(sizeof(struct mxchan_object_property) == 24);
static_assert(sizeof(struct mxchan_timer_create) == 16);
static_assert(sizeof(struct mxchan_timer_set) == 24);
static_assert(sizeof(struct mxchan_timer_cancel) == 8);
static_assert(sizeof(struct mxchan_object_cookie) == 16);
static_assert(offsetof(struct mxchan_timer_set, reserved) ==
	      offsetof(struct mxchan_timer_cancel, reserved));
