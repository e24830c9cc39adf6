// SPDX-License-Identifier: GPL-2.0
/*
 * The ioctl ABI under libmx: the version query, reserved fields, unknown
 * commands, the errno <-> status map in both directions, and the status
 * strings.
 */
#include <errno.h>

#include "mx-internal.h"
#include "mxchan_test.h"

static const struct {
	mx_status_t status;
	int err;
	const char *name;
} table[] = {
#define MXCHAN_ERRNO(st, e) { st, e, #e },
#include <linux/mxchan-errno.h>
#undef MXCHAN_ERRNO
};
#define NROWS (sizeof(table) / sizeof(table[0]))

FIXTURE(dev) {
	int fd;
};

FIXTURE_SETUP(dev)
{
	self->fd = open(MXCHAN_DEVICE, O_RDWR | O_CLOEXEC);
	ASSERT_GE(self->fd, 0);
}

FIXTURE_TEARDOWN(dev)
{
	close(self->fd);
}

TEST_F(dev, version)
{
	struct mxchan_version v;

	memset(&v, 0xff, sizeof(v));
	ASSERT_EQ(0, ioctl(self->fd, MXCHAN_IOC_VERSION, &v));
	ASSERT_EQ(MXCHAN_ABI_VERSION, v.abi_version);
	ASSERT_EQ(0, v.reserved);
	ASSERT_TRUE(v.features & MXCHAN_FEATURE_CHANNEL);
	ASSERT_TRUE(v.features & MXCHAN_FEATURE_HANDLE);
	ASSERT_TRUE(v.features & MXCHAN_FEATURE_INFO);
	ASSERT_TRUE(v.features & MXCHAN_FEATURE_EVENT);
	ASSERT_TRUE(v.features & MXCHAN_FEATURE_REPLY_READ);
	ASSERT_TRUE(v.features & MXCHAN_FEATURE_NO_LAST_HANDLE);
}

TEST_F(dev, unknown_ioctl_is_enotty)
{
	char buf[64] = { 0 };

	ASSERT_EQ(-1, ioctl(self->fd, _IOWR(MXCHAN_IOC_MAGIC, 0x7f, buf), buf));
	ASSERT_EQ(ENOTTY, errno);
	ASSERT_EQ(-1, ioctl(self->fd, _IO('x', 1), 0));
	ASSERT_EQ(ENOTTY, errno);
}

TEST_F(dev, reserved_fields_must_be_zero)
{
	uint32_t h0 = 0, h1 = 0;
	struct mxchan_channel_create cc = {
		.reserved = 1, .out0 = (uintptr_t)&h0, .out1 = (uintptr_t)&h1,
	};
	struct mxchan_event_create ec = { .options = 1, .out = (uintptr_t)&h0 };
	struct mxchan_eventpair_create pc = {
		.reserved = 1, .out0 = (uintptr_t)&h0, .out1 = (uintptr_t)&h1,
	};
	struct mxchan_port_create poc = {
		.reserved = 1, .out = (uintptr_t)&h0,
	};

	ASSERT_EQ(-1, ioctl(self->fd, MXCHAN_IOC_CHANNEL_CREATE, &cc));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, ioctl(self->fd, MXCHAN_IOC_EVENTPAIR_CREATE, &pc));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, ioctl(self->fd, MXCHAN_IOC_PORT_CREATE, &poc));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, ioctl(self->fd, MXCHAN_IOC_EVENT_CREATE, &ec));
	ASSERT_EQ(EINVAL, errno);
	ec.options = 0;
	ec.reserved = 1;
	ASSERT_EQ(-1, ioctl(self->fd, MXCHAN_IOC_EVENT_CREATE, &ec));
	ASSERT_EQ(EINVAL, errno);
	/* nothing was written either */
	ASSERT_EQ(0, h0);
	ASSERT_EQ(0, h1);
	ec.reserved = 0;
	ASSERT_EQ(0, ioctl(self->fd, MXCHAN_IOC_EVENT_CREATE, &ec));
	ASSERT_NE(0, h0);
	ASSERT_EQ(0, ioctl(self->fd, MXCHAN_IOC_HANDLE_CLOSE, (unsigned long)h0));
}

