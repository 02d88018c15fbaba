"""Benchmarks with gensim's exact semantics, batched.

- Google analogies (questions-words.txt): as KeyedVectors.evaluate_word_analogies —
  restrict_vocab applied to the first rows, keys compared upper-cased, questions with a
  word outside the restricted vocabulary skipped, inputs excluded, 3CosAdd top-1.
- Word pairs (WordSim-353, SimLex-999): as KeyedVectors.evaluate_word_pairs — Pearson and
  Spearman between human scores and cosines, OOV pairs skipped and counted.
"""
from __future__ import annotations

import importlib.util
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from engine.analogy import batch_3cosadd
from engine.errors import check_int
from engine.vectors import EmbeddingSet, top_k

PAIR_SETS = {"wordsim353": "wordsim353.tsv", "simlex999": "simlex999.txt"}
# margins below this are near-ties that float rounding could flip: re-score those
# questions with gensim's own arithmetic so the answer is gensim's exactly
NEAR_TIE = 1e-5


def gensim_datapath(name: str) -> Path:
    """A file of gensim's bundled test data (real benchmark sets), found without importing
    gensim (which takes a second or more): gensim/test/test_data in the installed package."""
    spec = importlib.util.find_spec("gensim")
    if spec is None or not spec.submodule_search_locations:
        raise OSError("gensim is not installed; its test data holds the benchmark sets")
    path = Path(next(iter(spec.submodule_search_locations))) / "test" / "test_data" / name
    if not path.is_file():
        raise OSError(f"{name} is not in gensim's test data at {path.parent}")
    return path


class NothingToScore(ValueError):
    """The table has the words of no question (or pair) of a test: a table of tokens,
    positions or IDs, or too few rows. Not bad input: the test does not apply."""


@dataclass(frozen=True)
class SectionScore:
    name: str
    correct: int
    total: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


@dataclass(frozen=True)
class AnalogyScore:
    """Result of the analogy benchmark. sections: one SectionScore per section, file order."""

    correct: int
    total: int
    questions: int          # all questions in the file, skipped ones included
    restrict_vocab: int
    seconds: float
    sections: tuple[SectionScore, ...]

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def oov_ratio(self) -> float:
        """Percent of questions skipped because a word is outside the vocabulary (gensim's)."""
        return 100.0 * (self.questions - self.total) / self.questions if self.questions else 0.0

    def subtotal(self, syntactic: bool) -> SectionScore:
        """Semantic or syntactic total (Google's syntactic sections are named 'gram…')."""
        chosen = [s for s in self.sections if s.name.startswith("gram") == syntactic]
        return SectionScore("syntactic" if syntactic else "semantic",
                            sum(s.correct for s in chosen), sum(s.total for s in chosen))

    def to_dict(self) -> dict:
        return {"correct": self.correct, "total": self.total, "accuracy": self.accuracy,
                "oov_ratio": self.oov_ratio, "restrict_vocab": self.restrict_vocab,
                "seconds": self.seconds,
                "semantic": asdict(self.subtotal(False)), "syntactic": asdict(self.subtotal(True)),
                "sections": [asdict(s) for s in self.sections]}


def read_analogies(path: Path) -> list[tuple[str, list[tuple[str, str, str, str]]]]:
    """Sections of an analogy file: [(name, [(a, b, c, expected), ...]), ...].
    Lines that do not hold four words are skipped, as gensim skips them."""
    sections: list[tuple[str, list]] = []
    for line_no, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith(": "):
            sections.append((line[2:].strip(), []))
            continue
        words = line.split()
        if len(words) != 4:
            continue
        if not sections:
            raise ValueError(f"{path}: line {line_no} comes before any ': section' header")
        sections[-1][1].append(tuple(words))
    return sections


def upper_vocabulary(table: EmbeddingSet, restrict: int) -> dict[str, int]:
    """Upper-cased key -> row among the first `restrict` rows, the first row winning."""
    return {key.upper(): i for i, key in reversed(list(enumerate(table.index_to_key[:restrict])))}


def _gensim_ranking(table: EmbeddingSet, question: np.ndarray, restrict: int) -> list[int]:
    """Rows ranked as gensim's most_similar ranks them for positive B, C and negative A,
    with its float32 arithmetic (mean of weighted unit rows, unit-normed, dot / norms)."""
    mean = np.zeros(table.dim, dtype=np.float32)
    for row, weight in zip(question[[1, 2, 0]], (1.0, 1.0, -1.0)):
        mean += np.float64(weight) * (table.vectors[row] / table.norms[row])
    mean = mean / np.float64(3.0)                  # float64 from here on, as in gensim
    mean = (mean / np.sqrt(np.sum(mean ** 2))).astype(np.float32)
    scores = np.dot(table.vectors[:restrict], mean) / table.norms[:restrict]
    ranked = top_k(scores, 5 + 3)
    return [int(i) for i in ranked if i not in set(question.tolist())][:5]


