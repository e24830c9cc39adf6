// SPDX-License-Identifier: GPL-2.0
/*
 * Object properties: mx_object_get_property() and mx_object_set_property()
 * with MX_PROP_NAME, as Magenta had them. Only VMOs have the
 * GET_PROPERTY and SET_PROPERTY rights and a name: channels, events,
 * eventpairs, ports, sockets, FIFOs and the root VMAR are ACCESS_DENIED.
 * A NULL value is INVALID_ARGS before the handle is looked up. A new
 * VMO's name is empty; a name round-trips, a longer one is cut to 31
 * bytes, a get needs 32 bytes of room and writes exactly 32 (NUL padded);
 * unknown properties are INVALID_ARGS; the rights are checked on each
 * handle; clones take their parent's name; a name travels with its VMO to
 * another process; and a value pointer that faults changes nothing.
 *
 * Each test ends with the module's live counters (debugfs) where they
 * were.
 *
 * The binary is also its own child program: "property_test --child MODE".
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <magenta/process.h>
#include <magenta/processargs.h>
#include <magenta/syscalls/object.h>
#include <mxchan.h>

#include "mx-internal.h"
#include "mxchan_test.h"

#define H0 PA_HND(PA_USER0, 0)

#define NAME_LEN ((size_t)MX_MAX_NAME_LEN)

/* A VMO handle's rights without one of the property rights. */
#define VMO_NO_SET (MX_DEFAULT_VMO_RIGHTS & ~MX_RIGHT_SET_PROPERTY)
#define VMO_NO_GET (MX_DEFAULT_VMO_RIGHTS & ~MX_RIGHT_GET_PROPERTY)

/* ---- helpers ---- */

/* ASSERT_STATUS, with a message when it fails. */
#define ASSERT_STATUS_LOG(expected, actual, ...) do {			\
	mx_status_t __sl = (actual);					\
	if (__sl != (expected))						\
		TH_LOG(__VA_ARGS__);					\
	ASSERT_STATUS((expected), __sl);				\
} while (0)

/* An ioctl on this process's table: 0 or the errno. */
static int raw(unsigned long cmd, void *arg)
{
	return ioctl(mxchan_table_fd(), cmd, arg) ? errno : 0;
}

static int raw_prop(unsigned long cmd, mx_handle_t h, uint32_t prop,
		    const void *value, uint64_t size)
{
	struct mxchan_object_property a = {
		.handle = (uint32_t)h, .property = prop,
		.value = (uintptr_t)value, .size = size,
	};

	return raw(cmd, &a);
}

/*
 * The name of @h into @out (NAME_LEN bytes), checking the get wrote
 * exactly NAME_LEN bytes of a buffer with room for more; the status.
 */
static mx_status_t name_of(mx_handle_t h, char *out)
{
	unsigned char buf[NAME_LEN + 8];
	mx_status_t st;
	size_t i;

	memset(buf, 0xaa, sizeof(buf));
	st = mx_object_get_property(h, MX_PROP_NAME, buf, sizeof(buf));
	if (st != MX_OK)
		return st;
	for (i = NAME_LEN; i < sizeof(buf); i++)
		if (buf[i] != 0xaa)
			return MX_ERR_INTERNAL;
	memcpy(out, buf, NAME_LEN);
	return MX_OK;
}

/*
 * Is @name the string @s (at most 31 bytes), NUL padded to NAME_LEN? On
 * a mismatch, the first byte that differs goes to the log.
 */
static bool name_is(const char *name, const char *s)
{
	size_t n = strlen(s), i;

	for (i = 0; i < NAME_LEN; i++) {
		char want = i < n ? s[i] : 0;

		if (name[i] != want) {
			fprintf(stderr, "# name byte %zu: %#x, want %#x\n", i,
				(unsigned char)name[i], (unsigned char)want);
			return false;
		}
	}
	return true;
}

#define ASSERT_NAME(h, s) do {						\
	char __nm[NAME_LEN];						\
	ASSERT_OK(name_of((h), __nm));					\
	ASSERT_TRUE(name_is(__nm, (s)));				\
} while (0)

