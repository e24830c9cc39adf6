// SPDX-License-Identifier: GPL-2.0
/*
 * Magenta's contract where it is easy to bend:
 *   - every libmx call given an out-parameter it cannot write returns
 *     MX_ERR_INVALID_ARGS and has no effect (no handle made and lost, no
 *     message consumed, no fd leaked, no request sent), as Magenta's
 *     kernel does, instead of crashing after the fact;
 *   - one signal change that fires several async waits queues their
 *     packets newest wait first, as Magenta's state tracker did;
 *   - CALL_FINISH checks its options, and with no interrupted call says
 *     BAD_STATE, as Magenta's channel_call_finish.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <magenta/processargs.h>
#include <magenta/syscalls/port.h>
#include <mxchan.h>

#include "mx-internal.h"
#include "mxchan_test.h"

/* A page nobody can write (or read), kept mapped; and a read-only one. */
FIXTURE(bad) {
	void *none, *ro;
	long live;
	int fds;
};

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	while (d && readdir(d))
		n++;
	if (d)
		closedir(d);
	return n;
}

FIXTURE_SETUP(bad)
{
	self->none = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			  -1, 0);
	self->ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
			-1, 0);
	ASSERT_NE(MAP_FAILED, self->none);
	ASSERT_NE(MAP_FAILED, self->ro);
	/* the table exists before we count what is alive */
	ASSERT_LE(0, mxchan_table_fd());
	self->live = mxt_live_total();
	self->fds = count_fds();
}

FIXTURE_TEARDOWN(bad)
{
	/* nothing was made, lost or leaked */
	if (self->live >= 0)
		EXPECT_EQ(self->live, mxt_live_total());
	EXPECT_EQ(self->fds, count_fds());
	munmap(self->none, 4096);
	munmap(self->ro, 4096);
}

TEST_F(bad, creates)
{
	mx_handle_t a;

	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_channel_create(0, &a, self->none));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_channel_create(0, self->ro, &a));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_event_create(0, self->ro));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_eventpair_create(0, &a, self->none));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_port_create(0, self->none));
}

TEST_F(bad, duplicate_and_replace)
{
	mx_handle_t ev, out;

	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_handle_duplicate(ev, MX_RIGHT_SAME_RIGHTS, self->ro));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_handle_replace(ev, MX_RIGHT_SAME_RIGHTS, self->none));
	/* the old handle is still there, as it was */
	ASSERT_TRUE(mxt_valid(ev));
	ASSERT_OK(mx_handle_duplicate(ev, MX_RIGHT_SAME_RIGHTS, &out));
	ASSERT_OK(mx_handle_close(out));
	ASSERT_OK(mx_handle_close(ev));
}

TEST_F(bad, read_leaves_the_message)
{
	mx_handle_t a, b, ev, got;
	uint32_t nb, nh;
	char buf[8];

	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_channel_write(a, 0, "hi", 2, &ev, 1));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_channel_read(b, 0, buf, &got, sizeof(buf), 1,
				      self->ro, &nh));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_channel_read(b, 0, buf, &got, sizeof(buf), 1, &nb,
				      self->none));
	/* too small a buffer reports the sizes there too */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_channel_read(b, 0, buf, &got, 1, 1, self->ro, &nh));
	/* still queued, whole */
	ASSERT_OK(mx_channel_read(b, 0, buf, &got, sizeof(buf), 1, &nb, &nh));
	ASSERT_EQ(2, nb);
	ASSERT_EQ(1, nh);
	ASSERT_TRUE(mxt_valid(got));
	ASSERT_OK(mx_handle_close(got));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
}

TEST_F(bad, info_and_waits)
{
	mx_info_handle_basic_t info;
	mx_wait_item_t item;
	size_t actual;
	mx_handle_t ev;

	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_object_get_info(ev, MX_INFO_HANDLE_BASIC, &info,
					 sizeof(info), self->ro, NULL));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_object_get_info(ev, MX_INFO_HANDLE_BASIC, &info,
					 sizeof(info), &actual, self->none));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_object_get_info(ev, MX_INFO_HANDLE_BASIC, &info, 1,
					 &actual, self->none));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_object_wait_one(ev, MX_EVENT_SIGNALED, 0, self->ro));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_object_wait_many(self->none, 1, 0));
	item = (mx_wait_item_t){ ev, MX_EVENT_SIGNALED, 0 };
	ASSERT_STATUS(MX_ERR_TIMED_OUT, mx_object_wait_many(&item, 1, 0));
	ASSERT_OK(mx_handle_close(ev));
}

