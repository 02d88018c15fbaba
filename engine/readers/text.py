"""Text formats: word2vec / fastText .vec (header 'rows dims'), GloVe (no header),
TensorFlow Projector vectors.tsv (numbers only), and vocabulary / metadata files.

The content is read a block of whole lines at a time (BLOCK_BYTES), each block parsed by
pandas' C tokenizer straight into a preallocated float32 table: the header's row count
sizes it, else it is sized for all the rows the memory budget holds (np.empty: the system
gives it memory only as rows are written) and shrinks to the rows read. It never grows:
growing by ndarray.resize zero-filled the new rows, so a 1,200,000-row gzip held the
memory of 2,097,152 rows while it was read. No list of all rows is ever built, and the
reader's peak stays within the budget (rows × (dims × 4 + KEY_BYTES), tested).
"""
from __future__ import annotations

import csv
import io
import math
from typing import Iterator

import numpy as np

from engine.readers.limits import LIMITS, LONGEST_WORD, FileFormatError, Input, Limits, as_input, check_words

BLOCK_BYTES = 8 << 20
MAX_HEADER_DIGITS = 12
NEWLINE = b"\n"


def first_line(data: bytes, start: int = 0, limit: int = 1 << 20) -> bytes:
    end = data.find(b"\n", start, start + limit)
    return data[start:end if end >= 0 else start + limit]


def is_number(token: bytes) -> bool:
    try:
        float(token)
        return True
    except ValueError:
        return False


def word2vec_header(line: bytes) -> tuple[int, int] | None:
    """(rows, dims) of a 'rows dims' line, None if the line is not one."""
    parts = line.split()
    if b"\t" in line or len(parts) != 2 or not all(p.isdigit() for p in parts):
        return None
    for part in parts:
        if len(part) > MAX_HEADER_DIGITS:
            raise FileFormatError(f"line 1: the header number {part[:12].decode()}… has {len(part):,} "
                                  "digits; a table has at most millions of rows and thousands of dims")
    return int(parts[0]), int(parts[1])


def _blocks(stream, limits: Limits) -> Iterator[bytes]:
    """Blocks of whole lines (the last may lack its newline). A line longer than a word
    and max_dim numbers can be is refused rather than buffered."""
    longest_line = LONGEST_WORD + 64 * limits.max_dim + 1_000
    tail, line = b"", 1
    while chunk := stream.read(BLOCK_BYTES):
        data = tail + chunk
        cut = data.rfind(b"\n") + 1
        if len(data) - cut > longest_line:
            raise FileFormatError(f"line {line + data.count(NEWLINE, 0, cut):,} is longer than "
                                  f"{longest_line:,} bytes: a word is at most {LONGEST_WORD:,} bytes "
                                  f"and a row at most {limits.max_dim:,} numbers")
        if cut:
            yield data[:cut]
            line += data.count(b"\n", 0, cut)
        tail = data[cut:]
    if tail:
        yield tail


class _Table:
    """Rows of `dim` float32 numbers appended block by block into one preallocated array."""

    def __init__(self, dim: int, limits: Limits, promised: int | None):
        self.dim, self.limits, self.promised, self.rows = dim, limits, promised, 0
        capacity = promised if promised is not None else limits.fitting_rows(dim)
        self.vectors = np.empty((max(capacity, 1), dim), dtype=np.float32)
        self.words: list[str] = []
        self.latin1: list[int] = []           # rows whose words were not UTF-8

    def add(self, vectors: np.ndarray, words: list[str], first_line: int) -> None:
        end = self.rows + len(vectors)
        if self.promised is not None and end > self.promised:
            raise FileFormatError(f"the header promises {self.promised:,} rows but there are more: "
                                  f"line {first_line + self.promised - self.rows:,} or later starts "
                                  f"row {self.promised + 1:,}")
        if end > len(self.vectors):         # past all the budget holds: this raises
            self.limits.check_growing(end, self.dim, "the file")
        self.vectors[self.rows:end] = vectors
        for i in _undecodable(words):
            words[i] = words[i].encode("utf-8", "surrogateescape").decode("latin-1")
            self.latin1.append(self.rows + i)
        check_words(words, lambda i: f"line {first_line + i:,}")
        self.words.extend(words)
        self.rows = end

    def finish(self, notes: list[str]) -> tuple[list[str], np.ndarray]:
        if len(self.vectors) != self.rows:
            self.vectors.resize((self.rows, self.dim), refcheck=False)
        if self.latin1:
            first = self.latin1[0]
            notes.append(f"{len(self.latin1):,} word(s) were not valid UTF-8 (first: row {first + 1:,}, "
                         f"{self.words[first]!r}); they were decoded as Latin-1")
        return self.words, self.vectors