static mx_status_t set_name(mx_handle_t h, const char *s)
{
	return mx_object_set_property(h, MX_PROP_NAME, s, strlen(s));
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

#define CHILD_NAME "named by the child"

/*
 * Take a VMO from the startup channel with the name it should have (its
 * NAME_LEN bytes, the message's bytes), check it, and rename it.
 */
static int child_name(void)
{
	mx_handle_t ch = mx_get_startup_handle(H0), vmo = MX_HANDLE_INVALID;
	char want[NAME_LEN], got[NAME_LEN];
	uint32_t nb = 0, nh = 0;

	if (ch <= 0)
		return 10;
	if (recv_msg(ch, want, sizeof(want), &vmo, 1, &nb, &nh) != MX_OK ||
	    nb != NAME_LEN || nh != 1)
		return 11;
	if (mxt_info(vmo).type != MX_OBJ_TYPE_VMO)
		return 12;
	if (name_of(vmo, got) != MX_OK)
		return 13;
	if (memcmp(want, got, NAME_LEN))
		return 14;
	if (set_name(vmo, CHILD_NAME) != MX_OK)
		return 15;
	if (name_of(vmo, got) != MX_OK || !name_is(got, CHILD_NAME))
		return 16;
	return 0;
}

static int child_main(const char *mode)
{
	/* never outlive the test that started us */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (!strcmp(mode, "name"))
		return child_name();
	return 99;
}

/* ---- the fixture: nothing made in a test outlives it ---- */

FIXTURE(prop) {
	long live;	/* everything alive in the module; -1 without debugfs */
};

FIXTURE_SETUP(prop)
{
	struct mxt_gc gc;

	ASSERT_LE(0, mxchan_table_fd());
	/* the root VMAR exists before we count what is alive */
	ASSERT_NE(MX_HANDLE_INVALID, mx_vmar_root_self());
	mxt_gc_settle(&gc);
	self->live = mxt_live_total();
}

FIXTURE_TEARDOWN(prop)
{
	if (self->live >= 0)
		EXPECT_EQ(self->live, mxt_live_total());
}

#define ASSERT_ALL_GONE() do {						\
	if (self->live >= 0)						\
		ASSERT_EQ(self->live, mxt_live_total());		\
} while (0)

TEST_F(prop, abi)
{
	ASSERT_EQ(24, sizeof(struct mxchan_object_property));
	ASSERT_EQ(0, offsetof(struct mxchan_object_property, handle));
	ASSERT_EQ(4, offsetof(struct mxchan_object_property, property));
	ASSERT_EQ(8, offsetof(struct mxchan_object_property, value));
	ASSERT_EQ(16, offsetof(struct mxchan_object_property, size));
	ASSERT_EQ(3, MX_PROP_NAME);
	ASSERT_EQ(32, MX_MAX_NAME_LEN);
	ASSERT_EQ(0x40, MX_RIGHT_GET_PROPERTY);
	ASSERT_EQ(0x80, MX_RIGHT_SET_PROPERTY);
}

/* ---- objects without properties ---- */

/*
 * Channels, events, eventpairs, ports, sockets and FIFOs lack both
 * rights: ACCESS_DENIED for get and set, and the value untouched.
 */
