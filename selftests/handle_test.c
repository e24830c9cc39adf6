// SPDX-License-Identifier: GPL-2.0
/*
 * Handles: channel_create, handle_close, handle_duplicate, handle_replace,
 * object_get_info, and what handle values promise.
 */
#include <dirent.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "mxchan_test.h"

TEST(create_gives_two_connected_endpoints)
{
	mx_info_handle_basic_t i0, i1;
	mx_handle_t h0 = 0, h1 = 0;

	ASSERT_OK(mx_channel_create(0, &h0, &h1));
	ASSERT_GT(h0, 0);
	ASSERT_GT(h1, 0);
	ASSERT_NE(h0, h1);
	i0 = mxt_info(h0);
	i1 = mxt_info(h1);
	ASSERT_EQ(MX_OBJ_TYPE_CHANNEL, i0.type);
	ASSERT_EQ(MX_OBJ_TYPE_CHANNEL, i1.type);
	ASSERT_EQ(0x300Eu, i0.rights);
	ASSERT_EQ(MX_DEFAULT_CHANNEL_RIGHTS, i1.rights);
	ASSERT_EQ(MX_OBJ_PROP_WAITABLE, i0.props);
	ASSERT_GE(i0.koid, 1024u);
	ASSERT_NE(i0.koid, i1.koid);
	ASSERT_EQ(i1.koid, i0.related_koid);
	ASSERT_EQ(i0.koid, i1.related_koid);
	ASSERT_OK(mx_handle_close(h0));
	/* related_koid survives the peer */
	ASSERT_EQ(i0.koid, mxt_info(h1).related_koid);
	ASSERT_OK(mx_handle_close(h1));
}

TEST(create_options_must_be_zero)
{
	mx_handle_t h0 = 123, h1 = 456;

	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_channel_create(1, &h0, &h1));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_channel_create(0x80000000u, &h0, &h1));
	ASSERT_EQ(123, h0);
	ASSERT_EQ(456, h1);
}

TEST(koids_only_grow)
{
	mx_handle_t a, b, c, d;

	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_OK(mx_channel_create(0, &c, &d));
	ASSERT_GT(mxt_koid(c), mxt_koid(a));
	ASSERT_GT(mxt_koid(c), mxt_koid(b));
	mx_handle_close(a);
	mx_handle_close(b);
	mx_handle_close(c);
	mx_handle_close(d);
}

TEST(close_handle)
{
	mx_handle_t a, b;

	ASSERT_OK(mx_handle_close(MX_HANDLE_INVALID));
	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE, mx_handle_close(a));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE, mx_handle_close(-1));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE, mx_handle_close(b ^ 1));
	ASSERT_OK(mx_handle_close(b));
}

/* Values are positive, nonzero, odd, and not reused soon after a close. */
TEST(values_not_reused)
{
	enum { N = 6000 };
	mx_handle_t *seen = calloc(2 * N, sizeof(*seen));
	int i, j, k = 0;

	ASSERT_NE(NULL, seen);
	for (i = 0; i < N; i++) {
		mx_handle_t a, b;

		ASSERT_OK(mx_channel_create(0, &a, &b));
		seen[k++] = a;
		seen[k++] = b;
		ASSERT_OK(mx_handle_close(a));
		ASSERT_OK(mx_handle_close(b));
	}
	for (i = 0; i < k; i++) {
		ASSERT_GT(seen[i], 0);
		ASSERT_EQ(1, seen[i] & 1);
	}
	/* no value repeats within 2048 allocations (none repeats at all) */
	for (i = 0; i < k; i++)
		for (j = i + 1; j < k && j < i + 4096; j++)
			ASSERT_NE(seen[i], seen[j]);
	free(seen);
}

/*
 * The same in a table with many handles open and one closed at a time:
 * free slots still rotate (at least 64 of them), so no value comes back
 * within 4096 allocations, which would take 512 reuses of one slot.
 */
