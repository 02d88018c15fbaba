"""Turns: at most `size` holders at a time, the others waiting in arrival order, each
knowing its place in the line (training processes, worker processes)."""
from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from typing import Callable

POLL_SECONDS = 0.25          # how often a waiter is told its place (and may leave the line)


def count_from_env(variable: str, default: int) -> int:
    """A count of at least 1 from an environment variable ($EMBEDDING_LAB_TRAINING_PROCESSES, ...)."""
    raw = os.environ.get(variable, "")
    try:
        count = int(raw) if raw else default
    except ValueError:
        raise ValueError(f"{variable}={raw!r} is not a whole number") from None
    if count < 1:
        raise ValueError(f"{variable}={raw!r}: at least 1 is needed")
    return count


def ordinal(place: int) -> str:
    """1st, 2nd, 3rd, 4th, … 11th, 12th, 13th, … 21st."""
    suffix = "th" if 10 <= place % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(place % 10, "th")
    return f"{place}{suffix}"


class Turns:
    """At most `size` holders at once; `turn` waits in line for one."""

    def __init__(self, size: int):
        self.size = int(size)
        self._changed = threading.Condition()
        self._line: list[object] = []
        self._holding = 0

    @property
    def holding(self) -> int:
        with self._changed:
            return self._holding

    @property
    def waiting(self) -> int:
        with self._changed:
            return len(self._line)

    @contextmanager
    def turn(self, waiting: Callable[[int], None] | None = None):
        """Hold a turn for the block, after waiting for it in arrival order.

        waiting(place) is called every POLL_SECONDS while in line (place 1: next); it may
        raise (a visitor who left) to leave the line, which passes the exception on."""
        ticket = object()
        with self._changed:
            self._line.append(ticket)
        try:
            while True:
                with self._changed:
                    place = self._line.index(ticket)
                    if place == 0 and self._holding < self.size:
                        self._line.pop(0)
                        self._holding += 1
                        break
                    self._changed.wait(POLL_SECONDS)
                if waiting:
                    waiting(place + 1)
        except BaseException:
            with self._changed:
                self._line.remove(ticket)
                self._changed.notify_all()
            raise
        try:
            yield
        finally:
            with self._changed:
                self._holding -= 1
                self._changed.notify_all()
