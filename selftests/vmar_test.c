// SPDX-License-Identifier: GPL-2.0
/*
 * The root VMAR and mapping VMOs: mx_vmar_root_self() (one value while
 * it stays open, a new VMAR after it is closed), MX_INFO_VMAR, and
 * mx_vmar_map(), mx_vmar_unmap() and mx_vmar_protect() as Magenta had
 * them on a root VMAR: shared mappings whose bytes are the VMO's both
 * ways, read-only ones that mprotect(2) cannot widen and that a write
 * kills with SIGSEGV, every error in Magenta's order, vmo_offset and
 * rounded lengths, SPECIFIC and SPECIFIC_OVERWRITE at an exact address,
 * mappings that outlive their handles (closed, sent away, the root VMAR
 * closed), a VMO shared by two processes with their own tables, a VMO
 * shrunk under its mapping (SIGBUS), a clone mapped (its own copy from
 * then on), a table opened read-only, and the raw ioctl's reserved field
 * and a mapped_addr that faults (nothing left mapped).
 *
 * Each test ends with the module's live counters (debugfs) where they
 * were, and the VMO pages charged to us back where they were.
 *
 * The binary is also its own child program: "vmar_test --child MODE".
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <magenta/process.h>
#include <magenta/processargs.h>
#include <magenta/syscalls/object.h>
#include <mxchan.h>

#include "mx-internal.h"
#include "mxchan_test.h"

#define H0 PA_HND(PA_USER0, 0)

#define PG ((size_t)4096)

#define R MX_VM_FLAG_PERM_READ
#define W MX_VM_FLAG_PERM_WRITE
#define X MX_VM_FLAG_PERM_EXECUTE
#define RW (R | W)

/* The root VMAR's rights: DUPLICATE, TRANSFER, READ, WRITE, EXECUTE. */
#define VMAR_RIGHTS (MX_RIGHT_DUPLICATE | MX_RIGHT_TRANSFER | MX_RIGHT_READ | \
		     MX_RIGHT_WRITE | MX_RIGHT_EXECUTE)

/* What an address the kernel must not write holds. */
#define NOADDR ((uintptr_t)0x5a5a5a5a)

/* A child's exit status for a signal: 128 + signal. */
#define KILLED(sig) (128 + (sig))

/* ---- helpers ---- */

/* ASSERT_STATUS, with a message when it fails. */
#define ASSERT_STATUS_LOG(expected, actual, ...) do {			\
	mx_status_t __sl = (actual);					\
	if (__sl != (expected))						\
		TH_LOG(__VA_ARGS__);					\
	ASSERT_STATUS((expected), __sl);				\
} while (0)

/* An ioctl on table fd @fd: 0 or the errno. */
static int raw_fd(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? errno : 0;
}

/* An ioctl on this process's table: 0 or the errno. */
static int raw(unsigned long cmd, void *arg)
{
	return raw_fd(mxchan_table_fd(), cmd, arg);
}

/*
 * Touch byte @p (write @val if @write, else read and compare with @val) in
 * a forked child: 0 if it did and the byte was right, 1 if the byte read
 * was wrong, KILLED(sig) if the touch killed it.
 */
static int touch_in_child(volatile unsigned char *p, bool write,
			  unsigned char val)
{
	struct rlimit none = { 0, 0 };
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		setrlimit(RLIMIT_CORE, &none);	/* no core dumps */
		if (write) {
			*p = val;
			_exit(0);
		}
		_exit(*p == val ? 0 : 1);
	}
	return mxt_reap(pid);
}

/* Read all of /proc/self/maps into @buf (without stdio, which maps). */
static size_t maps_read(char *buf, size_t size)
{
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	size_t n = 0;
	ssize_t r;

	if (fd < 0)
		return 0;
	while (n < size - 1 && (r = read(fd, buf + n, size - 1 - n)) > 0)
		n += (size_t)r;
	close(fd);
	buf[n] = 0;
	return n;
}

static char mapsbuf[1 << 18];

/* How many mappings the process has (lines of /proc/self/maps). */
static long maps_count(void)
{
	size_t n = maps_read(mapsbuf, sizeof(mapsbuf)), i;
	long lines = 0;

	if (!n)
		return -1;
	for (i = 0; i < n; i++)
		lines += mapsbuf[i] == '\n';
	return lines;
}

/*
 * The mapping that starts at @addr: its length (0 if none starts there)
 * and its permissions ("rw-s") in @perms.
 */
