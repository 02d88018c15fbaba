"""Figures for "The embedding layer" pages: engine results in, go.Figure out.

Large tables are drawn with a stride (every k-th row, labelled by its real id) and the
title says so; the rows a sentence selects are always drawn in full beside them.
"""
from __future__ import annotations

import math
import textwrap
from typing import Callable, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from engine.plots.labels import scatter_labels
from engine.plots.text import plot_text, plot_texts
from engine.units import binary_unit, human_bytes

MARGIN = dict(l=10, r=10, t=60, b=10)
FONT = dict(size=15)
# (colour, symbol) of each real model on the rules chart: told apart by shape as well as hue
MODEL_MARKS = [("#e45756", "diamond"), ("#4c78a8", "square"), ("#f58518", "triangle-up"), ("#54a24b", "circle"),
               ("#b279a2", "star"), ("#9d755d", "x"), ("#72b7b2", "pentagon"), ("#1a1a1a", "cross")]
ZIPF_PLOT_PX = (250, 300)     # the updates chart's plot area (height, width) on a phone
SHARE_ROW_PX = 66             # a model's row on the share chart: its name, then its bar
ROW_COLOURS = ["#e45756", "#4c78a8", "#f58518", "#54a24b", "#b279a2", "#72b7b2", "#9d755d", "#eeca3b"]


def _limit(*matrices: np.ndarray) -> float:
    """Colour range ±limit: the 99.5th percentile of |value| so that a few large cells do not
    wash out the rest (hover shows every true value)."""
    values = np.concatenate([np.abs(np.asarray(m, dtype=np.float32)).ravel() for m in matrices])
    return float(np.percentile(values, 99.5)) or 1.0


def lookup_table(weight: np.ndarray, ids: Sequence[int], labels: Sequence[str],
                 max_rows: int = 300, max_columns: int = 192) -> go.Figure:
    """Top: the whole (V, d) table, 1 row in k; the selected ids marked by lines. Below it: the
    selected rows themselves, in sentence order, named on the right. One above the other:
    side by side, a phone left each table 30 px and their titles on each other."""
    weight = np.asarray(weight)
    row_step = math.ceil(weight.shape[0] / max_rows)
    column_step = math.ceil(weight.shape[1] / max_columns)
    shown = weight[::row_step, ::column_step]
    selected = weight[list(ids)]
    limit = _limit(shown, selected)
    # names in lines of 20 characters: one long line left a phone's table 60 px wide
    names = ["<br>".join(textwrap.wrap(f"{plot_text(label)} (id {row_id})", 20)) for row_id, label in zip(ids, labels)]
    whole, rows_px = 300, 40 + (8 + 20 * max(name.count("<br>") + 1 for name in names)) * len(ids)
    figure = make_subplots(rows=2, cols=1, row_heights=[whole, rows_px], vertical_spacing=90 / (whole + rows_px + 90),
                           subplot_titles=[f"All {weight.shape[0]:,} rows (1 in {row_step})",
                                           f"{len(ids)} rows selected"])
    scale = dict(colorscale="RdBu_r", zmid=0, zmin=-limit, zmax=limit)
    figure.add_trace(go.Heatmap(z=shown, x=np.arange(0, weight.shape[1], column_step),
                                y=np.arange(0, weight.shape[0], row_step), showscale=False,
                                hovertemplate="id %{y}, dim %{x}: %{z:.4f}<extra></extra>", **scale), 1, 1)
    for i, (row_id, label) in enumerate(zip(ids, labels)):
        colour = ROW_COLOURS[i % len(ROW_COLOURS)]
        figure.add_trace(go.Scatter(x=[0, weight.shape[1] - 1], y=[row_id, row_id], mode="lines",
                                    line=dict(color=colour, width=3), showlegend=False,
                                    hovertemplate=f"{label}: id {row_id}<extra></extra>"), 1, 1)
    figure.add_trace(go.Heatmap(z=selected, y=names, showscale=False,
                                hovertemplate="%{y}, dim %{x}: %{z:.4f}<extra></extra>", **scale), 2, 1)
    figure.update_yaxes(autorange="reversed")
    figure.update_yaxes(side="right", row=2, col=1)          # token labels outside, not over the table
    figure.update_yaxes(title="token id", row=1, col=1)
    figure.update_xaxes(title="dimension", row=2, col=1)
    figure.update_layout(height=whole + rows_px + 90 + 90, margin=MARGIN, font=FONT)
    return figure


