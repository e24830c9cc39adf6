/* SPDX-License-Identifier: GPL-2.0 */
/* The ioctls of /dev/mxchan (ioctl.c), for the device's file operations. */
#ifndef _MXC_IOCTL_H
#define _MXC_IOCTL_H

struct file;

long mxc_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
long mxc_compat_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

#endif /* _MXC_IOCTL_H */