static uint64_t maps_find(uintptr_t addr, char perms[5])
{
	char *line = mapsbuf;
	unsigned long long start, end;
	char p[5];

	if (!maps_read(mapsbuf, sizeof(mapsbuf)))
		return 0;
	while (line && *line) {
		if (sscanf(line, "%llx-%llx %4s", &start, &end, p) == 3 &&
		    start == (unsigned long long)addr) {
			if (perms)
				memcpy(perms, p, 5);
			return end - start;
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return 0;
}

/* Is any byte of [addr, addr + len) mapped? */
static bool maps_any(uintptr_t addr, uint64_t len)
{
	char *line = mapsbuf;
	unsigned long long start, end;

	if (!maps_read(mapsbuf, sizeof(mapsbuf)))
		return true;
	while (line && *line) {
		if (sscanf(line, "%llx-%llx", &start, &end) == 2 &&
		    start < (unsigned long long)addr + len &&
		    end > (unsigned long long)addr)
			return true;
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return false;
}

/* A VMO of @size bytes whose byte i is pat(i, seed). */
static unsigned char pat(size_t i, unsigned int seed)
{
	return (unsigned char)(i * 131u + (i >> 12) * 7u + seed * 29u + 1u);
}

static mx_status_t vmo_filled(size_t size, unsigned int seed, mx_handle_t *out)
{
	unsigned char *buf = malloc(size);
	mx_status_t st;
	size_t i, n = 0;

	if (!buf)
		return MX_ERR_NO_MEMORY;
	for (i = 0; i < size; i++)
		buf[i] = pat(i, seed);
	st = mx_vmo_create(size, 0, out);
	if (st == MX_OK) {
		st = mx_vmo_write(*out, buf, 0, size, &n);
		if (st == MX_OK && n != size)
			st = MX_ERR_INTERNAL;
	}
	free(buf);
	return st;
}

/* Byte @off of the VMO, or -1 if it cannot be read. */
static int vmo_byte(mx_handle_t vmo, uint64_t off)
{
	unsigned char c;
	size_t n = 0;

	if (mx_vmo_read(vmo, &c, off, 1, &n) != MX_OK || n != 1)
		return -1;
	return c;
}

static mx_status_t vmo_put(mx_handle_t vmo, uint64_t off, unsigned char c)
{
	size_t n = 0;
	mx_status_t st = mx_vmo_write(vmo, &c, off, 1, &n);

	return st == MX_OK && n != 1 ? MX_ERR_INTERNAL : st;
}

/* The root VMAR's range. */
static mx_status_t vmar_range(mx_handle_t vmar, mx_info_vmar_t *info)
{
	size_t actual = 0, avail = 0;
	mx_status_t st = mx_object_get_info(vmar, MX_INFO_VMAR, info,
					    sizeof(*info), &actual, &avail);

	if (st == MX_OK && (actual != 1 || avail != 1))
		return MX_ERR_INTERNAL;
	return st;
}

/*
 * An address where @pages pages are free: mapped (anonymous) and
 * unmapped again, so nothing else is there while we stay single-threaded.
 */
static uintptr_t free_spot(size_t pages)
{
	void *p = mmap(NULL, pages * PG, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return 0;
	munmap(p, pages * PG);
	return (uintptr_t)p;
}

/* Wait (20 s) for a message on @ch and read it. */
static mx_status_t recv_msg(mx_handle_t ch, void *bytes, uint32_t nbytes,
			    mx_handle_t *handles, uint32_t nhandles,
			    uint32_t *nb, uint32_t *nh)
{
	mx_status_t st = mx_object_wait_one(ch, MX_CHANNEL_READABLE,
					    mx_deadline_after(MX_SEC(20)),
					    NULL);

	if (st != MX_OK)
		return st;
	return mx_channel_read(ch, 0, bytes, handles, nbytes, nhandles, nb,
			       nh);
}

/* ---- the child program ---- */

struct share_msg {
	uint32_t magic;
	uint32_t step;
};

#define SHARE_MAGIC 0x766d6172u

/*
 * Take a VMO and the parent's root VMAR from the startup channel, map the
 * VMO through our own root VMAR and through the parent's (which stands
 * for the address space of whoever maps through it: ours), and talk
 * through the mapping: see the parent's byte 0 at step 1, write byte 1,
 * see the parent's byte 2 at step 2.
 */
static int child_share(void)
{
	mx_handle_t ch = mx_get_startup_handle(H0), hs[2], mine;
	volatile unsigned char *a, *b;
	uintptr_t aa = 0, ab = 0;
	struct share_msg m;
	mx_info_vmar_t info;
	uint32_t nb = 0, nh = 0;

	if (ch <= 0)
		return 10;
	if (recv_msg(ch, &m, sizeof(m), hs, 2, &nb, &nh) != MX_OK ||
	    nb != sizeof(m) || nh != 2 || m.magic != SHARE_MAGIC ||
	    m.step != 0)
		return 11;
	if (mxt_info(hs[0]).type != MX_OBJ_TYPE_VMO ||
	    mxt_info(hs[1]).type != MX_OBJ_TYPE_VMAR)
		return 12;
	mine = mx_vmar_root_self();
	if (mine <= 0 || mine == hs[1] ||
	    mxt_info(mine).type != MX_OBJ_TYPE_VMAR ||
	    mxt_koid(mine) == mxt_koid(hs[1]))
		return 13;
	if (vmar_range(mine, &info) != MX_OK)
		return 14;
	if (mx_vmar_map(mine, 0, hs[0], 0, PG, RW, &aa) != MX_OK ||
	    aa < info.base || aa - info.base >= info.len)
		return 15;
	if (mx_vmar_map(hs[1], 0, hs[0], 0, PG, RW, &ab) != MX_OK || ab == aa)
		return 16;
	a = (volatile unsigned char *)aa;
	b = (volatile unsigned char *)ab;
	/* both are ours: touching them here works (or kills us) */
	(void)b[0];
	(void)a[0];
	if (mx_channel_write(ch, 0, &m, sizeof(m), NULL, 0) != MX_OK)
		return 17;
	if (recv_msg(ch, &m, sizeof(m), NULL, 0, &nb, &nh) != MX_OK ||
	    nb != sizeof(m) || m.step != 1)
		return 18;
	if (a[0] != 0x11 || b[0] != 0x11)
		return 19;
	a[1] = 0x22;
	if (b[1] != 0x22)
		return 20;
	m.step = 2;
	if (mx_channel_write(ch, 0, &m, sizeof(m), NULL, 0) != MX_OK)
		return 21;
	if (recv_msg(ch, &m, sizeof(m), NULL, 0, &nb, &nh) != MX_OK ||
	    nb != sizeof(m) || m.step != 3)
		return 22;
	if (a[2] != 0x33 || b[2] != 0x33)
		return 23;
	if (mx_vmar_unmap(mine, aa, PG) != MX_OK ||
	    mx_vmar_unmap(mine, ab, PG) != MX_OK)
		return 24;
	return 0;
}

static int child_main(const char *mode)
{
	/* never outlive the test that started us */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (!strcmp(mode, "share"))
		return child_share();
	return 99;
}

/* ---- the fixture: nothing made in a test outlives it ---- */

FIXTURE(vmar) {
	long live;	/* everything alive in the module; -1 without debugfs */
	long pages;	/* VMO pages charged to us */
	mx_handle_t root;
};

FIXTURE_SETUP(vmar)
{
	struct mxt_gc gc;

	ASSERT_LE(0, mxchan_table_fd());
	/* the root VMAR exists before we count what is alive */
	self->root = mx_vmar_root_self();
	ASSERT_NE(MX_HANDLE_INVALID, self->root);
	mxt_gc_settle(&gc);
	self->live = mxt_live_total();
	self->pages = mxt_vmo_pages();
}

FIXTURE_TEARDOWN(vmar)
{
	/* a test that closed the root VMAR leaves the table a new one */
	mx_vmar_root_self();
	if (self->live >= 0)
		EXPECT_EQ(self->live, mxt_live_total());
	if (self->pages >= 0)
		EXPECT_EQ(self->pages, mxt_vmo_pages());
}

#define ASSERT_ALL_GONE() do {						\
	mx_vmar_root_self();						\
	if (self->live >= 0)						\
		ASSERT_EQ(self->live, mxt_live_total());		\
	if (self->pages >= 0)						\
		ASSERT_EQ(self->pages, mxt_vmo_pages());		\
} while (0)

/* ---- the ABI ---- */

TEST_F(vmar, abi)
{
	ASSERT_EQ(8, sizeof(struct mxchan_vmar_root));
	ASSERT_EQ(48, sizeof(struct mxchan_vmar_map));
	ASSERT_EQ(0, offsetof(struct mxchan_vmar_map, vmar));
	ASSERT_EQ(4, offsetof(struct mxchan_vmar_map, vmo));
	ASSERT_EQ(8, offsetof(struct mxchan_vmar_map, vmar_offset));
	ASSERT_EQ(16, offsetof(struct mxchan_vmar_map, vmo_offset));
	ASSERT_EQ(24, offsetof(struct mxchan_vmar_map, len));
	ASSERT_EQ(32, offsetof(struct mxchan_vmar_map, flags));
	ASSERT_EQ(36, offsetof(struct mxchan_vmar_map, reserved));
	ASSERT_EQ(40, offsetof(struct mxchan_vmar_map, mapped_addr));
	ASSERT_EQ(16, sizeof(struct mxchan_info_vmar));
	/* Magenta's record is in the caller's width */
	ASSERT_EQ(2 * sizeof(uintptr_t), sizeof(mx_info_vmar_t));
	ASSERT_EQ(sizeof(uintptr_t), offsetof(mx_info_vmar_t, len));
	ASSERT_EQ(7, MX_INFO_VMAR);
	ASSERT_EQ(18, MX_OBJ_TYPE_VMAR);
	ASSERT_EQ(0x1u, MX_VM_FLAG_PERM_READ);
	ASSERT_EQ(0x2u, MX_VM_FLAG_PERM_WRITE);
	ASSERT_EQ(0x4u, MX_VM_FLAG_PERM_EXECUTE);
	ASSERT_EQ(0x10u, MX_VM_FLAG_SPECIFIC);
	ASSERT_EQ(0x20u, MX_VM_FLAG_SPECIFIC_OVERWRITE);
	ASSERT_EQ(0x400u, MX_VM_FLAG_MAP_RANGE);
	ASSERT_EQ(PG, (size_t)sysconf(_SC_PAGESIZE));
}

/* ---- the root VMAR ---- */

/* One value while it is open, HANDLE_BASIC's type 18, a new one after. */
TEST_F(vmar, root_self)
{
	mx_handle_t r1, r2, r3;
	mx_info_handle_basic_t info;
	mx_koid_t koid;

	r1 = mx_vmar_root_self();
	r2 = mx_vmar_root_self();
	ASSERT_NE(MX_HANDLE_INVALID, r1);
	ASSERT_EQ(r1, r2);
	ASSERT_EQ(self->root, r1);
	ASSERT_TRUE(mxt_valid(r1));
	info = mxt_info(r1);
	ASSERT_EQ(MX_OBJ_TYPE_VMAR, info.type);
	ASSERT_EQ(VMAR_RIGHTS, info.rights);
	ASSERT_EQ(0, info.related_koid);
	ASSERT_EQ(0, info.props);	/* not waitable */
	ASSERT_NE(0, info.koid);
	koid = info.koid;
	/* a duplicate is another handle to the same VMAR, not the root's value */
	ASSERT_OK(mx_handle_duplicate(r1, MX_RIGHT_SAME_RIGHTS, &r2));
	ASSERT_NE(r1, r2);
	ASSERT_EQ(koid, mxt_koid(r2));
	ASSERT_EQ(r1, mx_vmar_root_self());
	ASSERT_OK(mx_handle_close(r2));
	/* closed: the next call makes a new one, valid */
	ASSERT_OK(mx_handle_close(r1));
	ASSERT_FALSE(mxt_valid(r1));
	r3 = mx_vmar_root_self();
	ASSERT_NE(MX_HANDLE_INVALID, r3);
	ASSERT_TRUE(mxt_valid(r3));
	info = mxt_info(r3);
	ASSERT_EQ(MX_OBJ_TYPE_VMAR, info.type);
	ASSERT_EQ(VMAR_RIGHTS, info.rights);
	ASSERT_NE(koid, info.koid);
	ASSERT_EQ(r3, mx_vmar_root_self());
	/* sent away (here: replaced) counts as gone too */
	ASSERT_OK(mx_handle_replace(r3, MX_RIGHT_SAME_RIGHTS, &r2));
	ASSERT_FALSE(mxt_valid(r3));
	r1 = mx_vmar_root_self();
	ASSERT_TRUE(mxt_valid(r1));
	ASSERT_EQ(MX_OBJ_TYPE_VMAR, mxt_info(r1).type);
	ASSERT_NE(r2, r1);
	ASSERT_EQ(r1, mx_vmar_root_self());
	ASSERT_OK(mx_handle_close(r2));
	self->root = r1;
	ASSERT_ALL_GONE();
}

/* The top of a user address space of our width. */
static uint64_t address_space_top(void)
{
#if UINTPTR_MAX == 0xffffffffu
	return 1ULL << 32;
#else
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[4096];
	bool la57 = false;

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "flags", 5) && strstr(line, " la57"))
			la57 = true;
	if (f)
		fclose(f);
	return la57 ? 1ULL << 56 : 1ULL << 47;
#endif
}

/* MX_INFO_VMAR: base and len, in the caller's width; its errors. */
TEST_F(vmar, info_vmar)
{
	unsigned char buf[64];
	mx_info_vmar_t info;
	size_t actual, avail, i;
	mx_handle_t vmo, ch0, ch1;
	uintptr_t addr = 0, stack = (uintptr_t)&info;
	uint64_t base, end;

	memset(buf, 0xaa, sizeof(buf));
	actual = avail = 77;
	ASSERT_OK(mx_object_get_info(self->root, MX_INFO_VMAR, buf,
				     sizeof(buf), &actual, &avail));
	ASSERT_EQ(1, actual);
	ASSERT_EQ(1, avail);
	/* exactly one record of our width written */
	for (i = sizeof(mx_info_vmar_t); i < sizeof(buf); i++)
		ASSERT_EQ(0xaa, buf[i]);
	memcpy(&info, buf, sizeof(info));
	base = info.base;
	end = base + (uint64_t)info.len;
	TH_LOG("root VMAR: base %#llx len %#llx", (unsigned long long)base,
	       (unsigned long long)info.len);
	ASSERT_NE(0, base);
	ASSERT_EQ(0, base % PG);
	ASSERT_NE(0, info.len);
	ASSERT_LT(base, end);
	ASSERT_LE(end, address_space_top());
	/* our stack and our code are in it */
	ASSERT_LE(base, (uint64_t)stack);
	ASSERT_LT((uint64_t)stack, end);
	ASSERT_LE(base, (uint64_t)(uintptr_t)mxt_self_exe());
	/* and so is what vmar_map gives */
	ASSERT_OK(mx_vmo_create(PG, 0, &vmo));
	ASSERT_OK(mx_vmar_map(self->root, 0, vmo, 0, PG, R, &addr));
	ASSERT_LE(base, (uint64_t)addr);
	ASSERT_LE((uint64_t)addr + PG, end);
	ASSERT_OK(mx_vmar_unmap(self->root, addr, PG));
	/* NULL counts are allowed */
	ASSERT_OK(mx_object_get_info(self->root, MX_INFO_VMAR, &info,
				     sizeof(info), NULL, NULL));
	ASSERT_EQ(base, info.base);

	/* on another type: WRONG_TYPE */
	memset(buf, 0xaa, sizeof(buf));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE,
		      mx_object_get_info(vmo, MX_INFO_VMAR, buf, sizeof(buf),
					 NULL, NULL));
	ASSERT_OK(mx_channel_create(0, &ch0, &ch1));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE,
		      mx_object_get_info(ch0, MX_INFO_VMAR, buf, sizeof(buf),
					 NULL, NULL));
	for (i = 0; i < sizeof(buf); i++)
		ASSERT_EQ(0xaa, buf[i]);
	/* a bad handle: BAD_HANDLE, before the size */
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_object_get_info(MXT_BAD_VALUE, MX_INFO_VMAR, buf, 1,
					 NULL, NULL));
	/* type before size */
	ASSERT_STATUS(MX_ERR_WRONG_TYPE,
		      mx_object_get_info(vmo, MX_INFO_VMAR, buf, 1, NULL,
					 NULL));
	/* a buffer smaller than the record: BUFFER_TOO_SMALL, nothing written */
	actual = avail = 77;
	ASSERT_STATUS(MX_ERR_BUFFER_TOO_SMALL,
		      mx_object_get_info(self->root, MX_INFO_VMAR, buf,
					 sizeof(mx_info_vmar_t) - 1, &actual,
					 &avail));
	ASSERT_EQ(0, actual);
	ASSERT_EQ(1, avail);
	for (i = 0; i < sizeof(buf); i++)
		ASSERT_EQ(0xaa, buf[i]);
	ASSERT_STATUS(MX_ERR_BUFFER_TOO_SMALL,
		      mx_object_get_info(self->root, MX_INFO_VMAR, NULL, 0,
					 NULL, NULL));
	ASSERT_OK(mx_handle_close(vmo));
	ASSERT_OK(mx_handle_close(ch0));
	ASSERT_OK(mx_handle_close(ch1));
	ASSERT_ALL_GONE();
}

