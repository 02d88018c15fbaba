"""Approximate search on GloVe's 400,000 × 50 (cosine), each route against exact search
in the same run.

1. Queries: engine.index.AnnIndex, IVF-Flat and compressed (IVF-PQ fast scan + exact
   re-scoring), against exact search, and with --candidates hnswlib's HNSW graph when it is
   installed (not a requirement: the measurement the choice of faiss rests on). Printed: build
   time, settings, recall@10 on 1,000 rows that were not used for tuning (each query's own
   row left out), milliseconds per query one at a time (as a page asks) and in one batch,
   and the ratio exact / approximate.
2. Hubness (k = 10) through the compressed index (re-scoring 32·k candidates, as
   engine.approximate.approximate_hubness does) against exact k-NN on the 50,000 most
   frequent rows (both computed here), then on all 400,000 rows: build + search seconds,
   CPU seconds, recall@10 on 2,000 random rows against exact search, and the skewness next
   to the exact one. Exact k-NN of all 400,000 rows (84 s on two idle cores) runs only
   with --exact-all; without it the exact skewness is not printed for them.
3. With --candidates, the other all-rows k-NN routes that were measured and not chosen:
   faiss HNSW (every row searched in the graph) and pynndescent's NNDescent graph.
4. With --big FILE (bench/make_big_table.py's word2vec binary: GloVe plus four noisy
   copies), the table imported into a library under /tmp as `engine import` does, then
   hubness of every row through the compressed index, as section 2 and as
   `engine geometry --approximate` do it, with recall@10 on 2,000 random rows against exact
   search; and, where exact k-NN is feasible, exact against index hubness on the first
   40,000 words of every copy (200,000 rows of the 2,000,000; the table's first rows alone
   are GloVe's own, measured in section 2). Each with the index's own 8·k candidates
   re-scored and with hubness's 32·k (cells searched unchanged): with near-duplicate rows
   the 4-bit codes' shortlist of 80 misses the same true neighbours for many queries and
   the skewness rises while recall@10 hardly moves, which is why hubness uses 32·k.
   --big-rows N measures its first N rows only.

Every timing line carries the load average; CPU seconds are the process's user + system.
Run:  .venv/bin/python bench/bench_index.py [--exact-all] [--candidates] [--big FILE]
      (about 3 minutes on 2 idle cores; --exact-all adds about 90 s, --candidates
      about 15 minutes, --big /tmp/big-2m-50.bin of make_big_table.py --dim 50 about 30)
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.approximate import HUBNESS_K_FACTOR, approximate_hubness  # noqa: E402
from engine.geometry import hubness, hubness_from_indices, neighbour_graph  # noqa: E402
from engine.index import K_FACTOR, AnnIndex, exact_search  # noqa: E402
from engine.sources import load_builtin  # noqa: E402
from engine.vectors import EmbeddingSet  # noqa: E402

K, QUERIES, SINGLE, RECALL_ROWS = 10, 1000, 200, 2000
EXACT_WORDS = 40_000          # big table: exact hubness of these first words of every copy


def load() -> str:
    return "load " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6


def per_query_ms(search, queries) -> float:
    started = time.perf_counter()
    for row in queries:
        search(row[None, :])
    return 1000 * (time.perf_counter() - started) / len(queries)


def recall(found: np.ndarray, truth: np.ndarray, rows: np.ndarray) -> float:
    """found, truth (q, ≥ K) of the query rows `rows`; each row's own entry left out."""
    hits = [len(set(f[f != r][:K]) & set(t[t != r][:K])) for f, t, r in zip(found, truth, rows)]
    return sum(hits) / (K * len(rows))


