"""Training: gensim parity for word2vec / fastText, GloVe's counts and loss, the torch
skip-gram, Procrustes, stopping, the reports, and one clear line for each bad input."""
import numpy as np
import pytest

from engine.train.corpus import Corpus, builtin_corpus, corpus_from_bytes, corpus_from_text
from engine.train.monitor import Monitor
from engine.train.run import train
from engine.train.settings import TrainSettings


@pytest.fixture(scope="module")
def lee():
    return builtin_corpus("lee")


@pytest.fixture(scope="module")
def lee_small(lee):
    """The first 100 Lee stories: about 20,000 words."""
    return Corpus("lee-100", lee.sentences[:100])


# -- corpora ------------------------------------------------------------------------------
def test_builtin_corpora_are_gensims_files(lee):
    assert 55_000 < lee.words < 65_000 and len(lee.sentences) == 300
    assert lee.top_words(1) == [("the", lee.counts["the"])]
    head = builtin_corpus("head500")
    assert 300_000 < head.words < 360_000
    assert all(len(s) <= 10_000 for s in head.sentences)


def test_tokeniser_keeps_inner_hyphens_and_apostrophes():
    corpus = corpus_from_text("Don't stop: the Merriam-Webster, 2001!\n\nsecond line", "t")
    assert corpus.sentences == [["don't", "stop", "the", "merriam-webster", "2001"], ["second", "line"]]
    assert corpus.vocabulary == 7 and corpus.words == 7


@pytest.mark.parametrize("data, message", [
    (b"", "is empty"),
    (b"  \n\n", "is empty"),
    (b"\x7fELF\x00\x01\x02 binary", "looks binary"),
    (b"one line\ncaf\xe9 au lait", r"not UTF-8: byte 12 \(line 2\) is 0xe9"),
    (b"!!! ... ???", "has no words"),
])
def test_bad_uploads_say_why_in_one_line(data, message):
    with pytest.raises(ValueError, match=message) as error:
        corpus_from_bytes(data, "upload.txt")
    assert "\n" not in str(error.value)


def test_texts_past_the_corpus_limits_are_refused_naming_the_limit(monkeypatch):
    from engine.train import corpus as corpora

    monkeypatch.setattr(corpora, "MAX_LINES", 3)
    with pytest.raises(ValueError, match=r"upload.txt has 4 lines; at most 3 can be trained on"):
        corpus_from_bytes(b"a\nb\nc\nd", "upload.txt")
    monkeypatch.setattr(corpora, "MAX_LINE_CHARACTERS", 10)
    with pytest.raises(ValueError, match=r"line 2 of upload.txt has 11 characters; at most 10 a line"):
        corpus_from_bytes(b"short\neleven char", "upload.txt")
    monkeypatch.setattr(corpora, "MAX_UPLOAD_BYTES", 8 * 2**20)
    with pytest.raises(ValueError, match=r"upload.txt is 9.0 MiB; at most 8.0 MiB can be trained on"):
        corpus_from_bytes(b"x " * (9 * 2**19), "upload.txt")


def test_a_corpus_counts_its_memory_as_tracemalloc_measures_it():
    """Equal tokens share one string, so a text costs a pointer per token: 14 MB of text
    takes about 26 MB (it took 143 MB with a string per token)."""
    import random
    import tracemalloc

    words = builtin_corpus("lee").sentences
    vocabulary = sorted({w for s in words for w in s})
    rng = random.Random(0)
    text = "\n".join(" ".join(rng.choices(vocabulary, k=rng.randint(5, 40))) for _ in range(30_000))
    tracemalloc.start()
    try:
        corpus = corpus_from_text(text, "random")
        corpus.counts  # noqa: B018
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert abs(corpus.nbytes - held) < 0.05 * held
    assert corpus.nbytes < 3 * len(text)
    tokens = [t for s in corpus.sentences for t in s]
    assert len({id(t) for t in tokens}) == corpus.vocabulary


def test_min_count_that_keeps_too_few_words(lee_small):
    with pytest.raises(ValueError, match=r"min_count 100,000 keeps 0 distinct word\(s\) of lee-100"):
        train(lee_small, TrainSettings(min_count=100_000))


