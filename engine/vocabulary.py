"""A word list against a table: coverage (exact, only in another case, missing) and what each
out-of-vocabulary strategy gives a missing word.

Strategies (`OOV_STRATEGIES`):
- unk: the table's own UNK row if it has one, else the mean of all rows;
- wordpiece: the MiniLM WordPiece tokenizer's pieces and the mean of their rows in the
  minilm-tokens table (so its neighbours are MiniLM tokens);
- fasttext: a character n-gram vector from a gensim FastText model (trained here on gensim's
  bundled Lee corpus with a fixed seed, or a user's fastText .bin);
- hashing: a stable hash of the word picks one of B buckets, each a fixed random vector.
"""
from __future__ import annotations

import re
import tempfile
import zlib
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from engine.atomic import atomic_path
from engine.errors import check_int
from engine.vectors import EmbeddingSet, Neighbour

STATUSES = ("exact", "other case", "missing")
OOV_STRATEGIES = ("unk", "wordpiece", "fasttext", "hashing")
UNK_KEYS = ("<unk>", "[UNK]", "<UNK>", "<oov>", "[OOV]")
MAX_WORDS = 5_000


@dataclass(frozen=True)
class WordStatus:
    """One word of the list: 'exact', 'other case' (found as `key`) or 'missing'."""

    word: str
    status: str
    key: str | None
    row: int | None


@dataclass(frozen=True)
class Coverage:
    table: str
    words: tuple[WordStatus, ...]

    def count(self, status: str) -> int:
        return sum(1 for w in self.words if w.status == status)

    @property
    def ratio(self) -> float:
        """Share of the words found in some case."""
        return 1 - self.count("missing") / len(self.words)

    def missing(self) -> list[str]:
        return [w.word for w in self.words if w.status == "missing"]

    def to_dict(self) -> dict:
        return {"table": self.table, "words": len(self.words), "ratio": self.ratio,
                **{status.replace(" ", "_"): self.count(status) for status in STATUSES},
                "per_word": [asdict(w) for w in self.words]}


# The first missing words are built from pieces the Lee news stories (fastText's built-in model)
# have, so their n-gram neighbours make fastText's point; selfie, emoji, covid and the rest show
# what a word whose pieces the training text never had gets.
EXAMPLE_WORDS = ("king", "Paris", "paris", "iPhone", "NASA", "afghanistan's", "firefighters'", "selfie",
                 "emoji", "tokenisation", "unbelievableness", "blorptastic", "covid", "doomscrolling")
MADE_UP_WORD = "blorptastic"


def example_words(table: EmbeddingSet, count: int = 8) -> tuple[list[str], str]:
    """A word list to start from on `table`, and a line saying where it comes from ("" for
    the usual example). The usual example (EXAMPLE_WORDS) when the table has at least 3 of
    its words in some case (enough for a map); else `count` of the table's own keys (past its
    100 most frequent words, which are mostly function words, when it is in frequency order),
    the first of them that has case once more in another case, and a made-up word, so that
    every status shows."""
    usual = coverage(table, EXAMPLE_WORDS)
    if len(usual.words) - usual.count("missing") >= 3:
        return list(EXAMPLE_WORDS), ""
    count = min(count, len(table))
    start = max(0, min(100, len(table) - count)) if table.frequency_ordered else 0
    keys = list(table.index_to_key[start:start + count])
    variants = ((k.upper() if k.upper() != k else k.lower()) for k in keys)
    recased = next((v for v in variants if v not in table.key_to_index), None)
    made_up = [] if MADE_UP_WORD in table.key_to_index else [MADE_UP_WORD]
    where = f"frequency ranks {start + 1:,}–{start + count:,}" if start else f"its first {count:,} rows"
    return keys + ([recased] if recased else []) + made_up, (
        f"{table.name} has few of the usual example words, so this list starts from {where}"
        + (f", one of them in another case ({recased})" if recased else "")
        + (f" and a made-up word ({MADE_UP_WORD})" if made_up else "") + ". Paste your own.")


def parse_word_list(text: str) -> list[str]:
    """Words from pasted text or a file: split at newlines, commas, tabs and spaces; repeats
    dropped, first-seen order kept."""
    words = list(dict.fromkeys(w for w in re.split(r"[\s,;]+", text) if w))
    if not words:
        raise ValueError("the word list is empty; paste words separated by spaces, commas or lines")
    if len(words) > MAX_WORDS:
        raise ValueError(f"the list has {len(words):,} words; at most {MAX_WORDS:,} are checked at once")
    return words


def _casefolded_rows(table: EmbeddingSet) -> dict[str, int]:
    """lower-cased key -> first row with that spelling in any case."""
    folded: dict[str, int] = {}
    for row, key in enumerate(table.index_to_key):
        folded.setdefault(key.lower(), row)
    return folded


