#!/usr/bin/python3
"""Run the mxchan package's unittest suite (python/tests) and print TAP.

    python/run-tests.py [-v] [PATTERN...]

prints "1..N", then "ok K - name" or "not ok K - name" per test, a failure's
traceback as "# " lines below its line, and skipped tests as
"ok K - name # SKIP reason". PATTERNs select the tests whose id contains
one of them. Exit status 0 only if no test failed. The package is imported
from the directory beside this script (python/mxchan); libmx is found as
the package finds it (LD_LIBRARY_PATH, or MXCHAN_LIBMX).
"""

import os
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


def flatten(suite):
    for t in suite:
        if isinstance(t, unittest.TestSuite):
            yield from flatten(t)
        else:
            yield t


def name_of(test):
    parts = test.id().split(".")
    # tests.test_channel.ChannelTest.test_write_read -> test_channel.ChannelTest.test_write_read
    if parts[0] == "tests":
        parts = parts[1:]
    return ".".join(parts)


class TapResult(unittest.TestResult):
    """Prints one TAP line per test as it ends."""

    def __init__(self, stream, verbose=False):
        super().__init__()
        self.stream = stream
        self.verbose = verbose
        self.n = 0
        self.failed = 0
        self._lines = []
        # Python 3.12.0 and 3.12.1 report a skipped test by addSkip and
        # stopTest alone, with no startTest: so these are reset in stopTest
        self._bad = []
        self._skip = None
        self._start = time.monotonic()

    def _emit(self, line, diag=()):
        self.stream.write(line + "\n")
        for d in diag:
            for l in d.rstrip("\n").split("\n"):
                self.stream.write("# " + l + "\n")
        self.stream.flush()

    def startTest(self, test):
        super().startTest(test)
        self._bad = []
        self._skip = None
        self._start = time.monotonic()

    def addError(self, test, err):
        super().addError(test, err)
        self._bad.append(self._exc_info_to_string(err, test))

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._bad.append(self._exc_info_to_string(err, test))

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._skip = reason

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            self._bad.append("%s: %s" % (subtest.id(),
                                         self._exc_info_to_string(err, test)))

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._bad.append("unexpected success")

    def stopTest(self, test):
        super().stopTest(test)
        self.n += 1
        name = name_of(test)
        if self._bad:
            self.failed += 1
            self._emit("not ok %d - %s" % (self.n, name), self._bad)
        elif self._skip is not None:
            self._emit("ok %d - %s # SKIP %s" % (self.n, name, self._skip))
        else:
            extra = ()
            if self.verbose:
                extra = ("%.3f s" % (time.monotonic() - self._start),)
            self._emit("ok %d - %s" % (self.n, name), extra)
        self._bad = []
        self._skip = None
        self._start = time.monotonic()


def main(argv):
    verbose = "-v" in argv
    patterns = [a for a in argv if a != "-v"]
    sys.path.insert(0, HERE)
    # child processes (spawned ones, the import tests) find the package too
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [HERE] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    sys.dont_write_bytecode = True

    loader = unittest.TestLoader()
    suite = loader.discover(os.path.join(HERE, "tests"), pattern="test_*.py",
                            top_level_dir=HERE)
    tests = list(flatten(suite))
    errors = [t for t in tests if type(t).__name__ == "_FailedTest"]
    if patterns:
        tests = [t for t in tests
                 if t in errors or any(p in t.id() for p in patterns)]
    print("1..%d" % len(tests), flush=True)
    result = TapResult(sys.stdout, verbose)
    unittest.TestSuite(tests).run(result)
    print("# %d passed, %d failed, %d skipped"
          % (result.n - result.failed - len(result.skipped), result.failed,
             len(result.skipped)), flush=True)
    return 1 if result.failed or result.n != len(tests) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