/* ---- vmar_map ---- */

/* A shared mapping: writes either way are seen the other way. */
TEST_F(vmar, map_read_write)
{
	volatile unsigned char *p;
	unsigned char buf[8];
	uintptr_t addr = NOADDR;
	mx_handle_t vmo;
	char perms[5];
	size_t n;

	ASSERT_OK(mx_vmo_create(2 * PG, 0, &vmo));
	ASSERT_OK(mx_vmar_map(self->root, 0, vmo, 0, 2 * PG, RW, &addr));
	ASSERT_NE(NOADDR, addr);
	ASSERT_NE(0, addr);
	ASSERT_EQ(0, addr % PG);
	ASSERT_EQ(2 * PG, maps_find(addr, perms));
	ASSERT_EQ(0, strcmp(perms, "rw-s"));
	p = (volatile unsigned char *)addr;
	/* a new VMO reads zeros */
	ASSERT_EQ(0, p[0]);
	ASSERT_EQ(0, p[2 * PG - 1]);
	/* mapping -> vmo_read */
	p[0] = 0x11;
	p[PG + 7] = 0x22;
	p[2 * PG - 1] = 0x33;
	ASSERT_EQ(0x11, vmo_byte(vmo, 0));
	ASSERT_EQ(0x22, vmo_byte(vmo, PG + 7));
	ASSERT_EQ(0x33, vmo_byte(vmo, 2 * PG - 1));
	/* vmo_write -> mapping */
	memcpy(buf, "mapped!", 8);
	ASSERT_OK(mx_vmo_write(vmo, buf, PG - 3, 8, &n));
	ASSERT_EQ(8, n);
	ASSERT_EQ('m', p[PG - 3]);
	ASSERT_EQ('p', p[PG]);
	ASSERT_EQ(0, memcmp((const void *)(p + PG - 3), "mapped!", 8));
	/* a second mapping of the same VMO sees the same bytes */
	{
		uintptr_t a2 = 0;

		ASSERT_OK(mx_vmar_map(self->root, 0, vmo, 0, 2 * PG, R, &a2));
		ASSERT_NE(addr, a2);
		ASSERT_EQ(0x22, ((volatile unsigned char *)a2)[PG + 7]);
		p[PG + 7] = 0x44;
		ASSERT_EQ(0x44, ((volatile unsigned char *)a2)[PG + 7]);
		ASSERT_OK(mx_vmar_unmap(self->root, a2, 2 * PG));
	}
	ASSERT_OK(mx_vmar_unmap(self->root, addr, 2 * PG));
	ASSERT_EQ(0, maps_find(addr, NULL));
	ASSERT_OK(mx_handle_close(vmo));
	ASSERT_ALL_GONE();
}

/*
 * Through a handle with READ and MAP only: a read-only mapping, which
 * neither vmar_protect nor mprotect(2) can make writable, and a write to
 * it is SIGSEGV. Through a handle with WRITE, a read-only mapping can be
 * made writable later.
 */
TEST_F(vmar, map_read_only)
{
	mx_handle_t vmo, ro;
	uintptr_t addr = 0, a2 = 0;
	volatile unsigned char *p;
	char perms[5];

	ASSERT_OK(vmo_filled(PG, 1, &vmo));
	ASSERT_OK(mx_handle_duplicate(vmo, MX_RIGHT_READ | MX_RIGHT_MAP, &ro));
	ASSERT_OK(mx_vmar_map(self->root, 0, ro, 0, PG, R, &addr));
	ASSERT_EQ(PG, maps_find(addr, perms));
	ASSERT_EQ(0, strcmp(perms, "r--s"));
	p = (volatile unsigned char *)addr;
	ASSERT_EQ(pat(0, 1), p[0]);
	ASSERT_EQ(pat(PG - 1, 1), p[PG - 1]);
	/* the VMO's later writes show */
	ASSERT_OK(vmo_put(vmo, 5, 0x99));
	ASSERT_EQ(0x99, p[5]);
	/* no way to write */
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_vmar_protect(self->root, addr, PG, RW));
	ASSERT_EQ(-1, mprotect((void *)addr, PG, PROT_READ | PROT_WRITE));
	ASSERT_EQ(EACCES, errno);
	ASSERT_EQ(-1, mprotect((void *)addr, PG, PROT_WRITE));
	ASSERT_EQ(EACCES, errno);
	ASSERT_EQ(KILLED(SIGSEGV), touch_in_child(p + 1, true, 0x42));
	ASSERT_EQ(pat(1, 1), vmo_byte(vmo, 1));
	/* a read in the child works */
	ASSERT_EQ(0, touch_in_child(p + 5, false, 0x99));
	/* protect to what it has, or less, works */
	ASSERT_OK(mx_vmar_protect(self->root, addr, PG, R));
	ASSERT_EQ(0, mprotect((void *)addr, PG, PROT_NONE));
	ASSERT_EQ(KILLED(SIGSEGV), touch_in_child(p, false, 0));
	ASSERT_OK(mx_vmar_protect(self->root, addr, PG, R));
	ASSERT_EQ(0x99, p[5]);
	ASSERT_OK(mx_vmar_unmap(self->root, addr, PG));

	/* read-only through a handle with WRITE: can be made writable */
	ASSERT_OK(mx_vmar_map(self->root, 0, vmo, 0, PG, R, &a2));
	ASSERT_EQ(PG, maps_find(a2, perms));
	ASSERT_EQ(0, strcmp(perms, "r--s"));
	ASSERT_EQ(KILLED(SIGSEGV),
		  touch_in_child((volatile unsigned char *)a2, true, 1));
	ASSERT_OK(mx_vmar_protect(self->root, a2, PG, RW));
	((volatile unsigned char *)a2)[3] = 0x77;
	ASSERT_EQ(0x77, vmo_byte(vmo, 3));
	ASSERT_OK(mx_vmar_unmap(self->root, a2, PG));

	ASSERT_OK(mx_handle_close(ro));
	ASSERT_OK(mx_handle_close(vmo));
	ASSERT_ALL_GONE();
}

