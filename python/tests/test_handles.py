"""Handles: closing, context managers, duplicate, replace, info, errors."""

import gc
import os
import pickle
import subprocess
import sys
import unittest

import mxchan
from mxchan import (Channel, Event, EventPair, Handle, MxError, BadHandle,
                    InvalidArgs, AccessDenied, TimedOut)

from .util import TableTestCase, needs_device, needs_libmx, handle_count


def stale(raw):
    """MxError raised by asking the table about a raw value, or None."""
    h = Handle(raw)
    try:
        h.info()
    except MxError as e:
        return e
    finally:
        h.release()
    return None


@needs_device
class HandleTest(TableTestCase):

    def test_close(self):
        ev = Event.create()
        raw = ev.value
        self.assertGreater(raw, 0)
        ev.close()
        self.assertTrue(ev.closed)
        self.assertIsInstance(stale(raw), BadHandle)

    def test_close_twice_is_harmless(self):
        ev = Event.create()
        ev.close()
        ev.close()
        self.assertTrue(ev.closed)
        with self.assertRaises(BadHandle):
            ev.koid

    def test_close_of_a_stale_value_is_reported(self):
        ev = Event.create()
        raw = ev.value
        ev.close()
        with self.assertRaises(BadHandle) as cm:
            Handle(raw).close()
        self.assertEqual(cm.exception.name, "MX_ERR_BAD_HANDLE")

    def test_context_manager_closes(self):
        with Event.create() as ev:
            raw = ev.value
            self.assertIsNone(stale(raw))
        self.assertTrue(ev.closed)
        self.assertIsInstance(stale(raw), BadHandle)

    def test_context_manager_closes_on_error(self):
        a, b = Channel.create()
        with self.assertRaises(ZeroDivisionError):
            with a:
                raw = a.value
                1 / 0
        self.assertIsInstance(stale(raw), BadHandle)
        self.assertTrue(b.wait_one(mxchan.MX_CHANNEL_PEER_CLOSED, timeout=0)
                        & mxchan.MX_CHANNEL_PEER_CLOSED)

    def test_del_closes(self):
        a, b = Channel.create()
        raw = a.value
        del a
        gc.collect()
        self.assertIsInstance(stale(raw), BadHandle)
        self.assertTrue(b.wait_one(mxchan.MX_CHANNEL_PEER_CLOSED, timeout=1)
                        & mxchan.MX_CHANNEL_PEER_CLOSED)

    def test_no_leak_over_many_objects(self):
        before = handle_count()
        for _ in range(200):
            a, b = Channel.create()
            a.write(b"x", handles=[Event.create(), EventPair.create()[0]])
            with mxchan.Port.create():
                pass
        del a, b
        self.assertEqual(handle_count(), before)

    def test_release_and_adopt(self):
        ev = Event.create()
        koid = ev.koid
        raw = ev.release()
        self.assertTrue(ev.closed)
        ev.close()                        # nothing to close
        self.assertIsNone(stale(raw))     # the handle is still in the table
        again = mxchan.wrap(raw)
        self.assertIsInstance(again, Event)
        self.assertEqual(again.koid, koid)
        again.close()

    def test_duplicate(self):
        ev = Event.create()
        d = ev.duplicate()
        self.assertIsInstance(d, Event)
        self.assertNotEqual(d.value, ev.value)
        self.assertEqual(d.koid, ev.koid)
        self.assertEqual(d.rights, mxchan.MX_DEFAULT_EVENT_RIGHTS)
        fewer = mxchan.MX_RIGHT_READ | mxchan.MX_RIGHT_DUPLICATE
        r = ev.duplicate(fewer)
        self.assertEqual(r.rights, fewer)
        # no right can be added
        with self.assertRaises(InvalidArgs):
            r.duplicate(fewer | mxchan.MX_RIGHT_WRITE)
        # and a handle without SIGNAL cannot signal
        with self.assertRaises(AccessDenied):
            r.signal(0, mxchan.MX_EVENT_SIGNALED)

    def test_duplicate_needs_the_right(self):
        a, b = Channel.create()       # channel ends cannot be duplicated
        with self.assertRaises(AccessDenied) as cm:
            a.duplicate()
        self.assertEqual(cm.exception.name, "MX_ERR_ACCESS_DENIED")

    def test_replace(self):
        a, b = Channel.create()
        old, koid = a.value, a.koid
        rights = mxchan.MX_RIGHT_READ | mxchan.MX_RIGHT_WRITE
        r = a.replace(rights)
        self.assertTrue(a.closed)
        self.assertIsInstance(r, Channel)
        self.assertEqual(r.rights, rights)
        self.assertEqual(r.koid, koid)
        self.assertIsInstance(stale(old), BadHandle)
        # the peer saw no close
        with self.assertRaises(TimedOut):
            b.wait_one(mxchan.MX_CHANNEL_PEER_CLOSED, timeout=0)
        r.write(b"via the new handle")
        self.assertEqual(b.read()[0], b"via the new handle")
        with self.assertRaises(BadHandle):
            a.replace()

    def test_failed_replace_keeps_the_handle(self):
        ev = Event.create()
        small = ev.replace(mxchan.MX_RIGHT_READ | mxchan.MX_RIGHT_TRANSFER)
        with self.assertRaises(InvalidArgs):
            small.replace(mxchan.MX_RIGHT_READ | mxchan.MX_RIGHT_WRITE)
        self.assertFalse(small.closed)
        self.assertEqual(small.rights,
                         mxchan.MX_RIGHT_READ | mxchan.MX_RIGHT_TRANSFER)

    def test_info(self):
        p = mxchan.Port.create()
        info = p.info()
        self.assertEqual(info.type, mxchan.MX_OBJ_TYPE_PORT)
        self.assertEqual(info.rights, mxchan.MX_DEFAULT_PORT_RIGHTS)
        self.assertEqual(info.related_koid, 0)
        self.assertGreater(info.koid, 1)
        e0, e1 = EventPair.create()
        self.assertEqual(e0.type, mxchan.MX_OBJ_TYPE_EVENT_PAIR)
        self.assertEqual(e0.related_koid, e1.koid)

    def test_handles_do_not_pickle(self):
        with Event.create() as ev:
            with self.assertRaises(TypeError):
                pickle.dumps(ev)

    def test_property_on_a_vmo(self):
        v = mxchan.Vmo.create(4096)
        v.name = "python-vmo"
        self.assertEqual(v.name, "python-vmo")
        raw = v.get_property(mxchan.MX_PROP_NAME, mxchan.MX_MAX_NAME_LEN)
        self.assertEqual(raw[:11], b"python-vmo\0")
        # events have no properties
        with self.assertRaises(AccessDenied):
            Event.create().get_property(mxchan.MX_PROP_NAME,
                                        mxchan.MX_MAX_NAME_LEN)


