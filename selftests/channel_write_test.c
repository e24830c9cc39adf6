// SPDX-License-Identifier: GPL-2.0
/*
 * mx_channel_write: every sentence of its contract, every error, and
 * Magenta's order among errors.
 */
#include "mxchan_test.h"

#define NSEND 3

FIXTURE(write) {
	mx_handle_t a, b;		/* the channel written to (a) */
	mx_handle_t send[NSEND];	/* handles to send: events */
	mx_koid_t koid[NSEND];
};

FIXTURE_SETUP(write)
{
	int i;

	ASSERT_OK(mx_channel_create(0, &self->a, &self->b));
	for (i = 0; i < NSEND; i++) {
		ASSERT_OK(mx_event_create(0, &self->send[i]));
		self->koid[i] = mxt_koid(self->send[i]);
		ASSERT_NE(0, self->koid[i]);
	}
}

FIXTURE_TEARDOWN(write)
{
	int i;

	mx_handle_close(self->a);
	mx_handle_close(self->b);
	for (i = 0; i < NSEND; i++)
		mx_handle_close(self->send[i]);
}

/* After a failed write every handle is still ours, same value, same object. */
static void assert_still_owned(struct __test_metadata *_metadata,
			       FIXTURE_DATA(write) *self)
{
	int i;

	for (i = 0; i < NSEND; i++)
		ASSERT_EQ(self->koid[i], mxt_koid(self->send[i]));
	ASSERT_TRUE(mxt_valid(self->a));
}

/* ... and nothing reached the other end. */
static void assert_nothing_queued(struct __test_metadata *_metadata,
				  mx_handle_t h)
{
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_channel_read(h, 0, NULL, NULL, 0, 0, NULL, NULL));
}

TEST_F(write, bytes_and_handles_arrive)
{
	char out[64] = "hello, magenta", in[64];
	mx_handle_t got[NSEND];
	uint32_t nb = 0, nh = 0;
	int i;

	ASSERT_OK(mx_channel_write(self->a, 0, out, sizeof(out), self->send,
				   NSEND));
	ASSERT_OK(mx_channel_read(self->b, 0, in, got, sizeof(in), NSEND,
				  &nb, &nh));
	ASSERT_EQ(sizeof(out), nb);
	ASSERT_EQ(NSEND, nh);
	ASSERT_EQ(0, memcmp(out, in, sizeof(out)));
	for (i = 0; i < NSEND; i++) {
		ASSERT_GT(got[i], 0);
		ASSERT_EQ(self->koid[i], mxt_koid(got[i]));
		self->send[i] = got[i];	/* teardown closes them */
	}
}

TEST_F(write, sent_handles_leave_the_sender)
{
	int i;

	ASSERT_OK(mx_channel_write(self->a, 0, NULL, 0, self->send, NSEND));
	for (i = 0; i < NSEND; i++) {
		ASSERT_FALSE(mxt_valid(self->send[i]));
		ASSERT_STATUS(MX_ERR_BAD_HANDLE, mx_handle_close(self->send[i]));
	}
	/* the reader's handle values are new ones */
	{
		mx_handle_t got[NSEND];
		uint32_t nh;

		ASSERT_OK(mx_channel_read(self->b, 0, NULL, got, 0, NSEND,
					  NULL, &nh));
		ASSERT_EQ(NSEND, nh);
		for (i = 0; i < NSEND; i++)
			self->send[i] = got[i];
	}
}

TEST_F(write, null_pointers_with_zero_sizes)
{
	ASSERT_OK(mx_channel_write(self->a, 0, NULL, 0, NULL, 0));
	ASSERT_OK(mx_channel_read(self->b, 0, NULL, NULL, 0, 0, NULL, NULL));
}

TEST_F(write, count_is_elements_not_bytes)
{
	mx_handle_t got[NSEND * 4];
	uint32_t nh = 0;
	int i;

	ASSERT_OK(mx_channel_write(self->a, 0, NULL, 0, self->send, 2));
	ASSERT_OK(mx_channel_read(self->b, 0, NULL, got, 0, NSEND * 4, NULL,
				  &nh));
	ASSERT_EQ(2, nh);
	ASSERT_TRUE(mxt_valid(self->send[2]));
	for (i = 0; i < 2; i++)
		self->send[i] = got[i];
}

