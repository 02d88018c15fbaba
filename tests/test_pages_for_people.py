"""Every page of the navigation at its defaults (AppTest): tables for people, with headers in
words ("rare neighbour share", not rare_neighbour_share) and no missing value shown as
"None" or "nan"; figures readable on a projector, drawn with the lab's template and no text
under 14 px.

Named to run after the test_page_* files: the pages' cached results are then warm."""
import json
import math
import re

import pytest

from engine.plots.style import TEXT
from tests.apptest import navigation, run_page

SNAKE = re.compile(r"[A-Za-z0-9]_[A-Za-z0-9]")
SCRIPTS = [script for script, _ in navigation()]


@pytest.fixture(scope="module", params=SCRIPTS, ids=lambda script: script.split("/")[-1][:-3])
def page(request):
    return run_page(request.param)


def missing_shown(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or \
        (isinstance(value, str) and value.strip().lower() in ("none", "nan"))


def test_tables_have_worded_headers_and_no_none(page):
    for kind in ("dataframe", "table"):
        for element in getattr(page, kind):
            frame = element.value
            headers = [str(name) for name in frame.columns] + [str(name) for name in frame.index.names
                                                                if name is not None]
            assert not [h for h in headers if SNAKE.search(h)], f"{kind} headers: {headers}"
            shown = [v for column in frame.columns for v in frame[column].tolist() if missing_shown(v)]
            assert not shown, f"{kind} ({', '.join(headers)}) shows missing values as {shown[:3]}"


def small_fonts(node, path="") -> list[str]:
    """Paths of every font in a figure's JSON (layout, template, traces) set under 14 px."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{path}.{key}"
            if key.endswith("font") and isinstance(value, dict) and isinstance(value.get("size"), (int, float)):
                if value["size"] < 14:
                    found.append(f"{here}.size = {value['size']}")
            found += small_fonts(value, here)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += small_fonts(value, f"{path}[{i}]")
    return found


def test_figures_use_the_readable_template_and_no_small_text(page):
    for element in page.get("plotly_chart"):
        figure = json.loads(element.proto.spec)
        layout = figure.get("layout", {})
        template_font = layout.get("template", {}).get("layout", {}).get("font", {})
        title = json.dumps(layout.get("title", {}).get("text", ""))[:60]
        assert template_font.get("size", 0) >= 14 and template_font.get("color") == TEXT, \
            f"figure {title} is not drawn with the lab's template"
        font = layout.get("font", {})
        assert font.get("size", 14) >= 14 and font.get("color", TEXT) == TEXT, f"figure {title}: font {font}"
        assert not small_fonts(figure), f"figure {title}: {small_fonts(figure)}"
