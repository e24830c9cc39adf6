// SPDX-License-Identifier: GPL-2.0
/*
 * Per-user budgets: handles in a user's tables (max_user_handles), and
 * the handles and bytes of the messages queued to its channel ends
 * (max_user_inflight, max_user_bytes), with a clear status, while another
 * user goes on unaffected. The holder pays: a user who keeps what another
 * hands out, or leaves it unread, spends its own budget, not the giver's;
 * a writer to another user's end may take at most half of what that user
 * has left. A table counts against the user whose process calls into it,
 * and every process in user namespaces an unprivileged user made spends
 * that user's one budget. Everything is freed when the processes exit;
 * rings no table can reach count only until the collector destroys them.
 *
 * What a peer parks or watches is bounded where a writer or signaller
 * would pay for it: calls waiting on one endpoint (max_queued keeps room
 * for their replies, wherever the endpoint moves), calls in one table
 * (4096, refused before the request is sent), async waits and signal
 * fds on one object (max_object_waits) and of one user (max_user_waits).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/time.h>
#include <sys/wait.h>

#include "mxchan_test.h"

#define NOBODY		65534
#define NOBODY2		65533
#define HANDLES_MAX	40	/* max_user_handles */
#define INFLIGHT	16	/* max_user_inflight */
#define BYTES		(1 << 20)	/* max_user_bytes */
#define QUEUED		100	/* max_queued */
#define TABLE		200	/* max_handles */

static int tbl_open(void)
{
	return open("/dev/mxchan", O_RDWR | O_CLOEXEC);
}

static int event_create(int fd, uint32_t *out)
{
	struct mxchan_event_create a = { .out = (uintptr_t)out };

	return ioctl(fd, MXCHAN_IOC_EVENT_CREATE, &a) ? errno : 0;
}

static int channel_create(int fd, uint32_t *h0, uint32_t *h1)
{
	struct mxchan_channel_create a = {
		.out0 = (uintptr_t)h0, .out1 = (uintptr_t)h1,
	};

	return ioctl(fd, MXCHAN_IOC_CHANNEL_CREATE, &a) ? errno : 0;
}

static int handle_close(int fd, uint32_t h)
{
	return ioctl(fd, MXCHAN_IOC_HANDLE_CLOSE, (unsigned long)h) ? errno : 0;
}

static int duplicate(int fd, uint32_t h, uint32_t *out)
{
	struct mxchan_handle_rights a = {
		.handle = h, .rights = MXCHAN_RIGHT_SAME_RIGHTS,
		.out = (uintptr_t)out,
	};

	return ioctl(fd, MXCHAN_IOC_HANDLE_DUPLICATE, &a) ? errno : 0;
}

static int write_bytes(int fd, uint32_t ch, const void *bytes, uint32_t nb,
		       uint32_t *handles, uint32_t nh)
{
	struct mxchan_channel_write a = {
		.handle = ch, .bytes = (uintptr_t)bytes, .num_bytes = nb,
		.handles = (uintptr_t)handles, .num_handles = nh,
	};

	return ioctl(fd, MXCHAN_IOC_CHANNEL_WRITE, &a) ? errno : 0;
}

