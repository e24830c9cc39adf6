"""Handles and the objects they name: channels, events, event pairs, ports,
sockets, FIFOs and VMOs; waits, time and spawning a program with handles.

Each Python Handle object owns one handle value of this process's handle
table (libmx's table: one open file of /dev/mxchan per process). close()
closes it, once: a second close() does nothing. A Handle that is still
open when it is garbage collected is closed by __del__ (its errors are
ignored); close it explicitly, or use it as a context manager, where the
moment matters. A handle sent away (Channel.write, Channel.call, spawn),
replaced (replace) or released (release) leaves its Handle object empty,
as a closed one: value 0, and every operation raises BadHandle.

Deadlines are absolute MX_CLOCK_MONOTONIC times in nanoseconds (see
deadline_after); calls that wait take either deadline= or timeout=
(seconds, a float; 0 polls), and wait forever without either.

For tests, _track_handles(registry) has every Handle object made from then
on (with a handle value) added to registry, e.g. a weakref.WeakSet, so a
test can find the objects it left open; _track_handles(None) stops it.
Without a registry it costs one comparison per Handle object.
"""

import collections
import ctypes
import os

from . import _libmx
from . import constants as C
from .errors import (MxError, BadHandle, BufferTooSmall, CallFailed, TimedOut,
                     check, status_name)

_handle_array = _libmx.mx_handle_t


def _lib():
    return _libmx.load()


# --- time ---------------------------------------------------------------------

def now(clock=C.MX_CLOCK_MONOTONIC):
    """The time of a clock (default MX_CLOCK_MONOTONIC), in nanoseconds."""
    return _lib().mx_time_get(clock)


def deadline_after(nanoseconds):
    """The MX_CLOCK_MONOTONIC deadline nanoseconds from now (saturated at
    MX_TIME_INFINITE)."""
    nanoseconds = int(nanoseconds)
    if nanoseconds < 0:
        raise ValueError("negative duration")
    t = now() + nanoseconds
    return min(t, C.MX_TIME_INFINITE)


def sec(n):
    """n seconds in nanoseconds (n may be a float)."""
    return int(n * 1000000000)


def msec(n):
    """n milliseconds in nanoseconds."""
    return int(n * 1000000)


def usec(n):
    """n microseconds in nanoseconds."""
    return int(n * 1000)


def nanosleep(deadline):
    """Sleep until the MX_CLOCK_MONOTONIC deadline."""
    check(_lib().mx_nanosleep(deadline))


def _deadline(deadline, timeout):
    if deadline is not None and timeout is not None:
        raise ValueError("give deadline= or timeout=, not both")
    if timeout is not None:
        if timeout < 0:
            raise ValueError("negative timeout")
        return deadline_after(sec(timeout))
    if deadline is None:
        return C.MX_TIME_INFINITE
    return int(deadline)


# --- handles ------------------------------------------------------------------

_registry = None


def _track_handles(registry):
    """Test hook: add each Handle object made from now on with a handle
    value to registry (anything with add(); a weakref.WeakSet keeps none
    alive), or stop with None. Returns the registry it replaces."""
    global _registry
    previous, _registry = _registry, registry
    return previous


HandleInfo = collections.namedtuple(
    "HandleInfo", "koid rights type related_koid props")
HandleInfo.__doc__ = """What MX_INFO_HANDLE_BASIC reports about a handle."""


def _values(handles):
    """The values of a sequence of Handle objects, as a C array."""
    handles = list(handles)
    for h in handles:
        if not isinstance(h, Handle):
            raise TypeError("handles must be Handle objects, not %r"
                            % type(h).__name__)
    arr = (_handle_array * len(handles))(*[h._v() for h in handles])
    return handles, arr


def _moved(handles):
    for h in handles:
        h._value = 0


