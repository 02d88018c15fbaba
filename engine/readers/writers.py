"""Tables back to files: round trips in the tests, and the downloads of the app."""
from __future__ import annotations

import io

import numpy as np

from engine.vectors import EmbeddingSet


def _text_rows(table: EmbeddingSet, separator: str = " ", words: bool = True) -> bytes:
    # NumPy's float32 -> str is the shortest text that reads back to the same float32
    cells = np.asarray(table.vectors, dtype=np.float32).astype(str)
    rows = (separator.join(row) for row in cells.tolist())
    lines = (f"{key}{separator}{row}" for key, row in zip(table.index_to_key, rows)) if words else rows
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_vectors(table: EmbeddingSet, format: str) -> bytes:
    """The table as a file in `format` (not torch: use torch.save on the tensor). For tsv and
    npy the words go in a separate file: see write_vocabulary."""
    vectors = np.ascontiguousarray(table.vectors, dtype=np.float32)
    if format in ("word2vec-text", "fasttext-vec"):
        return f"{len(table)} {table.dim}\n".encode() + _text_rows(table)
    if format == "glove-text":
        return _text_rows(table)
    if format == "tsv":
        return _text_rows(table, "\t", words=False)
    if format == "word2vec-binary":
        parts = [f"{len(table)} {table.dim}\n".encode()]
        for key, row in zip(table.index_to_key, vectors.astype("<f4")):
            parts.append(key.encode("utf-8") + b" " + row.tobytes() + b"\n")
        return b"".join(parts)
    if format == "npy":
        buffer = io.BytesIO()
        np.save(buffer, vectors, allow_pickle=False)
        return buffer.getvalue()
    if format == "safetensors":
        from safetensors.numpy import save

        return save({"embeddings": vectors})
    raise ValueError(f"cannot write format {format!r}; writable: word2vec-text, word2vec-binary, "
                     "glove-text, fasttext-vec, tsv, npy, safetensors")


def write_vocabulary(table: EmbeddingSet) -> bytes:
    """One key a line: the metadata.tsv / vocab.txt beside a tsv, npy or safetensors file."""
    return ("\n".join(table.index_to_key) + "\n").encode("utf-8")
