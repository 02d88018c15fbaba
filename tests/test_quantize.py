"""Shrinking a table: each code against an independent reference (torch's bfloat16,
sentence-transformers' int8 and binary), recall against exact search done here by brute
force, and the whole measurement on GloVe."""
import numpy as np
import pytest

from engine.quantize import (
    bfloat16_bits,
    binary_codes,
    decode_int8_ranges,
    default_pq_parts,
    from_bfloat16,
    int8_ranges,
    int8_rows,
    quantize,
    recall,
    timed,
)
from engine.quantize_effect import calibration_rows, quantization_effect, summary_sentence
from engine.vectors import EmbeddingSet, unit_rows


@pytest.fixture(scope="module")
def unit():
    rng = np.random.default_rng(0)
    return unit_rows(rng.standard_normal((3_000, 48)).astype(np.float32) + 0.3)


def brute_top(unit: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    scores = queries.astype(np.float64) @ unit.astype(np.float64).T
    return np.argsort(-scores, axis=1, kind="stable")[:, :k]


def test_bfloat16_rounds_as_torch():
    import torch

    values = np.random.default_rng(1).standard_normal(10_000).astype(np.float32) * 10
    values[:4] = [0.0, -0.0, 1.00390625, 1.01171875]                        # ties to even
    expected = torch.from_numpy(values).to(torch.bfloat16).float().numpy()
    assert np.array_equal(from_bfloat16(bfloat16_bits(values)), expected)


def test_int8_ranges_are_sentence_transformers(unit):
    from sentence_transformers.util.quantization import quantize_embeddings

    calibration = unit[:500]
    codes, ranges = int8_ranges(unit, calibration)
    assert np.array_equal(codes, quantize_embeddings(unit, "int8", calibration_embeddings=calibration))
    step = (ranges[1] - ranges[0]) / 255
    inside = (unit >= ranges[0]) & (unit <= ranges[1])
    half_step = np.broadcast_to(step / 2 + 1e-6, unit.shape)
    assert (np.abs(decode_int8_ranges(codes, ranges) - unit)[inside] <= half_step[inside]).all()


def test_binary_is_sentence_transformers_ubinary(unit):
    from sentence_transformers.util.quantization import quantize_embeddings

    assert np.array_equal(binary_codes(unit), quantize_embeddings(unit, "ubinary"))


def test_int8_rows_keep_every_number_within_half_a_step(unit):
    codes, scale = int8_rows(unit)
    assert codes.dtype == np.int8 and np.abs(codes).max() == 127
    assert (np.abs(codes * scale[:, None] - unit) <= scale[:, None] / 2 + 1e-7).all()


@pytest.mark.parametrize("method", ["fp16", "bf16", "int8", "int8-ranges", "binary", "pq"])
def test_each_search_returns_the_best_rows_of_what_it_keeps(unit, method):
    """Each method's search is exact over the numbers it keeps: its top 10 by brute force on
    its decoded rows (binary: by Hamming distance)."""
    shrunk = quantize(unit, method, pq_parts=12)
    queries = unit[:40]
    found = np.asarray(shrunk.search(queries, 10))
    if method == "binary":
        bits = np.unpackbits(binary_codes(unit), axis=1)[:, :48].astype(np.int64)
        hamming = (bits[:40, None, :] != bits[None, :, :]).sum(axis=2)
        expected_scores = -hamming
    else:                                      # PQ too: the float query against the decoded rows
        expected_scores = queries.astype(np.float64) @ shrunk.decoded.astype(np.float64).T
    got = np.take_along_axis(expected_scores, found, axis=1)
    best = -np.sort(-expected_scores, axis=1)[:, :10]
    assert np.allclose(got, best, atol=1e-5)
    exact = brute_top(unit, queries, 10)
    share = recall(found, exact, k=10)
    assert share == pytest.approx(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(found, exact)]))