class Handle:
    """A handle of this process's table, closed with close() or by `with`.

    Handle(value) adopts a raw handle value (an int), which the object then
    owns. Subclasses add the calls of their object type; wrap(value) picks
    the subclass from the handle's type (as read() does for the handles a
    message brings).
    """

    OBJ_TYPE = None

    def __init__(self, value=0):
        value = int(value)
        if value < 0 or value > 0x7fffffff:
            raise ValueError("not a handle value: %d" % value)
        self._value = value
        if _registry is not None and value:
            _registry.add(self)

    # lifetime
    @property
    def value(self):
        """The raw handle value; 0 once closed, sent, replaced or released."""
        return self._value

    @property
    def closed(self):
        """True once the handle was closed, sent, replaced or released."""
        return self._value == 0

    def _v(self):
        v = self._value
        if v == 0:
            raise BadHandle(C.MX_ERR_BAD_HANDLE,
                            "%s is closed or was moved" % type(self).__name__)
        return v

    def close(self):
        """Close the handle (mx_handle_close). Closing again does nothing."""
        v, self._value = self._value, 0
        if v:
            check(_lib().mx_handle_close(v))

    def release(self):
        """Give up ownership: return the raw value, leave this object empty."""
        v, self._value = self._value, 0
        return v

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __del__(self):
        v = getattr(self, "_value", 0)
        if v:
            self._value = 0
            try:
                _libmx.load().mx_handle_close(v)
            except Exception:
                pass

    def __repr__(self):
        if self._value == 0:
            return "<%s closed>" % type(self).__name__
        return "<%s %#x>" % (type(self).__name__, self._value)

    def __reduce__(self):
        raise TypeError("a handle means nothing in another process: "
                        "send it over a channel")

    # rights
    def duplicate(self, rights=C.MX_RIGHT_SAME_RIGHTS):
        """A new handle to the same object with rights (a subset of this
        handle's, or MX_RIGHT_SAME_RIGHTS); needs MX_RIGHT_DUPLICATE."""
        out = _libmx.mx_handle_t()
        check(_lib().mx_handle_duplicate(self._v(), rights, ctypes.byref(out)))
        return type(self)(out.value)

    def replace(self, rights=C.MX_RIGHT_SAME_RIGHTS):
        """Replace this handle by a new one with rights (a subset): returns
        the new Handle; this one is left empty. On failure nothing changes."""
        out = _libmx.mx_handle_t()
        check(_lib().mx_handle_replace(self._v(), rights, ctypes.byref(out)))
        self._value = 0
        return type(self)(out.value)

    # information
    def info(self):
        """HandleInfo(koid, rights, type, related_koid, props)."""
        rec = _libmx.mx_info_handle_basic_t()
        actual = ctypes.c_size_t()
        avail = ctypes.c_size_t()
        check(_lib().mx_object_get_info(
            self._v(), C.MX_INFO_HANDLE_BASIC, ctypes.byref(rec),
            ctypes.sizeof(rec), ctypes.byref(actual), ctypes.byref(avail)))
        return HandleInfo(rec.koid, rec.rights, rec.type, rec.related_koid,
                          rec.props)

    @property
    def koid(self):
        """The object's koid."""
        return self.info().koid

    @property
    def related_koid(self):
        """The koid of the object's peer (other end), or 0."""
        return self.info().related_koid

    @property
    def rights(self):
        """The handle's rights (MX_RIGHT_* bits)."""
        return self.info().rights

    @property
    def type(self):
        """The object's type (MX_OBJ_TYPE_*)."""
        return self.info().type

    def get_property(self, prop, size):
        """The object's property prop (size bytes), as bytes."""
        buf = ctypes.create_string_buffer(size)
        check(_lib().mx_object_get_property(self._v(), prop, buf, size))
        return buf.raw

    def set_property(self, prop, value):
        """Set the object's property prop to value (bytes)."""
        value = bytes(value)
        check(_lib().mx_object_set_property(self._v(), prop, value, len(value)))

    # signals and waits
    def signal(self, clear_mask=0, set_mask=0):
        """Clear, then set user signals (and the object's settable ones)."""
        check(_lib().mx_object_signal(self._v(), clear_mask, set_mask))

    def signal_peer(self, clear_mask=0, set_mask=0):
        """As signal(), on the object's peer (event pairs, channels, ...)."""
        check(_lib().mx_object_signal_peer(self._v(), clear_mask, set_mask))

    def wait_one(self, signals, deadline=None, timeout=None):
        """Wait until any of signals is set; return the observed signals.

        Raises TimedOut (with .observed) when the deadline passes first,
        Canceled when the handle is closed meanwhile."""
        observed = _libmx.mx_signals_t()
        s = _lib().mx_object_wait_one(self._v(), signals,
                                      _deadline(deadline, timeout),
                                      ctypes.byref(observed))
        if s != C.MX_OK:
            e = MxError(s)
            if s == C.MX_ERR_TIMED_OUT:
                e.observed = observed.value
            raise e
        return observed.value

    def wait_async(self, port, key, signals, options=C.MX_WAIT_ASYNC_ONCE):
        """Have port queue a signal packet with key when any of signals is
        set (once, or each time with MX_WAIT_ASYNC_REPEATING)."""
        if not isinstance(port, Port):
            raise TypeError("port must be a Port")
        check(_lib().mx_object_wait_async(self._v(), port._v(), key, signals,
                                          options))

    def signal_fd(self, signals):
        """A new file descriptor (close it with os.close) that poll() and
        select() report readable while any of signals is set."""
        fd = ctypes.c_int(-1)
        check(_lib().mxchan_signal_fd(self._v(), signals, ctypes.byref(fd)))
        return fd.value


