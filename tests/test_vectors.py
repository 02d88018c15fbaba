"""EmbeddingSet: answers worked out on paper (tiny table), parity with gensim on GloVe."""
import numpy as np
import pytest

from engine.errors import UnknownWordError
from engine.vectors import EmbeddingSet, top_k, unit_rows

WORDS = ["king", "frog", "paris", "computer", "good", "ran"]


def keys(results):
    return [n.key for n in results]


# -- tiny table: the=(2,0,0) king=(1,1,0) queen=(1,-1,0) man=(0,1,0) woman=(0,-1,0) apple=(0,0,1)
def test_neighbours_of_king_on_paper(tiny):
    found = tiny.most_similar("king", topn=5)
    assert set(keys(found[:2])) == {"the", "man"}
    assert found[0].score == pytest.approx(1 / np.sqrt(2))
    assert keys(found)[-1] == "woman" and found[-1].score == pytest.approx(-1 / np.sqrt(2))
    assert "king" not in keys(found)


def test_analogy_on_paper(tiny):
    # unit(king) - unit(man) + unit(woman) = (.707, -1.293, 0): cos with queen = 0.9597
    found = tiny.most_similar(["king", "woman"], ["man"], topn=1)
    assert keys(found) == ["queen"]
    assert found[0].score == pytest.approx((0.5 + 1.2929 * 0.7071) / 1.4736, abs=1e-3)


def test_similarity_rank_and_odd_one_out_on_paper(tiny):
    assert tiny.similarity("king", "queen") == 0.0
    assert tiny.similarity("man", "woman") == pytest.approx(-1.0)
    assert tiny.rank("king", "queen") == 3          # 'the' and 'man' are strictly closer
    # sum of unit vectors (1.414, 1, 1) has length 2; queen's cosine with it is 0.146
    assert tiny.doesnt_match(["king", "queen", "man", "apple"]) == "queen"
    assert tiny.centrality(["king", "queen", "man", "apple"])[0].score == pytest.approx(0.1464, abs=1e-4)


def test_restrict_searches_only_first_rows(tiny):
    assert keys(tiny.most_similar("queen", topn=2, restrict_vocab=3)) == ["the", "king"]
    assert len(tiny.restrict(2)) == 2 and tiny.restrict(2).index_to_key == ["the", "king"]


def test_restrict_shares_computed_rows_and_computes_only_its_own(tiny):
    table = EmbeddingSet(tiny.vectors.copy(), tiny.index_to_key, "fresh")
    head = table.restrict(2)
    np.testing.assert_array_equal(head.norms, np.linalg.norm(tiny.vectors[:2], axis=1))
    assert "norms" not in table.__dict__ and "unit" not in table.__dict__   # 2 rows measured
    _ = table.unit, table.norms                          # now computed on the whole table
    view = table.restrict(2)
    assert np.shares_memory(view.unit, table.unit) and np.shares_memory(view.norms, table.norms)


def test_cosmul_on_paper(tiny):
    # (1+cos)/2 shifts: queen scores (1+cos(q,king))/2*(1+cos(q,woman))/2/((1+cos(q,man))/2+1e-6)
    found = tiny.most_similar_cosmul(["king", "woman"], ["man"], topn=1)
    assert keys(found) == ["queen"]
    assert found[0].score == pytest.approx(0.5 * 0.8536 / (0.1464 + 1e-6), rel=1e-3)


def test_exclude_inputs_false_returns_the_input(tiny):
    assert keys(tiny.most_similar("king", topn=1, exclude_inputs=False)) == ["king"]


def test_top_k_matches_full_sort():
    scores = np.random.default_rng(0).standard_normal(1000).astype(np.float32)
    assert top_k(scores, 7).tolist() == np.argsort(-scores)[:7].tolist()


@pytest.mark.parametrize("k", [1, 10, 50, 400])
def test_top_k_of_a_long_array_matches_full_sort(k):
    """400,000 scores: the sampled threshold's route (and the partition's, for k = 400)."""
    scores = np.random.default_rng(k).standard_normal(400_000).astype(np.float32)
    scores[::7] = -np.inf                                   # rows a query leaves out
    assert top_k(scores, k).tolist() == np.argsort(-scores, kind="stable")[:k].tolist()


