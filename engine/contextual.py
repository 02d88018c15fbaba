"""The contextual cone: how close together MiniLM's contextual token vectors sit, layer by
layer, measured on real sentences (gensim's lee_background.cor, Australian news), against
the static token table the model starts from.

Mean cosine is exact over all pairs of token occurrences ([CLS], [SEP] and padding left
out), from the sum of unit vectors as in engine.geometry.
"""
from __future__ import annotations

import os
import re
import time
from dataclasses import asdict, dataclass

import numpy as np

from engine.errors import check_int
from engine.geometry import Progress, mean_pairwise_cosine
from engine.sources import minilm_path

CORPUS = "lee_background.cor"


def lee_sentences(count: int = 200, min_words: int = 6) -> list[str]:
    """The first `count` sentences of at least `min_words` words of lee_background.cor."""
    from gensim.test.utils import datapath

    count = check_int("sentences", count, 1, 5_000)
    found = []
    with open(datapath(CORPUS), encoding="utf-8") as corpus:
        for document in corpus:
            for sentence in re.split(r"(?<=[.!?])\s+", document.strip()):
                if len(sentence.split()) >= min_words:
                    found.append(sentence)
                    if len(found) == count:
                        return found
    return found


def load_minilm():
    """(tokenizer, model) of the bundled all-MiniLM-L6-v2, offline, in eval mode."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    from transformers import AutoModel, AutoTokenizer

    path = minilm_path()
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    model = AutoModel.from_pretrained(path, local_files_only=True).eval()
    return tokenizer, model


@dataclass(frozen=True)
class LayerCone:
    layer: str              # "embeddings" (after position + LayerNorm), "layer 1" … "layer 6"
    mean_cosine: float


@dataclass(frozen=True)
class ContextualCone:
    """Mean cosine of contextual token vectors per layer, and the static baselines:
    static_occurrences — the token table rows of the same token occurrences;
    static_table — all rows of the token table."""

    sentences: int
    tokens: int
    layers: tuple[LayerCone, ...]
    static_occurrences: float
    static_table: float
    seconds: float

    def to_dict(self) -> dict:
        return {**asdict(self), "layers": [asdict(layer) for layer in self.layers]}


def _unit_sum(vectors) -> np.ndarray:
    """(d,) float64 sum of the unit rows of a (n, d) torch tensor."""
    rows = vectors.double()
    return (rows / rows.norm(dim=1, keepdim=True)).sum(dim=0).numpy()


def contextual_cone(sentences: list[str], tokenizer=None, model=None, batch_size: int = 32,
                    progress: Progress = None) -> ContextualCone:
    """Run MiniLM over `sentences` and measure the cone of every layer's token vectors."""
    import torch

    if not sentences:
        raise ValueError("give at least one sentence to run the model on")
    started = time.perf_counter()
    if tokenizer is None or model is None:
        tokenizer, model = load_minilm()
    table = model.embeddings.word_embeddings.weight.detach()                  # (V, d)
    layer_sums, static_sum, tokens = None, np.zeros(table.shape[1]), 0
    for start in range(0, len(sentences), batch_size):
        batch = tokenizer(sentences[start:start + batch_size], padding=True, truncation=True,
                          max_length=128, return_tensors="pt", return_special_tokens_mask=True)
        keep = (batch.pop("special_tokens_mask") == 0) & (batch["attention_mask"] == 1)  # (b, t)
        with torch.no_grad():
            states = model(**batch, output_hidden_states=True).hidden_states  # 7 × (b, t, d)
        sums = [_unit_sum(state[keep]) for state in states]
        layer_sums = sums if layer_sums is None else [a + b for a, b in zip(layer_sums, sums)]
        static_sum += _unit_sum(table[batch["input_ids"][keep]])
        tokens += int(keep.sum())
        if progress:
            progress(min(start + batch_size, len(sentences)), len(sentences))
    names = ["embeddings"] + [f"layer {i}" for i in range(1, len(layer_sums))]
    return ContextualCone(
        len(sentences), tokens,
        tuple(LayerCone(name, mean_pairwise_cosine(s, tokens)) for name, s in zip(names, layer_sums)),
        mean_pairwise_cosine(static_sum, tokens),
        mean_pairwise_cosine(_unit_sum(table), table.shape[0]),
        time.perf_counter() - started)