static int write_msg(int fd, uint32_t ch, uint32_t *handles, uint32_t nh)
{
	return write_bytes(fd, ch, "x", 1, handles, nh);
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

/* Move @h from the table @from_fd into @fd's (HANDLE_MOVE, take). */
static int take(int fd, int from_fd, uint32_t h, uint32_t *out)
{
	struct mxchan_handle_move a = {
		.fd = from_fd, .flags = MXCHAN_MOVE_TAKE,
		.handles = (uintptr_t)&h, .out = (uintptr_t)out,
		.num_handles = 1,
	};

	return ioctl(fd, MXCHAN_IOC_HANDLE_MOVE, &a) ? errno : 0;
}

static bool become(uid_t uid)
{
	return setgroups(0, NULL) == 0 && setgid(uid) == 0 && setuid(uid) == 0;
}

/* Become nobody; from here on nothing may be shared with root's work. */
static bool become_nobody(void)
{
	return become(NOBODY);
}

/* What debugfs's users file says @uid is charged for. */
struct user_counts {
	long handles, inflight, bytes, waits, socket_pages, vmo_pages;
};

static bool user_counts(uid_t uid, struct user_counts *c)
{
	FILE *f = fopen("/sys/kernel/debug/mxchan/users", "r");
	struct user_counts x;
	unsigned int u;
	bool found = false;

	memset(c, 0, sizeof(*c));
	if (!f)
		return false;
	while (fscanf(f, "uid %u handles %ld inflight %ld bytes %ld waits %ld socket_pages %ld vmo_pages %ld\n",
		      &u, &x.handles, &x.inflight, &x.bytes, &x.waits,
		      &x.socket_pages, &x.vmo_pages) == 7) {
		if (u == uid) {
			*c = x;
			found = true;
		}
	}
	fclose(f);
	return found;
}

FIXTURE(limits) {
	char handles[32], inflight[32], bytes[32], queued[32], table[32];
	char object_waits[32], user_waits[32];
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
	snprintf(n, sizeof(n), "%d", HANDLES_MAX);
	ASSERT_EQ(0, mxt_param_set("max_user_handles", n, self->handles,
				   sizeof(self->handles)));
	snprintf(n, sizeof(n), "%d", INFLIGHT);
	ASSERT_EQ(0, mxt_param_set("max_user_inflight", n, self->inflight,
				   sizeof(self->inflight)));
	snprintf(n, sizeof(n), "%d", BYTES);
	ASSERT_EQ(0, mxt_param_set("max_user_bytes", n, self->bytes,
				   sizeof(self->bytes)));
	snprintf(n, sizeof(n), "%d", QUEUED);
	ASSERT_EQ(0, mxt_param_set("max_queued", n, self->queued,
				   sizeof(self->queued)));
	snprintf(n, sizeof(n), "%d", TABLE);
	ASSERT_EQ(0, mxt_param_set("max_handles", n, self->table,
				   sizeof(self->table)));
	/* saved as they are, for the tests that change them */
	ASSERT_EQ(0, mxt_param_set("max_object_waits", "4096",
				   self->object_waits,
				   sizeof(self->object_waits)));
	ASSERT_EQ(0, mxt_param_set("max_user_waits", "262144",
				   self->user_waits, sizeof(self->user_waits)));
}

FIXTURE_TEARDOWN_PARENT(limits)
{
	struct mxt_counters end;

	if (!self->ok)
		return;
	mxt_param_restore("max_user_handles", self->handles);
	mxt_param_restore("max_user_inflight", self->inflight);
	mxt_param_restore("max_user_bytes", self->bytes);
	mxt_param_restore("max_queued", self->queued);
	mxt_param_restore("max_handles", self->table);
	mxt_param_restore("max_object_waits", self->object_waits);
	mxt_param_restore("max_user_waits", self->user_waits);
	/* every test leaves the module as it found it */
	EXPECT_TRUE(mxt_counters_read(&end));
	EXPECT_EQ(self->start.objects, end.objects);
	EXPECT_EQ(self->start.handles, end.handles);
	EXPECT_EQ(self->start.messages, end.messages);
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

static void wait_child(struct __test_metadata *_metadata, pid_t pid)
{
	int status;

	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
}

/*
 * nobody creates objects and duplicates handles until NO_RESOURCES, in
 * two tables: the budget is the user's, not the table's. Then tells the
 * parent, and waits.
 */
static int child_handles(int go, int done)
{
	uint32_t h[HANDLES_MAX + 1], extra, c0, c1, p;
	struct mxchan_eventpair_create ep = {
		.out0 = (uintptr_t)&c0, .out1 = (uintptr_t)&c1,
	};
	struct mxchan_port_create pc = { .out = (uintptr_t)&p };
	int fd, fd2, i;
	char b;

	CHECK(2, become_nobody());
	fd = tbl_open();
	fd2 = tbl_open();
	CHECK(3, fd >= 0 && fd2 >= 0);
	for (i = 0; i < HANDLES_MAX - 1; i++)
		CHECK(4, event_create(i % 2 ? fd : fd2, &h[i]) == 0);
	CHECK(5, duplicate(fd, h[1], &h[HANDLES_MAX - 1]) == 0);
	CHECK(6, event_create(fd, &extra) == EMFILE);
	CHECK(7, event_create(fd2, &extra) == EMFILE);
	CHECK(8, channel_create(fd, &c0, &c1) == EMFILE);
	CHECK(9, ioctl(fd, MXCHAN_IOC_EVENTPAIR_CREATE, &ep) && errno == EMFILE);
	CHECK(10, ioctl(fd, MXCHAN_IOC_PORT_CREATE, &pc) && errno == EMFILE);
	CHECK(11, duplicate(fd, h[1], &extra) == EMFILE);
	/* freeing one handle makes room for one */
	CHECK(12, handle_close(fd2, h[0]) == 0);
	CHECK(13, event_create(fd, &h[0]) == 0);
	CHECK(14, event_create(fd, &extra) == EMFILE);
	CHECK(15, write(go, "g", 1) == 1);
	CHECK(16, read(done, &b, 1) == 1);
	return 0;	/* exit closes everything */
}

TEST_F(limits, handles_per_user)
{
	uint32_t h[HANDLES_MAX / 2];
	struct user_counts c;
	int go[2], done[2], fd, i;
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
		_exit(child_handles(go[1], done[0]));
	}
	close(go[1]);
	close(done[0]);
	ASSERT_EQ(1, read(go[0], &b, 1));
	ASSERT_TRUE(user_counts(NOBODY, &c));
	ASSERT_EQ(HANDLES_MAX, c.handles);
	/* nobody is at its limit; root, under the same limit, is not */
	fd = tbl_open();
	ASSERT_LE(0, fd);
	for (i = 0; i < HANDLES_MAX / 2; i++)
		ASSERT_EQ(0, event_create(fd, &h[i]));
	close(fd);
	ASSERT_EQ(1, write(done[1], "d", 1));
	wait_child(_metadata, pid);
	close(go[0]);
	close(done[1]);
}

/*
 * nobody sends handles to its own ends until NO_RESOURCES: the budget
 * counts handles in messages, whatever channel they are queued on;
 * reading one frees room.
 */
static int child_inflight(void)
{
	uint32_t a0, a1, b0, b1, ev[INFLIGHT + 2], got[64], ab, ah;
	struct mxchan_call_args ca = { 0 };
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
	ca.wr_handles = (uintptr_t)got;
	ca.wr_num_handles = 1;
	call.handle = a0;
	call.args = (uintptr_t)&ca;
	call.actual_bytes = (uintptr_t)&ab;
	call.actual_handles = (uintptr_t)&ah;
	call.deadline = 1;
	CHECK(16, ioctl(fd, MXCHAN_IOC_CHANNEL_CALL, &call) && errno == EMFILE);
	/* a message without handles costs bytes only */
	CHECK(13, write_msg(fd, a0, NULL, 0) == 0);
	/* a closed endpoint's queue gives its handles' room back */
	CHECK(14, handle_close(fd, b1) == 0);
	CHECK(15, write_msg(fd, a0, got, 1) == 0);
	return 0;
}

TEST_F(limits, inflight_per_user)
{
	if (!self->ok)
		SKIP(return, "needs root and debugfs");
	run_child(_metadata, child_inflight);
}

/*
 * Bytes are a budget too: nobody fills its own end with 64 KiB messages
 * until NO_RESOURCES, far below max_queued; the other direction of the
 * same channel is its budget too; reading gives room back.
 */
static int child_bytes(void)
{
	static char big[65536];
	uint32_t c0, c1;
	int fd, i, n = 0;
	char buf[8];
	uint32_t nb, nh;
	struct mxchan_channel_read r = {
		.bytes = (uintptr_t)big, .num_bytes = sizeof(big),
		.actual_bytes = (uintptr_t)&nb,
		.actual_handles = (uintptr_t)&nh,
	};

	CHECK(2, become_nobody());
	fd = tbl_open();
	CHECK(3, fd >= 0);
	CHECK(4, channel_create(fd, &c0, &c1) == 0);
	for (i = 0; i < QUEUED; i++) {
		int ret = write_bytes(fd, c0, big, sizeof(big), NULL, 0);

		if (ret == EMFILE)
			break;
		CHECK(5, ret == 0);
		n++;
	}
	/* a megabyte holds 15 of them and their headers, not 16 */
	CHECK(6, n == BYTES / (int)sizeof(big) - 1);
	CHECK(7, write_bytes(fd, c1, big, sizeof(big), NULL, 0) == EMFILE);
	/* small ones still fit in what is left */
	CHECK(8, write_bytes(fd, c1, buf, sizeof(buf), NULL, 0) == 0);
	r.handle = c1;
	CHECK(9, ioctl(fd, MXCHAN_IOC_CHANNEL_READ, &r) == 0 &&
	      nb == sizeof(big) && nh == 0);
	CHECK(10, write_bytes(fd, c0, big, sizeof(big), NULL, 0) == 0);
	CHECK(11, write_bytes(fd, c0, big, sizeof(big), NULL, 0) == EMFILE);
	return 0;
}

TEST_F(limits, bytes_per_user)
{
	if (!self->ok)
		SKIP(return, "needs root and debugfs");
	run_child(_metadata, child_bytes);
}

/*
 * A server (root) hands a client (nobody) handles, and writes to the
 * client's end while the client reads nothing: what the client keeps and
 * leaves unread is the client's to pay for. The server's budget stays
 * whole (it creates and sends as much again to itself), and the server
 * may fill only half of what the client has: the client can still send
 * itself the other half.
 */
#define SEND	32	/* handles the server hands out, 8 a message */

/*
 * A client: a process of nobody's with a table of its own, holding @end
 * (taken from root's table @root_t), that runs @body and exits with its
 * status. It talks to the test through two pipes: it writes to go, reads
 * done; the test keeps the other ends in @c.
 */
struct client {
	pid_t pid;
	int go, done;
};

static void client_start(struct __test_metadata *_metadata, struct client *c,
			 int root_t, uint32_t end,
			 int (*body)(int t, uint32_t mine, int go, int done))
{
	int go[2], done[2];
	uint32_t mine;
	char x;

	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(done));
	c->pid = fork();
	ASSERT_LE(0, c->pid);
	if (c->pid == 0) {
		int t;

		close(go[0]);
		close(done[1]);
		CHECK(2, become_nobody());
		t = tbl_open();
		CHECK(3, t >= 0);
		/* the client's end comes into its own table */
		CHECK(4, take(t, root_t, end, &mine) == 0);
		close(root_t);
		CHECK(5, write(go[1], "g", 1) == 1);
		_exit(body(t, mine, go[1], done[0]));
	}
	close(go[1]);
	close(done[0]);
	c->go = go[0];
	c->done = done[1];
	ASSERT_EQ(1, read(c->go, &x, 1));
}

