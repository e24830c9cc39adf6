// SPDX-License-Identifier: GPL-2.0
/*
 * What a person sees of mxchan from outside: the debugfs tree (objects
 * created and destroyed per type; per table its owner, handles and
 * channels), /proc/PID/fdinfo of a table fd, and the tracepoints at
 * create, write, read, transfer and close, read back through tracefs.
 * Each test drives its own table with raw ioctls so it knows exactly
 * what must show, then checks the text line by line.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "mxchan_test.h"

#define DEBUGFS		"/sys/kernel/debug/mxchan"

/* ----- raw calls on one table fd ------------------------------------ */

static int tbl_open(void)
{
	return open("/dev/mxchan", O_RDWR | O_CLOEXEC);
}

static int handle_duplicate(int fd, uint32_t h, uint32_t rights,
			    uint32_t *out)
{
	struct mxchan_handle_rights a = {
		.handle = h, .rights = rights, .out = (uintptr_t)out,
	};

	return ioctl(fd, MXCHAN_IOC_HANDLE_DUPLICATE, &a) ? -errno : 0;
}

static int write_msg(int fd, uint32_t ch, const void *bytes, uint32_t nb,
		     uint32_t *handles, uint32_t nh)
{
	struct mxchan_channel_write a = {
		.handle = ch, .bytes = (uintptr_t)bytes, .num_bytes = nb,
		.handles = (uintptr_t)handles, .num_handles = nh,
	};

	return ioctl(fd, MXCHAN_IOC_CHANNEL_WRITE, &a) ? -errno : 0;
}

static int read_msg(int fd, uint32_t ch, uint32_t *nb, uint32_t *handles,
		    uint32_t *nh)
{
	char buf[256];
	struct mxchan_channel_read a = {
		.handle = ch, .bytes = (uintptr_t)buf, .num_bytes = sizeof(buf),
		.handles = (uintptr_t)handles, .num_handles = 8,
		.actual_bytes = (uintptr_t)nb, .actual_handles = (uintptr_t)nh,
	};

	return ioctl(fd, MXCHAN_IOC_CHANNEL_READ, &a) ? -errno : 0;
}

static struct mxchan_info_handle_basic info(int fd, uint32_t h)
{
	struct mxchan_info_handle_basic rec;
	struct mxchan_object_get_info a = {
		.handle = h, .topic = MXCHAN_INFO_HANDLE_BASIC,
		.buffer = (uintptr_t)&rec, .buffer_size = sizeof(rec),
	};

	memset(&rec, 0, sizeof(rec));
	if (ioctl(fd, MXCHAN_IOC_OBJECT_GET_INFO, &a))
		memset(&rec, 0, sizeof(rec));
	return rec;
}

/* ----- reading what the kernel shows -------------------------------- */

/* A whole file (debugfs and proc files say size 0), NUL-terminated. */
static char *slurp(const char *path)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || !buf) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while ((n = read(fd, buf + len, cap - len - 1)) > 0) {
		len += n;
		if (cap - len < 2) {
			char *more = realloc(buf, cap * 2);

			if (!more)
				break;
			buf = more;
			cap *= 2;
		}
	}
	close(fd);
	buf[len] = '\0';
	return buf;
}

/* Lines of @text that contain @needle. */
static int count_lines(const char *text, const char *needle)
{
	const char *p = text;
	int n = 0;

	while (p && *p) {
		const char *eol = strchrnul(p, '\n');
		const char *hit = strstr(p, needle);

		if (hit && hit < eol)
			n++;
		p = *eol ? eol + 1 : eol;
	}
	return n;
}

/* The line of @text that starts with @prefix, copied to @line. */
static bool find_line(const char *text, const char *prefix, char *line,
		      size_t size)
{
	const char *p = text;
	size_t plen = strlen(prefix);

	while (p && *p) {
		const char *eol = strchrnul(p, '\n');

		if (!strncmp(p, prefix, plen) && (size_t)(eol - p) < size) {
			memcpy(line, p, eol - p);
			line[eol - p] = '\0';
			return true;
		}
		p = *eol ? eol + 1 : eol;
	}
	return false;
}

