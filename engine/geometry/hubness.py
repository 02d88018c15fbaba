"""Hubness (Radovanović et al. 2010; Robin Hood index, Feldbauer et al. 2018) and CSLS
retrieval against it (Conneau et al. 2018)."""
from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import numpy as np

from engine.errors import UnknownWordError, check_int
from engine.geometry.neighbours import NeighbourGraph, exact_neighbours
from engine.geometry.rows import Progress
from engine.vectors import EmbeddingSet, Neighbour, top_k


@dataclass(frozen=True)
class Hubness:
    """k-occurrence statistics (Radovanović et al. 2010). occurrence: (rows,) N_k of each row;
    hubs: the rows with the largest N_k, as (key, N_k)."""

    k: int
    rows: int
    skewness: float
    robin_hood: float
    antihub_fraction: float
    max_occurrence: int
    hubs: tuple[tuple[str, int], ...]
    occurrence: np.ndarray = field(repr=False)
    retrieval: str = "cosine"
    seconds: float = 0.0

    def describe(self) -> str:
        """The largest hub against the average k-occurrence (k), and the antihubs."""
        key, count = self.hubs[0]
        return (f"Each row is among the {self.k} nearest of {self.k} rows on average, but “{key}” is among the "
                f"{self.k} nearest of {count:,} rows ({count / self.k:,.0f}× as many), while "
                f"{self.antihub_fraction:.1%} of the {self.rows:,} rows are nobody's neighbour "
                f"(skewness {self.skewness:.2f}).")

    def to_dict(self) -> dict:
        return {"k": self.k, "rows": self.rows, "skewness": self.skewness,
                "robin_hood": self.robin_hood, "antihub_fraction": self.antihub_fraction,
                "max_occurrence": self.max_occurrence,
                "hubs": [{"key": key, "occurrence": count} for key, count in self.hubs],
                "retrieval": self.retrieval, "seconds": self.seconds}


def hubness_from_indices(indices: np.ndarray, keys: list[str], top: int = 20) -> Hubness:
    """Hubness of a (n, k) neighbour list: N_k counts how often each row is a neighbour.

    Robin Hood index: the share of all neighbour slots that would have to move for every
    row to be a neighbour exactly k times, Σ|N_k − k| / (2nk).
    """
    from scipy.stats import skew

    n, k = indices.shape
    valid = indices[indices >= 0]
    occurrence = np.bincount(valid, minlength=n)
    hubs = top_k(occurrence.astype(np.float64), min(top, n))
    return Hubness(k, n, float(skew(occurrence)),
                   float(np.abs(occurrence - k).sum() / (2 * n * k)),
                   float((occurrence == 0).mean()), int(occurrence.max()),
                   tuple((keys[i], int(occurrence[i])) for i in hubs), occurrence)


def hubness(table: EmbeddingSet, graph: NeighbourGraph) -> Hubness:
    """Hubness of `table`'s first graph.rows rows under cosine retrieval."""
    found = hubness_from_indices(graph.indices, table.index_to_key)
    return replace(found, seconds=graph.seconds)



def csls_penalty(graph: NeighbourGraph) -> np.ndarray:
    """r_k of every row: the mean cosine of its k nearest rows (Conneau et al. 2018). (rows,)"""
    return graph.scores.mean(axis=1, dtype=np.float64).astype(np.float32)


def csls_most_similar(table: EmbeddingSet, word: str, penalty: np.ndarray,
                      topn: int = 10) -> list[Neighbour]:
    """Nearest rows of `word` by CSLS = 2·cos(w, y) − r_k(w) − r_k(y), searched among the
    first len(penalty) rows. penalty : (rows,) from csls_penalty, computed once per table."""
    limit = penalty.shape[0]
    i = table.get_index(word)
    if i >= limit:
        raise UnknownWordError(word, f"the first {limit:,} rows of {table.name}", limit, [])
    topn = check_int("topn", topn, 1, limit - 1)
    scores = 2 * (table.unit[:limit] @ table.unit[i]) - penalty[i] - penalty
    scores[i] = -np.inf
    return [Neighbour(table.index_to_key[j], float(scores[j])) for j in top_k(scores, topn)]


def csls_hubness(table: EmbeddingSet, graph: NeighbourGraph, progress: Progress = None) -> Hubness:
    """Hubness when each row's k neighbours are retrieved by CSLS instead of cosine
    (r_k of the query is constant per row, so ranking by cos − r_k(y)/2 is the same)."""
    started = time.perf_counter()
    unit = table.unit[: graph.rows]
    indices, _ = exact_neighbours(unit, graph.k, row_bias=csls_penalty(graph) / 2,
                                  progress=progress)
    found = hubness_from_indices(indices, table.index_to_key)
    return replace(found, retrieval="CSLS", seconds=time.perf_counter() - started + graph.seconds)


def csls_word_pairs(table: EmbeddingSet, penalty: np.ndarray, pairs: str = "wordsim353") -> dict:
    """Word-pair benchmark scored by CSLS instead of cosine, on the first len(penalty) rows:
    the foundation's evaluate_word_pairs picks and scores the pairs (case-insensitive, as
    gensim), then each cosine c becomes 2c − r_k(a) − r_k(b).
    Returns {"pearson", "spearman", "pairs"}."""
    from scipy import stats

    from engine.evaluate import evaluate_word_pairs, upper_vocabulary

    limit = penalty.shape[0]
    scored = evaluate_word_pairs(table, pairs, restrict_vocab=limit).scored
    vocab = upper_vocabulary(table, limit)
    gold = np.array([human for _, _, human, _ in scored])
    csls = np.array([2 * cos - penalty[vocab[a.upper()]] - penalty[vocab[b.upper()]]
                     for a, b, _, cos in scored])
    return {"pearson": float(stats.pearsonr(gold, csls)[0]),
            "spearman": float(stats.spearmanr(gold, csls)[0]), "pairs": len(scored)}

