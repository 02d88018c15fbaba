"""How good is a freshly trained table: the standard benchmarks on the pairs and questions its
vocabulary covers (with the coverage), and rare against frequent words (agreement of each
word's neighbours with GloVe 6B's, within the vocabulary both share)."""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass

import numpy as np

from engine.vectors import EmbeddingSet, top_k

FREQUENCY_BINS = (1, 5, 10, 20, 50, 100, 200, 500, 1_000, 5_000, 10**12)


def benchmark_scores(table: EmbeddingSet) -> dict:
    """WordSim-353 and SimLex-999 Spearman, Google analogy accuracy, each with how much of the
    set the vocabulary covers (None when it covers nothing), scored as gensim scores them."""
    from engine.evaluate import evaluate_word_analogies, evaluate_word_pairs

    scores = {}
    for name in ("wordsim353", "simlex999"):
        try:
            result = evaluate_word_pairs(table, name, restrict_vocab=len(table))
            scores[name] = {"spearman": result.spearman, "pairs": result.pairs,
                            "coverage": 1 - result.oov_ratio / 100}
        except ValueError:
            scores[name] = {"spearman": None, "pairs": 0, "coverage": 0.0}
    try:
        result = evaluate_word_analogies(table, restrict_vocab=len(table))
        scores["analogies"] = {"accuracy": result.accuracy, "correct": result.correct,
                               "questions": result.total, "coverage": result.total / result.questions}
    except ValueError:
        scores["analogies"] = {"accuracy": None, "correct": 0, "questions": 0, "coverage": 0.0}
    return scores


def neighbour_sets(unit: np.ndarray, k: int, block: int = 1024) -> np.ndarray:
    """(n, k) rows of each row's k nearest other rows by cosine. unit: (n, d) unit rows."""
    found = np.empty((len(unit), k), dtype=np.int64)
    for start in range(0, len(unit), block):
        scores = unit[start:start + block] @ unit.T                         # (b, n)
        scores[np.arange(len(scores)), np.arange(start, start + len(scores))] = -np.inf
        for i, row in enumerate(scores):
            found[start + i] = top_k(row, k)
    return found


@dataclass(frozen=True)
class FrequencyBin:
    low: int             # corpus count from
    high: int            # corpus count below
    words: int
    agreement: float     # mean share of the k neighbours both tables give


def neighbour_agreement(table: EmbeddingSet, reference: EmbeddingSet, k: int = 10,
                        limit: int = 10_000) -> tuple[list[str], np.ndarray, float]:
    """Per shared word (the `limit` first rows of `table` that `reference` has): the share of
    its k nearest neighbours, searched among the shared words only, that both tables agree on.
    Returns (words, (n,) agreement, chance level k / (n - 1))."""
    shared = [w for w in table.index_to_key[:limit] if w in reference.key_to_index]
    if len(shared) <= k:
        raise ValueError(f"{table.name} and {reference.name} share {len(shared)} words; "
                         f"more than k = {k} are needed to compare neighbours")
    ours = neighbour_sets(table.unit[[table.key_to_index[w] for w in shared]], k)
    theirs = neighbour_sets(reference.unit[[reference.key_to_index[w] for w in shared]], k)
    agreement = np.array([len(set(a) & set(b)) / k for a, b in zip(ours, theirs)])
    return shared, agreement, k / (len(shared) - 1)


def rare_vs_frequent(table: EmbeddingSet, counts: Counter, reference: EmbeddingSet,
                     k: int = 10) -> tuple[list[FrequencyBin], float]:
    """Neighbour agreement with `reference` averaged per corpus-frequency bin, and chance."""
    words, agreement, chance = neighbour_agreement(table, reference, k)
    frequency = np.array([counts[w] for w in words])
    bins = []
    for low, high in zip(FREQUENCY_BINS, FREQUENCY_BINS[1:]):
        inside = (frequency >= low) & (frequency < high)
        if inside.any():
            bins.append(FrequencyBin(low, high, int(inside.sum()), float(agreement[inside].mean())))
    return bins, chance


def bins_to_dicts(bins: list[FrequencyBin]) -> list[dict]:
    return [asdict(b) for b in bins]