/* The table id in /proc/@pid/fdinfo/@fd, or 0. */
static unsigned long long table_id(pid_t pid, int fd)
{
	unsigned long long id = 0;
	char path[64], line[128];
	char *text;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", pid, fd);
	text = slurp(path);
	if (text && find_line(text, "mxchan-table:", line, sizeof(line)))
		id = strtoull(line + strlen("mxchan-table:"), NULL, 10);
	free(text);
	return id;
}

static char *table_file(unsigned long long id, const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), DEBUGFS "/tables/%llu/%s", id, name);
	return slurp(path);
}

struct objects {
	long created[5], destroyed[5];	/* channel event eventpair port table */
};

static const char *const object_names[5] = {
	"channel", "event", "eventpair", "port", "table",
};

static bool objects_read(struct objects *o)
{
	char *text = slurp(DEBUGFS "/objects");
	char prefix[32], line[128];
	int i, found = 0;

	memset(o, 0, sizeof(*o));
	for (i = 0; text && i < 5; i++) {
		snprintf(prefix, sizeof(prefix), "%s created ", object_names[i]);
		if (!find_line(text, prefix, line, sizeof(line)))
			continue;
		found += sscanf(line + strlen(object_names[i]),
				" created %ld destroyed %ld",
				&o->created[i], &o->destroyed[i]) == 2;
	}
	free(text);
	return found == 5;
}

/* "handle 0x%08x type T koid K rights 0x%08x related R" for @h. */
static void handle_line(char *buf, size_t size, int fd, uint32_t h,
			const char *type)
{
	struct mxchan_info_handle_basic b = info(fd, h);

	snprintf(buf, size,
		 "handle 0x%08x type %s koid %" PRIu64 " rights 0x%08x related %" PRIu64 "\n",
		 h, type, (uint64_t)b.koid, b.rights, (uint64_t)b.related_koid);
}

/* ----- debugfs: objects ---------------------------------------------- */

TEST(objects_counts_each_type_made_and_gone)
{
	uint32_t c0, c1, e, p0, p1, port;
	struct objects a, b, c;
	int fd, i;

	if (access(DEBUGFS, F_OK))
		SKIP(return, "no " DEBUGFS " (debugfs not mounted?)");
	/* reading gc waits for the collector: no pass of earlier tests lands */
	free(slurp(DEBUGFS "/gc"));
	ASSERT_TRUE(objects_read(&a));
	fd = tbl_open();
	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, mxt_ioc_channel_create(fd, &c0, &c1));
	ASSERT_EQ(0, mxt_ioc_event_create(fd, &e));
	ASSERT_EQ(0, mxt_ioc_eventpair_create(fd, &p0, &p1));
	ASSERT_EQ(0, mxt_ioc_port_create(fd, &port));
	ASSERT_TRUE(objects_read(&b));
	/* a channel is two endpoint objects, an event pair two sides */
	EXPECT_EQ(2, b.created[0] - a.created[0]);
	EXPECT_EQ(1, b.created[1] - a.created[1]);
	EXPECT_EQ(2, b.created[2] - a.created[2]);
	EXPECT_EQ(1, b.created[3] - a.created[3]);
	EXPECT_EQ(1, b.created[4] - a.created[4]);
	for (i = 0; i < 5; i++)
		EXPECT_EQ(0, b.destroyed[i] - a.destroyed[i]);

	/* the last handle of an event or port takes the object with it */
	ASSERT_EQ(0, mxt_ioc_handle_close(fd, e));
	ASSERT_EQ(0, mxt_ioc_handle_close(fd, port));
	ASSERT_TRUE(objects_read(&c));
	EXPECT_EQ(1, c.destroyed[1] - a.destroyed[1]);
	EXPECT_EQ(1, c.destroyed[3] - a.destroyed[3]);
	EXPECT_EQ(0, c.destroyed[0] - a.destroyed[0]);
	EXPECT_EQ(0, c.destroyed[4] - a.destroyed[4]);

	ASSERT_EQ(0, close(fd));
	ASSERT_TRUE(objects_read(&c));
	for (i = 0; i < 5; i++) {
		TH_LOG("%s: created %ld destroyed %ld", object_names[i],
		       c.created[i] - a.created[i],
		       c.destroyed[i] - a.destroyed[i]);
		EXPECT_EQ(c.created[i] - a.created[i],
			  c.destroyed[i] - a.destroyed[i]);
	}
}

