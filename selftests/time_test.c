// SPDX-License-Identifier: GPL-2.0
/*
 * Deadlines inside a time namespace: a process whose CLOCK_MONOTONIC is
 * offset from the host's computes its deadlines on its own clock (libmx's
 * mx_deadline_after()), and the module reads them on that clock too, as
 * clock_nanosleep() and timerfd do. A 200 ms wait takes 200 ms whatever
 * the offset: it neither expires at once (a negative offset) nor waits
 * the offset out (a positive one). Checked for every call that takes a
 * deadline: object_wait_one, object_wait_many, port_wait, channel_call.
 *
 * The bounds are on the namespace's own clock and far apart (at least the
 * deadline, at most a third of the offset), so a slow machine passes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>

#include <magenta/syscalls/port.h>

#include "mxchan_test.h"

#define WAIT		MX_MSEC(200)
#define OFFSET_S	30

/* Each timed call, its deadline WAIT from now: what it returned. */
static int timed_calls(void)
{
	mx_handle_t ev, port, a, b;
	mx_wait_item_t item;
	mx_port_packet_t pkt;
	uint32_t req = 1, rep, nb, nh;
	mx_status_t rs;
	mx_channel_call_args_t args = {
		.wr_bytes = &req, .wr_num_bytes = sizeof(req),
		.rd_bytes = &rep, .rd_num_bytes = sizeof(rep),
	};
	mx_time_t t0, dt;
	int i;

	if (mx_event_create(0, &ev) != MX_OK ||
	    mx_port_create(0, &port) != MX_OK ||
	    mx_channel_create(0, &a, &b) != MX_OK)
		return 2;
	for (i = 0; i < 4; i++) {
		mx_status_t st = MX_ERR_INTERNAL;

		t0 = mx_time_get(MX_CLOCK_MONOTONIC);
		switch (i) {
		case 0:
			st = mx_object_wait_one(ev, MX_EVENT_SIGNALED,
						mx_deadline_after(WAIT), NULL);
			break;
		case 1:
			item = (mx_wait_item_t){ ev, MX_EVENT_SIGNALED, 0 };
			st = mx_object_wait_many(&item, 1,
						 mx_deadline_after(WAIT));
			break;
		case 2:
			st = mx_port_wait(port, mx_deadline_after(WAIT), &pkt, 0);
			break;
		case 3:
			st = mx_channel_call(a, 0, mx_deadline_after(WAIT),
					     &args, &nb, &nh, &rs);
			break;
		}
		dt = mx_time_get(MX_CLOCK_MONOTONIC) - t0;
		if (st != MX_ERR_TIMED_OUT)
			return 10 + i;
		/* not at once, and not the offset either */
		if (dt < WAIT)
			return 20 + i;
		if (dt >= MX_SEC(OFFSET_S) / 3)
			return 30 + i;
	}
	return 0;
}

/* Run timed_calls() in a child in a new time namespace offset by @off_s. */
static int in_time_namespace(long off_s)
{
	char buf[64];
	int fd, status;
	pid_t pid;

	if (unshare(CLONE_NEWTIME))
		return errno == EINVAL ? -1 : 3;
	/* before any process is in it: the offset of its clocks */
	snprintf(buf, sizeof(buf), "monotonic %ld 0\n", off_s);
	fd = open("/proc/self/timens_offsets", O_WRONLY);
	if (fd < 0 || write(fd, buf, strlen(buf)) != (ssize_t)strlen(buf))
		return 4;
	close(fd);
	pid = fork();
	if (pid < 0)
		return 5;
	if (pid == 0)
		_exit(timed_calls());
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return 6;
	return WEXITSTATUS(status);
}

/* A process of its own: unshare() changes what our children get. */
static int run(long off_s)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return 7;
	if (pid == 0)
		_exit(in_time_namespace(off_s) & 0xff);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return 8;
	return WEXITSTATUS(status);
}

FIXTURE(timens) {};
FIXTURE_SETUP(timens) {}
FIXTURE_TEARDOWN(timens) {}

TEST_F_TIMEOUT(timens, ahead, 120)
{
	int ret;

	if (geteuid() != 0)
		SKIP(return, "needs root");
	ret = run(OFFSET_S);
	if (ret == 0xff)
		SKIP(return, "no time namespaces in this kernel");
	ASSERT_EQ(0, ret);
}

TEST_F_TIMEOUT(timens, behind, 120)
{
	struct timespec now;
	long back;
	int ret;

	if (geteuid() != 0)
		SKIP(return, "needs root");
	/* the clock may not go below 0: go back to its first second */
	ASSERT_EQ(0, clock_gettime(CLOCK_MONOTONIC, &now));
	back = now.tv_sec - 1;
	if (back < 2)
		SKIP(return, "booted too recently to go back in time");
	ret = run(-back);
	if (ret == 0xff)
		SKIP(return, "no time namespaces in this kernel");
	ASSERT_EQ(0, ret);
}

/* Deadlines in the initial namespace still mean what they always did. */
TEST(at_home)
{
	ASSERT_EQ(0, timed_calls());
}

TEST_HARNESS_MAIN