def cost_bars(index_seconds: float, one_hot_seconds: float) -> go.Figure:
    """Two horizontal bars: time of the lookup and of one-hot · W (log scale)."""
    # two short lines per name: long one-line names left a phone's bars 20 px wide
    names = ["index<br>d reads per token", "one-hot · W<br>V·d multiply-adds"]
    seconds = [index_seconds, one_hot_seconds]
    figure = go.Figure(go.Bar(x=seconds, y=names, orientation="h", marker_color=["#54a24b", "#e45756"],
                              text=[f"{s * 1e3:.3g} ms" for s in seconds], textposition="auto",   # inside a long bar
                              hovertemplate="%{y}: %{x:.3g} s<extra></extra>", cliponaxis=False))
    figure.update_layout(title="Time on the real table (best of 5)", xaxis_title="seconds (log)",
                         xaxis_type="log", height=260, margin=MARGIN, font=FONT)
    figure.update_xaxes(range=[math.log10(min(seconds)) - 0.5, math.log10(max(seconds)) + 1])
    return figure


def representation_parts(parts: dict[str, np.ndarray], labels: Sequence[str]) -> go.Figure:
    """One heatmap per part (each (T, d)), stacked, on one colour scale per figure."""
    names = list(parts)
    figure = make_subplots(rows=len(names), cols=1, subplot_titles=names, vertical_spacing=0.05,
                           shared_xaxes=True)
    for i, name in enumerate(names):
        limit = _limit(parts[name])
        figure.add_trace(go.Heatmap(z=parts[name], y=plot_texts(labels), colorscale="RdBu_r", zmid=0,
                                    zmin=-limit, zmax=limit, showscale=False,
                                    hovertemplate=f"{name}<br>%{{y}}, dim %{{x}}: %{{z:.4f}}<extra></extra>"),
                         i + 1, 1)
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(title="dimension", row=len(names), col=1)
    figure.update_layout(height=len(names) * (60 + 18 * len(labels)), margin=MARGIN, font=FONT)
    return figure


def norm_bars(norms: dict[str, np.ndarray], labels: Sequence[str], title: str) -> go.Figure:
    """Grouped bars: the norm of each token's row in each part."""
    figure = go.Figure([go.Bar(name=name, x=plot_texts(labels), y=np.asarray(values),
                               hovertemplate=f"{name}<br>%{{x}}: %{{y:.3f}}<extra></extra>")
                        for name, values in norms.items()])
    figure.update_layout(title=title, yaxis_title="‖row‖", barmode="group", height=380, margin=MARGIN,
                         font=FONT, legend=dict(orientation="h", y=-0.25))
    return figure


def gradient_rows(values: np.ndarray, labels: Sequence[str], title: str) -> go.Figure:
    """The non-zero rows of W.grad (U, d), one per distinct id."""
    limit = _limit(values)
    figure = go.Figure(go.Heatmap(z=values, y=plot_texts(labels), colorscale="RdBu_r", zmid=0, zmin=-limit,
                                  zmax=limit, colorbar=dict(thickness=12),
                                  hovertemplate="%{y}, dim %{x}: %{z:.4f}<extra></extra>"))
    figure.update_yaxes(autorange="reversed")
    figure.update_layout(title=title, xaxis_title="dimension", height=max(360, 90 + 26 * len(labels)),
                         margin=MARGIN, font=FONT)
    return figure


