"""How a transformer learns where a token is: sinusoidal tables, learned tables, RoPE
(with the long-context rules that rescale its frequencies) and ALiBi, in PyTorch.

Everything is float64: the tables are small, and the properties the app proves (RoPE's
score depends on m − n only, the two RoPE layouts agree) then hold to ~1e-12, so a failure
means a wrong formula, never rounding. Shapes: P positions, d dimensions, H heads.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import torch

from engine.errors import check_float, check_int
from engine.rope_scaling import SCALINGS
from engine.vectors import unit_rows

DTYPE = torch.float64
MAX_POSITIONS = 16_384
MAX_DIM = 2_048
MAX_FACTOR = 1_000.0
MAX_CONTEXT = 10_000_000
MAX_HEADS = 1_024


def _check_even(name: str, value, low: int, high: int) -> int:
    allowed = f"{name} must be an even whole number from {low:,} to {high:,} (dimensions come in pairs)"
    try:
        number = check_int(name, value, low, high)
    except ValueError:
        raise ValueError(f"{allowed}; got {value!r}") from None
    if number % 2:
        raise ValueError(f"{allowed}; got {number:,}")
    return number


def _check_base(base) -> float:
    return check_float("base", base, 1.0, low_open=True)


# -- sinusoidal (Vaswani et al. 2017) ------------------------------------------------------
def inverse_frequencies(dim: int, base: float = 10_000.0) -> torch.Tensor:
    """(dim/2,) θ_i = base^(−2i/dim): radians per position of pair i (sinusoidal and RoPE)."""
    dim = _check_even("dimension", dim, 2, MAX_DIM)
    exponents = torch.arange(0, dim, 2, dtype=DTYPE) / dim  # (d/2,) 2i/d
    return _check_base(base) ** -exponents


def sinusoidal_table(positions: int, dim: int, base: float = 10_000.0) -> torch.Tensor:
    """(positions, dim) table: sin(p·θ_i) in dimension 2i, cos(p·θ_i) in dimension 2i+1."""
    positions = check_int("positions", positions, 1, MAX_POSITIONS)
    angles = torch.arange(positions, dtype=DTYPE)[:, None] * inverse_frequencies(dim, base)  # (P, d/2)
    table = torch.empty(positions, dim, dtype=DTYPE)
    table[:, 0::2] = angles.sin()
    table[:, 1::2] = angles.cos()
    return table


def wavelengths(inv_freq: torch.Tensor) -> torch.Tensor:
    """(d/2,) positions per full turn of each pair: 2π / θ_i."""
    return 2 * math.pi / inv_freq


def dot_with_all(table: torch.Tensor, anchors: list[int]) -> torch.Tensor:
    """(A, P) dot product of rows `anchors` with every row of table (P, d)."""
    anchors = [check_int("anchor position", a, 0, table.shape[0] - 1) for a in anchors]
    return table[anchors] @ table.T


def position_cosines(table) -> np.ndarray:
    """(P, P) cosine similarity between every pair of rows of a (P, d) position table."""
    unit = unit_rows(np.asarray(table))
    return unit @ unit.T


# -- RoPE (Su et al. 2021) and its long-context scaling rules -----------------------------
@dataclass(frozen=True)
class RopeFrequencies:
    """RoPE's angle per position for each of the d/2 pairs, before and after scaling."""

    scaling: str
    factor: float
    original_max_positions: int
    inv_freq: torch.Tensor      # (d/2,) radians per position, after scaling
    unscaled: torch.Tensor      # (d/2,) base^(−2i/d)
    attention_factor: float     # YaRN multiplies cos and sin by this; 1 for the others

    def to_dict(self) -> dict:
        return {"scaling": self.scaling, "factor": self.factor,
                "original_max_positions": self.original_max_positions,
                "inv_freq": self.inv_freq.tolist(), "wavelengths": wavelengths(self.inv_freq).tolist(),
                "unscaled_wavelengths": wavelengths(self.unscaled).tolist(),
                "attention_factor": self.attention_factor}

    def describe(self, label: str) -> str:
        """How many pairs' wavelengths the scaling (`label`: its name on the page) stretches,
        and by how much, from these frequencies."""
        stretch = (self.unscaled / self.inv_freq).numpy()              # (d/2,) new wavelength / old
        changed = ~np.isclose(stretch, 1.0)
        pairs, named = len(stretch), f"{label} with s = {self.factor:g}"
        if not changed.any():
            return f"{named} leaves all {pairs} pairs' wavelengths as they are."
        least, most = f"{stretch[changed].min():.2f}×", f"{stretch[changed].max():.2f}×"
        said = (f"{named} stretches {int(changed.sum())} of the {pairs} pairs' wavelengths, by "
                f"{least if least == most else f'{least} to {most}'}, and leaves {int((~changed).sum())} as they are")
        if self.attention_factor != 1.0:
            return said + f"; cos and sin are multiplied by {self.attention_factor:.4f}."
        return said + "."

    def to_frame(self):
        """One row per pair: inverse frequency and wavelength, scaled and unscaled."""
        import pandas as pd

        return pd.DataFrame({"pair": range(len(self.inv_freq)), "inv_freq": self.inv_freq.numpy(),
                             "wavelength": wavelengths(self.inv_freq).numpy(),
                             "unscaled_inv_freq": self.unscaled.numpy(),
                             "unscaled_wavelength": wavelengths(self.unscaled).numpy()})