/* ----- debugfs: a table's directory, and fdinfo --------------------- */

TEST(table_directory_lists_its_handles)
{
	char want[4][160], path[128];
	uint32_t c0, c1, e, e2;
	unsigned long long id;
	char *text, line[256];
	struct stat st;
	int fd, i;

	fd = tbl_open();
	ASSERT_GE(fd, 0);
	id = table_id(getpid(), fd);
	ASSERT_NE(0, id);
	if (access(DEBUGFS, F_OK))
		SKIP(return, "no " DEBUGFS " (debugfs not mounted?)");
	text = table_file(id, "handles");
	ASSERT_NE(NULL, text);
	EXPECT_STREQ("", text);
	free(text);

	ASSERT_EQ(0, mxt_ioc_channel_create(fd, &c0, &c1));
	ASSERT_EQ(0, mxt_ioc_event_create(fd, &e));
	ASSERT_EQ(0, handle_duplicate(fd, e, MXCHAN_RIGHT_READ, &e2));
	handle_line(want[0], sizeof(want[0]), fd, c0, "channel");
	handle_line(want[1], sizeof(want[1]), fd, c1, "channel");
	handle_line(want[2], sizeof(want[2]), fd, e, "event");
	handle_line(want[3], sizeof(want[3]), fd, e2, "event");
	/* the peers name each other; a duplicate has its own rights */
	EXPECT_EQ(info(fd, c0).related_koid, info(fd, c1).koid);
	EXPECT_EQ(MXCHAN_RIGHT_READ, info(fd, e2).rights);

	text = table_file(id, "handles");
	ASSERT_NE(NULL, text);
	TH_LOG("handles:\n%s", text);
	EXPECT_EQ(4, count_lines(text, "handle 0x"));
	for (i = 0; i < 4; i++)
		EXPECT_EQ(1, count_lines(text, want[i])) TH_LOG("missing: %s", want[i]);
	free(text);

	/* the same lines in fdinfo, after its own two */
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	text = slurp(path);
	ASSERT_NE(NULL, text);
	ASSERT_TRUE(find_line(text, "mxchan-handles:", line, sizeof(line)));
	EXPECT_STREQ("mxchan-handles:\t4", line);
	EXPECT_EQ(4, count_lines(text, "mxchan-handle:\t0x"));
	for (i = 0; i < 4; i++)
		EXPECT_EQ(1, count_lines(text, want[i] + strlen("handle ")));
	free(text);

	/* a closed handle leaves both */
	ASSERT_EQ(0, mxt_ioc_handle_close(fd, e));
	text = table_file(id, "handles");
	ASSERT_NE(NULL, text);
	EXPECT_EQ(3, count_lines(text, "handle 0x"));
	EXPECT_EQ(0, count_lines(text, want[2]));
	EXPECT_EQ(1, count_lines(text, want[3]));
	free(text);

	text = table_file(id, "owner");
	ASSERT_NE(NULL, text);
	snprintf(line, sizeof(line), "pid %d comm ", getpid());
	EXPECT_EQ(0, strncmp(text, line, strlen(line))) TH_LOG("owner: %s", text);
	free(text);

	/* the directory goes with the table */
	snprintf(path, sizeof(path), DEBUGFS "/tables/%llu", id);
	ASSERT_EQ(0, stat(path, &st));
	ASSERT_EQ(0, close(fd));
	EXPECT_EQ(-1, stat(path, &st));
	EXPECT_EQ(ENOENT, errno);
}

