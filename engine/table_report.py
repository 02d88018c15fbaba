"""What is in a table, and what may be wrong with it: shape, dtype, repeated keys, zero and
non-finite rows, the distribution of row norms, and how norms follow frequency."""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass

import numpy as np

from engine.units import MIB
from engine.vectors import NORM_BLOCK, EmbeddingSet


@dataclass(frozen=True)
class TableReport:
    """Health summary of one table. norm_quantiles: norms at 0, 1, 5, 25, 50, 75, 95, 99, 100 %."""

    name: str
    rows: int
    dim: int
    dtype: str
    mebibytes: float
    duplicate_keys: int          # keys that name more than one row
    duplicate_examples: tuple[str, ...]
    zero_rows: int
    nonfinite_rows: int
    empty_keys: int
    norm_quantiles: tuple[float, ...]
    norm_mean: float

    def to_dict(self) -> dict:
        return asdict(self)


QUANTILES = (0, 1, 5, 25, 50, 75, 95, 99, 100)


def table_report(table: EmbeddingSet) -> TableReport:
    """The TableReport of `table` (blocked passes over the rows; no copy of the matrix, and
    no second dictionary of the keys unless some repeat)."""
    vectors = table.vectors
    finite = np.empty(len(table), dtype=bool)
    for start in range(0, len(table), NORM_BLOCK):          # no (rows, dims) temporary
        finite[start:start + NORM_BLOCK] = np.isfinite(vectors[start:start + NORM_BLOCK]).all(axis=1)
    norms = table.norms
    repeated = []
    if len(table.key_to_index) < len(table):                 # the table's own index, no second dict
        repeated = [key for key, n in Counter(table.index_to_key).items() if n > 1]
    good = norms[finite]
    quantiles = np.percentile(good, QUANTILES) if good.size else np.full(len(QUANTILES), np.nan)
    return TableReport(
        name=table.name, rows=len(table), dim=table.dim, dtype=str(vectors.dtype),
        mebibytes=vectors.nbytes / MIB, duplicate_keys=len(repeated),
        duplicate_examples=tuple(repeated[:5]),
        zero_rows=int(((norms == 0) & finite).sum()), nonfinite_rows=int((~finite).sum()),
        empty_keys=sum(1 for key in table.index_to_key if not key.strip()),
        norm_quantiles=tuple(float(q) for q in quantiles),
        norm_mean=float(good.mean()) if good.size else float("nan"))


@dataclass(frozen=True)
class NormsByFrequency:
    """Row norms against frequency rank in a frequency-ordered table, measured: the mean norm
    of the `frequent` most frequent rows and of the rarer half, and Spearman's ρ of rank
    and norm over every row (negative: frequent words are longer)."""

    name: str
    rows: int
    frequent: int
    frequent_norm: float
    rare_norm: float
    spearman: float

    def sentence(self) -> str:
        """The measurement in one line for people."""
        longer = "longer" if self.frequent_norm > self.rare_norm else "shorter"
        return (f"In {self.name}, the {self.frequent:,} most frequent words have a mean norm of "
                f"{self.frequent_norm:.2f} and the rarer half (ranks {self.rows // 2 + 1:,}–"
                f"{self.rows:,}) {self.rare_norm:.2f}: here frequent words are {longer} "
                f"(Spearman ρ of rank and norm {self.spearman:+.2f}).")


def norms_by_frequency(table: EmbeddingSet, frequent: int = 1_000) -> NormsByFrequency | None:
    """How row norms follow frequency rank, or None when the table is not in frequency order
    (its rows then say nothing about frequency) or has fewer than 20 finite rows."""
    from scipy.stats import spearmanr

    norms = table.norms[np.isfinite(table.norms)]
    if not table.frequency_ordered or norms.size < 20:
        return None
    frequent = max(1, min(frequent, norms.size // 10))
    return NormsByFrequency(table.name, int(norms.size), frequent, float(norms[:frequent].mean()),
                            float(norms[norms.size // 2:].mean()),
                            float(spearmanr(np.arange(norms.size), norms).statistic))