def byte_bars(sizes: dict[str, int], title: str) -> go.Figure:
    """Horizontal bars of sizes in bytes (log scale), labelled in KiB/MiB/GiB."""
    figure = go.Figure(go.Bar(x=list(sizes.values()), y=list(sizes), orientation="h",
                              marker_color=ROW_COLOURS[: len(sizes)], text=[human_bytes(b) for b in sizes.values()],
                              textposition="auto", cliponaxis=False,   # inside a long bar, not off the figure
                              hovertemplate="%{y}: %{x:,} bytes<extra></extra>"))
    figure.update_layout(title=title, xaxis_type="log", xaxis_title="bytes (log)", height=120 + 45 * len(sizes),
                         margin=MARGIN, font=FONT, xaxis_exponentformat="power")   # 10⁶, never a decimal "M"
    figure.update_xaxes(range=[math.log10(max(min(sizes.values()), 1)) - 0.5, math.log10(max(sizes.values())) + 1])
    return figure


def distance_bars(labels: Sequence[str], distances: np.ndarray, title: str, highlight: int | None = None) -> go.Figure:
    """How far each row moved, one horizontal bar per row (names one under another: side by
    side, a batch's tokens lay on each other when presenting); the bar at index `highlight`
    in red, with its value."""
    colours = ["#e45756" if i == highlight else "#4c78a8" for i in range(len(labels))]
    distances = np.asarray(distances)
    figure = go.Figure(go.Bar(x=distances, y=plot_texts(labels), orientation="h", marker_color=colours,
                              textposition="outside", cliponaxis=False,
                              text=[f"{d:.2g}" if i == highlight else "" for i, d in enumerate(distances)],
                              textfont=dict(color="#e45756", size=18),
                              hovertemplate="%{y}: moved %{x:.4f}<extra></extra>"))
    figure.update_layout(title=title, xaxis_title="‖W_after − W_before‖", height=140 + 26 * len(labels),
                         margin=MARGIN, font=FONT)
    figure.update_yaxes(autorange="reversed", type="category")
    return figure


def optimiser_bars(runs, labels: dict[str, str]) -> go.Figure:
    """Rows changed per step, one group per optimiser (top), and of those the rows the step's
    batch never read (bottom). runs: OptimiserRun list. Each group carries one label, its
    range over the steps ("34–102", "30,522 every step", "none"): a number over each of up to
    ten bars ran into its neighbours ("65" "65" read "6565"); hover gives each bar's."""
    figure = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.14,
                           subplot_titles=["Rows changed at each step",
                                           "… of those, rows the batch never read"])
    names = [labels[run.name].replace(", ", ",<br>").replace(" (", "<br>(") for run in runs]
    for step in range(len(runs[0].changed)):
        colour = ROW_COLOURS[step % len(ROW_COLOURS)]
        for row, field in ((1, "changed"), (2, "changed_absent")):
            counts = [getattr(run, field)[step] for run in runs]
            figure.add_trace(go.Bar(x=names, y=[c if c else None for c in counts], name=f"step {step + 1}",
                                    marker_color=colour, showlegend=row == 1, legendgroup=str(step),
                                    customdata=counts,
                                    hovertemplate=f"step {step + 1}, %{{x}}: %{{customdata:,}} rows<extra></extra>"),
                             row, 1)
    for row, field in ((1, "changed"), (2, "changed_absent")):
        counts = [getattr(run, field) for run in runs]
        low = math.log10(min((c for steps in counts for c in steps if c), default=1)) - 0.3
        high = math.log10(max(max(max(c) for c in counts), 1)) + 1.3      # room for a label on two lines
        for i, (name, steps) in enumerate(zip(names, counts)):
            text = _step_range(steps)    # every other one-line label a line up: neighbours never touch
            figure.add_annotation(x=name, y=math.log10(max(steps)) if max(steps) else low,
                                  yshift=4 + 26 * (i % 2 and "<br>" not in text), yanchor="bottom",
                                  showarrow=False, text=text, row=row, col=1)
        figure.update_yaxes(range=[low, high], row=row, col=1)
    figure.update_yaxes(type="log", title="rows (log)", dtick=1)
    figure.update_layout(barmode="group", height=680, margin=MARGIN, font=FONT,
                         legend=dict(orientation="h", y=-0.14))
    return figure


