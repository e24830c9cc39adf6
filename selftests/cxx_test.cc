// SPDX-License-Identifier: GPL-2.0
/*
 * The C++ wrappers of libmx (lib/include/mx/): a wrapper closes its handle when it goes
 * out of scope, is reset or is assigned over, and at no other time;
 * release() hands the value over; moves transfer ownership; channel
 * read/write of bytes and of wrapped handles (a sent wrapper is emptied
 * only by a write that succeeds); events, event pairs, ports and
 * wait_async; FIFOs, sockets, VMOs (clones, the name property) and their
 * mappings through mx::vmar::root_self(); duplicate and replace with
 * rights; statuses on invalid and wrong handles. Where debugfs has the module's counters, each test also
 * checks that it left no object, handle, message, packet or async wait
 * behind.
 *
 * The kselftest harness is C only (designated initializers, void*
 * conversions), so this file prints the same TAP itself: each test runs
 * in a child process, with a time limit, and the exit status is
 * kselftest's (0 all passed, 1 a failure, 4 skipped).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>

#include <magenta/rights.h>
#include <magenta/status.h>
#include <magenta/syscalls.h>
#include <magenta/syscalls/port.h>
#include <mx/channel.h>
#include <mx/event.h>
#include <mx/eventpair.h>
#include <mx/fifo.h>
#include <mx/socket.h>
#include <mx/handle.h>
#include <mx/object.h>
#include <mx/port.h>
#include <mx/time.h>
#include <mx/vmar.h>
#include <mx/vmo.h>

/* ---- a small TAP harness in the kselftest harness's format ---- */

namespace {

struct test_case {
	const char* name;
	void (*fn)();
};

test_case tests[64];
int num_tests;
const char* current;	/* the test running (in its child) */
bool failed;		/* by an EXPECT_* (in its child) */

struct test_abort {};	/* thrown by a failed ASSERT_* */

struct registrar {
	registrar(const char* name, void (*fn)()) {
		if (num_tests < (int)(sizeof(tests) / sizeof(tests[0])))
			tests[num_tests] = test_case{name, fn};
		num_tests++;
	}
};

template <typename V>
typename std::enable_if<std::is_integral<V>::value &&
			std::is_signed<V>::value, std::string>::type
show(V v) {
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", (long long)v);
	return buf;
}

template <typename V>
typename std::enable_if<std::is_integral<V>::value &&
			!std::is_signed<V>::value, std::string>::type
show(V v) {
	char buf[48];

	snprintf(buf, sizeof(buf), "%llu (0x%llx)", (unsigned long long)v,
		 (unsigned long long)v);
	return buf;
}

template <typename V>
typename std::enable_if<std::is_enum<V>::value, std::string>::type
show(V v) {
	return show(static_cast<typename std::underlying_type<V>::type>(v));
}

template <typename V> std::string show(V* v) {
	char buf[32];

	snprintf(buf, sizeof(buf), "%p", (const void*)v);
	return buf;
}

void report(const char* file, int line, const char* what) {
	printf("# %s:%d:%s:%s\n", file, line, current, what);
	fflush(stdout);
	failed = true;
}

void report_cmp(const char* file, int line, const char* e, const char* op,
		const char* a, const std::string& ev, const std::string& av) {
	std::string s = std::string("Expected ") + e + " (" + ev + ") " + op +
			" " + a + " (" + av + ")";

	report(file, line, s.c_str());
}

void note(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
void note(const char* fmt, ...) {
	va_list ap;

	printf("# %s: ", current);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

} // namespace

#define TEST(name)							\
	static void test_##name();					\
	static registrar registrar_##name(#name, test_##name);		\
	static void test_##name()

#define CMP_(op, e, a, fatal) do {					\
	const auto e_ = (e);						\
	const auto a_ = (a);						\
	if (!(e_ op a_)) {						\
		report_cmp(__FILE__, __LINE__, #e, #op, #a, show(e_),	\
			   show(a_));					\
		if (fatal)						\
			throw test_abort();				\
	}								\
} while (0)

#define TRUTH_(cond, want, fatal) do {					\
	if (!(cond) != !(want)) {					\
		report(__FILE__, __LINE__,				\
		       want ? "Expected " #cond " to be true"		\
			    : "Expected " #cond " to be false");	\
		if (fatal)						\
			throw test_abort();				\
	}								\
} while (0)

/* Statuses print by name. */
#define STATUS_(e, a, fatal) do {					\
	const mx_status_t e_ = (e);					\
	const mx_status_t a_ = (a);					\
	if (e_ != a_) {							\
		std::string s_ = std::string("Expected ") + #a + " to be " + \
				 mx_status_get_string(e_) + ", got " +	\
				 mx_status_get_string(a_);		\
		report(__FILE__, __LINE__, s_.c_str());			\
		if (fatal)						\
			throw test_abort();				\
	}								\
} while (0)

#define ASSERT_EQ(e, a) CMP_(==, e, a, true)
#define ASSERT_NE(e, a) CMP_(!=, e, a, true)
#define ASSERT_LE(e, a) CMP_(<=, e, a, true)
#define EXPECT_EQ(e, a) CMP_(==, e, a, false)
#define EXPECT_NE(e, a) CMP_(!=, e, a, false)
#define ASSERT_TRUE(c) TRUTH_(c, true, true)
#define ASSERT_FALSE(c) TRUTH_(c, false, true)
#define EXPECT_TRUE(c) TRUTH_(c, true, false)
#define EXPECT_FALSE(c) TRUTH_(c, false, false)
#define ASSERT_STATUS(e, a) STATUS_(e, a, true)
#define EXPECT_STATUS(e, a) STATUS_(e, a, false)
#define ASSERT_OK(a) STATUS_(MX_OK, a, true)
#define EXPECT_OK(a) STATUS_(MX_OK, a, false)

/* ---- helpers ---- */

namespace {

/* Does value name a handle in this process's table? */
bool valid(mx_handle_t value) {
	return mx_object_get_info(value, MX_INFO_HANDLE_VALID, nullptr, 0,
				  nullptr, nullptr) == MX_OK;
}

/* The basic record of a handle; all zero if it is not valid. */
mx_info_handle_basic_t info(mx_handle_t value) {
	mx_info_handle_basic_t i;

	memset(&i, 0, sizeof(i));
	if (mx_object_get_info(value, MX_INFO_HANDLE_BASIC, &i, sizeof(i),
			       nullptr, nullptr) != MX_OK)
		memset(&i, 0, sizeof(i));
	return i;
}

/* The signals set on value's object now; ~0 if that cannot be seen. */
mx_signals_t signals_of(mx_handle_t value) {
	mx_signals_t s = 0;

	if (mx_object_wait_one(value, 0, 0, &s) != MX_ERR_TIMED_OUT)
		return ~0u;
	return s;
}

/* Is the peer of channel end value gone? */
bool peer_closed(mx_handle_t value) {
	mx_signals_t s = signals_of(value);

	return s != ~0u && (s & MX_CHANNEL_PEER_CLOSED);
}

/* A raw channel, both ends plain values. */
void raw_channel(mx_handle_t* a, mx_handle_t* b) {
	if (mx_channel_create(0, a, b) != MX_OK) {
		report(__FILE__, __LINE__, "mx_channel_create failed");
		throw test_abort();
	}
}

/* Create what the test needs, or give up on the test. */
#define MUST(call) ASSERT_OK(call)

/*
 * The module's live objects, handles, messages, packets and async waits,
 * summed, once its cycle collector is idle; -1 without debugfs.
 */
long live_total() {
	static const char* const names[] = {
		"objects", "handles", "messages", "packets", "async_waits",
	};
	char name[32];
	long v, total = 0;
	int seen = 0;
	FILE* f;

	f = fopen("/sys/kernel/debug/mxchan/gc", "r");	/* waits for it */
	if (f) {
		while (fscanf(f, "%31s %ld", name, &v) == 2)
			;
		fclose(f);
	}
	f = fopen("/sys/kernel/debug/mxchan/counters", "r");
	if (!f)
		return -1;
	while (fscanf(f, "%31s %ld", name, &v) == 2) {
		for (const char* n : names) {
			if (!strcmp(name, n)) {
				total += v;
				seen++;
			}
		}
	}
	fclose(f);
	return seen >= 3 ? total : -1;
}

/* Run one test in this (child) process: the exit status. */
int run_one(const test_case& t) {
	long before = live_total(), after;

	current = t.name;
	try {
		t.fn();
	} catch (const test_abort&) {
		printf("# %s: Test terminated by assertion\n", t.name);
		return 1;
	}
	after = live_total();
	if (before >= 0 && after != before) {
		note("the module counts %ld live items, %ld before the test",
		    after, before);
		failed = true;
	}
	return failed ? 1 : 0;
}

} // namespace