def bench_queries(glove, unit, candidates: bool) -> None:
    rows = np.random.default_rng(2026).choice(len(glove), QUERIES, replace=False)
    queries = unit[rows]
    truth = exact_search(unit, queries, K + 1)
    exact_single = per_query_ms(lambda q: exact_search(unit, q, K + 1), queries[:SINGLE])
    print(f"1. queries, {load()}")
    print(f"exact search: {1000 * truth.seconds / QUERIES:.2f} ms/query in a batch, "
          f"{exact_single:.2f} ms one at a time")
    for compressed in (False, True):
        started = time.perf_counter()
        index = AnnIndex.build(glove, compressed=compressed)
        built = time.perf_counter() - started
        batch = index.query(queries, K + 1)
        single = per_query_ms(lambda q: index.query(q, K + 1), queries[:SINGLE])
        print(f"{index.info.method}: build {built:.1f} s, "
              f"recall@{K} {recall(batch.indices, truth.indices, rows):.3f}, "
              f"{1000 * batch.seconds / QUERIES:.2f} ms/query in a batch "
              f"({truth.seconds / batch.seconds:.1f}× faster than exact), "
              f"{single:.2f} ms one at a time ({exact_single / single:.1f}×)  [{load()}]")
    if candidates:
        bench_hnswlib(glove, unit, queries, rows, truth, exact_single)


def bench_hnswlib(glove, unit, queries, rows, truth, exact_single) -> None:
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


def without_self(found: np.ndarray) -> np.ndarray:
    """The first K entries of each row of found (n, > K) other than the row itself."""
    own = found == np.arange(found.shape[0])[:, None]
    own[~own.any(axis=1), -1] = True          # self not found: drop the last entry instead
    first = np.argsort(own, axis=1, kind="stable")[:, :K]
    return np.take_along_axis(found, first, axis=1)


def through_index(table, k_factor: int = HUBNESS_K_FACTOR):
    """(hubness, index, wall seconds, CPU seconds) of every row through a compressed index
    built here, k_factor·k candidates re-scored: build + search."""
    started, cpu = time.perf_counter(), cpu_seconds()
    index = AnnIndex.build(table, compressed=True)
    found = approximate_hubness(table, index, k=K, k_factor=k_factor)
    return found, index, time.perf_counter() - started, cpu_seconds() - cpu


def bench_hubness(glove, unit, exact_all: bool) -> None:
    print(f"\n2. hubness, k = {K}, cosine, each row's own entry left out")
    sample = glove.restrict(50_000)
    started, cpu = time.perf_counter(), cpu_seconds()
    graph = neighbour_graph(sample, k=K)
    exact, exact_cpu = hubness(sample, graph), cpu_seconds() - cpu
    exact_wall = time.perf_counter() - started
    approx, index, wall, cpu = through_index(sample)
    found = index.query(sample.unit, K + 1, k_factor=HUBNESS_K_FACTOR).indices
    print(f"50,000 rows: exact {exact_wall:.1f} s ({exact_cpu:.0f} CPU-s), skewness {exact.skewness:.3f}; "
          f"index {wall:.1f} s ({cpu:.0f} CPU-s, build {index.info.build_seconds:.1f} s), skewness "
          f"{approx.skewness:.3f}, recall@{K} {recall(found, graph.indices, np.arange(len(sample))):.3f} "
          f"on every row; exact / index {exact_wall / wall:.2f}×  [{load()}]")
    print(f"   {approx.retrieval}")

    approx, index, wall, cpu = through_index(glove)
    rows = np.random.default_rng(7).choice(len(glove), RECALL_ROWS, replace=False)
    truth = exact_search(unit, unit[rows], K + 1).indices
    found = index.query(unit[rows], K + 1, k_factor=HUBNESS_K_FACTOR).indices
    print(f"all {len(glove):,} rows through the index: {wall:.1f} s ({cpu:.0f} CPU-s; build "
          f"{index.info.build_seconds:.1f} s), skewness {approx.skewness:.3f}, recall@{K} "
          f"{recall(found, truth, rows):.3f} on {RECALL_ROWS:,} random rows  [{load()}]")
    print(f"   {approx.retrieval}")
    if not exact_all:
        print(f"all {len(glove):,} rows exactly: not run (pass --exact-all; 84 s on two idle cores)")
        return
    started, cpu = time.perf_counter(), cpu_seconds()
    exact = hubness(glove, neighbour_graph(glove, k=K))
    exact_wall = time.perf_counter() - started
    print(f"all {len(glove):,} rows exactly: {exact_wall:.1f} s ({cpu_seconds() - cpu:.0f} CPU-s), "
          f"skewness {exact.skewness:.3f}; exact / index {exact_wall / wall:.2f}×  [{load()}]")


