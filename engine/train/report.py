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


LEARNED_RHO = 0.3      # WordSim-353 Spearman from which a table orders word pairs much as people do
CHANCE_RHO = 0.1       # below it, no better than chance on the few pairs a small corpus covers


def describe_scores(scores: dict, words: int) -> str:
    """Whether the table learned which words are alike, from its WordSim-353 Spearman ρ, for a
    table trained on `words` words of text."""
    wordsim = scores["wordsim353"]
    rho = wordsim["spearman"]
    if rho is None:
        return (f"Its vocabulary (from {words:,} words of text) covers no WordSim-353 pair, so nothing "
                "says yet whether it learned which words are alike.")
    measured = f"WordSim-353 ρ = {rho:.2f} on the {wordsim['pairs']} pairs its vocabulary covers"
    if rho >= LEARNED_RHO:
        return f"{measured}: its cosines order word pairs much as people do (trained on {words:,} words)."
    if rho >= CHANCE_RHO:
        return f"{measured}: its cosines agree with people's only weakly (trained on {words:,} words)."
    return (f"{measured}: no better than chance. From {words:,} words of text it has not learned which "
            "words are alike.")


def describe_rare_vs_frequent(bins: list[dict], chance: float) -> str:
    """How the agreement with the reference changes from the rarest to the most frequent bin."""
    rare, frequent = bins[0], bins[-1]
    span = lambda b: f"{b['low']:,}–{b['high'] - 1:,}" if b["high"] < 10**12 else f"{b['low']:,} or more"  # noqa: E731
    said = (f"Words the corpus shows {span(rare)} times agree on {rare['agreement']:.0%} of their neighbours, "
            f"words it shows {span(frequent)} times on {frequent['agreement']:.0%} (chance: {chance:.1%}).")
    lowest = min(bins, key=lambda b: b["agreement"])
    if lowest is rare and len(bins) > 1:
        said += " The rarest words agree least."
    else:
        said += f" The least agreement is for words seen {span(lowest)} times."
    return said
