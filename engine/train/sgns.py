"""Skip-gram with negative sampling (Mikolov et al. 2013) from scratch in PyTorch.

For every word (the centre) and every word within a random window 1..`window` of it, the
model raises log σ(u_context · v_centre) and, for `negative` noise words drawn from the
unigram distribution to the power 3/4, lowers their score: the loss per pair is
    -log σ(u_o · v_c) - Σ_k log σ(-u_k · v_c).
v rows live in the input table (the word vectors kept at the end), u rows in the output
table. Both are nn.Embedding(sparse=True) updated by SparseAdam: a step touches only the
rows of its batch, which the monitor reports. Frequent words are down-sampled as gensim does.
"""
from __future__ import annotations

import numpy as np

from engine.train.corpus import Corpus
from engine.train.monitor import Monitor
from engine.train.settings import TrainSettings
from engine.train.vocab import build_vocabulary, encode


def keep_probability(counts: np.ndarray, sample: float) -> np.ndarray:
    """(V,) chance each occurrence survives down-sampling (word2vec's formula, as in gensim)."""
    if sample == 0:
        return np.ones(len(counts))
    threshold = sample * counts.sum()
    return np.minimum(1.0, (np.sqrt(counts / threshold) + 1) * threshold / counts)


def skipgram_pairs(ids: np.ndarray, sentence: np.ndarray, reach: np.ndarray, window: int) -> np.ndarray:
    """(P, 2) (centre, context) rows: each centre sees `reach` (its random 1..window) words each
    side, within its sentence (word2vec's shrinking window). ids, sentence, reach: (N,)."""
    pairs = []
    for distance in range(1, window + 1):
        same = sentence[:-distance] == sentence[distance:]
        forward = same & (reach[:-distance] >= distance)      # centre on the left
        backward = same & (reach[distance:] >= distance)      # centre on the right
        pairs.append(np.stack([ids[:-distance][forward], ids[distance:][forward]], 1))
        pairs.append(np.stack([ids[distance:][backward], ids[:-distance][backward]], 1))
    return np.concatenate(pairs)


class SkipGram:
    def __init__(self, vocab_size: int, dim: int, seed: int):
        import torch

        generator = torch.Generator().manual_seed(seed)
        self.input = torch.nn.Embedding(vocab_size, dim, sparse=True)     # v: the word vectors
        self.output = torch.nn.Embedding(vocab_size, dim, sparse=True)    # u: the context vectors
        with torch.no_grad():                   # as word2vec: small random v, zero u
            self.input.weight.copy_((torch.rand(vocab_size, dim, generator=generator) - 0.5) / dim)
            self.output.weight.zero_()

    def loss(self, centre, context, noise):
        """Mean loss of a batch. centre, context: (B,); noise: (B, k)."""
        import torch
        import torch.nn.functional as F

        v = self.input(centre)                                   # (B, d)
        u = self.output(torch.cat([context[:, None], noise], 1)) # (B, 1 + k, d): one lookup, one sparse grad
        scores = (u * v[:, None, :]).sum(-1)                     # (B, 1 + k); elementwise beats bmm's tiny matrices
        sign = torch.ones(scores.shape[1])
        sign[1:] = -1                                            # raise the true pair, lower the noise
        return -F.logsigmoid(scores * sign).sum(-1).mean()


def noise_sampler(counts: np.ndarray, generator):
    """callable(shape) -> noise rows drawn from counts^0.75 (word2vec's distribution, by binary
    search in its cumulative table as gensim does). counts: (V,)."""
    import torch

    cumulative = torch.from_numpy(np.cumsum(counts ** 0.75))
    total = float(cumulative[-1])
    return lambda shape: torch.searchsorted(cumulative, torch.rand(shape, generator=generator,
                                                                   dtype=torch.float64) * total, right=True)


def train_sgns(corpus: Corpus, settings: TrainSettings, monitor: Monitor):
    """Returns (keys, (V, d) float32 input-table vectors)."""
    import torch

    vocabulary = build_vocabulary(corpus, settings.min_count)
    ids, sentence = encode(corpus, vocabulary)
    model = SkipGram(len(vocabulary.keys), settings.dim, settings.seed)
    optimiser = torch.optim.SparseAdam([model.input.weight, model.output.weight], lr=settings.lr)
    keep = keep_probability(vocabulary.counts, settings.sample)
    rng = np.random.default_rng(settings.seed)
    noise = noise_sampler(vocabulary.counts, torch.Generator().manual_seed(settings.seed))
    monitor.start(settings.epochs * corpus.words)
    step = 0
    for _ in range(settings.epochs):
        reach = rng.integers(1, settings.window + 1, size=len(ids))     # drawn for every word, then
        kept = rng.random(len(ids)) < keep[ids]                          # down-sampled anew each epoch
        pairs = torch.from_numpy(rng.permutation(skipgram_pairs(ids[kept], sentence[kept], reach[kept],
                                                                settings.window)))
        total, batches = 0.0, 0
        for start in range(0, len(pairs), settings.batch):
            if monitor.stopped:
                break
            centre, context = pairs[start:start + settings.batch].T                     # (B,), (B,)
            negatives = noise((len(centre), settings.negative))                           # (B, k)
            optimiser.zero_grad()
            loss = model.loss(centre, context, negatives)
            loss.backward()
            optimiser.step()
            total, batches = total + loss.item(), batches + 1
            if step < monitor.steps_to_report:
                monitor.step(step, loss.item(), centre.unique().numpy(),
                             torch.cat([context, negatives.flatten()]).unique().numpy())
            monitor.words(round(corpus.words * len(centre) / len(pairs)))
            step += 1
        if batches:
            monitor.epoch_end(total / batches, vocabulary.keys,
                              model.input.weight.detach().numpy(), vocabulary.key_to_index)
        if monitor.stopped:
            break
    return vocabulary.keys, model.input.weight.detach().numpy().copy()
