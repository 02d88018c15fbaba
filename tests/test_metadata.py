"""ID tables with metadata: the karate club example against networkx and scipy, category
centroids against a plain NumPy loop, and map colours from columns."""
import numpy as np
import pandas as pd
import pytest

from engine.metadata import categorical_columns, category_centroids, colour_codes, hover_labels, rows_metadata
from engine.vectors import EmbeddingSet


@pytest.fixture
def shop():
    """Five products in 2-D: two fruit along x, two tools along y, one unlabelled."""
    vectors = np.array([[1, 0], [2, 0.2], [0, 1], [0.1, 3], [1, 1]], dtype=np.float32)
    meta = pd.DataFrame({"key": ["p1", "p2", "p3", "p4", "p5"],
                         "kind": ["fruit", "fruit", "tool", "tool", None],
                         "price": [1.5, 2.0, 10.0, 12.5, 3.0]})
    return EmbeddingSet(vectors, list(meta["key"]), "shop", frequency_ordered=False, metadata=meta)


def test_centroids_by_hand(shop):
    found = category_centroids(shop, "kind")
    assert found.categories == ("fruit", "tool") and found.counts.tolist() == [2, 2]
    unit = shop.unit
    for i, rows in enumerate(([0, 1], [2, 3])):
        mean = unit[rows].sum(axis=0)
        np.testing.assert_allclose(found.centroids[i], mean / np.linalg.norm(mean), atol=1e-6)
        np.testing.assert_allclose(found.cohesion[i], (unit[rows] @ found.centroids[i]).mean(), atol=1e-6)
    (other, cosine), = found.nearest_categories("fruit")
    assert other == "tool" and cosine == pytest.approx(float(found.centroids[0] @ found.centroids[1]))
    with pytest.raises(ValueError, match="'meat' is not a category of 'kind'"):
        found.nearest_categories("meat")
    with pytest.raises(ValueError, match="no metadata column 'colour'; its columns: kind, price"):
        category_centroids(shop, "colour")


def test_columns_colours_and_hover(shop):
    assert categorical_columns(shop) == ["kind"]
    codes, categories = colour_codes(shop, "kind", 5)
    assert categories == ("fruit", "tool", "other", "no value")
    assert codes.tolist() == [0, 0, 1, 1, 3]
    values, none = colour_codes(shop, "price", 5)
    assert none is None and values.tolist() == [1.5, 2.0, 10.0, 12.5, 3.0]
    assert hover_labels(shop, 2) == ["p1 · fruit · 1.5", "p2 · fruit · 2.0"]
    assert rows_metadata(shop, [3, 0])["kind"].tolist() == ["tool", "fruit"]
    assert shop.restrict(2).metadata["key"].tolist() == ["p1", "p2"]
    with pytest.raises(ValueError, match="3 metadata rows for 5 rows"):
        EmbeddingSet(shop.vectors, shop.index_to_key, "x", metadata=shop.metadata.iloc[:3])


def test_karate_club_is_the_spectral_embedding_of_networkx_graph():
    import networkx as nx
    from scipy.sparse.linalg import eigsh

    from engine.sources import load_builtin

    table = load_builtin("karate-club")
    graph = nx.karate_club_graph()
    assert len(table) == 34 and table.dim == 8
    assert table.metadata["club"].tolist() == [graph.nodes[n]["club"] for n in range(34)]
    # the same eigenpairs from networkx's normalised Laplacian: L = I - D^-1/2 W D^-1/2
    laplacian = nx.normalized_laplacian_matrix(graph, nodelist=range(34), weight="weight").astype(float)
    values, vectors = eigsh(laplacian, k=9, which="SM")
    order = np.argsort(values)[1:]
    expected = vectors[:, order] * (1 - values[order])
    for j in range(8):
        column = np.asarray(table.vectors[:, j], dtype=np.float64)
        assert abs(column @ expected[:, j]) == pytest.approx(np.linalg.norm(column) *
                                                             np.linalg.norm(expected[:, j]), rel=1e-4)
    # the instructor's and the administrator's nearest members stayed with them after the split
    assert {table.metadata["club"][int(n.key)] for n in table.most_similar("0", topn=4)} == {"Mr. Hi"}
    assert {table.metadata["club"][int(n.key)] for n in table.most_similar("33", topn=4)} == {"Officer"}
    clubs = category_centroids(table, "club")
    assert clubs.nearest_categories("Mr. Hi")[0][1] < 0      # opposite directions
