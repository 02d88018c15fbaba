"""Figures for the Truncate page: data in, go.Figure out."""
from __future__ import annotations

import plotly.graph_objects as go

from engine.truncate import TruncationEffect

CURVES = (("neighbour_overlap", "neighbour overlap@{k}", "#4c78a8"),
          ("wordsim353_spearman", "WordSim-353 Spearman", "#f58518"),
          ("simlex999_spearman", "SimLex-999 Spearman", "#54a24b"),
          ("analogy_accuracy", "Google analogies accuracy", "#e45756"))


def truncation_curves(effect: TruncationEffect) -> go.Figure:
    """One line per measure against the number of dimensions kept; measures not computed
    (None) are left out."""
    figure = go.Figure()
    dims = [p.dims for p in effect.points]
    for field, label, colour in CURVES:
        values = [getattr(p, field) for p in effect.points]
        if all(v is None for v in values):
            continue
        name = label.format(k=effect.k)
        figure.add_trace(go.Scatter(x=dims, y=values, mode="lines+markers", name=name,
                                    line=dict(color=colour),
                                    hovertemplate=f"{name}<br>first %{{x}} dims: %{{y:.3f}}<extra></extra>"))
    figure.update_layout(title=f"What {effect.table} keeps when cut", xaxis_title="dimensions kept",
                         yaxis_title="score", yaxis_range=[0, 1.02], height=420,
                         margin=dict(l=10, r=10, t=40, b=40), legend=dict(orientation="h", y=-0.2))
    return figure