TEST_F(bad, signal_fd_leaks_no_fd)
{
	mx_handle_t ev;

	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mxchan_signal_fd(ev, MX_EVENT_SIGNALED, self->ro));
	ASSERT_OK(mx_handle_close(ev));
}

/* Answers one request on @h with 64 bytes: more than the caller takes. */
static void *answer_too_much(void *arg)
{
	mx_handle_t h = *(mx_handle_t *)arg;
	uint32_t req, big[16] = { 0 };
	uint32_t nb;

	if (mx_object_wait_one(h, MX_CHANNEL_READABLE, MX_TIME_INFINITE,
			       NULL) == MX_OK &&
	    mx_channel_read(h, 0, &req, NULL, sizeof(req), 0, &nb,
			    NULL) == MX_OK) {
		big[0] = req;
		mx_channel_write(h, 0, big, sizeof(big), NULL, 0);
	}
	return NULL;
}

TEST_F(bad, call_sends_nothing)
{
	uint32_t req = 1, rep, nb, nh;
	uint32_t *volatile null = NULL;
	mx_channel_call_args_t args = {
		.wr_bytes = &req, .wr_num_bytes = sizeof(req),
		.rd_bytes = &rep, .rd_num_bytes = sizeof(rep),
	};
	mx_status_t rs;
	mx_handle_t a, b;
	pthread_t th;

	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_channel_call(a, 0, 0, self->none, &nb, &nh, &rs));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_channel_call(a, 0, 0, &args, null, &nh, &rs));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_channel_call(a, 0, 0, &args, &nb, null, &rs));
	/* no request went out */
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_channel_read(b, 0, NULL, NULL, 0, 0, NULL, NULL));
	/* a read status that cannot be written: INVALID_ARGS, nothing sent */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_channel_call(a, 0, MX_TIME_INFINITE, &args, &nb, &nh,
				      self->ro));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_channel_call(a, 0, MX_TIME_INFINITE, &args, self->ro,
				      &nh, &rs));
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      mx_channel_read(b, 0, NULL, NULL, 0, 0, NULL, NULL));
	/* and where it can be: CALL_FAILED, BUFFER_TOO_SMALL */
	ASSERT_EQ(0, pthread_create(&th, NULL, answer_too_much, &b));
	ASSERT_STATUS(MX_ERR_CALL_FAILED,
		      mx_channel_call(a, 0, MX_TIME_INFINITE, &args, &nb, &nh,
				      &rs));
	ASSERT_STATUS(MX_ERR_BUFFER_TOO_SMALL, rs);
	ASSERT_EQ(0, pthread_join(th, NULL));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
}

TEST_F(bad, table_and_spawn)
{
	mx_handle_t ev;
	char *argv[] = { "true", NULL };
	uint32_t id = PA_HND(PA_USER0, 0);

	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mxchan_table_create(self->ro));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mxchan_table_create(NULL));
	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mxchan_spawn("/bin/true", argv, NULL, 1, &ev, &id,
				   self->ro));
	/* the handle never left */
	ASSERT_TRUE(mxt_valid(ev));
	ASSERT_OK(mx_handle_close(ev));
}

/*
 * HANDLE_BASIC's record is Magenta's mx_info_handle_basic_t as the caller
 * lays it out: 28 bytes from i386, which aligns 64-bit fields to 4, and
 * 32 from everyone else, x32 included (8-aligned, though a compat caller).
 */
TEST(handle_basic_size)
{
	mx_info_handle_basic_t info;
	size_t actual = 9, avail = 9;
	mx_handle_t ev;

	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_object_get_info(ev, MX_INFO_HANDLE_BASIC, &info,
				     sizeof(info), &actual, &avail));
	ASSERT_EQ(1, actual);
	ASSERT_EQ(1, avail);
	ASSERT_EQ(MX_OBJ_TYPE_EVENT, info.type);
	ASSERT_STATUS(MX_ERR_BUFFER_TOO_SMALL,
		      mx_object_get_info(ev, MX_INFO_HANDLE_BASIC, &info,
					 sizeof(info) - 1, &actual, &avail));
	ASSERT_EQ(0, actual);
	ASSERT_EQ(1, avail);
#if defined(__i386__)
	ASSERT_EQ(28, sizeof(info));
