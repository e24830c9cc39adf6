// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs: /sys/kernel/debug/mxchan/counters, the live objects, handles,
 * messages, port user packets and async waits of the whole module.
 * Every one is back to zero when no table is open and nothing is left in
 * flight.
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

void mxc_debugfs_init(void)
{
	mxc_debugfs_dir = debugfs_create_dir("mxchan", NULL);
	debugfs_create_file("counters", 0444, mxc_debugfs_dir, NULL,
			    &mxc_counters_fops);
}

void mxc_debugfs_exit(void)
{
	debugfs_remove_recursive(mxc_debugfs_dir);
}
