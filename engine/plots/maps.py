"""Figures for the Map page: the whole table as points (WebGL), or for big tables as a density
image under the most frequent words as points; word labels placed so that none overlap; a
searched word, its true neighbours and a listed words drawn on top. Data in, go.Figure out.

Why a density image past DENSE_ABOVE points: in Chromium without a GPU (a classroom laptop,
a projector PC, the test machine) WebGL draws 400,000 points in 8-25 s and 20,000 in about
2 s, while a 450 × 300 image draws in 0.5 s (bench/bench_map_draw.py). Selection does not
need the points in the browser: box and lasso come back as shapes and `selected_rows` finds
every row inside them, dense or not.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import plotly.graph_objects as go

from engine.plots import style
from engine.plots.labels import Label, extent, place_labels, zoom
from engine.plots.text import plot_text, plot_texts

DENSE_ABOVE = 50_000     # more points than this: density image + HOVER_POINTS points on top
HOVER_POINTS = 20_000    # the most frequent words, drawn as points with hover, over the image
DENSITY_BINS = (450, 300)
LABEL_PX = 16            # frequent-word labels; the searched and listed words are larger
# Dot sizes (px) by the number of points on a 2-D map: a few hundred (the karate club's 34) as
# large outlined dots a projected class tells apart, a few thousand still clear of each other;
# past that, small enough for the cloud's shape to show.
DOT_PX = ((200, 13), (2_000, 9), (20_000, 4))

# 50 colours for k-means clusters (k <= 50), each at least 23 CIELAB units (ΔE) from every
# other and from the grey density, drawn from an RGB grid at lightness 30-78 so that every one
# shows on white. Ordered for a few categories (the karate club's two clubs): blue, orange,
# green, crimson, purple, brown, then each next the farthest (CIEDE2000) from those before;
# in plain CIELAB order the first two were two blues.
CLUSTER_COLOURS = [
    "#1e78b4", "#ff7800", "#1eb44b", "#ff005a", "#9600c3", "#693c2d", "#e1a5ff", "#00d2f0",
    "#2d6900", "#e1b400", "#785a78", "#878700", "#e1b496", "#e15ab4", "#96c3ff", "#b40069",
    "#694b00", "#b47800", "#ff0000", "#9669d2", "#87c3a5", "#4b4b96", "#1e785a", "#006978",
    "#96c31e", "#a53c00", "#b46969", "#96002d", "#0000ff", "#e1a5c3", "#e100ff", "#005af0",
    "#78784b", "#4b87ff", "#ff78a5", "#b4b469", "#ff9669", "#784bff", "#873c78", "#9687c3",
    "#00d200", "#00d2a5", "#5a2da5", "#ff5a4b", "#ff1e87", "#b4874b", "#69a55a", "#960087",
    "#d25ae1", "#ff1eb4"]
HALO = "0 0 3px #fff, 0 0 3px #fff, 0 0 2px #fff"   # white glow: labels read over dense points
SEARCHED, RING, LISTED = "#c81e1e", "#c81e1e", "#111111"


def _points(coords: np.ndarray, rows: np.ndarray, words: Sequence[str], **style_):
    """Points over `rows` of coords (n, 2|3), `words` their hover texts; customdata = row
    index, so a click maps back to table rows whatever trace it hit. WebGL in 2-D."""
    common = dict(mode=style_.pop("mode", "markers"), customdata=rows.astype(np.int32),
                  text=plot_texts(words[r] for r in rows), hovertemplate="%{text}<extra></extra>",
                  **style_)
    if coords.shape[1] == 3:
        return go.Scatter3d(x=coords[rows, 0], y=coords[rows, 1], z=coords[rows, 2], **common)
    return go.Scattergl(x=coords[rows, 0], y=coords[rows, 1], **common)


def _density(coords: np.ndarray) -> go.Heatmap:
    """Every point as a grey density image (log count per cell; empty cells transparent)."""
    counts, xs, ys = np.histogram2d(coords[:, 0], coords[:, 1], bins=DENSITY_BINS)
    shade = np.where(counts > 0, np.log1p(counts), np.nan).T.astype(np.float32)
    return go.Heatmap(z=shade, x=((xs[:-1] + xs[1:]) / 2).astype(np.float32),
                      y=((ys[:-1] + ys[1:]) / 2).astype(np.float32), hoverinfo="skip",
                      colorscale=[[0, "#dcdcdc"], [1, "#3a3a3a"]], showscale=False,
                      name="all words (density)")


def _dot_px(n: int, flat: bool) -> int:
    """The size of a map's dots for n points (see DOT_PX; 2 px in 3-D)."""
    if not flat:
        return 2
    return 4 if n > DENSE_ABOVE else next((px for most, px in DOT_PX if n <= most), 3)


