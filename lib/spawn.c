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
#include <sys/wait.h>
#include <unistd.h>

#include <linux/mxchan.h>
#include <mxchan.h>

#include "mx-internal.h"

extern char **environ;

MX_EXPORT mx_status_t mxchan_table_create(int *fd)
{
	int t = open(MXCHAN_DEVICE, O_RDWR | O_CLOEXEC);

	if (t < 0)
		return errno == ENOMEM ? MX_ERR_NO_MEMORY : MX_ERR_UNAVAILABLE;
	*fd = t;
	return MX_OK;
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

	return mxchan_ioctl(MXCHAN_IOC_HANDLE_MOVE, (uintptr_t)&a);
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

	while (envp[n])
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

static mx_status_t mx_status_from_exec_errno(int err)
{
	switch (err) {
	case ENOENT:
	case ENOTDIR:
		return MX_ERR_NOT_FOUND;
	case EACCES:
	case EPERM:
		return MX_ERR_ACCESS_DENIED;
	case ENOMEM:
	case EAGAIN:
		return MX_ERR_NO_MEMORY;
	case E2BIG:
	case ENOEXEC:
		return MX_ERR_INVALID_ARGS;
	}
	return MX_ERR_INTERNAL;
}

MX_EXPORT mx_status_t mxchan_spawn(const char *path, char *const argv[],
				   char *const envp[], uint32_t count,
				   const mx_handle_t *handles,
				   const uint32_t *ids, pid_t *pid)
{
	mx_handle_t there[64];
	char entry[sizeof(MXCHAN_TABLE_FD_ENV) + 16];
	int table, report[2], err = 0;
	mx_status_t status;
	char **env;
	pid_t child;
	ssize_t n;

	if (count > 64)
		return MX_ERR_OUT_OF_RANGE;
	status = mxchan_table_create(&table);
	if (status != MX_OK)
		return status;
	env = mx_child_env(envp ? envp : environ, table, entry, sizeof(entry));
	if (!env) {
		close(table);
		return MX_ERR_NO_MEMORY;
	}
	/* a close-on-exec pipe tells us whether exec worked */
	if (pipe2(report, O_CLOEXEC) != 0) {
		free(env);
		close(table);
		return MX_ERR_NO_MEMORY;
	}
	status = mxchan_handles_give(table, handles, count, ids, there);
	if (status != MX_OK)
		goto out;

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
		status = MX_ERR_NO_MEMORY;
		goto out;
	}
	close(report[1]);
	report[1] = -1;
	do
		n = read(report[0], &err, sizeof(err));
	while (n < 0 && errno == EINTR);
	if (n == sizeof(err)) {
		waitpid(child, NULL, 0);
		status = mx_status_from_exec_errno(err);
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