def wrap(value):
    """Adopt a raw handle value as the Handle subclass of its object's type
    (Handle itself for types this package has no class for)."""
    h = Handle(value)
    try:
        t = h.type
    except MxError:
        return h
    cls = _BY_TYPE.get(t)
    if cls is None:
        return h
    return cls(h.release())


def wait_many(items, deadline=None, timeout=None):
    """Wait on several handles: items is a sequence of (Handle, signals).

    Returns the list of the signals observed on each, in order, once any
    item's signals are met. Raises TimedOut (with .observed, that list) when
    the deadline passes first.
    """
    items = list(items)
    arr = (_libmx.mx_wait_item_t * len(items))()
    for i, (h, signals) in enumerate(items):
        if not isinstance(h, Handle):
            raise TypeError("items must be (Handle, signals) pairs")
        arr[i].handle = h._v()
        arr[i].waitfor = signals
    s = _lib().mx_object_wait_many(arr, len(items),
                                   _deadline(deadline, timeout))
    pending = [arr[i].pending for i in range(len(items))]
    if s != C.MX_OK:
        e = MxError(s)
        if s == C.MX_ERR_TIMED_OUT:
            e.observed = pending
        raise e
    return pending


# --- channels -----------------------------------------------------------------

class Channel(Handle):
    """One end of a channel: messages of bytes and handles.

    Channel.create() makes both ends. write() sends bytes and moves handles
    to the peer; read() takes the first message; call() sends a request
    and waits for its reply (the first 4 bytes of both are the transaction
    id, chosen by the caller).
    """

    OBJ_TYPE = C.MX_OBJ_TYPE_CHANNEL
    READ_BYTES = 4096
    READ_HANDLES = 16

    @classmethod
    def create(cls, options=0):
        """A new channel: (end0, end1)."""
        a, b = _libmx.mx_handle_t(), _libmx.mx_handle_t()
        check(_lib().mx_channel_create(options, ctypes.byref(a), ctypes.byref(b)))
        return cls(a.value), cls(b.value)

    def write(self, data=b"", handles=(), options=0):
        """Send data (bytes-like) and handles (Handle objects, each with
        MX_RIGHT_TRANSFER). On success each sent Handle object is left
        empty: its handle is the reader's now. On failure all stay here."""
        data = bytes(data)
        handles, arr = _values(handles)
        check(_lib().mx_channel_write(self._v(), options, data, len(data),
                                      arr, len(handles)))
        _moved(handles)

    def read(self, num_bytes=None, num_handles=None, options=0,
             deadline=None, timeout=None):
        """Take the first message: (bytes, [Handle, ...]).

        Without num_bytes and num_handles, the buffers grow to the size the
        kernel reports when a message does not fit (MX_ERR_BUFFER_TOO_SMALL
        leaves it queued), so any message is read whole. With either, a
        larger message raises BufferTooSmall with .actual_bytes and
        .actual_handles (and stays queued, unless options has
        MX_CHANNEL_READ_MAY_DISCARD).

        Without deadline or timeout the call does not wait (ShouldWait when
        nothing is queued; PeerClosed once nothing is and the peer is
        gone); with one it waits for a message until then (TimedOut).
        Received handles come back as the subclass of their object's type.
        """
        grow = (num_bytes is None and num_handles is None
                and not options & C.MX_CHANNEL_READ_MAY_DISCARD)
        nb = num_bytes if num_bytes is not None else (
            self.READ_BYTES if grow else C.MX_CHANNEL_MAX_MSG_BYTES)
        nh = num_handles if num_handles is not None else (
            self.READ_HANDLES if grow else C.MX_CHANNEL_MAX_MSG_HANDLES)
        wait = deadline is not None or timeout is not None
        if wait:
            dl = _deadline(deadline, timeout)
        lib = _lib()
        while True:
            buf = ctypes.create_string_buffer(nb) if nb else None
            hbuf = (_handle_array * nh)() if nh else None
            ab, ah = ctypes.c_uint32(), ctypes.c_uint32()
            if wait:
                s = lib.mxchan_channel_read_wait(
                    self._v(), options, dl, buf, hbuf, nb, nh,
                    ctypes.byref(ab), ctypes.byref(ah))
            else:
                s = lib.mx_channel_read(self._v(), options, buf, hbuf, nb, nh,
                                        ctypes.byref(ab), ctypes.byref(ah))
            if s == C.MX_ERR_BUFFER_TOO_SMALL and grow:
                nb, nh = max(nb, ab.value), max(nh, ah.value)
                continue
            if s != C.MX_OK:
                e = MxError(s)
                if s == C.MX_ERR_BUFFER_TOO_SMALL:
                    e.actual_bytes, e.actual_handles = ab.value, ah.value
                raise e
            data = buf.raw[:ab.value] if buf is not None else b""
            return data, [wrap(hbuf[i]) for i in range(ah.value)]

    def call(self, data, handles=(), deadline=None, timeout=None):
        """Send a request and wait for its reply: (bytes, [Handle, ...]).

        The reply is the first message whose first 4 bytes (the txid) are
        the request's. Once the request is sent (the call returns, or
        raises TimedOut or CallFailed) its handles are gone and their
        Handle objects empty; on any other error they stay here. CallFailed
        carries .read_status and .read_status_name (e.g. PEER_CLOSED).
        """
        data = bytes(data)
        handles, arr = _values(handles)
        rbuf = ctypes.create_string_buffer(C.MX_CHANNEL_MAX_MSG_BYTES)
        rh = (_handle_array * C.MX_CHANNEL_MAX_MSG_HANDLES)()
        args = _libmx.mx_channel_call_args_t()
        wbuf = ctypes.create_string_buffer(data, len(data)) if data else None
        args.wr_bytes = ctypes.cast(wbuf, ctypes.c_void_p) if wbuf else None
        args.wr_handles = arr if handles else None
        args.rd_bytes = ctypes.cast(rbuf, ctypes.c_void_p)
        args.rd_handles = rh
        args.wr_num_bytes = len(data)
        args.wr_num_handles = len(handles)
        args.rd_num_bytes = C.MX_CHANNEL_MAX_MSG_BYTES
        args.rd_num_handles = C.MX_CHANNEL_MAX_MSG_HANDLES
        ab, ah = ctypes.c_uint32(), ctypes.c_uint32()
        rs = _libmx.mx_status_t(C.MX_OK)
        s = _lib().mx_channel_call(self._v(), 0, _deadline(deadline, timeout),
                                   ctypes.byref(args), ctypes.byref(ab),
                                   ctypes.byref(ah), ctypes.byref(rs))
        if s in (C.MX_OK, C.MX_ERR_TIMED_OUT, C.MX_ERR_CALL_FAILED):
            _moved(handles)
        if s == C.MX_ERR_CALL_FAILED:
            e = CallFailed(s, "reply: " + status_name(rs.value))
            e.read_status, e.read_status_name = rs.value, status_name(rs.value)
            raise e
        check(s)
        return rbuf.raw[:ab.value], [wrap(rh[i]) for i in range(ah.value)]


