"""The Vocabulary page's built-in fastText example makes its point: the first missing word
of the example list gets neighbours that share its character n-grams, unlike a made-up word
whose pieces the Lee news stories never had."""
from engine.vocabulary import EXAMPLE_WORDS, MADE_UP_WORD, coverage, fasttext_vector


def neighbours_sharing_pieces(word: str) -> list[str]:
    """Of fastText's 5 nearest words to `word`, those sharing a 4- to 6-character n-gram of
    <word> (the boundary-marked form fastText hashes)."""
    from gensim.models.fasttext_inner import compute_ngrams

    pieces = set(compute_ngrams(word, 4, 6))
    return [n.key for n in fasttext_vector(word).neighbours if pieces & set(compute_ngrams(n.key, 4, 6))]


def test_the_first_missing_example_word_has_neighbours_that_share_its_pieces(glove):
    missing = coverage(glove, EXAMPLE_WORDS).missing()
    assert MADE_UP_WORD in missing
    first = missing[0]
    assert len(neighbours_sharing_pieces(first)) >= 4, fasttext_vector(first).neighbours
    assert len(neighbours_sharing_pieces(MADE_UP_WORD)) <= 1