TEST_F(write, data_copied_at_write_time)
{
	char buf[8] = "before", in[8];

	ASSERT_OK(mx_channel_write(self->a, 0, buf, sizeof(buf), NULL, 0));
	strcpy(buf, "after");
	ASSERT_OK(mx_channel_read(self->b, 0, in, NULL, sizeof(in), 0, NULL,
				  NULL));
	ASSERT_STREQ("before", in);
}

TEST_F(write, bad_handle)
{
	mx_handle_t closed_value, x, y;
	char byte = 1;

	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_channel_write(MX_HANDLE_INVALID, 0, &byte, 1, NULL, 0));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_channel_write(-5, 0, &byte, 1, NULL, 0));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_channel_write(self->a ^ 1, 0, &byte, 1, NULL, 0));
	ASSERT_OK(mx_channel_create(0, &x, &y));
	closed_value = x;
	ASSERT_OK(mx_handle_close(x));
	ASSERT_OK(mx_handle_close(y));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_channel_write(closed_value, 0, &byte, 1, NULL, 0));
}

TEST_F(write, bad_handle_in_array)
{
	mx_handle_t hs[NSEND + 1];

	memcpy(hs, self->send, sizeof(self->send));
	hs[NSEND] = MXT_BAD_VALUE;
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_channel_write(self->a, 0, NULL, 0, hs, NSEND + 1));
	hs[NSEND] = MX_HANDLE_INVALID;
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_channel_write(self->a, 0, NULL, 0, hs, NSEND + 1));
	hs[0] = -1;
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_channel_write(self->a, 0, NULL, 0, hs, 1));
	assert_still_owned(_metadata, self);
	assert_nothing_queued(_metadata, self->b);
}

TEST_F(write, wrong_type)
{
	char byte = 1;

	ASSERT_STATUS(MX_ERR_WRONG_TYPE,
		      mx_channel_write(self->send[0], 0, &byte, 1, NULL, 0));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE,
		      mx_channel_write(self->send[0], 0, NULL, 0,
				       &self->send[1], 1));
	assert_still_owned(_metadata, self);
}

TEST_F(write, invalid_args_options)
{
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_channel_write(self->a, 1, NULL, 0, self->send, NSEND));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_channel_write(self->a, 0x80000000u, NULL, 0, NULL, 0));
	assert_still_owned(_metadata, self);
	assert_nothing_queued(_metadata, self->b);
}

TEST_F(write, invalid_args_bytes_pointer)
{
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_channel_write(self->a, 0, mxt_bad_ptr(), 16,
				       self->send, NSEND));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_channel_write(self->a, 0, NULL, 1, NULL, 0));
	/* a kernel address is as invalid as an unmapped one */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_channel_write(self->a, 0, (void *)-4096L, 16, NULL, 0));
	assert_still_owned(_metadata, self);
	assert_nothing_queued(_metadata, self->b);
}

TEST_F(write, invalid_args_handles_pointer)
{
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_channel_write(self->a, 0, NULL, 0, mxt_bad_ptr(), 2));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_channel_write(self->a, 0, NULL, 0, NULL, 1));
	assert_still_owned(_metadata, self);
	assert_nothing_queued(_metadata, self->b);
}

/* Values whose array faults after the first two: nothing moves. */
TEST_F(write, invalid_args_handles_fault_part_way)
{
	mx_handle_t *edge = mxt_edge_ptr(2 * sizeof(*edge));

	ASSERT_NE(NULL, edge);
	memcpy(edge, self->send, 2 * sizeof(*edge));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_channel_write(self->a, 0, "x", 1, edge, 4));
	assert_still_owned(_metadata, self);
	assert_nothing_queued(_metadata, self->b);
}

TEST_F(write, invalid_args_duplicates)
{
	mx_handle_t hs[4] = { self->send[0], self->send[1], self->send[2],
			      self->send[1] };

	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_channel_write(self->a, 0, NULL, 0, hs, 4));
	hs[1] = self->send[0];
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_channel_write(self->a, 0, NULL, 0, hs, 2));
	assert_still_owned(_metadata, self);
	assert_nothing_queued(_metadata, self->b);
}

