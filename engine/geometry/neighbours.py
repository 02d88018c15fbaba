"""Exact k nearest neighbours by cosine of every row (the graph hubness, CSLS and the
frequency profile are measured on), scoring each pair of rows once."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from engine.errors import check_int
from engine.geometry.rows import Progress, blocks, first_rows
from engine.pool import thread_pool
from engine.vectors import EmbeddingSet

QUERY_BLOCK = 512           # query rows per block of a k-NN search for given queries, at most …
BLOCK_CELLS = 1 << 25       # … this many scores (128 MB of float32) per block
GROUPS = 64                 # column groups for the k-NN lower bound (see _top_k_rows)
TILE = 1024                 # rows per side of a symmetric k-NN score tile (4 MB of float32)
SEGMENT = 64                # … read again in pieces of this many scores (TILE a multiple)
MERGE_TILES = 8             # tiles whose candidates are merged into the top-k at once
EXTRA = 2                   # float32 candidates kept past k, re-ranked in float64
SHORTLIST_ROWS = 20_000     # all-rows searches from this size run on the int16 kernel where
                            # the CPU has it (below, compiling or loading it costs more)


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
    where : the cluster that computed it ("" for this process).
    """

    indices: np.ndarray = field(repr=False)
    scores: np.ndarray = field(repr=False)
    seconds: float
    where: str = ""

    @property
    def rows(self) -> int:
        return self.indices.shape[0]

    @property
    def k(self) -> int:
        return self.indices.shape[1]


def _check_graph_input(table: EmbeddingSet, k: int, restrict: int | None) -> tuple[np.ndarray, int]:
    unit = table.unit[: len(first_rows(table, restrict))]
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
    All rows against all rows (unit rows, |row_bias| ≤ 0.5) is ranked by exact scores, the
    same on every CPU: on the int16 VNNI kernel (engine.geometry.shortlist) for long tables
    where the CPU has it, else in float32 (symmetric tiles without a bias) re-ranked by
    _exact_order.
    """
    if queries is None and _shortlist_fits(unit, row_bias):
        from engine.geometry.shortlist import shortlisted_neighbours

        return shortlisted_neighbours(unit, k, exclude_self, row_bias, progress)
    if queries is None:
        wider = min(k + EXTRA, unit.shape[0] - exclude_self)
        if row_bias is None:
            found = _symmetric_neighbours(unit, wider, exclude_self, progress)
        else:
            found = exact_neighbours(unit, wider, exclude_self, row_bias, progress,
                                     queries=np.arange(unit.shape[0]))
        return _exact_order(unit, *found, k, exclude_self, row_bias)
    queries = np.asarray(queries)
    indices = np.empty((queries.shape[0], k), dtype=np.int64)
    scores = np.empty((queries.shape[0], k), dtype=np.float32)
    block_rows = max(16, min(QUERY_BLOCK, BLOCK_CELLS // unit.shape[0]))
    for start, stop in blocks(queries.shape[0], block_rows):
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


def ranked_rows(unit: np.ndarray, k: int, start: int, stop: int, exclude_self: bool = True,
                row_bias: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Exact top-k of rows start … stop − 1 of unit (n, d) among all rows, ranked as the
    all-rows search ranks them (float32 candidates re-ranked by exact scores): a share of
    the all-rows search for a worker whose CPU has no VNNI. ((m, k) rows, (m, k) scores)."""
    queries = np.arange(start, stop)
    wider = min(k + EXTRA, unit.shape[0] - exclude_self)
    found = exact_neighbours(unit, wider, exclude_self, row_bias, queries=queries)
    return _exact_order(unit, *found, k, exclude_self, row_bias, queries)


