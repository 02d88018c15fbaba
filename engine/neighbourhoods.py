"""Neighbourhoods of a map's rows: the k nearest rows of given rows, and how faithfully a map
keeps them (neighbourhood preservation and trustworthiness on a sample).

The sample's true neighbours in the full space are ranked by exact scores (float64 sums of
the float32 unit rows; equal scores by lower row), searched in shares of the rows whose
top-k lists merge into the top-k of all rows: one share in this process, one a task on a
cluster's workers (engine.cluster.passes.sample_neighbours), with the same result.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Callable

import numpy as np

from engine.errors import check_int
from engine.geometry.neighbours import float32_error
from engine.geometry.rows import blocks
from engine.vectors import unit_rows

SEARCH_BLOCK = 16_384       # rows of a share scored against the sample at once (64 MB for 1,000)
Progress = Callable[[float, str], None]
Search = Callable[[np.ndarray, int], np.ndarray]     # (chosen rows (q,), k) -> (q, k) true rows


def nearest_rows(points: np.ndarray, queries: np.ndarray, k: int, metric: str = "cosine",
                 exclude_self: bool = True, progress: Callable[[int, int], None] | None = None) -> np.ndarray:
    """(q, k) indices into points (n, d) of each query row's k nearest, nearest first.

    queries: (q,) row indices into points. metric 'cosine' expects unit rows (the dot
    product is the cosine); 'euclidean' (for map coordinates) ranks by y·q − |y|²/2,
    which orders rows as −|y − q|²/2 does, so both run on geometry's exact k-NN search
    (progress(done, total) after each block of queries).
    """
    from engine.geometry import exact_neighbours

    if metric not in ("cosine", "euclidean"):
        raise ValueError(f"unknown metric {metric!r}; use 'cosine' or 'euclidean'")
    points = np.ascontiguousarray(points, dtype=np.float32)
    k = check_int("k", k, 1, points.shape[0] - 1 if exclude_self else points.shape[0])
    bias = (points ** 2).sum(axis=1) / 2 if metric == "euclidean" else None
    return exact_neighbours(points, k, exclude_self, bias, progress, np.asarray(queries))[0]


def share_neighbours(share: np.ndarray, first: int, queries: np.ndarray, query_rows: np.ndarray,
                     k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k best rows first … first + m − 1 (the unit rows `share`, (m, d)) for each query
    (queries (q, d) unit rows, which are the rows query_rows (q,), never their own
    neighbour), by exact score. ((q, k) int64 rows, (q, k) float64 scores), best first;
    rows −1 with score −inf where the share has fewer than k.

    float32 products pick the candidates: a row whose float32 score is more than
    geometry's float32_error below the k-th best exact score so far cannot be among the
    best, nor one more than twice that below a block's k-th best float32 score."""
    queries = np.ascontiguousarray(queries, dtype=np.float32)
    wide, error = queries.astype(np.float64), float32_error(share.shape[1])
    lowest = -np.finfo(np.float32).max
    best = (np.full((len(queries), k), -1, np.int64), np.full((len(queries), k), -np.inf))
    for start, stop in blocks(len(share), SEARCH_BLOCK):
        rows = np.asarray(share[start:stop], dtype=np.float32)
        scores = queries @ rows.T                                           # (q, b)
        own = np.asarray(query_rows) - first - start
        inside = np.flatnonzero((own >= 0) & (own < stop - start))
        scores[inside, own[inside]] = -np.inf
        bound = np.maximum(best[1][:, -1] - error, lowest)
        if stop - start > k and not np.isfinite(best[1][:, -1]).all():
            bound = np.maximum(bound, np.partition(scores, -k, axis=1)[:, -k] - 2 * error)
        query, column = np.nonzero(scores >= bound[:, None])
        exact = np.einsum("ij,ij->i", wide[query], np.asarray(rows[column], dtype=np.float64))
        best = merged_neighbours([best, (first + start + column.reshape(-1, 1), exact.reshape(-1, 1),
                                         query)], len(queries), k)
    return best


