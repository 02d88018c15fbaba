"""A word in context and sentence vectors: checked against transformers' own
output_hidden_states and against sentence-transformers on the same model files."""
import numpy as np
import pytest
import torch

from engine.contextual import MAX_TOKENS, PRESETS, load_minilm, static_vs_contextual
from engine.index import AnnIndex
from engine.retrieval import cosine_vs_dot, embed_collection, search, sentence_vectors


@pytest.fixture(scope="module")
def minilm():
    return load_minilm()


def test_sentences_and_tokens_past_the_caps_are_refused_with_the_count(minilm, monkeypatch):
    from engine import contextual

    tokenizer, model = minilm
    forwards = []
    monkeypatch.setattr(model, "forward", lambda *a, **k: forwards.append(1))   # never reached
    too_many = ["The bank is open."] * (contextual.MAX_SENTENCES + 1)
    with pytest.raises(ValueError, match=r"51 sentences; at most 50 at once \(about 10 seconds"):
        static_vs_contextual("bank", too_many, tokenizer, model)
    long = "bank " + "money " * 600                  # MiniLM reads 512 of its 603 tokens
    with pytest.raises(ValueError, match=r"the 20 sentences hold 10,240 tokens; at most 10,000 at once"):
        static_vs_contextual("bank", [long] * 20, tokenizer, model)
    assert forwards == []


def test_the_forward_passes_stop_when_progress_raises(minilm):
    from engine import contextual
    from engine.store import Cancelled

    tokenizer, model = minilm
    seen = []

    def progress(done, total):
        seen.append((done, total))
        raise Cancelled("left")
    sentences = [f"The bank number {i} opened." for i in range(3 * contextual.BATCH_SIZE)]
    with pytest.raises(Cancelled):
        static_vs_contextual("bank", sentences, tokenizer, model, progress)
    assert seen == [(contextual.BATCH_SIZE, 3 * contextual.BATCH_SIZE)]


def test_contextual_vectors_are_transformers_hidden_states(minilm):
    tokenizer, model = minilm
    sentences = [sentence for _, sentence in PRESETS["bank"][:2]]
    result = static_vs_contextual("bank", sentences, tokenizer, model)
    bank = tokenizer.convert_tokens_to_ids("bank")
    for s, sentence in enumerate(sentences):
        batch = tokenizer(sentence, return_tensors="pt")
        position = batch["input_ids"][0].tolist().index(bank)
        with torch.no_grad():
            states = model(**batch, output_hidden_states=True).hidden_states
        expected = np.stack([state[0, position].numpy() for state in states])    # (7, 384)
        np.testing.assert_allclose(result.vectors[s], expected, atol=1e-5)   # padded batch: float32 rounding
    np.testing.assert_array_equal(result.static, model.embeddings.word_embeddings.weight[bank].detach().numpy())
    between = result.cosine_between()
    assert between.shape == (7, 2, 2) and result.cosine_to_static().shape == (2, 7)
    a, b = result.vectors[:, 0], result.vectors[:, 1]
    for layer in range(7):
        x, y = result.vectors[0, layer], result.vectors[1, layer]
        assert between[layer, 0, 1] == pytest.approx(x @ y / np.linalg.norm(x) / np.linalg.norm(y), abs=1e-6)
    assert a.shape == b.shape


def test_multi_piece_word_is_the_mean_of_its_pieces(minilm):
    tokenizer, model = minilm
    result = static_vs_contextual("embeddings", ["Word embeddings are tables of numbers."],
                                  tokenizer, model)
    assert result.pieces == ("em", "##bed", "##ding", "##s")
    occurrence = result.occurrences[0]
    assert occurrence.pieces == result.pieces and occurrence.positions == (2, 3, 4, 5)
    batch = tokenizer(occurrence.sentence, return_tensors="pt")
    with torch.no_grad():
        last = model(**batch).last_hidden_state[0]
    np.testing.assert_allclose(result.vectors[0, -1], last[2:6].mean(dim=0).numpy(), atol=1e-6)
    rows = model.embeddings.word_embeddings.weight[tokenizer.convert_tokens_to_ids(list(result.pieces))]
    np.testing.assert_allclose(result.static, rows.mean(dim=0).detach().numpy(), atol=1e-7)


def test_bad_sentences(minilm):
    tokenizer, model = minilm
    with pytest.raises(ValueError, match="'bank' does not occur in sentence 2"):
        static_vs_contextual("bank", ["The bank is open.", "I like tea."], tokenizer, model)
    with pytest.raises(ValueError, match="sentence 1 is empty"):
        static_vs_contextual("bank", ["  "], tokenizer, model)
    long = "the bank is open " + "word " * 600
    result = static_vs_contextual("bank", [long], tokenizer, model)
    assert result.occurrences[0].truncated
    with pytest.raises(ValueError, match=f"falls after token {MAX_TOKENS}"):
        static_vs_contextual("bank", ["word " * 600 + "bank"], tokenizer, model)
    with pytest.raises(ValueError, match="one word"):
        static_vs_contextual("river bank", ["the river bank"], tokenizer, model)


def test_sentence_vectors_equal_sentence_transformers(minilm):
    from sentence_transformers import SentenceTransformer

    from engine.sources import minilm_path

    tokenizer, model = minilm
    sentences = ["A man is eating food.", "The bank raised its interest rates.",
                 "Embeddings map words to vectors of numbers, " * 40]        # past 256 tokens
    ours, cut = sentence_vectors(sentences, tokenizer, model, batch_size=2)
    reference = SentenceTransformer(str(minilm_path()), device="cpu", local_files_only=True)
    expected = reference.encode(sentences, normalize_embeddings=True, convert_to_numpy=True)
    np.testing.assert_allclose(ours, expected, atol=1e-5)
    assert cut == 1


def test_search_exact_approximate_and_dot(minilm, tmp_path):
    tokenizer, model = minilm
    from engine.contextual import all_lee_sentences

    sentences = all_lee_sentences()[:200]
    collection = embed_collection("lee", sentences, tokenizer, model, folder=tmp_path)
    again = embed_collection("lee", sentences, tokenizer, model, folder=tmp_path)
    np.testing.assert_array_equal(collection.raw, again.raw)                 # read from the cache
    index = AnnIndex.build(collection.table, target_recall=0.9, sample=100)
    report = search(collection, "bushfires near Sydney", tokenizer, model, topn=5, index=index)
    query, _ = sentence_vectors(["bushfires near Sydney"], tokenizer, model)
    truth = np.argsort(-(collection.table.unit @ query[0]))[:5]
    assert [h.key for h in report.exact] == [sentences[i] for i in truth]
    found = index.query(query, 5).indices[0]
    assert report.recall == len(set(found) & set(truth)) / 5
    raw = collection.raw
    dot_truth = np.argsort(-(raw @ raw[0]))
    compared = cosine_vs_dot(collection.table, raw[0], topn=5)
    assert [h.key for h in compared.dot] == [sentences[i] for i in dot_truth[:5]]
    with pytest.raises(ValueError, match="the query is empty"):
        search(collection, " ", tokenizer, model)


def test_glove_dot_product_favours_frequent_words(glove):
    compared = cosine_vs_dot(glove, glove["frog"], topn=10, exclude=glove.key_to_index["frog"])
    assert [h.key for h in compared.cosine] == [n.key for n in glove.most_similar("frog", topn=10)]
    dot_rows = [glove.key_to_index[h.key] for h in compared.dot]
    cosine_rows = [glove.key_to_index[h.key] for h in compared.cosine]
    assert compared.changed() and np.mean(glove.norms[dot_rows]) > np.mean(glove.norms[cosine_rows])