def coverage(table: EmbeddingSet, words: Sequence[str]) -> Coverage:
    """Which of `words` the table has as spelled, only in another case, or not at all."""
    words = list(words)
    if not words:
        raise ValueError("give at least one word to check")
    folded = None
    found = []
    for word in words:
        if word in table.key_to_index:
            found.append(WordStatus(word, "exact", word, table.key_to_index[word]))
            continue
        folded = folded if folded is not None else _casefolded_rows(table)
        row = folded.get(word.lower())
        found.append(WordStatus(word, "missing", None, None) if row is None else
                     WordStatus(word, "other case", table.index_to_key[row], row))
    return Coverage(table.name, tuple(found))


# -- out-of-vocabulary strategies ---------------------------------------------------------------
@dataclass(frozen=True)
class OovVector:
    """What one strategy gives one missing word. `space` names the table the vector lives in
    (its neighbours come from there); `parts` are the pieces / n-grams / bucket used."""

    strategy: str
    word: str
    vector: np.ndarray
    space: str
    parts: tuple[str, ...]
    explanation: str
    neighbours: tuple[Neighbour, ...]

    def to_dict(self) -> dict:
        return {"strategy": self.strategy, "word": self.word, "space": self.space,
                "parts": list(self.parts), "explanation": self.explanation,
                "neighbours": [asdict(n) for n in self.neighbours]}


def unk_vector(table: EmbeddingSet, word: str, topn: int = 5) -> OovVector:
    """The table's UNK row if it has one (<unk>, [UNK], ...), else the mean of all rows:
    every missing word gets this same vector."""
    key = next((k for k in UNK_KEYS if k in table.key_to_index), None)
    if key is not None:
        vector, parts = np.asarray(table[key]), (key,)
        explanation = f"the table's own {key} row; every missing word gets it"
    else:
        vector, parts = table.vectors.mean(axis=0, dtype=np.float64).astype(np.float32), ()
        explanation = "the mean of all rows (the table has no UNK row); every missing word gets it"
    return OovVector("unk", word, vector, table.name, parts, explanation,
                     tuple(table.similar_by_vector(vector, min(topn, len(table)))))


@lru_cache(maxsize=1)
def minilm_tokenizer():
    """The bundled all-MiniLM-L6-v2 WordPiece tokenizer (tokenizers' Rust implementation)."""
    from tokenizers import Tokenizer

    from engine.sources import minilm_path

    tokenizer = Tokenizer.from_file(str(minilm_path() / "tokenizer.json"))
    tokenizer.no_padding()          # the file pads every input to 128 tokens
    return tokenizer


def wordpiece_vector(word: str, topn: int = 5) -> OovVector:
    """MiniLM's WordPiece pieces of `word` and the mean of their rows in minilm-tokens."""
    from engine.sources import load_builtin

    tokens = load_builtin("minilm-tokens")
    encoding = minilm_tokenizer().encode(word, add_special_tokens=False)
    pieces = tuple(encoding.tokens)
    if not pieces:
        raise ValueError(f"the MiniLM tokenizer gives no pieces for {word!r}")
    rows = np.asarray(encoding.ids)
    vector = tokens.vectors[rows].mean(axis=0)
    explanation = (f"{len(pieces)} WordPiece piece(s) from MiniLM's 30,522-token vocabulary; the "
                   "vector is the mean of their rows (384-d, MiniLM's space, not the table's)")
    return OovVector("wordpiece", word, vector, tokens.name, pieces, explanation,
                     tuple(tokens.similar_by_vector(vector, min(topn, len(tokens)))))


FASTTEXT_SETTINGS = dict(vector_size=48, window=5, min_count=2, epochs=10, sg=1, seed=1, workers=1,
                         min_n=3, max_n=6, bucket=50_000)


@lru_cache(maxsize=1)
def lee_fasttext():
    """A gensim FastText model (skip-gram) trained on gensim's bundled Lee corpus (300 news
    stories, 58k tokens) with fixed settings and seed. Trained once per machine (about ten
    seconds) and kept in the temp folder in Facebook's binary format (no pickle)."""
    from gensim.models import FastText
    from gensim.models.fasttext import load_facebook_model, save_facebook_model
    from gensim.test.utils import datapath
    from gensim.utils import simple_preprocess

    settings = "-".join(f"{k}{v}" for k, v in sorted(FASTTEXT_SETTINGS.items()))
    cached = Path(tempfile.gettempdir()) / f"embedding-lab-lee-fasttext-{zlib.crc32(settings.encode()):08x}.bin"
    if cached.is_file():
        return load_facebook_model(str(cached))
    with open(datapath("lee_background.cor"), encoding="utf-8") as corpus:
        sentences = [simple_preprocess(line) for line in corpus]
    model = FastText(sentences, **FASTTEXT_SETTINGS)
    with atomic_path(cached) as partial:     # another process never reads half a file
        save_facebook_model(model, str(partial))
    return model


