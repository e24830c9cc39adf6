// SPDX-License-Identifier: GPL-2.0
/*
 * mxstat: who holds which mxchan handles, across processes.
 *
 * As root it reads the module's debugfs tables (tables/ID/{owner,handles,
 * channels,inflight}) and finds who holds each table in /proc/PID/fd; as
 * another user it reads /proc/PID/fdinfo/FD of every process it may
 * inspect (mxchan-table, mxchan-handles, mxchan-handle and mxchan-channel
 * lines), and says how many it could not, and which tables fdinfo cut
 * short. With -p, only those processes are looked at (and, as root, the
 * tables they hold), but for --tree, which names every holder of an end.
 * Each process is read through one descriptor of its /proc/PID: a pid
 * reused meanwhile is never mistaken for it. Output: a table, one row per
 * handle (default), channels as pairs (--tree), or a Graphviz graph
 * (--dot, --svg). See mxstat(1).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEBUGFS_ROOT	"/sys/kernel/debug"
#define DEBUGFS_DIR	DEBUGFS_ROOT "/mxchan"
#define MODULE_DIR	"/sys/module/mxchan"
#define DEVICE		"/dev/mxchan"
#define DEBUGFS_MAGIC_NR 0x64626720
#define PF_KTHREAD_FLAG	0x00200000u
#define FDINFO_HANDLES	256	/* fdinfo lists a table's first 256 handles */
#define OPENER_MARK	"(opener)"

static const char *const type_names[] = {
	"channel", "event", "eventpair", "port", "fifo", "socket", "vmo",
	"vmar", "timer",
};
#define NR_TYPES (sizeof(type_names) / sizeof(type_names[0]))

/* One handle in one table, as one holder process sees it. */
struct row {
	int pid;
	char comm[32];
	unsigned long long table;
	unsigned int handle;
	char type[16];
	unsigned long long koid;
	unsigned int rights;
	unsigned long long peer;
	bool has_queue;			/* a channel line was found */
	unsigned int q_msgs, q_handles;
	unsigned long long q_bytes;
	int peer_closed;
};

/* A handle carried by a message queued at a channel end (debugfs only). */
struct carried {
	unsigned long long at;		/* the end whose queue holds it */
	char type[16];
	unsigned long long koid, related;
};

/* What one channel line says about an end. */
struct queue {
	unsigned int handle;
	unsigned int msgs, handles;
	unsigned long long bytes;
	int peer_closed;
};

/* A table whose fdinfo lists fewer handles than it has. */
struct cut {
	int pid;
	unsigned long long table;
	size_t shown;
	unsigned int count;
};

/* A process holding a table's file descriptor. */
struct holder {
	int pid;
	unsigned long long table;
	char comm[32];
};

struct snapshot {
	struct row *rows;
	size_t nrows, caprows;
	struct carried *car;
	size_t ncar, capcar;
	struct holder *hold;
	size_t nhold, caphold;
	struct cut *cuts;
	size_t ncuts, capcuts;
	int uninspected;		/* processes we may not look at */
	bool from_debugfs;
};

struct ulist {
	unsigned long long *v;
	size_t n, cap;
};

enum mode { MODE_TABLE, MODE_TREE, MODE_DOT, MODE_SVG };

enum sort_key {
	SORT_PID, SORT_COMM, SORT_TABLE, SORT_HANDLE, SORT_TYPE, SORT_KOID,
	SORT_RIGHTS, SORT_PEER, SORT_QUEUED,
};

static const char *const sort_names[] = {
	"pid", "comm", "table", "handle", "type", "koid", "rights", "peer",
	"queued",
};

struct options {
	enum mode mode;
	const char *svg;
	struct ulist pids, koids;
	bool types[NR_TYPES];
	bool any_type;
	enum sort_key sort;
	bool reverse;
	bool fdinfo;
	bool watch;
	unsigned int interval;
};

static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("mxstat: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void *grow(void *p, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return p;
	*cap = *cap ? *cap * 2 : 64;
	p = realloc(p, *cap * size);
	if (!p)
		die("out of memory");
	return p;
}

static void ulist_add(struct ulist *l, unsigned long long v)
{
	l->v = grow(l->v, &l->cap, l->n, sizeof(*l->v));
	l->v[l->n++] = v;
}

static bool ulist_has(const struct ulist *l, unsigned long long v)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i] == v)
			return true;
	return false;
}

/* A decimal number in [min, max], the whole string, or -1. */
static long long parse_num(const char *s, long long min, long long max)
{
	unsigned long long v;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < (unsigned long long)min ||
	    v > (unsigned long long)max)
		return -1;
	return (long long)v;
}

/* "1,2,3" into @l; @what names the value in an error. */
static void parse_list(struct ulist *l, const char *arg, const char *what,
		       long long min, long long max)
{
	char *copy = strdup(arg), *tok, *save = NULL;
	bool tok_seen = false;
	long long v;

	if (!copy)
		die("out of memory");
	if (!*arg)
		die("bad %s ''", what);
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		v = parse_num(tok, min, max);
		if (v < 0)
			die("bad %s '%s'", what, tok);
		tok_seen = true;
		ulist_add(l, (unsigned long long)v);
	}
	free(copy);
	if (!tok_seen)
		die("bad %s '%s'", what, arg);
}

