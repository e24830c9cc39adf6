// SPDX-License-Identifier: MIT
/*
 * mxbench: mxchan against the Linux IPC a user would otherwise pick.
 *
 * Every row times two sides in turn, several rounds, and reports the
 * ratio mxchan / peer as min, median and max over the rounds. Each side
 * is calibrated once so that one sample takes about the sample time;
 * rounds alternate which side goes first. Absolute figures are this
 * machine's; under an emulator (QEMU TCG) they are the guest's clock and
 * only the ratios mean something.
 *
 *   mxbench [-r ROUNDS] [-s SAMPLE_MS] [-c SUBSTRING] [--quick]
 *           [--handles N] [--note TEXT] [--mx-only] [--markdown]
 *
 * --mx-only times only the mxchan side of each row, for a profiler.
 * --markdown prints the rows as a Markdown table (BENCHMARKS.md's).
 *
 * Exit status 0 when every row ran (met or missed targets alike), 1 on
 * any failure of a call, 2 on bad arguments.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/mxchan.h>
#include <magenta/process.h>
#include <magenta/processargs.h>
#include <magenta/status.h>
#include <magenta/syscalls.h>
#include <mxchan.h>

#define MAX_HANDLES	64
#define MAX_BYTES	65536
#define ECHO_ID		PA_HND(PA_USER0, 0)

static struct {
	int rounds;
	double sample_ns;
	const char *only;
	const char *note;
	long handles;		/* live handles in the scaling case */
	long queued;		/* queued messages in the scaling case */
	long parked;		/* calls parked on the reader, scaling case */
	bool mx_only;		/* time only the mxchan side (to profile it) */
	bool markdown;		/* rows as a Markdown table */
	int met, missed, rows;
} opt = {
	.rounds = 7,
	.sample_ns = 20e6,
	.handles = 1000000,
	.queued = 5000,
	.parked = 8192,
};

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "mxbench: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

static void check_mx(mx_status_t s, const char *what)
{
	if (s != MX_OK)
		die("%s: %s", what, mx_status_get_string(s));
}

static void check_sys(long r, const char *what)
{
	if (r < 0)
		die("%s: %s", what, strerror(errno));
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	check_sys(sched_setaffinity(0, sizeof(set), &set), "sched_setaffinity");
}

static int ncpus(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set))
		return 1;
	return CPU_COUNT(&set);
}

