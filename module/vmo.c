// SPDX-License-Identifier: GPL-2.0
/*
 * VMOs: Magenta's virtual memory objects, as kernel shmem files (what
 * memfd is), so their pages are charged to the memory cgroup of whoever
 * touches them first, swap, and map with the kernel's own shmem code
 * (vmar.c). The size is byte-exact and the file's i_size follows it;
 * the pages its size spans are charged to its payer (max_user_vmo_pages):
 * its maker, then whoever last set its size.
 *
 * A clone (vmo_clone with COPY_ON_WRITE) is Magenta's: a page it never
 * wrote reads as its parent's page at parent_offset (live: the parent's
 * later writes show through), a page it wrote or committed is its own
 * (a whole copy, marked in @own), and a byte past any size on the way
 * reads as zero. So does one at or past parent_limit, the clone's size
 * when it was made, lowered by each shrink: a clone grown again never
 * shows its parent past the window it was given (Magenta's 2017 kernel
 * did; Zircon stopped it). Mapping a clone first makes every page its
 * own and drops the parent (materialize), so a mapping is always plain
 * shmem; so does a clone deeper than MXC_VMO_MAX_DEPTH, at clone time,
 * which bounds every walk up the parents.
 *
 * Locking: vmo->sem guards size (also read without it, READ_ONCE),
 * parent, parent_offset, parent_limit, own, depth, user and charged;
 * name_lock, a leaf, guards the name. Reads and writes of a VMO without
 * a parent take the sem shared (shmem orders the bytes; set_size cannot
 * cut a write short), and mapping one takes none (the parent is read
 * once: a VMO without one never gets one); writes, commits and
 * decommits of a clone take it exclusive, as do set_size and
 * materialize. A walk up the parents holds at most its own VMO's sem
 * and one parent's (shared, briefly, SINGLE_DEPTH_NESTING), always
 * child before parent, so it cannot deadlock. User copies run under the
 * sem (a sleeping lock), as shmem's own writes run under the inode
 * lock, so a holder whose copy stalls (userfaultfd) stalls the VMO's
 * set_size and clone-writes as it would a memfd's ftruncate; every wait
 * for a sem someone else may hold is killable. No spinlock is held
 * across a copy.
 */

#include <linux/capability.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/pfn.h>
#include <linux/sched/signal.h>
#include <linux/shmem_fs.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <linux/xarray.h>

#include "compat.h"
#include "cookie.h"
#include "param.h"
#include "user.h"
#include "vmo.h"

#define MXC_DEFAULT_VMO_RIGHTS						\
	(MXCHAN_RIGHT_DUPLICATE | MXCHAN_RIGHT_TRANSFER | MXCHAN_RIGHT_READ |	\
	 MXCHAN_RIGHT_WRITE | MXCHAN_RIGHT_EXECUTE | MXCHAN_RIGHT_MAP |	\
	 MXCHAN_RIGHT_GET_PROPERTY | MXCHAN_RIGHT_SET_PROPERTY |		\
	 MXCHAN_RIGHT_SIGNAL)

/* Clones above a clone at most; a deeper one is made as a copy. */
#define MXC_VMO_MAX_DEPTH	32

struct mxc_vmo {
	struct mxc_object obj;
	struct file *file;		/* shmem: the bytes, i_size == size */
	struct rw_semaphore sem;	/* the fields below; see the top */
	u64 size;			/* bytes, as set */
	struct mxc_vmo *parent;		/* a clone's until materialized: a ref */
	u64 parent_offset;		/* bytes, on a page */
	u64 parent_limit;		/* bytes below it read the parent's */
	struct xarray own;		/* a clone's pages of its own */
	unsigned int depth;		/* parents above it */
	u64 charged;			/* pages charged to @user */
	struct mxc_user *user;		/* pays: its maker or last resizer, a ref */
	spinlock_t name_lock;		/* @name, alone */
	char name[MXCHAN_MAX_NAME_LEN];	/* NUL-terminated */
	struct mxc_cookie_jar jar;	/* obj.wq.lock (cookie.c) */
	struct rcu_head rcu;
};

static struct mxc_vmo *to_vmo(struct mxc_object *obj)
{
	return container_of(obj, struct mxc_vmo, obj);
}

static u64 mxc_vmo_pages(u64 size)
{
	return size / PAGE_SIZE + !!(size % PAGE_SIZE);
}

