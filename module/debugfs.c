// SPDX-License-Identifier: GPL-2.0
/*
 * What the module shows of itself: debugfs, under /sys/kernel/debug/mxchan/,
 * and each table file's /proc/PID/fdinfo/FD.
 *
 *   counters  the live objects, handles, messages, port user packets and
 *             async waits of the whole module. Every one is back to zero
 *             when no table is open and nothing is left in flight.
 *   objects   per object type (and for tables), how many were created and
 *             destroyed since load: "channel created 12 destroyed 10".
 *             A channel counts as its two endpoints, an event pair as its
 *             two sides.
 *   gc        reading it first waits for the cycle collector to finish
 *             the work queued so far, then shows what it did since load:
 *             passes, rings destroyed, their members, endpoints walked,
 *             and how often a user at a limit waited for it.
 *   users     what each user known to the module is charged for (user.c):
 *             "uid U handles H inflight I bytes B waits W".
 *   tables/ID/  one directory per open table (ID as in fdinfo's
 *             mxchan-table), gone when the table closes:
 *     owner     "pid P comm C": who opened it (init pid namespace);
 *     handles   a line per handle: value, type, koid, rights and the
 *               related koid (a channel's or event pair's peer, else 0);
 *     channels  a line per channel handle: its endpoint's koid and
 *               peer, what is queued to be read here (in) and at the
 *               peer (out) in messages, bytes and handles, and whether
 *               the peer closed.
 *     inflight  a line per handle carried by a message queued to be read
 *               at one of the table's channel ends: the end's handle and
 *               koid, then the carried object's type, koid and related
 *               koid ("handle 0x... koid K carries type T koid C related
 *               R"), the reader's message first, then the queue in order;
 *               after MXC_INFLIGHT_WORK messages and handles of one
 *               queue, "handle 0x... koid K carries more" ends its list.
 *
 * fdinfo adds mxchan-table (the ID), mxchan-handles (slots in use, and
 * reserved ones), the handles file's lines, as "mxchan-handle:" lines,
 * then the channels file's lines, as "mxchan-channel:" lines, for the
 * first MXC_FDINFO_HANDLES handles: a user who may read the process's
 * fds sees its queues without debugfs.
 *
 * A table's directory goes before the table is torn down: removing it
 * waits for readers inside its files, so they never see a table die.
 *
 * Every file is root's alone (0400), whatever mode debugfs is mounted
 * with: they name other users' processes and objects, and reading gc
 * runs the collector.
 */

#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "async.h"
#include "channel.h"
#include "debugfs.h"
#include "gc.h"
#include "message.h"
#include "port.h"
#include "user.h"

static struct dentry *mxc_debugfs_dir;
static struct dentry *mxc_debugfs_tables;
static atomic64_t mxc_tables_opened = ATOMIC64_INIT(0);
static atomic64_t mxc_tables_closed = ATOMIC64_INIT(0);

static int mxc_counters_show(struct seq_file *m, void *unused)
{
	long objects, handles, messages, packets, waits;

	mxc_object_stats(&objects, &handles, &messages);
	packets = mxc_port_packets();
	waits = mxc_async_waits();
	seq_printf(m, "objects %ld\nhandles %ld\nmessages %ld\npackets %ld\nasync_waits %ld\n",
		   objects, handles, messages, packets, waits);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mxc_counters);

static int mxc_objects_show(struct seq_file *m, void *unused)
{
	long created, destroyed;
	unsigned int kind;

	for (kind = 0; kind < MXC_NR_KINDS; kind++) {
		mxc_object_type_stats(kind, &created, &destroyed);
		seq_printf(m, "%s created %ld destroyed %ld\n",
			   mxc_kind_name(kind), created, destroyed);
	}
	seq_printf(m, "table created %lld destroyed %lld\n",
		   (long long)atomic64_read(&mxc_tables_opened),
		   (long long)atomic64_read(&mxc_tables_closed));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mxc_objects);

