/* SPDX-License-Identifier: GPL-2.0 */
/* FIFOs (fifo.c). */
#ifndef _MXC_FIFO_H
#define _MXC_FIFO_H

#include "object.h"

bool mxc_fifo_size_ok(u32 count, u32 size);
int mxc_fifo_create(u32 count, u32 size, struct mxc_handle **h0,
		    struct mxc_handle **h1);
int mxc_fifo_write(struct mxc_object *obj, const void __user *data, u64 len,
		   u32 *moved);
int mxc_fifo_read(struct mxc_object *obj, void __user *data, u64 len,
		  u32 *moved);

#endif /* _MXC_FIFO_H */