static void parse_types(struct options *o, const char *arg)
{
	char *copy = strdup(arg), *tok, *save = NULL;
	bool tok_seen = false;
	size_t i;

	if (!copy)
		die("out of memory");
	if (!*arg)
		die("bad type ''");
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < NR_TYPES; i++)
			if (!strcmp(tok, type_names[i]))
				break;
		if (i == NR_TYPES)
			die("unknown type '%s' (channel, event, eventpair, port, fifo, socket, vmo, vmar, timer)",
			    tok);
		o->types[i] = true;
		o->any_type = true;
		tok_seen = true;
	}
	free(copy);
	if (!tok_seen)
		die("bad type '%s'", arg);
}

/* ----- reading ------------------------------------------------------ */

/*
 * A whole (proc or debugfs) file, NUL-terminated, or NULL: @name relative
 * to the directory @dirfd (or AT_FDCWD).
 */
static char *slurp_at(int dirfd, const char *name)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap), *more;
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "re");
	size_t n;

	if (!buf)
		die("out of memory");
	if (!f) {
		if (fd >= 0)
			close(fd);
		free(buf);
		return NULL;
	}
	while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len < 2) {
			more = realloc(buf, cap * 2);
			if (!more)
				die("out of memory");
			buf = more;
			cap *= 2;
		}
	}
	fclose(f);
	buf[len] = 0;
	return buf;
}

static char *slurp(const char *path)
{
	return slurp_at(AT_FDCWD, path);
}

/*
 * A process name as read (@text, its end's newline included) into @comm,
 * fit for one row: the newline that ends it dropped, every other control
 * character (a newline within it, a tab), and anything else unprintable,
 * shown as '?'. Spaces stay.
 */
static void set_comm(char *comm, size_t size, const char *text)
{
	size_t len = strlen(text);
	char *s;

	if (len && text[len - 1] == '\n')
		len--;
	snprintf(comm, size, "%.*s", (int)len, text);
	for (s = comm; *s; s++)
		if (!isprint((unsigned char)*s))
			*s = '?';
}

/* The name of the process whose /proc/PID is @pidfd. */
static void read_comm(int pidfd, char *comm, size_t size)
{
	char *text = slurp_at(pidfd, "comm");

	set_comm(comm, size, text ? text : "?");
	free(text);
}

static bool is_kthread(int pidfd)
{
	char *text, *p;
	unsigned int flags = 0;

	text = slurp_at(pidfd, "stat");
	if (!text)
		return false;
	/* the name may hold anything: fields restart after its last ')' */
	p = strrchr(text, ')');
	if (p)
		sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %u", &flags);
	free(text);
	return flags & PF_KTHREAD_FLAG;
}

/* Is @fdname ("fd/N", in the /proc/PID that is @pidfd) a table? */
static bool is_table_fd(int pidfd, const char *fdname, dev_t dev_rdev)
{
	char link[PATH_MAX];
	ssize_t n = readlinkat(pidfd, fdname, link, sizeof(link) - 1);
	struct statx st;

	if (n < 0)
		return false;
	link[n] = 0;
	if (!strcmp(link, DEVICE))
		return true;
	/*
	 * A device node of another name (a chroot, a renamed node). Sockets,
	 * pipes and anonymous files are none; for a file, only cached
	 * attributes, so that a network or FUSE file system that does not
	 * answer cannot hang us.
	 */
	if (!dev_rdev || link[0] != '/')
		return false;
	return !statx(pidfd, fdname, AT_STATX_DONT_SYNC, STATX_TYPE, &st) &&
	       S_ISCHR(st.stx_mode) &&
	       makedev(st.stx_rdev_major, st.stx_rdev_minor) == dev_rdev;
}

static void add_row(struct snapshot *s, const struct row *r)
{
	s->rows = grow(s->rows, &s->caprows, s->nrows, sizeof(*s->rows));
	s->rows[s->nrows++] = *r;
}

static bool parse_handle(const char *line, const char *prefix, struct row *r)
{
	char fmt[96];

	snprintf(fmt, sizeof(fmt),
		 "%s%%x type %%15s koid %%llu rights %%x related %%llu", prefix);
	return sscanf(line, fmt, &r->handle, r->type, &r->koid, &r->rights,
		      &r->peer) == 5;
}

static bool parse_channel(const char *line, const char *prefix,
			  struct queue *q)
{
	unsigned long long koid, peer, obytes;
	unsigned int omsgs, ohandles;
	char fmt[192];

	snprintf(fmt, sizeof(fmt),
		 "%s%%x koid %%llu peer %%llu in %%u bytes %%llu handles %%u out %%u bytes %%llu handles %%u peer_closed %%d",
		 prefix);
	return sscanf(line, fmt, &q->handle, &koid, &peer, &q->msgs,
		      &q->bytes, &q->handles, &omsgs, &obytes, &ohandles,
		      &q->peer_closed) == 10;
}

static void apply_queue(struct row *rows, size_t n, const struct queue *q)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (rows[i].handle != q->handle)
			continue;
		rows[i].has_queue = true;
		rows[i].q_msgs = q->msgs;
		rows[i].q_bytes = q->bytes;
		rows[i].q_handles = q->handles;
		rows[i].peer_closed = q->peer_closed;
	}
}

/*
 * The handles (and queues) of one table, from its handles and channels
 * text (debugfs) or its fdinfo, as rows of @pid; @prefix_h and @prefix_c
 * start its lines. Returns how many handle lines it found.
 */
