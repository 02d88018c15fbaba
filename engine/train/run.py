"""One training run from corpus and settings to a TrainedModel whose table is an
EmbeddingSet like any other (a source on every page, a file for every command)."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from engine.train.corpus import Corpus
from engine.train.monitor import EpochReport, Monitor, StepReport
from engine.train.settings import TrainSettings
from engine.vectors import EmbeddingSet


@dataclass
class TrainedModel:
    """What a run learned. `complete` is False when it was stopped early (the table then
    holds what was learned so far and its name says 'partial')."""

    table: EmbeddingSet
    settings: TrainSettings
    corpus: Corpus
    epochs: list[EpochReport]
    steps: list[StepReport]
    seconds: float
    words_per_second: float
    complete: bool
    map_words: list[str]
    model: object | None = field(default=None, repr=False)          # gensim model
    cooccurrence: object | None = field(default=None, repr=False)   # GloVe's (V, V) COO

    @property
    def final_loss(self) -> float | None:
        return self.epochs[-1].loss if self.epochs else None

    def to_dict(self) -> dict:
        corpus = self.corpus.summary()
        corpus.pop("top_words")
        return {"name": self.table.name, "settings": self.settings.used(), "corpus": corpus,
                "rows": len(self.table), "dim": self.table.dim, "seconds": self.seconds,
                "words_per_second": self.words_per_second, "final_loss": self.final_loss,
                "complete": self.complete, "epochs_done": len(self.epochs),
                "epochs": [e.to_dict() for e in self.epochs]}


def table_name(corpus: Corpus, settings: TrainSettings, complete: bool) -> str:
    variant = {"word2vec": "sg" if settings.sg else "cbow", "fasttext": "sg" if settings.sg else "cbow"}
    parts = [settings.method, variant.get(settings.method, ""), corpus.name, f"{settings.dim}d"]
    return "-".join(p for p in parts if p) + ("" if complete else "-partial")


def describe(corpus: Corpus, settings: TrainSettings, epochs_done: int, complete: bool) -> str:
    state = "" if complete else f" (stopped: partial, {epochs_done} of {settings.epochs} epochs)"
    return (f"{settings.method} trained here on {corpus.name} ({corpus.words:,} words), "
            f"{settings.dim}-d, {settings.epochs} epochs{state}")


def train(corpus: Corpus, settings: TrainSettings, monitor: Monitor | None = None) -> TrainedModel:
    """Train `settings.method` on `corpus`, reporting to `monitor` (progress, epochs, stop)."""
    from engine.torch_threads import one_torch_thread

    monitor = monitor or Monitor()
    corpus.check_min_count(settings.min_count)
    model = counts = None
    if settings.method in ("word2vec", "fasttext"):
        from engine.train.word2vec import train_gensim

        model = train_gensim(corpus, settings, monitor)
        keys, vectors = list(model.wv.index_to_key), np.array(model.wv.vectors, dtype=np.float32)
    elif settings.method == "glove":
        from engine.train.glove import train_glove

        with one_torch_thread():
            keys, vectors, counts = train_glove(corpus, settings, monitor)
    else:
        from engine.train.sgns import train_sgns

        with one_torch_thread():
            keys, vectors = train_sgns(corpus, settings, monitor)
    if not monitor.epochs:
        raise ValueError("training was stopped before it finished one pass over the text; "
                         "nothing was learned")
    return trained_model(corpus, settings, keys, vectors, epochs=monitor.epochs, steps=monitor.steps,
                         seconds=monitor.seconds, words_per_second=monitor.words_per_second,
                         complete=not monitor.stopped, map_words=monitor.map_words, model=model,
                         cooccurrence=counts)


def trained_model(corpus: Corpus, settings: TrainSettings, keys: list[str], vectors: np.ndarray, *,
                  epochs: list[EpochReport], steps: list[StepReport], seconds: float,
                  words_per_second: float, complete: bool, map_words: list[str], model=None,
                  cooccurrence=None) -> TrainedModel:
    """A run's TrainedModel from what it learned: keys (V,), vectors (V, d), its reports, and
    the gensim model (a fastText one builds vectors for unseen words from its n-grams)."""
    oov = model.wv.get_vector if settings.method == "fasttext" else None
    table = EmbeddingSet(vectors, keys, table_name(corpus, settings, complete), True,
                         describe(corpus, settings, len(epochs), complete), oov_vector=oov)
    map_words = [w for w in map_words if w in table.key_to_index]
    return TrainedModel(table, settings, corpus, epochs, steps, seconds, words_per_second,
                        complete, map_words, model, cooccurrence)
