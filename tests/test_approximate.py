"""Approximate answers on big tables: the index cached beside a library table and its
recall, and hubness through it against exact k-NN (engine.geometry)."""
from dataclasses import replace

import numpy as np
import pytest

from engine import library
from engine.approximate import approximate_hubness, cached_index, index_path
from engine.geometry import hubness, neighbour_graph
from engine.readers import write_vectors


@pytest.fixture(scope="module")
def sample(glove):
    return glove.restrict(4_000)


def test_hubness_through_an_exhaustive_index_is_the_exact_hubness(sample):
    from engine.index import AnnIndex

    index = AnnIndex.build(sample, nlist=8)
    index._index.nprobe = index.info.nlist           # every cell: the search is exact
    approx = approximate_hubness(sample, index, k=10)
    exact = hubness(sample, neighbour_graph(sample, k=10))
    np.testing.assert_array_equal(approx.occurrence, exact.occurrence)
    assert approx.skewness == pytest.approx(exact.skewness)
    assert "approximate (faiss IVF, 8 cells" in approx.retrieval


def test_compressed_index_finds_the_exact_graph_and_its_hubness(sample):
    from engine.index import AnnIndex

    index = AnnIndex.build(sample, compressed=True)
    exact_graph = neighbour_graph(sample, k=10)
    found = index.query(sample.unit, 11).indices
    own = np.arange(len(sample))[:, None]
    recall = np.mean([len(np.intersect1d(got[got != row][:10], want))
                      for got, want, row in zip(found, exact_graph.indices, own[:, 0])]) / 10
    assert recall >= 0.93                      # every row, against the exact graph
    approx = approximate_hubness(sample, index, k=10)
    exact = hubness(sample, exact_graph)
    assert approx.occurrence.sum() == exact.occurrence.sum() == 10 * len(sample)
    assert abs(approx.skewness - exact.skewness) < 0.1 * exact.skewness
    assert np.corrcoef(approx.occurrence, exact.occurrence)[0, 1] > 0.95
    assert "IVF-PQ fast scan" in approx.retrieval and "32·k candidates re-scored" in approx.retrieval


def test_more_candidates_per_call_leave_the_shared_index_as_it_was(sample):
    from engine.index import AnnIndex

    index = AnnIndex.build(sample, compressed=True)
    index._tune(replace(index.info, k_factor=1))       # only the k best codes are re-scored
    queries = sample.unit[:300]
    exact = index.exact(queries, 10).indices
    recall = {factor: np.mean([len(np.intersect1d(got, want)) for got, want in
                               zip(index.query(queries, 10, k_factor=factor).indices, exact)]) / 10
              for factor in (None, 32)}
    assert recall[32] > recall[None] and recall[32] >= 0.9
    assert index.info.k_factor == 1 and index._index.k_factor == 1


def test_index_is_built_once_and_cached_beside_a_library_table(tmp_path, monkeypatch, sample):
    root = tmp_path / "library"
    root.mkdir()
    monkeypatch.setenv(library.LIBRARY_ENV, str(root))
    path = tmp_path / "s.bin"
    path.write_bytes(write_vectors(sample, "word2vec-binary"))
    library.import_file(path, "s")
    table = library.load_table("s")
    assert index_path(table) == root / "s" / "ann-cosine-pq.faiss"
    first, built = cached_index(table)
    again, built_again = cached_index(library.load_table("s"))
    assert (built, built_again) == (True, False)
    assert again.info == first.info and first.info.k_factor > 0
    queries = np.asarray(table.unit[:50])
    np.testing.assert_array_equal(again.query(queries, 10).indices, first.query(queries, 10).indices)
    assert library.table_names() == ["s"]          # the index file does not make a table