static size_t table_rows(struct snapshot *s, int pid, const char *comm,
		       unsigned long long table, char *text,
		       const char *prefix_h, char *chtext,
		       const char *prefix_c)
{
	size_t first = s->nrows;
	char *line, *save = NULL;
	struct queue q;
	struct row r;

	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		memset(&r, 0, sizeof(r));
		if (!parse_handle(line, prefix_h, &r))
			continue;
		r.pid = pid;
		snprintf(r.comm, sizeof(r.comm), "%s", comm);
		r.table = table;
		add_row(s, &r);
	}
	if (chtext) {
		save = NULL;
		for (line = strtok_r(chtext, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save))
			if (parse_channel(line, prefix_c, &q))
				apply_queue(s->rows + first, s->nrows - first,
					    &q);
	}
	return s->nrows - first;
}

static bool have_holder(const struct snapshot *s, int pid,
			unsigned long long table)
{
	size_t i;

	for (i = 0; i < s->nhold; i++)
		if (s->hold[i].pid == pid && s->hold[i].table == table)
			return true;
	return false;
}

static void add_holder(struct snapshot *s, int pid, unsigned long long table,
		       const char *comm)
{
	struct holder *h;

	s->hold = grow(s->hold, &s->caphold, s->nhold, sizeof(*s->hold));
	h = &s->hold[s->nhold++];
	h->pid = pid;
	h->table = table;
	snprintf(h->comm, sizeof(h->comm), "%s", comm);
}

/*
 * Does -p leave mxstat to look at the listed processes alone? Not for
 * --tree, which names every holder of an end, wherever it is.
 */
static bool only_listed(const struct options *o)
{
	return o->pids.n && o->mode != MODE_TREE;
}

static void add_cut(struct snapshot *s, int pid, unsigned long long table,
		    size_t shown, unsigned int count)
{
	s->cuts = grow(s->cuts, &s->capcuts, s->ncuts, sizeof(*s->cuts));
	s->cuts[s->ncuts++] = (struct cut){ pid, table, shown, count };
}

/*
 * One process's table fds, each name relative to @pidfd, its /proc/PID
 * opened once: were @pid to exit and its number go to another process
 * meanwhile, the reads fail rather than read that one. From fdinfo,
 * @rows adds their handles too, and notes a table whose fdinfo lists
 * fewer than it has; otherwise only who holds which table is noted
 * (debugfs has the rest). If we may not read its fds, it counts in
 * s->uninspected when @counted (one the user asked about).
 */
static void scan_pid(struct snapshot *s, int pidfd, int pid, bool rows,
		     bool counted, dev_t rdev)
{
	char name[48], comm[32], *text, *line, *chtext;
	unsigned long long table;
	unsigned int count;
	struct dirent *fe;
	size_t shown;
	int fdfd, fd;
	DIR *fds;

	fdfd = openat(pidfd, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	fds = fdfd < 0 ? NULL : fdopendir(fdfd);
	if (!fds) {
		if ((errno == EACCES || errno == EPERM) && counted &&
		    !is_kthread(pidfd))
			s->uninspected++;
		if (fdfd >= 0)
			close(fdfd);
		return;
	}
	comm[0] = 0;
	while ((fe = readdir(fds))) {
		fd = (int)parse_num(fe->d_name, 0, INT_MAX);
		if (fd < 0)
			continue;
		snprintf(name, sizeof(name), "fd/%d", fd);
		if (!is_table_fd(pidfd, name, rdev))
			continue;
		snprintf(name, sizeof(name), "fdinfo/%d", fd);
		text = slurp_at(pidfd, name);
		if (!text)
			continue;
		line = strstr(text, "mxchan-table:");
		if (!line ||
		    sscanf(line, "mxchan-table: %llu", &table) != 1 ||
		    have_holder(s, pid, table)) {
			free(text);
			continue;
		}
		if (!comm[0])
			read_comm(pidfd, comm, sizeof(comm));
		add_holder(s, pid, table, comm);
		if (rows) {
			line = strstr(text, "mxchan-handles:");
			if (!line ||
			    sscanf(line, "mxchan-handles: %u", &count) != 1)
				count = 0;
			chtext = strdup(text);
			if (!chtext)
				die("out of memory");
			shown = table_rows(s, pid, comm, table, text,
					   "mxchan-handle: ", chtext,
					   "mxchan-channel: ");
			free(chtext);
			/*
			 * The count includes slots being filled, and the
			 * table may change while it is read: only a list
			 * fdinfo cut at its end is short.
			 */
			if (counted && shown >= FDINFO_HANDLES &&
			    count > shown)
				add_cut(s, pid, table, shown, count);
		}
		free(text);
	}
	closedir(fds);
}

/* /proc/PID as a directory fd, or -1 (the process is gone). */
static int open_pid(int pid)
{
	char path[32];

	snprintf(path, sizeof(path), "/proc/%d", pid);
	return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/*
 * The processes' table fds: with -p only those listed (but for --tree),
 * else every process's. See scan_pid() for @rows.
 */
static void scan_processes(struct snapshot *s, const struct options *o,
			   bool rows)
{
	struct dirent *pe;
	struct stat dev;
	dev_t rdev = 0;
	size_t i, j;
	int pid, pidfd;
	DIR *proc;

	if (!stat(DEVICE, &dev) && S_ISCHR(dev.st_mode))
		rdev = dev.st_rdev;
	if (only_listed(o)) {
		for (i = 0; i < o->pids.n; i++) {
			for (j = 0; j < i && o->pids.v[j] != o->pids.v[i]; j++)
				;
			if (j < i)
				continue;	/* listed twice */
			pid = (int)o->pids.v[i];
			pidfd = open_pid(pid);
			if (pidfd < 0)
				continue;
			scan_pid(s, pidfd, pid, rows, true, rdev);
			close(pidfd);
		}
		return;
	}
	proc = opendir("/proc");
	if (!proc)
		die("cannot read /proc: %s", strerror(errno));
	while ((pe = readdir(proc))) {
		pid = (int)parse_num(pe->d_name, 1, INT_MAX);
		if (pid <= 0)
			continue;
		pidfd = openat(dirfd(proc), pe->d_name,
			       O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (pidfd < 0)
			continue;
		scan_pid(s, pidfd, pid, rows,
			 !o->pids.n || ulist_has(&o->pids, pid), rdev);
		close(pidfd);
	}
	closedir(proc);
}

static char *table_file(unsigned long long id, const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), DEBUGFS_DIR "/tables/%llu/%s", id, name);
	return slurp(path);
}

static void read_inflight(struct snapshot *s, char *text)
{
	char *line, *save = NULL;
	struct carried c;
	unsigned int handle;

	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		memset(&c, 0, sizeof(c));
		if (sscanf(line, "handle %x koid %llu carries type %15s koid %llu related %llu",
			   &handle, &c.at, c.type, &c.koid, &c.related) != 5)
			continue;
		s->car = grow(s->car, &s->capcar, s->ncar, sizeof(*s->car));
		s->car[s->ncar++] = c;
	}
}

