"""The map figure: labels that never overlap, marked words on top, density past DENSE_ABOVE
rows, box/lasso selection over every row, 50 distinct cluster colours, box select by default."""
import itertools

import numpy as np
import plotly.io as pio
import pytest

from engine.plots import labels, maps


@pytest.fixture(scope="module")
def glove_map(glove):
    from engine.projections import PCAProjection

    rows = 10_000
    return PCAProjection(2).fit_transform(np.asarray(glove.vectors[:rows])).astype(np.float32)


def _label_boxes(figure, trace):
    """Pixel boxes of a text trace's labels, from the axis ranges and the plot's height,
    with a plain estimate of glyph width (0.55 em) and an em of line height."""
    (x0, x1), (y0, y1) = figure.layout.xaxis.range, figure.layout.yaxis.range
    px = np.array([labels.PLOT_WIDTH_PX / (x1 - x0), (figure.layout.height - 50) / (y1 - y0)])
    boxes = []
    for x, y, text, where, size in zip(trace.x, trace.y, trace.text, trace.textposition, trace.size):
        cx, cy = (x - x0) * px[0], (y - y0) * px[1]
        w, h = 0.55 * size * len(text), size
        dx = {"right": w / 2 + 4, "left": -w / 2 - 4}.get(where.split()[1], 0)
        dy = {"top": h / 2 + 4, "bottom": -h / 2 - 4}.get(where.split()[0], 0)
        boxes.append((cx + dx - w / 2, cy + dy - h / 2, cx + dx + w / 2, cy + dy + h / 2, text))
    return boxes


class _Layer:
    """The figure's label annotations of one name, as columns."""

    def __init__(self, notes):
        where = {("bottom", None): "top center", ("top", None): "bottom center",
                 (None, "left"): "middle right", (None, "right"): "middle left",
                 ("bottom", "left"): "top right", ("bottom", "right"): "top left",
                 ("top", "left"): "bottom right", ("top", "right"): "bottom left"}
        self.x = [n.x for n in notes]
        self.y = [n.y for n in notes]
        self.text = [n.text for n in notes]
        self.textposition = [where[(n.yanchor, n.xanchor)] for n in notes]
        self.size = [n.font.size for n in notes]


def _texts(figure):
    names = {n.name for n in figure.layout.annotations}
    return {name: _Layer([n for n in figure.layout.annotations if n.name == name]) for name in names}


def test_frequent_words_are_labelled_large_and_never_overlap(glove, glove_map):
    figure = maps.map_figure(glove_map, glove.index_to_key, np.zeros(len(glove_map)), "c", ("x", "y"))
    layer = _texts(figure)["frequent words"]
    assert len(layer.text) >= 30 and min(layer.size) >= 14
    assert all(word.isalpha() for word in layer.text)
    boxes = _label_boxes(figure, layer)
    for a, b in itertools.combinations(boxes, 2):
        assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a[4], b[4])


def test_searched_word_neighbours_and_listed_words_are_labelled_on_top(glove, glove_map):
    words = glove.index_to_key
    queen = glove.get_index("queen")
    ring = [glove.get_index(w) for w in ("king", "princess", "lady", "elizabeth")]
    listed = [glove.get_index(w) for w in ("paris", "france")]
    figure = maps.map_figure(glove_map, words, np.zeros(len(glove_map)), "c", ("x", "y"),
                             word=queen, neighbours=ring, listed=listed)
    names = [t.name for t in figure.data]
    assert names.index("searched: queen") > names.index("words")
    marked = _texts(figure)["marked words"]
    # placed for a phone's 210 px: "princess" sits too close to "queen" for both names there
    assert "queen" in marked.text and len({"king", "princess", "lady", "elizabeth"} & set(marked.text)) >= 3
    assert marked.size[list(marked.text).index("queen")] >= 20
    mine = next(t for t in figure.data if t.name == "your words")
    assert mine.marker.size >= 10 and sorted(mine.customdata) == sorted(listed)
    everything = _label_boxes(figure, marked) + _label_boxes(figure, _texts(figure)["frequent words"])
    for a, b in itertools.combinations(everything, 2):
        assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a[4], b[4])
    assert figure.layout.dragmode == "select"