def _exact_order(unit: np.ndarray, rows: np.ndarray, scores: np.ndarray, k: int,
                 exclude_self: bool, row_bias: np.ndarray | None,
                 queries: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The top-k of each row of `queries` (default all) by exact scores (float64 sums of
    the float32 rows, minus the bias; equal scores by lower row), from its float32
    top-(k + EXTRA) (q, k') rows and scores, best first. A float32 score of unit rows is
    within float32_error(d) of the exact one, so a row is settled when its last float32
    candidate is further than that below its k-th exact score; the few others (near-ties)
    are scored against every row."""
    n, d = unit.shape
    queries = np.arange(n) if queries is None else queries
    bias = np.zeros(n) if row_bias is None else np.asarray(row_bias, dtype=np.float64)
    wide = np.empty(rows.shape)
    for start, stop in blocks(len(queries), 16_384):
        wide[start:stop] = np.einsum("id,ikd->ik", np.asarray(unit[queries[start:stop]], np.float64),
                                     np.asarray(unit[rows[start:stop]], np.float64))
    wide -= bias[rows]
    order = np.lexsort((rows, -wide), axis=1)[:, :k] if rows.size else rows[:, :k]
    best, best_scores = np.take_along_axis(rows, order, 1), np.take_along_axis(wide, order, 1)
    error = float32_error(d)
    covers_all = rows.shape[1] == n - exclude_self
    unsettled = np.flatnonzero(scores[:, -1] + error >= best_scores[:, -1]) if not covers_all \
        else np.empty(0, np.int64)
    if len(unsettled):
        best[unsettled], best_scores[unsettled] = _exact_rows(unit, queries[unsettled], k,
                                                              exclude_self, bias)
    return best, best_scores.astype(np.float32)


def float32_error(d: int) -> float:
    """A bound on |float32 score − exact score| of two unit rows of d dimensions, twice over:
    a float32 sum of d products errs by at most γ_d·Σ|x_i·y_i| ≤ γ_d·‖x‖·‖y‖ in any order,
    γ_d = d·u / (1 − d·u), u = 2⁻²⁴ (Higham, Accuracy and Stability, 3.1); subtracting a bias
    rounds once more (the result is below 2, so by at most 2⁻²³)."""
    gamma = d * 2.0 ** -24 / (1 - d * 2.0 ** -24)
    return 2 * (1.01 * gamma + 2.0 ** -23)


def _exact_rows(unit: np.ndarray, queries: np.ndarray, k: int, exclude_self: bool,
                bias: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Top-k of the rows `queries` (m,) by float64 scores against every row, equal scores by
    lower row, a few queries at a time (128 MB of scores): ((m, k) rows, (m, k) scores)."""
    n = unit.shape[0]
    best, best_scores = np.empty((len(queries), k), np.int64), np.empty((len(queries), k))
    for start, stop in blocks(len(queries), max(1, (1 << 24) // n)):
        chosen = queries[start:stop]
        wide = np.asarray(unit[chosen], np.float64)
        lines = np.empty((len(chosen), n))
        for first, last in blocks(n):
            lines[:, first:last] = wide @ np.asarray(unit[first:last], np.float64).T
        lines -= bias
        if exclude_self:
            lines[np.arange(len(chosen)), chosen] = -np.inf
        for i, line in enumerate(lines):
            kept = np.flatnonzero(line >= -np.partition(-line, k - 1)[k - 1])
            best[start + i] = kept[np.lexsort((kept, -line[kept]))][:k]
            best_scores[start + i] = line[best[start + i]]
    return best, best_scores


def _shortlist_fits(unit: np.ndarray, row_bias: np.ndarray | None) -> bool:
    """Whether the int16 search takes this all-rows search: a long table of unit rows, a
    bias within ±0.5 (CSLS's), and a CPU with AVX-512 VNNI."""
    if unit.shape[0] < SHORTLIST_ROWS or (row_bias is not None and np.abs(row_bias).max() > 0.5):
        return False
    from engine.geometry.vnni import available

    return available()


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
    row_blocks = [slice(start, stop) for start, stop in blocks(n, TILE)]
    pairs = [(a, b) for i, a in enumerate(row_blocks) for b in row_blocks[i + 1:]]
    total, step = len(row_blocks) + len(pairs), max(1, (len(row_blocks) + len(pairs)) // 1000)
    with threadpool_limits(1), thread_pool() as pool:
        seeds = pool.map(lambda a: _diagonal_top_k(unit, a, k, exclude_self), row_blocks)
        for done, (a, seed) in enumerate(zip(row_blocks, seeds), 1):
            kept = seed[0].shape[1]
            best[a, :kept], best_scores[a, :kept] = seed
            _report(progress, done, total, step, n)
        tiles = pool.map(lambda ab: _tile_candidates(unit, best_scores[:, -1], *ab), pairs)
        found = []
        for done, cells in enumerate(tiles, len(row_blocks) + 1):
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

