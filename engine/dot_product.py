"""What ranking by raw dot product instead of cosine does on a frequency-ordered table: the
dot product adds each row's length to its score, so the words that climb are the long ones.
Measured as the median frequency rank (1 = most frequent; the row number plus one) of a
query word's top n under each score, over many query words.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.errors import check_int
from engine.vectors import EmbeddingSet

BANDS = ((1, 1_000), (1_001, 10_000), (10_001, 50_000))   # frequency ranks of the query words


@dataclass(frozen=True)
class FrequencyShift:
    """For each query row (q,): the median frequency rank of its top n by cosine and by dot
    product (the query itself left out of both)."""

    rows: np.ndarray
    cosine: np.ndarray
    dot: np.ndarray
    topn: int

    @property
    def more_frequent(self) -> float:
        """Share of queries whose top n by dot product has a lower (more frequent) median rank."""
        return float(np.mean(self.dot < self.cosine))

    @property
    def rarer(self) -> float:
        return float(np.mean(self.dot > self.cosine))


def frequency_shift(table: EmbeddingSet, rows, topn: int = 10, block: int = 32) -> FrequencyShift:
    """Top n of each query row by cosine and by dot product over the whole table, `block`
    queries per matrix product ((block, d) @ (d, V)); the median needs the top n as a set,
    so one partition per block finds it (no sort)."""
    if not table.frequency_ordered:
        raise ValueError(f"{table.name} is not in frequency order, so its rows have no frequency rank")
    rows = np.asarray(rows, dtype=np.int64)
    if rows.size == 0 or rows.min() < 0 or rows.max() >= len(table):
        raise ValueError(f"query rows must be between 0 and {len(table) - 1:,}")
    topn = check_int("topn", topn, 1, len(table) - 1)
    vectors, unit = np.asarray(table.vectors), table.unit
    by_cosine, by_dot = [], []
    for start in range(0, len(rows), block):
        chunk = rows[start:start + block]
        for scores, ranks in ((unit[chunk] @ unit.T, by_cosine), (vectors[chunk] @ vectors.T, by_dot)):
            scores[np.arange(len(chunk)), chunk] = -np.inf                         # (b, V)
            best = np.argpartition(scores, scores.shape[1] - topn, axis=1)[:, -topn:]  # the set, unsorted
            ranks.extend(np.median(best, axis=1) + 1)
    return FrequencyShift(rows, np.array(by_cosine), np.array(by_dot), topn)


def frequency_bands(table: EmbeddingSet, per_band: int = 100, topn: int = 10, seed: int = 0,
                    bands=BANDS) -> dict[tuple[int, int], FrequencyShift]:
    """frequency_shift of `per_band` query words drawn at random (fixed seed) from each band
    of frequency ranks (first, last), cut at the table's size."""
    per_band = check_int("query words per band", per_band, 1, 10_000)
    generator = np.random.default_rng(seed)
    found = {}
    for first, last in bands:
        last = min(last, len(table))
        if first <= last:
            rows = generator.choice(np.arange(first - 1, last), min(per_band, last - first + 1), replace=False)
            found[(first, last)] = frequency_shift(table, np.sort(rows), topn)
    return found


def describe_word(word: str, shift: FrequencyShift) -> str:
    """One query word's shift, from its two medians."""
    cosine, dot = float(shift.cosine[0]), float(shift.dot[0])
    way = ("more frequent" if dot < cosine else "rarer" if dot > cosine else "equally frequent")
    return (f"For “{word}” (frequency rank {shift.rows[0] + 1:,}), the top {shift.topn} by cosine have a median "
            f"frequency rank of {cosine:,.0f}, by dot product {dot:,.0f}: dot product lists {way} words.")


def describe_bands(bands: dict[tuple[int, int], FrequencyShift]) -> str:
    """What changes, band by band of query words, from the medians over each band."""
    parts = []
    for (first, last), shift in bands.items():
        cosine, dot = float(np.median(shift.cosine)), float(np.median(shift.dot))
        way, share = ("more frequent", shift.more_frequent) if dot < cosine else ("rarer", shift.rarer)
        parts.append(f"for query words of rank {first:,}–{last:,}, {dot:,.0f} by dot product against "
                     f"{cosine:,.0f} by cosine ({way} for {share:.0%} of the {len(shift.rows)} words)")
    topn = next(iter(bands.values())).topn
    return (f"Median frequency rank of the top {topn}: " + "; ".join(parts) + ". Dot product adds each "
            "row's length to its score, so whichever words have the longest rows near the query climb.")
