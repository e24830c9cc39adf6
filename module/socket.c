// SPDX-License-Identifier: GPL-2.0
/*
 * Sockets: two ends, each with a buffer of bytes that its peer writes and
 * it reads, as Magenta's: a stream, where a write takes what fits, or
 * datagrams, each read whole or cut short. MXCHAN_SOCKET_MAX_BYTES a
 * direction; with HAS_CONTROL, a slot for one control message each way.
 * Shutdown is a write of no bytes with SHUTDOWN options.
 *
 * A buffer is a ring of MXC_SOCK_PAGES pages, each made the first time a
 * write reaches it, charged to the user who made the socket
 * (max_user_socket_pages); a reader that empties the ring gives all but
 * the first back. Bytes are copied with the
 * iov_iter page helpers, as a pipe's. A datagram is a u32 length, then
 * its bytes; its length counts against the ring, not against Magenta's
 * MXCHAN_SOCKET_MAX_BYTES.
 *
 * Locking: sock->lock guards each end's ring state (head, used, bytes),
 * control length, shutdown flags and closed flag; an end's wait queue
 * lock nests inside it. The bytes move with no spinlock held: an end's
 * write_lock lets one writer fill the free part of its ring (and make
 * its pages) or its control slot, its read_lock one reader copy out the
 * queued part; a ring's state changes only under sock->lock, after the
 * copy. The mutexes are taken alone, but for a reader that empties its
 * ring: it tries (never waits for) its end's write_lock, to give pages
 * back (mxc_sock_give_back()).
 */

#include <linux/compat.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/uio.h>

#include "socket.h"
#include "user.h"

#define MXC_DEFAULT_SOCKET_RIGHTS					\
	(MXCHAN_RIGHT_DUPLICATE | MXCHAN_RIGHT_TRANSFER | MXCHAN_RIGHT_READ |	\
	 MXCHAN_RIGHT_WRITE | MXCHAN_RIGHT_SIGNAL | MXCHAN_RIGHT_SIGNAL_PEER)

/* A direction's ring: 256 KiB, Magenta's 257,024 bytes and room to spare. */
#define MXC_SOCK_RING		(256U << 10)
#define MXC_SOCK_PAGES		(MXC_SOCK_RING / PAGE_SIZE)
#define MXC_SOCK_HDR		((u32)sizeof(u32))

static_assert(MXCHAN_SOCKET_MAX_BYTES + MXC_SOCK_HDR <= MXC_SOCK_RING);
static_assert(MXC_SOCK_RING % PAGE_SIZE == 0);

struct mxc_socket;

struct mxc_socket_end {
	struct mxc_object obj;
	struct mxc_socket *sock;
	struct mutex read_lock;		/* one reader at a time */
	struct mutex write_lock;	/* one writer into it at a time */
	struct page *pages[MXC_SOCK_PAGES];	/* made under write_lock */
	u8 *control;			/* the control slot, or NULL */
	u32 head;			/* first queued byte, sock->lock */
	u32 used;			/* ring bytes queued, sock->lock */
	u32 bytes;			/* of them data, sock->lock */
	u32 control_len;		/* 0: the slot is empty, sock->lock */
	u32 npages;			/* pages made, write_lock (and read) */
	bool read_disabled;		/* shut down for reading, sock->lock */
	bool write_disabled;		/* for writing, sock->lock */
	bool closed;			/* no handles left, sock->lock */
};

struct mxc_socket {
	spinlock_t lock;		/* both ends' state; see the top */
	refcount_t ref;			/* end objects alive */
	u32 options;			/* MXCHAN_SOCKET_CREATE_MASK bits */
	struct mxc_user *user;		/* pays for the pages: a ref */
	struct rcu_head rcu;		/* freed after a grace period */
	struct mxc_socket_end end[2];
};

static struct mxc_socket_end *to_sock_end(struct mxc_object *obj)
{
	return container_of(obj, struct mxc_socket_end, obj);
}

static struct mxc_socket_end *mxc_sock_peer(struct mxc_socket_end *e)
{
	struct mxc_socket *s = e->sock;

	return e == &s->end[0] ? &s->end[1] : &s->end[0];
}

