"""A model folder (config.json, model.safetensors or its shards with their index, or
pytorch_model.bin, and tokenizer.json) -> its token table, named by the token strings, and
its output embedding when the model has its own.

The input embedding is found by name (word_embeddings, embed_tokens, wte, shared, embed_in,
…) among 2-D tensors whose rows are the config's vocab_size; when several fit and none is
T5/BART's `shared`, the caller is asked (SeveralTables lists them; `tensor=` chooses). The
output embedding (lm_head, embed_out, …) is compared with it value for value: equal means
tied and stored twice, absent means tied or no language-model head (from the config and the
architecture), different means untied. With an index, only the shards that hold these
tensors are opened; on disk a shard is memory-mapped, so only the table's own bytes are read.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from engine.readers.folder_files import FolderFiles, folder_files
from engine.readers.json_text import json_document
from engine.readers.limits import LIMITS, MAX_CONFIG_JSON, MAX_TOKENIZER_JSON, FileFormatError, Input, Limits
from engine.readers.tensors import TensorInfo, read_torch, safetensors_array, safetensors_header, torch_tensors
from engine.readers.tokenizer_json import TokenizerVocabulary, parse_tokenizer_json
from engine.units import human_bytes
from engine.vectors import EmbeddingSet

INPUT_NAMES = ("word_embeddings", "embed_tokens", "wte", "shared", "embed_in", "tok_embeddings",
               "token_embedding", "word_embedding", "tok_embedding")
OUTPUT_NAMES = ("lm_head", "embed_out", "output", "generator_lm_head")
OUTPUT_ENDINGS = ("predictions.decoder.weight", "lm_head.decoder.weight")
HEADS = ("LMHead", "ForCausalLM", "ForMaskedLM", "ForConditionalGeneration", "ForPreTraining")
CHOOSE = "--tensor NAME with load or import"
INDEXES = {"model.safetensors.index.json": "safetensors", "pytorch_model.bin.index.json": "torch"}


class SeveralTables(FileFormatError):
    """More than one tensor could be the token table; `candidates` names them."""

    def __init__(self, message: str, candidates: tuple[str, ...]):
        super().__init__(message)
        self.candidates = candidates


@dataclass(frozen=True)
class TensorPlace:
    """A tensor of the checkpoint: its file and, once that file's header is read, its shape."""

    name: str
    file: str
    shape: tuple[int, ...] | None = None
    dtype: str | None = None

    @property
    def part(self) -> str:
        """The last name part before '.weight': 'model.embed_tokens.weight' -> 'embed_tokens'."""
        return self.name.removesuffix(".weight").split(".")[-1]

    @property
    def is_output(self) -> bool:
        return self.part in OUTPUT_NAMES or self.name.endswith(OUTPUT_ENDINGS)

    @property
    def table_like(self) -> bool:
        return self.shape is not None and len(self.shape) == 2 and \
            TensorInfo(self.name, self.shape, self.dtype or "").usable


@dataclass(frozen=True)
class ModelTables:
    """What a model folder holds for its tokens.

    input : (V, d) token table, keys = token strings, metadata = token (raw) and kind.
    output : (V, d) output embedding when the files hold a different one, else None.
    tying : 'tied', 'tied, stored twice', 'untied', 'no output layer' or 'not in the files';
    tying_reason says how that was decided.
    """

    input: EmbeddingSet
    input_tensor: str
    output: EmbeddingSet | None
    output_tensor: str | None
    tying: str
    tying_reason: str
    vocabulary: TokenizerVocabulary | None = field(repr=False)
    config: dict = field(repr=False)
    notes: tuple[str, ...] = ()
    files_read: tuple[str, ...] = ()

    @property
    def init_std(self) -> float | None:
        """The standard deviation rows were initialised with (config initializer_range)."""
        value = _config_value(self.config, ("initializer_range", "init_std"))
        return float(value) if isinstance(value, (int, float)) and value > 0 else None

    @property
    def pad_row(self) -> int | None:
        value = _config_value(self.config, ("pad_token_id",))
        return value if type(value) is int and 0 <= value < len(self.input) else None

    def to_dict(self) -> dict:
        vocabulary = self.vocabulary
        return {"name": self.input.name, "rows": len(self.input), "dim": self.input.dim,
                "format": "model folder", "input_tensor": self.input_tensor,
                "output_tensor": self.output_tensor, "tying": self.tying,
                "tying_reason": self.tying_reason,
                "tokenizer": None if vocabulary is None else {
                    "kind": vocabulary.kind, "tokens": vocabulary.size,
                    "special": len(vocabulary.special), "added": len(vocabulary.added)},
                "files_read": list(self.files_read), "notes": list(self.notes)}


