/* SPDX-License-Identifier: GPL-2.0 */
/* The cycle collector (gc.c): rings of endpoints held in each other's queues. */
#ifndef _MXC_GC_H
#define _MXC_GC_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/llist.h>
#include <linux/seqlock.h>
#include <linux/types.h>

struct mxc_endpoint;
struct mxc_message;
struct mxc_table;

/*
 * An endpoint's part in cycle collection; the rules are at the top of
 * gc.c. An endpoint has exactly one handle: @holder is the endpoint whose
 * queue holds it inside a message, NULL anywhere else (a table, an ioctl,
 * a reader's or a call's hands, a reaper's list).
 */
struct mxc_gc_node {
	struct mxc_endpoint *holder;	/* written inside seq's write side */
	seqcount_t seq;			/* bumped by every change of holder */
	atomic_t readers;		/* channel_reads running on it */
	unsigned long flags;		/* MXC_GC_QUEUED: on the suspects */
	struct llist_node suspect;	/* on the list of suspects */
	/* the collector's own, under its mutex */
	struct list_head batch;		/* on the backlog, or a pass's batch */
	struct list_head path;		/* on the running walk */
	u64 pass;			/* last pass that walked it */
	unsigned int snap;		/* seq when its holder was read */
	bool on_path;
};

struct mxc_gc_stats {
	long passes;		/* passes run */
	long rings;		/* rings destroyed */
	long members;		/* their endpoints */
	long visited;		/* endpoints walked */
	long waits;		/* users at a limit who waited for a pass */
};

int mxc_gc_init(void);
void mxc_gc_exit(void);
bool mxc_gc_flush(bool at_limit);
void mxc_gc_backpressure(void);
void mxc_gc_settle(unsigned int passes);
void mxc_gc_stats(struct mxc_gc_stats *st);
int mxc_gc_table_reserve(struct mxc_table *t, u32 *values, unsigned int n);

/* an endpoint's part, from channel.c and call.c */
void mxc_gc_init_endpoint(struct mxc_endpoint *ep);
bool mxc_gc_queued_locked(struct mxc_endpoint *holder,
			  struct mxc_message *msg);
void mxc_gc_dequeued(struct mxc_message *msg);
void mxc_gc_reader_enter(struct mxc_endpoint *ep);
void mxc_gc_reader_exit(struct mxc_endpoint *ep);

#endif /* _MXC_GC_H */