@pytest.mark.parametrize("share_left_out", [0.0, 0.9999])
def test_top_k_with_many_equal_scores_keeps_the_best_values(share_left_out):
    """Scores of two decimals (thousands of ties) and, in the second case, nearly every row
    left out (-inf), where the threshold would admit everything: the k best values still."""
    rng = np.random.default_rng(1)
    scores = np.round(rng.uniform(-1, 1, 200_000), 2)
    scores[rng.random(200_000) < share_left_out] = -np.inf
    found = top_k(scores, 10)
    assert len(set(found.tolist())) == 10
    assert scores[found].tolist() == sorted(scores, reverse=True)[:10]


def test_unit_rows_keeps_zero_rows_zero():
    out = unit_rows(np.array([[3, 4], [0, 0]], dtype=np.float32))
    np.testing.assert_allclose(out, [[0.6, 0.8], [0.0, 0.0]], rtol=1e-6)


# -- bad input ------------------------------------------------------------------------
def test_unknown_word_names_it_and_suggests(tiny):
    with pytest.raises(UnknownWordError, match=r"'kingg' is not in the vocabulary of tiny .*king"):
        tiny.most_similar("kingg")


def test_close_spellings_on_glove(glove):
    with pytest.raises(KeyError) as error:
        glove.get_index("kingg")
    assert "king" in error.value.suggestions
    assert str(error.value).startswith("'kingg' is not in the vocabulary of glove-6b-50d (400,000 words)")


@pytest.mark.parametrize("kwargs, message", [
    ({"topn": 0}, "topn must be a whole number from 1 to 5; got 0"),
    ({"topn": 2.5}, "topn must be a whole number"),
    ({"restrict_vocab": 0}, "restrict must be a whole number from 1 to 6; got 0"),
    ({"restrict_vocab": 7}, "restrict must be a whole number from 1 to 6; got 7"),
])
def test_out_of_range_arguments(tiny, kwargs, message):
    with pytest.raises(ValueError, match=message):
        tiny.most_similar("king", **kwargs)


@pytest.mark.parametrize("word", ["", "   "])
def test_empty_word(tiny, word):
    with pytest.raises(ValueError, match="expected a word"):
        tiny.most_similar(word)


def test_shape_checks():
    with pytest.raises(ValueError, match="3 keys for 2 rows"):
        EmbeddingSet(np.zeros((2, 3), np.float32), ["a", "b", "c"], "bad")
    with pytest.raises(ValueError, match="must be 2-D"):
        EmbeddingSet(np.zeros(3, np.float32), ["a", "b", "c"], "bad")


def test_repeated_key_resolves_to_first_row():
    table = EmbeddingSet(np.eye(3, dtype=np.float32), ["a", "b", "a"], "dup")
    assert table.get_index("a") == 0


# -- parity with gensim on the real table ------------------------------------------------
@pytest.mark.parametrize("word", WORDS)
def test_most_similar_equals_gensim(glove, glove_gensim, word):
    ours = glove.most_similar(word, topn=10)
    theirs = glove_gensim.most_similar(word, topn=10)
    assert keys(ours) == [k for k, _ in theirs]
    np.testing.assert_allclose([n.score for n in ours], [s for _, s in theirs], atol=1e-5)


def test_most_similar_with_restrict_and_negatives_equals_gensim(glove, glove_gensim):
    ours = glove.most_similar(["paris", "italy"], ["france"], topn=10, restrict_vocab=50_000)
    theirs = glove_gensim.most_similar(["paris", "italy"], ["france"], topn=10, restrict_vocab=50_000)
    assert keys(ours) == [k for k, _ in theirs]
    np.testing.assert_allclose([n.score for n in ours], [s for _, s in theirs], atol=1e-5)


