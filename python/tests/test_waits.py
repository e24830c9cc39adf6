"""Signals, wait_one, wait_many, ports and async waits."""

import os
import select
import threading
import time
import unittest

import mxchan
from mxchan import (Channel, Event, EventPair, Port, MxError, TimedOut,
                    InvalidArgs, AccessDenied, PeerClosed, Canceled, NotFound,
                    BadHandle)

from .util import TableTestCase, needs_device

SIGNALED = mxchan.MX_EVENT_SIGNALED
U0, U1 = mxchan.MX_USER_SIGNAL_0, mxchan.MX_USER_SIGNAL_1


@needs_device
class SignalTest(TableTestCase):

    def test_event_signal_and_clear(self):
        ev = Event.create()
        with self.assertRaises(TimedOut) as cm:
            ev.wait_one(SIGNALED, timeout=0)
        self.assertEqual(cm.exception.observed & SIGNALED, 0)
        ev.signal(0, SIGNALED | U0)
        seen = ev.wait_one(SIGNALED, timeout=0)
        self.assertEqual(seen & (SIGNALED | U0), SIGNALED | U0)
        ev.signal(SIGNALED, 0)
        with self.assertRaises(TimedOut) as cm:
            ev.wait_one(SIGNALED, timeout=0.05)
        self.assertEqual(cm.exception.observed & (SIGNALED | U0), U0)

    def test_event_rejects_other_signals(self):
        ev = Event.create()
        with self.assertRaises(InvalidArgs) as cm:
            ev.signal(0, mxchan.MX_CHANNEL_READABLE)
        self.assertEqual(cm.exception.name, "MX_ERR_INVALID_ARGS")
        # an event has no peer: it lacks the right to signal one
        with self.assertRaises(AccessDenied):
            ev.signal_peer(0, U0)

    def test_eventpair(self):
        a, b = EventPair.create()
        a.signal_peer(0, U1)
        self.assertTrue(b.wait_one(U1, timeout=5) & U1)
        with self.assertRaises(TimedOut):
            a.wait_one(U1, timeout=0)
        b.signal(0, mxchan.MX_EPAIR_SIGNALED)
        self.assertTrue(b.wait_one(mxchan.MX_EPAIR_SIGNALED, timeout=0))
        a.close()
        self.assertTrue(b.wait_one(mxchan.MX_EPAIR_PEER_CLOSED, timeout=5)
                        & mxchan.MX_EPAIR_PEER_CLOSED)
        with self.assertRaises(PeerClosed):
            b.signal_peer(0, U0)

    def test_channel_signals(self):
        a, b = Channel.create()
        seen = b.wait_one(mxchan.MX_CHANNEL_WRITABLE, timeout=0)
        self.assertEqual(seen & mxchan.MX_CHANNEL_READABLE, 0)
        a.write(b"x")
        self.assertTrue(b.wait_one(mxchan.MX_CHANNEL_READABLE, timeout=0)
                        & mxchan.MX_CHANNEL_READABLE)
        a.signal_peer(0, U0)
        self.assertTrue(b.wait_one(U0, timeout=0) & U0)

    def test_wait_times_out(self):
        ev = Event.create()
        start = time.monotonic()
        with self.assertRaises(TimedOut) as cm:
            ev.wait_one(SIGNALED, timeout=0.2)
        self.assertGreaterEqual(time.monotonic() - start, 0.19)
        self.assertIsInstance(cm.exception, MxError)
        self.assertEqual(cm.exception.status, mxchan.MX_ERR_TIMED_OUT)
        with self.assertRaises(TimedOut):
            ev.wait_one(SIGNALED, deadline=mxchan.deadline_after(mxchan.msec(10)))
        with self.assertRaises(ValueError):
            ev.wait_one(SIGNALED, deadline=0, timeout=0)

    def test_wait_woken_by_another_thread(self):
        ev = Event.create()
        t = threading.Timer(0.2, ev.signal, (0, SIGNALED))
        t.start()
        try:
            self.assertTrue(ev.wait_one(SIGNALED, timeout=30) & SIGNALED)
        finally:
            t.join()

    def test_wait_canceled_by_close(self):
        ev = Event.create()
        dup = ev.duplicate()
        t = threading.Timer(0.2, dup.close)
        t.start()
        try:
            with self.assertRaises(Canceled) as cm:
                dup.wait_one(SIGNALED, timeout=30)
            self.assertEqual(cm.exception.name, "MX_ERR_CANCELED")
        finally:
            t.join()
        self.assertTrue(dup.closed)

    def test_wait_many(self):
        e0, e1, e2 = Event.create(), Event.create(), Event.create()
        items = [(e0, SIGNALED), (e1, SIGNALED), (e2, U0)]
        with self.assertRaises(TimedOut) as cm:
            mxchan.wait_many(items, timeout=0.05)
        self.assertEqual(len(cm.exception.observed), 3)
        self.assertFalse(any(s & SIGNALED for s in cm.exception.observed))
        e1.signal(0, SIGNALED)
        seen = mxchan.wait_many(items, timeout=5)
        self.assertEqual(len(seen), 3)
        self.assertEqual(seen[0] & SIGNALED, 0)
        self.assertEqual(seen[1] & SIGNALED, SIGNALED)
        self.assertEqual(seen[2] & U0, 0)

    def test_wait_many_mixed_and_woken(self):
        a, b = Channel.create()
        ev = Event.create()
        t = threading.Timer(0.2, a.write, (b"wake",))
        t.start()
        try:
            seen = mxchan.wait_many([(ev, SIGNALED),
                                     (b, mxchan.MX_CHANNEL_READABLE)],
                                    timeout=30)
        finally:
            t.join()
        self.assertTrue(seen[1] & mxchan.MX_CHANNEL_READABLE)
        self.assertEqual(b.read()[0], b"wake")

    def test_wait_many_errors(self):
        ev = Event.create()
        gone = Event.create()
        gone.close()
        with self.assertRaises(BadHandle):
            mxchan.wait_many([(ev, SIGNALED), (gone, SIGNALED)], timeout=0)
        with self.assertRaises(TypeError):
            mxchan.wait_many([(3, SIGNALED)], timeout=0)

    def test_signal_fd(self):
        ev = Event.create()
        fd = ev.signal_fd(SIGNALED)
        try:
            r, _, _ = select.select([fd], [], [], 0)
            self.assertEqual(r, [])
            ev.signal(0, SIGNALED)
            r, _, _ = select.select([fd], [], [], 5)
            self.assertEqual(r, [fd])
        finally:
            os.close(fd)