def _config_value(config: dict, keys: tuple[str, ...]):
    for where in (config, config.get("text_config") if isinstance(config.get("text_config"), dict) else {}):
        for key in keys:
            if key in where:
                return where[key]
    return None


def _json(files: FolderFiles, name: str, limit: int) -> dict:
    if files.size(name) > limit:
        raise FileFormatError(f"{name} is {human_bytes(files.size(name))}; at most {human_bytes(limit)} "
                              "are allowed for it")
    document = json_document(name, files.data(name))
    if not isinstance(document, dict):
        raise FileFormatError(f"{name} is JSON but not an object")
    return document


# -- where the tensors are -----------------------------------------------------------------
class Checkpoint:
    """The tensors of a folder's weights, by name, and their files (read on demand)."""

    def __init__(self, files: FolderFiles, limits: Limits):
        self.files, self.limits, self.notes = files, limits, []
        self._headers: dict[str, dict] = {}
        self.kind, self.places, self.missing = self._locate()

    def _locate(self) -> tuple[str, dict[str, TensorPlace], list[str]]:
        names = self.files.names()
        for index, kind in INDEXES.items():
            if index in names:
                weight_map = _json(self.files, index, MAX_CONFIG_JSON).get("weight_map")
                if not isinstance(weight_map, dict) or not all(isinstance(v, str) for v in weight_map.values()):
                    raise FileFormatError(f"{index} has no weight_map of tensor name -> shard file")
                shards = sorted(set(weight_map.values()))
                missing = [s for s in shards if s not in names]
                places = {t: TensorPlace(t, f) for t, f in weight_map.items()}
                return kind, places, missing
        shards = sorted(n for n in names if n.endswith(".safetensors") and "/" not in n)
        if shards:
            return "safetensors", {t: place for shard in shards
                                   for t, place in self._header_places(shard).items()}, []
        if "pytorch_model.bin" in names:
            return "torch", self._torch_places("pytorch_model.bin"), []
        listed = ", ".join(sorted(names)[:12]) or "none"
        raise FileFormatError(f"{self.files.label} holds no weights: no model.safetensors, no shards "
                              f"with model.safetensors.index.json, no pytorch_model.bin (files: {listed})")

    def _header_places(self, shard: str) -> dict[str, TensorPlace]:
        if shard not in self._headers:
            self._headers[shard] = safetensors_header(self.files.data(shard))
        return {t: TensorPlace(t, shard, e["shape"], e["dtype"]) for t, e in self._headers[shard].items()}

    def _torch_places(self, shard: str) -> dict[str, TensorPlace]:
        infos = torch_tensors(Input(memoryview(self.files.data(shard)), self.limits), self.limits)
        return {t.name: TensorPlace(t.name, shard, t.shape, t.dtype) for t in infos}

    def with_shapes(self, wanted: list[TensorPlace]) -> list[TensorPlace]:
        """`wanted` with shapes, reading the headers of their shards (not of the others)."""
        out = []
        for place in wanted:
            if place.shape is None and place.file not in self.missing:
                read = (self._header_places if self.kind == "safetensors" else self._torch_places)(place.file)
                place = read.get(place.name, place)
            out.append(place)
        return out

    def read(self, place: TensorPlace) -> np.ndarray:
        """(rows, d) float32 of one tensor, reading its shard only."""
        if place.file in self.missing:
            raise FileFormatError(f"the index puts {place.name} in {place.file}, which is not in "
                                  f"{self.files.label}; shards missing: {', '.join(self.missing)}")
        if self.kind == "safetensors":
            self._header_places(place.file)
            return safetensors_array(self.files.data(place.file), self._headers[place.file][place.name],
                                     place.name, self.limits)
        array, _, _ = read_torch(Input(memoryview(self.files.data(place.file)), self.limits), place.name,
                                 self.limits)
        return array


