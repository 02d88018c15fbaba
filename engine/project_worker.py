"""The Map's slow work in a worker process (engine.own_process): UMAP, t-SNE and k-means
of many rows. umap-learn's numba passes and scikit-learn's compiled loops cannot be
interrupted from a callback, so a visitor who leaves has the worker killed instead, and
numba's hold on the GIL never stalls the server's other visitors."""
from __future__ import annotations

import numpy as np

from engine import own_process
from engine.project import MapSpec, Progress, kmeans_here, projector_for, timed_projection


def project_in_worker(spec: MapSpec, vectors: np.ndarray, progress: Progress) -> tuple[np.ndarray, float]:
    """((rows, dims) float32 coordinates, seconds) of `spec`'s projection of `vectors`
    (rows, d), computed in a worker process."""
    answer, arrays = own_process.run("engine.project_worker:projection_task", {"spec": spec.to_dict()},
                                     {"vectors": np.asarray(vectors, dtype=np.float32)}, progress)
    return arrays["coords"], answer["seconds"]


def projection_task(meta: dict, arrays: dict, report: Progress) -> tuple[dict, dict]:
    spec = MapSpec(**{**meta["spec"], "axes": tuple(meta["spec"]["axes"])})
    coords, seconds = timed_projection(projector_for(spec, None, report), spec, arrays["vectors"])
    return {"seconds": seconds}, {"coords": coords}


def kmeans_in_worker(X: np.ndarray, k: int, random_state: int, progress: Progress | None) -> np.ndarray:
    """engine.project.kmeans_labels of X (n, d), computed in a worker process."""
    _, arrays = own_process.run("engine.project_worker:kmeans_task", {"k": k, "random_state": random_state},
                                {"vectors": np.asarray(X, dtype=np.float32)}, progress)
    return arrays["labels"]


def kmeans_task(meta: dict, arrays: dict, report: Progress) -> tuple[dict, dict]:
    report(0.0, f"k-means: {meta['k']} clusters of {len(arrays['vectors']):,} rows")
    labels = kmeans_here(arrays["vectors"], meta["k"], meta["random_state"])
    return {}, {"labels": labels.astype(np.int64)}
