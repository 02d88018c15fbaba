"""A training run in a background thread, so a page can poll it, show its progress and
stop it while the server keeps answering other visitors (gensim's workers and torch's
kernels release the GIL; the run's Python glue yields it between batches)."""
from __future__ import annotations

import threading
from typing import Sequence

from engine.train.corpus import Corpus
from engine.train.monitor import Monitor
from engine.train.settings import TrainSettings


class TrainingJob:
    """Start with `TrainingJob(corpus, settings, probes, map_words).start()`; read
    `fraction`, `words_per_second`, `monitor.epochs` while `running`; then `result`
    (a TrainedModel) or `error` (the one-line message of a ValueError)."""

    def __init__(self, corpus: Corpus, settings: TrainSettings, probes: Sequence[str] = (),
                 map_words: Sequence[str] = ()):
        self.corpus, self.settings = corpus, settings
        self.fraction = 0.0
        self.words_per_second = 0.0
        self.monitor = Monitor(probes, map_words, on_progress=self._progress)
        self.result = None
        self.error: str | None = None
        self.extras: dict = {}           # reports computed once after the run (scores, ...)
        self._thread = threading.Thread(target=self._run, name="embedding-lab-train", daemon=True)

    def _progress(self, fraction: float, words_per_second: float) -> None:
        self.fraction, self.words_per_second = fraction, words_per_second

    def _run(self) -> None:
        from engine.train.run import train

        try:
            self.result = train(self.corpus, self.settings, self.monitor)
            self.fraction = 1.0 if self.result.complete else self.fraction
        except (ValueError, MemoryError) as error:
            self.error = str(error) or type(error).__name__

    def start(self) -> "TrainingJob":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.monitor.stop()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)