/* Depth is bounded (MXC_VMO_MAX_DEPTH), so putting the parent here is. */
static void mxc_vmo_release(struct mxc_object *obj)
{
	struct mxc_vmo *v = to_vmo(obj);

	if (v->parent)
		mxc_object_put(&v->parent->obj);
	xa_destroy(&v->own);
	fput(v->file);
	mxc_user_uncharge_vmo_pages(v->user, v->charged);
	mxc_user_put(v->user);
	/* a lockless lookup may still be reading it (table.c) */
	kfree_rcu(v, rcu);
}

static void mxc_vmo_on_zero_handles(struct mxc_object *obj,
				    struct mxc_reaper *r)
{
}

static void mxc_vmo_get_name(struct mxc_object *obj, char *name)
{
	struct mxc_vmo *v = to_vmo(obj);

	spin_lock(&v->name_lock);
	memcpy(name, v->name, MXCHAN_MAX_NAME_LEN);
	spin_unlock(&v->name_lock);
}

static int mxc_vmo_set_name(struct mxc_object *obj, const char *name)
{
	struct mxc_vmo *v = to_vmo(obj);

	spin_lock(&v->name_lock);
	strscpy_pad(v->name, name, MXCHAN_MAX_NAME_LEN);
	spin_unlock(&v->name_lock);
	return 0;
}

static struct mxc_cookie_jar *mxc_vmo_cookie_jar(struct mxc_object *obj)
{
	return &to_vmo(obj)->jar;
}

static const struct mxc_object_ops mxc_vmo_ops = {
	.type = MXCHAN_OBJ_TYPE_VMO,
	.user_signals = MXCHAN_SIGNAL_USER_ALL,
	.peer = mxc_object_no_peer,
	.on_zero_handles = mxc_vmo_on_zero_handles,
	.release = mxc_vmo_release,
	.related_koid = mxc_object_no_related_koid,
	.get_name = mxc_vmo_get_name,
	.set_name = mxc_vmo_set_name,
	.cookie_jar = mxc_vmo_cookie_jar,
	.waitable = true,
};

/* Move @v's charge to @pages: ENOMEM past its payer's budget. */
static int mxc_vmo_charge_locked(struct mxc_vmo *v, u64 pages)
{
	lockdep_assert_held_write(&v->sem);
	if (pages > v->charged) {
		int ret = mxc_user_charge_vmo_pages(v->user,
						    pages - v->charged);

		if (ret)
			return ret;
	} else {
		mxc_user_uncharge_vmo_pages(v->user, v->charged - pages);
	}
	v->charged = pages;
	return 0;
}

/* A VMO of @size bytes, charged to @u, with no handle yet. */
static struct mxc_vmo *mxc_vmo_new(struct mxc_user *u, u64 size)
{
	u64 pages = mxc_vmo_pages(size);
	struct mxc_vmo *v;
	struct file *file;
	int ret;

	if (size > MXCHAN_VMO_MAX_SIZE)
		return ERR_PTR(-ENOMEM);
	ret = mxc_user_charge_vmo_pages(u, pages);
	if (ret)
		return ERR_PTR(ret);
	v = kzalloc(sizeof(*v), GFP_KERNEL_ACCOUNT);
	if (!v) {
		ret = -ENOMEM;
		goto uncharge;
	}
	file = shmem_file_setup("mxchan-vmo", size, VM_NORESERVE);
	if (IS_ERR(file)) {
		ret = -ENOMEM;
		goto free;
	}
	/* sizes past 2 GiB: as an open() of the file with O_LARGEFILE */
	file->f_flags |= O_LARGEFILE;
	v->file = file;
	init_rwsem(&v->sem);
	spin_lock_init(&v->name_lock);
	xa_init(&v->own);
	v->size = size;
	v->charged = pages;
	mxc_user_hold(u);
	v->user = u;
	mxc_object_init(&v->obj, &mxc_vmo_ops, 0);
	return v;

free:
	kfree(v);
uncharge:
	mxc_user_uncharge_vmo_pages(u, pages);
	return ERR_PTR(ret);
}

static int mxc_vmo_handle(struct mxc_vmo *v, u32 rights,
			  struct mxc_handle **hp)
{
	struct mxc_handle *h = mxc_handle_alloc();

