/* SPDX-License-Identifier: MIT */
/*
 * <magenta/processargs.h>: how a process names the handles it was started
 * with. A startup handle's info is PA_HND(type, arg); a program started by
 * mxchan_spawn() finds each one with mx_get_startup_handle(info).
 *
 * Magenta also defined here the mx_proc_args_t bootstrap message, which
 * its process loader used; mxchan starts processes with exec(), so that
 * message does not exist.
 */
#ifndef MAGENTA_PROCESSARGS_H_
#define MAGENTA_PROCESSARGS_H_

#include <magenta/types.h>

#define PA_HND(type, arg) \
	(((uint32_t)(type) & 0xFF) | (((uint32_t)(arg) & 0xFFFF) << 16))
#define PA_HND_TYPE(n)		((n) & 0xFF)
#define PA_HND_SUBTYPE(n)	(((n) >> 8) & 0xFF)
#define PA_HND_ARG(n)		(((n) >> 16) & 0xFFFF)

/* Handle types, with Magenta's values. */
#define PA_PROC_SELF		0x01
#define PA_THREAD_SELF		0x02
#define PA_JOB_DEFAULT		0x03
#define PA_VMAR_ROOT		0x04
#define PA_VMAR_LOADED		0x05
#define PA_SVC_LOADER		0x10
#define PA_VMO_VDSO		0x11
#define PA_VMO_STACK		0x13
#define PA_VMO_EXECUTABLE	0x14
#define PA_VMO_BOOTDATA		0x1A
#define PA_VMO_BOOTFS		0x1B
#define PA_NS_DIR		0x20
#define PA_MXIO_ROOT		0x30
#define PA_MXIO_CWD		0x31
#define PA_MXIO_REMOTE		0x32
#define PA_MXIO_PIPE		0x33
#define PA_MXIO_EVENT		0x34
#define PA_MXIO_LOGGER		0x35
#define PA_MXIO_SOCKET		0x36
#define PA_SERVICE_ROOT		0x3A
#define PA_SERVICE_REQUEST	0x3B
#define PA_RESOURCE		0x3F
#define PA_APP_LAUNCHER		0x41
#define PA_APP_SERVICES		0x43

/* For one-off use and prototyping: what most programs pass. */
#define PA_USER0		0xF0
#define PA_USER1		0xF1
#define PA_USER2		0xF2

#endif /* MAGENTA_PROCESSARGS_H_ */
