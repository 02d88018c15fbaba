"""Maps: PCA against an independent SVD, word axes against cosines by hand and gensim,
neighbourhood preservation against brute force, seeds, the disk cache, exports, the CLI."""
import io
import json
import time

import numpy as np
import pandas as pd
import pytest

from engine.cli import main
from engine.map_cache import cache_path, cached_map, is_cached
from engine.project import (
    MapSpec,
    build_map,
    colour_by,
    kmeans_labels,
    map_frame,
    measure_faithfulness,
    nearest_rows,
    neighbour_frame,
    projector_metadata_tsv,
    projector_vectors_tsv,
    word_on_map,
)
from engine.projections import PCAProjection, TSNEProjection, UMAPProjection, WordAxes, word_direction
from engine.vectors import EmbeddingSet


def _cloud(n=400, d=6, seed=0):
    """Rows with clearly different variances per direction, so the PCA axes are unique."""
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(n, d)) * np.linspace(3, 0.5, d) + 1.5).astype(np.float32)


def _circle(n=300, seed=1):
    angles = np.sort(np.random.default_rng(seed).uniform(0, 2 * np.pi, n))
    return np.c_[np.cos(angles), np.sin(angles)].astype(np.float32)


# -- PCA ----------------------------------------------------------------------------------
def test_pca_equals_an_independent_svd_up_to_sign():
    X = _cloud()
    coords = PCAProjection(3).fit_transform(X)
    centred = X.astype(np.float64) - X.astype(np.float64).mean(axis=0)
    _, s, vt = np.linalg.svd(centred, full_matrices=False)
    expected = centred @ vt[:3].T
    signs = np.sign((coords * expected).sum(axis=0))
    np.testing.assert_allclose(coords, expected * signs, atol=1e-4)
    pca = PCAProjection(3)
    pca.fit_transform(X)
    np.testing.assert_allclose(pca.explained_variance_ratio_, (s ** 2 / (s ** 2).sum())[:3], rtol=1e-5)


def test_pca_signs_are_fixed_whatever_the_row_order():
    X = _cloud()
    first, shuffled = PCAProjection(2), PCAProjection(2)
    first.fit_transform(X)
    shuffled.fit_transform(X[np.random.default_rng(3).permutation(len(X))])
    np.testing.assert_allclose(first.components_, shuffled.components_, atol=1e-5)
    for axis in first.components_:       # the largest loading of each axis is positive
        assert axis[np.abs(axis).argmax()] > 0


def test_pca_on_glove_matches_svd(glove):
    X = np.asarray(glove.vectors[:50_000])
    coords = PCAProjection(2).fit_transform(X)
    centred = X.astype(np.float64) - X.mean(axis=0, dtype=np.float64)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    expected = centred @ vt[:2].T
    np.testing.assert_allclose(np.abs(coords), np.abs(expected), atol=2e-3)


# -- faithfulness -------------------------------------------------------------------------
def test_a_table_that_is_already_2d_projects_with_preservation_one():
    points = _circle()     # unit rows: cosine neighbours = Euclidean neighbours
    table = EmbeddingSet(points, [f"w{i}" for i in range(len(points))], "circle")
    result = build_map(table, MapSpec(rows=len(points)))
    assert result.faithfulness.preservation == 1.0
    assert result.faithfulness.trustworthiness == pytest.approx(1.0)
    cloud = _cloud(d=2)
    euclid = measure_faithfulness(cloud, PCAProjection(2).fit_transform(cloud), metric="euclidean")
    assert euclid.preservation == 1.0


def test_preservation_equals_brute_force_overlap():
    from sklearn.neighbors import NearestNeighbors

    rng = np.random.default_rng(5)
    X, Y = rng.normal(size=(300, 10)), rng.normal(size=(300, 2))
    k = 7
    true = NearestNeighbors(n_neighbors=k + 1, metric="cosine").fit(X).kneighbors(X)[1][:, 1:]
    drawn = NearestNeighbors(n_neighbors=k + 1).fit(Y).kneighbors(Y)[1][:, 1:]
    expected = np.mean([len(set(a) & set(b)) / k for a, b in zip(true, drawn)])
    measured = measure_faithfulness(X, Y, k=k, sample=300)
    assert measured.preservation == pytest.approx(expected)
    assert measured.sample == 300 and measured.k == k
    assert 0 < measured.preservation < 0.2      # a random map keeps almost nothing


