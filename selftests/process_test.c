// SPDX-License-Identifier: GPL-2.0
/*
 * Handles across processes: startup handles through mxchan_spawn(), a
 * channel end passed down a chain of processes with messages queued in
 * it, a server handing out channels, 64 handles at once, handing handles
 * to an unrelated process over a UNIX socket, process death at any point,
 * and fork() children racing on a shared table.
 *
 * The binary is also its own child programs: "process_test --child MODE".
 */
#include <limits.h>
#include <signal.h>
#include <sys/prctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include <magenta/process.h>
#include <magenta/processargs.h>
#include <mxchan.h>

#include "mx-internal.h"
#include "mxchan_test.h"

#define H0 PA_HND(PA_USER0, 0)
#define H1 PA_HND(PA_USER1, 7)

static char self_exe[PATH_MAX];

/* Read one message, waiting up to 20 s for it (waits arrive later). */
static mx_status_t wait_read(mx_handle_t h, void *bytes, uint32_t nb,
			     mx_handle_t *hs, uint32_t nh, uint32_t *anb,
			     uint32_t *anh)
{
	mx_status_t st;
	int i;

	for (i = 0; i < 20000; i++) {
		st = mx_channel_read(h, 0, bytes, hs, nb, nh, anb, anh);
		if (st != MX_ERR_SHOULD_WAIT)
			return st;
		usleep(1000);
	}
	return MX_ERR_TIMED_OUT;
}

static mx_status_t spawn(const char *mode, uint32_t n, const mx_handle_t *hs,
			 const uint32_t *ids, const char *arg, pid_t *pid)
{
	char *argv[] = { self_exe, "--child", (char *)mode, (char *)arg, NULL };

	return mxchan_spawn(self_exe, argv, NULL, n, hs, ids, pid);
}

/* Everything alive in the module, or -1 if debugfs is not there. */
static long live_objects(void)
{
	return mxt_live_total();
}

/* ---- the child programs ---- */

/* Echo one message back with "!" appended; check the startup handles. */
static int child_echo(void)
{
	mx_handle_t h = mx_get_startup_handle(H0);
	mx_handle_t ev = mx_get_startup_handle(H1);
	char buf[64];
	uint32_t nb;

	if (h <= 0 || mxt_info(h).type != MX_OBJ_TYPE_CHANNEL)
		return 10;
	if (ev <= 0 || mxt_info(ev).type != MX_OBJ_TYPE_EVENT)
		return 11;
	/* each startup handle is handed out once */
	if (mx_get_startup_handle(H0) != MX_HANDLE_INVALID ||
	    mx_get_startup_handle(PA_HND(PA_USER2, 0)) != MX_HANDLE_INVALID)
		return 12;
	if (wait_read(h, buf, sizeof(buf) - 1, NULL, 0, &nb, NULL) != MX_OK)
		return 13;
	buf[nb] = '!';
	return mx_channel_write(h, 0, buf, nb + 1, NULL, 0) == MX_OK ? 0 : 14;
}

/* Pass the startup channel end on to a grandchild, untouched. */
static int child_chain_b(void)
{
	mx_handle_t y = mx_get_startup_handle(H0);
	uint32_t id = H0;
	pid_t pid;

	if (spawn("chain-c", 1, &y, &id, NULL, &pid) != MX_OK)
		return 20;
	return mxt_reap(pid);
}

/* Read the messages queued before the end travelled, then say done. */
static int child_chain_c(void)
{
	mx_handle_t y = mx_get_startup_handle(H0);
	char buf[8];
	int i;

	for (i = 0; i < 3; i++) {
		if (mx_channel_read(y, 0, buf, NULL, sizeof(buf), 0, NULL,
				    NULL) != MX_OK)
			return 30 + i;
		if (buf[0] != 'm' || buf[1] != '0' + i)
			return 35;
	}
	return mx_channel_write(y, 0, "done", 5, NULL, 0) == MX_OK ? 0 : 39;
}