	if (!h) {
		mxc_object_put(&v->obj);
		return -ENOMEM;
	}
	mxc_handle_init(h, &v->obj, rights);
	mxc_object_put(&v->obj);	/* the handle holds it now */
	*hp = h;
	return 0;
}

int mxc_vmo_create(struct mxc_user *u, u64 size, struct mxc_handle **hp)
{
	struct mxc_vmo *v = mxc_vmo_new(u, size);

	if (IS_ERR(v))
		return PTR_ERR(v);
	return mxc_vmo_handle(v, MXC_DEFAULT_VMO_RIGHTS, hp);
}

/* Magenta's TrimRange: ERANGE past the end or on a wrap, else cut @len. */
static int mxc_vmo_trim(u64 size, u64 off, u64 *len)
{
	if (off + *len < off || off > size)
		return -ERANGE;
	*len = min(*len, size - off);
	return 0;
}

/*
 * One read_iter or write_iter of a VMO's file. The file is the module's
 * own, never an fd, and the caller was checked by its handle: the VFS's
 * per-call checks (rw_verify_area(), the LSM file hook, fsnotify) have
 * nothing to say about it, so shmem is called directly.
 */
static ssize_t mxc_vmo_file_iter(struct file *file, struct iov_iter *it,
				 loff_t *pos, bool write)
{
	struct kiocb kiocb;
	ssize_t ret;

	init_sync_kiocb(&kiocb, file);
	kiocb.ki_pos = *pos;
	if (write) {
		file_start_write(file);
		ret = file->f_op->write_iter(&kiocb, it);
		file_end_write(file);
	} else {
		ret = file->f_op->read_iter(&kiocb, it);
	}
	if (ret > 0)
		*pos = kiocb.ki_pos;
	return ret;
}

/*
 * Bytes [off, off + n) of @file into or out of @it: short is a fault. A
 * write that reaches the caller's RLIMIT_FSIZE fails there (shmem checks
 * it, as for a memfd, and sends SIGXFSZ for one that starts past it):
 * NO_RESOURCES, the bytes below the limit written.
 */
static int mxc_vmo_file_io(struct file *file, u64 off, struct iov_iter *it,
			   bool write)
{
	size_t n = iov_iter_count(it);
	loff_t pos = off;
	ssize_t ret;

	while (n) {
		ret = mxc_vmo_file_iter(file, it, &pos, write);
		if (ret == -EFAULT)
			return -EINVAL;
		if (ret == -EFBIG)
			return -EMFILE;
		if (ret < 0)
			return ret;
		if (!ret) {
			/*
			 * A write that crossed RLIMIT_FSIZE was cut there,
			 * and shmem truncated @it to what it wrote.
			 */
			if (write && !iov_iter_count(it))
				return -EMFILE;
			/* a read past the file's end (a parent shrank): 0s */
			if (write || iov_iter_zero(n, it) != n)
				return -EINVAL;
			return 0;
		}
		n -= ret;
	}
	return 0;
}

/*
 * Which VMO holds the bytes @v reads at @off (@v's sem held, @off inside
 * its size, *@n inside its page): @v itself, or a parent (a ref, which
 * the caller puts) with *@offp its offset there, or NULL for zeros, or
 * ERR_PTR(-EINTR) if the caller was killed waiting for a parent's sem.
 * *@n is cut to what lies inside every size and limit on the way. Each
 * parent's sem is held only while its fields are read.
 */
static struct mxc_vmo *mxc_vmo_source(struct mxc_vmo *v, u64 off, u64 *n,
				      u64 *offp)
{
	struct mxc_vmo *cur = v, *next;

	for (;;) {
		if (cur != v &&
		    down_read_killable_nested(&cur->sem, SINGLE_DEPTH_NESTING)) {
			mxc_object_put(&cur->obj);
			return ERR_PTR(-EINTR);
		}
		if (off >= cur->size) {
			next = NULL;
		} else {
			*n = min(*n, cur->size - off);
			if (!cur->parent ||
			    xa_load(&cur->own, off >> PAGE_SHIFT)) {
				if (cur != v)
					up_read(&cur->sem);
				*offp = off;
				return cur;
			}
			if (off >= cur->parent_limit) {
				next = NULL;
			} else {
				*n = min(*n, cur->parent_limit - off);
				next = cur->parent;
				kref_get(&next->obj.ref);
				off += cur->parent_offset;
			}
		}
		if (cur != v) {
			up_read(&cur->sem);
			mxc_object_put(&cur->obj);
		}
		if (!next)
			return NULL;
		cur = next;
	}
}

