"""Coverage and OOV strategies, each against an independent reference: a plain set lookup,
transformers' tokenizer and model weights, fastText's hash written out by hand, NumPy."""
import numpy as np
import pytest

from engine.vectors import EmbeddingSet
from engine.vocabulary import (
    coverage,
    fasttext_from_bin,
    fasttext_vector,
    found_word_map,
    hashed_vector,
    lee_fasttext,
    oov_vectors,
    parse_word_list,
    unk_vector,
    word_bucket,
    wordpiece_vector,
)


def fnv1a_signed(data: bytes) -> int:
    """fastText's hash: FNV-1a 32-bit, each byte taken as a signed char first."""
    h = 2166136261
    for byte in data:
        h = (h ^ ((byte - 256 if byte > 127 else byte) & 0xFFFFFFFF)) & 0xFFFFFFFF
        h = (h * 16777619) & 0xFFFFFFFF
    return h


def test_parse_word_list():
    assert parse_word_list("cat, dog\nCat  cat;bird\t") == ["cat", "dog", "Cat", "bird"]
    with pytest.raises(ValueError, match="the word list is empty"):
        parse_word_list(" ,\n")


def test_coverage_on_tiny(tiny):
    cover = coverage(tiny, ["king", "King", "QUEEN", "kingg"])
    assert [(w.status, w.key) for w in cover.words] == [
        ("exact", "king"), ("other case", "king"), ("other case", "queen"), ("missing", None)]
    assert cover.count("missing") == 1 and cover.ratio == 0.75
    assert cover.missing() == ["kingg"]
    assert cover.to_dict()["other_case"] == 2


def test_coverage_on_glove_against_sets(glove):
    words = ["Paris", "paris", "the", "Zzyzx", "iPhone", "NASA", "colour", "qwertyuiopz"]
    exact = set(glove.index_to_key)
    lower = {k.lower() for k in glove.index_to_key}
    for status in coverage(glove, words).words:
        expected = ("exact" if status.word in exact else
                    "other case" if status.word.lower() in lower else "missing")
        assert status.status == expected, status


def test_unk_row_or_mean(tiny):
    with_unk = EmbeddingSet(np.array([[1, 0], [0, 1], [3, 3]], np.float32), ["a", "b", "<unk>"], "u")
    np.testing.assert_array_equal(unk_vector(with_unk, "zzz").vector, [3, 3])
    result = unk_vector(tiny, "zzz")
    np.testing.assert_allclose(result.vector, np.asarray(tiny.vectors).mean(axis=0))
    assert "no UNK row" in result.explanation and result.neighbours[0].key == "the"


def test_wordpiece_matches_transformers():
    import torch
    from transformers import AutoModel, AutoTokenizer

    from engine.sources import minilm_path

    tokenizer = AutoTokenizer.from_pretrained(minilm_path(), local_files_only=True)
    model = AutoModel.from_pretrained(minilm_path(), local_files_only=True)
    for word in ["embeddings", "Tokenisation", "unbelievableness"]:
        result = wordpiece_vector(word)
        assert list(result.parts) == tokenizer.tokenize(word)
        ids = torch.tensor(tokenizer.convert_tokens_to_ids(tokenizer.tokenize(word)))
        expected = model.embeddings.word_embeddings.weight[ids].mean(dim=0).detach().numpy()
        np.testing.assert_allclose(result.vector, expected, rtol=1e-6, atol=1e-7)
    assert wordpiece_vector("embeddings").parts == ("em", "##bed", "##ding", "##s")


def test_fasttext_oov_vector_is_the_mean_of_its_hashed_ngrams():
    model = lee_fasttext()
    wv = model.wv
    word = "governmentalism"
    assert word not in wv.key_to_index
    grams = [f"<{word}>"[i:i + n] for n in range(wv.min_n, wv.max_n + 1)
             for i in range(len(word) + 3 - n)]
    rows = [fnv1a_signed(g.encode()) % wv.bucket for g in grams]
    expected = wv.vectors_ngrams[rows].mean(axis=0)
    result = fasttext_vector(word)
    np.testing.assert_allclose(result.vector, expected, rtol=1e-5, atol=1e-7)
    assert sorted(result.parts) == sorted(grams)
    assert "character n-gram" in result.explanation
    assert result.neighbours[0].key.startswith("govern")


def test_fasttext_bin_round_trip(tmp_path):
    from gensim.models.fasttext import save_facebook_model

    from engine.readers import FileFormatError

    path = tmp_path / "lee.bin"
    save_facebook_model(lee_fasttext(), str(path))
    loaded = fasttext_from_bin(path.read_bytes())
    np.testing.assert_allclose(fasttext_vector("zebrafish", loaded).vector,
                               fasttext_vector("zebrafish").vector, rtol=1e-6)
    with pytest.raises(FileFormatError, match="fastText .bin file is 40 bytes"):
        fasttext_from_bin(b"\x00" * 40)


def test_hashing_uses_fasttexts_hash(glove):
    for word in ["zyzzyva", "naïve", "東京"]:
        assert word_bucket(word, 10_007) == fnv1a_signed(word.encode()) % 10_007
    first, again = hashed_vector(glove, "zyzzyva"), hashed_vector(glove, "zyzzyva")
    np.testing.assert_array_equal(first.vector, again.vector)
    assert np.linalg.norm(first.vector) == pytest.approx(float(np.median(glove.norms)), rel=1e-5)
    with pytest.raises(ValueError, match="buckets must be"):
        hashed_vector(glove, "x", buckets=0)


def test_all_strategies_and_a_bad_one(glove):
    results = oov_vectors(glove, "blorptastic")
    assert [r.strategy for r in results] == ["unk", "wordpiece", "fasttext", "hashing"]
    assert [r.vector.shape[0] for r in results] == [50, 384, 48, 50]
    with pytest.raises(ValueError, match="unknown strategy 'bpe'"):
        oov_vectors(glove, "x", ["bpe"])


def test_map_of_found_words(glove):
    cover = coverage(glove, ["king", "Queen", "man", "woman", "zzqqx"])
    coords, found = found_word_map(glove, cover)
    assert coords.shape == (4, 2) and [w.word for w in found] == ["king", "Queen", "man", "woman"]
    with pytest.raises(ValueError, match="at least 3 words"):
        found_word_map(glove, coverage(glove, ["king", "zzqqx"]))