/* Give each of three clients its own channel, then greet it there. */
static int child_server(void)
{
	mx_handle_t srv = mx_get_startup_handle(H0), p, q;
	char buf[32];
	int i;

	for (i = 0; i < 3; i++) {
		if (wait_read(srv, buf, sizeof(buf), NULL, 0, NULL, NULL) != MX_OK)
			return 40;
		if (mx_channel_create(0, &p, &q) != MX_OK ||
		    mx_channel_write(srv, 0, "yours", 6, &q, 1) != MX_OK)
			return 41;
		if (wait_read(p, buf, sizeof(buf), NULL, 0, NULL, NULL) != MX_OK ||
		    buf[0] != 'h')
			return 42;
		snprintf(buf, sizeof(buf), "welcome %d", i);
		if (mx_channel_write(p, 0, buf, sizeof(buf), NULL, 0) != MX_OK)
			return 43;
		mx_handle_close(p);
	}
	return 0;
}

/* Receive 64 handles with their koids as data; reply with the matches. */
static int child_count64(void)
{
	mx_handle_t h = mx_get_startup_handle(H0), got[64];
	mx_koid_t koids[64];
	uint32_t nb, nh, ok = 0, i;

	if (wait_read(h, koids, sizeof(koids), got, 64, &nb, &nh) != MX_OK ||
	    nh != 64)
		return 50;
	for (i = 0; i < 64; i++) {
		ok += mxt_koid(got[i]) == koids[i];
		mx_handle_close(got[i]);
	}
	return mx_channel_write(h, 0, &ok, sizeof(ok), NULL, 0) == MX_OK ? 0 : 51;
}

/* Parent handle values, in argv, name nothing here, next to our own. */
static int child_probe(const char *values)
{
	mx_handle_t own[8];
	char *end;
	long v;
	int i;

	for (i = 0; i < 8; i++)
		if (mx_get_startup_handle(PA_HND(PA_USER1, i)) <= 0 ||
		    mx_event_create(0, &own[i]) != MX_OK)
			return 61;

	while (*values) {
		v = strtol(values, &end, 10);
		if (mxt_valid((mx_handle_t)v) ||
		    mx_handle_close((mx_handle_t)v) != MX_ERR_BAD_HANDLE)
			return 60;
		values = *end ? end + 1 : end;
	}
	return 0;
}

/* Say ready, then hold the startup handle until killed. */
static __attribute__((noreturn)) int child_hold(void)
{
	mx_handle_t h = mx_get_startup_handle(H0);

	mx_channel_write(h, 0, "ready", 6, NULL, 0);
	for (;;)
		pause();
}

/* Move channels and messages around until killed. */
static __attribute__((noreturn)) int child_churn(void)
{
	mx_handle_t h = mx_get_startup_handle(H0), x, y, got[4];
	uint32_t nh;

	mx_channel_write(h, 0, "ready", 6, NULL, 0);
	for (;;) {
		if (mx_channel_create(0, &x, &y) != MX_OK)
			continue;
		mx_channel_write(x, 0, "in y", 5, NULL, 0);
		mx_channel_write(h, 0, "take", 5, &y, 1);
		mx_handle_close(x);
		while (mx_channel_read(h, 0, NULL, got, 0, 4, NULL, &nh) ==
		       MX_ERR_BUFFER_TOO_SMALL)
			mx_channel_read(h, MX_CHANNEL_READ_MAY_DISCARD, NULL,
					NULL, 0, 0, NULL, NULL);
	}
}

/* Receive a table fd and a value over a UNIX socket; take the handle. */
static int child_unrelated(const char *sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))], buf[16];
	mx_handle_t value, h;
	struct iovec iov = { &value, sizeof(value) };
	struct msghdr m = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c;
	int table;

	if (recvmsg(atoi(sock), &m, 0) != sizeof(value))
		return 70;
	c = CMSG_FIRSTHDR(&m);
	if (!c || c->cmsg_type != SCM_RIGHTS)
		return 71;
	memcpy(&table, CMSG_DATA(c), sizeof(table));
	if (mxchan_handles_take(table, &value, 1, &h) != MX_OK)
		return 72;
	close(table);
	if (wait_read(h, buf, sizeof(buf), NULL, 0, NULL, NULL) != MX_OK ||
	    strcmp(buf, "secret"))
		return 73;
	return mx_channel_write(h, 0, "got it", 7, NULL, 0) == MX_OK ? 0 : 74;
}