# -- which tensor is which -----------------------------------------------------------------
def _shape_text(place: TensorPlace) -> str:
    return f"{place.name} {list(place.shape)}" if place.shape else place.name


def choose_input(checkpoint: Checkpoint, config: dict, wanted: str | None) -> TensorPlace:
    """The token table's tensor: `wanted`, else the one named like an input embedding with
    vocab_size rows (T5/BART's `shared` before its copies); SeveralTables when more fit."""
    places = checkpoint.places
    if wanted is not None:
        if wanted not in places:
            raise FileFormatError(f"no tensor named {wanted!r} in {checkpoint.files.label}")
        chosen = checkpoint.with_shapes([places[wanted]])[0]
        if not chosen.table_like:
            raise FileFormatError(f"tensor {wanted!r} has shape {list(chosen.shape or [])} of "
                                  f"{chosen.dtype}; a token table is a 2-D floating-point tensor")
        return chosen
    vocab = _config_value(config, ("vocab_size",))
    named = checkpoint.with_shapes([p for p in places.values() if p.part in INPUT_NAMES])
    fitting = [p for p in named if p.table_like and (vocab is None or p.shape[0] == vocab)]
    if not fitting:
        fitting = [p for p in named if p.table_like]
    lost = [p for p in named if p.file in checkpoint.missing]
    if not fitting and lost:
        checkpoint.read(lost[0])                 # says which shard is missing
    if not fitting and type(vocab) is int:
        rows = checkpoint.with_shapes([p for p in places.values() if not p.is_output])
        fitting = [p for p in rows if p.table_like and p.shape[0] == vocab]
    if not fitting:
        shown = ", ".join(_shape_text(p) for p in list(places.values())[:8])
        message = (f"no embedding tensor in {checkpoint.files.label}: none is named like one "
                   f"({', '.join(INPUT_NAMES[:5])}, …)" + (f" or has vocab_size = {vocab:,} rows"
                   if type(vocab) is int else "") + f"; tensors: {shown}")
        tables = [p.name for p in checkpoint.with_shapes(list(places.values())) if p.table_like]
        if tables:
            raise SeveralTables(f"{message}; choose one by name ({CHOOSE})", tuple(tables))
        raise FileFormatError(message)
    shared = [p for p in fitting if p.part == "shared"]
    if len(fitting) > 1 and len(shared) != 1:
        raise SeveralTables(f"{len(fitting)} tensors could be the token table: "
                            f"{', '.join(_shape_text(p) for p in fitting)}; choose one by name ({CHOOSE})",
                            tuple(p.name for p in fitting))
    return (shared or fitting)[0]


def find_output(checkpoint: Checkpoint, chosen: TensorPlace) -> TensorPlace | None:
    """The output embedding's tensor (lm_head, embed_out, …) of the input's shape, if any."""
    outputs = checkpoint.with_shapes([p for p in checkpoint.places.values()
                                      if p.is_output and p.name != chosen.name])
    fitting = [p for p in outputs if p.shape == chosen.shape and p.table_like]
    return fitting[0] if fitting else None