static bool mxc_sock_dgram(const struct mxc_socket *s)
{
	return s->options & MXCHAN_SOCKET_DATAGRAM;
}

/*
 * No more data fits in @e's buffer: Magenta's count is reached or, for
 * datagrams, the ring has no room for one more byte with its length.
 */
static bool mxc_sock_full(const struct mxc_socket_end *e)
{
	lockdep_assert_held(&e->sock->lock);
	return e->bytes >= MXCHAN_SOCKET_MAX_BYTES ||
	       (mxc_sock_dgram(e->sock) &&
		e->used > MXC_SOCK_RING - MXC_SOCK_HDR - 1);
}

static void mxc_socket_on_zero_handles(struct mxc_object *obj,
				       struct mxc_reaper *r)
{
	struct mxc_socket_end *e = to_sock_end(obj);

	spin_lock(&e->sock->lock);
	e->closed = true;
	mxc_object_signal(&mxc_sock_peer(e)->obj, MXCHAN_SIGNAL_WRITABLE,
			  MXCHAN_SIGNAL_PEER_CLOSED);
	spin_unlock(&e->sock->lock);
}

/* The socket goes with its last end: a writer uses its peer's ring. */
static void mxc_socket_free(struct mxc_socket *s)
{
	unsigned int i, j, n = 0;

	for (i = 0; i < 2; i++) {
		struct mxc_socket_end *e = &s->end[i];

		for (j = 0; j < MXC_SOCK_PAGES; j++) {
			if (e->pages[j]) {
				__free_page(e->pages[j]);
				n++;
			}
		}
		kfree(e->control);
		mutex_destroy(&e->read_lock);
		mutex_destroy(&e->write_lock);
	}
	mxc_user_uncharge_socket_pages(s->user, n);
	mxc_user_put(s->user);
	/* a lockless lookup may still be reading an end (table.c) */
	kfree_rcu(s, rcu);
}

static void mxc_socket_release(struct mxc_object *obj)
{
	struct mxc_socket *s = to_sock_end(obj)->sock;

	if (refcount_dec_and_test(&s->ref))
		mxc_socket_free(s);
}

static u64 mxc_socket_related_koid(struct mxc_object *obj)
{
	return mxc_sock_peer(to_sock_end(obj))->obj.koid;
}

static struct mxc_object *mxc_socket_peer(struct mxc_object *obj)
{
	struct mxc_socket_end *other = mxc_sock_peer(to_sock_end(obj));
	struct mxc_object *ret = NULL;

	spin_lock(&other->sock->lock);
	if (!other->closed) {
		ret = &other->obj;
		kref_get(&ret->ref);
	}
	spin_unlock(&other->sock->lock);
	return ret;
}

static const struct mxc_object_ops mxc_socket_ops = {
	.type = MXCHAN_OBJ_TYPE_SOCKET,
	.user_signals = MXCHAN_SIGNAL_USER_ALL,
	.peer = mxc_socket_peer,
	.on_zero_handles = mxc_socket_on_zero_handles,
	.release = mxc_socket_release,
	.related_koid = mxc_socket_related_koid,
	.waitable = true,
};

/*
 * A socket with @options (MXCHAN_SOCKET_CREATE_MASK bits), its pages
 * charged to @u; *h0 and *h1 are its ends' handles, in no table yet.
 */
int mxc_socket_create(struct mxc_user *u, u32 options, struct mxc_handle **h0,
		      struct mxc_handle **h1)
{
	bool control = options & MXCHAN_SOCKET_HAS_CONTROL;
	u32 signals = MXCHAN_SIGNAL_WRITABLE;
	struct mxc_handle *hs[2];
	struct mxc_socket *s;
	int i;

