"""The training process: what runs on the far side of `engine.train.job.TrainingJob`.

It reads one "start" message (corpus text, settings, probe and map words), trains at a lower
CPU priority on one torch / BLAS thread, and sends back "progress", "step" and "epoch"
reports, then one "result" (or "error"). A "stop" message on the control pipe ends the run
after the current batch, keeping what was learned; the control pipe closing (the server
gone, even killed) ends the process at once. Everything crossing over is `engine.train.wire`.
"""
from __future__ import annotations

import os
import sys
import threading
import time
import traceback

NICENESS = 10                 # the server's own threads win the CPU whenever both want it
PROGRESS_EVERY = 0.25         # seconds between progress messages


def corpus_message(corpus, settings, probes, map_words) -> bytes:
    """The "start" message for `corpus` (one line per sentence, tokens joined by spaces:
    tokens never contain either)."""
    from dataclasses import asdict

    from engine.train.wire import encode, encode_words

    meta = {"name": corpus.name, "description": corpus.description, "settings": asdict(settings),
            "probes": list(probes), "map_words": list(map_words)}
    return encode("start", meta, {"text": encode_words([" ".join(s) for s in corpus.sentences])})


def read_start(message: bytes):
    """(corpus, settings, probes, map_words) from a "start" message."""
    from engine.train.corpus import Corpus
    from engine.train.settings import TrainSettings
    from engine.train.wire import decode, decode_words

    _, meta, arrays = decode(message)
    vocabulary: dict[str, str] = {}          # one string object per distinct token, as in Corpus
    sentences = [[vocabulary.setdefault(t, t) for t in line.split(" ")] for line in decode_words(arrays["text"])]
    return (Corpus(meta["name"], sentences, meta["description"]), TrainSettings(**meta["settings"]),
            meta["probes"], meta["map_words"])


def result_message(trained) -> bytes:
    """The "result" message: the table (keys, float32 vectors), how the run went, and the
    method's extra arrays (GloVe's co-occurrences, fastText's n-gram buckets)."""
    import numpy as np

    from engine.train.wire import encode, encode_words

    table = trained.table
    meta = {"seconds": trained.seconds, "words_per_second": trained.words_per_second,
            "complete": trained.complete, "total_words": trained.corpus.words}
    arrays = {"keys": encode_words(table.index_to_key), "vectors": table.vectors}
    if trained.cooccurrence is not None:
        counts = trained.cooccurrence
        arrays |= {"cooccurrence_row": counts.row.astype(np.int32), "cooccurrence_col": counts.col.astype(np.int32),
                   "cooccurrence_data": counts.data.astype(np.float64)}
    if trained.settings.method == "fasttext":
        from engine.train.fasttext import fasttext_parts

        arrays |= {f"fasttext_{name}": array for name, array in fasttext_parts(trained.model).items()}
    return encode("result", meta, arrays)


class Reporter:
    """Monitor callbacks that send the reports to the server (progress at most every 0.25 s)."""

    def __init__(self, results):
        self.results, self.sent = results, 0.0
        self.lock = threading.Lock()

    def send(self, message: bytes) -> None:
        with self.lock:
            self.results.send_bytes(message)

    def progress(self, fraction: float, words_per_second: float) -> None:
        from engine.train.wire import encode

        now = time.monotonic()
        if now - self.sent >= PROGRESS_EVERY or fraction >= 1:
            self.sent = now
            self.send(encode("progress", {"fraction": fraction, "words_per_second": words_per_second}))

    def step(self, report) -> None:
        from engine.train.wire import encode

        self.send(encode("step", {"step": report.step, "loss": report.loss},
                         {"input_rows": report.input_rows, "output_rows": report.output_rows}))

    def epoch(self, report) -> None:
        from engine.train.wire import encode

        self.send(encode("epoch", report.to_dict(), {"snapshot": report.snapshot}))


def listen(control, monitor) -> None:
    """Stop the run on "stop"; end the process when the server closes the pipe or dies."""
    from engine.train.wire import decode

    while True:
        try:
            kind, _, _ = decode(control.recv_bytes())
        except (EOFError, OSError):
            os._exit(0)
        if kind == "stop":
            monitor.stop()


def main(control, results) -> None:
    """Process entry. control: Connection the server writes ("start", then maybe "stop");
    results: Connection this process writes its reports to."""
    os.nice(NICENESS)
    from threadpoolctl import threadpool_limits

    from engine.train.monitor import Monitor
    from engine.train.run import train
    from engine.train.wire import encode

    threadpool_limits(1)
    reporter = Reporter(results)
    try:
        corpus, settings, probes, map_words = read_start(control.recv_bytes())
    except EOFError:
        return
    monitor = Monitor(probes, map_words, on_progress=reporter.progress, on_epoch=reporter.epoch,
                      on_step=reporter.step)
    threading.Thread(target=listen, args=(control, monitor), daemon=True).start()
    try:
        reporter.send(result_message(train(corpus, settings, monitor)))
    except (ValueError, MemoryError) as error:
        reporter.send(encode("error", {"message": str(error) or type(error).__name__}))
    except Exception as error:            # a bug: the server says so in one line, the log has the rest
        traceback.print_exc(file=sys.stderr)
        reporter.send(encode("error", {"message": f"training failed: {type(error).__name__}: {error}"}))
