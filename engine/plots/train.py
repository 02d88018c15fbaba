"""Figures for the Train page: data in, go.Figure out."""
from __future__ import annotations

from typing import Sequence

import numpy as np
import plotly.graph_objects as go

FONT = dict(size=15, color="#222")


def _layout(figure: go.Figure, title: str, height: int = 380, **axes) -> go.Figure:
    figure.update_layout(title=title, height=height, font=FONT, margin=dict(l=10, r=10, t=50, b=40),
                         **axes)
    figure.update_xaxes(tickfont=FONT, title_font=FONT)
    figure.update_yaxes(tickfont=FONT, title_font=FONT)
    return figure


def loss_curve(epochs: Sequence[int], losses: Sequence[float | None], label: str) -> go.Figure:
    """Loss after each epoch."""
    figure = go.Figure(go.Scatter(x=list(epochs), y=list(losses), mode="lines+markers",
                                  hovertemplate="epoch %{x}: %{y:.4g}<extra></extra>"))
    return _layout(figure, label, xaxis_title="epoch", yaxis_title="loss", xaxis_dtick=1)


def epoch_map(maps: Sequence[np.ndarray], words: Sequence[str], title: str) -> go.Figure:
    """An animated 2-D map of the same words after each epoch (maps: per epoch (m, 2), already
    aligned onto the last one), with a play button and an epoch slider; the last epoch shows
    first."""
    def scatter(coords):
        return go.Scatter(x=coords[:, 0], y=coords[:, 1], mode="markers+text", text=list(words),
                          textposition="top center", textfont=dict(size=15),
                          marker=dict(size=10, color="#4c78a8"),
                          hovertemplate="%{text}<extra></extra>")

    names = [str(i + 1) for i in range(len(maps))]
    frames = [go.Frame(data=[scatter(m)], name=n) for m, n in zip(maps, names)]
    stacked = np.concatenate(maps)
    pad = 0.12 * (stacked.max(axis=0) - stacked.min(axis=0) + 1e-9)
    low, high = stacked.min(axis=0) - pad, stacked.max(axis=0) + pad
    step = dict(frame=dict(duration=700, redraw=True), transition=dict(duration=400), mode="immediate")
    figure = go.Figure(data=[scatter(maps[-1])], frames=frames)
    figure.update_layout(
        xaxis=dict(range=[low[0], high[0]], title="aligned PC 1"),
        yaxis=dict(range=[low[1], high[1]], title="aligned PC 2"),
        updatemenus=[dict(type="buttons", x=0, y=-0.12, xanchor="left", direction="left",
                          buttons=[dict(label="▶ Play epochs", method="animate", args=[None, step])])],
        sliders=[dict(active=len(maps) - 1, x=0.2, len=0.8, y=-0.08, currentvalue=dict(prefix="epoch "),
                      steps=[dict(label=n, method="animate", args=[[n], step]) for n in names])])
    return _layout(figure, title, height=620)


def rare_vs_frequent(bins: Sequence[dict], chance: float, reference: str) -> go.Figure:
    """Neighbour agreement with a reference table per corpus-frequency bin, and chance."""
    labels = [f"{b['low']:,}–{b['high'] - 1:,}" if b["high"] < 10**9 else f"{b['low']:,}+" for b in bins]
    figure = go.Figure(go.Bar(x=labels, y=[b["agreement"] for b in bins],
                              customdata=[b["words"] for b in bins], marker_color="#4c78a8",
                              hovertemplate="seen %{x} times: %{y:.3f} over %{customdata} words"
                                            "<extra></extra>"))
    figure.add_hline(y=chance, line_dash="dot", annotation_text=f"chance {chance:.3f}",
                     annotation_position="top left")
    return _layout(figure, f"Neighbours shared with {reference} (top 10), by how often the corpus has the word",
                   xaxis_title="times the word occurs in the corpus", yaxis_title="share of top-10 agreeing",
                   xaxis_type="category")


def weighting_curve(x_max: float, alpha: float = 0.75) -> go.Figure:
    """GloVe's weight f(x) = min(1, (x/x_max)^alpha) against the co-occurrence count x."""
    x = np.linspace(0, 1.6 * x_max, 200)
    figure = go.Figure(go.Scatter(x=x, y=np.minimum(1, (x / x_max) ** alpha), mode="lines",
                                  hovertemplate="x = %{x:.3g}: f = %{y:.3f}<extra></extra>"))
    return _layout(figure, f"GloVe's weight f(x) = min(1, (x / {x_max:g})^{alpha:g})", height=320,
                   xaxis_title="co-occurrence count x", yaxis_title="weight f(x)")


def cooccurrence_corner(counts: np.ndarray, keys: Sequence[str]) -> go.Figure:
    """Heatmap of the top-left corner (n, n) of the co-occurrence matrix (most frequent words)."""
    figure = go.Figure(go.Heatmap(z=counts, x=list(keys), y=list(keys), colorscale="Blues",
                                  hovertemplate="%{y} · %{x}: %{z:.2f}<extra></extra>"))
    figure.update_yaxes(autorange="reversed")
    return _layout(figure, "Co-occurrences of the most frequent words (1/distance weighted)", height=480)
