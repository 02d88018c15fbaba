"""Rows the model never learned: under-trained tokens found from the embedding matrices alone
(Land & Bartolo 2024, "Fishing for Magikarp").

A token that never appears in training text (a placeholder such as BERT's "[unused7]", a
piece its own tokenizer never produces, GPT-2's " SolidGoldMagikarp") gets no gradient as
input; with weight decay, or a tied output layer pushing every unseen token the same way,
such rows shrink and gather around one shared direction. Indicators per row:

- norm: under-trained rows are short;
- distance to the mean: 1 − cosine to the mean row once the leading principal component (the
  offset every row shares) is removed; under-trained rows sit near the mean's direction;
- reference cosine: Land & Bartolo's indicator, the cosine (leading component removed) to the
  mean of reference rows: the tokens the tokenizer never produces when there are any, else
  the 1 % shortest rows;
- the same on the output embedding when the model has its own;
- norm over the initialisation's expected norm σ·√d (config initializer_range): a row near 1
  may never have moved; rows identical to another (duplicates); the padding row.

The score is the mean of the indicators' robust z-scores (median and MAD), oriented so that
larger means more likely under-trained. When the histogram of scores has a second mode
past the main one, the valley between them separates the under-trained cluster.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from engine.geometry.cone import moments
from engine.geometry.rows import blocks
from engine.vectors import EmbeddingSet

REFERENCE_SHARE = 0.01          # shortest rows used as the reference without a tokenizer
MIN_REFERENCE = 10
HISTOGRAM_BINS = 120
SMOOTHING = 5                   # bins in the moving average the valley is found in


def leading_component(covariance: np.ndarray) -> np.ndarray:
    """(d,) unit vector of the first principal component, from the rows' (d, d) covariance."""
    from scipy.linalg import eigh

    d = covariance.shape[0]
    _, vector = eigh(covariance, subset_by_index=[d - 1, d - 1])
    return vector[:, 0]


def cosine_without_component(vectors: np.ndarray, direction: np.ndarray, target: np.ndarray) -> np.ndarray:
    """(n,) cosine of each row with `target` after both lose their part along the unit
    `direction` (n, d; (d,); (d,)); 0 for a row that lies along it."""
    target = target - (target @ direction) * direction
    length = np.linalg.norm(target)
    out = np.empty(vectors.shape[0])
    for start, stop in blocks(vectors.shape[0]):
        block = np.asarray(vectors[start:stop], dtype=np.float64)
        along = block @ direction
        rest = np.sqrt(np.maximum(np.einsum("ij,ij->i", block, block) - along ** 2, 0.0))
        with np.errstate(invalid="ignore", divide="ignore"):
            out[start:stop] = np.where(rest > 0, (block @ target) / (rest * length), 0.0)
    return out if length > 0 else np.zeros(vectors.shape[0])


def robust_z(values: np.ndarray) -> np.ndarray:
    """(values − median) / (1.4826 · median absolute deviation), the MAD floored so that a
    column of equal values gives 0."""
    median = np.median(values)
    spread = 1.4826 * np.median(np.abs(values - median))
    return (values - median) / (spread if spread > 0 else max(np.abs(values - median).max(), 1.0))


def duplicate_rows(vectors: np.ndarray) -> np.ndarray:
    """(n,) for each row the first row with exactly the same values, or −1 if it is alone
    (the first of a group is −1 too, its copies point to it)."""
    rows = np.ascontiguousarray(vectors)
    view = rows.view(np.dtype((np.void, rows.dtype.itemsize * rows.shape[1]))).ravel()
    _, first, inverse = np.unique(view, return_index=True, return_inverse=True)
    owner = first[inverse.ravel()]
    return np.where(owner == np.arange(len(owner)), -1, owner)


def cluster_threshold(score: np.ndarray) -> float | None:
    """The score at the valley between the main mode of the scores' histogram and a second,
    higher-score mode at least twice as tall as the valley; None when there is none."""
    counts, edges = np.histogram(score, bins=HISTOGRAM_BINS)
    smooth = np.convolve(counts, np.ones(SMOOTHING) / SMOOTHING, mode="same")
    main = int(np.argmax(smooth))
    best = None
    for peak in range(main + 2, len(smooth)):
        if smooth[peak] < smooth[peak - 1] or (peak + 1 < len(smooth) and smooth[peak] < smooth[peak + 1]):
            continue
        valley = main + int(np.argmin(smooth[main:peak + 1]))
        if smooth[peak] >= 2 * max(smooth[valley], 0.5) and (best is None or smooth[peak] > best[0]):
            best = (smooth[peak], valley)
    return None if best is None else float(edges[best[1] + 1])


