"""What the tests share: the device check and the table's handle count."""

import gc
import os
import unittest

import mxchan

DEVICE = "/dev/mxchan"

needs_device = unittest.skipUnless(os.path.exists(DEVICE),
                                   "no %s (the mxchan module is not loaded)"
                                   % DEVICE)


def table_fd():
    """This process's handle table fd (libmx opens it on first use)."""
    for name in os.listdir("/proc/self/fd"):
        try:
            if os.readlink("/proc/self/fd/" + name) == DEVICE:
                return int(name)
        except OSError:
            pass
    return None


def handle_count():
    """How many handles this process's table holds (its fdinfo)."""
    gc.collect()
    mxchan.Event.create().close()    # make sure the table is open
    fd = table_fd()
    with open("/proc/self/fdinfo/%d" % fd) as f:
        for line in f:
            if line.startswith("mxchan-handles:"):
                return int(line.split()[1])
    raise AssertionError("no mxchan-handles line in fd %d's fdinfo" % fd)


class TableTestCase(unittest.TestCase):
    """Fails a test that leaves handles behind in the table."""

    def _problems(self):
        result = getattr(getattr(self, "_outcome", None), "result", None)
        if result is None:
            return 0
        return len(result.errors) + len(result.failures)

    def setUp(self):
        self._handles_before = handle_count()
        self._problems_before = self._problems()

    def tearDown(self):
        # a failed test's traceback keeps its handles: that is no leak
        if self._problems() != self._problems_before:
            return
        after = handle_count()
        self.assertEqual(after, self._handles_before,
                         "the test left %d handles in the table"
                         % (after - self._handles_before))
