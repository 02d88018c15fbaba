"""Two tables compared on the words they share: how far one must be rotated to lie on the
other (orthogonal Procrustes), how much each word's neighbourhood changed (Jaccard@k), and
one number for the whole: linear CKA (Kornblith et al. 2019).

Two tables trained apart live in unrelated coordinates, so their rows can't be compared
directly; the rotation that best maps one onto the other can (it keeps every cosine). What
is left after it, word by word, is the residual. Neighbour overlap needs no alignment at
all, and works across tables of different widths; neither does CKA, which compares the two
tables' similarity structures (1: the same up to a rotation and a scale; near 0: unrelated).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.errors import check_int
from engine.geometry import Progress, exact_neighbours
from engine.vectors import EmbeddingSet


def jaccard(a, b) -> float:
    """|A ∩ B| / |A ∪ B| of two collections taken as sets (1.0 for two empty ones)."""
    a, b = set(a), set(b)
    return len(a & b) / len(a | b) if a | b else 1.0


def shared_keys(a: EmbeddingSet, b: EmbeddingSet, limit: int | None = None) -> list[str]:
    """The keys of `a` that `b` also has, in `a`'s row order (most frequent first where `a`
    is frequency ordered), at most `limit` of them."""
    found = [key for key in a.index_to_key if key in b.key_to_index]
    found = list(dict.fromkeys(found))               # a repeated key counts once
    if not found:
        raise ValueError(f"{a.name} and {b.name} share no keys: nothing to compare "
                         f"(e.g. {a.name} has {a.index_to_key[0]!r}, {b.name} has {b.index_to_key[0]!r})")
    return found[:limit] if limit else found


def procrustes_rotation(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(d, d) orthogonal R minimising ‖a R − b‖ (Frobenius) for a, b (n, d): scipy's
    orthogonal_procrustes."""
    from scipy.linalg import orthogonal_procrustes

    if a.shape != b.shape:
        raise ValueError(f"Procrustes needs tables of the same width; got {a.shape[1]} and "
                         f"{b.shape[1]} dimensions (neighbour overlap still compares them)")
    rotation, _ = orthogonal_procrustes(a.astype(np.float64), b.astype(np.float64))
    return rotation


def linear_cka(a: np.ndarray, b: np.ndarray) -> float:
    """Linear centred kernel alignment of a (n, d_a) and b (n, d_b), row i of each the same
    item: ‖b̃ᵀã‖²_F / (‖ãᵀã‖_F ‖b̃ᵀb̃‖_F) with columns centred (Kornblith et al. 2019, eq. 5),
    computed in the d × d feature space, never n × n."""
    if a.shape[0] != b.shape[0] or a.shape[0] < 2:
        raise ValueError(f"CKA compares the same rows in both tables; got {a.shape[0]:,} and {b.shape[0]:,}")
    a = np.asarray(a, dtype=np.float64) - np.mean(a, axis=0, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64) - np.mean(b, axis=0, dtype=np.float64)
    cross = np.linalg.norm(b.T @ a) ** 2
    scale = np.linalg.norm(a.T @ a) * np.linalg.norm(b.T @ b)
    return float(cross / scale) if scale > 0 else 0.0


@dataclass(frozen=True)
class WordChange:
    key: str
    jaccard: float
    residual: float | None      # None when the widths differ (no rotation exists)