def bench_candidates(glove, unit) -> None:
    """All-rows k-NN graphs by the routes not chosen, with recall against exact search."""
    import faiss
    import pynndescent

    print("\n3. other all-rows k-NN routes (2 threads)")
    rows = np.random.default_rng(7).choice(len(glove), RECALL_ROWS, replace=False)
    truth = exact_search(unit, unit[rows], K + 1).indices
    faiss.omp_set_num_threads(2)
    started, cpu = time.perf_counter(), cpu_seconds()
    graph = faiss.IndexHNSWFlat(glove.dim, 16, faiss.METRIC_INNER_PRODUCT)
    graph.hnsw.efConstruction = 40
    graph.add(unit)
    print(f"faiss HNSW (M 16, efConstruction 40): build {time.perf_counter() - started:.1f} s "
          f"({cpu_seconds() - cpu:.0f} CPU-s)  [{load()}]")
    for ef in (64, 128):
        graph.hnsw.efSearch = ef
        started, cpu = time.perf_counter(), cpu_seconds()
        _, found = graph.search(unit, K + 1)
        print(f"   efSearch {ef}: every row in {time.perf_counter() - started:.1f} s "
              f"({cpu_seconds() - cpu:.0f} CPU-s), recall@{K} {recall(found[rows], truth, rows):.3f}, "
              f"skewness {hubness_from_indices(without_self(found), glove.index_to_key).skewness:.3f}  [{load()}]")
    faiss.omp_set_num_threads(1)
    started, cpu = time.perf_counter(), cpu_seconds()
    _ = pynndescent.NNDescent(unit[:2_000], metric="dot", n_neighbors=K + 1, n_jobs=2).neighbor_graph
    print(f"pynndescent: numba compiling {time.perf_counter() - started:.1f} s "
          f"({cpu_seconds() - cpu:.0f} CPU-s)")
    for neighbours in (15, 30):
        started, cpu = time.perf_counter(), cpu_seconds()
        found, _ = pynndescent.NNDescent(unit, metric="dot", n_neighbors=neighbours, n_jobs=2,
                                         random_state=0).neighbor_graph
        print(f"   NNDescent ({neighbours} neighbours): {time.perf_counter() - started:.1f} s "
              f"({cpu_seconds() - cpu:.0f} CPU-s), recall@{K} {recall(found[rows], truth, rows):.3f}, "
              f"skewness {hubness_from_indices(without_self(found), glove.index_to_key).skewness:.3f}  "
              f"[{load()}]")


def first_words_of_every_copy(table: EmbeddingSet, copy_rows: int, words: int) -> EmbeddingSet:
    """The first `words` rows of each block of `copy_rows` (one copy of GloVe) of `table`."""
    rows = np.concatenate([np.arange(start, min(start + words, len(table)))
                           for start in range(0, len(table), copy_rows)])
    return EmbeddingSet(np.asarray(table.vectors[rows]), [table.index_to_key[i] for i in rows],
                        f"{table.name} sample", frequency_ordered=False)


def at_both_factors(table):
    """The index built on `table`, and [(k_factor, what was timed, hubness, wall s, CPU s)]:
    build + search with the index's own K_FACTOR·k candidates, then search alone with
    hubness's HUBNESS_K_FACTOR·k."""
    approx, index, wall, cpu = through_index(table, K_FACTOR)
    runs = [(K_FACTOR, "build + search", approx, wall, cpu)]
    started, cpu = time.perf_counter(), cpu_seconds()
    approx = approximate_hubness(table, index, k=K, k_factor=HUBNESS_K_FACTOR)
    runs.append((HUBNESS_K_FACTOR, "search", approx, time.perf_counter() - started, cpu_seconds() - cpu))
    return index, runs


