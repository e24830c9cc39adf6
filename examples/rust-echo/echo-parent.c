// SPDX-License-Identifier: MIT
/*
 * The C half of the rust-echo example: a Magenta-style C program (libmx)
 * and a Rust program (the fuchsia-zircon crate over libzircon) talking over
 * one channel. This program makes the channel, starts rust-echo (found next
 * to this program, or at argv[1]) with one end as its startup handle
 * PA_HND(PA_USER0, 0), sends it a message, then a message carrying an
 * event, and checks the answers: the bytes echoed, the event back with
 * USER_0 set by the Rust side. Closing its end ends rust-echo, whose exit
 * status must be 0. Exits 0 when every step behaved so.
 *
 *   make rust-example && build/examples/echo-parent     (or make check)
 */
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <magenta/processargs.h>
#include <magenta/status.h>
#include <magenta/syscalls.h>
#include <mxchan.h>

static int failures;

static void check(const char *what, int ok)
{
	printf("echo-parent: %-48s %s\n", what, ok ? "ok" : "FAILED");
	if (!ok)
		failures++;
}

static void check_status(const char *what, mx_status_t st)
{
	printf("echo-parent: %-48s %s\n", what, mx_status_get_string(st));
	if (st != MX_OK)
		failures++;
}

static mx_koid_t koid_of(mx_handle_t h)
{
	mx_info_handle_basic_t info;

	memset(&info, 0, sizeof(info));
	if (mx_object_get_info(h, MX_INFO_HANDLE_BASIC, &info, sizeof(info),
			       NULL, NULL) != MX_OK)
		return 0;
	return info.koid;
}

/*
 * Wait for the reply and read it into buf (NUL-terminated). On an error
 * buf is "" and *got_h 0: nothing of an earlier reply is left to print.
 */
static mx_status_t read_reply(mx_handle_t ch, char *buf, uint32_t size,
			      mx_handle_t *hs, uint32_t nh, uint32_t *got_h)
{
	mx_signals_t pending = 0;
	uint32_t got_b = 0;
	mx_status_t st;

	buf[0] = '\0';
	*got_h = 0;
	st = mx_object_wait_one(ch, MX_CHANNEL_READABLE | MX_CHANNEL_PEER_CLOSED,
				mx_deadline_after(MX_SEC(60)), &pending);
	if (st != MX_OK)
		return st;
	if (!(pending & MX_CHANNEL_READABLE))
		return MX_ERR_PEER_CLOSED;
	st = mx_channel_read(ch, 0, buf, hs, size - 1, nh, &got_b, got_h);
	if (st != MX_OK) {
		/* MX_ERR_BUFFER_TOO_SMALL reports sizes, not a message */
		buf[0] = '\0';
		*got_h = 0;
		return st;
	}
	buf[got_b] = '\0';
	return MX_OK;
}

int main(int argc, char **argv)
{
	char self[PATH_MAX], path[PATH_MAX], buf[256] = "";
	const char *msg = "hello from C";
	mx_handle_t mine, theirs, event, back[4];
	uint32_t id = PA_HND(PA_USER0, 0), nh = 0;
	mx_signals_t pending = 0;
	mx_koid_t event_koid;
	pid_t pid;
	int wstatus;
	ssize_t n;

	if (argc > 1) {
		snprintf(path, sizeof(path), "%s", argv[1]);
	} else {
		n = readlink("/proc/self/exe", self, sizeof(self) - 1);
		if (n < 0) {
			perror("echo-parent: /proc/self/exe");
			return 1;
		}
		self[n] = '\0';
		snprintf(path, sizeof(path), "%s/rust-echo", dirname(self));
	}

	check_status("mx_channel_create", mx_channel_create(0, &mine, &theirs));
	char *child_argv[] = { "rust-echo", NULL };
	check_status("mxchan_spawn rust-echo with PA_HND(PA_USER0, 0)",
		     mxchan_spawn(path, child_argv, NULL, 1, &theirs, &id, &pid));
	if (failures)
		return 1;
	fflush(stdout);

	/* bytes only */
	check_status("write \"hello from C\"",
		     mx_channel_write(mine, 0, msg, strlen(msg), NULL, 0));
	check_status("read the reply",
		     read_reply(mine, buf, sizeof(buf), back, 4, &nh));
	printf("echo-parent: reply \"%s\", %u handle(s)\n", buf, nh);
	check("reply is \"echo: hello from C\", no handle",
	      strcmp(buf, "echo: hello from C") == 0 && nh == 0);

	/* bytes and an event: it comes back, signaled by the Rust side */
	check_status("mx_event_create", mx_event_create(0, &event));
	event_koid = koid_of(event);
	check_status("write \"take this event\" with the event",
		     mx_channel_write(mine, 0, "take this event", 15, &event, 1));
	check_status("read the reply",
		     read_reply(mine, buf, sizeof(buf), back, 4, &nh));
	printf("echo-parent: reply \"%s\", %u handle(s)\n", buf, nh);
	check("reply is \"echo: take this event\", one handle",
	      strcmp(buf, "echo: take this event") == 0 && nh == 1);
	if (nh == 1) {
		check("the handle is the event sent (same koid)",
		      event_koid != 0 && koid_of(back[0]) == event_koid);
		mx_object_wait_one(back[0], MX_USER_SIGNAL_0, 0, &pending);
		check("rust-echo set USER_0 on it", pending & MX_USER_SIGNAL_0);
		mx_handle_close(back[0]);
	}

	/* closing our end is rust-echo's cue to exit */
	check_status("close our end", mx_handle_close(mine));
	fflush(stdout);
	if (waitpid(pid, &wstatus, 0) != pid) {
		perror("echo-parent: waitpid");
		return 1;
	}
	check("rust-echo exited with status 0",
	      WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0);
	printf("echo-parent: %s\n", failures ? "FAILED" : "C and Rust talked");
	return failures ? 1 : 0;
}