/*
 * The opener of a table, from its owner file ("pid P comm C\n"; the name
 * may hold anything, a newline too), into @pid and @comm; false if the
 * file says no such thing.
 */
static bool parse_owner(const char *owner, int *pid, char *comm,
			size_t size)
{
	int at = -1;

	if (sscanf(owner, "pid %d comm%n", pid, &at) != 1 || at < 0 ||
	    owner[at] != ' ')
		return false;
	set_comm(comm, size, owner + at + 1);
	return true;
}

/*
 * Table @id from debugfs, under each process we found holding it; if
 * none and @orphans (every process was looked at), under its opener,
 * marked so. A table closed meanwhile is skipped.
 */
static void read_table(struct snapshot *s, unsigned long long id,
		       bool orphans)
{
	char *owner, *handles, *channels, *inflight, *copy, *copy2;
	char comm[32];
	size_t i, n;
	int pid;

	owner = table_file(id, "owner");
	handles = table_file(id, "handles");
	channels = table_file(id, "channels");
	inflight = table_file(id, "inflight");
	if (!owner || !handles)
		goto out;
	n = 0;
	for (i = 0; i < s->nhold; i++) {
		if (s->hold[i].table != id)
			continue;
		copy = strdup(handles);
		copy2 = channels ? strdup(channels) : NULL;
		if (!copy || (channels && !copy2))
			die("out of memory");
		table_rows(s, s->hold[i].pid, s->hold[i].comm, id, copy,
			   "handle ", copy2, "handle ");
		free(copy);
		free(copy2);
		n++;
	}
	/*
	 * Held by no process: its fd in flight in a UNIX socket message,
	 * or its holder gone meanwhile. Its opener, who may have exited
	 * or passed the fd on, stands for it, marked as such.
	 */
	if (!n && orphans &&
	    parse_owner(owner, &pid, comm,
			sizeof(comm) - strlen(OPENER_MARK))) {
		strcat(comm, OPENER_MARK);
		table_rows(s, pid, comm, id, handles, "handle ", channels,
			   "handle ");
	}
	if (inflight)
		read_inflight(s, inflight);
out:
	free(owner);
	free(handles);
	free(channels);
	free(inflight);
}

/*
 * As root: every table in debugfs, under each process holding it; with
 * -p (but for --tree), only the tables the listed processes hold.
 */
static void scan_debugfs(struct snapshot *s, const struct options *o)
{
	struct dirent *e;
	size_t i, j;
	long long id;
	DIR *d;

	scan_processes(s, o, false);
	s->from_debugfs = true;
	if (only_listed(o)) {
		for (i = 0; i < s->nhold; i++) {
			for (j = 0; j < i && s->hold[j].table != s->hold[i].table;
			     j++)
				;
			if (j == i)
				read_table(s, s->hold[i].table, false);
		}
		return;
	}
	d = opendir(DEBUGFS_DIR "/tables");
	if (!d)
		die("cannot read " DEBUGFS_DIR "/tables: %s", strerror(errno));
	while ((e = readdir(d))) {
		id = parse_num(e->d_name, 1, LLONG_MAX);
		if (id >= 0)
			read_table(s, (unsigned long long)id, true);
	}
	closedir(d);
}

static void collect(struct snapshot *s, const struct options *o)
{
	memset(s, 0, sizeof(*s));
	if (!o->fdinfo && geteuid() == 0)
		scan_debugfs(s, o);
	else
		scan_processes(s, o, true);
}

static void release(struct snapshot *s)
{
	free(s->rows);
	free(s->car);
	free(s->hold);
	free(s->cuts);
	memset(s, 0, sizeof(*s));
}

/* ----- selecting and sorting ----------------------------------------- */

static bool row_selected(const struct options *o, const struct row *r)
{
	size_t i;

	if (o->pids.n && !ulist_has(&o->pids, r->pid))
		return false;
	if (o->koids.n && !ulist_has(&o->koids, r->koid) &&
	    !(r->peer && ulist_has(&o->koids, r->peer)))
		return false;
	if (!o->any_type)
		return true;
	for (i = 0; i < NR_TYPES; i++)
		if (o->types[i] && !strcmp(r->type, type_names[i]))
			return true;
	return false;
}

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b))