def bench_big(path: Path, rows: int | None, copy_rows: int) -> None:
    from engine.library import import_file, load_table

    with tempfile.TemporaryDirectory(dir="/tmp") as folder:
        started = time.perf_counter()
        import_file(path, "big", root=folder)
        table = load_table("big", folder)
        table = table.restrict(rows) if rows else table
        print(f"\n4. hubness of a big table, k = {K}, cosine: {path.name} imported in "
              f"{time.perf_counter() - started:.1f} s, {len(table):,} × {table.dim} measured  [{load()}]")
        sample = first_words_of_every_copy(table, copy_rows, EXACT_WORDS)
        every = np.arange(len(sample))
        started, cpu = time.perf_counter(), cpu_seconds()
        graph = neighbour_graph(sample, k=K)
        exact = hubness(sample, graph)
        print(f"first {EXACT_WORDS:,} words of every copy ({len(sample):,} rows): exact "
              f"{time.perf_counter() - started:.1f} s ({cpu_seconds() - cpu:.0f} CPU-s), skewness "
              f"{exact.skewness:.3f}  [{load()}]")
        index, runs = at_both_factors(sample)
        for k_factor, what, approx, wall, cpu in runs:
            found = index.query(sample.unit, K + 1, threads=len(os.sched_getaffinity(0)),
                                k_factor=k_factor).indices
            print(f"   index, {k_factor}·k candidates: {what} {wall:.1f} s ({cpu:.0f} CPU-s), skewness "
                  f"{approx.skewness:.3f}, recall@{K} {recall(found, graph.indices, every):.3f} on "
                  f"every row  [{load()}]")
        print(f"   {approx.retrieval}")
        del index, graph

        index, runs = at_both_factors(table)
        checked = np.random.default_rng(7).choice(len(table), RECALL_ROWS, replace=False)
        queries = np.ascontiguousarray(table.unit[checked])
        truth = exact_search(table.unit, queries, K + 1)
        print(f"all {len(table):,} rows through the index: build {index.info.build_seconds:.1f} s; "
              f"exact search of {RECALL_ROWS:,} random rows for recall {truth.seconds:.1f} s  [{load()}]")
        for k_factor, what, approx, wall, cpu in runs:
            found = index.query(queries, K + 1, k_factor=k_factor).indices
            print(f"   {k_factor}·k candidates: {what} {wall:.1f} s ({cpu:.0f} CPU-s), "
                  f"skewness {approx.skewness:.3f}, anti-hubs {approx.antihub_fraction:.2%}, max N_k "
                  f"{approx.max_occurrence}, recall@{K} {recall(found, truth.indices, checked):.3f} "
                  f"on the {RECALL_ROWS:,} rows  [{load()}]")
        print(f"   {approx.retrieval}; peak memory {peak_gb():.2f} GB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exact-all", action="store_true",
                        help="also exact k-NN of all 400,000 rows, for the exact skewness")
    parser.add_argument("--candidates", action="store_true",
                        help="also hnswlib's and faiss's HNSW and pynndescent's NNDescent")
    parser.add_argument("--big", type=Path, default=None,
                        help="also hubness of every row of this word2vec-binary file of "
                             "bench/make_big_table.py, through the index")
    parser.add_argument("--big-rows", type=int, default=None,
                        help="with --big, measure only the first N rows of the big table")
    args = parser.parse_args()
    glove = load_builtin("glove-6b-50d")
    unit = np.ascontiguousarray(glove.unit)
    bench_queries(glove, unit, args.candidates)
    bench_hubness(glove, unit, args.exact_all)
    if args.candidates:
        bench_candidates(glove, unit)
    if args.big:
        bench_big(args.big, args.big_rows, len(glove))


if __name__ == "__main__":
    main()