def fasttext_from_bin(data: bytes, limits=None):
    """A user's fastText .bin (Facebook's format) as gensim FastTextKeyedVectors: checked field
    by field, then read by gensim in a child process with a time limit (no pickle). Bad
    files raise FileFormatError."""
    from engine.readers import LIMITS
    from engine.readers.fasttext_bin import read_fasttext_bin
    from engine.readers.limits import Input

    limits = limits or LIMITS
    return read_fasttext_bin(Input(data, limits), limits, ngrams=True).keyed_vectors()


def fasttext_vector(word: str, model=None, name: str = "fasttext-lee", topn: int = 5) -> OovVector:
    """fastText's vector for `word`: the mean of its character n-gram buckets (and its own row
    if the model knows it); neighbours among the model's words."""
    from gensim.models.fasttext_inner import compute_ngrams

    tiny = model is None
    model = model or lee_fasttext()
    wv = getattr(model, "wv", model)      # a FastText model, or its keyed vectors
    ngrams = tuple(compute_ngrams(word, wv.min_n, wv.max_n))
    known = word in wv.key_to_index
    vector = np.asarray(wv[word], dtype=np.float32)
    explanation = (f"the model's own row for {word!r}" if known else
                   f"the mean of {len(ngrams)} character n-gram vectors ({wv.min_n}–{wv.max_n} "
                   f"characters of <{word}>, hashed into {wv.bucket:,} buckets): its neighbours "
                   "share spelling (policemen → policeman), and a word whose pieces the training "
                   "text never had gets near-random ones")
    if tiny:
        explanation += ("; a model this small puts all its vectors in a narrow cone, so cosines "
                        "crowd near 1 and the order of the neighbours is what carries meaning")
    neighbours = tuple(Neighbour(k, float(s)) for k, s in wv.similar_by_vector(vector, topn=topn))
    return OovVector("fasttext", word, vector, name, ngrams, explanation, neighbours)


def word_bucket(word: str, buckets: int) -> int:
    """fastText's own string hash (FNV-1a over UTF-8 bytes, gensim's ft_hash_bytes) mod buckets:
    stable across runs, unlike Python's hash()."""
    from gensim.models.fasttext_inner import ft_hash_bytes

    return ft_hash_bytes(word.encode("utf-8")) % buckets


def hashed_vector(table: EmbeddingSet, word: str, buckets: int = 10_000, topn: int = 5) -> OovVector:
    """Bucket `word_bucket(word)` of B fixed random vectors (seeded by the bucket, scaled to the
    table's median norm): stable, but it carries no meaning; words in one bucket collide."""
    buckets = check_int("buckets", buckets, 1, 10_000_000)
    bucket = word_bucket(word, buckets)
    rng = np.random.default_rng(bucket)
    vector = rng.standard_normal(table.dim).astype(np.float32)
    vector *= float(np.median(table.norms)) / float(np.linalg.norm(vector))
    explanation = (f"bucket {bucket:,} of {buckets:,}: a fixed random vector; any two missing "
                   f"words share one with probability 1/{buckets:,}")
    return OovVector("hashing", word, vector, table.name, (f"bucket {bucket}",), explanation,
                     tuple(table.similar_by_vector(vector, min(topn, len(table)))))


def oov_vectors(table: EmbeddingSet, word: str, strategies: Sequence[str] = OOV_STRATEGIES,
                fasttext_model=None, buckets: int = 10_000, topn: int = 5,
                fasttext_name: str = "fasttext-lee") -> list[OovVector]:
    """What each strategy gives `word`, in the order asked (fasttext_name: the model's name)."""
    unknown = [s for s in strategies if s not in OOV_STRATEGIES]
    if unknown:
        raise ValueError(f"unknown strategy {unknown[0]!r}; choose from {', '.join(OOV_STRATEGIES)}")
    makers = {"unk": lambda: unk_vector(table, word, topn),
              "wordpiece": lambda: wordpiece_vector(word, topn),
              "fasttext": lambda: fasttext_vector(word, fasttext_model, fasttext_name, topn),
              "hashing": lambda: hashed_vector(table, word, buckets, topn)}
    return [makers[s]() for s in strategies]


def found_word_map(table: EmbeddingSet, cover: Coverage) -> tuple[np.ndarray, list[WordStatus]]:
    """PCA (2-D) of the unit rows of the words found, fitted on just these words.
    Returns (n, 2) coordinates and the WordStatus of each point."""
    from engine.projections import PCAProjection

    found = [w for w in cover.words if w.row is not None]
    if len(found) < 3:
        raise ValueError(f"a map needs at least 3 words found in {table.name}; {len(found)} were")
    return PCAProjection(2).fit_transform(table.unit[[w.row for w in found]]), found