static void unpin(void)
{
	cpu_set_t set;
	int i, n = (int)sysconf(_SC_NPROCESSORS_ONLN);

	CPU_ZERO(&set);
	for (i = 0; i < n && i < CPU_SETSIZE; i++)
		CPU_SET(i, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* --- the measuring loop --------------------------------------------------- */

/* One side of a row: op runs n iterations of what is measured. */
struct side {
	const char *name;
	void (*op)(void *ctx, long n);
	void *ctx;
	long n;			/* iterations per sample, from calibrate() */
	/* instead of op: runs n iterations, returns the ns they took */
	double (*timed)(void *ctx, long n);
};

static double sample(struct side *s)
{
	double t;

	if (s->timed)
		return s->timed(s->ctx, s->n) / s->n;
	t = now_ns();
	s->op(s->ctx, s->n);
	return (now_ns() - t) / s->n;
}

/* Find how many iterations take about one sample time (warms up too). */
static void calibrate(struct side *s)
{
	double t;

	s->n = 1;
	for (;;) {
		t = sample(s) * s->n;
		if (t >= opt.sample_ns / 4 || s->n >= (1L << 30))
			break;
		s->n *= 2;
	}
	if (t > 0)
		s->n = (long)(s->n * opt.sample_ns / t);
	if (s->n < 1)
		s->n = 1;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static bool wanted(const char *name)
{
	return !opt.only || strstr(name, opt.only);
}

/*
 * Time @mx against @peer and print the row; @target is the most the
 * median ratio may be (0: a reference row, no target).
 */
static void row(const char *name, struct side mx, struct side peer,
		double target)
{
	double ratio[64], tm[64], tp[64];
	int r, n = opt.rounds;
	const char *verdict = "";

	if (!wanted(name))
		return;
	calibrate(&mx);
	if (opt.mx_only) {
		for (r = 0; r < n; r++)
			tm[r] = sample(&mx);
		qsort(tm, n, sizeof(double), cmp_double);
		printf("%-28s %9.0f\n", name, tm[n / 2]);
		return;
	}
	calibrate(&peer);
	for (r = 0; r < n; r++) {
		if (r & 1) {
			tp[r] = sample(&peer);
			tm[r] = sample(&mx);
		} else {
			tm[r] = sample(&mx);
			tp[r] = sample(&peer);
		}
		ratio[r] = tm[r] / tp[r];
	}
	qsort(ratio, n, sizeof(double), cmp_double);
	qsort(tm, n, sizeof(double), cmp_double);
	qsort(tp, n, sizeof(double), cmp_double);
	opt.rows++;
	if (target > 0) {
		bool met = ratio[n / 2] <= target;

		verdict = met ? "met" : "MISSED";
		if (met)
			opt.met++;
		else
			opt.missed++;
	}
	if (opt.markdown) {
		printf("| %s | %.0f | %s | %.0f | %.2f / %.2f / %.2f | ", name,
		       tm[n / 2], peer.name, tp[n / 2], ratio[0],
		       ratio[n / 2], ratio[n - 1]);
		if (target > 0)
			printf("<= %.2f %s |\n", target, verdict);
		else
			printf("- |\n");
		fflush(stdout);
		return;
	}
	printf("%-28s %9.0f  %-24s %9.0f  %5.2f %5.2f %5.2f  ", name,
	       tm[n / 2], peer.name, tp[n / 2], ratio[0], ratio[n / 2],
	       ratio[n - 1]);
	if (target > 0)
		printf("<=%-5.2f %s\n", target, verdict);
	else
		printf("%-7s %s\n", "-", "reference");
	fflush(stdout);
}

/* --- mxchan sides ----------------------------------------------------------- */

static char buf_w[MAX_BYTES], buf_r[MAX_BYTES];

struct mx_rw {
	mx_handle_t w, r;
	uint32_t size;
};

static void op_mx_rw(void *p, long n)
{
	struct mx_rw *c = p;
	uint32_t nb, nh;

	while (n--) {
		check_mx(mx_channel_write(c->w, 0, buf_w, c->size, NULL, 0),
			 "mx_channel_write");
		check_mx(mx_channel_read(c->r, 0, buf_r, NULL, MAX_BYTES, 0,
					 &nb, &nh), "mx_channel_read");
	}
}

static void mx_rw_open(struct mx_rw *c, uint32_t size)
{
	check_mx(mx_channel_create(0, &c->w, &c->r), "mx_channel_create");
	c->size = size;
}

static void mx_rw_close(struct mx_rw *c)
{
	mx_handle_close(c->w);
	mx_handle_close(c->r);
}

/* A FIFO's element in and out: 16 bytes, one element of a 64-deep ring. */
#define FIFO_ELEM	16

struct mx_fifo_rw {
	mx_handle_t w, r;
};

static void op_mx_fifo(void *p, long n)
{
	struct mx_fifo_rw *c = p;
	uint32_t k;

	while (n--) {
		check_mx(mx_fifo_write(c->w, buf_w, FIFO_ELEM, &k),
			 "mx_fifo_write");
		check_mx(mx_fifo_read(c->r, buf_r, FIFO_ELEM, &k),
			 "mx_fifo_read");
		if (k != 1)
			die("mx_fifo_read: %u elements", k);
	}
}

/* Bytes through a stream socket: written whole, read whole. */
struct mx_sock_rw {
	mx_handle_t w, r;
	size_t size;
};

static void op_mx_socket(void *p, long n)
{
	struct mx_sock_rw *c = p;
	size_t k;

	while (n--) {
		check_mx(mx_socket_write(c->w, 0, buf_w, c->size, &k),
			 "mx_socket_write");
		if (k != c->size)
			die("mx_socket_write: %zu of %zu bytes", k, c->size);
		check_mx(mx_socket_read(c->r, 0, buf_r, MAX_BYTES, &k),
			 "mx_socket_read");
		if (k != c->size)
			die("mx_socket_read: %zu of %zu bytes", k, c->size);
	}
}

/* A VMO written whole and read back whole, at offset 0. */
struct mx_vmo_rw {
	mx_handle_t vmo;
	char *w, *r;
	size_t size;
};

static void op_mx_vmo(void *p, long n)
{
	struct mx_vmo_rw *c = p;
	size_t k;

	while (n--) {
		check_mx(mx_vmo_write(c->vmo, c->w, 0, c->size, &k),
			 "mx_vmo_write");
		if (k != c->size)
			die("mx_vmo_write: %zu of %zu bytes", k, c->size);
		check_mx(mx_vmo_read(c->vmo, c->r, 0, c->size, &k),
			 "mx_vmo_read");
		if (k != c->size)
			die("mx_vmo_read: %zu of %zu bytes", k, c->size);
	}
}

/* The same through a memfd: pwrite and pread at offset 0. */
struct memfd_rw {
	int fd;
	char *w, *r;
	size_t size;
};

static void op_memfd(void *p, long n)
{
	struct memfd_rw *c = p;

	while (n--) {
		if (pwrite(c->fd, c->w, c->size, 0) != (ssize_t)c->size)
			die("pwrite: %s", strerror(errno));
		if (pread(c->fd, c->r, c->size, 0) != (ssize_t)c->size)
			die("pread: %s", strerror(errno));
	}
}

/* The cheapest mxchan ioctl: closing handle 0, which succeeds at once. */
struct null_ioctl {
	int fd;
	unsigned long cmd;
	int times;
};

/* A table of its own for the null ioctl: which one does not matter. */
static int null_table(void)
{
	static int fd = -1;

	if (fd < 0)
		check_mx(mxchan_table_create(&fd), "mxchan_table_create");
	return fd;
}

static void op_null_ioctl(void *p, long n)
{
	struct null_ioctl *c = p;
	int i;

	while (n--)
		for (i = 0; i < c->times; i++)
			ioctl(c->fd, c->cmd, 0);
}

struct mx_handles {
	mx_handle_t w, r;
	mx_handle_t hs[MAX_HANDLES];
	uint32_t k;
};

static void op_mx_handles(void *p, long n)
{
	struct mx_handles *c = p;
	uint32_t nb, nh;

	while (n--) {
		check_mx(mx_channel_write(c->w, 0, buf_w, 16, c->hs, c->k),
			 "mx_channel_write (handles)");
		check_mx(mx_channel_read(c->r, 0, buf_r, c->hs, MAX_BYTES,
					 MAX_HANDLES, &nb, &nh),
			 "mx_channel_read (handles)");
		if (nh != c->k)
			die("read %u handles, sent %u", nh, c->k);
	}
}

static void op_mx_create(void *p, long n)
{
	mx_handle_t a, b;

	(void)p;
	while (n--) {
		check_mx(mx_channel_create(0, &a, &b), "mx_channel_create");
		check_mx(mx_handle_close(a), "mx_handle_close");
		check_mx(mx_handle_close(b), "mx_handle_close");
	}
}

/*
 * Round trips with an echo server in another process (echo_main): in
 * Magenta's shape (wait, read, write: 3 calls a request), or with
 * @reply_read (mxchan_channel_reply_read: 1 call a request).
 */
struct mx_echo {
	mx_handle_t h;
	pid_t pid;
	bool reply_read;
};

static void op_mx_pingpong(void *p, long n)
{
	struct mx_echo *c = p;
	mx_signals_t seen;
	uint32_t nb, nh;

	while (n--) {
		check_mx(mx_channel_write(c->h, 0, buf_w, 64, NULL, 0),
			 "mx_channel_write (ping)");
		check_mx(mx_object_wait_one(c->h, MX_CHANNEL_READABLE |
					    MX_CHANNEL_PEER_CLOSED,
					    MX_TIME_INFINITE, &seen),
			 "mx_object_wait_one");
		check_mx(mx_channel_read(c->h, 0, buf_r, NULL, MAX_BYTES, 0,
					 &nb, &nh), "mx_channel_read (pong)");
	}
}

static void op_mx_call(void *p, long n)
{
	struct mx_echo *c = p;
	mx_channel_call_args_t args = {
		.wr_bytes = buf_w,
		.wr_num_bytes = 64,
		.rd_bytes = buf_r,
		.rd_num_bytes = MAX_BYTES,
	};
	mx_status_t rs;
	uint32_t nb, nh;

	while (n--)
		check_mx(mx_channel_call(c->h, 0, MX_TIME_INFINITE, &args,
					 &nb, &nh, &rs), "mx_channel_call");
}

/* Each request back as its reply; the reply goes with the next read. */
static int echo_reply_read(mx_handle_t h)
{
	mx_channel_call_args_t args = {
		.wr_bytes = buf_r,
		.rd_bytes = buf_r,
		.rd_num_bytes = MAX_BYTES,
	};
	uint32_t nb, nh;
	mx_status_t s;

	s = mxchan_channel_read_wait(h, 0, MX_TIME_INFINITE, buf_r, NULL,
				     MAX_BYTES, 0, &nb, &nh);
	while (s == MX_OK) {
		args.wr_num_bytes = nb;
		s = mxchan_channel_reply_read(h, 0, MX_TIME_INFINITE, &args,
					      &nb, &nh);
	}
	if (s == MX_ERR_PEER_CLOSED)
		return 0;
	die("echo: reply_read: %s", mx_status_get_string(s));
	return 1;
}

static int echo_main(bool reply_read)
{
	mx_handle_t h = mx_get_startup_handle(ECHO_ID);
	mx_signals_t seen;
	uint32_t nb, nh;
	mx_status_t s;

	if (h == MX_HANDLE_INVALID)
		die("echo: no startup handle");
	if (reply_read)
		return echo_reply_read(h);
	for (;;) {
		s = mx_object_wait_one(h, MX_CHANNEL_READABLE |
				       MX_CHANNEL_PEER_CLOSED,
				       MX_TIME_INFINITE, &seen);
		if (s != MX_OK)
			die("echo: wait: %s", mx_status_get_string(s));
		s = mx_channel_read(h, 0, buf_r, NULL, MAX_BYTES, 0, &nb, &nh);
		if (s == MX_ERR_PEER_CLOSED)
			return 0;
		check_mx(s, "echo: read");
		check_mx(mx_channel_write(h, 0, buf_r, nb, NULL, 0),
			 "echo: write");
	}
}

static void mx_echo_start(struct mx_echo *c)
{
	static const uint32_t ids[] = { ECHO_ID };
	char *argv[] = { "mxbench",
			 c->reply_read ? "--echo-reply-read" : "--echo", NULL };
	char path[4096];
	mx_handle_t theirs;
	ssize_t len;

	len = readlink("/proc/self/exe", path, sizeof(path) - 1);
	check_sys(len, "readlink /proc/self/exe");
	path[len] = 0;
	check_mx(mx_channel_create(0, &c->h, &theirs), "mx_channel_create");
	check_mx(mxchan_spawn(path, argv, NULL, 1, &theirs, ids, &c->pid),
		 "mxchan_spawn");
}

/* Wait for echo server @pid, which must exit with status 0. */
static void reap(pid_t pid, const char *what)
{
	int st;

	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		die("%s failed (status %#x)", what, st);
}

static void mx_echo_stop(struct mx_echo *c)
{
	mx_handle_close(c->h);
	reap(c->pid, "echo server");
}

/* Raw ioctls on a table of its own, for the scaling rows. */
struct raw_rw {
	int fd;
	uint32_t w, r, size;
};

static void op_raw_rw(void *p, long n)
{
	struct raw_rw *c = p;
	struct mxchan_channel_write wa = {
		.handle = c->w, .bytes = (uintptr_t)buf_w,
		.num_bytes = c->size,
	};
	struct mxchan_channel_read ra;

	while (n--) {
		check_sys(ioctl(c->fd, MXCHAN_IOC_CHANNEL_WRITE, &wa),
			  "CHANNEL_WRITE");
		ra = (struct mxchan_channel_read){
			.handle = c->r, .bytes = (uintptr_t)buf_r,
			.num_bytes = MAX_BYTES,
		};
		check_sys(ioctl(c->fd, MXCHAN_IOC_CHANNEL_READ, &ra),
			  "CHANNEL_READ");
	}
}

static void raw_rw_open(struct raw_rw *c, int fd, uint32_t size)
{
	struct mxchan_channel_create a = {
		.out0 = (uintptr_t)&c->w, .out1 = (uintptr_t)&c->r,
	};

	check_sys(ioctl(fd, MXCHAN_IOC_CHANNEL_CREATE, &a), "CHANNEL_CREATE");
	c->fd = fd;
	c->size = size;
}

static void raw_rw_close(struct raw_rw *c)
{
	check_sys(ioctl(c->fd, MXCHAN_IOC_HANDLE_CLOSE, (unsigned long)c->w),
		  "HANDLE_CLOSE");
	check_sys(ioctl(c->fd, MXCHAN_IOC_HANDLE_CLOSE, (unsigned long)c->r),
		  "HANDLE_CLOSE");
}

/* --- Linux sides ------------------------------------------------------------ */

struct fd_rw {
	int w, r;
	size_t size;
};

static void op_fd_rw(void *p, long n)
{
	struct fd_rw *c = p;

	while (n--) {
		if (write(c->w, buf_w, c->size) != (ssize_t)c->size)
			die("write: %s", strerror(errno));
		if (read(c->r, buf_r, MAX_BYTES) != (ssize_t)c->size)
			die("read: %s", strerror(errno));
	}
}

static void seqpacket(int sv[2])
{
	int sz = 4 * MAX_BYTES;

	check_sys(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv),
		  "socketpair");
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
}

static void fd_rw_seqpacket(struct fd_rw *c, size_t size)
{
	int sv[2];

	seqpacket(sv);
	c->w = sv[0];
	c->r = sv[1];
	c->size = size;
}

static void fd_rw_pipe(struct fd_rw *c, size_t size)
{
	int p[2];

	check_sys(pipe2(p, O_CLOEXEC), "pipe2");
	/* room for a whole 64 KiB write */
	fcntl(p[1], F_SETPIPE_SZ, 2 * MAX_BYTES);
	c->w = p[1];
	c->r = p[0];
	c->size = size;
}

static void fd_rw_close(struct fd_rw *c)
{
	close(c->w);
	close(c->r);
}

/*
 * SCM_RIGHTS: k fds ride along; the receiver closes what it gets, as a
 * skilled one would: with one close_range() when they are consecutive
 * (they are: the kernel gives the lowest free fds). Unlike a channel,
 * SCM_RIGHTS copies: the sender keeps its fds.
 */
struct fd_pass {
	int w, r;
	int fds[MAX_HANDLES];
	int k;
};

static void op_fd_pass(void *p, long n)
{
	struct fd_pass *c = p;
	union {
		char buf[CMSG_SPACE(sizeof(int) * MAX_HANDLES)];
		struct cmsghdr align;
	} cs, cr;
	struct iovec iw = { buf_w, 16 }, ir = { buf_r, MAX_BYTES };
	struct msghdr mw = {
		.msg_iov = &iw, .msg_iovlen = 1,
		.msg_control = cs.buf,
		.msg_controllen = CMSG_SPACE(sizeof(int) * c->k),
	};
	struct msghdr mr;
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mw);
	int fds[MAX_HANDLES];
	int i, got, lo, hi;

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int) * c->k);
	memcpy(CMSG_DATA(cm), c->fds, sizeof(int) * c->k);
	while (n--) {
		if (sendmsg(c->w, &mw, 0) != 16)
			die("sendmsg: %s", strerror(errno));
		mr = (struct msghdr){
			.msg_iov = &ir, .msg_iovlen = 1,
			.msg_control = cr.buf, .msg_controllen = sizeof(cr.buf),
		};
		if (recvmsg(c->r, &mr, 0) != 16)
			die("recvmsg: %s", strerror(errno));
		cm = CMSG_FIRSTHDR(&mr);
		if (!cm || cm->cmsg_type != SCM_RIGHTS)
			die("recvmsg: no fds");
		got = (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		if (got != c->k)
			die("recvmsg: %d fds, sent %d", got, c->k);
		memcpy(fds, CMSG_DATA(cm), got * sizeof(int));
		lo = hi = fds[0];
		for (i = 1; i < got; i++) {
			lo = fds[i] < lo ? fds[i] : lo;
			hi = fds[i] > hi ? fds[i] : hi;
		}
		if (hi - lo + 1 == got) {
			check_sys(close_range(lo, hi, 0), "close_range");
		} else {
			for (i = 0; i < got; i++)
				close(fds[i]);
		}
	}
}

