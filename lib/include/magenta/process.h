/* SPDX-License-Identifier: MIT */
/*
 * <magenta/process.h>: what a process knows about its own start.
 *
 * Of Magenta's calls here only mx_get_startup_handle() exists on Linux:
 * there are no process, thread, VMAR or job handles.
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

__END_CDECLS

#endif /* MAGENTA_PROCESS_H_ */
