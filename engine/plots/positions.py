"""Figures for the Positions page: data in (NumPy arrays or CPU tensors), go.Figure out.

Big matrices are shown with a stride (every k-th row / column, labelled by their real
index) so that a 4,096 × 512 table draws as fast as a small one; the title says so.
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

MAX_ROWS = MAX_COLUMNS = 512
MARGIN = dict(l=10, r=10, t=50, b=10)


def _strided(matrix, max_rows: int, max_columns: int):
    """(matrix[::r, ::c], row indices, column indices, note) with at most max_rows × max_columns."""
    matrix = np.asarray(matrix)
    r = math.ceil(matrix.shape[0] / max_rows)
    c = math.ceil(matrix.shape[1] / max_columns)
    parts = [f"1 {name} in {step}" for name, step in (("row", r), ("column", c)) if step > 1]
    note = f" (showing {' and '.join(parts)})" if parts else ""
    return matrix[::r, ::c].astype(np.float32), np.arange(0, matrix.shape[0], r), np.arange(0, matrix.shape[1], c), note


def heatmap(matrix, title: str, x_title: str, y_title: str, height: int = 420,
            max_rows: int = MAX_ROWS, max_columns: int = MAX_COLUMNS) -> go.Figure:
    """A (rows, columns) matrix, red positive, blue negative; -inf (masked) cells left blank.
    The colour scale ends at the 99.5th percentile of |value| so that a few large entries do
    not wash out the rest (hover shows every true value)."""
    shown, rows, columns, note = _strided(matrix, max_rows, max_columns)
    shown = np.where(np.isfinite(shown), shown, np.nan)
    limit = float(np.nanpercentile(np.abs(shown), 99.5)) or 1.0
    figure = go.Figure(go.Heatmap(
        z=shown, x=columns, y=rows, colorscale="RdBu_r", zmid=0, zmin=-limit, zmax=limit,
        hovertemplate=f"{y_title} %{{y}}, {x_title} %{{x}}: %{{z:.4f}}<extra></extra>"))
    figure.update_layout(title=title + note, xaxis_title=x_title, yaxis_title=y_title,
                         height=height, margin=MARGIN)
    figure.update_yaxes(autorange="reversed")
    return figure


def heatmaps_side_by_side(matrices: dict[str, np.ndarray], axis_title: str, title: str,
                          labels: Sequence[str] | None = None, rows: int = 1, height: int = 420,
                          max_side: int = 512) -> go.Figure:
    """Square matrices on one colour scale, `rows` rows of subplots, titled by the dict keys.
    labels: names of the rows/columns (e.g. tokens, numbered so repeats stay apart), else indices."""
    names = list(matrices)
    columns = math.ceil(len(names) / rows)
    # one set of tick labels per row and column (the matrices share them): a row's own x labels
    # lay on the subplot titles of the row below; those titles take two lines on a phone or
    # presenting at 800 px, which a tenth of the height left touching the row above
    figure = make_subplots(rows=rows, cols=columns, subplot_titles=names, shared_xaxes=True, shared_yaxes=True,
                           horizontal_spacing=0.04, vertical_spacing=0.14)
    shown = {name: _strided(m, max_side, max_side) for name, m in matrices.items()}
    limit = max(float(np.abs(s[0]).max()) for s in shown.values()) or 1.0
    note = next(iter(shown.values()))[3]         # the matrices are square and share one size
    for i, (name, (z, index, _, _)) in enumerate(shown.items()):
        ticks = [f"{j} {label}" for j, label in enumerate(labels)] if labels is not None else index
        figure.add_trace(go.Heatmap(
            z=z, x=ticks, y=ticks, colorscale="RdBu_r", zmid=0, zmin=-limit, zmax=limit,
            showscale=i == 0, hovertemplate=f"{axis_title} %{{y}} · %{{x}}: %{{z:.3f}}<extra>{name}</extra>"),
            row=i // columns + 1, col=i % columns + 1)
    figure.update_yaxes(autorange="reversed")
    figure.update_layout(title=title + note, height=height, margin=MARGIN)
    return figure


def lines(series: dict[str, tuple[np.ndarray, np.ndarray]], title: str, x_title: str, y_title: str,
          log_x: bool = False, log_y: bool = False, height: int = 400,
          marks: dict[str, float] | None = None) -> go.Figure:
    """One line per name: series[name] = (x, y). marks: horizontal reference lines by label."""
    dashes = ["solid", "dash", "dot", "dashdot"]
    figure = go.Figure()
    for i, (name, (x, y)) in enumerate(series.items()):
        figure.add_trace(go.Scatter(x=np.asarray(x), y=np.asarray(y, dtype=np.float64), name=name,
                                    mode="lines", line=dict(dash=dashes[i % len(dashes)], width=2),
                                    hovertemplate=f"{x_title} %{{x}}: %{{y:.4g}}<extra>{name}</extra>"))
    x_all = np.concatenate([np.asarray(x, dtype=np.float64) for x, _ in series.values()])
    for (label, value), dash in zip((marks or {}).items(), ["dot", "dashdot", "longdash"]):
        figure.add_trace(go.Scatter(x=[x_all.min(), x_all.max()], y=[value, value], name=label, mode="lines",
                                    line=dict(dash=dash, color="grey", width=1.5), hoverinfo="name"))
    figure.update_layout(title=title, xaxis_title=x_title, yaxis_title=y_title, height=height,
                         margin=MARGIN, legend=dict(orientation="h", y=-0.2))
    if log_x:
        figure.update_xaxes(type="log")
    if log_y:
        figure.update_yaxes(type="log")
    return figure


def wavelength_lines(wavelengths: dict[str, np.ndarray], title: str,
                     marks: dict[str, float] | None = None) -> go.Figure:
    """Wavelength (positions per turn) of each pair, log scale, one line per rule."""
    series = {name: (np.arange(len(w)), w) for name, w in wavelengths.items()}
    return lines(series, title, "pair i (dimensions 2i, 2i+1)", "wavelength (positions)", log_y=True,
                 marks=marks)


def rotation_plane(query_path: np.ndarray, key_point: np.ndarray, query_positions: Sequence[int],
                   key_position: int, pair: int, theta: float) -> go.Figure:
    """One pair's 2-D plane: the query's pair at each position (a circle, θ per step) and the key's."""
    query_path, key_point = np.asarray(query_path), np.asarray(key_point)
    radius = float(max(np.linalg.norm(query_path[0]), np.linalg.norm(key_point), 1e-9)) * 1.15
    figure = go.Figure([
        go.Scatter(x=query_path[:, 0], y=query_path[:, 1], mode="lines+markers", name="query at m",
                   text=[f"m = {m}" for m in query_positions], line=dict(color="lightgrey"),
                   marker=dict(size=8, color=list(query_positions), colorscale="Viridis", showscale=True,
                               colorbar=dict(title="m", thickness=12)),
                   hovertemplate="query at %{text}: (%{x:.3f}, %{y:.3f})<extra></extra>"),
        go.Scatter(x=[0, key_point[0]], y=[0, key_point[1]], mode="lines+markers", name=f"key at n = {key_position}",
                   marker=dict(size=[0, 11], symbol="diamond"),
                   hovertemplate=f"key at n = {key_position}: (%{{x:.3f}}, %{{y:.3f}})<extra></extra>"),
    ])
    figure.update_layout(title=f"Pair {pair}: θ = {theta:.4g} rad per position", height=440, margin=MARGIN,
                         legend=dict(orientation="h", y=-0.2))
    figure.update_xaxes(range=[-radius, radius], zeroline=True, title=f"dimension {2 * pair}")
    figure.update_yaxes(range=[-radius, radius], zeroline=True, scaleanchor="x", title=f"dimension {2 * pair + 1}")
    return figure


