// SPDX-License-Identifier: GPL-2.0
/*
 * One source written as a Zircon program of early 2018 would be (zx_
 * names, <zircon/...> headers), built twice:
 *  - era_zx_test: against the generated <zircon/...> headers and libzircon,
 *    the way such a program builds here unchanged;
 *  - era_mx_test: against the Magenta headers and libmx, through
 *    zx-names.h (selftests/era-headers.sh), which maps each zx_/ZX_ name
 *    the Magenta headers have to its mx_/MX_ twin.
 * Channels, handles, waits, ports, sockets, VMOs and status names behave
 * the same in both; where the eras differ each build checks its own: no
 * LAST_HANDLE (bit 22) and an unsigned zx_handle_t for Zircon, a port
 * count of 0 or 1 where Magenta took a size that must be 0, and the
 * status names' prefix.
 */
#include <stdint.h>
#include <string.h>

#include <zircon/processargs.h>
#include <zircon/rights.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/port.h>

#include "kselftest_harness.h"

/* The bit Magenta called LAST_HANDLE; Zircon left it unused. */
#define BIT22 ((zx_signals_t)1u << 22)

#ifdef ZX_SIGNAL_LAST_HANDLE
#define ERA_MAGENTA 1
#define ERA_PREFIX "MX_"
#else
#define ERA_MAGENTA 0
#define ERA_PREFIX "ZX_"
#endif

#define ASSERT_ZX(expected, actual) do {				\
	zx_status_t __e = (expected), __a = (actual);			\
	if (__e != __a)							\
		TH_LOG("expected %s, got %s", zx_status_get_string(__e), \
		       zx_status_get_string(__a));			\
	ASSERT_EQ(__e, __a);						\
} while (0)

TEST(era)
{
	/* the build is the era it claims: its header set and its library */
	ASSERT_EQ(!ERA_MAGENTA, (zx_handle_t)-1 > 0);
	ASSERT_EQ(4u, sizeof(zx_handle_t));
	ASSERT_EQ(0, strncmp(zx_status_get_string(ZX_ERR_TIMED_OUT),
			     ERA_PREFIX, 3));
	ASSERT_STREQ("ERR_TIMED_OUT",
		     zx_status_get_string(ZX_ERR_TIMED_OUT) + 3);
	ASSERT_STREQ(ERA_MAGENTA ? "MX_OK" : "ZX_OK", zx_status_get_string(ZX_OK));
	ASSERT_STREQ("(UNKNOWN)", zx_status_get_string(-12345));
}

TEST(channel_with_a_handle)
{
	zx_handle_t a, b, ev, got[2] = { 0, 0 };
	uint32_t nb = 0, nh = 0;
	char buf[16] = "";
	zx_info_handle_basic_t info;

	ASSERT_ZX(ZX_OK, zx_channel_create(0, &a, &b));
	ASSERT_ZX(ZX_OK, zx_event_create(0, &ev));
	ASSERT_ZX(ZX_OK, zx_channel_write(a, 0, "hello", 5, &ev, 1));
	/* too small: the sizes come back, the message stays */
	ASSERT_ZX(ZX_ERR_BUFFER_TOO_SMALL,
		  zx_channel_read(b, 0, buf, got, 2, 0, &nb, &nh));
	ASSERT_EQ(5u, nb);
	ASSERT_EQ(1u, nh);
	ASSERT_ZX(ZX_OK, zx_channel_read(b, 0, buf, got, sizeof(buf), 2,
					 &nb, &nh));
	ASSERT_EQ(0, memcmp(buf, "hello", 5));
	ASSERT_EQ(1u, nh);
	ASSERT_NE(ZX_HANDLE_INVALID, got[0]);
	/* the sent handle left the sender's table */
	ASSERT_ZX(ZX_ERR_BAD_HANDLE, zx_handle_close(ev));
	ASSERT_ZX(ZX_OK, zx_object_get_info(got[0], ZX_INFO_HANDLE_BASIC,
					    &info, sizeof(info), NULL, NULL));
	ASSERT_EQ(ZX_OBJ_TYPE_EVENT, info.type);
	ASSERT_EQ(ZX_DEFAULT_EVENT_RIGHTS, info.rights);
	ASSERT_ZX(ZX_OK, zx_handle_close(a));
	ASSERT_ZX(ZX_ERR_PEER_CLOSED, zx_channel_write(b, 0, "x", 1, NULL, 0));
	ASSERT_ZX(ZX_OK, zx_handle_close(b));
	ASSERT_ZX(ZX_OK, zx_handle_close(got[0]));
}

