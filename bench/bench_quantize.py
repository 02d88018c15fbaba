"""What shrinking a table costs, measured on the real tables, and binary search with
re-scoring on MiniLM's sentence vectors against sentence-transformers' own implementation.

1. GloVe 400,000 × 50 and MiniLM's token table 30,522 × 384: every method of engine.quantize
   (float16, bfloat16, int8 with a scale per row, int8 with ranges per dimension, binary, PQ
   with the default parts): memory, neighbour recall@10 of 1,000 probe rows against float32
   (each probe's own row left out), search time per query against float32's in the same run,
   WordSim-353, SimLex-999 and (GloVe) the Google analogies on the first 30,000 rows.
2. The Lee corpus (2,617 sentences, MiniLM mean-pooled, cached on disk after the first run):
   500 sentences as queries against the others: float32, binary by Hamming distance, binary
   with 4·k candidates re-scored with the bits (sentence-transformers' recipe), and re-scored
   with float32 rows; recall@10 and the share of float32's DCG@10 kept.
3. The same recipe through sentence-transformers' semantic_search_faiss (first 500 sentences as
   queries, the other 2,117 as the corpus): the same results, and both times.

Run:  .venv/bin/python bench/bench_quantize.py   (a few minutes on 2 idle cores)
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.quantize import binary_codes  # noqa: E402
from engine.quantize_effect import quantization_effect  # noqa: E402
from engine.quantize_retrieval import binary_rescore_search, retrieval_effect  # noqa: E402
from engine.sources import load_builtin  # noqa: E402
from engine.units import MIB  # noqa: E402
from engine.vectors import unit_rows  # noqa: E402


def score(value) -> str:
    return "     -" if value is None else f"{value:6.3f}"


def tables() -> None:
    for name, analogies in (("glove-6b-50d", True), ("minilm-tokens", False)):
        table = load_builtin(name)
        started = time.perf_counter()
        effect = quantization_effect(table, probes=1_000, analogies=analogies)
        words = effect.float32_scores
        print(f"\n{name}: {effect.rows:,} × {effect.dim}, recall@10 of {effect.probes} probe rows "
              f"({time.perf_counter() - started:.0f} s in all)")
        print("  method                         MiB      ×  recall  ms/query  × float32's  wordsim  simlex  analogies")
        print(f"  {'float32':<28} {effect.float32_bytes / MIB:6.2f}    1.0   1.000  {effect.float32_ms:8.2f}"
              "        1.00"
              f"   {score(words[0])}  {score(words[1])}     {score(words[2])}")
        for p in effect.points:
            print(f"  {p.title[:28]:<28} {p.bytes / MIB:6.2f} {p.ratio:6.1f}   {p.recall_at_10:.3f}"
                  f"  {p.ms_per_query:8.2f}"
                  f"      {p.ms_per_query / effect.float32_ms:6.2f}   {score(p.wordsim353_spearman)}  "
                  f"{score(p.simlex999_spearman)}     {score(p.analogy_accuracy)}")


def lee_vectors() -> np.ndarray:
    from engine.contextual import all_lee_sentences, load_minilm
    from engine.retrieval import embed_collection

    tokenizer, model = load_minilm()
    return embed_collection("lee", all_lee_sentences(), tokenizer, model).raw


def retrieval(vectors: np.ndarray) -> None:
    effect = retrieval_effect(vectors, probes=500)
    print(f"\nLee corpus: {effect.documents:,} sentences × {effect.dim}, {effect.probes} queries, each left out "
          f"of its own results; against float32")
    for p in effect.points:
        print(f"  {p.method:<62} {p.bytes / MIB:6.2f} MiB  recall@10 {p.recall:.3f}  DCG kept {p.dcg_kept:.3f}  "
              f"{p.ms_per_query:.3f} ms/query")


def against_sentence_transformers(vectors: np.ndarray) -> None:
    from sentence_transformers.util.quantization import quantize_embeddings, semantic_search_faiss

    unit = unit_rows(vectors)
    queries, corpus = unit[:500], unit[500:]
    started = time.perf_counter()
    codes = binary_codes(corpus)
    ours = binary_rescore_search(codes, queries, 10, 4)
    mine = time.perf_counter() - started
    started = time.perf_counter()
    results, _ = semantic_search_faiss(queries, corpus_embeddings=quantize_embeddings(corpus, "ubinary"),
                                       corpus_precision="ubinary", top_k=10, rescore=True, rescore_multiplier=4,
                                       exact=True)
    theirs = time.perf_counter() - started
    found = np.array([[r["corpus_id"] for r in row] for row in results])
    their_scores = np.array([[r["score"] for r in row] for row in results])
    bits = np.unpackbits(codes, axis=1)[:, :unit.shape[1]].astype(np.float64)
    our_scores = np.take_along_axis(queries.astype(np.float64) @ bits.T, ours, axis=1)
    same_scores = np.allclose(our_scores, their_scores, atol=1e-5)
    same_sets = np.mean([set(a) == set(b) for a, b in zip(ours, found)])
    exact = np.argsort(-(queries @ corpus.T), axis=1)[:, :10]
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(found, exact)])
    print(f"\nsentence-transformers' semantic_search_faiss, same recipe (500 queries, {len(corpus):,} sentences): "
          f"the same scores at every rank: {same_scores}; the same top-10 sets for {same_sets:.1%} of queries "
          f"(the rest differ only between sentences of equal score, repeated ones); its recall@10 {recall:.3f}; "
          f"time {theirs * 1000:.0f} ms against ours {mine * 1000:.0f} ms ({theirs / mine:.1f}×)")


if __name__ == "__main__":
    tables()
    vectors = lee_vectors()
    retrieval(vectors)
    against_sentence_transformers(vectors)
