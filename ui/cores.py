"""How one server process spends its cores: each visitor's request on one BLAS thread.

A server's parallelism is its visitors (and, behind the proxy, its processes), not the
threads of one matrix product. OpenBLAS's helper threads also spin for a while after each
product, waiting for the next: with two threads, the single matrix-vector product of a typed
word on Explore (400,000 × 50) cost twice its CPU time again in the spinning helper (48 ms
of server CPU per word instead of 24; bench/bench_class.py). The long jobs that want every
core (the analogy benchmark, exact hubness) run their own threads, each with one BLAS thread.
"""
from __future__ import annotations

import os
from functools import cache


@cache
def blas_on_one_thread() -> None:
    """Once per process: BLAS libraries loaded so far (NumPy's) and later (SciPy's, faiss's)
    run on one thread. An OPENBLAS_NUM_THREADS set by whoever starts the server wins."""
    if "OPENBLAS_NUM_THREADS" in os.environ:
        return
    os.environ["OPENBLAS_NUM_THREADS"] = "1"        # read by each BLAS library as it loads
    from threadpoolctl import threadpool_limits

    threadpool_limits(1, user_api="blas")
