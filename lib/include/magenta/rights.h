/* SPDX-License-Identifier: MIT */
/*
 * <magenta/rights.h>: the rights a new handle gets, per kind of object.
 *
 * As in Magenta, the MX_RIGHT_* bits themselves (and MX_RIGHT_SAME_RIGHTS)
 * are defined in <magenta/types.h>, which this header includes, so code
 * that only includes <magenta/types.h> or <magenta/syscalls.h> has them.
 *
 * Only the objects libmx implements are listed.
 */
#ifndef MAGENTA_RIGHTS_H_
#define MAGENTA_RIGHTS_H_

#include <magenta/types.h>

/*
 * Both ends of a new channel: 0x300E. There is no MX_RIGHT_DUPLICATE, so
 * a channel handle cannot be duplicated (mx_handle_replace still works).
 */
#define MX_DEFAULT_CHANNEL_RIGHTS \
	(MX_RIGHT_TRANSFER | MX_RIGHT_READ | MX_RIGHT_WRITE | \
	 MX_RIGHT_SIGNAL | MX_RIGHT_SIGNAL_PEER)

/* Both sides of a new event pair: 0x300F. */
#define MX_DEFAULT_EVENTPAIR_RIGHTS \
	(MX_RIGHT_DUPLICATE | MX_RIGHT_TRANSFER | MX_RIGHT_READ | \
	 MX_RIGHT_WRITE | MX_RIGHT_SIGNAL | MX_RIGHT_SIGNAL_PEER)

/* Both ends of a new FIFO: 0x300F. */
#define MX_DEFAULT_FIFO_RIGHTS \
	(MX_RIGHT_TRANSFER | MX_RIGHT_DUPLICATE | MX_RIGHT_READ | \
	 MX_RIGHT_WRITE | MX_RIGHT_SIGNAL | MX_RIGHT_SIGNAL_PEER)

/* Both ends of a new socket: 0x300F. */
#define MX_DEFAULT_SOCKET_RIGHTS \
	(MX_RIGHT_TRANSFER | MX_RIGHT_DUPLICATE | MX_RIGHT_READ | \
	 MX_RIGHT_WRITE | MX_RIGHT_SIGNAL | MX_RIGHT_SIGNAL_PEER)

/* A new event: 0x100F. */
#define MX_DEFAULT_EVENT_RIGHTS \
	(MX_RIGHT_DUPLICATE | MX_RIGHT_TRANSFER | MX_RIGHT_READ | \
	 MX_RIGHT_WRITE | MX_RIGHT_SIGNAL)

/* A new port: 0xF. */
#define MX_DEFAULT_PORT_RIGHTS \
	(MX_RIGHT_DUPLICATE | MX_RIGHT_TRANSFER | MX_RIGHT_READ | \
	 MX_RIGHT_WRITE)

/*
 * A new VMO: 0x10FF. mx_vmo_clone() gives its clone the rights of the
 * handle it was made through, with WRITE, GET_PROPERTY and SET_PROPERTY.
 */
#define MX_DEFAULT_VMO_RIGHTS \
	(MX_RIGHT_DUPLICATE | MX_RIGHT_TRANSFER | MX_RIGHT_READ | \
	 MX_RIGHT_WRITE | MX_RIGHT_EXECUTE | MX_RIGHT_MAP | \
	 MX_RIGHT_GET_PROPERTY | MX_RIGHT_SET_PROPERTY | MX_RIGHT_SIGNAL)

/* A new timer: 0x100F. */
#define MX_DEFAULT_TIMERS_RIGHTS \
	(MX_RIGHT_DUPLICATE | MX_RIGHT_TRANSFER | MX_RIGHT_READ | \
	 MX_RIGHT_WRITE | MX_RIGHT_SIGNAL)

/*
 * A new VMAR: 0x3, Magenta's value, which its vmar_allocate widened with
 * READ, WRITE and EXECUTE as its flags allowed. libmx makes no VMAR of its
 * own: the root VMAR of mx_vmar_root_self() has DUPLICATE, TRANSFER,
 * READ, WRITE and EXECUTE (0x1F).
 */
#define MX_DEFAULT_VMAR_RIGHTS \
	(MX_RIGHT_DUPLICATE | MX_RIGHT_TRANSFER)

#endif /* MAGENTA_RIGHTS_H_ */
