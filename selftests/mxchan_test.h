/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the mxchan selftests. */
#ifndef MXCHAN_TEST_H
#define MXCHAN_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/userfaultfd.h>

#include <linux/mxchan.h>
#include <magenta/processargs.h>
#include <magenta/rights.h>
#include <magenta/status.h>
#include <magenta/syscalls.h>
#include <mxchan.h>

#include "kselftest_harness.h"

/*
 * A test's time limit catches a hang, not slowness: 30 s (the harness's
 * default) is too little for some tests on a busy machine under an
 * emulator, with the debug kernel's checkers.
 */
#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT 180

/*
 * Fixtures that change module parameters put them back in a teardown run
 * by the parent, whatever the test did: one that failed an assertion (or
 * dropped privileges) must not leave its limits to the tests after it.
 * Harnesses older than 6.9 have only FIXTURE_TEARDOWN.
 */
#ifndef FIXTURE_TEARDOWN_PARENT
#define FIXTURE_TEARDOWN_PARENT FIXTURE_TEARDOWN
#endif

/* Compare statuses and print their names when they differ. */
#define ASSERT_STATUS(expected, actual) do {				\
	mx_status_t __e = (expected), __a = (actual);			\
	if (__e != __a)							\
		TH_LOG("expected %s, got %s", mx_status_get_string(__e),	\
		       mx_status_get_string(__a));			\
	ASSERT_EQ(__e, __a);						\
} while (0)
#define ASSERT_OK(actual) ASSERT_STATUS(MX_OK, (actual))

/* Handle values are always odd, so this one names nothing in any table. */
#define MXT_BAD_VALUE ((mx_handle_t)0x7ffffffe)

/*
 * Raw ioctls on a table fd, for tests that build tables to look at from
 * outside (observe_test, mxstat_test): 0 or -errno.
 */
static inline int mxt_ioc_channel_create(int fd, uint32_t *h0, uint32_t *h1)
{
	struct mxchan_channel_create a = {
		.out0 = (uintptr_t)h0, .out1 = (uintptr_t)h1,
	};

	return ioctl(fd, MXCHAN_IOC_CHANNEL_CREATE, &a) ? -errno : 0;
}

static inline int mxt_ioc_event_create(int fd, uint32_t *out)
{
	struct mxchan_event_create a = { .out = (uintptr_t)out };

	return ioctl(fd, MXCHAN_IOC_EVENT_CREATE, &a) ? -errno : 0;
}

static inline int mxt_ioc_eventpair_create(int fd, uint32_t *h0, uint32_t *h1)
{
	struct mxchan_eventpair_create a = {
		.out0 = (uintptr_t)h0, .out1 = (uintptr_t)h1,
	};

	return ioctl(fd, MXCHAN_IOC_EVENTPAIR_CREATE, &a) ? -errno : 0;
}

static inline int mxt_ioc_port_create(int fd, uint32_t *out)
{
	struct mxchan_port_create a = { .out = (uintptr_t)out };

	return ioctl(fd, MXCHAN_IOC_PORT_CREATE, &a) ? -errno : 0;
}

static inline int mxt_ioc_handle_close(int fd, uint32_t h)
{
	return ioctl(fd, MXCHAN_IOC_HANDLE_CLOSE, (unsigned long)h) ? -errno : 0;
}

/* Move @h from table @fd to table @to; its value there goes to *@out. */
static inline int mxt_ioc_handle_give(int fd, int to, uint32_t h,
				      uint32_t *out)
{
	struct mxchan_handle_move a = {
		.fd = to, .handles = (uintptr_t)&h, .num_handles = 1,
		.out = (uintptr_t)out,
	};

	return ioctl(fd, MXCHAN_IOC_HANDLE_MOVE, &a) ? -errno : 0;
}

static inline bool mxt_valid(mx_handle_t h)
{
	return mx_object_get_info(h, MX_INFO_HANDLE_VALID, NULL, 0, NULL,
				  NULL) == MX_OK;
}

static inline mx_info_handle_basic_t mxt_info(mx_handle_t h)
{
	mx_info_handle_basic_t info;

	memset(&info, 0xa5, sizeof(info));
	if (mx_object_get_info(h, MX_INFO_HANDLE_BASIC, &info, sizeof(info),
			       NULL, NULL) != MX_OK)
		memset(&info, 0, sizeof(info));
	return info;
}

static inline mx_koid_t mxt_koid(mx_handle_t h)
{
	return mxt_info(h).koid;
}

static inline mx_rights_t mxt_rights(mx_handle_t h)
{
	return mxt_info(h).rights;
}

/* A pointer to a page that is mapped nowhere. */
static inline void *mxt_bad_ptr(void)
{
	void *p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	munmap(p, 4096);
	return p;
}

/*
 * @n bytes of memory right before a page that cannot be touched: an array
 * there faults part way. Two pages mapped, the second made PROT_NONE.
 */
static inline void *mxt_edge_ptr(size_t n)
{
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || mprotect(p + 4096, 4096, PROT_NONE))
		return NULL;
	return p + 4096 - n;
}