/* 63 events as startup handles; send their koids back over the channel. */
static int child_startup64(void)
{
	mx_handle_t h = mx_get_startup_handle(H0), ev;
	mx_koid_t koids[63];
	int i;

	for (i = 0; i < 63; i++) {
		ev = mx_get_startup_handle(PA_HND(PA_USER1, i));
		koids[i] = ev > 0 ? mxt_koid(ev) : 0;
	}
	return mx_channel_write(h, 0, koids, sizeof(koids), NULL, 0) == MX_OK ?
	       0 : 80;
}

static int child_main(const char *mode, const char *arg)
{
	/* never outlive the test that started us */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (!strcmp(mode, "startup64"))
		return child_startup64();
	if (!strcmp(mode, "echo"))
		return child_echo();
	if (!strcmp(mode, "chain-b"))
		return child_chain_b();
	if (!strcmp(mode, "chain-c"))
		return child_chain_c();
	if (!strcmp(mode, "server"))
		return child_server();
	if (!strcmp(mode, "count64"))
		return child_count64();
	if (!strcmp(mode, "probe"))
		return child_probe(arg ? arg : "");
	if (!strcmp(mode, "hold"))
		return child_hold();
	if (!strcmp(mode, "churn"))
		return child_churn();
	if (!strcmp(mode, "unrelated"))
		return child_unrelated(arg ? arg : "-1");
	return 99;
}

/* ---- the tests ---- */

TEST(spawn_moves_startup_handles)
{
	mx_handle_t a, b, ev, hs[2];
	uint32_t ids[2] = { H0, H1 }, nb;
	char buf[16];
	pid_t pid;

	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_OK(mx_event_create(0, &ev));
	hs[0] = b;
	hs[1] = ev;
	ASSERT_OK(spawn("echo", 2, hs, ids, NULL, &pid));
	/* they left this process */
	ASSERT_STATUS(MX_ERR_BAD_HANDLE, mx_handle_close(b));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE, mx_handle_close(ev));
	ASSERT_OK(mx_channel_write(a, 0, "ping", 4, NULL, 0));
	ASSERT_OK(wait_read(a, buf, sizeof(buf), NULL, 0, &nb, NULL));
	ASSERT_EQ(5, nb);
	ASSERT_EQ(0, memcmp(buf, "ping!", 5));
	ASSERT_EQ(0, mxt_reap(pid));
	/* the child's exit closed its end */
	ASSERT_STATUS(MX_ERR_PEER_CLOSED,
		      mx_channel_read(a, 0, NULL, NULL, 0, 0, NULL, NULL));
	mx_handle_close(a);
}

TEST(spawn_failures)
{
	mx_handle_t a, b, hs[2];
	uint32_t ids[2] = { H0, H1 };
	pid_t pid = 0;

	ASSERT_OK(mx_channel_create(0, &a, &b));
	/* a bad handle: nothing moves, nothing starts */
	hs[0] = b;
	hs[1] = MXT_BAD_VALUE;
	ASSERT_STATUS(MX_ERR_BAD_HANDLE, spawn("echo", 2, hs, ids, NULL, &pid));
	ASSERT_EQ(0, pid);
	ASSERT_TRUE(mxt_valid(b));
	/* the same id twice */
	hs[1] = a;
	ids[1] = H0;
	ASSERT_STATUS(MX_ERR_ALREADY_EXISTS,
		      spawn("echo", 2, hs, ids, NULL, &pid));
	ASSERT_TRUE(mxt_valid(a));
	ASSERT_TRUE(mxt_valid(b));
	/* a program that is not there: nothing moves */
	{
		char *argv[] = { "nowhere", NULL };

		ASSERT_STATUS(MX_ERR_NOT_FOUND,
			      mxchan_spawn("/nonexistent/program", argv, NULL,
					   1, &b, ids, &pid));
		ASSERT_EQ(0, pid);
		ASSERT_TRUE(mxt_valid(b));
	}
	mx_handle_close(a);
	mx_handle_close(b);
}