@dataclass(frozen=True)
class UnderTrained:
    """Indicators of every row (n,) and their combined score; see the module docstring.

    reference : how the reference rows of reference_cosine were chosen.
    output_* : None when the model has no output embedding of its own.
    init_ratio : None when the config gives no initialisation scale.
    status : the tokenizer's status of each row (engine.token_status), or None.
    threshold : the score separating the under-trained cluster, None if none stands apart.
    """

    table: str
    keys: list[str] = field(repr=False)
    norm: np.ndarray = field(repr=False)
    mean_distance: np.ndarray = field(repr=False)
    reference_cosine: np.ndarray = field(repr=False)
    reference: str
    output_norm: np.ndarray | None = field(repr=False)
    output_mean_distance: np.ndarray | None = field(repr=False)
    init_ratio: np.ndarray | None = field(repr=False)
    duplicate_of: np.ndarray = field(repr=False)
    padding_row: int | None
    status: np.ndarray | None = field(repr=False)
    score: np.ndarray = field(repr=False)
    threshold: float | None

    @property
    def cluster(self) -> int:
        """Rows at or past the threshold (0 when no cluster stands apart)."""
        return 0 if self.threshold is None else int((self.score >= self.threshold).sum())

    @property
    def duplicates(self) -> int:
        """Rows that repeat an earlier row exactly."""
        return int((self.duplicate_of >= 0).sum())

    def order(self) -> np.ndarray:
        """Rows, most likely under-trained first (ties by row)."""
        return np.lexsort((np.arange(len(self.score)), -self.score))

    def ranked(self, n: int = 100) -> list[dict]:
        """The n most likely under-trained rows, one dict each (row, token, score, indicators)."""
        rows = []
        for rank, i in enumerate(self.order()[:n], 1):
            row = {"rank": rank, "row": int(i), "token": self.keys[i]}
            if self.status is not None:
                row["tokenizer"] = str(self.status[i])
            row |= {"score": float(self.score[i]), "norm": float(self.norm[i]),
                    "mean_distance": float(self.mean_distance[i]), "reference_cosine": float(self.reference_cosine[i])}
            if self.output_norm is not None:
                row["output_norm"] = float(self.output_norm[i])
                row["output_mean_distance"] = float(self.output_mean_distance[i])
            if self.init_ratio is not None:
                row["norm_over_init"] = float(self.init_ratio[i])
            row["duplicate_of"] = int(self.duplicate_of[i]) if self.duplicate_of[i] >= 0 else None
            row["padding"] = bool(i == self.padding_row)
            rows.append(row)
        return rows

    def to_frame(self):
        """Every row as a pandas DataFrame, most likely under-trained first (the columns of
        `ranked`)."""
        import pandas as pd

        order = self.order()
        columns = {"rank": np.arange(1, len(order) + 1), "row": order, "token": [self.keys[i] for i in order]}
        if self.status is not None:
            columns["tokenizer"] = self.status[order].astype(str)
        columns |= {"score": self.score[order], "norm": self.norm[order],
                   "mean_distance": self.mean_distance[order], "reference_cosine": self.reference_cosine[order]}
        if self.output_norm is not None:
            columns["output_norm"] = self.output_norm[order]
            columns["output_mean_distance"] = self.output_mean_distance[order]
        if self.init_ratio is not None:
            columns["norm_over_init"] = self.init_ratio[order]
        duplicate = self.duplicate_of[order]
        columns["duplicate_of"] = pd.array(np.where(duplicate >= 0, duplicate, 0), dtype="Int64")
        columns["duplicate_of"][duplicate < 0] = pd.NA
        columns["padding"] = order == (-1 if self.padding_row is None else self.padding_row)
        return pd.DataFrame(columns)

    def status_counts(self, rows: np.ndarray) -> dict[str, int]:
        """How many of `rows` have each tokenizer status ({} without a tokenizer)."""
        if self.status is None:
            return {}
        names, counts = np.unique(self.status[rows].astype(str), return_counts=True)
        return dict(sorted(zip(names.tolist(), counts.tolist()), key=lambda item: -item[1]))

    def to_dict(self, n: int = 50) -> dict:
        top = self.order()[:max(self.cluster, n)]
        return {"table": self.table, "rows": len(self.score), "reference": self.reference,
                "threshold": self.threshold, "cluster": self.cluster, "duplicates": self.duplicates,
                "padding_row": self.padding_row, "has_output": self.output_norm is not None,
                "status_of_flagged": self.status_counts(top[:self.cluster]) if self.cluster else {},
                "under_trained": [self.keys[i] for i in top[:n]], "ranked": self.ranked(n)}