TEST_F(write, duplicate_handles_of_one_object_are_distinct)
{
	mx_handle_t hs[2], got[2];
	uint32_t nh;

	hs[0] = self->send[0];
	ASSERT_OK(mx_handle_duplicate(self->send[0], MX_RIGHT_SAME_RIGHTS,
				      &hs[1]));
	ASSERT_OK(mx_channel_write(self->a, 0, NULL, 0, hs, 2));
	ASSERT_OK(mx_channel_read(self->b, 0, NULL, got, 0, 2, NULL, &nh));
	ASSERT_EQ(2, nh);
	ASSERT_EQ(self->koid[0], mxt_koid(got[0]));
	ASSERT_EQ(self->koid[0], mxt_koid(got[1]));
	self->send[0] = got[0];
	mx_handle_close(got[1]);
}

TEST_F(write, not_supported_own_handle)
{
	mx_handle_t hs[NSEND + 1];

	ASSERT_STATUS(MX_ERR_NOT_SUPPORTED,
		      mx_channel_write(self->a, 0, NULL, 0, &self->a, 1));
	memcpy(hs, self->send, sizeof(self->send));
	hs[NSEND] = self->a;
	ASSERT_STATUS(MX_ERR_NOT_SUPPORTED,
		      mx_channel_write(self->a, 0, NULL, 0, hs, NSEND + 1));
	assert_still_owned(_metadata, self);
	assert_nothing_queued(_metadata, self->b);
}

TEST_F(write, access_denied_no_write_right)
{
	mx_handle_t ro;
	char byte = 1;

	ASSERT_OK(mx_handle_replace(self->a, MX_RIGHT_READ | MX_RIGHT_TRANSFER,
				    &ro));
	self->a = ro;
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_channel_write(self->a, 0, &byte, 1, NULL, 0));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_channel_write(self->a, 0, NULL, 0, self->send, NSEND));
	assert_still_owned(_metadata, self);
	assert_nothing_queued(_metadata, self->b);
}

TEST_F(write, access_denied_no_transfer_right)
{
	mx_handle_t fixed;

	ASSERT_OK(mx_handle_replace(self->send[2],
				    MX_RIGHT_READ | MX_RIGHT_DUPLICATE, &fixed));
	self->send[2] = fixed;
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_channel_write(self->a, 0, NULL, 0, self->send, NSEND));
	assert_still_owned(_metadata, self);
	assert_nothing_queued(_metadata, self->b);
}

TEST_F(write, peer_closed)
{
	char byte = 1;

	ASSERT_OK(mx_handle_close(self->b));
	self->b = MX_HANDLE_INVALID;
	ASSERT_STATUS(MX_ERR_PEER_CLOSED,
		      mx_channel_write(self->a, 0, &byte, 1, NULL, 0));
	ASSERT_STATUS(MX_ERR_PEER_CLOSED,
		      mx_channel_write(self->a, 0, &byte, 1, self->send, NSEND));
	assert_still_owned(_metadata, self);
}

TEST_F(write, out_of_range)
{
	static char big[MX_CHANNEL_MAX_MSG_BYTES + 1];
	mx_handle_t many[MX_CHANNEL_MAX_MSG_HANDLES + 1];
	int i;

	ASSERT_EQ(64, MX_CHANNEL_MAX_MSG_HANDLES);
	ASSERT_EQ(65536, MX_CHANNEL_MAX_MSG_BYTES);
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE,
		      mx_channel_write(self->a, 0, big, sizeof(big), NULL, 0));
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE,
		      mx_channel_write(self->a, 0, big, 0xffffffffu, NULL, 0));
	for (i = 0; i <= (int)MX_CHANNEL_MAX_MSG_HANDLES; i++)
		many[i] = self->send[i % NSEND];
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE,
		      mx_channel_write(self->a, 0, NULL, 0, many,
				       MX_CHANNEL_MAX_MSG_HANDLES + 1));
	assert_still_owned(_metadata, self);
	assert_nothing_queued(_metadata, self->b);
}

