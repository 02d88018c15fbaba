"""Figures for the Explore, Analogies and Benchmarks pages: data in, go.Figure out."""
from __future__ import annotations

from typing import Sequence

import numpy as np
import plotly.graph_objects as go

from engine.vectors import Neighbour


def neighbour_bars(neighbours: Sequence[Neighbour], title: str, score_label: str = "cosine") -> go.Figure:
    """Horizontal bars, best at the top. neighbours: results of a query, best first."""
    keys = [n.key for n in neighbours][::-1]
    scores = [n.score for n in neighbours][::-1]
    figure = go.Figure(go.Bar(x=scores, y=keys, orientation="h", marker_color="#4c78a8",
                              text=[f"{s:.3f}" for s in scores], textposition="auto",
                              hovertemplate="%{y}: %{x:.4f}<extra></extra>"))
    figure.update_layout(title=title, xaxis_title=score_label, height=80 + 26 * len(keys),
                         margin=dict(l=10, r=10, t=40, b=40))
    figure.update_yaxes(type="category")
    return figure


def vector_strip(vectors: np.ndarray, labels: Sequence[str]) -> go.Figure:
    """Rows of vectors as a heatmap strip, one row per label. vectors: (n, d)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    limit = float(np.abs(vectors).max()) or 1.0
    figure = go.Figure(go.Heatmap(z=vectors, y=list(labels), x=list(range(vectors.shape[1])),
                                  colorscale="RdBu", reversescale=True, zmid=0, zmin=-limit, zmax=limit,
                                  hovertemplate="%{y}[%{x}] = %{z:.3f}<extra></extra>"))
    figure.update_layout(height=90 + 28 * len(labels), margin=dict(l=10, r=10, t=10, b=30),
                         xaxis_title="dimension")
    figure.update_yaxes(type="category", autorange="reversed")
    return figure


def section_bars(names: Sequence[str], accuracies: Sequence[float], totals: Sequence[int]) -> go.Figure:
    """Accuracy per analogy section, semantic sections blue and syntactic ('gram…') orange."""
    colours = ["#f58518" if n.startswith("gram") else "#4c78a8" for n in names]
    figure = go.Figure(go.Bar(x=list(names), y=list(accuracies), marker_color=colours,
                              customdata=list(totals),
                              hovertemplate="%{x}: %{y:.1%} of %{customdata} questions<extra></extra>"))
    figure.update_layout(yaxis_title="accuracy", yaxis_tickformat=".0%", yaxis_range=[0, 1],
                         height=420, margin=dict(l=10, r=10, t=30, b=10),
                         title="Accuracy per section (blue: semantic, orange: syntactic)")
    return figure


def pair_scatter(gold: Sequence[float], model: Sequence[float], labels: Sequence[str],
                 title: str) -> go.Figure:
    """Human score against model cosine, one point per word pair."""
    figure = go.Figure(go.Scattergl(x=list(gold), y=list(model), mode="markers", text=list(labels),
                                    marker=dict(size=6, opacity=0.6),
                                    hovertemplate="%{text}<br>human %{x:.2f}, cosine %{y:.3f}<extra></extra>"))
    figure.update_layout(title=title, xaxis_title="human score", yaxis_title="cosine",
                         height=380, margin=dict(l=10, r=10, t=40, b=10))
    return figure