def test_a_big_map_is_a_density_image_under_the_most_frequent_points():
    rng = np.random.default_rng(0)
    coords = rng.normal(size=(maps.DENSE_ABOVE + 10_000, 2)).astype(np.float32)
    words = [f"w{i}" for i in range(len(coords))]
    figure = maps.map_figure(coords, words, np.arange(len(coords), dtype=np.float32), "rank", ("x", "y"))
    assert figure.data[0].type == "heatmap"
    shown = sum(len(t.x) for t in figure.data if t.type == "scattergl")
    assert shown == maps.HOVER_POINTS
    assert len(pio.to_json(figure)) < 2_000_000     # the old figure: 14 MB at 400,000 rows
    counts, _, _ = np.histogram2d(coords[:, 0], coords[:, 1], bins=maps.DENSITY_BINS)
    drawn = np.expm1(np.nan_to_num(np.asarray(figure.data[0].z, dtype=float)))
    assert np.allclose(drawn.sum(), counts.sum(), rtol=1e-4)


def test_box_lasso_and_clicks_select_every_row_inside():
    rng = np.random.default_rng(1)
    coords = rng.uniform(-1, 1, size=(100_000, 2))
    box = {"x": [0.2, -0.3], "y": [-0.5, 0.1]}
    expected = np.flatnonzero((coords[:, 0] >= -0.3) & (coords[:, 0] <= 0.2)
                              & (coords[:, 1] >= -0.5) & (coords[:, 1] <= 0.1))
    assert np.array_equal(maps.selected_rows(coords, {"box": [box]}), expected)
    triangle = np.array([[0, 0], [1, 0], [0, 1]], dtype=float)
    lasso = {"x": triangle[:, 0].tolist(), "y": triangle[:, 1].tolist()}
    # Reference: inside a triangle when on the same side of all three edges (cross products).
    edges = [(triangle[i], triangle[(i + 1) % 3]) for i in range(3)]
    sides = np.stack([(b[0] - a[0]) * (coords[:, 1] - a[1]) - (b[1] - a[1]) * (coords[:, 0] - a[0])
                      for a, b in edges])
    inside = np.flatnonzero((sides > 0).all(axis=0))
    assert np.array_equal(maps.selected_rows(coords, {"lasso": [lasso]}), inside)
    clicked = maps.selected_rows(coords, {"points": [{"customdata": 7}, {"customdata": 3}]})
    assert clicked.tolist() == [3, 7]


def _cielab(hex_colour: str) -> np.ndarray:
    rgb = np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255
    rgb = np.where(rgb > 0.04045, ((rgb + 0.055) / 1.055) ** 2.4, rgb / 12.92)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ rgb
    f = np.cbrt(xyz / [0.95047, 1.0, 1.08883])
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def test_fifty_clusters_get_fifty_colours_far_apart():
    coords = np.random.default_rng(2).normal(size=(5_000, 2))
    codes = np.arange(5_000) % 50
    figure = maps.map_figure(coords, [str(i) for i in range(5_000)], codes, "cluster", ("x", "y"),
                             categories=[f"cluster {i + 1}" for i in range(50)])
    colours = [t.marker.color for t in figure.data if t.name.startswith("cluster")]
    assert len(colours) == 50 and len(set(colours)) == 50
    lab = [_cielab(c) for c in colours]
    assert min(np.linalg.norm(a - b) for a, b in itertools.combinations(lab, 2)) > 20


def test_a_few_categories_get_hues_apart_and_a_small_table_dots_a_class_sees():
    coords = np.random.default_rng(3).normal(size=(34, 2))
    codes = np.arange(34) % 3
    figure = maps.map_figure(coords, [str(i) for i in range(34)], codes, "club", ("x", "y"),
                             categories=["a", "b", "c"])
    traces = [t for t in figure.data if t.name in "abc"]
    hues = [np.degrees(np.arctan2(lab[2], lab[1])) % 360 for lab in (_cielab(t.marker.color) for t in traces)]
    apart = [min(abs(a - b), 360 - abs(a - b)) for a, b in itertools.combinations(hues, 2)]
    assert min(apart) > 60, hues             # the old first two were two blues, 42° apart
    assert all(t.marker.size >= 12 and t.marker.line.width >= 1 for t in traces)   # were 4 px, then 9


def test_on_a_small_table_the_marks_stay_larger_than_the_dots_they_mark():
    coords = np.random.default_rng(4).normal(size=(34, 2))
    figure = maps.map_figure(coords, [str(i) for i in range(34)], np.zeros(34), "c", ("x", "y"),
                             word=0, neighbours=[1, 2], listed=[3])
    dot = next(t for t in figure.data if t.name == "words").marker.size
    marks = {t.name: t.marker.size for t in figure.data if t.name != "words"}
    assert marks["its true neighbours"] >= dot + 6 and marks["searched: 0"] > dot and marks["your words"] > dot
    big = maps.map_figure(np.random.default_rng(5).normal(size=(5_000, 2)), [str(i) for i in range(5_000)],
                          np.zeros(5_000), "c", ("x", "y"))
    assert big.data[0].marker.size == 4 and not big.data[0].marker.line.width
