// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs, under /sys/kernel/debug/mxchan/:
 *   counters  the live objects, handles, messages, port user packets and
 *             async waits of the whole module. Every one is back to zero
 *             when no table is open and nothing is left in flight.
 *   gc        reading it first waits for the cycle collector to finish
 *             the work queued so far, then shows what it did since load:
 *             passes, rings destroyed, their members, endpoints walked,
 *             and how often a user at a limit waited for it.
 */

#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "mxchan.h"

static struct dentry *mxc_debugfs_dir;

static int mxc_counters_show(struct seq_file *m, void *unused)
{
	long objects, handles, messages, packets, waits;

	mxc_object_stats(&objects, &handles, &messages);
	mxc_port_stats(&packets, &waits);
	seq_printf(m, "objects %ld\nhandles %ld\nmessages %ld\npackets %ld\nasync_waits %ld\n",
		   objects, handles, messages, packets, waits);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mxc_counters);

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

void mxc_debugfs_init(void)
{
	mxc_debugfs_dir = debugfs_create_dir("mxchan", NULL);
	debugfs_create_file("counters", 0444, mxc_debugfs_dir, NULL,
			    &mxc_counters_fops);
	debugfs_create_file("gc", 0444, mxc_debugfs_dir, NULL, &mxc_gc_fops);
}

void mxc_debugfs_exit(void)
{
	debugfs_remove_recursive(mxc_debugfs_dir);
}
