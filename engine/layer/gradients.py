"""The backward pass of an embedding layer: the layers above hand back one d-vector per
token (dL/d output), and autograd adds each one into the row its token read. Rows no token
read get exactly zero; a token read twice gets the sum of both; `padding_idx` gets nothing;
`sparse=True` stores only the touched rows.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from engine.units import human_bytes

FLOAT_BYTES = 4


def upstream_gradients(tokens: int, dim: int, seed: int = 0) -> torch.Tensor:
    """(T, d) seeded N(0, 1) numbers standing in for the gradient the layers above return."""
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(tokens, dim, generator=generator)


def _layer(weight: torch.Tensor, padding_idx: int | None = None, sparse: bool = False) -> torch.nn.Embedding:
    """A trainable layer on a copy of weight (V, d) (from_pretrained keeps the given rows,
    even the padding row, and never zeroes it)."""
    return torch.nn.Embedding.from_pretrained(weight.detach().clone(), freeze=False,
                                              padding_idx=padding_idx, sparse=sparse)


@dataclass(frozen=True)
class RowGradients:
    """W.grad after one backward pass of loss = Σ_t row(ids_t) · upstream_t."""

    ids: tuple[int, ...]
    rows: np.ndarray             # (U,) ids whose gradient row is non-zero, ascending
    uses: np.ndarray             # (U,) how many tokens read each of those rows
    values: np.ndarray           # (U, d) their gradient rows
    vocab: int
    dim: int
    sparse_entries: int          # rows stored in the sparse gradient (one per token, uncoalesced)
    repeated_sum_error: float    # max |grad[row] − Σ upstream of its tokens|: 0 up to rounding

    @property
    def dense_bytes(self) -> int:
        return self.vocab * self.dim * FLOAT_BYTES

    @property
    def sparse_bytes(self) -> int:
        """int64 indices + float32 values of the uncoalesced sparse gradient."""
        return self.sparse_entries * (8 + self.dim * FLOAT_BYTES)

    def describe(self, names: list[str]) -> str:
        """Which rows have a gradient, which summed several tokens', and what a sparse
        gradient stores, from these numbers; names: (U,) the text of each row in `rows`."""
        repeated = [f"“{name}”" for name, uses in zip(names, self.uses) if uses > 1]
        if not repeated:
            shared = "Every row was read once."
        elif len(repeated) == 1:
            shared = f"{repeated[0]} was read more than once, and its row holds the sum of its tokens' gradients."
        else:
            shared = (f"{', '.join(repeated[:-1])} and {repeated[-1]} were read more than once, and each row "
                      "holds the sum of its tokens' gradients.")
        return (f"{len(self.ids):,} tokens read {len(self.rows):,} of {self.vocab:,} rows; only those have a "
                f"gradient. {shared} A sparse gradient stores {self.sparse_entries:,} rows "
                f"({human_bytes(self.sparse_bytes)}) instead of {self.vocab:,} ({human_bytes(self.dense_bytes)}).")

    def to_dict(self) -> dict:
        return {"ids": list(self.ids), "rows_with_gradient": self.rows.tolist(), "uses": self.uses.tolist(),
                "vocab": self.vocab, "dim": self.dim, "dense_bytes": self.dense_bytes,
                "sparse_entries": self.sparse_entries, "sparse_bytes": self.sparse_bytes,
                "repeated_sum_error": self.repeated_sum_error}


def row_gradients(weight: torch.Tensor, ids, upstream: torch.Tensor,
                  padding_idx: int | None = None) -> RowGradients:
    """Backward through a dense and a sparse copy of the layer; weight (V, d), ids (T,),
    upstream (T, d). The dense W.grad is (V, d); the sparse one holds T rows."""
    ids = torch.as_tensor(ids, dtype=torch.long)
    dense, sparse = _layer(weight, padding_idx), _layer(weight, padding_idx, sparse=True)
    for layer in (dense, sparse):
        (layer(ids) * upstream).sum().backward()
    grad = dense.weight.grad                                              # (V, d)
    rows = grad.abs().sum(1).nonzero().flatten()                          # (U,)
    if not torch.equal(sparse.weight.grad.to_dense(), grad):
        raise RuntimeError("sparse and dense gradients disagree")
    expected = torch.zeros_like(grad).index_add_(0, ids, upstream)        # Σ upstream per row
    if padding_idx is not None:
        expected[padding_idx] = 0
    uses = torch.bincount(ids, minlength=weight.shape[0])[rows]
    return RowGradients(tuple(ids.tolist()), rows.numpy(), uses.numpy(), grad[rows].numpy(),
                        weight.shape[0], weight.shape[1], int(sparse.weight.grad._nnz()),
                        float((grad - expected).abs().max()))


@dataclass(frozen=True)
class PaddingCheck:
    """The padding row of a layer through a few SGD steps on batches that use it."""

    padding_idx: int
    uses: int                    # tokens in the batch that are padding
    start_norm: float            # ‖W[padding_idx]‖ before training
    grad_norm: float             # ‖W.grad[padding_idx]‖ after the first backward
    end_norm: float              # ‖W[padding_idx]‖ after the steps: equal to start_norm
    moved_rows: int              # other rows that moved
    steps: int
    rows: np.ndarray             # (U,) the distinct ids of the batch, ascending
    distances: np.ndarray        # (U,) how far each of them moved, ‖W_end − W_start‖

    def describe(self) -> str:
        """What happened to the padding row and to the batch's other rows, from these numbers."""
        others = self.distances[self.rows != self.padding_idx]
        kept = "kept" if self.end_norm == self.start_norm else "changed"
        return (f"The {self.uses:,} padding tokens' row got a gradient of norm {self.grad_norm:.3g} and {kept} its "
                f"length ({self.start_norm:.3f} → {self.end_norm:.3f}) through {self.steps} SGD steps, while "
                f"{int((others > 0).sum()):,} of the batch's other {len(others):,} rows moved.")

    def to_dict(self) -> dict:
        return {**{k: v for k, v in self.__dict__.items() if k not in ("rows", "distances")},
                "rows": self.rows.tolist(), "distances": self.distances.tolist()}


def padding_check(weight: torch.Tensor, ids, padding_idx: int, steps: int = 5, lr: float = 0.1,
                  seed: int = 0) -> PaddingCheck:
    """SGD on a layer with padding_idx (weight (V, d), ids (T,) including padding ids)."""
    ids = torch.as_tensor(ids, dtype=torch.long)
    layer = _layer(weight, padding_idx)
    start = layer.weight.detach().clone()
    optimiser = torch.optim.SGD(layer.parameters(), lr=lr)
    grad_norm = None
    for step in range(steps):
        optimiser.zero_grad()
        (layer(ids) * upstream_gradients(len(ids), weight.shape[1], seed + step)).sum().backward()
        if grad_norm is None:
            grad_norm = float(layer.weight.grad[padding_idx].norm())
        optimiser.step()
    end = layer.weight.detach()
    moved = (end != start).any(1)
    rows = torch.unique(ids)                                              # (U,)
    return PaddingCheck(padding_idx, int((ids == padding_idx).sum()), float(start[padding_idx].norm()),
                        grad_norm, float(end[padding_idx].norm()), int(moved.sum()), steps,
                        rows.numpy(), (end[rows] - start[rows]).norm(dim=1).numpy())
