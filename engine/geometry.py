"""The geometry of a table: anisotropy (the narrow cone), isotropy scores, hubness,
frequency effects, and the known fixes (centring, all-but-the-top, whitening, CSLS).

Every fix returns a NEW EmbeddingSet named "<source> · <fix>"; the input, which may be a
read-only memory map, is never changed. Statistics are accumulated in float64 over row
blocks, so a 400,000 × 50 table never needs a float64 copy of itself.

References: Mu & Viswanath 2018 (I(W), all-but-the-top), Rudman et al. 2022 (IsoScore),
Radovanović et al. 2010 (hubness), Feldbauer et al. 2018 (Robin Hood index),
Su et al. 2021 (BERT-whitening), Conneau et al. 2018 (CSLS).
"""
from __future__ import annotations

import math
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Callable

import numpy as np

from engine.errors import UnknownWordError, check_int
from engine.vectors import EmbeddingSet, Neighbour, top_k

Progress = Callable[[int, int], None] | None
ROW_BLOCK = 65_536          # rows per block for the float64 statistics
QUERY_BLOCK = 512           # query rows per block of a k-NN search for given queries, at most …
BLOCK_CELLS = 1 << 25       # … this many scores (128 MB of float32) per block
GROUPS = 64                 # column groups for the k-NN lower bound (see _top_k_rows)
TILE = 1024                 # rows per side of a symmetric k-NN score tile (4 MB of float32)
SEGMENT = 64                # … read again in pieces of this many scores (TILE a multiple)
MERGE_TILES = 8             # tiles whose candidates are merged into the top-k at once


def _rows(table: EmbeddingSet, restrict: int | None) -> np.ndarray:
    """The first `restrict` rows (all when None), checked against the table size."""
    if len(table) == 0:
        raise ValueError(f"{table.name} has no rows; there is no geometry to measure")
    n = len(table) if restrict is None else check_int("restrict", restrict, 1, len(table))
    return table.vectors[:n]


def _blocks(n: int, size: int = ROW_BLOCK):
    for start in range(0, n, size):
        yield start, min(start + size, n)


# -- anisotropy and isotropy ----------------------------------------------------------
@dataclass(frozen=True)
class Moments:
    """First and second moments of the rows, in float64.

    mean : (d,) mean row.  gram : (d, d) WᵀW.  unit_sum : (d,) sum of unit rows.
    """

    rows: int
    zero_norm_rows: int
    mean: np.ndarray
    gram: np.ndarray
    unit_sum: np.ndarray
    mean_norm: float

    @property
    def covariance(self) -> np.ndarray:
        """(d, d) population covariance WᵀW/n − μμᵀ."""
        return self.gram / self.rows - np.outer(self.mean, self.mean)


def moments(vectors: np.ndarray) -> Moments:
    """Moments of a (n, d) array in one blocked float64 pass."""
    n, d = vectors.shape
    total, gram, unit_sum = np.zeros(d), np.zeros((d, d)), np.zeros(d)
    norm_sum, zero = 0.0, 0
    for start, stop in _blocks(n):
        block = np.asarray(vectors[start:stop], dtype=np.float64)
        norms = np.sqrt(np.einsum("ij,ij->i", block, block))
        nonzero = norms > 0
        zero += int((~nonzero).sum())
        total += block.sum(axis=0)
        gram += block.T @ block
        unit_sum += (block[nonzero] / norms[nonzero, None]).sum(axis=0)
        norm_sum += norms.sum()
    return Moments(n, zero, total / n, gram, unit_sum, norm_sum / n)


def mean_pairwise_cosine(unit_sum: np.ndarray, count: int) -> float:
    """Exact mean cosine over ordered pairs i ≠ j of `count` unit rows summing to
    `unit_sum`: (‖Σu‖² − n) / (n(n − 1)), since Σ_ij u_i·u_j = ‖Σu‖² and each u_i·u_i = 1."""
    if count < 2:
        raise ValueError(f"mean cosine needs at least 2 non-zero rows; got {count}")
    return float((unit_sum @ unit_sum - count) / (count * (count - 1)))