/*
 * A READ_IMPLIES_EXEC personality makes mmap() add PROT_EXEC to any
 * readable mapping; one made without the EXECUTE right stays without
 * it (nor can mprotect() add it), one with the right may take it.
 */
TEST_F(vmar, read_implies_exec)
{
	int old = personality(0xffffffff);
	uintptr_t addr = 0, a2 = 0;
	mx_handle_t vmo, noexec;
	char perms[5], perms2[5];

	ASSERT_LE(0, old);
	ASSERT_OK(vmo_filled(PG, 3, &vmo));
	ASSERT_OK(mx_handle_duplicate(vmo, MX_RIGHT_READ | MX_RIGHT_MAP,
				      &noexec));
	ASSERT_LE(0, personality(old | READ_IMPLIES_EXEC));
	ASSERT_OK(mx_vmar_map(self->root, 0, noexec, 0, PG, R, &addr));
	ASSERT_OK(mx_vmar_map(self->root, 0, vmo, 0, PG, R, &a2));
	ASSERT_LE(0, personality(old));
	ASSERT_EQ(PG, maps_find(addr, perms));
	ASSERT_EQ(0, strcmp(perms, "r--s"));
	ASSERT_EQ(-1, mprotect((void *)addr, PG, PROT_READ | PROT_EXEC));
	ASSERT_EQ(EACCES, errno);
	/* with the right: "r-xs", or "r--s" where /dev is mounted noexec */
	ASSERT_EQ(PG, maps_find(a2, perms2));
	ASSERT_TRUE(!strcmp(perms2, "r-xs") || !strcmp(perms2, "r--s"))
		TH_LOG("%s", perms2);
	if (!strcmp(perms2, "r--s"))
		TH_LOG("no exec from this mount: READ_IMPLIES_EXEC not tried");
	ASSERT_EQ(pat(7, 3), ((volatile unsigned char *)addr)[7]);
	ASSERT_OK(mx_vmar_unmap(self->root, addr, PG));
	ASSERT_OK(mx_vmar_unmap(self->root, a2, PG));
	ASSERT_OK(mx_handle_close(noexec));
	ASSERT_OK(mx_handle_close(vmo));
	ASSERT_ALL_GONE();
}

/*
 * Every argument error of vmar_map, one at a time, each leaving nothing
 * mapped and *mapped_addr unwritten.
 */
TEST_F(vmar, map_errors)
{
	static const uint32_t can_map[] = {
		MX_VM_FLAG_CAN_MAP_SPECIFIC, MX_VM_FLAG_CAN_MAP_READ,
		MX_VM_FLAG_CAN_MAP_WRITE, MX_VM_FLAG_CAN_MAP_EXECUTE,
	};
	static const uint32_t unknown[] = {
		1u << 11, 1u << 12, 1u << 16, 1u << 31,
	};
	mx_handle_t vmo, nomap, nowrite, noexec, vmar_r;
	uintptr_t addr = NOADDR;
	long maps;
	size_t i;

	ASSERT_OK(mx_vmo_create(4 * PG, 0, &vmo));
	ASSERT_OK(mx_handle_duplicate(vmo, MX_RIGHT_READ | MX_RIGHT_WRITE |
				      MX_RIGHT_EXECUTE, &nomap));
	ASSERT_OK(mx_handle_duplicate(vmo, MX_RIGHT_READ | MX_RIGHT_MAP |
				      MX_RIGHT_EXECUTE, &nowrite));
	ASSERT_OK(mx_handle_duplicate(vmo, MX_RIGHT_READ | MX_RIGHT_MAP |
				      MX_RIGHT_WRITE, &noexec));
	ASSERT_OK(mx_handle_duplicate(self->root, MX_RIGHT_READ, &vmar_r));
	maps = maps_count();
	ASSERT_LT(0, maps);

	/* without MAP: ACCESS_DENIED, even for a plain read mapping */
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_vmar_map(self->root, 0, nomap, 0, PG, R, &addr));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_vmar_map(self->root, 0, nomap, 0, PG, 0, &addr));
	/* write or execute without read */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_vmar_map(self->root, 0, vmo, 0, PG, W, &addr));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_vmar_map(self->root, 0, vmo, 0, PG, X, &addr));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_vmar_map(self->root, 0, vmo, 0, PG, W | X, &addr));
	/* every CAN_MAP_ flag */
	for (i = 0; i < sizeof(can_map) / sizeof(can_map[0]); i++) {
		ASSERT_STATUS_LOG(MX_ERR_INVALID_ARGS,
				  mx_vmar_map(self->root, 0, vmo, 0, PG,
					      R | can_map[i], &addr),
				  "flag %#x", can_map[i]);
		ASSERT_STATUS_LOG(MX_ERR_INVALID_ARGS,
				  mx_vmar_map(self->root, 0, vmo, 0, PG,
					      RW | can_map[i], &addr),
				  "flag %#x", can_map[i]);
	}
	/* unknown bits */
	for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		ASSERT_STATUS_LOG(MX_ERR_INVALID_ARGS,
				  mx_vmar_map(self->root, 0, vmo, 0, PG,
					      R | unknown[i], &addr),
				  "flag %#x", unknown[i]);
	/* MAP_RANGE with SPECIFIC_OVERWRITE */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_vmar_map(self->root, 0, vmo, 0, PG,
				  R | MX_VM_FLAG_MAP_RANGE |
				  MX_VM_FLAG_SPECIFIC_OVERWRITE, &addr));
	/* PERM_ rights the VMO handle lacks */
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_vmar_map(self->root, 0, nowrite, 0, PG, RW, &addr));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_vmar_map(self->root, 0, noexec, 0, PG, R | X, &addr));
	/* and rights the VMAR handle lacks */
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_vmar_map(vmar_r, 0, vmo, 0, PG, RW, &addr));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_vmar_map(vmar_r, 0, vmo, 0, PG, R | X, &addr));
	/* len 0 */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_vmar_map(self->root, 0, vmo, 0, 0, R, &addr));
	/* vmo_offset not on a page */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_vmar_map(self->root, 0, vmo, 1, PG, R, &addr));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_vmar_map(self->root, 0, vmo, PG - 1, PG, R, &addr));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_vmar_map(self->root, 0, vmo, PG + 8, PG, R, &addr));
	/* vmo_offset + len wraps */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_vmar_map(self->root, 0, vmo, 0ULL - PG, 2 * PG, R,
				  &addr));
	/* vmar_offset without SPECIFIC */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_vmar_map(self->root, PG, vmo, 0, PG, R, &addr));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_vmar_map(self->root, 1, vmo, 0, PG, R, &addr));
	/* not on a page with SPECIFIC or SPECIFIC_OVERWRITE */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_vmar_map(self->root, 1, vmo, 0, PG,
				  R | MX_VM_FLAG_SPECIFIC, &addr));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_vmar_map(self->root, 100 * PG + 12, vmo, 0, PG,
				  R | MX_VM_FLAG_SPECIFIC_OVERWRITE, &addr));
	/* a range past the end of the address space */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_vmar_map(self->root, SIZE_MAX & ~(PG - 1), vmo, 0,
				  2 * PG, R | MX_VM_FLAG_SPECIFIC, &addr));

	/* nothing was mapped, nothing written */
	ASSERT_EQ(NOADDR, addr);
	ASSERT_EQ(maps, maps_count());

	/* the same handles work for what they allow */
	ASSERT_OK(mx_vmar_map(self->root, 0, nowrite, 0, PG, R | X, &addr));
	ASSERT_OK(mx_vmar_unmap(self->root, addr, PG));
	ASSERT_OK(mx_vmar_map(self->root, 0, noexec, 0, PG, RW, &addr));
	ASSERT_OK(mx_vmar_unmap(self->root, addr, PG));
	ASSERT_OK(mx_vmar_map(vmar_r, 0, vmo, 0, PG, R, &addr));
	ASSERT_OK(mx_vmar_unmap(self->root, addr, PG));
	ASSERT_EQ(maps, maps_count());

	ASSERT_OK(mx_handle_close(vmar_r));
	ASSERT_OK(mx_handle_close(noexec));
	ASSERT_OK(mx_handle_close(nowrite));
	ASSERT_OK(mx_handle_close(nomap));
	ASSERT_OK(mx_handle_close(vmo));
	ASSERT_ALL_GONE();
}