/* Tell the client to go on, and wait until it says it did (if @wait). */
static void client_step(struct __test_metadata *_metadata, struct client *c,
			bool wait)
{
	char x;

	ASSERT_EQ(1, write(c->done, "d", 1));
	if (wait)
		ASSERT_EQ(1, read(c->go, &x, 1));
}

static void client_end(struct __test_metadata *_metadata, struct client *c)
{
	client_step(_metadata, c, false);
	wait_child(_metadata, c->pid);
	close(c->go);
	close(c->done);
}

static int holder(int t, uint32_t bn, int go, int done)
{
	uint32_t c0, c1, got[SEND + 1];
	char x;
	int i;

	/* the server hands out handles: the client reads them all */
	for (i = 0; i < SEND / 8; i++) {
		CHECK(6, read(done, &x, 1) == 1);
		CHECK(7, read_msg(t, bn, &got[8 * i]) == 0);
		CHECK(8, write(go, "r", 1) == 1);
	}
	/* then the server fills what it may of the client's budget */
	CHECK(9, read(done, &x, 1) == 1);
	/* and the client still has the other half for itself */
	CHECK(10, channel_create(t, &c0, &c1) == 0);
	for (i = 0; i < INFLIGHT / 2; i++)
		CHECK(11, write_msg(t, c0, &got[i], 1) == 0);
	CHECK(12, write_msg(t, c0, &got[i], 1) == EMFILE);
	return 0;
}

TEST_F(limits, the_holder_pays)
{
	uint32_t a, b, c0, c1, ev[HANDLES_MAX];
	struct user_counts c;
	struct client cl;
	int root_t, i, sent;

	if (!self->ok)
		SKIP(return, "needs root and debugfs");
	root_t = tbl_open();
	ASSERT_LE(0, root_t);
	ASSERT_EQ(0, channel_create(root_t, &a, &b));
	client_start(_metadata, &cl, root_t, b, holder);

	/* the server creates handles and sends them all out, 8 at a time */
	for (i = 0; i < SEND; i++)
		ASSERT_EQ(0, event_create(root_t, &ev[i]));
	for (i = 0; i < SEND / 8; i++) {
		ASSERT_EQ(0, write_msg(root_t, a, &ev[8 * i], 8));
		client_step(_metadata, &cl, true);
	}
	/* the client holds them now: the server's budget is whole again */
	ASSERT_TRUE(user_counts(NOBODY, &c));
	ASSERT_EQ(1 + SEND, c.handles);
	ASSERT_TRUE(user_counts(0, &c));
	ASSERT_EQ(1, c.handles);
	for (i = 0; i < HANDLES_MAX - 1; i++)
		ASSERT_EQ(0, event_create(root_t, &ev[i]));

	/* the client reads nothing more: the server fills half its budget */
	for (sent = 0; sent < INFLIGHT; sent++) {
		int ret = write_msg(root_t, a, &ev[sent], 1);

		if (ret == EMFILE)
			break;
		ASSERT_EQ(0, ret);
	}
	ASSERT_EQ(INFLIGHT / 2, sent);
	ASSERT_TRUE(user_counts(NOBODY, &c));
	ASSERT_EQ(INFLIGHT / 2, c.inflight);
	ASSERT_TRUE(user_counts(0, &c));
	ASSERT_EQ(0, c.inflight);
	/* and still sends its own ends as much as it ever may */
	ASSERT_EQ(0, handle_close(root_t, ev[HANDLES_MAX - 2]));
	ASSERT_EQ(0, handle_close(root_t, ev[HANDLES_MAX - 3]));
	ASSERT_EQ(0, channel_create(root_t, &c0, &c1));
	for (i = 0; i < INFLIGHT; i++)
		ASSERT_EQ(0, write_msg(root_t, c0, &ev[sent + i], 1));
	ASSERT_EQ(EMFILE, write_msg(root_t, c0, &ev[sent + INFLIGHT], 1));
	client_end(_metadata, &cl);
	close(root_t);
}

/*
 * A channel end that travels in a message is the holder's of the queue
 * it waits in: a server (root) sends an end b, whose peer it keeps, to a
 * client (nobody) that never reads it; what the server then writes to b
 * is the client's to pay for, within the server's share of it.
 */
/* Holds its end and reads nothing, until told to exit. */
static int idle(int t, uint32_t mine, int go, int done)
{
	char x;

	(void)t;
	(void)mine;
	(void)go;
	CHECK(6, read(done, &x, 1) == 1);
	return 0;
}