static int cmp_key(enum sort_key k, const struct row *a, const struct row *b)
{
	switch (k) {
	case SORT_PID:
		return CMP(a->pid, b->pid);
	case SORT_COMM:
		return strcmp(a->comm, b->comm);
	case SORT_TABLE:
		return CMP(a->table, b->table);
	case SORT_HANDLE:
		return CMP(a->handle, b->handle);
	case SORT_TYPE:
		return strcmp(a->type, b->type);
	case SORT_KOID:
		return CMP(a->koid, b->koid);
	case SORT_RIGHTS:
		return CMP(a->rights, b->rights);
	case SORT_PEER:
		return CMP(a->peer, b->peer);
	case SORT_QUEUED:
		if (a->q_msgs != b->q_msgs)
			return CMP(a->q_msgs, b->q_msgs);
		return CMP(a->q_bytes, b->q_bytes);
	}
	return 0;
}

struct sorter {
	const struct row *rows;
	enum sort_key key;
	bool reverse;
};

/* the chosen column, then pid, table and handle: one order for equal keys */
static int cmp_rows(const struct row *a, const struct row *b,
		    const struct sorter *st)
{
	int c = cmp_key(st->key, a, b);

	if (st->reverse)
		c = -c;
	if (!c)
		c = cmp_key(SORT_PID, a, b);
	if (!c)
		c = cmp_key(SORT_TABLE, a, b);
	if (!c)
		c = cmp_key(SORT_HANDLE, a, b);
	return c;
}

static int cmp_index(const void *pa, const void *pb, void *arg)
{
	const struct sorter *st = arg;

	return cmp_rows(&st->rows[*(const size_t *)pa],
			&st->rows[*(const size_t *)pb], st);
}

/* The selected rows' indices, sorted. */
static size_t select_rows(const struct snapshot *s, const struct options *o,
			  size_t **out)
{
	struct sorter st = { s->rows, o->sort, o->reverse };
	size_t *idx = malloc((s->nrows + 1) * sizeof(*idx));
	size_t n = 0, i;

	if (!idx)
		die("out of memory");
	for (i = 0; i < s->nrows; i++)
		if (row_selected(o, &s->rows[i]))
			idx[n++] = i;
	qsort_r(idx, n, sizeof(*idx), cmp_index, &st);
	*out = idx;
	return n;
}

/* Rows, or carried handles, by koid: (koid, index) pairs, sorted. */
struct kindex {
	unsigned long long koid;
	size_t i;
};

static int cmp_kindex(const void *pa, const void *pb)
{
	const struct kindex *a = pa, *b = pb;

	if (a->koid != b->koid)
		return CMP(a->koid, b->koid);
	return CMP(a->i, b->i);
}

static struct kindex *kindex_rows(const struct snapshot *s)
{
	struct kindex *k = malloc((s->nrows + 1) * sizeof(*k));
	size_t i;

	if (!k)
		die("out of memory");
	for (i = 0; i < s->nrows; i++)
		k[i] = (struct kindex){ s->rows[i].koid, i };
	qsort(k, s->nrows, sizeof(*k), cmp_kindex);
	return k;
}

static struct kindex *kindex_carried(const struct snapshot *s)
{
	struct kindex *k = malloc((s->ncar + 1) * sizeof(*k));
	size_t i;

	if (!k)
		die("out of memory");
	for (i = 0; i < s->ncar; i++)
		k[i] = (struct kindex){ s->car[i].koid, i };
	qsort(k, s->ncar, sizeof(*k), cmp_kindex);
	return k;
}

/* The first entry for @koid in @k (n entries), or n. */
static size_t kindex_find(const struct kindex *k, size_t n,
			  unsigned long long koid)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (k[mid].koid < koid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && k[lo].koid == koid ? lo : n;
}

/* ----- output ---------------------------------------------------------- */

static void print_table(const struct snapshot *s, const struct options *o)
{
	char peer[24], queued[40];
	const struct row *r;
	size_t *idx, n, i;

	n = select_rows(s, o, &idx);
	printf("%-7s %-15s %5s %-10s %-9s %7s %-10s %7s %s\n", "PID", "COMM",
	       "TABLE", "HANDLE", "TYPE", "KOID", "RIGHTS", "PEER", "QUEUED");
	for (i = 0; i < n; i++) {
		r = &s->rows[idx[i]];
		if (r->peer)
			snprintf(peer, sizeof(peer), "%llu", r->peer);
		else
			snprintf(peer, sizeof(peer), "-");
		if (strcmp(r->type, "channel"))
			snprintf(queued, sizeof(queued), "-");
		else if (!r->has_queue)
			snprintf(queued, sizeof(queued), "?");
		else
			snprintf(queued, sizeof(queued), "%u/%llu", r->q_msgs,
				 r->q_bytes);
		printf("%-7d %-15s %5llu 0x%08x %-9s %7llu 0x%08x %7s %s\n",
		       r->pid, r->comm, r->table, r->handle, r->type, r->koid,
		       r->rights, peer, queued);
	}
	free(idx);
}

/* What --tree looks things up in. */
struct tree {
	const struct snapshot *s;
	struct kindex *rows, *car;
};

