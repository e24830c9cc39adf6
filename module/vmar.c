// SPDX-License-Identifier: GPL-2.0
/*
 * VMARs: Magenta's address regions, of which mxchan has the root one: an
 * object that stands for the address space of whoever maps through it.
 *
 * vmar_map is an mmap of the VMO's shmem file that the kernel makes for
 * the caller: vm_mmap() of the table's own file at a cookie offset,
 * whose .mmap (mxc_vmar_mmap()) finds the cookie, swaps in the VMO's
 * file and offset, takes away the access the handles do not grant (so
 * mprotect() cannot add it later) and lets shmem map it. The mapping
 * holds the file, so it outlives the handle, as in Magenta.
 *
 * Locking: a cookie is an entry of mxc_vmar_pending (an XArray, its own
 * lock) that one ioctl makes, uses through vm_mmap() and erases; .mmap
 * reads the entry under that lock and takes it only if its own task
 * made it, so the entry cannot go while it is read.
 */

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "compat.h"
#include "table.h"
#include "vmar.h"
#include "vmo.h"

#define MXC_DEFAULT_VMAR_RIGHTS						\
	(MXCHAN_RIGHT_DUPLICATE | MXCHAN_RIGHT_TRANSFER | MXCHAN_RIGHT_READ |	\
	 MXCHAN_RIGHT_WRITE | MXCHAN_RIGHT_EXECUTE)

#define MXC_VM_PERMS (MXCHAN_VM_FLAG_PERM_READ | MXCHAN_VM_FLAG_PERM_WRITE | \
		      MXCHAN_VM_FLAG_PERM_EXECUTE)
#define MXC_VM_CAN_MAP (MXCHAN_VM_FLAG_CAN_MAP_READ |			\
			MXCHAN_VM_FLAG_CAN_MAP_WRITE |			\
			MXCHAN_VM_FLAG_CAN_MAP_EXECUTE)
#define MXC_VM_KNOWN (MXC_VM_PERMS | MXCHAN_VM_FLAG_COMPACT |		\
		      MXCHAN_VM_FLAG_SPECIFIC |				\
		      MXCHAN_VM_FLAG_SPECIFIC_OVERWRITE |		\
		      MXCHAN_VM_FLAG_MAP_RANGE)

/* The lowest address a root VMAR offers: above the usual mmap_min_addr. */
#define MXC_VMAR_BASE		(64UL << 10)
/* Cookies fit a page offset of a 32-bit unsigned long. */
#define MXC_VMAR_COOKIES	((1U << 20) - 1)

struct mxc_vmar {
	struct mxc_object obj;
	struct rcu_head rcu;
};

/* A vmar_map between its checks and shmem's mmap. */
struct mxc_map_pending {
	struct task_struct *task;	/* the one mapping */
	struct file *file;		/* the VMO's */
	pgoff_t pgoff;			/* into it */
	vm_flags_t clear;		/* the VM_* flags the rights deny */
};

static DEFINE_XARRAY_ALLOC1(mxc_vmar_pending);

static void mxc_vmar_on_zero_handles(struct mxc_object *obj,
				     struct mxc_reaper *r)
{
}

static void mxc_vmar_release(struct mxc_object *obj)
{
	/* a lockless lookup may still be reading it (table.c) */
	kfree_rcu(container_of(obj, struct mxc_vmar, obj), rcu);
}

static const struct mxc_object_ops mxc_vmar_ops = {
	.type = MXCHAN_OBJ_TYPE_VMAR,
	.peer = mxc_object_no_peer,
	.on_zero_handles = mxc_vmar_on_zero_handles,
	.release = mxc_vmar_release,
	.related_koid = mxc_object_no_related_koid,
};

/* A root VMAR; *hp is its handle, in no table yet. */
int mxc_vmar_create(struct mxc_handle **hp)
{
	struct mxc_vmar *vr;
	struct mxc_handle *h;

	vr = kzalloc(sizeof(*vr), GFP_KERNEL_ACCOUNT);
	h = mxc_handle_alloc();
	if (!vr || !h) {
		kfree(vr);
		if (h)
			mxc_handle_free(h);
		return -ENOMEM;
	}
	mxc_object_init(&vr->obj, &mxc_vmar_ops, 0);
	mxc_handle_init(h, &vr->obj, MXC_DEFAULT_VMAR_RIGHTS);
	mxc_object_put(&vr->obj);	/* the handle holds it now */
	*hp = h;
	return 0;
}

/* The range a root VMAR maps into, for the calling task. */
void mxc_vmar_range(u64 *base, u64 *len)
{
	*base = MXC_VMAR_BASE;
	*len = TASK_SIZE - MXC_VMAR_BASE;
}

/* The table's .mmap: only for the cookie its own task's vmar_map made. */
int mxc_vmar_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct mxc_map_pending *p;

	xa_lock(&mxc_vmar_pending);
	p = xa_load(&mxc_vmar_pending, vma->vm_pgoff);
	if (p && p->task != current)
		p = NULL;
	xa_unlock(&mxc_vmar_pending);
	if (!p)
		return -ENODEV;
	vma_set_file(vma, p->file);
	vma->vm_pgoff = p->pgoff;
	mxc_vm_flags_clear(vma, p->clear);
	return call_mmap(p->file, vma);
}

/*
 * The VM_* flags a mapping loses: what VMO and VMAR do not grant, now
 * (the flags cannot ask for it, but a READ_IMPLIES_EXEC personality
 * adds VM_EXEC to any readable mapping) or by a later mprotect().
 */
