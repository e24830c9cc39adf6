// SPDX-License-Identifier: MIT
/*
 * Handles across processes: moving them between handle tables, and
 * starting a program with some (see <mxchan.h>).
 */
#define _GNU_SOURCE	/* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/mxchan.h>
#include <magenta/syscalls.h>
#include <mxchan.h>

#include "mx-internal.h"

extern char **environ;

static mx_status_t mx_status_from_open_errno(int err)
{
	if (err == EMFILE || err == ENFILE)
		return MX_ERR_NO_RESOURCES;
	return err == ENOMEM ? MX_ERR_NO_MEMORY : MX_ERR_UNAVAILABLE;
}

/* A new table's fd, off stdin, stdout and stderr, which a child may reuse. */
static mx_status_t mx_table_open(int *fd)
{
	int t = open(MXCHAN_DEVICE, O_RDWR | O_CLOEXEC), t3;

	if (t < 0)
		return mx_status_from_open_errno(errno);
	if (t < 3) {
		t3 = fcntl(t, F_DUPFD_CLOEXEC, 3);
		close(t);
		if (t3 < 0)
			return mx_status_from_open_errno(errno);
		t = t3;
	}
	*fd = t;
	return MX_OK;
}

/*
 * Can *@p be written? The kernel says, not a fault: getrandom() fills it
 * (with bytes the caller overwrites at once) or fails with EFAULT.
 */
static int mx_out_ok(void *p, size_t n)
{
	return p && getrandom(p, n, GRND_INSECURE) == (ssize_t)n;
}

MX_EXPORT mx_status_t mxchan_table_create(int *fd)
{
	int saved = errno, t;
	mx_status_t status = mx_table_open(&t);

	if (status == MX_OK && !mx_out_ok(fd, sizeof(*fd))) {
		close(t);	/* new and empty: as if never opened */
		status = MX_ERR_INVALID_ARGS;
	}
	if (status == MX_OK)
		*fd = t;
	errno = saved;
	return status;
}

static mx_status_t mx_move(int table_fd, uint32_t flags,
			   const mx_handle_t *from, uint32_t count,
			   const uint32_t *ids, mx_handle_t *to)
{
	struct mxchan_handle_move a = {
		.fd = table_fd,
		.flags = flags,
		.handles = (uintptr_t)from,
		.out = (uintptr_t)to,
		.ids = (uintptr_t)ids,
		.num_handles = count,
	};

	return MX_IOCTL(MXCHAN_IOC_HANDLE_MOVE, &a);
}

MX_EXPORT mx_status_t mxchan_handles_give(int table_fd,
					  const mx_handle_t *handles,
					  uint32_t count, const uint32_t *ids,
					  mx_handle_t *values)
{
	return mx_move(table_fd, 0, handles, count, ids, values);
}

MX_EXPORT mx_status_t mxchan_handles_take(int table_fd,
					  const mx_handle_t *values,
					  uint32_t count, mx_handle_t *handles)
{
	return mx_move(table_fd, MXCHAN_MOVE_TAKE, values, count, NULL,
		       handles);
}

/* envp without any MXCHAN_TABLE_FD, plus MXCHAN_TABLE_FD=fd. */
static char **mx_child_env(char *const envp[], int fd, char *entry,
			   size_t entry_size)
{
	size_t n = 0, i, k = 0;
	char **env;

	while (envp && envp[n])
		n++;
	env = calloc(n + 2, sizeof(*env));
	if (!env)
		return NULL;
	for (i = 0; i < n; i++)
		if (strncmp(envp[i], MXCHAN_TABLE_FD_ENV "=",
			    sizeof(MXCHAN_TABLE_FD_ENV)) != 0)
			env[k++] = envp[i];
	snprintf(entry, entry_size, MXCHAN_TABLE_FD_ENV "=%d", fd);
	env[k] = entry;
	return env;
}

/*
 * The handles moved, then fork or exec failed: bring them back from the
 * child's table and close them, so that no other process that inherited
 * that table (a concurrent fork) keeps them. The caller's errno is err.
 */
static mx_status_t mx_spawn_failed(int table, const mx_handle_t *there,
				   uint32_t count, int err)
{
	mx_handle_t back[64];
	uint32_t i;

	if (mxchan_handles_take(table, there, count, back) == MX_OK)
		for (i = 0; i < count; i++)
			mx_handle_close(back[i]);
	errno = err;
	return MX_ERR_IO;
}

MX_EXPORT mx_status_t mxchan_spawn(const char *path, char *const argv[],
				   char *const envp[], uint32_t count,
				   const mx_handle_t *handles,
				   const uint32_t *ids, pid_t *pid)
{
	char entry[sizeof(MXCHAN_TABLE_FD_ENV) + 16];
	int table, report[2], err = 0;
	mx_handle_t there[64];
	mx_status_t status;
	char **env;
	pid_t child;
	ssize_t n;

	if (count > 64)
		return MX_ERR_OUT_OF_RANGE;
	/* what exec would refuse for sure, before any handle moves */
	if (access(path, X_OK) != 0)
		return errno == EACCES || errno == EPERM ?
		       MX_ERR_ACCESS_DENIED : MX_ERR_NOT_FOUND;
	status = mx_table_open(&table);
	if (status != MX_OK)
		return status;
	env = mx_child_env(envp ? envp : environ, table, entry, sizeof(entry));
	if (!env) {
		close(table);
		return MX_ERR_NO_MEMORY;
	}
	/* a close-on-exec pipe tells us whether exec worked */
	if (pipe2(report, O_CLOEXEC) != 0) {
		status = mx_status_from_open_errno(errno);
		free(env);
		close(table);
		return status;
	}
	/*
	 * *pid must take the child's pid once it runs: check it can before
	 * anything happens, through the pipe (its bytes go there and back,
	 * unchanged), so that a bad pointer is INVALID_ARGS, not a fault.
	 */
	if (pid && (write(report[1], pid, sizeof(*pid)) != sizeof(*pid) ||
		    read(report[0], pid, sizeof(*pid)) != sizeof(*pid))) {
		status = MX_ERR_INVALID_ARGS;
		goto out;
	}
	status = mxchan_handles_give(table, handles, count, ids, there);
	if (status != MX_OK)
		goto out;

	/* the handles are in the child's table now */
	child = fork();
	if (child == 0) {
		/* only async-signal-safe calls from here on */
		close(report[0]);
		if (fcntl(table, F_SETFD, 0) == 0)
			execve(path, argv, env);
		err = errno;
		if (write(report[1], &err, sizeof(err)) < 0)
			_exit(126);
		_exit(127);
	}
	if (child < 0) {
		status = mx_spawn_failed(table, there, count, errno);
		goto out;
	}
	close(report[1]);
	report[1] = -1;
	do
		n = read(report[0], &err, sizeof(err));
	while (n < 0 && errno == EINTR);
	if (n == sizeof(err)) {
		waitpid(child, NULL, 0);
		status = mx_spawn_failed(table, there, count, err);
	} else if (pid) {
		*pid = child;
	}
out:
	/* the child has its own copy of the table's fd; ours goes */
	close(table);
	close(report[0]);
	if (report[1] >= 0)
		close(report[1]);
	free(env);
	return status;
}