/* ---- ownership ---- */

/* Going out of scope closes the handle: the peer sees it, the value dies. */
TEST(scope_closes)
{
	mx_handle_t a, b, ev;

	raw_channel(&a, &b);
	{
		mx::channel end(b);

		ASSERT_EQ(b, end.get());
		ASSERT_TRUE(end.is_valid());
		ASSERT_TRUE(static_cast<bool>(end));
		ASSERT_FALSE(peer_closed(a));
		ASSERT_TRUE(valid(b));
	}
	EXPECT_TRUE(peer_closed(a));
	EXPECT_FALSE(valid(b));
	EXPECT_STATUS(MX_ERR_BAD_HANDLE, mx_handle_close(b));
	ASSERT_OK(mx_handle_close(a));

	/* the same for an event, in an mx::handle */
	MUST(mx_event_create(0, &ev));
	{
		mx::handle h(ev);

		ASSERT_TRUE(valid(ev));
	}
	EXPECT_STATUS(MX_ERR_BAD_HANDLE, mx_handle_close(ev));
}

/* An empty wrapper holds MX_HANDLE_INVALID and closes nothing. */
TEST(default_is_empty)
{
	mx_handle_t a, b;

	raw_channel(&a, &b);
	{
		mx::channel c;
		mx::event e;
		mx::handle h;

		ASSERT_EQ(MX_HANDLE_INVALID, c.get());
		ASSERT_FALSE(c.is_valid());
		ASSERT_FALSE(static_cast<bool>(e));
		ASSERT_FALSE(h.is_valid());
		ASSERT_TRUE(c == MX_HANDLE_INVALID);
	}
	ASSERT_TRUE(valid(a));
	ASSERT_TRUE(valid(b));
	ASSERT_FALSE(peer_closed(a));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
}

/* release() hands the value over and closes nothing, then or later. */
TEST(release_keeps_open)
{
	mx_handle_t a, b, got;

	raw_channel(&a, &b);
	{
		mx::channel end(b);

		got = end.release();
		ASSERT_EQ(b, got);
		ASSERT_EQ(MX_HANDLE_INVALID, end.get());
		ASSERT_FALSE(end.is_valid());
	}
	ASSERT_TRUE(valid(b));
	ASSERT_FALSE(peer_closed(a));
	/* it is the caller's to close now */
	ASSERT_OK(mx_handle_close(b));
	EXPECT_TRUE(peer_closed(a));
	ASSERT_OK(mx_handle_close(a));
}

/* reset() closes; reset(v) closes the old handle and takes v. */
TEST(reset_closes)
{
	mx_handle_t a, b, c, d;

	raw_channel(&a, &b);
	raw_channel(&c, &d);
	mx::channel end(b);

	end.reset(d);			/* b closed, d owned */
	EXPECT_TRUE(peer_closed(a));
	EXPECT_FALSE(valid(b));
	ASSERT_EQ(d, end.get());
	ASSERT_TRUE(valid(d));
	ASSERT_FALSE(peer_closed(c));

	end.reset(d);			/* the value it holds: kept */
	ASSERT_TRUE(valid(d));
	ASSERT_EQ(d, end.get());

	end.reset();			/* d closed */
	EXPECT_TRUE(peer_closed(c));
	EXPECT_FALSE(valid(d));
	ASSERT_FALSE(end.is_valid());
	end.reset();			/* nothing to close */
	ASSERT_FALSE(end.is_valid());

	/* reset_and_get_address: empty, and a C call fills it */
	mx::event ev;
	MUST(mx::event::create(0, &ev));
	mx_handle_t old = ev.get();
	mx_handle_t* where = ev.reset_and_get_address();
	EXPECT_FALSE(valid(old));
	ASSERT_EQ(MX_HANDLE_INVALID, *where);
	MUST(mx_event_create(0, where));
	ASSERT_TRUE(valid(ev.get()));
	ASSERT_EQ(static_cast<uint32_t>(MX_OBJ_TYPE_EVENT), info(ev.get()).type);

	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(c));
}

/* Moving transfers ownership; assigning over a wrapper closes its handle. */
TEST(move_transfers)
{
	mx_handle_t a, b, c, d;

	raw_channel(&a, &b);
	raw_channel(&c, &d);
	{
		mx::channel x(b);
		mx::channel y(std::move(x));	/* construction */

		ASSERT_EQ(MX_HANDLE_INVALID, x.get());
		ASSERT_EQ(b, y.get());
		ASSERT_TRUE(valid(b));
		ASSERT_FALSE(peer_closed(a));

		mx::channel z(d);
		z = std::move(y);		/* d closed, b moves */
		EXPECT_TRUE(peer_closed(c));
		EXPECT_FALSE(valid(d));
		ASSERT_EQ(b, z.get());
		ASSERT_EQ(MX_HANDLE_INVALID, y.get());
		ASSERT_FALSE(peer_closed(a));

		/* moving into itself keeps the handle */
		mx::channel& alias = z;
		z = std::move(alias);
		ASSERT_EQ(b, z.get());
		ASSERT_TRUE(valid(b));

		/* assigning an empty wrapper closes too */
		mx::channel empty;
		y = std::move(z);
		ASSERT_EQ(b, y.get());
		y = std::move(empty);
		EXPECT_TRUE(peer_closed(a));
		EXPECT_FALSE(valid(b));
		ASSERT_FALSE(y.is_valid());
	}
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(c));
}

/* swap, and moves between mx::handle and the typed wrappers. */
TEST(swap_and_convert)
{
	mx::event e1, e2;

	MUST(mx::event::create(0, &e1));
	MUST(mx::event::create(0, &e2));
	mx_handle_t v1 = e1.get(), v2 = e2.get();

	e1.swap(e2);
	ASSERT_EQ(v2, e1.get());
	ASSERT_EQ(v1, e2.get());
	ASSERT_TRUE(e1 != e2);

	mx::handle h(std::move(e1));		/* typed -> handle */
	ASSERT_EQ(v2, h.get());
	ASSERT_FALSE(e1.is_valid());
	mx::event e3, e4;
	MUST(mx::event::create(0, &e3));
	MUST(mx::event::create(0, &e4));
	mx_handle_t v3 = e3.get(), v4 = e4.get();
	mx::handle h2(std::move(e3));
	h2 = std::move(e2);			/* by assignment: v3 closed */
	ASSERT_EQ(v1, h2.get());
	ASSERT_FALSE(e2.is_valid());
	EXPECT_FALSE(valid(v3));

	/* handle to handle, closing the one assigned over */
	mx::handle h3(std::move(e4));
	h3 = std::move(h2);
	ASSERT_EQ(v1, h3.get());
	ASSERT_FALSE(h2.is_valid());
	EXPECT_FALSE(valid(v4));
	h2 = std::move(h3);
	ASSERT_EQ(v1, h2.get());

	mx::event back(std::move(h));		/* handle -> typed */
	ASSERT_EQ(v2, back.get());
	ASSERT_FALSE(h.is_valid());
	ASSERT_OK(back.signal(0, MX_EVENT_SIGNALED));
	ASSERT_TRUE(signals_of(v2) & MX_EVENT_SIGNALED);

	/* a handle closes whatever it holds */
	h2.reset();
	EXPECT_FALSE(valid(v1));
	ASSERT_TRUE(valid(v2));

	/* what converts and what does not */
	static_assert(std::is_constructible<mx::handle, mx::channel&&>::value,
		      "a channel moves into a handle");
	static_assert(!std::is_constructible<mx::channel, mx::event&&>::value,
		      "an event does not move into a channel");
	static_assert(!std::is_constructible<mx::channel, mx::handle&>::value,
		      "a handle is not copied");
	static_assert(!std::is_copy_constructible<mx::channel>::value &&
		      !std::is_copy_assignable<mx::event>::value,
		      "wrappers are move-only");
	static_assert(!std::is_convertible<mx::handle&&, mx::event>::value,
		      "handle to typed is explicit");
	static_assert(std::is_nothrow_move_constructible<mx::port>::value &&
		      std::is_nothrow_move_assignable<mx::eventpair>::value,
		      "moves do not throw");
	static_assert(sizeof(mx::channel) == sizeof(mx_handle_t),
		      "a wrapper is its value");
}

/* ---- channels ---- */