TEST_F(prop, ipc_objects_denied)
{
	static const char *const kinds[] = {
		"channel", "event", "eventpair", "port", "socket", "fifo",
	};
	mx_handle_t h[6][2];
	unsigned char buf[NAME_LEN + 8];
	int k, e, nends;
	size_t i;

	ASSERT_OK(mx_channel_create(0, &h[0][0], &h[0][1]));
	ASSERT_OK(mx_event_create(0, &h[1][0]));
	h[1][1] = MX_HANDLE_INVALID;
	ASSERT_OK(mx_eventpair_create(0, &h[2][0], &h[2][1]));
	ASSERT_OK(mx_port_create(0, &h[3][0]));
	h[3][1] = MX_HANDLE_INVALID;
	ASSERT_OK(mx_socket_create(0, &h[4][0], &h[4][1]));
	ASSERT_OK(mx_fifo_create(4, 4, 0, &h[5][0], &h[5][1]));

	for (k = 0; k < 6; k++) {
		nends = h[k][1] == MX_HANDLE_INVALID ? 1 : 2;
		for (e = 0; e < nends; e++) {
			mx_handle_t x = h[k][e];
			mx_rights_t r = mxt_rights(x);

			ASSERT_EQ(0, r & (MX_RIGHT_GET_PROPERTY |
					  MX_RIGHT_SET_PROPERTY));
			memset(buf, 0xaa, sizeof(buf));
			ASSERT_STATUS_LOG(MX_ERR_ACCESS_DENIED,
					  mx_object_get_property(x, MX_PROP_NAME,
								 buf,
								 sizeof(buf)),
					  "get on a %s", kinds[k]);
			for (i = 0; i < sizeof(buf); i++)
				ASSERT_EQ(0xaa, buf[i]);
			ASSERT_STATUS_LOG(MX_ERR_ACCESS_DENIED,
					  set_name(x, "ipc"),
					  "set on a %s", kinds[k]);
			ASSERT_STATUS_LOG(MX_ERR_ACCESS_DENIED,
					  mx_object_set_property(x, MX_PROP_NAME,
								 buf, 0),
					  "empty set on a %s", kinds[k]);
			/* the rights before the property and the size */
			ASSERT_STATUS_LOG(MX_ERR_ACCESS_DENIED,
					  mx_object_get_property(x, 99, buf, 1),
					  "get 99 on a %s", kinds[k]);
			ASSERT_STATUS_LOG(MX_ERR_ACCESS_DENIED,
					  mx_object_set_property(x, 99, buf, 1),
					  "set 99 on a %s", kinds[k]);
			ASSERT_STATUS_LOG(MX_ERR_ACCESS_DENIED,
					  mx_object_get_property(x, MX_PROP_NAME,
								 buf, 1),
					  "short get on a %s", kinds[k]);
			/*
			 * a duplicate asking for the rights cannot have them
			 * (channels cannot be duplicated at all)
			 */
			if (r & MX_RIGHT_DUPLICATE) {
				mx_handle_t d;

				ASSERT_STATUS(MX_ERR_INVALID_ARGS,
					      mx_handle_duplicate(
						x, r | MX_RIGHT_GET_PROPERTY,
						&d));
			}
		}
	}
	for (k = 0; k < 6; k++)
		for (e = 0; e < 2; e++)
			if (h[k][e] != MX_HANDLE_INVALID)
				ASSERT_OK(mx_handle_close(h[k][e]));
	ASSERT_ALL_GONE();
}

/* The root VMAR has neither right. */
TEST_F(prop, vmar_denied)
{
	mx_handle_t root = mx_vmar_root_self();
	char buf[NAME_LEN];

	ASSERT_NE(MX_HANDLE_INVALID, root);
	ASSERT_EQ(0, mxt_rights(root) & (MX_RIGHT_GET_PROPERTY |
					 MX_RIGHT_SET_PROPERTY));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_object_get_property(root, MX_PROP_NAME, buf,
					     sizeof(buf)));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, set_name(root, "root"));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_object_get_property(root, 99, buf, sizeof(buf)));
	ASSERT_ALL_GONE();
}

