"""Lookup on MiniLM's real table: index == one-hot · W exactly, the same id gives the same
row, and BERT's input by hand equals transformers' BertEmbeddings."""
import pytest
import torch

from engine.layer.lookup import (
    Tokens,
    compare_one_hot,
    input_representation,
    layer_norm,
    one_hot_product,
    static_row,
    tokenize,
)


@pytest.fixture(scope="module")
def minilm():
    from engine.contextual import load_minilm

    return load_minilm()


def test_one_hot_product_on_a_hand_checkable_table():
    weight = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])      # V = 3, d = 2
    ids = torch.tensor([2, 0, 2])
    assert one_hot_product(weight, ids).tolist() == [[5.0, 6.0], [1.0, 2.0], [5.0, 6.0]]
    assert torch.equal(torch.nn.Embedding.from_pretrained(weight)(ids), one_hot_product(weight, ids))


def test_lookup_equals_one_hot_times_w_exactly_on_the_real_table(minilm):
    tokenizer, model = minilm
    tokens = tokenize(tokenizer, "The cat sat.")
    assert tokens.tokens == ("[CLS]", "the", "cat", "sat", ".", "[SEP]")
    assert tokens.ids == (101, 1996, 4937, 2938, 1012, 102)
    check = compare_one_hot(model.embeddings.word_embeddings, tokens, repeats=1)
    assert check.max_abs_diff == 0.0
    assert (check.rows == model.embeddings.word_embeddings.weight.detach().numpy()[list(tokens.ids)]).all()
    assert check.numbers_read == 6 * 384 and check.multiply_adds == 6 * 30_522 * 384
    assert check.to_dict()["tokens"][2] == "cat"


def test_same_id_same_row_whatever_the_sentence(minilm):
    tokenizer, model = minilm
    same = static_row(tokenizer, model.embeddings.word_embeddings, "bank",
                      ["I sat on the river bank.", "The bank raised its rates."])
    assert same.max_difference == 0.0 and same.positions == (6, 2)
    assert (same.row == model.embeddings.word_embeddings.weight.detach().numpy()[same.id]).all()
    with pytest.raises(ValueError, match="not among the tokens"):
        static_row(tokenizer, model.embeddings.word_embeddings, "bank", ["The cat sat."])
    with pytest.raises(ValueError, match="not one MiniLM token"):
        static_row(tokenizer, model.embeddings.word_embeddings, "subwordy", ["subwordy"])


@pytest.mark.parametrize("second", [None, "I sat on the river bank."])
def test_bert_input_equals_transformers_embeddings(minilm, second):
    tokenizer, model = minilm
    tokens = tokenize(tokenizer, "The bank raised its rates.", second)
    representation = input_representation(model, tokens)
    assert representation.max_abs_diff < 1e-5
    assert (1 in tokens.segments) == (second is not None)
    summed = representation.token_rows + representation.position_rows + representation.segment_rows
    assert (representation.summed == summed).all()
    assert representation.row_norms()["normed"].shape == (len(tokens.ids),)


def test_layer_norm_by_formula_matches_torch():
    x = torch.tensor([[1.0, 2.0, 3.0, 6.0], [0.0, 0.0, 1.0, -1.0]])
    gain, bias = torch.tensor([1.0, 2.0, 0.5, 1.0]), torch.tensor([0.0, 1.0, 0.0, -1.0])
    expected = torch.nn.functional.layer_norm(x, (4,), gain, bias, eps=1e-12)
    assert torch.allclose(layer_norm(x, gain, bias, 1e-12), expected, atol=1e-6)


@pytest.mark.parametrize("sentence, message", [
    ("", "the sentence is empty"), ("   ", "the sentence is empty"),
    ("word " * 600, "MiniLM has 512 positions"), ("x" * 20_001, "at most 20,000"),
])
def test_bad_sentences_are_one_clear_error(minilm, sentence, message):
    with pytest.raises(ValueError, match=message):
        tokenize(minilm[0], sentence)


def test_token_labels_stay_unique():
    tokens = Tokens((101, 1996, 1996, 102), ("[CLS]", "the", "the", "[SEP]"), (0, 0, 0, 0))
    assert tokens.labels() == ["0 [CLS]", "1 the", "2 the", "3 [SEP]"]
    assert list(tokens.to_frame().columns) == ["position", "token", "id", "segment"]
