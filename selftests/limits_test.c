// SPDX-License-Identifier: GPL-2.0
/*
 * Per-user limits: an unprivileged user (nobody) runs into
 * max_user_objects, max_user_inflight and max_queued with a clear status,
 * while another user (root) goes on unaffected, and everything is freed
 * when the user's process exits. Rings of endpoints no table can reach
 * count against the limits only until the collector destroys them: a user
 * at a limit waits for it, so nobody can make rings without end.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "mxchan_test.h"

#define NOBODY		65534
#define OBJECTS		40
#define INFLIGHT	16
#define QUEUED		100
#define HANDLES		200

static int tbl_open(void)
{
	return open("/dev/mxchan", O_RDWR | O_CLOEXEC);
}

static int event_create(int fd, uint32_t *out)
{
	struct mxchan_event_create a = { 0 };
	int ret = ioctl(fd, MXCHAN_IOC_EVENT_CREATE, &a) ? errno : 0;

	*out = a.out;
	return ret;
}

static int channel_create(int fd, uint32_t *h0, uint32_t *h1)
{
	struct mxchan_channel_create a = { 0 };
	int ret = ioctl(fd, MXCHAN_IOC_CHANNEL_CREATE, &a) ? errno : 0;

	*h0 = a.out0;
	*h1 = a.out1;
	return ret;
}

static int handle_close(int fd, uint32_t h)
{
	return ioctl(fd, MXCHAN_IOC_HANDLE_CLOSE, (unsigned long)h) ? errno : 0;
}

static int write_msg(int fd, uint32_t ch, uint32_t *handles, uint32_t nh)
{
	char byte = 'x';
	struct mxchan_channel_write a = {
		.handle = ch, .bytes = (uintptr_t)&byte, .num_bytes = 1,
		.handles = (uintptr_t)handles, .num_handles = nh,
	};

	return ioctl(fd, MXCHAN_IOC_CHANNEL_WRITE, &a) ? errno : 0;
}

static int read_msg(int fd, uint32_t ch, uint32_t *handles)
{
	char buf[8];
	struct mxchan_channel_read a = {
		.handle = ch, .bytes = (uintptr_t)buf, .num_bytes = sizeof(buf),
		.handles = (uintptr_t)handles, .num_handles = 64,
	};

	return ioctl(fd, MXCHAN_IOC_CHANNEL_READ, &a) ? errno : 0;
}

/* Become nobody; from here on nothing may be shared with root's work. */
static bool become_nobody(void)
{
	return setgroups(0, NULL) == 0 && setgid(NOBODY) == 0 &&
	       setuid(NOBODY) == 0;
}

FIXTURE(limits) {
	char objects[32], inflight[32], queued[32], handles[32];
	struct mxt_counters start;
	bool ok;
};

FIXTURE_SETUP(limits)
{
	char n[16];

	self->ok = geteuid() == 0 &&
		   mxt_counters_read(&self->start);
	if (!self->ok)
		return;
	snprintf(n, sizeof(n), "%d", OBJECTS);
	ASSERT_EQ(0, mxt_param_set("max_user_objects", n, self->objects,
				   sizeof(self->objects)));
	snprintf(n, sizeof(n), "%d", INFLIGHT);
	ASSERT_EQ(0, mxt_param_set("max_user_inflight", n, self->inflight,
				   sizeof(self->inflight)));
	snprintf(n, sizeof(n), "%d", QUEUED);
	ASSERT_EQ(0, mxt_param_set("max_queued", n, self->queued,
				   sizeof(self->queued)));
	snprintf(n, sizeof(n), "%d", HANDLES);
	ASSERT_EQ(0, mxt_param_set("max_handles", n, self->handles,
				   sizeof(self->handles)));
}

FIXTURE_TEARDOWN(limits)
{
	if (!self->ok)
		return;
	mxt_param_restore("max_user_objects", self->objects);
	mxt_param_restore("max_user_inflight", self->inflight);
	mxt_param_restore("max_queued", self->queued);
	mxt_param_restore("max_handles", self->handles);
}

/* Children report the first check that failed as their exit code. */
#define CHECK(n, cond) do { if (!(cond)) _exit(n); } while (0)

/* Run @child in a process of its own; it must pass every check. */
static void run_child(struct __test_metadata *_metadata, int (*child)(void))
{
	int status;
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(child());
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
}

/*
 * nobody creates objects until NO_RESOURCES, in two tables: the limit is
 * the user's, not the table's. Then tells the parent, and waits.
 */