/* Who holds channel end @koid, one line each; its peer is @peer. */
static void tree_side(const struct tree *t, unsigned long long koid,
		      unsigned long long peer)
{
	const struct snapshot *s = t->s;
	bool found = false, closed = false;
	const struct row *r;
	size_t i;

	for (i = kindex_find(t->rows, s->nrows, koid);
	     i < s->nrows && t->rows[i].koid == koid; i++) {
		r = &s->rows[t->rows[i].i];
		printf("    %-7llu pid %d %s handle 0x%08x", koid, r->pid,
		       r->comm, r->handle);
		if (r->has_queue)
			printf(" queued %u/%llu", r->q_msgs, r->q_bytes);
		printf("\n");
		found = true;
	}
	for (i = kindex_find(t->car, s->ncar, koid);
	     i < s->ncar && t->car[i].koid == koid; i++) {
		printf("    %-7llu in flight in channel %llu\n", koid,
		       s->car[t->car[i].i].at);
		found = true;
	}
	if (found)
		return;
	/* the peer's handles say whether this end closed */
	for (i = kindex_find(t->rows, s->nrows, peer);
	     i < s->nrows && t->rows[i].koid == peer; i++) {
		r = &s->rows[t->rows[i].i];
		closed |= r->has_queue && r->peer_closed;
	}
	if (closed)
		printf("    %-7llu closed\n", koid);
	else if (s->uninspected)
		printf("    %-7llu nobody seen (processes not inspected)\n",
		       koid);
	else
		printf("    %-7llu nobody\n", koid);
}

struct pair {
	unsigned long long lo, hi;
};

static int cmp_pair(const void *pa, const void *pb)
{
	const struct pair *a = pa, *b = pb;

	if (a->lo != b->lo)
		return CMP(a->lo, b->lo);
	return CMP(a->hi, b->hi);
}

static void print_tree(const struct snapshot *s, const struct options *o)
{
	struct tree t = { s, kindex_rows(s), kindex_carried(s) };
	struct pair *pairs;
	size_t *idx, n, np = 0, i;
	const struct row *r;

	n = select_rows(s, o, &idx);
	pairs = malloc((n + 1) * sizeof(*pairs));
	if (!pairs)
		die("out of memory");
	for (i = 0; i < n; i++) {
		r = &s->rows[idx[i]];
		if (strcmp(r->type, "channel"))
			continue;
		pairs[np].lo = r->koid < r->peer ? r->koid : r->peer;
		pairs[np++].hi = r->koid < r->peer ? r->peer : r->koid;
	}
	qsort(pairs, np, sizeof(*pairs), cmp_pair);
	for (i = 0; i < np; i++) {
		if (i && !cmp_pair(&pairs[i - 1], &pairs[i]))
			continue;
		printf("channel %llu <-> %llu\n", pairs[i].lo, pairs[i].hi);
		tree_side(&t, pairs[i].lo, pairs[i].hi);
		tree_side(&t, pairs[i].hi, pairs[i].lo);
	}
	free(pairs);
	free(t.rows);
	free(t.car);
	free(idx);
}

/* An object in the graph: where it is drawn (0: outside every process). */
struct node {
	unsigned long long koid, related;
	const char *type;
	int pid;
	const char *comm;
};

/* by koid, then pid: the first of a koid's is its node */
static int cmp_node_koid(const void *pa, const void *pb)
{
	const struct node *a = pa, *b = pb;

	if (a->koid != b->koid)
		return CMP(a->koid, b->koid);
	return CMP(a->pid, b->pid);
}

/* by pid, then koid: the order they are drawn in */
static int cmp_node_pid(const void *pa, const void *pb)
{
	const struct node *a = pa, *b = pb;

	if (a->pid != b->pid)
		return CMP(a->pid, b->pid);
	return CMP(a->koid, b->koid);
}

