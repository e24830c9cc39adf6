/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's limits, set by module parameters (main.c), read with
 * READ_ONCE(). mxchan(7), Limits and accounting, says who pays for each.
 */
#ifndef _MXC_PARAM_H
#define _MXC_PARAM_H

extern unsigned int mxc_max_handles;
extern unsigned int mxc_max_queued;
extern unsigned int mxc_max_port_packets;
extern unsigned int mxc_max_port_observers;
extern unsigned int mxc_max_user_handles;
extern unsigned int mxc_max_user_inflight;
extern unsigned int mxc_max_user_bytes;
extern unsigned int mxc_max_user_waits;
extern unsigned int mxc_max_user_socket_pages;
extern unsigned int mxc_max_user_vmo_pages;
extern unsigned int mxc_max_object_waits;

#endif /* _MXC_PARAM_H */