def tying(config: dict, input_name: str, output_name: str | None, input_rows: np.ndarray,
          output_rows: np.ndarray | None) -> tuple[str, str]:
    """(how the output embedding relates to the input, and why), from config.json's
    tie_word_embeddings, the architecture, and the two tensors compared value for value."""
    tie = _config_value(config, ("tie_word_embeddings",))
    said = ("config.json does not set tie_word_embeddings (transformers' default: tied)" if tie is None
            else f"config.json sets tie_word_embeddings = {str(bool(tie)).lower()}")
    architecture = (config.get("architectures") or ["the model"])[0]
    if output_rows is None:
        if isinstance(architecture, str) and architecture != "the model" and not any(h in architecture for h in HEADS):
            return "no output layer", (f"no output embedding: {architecture} is the model without its "
                                       f"language-model head ({said})")
        if tie is False:
            return "not in the files", f"{said}, but the files hold no output tensor (lm_head, embed_out, …)"
        return "tied", f"tied: the output layer reuses {input_name} ({said}; the files hold no separate output tensor)"
    if np.array_equal(input_rows, output_rows):
        return "tied, stored twice", f"{output_name} equals {input_name} value for value: tied ({said})"
    unit = lambda m: m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-30)  # noqa: E731
    cosine = float(np.einsum("ij,ij->i", unit(input_rows), unit(output_rows)).mean())
    largest = float(np.abs(input_rows - output_rows).max())
    surprise = "; the config says tied, yet they differ" if tie is True else ""
    return "untied", (f"untied: {output_name} differs from {input_name} (mean cosine of a token's two "
                      f"rows {cosine:.3f}, largest difference {largest:.3g}; {said}){surprise}")


def _vocabulary(files: FolderFiles) -> TokenizerVocabulary | None:
    if not files.has("tokenizer.json"):
        return None
    if files.size("tokenizer.json") > MAX_TOKENIZER_JSON:
        raise FileFormatError(f"tokenizer.json is {human_bytes(files.size('tokenizer.json'))}; a tokenizer.json "
                              f"may be at most {human_bytes(MAX_TOKENIZER_JSON)} (the largest real ones, of "
                              "256,000 tokens, are over 30 MiB)")
    return parse_tokenizer_json(files.data("tokenizer.json"))


def _range(ids: list[int]) -> str:
    """'id 7', 'ids 7–9', or 'ids 7–20, not all of them' for ascending ids."""
    if len(ids) == 1:
        return f"id {ids[0]:,}"
    gaps = "" if ids[-1] - ids[0] + 1 == len(ids) else ", not all of them"
    return f"ids {ids[0]:,}–{ids[-1]:,}{gaps}"


def token_keys(vocabulary: TokenizerVocabulary | None, files: FolderFiles, rows: int,
               tensor: str) -> tuple[list[str], list[str], list[str]]:
    """(a key per row: its token string, or '<row N>'; each row's kind; notes). FileFormatError
    when the tokenizer has tokens past the table's last row."""
    if vocabulary is None:
        if files.has("vocab.txt"):
            words = bytes(files.data("vocab.txt")).decode("utf-8", "replace").split("\n")[:rows]
            words += [f"<row {i}>" for i in range(len(words), rows)]
            return words, ["vocabulary"] * rows, ["no tokenizer.json: token strings from vocab.txt; "
                                                  "special tokens are not marked"]
        return [str(i) for i in range(rows)], ["no token"] * rows, [
            "no tokenizer.json or vocab.txt: rows are named by their id 0, 1, 2, …"]
    beyond = [i for i in range(rows, vocabulary.size) if vocabulary.tokens[i] is not None]
    if beyond:
        shown = ", ".join(repr(vocabulary.display(i)) for i in beyond[:3])
        raise FileFormatError(f"tokenizer.json has {vocabulary.size:,} token ids but {tensor} has "
                              f"{rows:,} rows: {len(beyond):,} tokens ({_range(beyond)}: {shown}) "
                              "would have no row; is it this model's tokenizer?")
    notes = []
    missing = vocabulary.gaps() + list(range(vocabulary.size, rows))
    if missing:
        notes.append(f"{tensor} has {rows:,} rows and tokenizer.json {vocabulary.size - len(vocabulary.gaps()):,} "
                     f"tokens: {len(missing):,} rows have no token string ({_range(missing)}); "
                     "they are named <row N>")
    keys, kinds = [], []
    for i in range(rows):
        text = vocabulary.display(i) if i < vocabulary.size else None
        keys.append(text if text is not None else f"<row {i}>")
        kinds.append("no token" if text is None else "special" if i in vocabulary.special
                     else "added" if i in vocabulary.added else "byte fallback" if vocabulary.is_byte_fallback(i)
                     else "part of a character" if vocabulary.byte_level and vocabulary.partial_character(i)
                     else "vocabulary")
    return keys, kinds, notes