TEST(values_not_reused_in_a_busy_table)
{
	enum { OPEN = 200, N = 4096 };
	mx_handle_t open[OPEN], *seen = calloc(N, sizeof(*seen));
	int i, j;

	ASSERT_NE(NULL, seen);
	for (i = 0; i < OPEN; i++)
		ASSERT_OK(mx_event_create(0, &open[i]));
	for (i = 0; i < N; i++) {
		ASSERT_OK(mx_event_create(0, &seen[i]));
		ASSERT_OK(mx_handle_close(seen[i]));
	}
	for (i = 0; i < N; i++) {
		for (j = 0; j < OPEN; j++)
			ASSERT_NE(open[j], seen[i]);
		for (j = i + 1; j < N; j++)
			ASSERT_NE(seen[i], seen[j]);
	}
	for (i = 0; i < OPEN; i++)
		ASSERT_OK(mx_handle_close(open[i]));
	free(seen);
}

/* A stale value never reaches a newer object. */
TEST(stale_values_are_bad_handles)
{
	mx_handle_t old_a, old_b, a, b;
	int i;

	ASSERT_OK(mx_channel_create(0, &old_a, &old_b));
	ASSERT_OK(mx_handle_close(old_a));
	ASSERT_OK(mx_handle_close(old_b));
	for (i = 0; i < 100; i++) {
		ASSERT_OK(mx_channel_create(0, &a, &b));
		ASSERT_STATUS(MX_ERR_BAD_HANDLE,
			      mx_channel_write(old_a, 0, NULL, 0, NULL, 0));
		ASSERT_FALSE(mxt_valid(old_b));
		ASSERT_OK(mx_handle_close(a));
		ASSERT_OK(mx_handle_close(b));
	}
}

/*
 * A value holds a 21-bit slot number, so max_handles takes 1 to 2^21; it
 * refuses 0 and anything more, and keeps what it had.
 */
TEST(max_handles_range)
{
	char old[32], now[32];

	if (mxt_param_set("max_handles", "2097152", old, sizeof(old)))
		SKIP(return, "cannot set max_handles (needs root)");
	EXPECT_EQ(-1, mxt_param_set("max_handles", "2097153", NULL, 0));
	EXPECT_EQ(-1, mxt_param_set("max_handles", "0", NULL, 0));
	EXPECT_EQ(0, mxt_param_set("max_handles", "1000", now, sizeof(now)));
	EXPECT_STREQ("2097152\n", now);
	ASSERT_EQ(0, mxt_param_restore("max_handles", old));
}

TEST(duplicate)
{
	mx_handle_t ev, dup, dup2, a, b, x = 77;
	char old[32];

	ASSERT_OK(mx_event_create(0, &ev));
	ASSERT_EQ(MX_OBJ_TYPE_EVENT, mxt_info(ev).type);
	ASSERT_EQ(MX_DEFAULT_EVENT_RIGHTS, mxt_rights(ev));
	ASSERT_OK(mx_handle_duplicate(ev, MX_RIGHT_SAME_RIGHTS, &dup));
	ASSERT_NE(ev, dup);
	ASSERT_EQ(mxt_koid(ev), mxt_koid(dup));
	ASSERT_EQ(mxt_rights(ev), mxt_rights(dup));
	/* a subset */
	ASSERT_OK(mx_handle_duplicate(ev, MX_RIGHT_READ | MX_RIGHT_DUPLICATE,
				      &dup2));
	ASSERT_EQ(MX_RIGHT_READ | MX_RIGHT_DUPLICATE, mxt_rights(dup2));
	ASSERT_OK(mx_handle_close(dup2));
	/* no rights at all is a subset too */
	ASSERT_OK(mx_handle_duplicate(ev, MX_RIGHT_NONE, &dup2));
	ASSERT_EQ(MX_RIGHT_NONE, mxt_rights(dup2));
	/* ... that cannot be duplicated again */
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_handle_duplicate(dup2, MX_RIGHT_SAME_RIGHTS, &x));
	ASSERT_OK(mx_handle_close(dup2));
	/* not a subset */
	ASSERT_OK(mx_handle_duplicate(ev, MX_RIGHT_DUPLICATE, &dup2));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_handle_duplicate(dup2, MX_RIGHT_READ, &x));
	ASSERT_OK(mx_handle_close(dup2));
	/* a full table refuses the copy: NO_MEMORY, the original stays */
	if (mxt_param_set("max_handles", "1", old, sizeof(old)) == 0) {
		EXPECT_EQ(MX_ERR_NO_MEMORY,
			  mx_handle_duplicate(ev, MX_RIGHT_SAME_RIGHTS, &x));
		EXPECT_EQ(MX_ERR_NO_MEMORY,
			  mx_handle_replace(ev, MX_RIGHT_SAME_RIGHTS, &x));
		ASSERT_EQ(0, mxt_param_restore("max_handles", old));
		ASSERT_TRUE(mxt_valid(ev));
		ASSERT_EQ(77, x);
	}
	/* closing one copy leaves the other */
	ASSERT_OK(mx_handle_close(ev));
	ASSERT_TRUE(mxt_valid(dup));
	ASSERT_OK(mx_handle_close(dup));
	/* channels lack DUPLICATE */
	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_handle_duplicate(a, MX_RIGHT_SAME_RIGHTS, &x));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_handle_duplicate(MXT_BAD_VALUE, MX_RIGHT_SAME_RIGHTS, &x));
	/* BAD_HANDLE, then ACCESS_DENIED, then INVALID_ARGS */
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_handle_duplicate(a, MX_RIGHT_EXECUTE, &x));
	ASSERT_EQ(77, x);
	mx_handle_close(a);
	mx_handle_close(b);
}

