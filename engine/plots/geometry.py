"""Figures for the Geometry page: data in, go.Figure out."""
from __future__ import annotations

from typing import Sequence

import numpy as np
import plotly.graph_objects as go

from engine.contextual import ContextualCone
from engine.plots.text import plot_text, plot_texts

BLUE, ORANGE, GREY = "#4c78a8", "#f58518", "#9d9d9d"


def _layout(figure: go.Figure, title: str, x: str, y: str, height: int = 340) -> go.Figure:
    figure.update_layout(title=title, xaxis_title=x, yaxis_title=y, height=height,
                         margin=dict(l=10, r=10, t=40, b=40), legend=dict(orientation="h", y=-0.25))
    return figure


def scree(explained: np.ndarray, top: int = 30) -> go.Figure:
    """Share of variance of each principal component (bars) and cumulative share (line)."""
    shown = np.asarray(explained)[:top]
    axis = np.arange(1, shown.shape[0] + 1)
    figure = go.Figure([
        go.Bar(x=axis, y=shown, name="component", marker_color=BLUE,
               hovertemplate="PC %{x}: %{y:.2%}<extra></extra>"),
        go.Scatter(x=axis, y=np.cumsum(shown), name="cumulative", mode="lines+markers",
                   line_color=ORANGE, hovertemplate="PC 1–%{x}: %{y:.2%}<extra></extra>")])
    figure.update_yaxes(tickformat=".0%")
    return _layout(figure, "Explained variance (scree)", "principal component", "share of variance")


def cosine_histograms(table_cosines: np.ndarray, gaussian_cosines: np.ndarray, name: str) -> go.Figure:
    """Histogram of cosines of random pairs of rows next to random Gaussian vectors."""
    figure = go.Figure([
        go.Histogram(x=table_cosines, name=plot_text(name), marker_color=BLUE, opacity=0.7,
                     histnorm="probability density", xbins=dict(start=-1, end=1, size=0.02)),
        go.Histogram(x=gaussian_cosines, name="random Gaussian, same dimension", marker_color=GREY,
                     opacity=0.6, histnorm="probability density", xbins=dict(start=-1, end=1, size=0.02))])
    figure.update_layout(barmode="overlay")
    return _layout(figure, f"Cosine of {len(table_cosines):,} random pairs", "cosine", "density")


def occurrence_histogram(occurrence: np.ndarray, k: int) -> go.Figure:
    """How many rows appear N_k times in others' k-NN lists (log count axis)."""
    counts = np.bincount(occurrence)
    values = np.flatnonzero(counts)
    figure = go.Figure(go.Bar(x=values, y=counts[values], marker_color=BLUE,
                              hovertemplate="N_k = %{x}: %{y:,} rows<extra></extra>"))
    figure.add_vline(x=k, line_dash="dash", line_color=ORANGE, annotation_text=f"k = {k}")
    figure.update_yaxes(type="log")
    return _layout(figure, "k-occurrence N_k", f"times a row is among the {k} nearest of others",
                   "rows (log scale)")


def norm_by_rank(ranks: np.ndarray, norms: np.ndarray, keys: Sequence[str], ordered: bool) -> go.Figure:
    """Vector length against frequency rank (row number), log rank axis."""
    figure = go.Scattergl(x=ranks, y=norms, mode="markers", text=plot_texts(keys),
                          marker=dict(size=3, color=BLUE, opacity=0.5),
                          hovertemplate="%{text}<br>rank %{x:,}<br>norm %{y:.3f}<extra></extra>")
    figure = go.Figure(figure)
    figure.update_xaxes(type="log")
    label = "frequency rank" if ordered else "row (id order, not frequency)"
    return _layout(figure, "Vector length against rank", label, "norm")


def neighbour_quality_by_rank(bins: Sequence[dict]) -> go.Figure:
    """Per rank band: mean cosine to the k nearest rows, and share of rare neighbours."""
    middle = [(b["from_rank"] * b["to_rank"]) ** 0.5 for b in bins]
    labels = [f"{b['from_rank']:,}–{b['to_rank']:,}" for b in bins]
    figure = go.Figure([
        go.Scatter(x=middle, y=[b["neighbour_cosine"] for b in bins], text=labels,
                   name="mean cosine to k nearest", mode="lines+markers", line_color=BLUE,
                   hovertemplate="ranks %{text}: %{y:.3f}<extra></extra>"),
        go.Scatter(x=middle, y=[b["rare_neighbour_share"] for b in bins], text=labels,
                   name="share of neighbours in the rarer half", mode="lines+markers",
                   line_color=ORANGE, hovertemplate="ranks %{text}: %{y:.1%}<extra></extra>")])
    figure.update_xaxes(type="log")
    return _layout(figure, "Neighbour quality against rank", "rank band (log)", "value")


def cone_by_layer(cone: ContextualCone) -> go.Figure:
    """Mean cosine of contextual token vectors per layer, with the static baselines."""
    names = [layer.layer for layer in cone.layers]
    figure = go.Figure(go.Bar(x=names, y=[layer.mean_cosine for layer in cone.layers],
                              marker_color=BLUE, name="contextual tokens",
                              hovertemplate="%{x}: %{y:.3f}<extra></extra>"))
    figure.add_hline(y=cone.static_occurrences, line_dash="dash", line_color=ORANGE,
                     annotation_text="static rows of the same tokens")
    figure.add_hline(y=cone.static_table, line_dash="dot", line_color=GREY,
                     annotation_text="whole static token table", annotation_position="top left")
    return _layout(figure, f"Mean cosine of {cone.tokens:,} token vectors, layer by layer",
                   "layer", "mean pairwise cosine")