#else
	ASSERT_EQ(32, sizeof(info));
	ASSERT_STATUS(MX_ERR_BUFFER_TOO_SMALL,
		      mx_object_get_info(ev, MX_INFO_HANDLE_BASIC, &info, 28,
					 NULL, NULL));
#endif
	ASSERT_OK(mx_handle_close(ev));
}

/*
 * One signal change fires three async waits on one object: their packets
 * come newest wait first (Magenta's observers sit at the front of the
 * object's list), here and across two ports alike.
 */
TEST(packets_newest_wait_first)
{
	mx_handle_t ev, port;
	mx_port_packet_t pkt;
	uint64_t key;

	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_OK(mx_port_create(0, &port));
	for (key = 1; key <= 3; key++)
		ASSERT_OK(mx_object_wait_async(ev, port, key, MX_EVENT_SIGNALED,
					       MX_WAIT_ASYNC_ONCE));
	ASSERT_OK(mx_object_signal(ev, 0, MX_EVENT_SIGNALED));
	for (key = 3; key >= 1; key--) {
		ASSERT_OK(mx_port_wait(port, 0, &pkt, 0));
		ASSERT_EQ(key, pkt.key);
	}
	ASSERT_STATUS(MX_ERR_TIMED_OUT, mx_port_wait(port, 0, &pkt, 0));
	ASSERT_OK(mx_handle_close(port));
	ASSERT_OK(mx_handle_close(ev));
}

/* CALL_FINISH, raw: its options, and an id that names no call. */
static void on_signal(int sig)
{
	(void)sig;
}

struct parked {
	mx_channel_call_args_t args;	/* in the caller's own layout */
	struct mxchan_channel_call a;
	uint32_t req, rep, nb, nh;
	pid_t tid;
	int ret, err;
};

static void *park(void *p)
{
	struct parked *c = p;

	__atomic_store_n(&c->tid, (pid_t)syscall(SYS_gettid),
			 __ATOMIC_RELEASE);
	c->ret = ioctl(mxchan_table_fd(), MXCHAN_IOC_CHANNEL_CALL, &c->a);
	c->err = errno;
	return NULL;
}

TEST(call_finish)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct parked c = { .req = 9 };
	mx_handle_t a, b;
	pthread_t th;
	int fd, i;

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	ASSERT_OK(mx_channel_create(0, &a, &b));
	fd = mxchan_table_fd();
	c.args = (mx_channel_call_args_t){
		.wr_bytes = &c.req, .wr_num_bytes = 4,
		.rd_bytes = &c.rep, .rd_num_bytes = 4,
	};
	c.a = (struct mxchan_channel_call){
		.handle = a, .deadline = MXCHAN_TIME_INFINITE,
		.args = (uintptr_t)&c.args,
		.actual_bytes = (uintptr_t)&c.nb,
		.actual_handles = (uintptr_t)&c.nh,
	};
	/* nothing to finish: Magenta's BAD_STATE */
	c.a.call_id = 1;
	ASSERT_EQ(-1, ioctl(fd, MXCHAN_IOC_CALL_FINISH, &c.a));
	ASSERT_EQ(EBADFD, errno);
	ASSERT_STATUS(MX_ERR_BAD_STATE, mxchan_status_from_errno(errno));
	c.a.call_id = 0;
	/* a parked call */
	ASSERT_EQ(0, pthread_create(&th, NULL, park, &c));
	for (i = 0; i < 20000 && !(c.tid && mxt_asleep(c.tid)); i++)
		usleep(100);
	ASSERT_EQ(0, pthread_kill(th, SIGUSR1));
	ASSERT_EQ(0, pthread_join(th, NULL));
	ASSERT_EQ(EINTR, c.err);
	ASSERT_NE(0, c.a.call_id);
	/* options are checked: refused, and the call stays parked */
	c.a.options = 1;
	ASSERT_EQ(-1, ioctl(fd, MXCHAN_IOC_CALL_FINISH, &c.a));
	ASSERT_EQ(EINVAL, errno);
	c.a.options = 0;
	ASSERT_OK(mx_channel_write(b, 0, &c.req, 4, NULL, 0));
	ASSERT_EQ(0, ioctl(fd, MXCHAN_IOC_CALL_FINISH, &c.a));
	ASSERT_EQ(9, c.rep);
	/* and once finished, it is gone */
	ASSERT_EQ(-1, ioctl(fd, MXCHAN_IOC_CALL_FINISH, &c.a));
	ASSERT_EQ(EBADFD, errno);
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
}

TEST_HARNESS_MAIN