@pytest.mark.parametrize("setting, value, message", [
    ("dim", 0, "dim must be a whole number from 1 to 2,000; got 0"),
    ("window", 0, "window must be a whole number from 1 to 100; got 0"),
    ("epochs", 10**6, "epochs must be a whole number from 1 to 1,000; got 1,000,000"),
    ("method", "bert", "unknown method 'bert'; choose from word2vec, fasttext, glove, torch-sgns"),
    ("sample", -1, "sample must be a number >= 0 and <= 1; got -1"),
])
def test_absurd_settings_are_refused(setting, value, message):
    with pytest.raises(ValueError) as error:
        TrainSettings(**{setting: value})
    assert str(error.value) == message


# -- word2vec and fastText: gensim's own vectors -------------------------------------------
def test_word2vec_through_the_engine_is_gensims(lee_small):
    from gensim.models import Word2Vec

    settings = TrainSettings("word2vec", sg=True, dim=24, epochs=2, workers=1, seed=7)
    ours = train(lee_small, settings, Monitor(probes=["police"]))
    reference = Word2Vec(lee_small.sentences, vector_size=24, window=5, min_count=5, epochs=2,
                         sg=1, hs=0, negative=5, sample=1e-3, seed=7, workers=1)
    assert ours.table.index_to_key == reference.wv.index_to_key
    assert np.array_equal(ours.table.vectors, reference.wv.vectors)
    assert len(ours.epochs) == 2 and all(e.loss > 0 for e in ours.epochs)
    assert ours.complete and ours.table.name == "word2vec-sg-lee-100-24d"


def test_cbow_with_hierarchical_softmax_is_gensims(lee_small):
    from gensim.models import Word2Vec

    settings = TrainSettings("word2vec", sg=False, hs=True, negative=0, dim=16, epochs=1, workers=1)
    ours = train(lee_small, settings)
    reference = Word2Vec(lee_small.sentences, vector_size=16, min_count=5, epochs=1, sg=0, hs=1,
                         negative=0, seed=1, workers=1)
    assert np.array_equal(ours.table.vectors, reference.wv.vectors)


def test_fasttext_through_the_engine_is_gensims_and_builds_unseen_words(lee_small):
    from gensim.models import FastText

    settings = TrainSettings("fasttext", dim=16, epochs=1, workers=1, bucket=20_000)
    ours = train(lee_small, settings)
    reference = FastText(lee_small.sentences, vector_size=16, window=5, min_count=5, epochs=1, sg=1,
                         negative=5, seed=1, workers=1, min_n=3, max_n=6, bucket=20_000)
    assert np.array_equal(ours.table.vectors, reference.wv.vectors)
    assert "policemen" not in ours.table
    assert np.array_equal(ours.table.get_vector("policemen"), reference.wv["policemen"])
    expected = reference.wv.most_similar("policemen", topn=5)
    found = ours.table.most_similar("policemen", topn=5)
    assert [n.key for n in found] == [k for k, _ in expected]
    assert [n.score for n in found] == pytest.approx([s for _, s in expected], abs=1e-5)
    assert ours.table.similarity("policemen", "police") == pytest.approx(
        float(reference.wv.similarity("policemen", "police")), abs=1e-5)


# -- GloVe --------------------------------------------------------------------------------
def test_cooccurrence_counts_by_hand():
    from engine.train.glove import cooccurrence

    # rows: a=0 b=1 c=2; sentences "a b c a" and "b a"; window 2; weight 1/distance
    ids = np.array([0, 1, 2, 0, 1, 0])
    sentence = np.array([0, 0, 0, 0, 1, 1])
    counts = cooccurrence(ids, sentence, 3, window=2).toarray()
    # a-b: distance 1 in "a b", distance 2 in "b c a"... (b, a) at 2, and "b a" at 1
    expected = np.array([[0.0, 1 + 0.5 + 1, 1 + 0.5],
                         [1 + 0.5 + 1, 0.0, 1.0],
                         [1 + 0.5, 1.0, 0.0]])
    np.testing.assert_allclose(counts, expected)


def test_cooccurrence_equals_a_direct_count(lee_small):
    from engine.train.glove import cooccurrence
    from engine.train.vocab import build_vocabulary, encode

    vocabulary = build_vocabulary(lee_small, 5)
    ids, sentence = encode(lee_small, vocabulary)
    counts = cooccurrence(ids, sentence, len(vocabulary.keys), window=4).todok()
    index = vocabulary.key_to_index
    direct = {}
    for tokens in lee_small.sentences:
        kept = [index[t] for t in tokens if t in index]
        for i, left in enumerate(kept):
            for d in range(1, 5):
                if i + d < len(kept):
                    for pair in ((left, kept[i + d]), (kept[i + d], left)):
                        direct[pair] = direct.get(pair, 0.0) + 1.0 / d
    assert len(direct) == counts.nnz
    assert all(counts[pair] == pytest.approx(value) for pair, value in direct.items())