/*
 * A message kept in pages, whose bytes fault on the third page: nothing
 * is sent, the handle stays, and the peer has nothing queued.
 */
TEST_F(write, fault_in_a_paged_message_sends_nothing)
{
	char *p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mx_handle_t ev;

	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, mprotect(p + 2 * 4096, 4096, PROT_NONE));
	memset(p, 'x', 2 * 4096);
	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_channel_write(self->a, 0, p, 3 * 4096, &ev, 1));
	ASSERT_TRUE(mxt_valid(ev));
	assert_nothing_queued(_metadata, self->b);
	ASSERT_OK(mx_channel_write(self->a, 0, p, 2 * 4096, &ev, 1));
	ASSERT_FALSE(mxt_valid(ev));
	munmap(p, 3 * 4096);
}

TEST_F(write, largest_message)
{
	static char big[MX_CHANNEL_MAX_MSG_BYTES], in[MX_CHANNEL_MAX_MSG_BYTES];
	mx_handle_t hs[MX_CHANNEL_MAX_MSG_HANDLES], got[MX_CHANNEL_MAX_MSG_HANDLES];
	uint32_t nb, nh;
	int i;

	for (i = 0; i < (int)sizeof(big); i++)
		big[i] = (char)(i * 7);
	for (i = 0; i < (int)MX_CHANNEL_MAX_MSG_HANDLES; i++)
		ASSERT_OK(mx_event_create(0, &hs[i]));
	ASSERT_OK(mx_channel_write(self->a, 0, big, sizeof(big), hs,
				   MX_CHANNEL_MAX_MSG_HANDLES));
	ASSERT_OK(mx_channel_read(self->b, 0, in, got, sizeof(in),
				  MX_CHANNEL_MAX_MSG_HANDLES, &nb, &nh));
	ASSERT_EQ(sizeof(big), nb);
	ASSERT_EQ(MX_CHANNEL_MAX_MSG_HANDLES, nh);
	ASSERT_EQ(0, memcmp(big, in, sizeof(big)));
	for (i = 0; i < (int)MX_CHANNEL_MAX_MSG_HANDLES; i++) {
		ASSERT_FALSE(mxt_valid(hs[i]));
		ASSERT_OK(mx_handle_close(got[i]));
	}
}

/*
 * NO_MEMORY, the seed's temporary failure: a queue at its limit (the
 * max_queued parameter, lowered here) refuses more, keeps the handles, and
 * takes messages again once read. EXPECT is used so the limit is restored.
 */
TEST_F(write, no_memory_when_queue_full)
{
	char old[32];
	int i, ok = 0;

	if (mxt_param_set("max_queued", "50", old, sizeof(old)))
		SKIP(return, "cannot set max_queued (needs root)");
	for (i = 0; i < 50; i++)
		ok += mx_channel_write(self->a, 0, &i, sizeof(i), NULL, 0) == MX_OK;
	EXPECT_EQ(50, ok);
	EXPECT_EQ(MX_ERR_NO_MEMORY,
		  mx_channel_write(self->a, 0, &i, sizeof(i), self->send, NSEND));
	EXPECT_EQ(self->koid[0], mxt_koid(self->send[0]));
	EXPECT_EQ(self->koid[2], mxt_koid(self->send[2]));
	EXPECT_EQ(MX_OK, mx_channel_read(self->b, 0, &i, NULL, sizeof(i), 0,
					 NULL, NULL));
	EXPECT_EQ(MX_OK, mx_channel_write(self->a, 0, &i, sizeof(i),
					  self->send, 1));
	ASSERT_EQ(0, mxt_param_restore("max_queued", old));
	self->send[0] = MX_HANDLE_INVALID;	/* it was sent */
}

