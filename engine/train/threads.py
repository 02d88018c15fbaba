"""The torch trainers run on one intra-op thread: their kernels are small (a batch of rows),
so a second thread costs more in hand-offs than it gains, and on a shared 2-core server it
would take the core other visitors' pages need. gensim's workers are threads of their own."""
from __future__ import annotations

from contextlib import contextmanager


@contextmanager
def one_torch_thread():
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)
