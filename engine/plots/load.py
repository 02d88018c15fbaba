"""Figures for the Load page: data in, go.Figure out."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from engine.plots.text import plot_text


def norm_histogram(norms: np.ndarray, name: str, bins: int = 60) -> go.Figure:
    """Histogram of row norms (V,), non-finite ones left out; the median marked."""
    finite = np.asarray(norms, dtype=np.float64)
    finite = finite[np.isfinite(finite)]
    counts, edges = np.histogram(finite, bins=bins)
    centres = (edges[:-1] + edges[1:]) / 2
    figure = go.Figure(go.Bar(x=centres, y=counts, width=edges[1] - edges[0], marker_color="#4c78a8",
                              customdata=np.stack([edges[:-1], edges[1:]], axis=1),
                              hovertemplate="norm %{customdata[0]:.3f}–%{customdata[1]:.3f}: "
                                            "%{y:,} rows<extra></extra>"))
    if finite.size:
        median = float(np.median(finite))
        figure.add_vline(x=median, line_dash="dash", line_color="#e45756",
                         annotation_text=f"median {median:.2f}")
    figure.update_layout(title=f"Row norms of {plot_text(name)}", xaxis_title="Euclidean norm of a row",
                         yaxis_title="rows", height=320, bargap=0, margin=dict(l=10, r=10, t=40, b=40))
    return figure
