"""A trained fastText model as plain arrays and back, and as Facebook's .bin file.

The training process hands the server arrays only (no pickle): the word rows, the character
n-gram buckets, the output table and the word counts. From them the server builds gensim's
FastText model again, untrained shell plus those arrays: its keyed vectors give unseen words
their n-gram vectors, and gensim's save_facebook_model writes it as a .bin that fastText,
gensim and this project's reader load back.
"""
from __future__ import annotations

import io

import numpy as np

from engine.train.settings import TrainSettings

PARTS = ("vectors_vocab", "vectors_ngrams", "counts", "syn1neg", "syn1")


def fasttext_parts(model) -> dict[str, np.ndarray]:
    """A gensim FastText model's arrays: vectors_vocab (V, d) word rows, vectors_ngrams
    (bucket, d), counts (V,) corpus counts, and syn1neg and/or syn1 (V, d) output tables."""
    wv = model.wv
    parts = {"vectors_vocab": wv.vectors_vocab, "vectors_ngrams": wv.vectors_ngrams,
             "counts": np.asarray(wv.expandos["count"], dtype=np.int64)}
    for name in ("syn1neg", "syn1"):
        if getattr(model, name, None) is not None and len(getattr(model, name)):
            parts[name] = getattr(model, name)
    return {name: np.asarray(array) for name, array in parts.items()}


def fasttext_from_parts(keys: list[str], vectors: np.ndarray, parts: dict[str, np.ndarray],
                        settings: TrainSettings, total_words: int):
    """The gensim FastText model `fasttext_parts` took apart: keys (V,), vectors (V, d)
    the composed word vectors, parts as `fasttext_parts` returns them."""
    from gensim.models import FastText

    from engine.train.word2vec import gensim_arguments

    model = FastText(**gensim_arguments(settings))       # no text: an empty shell, nothing allocated
    wv = model.wv
    wv.index_to_key = list(keys)
    wv.key_to_index = {key: row for row, key in enumerate(keys)}
    wv.vectors, wv.vectors_vocab, wv.vectors_ngrams = vectors, parts["vectors_vocab"], parts["vectors_ngrams"]
    wv.allocate_vecattrs(attrs=["count"], types=[np.int64])
    wv.expandos["count"][:] = parts["counts"]
    for name in ("syn1neg", "syn1"):
        if name in parts:
            setattr(model, name, parts[name])
    model.corpus_total_words = total_words
    return model


def fasttext_bin(model) -> bytes:
    """The model in Facebook's fastText .bin format (gensim's save_facebook_model)."""
    from gensim.models.fasttext import save_facebook_model

    buffer = io.BytesIO()
    save_facebook_model(model, buffer)
    return buffer.getvalue()