/* A NULL value: INVALID_ARGS before the handle is even looked up. */
TEST_F(prop, null_value)
{
	mx_handle_t vmo, ch0, ch1, closed;
	mx_handle_t hs[5];
	int i;

	ASSERT_OK(mx_vmo_create(4096, 0, &vmo));
	ASSERT_OK(mx_channel_create(0, &ch0, &ch1));
	ASSERT_OK(mx_event_create(0, &closed));
	ASSERT_OK(mx_handle_close(closed));
	hs[0] = MXT_BAD_VALUE;
	hs[1] = MX_HANDLE_INVALID;
	hs[2] = closed;
	hs[3] = ch0;
	hs[4] = vmo;
	for (i = 0; i < 5; i++) {
		ASSERT_STATUS_LOG(MX_ERR_INVALID_ARGS,
				  mx_object_get_property(hs[i], MX_PROP_NAME,
							 NULL, NAME_LEN),
				  "get, handle %d", i);
		ASSERT_STATUS_LOG(MX_ERR_INVALID_ARGS,
				  mx_object_get_property(hs[i], MX_PROP_NAME,
							 NULL, 0),
				  "get size 0, handle %d", i);
		ASSERT_STATUS_LOG(MX_ERR_INVALID_ARGS,
				  mx_object_set_property(hs[i], MX_PROP_NAME,
							 NULL, 4),
				  "set, handle %d", i);
		ASSERT_STATUS_LOG(MX_ERR_INVALID_ARGS,
				  mx_object_set_property(hs[i], MX_PROP_NAME,
							 NULL, 0),
				  "set size 0, handle %d", i);
		ASSERT_STATUS_LOG(MX_ERR_INVALID_ARGS,
				  mx_object_get_property(hs[i], 99, NULL,
							 NAME_LEN),
				  "get 99, handle %d", i);
	}
	/* nothing changed */
	ASSERT_NAME(vmo, "");
	ASSERT_OK(mx_handle_close(ch0));
	ASSERT_OK(mx_handle_close(ch1));
	ASSERT_OK(mx_handle_close(vmo));
	ASSERT_ALL_GONE();
}

/* ---- VMO names ---- */

/* A new VMO's name: 32 zero bytes, exactly 32 written. */
TEST_F(prop, new_vmo_name_empty)
{
	unsigned char buf[NAME_LEN + 8];
	mx_handle_t vmo;
	size_t i;

	ASSERT_OK(mx_vmo_create(0, 0, &vmo));
	memset(buf, 0xaa, sizeof(buf));
	ASSERT_OK(mx_object_get_property(vmo, MX_PROP_NAME, buf, sizeof(buf)));
	for (i = 0; i < NAME_LEN; i++)
		ASSERT_EQ(0, buf[i]);
	for (; i < sizeof(buf); i++)
		ASSERT_EQ(0xaa, buf[i]);
	/* a size of exactly 32 */
	memset(buf, 0xaa, sizeof(buf));
	ASSERT_OK(mx_object_get_property(vmo, MX_PROP_NAME, buf, NAME_LEN));
	for (i = 0; i < NAME_LEN; i++)
		ASSERT_EQ(0, buf[i]);
	ASSERT_EQ(0xaa, buf[NAME_LEN]);
	ASSERT_OK(mx_handle_close(vmo));
	ASSERT_ALL_GONE();
}

/* Names round-trip: empty, short, 31 bytes; a shorter one pads with NULs. */
TEST_F(prop, name_round_trip)
{
	const char *n31 = "abcdefghijklmnopqrstuvwxyz01234";
	mx_handle_t vmo, dup;
	char name[NAME_LEN];

	ASSERT_EQ(31, strlen(n31));
	ASSERT_OK(mx_vmo_create(4096, 0, &vmo));
	ASSERT_OK(set_name(vmo, "hello"));
	ASSERT_NAME(vmo, "hello");
	/* with its NUL counted in the size: the same */
	ASSERT_OK(mx_object_set_property(vmo, MX_PROP_NAME, "world", 6));
	ASSERT_NAME(vmo, "world");
	/* size counts: only its bytes are taken */
	ASSERT_OK(mx_object_set_property(vmo, MX_PROP_NAME, "truncated", 5));
	ASSERT_NAME(vmo, "trunc");
	/* empty: size 0, and a lone NUL */
	ASSERT_OK(mx_object_set_property(vmo, MX_PROP_NAME, "ignored", 0));
	ASSERT_NAME(vmo, "");
	ASSERT_OK(set_name(vmo, "x"));
	ASSERT_OK(mx_object_set_property(vmo, MX_PROP_NAME, "", 1));
	ASSERT_NAME(vmo, "");
	/* 31 bytes, the most there is room for */
	ASSERT_OK(set_name(vmo, n31));
	ASSERT_OK(name_of(vmo, name));
	ASSERT_EQ(0, memcmp(name, n31, 31));
	ASSERT_EQ(0, name[31]);
	/* and a short one after it leaves no trace of it */
	ASSERT_OK(set_name(vmo, "ab"));
	ASSERT_NAME(vmo, "ab");
	/* one name per VMO: a duplicate sees it and sets it */
	ASSERT_OK(mx_handle_duplicate(vmo, MX_RIGHT_SAME_RIGHTS, &dup));
	ASSERT_NAME(dup, "ab");
	ASSERT_OK(set_name(dup, "via dup"));
	ASSERT_NAME(vmo, "via dup");
	ASSERT_OK(mx_handle_close(dup));
	ASSERT_NAME(vmo, "via dup");
	/* another VMO's name is its own */
	ASSERT_OK(mx_vmo_create(4096, 0, &dup));
	ASSERT_NAME(dup, "");
	ASSERT_OK(mx_handle_close(dup));
	ASSERT_OK(mx_handle_close(vmo));
	ASSERT_ALL_GONE();
}