/*
 * Is this end's peer gone? A zero-byte write says PEER_CLOSED; if the peer
 * is alive, that empty message is queued to it.
 */
static inline bool mxt_peer_closed(mx_handle_t h)
{
	return mx_channel_write(h, 0, NULL, 0, NULL, 0) == MX_ERR_PEER_CLOSED;
}

/*
 * Set module parameter @name to @value, saving the old value in @old.
 * Returns 0, or -1 if it cannot be written (not root).
 */
static inline int mxt_param_set(const char *name, const char *value,
				char *old, size_t size)
{
	char path[128];
	ssize_t n = 0;
	int fd;

	snprintf(path, sizeof(path), "/sys/module/mxchan/parameters/%s", name);
	fd = open(path, O_RDWR);
	if (fd < 0)
		return -1;
	if (old) {
		n = read(fd, old, size - 1);
		old[n > 0 ? n : 0] = 0;
	}
	n = pwrite(fd, value, strlen(value), 0);
	close(fd);
	return n == (ssize_t)strlen(value) ? 0 : -1;
}

/* Is thread tid of this process asleep (in a wait, in these tests)? */
static inline bool mxt_asleep(pid_t tid)
{
	char path[64], buf[256], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	f = fopen(path, "r");
	if (!f)
		return false;
	p = fgets(buf, sizeof(buf), f);
	fclose(f);
	p = p ? strrchr(buf, ')') : NULL;
	return p && p[1] == ' ' && p[2] == 'S';
}

/* Put back what mxt_param_set() saved. */
static inline int mxt_param_restore(const char *name, const char *old)
{
	return mxt_param_set(name, old, NULL, 0);
}

/*
 * The module's live counters (/sys/kernel/debug/mxchan/counters), global
 * to the module: user packets on ports and async waits too. A line the
 * module does not print reads as -1.
 */
struct mxt_counters {
	long objects;
	long handles;
	long messages;
	long packets;
	long async_waits;
};

/* Read them; false if debugfs (or one of the first three lines) is absent. */
static inline bool mxt_counters_read(struct mxt_counters *c)
{
	FILE *f = fopen("/sys/kernel/debug/mxchan/counters", "r");
	char name[32];
	long v;

	c->objects = c->handles = c->messages = -1;
	c->packets = c->async_waits = -1;
	if (!f)
		return false;
	while (fscanf(f, "%31s %ld", name, &v) == 2) {
		if (!strcmp(name, "objects"))
			c->objects = v;
		else if (!strcmp(name, "handles"))
			c->handles = v;
		else if (!strcmp(name, "messages"))
			c->messages = v;
		else if (!strcmp(name, "packets"))
			c->packets = v;
		else if (!strcmp(name, "async_waits"))
			c->async_waits = v;
	}
	fclose(f);
	return c->objects >= 0 && c->handles >= 0 && c->messages >= 0;
}

/* Everything alive in the module, summed; -1 without debugfs. */
static inline long mxt_live_total(void)
{
	struct mxt_counters c;

	if (!mxt_counters_read(&c))
		return -1;
	return c.objects + c.handles + c.messages +
	       (c.packets > 0 ? c.packets : 0) +
	       (c.async_waits > 0 ? c.async_waits : 0);
}

/* A child's exit status, or 128 + the signal that killed it; -1. */
static inline int mxt_reap(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) :
	       128 + WTERMSIG(status);
}

/*
 * A test binary that is also its own child program, "TEST --child MODE":
 * its main() is mxt_self_main(), which runs @child_main for a child and
 * the tests otherwise; mxt_spawn_self() starts such a child with handle
 * @h as PA_USER0 0 (its table's first startup handle).
 */
static inline char *mxt_self_exe(void)
{
	static char exe[PATH_MAX];

	return exe;
}

static inline mx_status_t mxt_spawn_self(const char *mode, mx_handle_t h,
					 pid_t *pid)
{
	char *argv[] = { mxt_self_exe(), "--child", (char *)mode, NULL };
	uint32_t id = PA_HND(PA_USER0, 0);

	return mxchan_spawn(mxt_self_exe(), argv, NULL, 1, &h, &id, pid);
}

static inline int mxt_self_main(int argc, char **argv,
				int (*child_main)(const char *mode))
{
	char *exe = mxt_self_exe();
	ssize_t n = readlink("/proc/self/exe", exe, PATH_MAX - 1);

	if (n <= 0)
		return 1;
	exe[n] = 0;
	if (argc >= 3 && !strcmp(argv[1], "--child"))
		return child_main(argv[2]);
	return test_harness_run(argc, argv);
}

/*
 * VMO pages user @who pays for (debugfs's users file): 0 if the user has
 * no line there, -1 without debugfs.
 */