	s = kzalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);
	hs[0] = mxc_handle_alloc();
	hs[1] = mxc_handle_alloc();
	for (i = 0; s && control && i < 2; i++)
		s->end[i].control = kmalloc(MXCHAN_SOCKET_CONTROL_MAX,
					    GFP_KERNEL_ACCOUNT);
	if (!s || !hs[0] || !hs[1] ||
	    (control && (!s->end[0].control || !s->end[1].control))) {
		for (i = 0; s && i < 2; i++)
			kfree(s->end[i].control);
		kfree(s);
		if (hs[0])
			mxc_handle_free(hs[0]);
		if (hs[1])
			mxc_handle_free(hs[1]);
		return -ENOMEM;
	}
	spin_lock_init(&s->lock);
	refcount_set(&s->ref, 2);
	s->options = options;
	mxc_user_hold(u);
	s->user = u;
	if (control)
		signals |= MXCHAN_SIGNAL_SOCKET_CONTROL_WRITABLE;
	for (i = 0; i < 2; i++) {
		struct mxc_socket_end *e = &s->end[i];

		e->sock = s;
		mutex_init(&e->read_lock);
		mutex_init(&e->write_lock);
		mxc_object_init(&e->obj, &mxc_socket_ops, signals);
		mxc_handle_init(hs[i], &e->obj, MXC_DEFAULT_SOCKET_RIGHTS);
		mxc_object_put(&e->obj);	/* the handle holds it */
	}
	*h0 = hs[0];
	*h1 = hs[1];
	return 0;
}

/*
 * Make the pages of @e's ring that [@pos, @pos + @len) reaches and it
 * lacks, each charged to the socket's user: EMFILE past its budget,
 * ENOMEM. What was made stays, for the next write.
 */
static int mxc_sock_make_pages(struct mxc_socket_end *e, u32 pos, u32 len)
{
	u32 i, first = pos / PAGE_SIZE;
	u32 n = DIV_ROUND_UP(pos % PAGE_SIZE + len, PAGE_SIZE);
	struct page *page;

	lockdep_assert_held(&e->write_lock);
	for (i = 0; i < n && len; i++) {
		u32 k = (first + i) % MXC_SOCK_PAGES;

		if (e->pages[k])
			continue;
		if (mxc_user_charge_socket_page(e->sock->user))
			return -EMFILE;
		page = alloc_page(GFP_KERNEL_ACCOUNT);
		if (!page) {
			mxc_user_uncharge_socket_pages(e->sock->user, 1);
			return -ENOMEM;
		}
		/* readers reach it after the write publishes, under the lock */
		e->pages[k] = page;
		WRITE_ONCE(e->npages, e->npages + 1);
	}
	return 0;
}

/*
 * Copy @len bytes between @e's ring from @pos on and @it, a page at a
 * time; the bytes copied (fewer on a fault).
 */
static size_t mxc_sock_copy(struct mxc_socket_end *e, u32 pos, u32 len,
			    struct iov_iter *it, bool in)
{
	size_t done = 0, n, got;

	while (done < len) {
		u32 at = (pos + done) % MXC_SOCK_RING;
		struct page *page = e->pages[at / PAGE_SIZE];

		n = min_t(size_t, len - done, PAGE_SIZE - at % PAGE_SIZE);
		got = in ? copy_page_from_iter(page, at % PAGE_SIZE, n, it) :
			   copy_page_to_iter(page, at % PAGE_SIZE, n, it);
		done += got;
		if (got != n)
			break;
	}
	return done;
}

/* A datagram's length, to or from @e's ring at @pos (kernel memory). */
static void mxc_sock_len(struct mxc_socket_end *e, u32 pos, u32 *len,
			 bool put)
{
	u8 *p = (u8 *)len;
	u32 i;

	for (i = 0; i < MXC_SOCK_HDR; i++) {
		u32 at = (pos + i) % MXC_SOCK_RING;
		u8 *b = (u8 *)page_address(e->pages[at / PAGE_SIZE]) +
			at % PAGE_SIZE;

		if (put)
			*b = p[i];
		else
			p[i] = *b;
	}
}

