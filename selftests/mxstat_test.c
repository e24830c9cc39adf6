// SPDX-License-Identifier: GPL-2.0
/*
 * mxstat(1) against processes whose handles are known exactly.
 *
 * The fixture starts four processes, as the demo's server and two
 * clients, plus one running as nobody: channels with an end in each of
 * two processes, an event, an event pair, a port, a channel whose peer is
 * closed, messages queued with bytes, and one carrying a channel end (in
 * flight). Each process reports every handle it holds, with what
 * MX_INFO_HANDLE_BASIC says of it, over a pipe, then waits to be told to
 * exit. The tests run mxstat (found on PATH, or as $MXSTAT) and check
 * its table, --tree and --dot text against those reports, its filters
 * and sort orders, what a user other than root sees (fdinfo), and its
 * errors: a pid not running, bad values, no debugfs, no module, no dot.
 * Processes of their own test what fdinfo cuts short (300 handles), a
 * name with a space and a newline, and a table held by no process.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <grp.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "mxchan_test.h"

#define NOBODY		65534
#define NPROC		4
#define MAXH		16
#define MAXROWS		64
#define OUTMAX		(64 * 1024)

enum { SERVER, CLIENT1, CLIENT2, NOBODYP };

static const char *const names[NPROC] = {
	"mxs-server", "mxs-client-1", "mxs-client-2", "mxs-nobody",
};

/* A handle as its holder reports it, or a row as mxstat prints it. */
struct hrow {
	int pid;
	char comm[32];
	unsigned long long table;
	uint32_t value;
	char type[16];
	unsigned long long koid;
	uint32_t rights;
	unsigned long long peer;
	char queued[32];
};

/* ----- raw calls on one table fd ------------------------------------ */

static int write_msg(int fd, uint32_t ch, const char *bytes,
		     uint32_t *handles, uint32_t nh)
{
	struct mxchan_channel_write a = {
		.handle = ch, .bytes = (uintptr_t)bytes,
		.num_bytes = (uint32_t)strlen(bytes),
		.handles = (uintptr_t)handles, .num_handles = nh,
	};

	return ioctl(fd, MXCHAN_IOC_CHANNEL_WRITE, &a) ? -errno : 0;
}

static int info(int fd, uint32_t h, struct mxchan_info_handle_basic *rec)
{
	struct mxchan_object_get_info a = {
		.handle = h, .topic = MXCHAN_INFO_HANDLE_BASIC,
		.buffer = (uintptr_t)rec, .buffer_size = sizeof(*rec),
	};

	memset(rec, 0, sizeof(*rec));
	return ioctl(fd, MXCHAN_IOC_OBJECT_GET_INFO, &a) ? -errno : 0;
}

static const char *type_name(uint32_t type)
{
	switch (type) {
	case MXCHAN_OBJ_TYPE_CHANNEL:		return "channel";
	case MXCHAN_OBJ_TYPE_EVENT:		return "event";
	case MXCHAN_OBJ_TYPE_EVENT_PAIR:	return "eventpair";
	case MXCHAN_OBJ_TYPE_PORT:		return "port";
	case MXCHAN_OBJ_TYPE_FIFO:		return "fifo";
	case MXCHAN_OBJ_TYPE_SOCKET:		return "socket";
	case MXCHAN_OBJ_TYPE_VMO:		return "vmo";
	case MXCHAN_OBJ_TYPE_VMAR:		return "vmar";
	case MXCHAN_OBJ_TYPE_TIMER:		return "timer";
	}
	return "?";
}

/* ----- the processes ----------------------------------------------- */

/* What the parent prepared in a process's table before it started. */
struct plan {
	int table;			/* its table fd */
	uint32_t given[MAXH];		/* handles moved in by the parent */
	int ngiven;
};

struct world {
	pid_t pid[NPROC];
	int report[NPROC];		/* read ends */
	int go;				/* write end: closed, everyone exits */
	struct hrow h[NPROC][MAXH];	/* as each reported them */
	int nh[NPROC];
	unsigned long long koid_a0, koid_d0, koid_d1, koid_g1;
	char tmp[64];			/* an empty directory: PATH without dot */
};

static void report_handle(FILE *f, int table, uint32_t h)
{
	struct mxchan_info_handle_basic rec;

	if (info(table, h, &rec))
		_exit(20);
	fprintf(f, "%x %s %llu %x %llu\n", h, type_name(rec.type),
		(unsigned long long)rec.koid, rec.rights,
		(unsigned long long)rec.related_koid);
}

/*
 * The child: its own objects, its messages, then every handle it holds
 * to @out, then it waits for @go to close. Exits with a status above 0
 * if a step failed (the parent sees no "end" line then).
 */
static void child(int who, struct plan *p, int out, int go)
{
	uint32_t hs[MAXH], ev, pt, d0, d1, g0, g1;
	int n = 0, i, t = p->table;
	char c;
	FILE *f;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	prctl(PR_SET_NAME, names[who]);
	for (i = 0; i < p->ngiven; i++)
		hs[n++] = p->given[i];
	switch (who) {
	case SERVER:
		/* [0] a0 [1] b0 [2] e0 [3] f1 */
		if (mxt_ioc_event_create(t, &ev) || mxt_ioc_channel_create(t, &g0, &g1) ||
		    mxt_ioc_handle_close(t, g1) ||
		    write_msg(t, hs[1], "hello there", NULL, 0) ||
		    write_msg(t, hs[3], "ping", NULL, 0))
			_exit(21);
		hs[n++] = ev;
		hs[n++] = g0;
		break;
	case CLIENT1:
		/* [0] a1: sends d0 to the server's a0 */
		if (mxt_ioc_port_create(t, &pt) || mxt_ioc_channel_create(t, &d0, &d1) ||
		    write_msg(t, hs[0], "take this", &d0, 1))
			_exit(22);
		hs[n++] = pt;
		hs[n++] = d1;
		break;
	case CLIENT2:
		break;
	case NOBODYP:
		/* as nobody, and inspectable by nobody */
		if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY) ||
		    prctl(PR_SET_DUMPABLE, 1) || mxt_ioc_event_create(t, &ev))
			_exit(23);
		hs[n++] = ev;
		break;
	}
	f = fdopen(out, "w");
	if (!f)
		_exit(24);
	for (i = 0; i < n; i++)
		report_handle(f, t, hs[i]);
	fprintf(f, "end\n");
	fclose(f);
	while (read(go, &c, 1) < 0 && errno == EINTR)
		;
	_exit(0);
}

/* Read a child's report into w->h[who]; false if it did not end well. */
static bool read_report(struct world *w, int who)
{
	FILE *f = fdopen(w->report[who], "r");
	char line[256], type[16];
	struct hrow *r;
	bool ended = false;

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		if (!strcmp(line, "end\n")) {
			ended = true;
			break;
		}
		if (w->nh[who] == MAXH)
			return false;
		r = &w->h[who][w->nh[who]];
		memset(r, 0, sizeof(*r));
		if (sscanf(line, "%x %15s %llu %x %llu", &r->value, type,
			   &r->koid, &r->rights, &r->peer) != 5)
			continue;
		snprintf(r->type, sizeof(r->type), "%s", type);
		r->pid = w->pid[who];
		snprintf(r->comm, sizeof(r->comm), "%s", names[who]);
		snprintf(r->queued, sizeof(r->queued), "%s",
			 strcmp(type, "channel") ? "-" : "0/0");
		w->nh[who]++;
	}
	fclose(f);
	w->report[who] = -1;
	return ended;
}

static struct hrow *find_koid(struct world *w, unsigned long long koid)
{
	int i, j;

	for (i = 0; i < NPROC; i++)
		for (j = 0; j < w->nh[i]; j++)
			if (w->h[i][j].koid == koid)
				return &w->h[i][j];
	return NULL;
}

