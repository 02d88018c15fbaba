"""Ethayarajh's measures against brute force over MiniLM's hidden states, the sense-separation
sentence on hand-made cosines, and the claims Static vs contextual makes on its default view."""
import numpy as np
import pytest
import torch

from engine import contextual as ctx
from engine import contextuality as cy


@pytest.fixture(scope="module")
def minilm():
    return ctx.load_minilm()


def token_vectors(sentences, tokenizer, model):
    """Per sentence, its tokens' vectors at every layer (L+1, n, d), each from its own forward pass."""
    found = []
    for sentence in sentences:
        batch = tokenizer(sentence, return_tensors="pt", return_special_tokens_mask=True)
        keep = batch.pop("special_tokens_mask")[0] == 0
        with torch.no_grad():
            states = model(**batch, output_hidden_states=True).hidden_states
        found.append(np.stack([state[0, keep].double().numpy() for state in states]))
    return found


def test_baseline_equals_brute_force_over_every_pair_of_tokens(minilm):
    tokenizer, model = minilm
    sentences = ctx.lee_sentences(5)
    baseline = cy.anisotropy_baseline(sentences, tokenizer, model, batch_size=2)
    vectors = token_vectors(sentences, tokenizer, model)
    assert baseline.sentences == 5 and baseline.tokens == sum(v.shape[1] for v in vectors)
    for layer in range(7):
        unit = [v[layer] / np.linalg.norm(v[layer], axis=1, keepdims=True) for v in vectors]
        across = [a @ b.T for i, a in enumerate(unit) for j, b in enumerate(unit) if i != j]
        assert baseline.mean_cosine[layer] == pytest.approx(np.concatenate([c.ravel() for c in across]).mean(),
                                                             abs=1e-5)
        intra = [np.mean(u @ (v[layer].mean(0) / np.linalg.norm(v[layer].mean(0)))) for u, v in zip(unit, vectors)]
        assert baseline.intra_sentence[layer] == pytest.approx(np.mean(intra), abs=1e-5)
        singular = np.linalg.svd(np.concatenate([v[layer] for v in vectors]), compute_uv=False)
        assert baseline.mev[layer] == pytest.approx(singular[0] ** 2 / (singular ** 2).sum(), abs=1e-5)


def test_self_similarity_and_mev_of_a_word_against_brute_force(minilm):
    sentences = ctx.corpus_sentences_with("police", limit=6)
    result = ctx.static_vs_contextual("police", sentences, *minilm)
    similarity, mev = cy.self_similarity(result.vectors), cy.max_explainable_variance(result.vectors)
    for layer in range(7):
        x = result.vectors[:, layer].astype(np.float64)
        unit = x / np.linalg.norm(x, axis=1, keepdims=True)
        pairs = [unit[i] @ unit[j] for i in range(6) for j in range(6) if i != j]
        assert similarity[layer] == pytest.approx(np.mean(pairs), abs=1e-9)
        singular = np.linalg.svd(x, compute_uv=False)
        assert mev[layer] == pytest.approx(singular[0] ** 2 / (singular ** 2).sum(), abs=1e-9)
    with pytest.raises(ValueError, match="at least 2 sentences; got 1"):
        cy.self_similarity(result.vectors[:1])


def test_sense_separation_on_hand_made_cosines():
    # 2 layers, 4 sentences: A A B B. Layer 0: A–B pair 0.9 beats A–A 0.8; layer 1 separates.
    between = np.ones((2, 4, 4))
    between[0] = [[1, .8, .9, .5], [.8, 1, .5, .5], [.9, .5, 1, .85], [.5, .5, .85, 1]]
    between[1] = [[1, .8, .3, .2], [.8, 1, .1, .4], [.3, .1, 1, .7], [.2, .4, .7, 1]]
    separation = cy.sense_separation(between, ["a", "a", "b", "b"])
    assert separation.farthest_same.tolist() == [.8, .7] and separation.closest_cross.tolist() == [.9, .4]
    assert separation.holds.tolist() == [False, True]
    said = cy.describe_separation(separation)
    assert "at layer 1 (layer 1: same sense ≥ 0.700, different ≤ 0.400)" in said
    assert "Not at layer 0 (layer 0: same sense ≥ 0.800, different ≤ 0.900): at layer 0" in said
    assert cy.sense_separation(between, ["a", "b", "c", "d"]) is None           # no same-sense pair
    with pytest.raises(ValueError, match="3 sense labels for 4 sentences"):
        cy.sense_separation(between, ["a", "a", "b"])
    assert cy.layer_ranges([1, 2, 3, 5]) == "layers 1–3 and 5" and cy.layer_ranges([0]) == "layer 0"


