"""Figures for the Map page: a WebGL scatter of the whole table, with a searched word and its
true neighbours marked. Data in, go.Figure out."""
from __future__ import annotations

from typing import Sequence

import numpy as np
import plotly.graph_objects as go

PALETTE = ["#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#eeca3b", "#b279a2",
           "#ff9da6", "#9d755d", "#bab0ac"]


def _trace(coords: np.ndarray, rows: np.ndarray, words: Sequence[str], **style):
    """One scatter trace over `rows` of coords (n, 2|3); customdata = row index, so a
    selection maps back to table rows whatever trace it hit."""
    common = dict(mode=style.pop("mode", "markers"), customdata=rows,
                  text=[words[r] for r in rows], hovertemplate="%{text}<extra></extra>", **style)
    if coords.shape[1] == 3:
        return go.Scatter3d(x=coords[rows, 0], y=coords[rows, 1], z=coords[rows, 2], **common)
    return go.Scattergl(x=coords[rows, 0], y=coords[rows, 1], **common)


def map_figure(coords: np.ndarray, words: Sequence[str], colour: np.ndarray, colour_title: str,
               axis_titles: Sequence[str], categories: Sequence[str] | None = None,
               word: int | None = None, neighbours: Sequence[int] = (),
               height: int = 680) -> go.Figure:
    """The map: every row as a point, hover shows its word.

    coords: (n, 2) or (n, 3); words: n labels; colour: (n,) numbers for a colour scale, or
    (n,) integer codes into `categories` (one legend entry each). `word` (a row) is drawn
    as a star and `neighbours` (rows: its true neighbours) as rings, labelled; a 2-D view
    zooms to them.
    """
    coords = np.asarray(coords, dtype=np.float32)
    size = 2 if coords.shape[1] == 3 else (3 if coords.shape[0] > 50_000 else 5)
    everything = np.arange(coords.shape[0])
    if categories is None:
        traces = [_trace(coords, everything, words, name="words", showlegend=False,
                         marker=dict(size=size, color=colour, colorscale="Viridis", opacity=0.7,
                                     colorbar=dict(title=colour_title, thickness=12)))]
    else:
        traces = [_trace(coords, everything[colour == code], words, name=label,
                         marker=dict(size=size, color=PALETTE[code % len(PALETTE)], opacity=0.7))
                  for code, label in enumerate(categories) if (colour == code).any()]
    if word is not None:
        ring = np.asarray(list(neighbours), dtype=np.int64)
        traces.append(_trace(coords, ring, words, name="its true neighbours", mode="markers+text",
                             textposition="top center",
                             marker=dict(size=13, color="rgba(0,0,0,0)",
                                         line=dict(color="#d62728", width=2))))
        traces.append(_trace(coords, np.array([word]), words, name=f"searched: {words[word]}",
                             mode="markers+text", textposition="top center",
                             textfont=dict(size=15, color="#d62728"),
                             marker=dict(size=18, color="#d62728", symbol="diamond"
                                         if coords.shape[1] == 3 else "star")))
    figure = go.Figure(traces)
    figure.update_layout(height=height, margin=dict(l=10, r=10, t=30, b=10),
                         legend=dict(orientation="h", y=1.02, x=0, yanchor="bottom"),
                         uirevision=f"{coords.shape}-{word}")
    if coords.shape[1] == 3:
        figure.update_layout(scene=dict(xaxis_title=axis_titles[0], yaxis_title=axis_titles[1],
                                        zaxis_title=axis_titles[2]))
    else:
        figure.update_layout(xaxis_title=axis_titles[0], yaxis_title=axis_titles[1])
        if word is not None:
            _zoom(figure, coords, [word, *neighbours])
    return figure


def _zoom(figure: go.Figure, coords: np.ndarray, rows: Sequence[int]) -> None:
    """Frame the given rows with a margin, never tighter than a tenth of the whole map."""
    spans = coords.max(axis=0) - coords.min(axis=0)
    low, high = coords[rows].min(axis=0), coords[rows].max(axis=0)
    centre, half = (low + high) / 2, np.maximum((high - low) * 0.6, spans / 20)
    figure.update_xaxes(range=[float(centre[0] - half[0]), float(centre[0] + half[0])])
    figure.update_yaxes(range=[float(centre[1] - half[1]), float(centre[1] + half[1])])