/* A fault on the argument struct itself is INVALID_ARGS too. */
TEST_F(dev, argument_faults)
{
	void *bad = mxt_bad_ptr();

	ASSERT_EQ(-1, ioctl(self->fd, MXCHAN_IOC_CHANNEL_CREATE, bad));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, ioctl(self->fd, MXCHAN_IOC_CHANNEL_WRITE, bad));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, ioctl(self->fd, MXCHAN_IOC_CHANNEL_READ, bad));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, ioctl(self->fd, MXCHAN_IOC_CHANNEL_CALL, bad));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, ioctl(self->fd, MXCHAN_IOC_CHANNEL_REPLY_READ, bad));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, ioctl(self->fd, MXCHAN_IOC_VERSION, bad));
	ASSERT_EQ(EINVAL, errno);
}

/*
 * The kernel only reads the structs of the creates (_IOW): a struct on a
 * read-only page works, and the results go where its pointers say.
 */
TEST_F(dev, create_struct_may_be_read_only)
{
	struct mxchan_channel_create *cc;
	uint32_t h0 = 0, h1 = 0;

	cc = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, cc);
	cc->out0 = (uintptr_t)&h0;
	cc->out1 = (uintptr_t)&h1;
	ASSERT_EQ(0, mprotect(cc, 4096, PROT_READ));
	ASSERT_EQ(0, ioctl(self->fd, MXCHAN_IOC_CHANNEL_CREATE, cc));
	ASSERT_NE(0, h0);
	ASSERT_NE(0, h1);
	ASSERT_NE(h0, h1);
	ASSERT_EQ(0, ioctl(self->fd, MXCHAN_IOC_HANDLE_CLOSE, (unsigned long)h0));
	ASSERT_EQ(0, ioctl(self->fd, MXCHAN_IOC_HANDLE_CLOSE, (unsigned long)h1));
	munmap(cc, 4096);
}

/* A create whose results cannot be written creates nothing. */
TEST_F(dev, create_output_fault_leaves_no_handles)
{
	uint32_t *ro, h0 = 0;
	struct mxchan_channel_create cc = { .out0 = (uintptr_t)&h0 };

	ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	cc.out1 = (uintptr_t)ro;
	ASSERT_EQ(-1, ioctl(self->fd, MXCHAN_IOC_CHANNEL_CREATE, &cc));
	ASSERT_EQ(EINVAL, errno);
	/* what out0 got names nothing (fault_test checks the counters) */
	if (h0)
		ASSERT_EQ(-1, ioctl(self->fd, MXCHAN_IOC_HANDLE_CLOSE,
				    (unsigned long)h0));
	munmap(ro, 4096);
}

/* Required out-pointers may not be 0; the optional ones may. */
TEST_F(dev, null_out_pointers)
{
	uint32_t h0 = 0, h1 = 0, ev = 0;
	struct mxchan_channel_create cc = { .out0 = (uintptr_t)&h0 };
	struct mxchan_eventpair_create pc = { .out1 = (uintptr_t)&h1 };
	struct mxchan_event_create ec = { 0 };
	struct mxchan_port_create poc = { 0 };
	struct mxchan_handle_rights hr = { .rights = MXCHAN_RIGHT_SAME_RIGHTS };
	struct mxchan_signal_fd sf = { .signals = MXCHAN_SIGNAL_SIGNALED };
	struct mxchan_object_wait_one wo = { .waitfor = MXCHAN_SIGNAL_SIGNALED };
	struct mxchan_object_get_info gi = { .topic = MXCHAN_INFO_HANDLE_BASIC };
	struct mxchan_info_handle_basic rec;

	ASSERT_EQ(-1, ioctl(self->fd, MXCHAN_IOC_CHANNEL_CREATE, &cc));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, ioctl(self->fd, MXCHAN_IOC_EVENTPAIR_CREATE, &pc));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, ioctl(self->fd, MXCHAN_IOC_EVENT_CREATE, &ec));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, ioctl(self->fd, MXCHAN_IOC_PORT_CREATE, &poc));
	ASSERT_EQ(EINVAL, errno);
	ec.out = (uintptr_t)&ev;
	ASSERT_EQ(0, ioctl(self->fd, MXCHAN_IOC_EVENT_CREATE, &ec));
	hr.handle = ev;
	ASSERT_EQ(-1, ioctl(self->fd, MXCHAN_IOC_HANDLE_DUPLICATE, &hr));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, ioctl(self->fd, MXCHAN_IOC_HANDLE_REPLACE, &hr));
	ASSERT_EQ(EINVAL, errno);
	sf.handle = ev;
	ASSERT_EQ(-1, ioctl(self->fd, MXCHAN_IOC_SIGNAL_FD, &sf));
	ASSERT_EQ(EINVAL, errno);
	/* the event is still there, alone */
	wo.handle = ev;
	ASSERT_EQ(-1, ioctl(self->fd, MXCHAN_IOC_OBJECT_WAIT_ONE, &wo));
	ASSERT_EQ(ETIMEDOUT, errno);
	gi.handle = ev;
	gi.buffer = (uintptr_t)&rec;
	gi.buffer_size = sizeof(rec);
	ASSERT_EQ(0, ioctl(self->fd, MXCHAN_IOC_OBJECT_GET_INFO, &gi));
	ASSERT_EQ(MXCHAN_OBJ_TYPE_EVENT, rec.type);
	ASSERT_EQ(0, ioctl(self->fd, MXCHAN_IOC_HANDLE_CLOSE, (unsigned long)ev));
}

