"""word2vec and fastText through gensim, reporting to a Monitor.

The model is built exactly as a gensim user builds it (`Word2Vec(sentences, ...)` /
`FastText(sentences, ...)`), so with one worker and a seed the vectors are gensim's own.
The text is handed over through an iterable that counts the words gensim reads (progress,
words/s) and ends an epoch early once the monitor is stopped; gensim's callbacks report the
loss (compute_loss; gensim does not compute one for fastText) and each epoch's table.
"""
from __future__ import annotations

from typing import Iterator

from engine.train.corpus import Corpus
from engine.train.monitor import Monitor
from engine.train.settings import TrainSettings


class MonitoredSentences:
    """The corpus's sentences, restartable as gensim needs, counting words into the monitor
    (every 200 sentences) and yielding nothing more once it is stopped."""

    def __init__(self, sentences: list[list[str]], monitor: Monitor):
        self.sentences, self.monitor = sentences, monitor

    def __iter__(self) -> Iterator[list[str]]:
        pending = 0
        for number, sentence in enumerate(self.sentences, 1):
            if self.monitor.stopped:
                break
            pending += len(sentence)
            if number % 200 == 0:
                self.monitor.words(pending)
                pending = 0
            yield sentence
        self.monitor.words(pending)


def gensim_arguments(settings: TrainSettings) -> dict:
    """The keyword arguments gensim's Word2Vec / FastText get for these settings."""
    arguments = dict(vector_size=settings.dim, window=settings.window, min_count=settings.min_count,
                     epochs=settings.epochs, sg=int(settings.sg), hs=int(settings.hs),
                     negative=settings.negative, sample=settings.sample, seed=settings.seed,
                     workers=settings.workers)
    if settings.method == "fasttext":
        arguments |= dict(min_n=settings.min_n, max_n=settings.max_n, bucket=settings.bucket)
    return arguments


def train_gensim(corpus: Corpus, settings: TrainSettings, monitor: Monitor):
    """A trained gensim Word2Vec or FastText model (settings.method says which)."""
    from gensim.models import FastText, Word2Vec
    from gensim.models.callbacks import CallbackAny2Vec

    fasttext = settings.method == "fasttext"

    class EpochCallback(CallbackAny2Vec):
        def __init__(self):
            self.previous_loss = 0.0

        def on_train_begin(self, model):
            monitor.start(settings.epochs * corpus.words)

        def on_epoch_end(self, model):
            loss = None
            if not fasttext:
                cumulative = model.get_latest_training_loss()     # summed since train() began
                loss, self.previous_loss = cumulative - self.previous_loss, cumulative
            wv = model.wv
            if fasttext:
                wv.adjust_vectors()          # compose the word rows from the n-grams trained so far
            monitor.epoch_end(loss, wv.index_to_key, wv.vectors, wv.key_to_index)

    model_class = FastText if fasttext else Word2Vec
    extra = {} if fasttext else {"compute_loss": True}
    corpus.check_min_count(settings.min_count)
    return model_class(MonitoredSentences(corpus.sentences, monitor), callbacks=[EpochCallback()],
                       **gensim_arguments(settings), **extra)
