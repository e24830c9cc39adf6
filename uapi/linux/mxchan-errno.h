/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The one-to-one map between the errnos mxchan's ioctls return and
 * Magenta's status values. Each row is MXCHAN_ERRNO(status, errno): no
 * status and no errno appears twice, so the map can be read both ways.
 *
 * Include <errno.h> (userspace) or <linux/errno.h> (kernel) first, then
 * define MXCHAN_ERRNO(status, errno) and expand MXCHAN_ERRNO_TABLE.
 */
#ifndef _UAPI_LINUX_MXCHAN_ERRNO_H
#define _UAPI_LINUX_MXCHAN_ERRNO_H

#define MXCHAN_ERRNO_TABLE						\
	MXCHAN_ERRNO(-1,  EPROTO)	/* MX_ERR_INTERNAL */		\
	MXCHAN_ERRNO(-2,  EOPNOTSUPP)	/* MX_ERR_NOT_SUPPORTED */	\
	MXCHAN_ERRNO(-3,  EMFILE)	/* MX_ERR_NO_RESOURCES */	\
	MXCHAN_ERRNO(-4,  ENOMEM)	/* MX_ERR_NO_MEMORY */		\
	MXCHAN_ERRNO(-10, EINVAL)	/* MX_ERR_INVALID_ARGS */	\
	MXCHAN_ERRNO(-11, EBADF)	/* MX_ERR_BAD_HANDLE */		\
	MXCHAN_ERRNO(-12, EPROTOTYPE)	/* MX_ERR_WRONG_TYPE */		\
	MXCHAN_ERRNO(-13, ENOTTY)	/* MX_ERR_BAD_SYSCALL */	\
	MXCHAN_ERRNO(-14, ERANGE)	/* MX_ERR_OUT_OF_RANGE */	\
	MXCHAN_ERRNO(-15, EMSGSIZE)	/* MX_ERR_BUFFER_TOO_SMALL */	\
	MXCHAN_ERRNO(-20, EBADFD)	/* MX_ERR_BAD_STATE */		\
	MXCHAN_ERRNO(-21, ETIMEDOUT)	/* MX_ERR_TIMED_OUT */		\
	MXCHAN_ERRNO(-22, EAGAIN)	/* MX_ERR_SHOULD_WAIT */	\
	MXCHAN_ERRNO(-23, ECANCELED)	/* MX_ERR_CANCELED */		\
	MXCHAN_ERRNO(-24, EPIPE)	/* MX_ERR_PEER_CLOSED */	\
	MXCHAN_ERRNO(-25, ENOENT)	/* MX_ERR_NOT_FOUND */		\
	MXCHAN_ERRNO(-26, EEXIST)	/* MX_ERR_ALREADY_EXISTS */	\
	MXCHAN_ERRNO(-27, EISCONN)	/* MX_ERR_ALREADY_BOUND */	\
	MXCHAN_ERRNO(-28, EBUSY)	/* MX_ERR_UNAVAILABLE */	\
	MXCHAN_ERRNO(-30, EACCES)	/* MX_ERR_ACCESS_DENIED */

#endif /* _UAPI_LINUX_MXCHAN_ERRNO_H */
