"""MxError: a libmx call's failure, as a Python exception.

Every call this package makes into libmx has its status checked; anything
but MX_OK is raised as an MxError, or as one of the subclasses below for
the statuses programs commonly handle (catch MxError to catch them all):

    BadHandle       MX_ERR_BAD_HANDLE     (also: an operation on a closed
                                           or moved Handle object)
    WrongType       MX_ERR_WRONG_TYPE
    AccessDenied    MX_ERR_ACCESS_DENIED
    InvalidArgs     MX_ERR_INVALID_ARGS
    OutOfRange      MX_ERR_OUT_OF_RANGE
    BufferTooSmall  MX_ERR_BUFFER_TOO_SMALL  (.actual_bytes, .actual_handles)
    ShouldWait      MX_ERR_SHOULD_WAIT
    TimedOut        MX_ERR_TIMED_OUT     (.observed: what the wait saw)
    PeerClosed      MX_ERR_PEER_CLOSED
    Canceled        MX_ERR_CANCELED
    NotFound        MX_ERR_NOT_FOUND
    CallFailed      MX_ERR_CALL_FAILED   (.read_status: why the reply was lost)
    Unavailable     MX_ERR_UNAVAILABLE   (libmx's answer when /dev/mxchan
                                           cannot be opened: no module)
"""

import os

from . import _libmx
from . import constants as C

DEVICE = "/dev/mxchan"

_NAMES = {v: k for k, v in vars(C).items()
          if k.startswith("MX_ERR_") or k == "MX_OK"}


def status_name(status):
    """The name of a status, e.g. "MX_ERR_PEER_CLOSED" (mx_status_get_string).

    Without libmx (it could not be loaded) the name comes from this
    package's own table of <magenta/errors.h>.
    """
    try:
        s = _libmx.load().mx_status_get_string(status)
        return s.decode("ascii")
    except _libmx.LibraryNotFound:
        return _NAMES.get(status, "(UNKNOWN)")


class MxError(Exception):
    """A Magenta status other than MX_OK.

    .status is the int (a negative MX_ERR_* value), .name its name as
    mx_status_get_string gives it. MxError(status) makes the subclass for
    that status when there is one.
    """

    _by_status = {}

    def __new__(cls, status, *args, **kwargs):
        if cls is MxError:
            cls = MxError._by_status.get(status, MxError)
        return super().__new__(cls)

    def __init__(self, status, message=None):
        self.status = int(status)
        self.name = status_name(self.status)
        self.message = message
        text = self.name if message is None else "%s: %s" % (self.name, message)
        super().__init__(text)

    def __reduce__(self):
        return (MxError, (self.status, self.message))


def _sub(name, status, doc):
    cls = type(name, (MxError,), {"__doc__": doc, "STATUS": status})
    MxError._by_status[status] = cls
    return cls


BadHandle = _sub("BadHandle", C.MX_ERR_BAD_HANDLE,
                 "MX_ERR_BAD_HANDLE: the value names no handle (closed or moved).")
WrongType = _sub("WrongType", C.MX_ERR_WRONG_TYPE,
                 "MX_ERR_WRONG_TYPE: the object is of the wrong type.")
AccessDenied = _sub("AccessDenied", C.MX_ERR_ACCESS_DENIED,
                    "MX_ERR_ACCESS_DENIED: the handle lacks a right.")
InvalidArgs = _sub("InvalidArgs", C.MX_ERR_INVALID_ARGS,
                   "MX_ERR_INVALID_ARGS: a bad argument.")
OutOfRange = _sub("OutOfRange", C.MX_ERR_OUT_OF_RANGE,
                  "MX_ERR_OUT_OF_RANGE: an argument is out of range.")
BufferTooSmall = _sub("BufferTooSmall", C.MX_ERR_BUFFER_TOO_SMALL,
                      "MX_ERR_BUFFER_TOO_SMALL: the message is larger than "
                      "the buffers; .actual_bytes and .actual_handles are "
                      "its size (None where not reported).")
BufferTooSmall.actual_bytes = None
BufferTooSmall.actual_handles = None
ShouldWait = _sub("ShouldWait", C.MX_ERR_SHOULD_WAIT,
                  "MX_ERR_SHOULD_WAIT: not now (e.g. nothing to read).")
TimedOut = _sub("TimedOut", C.MX_ERR_TIMED_OUT,
                "MX_ERR_TIMED_OUT: the deadline passed first; .observed is "
                "what the wait saw, when it reports that.")
TimedOut.observed = None
PeerClosed = _sub("PeerClosed", C.MX_ERR_PEER_CLOSED,
                  "MX_ERR_PEER_CLOSED: the other end is gone.")
Canceled = _sub("Canceled", C.MX_ERR_CANCELED,
                "MX_ERR_CANCELED: the handle was closed while waited on.")
NotFound = _sub("NotFound", C.MX_ERR_NOT_FOUND,
                "MX_ERR_NOT_FOUND: no such entity.")
CallFailed = _sub("CallFailed", C.MX_ERR_CALL_FAILED,
                  "MX_ERR_CALL_FAILED: a call's request went out but its "
                  "reply could not be read; .read_status (an int) and "
                  ".read_status_name say why.")
CallFailed.read_status = None
CallFailed.read_status_name = None
Unavailable = _sub("Unavailable", C.MX_ERR_UNAVAILABLE,
                   "MX_ERR_UNAVAILABLE: e.g. /dev/mxchan could not be opened.")


def check(status, message=None):
    """Raise MxError(status) unless status is MX_OK; return None."""
    if status != C.MX_OK:
        if (status == C.MX_ERR_UNAVAILABLE and message is None
                and not os.path.exists(DEVICE)):
            message = "%s does not exist (is the mxchan module loaded?)" % DEVICE
        raise MxError(status, message)
