"""Geometry page in AppTest: defaults equal the engine; a fix gives a before/after table."""
import pytest

from engine import geometry as geo
from tests.apptest import run_page

PAGE = "pages/geometry.py"


@pytest.fixture(scope="module")
def small_run():
    """The page on the first 5,000 GloVe rows (the default 50,000 is the same code, slower)."""
    at = run_page(PAGE)
    at.sidebar.number_input[0].set_value(5_000).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def test_defaults_show_the_cone_and_hubs_of_glove(small_run, glove):
    assert metric(small_run, "Mean cosine") == f"{geo.anisotropy(glove, 5_000).mean_cosine:.4f}"
    graph = geo.neighbour_graph(glove, 10, 5_000)
    assert metric(small_run, "Skewness of N_k") == f"{geo.hubness(glove, graph).skewness:.2f}"
    assert not small_run.error


def test_csls_and_cosine_neighbours_for_a_word(small_run):
    small_run.text_input[0].set_value("france").run()
    cosine, csls = small_run.dataframe[1].value, small_run.dataframe[2].value
    assert "germany" in set(cosine["cosine neighbour"])
    assert len(csls) == 10 and "france" not in set(csls["CSLS neighbour"])


def test_centring_fix_shows_before_after_and_adds_a_source(small_run):
    small_run.button[0].click().run()
    assert not small_run.exception, [e.value for e in small_run.exception]
    table = small_run.dataframe[-1].value
    row = table.set_index("measure").loc["Mean cosine"]
    assert row["before"] > 0.2 and abs(row["after"]) < row["before"]
    assert "glove-6b-50d · centred" in small_run.session_state["user_sources"]


def test_unknown_word_is_one_error_line(small_run):
    small_run.text_input[0].set_value("qwxzv").run()
    assert "not in the vocabulary" in small_run.error[0].value