def test_cosmul_equals_gensim(glove, glove_gensim):
    ours = glove.most_similar_cosmul(["king", "woman"], ["man"], topn=10)
    theirs = glove_gensim.most_similar_cosmul(["king", "woman"], ["man"], topn=10)
    assert keys(ours) == [k for k, _ in theirs]
    np.testing.assert_allclose([n.score for n in ours], [s for _, s in theirs], rtol=1e-4)


def test_similarity_rank_doesnt_match_equal_gensim(glove, glove_gensim):
    for a, b in [("king", "queen"), ("cat", "dog"), ("paris", "banana")]:
        assert glove.similarity(a, b) == pytest.approx(glove_gensim.similarity(a, b), abs=1e-6)
        assert glove.rank(a, b) == glove_gensim.rank(a, b)
    for words in (["breakfast", "cereal", "dinner", "lunch"], ["red", "blue", "green", "car"]):
        assert glove.doesnt_match(words) == glove_gensim.doesnt_match(words)


# -- vectors for words without a row (fastText's n-grams) --------------------------------------
@pytest.fixture
def tiny_with_oov(tiny):
    """tiny, plus a provider that gives 'kingly' the vector (1, 0.8, 0): between king and queen,
    nearer king; any other unknown word gets (0, 0, 0)."""
    def build(word):
        return np.array([1.0, 0.8, 0.0] if word == "kingly" else [0.0, 0.0, 0.0], dtype=np.float32)
    return EmbeddingSet(tiny.vectors, tiny.index_to_key, "tiny-oov", oov_vector=build)


def test_oov_vector_is_used_by_lookups(tiny_with_oov):
    table = tiny_with_oov
    assert "kingly" not in table and table.has_vector("kingly")
    np.testing.assert_allclose(table.get_vector("kingly"), [1.0, 0.8, 0.0])
    np.testing.assert_allclose(table.get_vector("kingly", norm=True), np.array([1.0, 0.8, 0.0]) / np.hypot(1, 0.8))
    by_vector = table.similar_by_vector(np.array([1.0, 0.8, 0.0]), topn=3)
    assert table.most_similar("kingly", topn=3) == by_vector          # nothing left out: no row
    assert [n.key for n in by_vector] == ["king", "the", "man"]
    assert table.similarity("kingly", "king") == pytest.approx((1 + 0.8) / (np.hypot(1, 0.8) * np.sqrt(2)))
    assert table.rank("kingly", "the") == 2 and table.rank("king", "kingly") == 1
    assert table.most_similar(["kingly", "woman"], ["man"], topn=1)[0].key == "queen"
    assert table.centrality(["kingly", "king", "apple"])[0].key == "apple"
    assert table.restrict(3).has_vector("kingly")


def test_oov_vector_all_zero_or_absent_is_one_clear_error(tiny, tiny_with_oov):
    with pytest.raises(ValueError, match="the vector built for 'zzz' is all zeros"):
        tiny_with_oov.most_similar("zzz")
    with pytest.raises(KeyError, match="'kingly' is not in the vocabulary of tiny"):
        tiny.most_similar("kingly")
    with pytest.raises(KeyError):
        tiny_with_oov.get_index("kingly")          # a row is still a row


def test_resolve_finds_a_capitalised_word_in_lower_case():
    table = EmbeddingSet(np.eye(3, dtype=np.float32), ["king", "Paris", "queen"], "tiny")
    assert table.resolve("king") == "king"
    assert table.resolve("King") == "king"
    assert table.resolve("Paris") == "Paris"      # a key kept in its own case stays
    with pytest.raises(KeyError, match="'Kong' is not in the vocabulary of tiny"):
        table.resolve("Kong")
    with pytest.raises(ValueError, match="expected a word"):
        table.resolve("  ")


def test_resolve_prefers_a_row_to_a_built_vector():
    table = EmbeddingSet(np.eye(2, dtype=np.float32), ["king", "queen"], "tiny",
                         oov_vector=lambda word: np.ones(2, dtype=np.float32))
    assert table.resolve("King") == "king"
    assert table.resolve("kingdom") == "kingdom"