TEST_F(limits, an_end_in_a_message_is_its_holders)
{
	uint32_t a, b, c, d, ev;
	struct user_counts uc;
	struct client cl;
	int root_t, sent;

	if (!self->ok)
		SKIP(return, "needs root and debugfs");
	root_t = tbl_open();
	ASSERT_LE(0, root_t);
	ASSERT_EQ(0, channel_create(root_t, &a, &b));
	ASSERT_EQ(0, channel_create(root_t, &c, &d));
	client_start(_metadata, &cl, root_t, d, idle);
	/* b goes to the client's end d, unread */
	ASSERT_EQ(0, write_msg(root_t, c, &b, 1));
	for (sent = 0; sent < INFLIGHT; sent++) {
		int ret;

		ASSERT_EQ(0, event_create(root_t, &ev));
		ret = write_msg(root_t, a, &ev, 1);
		if (ret == EMFILE)
			break;
		ASSERT_EQ(0, ret);
	}
	/* half of the client's budget in all, b's message included */
	ASSERT_EQ(INFLIGHT / 2 - 1, sent);
	ASSERT_TRUE(user_counts(NOBODY, &uc));
	ASSERT_EQ(INFLIGHT / 2, uc.inflight);
	ASSERT_TRUE(user_counts(0, &uc));
	ASSERT_EQ(0, uc.inflight);
	client_end(_metadata, &cl);
	close(root_t);
}

/*
 * Giving handles into another table is a charging call into it: the giver
 * takes that table over, its handles with it, and the table's old user
 * keeps its budget.
 */
TEST_F(limits, giving_into_a_table_takes_it_over)
{
	uint32_t ev[4], there[4], mine[HANDLES_MAX];
	struct user_counts c;
	int root_t, t2, i;
	pid_t pid;

	if (!self->ok)
		SKIP(return, "needs root and debugfs");
	root_t = tbl_open();
	ASSERT_LE(0, root_t);
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, event_create(root_t, &ev[i]));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct mxchan_handle_move mv = {
			.handles = (uintptr_t)ev, .out = (uintptr_t)there,
			.num_handles = 4,
		};
		int t;

		CHECK(2, become_nobody());
		t = tbl_open();
		CHECK(3, t >= 0);
		for (i = 0; i < 4; i++)
			CHECK(4, event_create(t, &ev[i]) == 0);
		mv.fd = root_t;
		CHECK(5, ioctl(t, MXCHAN_IOC_HANDLE_MOVE, &mv) == 0);
		_exit(0);
	}
	wait_child(_metadata, pid);
	/* root's table, 8 handles now, is nobody's */
	ASSERT_TRUE(user_counts(NOBODY, &c));
	ASSERT_EQ(8, c.handles);
	ASSERT_TRUE(user_counts(0, &c));
	ASSERT_EQ(0, c.handles);
	t2 = tbl_open();
	ASSERT_LE(0, t2);
	for (i = 0; i < HANDLES_MAX; i++)
		ASSERT_EQ(0, event_create(t2, &mine[i]));
	close(t2);
	close(root_t);
}

/*
 * Two other users write to root's end without end: the first may take
 * half of root's budget, the second half of what is left, and root keeps
 * the rest for itself.
 */
static int writer(int root_t, uint32_t end, uid_t uid, int want)
{
	uint32_t mine, ev;
	int t, n = 0, ret;

	CHECK(2, become(uid));
	t = tbl_open();
	CHECK(3, t >= 0);
	CHECK(4, take(t, root_t, end, &mine) == 0);
	close(root_t);
	for (;;) {
		CHECK(5, event_create(t, &ev) == 0);
		ret = write_msg(t, mine, &ev, 1);
		if (ret == EMFILE)
			break;
		CHECK(6, ret == 0);
		n++;
	}
	CHECK(7, n == want);
	return 0;
}

TEST_F(limits, a_writer_takes_half_of_what_is_left)
{
	uint32_t a0, a1, b0, b1, c0, c1, ev;
	int root_t, i;
	pid_t pid;

	if (!self->ok)
		SKIP(return, "needs root and debugfs");
	root_t = tbl_open();
	ASSERT_LE(0, root_t);
	ASSERT_EQ(0, channel_create(root_t, &a0, &a1));
	ASSERT_EQ(0, channel_create(root_t, &b0, &b1));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(writer(root_t, a0, NOBODY, INFLIGHT / 2));
	wait_child(_metadata, pid);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(writer(root_t, b0, NOBODY2, INFLIGHT / 4));
	wait_child(_metadata, pid);
	/* both writers' messages wait at root's ends, charged to root */
	ASSERT_EQ(0, channel_create(root_t, &c0, &c1));
	for (i = 0; i < INFLIGHT / 4; i++) {
		ASSERT_EQ(0, event_create(root_t, &ev));
		ASSERT_EQ(0, write_msg(root_t, c0, &ev, 1));
	}
	ASSERT_EQ(0, event_create(root_t, &ev));
	ASSERT_EQ(EMFILE, write_msg(root_t, c0, &ev, 1));
	close(root_t);
}

/*
 * A table counts against the user whose process calls into it: a worker
 * that inherits a table from root and drops privileges pays for it from
 * its first call on, handles root made in it included.
 */
TEST_F(limits, a_table_belongs_to_who_uses_it)
{
	uint32_t ev[HANDLES_MAX], extra;
	struct user_counts c;
	int t, i;
	pid_t pid;

	if (!self->ok)
		SKIP(return, "needs root and debugfs");
	t = tbl_open();
	ASSERT_LE(0, t);
	for (i = 0; i < 10; i++)
		ASSERT_EQ(0, event_create(t, &ev[i]));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		CHECK(2, become_nobody());
		for (i = 10; i < HANDLES_MAX; i++)
			CHECK(3, event_create(t, &ev[i]) == 0);
		CHECK(4, event_create(t, &extra) == EMFILE);
		_exit(0);
	}
	wait_child(_metadata, pid);
	ASSERT_TRUE(user_counts(NOBODY, &c));
	ASSERT_EQ(HANDLES_MAX, c.handles);
	ASSERT_TRUE(user_counts(0, &c));
	ASSERT_EQ(0, c.handles);
	/* root's budget is whole, while nobody's table is still open */
	{
		uint32_t mine[HANDLES_MAX];
		int t2 = tbl_open();

		ASSERT_LE(0, t2);
		for (i = 0; i < HANDLES_MAX; i++)
			ASSERT_EQ(0, event_create(t2, &mine[i]));
		ASSERT_EQ(EMFILE, event_create(t2, &extra));
		close(t2);
	}
	/* root calling into it again takes it back, charge and all */
	ASSERT_EQ(0, handle_close(t, ev[0]));
	ASSERT_EQ(0, event_create(t, &ev[0]));
	ASSERT_TRUE(user_counts(0, &c));
	ASSERT_EQ(HANDLES_MAX, c.handles);
	ASSERT_TRUE(user_counts(NOBODY, &c));
	ASSERT_EQ(0, c.handles);
	close(t);
}

