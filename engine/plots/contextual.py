"""Figures for the pages on contextual vectors, retrieval and comparing two tables."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from engine.plots.labels import extent, scatter_labels, zoom
from engine.plots.style import BASE_PX
from engine.plots.text import plot_text, plot_texts

MARGIN = dict(l=10, r=10, t=60, b=10)
TWO_MAP_COLOURS = {"word": "#d62728", "neighbour in both": "#2ca02c", "neighbour in A only": "#1f77b4",
                   "neighbour in B only": "#ff7f0e"}          # in the order their names are placed
TWO_MAP_PLOT_PX = (360, 300)    # each map's plot area (height, width) on a phone
LEGEND_LINE_PX, LEGEND_HEIGHT_CAP = 28, 1_200   # a legend entry's line at 16 px; the tallest figure


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def layer_cosines(between: np.ndarray, to_static: np.ndarray, baseline: np.ndarray, labels=None,
                  adjusted: bool = True) -> go.Figure:
    """Lines over layers 0..L: cosine between sentence pairs (between (L+1, s, s)), minus the
    anisotropy baseline (L+1,) when `adjusted`; raw, also each sentence's cosine with the
    static row (to_static (s, L+1)) and the baseline itself. With a sense label per sentence,
    pairs of one sense are solid, pairs of two senses dashed."""
    layers = list(range(to_static.shape[1]))
    figure = go.Figure()
    s = to_static.shape[0]
    for i in range(s):
        for j in range(i + 1, s):
            same = labels is None or labels[i] == labels[j]
            senses = "" if labels is None else f" ({_short(labels[i], 12)}" + (
                ")" if same else f"–{_short(labels[j], 12)})")
            figure.add_scatter(x=layers, y=between[:, i, j] - (baseline if adjusted else 0), mode="lines+markers",
                               name=plot_text(f"S{i + 1} vs S{j + 1}{senses}"),   # labels are typed
                               line=dict(width=3, dash=None if same else "dash"))
    if not adjusted:
        for i in range(s):
            figure.add_scatter(x=layers, y=to_static[i], mode="lines+markers", name=f"S{i + 1} vs static row",
                               line=dict(dash="dot", width=2))
        figure.add_scatter(x=layers, y=baseline, mode="lines", name="two random tokens (baseline)",
                           line=dict(color="#7f7f7f", dash="longdash", width=3))
    # The legend under the plot (beside the lines it took half a phone's width) gets a line
    # per entry on a phone: past half the figure's height Plotly scrolls it, hiding the last
    # entries (the baseline, raw, with four sentences at 800 px when presenting).
    entries = len(figure.data)
    figure.update_layout(title="Cosine minus the baseline, by layer" if adjusted else "Cosine by layer",
                         xaxis_title="layer (0 = input embeddings)",
                         yaxis_title="cosine − baseline" if adjusted else "cosine",
                         height=min(LEGEND_HEIGHT_CAP, max(480, 380 + LEGEND_LINE_PX * entries)),
                         margin=MARGIN, xaxis=dict(dtick=1), legend=dict(orientation="h", y=-0.22))
    return figure


def contextuality_by_layer(measures) -> go.Figure:
    """Ethayarajh's measures of a WordContextuality over layers, each minus its baseline."""
    layers = list(range(len(measures.self_similarity)))
    figure = go.Figure()
    for name, values in ((f"self-similarity of “{plot_text(_short(measures.word, 20))}”",
                          measures.adjusted_self_similarity),
                         ("intra-sentence similarity", measures.adjusted_intra_sentence),
                         ("MEV (share one static vector explains)", measures.adjusted_mev)):
        figure.add_scatter(x=layers, y=values, mode="lines+markers", name=name, line=dict(width=3))
    figure.update_layout(title="Adjusted for anisotropy, by layer", xaxis_title="layer (0 = input embeddings)",
                         yaxis_title="measure − baseline", height=480, margin=MARGIN, xaxis=dict(dtick=1),
                         legend=dict(orientation="h", y=-0.22))
    return figure


def sense_scatter(points: np.ndarray, labels, sentences, title: str) -> go.Figure:
    """Each sentence's vector of the word as a point, coloured by its label (labels and
    sentences are a visitor's text: shown as text)."""
    figure = go.Figure()
    labels = np.asarray(labels)
    for label in dict.fromkeys(labels):
        keep = labels == label
        figure.add_scatter(x=points[keep, 0], y=points[keep, 1], mode="markers", name=plot_text(label),
                           marker=dict(size=13, line=dict(width=1, color="white")),
                           text=plot_texts(_short(s, 90) for s, k in zip(sentences, keep) if k),
                           hovertemplate="%{text}<extra></extra>")
    figure.update_layout(title=title, height=480, margin=MARGIN, xaxis_title="PC 1", yaxis_title="PC 2")
    return figure


def two_maps(points_a: np.ndarray, points_b: np.ndarray, keys, titles, highlight: dict) -> go.Figure:
    """The shared words on each table's own PCA map, one above the other; `highlight` maps a
    key to its role ('word', 'neighbour in both', 'neighbour in A only', …), drawn on top.
    Each map frames its highlighted words and names those it has room for, clear of each
    other (side by side, or named all, they lay in an illegible pile)."""
    figure = make_subplots(rows=2, cols=1, subplot_titles=plot_texts(titles), vertical_spacing=0.1)
    keys, shown = np.asarray(keys), np.asarray(plot_texts(keys))   # visitors' keys, as text
    roles = list(TWO_MAP_COLOURS)
    marked = sorted((i for i, k in enumerate(keys) if highlight.get(k) in TWO_MAP_COLOURS),
                    key=lambda i: roles.index(highlight[keys[i]]))
    for row, points in ((1, np.asarray(points_a)), (2, np.asarray(points_b))):
        figure.add_trace(go.Scattergl(x=points[:, 0], y=points[:, 1], mode="markers", text=shown,
                                      marker=dict(size=4, color="#b0b0b0"), name="shared words",
                                      hovertemplate="%{text}<extra></extra>", showlegend=row == 1),
                         row=row, col=1)
        view = zoom(points, marked) if marked else extent(points)
        texts, positions = scatter_labels(points[marked], list(shown[marked]), BASE_PX, view, *TWO_MAP_PLOT_PX)
        placed = dict(zip(marked, zip(texts, positions)))
        for role, colour in TWO_MAP_COLOURS.items():
            rows = [i for i in marked if highlight[keys[i]] == role]
            if rows:
                figure.add_trace(go.Scatter(x=points[rows, 0], y=points[rows, 1], mode="markers+text",
                                            text=[placed[i][0] for i in rows],
                                            textposition=[placed[i][1] for i in rows],
                                            customdata=shown[rows], name=role, marker=dict(size=11, color=colour),
                                            showlegend=row == 1, hovertemplate="%{customdata}<extra></extra>"),
                                 row=row, col=1)
        figure.update_xaxes(range=list(view[0]), row=row, col=1)
        figure.update_yaxes(range=list(view[1]), row=row, col=1)
    figure.update_layout(height=960, margin=MARGIN, legend=dict(orientation="h", y=-0.08))
    return figure
