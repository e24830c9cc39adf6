"""Channel calls, and handles crossing into other processes."""

import os
import struct
import sys
import textwrap
import threading
import unittest

import mxchan
from mxchan import (Channel, Event, CallFailed, TimedOut, NotFound, BadHandle)

from .util import TableTestCase, needs_device

SIGNALED = mxchan.MX_EVENT_SIGNALED


def serve_once(end, reply_suffix=b" pong", with_event=False):
    """Read one request on end, answer with the same txid."""
    data, handles = end.read(timeout=30)
    reply_handles = handles
    if with_event:
        reply_handles = handles + [Event.create()]
    end.write(data[:4] + data[4:] + reply_suffix, handles=reply_handles)


@needs_device
class CallTest(TableTestCase):

    def test_call_answered_by_a_thread(self):
        client, server = Channel.create()
        t = threading.Thread(target=serve_once, args=(server,),
                             kwargs={"with_event": True})
        t.start()
        try:
            reply, handles = client.call(struct.pack("<I", 1) + b"ping",
                                         timeout=30)
        finally:
            t.join()
        self.assertEqual(reply, struct.pack("<I", 1) + b"ping pong")
        self.assertEqual(len(handles), 1)
        self.assertIsInstance(handles[0], Event)

    def test_call_moves_handles(self):
        client, server = Channel.create()
        ev = Event.create()
        dup = ev.duplicate()
        t = threading.Thread(target=serve_once, args=(server,))
        t.start()
        try:
            reply, handles = client.call(b"\2\0\0\0", handles=[ev], timeout=30)
        finally:
            t.join()
        self.assertTrue(ev.closed)
        self.assertEqual([h.koid for h in handles], [dup.koid])

    def test_replies_by_txid(self):
        client, server = Channel.create()
        server_side = []

        def serve():
            data, _ = server.read(timeout=30)
            server.write(b"\x09\0\0\0other")      # not the reply
            server.write(data + b"!")
            server_side.append(data)
        t = threading.Thread(target=serve)
        t.start()
        try:
            reply, _ = client.call(b"\x05\0\0\0req", timeout=30)
        finally:
            t.join()
        self.assertEqual(reply, b"\x05\0\0\0req!")
        # the message with another txid was queued as usual
        self.assertEqual(client.read(), (b"\x09\0\0\0other", []))

    def test_call_times_out(self):
        client, server = Channel.create()
        ev = Event.create()
        with self.assertRaises(TimedOut) as cm:
            client.call(b"\3\0\0\0", handles=[ev], timeout=0.1)
        self.assertEqual(cm.exception.name, "MX_ERR_TIMED_OUT")
        # the request went out, with its handle
        self.assertTrue(ev.closed)
        data, handles = server.read()
        self.assertEqual(data, b"\3\0\0\0")
        self.assertEqual(len(handles), 1)

    def test_call_failed_peer_closed(self):
        client, server = Channel.create()

        def close_after_read():
            server.read(timeout=30)
            server.close()
        t = threading.Thread(target=close_after_read)
        t.start()
        try:
            with self.assertRaises(CallFailed) as cm:
                client.call(b"\4\0\0\0", timeout=30)
        finally:
            t.join()
        self.assertEqual(cm.exception.status, mxchan.MX_ERR_CALL_FAILED)
        self.assertEqual(cm.exception.name, "MX_ERR_CALL_FAILED")
        self.assertEqual(cm.exception.read_status, mxchan.MX_ERR_PEER_CLOSED)
        self.assertEqual(cm.exception.read_status_name, "MX_ERR_PEER_CLOSED")

    def test_call_not_sent_keeps_handles(self):
        client, server = Channel.create()
        server.close()
        ev = Event.create()
        with self.assertRaises(mxchan.PeerClosed):
            client.call(b"\5\0\0\0", handles=[ev], timeout=1)
        self.assertFalse(ev.closed)
        ev.signal(0, SIGNALED)

    def test_call_answered_by_a_forked_process(self):
        # a forked child shares this process's table (the same open file)
        client, server = Channel.create()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                data, _ = server.read(timeout=30)
                server.write(data + b" from pid %d" % os.getpid())
                code = 0
            finally:
                os._exit(code)     # no finalizers: they would close our handles
        reply, _ = client.call(b"\6\0\0\0hi", timeout=30)
        _, status = os.waitpid(pid, 0)
        self.assertEqual(os.waitstatus_to_exitcode(status), 0)
        self.assertEqual(reply, b"\6\0\0\0hi from pid %d" % pid)
        # the child's exit closed nothing of ours
        client.write(b"still open")
        self.assertEqual(server.read()[0], b"still open")


CHILD = textwrap.dedent("""
    import sys
    import mxchan
    ch = mxchan.get_startup_handle(mxchan.PA_USER0)
    assert isinstance(ch, mxchan.Channel), repr(ch)
    assert mxchan.get_startup_handle(mxchan.PA_USER0) is None   # taken once
    data, handles = ch.read(timeout=60)
    ev, = handles
    assert isinstance(ev, mxchan.Event), repr(ev)
    ev.signal(0, mxchan.MX_USER_SIGNAL_0)
    ch.write(b"child got " + data, handles=[ev])
    ch.close()
""")


@needs_device
class ProcessTest(TableTestCase):

    def test_spawn_passes_a_handle(self):
        parent, child_end = Channel.create()
        pid = mxchan.spawn([sys.executable, "-c", CHILD],
                           handles={mxchan.PA_USER0: child_end})
        self.assertTrue(child_end.closed)
        ev = Event.create()
        dup = ev.duplicate()
        parent.write(b"an event", handles=[ev])
        try:
            data, handles = parent.read(timeout=60)
        finally:
            _, status = os.waitpid(pid, 0)
        self.assertEqual(os.waitstatus_to_exitcode(status), 0)
        self.assertEqual(data, b"child got an event")
        # the event went there and back, and the child could signal it
        self.assertEqual([h.koid for h in handles], [dup.koid])
        self.assertTrue(dup.wait_one(mxchan.MX_USER_SIGNAL_0, timeout=0)
                        & mxchan.MX_USER_SIGNAL_0)
        self.assertTrue(parent.wait_one(mxchan.MX_CHANNEL_PEER_CLOSED, timeout=30)
                        & mxchan.MX_CHANNEL_PEER_CLOSED)

    def test_spawn_failure_keeps_handles(self):
        a, b = Channel.create()
        with self.assertRaises(NotFound):
            mxchan.spawn(["/nonexistent/program"], handles={mxchan.PA_USER0: b})
        self.assertFalse(b.closed)
        b.write(b"still mine")
        self.assertEqual(a.read()[0], b"still mine")

    def test_no_startup_handle(self):
        self.assertIsNone(mxchan.get_startup_handle(mxchan.pa_hnd(0xF2, 9)))

    def test_forked_child_shares_the_table(self):
        ev = Event.create()
        pid = os.fork()
        if pid == 0:
            try:
                ev.signal(0, mxchan.MX_USER_SIGNAL_1)
            finally:
                os._exit(0)
        _, status = os.waitpid(pid, 0)
        self.assertEqual(os.waitstatus_to_exitcode(status), 0)
        self.assertTrue(ev.wait_one(mxchan.MX_USER_SIGNAL_1, timeout=5)
                        & mxchan.MX_USER_SIGNAL_1)


if __name__ == "__main__":
    unittest.main()
