/* SPDX-License-Identifier: GPL-2.0 */
/* Ports and async waits (port.c). */
#ifndef _MXC_PORT_H
#define _MXC_PORT_H

#include "table.h"

int mxc_port_create(struct mxc_handle **hp);
int mxc_port_queue(struct mxc_table *t, u32 value,
		   const struct mxchan_port_packet __user *upkt);
int mxc_port_wait(struct mxc_table *t, u32 value, u64 deadline,
		  struct mxchan_port_packet __user *upkt);
int mxc_port_cancel(struct mxc_table *t, u32 value, u32 source, u64 key);
int mxc_wait_async(struct mxc_table *t, u32 value, u32 port, u64 key,
		   u32 signals, u32 options);
void mxc_port_init(void);
void mxc_port_stats(long *packets, long *waits);

#endif /* _MXC_PORT_H */