def evaluate_word_analogies(table: EmbeddingSet, analogies: str | Path | None = None,
                            restrict_vocab: int = 300_000, progress=None,
                            csls_penalty: np.ndarray | None = None) -> AnalogyScore:
    """Accuracy of 3CosAdd on an analogy file (default: Google's questions-words.txt),
    identical to gensim's evaluate_word_analogies(restrict_vocab=..., case_insensitive=True).

    progress : optional callable(done, total) for a progress bar.
    csls_penalty : optional (R,) r_k of the first R >= restrict rows: answers are then
        ranked by CSLS instead of cosine (gensim has no such mode, so no near-tie re-scoring).
    """
    started = time.perf_counter()
    restrict = check_int("restrict", restrict_vocab, 1, 10**9)
    restrict = min(restrict, len(table))
    table = table.restrict(restrict)      # unit rows and norms of these rows only
    path = gensim_datapath("questions-words.txt") if analogies is None else Path(analogies)
    sections = read_analogies(path)
    vocab = upper_vocabulary(table, restrict)
    questions, expected, owner = [], [], []
    for number, (_, items) in enumerate(sections):
        for a, b, c, answer in items:
            words = (a.upper(), b.upper(), c.upper(), answer.upper())
            if all(w in vocab for w in words):
                questions.append([vocab[w] for w in words[:3]])
                expected.append(words[3])
                owner.append(number)
    if not questions:
        raise NothingToScore(f"no analogy question has all four words in the first {restrict:,} "
                         f"rows of {table.name}")
    questions = np.array(questions, dtype=np.int64)
    if csls_penalty is not None and len(csls_penalty) < restrict:
        raise ValueError(f"the CSLS penalty covers {len(csls_penalty):,} rows; restrict must not "
                         f"exceed that, got {restrict:,}")
    penalty = None if csls_penalty is None else csls_penalty[:restrict]
    answers = batch_3cosadd(table.unit[:restrict], questions, progress=progress,
                            csls_penalty=penalty)
    upper_keys = [k.upper() for k in table.index_to_key[:restrict]]
    correct = np.zeros(len(sections), dtype=np.int64)
    total = np.bincount(np.array(owner, dtype=np.int64), minlength=len(sections))
    for i, question in enumerate(questions):
        predicted = upper_keys[answers.best[i]]
        inputs = {upper_keys[j] for j in question}
        if penalty is None and (answers.margin[i] < NEAR_TIE or predicted in inputs):
            predicted = _gensim_choice(table, question, restrict, upper_keys, inputs)
        correct[owner[i]] += predicted == expected[i]
    scores = tuple(SectionScore(name, int(correct[k]), int(total[k]))
                   for k, (name, _) in enumerate(sections))
    return AnalogyScore(int(correct.sum()), int(total.sum()), sum(len(s[1]) for s in sections),
                        restrict, time.perf_counter() - started, scores)


def _gensim_choice(table, question, restrict, upper_keys, inputs) -> str:
    """gensim's pick: the first of its top 5 whose upper-cased key is not an input."""
    predicted = None
    for row in _gensim_ranking(table, question, restrict):
        predicted = upper_keys[row]
        if predicted not in inputs:
            break
    return predicted


@dataclass(frozen=True)
class PairScore:
    """Correlation of model cosines with human similarity judgements."""

    name: str
    pearson: float
    pearson_pvalue: float
    spearman: float
    spearman_pvalue: float
    oov_ratio: float        # percent of pairs skipped (a word outside the vocabulary)
    pairs: int              # pairs scored
    seconds: float
    scored: tuple[tuple[str, str, float, float], ...] = field(default=(), repr=False)
    """(word, word, human score, cosine) for every pair scored, file order."""

    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if k != "scored"}


def read_word_pairs(path: Path) -> list[tuple[str, str, float]]:
    """(word, word, human score) from a tab-separated file; '#' lines and lines that do not
    parse are skipped, as gensim skips them."""
    pairs = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 3:
            continue
        try:
            pairs.append((fields[0], fields[1], float(fields[2])))
        except ValueError:
            continue
    return pairs


def evaluate_word_pairs(table: EmbeddingSet, pairs: str | Path = "wordsim353",
                        restrict_vocab: int = 300_000) -> PairScore:
    """Pearson / Spearman of cosine against human scores, as gensim's evaluate_word_pairs
    (case-insensitive, OOV pairs skipped). pairs: 'wordsim353', 'simlex999' or a path."""
    from scipy import stats

    started = time.perf_counter()
    restrict = min(check_int("restrict", restrict_vocab, 1, 10**9), len(table))
    if str(pairs) in PAIR_SETS:
        name, path = str(pairs), gensim_datapath(PAIR_SETS[str(pairs)])
    elif Path(pairs).is_file():
        name, path = Path(pairs).name, Path(pairs)
    else:
        raise ValueError(f"unknown word-pair set {str(pairs)!r}; use {', '.join(PAIR_SETS)} "
                         "or a path to a tab-separated file")
    vocab = upper_vocabulary(table, restrict)
    rows = [(a, b, vocab.get(a.upper()), vocab.get(b.upper()), gold)
            for a, b, gold in read_word_pairs(path)]
    known = [row for row in rows if row[2] is not None and row[3] is not None]
    if not known:
        raise NothingToScore(f"no pair of {name} has both words in the first {restrict:,} rows "
                         f"of {table.name}")
    words_a, words_b, left, right, gold = (np.array(column) for column in zip(*known))
    cosines = np.einsum("ij,ij->i", table.unit[left], table.unit[right])
    pearson = stats.pearsonr(gold, cosines)
    spearman = stats.spearmanr(gold, cosines)
    return PairScore(name, float(pearson[0]), float(pearson[1]), float(spearman[0]),
                     float(spearman[1]), 100.0 * (len(rows) - len(known)) / len(rows),
                     len(known), time.perf_counter() - started,
                     tuple(zip(words_a.tolist(), words_b.tolist(), gold.tolist(), cosines.tolist())))