static void op_socketpair(void *p, long n)
{
	int sv[2];

	(void)p;
	while (n--) {
		check_sys(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv),
			  "socketpair");
		close(sv[0]);
		close(sv[1]);
	}
}

/*
 * A SEQPACKET echo server in a child process. Bare, it blocks in read();
 * shaped like Magenta's API (@poll), both sides wait for POLLIN before
 * each read, as a Magenta program waits for READABLE: 6 calls a round.
 */
struct fd_echo {
	int fd;
	pid_t pid;
	bool poll;
};

static void wait_in(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	while (poll(&p, 1, -1) < 0)
		if (errno != EINTR)
			die("poll: %s", strerror(errno));
}

static void op_fd_pingpong(void *p, long n)
{
	struct fd_echo *c = p;

	while (n--) {
		if (write(c->fd, buf_w, 64) != 64)
			die("write (ping): %s", strerror(errno));
		if (c->poll)
			wait_in(c->fd);
		if (read(c->fd, buf_r, MAX_BYTES) != 64)
			die("read (pong): %s", strerror(errno));
	}
}

static void fd_echo_start(struct fd_echo *c)
{
	int sv[2];
	ssize_t len;

	seqpacket(sv);
	c->pid = fork();
	check_sys(c->pid, "fork");
	if (!c->pid) {
		/* only its own end: another server's must not stay open here */
		if (sv[1] > 3)
			close_range(3, sv[1] - 1, 0);
		close_range(sv[1] + 1, ~0U, 0);
		for (;;) {
			if (c->poll)
				wait_in(sv[1]);
			len = read(sv[1], buf_r, MAX_BYTES);
			if (len <= 0)
				break;
			if (write(sv[1], buf_r, len) != len)
				_exit(1);
		}
		_exit(len < 0);
	}
	close(sv[1]);
	c->fd = sv[0];
}

