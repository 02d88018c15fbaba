"""Work in a process of its own, killed when its asker stops waiting.

numba (UMAP) and scikit-learn (t-SNE, k-means) run whole passes in compiled code that no
callback can interrupt, and numba holds the GIL while it runs, stalling every other thread
of the server. Such work runs here instead, in a worker process that the asker's progress
callback can end at any moment: when it raises (a visitor who left, a Ctrl-C), the worker is
killed at once. A worker that finished its task is kept for the next one, so numba's
compiled code stays warm (UMAP compiles for tens of seconds in every new process); it ends
by itself after IDLE_SECONDS without work, and at once when the server's end of its pipe
closes (the server gone, even killed).

At most $EMBEDDING_LAB_WORKERS (default 2) workers run tasks at a time; other askers wait
in line and are told their place. Workers are spawned (never forked from the threaded
server), run at a lower CPU priority on one thread, and exchange `engine.train.wire`
messages (JSON and plain arrays, no pickle). A task is a function of the engine named
"engine.module:function", called as function(meta, arrays, report) -> (meta, arrays), with
report(fraction, text) for progress.
"""
from __future__ import annotations

import functools
import importlib
import os
import queue
import sys
import threading
import time
import traceback
from typing import Callable

import numpy as np

from engine.turns import Turns, count_from_env, ordinal

Progress = Callable[[float, str], None]
POLL_SECONDS = 0.25          # the asker's progress is called at least this often
IDLE_SECONDS = 600           # a worker without work for this long ends
NICENESS = 10                # the server's own threads win the CPU whenever both want it
REPORT_EVERY = 0.25          # seconds between a task's progress messages


class WorkerFailed(RuntimeError):
    """The worker process failed (a bug, its traceback in the server's log) or ended without
    an answer (killed by the system, out of memory)."""


def _quiet(fraction: float, text: str) -> None:
    """The progress callback when nobody watches."""


@functools.cache
def _turns() -> Turns:
    return Turns(count_from_env("EMBEDDING_LAB_WORKERS", 2))


class _Worker:
    """One worker process and the server's ends of its two pipes."""

    def __init__(self):
        from engine.spawn import start_with_pipes

        self.process, self.control, self.results = start_with_pipes(_main, "embedding-lab-worker")
        self.idle_since = time.monotonic()

    def fresh(self) -> bool:
        """Alive, and far enough from its idle end that a task sent now finds it there."""
        return self.process.is_alive() and time.monotonic() - self.idle_since < IDLE_SECONDS - 60

    def kill(self) -> None:
        self.process.kill()
        self.process.join()
        self.control.close()
        self.results.close()


_idle: list[_Worker] = []
_idle_lock = threading.Lock()


def _take() -> _Worker:
    with _idle_lock:
        while _idle:
            worker = _idle.pop()
            if worker.fresh():
                return worker
            worker.kill()
    return _Worker()


def _give_back(worker: _Worker) -> None:
    worker.idle_since = time.monotonic()
    with _idle_lock:
        _idle.append(worker)


def run(task: str, meta: dict, arrays: dict[str, np.ndarray],
        progress: Progress | None = None) -> tuple[dict, dict[str, np.ndarray]]:
    """(meta, arrays) answered by `task` ("engine.module:function") in a worker process.

    progress(fraction, text) gets the task's reports, and is called at least every
    POLL_SECONDS (while waiting for a free worker too, with the place in line): when it
    raises, the worker is killed and the exception passes on. A ValueError of the task
    (bad input) comes back as a ValueError; any other failure, or a worker that dies,
    raises WorkerFailed."""
    from engine.train.wire import encode

    progress = progress or _quiet
    if not task.startswith("engine."):
        raise ValueError(f"unknown task {task!r}: tasks are functions of the engine package")
    message = encode("task", {"task": task, **meta}, arrays)
    with _turns().turn(lambda place: progress(0.0, f"waiting for a free worker process "
                                                   f"({ordinal(place)} in line)")):
        worker = _take()
        kind, answer, answer_arrays = _answer(worker, message, progress)
        _give_back(worker)
    if kind == "error":
        raise ValueError(answer["message"])
    if kind == "failure":
        raise WorkerFailed(f"the worker process failed: {answer['message']}")
    return answer, {name: np.array(a) for name, a in answer_arrays.items()}


def _answer(worker: _Worker, message: bytes, progress: Progress) -> tuple[str, dict, dict]:
    """Send the task, pass its reports to `progress`, and return its last message ("result",
    "error" or "failure"). The worker is killed if anything stops this, progress included."""
    from engine.train.wire import decode

    try:
        worker.control.send_bytes(message)
        last = (0.0, "started")
        while True:
            if not worker.results.poll(POLL_SECONDS):
                progress(*last)
                continue
            kind, answer, arrays = decode(worker.results.recv_bytes())
            if kind != "progress":
                return kind, answer, arrays
            last = (answer["fraction"], answer["text"])
            progress(*last)
    except (EOFError, OSError):
        worker.process.join(5)
        worker.kill()
        raise WorkerFailed(f"the worker process ended without an answer (exit code "
                           f"{worker.process.exitcode})") from None
    except BaseException:
        worker.kill()
        raise


# -- the worker's side -------------------------------------------------------------------
def _task(name: str) -> Callable:
    module, _, function = name.partition(":")
    if not module.startswith("engine.") or not function:
        raise ValueError(f"unknown task {name!r}")
    return getattr(importlib.import_module(module), function)


def _listen(control, tasks: queue.Queue) -> None:
    """Hand tasks to the worker's main thread; end the process when the server closes
    the pipe or dies, even in the middle of a task."""
    while True:
        try:
            tasks.put(control.recv_bytes())
        except (EOFError, OSError):
            os._exit(0)


def _reporter(results) -> Progress:
    """A task's report(fraction, text): a progress message at most every REPORT_EVERY seconds."""
    from engine.train.wire import encode

    sent = 0.0

    def report(fraction: float, text: str) -> None:
        nonlocal sent
        now = time.monotonic()
        if now - sent >= REPORT_EVERY:
            sent = now
            results.send_bytes(encode("progress", {"fraction": float(fraction), "text": text}))
    return report


def _main(control, results) -> None:
    """Worker process entry: answer tasks until idle for IDLE_SECONDS or the server goes."""
    os.nice(NICENESS)
    from threadpoolctl import threadpool_limits

    from engine.train.wire import decode, encode

    threadpool_limits(1)
    tasks: queue.Queue = queue.Queue()
    threading.Thread(target=_listen, args=(control, tasks), daemon=True).start()
    while True:
        try:
            _, meta, arrays = decode(tasks.get(timeout=IDLE_SECONDS))
        except queue.Empty:
            return
        try:
            answer, answer_arrays = _task(meta.pop("task"))(meta, arrays, _reporter(results))
            results.send_bytes(encode("result", answer, answer_arrays))
        except (ValueError, MemoryError) as error:
            results.send_bytes(encode("error", {"message": str(error) or type(error).__name__}))
        except Exception as error:            # a bug: one line for the asker, the rest in the log
            traceback.print_exc(file=sys.stderr)
            results.send_bytes(encode("failure", {"message": f"{type(error).__name__}: {error}"}))