static int child_objects(int go, int done)
{
	uint32_t h[OBJECTS + 1], extra, c0, c1;
	struct mxchan_eventpair_create ep = { 0 };
	struct mxchan_port_create pc = { 0 };
	int fd, fd2, i;
	char b;

	CHECK(2, become_nobody());
	fd = tbl_open();
	fd2 = tbl_open();
	CHECK(3, fd >= 0 && fd2 >= 0);
	for (i = 0; i < OBJECTS; i++)
		CHECK(4, event_create(i % 2 ? fd : fd2, &h[i]) == 0);
	CHECK(5, event_create(fd, &extra) == EMFILE);
	CHECK(6, event_create(fd2, &extra) == EMFILE);
	CHECK(7, channel_create(fd, &c0, &c1) == EMFILE);
	CHECK(13, ioctl(fd, MXCHAN_IOC_EVENTPAIR_CREATE, &ep) && errno == EMFILE);
	CHECK(14, ioctl(fd, MXCHAN_IOC_PORT_CREATE, &pc) && errno == EMFILE);
	/* freeing one object makes room for one */
	CHECK(8, handle_close(fd2, h[0]) == 0);
	CHECK(9, event_create(fd, &h[0]) == 0);
	CHECK(10, event_create(fd, &extra) == EMFILE);
	CHECK(11, write(go, "g", 1) == 1);
	CHECK(12, read(done, &b, 1) == 1);
	return 0;	/* exit closes everything */
}

TEST_F(limits, objects_per_user)
{
	int go[2], done[2], status, fd, i;
	struct mxt_counters end;
	uint32_t h[OBJECTS / 2];
	pid_t pid;
	char b;

	if (!self->ok)
		SKIP(return, "needs root and debugfs");
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(done));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* only the ends it uses: a dead parent ends its wait */
		close(go[0]);
		close(done[1]);
		_exit(child_objects(go[1], done[0]));
	}
	close(go[1]);
	close(done[0]);
	ASSERT_EQ(1, read(go[0], &b, 1));
	/* nobody is at its limit; root, under the same limit, is not */
	fd = tbl_open();
	ASSERT_LE(0, fd);
	for (i = 0; i < OBJECTS / 2; i++)
		ASSERT_EQ(0, event_create(fd, &h[i]));
	close(fd);
	ASSERT_EQ(1, write(done[1], "d", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_TRUE(mxt_counters_read(&end));
	ASSERT_EQ(self->start.objects, end.objects);
	ASSERT_EQ(self->start.handles, end.handles);
}

/*
 * nobody sends handles until NO_RESOURCES: the limit counts handles in
 * messages, whatever channel they are queued on; reading one frees room.
 */
static int child_inflight(void)
{
	uint32_t a0, a1, b0, b1, ev[INFLIGHT + 2], got[64];
	struct mxchan_channel_call call = { 0 };
	int fd, i;

	CHECK(2, become_nobody());
	fd = tbl_open();
	CHECK(3, fd >= 0);
	CHECK(4, channel_create(fd, &a0, &a1) == 0);
	CHECK(5, channel_create(fd, &b0, &b1) == 0);
	for (i = 0; i < INFLIGHT + 2; i++)
		CHECK(6, event_create(fd, &ev[i]) == 0);
	for (i = 0; i < INFLIGHT; i++)
		CHECK(7, write_msg(fd, i % 2 ? a0 : b0, &ev[i], 1) == 0);
	/* the next handle is over; the handle stays, nothing is queued */
	CHECK(8, write_msg(fd, a0, &ev[INFLIGHT], 1) == EMFILE);
	CHECK(9, handle_close(fd, ev[INFLIGHT]) == 0);
	/* reading a message gives its handles' room back */
	CHECK(10, read_msg(fd, a1, got) == 0);
	CHECK(11, write_msg(fd, a0, &ev[INFLIGHT + 1], 1) == 0);
	CHECK(12, write_msg(fd, a0, got, 1) == EMFILE);
	/* a call's request is limited the same way, before it is sent */
	call.handle = a0;
	call.wr_handles = (uintptr_t)got;
	call.wr_num_handles = 1;
	call.deadline = 1;
	CHECK(16, ioctl(fd, MXCHAN_IOC_CHANNEL_CALL, &call) && errno == EMFILE);
	/* a message without handles is not limited by it */
	CHECK(13, write_msg(fd, a0, NULL, 0) == 0);
	/* a closed endpoint's queue gives its handles' room back */
	CHECK(14, handle_close(fd, b1) == 0);
	CHECK(15, write_msg(fd, a0, got, 1) == 0);
	return 0;
}

TEST_F(limits, inflight_per_user)
{
	struct mxt_counters end;

	if (!self->ok)
		SKIP(return, "needs root and debugfs");
	run_child(_metadata, child_inflight);
	ASSERT_TRUE(mxt_counters_read(&end));
	ASSERT_EQ(self->start.objects, end.objects);
	ASSERT_EQ(self->start.handles, end.handles);
	ASSERT_EQ(self->start.messages, end.messages);
}

/* nobody floods a channel: NO_MEMORY at max_queued, root's unaffected. */
static int child_flood(void)
{
	uint32_t c0, c1;
	int fd, i;

	CHECK(2, become_nobody());
	fd = tbl_open();
	CHECK(3, fd >= 0);
	CHECK(4, channel_create(fd, &c0, &c1) == 0);
	for (i = 0; i < QUEUED; i++)
		CHECK(5, write_msg(fd, c0, NULL, 0) == 0);
	for (i = 0; i < 1000; i++)
		CHECK(6, write_msg(fd, c0, NULL, 0) == ENOMEM);
	/* the other direction is another queue */
	CHECK(7, write_msg(fd, c1, NULL, 0) == 0);
	return 0;
}

TEST_F(limits, flood_one_channel)
{
	struct mxt_counters end;
	uint32_t c0, c1;
	int fd;

	if (!self->ok)
		SKIP(return, "needs root and debugfs");
	run_child(_metadata, child_flood);
	fd = tbl_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, channel_create(fd, &c0, &c1));
	ASSERT_EQ(0, write_msg(fd, c0, NULL, 0));
	close(fd);
	ASSERT_TRUE(mxt_counters_read(&end));
	ASSERT_EQ(self->start.objects, end.objects);
	ASSERT_EQ(self->start.messages, end.messages);
}