/* A name of 32 bytes or more is cut to 31. */
TEST_F(prop, long_name_cut)
{
	const char *n40 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcd";
	char name[NAME_LEN], big[256];
	mx_handle_t vmo;

	ASSERT_EQ(40, strlen(n40));
	ASSERT_OK(mx_vmo_create(4096, 0, &vmo));
	ASSERT_OK(set_name(vmo, n40));
	ASSERT_OK(name_of(vmo, name));
	ASSERT_EQ(0, memcmp(name, n40, 31));
	ASSERT_EQ(0, name[31]);
	/* exactly 32 bytes, no NUL among them */
	ASSERT_OK(set_name(vmo, "short"));
	ASSERT_OK(mx_object_set_property(vmo, MX_PROP_NAME, n40 + 8, 32));
	ASSERT_OK(name_of(vmo, name));
	ASSERT_EQ(0, memcmp(name, n40 + 8, 31));
	ASSERT_EQ(0, name[31]);
	/* a huge size: still 31 bytes, from a buffer much shorter */
	memset(big, 'z', sizeof(big));
	ASSERT_OK(mx_object_set_property(vmo, MX_PROP_NAME, big, SIZE_MAX));
	ASSERT_OK(name_of(vmo, name));
	ASSERT_EQ(0, memcmp(name, big, 31));
	ASSERT_EQ(0, name[31]);
	ASSERT_OK(mx_handle_close(vmo));
	ASSERT_ALL_GONE();
}

/* A get needs 32 bytes of room, and writes exactly 32. */
TEST_F(prop, get_sizes)
{
	unsigned char buf[NAME_LEN + 8];
	mx_handle_t vmo;
	size_t i;

	ASSERT_OK(mx_vmo_create(4096, 0, &vmo));
	ASSERT_OK(set_name(vmo, "sized"));
	memset(buf, 0xaa, sizeof(buf));
	ASSERT_STATUS(MX_ERR_BUFFER_TOO_SMALL,
		      mx_object_get_property(vmo, MX_PROP_NAME, buf,
					     NAME_LEN - 1));
	ASSERT_STATUS(MX_ERR_BUFFER_TOO_SMALL,
		      mx_object_get_property(vmo, MX_PROP_NAME, buf, 1));
	ASSERT_STATUS(MX_ERR_BUFFER_TOO_SMALL,
		      mx_object_get_property(vmo, MX_PROP_NAME, buf, 0));
	for (i = 0; i < sizeof(buf); i++)
		ASSERT_EQ(0xaa, buf[i]);
	/* 40 bytes of room: 32 written, the name then NULs, the rest kept */
	ASSERT_OK(mx_object_get_property(vmo, MX_PROP_NAME, buf, sizeof(buf)));
	ASSERT_EQ(0, memcmp(buf, "sized", 5));
	for (i = 5; i < NAME_LEN; i++)
		ASSERT_EQ(0, buf[i]);
	for (; i < sizeof(buf); i++)
		ASSERT_EQ(0xaa, buf[i]);
	/* a size far past the buffer: still 32 bytes */
	memset(buf, 0xaa, sizeof(buf));
	ASSERT_OK(mx_object_get_property(vmo, MX_PROP_NAME, buf, SIZE_MAX));
	ASSERT_EQ(0, memcmp(buf, "sized", 6));
	for (i = NAME_LEN; i < sizeof(buf); i++)
		ASSERT_EQ(0xaa, buf[i]);
	ASSERT_OK(mx_handle_close(vmo));
	ASSERT_ALL_GONE();
}

