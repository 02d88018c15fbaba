"""Initialisation schemes against torch.nn.init called directly, pair statistics by hand, and
the √d scaling's position share against the formula."""
import math

import numpy as np
import pytest
import torch

from engine.layer.init_scale import SCHEMES, init_table, position_share, scale_comparison, table_stats


@pytest.mark.parametrize("scheme, reference", [
    ("normal", lambda w: w),
    ("keras", lambda w: torch.nn.init.uniform_(w, -0.05, 0.05)),
    ("gpt2", lambda w: torch.nn.init.normal_(w, 0.0, 0.02)),
    ("xavier", lambda w: torch.nn.init.xavier_uniform_(w)),
])
def test_schemes_equal_torch_init_with_the_same_seed(scheme, reference):
    torch.manual_seed(3)
    expected = reference(torch.nn.Embedding(1_000, 64).weight.detach())
    assert torch.equal(init_table(scheme, 1_000, 64, seed=3), expected)


def test_scheme_scales():
    assert init_table("normal", 2_000, 64).std().item() == pytest.approx(1.0, abs=0.02)
    assert init_table("keras", 2_000, 64).abs().max().item() <= 0.05
    assert init_table("gpt2", 2_000, 64).std().item() == pytest.approx(0.02, abs=0.001)
    assert init_table("xavier", 2_000, 64).abs().max().item() <= math.sqrt(6 / (2_000 + 64))


def test_pair_statistics_by_hand():
    stats = table_stats("tiny", np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.0, 0.0]]))  # zero row left out
    assert sorted(stats.norms.tolist()) == pytest.approx([1.0, 1.0, math.sqrt(2)])
    assert stats.mean_cosine == pytest.approx((0 + 2 / math.sqrt(2)) / 3)
    assert stats.cosine_counts.sum() == 3


def test_random_rows_are_nearly_orthogonal_trained_rows_are_not():
    random = table_stats("random", init_table("gpt2", 30_522, 384), sample=1_000)
    assert abs(random.mean_cosine) < 0.005
    assert random.mean_abs_cosine == pytest.approx(math.sqrt(2 / (math.pi * 384)), rel=0.05)  # E|N(0, 1/d)|
    from engine.sources import load_builtin

    glove = table_stats("glove", load_builtin("glove-6b-50d").vectors, sample=1_000)
    assert glove.mean_cosine > 0.05


def test_scaling_brings_positions_to_a_third():
    scale = scale_comparison(512)
    np.testing.assert_allclose(scale.position_norms, math.sqrt(256))         # √(d/2), every position
    assert scale.token_norms.mean() == pytest.approx(1.0, abs=0.02)
    assert scale.share_unscaled == pytest.approx(256 / 257, abs=0.005)      # (d/2) / (1 + d/2)
    assert scale.share_scaled == pytest.approx(1 / 3, abs=0.01)             # (d/2) / (d + d/2)
    assert position_share(torch.ones(1, 2), torch.ones(1, 2)) == 0.5


@pytest.mark.parametrize("call, message", [
    (lambda: init_table("orthogonal", 10, 4), "unknown initialisation 'orthogonal'"),
    (lambda: init_table("gpt2", 0, 4), "vocabulary V must be"),
    (lambda: scale_comparison(0), "dimension d must be"),
])
def test_bad_settings(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_every_scheme_has_a_label():
    assert list(SCHEMES) == ["normal", "keras", "gpt2", "xavier"]
