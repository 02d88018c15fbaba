"""The Frozen or trainable page in AppTest: defaults, seed, which table's rows."""
import pytest

from tests.apptest import run_page


@pytest.fixture(scope="module")
def page():
    return run_page("views/layer_frozen.py")


def metric(at, label_part: str) -> str:
    return next(m.value for m in at.metric if label_part in m.label)


def test_defaults(page):
    assert not page.error
    assert metric(page, "all in the training sentences") == "yes"
    assert any(m.label == "rows that moved, of 1,598" and int(m.value.replace(",", "")) <= 1_598
               for m in page.metric)


def test_random_table_and_another_seed(page):
    page.radio(key="frozen_mode").set_value("random").run()
    assert metric(page, "all in the training sentences") == "yes"
    page.number_input(key="frozen_seed").set_value(1).run()
    page.select_slider(key="frozen_epochs").set_value(50).run()
    assert not page.exception and not page.error
