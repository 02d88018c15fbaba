"""The health report: its numbers against brute force on a small table, its sentences built
from them, and the HTML file self-contained and escaped."""
import html
import json
import re

import numpy as np
import pytest
from scipy.stats import skew, spearmanr

from engine.health import health_report, padding_row, sample_rows
from engine.health_html import health_html
from engine.vectors import EmbeddingSet
from tests.test_undertrained import planted


@pytest.fixture(scope="module")
def table():
    base, _ = planted(rows=1_500, untrained=40, dim=24)
    vectors = base.vectors.copy()
    vectors[7] = vectors[3]                                    # an exact copy
    vectors[11] = vectors[4] * 1.0005 + 1e-4                   # a near-duplicate
    vectors[20] = 0                                            # a zero row: no direction
    keys = list(base.index_to_key)
    keys[3], keys[9] = "<b>bold</b>", "[PAD]"
    return EmbeddingSet(vectors, keys, "small", frequency_ordered=False)


@pytest.fixture(scope="module")
def report(table):
    return health_report(table, sample=1_200, k=10)


def brute_neighbours(unit: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    scores = unit @ unit.T
    np.fill_diagonal(scores, -np.inf)
    order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return order, np.take_along_axis(scores, order, axis=1)


def test_sample_hubness_and_duplicates_against_brute_force(table, report):
    rows, how = sample_rows(table, 1_200)
    assert how == "1,200 random rows (seed 0)" and report.sample_how == how
    rows = rows[np.linalg.norm(table.vectors[rows], axis=1) > 0]
    assert report.sample == len(rows)
    unit = table.vectors[rows] / np.linalg.norm(table.vectors[rows], axis=1, keepdims=True)
    near, scores = brute_neighbours(unit.astype(np.float64), 10)
    occurrence = np.bincount(near.ravel(), minlength=len(rows))
    assert np.array_equal(report.hubness.occurrence, occurrence)
    assert report.hubness.skewness == pytest.approx(skew(occurrence))
    assert report.near_duplicate_rows == int((scores[:, 0] >= 0.99).sum())
    assert report.under.duplicates == 1 and report.under.duplicate_of[7] == 3
    pairs = unit @ unit.T
    mean_cosine = (pairs.sum() - len(rows)) / (len(rows) * (len(rows) - 1))
    assert report.anisotropy.mean_cosine == pytest.approx(mean_cosine, abs=1e-6)
    assert report.antihubs == tuple(table.index_to_key[rows[i]] for i in np.flatnonzero(occurrence == 0)[:20])


def test_norm_trend_and_padding_by_hand(table, report):
    norms = np.linalg.norm(table.vectors.astype(np.float64), axis=1)
    assert report.norms.spearman == pytest.approx(spearmanr(np.arange(len(norms)), norms).statistic)
    edges = np.linspace(0, len(norms), 21).astype(int)
    assert np.allclose(report.norms.band_norms, [norms[a:b].mean() for a, b in zip(edges[:-1], edges[1:])])
    assert report.norms.by == "id" and padding_row(table) == 9 and report.under.padding_row == 9
    assert padding_row(table, 2) == 2


def test_findings_state_their_numbers(report):
    titles = [f.title for f in report.findings]
    assert titles == ["Under-trained rows", "Norms against id", "Anisotropy (the narrow cone)", "Hubness",
                      "Near-duplicate rows"]
    hubs = report.findings[3].measured
    assert f"skewness of the k-occurrence {report.hubness.skewness:.2f}" in hubs
    key, count = report.hubness.hubs[0]
    assert f"{key} ({count})" in hubs
    under = report.findings[0].measured
    assert f"{report.under.cluster:,} of 1,540 rows" in under and report.findings[0].flag
    assert "1 rows repeat an earlier row exactly" in report.findings[4].measured
    assert all(f.meaning and f.action for f in report.findings)
    json.dumps(report.to_dict())


def test_html_is_one_self_contained_escaped_file(table, report):
    page = health_html(report, table.index_to_key, table.norms)
    assert page.startswith("<!DOCTYPE html>") and page.count("<section") == 5
    assert "plotly" in page and not re.search(r"<script[^>]+src=", page)      # plotly.js inside
    assert "&lt;b&gt;bold&lt;/b&gt;" in page and "<b>bold</b>" not in page
    for finding in report.findings:
        assert f"<h2>{html.escape(finding.title)}</h2>" in page and html.escape(finding.measured) in page
    assert len(page) > 3_000_000


def test_a_tiny_table_is_refused_in_one_line():
    with pytest.raises(ValueError, match="has 2 rows; finding under-trained rows needs at least 3"):
        health_report(EmbeddingSet(np.eye(2, dtype=np.float32), ["a", "b"], "two"))


class Stopped(Exception):
    pass


def test_a_raising_progress_stops_the_report_inside_its_neighbour_search(table):
    calls = []

    def progress(done, total):
        calls.append(done)
        if calls.count(2) == 2:                       # the second block of the neighbour search
            raise Stopped

    with pytest.raises(Stopped):
        health_report(table, sample=1_200, k=10, progress=progress)
    assert calls[-1] == 2 and 3 not in calls and calls.count(1) >= 2    # anisotropy's passes reported too
