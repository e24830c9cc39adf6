/* SPDX-License-Identifier: MIT */
/*
 * <magenta/process.h>: what a process knows about itself and its start.
 *
 * Of Magenta's calls here only mx_get_startup_handle() and
 * mx_vmar_root_self() exist on Linux: there are no process, thread or job
 * handles.
 */
#ifndef MAGENTA_PROCESS_H_
#define MAGENTA_PROCESS_H_

#include <magenta/types.h>

__BEGIN_CDECLS

/*
 * Return the startup handle whose info is hnd_info (a PA_HND() value) and
 * forget it: a second call for the same info returns MX_HANDLE_INVALID,
 * as does a call for info the process was not started with.
 */
mx_handle_t mx_get_startup_handle(uint32_t hnd_info);

/*
 * The handle of the root VMAR of the caller's table, which stands for the
 * address space of the process that maps through it (mx_vmar_map()).
 * Each call asks the kernel: the value stays the same while that handle
 * is open, and a new one is made if it was closed or sent away. The
 * caller does not own it any more than Magenta's programs did; closing it
 * is allowed. MX_HANDLE_INVALID if there is no table, the kernel module
 * has no VMOs, or the table has no room for the handle.
 */
mx_handle_t mx_vmar_root_self(void);
mx_handle_t _mx_vmar_root_self(void);

__END_CDECLS

#endif /* MAGENTA_PROCESS_H_ */