/*
 * get_info's counts are the caller's size_t: the kernel writes 8 bytes
 * through each pointer, 4 for a 32-bit caller, and nothing beyond.
 */
TEST_F(dev, get_info_counts_are_size_t)
{
	unsigned char counts[2][16];
	struct mxchan_info_handle_basic rec;
	uint32_t ev = 0;
	struct mxchan_event_create ec = { .out = (uintptr_t)&ev };
	struct mxchan_object_get_info gi = {
		.topic = MXCHAN_INFO_HANDLE_BASIC,
		.buffer = (uintptr_t)&rec, .buffer_size = sizeof(rec),
		.actual_count = (uintptr_t)counts[0],
		.avail_count = (uintptr_t)counts[1],
	};
	size_t n, i, k;

	ASSERT_EQ(0, ioctl(self->fd, MXCHAN_IOC_EVENT_CREATE, &ec));
	gi.handle = ev;
	for (k = 0; k < 2; k++) {
		/* the record fits, then it does not: 1 1, then 0 1 */
		gi.buffer_size = k ? 1 : sizeof(rec);
		memset(counts, 0xa5, sizeof(counts));
		ASSERT_EQ(k ? -1 : 0,
			  ioctl(self->fd, MXCHAN_IOC_OBJECT_GET_INFO, &gi));
		if (k)
			ASSERT_EQ(EMSGSIZE, errno);
		memcpy(&n, counts[0], sizeof(n));
		ASSERT_EQ(k ? 0 : 1, n);
		memcpy(&n, counts[1], sizeof(n));
		ASSERT_EQ(1, n);
		for (i = sizeof(size_t); i < sizeof(counts[0]); i++) {
			ASSERT_EQ(0xa5, counts[0][i]);
			ASSERT_EQ(0xa5, counts[1][i]);
		}
	}
	ASSERT_EQ(0, ioctl(self->fd, MXCHAN_IOC_HANDLE_CLOSE, (unsigned long)ev));
}