def partition_isotropy(vectors: np.ndarray, gram: np.ndarray) -> float:
    """I(W) = min_c Z(c) / max_c Z(c), Z(c) = Σ_i exp(cᵀw_i), c over the eigenvectors of
    WᵀW (Mu & Viswanath 2018), each taken with both signs since an eigenvector's sign is
    arbitrary. Computed as exp(min log Z − max log Z) with a streamed log-sum-exp,
    because Z overflows float64 for long vectors."""
    from scipy.special import logsumexp

    _, directions = np.linalg.eigh(gram)                        # (d, d), columns
    directions = np.hstack([directions, -directions])           # (d, 2d)
    log_z = np.full(directions.shape[1], -np.inf)
    for start, stop in _blocks(vectors.shape[0]):
        projected = np.asarray(vectors[start:stop], dtype=np.float64) @ directions
        log_z = np.logaddexp(log_z, logsumexp(projected, axis=0))
    return float(np.exp(log_z.min() - log_z.max()))


def isoscore(variances: np.ndarray) -> float:
    """IsoScore (Rudman et al. 2022) from the variances along the principal axes, (d,):
    1 when every direction is used equally, 0 when one direction holds all variance."""
    d = variances.shape[0]
    if d < 2:
        raise ValueError("IsoScore needs at least 2 dimensions")
    length = np.linalg.norm(variances)
    if length == 0:
        raise ValueError("every row is the same point: the variance is zero in all directions")
    normalised = math.sqrt(d) * variances / length
    defect = np.linalg.norm(normalised - 1) / math.sqrt(2 * (d - math.sqrt(d)))
    return float(((d - defect ** 2 * (d - math.sqrt(d))) ** 2 - d) / (d * (d - 1)))


@dataclass(frozen=True)
class Anisotropy:
    """How far a table is from isotropic. explained_variance: (d,) share of variance of
    each principal component, largest first."""

    rows: int
    dim: int
    zero_norm_rows: int
    mean_cosine: float
    mean_vector_norm: float
    mean_norm: float
    isotropy: float
    isoscore: float
    explained_variance: np.ndarray = field(repr=False)
    seconds: float = 0.0

    @property
    def norm_ratio(self) -> float:
        """‖mean row‖ / mean ‖row‖: 0 when the rows cancel out, 1 when all are the same."""
        return self.mean_vector_norm / self.mean_norm if self.mean_norm else 0.0

    def to_dict(self) -> dict:
        return {"rows": self.rows, "dim": self.dim, "zero_norm_rows": self.zero_norm_rows,
                "mean_cosine": self.mean_cosine, "mean_vector_norm": self.mean_vector_norm,
                "mean_norm": self.mean_norm, "norm_ratio": self.norm_ratio,
                "isotropy": self.isotropy, "isoscore": self.isoscore,
                "top_components_explained": self.explained_variance[:10].tolist(),
                "seconds": self.seconds}


def anisotropy(table: EmbeddingSet, restrict: int | None = None) -> Anisotropy:
    """Every anisotropy metric of the first `restrict` rows (all by default), exact.

    The mean cosine is over all pairs of non-zero rows (rows of length 0 have no
    direction; they are counted in zero_norm_rows and left out of it).
    """
    started = time.perf_counter()
    vectors = _rows(table, restrict)
    m = moments(vectors)
    variances = np.clip(np.linalg.eigvalsh(m.covariance)[::-1], 0, None)
    explained = variances / variances.sum() if variances.sum() > 0 else variances
    return Anisotropy(m.rows, vectors.shape[1], m.zero_norm_rows,
                      mean_pairwise_cosine(m.unit_sum, m.rows - m.zero_norm_rows),
                      float(np.linalg.norm(m.mean)), m.mean_norm,
                      partition_isotropy(vectors, m.gram), isoscore(variances), explained,
                      time.perf_counter() - started)