static void fd_echo_stop(struct fd_echo *c)
{
	close(c->fd);
	reap(c->pid, "SEQPACKET echo server");
}

/* --- two threads ------------------------------------------------------------- */

/*
 * @threads threads, thread i on CPU i, each doing n iterations of its own
 * side once all are pinned and ready; the time is the slowest thread's
 * loop, so thread start, migration and exit stay out of it.
 */
struct threads {
	int threads;
	struct side sides[2];
	pthread_barrier_t ready;
};

struct thread_arg {
	struct threads *c;
	struct side *s;
	long n;
	int cpu;
	double ns;
};

static void *thread_body(void *p)
{
	struct thread_arg *a = p;
	double t;

	pin(a->cpu);
	pthread_barrier_wait(&a->c->ready);
	t = now_ns();
	a->s->op(a->s->ctx, a->n);
	a->ns = now_ns() - t;
	return NULL;
}

static double timed_threads(void *p, long n)
{
	struct threads *c = p;
	struct thread_arg args[2];
	pthread_t tid[2];
	double ns = 0;
	int i;

	pthread_barrier_init(&c->ready, NULL, c->threads);
	for (i = 0; i < c->threads; i++) {
		args[i] = (struct thread_arg){ c, &c->sides[i], n, i, 0 };
		if (pthread_create(&tid[i], NULL, thread_body, &args[i]))
			die("pthread_create");
	}
	for (i = 0; i < c->threads; i++) {
		pthread_join(tid[i], NULL);
		if (args[i].ns > ns)
			ns = args[i].ns;
	}
	pthread_barrier_destroy(&c->ready);
	return ns;
}

