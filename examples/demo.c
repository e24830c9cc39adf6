// SPDX-License-Identifier: MIT
/*
 * A tour of Magenta channels on Linux, written as Magenta code: the
 * <magenta/...> headers, plus <mxchan.h> to start processes with handles.
 * Part one runs in one process; part two starts a server and two clients
 * (this same program) that trade channels; part three shares a VMO and a
 * socket with a painter process; part four stops with handles spread
 * over four processes, one in flight, and shows them with mxstat(1) (when
 * it is on PATH): its table, and with "--svg FILE" its graph as a picture.
 * Exits 0 when every step behaved as Magenta specifies.
 *
 *   cc -static demo.c $(pkg-config --cflags --libs lib/libmx-uninstalled.pc)
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <magenta/process.h>
#include <magenta/processargs.h>
#include <magenta/rights.h>
#include <magenta/status.h>
#include <magenta/syscalls.h>
#include <magenta/syscalls/port.h>
#include <mxchan.h>

static int failures;

static void expect(const char *what, mx_status_t want, mx_status_t got)
{
	printf("  %-52s %s\n", what, mx_status_get_string(got));
	if (got != want) {
		printf("  ^^^ expected %s\n", mx_status_get_string(want));
		failures++;
	}
}

static mx_info_handle_basic_t info(mx_handle_t h)
{
	mx_info_handle_basic_t i;

	memset(&i, 0, sizeof(i));
	mx_object_get_info(h, MX_INFO_HANDLE_BASIC, &i, sizeof(i), NULL, NULL);
	return i;
}

static void show(const char *name, mx_handle_t h)
{
	mx_info_handle_basic_t i = info(h);

	printf("  %-8s handle %#010x  koid %llu  peer koid %llu  rights %#x\n",
	       name, (unsigned int)h, (unsigned long long)i.koid,
	       (unsigned long long)i.related_koid, i.rights);
}

/* Read a message, polling until one comes (waits arrive with ports). */
static mx_status_t read_msg(mx_handle_t h, char *buf, uint32_t size,
			    mx_handle_t *hs, uint32_t nh, uint32_t *actual_h)
{
	mx_status_t st;
	uint32_t nb;
	int tries;

	for (tries = 0; tries < 10000; tries++) {
		st = mx_channel_read(h, 0, buf, hs, size - 1, nh, &nb, actual_h);
		if (st == MX_OK)
			buf[nb] = 0;
		if (st != MX_ERR_SHOULD_WAIT)
			return st;
		usleep(1000);
	}
	return MX_ERR_TIMED_OUT;
}

static void show_packet(const mx_port_packet_t *p)
{
	if (MX_PKT_IS_USER(p->type))
		printf("  packet key %llu  USER        status %d  "
		       "payload \"%.32s\"\n", (unsigned long long)p->key, p->status,
		       (const char *)p->user.c8);
	else
		printf("  packet key %llu  %-10s  trigger %#x  observed %#x  "
		       "count %llu\n", (unsigned long long)p->key,
		       MX_PKT_IS_SIGNAL_ONE(p->type) ? "SIGNAL_ONE" :
		       MX_PKT_IS_SIGNAL_REP(p->type) ? "SIGNAL_REP" : "?",
		       p->signal.trigger, p->signal.observed,
		       (unsigned long long)p->signal.count);
}

