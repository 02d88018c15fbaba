"""The contextual cone against brute-force pairwise cosines of MiniLM's hidden states."""
import pytest
import torch

from engine import contextual


@pytest.fixture(scope="module")
def minilm():
    return contextual.load_minilm()


def test_sentences_are_real_sentences_of_the_lee_corpus():
    sentences = contextual.lee_sentences(30)
    assert len(sentences) == 30
    assert sentences[0].startswith("Hundreds of people have been forced to vacate their homes")
    assert all(len(s.split()) >= 6 for s in sentences)


def test_layer_cosines_equal_brute_force_pairwise_means(minilm):
    tokenizer, model = minilm
    sentences = contextual.lee_sentences(6)
    cone = contextual.contextual_cone(sentences, tokenizer, model, batch_size=4)
    batch = tokenizer(sentences, padding=True, return_tensors="pt", return_special_tokens_mask=True)
    keep = (batch.pop("special_tokens_mask") == 0) & (batch["attention_mask"] == 1)
    with torch.no_grad():
        states = model(**batch, output_hidden_states=True).hidden_states
    assert cone.tokens == int(keep.sum())
    assert len(cone.layers) == 7
    for layer, state in zip(cone.layers, states):
        vectors = torch.nn.functional.normalize(state[keep].double(), dim=1)
        cos = vectors @ vectors.T
        n = cos.shape[0]
        expected = float((cos.sum() - cos.trace()) / (n * (n - 1)))
        assert layer.mean_cosine == pytest.approx(expected, abs=1e-6)  # batches pad differently
    static = torch.nn.functional.normalize(
        model.embeddings.word_embeddings.weight.detach()[batch["input_ids"][keep]].double(), dim=1)
    cos = static @ static.T
    n = cos.shape[0]
    assert cone.static_occurrences == pytest.approx(float((cos.sum() - cos.trace()) / (n * (n - 1))), abs=1e-6)


def test_static_table_baseline_matches_the_geometry_of_the_token_table(minilm):
    from engine import geometry
    from engine.sources import load_builtin

    cone = contextual.contextual_cone(contextual.lee_sentences(2), *minilm)
    assert cone.static_table == pytest.approx(
        geometry.anisotropy(load_builtin("minilm-tokens")).mean_cosine, abs=1e-6)
    # the narrow cone: contextual vectors are far more alike than static rows
    assert max(layer.mean_cosine for layer in cone.layers[1:]) > cone.static_table + 0.1


def test_no_sentences_is_a_clear_error(minilm):
    with pytest.raises(ValueError, match="at least one sentence"):
        contextual.contextual_cone([], *minilm)
    with pytest.raises(ValueError, match="sentences must be"):
        contextual.lee_sentences(0)