/* A lone event's handle is its last: only Magenta's waits say so. */
TEST(wait_one_and_bit_22)
{
	zx_signals_t obs = 0;
	zx_handle_t ev, dup;

	ASSERT_ZX(ZX_OK, zx_event_create(0, &ev));
	ASSERT_ZX(ZX_ERR_TIMED_OUT, zx_object_wait_one(ev, ZX_USER_SIGNAL_0,
						       0, &obs));
	ASSERT_EQ(ERA_MAGENTA ? BIT22 : 0, obs);
	ASSERT_ZX(ZX_OK, zx_object_signal(ev, 0, ZX_USER_SIGNAL_0));
	ASSERT_ZX(ZX_OK, zx_object_wait_one(ev, ZX_USER_SIGNAL_0,
					    ZX_TIME_INFINITE, &obs));
	ASSERT_EQ(ZX_USER_SIGNAL_0 | (ERA_MAGENTA ? BIT22 : 0), obs);
	/* waiting for bit 22 alone: Magenta's is met, Zircon's never is */
	ASSERT_ZX(ERA_MAGENTA ? ZX_OK : ZX_ERR_TIMED_OUT,
		  zx_object_wait_one(ev, BIT22, zx_deadline_after(ZX_MSEC(20)),
				     &obs));
	ASSERT_EQ(ZX_USER_SIGNAL_0 | (ERA_MAGENTA ? BIT22 : 0), obs);
	/* a second handle: not the last in either era */
	ASSERT_ZX(ZX_OK, zx_handle_duplicate(ev, ZX_RIGHT_SAME_RIGHTS, &dup));
	ASSERT_ZX(ZX_OK, zx_object_wait_one(ev, ZX_USER_SIGNAL_0, 0, &obs));
	ASSERT_EQ(ZX_USER_SIGNAL_0, obs);
	ASSERT_ZX(ZX_OK, zx_handle_close(dup));
	ASSERT_ZX(ZX_OK, zx_handle_close(ev));
	/* a closed handle is still BAD_HANDLE, observed untouched */
	obs = 7;
	ASSERT_ZX(ZX_ERR_BAD_HANDLE, zx_object_wait_one(ev, ZX_USER_SIGNAL_0,
							0, &obs));
	ASSERT_EQ(7u, obs);
}

TEST(wait_many)
{
	zx_wait_item_t items[2];
	zx_handle_t e1, e2;

	ASSERT_ZX(ZX_OK, zx_event_create(0, &e1));
	ASSERT_ZX(ZX_OK, zx_event_create(0, &e2));
	items[0] = (zx_wait_item_t){ .handle = e1, .waitfor = ZX_USER_SIGNAL_0 };
	items[1] = (zx_wait_item_t){ .handle = e2,
				     .waitfor = ZX_USER_SIGNAL_1 | BIT22 };
	if (ERA_MAGENTA) {
		/* e2's handle is its last: bit 22 is met at once */
		ASSERT_ZX(ZX_OK, zx_object_wait_many(items, 2, 0));
		ASSERT_EQ(BIT22, items[1].pending);
	} else {
		ASSERT_ZX(ZX_ERR_TIMED_OUT, zx_object_wait_many(items, 2, 0));
		ASSERT_EQ(0u, items[0].pending);
		ASSERT_EQ(0u, items[1].pending);
		/* the caller's waitfor is as it was */
		ASSERT_EQ(ZX_USER_SIGNAL_1 | BIT22, items[1].waitfor);
	}
	ASSERT_ZX(ZX_OK, zx_object_signal(e1, 0, ZX_USER_SIGNAL_0));
	ASSERT_ZX(ZX_OK, zx_object_wait_many(items, 2, ZX_TIME_INFINITE));
	ASSERT_EQ(ZX_USER_SIGNAL_0 | (ERA_MAGENTA ? BIT22 : 0),
		  items[0].pending);
	ASSERT_EQ(ZX_USER_SIGNAL_1 | BIT22, items[1].waitfor);
	/* more items than the kernel takes: its error, nothing written */
	ASSERT_ZX(ZX_ERR_INVALID_ARGS, zx_object_wait_many(items, 100000, 0));
	ASSERT_EQ(ZX_USER_SIGNAL_1 | BIT22, items[1].waitfor);
	ASSERT_ZX(ZX_OK, zx_handle_close(e1));
	ASSERT_ZX(ZX_OK, zx_handle_close(e2));
}

