"""Which rows an optimiser moves, step by step, and how many updates each row gets in a
real corpus.

SGD moves exactly the rows the batch read. Momentum and Adam keep a running state per
number, so a row used once keeps moving in later steps that never read it; AdamW's weight
decay shrinks every row at every step. SparseAdam (on a sparse layer) updates only the rows
in the batch, and their moments only then.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import chain

import numpy as np
import torch

from engine.errors import check_float, check_int
from engine.layer.gradients import _layer, upstream_gradients

OPTIMISERS = {"sgd": "SGD", "momentum": "SGD, momentum 0.9", "adam": "Adam", "adamw": "AdamW, decay 0.01",
              "sparse_adam": "SparseAdam (sparse layer)"}
MAX_STEPS = 50


def make_optimiser(name: str, parameters, lr: float) -> torch.optim.Optimizer:
    """One of OPTIMISERS with the usual settings (PyTorch defaults but for the named ones)."""
    if name == "sgd":
        return torch.optim.SGD(parameters, lr=lr)
    if name == "momentum":
        return torch.optim.SGD(parameters, lr=lr, momentum=0.9)
    if name == "adam":
        return torch.optim.Adam(parameters, lr=lr)
    if name == "adamw":
        return torch.optim.AdamW(parameters, lr=lr, weight_decay=0.01)
    if name == "sparse_adam":
        return torch.optim.SparseAdam(list(parameters), lr=lr)
    raise ValueError(f"unknown optimiser {name!r}; choose one of {', '.join(OPTIMISERS)}")


@dataclass(frozen=True)
class OptimiserRun:
    """Rows changed at each step by one optimiser (S steps)."""

    name: str
    changed: tuple[int, ...]          # (S,) rows whose numbers changed at step s
    changed_absent: tuple[int, ...]   # (S,) of those, rows the step's batch did not read
    batch_rows: tuple[int, ...]       # (S,) distinct rows each batch read
    changed_rows: tuple[tuple[int, ...], ...]  # the ids themselves (kept when few)

    def to_dict(self) -> dict:
        return {"name": self.name, "label": OPTIMISERS[self.name], "changed": list(self.changed),
                "changed_absent": list(self.changed_absent), "batch_rows": list(self.batch_rows)}


def describe_runs(runs: list[OptimiserRun], vocab: int) -> str:
    """How many rows each optimiser changed at the last step, and which, from the counts."""
    def said(run: OptimiserRun) -> str:
        changed, absent = run.changed[-1], run.changed_absent[-1]
        which = ("the whole table" if changed == vocab else "all of them read by that batch" if absent == 0
                 else f"{absent:,} of them not read by that batch")
        return f"{OPTIMISERS[run.name]}: {changed:,} ({which})"

    return f"Rows each optimiser changed at step {len(runs[0].changed)}. " + "; ".join(map(said, runs)) + "."


def run_optimiser(weight: torch.Tensor, batches: list[list[int]], name: str, lr: float = 0.01,
                  seed: int = 0, keep_ids: int = 50) -> OptimiserRun:
    """One step per batch on a copy of weight (V, d), loss Σ_t row(ids_t) · upstream_t with
    seeded upstream gradients; count the rows each step changed."""
    if name not in OPTIMISERS:
        raise ValueError(f"unknown optimiser {name!r}; choose one of {', '.join(OPTIMISERS)}")
    lr = check_float("learning rate", lr, 0.0, 10.0, low_open=True)
    check_int("steps", len(batches), 1, MAX_STEPS)
    layer = _layer(weight, sparse=name == "sparse_adam")
    optimiser = make_optimiser(name, layer.parameters(), lr)
    changed, absent, batch_rows, changed_rows = [], [], [], []
    for step, batch in enumerate(batches):
        ids = torch.as_tensor(batch, dtype=torch.long)                        # (T,)
        optimiser.zero_grad()
        (layer(ids) * upstream_gradients(len(ids), weight.shape[1], seed + step)).sum().backward()
        before = layer.weight.detach().clone()                                # (V, d)
        optimiser.step()
        moved = (layer.weight.detach() != before).any(1)                      # (V,)
        read = torch.zeros_like(moved).index_fill_(0, ids, True)
        changed.append(int(moved.sum()))
        absent.append(int((moved & ~read).sum()))
        batch_rows.append(int(read.sum()))
        ids_moved = moved.nonzero().flatten()
        changed_rows.append(tuple(ids_moved.tolist()) if len(ids_moved) <= keep_ids else ())
    return OptimiserRun(name, tuple(changed), tuple(absent), tuple(batch_rows), tuple(changed_rows))


@dataclass(frozen=True)
class UpdateCounts:
    """How many optimiser updates each row gets in one epoch (one update per batch that reads
    it), and how many times the corpus uses it."""

    updates: np.ndarray          # (V,) batches that read each row
    occurrences: np.ndarray      # (V,) tokens
    batches: int
    tokens: int

    @property
    def never_updated(self) -> float:
        return float((self.updates == 0).mean())

    def rank(self, row: int) -> int:
        """1 + the number of rows updated more often than `row`."""
        return 1 + int((self.updates > self.updates[row]).sum())

    def ranked(self) -> np.ndarray:
        """(V,) updates per row, most updated first (the Zipf curve)."""
        return np.sort(self.updates)[::-1]

    def describe(self) -> str:
        """How unevenly the epoch's updates fall on the rows, from these counts."""
        ranked = self.ranked()
        updated = ranked[ranked > 0]
        return (f"One epoch of the Lee corpus ({self.tokens:,} tokens, {self.batches:,} batches). A row gets one "
                f"update per batch that reads it: the most-read row {ranked[0]:,} times "
                f"({ranked[0] / self.batches:.0%} of the batches), the median row that is read at all "
                f"{int(np.median(updated)):,} times, and "
                f"{self.never_updated:.0%} of the table never. Rows read rarely get few updates to learn from.")

    def to_dict(self) -> dict:
        ranked = self.ranked()
        return {"rows": len(self.updates), "batches": self.batches, "tokens": self.tokens,
                "never_updated_share": self.never_updated, "rows_updated": int((self.updates > 0).sum()),
                "most_updates": int(ranked[0]), "median_updates_of_updated_rows":
                    float(np.median(ranked[ranked > 0])) if ranked[0] else 0.0}