static vm_flags_t mxc_vmar_denied(u32 rights)
{
	vm_flags_t clear = 0;

	if (!(rights & MXCHAN_RIGHT_READ))
		clear |= VM_READ | VM_MAYREAD;
	if (!(rights & MXCHAN_RIGHT_WRITE))
		clear |= VM_WRITE | VM_MAYWRITE;
	if (!(rights & MXCHAN_RIGHT_EXECUTE))
		clear |= VM_EXEC | VM_MAYEXEC;
	return clear;
}

/* Magenta's flag checks, in its order, after the MAP right. */
static int mxc_vmar_check_flags(u32 flags, u32 rights)
{
	if (!(flags & MXCHAN_VM_FLAG_PERM_READ) &&
	    (flags & (MXCHAN_VM_FLAG_PERM_WRITE | MXCHAN_VM_FLAG_PERM_EXECUTE)))
		return -EINVAL;
	if ((flags & MXCHAN_VM_FLAG_MAP_RANGE) &&
	    (flags & MXCHAN_VM_FLAG_SPECIFIC_OVERWRITE))
		return -EINVAL;
	if (flags & (MXC_VM_CAN_MAP | ~MXC_VM_KNOWN))
		return -EINVAL;
	if (((flags & MXCHAN_VM_FLAG_PERM_READ) &&
	     !(rights & MXCHAN_RIGHT_READ)) ||
	    ((flags & MXCHAN_VM_FLAG_PERM_WRITE) &&
	     !(rights & MXCHAN_RIGHT_WRITE)) ||
	    ((flags & MXCHAN_VM_FLAG_PERM_EXECUTE) &&
	     !(rights & MXCHAN_RIGHT_EXECUTE)))
		return -EACCES;
	return 0;
}

/*
 * vmar_map through root VMAR @vmar (rights @vmar_rights) of the VMO @vmo
 * (rights @vmo_rights), made by @table (the caller's table file): the
 * address goes to *@addr. The decoder checked the handles.
 */
int mxc_vmar_map(struct file *table, u32 vmar_rights, struct mxc_object *vmo,
		 u32 vmo_rights, const struct mxchan_vmar_map *a,
		 unsigned long *addr)
{
	u32 rights = vmar_rights & vmo_rights, flags = a->flags;
	unsigned long prot = 0, mflags = MAP_SHARED, at = 0, len, ret;
	struct mxc_map_pending p;
	u64 base, range;
	u32 cookie;
	int err;

	if (!(vmo_rights & MXCHAN_RIGHT_MAP))
		return -EACCES;
	err = mxc_vmar_check_flags(flags, rights);
	if (err)
		return err;
	mxc_vmar_range(&base, &range);
	if (!a->len || a->len > range || !PAGE_ALIGNED(a->vmo_offset) ||
	    a->vmo_offset + PAGE_ALIGN(a->len) < a->vmo_offset)
		return -EINVAL;
	len = PAGE_ALIGN(a->len);
	if (flags & (MXCHAN_VM_FLAG_SPECIFIC |
		     MXCHAN_VM_FLAG_SPECIFIC_OVERWRITE)) {
		if (!PAGE_ALIGNED(a->vmar_offset) || a->vmar_offset > range ||
		    len > range - a->vmar_offset)
			return -EINVAL;
		at = base + a->vmar_offset;
		mflags |= flags & MXCHAN_VM_FLAG_SPECIFIC_OVERWRITE ?
			  MAP_FIXED : MAP_FIXED_NOREPLACE;
	} else if (a->vmar_offset) {
		return -EINVAL;
	}
	/* a table open read-only could only make private mappings */
	if (!(table->f_mode & FMODE_WRITE))
		return -EACCES;
	if (flags & MXCHAN_VM_FLAG_PERM_READ)
		prot |= PROT_READ;
	if (flags & MXCHAN_VM_FLAG_PERM_WRITE)
		prot |= PROT_WRITE;
	if (flags & MXCHAN_VM_FLAG_PERM_EXECUTE)
		prot |= PROT_EXEC;

	p.task = current;
	p.pgoff = a->vmo_offset >> PAGE_SHIFT;
	p.clear = mxc_vmar_denied(rights);
	p.file = mxc_vmo_map_file(vmo);
	if (IS_ERR(p.file))
		return PTR_ERR(p.file);
	err = xa_alloc(&mxc_vmar_pending, &cookie, &p,
		       XA_LIMIT(1, MXC_VMAR_COOKIES), GFP_KERNEL);
	if (err) {
		fput(p.file);
		return -ENOMEM;
	}
	ret = vm_mmap(table, at, len, prot, mflags,
		      (unsigned long)cookie << PAGE_SHIFT);
	xa_erase(&mxc_vmar_pending, cookie);
	fput(p.file);
	if (IS_ERR_VALUE(ret)) {
		switch ((long)ret) {
		case -EACCES:
		case -EPERM:		/* exec from a noexec mount */
			return -EACCES;
		case -EINTR:
			return -EINTR;
		}
		return -ENOMEM;	/* no room; SPECIFIC over a mapping */
	}
	*addr = ret;
	return 0;
}

/* Undo a map whose address could not be told. */
void mxc_vmar_unmap(unsigned long addr, u64 len)
{
	vm_munmap(addr, PAGE_ALIGN(len));
}
