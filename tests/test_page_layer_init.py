"""The Initialisation and scale page in AppTest: defaults, sample size, d."""
import pytest

from tests.apptest import run_page
from ui.notice import page_notices


@pytest.fixture(scope="module")
def page():
    return run_page("views/layer_init.py")


def metric(at, label_part: str) -> str:
    return next(m.value for m in at.metric if label_part in m.label)


def test_defaults(page):
    assert [t.label for t in page.tabs] == ["Init schemes", "Scaling by √d"]
    assert not page.error
    names = list(page.dataframe[0].value["name"])
    assert names[-2:] == ["MiniLM, trained", "GloVe 6B, trained"] and len(names) == 6
    assert metric(page, "unscaled") == "100%" and metric(page, "with tokens × √d") == "33%"
    fresh, scale = page_notices(page.session_state)
    assert fresh.startswith("Fresh rows are ") and "; the trained rows' mean cosine: MiniLM +" in fresh
    assert scale.startswith("At d = 512 ") and ", 33%. MiniLM's learned positions are " in scale


def test_dimension_and_sample(page):
    page.select_slider(key="scale_dim").set_value(64).run()
    assert metric(page, "unscaled") == "97%"
    page.select_slider(key="init_sample").set_value(500).run()
    assert not page.exception and not page.error