/*
 * The parent: four tables, the ends that cross processes moved in, then
 * the processes. Returns false (with the reason logged) on a failure.
 */
static bool world_start(struct __test_metadata *_metadata, struct world *w)
{
	struct plan plan[NPROC] = { 0 };
	uint32_t a0, a1, b0, b1, e0, e1, f0, f1, v;
	int go[2], rep[2], i, j;
	struct hrow *r;

	memset(w, 0, sizeof(*w));
	w->go = -1;
	for (i = 0; i < NPROC; i++) {
		w->report[i] = -1;
		plan[i].table = open("/dev/mxchan", O_RDWR | O_CLOEXEC);
		if (plan[i].table < 0) {
			TH_LOG("open /dev/mxchan: %s", strerror(errno));
			return false;
		}
	}
	/* server: a0 b0 e0 f1; client-1: a1; client-2: b1 e1; nobody: f0 */
	if (mxt_ioc_channel_create(plan[SERVER].table, &a0, &a1) ||
	    mxt_ioc_channel_create(plan[SERVER].table, &b0, &b1) ||
	    mxt_ioc_eventpair_create(plan[SERVER].table, &e0, &e1) ||
	    mxt_ioc_channel_create(plan[SERVER].table, &f0, &f1)) {
		TH_LOG("creating the objects failed");
		return false;
	}
	plan[SERVER].given[0] = a0;
	plan[SERVER].given[1] = b0;
	plan[SERVER].given[2] = e0;
	plan[SERVER].given[3] = f1;
	plan[SERVER].ngiven = 4;
	if (mxt_ioc_handle_give(plan[SERVER].table, plan[CLIENT1].table, a1, &v))
		return false;
	plan[CLIENT1].given[plan[CLIENT1].ngiven++] = v;
	if (mxt_ioc_handle_give(plan[SERVER].table, plan[CLIENT2].table, b1, &v))
		return false;
	plan[CLIENT2].given[plan[CLIENT2].ngiven++] = v;
	if (mxt_ioc_handle_give(plan[SERVER].table, plan[CLIENT2].table, e1, &v))
		return false;
	plan[CLIENT2].given[plan[CLIENT2].ngiven++] = v;
	if (mxt_ioc_handle_give(plan[SERVER].table, plan[NOBODYP].table, f0, &v))
		return false;
	plan[NOBODYP].given[plan[NOBODYP].ngiven++] = v;

	if (pipe2(go, O_CLOEXEC))
		return false;
	w->go = go[1];
	for (i = 0; i < NPROC; i++) {
		if (pipe2(rep, O_CLOEXEC))
			return false;
		fflush(stdout);
		fflush(stderr);
		w->pid[i] = fork();
		if (w->pid[i] < 0)
			return false;
		if (!w->pid[i]) {
			close(go[1]);
			close(rep[0]);
			for (j = 0; j < NPROC; j++)
				if (j != i)
					close(plan[j].table);
			child(i, &plan[i], rep[1], go[0]);
		}
		close(rep[1]);
		w->report[i] = rep[0];
	}
	close(go[0]);
	for (i = 0; i < NPROC; i++)
		close(plan[i].table);
	for (i = 0; i < NPROC; i++) {
		if (!read_report(w, i)) {
			TH_LOG("%s (pid %d) did not report its handles",
			       names[i], w->pid[i]);
			return false;
		}
	}
	/* the queues, as the children filled them */
	r = &w->h[SERVER][0];			/* a0: "take this" + d0 */
	snprintf(r->queued, sizeof(r->queued), "1/9");
	w->koid_a0 = r->koid;
	snprintf(w->h[CLIENT2][0].queued, sizeof(r->queued), "1/11"); /* b1 */
	snprintf(w->h[NOBODYP][0].queued, sizeof(r->queued), "1/4");  /* f0 */
	/* d1 is client-1's last handle; d0, its peer, is in flight */
	r = &w->h[CLIENT1][w->nh[CLIENT1] - 1];
	w->koid_d1 = r->koid;
	w->koid_d0 = r->peer;
	/* g0 is the server's last handle; g1, its peer, was closed */
	w->koid_g1 = w->h[SERVER][w->nh[SERVER] - 1].peer;
	return w->nh[SERVER] == 6 && w->nh[CLIENT1] == 3 &&
	       w->nh[CLIENT2] == 2 && w->nh[NOBODYP] == 2 &&
	       w->koid_d0 && !find_koid(w, w->koid_d0);
}

static void world_stop(struct world *w)
{
	int i;

	if (w->go >= 0)
		close(w->go);
	w->go = -1;
	for (i = 0; i < NPROC; i++) {
		if (w->report[i] >= 0)
			close(w->report[i]);
		if (w->pid[i] > 0) {
			kill(w->pid[i], SIGKILL);
			waitpid(w->pid[i], NULL, 0);
		}
		w->pid[i] = 0;
	}
}

/* ----- running mxstat ---------------------------------------------- */

enum how { AS_ROOT, AS_NOBODY, NO_DEBUGFS, NO_MODULE, NO_DOT, WATCH };

struct run {
	int status;			/* exit status, or -1 */
	int signal;			/* the signal that ended it, or 0 */
	char out[OUTMAX], err[OUTMAX];
	int err_lines;
};

static const char *mxstat_path(void)
{
	static char found[PATH_MAX];
	const char *env = getenv("MXSTAT"), *path = getenv("PATH");
	char *copy, *dir, *save = NULL;
	ssize_t n;

	if (env && *env)
		return env;
	if (found[0])
		return found;
	/* beside this test, as a kselftest install puts it */
	n = readlink("/proc/self/exe", found, sizeof(found) - 8);
	if (n > 0) {
		found[n] = 0;
		dir = strrchr(found, '/');
		if (dir) {
			strcpy(dir + 1, "mxstat");
			if (!access(found, X_OK))
				return found;
		}
	}
	memset(found, 0, sizeof(found));
	copy = strdup(path ? path : "/usr/local/bin:/usr/bin:/bin");
	for (dir = strtok_r(copy, ":", &save); dir;
	     dir = strtok_r(NULL, ":", &save)) {
		snprintf(found, sizeof(found), "%s/mxstat", dir);
		if (!access(found, X_OK))
			break;
		found[0] = 0;
	}
	free(copy);
	return found[0] ? found : NULL;
}

/* Hide @dir under an empty tmpfs, in a mount namespace of our own. */
static bool hide(const char *dir)
{
	return !unshare(CLONE_NEWNS) &&
	       !mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) &&
	       !mount("none", dir, "tmpfs", 0, NULL);
}

/* Read @fd to its end, after what @buf holds already. */
static void drain(int fd, char *buf)
{
	size_t len = strlen(buf);
	ssize_t n;

	while ((n = read(fd, buf + len, OUTMAX - 1 - len)) > 0)
		len += n;
	buf[len] = 0;
	close(fd);
}

