/* SPDX-License-Identifier: MIT */
/*
 * <magenta/syscalls/port.h>: the packets of ports and the options of
 * mx_object_wait_async. The calls themselves are in <magenta/syscalls.h>,
 * which does not include this header: programs that use ports include it.
 *
 * Magenta also had exception and guest packets; mxchan has no threads or
 * guests to report on, so only user and signal packets exist.
 */
#ifndef MAGENTA_SYSCALLS_PORT_H_
#define MAGENTA_SYSCALLS_PORT_H_

#include <magenta/types.h>

__BEGIN_CDECLS

/* Options of mx_object_wait_async. */
#define MX_WAIT_ASYNC_ONCE		0u	/* one packet, then the wait ends */
#define MX_WAIT_ASYNC_REPEATING		1u	/* a packet per state change */

/* Packet types (mx_port_packet_t.type). */
#define MX_PKT_TYPE_USER		0x00u	/* queued by mx_port_queue */
#define MX_PKT_TYPE_SIGNAL_ONE		0x01u	/* from an MX_WAIT_ASYNC_ONCE wait */
#define MX_PKT_TYPE_SIGNAL_REP		0x02u	/* from an MX_WAIT_ASYNC_REPEATING wait */

#define MX_PKT_TYPE_MASK		0xFFu

#define MX_PKT_IS_USER(type)		((type) == MX_PKT_TYPE_USER)
#define MX_PKT_IS_SIGNAL_ONE(type)	((type) == MX_PKT_TYPE_SIGNAL_ONE)
#define MX_PKT_IS_SIGNAL_REP(type)	((type) == MX_PKT_TYPE_SIGNAL_REP)

/* The payload of a user packet: 32 bytes, as the queuer wrote them. */
typedef union mx_packet_user {
	uint64_t u64[4];
	uint32_t u32[8];
	uint16_t u16[16];
	uint8_t c8[32];
} mx_packet_user_t;

/* The payload of a signal packet (SIGNAL_ONE and SIGNAL_REP). */
typedef struct mx_packet_signal {
	/* The signals the wait asked for. */
	mx_signals_t trigger;
	/* The object's signals when the packet was queued (or last updated). */
	mx_signals_t observed;
	/*
	 * The messages queued on a channel that was already READABLE when
	 * the wait was registered with READABLE asked for; otherwise 1.
	 */
	uint64_t count;
	uint64_t reserved0;
	uint64_t reserved1;
} mx_packet_signal_t;

/*
 * What mx_port_queue takes and mx_port_wait returns. status is a Magenta
 * status: the queuer's for a user packet, MX_OK for a signal packet.
 */
typedef struct mx_port_packet {
	uint64_t key;
	uint32_t type;
	int32_t status;
	union {
		mx_packet_user_t user;
		mx_packet_signal_t signal;
	};
} mx_port_packet_t;

/*
 * Pin Magenta's layout: the kernel copies packets in and out as they are.
 * There is no padding, so the sizes hold on every target.
 */
#if defined(__cplusplus) && __cplusplus >= 201103L
static_assert(sizeof(mx_packet_user_t) == 32, "mx_packet_user_t size");
static_assert(offsetof(mx_packet_signal_t, trigger) == 0, "trigger");
static_assert(offsetof(mx_packet_signal_t, observed) == 4, "observed");
static_assert(offsetof(mx_packet_signal_t, count) == 8, "count");
static_assert(sizeof(mx_packet_signal_t) == 32, "mx_packet_signal_t size");
static_assert(offsetof(mx_port_packet_t, key) == 0, "key");
static_assert(offsetof(mx_port_packet_t, type) == 8, "type");
static_assert(offsetof(mx_port_packet_t, status) == 12, "status");
static_assert(offsetof(mx_port_packet_t, user) == 16, "user");
static_assert(offsetof(mx_port_packet_t, signal) == 16, "signal");
static_assert(sizeof(mx_port_packet_t) == 48, "mx_port_packet_t size");
#elif !defined(__cplusplus) && defined(__STDC_VERSION__) && \
	__STDC_VERSION__ >= 201112L
_Static_assert(sizeof(mx_packet_user_t) == 32, "mx_packet_user_t size");
_Static_assert(offsetof(mx_packet_signal_t, trigger) == 0, "trigger");
_Static_assert(offsetof(mx_packet_signal_t, observed) == 4, "observed");
_Static_assert(offsetof(mx_packet_signal_t, count) == 8, "count");
_Static_assert(sizeof(mx_packet_signal_t) == 32, "mx_packet_signal_t size");
_Static_assert(offsetof(mx_port_packet_t, key) == 0, "key");
_Static_assert(offsetof(mx_port_packet_t, type) == 8, "type");
_Static_assert(offsetof(mx_port_packet_t, status) == 12, "status");
_Static_assert(offsetof(mx_port_packet_t, user) == 16, "user");
_Static_assert(offsetof(mx_port_packet_t, signal) == 16, "signal");
_Static_assert(sizeof(mx_port_packet_t) == 48, "mx_port_packet_t size");
#endif

__END_CDECLS

#endif /* MAGENTA_SYSCALLS_PORT_H_ */