/* One port watches a channel (REPEATING) and an event (ONCE). */
static void ports(void)
{
	mx_handle_t port, c0, c1, ev;
	mx_port_packet_t pkt;
	char buf[64];

	memset(&pkt, 0, sizeof(pkt));
	printf("\n7. Ports: one queue of packets from many objects.\n");
	expect("mx_port_create(0, &port)", MX_OK, mx_port_create(0, &port));
	show("port", port);
	mx_channel_create(0, &c0, &c1);
	mx_event_create(0, &ev);
	expect("mx_object_wait_async(c1, port, 1, READABLE, REP)", MX_OK,
	       mx_object_wait_async(c1, port, 1, MX_CHANNEL_READABLE,
				    MX_WAIT_ASYNC_REPEATING));
	expect("mx_object_wait_async(ev, port, 2, SIGNALED, ONCE)", MX_OK,
	       mx_object_wait_async(ev, port, 2, MX_EVENT_SIGNALED,
				    MX_WAIT_ASYNC_ONCE));
	expect("mx_channel_write(c0, \"one\")", MX_OK,
	       mx_channel_write(c0, 0, "one", 4, NULL, 0));
	expect("mx_channel_write(c0, \"two\")", MX_OK,
	       mx_channel_write(c0, 0, "two", 4, NULL, 0));
	expect("mx_object_signal(ev, 0, MX_EVENT_SIGNALED)", MX_OK,
	       mx_object_signal(ev, 0, MX_EVENT_SIGNALED));
	expect("mx_port_wait(port): one packet for both messages", MX_OK,
	       mx_port_wait(port, MX_TIME_INFINITE, &pkt, 0));
	show_packet(&pkt);
	expect("mx_port_wait(port): the event's packet", MX_OK,
	       mx_port_wait(port, MX_TIME_INFINITE, &pkt, 0));
	show_packet(&pkt);
	expect("mx_port_wait(port, deadline 0): nothing more", MX_ERR_TIMED_OUT,
	       mx_port_wait(port, 0, &pkt, 0));

	printf("  c1 drained, then written again; ev cleared, then set again:\n");
	while (mx_channel_read(c1, 0, buf, NULL, sizeof(buf), 0, NULL,
			       NULL) == MX_OK)
		;
	mx_channel_write(c0, 0, "three", 6, NULL, 0);
	mx_object_signal(ev, MX_EVENT_SIGNALED, 0);
	mx_object_signal(ev, 0, MX_EVENT_SIGNALED);
	expect("mx_port_wait(port): c1 is readable again", MX_OK,
	       mx_port_wait(port, MX_TIME_INFINITE, &pkt, 0));
	show_packet(&pkt);
	expect("mx_port_wait(port, 0): nothing from ev, ONCE is over",
	       MX_ERR_TIMED_OUT, mx_port_wait(port, 0, &pkt, 0));

	memset(&pkt, 0, sizeof(pkt));
	pkt.key = 3;
	pkt.type = MX_PKT_TYPE_SIGNAL_ONE;	/* the kernel makes it USER */
	snprintf((char *)pkt.user.c8, sizeof(pkt.user.c8), "queued by hand");
	expect("mx_port_queue(port, key 3, \"queued by hand\")", MX_OK,
	       mx_port_queue(port, &pkt, 0));
	expect("mx_port_wait(port): a USER packet", MX_OK,
	       mx_port_wait(port, MX_TIME_INFINITE, &pkt, 0));
	show_packet(&pkt);
	expect("mx_port_cancel(port, c1, 1)", MX_OK, mx_port_cancel(port, c1, 1));
	expect("mx_port_cancel(port, c1, 1) again", MX_ERR_NOT_FOUND,
	       mx_port_cancel(port, c1, 1));
	expect("a port is not waitable: mx_object_wait_one(port)",
	       MX_ERR_NOT_SUPPORTED,
	       mx_object_wait_one(port, MX_PORT_READABLE, 0, NULL));

	mx_handle_close(c0);
	mx_handle_close(c1);
	mx_handle_close(ev);
	mx_handle_close(port);
}

static pid_t start(const char *role, mx_handle_t h);

/*
 * The painter: gets a socket end and a VMO over its startup channel,
 * maps the VMO, writes into the mapping, and reports on the socket.
 */
