/* SPDX-License-Identifier: MIT */
/* libmx internals, shared with the selftests; not installed. */
#ifndef MX_INTERNAL_H
#define MX_INTERNAL_H

#include <magenta/types.h>

#define MX_EXPORT __attribute__((visibility("default")))

/* The one-to-one map of <linux/mxchan-errno.h>, both ways. */
mx_status_t mxchan_status_from_errno(int err);
int mxchan_errno_from_status(mx_status_t status);

/* Names the inherited table's fd in a spawned program's environment. */
#define MXCHAN_TABLE_FD_ENV "MXCHAN_TABLE_FD"

/* The process's table: inherited or opened on first use; -1 if neither. */
int mxchan_table_fd(void);

/* One ioctl on the process's table, its errno mapped to a status. */
mx_status_t mxchan_ioctl(unsigned long cmd, unsigned long arg);
#define MX_IOCTL(cmd, argp) \
	mxchan_ioctl((cmd), (unsigned long)(uintptr_t)(argp))

/* Magenta exports every call twice: mx_foo and _mx_foo. */
#define MX_ALIAS(name) \
	extern __typeof(name) _##name MX_EXPORT __attribute__((alias(#name)))

#endif