#define THREADS(nm, c)	((struct side){ .name = (nm), .timed = timed_threads, .ctx = (c) })

/* --- the cases --------------------------------------------------------------- */

#define SIDE(nm, fn, c)	((struct side){ .name = (nm), .op = (fn), .ctx = (c) })

static void case_write_read(void)
{
	static const uint32_t sizes[] = { 64, 1024, 32768, 65536 };
	static const double seqpacket_targets[] = { 0.55, 0, 0, 0.9 };
	static const double pipe_targets[] = { 1.15, 0, 0, 0 };
	struct null_ioctl two_null = {
		.fd = null_table(), .cmd = MXCHAN_IOC_HANDLE_CLOSE, .times = 2,
	};
	char name[64], peer[64];
	struct fd_rw sp, pp;
	struct raw_rw raw;
	struct mx_rw mx;
	unsigned int i;

	for (i = 0; i < 4; i++) {
		uint32_t sz = sizes[i];
		const char *unit = sz >= 1024 ? "KiB" : "B";
		uint32_t v = sz >= 1024 ? sz / 1024 : sz;

		snprintf(name, sizeof(name), "write+read %u %s", v, unit);
		if (!wanted(name))
			continue;
		mx_rw_open(&mx, sz);
		fd_rw_seqpacket(&sp, sz);
		fd_rw_pipe(&pp, sz);
		snprintf(peer, sizeof(peer), "SEQPACKET %u %s", v, unit);
		row(name, SIDE("mxchan", op_mx_rw, &mx),
		    SIDE(peer, op_fd_rw, &sp), seqpacket_targets[i]);
		snprintf(peer, sizeof(peer), "pipe %u %s", v, unit);
		row(name, SIDE("mxchan", op_mx_rw, &mx),
		    SIDE(peer, op_fd_rw, &pp), pipe_targets[i]);
		/* like with like: raw ioctls on one table on both sides */
		if (sz == 64) {
			raw_rw_open(&raw, two_null.fd, sz);
			row("write+read 64 B, ioctls",
			    SIDE("mxchan", op_raw_rw, &raw),
			    SIDE("2 null mxchan ioctls", op_null_ioctl,
				 &two_null), 2.2);
			raw_rw_close(&raw);
		}
		mx_rw_close(&mx);
		fd_rw_close(&sp);
		fd_rw_close(&pp);
	}
}

/* A stream socket against an AF_UNIX stream socketpair, 64 B and 64 KiB. */
static void case_socket(void)
{
	static const uint32_t sizes[] = { 64, 65536 };
	char name[64], peer[64];
	struct mx_sock_rw m;
	struct fd_rw us;
	unsigned int i;
	int sv[2], sz = 4 * MAX_BYTES;

	for (i = 0; i < 2; i++) {
		uint32_t v = sizes[i] >= 1024 ? sizes[i] / 1024 : sizes[i];
		const char *unit = sizes[i] >= 1024 ? "KiB" : "B";

		snprintf(name, sizeof(name), "socket write+read %u %s", v,
			 unit);
		if (!wanted(name))
			continue;
		check_mx(mx_socket_create(0, &m.w, &m.r), "mx_socket_create");
		m.size = sizes[i];
		check_sys(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
				     sv), "socketpair");
		setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
		setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
		us = (struct fd_rw){ .w = sv[0], .r = sv[1], .size = sizes[i] };
		snprintf(peer, sizeof(peer), "STREAM %u %s", v, unit);
		row(name, SIDE("mxchan", op_mx_socket, &m),
		    SIDE(peer, op_fd_rw, &us), 1.0);
		mx_handle_close(m.w);
		mx_handle_close(m.r);
		fd_rw_close(&us);
	}
}