# --- events -------------------------------------------------------------------

class Event(Handle):
    """An event: user signals and MX_EVENT_SIGNALED, set with signal()."""

    OBJ_TYPE = C.MX_OBJ_TYPE_EVENT

    @classmethod
    def create(cls, options=0):
        """A new event."""
        out = _libmx.mx_handle_t()
        check(_lib().mx_event_create(options, ctypes.byref(out)))
        return cls(out.value)


class EventPair(Handle):
    """One side of an event pair: signal() sets its own signals,
    signal_peer() the other side's; MX_EPAIR_PEER_CLOSED when the other
    side is gone."""

    OBJ_TYPE = C.MX_OBJ_TYPE_EVENT_PAIR

    @classmethod
    def create(cls, options=0):
        """A new event pair: (side0, side1)."""
        a, b = _libmx.mx_handle_t(), _libmx.mx_handle_t()
        check(_lib().mx_eventpair_create(options, ctypes.byref(a),
                                         ctypes.byref(b)))
        return cls(a.value), cls(b.value)


# --- ports --------------------------------------------------------------------

Packet = collections.namedtuple(
    "Packet", "key type status user trigger observed count")
Packet.__doc__ = """A port packet. type is MX_PKT_TYPE_USER (user: its 32
bytes; trigger, observed and count None) or MX_PKT_TYPE_SIGNAL_ONE/_REP
(trigger: the signals waited for, observed: the object's signals, count;
user None)."""