def _step_range(counts: Sequence[int]) -> str:
    """An optimiser's counts over the steps in a few characters: "none", "30,522<br>every
    step", "16–43" or "30,479–<br>30,506"."""
    low, high = min(counts), max(counts)
    if high == 0:
        return "none"
    if low == high:
        return f"{high:,}<br>every step"
    return f"{low:,}–{high:,}" if high < 1_000 else f"{low:,}–<br>{high:,}"   # wide numbers: two lines


def zipf_curve(ranked: np.ndarray, marks: dict[str, tuple[int, int]], never_share: float) -> go.Figure:
    """Updates per row against the row's rank (log-log); marks: label -> (rank, updates),
    each named beside its point where the name fits inside the plot."""
    ranked = np.asarray(ranked)
    updated = int((ranked > 0).sum())
    view = ((-0.15, math.log10(max(updated, 1)) + 0.3), (-0.2, math.log10(max(int(ranked.max()), 1)) + 0.45))
    points = np.log10(np.array([[max(rank, 1), max(count, 1)] for rank, count in marks.values()], dtype=float)
                      .reshape(-1, 2))
    texts, positions = scatter_labels(points, plot_texts(marks), FONT["size"], view, *ZIPF_PLOT_PX)
    figure = go.Figure(go.Scattergl(x=np.arange(1, updated + 1), y=ranked[:updated], mode="lines",
                                    name="rows, most updated first", line=dict(width=3),
                                    hovertemplate="rank %{x:,}: %{y:,} updates<extra></extra>"))
    figure.add_trace(go.Scatter(x=[rank for rank, _ in marks.values()], y=[count for _, count in marks.values()],
                                mode="markers+text", text=texts, textposition=positions, customdata=plot_texts(marks),
                                marker=dict(size=12, color="#e45756"), name="chosen tokens",
                                hovertemplate="%{customdata}: rank %{x:,}, %{y:,} updates<extra></extra>"))
    figure.update_layout(title=f"Updates per row in one epoch; {never_share:.0%} of the rows get none",
                         xaxis=dict(type="log", dtick=1, range=list(view[0])),
                         yaxis=dict(type="log", dtick=1, range=list(view[1])), xaxis_title="row rank by updates (log)",
                         yaxis_title="updates (log)", height=460, margin=MARGIN, font=FONT,
                         legend=dict(orientation="h", y=-0.2))
    return figure


def memory_bars(cost, recipes: dict[str, object]) -> go.Figure:
    """Stacked bars per training recipe (name -> TrainingRecipe) of what training the table
    (an EmbeddingCost) with Adam keeps: weights, gradient, fp32 master weights, Adam's m and v."""
    parts = {name: [cost.training_parts(recipe)[name] for recipe in recipes]
             for name in next(iter(recipes.values())).parts()}
    unit, scale = binary_unit(max(cost.training_bytes(recipe) for recipe in recipes))
    figure = go.Figure([go.Bar(name=name, x=list(recipes), y=[size / scale for size in sizes], marker_color=colour,
                               text=[human_bytes(size) if size else "" for size in sizes],
                               hovertemplate=f"{name}, %{{x}}: %{{text}}<extra></extra>")
                        for (name, sizes), colour in zip(parts.items(), ROW_COLOURS)])
    figure.update_layout(title="Memory to train the table with Adam", barmode="stack",
                         yaxis_title=unit, height=440, margin=MARGIN, font=FONT,
                         legend=dict(orientation="h", y=-0.2),
                         uniformtext=dict(minsize=14, mode="hide"))    # no label shrunk to fit a thin bar
    return figure