/*
 * User namespaces do not multiply a budget: a user with 1000 ids mapped
 * into a namespace of its own runs processes as three of them, and all
 * three together get one budget, the user's.
 */
#define NS_OWNER	1234
#define NS_BASE		200000

/* A member's exit status: 100 + the handles it got, or a CHECK below 100. */
#define GOT(n)	(100 + (n))

static int ns_member(uid_t uid)
{
	uint32_t ev;
	int t, n = 0;

	CHECK(20, setgroups(0, NULL) == 0 && setgid(0) == 0 && setuid(uid) == 0);
	t = tbl_open();
	CHECK(21, t >= 0);
	while (event_create(t, &ev) == 0)
		n++;
	CHECK(22, event_create(t, &ev) == EMFILE);
	return GOT(n);
}

static int ns_owner(int ready, int mapped)
{
	int i, status, total = 0;
	pid_t pids[3];
	char x;

	CHECK(2, become(NS_OWNER));
	CHECK(3, unshare(CLONE_NEWUSER) == 0);
	CHECK(4, write(ready, "r", 1) == 1);
	CHECK(5, read(mapped, &x, 1) == 1);
	/* ns uid 0 is kuid NS_BASE; the members are NS_BASE + 1..3 */
	for (i = 0; i < 3; i++) {
		pids[i] = fork();
		CHECK(6, pids[i] >= 0);
		if (pids[i] == 0)
			_exit(ns_member(i + 1));
		/* one at a time: each exits, freeing all, before the next */
		CHECK(9, waitpid(pids[i], &status, 0) == pids[i]);
		CHECK(10, WIFEXITED(status) && WEXITSTATUS(status) >= GOT(0));
		total += WEXITSTATUS(status) - GOT(0);
	}
	/* the three one after another: each had the whole budget, alone */
	CHECK(11, total == 3 * HANDLES_MAX);
	return 0;
}

static bool write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	bool ok = fd >= 0 && write(fd, s, strlen(s)) == (ssize_t)strlen(s);

	if (fd >= 0)
		close(fd);
	return ok;
}

/* Members that run at once, holding what they got, share one budget. */
static int ns_owner_together(int ready, int mapped)
{
	int go[2], i, status, total = 0;
	pid_t pids[3];
	char x;

	CHECK(2, become(NS_OWNER));
	CHECK(3, unshare(CLONE_NEWUSER) == 0);
	CHECK(4, write(ready, "r", 1) == 1);
	CHECK(5, read(mapped, &x, 1) == 1);
	CHECK(6, pipe(go) == 0);
	for (i = 0; i < 3; i++) {
		pids[i] = fork();
		CHECK(7, pids[i] >= 0);
		if (pids[i] == 0) {
			uint32_t ev;
			int t, n = 0;

			close(go[1]);
			CHECK(20, setgroups(0, NULL) == 0 && setgid(0) == 0 &&
			      setuid(i + 1) == 0);
			t = tbl_open();
			CHECK(21, t >= 0);
			/* one at a time, the last before the others exit */
			usleep(20000 * i);
			while (event_create(t, &ev) == 0)
				n++;
			CHECK(22, read(go[0], &x, 1) == 0);
			_exit(GOT(n));
		}
	}
	close(go[0]);
	usleep(200000);
	close(go[1]);		/* all may exit now */
	for (i = 0; i < 3; i++) {
		CHECK(8, waitpid(pids[i], &status, 0) == pids[i]);
		CHECK(9, WIFEXITED(status) && WEXITSTATUS(status) >= GOT(0));
		total += WEXITSTATUS(status) - GOT(0);
	}
	CHECK(10, total == HANDLES_MAX);
	return 0;
}

static void run_in_namespace(struct __test_metadata *_metadata,
			     int (*owner)(int, int))
{
	int ready[2], mapped[2];
	char path[64], map[64], x;
	pid_t pid;

	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(mapped));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(owner(ready[1], mapped[0]));
	ASSERT_EQ(1, read(ready[0], &x, 1));
	/* as newuidmap would, for a user with ids NS_BASE.. */
	snprintf(map, sizeof(map), "0 %d 1000\n", NS_BASE);
	snprintf(path, sizeof(path), "/proc/%d/uid_map", pid);
	ASSERT_TRUE(write_file(path, map));
	snprintf(path, sizeof(path), "/proc/%d/gid_map", pid);
	ASSERT_TRUE(write_file(path, map));
	ASSERT_EQ(1, write(mapped[1], "m", 1));
	wait_child(_metadata, pid);
	close(ready[0]);
	close(ready[1]);
	close(mapped[0]);
	close(mapped[1]);
}

TEST_F(limits, user_namespaces_share_their_owner_budget)
{
	if (!self->ok)
		SKIP(return, "needs root and debugfs");
	if (access("/proc/self/ns/user", F_OK))
		SKIP(return, "no user namespaces in this kernel");
	run_in_namespace(_metadata, ns_owner);
	run_in_namespace(_metadata, ns_owner_together);
}

/*
 * Calls parked by a signal, made quickly: a timer interrupts each call
 * once it sleeps. The parked call's id comes back with EINTR.
 */
static void on_alarm(int sig)
{
	(void)sig;
}

static void timer_start(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = {
		.it_interval = { .tv_usec = 200 },
		.it_value = { .tv_usec = 200 },
	};

	sigaction(SIGALRM, &sa, NULL);	/* no SA_RESTART */
	setitimer(ITIMER_REAL, &it, NULL);
}

static void timer_stop(void)
{
	struct itimerval it = { 0 };

	setitimer(ITIMER_REAL, &it, NULL);
}

struct call {
	struct mxchan_call_args args;
	struct mxchan_channel_call a;
	uint32_t req[2], rep[2], nb, nh;
	int32_t read_status;
};