/*
 * A 1 MiB VMO written and read back, against a memfd of the same size
 * with pwrite and pread: both are shmem underneath. The buffers are
 * touched first, so neither side pays for their first faults.
 */
static void case_vmo(void)
{
	const size_t size = 1 << 20;
	const char *name = "vmo write+read 1 MiB";
	struct mx_vmo_rw m;
	struct memfd_rw f;
	char *w, *r;

	if (!wanted(name))
		return;
	w = malloc(size);
	r = malloc(size);
	if (!w || !r)
		die("malloc: out of memory");
	memset(w, 0x5a, size);
	memset(r, 0, size);
	check_mx(mx_vmo_create(size, 0, &m.vmo), "mx_vmo_create");
	m.w = w;
	m.r = r;
	m.size = size;
	f.fd = memfd_create("mxbench", MFD_CLOEXEC);
	if (f.fd < 0 || ftruncate(f.fd, size))
		die("memfd: %s", strerror(errno));
	f.w = w;
	f.r = r;
	f.size = size;
	row(name, SIDE("mxchan", op_mx_vmo, &m),
	    SIDE("memfd pwrite+pread 1 MiB", op_memfd, &f), 1.0);
	mx_handle_close(m.vmo);
	close(f.fd);
	free(w);
	free(r);
}

/* 16-byte elements through a FIFO, against the same through a pipe. */
static void case_fifo(void)
{
	struct mx_fifo_rw f;
	struct fd_rw pp;

	if (!wanted("fifo write+read 16 B"))
		return;
	check_mx(mx_fifo_create(64, FIFO_ELEM, 0, &f.w, &f.r),
		 "mx_fifo_create");
	fd_rw_pipe(&pp, FIFO_ELEM);
	row("fifo write+read 16 B", SIDE("mxchan", op_mx_fifo, &f),
	    SIDE("pipe 16 B", op_fd_rw, &pp), 1.0);
	mx_handle_close(f.w);
	mx_handle_close(f.r);
	fd_rw_close(&pp);
}

static void case_handles(void)
{
	static const int counts[] = { 1, 8, 64 };
	static const double targets[] = { 0, 0.35, 0.35 };
	char name[64], peer[64];
	struct mx_handles mx;
	struct fd_pass fp;
	unsigned int i;
	int j, sv[2];

	for (i = 0; i < 3; i++) {
		int k = counts[i];

		snprintf(name, sizeof(name), "%d handle%s", k, k > 1 ? "s" : "");
		if (!wanted(name))
			continue;
		check_mx(mx_channel_create(0, &mx.w, &mx.r), "mx_channel_create");
		mx.k = k;
		for (j = 0; j < k; j++)
			check_mx(mx_event_create(0, &mx.hs[j]), "mx_event_create");
		seqpacket(sv);
		fp.w = sv[0];
		fp.r = sv[1];
		fp.k = k;
		for (j = 0; j < k; j++) {
			fp.fds[j] = open("/dev/null", O_RDONLY | O_CLOEXEC);
			check_sys(fp.fds[j], "open /dev/null");
		}
		snprintf(peer, sizeof(peer), "SCM_RIGHTS %d fd%s", k,
			 k > 1 ? "s" : "");
		row(name, SIDE("mxchan", op_mx_handles, &mx),
		    SIDE(peer, op_fd_pass, &fp), targets[i]);
		for (j = 0; j < k; j++) {
			mx_handle_close(mx.hs[j]);
			close(fp.fds[j]);
		}
		mx_handle_close(mx.w);
		mx_handle_close(mx.r);
		close(sv[0]);
		close(sv[1]);
	}
}

static void case_create(void)
{
	if (wanted("create+close"))
		row("create+close", SIDE("mxchan", op_mx_create, NULL),
		    SIDE("socketpair+close", op_socketpair, NULL), 0.4);
}

static void case_null(void)
{
	struct null_ioctl mx = {
		.fd = null_table(), .cmd = MXCHAN_IOC_HANDLE_CLOSE, .times = 1,
	};
	struct null_ioctl dn = { .cmd = 0x12345678, .times = 1 };

	if (!wanted("null ioctl"))
		return;
	dn.fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	check_sys(dn.fd, "open /dev/null");
	row("null ioctl", SIDE("mxchan", op_null_ioctl, &mx),
	    SIDE("ioctl(/dev/null)", op_null_ioctl, &dn), 0);
	close(dn.fd);
}

static void case_round_trip(void)
{
	struct fd_echo fe = { .poll = false }, fp = { .poll = true };
	struct mx_echo mx = { .reply_read = false }, rr = { .reply_read = true };

	if (!wanted("round trip, ping-pong | round trip, channel_call"))
		return;
	/* both ends on one CPU: a cross-CPU wakeup measures the machine */
	pin(0);
	mx_echo_start(&mx);
	mx_echo_start(&rr);
	fd_echo_start(&fe);
	fd_echo_start(&fp);
	/* Magenta's shape (wait, then read) on both sides: 6 calls a round */
	row("round trip, ping-pong", SIDE("mxchan", op_mx_pingpong, &mx),
	    SIDE("SEQPACKET, poll+read", op_fd_pingpong, &fp), 0);
	/* against the bare form: blocking reads, 4 calls a round */
	row("round trip, ping-pong", SIDE("mxchan", op_mx_pingpong, &mx),
	    SIDE("SEQPACKET ping-pong", op_fd_pingpong, &fe), 0);
	/* a call against a server of wait, read and write: 4 calls a round */
	row("round trip, channel_call, 3-call server",
	    SIDE("mxchan", op_mx_call, &mx),
	    SIDE("SEQPACKET ping-pong", op_fd_pingpong, &fe), 0);
	/* against a server of reply_read: 2 calls a round, as the bare peer */
	row("round trip, channel_call", SIDE("mxchan", op_mx_call, &rr),
	    SIDE("SEQPACKET ping-pong", op_fd_pingpong, &fe), 0.6);
	mx_echo_stop(&mx);
	mx_echo_stop(&rr);
	fd_echo_stop(&fe);
	fd_echo_stop(&fp);
	unpin();
}