/* @n bytes of @v at @off (one page at most) into @it, parents walked. */
static int mxc_vmo_read_page(struct mxc_vmo *v, u64 off, u64 n,
			     struct iov_iter *it)
{
	struct mxc_vmo *src;
	u64 have = n, soff;
	int ret = 0;

	src = mxc_vmo_source(v, off, &have, &soff);
	if (IS_ERR(src))
		return PTR_ERR(src);
	if (src) {
		struct iov_iter part = *it;

		iov_iter_truncate(&part, have);
		ret = mxc_vmo_file_io(src->file, soff, &part, false);
		if (src != v)
			mxc_object_put(&src->obj);
		if (ret)
			return ret;
		iov_iter_advance(it, have);
	} else {
		have = 0;
	}
	if (have < n && iov_iter_zero(n - have, it) != n - have)
		return -EINVAL;
	return 0;
}

/*
 * Is page @idx of a clone's parent range all zeros (a hole everywhere)?
 * 1 if so, 0 if not, -EINTR.
 */
static int mxc_vmo_page_hole(struct mxc_vmo *v, pgoff_t idx)
{
	u64 n = PAGE_SIZE, soff;
	struct mxc_vmo *src;
	loff_t data;

	src = mxc_vmo_source(v, (u64)idx << PAGE_SHIFT, &n, &soff);
	if (IS_ERR(src))
		return PTR_ERR(src);
	if (!src)
		return 1;
	data = vfs_llseek(src->file, soff, SEEK_DATA);
	if (src != v)
		mxc_object_put(&src->obj);
	return data < 0 || data >= soff + n;
}

/*
 * Make page @idx of clone @v its own (sem held for writing): the bytes
 * it reads now, copied through @bounce into its file, then marked.
 */
static int mxc_vmo_own_page(struct mxc_vmo *v, pgoff_t idx, struct page *bounce)
{
	u64 off = (u64)idx << PAGE_SHIFT;
	u64 n = min_t(u64, PAGE_SIZE, v->size - off);
	struct bio_vec bv;
	struct iov_iter it;
	int ret;

	lockdep_assert_held_write(&v->sem);
	if (xa_load(&v->own, idx))
		return 0;
	ret = mxc_vmo_page_hole(v, idx);
	if (ret < 0)
		return ret;
	if (!ret) {
		bvec_set_page(&bv, bounce, n, 0);
		iov_iter_bvec(&it, ITER_DEST, &bv, 1, n);
		ret = mxc_vmo_read_page(v, off, n, &it);
		if (!ret) {
			iov_iter_bvec(&it, ITER_SOURCE, &bv, 1, n);
			ret = mxc_vmo_file_io(v->file, off, &it, true);
		}
	} else {
		ret = 0;
	}
	if (!ret)
		ret = xa_err(xa_store(&v->own, idx, xa_mk_value(1),
				      GFP_KERNEL_ACCOUNT));
	/*
	 * Not its own after all: what part of the copy was written (a write
	 * cut short by RLIMIT_FSIZE) goes, or a later owning of the page as
	 * a hole would show it.
	 */
	if (ret)
		vfs_fallocate(v->file, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			      off, PAGE_SIZE);
	return ret;
}

/* Between the rounds of a long loop: -EINTR if killed, else resched. */
static int mxc_vmo_next_round(void)
{
	if (fatal_signal_pending(current))
		return -EINTR;
	cond_resched();
	return 0;
}

/* Make the pages [first, last] of clone @v its own. */
static int mxc_vmo_own_range(struct mxc_vmo *v, pgoff_t first, pgoff_t last)
{
	struct page *bounce;
	pgoff_t idx;
	int ret = 0;

	lockdep_assert_held_write(&v->sem);
	if (!v->parent)
		return 0;
	bounce = alloc_page(GFP_KERNEL_ACCOUNT);
	if (!bounce)
		return -ENOMEM;
	for (idx = first; idx <= last; idx++) {
		ret = mxc_vmo_own_page(v, idx, bounce);
		if (!ret)
			ret = mxc_vmo_next_round();
		if (ret)
			break;
	}
	__free_page(bounce);
	return ret;
}

