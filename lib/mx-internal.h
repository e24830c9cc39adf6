/* SPDX-License-Identifier: MIT */
/* libmx internals, shared with the selftests; not installed. */
#ifndef MX_INTERNAL_H
#define MX_INTERNAL_H

#include <magenta/types.h>

#define MX_EXPORT __attribute__((visibility("default")))

/* The one-to-one map of <linux/mxchan-errno.h>, both ways. */
mx_status_t mxchan_status_from_errno(int err);
int mxchan_errno_from_status(mx_status_t status);

/* The process's table: /dev/mxchan, opened on first use. -1 if it cannot be. */
int mxchan_table_fd(void);

#endif
