// SPDX-License-Identifier: GPL-2.0
/*
 * mx_channel_read and endpoint close: empty queues, closed peers, buffers
 * too small, MAY_DISCARD, FIFO order, faults that must lose nothing (in
 * the middle of a message kept in pages too), and what closing an
 * endpoint does to the messages and handles queued to it.
 */
#include <stdlib.h>

#include "mxchan_test.h"

FIXTURE(read) {
	mx_handle_t a, b;	/* a writes, b reads */
};

FIXTURE_SETUP(read)
{
	ASSERT_OK(mx_channel_create(0, &self->a, &self->b));
}

FIXTURE_TEARDOWN(read)
{
	mx_handle_close(self->a);
	mx_handle_close(self->b);
}

/* Send one fresh channel end in a message; *kept is the end we keep. */
static mx_status_t send_channel(mx_handle_t via, const char *text,
				mx_handle_t *kept)
{
	mx_handle_t x;
	mx_status_t st = mx_channel_create(0, &x, kept);

	if (st != MX_OK)
		return st;
	return mx_channel_write(via, 0, text, (uint32_t)strlen(text) + 1, &x, 1);
}

TEST_F(read, should_wait_when_empty)
{
	uint32_t nb = 77, nh = 77;

	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_channel_read(self->b, 0, NULL, NULL, 0, 0, &nb, &nh));
	/* sizes are only reported with OK and BUFFER_TOO_SMALL */
	ASSERT_EQ(77, nb);
	ASSERT_EQ(77, nh);
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_channel_read(self->a, 0, NULL, NULL, 0, 0, NULL, NULL));
}

TEST_F(read, peer_closed_only_once_drained)
{
	char in[8];

	ASSERT_OK(mx_channel_write(self->a, 0, "one", 4, NULL, 0));
	ASSERT_OK(mx_channel_write(self->a, 0, "two", 4, NULL, 0));
	ASSERT_OK(mx_handle_close(self->a));
	self->a = MX_HANDLE_INVALID;
	ASSERT_OK(mx_channel_read(self->b, 0, in, NULL, sizeof(in), 0, NULL,
				  NULL));
	ASSERT_STREQ("one", in);
	ASSERT_OK(mx_channel_read(self->b, 0, in, NULL, sizeof(in), 0, NULL,
				  NULL));
	ASSERT_STREQ("two", in);
	ASSERT_STATUS(MX_ERR_PEER_CLOSED,
		      mx_channel_read(self->b, 0, in, NULL, sizeof(in), 0, NULL,
				      NULL));
	ASSERT_STATUS(MX_ERR_PEER_CLOSED,
		      mx_channel_write(self->b, 0, "x", 1, NULL, 0));
}

TEST_F(read, buffer_too_small_keeps_message)
{
	char in[16];
	mx_handle_t got[2], kept;
	uint32_t nb = 0, nh = 0;

	ASSERT_OK(send_channel(self->a, "twelve bytes", &kept));
	/* bytes too small */
	ASSERT_STATUS(MX_ERR_BUFFER_TOO_SMALL,
		      mx_channel_read(self->b, 0, in, got, 4, 2, &nb, &nh));
	ASSERT_EQ(13, nb);
	ASSERT_EQ(1, nh);
	/* handles too small */
	nb = nh = 0;
	ASSERT_STATUS(MX_ERR_BUFFER_TOO_SMALL,
		      mx_channel_read(self->b, 0, in, got, sizeof(in), 0, &nb,
				      &nh));
	ASSERT_EQ(13, nb);
	ASSERT_EQ(1, nh);
	/* no buffer at all, no size pointers */
	ASSERT_STATUS(MX_ERR_BUFFER_TOO_SMALL,
		      mx_channel_read(self->b, 0, NULL, NULL, 0, 0, NULL, NULL));
	/* the message and its handle are still there */
	ASSERT_FALSE(mxt_peer_closed(kept));
	ASSERT_OK(mx_channel_read(self->b, 0, in, got, sizeof(in), 2, &nb,
				  &nh));
	ASSERT_STREQ("twelve bytes", in);
	ASSERT_EQ(1, nh);
	ASSERT_EQ(mxt_info(kept).related_koid, mxt_koid(got[0]));
	ASSERT_OK(mx_handle_close(got[0]));
	ASSERT_TRUE(mxt_peer_closed(kept));
	ASSERT_OK(mx_handle_close(kept));
}

