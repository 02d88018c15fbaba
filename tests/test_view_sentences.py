"""The sentences the embedding-layer pages, Hubness and Positions state about their numbers
(each page's "what to notice" in a lecture) follow the numbers they are built from: hand-made
results whose sentences can be read off, and the wording that changes with them."""
import numpy as np
import pytest
import torch

from engine.geometry.hubness import Hubness
from engine.layer.gradients import PaddingCheck, RowGradients
from engine.layer.init_scale import ScaleComparison, TableStats, describe_tables
from engine.layer.lookup import InputRepresentation, OneHotCheck, Tokens
from engine.layer.optimisers import OptimiserRun, describe_runs
from engine.positions import rope_frequencies

TOKENS = Tokens((101, 2000, 102), ("[CLS]", "cat", "[SEP]"), (0, 0, 0))


def test_one_hot_says_exactly_only_when_the_rows_are_equal():
    check = OneHotCheck(TOKENS, np.zeros((3, 4)), 0.0, 1e-6, 2e-3, 12, 366_264)
    assert check.describe() == ("One-hot · W gave exactly the rows indexing reads, with 366,264 multiply-adds "
                                "where indexing reads 12 numbers, and took 2,000× as long.")
    off = OneHotCheck(TOKENS, np.zeros((3, 4)), 2.5e-7, 1e-6, 2e-3, 12, 366_264)
    assert "to within 2.5e-07" in off.describe() and "exactly" not in off.describe()


def test_input_representation_gives_each_part_s_mean_length():
    rows = np.zeros((3, 4))
    parts = InputRepresentation(TOKENS, rows + [3, 4, 0, 0], rows + [1, 0, 0, 0], rows + [0, 0.5, 0, 0],
                                rows, rows + [2, 0, 0, 0], 3e-7)
    assert parts.describe() == ("Over these 3 tokens the rows are on average 5.00 long (token), 1.00 (position) "
                                "and 0.50 (segment); after LayerNorm the sums are 2.0 long on average. By hand "
                                "and by transformers' own module the result differs by at most 3.0e-07.")


@pytest.mark.parametrize("uses, said", [((1, 2, 2, 1), "“b” and “c” were read more than once, and each row"),
                                        ((1, 2, 1, 1), "“b” was read more than once, and its row"),
                                        ((1, 1, 1, 1), "Every row was read once.")])
def test_gradient_rows_name_the_tokens_read_twice(uses, said):
    grads = RowGradients(tuple(range(sum(uses))), np.arange(4), np.array(uses), np.zeros((4, 3)), 100, 3,
                         sum(uses), 0.0)
    sentence = grads.describe(["a", "b", "c", "d"])
    assert sentence.startswith(f"{sum(uses)} tokens read 4 of 100 rows; only those have a gradient.")
    assert said in sentence
    assert sentence.endswith(f"stores {sum(uses)} rows ({sum(uses) * 20} bytes) instead of 100 (1.2 KiB).")


def test_padding_says_whether_the_row_kept_its_length():
    rows = np.arange(5)
    kept = PaddingCheck(0, 4, 0.767, 0.0, 0.767, 3, 5, rows, np.array([0, 1, 1, 0, 1.0]))
    assert kept.describe() == ("The 4 padding tokens' row got a gradient of norm 0 and kept its length "
                               "(0.767 → 0.767) through 5 SGD steps, while 3 of the batch's other 4 rows moved.")
    moved = PaddingCheck(0, 4, 0.767, 0.2, 0.701, 4, 5, rows, np.ones(5))
    assert "norm 0.2 and changed its length (0.767 → 0.701)" in moved.describe()


def test_optimiser_runs_say_what_the_last_step_changed():
    runs = [OptimiserRun("sgd", (30, 37), (0, 0), (30, 37), ()),
            OptimiserRun("adam", (30, 102), (0, 65), (30, 37), ()),
            OptimiserRun("adamw", (1_000, 1_000), (970, 963), (30, 37), ())]
    assert describe_runs(runs, vocab=1_000) == (
        "Rows each optimiser changed at step 2. SGD: 37 (all of them read by that batch); Adam: 102 (65 of them "
        "not read by that batch); AdamW, decay 0.01: 1,000 (the whole table).")


def test_init_tables_and_scaling_give_their_lengths_and_shares():
    def stats(name, norm, cosine):
        return TableStats(name, 4, np.full(10, norm), np.zeros(200), cosine, abs(cosine))

    tables = [stats("N(0, 1)", 19.6, 1e-4), stats("Xavier", 0.16, -1e-4), stats("MiniLM, trained", 1.4, 0.017)]
    assert describe_tables(tables, fresh=2) == (
        "Fresh rows are 0.16 long (Xavier) to 19.6 (N(0, 1)), with mean cosines between -0.0001 and +0.0001; the "
        "trained rows' mean cosine: MiniLM +0.017.")
    scale = ScaleComparison(512, np.full(5, 1.0), np.full(5, 22.6), np.full(5, 16.0), 0.996, 0.333)
    assert scale.describe(0.19) == (
        "At d = 512 a token row is 1.00 long and a sinusoidal row 16.0: added as they are, the position is 100% "
        "of the sum; with the token rows × √d (22.6 long), 33%. MiniLM's learned positions are 19% of its sum.")


def test_hubness_compares_the_largest_hub_with_the_average():
    hubs = Hubness(10, 50_000, 1.47, 0.3, 0.018, 75, (("collins", 75), ("ryan", 60)), np.zeros(3))
    assert hubs.describe() == ("Each row is among the 10 nearest of 10 rows on average, but “collins” is among "
                               "the 10 nearest of 75 rows (8× as many), while 1.8% of the 50,000 rows are "
                               "nobody's neighbour (skewness 1.47).")


def test_rope_scaling_counts_the_pairs_it_stretches():
    linear = rope_frequencies(64, 10_000.0, "linear", 4.0, 4_096)
    assert linear.describe("linear") == ("linear with s = 4 stretches 32 of the 32 pairs' wavelengths, by 4.00×, "
                                         "and leaves 0 as they are.")
    yarn = rope_frequencies(64, 10_000.0, "yarn", 8.0, 4_096)
    stretch = (yarn.unscaled / yarn.inv_freq).numpy()
    changed = int((~np.isclose(stretch, 1.0)).sum())
    assert 0 < changed < 32
    assert yarn.describe("YaRN").startswith(f"YaRN with s = 8 stretches {changed} of the 32 pairs' wavelengths")
    assert yarn.describe("YaRN").endswith(f"; cos and sin are multiplied by {yarn.attention_factor:.4f}.")
    same = rope_frequencies(64, 10_000.0, "linear", 1.0, 4_096)
    assert torch.equal(same.inv_freq, same.unscaled)
    assert same.describe("linear") == "linear with s = 1 leaves all 32 pairs' wavelengths as they are."