@pytest.mark.parametrize("word, layers", [("bank", range(1, 7)), ("bat", range(0, 7)), ("cell", range(1, 7)),
                                          ("spring", range(2, 7)), ("play", range(2, 7))])
def test_each_preset_separates_its_senses_where_its_caption_says(minilm, word, layers):
    """Claim (Static vs contextual, every preset, adjusted or raw): "every pair of sentences with
    the same sense is more alike than every pair with different senses" at these layers, and
    the caption names the layers where it does not hold. Measured: the least alike same-sense
    pair against the most alike cross-sense pair; threshold: strictly greater."""
    labels, sentences = zip(*ctx.PRESETS[word])
    separation = cy.sense_separation(ctx.static_vs_contextual(word, sentences, *minilm).cosine_between(), labels)
    assert [layer for layer, ok in enumerate(separation.holds) if ok] == list(layers)
    said = cy.describe_separation(separation)
    assert f"at {cy.layer_ranges(list(layers))} (" in said
    assert ("Not at" in said) == (len(layers) < 7)


def test_bank_default_view_adjusted_numbers(minilm):
    """The default view (bank, adjusted): at layer 6 every same-sense pair ≥ 0.79 above the
    baseline and every cross-sense pair ≤ 0.66 above it; at layer 0 two cross-sense sentences
    put "bank" at the same position, so their vectors are identical (cosine 1)."""
    labels, sentences = zip(*ctx.PRESETS["bank"])
    between = ctx.static_vs_contextual("bank", sentences, *minilm).cosine_between()
    baseline = cy.lee_baseline(*minilm)
    adjusted = cy.sense_separation(between - baseline.mean_cosine[:, None, None], labels)
    assert adjusted.farthest_same[6] > 0.79 and adjusted.closest_cross[6] < 0.66
    assert between[0, 0, 2] == pytest.approx(1.0, abs=1e-5)


def test_lee_baseline_is_kept_on_disk_and_read_back(minilm, tmp_path):
    first = cy.lee_baseline(*minilm, count=4, folder=tmp_path)
    assert len(list(tmp_path.glob("baseline-minilm-*.npz"))) == 1
    again = cy.lee_baseline(*minilm, count=4, folder=tmp_path)
    np.testing.assert_array_equal(first.mean_cosine, again.mean_cosine)
    assert again.seconds == first.seconds and again.tokens == first.tokens
    with pytest.raises(ValueError, match="at least 2 sentences"):
        cy.anisotropy_baseline(["One sentence only."], *minilm)


def test_the_baseline_caption_and_the_measures_caption_follow_their_numbers(minilm):
    """Claims of the default view, built from its numbers: the baseline is highest at layer 5
    and lowest at layer 6 (MiniLM's last layer is trained for sentence vectors); the adjusted
    self-similarity of "bank" over its 40 Lee sentences is lowest at layer 5 and rises at 6."""
    baseline = cy.lee_baseline(*minilm)
    assert int(np.argmax(baseline.mean_cosine)) == 5 and int(np.argmin(baseline.mean_cosine)) == 6
    said = cy.describe_baseline(baseline)
    assert f"cosine {baseline.mean_cosine[5]:.2f} at layer 5 (and {baseline.mean_cosine[6]:.2f} at layer 6)" in said
    bank = ctx.static_vs_contextual("bank", ctx.corpus_sentences_with("bank", 40), *minilm)
    measures = cy.word_contextuality(bank, baseline)
    adjusted = measures.adjusted_self_similarity
    assert int(np.argmin(adjusted)) == 5 and adjusted[6] > adjusted[5] + 0.02
    said = cy.describe_contextuality(measures)
    assert "falls from" in said and "at layer 5" in said and "until layer 6 pulls them together again" in said