TEST(replace)
{
	mx_handle_t a, b, a2, a3, x = 77;
	mx_koid_t koid;

	ASSERT_OK(mx_channel_create(0, &a, &b));
	koid = mxt_koid(a);
	/* replace needs no right, and gives a new value */
	ASSERT_OK(mx_handle_replace(a, MX_RIGHT_READ | MX_RIGHT_WRITE, &a2));
	ASSERT_NE(a, a2);
	ASSERT_FALSE(mxt_valid(a));
	ASSERT_EQ(koid, mxt_koid(a2));
	ASSERT_EQ(MX_RIGHT_READ | MX_RIGHT_WRITE, mxt_rights(a2));
	/* the peer saw no close */
	ASSERT_OK(mx_channel_write(a2, 0, "x", 1, NULL, 0));
	ASSERT_OK(mx_channel_read(b, 0, (char[1]){0}, NULL, 1, 0, NULL, NULL));
	/* a failed replace leaves the original as it was */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_handle_replace(a2, MX_RIGHT_TRANSFER, &x));
	ASSERT_EQ(77, x);
	ASSERT_TRUE(mxt_valid(a2));
	ASSERT_EQ(MX_RIGHT_READ | MX_RIGHT_WRITE, mxt_rights(a2));
	ASSERT_OK(mx_handle_replace(a2, MX_RIGHT_SAME_RIGHTS, &a3));
	ASSERT_EQ(MX_RIGHT_READ | MX_RIGHT_WRITE, mxt_rights(a3));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_handle_replace(a2, MX_RIGHT_SAME_RIGHTS, &x));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_handle_replace(0, MX_RIGHT_SAME_RIGHTS, &x));
	ASSERT_OK(mx_handle_close(a3));
	ASSERT_TRUE(mxt_peer_closed(b));
	ASSERT_OK(mx_handle_close(b));
}

