"""MiniLM on the contextual pages, against sentence-transformers in the same run.

1. Loading the model (tokenizer + weights) through transformers, and through
   sentence-transformers.
2. A two-sentence static-versus-contextual comparison (every layer) after the load.
3. Embedding every sentence of gensim's Lee corpus (mean pooling, unit length), uncached,
   against SentenceTransformer.encode on the same sentences; the vectors are compared.

Run:  .venv/bin/python bench/bench_contextual.py   (about a minute on 2 idle cores)
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.contextual import PRESETS, all_lee_sentences, load_minilm, static_vs_contextual  # noqa: E402
from engine.retrieval import embed_collection  # noqa: E402
from engine.sources import minilm_path  # noqa: E402


def timed(fn):
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def main() -> None:
    from sentence_transformers import SentenceTransformer

    (tokenizer, model), load = timed(load_minilm)
    reference, reference_load = timed(lambda: SentenceTransformer(str(minilm_path()), device="cpu",
                                                                  local_files_only=True))
    print(f"model load: {load:.2f} s (sentence-transformers {reference_load:.2f} s)")
    static_vs_contextual("bank", PRESETS["bank"][:2], tokenizer, model)            # warm-up
    runs = [timed(lambda: static_vs_contextual("bank", PRESETS["bank"][:2], tokenizer, model))[1]
            for _ in range(10)]
    print(f"two-sentence comparison, 7 layers: {1000 * np.median(runs):.0f} ms (median of 10)")
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
