"""The mxchan package's tests (unittest): python/run-tests.py runs them."""