TEST(channel_bytes)
{
	mx::channel a, b;
	char buf[16];
	uint32_t nb = 77, nh = 77;

	ASSERT_OK(mx::channel::create(0, &a, &b));
	ASSERT_TRUE(a.is_valid());
	ASSERT_TRUE(b.is_valid());
	ASSERT_NE(a.get(), b.get());
	mx_info_handle_basic_t ia = info(a.get()), ib = info(b.get());
	ASSERT_EQ(static_cast<uint32_t>(mx::channel::TYPE), ia.type);
	ASSERT_EQ(ib.koid, ia.related_koid);
	ASSERT_EQ(ia.koid, ib.related_koid);
	ASSERT_EQ(static_cast<mx_rights_t>(MX_DEFAULT_CHANNEL_RIGHTS),
		  ia.rights);

	ASSERT_OK(a.write(0, "hello", 6, nullptr, 0));
	ASSERT_TRUE(signals_of(b.get()) & MX_CHANNEL_READABLE);
	/* too small a buffer: the sizes, and the message stays */
	ASSERT_STATUS(MX_ERR_BUFFER_TOO_SMALL,
		      b.read(0, buf, 2, &nb, nullptr, 0, &nh));
	ASSERT_EQ(6u, nb);
	ASSERT_EQ(0u, nh);
	memset(buf, 0, sizeof(buf));
	nb = nh = 77;
	ASSERT_OK(b.read(0, buf, sizeof(buf), &nb, nullptr, 0, &nh));
	ASSERT_EQ(6u, nb);
	ASSERT_EQ(0u, nh);
	ASSERT_EQ(0, strcmp(buf, "hello"));
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT,
		      b.read(0, buf, sizeof(buf), &nb, nullptr, 0, &nh));

	/* the other way, with the plain-value handle form and no handles */
	mx_handle_t none[1] = { MX_HANDLE_INVALID };
	ASSERT_OK(b.write(0, "back", 5, none, 0));
	ASSERT_OK(a.read(0, buf, sizeof(buf), &nb, none, 1, &nh));
	ASSERT_EQ(5u, nb);
	ASSERT_EQ(0u, nh);
	ASSERT_EQ(0, strcmp(buf, "back"));

	/* closing one end: the other reads PEER_CLOSED */
	b.reset();
	ASSERT_TRUE(peer_closed(a.get()));
	ASSERT_STATUS(MX_ERR_PEER_CLOSED, a.write(0, "x", 1, nullptr, 0));
	ASSERT_STATUS(MX_ERR_PEER_CLOSED,
		      a.read(0, buf, sizeof(buf), &nb, nullptr, 0, &nh));
}

/* A wrapped handle sent: emptied by the write, received into a wrapper. */
TEST(channel_handles)
{
	mx::channel a, b;
	mx::event ev, ev2;
	char buf[8];
	uint32_t nb = 0, nh = 0;

	MUST(mx::channel::create(0, &a, &b));
	MUST(mx::event::create(0, &ev));
	mx_handle_t sent = ev.get();
	mx_koid_t koid = info(sent).koid;
	ASSERT_NE(0u, koid);

	ASSERT_OK(a.write(0, "ev", 2, &ev, 1));
	ASSERT_FALSE(ev.is_valid());		/* released... */
	ASSERT_FALSE(valid(sent));		/* ...and gone from the table */

	mx::handle got[2];
	ASSERT_OK(b.read(0, buf, sizeof(buf), &nb, got, 2, &nh));
	ASSERT_EQ(2u, nb);
	ASSERT_EQ(1u, nh);
	ASSERT_TRUE(got[0].is_valid());
	ASSERT_FALSE(got[1].is_valid());	/* untouched */
	ASSERT_EQ(koid, info(got[0].get()).koid);
	mx::event arrived(std::move(got[0]));
	ASSERT_OK(arrived.signal(0, MX_EVENT_SIGNALED));

	/* typed wrappers on both sides; a reader's wrapper is reset */
	MUST(mx::event::create(0, &ev2));
	mx_koid_t koid2 = info(ev2.get()).koid;
	mx::event into;
	MUST(mx::event::create(0, &into));
	mx_handle_t overwritten = into.get();
	ASSERT_OK(b.write(0, nullptr, 0, &ev2, 1));
	ASSERT_FALSE(ev2.is_valid());
	ASSERT_OK(a.read(0, nullptr, 0, nullptr, &into, 1, &nh));
	ASSERT_EQ(1u, nh);
	ASSERT_EQ(koid2, info(into.get()).koid);
	EXPECT_FALSE(valid(overwritten));

	/* a read that fails leaves the wrappers as they were */
	mx::event keep;
	MUST(mx::event::create(0, &keep));
	mx_handle_t kept = keep.get();
	MUST(mx::event::create(0, &ev));
	ASSERT_OK(a.write(0, "12345678", 8, &ev, 1));
	ASSERT_STATUS(MX_ERR_BUFFER_TOO_SMALL,
		      b.read(0, buf, 1, &nb, &keep, 1, &nh));
	ASSERT_EQ(8u, nb);
	ASSERT_EQ(1u, nh);
	ASSERT_EQ(kept, keep.get());
	ASSERT_TRUE(valid(kept));
	/* the message stayed: read it into an empty array slot */
	mx::event slot[1];
	ASSERT_OK(b.read(0, buf, sizeof(buf), &nb, slot, 1, &nh));
	ASSERT_TRUE(slot[0].is_valid());

	/* plain values, as Magenta's own wrappers sent them */
	mx::event plain;
	MUST(mx::event::create(0, &plain));
	mx_handle_t v = plain.get();
	ASSERT_OK(a.write(0, nullptr, 0, &v, 1));
	mx_handle_t gone = plain.release();	/* the kernel has it now */
	ASSERT_EQ(v, gone);
	mx_handle_t rv = MX_HANDLE_INVALID;
	ASSERT_OK(b.read(0, nullptr, 0, nullptr, &rv, 1, &nh));
	ASSERT_TRUE(valid(rv));
	mx::event adopt(rv);
	ASSERT_EQ(rv, adopt.get());
}

/* Every failed write leaves each wrapper owning its handle, unchanged. */
TEST(failed_write_keeps)
{
	mx::channel a, b, c, d;
	mx::event ev, ro;
	static char big[MX_CHANNEL_MAX_MSG_BYTES + 1];

	MUST(mx::channel::create(0, &a, &b));
	MUST(mx::channel::create(0, &c, &d));
	MUST(mx::event::create(0, &ev));
	MUST(ev.duplicate(MX_RIGHT_READ, &ro));	/* no TRANSFER */
	mx_handle_t v = ev.get(), vro = ro.get(), va = a.get();

	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE,
		      a.write(0, big, sizeof(big), &ev, 1));
	EXPECT_EQ(v, ev.get());
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, a.write(1, "x", 1, &ev, 1));
	EXPECT_EQ(v, ev.get());
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, a.write(0, "x", 1, &ro, 1));
	EXPECT_EQ(vro, ro.get());
	/* the channel inside its own message */
	ASSERT_STATUS(MX_ERR_NOT_SUPPORTED, a.write(0, "x", 1, &a, 1));
	EXPECT_EQ(va, a.get());
	/* two wrappers, the second one bad: neither is released */
	mx::handle pair[2];
	pair[0] = std::move(ev);
	pair[1] = std::move(ro);
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, c.write(0, "x", 1, pair, 2));
	EXPECT_EQ(v, pair[0].get());
	EXPECT_EQ(vro, pair[1].get());
	/* a closed peer */
	d.reset();
	ASSERT_STATUS(MX_ERR_PEER_CLOSED, c.write(0, "x", 1, pair, 1));
	EXPECT_EQ(v, pair[0].get());
	/* more than 64 wrappers */
	mx::event many[MX_CHANNEL_MAX_MSG_HANDLES + 1];
	for (auto& e : many)
		MUST(mx::event::create(0, &e));
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE,
		      a.write(0, nullptr, 0, many, MX_CHANNEL_MAX_MSG_HANDLES + 1));
	for (auto& e : many)
		EXPECT_TRUE(valid(e.get()));
	/* an empty wrapper is a bad handle */
	mx::event empty;
	ASSERT_STATUS(MX_ERR_BAD_HANDLE, a.write(0, "x", 1, &empty, 1));

	/* every handle is still in the table, and b got nothing */
	EXPECT_TRUE(valid(v));
	EXPECT_TRUE(valid(vro));
	EXPECT_TRUE(valid(va));
	EXPECT_FALSE(signals_of(b.get()) & MX_CHANNEL_READABLE);

	/* and the same write then succeeds */
	ASSERT_OK(a.write(0, "x", 1, pair, 1));
	EXPECT_FALSE(pair[0].is_valid());
	EXPECT_EQ(vro, pair[1].get());
	ASSERT_OK(a.write(0, nullptr, 0, many, MX_CHANNEL_MAX_MSG_HANDLES));
	for (int i = 0; i < (int)MX_CHANNEL_MAX_MSG_HANDLES; i++)
		EXPECT_FALSE(many[i].is_valid());
	EXPECT_TRUE(many[MX_CHANNEL_MAX_MSG_HANDLES].is_valid());
}