TEST_F(read, may_discard_drops_message_and_closes_its_handles)
{
	char in[4];
	mx_handle_t kept;
	uint32_t nb = 0, nh = 0;

	ASSERT_OK(send_channel(self->a, "too long to fit", &kept));
	ASSERT_OK(mx_channel_write(self->a, 0, "ok", 3, NULL, 0));
	ASSERT_STATUS(MX_ERR_BUFFER_TOO_SMALL,
		      mx_channel_read(self->b, MX_CHANNEL_READ_MAY_DISCARD, in,
				      NULL, sizeof(in), 0, &nb, &nh));
	ASSERT_EQ(16, nb);
	ASSERT_EQ(1, nh);
	/* the handle inside was closed: our end's peer is gone */
	ASSERT_TRUE(mxt_peer_closed(kept));
	ASSERT_OK(mx_handle_close(kept));
	/* and the next message is next */
	ASSERT_OK(mx_channel_read(self->b, MX_CHANNEL_READ_MAY_DISCARD, in,
				  NULL, sizeof(in), 0, &nb, &nh));
	ASSERT_STREQ("ok", in);
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_channel_read(self->b, 0, in, NULL, sizeof(in), 0, NULL,
				      NULL));
}

TEST_F(read, may_discard_reads_normally_when_it_fits)
{
	char in[8];

	ASSERT_OK(mx_channel_write(self->a, 0, "fits", 5, NULL, 0));
	ASSERT_OK(mx_channel_read(self->b, MX_CHANNEL_READ_MAY_DISCARD, in,
				  NULL, sizeof(in), 0, NULL, NULL));
	ASSERT_STREQ("fits", in);
}

TEST_F(read, fifo)
{
	uint32_t i, v, nb;

	for (i = 0; i < 3000; i++)
		ASSERT_OK(mx_channel_write(self->a, 0, &i, sizeof(i), NULL, 0));
	for (i = 0; i < 3000; i++) {
		ASSERT_OK(mx_channel_read(self->b, 0, &v, NULL, sizeof(v), 0,
					  &nb, NULL));
		ASSERT_EQ(sizeof(v), nb);
		ASSERT_EQ(i, v);
	}
}

/* Magenta code relies on deep queues (5000 pending messages and more). */
TEST_F(read, deep_queue)
{
	uint32_t i, v;

	for (i = 0; i < 6000; i++)
		ASSERT_OK(mx_channel_write(self->a, 0, &i, sizeof(i), NULL, 0));
	for (i = 0; i < 6000; i++) {
		ASSERT_OK(mx_channel_read(self->b, 0, &v, NULL, sizeof(v), 0,
					  NULL, NULL));
		ASSERT_EQ(i, v);
	}
}

TEST_F(read, fault_on_bytes_loses_nothing)
{
	mx_handle_t got, kept;
	char in[32];
	uint32_t nh;

	ASSERT_OK(send_channel(self->a, "precious", &kept));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_channel_read(self->b, 0, mxt_bad_ptr(), &got, 32, 1,
				      NULL, &nh));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_channel_read(self->b, 0, (void *)-4096L, &got, 32, 1,
				      NULL, &nh));
	ASSERT_FALSE(mxt_peer_closed(kept));
	ASSERT_OK(mx_channel_read(self->b, 0, in, &got, sizeof(in), 1, NULL,
				  &nh));
	ASSERT_STREQ("precious", in);
	ASSERT_EQ(1, nh);
	ASSERT_TRUE(mxt_valid(got));
	ASSERT_OK(mx_handle_close(got));
	ASSERT_OK(mx_handle_close(kept));
}

/* Two writable pages, then one that is not: a buffer ending in a fault. */
static char *edge_pages(void)
{
	char *p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (mprotect(p + 2 * 4096, 4096, PROT_NONE)) {
		munmap(p, 3 * 4096);
		return NULL;
	}
	return p;
}

/*
 * A message larger than a page is kept in pages: a fault on the third
 * page, after two were copied, loses nothing either, and the message
 * read again is the one written.
 */
TEST_F(read, fault_in_a_paged_message_loses_nothing)
{
	static unsigned char out[10000], in[10000];
	mx_handle_t got = 0, kept;
	uint32_t nb = 0, nh = 0, i;
	char *edge = edge_pages();

	ASSERT_NE(NULL, edge);
	for (i = 0; i < sizeof(out); i++)
		out[i] = (unsigned char)(i * 13 + i / 4096);
	ASSERT_OK(mx_channel_create(0, &got, &kept));
	ASSERT_OK(mx_channel_write(self->a, 0, out, sizeof(out), &got, 1));
	got = 0;
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_channel_read(self->b, 0, edge, &got, sizeof(in), 1,
				      &nb, &nh));
	ASSERT_EQ(0, memcmp(edge, out, 2 * 4096));	/* it got that far */
	ASSERT_EQ(0, got);
	ASSERT_FALSE(mxt_peer_closed(kept));
	ASSERT_OK(mx_channel_read(self->b, 0, in, &got, sizeof(in), 1, &nb,
				  &nh));
	ASSERT_EQ(sizeof(in), nb);
	ASSERT_EQ(1, nh);
	ASSERT_EQ(0, memcmp(in, out, sizeof(in)));
	ASSERT_OK(mx_handle_close(got));
	ASSERT_OK(mx_handle_close(kept));
	munmap(edge, 3 * 4096);
}