class Port(Handle):
    """A port: a queue of packets, queued by queue() or by the async waits
    of Handle.wait_async(), taken by wait()."""

    OBJ_TYPE = C.MX_OBJ_TYPE_PORT

    @classmethod
    def create(cls, options=0):
        """A new port."""
        out = _libmx.mx_handle_t()
        check(_lib().mx_port_create(options, ctypes.byref(out)))
        return cls(out.value)

    def queue(self, key, payload=b"", status=0):
        """Queue a user packet: key, status and up to 32 bytes of payload."""
        payload = bytes(payload)
        if len(payload) > 32:
            raise ValueError("a user packet carries at most 32 bytes")
        p = _libmx.mx_port_packet_t()
        p.key = key
        p.type = C.MX_PKT_TYPE_USER
        p.status = status
        ctypes.memmove(p.payload.user, payload, len(payload))
        check(_lib().mx_port_queue(self._v(), ctypes.byref(p), 0))

    def wait(self, deadline=None, timeout=None):
        """Take the oldest packet, waiting for one until the deadline."""
        p = _libmx.mx_port_packet_t()
        check(_lib().mx_port_wait(self._v(), _deadline(deadline, timeout),
                                  ctypes.byref(p), 0))
        if p.type == C.MX_PKT_TYPE_USER:
            return Packet(p.key, p.type, p.status, bytes(p.payload.user),
                          None, None, None)
        sig = p.payload.signal
        return Packet(p.key, p.type, p.status, None, sig.trigger,
                      sig.observed, sig.count)

    def cancel(self, source, key):
        """End the async waits of source (a Handle) with key on this port."""
        check(_lib().mx_port_cancel(self._v(), source._v(), key))


# --- sockets and FIFOs --------------------------------------------------------

class Socket(Handle):
    """One end of a socket: a byte stream (or datagrams) each way."""

    OBJ_TYPE = C.MX_OBJ_TYPE_SOCKET

    @classmethod
    def create(cls, options=C.MX_SOCKET_STREAM):
        """A new socket: (end0, end1)."""
        a, b = _libmx.mx_handle_t(), _libmx.mx_handle_t()
        check(_lib().mx_socket_create(options, ctypes.byref(a), ctypes.byref(b)))
        return cls(a.value), cls(b.value)

    def write(self, data, options=0):
        """Write data; return how many bytes were taken."""
        data = bytes(data)
        n = ctypes.c_size_t()
        check(_lib().mx_socket_write(self._v(), options, data or None,
                                     len(data), ctypes.byref(n)))
        return n.value

    def read(self, size, options=0):
        """Read up to size bytes (ShouldWait when there are none)."""
        buf = ctypes.create_string_buffer(size)
        n = ctypes.c_size_t()
        check(_lib().mx_socket_read(self._v(), options, buf, size,
                                    ctypes.byref(n)))
        return buf.raw[:n.value]

    def shutdown(self, how):
        """Shut this end down: MX_SOCKET_SHUTDOWN_WRITE and/or _READ."""
        check(_lib().mx_socket_write(self._v(), how, None, 0, None))


class Fifo(Handle):
    """One end of a FIFO: rings of fixed-size elements."""

    OBJ_TYPE = C.MX_OBJ_TYPE_FIFO

    @classmethod
    def create(cls, elem_count, elem_size, options=0):
        """A new FIFO of elem_count elements of elem_size bytes: (end0, end1)."""
        a, b = _libmx.mx_handle_t(), _libmx.mx_handle_t()
        check(_lib().mx_fifo_create(elem_count, elem_size, options,
                                    ctypes.byref(a), ctypes.byref(b)))
        return cls(a.value), cls(b.value)

    def write(self, data):
        """Write whole elements of data; return how many were written."""
        data = bytes(data)
        n = ctypes.c_uint32()
        check(_lib().mx_fifo_write(self._v(), data, len(data), ctypes.byref(n)))
        return n.value

    def read(self, size):
        """Read up to size bytes, in whole elements: (bytes, count)."""
        buf = ctypes.create_string_buffer(size)
        n = ctypes.c_uint32()
        check(_lib().mx_fifo_read(self._v(), buf, size, ctypes.byref(n)))
        return buf.raw, n.value


