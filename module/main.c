// SPDX-License-Identifier: GPL-2.0
/*
 * mxchan: Magenta channels and handles for Linux.
 *
 * /dev/mxchan: every open file is a handle table; the ioctls in
 * <linux/mxchan.h> act on it (ioctl.c). This file holds the module's
 * limits, the device, a table's opening and closing, and the module's
 * lifetime. docs/ARCHITECTURE.md maps the rest.
 */

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>

#include "async.h"
#include "call.h"
#include "debugfs.h"
#include "gc.h"
#include "ioctl.h"
#include "message.h"
#include "param.h"
#include "port.h"
#include "table.h"
#include "user.h"
#include "vmar.h"
#include "wait.h"

/*
 * Limits: readers use READ_ONCE(); a limit is at least 1, and at most
 * INT_MAX, so that the budgets' arithmetic in a long holds on 32-bit too.
 */
static int mxc_param_set_limit(const char *val, const struct kernel_param *kp)
{
	unsigned int n;
	int ret = kstrtouint(val, 0, &n);

	if (ret)
		return ret;
	if (n < 1 || n > INT_MAX)
		return -EINVAL;
	WRITE_ONCE(*(unsigned int *)kp->arg, n);
	return 0;
}

static const struct kernel_param_ops mxc_limit_ops = {
	.set = mxc_param_set_limit,
	.get = param_get_uint,
};

/* A table has at most MXC_MAX_SLOTS slots. */
static int mxc_param_set_max_handles(const char *val,
				     const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, MXC_MAX_SLOTS);
}

static const struct kernel_param_ops mxc_max_handles_ops = {
	.set = mxc_param_set_max_handles,
	.get = param_get_uint,
};

unsigned int mxc_max_handles = MXC_MAX_SLOTS;
module_param_cb(max_handles, &mxc_max_handles_ops, &mxc_max_handles, 0644);
MODULE_PARM_DESC(max_handles, "Most handles one table may hold (default 2097152, also the largest allowed)");

unsigned int mxc_max_queued = 16384;
module_param_cb(max_queued, &mxc_limit_ops, &mxc_max_queued, 0644);
MODULE_PARM_DESC(max_queued, "Most messages queued to one endpoint (default 16384)");

unsigned int mxc_max_user_handles = 1U << 20;
module_param_cb(max_user_handles, &mxc_limit_ops, &mxc_max_user_handles, 0644);
MODULE_PARM_DESC(max_user_handles, "Most handles in the tables one user's processes use (default 1048576)");

unsigned int mxc_max_user_inflight = 1U << 20;
module_param_cb(max_user_inflight, &mxc_limit_ops, &mxc_max_user_inflight,
		0644);
MODULE_PARM_DESC(max_user_inflight, "Most handles in messages queued to one user's channel ends (default 1048576)");

unsigned int mxc_max_user_bytes = 256U << 20;
module_param_cb(max_user_bytes, &mxc_limit_ops, &mxc_max_user_bytes, 0644);
MODULE_PARM_DESC(max_user_bytes, "Most bytes of messages queued to one user's channel ends (default 268435456)");

unsigned int mxc_max_user_waits = 1U << 18;
module_param_cb(max_user_waits, &mxc_limit_ops, &mxc_max_user_waits, 0644);
MODULE_PARM_DESC(max_user_waits, "Most async waits and signal fds one user may have (default 262144)");

unsigned int mxc_max_user_socket_pages = 16384;
module_param_cb(max_user_socket_pages, &mxc_limit_ops,
		&mxc_max_user_socket_pages, 0644);
MODULE_PARM_DESC(max_user_socket_pages, "Most pages of socket buffers the sockets one user made may hold (default 16384)");

unsigned int mxc_max_user_vmo_pages = 1U << 22;
module_param_cb(max_user_vmo_pages, &mxc_limit_ops, &mxc_max_user_vmo_pages,
		0644);
MODULE_PARM_DESC(max_user_vmo_pages, "Most pages the sizes of the VMOs one user made may add up to (default 4194304)");

unsigned int mxc_max_object_waits = 4096;
module_param_cb(max_object_waits, &mxc_limit_ops, &mxc_max_object_waits,
		0644);
MODULE_PARM_DESC(max_object_waits, "Most async waits and signal fds on one object (default 4096)");

unsigned int mxc_max_port_packets = 16384;
module_param_cb(max_port_packets, &mxc_limit_ops, &mxc_max_port_packets, 0644);
MODULE_PARM_DESC(max_port_packets, "Most user packets queued on one port (default 16384)");

unsigned int mxc_max_port_observers = 65536;
module_param_cb(max_port_observers, &mxc_limit_ops, &mxc_max_port_observers,
		0644);
MODULE_PARM_DESC(max_port_observers, "Most async waits alive on one port (default 65536)");

static int mxc_open(struct inode *inode, struct file *file)
{
	struct mxc_table *t = mxc_table_create();

	if (!t)
		return -ENOMEM;
	if (mxc_calls_init(t)) {
		mxc_calls_destroy(t);
		mxc_table_destroy(t);
		return -ENOMEM;
	}
	mxc_table_opened(t);
	file->private_data = t;
	return nonseekable_open(inode, file);
}

/* Its parked calls go first: the table frees itself. */
static int mxc_release(struct inode *inode, struct file *file)
{
	struct mxc_table *t = file->private_data;

	mxc_table_closed(t);
	mxc_calls_destroy(t);
	mxc_table_destroy(t);
	return 0;
}

static void mxc_fdinfo(struct seq_file *m, struct file *file)
{
	mxc_show_fdinfo(m, file->private_data);
}

static const struct file_operations mxc_fops = {
	.owner = THIS_MODULE,
	.open = mxc_open,
	.release = mxc_release,
	.show_fdinfo = mxc_fdinfo,
	.unlocked_ioctl = mxc_ioctl,
	.compat_ioctl = mxc_compat_ioctl,
	.mmap = mxc_vmar_mmap,
};

static struct miscdevice mxc_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "mxchan",
	.fops = &mxc_fops,
	.mode = 0666,
};

static int __init mxc_init(void)
{
	int ret;

	ret = mxc_table_cache_init();
	if (ret)
		return ret;
	mxc_wait_init();
	mxc_async_init();
	ret = mxc_object_cache_init();
	if (ret)
		goto err_table;
	ret = mxc_gc_init();
	if (ret)
		goto err_object;
	mxc_debugfs_init();
	ret = misc_register(&mxc_misc);
	if (ret)
		goto err_debugfs;
	return 0;

err_debugfs:
	mxc_debugfs_exit();
	mxc_gc_exit();
err_object:
	mxc_object_cache_exit();
err_table:
	mxc_table_cache_exit();
	return ret;
}

static void __exit mxc_exit(void)
{
	long objects, handles, messages, packets, waits;

	misc_deregister(&mxc_misc);
	mxc_debugfs_exit();
	mxc_gc_exit();
	mxc_object_stats(&objects, &handles, &messages);
	packets = mxc_port_packets();
	waits = mxc_async_waits();
	if (objects || handles || messages || packets || waits)
		pr_err("mxchan: leaked %ld objects, %ld handles, %ld messages, %ld packets, %ld async waits\n",
		       objects, handles, messages, packets, waits);
	if (!mxc_user_none_left())
		pr_err("mxchan: leaked users\n");
	mxc_object_cache_exit();
	mxc_table_cache_exit();
}

module_init(mxc_init);
module_exit(mxc_exit);

MODULE_DESCRIPTION("Magenta channels and handles");
MODULE_LICENSE("GPL");