def _undecodable(words: list[str]) -> list[int]:
    """Indices of words read with surrogateescape that kept an undecodable byte."""
    try:
        "".join(words).encode("utf-8")
        return []
    except UnicodeEncodeError:
        return [i for i, w in enumerate(words) if any("\udc80" <= c <= "\udcff" for c in w)]


def decode_words(raw: list[str], notes: list[str]) -> list[str]:
    """Words read with surrogateescape: those that were not UTF-8 are re-read as Latin-1
    (every byte is a character there), and a note says which."""
    bad = _undecodable(raw)
    words = list(raw)
    for i in bad:
        words[i] = words[i].encode("utf-8", "surrogateescape").decode("latin-1")
    if bad:
        notes.append(f"{len(bad):,} word(s) were not valid UTF-8 (first: row {bad[0] + 1:,}, "
                     f"{words[bad[0]]!r}); they were decoded as Latin-1")
    return words


def _text_lines(body: bytes, first: int):
    """(line number, fields) of every non-blank line."""
    for number, line in enumerate(body.split(b"\n"), first):
        fields = line.split()
        if fields:
            yield number, fields


def _diagnose(body: bytes, first: int, dim: int, has_word: bool) -> FileFormatError:
    """The first line of a block that breaks the table (pure Python: runs only on a bad file)."""
    width = dim + 1 if has_word else dim
    shape = f"a word and {dim:,} numbers" if has_word else f"{dim:,} numbers"
    for number, fields in _text_lines(body, first):
        if len(fields) != width:
            found = len(fields) - 1 if has_word else len(fields)
            return FileFormatError(f"line {number:,}: expected {shape}, found {found:,} "
                                   f"(rows must all be the same length)")
        for column, token in enumerate(fields[1:] if has_word else fields, 2 if has_word else 1):
            try:
                value = float(token)
            except ValueError:
                return FileFormatError(f"line {number:,}, field {column}: {token[:40]!r} is not a number")
            if not math.isfinite(value):
                return FileFormatError(f"line {number:,}, field {column}: {token[:40].decode()} is not "
                                       "a finite number (NaN and infinity cannot be compared)")
    return FileFormatError(f"lines {first:,} to {first + body.count(NEWLINE):,}: the rows do not form a "
                           "table (a field holds a NUL byte or a quote that does not close?)")


def _parse_block(body: bytes, separator: str, dim: int, has_word: bool):
    """(raw words, (n, dim) float32) by pandas' C tokenizer, or None if this separator does
    not give a clean table."""
    import pandas as pd

    start = 1 if has_word else 0
    dtypes = {i: np.float32 for i in range(start, start + dim)}
    if has_word:
        dtypes[0] = object
    try:
        frame = pd.read_csv(io.BytesIO(body), sep=separator, header=None, quoting=csv.QUOTE_NONE,
                            na_filter=False, dtype=dtypes, engine="c", comment=None,
                            encoding="utf-8", encoding_errors="surrogateescape")
    except Exception:
        return None
    if frame.shape[1] == start + dim + 1 and (frame.iloc[:, -1] == "").all():
        frame = frame.iloc[:, :-1]          # a separator at the end of every line
    if frame.shape[1] != start + dim or not all(frame.dtypes.iloc[start:] == np.float32):
        return None
    vectors = frame.iloc[:, start:].to_numpy(dtype=np.float32)
    if not np.isfinite(vectors).all():
        return None
    return (frame[0].tolist() if has_word else []), vectors


def _read_rows(inp: Input, dim_of, separator: str, has_word: bool, limits: Limits,
               notes: list[str], progress=None) -> tuple[list[str], np.ndarray]:
    """Every row of the text, block by block. dim_of(first block) -> (dims, promised rows or
    None, byte where rows start); progress(bytes read, bytes in all) of the stored file."""
    with inp.stream() as stream:
        blocks = _blocks(stream, limits)
        return _parse_blocks(inp, blocks, dim_of, separator, has_word, limits, notes, progress)


