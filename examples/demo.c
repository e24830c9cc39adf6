// SPDX-License-Identifier: MIT
/*
 * A tour of Magenta channels on Linux, written as Magenta code: only the
 * <magenta/...> headers, no Linux calls. Exits 0 when every step behaved
 * as Magenta specifies.
 *
 *   cc -static demo.c $(pkg-config --cflags --libs lib/libmx-uninstalled.pc)
 */
#include <stdio.h>
#include <string.h>

#include <magenta/rights.h>
#include <magenta/status.h>
#include <magenta/syscalls.h>

static int failures;

static void expect(const char *what, mx_status_t want, mx_status_t got)
{
	printf("  %-52s %s\n", what, mx_status_get_string(got));
	if (got != want) {
		printf("  ^^^ expected %s\n", mx_status_get_string(want));
		failures++;
	}
}

static mx_info_handle_basic_t info(mx_handle_t h)
{
	mx_info_handle_basic_t i;

	memset(&i, 0, sizeof(i));
	mx_object_get_info(h, MX_INFO_HANDLE_BASIC, &i, sizeof(i), NULL, NULL);
	return i;
}

static void show(const char *name, mx_handle_t h)
{
	mx_info_handle_basic_t i = info(h);

	printf("  %-8s handle %#010x  koid %llu  peer koid %llu  rights %#x\n",
	       name, (unsigned int)h, (unsigned long long)i.koid,
	       (unsigned long long)i.related_koid, i.rights);
}

int main(void)
{
	mx_handle_t left, right, a, b, got[4], many[65] = { 0 };
	char buf[64];
	uint32_t nb, nh;

	printf("1. A channel is a pair of endpoints.\n");
	expect("mx_channel_create(0, &left, &right)", MX_OK,
	       mx_channel_create(0, &left, &right));
	show("left", left);
	show("right", right);

	printf("\n2. Bytes written on one end are read on the other.\n");
	expect("mx_channel_write(left, \"hello, magenta\")", MX_OK,
	       mx_channel_write(left, 0, "hello, magenta", 15, NULL, 0));
	expect("mx_channel_read(right)", MX_OK,
	       mx_channel_read(right, 0, buf, NULL, sizeof(buf), 0, &nb, NULL));
	printf("  right read %u bytes: \"%s\"\n", nb, buf);
	expect("mx_channel_read(right) again", MX_ERR_SHOULD_WAIT,
	       mx_channel_read(right, 0, buf, NULL, sizeof(buf), 0, NULL, NULL));

	printf("\n3. Handles travel too: send one end of a second channel.\n");
	expect("mx_channel_create(0, &a, &b)", MX_OK,
	       mx_channel_create(0, &a, &b));
	show("a", a);
	show("b", b);
	expect("mx_channel_write(left, \"take b\", [b])", MX_OK,
	       mx_channel_write(left, 0, "take b", 7, &b, 1));
	expect("the sender no longer holds b: mx_handle_close(b)",
	       MX_ERR_BAD_HANDLE, mx_handle_close(b));
	expect("mx_channel_read(right) gets the message and b", MX_OK,
	       mx_channel_read(right, 0, buf, got, sizeof(buf), 4, &nb, &nh));
	printf("  right read \"%s\" and %u handle (new value %#x, same koid %llu)\n",
	       buf, nh, (unsigned int)got[0],
	       (unsigned long long)info(got[0]).koid);
	b = got[0];
	expect("the moved end works: mx_channel_write(a, \"ping\")", MX_OK,
	       mx_channel_write(a, 0, "ping", 5, NULL, 0));
	expect("mx_channel_read(b)", MX_OK,
	       mx_channel_read(b, 0, buf, NULL, sizeof(buf), 0, NULL, NULL));
	printf("  b read \"%s\"\n", buf);

	printf("\n4. Reads are whole messages; a small buffer loses nothing.\n");
	expect("mx_channel_write(a, 40 bytes)", MX_OK,
	       mx_channel_write(a, 0, "a message of exactly forty bytes, really", 40,
				NULL, 0));
	expect("mx_channel_read(b, 8-byte buffer)", MX_ERR_BUFFER_TOO_SMALL,
	       mx_channel_read(b, 0, buf, NULL, 8, 0, &nb, &nh));
	printf("  the kernel says the message needs %u bytes, %u handles\n",
	       nb, nh);
	expect("mx_channel_read(b, 64-byte buffer)", MX_OK,
	       mx_channel_read(b, 0, buf, NULL, sizeof(buf), 0, &nb, NULL));

	printf("\n5. The kernel checks every argument (mx_channel_write's errors).\n");
	expect("write a channel into itself", MX_ERR_NOT_SUPPORTED,
	       mx_channel_write(a, 0, NULL, 0, &a, 1));
	expect("write the same handle twice", MX_ERR_INVALID_ARGS,
	       mx_channel_write(left, 0, NULL, 0, (mx_handle_t[]){ a, a }, 2));
	expect("write 65 handles", MX_ERR_OUT_OF_RANGE,
	       mx_channel_write(left, 0, NULL, 0, many, 65));
	expect("write through a stale handle", MX_ERR_BAD_HANDLE,
	       mx_channel_write(0x7ffffffe, 0, "x", 1, NULL, 0));
	expect("a failed write kept a: mx_object_get_info(a)", MX_OK,
	       mx_object_get_info(a, MX_INFO_HANDLE_VALID, NULL, 0, NULL, NULL));

	printf("\n6. Closing one end: the other sees PEER_CLOSED once drained.\n");
	expect("mx_channel_write(left, \"last words\")", MX_OK,
	       mx_channel_write(left, 0, "last words", 11, NULL, 0));
	expect("mx_handle_close(left)", MX_OK, mx_handle_close(left));
	expect("mx_channel_read(right): still readable", MX_OK,
	       mx_channel_read(right, 0, buf, NULL, sizeof(buf), 0, NULL, NULL));
	expect("mx_channel_read(right): drained", MX_ERR_PEER_CLOSED,
	       mx_channel_read(right, 0, buf, NULL, sizeof(buf), 0, NULL, NULL));
	expect("mx_channel_write(right)", MX_ERR_PEER_CLOSED,
	       mx_channel_write(right, 0, "x", 1, NULL, 0));

	mx_handle_close(right);
	mx_handle_close(a);
	mx_handle_close(b);
	printf("\n%s\n", failures ? "demo: FAILED" :
	       "demo: every step behaved as Magenta specifies");
	return failures ? 1 : 0;
}
