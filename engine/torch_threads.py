"""How many intra-op threads torch uses, per kind of work.

Interactive work runs on one thread: its kernels are small (a batch of rows, a few
sentences), and on a shared 2-core server threads that wait for each other made a
two-sentence forward pass ten times slower than one thread (bench/bench_contextual.py).
A one-time batch job whose result is cached (embedding a whole corpus) may use every core:
it runs once per server, and the visitor waiting for it waits less.
"""
from __future__ import annotations

import os
import threading
from contextlib import contextmanager

_ALL_CORES = threading.Lock()    # one all-core job at a time, so each restores what it found


@contextmanager
def _torch_threads(count: int):
    """torch on `count` intra-op threads for the duration, then as before."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(count)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def one_torch_thread():
    return _torch_threads(1)


@contextmanager
def all_torch_threads():
    """torch on every core for the duration (a cached batch job), then as before."""
    with _ALL_CORES, _torch_threads(os.cpu_count() or 1):
        yield
