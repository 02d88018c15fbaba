"""Figures for the Vocabulary page: data in, go.Figure out."""
from __future__ import annotations

from typing import Sequence

import numpy as np
import plotly.graph_objects as go

from engine.plots.text import plot_texts

STATUS_COLOURS = {"exact": "#4c78a8", "other case": "#f58518"}


def coverage_map(coords: np.ndarray, words: Sequence[str], keys: Sequence[str],
                 statuses: Sequence[str], title: str) -> go.Figure:
    """The words of a list placed by their rows (coords (n, 2)), coloured by how they were
    found; hover shows the word and the key it matched (as text: a visitor typed them)."""
    figure = go.Figure()
    for status, colour in STATUS_COLOURS.items():
        chosen = [i for i, s in enumerate(statuses) if s == status]
        if not chosen:
            continue
        figure.add_trace(go.Scatter(
            x=coords[chosen, 0], y=coords[chosen, 1], mode="markers+text", name=status,
            text=plot_texts(words[i] for i in chosen), textposition="top center",
            customdata=plot_texts(keys[i] for i in chosen), marker=dict(color=colour, size=9),
            hovertemplate="%{text} (row: %{customdata})<extra>" + status + "</extra>"))
    figure.update_layout(title=title, xaxis_title="PC 1", yaxis_title="PC 2", height=520,
                         margin=dict(l=10, r=10, t=40, b=40), legend_title_text="found as")
    return figure
