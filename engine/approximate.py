"""Approximate answers for big tables, always with their recall: the ANN index of a table
built once and cached on disk (beside a library table, else under .cache/indexes/), and
hubness of every row through it.

The index itself is engine.index.AnnIndex with 4-bit codes re-scored exactly (faiss
IVF-PQ fast scan + IndexRefineFlat, nprobe tuned to a target recall): hubness queries every
row, and on GloVe's 400,000 × 50 this index reaches recall@10 0.96 at 0.12 ms a query, where
IVF-Flat needs 0.60 ms: all rows in about 71 CPU-seconds, build included, where exact k-NN
of every row costs about 170.
Measured and not chosen (bench/bench_index.py --candidates, all 400,000 rows): faiss HNSW
(M 16, efConstruction 40) built in 57 CPU-seconds and searching every row took 67 for recall
0.89 (efSearch 64) or 124 for 0.93 (efSearch 128); pynndescent's NNDescent graph reached 0.96
with 30 neighbours in 91 CPU-seconds, plus 52 of numba compiling in every new process.
"""
from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from engine import library
from engine.geometry import Hubness, hubness_from_indices
from engine.vectors import EmbeddingSet, Neighbour

CACHE = Path(__file__).resolve().parent.parent / ".cache" / "indexes"
QUERY_BLOCK = 16_384


def index_path(table: EmbeddingSet) -> Path:
    """Where `table`'s cosine index lives: in its library folder, else in the project's
    cache under the table's fingerprint."""
    if library.has_table(table.name) and table.fingerprint.startswith("library:"):
        return library.table_folder(table.name) / "ann-cosine-pq.faiss"
    return CACHE / f"{table.fingerprint}-pq.faiss"


def cached_index(table: EmbeddingSet):
    """The table's compressed cosine ANN index: read from disk, or built (nprobe tuned to
    AnnIndex's recall@10 target) and saved there for every later process.
    Returns (index, built_now)."""
    from engine.index import AnnIndex

    path = index_path(table)
    if path.is_file():
        try:
            return AnnIndex.load(path, table), False
        except ValueError:
            pass                       # built on an older table of the same name
    index = AnnIndex.build(table, compressed=True)
    try:
        index.save(path)
    except OSError:
        pass                           # a read-only library still answers, from memory
    return index, True


# Hubness counts how often each row is among the others' k nearest, so a few rows wrongly
# kept by many queries inflate it while recall barely moves: on a table whose words have
# near-copies (GloVe plus noisy copies, 200,000 rows; bench/bench_index.py --big) the copies
# crowd 8·k candidates of 4-bit codes, and skewness came out 2.682 against the exact 2.012 at
# recall 0.965; re-scoring 16·k gave 2.160, 24·k 2.067 and 32·k 2.020, for about twice the
# search time of 8·k.
HUBNESS_K_FACTOR = 32


def approximate_hubness(table: EmbeddingSet, index, k: int = 10, progress=None,
                        k_factor: int = HUBNESS_K_FACTOR) -> Hubness:
    """k-occurrence hubness of every row, each row's k nearest found through `index` (its
    own row left out), the queries split between every core this process may use. A
    compressed index re-scores k_factor·k candidates (at least its own number; see
    HUBNESS_K_FACTOR). The result's `retrieval` names the index and its settings."""
    started = time.perf_counter()
    rows = len(table)
    threads = len(os.sched_getaffinity(0))
    indices = np.empty((rows, k), dtype=np.int64)
    for start in range(0, rows, QUERY_BLOCK):
        stop = min(start + QUERY_BLOCK, rows)
        indices[start:stop] = indexed_neighbours(index, table.unit[start:stop], start, k,
                                                 k_factor, threads)
        if progress:
            progress(stop, rows)
    return hubness_through(index, table, indices, k_factor, started)


def hubness_k_factor(index, k_factor: int = HUBNESS_K_FACTOR) -> int | None:
    """Candidates re-scored per neighbour for hubness: at least the index's own number on a
    compressed index; None on IVF-Flat (nothing to re-score)."""
    return max(index.info.k_factor, k_factor) if index.info.k_factor else None


def indexed_neighbours(index, unit: np.ndarray, start: int, k: int,
                       k_factor: int = HUBNESS_K_FACTOR, threads: int = 1) -> np.ndarray:
    """(b, k) rows nearest to table rows start … start + b − 1, whose unit rows are
    `unit` (b, d), through `index`, each row's own entry left out (or, when ties pushed
    it out of the k + 1 found, the last one)."""
    stop = start + unit.shape[0]
    found = index.query(np.asarray(unit), k + 1, threads=threads,
                        k_factor=hubness_k_factor(index, k_factor)).indices
    own = found == np.arange(start, stop)[:, None]
    keep = ~own
    keep[~own.any(axis=1), -1] = False
    return found[keep].reshape(stop - start, k)


def hubness_through(index, table: EmbeddingSet, indices: np.ndarray, k_factor: int,
                    started: float) -> Hubness:
    """Hubness of the neighbour lists (n, k) found through `index`, named after its settings."""
    result = hubness_from_indices(indices, table.index_to_key)
    used = hubness_k_factor(index, k_factor)
    info = replace(index.info, k_factor=used) if used else index.info
    return replace(result, retrieval=f"approximate ({info.method})",
                   seconds=time.perf_counter() - started)


EXACT_CELLS = 150_000_000    # rows × dims past which Explore answers from the index


def prefers_index(table: EmbeddingSet, restrict: int | None = None) -> bool:
    """Whether one exact query over the searched rows would read more than EXACT_CELLS
    numbers (600 MB): about half a second here, so the index answers instead."""
    rows = len(table) if restrict is None else restrict
    return rows * table.dim > EXACT_CELLS


def most_similar(table: EmbeddingSet, index, word: str, topn: int = 10) -> list[Neighbour]:
    """The approximate `topn` nearest keys of `word` by cosine, the word itself left out."""
    row = table.get_index(word)
    found = index.query(table.unit[row], topn + 1)
    pairs = [(int(i), float(s)) for i, s in zip(found.indices[0], found.scores[0]) if i >= 0 and i != row]
    return [Neighbour(table.index_to_key[i], s) for i, s in pairs[:topn]]
