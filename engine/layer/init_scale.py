"""How a fresh table starts, against tables that were trained, and why the Transformer
multiplies its token rows by √d before adding positions.

Random rows in d dimensions are nearly orthogonal (cosines ~ N(0, 1/d)) and their norms
are set by the scheme alone; trained rows share directions (a positive mean cosine).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from engine.errors import check_int

SCHEMES = {"normal": "N(0, 1), PyTorch's default", "keras": "U(−0.05, 0.05), Keras's default",
           "gpt2": "N(0, 0.02), GPT-2 and BERT", "xavier": "Xavier uniform"}
COSINE_BINS = np.linspace(-1.0, 1.0, 201)


def init_table(scheme: str, vocab: int, dim: int, seed: int = 0) -> torch.Tensor:
    """(V, d) weight of a fresh torch.nn.Embedding initialised by `scheme` (one of SCHEMES)."""
    if scheme not in SCHEMES:
        raise ValueError(f"unknown initialisation {scheme!r}; choose one of {', '.join(SCHEMES)}")
    vocab, dim = check_int("vocabulary V", vocab, 1, 1_000_000), check_int("dimension d", dim, 1, 4_096)
    torch.manual_seed(seed)
    weight = torch.nn.Embedding(vocab, dim).weight.detach()         # N(0, 1)
    if scheme == "keras":
        torch.nn.init.uniform_(weight, -0.05, 0.05)
    elif scheme == "gpt2":
        torch.nn.init.normal_(weight, 0.0, 0.02)
    elif scheme == "xavier":
        torch.nn.init.xavier_uniform_(weight)                       # U(±√(6 / (V + d)))
    return weight


@dataclass(frozen=True)
class TableStats:
    """Row norms and pairwise cosines of a sample of a table's rows."""

    name: str
    dim: int
    norms: np.ndarray            # (n,) norms of the sampled rows
    cosine_counts: np.ndarray    # (200,) histogram of the n(n−1)/2 pair cosines over COSINE_BINS
    mean_cosine: float
    mean_abs_cosine: float

    def to_dict(self) -> dict:
        return {"name": self.name, "dim": self.dim, "mean_norm": float(self.norms.mean()),
                "mean_cosine": self.mean_cosine, "mean_abs_cosine": self.mean_abs_cosine}


def describe_tables(tables: list[TableStats], fresh: int) -> str:
    """The fresh tables' (the first `fresh`) range of row lengths and mean cosines against
    the trained tables' mean cosines, from these statistics."""
    new, trained = tables[:fresh], tables[fresh:]
    short, long = min(new, key=lambda t: t.norms.mean()), max(new, key=lambda t: t.norms.mean())
    cosines = [t.mean_cosine for t in new]
    said = (f"Fresh rows are {short.norms.mean():.3g} long ({short.name}) to {long.norms.mean():.3g} "
            f"({long.name}), with mean cosines between {min(cosines):+.2g} and {max(cosines):+.2g}")
    if not trained:
        return said + "."
    return said + "; the trained rows' mean cosine: " + ", ".join(
        f"{t.name.split(',')[0]} {t.mean_cosine:+.2g}" for t in trained) + "."


def table_stats(name: str, table, sample: int = 2_000, seed: int = 0) -> TableStats:
    """Statistics of `sample` random rows of table (V, d), zero rows left out."""
    rows = torch.as_tensor(np.asarray(table), dtype=torch.float32)
    rows = rows[rows.norm(dim=1) > 0]
    generator = torch.Generator().manual_seed(seed)
    picked = rows[torch.randperm(len(rows), generator=generator)[:sample]]   # (n, d)
    norms = picked.norm(dim=1)
    unit = picked / norms[:, None]
    cosines = (unit @ unit.T)[torch.triu_indices(len(unit), len(unit), 1).unbind()].double().numpy()
    counts, _ = np.histogram(np.clip(cosines, -1, 1), COSINE_BINS)
    return TableStats(name, rows.shape[1], norms.numpy(), counts, float(cosines.mean()),
                      float(np.abs(cosines).mean()))


@dataclass(frozen=True)
class ScaleComparison:
    """Token rows with and without ×√d against sinusoidal position rows of the same d."""

    dim: int
    token_norms: np.ndarray      # (n,) rows initialised N(0, 1/d), as in the Transformer
    scaled_norms: np.ndarray     # (n,) the same rows × √d
    position_norms: np.ndarray   # (P,) sinusoidal rows: √(d/2) each
    share_unscaled: float        # mean ‖p‖² / (‖x‖² + ‖p‖²): the position's share of the sum
    share_scaled: float

    def describe(self, learned_share: float) -> str:
        """The position's share of the sum with and without ×√d, against `learned_share`
        (MiniLM's learned positions' share of its own sum), from these norms."""
        return (f"At d = {self.dim:,} a token row is {self.token_norms.mean():.2f} long and a sinusoidal row "
                f"{self.position_norms.mean():.1f}: added as they are, the position is {self.share_unscaled:.0%} "
                f"of the sum; with the token rows × √d ({self.scaled_norms.mean():.1f} long), "
                f"{self.share_scaled:.0%}. MiniLM's learned positions are {learned_share:.0%} of its sum.")

    def to_dict(self) -> dict:
        return {"dim": self.dim, "mean_token_norm": float(self.token_norms.mean()),
                "mean_scaled_norm": float(self.scaled_norms.mean()),
                "mean_position_norm": float(self.position_norms.mean()),
                "share_unscaled": self.share_unscaled, "share_scaled": self.share_scaled}


def position_share(tokens: torch.Tensor, positions: torch.Tensor) -> float:
    """Mean over pairs (row i, position i) of ‖p‖² / (‖x‖² + ‖p‖²); tokens, positions (n, d)."""
    x, p = tokens.pow(2).sum(1), positions.pow(2).sum(1)
    return float((p / (x + p)).mean())


def scale_comparison(dim: int, rows: int = 512, seed: int = 0) -> ScaleComparison:
    """`rows` token rows ~ N(0, 1/d) at positions 0…rows−1, with and without ×√d."""
    from engine.positions import sinusoidal_table

    dim = check_int("dimension d", dim, 2, 4_096)
    generator = torch.Generator().manual_seed(seed)
    tokens = torch.randn(rows, dim, generator=generator, dtype=torch.float64) / math.sqrt(dim)  # (n, d)
    positions = sinusoidal_table(rows, dim)                                                    # (n, d)
    scaled = tokens * math.sqrt(dim)
    return ScaleComparison(dim, tokens.norm(dim=1).numpy(), scaled.norm(dim=1).numpy(),
                           positions.norm(dim=1).numpy(), position_share(tokens, positions),
                           position_share(scaled, positions))
