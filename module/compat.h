/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the kernels mxchan builds against (6.1, 6.12) and
 * between the callers it serves (64-bit, 32-bit, other time namespaces).
 */
#ifndef _MXCHAN_COMPAT_H
#define _MXCHAN_COMPAT_H

#include <linux/compat.h>
#include <linux/file.h>
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>
#include <linux/time_namespace.h>
#include <linux/uaccess.h>
#include <linux/mm.h>

/* 6.12 made struct fd opaque behind fd_file(); 6.1 has the field. */
#ifndef fd_file
#define fd_file(f) ((f).file)
#endif

/*
 * Does the caller have 32-bit pointers and size_t: a compat caller (ia32
 * and x32 alike), or any caller of a 32-bit kernel?
 */
static inline bool mxc_caller_32bit(void)
{
	return !IS_ENABLED(CONFIG_64BIT) || in_compat_syscall();
}

/*
 * A pointer carried as a __u64 in an ioctl struct. A 32-bit caller's is
 * a 32-bit value, widened as compat_ptr() says (it clears bit 31 on
 * s390); one with bits above 32 set names no memory it has, so it becomes
 * a pointer that faults rather than a truncated one that might not.
 */
static inline void __user *mxc_uptr(u64 v)
{
	if (mxc_caller_32bit()) {
		if (v >> 32)
			return (void __user *)-1L;
#ifdef CONFIG_COMPAT
		if (in_compat_syscall())
			return compat_ptr((compat_uptr_t)v);
#endif
	}
	return u64_to_user_ptr(v);
}

/*
 * A size_t out-parameter: 4 bytes from a 32-bit caller, else 8. Faults
 * are EINVAL, as everywhere in mxchan.
 */
static inline int mxc_put_size(u64 v, u64 uptr)
{
	void __user *p = mxc_uptr(uptr);

	if (mxc_caller_32bit())
		return put_user((u32)v, (u32 __user *)p) ? -EINVAL : 0;
	return put_user(v, (u64 __user *)p) ? -EINVAL : 0;
}

/*
 * Does the caller align 64-bit fields to 4 bytes (i386, on a 32-bit x86
 * kernel or through compat), so that its structs lack the tail padding
 * ours have? x32 and the other compat ABIs align them to 8.
 */
static inline bool mxc_compat_packed_u64(void)
{
	return IS_ENABLED(CONFIG_X86_32) ||
	       (in_compat_syscall() && compat_need_64bit_alignment_fixup());
}

/*
 * An absolute CLOCK_MONOTONIC time in the caller's time namespace, as the
 * host's (what timerfd and clock_nanosleep do with their deadlines): a
 * time before the namespace's offset has passed already.
 * do_timens_ktime_to_host() is not exported; its arithmetic is this.
 */
static inline ktime_t mxc_timens_to_host(ktime_t t)
{
#ifdef CONFIG_TIME_NS
	ktime_t off = timespec64_to_ktime(current->nsproxy->time_ns->offsets.monotonic);

	if (t < off)
		return 0;
	if (off < 0 && t > KTIME_MAX + off)
		return KTIME_MAX;
	return ktime_sub(t, off);
#else
	return t;
#endif
}

/*
 * 6.3 made a VMA's flags writable only through vm_flags_*(); Kbuild
 * looks for vm_flags_clear() in the headers (MXC_HAVE_VM_FLAGS_CLEAR).
 */
static inline void mxc_vm_flags_clear(struct vm_area_struct *vma,
				      vm_flags_t flags)
{
#ifdef MXC_HAVE_VM_FLAGS_CLEAR
	vm_flags_clear(vma, flags);
#else
	vma->vm_flags &= ~flags;
#endif
}

/*
 * 6.13 added hrtimer_setup(), which sets the callback with the clock (and
 * later kernels drop hrtimer_init()); Kbuild looks for it in the headers
 * (MXC_HAVE_HRTIMER_SETUP).
 */
static inline void mxc_hrtimer_setup(struct hrtimer *timer,
				     enum hrtimer_restart (*fn)(struct hrtimer *),
				     clockid_t clock, enum hrtimer_mode mode)
{
#ifdef MXC_HAVE_HRTIMER_SETUP
	hrtimer_setup(timer, fn, clock, mode);
#else
	hrtimer_init(timer, clock, mode);
	timer->function = fn;
#endif
}

#endif /* _MXCHAN_COMPAT_H */
