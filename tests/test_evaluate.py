"""Benchmarks equal gensim's evaluate_word_analogies / evaluate_word_pairs exactly."""
import numpy as np
import pytest
from gensim.models import KeyedVectors

from engine.evaluate import evaluate_word_analogies, evaluate_word_pairs, gensim_datapath


def as_gensim(table):
    kv = KeyedVectors(vector_size=table.dim)
    kv.add_vectors(table.index_to_key, np.asarray(table.vectors))
    return kv


def gensim_sections(kv, path, restrict):
    _, sections = kv.evaluate_word_analogies(str(path), restrict_vocab=restrict)
    return [(s["section"], len(s["correct"]), len(s["correct"]) + len(s["incorrect"]))
            for s in sections]


def ours(score):
    rows = [(s.name, s.correct, s.total) for s in score.sections]
    return rows + [("Total accuracy", score.correct, score.total)]


@pytest.fixture
def tiny_questions(tmp_path):
    path = tmp_path / "questions.txt"
    path.write_text(": royal\nman king woman queen\nMAN KING WOMAN QUEEN\nwoman queen man king\n"
                    ": broken\nthe apple man woman\nman king woman unknownword\nnot four words\n",
                    encoding="utf-8")
    return path


def test_tiny_analogies_equal_gensim(tiny, tiny_questions):
    score = evaluate_word_analogies(tiny, tiny_questions, restrict_vocab=6)
    assert ours(score) == gensim_sections(as_gensim(tiny), tiny_questions, 6)
    assert (score.correct, score.total, score.questions) == (3, 4, 5)   # unknownword skipped
    assert score.oov_ratio == pytest.approx(20.0)


def test_restrict_skips_questions_outside_the_first_rows(tiny, tiny_questions):
    # restrict 4 keeps the, king, queen, man: no question has all its words left
    with pytest.raises(ValueError, match="no analogy question has all four words in the first 4 rows"):
        evaluate_word_analogies(tiny, tiny_questions, restrict_vocab=4)


def test_glove_analogies_equal_gensim_at_30000(glove, glove_gensim):
    score = evaluate_word_analogies(glove, restrict_vocab=30_000)
    assert ours(score) == gensim_sections(glove_gensim, gensim_datapath("questions-words.txt"), 30_000)
    assert len(score.sections) == 14


@pytest.mark.slow
def test_glove_analogies_equal_gensim_at_default(glove, glove_gensim):
    score = evaluate_word_analogies(glove)
    assert ours(score) == gensim_sections(glove_gensim, gensim_datapath("questions-words.txt"), 300_000)


@pytest.mark.parametrize("name, file", [("wordsim353", "wordsim353.tsv"), ("simlex999", "simlex999.txt")])
@pytest.mark.parametrize("restrict", [300_000, 2_000])
def test_word_pairs_equal_gensim(glove, glove_gensim, name, file, restrict):
    score = evaluate_word_pairs(glove, name, restrict_vocab=restrict)
    pearson, spearman, oov = glove_gensim.evaluate_word_pairs(gensim_datapath(file), restrict_vocab=restrict)
    assert score.pearson == pytest.approx(pearson[0], abs=1e-6)
    assert score.spearman == pytest.approx(spearman.statistic, abs=1e-6)
    assert score.oov_ratio == pytest.approx(oov)


def test_word_pairs_on_paper(tiny, tmp_path):
    path = tmp_path / "pairs.tsv"
    path.write_text("# comment\nking\tqueen\t1\nman\twoman\t0\nking\tman\t3\nking\tnope\t5\nbad line\n",
                    encoding="utf-8")
    score = evaluate_word_pairs(tiny, path)
    # cosines 0, -1, .707 against 1, 0, 3: same order, Spearman 1
    assert score.spearman == pytest.approx(1.0)
    assert score.pairs == 3 and score.oov_ratio == pytest.approx(25.0)


def test_unknown_pair_set(tiny):
    with pytest.raises(ValueError, match="unknown word-pair set 'men3000'"):
        evaluate_word_pairs(tiny, "men3000")


def test_restrict_out_of_range(tiny):
    with pytest.raises(ValueError, match="restrict must be a whole number"):
        evaluate_word_analogies(tiny, restrict_vocab=0)


def test_csls_analogies_change_the_ranking_by_the_penalty(tiny, tiny_questions):
    # a huge r_k on queen pushes it below every other row: the royal answers all fail
    penalty = np.zeros(6, dtype=np.float32)
    penalty[tiny.get_index("queen")] = 10.0
    plain = evaluate_word_analogies(tiny, tiny_questions, restrict_vocab=6, csls_penalty=np.zeros(6, np.float32))
    pushed = evaluate_word_analogies(tiny, tiny_questions, restrict_vocab=6, csls_penalty=penalty)
    assert plain.correct == 3 and pushed.correct == 1


def test_csls_penalty_must_cover_the_restricted_rows(tiny, tiny_questions):
    with pytest.raises(ValueError, match="the CSLS penalty covers 4 rows"):
        evaluate_word_analogies(tiny, tiny_questions, restrict_vocab=6, csls_penalty=np.zeros(4, np.float32))