/* call(): a request and its reply, answered by a thread. */
TEST(channel_call)
{
	mx::channel client, server;
	MUST(mx::channel::create(0, &client, &server));
	std::atomic<mx_status_t> served(MX_ERR_INTERNAL);

	std::thread t([&server, &served] {
		char req[16];
		uint32_t nb = 0, nh = 0;
		mx_status_t s = server.wait_one(MX_CHANNEL_READABLE,
						mx::deadline_after(MX_SEC(30)),
						nullptr);
		if (s == MX_OK)
			s = server.read(0, req, sizeof(req), &nb, nullptr, 0,
					&nh);
		if (s == MX_OK) {
			req[nb - 1] ^= 0x20;	/* the reply differs after the txid */
			s = server.write(0, req, nb, nullptr, 0);
		}
		served = s;
	});
	char request[] = "txidask", reply[16];
	mx_channel_call_args_t args;
	memset(&args, 0, sizeof(args));
	args.wr_bytes = request;
	args.wr_num_bytes = sizeof(request);
	args.rd_bytes = reply;
	args.rd_num_bytes = sizeof(reply);
	uint32_t nb = 0, nh = 77;
	mx_status_t rs = MX_OK;
	mx_status_t st = client.call(0, mx::deadline_after(MX_SEC(30)), &args,
				     &nb, &nh, &rs);
	t.join();
	ASSERT_OK(served.load());
	ASSERT_OK(st);
	ASSERT_EQ((uint32_t)sizeof(request), nb);
	ASSERT_EQ(0u, nh);
	ASSERT_EQ(0, memcmp(reply, "txid", 4));
	ASSERT_EQ('\0' ^ 0x20, reply[sizeof(request) - 1]);
}

/* ---- events, event pairs, signals ---- */

TEST(event_signal_wait)
{
	mx::event ev;
	mx_signals_t seen = 0;

	ASSERT_OK(mx::event::create(0, &ev));
	ASSERT_EQ(static_cast<uint32_t>(mx::event::TYPE), info(ev.get()).type);
	ASSERT_STATUS(MX_ERR_TIMED_OUT,
		      ev.wait_one(MX_EVENT_SIGNALED, 0, &seen));
	ASSERT_FALSE(seen & MX_EVENT_SIGNALED);
	ASSERT_TRUE(seen & MX_SIGNAL_LAST_HANDLE);

	ASSERT_OK(ev.signal(0, MX_EVENT_SIGNALED | MX_USER_SIGNAL_3));
	ASSERT_OK(ev.wait_one(MX_EVENT_SIGNALED,
			      mx::deadline_after(MX_SEC(1)), &seen));
	ASSERT_TRUE(seen & MX_EVENT_SIGNALED);
	ASSERT_TRUE(seen & MX_USER_SIGNAL_3);
	ASSERT_OK(ev.signal(MX_EVENT_SIGNALED | MX_USER_SIGNAL_3, 0));
	ASSERT_STATUS(MX_ERR_TIMED_OUT,
		      ev.wait_one(MX_EVENT_SIGNALED | MX_USER_SIGNAL_3, 0,
				  &seen));
	/* a bit events do not have */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, ev.signal(0, MX_CHANNEL_READABLE));

	/* a waiter in another thread is woken by signal() */
	std::atomic<mx_status_t> woke(MX_ERR_INTERNAL);
	std::atomic<mx_signals_t> pending(0);
	std::thread t([&ev, &woke, &pending] {
		mx_signals_t p = 0;

		woke = ev.wait_one(MX_USER_SIGNAL_1,
				   mx::deadline_after(MX_SEC(30)), &p);
		pending = p;
	});
	mx::nanosleep(mx::deadline_after(MX_MSEC(20)));
	ASSERT_OK(ev.signal(0, MX_USER_SIGNAL_1));
	t.join();
	ASSERT_OK(woke.load());
	ASSERT_TRUE(pending.load() & MX_USER_SIGNAL_1);

	/* wait_many through the wrapper's static member */
	mx::event other;
	MUST(mx::event::create(0, &other));
	mx_wait_item_t items[2] = {
		{ ev.get(), MX_EVENT_SIGNALED, 0 },
		{ other.get(), MX_EVENT_SIGNALED, 0 },
	};
	ASSERT_OK(other.signal(0, MX_EVENT_SIGNALED));
	ASSERT_OK(mx::event::wait_many(items, 2, 0));
	ASSERT_FALSE(items[0].pending & MX_EVENT_SIGNALED);
	ASSERT_TRUE(items[1].pending & MX_EVENT_SIGNALED);
}

TEST(eventpair_signal_peer)
{
	mx::eventpair p0, p1;
	mx_signals_t seen = 0;

	ASSERT_OK(mx::eventpair::create(0, &p0, &p1));
	mx_info_handle_basic_t i0 = info(p0.get()), i1 = info(p1.get());
	ASSERT_EQ(static_cast<uint32_t>(mx::eventpair::TYPE), i0.type);
	ASSERT_EQ(i1.koid, i0.related_koid);

	ASSERT_OK(p0.signal_peer(0, MX_USER_SIGNAL_0 | MX_EPAIR_SIGNALED));
	ASSERT_OK(p1.wait_one(MX_USER_SIGNAL_0, 0, &seen));
	ASSERT_TRUE(seen & MX_EPAIR_SIGNALED);
	/* the signalling side is unchanged */
	ASSERT_STATUS(MX_ERR_TIMED_OUT,
		      p0.wait_one(MX_USER_SIGNAL_0 | MX_EPAIR_SIGNALED, 0,
				  &seen));
	ASSERT_OK(p0.signal_peer(MX_USER_SIGNAL_0, 0));
	ASSERT_FALSE(signals_of(p1.get()) & MX_USER_SIGNAL_0);
	/* signal() is this side's own */
	ASSERT_OK(p1.signal(0, MX_USER_SIGNAL_7));
	ASSERT_TRUE(signals_of(p1.get()) & MX_USER_SIGNAL_7);
	ASSERT_FALSE(signals_of(p0.get()) & MX_USER_SIGNAL_7);

	/* a side going out of scope: PEER_CLOSED, and nobody to signal */
	ASSERT_FALSE(signals_of(p1.get()) & MX_EPAIR_PEER_CLOSED);
	{
		mx::eventpair gone(std::move(p0));
	}
	ASSERT_TRUE(signals_of(p1.get()) & MX_EPAIR_PEER_CLOSED);
	ASSERT_STATUS(MX_ERR_PEER_CLOSED, p1.signal_peer(0, MX_USER_SIGNAL_0));

	/* a channel's peer gets user signals too */
	mx::channel a, b;
	MUST(mx::channel::create(0, &a, &b));
	ASSERT_OK(a.signal_peer(0, MX_USER_SIGNAL_2));
	ASSERT_TRUE(signals_of(b.get()) & MX_USER_SIGNAL_2);
	ASSERT_FALSE(signals_of(a.get()) & MX_USER_SIGNAL_2);
}

/* ---- FIFOs ---- */

TEST(fifo_write_read)
{
	mx::fifo f0, f1;
	uint64_t in[4] = { 1, 2, 3, 4 }, out[4] = { 0 };
	uint32_t n = 0;

	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE, mx::fifo::create(3, 8, 0, &f0, &f1));
	ASSERT_FALSE(f0.is_valid());
	ASSERT_OK(mx::fifo::create(2, sizeof(uint64_t), 0, &f0, &f1));
	ASSERT_EQ(static_cast<uint32_t>(mx::fifo::TYPE), info(f0.get()).type);
	ASSERT_EQ(info(f1.get()).koid, info(f0.get()).related_koid);

	/* room for two of the four: the writer is full, the reader not */
	ASSERT_OK(f0.write(in, sizeof(in), &n));
	ASSERT_EQ(2u, n);
	ASSERT_FALSE(signals_of(f0.get()) & MX_FIFO_WRITABLE);
	ASSERT_TRUE(signals_of(f1.get()) & MX_FIFO_READABLE);
	ASSERT_OK(f1.read(out, sizeof(out), &n));
	ASSERT_EQ(2u, n);
	ASSERT_EQ(1u, out[0]);
	ASSERT_EQ(2u, out[1]);
	ASSERT_TRUE(signals_of(f0.get()) & MX_FIFO_WRITABLE);
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT, f1.read(out, sizeof(out), &n));

	/* a FIFO end duplicates, and user signals reach its peer */
	mx::fifo dup;
	ASSERT_OK(f0.duplicate(MX_RIGHT_SAME_RIGHTS, &dup));
	ASSERT_OK(dup.signal_peer(0, MX_USER_SIGNAL_1));
	ASSERT_TRUE(signals_of(f1.get()) & MX_USER_SIGNAL_1);

	/* the peer is closed only when its last handle goes */
	f0.reset();
	ASSERT_FALSE(signals_of(f1.get()) & MX_FIFO_PEER_CLOSED);
	dup.reset();
	ASSERT_TRUE(signals_of(f1.get()) & MX_FIFO_PEER_CLOSED);
	ASSERT_STATUS(MX_ERR_PEER_CLOSED, f1.write(in, sizeof(in), &n));
}

