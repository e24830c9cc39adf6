"""Loading libmx and declaring the calls this package makes (ctypes).

The library is found by its soname, ``libmx.so.0``, as the dynamic loader
finds it (LD_LIBRARY_PATH, then the system's library directories), unless
the environment variable MXCHAN_LIBMX names a file to load instead. It is
loaded on first use, not at import, so ``import mxchan`` works on a machine
without libmx or without /dev/mxchan; the first call then raises
LibraryNotFound.
"""

import ctypes
import os
import threading

SONAME = "libmx.so.0"

mx_handle_t = ctypes.c_int32
mx_status_t = ctypes.c_int32
mx_time_t = ctypes.c_uint64
mx_signals_t = ctypes.c_uint32
mx_rights_t = ctypes.c_uint32
mx_koid_t = ctypes.c_uint64

_P = ctypes.POINTER


class mx_info_handle_basic_t(ctypes.Structure):
    """<magenta/syscalls/object.h>'s record of MX_INFO_HANDLE_BASIC."""
    _fields_ = [
        ("koid", mx_koid_t),
        ("rights", mx_rights_t),
        ("type", ctypes.c_uint32),
        ("related_koid", mx_koid_t),
        ("props", ctypes.c_uint32),
    ]


class mx_wait_item_t(ctypes.Structure):
    """One handle of mx_object_wait_many."""
    _fields_ = [
        ("handle", mx_handle_t),
        ("waitfor", mx_signals_t),
        ("pending", mx_signals_t),
    ]


class mx_channel_call_args_t(ctypes.Structure):
    """The two messages of mx_channel_call."""
    _fields_ = [
        ("wr_bytes", ctypes.c_void_p),
        ("wr_handles", _P(mx_handle_t)),
        ("rd_bytes", ctypes.c_void_p),
        ("rd_handles", _P(mx_handle_t)),
        ("wr_num_bytes", ctypes.c_uint32),
        ("wr_num_handles", ctypes.c_uint32),
        ("rd_num_bytes", ctypes.c_uint32),
        ("rd_num_handles", ctypes.c_uint32),
    ]


class mx_packet_signal_t(ctypes.Structure):
    _fields_ = [
        ("trigger", mx_signals_t),
        ("observed", mx_signals_t),
        ("count", ctypes.c_uint64),
        ("reserved0", ctypes.c_uint64),
        ("reserved1", ctypes.c_uint64),
    ]


class _packet_payload(ctypes.Union):
    _fields_ = [
        ("user", ctypes.c_uint8 * 32),
        ("signal", mx_packet_signal_t),
    ]


class mx_port_packet_t(ctypes.Structure):
    """<magenta/syscalls/port.h>'s packet: 48 bytes."""
    _fields_ = [
        ("key", ctypes.c_uint64),
        ("type", ctypes.c_uint32),
        ("status", ctypes.c_int32),
        ("payload", _packet_payload),
    ]


assert ctypes.sizeof(mx_info_handle_basic_t) == 32
assert ctypes.sizeof(mx_port_packet_t) == 48
assert ctypes.sizeof(mx_wait_item_t) == 12