TEST(port_queue_wait_and_signal_packets)
{
	zx_port_packet_t in = { .key = 42, .type = ZX_PKT_TYPE_USER };
	zx_port_packet_t out;
	zx_handle_t port, ev;

	ASSERT_ZX(ZX_OK, zx_port_create(0, &port));
	/* 0 is the size Magenta wanted and a count Zircon took */
	ASSERT_ZX(ZX_OK, zx_port_queue(port, &in, 0));
	ASSERT_ZX(ZX_OK, zx_port_wait(port, 0, &out, 0));
	ASSERT_EQ(42u, out.key);
	/* 1: Zircon's count of one packet; not a size Magenta took */
	ASSERT_ZX(ERA_MAGENTA ? ZX_ERR_INVALID_ARGS : ZX_OK,
		  zx_port_queue(port, &in, 1));
	ASSERT_ZX(ERA_MAGENTA ? ZX_ERR_INVALID_ARGS : ZX_OK,
		  zx_port_wait(port, 0, &out, 1));
	ASSERT_ZX(ZX_ERR_INVALID_ARGS, zx_port_queue(port, &in, 2));
	ASSERT_ZX(ZX_ERR_INVALID_ARGS, zx_port_wait(port, 0, &out, 2));
	ASSERT_ZX(ZX_ERR_TIMED_OUT, zx_port_wait(port, 0, &out, 0));

	/* a signal packet: Zircon's has no bit 22 in trigger or observed */
	ASSERT_ZX(ZX_OK, zx_event_create(0, &ev));
	ASSERT_ZX(ZX_OK, zx_object_wait_async(ev, port, 7,
					      ZX_USER_SIGNAL_0 | BIT22,
					      ZX_WAIT_ASYNC_ONCE));
	if (!ERA_MAGENTA) {
		ASSERT_ZX(ZX_ERR_TIMED_OUT, zx_port_wait(port, 0, &out, 1));
		ASSERT_ZX(ZX_OK, zx_object_signal(ev, 0, ZX_USER_SIGNAL_0));
	}
	ASSERT_ZX(ZX_OK, zx_port_wait(port, ZX_TIME_INFINITE, &out, 0));
	ASSERT_EQ(7u, out.key);
	ASSERT_EQ(ZX_PKT_TYPE_SIGNAL_ONE, out.type);
	ASSERT_EQ(ERA_MAGENTA ? ZX_USER_SIGNAL_0 | BIT22 : ZX_USER_SIGNAL_0,
		  out.signal.trigger);
	ASSERT_EQ(ERA_MAGENTA ? BIT22 : ZX_USER_SIGNAL_0, out.signal.observed);
	ASSERT_ZX(ZX_OK, zx_handle_close(ev));
	ASSERT_ZX(ZX_OK, zx_handle_close(port));
}

/*
 * A REPEATING wait queues a packet on each change while its trigger is
 * set; the handle count crossing one is such a change only for Magenta.
 */
TEST(repeating_wait_and_handle_count)
{
	zx_port_packet_t out;
	zx_handle_t port, ev, dup;

	ASSERT_ZX(ZX_OK, zx_port_create(0, &port));
	ASSERT_ZX(ZX_OK, zx_event_create(0, &ev));
	ASSERT_ZX(ZX_OK, zx_object_signal(ev, 0, ZX_USER_SIGNAL_0));
	ASSERT_ZX(ZX_OK, zx_object_wait_async(ev, port, 9, ZX_USER_SIGNAL_0,
					      ZX_WAIT_ASYNC_REPEATING));
	ASSERT_ZX(ZX_OK, zx_port_wait(port, 0, &out, 0));
	ASSERT_EQ(ZX_PKT_TYPE_SIGNAL_REP, out.type);
	ASSERT_EQ(ZX_USER_SIGNAL_0 | (ERA_MAGENTA ? BIT22 : 0),
		  out.signal.observed);
	/* two handles, then one again */
	ASSERT_ZX(ZX_OK, zx_handle_duplicate(ev, ZX_RIGHT_SAME_RIGHTS, &dup));
	ASSERT_ZX(ERA_MAGENTA ? ZX_OK : ZX_ERR_TIMED_OUT,
		  zx_port_wait(port, 0, &out, 0));
	if (ERA_MAGENTA)
		ASSERT_EQ(ZX_USER_SIGNAL_0, out.signal.observed);
	ASSERT_ZX(ZX_OK, zx_handle_close(dup));
	ASSERT_ZX(ERA_MAGENTA ? ZX_OK : ZX_ERR_TIMED_OUT,
		  zx_port_wait(port, 0, &out, 0));
	if (ERA_MAGENTA)
		ASSERT_EQ(ZX_USER_SIGNAL_0 | BIT22, out.signal.observed);
	/* a change the era sees: one packet in both */
	ASSERT_ZX(ZX_OK, zx_object_signal(ev, 0, ZX_USER_SIGNAL_1));
	ASSERT_ZX(ZX_OK, zx_port_wait(port, 0, &out, 0));
	ASSERT_EQ(9u, out.key);
	ASSERT_EQ(ZX_USER_SIGNAL_0 | ZX_USER_SIGNAL_1 |
		  (ERA_MAGENTA ? BIT22 : 0), out.signal.observed);
	ASSERT_ZX(ZX_ERR_TIMED_OUT, zx_port_wait(port, 0, &out, 0));
	/*
	 * The option bit libzircon sets (mxchan's NO_LAST_HANDLE): libmx
	 * passes it on to the kernel; to a zx_ caller it is no option.
	 */
	ASSERT_ZX(ERA_MAGENTA ? ZX_OK : ZX_ERR_INVALID_ARGS,
		  zx_object_wait_async(ev, port, 9, ZX_USER_SIGNAL_0,
				       0x80000000u));
	ASSERT_ZX(ZX_OK, zx_handle_close(ev));
	ASSERT_ZX(ZX_OK, zx_handle_close(port));
}

