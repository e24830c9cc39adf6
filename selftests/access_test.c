// SPDX-License-Identifier: GPL-2.0
/*
 * Who may see and use what, beyond handles:
 *   - a program that runs with more privilege than its caller (setuid)
 *     does not adopt a handle table the caller names in MXCHAN_TABLE_FD:
 *     the caller would hold the same table and could plant the startup
 *     handles the program trusts;
 *   - the module's debugfs files are root's: with debugfs mounted 0755,
 *     another user can neither read the tables of other users' processes
 *     nor make the collector run by reading gc.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <magenta/process.h>
#include <magenta/processargs.h>
#include <mxchan.h>

#include "mx-internal.h"
#include "mxchan_test.h"

#define NOBODY		65534
#define PROBE_ID	PA_HND(PA_USER0, 7)
#define SUID_COPY	"/tmp/access_test_suid"

/*
 * Run as `access_test --probe`: did libmx adopt a table holding a startup
 * handle under PROBE_ID? Exit 0 if not, 1 if it did, 2 if unsure.
 */
static int probe(void)
{
	mx_handle_t h = mx_get_startup_handle(PROBE_ID);

	if (h == MX_HANDLE_INVALID)
		return 0;
	return mxt_valid(h) ? 1 : 2;
}

static bool become_nobody(void)
{
	return setgroups(0, NULL) == 0 && setgid(NOBODY) == 0 &&
	       setuid(NOBODY) == 0;
}

/* Copy this program to @path with @mode, owned by root. */
static bool copy_self(const char *path, mode_t mode)
{
	char buf[65536];
	ssize_t n;
	int in = open("/proc/self/exe", O_RDONLY), out;
	bool ok = true;

	unlink(path);
	out = open(path, O_WRONLY | O_CREAT | O_EXCL, 0700);
	if (in < 0 || out < 0)
		return false;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		ok &= write(out, buf, n) == n;
	close(in);
	close(out);
	return ok && n == 0 && chown(path, 0, 0) == 0 && chmod(path, mode) == 0;
}

/*
 * As nobody: a table holding an event under PROBE_ID, named in the
 * environment, then exec @path --probe. Returns the probe's exit status.
 */
static int run_probe_as_nobody(const char *path)
{
	struct mxchan_event_create ec = { 0 };
	uint32_t ev, there, id = PROBE_ID;
	struct mxchan_handle_move mv = {
		.handles = (uintptr_t)&ev, .out = (uintptr_t)&there,
		.ids = (uintptr_t)&id, .num_handles = 1,
	};
	char num[16];
	int status, mine, given;
	pid_t pid = fork();

	if (pid < 0)
		return 10;
	if (pid == 0) {
		if (!become_nobody())
			_exit(11);
		mine = open("/dev/mxchan", O_RDWR | O_CLOEXEC);
		given = open("/dev/mxchan", O_RDWR);	/* inherited */
		ec.out = (uintptr_t)&ev;
		mv.fd = given;
		if (mine < 0 || given < 0 ||
		    ioctl(mine, MXCHAN_IOC_EVENT_CREATE, &ec) ||
		    ioctl(mine, MXCHAN_IOC_HANDLE_MOVE, &mv))
			_exit(12);
		snprintf(num, sizeof(num), "%d", given);
		setenv("MXCHAN_TABLE_FD", num, 1);
		execl(path, path, "--probe", (char *)NULL);
		_exit(13);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return 14;
	return WEXITSTATUS(status);
}

TEST(setuid_programs_adopt_no_table)
{
	if (geteuid() != 0)
		SKIP(return, "needs root");
	/* a plain program does adopt it: the probe works */
	ASSERT_TRUE(copy_self(SUID_COPY, 0755));
	ASSERT_EQ(1, run_probe_as_nobody(SUID_COPY));
	/* setuid root, run by nobody: it must not */
	ASSERT_TRUE(copy_self(SUID_COPY, 04755));
	ASSERT_EQ(0, run_probe_as_nobody(SUID_COPY));
	unlink(SUID_COPY);
}

/* Every file of the module's debugfs directory, as nobody. */
static const char *const files[] = {
	"counters", "objects", "gc", "users",
};

static int nobody_opens(const char *path)
{
	int status, fd;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (!become_nobody())
			_exit(100);
		fd = open(path, O_RDONLY);
		_exit(fd >= 0 ? 0 : errno);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

TEST(debugfs_is_roots)
{
	const char *d = "/sys/kernel/debug";
	char path[128], id[32] = "";
	struct stat st;
	mx_handle_t ev;
	size_t i;
	FILE *f;

	if (geteuid() != 0)
		SKIP(return, "needs root");
	if (stat("/sys/kernel/debug/mxchan", &st))
		SKIP(return, "no debugfs");
	/* as a machine that lets everyone look into debugfs */
	ASSERT_EQ(0, stat(d, &st));
	ASSERT_EQ(0, mount(NULL, d, NULL, MS_REMOUNT, "mode=0755"));
	/* this process's table, and its id */
	ASSERT_OK(mx_event_create(0, &ev));
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", mxchan_table_fd());
	f = fopen(path, "r");
	ASSERT_NE(NULL, f);
	while (fgets(path, sizeof(path), f))
		if (sscanf(path, "mxchan-table: %31s", id) == 1)
			break;
	fclose(f);
	ASSERT_NE(0, id[0]);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/mxchan/%s", d, files[i]);
		EXPECT_EQ(EACCES, nobody_opens(path)) TH_LOG("%s", path);
		EXPECT_EQ(0, access(path, R_OK)) TH_LOG("%s", path);
	}
	snprintf(path, sizeof(path), "%s/mxchan/tables/%s/owner", d, id);
	EXPECT_EQ(EACCES, nobody_opens(path));
	snprintf(path, sizeof(path), "%s/mxchan/tables/%s/handles", d, id);
	EXPECT_EQ(EACCES, nobody_opens(path));
	snprintf(path, sizeof(path), "%s/mxchan/tables/%s/channels", d, id);
	EXPECT_EQ(EACCES, nobody_opens(path));
	snprintf(path, sizeof(path), "mode=%o", st.st_mode & 07777);
	ASSERT_EQ(0, mount(NULL, d, NULL, MS_REMOUNT, path));
	mx_handle_close(ev);
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--probe"))
		return probe();
	return test_harness_run(argc, argv);
}
