/* SPDX-License-Identifier: GPL-2.0 */
/* The differences between the kernels mxchan builds against (6.1, 6.12). */
#ifndef _MXCHAN_COMPAT_H
#define _MXCHAN_COMPAT_H

#include <linux/file.h>

/* 6.12 made struct fd opaque behind fd_file(); 6.1 has the field. */
#ifndef fd_file
#define fd_file(f) ((f).file)
#endif

#endif /* _MXCHAN_COMPAT_H */
