"""Training text: gensim's bundled corpora or a visitor's UTF-8 file, tokenised once, with
the numbers a person wants before training (size, vocabulary, most frequent words).

Tokens are lower-cased runs of letters and digits, joined by inner hyphens or apostrophes
("merriam-webster", "don't"); everything else separates them. One line is one sentence.
"""
from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from engine.evaluate import gensim_datapath
from engine.units import MIB, human_bytes

BUILTIN_CORPORA = {
    "lee": ("lee_background.cor", "Lee background corpus: 300 Australian news stories"),
    "head500": ("head500.noblanks.cor", "Wikipedia sample: the first 500 articles, "
                                        "lower-cased and stemmed (“philosophi”, “polit”)"),
}
# gensim cuts a sentence after 10,000 tokens; longer lines are split so that nothing is lost
MAX_SENTENCE = 10_000
# A visitor's text: at most 200 MiB, 2,000,000 lines (each line a list in memory) and
# 1,000,000 characters a line (20 times head500's longest article; a longer "line" is a file
# without line breaks)
MAX_UPLOAD_BYTES = 200 * MIB
MAX_LINES = 2_000_000
MAX_LINE_CHARACTERS = 1_000_000
TOKEN = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def tokenize(line: str) -> list[str]:
    return TOKEN.findall(line.lower())


@dataclass(frozen=True)
class Corpus:
    """Tokenised sentences. sentences: list of lists of tokens, each at most 10,000 long;
    equal tokens are one string object (corpus_from_text), so a corpus holds a pointer per
    token plus its vocabulary, not a string per token."""

    name: str
    sentences: list[list[str]]
    description: str = ""

    @cached_property
    def counts(self) -> Counter:
        counts: Counter = Counter()
        for sentence in self.sentences:
            counts.update(sentence)
        return counts

    @property
    def words(self) -> int:
        """Number of tokens."""
        return sum(len(s) for s in self.sentences)

    @property
    def vocabulary(self) -> int:
        """Number of distinct tokens."""
        return len(self.counts)

    @cached_property
    def nbytes(self) -> int:
        """Bytes the corpus holds: its sentence lists, the strings of its vocabulary and
        the counts (computed here if not yet)."""
        counts = self.counts
        return (sys.getsizeof(self.sentences) + sum(map(sys.getsizeof, self.sentences))
                + sum(map(sys.getsizeof, counts)) + sys.getsizeof(counts)
                + sum(sys.getsizeof(c) for c in counts.values() if c > 256))

    def top_words(self, n: int = 20) -> list[tuple[str, int]]:
        return self.counts.most_common(n)

    def kept_vocabulary(self, min_count: int) -> int:
        """Distinct tokens seen at least `min_count` times (the rows a model will have)."""
        return sum(1 for c in self.counts.values() if c >= min_count)

    def check_min_count(self, min_count: int) -> None:
        """ValueError when min_count would leave fewer than 2 words to train."""
        kept = self.kept_vocabulary(min_count)
        if kept < 2:
            raise ValueError(f"min_count {min_count:,} keeps {kept} distinct word(s) of {self.name} "
                             f"({self.words:,} token(s), {self.vocabulary:,} distinct); lower min_count "
                             "or give a longer text")

    def summary(self) -> dict:
        return {"name": self.name, "sentences": len(self.sentences), "words": self.words,
                "vocabulary": self.vocabulary, "top_words": [[w, c] for w, c in self.top_words(20)]}


def corpus_from_text(text: str, name: str, description: str = "") -> Corpus:
    """Tokenise `text`, one sentence per line; ValueError if it has no words, or more than
    MAX_LINES lines or a line longer than MAX_LINE_CHARACTERS."""
    lines = text.splitlines()
    if len(lines) > MAX_LINES:
        raise ValueError(f"{name} has {len(lines):,} lines; at most {MAX_LINES:,} can be trained on")
    sentences, vocabulary = [], {}
    for number, line in enumerate(lines, 1):
        if len(line) > MAX_LINE_CHARACTERS:
            raise ValueError(f"line {number:,} of {name} has {len(line):,} characters; at most "
                             f"{MAX_LINE_CHARACTERS:,} a line (one sentence or document per line)")
        tokens = [vocabulary.setdefault(token, token) for token in tokenize(line)]
        sentences += [tokens[i:i + MAX_SENTENCE] for i in range(0, len(tokens), MAX_SENTENCE)]
    if not sentences:
        raise ValueError(f"{name} has no words (letters or digits) to train on")
    return Corpus(name, sentences, description)


def corpus_from_bytes(data: bytes, name: str) -> Corpus:
    """A visitor's file: UTF-8 text, one sentence or document per line. Empty, binary,
    non-UTF-8 or too large files (MAX_UPLOAD_BYTES, MAX_LINES, MAX_LINE_CHARACTERS) raise
    ValueError saying which."""
    if not data.strip():
        raise ValueError(f"{name} is empty; upload a UTF-8 text file, one sentence per line")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValueError(f"{name} is {human_bytes(len(data))}; at most {human_bytes(MAX_UPLOAD_BYTES)} can be "
                         "trained on")
    if b"\x00" in data[:1_000_000]:
        raise ValueError(f"{name} looks binary (it contains NUL bytes); upload plain UTF-8 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise ValueError(f"{name} is not UTF-8: byte {error.start:,} (line {line:,}) is "
                         f"0x{data[error.start]:02x}; save the file as UTF-8") from None
    return corpus_from_text(text, name)


@lru_cache(maxsize=4)
def builtin_corpus(name: str) -> Corpus:
    """gensim's bundled corpus `name` ('lee' or 'head500'), tokenised once per process."""
    if name not in BUILTIN_CORPORA:
        raise ValueError(f"unknown corpus {name!r}; built-in corpora are {', '.join(BUILTIN_CORPORA)}")
    filename, description = BUILTIN_CORPORA[name]
    text = gensim_datapath(filename).read_text(encoding="utf-8")
    return corpus_from_text(text, name, description)


def load_corpus(name_or_path: str) -> Corpus:
    """A built-in corpus by name or a UTF-8 text file by path (the CLI's --corpus)."""
    if name_or_path in BUILTIN_CORPORA:
        return builtin_corpus(name_or_path)
    path = Path(name_or_path)
    if not path.is_file():
        raise ValueError(f"unknown corpus {name_or_path!r}: not a file, and not one of "
                         f"{', '.join(BUILTIN_CORPORA)}")
    return corpus_from_bytes(path.read_bytes(), path.name)