/* The errors' order: VMAR handle, VMO handle, MAP, flags, rights, sizes. */
TEST_F(vmar, map_error_order)
{
	mx_handle_t vmo, nomap, nowrite, ch0, ch1, closed;
	uintptr_t addr = NOADDR;

	ASSERT_OK(mx_vmo_create(PG, 0, &vmo));
	ASSERT_OK(mx_handle_duplicate(vmo, MX_RIGHT_READ | MX_RIGHT_WRITE,
				      &nomap));
	ASSERT_OK(mx_handle_duplicate(vmo, MX_RIGHT_READ | MX_RIGHT_MAP,
				      &nowrite));
	ASSERT_OK(mx_channel_create(0, &ch0, &ch1));
	ASSERT_OK(mx_vmo_create(PG, 0, &closed));
	ASSERT_OK(mx_handle_close(closed));

	/* the VMAR handle first: bad before a bad or wrong VMO handle */
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_vmar_map(MXT_BAD_VALUE, 0, MXT_BAD_VALUE, 0, PG, R,
				  &addr));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_vmar_map(MXT_BAD_VALUE, 0, ch0, 0, PG, R, &addr));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_vmar_map(closed, 0, vmo, 0, PG, R, &addr));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_vmar_map(MX_HANDLE_INVALID, 0, vmo, 0, 0, W, &addr));
	/* a VMO (or a channel) as the VMAR: WRONG_TYPE, before the VMO */
	ASSERT_STATUS(MX_ERR_WRONG_TYPE,
		      mx_vmar_map(vmo, 0, vmo, 0, PG, R, &addr));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE,
		      mx_vmar_map(vmo, 0, MXT_BAD_VALUE, 0, PG, R, &addr));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE,
		      mx_vmar_map(ch0, 0, MXT_BAD_VALUE, 0, 0, W, &addr));
	/* then the VMO handle */
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_vmar_map(self->root, 0, MXT_BAD_VALUE, 0, PG, R,
				  &addr));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_vmar_map(self->root, 0, closed, 0, 0, W, &addr));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE,
		      mx_vmar_map(self->root, 0, ch0, 0, PG, R, &addr));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE,
		      mx_vmar_map(self->root, 0, self->root, 0, 0, W, &addr));
	/* then MAP, before every flag and size */
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_vmar_map(self->root, 0, nomap, 0, PG, W, &addr));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_vmar_map(self->root, 0, nomap, 0, PG,
				  R | MX_VM_FLAG_CAN_MAP_READ, &addr));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_vmar_map(self->root, 0, nomap, 0, PG, R | (1u << 20),
				  &addr));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_vmar_map(self->root, 0, nomap, 1, 0, R, &addr));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_vmar_map(self->root, PG, nomap, 0, PG, R, &addr));
	/* flags before the rights they ask for */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_vmar_map(self->root, 0, nowrite, 0, PG, W, &addr));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_vmar_map(self->root, 0, nowrite, 0, PG,
				  RW | MX_VM_FLAG_CAN_MAP_WRITE, &addr));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_vmar_map(self->root, 0, nowrite, 0, PG,
				  RW | (1u << 30), &addr));
	/* rights before sizes and offsets */
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_vmar_map(self->root, 0, nowrite, 0, 0, RW, &addr));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_vmar_map(self->root, 0, nowrite, 1, PG, RW, &addr));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_vmar_map(self->root, PG, nowrite, 0, PG, RW, &addr));
	/* flags before sizes */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_vmar_map(self->root, 0, vmo, 0, 0, W, &addr));
	ASSERT_EQ(NOADDR, addr);

	ASSERT_OK(mx_handle_close(ch0));
	ASSERT_OK(mx_handle_close(ch1));
	ASSERT_OK(mx_handle_close(nowrite));
	ASSERT_OK(mx_handle_close(nomap));
	ASSERT_OK(mx_handle_close(vmo));
	ASSERT_ALL_GONE();
}

/* vmo_offset picks the pages: a map from page 1 starts with page 1. */
TEST_F(vmar, map_vmo_offset)
{
	volatile unsigned char *p;
	uintptr_t addr = 0;
	mx_handle_t vmo;
	size_t i;

	ASSERT_OK(mx_vmo_create(4 * PG, 0, &vmo));
	for (i = 0; i < 4; i++) {
		ASSERT_OK(vmo_put(vmo, i * PG, (unsigned char)('A' + i)));
		ASSERT_OK(vmo_put(vmo, i * PG + PG - 1,
				  (unsigned char)('a' + i)));
	}
	ASSERT_OK(mx_vmar_map(self->root, 0, vmo, PG, 2 * PG, RW, &addr));
	p = (volatile unsigned char *)addr;
	ASSERT_EQ('B', p[0]);
	ASSERT_EQ('b', p[PG - 1]);
	ASSERT_EQ('C', p[PG]);
	ASSERT_EQ('c', p[2 * PG - 1]);
	/* a write lands at the VMO's offset, not the mapping's */
	p[PG + 1] = 0x5c;
	ASSERT_EQ(0x5c, vmo_byte(vmo, 2 * PG + 1));
	ASSERT_EQ(0, vmo_byte(vmo, PG + 1));
	ASSERT_OK(mx_vmar_unmap(self->root, addr, 2 * PG));
	/* the last page alone */
	ASSERT_OK(mx_vmar_map(self->root, 0, vmo, 3 * PG, PG, R, &addr));
	p = (volatile unsigned char *)addr;
	ASSERT_EQ('D', p[0]);
	ASSERT_EQ('d', p[PG - 1]);
	ASSERT_OK(mx_vmar_unmap(self->root, addr, PG));
	ASSERT_OK(mx_handle_close(vmo));
	ASSERT_ALL_GONE();
}

/* len is rounded up to whole pages. */
TEST_F(vmar, map_len_rounded)
{
	volatile unsigned char *p;
	uintptr_t addr = 0;
	mx_handle_t vmo;

	ASSERT_OK(vmo_filled(3 * PG, 2, &vmo));
	ASSERT_OK(mx_vmar_map(self->root, 0, vmo, 0, 1, RW, &addr));
	ASSERT_EQ(PG, maps_find(addr, NULL));
	p = (volatile unsigned char *)addr;
	/* the whole first page, to its last byte */
	ASSERT_EQ(pat(PG - 1, 2), p[PG - 1]);
	p[PG - 1] = 0xe1;
	ASSERT_EQ(0xe1, vmo_byte(vmo, PG - 1));
	ASSERT_OK(mx_vmar_unmap(self->root, addr, 1));
	ASSERT_EQ(0, maps_find(addr, NULL));

	ASSERT_OK(mx_vmar_map(self->root, 0, vmo, 0, PG + 1, R, &addr));
	ASSERT_EQ(2 * PG, maps_find(addr, NULL));
	p = (volatile unsigned char *)addr;
	ASSERT_EQ(pat(2 * PG - 1, 2), p[2 * PG - 1]);
	ASSERT_OK(mx_vmar_unmap(self->root, addr, 2 * PG));

	ASSERT_OK(mx_vmar_map(self->root, 0, vmo, PG, 2 * PG - 100, R, &addr));
	ASSERT_EQ(2 * PG, maps_find(addr, NULL));
	ASSERT_EQ(pat(3 * PG - 1, 2),
		  ((volatile unsigned char *)addr)[2 * PG - 1]);
	/* unmap's len is rounded up too */
	ASSERT_OK(mx_vmar_unmap(self->root, addr, 2 * PG - 100));
	ASSERT_EQ(0, maps_find(addr, NULL));
	ASSERT_FALSE(maps_any(addr, 2 * PG));
	ASSERT_OK(mx_handle_close(vmo));
	ASSERT_ALL_GONE();
}

/*
 * SPECIFIC maps at exactly base + vmar_offset, and not over anything;
 * SPECIFIC_OVERWRITE replaces what is there.
 */