/*
 * nobody duplicates one event without end: NO_MEMORY at max_handles, in
 * each of its tables; closing one makes room for one.
 */
static int child_handles(void)
{
	struct mxchan_handle_rights r = { .rights = MXCHAN_RIGHT_SAME_RIGHTS };
	int fd, k, i;
	uint32_t ev;

	CHECK(2, become_nobody());
	for (k = 0; k < 2; k++) {
		fd = tbl_open();
		CHECK(3, fd >= 0);
		CHECK(4, event_create(fd, &ev) == 0);
		r.handle = ev;
		for (i = 1; i < HANDLES; i++)
			CHECK(5, ioctl(fd, MXCHAN_IOC_HANDLE_DUPLICATE, &r) == 0);
		for (i = 0; i < 100; i++)
			CHECK(6, ioctl(fd, MXCHAN_IOC_HANDLE_DUPLICATE, &r) &&
			      errno == ENOMEM);
		CHECK(7, handle_close(fd, r.out) == 0);
		CHECK(8, ioctl(fd, MXCHAN_IOC_HANDLE_DUPLICATE, &r) == 0);
	}
	return 0;
}

TEST_F(limits, handles_per_table)
{
	struct mxt_counters end;
	uint32_t ev, out;
	int fd;

	if (!self->ok)
		SKIP(return, "needs root and debugfs");
	run_child(_metadata, child_handles);
	/* root's table has its own room */
	fd = tbl_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, event_create(fd, &ev));
	ASSERT_EQ(0, channel_create(fd, &ev, &out));
	close(fd);
	ASSERT_TRUE(mxt_counters_read(&end));
	ASSERT_EQ(self->start.objects, end.objects);
	ASSERT_EQ(self->start.handles, end.handles);
}

/*
 * nobody makes rings without end, far more than its limits would hold if
 * rings leaked: an endpoint sent into its own queue, and two channels
 * each queued in the other, 2000 times each.
 */
#define RINGS	2000

static int child_rings(void)
{
	uint32_t a0, a1, b0, b1;
	int fd, i;

	CHECK(2, become_nobody());
	fd = tbl_open();
	CHECK(3, fd >= 0);
	for (i = 0; i < RINGS; i++) {
		CHECK(4, channel_create(fd, &a0, &a1) == 0);
		CHECK(5, write_msg(fd, a1, &a0, 1) == 0);	/* a0's own queue */
		CHECK(6, handle_close(fd, a1) == 0);
		CHECK(7, channel_create(fd, &a0, &a1) == 0);
		CHECK(8, channel_create(fd, &b0, &b1) == 0);
		CHECK(9, write_msg(fd, a0, &b1, 1) == 0);	/* b1 on a1's */
		CHECK(10, write_msg(fd, b0, &a1, 1) == 0);	/* a1 on b1's */
		CHECK(11, handle_close(fd, a0) == 0);
		CHECK(12, handle_close(fd, b0) == 0);
	}
	return 0;
}

TEST_F(limits, rings_are_collected_under_the_limits)
{
	struct mxt_counters end;
	struct mxt_gc g0, g1;
	int status, fd, i;
	uint32_t ev;
	pid_t pid;

	if (!self->ok)
		SKIP(return, "needs root and debugfs");
	ASSERT_TRUE(mxt_gc_settle(&g0));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(child_rings());
	/* root's creates meanwhile, under the same limits, all succeed */
	fd = tbl_open();
	ASSERT_LE(0, fd);
	for (i = 0; i < 1000; i++) {
		ASSERT_EQ(0, event_create(fd, &ev));
		ASSERT_EQ(0, handle_close(fd, ev));
	}
	close(fd);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_TRUE(mxt_gc_settle(&g1));
	ASSERT_EQ(g0.rings + 2 * RINGS, g1.rings);
	ASSERT_EQ(g0.members + 3 * RINGS, g1.members);
	/* nobody went past its limits by waiting for the collector */
	ASSERT_LT(g0.waits, g1.waits);
	ASSERT_TRUE(mxt_counters_read(&end));
	ASSERT_EQ(self->start.objects, end.objects);
	ASSERT_EQ(self->start.handles, end.handles);
	ASSERT_EQ(self->start.messages, end.messages);
}

TEST_HARNESS_MAIN
