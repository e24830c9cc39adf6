"""What the tests share: the library and device checks, and the leak check."""

import functools
import gc
import os
import unittest
import weakref

import mxchan
from mxchan import objects

DEVICE = "/dev/mxchan"


def _libmx_error():
    """Why libmx cannot be loaded, or None when it can."""
    try:
        mxchan.load_library()
    except mxchan.LibraryNotFound as e:
        return " ".join(str(e).split())
    return None


LIBMX_ERROR = _libmx_error()

needs_libmx = unittest.skipIf(LIBMX_ERROR is not None,
                              "no libmx: %s" % LIBMX_ERROR)

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
    """How many handles this process's table holds (its fdinfo).

    It collects no garbage first: a handle that only the garbage collector
    would close (its Handle object in a reference cycle) still counts."""
    mxchan.Event.create().close()    # make sure the table is open
    fd = table_fd()
    with open("/proc/self/fdinfo/%d" % fd) as f:
        for line in f:
            if line.startswith("mxchan-handles:"):
                return int(line.split()[1])
    raise AssertionError("no mxchan-handles line in fd %d's fdinfo" % fd)


def _recorded(test):
    """What unittest has recorded about test so far, as a tuple to compare
    with a later one (a change means a part failed or skipped), or None.

    These are unittest internals, each looked up with care: from 3.4 to
    3.10 a test's outcome (test._outcome) keeps its errors, failures and
    skips until the test ends; from 3.11 they go to the result at once.
    TableTestCase does not depend on them alone (see _call_test)."""
    outcome = getattr(test, "_outcome", None)
    state = []
    errors = getattr(outcome, "errors", None)
    if isinstance(errors, list):
        state.append(sum(1 for e in errors
                         if isinstance(e, tuple) and len(e) == 2
                         and e[1] is not None))
    skipped = getattr(outcome, "skipped", None)
    if isinstance(skipped, list):
        state.append(len(skipped))
    result = getattr(outcome, "result", None)
    for name in ("errors", "failures", "skipped"):
        found = getattr(result, name, None)
        if isinstance(found, list):
            state.append(len(found))
    return tuple(state) if state else None


class TableTestCase(unittest.TestCase):
    """Fails a test that leaves handles behind.

    Two checks, after the test and its other cleanups:
    - no Handle object made during the test is still open (each Handle is
      registered in a WeakSet through mxchan.objects._track_handles): one
      kept by an attribute, a global, a thread or a reference cycle is a
      leak. A Handle that is only a local variable of the test is closed
      by its __del__ when the test returns, as the package documents;
    - with /dev/mxchan, the table holds as many handles as before the test
      (this catches raw values too, e.g. released and never closed).

    The garbage collector is collected before the test and disabled during
    it (explicit gc.collect() still works), so a Handle in a reference
    cycle is found whenever the collector would run. A test that failed
    (or skipped) is not checked: its traceback keeps its handles, and that
    is no leak. That the test method raised is seen by a wrapper around it
    on any Python; a failure in setUp, a cleanup or a subTest, through
    unittest's records where they can be read (_recorded).
    """

    def __init__(self, methodName="runTest"):
        super().__init__(methodName)
        self._test_raised = False
        method = getattr(self, methodName, None)
        if callable(method):
            # an instance attribute: unittest looks the method up by name
            @functools.wraps(method)
            def _call_test(*args, **kwargs):
                try:
                    return method(*args, **kwargs)
                except BaseException:
                    self._test_raised = True
                    raise
            setattr(self, methodName, _call_test)

    def setUp(self):
        gc.collect()    # what earlier tests left to the collector goes now
        self._gc_was_enabled = gc.isenabled()
        gc.disable()
        self._made = weakref.WeakSet()
        self._registry_before = objects._track_handles(self._made)
        self._handles_before = None
        self._recorded_before = _recorded(self)
        # the first cleanup added runs last: after the test's own cleanups
        self.addCleanup(self._check_leaks)
        if os.path.exists(DEVICE):
            self._handles_before = handle_count()

    def _check_leaks(self):
        objects._track_handles(self._registry_before)
        try:
            if self._test_raised or _recorded(self) != self._recorded_before:
                return      # failed or skipped: its traceback keeps handles
            self._check_no_leaks()
        finally:
            if self._gc_was_enabled:
                gc.enable()

    def _check_no_leaks(self):
        still_open = [(weakref.ref(h), repr(h))
                      for h in list(self._made) if not h.closed]
        after = None
        if self._handles_before is not None:
            after = handle_count()
        leaks = []
        if still_open:
            gc.collect()    # tells what a reference cycle alone kept open
            for ref, name in still_open:
                h = ref()
                if h is None or h.closed:
                    leaks.append(name + " (only a reference cycle kept it;"
                                 " the garbage collector closed it)")
                else:
                    leaks.append(name + " (still referenced)")
                    try:
                        h.close()     # so that later tests start clean
                    except Exception:
                        pass          # close() empties the object anyway
                del h
        message = []
        if after is not None and after != self._handles_before:
            message.append("the test left %d handles in the table"
                           % (after - self._handles_before))
        if leaks:
            message.append("%d Handle objects made by the test were still "
                           "open at its end: %s"
                           % (len(leaks), ", ".join(leaks)))
        if message:
            self.fail("; ".join(message))