/* Any property but NAME: INVALID_ARGS, after the handle's checks. */
TEST_F(prop, unknown_property)
{
	static const uint32_t props[] = {
		0, 1, 2, 4, 5, 99, 0x80000003u, 0xffffffffu,
#ifdef MX_PROP_NUM_STATE_KINDS
		MX_PROP_NUM_STATE_KINDS,
#endif
	};
	unsigned char buf[NAME_LEN + 8];
	mx_handle_t vmo;
	size_t i, j;

	ASSERT_OK(mx_vmo_create(4096, 0, &vmo));
	ASSERT_OK(set_name(vmo, "kept"));
	for (i = 0; i < sizeof(props) / sizeof(props[0]); i++) {
		memset(buf, 0xaa, sizeof(buf));
		ASSERT_STATUS_LOG(MX_ERR_INVALID_ARGS,
				  mx_object_get_property(vmo, props[i], buf,
							 sizeof(buf)),
				  "get property %#x", props[i]);
		for (j = 0; j < sizeof(buf); j++)
			ASSERT_EQ(0xaa, buf[j]);
		ASSERT_STATUS_LOG(MX_ERR_INVALID_ARGS,
				  mx_object_get_property(vmo, props[i], buf,
							 1),
				  "short get property %#x", props[i]);
		ASSERT_STATUS_LOG(MX_ERR_INVALID_ARGS,
				  mx_object_set_property(vmo, props[i], "new",
							 3),
				  "set property %#x", props[i]);
		/* the handle first */
		ASSERT_STATUS_LOG(MX_ERR_BAD_HANDLE,
				  mx_object_set_property(MXT_BAD_VALUE,
							 props[i], "new", 3),
				  "bad handle, property %#x", props[i]);
	}
	ASSERT_NAME(vmo, "kept");
	ASSERT_OK(mx_handle_close(vmo));
	ASSERT_ALL_GONE();
}

/* GET_PROPERTY and SET_PROPERTY are checked on each handle. */
TEST_F(prop, rights)
{
	mx_handle_t vmo, noset, noget, none, closed;
	char buf[NAME_LEN];

	ASSERT_OK(mx_vmo_create(4096, 0, &vmo));
	ASSERT_EQ(MX_DEFAULT_VMO_RIGHTS, mxt_rights(vmo));
	ASSERT_OK(set_name(vmo, "first"));
	ASSERT_OK(mx_handle_duplicate(vmo, VMO_NO_SET, &noset));
	ASSERT_OK(mx_handle_duplicate(vmo, VMO_NO_GET, &noget));
	ASSERT_OK(mx_handle_duplicate(vmo, MX_RIGHT_READ | MX_RIGHT_WRITE,
				      &none));
	/* without SET_PROPERTY: no set, get works */
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, set_name(noset, "second"));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_object_set_property(noset, 99, "x", 1));
	ASSERT_NAME(noset, "first");
	/* without GET_PROPERTY: no get, set works */
	memset(buf, 0x55, sizeof(buf));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_object_get_property(noget, MX_PROP_NAME, buf,
					     sizeof(buf)));
	ASSERT_EQ(0x55, buf[0]);
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_object_get_property(noget, MX_PROP_NAME, buf, 1));
	ASSERT_OK(set_name(noget, "third"));
	ASSERT_NAME(vmo, "third");
	ASSERT_NAME(noset, "third");
	/* with neither */
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED,
		      mx_object_get_property(none, MX_PROP_NAME, buf,
					     sizeof(buf)));
	ASSERT_STATUS(MX_ERR_ACCESS_DENIED, set_name(none, "fourth"));
	ASSERT_NAME(vmo, "third");
	/* bad and closed handles */
	ASSERT_OK(mx_vmo_create(4096, 0, &closed));
	ASSERT_OK(mx_handle_close(closed));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_object_get_property(MXT_BAD_VALUE, MX_PROP_NAME, buf,
					     sizeof(buf)));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE, set_name(MXT_BAD_VALUE, "bad"));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_object_get_property(closed, MX_PROP_NAME, buf,
					     sizeof(buf)));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE, set_name(closed, "closed"));
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_object_get_property(MX_HANDLE_INVALID, MX_PROP_NAME,
					     buf, sizeof(buf)));
	/* the handle before the size */
	ASSERT_STATUS(MX_ERR_BAD_HANDLE,
		      mx_object_get_property(MXT_BAD_VALUE, MX_PROP_NAME, buf,
					     1));
	ASSERT_OK(mx_handle_close(none));
	ASSERT_OK(mx_handle_close(noget));
	ASSERT_OK(mx_handle_close(noset));
	ASSERT_OK(mx_handle_close(vmo));
	ASSERT_ALL_GONE();
}