/* mxstat with @args (NULL-terminated), as @how says. */
static void run(struct run *r, enum how how, const char *tmp,
		const char *const *args)
{
	const char *prog = mxstat_path();
	const char *argv[24];
	char pathenv[96];
	int out[2], err[2], n = 0, st;
	pid_t pid;
	char *p;

	memset(r, 0, sizeof(*r));
	r->status = -1;
	if (!prog || pipe(out) || pipe(err))
		return;
	argv[n++] = prog;
	while (*args && n < 23)
		argv[n++] = *args++;
	argv[n] = NULL;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return;
	if (!pid) {
		dup2(out[1], 1);
		dup2(err[1], 2);
		close(out[0]);
		close(err[0]);
		if (how == AS_NOBODY &&
		    (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY)))
			_exit(100);
		if (how == NO_DEBUGFS && !hide("/sys/kernel/debug"))
			_exit(101);
		if (how == NO_MODULE && !hide("/sys/module"))
			_exit(102);
		if (how == NO_DOT) {
			snprintf(pathenv, sizeof(pathenv), "PATH=%s", tmp);
			putenv(pathenv);
		}
		execv(prog, (char **)argv);
		_exit(103);
	}
	close(out[1]);
	close(err[1]);
	/*
	 * --watch: two frames (at 0 s and 1 s, or later on a slow guest),
	 * then ^C. A frame is one write, smaller than PIPE_BUF: it comes
	 * whole.
	 */
	if (how == WATCH) {
		struct pollfd pfd = { .fd = out[0], .events = POLLIN };
		size_t len = 0;
		ssize_t got;
		int frames = 0, waited;

		for (waited = 0; frames < 2 && waited < 600; waited++) {
			if (poll(&pfd, 1, 100) != 1)
				continue;
			got = read(out[0], r->out + len, OUTMAX - 1 - len);
			if (got <= 0)
				break;
			len += got;
			r->out[len] = 0;
			for (frames = 0, p = r->out;
			     (p = strstr(p, "\033[H\033[2J")); p++)
				frames++;
		}
		kill(pid, SIGINT);
	}
	/* mxstat's output is small: stdout, then stderr, fits the pipes */
	drain(out[0], r->out);
	drain(err[0], r->err);
	if (waitpid(pid, &st, 0) != pid)
		st = -1;			/* neither exited nor signalled */
	else if (WIFEXITED(st))
		r->status = WEXITSTATUS(st);
	else if (WIFSIGNALED(st))
		r->signal = WTERMSIG(st);
	for (p = r->err; *p; p++)
		r->err_lines += *p == '\n';
}

/* The table's rows. Returns their number, or -1 if a line is not one. */
static int parse_table(const char *text, struct hrow *rows, int max)
{
	const char *line = strchr(text, '\n');
	char buf[256], peer[32];
	int n = 0, len;

	if (strncmp(text, "PID ", 4) || !line)
		return -1;
	for (line++; *line; line += len + 1) {
		len = (int)strcspn(line, "\n");
		if (len >= (int)sizeof(buf) || n == max)
			return -1;
		memcpy(buf, line, len);
		buf[len] = 0;
		memset(&rows[n], 0, sizeof(rows[n]));
		if (sscanf(buf, "%d %31s %llu %x %15s %llu %x %31s %31s",
			   &rows[n].pid, rows[n].comm, &rows[n].table,
			   &rows[n].value, rows[n].type, &rows[n].koid,
			   &rows[n].rights, peer, rows[n].queued) != 9)
			return -1;
		rows[n].peer = strcmp(peer, "-") ? strtoull(peer, NULL, 10) : 0;
		n++;
		if (!line[len])
			break;
	}
	return n;
}

static bool same_row(const struct hrow *a, const struct hrow *b)
{
	return a->pid == b->pid && !strcmp(a->comm, b->comm) &&
	       a->value == b->value && !strcmp(a->type, b->type) &&
	       a->koid == b->koid && a->rights == b->rights &&
	       a->peer == b->peer && !strcmp(a->queued, b->queued);
}

/* Rows of the processes in @who (a bitmask) that @keep accepts. */
static int expected(struct world *w, unsigned int who,
		    bool (*keep)(struct world *, const struct hrow *, void *),
		    void *arg, struct hrow *out)
{
	int n = 0, i, j;

	for (i = 0; i < NPROC; i++) {
		if (!(who & (1u << i)))
			continue;
		for (j = 0; j < w->nh[i]; j++)
			if (!keep || keep(w, &w->h[i][j], arg))
				out[n++] = w->h[i][j];
	}
	return n;
}

/*
 * @got is exactly @want, in any order: each wanted row once, nothing
 * else; and each process's rows name one table, no other's.
 */
static bool rows_match(struct __test_metadata *_metadata,
		       const struct hrow *want, int nwant,
		       const struct hrow *got, int ngot)
{
	bool used[MAXROWS] = { false }, ok = true;
	int i, j;

	if (nwant != ngot) {
		TH_LOG("%d rows, want %d", ngot, nwant);
		ok = false;
	}
	for (i = 0; i < nwant; i++) {
		for (j = 0; j < ngot; j++)
			if (!used[j] && same_row(&want[i], &got[j]))
				break;
		if (j == ngot) {
			TH_LOG("no row: pid %d %s 0x%08x %s koid %llu rights 0x%x peer %llu queued %s",
			       want[i].pid, want[i].comm, want[i].value,
			       want[i].type, want[i].koid, want[i].rights,
			       want[i].peer, want[i].queued);
			ok = false;
			continue;
		}
		used[j] = true;
	}
	for (i = 0; i < ngot; i++)
		for (j = 0; j < ngot; j++)
			if ((got[i].pid == got[j].pid) !=
			    (got[i].table == got[j].table)) {
				TH_LOG("rows %d and %d: pids %d %d, tables %llu %llu",
				       i, j, got[i].pid, got[j].pid,
				       got[i].table, got[j].table);
				return false;
			}
	return ok;
}

#define ALL	((1u << NPROC) - 1)

FIXTURE(mxstat) {
	struct world w;
	char pids[64];			/* "-p" argument: all four */
	struct hrow want[MAXROWS], got[MAXROWS];
	struct run r;
};

