"""Tensor files: safetensors and PyTorch (zip or legacy), and which 2-D tensor is the table.

safetensors: the JSON header is checked as the safetensors library checks it (sizes match
the dtype and shape, tensors tile the data with no gap or overlap) before any tensor is read.
PyTorch: ``torch.load(..., weights_only=True)`` only, and a zip archive's storage sizes are
summed from its members before anything is loaded: a file whose tensors exceed the memory
budget is refused unread. Listing tensors loads on the meta device: shapes, no data.
"""
from __future__ import annotations

import io
import json
import math
import re
import struct
import zipfile
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from engine.readers.limits import FileFormatError, Input, Limits
from engine.readers.numpy_files import finite_float32
from engine.units import human_bytes

ZIP_MAGIC = b"PK\x03\x04"
TORCH_LEGACY_MAGIC = b"\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19"
MAX_SAFETENSORS_HEADER = 100_000_000      # the safetensors library's own bound
PICKLE_REFUSED = ("the file is a Python pickle (a gensim .model or .kv, or another pickled "
                  "object), not a weights file; a pickle can run code, so it is not loaded: "
                  "export the vectors with model.wv.save_word2vec_format(\"vectors.txt\") "
                  "and load that")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@dataclass(frozen=True)
class TensorInfo:
    """One tensor in a safetensors or PyTorch file."""

    name: str
    shape: tuple[int, ...]
    dtype: str

    @property
    def usable(self) -> bool:
        """2-D and floating point: can be an embedding table."""
        return len(self.shape) == 2 and self.dtype.lower().removeprefix("torch.").startswith(("f", "bf"))


def is_pickle(head: bytes) -> bool:
    return head[:1] == b"\x80" and head[1:2] in (b"\x02", b"\x03", b"\x04", b"\x05")


def choose_tensor(tensors: Sequence[TensorInfo], wanted: str | None) -> str:
    """`wanted` if it is a usable tensor; by default the largest 2-D float tensor whose name
    says embedding (word_embeddings, embed_tokens, wte, ...), else the largest one."""
    usable = [t for t in tensors if t.usable]
    if wanted is not None:
        found = {t.name: t for t in tensors}.get(wanted)
        if found is None:
            raise FileFormatError(f"no tensor named {wanted!r}; 2-D float tensors here: "
                                  f"{', '.join(t.name for t in usable) or 'none'}")
        if not found.usable:
            raise FileFormatError(f"tensor {wanted!r} has shape {list(found.shape)} of {found.dtype}; "
                                  "an embedding table is a 2-D floating-point tensor")
        return wanted
    if not usable:
        listed = ", ".join(f"{t.name} {list(t.shape)}" for t in tensors[:8]) or "none"
        raise FileFormatError(f"the file has no 2-D floating-point tensor to use as a table "
                              f"(tensors: {listed})")
    named = [t for t in usable if any(s in t.name.lower() for s in ("embed", "wte", "tok", "vocab"))]
    return max(named or usable, key=lambda t: math.prod(t.shape)).name


# -- safetensors -------------------------------------------------------------------------
SAFETENSORS_DTYPES = {"F16": np.dtype("<f2"), "F32": np.dtype("<f4"), "F64": np.dtype("<f8"),
                      "BF16": np.dtype("<u2"), "I8": np.dtype("i1"), "U8": np.dtype("u1"),
                      "I16": np.dtype("<i2"), "I32": np.dtype("<i4"), "I64": np.dtype("<i8"),
                      "BOOL": np.dtype("?")}


def _whole_numbers(values) -> bool:
    return isinstance(values, list) and all(type(n) is int and n >= 0 for n in values)


def _safetensors_entry(name: str, entry) -> tuple[str, tuple[int, ...], int, int]:
    if not isinstance(entry, dict) or entry.get("dtype") not in SAFETENSORS_DTYPES:
        raise FileFormatError(f"the safetensors header entry for {name[:60]!r} needs a known dtype "
                              f"({', '.join(SAFETENSORS_DTYPES)}); found {str(entry)[:80]}")
    shape, offsets = entry.get("shape"), entry.get("data_offsets")
    if not _whole_numbers(shape) or not _whole_numbers(offsets) or len(offsets) != 2:
        raise FileFormatError(f"tensor {name[:60]!r}: shape {str(shape)[:40]} and data_offsets "
                              f"{str(offsets)[:40]} must be whole numbers of at least 0 (two offsets)")
    return entry["dtype"], tuple(shape), offsets[0], offsets[1]