# name: (restype, argtypes)
_H = mx_handle_t
_S = mx_status_t
_U32 = ctypes.c_uint32
_U64 = ctypes.c_uint64
_SZ = ctypes.c_size_t
_VP = ctypes.c_void_p
_PROTOTYPES = {
    "mx_status_get_string": (ctypes.c_char_p, [_S]),
    "mx_handle_close": (_S, [_H]),
    "mx_handle_duplicate": (_S, [_H, mx_rights_t, _P(_H)]),
    "mx_handle_replace": (_S, [_H, mx_rights_t, _P(_H)]),
    "mx_object_get_info": (_S, [_H, _U32, _VP, _SZ, _P(_SZ), _P(_SZ)]),
    "mx_object_wait_one": (_S, [_H, mx_signals_t, mx_time_t,
                                _P(mx_signals_t)]),
    "mx_object_wait_many": (_S, [_P(mx_wait_item_t), _U32, mx_time_t]),
    "mx_object_signal": (_S, [_H, _U32, _U32]),
    "mx_object_signal_peer": (_S, [_H, _U32, _U32]),
    "mx_object_get_property": (_S, [_H, _U32, _VP, _SZ]),
    "mx_object_set_property": (_S, [_H, _U32, _VP, _SZ]),
    "mx_object_wait_async": (_S, [_H, _H, _U64, mx_signals_t, _U32]),
    "mx_channel_create": (_S, [_U32, _P(_H), _P(_H)]),
    "mx_channel_read": (_S, [_H, _U32, _VP, _P(_H), _U32, _U32,
                             _P(_U32), _P(_U32)]),
    "mx_channel_write": (_S, [_H, _U32, _VP, _U32, _P(_H), _U32]),
    "mx_channel_call": (_S, [_H, _U32, mx_time_t,
                             _P(mx_channel_call_args_t), _P(_U32), _P(_U32),
                             _P(_S)]),
    "mxchan_channel_read_wait": (_S, [_H, _U32, mx_time_t, _VP, _P(_H),
                                      _U32, _U32, _P(_U32), _P(_U32)]),
    "mx_event_create": (_S, [_U32, _P(_H)]),
    "mx_eventpair_create": (_S, [_U32, _P(_H), _P(_H)]),
    "mx_port_create": (_S, [_U32, _P(_H)]),
    "mx_port_queue": (_S, [_H, _P(mx_port_packet_t), _SZ]),
    "mx_port_wait": (_S, [_H, mx_time_t, _P(mx_port_packet_t), _SZ]),
    "mx_port_cancel": (_S, [_H, _H, _U64]),
    "mx_socket_create": (_S, [_U32, _P(_H), _P(_H)]),
    "mx_socket_write": (_S, [_H, _U32, _VP, _SZ, _P(_SZ)]),
    "mx_socket_read": (_S, [_H, _U32, _VP, _SZ, _P(_SZ)]),
    "mx_fifo_create": (_S, [_U32, _U32, _U32, _P(_H), _P(_H)]),
    "mx_fifo_write": (_S, [_H, _VP, _SZ, _P(_U32)]),
    "mx_fifo_read": (_S, [_H, _VP, _SZ, _P(_U32)]),
    "mx_vmo_create": (_S, [_U64, _U32, _P(_H)]),
    "mx_vmo_read": (_S, [_H, _VP, _U64, _SZ, _P(_SZ)]),
    "mx_vmo_write": (_S, [_H, _VP, _U64, _SZ, _P(_SZ)]),
    "mx_vmo_get_size": (_S, [_H, _P(_U64)]),
    "mx_vmo_set_size": (_S, [_H, _U64]),
    "mx_time_get": (mx_time_t, [_U32]),
    "mx_deadline_after": (mx_time_t, [_U64]),
    "mx_nanosleep": (_S, [mx_time_t]),
    "mx_get_startup_handle": (_H, [_U32]),
    "mxchan_spawn": (_S, [ctypes.c_char_p, _P(ctypes.c_char_p),
                          _P(ctypes.c_char_p), _U32, _P(_H), _P(_U32),
                          _P(ctypes.c_int)]),
    "mxchan_signal_fd": (_S, [_H, mx_signals_t, _P(ctypes.c_int)]),
}


class LibraryNotFound(OSError):
    """libmx.so.0 (or the file MXCHAN_LIBMX names) could not be loaded."""


_lock = threading.Lock()
_lib = None


def library_path():
    """What load() passes to the dynamic loader: MXCHAN_LIBMX or the soname."""
    return os.environ.get("MXCHAN_LIBMX") or SONAME


def load():
    """Load libmx once and return its ctypes.CDLL, with every prototype set.

    Raises LibraryNotFound if the loader cannot find it or a call this
    package needs is missing from it.
    """
    global _lib
    if _lib is not None:
        return _lib
    with _lock:
        if _lib is not None:
            return _lib
        path = library_path()
        try:
            lib = ctypes.CDLL(path, use_errno=True)
        except OSError as e:
            raise LibraryNotFound(
                "cannot load %s (%s): add its directory to LD_LIBRARY_PATH "
                "or name the file in MXCHAN_LIBMX" % (path, e)) from None
        for name, (restype, argtypes) in _PROTOTYPES.items():
            try:
                fn = getattr(lib, name)
            except AttributeError:
                raise LibraryNotFound("%s has no %s" % (path, name)) from None
            fn.restype = restype
            fn.argtypes = argtypes
        _lib = lib
    return _lib
