"""Cosine against dot product on a frequency-ordered table: the median frequency rank of each
query's top n against a full sort, and the claims Sentence search makes on its default view."""
import numpy as np
import pytest

from engine import dot_product as dp
from engine.vectors import EmbeddingSet


def brute_medians(table, row, topn):
    vectors = np.asarray(table.vectors, dtype=np.float64)
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    found = []
    for matrix in (unit, vectors):
        scores = matrix @ matrix[row]
        scores[row] = -np.inf
        found.append(np.median(np.argsort(-scores, kind="stable")[:topn]) + 1)
    return found


def test_medians_equal_a_full_sort_on_a_tiny_table(tiny):
    shift = dp.frequency_shift(tiny, [1, 2], topn=2)          # apple ties with every word: left out
    for i, row in enumerate([1, 2]):
        assert [shift.cosine[i], shift.dot[i]] == brute_medians(tiny, row, 2)
    # king = (1, 1, 0): the (rank 1) and man (rank 4) by cosine (both 0.71) and by dot (2, 1)
    assert shift.cosine[0] == shift.dot[0] == 2.5
    assert dp.frequency_shift(tiny, [1], topn=1).dot[0] == 1          # "the" leads by dot product
    with pytest.raises(ValueError, match="between 0 and 5"):
        dp.frequency_shift(tiny, [6])
    unordered = EmbeddingSet(tiny.vectors, tiny.index_to_key, "ids", frequency_ordered=False)
    with pytest.raises(ValueError, match="not in frequency order"):
        dp.frequency_shift(unordered, [0])


def test_medians_equal_a_full_sort_on_glove(glove):
    rows = [glove.get_index(w) for w in ("doctor", "frog", "the")]
    shift = dp.frequency_shift(glove, rows)
    for i, row in enumerate(rows):
        assert [shift.cosine[i], shift.dot[i]] == brute_medians(glove, row, 10)


def test_default_word_shows_frequent_words_climbing(glove):
    """Claim (Sentence search, GloVe words, default "doctor"): "dot product lists more frequent
    words". Measured: median frequency rank of the top 10, 2,868.5 by cosine, 769 by dot
    product; threshold: dot below half of cosine (the effect is visible, not marginal)."""
    shift = dp.frequency_shift(glove, [glove.get_index("doctor")])
    assert shift.cosine[0] == 2868.5 and shift.dot[0] == 769
    assert shift.dot[0] < shift.cosine[0] / 2
    assert "dot product 769: dot product lists more frequent words" in dp.describe_word("doctor", shift)
    frog = dp.frequency_shift(glove, [glove.get_index("frog")])
    assert "lists rarer words" in dp.describe_word("frog", frog)     # leptodactylidae, ranidae climb


def test_bands_over_300_query_words(glove):
    """Claim (Sentence search, the sentence over many query words): for the 1,000 most frequent
    query words dot product lists more frequent words (87% of 100 words; median rank 454
    against 846), for words of rank 10,001–50,000 rarer ones (68%: 55,753 against 35,312).
    Threshold: the direction holds for more than 60% of a band's words."""
    bands = dp.frequency_bands(glove)
    assert list(bands) == [(1, 1_000), (1_001, 10_000), (10_001, 50_000)]
    assert bands[(1, 1_000)].more_frequent > 0.6 and bands[(10_001, 50_000)].rarer > 0.6
    said = dp.describe_bands(bands)
    assert "rank 1–1,000, 454 by dot product against 846 by cosine (more frequent for 87%" in said
    assert "rank 10,001–50,000, 55,753 by dot product against 35,312 by cosine (rarer for 68%" in said