def safetensors_header(data) -> dict:
    """tensor name -> {dtype, shape, begin, end} (absolute byte offsets), checked against the
    file as the safetensors library checks it."""
    if len(data) < 8:
        raise FileFormatError(f"a safetensors file starts with an 8-byte header length; this one has "
                              f"{len(data)} bytes")
    length = struct.unpack("<Q", bytes(data[:8]))[0]
    if length > len(data) - 8 or length > MAX_SAFETENSORS_HEADER:
        raise FileFormatError(f"bytes 0–7: the header length says {length:,} bytes but only "
                              f"{len(data) - 8:,} follow (at most {MAX_SAFETENSORS_HEADER:,} are allowed)")
    try:
        header = json.loads(bytes(data[8:8 + length]).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FileFormatError(f"bytes 8–{8 + length:,}: the safetensors header is not JSON "
                              f"({str(error)[:80]})") from None
    except RecursionError:
        raise FileFormatError(f"bytes 8–{8 + length:,}: the safetensors header nests JSON too "
                              "deeply; it is a flat object of tensors") from None
    if not isinstance(header, dict):
        raise FileFormatError("bytes 8 on: the safetensors header is not a JSON object")
    base, size = 8 + length, len(data) - 8 - length
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        dtype, shape, begin, end = _safetensors_entry(name, entry)
        needed = math.prod(shape) * SAFETENSORS_DTYPES[dtype].itemsize
        if end > size:
            raise FileFormatError(f"tensor {name[:60]!r}: data_offsets end at byte {base + end:,} but "
                                  f"the file ends at byte {len(data):,}")
        if end < begin or end - begin != needed:
            raise FileFormatError(f"tensor {name[:60]!r}: shape {list(shape)} of {dtype} needs "
                                  f"{needed:,} bytes but data_offsets span {end - begin:,} (bytes "
                                  f"{base + begin:,}–{base + end:,})")
        tensors[name] = {"dtype": dtype, "shape": shape, "begin": base + begin, "end": base + end}
    expected = base
    for name, entry in sorted(tensors.items(), key=lambda item: (item[1]["begin"], item[1]["end"])):
        if entry["begin"] != expected:
            kind = "overlaps the one before" if entry["begin"] < expected else "leaves a gap before it"
            raise FileFormatError(f"tensor {name[:60]!r} starts at byte {entry['begin']:,} and {kind} "
                                  f"(expected byte {expected:,}); tensors must tile the data")
        expected = entry["end"]
    if expected != len(data):
        raise FileFormatError(f"the tensors end at byte {expected:,} but the file goes on to byte "
                              f"{len(data):,}; tensors must tile the data")
    return tensors


def safetensors_tensors(inp: Input) -> tuple[TensorInfo, ...]:
    return tuple(TensorInfo(name, entry["shape"], entry["dtype"])
                 for name, entry in safetensors_header(inp.whole()).items())


def read_safetensors(inp: Input, tensor: str | None, limits: Limits
                     ) -> tuple[np.ndarray, str, tuple[TensorInfo, ...]]:
    """(the chosen 2-D float tensor as float32, its name, all tensors). BF16 is widened bit-exactly."""
    data = inp.whole()
    header = safetensors_header(data)
    tensors = tuple(TensorInfo(n, e["shape"], e["dtype"]) for n, e in header.items())
    name = choose_tensor(tensors, tensor)
    return safetensors_array(data, header[name], name, limits), name, tensors


def safetensors_array(data, entry: dict, name: str, limits: Limits) -> np.ndarray:
    """The 2-D float tensor `entry` of safetensors_header(data) as float32, checked against
    `limits` before it is read. BF16 is widened bit-exactly."""
    limits.check(entry["shape"][0], entry["shape"][1], f"tensor {name!r}")
    raw = np.frombuffer(data, dtype=SAFETENSORS_DTYPES[entry["dtype"]],
                        count=math.prod(entry["shape"]), offset=entry["begin"])
    if entry["dtype"] == "BF16":   # bfloat16 is the top half of a float32
        raw = (raw.astype(np.uint32) << 16).view(np.float32)
    return finite_float32(raw.reshape(entry["shape"]), f"tensor {name!r}")


# -- PyTorch -----------------------------------------------------------------------------
def _first_line(error: Exception) -> str:
    text = ANSI.sub("", str(error)).strip()
    return (text.splitlines() or [type(error).__name__])[0][:160]


def _check_torch_sizes(data, limits: Limits) -> None:
    """Refuse a zip archive whose tensor storages (members 'data/N', sizes as the archive
    states them) exceed the memory budget, before torch reads any of them."""
    try:
        with zipfile.ZipFile(io.BytesIO(data) if isinstance(data, (bytes, bytearray)) else data) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise FileFormatError(f"not a readable PyTorch zip archive: {_first_line(error)}") from None
    storages = [m for m in members if re.fullmatch(r"[^/]+/data/\d+", m.filename)]
    total = sum(m.file_size for m in storages)
    if total > limits.max_memory:
        raise FileFormatError(f"the PyTorch file's {len(storages):,} tensor storages unpack to "
                              f"{human_bytes(total)}; the memory budget is {human_bytes(limits.max_memory)}")


def _torch_load(inp: Input, limits: Limits, map_location: str = "cpu"):
    import pickle

    import torch

    data = inp.whole()
    head = bytes(data[:len(TORCH_LEGACY_MAGIC)])
    if not head.startswith(ZIP_MAGIC) and not head.startswith(TORCH_LEGACY_MAGIC):
        raise FileFormatError(PICKLE_REFUSED if is_pickle(head) else
                              "not a PyTorch file: it is neither a zip archive (torch.save) nor "
                              "the legacy pickle format")
    if head.startswith(ZIP_MAGIC):
        _check_torch_sizes(inp.plain_path or data, limits)
    elif len(data) > limits.max_memory:      # legacy files store their tensors as they are
        raise FileFormatError(f"the PyTorch file is {human_bytes(len(data))}; the memory budget is "
                              f"{human_bytes(limits.max_memory)}")
    where = inp.plain_path if inp.plain_path is not None else io.BytesIO(data)
    try:
        return torch.load(where, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as error:
        found = re.search(r"Unsupported global: GLOBAL ([\w.]+)", ANSI.sub("", str(error)))
        held = f"a Python object ({found.group(1)})" if found else "Python objects"
        raise FileFormatError(f"the PyTorch file holds {held} besides tensors; only weights are "
                              "loaded (weights_only=True): save model.state_dict() instead") from None
    except (RuntimeError, EOFError) as error:
        text = _first_line(error)
        if isinstance(error, EOFError) or "expected" in text and "got" in text or "EOF" in text:
            raise FileFormatError("the PyTorch file is cut short or damaged: a tensor holds fewer "
                                  "bytes than its header says") from None
        raise FileFormatError(f"not a readable PyTorch file: {text}") from None
    except Exception as error:
        raise FileFormatError(f"not a readable PyTorch file: {_first_line(error)}") from None


def _flatten_state(obj, prefix: str = "") -> dict:
    """name -> tensor for a tensor, a state dict, or dicts of them (a checkpoint's 'model')."""
    import torch

    if isinstance(obj, torch.Tensor):
        return {prefix or "tensor": obj}
    if isinstance(obj, dict):
        found = {}
        for key, value in obj.items():
            found.update(_flatten_state(value, f"{prefix}.{key}" if prefix else str(key)))
        return found
    return {}


def _tensor_infos(state: dict) -> tuple[TensorInfo, ...]:
    return tuple(TensorInfo(name, tuple(t.shape), str(t.dtype).replace("torch.", ""))
                 for name, t in state.items())


def torch_tensors(inp: Input, limits: Limits) -> tuple[TensorInfo, ...]:
    """Every tensor of a PyTorch file, loaded on the meta device: shapes only, no data read."""
    return _tensor_infos(_flatten_state(_torch_load(inp, limits, map_location="meta")))


def read_torch(inp: Input, tensor: str | None, limits: Limits
               ) -> tuple[np.ndarray, str, tuple[TensorInfo, ...]]:
    """(the chosen 2-D float tensor as float32, its name, all tensors) of a PyTorch file."""
    state = _flatten_state(_torch_load(inp, limits))
    tensors = _tensor_infos(state)
    name = choose_tensor(tensors, tensor)
    chosen = state[name]
    limits.check(chosen.shape[0], chosen.shape[1], f"tensor {name!r}")
    return finite_float32(chosen.detach().float().numpy(), f"tensor {name!r}"), name, tensors