TEST_F(vmar, map_specific)
{
	mx_handle_t a, b;
	mx_info_vmar_t info;
	uintptr_t spot, addr = 0, got = NOADDR;
	volatile unsigned char *p;
	char *anon;
	long maps;

	ASSERT_OK(vmar_range(self->root, &info));
	ASSERT_OK(vmo_filled(2 * PG, 3, &a));
	ASSERT_OK(vmo_filled(2 * PG, 4, &b));
	spot = free_spot(8);
	ASSERT_NE(0, spot);
	ASSERT_LE(info.base, spot);
	spot += 2 * PG;
	ASSERT_FALSE(maps_any(spot, 2 * PG));

	ASSERT_OK(mx_vmar_map(self->root, spot - info.base, a, 0, 2 * PG,
			      RW | MX_VM_FLAG_SPECIFIC, &addr));
	ASSERT_EQ(spot, addr);
	ASSERT_EQ(2 * PG, maps_find(spot, NULL));
	p = (volatile unsigned char *)spot;
	ASSERT_EQ(pat(0, 3), p[0]);
	ASSERT_EQ(pat(2 * PG - 1, 3), p[2 * PG - 1]);

	/* not over it, nor over a part of it */
	maps = maps_count();
	ASSERT_STATUS(MX_ERR_NO_MEMORY,
		      mx_vmar_map(self->root, spot - info.base, b, 0, 2 * PG,
				  R | MX_VM_FLAG_SPECIFIC, &got));
	ASSERT_STATUS(MX_ERR_NO_MEMORY,
		      mx_vmar_map(self->root, spot - info.base + PG, b, 0,
				  2 * PG, R | MX_VM_FLAG_SPECIFIC, &got));
	ASSERT_STATUS(MX_ERR_NO_MEMORY,
		      mx_vmar_map(self->root, spot - info.base - PG, b, 0,
				  2 * PG, R | MX_VM_FLAG_SPECIFIC, &got));
	ASSERT_EQ(NOADDR, got);
	ASSERT_EQ(maps, maps_count());
	ASSERT_EQ(pat(0, 3), p[0]);
	ASSERT_EQ(pat(PG, 3), p[PG]);

	/* SPECIFIC_OVERWRITE: b's pages there now, a's untouched */
	ASSERT_OK(mx_vmar_map(self->root, spot - info.base + PG, b, 0, PG,
			      RW | MX_VM_FLAG_SPECIFIC_OVERWRITE, &got));
	ASSERT_EQ(spot + PG, got);
	ASSERT_EQ(pat(0, 3), p[0]);
	ASSERT_EQ(pat(0, 4), p[PG]);
	p[PG] = 0xb0;
	ASSERT_EQ(0xb0, vmo_byte(b, 0));
	ASSERT_EQ(pat(PG, 3), vmo_byte(a, PG));
	ASSERT_OK(mx_vmar_unmap(self->root, spot, 2 * PG));
	ASSERT_FALSE(maps_any(spot, 2 * PG));

	/* over anonymous memory: SPECIFIC refuses, OVERWRITE replaces */
	anon = mmap((void *)spot, PG, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	ASSERT_EQ((void *)spot, anon);
	anon[0] = 0x3c;
	got = NOADDR;
	ASSERT_STATUS(MX_ERR_NO_MEMORY,
		      mx_vmar_map(self->root, spot - info.base, a, 0, PG,
				  R | MX_VM_FLAG_SPECIFIC, &got));
	ASSERT_EQ(NOADDR, got);
	ASSERT_EQ(0x3c, anon[0]);
	ASSERT_OK(mx_vmar_map(self->root, spot - info.base, a, 0, PG,
			      R | MX_VM_FLAG_SPECIFIC_OVERWRITE, &got));
	ASSERT_EQ(spot, got);
	ASSERT_EQ(pat(0, 3), p[0]);
	ASSERT_OK(mx_vmar_unmap(self->root, spot, PG));

	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
	ASSERT_ALL_GONE();
}

/*
 * A mapping holds the VMO: it stays valid after the handle it was made
 * through is closed, after a handle is sent through a channel, and after
 * every handle is gone.
 */
TEST_F(vmar, map_outlives_handles)
{
	mx_handle_t vmo, dup, c0, c1, got;
	volatile unsigned char *p;
	uint32_t nb = 0, nh = 0;
	uintptr_t addr = 0;
	char byte = 'v';

	ASSERT_OK(vmo_filled(PG, 5, &vmo));
	ASSERT_OK(mx_handle_duplicate(vmo, MX_RIGHT_SAME_RIGHTS, &dup));
	ASSERT_OK(mx_vmar_map(self->root, 0, vmo, 0, PG, RW, &addr));
	p = (volatile unsigned char *)addr;
	/* closed */
	ASSERT_OK(mx_handle_close(vmo));
	ASSERT_EQ(pat(7, 5), p[7]);
	p[7] = 0x71;
	ASSERT_EQ(0x71, vmo_byte(dup, 7));
	/* sent away */
	ASSERT_OK(mx_channel_create(0, &c0, &c1));
	ASSERT_OK(mx_channel_write(c0, 0, &byte, 1, &dup, 1));
	ASSERT_FALSE(mxt_valid(dup));
	p[8] = 0x81;
	ASSERT_EQ(0x81, p[8]);
	ASSERT_OK(mx_channel_read(c1, 0, &byte, &got, 1, 1, &nb, &nh));
	ASSERT_EQ(1, nh);
	ASSERT_EQ(0x81, vmo_byte(got, 8));
	ASSERT_OK(vmo_put(got, 9, 0x91));
	ASSERT_EQ(0x91, p[9]);
	/* no handle left at all */
	ASSERT_OK(mx_handle_close(got));
	ASSERT_OK(mx_handle_close(c0));
	ASSERT_OK(mx_handle_close(c1));
	ASSERT_EQ(0x91, p[9]);
	p[10] = 0xa1;
	ASSERT_EQ(0xa1, p[10]);
	ASSERT_EQ(pat(PG - 1, 5), p[PG - 1]);
	ASSERT_EQ(0, touch_in_child(p + 10, false, 0xa1));
	ASSERT_OK(mx_vmar_unmap(self->root, addr, PG));
	ASSERT_ALL_GONE();
}

/*
 * Two processes, each with its own table, map one VMO (sent through a
 * channel) and see each other's writes through their mappings. The
 * child also maps through our root VMAR, which maps into its own space.
 */
TEST_F(vmar, two_processes)
{
	struct share_msg m = { SHARE_MAGIC, 0 };
	mx_handle_t vmo, c0, c1, hs[2];
	volatile unsigned char *p;
	uint32_t nb = 0, nh = 0;
	uintptr_t addr = 0;
	long maps;
	pid_t pid;

	ASSERT_OK(mx_vmo_create(PG, 0, &vmo));
	ASSERT_OK(mx_vmar_map(self->root, 0, vmo, 0, PG, RW, &addr));
	p = (volatile unsigned char *)addr;
	ASSERT_OK(mx_channel_create(0, &c0, &c1));
	ASSERT_OK(mx_handle_duplicate(vmo, MX_RIGHT_SAME_RIGHTS, &hs[0]));
	ASSERT_OK(mx_handle_duplicate(self->root, MX_RIGHT_SAME_RIGHTS,
				      &hs[1]));
	ASSERT_OK(mx_channel_write(c0, 0, &m, sizeof(m), hs, 2));
	maps = maps_count();
	ASSERT_LT(0, maps);
	ASSERT_OK(mxt_spawn_self("share", c1, &pid));
	/* it mapped both */
	ASSERT_OK(recv_msg(c0, &m, sizeof(m), NULL, 0, &nb, &nh));
	ASSERT_EQ(sizeof(m), nb);
	ASSERT_EQ(0, m.step);
	/* neither mapping landed here */
	ASSERT_EQ(maps, maps_count());
	/* ours -> theirs */
	p[0] = 0x11;
	m.step = 1;
	ASSERT_OK(mx_channel_write(c0, 0, &m, sizeof(m), NULL, 0));
	/* theirs -> ours */
	ASSERT_OK(recv_msg(c0, &m, sizeof(m), NULL, 0, &nb, &nh));
	ASSERT_EQ(2, m.step);
	ASSERT_EQ(0x22, p[1]);
	ASSERT_EQ(0x22, vmo_byte(vmo, 1));
	p[2] = 0x33;
	m.step = 3;
	ASSERT_OK(mx_channel_write(c0, 0, &m, sizeof(m), NULL, 0));
	ASSERT_EQ(0, mxt_reap(pid));
	/* the child's mappings and handles are gone with it; ours stays */
	ASSERT_EQ(0x22, p[1]);
	p[3] = 0x44;
	ASSERT_EQ(0x44, vmo_byte(vmo, 3));
	ASSERT_OK(mx_vmar_unmap(self->root, addr, PG));
	ASSERT_OK(mx_handle_close(c0));
	ASSERT_OK(mx_handle_close(vmo));
	ASSERT_ALL_GONE();
}

/* A VMO shrunk under its mapping: the dropped pages are SIGBUS. */
TEST_F(vmar, map_shrink_sigbus)
{
	volatile unsigned char *p;
	uintptr_t addr = 0;
	mx_handle_t vmo;

	ASSERT_OK(vmo_filled(3 * PG, 6, &vmo));
	ASSERT_OK(mx_vmar_map(self->root, 0, vmo, 0, 3 * PG, RW, &addr));
	p = (volatile unsigned char *)addr;
	ASSERT_EQ(pat(2 * PG + 5, 6), p[2 * PG + 5]);
	ASSERT_EQ(0, touch_in_child(p + 2 * PG + 5, false, pat(2 * PG + 5, 6)));
	/* a partial last page: its first bytes stay, the rest reads zero */
	ASSERT_OK(mx_vmo_set_size(vmo, PG + 100));
	ASSERT_EQ(pat(PG + 99, 6), p[PG + 99]);
	ASSERT_EQ(0, touch_in_child(p + PG + 100, false, 0));
	ASSERT_EQ(KILLED(SIGBUS), touch_in_child(p + 2 * PG, false, 0));
	ASSERT_EQ(KILLED(SIGBUS), touch_in_child(p + 2 * PG + 5, true, 1));
	/* to one page: the second is gone too */
	ASSERT_OK(mx_vmo_set_size(vmo, PG));
	ASSERT_EQ(KILLED(SIGBUS), touch_in_child(p + PG, false, 0));
	ASSERT_EQ(KILLED(SIGBUS), touch_in_child(p + PG + 99, true, 1));
	ASSERT_EQ(pat(PG - 1, 6), p[PG - 1]);
	p[0] = 0x0f;
	ASSERT_EQ(0x0f, vmo_byte(vmo, 0));
	/* grown again: the pages are back, as zeros */
	ASSERT_OK(mx_vmo_set_size(vmo, 3 * PG));
	ASSERT_EQ(0, touch_in_child(p + PG + 99, false, 0));
	ASSERT_EQ(0, touch_in_child(p + 2 * PG + 5, false, 0));
	ASSERT_EQ(0, p[2 * PG + 5]);
	p[2 * PG + 6] = 0x26;
	ASSERT_EQ(0x26, vmo_byte(vmo, 2 * PG + 6));
	ASSERT_OK(mx_vmar_unmap(self->root, addr, 3 * PG));
	ASSERT_OK(mx_handle_close(vmo));
	ASSERT_ALL_GONE();
}

/*
 * A clone mapped shows the clone's bytes (its parent's, as the clone
 * read them); once mapped it is a copy of its own: the parent's later
 * writes do not show in it, its writes do not show in the parent.
 */
TEST_F(vmar, map_clone)
{
	mx_handle_t parent, clone;
	volatile unsigned char *p;
	uintptr_t addr = 0;

	ASSERT_OK(vmo_filled(3 * PG, 7, &parent));
	ASSERT_OK(mx_vmo_clone(parent, MX_VMO_CLONE_COPY_ON_WRITE, PG,
			       2 * PG, &clone));
	/* before it is mapped, the parent's writes show through */
	ASSERT_OK(vmo_put(parent, PG + 1, 0xc1));
	ASSERT_EQ(0xc1, vmo_byte(clone, 1));
	/* a page the clone wrote is its own */
	ASSERT_OK(vmo_put(clone, PG + 2, 0xd2));
	ASSERT_EQ(pat(2 * PG + 2, 7), vmo_byte(parent, 2 * PG + 2));

	ASSERT_OK(mx_vmar_map(self->root, 0, clone, 0, 2 * PG, RW, &addr));
	p = (volatile unsigned char *)addr;
	ASSERT_EQ(pat(PG, 7), p[0]);
	ASSERT_EQ(0xc1, p[1]);
	ASSERT_EQ(0xd2, p[PG + 2]);
	ASSERT_EQ(pat(3 * PG - 1, 7), p[2 * PG - 1]);
	/* the parent's later writes show neither in the mapping nor the clone */
	ASSERT_OK(vmo_put(parent, PG + 3, 0xe3));
	ASSERT_OK(vmo_put(parent, 2 * PG + 4, 0xe4));
	ASSERT_EQ(pat(PG + 3, 7), p[3]);
	ASSERT_EQ(pat(2 * PG + 4, 7), p[PG + 4]);
	ASSERT_EQ(pat(PG + 3, 7), vmo_byte(clone, 3));
	ASSERT_EQ(pat(2 * PG + 4, 7), vmo_byte(clone, PG + 4));
	/* the mapping's writes are the clone's, not the parent's */
	p[5] = 0xf5;
	ASSERT_EQ(0xf5, vmo_byte(clone, 5));
	ASSERT_EQ(pat(PG + 5, 7), vmo_byte(parent, PG + 5));
	ASSERT_OK(vmo_put(clone, 6, 0xf6));
	ASSERT_EQ(0xf6, p[6]);
	/* even after the parent is gone */
	ASSERT_OK(mx_handle_close(parent));
	ASSERT_EQ(0xc1, p[1]);
	ASSERT_EQ(0xc1, vmo_byte(clone, 1));
	ASSERT_OK(mx_vmar_unmap(self->root, addr, 2 * PG));
	ASSERT_OK(mx_handle_close(clone));
	ASSERT_ALL_GONE();
}

/* ---- vmar_unmap ---- */

TEST_F(vmar, unmap)
{
	volatile unsigned char *p;
	uintptr_t addr = 0;
	mx_handle_t vmo, ch0, ch1;

	ASSERT_OK(vmo_filled(3 * PG, 8, &vmo));
	ASSERT_OK(mx_vmar_map(self->root, 0, vmo, 0, 3 * PG, RW, &addr));
	p = (volatile unsigned char *)addr;
	ASSERT_EQ(0, touch_in_child(p + PG, false, pat(PG, 8)));
	ASSERT_OK(mx_channel_create(0, &ch0, &ch1));

	/* errors leave it mapped */
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_vmar_unmap(MXT_BAD_VALUE, addr, PG));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_vmar_unmap(MX_HANDLE_INVALID, addr, PG));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE, mx_vmar_unmap(vmo, addr, PG));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE, mx_vmar_unmap(ch0, addr, PG));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_vmar_unmap(self->root, addr + 1, PG));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_vmar_unmap(self->root, addr + PG / 2, PG));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx_vmar_unmap(self->root, addr, 0));
	/* the handle before the range */
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_vmar_unmap(MXT_BAD_VALUE, addr + 1, 0));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE, mx_vmar_unmap(vmo, addr + 1, 0));
	ASSERT_EQ(3 * PG, maps_find(addr, NULL));
	ASSERT_EQ(pat(1, 8), p[1]);

	/* the middle page: it faults, its neighbours do not */
	ASSERT_OK(mx_vmar_unmap(self->root, addr + PG, PG));
	ASSERT_EQ(KILLED(SIGSEGV), touch_in_child(p + PG, false, 0));
	ASSERT_EQ(KILLED(SIGSEGV), touch_in_child(p + PG + 5, true, 1));
	ASSERT_EQ(pat(0, 8), p[0]);
	ASSERT_EQ(pat(2 * PG, 8), p[2 * PG]);
	ASSERT_EQ(pat(PG, 8), vmo_byte(vmo, PG));
	/* the rest */
	ASSERT_OK(mx_vmar_unmap(self->root, addr, 3 * PG));
	ASSERT_EQ(KILLED(SIGSEGV), touch_in_child(p, false, 0));
	ASSERT_EQ(KILLED(SIGSEGV), touch_in_child(p + 2 * PG, false, 0));
	ASSERT_FALSE(maps_any(addr, 3 * PG));
	/* the VMO is untouched */
	ASSERT_EQ(pat(2 * PG, 8), vmo_byte(vmo, 2 * PG));

	ASSERT_OK(mx_handle_close(ch0));
	ASSERT_OK(mx_handle_close(ch1));
	ASSERT_OK(mx_handle_close(vmo));
	ASSERT_ALL_GONE();
}

