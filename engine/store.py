"""A shared, thread-safe result store bounded by bytes, with single-flight computation.

Every visitor's request for the same key gets the same result; the first computes it,
the others wait for it instead of computing it again. Results are kept least recently
used first out, until their estimated sizes add up to the store's byte budget.
"""
from __future__ import annotations

import dataclasses
import sys
import threading
from collections import OrderedDict
from concurrent.futures import Future
from contextlib import nullcontext
from typing import Any, Callable, ContextManager, Hashable

import numpy as np

WAIT_POLL_SECONDS = 0.25    # how often a waiter checks whether it is still wanted


class Cancelled(Exception):
    """Raised inside a computation whose visitor has left: the work is no longer wanted."""


def estimate_bytes(value: Any, _depth: int = 0) -> int:
    """Approximate memory held by `value`: NumPy arrays by nbytes, an EmbeddingSet by its
    vectors and the unit rows and norms it has computed, dataclasses, dicts, lists and
    tuples by their parts; anything else by sys.getsizeof. Long lists of strings (keys)
    are estimated from a sample of 1,000."""
    if isinstance(value, np.ndarray):
        return int(value.nbytes)
    if _depth > 6:
        return sys.getsizeof(value)
    if hasattr(value, "vectors") and hasattr(value, "index_to_key"):   # EmbeddingSet
        parts = [value.vectors, value.index_to_key] + [value.__dict__[name] for name in
                                                        ("unit", "norms") if name in value.__dict__]
        return sum(estimate_bytes(part, _depth + 1) for part in parts)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return sys.getsizeof(value) + sum(estimate_bytes(getattr(value, f.name), _depth + 1)
                                          for f in dataclasses.fields(value))
    if isinstance(value, dict):
        return sys.getsizeof(value) + sum(estimate_bytes(k, _depth + 1) + estimate_bytes(v, _depth + 1)
                                          for k, v in value.items())
    if isinstance(value, (list, tuple)):
        if len(value) > 1_000:
            step = len(value) // 1_000
            sample = value[::step][:1_000]
            return sys.getsizeof(value) + sum(estimate_bytes(v, _depth + 1) for v in sample) * len(value) // len(sample)
        return sys.getsizeof(value) + sum(estimate_bytes(v, _depth + 1) for v in value)
    return sys.getsizeof(value)


class ResultStore:
    """Results by key, at most `max_bytes` of them (by estimate_bytes), shared by threads.

    Parameters
    ----------
    max_bytes : the byte budget. A result larger than the whole budget is returned to its
        asker (and to those waiting for it) but not kept.
    """

    def __init__(self, max_bytes: int):
        self.max_bytes = int(max_bytes)
        self._lock = threading.Lock()
        self._results: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._pending: dict[Hashable, Future] = {}
        self._waiting: dict[Hashable, int] = {}        # key -> threads waiting for its result
        self.bytes = 0

    def __len__(self) -> int:
        with self._lock:
            return len(self._results)

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._results

    def get_or_compute(self, key: Hashable, compute: Callable[[], Any],
                       waiting: Callable[[], ContextManager] | None = None,
                       cancel: threading.Event | None = None) -> Any:
        """The result for `key`: kept, or being computed by another thread (wait for it,
        inside `waiting()`, e.g. a spinner), or computed here by `compute()`.

        If the computing thread fails with an ordinary exception, its waiters get the same
        exception; if it is interrupted (Cancelled, or a BaseException such as a script
        stop), one waiter computes the result instead. A waiter whose `cancel` is set stops
        waiting (Cancelled) and no longer counts as one (see `awaited`).
        """
        while True:
            with self._lock:
                if key in self._results:
                    self._results.move_to_end(key)
                    return self._results[key][0]
                future = self._pending.get(key)
                owner = future is None
                if owner:
                    future = self._pending[key] = Future()
            if owner:
                return self._compute(key, compute, future)
            with self._lock:
                self._waiting[key] = self._waiting.get(key, 0) + 1
            try:
                with (waiting or nullcontext)():
                    return self._wait(future, cancel)
            except Cancelled:
                if cancel is not None and cancel.is_set():
                    raise
                continue              # the computing visitor left; compute it for this one
            finally:
                with self._lock:
                    self._waiting[key] -= 1
                    if not self._waiting[key]:
                        del self._waiting[key]

    @staticmethod
    def _wait(future: Future, cancel: threading.Event | None) -> Any:
        while True:
            try:
                return future.result(timeout=WAIT_POLL_SECONDS)
            except TimeoutError:
                if cancel is not None and cancel.is_set():
                    raise Cancelled("stopped waiting: the waiter left") from None

    def awaited(self, key: Hashable) -> bool:
        """Whether another thread is waiting for the result of `key` being computed: a
        computation whose asker has left finishes for them instead of stopping."""
        with self._lock:
            return self._waiting.get(key, 0) > 0

    def _compute(self, key, compute, future: Future) -> Any:
        try:
            value = compute()
        except Exception as error:
            with self._lock:
                del self._pending[key]
            future.set_exception(error)
            raise
        except BaseException:
            with self._lock:
                del self._pending[key]
            future.set_exception(Cancelled(f"the computation of {key!r} was interrupted"))
            raise
        size = estimate_bytes(value)
        with self._lock:
            del self._pending[key]
            if size <= self.max_bytes:
                self._results[key] = (value, size)
                self.bytes += size
                while self.bytes > self.max_bytes:
                    _, (_, dropped) = self._results.popitem(last=False)
                    self.bytes -= dropped
        future.set_result(value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._results.clear()
            self.bytes = 0