def _parse_blocks(inp: Input, blocks, dim_of, separator: str, has_word: bool, limits: Limits,
                  notes: list[str], progress) -> tuple[list[str], np.ndarray]:
    """(words, (rows, dims) float32) of the blocks; see _read_rows."""
    first = next(blocks, b"")
    dim, promised, start = dim_of(first)
    if promised is not None:
        limits.check(promised, dim, "the header")
    limits.check(1, dim, "the file")
    table = _Table(dim, limits, promised)
    line = 1 + first.count(b"\n", 0, start)
    body = last = first[start:]
    while True:
        if body.strip():
            parsed = _parse_block(body, separator, dim, has_word) or _parse_block(body, r"\s+", dim, has_word)
            if parsed is None:
                raise _diagnose(body, line, dim, has_word)
            words, vectors = parsed
            if not has_word:
                words = []
            table.add(vectors, words, line)
            if progress:
                progress(inp.bytes_read(), inp.size)
        line += body.count(NEWLINE)
        body = next(blocks, None)
        if body is None:
            break
        last = body
    if promised is not None and table.rows < promised:
        raise FileFormatError(f"the header promises {promised:,} rows but the file has {table.rows:,} "
                              f"(it ends at line {line - 1 + (not last.endswith(NEWLINE)):,})")
    return table.finish(notes)


def _word2vec_start(block: bytes) -> tuple[int, int, int]:
    newline = block.find(b"\n")
    line = block[:newline if newline >= 0 else len(block)]
    header = word2vec_header(line)
    if header is None:
        raise FileFormatError(f"line 1: expected the word2vec header 'rows dims', found {line[:60]!r}")
    if header[0] < 1 or header[1] < 1:
        raise FileFormatError(f"line 1: the header says {header[0]:,} rows × {header[1]:,} dims; "
                              "both must be at least 1")
    return header[1], header[0], newline + 1 if newline >= 0 else len(block)


def _first_fields(block: bytes) -> list[bytes]:
    found = next(_text_lines(block, 1), None)
    if found is None:
        raise FileFormatError("the file is empty: no rows")
    return found[1]


def _glove_start(block: bytes) -> tuple[int, None, int]:
    fields = _first_fields(block)
    if len(fields) < 2:
        raise FileFormatError(f"line 1: expected a word and numbers, found {fields[0][:40]!r} alone")
    return len(fields) - 1, None, 0


def read_word2vec_text(source, limits: Limits = LIMITS, progress=None) -> tuple[list[str], np.ndarray, list[str]]:
    """word2vec / fastText .vec text: 'rows dim' then 'word v1 ... vd' per line."""
    inp = as_input(source, limits)
    notes: list[str] = []
    words, vectors = _read_rows(inp, _word2vec_start, " ", True, limits, notes, progress)
    return words, vectors, notes


def read_glove_text(source, limits: Limits = LIMITS, progress=None) -> tuple[list[str], np.ndarray, list[str]]:
    """GloVe text: 'word v1 ... vd' per line, no header."""
    inp = as_input(source, limits)
    notes: list[str] = []
    words, vectors = _read_rows(inp, _glove_start, " ", True, limits, notes, progress)
    return words, vectors, notes


def read_tsv(source, limits: Limits = LIMITS, progress=None) -> np.ndarray:
    """TensorFlow Projector vectors.tsv: tab- (or space-) separated numbers, one row a line,
    no words."""
    inp = as_input(source, limits)
    _, vectors = _read_rows(inp, lambda block: (len(_first_fields(block)), None, 0), "\t", False,
                            limits, [], progress)
    return vectors


def read_vocabulary(source, rows: int, limits: Limits) -> tuple[list[str], list[str]]:
    """(one key per row, notes) from a vocabulary or Projector metadata file: one word a line;
    with tabs, a header row and the first column is the key (TensorFlow Projector's rule)."""
    if isinstance(source, (list, tuple)):
        keys, notes = [str(k) for k in source], []
    else:
        data = Input(source, limits).whole()
        notes = []
        lines = bytes(data).decode("utf-8", "surrogateescape").split("\n")
        lines = [line.rstrip("\r") for line in lines]
        while lines and lines[-1] == "":
            lines.pop()
        if lines and "\t" in lines[0]:
            notes.append(f"the vocabulary file has columns {lines[0].split(chr(9))[:6]}; keys come from "
                         "the first, the first line is the header")
            lines = [line.split("\t")[0] for line in lines[1:]]
        keys = decode_words(lines, notes)
    if len(keys) != rows:
        raise FileFormatError(f"the vocabulary has {len(keys):,} entries for {rows:,} rows; "
                              "it needs one per row")
    check_words(keys, lambda i: f"vocabulary line {i + 1:,}")
    return keys, notes
