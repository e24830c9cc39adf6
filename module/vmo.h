/* SPDX-License-Identifier: GPL-2.0 */
/* VMOs (vmo.c). */
#ifndef _MXC_VMO_H
#define _MXC_VMO_H

#include "object.h"

struct file;

int mxc_vmo_create(struct mxc_user *u, u64 size, struct mxc_handle **hp);
int mxc_vmo_rw(struct mxc_object *obj, void __user *buf, u64 off, u64 len,
	       bool write, u64 *done);
u64 mxc_vmo_get_size(struct mxc_object *obj);
int mxc_vmo_set_size(struct mxc_object *obj, struct mxc_user *u, u64 size);
int mxc_vmo_op_range(struct mxc_object *obj, u32 op, u64 off, u64 len,
		     void __user *buf, u64 buf_size);
int mxc_vmo_clone(struct mxc_user *u, struct mxc_object *obj, u64 off,
		  u64 size, u32 rights, struct mxc_handle **hp);
struct file *mxc_vmo_map_file(struct mxc_object *obj);

#endif /* _MXC_VMO_H */
