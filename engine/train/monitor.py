"""What a training run reports while it runs, and how it is stopped.

Every trainer calls `Monitor.words(n)` as it consumes text, `Monitor.epoch_end(...)` after
each pass, and checks `Monitor.stopped`. The monitor keeps the per-epoch reports (loss,
words/s, probe neighbours, a snapshot of the map words' vectors) and forwards them to the
optional callables, so a page can draw them and the CLI can print them.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from engine.vectors import top_k, unit_rows


@dataclass(frozen=True)
class EpochReport:
    """One finished pass. snapshot: (m, d) vectors of the monitor's map words (those the
    model has), in `Monitor.map_words` order."""

    epoch: int
    loss: float | None
    seconds: float
    words_per_second: float
    neighbours: dict[str, tuple[str, ...]]
    snapshot: np.ndarray = field(repr=False)

    def to_dict(self) -> dict:
        return {"epoch": self.epoch, "loss": self.loss, "seconds": self.seconds,
                "words_per_second": self.words_per_second,
                "neighbours": {k: list(v) for k, v in self.neighbours.items()}}


@dataclass(frozen=True)
class StepReport:
    """One optimiser step of a torch trainer: its loss and which table rows it changed."""

    step: int
    loss: float
    input_rows: np.ndarray = field(repr=False)      # (r_in,) rows of the input table updated
    output_rows: np.ndarray = field(repr=False)     # (r_out,) rows of the output / context table


class Monitor:
    """Progress, per-epoch reports and the stop flag of one run.

    Parameters
    ----------
    probes : words whose nearest neighbours are listed after every epoch.
    map_words : words whose vectors are kept after every epoch (for the animated map).
    on_progress : callable(fraction_done, words_per_second), called as text is consumed.
    on_epoch : callable(EpochReport) after each pass.
    on_step : callable(StepReport) for the first `steps_to_report` steps of torch trainers.
    """

    def __init__(self, probes: Sequence[str] = (), map_words: Sequence[str] = (),
                 on_progress: Callable | None = None, on_epoch: Callable | None = None,
                 on_step: Callable | None = None, steps_to_report: int = 20, topn: int = 5):
        self.probes, self.map_words = list(probes), list(map_words)
        self.on_progress, self.on_epoch, self.on_step = on_progress, on_epoch, on_step
        self.steps_to_report, self.topn = steps_to_report, topn
        self.epochs: list[EpochReport] = []
        self.steps: list[StepReport] = []
        self.stop_event = threading.Event()
        self.total_words = 1
        self.words_done = 0
        self.running = False
        self.started = time.perf_counter()
        self._epoch_words = 0
        self._epoch_started = self.started

    # -- control -------------------------------------------------------------------
    def start(self, total_words: int) -> None:
        """Called by the trainer once it knows how many tokens all epochs will read."""
        self.total_words = max(1, total_words)
        self.running = True
        self.words_done = self._epoch_words = 0
        self.started = self._epoch_started = time.perf_counter()

    def stop(self) -> None:
        """Ask the run to end after the text it is reading now; what it learned is kept."""
        self.stop_event.set()

    @property
    def stopped(self) -> bool:
        return self.stop_event.is_set()

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started

    @property
    def words_per_second(self) -> float:
        return self.words_done / max(self.seconds, 1e-9)

    # -- reports -------------------------------------------------------------------
    def words(self, n: int) -> None:
        """Count n tokens read by the trainer (ignored before `start`, e.g. gensim's vocabulary scan)."""
        if not self.running:
            return
        self.words_done += n
        self._epoch_words += n
        if self.on_progress is not None:
            self.on_progress(min(1.0, self.words_done / self.total_words), self.words_per_second)

    def step(self, number: int, loss: float, input_rows, output_rows) -> None:
        """Record one of the first `steps_to_report` optimiser steps."""
        report = StepReport(number, loss, np.asarray(input_rows), np.asarray(output_rows))
        self.steps.append(report)
        if self.on_step is not None:
            self.on_step(report)

    def epoch_end(self, loss: float | None, keys: Sequence[str], vectors: np.ndarray,
                  key_to_index: dict[str, int]) -> EpochReport | None:
        """Record a finished pass from the current table: keys (V,), vectors (V, d).
        After a stop, the passes that read no text are not recorded (None)."""
        if self.stopped and self._epoch_words == 0:
            return None
        now = time.perf_counter()
        unit = unit_rows(vectors)
        neighbours = {}
        for probe in self.probes:
            row = key_to_index.get(probe)
            if row is not None and len(keys) > 1:
                scores = unit @ unit[row]
                scores[row] = -np.inf
                neighbours[probe] = tuple(keys[i] for i in top_k(scores, min(self.topn, len(keys) - 1)))
        rows = [key_to_index[w] for w in self.map_words if w in key_to_index]
        report = EpochReport(len(self.epochs) + 1, loss, now - self.started,
                             self._epoch_words / max(now - self._epoch_started, 1e-9),
                             neighbours, np.array(vectors[rows], dtype=np.float32))
        self._epoch_words, self._epoch_started = 0, now
        self.epochs.append(report)
        if self.on_epoch is not None:
            self.on_epoch(report)
        return report