/* Every ioctl struct, as the uapi header says: the same on 32 and 64 bits. */
TEST(struct_layouts)
{
#define LAYOUT(type, size) ASSERT_EQ(size, sizeof(struct type))
#define AT(type, field, off) ASSERT_EQ(off, offsetof(struct type, field))
	LAYOUT(mxchan_version, 16);
	LAYOUT(mxchan_channel_create, 24);
	AT(mxchan_channel_create, reserved, 4);
	AT(mxchan_channel_create, out0, 8);
	AT(mxchan_channel_create, out1, 16);
	LAYOUT(mxchan_event_create, 16);
	AT(mxchan_event_create, reserved, 4);
	AT(mxchan_event_create, out, 8);
	LAYOUT(mxchan_eventpair_create, 24);
	AT(mxchan_eventpair_create, out0, 8);
	AT(mxchan_eventpair_create, out1, 16);
	LAYOUT(mxchan_port_create, 16);
	AT(mxchan_port_create, reserved, 4);
	AT(mxchan_port_create, out, 8);
	LAYOUT(mxchan_channel_write, 32);
	LAYOUT(mxchan_channel_read, 48);
	AT(mxchan_channel_read, num_bytes, 24);
	AT(mxchan_channel_read, num_handles, 28);
	AT(mxchan_channel_read, actual_bytes, 32);
	AT(mxchan_channel_read, actual_handles, 40);
	LAYOUT(mxchan_handle_rights, 16);
	AT(mxchan_handle_rights, rights, 4);
	AT(mxchan_handle_rights, out, 8);
	LAYOUT(mxchan_object_get_info, 40);
	AT(mxchan_object_get_info, actual_count, 24);
	AT(mxchan_object_get_info, avail_count, 32);
	LAYOUT(mxchan_object_wait_one, 24);
	AT(mxchan_object_wait_one, deadline, 8);
	AT(mxchan_object_wait_one, observed, 16);
	LAYOUT(mxchan_wait_item, 12);
	LAYOUT(mxchan_object_wait_many, 24);
	LAYOUT(mxchan_call_args, 48);
	AT(mxchan_call_args, wr_handles, 8);
	AT(mxchan_call_args, rd_bytes, 16);
	AT(mxchan_call_args, rd_handles, 24);
	AT(mxchan_call_args, wr_num_bytes, 32);
	AT(mxchan_call_args, rd_num_handles, 44);
	LAYOUT(mxchan_channel_call, 56);
	AT(mxchan_channel_call, deadline, 8);
	AT(mxchan_channel_call, args, 16);
	AT(mxchan_channel_call, actual_bytes, 24);
	AT(mxchan_channel_call, actual_handles, 32);
	AT(mxchan_channel_call, read_status, 40);
	AT(mxchan_channel_call, call_id, 48);
	AT(mxchan_channel_call, reserved, 52);
	LAYOUT(mxchan_signal_fd, 16);
	AT(mxchan_signal_fd, fd, 8);
	LAYOUT(mxchan_object_signal, 16);
	LAYOUT(mxchan_handle_move, 40);
	LAYOUT(mxchan_startup_take, 8);
	LAYOUT(mxchan_port_packet, 48);
	LAYOUT(mxchan_port_queue, 24);
	LAYOUT(mxchan_port_wait, 32);
	LAYOUT(mxchan_port_cancel, 16);
	LAYOUT(mxchan_object_wait_async, 24);
	LAYOUT(mxchan_channel_reply_read, 88);
	AT(mxchan_channel_reply_read, flags, 8);
	AT(mxchan_channel_reply_read, deadline, 16);
	AT(mxchan_channel_reply_read, wr_bytes, 24);
	AT(mxchan_channel_reply_read, wr_num_bytes, 40);
	AT(mxchan_channel_reply_read, rd_bytes, 48);
	AT(mxchan_channel_reply_read, rd_num_bytes, 64);
	AT(mxchan_channel_reply_read, actual_bytes, 72);
	AT(mxchan_channel_reply_read, actual_handles, 80);
	/* Magenta's args struct, which CHANNEL_CALL's args points to */
	ASSERT_EQ(4 * sizeof(void *) + 16, sizeof(mx_channel_call_args_t));
	ASSERT_EQ(4 * sizeof(void *),
		  offsetof(mx_channel_call_args_t, wr_num_bytes));
#undef LAYOUT
#undef AT
}

/*
 * The commands: only the kernel's own results come back in the struct
 * (_IOR, _IOWR); everything else goes through pointers (_IOW).
 */
