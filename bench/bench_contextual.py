"""MiniLM on the contextual pages, against sentence-transformers in the same run.

1. Loading the model (tokenizer + weights) through transformers, and through
   sentence-transformers.
2. A two-sentence static-versus-contextual comparison (every layer) after the load: one
   padded forward pass for both sentences, against one forward pass per sentence (the
   reference), each with torch on one thread (as the app runs it) and on two.
3. Embedding every sentence of gensim's Lee corpus (mean pooling, unit length), uncached,
   against SentenceTransformer.encode on the same sentences; the vectors are compared.

Run:  .venv/bin/python bench/bench_contextual.py   (about a minute on 2 idle cores)
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.contextual import PRESETS, all_lee_sentences, load_minilm, static_vs_contextual  # noqa: E402
from engine.retrieval import embed_collection  # noqa: E402
from engine.sources import minilm_path  # noqa: E402


def timed(fn):
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def median_seconds(fn, repeats: int = 10) -> float:
    fn()                                                                   # warm-up
    return float(np.median([timed(fn)[1] for _ in range(repeats)]))


def one_forward_per_sentence(sentences, tokenizer, model):
    """The reference: every layer's states of each sentence from its own forward pass."""
    with torch.no_grad():
        return [model(**tokenizer(s, return_tensors="pt"), output_hidden_states=True).hidden_states
                for s in sentences]


def main() -> None:
    from sentence_transformers import SentenceTransformer

    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    (tokenizer, model), load = timed(load_minilm)
    reference, reference_load = timed(lambda: SentenceTransformer(str(minilm_path()), device="cpu",
                                                                  local_files_only=True))
    print(f"model load: {load:.2f} s (sentence-transformers {reference_load:.2f} s)")
    for threads in (1, 2):
        torch.set_num_threads(threads)
        batched = median_seconds(lambda: static_vs_contextual("bank", PRESETS["bank"][:2], tokenizer, model))
        one_by_one = median_seconds(lambda: one_forward_per_sentence(PRESETS["bank"][:2], tokenizer, model))
        print(f"two-sentence comparison, 7 layers, {threads} thread(s): {1000 * batched:.0f} ms "
              f"(one forward per sentence {1000 * one_by_one:.0f} ms, ratio {one_by_one / batched:.2f})")
    torch.set_num_threads(1)
    sentences = all_lee_sentences()
    with tempfile.TemporaryDirectory() as folder:
        ours, seconds = timed(lambda: embed_collection("lee", sentences, tokenizer, model, Path(folder)))
    expected, reference_seconds = timed(lambda: reference.encode(sentences, batch_size=32,
                                                                 normalize_embeddings=True))
    difference = np.abs(ours.table.unit - expected).max()
    print(f"embedding {len(sentences):,} Lee sentences: {seconds:.1f} s "
          f"(sentence-transformers {reference_seconds:.1f} s, ratio {reference_seconds / seconds:.2f}); "
          f"largest difference {difference:.1e}")


if __name__ == "__main__":
    main()