/* ---- vmar_protect ---- */

TEST_F(vmar, protect)
{
	volatile unsigned char *p;
	uintptr_t addr = 0;
	mx_handle_t vmo, vmar_r;
	char perms[5];

	ASSERT_OK(vmo_filled(2 * PG, 9, &vmo));
	ASSERT_OK(mx_vmar_map(self->root, 0, vmo, 0, 2 * PG, RW, &addr));
	p = (volatile unsigned char *)addr;

	/* read-only: a write faults, a read does not */
	ASSERT_OK(mx_vmar_protect(self->root, addr, 2 * PG, R));
	ASSERT_EQ(2 * PG, maps_find(addr, perms));
	ASSERT_EQ(0, strcmp(perms, "r--s"));
	ASSERT_EQ(KILLED(SIGSEGV), touch_in_child(p + 3, true, 1));
	ASSERT_EQ(0, touch_in_child(p + 3, false, pat(3, 9)));
	ASSERT_EQ(pat(3, 9), vmo_byte(vmo, 3));
	/* back to read-write: writes land */
	ASSERT_OK(mx_vmar_protect(self->root, addr, 2 * PG, RW));
	p[3] = 0x33;
	ASSERT_EQ(0x33, vmo_byte(vmo, 3));
	/* one page of two, with len rounded up */
	ASSERT_OK(mx_vmar_protect(self->root, addr + PG, 1, R));
	ASSERT_EQ(KILLED(SIGSEGV), touch_in_child(p + PG, true, 1));
	ASSERT_EQ(0, touch_in_child(p + 4, true, 1));
	ASSERT_OK(mx_vmar_protect(self->root, addr, 2 * PG, RW));

	/* errors, changing nothing */
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_vmar_protect(MXT_BAD_VALUE, addr, PG, R));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE, mx_vmar_protect(vmo, addr, PG, R));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_vmar_protect(self->root, addr + 1, PG, R));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_vmar_protect(self->root, addr, 0, R));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_vmar_protect(self->root, addr, PG, W));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_vmar_protect(self->root, addr, PG, X));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_vmar_protect(self->root, addr, PG, W | X));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_vmar_protect(self->root, addr, PG,
				      R | MX_VM_FLAG_SPECIFIC));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      mx_vmar_protect(self->root, addr, PG, R | (1u << 31)));
	/* order: handle, then range, then flags */
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_vmar_protect(MXT_BAD_VALUE, addr + 1, 0, W));
	ASSERT_STATUS(MX_ERR_WRONG_TYPE, mx_vmar_protect(vmo, addr + 1, 0, W));
	/* a VMAR handle without WRITE */
	ASSERT_OK(mx_handle_duplicate(self->root, MX_RIGHT_READ, &vmar_r));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_vmar_protect(vmar_r, addr, PG, RW));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_vmar_protect(vmar_r, addr, PG, R | X));
	ASSERT_EQ(2 * PG, maps_find(addr, perms));
	ASSERT_EQ(0, strcmp(perms, "rw-s"));
	p[4] = 0x44;
	ASSERT_EQ(0x44, vmo_byte(vmo, 4));
	ASSERT_OK(mx_vmar_protect(vmar_r, addr, PG, R));
	ASSERT_EQ(KILLED(SIGSEGV), touch_in_child(p + 5, true, 1));
	ASSERT_OK(mx_vmar_protect(self->root, addr, PG, RW));

	/* nothing mapped there any more: NOT_FOUND */
	ASSERT_OK(mx_vmar_unmap(self->root, addr, 2 * PG));
	ASSERT_STATUS(MX_ERR_NOT_FOUND,
		      mx_vmar_protect(self->root, addr, 2 * PG, R));

	ASSERT_OK(mx_handle_close(vmar_r));
	ASSERT_OK(mx_handle_close(vmo));
	ASSERT_ALL_GONE();
}

