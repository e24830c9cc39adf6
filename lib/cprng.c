// SPDX-License-Identifier: MIT
/*
 * libmx: Magenta's CPRNG calls on the kernel's random pool, with no
 * state of their own. mx_cprng_draw() reads getrandom(2) (which waits
 * only until the pool was first seeded); mx_cprng_add_entropy() writes
 * the bytes to /dev/urandom, which mixes them in without crediting any
 * entropy, as Magenta's did for an unprivileged caller. A buffer that
 * faults is MX_ERR_INVALID_ARGS; EINTR is retried, never returned.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/random.h>
#include <unistd.h>

#include <magenta/syscalls.h>

#include "mx-internal.h"

static mx_status_t mx_cprng_status(int err)
{
	switch (err) {
	case EFAULT:
		return MX_ERR_INVALID_ARGS;
	case ENOSYS:
		return MX_ERR_NOT_SUPPORTED;
	default:
		return MX_ERR_INTERNAL;
	}
}

MX_EXPORT mx_status_t mx_cprng_draw(void *buffer, size_t len, size_t *actual)
{
	unsigned char *p = buffer;
	mx_status_t status = MX_OK;
	int saved = errno;
	size_t done = 0;
	ssize_t n;

	if (len > MX_CPRNG_DRAW_MAX_LEN || (!buffer && len))
		return MX_ERR_INVALID_ARGS;
	while (done < len) {
		n = getrandom(p + done, len - done, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			status = mx_cprng_status(errno);
			break;
		}
		done += (size_t)n;
	}
	errno = saved;
	if (status == MX_OK)
		*actual = len;
	return status;
}

MX_EXPORT mx_status_t mx_cprng_add_entropy(const void *buffer, size_t len)
{
	const unsigned char *p = buffer;
	mx_status_t status = MX_OK;
	int saved = errno;
	size_t done = 0;
	ssize_t n;
	int fd;

	if (len > MX_CPRNG_ADD_ENTROPY_MAX_LEN || (!buffer && len))
		return MX_ERR_INVALID_ARGS;
	if (!len)
		return MX_OK;
	fd = open("/dev/urandom", O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		errno = saved;
		return MX_ERR_UNAVAILABLE;
	}
	while (done < len) {
		n = write(fd, p + done, len - done);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			status = mx_cprng_status(errno);
			break;
		}
		done += (size_t)n;
	}
	close(fd);
	errno = saved;
	return status;
}

MX_ALIAS(mx_cprng_draw);
MX_ALIAS(mx_cprng_add_entropy);
