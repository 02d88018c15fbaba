"""GloVe (Pennington, Socher & Manning 2014) in PyTorch.

1. Co-occurrences: X[i, j] sums 1/distance over every time word j appears within `window`
   words of word i in one sentence (symmetric, as the paper's cooccur does), kept sparse.
2. The weighted least-squares objective over the nonzero cells
       J = sum_ij f(X_ij) (w_i · w~_j + b_i + b~_j - log X_ij)^2,  f(x) = min(1, (x / x_max)^alpha)
   minimised with AdaGrad (the paper's optimiser, accumulators starting at 1 as in glove.c)
   over shuffled batches of cells. The word vectors are W + W~, as the paper reports.
   The tables are dense: AdaGrad leaves a row whose gradient is zero exactly as it was, so
   this is the sparse update, and on one thread it is faster than coalescing sparse grads.
"""
from __future__ import annotations

import numpy as np

from engine.train.corpus import Corpus
from engine.train.monitor import Monitor
from engine.train.settings import TrainSettings
from engine.train.vocab import build_vocabulary, encode

ALPHA = 0.75


def cooccurrence(ids: np.ndarray, sentence: np.ndarray, vocab_size: int, window: int):
    """Window-weighted co-occurrence counts. ids, sentence: (N,) token rows and the sentence
    each came from. Returns a (V, V) symmetric scipy COO matrix, duplicates summed."""
    from scipy import sparse

    rows, cols, weights = [], [], []
    for distance in range(1, window + 1):
        same = sentence[:-distance] == sentence[distance:]
        left, right = ids[:-distance][same], ids[distance:][same]
        rows += [left, right]
        cols += [right, left]
        weights.append(np.full(2 * len(left), 1.0 / distance))
    matrix = sparse.coo_matrix((np.concatenate(weights), (np.concatenate(rows), np.concatenate(cols))),
                               shape=(vocab_size, vocab_size)).tocsr()     # sums duplicates
    return matrix.tocoo()


def weighting(x: np.ndarray, x_max: float, alpha: float = ALPHA) -> np.ndarray:
    """f(x) = min(1, (x / x_max)^alpha), elementwise."""
    return np.minimum(1.0, (np.asarray(x, dtype=np.float64) / x_max) ** alpha)


class GloVe:
    """The four GloVe tables as torch embeddings: W, W~ (V, d) and b, b~ (V, 1)."""

    def __init__(self, vocab_size: int, dim: int, seed: int):
        import torch

        generator = torch.Generator().manual_seed(seed)

        def table(width):       # glove.c: uniform in [-0.5, 0.5) / d
            layer = torch.nn.Embedding(vocab_size, width)
            with torch.no_grad():
                layer.weight.copy_((torch.rand(vocab_size, width, generator=generator) - 0.5) / dim)
            return layer

        self.word, self.context = table(dim), table(dim)
        self.word_bias, self.context_bias = table(1), table(1)

    def parameters(self):
        return [t.weight for t in (self.word, self.context, self.word_bias, self.context_bias)]

    def loss(self, i, j, log_x, f):
        """sum over the batch of f (w_i · w~_j + b_i + b~_j - log x)^2. i, j, log_x, f: (B,)."""
        dot = (self.word(i) * self.context(j)).sum(-1)                            # (B,)
        diff = dot + self.word_bias(i).squeeze(-1) + self.context_bias(j).squeeze(-1) - log_x
        return (f * diff * diff).sum()

    def vectors(self) -> np.ndarray:
        """(V, d) float32 W + W~."""
        return (self.word.weight + self.context.weight).detach().numpy().astype(np.float32)


def train_glove(corpus: Corpus, settings: TrainSettings, monitor: Monitor):
    """Returns (keys, (V, d) float32 vectors, the (V, V) COO co-occurrence matrix)."""
    import torch

    vocabulary = build_vocabulary(corpus, settings.min_count)
    ids, sentence = encode(corpus, vocabulary)
    counts = cooccurrence(ids, sentence, len(vocabulary.keys), settings.window)
    i_all = torch.from_numpy(counts.row.astype(np.int64))
    j_all = torch.from_numpy(counts.col.astype(np.int64))
    log_x = torch.from_numpy(np.log(counts.data)).float()
    f_all = torch.from_numpy(weighting(counts.data, settings.x_max)).float()
    model = GloVe(len(vocabulary.keys), settings.dim, settings.seed)
    optimiser = torch.optim.Adagrad(model.parameters(), lr=settings.lr, initial_accumulator_value=1.0)
    generator = torch.Generator().manual_seed(settings.seed)
    cells, batch = len(log_x), settings.batch
    monitor.start(settings.epochs * corpus.words)
    for _ in range(settings.epochs):
        order = torch.randperm(cells, generator=generator)
        total, done = 0.0, 0
        for start in range(0, cells, batch):
            if monitor.stopped:
                break
            pick = order[start:start + batch]
            optimiser.zero_grad()
            loss = model.loss(i_all[pick], j_all[pick], log_x[pick], f_all[pick])
            loss.backward()
            optimiser.step()
            total += loss.item()
            done += len(pick)
            monitor.words(round(corpus.words * len(pick) / cells))
        if done:
            monitor.epoch_end(total / done, vocabulary.keys, model.vectors(), vocabulary.key_to_index)
        if monitor.stopped:
            break
    return vocabulary.keys, model.vectors(), counts