FIXTURE_SETUP(mxstat)
{
	if (!mxstat_path())
		SKIP(return, "mxstat is not on PATH (nor in $MXSTAT)");
	if (geteuid() != 0)
		SKIP(return, "needs root");
	ASSERT_TRUE(world_start(_metadata, &self->w));
	snprintf(self->pids, sizeof(self->pids), "%d,%d,%d,%d",
		 self->w.pid[0], self->w.pid[1], self->w.pid[2],
		 self->w.pid[3]);
	snprintf(self->w.tmp, sizeof(self->w.tmp), "/tmp/mxstat-test-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->w.tmp));
}

FIXTURE_TEARDOWN(mxstat)
{
	world_stop(&self->w);
	if (self->w.tmp[0])
		rmdir(self->w.tmp);
}

/* The table: every handle of the four processes, nothing else. */
TEST_F(mxstat, table_lists_exactly_the_handles)
{
	const char *args[] = { "-p", self->pids, NULL };
	int n, nw;

	run(&self->r, AS_ROOT, NULL, args);
	ASSERT_EQ(0, self->r.status) TH_LOG("stderr: %s", self->r.err);
	EXPECT_STREQ("", self->r.err);
	n = parse_table(self->r.out, self->got, MAXROWS);
	ASSERT_LE(0, n) TH_LOG("output: %s", self->r.out);
	nw = expected(&self->w, ALL, NULL, NULL, self->want);
	ASSERT_EQ(13, nw);
	EXPECT_TRUE(rows_match(_metadata, self->want, nw, self->got, n))
		TH_LOG("output:\n%s", self->r.out);
}

/* As root through fdinfo: the same rows, queues from mxchan-channel. */
TEST_F(mxstat, fdinfo_as_root_lists_the_same)
{
	const char *args[] = { "--fdinfo", "-p", self->pids, NULL };
	int n, nw;

	run(&self->r, AS_ROOT, NULL, args);
	ASSERT_EQ(0, self->r.status) TH_LOG("stderr: %s", self->r.err);
	EXPECT_STREQ("", self->r.err);
	n = parse_table(self->r.out, self->got, MAXROWS);
	ASSERT_LE(0, n) TH_LOG("output: %s", self->r.out);
	nw = expected(&self->w, ALL, NULL, NULL, self->want);
	EXPECT_TRUE(rows_match(_metadata, self->want, nw, self->got, n))
		TH_LOG("output:\n%s", self->r.out);
}

/* One pid of the four: only its rows. */
TEST_F(mxstat, one_pid)
{
	char pid[16];
	const char *args[] = { "-p", pid, NULL };
	int n, nw;

	snprintf(pid, sizeof(pid), "%d", self->w.pid[CLIENT2]);
	run(&self->r, AS_ROOT, NULL, args);
	ASSERT_EQ(0, self->r.status);
	n = parse_table(self->r.out, self->got, MAXROWS);
	nw = expected(&self->w, 1u << CLIENT2, NULL, NULL, self->want);
	ASSERT_EQ(2, nw);
	EXPECT_TRUE(rows_match(_metadata, self->want, nw, self->got, n))
		TH_LOG("output:\n%s", self->r.out);
}

/* @r's type is one of the comma list @arg */
static bool keep_type(struct world *w, const struct hrow *r, void *arg)
{
	const char *list = arg, *end;
	size_t len = strlen(r->type);

	(void)w;
	for (; *list; list = *end ? end + 1 : end) {
		end = list + strcspn(list, ",");
		if ((size_t)(end - list) == len && !strncmp(list, r->type, len))
			return true;
	}
	return false;
}

static bool keep_koid(struct world *w, const struct hrow *r, void *arg)
{
	unsigned long long k = *(unsigned long long *)arg;

	(void)w;
	return r->koid == k || r->peer == k;
}

/* -t and -k select exactly what they name. */
TEST_F(mxstat, filters)
{
	const char *targs[] = { "-p", self->pids, "-t", NULL, NULL };
	const char *kargs[] = { "-p", self->pids, "-k", NULL, NULL };
	const char *types[] = { "event", "channel,eventpair", "port" };
	const int counts[] = { 2, 10, 1 };
	unsigned long long koids[3];
	const int kcounts[] = { 2, 1, 1 };
	char karg[32];
	int i, n, nw;

	for (i = 0; i < 3; i++) {
		targs[3] = types[i];
		run(&self->r, AS_ROOT, NULL, targs);
		ASSERT_EQ(0, self->r.status);
		n = parse_table(self->r.out, self->got, MAXROWS);
		nw = expected(&self->w, ALL, keep_type, (void *)types[i],
			      self->want);
		EXPECT_EQ(counts[i], nw);
		EXPECT_TRUE(rows_match(_metadata, self->want, nw,
				       self->got, n))
			TH_LOG("-t %s:\n%s", types[i], self->r.out);
	}
	/* a0 (and a1, its peer); d1 (d0 is in flight: no row); g0 by g1 */
	koids[0] = self->w.koid_a0;
	koids[1] = self->w.koid_d1;
	koids[2] = self->w.koid_g1;
	for (i = 0; i < 3; i++) {
		snprintf(karg, sizeof(karg), "%llu", koids[i]);
		kargs[3] = karg;
		run(&self->r, AS_ROOT, NULL, kargs);
		ASSERT_EQ(0, self->r.status);
		n = parse_table(self->r.out, self->got, MAXROWS);
		nw = expected(&self->w, ALL, keep_koid, &koids[i], self->want);
		EXPECT_EQ(kcounts[i], nw);
		EXPECT_TRUE(rows_match(_metadata, self->want, nw,
				       self->got, n))
			TH_LOG("-k %s:\n%s", karg, self->r.out);
	}
}

/* -s orders by the column (ties: pid, table, handle); -r reverses. */
TEST_F(mxstat, sort_orders)
{
	const char *args[] = { "-p", self->pids, "-s", NULL, NULL, NULL };
	int i, n;

	args[3] = "koid";
	run(&self->r, AS_ROOT, NULL, args);
	ASSERT_EQ(0, self->r.status);
	n = parse_table(self->r.out, self->got, MAXROWS);
	ASSERT_EQ(13, n);
	for (i = 1; i < n; i++)
		EXPECT_LT(self->got[i - 1].koid, self->got[i].koid);

	args[3] = "type";
	run(&self->r, AS_ROOT, NULL, args);
	n = parse_table(self->r.out, self->got, MAXROWS);
	ASSERT_EQ(13, n);
	for (i = 1; i < n; i++) {
		int c = strcmp(self->got[i - 1].type, self->got[i].type);

		EXPECT_LE(c, 0);
		if (!c)
			EXPECT_LE(self->got[i - 1].pid, self->got[i].pid);
	}

	/* b1's 1/11, a0's 1/9, f0's 1/4, then every 0/0 and "-" */
	args[3] = "queued";
	args[4] = "-r";
	run(&self->r, AS_ROOT, NULL, args);
	n = parse_table(self->r.out, self->got, MAXROWS);
	ASSERT_EQ(13, n);
	EXPECT_STREQ("1/11", self->got[0].queued);
	EXPECT_EQ(self->w.pid[CLIENT2], self->got[0].pid);
	EXPECT_STREQ("1/9", self->got[1].queued);
	EXPECT_EQ(self->w.koid_a0, self->got[1].koid);
	EXPECT_STREQ("1/4", self->got[2].queued);
	EXPECT_EQ(self->w.pid[NOBODYP], self->got[2].pid);

	/* the default: by pid, then handle value within a table */
	args[2] = NULL;
	run(&self->r, AS_ROOT, NULL, args);
	n = parse_table(self->r.out, self->got, MAXROWS);
	ASSERT_EQ(13, n);
	for (i = 1; i < n; i++) {
		EXPECT_LE(self->got[i - 1].pid, self->got[i].pid);
		if (self->got[i - 1].pid == self->got[i].pid)
			EXPECT_LT(self->got[i - 1].value, self->got[i].value);
	}
}

/* "    KOID  pid P COMM handle 0xV ..." for the holder @r. */
static bool has_holder_line(const char *text, const struct hrow *r)
{
	char want[128];

	snprintf(want, sizeof(want), "    %-7llu pid %d %s handle 0x%08x",
		 r->koid, r->pid, r->comm, r->value);
	return strstr(text, want);
}

/* --tree: the five channels as pairs, each end's holder right. */
TEST_F(mxstat, tree_pairs)
{
	const char *args[] = { "--tree", "-p", self->pids, NULL };
	struct world *w = &self->w;
	char want[160];
	const char *p;
	int i, j, pairs = 0;

	run(&self->r, AS_ROOT, NULL, args);
	ASSERT_EQ(0, self->r.status);
	EXPECT_STREQ("", self->r.err);
	for (p = self->r.out; (p = strstr(p, "channel ")); p++)
		if (p == self->r.out || p[-1] == '\n')
			pairs++;
	/* a, b, f across processes; d (one end in flight); g (one closed) */
	EXPECT_EQ(5, pairs) TH_LOG("%s", self->r.out);
	for (i = 0; i < NPROC; i++) {
		for (j = 0; j < w->nh[i]; j++) {
			const struct hrow *r = &w->h[i][j];
			unsigned long long lo, hi;

			if (strcmp(r->type, "channel"))
				continue;
			lo = r->koid < r->peer ? r->koid : r->peer;
			hi = r->koid < r->peer ? r->peer : r->koid;
			snprintf(want, sizeof(want), "channel %llu <-> %llu\n",
				 lo, hi);
			EXPECT_NE(NULL, strstr(self->r.out, want))
				TH_LOG("no '%s' in:\n%s", want, self->r.out);
			EXPECT_TRUE(has_holder_line(self->r.out, r))
				TH_LOG("koid %llu's holder:\n%s", r->koid,
				       self->r.out);
		}
	}
	snprintf(want, sizeof(want), "    %-7llu in flight in channel %llu\n",
		 w->koid_d0, w->koid_a0);
	EXPECT_NE(NULL, strstr(self->r.out, want)) TH_LOG("%s", self->r.out);
	snprintf(want, sizeof(want), "    %-7llu closed\n", w->koid_g1);
	EXPECT_NE(NULL, strstr(self->r.out, want)) TH_LOG("%s", self->r.out);
	/* three lines a pair (the pair, then each end): 5 pairs, 15 lines */
	for (i = 0, p = self->r.out; *p; p++)
		i += *p == '\n';
	EXPECT_EQ(15, i);
}

/* The graph's parts, parsed back. */
struct graph {
	int clusters, nodes, peer_edges, dashed_edges;
	int cluster_pid[NPROC + 1];
	char cluster_label[NPROC + 1][64];
	unsigned long long node[MAXROWS];
	int node_pid[MAXROWS];		/* 0: outside every cluster */
	char node_label[MAXROWS][64];
	unsigned long long edge[MAXROWS][2];
	unsigned long long dashed[MAXROWS][2];
	bool bad;
};

static void parse_dot(const char *text, struct graph *g)
{
	char line[256], label[64];
	unsigned long long a, b;
	int len, pid = 0;

	memset(g, 0, sizeof(*g));
	if (strncmp(text, "digraph mxchan {\n", 17))
		g->bad = true;
	for (; *text; text += len + (text[len] == '\n')) {
		len = (int)strcspn(text, "\n");
		snprintf(line, sizeof(line), "%.*s", len, text);
		if (sscanf(line, " subgraph cluster_%d {", &pid) == 1) {
			if (g->clusters == NPROC + 1)
				break;
			g->cluster_pid[g->clusters++] = pid;
		} else if (sscanf(line, " label=\"%63[^\"]\";", label) == 1 &&
			   pid) {
			snprintf(g->cluster_label[g->clusters - 1], 64, "%s",
				 label);
		} else if (!strcmp(line, "\t}")) {
			pid = 0;
		} else if (sscanf(line, " \"o%llu\" -> \"o%llu\" [dir=none];",
				  &a, &b) == 2 && strstr(line, "dir=none")) {
			g->edge[g->peer_edges][0] = a;
			g->edge[g->peer_edges++][1] = b;
		} else if (sscanf(line, " \"o%llu\" -> \"o%llu\" [style=dashed];",
				  &a, &b) == 2 && strstr(line, "dashed")) {
			g->dashed[g->dashed_edges][0] = a;
			g->dashed[g->dashed_edges++][1] = b;
		} else if (sscanf(line, " \"o%llu\" [label=\"%63[^\"]\"];",
				  &a, label) == 2) {
			g->node[g->nodes] = a;
			g->node_pid[g->nodes] = pid;
			snprintf(g->node_label[g->nodes++], 64, "%s", label);
		} else if (strcmp(line, "}") && strcmp(line, "digraph mxchan {") &&
			   strcmp(line, "\tnode [shape=box];")) {
			g->bad = true;
		}
		if (g->nodes == MAXROWS || g->peer_edges == MAXROWS ||
		    g->dashed_edges == MAXROWS)
			break;
	}
}

static int find_node(const struct graph *g, unsigned long long koid)
{
	int i, n = -1;

	for (i = 0; i < g->nodes; i++)
		if (g->node[i] == koid)
			n = n < 0 ? i : -2;	/* twice: as bad as none */
	return n;
}

static bool has_edge(const struct graph *g, unsigned long long a,
		     unsigned long long b)
{
	int i;

	for (i = 0; i < g->peer_edges; i++)
		if ((g->edge[i][0] == a && g->edge[i][1] == b) ||
		    (g->edge[i][0] == b && g->edge[i][1] == a))
			return true;
	return false;
}

/* --dot: a cluster a process, a node an object, the edges exactly. */
TEST_F(mxstat, dot_graph)
{
	const char *args[] = { "--dot", "-p", self->pids, NULL };
	struct world *w = &self->w;
	struct graph *g = malloc(sizeof(*g));
	char label[64];
	int i, j, k, pairs = 0;

	ASSERT_NE(NULL, g);
	run(&self->r, AS_ROOT, NULL, args);
	ASSERT_EQ(0, self->r.status);
	parse_dot(self->r.out, g);
	EXPECT_FALSE(g->bad) TH_LOG("%s", self->r.out);
	ASSERT_EQ(NPROC, g->clusters) TH_LOG("%s", self->r.out);
	for (i = 0; i < NPROC; i++) {
		/* the clusters, in pid order */
		for (j = 0; j < NPROC && w->pid[j] != g->cluster_pid[i]; j++)
			;
		ASSERT_LT(j, NPROC);
		snprintf(label, sizeof(label), "%s (%d)", names[j], w->pid[j]);
		EXPECT_STREQ(label, g->cluster_label[i]);
		if (i)
			EXPECT_LT(g->cluster_pid[i - 1], g->cluster_pid[i]);
	}
	/* every handle's object, once, in its holder's cluster; and d0 */
	EXPECT_EQ(13 + 1, g->nodes) TH_LOG("%s", self->r.out);
	for (i = 0; i < NPROC; i++) {
		for (j = 0; j < w->nh[i]; j++) {
			const struct hrow *r = &w->h[i][j];

			k = find_node(g, r->koid);
			ASSERT_LE(0, k) TH_LOG("koid %llu", r->koid);
			EXPECT_EQ(w->pid[i], g->node_pid[k]);
			snprintf(label, sizeof(label), "%s %llu", r->type,
				 r->koid);
			EXPECT_STREQ(label, g->node_label[k]);
			/* a peer edge for each pair both of whose ends show */
			if (r->peer && r->koid < r->peer &&
			    (find_koid(w, r->peer) || r->peer == w->koid_d0)) {
				EXPECT_TRUE(has_edge(g, r->koid, r->peer));
				pairs++;
			}
			if (r->peer && r->peer == w->koid_d0)
				pairs += r->koid > r->peer;
		}
	}
	k = find_node(g, w->koid_d0);
	ASSERT_LE(0, k);
	EXPECT_EQ(0, g->node_pid[k]);
	snprintf(label, sizeof(label), "channel %llu", w->koid_d0);
	EXPECT_STREQ(label, g->node_label[k]);
	EXPECT_TRUE(has_edge(g, w->koid_d0, w->koid_d1));
	/* a, b, f, e (the event pair) and d; not g, whose g1 is gone */
	EXPECT_EQ(5, pairs);
	EXPECT_EQ(5, g->peer_edges) TH_LOG("%s", self->r.out);
	/* one handle in flight: d0, in a message queued at a0 */
	ASSERT_EQ(1, g->dashed_edges) TH_LOG("%s", self->r.out);
	EXPECT_EQ(w->koid_a0, g->dashed[0][0]);
	EXPECT_EQ(w->koid_d0, g->dashed[0][1]);
	free(g);
}

/* As nobody: the one inspectable process's handles, from fdinfo. */
TEST_F(mxstat, nobody_sees_its_own)
{
	const char *args[] = { "-p", self->pids, NULL };
	const char *all[] = { NULL };
	int n, nw, i, count = 0;

	run(&self->r, AS_NOBODY, NULL, args);
	ASSERT_EQ(0, self->r.status) TH_LOG("%s", self->r.err);
	n = parse_table(self->r.out, self->got, MAXROWS);
	nw = expected(&self->w, 1u << NOBODYP, NULL, NULL, self->want);
	ASSERT_EQ(2, nw);
	EXPECT_TRUE(rows_match(_metadata, self->want, nw, self->got, n))
		TH_LOG("output:\n%s", self->r.out);
	EXPECT_STREQ("mxstat: 3 processes not inspected (not permitted; run as root for all)\n",
		     self->r.err);

	/* every process: the same rows of ours, none of root's, a count */
	run(&self->r, AS_NOBODY, NULL, all);
	ASSERT_EQ(0, self->r.status);
	n = parse_table(self->r.out, self->got, MAXROWS);
	ASSERT_LE(2, n);
	for (i = 0; i < n; i++) {
		EXPECT_NE(self->w.pid[SERVER], self->got[i].pid);
		EXPECT_NE(self->w.pid[CLIENT1], self->got[i].pid);
		EXPECT_NE(self->w.pid[CLIENT2], self->got[i].pid);
		count += self->got[i].pid == self->w.pid[NOBODYP];
	}
	EXPECT_EQ(2, count);
	EXPECT_EQ(1, self->r.err_lines);
	EXPECT_EQ(1, sscanf(self->r.err, "mxstat: %d processes not inspected",
			    &n));
	EXPECT_LE(3, n);
}

/* --watch: the table again and again, each time on a cleared screen. */
TEST_F(mxstat, watch_redraws)
{
	const char *args[] = { "--watch=1", "-p", self->pids, NULL };
	const char *frame, *next, *table;
	int frames = 0, n, nw;
	char *copy;

	nw = expected(&self->w, ALL, NULL, NULL, self->want);
	run(&self->r, WATCH, NULL, args);
	EXPECT_EQ(SIGINT, self->r.signal);
	EXPECT_STREQ("", self->r.err);
	/* the output starts with a frame, and is nothing but frames */
	EXPECT_EQ(0, strncmp(self->r.out, "\033[H\033[2J", 7));
	for (frame = self->r.out; (frame = strstr(frame, "\033[H\033[2J"));
	     frame = next) {
		next = strstr(frame + 1, "\033[H\033[2J");
		copy = strndup(frame, next ? (size_t)(next - frame) :
				      strlen(frame));
		ASSERT_NE(NULL, copy);
		frames++;
		/* "mxstat, every 1s, HH:MM:SS", a blank line, the table */
		EXPECT_EQ(0, strncmp(copy + 7, "mxstat, every 1s, ", 18));
		table = strstr(copy, "\n\nPID ");
		ASSERT_NE(NULL, table);
		n = parse_table(table + 2, self->got, MAXROWS);
		EXPECT_TRUE(rows_match(_metadata, self->want, nw, self->got, n))
			TH_LOG("frame %d:\n%s", frames, copy);
		free(copy);
		if (!next)
			break;
	}
	EXPECT_LE(2, frames) TH_LOG("%s", self->r.out);
}

/* An error: status 1, one line on stderr that says @what, no output. */
#define EXPECT_ERROR(r, what) do {					\
	EXPECT_EQ(1, (r)->status);					\
	EXPECT_EQ(1, (r)->err_lines) TH_LOG("stderr: %s", (r)->err);	\
	EXPECT_NE(NULL, strstr((r)->err, what))				\
		TH_LOG("'%s' not in: %s", what, (r)->err);		\
	EXPECT_EQ(0, strncmp((r)->err, "mxstat: ", 8));			\
	EXPECT_STREQ("", (r)->out);					\
} while (0)

