"""word2vec binary: 'rows dims\\n', then per row the word, a space and dims little-endian
float32. One slice-copy per record into a table sized from the header (checked first)."""
from __future__ import annotations

import numpy as np

from engine.readers.limits import LIMITS, LONGEST_WORD, FileFormatError, Limits, as_input, check_words
from engine.readers.text import decode_words, first_line, word2vec_header


def check_finite(vectors: np.ndarray, where) -> None:
    finite = np.isfinite(vectors).all(axis=1)
    if not finite.all():
        bad = int(np.argmin(finite))
        raise FileFormatError(f"{where(bad)} holds NaN or infinity ({int((~finite).sum()):,} such "
                              "rows); they cannot be compared")


def _header(data) -> tuple[tuple[int, int], int]:
    line = first_line(data, 0, 100)
    header = word2vec_header(bytes(line))
    if header is None:
        raise FileFormatError(f"line 1: expected the word2vec header 'rows dims', found {bytes(line)[:60]!r}")
    if header[0] < 1 or header[1] < 1:
        raise FileFormatError(f"line 1: the header says {header[0]:,} rows × {header[1]:,} dims; "
                              "both must be at least 1")
    return header, len(line) + 1


def read_word2vec_binary(source, limits: Limits = LIMITS) -> tuple[list[str], np.ndarray, list[str]]:
    """(words, (rows, dims) float32, notes) of a word2vec binary file."""
    inp = as_input(source, limits)
    data = inp.whole()
    (rows, dim), position = _header(data)
    limits.check(rows, dim, "the header")
    record = 4 * dim
    if rows * (record + 2) > len(data) - position + rows:   # each row needs ≥ record + 2 bytes
        raise FileFormatError(f"the header promises {rows:,} rows × {dim:,} dims (at least "
                              f"{rows * (record + 2):,} bytes) but only {len(data) - position:,} "
                              "bytes follow it: the file is cut short or the header is wrong")
    out = np.empty((rows, dim), dtype=np.float32)
    source, target = memoryview(data), memoryview(out).cast("B")
    words: list[bytes] = []
    find = data.find
    for row in range(rows):
        while data[position:position + 1] in (b"\n", b" "):
            position += 1
        space = find(b" ", position, position + LONGEST_WORD)
        if space < 0:
            raise FileFormatError(f"byte {position:,} (row {row + 1:,} of {rows:,}): no word ends "
                                  f"within {LONGEST_WORD:,} bytes; the file is cut short or not "
                                  "word2vec binary")
        start = space + 1
        if start + record > len(data):
            raise FileFormatError(f"byte {start:,} (row {row + 1:,} of {rows:,}, "
                                  f"{bytes(data[position:space][:40])!r}): the file ends "
                                  f"{start + record - len(data):,} bytes before this row's {dim:,} "
                                  "numbers do (cut short)")
        words.append(bytes(data[position:space]))
        target[row * record:(row + 1) * record] = source[start:start + record]
        position = start + record
    if len(data) - position > 1_024 or bytes(data[position:]).strip():
        raise FileFormatError(f"byte {position:,}: the header promises {rows:,} rows but more "
                                  "data follows the last one")
    check_finite(out, lambda i: f"row {i + 1:,} ({words[i][:40]!r})")
    notes: list[str] = []
    keys = decode_words([w.decode("utf-8", "surrogateescape") for w in words], notes)
    check_words(keys, lambda i: f"row {i + 1:,}")
    return keys, out, notes
