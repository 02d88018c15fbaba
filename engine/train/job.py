"""A training run in a child process, so that it never slows other visitors' pages: the server
keeps its GIL and (the child runs at a lower priority, on one thread) a core of its own.

The child is spawned fresh (never forked from the threaded server) and talks to the server
through two pipes carrying `engine.train.wire` messages (JSON and plain arrays, no pickle).
A thread of the server reads its reports into this object, which a page polls; `stop()`
asks the child to end after the current batch (what was learned is kept); `cancel` (the
visitor leaving) or the server exiting ends the child at once.

At most $EMBEDDING_LAB_TRAINING_PROCESSES (default 2) children run at a time (each holds
its corpus and model, about 650 MiB for the Wikipedia sample); later runs wait in line,
their place in `place`.
"""
from __future__ import annotations

import functools
import threading
import time
from typing import Sequence

from engine.store import Cancelled
from engine.train.corpus import Corpus
from engine.train.monitor import EpochReport, StepReport
from engine.train.settings import TrainSettings
from engine.turns import Turns, count_from_env

POLL_SECONDS = 0.5


@functools.cache
def training_turns() -> Turns:
    """The line for training processes, shared by every job of this server."""
    return Turns(count_from_env("EMBEDDING_LAB_TRAINING_PROCESSES", 2))


class TrainingJob:
    """Start with `TrainingJob(corpus, settings, probes, map_words, cancel).start()`; read
    `place` (in the line for a training process; 0 once its child runs), `fraction`,
    `words_per_second`, `epochs` while `running`; then `result` (a TrainedModel) or `error`
    (one line). Bad settings raise ValueError here, before any process starts."""

    def __init__(self, corpus: Corpus, settings: TrainSettings, probes: Sequence[str] = (),
                 map_words: Sequence[str] = (), cancel: threading.Event | None = None):
        corpus.check_min_count(settings.min_count)
        self.corpus, self.settings = corpus, settings
        self.probes, self.map_words = list(probes), list(map_words)
        self.place = 0
        self.fraction = 0.0
        self.words_per_second = 0.0
        self.epochs: list[EpochReport] = []
        self.steps: list[StepReport] = []
        self.result = None
        self.error: str | None = None
        self.extras: dict = {}           # reports computed once after the run (scores, ...)
        self._cancel = cancel or threading.Event()
        self.created = time.perf_counter()      # the visitor pressed Train
        self.finished: float | None = None      # the result (or error) arrived
        self._stopped = threading.Event()
        self._process = self._control = self._results = None
        self._thread = threading.Thread(target=self._run, name="embedding-lab-train", daemon=True)

    def start(self) -> "TrainingJob":
        """Wait for a turn and train, in a thread of the server (returns at once)."""
        self._thread.start()
        return self

    def _start_process(self) -> None:
        from engine.spawn import start_with_pipes
        from engine.train.child import main

        self._process, self._control, self._results = start_with_pipes(main, "embedding-lab-train")

    def stop(self) -> None:
        """End after the current batch; what was learned so far is kept. A run still
        waiting for its turn leaves the line."""
        from engine.train.wire import encode

        self._stopped.set()
        try:
            self._control.send_bytes(encode("stop"))
        except (OSError, AttributeError):           # already ended, or not started yet
            pass

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    @property
    def waited_seconds(self) -> float | None:
        """Wall time from pressing Train to the result: starting the process, reading the
        corpus into it, waiting for a core, training and sending the table back."""
        return None if self.finished is None else self.finished - self.created

    # -- the server's reading thread -------------------------------------------------------
    def _run(self) -> None:
        try:
            with training_turns().turn(self._waiting):
                self.place = 0
                self._train()
        except Cancelled as reason:
            self.error = str(reason)

    def _waiting(self, place: int) -> None:
        self.place = place
        if self._cancel.is_set():
            raise Cancelled("training stopped: its visitor left")
        if self._stopped.is_set():
            raise Cancelled("training stopped before it started")

    def _train(self) -> None:
        from engine.train.child import corpus_message

        self._start_process()
        try:
            self._control.send_bytes(corpus_message(self.corpus, self.settings, self.probes, self.map_words))
            while self.result is None and self.error is None:
                if self._cancel.is_set():
                    self.error = "training stopped: its visitor left"
                elif self._results.poll(POLL_SECONDS):
                    self._receive(self._results.recv_bytes())
        except (EOFError, OSError):
            self._process.join(5)
            self.error = f"the training process ended without a result (exit code {self._process.exitcode})"
        finally:
            self.finished = time.perf_counter()
            self._end_process()

    def _receive(self, message: bytes) -> None:
        from engine.train.wire import decode

        kind, meta, arrays = decode(message)
        if kind == "progress":
            self.fraction, self.words_per_second = meta["fraction"], meta["words_per_second"]
        elif kind == "step":
            self.steps.append(StepReport(meta["step"], meta["loss"], arrays["input_rows"],
                                         arrays["output_rows"]))
        elif kind == "epoch":
            self.epochs.append(EpochReport(meta["epoch"], meta["loss"], meta["seconds"],
                                           meta["words_per_second"],
                                           {w: tuple(n) for w, n in meta["neighbours"].items()},
                                           arrays["snapshot"]))
        elif kind == "error":
            self.error = meta["message"]
        elif kind == "result":
            self.result = self._trained(meta, arrays)
            self.fraction = 1.0 if self.result.complete else self.fraction

    def _trained(self, meta: dict, arrays: dict):
        from engine.train.run import trained_model
        from engine.train.wire import decode_words

        keys = decode_words(arrays["keys"])
        model = counts = None
        if "cooccurrence_data" in arrays:
            from scipy import sparse

            counts = sparse.coo_matrix((arrays["cooccurrence_data"], (arrays["cooccurrence_row"],
                                                                      arrays["cooccurrence_col"])),
                                       shape=(len(keys), len(keys)))
        if self.settings.method == "fasttext":
            from engine.train.fasttext import fasttext_from_parts

            parts = {name.removeprefix("fasttext_"): array for name, array in arrays.items()
                     if name.startswith("fasttext_")}
            model = fasttext_from_parts(keys, arrays["vectors"], parts, self.settings, meta["total_words"])
        return trained_model(self.corpus, self.settings, keys, arrays["vectors"], epochs=self.epochs,
                             steps=self.steps, seconds=meta["seconds"],
                             words_per_second=meta["words_per_second"], complete=meta["complete"],
                             map_words=self.map_words, model=model, cooccurrence=counts)

    def _end_process(self) -> None:
        """The child has sent its last message (or must go): wait briefly, then end it."""
        self._control.close()            # the child's listener sees EOF and exits
        if not self._cancel.is_set():
            self._process.join(5)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(2)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._results.close()


def train_in_child(corpus: Corpus, settings: TrainSettings, progress=None):
    """Train in a child process, as the Train page does, and wait for the TrainedModel,
    reporting progress(percent done, 100). ValueError if the run fails; if `progress` raises
    (its visitor left), the child is ended and the exception passes on."""
    cancel = threading.Event()
    job = TrainingJob(corpus, settings, cancel=cancel).start()
    try:
        while job.running:
            job.wait(POLL_SECONDS)
            if progress:
                progress(round(job.fraction * 100), 100)
    except BaseException:
        cancel.set()
        job.wait()
        raise
    if job.error:
        raise ValueError(job.error)
    return job.result
