"""Frozen or trainable: a bag-of-embeddings sentiment classifier (mean of the word rows, then
one linear unit) on gensim's 200 labelled movie-review sentences, its layer started from
GloVe rows and kept frozen, fine-tuned, or started from random rows and trained.

Full-batch Adam, seeded: a run takes well under a second. Only rows of words in the training
split can move: the others never get a gradient (and Adam without weight decay leaves them).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from engine.errors import check_float, check_int
from engine.layer.corpus import polarity_sentences

MODES = {"frozen": "GloVe rows, frozen", "fine_tuned": "GloVe rows, fine-tuned", "random": "random rows, trained"}


@dataclass(frozen=True)
class PolarityData:
    """The labelled sentences as bags of rows of a small table cut from GloVe."""

    words: tuple[str, ...]       # (U,) the layer's vocabulary: corpus words GloVe holds
    rows: np.ndarray             # (U, d) their GloVe rows
    bags: tuple[tuple[int, ...], ...]  # per sentence, indices into words (words GloVe lacks dropped)
    labels: np.ndarray           # (N,) 1 positive, 0 negative
    train: np.ndarray            # sentence indices of the training split
    test: np.ndarray             # held-out sentence indices
    coverage: float              # share of corpus tokens GloVe holds


def polarity_data(glove, test_share: float = 0.25, seed: int = 0) -> PolarityData:
    """Cut the corpus's words out of `glove` (an EmbeddingSet) and split the sentences, seeded,
    with as many positive as negative sentences held out."""
    test_share = check_float("held-out share", test_share, 0.05, 0.5)
    sentences, labels = polarity_sentences()
    index = glove.key_to_index
    words = sorted({w for sentence in sentences for w in sentence if w in index})
    position = {w: i for i, w in enumerate(words)}
    bags = tuple(tuple(position[w] for w in sentence if w in position) for sentence in sentences)
    labels = np.array(labels)
    generator = np.random.default_rng(seed)
    per_class = round(len(labels) * test_share / 2)
    test = np.sort(np.concatenate([generator.permutation(np.flatnonzero(labels == c))[:per_class] for c in (0, 1)]))
    train = np.setdiff1d(np.arange(len(labels)), test)
    tokens = sum(len(s) for s in sentences)
    rows = np.asarray(glove.vectors)[[index[w] for w in words]]
    return PolarityData(tuple(words), rows, bags, labels, train, test, sum(len(b) for b in bags) / tokens)


@dataclass(frozen=True)
class ClassifierRun:
    """One way of training the layer: accuracy, loss curve and how far each row moved."""

    mode: str
    train_accuracy: float
    test_accuracy: float
    losses: np.ndarray           # (epochs,) training loss
    moved: np.ndarray            # (U,) ‖row_after − row_before‖ per vocabulary word
    relative_move: float         # mean over moved rows of ‖Δrow‖ / ‖row_before‖ (0 if none moved)

    def to_dict(self, words: tuple[str, ...], top: int = 10) -> dict:
        order = np.argsort(-self.moved)[:top]
        return {"mode": self.mode, "label": MODES[self.mode], "train_accuracy": self.train_accuracy,
                "test_accuracy": self.test_accuracy, "final_loss": float(self.losses[-1]),
                "rows_moved": int((self.moved > 0).sum()), "relative_move": self.relative_move,
                "most_moved": [{"word": words[i], "distance": float(self.moved[i])} for i in order
                               if self.moved[i] > 0]}


def _bag_tensors(bags, chosen: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
    """(ids, offsets) for nn.EmbeddingBag: the chosen sentences' indices concatenated."""
    picked = [bags[i] for i in chosen]
    offsets = torch.tensor([0] + [len(b) for b in picked[:-1]]).cumsum(0)
    return torch.tensor([i for b in picked for i in b], dtype=torch.long), offsets


def train_classifier(data: PolarityData, mode: str, epochs: int = 100, lr: float = 0.02,
                     row_lr: float = 0.002, seed: int = 0) -> ClassifierRun:
    """Mean of the sentence's rows -> Linear(d, 1) -> logistic loss, full-batch Adam; the
    rows (when trained) at `row_lr`, the linear unit at `lr`."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; choose one of {', '.join(MODES)}")
    epochs = check_int("epochs", epochs, 1, 2_000)
    lr = check_float("learning rate", lr, 0.0, 1.0, low_open=True)
    row_lr = check_float("learning rate of the rows", row_lr, 0.0, 1.0, low_open=True)
    torch.manual_seed(seed)
    start = torch.tensor(data.rows)                                            # (U, d)
    if mode == "random":
        start = torch.randn_like(start) * start.std()                         # GloVe's scale, no meaning
    bag = torch.nn.EmbeddingBag.from_pretrained(start.clone(), freeze=mode == "frozen", mode="mean")
    head = torch.nn.Linear(start.shape[1], 1)
    groups = [{"params": list(head.parameters()), "lr": lr}]
    if mode != "frozen":
        groups.append({"params": list(bag.parameters()), "lr": row_lr})
    optimiser = torch.optim.Adam(groups)
    ids, offsets = _bag_tensors(data.bags, data.train)
    targets = torch.tensor(data.labels[data.train], dtype=torch.float32)
    losses = []
    for _ in range(epochs):
        optimiser.zero_grad()
        loss = torch.nn.functional.binary_cross_entropy_with_logits(head(bag(ids, offsets))[:, 0], targets)
        loss.backward()
        optimiser.step()
        losses.append(loss.item())

    def accuracy(chosen: np.ndarray) -> float:
        with torch.no_grad():
            logits = head(bag(*_bag_tensors(data.bags, chosen)))[:, 0]
        return float(((logits > 0).numpy() == data.labels[chosen]).mean())

    moved = (bag.weight.detach() - start).norm(dim=1)                          # (U,)
    changed = moved > 0
    relative = float((moved[changed] / start[changed].norm(dim=1)).mean()) if changed.any() else 0.0
    return ClassifierRun(mode, accuracy(data.train), accuracy(data.test), np.array(losses), moved.numpy(), relative)


def train_words(data: PolarityData) -> np.ndarray:
    """(U,) True for the words the training split holds: the only rows that can move."""
    seen = np.zeros(len(data.words), dtype=bool)
    seen[[i for s in data.train for i in data.bags[s]]] = True
    return seen


MEMORISES = 0.2      # training minus held-out accuracy from which a table has memorised its sentences


def describe_runs(data: PolarityData, runs: list[ClassifierRun]) -> str:
    """The three runs' accuracies, which generalises best, and which memorise, from the numbers."""
    positive = int(data.labels[data.test].sum())
    said = (f"{len(data.train)} sentences train, {len(data.test)} ({positive} positive) are held out. "
            + "; ".join(f"{MODES[r.mode]}: {r.train_accuracy:.0%} on the training sentences, "
                        f"{r.test_accuracy:.0%} held out" for r in runs) + ".")
    memorise = [MODES[r.mode] for r in runs if r.train_accuracy - r.test_accuracy >= MEMORISES]
    if memorise:
        said += f" Memorised (≥ {MEMORISES:.0%} better on the training sentences): {', '.join(memorise)}."
    best = max(r.test_accuracy for r in runs)
    leaders = [MODES[r.mode] for r in runs if r.test_accuracy == best]
    return said + f" Best held out: {' and '.join(leaders)}."