def slope_bars(slopes: np.ndarray) -> go.Figure:
    """ALiBi slope per head."""
    slopes = np.asarray(slopes)
    figure = go.Figure(go.Bar(x=np.arange(len(slopes)), y=slopes, marker_color="#4c78a8",
                              hovertemplate="head %{x}: slope %{y:.5g}<extra></extra>"))
    figure.update_layout(title="Slope per head (log scale)", xaxis_title="head", yaxis_title="slope m",
                         yaxis_type="log", height=420, margin=MARGIN)
    figure.update_xaxes(dtick=1 if len(slopes) <= 16 else None)   # one label per head while they fit
    return figure


def order_heatmaps(blind) -> go.Figure:
    """2 × 3: sentence A, B (in A's token order) and B − A, without and with positions.
    blind: OrderBlindness."""
    return heatmaps_side_by_side(
        {"A, no positions": blind.plain_a, "B, no positions": blind.plain_b,
         "B − A, no positions": blind.plain_b - blind.plain_a,
         "A, with positions": blind.positioned_a, "B, with positions": blind.positioned_b,
         "B − A, with positions": blind.positioned_b - blind.positioned_a},
        "token", f"Head {blind.head}: scores q·k/√d before softmax", blind.tokens_a, rows=2, height=640)


def relative_score_lines(scores) -> go.Figure:
    """q at m · k at n against m − n, one line per key position n. scores: RelativeScores."""
    return lines({f"key at n = {n}": (scores.offsets, row) for n, row in zip(scores.key_positions, scores.scores)},
                 "q rotated to m · k rotated to n: one curve for every n", "offset m − n", "score")


