"""Messages between the server and a training process: a JSON header and raw NumPy arrays
of a few plain dtypes, never pickle, so nothing but numbers and strings crosses over.

One message is `kind` (e.g. "epoch"), `meta` (JSON-able: numbers, strings, lists, dicts)
and `arrays` ({name: ndarray}). On the wire: 4-byte header length, the JSON header (kind,
meta, and each array's dtype and shape), then the arrays' bytes one after another.
"""
from __future__ import annotations

import json
import struct

import numpy as np

DTYPES = {"float32", "float64", "int32", "int64", "uint8", "bool"}
LENGTH = struct.Struct("<I")


def encode(kind: str, meta: dict | None = None, arrays: dict[str, np.ndarray] | None = None) -> bytes:
    arrays = {name: np.ascontiguousarray(a) for name, a in (arrays or {}).items()}
    layout = []
    for name, array in arrays.items():
        if array.dtype.name not in DTYPES:
            raise TypeError(f"array {name!r} has dtype {array.dtype}; the wire carries {sorted(DTYPES)}")
        layout.append([name, array.dtype.name, list(array.shape)])
    header = json.dumps({"kind": kind, "meta": meta or {}, "arrays": layout}).encode("utf-8")
    return b"".join([LENGTH.pack(len(header)), header, *(a.tobytes() for a in arrays.values())])


def decode(message: bytes) -> tuple[str, dict, dict[str, np.ndarray]]:
    """(kind, meta, arrays); the arrays are read-only views of `message`."""
    (size,) = LENGTH.unpack_from(message, 0)
    header = json.loads(message[LENGTH.size:LENGTH.size + size])
    position = LENGTH.size + size
    arrays = {}
    for name, dtype, shape in header["arrays"]:
        if dtype not in DTYPES:
            raise ValueError(f"array {name!r}: dtype {dtype!r} is not one the wire carries")
        count = int(np.prod(shape, dtype=np.int64))
        arrays[name] = np.frombuffer(message, dtype=dtype, count=count, offset=position).reshape(shape)
        position += count * np.dtype(dtype).itemsize
    return header["kind"], header["meta"], arrays


def encode_words(words: list[str]) -> np.ndarray:
    """Words (none containing a newline) as one uint8 array of their newline-joined UTF-8."""
    return np.frombuffer("\n".join(words).encode("utf-8"), dtype=np.uint8)


def decode_words(array: np.ndarray) -> list[str]:
    return array.tobytes().decode("utf-8").split("\n") if array.size else []
