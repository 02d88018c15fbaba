"""NumPy .npy: a 2-D floating array (never a pickle: object arrays are refused)."""
from __future__ import annotations

import io

import numpy as np

from engine.readers.limits import LIMITS, FileFormatError, Limits, as_input
from engine.readers.word2vec_binary import check_finite


def finite_float32(matrix: np.ndarray, what: str) -> np.ndarray:
    vectors = np.ascontiguousarray(matrix, dtype=np.float32)
    check_finite(vectors, lambda i: f"{what}, row {i + 1:,},")
    return vectors


def read_npy(source, limits: Limits = LIMITS) -> np.ndarray:
    """The (rows, dims) float32 table of a .npy file."""
    inp = as_input(source, limits)
    from numpy.lib import format as npy

    data = inp.whole()
    stream = io.BytesIO(bytes(data[:1 << 16]))
    try:
        major, _ = npy.read_magic(stream)
        if major == 1:
            shape, fortran, dtype = npy.read_array_header_1_0(stream)
        else:
            shape, fortran, dtype = npy.read_array_header_2_0(stream)
    except Exception as error:
        first = (str(error).strip().splitlines() or [type(error).__name__])[0][:120]
        raise FileFormatError(f"not a readable .npy header: {first}") from None
    if len(shape) != 2:
        raise FileFormatError(f"the .npy array has shape {shape}; an embedding table must be 2-D")
    if any(not isinstance(n, int) or n < 0 for n in shape):
        raise FileFormatError(f"the .npy header gives the shape {shape}; sizes must be whole "
                              "numbers of at least 0")
    if dtype.kind != "f":
        raise FileFormatError(f"the .npy array holds {dtype}; only floating-point tables are read")
    limits.check(shape[0], shape[1], "the .npy array")
    offset = stream.tell()
    needed = shape[0] * shape[1] * dtype.itemsize
    if len(data) - offset < needed:
        raise FileFormatError(f"the .npy header promises {shape[0]:,} × {shape[1]:,} {dtype} "
                              f"({needed:,} bytes from byte {offset:,}) but the file ends at byte "
                              f"{len(data):,}")
    flat = np.frombuffer(data, dtype=dtype, count=shape[0] * shape[1], offset=offset)
    matrix = flat.reshape(shape[::-1]).T if fortran else flat.reshape(shape)
    return finite_float32(matrix, "the .npy array")