/* ---- sockets ---- */

TEST(socket_write_read)
{
	mx::socket s0, s1;
	char in[8] = "abcdefg", out[8] = { 0 };
	size_t n = 0;

	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx::socket::create(4, &s0, &s1));
	ASSERT_FALSE(s0.is_valid());
	ASSERT_OK(mx::socket::create(MX_SOCKET_DATAGRAM | MX_SOCKET_HAS_CONTROL,
				     &s0, &s1));
	ASSERT_EQ(static_cast<uint32_t>(mx::socket::TYPE), info(s0.get()).type);
	ASSERT_EQ(info(s1.get()).koid, info(s0.get()).related_koid);

	/* a datagram comes whole, cut to the reader's room */
	ASSERT_OK(s0.write(0, in, 7, &n));
	ASSERT_EQ(7u, n);
	ASSERT_TRUE(signals_of(s1.get()) & MX_SOCKET_READABLE);
	ASSERT_OK(s1.read(0, out, 3, &n));
	ASSERT_EQ(3u, n);
	ASSERT_EQ(0, memcmp(out, "abc", 3));
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT, s1.read(0, out, sizeof(out), &n));

	/* the control plane holds one message */
	ASSERT_OK(s1.write(MX_SOCKET_CONTROL, "c", 1, &n));
	ASSERT_STATUS(MX_ERR_SHOULD_WAIT, s1.write(MX_SOCKET_CONTROL, "d", 1,
						   &n));
	ASSERT_TRUE(signals_of(s0.get()) & MX_SOCKET_CONTROL_READABLE);
	ASSERT_OK(s0.read(MX_SOCKET_CONTROL, out, sizeof(out), &n));
	ASSERT_EQ(1u, n);
	ASSERT_EQ('c', out[0]);

	/* shutting writing down at s0 disables s1's reading */
	ASSERT_OK(s0.write(MX_SOCKET_SHUTDOWN_WRITE, nullptr, 0, nullptr));
	ASSERT_TRUE(signals_of(s0.get()) & MX_SOCKET_WRITE_DISABLED);
	ASSERT_TRUE(signals_of(s1.get()) & MX_SOCKET_READ_DISABLED);
	ASSERT_STATUS(MX_ERR_BAD_STATE, s0.write(0, in, 1, &n));
	s1.reset();
	ASSERT_TRUE(signals_of(s0.get()) & MX_SOCKET_PEER_CLOSED);
}

/* ---- VMOs and VMARs ---- */

/* A VMO's bytes at @off, as a string of @n bytes. */
static std::string vmo_bytes(const mx::vmo& v, uint64_t off, size_t n)
{
	std::string s(n, '\0');
	size_t got = 0;

	if (v.read(&s[0], off, n, &got) != MX_OK)
		return "<read failed>";
	s.resize(got);
	return s;
}

TEST(vmo_write_read_clone_map)
{
	mx::vmo v, c;
	char name[MX_MAX_NAME_LEN];
	uint64_t size = 0;
	size_t n = 0;

	ASSERT_STATUS(MX_ERR_INVALID_ARGS, mx::vmo::create(4096, 1, &v));
	ASSERT_FALSE(v.is_valid());
	ASSERT_OK(mx::vmo::create(2 * 4096 + 10, 0, &v));
	ASSERT_EQ(static_cast<uint32_t>(mx::vmo::TYPE), info(v.get()).type);
	ASSERT_EQ(static_cast<mx_rights_t>(MX_DEFAULT_VMO_RIGHTS),
		  info(v.get()).rights);
	ASSERT_OK(v.get_size(&size));
	ASSERT_EQ(2 * 4096u + 10, size);

	/* bytes at an offset; a read is cut at the size, past it refused */
	ASSERT_OK(v.write("abcdefg", 4096, 7, &n));
	ASSERT_EQ(7u, n);
	ASSERT_TRUE(vmo_bytes(v, 4096, 7) == "abcdefg");
	ASSERT_TRUE(vmo_bytes(v, 0, 3) == std::string(3, '\0'));
	ASSERT_OK(v.write("xyz12", size - 3, 5, &n));
	ASSERT_EQ(3u, n);
	ASSERT_TRUE(vmo_bytes(v, size - 3, 8) == "xyz");
	ASSERT_STATUS(MX_ERR_OUT_OF_RANGE, v.read(name, size + 1, 1, &n));

	/* the name, a property: 32 bytes out, NUL padded */
	ASSERT_OK(v.set_property(MX_PROP_NAME, "cxx-vmo", 7));
	memset(name, 'x', sizeof(name));
	ASSERT_OK(v.get_property(MX_PROP_NAME, name, sizeof(name)));
	ASSERT_EQ(0, strcmp(name, "cxx-vmo"));
	ASSERT_EQ(0, name[sizeof(name) - 1]);
	ASSERT_STATUS(MX_ERR_BUFFER_TOO_SMALL,
		      v.get_property(MX_PROP_NAME, name, sizeof(name) - 1));

	/* a clone reads its parent's page, the parent's later writes too */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, v.clone(0, 0, 4096, &c));
	ASSERT_FALSE(c.is_valid());
	ASSERT_OK(v.clone(MX_VMO_CLONE_COPY_ON_WRITE, 4096, 2 * 4096, &c));
	ASSERT_EQ(static_cast<uint32_t>(mx::vmo::TYPE), info(c.get()).type);
	ASSERT_NE(info(v.get()).koid, info(c.get()).koid);
	ASSERT_OK(c.get_property(MX_PROP_NAME, name, sizeof(name)));
	ASSERT_EQ(0, strcmp(name, "cxx-vmo"));
	ASSERT_TRUE(vmo_bytes(c, 0, 7) == "abcdefg");
	ASSERT_OK(v.write("ABC", 4096, 3, &n));
	ASSERT_TRUE(vmo_bytes(c, 0, 7) == "ABCdefg");
	/* once it writes the page, the page is its own */
	ASSERT_OK(c.write("z", 1, 1, &n));
	ASSERT_TRUE(vmo_bytes(c, 0, 7) == "AzCdefg");
	ASSERT_TRUE(vmo_bytes(v, 4096, 7) == "ABCdefg");
	ASSERT_OK(v.write("Q", 4096 + 2, 1, &n));
	ASSERT_TRUE(vmo_bytes(c, 0, 7) == "AzCdefg");
	ASSERT_TRUE(vmo_bytes(v, 4096, 7) == "ABQdefg");

	/* mapped through the root VMAR: the VMO's own pages, shared */
	auto root = mx::vmar::root_self();
	ASSERT_TRUE(root->is_valid());
	ASSERT_EQ(static_cast<uint32_t>(mx::vmar::TYPE), info(root->get()).type);
	uintptr_t addr = 0;
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      root->map(0, v, 0, 0, MX_VM_FLAG_PERM_READ, &addr));
	ASSERT_OK(root->map(0, v, 0, 2 * 4096,
			    MX_VM_FLAG_PERM_READ | MX_VM_FLAG_PERM_WRITE,
			    &addr));
	ASSERT_NE(0u, addr);
	ASSERT_EQ(0u, addr % 4096);
	volatile char* p = reinterpret_cast<volatile char*>(addr);
	ASSERT_EQ('A', p[4096]);
	ASSERT_EQ('Q', p[4096 + 2]);
	p[0] = 'M';
	ASSERT_TRUE(vmo_bytes(v, 0, 1) == "M");
	ASSERT_OK(v.write("W", 4096 + 6, 1, &n));
	ASSERT_EQ('W', p[4096 + 6]);
	/* the mapping holds the VMO: it outlives the handle it came from */
	mx::vmo keep, dup;
	ASSERT_OK(v.duplicate(MX_RIGHT_SAME_RIGHTS, &keep));
	ASSERT_OK(v.duplicate(MX_RIGHT_READ | MX_RIGHT_MAP, &dup));
	v.reset();
	ASSERT_EQ('M', p[0]);
	ASSERT_OK(keep.write("K", 1, 1, &n));
	ASSERT_EQ('K', p[1]);
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, root->unmap(addr + 1, 4096));
	ASSERT_OK(root->unmap(addr, 2 * 4096));

	/* without WRITE on the handle, mapped read-only for good */
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      root->map(0, dup, 0, 4096,
				MX_VM_FLAG_PERM_READ | MX_VM_FLAG_PERM_WRITE,
				&addr));
	ASSERT_OK(root->map(0, dup, 0, 4096, MX_VM_FLAG_PERM_READ, &addr));
	ASSERT_EQ('M', reinterpret_cast<volatile char*>(addr)[0]);
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      root->protect(addr, 4096, MX_VM_FLAG_PERM_READ |
						 MX_VM_FLAG_PERM_WRITE));
	ASSERT_OK(root->unmap(addr, 4096));

	/*
	 * A mapped clone takes its own copy: its second page, which it never
	 * wrote, is the parent's last 10 bytes and zeros, and the parent's
	 * writes show there no more.
	 */
	ASSERT_OK(root->map(0, c, 0, 2 * 4096, MX_VM_FLAG_PERM_READ, &addr));
	p = reinterpret_cast<volatile char*>(addr);
	ASSERT_EQ('z', p[1]);
	ASSERT_EQ('g', p[6]);
	ASSERT_EQ('x', p[4096 + 7]);
	ASSERT_EQ('z', p[4096 + 9]);
	ASSERT_EQ(0, p[4096 + 10]);
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      dup.write("P", 2 * 4096 + 7, 1, &n));
	ASSERT_OK(keep.write("P", 2 * 4096 + 7, 1, &n));
	ASSERT_EQ('x', p[4096 + 7]);
	ASSERT_OK(c.write("y", 3, 1, &n));
	ASSERT_EQ('y', p[3]);
	ASSERT_OK(root->unmap(addr, 2 * 4096));

	/* the root VMAR's handle goes with the table; close it here */
	mx::vmar(root->get()).reset();
	ASSERT_FALSE(valid(root->get()));
}