TEST(get_info)
{
	mx_info_handle_basic_t info;
	size_t actual = 99, avail = 99;
	mx_handle_t a, b;

	/* Magenta's record; i386 aligns uint64_t to 4, so no tail padding */
#ifdef __i386__
	ASSERT_EQ(28, sizeof(info));
#else
	ASSERT_EQ(32, sizeof(info));
#endif
	ASSERT_OK(mx_channel_create(0, &a, &b));
	ASSERT_OK(mx_object_get_info(a, MX_INFO_HANDLE_VALID, NULL, 0, NULL,
				     NULL));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_object_get_info(MXT_BAD_VALUE, MX_INFO_HANDLE_VALID, NULL,
					 0, NULL, NULL));
	ASSERT_OK(mx_object_get_info(a, MX_INFO_HANDLE_BASIC, &info,
				     sizeof(info), &actual, &avail));
	ASSERT_EQ(1, actual);
	ASSERT_EQ(1, avail);
	ASSERT_EQ(mxt_koid(b), info.related_koid);
	actual = avail = 99;
	ASSERT_STATUS(MX_ERR_BUFFER_TOO_SMALL,
		      mx_object_get_info(a, MX_INFO_HANDLE_BASIC, &info,
					 sizeof(info) - 1, &actual, &avail));
	ASSERT_EQ(0, actual);
	ASSERT_EQ(1, avail);
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_object_get_info(a, MX_INFO_HANDLE_BASIC, mxt_bad_ptr(),
					 sizeof(info), NULL, NULL));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_object_get_info(MXT_BAD_VALUE, MX_INFO_HANDLE_BASIC, &info,
					 sizeof(info), NULL, NULL));
	ASSERT_STATUS(MX_ERR_NOT_SUPPORTED,
		      mx_object_get_info(a, 999, &info, sizeof(info), NULL,
					 NULL));
	ASSERT_STATUS(MX_ERR_NOT_SUPPORTED,
		      mx_object_get_info(a, MX_INFO_NONE, &info, sizeof(info),
					 NULL, NULL));
	mx_handle_close(a);
	mx_handle_close(b);
}

/* Each open of /dev/mxchan is its own table: values mean nothing elsewhere. */
TEST(tables_are_separate)
{
	uint32_t o0 = 0, o1 = 0;
	struct mxchan_channel_create cc = {
		.out0 = (uintptr_t)&o0, .out1 = (uintptr_t)&o1,
	};
	struct mxchan_object_get_info gi = { 0 };
	mx_handle_t a, b;
	int fd;

	fd = open(MXCHAN_DEVICE, O_RDWR | O_CLOEXEC);
	ASSERT_GE(fd, 0);
	ASSERT_OK(mx_channel_create(0, &a, &b));
	gi.handle = (uint32_t)a;
	gi.topic = MXCHAN_INFO_HANDLE_VALID;
	ASSERT_EQ(-1, ioctl(fd, MXCHAN_IOC_OBJECT_GET_INFO, &gi));
	ASSERT_EQ(EBADF, errno);
	ASSERT_EQ(-1, ioctl(fd, MXCHAN_IOC_HANDLE_CLOSE, (unsigned long)a));
	ASSERT_EQ(EBADF, errno);
	/* a channel made in the other table is invisible here */
	ASSERT_EQ(0, ioctl(fd, MXCHAN_IOC_CHANNEL_CREATE, &cc));
	ASSERT_NE(0, o0);
	ASSERT_NE(0, o1);
	ASSERT_FALSE(mxt_valid((mx_handle_t)o0));
	ASSERT_FALSE(mxt_valid((mx_handle_t)o1));
	/* closing the other table closes its handles, not ours */
	ASSERT_EQ(0, close(fd));
	ASSERT_TRUE(mxt_valid(a));
	mx_handle_close(a);
	mx_handle_close(b);
}

/*
 * Closing a table closes everything in it, including the messages its
 * channels hold and the handles inside them (the module's counters, checked
 * at rmmod, catch anything left behind), and touches no other table.
 */
TEST(table_close_releases_everything)
{
	uint32_t c0, c1, o0, o1, x;
	struct mxchan_channel_create carrier = {
		.out0 = (uintptr_t)&c0, .out1 = (uintptr_t)&c1,
	};
	struct mxchan_channel_create cc = {
		.out0 = (uintptr_t)&o0, .out1 = (uintptr_t)&o1,
	};
	struct mxchan_channel_write w = { 0 };
	mx_handle_t a, b;
	int fd, i;

	ASSERT_OK(mx_channel_create(0, &a, &b));
	fd = open(MXCHAN_DEVICE, O_RDWR | O_CLOEXEC);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, ioctl(fd, MXCHAN_IOC_CHANNEL_CREATE, &carrier));
	w.handle = c0;
	w.handles = (uintptr_t)&x;
	w.num_handles = 1;
	for (i = 0; i < 100; i++) {
		ASSERT_EQ(0, ioctl(fd, MXCHAN_IOC_CHANNEL_CREATE, &cc));
		x = o1;
		ASSERT_EQ(0, ioctl(fd, MXCHAN_IOC_CHANNEL_WRITE, &w));
		/* and a message on the queued end's own channel */
		w.handle = o0;
		w.num_handles = 0;
		ASSERT_EQ(0, ioctl(fd, MXCHAN_IOC_CHANNEL_WRITE, &w));
		w.handle = c0;
		w.num_handles = 1;
	}
	ASSERT_EQ(0, close(fd));
	ASSERT_OK(mx_channel_write(a, 0, "x", 1, NULL, 0));
	ASSERT_OK(mx_channel_read(b, 0, (char[1]){0}, NULL, 1, 0, NULL, NULL));
	mx_handle_close(a);
	mx_handle_close(b);
}

