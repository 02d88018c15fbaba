"""Under-trained rows: each indicator against a direct computation, a planted cluster found at
its valley, and the real ground truth, MiniLM's 994 "[unused…]" tokens."""
import numpy as np
import pytest
from scipy.stats import mannwhitneyu, median_abs_deviation

from engine.undertrained import (
    cluster_threshold,
    cosine_without_component,
    duplicate_rows,
    leading_component,
    robust_z,
    separation,
    under_trained,
)
from engine.vectors import EmbeddingSet


def planted(rows: int = 3_000, untrained: int = 90, dim: int = 32, seed: int = 0):
    """Trained rows N(0, 1) plus an offset every row shares, and rows that stayed near one
    shared direction, short (what weight decay and a tied softmax leave of a token never seen)."""
    rng = np.random.default_rng(seed)
    offset = rng.standard_normal(dim) * 0.8
    trained = rng.standard_normal((rows, dim)) + offset
    direction = rng.standard_normal(dim)
    direction *= 0.5 / np.linalg.norm(direction)
    stale = direction + 0.04 * rng.standard_normal((untrained, dim)) + 0.3 * offset / np.linalg.norm(offset)
    vectors = np.vstack([trained, stale]).astype(np.float32)
    order = rng.permutation(len(vectors))
    truth = np.zeros(len(vectors), bool)
    truth[np.flatnonzero(order >= rows)] = True
    return EmbeddingSet(vectors[order], [f"t{i}" for i in range(len(vectors))], "planted", False), truth


def test_leading_component_is_sklearns_first_axis():
    from sklearn.decomposition import PCA

    table, _ = planted()
    from engine.geometry.cone import moments

    ours = leading_component(moments(table.vectors).covariance)
    theirs = PCA(1).fit(table.vectors.astype(np.float64)).components_[0]
    assert abs(abs(ours @ theirs) - 1) < 1e-6


def test_cosine_without_component_is_the_direct_formula():
    rng = np.random.default_rng(1)
    rows, target = rng.standard_normal((40, 6)), rng.standard_normal(6)
    direction = rng.standard_normal(6)
    direction /= np.linalg.norm(direction)
    flat = rows - np.outer(rows @ direction, direction)
    aim = target - (target @ direction) * direction
    expected = flat @ aim / np.linalg.norm(flat, axis=1) / np.linalg.norm(aim)
    assert np.allclose(cosine_without_component(rows, direction, target), expected, atol=1e-12)
    along = np.vstack([direction * 3, rows[:2]])           # a row lying along the direction: cosine 0
    assert cosine_without_component(along, direction, target)[0] == 0


def test_robust_z_and_duplicates_by_hand():
    values = np.array([1.0, 2.0, 3.0, 4.0, 100.0])
    assert np.allclose(robust_z(values), (values - 3) / median_abs_deviation(values, scale="normal"))
    assert np.array_equal(robust_z(np.ones(4)), np.zeros(4))
    rows = np.array([[1, 2], [3, 4], [1, 2], [0, 0], [3, 4], [1, 2]], np.float32)
    assert duplicate_rows(rows).tolist() == [-1, -1, 0, -1, 1, 0]


def test_separation_is_mann_whitney_and_precision_by_hand():
    rng = np.random.default_rng(2)
    score, truth = rng.standard_normal(200), rng.random(200) < 0.2
    u = mannwhitneyu(score[truth], score[~truth]).statistic
    found = separation(score, truth)
    assert found["auc"] == pytest.approx(u / (truth.sum() * (~truth).sum()))
    top = np.argsort(-score)[:truth.sum()]
    assert found["precision"] == pytest.approx(truth[top].mean()) and found["n"] == truth.sum()
    with pytest.raises(ValueError, match="both flagged and unflagged"):
        separation(score, np.zeros(200, bool))


def test_a_planted_cluster_is_found_at_its_valley():
    table, truth = planted()
    under = under_trained(table)
    assert separation(under.score, truth)["auc"] > 0.999
    assert under.threshold is not None and under.cluster == pytest.approx(truth.sum(), abs=5)
    assert truth[under.order()[:under.cluster]].mean() > 0.94 and truth[under.order()[:80]].all()
    assert under.reference == "the 30 shortest rows"
    frame = under.to_frame()
    assert frame["row"].head(10).tolist() == [r["row"] for r in under.ranked(10)]


def test_no_cluster_in_gaussian_rows():
    rng = np.random.default_rng(3)
    table = EmbeddingSet(rng.standard_normal((4_000, 16)).astype(np.float32), [str(i) for i in range(4_000)], "g")
    assert under_trained(table).threshold is None and cluster_threshold(rng.standard_normal(10_000)) is None


def test_output_embedding_initialisation_and_padding():
    table, truth = planted(untrained=60)
    output = EmbeddingSet(table.vectors[::-1].copy(), table.index_to_key, "out", False)
    under = under_trained(table, output=output, init_std=0.02, padding_row=5)
    assert under.output_norm is not None and np.allclose(under.output_norm, np.linalg.norm(output.vectors, axis=1))
    assert np.allclose(under.init_ratio, np.linalg.norm(table.vectors, axis=1) / (0.02 * np.sqrt(32)), rtol=1e-6)
    row = next(r for r in under.ranked(len(table)) if r["row"] == 5)
    assert row["padding"] and "output_mean_distance" in row
    with pytest.raises(ValueError, match="must have the same shape"):
        under_trained(table, output=EmbeddingSet(table.vectors[:10], table.index_to_key[:10], "x"))


def test_minilm_unused_tokens_ground_truth():
    """The measured ground truth of the README and bench/bench_health.py."""
    from engine.sources import load_builtin
    from engine.token_context import context_of_table

    table = load_builtin("minilm-tokens")
    context = context_of_table(table)
    unused = np.array([k.startswith("[unused") for k in table.index_to_key])
    under = under_trained(table, status=context.status, init_std=context.init_std, padding_row=context.pad)
    by_norm = separation(-under.norm, unused)
    combined = separation(under.score, unused)
    assert by_norm["auc"] == pytest.approx(0.990, abs=0.001) and combined["auc"] >= 0.99
    assert 0.69 < combined["precision"] < 0.75                 # the goal, 0.9, is not met: see README
    never = unused | (context.status == "never produced")
    assert separation(under.score, never)["precision"] >= 0.9
    top = under.order()[:994]
    assert (context.status[top] == "never produced").mean() > 0.9
    assert under.reference == "the 1,331 tokens the tokenizer never produces"


def test_claim_never_trained_rows_are_short_and_huddle():
    """Health report › Under-trained rows: "Rows whose tokens (almost) never appeared in
    training got (almost) no gradient: they stay short and huddle around one direction."
    MiniLM's 994 [unused…] rows: mean norm 0.455 against 1.086 for the others (threshold:
    under half); median cosine to the mean direction, leading component removed, 0.47
    against 0.10 (threshold: over three times)."""
    from engine.sources import load_builtin

    table = load_builtin("minilm-tokens")
    under = under_trained(table)
    unused = np.array([k.startswith("[unused") for k in table.index_to_key])
    assert under.norm[unused].mean() < 0.5 * under.norm[~unused].mean()
    huddle = 1 - under.mean_distance
    assert np.median(huddle[unused]) > 3 * np.median(huddle[~unused])
