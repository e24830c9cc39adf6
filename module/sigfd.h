/* SPDX-License-Identifier: GPL-2.0 */
/* Signal fds (sigfd.c): an object's signals as a pollable file. */
#ifndef _MXC_SIGFD_H
#define _MXC_SIGFD_H

#include "table.h"

int mxc_sigfd_create(struct mxc_table *t, u32 value, u32 signals,
		     int __user *ufd);

#endif /* _MXC_SIGFD_H */
