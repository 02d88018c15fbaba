"""Binary search with re-scoring, on sentence vectors: sentence-transformers' recipe for
retrieval at 32× less memory (Shakir, Aarsen & Lee 2024, "Binary and Scalar Embedding
Quantization"): keep one sign bit per number, find each query's rescore_multiplier·k nearest
documents by Hamming distance, then score those candidates again with the float32 query
against the documents' bits (0/1), and keep the best k. sentence-transformers reports about
96% of float32's retrieval score kept this way (NDCG@10 on labelled retrieval benchmarks).

Without labels, quality here is measured against float32 search itself, with each probe
sentence as the query and left out of its own results: recall@k (share of float32's top k
found) and the share of float32's DCG@k kept (the float32 cosines of what is returned as
graded gains, over the best possible), a stricter yardstick than a benchmark's relevance
labels, on which two different lists can score alike.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from engine.quantize import binary_codes, probe_rows, recall
from engine.vectors import unit_rows

MULTIPLIER = 4            # candidates per result re-scored (sentence-transformers' example)


@dataclass(frozen=True)
class RetrievalPoint:
    """One way of searching: bytes of the documents as searched, recall@k and DCG kept
    against float32, milliseconds per query (a batch, one thread)."""

    method: str
    bytes: int
    recall: float
    dcg_kept: float
    ms_per_query: float


@dataclass(frozen=True)
class RetrievalEffect:
    documents: int
    dim: int
    probes: int
    k: int
    multiplier: int
    points: tuple[RetrievalPoint, ...]

    def to_dict(self) -> dict:
        return asdict(self)


def _binary_index(codes: np.ndarray):
    import faiss

    faiss.omp_set_num_threads(1)
    index = faiss.IndexBinaryFlat(8 * codes.shape[1])
    index.add(codes)
    return index


def rescored(candidates: np.ndarray, query_vectors: np.ndarray, documents: np.ndarray, k: int) -> np.ndarray:
    """(q, k) the best k of each query's candidates (q, c) by query · documents[candidate]
    (documents: (n, d) float32, or the unpacked 0/1 bits); −1 candidates never win."""
    rows = np.where(candidates >= 0, candidates, 0)
    scores = np.einsum("qd,qcd->qc", query_vectors.astype(np.float64), documents[rows].astype(np.float64))
    scores[candidates < 0] = -np.inf
    best = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return np.take_along_axis(candidates, best, axis=1)


def binary_rescore_search(codes: np.ndarray, queries: np.ndarray, k: int, multiplier: int = MULTIPLIER,
                          documents: np.ndarray | None = None) -> np.ndarray:
    """(q, k) document rows: Hamming top multiplier·k of the binary `codes` (n, ⌈d/8⌉), then
    re-scored by the float32 queries (q, d) against the documents' bits, or against
    `documents` (n, d) float32 when given."""
    _, candidates = _binary_index(codes).search(binary_codes(queries), multiplier * k)
    bits = documents if documents is not None else np.unpackbits(codes, axis=1)[:, :queries.shape[1]]
    return rescored(candidates, queries, bits, k)


def dcg_kept(found: np.ndarray, exact_scores: np.ndarray, ideal: np.ndarray) -> float:
    """Mean over queries of DCG(found, gains = float32 cosines) / DCG(float32's own top k).
    found (q, k) rows; exact_scores (q, n) float32 cosines; ideal (q, k) their top k."""
    discount = 1 / np.log2(np.arange(2, found.shape[1] + 2))
    got = np.take_along_axis(exact_scores, np.where(found >= 0, found, 0), axis=1) * (found >= 0)
    return float(np.mean((got @ discount) / (ideal @ discount)))


def retrieval_effect(vectors: np.ndarray, probes: int = 500, k: int = 10, multiplier: int = MULTIPLIER,
                     seed: int = 0, progress=None) -> RetrievalEffect:
    """float32, binary (Hamming only), binary + re-scoring with the bits (sentence-transformers'
    recipe) and binary + re-scoring with float32 rows, on sentence vectors (n, d): `probes`
    seeded rows are the queries, each left out of its own results. progress(done, 3) after
    each binary search."""
    import time

    from engine.index import exact_search

    unit = unit_rows(vectors)
    n, d = unit.shape
    if n < k + 2:
        raise ValueError(f"{n} documents; retrieval of {k} needs at least {k + 2}")
    rows = probe_rows(n, probes, seed)
    queries = unit[rows]
    scores = queries @ unit.T
    scores[np.arange(len(rows)), rows] = -np.inf              # a sentence is not its own answer
    exact = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    ideal = np.take_along_axis(scores, exact, axis=1)
    codes = binary_codes(unit)
    searches = {
        "binary, Hamming only": lambda: _binary_index(codes).search(binary_codes(queries), k + 1)[1],
        f"binary, {multiplier}·k re-scored with the bits (sentence-transformers)":
            lambda: binary_rescore_search(codes, queries, k + 1, multiplier),
        f"binary, {multiplier}·k re-scored with float32 rows (kept on disk)":
            lambda: binary_rescore_search(codes, queries, k + 1, multiplier, unit),
    }
    sizes = {0: codes.nbytes, 1: codes.nbytes, 2: codes.nbytes + unit.nbytes}
    float32 = exact_search(unit, queries, k + 1)
    points = [RetrievalPoint("float32", unit.nbytes, 1.0, 1.0, 1000 * float32.seconds / len(rows))]
    for i, (method, search) in enumerate(searches.items()):
        started = time.perf_counter()
        found = search()
        ms = 1000 * (time.perf_counter() - started) / len(rows)
        found = np.array([f[f != r][:k] for f, r in zip(found, rows)])
        points.append(RetrievalPoint(method, sizes[i], recall(found, exact, None, k),
                                     dcg_kept(found, scores, ideal), ms))
        if progress:
            progress(i + 1, len(searches))
    return RetrievalEffect(n, d, len(rows), k, multiplier, tuple(points))
