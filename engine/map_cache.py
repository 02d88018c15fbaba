"""Maps kept on disk: one .npz per table, method and settings (keyed by the table's
fingerprint and CACHE_VERSION), pruned oldest first past a size budget, written atomically so
processes sharing the folder never read half a map."""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from engine.atomic import atomic_path
from engine.budget import budget_from_env
from engine.neighbourhoods import Faithfulness
from engine.project import MapResult, MapSpec, Progress, build_map
from engine.vectors import EmbeddingSet

if TYPE_CHECKING:
    from engine.cluster import Cluster

CACHE_VERSION = 3        # bump when a method changes, so old maps on disk are not reused


def default_cache_folder() -> Path:
    """$EMBEDDING_LAB_CACHE, else <repo>/.cache/maps."""
    folder = os.environ.get("EMBEDDING_LAB_CACHE")
    return Path(folder) if folder else Path(__file__).resolve().parent.parent / ".cache" / "maps"


def cache_budget() -> int:
    """Bytes the map cache may take on disk: $EMBEDDING_LAB_MAP_CACHE_MB, default 512."""
    return budget_from_env("EMBEDDING_LAB_MAP_CACHE_MB", 512)


def fingerprint(vectors: np.ndarray) -> str:
    """A short hash of the rows' bytes, so an uploaded table never reuses another's map."""
    digest = hashlib.blake2b(memoryview(np.ascontiguousarray(vectors)), digest_size=12)
    digest.update(str(vectors.shape).encode())
    return digest.hexdigest()


def cache_path(table: EmbeddingSet, spec: MapSpec, folder: Path) -> Path:
    """The file that holds the map of `spec` for this table's rows: named by the method
    and a hash of the rows' contents and the parameters, never by the table's name (a
    visitor's name for an upload is theirs, and equal rows make the same map)."""
    key = json.dumps({"rows": fingerprint(table.vectors[:spec.rows]),
                      "spec": spec.to_dict(), "version": CACHE_VERSION}, sort_keys=True)
    return Path(folder) / f"{spec.method}-{hashlib.sha1(key.encode()).hexdigest()[:20]}.npz"


def prune_cache(folder: Path, max_bytes: int) -> list[Path]:
    """Delete the least recently used maps (by modification time, which load_map renews)
    until the folder's maps take at most `max_bytes`; returns the deleted paths."""
    maps = []
    for path in Path(folder).glob("*.npz"):
        try:
            stat = path.stat()
        except FileNotFoundError:       # another process pruned it meanwhile
            continue
        maps.append((stat.st_mtime, stat.st_size, path))
    total, deleted = sum(size for _, size, _ in maps), []
    for _, size, path in sorted(maps):
        if total <= max_bytes:
            break
        path.unlink(missing_ok=True)
        total -= size
        deleted.append(path)
    return deleted


def save_map(result: MapResult, path: Path) -> None:
    """Coordinates and summary in one .npz (no pickle), written atomically."""
    meta = json.dumps({"axis_titles": list(result.axis_titles), "seconds": result.seconds,
                       "faithfulness": result.faithfulness.to_dict(),
                       "explained_variance": result.explained_variance, "spec": result.spec.to_dict()})
    with atomic_path(path) as partial:
        np.savez(partial, coords=result.coords, meta=np.array(meta))


def load_map(path: Path) -> MapResult:
    os.utime(path)      # marks it recently used, for prune_cache
    with np.load(path, allow_pickle=False) as stored:
        coords, meta = stored["coords"], json.loads(str(stored["meta"]))
    spec = MapSpec(**{**meta["spec"], "axes": tuple(meta["spec"]["axes"])})
    explained = meta["explained_variance"]
    return MapResult(spec, coords, tuple(meta["axis_titles"]), Faithfulness(**meta["faithfulness"]),
                     meta["seconds"], tuple(explained) if explained else None, cached=True)


def is_cached(table: EmbeddingSet, spec: MapSpec, folder: Path | None = None) -> bool:
    """Whether the map of `spec` for this table's rows is already on disk."""
    return cache_path(table, spec.checked(table), Path(folder or default_cache_folder())).is_file()


def cached_map(table: EmbeddingSet, spec: MapSpec, folder: Path | None = None,
               progress: Progress | None = None, cluster: Cluster | None = None) -> MapResult:
    """build_map (on `cluster` when given), remembered on disk (folder:
    default_cache_folder()) by a fingerprint of the rows and every parameter, so the second
    view is instant. The folder is kept within cache_budget(), least recently used maps
    deleted first."""
    spec = spec.checked(table)
    folder = Path(folder or default_cache_folder())
    path = cache_path(table, spec, folder)
    try:
        return load_map(path)
    except FileNotFoundError:
        pass
    result = build_map(table, spec, progress, cluster)
    save_map(result, path)
    prune_cache(folder, cache_budget())
    return result