static int painter(void)
{
	mx_handle_t ctl = mx_get_startup_handle(PA_HND(PA_USER0, 0));
	mx_handle_t hs[2], sock, vmo;
	char name[MX_MAX_NAME_LEN], line[96];
	uintptr_t addr;
	uint32_t nh;
	size_t n;

	if (read_msg(ctl, line, sizeof(line), hs, 2, &nh) != MX_OK || nh != 2)
		return 1;
	sock = hs[0];
	vmo = hs[1];
	mx_object_get_property(vmo, MX_PROP_NAME, name, sizeof(name));
	if (mx_vmar_map(mx_vmar_root_self(), 0, vmo, 0, 4096,
			MX_VM_FLAG_PERM_READ | MX_VM_FLAG_PERM_WRITE,
			&addr) != MX_OK)
		return 1;
	printf("    painter (pid %d): mapped VMO \"%s\" (koid %llu) at %#lx\n",
	       getpid(), name, (unsigned long long)info(vmo).koid,
	       (unsigned long)addr);
	mx_handle_close(vmo);
	n = (size_t)snprintf((char *)addr, 4096,
			     "painted by pid %d through its mapping", getpid());
	snprintf(line, sizeof(line), "wrote %zu bytes at offset 0", n);
	if (mx_socket_write(sock, 0, line, strlen(line), &n) != MX_OK)
		return 1;
	printf("    painter: told the parent \"%s\" over the socket\n", line);
	mx_vmar_unmap(mx_vmar_root_self(), addr, 4096);
	return 0;
}

/*
 * A socket and a VMO shared between processes: the parent sends one end
 * of a socket and the VMO to a child, which writes into the VMO through
 * its own mapping; the parent reads the bytes through its own.
 */
static void shared_memory(void)
{
	mx_handle_t ctl, child_end, mine, theirs, vmo, hs[2];
	char buf[96];
	uintptr_t addr = 0;
	size_t n = 0;
	pid_t pid;
	int status;

	printf("\n9. A socket and a VMO shared between processes.\n");
	expect("mx_vmo_create(64 KiB, 0, &vmo)", MX_OK,
	       mx_vmo_create(64 << 10, 0, &vmo));
	expect("mx_object_set_property(vmo, MX_PROP_NAME, \"canvas\")", MX_OK,
	       mx_object_set_property(vmo, MX_PROP_NAME, "canvas", 6));
	expect("mx_vmar_map(root, vmo, 4 KiB, READ|WRITE)", MX_OK,
	       mx_vmar_map(mx_vmar_root_self(), 0, vmo, 0, 4096,
			   MX_VM_FLAG_PERM_READ | MX_VM_FLAG_PERM_WRITE,
			   &addr));
	expect("mx_socket_create(0, &mine, &theirs)", MX_OK,
	       mx_socket_create(0, &mine, &theirs));
	mx_channel_create(0, &ctl, &child_end);
	fflush(stdout);
	pid = start("painter", child_end);
	hs[0] = theirs;
	expect("mx_handle_duplicate(vmo) for the painter", MX_OK,
	       mx_handle_duplicate(vmo, MX_RIGHT_SAME_RIGHTS, &hs[1]));
	expect("mx_channel_write(ctl, [socket end, vmo])", MX_OK,
	       mx_channel_write(ctl, 0, "paint", 6, hs, 2));
	expect("mx_object_wait_one(mine, SOCKET_READABLE)", MX_OK,
	       mx_object_wait_one(mine, MX_SOCKET_READABLE,
				  mx_deadline_after(MX_SEC(30)), NULL));
	expect("mx_socket_read(mine)", MX_OK,
	       mx_socket_read(mine, 0, buf, sizeof(buf) - 1, &n));
	buf[n] = 0;
	printf("  parent: the socket says \"%s\"\n", buf);
	printf("  parent: my mapping at %#lx reads \"%s\"\n",
	       (unsigned long)addr, addr ? (const char *)addr : "");
	expect("mx_vmo_read(vmo) sees the same bytes", MX_OK,
	       mx_vmo_read(vmo, buf, 0, sizeof(buf), &n));
	expect("the mapping and the VMO agree", MX_OK,
	       addr && !strncmp(buf, (const char *)addr, sizeof(buf)) &&
	       !strncmp(buf, "painted by pid", 14) ? MX_OK : MX_ERR_INTERNAL);
	waitpid(pid, &status, 0);
	expect("painter exited cleanly", MX_OK,
	       WIFEXITED(status) && !WEXITSTATUS(status) ? MX_OK :
	       MX_ERR_INTERNAL);
	if (addr)
		mx_vmar_unmap(mx_vmar_root_self(), addr, 4096);
	mx_handle_close(mine);
	mx_handle_close(ctl);
	mx_handle_close(vmo);
}