def test_glove_loss_is_the_formula_and_training_lowers_it():
    import torch

    from engine.train.glove import GloVe, weighting

    model = GloVe(vocab_size=4, dim=3, seed=0)
    i, j = torch.tensor([0, 1, 2, 3, 0]), torch.tensor([1, 0, 3, 2, 2])
    x = np.array([1.0, 1.0, 50.0, 50.0, 250.0])
    f = weighting(torch.tensor(x), x_max=100.0)
    np.testing.assert_allclose(f, [0.01 ** 0.75, 0.01 ** 0.75, 0.5 ** 0.75, 0.5 ** 0.75, 1.0])
    loss = model.loss(i, j, torch.tensor(np.log(x)).float(), f.float()).item()
    W, C = model.word.numpy(), model.context.numpy()
    b, c = model.word_bias.numpy(), model.context_bias.numpy()
    by_hand = 0.0
    for a, z, count in zip(i.tolist(), j.tolist(), x):
        weight = 1.0 if count >= 100 else (count / 100) ** 0.75
        by_hand += weight * (sum(W[a, k] * C[z, k] for k in range(3)) + b[a] + c[z] - np.log(count)) ** 2
    assert loss == pytest.approx(by_hand, rel=1e-5)


def test_glove_hand_written_step_is_autograd_and_torch_adagrad():
    """The gradient written out equals autograd's of the loss, and RowAdaGrad's step is
    torch.optim.Adagrad's (eps 0) on the same tables, bit for bit, repeated rows in a batch
    included (the Train page's code for GloVe is autograd and Adagrad)."""
    import torch

    from engine.train.glove import GloVe, RowAdaGrad

    model = GloVe(vocab_size=6, dim=4, seed=1)
    i, j = torch.tensor([0, 1, 0, 5, 2, 0]), torch.tensor([1, 0, 3, 2, 2, 1])
    log_x, f = torch.rand(6, generator=torch.Generator().manual_seed(2)), torch.tensor([1, .5, .2, 1, .7, .3])
    reference = [t.clone().requires_grad_() for t in model.tables()]
    torch_model = GloVe(6, 4, seed=1)
    torch_model.word, torch_model.context, torch_model.word_bias, torch_model.context_bias = reference
    loss = torch_model.loss(i, j, log_x, f)
    loss.backward()
    ours, gradients = model.gradients(i, j, log_x, f)
    assert ours == pytest.approx(loss.item(), rel=1e-6)
    for table, (rows, grad), expected in zip(model.tables(), gradients, reference):
        summed = torch.zeros_like(table).index_add_(0, rows, grad)
        torch.testing.assert_close(summed, expected.grad)
    optimiser = torch.optim.Adagrad(reference, lr=0.3, initial_accumulator_value=1.0, eps=0)
    optimiser.step()
    RowAdaGrad(model.tables(), 0.3).step(gradients)
    for table, expected in zip(model.tables(), reference):
        assert torch.equal(table, expected.detach())


def test_glove_training_lowers_the_loss(lee_small):
    trained = train(lee_small, TrainSettings("glove", dim=16, epochs=4, x_max=10))
    losses = [e.loss for e in trained.epochs]
    assert all(a > b for a, b in zip(losses, losses[1:])) and losses[-1] < 0.7 * losses[0]
    assert trained.cooccurrence.nnz > 10_000
    assert trained.table.vectors.shape == (len(trained.table), 16)


# -- the torch skip-gram -------------------------------------------------------------------
def test_skipgram_pairs_stay_inside_the_window_and_sentence():
    from engine.train.sgns import skipgram_pairs

    ids = np.arange(8)
    sentence = np.array([0, 0, 0, 0, 0, 1, 1, 1])
    reach = np.array([2, 1, 2, 2, 1, 1, 2, 2])
    pairs = skipgram_pairs(ids, sentence, reach, 2)
    assert all(sentence[a] == sentence[b] and 1 <= abs(a - b) <= reach[a] for a, b in pairs)
    assert {(0, 2), (2, 0), (2, 4), (3, 1)} <= set(map(tuple, pairs)) and (1, 3) not in set(map(tuple, pairs))
    with_full_window = skipgram_pairs(ids, sentence, np.ones(8, dtype=int), 1)
    assert len(with_full_window) == 2 * (4 + 2)        # every neighbour at distance 1, both ways


