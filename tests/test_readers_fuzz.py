"""Fuzz: random and mutated bytes into every reader. Only FileFormatError may escape, a
table that comes out respects the limits, no example takes long (deadline) or allocates
much (tracemalloc peak)."""
import gzip
import io
import tracemalloc

import numpy as np
import pandas  # noqa: F401  imported here, not inside the first timed example
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.readers import FORMATS, FileFormatError, Limits, read_vectors, write_vectors
from engine.vectors import EmbeddingSet

LIMITS = Limits(max_bytes=1 << 20, max_rows=10_000, max_dim=512, max_memory=8 << 20)
# a .bin that passes its checks is read by gensim in a child process: fuzzed on the checks alone
READ_FORMATS = tuple(f for f in FORMATS if f != "fasttext-bin")
PEAK_BYTES = 64 << 20
FUZZ = settings(max_examples=200, deadline=2_000, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _seed_files() -> dict[str, bytes]:
    import torch
    from safetensors.numpy import save

    table = EmbeddingSet(np.arange(12, dtype=np.float32).reshape(4, 3) / 7,
                         ["a", "bé", "c", "d"], "seed")
    files = {fmt: write_vectors(table, fmt) for fmt in
             ("word2vec-text", "word2vec-binary", "glove-text", "fasttext-vec", "tsv", "npy")}
    files["safetensors"] = save({"emb": table.vectors, "b": np.zeros(2, np.float32)})
    buffer = io.BytesIO()
    torch.save({"emb.weight": torch.from_numpy(table.vectors.copy())}, buffer)
    files["torch"] = buffer.getvalue()
    return files


SEEDS = _seed_files()


@st.composite
def mutated(draw, seed: bytes) -> bytes:
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["flip", "cut", "insert", "delete"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if kind == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif kind == "cut":
            del data[at:]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16) | st.sampled_from(
                [b"nan", b" ", b"\n", b"\t", b"-", b"1e999", b"\xff\xfe", b"999999999999"]))
        elif data:
            del data[at:at + draw(st.integers(1, 32))]
    return bytes(data)


def read_safely(data: bytes, fmt: str) -> None:
    tracemalloc.start()
    try:
        table = read_vectors(data, format=fmt, limits=LIMITS)
        assert table.vectors.dtype == np.float32
        assert len(table) <= LIMITS.max_rows and table.dim <= LIMITS.max_dim
        assert np.isfinite(table.vectors).all()
        assert len(table.index_to_key) == len(table)
    except FileFormatError as error:
        assert "\n" not in str(error), "errors are one line"
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert peak < PEAK_BYTES, f"{peak:,} bytes allocated for a {len(data):,}-byte file"


@pytest.mark.parametrize("fmt", READ_FORMATS)
@FUZZ
@given(data=st.data())
def test_mutated_files(fmt, data):
    blob = data.draw(mutated(SEEDS[fmt]))
    read_safely(blob, fmt)
    read_safely(blob, "auto")


@pytest.mark.parametrize("fmt", ("auto",) + READ_FORMATS)
@FUZZ
@given(blob=st.binary(max_size=600))
def test_random_bytes(fmt, blob):
    read_safely(blob, fmt)


@FUZZ
@given(data=st.data())
def test_mutated_gzip(data):
    fmt = data.draw(st.sampled_from(["word2vec-text", "glove-text", "tsv"]))
    read_safely(data.draw(mutated(gzip.compress(SEEDS[fmt]))), "auto")
