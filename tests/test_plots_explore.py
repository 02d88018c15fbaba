"""The Explore page's HTML vector strip: colours against plotly's own RdBu scale, one cell
per number with its value, labels escaped."""
import re

import numpy as np
import plotly.colors

from engine.plots.explore import diverging_colours, tick_step, vector_strip_html


def hex_of(rgb: str) -> str:
    return "#{:02x}{:02x}{:02x}".format(*(round(c) for c in plotly.colors.unlabel_rgb(rgb)))


def test_colours_match_plotly_rdbu_reversed_at_its_stops():
    stops = plotly.colors.get_colorscale("RdBu_r")
    values = np.array([2 * position - 1 for position, _ in stops])    # -1 ... 1, on the stops
    assert diverging_colours(values, 1.0) == [hex_of(colour) for _, colour in stops]


def test_colours_are_symmetric_and_clipped():
    low, zero, high, beyond = diverging_colours(np.array([-0.5, 0.0, 0.5, 9.0]), 0.5)
    assert low == hex_of(plotly.colors.get_colorscale("RdBu_r")[0][1])      # darkest blue
    assert high == beyond == hex_of(plotly.colors.get_colorscale("RdBu_r")[-1][1])
    assert zero == "#f7f7f7"                                                 # RdBu's white middle


def test_strip_has_one_cell_per_number_with_its_value():
    vectors = np.array([[1.0, -0.25, 0.0], [0.5, 0.5, -1.0]], dtype=np.float32)
    strip = vector_strip_html(vectors, ["a", "b"])
    tooltips = re.findall(r'title="([^"]*)"', strip)
    assert tooltips == ["a[0] = 1.000", "a[1] = -0.250", "a[2] = 0.000",
                        "b[0] = 0.500", "b[1] = 0.500", "b[2] = -1.000"]
    cells = re.findall(r"background:(#[0-9a-f]{6})", strip)
    assert cells == diverging_colours(vectors, 1.0)


def test_strip_escapes_words_from_uploaded_tables():
    strip = vector_strip_html(np.ones((1, 2)), ['<img src=x onerror="alert(1)">'])
    assert "<img" not in strip
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in strip


def test_dimension_ticks_stay_few_and_round():
    assert [tick_step(d) for d in (3, 8, 9, 50, 384, 768, 4096)] == [1, 1, 2, 10, 50, 100, 1000]
    ticks = re.findall(r">(\d+)</span>", vector_strip_html(np.ones((1, 384)), ["a"]))
    assert ticks == ["0", "50", "100", "150", "200", "250", "300", "350"]
