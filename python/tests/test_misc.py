"""Sockets, FIFOs, VMOs, time, and the package without a device."""

import os
import subprocess
import sys
import unittest

import mxchan
from mxchan import Socket, Fifo, Vmo, ShouldWait, PeerClosed, OutOfRange

from .util import TableTestCase, needs_device, needs_libmx, DEVICE


@needs_device
class SocketFifoVmoTest(TableTestCase):

    def test_socket_stream(self):
        a, b = Socket.create()
        self.assertEqual(a.write(b"abc"), 3)
        self.assertEqual(a.write(b"def"), 3)
        self.assertEqual(b.read(4), b"abcd")
        self.assertEqual(b.read(100), b"ef")
        with self.assertRaises(ShouldWait):
            b.read(10)
        a.close()
        with self.assertRaises(PeerClosed):
            b.read(10)

    def test_socket_shutdown(self):
        a, b = Socket.create()
        a.shutdown(mxchan.MX_SOCKET_SHUTDOWN_WRITE)
        self.assertTrue(b.wait_one(mxchan.MX_SOCKET_READ_DISABLED, timeout=5)
                        & mxchan.MX_SOCKET_READ_DISABLED)
        with self.assertRaises(mxchan.MxError) as cm:
            a.write(b"x")
        self.assertEqual(cm.exception.name, "MX_ERR_BAD_STATE")

    def test_fifo(self):
        a, b = Fifo.create(4, 8)
        self.assertEqual(a.type, mxchan.MX_OBJ_TYPE_FIFO)
        self.assertEqual(a.write(b"01234567" b"89abcdef" b"xyz"), 2)
        data, n = b.read(64)
        self.assertEqual(n, 2)
        self.assertEqual(data[:16], b"0123456789abcdef")
        with self.assertRaises(ShouldWait):
            b.read(8)
        with self.assertRaises(OutOfRange):
            a.write(b"short")

    def test_vmo(self):
        v = Vmo.create(8192)
        self.assertEqual(v.size, 8192)
        self.assertEqual(v.write(b"hello", 4000), 5)
        self.assertEqual(v.read(5, 4000), b"hello")
        self.assertEqual(v.read(3, 0), b"\0\0\0")
        v.size = 100
        self.assertEqual(v.size, 100)
        d = v.duplicate()
        self.assertIsInstance(d, Vmo)
        self.assertEqual(d.koid, v.koid)


class TimeTest(unittest.TestCase):

    def test_units(self):
        self.assertEqual(mxchan.sec(2), 2000000000)
        self.assertEqual(mxchan.msec(3), 3000000)
        self.assertEqual(mxchan.usec(4), 4000)
        self.assertEqual(mxchan.sec(0.5), 500000000)

    @needs_libmx
    def test_deadline_after(self):
        t0 = mxchan.now()
        d = mxchan.deadline_after(mxchan.sec(10))
        t1 = mxchan.now()
        self.assertGreaterEqual(d, t0 + mxchan.sec(10))
        self.assertLessEqual(d, t1 + mxchan.sec(10))
        self.assertEqual(mxchan.deadline_after(mxchan.MX_TIME_INFINITE),
                         mxchan.MX_TIME_INFINITE)
        with self.assertRaises(ValueError):
            mxchan.deadline_after(-1)

    @needs_libmx
    def test_nanosleep(self):
        d = mxchan.deadline_after(mxchan.msec(50))
        mxchan.nanosleep(d)
        self.assertGreaterEqual(mxchan.now(), d)


class ImportTest(unittest.TestCase):

    def test_documented(self):
        self.assertTrue(mxchan.__doc__)
        for name in ("Handle", "Channel", "Event", "EventPair", "Port",
                     "MxError", "wait_many"):
            self.assertTrue(getattr(mxchan, name).__doc__, name)
        self.assertEqual(mxchan.MX_CHANNEL_READABLE, 1)
        self.assertEqual(mxchan.MX_RIGHT_SAME_RIGHTS, 1 << 31)

    @unittest.skipIf(os.path.exists(DEVICE), "%s exists" % DEVICE)
    @needs_libmx
    def test_without_device(self):
        with self.assertRaises(mxchan.Unavailable) as cm:
            mxchan.Channel.create()
        self.assertEqual(cm.exception.status, mxchan.MX_ERR_UNAVAILABLE)
        self.assertEqual(cm.exception.name, "MX_ERR_UNAVAILABLE")
        self.assertIn(DEVICE, str(cm.exception))

    def test_import_needs_no_library(self):
        env = dict(os.environ, MXCHAN_LIBMX="/nonexistent/libmx.so.0")
        out = subprocess.run(
            [sys.executable, "-c",
             "import mxchan; print(bool(mxchan.__doc__), "
             "mxchan.status_name(-24))"],
            env=env, capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(out.stdout.split(), ["True", "MX_ERR_PEER_CLOSED"])


if __name__ == "__main__":
    unittest.main()