def rope_frequencies(head_dim: int, base: float = 10_000.0, scaling: str = "none",
                     factor: float = 1.0, original_max_positions: int = 8_192,
                     seq_len: int | None = None) -> RopeFrequencies:
    """RoPE inverse frequencies with one of SCALINGS applied.

    linear: θ/s (position interpolation). ntk: base·s^(d/(d−2)). dynamic: NTK with
    s' = s·L/L₀ − (s − 1) for the current length L = seq_len (default s·L₀). yarn: a ramp
    from keeping θ (≥ 32 turns in L₀) to θ/s (≤ 1 turn), attention factor 0.1·ln s + 1.
    llama3: keep waves shorter than L₀/4, divide waves longer than L₀ by s, blend between.
    """
    head_dim = _check_even("head dimension", head_dim, 4, MAX_DIM)
    base = _check_base(base)
    if scaling not in SCALINGS:
        raise ValueError(f"unknown scaling {scaling!r}; choose one of {', '.join(SCALINGS)}")
    factor = check_float("factor", factor, 1.0, MAX_FACTOR)
    context = check_int("original max positions", original_max_positions, 1, MAX_CONTEXT)
    unscaled = inverse_frequencies(head_dim, base)
    attention_factor = 1.0
    if scaling == "none":
        inv_freq = unscaled
    elif scaling == "linear":
        inv_freq = unscaled / factor
    elif scaling == "ntk":
        inv_freq = inverse_frequencies(head_dim, base * factor ** (head_dim / (head_dim - 2)))
    elif scaling == "dynamic":
        length = check_int("sequence length", seq_len if seq_len is not None else math.ceil(factor * context),
                           1, MAX_CONTEXT * int(MAX_FACTOR))
        alpha = factor * max(length, context) / context - (factor - 1)
        inv_freq = inverse_frequencies(head_dim, base * alpha ** (head_dim / (head_dim - 2)))
    elif scaling == "yarn":
        inv_freq = _yarn(unscaled, head_dim, base, factor, context)
        attention_factor = 0.1 * math.log(factor) + 1.0 if factor > 1 else 1.0
    else:
        inv_freq = _llama3(unscaled, factor, context)
    return RopeFrequencies(scaling, factor, context, inv_freq, unscaled, attention_factor)