def merged_neighbours(parts: list[tuple], queries: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k best of several top lists of the same queries: parts of ((q, j) rows,
    (q, j) scores), or ((c, 1) rows, (c, 1) scores, (c,) query of each); by score, equal
    scores by lower row. ((q, k) rows, (q, k) scores), padded with −1 / −inf."""
    query, rows, scores = [], [], []
    for part in parts:
        owner = part[2] if len(part) == 3 else np.repeat(np.arange(queries), part[0].shape[1])
        kept = part[0].ravel() >= 0
        query.append(owner[kept])
        rows.append(part[0].ravel()[kept])
        scores.append(part[1].ravel()[kept])
    query, rows, scores = np.concatenate(query), np.concatenate(rows), np.concatenate(scores)
    order = np.lexsort((rows, -scores, query))
    query, rows, scores = query[order], rows[order], scores[order]
    rank = np.arange(len(query)) - np.searchsorted(query, np.arange(queries))[query]
    kept = rank < k
    best = (np.full((queries, k), -1, np.int64), np.full((queries, k), -np.inf))
    best[0][query[kept], rank[kept]] = rows[kept]
    best[1][query[kept], rank[kept]] = scores[kept]
    return best


@dataclass(frozen=True)
class Faithfulness:
    """How well a map keeps the table's neighbourhoods, measured on a sample of points.

    preservation: mean share of a point's k nearest words (cosine, full space) that are
    also among its k nearest points on the map (1.0 = every neighbourhood kept).
    trustworthiness: scikit-learn's trustworthiness on the sample (1.0 = no false
    neighbours on the map), None when the sample is too small for it.
    where: the cluster that searched the full space ("" for this process).
    """

    preservation: float
    trustworthiness: float | None
    k: int
    sample: int
    where: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def measure_faithfulness(X: np.ndarray, Y: np.ndarray, k: int = 10, sample: int = 1_000,
                         metric: str = "cosine", random_state: int = 0,
                         progress: Progress | None = None, search: Search | None = None,
                         where: str = "") -> Faithfulness:
    """Neighbourhood preservation and trustworthiness of the map Y (n, m) of rows X (n, d).

    X is compared by `metric` ('cosine' or 'euclidean'), Y always by Euclidean distance;
    neighbours are searched among all n rows for a random sample of `sample` of them:
    cosine ones by exact score (share_neighbours), or by search(chosen, k) computed
    elsewhere (on the cluster named by `where`).
    """
    def searched(done: int, total: int) -> None:
        if progress:
            progress(1.0, f"measuring how well the map keeps neighbourhoods: {done:,} of {total:,} words")

    n = X.shape[0]
    if n < 3:
        raise ValueError(f"a map needs at least 3 rows to measure neighbourhoods; got {n}")
    k = min(check_int("k", k, 1), n - 1)
    chosen = np.sort(np.random.default_rng(random_state).choice(n, min(sample, n), replace=False))
    space = unit_rows(X) if metric == "cosine" else np.asarray(X, dtype=np.float32)
    if search is not None:
        true = search(chosen, k)
    elif metric == "cosine":
        true = share_neighbours(space, 0, space[chosen], chosen, k)[0]
    else:
        true = nearest_rows(space, chosen, k, metric, progress=searched)
    drawn = nearest_rows(np.asarray(Y, dtype=np.float32), chosen, k, "euclidean", progress=searched)
    overlap = [len(np.intersect1d(a, b, assume_unique=True)) for a, b in zip(true, drawn)]
    preservation = float(np.mean(overlap)) / k
    trust_k = min(k, (len(chosen) - 1) // 2)
    trust = None
    if trust_k >= 1:
        from sklearn.manifold import trustworthiness

        trust = float(trustworthiness(space[chosen], np.asarray(Y)[chosen], n_neighbors=trust_k,
                                      metric=metric))
    return Faithfulness(preservation, trust, k, len(chosen), where if search is not None else "")