def test_true_neighbours_match_gensim(glove, glove_gensim):
    result = build_map(glove, MapSpec(rows=10_000))
    found = word_on_map(glove, result, "king")
    expected = [glove.key_to_index[w] for w, _ in
                glove_gensim.most_similar("king", topn=10, restrict_vocab=10_000)]
    assert list(found.true_rows) == expected
    assert 0 <= found.kept <= 10 and len(found.map_rows) == 10
    with pytest.raises(ValueError, match="first 10,000"):
        word_on_map(glove, result, "zebra")          # rank > 10,000
    with pytest.raises(KeyError, match="kingg"):
        word_on_map(glove, result, "kingg")


def test_nearest_rows_euclidean_on_a_line():
    points = np.array([[0.0], [1.0], [3.0], [7.0]], dtype=np.float32)
    np.testing.assert_array_equal(nearest_rows(points, np.array([0, 2]), 2, "euclidean"),
                                  [[1, 2], [1, 0]])   # from 3: 1 is 2 away, 0 is 3, 7 is 4


def test_neighbour_frame_lists_true_neighbours(glove):
    frame = neighbour_frame(glove, [691, 5], k=5, restrict=10_000)
    assert list(frame["word"]) == ["and", "king"]
    expected = ", ".join(n.key for n in glove.most_similar("king", topn=5, restrict_vocab=10_000))
    assert frame.loc[1, "true neighbours"] == expected


# -- word axes ----------------------------------------------------------------------------
def test_word_axes_are_cosines_by_hand(tiny):
    # woman - man = (0,-1,0) - (0,1,0) -> direction (0,-1,0); apple -> (0,0,1)
    coords = WordAxes(["woman - man", "apple"], tiny).fit_transform(tiny.vectors)
    r = 1 / np.sqrt(2)
    expected = [[0, 0], [-r, 0], [r, 0], [-1, 0], [1, 0], [0, 1]]   # the king queen man woman apple
    np.testing.assert_allclose(coords, expected, atol=1e-6)


def test_word_axes_match_gensim_cosines(glove, glove_gensim):
    axes = WordAxes(["woman - man", "good - bad"], glove)
    coords = axes.fit_transform(np.asarray(glove.vectors[:5_000]))
    kv = glove_gensim
    for column, (plus, minus) in enumerate([("woman", "man"), ("good", "bad")]):
        direction = kv.get_vector(plus, norm=True) - kv.get_vector(minus, norm=True)
        expected = kv.cosine_similarities(direction, kv.vectors[:5_000])
        np.testing.assert_allclose(coords[:, column], expected, atol=1e-5)


def test_word_axes_bad_formulas(tiny):
    with pytest.raises(ValueError, match="'man - man' is zero"):
        word_direction(tiny, "man - man")
    with pytest.raises(KeyError, match="'prince' is not in the vocabulary"):
        word_direction(tiny, "prince - man")
    with pytest.raises(ValueError, match="two operators"):
        word_direction(tiny, "king - - woman")
    with pytest.raises(ValueError, match="2 formulas"):
        MapSpec(method="axes", rows=6, axes=("king",)).checked(tiny)


# -- seeds ------------------------------------------------------------------------------
def test_umap_is_deterministic_with_its_seed(glove):
    X = np.asarray(glove.vectors[:300])
    seen = []
    first = UMAPProjection(n_neighbors=10, progress=lambda done, text: seen.append(done)).fit_transform(X)
    second = UMAPProjection(n_neighbors=10).fit_transform(X)
    np.testing.assert_array_equal(first, second)
    assert first.shape == (300, 2) and seen[0] == 0.0 and max(seen) > 0.9
    assert not np.allclose(first, UMAPProjection(n_neighbors=10, random_state=7).fit_transform(X))


def test_tsne_is_deterministic_with_its_seed(glove):
    from threadpoolctl import threadpool_limits

    X = np.asarray(glove.vectors[:300])
    with threadpool_limits(1):   # OpenMP threads on a busy 2-core machine: 10× slower, same result
        first = TSNEProjection(perplexity=10).fit_transform(X)
        np.testing.assert_array_equal(first, TSNEProjection(perplexity=10).fit_transform(X))
    assert first.shape == (300, 2)