/*
 * Many live handles in one table: 50000 ioctls, over 30 s in the debug
 * lane with the host busy, so not the harness's default 30.
 */
FIXTURE(slow) {};
FIXTURE_SETUP(slow) {}
FIXTURE_TEARDOWN(slow) {}

TEST_F_TIMEOUT(slow, many_handles, 300)
{
	enum { N = 20000 };
	mx_handle_t *hs = malloc(N * sizeof(*hs));
	int i;

	ASSERT_NE(NULL, hs);
	for (i = 0; i < N; i += 2)
		ASSERT_OK(mx_channel_create(0, &hs[i], &hs[i + 1]));
	for (i = 0; i < N; i++)
		ASSERT_EQ(MX_OBJ_TYPE_CHANNEL, mxt_info(hs[i]).type);
	for (i = 0; i < N; i++)
		ASSERT_OK(mx_handle_close(hs[i]));
	free(hs);
}

/* How many fds of this process are open on /dev/mxchan. */
static int count_table_fds(void)
{
	char path[300], target[64];
	struct dirent *d;
	DIR *dir = opendir("/proc/self/fd");
	int n = 0;

	if (!dir)
		return -1;
	while ((d = readdir(dir))) {
		ssize_t len;

		snprintf(path, sizeof(path), "/proc/self/fd/%s", d->d_name);
		len = readlink(path, target, sizeof(target) - 1);
		if (len < 0)
			continue;
		target[len] = 0;
		n += strcmp(target, MXCHAN_DEVICE) == 0;
	}
	closedir(dir);
	return n;
}

static pthread_barrier_t first_use;

static void *first_call(void *arg)
{
	mx_handle_t *h = arg;

	pthread_barrier_wait(&first_use);
	return (void *)(intptr_t)mx_event_create(0, h);
}

/*
 * The harness runs each test in a fresh child that has not used libmx:
 * eight threads making their first call at once share one table.
 */
TEST(first_use_opens_one_table)
{
	mx_handle_t h[8];
	pthread_t t[8];
	void *st;
	int i;

	ASSERT_EQ(0, count_table_fds());
	pthread_barrier_init(&first_use, NULL, 8);
	for (i = 0; i < 8; i++)
		pthread_create(&t[i], NULL, first_call, &h[i]);
	for (i = 0; i < 8; i++) {
		pthread_join(t[i], &st);
		ASSERT_EQ(MX_OK, (mx_status_t)(intptr_t)st);
	}
	ASSERT_EQ(1, count_table_fds());
	for (i = 0; i < 8; i++)
		ASSERT_OK(mx_handle_close(h[i]));
}

/* A fork() child shares its parent's table, as mxchan(7) says. */
TEST(fork_child_shares_the_table)
{
	mx_handle_t a, b;
	int status;
	pid_t pid;

	ASSERT_OK(mx_channel_create(0, &a, &b));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		/* same values, same objects; what the child closes is gone */
		if (mx_channel_write(a, 0, "child", 6, NULL, 0) != MX_OK ||
		    mx_handle_close(a) != MX_OK)
			_exit(1);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_FALSE(mxt_valid(a));
	ASSERT_OK(mx_channel_read(b, 0, (char[6]){0}, NULL, 6, 0, NULL, NULL));
	ASSERT_STATUS(MX_ERR_PEER_CLOSED,
		      mx_channel_read(b, 0, NULL, NULL, 0, 0, NULL, NULL));
	mx_handle_close(b);
}

TEST_HARNESS_MAIN