/*
 * A clone takes its parent's name, and GET_PROPERTY and SET_PROPERTY
 * even through a handle without them; its name is its own from then on.
 */
TEST_F(prop, clone_name)
{
	mx_handle_t vmo, ro, clone;

	ASSERT_OK(mx_vmo_create(8192, 0, &vmo));
	ASSERT_OK(set_name(vmo, "parent"));
	ASSERT_OK(mx_handle_duplicate(vmo, MX_RIGHT_DUPLICATE | MX_RIGHT_READ,
				      &ro));
	ASSERT_OK(mx_vmo_clone(ro, MX_VMO_CLONE_COPY_ON_WRITE, 0, 4096,
			       &clone));
	ASSERT_EQ(MX_RIGHT_DUPLICATE | MX_RIGHT_READ | MX_RIGHT_WRITE |
		  MX_RIGHT_GET_PROPERTY | MX_RIGHT_SET_PROPERTY,
		  mxt_rights(clone));
	ASSERT_NAME(clone, "parent");
	ASSERT_OK(set_name(clone, "child"));
	ASSERT_NAME(clone, "child");
	ASSERT_NAME(vmo, "parent");
	ASSERT_OK(set_name(vmo, "parent2"));
	ASSERT_NAME(clone, "child");
	ASSERT_OK(mx_handle_close(clone));
	ASSERT_OK(mx_handle_close(ro));
	ASSERT_OK(mx_handle_close(vmo));
	ASSERT_ALL_GONE();
}

/*
 * A name set here is read by another process (its own table) after the
 * VMO is sent to it over a channel, and a name it sets is read here.
 */
TEST_F(prop, name_across_processes)
{
	const char *n = "shared across tables";
	char want[NAME_LEN];
	mx_handle_t vmo, dup, c0, c1;
	pid_t pid;

	ASSERT_OK(mx_vmo_create(4096, 0, &vmo));
	ASSERT_OK(set_name(vmo, n));
	ASSERT_OK(mx_handle_duplicate(vmo, MX_RIGHT_SAME_RIGHTS, &dup));
	ASSERT_OK(mx_channel_create(0, &c0, &c1));
	memset(want, 0, sizeof(want));
	memcpy(want, n, strlen(n));
	ASSERT_OK(mx_channel_write(c0, 0, want, sizeof(want), &vmo, 1));
	ASSERT_FALSE(mxt_valid(vmo));
	ASSERT_OK(mxt_spawn_self("name", c1, &pid));
	ASSERT_EQ(0, mxt_reap(pid));
	ASSERT_NAME(dup, CHILD_NAME);
	ASSERT_OK(mx_handle_close(c0));
	ASSERT_OK(mx_handle_close(dup));
	ASSERT_ALL_GONE();
}

/*
 * A value pointer that faults: EINVAL (INVALID_ARGS), the name unchanged;
 * a set reads only the 31 bytes it keeps.
 */