/* Data into @p's ring, with @p's write_lock held: the bytes queued. */
static int mxc_sock_write_data(struct mxc_socket_end *e,
			       struct mxc_socket_end *p,
			       const void __user *buf, u64 size, u64 *moved)
{
	struct mxc_socket *s = e->sock;
	bool dgram = mxc_sock_dgram(s);
	u32 tail = 0, n = 0, need;
	struct iov_iter it;
	size_t done;
	int ret = 0;

	spin_lock(&s->lock);
	if (p->closed)
		ret = -EPIPE;
	else if (e->write_disabled)
		ret = -EBADFD;
	else if (!size)
		ret = 1;		/* nothing to do: OK */
	else if (size > U32_MAX)
		ret = -EINVAL;
	else if (mxc_sock_full(p))
		ret = -EAGAIN;
	else if (dgram && (size > MXCHAN_SOCKET_MAX_BYTES - p->bytes ||
			   size + MXC_SOCK_HDR > MXC_SOCK_RING - p->used))
		ret = -EAGAIN;
	if (!ret) {
		n = dgram ? size : min_t(u64, size,
					 MXCHAN_SOCKET_MAX_BYTES - p->bytes);
		tail = (p->head + p->used) % MXC_SOCK_RING;
	}
	spin_unlock(&s->lock);
	if (ret) {
		*moved = 0;
		return ret > 0 ? 0 : ret;
	}
	need = n + (dgram ? MXC_SOCK_HDR : 0);
	ret = mxc_sock_make_pages(p, tail, need);
	if (ret)
		return ret;
	/* the free part is ours alone: the reader copies only queued bytes */
	iov_iter_ubuf(&it, ITER_SOURCE, (void __user *)buf, n);
	done = mxc_sock_copy(p, tail + (dgram ? MXC_SOCK_HDR : 0), n, &it,
			     true);
	if (done < n) {
		/* Magenta's: a stream keeps what came, a datagram nothing */
		if (dgram)
			return -EINVAL;
		if (!done)
			return -EAGAIN;
		n = done;
		need = n;
	}
	if (dgram)
		mxc_sock_len(p, tail, &n, true);
	spin_lock(&s->lock);
	/* closed or shut down during the copy: the data must not follow */
	if (e->closed || e->write_disabled || p->closed) {
		ret = e->write_disabled && !e->closed && !p->closed ?
		      -EBADFD : -EPIPE;
		spin_unlock(&s->lock);
		return ret;
	}
	if (!p->bytes)
		mxc_object_signal(&p->obj, 0, MXCHAN_SIGNAL_READABLE);
	p->used += need;
	p->bytes += n;
	if (mxc_sock_full(p))
		mxc_object_signal(&e->obj, MXCHAN_SIGNAL_WRITABLE, 0);
	spin_unlock(&s->lock);
	*moved = n;
	return 0;
}

/* A control message into @p's slot, with @p's write_lock held. */
static int mxc_sock_write_control(struct mxc_socket_end *e,
				  struct mxc_socket_end *p,
				  const void __user *buf, u64 size)
{
	struct mxc_socket *s = e->sock;
	int ret = 0;

	if (!(s->options & MXCHAN_SOCKET_HAS_CONTROL))
		return -EBADFD;
	if (!size)
		return -EINVAL;
	if (size > MXCHAN_SOCKET_CONTROL_MAX)
		return -ERANGE;
	spin_lock(&s->lock);
	if (p->closed)
		ret = -EPIPE;
	else if (p->control_len)
		ret = -EAGAIN;
	spin_unlock(&s->lock);
	if (ret)
		return ret;
	/* an empty slot is the writer's alone */
	if (copy_from_user(p->control, buf, size))
		return -EINVAL;
	spin_lock(&s->lock);
	if (e->closed || p->closed) {
		spin_unlock(&s->lock);
		return -EPIPE;
	}
	p->control_len = size;
	mxc_object_signal(&p->obj, 0, MXCHAN_SIGNAL_SOCKET_CONTROL_READABLE);
	mxc_object_signal(&e->obj, MXCHAN_SIGNAL_SOCKET_CONTROL_WRITABLE, 0);
	spin_unlock(&s->lock);
	return 0;
}

/* Reading shut down at @e: READ_DISABLED now if nothing is queued. */
static void mxc_sock_read_off_locked(struct mxc_socket_end *e)
{
	lockdep_assert_held(&e->sock->lock);
	e->read_disabled = true;
	if (!e->bytes)
		mxc_object_signal(&e->obj, 0,
				  MXCHAN_SIGNAL_SOCKET_READ_DISABLED);
}

