"""Big vector files parsed in blocks of rows into a table writer, never held whole: word2vec
binary and text, fastText .vec and GloVe text (plain or gzip), and .npy. Each parser calls
writer_for(rows, dim) once it knows the table's size, then writer.write(keys, block)."""
from __future__ import annotations

import gzip
from pathlib import Path
from typing import Callable

import numpy as np

CHUNK_ROWS = 16_384                 # rows parsed and written at a time (20 MB at 300 dims)
READ_BYTES = 1 << 25                # 32 MB reads

Progress = Callable[[int, int], None]


def _open_bytes(path: Path):
    """A binary stream of the file, gzip undone."""
    with open(path, "rb") as probe:
        zipped = probe.read(2) == b"\x1f\x8b"
    return gzip.open(path, "rb") if zipped else open(path, "rb")


def _header(line: bytes) -> tuple[int, int] | None:
    fields = line.split()
    if len(fields) == 2 and all(f.isdigit() for f in fields):
        return int(fields[0]), int(fields[1])
    return None


def stream_word2vec_binary(path: Path, writer_for, progress: Progress | None):
    """Parse a word2vec binary file record by record from 32 MB reads."""
    with _open_bytes(path) as stream:
        header = _header(stream.readline())
        rows, dim = header
        writer = writer_for(rows, dim)
        record = 4 * dim
        buffer, position, done = b"", 0, 0
        while done < rows:
            wanted = min(CHUNK_ROWS, rows - done)
            keys, numbers = [], bytearray(wanted * record)
            target, source = memoryview(numbers), memoryview(buffer)
            while len(keys) < wanted:
                while position < len(buffer) and buffer[position] in b"\n ":
                    position += 1
                space = buffer.find(b" ", position, position + 1_000)
                if space < 0 or space + 1 + record > len(buffer):
                    more = stream.read(READ_BYTES)
                    if not more:
                        raise ValueError(f"the file ends inside row {done + len(keys) + 1:,} of the "
                                         f"{rows:,} its header promises (cut short)")
                    buffer, position = buffer[position:] + more, 0
                    source.release()
                    source = memoryview(buffer)
                    continue
                at = len(keys) * record
                target[at:at + record] = source[space + 1:space + 1 + record]
                keys.append(_decode_key(buffer[position:space]))
                position = space + 1 + record
            source.release()
            writer.write(keys, np.frombuffer(numbers, "<f4").reshape(wanted, dim))
            done += len(keys)
            if progress:
                progress(done, rows)
        if buffer[position:].strip() or stream.read(1 << 16).strip():
            raise ValueError(f"the header promises {rows:,} rows but more data follows the last one")
    return writer


def _decode_key(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")     # every byte is a character there


def _count_rows(path: Path) -> int:
    """Non-blank lines of a text file."""
    with _open_bytes(path) as stream:
        return sum(1 for line in stream if line.strip())


def stream_text(path: Path, has_header: bool, writer_for, progress: Progress | None):
    """Parse word2vec / GloVe text in blocks of whole lines with the text reader."""
    from engine.readers import read_glove_text

    with _open_bytes(path) as stream:
        if has_header:
            rows, dim = _header(stream.readline())
        else:
            first = stream.readline()
            dim = len(first.split()) - 1
            rows = _count_rows(path)
            stream = _chain_first(first, stream)
        writer = writer_for(rows, dim)
        done, line = 0, 2 if has_header else 1
        while True:
            lines = list(_take_lines(stream, CHUNK_ROWS))
            if not lines:
                break
            body, first_line = b"".join(lines), line
            line += len(lines)
            if not body.strip():
                continue
            try:
                words, vectors, _ = read_glove_text(body)
            except ValueError as error:
                raise ValueError(f"in the block of lines from {first_line:,}: {error}") from None
            if vectors.shape[1] != dim:
                raise ValueError(f"near line {first_line:,}: rows have {vectors.shape[1]} numbers, "
                                 f"the first had {dim}")
            writer.write(words, vectors)
            done += len(words)
            if progress:
                progress(done, rows)
    return writer


def _chain_first(first: bytes, stream):
    yield first
    yield from stream


def _take_lines(lines, n: int):
    for _, line in zip(range(n), lines):
        yield line


def copy_npy(path: Path, writer_for, progress: Progress | None):
    vectors = np.load(path, mmap_mode="r", allow_pickle=False)
    if vectors.ndim != 2:
        raise ValueError(f"{path.name} holds an array of shape {vectors.shape}; a table is 2-D")
    writer = writer_for(*vectors.shape)
    for start in range(0, vectors.shape[0], CHUNK_ROWS):
        block = np.asarray(vectors[start:start + CHUNK_ROWS], dtype=np.float32)
        writer.write([str(i) for i in range(start, start + len(block))], block)
        if progress:
            progress(start + len(block), vectors.shape[0])
    return writer


def detect_file_format(path: Path) -> str:
    from engine.readers import detect_format

    with _open_bytes(path) as stream:
        head = stream.read(1 << 16)
    return detect_format(head, path.name)