/* ---- ports ---- */

TEST(port_queue_wait)
{
	mx::port port;
	mx_port_packet_t in, out;

	ASSERT_OK(mx::port::create(0, &port));
	ASSERT_EQ(static_cast<uint32_t>(mx::port::TYPE), info(port.get()).type);
	memset(&in, 0, sizeof(in));
	in.key = 42;
	in.status = -7;
	for (int i = 0; i < 32; i++)
		in.user.c8[i] = (uint8_t)(3 * i + 1);
	ASSERT_OK(port.queue(&in, 0));
	memset(&out, 0xa5, sizeof(out));
	ASSERT_OK(port.wait(0, &out, 0));
	ASSERT_EQ(42u, out.key);
	ASSERT_EQ(MX_PKT_TYPE_USER, out.type);
	ASSERT_EQ(-7, out.status);
	ASSERT_EQ(0, memcmp(in.user.c8, out.user.c8, 32));
	ASSERT_STATUS(MX_ERR_TIMED_OUT,
		      port.wait(mx::deadline_after(MX_MSEC(1)), &out, 0));
	/* size is 0, as in Magenta */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, port.queue(&in, sizeof(in)));
	/* not waitable */
	ASSERT_STATUS(MX_ERR_NOT_SUPPORTED,
		      port.wait_one(MX_PORT_READABLE, 0, nullptr));
}

TEST(wait_async)
{
	mx::port port;
	mx::event ev;
	mx::channel a, b;
	mx_port_packet_t p;

	MUST(mx::port::create(0, &port));
	MUST(mx::event::create(0, &ev));
	MUST(mx::channel::create(0, &a, &b));

	ASSERT_OK(ev.wait_async(port, 7, MX_EVENT_SIGNALED,
				MX_WAIT_ASYNC_ONCE));
	ASSERT_STATUS(MX_ERR_TIMED_OUT, port.wait(0, &p, 0));
	ASSERT_OK(ev.signal(0, MX_EVENT_SIGNALED));
	memset(&p, 0xa5, sizeof(p));
	ASSERT_OK(port.wait(mx::deadline_after(MX_SEC(10)), &p, 0));
	ASSERT_EQ(7u, p.key);
	ASSERT_EQ(MX_PKT_TYPE_SIGNAL_ONE, p.type);
	ASSERT_OK(p.status);
	ASSERT_EQ(MX_EVENT_SIGNALED, p.signal.trigger);
	ASSERT_TRUE(p.signal.observed & MX_EVENT_SIGNALED);
	/* once: no second packet */
	ASSERT_OK(ev.signal(MX_EVENT_SIGNALED, 0));
	ASSERT_OK(ev.signal(0, MX_EVENT_SIGNALED));
	ASSERT_STATUS(MX_ERR_TIMED_OUT, port.wait(0, &p, 0));

	/* a channel becoming readable, repeating */
	ASSERT_OK(b.wait_async(port, 9, MX_CHANNEL_READABLE,
			       MX_WAIT_ASYNC_REPEATING));
	ASSERT_OK(a.write(0, "x", 1, nullptr, 0));
	ASSERT_OK(port.wait(mx::deadline_after(MX_SEC(10)), &p, 0));
	ASSERT_EQ(9u, p.key);
	ASSERT_EQ(MX_PKT_TYPE_SIGNAL_REP, p.type);
	ASSERT_TRUE(p.signal.observed & MX_CHANNEL_READABLE);
	/* cancel, with the wrapper: nothing more comes */
	ASSERT_OK(port.cancel(b, 9));
	char c;
	uint32_t nb, nh;
	ASSERT_OK(b.read(0, &c, 1, &nb, nullptr, 0, &nh));
	ASSERT_OK(a.write(0, "y", 1, nullptr, 0));
	ASSERT_STATUS(MX_ERR_TIMED_OUT, port.wait(0, &p, 0));
	ASSERT_STATUS(MX_ERR_NOT_FOUND, port.cancel(b.get(), 9));

	/* an already signalled event queues at once; cancel drops it */
	ASSERT_OK(ev.wait_async(port, 11, MX_EVENT_SIGNALED,
				MX_WAIT_ASYNC_ONCE));
	ASSERT_OK(port.cancel(ev, 11));
	ASSERT_STATUS(MX_ERR_TIMED_OUT, port.wait(0, &p, 0));

	/* errors go through unchanged */
	mx::port none;
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      ev.wait_async(none, 1, MX_EVENT_SIGNALED,
				    MX_WAIT_ASYNC_ONCE));
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      ev.wait_async(port, 1, MX_EVENT_SIGNALED, 77));
}

/* ---- rights ---- */

TEST(duplicate_replace)
{
	mx::event ev, dup, sub, rep;

	MUST(mx::event::create(0, &ev));
	mx_koid_t koid = info(ev.get()).koid;

	ASSERT_OK(ev.duplicate(MX_RIGHT_SAME_RIGHTS, &dup));
	ASSERT_TRUE(dup.is_valid());
	ASSERT_NE(ev.get(), dup.get());
	ASSERT_EQ(koid, info(dup.get()).koid);
	ASSERT_EQ(static_cast<mx_rights_t>(MX_DEFAULT_EVENT_RIGHTS),
		  info(dup.get()).rights);
	ASSERT_FALSE(signals_of(ev.get()) & MX_SIGNAL_LAST_HANDLE);

	ASSERT_OK(ev.duplicate(MX_RIGHT_READ | MX_RIGHT_DUPLICATE, &sub));
	ASSERT_EQ(MX_RIGHT_READ | MX_RIGHT_DUPLICATE, info(sub.get()).rights);
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, sub.signal(0, MX_EVENT_SIGNALED));
	/* not a subset of sub's rights: INVALID_ARGS, and the out-wrapper
	 * (holding dup) is reset, as in Magenta */
	mx_handle_t dupv = dup.get();
	ASSERT_STATUS(MX_ERR_INVALID_ARGS,
		      sub.duplicate(MX_RIGHT_WRITE, &dup));
	ASSERT_FALSE(dup.is_valid());
	EXPECT_FALSE(valid(dupv));
	ASSERT_TRUE(sub.is_valid());

	/* replace: the old value dies, the new one has the rights asked */
	mx_handle_t old = ev.get();
	ASSERT_OK(ev.replace(MX_RIGHT_READ | MX_RIGHT_SIGNAL, &rep));
	ASSERT_FALSE(ev.is_valid());
	EXPECT_FALSE(valid(old));
	ASSERT_EQ(koid, info(rep.get()).koid);
	ASSERT_EQ(MX_RIGHT_READ | MX_RIGHT_SIGNAL,
		  info(rep.get()).rights);
	/* into itself */
	old = sub.get();
	ASSERT_OK(sub.replace(MX_RIGHT_READ, &sub));
	ASSERT_TRUE(sub.is_valid());
	EXPECT_FALSE(valid(old));
	ASSERT_EQ(MX_RIGHT_READ, info(sub.get()).rights);
	/* a failed replace keeps the handle, and empties the out-wrapper */
	mx::event out;
	MUST(mx::event::create(0, &out));
	mx_handle_t outv = out.get(), subv = sub.get();
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, sub.replace(MX_RIGHT_WRITE, &out));
	ASSERT_EQ(subv, sub.get());
	ASSERT_TRUE(valid(subv));
	ASSERT_FALSE(out.is_valid());
	EXPECT_FALSE(valid(outv));
	/* ... and into itself, it is left as it was */
	ASSERT_STATUS(MX_ERR_INVALID_ARGS, sub.replace(MX_RIGHT_WRITE, &sub));
	ASSERT_EQ(subv, sub.get());
	ASSERT_TRUE(valid(subv));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,	/* READ only: no DUPLICATE */
		      sub.duplicate(MX_RIGHT_SAME_RIGHTS, &sub));
	ASSERT_EQ(subv, sub.get());
	ASSERT_TRUE(valid(subv));

	/* a channel (no DUPLICATE right) through mx::handle; replace works */
	mx::channel a, b;
	MUST(mx::channel::create(0, &a, &b));
	mx::handle h(std::move(a)), hd;
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      h.duplicate(MX_RIGHT_SAME_RIGHTS, &hd));
	ASSERT_FALSE(hd.is_valid());
	mx::channel b2;
	ASSERT_OK(b.replace(MX_RIGHT_READ | MX_RIGHT_TRANSFER, &b2));
	ASSERT_FALSE(b.is_valid());
	ASSERT_EQ(MX_RIGHT_READ | MX_RIGHT_TRANSFER, info(b2.get()).rights);
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, b2.write(0, "x", 1, nullptr, 0));
}

