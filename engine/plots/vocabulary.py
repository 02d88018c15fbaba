"""Figures for the Vocabulary page: data in, go.Figure out."""
from __future__ import annotations

from typing import Sequence

import numpy as np
import plotly.graph_objects as go

from engine.plots.labels import extent, scatter_labels
from engine.plots.style import BASE_PX
from engine.plots.text import plot_texts

STATUS_COLOURS = {"exact": "#4c78a8", "other case": "#f58518"}
PLOT_HEIGHT_PX = 400     # of the map's 520


def coverage_map(coords: np.ndarray, words: Sequence[str], keys: Sequence[str],
                 statuses: Sequence[str], title: str) -> go.Figure:
    """The words of a list placed by their rows (coords (n, 2)), coloured by how they were
    found; hover shows the word and the key it matched (as text: a visitor typed them). Each
    word is named where its name fits clear of the others ("Paris" and "paris" share a row,
    so a point)."""
    coords = np.asarray(coords, dtype=float)
    words, keys = plot_texts(words), plot_texts(keys)
    view = extent(coords, pad=0.12)
    texts, positions = scatter_labels(coords, words, BASE_PX, view, PLOT_HEIGHT_PX, 300)
    figure = go.Figure()
    for status, colour in STATUS_COLOURS.items():
        chosen = [i for i, s in enumerate(statuses) if s == status]
        if not chosen:
            continue
        figure.add_trace(go.Scatter(
            x=coords[chosen, 0], y=coords[chosen, 1], mode="markers+text", name=status,
            text=[texts[i] for i in chosen], textposition=[positions[i] for i in chosen],
            customdata=[[words[i], keys[i]] for i in chosen], marker=dict(color=colour, size=9),
            hovertemplate="%{customdata[0]} (row: %{customdata[1]})<extra>" + status + "</extra>"))
    figure.update_layout(title=title, xaxis_title="PC 1", yaxis_title="PC 2", height=520,
                         xaxis_range=list(view[0]), yaxis_range=list(view[1]),
                         margin=dict(l=10, r=10, t=40, b=40),
                         legend=dict(title_text="found as", orientation="h", y=-0.15))   # the plot keeps the width
    return figure