def _yarn(unscaled: torch.Tensor, head_dim: int, base: float, factor: float, context: int,
          beta_fast: float = 32.0, beta_slow: float = 1.0) -> torch.Tensor:
    def pair_with_turns(turns: float) -> float:  # the pair whose wave fits `turns` times in context
        return head_dim * math.log(context / (turns * 2 * math.pi)) / (2 * math.log(base))

    low = max(math.floor(pair_with_turns(beta_fast)), 0)
    high = min(math.ceil(pair_with_turns(beta_slow)), head_dim - 1)
    pairs = torch.arange(head_dim // 2, dtype=DTYPE)
    ramp = ((pairs - low) / ((high - low) or 1e-3)).clamp(0, 1)  # 0: keep θ, 1: θ/s
    return unscaled * (1 - ramp) + unscaled / factor * ramp


def _llama3(unscaled: torch.Tensor, factor: float, context: int,
            low_freq_factor: float = 1.0, high_freq_factor: float = 4.0) -> torch.Tensor:
    turns = context / wavelengths(unscaled)  # (d/2,) full turns within the original context
    keep = ((turns - low_freq_factor) / (high_freq_factor - low_freq_factor)).clamp(0, 1)
    return keep * unscaled + (1 - keep) * unscaled / factor


def rope_angles(inv_freq: torch.Tensor, positions) -> torch.Tensor:
    """(P, d/2) angle m·θ_i of every pair at every position m."""
    positions = torch.as_tensor(positions, dtype=DTYPE).reshape(-1)
    return positions[:, None] * inv_freq[None, :]


def rotate_interleaved(x: torch.Tensor, positions, inv_freq: torch.Tensor) -> torch.Tensor:
    """RoPE with pairs (x0, x1), (x2, x3), … (the paper; Meta's LLaMA code).

    x: (d,) rotated to every position, or (P, d) one row per position -> (P, d).
    """
    angles = rope_angles(inv_freq, positions)          # (P, d/2)
    cos, sin = angles.cos(), angles.sin()
    even, odd = x[..., 0::2], x[..., 1::2]             # (P, d/2) each
    turned = torch.stack((even * cos - odd * sin, even * sin + odd * cos), dim=-1)  # (P, d/2, 2)
    return turned.flatten(-2)


def rotate_half(x: torch.Tensor, positions, inv_freq: torch.Tensor) -> torch.Tensor:
    """RoPE with pairs (x_i, x_{i+d/2}) (Hugging Face, GPT-NeoX). Shapes as rotate_interleaved."""
    angles = rope_angles(inv_freq, positions).repeat(1, 2)  # (P, d): θ for both halves
    first, second = x.chunk(2, dim=-1)
    return x * angles.cos() + torch.cat((-second, first), dim=-1) * angles.sin()


def half_permutation(head_dim: int) -> torch.Tensor:
    """(d,) indices [0, 2, 4, …, 1, 3, 5, …]: rotate_half(x[perm]) == rotate_interleaved(x)[perm].

    The same reordering of a head's query and key weight rows makes a checkpoint written
    for one layout run with the other (Hugging Face's LLaMA conversion script does this).
    """
    head_dim = _check_even("head dimension", head_dim, 2, MAX_DIM)
    return torch.cat((torch.arange(0, head_dim, 2), torch.arange(1, head_dim, 2)))


def layout_gaps(x: torch.Tensor, positions, inv_freq: torch.Tensor) -> dict[str, float]:
    """Largest |rotate_half − rotate_interleaved| of x (d,) over positions: as they are, and
    with x and the result reordered by half_permutation."""
    perm = half_permutation(x.shape[-1])
    interleaved = rotate_interleaved(x, positions, inv_freq)        # (P, d)
    return {"as_is": (rotate_half(x, positions, inv_freq) - interleaved).abs().max().item(),
            "permuted": (rotate_half(x[perm], positions, inv_freq) - interleaved[:, perm]).abs().max().item()}


def pair_path(x: torch.Tensor, pair: int, positions, inv_freq: torch.Tensor) -> torch.Tensor:
    """(P, 2) pair `pair` of x (d,) rotated to each position: a circle, θ_pair per step."""
    pair = check_int("pair", pair, 0, inv_freq.shape[0] - 1)
    return rotate_interleaved(x[2 * pair:2 * pair + 2], positions, inv_freq[pair:pair + 1])


@dataclass(frozen=True)
class RelativeScores:
    """q rotated to m = n + offset, dotted with k rotated to n, for several key positions n."""

    offsets: np.ndarray         # (O,) m − n
    key_positions: tuple[int, ...]
    scores: np.ndarray          # (N, O) one row per key position n
    spread: float               # largest difference between rows: 0 if only m − n matters
    unrotated: float            # q·k with no positions

    def to_dict(self) -> dict:
        return {"offsets": self.offsets.tolist(), "key_positions": list(self.key_positions),
                "scores": self.scores.tolist(), "spread": self.spread, "unrotated": self.unrotated}


def relative_scores(q: torch.Tensor, k: torch.Tensor, inv_freq: torch.Tensor, max_offset: int,
                    key_positions: tuple[int, ...]) -> RelativeScores:
    """q, k: (d,). Scores for offsets −max_offset … max_offset at each key position."""
    max_offset = check_int("largest offset", max_offset, 0, MAX_POSITIONS)
    offsets = torch.arange(-max_offset, max_offset + 1, dtype=DTYPE)  # (O,)
    rows = []
    for n in key_positions:
        n = check_int("key position", n, 0, MAX_CONTEXT)
        k_n = rotate_interleaved(k, [n], inv_freq)[0]             # (d,)
        q_m = rotate_interleaved(q, n + offsets, inv_freq)       # (O, d)
        rows.append(q_m @ k_n)
    scores = torch.stack(rows)                                   # (N, O)
    spread = (scores.max(0).values - scores.min(0).values).max().item()
    return RelativeScores(offsets.numpy().astype(int), tuple(key_positions), scores.numpy(),
                          spread, float(q @ k))


def rope_decay_bound(inv_freq: torch.Tensor, max_distance: int) -> torch.Tensor:
    """(D+1,) the RoPE paper's long-term-decay bound (§3.4.3, figure 2) at distances 0…D:
    mean over j of |S_j|, S_j = Σ_{i<j} exp(i·r·θ_i)."""
    max_distance = check_int("largest distance", max_distance, 1, MAX_POSITIONS)
    angles = rope_angles(inv_freq, torch.arange(max_distance + 1))   # (D+1, d/2)
    partial_sums = torch.polar(torch.ones_like(angles), angles).cumsum(-1)  # (D+1, d/2) S_1…S_{d/2}
    return partial_sums.abs().mean(-1)


# -- ALiBi (Press et al. 2022) --------------------------------------------------------------
def alibi_slopes(heads: int) -> torch.Tensor:
    """(H,) 2^(−8/H), 2^(−16/H), …; for H not a power of two, the slopes of the power of two
    below it, then every other slope of the next power of two (the paper's rule)."""
    heads = check_int("heads", heads, 1, MAX_HEADS)

    def geometric(n: int) -> torch.Tensor:  # (n,) 2^(−8i/n), i = 1…n
        return 2.0 ** (-8.0 * torch.arange(1, n + 1, dtype=DTYPE) / n)

    below = 2 ** int(math.log2(heads))
    return torch.cat((geometric(below), geometric(2 * below)[0::2][: heads - below]))


def alibi_bias(slopes: torch.Tensor, length: int) -> torch.Tensor:
    """(H, L, L) bias added to causal attention scores: −slope·(i − j) for key j ≤ query i,
    −inf for future keys."""
    length = check_int("length", length, 1, MAX_POSITIONS // 4)
    distance = torch.arange(length)[None, :] - torch.arange(length)[:, None]  # (L, L) j − i
    bias = slopes[:, None, None] * distance.to(DTYPE)                          # (H, L, L)
    return bias.masked_fill(distance > 0, float("-inf"))


# -- order blindness, on MiniLM's real embeddings and first attention layer ------------------
@lru_cache(maxsize=1)
def _minilm_layer0() -> dict[str, torch.Tensor]:
    from safetensors import safe_open

    from engine.sources import minilm_path

    names = {"word": "embeddings.word_embeddings.weight", "position": "embeddings.position_embeddings.weight",
             "type": "embeddings.token_type_embeddings.weight", "ln_w": "embeddings.LayerNorm.weight",
             "ln_b": "embeddings.LayerNorm.bias", "wq": "encoder.layer.0.attention.self.query.weight",
             "bq": "encoder.layer.0.attention.self.query.bias", "wk": "encoder.layer.0.attention.self.key.weight",
             "bk": "encoder.layer.0.attention.self.key.bias"}
    with safe_open(minilm_path() / "model.safetensors", framework="pt") as weights:
        return {short: weights.get_tensor(name).to(DTYPE) for short, name in names.items()}


@lru_cache(maxsize=1)
def _minilm_tokenizer():
    from tokenizers import Tokenizer

    from engine.sources import minilm_path

    tokenizer = Tokenizer.from_file(str(minilm_path() / "tokenizer.json"))
    tokenizer.no_padding()  # the file pads to 128; scores are shown for the real tokens only
    tokenizer.no_truncation()
    return tokenizer


MINILM_HEADS = 12


def minilm_tokens(sentence: str) -> tuple[list[int], list[str]]:
    """WordPiece ids and tokens of `sentence`, with [CLS] and [SEP], as MiniLM reads it."""
    if not sentence.strip():
        raise ValueError("expected a sentence, got an empty text")
    encoding = _minilm_tokenizer().encode(sentence)
    if len(encoding.ids) > 512:
        raise ValueError(f"the sentence has {len(encoding.ids):,} tokens; MiniLM reads at most 512")
    return encoding.ids, encoding.tokens


def minilm_attention_scores(ids: list[int], with_positions: bool) -> torch.Tensor:
    """(H, T, T) MiniLM layer-0 scores q·k/√d_head before softmax, with or without the
    learned position rows added to the token rows."""
    w = _minilm_layer0()
    x = w["word"][ids] + w["type"][0]                                   # (T, 384)
    if with_positions:
        x = x + w["position"][: len(ids)]
    x = torch.nn.functional.layer_norm(x, (x.shape[-1],), w["ln_w"], w["ln_b"], eps=1e-12)
    head_dim = x.shape[-1] // MINILM_HEADS
    q = (x @ w["wq"].T + w["bq"]).view(len(ids), MINILM_HEADS, head_dim).transpose(0, 1)  # (H, T, hd)
    k = (x @ w["wk"].T + w["bk"]).view(len(ids), MINILM_HEADS, head_dim).transpose(0, 1)
    return q @ k.transpose(-1, -2) / math.sqrt(head_dim)               # (H, T, T)


@dataclass(frozen=True)
class OrderBlindness:
    """One head's scores for two sentences with the same tokens, B's reordered into A's order,
    and for every head the largest change between A and B."""

    tokens_a: list[str]
    tokens_b: list[str]
    head: int
    plain_a: np.ndarray          # (T, T) without positions
    plain_b: np.ndarray          # (T, T) sentence B's scores, rows and columns in A's token order
    positioned_a: np.ndarray     # (T, T) with positions
    positioned_b: np.ndarray
    plain_change: np.ndarray     # (H,) max |A − B| per head, without positions
    positioned_change: np.ndarray

    def to_dict(self) -> dict:
        return {"tokens_a": self.tokens_a, "tokens_b": self.tokens_b, "head": self.head,
                "plain_change": self.plain_change.tolist(),
                "positioned_change": self.positioned_change.tolist()}


def _reordering(ids_a: list[int], ids_b: list[int], tokens_a, tokens_b) -> list[int]:
    """order such that ids_b[order[i]] == ids_a[i]; ValueError if the tokens differ."""
    if sorted(ids_a) != sorted(ids_b):
        only_a = sorted(set(tokens_a) - set(tokens_b)) or ["(counts differ)"]
        only_b = sorted(set(tokens_b) - set(tokens_a)) or ["(counts differ)"]
        raise ValueError("the two sentences must hold the same tokens in another order; only in A: "
                         f"{', '.join(only_a)}; only in B: {', '.join(only_b)}")
    unused: dict[int, list[int]] = {}
    for j, token in enumerate(ids_b):
        unused.setdefault(token, []).append(j)
    return [unused[token].pop(0) for token in ids_a]


def order_blindness(sentence_a: str, sentence_b: str, head: int = 0) -> OrderBlindness:
    """MiniLM layer-0 attention scores of two reorderings of the same tokens, with and without
    the learned position embeddings."""
    head = check_int("head", head, 0, MINILM_HEADS - 1)
    ids_a, tokens_a = minilm_tokens(sentence_a)
    ids_b, tokens_b = minilm_tokens(sentence_b)
    order = _reordering(ids_a, ids_b, tokens_a, tokens_b)
    results = {}
    for name, with_positions in (("plain", False), ("positioned", True)):
        a = minilm_attention_scores(ids_a, with_positions)                          # (H, T, T)
        b = minilm_attention_scores(ids_b, with_positions)[:, order][:, :, order]  # in A's order
        results[name] = (a[head].numpy(), b[head].numpy(), (a - b).abs().amax((1, 2)).numpy())
    (plain_a, plain_b, plain_change), (positioned_a, positioned_b, positioned_change) = results.values()
    return OrderBlindness(tokens_a, tokens_b, head, plain_a, plain_b, positioned_a, positioned_b,
                          plain_change, positioned_change)


def minilm_token_vector(token: str, dim: int) -> torch.Tensor:
    """(dim,) the first `dim` numbers of a MiniLM token row (384-d), as one head would see it."""
    from engine.sources import load_builtin

    dim = _check_even("head dimension", dim, 2, 384)
    return torch.as_tensor(load_builtin("minilm-tokens").get_vector(token)[:dim], dtype=DTYPE)
