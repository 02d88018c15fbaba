"""Gradients, padding and optimisers on hand-worked 4 × 2 tables, and update counts over the
real Lee corpus against a direct count."""
from collections import Counter

import numpy as np
import pytest
import torch

from engine.layer.corpus import lee_background_sentences
from engine.layer.gradients import padding_check, row_gradients, upstream_gradients
from engine.layer.optimisers import OPTIMISERS, corpus_token_ids, run_optimiser, runs_frame, update_counts

W = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]])   # V = 4, d = 2


def test_only_read_rows_get_a_gradient_and_a_repeat_gets_the_sum():
    upstream = torch.tensor([[1.0, 0.0], [0.0, 1.0], [2.0, 3.0]])     # one vector per token
    grads = row_gradients(W, [0, 2, 0], upstream)
    assert grads.rows.tolist() == [0, 2] and grads.uses.tolist() == [2, 1]
    assert grads.values.tolist() == [[3.0, 3.0], [0.0, 1.0]]          # row 0: (1,0) + (2,3)
    assert grads.repeated_sum_error == 0.0
    assert grads.sparse_entries == 3                                  # one per token, uncoalesced
    assert grads.dense_bytes == 4 * 2 * 4 and grads.sparse_bytes == 3 * (8 + 2 * 4)


def test_padding_row_gets_no_gradient_and_never_moves():
    grads = row_gradients(W, [1, 0, 1, 2], torch.ones(4, 2), padding_idx=1)
    assert grads.rows.tolist() == [0, 2]                              # row 1 read twice, no gradient
    kept = padding_check(W, [1, 0, 1, 2], padding_idx=1, steps=3)    # from_pretrained keeps row 1
    assert kept.uses == 2 and kept.grad_norm == 0.0
    assert kept.start_norm == kept.end_norm == pytest.approx(5.0)     # ‖(3, 4)‖
    assert kept.moved_rows == 2 and kept.distances.tolist()[1] == 0.0
    fresh = padding_check(torch.nn.Embedding(4, 2, padding_idx=1).weight, [1, 0, 1, 2], padding_idx=1)
    assert fresh.start_norm == fresh.end_norm == 0.0


@pytest.mark.parametrize("name, changed_rows", [
    ("sgd", [(0, 1), (2,), (3,)]),
    ("momentum", [(0, 1), (0, 1, 2), (0, 1, 2, 3)]),                 # velocity keeps rows 0, 1 moving
    ("adam", [(0, 1), (0, 1, 2), (0, 1, 2, 3)]),                     # so do Adam's moments
    ("adamw", [(0, 1, 2, 3)] * 3),                                   # decay shrinks every row
    ("sparse_adam", [(0, 1), (2,), (3,)]),                           # moments only for rows read
])
def test_rows_each_optimiser_changes(name, changed_rows):
    run = run_optimiser(W, [[0, 1], [2], [3]], name, lr=0.1)
    assert list(run.changed_rows) == changed_rows
    assert list(run.changed) == [len(rows) for rows in changed_rows]
    assert list(run.batch_rows) == [2, 1, 1]
    assert list(run.changed_absent) == [len(set(rows) - set(batch)) for rows, batch
                                        in zip(changed_rows, [[0, 1], [2], [3]])]


def test_adam_first_step_by_hand():
    g = upstream_gradients(2, 2, seed=0)                              # the loss's dL/d rows 0 and 1
    layer = torch.nn.Embedding.from_pretrained(W.clone(), freeze=False)
    optimiser = torch.optim.Adam(layer.parameters(), lr=0.1)
    (layer(torch.tensor([0, 1])) * g).sum().backward()
    optimiser.step()
    # Adam's first step is lr · g / (|g| + eps) ≈ lr · sign(g), whatever |g|
    np.testing.assert_allclose((W[:2] - layer.weight.detach()[:2]).numpy(), 0.1 * np.sign(g.numpy()), atol=1e-6)


def test_runs_frame_has_a_row_per_optimiser_and_step():
    frame = runs_frame([run_optimiser(W, [[0], [1]], name, lr=0.1) for name in OPTIMISERS])
    assert len(frame) == 2 * len(OPTIMISERS)
    assert frame.query("optimiser == 'AdamW, decay 0.01'")["rows_changed"].tolist() == [4, 4]


def test_update_counts_by_hand():
    counts = update_counts([[1, 1, 2], [2], [3, 1]], vocab=5, batch_size=2)
    assert counts.updates.tolist() == [0, 2, 1, 1, 0]                 # row 1: batches 1 and 2 (once each)
    assert counts.occurrences.tolist() == [0, 3, 2, 1, 0]
    assert counts.batches == 2 and counts.tokens == 6 and counts.never_updated == pytest.approx(0.4)
    assert counts.rank(1) == 1 and counts.rank(2) == 2 and counts.ranked().tolist() == [2, 1, 1, 0, 0]


def test_update_counts_equal_a_direct_count_over_the_lee_corpus():
    from engine.contextual import load_minilm

    tokenizer, _ = load_minilm()
    sentences = lee_background_sentences()
    ids = corpus_token_ids(tokenizer, sentences)
    counts = update_counts(ids, 30_522, batch_size=8)
    direct = Counter()
    for start in range(0, len(ids), 8):
        direct.update(set(token for sentence in ids[start:start + 8] for token in sentence))
    expected = np.zeros(30_522, dtype=np.int64)
    expected[list(direct)] = list(direct.values())
    assert (counts.updates == expected).all()
    assert counts.tokens == sum(len(s) for s in ids) and counts.batches == -(-len(sentences) // 8)
    assert 0.5 < counts.never_updated < 0.95                          # most of the table never moves


@pytest.mark.parametrize("kwargs, message", [
    ({"name": "lion"}, "unknown optimiser 'lion'"),
    ({"name": "sgd", "lr": 0.0}, "learning rate must be"),
    ({"name": "sgd", "batches": [[0]] * 51}, "steps must be"),
])
def test_bad_optimiser_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        run_optimiser(W, kwargs.pop("batches", [[0]]), **kwargs)


def test_the_update_sentence_follows_the_counts():
    counts = update_counts([[0, 1], [0, 2], [0], [0, 1]], 6, batch_size=1)   # row 0 in every batch
    assert counts.describe() == (
        "One epoch of the Lee corpus (7 tokens, 4 batches). A row gets one update per batch that reads "
        "it: the most-read row 4 times (100% of the batches), the median row that is read at all 2 times, "
        "and 50% of the table never. Rows read rarely get few updates to learn from.")