/* @nodes (@n of them) sorted by koid, each once: does @koid have one? */
static bool has_node(const struct node *nodes, size_t n,
		     unsigned long long koid)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (nodes[mid].koid == koid)
			return true;
		if (nodes[mid].koid < koid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* Sort @nodes by koid and keep the first of each koid; their number. */
static size_t unique_nodes(struct node *nodes, size_t n)
{
	size_t i, m = 0;

	qsort(nodes, n, sizeof(*nodes), cmp_node_koid);
	for (i = 0; i < n; i++)
		if (!m || nodes[m - 1].koid != nodes[i].koid)
			nodes[m++] = nodes[i];
	return m;
}

static void dot_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void print_dot(FILE *f, const struct snapshot *s,
		      const struct options *o)
{
	struct node *nodes, *drawn, *nd;
	size_t *idx, n, nn = 0, nc = 0, i;
	const struct row *r;
	const struct carried *c;
	char label[64];
	int pid = 0;

	/* an object held by several processes goes to the lowest pid */
	n = select_rows(s, o, &idx);
	nodes = malloc((n + s->ncar + 1) * sizeof(*nodes));
	if (!nodes)
		die("out of memory");
	for (i = 0; i < n; i++) {
		r = &s->rows[idx[i]];
		nodes[nn++] = (struct node){ r->koid, r->peer, r->type,
					     r->pid, r->comm };
	}
	nn = unique_nodes(nodes, nn);
	/* what the shown ends' queues carry, drawn outside the processes */
	for (i = 0; i < s->ncar; i++) {
		c = &s->car[i];
		if (has_node(nodes, nn, c->at) && !has_node(nodes, nn, c->koid))
			nodes[nn + nc++] = (struct node){ c->koid, c->related,
							  c->type, 0, NULL };
	}
	nc = unique_nodes(nodes + nn, nc);
	nn += nc;
	qsort(nodes, nn, sizeof(*nodes), cmp_node_koid);

	drawn = malloc((nn + 1) * sizeof(*drawn));
	if (!drawn)
		die("out of memory");
	memcpy(drawn, nodes, nn * sizeof(*drawn));
	qsort(drawn, nn, sizeof(*drawn), cmp_node_pid);

	fprintf(f, "digraph mxchan {\n\tnode [shape=box];\n");
	/* a cluster for each process with an object drawn in it */
	for (i = 0; i < nn; i++) {
		nd = &drawn[i];
		if (!nd->pid)
			continue;
		if (nd->pid != pid) {
			if (pid)
				fprintf(f, "\t}\n");
			pid = nd->pid;
			snprintf(label, sizeof(label), "%s (%d)", nd->comm,
				 nd->pid);
			fprintf(f, "\tsubgraph cluster_%d {\n\t\tlabel=", pid);
			dot_string(f, label);
			fprintf(f, ";\n");
		}
		fprintf(f, "\t\t\"o%llu\" [label=\"%s %llu\"];\n", nd->koid,
			nd->type, nd->koid);
	}
	if (pid)
		fprintf(f, "\t}\n");
	for (i = 0; i < nn; i++)
		if (!drawn[i].pid)
			fprintf(f, "\t\"o%llu\" [label=\"%s %llu\"];\n",
				drawn[i].koid, drawn[i].type, drawn[i].koid);
	/* peers, once a pair */
	for (i = 0; i < nn; i++) {
		nd = &nodes[i];
		if (nd->related > nd->koid && has_node(nodes, nn, nd->related))
			fprintf(f, "\t\"o%llu\" -> \"o%llu\" [dir=none];\n",
				nd->koid, nd->related);
	}
	/* handles in flight: from the end whose queue holds them */
	for (i = 0; i < s->ncar; i++)
		if (has_node(nodes, nn, s->car[i].at))
			fprintf(f, "\t\"o%llu\" -> \"o%llu\" [style=dashed];\n",
				s->car[i].at, s->car[i].koid);
	fprintf(f, "}\n");
	free(drawn);
	free(nodes);
	free(idx);
}

static bool on_path(const char *prog)
{
	const char *path = getenv("PATH"), *p, *end;
	char file[PATH_MAX];
	size_t len;

	if (!path)
		return false;
	for (p = path; ; p = end + 1) {
		end = strchr(p, ':');
		len = end ? (size_t)(end - p) : strlen(p);
		if (len && len < sizeof(file) - strlen(prog) - 2) {
			snprintf(file, sizeof(file), "%.*s/%s", (int)len, p,
				 prog);
			if (!access(file, X_OK))
				return true;
		}
		if (!end)
			return false;
	}
}

/* The graph through dot -Tsvg into @file. */
static void write_svg(const struct snapshot *s, const struct options *o)
{
	char out[PATH_MAX + 3];
	int fds[2], status;
	FILE *f;
	pid_t pid;

	/* one argument, so that a name starting with '-' is no option */
	if (snprintf(out, sizeof(out), "-o%s", o->svg) >= (int)sizeof(out))
		die("--svg: file name too long");
	if (!on_path("dot"))
		die("--svg needs Graphviz's dot, which is not on PATH (install graphviz, or use --dot)");
	if (pipe(fds))
		die("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (!pid) {
		dup2(fds[0], 0);
		close(fds[0]);
		close(fds[1]);
		execlp("dot", "dot", "-Tsvg", out, (char *)NULL);
		_exit(127);
	}
	close(fds[0]);
	f = fdopen(fds[1], "w");
	if (!f)
		die("fdopen: %s", strerror(errno));
	/* a dot that exits early is reported below, not by SIGPIPE */
	signal(SIGPIPE, SIG_IGN);
	print_dot(f, s, o);
	if (fclose(f) | (waitpid(pid, &status, 0) != pid) ||
	    !WIFEXITED(status) || WEXITSTATUS(status))
		die("dot -Tsvg -o %s failed", o->svg);
}

/*
 * On standard error, after the output: each table fdinfo listed in part,
 * then how many processes could not be inspected.
 */
static void report_notes(const struct snapshot *s)
{
	size_t i;

	for (i = 0; i < s->ncuts; i++)
		fprintf(stderr,
			"mxstat: table %llu of pid %d: %zu of %u handles shown (fdinfo lists %d; %s for all)\n",
			s->cuts[i].table, s->cuts[i].pid, s->cuts[i].shown,
			s->cuts[i].count, FDINFO_HANDLES,
			geteuid() ? "run as root" : "drop --fdinfo");
	if (s->uninspected)
		fprintf(stderr,
			"mxstat: %d process%s not inspected (not permitted; run as root for all)\n",
			s->uninspected, s->uninspected == 1 ? "" : "es");
}

/* ----- main ------------------------------------------------------------ */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mxstat [-p PID[,PID...]] [-t TYPE[,TYPE...]] [-k KOID[,KOID...]]\n"
		"              [-s COLUMN] [-r] [--fdinfo]\n"
		"              [--tree | --dot | --svg FILE | --watch[=SECONDS]]\n"
		"Who holds which mxchan handles: one row per handle (see mxstat(1)).\n"
		"  -p PID      only these processes (repeat, or a comma list)\n"
		"  -t TYPE     only these types: channel event eventpair port fifo\n"
		"              socket vmo vmar timer\n"
		"  -k KOID     only handles to KOID or to its peer\n"
		"  -s COLUMN   sort by pid comm table handle type koid rights peer queued\n"
		"  -r          reverse the sort\n"
		"  --tree      channels as pairs of ends, with their holders\n"
		"  --dot       a Graphviz graph on stdout\n"
		"  --svg FILE  the graph drawn by dot -Tsvg into FILE\n"
		"  --watch[=SECONDS]  redraw the table every SECONDS (2)\n"
		"  --fdinfo    read /proc/PID/fdinfo even as root\n");
}