/* fdinfo stays short for a big table; debugfs lists every handle. */
TEST(fdinfo_lists_the_first_256_handles)
{
	char path[64], line[64], *text;
	unsigned long long id;
	uint32_t e;
	int fd, i;

	fd = tbl_open();
	ASSERT_GE(fd, 0);
	for (i = 0; i < 300; i++)
		ASSERT_EQ(0, mxt_ioc_event_create(fd, &e));
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	text = slurp(path);
	ASSERT_NE(NULL, text);
	ASSERT_TRUE(find_line(text, "mxchan-handles:", line, sizeof(line)));
	EXPECT_STREQ("mxchan-handles:\t300", line);
	EXPECT_EQ(256, count_lines(text, "mxchan-handle:\t0x"));
	free(text);
	id = table_id(getpid(), fd);
	if (!access(DEBUGFS, F_OK)) {
		text = table_file(id, "handles");
		ASSERT_NE(NULL, text);
		EXPECT_EQ(300, count_lines(text, " type event "));
		free(text);
	}
	close(fd);
}

TEST(tables_have_their_own_ids)
{
	unsigned long long a, b;
	int fd0, fd1, fd2;

	fd0 = tbl_open();
	fd1 = tbl_open();
	ASSERT_GE(fd0, 0);
	ASSERT_GE(fd1, 0);
	a = table_id(getpid(), fd0);
	b = table_id(getpid(), fd1);
	ASSERT_NE(0, a);
	ASSERT_NE(0, b);
	EXPECT_NE(a, b);
	/* a dup of the fd is the same table */
	fd2 = dup(fd0);
	ASSERT_GE(fd2, 0);
	EXPECT_EQ(a, table_id(getpid(), fd2));
	close(fd2);
	close(fd1);
	close(fd0);
	/* an fd that is not a table shows none */
	fd0 = open("/dev/null", O_RDONLY);
	ASSERT_GE(fd0, 0);
	EXPECT_EQ(0, table_id(getpid(), fd0));
	close(fd0);
}

/* The channels line of handle @h, NUL if none. */
static void channel_line(unsigned long long id, uint32_t h, char *line,
			 size_t size)
{
	char *text = table_file(id, "channels");
	char prefix[32];

	snprintf(prefix, sizeof(prefix), "handle 0x%08x ", h);
	line[0] = '\0';
	if (text && !find_line(text, prefix, line, size))
		line[0] = '\0';
	free(text);
}

static void expect_channel(struct __test_metadata *_metadata, int fd,
			   unsigned long long id, uint32_t h, const char *queues)
{
	struct mxchan_info_handle_basic b = info(fd, h);
	char want[256], line[256];

	snprintf(want, sizeof(want), "handle 0x%08x koid %" PRIu64 " peer %" PRIu64 " %s",
		 h, (uint64_t)b.koid, (uint64_t)b.related_koid, queues);
	channel_line(id, h, line, sizeof(line));
	EXPECT_STREQ(want, line);
}

TEST(channels_file_shows_queues)
{
	uint32_t c0, c1, e, got[8], nb, nh;
	char bytes[64] = { 0 };
	unsigned long long id;
	char *text;
	int fd;

	fd = tbl_open();
	ASSERT_GE(fd, 0);
	id = table_id(getpid(), fd);
	ASSERT_NE(0, id);
	if (access(DEBUGFS, F_OK))
		SKIP(return, "no " DEBUGFS " (debugfs not mounted?)");
	text = table_file(id, "channels");
	ASSERT_NE(NULL, text);
	free(text);

	ASSERT_EQ(0, mxt_ioc_channel_create(fd, &c0, &c1));
	ASSERT_EQ(0, mxt_ioc_event_create(fd, &e));
	expect_channel(_metadata, fd, id, c0,
		       "in 0 bytes 0 handles 0 out 0 bytes 0 handles 0 peer_closed 0");
	ASSERT_EQ(0, write_msg(fd, c0, bytes, 10, NULL, 0));
	ASSERT_EQ(0, write_msg(fd, c0, bytes, 20, NULL, 0));
	ASSERT_EQ(0, write_msg(fd, c0, bytes, 30, &e, 1));
	ASSERT_EQ(0, write_msg(fd, c1, bytes, 7, NULL, 0));
	expect_channel(_metadata, fd, id, c0,
		       "in 1 bytes 7 handles 0 out 3 bytes 60 handles 1 peer_closed 0");
	expect_channel(_metadata, fd, id, c1,
		       "in 3 bytes 60 handles 1 out 1 bytes 7 handles 0 peer_closed 0");
	/* events have no channels line */
	text = table_file(id, "channels");
	ASSERT_NE(NULL, text);
	EXPECT_EQ(2, count_lines(text, "handle 0x"));
	free(text);

	ASSERT_EQ(0, read_msg(fd, c1, &nb, got, &nh));
	EXPECT_EQ(10, nb);
	expect_channel(_metadata, fd, id, c1,
		       "in 2 bytes 50 handles 1 out 1 bytes 7 handles 0 peer_closed 0");

	/* the peer's close empties its queue and shows */
	ASSERT_EQ(0, mxt_ioc_handle_close(fd, c1));
	expect_channel(_metadata, fd, id, c0,
		       "in 1 bytes 7 handles 0 out 0 bytes 0 handles 0 peer_closed 1");
	close(fd);
}

