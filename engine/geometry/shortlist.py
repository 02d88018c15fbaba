"""Exact k nearest neighbours of every row among all rows, shortlisted by int16 products.

Each unit row u is rounded to q = round(SCALE·u) (int16, one scale for the whole table,
so q·q' is an exact integer and comparable across rows). Every pair of rows is multiplied
once, in int16 on the AVX-512 VNNI kernel (engine.geometry.vnni), and only a product that
may change a row's top-k is scored again, exactly (float64 sum of the float32 rows), and
merged. A product is dismissed with one integer comparison per side, in registers:

    q_x·q_y − bias'_y ≥ bound_x,   bound_x = ⌊SCALE²·(kth_x − margin_x)⌋ − 1

where kth_x is the k-th best exact score found so far for row x. Why no true neighbour is
lost: with ũ = q/SCALE, e_x = ‖ũ_x − u_x‖ (computed per row in float64) and
ũ_x·ũ_y − u_x·u_y = (ũ_x − u_x)·ũ_y + u_x·(ũ_y − u_y), Cauchy–Schwarz gives

    |q_x·q_y / SCALE² − u_x·u_y| ≤ e_x·‖ũ_y‖ + ‖u_x‖·e_y ≤ e_x·(N + E) + ‖u_x‖·E = margin_x

(N, E the largest row norm and rounding error of the table; plus 1e-12 for the float64
sums). So a row whose exact score reaches kth_x always has q_x·q_y ≥ bound_x + bias'_y: the
test can only let too many through, never too few. The int16 products are exact (no
rounding in the sums: |q_x·q_y| ≤ (SCALE + √d)² < 2³¹). On GloVe, margin_x is about 1e-4.
Ties are kept exactly: equal exact scores go to the lower row number, as the float32 path.

Blocks of BLOCK rows are paired in rounds where no two tiles share a block (the circle
method of a round-robin tournament), so each thread owns its rows while it merges.
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
from numba import njit

from engine.geometry.rows import Progress, blocks
from engine.geometry.vnni import PANELS, ROWS, available, micro_kernel

SCALE = 32_767                 # int16 of a unit row's components (|u_i| ≤ 1)
BLOCK = 768                    # rows per block (a multiple of ROWS and of 16·PANELS)
WIDTH = 16 * PANELS            # columns per micro-kernel
ORDERED_ROWS = 50_000          # from this size the rows are searched in similar_first order
SLACK = 1e-12                  # float64 sums of ≤ 4,096 products of floats ≤ 1 err far less
INT_MIN, INT_MAX = np.iinfo(np.int32).min, np.iinfo(np.int32).max

__all__ = ["Int16Table", "available", "int16_table", "shortlisted_neighbours"]


def _quantized(unit: np.ndarray, padded: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(padded, s) int32 rows of int16 pairs, the same as (padded/16, s, 16) column panels,
    and (n,) float64 margins (see the module's docstring). Zero rows pad the table."""
    n, d = unit.shape
    steps = (d + 1) // 2
    q = np.zeros((padded, 2 * steps), dtype=np.int16)
    error, length = np.empty(n), np.empty(n)
    for start, stop in blocks(n):
        exact = np.asarray(unit[start:stop], dtype=np.float64)
        rounded = np.rint(exact * SCALE)
        if np.abs(rounded).max(initial=0) > SCALE:
            raise ValueError("the int16 search needs unit rows (no component beyond ±1)")
        q[start:stop, :d] = rounded
        error[start:stop] = np.linalg.norm(rounded / SCALE - exact, axis=1)
        length[start:stop] = np.linalg.norm(exact, axis=1)
    margin = error * (length.max() + error.max()) + length * error.max() + SLACK
    rows = q.view(np.int32)                                               # (padded, steps)
    panels = np.ascontiguousarray(rows.reshape(padded // 16, 16, steps).transpose(0, 2, 1))
    return rows, panels, margin


def _rounds(count: int) -> list[np.ndarray]:
    """Every pair of distinct blocks 0 … count−1 once, as (m, 2) arrays of rounds in which
    no block appears twice: the circle method (block `count` is a bye when count is odd)."""
    players = count + count % 2
    rounds = []
    for r in range(players - 1):
        pairs = [(r, players - 1)] + [((r + i) % (players - 1), (r - i) % (players - 1))
                                       for i in range(1, players // 2)]
        kept = [sorted(p) for p in pairs if count not in p]
        if kept:
            rounds.append(np.array(kept, dtype=np.int64))
    return rounds


@njit(nogil=True, cache=True)
def _integer_bound(kth: float, margin: float) -> np.int32:
    """⌊SCALE²·(kth − margin)⌋ − 1 within int32 (INT_MIN while the top-k is not full)."""
    if kth == -np.inf:
        return np.int32(INT_MIN)
    value = np.floor(float(SCALE) * SCALE * (kth - margin)) - 1.0
    return np.int32(min(max(value, float(INT_MIN)), float(INT_MAX)))


@njit(nogil=True, cache=True)
def _offer(x, y, unit, bias, margin, bound, best_scores, best_rows, first, labels):
    """Scores row y for row x exactly (float64 sum of float32 products, minus bias[y]) and
    merges labels[y] (y's row number in the caller's table) into x's top-k, line x − first
    of best_* (best first, equal scores by lower row number), raising bound[x]."""
    score = 0.0
    for i in range(unit.shape[1]):
        score += np.float64(unit[x, i]) * np.float64(unit[y, i])
    score -= bias[y]
    label, line, k = labels[y], x - first, best_rows.shape[1]
    if score < best_scores[line, k - 1] or (score == best_scores[line, k - 1]
                                            and label > best_rows[line, k - 1]):
        return
    j = k - 1
    while j > 0 and (best_scores[line, j - 1] < score
                     or (best_scores[line, j - 1] == score and best_rows[line, j - 1] > label)):
        best_scores[line, j], best_rows[line, j] = best_scores[line, j - 1], best_rows[line, j - 1]
        j -= 1
    best_scores[line, j], best_rows[line, j] = score, label
    bound[x] = _integer_bound(best_scores[line, k - 1], margin[x])


@njit(nogil=True, cache=True)
def _lowest_bit(bits) -> int:
    """Position of the lowest set bit of a non-zero 16-bit mask."""
    position = 0
    while not bits & 1:
        bits >>= 1
        position += 1
    return position


@njit(nogil=True, cache=True)
def _tiles(pairs, rows, panels, unit, bias, integer_bias, margin, bound, best_scores, best_rows,
           exclude_self, both_sides, first, labels):
    """Every tile (a, b) of `pairs` (m, 2) block numbers: products of blocks a and b, each
    cell that reaches a bound offered to its row (and, off the diagonal with both_sides,
    to its column); best_* hold rows first, first + 1, …"""
    n = unit.shape[0]
    out = np.empty((ROWS, WIDTH), dtype=np.int32)
    hits = np.empty((ROWS, PANELS), dtype=np.int32)
    for p in range(pairs.shape[0]):
        a, b = pairs[p, 0], pairs[p, 1]
        diagonal = a == b
        for column in range(b * BLOCK, (b + 1) * BLOCK, WIDTH):
            for row in range(a * BLOCK, (a + 1) * BLOCK, ROWS):
                if not micro_kernel(rows, row, panels, column // 16, bound, integer_bias, out, hits):
                    continue
                for r in range(ROWS):
                    for c in range(PANELS):
                        bits = hits[r, c]
                        while bits:
                            j = 16 * c + _lowest_bit(bits)
                            bits &= bits - 1
                            x, y = row + r, column + j
                            if x >= n or y >= n:
                                continue
                            product = out[r, j]
                            if product - integer_bias[y] >= bound[x] and not (exclude_self and x == y):
                                _offer(x, y, unit, bias, margin, bound, best_scores, best_rows, first,
                                       labels)
                            if both_sides and not diagonal and product - integer_bias[x] >= bound[y]:
                                _offer(y, x, unit, bias, margin, bound, best_scores, best_rows, first,
                                       labels)


@dataclass(frozen=True)
class Int16Table:
    """A table's unit rows (n, d) float32, in the order `labels` (n,) gives (labels[i]: the
    caller's row number of row i), and their int16 forms for the kernel (see _quantized),
    zero rows padding them to `padded`, a multiple of BLOCK."""

    unit: np.ndarray = field(repr=False)
    words: np.ndarray = field(repr=False)
    panels: np.ndarray = field(repr=False)
    margin: np.ndarray = field(repr=False)
    labels: np.ndarray = field(repr=False)

    @property
    def padded(self) -> int:
        return self.words.shape[0]


def int16_table(unit: np.ndarray, order: np.ndarray | None = None) -> Int16Table:
    """The int16 forms of unit rows (n, d), taken in `order` (n,) (default: as they are):
    made once, searched by any number of row ranges of that order."""
    padded = -(-unit.shape[0] // BLOCK) * BLOCK
    labels = np.arange(unit.shape[0]) if order is None else np.asarray(order, dtype=np.int64)
    rows = np.ascontiguousarray(unit if order is None else unit[labels], dtype=np.float32)
    return Int16Table(rows, *_quantized(rows, padded), labels)


def similar_first(unit: np.ndarray, seed: int = 0) -> np.ndarray:
    """(n,) an order of the rows in which similar rows are near each other: by spherical
    k-means cell, one cell per BLOCK rows (faiss, a few iterations on a sample). It changes
    no result, only how soon each row's bound rises: a block's own tile then seeds every
    row with close neighbours, and later tiles are dismissed more often (at 100,000 GloVe
    rows, 9.6 products per row passed a bound after the seeds instead of 34)."""
    import faiss

    faiss.omp_set_num_threads(1)
    unit = np.ascontiguousarray(unit, dtype=np.float32)
    cells = faiss.Kmeans(unit.shape[1], max(1, unit.shape[0] // BLOCK), niter=8, seed=seed,
                         spherical=True, max_points_per_centroid=64)
    cells.train(unit)
    _, cell = cells.index.search(unit, 1)
    return np.argsort(cell.ravel(), kind="stable")


def shortlisted_neighbours(unit: np.ndarray | Int16Table, k: int, exclude_self: bool = True,
                           row_bias: np.ndarray | None = None, progress: Progress = None,
                           threads: int | None = None, rows: tuple[int, int] | None = None
                           ) -> tuple[np.ndarray, np.ndarray]:
    """Exact top-k of every row of unit (n, d) among all rows by unit[x]·unit[y] − row_bias[y]
    (row_bias (n,) with |values| ≤ 0.5, e.g. CSLS's r_k/2, or None), best first, equal
    scores by lower row: ((n, k) int64 rows, (n, k) float32 scores). Needs available().

    rows : (start, stop) to search only those rows (against all rows): a worker's share of
        the table; each pair is then scored from one side only, so the whole table costs
        twice the symmetric search.
    """
    table = unit
    if not isinstance(table, Int16Table):
        ordered = rows is None and len(unit) >= ORDERED_ROWS
        table = int16_table(unit, similar_first(unit) if ordered else None)
    n, padded = table.unit.shape[0], table.padded
    start, stop = rows if rows is not None else (0, n)
    bias = np.zeros(padded)
    if row_bias is not None:
        bias[:n] = np.asarray(row_bias)[table.labels]
        if np.abs(bias).max() > 0.5:
            raise ValueError("the int16 search takes row biases within ±0.5 (CSLS's r_k/2)")
    integer_bias = np.floor(float(SCALE) ** 2 * bias).astype(np.int32)
    bound = np.full(padded, INT_MAX, dtype=np.int32)
    bound[start:stop] = INT_MIN
    best_scores = np.full((stop - start, k), -np.inf)
    best_rows = np.full((stop - start, k), -1, dtype=np.int64)
    threads = threads or len(os.sched_getaffinity(0))

    def run(pairs: np.ndarray) -> None:
        _tiles(pairs, table.words, table.panels, table.unit, bias, integer_bias, table.margin,
               bound, best_scores, best_rows, exclude_self, rows is None, start, table.labels)

    with ThreadPoolExecutor(threads) as pool:
        schedule = _schedule(padded // BLOCK, rows and (start // BLOCK, -(-stop // BLOCK)), threads)
        for done, parts in enumerate(schedule, 1):
            list(pool.map(run, parts))
            if progress:
                progress((stop - start) * done // len(schedule), stop - start)
    if rows is None:
        best_rows[table.labels], best_scores[table.labels] = best_rows.copy(), best_scores.copy()
    return best_rows, best_scores.astype(np.float32)


def _schedule(count: int, own: tuple[int, int] | None, threads: int) -> list[list[np.ndarray]]:
    """Steps of tiles, each split into at most `threads` parts that share no row a thread
    writes: every pair of the `count` blocks in rounds (own None: both sides of each tile
    are merged), or each of the blocks own[0] … own[1] − 1 against every block, its
    diagonal first (only its own rows are merged)."""
    if own is None:
        steps = [np.repeat(np.arange(count), 2).reshape(-1, 2)] + _rounds(count)
        return [np.array_split(pairs, min(threads, len(pairs))) for pairs in steps]
    mine = np.arange(*own)
    lines = [np.array([(a, a)] + [(a, b) for b in range(count) if b != a]) for a in mine]
    return [[np.concatenate(part) for part in np.array_split(lines, min(threads, len(lines)))]]
