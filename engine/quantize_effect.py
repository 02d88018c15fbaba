"""What each way of shrinking a table costs, measured on the table: memory, neighbour
recall@10 against float32 (each probe row's own row left out), search time per query against
float32's in the same run, the largest change of a number, and the word benchmarks
(WordSim-353, SimLex-999, optionally the Google analogies) on the numbers each method keeps."""
from __future__ import annotations

import functools
from dataclasses import asdict, dataclass

import numpy as np

from engine.errors import check_int
from engine.index import exact_search
from engine.quantize import METHODS, TITLES, default_pq_parts, probe_rows, quantize, recall, timed
from engine.truncate import pair_spearman
from engine.vectors import EmbeddingSet

DEFAULT_PROBES = 300


@dataclass(frozen=True)
class QuantizationPoint:
    """One method on one table. ratio: float32 bytes / these bytes. Benchmarks are None when
    the table has none of their words (tokens, ids) or they were not asked for."""

    method: str
    title: str
    bytes: int
    ratio: float
    recall_at_10: float
    ms_per_query: float
    max_error: float
    wordsim353_spearman: float | None
    simlex999_spearman: float | None
    analogy_accuracy: float | None
    engine: str


@dataclass(frozen=True)
class QuantizationEffect:
    table: str
    rows: int
    dim: int
    probes: int
    k: int
    calibration: str
    float32_bytes: int
    float32_ms: float
    float32_scores: tuple[float | None, float | None, float | None]
    points: tuple[QuantizationPoint, ...]

    def to_dict(self) -> dict:
        out = asdict(self)
        out["float32_scores"] = dict(zip(("wordsim353_spearman", "simlex999_spearman", "analogy_accuracy"),
                                         self.float32_scores))
        return out


def _scores(table: EmbeddingSet, analogies: bool, check=None) -> tuple[float | None, float | None, float | None]:
    from engine.evaluate import evaluate_word_analogies

    wordsim, simlex = pair_spearman(table, "wordsim353"), pair_spearman(table, "simlex999")
    accuracy = None
    if analogies and wordsim is not None:
        accuracy = evaluate_word_analogies(table, restrict_vocab=min(30_000, len(table)), progress=check).accuracy
    return wordsim, simlex, accuracy


def calibration_rows(table: EmbeddingSet, calibration: str | int | list[str]) -> tuple[np.ndarray | None, str]:
    """(the unit rows int8-ranges calibrates on, said in words): 'table' (all rows), N (the
    first N rows) or a list of keys."""
    if calibration == "table":
        return None, f"all {len(table):,} rows"
    if isinstance(calibration, int):
        n = check_int("calibration rows", calibration, 2, len(table))
        return table.unit[:n], f"the first {n:,} rows"
    rows = [table.get_index(table.resolve(word)) for word in calibration]
    if len(set(rows)) < 2:
        raise ValueError("calibrate on at least 2 different words")
    return table.unit[sorted(set(rows))], f"{len(set(rows)):,} chosen words"


def quantization_effect(table: EmbeddingSet, methods=METHODS, probes: int = DEFAULT_PROBES, k: int = 10,
                        calibration: str | int | list[str] = "table", pq_parts: int | None = None,
                        benchmarks: bool = True, analogies: bool = False, progress=None) -> QuantizationEffect:
    """Every method of `methods` on `table`'s unit rows (see the module docstring).
    progress(done, total): the reference, then each method (total = 1 + methods), called
    between their parts and at the analogies' blocks; raising from it stops the work there."""
    for method in methods:
        if method not in METHODS:
            raise ValueError(f"unknown method {method!r}; choose from {', '.join(METHODS)}")
    if len(table) < 3:
        raise ValueError(f"{table.name} has {len(table)} rows; measuring recall needs at least 3")
    k = check_int("k", k, 1, len(table) - 2)
    steps = 1 + len(methods)

    def step(done: int, *_) -> None:
        if progress:
            progress(done, steps)

    unit = np.ascontiguousarray(table.unit, dtype=np.float32)
    rows = probe_rows(len(table), probes)
    queries = unit[rows]
    exact, float32_ms = timed(lambda batch, n: exact_search(unit, batch, n).indices, queries, k + 1,
                              functools.partial(step, 0))
    # the analogies' blocks report too, the bar staying at the step: a caller's stop is heard there
    reference = _scores(table, analogies, functools.partial(step, 0)) if benchmarks else (None, None, None)
    calibrated, told = calibration_rows(table, calibration)
    points = []
    for done, method in enumerate(methods, 1):
        check = functools.partial(step, done)
        check()
        shrunk = quantize(unit, method, calibrated, pq_parts)
        found, ms = timed(shrunk.search, queries, k + 1, check)
        decoded = EmbeddingSet(shrunk.decoded, table.index_to_key, f"{table.name}-{method}", table.frequency_ordered)
        scores = _scores(decoded, analogies, check) if benchmarks and reference[0] is not None else (None, None, None)
        title = TITLES[method] + (f", {pq_parts or default_pq_parts(table.dim)} parts" if method == "pq" else "")
        points.append(QuantizationPoint(method, title, shrunk.bytes, unit.nbytes / shrunk.bytes,
                                        recall(found, exact, rows, k), ms,
                                        float(np.abs(shrunk.decoded - unit).max()), *scores, shrunk.engine))
    step(steps)
    return QuantizationEffect(table.name, len(table), table.dim, len(rows), k, told, unit.nbytes, float32_ms,
                              reference, tuple(points))


def summary_sentence(effect: QuantizationEffect, enough: float = 0.95) -> str:
    """The smallest method that keeps at least `enough` of the neighbours, and the smallest of
    all, in one sentence built from the numbers."""
    good = [p for p in effect.points if p.recall_at_10 >= enough]
    smallest = min(effect.points, key=lambda p: p.bytes)
    parts = []
    if good:
        best = min(good, key=lambda p: p.bytes)
        parts.append(f"{best.title} keeps {best.recall_at_10:.1%} of each row's {effect.k} nearest neighbours "
                     f"at {best.ratio:.1f}× less memory")
    else:
        parts.append(f"no method here keeps {enough:.0%} of the {effect.k} nearest neighbours")
    if not good or smallest is not min(good, key=lambda p: p.bytes):
        parts.append(f"{smallest.title}, the smallest ({smallest.ratio:.1f}× less), keeps "
                     f"{smallest.recall_at_10:.1%}")
    return f"On {effect.table}, " + "; ".join(parts) + "."