/* A call on @h with txid @txid: 0, or the errno (EINTR: parked). */
static int call(int fd, uint32_t h, uint32_t txid, struct call *c,
		void *rd_bytes)
{
	memset(c, 0, sizeof(*c));
	c->req[0] = txid;
	c->args.wr_bytes = (uintptr_t)c->req;
	c->args.wr_num_bytes = sizeof(c->req);
	c->args.rd_bytes = (uintptr_t)(rd_bytes ? rd_bytes : c->rep);
	c->args.rd_num_bytes = sizeof(c->rep);
	c->a.handle = h;
	c->a.deadline = MXCHAN_TIME_INFINITE;
	c->a.args = (uintptr_t)&c->args;
	c->a.actual_bytes = (uintptr_t)&c->nb;
	c->a.actual_handles = (uintptr_t)&c->nh;
	c->a.read_status = (uintptr_t)&c->read_status;
	return ioctl(fd, MXCHAN_IOC_CHANNEL_CALL, &c->a) ? errno : 0;
}

static int call_finish(int fd, struct call *c)
{
	return ioctl(fd, MXCHAN_IOC_CALL_FINISH, &c->a) ? errno : 0;
}

/* Give @h from @fd to the table @to_fd. */
static int give(int fd, int to_fd, uint32_t h, uint32_t *out)
{
	struct mxchan_handle_move a = {
		.fd = to_fd, .handles = (uintptr_t)&h, .out = (uintptr_t)out,
		.num_handles = 1,
	};

	return ioctl(fd, MXCHAN_IOC_HANDLE_MOVE, &a) ? errno : 0;
}

/*
 * Calls parked on one endpoint keep room for their replies in its queue,
 * so there are at most max_queued of them (moving the endpoint to
 * another table ends them: a_parked_call_ends_with_its_handle); a
 * writer's message finds no room either, but each call's reply does. Two
 * calls with one txid get their replies in the order they were made.
 */
TEST_F(limits, calls_per_endpoint)
{
	static struct call c[QUEUED + 1];
	uint32_t e, p, msg[2] = { 7, 0 };
	int t1, i;

	if (!self->ok)
		SKIP(return, "needs root and debugfs");
	t1 = tbl_open();
	ASSERT_LE(0, t1);
	ASSERT_EQ(0, channel_create(t1, &e, &p));
	timer_start();
	for (i = 0; i < QUEUED; i++)
		ASSERT_EQ(EINTR, call(t1, e, i < 2 ? 7 : 100 + i, &c[i], NULL))
			TH_LOG("call %d", i);
	timer_stop();
	/* no room for another reply here: refused before it is sent */
	ASSERT_EQ(ENOMEM, call(t1, e, 1, &c[QUEUED], NULL));
	/* only the requests went out */
	for (i = 0; i < QUEUED; i++)
		ASSERT_EQ(0, read_msg(t1, p, NULL));
	ASSERT_EQ(EAGAIN, read_msg(t1, p, NULL));
	/* a message for nobody in particular finds no room */
	msg[0] = 99;
	ASSERT_EQ(ENOMEM, write_bytes(t1, p, msg, sizeof(msg), NULL, 0));
	/* the replies for txid 7 go to its two calls, oldest first */
	msg[0] = 7;
	msg[1] = 1;
	ASSERT_EQ(0, write_bytes(t1, p, msg, sizeof(msg), NULL, 0));
	msg[1] = 2;
	ASSERT_EQ(0, write_bytes(t1, p, msg, sizeof(msg), NULL, 0));
	ASSERT_EQ(0, call_finish(t1, &c[1]));
	ASSERT_EQ(2, c[1].rep[1]);
	ASSERT_EQ(0, call_finish(t1, &c[0]));
	ASSERT_EQ(1, c[0].rep[1]);
	/* the two finished calls' room is free again */
	ASSERT_EQ(0, write_bytes(t1, p, msg, sizeof(msg), NULL, 0));
	ASSERT_EQ(0, write_bytes(t1, p, msg, sizeof(msg), NULL, 0));
	ASSERT_EQ(ENOMEM, write_bytes(t1, p, msg, sizeof(msg), NULL, 0));
	close(t1);
}

/*
 * A parked call ends when the handle it was made through leaves the
 * table: the end's next holder gets its queue's room back and the
 * messages the call would have caught; the call, finished, is CANCELED.
 */
TEST_F(limits, a_parked_call_ends_with_its_handle)
{
	static struct call c[QUEUED];
	uint32_t e, p, e2, msg[2] = { 0, 5 }, got[2], nb, nh;
	struct mxchan_channel_read rd = {
		.bytes = (uintptr_t)got, .num_bytes = sizeof(got),
		.actual_bytes = (uintptr_t)&nb, .actual_handles = (uintptr_t)&nh,
	};
	int t1, t2, i;

	if (!self->ok)
		SKIP(return, "needs root and debugfs");
	t1 = tbl_open();
	t2 = tbl_open();
	ASSERT_LE(0, t1);
	ASSERT_LE(0, t2);
	ASSERT_EQ(0, channel_create(t1, &e, &p));
	timer_start();
	for (i = 0; i < QUEUED; i++)
		ASSERT_EQ(EINTR, call(t1, e, i, &c[i], NULL)) TH_LOG("call %d", i);
	timer_stop();
	msg[0] = 99999;		/* nobody's txid: no room for it */
	ASSERT_EQ(ENOMEM, write_bytes(t1, p, msg, sizeof(msg), NULL, 0));
	msg[0] = 0;
	/* the end goes to another table: its parked calls end */
	ASSERT_EQ(0, give(t1, t2, e, &e2));
	for (i = 0; i < QUEUED; i++)
		ASSERT_EQ(0, read_msg(t1, p, NULL));	/* the requests */
	/* txid 0 was a parked call's: the message is the holder's now */
	ASSERT_EQ(0, write_bytes(t1, p, msg, sizeof(msg), NULL, 0));
	rd.handle = e2;
	ASSERT_EQ(0, ioctl(t2, MXCHAN_IOC_CHANNEL_READ, &rd));
	ASSERT_EQ(sizeof(msg), nb);
	ASSERT_EQ(5, got[1]);
	/* and the whole queue's room */
	for (i = 0; i < QUEUED; i++)
		ASSERT_EQ(0, write_bytes(t1, p, msg, sizeof(msg), NULL, 0))
			TH_LOG("message %d", i);
	ASSERT_EQ(ENOMEM, write_bytes(t1, p, msg, sizeof(msg), NULL, 0));
	/* finished, a parked call says its handle went */
	ASSERT_EQ(ECOMM, call_finish(t1, &c[1]));
	ASSERT_EQ(ECANCELED, c[1].read_status);
	close(t1);
	close(t2);
}

/*
 * A parked call ends too when its handle is written into a message:
 * through the end's own peer (so the write holds the end's channel lock
 * as the handle leaves) or through another channel.
 */