# -- bad input ------------------------------------------------------------------------------
@pytest.mark.parametrize("spec, message", [
    (MapSpec(rows=400_001), "number of words must be a whole number from 3 to 400,000"),
    (MapSpec(method="tsne", rows=30_000), "t-SNE is capped at 20,000.*Use UMAP"),
    (MapSpec(dims=4), "dimensions must be a whole number from 2 to 3"),
    (MapSpec(method="mds"), "unknown map method 'mds'"),
])
def test_bad_specs_are_refused_before_any_work(glove, spec, message):
    with pytest.raises(ValueError, match=message):
        build_map(glove, spec)


def test_bad_method_parameters(glove):
    X = np.asarray(glove.vectors[:50])
    with pytest.raises(ValueError, match="n_neighbors must be a whole number from 2 to 49"):
        UMAPProjection(n_neighbors=80).fit_transform(X)
    with pytest.raises(ValueError, match="min_dist must be a number"):
        UMAPProjection(min_dist=1.5).fit_transform(X)
    with pytest.raises(ValueError, match="perplexity must be a number"):
        TSNEProjection(perplexity=0.5).fit_transform(X)


# -- colours, clusters --------------------------------------------------------------------
def test_kmeans_in_the_full_space_finds_separate_directions():
    rng = np.random.default_rng(2)
    centres = np.eye(3) * 5
    X = np.vstack([c + rng.normal(scale=0.2, size=(50, 3)) for c in centres]).astype(np.float32)
    labels = kmeans_labels(X, 3)
    truth = np.repeat([0, 1, 2], 50)
    assert len({(a, b) for a, b in zip(labels, truth)}) == 3     # one label per true group
    with pytest.raises(ValueError, match="clusters must be a whole number from 2 to 50"):
        kmeans_labels(X, 1)
    import engine.project as project  # many rows: in a worker process, same labels
    from engine import own_process

    tasks = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(project, "KMEANS_HERE_CELLS", 10)
        run = own_process.run
        patch.setattr(own_process, "run", lambda task, *args: tasks.append(task) or run(task, *args))
        np.testing.assert_array_equal(kmeans_labels(X, 3), labels)
    assert tasks == ["engine.project_worker:kmeans_task"]


def test_word_list_colouring(glove):
    colouring = colour_by(glove, 1_000, "word list", word_list="king, the zebra")
    assert colouring.values[glove.key_to_index["the"]] == 1 and colouring.values.sum() == 2
    assert "zebra" in colouring.note
    with pytest.raises(KeyError, match="zebraa"):
        colour_by(glove, 1_000, "word list", word_list="zebraa")
    rank = colour_by(glove, 1_000, "frequency rank")
    assert rank.values[0] == 0 and rank.values[999] == pytest.approx(3)


# -- cache and exports ---------------------------------------------------------------------
def test_disk_cache_returns_the_same_map_and_keys_on_the_rows(tmp_path):
    points = _cloud(n=120, d=4)
    table = EmbeddingSet(points, [f"w{i}" for i in range(120)], "mine")
    spec = MapSpec(rows=120)
    first = cached_map(table, spec, tmp_path)
    assert not first.cached and is_cached(table, spec, tmp_path)
    again = cached_map(table, spec, tmp_path)
    assert again.cached and again.to_dict()["preservation"] == first.to_dict()["preservation"]
    np.testing.assert_array_equal(again.coords, first.coords)
    changed = EmbeddingSet(points * 2 + 1, table.index_to_key, "mine")   # same name, new rows
    assert not is_cached(changed, spec, tmp_path)


def test_cache_files_are_named_by_content_never_by_the_table_name(tmp_path):
    points = _cloud(n=60, d=4)
    secret = EmbeddingSet(points, [f"w{i}" for i in range(60)], "private-notes")
    cached_map(secret, MapSpec(rows=60), tmp_path)
    other = EmbeddingSet(points, secret.index_to_key, "class-table")
    assert cached_map(other, MapSpec(rows=60), tmp_path).cached       # same rows, same map
    assert [p.name for p in tmp_path.iterdir() if "private" in p.name or "class" in p.name] == []


