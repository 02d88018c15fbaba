"""One health report for any table (tokens or words): under-trained rows, norms against
frequency or id, anisotropy, hubness with its worst hubs and anti-hubs, near-duplicate rows;
each finding says what was measured, what it means and what to do about it.

Under-trained rows and norms use every row; anisotropy, hubness and near-duplicates a stated
sample (the first rows of a frequency-ordered table, else seeded random rows), since exact
k-NN costs rows².
"""
from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field

import numpy as np

from engine.errors import check_int
from engine.geometry import Anisotropy, Hubness, anisotropy, hubness, neighbour_graph
from engine.undertrained import UnderTrained, under_trained
from engine.vectors import EmbeddingSet

PAD_TOKENS = ("[PAD]", "<pad>", "<|pad|>", "<|padding|>", "[pad]")
DEFAULT_SAMPLE = 20_000
NEAR_DUPLICATE = 0.99          # cosine at which two rows count as near-duplicates
NORM_BANDS = 20


@dataclass(frozen=True)
class Finding:
    """One part of the report: what was measured (built from the numbers), what it means,
    what to do. `flag`: whether it calls for action on this table."""

    title: str
    measured: str
    meaning: str
    action: str
    flag: bool

    def to_dict(self) -> dict:
        return {"title": self.title, "measured": self.measured, "meaning": self.meaning,
                "action": self.action, "flag": self.flag}


@dataclass(frozen=True)
class NormTrend:
    """Row norms against frequency rank (frequency-ordered tables) or id. bands: NORM_BANDS
    equal runs of rows with their mean norm; spearman: ρ of position and norm."""

    by: str                       # 'frequency rank' or 'id'
    spearman: float
    band_starts: np.ndarray = field(repr=False)
    band_norms: np.ndarray = field(repr=False)


@dataclass(frozen=True)
class HealthReport:
    table: str
    rows: int
    dim: int
    sample: int                   # rows in the anisotropy / hubness / near-duplicate sample
    sample_how: str
    under: UnderTrained = field(repr=False)
    norms: NormTrend = field(repr=False)
    anisotropy: Anisotropy = field(repr=False)
    hubness: Hubness = field(repr=False)
    antihubs: tuple[str, ...]
    near_duplicates: tuple[tuple[str, str, float], ...]
    near_duplicate_rows: int
    findings: tuple[Finding, ...]
    seconds: float

    def to_dict(self, n: int = 50) -> dict:
        return {"table": self.table, "rows": self.rows, "dim": self.dim, "sample": self.sample,
                "sample_how": self.sample_how, **self.under.to_dict(n),
                "norms": {"by": self.norms.by, "spearman": self.norms.spearman},
                "anisotropy": self.anisotropy.to_dict(), "hubness": self.hubness.to_dict(),
                "antihubs": list(self.antihubs), "near_duplicate_rows": self.near_duplicate_rows,
                "near_duplicates": [{"a": a, "b": b, "cosine": c} for a, b, c in self.near_duplicates],
                "findings": [f.to_dict() for f in self.findings], "seconds": self.seconds}


def padding_row(table: EmbeddingSet, configured: int | None = None) -> int | None:
    """The padding row: the config's pad_token_id, else a row whose key is a pad token."""
    if configured is not None:
        return configured
    return next((table.key_to_index[key] for key in PAD_TOKENS if key in table.key_to_index), None)


def sample_rows(table: EmbeddingSet, sample: int, seed: int = 0) -> tuple[np.ndarray, str]:
    """(sorted rows, how they were chosen): the first `sample` of a frequency-ordered table
    (its frequent words), else `sample` seeded random rows (an id order says nothing)."""
    n = min(sample, len(table))
    if n == len(table):
        return np.arange(n), f"all {n:,} rows"
    if table.frequency_ordered:
        return np.arange(n), f"the {n:,} most frequent rows"
    return np.sort(np.random.default_rng(seed).choice(len(table), n, replace=False)), \
        f"{n:,} random rows (seed {seed})"


