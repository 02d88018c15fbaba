"""Keep a map of the same words still across epochs: each epoch's 2-D coordinates are turned
(rotated, possibly mirrored, never stretched) onto the last epoch's by orthogonal Procrustes,
so what moves on the animated map is what training changed, not PCA's arbitrary axes."""
from __future__ import annotations

from typing import Sequence

import numpy as np


def rotation_onto(source: np.ndarray, target: np.ndarray) -> np.ndarray:
    """The orthogonal R (k, k) minimising ||(source - mean) R - (target - mean)||_F.
    source, target: (n, k) with rows matched."""
    from scipy.linalg import orthogonal_procrustes

    rotation, _ = orthogonal_procrustes(source - source.mean(axis=0), target - target.mean(axis=0))
    return rotation


def align_onto(source: np.ndarray, target: np.ndarray) -> np.ndarray:
    """source (n, k) centred, rotated onto target and moved to target's centre."""
    rotation = rotation_onto(source, target)
    return (source - source.mean(axis=0)) @ rotation + target.mean(axis=0)


def epoch_maps(snapshots: Sequence[np.ndarray]) -> list[np.ndarray]:
    """2-D maps of the same m words after each epoch. snapshots: per epoch (m, d) vectors.
    Each is PCA-projected (of its unit rows) and aligned onto the last epoch's map.
    Returns one (m, 2) array per epoch."""
    from engine.projections import PCAProjection
    from engine.vectors import unit_rows

    if not snapshots or len(snapshots[0]) < 3:
        raise ValueError("a map of the epochs needs at least 3 of the chosen words in the vocabulary")
    maps = [PCAProjection(2).fit_transform(unit_rows(s)) for s in snapshots]
    return [align_onto(m, maps[-1]) for m in maps]
