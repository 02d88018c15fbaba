"""Binary search with re-scoring: the same results as sentence-transformers' own
semantic_search_faiss, and recall and DCG kept against float32 computed by hand."""
import numpy as np
import pytest

from engine.quantize import binary_codes
from engine.quantize_retrieval import binary_rescore_search, dcg_kept, retrieval_effect
from engine.vectors import unit_rows


@pytest.fixture(scope="module")
def documents():
    rng = np.random.default_rng(0)
    topics = rng.standard_normal((20, 64))
    return unit_rows((topics[rng.integers(0, 20, 1_500)] + 0.7 * rng.standard_normal((1_500, 64))).astype(np.float32))


def test_rescoring_is_sentence_transformers_recipe(documents):
    from sentence_transformers.util.quantization import quantize_embeddings, semantic_search_faiss

    queries, corpus = documents[:60], documents[60:]
    results, _ = semantic_search_faiss(queries, corpus_embeddings=quantize_embeddings(corpus, "ubinary"),
                                       corpus_precision="ubinary", top_k=10, rescore=True, rescore_multiplier=4,
                                       exact=True)
    theirs = np.array([[r["corpus_id"] for r in row] for row in results])
    their_scores = np.array([[r["score"] for r in row] for row in results])
    ours = binary_rescore_search(binary_codes(corpus), queries, 10, 4)
    bits = np.unpackbits(binary_codes(corpus), axis=1)[:, :64].astype(np.float64)
    our_scores = np.take_along_axis(queries.astype(np.float64) @ bits.T, ours, axis=1)
    assert np.allclose(our_scores, their_scores, atol=1e-5)          # ties may swap equal rows
    assert all(set(a) == set(b) for a, b in zip(ours, theirs))


def test_recall_and_dcg_kept_by_hand(documents):
    effect = retrieval_effect(documents, probes=80, k=10)
    assert [p.method for p in effect.points][0] == "float32" and effect.points[0].recall == 1.0
    assert effect.points[1].bytes == documents.shape[0] * 8 and effect.points[0].bytes == documents.nbytes
    rows = np.sort(np.random.default_rng(0).choice(len(documents), 80, replace=False))
    scores = documents[rows].astype(np.float64) @ documents.T.astype(np.float64)
    scores[np.arange(80), rows] = -np.inf
    exact = np.argsort(-scores, axis=1)[:, :10]
    rescored = binary_rescore_search(binary_codes(documents), documents[rows], 11, 4, documents)
    found = np.array([f[f != r][:10] for f, r in zip(rescored, rows)])
    expected_recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(found, exact)])
    assert effect.points[3].recall == pytest.approx(expected_recall)
    discount = 1 / np.log2(np.arange(2, 12))
    gains = np.take_along_axis(scores, found, 1) @ discount / (np.take_along_axis(scores, exact, 1) @ discount)
    assert effect.points[3].dcg_kept == pytest.approx(gains.mean(), rel=1e-6)
    assert effect.points[1].recall < effect.points[2].recall < effect.points[3].recall <= 1.0


def test_dcg_of_the_exact_list_is_all_of_it():
    scores = np.array([[0.9, 0.1, 0.5, 0.3]])
    assert dcg_kept(np.array([[0, 2]]), scores, np.array([[0.9, 0.5]])) == pytest.approx(1.0)
    assert dcg_kept(np.array([[1, 3]]), scores, np.array([[0.9, 0.5]])) < 0.5
