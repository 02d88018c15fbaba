"""Figures for the Explore, Analogies and Benchmarks pages: data in, go.Figure (or, for
the vector strip, HTML) out."""
from __future__ import annotations

import functools
import html
from typing import Sequence

import numpy as np
import plotly.colors
import plotly.graph_objects as go

from engine.plots.text import plot_text, plot_texts
from engine.vectors import Neighbour


def neighbour_bars(neighbours: Sequence[Neighbour], title: str, score_label: str = "cosine") -> go.Figure:
    """Horizontal bars, best at the top. neighbours: results of a query, best first."""
    keys = [n.key for n in neighbours][::-1]
    scores = [n.score for n in neighbours][::-1]
    figure = go.Figure(go.Bar(x=scores, y=plot_texts(keys), orientation="h", marker_color="#4c78a8",
                              text=[f"{s:.3f}" for s in scores], textposition="auto",
                              hovertemplate="%{y}: %{x:.4f}<extra></extra>"))
    figure.update_layout(title=plot_text(title), xaxis_title=score_label, height=80 + 34 * len(keys),
                         margin=dict(l=10, r=10, t=40, b=40),     # rows tall enough for a 16 px score
                         uniformtext=dict(minsize=14, mode="hide"))
    figure.update_yaxes(type="category")
    return figure


_HEX = [f"{byte:02x}" for byte in range(256)]


@functools.cache
def _red_blue_stops() -> tuple[list[float], np.ndarray]:
    """Positions (s,) and RGB channels (s, 3) of plotly's RdBu_r scale: read once, as plotly
    looks the scale up by name (milliseconds, on every typed word of Explore)."""
    stops = plotly.colors.get_colorscale("RdBu_r")
    return ([position for position, _ in stops],
            np.array([plotly.colors.unlabel_rgb(colour) for _, colour in stops]))


def diverging_colours(values: np.ndarray, limit: float) -> list[str]:
    """CSS colours of `values` on plotly's RdBu scale reversed (red positive, blue
    negative, white at 0), symmetric in [-limit, limit]. values: any shape, flattened."""
    where, channels = _red_blue_stops()
    fraction = np.clip((np.ravel(values) / (limit or 1.0) + 1) / 2, 0, 1)
    rgb = np.stack([np.interp(fraction, where, channels[:, c]) for c in range(3)], axis=1)
    return ["#" + _HEX[r] + _HEX[g] + _HEX[b] for r, g, b in np.rint(rgb).astype(int).tolist()]


def tick_step(dims: int, most: int = 8) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, ... that labels `dims` dimensions with at most
    `most` ticks."""
    scale = 1
    while True:
        for step in (scale, 2 * scale, 5 * scale):
            if dims <= most * step:
                return step
        scale *= 10


def vector_strip_html(vectors: np.ndarray, labels: Sequence[str]) -> str:
    """Rows of vectors as a heatmap strip in plain HTML: one row per label, one cell per
    dimension, one colour scale for all rows, each cell's value in its tooltip.
    vectors: (n, d).

    HTML rather than a Plotly heatmap because it is on the landing page's typing path:
    the browser paints it in a few milliseconds, where a chart takes a tenth of a second.
    """
    vectors = np.asarray(vectors, dtype=np.float32)
    dims = vectors.shape[1]
    colours = diverging_colours(vectors, float(np.abs(vectors).max()))
    values = vectors.tolist()           # Python floats: formatting numpy scalars is slower
    rows = []
    for i, label in enumerate(labels):
        name = html.escape(label)
        cells = "".join(
            f'<div title="{name}[{j}] = {values[i][j]:.3f}" '
            f'style="flex:1;background:{colours[i * dims + j]}"></div>'
            for j in range(dims))
        rows.append(f'<div style="display:flex;align-items:center;height:26px;margin:2px 0">'
                    f'<div style="width:7.5em;flex:none;text-align:right;padding-right:8px;'
                    f'overflow:hidden;text-overflow:ellipsis;white-space:nowrap">{name}</div>'
                    f'<div style="display:flex;flex:1;height:100%">{cells}</div></div>')
    ticks = "".join(f'<span style="position:absolute;left:{(j + 0.5) / dims:.2%};'
                    f'transform:translateX(-50%)">{j}</span>'
                    for j in range(0, dims, tick_step(dims)))
    axis = (f'<div style="display:flex;font-size:0.75em;opacity:0.7"><div style="width:7.5em;'
            f'flex:none;text-align:right;padding-right:8px">dimension</div>'
            f'<div style="position:relative;flex:1;height:1.4em">{ticks}</div></div>')
    return f'<div style="font-size:0.9em">{"".join(rows)}{axis}</div>'


def section_bars(names: Sequence[str], accuracies: Sequence[float], totals: Sequence[int]) -> go.Figure:
    """Accuracy per analogy section as horizontal bars (long section names stay readable at any
    width), semantic sections blue and syntactic ('gram…') orange, in the test's order."""
    colours = ["#f58518" if n.startswith("gram") else "#4c78a8" for n in names]
    figure = go.Figure(go.Bar(y=list(names), x=list(accuracies), orientation="h", marker_color=colours,
                              customdata=list(totals),
                              hovertemplate="%{y}: %{x:.1%} of %{customdata} questions<extra></extra>"))
    figure.update_layout(xaxis_title="accuracy", xaxis_tickformat=".0%", xaxis_range=[0, 1],
                         yaxis_autorange="reversed", height=120 + 30 * len(names),
                         margin=dict(l=10, r=10, t=40, b=10),
                         title="Accuracy per section")
    return figure


def pair_scatter(gold: Sequence[float], model: Sequence[float], labels: Sequence[str],
                 title: str) -> go.Figure:
    """Human score against model cosine, one point per word pair."""
    figure = go.Figure(go.Scattergl(x=list(gold), y=list(model), mode="markers", text=plot_texts(labels),
                                    marker=dict(size=6, opacity=0.6),
                                    hovertemplate="%{text}<br>human %{x:.2f}, cosine %{y:.3f}<extra></extra>"))
    figure.update_layout(title=plot_text(title), xaxis_title="human score", yaxis_title="cosine",
                         height=380, margin=dict(l=10, r=10, t=40, b=10))
    return figure