@dataclass(frozen=True)
class TableComparison:
    """Table a against table b on `compared` shared words (of `shared`).

    keys (n,), jaccard (n,) overlap of each word's k nearest shared words in a and in b
    (itself left out), residual (n,) ‖â R − b̂‖ of its unit rows after the rotation R, or
    None when the widths differ. near_a, near_b (n, k): each word's k nearest shared words
    (positions in `keys`) in a and in b. cka: linear CKA of the compared words' unit rows."""

    source_a: str
    source_b: str
    shared: int
    k: int
    keys: list[str]
    jaccard: np.ndarray
    residual: np.ndarray | None
    rotation: np.ndarray | None
    near_a: np.ndarray
    near_b: np.ndarray
    cka: float

    def neighbours(self, key: str) -> tuple[list[str], list[str]]:
        """The k nearest shared words of `key` in a and in b."""
        if key not in self.keys:
            raise ValueError(f"{key!r} is not among the {len(self.keys):,} shared words compared")
        row = self.keys.index(key)
        return [self.keys[i] for i in self.near_a[row]], [self.keys[i] for i in self.near_b[row]]

    @property
    def mean_jaccard(self) -> float:
        return float(self.jaccard.mean())

    @property
    def mean_residual(self) -> float | None:
        return None if self.residual is None else float(self.residual.mean())

    def _change(self, i: int) -> WordChange:
        residual = None if self.residual is None else float(self.residual[i])
        return WordChange(self.keys[i], float(self.jaccard[i]), residual)

    def _order(self) -> np.ndarray:
        """Most changed first: lowest overlap, then largest residual, then row order."""
        residual = np.zeros(len(self.keys)) if self.residual is None else self.residual
        return np.lexsort((np.arange(len(self.keys)), -residual, self.jaccard))

    def most_changed(self, n: int = 10) -> list[WordChange]:
        return [self._change(i) for i in self._order()[:n]]

    def least_changed(self, n: int = 10) -> list[WordChange]:
        return [self._change(i) for i in self._order()[::-1][:n]]

    def to_dict(self, n: int = 10) -> dict:
        def rows(changes):
            return [{"key": c.key, "jaccard": c.jaccard, "residual": c.residual} for c in changes]

        return {"source_a": self.source_a, "source_b": self.source_b, "shared": self.shared,
                "compared": len(self.keys), "k": self.k, "mean_jaccard": self.mean_jaccard,
                "procrustes_residual": self.mean_residual, "linear_cka": self.cka,
                "most_changed": rows(self.most_changed(n)),
                "least_changed": rows(self.least_changed(n))}


def compare_tables(a: EmbeddingSet, b: EmbeddingSet, k: int = 10, limit: int = 10_000,
                   progress: Progress = None) -> TableComparison:
    """Compare a and b on their first `limit` shared keys (in a's order).

    Neighbours are searched among those shared words only, so both tables answer from
    the same candidates; cosine throughout."""
    limit = check_int("words to compare", limit, 2, 400_000)
    keys = shared_keys(a, b)
    shared, keys = len(keys), keys[:limit]
    if len(keys) < 2:
        raise ValueError(f"{a.name} and {b.name} share only {keys[0]!r}: need at least 2 words")
    k = check_int("k", k, 1, len(keys) - 1)
    unit_a = a.unit[[a.key_to_index[key] for key in keys]]               # (n, d_a)
    unit_b = b.unit[[b.key_to_index[key] for key in keys]]               # (n, d_b)
    n = len(keys)
    near_a, _ = exact_neighbours(unit_a, k, progress=progress and (lambda done, _: progress(done, 2 * n)))
    near_b, _ = exact_neighbours(unit_b, k, progress=progress and (lambda done, _: progress(n + done, 2 * n)))
    overlap = np.array([len(np.intersect1d(x, y)) for x, y in zip(near_a, near_b)], np.float64)
    scores = overlap / (2 * k - overlap)
    rotation = residual = None
    if a.dim == b.dim:
        rotation = procrustes_rotation(unit_a, unit_b)
        residual = np.linalg.norm(unit_a.astype(np.float64) @ rotation - unit_b, axis=1)
    return TableComparison(a.name, b.name, shared, k, keys, scores, residual, rotation, near_a, near_b,
                           linear_cka(unit_a, unit_b))


def shared_maps(result: TableComparison, a: EmbeddingSet, b: EmbeddingSet) -> tuple[np.ndarray, np.ndarray]:
    """((n, 2), (n, 2)): the compared words on each table's own PCA map of its unit rows
    (two separate maps; rotate one onto the other with result.rotation to compare rows)."""
    from engine.projections import PCAProjection

    maps = []
    for table in (a, b):
        rows = table.unit[[table.key_to_index[key] for key in result.keys]]
        maps.append(PCAProjection(2).fit_transform(rows))
    return maps[0], maps[1]


def highlight_roles(result: TableComparison, key: str) -> dict[str, str]:
    """The word and its neighbours in a and in b, each labelled by where it is a neighbour."""
    in_a, in_b = result.neighbours(key)
    roles = {k: "neighbour in A only" for k in in_a}
    roles.update({k: ("neighbour in both" if k in roles else "neighbour in B only") for k in in_b})
    roles[key] = "word"
    return roles