def _metadata(keys: list[str], vocabulary: TokenizerVocabulary | None, kinds: list[str]):
    import pandas as pd

    raw = [(vocabulary.tokens[i] if vocabulary is not None and i < vocabulary.size else None)
           for i in range(len(keys))]
    return pd.DataFrame({"key": keys, "token": [None if t is None else repr(t)[1:-1] for t in raw],
                         "kind": kinds})


def read_model_folder(source, tensor: str | None = None, name: str | None = None,
                      limits: Limits = LIMITS) -> ModelTables:
    """The ModelTables of a model folder.

    Parameters
    ----------
    source : a folder path (a Hugging Face cache folder or snapshot too), a zip of the
        folder (path, bytes or uploaded file), or a list of uploaded files.
    tensor : the token table's tensor name; default: found (see choose_input).
    name : the table's name; default: the folder's (a cache snapshot: the model's).
    limits : rows, dims and memory each table may take (UPLOAD_LIMITS in the app).
    """
    files = folder_files(source, limits)
    config = _json(files, "config.json", MAX_CONFIG_JSON) if files.has("config.json") else {}
    checkpoint = Checkpoint(files, limits)
    chosen = choose_input(checkpoint, config, tensor)
    output_place = find_output(checkpoint, chosen)
    if output_place is not None:
        limits.check(2 * chosen.shape[0], chosen.shape[1], f"{chosen.name} and {output_place.name}")
    input_rows = checkpoint.read(chosen)
    output_rows = checkpoint.read(output_place) if output_place is not None else None
    how, reason = tying(config, chosen.name, output_place and output_place.name, input_rows, output_rows)
    vocabulary = _vocabulary(files)
    keys, kinds, notes = token_keys(vocabulary, files, input_rows.shape[0], chosen.name)
    if not config:
        notes.insert(0, "no config.json: the table was found by its tensor's name alone")
    if checkpoint.missing:
        notes.append(f"{len(checkpoint.missing)} shard(s) named in the index are not here "
                     f"({', '.join(checkpoint.missing[:3])}); the table's shard is, so it was read")
    name = name or files.name
    metadata = _metadata(keys, vocabulary, kinds)
    where = f"{name}: {chosen.name} ({chosen.dtype}), {input_rows.shape[0]:,} tokens × {input_rows.shape[1]}"
    table = EmbeddingSet(input_rows, keys, name, frequency_ordered=False, description=where, metadata=metadata)
    output = None
    if how == "untied":
        output = EmbeddingSet(output_rows, keys, f"{name}-output", frequency_ordered=False,
                              description=f"{name}: output embedding {output_place.name}",
                              metadata=metadata)
    read = sorted({chosen.file} | ({output_place.file} if output_place else set()))
    return ModelTables(table, chosen.name, output, output_place and output_place.name, how, reason,
                       vocabulary, config, tuple(notes), tuple(read))


def is_model_folder(source) -> bool:
    """Whether a path is a folder holding weights (or a Hugging Face cache folder)."""
    from pathlib import Path

    if not isinstance(source, (str, Path)) or not Path(source).is_dir():
        return False
    path = Path(source)
    return path.name.startswith("models--") or any(
        (path / n).is_file() for n in ("config.json", "model.safetensors", "model.safetensors.index.json",
                                        "pytorch_model.bin", "pytorch_model.bin.index.json", "tokenizer.json"))