/*
 * Messages on both sides of the size where the bytes go to pages, one
 * after another on one channel (each end reuses the last message's
 * memory, and its pages, for the next), each read back whole.
 */
TEST_F(read, sizes_around_paging_round_trip)
{
	static const uint32_t sizes[] = {
		0, 1, 1000, 1200, 1300, 2000, 2048, 2100, 4095, 4096, 4097,
		8192, 12289, 65536, 3000, 65535, 1, 40000, 5000, 65536,
	};
	static unsigned char out[65536], in[65536];
	mx_handle_t hs[64], got[64];
	uint32_t nb, nh, i, k, n;

	for (i = 0; i < sizeof(out); i++)
		out[i] = (unsigned char)(i * 31 + i / 4096);
	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		/* every other one with 64 handles: a bigger head */
		n = k % 2 ? 64 : 0;
		for (i = 0; i < n; i++)
			ASSERT_OK(mx_event_create(0, &hs[i]));
		out[0] = (unsigned char)k;
		ASSERT_OK(mx_channel_write(self->a, 0, out, sizes[k], hs, n));
		memset(in, 0xee, sizeof(in));
		ASSERT_OK(mx_channel_read(self->b, 0, in, got, sizeof(in), 64,
					  &nb, &nh));
		ASSERT_EQ(sizes[k], nb);
		ASSERT_EQ(n, nh);
		ASSERT_EQ(0, memcmp(in, out, nb)) TH_LOG("size %u", sizes[k]);
		if (nb < sizeof(in))
			ASSERT_EQ(0xee, in[nb]);
		for (i = 0; i < n; i++)
			ASSERT_OK(mx_handle_close(got[i]));
	}
}

TEST_F(read, fault_on_handles_loses_nothing)
{
	mx_handle_t got[1], kept;
	char in[32];
	uint32_t nh;

	ASSERT_OK(send_channel(self->a, "precious", &kept));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_channel_read(self->b, 0, in, mxt_bad_ptr(), sizeof(in),
				      1, NULL, &nh));
	ASSERT_FALSE(mxt_peer_closed(kept));
	ASSERT_OK(mx_channel_read(self->b, 0, in, got, sizeof(in), 1, NULL,
				  &nh));
	ASSERT_EQ(1, nh);
	ASSERT_TRUE(mxt_valid(got[0]));
	ASSERT_EQ(mxt_info(kept).related_koid, mxt_koid(got[0]));
	ASSERT_OK(mx_handle_close(got[0]));
	ASSERT_OK(mx_handle_close(kept));
}

/* Handle values whose array faults after the first two: nothing lost. */
TEST_F(read, fault_part_way_through_handles_loses_nothing)
{
	mx_handle_t ev[4], got[4], *edge = mxt_edge_ptr(2 * sizeof(*edge));
	uint32_t nb, nh;
	char in[8];
	int i;

	ASSERT_NE(NULL, edge);
	for (i = 0; i < 4; i++)
		ASSERT_OK(mx_event_create(0, &ev[i]));
	ASSERT_OK(mx_channel_write(self->a, 0, "four", 5, ev, 4));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_channel_read(self->b, 0, in, edge, sizeof(in), 4,
				      &nb, &nh));
	ASSERT_OK(mx_channel_read(self->b, 0, in, got, sizeof(in), 4, &nb,
				  &nh));
	ASSERT_EQ(5, nb);
	ASSERT_EQ(4, nh);
	for (i = 0; i < 4; i++) {
		ASSERT_TRUE(mxt_valid(got[i]));
		ASSERT_OK(mx_handle_close(got[i]));
	}
}

/*
 * A table at its limit (max_handles, lowered here) cannot take the
 * handles of a message: NO_MEMORY, as Magenta's full handle arena, and the
 * message stays queued. EXPECT is used so the limit is restored.
 */