# --- VMOs -----------------------------------------------------------------------

class Vmo(Handle):
    """A VMO: bytes of memory with a size, read and written by offset."""

    OBJ_TYPE = C.MX_OBJ_TYPE_VMO

    @classmethod
    def create(cls, size, options=0):
        """A new VMO of size bytes."""
        out = _libmx.mx_handle_t()
        check(_lib().mx_vmo_create(size, options, ctypes.byref(out)))
        return cls(out.value)

    def read(self, size, offset=0):
        """size bytes from offset."""
        buf = ctypes.create_string_buffer(size)
        n = ctypes.c_size_t()
        check(_lib().mx_vmo_read(self._v(), buf, offset, size, ctypes.byref(n)))
        return buf.raw[:n.value]

    def write(self, data, offset=0):
        """Write data at offset; return the bytes written."""
        data = bytes(data)
        n = ctypes.c_size_t()
        check(_lib().mx_vmo_write(self._v(), data, offset, len(data),
                                  ctypes.byref(n)))
        return n.value

    @property
    def size(self):
        """The VMO's size in bytes (set it to resize)."""
        n = ctypes.c_uint64()
        check(_lib().mx_vmo_get_size(self._v(), ctypes.byref(n)))
        return n.value

    @size.setter
    def size(self, n):
        check(_lib().mx_vmo_set_size(self._v(), n))

    @property
    def name(self):
        """The VMO's name (MX_PROP_NAME), a str of at most 31 bytes."""
        raw = self.get_property(C.MX_PROP_NAME, C.MX_MAX_NAME_LEN)
        return raw.split(b"\0", 1)[0].decode("utf-8", "replace")

    @name.setter
    def name(self, value):
        raw = value.encode("utf-8")[:C.MX_MAX_NAME_LEN - 1]
        self.set_property(C.MX_PROP_NAME, raw + b"\0")


_BY_TYPE = {cls.OBJ_TYPE: cls
            for cls in (Channel, Event, EventPair, Port, Socket, Fifo, Vmo)}


# --- processes ------------------------------------------------------------------

PA_USER0 = 0xF0
PA_USER1 = 0xF1
PA_USER2 = 0xF2


def pa_hnd(type, arg=0):
    """A startup handle id, as <magenta/processargs.h>'s PA_HND(type, arg)."""
    return (type & 0xFF) | ((arg & 0xFFFF) << 16)


def _cstrings(strings):
    arr = (ctypes.c_char_p * (len(strings) + 1))()
    for i, s in enumerate(strings):
        arr[i] = os.fsencode(s)
    arr[len(strings)] = None
    return arr


def spawn(argv, handles=None, env=None, path=None):
    """Start a program with handles (mxchan_spawn); return its pid.

    argv is a list of str; path (default argv[0]) is not searched in PATH.
    handles maps startup ids (see pa_hnd) to Handle objects, which move to
    the new process (their objects here are left empty); it finds them with
    get_startup_handle(id). env is a dict (default: this environment). The
    caller reaps the child (os.waitpid).
    """
    argv = list(argv)
    if not argv:
        raise ValueError("argv is empty")
    path = argv[0] if path is None else path
    items = sorted((handles or {}).items())
    hs, arr = _values([h for _, h in items])
    ids = (ctypes.c_uint32 * len(items))(*[i for i, _ in items])
    envp = None
    if env is not None:
        envp = _cstrings(["%s=%s" % kv for kv in env.items()])
    pid = ctypes.c_int(0)
    s = _lib().mxchan_spawn(os.fsencode(path), _cstrings(argv), envp,
                            len(hs), arr, ids, ctypes.byref(pid))
    if s in (C.MX_OK, C.MX_ERR_IO):
        _moved(hs)      # gone to the child, or closed (IO: fork/exec failed)
    check(s, path)
    return pid.value


def get_startup_handle(id):
    """The handle this process was started with under id (once), or None."""
    v = _lib().mx_get_startup_handle(id)
    return wrap(v) if v else None