TEST_F(mxstat, errors_in_values)
{
	/* each: mxstat's arguments (NULL-terminated), then what it must say */
	static const struct {
		const char *args[3];
		const char *error;
	} cases[] = {
		{ { "-p", "999999" }, "no process with pid 999999" },
		{ { "-t", "channels" }, "unknown type 'channels'" },
		{ { "-p", "0" }, "bad pid '0'" },
		{ { "-k", "12x" }, "bad koid '12x'" },
		{ { "-s", "size" }, "unknown sort column 'size'" },
		{ { "--watch=0" }, "bad interval '0'" },
		{ { "--frobnicate" }, "unknown option --frobnicate" },
		{ { "--tree", "--dot" }, "exclude each other" },
	};
	size_t i;

	ASSERT_EQ(-1, kill(999999, 0));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run(&self->r, AS_ROOT, NULL, cases[i].args);
		EXPECT_ERROR(&self->r, cases[i].error);
	}
}

TEST_F(mxstat, errors_in_the_system)
{
	const char *none[] = { NULL };
	const char *fdinfo[] = { "--fdinfo", "-p", self->pids, NULL };
	char svg[96];
	const char *svgargs[] = { "--svg", svg, NULL };
	struct stat st;
	int n;

	run(&self->r, NO_DEBUGFS, NULL, none);
	EXPECT_ERROR(&self->r, "debugfs is not mounted");
	EXPECT_NE(NULL, strstr(self->r.err,
			       "mount -t debugfs none /sys/kernel/debug"));
	/* without debugfs, fdinfo still works */
	run(&self->r, NO_DEBUGFS, NULL, fdinfo);
	EXPECT_EQ(0, self->r.status);
	n = parse_table(self->r.out, self->got, MAXROWS);
	EXPECT_EQ(13, n);

	run(&self->r, NO_MODULE, NULL, none);
	EXPECT_ERROR(&self->r, "module is not loaded");

	snprintf(svg, sizeof(svg), "%s/graph.svg", self->w.tmp);
	run(&self->r, NO_DOT, self->w.tmp, svgargs);
	EXPECT_ERROR(&self->r, "dot");
	EXPECT_NE(NULL, strstr(self->r.err, "not on PATH"));
	EXPECT_EQ(-1, stat(svg, &st));
}