static void case_scaling(void)
{
	uint32_t ev_h, dup_h;
	struct mxchan_event_create ev = { .out = (uintptr_t)&ev_h };
	struct mxchan_handle_rights dup;
	struct raw_rw empty, full, deep;
	int fd_empty, fd_full;
	char name[64];
	long i;

	if (!wanted("scaling, handles | scaling, queued"))
		return;
	check_mx(mxchan_table_create(&fd_empty), "mxchan_table_create");
	check_mx(mxchan_table_create(&fd_full), "mxchan_table_create");
	raw_rw_open(&empty, fd_empty, 64);

	check_sys(ioctl(fd_full, MXCHAN_IOC_EVENT_CREATE, &ev), "EVENT_CREATE");
	for (i = 1; i < opt.handles; i++) {
		dup = (struct mxchan_handle_rights){
			.handle = ev_h, .rights = MX_RIGHT_SAME_RIGHTS,
			.out = (uintptr_t)&dup_h,
		};
		check_sys(ioctl(fd_full, MXCHAN_IOC_HANDLE_DUPLICATE, &dup),
			  "HANDLE_DUPLICATE");
	}
	raw_rw_open(&full, fd_full, 64);
	snprintf(name, sizeof(name), "scaling, handles: %ld", opt.handles + 2);
	row(name, SIDE("mxchan", op_raw_rw, &full),
	    SIDE("mxchan, 2 handles", op_raw_rw, &empty), 1.1);

	raw_rw_open(&deep, fd_empty, 64);
	for (i = 0; i < opt.queued; i++) {
		struct mxchan_channel_write wa = {
			.handle = deep.w, .bytes = (uintptr_t)buf_w,
			.num_bytes = 64,
		};

		check_sys(ioctl(fd_empty, MXCHAN_IOC_CHANNEL_WRITE, &wa),
			  "CHANNEL_WRITE");
	}
	snprintf(name, sizeof(name), "scaling, queued: %ld", opt.queued);
	row(name, SIDE("mxchan", op_raw_rw, &deep),
	    SIDE("mxchan, 0 queued", op_raw_rw, &empty), 1.1);
	close(fd_full);		/* its handles go with it */
	close(fd_empty);
}

/*
 * @n calls parked on @h, each with a txid of its own (none is the
 * benchmark's), in the tables @fd[0] and @fd[1], 4096 at most in each:
 * @h moves between them. A timer interrupts each call once it waits.
 * Returns @h's value in @fd[0], where it ends.
 */
static void on_alarm(int sig)
{
	(void)sig;
}

static uint32_t park_calls(int fd[2], uint32_t h, long n)
{
	struct sigaction sa = { .sa_handler = on_alarm };	/* no restart */
	struct itimerval it = {
		.it_interval = { .tv_usec = 200 },
		.it_value = { .tv_usec = 200 },
	};
	mx_channel_call_args_t args;
	uint32_t req, rep, nb, nh;
	struct mxchan_channel_call a;
	struct mxchan_handle_move mv;
	int k = 1, cur = 1;
	long i;

	/* start in fd[1], end in fd[0] */
	mv = (struct mxchan_handle_move){
		.fd = fd[1], .handles = (uintptr_t)&h, .out = (uintptr_t)&h,
		.num_handles = 1,
	};
	check_sys(ioctl(fd[0], MXCHAN_IOC_HANDLE_MOVE, &mv), "HANDLE_MOVE");
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	for (i = 0; i < n; i++, k++) {
		if (k > 4096 || i == n / 2) {
			mv.fd = fd[0];
			check_sys(ioctl(fd[cur], MXCHAN_IOC_HANDLE_MOVE, &mv),
				  "HANDLE_MOVE");
			cur = 0;
			k = 1;
		}
		req = (uint32_t)i + 1;
		args = (mx_channel_call_args_t){
			.wr_bytes = &req, .wr_num_bytes = sizeof(req),
			.rd_bytes = &rep, .rd_num_bytes = sizeof(rep),
		};
		a = (struct mxchan_channel_call){
			.handle = h, .deadline = MX_TIME_INFINITE,
			.args = (uintptr_t)&args,
			.actual_bytes = (uintptr_t)&nb,
			.actual_handles = (uintptr_t)&nh,
		};
		if (ioctl(fd[cur], MXCHAN_IOC_CHANNEL_CALL, &a) == 0 ||
		    errno != EINTR)
			die("parking call %ld: %s", i, strerror(errno));
	}
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	return h;
}

static void case_parked(void)
{
	struct raw_rw none, parked;
	int fd[2];
	char name[64];

	snprintf(name, sizeof(name), "scaling, parked calls: %ld", opt.parked);
	if (!wanted(name))
		return;
	check_mx(mxchan_table_create(&fd[0]), "mxchan_table_create");
	check_mx(mxchan_table_create(&fd[1]), "mxchan_table_create");
	raw_rw_open(&none, fd[0], 64);
	raw_rw_open(&parked, fd[0], 64);
	/* the reader's end holds the calls: every write looks them up */
	parked.r = park_calls(fd, parked.r, opt.parked);
	row(name, SIDE("mxchan", op_raw_rw, &parked),
	    SIDE("mxchan, 0 parked", op_raw_rw, &none), 1.2);
	close(fd[0]);		/* the calls go with their tables */
	close(fd[1]);
}

