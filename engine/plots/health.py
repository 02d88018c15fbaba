"""Figures for the health report: data in, go.Figure out."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from engine.health import NormTrend
from engine.plots.text import plot_texts
from engine.undertrained import UnderTrained

BLUE, RED, GREY = "#4c78a8", "#e45756", "#9d9d9d"
POINTS = 5_000             # rows drawn in the norm scatter (evenly spaced)


def score_histogram(under: UnderTrained, bins: int = 80) -> go.Figure:
    """Histogram of the under-trained score (log count axis), the cluster past the
    threshold in red."""
    counts, edges = np.histogram(under.score, bins=bins)
    centres = (edges[:-1] + edges[1:]) / 2
    flagged = centres >= under.threshold if under.threshold is not None else np.zeros(bins, bool)
    figure = go.Figure()
    for mask, name, colour in ((~flagged, "rows", BLUE), (flagged, "under-trained cluster", RED)):
        if mask.any():
            figure.add_bar(x=centres[mask], y=counts[mask], name=name, marker_color=colour,
                           width=edges[1] - edges[0], hovertemplate="score %{x:.2f}: %{y:,} rows<extra></extra>")
    if under.threshold is not None:
        figure.add_vline(x=under.threshold, line_dash="dash", line_color=RED,
                         annotation_text=f"valley {under.threshold:.2f}: {under.cluster:,} rows past it")
    figure.update_yaxes(type="log")
    figure.update_layout(title="Under-trained score of every row", xaxis_title="score (higher: more likely "
                         "under-trained)", yaxis_title="rows (log scale)", height=340, bargap=0,
                         margin=dict(l=10, r=10, t=40, b=40), legend=dict(orientation="h", y=-0.3))
    return figure


def norms_along_rows(norms: np.ndarray, keys: list[str], trend: NormTrend) -> go.Figure:
    """Row norm against row number (frequency rank or id): POINTS rows and the band means."""
    rows = np.unique(np.linspace(0, len(norms) - 1, min(POINTS, len(norms))).astype(np.int64))
    figure = go.Figure([
        go.Scattergl(x=rows, y=norms[rows], mode="markers", name="a row", text=plot_texts(keys[i] for i in rows),
                     marker=dict(size=3, color=BLUE, opacity=0.4),
                     hovertemplate="%{text}<br>row %{x:,}<br>norm %{y:.3f}<extra></extra>"),
        go.Scatter(x=trend.band_starts + (len(norms) / len(trend.band_starts)) / 2, y=trend.band_norms,
                   mode="lines+markers", name="mean of a twentieth", line_color=RED,
                   hovertemplate="rows around %{x:,.0f}: mean norm %{y:.3f}<extra></extra>")])
    figure.update_layout(title=f"Norm against {trend.by} (ρ {trend.spearman:+.2f})", xaxis_title=trend.by,
                         yaxis_title="norm", height=340, margin=dict(l=10, r=10, t=40, b=40),
                         legend=dict(orientation="h", y=-0.3))
    return figure