static int mxc_gc_show(struct seq_file *m, void *unused)
{
	struct mxc_gc_stats st;

	mxc_gc_settle(64);
	mxc_gc_stats(&st);
	seq_printf(m, "passes %ld\nrings %ld\nmembers %ld\nvisited %ld\nwaits %ld\n",
		   st.passes, st.rings, st.members, st.visited, st.waits);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mxc_gc);

static int mxc_users_show(struct seq_file *m, void *unused)
{
	mxc_user_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mxc_users);

/* fdinfo lists this many handles at most; debugfs lists them all. */
#define MXC_FDINFO_HANDLES	256

/* A handle's line, in a table's handles file and in fdinfo. */
struct mxc_handle_lines {
	struct seq_file *m;
	const char *prefix;
	unsigned int left;
};

static unsigned int mxc_handle_line(void *arg, u32 value,
				    struct mxc_handle *h)
{
	struct mxc_handle_lines *l = arg;
	struct mxc_object *obj = h->obj;

	if (!l->left--)
		return MXC_WALK_STOP;
	seq_printf(l->m, "%s0x%08x type %s koid %llu rights 0x%08x related %llu\n",
		   l->prefix, value, mxc_type_name(obj->ops->type), obj->koid,
		   h->rights, obj->ops->related_koid(obj));
	return 1;
}

static int mxc_handles_show(struct seq_file *m, void *unused)
{
	struct mxc_handle_lines l = {
		.m = m, .prefix = "handle ", .left = UINT_MAX,
	};

	mxc_table_walk(m->private, mxc_handle_line, &l);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mxc_handles);

/*
 * Under the table lock, which may be held while taking a channel lock:
 * the channel's counts, read in constant time (mxc_channel_stats()).
 */
static unsigned int mxc_channel_line(void *arg, u32 value,
				     struct mxc_handle *h)
{
	struct mxc_handle_lines *l = arg;
	struct mxc_queue_stats in, out;
	struct mxc_object *obj = h->obj;
	bool closed;

	if (!l->left--)
		return MXC_WALK_STOP;
	if (obj->ops->type != MXCHAN_OBJ_TYPE_CHANNEL)
		return 1;
	mxc_channel_stats(obj, &in, &out, &closed);	/* counts, no walk */
	seq_printf(l->m, "%s0x%08x koid %llu peer %llu in %u bytes %llu handles %u out %u bytes %llu handles %u peer_closed %d\n",
		   l->prefix, value, obj->koid, obj->ops->related_koid(obj),
		   in.messages, in.bytes, in.handles,
		   out.messages, out.bytes, out.handles, closed);
	return 1;
}

static int mxc_channels_show(struct seq_file *m, void *unused)
{
	struct mxc_handle_lines l = {
		.m = m, .prefix = "handle ", .left = UINT_MAX,
	};

	mxc_table_walk(m->private, mxc_channel_line, &l);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mxc_channels);

/* inflight walks this many messages and handles of a queue at most */
#define MXC_INFLIGHT_WORK	4096

/* The end whose queue is walked, for each handle a message there carries. */
struct mxc_carried_line {
	struct seq_file *m;
	u32 value;
	u64 koid;
};

/*
 * Under the channel lock (mxc_channel_carried()): prints, nothing more,
 * and stops the walk once the buffer is full (seq_file then retries
 * with a larger one).
 */
static bool mxc_carried_line(void *arg, struct mxc_handle *h)
{
	struct mxc_carried_line *c = arg;
	struct mxc_object *obj = h->obj;

	seq_printf(c->m, "handle 0x%08x koid %llu carries type %s koid %llu related %llu\n",
		   c->value, c->koid, mxc_type_name(obj->ops->type),
		   obj->koid, obj->ops->related_koid(obj));
	return !seq_has_overflowed(c->m);
}