TEST_F(limits, a_parked_call_ends_when_its_handle_is_written)
{
	static struct call c[2];
	uint32_t e, p, e2, p2, a, b, msg[2] = { 2, 42 }, got[2], nb, nh, h;
	struct mxchan_channel_read rd = {
		.bytes = (uintptr_t)got, .num_bytes = sizeof(got),
		.handles = (uintptr_t)&h, .num_handles = 1,
		.actual_bytes = (uintptr_t)&nb, .actual_handles = (uintptr_t)&nh,
	};
	struct mxt_gc g;
	int t1;

	if (!self->ok)
		SKIP(return, "needs root and debugfs");
	t1 = tbl_open();
	ASSERT_LE(0, t1);
	ASSERT_EQ(0, channel_create(t1, &e, &p));
	ASSERT_EQ(0, channel_create(t1, &e2, &p2));
	ASSERT_EQ(0, channel_create(t1, &a, &b));
	timer_start();
	ASSERT_EQ(EINTR, call(t1, e, 1, &c[0], NULL));
	ASSERT_EQ(EINTR, call(t1, e2, 2, &c[1], NULL));
	timer_stop();
	/* e through its own peer, e2 through another channel */
	ASSERT_EQ(0, write_msg(t1, p, &e, 1));
	ASSERT_EQ(0, write_msg(t1, a, &e2, 1));
	/*
	 * e2's reply, now: a call still parked would catch it. (e is in its
	 * own queue, a ring the collector may close at any moment: a reply
	 * to it could meet PEER_CLOSED, so it gets none.)
	 */
	ASSERT_EQ(0, write_bytes(t1, p2, msg, sizeof(msg), NULL, 0));
	ASSERT_EQ(ECOMM, call_finish(t1, &c[0]));
	ASSERT_EQ(ECANCELED, c[0].read_status);
	ASSERT_EQ(ECOMM, call_finish(t1, &c[1]));
	ASSERT_EQ(ECANCELED, c[1].read_status);
	/* the reply c[1] would have caught is queued for e2's new holder */
	rd.handle = b;
	ASSERT_EQ(0, ioctl(t1, MXCHAN_IOC_CHANNEL_READ, &rd));
	ASSERT_EQ(1, nh);
	rd.handle = h;
	rd.num_handles = 0;
	ASSERT_EQ(0, ioctl(t1, MXCHAN_IOC_CHANNEL_READ, &rd));
	ASSERT_EQ(sizeof(msg), nb);
	ASSERT_EQ(42, got[1]);
	close(t1);
	/* e went into its own queue: a ring, the collector's */
	ASSERT_TRUE(mxt_gc_settle(&g));
}

/*
 * A table holds at most 4096 calls, running or parked: the next call is
 * refused before its request is sent, so an interrupted call always has
 * a place to park and no thread ever waits uninterruptibly for a reply.
 */
TEST_F(limits, calls_per_table)
{
	static struct call c[4097];
	uint32_t e, p;
	int t, i;

	if (!self->ok)
		SKIP(return, "needs root and debugfs");
	ASSERT_EQ(0, mxt_param_set("max_queued", "16384", NULL, 0));
	t = tbl_open();
	ASSERT_LE(0, t);
	ASSERT_EQ(0, channel_create(t, &e, &p));
	timer_start();
	for (i = 0; i < 4096; i++)
		ASSERT_EQ(EINTR, call(t, e, i, &c[i], NULL)) TH_LOG("call %d", i);
	ASSERT_EQ(EMFILE, call(t, e, 4096, &c[4096], NULL));
	timer_stop();
	/* only 4096 requests went out */
	for (i = 0; i < 4096; i++)
		ASSERT_EQ(0, read_msg(t, p, NULL));
	ASSERT_EQ(EAGAIN, read_msg(t, p, NULL));
	/* one finished makes room for one */
	ASSERT_EQ(0, write_bytes(t, p, c[0].req, sizeof(c[0].req), NULL, 0));
	ASSERT_EQ(0, call_finish(t, &c[0]));
	timer_start();
	ASSERT_EQ(EINTR, call(t, e, 4096, &c[4096], NULL));
	timer_stop();
	close(t);
}

/*
 * A reply its caller cannot read (a faulting buffer) is put back in the
 * caller's queue, into the room the call kept: the queue never holds
 * more than max_queued, and once it is full calls are refused up front.
 */
struct replier {
	int fd;
	uint32_t p;
	int n;
};

static void *replier(void *arg)
{
	struct replier *r = arg;
	uint32_t req[2];
	int i;

	for (i = 0; i < r->n; i++) {
		struct mxchan_object_wait_one w = {
			.handle = r->p, .waitfor = MXCHAN_SIGNAL_READABLE,
			.deadline = MXCHAN_TIME_INFINITE,
		};
		struct mxchan_channel_read rd = {
			.handle = r->p, .bytes = (uintptr_t)req,
			.num_bytes = sizeof(req),
		};

		if (ioctl(r->fd, MXCHAN_IOC_OBJECT_WAIT_ONE, &w) ||
		    ioctl(r->fd, MXCHAN_IOC_CHANNEL_READ, &rd) ||
		    write_bytes(r->fd, r->p, req, sizeof(req), NULL, 0))
			break;
	}
	return NULL;
}

TEST_F(limits, replies_put_back_stay_under_max_queued)
{
	struct replier r = { .n = 4 };
	/* kept mapped, so no thread stack can land there */
	void *bad = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
	struct call c;
	uint32_t e;
	pthread_t th;
	int i, got = 0;

	if (!self->ok)
		SKIP(return, "needs root and debugfs");
	ASSERT_EQ(0, mxt_param_set("max_queued", "4", NULL, 0));
	r.fd = tbl_open();
	ASSERT_LE(0, r.fd);
	ASSERT_EQ(0, channel_create(r.fd, &e, &r.p));
	ASSERT_EQ(0, pthread_create(&th, NULL, replier, &r));
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(ECOMM, call(r.fd, e, i + 1, &c, bad));
		ASSERT_EQ(EINVAL, c.read_status);
	}
	pthread_join(th, NULL);
	for (i = 0; i < 46; i++)
		ASSERT_EQ(ENOMEM, call(r.fd, e, 10 + i, &c, bad));
	while (read_msg(r.fd, e, NULL) == 0)
		got++;
	ASSERT_EQ(4, got);
	close(r.fd);
	munmap(bad, 4096);
}

/*
 * Async waits and signal fds hang on the object they watch, and every
 * signal change walks them: at most max_object_waits on one object,
 * whoever made them; and one user has at most max_user_waits in all,
 * however many ports and objects it uses.
 */
