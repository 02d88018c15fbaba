"""engine.positions against closed formulas written another way, transformers' RoPE
initialisation functions, ALiBi's paper values and BLOOM's ALiBi, and MiniLM run by
transformers itself."""
import cmath
import json
import math
import os

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import positions as P
from engine.cli import main

os.environ.setdefault("HF_HUB_OFFLINE", "1")


# -- sinusoidal --------------------------------------------------------------------------
def test_sinusoidal_by_hand():
    table = P.sinusoidal_table(2, 4)
    expected = [[0, 1, 0, 1], [math.sin(1), math.cos(1), math.sin(0.01), math.cos(0.01)]]
    np.testing.assert_allclose(table.numpy(), expected, atol=1e-15)


@pytest.mark.parametrize("positions,dim,base", [(50, 16, 10_000.0), (4_096, 512, 10_000.0), (7, 6, 100.0)])
def test_sinusoidal_equals_the_formula_entry_by_entry(positions, dim, base):
    # the formula as printed in the paper, one entry at a time: PE(pos, 2i) = sin(pos / base^(2i/d))
    pos = np.arange(positions)[:, None].astype(np.float64)
    j = np.arange(dim)[None, :]
    angle = pos / np.power(base, 2 * (j // 2) / dim)
    expected = np.where(j % 2 == 0, np.sin(angle), np.cos(angle))
    np.testing.assert_allclose(P.sinusoidal_table(positions, dim, base).numpy(), expected, atol=1e-12)


def test_sinusoidal_dot_product_depends_on_offset_only():
    table = P.sinusoidal_table(300, 64)
    dots = P.dot_with_all(table, [40, 200])                                  # (2, 300)
    theta = P.inverse_frequencies(64).numpy()
    for row, anchor in zip(dots.numpy(), [40, 200]):
        offsets = np.arange(300) - anchor                                    # Σ_i cos(k·θ_i)
        np.testing.assert_allclose(row, np.cos(offsets[:, None] * theta).sum(1), atol=1e-10)
    np.testing.assert_allclose(dots[0, 40 - 30:40 + 31], dots[1, 200 - 30:200 + 31], atol=1e-10)


def test_wavelengths():
    lengths = P.wavelengths(P.inverse_frequencies(8, 10_000.0)).numpy()
    np.testing.assert_allclose(lengths, 2 * np.pi * np.array([1, 10, 100, 1_000]), rtol=1e-12)


def test_position_cosines_on_the_learned_table():
    from scipy.spatial.distance import cdist

    from engine.sources import load_builtin

    table = np.asarray(load_builtin("minilm-positions").vectors)
    assert table.shape == (512, 384)
    cosines = P.position_cosines(table)
    np.testing.assert_allclose(cosines, 1 - cdist(table, table, "cosine"), atol=1e-5)


# -- RoPE rotation -----------------------------------------------------------------------
def meta_rotary(x: torch.Tensor, positions, inv_freq: torch.Tensor) -> torch.Tensor:
    """Meta's LLaMA apply_rotary_emb: pairs as complex numbers times e^(i·m·θ)."""
    angles = torch.outer(torch.as_tensor(positions, dtype=torch.float64), inv_freq)
    pairs = torch.view_as_complex(x.reshape(*x.shape[:-1], -1, 2).contiguous())
    return torch.view_as_real(pairs * torch.polar(torch.ones_like(angles), angles)).flatten(-2)


def test_interleaved_equals_complex_multiplication():
    x = torch.randn(10, 32, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    inv_freq = P.inverse_frequencies(32)
    np.testing.assert_allclose(P.rotate_interleaved(x, range(10), inv_freq), meta_rotary(x, range(10), inv_freq),
                               atol=1e-12)


def test_rotate_half_equals_transformers_llama():
    from transformers import LlamaConfig
    from transformers.models.llama.modeling_llama import LlamaRotaryEmbedding, apply_rotary_pos_emb

    config = LlamaConfig(hidden_size=256, num_attention_heads=4, head_dim=64, rope_theta=10_000.0)
    rotary = LlamaRotaryEmbedding(config)
    x = torch.randn(1, 1, 12, 64, generator=torch.Generator().manual_seed(1))        # (B, H, P, d)
    cos, sin = rotary(x, torch.arange(12)[None])
    reference, _ = apply_rotary_pos_emb(x, x, cos, sin)
    ours = P.rotate_half(x[0, 0].double(), range(12), P.inverse_frequencies(64))
    np.testing.assert_allclose(ours.float(), reference[0, 0], atol=2e-5)


@pytest.mark.parametrize("rotate", [P.rotate_interleaved, P.rotate_half])
def test_rope_keeps_norms(rotate):
    x = torch.randn(64, dtype=torch.float64, generator=torch.Generator().manual_seed(2))
    rotated = rotate(x, torch.arange(0, 5_000, 7), P.inverse_frequencies(64, 500_000.0))
    np.testing.assert_allclose(rotated.norm(dim=-1), x.norm().expand(rotated.shape[0]), rtol=1e-12)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), m=st.integers(0, 20_000), n=st.integers(0, 20_000),
       shift=st.integers(-5_000, 5_000), head_dim=st.sampled_from([8, 64, 128]),
       base=st.sampled_from([10_000.0, 500_000.0]))
def test_score_depends_only_on_the_offset(seed, m, n, shift, head_dim, base):
    generator = torch.Generator().manual_seed(seed)
    q, k = torch.randn(2, head_dim, dtype=torch.float64, generator=generator)
    inv_freq = P.inverse_frequencies(head_dim, base)
    shift = max(shift, -min(m, n))
    for rotate in (P.rotate_interleaved, P.rotate_half):
        score = rotate(q, [m], inv_freq)[0] @ rotate(k, [n], inv_freq)[0]
        shifted = rotate(q, [m + shift], inv_freq)[0] @ rotate(k, [n + shift], inv_freq)[0]
        assert abs(score - shifted) <= 1e-5 * max(1.0, abs(score))


def test_relative_scores_on_real_word_vectors():
    q, k = P.minilm_token_vector("king", 64), P.minilm_token_vector("queen", 64)
    scores = P.relative_scores(q, k, P.inverse_frequencies(64), 50, (50, 1_000, 8_000))
    assert scores.scores.shape == (3, 101)
    assert scores.spread < 1e-9
    assert np.ptp(scores.scores[0]) > 0.01                       # it does change with the offset
    assert scores.scores[0, 50] == pytest.approx(scores.unrotated, abs=1e-12)   # offset 0: q·k


def test_two_layouts_agree_after_the_permutation():
    x = torch.randn(6, 128, dtype=torch.float64, generator=torch.Generator().manual_seed(3))
    perm = P.half_permutation(128)
    assert perm[:4].tolist() == [0, 2, 4, 6] and perm[64:68].tolist() == [1, 3, 5, 7]
    inv_freq = P.inverse_frequencies(128)
    np.testing.assert_allclose(P.rotate_half(x[:, perm], range(6), inv_freq),
                               P.rotate_interleaved(x, range(6), inv_freq)[:, perm], atol=1e-12)
    assert (P.rotate_half(x, range(6), inv_freq) - P.rotate_interleaved(x, range(6), inv_freq)).abs().max() > 0.1


def test_decay_bound_equals_the_sum_written_out():
    inv_freq = P.inverse_frequencies(8)
    bound = P.rope_decay_bound(inv_freq, 20).numpy()
    for r in (0, 1, 7, 20):
        partial = [abs(sum(cmath.exp(1j * r * float(inv_freq[i])) for i in range(j))) for j in range(1, 5)]
        assert bound[r] == pytest.approx(sum(partial) / 4, rel=1e-12)
    assert bound[0] == pytest.approx((4 + 1) / 2)
    long = P.rope_decay_bound(P.inverse_frequencies(128), 250).numpy()
    assert long[0] == pytest.approx(32.5) and long[250] < long[0] / 3     # the paper's figure 2


# -- RoPE scaling against transformers ---------------------------------------------------
def hf_inv_freq(kind: str, head_dim: int, base: float, factor: float, original: int, seq_len=None):
    from transformers import LlamaConfig
    from transformers.modeling_rope_utils import ROPE_INIT_FUNCTIONS
    from transformers.models.llama.modeling_llama import LlamaRotaryEmbedding

    parameters = {"rope_type": kind, "rope_theta": base, "factor": factor}
    if kind in ("yarn", "llama3"):
        parameters["original_max_position_embeddings"] = original
    if kind == "llama3":
        parameters.update(low_freq_factor=1.0, high_freq_factor=4.0)
    if kind == "default":
        parameters.pop("factor")
    config = LlamaConfig(hidden_size=head_dim * 4, num_attention_heads=4, head_dim=head_dim,
                         max_position_embeddings=original if kind == "dynamic" else 16 * original,
                         rope_parameters=parameters)
    initialise = LlamaRotaryEmbedding.compute_default_rope_parameters if kind == "default" \
        else ROPE_INIT_FUNCTIONS[kind]
    inv_freq, attention = initialise(config, seq_len=seq_len) if seq_len else initialise(config)
    return inv_freq.numpy(), attention


GRID = [(64, 10_000.0, 2.0, 2_048), (128, 10_000.0, 4.0, 4_096), (128, 500_000.0, 8.0, 8_192),
        (96, 1_000_000.0, 2.5, 32_768), (256, 10_000.0, 16.0, 4_096), (32, 500_000.0, 1.0, 8_192)]


@pytest.mark.parametrize("head_dim,base,factor,original", GRID)
@pytest.mark.parametrize("scaling,kind", [("none", "default"), ("linear", "linear"), ("yarn", "yarn"),
                                          ("llama3", "llama3")])
def test_scaling_equals_transformers(scaling, kind, head_dim, base, factor, original):
    ours = P.rope_frequencies(head_dim, base, scaling, factor, original)
    reference, attention = hf_inv_freq(kind, head_dim, base, factor, original)
    np.testing.assert_allclose(ours.inv_freq.numpy(), reference, rtol=2e-6)
    assert ours.attention_factor == pytest.approx(attention, rel=1e-12)


@pytest.mark.parametrize("head_dim,base,factor,original", GRID)
@pytest.mark.parametrize("length_over_original", [0.5, 1.0, 3.0, 10.0])
def test_dynamic_ntk_equals_transformers(head_dim, base, factor, original, length_over_original):
    length = int(original * length_over_original)
    ours = P.rope_frequencies(head_dim, base, "dynamic", factor, original, seq_len=length)
    reference, _ = hf_inv_freq("dynamic", head_dim, base, factor, original, seq_len=length)
    np.testing.assert_allclose(ours.inv_freq.numpy(), reference, rtol=2e-6)


@pytest.mark.parametrize("head_dim,base,factor,original", GRID)
def test_static_ntk_is_dynamic_ntk_at_factor_one(head_dim, base, factor, original):
    # transformers has no static NTK-aware rule; with factor 1 its dynamic rule scales the base
    # by (L/L₀)^(d/(d−2)), which is NTK-aware scaling with α = L/L₀
    ours = P.rope_frequencies(head_dim, base, "ntk", factor, original)
    reference, _ = hf_inv_freq("dynamic", head_dim, base, 1.0, original, seq_len=factor * original)
    np.testing.assert_allclose(ours.inv_freq.numpy(), reference, rtol=2e-6)
    formula = (base * factor ** (head_dim / (head_dim - 2))) ** (-np.arange(0, head_dim, 2) / head_dim)
    np.testing.assert_allclose(ours.inv_freq.numpy(), formula, rtol=1e-12)


def test_scaling_shapes_the_wavelengths_as_described():
    d, base, s, context = 128, 500_000.0, 8.0, 8_192
    none = P.rope_frequencies(d, base, "none", s, context)
    linear = P.rope_frequencies(d, base, "linear", s, context)
    llama3 = P.rope_frequencies(d, base, "llama3", s, context)
    np.testing.assert_allclose(P.wavelengths(linear.inv_freq), s * P.wavelengths(none.inv_freq))
    short = P.wavelengths(none.inv_freq) < context / 4
    assert torch.equal(llama3.inv_freq[short], none.inv_freq[short])
    long = P.wavelengths(none.inv_freq) > context
    np.testing.assert_allclose(llama3.inv_freq[long], none.inv_freq[long] / s)
    yarn = P.rope_frequencies(d, base, "yarn", s, context)
    assert yarn.attention_factor == pytest.approx(0.1 * math.log(8) + 1)
    assert yarn.inv_freq[0] == none.inv_freq[0] and yarn.inv_freq[-1] == pytest.approx(none.inv_freq[-1] / s)


# -- ALiBi -------------------------------------------------------------------------------
def test_alibi_slopes_from_the_paper():
    np.testing.assert_allclose(P.alibi_slopes(8), [2.0 ** -i for i in range(1, 9)], rtol=1e-15)
    twelve = [2.0 ** -i for i in range(1, 9)] + [2.0 ** -(i + 0.5) for i in range(4)]
    np.testing.assert_allclose(P.alibi_slopes(12), twelve, rtol=1e-15)


@pytest.mark.parametrize("heads", [1, 3, 5, 8, 12, 16, 20, 32, 40, 64, 96])
def test_alibi_slopes_equal_bloom(heads):
    from transformers.models.bloom.modeling_bloom import build_alibi_tensor

    alibi = build_alibi_tensor(torch.ones(1, 2), heads, torch.float64)   # (H, 1, 2): slope·position
    np.testing.assert_allclose(P.alibi_slopes(heads), alibi[:, 0, 1], rtol=1e-6)


def test_alibi_bias_by_hand():
    bias = P.alibi_bias(torch.tensor([0.5, 0.25], dtype=torch.float64), 3)
    inf = float("-inf")
    expected = [[[0, inf, inf], [-0.5, 0, inf], [-1, -0.5, 0]],
                [[0, inf, inf], [-0.25, 0, inf], [-0.5, -0.25, 0]]]
    np.testing.assert_array_equal(bias.numpy(), expected)


# -- order blindness ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def minilm():
    from transformers import AutoTokenizer, BertModel

    from engine.sources import minilm_path

    path = minilm_path()
    return (AutoTokenizer.from_pretrained(path, local_files_only=True),
            BertModel.from_pretrained(path, local_files_only=True, attn_implementation="eager").eval())


def test_order_blindness_on_minilm(minilm):
    tokenizer, model = minilm
    a, b = "the dog bit the man", "the man bit the dog"
    result = P.order_blindness(a, b, head=3)
    assert result.tokens_a == tokenizer.convert_ids_to_tokens(tokenizer(a)["input_ids"])
    assert result.plain_change.shape == (12,) and result.plain_change.max() < 1e-9
    assert result.positioned_change.max() > 1.0 and result.positioned_change.min() > 0.01
    np.testing.assert_allclose(result.plain_a, result.plain_b, atol=1e-9)
    # with positions, the scores are what BertModel's first layer computes
    with torch.no_grad():
        attentions = model(**tokenizer(a, return_tensors="pt"), output_attentions=True).attentions[0]
    probabilities = torch.softmax(torch.as_tensor(result.positioned_a), -1)
    np.testing.assert_allclose(probabilities, attentions[0, 3].double(), atol=1e-5)


def test_order_blindness_needs_the_same_tokens():
    with pytest.raises(ValueError, match="only in A: cat; only in B: dog"):
        P.order_blindness("the cat sat", "the dog sat")


# -- bad input ---------------------------------------------------------------------------
@pytest.mark.parametrize("call,message", [
    (lambda: P.rope_frequencies(63), "head dimension must be an even whole number from 4 to 2,048"),
    (lambda: P.rope_frequencies(64, base=1.0), "base must be a number > 1; got 1.0"),
    (lambda: P.rope_frequencies(64, base=-3), "base must be a number > 1"),
    (lambda: P.rope_frequencies(64, scaling="linear", factor=0.5), "factor must be a number >= 1"),
    (lambda: P.rope_frequencies(64, scaling="rope2"), "unknown scaling 'rope2'; choose one of none"),
    (lambda: P.rope_frequencies(64, original_max_positions=0), "original max positions must be"),
    (lambda: P.sinusoidal_table(0, 64), "positions must be a whole number from 1 to 16,384; got 0"),
    (lambda: P.sinusoidal_table(10**9, 64), "positions must be a whole number from 1 to 16,384"),
    (lambda: P.sinusoidal_table(10, 7), "dimension must be an even whole number"),
    (lambda: P.alibi_slopes(0), "heads must be a whole number from 1 to 1,024; got 0"),
    (lambda: P.alibi_slopes(-4), "heads must be a whole number from 1 to 1,024"),
    (lambda: P.order_blindness("a b", "b a", head=12), "head must be a whole number from 0 to 11"),
    (lambda: P.minilm_token_vector("king", 512), "head dimension must be an even whole number from 2 to 384"),
])
def test_bad_input_names_the_value_and_the_range(call, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        call()


def test_unknown_token_is_a_key_error():
    with pytest.raises(KeyError, match="not in the vocabulary of minilm-tokens"):
        P.minilm_token_vector("qwertyuiopasdf", 64)


# -- CLI ---------------------------------------------------------------------------------
def run_cli(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_rope_json(capsys):
    code, out, _ = run_cli(capsys, "positions", "rope", "--head-dim", "128", "--base", "500000",
                           "--scaling", "llama3", "--factor", "8", "--json")
    assert code == 0
    result = json.loads(out)
    reference, _ = hf_inv_freq("llama3", 128, 500_000.0, 8.0, 8_192)
    np.testing.assert_allclose(result["inv_freq"], reference, rtol=2e-6)
    assert len(result["wavelengths"]) == 64 and result["attention_factor"] == 1.0


def test_cli_sinusoidal_and_alibi_json(capsys):
    code, out, _ = run_cli(capsys, "positions", "sinusoidal", "--positions", "3", "--dim", "4", "--json")
    assert code == 0 and json.loads(out)["matrix"][0] == [0.0, 1.0, 0.0, 1.0]
    code, out, _ = run_cli(capsys, "positions", "alibi", "--heads", "8", "--json")
    assert code == 0 and json.loads(out)["slopes"][-1] == 2.0 ** -8


def test_cli_text_and_bad_input(capsys):
    code, out, _ = run_cli(capsys, "positions", "rope", "--head-dim", "8")
    assert code == 0 and out.splitlines()[2].split()[:2] == ["0", "1"]
    code, out, err = run_cli(capsys, "positions", "rope", "--head-dim", "7", "--json")
    assert code == 2 and out == "" and err.count("\n") == 1 and "got 7" in err