TEST(ioctl_numbers)
{
#define CMD(cmd, dir, nr, type)						\
	ASSERT_EQ(_IOC(dir, MXCHAN_IOC_MAGIC, nr, sizeof(struct type)),	\
		  (unsigned long)(cmd))
	CMD(MXCHAN_IOC_VERSION, _IOC_READ, 0x00, mxchan_version);
	CMD(MXCHAN_IOC_CHANNEL_CREATE, _IOC_WRITE, 0x01, mxchan_channel_create);
	CMD(MXCHAN_IOC_CHANNEL_WRITE, _IOC_WRITE, 0x02, mxchan_channel_write);
	CMD(MXCHAN_IOC_CHANNEL_READ, _IOC_WRITE, 0x03, mxchan_channel_read);
	ASSERT_EQ(_IO(MXCHAN_IOC_MAGIC, 0x04), MXCHAN_IOC_HANDLE_CLOSE);
	CMD(MXCHAN_IOC_HANDLE_DUPLICATE, _IOC_WRITE, 0x05, mxchan_handle_rights);
	CMD(MXCHAN_IOC_HANDLE_REPLACE, _IOC_WRITE, 0x06, mxchan_handle_rights);
	CMD(MXCHAN_IOC_OBJECT_GET_INFO, _IOC_WRITE, 0x07, mxchan_object_get_info);
	CMD(MXCHAN_IOC_EVENT_CREATE, _IOC_WRITE, 0x08, mxchan_event_create);
	CMD(MXCHAN_IOC_HANDLE_MOVE, _IOC_WRITE, 0x09, mxchan_handle_move);
	CMD(MXCHAN_IOC_STARTUP_TAKE, _IOC_READ | _IOC_WRITE, 0x0a,
	    mxchan_startup_take);
	CMD(MXCHAN_IOC_OBJECT_WAIT_ONE, _IOC_WRITE, 0x0b, mxchan_object_wait_one);
	CMD(MXCHAN_IOC_OBJECT_WAIT_MANY, _IOC_WRITE, 0x0c,
	    mxchan_object_wait_many);
	CMD(MXCHAN_IOC_OBJECT_SIGNAL, _IOC_WRITE, 0x0d, mxchan_object_signal);
	CMD(MXCHAN_IOC_EVENTPAIR_CREATE, _IOC_WRITE, 0x0e,
	    mxchan_eventpair_create);
	/* call_id comes back with EINTR */
	CMD(MXCHAN_IOC_CHANNEL_CALL, _IOC_READ | _IOC_WRITE, 0x0f,
	    mxchan_channel_call);
	CMD(MXCHAN_IOC_CALL_FINISH, _IOC_READ | _IOC_WRITE, 0x10,
	    mxchan_channel_call);
	CMD(MXCHAN_IOC_SIGNAL_FD, _IOC_WRITE, 0x11, mxchan_signal_fd);
	CMD(MXCHAN_IOC_PORT_CREATE, _IOC_WRITE, 0x12, mxchan_port_create);
	CMD(MXCHAN_IOC_PORT_QUEUE, _IOC_WRITE, 0x13, mxchan_port_queue);
	CMD(MXCHAN_IOC_PORT_WAIT, _IOC_WRITE, 0x14, mxchan_port_wait);
	CMD(MXCHAN_IOC_PORT_CANCEL, _IOC_WRITE, 0x15, mxchan_port_cancel);
	CMD(MXCHAN_IOC_OBJECT_WAIT_ASYNC, _IOC_WRITE, 0x16,
	    mxchan_object_wait_async);
	CMD(MXCHAN_IOC_CHANNEL_REPLY_READ, _IOC_WRITE, 0x17,
	    mxchan_channel_reply_read);
#undef CMD
}

/* Version 1's commands (the creates as _IOWR) are unknown now. */
TEST_F(dev, version_1_commands_are_enotty)
{
	char buf[64] = { 0 };

	ASSERT_EQ(-1, ioctl(self->fd, _IOWR(MXCHAN_IOC_MAGIC, 0x01, char[16]),
			    buf));
	ASSERT_EQ(ENOTTY, errno);
	ASSERT_EQ(-1, ioctl(self->fd, _IOWR(MXCHAN_IOC_MAGIC, 0x08, char[8]),
			    buf));
	ASSERT_EQ(ENOTTY, errno);
	ASSERT_EQ(-1, ioctl(self->fd, _IOWR(MXCHAN_IOC_MAGIC, 0x0f, char[80]),
			    buf));
	ASSERT_EQ(ENOTTY, errno);
}

TEST(errno_table_is_one_to_one)
{
	size_t i, j;

	ASSERT_GE(NROWS, 20);
	for (i = 0; i < NROWS; i++) {
		ASSERT_LT(table[i].status, 0);
		ASSERT_GT(table[i].err, 0);
		for (j = i + 1; j < NROWS; j++) {
			ASSERT_NE(table[i].status, table[j].status);
			ASSERT_NE(table[i].err, table[j].err);
		}
	}
}

TEST(libmx_maps_both_ways)
{
	size_t i;

	for (i = 0; i < NROWS; i++) {
		mx_status_t st = mxchan_status_from_errno(table[i].err);

		if (st != table[i].status)
			TH_LOG("%s -> %s", table[i].name, mx_status_get_string(st));
		ASSERT_EQ(table[i].status, st);
		ASSERT_EQ(table[i].err, mxchan_errno_from_status(st));
	}
	/* an errno outside the table is an internal error, never MX_OK */
	ASSERT_EQ(MX_ERR_INTERNAL, mxchan_status_from_errno(EXDEV));
	ASSERT_EQ(MX_ERR_INTERNAL, mxchan_status_from_errno(EINTR));
	ASSERT_EQ(0, mxchan_errno_from_status(MX_OK));
}