static int wait_async(int fd, uint32_t h, uint32_t port, uint64_t key)
{
	struct mxchan_object_wait_async a = {
		.handle = h, .port = port, .key = key,
		.signals = MXCHAN_SIGNAL_SIGNALED,
		.options = MXCHAN_WAIT_ASYNC_REPEATING,
	};

	return ioctl(fd, MXCHAN_IOC_OBJECT_WAIT_ASYNC, &a) ? errno : 0;
}

static int port_create(int fd, uint32_t *out)
{
	struct mxchan_port_create a = { .out = (uintptr_t)out };

	return ioctl(fd, MXCHAN_IOC_PORT_CREATE, &a) ? errno : 0;
}

static int signal_fd(int fd, uint32_t h, int *sfd)
{
	struct mxchan_signal_fd a = {
		.handle = h, .signals = MXCHAN_SIGNAL_SIGNALED,
		.fd = (uintptr_t)sfd,
	};

	return ioctl(fd, MXCHAN_IOC_SIGNAL_FD, &a) ? errno : 0;
}

TEST_F(limits, waits_per_object)
{
	uint32_t ev, ev2, port, port2;
	struct mxchan_port_cancel pc;
	int t, sfd, i;

	if (!self->ok)
		SKIP(return, "needs root and debugfs");
	ASSERT_EQ(0, mxt_param_set("max_object_waits", "8", NULL, 0));
	t = tbl_open();
	ASSERT_LE(0, t);
	ASSERT_EQ(0, event_create(t, &ev));
	ASSERT_EQ(0, event_create(t, &ev2));
	ASSERT_EQ(0, port_create(t, &port));
	ASSERT_EQ(0, port_create(t, &port2));
	for (i = 0; i < 7; i++)
		ASSERT_EQ(0, wait_async(t, ev, i % 2 ? port : port2, i));
	ASSERT_EQ(0, signal_fd(t, ev, &sfd));
	ASSERT_EQ(EMFILE, wait_async(t, ev, port, 100));
	ASSERT_EQ(EMFILE, signal_fd(t, ev, &i));
	/* another object has its own room */
	for (i = 0; i < 8; i++)
		ASSERT_EQ(0, wait_async(t, ev2, port, i));
	/* a wait that ends, or a signal fd closed, makes room for one */
	pc = (struct mxchan_port_cancel){ .handle = port, .source = ev, .key = 1 };
	ASSERT_EQ(0, ioctl(t, MXCHAN_IOC_PORT_CANCEL, &pc));
	ASSERT_EQ(0, wait_async(t, ev, port, 101));
	ASSERT_EQ(EMFILE, wait_async(t, ev, port, 102));
	ASSERT_EQ(0, close(sfd));
	ASSERT_EQ(0, signal_fd(t, ev, &sfd));
	ASSERT_EQ(0, close(sfd));
	close(t);
}

static int child_waits(void)
{
	uint32_t ev[4], port[4];
	int t, i, k, n = 0;

	CHECK(2, become_nobody());
	t = tbl_open();
	CHECK(3, t >= 0);
	for (i = 0; i < 4; i++)
		CHECK(4, event_create(t, &ev[i]) == 0 &&
		      port_create(t, &port[i]) == 0);
	/* eight waits, spread over four objects and four ports */
	for (i = 0; i < 4; i++)
		for (k = 0; k < 2; k++, n++)
			CHECK(5, wait_async(t, ev[i], port[k + i % 3], n) == 0);
	CHECK(6, wait_async(t, ev[3], port[3], 99) == EMFILE);
	CHECK(7, signal_fd(t, ev[0], &i) == EMFILE);
	/* a port closed takes its waits with it: room again */
	CHECK(8, handle_close(t, port[0]) == 0);
	CHECK(9, wait_async(t, ev[3], port[3], 99) == 0);
	return 0;
}

TEST_F(limits, waits_per_user)
{
	uint32_t ev, port;
	int t, i;

	if (!self->ok)
		SKIP(return, "needs root and debugfs");
	ASSERT_EQ(0, mxt_param_set("max_user_waits", "8", NULL, 0));
	run_child(_metadata, child_waits);
	/* root's are its own */
	t = tbl_open();
	ASSERT_LE(0, t);
	ASSERT_EQ(0, event_create(t, &ev));
	ASSERT_EQ(0, port_create(t, &port));
	for (i = 0; i < 8; i++)
		ASSERT_EQ(0, wait_async(t, ev, port, i));
	ASSERT_EQ(EMFILE, wait_async(t, ev, port, 9));
	close(t);
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
}

/*
 * nobody duplicates one event without end, under a budget larger than a
 * table: NO_MEMORY at max_handles, in each of its tables; closing one
 * makes room for one.
 */
static int child_table_full(void)
{
	uint32_t ev, out;
	int fd, k, i;

	CHECK(2, become_nobody());
	for (k = 0; k < 2; k++) {
		fd = tbl_open();
		CHECK(3, fd >= 0);
		CHECK(4, event_create(fd, &ev) == 0);
		for (i = 1; i < TABLE; i++)
			CHECK(5, duplicate(fd, ev, &out) == 0);
		for (i = 0; i < 100; i++)
			CHECK(6, duplicate(fd, ev, &out) == ENOMEM);
		CHECK(7, handle_close(fd, ev) == 0);
		CHECK(8, duplicate(fd, out, &ev) == 0);
	}
	return 0;
}

TEST_F(limits, handles_per_table)
{
	uint32_t ev, out;
	int fd;

	if (!self->ok)
		SKIP(return, "needs root and debugfs");
	ASSERT_EQ(0, mxt_param_set("max_user_handles", "1000", NULL, 0));
	run_child(_metadata, child_table_full);
	/* root's table has its own room */
	fd = tbl_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, event_create(fd, &ev));
	ASSERT_EQ(0, channel_create(fd, &ev, &out));
	close(fd);
}

/*
 * nobody makes rings without end, far more than its budget would hold if
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
	struct mxt_gc g0, g1;
	int status, fd, i;
	uint32_t ev;
	pid_t pid;

	if (!self->ok)
		SKIP(return, "needs root and debugfs");
	/*
	 * One round's worth in flight (a0, then b1 and a1): each round's
	 * first write needs the last round's rings collected. With more
	 * room the collector's worker often keeps up alone, and whether
	 * the child ever reaches its limit is a matter of timing.
	 */
	ASSERT_EQ(0, mxt_param_set("max_user_inflight", "3", NULL, 0));
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
}

TEST_HARNESS_MAIN