/* exec fails after the handles moved: MX_ERR_IO, and they are closed. */
TEST(spawn_exec_failure_closes_handles)
{
	char path[] = "/tmp/mxchan-not-a-program-XXXXXX";
	char *argv[] = { path, NULL };
	mx_handle_t a, b;
	uint32_t id = H0;
	pid_t pid = 0;
	int fd;

	fd = mkstemp(path);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(4, write(fd, "junk", 4));
	ASSERT_EQ(0, fchmod(fd, 0755));
	close(fd);
	ASSERT_OK(mx_channel_create(0, &a, &b));
	errno = 0;
	ASSERT_STATUS(MX_ERR_IO,
		      mxchan_spawn(path, argv, NULL, 1, &b, &id, &pid));
	ASSERT_EQ(ENOEXEC, errno);
	unlink(path);
	ASSERT_EQ(0, pid);
	ASSERT_FALSE(mxt_valid(b));
	ASSERT_STATUS(MX_ERR_PEER_CLOSED,
		      mx_channel_read(a, 0, NULL, NULL, 0, 0, NULL, NULL));
	mx_handle_close(a);
}

/* 64 handles in one spawn: the whole startup table at once. */
TEST(spawn_with_64_handles)
{
	mx_handle_t hs[64], a;
	mx_koid_t want[63], got[63];
	uint32_t ids[64];
	pid_t pid;
	int i;

	ASSERT_OK(mx_channel_create(0, &a, &hs[0]));
	ids[0] = H0;
	for (i = 0; i < 63; i++) {
		ASSERT_OK(mx_event_create(0, &hs[i + 1]));
		want[i] = mxt_koid(hs[i + 1]);
		ids[i + 1] = PA_HND(PA_USER1, i);
	}
	ASSERT_OK(spawn("startup64", 64, hs, ids, NULL, &pid));
	ASSERT_OK(wait_read(a, got, sizeof(got), NULL, 0, NULL, NULL));
	ASSERT_EQ(0, memcmp(want, got, sizeof(want)));
	ASSERT_EQ(0, mxt_reap(pid));
	mx_handle_close(a);
}

TEST(chain_carries_queued_messages)
{
	mx_handle_t x, y;
	uint32_t id = H0;
	char buf[8];
	pid_t pid;

	ASSERT_OK(mx_channel_create(0, &x, &y));
	ASSERT_OK(mx_channel_write(x, 0, "m0", 3, NULL, 0));
	ASSERT_OK(mx_channel_write(x, 0, "m1", 3, NULL, 0));
	ASSERT_OK(mx_channel_write(x, 0, "m2", 3, NULL, 0));
	ASSERT_OK(spawn("chain-b", 1, &y, &id, NULL, &pid));
	ASSERT_OK(wait_read(x, buf, sizeof(buf), NULL, 0, NULL, NULL));
	ASSERT_STREQ("done", buf);
	ASSERT_EQ(0, mxt_reap(pid));
	mx_handle_close(x);
}

TEST(server_hands_out_channels)
{
	mx_handle_t c, srv, q;
	uint32_t id = H0, nh;
	char buf[32], want[32];
	pid_t pid;
	int i;

	ASSERT_OK(mx_channel_create(0, &c, &srv));
	ASSERT_OK(spawn("server", 1, &srv, &id, NULL, &pid));
	for (i = 0; i < 3; i++) {
		ASSERT_OK(mx_channel_write(c, 0, "new", 4, NULL, 0));
		ASSERT_OK(wait_read(c, buf, sizeof(buf), &q, 1, NULL, &nh));
		ASSERT_EQ(1, nh);
		ASSERT_OK(mx_channel_write(q, 0, "hello", 6, NULL, 0));
		ASSERT_OK(wait_read(q, buf, sizeof(buf), NULL, 0, NULL, NULL));
		snprintf(want, sizeof(want), "welcome %d", i);
		ASSERT_STREQ(want, buf);
		ASSERT_OK(mx_handle_close(q));
	}
	ASSERT_EQ(0, mxt_reap(pid));
	mx_handle_close(c);
}