/* Every page of clone @v its own, and the parent gone (sem for writing). */
static int mxc_vmo_materialize_locked(struct mxc_vmo *v)
{
	int ret;

	lockdep_assert_held_write(&v->sem);
	if (!v->parent)
		return 0;
	if (v->size) {
		ret = mxc_vmo_own_range(v, 0, (v->size - 1) >> PAGE_SHIFT);
		if (ret)
			return ret;
	}
	mxc_object_put(&v->parent->obj);
	WRITE_ONCE(v->parent, NULL);	/* mxc_vmo_map_file() peeks */
	v->depth = 0;
	xa_destroy(&v->own);
	return 0;
}

/* For vmar.c: the file to map, with a ref; a clone is materialized. */
struct file *mxc_vmo_map_file(struct mxc_object *obj)
{
	struct mxc_vmo *v = to_vmo(obj);
	int ret;

	/* a VMO made without a parent never gets one: no wait for the sem */
	if (!READ_ONCE(v->parent))
		return get_file(v->file);
	if (down_write_killable(&v->sem))
		return ERR_PTR(-EINTR);
	ret = mxc_vmo_materialize_locked(v);
	up_write(&v->sem);
	if (ret)
		return ERR_PTR(ret);
	return get_file(v->file);
}

/*
 * Fault in @len bytes at @buf, readable or writable, a megabyte at a
 * time, so that a huge buffer neither holds the CPU nor outlives a kill:
 * -EINVAL at a page that cannot be, -EINTR when killed.
 */
static int mxc_vmo_fault_in(void __user *buf, u64 len, bool writable)
{
	while (len) {
		size_t n = min_t(u64, len, SZ_1M);

		if (writable ? fault_in_safe_writeable(buf, n) :
			       fault_in_readable(buf, n))
			return -EINVAL;
		buf += n;
		len -= n;
		if (len && mxc_vmo_next_round())
			return -EINTR;
	}
	return 0;
}

/*
 * VMO_READ and VMO_WRITE: @len bytes at @off, *@done of them moved.
 * Magenta touched every page of the user buffer, all @len bytes of it,
 * before the range check, so a bad buffer is EINVAL before ERANGE and
 * even when the range leaves nothing to copy. A write faults its source
 * in first (a read of a byte a page), so a bad one writes nothing. A
 * read's copy shows that the bytes it moved can be written; the rest of
 * its buffer (all of it, if the range is bad) is faulted in, writable,
 * after: the same status, without walking the pages twice, though a
 * read that ends in EINVAL may have filled the start of its buffer.
 */
int mxc_vmo_rw(struct mxc_object *obj, void __user *buf, u64 off, u64 len,
	       bool write, u64 *done)
{
	struct mxc_vmo *v = to_vmo(obj);
	u64 want = len, moved = 0;
	struct iov_iter it;
	bool excl;
	int ret;

	if (!access_ok(buf, len))
		return -EINVAL;
	if (write) {
		ret = mxc_vmo_fault_in(buf, len, false);
		if (ret)
			return ret;
	}
	if (down_read_killable(&v->sem))
		return -EINTR;
	excl = write && v->parent;
	if (excl) {
		up_read(&v->sem);
		if (down_write_killable(&v->sem))
			return -EINTR;
	}
	ret = mxc_vmo_trim(v->size, off, &len);
	if (ret)
		goto out;
	*done = len;
	if (!len)
		goto out;
	moved = len;
	if (excl) {
		ret = mxc_vmo_own_range(v, off >> PAGE_SHIFT,
					(off + len - 1) >> PAGE_SHIFT);
		if (ret)
			goto out;
	}
	iov_iter_ubuf(&it, write ? ITER_SOURCE : ITER_DEST, buf, len);
	if (write || !v->parent) {
		ret = mxc_vmo_file_io(v->file, off, &it, write);
		goto out;
	}
	while (len) {
		u64 n = min_t(u64, len, PAGE_SIZE - offset_in_page(off));

		ret = mxc_vmo_read_page(v, off, n, &it);
		if (ret)
			break;
		off += n;
		len -= n;
		if (len) {
			ret = mxc_vmo_next_round();
			if (ret)
				break;
		}
	}
out:
	if (excl)
		up_write(&v->sem);
	else
		up_read(&v->sem);
	if (!write && (!ret || ret == -ERANGE)) {
		int err = mxc_vmo_fault_in(buf + moved, want - moved, true);

		if (err)
			ret = err;
	}
	return ret;
}