def sample_pair_cosines(table: EmbeddingSet, pairs: int = 20_000, restrict: int | None = None,
                        seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Cosines of `pairs` random pairs of distinct non-zero rows, and of as many pairs of
    standard Gaussian vectors of the same dimension (the isotropic baseline). (pairs,) each."""
    pairs = check_int("pairs", pairs, 1, 10_000_000)
    unit = table.unit[: len(_rows(table, restrict))]
    rows = np.flatnonzero(np.einsum("ij,ij->i", unit, unit) > 0)
    if rows.shape[0] < 2:
        raise ValueError(f"{table.name} has fewer than 2 non-zero rows; no pair to compare")
    rng = np.random.default_rng(seed)
    a = rng.choice(rows, pairs)
    b = rng.choice(rows, pairs)
    b = np.where(a == b, rows[(np.searchsorted(rows, b) + 1) % rows.shape[0]], b)
    table_cos = np.einsum("ij,ij->i", unit[a], unit[b])
    gauss = rng.standard_normal((2, pairs, table.dim))
    gauss /= np.linalg.norm(gauss, axis=2, keepdims=True)
    return table_cos, np.einsum("ij,ij->i", gauss[0], gauss[1]).astype(np.float32)


# -- nearest neighbours and hubness ----------------------------------------------------
def _top_k_rows(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Exact top-k of each row of a (b, n) matrix, best first: ((b, k) columns, (b, k) scores).

    Why not argpartition: selecting in 2,500 million scores costs ~10 ns each. Instead the
    columns are cut into GROUPS groups; each group's maximum is a distinct score, so the
    k-th largest group maximum is a lower bound of the row's k-th largest score. Only the
    few scores at or above it (≈ 2k per row) are sorted. -inf marks excluded cells.
    """
    b, n = scores.shape
    groups = min(GROUPS, n)
    if groups <= k:
        best = np.argsort(-scores, axis=1, kind="stable")[:, :k]
        return best, np.take_along_axis(scores, best, axis=1)
    starts = np.linspace(0, n, groups + 1).astype(np.int64)[:-1]
    maxima = np.maximum.reduceat(scores, starts, axis=1)                   # (b, groups)
    bound = np.partition(maxima, groups - k, axis=1)[:, groups - k]        # (b,)
    flat = np.flatnonzero(scores >= bound[:, None])
    rows, cols = np.divmod(flat, n)
    values = scores.ravel()[flat]
    order = _row_major_order(rows, cols, values)    # by row, best first, ties by index
    first = np.searchsorted(rows[order], np.arange(b))
    take = order[first[:, None] + np.arange(k)]
    return cols[take], values[take]


def _descending(values: np.ndarray) -> np.ndarray:
    """int64 keys in 0 … 2³² − 1, same shape as float32 values, ascending as the values
    descend (order-preserving bits; −0.0 counts as +0.0). Inverse: _from_descending."""
    bits = (values + np.float32(0)).view(np.int32)
    ascending = bits ^ ((bits >> 31) & 0x7FFFFFFF)                      # int32 in float order
    return (~ascending).astype(np.int64) + (1 << 31)


def _from_descending(keys: np.ndarray) -> np.ndarray:
    """The float32 values of _descending keys."""
    ascending = ~(keys - (1 << 31)).astype(np.int32)
    return (ascending ^ ((ascending >> 31) & 0x7FFFFFFF)).view(np.float32)


def _row_major_order(rows: np.ndarray, cols: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Order of (m,) cells by row, then value descending, then column: one argsort of an
    int64 key (row, _descending value); a lexsort only when two cells of a row share a
    value, so the column has to break the tie."""
    key = (rows.astype(np.int64) << 32) | _descending(values)
    order = np.argsort(key)
    ordered = key[order]
    if (ordered[1:] == ordered[:-1]).any():
        order = np.lexsort((cols, key))
    return order


@dataclass(frozen=True)
class NeighbourGraph:
    """The k nearest rows (cosine, self excluded) of each of the first `rows` rows.

    indices : (rows, k) int64 row numbers, best first.  scores : (rows, k) float32 cosines.
    """

    indices: np.ndarray = field(repr=False)
    scores: np.ndarray = field(repr=False)
    seconds: float

    @property
    def rows(self) -> int:
        return self.indices.shape[0]

    @property
    def k(self) -> int:
        return self.indices.shape[1]


def _check_graph_input(table: EmbeddingSet, k: int, restrict: int | None) -> tuple[np.ndarray, int]:
    unit = table.unit[: len(_rows(table, restrict))]
    zero = int((np.einsum("ij,ij->i", unit, unit) == 0).sum())
    if zero:
        raise ValueError(f"{table.name} has {zero:,} rows of length 0 among the first "
                         f"{len(unit):,}: they have no direction, so no cosine neighbours; "
                         "drop them first")
    if len(unit) < 2:
        raise ValueError("hubness needs at least 2 rows")
    return unit, check_int("k", k, 1, len(unit) - 1)


def exact_neighbours(unit: np.ndarray, k: int, exclude_self: bool = True,
                     row_bias: np.ndarray | None = None, progress: Progress = None,
                     queries: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Exact top-k of `queries` (default: every row of `unit`) by score
    unit[j]·q − row_bias[j], in blocks of QUERY_BLOCK queries (fewer for long tables,
    so a block of scores stays within BLOCK_CELLS).

    unit : (n, d) unit rows.  row_bias : (n,) subtracted from every column (CSLS), or None.
    queries : (q,) row numbers.  Returns ((q, k) indices, (q, k) scores), best first.
    All rows against all rows without a bias runs on the symmetric search instead.
    """
    if queries is None and row_bias is None:
        return _symmetric_neighbours(unit, k, exclude_self, progress)
    queries = np.arange(unit.shape[0]) if queries is None else np.asarray(queries)
    indices = np.empty((queries.shape[0], k), dtype=np.int64)
    scores = np.empty((queries.shape[0], k), dtype=np.float32)
    block_rows = max(16, min(QUERY_BLOCK, BLOCK_CELLS // unit.shape[0]))
    for start, stop in _blocks(queries.shape[0], block_rows):
        rows = queries[start:stop]
        block = unit[rows] @ unit.T                                         # (b, n)
        if row_bias is not None:
            block -= row_bias
        if exclude_self:
            block[np.arange(rows.shape[0]), rows] = -np.inf
        indices[start:stop], scores[start:stop] = _top_k_rows(block, k)
        if progress:
            progress(stop, queries.shape[0])
    return indices, scores


def _row_side(tile: np.ndarray, bound: np.ndarray) -> tuple[np.ndarray, ...]:
    """Cells (r, c, value), each (m,), of a (p, q) tile with tile[r, c] ≥ bound[r], bound (p,):
    rows whose maximum reaches their bound, then their SEGMENT-column pieces that do."""
    q = tile.shape[1]
    hit = np.flatnonzero(tile.max(axis=1) >= bound)
    rows, bound = tile[hit], bound[hit]                                    # (h, q), (h,)
    starts = np.arange(0, q, SEGMENT)
    r, piece = np.nonzero(np.maximum.reduceat(rows, starts, axis=1) >= bound[:, None])
    cols = np.minimum(starts[piece][:, None] + np.arange(SEGMENT), q - 1)  # (s, SEGMENT)
    flat = r[:, None] * q + cols
    values = rows.ravel().take(flat)
    keep = (values >= bound[r, None]) & (np.diff(cols, prepend=-1) > 0)   # ragged end once
    r, cols = np.divmod(flat[keep], q)
    return hit[r], cols, values[keep]


def _column_side(tile: np.ndarray, bound: np.ndarray) -> tuple[np.ndarray, ...]:
    """Cells (r, c, value), each (m,), of a (p, q) tile, p a multiple of SEGMENT, with
    tile[r, c] ≥ bound[c], bound (q,): maxima over SEGMENT-row pieces of each column first."""
    p, q = tile.shape
    piece, c = np.nonzero(tile.reshape(p // SEGMENT, SEGMENT, q).max(axis=1) >= bound)
    flat = (piece[:, None] * SEGMENT + np.arange(SEGMENT)) * q + c[:, None]  # (s, SEGMENT)
    values = tile.ravel().take(flat)
    keep = values >= bound[c, None]
    rows, cols = np.divmod(flat[keep], q)
    return rows, cols, values[keep]


def _tile_candidates(unit: np.ndarray, kth: np.ndarray, a: slice, b: slice
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Scores the tile unit[a]·unit[b]ᵀ once (a a full TILE block before b) and returns its
    cells that may enter the running top-k of their row (at or above kth, (n,) the current
    k-th scores) and, transposed, of their column: (m,) rows, cols, values, row numbers."""
    tile = unit[a] @ unit[b].T                                             # (TILE, |b|)
    r, c, v = _row_side(tile, kth[a])
    rt, ct, vt = _column_side(tile, kth[b])
    return (np.concatenate([r + a.start, ct + b.start]),
            np.concatenate([c + b.start, rt + a.start]), np.concatenate([v, vt]))


def _diagonal_top_k(unit: np.ndarray, a: slice, k: int, exclude_self: bool
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Top-k of rows a among rows a (fewer when the block is short), self excluded on
    request: ((|a|, k') columns of unit, (|a|, k') scores), best first, k' ≤ k."""
    tile = unit[a] @ unit[a].T                                             # (|a|, |a|)
    if exclude_self:
        np.fill_diagonal(tile, -np.inf)
    kept = min(k, tile.shape[0] - exclude_self)
    if kept == 0:
        return np.empty((tile.shape[0], 0), np.int64), np.empty((tile.shape[0], 0), np.float32)
    cols, values = _top_k_rows(tile, kept)
    return cols + a.start, values


def _order_keys(values: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """int64 keys, same shape as values / cols, that sort ascending as value descending,
    then column ascending: _descending(value) − 2³¹ above column + 1 (−1: an empty slot).
    Inverse: _from_order_keys."""
    return ((_descending(values) - (1 << 31)) << 32) | (cols + 1)


def _from_order_keys(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(values, cols) of _order_keys keys."""
    return _from_descending((keys >> 32) + (1 << 31)), (keys & 0xFFFFFFFF) - 1


def _merge(best: np.ndarray, best_scores: np.ndarray, found: list[tuple]) -> None:
    """Merges candidate cells [(rows, cols, values), each (m,)], no cell seen before, into
    the running top-k best (n, k) / best_scores (n, k), in place: best first, ties by
    lower column, as _top_k_rows. Cells already below their row's k-th score are dropped;
    each touched row sorts its k best and its candidates as one line of keys."""
    rows, cols, values = map(np.concatenate, zip(*found))
    keep = values >= best_scores[rows, -1]
    order = np.argsort(rows[keep], kind="stable")
    rows, cols, values = rows[keep][order], cols[keep][order], values[keep][order]
    if rows.shape[0] == 0:
        return
    touched, first, counts = np.unique(rows, return_index=True, return_counts=True)
    k = best.shape[1]
    keys = np.full((touched.shape[0], k + counts.max()), np.iinfo(np.int64).max)
    keys[:, :k] = _order_keys(best_scores[touched], best[touched])
    slot = k + np.arange(rows.shape[0]) - np.repeat(first, counts)
    keys[np.repeat(np.arange(touched.shape[0]), counts), slot] = _order_keys(values, cols)
    best_scores[touched], best[touched] = _from_order_keys(np.sort(keys, axis=1)[:, :k])


def _symmetric_neighbours(unit: np.ndarray, k: int, exclude_self: bool, progress: Progress
                          ) -> tuple[np.ndarray, np.ndarray]:
    """Exact top-k of every row of unit (n, d) among all rows, scoring each pair once:
    the tile of row blocks (i, j), j > i, feeds row block i and, transposed, row block j.
    Diagonal tiles seed the running top-k; threads score tiles (BLAS on one thread each)
    against the current k-th scores while this thread merges their candidates,
    MERGE_TILES tiles at a time. ((n, k), (n, k)), best first."""
    from threadpoolctl import threadpool_limits

    n = unit.shape[0]
    best = np.full((n, k), -1, dtype=np.int64)
    best_scores = np.full((n, k), -np.inf, dtype=np.float32)
    blocks = [slice(start, stop) for start, stop in _blocks(n, TILE)]
    pairs = [(a, b) for i, a in enumerate(blocks) for b in blocks[i + 1:]]
    total, step = len(blocks) + len(pairs), max(1, (len(blocks) + len(pairs)) // 1000)
    with threadpool_limits(1), ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        seeds = pool.map(lambda a: _diagonal_top_k(unit, a, k, exclude_self), blocks)
        for done, (a, seed) in enumerate(zip(blocks, seeds), 1):
            kept = seed[0].shape[1]
            best[a, :kept], best_scores[a, :kept] = seed
            _report(progress, done, total, step, n)
        tiles = pool.map(lambda ab: _tile_candidates(unit, best_scores[:, -1], *ab), pairs)
        found = []
        for done, cells in enumerate(tiles, len(blocks) + 1):
            found.append(cells)
            if len(found) == MERGE_TILES or done == total:
                _merge(best, best_scores, found)
                found = []
            _report(progress, done, total, step, n)
    return best, best_scores


def _report(progress: Progress, done: int, total: int, step: int, rows: int) -> None:
    """Calls progress(rows done, rows) every `step` of `total` work items and at the end."""
    if progress and (done % step == 0 or done == total):
        progress(rows * done // total, rows)


def neighbour_graph(table: EmbeddingSet, k: int = 10, restrict: int | None = None,
                    progress: Progress = None) -> NeighbourGraph:
    """The exact k nearest rows by cosine (self excluded) of each of the first `restrict`
    rows, searched among those rows. Cost grows with restrict²: ~restrict²·d/2 multiply-adds."""
    started = time.perf_counter()
    unit, k = _check_graph_input(table, k, restrict)
    indices, scores = exact_neighbours(unit, k, progress=progress)
    return NeighbourGraph(indices, scores, time.perf_counter() - started)


@dataclass(frozen=True)
class Hubness:
    """k-occurrence statistics (Radovanović et al. 2010). occurrence: (rows,) N_k of each row;
    hubs: the rows with the largest N_k, as (key, N_k)."""

    k: int
    rows: int
    skewness: float
    robin_hood: float
    antihub_fraction: float
    max_occurrence: int
    hubs: tuple[tuple[str, int], ...]
    occurrence: np.ndarray = field(repr=False)
    retrieval: str = "cosine"
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return {"k": self.k, "rows": self.rows, "skewness": self.skewness,
                "robin_hood": self.robin_hood, "antihub_fraction": self.antihub_fraction,
                "max_occurrence": self.max_occurrence,
                "hubs": [{"key": key, "occurrence": count} for key, count in self.hubs],
                "retrieval": self.retrieval, "seconds": self.seconds}


def hubness_from_indices(indices: np.ndarray, keys: list[str], top: int = 20) -> Hubness:
    """Hubness of a (n, k) neighbour list: N_k counts how often each row is a neighbour.

    Robin Hood index: the share of all neighbour slots that would have to move for every
    row to be a neighbour exactly k times, Σ|N_k − k| / (2nk).
    """
    from scipy.stats import skew

    n, k = indices.shape
    valid = indices[indices >= 0]
    occurrence = np.bincount(valid, minlength=n)
    hubs = top_k(occurrence.astype(np.float64), min(top, n))
    return Hubness(k, n, float(skew(occurrence)),
                   float(np.abs(occurrence - k).sum() / (2 * n * k)),
                   float((occurrence == 0).mean()), int(occurrence.max()),
                   tuple((keys[i], int(occurrence[i])) for i in hubs), occurrence)


def hubness(table: EmbeddingSet, graph: NeighbourGraph) -> Hubness:
    """Hubness of `table`'s first graph.rows rows under cosine retrieval."""
    found = hubness_from_indices(graph.indices, table.index_to_key)
    return replace(found, seconds=graph.seconds)


# -- CSLS ----------------------------------------------------------------------------
def csls_penalty(graph: NeighbourGraph) -> np.ndarray:
    """r_k of every row: the mean cosine of its k nearest rows (Conneau et al. 2018). (rows,)"""
    return graph.scores.mean(axis=1, dtype=np.float64).astype(np.float32)


def csls_most_similar(table: EmbeddingSet, word: str, penalty: np.ndarray,
                      topn: int = 10) -> list[Neighbour]:
    """Nearest rows of `word` by CSLS = 2·cos(w, y) − r_k(w) − r_k(y), searched among the
    first len(penalty) rows. penalty : (rows,) from csls_penalty, computed once per table."""
    limit = penalty.shape[0]
    i = table.get_index(word)
    if i >= limit:
        raise UnknownWordError(word, f"the first {limit:,} rows of {table.name}", limit, [])
    topn = check_int("topn", topn, 1, limit - 1)
    scores = 2 * (table.unit[:limit] @ table.unit[i]) - penalty[i] - penalty
    scores[i] = -np.inf
    return [Neighbour(table.index_to_key[j], float(scores[j])) for j in top_k(scores, topn)]


def csls_hubness(table: EmbeddingSet, graph: NeighbourGraph, progress: Progress = None) -> Hubness:
    """Hubness when each row's k neighbours are retrieved by CSLS instead of cosine
    (r_k of the query is constant per row, so ranking by cos − r_k(y)/2 is the same)."""
    started = time.perf_counter()
    unit = table.unit[: graph.rows]
    indices, _ = exact_neighbours(unit, graph.k, row_bias=csls_penalty(graph) / 2,
                                  progress=progress)
    found = hubness_from_indices(indices, table.index_to_key)
    return replace(found, retrieval="CSLS", seconds=time.perf_counter() - started + graph.seconds)


def csls_word_pairs(table: EmbeddingSet, penalty: np.ndarray, pairs: str = "wordsim353") -> dict:
    """Word-pair benchmark scored by CSLS instead of cosine, on the first len(penalty) rows:
    the foundation's evaluate_word_pairs picks and scores the pairs (case-insensitive, as
    gensim), then each cosine c becomes 2c − r_k(a) − r_k(b).
    Returns {"pearson", "spearman", "pairs"}."""
    from scipy import stats

    from engine.evaluate import upper_vocabulary, evaluate_word_pairs

    limit = penalty.shape[0]
    scored = evaluate_word_pairs(table, pairs, restrict_vocab=limit).scored
    vocab = upper_vocabulary(table, limit)
    gold = np.array([human for _, _, human, _ in scored])
    csls = np.array([2 * cos - penalty[vocab[a.upper()]] - penalty[vocab[b.upper()]]
                     for a, b, _, cos in scored])
    return {"pearson": float(stats.pearsonr(gold, csls)[0]),
            "spearman": float(stats.spearmanr(gold, csls)[0]), "pairs": len(scored)}


# -- frequency -----------------------------------------------------------------------
@dataclass(frozen=True)
class FrequencyProfile:
    """Vector norm and neighbour quality against frequency rank (row order).

    bins : one dict per log-spaced rank band: from_rank, to_rank, rows, mean_norm,
    neighbour_cosine (mean cosine to its k nearest rows), rare_neighbour_share (share of
    its neighbours in the rarer half of the rows searched), mean_occurrence (mean N_k).
    ranks, norms : (m,) a log-spaced sample of rows for a scatter plot, ranks from 1.
    """

    bins: tuple[dict, ...]
    ranks: np.ndarray = field(repr=False)
    norms: np.ndarray = field(repr=False)
    frequency_ordered: bool = True

    def to_dict(self) -> dict:
        return {"frequency_ordered": self.frequency_ordered, "bins": list(self.bins)}


def frequency_profile(table: EmbeddingSet, graph: NeighbourGraph, bands: int = 10,
                      points: int = 20_000) -> FrequencyProfile:
    """Norm and neighbour statistics of the graph's rows in `bands` log-spaced rank bands."""
    bands = check_int("bands", bands, 1, 100)
    n = graph.rows
    norms = table.norms[:n]
    occurrence = np.bincount(graph.indices[graph.indices >= 0], minlength=n)
    rare = (graph.indices >= n // 2).mean(axis=1)
    edges = np.unique(np.geomspace(1, n + 1, bands + 1).astype(np.int64))
    rows = []
    for low, high in zip(edges[:-1], edges[1:]):
        band = slice(low - 1, high - 1)
        rows.append({"from_rank": int(low), "to_rank": int(high - 1), "rows": int(high - low),
                     "mean_norm": float(norms[band].mean()),
                     "neighbour_cosine": float(graph.scores[band].mean()),
                     "rare_neighbour_share": float(rare[band].mean()),
                     "mean_occurrence": float(occurrence[band].mean())})
    sample = np.unique(np.geomspace(1, n, min(points, n)).astype(np.int64)) - 1
    return FrequencyProfile(tuple(rows), sample + 1, norms[sample], table.frequency_ordered)


# -- fixes: each returns a new EmbeddingSet ---------------------------------------------
def _fit(table: EmbeddingSet, fit_rows: int | None) -> tuple[Moments, str]:
    """Moments of the first fit_rows rows (all by default) and the name suffix saying so."""
    vectors = _rows(table, fit_rows)
    suffix = "" if vectors.shape[0] == len(table) else f", fitted on the first {vectors.shape[0]:,} rows"
    return moments(vectors), suffix


def _derived(table: EmbeddingSet, vectors: np.ndarray, fix: str, what: str) -> EmbeddingSet:
    return EmbeddingSet(np.ascontiguousarray(vectors, dtype=np.float32), table.index_to_key,
                        f"{table.name} · {fix}", table.frequency_ordered,
                        f"{table.name} {what} ({len(table):,} rows × {vectors.shape[1]})")


def _principal_axes(m: Moments) -> tuple[np.ndarray, np.ndarray]:
    """Variances (d,) largest first and the principal axes (d, d) as columns."""
    variances, axes = np.linalg.eigh(m.covariance)
    return variances[::-1], axes[:, ::-1]


def _centred(table: EmbeddingSet, m: Moments) -> np.ndarray:
    return np.asarray(table.vectors, dtype=np.float32) - m.mean.astype(np.float32)


def centre(table: EmbeddingSet, fit_rows: int | None = None) -> EmbeddingSet:
    """Every row minus the mean of the first fit_rows rows (all rows by default)."""
    m, fitted = _fit(table, fit_rows)
    return _derived(table, _centred(table, m), "centred", f"minus its mean row{fitted}")


def default_removed_components(dim: int) -> int:
    """D ≈ d/100, rounded up (Mu & Viswanath 2018)."""
    return max(1, math.ceil(dim / 100))


def all_but_the_top(table: EmbeddingSet, components: int | None = None,
                    fit_rows: int | None = None) -> EmbeddingSet:
    """Centre, then remove the projections on the top `components` principal axes
    (Mu & Viswanath 2018). components: 1 … d−1, default ⌈d/100⌉. Mean and axes come from
    the first fit_rows rows (all by default); every row is transformed."""
    d = table.dim
    if d < 2:
        raise ValueError("all-but-the-top needs at least 2 dimensions")
    components = default_removed_components(d) if components is None else components
    components = check_int("components to remove (D)", components, 1, d - 1)
    m, fitted = _fit(table, fit_rows)
    top = _principal_axes(m)[1][:, :components].astype(np.float32)          # (d, D)
    centred = _centred(table, m)
    centred -= (centred @ top) @ top.T
    return _derived(table, centred, f"all-but-the-top (D={components})",
                    f"centred, top {components} principal component(s) removed{fitted}")


def whiten(table: EmbeddingSet, dims: int | None = None, fit_rows: int | None = None) -> EmbeddingSet:
    """BERT-whitening (Su et al. 2021): (x − μ)·U·Λ^(−1/2), keeping the first `dims`
    principal axes (all by default), so the covariance of the fitted rows becomes the
    identity. μ, U, Λ come from the first fit_rows rows (all by default)."""
    dims = table.dim if dims is None else check_int("whitening dims", dims, 1, table.dim)
    m, fitted = _fit(table, fit_rows)
    variances, axes = _principal_axes(m)
    tiny = variances[:dims] <= variances[0] * 1e-10
    if tiny.any():
        raise ValueError(f"the table has only {int((~tiny).sum())} directions with variance; "
                         f"whitening to {dims} dims would divide by zero — choose fewer dims")
    transform = (axes[:, :dims] / np.sqrt(variances[:dims])).astype(np.float32)
    label = "whitened" if dims == table.dim else f"whitened to {dims} dims"
    return _derived(table, _centred(table, m) @ transform, label,
                    f"whitened (covariance = identity) on {dims} principal axes{fitted}")


# -- before / after ------------------------------------------------------------------
def measures(shape: Anisotropy | None, hub: Hubness) -> dict[str, float]:
    """The geometry numbers of a before/after comparison, by label (no cone rows when
    shape is None: CSLS changes retrieval, not vectors)."""
    cone = {} if shape is None else {
        "Mean cosine": shape.mean_cosine, "‖mean‖ / mean ‖row‖": shape.norm_ratio,
        "I(W)": shape.isotropy, "IsoScore": shape.isoscore,
        "Top component share": float(shape.explained_variance[0])}
    return {**cone, "Hubness skewness": hub.skewness, "Robin Hood index": hub.robin_hood,
            "Anti-hub share": hub.antihub_fraction}


def benchmark_scores(table: EmbeddingSet, pair_rows: int, analogy_rows: int,
                     penalty: np.ndarray | None = None, progress: Progress = None) -> dict:
    """Google analogy accuracy on the first analogy_rows rows and WordSim-353 / SimLex-999
    Spearman on the first pair_rows rows, by the foundation's evaluators; by CSLS when a
    penalty (len pair_rows >= analogy_rows) is given. A benchmark that cannot run on this
    table (no word in common) is None."""
    from engine.evaluate import evaluate_word_analogies, evaluate_word_pairs

    def analogies():
        return evaluate_word_analogies(table, restrict_vocab=analogy_rows, progress=progress,
                                       csls_penalty=penalty).accuracy

    def pairs(name):
        if penalty is not None:
            return csls_word_pairs(table, penalty, name)["spearman"]
        return evaluate_word_pairs(table, name, restrict_vocab=pair_rows).spearman

    scores = {}
    for label, score in [("Analogy accuracy", analogies), ("WordSim-353 Spearman", lambda: pairs("wordsim353")),
                         ("SimLex-999 Spearman", lambda: pairs("simlex999"))]:
        try:
            scores[label] = score()
        except ValueError:       # no question / pair has its words in this table
            scores[label] = None
    return scores