/*
 * Under the table lock, as mxc_channel_line(). One end's walk stops after
 * MXC_INFLIGHT_WORK messages and handles, with a last line that says so:
 * the channel lock is held that long at most. The work ends a batch.
 */
static unsigned int mxc_inflight_line(void *arg, u32 value,
				      struct mxc_handle *h)
{
	struct mxc_carried_line c = {
		.m = arg, .value = value, .koid = h->obj->koid,
	};
	unsigned int work;
	bool cut;

	if (h->obj->ops->type != MXCHAN_OBJ_TYPE_CHANNEL)
		return 1;
	work = mxc_channel_carried(h->obj, mxc_carried_line, &c,
				   MXC_INFLIGHT_WORK, &cut);
	if (cut && !seq_has_overflowed(c.m))
		seq_printf(c.m, "handle 0x%08x koid %llu carries more\n",
			   value, c.koid);
	return 1 + work;
}

static int mxc_inflight_show(struct seq_file *m, void *unused)
{
	mxc_table_walk(m->private, mxc_inflight_line, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mxc_inflight);

static int mxc_owner_show(struct seq_file *m, void *unused)
{
	struct mxc_table *t = m->private;

	seq_printf(m, "pid %d comm %s\n", t->pid, t->comm);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mxc_owner);

/* A new table: its id, its owner, its directory (if debugfs is there). */
void mxc_table_opened(struct mxc_table *t)
{
	char name[24];

	t->id = atomic64_inc_return(&mxc_tables_opened);
	t->pid = task_tgid_nr(current);
	get_task_comm(t->comm, current);
	snprintf(name, sizeof(name), "%llu", t->id);
	t->debugfs = debugfs_create_dir(name, mxc_debugfs_tables);
	debugfs_create_file("owner", 0400, t->debugfs, t, &mxc_owner_fops);
	debugfs_create_file("handles", 0400, t->debugfs, t, &mxc_handles_fops);
	debugfs_create_file("channels", 0400, t->debugfs, t,
			    &mxc_channels_fops);
	debugfs_create_file("inflight", 0400, t->debugfs, t,
			    &mxc_inflight_fops);
}

/* Before the table is torn down: no file of it is being read after this. */
void mxc_table_closed(struct mxc_table *t)
{
	debugfs_remove(t->debugfs);
	atomic64_inc(&mxc_tables_closed);
}

/* Anyone who may read the process's fds reads this: kept short. */
void mxc_show_fdinfo(struct seq_file *m, struct mxc_table *t)
{
	struct mxc_handle_lines l = {
		.m = m, .prefix = "mxchan-handle:\t",
		.left = MXC_FDINFO_HANDLES,
	};
	struct mxc_handle_lines c = {
		.m = m, .prefix = "mxchan-channel:\t",
		.left = MXC_FDINFO_HANDLES,
	};

	seq_printf(m, "mxchan-table:\t%llu\n", t->id);
	seq_printf(m, "mxchan-handles:\t%u\n", READ_ONCE(t->used));
	mxc_table_walk(t, mxc_handle_line, &l);
	/* the channels among those handles, if the table did not change */
	mxc_table_walk(t, mxc_channel_line, &c);
}

void mxc_debugfs_init(void)
{
	mxc_debugfs_dir = debugfs_create_dir("mxchan", NULL);
	debugfs_create_file("counters", 0400, mxc_debugfs_dir, NULL,
			    &mxc_counters_fops);
	debugfs_create_file("objects", 0400, mxc_debugfs_dir, NULL,
			    &mxc_objects_fops);
	debugfs_create_file("gc", 0400, mxc_debugfs_dir, NULL, &mxc_gc_fops);
	debugfs_create_file("users", 0400, mxc_debugfs_dir, NULL,
			    &mxc_users_fops);
	mxc_debugfs_tables = debugfs_create_dir("tables", mxc_debugfs_dir);
}

void mxc_debugfs_exit(void)
{
	debugfs_remove(mxc_debugfs_dir);
}