/* ---- the raw ioctl ---- */

/* A table opened read-only cannot map: EACCES, after the argument checks. */
TEST_F(vmar, read_only_table)
{
	struct mxchan_vmo_create vc = { .size = PG };
	struct mxchan_vmar_root vr;
	struct mxchan_vmar_map m;
	uint32_t vmo = 0, root = 0;
	uintptr_t addr[2] = { NOADDR, NOADDR };
	int fd, rw;
	long maps;

	fd = open(MXCHAN_DEVICE, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	vc.out = (uintptr_t)&vmo;
	ASSERT_EQ(0, raw_fd(fd, MXCHAN_IOC_VMO_CREATE, &vc));
	vr.out = (uintptr_t)&root;
	ASSERT_EQ(0, raw_fd(fd, MXCHAN_IOC_VMAR_ROOT, &vr));
	ASSERT_NE(0, vmo);
	ASSERT_NE(0, root);
	memset(&m, 0, sizeof(m));
	m.vmar = root;
	m.vmo = vmo;
	m.len = PG;
	m.flags = RW;
	m.mapped_addr = (uintptr_t)addr;
	maps = maps_count();
	ASSERT_EQ(EACCES, raw_fd(fd, MXCHAN_IOC_VMAR_MAP, &m));
	m.flags = R;
	ASSERT_EQ(EACCES, raw_fd(fd, MXCHAN_IOC_VMAR_MAP, &m));
	/* argument errors first */
	m.len = 0;
	ASSERT_EQ(EINVAL, raw_fd(fd, MXCHAN_IOC_VMAR_MAP, &m));
	m.len = PG;
	m.flags = W;
	ASSERT_EQ(EINVAL, raw_fd(fd, MXCHAN_IOC_VMAR_MAP, &m));
	m.flags = R;
	m.vmo = root;
	ASSERT_EQ(EPROTOTYPE, raw_fd(fd, MXCHAN_IOC_VMAR_MAP, &m));
	ASSERT_EQ(NOADDR, addr[0]);
	ASSERT_EQ(maps, maps_count());
	close(fd);

	/* the same calls on a table opened read-write map */
	rw = open(MXCHAN_DEVICE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, rw);
	ASSERT_EQ(0, raw_fd(rw, MXCHAN_IOC_VMO_CREATE, &vc));
	ASSERT_EQ(0, raw_fd(rw, MXCHAN_IOC_VMAR_ROOT, &vr));
	m.vmar = root;
	m.vmo = vmo;
	m.flags = RW;
	ASSERT_EQ(0, raw_fd(rw, MXCHAN_IOC_VMAR_MAP, &m));
	ASSERT_NE(NOADDR, addr[0]);
	ASSERT_EQ(NOADDR, addr[1]);
	((volatile unsigned char *)addr[0])[0] = 1;
	ASSERT_EQ(0, munmap((void *)addr[0], PG));
	close(rw);
	ASSERT_ALL_GONE();
}

/* reserved, and a mapped_addr that cannot be written: nothing mapped. */
TEST_F(vmar, raw_map)
{
	struct mxchan_vmar_map m;
	uintptr_t addr[2] = { NOADDR, NOADDR };
	mx_handle_t vmo;
	void *ro, *none;
	long maps;

	ASSERT_OK(mx_vmo_create(4 * PG, 0, &vmo));
	/*
	 * A page that stays there and cannot be written: a page unmapped
	 * (mxt_bad_ptr()) could be where the new mapping lands.
	 */
	none = mmap(NULL, PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, none);
	memset(&m, 0, sizeof(m));
	m.vmar = (uint32_t)self->root;
	m.vmo = (uint32_t)vmo;
	m.len = 4 * PG;
	m.flags = RW;
	m.mapped_addr = (uintptr_t)addr;
	maps = maps_count();
	ASSERT_LT(0, maps);
	m.reserved = 1;
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_VMAR_MAP, &m));
	m.reserved = 0x80000000u;
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_VMAR_MAP, &m));
	m.reserved = 0;
	/* faulting, NULL and read-only mapped_addr */
	m.mapped_addr = (uintptr_t)none;
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_VMAR_MAP, &m));
	ASSERT_EQ(maps, maps_count());
	m.mapped_addr = (uintptr_t)mxt_edge_ptr(sizeof(uintptr_t) / 2);
	ASSERT_NE(0, m.mapped_addr);
	maps = maps_count();
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_VMAR_MAP, &m));
	ASSERT_EQ(maps, maps_count());
	m.mapped_addr = 0;
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_VMAR_MAP, &m));
	ASSERT_EQ(maps, maps_count());
	ro = mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	maps = maps_count();
	m.mapped_addr = (uintptr_t)ro;
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_VMAR_MAP, &m));
	ASSERT_EQ(maps, maps_count());
	/* the address it would have used is free again: same with SPECIFIC */
	m.mapped_addr = (uintptr_t)none;
	{
		mx_info_vmar_t info;
		uintptr_t spot = free_spot(6) + PG;

		ASSERT_OK(vmar_range(self->root, &info));
		m.vmar_offset = spot - info.base;
		m.flags = RW | MX_VM_FLAG_SPECIFIC;
		ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_VMAR_MAP, &m));
		ASSERT_FALSE(maps_any(spot, 4 * PG));
		ASSERT_EQ(maps, maps_count());
		/* and it can be mapped there after */
		m.mapped_addr = (uintptr_t)addr;
		ASSERT_EQ(0, raw(MXCHAN_IOC_VMAR_MAP, &m));
		ASSERT_EQ(spot, addr[0]);
		ASSERT_EQ(NOADDR, addr[1]);
		ASSERT_OK(mx_vmar_unmap(self->root, spot, 4 * PG));
	}
	ASSERT_EQ(maps, maps_count());
	munmap(ro, PG);
	munmap(none, PG);
	ASSERT_OK(mx_handle_close(vmo));
	ASSERT_ALL_GONE();
}

/* ---- close orders ---- */

TEST_F(vmar, close_orders)
{
	volatile unsigned char *p;
	uintptr_t a1 = 0, a2 = 0;
	mx_handle_t vmo, root2;
	int i;

	for (i = 0; i < 3; i++) {
		ASSERT_OK(vmo_filled(PG, 10 + (unsigned int)i, &vmo));
		ASSERT_OK(mx_vmar_map(self->root, 0, vmo, 0, PG, RW, &a1));
		p = (volatile unsigned char *)a1;
		switch (i) {
		case 0:	/* unmap, then close */
			ASSERT_OK(mx_vmar_unmap(self->root, a1, PG));
			ASSERT_EQ(pat(1, 10), vmo_byte(vmo, 1));
			ASSERT_OK(mx_handle_close(vmo));
			break;
		case 1:	/* close, then unmap */
			ASSERT_OK(mx_handle_close(vmo));
			ASSERT_EQ(pat(1, 11), p[1]);
			p[1] = 0;
			ASSERT_OK(mx_vmar_unmap(self->root, a1, PG));
			break;
		case 2:	/* the root VMAR closed while mapped */
			ASSERT_OK(mx_vmar_map(self->root, 0, vmo, 0, PG, R,
					      &a2));
			ASSERT_OK(mx_handle_close(self->root));
			ASSERT_EQ(pat(1, 12), p[1]);
			p[1] = 0x21;
			ASSERT_EQ(0x21, ((volatile unsigned char *)a2)[1]);
			ASSERT_EQ(0x21, vmo_byte(vmo, 1));
			ASSERT_EQ(0, touch_in_child(p + 1, false, 0x21));
			/* with the VMO's handle gone too */
			ASSERT_OK(mx_handle_close(vmo));
			p[2] = 0x22;
			ASSERT_EQ(0x22, ((volatile unsigned char *)a2)[2]);
			/* a new root VMAR unmaps them */
			root2 = mx_vmar_root_self();
			ASSERT_TRUE(mxt_valid(root2));
			ASSERT_EQ(MX_OBJ_TYPE_VMAR, mxt_info(root2).type);
			self->root = root2;
			ASSERT_OK(mx_vmar_unmap(root2, a1, PG));
			ASSERT_OK(mx_vmar_unmap(root2, a2, PG));
			break;
		}
		ASSERT_FALSE(maps_any(a1, PG));
		ASSERT_EQ(KILLED(SIGSEGV), touch_in_child(p, false, 0));
	}
	ASSERT_ALL_GONE();
}

int main(int argc, char **argv)
{
	return mxt_self_main(argc, argv, child_main);
}
