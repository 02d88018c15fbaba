"""Approximate search on GloVe's 400,000 × 50 (cosine): engine.index.AnnIndex (faiss IVF)
against exact search in the same run, and hnswlib's HNSW graph when it is installed (it is
not a requirement: this is the measurement the choice of faiss rests on).

Printed: build time, nlist/nprobe, recall@10 on 1,000 rows that were not used for tuning
(each query's own row left out), milliseconds per query one query at a time (as a page
asks) and in one batch, and the ratio exact / approximate.

Run:  .venv/bin/python bench/bench_index.py   (about 2 minutes on 2 idle cores)
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.index import AnnIndex, exact_search  # noqa: E402
from engine.sources import load_builtin  # noqa: E402

K, QUERIES, SINGLE = 10, 1000, 200


def per_query_ms(search, queries) -> float:
    started = time.perf_counter()
    for row in queries:
        search(row[None, :])
    return 1000 * (time.perf_counter() - started) / len(queries)


def recall(found: np.ndarray, truth: np.ndarray, rows: np.ndarray) -> float:
    hits = [len(set(f[f != r][:K]) & set(t[t != r][:K])) for f, t, r in zip(found, truth, rows)]
    return sum(hits) / (K * len(rows))


def main() -> None:
    glove = load_builtin("glove-6b-50d")
    unit = glove.unit
    rows = np.random.default_rng(2026).choice(len(glove), QUERIES, replace=False)
    queries = unit[rows]
    truth = exact_search(unit, queries, K + 1)
    exact_single = per_query_ms(lambda q: exact_search(unit, q, K + 1), queries[:SINGLE])
    print(f"exact search: {1000 * truth.seconds / QUERIES:.2f} ms/query in a batch, "
          f"{exact_single:.2f} ms one at a time")

    started = time.perf_counter()
    index = AnnIndex.build(glove)
    built = time.perf_counter() - started
    batch = index.query(queries, K + 1)
    single = per_query_ms(lambda q: index.query(q, K + 1), queries[:SINGLE])
    print(f"faiss IVF (nlist {index.info.nlist}, nprobe {index.info.nprobe}): build {built:.1f} s, "
          f"recall@{K} {recall(batch.indices, truth.indices, rows):.3f}, "
          f"{1000 * batch.seconds / QUERIES:.2f} ms/query in a batch "
          f"({truth.seconds / batch.seconds:.1f}× faster than exact), "
          f"{single:.2f} ms one at a time ({exact_single / single:.1f}×)")

    try:
        import hnswlib
    except ImportError:
        print("hnswlib: not installed, skipped")
        return
    started = time.perf_counter()
    graph = hnswlib.Index(space="ip", dim=glove.dim)
    graph.init_index(len(glove), M=16, ef_construction=100, random_seed=0)
    graph.add_items(unit, num_threads=1)
    built = time.perf_counter() - started
    for ef in (64, 128):
        graph.set_ef(ef)
        started = time.perf_counter()
        found, _ = graph.knn_query(queries, K + 1, num_threads=1)
        seconds = time.perf_counter() - started
        single = per_query_ms(lambda q: graph.knn_query(q, K + 1, num_threads=1), queries[:SINGLE])
        print(f"hnswlib HNSW (M 16, ef {ef}): build {built:.1f} s, "
              f"recall@{K} {recall(found.astype(np.int64), truth.indices, rows):.3f}, "
              f"{1000 * seconds / QUERIES:.2f} ms/query in a batch "
              f"({truth.seconds / seconds:.1f}×), {single:.2f} ms one at a time "
              f"({exact_single / single:.1f}×)")


if __name__ == "__main__":
    main()
