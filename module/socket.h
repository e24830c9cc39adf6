/* SPDX-License-Identifier: GPL-2.0 */
/* Sockets (socket.c). */
#ifndef _MXC_SOCKET_H
#define _MXC_SOCKET_H

#include "object.h"

int mxc_socket_create(struct mxc_user *u, u32 options, struct mxc_handle **h0,
		      struct mxc_handle **h1);
int mxc_socket_write(struct mxc_object *obj, u32 options,
		     const void __user *buf, u64 size, u64 *moved);
int mxc_socket_read(struct mxc_object *obj, u32 options, void __user *buf,
		    u64 size, u64 *moved);

#endif /* _MXC_SOCKET_H */
