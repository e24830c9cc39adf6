/* SPDX-License-Identifier: MIT */
/*
 * <mxchan.h>: what libmx adds to Magenta's API for Linux processes.
 *
 * Handles live in a handle table: an open file of /dev/mxchan. Each
 * process's libmx uses one, opened on first use, or the one it was started
 * with (see mxchan_spawn). Handles move between tables in two ways:
 *
 *  - starting a program with them: mxchan_spawn();
 *  - handing them to a process that is already running: put them in a new
 *    table with mxchan_handles_give(), pass that table's file descriptor
 *    (over a UNIX socket with SCM_RIGHTS, or by inheritance), and let the
 *    receiver adopt them with mxchan_handles_take().
 *
 * Moves are all or nothing: on failure every handle stays where it was,
 * under its value. Each handle needs MX_RIGHT_TRANSFER.
 */
#ifndef MXCHAN_H_
#define MXCHAN_H_

#include <sys/types.h>

#include <magenta/syscalls.h>
#include <magenta/types.h>

__BEGIN_CDECLS

/*
 * Start the program at path (no PATH search) with argv and envp (NULL:
 * this process's environment). handles[i] leaves this process and is
 * found by the new one with mx_get_startup_handle(ids[i]); count is at
 * most 64. The child's pid goes to *pid if pid is not NULL.
 *
 * Any failure but MX_ERR_IO leaves every handle here, under its value:
 * MX_ERR_OUT_OF_RANGE (count), MX_ERR_NOT_FOUND or MX_ERR_ACCESS_DENIED
 * (path is not an executable file), MX_ERR_BAD_HANDLE, MX_ERR_ACCESS_DENIED
 * (a handle without MX_RIGHT_TRANSFER), MX_ERR_INVALID_ARGS (a handle
 * twice), MX_ERR_ALREADY_EXISTS (an id twice), MX_ERR_NO_MEMORY,
 * MX_ERR_NO_RESOURCES (out of fds). MX_ERR_IO means the handles had moved
 * when fork or exec failed: they are closed, and errno says why.
 */
mx_status_t mxchan_spawn(const char *path, char *const argv[],
			 char *const envp[], uint32_t count,
			 const mx_handle_t *handles, const uint32_t *ids,
			 pid_t *pid);

/* Open a new, empty handle table (close-on-exec); its fd goes to *fd. */
mx_status_t mxchan_table_create(int *fd);

/*
 * Move count handles of this process into the table open as table_fd;
 * their values in that table go to values[]. The handles leave this
 * process. Ids, if not NULL, are remembered there for
 * mx_get_startup_handle().
 */
mx_status_t mxchan_handles_give(int table_fd, const mx_handle_t *handles,
				uint32_t count, const uint32_t *ids,
				mx_handle_t *values);

/*
 * Move the handles with the given values out of the table open as
 * table_fd into this process; their new handles go to handles[].
 */
mx_status_t mxchan_handles_take(int table_fd, const mx_handle_t *values,
				uint32_t count, mx_handle_t *handles);

/*
 * A new close-on-exec file descriptor that poll(), select() and epoll
 * report readable while any of signals is set on handle's object (READ
 * needed), so a Magenta object can sit in an existing event loop: wait for
 * the fd, then read the channel or check the signals as usual. The fd
 * keeps the object, not a handle (closing every handle still closes the
 * object). Close it with close(). On a port, MX_PORT_READABLE makes the fd
 * readable while packets are queued, and each packet queued wakes it.
 */
mx_status_t mxchan_signal_fd(mx_handle_t handle, mx_signals_t signals,
			     int *fd);

/*
 * A server's turn in one call: write the message args->wr_* describes on
 * the channel (the reply to the last request), then read the next
 * message into args->rd_*, as mx_channel_read() with options does,
 * waiting for one until deadline while none is queued. A failed write
 * reads nothing; once the reply is out, MX_ERR_TIMED_OUT,
 * MX_ERR_PEER_CLOSED (nothing left to read) or MX_ERR_CANCELED (the
 * handle was closed meanwhile) are about the read. The handle needs READ
 * and WRITE.
 */
mx_status_t mxchan_channel_reply_read(mx_handle_t handle, uint32_t options,
				      mx_time_t deadline,
				      const mx_channel_call_args_t *args,
				      uint32_t *actual_bytes,
				      uint32_t *actual_handles);

/* mx_channel_read() that waits for a message until deadline. */
mx_status_t mxchan_channel_read_wait(mx_handle_t handle, uint32_t options,
				     mx_time_t deadline, void *bytes,
				     mx_handle_t *handles, uint32_t num_bytes,
				     uint32_t num_handles,
				     uint32_t *actual_bytes,
				     uint32_t *actual_handles);

__END_CDECLS

#endif /* MXCHAN_H_ */
