"""Fresh Python processes for the engine's work (training, workers), started without the
server's script.

multiprocessing's "spawn" runs the parent's `__main__` again in every child before its
target, found by `__main__.__spec__` or `__main__.__file__`. Under Streamlit (the app and its
AppTest alike) `__main__` is the page script (a module with a `__file__` and no spec), so each
child would run the whole app, or a test's script, before starting its work: seconds of
imports and drawing, and an exit with code 1 wherever that script cannot run outside the app.
"""
from __future__ import annotations

import multiprocessing
import sys
import threading
import types
from contextlib import contextmanager

_main_swap = threading.Lock()


def spawn_context():
    """The "spawn" context: a child never inherits the threaded server's locks (no fork)."""
    return multiprocessing.get_context("spawn")


@contextmanager
def without_main_script():
    """Inside, `sys.modules["__main__"]` is a module with nothing to run, so that processes
    started here (their start-up data is taken from it) do not run the page script; it is put
    back after. Streamlit sets `sys.modules["__main__"]` at the start of every script run; if
    one starts meanwhile, the module put back is an earlier run's, which only pickling inside
    page code would read (no page pickles)."""
    with _main_swap:
        main = sys.modules["__main__"]
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            sys.modules["__main__"] = main


def start(process) -> None:
    """`process.start()` for a Process of `spawn_context()`, without the page script."""
    with without_main_script():
        process.start()


def start_with_pipes(target, name: str):
    """Start `target(control, results)` in a spawned daemon process; returns (process, the
    control end this process writes to, the results end it reads). Only the child holds the
    other ends, so its exit is this side's EOF."""
    context = spawn_context()
    control_end, control = context.Pipe(duplex=False)
    results, results_end = context.Pipe(duplex=False)
    process = context.Process(target=target, args=(control_end, results_end), daemon=True, name=name)
    start(process)
    control_end.close()
    results_end.close()
    return process, control, results