/* Wait for a handle's peer to close (the parent ends the snapshot so). */
static void until_closed(mx_handle_t h)
{
	mx_object_wait_one(h, MX_CHANNEL_PEER_CLOSED, MX_TIME_INFINITE, NULL);
}

/*
 * The keeper: makes a channel and an event, sends one channel end back
 * to the parent on its startup channel, and holds the rest until the
 * parent closes that channel.
 */
static int keeper(void)
{
	mx_handle_t ctl = mx_get_startup_handle(PA_HND(PA_USER0, 0));
	mx_handle_t mine, theirs, ev;

	if (mx_channel_create(0, &mine, &theirs) != MX_OK ||
	    mx_event_create(0, &ev) != MX_OK ||
	    mx_channel_write(ctl, 0, "line", 5, &theirs, 1) != MX_OK)
		return 1;
	until_closed(ctl);
	return 0;
}

/*
 * A holder: takes the message the parent sends on its startup channel,
 * with its handle, and says so, when its role is "holder-read"; a plain
 * "holder" leaves it queued, so the handle stays in flight.
 */
static int holder(int take)
{
	mx_handle_t ctl = mx_get_startup_handle(PA_HND(PA_USER0, 0));
	mx_handle_t line;
	char buf[64];
	uint32_t nh;

	if (take && (mx_object_wait_one(ctl, MX_CHANNEL_READABLE,
					MX_TIME_INFINITE, NULL) != MX_OK ||
		     mx_channel_read(ctl, 0, buf, &line, sizeof(buf), 1, NULL,
				     &nh) != MX_OK || nh != 1 ||
		     mx_channel_write(ctl, 0, "taken", 6, NULL, 0) != MX_OK))
		return 1;
	until_closed(ctl);
	return 0;
}

