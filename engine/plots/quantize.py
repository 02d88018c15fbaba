"""Figures for the Shrink the table page: data in, go.Figure out."""
from __future__ import annotations

import plotly.graph_objects as go

from engine.quantize_effect import QuantizationEffect

BLUE, RED = "#4c78a8", "#e45756"


def memory_against_recall(effect: QuantizationEffect) -> go.Figure:
    """Each method's memory (log axis) against its neighbour recall@k, float32 at (its bytes, 1)."""
    names = ["float32"] + [p.title for p in effect.points]
    megabytes = [effect.float32_bytes / 1e6] + [p.bytes / 1e6 for p in effect.points]
    recall = [1.0] + [p.recall_at_10 for p in effect.points]
    figure = go.Figure(go.Scatter(x=megabytes, y=recall, mode="markers+text", text=names,
                                  textposition="top center", marker=dict(size=12, color=[RED] + [BLUE] * len(effect.points)),
                                  hovertemplate="%{text}<br>%{x:,.2f} MB<br>recall %{y:.3f}<extra></extra>"))
    figure.update_xaxes(type="log")
    figure.update_yaxes(range=[0, 1.08])
    figure.update_layout(title=f"Memory against neighbour recall@{effect.k}", xaxis_title="MB (log scale)",
                         yaxis_title=f"share of float32's {effect.k} nearest kept", height=380,
                         margin=dict(l=10, r=10, t=40, b=40))
    return figure