def norm_trend(table: EmbeddingSet) -> NormTrend:
    from scipy.stats import spearmanr

    norms = table.norms.astype(np.float64)
    edges = np.linspace(0, len(norms), min(NORM_BANDS, len(norms)) + 1).astype(np.int64)
    bands = np.array([norms[a:b].mean() for a, b in zip(edges[:-1], edges[1:])])
    rho = float(spearmanr(np.arange(len(norms)), norms).statistic)
    return NormTrend("frequency rank" if table.frequency_ordered else "id", rho, edges[:-1], bands)


def _sub_table(table: EmbeddingSet, rows: np.ndarray) -> EmbeddingSet:
    keys = [table.index_to_key[i] for i in rows]
    sub = EmbeddingSet(np.asarray(table.vectors[rows]), keys, table.name, table.frequency_ordered)
    return sub


def _near_duplicates(sub: EmbeddingSet, graph) -> tuple[int, tuple[tuple[str, str, float], ...]]:
    close = np.flatnonzero(graph.scores[:, 0] >= NEAR_DUPLICATE)
    pairs, seen = [], set()
    for i in close[np.argsort(-graph.scores[close, 0], kind="stable")]:
        j = int(graph.indices[i, 0])
        if (j, i) not in seen:
            seen.add((i, j))
            pairs.append((sub.index_to_key[i], sub.index_to_key[j], float(graph.scores[i, 0])))
    return len(close), tuple(pairs[:20])


def _share(count: int, total: int) -> str:
    return f"{count:,} of {total:,} rows ({count / total:.1%})"


def under_trained_finding(under: UnderTrained) -> Finding:
    rows = len(under.score)
    meaning = ("Rows whose tokens (almost) never appeared in training got (almost) no gradient: "
               "they stay short and huddle around one direction. A model that meets such a token "
               "behaves unpredictably (GPT-2's “ SolidGoldMagikarp”).")
    action = ("Keep these tokens out of prompts and out of evaluation; when you fine-tune, remove "
              "the ones the tokenizer never produces or set their rows to the mean of trained rows; "
              "a row never produced by the tokenizer cannot be fixed by more data.")
    if under.cluster:
        statuses = under.status_counts(under.order()[:under.cluster])
        told = ("; by the tokenizer: " + ", ".join(f"{n:,} {s}" for s, n in statuses.items())) if statuses else ""
        measured = (f"{_share(under.cluster, rows)} stand apart as an under-trained cluster (score ≥ "
                    f"{under.threshold:.2f}, the valley of the histogram){told}.")
        return Finding("Under-trained rows", measured, meaning, action, True)
    measured = (f"No cluster stands apart: the score has a single mode over {rows:,} rows. The top "
                "of the ranked list (often the rarest keys) is still where to look first.")
    return Finding("Under-trained rows", measured, meaning, action, False)


def norm_finding(trend: NormTrend, frequency_ordered: bool) -> Finding:
    first, last = trend.band_norms[0], trend.band_norms[-1]
    direction = "longer" if first > last else "shorter"
    if frequency_ordered:
        measured = (f"The most frequent twentieth of the rows has a mean norm of {first:.2f}, the rarest "
                    f"{last:.2f}: frequent words are {direction} (Spearman ρ of rank and norm "
                    f"{trend.spearman:+.2f}).")
    else:
        measured = (f"The first twentieth of the ids has a mean norm of {first:.2f}, the last {last:.2f} "
                    f"(Spearman ρ of id and norm {trend.spearman:+.2f}). In a BPE vocabulary ids follow "
                    "the merge order, roughly frequency; in WordPiece and SentencePiece they need not.")
    return Finding(f"Norms against {trend.by}", measured,
                   "A row's length follows how much its key was trained more than what it means: cosine "
                   "ignores it, a raw dot product does not, so long rows win dot-product searches.",
                   "Compare rows by cosine (or scale rows to length 1) unless the length is meant to count.",
                   abs(trend.spearman) >= 0.3)


