"""GloVe (Pennington, Socher & Manning 2014) in PyTorch.

1. Co-occurrences: X[i, j] sums 1/distance over every time word j appears within `window`
   words of word i in one sentence (symmetric, as the paper's cooccur does), kept sparse.
2. The weighted least-squares objective over the nonzero cells
       J = sum_ij f(X_ij) (w_i · w~_j + b_i + b~_j - log X_ij)^2,  f(x) = min(1, (x / x_max)^alpha)
   minimised with AdaGrad (the paper's optimiser, accumulators starting at 1 as in glove.c)
   over shuffled batches of cells. The word vectors are W + W~, as the paper reports.
   As glove.c does, the gradient is written out rather than left to autograd (a test checks
   it against autograd): with e = 2 f (w_i · w~_j + b_i + b~_j - log X_ij) per cell,
   dJ/dw_i = e w~_j, dJ/dw~_j = e w_i, dJ/db_i = dJ/db~_j = e. A batch's row gradients are
   summed with index_add_ and AdaGrad updates only the rows the batch touched, with
   torch.optim.Adagrad's arithmetic: autograd and Adagrad(eps=0) over the whole tables take
   the very same steps, bit for bit (so the page's code can be those few lines).
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


def weighting(x, x_max: float, alpha: float = ALPHA):
    """f(x) = min(1, (x / x_max)^alpha), elementwise. x: (n,) float64 tensor."""
    return (x / x_max).pow(alpha).clamp(max=1.0)


class GloVe:
    """The four GloVe tables: word W, context W~ (V, d) and their biases b, b~ (V,)."""

    def __init__(self, vocab_size: int, dim: int, seed: int):
        import torch

        generator = torch.Generator().manual_seed(seed)

        def table(*shape):       # glove.c: uniform in [-0.5, 0.5) / d
            return (torch.rand(vocab_size, *shape, generator=generator) - 0.5) / dim

        self.word, self.context = table(dim), table(dim)
        self.word_bias, self.context_bias = table(), table()

    def tables(self) -> list:
        return [self.word, self.context, self.word_bias, self.context_bias]

    def residuals(self, i, j, log_x):
        """(w_i · w~_j + b_i + b~_j - log x (B,), w_i (B, d), w~_j (B, d)). i, j, log_x: (B,)."""
        w, c = self.word.index_select(0, i), self.context.index_select(0, j)
        diff = (w * c).sum(-1) + self.word_bias.index_select(0, i) + self.context_bias.index_select(0, j) - log_x
        return diff, w, c

    def loss(self, i, j, log_x, f):
        """sum over the batch of f (w_i · w~_j + b_i + b~_j - log x)^2. i, j, log_x, f: (B,)."""
        diff, _, _ = self.residuals(i, j, log_x)
        return (f * diff * diff).sum()

    def gradients(self, i, j, log_x, f):
        """(the batch's loss, per table (rows (B,), row gradients (B, ...))) in `tables()` order."""
        diff, w, c = self.residuals(i, j, log_x)
        e = 2 * f * diff                                                          # (B,)
        loss = float((e * diff).sum()) / 2
        return loss, [(i, e[:, None] * c), (j, e[:, None] * w), (i, e), (j, e)]   # dJ/dw_i, dJ/dw~_j, dJ/db_i, dJ/db~_j

    def vectors(self) -> np.ndarray:
        """(V, d) float32 W + W~."""
        return (self.word + self.context).numpy().astype(np.float32)


class RowAdaGrad:
    """AdaGrad on the rows a batch touched: per entry G += g^2, x -= lr g / sqrt(G), G from 1.
    A row used by several cells of the batch gets the sum of their gradients, as autograd
    would give it (torch.optim.Adagrad(eps=0) on these tables takes the very same step, bit
    for bit: the same addcmul and addcdiv on each row)."""

    def __init__(self, tables: list, lr: float, initial: float = 1.0):
        import torch

        self.tables, self.lr = tables, lr
        self.sums = [torch.full_like(t, initial) for t in tables]
        self.summed = [torch.zeros_like(t) for t in tables]
        self.touched = torch.zeros(len(tables[0]), dtype=torch.bool)

    def step(self, gradients: list) -> None:
        """gradients: per table, (rows (B,), row gradients (B, ...))."""
        for table, sums, summed, (rows, grad) in zip(self.tables, self.sums, self.summed, gradients):
            summed.index_add_(0, rows, grad)
            self.touched.zero_()[rows] = True
            used = self.touched.nonzero().squeeze(1)                            # (U,) distinct rows
            g = summed.index_select(0, used)
            s = sums.index_select(0, used).addcmul_(g, g)
            sums.index_copy_(0, used, s)
            table.index_copy_(0, used, table.index_select(0, used).addcdiv_(g, s.sqrt_(), value=-self.lr))
            summed.index_fill_(0, used, 0.0)


def train_glove(corpus: Corpus, settings: TrainSettings, monitor: Monitor):
    """Returns (keys, (V, d) float32 vectors, the (V, V) COO co-occurrence matrix)."""
    import torch

    vocabulary = build_vocabulary(corpus, settings.min_count)
    ids, sentence = encode(corpus, vocabulary)
    counts = cooccurrence(ids, sentence, len(vocabulary.keys), settings.window)
    i_all = torch.from_numpy(counts.row.astype(np.int64))
    j_all = torch.from_numpy(counts.col.astype(np.int64))
    x = torch.from_numpy(counts.data)                                    # (n,) float64 X_ij
    log_x, f_all = x.log().float(), weighting(x, settings.x_max).float()
    model = GloVe(len(vocabulary.keys), settings.dim, settings.seed)
    optimiser = RowAdaGrad(model.tables(), settings.lr)
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
            loss, gradients = model.gradients(i_all[pick], j_all[pick], log_x[pick], f_all[pick])
            optimiser.step(gradients)
            total += loss
            done += len(pick)
            monitor.words(round(corpus.words * len(pick) / cells))
        if done:
            monitor.epoch_end(total / done, vocabulary.keys, model.vectors(), vocabulary.key_to_index)
        if monitor.stopped:
            break
    return vocabulary.keys, model.vectors(), counts
