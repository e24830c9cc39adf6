"""mxchan: Magenta channels and handles, from Python.

A pure-Python binding (ctypes) of libmx (libmx.so.0), the library over
/dev/mxchan. Each process has one handle table; a Handle object owns one
handle of it::

    import mxchan

    a, b = mxchan.Channel.create()
    e = mxchan.Event.create()
    a.write(b"take this", handles=[e])      # e moves: the Python object is
                                            # left empty (e.closed is True)
    data, handles = b.read()                # (b"take this", [<Event ...>])
    with handles[0] as ev:                  # closed at the end of the block
        ev.signal(0, mxchan.MX_USER_SIGNAL_0)

Classes: Handle (close, duplicate, replace, info/koid/rights/type,
signal, signal_peer, wait_one, wait_async, get/set_property, signal_fd),
Channel (create, write, read, call), Event, EventPair, Port (queue, wait,
cancel), Socket, Fifo, Vmo. Functions: wait_many, now, deadline_after,
sec/msec/usec, nanosleep, spawn, get_startup_handle, wrap, status_name.
Errors: MxError (.status, .name) and its subclasses BadHandle, PeerClosed,
ShouldWait, TimedOut, BufferTooSmall, CallFailed, ... (mxchan.errors).
Constants: Magenta's MX_* names and values (mxchan.constants).

libmx is loaded on first use, by its soname (LD_LIBRARY_PATH or the system
library path), or from the file MXCHAN_LIBMX names; importing needs
neither it nor the mxchan module. Without /dev/mxchan, calls that need a
handle table raise Unavailable (MX_ERR_UNAVAILABLE).

Handles and fork: a child made by os.fork() shares its parent's table
(the same open file of /dev/mxchan), so the same handle values work in
both; such a child must end with os._exit(), or the Handle objects it
inherited would close the parent's handles as it exits. To give handles
to a separate process with its own table, use spawn().
"""

from .constants import *  # noqa: F401,F403
from .constants import __all__ as _constants_all
from .errors import (MxError, BadHandle, WrongType, AccessDenied, InvalidArgs,
                     OutOfRange, BufferTooSmall, ShouldWait, TimedOut,
                     PeerClosed, Canceled, NotFound, CallFailed, Unavailable,
                     status_name)
from ._libmx import LibraryNotFound, load as load_library
from .objects import (Handle, HandleInfo, Channel, Event, EventPair, Port,
                      Packet, Socket, Fifo, Vmo, wrap, wait_many, now,
                      deadline_after, sec, msec, usec, nanosleep, spawn,
                      get_startup_handle, pa_hnd, PA_USER0, PA_USER1,
                      PA_USER2)

__version__ = "0.1.0"

__all__ = [
    "MxError", "BadHandle", "WrongType", "AccessDenied", "InvalidArgs",
    "OutOfRange", "BufferTooSmall", "ShouldWait", "TimedOut", "PeerClosed",
    "Canceled", "NotFound", "CallFailed", "Unavailable", "status_name",
    "LibraryNotFound", "load_library",
    "Handle", "HandleInfo", "Channel", "Event", "EventPair", "Port", "Packet",
    "Socket", "Fifo", "Vmo", "wrap", "wait_many", "now", "deadline_after",
    "sec", "msec", "usec", "nanosleep", "spawn", "get_startup_handle",
    "pa_hnd", "PA_USER0", "PA_USER1", "PA_USER2",
] + _constants_all