/* Writing shut down at @e: WRITE_DISABLED, and no more WRITABLE. */
static void mxc_sock_write_off_locked(struct mxc_socket_end *e)
{
	lockdep_assert_held(&e->sock->lock);
	e->write_disabled = true;
	mxc_object_signal(&e->obj, MXCHAN_SIGNAL_WRITABLE,
			  MXCHAN_SIGNAL_SOCKET_WRITE_DISABLED);
}

/* Magenta's shutdown: nothing changes if @e is already shut down so. */
static int mxc_sock_shutdown(struct mxc_socket_end *e,
			     struct mxc_socket_end *p, u32 how)
{
	struct mxc_socket *s = e->sock;
	u32 now;

	spin_lock(&s->lock);
	now = (e->read_disabled ? MXCHAN_SOCKET_SHUTDOWN_READ : 0) |
	      (e->write_disabled ? MXCHAN_SOCKET_SHUTDOWN_WRITE : 0);
	if (now != how) {
		if (how & MXCHAN_SOCKET_SHUTDOWN_READ) {
			mxc_sock_read_off_locked(e);
			if (!p->closed)
				mxc_sock_write_off_locked(p);
		}
		if (how & MXCHAN_SOCKET_SHUTDOWN_WRITE) {
			mxc_sock_write_off_locked(e);
			if (!p->closed)
				mxc_sock_read_off_locked(p);
		}
	}
	spin_unlock(&s->lock);
	return 0;
}

/*
 * Magenta's socket_write through end @obj, after the handle checks:
 * data, a control message or a shutdown, by @options. *@moved is the
 * bytes queued, on success.
 */
int mxc_socket_write(struct mxc_object *obj, u32 options,
		     const void __user *buf, u64 size, u64 *moved)
{
	struct mxc_socket_end *e = to_sock_end(obj), *p = mxc_sock_peer(e);
	int ret;

	*moved = 0;
	switch (options) {
	case 0:
	case MXCHAN_SOCKET_CONTROL:
		break;
	case MXCHAN_SOCKET_SHUTDOWN_READ:
	case MXCHAN_SOCKET_SHUTDOWN_WRITE:
	case MXCHAN_SOCKET_SHUTDOWN_MASK:
		return size ? -EINVAL : mxc_sock_shutdown(e, p, options);
	default:
		return -EINVAL;
	}
	/* waiting for another writer: a signal restarts us, as reads do */
	if (mutex_lock_interruptible(&p->write_lock))
		return -ERESTARTNOINTR;
	if (options == MXCHAN_SOCKET_CONTROL) {
		ret = mxc_sock_write_control(e, p, buf, size);
		if (!ret)
			*moved = size;
	} else {
		ret = mxc_sock_write_data(e, p, buf, size, moved);
	}
	mutex_unlock(&p->write_lock);
	return ret;
}

/* A control message out of @e's slot, with @e's read_lock held. */
static int mxc_sock_read_control(struct mxc_socket_end *e, void __user *buf,
				 u64 size, u64 *moved)
{
	struct mxc_socket *s = e->sock;
	struct mxc_socket_end *p = mxc_sock_peer(e);
	u32 len;

	if (!(s->options & MXCHAN_SOCKET_HAS_CONTROL))
		return -EBADFD;
	spin_lock(&s->lock);
	len = e->control_len;
	spin_unlock(&s->lock);
	if (!len)
		return -EAGAIN;
	len = min_t(u64, len, size);
	/* a full slot is the reader's alone */
	if (copy_to_user(buf, e->control, len))
		return -EINVAL;
	spin_lock(&s->lock);
	e->control_len = 0;
	mxc_object_signal(&e->obj, MXCHAN_SIGNAL_SOCKET_CONTROL_READABLE, 0);
	if (!p->closed)
		mxc_object_signal(&p->obj, 0,
				  MXCHAN_SIGNAL_SOCKET_CONTROL_WRITABLE);
	spin_unlock(&s->lock);
	*moved = len;
	return 0;
}

/*
 * @e's ring is empty, read by its reader (read_lock held): unless a
 * writer is at work, give back the pages but the first, so that an idle
 * socket keeps a page a direction and a reader that drains what a peer
 * wrote frees its maker's budget. The next write starts the ring over.
 */
