"""The labelled and unlabelled text the layer pages train on: gensim's own test data, found
without importing gensim (importing it costs a second or two)."""
from __future__ import annotations

import re

from engine.evaluate import gensim_datapath

LEE_BACKGROUND = "lee_background.cor"   # 300 Australian news documents, about 60,000 words
POLARITY = "pang_lee_polarity.cor"      # 200 movie-review sentences, '__label__pos|neg text'


def lee_background_sentences() -> list[str]:
    """Every sentence of lee_background.cor (split after . ! ?), in order."""
    text = gensim_datapath(LEE_BACKGROUND).read_text(encoding="utf-8")
    return [s for line in text.splitlines() for s in re.split(r"(?<=[.!?])\s+", line.strip()) if s]


def polarity_sentences() -> tuple[list[list[str]], list[int]]:
    """(words of each sentence, label 1 = positive / 0 = negative) of pang_lee_polarity.cor:
    lower-cased, already split on spaces."""
    words, labels = [], []
    text = gensim_datapath(POLARITY).read_text(encoding="cp1252", errors="replace")  # not UTF-8
    for line in text.splitlines():
        label, _, text = line.partition(" ")
        if label not in ("__label__pos", "__label__neg"):
            raise ValueError(f"unexpected label {label!r} in {POLARITY}")
        words.append(text.split())
        labels.append(int(label == "__label__pos"))
    return words, labels