TEST(sixty_four_handles)
{
	mx_handle_t a, b, ev[64];
	mx_koid_t koids[64];
	uint32_t id = H0, ok = 0;
	pid_t pid;
	int i;

	ASSERT_OK(mx_channel_create(0, &a, &b));
	for (i = 0; i < 64; i++) {
		ASSERT_OK(mx_event_create(0, &ev[i]));
		koids[i] = mxt_koid(ev[i]);
	}
	ASSERT_OK(spawn("count64", 1, &b, &id, NULL, &pid));
	ASSERT_OK(mx_channel_write(a, 0, koids, sizeof(koids), ev, 64));
	ASSERT_OK(wait_read(a, &ok, sizeof(ok), NULL, 0, NULL, NULL));
	ASSERT_EQ(64, ok);
	ASSERT_EQ(0, mxt_reap(pid));
	mx_handle_close(a);
}

TEST(values_mean_nothing_elsewhere)
{
	mx_handle_t hs[8], theirs[8];
	uint32_t ids[8];
	char arg[128] = "", *p = arg;
	pid_t pid;
	int i;

	for (i = 0; i < 8; i += 2)
		ASSERT_OK(mx_channel_create(0, &hs[i], &hs[i + 1]));
	for (i = 0; i < 8; i++)
		p += sprintf(p, "%s%d", i ? "," : "", hs[i]);
	/* the child gets 8 handles of its own, so its table is not empty */
	for (i = 0; i < 8; i++) {
		ASSERT_OK(mx_event_create(0, &theirs[i]));
		ids[i] = PA_HND(PA_USER1, i);
	}
	ASSERT_OK(spawn("probe", 8, theirs, ids, arg, &pid));
	ASSERT_EQ(0, mxt_reap(pid));
	for (i = 0; i < 8; i++)
		ASSERT_OK(mx_handle_close(hs[i]));
}

/* Killing a process closes its handles and what was queued to them. */
TEST(exit_releases_everything)
{
	mx_handle_t a, b, k1, k2;
	uint32_t id = H0;
	char buf[8];
	pid_t pid;

	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_OK(mx_channel_create(0, &k1, &k2));
	ASSERT_OK(spawn("hold", 1, &b, &id, NULL, &pid));
	ASSERT_OK(wait_read(a, buf, sizeof(buf), NULL, 0, NULL, NULL));
	/* k2 sits in a message queued to the child's end */
	ASSERT_OK(mx_channel_write(a, 0, "k2", 3, &k2, 1));
	ASSERT_FALSE(mxt_peer_closed(k1));
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(128 + SIGKILL, mxt_reap(pid));
	ASSERT_STATUS(MX_ERR_PEER_CLOSED,
		      mx_channel_read(a, 0, NULL, NULL, 0, 0, NULL, NULL));
	ASSERT_TRUE(mxt_peer_closed(k1));
	mx_handle_close(a);
	mx_handle_close(k1);
}

FIXTURE(slow) {};
FIXTURE_SETUP(slow) {}
FIXTURE_TEARDOWN(slow) {}

/* SIGKILL at random moments of a transfer loop leaves nothing behind. */
TEST_F_TIMEOUT(slow, sigkill_during_transfers, 300)
{
	struct timespec ts;
	int round;

	srand((unsigned int)getpid());
	for (round = 0; round < 20; round++) {
		mx_handle_t a, b, got[4], x, y;
		uint32_t id = H0, nh;
		mx_status_t st;
		char buf[8];
		pid_t pid;
		int i;

		ASSERT_OK(mx_channel_create(0, &a, &b));
		ASSERT_OK(spawn("churn", 1, &b, &id, NULL, &pid));
		ASSERT_OK(wait_read(a, buf, sizeof(buf), NULL, 0, NULL, NULL));
		/* churn from this side too, for a random while */
		for (i = rand() % 200; i > 0; i--) {
			if (mx_channel_create(0, &x, &y) == MX_OK) {
				mx_channel_write(a, 0, "x", 2, &x, 1);
				mx_handle_close(y);
			}
			if (mx_channel_read(a, 0, buf, got, sizeof(buf), 4, NULL,
					    &nh) == MX_OK)
				while (nh)
					mx_handle_close(got[--nh]);
		}
		ts.tv_sec = 0;
		ts.tv_nsec = (rand() % 2000) * 1000L;
		nanosleep(&ts, NULL);
		ASSERT_EQ(0, kill(pid, SIGKILL));
		ASSERT_EQ(128 + SIGKILL, mxt_reap(pid));
		/* drain what the child sent, then the peer is gone */
		do {
			st = mx_channel_read(a, 0, buf, got, sizeof(buf), 4,
					     NULL, &nh);
			if (st == MX_OK)
				while (nh)
					mx_handle_close(got[--nh]);
		} while (st == MX_OK);
		ASSERT_STATUS(MX_ERR_PEER_CLOSED, st);
		ASSERT_OK(mx_handle_close(a));
	}
	if (live_objects() < 0)
		SKIP(return, "no debugfs: counters not checked");
	/* no process holds anything now: every counter is back to zero */
	ASSERT_EQ(0, live_objects());
}