static void check_system(const struct options *o)
{
	struct statfs fs;
	struct stat st;
	size_t i;
	char path[64];

	if (stat(MODULE_DIR, &st))
		die("the mxchan module is not loaded (no " MODULE_DIR ")");
	for (i = 0; i < o->pids.n; i++) {
		snprintf(path, sizeof(path), "/proc/%llu", o->pids.v[i]);
		if (stat(path, &st))
			die("no process with pid %llu", o->pids.v[i]);
	}
	if (o->fdinfo || geteuid() != 0)
		return;
	if (statfs(DEBUGFS_ROOT, &fs) ||
	    (unsigned long)fs.f_type != DEBUGFS_MAGIC_NR)
		die("debugfs is not mounted on " DEBUGFS_ROOT
		    " (mount -t debugfs none " DEBUGFS_ROOT ", or use --fdinfo)");
	if (stat(DEBUGFS_DIR "/tables", &st))
		die("no " DEBUGFS_DIR "/tables: the module has no debugfs files (use --fdinfo)");
}

static void parse_options(struct options *o, int argc, char **argv)
{
	enum { OPT_TREE = 256, OPT_DOT, OPT_SVG, OPT_WATCH, OPT_FDINFO };
	static const struct option longopts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "type", required_argument, NULL, 't' },
		{ "koid", required_argument, NULL, 'k' },
		{ "sort", required_argument, NULL, 's' },
		{ "reverse", no_argument, NULL, 'r' },
		{ "tree", no_argument, NULL, OPT_TREE },
		{ "dot", no_argument, NULL, OPT_DOT },
		{ "svg", required_argument, NULL, OPT_SVG },
		{ "watch", optional_argument, NULL, OPT_WATCH },
		{ "fdinfo", no_argument, NULL, OPT_FDINFO },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, modes = 0;
	long long v;
	size_t i;

	memset(o, 0, sizeof(*o));
	o->interval = 2;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":p:t:k:s:rh", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'p':
			parse_list(&o->pids, optarg, "pid", 1, INT_MAX);
			break;
		case 't':
			parse_types(o, optarg);
			break;
		case 'k':
			parse_list(&o->koids, optarg, "koid", 1, LLONG_MAX);
			break;
		case 's':
			for (i = 0; i < sizeof(sort_names) / sizeof(*sort_names); i++)
				if (!strcmp(optarg, sort_names[i]))
					break;
			if (i == sizeof(sort_names) / sizeof(*sort_names))
				die("unknown sort column '%s' (pid, comm, table, handle, type, koid, rights, peer, queued)",
				    optarg);
			o->sort = (enum sort_key)i;
			break;
		case 'r':
			o->reverse = true;
			break;
		case OPT_TREE:
			o->mode = MODE_TREE;
			modes++;
			break;
		case OPT_DOT:
			o->mode = MODE_DOT;
			modes++;
			break;
		case OPT_SVG:
			if (!*optarg)
				die("--svg needs a file name");
			o->mode = MODE_SVG;
			o->svg = optarg;
			modes++;
			break;
		case OPT_WATCH:
			o->watch = true;
			modes++;
			if (optarg) {
				v = parse_num(optarg, 1, 86400);
				if (v < 0)
					die("bad interval '%s' (whole seconds, 1 to 86400)",
					    optarg);
				o->interval = (unsigned int)v;
			}
			break;
		case OPT_FDINFO:
			o->fdinfo = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case ':':
			die("option %s needs a value (mxstat --help)",
			    argv[optind - 1]);
			break;
		default:
			if (optopt)
				die("unknown option -%c (mxstat --help)", optopt);
			die("unknown option %s (mxstat --help)",
			    argv[optind - 1]);
		}
	}
	if (optind < argc)
		die("unexpected argument '%s' (mxstat --help)", argv[optind]);
	if (modes > 1)
		die("--tree, --dot, --svg and --watch exclude each other");
}

int main(int argc, char **argv)
{
	struct options o;
	struct snapshot s;
	char stamp[32];
	time_t now;

	parse_options(&o, argc, argv);
	check_system(&o);
	if (o.watch) {
		for (;;) {
			collect(&s, &o);
			now = time(NULL);
			strftime(stamp, sizeof(stamp), "%H:%M:%S",
				 localtime(&now));
			printf("\033[H\033[2J" "mxstat, every %us, %s\n\n",
			       o.interval, stamp);
			print_table(&s, &o);
			report_notes(&s);
			fflush(stdout);
			release(&s);
			sleep(o.interval);
		}
	}
	collect(&s, &o);
	switch (o.mode) {
	case MODE_TABLE:
		print_table(&s, &o);
		break;
	case MODE_TREE:
		print_tree(&s, &o);
		break;
	case MODE_DOT:
		print_dot(stdout, &s, &o);
		break;
	case MODE_SVG:
		write_svg(&s, &o);
		break;
	}
	report_notes(&s);
	release(&s);
	free(o.pids.v);
	free(o.koids.v);
	if (fflush(stdout) || ferror(stdout))
		die("cannot write the output");
	return 0;
}