def share_bars(names: Sequence[str], embedding: Sequence[int], rest: Sequence[int | None]) -> go.Figure:
    """Per model: parameters in the token table(s) and in the rest, as shares of the whole.
    Each model's name stands above its bar, not beside it: beside, the names took a phone's
    whole width and pushed the shares off the figure."""
    shares = [e / (e + r) if r is not None else None for e, r in zip(embedding, rest)]
    texts = [f"{s:.1%} of {(e + r) / 1e9:,.3g}B" if s is not None else "whole model unknown"
             for s, e, r in zip(shares, embedding, rest)]
    figure = go.Figure(go.Bar(x=[s if s is not None else 0 for s in shares], y=list(names), orientation="h",
                              marker_color="#4c78a8", text=texts, cliponaxis=False,
                              textposition=["inside" if s and s > 0.6 else "outside" for s in shares],
                              hovertemplate="%{y}: %{text}<extra></extra>"))
    for name in names:
        figure.add_annotation(x=0, y=name, xanchor="left", yanchor="bottom", yshift=SHARE_ROW_PX * 0.22,
                              text=name, showarrow=False, font=FONT)
    figure.update_layout(title="Share of the model's parameters in its token table(s)", xaxis_tickformat=".0%",
                         xaxis_range=[0, 1], height=140 + SHARE_ROW_PX * len(names), margin=MARGIN, font=FONT,
                         bargap=0.55)
    figure.update_yaxes(autorange="reversed", showticklabels=False)
    return figure


def dimension_rules(rules: dict[str, Callable[[float], float]], models: dict[str, tuple[int, int]]) -> go.Figure:
    """d suggested by each rule against V (log-log), with the d real models chose: each model
    its own symbol, named in the legend (GPT-2 small and BERT-base sit almost on one point,
    where names beside the points would lie on each other)."""
    vocab = np.unique(np.logspace(1, 7.3, 200).round())
    figure = go.Figure([go.Scatter(x=vocab, y=[rule(v) for v in vocab], mode="lines", name=name,
                                   line=dict(width=3, dash=["solid", "dash", "dot", "dashdot"][i % 4]),
                                   hovertemplate=f"{name}<br>V = %{{x:,}}: d = %{{y:.0f}}<extra></extra>")
                        for i, (name, rule) in enumerate(rules.items())])
    for i, (name, (v, d)) in enumerate(models.items()):
        figure.add_trace(go.Scatter(x=[v], y=[d], mode="markers", name=plot_text(name),
                                    marker=dict(size=13, color=MODEL_MARKS[i % len(MODEL_MARKS)][0],
                                                symbol=MODEL_MARKS[i % len(MODEL_MARKS)][1],
                                                line=dict(width=1, color="white")),
                                    hovertemplate=f"{plot_text(name)}: V = %{{x:,}}, d = %{{y:,}}<extra></extra>"))
    figure.update_layout(title="Rules of thumb for d against the d real models chose", xaxis_type="log",
                         yaxis_type="log", xaxis_title="V (categories, log)", yaxis_title="d (log)", height=680,
                         margin=MARGIN, font=FONT, legend=dict(orientation="h", y=-0.2))
    return figure


def init_comparison(stats: Sequence, bins: np.ndarray) -> go.Figure:
    """Top: row norms per table (box, log scale), each named beside its box in short lines.
    Below: density of pair cosines per table. stats: TableStats."""
    figure = make_subplots(rows=2, cols=1, row_heights=[0.5, 0.5], vertical_spacing=0.16,
                           subplot_titles=["Row norms (log)", "Cosine between random pairs of rows"])
    centres, width = (bins[:-1] + bins[1:]) / 2, bins[1] - bins[0]
    for i, table in enumerate(stats):
        colour = ROW_COLOURS[i % len(ROW_COLOURS)]
        label = f"{table.name} (d = {table.dim})"
        # beside its box in lines of 18 characters (d is in the legend): one line, or a name
        # above its box, left a phone's boxes under the names
        figure.add_trace(go.Box(x=table.norms, name="<br>".join(textwrap.wrap(table.name, 18)), marker_color=colour,
                                showlegend=False, boxpoints=False, orientation="h"), 1, 1)
        density = table.cosine_counts / max(table.cosine_counts.sum(), 1) / width
        figure.add_trace(go.Scatter(x=centres, y=density, mode="lines", name=label, line=dict(color=colour, width=3),
                                    hovertemplate=f"{label}<br>cosine %{{x:.2f}}: density %{{y:.2f}}<extra></extra>"),
                         2, 1)
    figure.update_xaxes(type="log", title="‖row‖", row=1, col=1)
    figure.update_xaxes(title="cosine", range=[-0.6, 0.8], row=2, col=1)
    figure.update_yaxes(autorange="reversed", row=1, col=1)
    figure.update_yaxes(title="density", row=2, col=1)
    figure.update_layout(height=1000, margin=MARGIN, font=FONT, legend=dict(orientation="h", y=-0.2))
    return figure