static void mxc_sock_give_back(struct mxc_socket_end *e)
{
	struct page *drop[MXC_SOCK_PAGES];
	u32 i, n = 0;

	lockdep_assert_held(&e->read_lock);
	/* the reader's lock, then a writer's: only tried, never waited for */
	if (!mutex_trylock(&e->write_lock))
		return;
	spin_lock(&e->sock->lock);
	if (!e->used) {
		e->head = 0;
		for (i = 1; i < MXC_SOCK_PAGES; i++) {
			if (e->pages[i]) {
				drop[n++] = e->pages[i];
				e->pages[i] = NULL;
			}
		}
		WRITE_ONCE(e->npages, e->npages - n);
	}
	spin_unlock(&e->sock->lock);
	mutex_unlock(&e->write_lock);
	for (i = 0; i < n; i++)
		__free_page(drop[i]);
	mxc_user_uncharge_socket_pages(e->sock->user, n);
}

/* Data out of @e's ring, with @e's read_lock held. */
static int mxc_sock_read_data(struct mxc_socket_end *e, void __user *buf,
			      u64 size, u64 *moved)
{
	struct mxc_socket *s = e->sock;
	struct mxc_socket_end *p = mxc_sock_peer(e);
	bool dgram = mxc_sock_dgram(s), was_full, empty;
	u32 head = 0, len = 0, n, take;
	struct iov_iter it;
	int ret = 0;

	spin_lock(&s->lock);
	if (!buf && !size) {
		*moved = e->bytes;	/* Magenta's query: all queued */
		ret = 1;
	} else if (size > U32_MAX) {
		ret = -EINVAL;
	} else if (!e->bytes) {
		ret = p->closed ? -EPIPE :
		      e->read_disabled ? -EBADFD : -EAGAIN;
	} else {
		head = e->head;
		len = e->bytes;
	}
	spin_unlock(&s->lock);
	if (ret)
		return ret > 0 ? 0 : ret;
	/* no room: Magenta's reads nothing, and a datagram stays whole */
	if (!size)
		return 0;
	/* the queued part is ours alone: the writer fills only free bytes */
	if (dgram) {
		mxc_sock_len(e, head, &len, false);
		take = len + MXC_SOCK_HDR;
		head += MXC_SOCK_HDR;
	}
	n = min_t(u64, len, size);
	if (!dgram)
		take = n;
	iov_iter_ubuf(&it, ITER_DEST, buf, n);
	if (mxc_sock_copy(e, head, n, &it, false) != n)
		return -EINVAL;
	spin_lock(&s->lock);
	was_full = mxc_sock_full(e);
	e->head = (e->head + take) % MXC_SOCK_RING;
	e->used -= take;
	e->bytes -= dgram ? len : n;
	if (!e->bytes) {
		mxc_object_signal(&e->obj, MXCHAN_SIGNAL_READABLE,
				  e->read_disabled ?
				  MXCHAN_SIGNAL_SOCKET_READ_DISABLED : 0);
	}
	/* not if either closed meanwhile: the close took WRITABLE for good */
	if (was_full && !mxc_sock_full(e) && !e->closed && !p->closed &&
	    !p->write_disabled)
		mxc_object_signal(&p->obj, 0, MXCHAN_SIGNAL_WRITABLE);
	empty = !e->used;
	spin_unlock(&s->lock);
	if (empty && READ_ONCE(e->npages) > 1)
		mxc_sock_give_back(e);
	*moved = n;
	return 0;
}

/*
 * Magenta's socket_read through end @obj, after the handle checks: data
 * or, with MXCHAN_SOCKET_CONTROL, the control message. *@moved is the
 * bytes read (or, for no buffer and no size, the bytes queued).
 */
int mxc_socket_read(struct mxc_object *obj, u32 options, void __user *buf,
		    u64 size, u64 *moved)
{
	struct mxc_socket_end *e = to_sock_end(obj);
	int ret;

	*moved = 0;
	if (options && options != MXCHAN_SOCKET_CONTROL)
		return -EINVAL;
	if (mutex_lock_interruptible(&e->read_lock))
		return -ERESTARTNOINTR;
	if (options)
		ret = mxc_sock_read_control(e, buf, size, moved);
	else
		ret = mxc_sock_read_data(e, buf, size, moved);
	mutex_unlock(&e->read_lock);
	return ret;
}