/* Magenta checks options, then the handle, then sizes, then pointers. */
TEST_F(write, error_order)
{
	static char big[MX_CHANNEL_MAX_MSG_BYTES + 1];
	mx_handle_t hs[3], ro, ev = self->send[0];

	/* options before the handle */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_channel_write(MXT_BAD_VALUE, 1, NULL, 0, NULL, 0));
	/* the handle before sizes and pointers */
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_channel_write(MXT_BAD_VALUE, 0, big, sizeof(big), NULL, 0));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_channel_write(MXT_BAD_VALUE, 0, mxt_bad_ptr(), 8, NULL, 0));
	/* rights before type: an event has WRITE, so the type decides */
	ASSERT_STATUS(MX_ERR_WRONG_TYPE,
		      mx_channel_write(ev, 0, big, sizeof(big), NULL, 0));
	ASSERT_OK(mx_handle_duplicate(ev, MX_RIGHT_READ, &ro));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_channel_write(ro, 0, NULL, 0, NULL, 0));
	ASSERT_OK(mx_handle_close(ro));
	/* sizes before pointers */
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE,
		      mx_channel_write(self->a, 0, mxt_bad_ptr(),
				       sizeof(big), NULL, 0));
	/* pointers before the handles they point to */
	hs[0] = MXT_BAD_VALUE;
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_channel_write(self->a, 0, mxt_bad_ptr(), 1, hs, 1));
	/* the first offending entry decides */
	hs[0] = self->a;
	hs[1] = MXT_BAD_VALUE;
	ASSERT_STATUS(MX_ERR_NOT_SUPPORTED,
		      mx_channel_write(self->a, 0, NULL, 0, hs, 2));
	hs[0] = MXT_BAD_VALUE;
	hs[1] = self->a;
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_channel_write(self->a, 0, NULL, 0, hs, 2));
	/* entries are checked in order, whatever their error */
	ASSERT_OK(mx_handle_duplicate(ev, MX_RIGHT_READ, &ro));
	hs[0] = ro;
	hs[1] = self->a;
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_channel_write(self->a, 0, NULL, 0, hs, 2));
	hs[0] = self->a;
	hs[1] = ro;
	ASSERT_STATUS(MX_ERR_NOT_SUPPORTED,
		      mx_channel_write(self->a, 0, NULL, 0, hs, 2));
	/* every entry is checked before duplicates are */
	hs[0] = self->send[1];
	hs[1] = self->send[1];
	hs[2] = ro;
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_channel_write(self->a, 0, NULL, 0, hs, 3));
	hs[2] = MXT_BAD_VALUE;
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_channel_write(self->a, 0, NULL, 0, hs, 3));
	ASSERT_OK(mx_handle_close(ro));
	/* handle errors come before PEER_CLOSED */
	ASSERT_OK(mx_handle_close(self->b));
	self->b = MX_HANDLE_INVALID;
	hs[0] = MXT_BAD_VALUE;
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_channel_write(self->a, 0, NULL, 0, hs, 1));
	hs[0] = self->send[0];
	hs[1] = self->send[0];
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_channel_write(self->a, 0, NULL, 0, hs, 2));
	ASSERT_STATUS(MX_ERR_PEER_CLOSED,
		      mx_channel_write(self->a, 0, NULL, 0, hs, 1));
	assert_still_owned(_metadata, self);
}

/* For one entry, being the channel written to beats lacking TRANSFER. */
TEST_F(write, not_supported_before_access_denied)
{
	mx_handle_t a;

	ASSERT_OK(mx_handle_replace(self->a, MX_RIGHT_WRITE, &a));
	self->a = a;
	ASSERT_STATUS(MX_ERR_NOT_SUPPORTED,
		      mx_channel_write(self->a, 0, NULL, 0, &self->a, 1));
	ASSERT_TRUE(mxt_valid(self->a));
}

/* Write both ways: each end reads what the other wrote. */
TEST_F(write, both_directions)
{
	uint32_t x = 0x11111111, y = 0x22222222, in;

	ASSERT_OK(mx_channel_write(self->a, 0, &x, 4, NULL, 0));
	ASSERT_OK(mx_channel_write(self->b, 0, &y, 4, NULL, 0));
	ASSERT_OK(mx_channel_read(self->a, 0, &in, NULL, 4, 0, NULL, NULL));
	ASSERT_EQ(y, in);
	ASSERT_OK(mx_channel_read(self->b, 0, &in, NULL, 4, 0, NULL, NULL));
	ASSERT_EQ(x, in);
}

TEST_HARNESS_MAIN