/* The statuses the seed names map to the errnos the module returns. */
TEST(seed_statuses)
{
	ASSERT_EQ(EBADF, mxchan_errno_from_status(MX_ERR_BAD_HANDLE));
	ASSERT_EQ(EPROTOTYPE, mxchan_errno_from_status(MX_ERR_WRONG_TYPE));
	ASSERT_EQ(EINVAL, mxchan_errno_from_status(MX_ERR_INVALID_ARGS));
	ASSERT_EQ(EOPNOTSUPP, mxchan_errno_from_status(MX_ERR_NOT_SUPPORTED));
	ASSERT_EQ(EACCES, mxchan_errno_from_status(MX_ERR_ACCESS_DENIED));
	ASSERT_EQ(EPIPE, mxchan_errno_from_status(MX_ERR_PEER_CLOSED));
	ASSERT_EQ(ENOMEM, mxchan_errno_from_status(MX_ERR_NO_MEMORY));
	ASSERT_EQ(ERANGE, mxchan_errno_from_status(MX_ERR_OUT_OF_RANGE));
	ASSERT_EQ(EAGAIN, mxchan_errno_from_status(MX_ERR_SHOULD_WAIT));
	ASSERT_EQ(EMSGSIZE, mxchan_errno_from_status(MX_ERR_BUFFER_TOO_SMALL));
}

/* The raw ioctl and the libmx call agree on a real error. */
TEST(ioctl_errno_matches_libmx_status)
{
	struct mxchan_channel_write w = { .handle = MXT_BAD_VALUE };
	int fd = mxchan_table_fd();

	ASSERT_GE(fd, 0);
	ASSERT_EQ(-1, ioctl(fd, MXCHAN_IOC_CHANNEL_WRITE, &w));
	ASSERT_EQ(EBADF, errno);
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_channel_write(MXT_BAD_VALUE, 0, NULL, 0, NULL, 0));
}

/* libmx leaves errno alone. */
TEST(errno_preserved)
{
	errno = 1234;
	ASSERT_STATUS(MX_ERR_BAD_HANDLE, mx_handle_close(MXT_BAD_VALUE));
	ASSERT_EQ(1234, errno);
}

TEST(status_strings)
{
	ASSERT_STREQ("MX_OK", mx_status_get_string(MX_OK));
	ASSERT_STREQ("MX_ERR_PEER_CLOSED", mx_status_get_string(MX_ERR_PEER_CLOSED));
	ASSERT_STREQ("MX_ERR_BAD_HANDLE", mx_status_get_string(-11));
	ASSERT_STREQ("(UNKNOWN)", mx_status_get_string(-7));
	ASSERT_STREQ("(UNKNOWN)", mx_status_get_string(12345));
}

/* Magenta's values, as Magenta code compiles against them. */
TEST(magenta_values)
{
	ASSERT_EQ(-24, MX_ERR_PEER_CLOSED);
	ASSERT_EQ(-15, MX_ERR_BUFFER_TOO_SMALL);
	ASSERT_EQ(0x300Eu, MX_DEFAULT_CHANNEL_RIGHTS);
	ASSERT_EQ(0x100Fu, MX_DEFAULT_EVENT_RIGHTS);
	ASSERT_EQ(0x80000000u, MX_RIGHT_SAME_RIGHTS);
	ASSERT_EQ(1u, MX_CHANNEL_READ_MAY_DISCARD);
	ASSERT_EQ(4, MX_OBJ_TYPE_CHANNEL);
	ASSERT_EQ(5, MX_OBJ_TYPE_EVENT);
	ASSERT_EQ(2, MX_INFO_HANDLE_BASIC);
	ASSERT_EQ(4, sizeof(mx_handle_t));
	ASSERT_EQ((mx_handle_t)0, MX_HANDLE_INVALID);
	/* the uapi repeats them; they must agree */
	ASSERT_EQ(MX_CHANNEL_MAX_MSG_BYTES, MXCHAN_MAX_MSG_BYTES);
	ASSERT_EQ(MX_CHANNEL_MAX_MSG_HANDLES, MXCHAN_MAX_MSG_HANDLES);
	ASSERT_EQ(MX_DEFAULT_CHANNEL_RIGHTS,
		  MXCHAN_RIGHT_TRANSFER | MXCHAN_RIGHT_READ | MXCHAN_RIGHT_WRITE |
		  MXCHAN_RIGHT_SIGNAL | MXCHAN_RIGHT_SIGNAL_PEER);
	/* the kernel's record, whose tail padding i386 lacks (28 there) */
	ASSERT_EQ(32, sizeof(struct mxchan_info_handle_basic));
	ASSERT_EQ(offsetof(mx_info_handle_basic_t, props) + 4,
		  offsetof(struct mxchan_info_handle_basic, reserved));
	ASSERT_LE(28, sizeof(mx_info_handle_basic_t));
}

TEST_HARNESS_MAIN
