"""How one server process is set up, once: each visitor's request on one BLAS thread, and
its replies sent without waiting.

A server's parallelism is its visitors (and, behind the proxy, its processes), not the
threads of one matrix product. OpenBLAS's helper threads also spin for a while after each
product, waiting for the next: with two threads, the single matrix-vector product of a typed
word on Explore (400,000 × 50) cost twice its CPU time again in the spinning helper (48 ms
of server CPU per word instead of 24; bench/bench_class.py). The long jobs that want every
core (the analogy benchmark, exact hubness) run their own threads, each with one BLAS thread.

Streamlit's server opens its listening socket without naming TCP, so asyncio does not turn
off Nagle's algorithm on the connections it accepts: the last small websocket frame of a
run (script_finished) then waited for the browser's delayed acknowledgement, 40 ms on every
typed word whatever the server's work (bench/bench_class.py, bench_browser_latency.py).
"""
from __future__ import annotations

import os
import socket
from functools import cache
from pathlib import Path


@cache
def set_up_server_process() -> None:
    """Once per process (server.py as it starts, app.py at its first run)."""
    blas_on_one_thread()
    reply_without_delay()


def blas_on_one_thread() -> None:
    """BLAS libraries loaded so far (NumPy's) and later (SciPy's, faiss's) run on one
    thread. An OPENBLAS_NUM_THREADS set by whoever starts the server wins."""
    if "OPENBLAS_NUM_THREADS" in os.environ:
        return
    os.environ["OPENBLAS_NUM_THREADS"] = "1"        # read by each BLAS library as it loads
    from threadpoolctl import threadpool_limits

    threadpool_limits(1, user_api="blas")


def reply_without_delay() -> int:
    """Turn off Nagle's algorithm on every listening TCP socket of this process (the
    connections it accepts from then on inherit it, on Linux); returns how many."""
    count = 0
    for fd in Path("/proc/self/fd").iterdir():
        try:
            copy = os.dup(int(fd.name))
        except OSError:                     # closed meanwhile
            continue
        try:
            listening = socket.socket(fileno=copy)
        except OSError:                     # not a socket
            os.close(copy)
            continue
        with listening:
            if (listening.family in (socket.AF_INET, socket.AF_INET6) and listening.type == socket.SOCK_STREAM
                    and listening.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN)):
                listening.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                count += 1
    return count
