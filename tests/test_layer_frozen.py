"""The frozen / fine-tuned / random classifier on gensim's labelled sentences and GloVe rows."""
import numpy as np
import pytest
import torch

from engine.layer.corpus import polarity_sentences
from engine.layer.frozen import _bag_tensors, polarity_data, train_classifier, train_words


@pytest.fixture(scope="module")
def data(glove):
    return polarity_data(glove, seed=0)


def test_the_labelled_sentences(data, glove):
    sentences, labels = polarity_sentences()
    assert len(sentences) == 200 and sum(labels) == 100
    assert sentences[0] == ["simplistic", ",", "silly", "and", "tedious", "."] and labels[0] == 0
    assert len(data.train) == 150 and len(data.test) == 50 and data.labels[data.test].sum() == 25
    assert not set(data.train) & set(data.test)
    assert data.coverage > 0.95
    word = data.words[data.bags[0][0]]
    assert word == "simplistic" and (data.rows[data.bags[0][0]] == glove.get_vector(word)).all()
    assert np.array_equal(polarity_data(glove, seed=0).test, data.test)   # seeded


def test_bag_is_the_mean_of_the_rows(data):
    ids, offsets = _bag_tensors(data.bags, np.array([0, 1]))
    bag = torch.nn.EmbeddingBag.from_pretrained(torch.tensor(data.rows), mode="mean")(ids, offsets)
    np.testing.assert_allclose(bag[1].numpy(), data.rows[list(data.bags[1])].mean(0), rtol=1e-5, atol=1e-6)


@pytest.fixture(scope="module")
def runs(data):
    return {mode: train_classifier(data, mode, epochs=30) for mode in ("frozen", "fine_tuned", "random")}


def test_frozen_rows_never_move(runs):
    assert (runs["frozen"].moved == 0).all() and runs["frozen"].relative_move == 0.0


@pytest.mark.parametrize("mode", ["fine_tuned", "random"])
def test_only_training_words_move(data, runs, mode):
    assert np.array_equal(runs[mode].moved > 0, train_words(data))
    assert 0 < train_words(data).sum() < len(data.words)                 # some words only held out


def test_accuracy_on_held_out_sentences(data, runs):
    assert runs["frozen"].test_accuracy > 0.6                            # GloVe rows carry sentiment
    assert runs["fine_tuned"].train_accuracy > runs["frozen"].train_accuracy
    again = train_classifier(data, "frozen", epochs=30)
    assert again.test_accuracy == runs["frozen"].test_accuracy and np.array_equal(again.losses, runs["frozen"].losses)


@pytest.mark.parametrize("kwargs, message", [({"mode": "thawed"}, "unknown mode 'thawed'"),
                                             ({"mode": "frozen", "epochs": 0}, "epochs must be")])
def test_bad_settings(data, kwargs, message):
    with pytest.raises(ValueError, match=message):
        train_classifier(data, **kwargs)