TEST_F(prop, value_fault)
{
	char name[NAME_LEN], *edge, *ro;
	mx_handle_t vmo;

	ASSERT_OK(mx_vmo_create(4096, 0, &vmo));
	ASSERT_OK(set_name(vmo, "before"));
	/* unmapped */
	ASSERT_EQ(EINVAL, raw_prop(MXCHAN_IOC_OBJECT_SET_PROPERTY, vmo,
				   MX_PROP_NAME, mxt_bad_ptr(), 5));
	ASSERT_NAME(vmo, "before");
	ASSERT_EQ(EINVAL, raw_prop(MXCHAN_IOC_OBJECT_SET_PROPERTY, vmo,
				   MX_PROP_NAME, mxt_bad_ptr(), 40));
	ASSERT_NAME(vmo, "before");
	ASSERT_EQ(EINVAL, raw_prop(MXCHAN_IOC_OBJECT_GET_PROPERTY, vmo,
				   MX_PROP_NAME, mxt_bad_ptr(), NAME_LEN));
	/* part way: 10 good bytes, then a page that cannot be touched */
	edge = mxt_edge_ptr(10);
	ASSERT_NE(NULL, edge);
	memcpy(edge, "0123456789", 10);
	ASSERT_EQ(EINVAL, raw_prop(MXCHAN_IOC_OBJECT_SET_PROPERTY, vmo,
				   MX_PROP_NAME, edge, 20));
	ASSERT_NAME(vmo, "before");
	ASSERT_EQ(EINVAL, raw_prop(MXCHAN_IOC_OBJECT_GET_PROPERTY, vmo,
				   MX_PROP_NAME, edge, NAME_LEN));
	/* the same 10 bytes alone are fine (the get may have written them) */
	memcpy(edge, "0123456789", 10);
	ASSERT_EQ(0, raw_prop(MXCHAN_IOC_OBJECT_SET_PROPERTY, vmo,
			      MX_PROP_NAME, edge, 10));
	ASSERT_NAME(vmo, "0123456789");
	/* 31 good bytes and a size of 40: only the 31 are read */
	edge = mxt_edge_ptr(31);
	ASSERT_NE(NULL, edge);
	memset(edge, 'e', 31);
	ASSERT_EQ(0, raw_prop(MXCHAN_IOC_OBJECT_SET_PROPERTY, vmo,
			      MX_PROP_NAME, edge, 40));
	ASSERT_OK(name_of(vmo, name));
	ASSERT_EQ(0, memcmp(name, edge, 31));
	ASSERT_EQ(0, name[31]);
	/* a read-only page cannot take a get */
	ASSERT_OK(set_name(vmo, "after"));
	ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	ASSERT_EQ(EINVAL, raw_prop(MXCHAN_IOC_OBJECT_GET_PROPERTY, vmo,
				   MX_PROP_NAME, ro, NAME_LEN));
	ASSERT_EQ(0, ro[0]);
	/* but a set can read from it */
	ASSERT_EQ(0, raw_prop(MXCHAN_IOC_OBJECT_SET_PROPERTY, vmo,
			      MX_PROP_NAME, ro, 8));
	ASSERT_NAME(vmo, "");
	munmap(ro, 4096);
	/* a 0 value through the raw ioctl too */
	ASSERT_EQ(EINVAL, raw_prop(MXCHAN_IOC_OBJECT_SET_PROPERTY, vmo,
				   MX_PROP_NAME, NULL, 5));
	ASSERT_EQ(EINVAL, raw_prop(MXCHAN_IOC_OBJECT_GET_PROPERTY, vmo,
				   MX_PROP_NAME, NULL, NAME_LEN));
	/* the struct itself faulting */
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_OBJECT_SET_PROPERTY, mxt_bad_ptr()));
	ASSERT_EQ(EINVAL, raw(MXCHAN_IOC_OBJECT_GET_PROPERTY, mxt_bad_ptr()));
	ASSERT_OK(mx_handle_close(vmo));
	ASSERT_ALL_GONE();
}

int main(int argc, char **argv)
{
	return mxt_self_main(argc, argv, child_main);
}