TEST_F(read, full_table_keeps_message)
{
	mx_handle_t kept, got, x = 77;
	char old[32], in[16];
	uint32_t nh;

	ASSERT_OK(send_channel(self->a, "for later", &kept));
	if (mxt_param_set("max_handles", "1", old, sizeof(old)))
		SKIP(return, "cannot set max_handles (needs root)");
	EXPECT_EQ(MX_ERR_NO_MEMORY, mx_channel_read(self->b, 0, in, &got,
						    sizeof(in), 1, NULL, &nh));
	/* nothing else gets a slot either */
	EXPECT_EQ(MX_ERR_NO_MEMORY, mx_channel_create(0, &x, &x));
	EXPECT_EQ(MX_ERR_NO_MEMORY, mx_event_create(0, &x));
	EXPECT_EQ(77, x);
	ASSERT_EQ(0, mxt_param_restore("max_handles", old));
	ASSERT_FALSE(mxt_peer_closed(kept));
	ASSERT_OK(mx_channel_read(self->b, 0, in, &got, sizeof(in), 1, NULL,
				  &nh));
	ASSERT_STREQ("for later", in);
	ASSERT_EQ(1, nh);
	ASSERT_OK(mx_handle_close(got));
	ASSERT_OK(mx_handle_close(kept));
}

/* A fault leaves the message at the head: the order holds. */
TEST_F(read, fault_keeps_order)
{
	uint32_t i, v;

	for (i = 0; i < 3; i++)
		ASSERT_OK(mx_channel_write(self->a, 0, &i, sizeof(i), NULL, 0));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_channel_read(self->b, 0, mxt_bad_ptr(), NULL, 4, 0,
				      NULL, NULL));
	for (i = 0; i < 3; i++) {
		ASSERT_OK(mx_channel_read(self->b, 0, &v, NULL, 4, 0, NULL,
					  NULL));
		ASSERT_EQ(i, v);
	}
}

TEST_F(read, options)
{
	ASSERT_OK(mx_channel_write(self->a, 0, "x", 1, NULL, 0));
	ASSERT_STATUS(MX_ERR_NOT_SUPPORTED,
		      mx_channel_read(self->b, 2, NULL, NULL, 0, 0, NULL, NULL));
	ASSERT_STATUS(MX_ERR_NOT_SUPPORTED,
		      mx_channel_read(self->b, 0x80000001u, NULL, NULL, 0, 0,
				      NULL, NULL));
	/* options are checked after the handle */
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_channel_read(MXT_BAD_VALUE, 2, NULL, NULL, 0, 0, NULL,
				      NULL));
	/* nothing was consumed */
	ASSERT_OK(mx_channel_read(self->b, 0, (char[1]){0}, NULL, 1, 0, NULL,
				  NULL));
}

TEST_F(read, bad_handle_wrong_type_access_denied)
{
	mx_handle_t ev, ev_nored, wo;

	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_channel_read(MX_HANDLE_INVALID, 0, NULL, NULL, 0, 0,
				      NULL, NULL));
	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE,
		      mx_channel_read(ev, 0, NULL, NULL, 0, 0, NULL, NULL));
	/* the rights check comes before the type check */
	ASSERT_OK(mx_handle_duplicate(ev, MX_RIGHT_WRITE, &ev_nored));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_channel_read(ev_nored, 0, NULL, NULL, 0, 0, NULL, NULL));
	ASSERT_OK(mx_handle_replace(self->b, MX_RIGHT_WRITE, &wo));
	self->b = wo;
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_channel_read(self->b, 0, NULL, NULL, 0, 0, NULL, NULL));
	mx_handle_close(ev);
	mx_handle_close(ev_nored);
}

TEST_F(read, received_handles_are_new_values_in_this_table)
{
	mx_handle_t x, y, got;
	mx_koid_t koid;
	uint32_t nh;

	ASSERT_OK(mx_channel_create(0, &x, &y));
	koid = mxt_koid(x);
	ASSERT_OK(mx_channel_write(self->a, 0, NULL, 0, &x, 1));
	ASSERT_OK(mx_channel_read(self->b, 0, NULL, &got, 0, 1, NULL, &nh));
	ASSERT_EQ(1, nh);
	ASSERT_GT(got, 0);
	ASSERT_NE(x, got);
	ASSERT_EQ(koid, mxt_koid(got));
	ASSERT_EQ(MX_DEFAULT_CHANNEL_RIGHTS, mxt_rights(got));
	/* the moved end still works */
	ASSERT_OK(mx_channel_write(got, 0, "hi", 3, NULL, 0));
	ASSERT_OK(mx_channel_read(y, 0, (char[3]){0}, NULL, 3, 0, NULL, NULL));
	mx_handle_close(got);
	mx_handle_close(y);
}