/* An unrelated process gets a handle through a table fd on a socket. */
TEST(handle_to_unrelated_process)
{
	char cbuf[CMSG_SPACE(sizeof(int))], buf[16], arg[16];
	mx_handle_t a, b, value;
	struct iovec iov = { &value, sizeof(value) };
	struct msghdr m = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c;
	int sv[2], table;
	pid_t pid;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv));
	ASSERT_EQ(0, fcntl(sv[1], F_SETFD, 0));	/* only the child's end */
	snprintf(arg, sizeof(arg), "%d", sv[1]);
	ASSERT_OK(spawn("unrelated", 0, NULL, NULL, arg, &pid));
	close(sv[1]);

	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_OK(mx_channel_write(a, 0, "secret", 7, NULL, 0));
	ASSERT_OK(mxchan_table_create(&table));
	ASSERT_OK(mxchan_handles_give(table, &b, 1, NULL, &value));
	ASSERT_FALSE(mxt_valid(b));
	c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &table, sizeof(table));
	ASSERT_EQ(sizeof(value), sendmsg(sv[0], &m, 0));
	close(table);
	ASSERT_OK(wait_read(a, buf, sizeof(buf), NULL, 0, NULL, NULL));
	ASSERT_STREQ("got it", buf);
	ASSERT_EQ(0, mxt_reap(pid));
	close(sv[0]);
	mx_handle_close(a);
}

TEST(give_and_take_errors)
{
	mx_handle_t a, b, there[2], back, hs[2];
	int table, own, devnull;

	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_OK(mxchan_table_create(&table));
	devnull = open("/dev/null", O_RDWR);
	ASSERT_GE(devnull, 0);
	ASSERT_STATUS(MX_ERR_WRONG_TYPE,
		      mxchan_handles_give(devnull, &a, 1, NULL, there));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mxchan_handles_give(-1, &a, 1, NULL, there));
	own = mxchan_table_fd();
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mxchan_handles_give(own, &a, 1, NULL, there));
	/* all or nothing */
	hs[0] = a;
	hs[1] = a;
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mxchan_handles_give(table, hs, 2, NULL, there));
	hs[1] = MXT_BAD_VALUE;
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mxchan_handles_give(table, hs, 2, NULL, there));
	ASSERT_TRUE(mxt_valid(a));
	/* TRANSFER is needed */
	ASSERT_OK(mx_handle_replace(b, MX_RIGHT_READ, &b));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mxchan_handles_give(table, &b, 1, NULL, there));
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE,
		      mxchan_handles_give(table, hs, 65, NULL, there));
	/* an id the table already remembers */
	{
		mx_handle_t e1, e2, v;
		uint32_t id = 42;

		ASSERT_OK(mx_event_create(0, &e1));
		ASSERT_OK(mx_event_create(0, &e2));
		ASSERT_OK(mxchan_handles_give(table, &e1, 1, &id, &v));
		ASSERT_STATUS(MX_ERR_ALREADY_EXISTS,
			      mxchan_handles_give(table, &e2, 1, &id, &v));
		ASSERT_TRUE(mxt_valid(e2));
		mx_handle_close(e2);
	}
	/* a table remembers at most 4096 startup ids at once */
	{
		mx_handle_t e[64], v[64];
		uint32_t ids[64];
		int i, k;

		for (k = 0; k < 64; k++) {
			for (i = 0; i < 64; i++) {
				ASSERT_OK(mx_event_create(0, &e[i]));
				ids[i] = 1000 + k * 64 + i;
			}
			/* with 42 and 63 * 64 more, 64 again would be 4097 */
			if (k < 63) {
				ASSERT_OK(mxchan_handles_give(table, e, 64,
							      ids, v));
				continue;
			}
			ASSERT_STATUS(MX_ERR_NO_MEMORY,
				      mxchan_handles_give(table, e, 64, ids,
							  v));
			for (i = 0; i < 64; i++)
				ASSERT_OK(mx_handle_close(e[i]));
		}
	}
	/* a round trip gives the same object a new value */
	ASSERT_OK(mxchan_handles_give(table, &a, 1, NULL, there));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mxchan_handles_take(table, &a, 1, &back));
	ASSERT_OK(mxchan_handles_take(table, there, 1, &back));
	ASSERT_EQ(mxt_info(b).related_koid, mxt_koid(back));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mxchan_handles_take(table, there, 1, &back));
	close(devnull);
	close(table);
	mx_handle_close(back);
	mx_handle_close(b);
}

