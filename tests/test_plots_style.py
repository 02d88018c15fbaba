"""The shared Plotly template and the figures the projector showed wrong: dark text of at
least 14 px, log axes labelled at powers of ten only, ALiBi biases on a scale that matches
their sign with masked keys apart from 0, section names that do not collide, figures whose
HTML download carries plotly.js."""
import re

import numpy as np
import plotly.graph_objects as go

from engine import positions as pos
from engine.plots import style
from engine.plots.explore import section_bars
from engine.plots.positions import alibi_heatmap, slope_bars
from ui import presentation  # noqa: F401  (as in the app: streamlit's Plotly theme, then the lab's)


def _dark(colour: str) -> bool:
    return sum(int(colour[i:i + 2], 16) for i in (1, 3, 5)) < 3 * 80


def test_every_figure_gets_the_readable_template():
    layout = go.Figure().layout.template.layout
    assert layout.font.size >= 14 and _dark(layout.font.color)
    for axis in (layout.xaxis, layout.yaxis):
        assert axis.tickfont.size >= 14 and _dark(axis.tickfont.color)
        assert axis.minorloglabels == "none"
    assert layout.legend.font.size >= 14 and layout.hoverlabel.font.size >= 14
    heatmap = go.Figure(go.Heatmap(z=[[1]])).layout.template.data.heatmap[0]
    assert heatmap.colorbar.tickfont.size >= 14


def test_presentation_enlarges_every_font():
    figure = style.presented(go.Figure(go.Scatter(x=[1], y=[1], mode="text", text=["a"],
                                                  textfont=dict(size=16)), layout=dict(height=400)))
    assert figure.layout.template.layout.font.size > style.BASE_PX
    assert figure.layout.height > 400 and figure.data[0].textfont.size > 16


def test_long_titles_break_into_lines_that_fit_a_phone():
    from plotly.subplots import make_subplots

    long = "“bank” in 40 sentences, layer 6 (PCA keeps 64% of the variance)"
    figure = make_subplots(rows=1, cols=2, subplot_titles=["B: MiniLM token table (PCA)", "A: GloVe"])
    figure.update_layout(title=long, margin=dict(t=60), xaxis_title="times a row is among the 10 nearest of others")
    style.fit_titles(figure)
    lines = figure.layout.title.text.split("<br>")
    assert " ".join(lines) == long and len(lines) == 2 and max(map(len, lines)) <= style.TITLE_CHARS
    assert figure.layout.margin.t > 60
    left, right = (note.text for note in figure.layout.annotations)
    assert max(map(len, left.split("<br>"))) <= style.SUBPLOT_TITLE_CHARS / 2 and right == "A: GloVe"
    assert max(map(len, figure.layout.xaxis.title.text.split("<br>"))) <= style.X_TITLE_CHARS / 2
    again = go.Figure(figure)
    style.fit_titles(again)            # a figure drawn twice keeps its lines and its margin
    assert again.layout.title.text == figure.layout.title.text and again.layout.margin.t == figure.layout.margin.t
    presenting = go.Figure(layout=dict(title=long))
    style.fit_titles(presenting, style.PRESENTATION_SCALE)
    assert max(map(len, presenting.layout.title.text.split("<br>"))) <= style.TITLE_CHARS / style.PRESENTATION_SCALE


def test_alibi_biases_are_one_sided_and_masked_keys_grey():
    slopes = pos.alibi_slopes(8)
    bias = np.asarray(pos.alibi_bias(slopes, 12)[2])
    figure = alibi_heatmap(bias, 2, float(slopes[2]))
    values, masked = figure.data
    assert values.zmax == 0 and values.zmin <= float(np.nanmin(np.where(np.isfinite(bias), bias, np.nan)))
    assert values.colorscale[-1][1].lower() == "#ffffff"       # 0 (the diagonal) is white
    mask = np.asarray(masked.z, dtype=float)
    assert np.array_equal(~np.isnan(mask), ~np.isfinite(bias))  # exactly the future keys
    assert masked.colorscale[0][1] != values.colorscale[-1][1]
    assert slope_bars(slopes).layout.xaxis.dtick == 1


def test_analogy_sections_are_horizontal_bars():
    names = ["capital-common-countries", "gram3-comparative"]
    figure = section_bars(names, [0.9, 0.5], [506, 1332])
    assert figure.data[0].orientation == "h" and list(figure.data[0].y) == names


def test_downloaded_html_needs_no_internet():
    from ui.downloads import figure_html

    html = figure_html(go.Figure(go.Bar(x=[1], y=[1])))
    assert not re.search(r"<script[^>]*\bsrc=", html)           # nothing loaded from elsewhere
    assert len(html) > 1_000_000 and "Plotly.newPlot" in html


def test_tables_for_people_have_worded_headers_and_no_none():
    import pandas as pd

    from ui.presentation import for_people

    shown = for_people(pd.DataFrame({"rare_neighbour_share": [0.5, None], "from_rank": [1, 2]}))
    assert list(shown.columns) == ["rare neighbour share", "from rank"]
    assert shown.iloc[1, 0] == "—" and shown.iloc[0, 0] == 0.5 and shown["from rank"].dtype.kind == "i"