def anisotropy_finding(shape: Anisotropy) -> Finding:
    measured = (f"Mean cosine between rows {shape.mean_cosine:.3f} (0 for directions spread evenly); "
                f"the leading principal component holds {shape.explained_variance[0]:.1%} of the variance; "
                f"IsoScore {shape.isoscore:.2f} (1: every direction used equally).")
    return Finding("Anisotropy (the narrow cone)", measured,
                   "Rows share a common direction, so every cosine is inflated and small differences "
                   "decide the neighbours.",
                   "Centre the table (subtract the mean row) or remove its top components "
                   "(all-but-the-top) on the Geometry page; compare neighbours before and after.",
                   shape.mean_cosine >= 0.1)


def hubness_finding(hubs: Hubness, antihubs: tuple[str, ...]) -> Finding:
    worst = ", ".join(f"{key} ({count})" for key, count in hubs.hubs[:5])
    measured = (f"k = {hubs.k}: skewness of the k-occurrence {hubs.skewness:.2f}; worst hubs {worst}; "
                f"{hubs.antihub_fraction:.1%} of the rows are anti-hubs, nobody's neighbour"
                + (f" (e.g. {', '.join(antihubs[:5])})" if antihubs else "") + ".")
    return Finding("Hubness", measured,
                   "A few rows are everyone's neighbour and crowd every result list, while anti-hubs "
                   "are never retrieved at all.",
                   "Retrieve with CSLS or on a centred table (Geometry page); look at the worst hubs: "
                   "they are often junk or under-trained rows.", hubs.skewness >= 1.0)


def duplicate_finding(under: UnderTrained, close_rows: int, pairs, sample: int) -> Finding:
    shown = ", ".join(f"{a} ≈ {b} ({c:.3f})" for a, b, c in pairs[:5])
    measured = (f"{under.duplicates:,} rows repeat an earlier row exactly; in the sample, "
                f"{_share(close_rows, sample)} have a neighbour at cosine ≥ {NEAR_DUPLICATE}"
                + (f": {shown}" if shown else "") + ".")
    return Finding("Near-duplicate rows", measured,
                   "Two keys with (nearly) one row carry the same information: repeated keys, spelling "
                   "variants, or rows that never moved from a shared initialisation.",
                   "Deduplicate the keys or merge their rows; exact copies of one another usually "
                   "mean rows that were never trained.", under.duplicates > 0 or close_rows > 0)


def health_report(table: EmbeddingSet, output: EmbeddingSet | None = None, status: np.ndarray | None = None,
                  init_std: float | None = None, pad: int | None = None, sample: int = DEFAULT_SAMPLE,
                  k: int = 10, progress=None) -> HealthReport:
    """The HealthReport of `table` (see the module docstring). output, status, init_std and
    pad as for engine.undertrained.under_trained; progress(done, total) over the steps, called
    at every block of the long ones too (raising from it stops the report there)."""
    started = time.perf_counter()
    sample = check_int("sample", sample, 3, 200_000)
    steps = 4

    def step(done: int, *_) -> None:
        if progress:
            progress(done, steps)

    under = under_trained(table, output, status, init_std, padding_row(table, pad))
    step(1)
    trend = norm_trend(table)
    rows, how = sample_rows(table, sample)
    rows = rows[table.norms[rows] > 0]                   # a zero row has no direction
    sub = _sub_table(table, rows)
    # the bar stays at the step while its blocks report: a caller's stop is heard at each block
    shape = anisotropy(sub, progress=functools.partial(step, 1))
    step(2)
    graph = neighbour_graph(sub, k=min(k, len(sub) - 1), progress=functools.partial(step, 2))
    hubs = hubness(sub, graph)
    antihubs = tuple(sub.index_to_key[i] for i in np.flatnonzero(hubs.occurrence == 0)[:20])
    step(3)
    close_rows, pairs = _near_duplicates(sub, graph)
    findings = (under_trained_finding(under), norm_finding(trend, table.frequency_ordered),
                anisotropy_finding(shape), hubness_finding(hubs, antihubs),
                duplicate_finding(under, close_rows, pairs, len(sub)))
    step(4)
    return HealthReport(table.name, len(table), table.dim, len(sub), how, under, trend, shape, hubs, antihubs,
                        pairs, close_rows, findings, time.perf_counter() - started)
