"""Figures for the Shrink the table page: data in, go.Figure out."""
from __future__ import annotations

import plotly.graph_objects as go

from engine.quantize_effect import QuantizationEffect
from engine.units import MIB

COLOURS = ("#e45756", "#4c78a8", "#72b7b2", "#f58518", "#54a24b", "#b279a2", "#9d755d")
SYMBOLS = ("star", "circle", "square", "diamond", "triangle-up", "x", "cross")


def memory_against_recall(effect: QuantizationEffect) -> go.Figure:
    """Each method's memory (log axis) against its neighbour recall@k, float32 at (its bytes,
    1); one marker and legend entry per method (names would overlap as labels)."""
    names = ["float32"] + [p.title for p in effect.points]
    mebibytes = [effect.float32_bytes / MIB] + [p.bytes / MIB for p in effect.points]
    recall = [1.0] + [p.recall_at_10 for p in effect.points]
    figure = go.Figure([
        go.Scatter(x=[mb], y=[kept], mode="markers", name=name,
                   marker=dict(size=14, color=COLOURS[i % len(COLOURS)], symbol=SYMBOLS[i % len(SYMBOLS)]),
                   hovertemplate=f"{name}<br>%{{x:,.2f}} MiB<br>recall %{{y:.3f}}<extra></extra>")
        for i, (name, mb, kept) in enumerate(zip(names, mebibytes, recall))])
    figure.update_xaxes(type="log", dtick="D2")
    figure.update_yaxes(range=[0, 1.05])
    figure.update_layout(title=f"Memory against neighbour recall@{effect.k}", xaxis_title="MiB (log scale)",
                         yaxis_title=f"recall@{effect.k}", height=420,
                         margin=dict(l=10, r=10, t=40, b=40), legend=dict(orientation="h", y=-0.25))
    return figure