/* --tree with one pid still names who holds the other ends, elsewhere. */
TEST_F(mxstat, tree_one_pid_names_every_holder)
{
	char pid[16];
	const char *args[] = { "--tree", "-p", pid, NULL };
	struct world *w = &self->w;

	snprintf(pid, sizeof(pid), "%d", w->pid[SERVER]);
	run(&self->r, AS_ROOT, NULL, args);
	ASSERT_EQ(0, self->r.status) TH_LOG("stderr: %s", self->r.err);
	EXPECT_STREQ("", self->r.err);
	/* a1, b1 and f0: the peers of the server's a0, b0 and f1 */
	EXPECT_TRUE(has_holder_line(self->r.out, &w->h[CLIENT1][0]))
		TH_LOG("%s", self->r.out);
	EXPECT_TRUE(has_holder_line(self->r.out, &w->h[CLIENT2][0]))
		TH_LOG("%s", self->r.out);
	EXPECT_TRUE(has_holder_line(self->r.out, &w->h[NOBODYP][0]))
		TH_LOG("%s", self->r.out);
}

/* A process of one test's own, holding one table, until go closes. */
struct lone {
	pid_t pid;
	int go;				/* write end */
};

/*
 * Start it, named @name, with @nevents events in its table; as nobody
 * (and inspectable by nobody) if @nobody. False if it did not start.
 */