static inline long mxt_vmo_pages_of(unsigned int who)
{
	FILE *f = fopen("/sys/kernel/debug/mxchan/users", "r");
	char line[256];
	unsigned int uid;
	long n = 0, v;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		const char *p = strstr(line, " vmo_pages ");

		if (sscanf(line, "uid %u", &uid) == 1 && uid == who && p &&
		    sscanf(p, " vmo_pages %ld", &v) == 1)
			n = v;
	}
	fclose(f);
	return n;
}

/* The same for the calling user. */
static inline long mxt_vmo_pages(void)
{
	return mxt_vmo_pages_of(geteuid());
}

/* Mappings of VMOs in this process (by their files' name); -1 without /proc. */
static inline int mxt_vmo_maps(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "mxchan-vmo"))
			n++;
	fclose(f);
	return n;
}

/*
 * A page whose first touch, by the kernel too, sleeps until
 * mxt_stall_release() (userfaultfd): to hold a call in the middle of a
 * copy. mxt_stall_init() is false where userfaultfd is missing.
 */
struct mxt_stall {
	int uffd;
	char *page;
};

static inline bool mxt_stall_init(struct mxt_stall *s)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { 0 };

	s->page = MAP_FAILED;
	s->uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (s->uffd < 0)
		return false;
	s->page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	reg.range.start = (uintptr_t)s->page;
	reg.range.len = 4096;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	return s->page != MAP_FAILED &&
	       ioctl(s->uffd, UFFDIO_API, &api) == 0 &&
	       ioctl(s->uffd, UFFDIO_REGISTER, &reg) == 0;
}

/* Wait (10 s at most) until a thread sleeps in a fault on the page. */
static inline bool mxt_stall_hit(struct mxt_stall *s)
{
	struct pollfd p = { .fd = s->uffd, .events = POLLIN };
	struct uffd_msg msg;

	return poll(&p, 1, 10000) == 1 && (p.revents & POLLIN) &&
	       read(s->uffd, &msg, sizeof(msg)) == sizeof(msg) &&
	       msg.event == UFFD_EVENT_PAGEFAULT;
}

/* Map the page (zeroed): the stalled thread goes on. */
static inline bool mxt_stall_release(struct mxt_stall *s)
{
	struct uffdio_zeropage z = { 0 };

	z.range.start = (uintptr_t)s->page;
	z.range.len = 4096;
	return ioctl(s->uffd, UFFDIO_ZEROPAGE, &z) == 0;
}

/*
 * A channel read in a thread of its own, into @bytes (4096 bytes) and one
 * handle (into a read-only page, to fail, if @ro_handles):
 * pthread_create(&t, NULL, mxt_read_thread, &r).
 */
struct mxt_read {
	mx_handle_t h;
	void *bytes;
	bool ro_handles;
	pid_t tid;
	mx_status_t st;
	mx_handle_t got;
	uint32_t nb, nh;
};

static inline void *mxt_read_thread(void *arg)
{
	struct mxt_read *r = arg;
	mx_handle_t *handles = &r->got;

	if (r->ro_handles)
		handles = mmap(NULL, 4096, PROT_READ,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	__atomic_store_n(&r->tid, (pid_t)syscall(SYS_gettid),
			 __ATOMIC_RELEASE);
	r->st = mx_channel_read(r->h, 0, r->bytes, handles, 4096, 1, &r->nb,
				&r->nh);
	if (r->ro_handles)
		munmap(handles, 4096);
	return NULL;
}

/* Wait (5 s at most) until @r's thread has started and sleeps. */
static inline bool mxt_read_asleep(struct mxt_read *r)
{
	int i;

	for (i = 0; i < 5000; i++) {
		if (__atomic_load_n(&r->tid, __ATOMIC_ACQUIRE) &&
		    mxt_asleep(r->tid))
			return true;
		usleep(1000);
	}
	return false;
}

static inline void mxt_stall_end(struct mxt_stall *s)
{
	if (s->page != MAP_FAILED)
		munmap(s->page, 4096);
	if (s->uffd >= 0)
		close(s->uffd);
}

/*
 * The cycle collector's counters (/sys/kernel/debug/mxchan/gc). Reading
 * them first waits until the collector has nothing left to do, so after
 * this the live counters show only what is reachable.
 */
struct mxt_gc {
	long passes;
	long rings;
	long members;
	long visited;
	long waits;	/* users at a limit who waited for the collector */
};

static inline bool mxt_gc_settle(struct mxt_gc *g)
{
	FILE *f = fopen("/sys/kernel/debug/mxchan/gc", "r");
	char name[32];
	long v;

	g->passes = g->rings = g->members = g->visited = g->waits = -1;
	if (!f)
		return false;
	while (fscanf(f, "%31s %ld", name, &v) == 2) {
		if (!strcmp(name, "passes"))
			g->passes = v;
		else if (!strcmp(name, "rings"))
			g->rings = v;
		else if (!strcmp(name, "members"))
			g->members = v;
		else if (!strcmp(name, "visited"))
			g->visited = v;
		else if (!strcmp(name, "waits"))
			g->waits = v;
	}
	fclose(f);
	return g->rings >= 0 && g->members >= 0;
}

#endif
