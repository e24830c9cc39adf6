// SPDX-License-Identifier: GPL-2.0
/*
 * Signal fds: a file that poll, select and epoll report readable while
 * any of chosen signals is set on an object, so a Magenta object can sit
 * in an ordinary Linux event loop.
 *
 * The file holds a reference on the object, not a handle: it does not
 * keep a channel's peer from seeing PEER_CLOSED. It hooks a wait entry on
 * the object's wait queue, at its head: before a port's exclusive packet
 * waiters, so every wake reaches it. A signal change that sets a chosen
 * signal wakes the file's own wait queue, whose lock nests inside the
 * object's. It counts as a wait on the object (max_object_waits) and of
 * its maker's user (max_user_waits), since every signal change walks it.
 */

#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/poll.h>
#include <linux/slab.h>

#include "compat.h"
#include "param.h"
#include "sigfd.h"
#include "user.h"

struct mxc_sigfd {
	struct wait_queue_entry wqe;	/* on obj->wq */
	wait_queue_head_t wq;		/* pollers of the file */
	struct mxc_object *obj;		/* a ref */
	struct mxc_user *user;		/* charged for it; a ref */
	u32 signals;
};

static int mxc_sigfd_wake(struct wait_queue_entry *wqe, unsigned int mode,
			  int sync, void *key)
{
	struct mxc_sigfd *sf = container_of(wqe, struct mxc_sigfd, wqe);

	if ((__force u32)key_to_poll(key) & sf->signals)
		wake_up_poll(&sf->wq, EPOLLIN | EPOLLRDNORM);
	return 0;
}

static __poll_t mxc_sigfd_poll(struct file *file, poll_table *pt)
{
	struct mxc_sigfd *sf = file->private_data;
	u32 signals;

	poll_wait(file, &sf->wq, pt);
	spin_lock(&sf->obj->wq.lock);
	signals = sf->obj->signals;
	spin_unlock(&sf->obj->wq.lock);
	return signals & sf->signals ? EPOLLIN | EPOLLRDNORM : 0;
}

static int mxc_sigfd_release(struct inode *inode, struct file *file)
{
	struct mxc_sigfd *sf = file->private_data;

	spin_lock(&sf->obj->wq.lock);
	__remove_wait_queue(&sf->obj->wq, &sf->wqe);
	mxc_object_del_wait_locked(sf->obj);
	spin_unlock(&sf->obj->wq.lock);
	mxc_user_uncharge_waits(sf->user);
	mxc_user_put(sf->user);
	mxc_object_put(sf->obj);
	kfree(sf);
	return 0;
}

static const struct file_operations mxc_sigfd_fops = {
	.owner = THIS_MODULE,
	.poll = mxc_sigfd_poll,
	.release = mxc_sigfd_release,
	.llseek = noop_llseek,
};

/*
 * A new close-on-exec signal fd for the object of @value (READ needed).
 * The fd number is written to @ufd before it is installed, so a fault
 * leaves no fd behind. EMFILE (NO_RESOURCES) if the object has
 * max_object_waits waits, or the user max_user_waits.
 */
int mxc_sigfd_create(struct mxc_table *t, u32 value, u32 signals,
		     int __user *ufd)
{
	struct mxc_user *u = READ_ONCE(t->user);
	struct mxc_sigfd *sf;
	struct mxc_object *obj;
	struct file *file;
	int fd, ret;

	ret = mxc_table_get(t, value, MXCHAN_RIGHT_READ, 0, &obj, NULL);
	if (ret)
		return ret;
	sf = kzalloc(sizeof(*sf), GFP_KERNEL_ACCOUNT);
	if (!sf) {
		ret = -ENOMEM;
		goto err_put;
	}
	ret = mxc_user_charge_waits(u);
	if (ret)
		goto err_sf;
	ret = mxc_object_add_wait(obj);
	if (ret)
		goto err_user;
	init_waitqueue_head(&sf->wq);
	init_waitqueue_func_entry(&sf->wqe, mxc_sigfd_wake);
	sf->obj = obj;
	mxc_user_hold(u);
	sf->user = u;
	sf->signals = signals;
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		ret = fd == -EMFILE ? -EMFILE : -ENOMEM;
		goto err_wait;
	}
	file = anon_inode_getfile("[mxchan-signals]", &mxc_sigfd_fops, sf,
				  O_RDONLY);
	if (IS_ERR(file)) {
		ret = -ENOMEM;
		goto err_fd;
	}
	if (put_user(fd, ufd)) {
		/* the file's release undoes the rest */
		put_unused_fd(fd);
		spin_lock(&obj->wq.lock);
		__add_wait_queue(&obj->wq, &sf->wqe);
		spin_unlock(&obj->wq.lock);
		fput(file);
		return -EINVAL;
	}
	spin_lock(&obj->wq.lock);
	__add_wait_queue(&obj->wq, &sf->wqe);
	spin_unlock(&obj->wq.lock);
	fd_install(fd, file);
	return 0;

err_fd:
	put_unused_fd(fd);
err_wait:
	mxc_user_put(u);
	spin_lock(&obj->wq.lock);
	mxc_object_del_wait_locked(obj);
	spin_unlock(&obj->wq.lock);
err_user:
	mxc_user_uncharge_waits(u);
err_sf:
	kfree(sf);
err_put:
	mxc_object_put(obj);
	return ret;
}