/* ---- invalid and wrong handles ---- */

TEST(invalid_handles)
{
	mx::channel none;
	mx::event stale;
	mx::port noport;
	char buf[4];
	uint32_t nb = 77, nh = 77;
	mx_signals_t seen = 77;
	mx_port_packet_t p;

	memset(&p, 0, sizeof(p));
	/* empty wrappers */
	EXPECT_STATUS(MX_ERR_BAD_HANDLE, none.write(0, "x", 1, nullptr, 0));
	EXPECT_STATUS(MX_ERR_BAD_HANDLE,
		      none.read(0, buf, sizeof(buf), &nb, nullptr, 0, &nh));
	EXPECT_EQ(77u, nb);
	EXPECT_EQ(77u, nh);
	EXPECT_STATUS(MX_ERR_BAD_HANDLE,
		      none.wait_one(MX_CHANNEL_READABLE, 0, &seen));
	EXPECT_EQ(77u, seen);
	EXPECT_STATUS(MX_ERR_BAD_HANDLE, none.signal_peer(0, MX_USER_SIGNAL_0));
	EXPECT_STATUS(MX_ERR_BAD_HANDLE,
		      none.get_info(MX_INFO_HANDLE_VALID, nullptr, 0, nullptr,
				    nullptr));
	EXPECT_STATUS(MX_ERR_BAD_HANDLE, noport.queue(&p, 0));
	EXPECT_STATUS(MX_ERR_BAD_HANDLE, noport.wait(0, &p, 0));

	/* a stale value: closed behind the wrapper's back */
	MUST(mx::event::create(0, &stale));
	ASSERT_OK(mx_handle_close(stale.get()));
	EXPECT_STATUS(MX_ERR_BAD_HANDLE, stale.signal(0, MX_EVENT_SIGNALED));
	mx::event dup;
	EXPECT_STATUS(MX_ERR_BAD_HANDLE,
		      stale.duplicate(MX_RIGHT_SAME_RIGHTS, &dup));
	EXPECT_FALSE(dup.is_valid());
	mx_handle_t sv = stale.get();
	EXPECT_STATUS(MX_ERR_BAD_HANDLE,
		      stale.replace(MX_RIGHT_SAME_RIGHTS, &dup));
	EXPECT_EQ(sv, stale.get());	/* a failed replace keeps the value */
	mx_handle_t dropped = stale.release();	/* nothing left to close */
	ASSERT_EQ(sv, dropped);

	/* wrong types: a port wrapper around an event, and back */
	mx::event ev;
	MUST(mx::event::create(0, &ev));
	mx::port notport(ev.release());
	EXPECT_STATUS(MX_ERR_WRONG_TYPE, notport.queue(&p, 0));
	EXPECT_STATUS(MX_ERR_WRONG_TYPE, notport.wait(0, &p, 0));
	mx::channel notchan(notport.release());
	EXPECT_STATUS(MX_ERR_WRONG_TYPE, notchan.write(0, "x", 1, nullptr, 0));

	/* create with bad options: every out-wrapper ends up empty */
	mx::channel c0, c1;
	MUST(mx::channel::create(0, &c0, &c1));
	mx_handle_t v0 = c0.get();
	EXPECT_STATUS(MX_ERR_INVALID_ARGS, mx::channel::create(1, &c0, &c1));
	EXPECT_FALSE(c0.is_valid());
	EXPECT_FALSE(c1.is_valid());
	EXPECT_FALSE(valid(v0));
	mx::event e;
	EXPECT_STATUS(MX_ERR_INVALID_ARGS, mx::event::create(1, &e));
	EXPECT_FALSE(e.is_valid());
	mx::eventpair e0, e1;
	EXPECT_STATUS(MX_ERR_NOT_SUPPORTED, mx::eventpair::create(1, &e0, &e1));
	EXPECT_FALSE(e0.is_valid() || e1.is_valid());
	mx::port pt;
	EXPECT_NE(MX_OK, mx::port::create(1, &pt));
	EXPECT_FALSE(pt.is_valid());
}

/* unowned: used as a wrapper, never closes. */
TEST(unowned_wraps)
{
	mx_handle_t a, b;
	char buf[4];
	uint32_t nb, nh;

	raw_channel(&a, &b);
	{
		mx::unowned_channel u = mx::unowned_channel::wrap(a);
		const mx::channel& ch = u;

		ASSERT_EQ(a, ch.get());
		ASSERT_EQ(a, u->get());
		ASSERT_EQ(a, (*u).get());
		ASSERT_OK(ch.write(0, "u", 2, nullptr, 0));
	}
	ASSERT_TRUE(valid(a));
	ASSERT_FALSE(peer_closed(b));
	ASSERT_OK(mx::unowned_channel::wrap(b)->read(0, buf, sizeof(buf), &nb,
						     nullptr, 0, &nh));
	ASSERT_EQ(2u, nb);
	ASSERT_TRUE(valid(b));
	{
		mx::unowned_handle h = mx::unowned_handle::wrap(b);
		ASSERT_EQ(b, h->get());
	}
	ASSERT_TRUE(valid(b));
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
}

/* Does calling reset() / release() on a U compile? */
template <typename U, typename = void> struct can_reset : std::false_type {};
template <typename U>
struct can_reset<U, decltype(void(std::declval<U&>().reset()))>
	: std::true_type {};
template <typename U, typename = void> struct can_release : std::false_type {};
template <typename U>
struct can_release<U, decltype(void(std::declval<U&>().release()))>
	: std::true_type {};
/* ... and through its operator-> (an unowned's) */
template <typename U, typename = void>
struct can_reset_via_arrow : std::false_type {};
template <typename U>
struct can_reset_via_arrow<U, decltype(void(std::declval<U&>()->reset()))>
	: std::true_type {};
template <typename U, typename = void>
struct can_release_via_arrow : std::false_type {};
template <typename U>
struct can_release_via_arrow<U,
	decltype(void(std::declval<U&>()->release()))> : std::true_type {};

/* The checks must be able to say yes. */
static_assert(can_reset<mx::channel>::value &&
	      can_release<mx::channel>::value,
	      "an owning wrapper resets and releases");

/* Lends only a const T: nothing through it closes or takes the handle. */
template <typename T, typename Owner> constexpr bool lends_only() {
	typedef typename std::remove_const<T>::type plain;	/* `auto u` */
	return std::is_same<decltype(*std::declval<plain&>()),
			    const Owner&>::value &&
	       std::is_same<decltype(std::declval<plain&>().operator->()),
			    const Owner*>::value &&
	       !can_reset<plain>::value && !can_release<plain>::value &&
	       !can_reset_via_arrow<plain>::value &&
	       !can_release_via_arrow<plain>::value &&
	       !can_reset<decltype(*std::declval<plain&>())>::value &&
	       !can_release<decltype(*std::declval<plain&>())>::value &&
	       !std::is_constructible<Owner, T&&>::value &&
	       !std::is_constructible<Owner, plain&&>::value &&
	       !std::is_constructible<Owner, plain&>::value &&
	       !std::is_constructible<mx::handle, plain&&>::value &&
	       !std::is_assignable<Owner&, plain&&>::value &&
	       !std::is_assignable<mx::handle&, plain&&>::value &&
	       !std::is_assignable<plain&, plain&&>::value &&
	       !std::is_convertible<plain&, Owner&>::value &&
	       std::is_convertible<plain&, const Owner&>::value &&
	       !std::is_copy_constructible<plain>::value &&
	       sizeof(plain) == sizeof(mx_handle_t);
}
static_assert(lends_only<mx::unowned_channel, mx::channel>(),
	      "unowned_channel cannot close or give away its handle");