def test_skipgram_loss_is_the_formula():
    import torch

    from engine.train.sgns import SkipGram

    model = SkipGram(5, 4, seed=0)
    with torch.no_grad():
        model.output.weight.normal_()
    centre, context, noise = torch.tensor([0, 3]), torch.tensor([1, 2]), torch.tensor([[2, 4], [0, 1]])
    v, u = model.input.weight.detach().numpy(), model.output.weight.detach().numpy()
    sigmoid = lambda z: 1 / (1 + np.exp(-z))       # noqa: E731
    by_hand = np.mean([-np.log(sigmoid(u[o] @ v[c])) - sum(np.log(sigmoid(-u[k] @ v[c])) for k in ks)
                       for c, o, ks in zip(centre.tolist(), context.tolist(), noise.tolist())])
    assert model.loss(centre, context, noise).item() == pytest.approx(by_hand, rel=1e-5)


def neighbour_overlap(table_a, table_b, words, k=10) -> float:
    """Mean share of the k nearest neighbours (searched over each table's whole vocabulary)
    that the two tables give the same word."""
    shared = []
    for word in words:
        a = {n.key for n in table_a.most_similar(word, topn=k)}
        b = {n.key for n in table_b.most_similar(word, topn=k)}
        shared.append(len(a & b) / k)
    return float(np.mean(shared))


def sgns_against_gensim(corpus, epochs, probes=100):
    ours = train(corpus, TrainSettings("torch-sgns", dim=50, epochs=epochs, seed=3))
    gensim_sg = train(corpus, TrainSettings("word2vec", dim=50, epochs=epochs, seed=3, workers=2))
    words = [w for w in gensim_sg.table.index_to_key[20:20 + probes]]      # common, past the stop words
    chance = 10 / (len(gensim_sg.table) - 1)
    return ours, neighbour_overlap(ours.table, gensim_sg.table, words), chance


def test_torch_skipgram_learns_and_agrees_with_gensim_on_lee(lee):
    """Measure: mean overlap@10 of the neighbour lists of 100 common words (frequency ranks
    21-120) between our skip-gram and gensim's, against chance k / (V - 1)."""
    ours, overlap, chance = sgns_against_gensim(lee, epochs=3)
    losses = [e.loss for e in ours.epochs]
    assert losses[0] > losses[1] > losses[2]
    assert overlap > 10 * chance, (overlap, chance)
    steps = ours.steps
    assert steps and all(0 < len(s.input_rows) <= 4096 for s in steps)
    assert all(len(s.output_rows) <= len(ours.table) for s in steps)


@pytest.mark.slow
def test_torch_skipgram_agrees_with_gensim_on_the_wikipedia_sample():
    ours, overlap, chance = sgns_against_gensim(builtin_corpus("head500"), epochs=3)
    assert overlap > 20 * chance, (overlap, chance)


# -- stopping, maps, reports ----------------------------------------------------------------
def test_stopping_keeps_what_was_learned_and_says_partial(lee_small):
    monitor = Monitor()
    monitor.on_epoch = lambda report: monitor.stop()
    trained = train(lee_small, TrainSettings("word2vec", dim=8, epochs=5, workers=1), monitor)
    assert not trained.complete and len(trained.epochs) == 1
    assert trained.table.name.endswith("-partial") and "stopped: partial, 1 of 5" in trained.table.description


def test_stopping_before_any_epoch_learns_nothing(lee_small):
    monitor = Monitor()
    monitor.stop()
    with pytest.raises(ValueError, match="nothing was learned"):
        train(lee_small, TrainSettings("torch-sgns", dim=8, epochs=2), monitor)


def test_procrustes_recovers_a_known_rotation_exactly():
    from engine.train.align import align_onto, rotation_onto

    rng = np.random.default_rng(0)
    source = rng.standard_normal((30, 2))
    angle = 1.234
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    for turn in (rotation, rotation @ np.diag([1.0, -1.0])):          # a rotation, a reflection
        target = source @ turn + np.array([5.0, -2.0])
        source_centred = source - source.mean(axis=0)
        np.testing.assert_allclose(rotation_onto(source_centred, target), turn, atol=1e-12)
        np.testing.assert_allclose(align_onto(source, target), target, atol=1e-12)


