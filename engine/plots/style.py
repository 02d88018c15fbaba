"""One Plotly template for every figure, readable from the back of a lecture hall: dark text,
at least 14 px everywhere, and a larger variant for the app's presentation switch.

Importing any engine.plots module makes it the default template, so every figure a builder
returns carries it; `presented(figure)` enlarges a finished figure for a projector.
"""
from __future__ import annotations

import textwrap

import plotly.graph_objects as go
import plotly.io as pio

TEXT = "#1a1a1a"        # near-black: grey text washes out on a projector
GRID = "#dcdcdc"
BASE_PX = 16             # body text; ticks one smaller, titles larger, nothing under 14
TEMPLATE = "embedding_lab"
PRESENTATION_SCALE = 1.35
# Characters of a title line that fit a figure 368 px wide (a 400 px phone) at the title's
# 19 px; a subplot title at 16 px gets its share of the plot's width (the figure's less the y
# axis's labels, about 300 px). Plotly clips a longer line.
TITLE_CHARS = 38
SUBPLOT_TITLE_CHARS = 34
X_TITLE_CHARS = 36       # at 16 px, beside the y axis's tick labels
TITLE_LINE = 1.26       # a title line's height per px of its font (the last line's descent included)
TITLE_TOP, TITLE_GAP = 8, 10   # px above the title, and between it and the plot or subplot titles


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
    for note in figure.layout.annotations:      # subplot titles carry their own size
        if _is_subplot_title(note) and note.font.size:
            note.font.size = round(note.font.size * PRESENTATION_SCALE)
    return figure


def _wrapped(text: str, chars: int) -> str:
    """text in lines of at most `chars` characters (at least 12), broken between words."""
    lines = [piece for line in text.split("<br>") for piece in textwrap.wrap(line, max(chars, 12)) or [""]]
    return "<br>".join(lines)


def fit_titles(figure: go.Figure, scale: float = 1.0) -> go.Figure:
    """The figure with its title, subplot titles and x-axis titles broken into lines (<br>)
    short enough for a 400 px window at fonts `scale` times the template's, a top margin
    that holds every line of the title, and a horizontal legend under the plot moved to
    the figure's foot (see `_legend_at_foot`). Subplot titles are told apart from other notes
    as make_subplots draws them: centred above a subplot's x domain, in paper coordinates."""
    axes = [figure.layout[name] for name in figure.layout if name.startswith("xaxis")]
    domains = [axis.domain for axis in axes]
    for axis in axes:
        if axis.title.text:
            share = axis.domain[1] - axis.domain[0] if axis.domain else 1.0
            axis.title.text = _wrapped(axis.title.text, int(X_TITLE_CHARS * share / scale))
    top_notes = 0.0          # px the subplot titles of the top row take in the top margin
    for note in figure.layout.annotations:
        if _is_subplot_title(note):
            share = next((d[1] - d[0] for d in domains if d and abs((d[0] + d[1]) / 2 - note.x) < 1e-6), 1.0)
            note.text = _wrapped(note.text, int(SUBPLOT_TITLE_CHARS * share / scale))
            if note.y is not None and note.y >= 0.999:
                size = note.font.size or (BASE_PX - 1) * scale
                top_notes = max(top_notes, TITLE_LINE * size * (note.text.count("<br>") + 1))
    title = figure.layout.title.text
    if title:
        wrapped = _wrapped(title, int(TITLE_CHARS / scale))
        lines = wrapped.count("<br>") + 1
        size = (figure.layout.title.font.size or BASE_PX + 3) * scale
        top = figure.layout.margin.t if figure.layout.margin.t is not None else 100
        # The title hangs from the figure's top, its lines above the top row's subplot titles;
        # centred in the margin (Plotly's default) it was cut at the top or lay on the plot.
        # Plotly raises a title anchored at its top by a share of its size: 0.22 of it for one
        # line, 0.92 for more (measured in Chromium); the pad puts its first line TITLE_TOP px down.
        raised = (0.92 if lines > 1 else 0.22) * size
        needed = round(TITLE_TOP + TITLE_LINE * size * lines + TITLE_GAP + top_notes)
        figure.update_layout(title=dict(text=wrapped, yref="container", y=1, yanchor="top",
                                        pad=dict(t=round(TITLE_TOP + raised))),
                             margin_t=max(top, needed))
    _legend_at_foot(figure)
    return figure


def _is_subplot_title(note) -> bool:
    """Whether an annotation is a subplot title as make_subplots draws it: text above a
    subplot, in paper coordinates, without an arrow (a map's word labels are placed in data
    coordinates, for their own size)."""
    return bool(note.text) and note.yanchor == "bottom" and note.xref == "paper" and note.showarrow is False


def _legend_at_foot(figure: go.Figure) -> None:
    """A horizontal legend placed under the plot (y < 0, a share of the plot's height) sits at
    the foot of the whole figure instead, and the plot makes room for it: at a share of the
    plot's height it lay on the x axis's title whenever the ticks, the title or the legend
    grew (larger text, wrapped labels, a narrow window)."""
    legend = figure.layout.legend
    if legend.orientation == "h" and legend.y is not None and legend.y < 0:
        legend.update(yref="container", y=0, yanchor="bottom")


pio.templates[TEMPLATE] = template()
pio.templates.default = TEMPLATE
