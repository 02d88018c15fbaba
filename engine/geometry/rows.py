"""Row blocks shared by the geometry measures: the first N rows of a table, checked, and
the blocks they are read in (statistics accumulate in float64 one block at a time, so a
400,000 × 50 table never needs a float64 copy of itself)."""
from __future__ import annotations

from typing import Callable

import numpy as np

from engine.errors import check_int
from engine.vectors import EmbeddingSet

Progress = Callable[[int, int], None] | None
ROW_BLOCK = 65_536          # rows per block for the float64 statistics


def first_rows(table: EmbeddingSet, restrict: int | None) -> np.ndarray:
    """The first `restrict` rows (all when None), checked against the table size."""
    if len(table) == 0:
        raise ValueError(f"{table.name} has no rows; there is no geometry to measure")
    n = len(table) if restrict is None else check_int("restrict", restrict, 1, len(table))
    return table.vectors[:n]


def blocks(n: int, size: int = ROW_BLOCK):
    for start in range(0, n, size):
        yield start, min(start + size, n)