/*
 * Another process's table, watched while it runs: its fdinfo names the
 * table, and the table's directory shows what it holds and queued.
 */
TEST(a_running_program_is_watched)
{
	int go[2], ready[2], status, childfd;
	unsigned long long id;
	char path[64], *text;
	pid_t pid;

	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(ready));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		uint32_t c0, c1;
		int fd = tbl_open();
		char b = 0;

		if (fd < 0 || mxt_ioc_channel_create(fd, &c0, &c1) ||
		    write_msg(fd, c0, "hello", 5, NULL, 0) ||
		    write_msg(fd, c0, "world!", 6, NULL, 0))
			_exit(1);
		if (write(ready[1], &fd, sizeof(fd)) != sizeof(fd) ||
		    write(ready[1], &c1, sizeof(c1)) != sizeof(c1))
			_exit(2);
		/* held until the parent has looked */
		if (read(go[0], &b, 1) != 1)
			_exit(3);
		_exit(0);
	}
	{
		uint32_t c1;
		char want[64], line[256];

		ASSERT_EQ(sizeof(childfd), read(ready[0], &childfd, sizeof(childfd)));
		ASSERT_EQ(sizeof(c1), read(ready[0], &c1, sizeof(c1)));
		id = table_id(pid, childfd);
		ASSERT_NE(0, id);
		if (access(DEBUGFS, F_OK)) {
			kill(pid, SIGKILL);
			SKIP(return, "no " DEBUGFS " (debugfs not mounted?)");
		}
		text = table_file(id, "owner");
		ASSERT_NE(NULL, text);
		snprintf(want, sizeof(want), "pid %d comm ", pid);
		EXPECT_EQ(0, strncmp(text, want, strlen(want)));
		free(text);
		channel_line(id, c1, line, sizeof(line));
		TH_LOG("child's c1: %s", line);
		EXPECT_NE(NULL, strstr(line, " in 2 bytes 11 handles 0 out 0 "));
		text = table_file(id, "handles");
		ASSERT_NE(NULL, text);
		EXPECT_EQ(2, count_lines(text, "type channel"));
		free(text);
	}
	ASSERT_EQ(1, write(go[1], "x", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* gone with the process */
	snprintf(path, sizeof(path), DEBUGFS "/tables/%llu", id);
	EXPECT_EQ(-1, access(path, F_OK));
}

/* ----- tracepoints --------------------------------------------------- */

/* Where tracefs is, mounting it if it is not; NULL without one. */
static const char *tracefs(void)
{
	static const char *const dirs[] = {
		"/sys/kernel/tracing", "/sys/kernel/debug/tracing",
	};
	char path[128];
	unsigned int i;

	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/trace", dirs[i]);
		if (!access(path, F_OK))
			return dirs[i];
	}
	if (mount("nodev", dirs[0], "tracefs", 0, NULL) == 0)
		return dirs[0];
	return NULL;
}

static bool put(const char *dir, const char *file, const char *text)
{
	char path[160];
	bool ok;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return false;
	ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
	close(fd);
	return ok;
}

/*
 * The events of this process only (set_event_pid), with tracing on;
 * teardown puts tracefs back as it found it, whatever the test did.
 */
FIXTURE(trace) {
	const char *dir;
	char was_on[8];
};