class ErrorTest(unittest.TestCase):
    """Needs no device."""

    def test_subclass_by_status(self):
        e = MxError(mxchan.MX_ERR_PEER_CLOSED)
        self.assertIs(type(e), mxchan.PeerClosed)
        self.assertEqual(e.status, -24)
        self.assertEqual(e.name, "MX_ERR_PEER_CLOSED")
        self.assertIn("MX_ERR_PEER_CLOSED", str(e))
        for cls, name in ((mxchan.BadHandle, "MX_ERR_BAD_HANDLE"),
                          (mxchan.ShouldWait, "MX_ERR_SHOULD_WAIT"),
                          (mxchan.TimedOut, "MX_ERR_TIMED_OUT"),
                          (mxchan.BufferTooSmall, "MX_ERR_BUFFER_TOO_SMALL")):
            e = MxError(getattr(mxchan, name))
            self.assertIs(type(e), cls)
            self.assertEqual(e.name, name)
            self.assertIsInstance(e, MxError)

    def test_other_statuses(self):
        e = MxError(mxchan.MX_ERR_IO)
        self.assertIs(type(e), MxError)
        self.assertEqual(e.name, "MX_ERR_IO")
        self.assertEqual(MxError(-12345).name, "(UNKNOWN)")
        self.assertEqual(mxchan.status_name(0), "MX_OK")

    def test_pickles(self):
        e = pickle.loads(pickle.dumps(MxError(mxchan.MX_ERR_CANCELED, "why")))
        self.assertIs(type(e), mxchan.Canceled)
        self.assertEqual((e.status, e.message), (-23, "why"))

    def test_closed_object(self):
        h = Handle()
        self.assertTrue(h.closed)
        h.close()                         # nothing to close: no libmx call
        self.assertEqual(h.release(), 0)
        with self.assertRaises(ValueError):
            Handle(-1)

    @needs_libmx
    def test_closed_object_raises_bad_handle(self):
        h = Handle()
        with self.assertRaises(BadHandle) as cm:
            h.wait_one(mxchan.MX_SIGNAL_NONE, timeout=0)
        self.assertEqual(cm.exception.status, mxchan.MX_ERR_BAD_HANDLE)

    def test_library_override(self):
        env = dict(os.environ, MXCHAN_LIBMX="/nonexistent/libmx.so.0")
        code = ("import mxchan\n"
                "assert mxchan.__doc__\n"
                "try:\n"
                "    mxchan.Event.create()\n"
                "except mxchan.LibraryNotFound as e:\n"
                "    print('not found:', e)\n")
        out = subprocess.run([sys.executable, "-c", code], env=env,
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("not found: cannot load /nonexistent/libmx.so.0",
                      out.stdout)


if __name__ == "__main__":
    unittest.main()