def _background(coords: np.ndarray, hover: Sequence[str], colour: np.ndarray, colour_title: str,
                categories: Sequence[str] | None) -> list:
    """The bulk of the map: every point, or past DENSE_ABOVE a density image under the
    HOVER_POINTS most frequent rows as points."""
    n, flat = coords.shape[0], coords.shape[1] == 2
    dense = flat and n > DENSE_ABOVE
    shown = np.arange(min(n, HOVER_POINTS) if dense else n)
    size = _dot_px(n, flat)
    outline = dict(line=dict(color="white", width=1.5)) if flat and n <= DOT_PX[0][0] else {}
    opacity = 0.9 if outline else 0.75       # outlined dots overlap without merging
    traces = [_density(coords)] if dense else []
    colour = np.asarray(colour)
    if categories is None:
        traces.append(_points(coords, shown, hover, name="words", showlegend=False, marker=dict(
            size=size, color=colour[shown].astype(np.float32), colorscale="Viridis", opacity=opacity, **outline,
            cmin=float(colour.min()), cmax=float(colour.max()),
            colorbar=dict(title=dict(text=colour_title), thickness=14))))
        return traces
    for code, label in enumerate(categories):
        rows = shown[colour[shown] == code]
        if rows.size:
            traces.append(_points(coords, rows, hover, name=label, marker=dict(
                size=size, color=CLUSTER_COLOURS[code % len(CLUSTER_COLOURS)], opacity=opacity, **outline)))
    return traces


def _anchors(position: str) -> dict:
    """An annotation's anchor and 4 px shift for a label placed at `position` of its point."""
    vertical, horizontal = position.split()
    return {**{"top": dict(yanchor="bottom", yshift=4), "bottom": dict(yanchor="top", yshift=-4)}.get(vertical, {}),
            **{"right": dict(xanchor="left", xshift=4), "left": dict(xanchor="right", xshift=-4)}.get(horizontal, {})}


def _labels(coords: np.ndarray, words: Sequence[str], labels: Sequence[Label],
            colours: Sequence[str], name: str) -> list[go.layout.Annotation]:
    """Placed labels as annotations: drawn above the WebGL points (SVG text traces would sit
    under them), on a faint white ground so they read over a dense cloud."""
    return [go.layout.Annotation(x=float(coords[label.row, 0]), y=float(coords[label.row, 1]),
                                 text=plot_text(words[label.row]), showarrow=False, name=name,
                                 font=dict(size=label.size, color=colour, shadow=HALO),
                                 bgcolor="rgba(255,255,255,0.55)", borderpad=0,
                                 **_anchors(label.position))
            for label, colour in zip(labels, colours)]


def map_figure(coords: np.ndarray, words: Sequence[str], colour: np.ndarray, colour_title: str,
               axis_titles: Sequence[str], categories: Sequence[str] | None = None,
               word: int | None = None, neighbours: Sequence[int] = (), listed: Sequence[int] = (),
               labels: int = 60, height: int = 680, hover: Sequence[str] | None = None) -> go.Figure:
    """The map: every row as a point (or a density image past DENSE_ABOVE rows), hover shows
    the word; box selection on by default in 2-D.

    coords: (n, 2) or (n, 3); words: at least n labels; colour: (n,) numbers for a colour
    scale, or (n,) integer codes into `categories` (one legend entry each, up to 50 distinct
    colours). `word` (a row) is a star, `neighbours` (its true neighbours) rings, `listed`
    rows (the visitor's words) large dark dots; all labelled first, then up to `labels` of the
    most frequent rows, no two labels overlapping. A 2-D view zooms to the searched word.
    hover: n hover texts (e.g. word and metadata); default the words.
    """
    coords = np.asarray(coords, dtype=np.float32)
    flat = coords.shape[1] == 2
    hover = words if hover is None else hover
    traces = _background(coords, hover, colour, colour_title, categories)
    listed = np.asarray(list(listed), dtype=np.int64)
    ring = np.asarray(list(neighbours), dtype=np.int64)
    mode = "markers" if flat else "markers+text"     # 2-D labels are placed below, clear of each other
    dot = _dot_px(coords.shape[0], flat)            # the marks stay larger than the dots they mark
    marks = []
    if listed.size:
        marks.append(_points(coords, listed, words, name="your words", mode=mode,
                             textfont=dict(size=18, color=LISTED), textposition="top center",
                             marker=dict(size=max(11, dot + 2), color=LISTED, line=dict(color="white", width=1.5))))
    if word is not None:
        marks.append(_points(coords, ring, words, name="its true neighbours", mode=mode,
                             textfont=dict(size=18, color=RING), textposition="top center",
                             marker=dict(size=max(14, dot + 8), color="rgba(0,0,0,0)",
                                         line=dict(color=RING, width=2.5))))
        marks.append(_points(coords, np.array([word]), words, name=f"searched: {plot_text(words[word])}", mode=mode,
                             textfont=dict(size=20, color=SEARCHED), textposition="top center",
                             marker=dict(size=max(20, dot + 10), color=SEARCHED, symbol="star" if flat else "diamond")))
    figure = go.Figure(traces + marks)
    figure.update_layout(height=height, margin=dict(l=10, r=10, t=40, b=10),
                         legend=dict(orientation="h", y=1.02, x=0, yanchor="bottom"),
                         uirevision=f"{coords.shape}-{word}")
    if not flat:
        figure.update_layout(scene=dict(xaxis_title=axis_titles[0], yaxis_title=axis_titles[1],
                                        zaxis_title=axis_titles[2]))
        return figure
    view = zoom(coords, [word, *ring]) if word is not None else extent(coords)
    figure.update_layout(xaxis=dict(title=axis_titles[0], range=list(view[0])),
                         yaxis=dict(title=axis_titles[1], range=list(view[1])), dragmode="select")
    wanted = ([(word, 22)] if word is not None else []) + [(int(r), 18) for r in ring] \
        + [(int(r), 20) for r in listed]
    marked = {row for row, _ in wanted}
    wanted += [(row, LABEL_PX) for row in _spread(coords, words, view, labels * 4) if row not in marked]
    placed = place_labels(coords, words, wanted, view, height - 50)
    special = [label for label in placed if label.row in marked]
    common = [label for label in placed if label.row not in marked][:labels]
    red = {word, *ring.tolist()}
    figure.update_layout(annotations=_labels(coords, words, common, [style.TEXT] * len(common), "frequent words")
                         + _labels(coords, words, special, [SEARCHED if label.row in red else LISTED
                                                            for label in special], "marked words"))
    return figure