def _indicators(vectors: np.ndarray, reference: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(norm, distance to the mean, cosine to the reference rows' mean), leading component out."""
    shape = moments(vectors)
    direction = leading_component(shape.covariance)
    norm = np.linalg.norm(vectors, axis=1).astype(np.float64)
    reference_mean = np.asarray(vectors[np.sort(reference)], dtype=np.float64).mean(axis=0)
    return (norm, 1 - cosine_without_component(vectors, direction, shape.mean),
            cosine_without_component(vectors, direction, reference_mean))


def _reference(norm: np.ndarray, status: np.ndarray | None) -> tuple[np.ndarray, str]:
    if status is not None:
        never = np.flatnonzero(status == "never produced")
        if len(never) >= MIN_REFERENCE:
            return never, f"the {len(never):,} tokens the tokenizer never produces"
    count = min(len(norm), max(MIN_REFERENCE, int(REFERENCE_SHARE * len(norm))))
    return np.argsort(norm, kind="stable")[:count], f"the {count:,} shortest rows"


def under_trained(table: EmbeddingSet, output: EmbeddingSet | None = None, status: np.ndarray | None = None,
                  init_std: float | None = None, padding_row: int | None = None) -> UnderTrained:
    """Every indicator of every row of `table` (and of `output`, the model's own output
    embedding with the same rows, if any), combined into one score.

    status : (V,) token statuses (engine.token_status) or None; init_std : the initialisation's
    standard deviation (config initializer_range) or None; padding_row : config pad_token_id.
    """
    if len(table) < 3:
        raise ValueError(f"{table.name} has {len(table)} rows; finding under-trained rows needs at least 3")
    if output is not None and output.vectors.shape != table.vectors.shape:
        raise ValueError(f"the output embedding is {output.vectors.shape} and the table {table.vectors.shape}; "
                         "they must have the same shape")
    vectors = table.vectors
    reference, how = _reference(table.norms, status)
    norm, distance, reference_cosine = _indicators(vectors, reference)
    tiny = max(float(norm[norm > 0].min()) if (norm > 0).any() else 1.0, 1e-12) / 2
    parts = [robust_z(-np.log(norm + tiny)), robust_z(-distance), robust_z(reference_cosine)]
    output_norm = output_distance = None
    if output is not None:
        output_norm, output_distance, output_reference = _indicators(output.vectors, reference)
        parts += [robust_z(-np.log(output_norm + tiny)), robust_z(-output_distance), robust_z(output_reference)]
    score = np.mean(parts, axis=0)
    init_ratio = None if init_std is None else norm / (init_std * np.sqrt(table.dim))
    return UnderTrained(table.name, table.index_to_key, norm, distance, reference_cosine, how, output_norm,
                        output_distance, init_ratio, duplicate_rows(vectors), padding_row, status, score,
                        cluster_threshold(score))


def separation(score: np.ndarray, truth: np.ndarray) -> dict:
    """How well `score` (higher = flagged) finds the rows where `truth` is True: ROC AUC and
    precision among the truth.sum() highest scores."""
    from sklearn.metrics import roc_auc_score

    truth = np.asarray(truth, dtype=bool)
    n = int(truth.sum())
    if n == 0 or n == len(truth):
        raise ValueError("the ground truth needs both flagged and unflagged rows")
    top = np.lexsort((np.arange(len(score)), -score))[:n]
    return {"auc": float(roc_auc_score(truth, score)), "precision": float(truth[top].mean()), "n": n}