@needs_device
class PortTest(TableTestCase):

    def test_user_packet(self):
        p = Port.create()
        p.queue(7, b"payload", status=mxchan.MX_ERR_NOT_FOUND)
        p.queue(8)
        pkt = p.wait(timeout=5)
        self.assertEqual(pkt.key, 7)
        self.assertEqual(pkt.type, mxchan.MX_PKT_TYPE_USER)
        self.assertEqual(pkt.status, mxchan.MX_ERR_NOT_FOUND)
        self.assertEqual(pkt.user, b"payload" + bytes(25))
        self.assertIsNone(pkt.trigger)
        self.assertEqual(p.wait(timeout=5).key, 8)
        with self.assertRaises(TimedOut):
            p.wait(timeout=0.05)
        with self.assertRaises(ValueError):
            p.queue(1, bytes(33))

    def test_wait_woken_by_queue(self):
        p = Port.create()
        t = threading.Timer(0.2, p.queue, (99, b"late"))
        t.start()
        try:
            self.assertEqual(p.wait(timeout=30).key, 99)
        finally:
            t.join()

    def test_wait_async_once(self):
        p = Port.create()
        a, b = Channel.create()
        b.wait_async(p, 42, mxchan.MX_CHANNEL_READABLE)
        with self.assertRaises(TimedOut):
            p.wait(timeout=0.05)
        a.write(b"1")
        pkt = p.wait(timeout=5)
        self.assertEqual(pkt.key, 42)
        self.assertEqual(pkt.type, mxchan.MX_PKT_TYPE_SIGNAL_ONE)
        self.assertEqual(pkt.status, mxchan.MX_OK)
        self.assertEqual(pkt.trigger, mxchan.MX_CHANNEL_READABLE)
        self.assertTrue(pkt.observed & mxchan.MX_CHANNEL_READABLE)
        self.assertIsNone(pkt.user)
        b.read()
        a.write(b"2")        # a one-shot wait: no second packet
        with self.assertRaises(TimedOut):
            p.wait(timeout=0.05)

    def test_wait_async_repeating(self):
        p = Port.create()
        ev = Event.create()
        ev.wait_async(p, 5, SIGNALED, mxchan.MX_WAIT_ASYNC_REPEATING)
        for _ in range(2):
            ev.signal(0, SIGNALED)
            pkt = p.wait(timeout=5)
            self.assertEqual((pkt.key, pkt.type),
                             (5, mxchan.MX_PKT_TYPE_SIGNAL_REP))
            ev.signal(SIGNALED, 0)
        p.cancel(ev, 5)
        ev.signal(0, SIGNALED)
        with self.assertRaises(TimedOut):
            p.wait(timeout=0.05)
        with self.assertRaises(NotFound) as cm:
            p.cancel(ev, 5)
        self.assertEqual(cm.exception.name, "MX_ERR_NOT_FOUND")

    def test_wait_async_errors(self):
        p = Port.create()
        ev = Event.create()
        with self.assertRaises(TypeError):
            ev.wait_async(ev, 1, SIGNALED)
        with self.assertRaises(InvalidArgs):
            ev.wait_async(p, 1, SIGNALED, options=7)
        with self.assertRaises(mxchan.MxError) as cm:
            p.wait_async(p, 1, SIGNALED)
        self.assertEqual(cm.exception.status, mxchan.MX_ERR_NOT_SUPPORTED)


if __name__ == "__main__":
    unittest.main()
