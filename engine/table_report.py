"""What is in a table, and what may be wrong with it: shape, dtype, repeated keys, zero and
non-finite rows, and the distribution of row norms."""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass

import numpy as np

from engine.vectors import EmbeddingSet


@dataclass(frozen=True)
class TableReport:
    """Health summary of one table. norm_quantiles: norms at 0, 1, 5, 25, 50, 75, 95, 99, 100 %."""

    name: str
    rows: int
    dim: int
    dtype: str
    megabytes: float
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
    """The TableReport of `table` (one pass over the rows; no copy of the matrix)."""
    vectors = table.vectors
    finite = np.isfinite(vectors).all(axis=1)
    norms = table.norms
    counts = Counter(table.index_to_key)
    repeated = [key for key, n in counts.items() if n > 1]
    good = norms[finite]
    quantiles = np.percentile(good, QUANTILES) if good.size else np.full(len(QUANTILES), np.nan)
    return TableReport(
        name=table.name, rows=len(table), dim=table.dim, dtype=str(vectors.dtype),
        megabytes=vectors.nbytes / 1e6, duplicate_keys=len(repeated),
        duplicate_examples=tuple(repeated[:5]),
        zero_rows=int(((norms == 0) & finite).sum()), nonfinite_rows=int((~finite).sum()),
        empty_keys=sum(1 for key in table.index_to_key if not key.strip()),
        norm_quantiles=tuple(float(q) for q in quantiles),
        norm_mean=float(good.mean()) if good.size else float("nan"))