u64 mxc_vmo_get_size(struct mxc_object *obj)
{
	/* written under the sem for writing; a reader needs no more */
	return READ_ONCE(to_vmo(obj)->size);
}

/* Pages a clone owned past its new end are dropped with them. */
static void mxc_vmo_disown_locked(struct mxc_vmo *v, pgoff_t first,
				  pgoff_t last)
{
	XA_STATE(xas, &v->own, first);
	void *entry;

	lockdep_assert_held_write(&v->sem);
	xas_lock(&xas);
	xas_for_each(&xas, entry, last)
		xas_store(&xas, NULL);
	xas_unlock(&xas);
}

/*
 * set_size charges the whole new size to the caller (@u), who then pays
 * for the VMO instead of the one before: a holder of someone else's VMO
 * can grow it on its own budget only.
 */
int mxc_vmo_set_size(struct mxc_object *obj, struct mxc_user *u, u64 size)
{
	struct mxc_vmo *v = to_vmo(obj);
	u64 old_pages, pages = mxc_vmo_pages(size);
	struct mxc_user *old_user;
	int ret;

	if (size > MXCHAN_VMO_MAX_SIZE)
		return -ERANGE;
	if (down_write_killable(&v->sem))
		return -EINTR;
	old_pages = v->charged;
	old_user = v->user;
	if (u == old_user)
		ret = mxc_vmo_charge_locked(v, pages);
	else
		ret = mxc_user_charge_vmo_pages(u, pages);
	if (ret)
		goto out;
	ret = vfs_truncate(&v->file->f_path, size);
	if (ret) {
		if (u == old_user)
			mxc_vmo_charge_locked(v, old_pages);	/* gives back */
		else
			mxc_user_uncharge_vmo_pages(u, pages);
		/* past the caller's RLIMIT_FSIZE, as for a memfd */
		ret = ret == -EFBIG ? -EMFILE : -ENOMEM;
		goto out;
	}
	if (u != old_user) {
		mxc_user_uncharge_vmo_pages(old_user, old_pages);
		mxc_user_hold(u);
		v->user = u;
		v->charged = pages;
		mxc_user_put(old_user);
	}
	if (v->parent && pages < old_pages)
		mxc_vmo_disown_locked(v, pages, ULONG_MAX);
	/* the parent's bytes past a shrink never show again */
	v->parent_limit = min(v->parent_limit, size);
	WRITE_ONCE(v->size, size);
out:
	up_write(&v->sem);
	return ret;
}

/* COMMIT and DECOMMIT on the pages the (trimmed) range touches. */
static int mxc_vmo_commit(struct mxc_vmo *v, u64 off, u64 len, bool commit)
{
	loff_t start, end;
	int ret;

	if (down_write_killable(&v->sem))
		return -EINTR;
	ret = mxc_vmo_trim(v->size, off, &len);
	if (ret || !len)
		goto out;
	start = round_down(off, PAGE_SIZE);
	end = round_up(off + len, PAGE_SIZE);
	if (commit) {
		ret = mxc_vmo_own_range(v, start >> PAGE_SHIFT,
					(end >> PAGE_SHIFT) - 1);
		if (!ret)
			ret = vfs_fallocate(v->file, FALLOC_FL_KEEP_SIZE,
					    start, end - start);
		if (ret && ret != -EINTR)
			ret = -ENOMEM;
		goto out;
	}
	ret = vfs_fallocate(v->file, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			    start, end - start);
	if (ret) {
		ret = -ENOMEM;
		goto out;
	}
	/* a clone's own pages go: its parent's show again, as Magenta's */
	if (v->parent)
		mxc_vmo_disown_locked(v, start >> PAGE_SHIFT,
				      (end >> PAGE_SHIFT) - 1);
out:
	up_write(&v->sem);
	return ret;
}

/* Magenta's InRange, for LOOKUP and the cache ops: EINVAL for 0 bytes. */
static int mxc_vmo_in_range(struct mxc_vmo *v, u64 off, u64 len)
{
	if (!len)
		return -EINVAL;
	if (off + len < off || off + len > v->size)
		return -ERANGE;
	return 0;
}

