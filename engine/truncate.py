"""Matryoshka-style truncation: keep the first m dimensions of every row, re-normalise, and
measure what is lost: neighbour overlap with the full table and benchmark scores.

Cosine ignores a row's length, so re-normalising changes no neighbour or benchmark; it makes
the truncated rows usable with a plain dot product, as Matryoshka models are used. GloVe was
not trained to put the most information first, so expect a real loss (that is the lesson).
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Callable, Sequence

import numpy as np

from engine.errors import check_int
from engine.vectors import EmbeddingSet, unit_rows

Progress = Callable[[int, int], None]


def truncate(table: EmbeddingSet, dims: int) -> EmbeddingSet:
    """A new table: the first `dims` columns of every row, each row scaled to length 1
    (zero rows stay zero). vectors: (V, dims) float32."""
    dims = check_int("dims", dims, 1, table.dim)
    short = unit_rows(np.asarray(table.vectors)[:, :dims])
    result = EmbeddingSet(short, table.index_to_key, f"{table.name}-first{dims}",
                          table.frequency_ordered,
                          f"{table.name}: first {dims} of {table.dim} dimensions, rows re-normalised")
    result.unit = short          # already unit length: no second copy
    return result


def nearest_rows(table: EmbeddingSet, rows: np.ndarray, k: int, restrict: int) -> np.ndarray:
    """(n, k) indices of the k nearest rows (cosine, among the first `restrict`) to each of
    `rows` (n,), the row itself left out; each line best first."""
    unit = table.unit[:restrict]
    found = np.empty((len(rows), k), dtype=np.int64)
    for start in range(0, len(rows), 256):          # 256 × restrict scores at a time
        chunk = rows[start:start + 256]
        scores = table.unit[chunk] @ unit.T
        inside = chunk < restrict
        scores[np.flatnonzero(inside), chunk[inside]] = -np.inf
        part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        order = np.argsort(-np.take_along_axis(scores, part, axis=1), axis=1, kind="stable")
        found[start:start + len(chunk)] = np.take_along_axis(part, order, axis=1)
    return found


def neighbour_overlap(full: EmbeddingSet, short: EmbeddingSet, rows: np.ndarray, k: int = 10,
                      restrict: int = 50_000) -> np.ndarray:
    """(n,) share of each probe row's k nearest neighbours in `full` that are still among its
    k nearest in `short` (same keys, same row order)."""
    restrict = min(check_int("restrict", restrict, k + 1), len(full))
    k = check_int("k", k, 1, restrict - 1)
    before, after = nearest_rows(full, rows, k, restrict), nearest_rows(short, rows, k, restrict)
    return np.array([len(np.intersect1d(a, b)) / k for a, b in zip(before, after)])


@dataclass(frozen=True)
class TruncationPoint:
    """Scores of the table cut to `dims` dimensions. analogy_accuracy is None when not run."""

    dims: int
    neighbour_overlap: float
    wordsim353_spearman: float | None      # None: no pair has both words in the table
    simlex999_spearman: float | None
    analogy_accuracy: float | None
    seconds: float


@dataclass(frozen=True)
class TruncationEffect:
    table: str
    probes: int
    k: int
    restrict: int
    points: tuple[TruncationPoint, ...]
    notes: tuple[str, ...] = ()       # defaults that were cut to fit a small table

    def to_dict(self) -> dict:
        return asdict(self)


def pair_spearman(table: EmbeddingSet, pairs: str) -> float | None:
    from engine.evaluate import evaluate_word_pairs

    try:
        return evaluate_word_pairs(table, pairs).spearman
    except ValueError:          # a table of ids or tokens holds none of the pairs' words
        return None


DEFAULT_PROBES, DEFAULT_K = 500, 10


def default_dims(dim: int) -> list[int]:
    """A ladder of cut points ending at the full width: 50 -> [5, 10, 20, 30, 40, 50]."""
    steps = [round(dim * f) for f in (0.1, 0.2, 0.4, 0.6, 0.8)]
    return sorted({max(1, s) for s in steps} | {dim})


def fitted_defaults(table: EmbeddingSet, probes: int | None, k: int | None
                    ) -> tuple[int, int, tuple[str, ...]]:
    """(probes, k, notes): each one not given is its default (DEFAULT_PROBES, DEFAULT_K),
    cut to what the table holds, with a note saying so."""
    notes = []
    if probes is None:
        probes = min(DEFAULT_PROBES, len(table))
        if probes < DEFAULT_PROBES:
            notes.append(f"{probes:,} probe words, not {DEFAULT_PROBES}: the table has only "
                         f"{len(table):,} rows")
    if k is None:
        k = max(1, min(DEFAULT_K, len(table) - 1))
        if k < DEFAULT_K:
            notes.append(f"{k} neighbours per word, not {DEFAULT_K}: the table has only "
                         f"{len(table) - 1:,} rows besides each word")
    return probes, k, tuple(notes)


def truncation_effect(table: EmbeddingSet, dims: Sequence[int] | None = None, probes: int | None = None,
                      k: int | None = None, restrict: int = 50_000, analogies: bool = False,
                      analogy_restrict: int = 30_000, progress: Progress | None = None) -> TruncationEffect:
    """Neighbour overlap (probe rows 100 … 100 + probes: frequent words past the function
    words) and benchmark scores of the table cut to each of `dims`. probes and k default to
    500 and 10, or fewer on a smaller table (said in the result's notes).

    Word pairs (WordSim-353, SimLex-999) are scored at every cut; the Google analogies,
    slower, only if `analogies` (on the first `analogy_restrict` rows)."""
    from engine.evaluate import evaluate_word_analogies

    dims = sorted({check_int("dims", d, 1, table.dim) for d in (dims or default_dims(table.dim))})
    probes, k, notes = fitted_defaults(table, probes, k)
    probes = check_int("probes", probes, 1, len(table))
    restrict = min(check_int("restrict", restrict, k + 1), len(table))
    start = min(100, len(table) - probes)
    rows = np.arange(start, start + probes)
    points = []
    for done, width in enumerate(dims):
        started = time.perf_counter()
        short = truncate(table, width)
        accuracy = (evaluate_word_analogies(short, restrict_vocab=min(analogy_restrict, len(table))).accuracy
                    if analogies else None)
        points.append(TruncationPoint(
            width, float(neighbour_overlap(table, short, rows, k, restrict).mean()),
            pair_spearman(short, "wordsim353"), pair_spearman(short, "simlex999"), accuracy,
            time.perf_counter() - started))
        if progress:
            progress(done + 1, len(dims))
    return TruncationEffect(table.name, probes, k, restrict, tuple(points), notes)


def describe_effect(effect: TruncationEffect) -> str:
    """What the cuts cost, from the effect's own numbers: the neighbours each cut keeps and
    WordSim-353 ρ at the full width, the smallest cut and its best cut."""
    points = sorted(effect.points, key=lambda p: p.dims)
    full, cuts = points[-1], points[:-1]
    if not cuts:
        return f"{effect.table} is shown at all {full.dims} dimensions only: add a cut point."
    kept = [f"{p.neighbour_overlap:.0%} at {p.dims}" for p in cuts]
    said = (f"Of the {effect.k} nearest neighbours of {effect.probes} frequent words, {effect.table} keeps "
            f"{', '.join(kept)} of {full.dims} dimensions.")
    scored = [p for p in points if p.wordsim353_spearman is not None]
    if len(scored) > 1:
        best = max(scored, key=lambda p: p.wordsim353_spearman)
        said += (f" WordSim-353 ρ: {scored[-1].wordsim353_spearman:.2f} at {scored[-1].dims}, "
                 f"{scored[0].wordsim353_spearman:.2f} at {scored[0].dims}"
                 + (f", highest at {best.dims} ({best.wordsim353_spearman:.2f})." if best is not scored[-1] else "."))
    return said
