"""One Plotly template for every figure, readable from the back of a lecture hall: dark text,
at least 14 px everywhere, and a larger variant for the app's presentation switch.

Importing any engine.plots module makes it the default template, so every figure a builder
returns carries it; `presented(figure)` enlarges a finished figure for a projector.
"""
from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

TEXT = "#1a1a1a"        # near-black: grey text washes out on a projector
GRID = "#dcdcdc"
BASE_PX = 16             # body text; ticks one smaller, titles larger, nothing under 14
TEMPLATE = "embedding_lab"
PRESENTATION_SCALE = 1.35


def _sizes(base: int) -> dict:
    tick, title = max(14, base - 1), base + 3
    axis = dict(color=TEXT, tickfont=dict(size=tick, color=TEXT), gridcolor=GRID,
                title=dict(font=dict(size=base, color=TEXT)), automargin=True,
                minorloglabels="none")      # log axes: label the powers of ten only
    flat = {k: v for k, v in axis.items() if k not in ("automargin", "minorloglabels")}
    return dict(font=dict(size=base, color=TEXT), title=dict(font=dict(size=title, color=TEXT)),
                xaxis=axis, yaxis=axis, legend=dict(font=dict(size=base, color=TEXT)),
                hoverlabel=dict(font=dict(size=base)), annotationdefaults=dict(font=dict(size=tick, color=TEXT)),
                coloraxis=dict(colorbar=dict(tickfont=dict(size=tick, color=TEXT),
                                             title=dict(font=dict(size=base, color=TEXT)))),
                scene={name: flat for name in ("xaxis", "yaxis", "zaxis")})


def template(base: int = BASE_PX) -> go.layout.Template:
    """plotly_white with the lab's dark, large text at body size `base` px."""
    lab = go.layout.Template(pio.templates["plotly_white"])
    lab.layout.update(_sizes(base))
    bar = dict(colorbar=dict(tickfont=dict(size=max(14, base - 1), color=TEXT),
                             title=dict(font=dict(size=base, color=TEXT))))
    for kind, make in (("heatmap", go.Heatmap), ("histogram2d", go.Histogram2d), ("contour", go.Contour),
                       ("surface", go.Surface)):
        setattr(lab.data, kind, [trace.update(bar) for trace in getattr(lab.data, kind) or [make()]])
    for kind, make in (("scatter", go.Scatter), ("scattergl", go.Scattergl), ("scatter3d", go.Scatter3d),
                       ("bar", go.Bar)):
        setattr(lab.data, kind, [trace.update(marker=bar) for trace in getattr(lab.data, kind) or [make()]])
    return lab


def presented(figure: go.Figure, on: bool = True) -> go.Figure:
    """The figure with every font scaled for a projector (when `on`), height scaled too."""
    if not on:
        return figure
    base = round(BASE_PX * PRESENTATION_SCALE)
    figure.update_layout(template=template(base))
    if figure.layout.height:
        figure.update_layout(height=round(figure.layout.height * 1.2))
    for trace in figure.data:
        font = getattr(trace, "textfont", None)
        if font is not None and font.size:
            trace.textfont.size = round(font.size * PRESENTATION_SCALE)
    return figure


pio.templates[TEMPLATE] = template()
pio.templates.default = TEMPLATE