def update_counts(token_ids: list[list[int]], vocab: int, batch_size: int = 8) -> UpdateCounts:
    """token_ids: one id list per sentence; batches of `batch_size` consecutive sentences."""
    batch_size = check_int("batch size", batch_size, 1, 10_000)
    if not token_ids:
        raise ValueError("the corpus is empty")
    lengths = np.fromiter(map(len, token_ids), dtype=np.int64, count=len(token_ids))
    ids = np.fromiter(chain.from_iterable(token_ids), dtype=np.int64, count=int(lengths.sum()))  # (N,)
    batch_of = np.repeat(np.arange(len(token_ids)) // batch_size, lengths)                       # (N,)
    batches = (len(token_ids) + batch_size - 1) // batch_size
    occurrences = np.bincount(ids, minlength=vocab)
    read_in_batch = np.unique(batch_of * vocab + ids) % vocab            # each (batch, row) once
    updates = np.bincount(read_in_batch, minlength=vocab)                # one update per row per batch
    return UpdateCounts(updates, occurrences, batches, int(occurrences.sum()))


def corpus_token_ids(tokenizer, sentences: list[str]) -> list[list[int]]:
    """WordPiece ids of each sentence, without [CLS]/[SEP] (they would be in every batch)."""
    return tokenizer(sentences, add_special_tokens=False)["input_ids"]


def runs_frame(runs: list[OptimiserRun]):
    """One row per optimiser and step: rows changed, of those not in the batch, rows the batch read."""
    import pandas as pd

    return pd.DataFrame([{"optimiser": OPTIMISERS[run.name], "step": step + 1, "rows_changed": changed,
                          "changed_not_in_batch": absent, "rows_in_batch": read}
                         for run in runs for step, (changed, absent, read)
                         in enumerate(zip(run.changed, run.changed_absent, run.batch_rows))])
