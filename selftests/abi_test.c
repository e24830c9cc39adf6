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
	struct mxchan_channel_create cc = { .reserved = 1 };
	struct mxchan_handle_rights hr = { .reserved = 1 };
	struct mxchan_event_create ec = { .options = 1 };

	ASSERT_EQ(-1, ioctl(self->fd, MXCHAN_IOC_CHANNEL_CREATE, &cc));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(0, ioctl(self->fd, MXCHAN_IOC_EVENT_CREATE, &(struct mxchan_event_create){ 0 }));
	ASSERT_EQ(-1, ioctl(self->fd, MXCHAN_IOC_EVENT_CREATE, &ec));
	ASSERT_EQ(EINVAL, errno);
	hr.handle = 1;
	ASSERT_EQ(-1, ioctl(self->fd, MXCHAN_IOC_HANDLE_DUPLICATE, &hr));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, ioctl(self->fd, MXCHAN_IOC_HANDLE_REPLACE, &hr));
	ASSERT_EQ(EINVAL, errno);
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
	ASSERT_EQ(-1, ioctl(self->fd, MXCHAN_IOC_VERSION, bad));
	ASSERT_EQ(EINVAL, errno);
}

/* A create whose results cannot be written back creates nothing. */
TEST_F(dev, create_output_fault_leaves_no_handles)
{
	struct mxchan_channel_create *cc;

	cc = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, cc);
	ASSERT_EQ(-1, ioctl(self->fd, MXCHAN_IOC_CHANNEL_CREATE, cc));
	ASSERT_EQ(EINVAL, errno);
	/* a leaked channel would show in the module's counters at rmmod */
	munmap(cc, 4096);
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
