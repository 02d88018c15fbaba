"""A thread pool whose queued work is dropped when the work that uses it stops.

`ThreadPoolExecutor.map` submits every task at once, and leaving an executor's `with`
waits for all of them: a computation cancelled from its progress callback would still
score every remaining block before the exception got out. Here the queued tasks are
cancelled instead, and only those already running finish (one block each).
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager


@contextmanager
def thread_pool(workers: int | None = None):
    """A ThreadPoolExecutor of `workers` threads (default: one per core) for the block."""
    pool = ThreadPoolExecutor(workers or os.cpu_count() or 1)
    try:
        yield pool
    except BaseException:
        pool.shutdown(cancel_futures=True)
        raise
    pool.shutdown()