def test_epoch_maps_end_on_the_last_epochs_pca(lee_small):
    from engine.projections import PCAProjection
    from engine.train.align import epoch_maps
    from engine.vectors import unit_rows

    words = ["police", "government", "fire", "people", "minister", "australia"]
    trained = train(lee_small, TrainSettings("word2vec", dim=20, epochs=3, workers=1),
                    Monitor(map_words=words))
    maps = epoch_maps([e.snapshot for e in trained.epochs])
    assert len(maps) == 3 and all(m.shape == (len(trained.map_words), 2) for m in maps)
    np.testing.assert_allclose(maps[-1], PCAProjection(2).fit_transform(unit_rows(trained.epochs[-1].snapshot)),
                               atol=1e-5)


def test_neighbour_sets_match_a_full_sort():
    from engine.train.report import neighbour_sets
    from engine.vectors import unit_rows

    unit = unit_rows(np.random.default_rng(1).standard_normal((50, 6)))
    scores = unit @ unit.T
    np.fill_diagonal(scores, -np.inf)
    np.testing.assert_array_equal(neighbour_sets(unit, 5, block=7), np.argsort(-scores, axis=1)[:, :5])


def test_rare_vs_frequent_bins_every_shared_word(lee, glove):
    from engine.train.report import neighbour_agreement, rare_vs_frequent

    trained = train(lee, TrainSettings("word2vec", dim=32, epochs=3))
    bins, chance = rare_vs_frequent(trained.table, lee.counts, glove)
    words, agreement, _ = neighbour_agreement(trained.table, glove)
    assert sum(b.words for b in bins) == len(words) > 1_000
    assert all(0 <= b.agreement <= 1 for b in bins) and chance == 10 / (len(words) - 1)
    assert bins[0].low == 5                     # min_count: nothing rarer was kept


def test_benchmark_scores_report_coverage(lee):
    from engine.train.report import benchmark_scores

    trained = train(lee, TrainSettings("word2vec", dim=16, epochs=1))
    scores = benchmark_scores(trained.table)
    assert 0 < scores["wordsim353"]["coverage"] < 0.5 and scores["wordsim353"]["pairs"] > 20
    assert scores["analogies"]["questions"] == round(scores["analogies"]["coverage"] * 19_544)


# -- the command line --------------------------------------------------------------------------
def test_cli_trains_writes_word2vec_text_and_reports(tmp_path, capsys):
    import json

    from engine.cli import main
    from engine.readers import read_vectors

    out = tmp_path / "trained.vec"
    assert main(["train", "--corpus", "lee", "--method", "word2vec", "--cbow", "--dim", "12",
                 "--epochs", "2", "--workers", "1", "--out", str(out), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["settings"]["sg"] is False and result["epochs_done"] == 2 and result["complete"]
    assert result["final_loss"] == result["epochs"][-1]["loss"] > 0 and result["words_per_second"] > 0
    assert set(result["scores"]) == {"wordsim353", "simlex999", "analogies"}
    table = read_vectors(str(out))
    assert (len(table), table.dim) == (result["rows"], 12)


@pytest.mark.parametrize("argv, message", [
    (["--dim", "0"], "error: dim must be a whole number from 1 to 2,000; got 0"),
    (["--epochs", "1000000"], "error: epochs must be a whole number from 1 to 1,000; got 1,000,000"),
    (["--corpus", "no-such-corpus"], "error: unknown corpus 'no-such-corpus': not a file, and not one of lee, head500"),
])
def test_cli_bad_input_is_one_line_and_exit_2(argv, message, capsys):
    from engine.cli import main

    assert main(["train", *argv]) == 2
    assert capsys.readouterr().err.strip() == message


def test_cli_non_utf8_file(tmp_path, capsys):
    from engine.cli import main

    bad = tmp_path / "latin1.txt"
    bad.write_bytes("café au lait\n".encode("latin-1"))
    assert main(["train", "--corpus", str(bad)]) == 2
    assert capsys.readouterr().err.strip() == ("error: latin1.txt is not UTF-8: byte 3 (line 1) is 0xe9; "
                                               "save the file as UTF-8")


def test_cli_a_text_of_one_huge_line_is_refused_at_once(tmp_path, capsys):
    """A 46 MB file without line breaks ran for minutes without a word; now such a line is
    one error line and exit 2."""
    from engine.cli import main

    one_line = tmp_path / "one-line.txt"
    one_line.write_text("word " * 300_000)
    assert main(["train", "--corpus", str(one_line)]) == 2
    assert capsys.readouterr().err.strip() == ("error: line 1 of one-line.txt has 1,500,000 characters; at most "
                                               "1,000,000 a line (one sentence or document per line)")