def scale_norms(groups: dict[str, np.ndarray], title: str) -> go.Figure:
    """Norm distributions as horizontal boxes, one per group."""
    figure = go.Figure([go.Box(x=np.asarray(norms), name=name, boxpoints=False, orientation="h",
                               marker_color=ROW_COLOURS[i % len(ROW_COLOURS)])
                        for i, (name, norms) in enumerate(groups.items())])
    figure.update_layout(title=title, xaxis_title="‖row‖", showlegend=False, height=360, margin=MARGIN, font=FONT)
    figure.update_yaxes(autorange="reversed")
    return figure


def classifier_results(runs: Sequence, labels: dict[str, str]) -> go.Figure:
    """Left: train and held-out accuracy per way of training. Right: training loss per epoch.
    runs: ClassifierRun."""
    figure = make_subplots(rows=1, cols=2, horizontal_spacing=0.12,
                           subplot_titles=["Accuracy", "Training loss (log)"])
    names = [labels[run.mode].replace(", ", ",<br>") for run in runs]
    for field, name, colour in (("train_accuracy", "training sentences", "#9ecae9"),
                                ("test_accuracy", "held-out sentences", "#4c78a8")):
        values = [getattr(run, field) for run in runs]
        figure.add_trace(go.Bar(x=names, y=values, name=name, marker_color=colour, text=[f"{v:.0%}" for v in values],
                                textposition="outside", hovertemplate=f"{name}, %{{x}}: %{{y:.1%}}<extra></extra>"),
                         1, 1)
    for i, run in enumerate(runs):
        figure.add_trace(go.Scatter(x=np.arange(1, len(run.losses) + 1), y=run.losses, mode="lines",
                                    name=labels[run.mode], line=dict(width=3, color=ROW_COLOURS[i + 2]),
                                    hovertemplate=f"{labels[run.mode]}, epoch %{{x}}: %{{y:.4f}}<extra></extra>"),
                         1, 2)
    figure.add_hline(y=0.5, line_dash="dot", line_color="grey", row=1, col=1)
    figure.update_yaxes(range=[0, 1.12], tickformat=".0%", row=1, col=1)
    figure.update_yaxes(type="log", row=1, col=2)
    figure.update_xaxes(title="epoch", row=1, col=2)
    figure.update_layout(barmode="group", bargroupgap=0.15, height=440, margin=MARGIN, font=FONT,  # "75%" "74%" apart
                         legend=dict(orientation="h", y=-0.2),
                         uniformtext=dict(minsize=14, mode="hide"))   # a narrow bar's label hidden, not shrunk
    return figure


def moved_words(words: Sequence[str], distances: np.ndarray, title: str, top: int = 20) -> go.Figure:
    """The `top` rows that moved farthest, as horizontal bars."""
    order = np.argsort(-np.asarray(distances))[:top]
    figure = go.Figure(go.Bar(x=np.asarray(distances)[order], y=[words[i] for i in order], orientation="h",
                              marker_color="#e45756", hovertemplate="%{y}: moved %{x:.4f}<extra></extra>"))
    figure.update_layout(title=title, xaxis_title="‖row_after − row_before‖", height=120 + 24 * len(order),
                         margin=MARGIN, font=FONT)
    figure.update_yaxes(autorange="reversed")
    return figure
