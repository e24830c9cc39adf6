"""Channels: messages, handles moving, big messages, errors."""

import threading
import time
import unittest

import mxchan
from mxchan import (Channel, Event, Handle, MxError, BadHandle, ShouldWait,
                    PeerClosed, BufferTooSmall, TimedOut, AccessDenied,
                    OutOfRange)

from .util import TableTestCase, needs_device


@needs_device
class ChannelTest(TableTestCase):

    def test_write_read(self):
        a, b = Channel.create()
        a.write(b"hello")
        b.write(bytearray(b"back"))
        self.assertEqual(b.read(), (b"hello", []))
        self.assertEqual(a.read(), (b"back", []))

    def test_empty_message(self):
        a, b = Channel.create()
        a.write()
        self.assertEqual(b.read(), (b"", []))

    def test_ends_are_related(self):
        a, b = Channel.create()
        self.assertIsInstance(a, Channel)
        self.assertNotEqual(a.koid, b.koid)
        self.assertEqual(a.related_koid, b.koid)
        self.assertEqual(b.related_koid, a.koid)
        self.assertEqual(a.type, mxchan.MX_OBJ_TYPE_CHANNEL)
        self.assertEqual(a.rights, mxchan.MX_DEFAULT_CHANNEL_RIGHTS)

    def test_messages_keep_order(self):
        a, b = Channel.create()
        for i in range(10):
            a.write(b"%d" % i)
        self.assertEqual([b.read()[0] for _ in range(10)],
                         [b"%d" % i for i in range(10)])

    def test_read_empty_should_wait(self):
        a, b = Channel.create()
        with self.assertRaises(ShouldWait) as cm:
            b.read()
        self.assertEqual(cm.exception.status, mxchan.MX_ERR_SHOULD_WAIT)
        self.assertEqual(cm.exception.name, "MX_ERR_SHOULD_WAIT")

    def test_handle_moves(self):
        a, b = Channel.create()
        ev = Event.create()
        dup = ev.duplicate()
        koid, raw = ev.koid, ev.value
        a.write(b"take it", handles=[ev])
        # the sent object is empty, its value no longer in the table
        self.assertTrue(ev.closed)
        self.assertEqual(ev.value, 0)
        with self.assertRaises(BadHandle) as cm:
            ev.signal(0, mxchan.MX_EVENT_SIGNALED)
        self.assertEqual(cm.exception.name, "MX_ERR_BAD_HANDLE")
        stale = Handle(raw)
        try:
            with self.assertRaises(BadHandle):
                stale.info()
        finally:
            stale.release()
        data, handles = b.read()
        self.assertEqual(data, b"take it")
        self.assertEqual(len(handles), 1)
        got = handles[0]
        self.assertIsInstance(got, Event)
        self.assertEqual(got.koid, koid)
        self.assertNotEqual(got.value, raw)
        # and it works: what it signals, the duplicate sees
        got.signal(0, mxchan.MX_EVENT_SIGNALED)
        self.assertTrue(dup.wait_one(mxchan.MX_EVENT_SIGNALED, timeout=0)
                        & mxchan.MX_EVENT_SIGNALED)

    def test_channel_end_moves(self):
        a, b = Channel.create()
        c0, c1 = Channel.create()
        a.write(b"", handles=[c1])
        _, (got,) = b.read()
        self.assertIsInstance(got, Channel)
        self.assertEqual(got.related_koid, c0.koid)
        got.write(b"through the moved end")
        self.assertEqual(c0.read(), (b"through the moved end", []))

    def test_several_types_come_back_typed(self):
        a, b = Channel.create()
        e0, e1 = mxchan.EventPair.create()
        sent = [Event.create(), e0, Channel.create()[0], mxchan.Port.create()]
        a.write(b"x", handles=sent)
        _, got = b.read()
        self.assertEqual([type(h) for h in got],
                         [Event, mxchan.EventPair, Channel, mxchan.Port])
        self.assertEqual(got[1].related_koid, e1.koid)

    def test_failed_write_keeps_handles(self):
        a, b = Channel.create()
        ev = Event.create()
        no_transfer = ev.duplicate(mxchan.MX_RIGHT_READ | mxchan.MX_RIGHT_SIGNAL)
        other = Event.create()
        with self.assertRaises(AccessDenied) as cm:
            a.write(b"x", handles=[other, no_transfer])
        self.assertEqual(cm.exception.name, "MX_ERR_ACCESS_DENIED")
        self.assertFalse(other.closed)
        self.assertFalse(no_transfer.closed)
        other.signal(0, mxchan.MX_EVENT_SIGNALED)    # still ours
        no_transfer.signal(0, mxchan.MX_USER_SIGNAL_0)
        with self.assertRaises(ShouldWait):
            b.read()

    def test_too_many_handles(self):
        a, b = Channel.create()
        evs = [Event.create() for _ in range(mxchan.MX_CHANNEL_MAX_MSG_HANDLES + 1)]
        with self.assertRaises(OutOfRange):
            a.write(b"", handles=evs)
        self.assertFalse(any(e.closed for e in evs))
        a.write(b"", handles=evs[:mxchan.MX_CHANNEL_MAX_MSG_HANDLES])
        _, got = b.read()
        self.assertEqual(len(got), mxchan.MX_CHANNEL_MAX_MSG_HANDLES)

    def test_write_rejects_non_handles(self):
        a, b = Channel.create()
        with self.assertRaises(TypeError):
            a.write(b"", handles=[5])
        with self.assertRaises(ShouldWait):
            b.read()

    def test_buffer_too_small(self):
        a, b = Channel.create()
        payload = bytes(range(256)) * 40          # 10240 > the 4096 first tried
        evs = [Event.create() for _ in range(20)]  # 20 > the 16 first tried
        koids = [e.koid for e in evs]
        a.write(payload, handles=evs)
        with self.assertRaises(BufferTooSmall) as cm:
            b.read(num_bytes=16, num_handles=1)
        self.assertEqual(cm.exception.name, "MX_ERR_BUFFER_TOO_SMALL")
        self.assertEqual(cm.exception.actual_bytes, len(payload))
        self.assertEqual(cm.exception.actual_handles, 20)
        # still queued: read() grows its buffers to the reported sizes
        data, got = b.read()
        self.assertEqual(data, payload)
        self.assertEqual([h.koid for h in got], koids)
        with self.assertRaises(ShouldWait):
            b.read()

    def test_buffer_too_small_handles_only(self):
        a, b = Channel.create()
        a.write(b"ab", handles=[Event.create(), Event.create()])
        with self.assertRaises(BufferTooSmall) as cm:
            b.read(num_bytes=100, num_handles=1)
        self.assertEqual((cm.exception.actual_bytes,
                          cm.exception.actual_handles), (2, 2))
        self.assertEqual(len(b.read()[1]), 2)

    def test_largest_message(self):
        a, b = Channel.create()
        payload = b"\xa5" * mxchan.MX_CHANNEL_MAX_MSG_BYTES
        a.write(payload)
        self.assertEqual(b.read()[0], payload)
        with self.assertRaises(OutOfRange):
            a.write(payload + b"!")

    def test_may_discard(self):
        a, b = Channel.create()
        ev = Event.create()
        dup = ev.duplicate()
        a.write(b"0123456789", handles=[ev])
        with self.assertRaises(BufferTooSmall):
            b.read(num_bytes=1, num_handles=0,
                   options=mxchan.MX_CHANNEL_READ_MAY_DISCARD)
        with self.assertRaises(ShouldWait):
            b.read()
        # the discarded message's handle was closed: dup is the last one
        self.assertTrue(dup.wait_one(mxchan.MX_SIGNAL_LAST_HANDLE, timeout=1)
                        & mxchan.MX_SIGNAL_LAST_HANDLE)

    def test_peer_closed(self):
        a, b = Channel.create()
        b.close()
        with self.assertRaises(PeerClosed) as cm:
            a.write(b"x")
        self.assertEqual(cm.exception.status, mxchan.MX_ERR_PEER_CLOSED)
        self.assertEqual(cm.exception.name, "MX_ERR_PEER_CLOSED")
        self.assertTrue(a.wait_one(mxchan.MX_CHANNEL_PEER_CLOSED, timeout=0)
                        & mxchan.MX_CHANNEL_PEER_CLOSED)
        with self.assertRaises(PeerClosed):
            a.read()

    def test_queued_messages_outlive_the_writer(self):
        a, b = Channel.create()
        a.write(b"last words")
        a.close()
        self.assertEqual(b.read(), (b"last words", []))
        with self.assertRaises(PeerClosed):
            b.read()

    def test_read_waits(self):
        a, b = Channel.create()

        def later():
            time.sleep(0.2)
            a.write(b"late")
        t = threading.Thread(target=later)
        t.start()
        try:
            self.assertEqual(b.read(timeout=30), (b"late", []))
        finally:
            t.join()

    def test_read_times_out(self):
        a, b = Channel.create()
        start = time.monotonic()
        with self.assertRaises(TimedOut) as cm:
            b.read(timeout=0.1)
        self.assertGreaterEqual(time.monotonic() - start, 0.09)
        self.assertEqual(cm.exception.name, "MX_ERR_TIMED_OUT")

    def test_read_deadline_past(self):
        a, b = Channel.create()
        with self.assertRaises(TimedOut):
            b.read(deadline=mxchan.now())
        a.write(b"y")
        self.assertEqual(b.read(deadline=mxchan.now()), (b"y", []))

    def test_read_on_wrong_type(self):
        ev = Event.create()
        with self.assertRaises(MxError) as cm:
            Channel(ev.duplicate().release()).read()
        self.assertIsInstance(cm.exception, mxchan.WrongType)
        self.assertEqual(cm.exception.name, "MX_ERR_WRONG_TYPE")


if __name__ == "__main__":
    unittest.main()