static void case_threads(void)
{
	struct threads one = { .threads = 1 }, two = { .threads = 2 };
	struct raw_rw raw[2];
	struct fd_rw sp[2];
	struct mx_rw mx[2];
	int i, fds[2];

	if (!wanted("two threads, one table | two threads, two tables | two threads, SEQPACKET"))
		return;
	if (ncpus() < 2) {
		printf("%-28s (skipped: one CPU)\n", "two threads");
		return;
	}
	for (i = 0; i < 2; i++) {
		mx_rw_open(&mx[i], 64);
		two.sides[i] = SIDE("", op_mx_rw, &mx[i]);
	}
	one.sides[0] = two.sides[0];
	row("two threads, one table", THREADS("mxchan x2", &two),
	    THREADS("mxchan x1", &one), 1.1);
	for (i = 0; i < 2; i++) {
		check_mx(mxchan_table_create(&fds[i]), "mxchan_table_create");
		raw_rw_open(&raw[i], fds[i], 64);
		two.sides[i] = SIDE("", op_raw_rw, &raw[i]);
	}
	one.sides[0] = two.sides[0];
	row("two threads, two tables", THREADS("mxchan x2", &two),
	    THREADS("mxchan x1", &one), 0);
	for (i = 0; i < 2; i++)
		close(fds[i]);

	for (i = 0; i < 2; i++) {
		fd_rw_seqpacket(&sp[i], 64);
		two.sides[i] = SIDE("", op_fd_rw, &sp[i]);
	}
	one.sides[0] = two.sides[0];
	row("two threads, SEQPACKET", THREADS("SEQPACKET x2", &two),
	    THREADS("SEQPACKET x1", &one), 0);
	for (i = 0; i < 2; i++) {
		mx_rw_close(&mx[i]);
		fd_rw_close(&sp[i]);
	}
}

/* --- main ---------------------------------------------------------------------- */

static void usage(void)
{
	fprintf(stderr,
		"usage: mxbench [-r ROUNDS] [-s SAMPLE_MS] [-c SUBSTRING] [--quick]\n"
		"               [--handles N] [--note TEXT] [--mx-only] [--markdown]\n");
	exit(2);
}

static const char *clocksource(void)
{
	static char cs[64] = "unknown";
	FILE *f = fopen("/sys/devices/system/clocksource/clocksource0/current_clocksource", "r");

	if (f) {
		if (fgets(cs, sizeof(cs), f))
			cs[strcspn(cs, "\n")] = 0;
		fclose(f);
	}
	return cs;
}

int main(int argc, char **argv)
{
	struct utsname u;
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--echo"))
			return echo_main(false);
		if (!strcmp(a, "--echo-reply-read"))
			return echo_main(true);
		if (!strcmp(a, "--mx-only")) {
			opt.mx_only = true;
			continue;
		}
		if (!strcmp(a, "--markdown")) {
			opt.markdown = true;
			continue;
		}
		if (!strcmp(a, "--quick")) {
			opt.rounds = 3;
			opt.sample_ns = 2e6;
			opt.handles = 10000;
			opt.parked = 1024;
			continue;
		}
		if (i + 1 >= argc)
			usage();
		if (!strcmp(a, "-r"))
			opt.rounds = atoi(argv[++i]);
		else if (!strcmp(a, "-s"))
			opt.sample_ns = atof(argv[++i]) * 1e6;
		else if (!strcmp(a, "-c"))
			opt.only = argv[++i];
		else if (!strcmp(a, "--handles"))
			opt.handles = atol(argv[++i]);
		else if (!strcmp(a, "--note"))
			opt.note = argv[++i];
		else
			usage();
	}
	if (opt.rounds < 1 || opt.rounds > 64 || opt.sample_ns <= 0 ||
	    opt.handles < 1)
		usage();
	if (access(MXCHAN_DEVICE, R_OK | W_OK))
		die("%s: %s (load mxchan.ko first)", MXCHAN_DEVICE,
		    strerror(errno));
	signal(SIGPIPE, SIG_IGN);
	memset(buf_w, 0x5a, sizeof(buf_w));

	uname(&u);
	printf("mxbench: kernel %s, %d CPUs, clocksource %s\n", u.release,
	       ncpus(), clocksource());
	if (opt.note)
		printf("mxbench: %s\n", opt.note);
	printf("mxbench: %d rounds of %.0f ms per side; ratio = mxchan / peer, "
	       "min median max over rounds\n", opt.rounds, opt.sample_ns / 1e6);
	if (opt.markdown)
		printf("| case | mxchan ns | peer | peer ns | "
		       "ratio min / med / max | target |\n"
		       "|---|---:|---|---:|---|---|\n");
	else
		printf("%-28s %9s  %-24s %9s  %5s %5s %5s  %-7s %s\n",
		       "case", "ns", "peer", "ns", "min", "med", "max",
		       "target", "");

	case_null();
	case_write_read();
	case_socket();
	case_fifo();
	case_vmo();
	case_handles();
	case_create();
	case_round_trip();
	case_threads();
	case_scaling();
	case_parked();

	printf("mxbench: %d rows, targets met %d, missed %d\n", opt.rows,
	       opt.met, opt.missed);
	return 0;
}