/* Rights travel with the handle. */
TEST_F(read, rights_travel)
{
	mx_handle_t ev, weak, got;
	uint32_t nh;

	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_handle_replace(ev, MX_RIGHT_TRANSFER | MX_RIGHT_READ,
				    &weak));
	ASSERT_OK(mx_channel_write(self->a, 0, NULL, 0, &weak, 1));
	ASSERT_OK(mx_channel_read(self->b, 0, NULL, &got, 0, 1, NULL, &nh));
	ASSERT_EQ(MX_RIGHT_TRANSFER | MX_RIGHT_READ, mxt_rights(got));
	mx_handle_close(got);
}

/* Messages queued to an endpoint die with it, and so do their handles. */
TEST_F(read, close_destroys_queued_messages)
{
	mx_handle_t kept[10];
	int i;

	for (i = 0; i < 10; i++)
		ASSERT_OK(send_channel(self->a, "in flight", &kept[i]));
	for (i = 0; i < 10; i++)
		ASSERT_FALSE(mxt_peer_closed(kept[i]));
	ASSERT_OK(mx_handle_close(self->b));
	self->b = MX_HANDLE_INVALID;
	for (i = 0; i < 10; i++) {
		ASSERT_TRUE(mxt_peer_closed(kept[i]));
		ASSERT_OK(mx_handle_close(kept[i]));
	}
}

/* Messages queued to the surviving end stay readable. */
TEST_F(read, close_keeps_messages_queued_to_the_peer)
{
	mx_handle_t kept, got;
	uint32_t nh;

	ASSERT_OK(send_channel(self->b, "for a", &kept));
	ASSERT_OK(mx_handle_close(self->b));
	self->b = MX_HANDLE_INVALID;
	ASSERT_OK(mx_channel_read(self->a, 0, (char[8]){0}, &got, 8, 1, NULL,
				  &nh));
	ASSERT_EQ(1, nh);
	ASSERT_FALSE(mxt_peer_closed(kept));
	mx_handle_close(got);
	mx_handle_close(kept);
}

/*
 * A chain of channels each queued inside the next: closing the outer end
 * tears all of them down without recursing on the kernel stack.
 */
TEST_F(read, nested_channels_close)
{
	const int depth = 5000;
	mx_handle_t first, prev, x, y;
	int i;

	ASSERT_OK(mx_channel_create(0, &first, &prev));
	for (i = 0; i < depth; i++) {
		ASSERT_OK(mx_channel_create(0, &x, &y));
		ASSERT_OK(mx_channel_write(x, 0, NULL, 0, &prev, 1));
		ASSERT_OK(mx_handle_close(x));
		prev = y;
	}
	/* first's peer sits depth levels down; it is alive */
	ASSERT_FALSE(mxt_peer_closed(first));
	ASSERT_OK(mx_handle_close(prev));
	ASSERT_TRUE(mxt_peer_closed(first));
	ASSERT_OK(mx_handle_close(first));
}

/* An endpoint in flight keeps its peer from seeing PEER_CLOSED. */
TEST_F(read, handles_in_flight_count)
{
	mx_handle_t x, y, got;
	uint32_t nh;

	ASSERT_OK(mx_channel_create(0, &x, &y));
	ASSERT_OK(mx_channel_write(self->a, 0, NULL, 0, &x, 1));
	ASSERT_FALSE(mxt_peer_closed(y));
	ASSERT_OK(mx_channel_read(self->b, 0, NULL, &got, 0, 1, NULL, &nh));
	ASSERT_OK(mx_handle_close(got));
	/* the zero-byte probe message from above died with got */
	ASSERT_TRUE(mxt_peer_closed(y));
	ASSERT_STATUS(MX_ERR_PEER_CLOSED,
		      mx_channel_read(y, 0, NULL, NULL, 0, 0, NULL, NULL));
	mx_handle_close(y);
}

/* Both buffers may overlap: the handle values land last. */
TEST_F(read, overlapping_buffers)
{
	mx_handle_t ev;
	uint32_t buf[4] = { 0 }, nh, nb;

	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_channel_write(self->a, 0, "abcdefgh", 8, &ev, 1));
	ASSERT_OK(mx_channel_read(self->b, 0, buf, (mx_handle_t *)buf,
				  sizeof(buf), 1, &nb, &nh));
	ASSERT_EQ(8, nb);
	ASSERT_EQ(1, nh);
	ASSERT_TRUE(mxt_valid((mx_handle_t)buf[0]));
	ASSERT_EQ(0, memcmp(&buf[1], "efgh", 4));
	mx_handle_close((mx_handle_t)buf[0]);
}

TEST_HARNESS_MAIN
