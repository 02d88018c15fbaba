"""Frequency effects: vector length and neighbour quality against frequency rank."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from engine.errors import check_int
from engine.geometry.neighbours import NeighbourGraph
from engine.vectors import EmbeddingSet


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