def _spread(coords: np.ndarray, words: Sequence[str], view, count: int, pool: int = 5_000,
            grid: tuple[int, int] = (6, 4)) -> list[int]:
    """Up to `count` label candidates among the `pool` most frequent rows in the view, taken
    in turns from a grid of cells (each cell's most frequent word, then each one's second...)
    so that labels cover the whole map, not only the corner where function words gather.
    Only words of letters: a map labelled with commas and "u.s." says little."""
    (x0, x1), (y0, y1) = view
    head = coords[:pool]
    x, y = head[:, 0], head[:, 1]
    rows = np.flatnonzero((x >= x0) & (x <= x1) & (y >= y0) & (y <= y1))
    rows = np.array([r for r in rows if len(words[r]) > 1 and words[r].isalpha()], dtype=np.int64)
    if rows.size == 0:
        return []
    cell = (np.minimum(((x[rows] - x0) / (x1 - x0) * grid[0]).astype(int), grid[0] - 1) * grid[1]
            + np.minimum(((y[rows] - y0) / (y1 - y0) * grid[1]).astype(int), grid[1] - 1))
    turn = np.zeros(rows.size, dtype=np.int64)         # rows are in frequency order already
    for c in np.unique(cell):
        turn[cell == c] = np.arange(int((cell == c).sum()))
    return rows[np.lexsort((rows, turn))][:count].tolist()


def selected_rows(coords: np.ndarray, selection) -> np.ndarray:
    """Rows of coords (n, 2) inside a Plotly selection (Streamlit's event.selection: `box`
    rectangles, `lasso` polygons, clicked `points` with customdata), sorted and unique.
    Computed from the shapes, so a density map selects every row, not just the drawn ones."""
    coords = np.asarray(coords)
    inside = np.zeros(coords.shape[0], dtype=bool)
    for box in selection.get("box", []):
        (x0, x1), (y0, y1) = sorted(box["x"][:2]), sorted(box["y"][:2])
        inside |= ((coords[:, 0] >= x0) & (coords[:, 0] <= x1)
                   & (coords[:, 1] >= y0) & (coords[:, 1] <= y1))
    for lasso in selection.get("lasso", []):
        inside |= _in_polygon(coords, np.asarray(lasso["x"], float), np.asarray(lasso["y"], float))
    clicked = [int(p["customdata"]) for p in selection.get("points", []) if "customdata" in p]
    inside[np.asarray(clicked, dtype=np.int64)] = True
    return np.flatnonzero(inside)


def _in_polygon(coords: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Even-odd rule: a point is inside when a ray to its right crosses the edges an odd
    number of times. (n,) bool."""
    x, y = coords[:, 0], coords[:, 1]
    inside = np.zeros(coords.shape[0], dtype=bool)
    for i in range(len(xs)):
        xa, ya, xb, yb = xs[i - 1], ys[i - 1], xs[i], ys[i]
        if ya == yb:
            continue
        crosses = ((ya > y) != (yb > y)) & (x < xa + (y - ya) * (xb - xa) / (yb - ya))
        inside ^= crosses
    return inside
