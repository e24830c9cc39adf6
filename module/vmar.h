/* SPDX-License-Identifier: GPL-2.0 */
/* Root VMARs and vmar_map (vmar.c). */
#ifndef _MXC_VMAR_H
#define _MXC_VMAR_H

#include "object.h"

struct file;
struct vm_area_struct;

int mxc_vmar_create(struct mxc_handle **hp);
void mxc_vmar_range(u64 *base, u64 *len);
int mxc_vmar_mmap(struct file *file, struct vm_area_struct *vma);
int mxc_vmar_map(struct file *table, u32 vmar_rights, struct mxc_object *vmo,
		 u32 vmo_rights, const struct mxchan_vmar_map *a,
		 unsigned long *addr);
void mxc_vmar_unmap(unsigned long addr, u64 len);

#endif /* _MXC_VMAR_H */