/* Run a program from PATH and wait for it: its exit status, -1 if absent. */
static int run(char *const argv[])
{
	pid_t pid;
	int status;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execvp(argv[0], argv);
		_exit(errno == ENOENT ? 127 : 126);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/*
 * Handles spread over four processes, one of them in flight, seen from
 * outside by mxstat: its table of these processes and, given svg, the
 * graph of who holds what as a picture.
 */
static void snapshot(const char *svg)
{
	mx_handle_t ctl, keeper_end, to[2], end[2], line, spare, carried;
	char buf[16], pids[96];
	pid_t pid[3];
	uint32_t nh;
	int i, status, rc;

	printf("\n10. Who holds what, seen from outside: mxstat.\n");
	mx_channel_create(0, &ctl, &keeper_end);
	fflush(stdout);
	pid[0] = start("keeper", keeper_end);
	expect("the keeper sends a channel end back", MX_OK,
	       read_msg(ctl, buf, sizeof(buf), &line, 1, &nh));
	mx_channel_create(0, &to[0], &end[0]);
	mx_channel_create(0, &to[1], &end[1]);
	pid[1] = start("holder-read", end[0]);
	pid[2] = start("holder", end[1]);
	expect("pass the keeper's end to the first holder", MX_OK,
	       mx_channel_write(to[0], 0, "yours", 6, &line, 1));
	mx_channel_create(0, &spare, &carried);
	expect("send the second holder a handle it leaves queued", MX_OK,
	       mx_channel_write(to[1], 0, "later", 6, &carried, 1));
	expect("the first holder took it", MX_OK,
	       read_msg(to[0], buf, sizeof(buf), NULL, 0, NULL));
	snprintf(pids, sizeof(pids), "%d,%d,%d,%d", getpid(), pid[0], pid[1],
		 pid[2]);
	printf("  mxstat -p %s\n", pids);
	rc = run((char *const[]){ "mxstat", "-p", pids, NULL });
	if (rc < 0) {
		printf("  (mxstat is not on PATH: make tools builds it)\n");
	} else {
		expect("mxstat shows the four processes' handles", MX_OK,
		       rc ? MX_ERR_INTERNAL : MX_OK);
		if (svg) {
			expect("mxstat --svg: the graph as a picture", MX_OK,
			       run((char *const[]){ "mxstat", "--svg",
						    (char *)svg, "-p", pids,
						    NULL }) ?
			       MX_ERR_INTERNAL : MX_OK);
			printf("  the picture: %s\n", svg);
		}
	}
	mx_handle_close(ctl);
	mx_handle_close(to[0]);
	mx_handle_close(to[1]);
	mx_handle_close(spare);
	for (i = 0; i < 3; i++) {
		waitpid(pid[i], &status, 0);
		expect("the process exited cleanly when its channel closed",
		       MX_OK, WIFEXITED(status) && !WEXITSTATUS(status) ?
		       MX_OK : MX_ERR_INTERNAL);
	}
}

/* The server: one new channel per request on its startup channel. */
static int server(void)
{
	mx_handle_t ctl = mx_get_startup_handle(PA_HND(PA_USER0, 0)), p, q;
	char buf[64];
	int n = 0;

	printf("    server (pid %d): my startup handle is %#x, koid %llu\n",
	       getpid(), (unsigned int)ctl, (unsigned long long)info(ctl).koid);
	while (read_msg(ctl, buf, sizeof(buf), NULL, 0, NULL) == MX_OK) {
		mx_channel_create(0, &p, &q);
		printf("    server: request \"%s\": new channel, I keep koid %llu, "
		       "send koid %llu back\n", buf,
		       (unsigned long long)info(p).koid,
		       (unsigned long long)info(q).koid);
		mx_channel_write(ctl, 0, "line", 5, &q, 1);
		if (read_msg(p, buf, sizeof(buf), NULL, 0, NULL) != MX_OK)
			return 1;
		printf("    server: on koid %llu a client says \"%s\"\n",
		       (unsigned long long)info(p).koid, buf);
		snprintf(buf, sizeof(buf), "welcome, caller %d", ++n);
		mx_channel_write(p, 0, buf, (uint32_t)strlen(buf) + 1, NULL, 0);
		mx_handle_close(p);
	}
	printf("    server: my control channel closed, exiting\n");
	return 0;
}

/* A client: receives its line to the server from the parent, uses it. */
static int client(const char *name)
{
	mx_handle_t from_parent = mx_get_startup_handle(PA_HND(PA_USER0, 0));
	mx_handle_t line;
	char buf[64];
	uint32_t nh;

	if (read_msg(from_parent, buf, sizeof(buf), &line, 1, &nh) != MX_OK ||
	    nh != 1)
		return 1;
	printf("    %s (pid %d): got handle %#x, koid %llu: \"%s\"\n", name,
	       getpid(), (unsigned int)line,
	       (unsigned long long)info(line).koid, buf);
	snprintf(buf, sizeof(buf), "hello from %s", name);
	mx_channel_write(line, 0, buf, (uint32_t)strlen(buf) + 1, NULL, 0);
	if (read_msg(line, buf, sizeof(buf), NULL, 0, NULL) != MX_OK)
		return 1;
	printf("    %s: the server answers \"%s\"\n", name, buf);
	return 0;
}

/* This same program again, in @role, with @h as its PA_USER0 handle. */
static pid_t start(const char *role, mx_handle_t h)
{
	char self[PATH_MAX], what[64];
	char *argv[] = { self, (char *)role, NULL };
	uint32_t id = PA_HND(PA_USER0, 0);
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	pid_t pid = -1;

	self[len > 0 ? len : 0] = 0;
	snprintf(what, sizeof(what), "mxchan_spawn(\"%s\", [%#x as PA_USER0])",
		 role, (unsigned int)h);
	expect(what, MX_OK, mxchan_spawn(self, argv, NULL, 1, &h, &id, &pid));
	return pid;
}

static void processes(void)
{
	mx_handle_t ctl, srv_end, to_client[2], client_end[2], line;
	const char *names[2] = { "client-1", "client-2" };
	char buf[64];
	pid_t pids[3];
	uint32_t nh;
	int i, status;


	printf("\n8. Processes: a server and two clients, trading channels.\n");
	mx_channel_create(0, &ctl, &srv_end);
	printf("  parent (pid %d) holds koid %llu, gives the server koid %llu\n",
	       getpid(), (unsigned long long)info(ctl).koid,
	       (unsigned long long)info(srv_end).koid);
	fflush(stdout);
	pids[0] = start("server", srv_end);
	expect("the parent no longer holds the server's end", MX_ERR_BAD_HANDLE,
	       mx_handle_close(srv_end));
	for (i = 0; i < 2; i++) {
		mx_channel_create(0, &to_client[i], &client_end[i]);
		fflush(stdout);
		pids[i + 1] = start(names[i], client_end[i]);
	}
	for (i = 0; i < 2; i++) {
		fflush(stdout);
		mx_channel_write(ctl, 0, names[i], (uint32_t)strlen(names[i]) + 1,
				 NULL, 0);
		expect("the server sends a new channel end", MX_OK,
		       read_msg(ctl, buf, sizeof(buf), &line, 1, &nh));
		printf("  parent: passing koid %llu (my handle %#x) on to %s\n",
		       (unsigned long long)info(line).koid, (unsigned int)line,
		       names[i]);
		fflush(stdout);
		expect("mx_channel_write(client, \"your line\", [line])", MX_OK,
		       mx_channel_write(to_client[i], 0, "your line to the server",
					24, &line, 1));
		waitpid(pids[i + 1], &status, 0);
		expect("client exited cleanly",
		       MX_OK, WIFEXITED(status) && !WEXITSTATUS(status) ?
		       MX_OK : MX_ERR_INTERNAL);
		mx_handle_close(to_client[i]);
	}
	fflush(stdout);
	mx_handle_close(ctl);
	waitpid(pids[0], &status, 0);
	expect("server exited cleanly", MX_OK,
	       WIFEXITED(status) && !WEXITSTATUS(status) ? MX_OK :
	       MX_ERR_INTERNAL);
}

int main(int argc, char **argv)
{
	mx_handle_t left, right, a, b, got[4], many[65] = { 0 };
	const char *svg = NULL;
	char buf[64];
	uint32_t nb, nh;

	setvbuf(stdout, NULL, _IOLBF, 0);
	/* a child goes by its role, in ps and in mxstat's table */
	if (argc > 1 && argv[1][0] != '-')
		prctl(PR_SET_NAME, argv[1], 0, 0, 0);
	if (argc > 1 && !strcmp(argv[1], "keeper"))
		return keeper();
	if (argc > 1 && !strncmp(argv[1], "holder", 6))
		return holder(!strcmp(argv[1], "holder-read"));
	if (argc > 2 && !strcmp(argv[1], "--svg"))
		svg = argv[2];
	else if (argc > 1 && strcmp(argv[1], "server") &&
		 strncmp(argv[1], "client", 6) && strcmp(argv[1], "painter")) {
		fprintf(stderr, "usage: demo [--svg FILE]\n");
		return 2;
	}
	if (argc > 1 && !strcmp(argv[1], "server"))
		return server();
	if (argc > 1 && !strncmp(argv[1], "client", 6))
		return client(argv[1]);
	if (argc > 1 && !strcmp(argv[1], "painter"))
		return painter();

	printf("1. A channel is a pair of endpoints.\n");
	expect("mx_channel_create(0, &left, &right)", MX_OK,
	       mx_channel_create(0, &left, &right));
	show("left", left);
	show("right", right);

	printf("\n2. Bytes written on one end are read on the other.\n");
	expect("mx_channel_write(left, \"hello, magenta\")", MX_OK,
	       mx_channel_write(left, 0, "hello, magenta", 15, NULL, 0));
	expect("mx_channel_read(right)", MX_OK,
	       mx_channel_read(right, 0, buf, NULL, sizeof(buf), 0, &nb, NULL));
	printf("  right read %u bytes: \"%s\"\n", nb, buf);
	expect("mx_channel_read(right) again", MX_ERR_SHOULD_WAIT,
	       mx_channel_read(right, 0, buf, NULL, sizeof(buf), 0, NULL, NULL));

	printf("\n3. Handles travel too: send one end of a second channel.\n");
	expect("mx_channel_create(0, &a, &b)", MX_OK,
	       mx_channel_create(0, &a, &b));
	show("a", a);
	show("b", b);
	expect("mx_channel_write(left, \"take b\", [b])", MX_OK,
	       mx_channel_write(left, 0, "take b", 7, &b, 1));
	expect("the sender no longer holds b: mx_handle_close(b)",
	       MX_ERR_BAD_HANDLE, mx_handle_close(b));
	expect("mx_channel_read(right) gets the message and b", MX_OK,
	       mx_channel_read(right, 0, buf, got, sizeof(buf), 4, &nb, &nh));
	printf("  right read \"%s\" and %u handle (new value %#x, same koid %llu)\n",
	       buf, nh, (unsigned int)got[0],
	       (unsigned long long)info(got[0]).koid);
	b = got[0];
	expect("the moved end works: mx_channel_write(a, \"ping\")", MX_OK,
	       mx_channel_write(a, 0, "ping", 5, NULL, 0));
	expect("mx_channel_read(b)", MX_OK,
	       mx_channel_read(b, 0, buf, NULL, sizeof(buf), 0, NULL, NULL));
	printf("  b read \"%s\"\n", buf);

	printf("\n4. Reads are whole messages; a small buffer loses nothing.\n");
	expect("mx_channel_write(a, 40 bytes)", MX_OK,
	       mx_channel_write(a, 0, "a message of exactly forty bytes, really", 40,
				NULL, 0));
	expect("mx_channel_read(b, 8-byte buffer)", MX_ERR_BUFFER_TOO_SMALL,
	       mx_channel_read(b, 0, buf, NULL, 8, 0, &nb, &nh));
	printf("  the kernel says the message needs %u bytes, %u handles\n",
	       nb, nh);
	expect("mx_channel_read(b, 64-byte buffer)", MX_OK,
	       mx_channel_read(b, 0, buf, NULL, sizeof(buf), 0, &nb, NULL));

	printf("\n5. The kernel checks every argument (mx_channel_write's errors).\n");
	expect("write a channel into itself", MX_ERR_NOT_SUPPORTED,
	       mx_channel_write(a, 0, NULL, 0, &a, 1));
	expect("write the same handle twice", MX_ERR_INVALID_ARGS,
	       mx_channel_write(left, 0, NULL, 0, (mx_handle_t[]){ a, a }, 2));
	expect("write 65 handles", MX_ERR_OUT_OF_RANGE,
	       mx_channel_write(left, 0, NULL, 0, many, 65));
	expect("write through a stale handle", MX_ERR_BAD_HANDLE,
	       mx_channel_write(0x7ffffffe, 0, "x", 1, NULL, 0));
	expect("a failed write kept a: mx_object_get_info(a)", MX_OK,
	       mx_object_get_info(a, MX_INFO_HANDLE_VALID, NULL, 0, NULL, NULL));

	printf("\n6. Closing one end: the other sees PEER_CLOSED once drained.\n");
	expect("mx_channel_write(left, \"last words\")", MX_OK,
	       mx_channel_write(left, 0, "last words", 11, NULL, 0));
	expect("mx_handle_close(left)", MX_OK, mx_handle_close(left));
	expect("mx_channel_read(right): still readable", MX_OK,
	       mx_channel_read(right, 0, buf, NULL, sizeof(buf), 0, NULL, NULL));
	expect("mx_channel_read(right): drained", MX_ERR_PEER_CLOSED,
	       mx_channel_read(right, 0, buf, NULL, sizeof(buf), 0, NULL, NULL));
	expect("mx_channel_write(right)", MX_ERR_PEER_CLOSED,
	       mx_channel_write(right, 0, "x", 1, NULL, 0));

	mx_handle_close(right);
	mx_handle_close(a);
	mx_handle_close(b);

	ports();
	processes();
	shared_memory();
	snapshot(svg);
	printf("\n%s\n", failures ? "demo: FAILED" :
	       "demo: every step behaved as Magenta specifies");
	return failures ? 1 : 0;
}