def test_memory_of_each_method(unit):
    n, d = unit.shape
    sizes = {m: quantize(unit, m, pq_parts=12).bytes for m in ("fp16", "bf16", "int8", "int8-ranges", "binary", "pq")}
    assert sizes == {"fp16": 2 * n * d, "bf16": 2 * n * d, "int8": n * d + 4 * n, "int8-ranges": n * d + 8 * d,
                     "binary": n * d // 8, "pq": 12 * n + 256 * d * 4}
    assert default_pq_parts(384) == 48 and default_pq_parts(50) == 5 and default_pq_parts(7) == 1


def test_bad_methods_are_one_line(unit):
    with pytest.raises(ValueError, match="unknown method 'int4'; choose one of fp16, bf16, int8"):
        quantize(unit, "int4")
    with pytest.raises(ValueError, match="cuts the 48 dimensions into equal parts; 7 does not divide 48"):
        quantize(unit, "pq", pq_parts=7)
    with pytest.raises(ValueError, match="trains 256 centroids per part; the table has only 100 rows"):
        quantize(unit[:100], "pq")


def test_quantization_effect_on_glove(glove):
    effect = quantization_effect(glove, ("fp16", "int8", "binary"), probes=200)
    by = {p.method: p for p in effect.points}
    assert by["fp16"].recall_at_10 > 0.99 and by["int8"].recall_at_10 > 0.95 and by["binary"].recall_at_10 < 0.4
    rows = np.sort(np.random.default_rng(0).choice(len(glove), 200, replace=False))
    unit = np.ascontiguousarray(glove.unit)
    exact = np.argsort(-(unit[rows] @ unit.T), axis=1)[:, :11]
    found = np.asarray(quantize(unit, "int8").search(unit[rows], 11))
    assert by["int8"].recall_at_10 == pytest.approx(recall(found, exact, rows, 10))
    assert by["fp16"].wordsim353_spearman == pytest.approx(effect.float32_scores[0], abs=0.002)
    assert by["binary"].ratio == pytest.approx(4 * 50 / 7)            # 50 bits take 7 bytes
    sentence = summary_sentence(effect)
    assert sentence.startswith("On glove-6b-50d, int8, a scale per row keeps")    # the smallest at ≥ 95%
    assert f"keeps {by['int8'].recall_at_10:.1%} of each row's 10 nearest neighbours at 3.7× less" in sentence
    assert f"binary (sign bits), the smallest ({by['binary'].ratio:.1f}× less), keeps" in sentence


def test_calibration_on_a_sample(glove):
    rows, told = calibration_rows(glove, 1_000)
    assert rows.shape == (1_000, 50) and told == "the first 1,000 rows"
    rows, told = calibration_rows(glove, ("king", "Queen", "king"))
    assert rows.shape == (2, 50) and told == "2 chosen words"
    with pytest.raises(ValueError, match="at least 2 different words"):
        calibration_rows(glove, ("king",))
    assert calibration_rows(glove, "table") == (None, "all 400,000 rows")


def test_token_tables_have_no_word_benchmarks():
    rng = np.random.default_rng(4)
    table = EmbeddingSet(rng.standard_normal((400, 16)).astype(np.float32), [str(i) for i in range(400)], "ids",
                         frequency_ordered=False)
    effect = quantization_effect(table, ("int8",), probes=50)
    assert effect.float32_scores == (None, None, None) and effect.points[0].wordsim353_spearman is None


def test_timed_batches_find_what_one_search_finds_and_check_between(unit):
    queries = unit[:7]
    whole = np.argsort(-(queries @ unit.T), axis=1, kind="stable")[:, :5]
    checks = []
    found, ms = timed(lambda q, k: np.argsort(-(q @ unit.T), axis=1, kind="stable")[:, :k], queries, 5,
                      lambda: checks.append(1), batch=3)
    np.testing.assert_array_equal(found, whole)
    assert len(checks) == 3 and ms > 0


def test_a_raising_progress_stops_the_measuring_between_methods(glove):
    seen = []

    def progress(done, total):
        seen.append((done, total))
        if done == 2:
            raise RuntimeError("left")

    with pytest.raises(RuntimeError, match="left"):
        quantization_effect(glove, ("fp16", "int8", "binary"), probes=600, benchmarks=False, progress=progress)
    assert seen.count((0, 4)) == 3 and seen.count((1, 4)) == 4 and seen[-1] == (2, 4)   # 3 batches of probes each
