/* SPDX-License-Identifier: MIT */
/*
 * <magenta/errors.h>: Magenta's status values (mx_status_t, in
 * <magenta/types.h>). The numbers are Magenta's own, unchanged.
 * mx_status_get_string() in <magenta/status.h> names them.
 *
 * Code written before June 2017 used NO_ERROR and ERR_xxx instead of MX_OK
 * and MX_ERR_xxx. Magenta dropped those names in June 2017; define
 * MX_COMPAT_LEGACY_ERRORS before the first include of any Magenta header to
 * get them back, as aliases (see the end of this file).
 */
#ifndef MAGENTA_ERRORS_H_
#define MAGENTA_ERRORS_H_

#define MX_OK				(0)

/* Internal failures. */
#define MX_ERR_INTERNAL			(-1)	/* unspecified failure */
#define MX_ERR_NOT_SUPPORTED		(-2)	/* not implemented or not enabled */
#define MX_ERR_NO_RESOURCES		(-3)	/* some resource could not be had */
#define MX_ERR_NO_MEMORY		(-4)	/* memory could not be had */
#define MX_ERR_CALL_FAILED		(-5)	/* mx_channel_call's second half failed */
#define MX_ERR_INTERNAL_INTR_RETRY	(-6)	/* interrupted, retry; never seen by callers */

/* Errors in the arguments. */
#define MX_ERR_INVALID_ARGS		(-10)	/* bad argument, e.g. a bad pointer */
#define MX_ERR_BAD_HANDLE		(-11)	/* the value names no handle */
#define MX_ERR_WRONG_TYPE		(-12)	/* the object is of the wrong type */
#define MX_ERR_BAD_SYSCALL		(-13)	/* no such call */
#define MX_ERR_OUT_OF_RANGE		(-14)	/* an argument is out of range */
#define MX_ERR_BUFFER_TOO_SMALL		(-15)	/* a caller's buffer is too small */

/* The state of things does not allow the operation. */
#define MX_ERR_BAD_STATE		(-20)	/* the object's state forbids it */
#define MX_ERR_TIMED_OUT		(-21)	/* the deadline passed first */
#define MX_ERR_SHOULD_WAIT		(-22)	/* not now; wait and retry */
#define MX_ERR_CANCELED			(-23)	/* the operation was canceled */
#define MX_ERR_PEER_CLOSED		(-24)	/* the other end is gone */
#define MX_ERR_NOT_FOUND		(-25)	/* no such entity */
#define MX_ERR_ALREADY_EXISTS		(-26)	/* it exists already */
#define MX_ERR_ALREADY_BOUND		(-27)	/* someone else owns it, for now */
#define MX_ERR_UNAVAILABLE		(-28)	/* cannot be done at present */

/* Permission. */
#define MX_ERR_ACCESS_DENIED		(-30)	/* the handle lacks a right */

/* Input and output. */
#define MX_ERR_IO			(-40)
#define MX_ERR_IO_REFUSED		(-41)
#define MX_ERR_IO_DATA_INTEGRITY	(-42)
#define MX_ERR_IO_DATA_LOSS		(-43)
#define MX_ERR_IO_NOT_PRESENT		(-44)
#define MX_ERR_IO_OVERRUN		(-45)
#define MX_ERR_IO_MISSED_DEADLINE	(-46)

/* File systems. */
#define MX_ERR_BAD_PATH			(-50)
#define MX_ERR_NOT_DIR			(-51)
#define MX_ERR_NOT_FILE			(-52)
#define MX_ERR_FILE_BIG			(-53)
#define MX_ERR_NO_SPACE			(-54)
#define MX_ERR_NOT_EMPTY		(-55)

/*
 * Flow control for callbacks ("stop", "skip this one"). No call ever
 * returns these.
 */
#define MX_ERR_STOP			(-60)
#define MX_ERR_NEXT			(-61)

/* Networking. */
#define MX_ERR_PROTOCOL_NOT_SUPPORTED	(-70)
#define MX_ERR_ADDRESS_UNREACHABLE	(-71)
#define MX_ERR_ADDRESS_IN_USE		(-72)
#define MX_ERR_NOT_CONNECTED		(-73)
#define MX_ERR_CONNECTION_REFUSED	(-74)
#define MX_ERR_CONNECTION_RESET		(-75)
#define MX_ERR_CONNECTION_ABORTED	(-76)

#ifdef MX_COMPAT_LEGACY_ERRORS
/*
 * The names Magenta used until June 2017, for old code. Opt-in only: they
 * are short and generic enough to clash with other libraries.
 */
#define NO_ERROR			MX_OK
#define ERR_INTERNAL			MX_ERR_INTERNAL
#define ERR_NOT_SUPPORTED		MX_ERR_NOT_SUPPORTED
#define ERR_NO_RESOURCES		MX_ERR_NO_RESOURCES
#define ERR_NO_MEMORY			MX_ERR_NO_MEMORY
#define ERR_CALL_FAILED			MX_ERR_CALL_FAILED
#define ERR_INTERRUPTED_RETRY		MX_ERR_INTERNAL_INTR_RETRY
#define ERR_INVALID_ARGS		MX_ERR_INVALID_ARGS
#define ERR_BAD_HANDLE			MX_ERR_BAD_HANDLE
#define ERR_WRONG_TYPE			MX_ERR_WRONG_TYPE
#define ERR_BAD_SYSCALL			MX_ERR_BAD_SYSCALL
#define ERR_OUT_OF_RANGE		MX_ERR_OUT_OF_RANGE
#define ERR_BUFFER_TOO_SMALL		MX_ERR_BUFFER_TOO_SMALL
#define ERR_BAD_STATE			MX_ERR_BAD_STATE
#define ERR_TIMED_OUT			MX_ERR_TIMED_OUT
#define ERR_SHOULD_WAIT			MX_ERR_SHOULD_WAIT
#define ERR_CANCELED			MX_ERR_CANCELED
#define ERR_PEER_CLOSED			MX_ERR_PEER_CLOSED
#define ERR_NOT_FOUND			MX_ERR_NOT_FOUND
#define ERR_ALREADY_EXISTS		MX_ERR_ALREADY_EXISTS
#define ERR_ALREADY_BOUND		MX_ERR_ALREADY_BOUND
#define ERR_UNAVAILABLE			MX_ERR_UNAVAILABLE
#define ERR_ACCESS_DENIED		MX_ERR_ACCESS_DENIED
#define ERR_IO				MX_ERR_IO
#define ERR_IO_REFUSED			MX_ERR_IO_REFUSED
#define ERR_IO_DATA_INTEGRITY		MX_ERR_IO_DATA_INTEGRITY
#define ERR_IO_DATA_LOSS		MX_ERR_IO_DATA_LOSS
#define ERR_BAD_PATH			MX_ERR_BAD_PATH
#define ERR_NOT_DIR			MX_ERR_NOT_DIR
#define ERR_NOT_FILE			MX_ERR_NOT_FILE
#define ERR_FILE_BIG			MX_ERR_FILE_BIG
#define ERR_NO_SPACE			MX_ERR_NO_SPACE
#define ERR_STOP			MX_ERR_STOP
#define ERR_NEXT			MX_ERR_NEXT
/* Older still: a deprecated alias of CANCELED, and PEER_CLOSED's name before February 2017. */
#define ERR_HANDLE_CLOSED		MX_ERR_CANCELED
#define ERR_REMOTE_CLOSED		MX_ERR_PEER_CLOSED
#endif /* MX_COMPAT_LEGACY_ERRORS */

#endif /* MAGENTA_ERRORS_H_ */