static_assert(lends_only<mx::unowned_event, mx::event>(),
	      "unowned_event cannot close or give away its handle");
static_assert(lends_only<mx::unowned_eventpair, mx::eventpair>(),
	      "unowned_eventpair cannot close or give away its handle");
static_assert(lends_only<mx::unowned_port, mx::port>(),
	      "unowned_port cannot close or give away its handle");
static_assert(lends_only<mx::unowned_handle, mx::handle>(),
	      "unowned_handle cannot close or give away its handle");

/* takes a wrapper, as a Magenta call would */
static mx_status_t ping(const mx::channel& ch)
{
	return ch.write(0, "p", 1, nullptr, 0);
}

/*
 * The handle outlives every unowned around it, whichever way it is held
 * (non-const by `auto`, moved, passed as a const T&), and its owner then
 * closes it once.
 */
TEST(unowned_never_closes)
{
	mx_handle_t a, b;
	char buf[4];
	uint32_t nb, nh;

	raw_channel(&a, &b);
	mx::channel owner(a);
	{
		auto u = mx::unowned_channel::wrap(a);	/* not const */

		static_assert(!std::is_const<decltype(u)>::value,
			      "auto drops the alias's const");
		ASSERT_OK(ping(u));
		ASSERT_OK(ping(*u));
		ASSERT_OK(u->signal_peer(0, MX_USER_SIGNAL_0));
		{
			auto moved = std::move(u);

			ASSERT_EQ(a, moved->get());
			ASSERT_EQ(MX_HANDLE_INVALID, u->get());
		}
		ASSERT_TRUE(valid(a));
	}
	ASSERT_TRUE(valid(a));
	ASSERT_FALSE(peer_closed(b));
	ASSERT_TRUE(signals_of(b) & MX_USER_SIGNAL_0);
	ASSERT_EQ(a, owner.get());
	/* both messages arrived, written through the unowned */
	ASSERT_OK(mx_channel_read(b, 0, buf, nullptr, sizeof(buf), 0, &nb, &nh));
	ASSERT_OK(mx_channel_read(b, 0, buf, nullptr, sizeof(buf), 0, &nb, &nh));

	/* an unowned event: the wait and signal go through, no close */
	mx::event ev;
	MUST(mx::event::create(0, &ev));
	mx_handle_t ev_value = ev.get();
	{
		mx::unowned_event ue = mx::unowned_event::wrap(ev_value);

		ASSERT_OK(ue->signal(0, MX_EVENT_SIGNALED));
		ASSERT_OK(ue->wait_one(MX_EVENT_SIGNALED, 0, nullptr));
	}
	ASSERT_TRUE(valid(ev_value));

	/* the owner closes it, once */
	owner.reset();
	EXPECT_FALSE(valid(a));
	EXPECT_TRUE(peer_closed(b));
	EXPECT_STATUS(MX_ERR_BAD_HANDLE, mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
}

/* TYPE odr-used (bound to references) still links, in any C++ mode. */
TEST(type_constants)
{
	mx::channel a, b;
	MUST(mx::channel::create(0, &a, &b));
	const auto& ct = mx::channel::TYPE;
	const uint32_t& et = mx::event::TYPE;
	uint32_t max = std::max(mx::eventpair::TYPE, mx::eventpair::TYPE);
	uint32_t port_type = std::max<uint32_t>(MX_OBJ_TYPE_NONE,
						mx::port::TYPE);

	ASSERT_EQ(info(a.get()).type, static_cast<uint32_t>(ct));
	ASSERT_EQ(static_cast<uint32_t>(MX_OBJ_TYPE_CHANNEL),
		  static_cast<uint32_t>(ct));
	ASSERT_EQ(static_cast<uint32_t>(MX_OBJ_TYPE_EVENT), et);
	ASSERT_EQ(static_cast<uint32_t>(MX_OBJ_TYPE_EVENT_PAIR), max);
	ASSERT_EQ(static_cast<uint32_t>(MX_OBJ_TYPE_PORT), port_type);
	ASSERT_EQ(static_cast<uint32_t>(MX_OBJ_TYPE_FIFO),
		  static_cast<uint32_t>(mx::fifo::TYPE));
	ASSERT_EQ(static_cast<uint32_t>(MX_OBJ_TYPE_SOCKET),
		  static_cast<uint32_t>(mx::socket::TYPE));
	ASSERT_EQ(static_cast<uint32_t>(MX_OBJ_TYPE_VMO),
		  static_cast<uint32_t>(mx::vmo::TYPE));
	ASSERT_EQ(static_cast<uint32_t>(MX_OBJ_TYPE_VMAR),
		  static_cast<uint32_t>(mx::vmar::TYPE));
	static_assert(mx::channel::TYPE == MX_OBJ_TYPE_CHANNEL + 0u &&
		      mx::event::TYPE == MX_OBJ_TYPE_EVENT + 0u &&
		      mx::eventpair::TYPE == MX_OBJ_TYPE_EVENT_PAIR + 0u &&
		      mx::port::TYPE == MX_OBJ_TYPE_PORT + 0u,
		      "each TYPE is its MX_OBJ_TYPE_*");
	static_assert(std::is_same<std::underlying_type<
			      decltype(mx::channel::TYPE)>::type,
			      uint32_t>::value,
		      "TYPE is over uint32_t, like mx_info_handle_basic_t.type");
}

/* <mx/time.h> */
TEST(time)
{
	mx_time_t t0 = mx::time::get(MX_CLOCK_MONOTONIC);
	mx_time_t d = mx::deadline_after(MX_MSEC(5));

	ASSERT_LE(t0 + MX_MSEC(5), d);
	ASSERT_OK(mx::nanosleep(d));
	ASSERT_LE(d, mx::time::get(MX_CLOCK_MONOTONIC));
	ASSERT_OK(mx::nanosleep(0));	/* the past: at once */
}

/* ---- the runner ---- */

int main(int argc, char** argv)
{
	int pass = 0, fail = 0, n;
	const char* only = argc > 1 ? argv[1] : nullptr;

	setvbuf(stdout, nullptr, _IOLBF, 0);
	if (num_tests > (int)(sizeof(tests) / sizeof(tests[0]))) {
		printf("Bail out! %d tests, room for %zu\n", num_tests,
		       sizeof(tests) / sizeof(tests[0]));
		return 1;
	}
	n = 0;
	for (int i = 0; i < num_tests; i++)
		if (!only || !strcmp(only, tests[i].name))
			n++;
	printf("TAP version 13\n");
	if (access("/dev/mxchan", R_OK | W_OK)) {
		printf("1..0 # SKIP no /dev/mxchan (%s): load mxchan.ko\n",
		       strerror(errno));
		return 4;
	}
	printf("1..%d\n", n);
	printf("# Starting %d tests from 1 test cases.\n", n);
	n = 0;
	for (int i = 0; i < num_tests; i++) {
		const test_case& t = tests[i];
		int status = 0;
		bool ok;
		pid_t pid;

		if (only && strcmp(only, t.name))
			continue;
		n++;
		printf("#  RUN           global.%s ...\n", t.name);
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			alarm(60);
			int rc = run_one(t);
			fflush(stdout);
			_exit(rc);
		}
		if (pid < 0 || waitpid(pid, &status, 0) != pid) {
			printf("# global.%s: fork or wait failed: %s\n", t.name,
			       strerror(errno));
			ok = false;
		} else if (WIFSIGNALED(status)) {
			printf("# global.%s: Test terminated unexpectedly by "
			       "signal %d%s\n", t.name, WTERMSIG(status),
			       WTERMSIG(status) == SIGALRM ? " (timeout)" : "");
			ok = false;
		} else {
			ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
		}
		printf("# %13s  global.%s\n", ok ? "OK" : "FAIL", t.name);
		printf("%sok %d global.%s\n", ok ? "" : "not ", n, t.name);
		if (ok)
			pass++;
		else
			fail++;
	}
	printf("# %s: %d / %d tests passed.\n", fail ? "FAILED" : "PASSED",
	       pass, n);
	printf("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:0 error:0\n",
	       pass, fail);
	return fail ? 1 : 0;
}
