/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints, in the trace system "mxchan" (events/mxchan/ in tracefs;
 * perf and trace-cmd name them mxchan:mxchan_write and so on). A table is
 * named by its id (fdinfo's mxchan-table, debugfs's tables/ID), an object
 * by its koid; table 0 is a message, the place a handle is while it
 * travels. Each event is emitted by the step it describes, after it
 * succeeded unless it carries a status (ret, a negative errno or 0).
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM mxchan

#if !defined(_MXCHAN_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _MXCHAN_TRACE_H

#include <linux/tracepoint.h>

#include "table.h"

#define mxc_show_type(type)						\
	__print_symbolic(type,						\
			 { MXCHAN_OBJ_TYPE_CHANNEL, "channel" },	\
			 { MXCHAN_OBJ_TYPE_EVENT, "event" },		\
			 { MXCHAN_OBJ_TYPE_PORT, "port" },		\
			 { MXCHAN_OBJ_TYPE_EVENT_PAIR, "eventpair" },	\
			 { MXCHAN_OBJ_TYPE_FIFO, "fifo" },		\
			 { MXCHAN_OBJ_TYPE_SOCKET, "socket" },		\
			 { MXCHAN_OBJ_TYPE_VMO, "vmo" },		\
			 { MXCHAN_OBJ_TYPE_VMAR, "vmar" },		\
			 { MXCHAN_OBJ_TYPE_TIMER, "timer" })

/* A new object's handle, in the table that created it. */
TRACE_EVENT(mxchan_create,
	    TP_PROTO(const struct mxc_table *t, u32 value,
		     const struct mxc_handle *h),
	    TP_ARGS(t, value, h),
	    TP_STRUCT__entry(__field(u64, table)
			     __field(u64, koid)
			     __field(u32, handle)
			     __field(u32, type)
			     __field(u32, rights)),
	    TP_fast_assign(__entry->table = t->id;
			   __entry->koid = h->obj->koid;
			   __entry->handle = value;
			   __entry->type = h->obj->ops->type;
			   __entry->rights = h->rights;),
	    TP_printk("table=%llu handle=0x%08x koid=%llu type=%s rights=0x%x",
		      __entry->table, __entry->handle, __entry->koid,
		      mxc_show_type(__entry->type), __entry->rights)
);

/* A message written on endpoint koid, for its peer; ret 0 if queued. */
TRACE_EVENT(mxchan_write,
	    TP_PROTO(const struct mxc_table *t, u64 koid, u64 peer, u32 bytes,
		     u32 handles, int ret),
	    TP_ARGS(t, koid, peer, bytes, handles, ret),
	    TP_STRUCT__entry(__field(u64, table)
			     __field(u64, koid)
			     __field(u64, peer)
			     __field(u32, bytes)
			     __field(u32, handles)
			     __field(int, ret)),
	    TP_fast_assign(__entry->table = t->id;
			   __entry->koid = koid;
			   __entry->peer = peer;
			   __entry->bytes = bytes;
			   __entry->handles = handles;
			   __entry->ret = ret;),
	    TP_printk("table=%llu koid=%llu peer=%llu bytes=%u handles=%u ret=%d",
		      __entry->table, __entry->koid, __entry->peer,
		      __entry->bytes, __entry->handles, __entry->ret)
);

/*
 * A message taken off endpoint koid's queue: ret 0 delivered, -EMSGSIZE
 * too big (discarded with MAY_DISCARD, else left queued), other errors
 * left it queued.
 */
TRACE_EVENT(mxchan_read,
	    TP_PROTO(const struct mxc_table *t, u64 koid, u32 bytes, u32 handles,
		     int ret),
	    TP_ARGS(t, koid, bytes, handles, ret),
	    TP_STRUCT__entry(__field(u64, table)
			     __field(u64, koid)
			     __field(u32, bytes)
			     __field(u32, handles)
			     __field(int, ret)),
	    TP_fast_assign(__entry->table = t->id;
			   __entry->koid = koid;
			   __entry->bytes = bytes;
			   __entry->handles = handles;
			   __entry->ret = ret;),
	    TP_printk("table=%llu koid=%llu bytes=%u handles=%u ret=%d",
		      __entry->table, __entry->koid, __entry->bytes,
		      __entry->handles, __entry->ret)
);

/*
 * A handle moving: from a table into a message queued at endpoint via
 * (to=0), out of a message read at via into a table (from=0), or between
 * two tables (via=0). handle is its value in the table it leaves or
 * enters.
 */
TRACE_EVENT(mxchan_transfer,
	    TP_PROTO(u64 from, u64 to, u64 via, u32 value,
		     const struct mxc_handle *h),
	    TP_ARGS(from, to, via, value, h),
	    TP_STRUCT__entry(__field(u64, from)
			     __field(u64, to)
			     __field(u64, via)
			     __field(u64, koid)
			     __field(u32, handle)
			     __field(u32, type)
			     __field(u32, rights)),
	    TP_fast_assign(__entry->from = from;
			   __entry->to = to;
			   __entry->via = via;
			   __entry->koid = h->obj->koid;
			   __entry->handle = value;
			   __entry->type = h->obj->ops->type;
			   __entry->rights = h->rights;),
	    TP_printk("from=%llu to=%llu via=%llu handle=0x%08x koid=%llu type=%s rights=0x%x",
		      __entry->from, __entry->to, __entry->via, __entry->handle,
		      __entry->koid, mxc_show_type(__entry->type), __entry->rights)
);

/* A handle closed by handle_close; the object may live on. */
TRACE_EVENT(mxchan_close,
	    TP_PROTO(const struct mxc_table *t, u32 value,
		     const struct mxc_handle *h),
	    TP_ARGS(t, value, h),
	    TP_STRUCT__entry(__field(u64, table)
			     __field(u64, koid)
			     __field(u32, handle)
			     __field(u32, type)),
	    TP_fast_assign(__entry->table = t->id;
			   __entry->koid = h->obj->koid;
			   __entry->handle = value;
			   __entry->type = h->obj->ops->type;),
	    TP_printk("table=%llu handle=0x%08x koid=%llu type=%s",
		      __entry->table, __entry->handle, __entry->koid,
		      mxc_show_type(__entry->type))
);

#endif /* _MXCHAN_TRACE_H */

/* This part must be outside the include guard. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