static bool lone_start(struct lone *l, const char *name, bool nobody,
		       int nevents)
{
	int go[2], rep[2], t, i;
	uint32_t ev;
	ssize_t got;
	char c;

	l->pid = -1;
	l->go = -1;
	if (pipe2(go, O_CLOEXEC))
		return false;
	if (pipe2(rep, O_CLOEXEC)) {
		close(go[0]);
		close(go[1]);
		return false;
	}
	fflush(stdout);
	fflush(stderr);
	l->pid = fork();
	if (!l->pid) {
		close(go[1]);
		close(rep[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		prctl(PR_SET_NAME, name);
		t = open("/dev/mxchan", O_RDWR | O_CLOEXEC);
		if (t < 0)
			_exit(30);
		if (nobody &&
		    (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY) ||
		     prctl(PR_SET_DUMPABLE, 1)))
			_exit(31);
		for (i = 0; i < nevents; i++)
			if (mxt_ioc_event_create(t, &ev))
				_exit(32);
		if (write(rep[1], "", 1) != 1)
			_exit(33);
		while (read(go[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	close(go[0]);
	close(rep[1]);
	l->go = go[1];
	if (l->pid < 0) {
		close(rep[0]);
		return false;
	}
	while ((got = read(rep[0], &c, 1)) < 0 && errno == EINTR)
		;
	close(rep[0]);
	return got == 1;
}

static void lone_stop(struct lone *l)
{
	if (l->go >= 0)
		close(l->go);
	l->go = -1;
	if (l->pid > 0) {
		kill(l->pid, SIGKILL);
		waitpid(l->pid, NULL, 0);
	}
	l->pid = -1;
}

#define MANYROWS	400

/*
 * fdinfo lists a table's first 256 handles: of a process holding 300,
 * mxstat --fdinfo (or as a user other than root) shows 256 rows and says
 * so on stderr, once, status 0; as root through debugfs, all 300.
 */
TEST(fdinfo_cut_is_said)
{
	struct hrow *rows = calloc(MANYROWS, sizeof(*rows));
	struct run *r = malloc(sizeof(*r));
	char pid[16], want[192];
	const char *fdinfo[] = { "--fdinfo", "-p", pid, NULL };
	const char *plain[] = { "-p", pid, NULL };
	struct lone l;
	int n, i, others;

	if (!mxstat_path())
		SKIP(return, "mxstat is not on PATH (nor in $MXSTAT)");
	if (geteuid() != 0)
		SKIP(return, "needs root");
	ASSERT_NE(NULL, rows);
	ASSERT_NE(NULL, r);
	ASSERT_TRUE(lone_start(&l, "mxs-many", true, 300));
	snprintf(pid, sizeof(pid), "%d", l.pid);

	run(r, AS_ROOT, NULL, fdinfo);
	EXPECT_EQ(0, r->status) TH_LOG("stderr: %s", r->err);
	n = parse_table(r->out, rows, MANYROWS);
	EXPECT_EQ(256, n) TH_LOG("output: %.2000s", r->out);
	for (i = others = 0; i < n; i++)
		others += rows[i].pid != l.pid || strcmp(rows[i].type, "event");
	EXPECT_EQ(0, others);
	if (n > 0) {
		snprintf(want, sizeof(want),
			 "mxstat: table %llu of pid %d: 256 of 300 handles shown (fdinfo lists 256; drop --fdinfo for all)\n",
			 rows[0].table, l.pid);
		EXPECT_STREQ(want, r->err);
	}

	run(r, AS_NOBODY, NULL, plain);
	EXPECT_EQ(0, r->status) TH_LOG("stderr: %s", r->err);
	n = parse_table(r->out, rows, MANYROWS);
	EXPECT_EQ(256, n) TH_LOG("output: %.2000s", r->out);
	if (n > 0) {
		snprintf(want, sizeof(want),
			 "mxstat: table %llu of pid %d: 256 of 300 handles shown (fdinfo lists 256; run as root for all)\n",
			 rows[0].table, l.pid);
		EXPECT_STREQ(want, r->err);
	}

	run(r, AS_ROOT, NULL, plain);
	EXPECT_EQ(0, r->status) TH_LOG("stderr: %s", r->err);
	EXPECT_STREQ("", r->err);
	EXPECT_EQ(300, parse_table(r->out, rows, MANYROWS));
	lone_stop(&l);
	free(rows);
	free(r);
}

/*
 * A name with a space and a newline (PR_SET_NAME takes any bytes): one
 * row, the space kept, the newline shown as '?'; through debugfs and
 * through fdinfo alike.
 */
TEST(comm_with_space_and_newline_is_one_row)
{
	struct run *r = malloc(sizeof(*r));
	char pid[16], want[64];
	const char *plain[] = { "-p", pid, NULL };
	const char *fdinfo[] = { "--fdinfo", "-p", pid, NULL };
	const char *const *args[] = { plain, fdinfo };
	const char *p;
	struct lone l;
	int i, lines;

	if (!mxstat_path())
		SKIP(return, "mxstat is not on PATH (nor in $MXSTAT)");
	if (geteuid() != 0)
		SKIP(return, "needs root");
	ASSERT_NE(NULL, r);
	ASSERT_TRUE(lone_start(&l, "a b\nc", false, 1));
	snprintf(pid, sizeof(pid), "%d", l.pid);
	for (i = 0; i < 2; i++) {
		run(r, AS_ROOT, NULL, args[i]);
		EXPECT_EQ(0, r->status) TH_LOG("stderr: %s", r->err);
		EXPECT_STREQ("", r->err);
		for (lines = 0, p = r->out; *p; p++)
			lines += *p == '\n';
		EXPECT_EQ(2, lines) TH_LOG("output:\n%s", r->out);
		snprintf(want, sizeof(want), "\n%-7d %-15s ", l.pid, "a b?c");
		EXPECT_NE(NULL, strstr(r->out, want))
			TH_LOG("no '%s' in:\n%s", want + 1, r->out);
	}
	lone_stop(&l);
	free(r);
}

/* Send @fd over the socket @sock. */
static int send_fd(int sock, int fd)
{
	char data = 'x';
	struct iovec iov = { .iov_base = &data, .iov_len = 1 };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = u.buf, .msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *c;

	memset(&u, 0, sizeof(u));
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

/*
 * A table whose only descriptor waits in a UNIX socket message, its
 * opener gone: as root (no -p), its handle shows under the opener's pid,
 * its name marked "(opener)"; fdinfo cannot see it.
 */
TEST(table_held_by_nobody_shows_under_its_opener)
{
	struct hrow *rows = calloc(MANYROWS, sizeof(*rows));
	struct run *r = malloc(sizeof(*r));
	const char *none[] = { NULL };
	const char *fdinfo[] = { "--fdinfo", NULL };
	int sv[2], t, st, n, i, mine;
	uint32_t ev;
	pid_t pid;

	if (!mxstat_path())
		SKIP(return, "mxstat is not on PATH (nor in $MXSTAT)");
	if (geteuid() != 0)
		SKIP(return, "needs root");
	ASSERT_NE(NULL, rows);
	ASSERT_NE(NULL, r);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		prctl(PR_SET_NAME, "mxs-opener");
		t = open("/dev/mxchan", O_RDWR | O_CLOEXEC);
		if (t < 0 || mxt_ioc_event_create(t, &ev) || send_fd(sv[0], t))
			_exit(40);
		close(t);
		_exit(0);
	}
	close(sv[0]);
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	ASSERT_TRUE(WIFEXITED(st) && !WEXITSTATUS(st));

	run(r, AS_ROOT, NULL, none);
	EXPECT_EQ(0, r->status) TH_LOG("stderr: %s", r->err);
	n = parse_table(r->out, rows, MANYROWS);
	ASSERT_LE(1, n) TH_LOG("output:\n%s", r->out);
	for (i = mine = 0; i < n; i++) {
		if (rows[i].pid != pid)
			continue;
		mine++;
		EXPECT_STREQ("mxs-opener(opener)", rows[i].comm);
		EXPECT_STREQ("event", rows[i].type);
	}
	EXPECT_EQ(1, mine) TH_LOG("output:\n%s", r->out);

	run(r, AS_ROOT, NULL, fdinfo);
	EXPECT_EQ(0, r->status) TH_LOG("stderr: %s", r->err);
	n = parse_table(r->out, rows, MANYROWS);
	ASSERT_LE(0, n) TH_LOG("output:\n%s", r->out);
	for (i = mine = 0; i < n; i++)
		mine += rows[i].pid == pid;
	EXPECT_EQ(0, mine);
	close(sv[1]);
	free(rows);
	free(r);
}

/* A whole proc or debugfs file, NUL-terminated, at most OUTMAX bytes. */
static bool slurp(const char *path, char *buf)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	buf[0] = 0;
	if (fd < 0)
		return false;
	drain(fd, buf);
	return true;
}

/*
 * Lines that start with @prefix; one "%08x" in it stands for any handle
 * value ("mxchan-handle:\t0x%08x type event").
 */
static int count_lines(const char *text, const char *prefix)
{
	const char *any = strstr(prefix, "%08x");
	size_t head = any ? (size_t)(any - prefix) : strlen(prefix);
	int n = 0;

	for (; text; text = strchr(text, '\n'), text = text ? text + 1 : NULL)
		n += !strncmp(text, prefix, head) &&
		     (!any || !strncmp(text + head + 8, any + 4,
				       strlen(any + 4)));
	return n;
}

/*
 * What mxstat reads, from the module itself: fdinfo's mxchan-channel
 * lines (within the first 256 handles, as the handle lines) and a
 * table's inflight file, line for line.
 */
TEST(fdinfo_channel_and_inflight_lines)
{
	struct mxchan_info_handle_basic pi, qi, ei, ri;
	uint32_t p, q, ev, r, rs, a, b, carry[2];
	char *text = malloc(OUTMAX), path[96], want[512];
	unsigned long long id = 0;
	const char *line;
	int fd, i;

	ASSERT_NE(NULL, text);
	fd = open("/dev/mxchan", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mxt_ioc_channel_create(fd, &p, &q));
	ASSERT_EQ(0, mxt_ioc_event_create(fd, &ev));
	ASSERT_EQ(0, mxt_ioc_channel_create(fd, &r, &rs));
	ASSERT_EQ(0, info(fd, p, &pi));
	ASSERT_EQ(0, info(fd, q, &qi));
	ASSERT_EQ(0, info(fd, ev, &ei));
	ASSERT_EQ(0, info(fd, r, &ri));
	carry[0] = ev;
	carry[1] = r;
	ASSERT_EQ(0, write_msg(fd, p, "abc", carry, 2));
	ASSERT_EQ(0, write_msg(fd, p, "defgh", NULL, 0));
	/* p, q, rs (ev was sent) and 2 * 150 more: 303 channel ends */
	for (i = 0; i < 150; i++)
		ASSERT_EQ(0, mxt_ioc_channel_create(fd, &a, &b));

	/* fdinfo: the first 256 handles, and the channels among them */
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	ASSERT_TRUE(slurp(path, text));
	EXPECT_EQ(256, count_lines(text, "mxchan-handle:\t0x"));
	EXPECT_EQ(count_lines(text, "mxchan-handle:\t0x") -
		  count_lines(text, "mxchan-handle:\t0x%08x type event"),
		  count_lines(text, "mxchan-channel:\t0x"));
	line = strstr(text, "mxchan-table:\t");
	ASSERT_NE(NULL, line);
	id = strtoull(line + strlen("mxchan-table:\t"), NULL, 10);
	/* after every handle line, the channel lines */
	line = strstr(text, "mxchan-channel:");
	ASSERT_NE(NULL, line);
	EXPECT_EQ(NULL, strstr(line, "mxchan-handle:"));
	snprintf(want, sizeof(want),
		 "mxchan-channel:\t0x%08x koid %llu peer %llu in 2 bytes 8 handles 2 out 0 bytes 0 handles 0 peer_closed 0\n",
		 q, (unsigned long long)qi.koid, (unsigned long long)pi.koid);
	EXPECT_NE(NULL, strstr(text, want)) TH_LOG("no '%s' in:\n%s", want, text);
	snprintf(want, sizeof(want),
		 "mxchan-channel:\t0x%08x koid %llu peer %llu in 0 bytes 0 handles 0 out 2 bytes 8 handles 2 peer_closed 0\n",
		 p, (unsigned long long)pi.koid, (unsigned long long)qi.koid);
	EXPECT_NE(NULL, strstr(text, want)) TH_LOG("no '%s'", want);

	/* debugfs lists them all, and what q's queue carries, in order */
	snprintf(path, sizeof(path),
		 "/sys/kernel/debug/mxchan/tables/%llu/channels", id);
	ASSERT_TRUE(slurp(path, text));
	EXPECT_EQ(303, count_lines(text, "handle 0x"));
	snprintf(path, sizeof(path),
		 "/sys/kernel/debug/mxchan/tables/%llu/inflight", id);
	ASSERT_TRUE(slurp(path, text));
	snprintf(want, sizeof(want),
		 "handle 0x%08x koid %llu carries type event koid %llu related 0\n"
		 "handle 0x%08x koid %llu carries type channel koid %llu related %llu\n",
		 q, (unsigned long long)qi.koid, (unsigned long long)ei.koid,
		 q, (unsigned long long)qi.koid, (unsigned long long)ri.koid,
		 (unsigned long long)ri.related_koid);
	EXPECT_STREQ(want, text);

	/* read off: nothing in flight any more */
	{
		struct mxchan_channel_read rd = {
			.handle = q, .bytes = (uintptr_t)want,
			.num_bytes = sizeof(want), .handles = (uintptr_t)carry,
			.num_handles = 2,
		};

		ASSERT_EQ(0, ioctl(fd, MXCHAN_IOC_CHANNEL_READ, &rd));
	}
	ASSERT_TRUE(slurp(path, text));
	EXPECT_STREQ("", text);
	close(fd);
	free(text);
}


/* All of @path into a new buffer of @max bytes at most, or NULL. */
static char *slurp_big(const char *path, size_t max)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *buf = malloc(max);
	size_t len = 0;
	ssize_t n;

	if (fd < 0 || !buf) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while (len < max - 1 && (n = read(fd, buf + len, max - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = 0;
	close(fd);
	return buf;
}

/*
 * The counts the message path keeps, and inflight's bound: 65 messages
 * of 63 events each wait at q. The inflight file walks 4096 messages
 * and handles of one queue at most: 64 whole messages, 4032 lines, then
 * "carries more". The counts follow each read down to zero.
 */
TEST(inflight_stops_and_counts_follow_reads)
{
	uint32_t p, q, evs[63], got[63];
	char path[96], want[256], *text;
	struct mxchan_info_handle_basic qi;
	unsigned long long id;
	const char *line;
	int fd, i, j, left;

	fd = open("/dev/mxchan", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mxt_ioc_channel_create(fd, &p, &q));
	ASSERT_EQ(0, info(fd, q, &qi));
	for (i = 0; i < 65; i++) {
		for (j = 0; j < 63; j++)
			ASSERT_EQ(0, mxt_ioc_event_create(fd, &evs[j]));
		ASSERT_EQ(0, write_msg(fd, p, "x", evs, 63));
	}
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	text = slurp_big(path, 1 << 16);
	ASSERT_NE(NULL, text);
	line = strstr(text, "mxchan-table:\t");
	ASSERT_NE(NULL, line);
	id = strtoull(line + strlen("mxchan-table:\t"), NULL, 10);
	free(text);

	snprintf(path, sizeof(path),
		 "/sys/kernel/debug/mxchan/tables/%llu/inflight", id);
	text = slurp_big(path, 1 << 20);
	ASSERT_NE(NULL, text);
	for (i = 0, line = text; (line = strstr(line, " carries type event "));
	     line++)
		i++;
	EXPECT_EQ(4032, i);
	snprintf(want, sizeof(want), "handle 0x%08x koid %llu carries more\n",
		 q, (unsigned long long)qi.koid);
	line = strstr(text, want);
	EXPECT_NE(NULL, line);
	if (line)
		EXPECT_STREQ(want, line);	/* and it is the last line */
	free(text);

	for (left = 65; left >= 0; left--) {
		struct mxchan_channel_read rd = {
			.handle = q, .bytes = (uintptr_t)want,
			.num_bytes = sizeof(want), .handles = (uintptr_t)got,
			.num_handles = 63,
		};

		snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
		text = slurp_big(path, 1 << 16);
		ASSERT_NE(NULL, text);
		snprintf(want, sizeof(want),
			 "mxchan-channel:\t0x%08x koid %llu peer %llu in %d bytes %d handles %d out 0",
			 q, (unsigned long long)qi.koid,
			 (unsigned long long)qi.related_koid, left, left,
			 63 * left);
		EXPECT_NE(NULL, strstr(text, want)) TH_LOG("no '%s'", want);
		free(text);
		if (!left)
			break;
		ASSERT_EQ(0, ioctl(fd, MXCHAN_IOC_CHANNEL_READ, &rd));
		for (j = 0; j < 63; j++)
			ASSERT_EQ(0, mxt_ioc_handle_close(fd, got[j]));
	}
	close(fd);
}

TEST_HARNESS_MAIN