/* LOOKUP: each page's physical address, if every page is committed. */
static int mxc_vmo_lookup(struct mxc_vmo *v, u64 off, u64 len,
			  u64 __user *buf, u64 buf_size)
{
	u64 first, last, i;
	int ret;

	if (!buf)
		return -EINVAL;
	if (off + len < off)
		return -ERANGE;
	first = off >> PAGE_SHIFT;
	last = len ? (off + len - 1) >> PAGE_SHIFT : first - 1;
	if ((last + 1 - first) > buf_size / sizeof(u64))
		return -EMSGSIZE;
	if (down_read_killable(&v->sem))
		return -EINTR;
	ret = mxc_vmo_in_range(v, off, len);
	if (ret)
		goto out;
	if (!capable(CAP_SYS_ADMIN)) {
		ret = -EACCES;
		goto out;
	}
	for (i = first; i <= last; i++) {
		u64 n = PAGE_SIZE, soff, pa = 0;
		struct mxc_vmo *src;
		struct page *page;

		src = mxc_vmo_source(v, i << PAGE_SHIFT, &n, &soff);
		if (IS_ERR_OR_NULL(src)) {
			ret = src ? PTR_ERR(src) : -ENOMEM;
			break;
		}
		page = pagecache_get_page(src->file->f_mapping,
					  soff >> PAGE_SHIFT, 0, 0);
		if (page) {
			pa = PFN_PHYS(page_to_pfn(page));
			put_page(page);
		}
		if (src != v)
			mxc_object_put(&src->obj);
		if (!page) {
			ret = -ENOMEM;
			break;
		}
		if (put_user(pa, buf + (i - first))) {
			ret = -EINVAL;
			break;
		}
	}
out:
	up_read(&v->sem);
	return ret;
}

int mxc_vmo_op_range(struct mxc_object *obj, u32 op, u64 off, u64 len,
		     void __user *buf, u64 buf_size)
{
	struct mxc_vmo *v = to_vmo(obj);

	switch (op) {
	case MXCHAN_VMO_OP_COMMIT:
		return mxc_vmo_commit(v, off, len, true);
	case MXCHAN_VMO_OP_DECOMMIT:
		return mxc_vmo_commit(v, off, len, false);
	case MXCHAN_VMO_OP_LOCK:
	case MXCHAN_VMO_OP_UNLOCK:
		return -EOPNOTSUPP;
	case MXCHAN_VMO_OP_LOOKUP:
		return mxc_vmo_lookup(v, off, len, buf, buf_size);
	case MXCHAN_VMO_OP_CACHE_SYNC:
	case MXCHAN_VMO_OP_CACHE_INVALIDATE:
	case MXCHAN_VMO_OP_CACHE_CLEAN:
	case MXCHAN_VMO_OP_CACHE_CLEAN_INVALIDATE:
		/* shmem is ordinary cached memory: nothing to do */
		if (off + len < off || off + len > READ_ONCE(v->size))
			return len ? -ERANGE : -EINVAL;
		return len ? 0 : -EINVAL;
	}
	return -EINVAL;
}

/*
 * A clone of @obj's [@off, @off + @size), charged to @u; its handle has
 * @rights. The checks before it are the decoder's (ioctl.c).
 */
int mxc_vmo_clone(struct mxc_user *u, struct mxc_object *obj, u64 off,
		  u64 size, u32 rights, struct mxc_handle **hp)
{
	struct mxc_vmo *p = to_vmo(obj), *c;
	int ret = 0;

	c = mxc_vmo_new(u, size);
	if (IS_ERR(c))
		return PTR_ERR(c);
	mxc_vmo_get_name(&p->obj, c->name);
	if (down_read_killable(&p->sem)) {
		mxc_object_put(&c->obj);
		return -EINTR;
	}
	c->depth = p->parent ? p->depth + 1 : 1;
	up_read(&p->sem);
	kref_get(&p->obj.ref);
	c->parent = p;
	c->parent_offset = off;
	c->parent_limit = size;
	if (c->depth > MXC_VMO_MAX_DEPTH) {
		down_write(&c->sem);
		ret = mxc_vmo_materialize_locked(c);
		up_write(&c->sem);
	}
	if (ret) {
		mxc_object_put(&c->obj);
		return ret;
	}
	return mxc_vmo_handle(c, rights, hp);
}