TEST(socket)
{
	zx_handle_t a, b;
	size_t n = 0;
	char buf[8];

	ASSERT_ZX(ZX_OK, zx_socket_create(ZX_SOCKET_STREAM, &a, &b));
	ASSERT_ZX(ZX_OK, zx_socket_write(a, 0, "abcdef", 6, &n));
	ASSERT_EQ(6u, n);
	ASSERT_ZX(ZX_OK, zx_socket_read(b, 0, buf, 4, &n));
	ASSERT_EQ(4u, n);
	ASSERT_EQ(0, memcmp(buf, "abcd", 4));
	ASSERT_ZX(ZX_OK, zx_socket_read(b, 0, buf, sizeof(buf), &n));
	ASSERT_EQ(2u, n);
	ASSERT_ZX(ZX_ERR_SHOULD_WAIT, zx_socket_read(b, 0, buf, 1, &n));
	ASSERT_ZX(ZX_OK, zx_handle_close(a));
	ASSERT_ZX(ZX_ERR_PEER_CLOSED, zx_socket_read(b, 0, buf, 1, &n));
	ASSERT_ZX(ZX_OK, zx_handle_close(b));
}

/* The pre-March-2018 VMO calls, with their actual out-parameter. */
TEST(vmo)
{
	zx_handle_t vmo, ro, clone;
	uint64_t size = 0;
	size_t n = 0;
	char buf[32];

	ASSERT_ZX(ZX_OK, zx_vmo_create(12, 0, &vmo));
	ASSERT_ZX(ZX_OK, zx_vmo_get_size(vmo, &size));
	ASSERT_EQ(12u, size);
	ASSERT_ZX(ZX_OK, zx_vmo_write(vmo, "hello, world", 0, 12, &n));
	ASSERT_EQ(12u, n);
	ASSERT_ZX(ZX_OK, zx_vmo_set_size(vmo, 23));
	ASSERT_ZX(ZX_OK, zx_vmo_get_size(vmo, &size));
	ASSERT_EQ(23u, size);
	ASSERT_ZX(ZX_ERR_OUT_OF_RANGE, zx_vmo_read(vmo, buf, 24, 1, &n));
	ASSERT_ZX(ZX_OK, zx_vmo_clone(vmo, ZX_VMO_CLONE_COPY_ON_WRITE, 0, 12,
				      &clone));
	ASSERT_ZX(ZX_OK, zx_vmo_write(vmo, "j", 0, 1, &n));
	ASSERT_ZX(ZX_OK, zx_vmo_read(clone, buf, 0, 12, &n));
	ASSERT_EQ(12u, n);
	ASSERT_EQ(0, memcmp(buf, "jello, world", 12));
	ASSERT_ZX(ZX_OK, zx_handle_duplicate(vmo, ZX_RIGHT_READ, &ro));
	ASSERT_ZX(ZX_ERR_ACCESS_DENIED, zx_vmo_write(ro, "x", 0, 1, &n));
	ASSERT_ZX(ZX_OK, zx_vmo_op_range(vmo, ZX_VMO_OP_COMMIT, 0, 23, NULL, 0));
	ASSERT_ZX(ZX_ERR_NOT_SUPPORTED,
		  zx_vmo_op_range(vmo, ZX_VMO_OP_LOCK, 0, 23, NULL, 0));
	ASSERT_ZX(ZX_OK, zx_handle_close(ro));
	ASSERT_ZX(ZX_OK, zx_handle_close(clone));
	ASSERT_ZX(ZX_OK, zx_handle_close(vmo));
}

TEST_HARNESS_MAIN