def scaling_wavelengths(scaled, label: str) -> go.Figure:
    """Wavelength per pair before and after a scaling rule. scaled: RopeFrequencies."""
    from engine.positions import wavelengths

    title = f"Wavelength per pair, d = {2 * len(scaled.inv_freq)}"
    if scaled.attention_factor != 1.0:
        title += f"<br>attention factor {scaled.attention_factor:.4f}"
    context = scaled.original_max_positions
    return wavelength_lines({"unscaled": wavelengths(scaled.unscaled), label: wavelengths(scaled.inv_freq)},
                            title, marks={f"L₀ = {context:,}": context,
                                          f"s·L₀ = {scaled.factor * context:,.0f}": scaled.factor * context})


def anchored_dots(dots: np.ndarray, anchors: Sequence[int]) -> go.Figure:
    """PE(p) · PE(j) against j − p, one line per anchor p. dots: (A, P) rows of dot_with_all."""
    dots = np.asarray(dots)
    return lines({f"position {p}": (np.arange(dots.shape[1]) - p, row) for p, row in zip(anchors, dots)},
                 "Dot product of one position with all others: the curves coincide, only the offset "
                 "matters", "offset j − p", "PE(p) · PE(j)")


def decay_line(bound: np.ndarray) -> go.Figure:
    """The RoPE paper's decay bound (rope_decay_bound, distances 0…D) on a log distance axis."""
    bound = np.asarray(bound)
    return lines({"bound": (np.arange(1, len(bound)), bound[1:])},
                 "Long-term decay: the paper's bound on |score| (its figure 2)", "distance m − n",
                 "bound", log_x=True)


def alibi_heatmap(bias: np.ndarray, head: int, slope: float) -> go.Figure:
    """One head's (L, L) ALiBi bias: every bias is ≤ 0, so one blue scale from dark (most
    negative) to white (0, the diagonal); future keys (−inf, masked) grey, not white."""
    shown, rows, columns, note = _strided(bias, MAX_ROWS, MAX_COLUMNS)
    shown = np.where(np.isfinite(shown), shown, np.nan)
    low = float(np.nanmin(shown)) if np.isfinite(shown).any() else -1.0
    masked = np.where(np.isnan(shown), 1.0, np.nan)
    figure = go.Figure([
        go.Heatmap(z=shown, x=columns, y=rows, colorscale=[[0, "#08306b"], [0.5, "#6baed6"], [1, "#ffffff"]],
                   zmin=min(low, -1e-9), zmax=0, colorbar=dict(title=dict(text="bias")),
                   hovertemplate="query %{y}, key %{x}: %{z:.4f}<extra></extra>"),
        go.Heatmap(z=masked, x=columns, y=rows, colorscale=[[0, "#9e9e9e"], [1, "#9e9e9e"]],
                   showscale=False, hovertemplate="query %{y}, key %{x}: masked (−∞)<extra></extra>")])
    figure.update_layout(title=f"Bias added by head {head} (slope {slope:.4g}); grey: masked future keys"
                         + note, xaxis_title="key j", yaxis_title="query i", height=420, margin=MARGIN)
    figure.update_xaxes(showgrid=False, zeroline=False)
    figure.update_yaxes(autorange="reversed", showgrid=False, zeroline=False)
    return figure