def test_cache_keeps_to_its_byte_budget_least_recently_used_out(tmp_path, monkeypatch):
    tables = [EmbeddingSet(_cloud(n=200, d=4, seed=s), [f"w{i}" for i in range(200)], "t")
              for s in range(4)]
    first = cached_map(tables[0], MapSpec(rows=200), tmp_path)
    size = cache_path(tables[0], first.spec, tmp_path).stat().st_size
    monkeypatch.setenv("EMBEDDING_LAB_MAP_CACHE_MB", str(2.5 * size / (1 << 20)))
    cached_map(tables[1], MapSpec(rows=200), tmp_path)
    time.sleep(0.01)
    assert cached_map(tables[0], MapSpec(rows=200), tmp_path).cached     # 0 used again: newest
    time.sleep(0.01)
    cached_map(tables[2], MapSpec(rows=200), tmp_path)                   # 1 is the oldest: out
    kept = [is_cached(t, MapSpec(rows=200), tmp_path) for t in tables]
    assert kept == [True, False, True, False]
    assert sum(p.stat().st_size for p in tmp_path.glob("*.npz")) <= 2.5 * size


def test_maps_are_capped_at_map_max_rows(monkeypatch):
    import engine.project as project
    table = EmbeddingSet(_cloud(n=300, d=4), [f"w{i}" for i in range(300)], "t")
    monkeypatch.setattr(project, "MAP_MAX_ROWS", 100)
    assert MapSpec(rows=300).checked(table).rows == 100
    assert MapSpec(rows=50).checked(table).rows == 50


def test_projector_tsv_round_trips(glove):
    vectors = np.asarray(glove.vectors[:500])
    read = np.loadtxt(io.StringIO(projector_vectors_tsv(vectors)), delimiter="\t", dtype=np.float32)
    np.testing.assert_array_equal(read, vectors)
    words = glove.index_to_key[:500] + ["tab\tinside"]
    lines = projector_metadata_tsv(words).split("\n")
    assert lines[:500] == glove.index_to_key[:500] and lines[500] == "tab inside" and lines[-1] == ""


def test_coordinates_csv_round_trips(glove):
    result = build_map(glove, MapSpec(rows=2_000))
    text = map_frame(glove, result).to_csv(index=False)
    read = pd.read_csv(io.StringIO(text), keep_default_na=False, na_filter=False)
    assert list(read["word"]) == glove.index_to_key[:2_000]
    np.testing.assert_allclose(read[["x", "y"]].to_numpy(), result.coords, rtol=1e-6, atol=1e-7)


# -- CLI ----------------------------------------------------------------------------------
def test_cli_project_writes_coordinates(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("EMBEDDING_LAB_CACHE", str(tmp_path / "cache"))
    out = tmp_path / "map.csv"
    assert main(["project", "--method", "pca", "--restrict", "2000", "--out", str(out),
                 "--projector", str(tmp_path / "tsv"), "--json"]) == 0
    reply = json.loads(capsys.readouterr().out)
    assert {"method", "rows", "seconds", "preservation", "trustworthiness"} <= set(reply)
    assert reply["method"] == "pca" and reply["rows"] == 2000 and 0 <= reply["preservation"] <= 1
    assert len(pd.read_csv(out)) == 2000
    assert (tmp_path / "tsv" / "vectors.tsv").read_text().count("\n") == 2000


@pytest.mark.parametrize("argv, message", [
    (["project", "--method", "tsne", "--restrict", "30000"], "Use UMAP"),
    (["project", "--method", "axes", "--axes", "man - man", "good"], "is zero"),
    (["project", "--restrict", "0"], "number of words"),
])
def test_cli_bad_input_is_one_line_and_exit_2(capsys, argv, message):
    assert main(argv + ["--json"]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1


def test_exports_number_rows_by_rank_or_by_0_based_id():
    from engine.project import map_frame, neighbour_frame

    vectors = np.random.default_rng(0).standard_normal((6, 3)).astype(np.float32)
    for ordered, heading, first in [(True, "rank", 1), (False, "id", 0)]:
        table = EmbeddingSet(vectors, list("abcdef"), "t", frequency_ordered=ordered)
        result = build_map(table, MapSpec(method="pca", rows=6))
        assert map_frame(table, result)[heading].tolist() == list(range(first, first + 6))
        assert neighbour_frame(table, [2], k=2)[heading].tolist() == [2 + first]
