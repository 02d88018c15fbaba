"""The vocabulary the torch trainers share with gensim: words seen at least min_count times,
most frequent first (ties in first-seen order, as gensim sorts), and the corpus as row ids."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.train.corpus import Corpus


@dataclass(frozen=True)
class Vocabulary:
    keys: list[str]            # (V,) most frequent first
    counts: np.ndarray         # (V,) int64 corpus counts

    @property
    def key_to_index(self) -> dict[str, int]:
        return {k: i for i, k in enumerate(self.keys)}


def build_vocabulary(corpus: Corpus, min_count: int) -> Vocabulary:
    corpus.check_min_count(min_count)
    kept = [(word, count) for word, count in corpus.counts.items() if count >= min_count]
    kept.sort(key=lambda item: -item[1])         # stable: ties keep first-seen order
    return Vocabulary([w for w, _ in kept], np.array([c for _, c in kept], dtype=np.int64))


def encode(corpus: Corpus, vocabulary: Vocabulary) -> tuple[np.ndarray, np.ndarray]:
    """The corpus as row ids with the dropped words removed (as word2vec and GloVe's cooccur
    drop them before windowing). Returns ids (N,) int64 and sentence (N,) int64: which
    sentence each token came from."""
    index = vocabulary.key_to_index
    ids, sentence = [], []
    for number, tokens in enumerate(corpus.sentences):
        row = [index[t] for t in tokens if t in index]
        ids += row
        sentence += [number] * len(row)
    return np.array(ids, dtype=np.int64), np.array(sentence, dtype=np.int64)