/* Spin for a random few hundred iterations, to vary who goes first. */
static void jitter(void)
{
	volatile int i;

	for (i = rand() % 512; i > 0; i--)
		;
}

/* fork() children share the table; a send races all or nothing there. */
TEST_F_TIMEOUT(slow, forked_processes_race_on_one_handle, 300)
{
	mx_handle_t c1, r1, c2, r2, ev, got;
	int round, wins = 0, *go;
	uint32_t nh;

	go = mmap(NULL, sizeof(*go), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, go);
	ASSERT_OK(mx_channel_create(0, &c1, &r1));
	ASSERT_OK(mx_channel_create(0, &c2, &r2));
	srand((unsigned int)getpid());
	for (round = 0; round < 200; round++) {
		mx_status_t mine, theirs;
		pid_t pid;

		ASSERT_OK(mx_event_create(0, &ev));
		__atomic_store_n(go, 0, __ATOMIC_SEQ_CST);
		pid = fork();
		ASSERT_GE(pid, 0);
		if (pid == 0) {
			/* both sides spin on the flag, then send ev */
			__atomic_store_n(go, 1, __ATOMIC_SEQ_CST);
			while (__atomic_load_n(go, __ATOMIC_SEQ_CST) != 2)
				;
			jitter();
			_exit(mx_channel_write(c2, 0, NULL, 0, &ev, 1) ==
			      MX_OK ? 0 : 1);
		}
		while (__atomic_load_n(go, __ATOMIC_SEQ_CST) != 1)
			;
		__atomic_store_n(go, 2, __ATOMIC_SEQ_CST);
		jitter();
		mine = mx_channel_write(c1, 0, NULL, 0, &ev, 1);
		theirs = mxt_reap(pid) == 0 ? MX_OK : MX_ERR_BAD_HANDLE;
		ASSERT_TRUE((mine == MX_OK) != (theirs == MX_OK));
		ASSERT_OK(mx_channel_read(mine == MX_OK ? r1 : r2, 0, NULL, &got,
					  0, 1, NULL, &nh));
		ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
			      mx_channel_read(mine == MX_OK ? r2 : r1, 0, NULL,
					      &got, 0, 1, NULL, &nh));
		mx_handle_close(got);
		wins += mine == MX_OK;
	}
	TH_LOG("parent won %d of 200", wins);
	munmap(go, sizeof(*go));
	mx_handle_close(c1);
	mx_handle_close(r1);
	mx_handle_close(c2);
	mx_handle_close(r2);
}

int main(int argc, char **argv)
{
	ssize_t n = readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);

	if (n <= 0)
		return 1;
	self_exe[n] = 0;
	if (argc >= 3 && !strcmp(argv[1], "--child"))
		return child_main(argv[2], argc > 3 ? argv[3] : NULL);
	return test_harness_run(argc, argv);
}