FIXTURE_SETUP(trace)
{
	char path[160], pid[16], *on;

	self->dir = tracefs();
	if (!self->dir)
		SKIP(return, "no tracefs");
	snprintf(path, sizeof(path), "%s/tracing_on", self->dir);
	on = slurp(path);
	ASSERT_NE(NULL, on);
	snprintf(self->was_on, sizeof(self->was_on), "%s", on);
	free(on);
	snprintf(pid, sizeof(pid), "%d", getpid());
	ASSERT_TRUE(put(self->dir, "set_event_pid", pid));
	ASSERT_TRUE(put(self->dir, "tracing_on", "1"));
}

FIXTURE_TEARDOWN(trace)
{
	if (!self->dir)
		return;
	put(self->dir, "events/mxchan/enable", "0");
	put(self->dir, "set_event_pid", "");
	put(self->dir, "tracing_on", self->was_on);
}

TEST_F(trace, each_step_shows)
{
	uint32_t c0, c1, e, got[8], nb, nh, moved, bad = MXT_BAD_VALUE;
	uint64_t k0, k1, ke;
	unsigned long long id, id2;
	char want[256], path[160];
	const char *dir = self->dir;
	char *trace;
	int fd, fd2;

	/* tracefs without our events is a failure, not a skip */
	snprintf(path, sizeof(path), "%s/events/mxchan", dir);
	ASSERT_EQ(0, access(path, F_OK)) TH_LOG("no %s", path);
	/* every event the module has is there, with a format for tools */
	snprintf(path, sizeof(path), "%s/events/mxchan/mxchan_transfer/format", dir);
	trace = slurp(path);
	ASSERT_NE(NULL, trace);
	EXPECT_NE(NULL, strstr(trace, "field:u64 via;"));
	free(trace);

	fd = tbl_open();
	fd2 = tbl_open();
	ASSERT_GE(fd, 0);
	ASSERT_GE(fd2, 0);
	id = table_id(getpid(), fd);
	id2 = table_id(getpid(), fd2);

	ASSERT_TRUE(put(dir, "events/mxchan/enable", "1"));
	ASSERT_TRUE(put(dir, "trace", ""));	/* empties the buffer */
	ASSERT_EQ(0, mxt_ioc_channel_create(fd, &c0, &c1));
	ASSERT_EQ(0, mxt_ioc_event_create(fd, &e));
	k0 = info(fd, c0).koid;
	k1 = info(fd, c1).koid;
	ke = info(fd, e).koid;
	ASSERT_EQ(0, write_msg(fd, c0, "hello", 5, &e, 1));
	ASSERT_EQ(0, read_msg(fd, c1, &nb, got, &nh));
	ASSERT_EQ(1, nh);
	ASSERT_EQ(0, mxt_ioc_handle_give(fd, fd2, got[0], &moved));
	ASSERT_EQ(-EBADF, write_msg(fd, c0, "ab", 2, &bad, 1));
	{
		/* a read into too small a buffer shows, and leaves it queued */
		char one;
		struct mxchan_channel_read a = {
			.handle = c1, .bytes = (uintptr_t)&one, .num_bytes = 1,
		};

		ASSERT_EQ(0, write_msg(fd, c0, "small", 5, NULL, 0));
		ASSERT_EQ(-1, ioctl(fd, MXCHAN_IOC_CHANNEL_READ, &a));
		ASSERT_EQ(EMSGSIZE, errno);
	}
	ASSERT_EQ(0, mxt_ioc_handle_close(fd, c1));
	ASSERT_EQ(-EPIPE, write_msg(fd, c0, "x", 1, NULL, 0));
	ASSERT_TRUE(put(dir, "events/mxchan/enable", "0"));

	snprintf(path, sizeof(path), "%s/trace", dir);
	trace = slurp(path);
	ASSERT_NE(NULL, trace);
	TH_LOG("trace:\n%s", trace);

	snprintf(want, sizeof(want),
		 "mxchan_create: table=%llu handle=0x%08x koid=%" PRIu64 " type=channel rights=0x",
		 id, c0, k0);
	EXPECT_EQ(1, count_lines(trace, want)) TH_LOG("missing: %s", want);
	snprintf(want, sizeof(want),
		 "mxchan_create: table=%llu handle=0x%08x koid=%" PRIu64 " type=channel rights=0x",
		 id, c1, k1);
	EXPECT_EQ(1, count_lines(trace, want)) TH_LOG("missing: %s", want);
	snprintf(want, sizeof(want),
		 "mxchan_create: table=%llu handle=0x%08x koid=%" PRIu64 " type=event rights=0x",
		 id, e, ke);
	EXPECT_EQ(1, count_lines(trace, want)) TH_LOG("missing: %s", want);
	/* into the message queued at c1's endpoint, and out of it */
	snprintf(want, sizeof(want),
		 "mxchan_transfer: from=%llu to=0 via=%" PRIu64 " handle=0x%08x koid=%" PRIu64 " type=event",
		 id, k1, e, ke);
	EXPECT_EQ(1, count_lines(trace, want)) TH_LOG("missing: %s", want);
	snprintf(want, sizeof(want),
		 "mxchan_write: table=%llu koid=%" PRIu64 " peer=%" PRIu64 " bytes=5 handles=1 ret=0",
		 id, k0, k1);
	EXPECT_EQ(1, count_lines(trace, want)) TH_LOG("missing: %s", want);
	snprintf(want, sizeof(want),
		 "mxchan_read: table=%llu koid=%" PRIu64 " bytes=5 handles=1 ret=0",
		 id, k1);
	EXPECT_EQ(1, count_lines(trace, want)) TH_LOG("missing: %s", want);
	snprintf(want, sizeof(want),
		 "mxchan_transfer: from=0 to=%llu via=%" PRIu64 " handle=0x%08x koid=%" PRIu64 " type=event",
		 id, k1, got[0], ke);
	EXPECT_EQ(1, count_lines(trace, want)) TH_LOG("missing: %s", want);
	/* between two tables */
	snprintf(want, sizeof(want),
		 "mxchan_transfer: from=%llu to=%llu via=0 handle=0x%08x koid=%" PRIu64 " type=event",
		 id, id2, moved, ke);
	EXPECT_EQ(1, count_lines(trace, want)) TH_LOG("missing: %s", want);
	snprintf(want, sizeof(want),
		 "mxchan_close: table=%llu handle=0x%08x koid=%" PRIu64 " type=channel",
		 id, c1, k1);
	EXPECT_EQ(1, count_lines(trace, want)) TH_LOG("missing: %s", want);
	/* a failed write shows with its status */
	snprintf(want, sizeof(want),
		 "mxchan_write: table=%llu koid=%" PRIu64 " peer=%" PRIu64 " bytes=1 handles=0 ret=-32",
		 id, k0, k1);
	EXPECT_EQ(1, count_lines(trace, want)) TH_LOG("missing: %s", want);
	/* refused for a handle it carries: shows, with nothing moved */
	snprintf(want, sizeof(want),
		 "mxchan_write: table=%llu koid=%" PRIu64 " peer=%" PRIu64 " bytes=2 handles=1 ret=-9",
		 id, k0, k1);
	EXPECT_EQ(1, count_lines(trace, want)) TH_LOG("missing: %s", want);
	snprintf(want, sizeof(want),
		 "mxchan_read: table=%llu koid=%" PRIu64 " bytes=5 handles=0 ret=-90",
		 id, k1);
	EXPECT_EQ(1, count_lines(trace, want)) TH_LOG("missing: %s", want);
	/* nothing else: 3 creates, 4 writes, 2 reads, 3 transfers, 1 close */
	EXPECT_EQ(13, count_lines(trace, ": mxchan_"));
	free(trace);

	/* disabled, they are silent */
	ASSERT_TRUE(put(dir, "trace", ""));
	ASSERT_EQ(-EPIPE, write_msg(fd, c0, "x", 1, NULL, 0));
	trace = slurp(path);
	ASSERT_NE(NULL, trace);
	EXPECT_EQ(0, count_lines(trace, ": mxchan_"));
	free(trace);
	close(fd2);
	close(fd);
}

TEST_HARNESS_MAIN
