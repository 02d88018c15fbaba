"""Geometry page in AppTest: every tab runs with defaults and equals the engine; a fix
gives a before/after table and a new source; CSLS neighbours; bad input is one line."""
import pytest

from engine import contextual
from engine import geometry as geo
from tests.apptest import run_page
from ui.notice import page_notices

PAGE = "views/geometry.py"
ROWS = 4_000          # the default 50,000 runs the same code, only slower


def open_tab(view: str, **query):
    at = run_page(PAGE, view=view, **query)
    at.sidebar.number_input[0].set_value(ROWS).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def test_default_page_opens_on_the_cone_of_50000_glove_rows(glove):
    """Claim (Geometry's default view): GloVe's first 50,000 rows have no narrow cone. Measured:
    mean cosine 0.025; threshold: under 1/√50 = 0.14, the spread of random directions."""
    at = run_page(PAGE)
    assert at.sidebar.number_input[0].value == 50_000
    shape = geo.anisotropy(glove, 50_000)
    assert metric(at, "Mean cosine") == f"{shape.mean_cosine:.4f}"
    assert shape.mean_cosine < 1 / 50 ** 0.5
    cone = [n for n in page_notices(at.session_state) if n.startswith("The mean cosine between two of")]
    assert "has no narrow cone" in cone[0]
    assert [b.label for b in at.button][:2] == ["Train on the Wikipedia sample", "Train on the Lee background corpus"]
    assert not at.error


def test_a_skipgram_table_with_a_real_cone_in_one_click():
    at = run_page(PAGE)
    at.button(key="cone_train_lee").click().run()
    assert not at.exception and not at.error
    assert float(metric(at, "Mean cosine, the Lee background corpus")) > 0.3
    at.button(key="cone_use_lee").click().run()
    assert at.session_state["chosen_source"] == "word2vec-sg-lee-100d"
    assert not at.exception and float(metric(at, "Mean cosine")) > 0.3


def test_hubness_tab_equals_the_engine_and_offers_csls(glove):
    at = open_tab("Hubness")
    hubs = geo.hubness(glove, geo.neighbour_graph(glove, 10, ROWS))
    assert metric(at, "Skewness of N_k") == f"{hubs.skewness:.2f}"
    (said,) = page_notices(at.session_state)
    assert f"but “{hubs.hubs[0][0]}” is among the 10 nearest of {hubs.max_occurrence:,} rows" in said
    assert f"{metric(at, 'Anti-hubs (N_k = 0)')} of the {ROWS:,} rows are nobody's neighbour" in said
    at.text_input[0].set_value("france").run()
    cosine, csls = at.dataframe[1].value, at.dataframe[2].value
    assert "germany" in set(cosine["cosine neighbour"])
    assert len(csls) == 10 and "france" not in set(csls["CSLS neighbour"])
    at.text_input[0].set_value("France").run()
    assert at.dataframe[1].value.equals(cosine)
    assert "“France” as “france”" in " ".join(c.value for c in at.caption)
    at.text_input[0].set_value("qwxzv").run()
    assert "not in the vocabulary" in at.error[0].value
    assert metric(at, "Skewness of N_k") == f"{hubs.skewness:.2f}"      # the rest of the tab stays


def test_frequency_tab_shows_rank_bands():
    at = open_tab("Frequency")
    bands = at.table[0].value
    assert (bands["to rank"] - bands["from rank"] + 1).sum() == ROWS and bands["from rank"].iloc[0] == 1


def test_frequency_tab_numbers_token_ids_from_0():
    at = run_page(PAGE, view="Frequency", source="minilm-tokens", rows="2000")
    bands = at.table[0].value
    assert not at.exception and bands["from id"].iloc[0] == 0 and bands["to id"].iloc[-1] == 1999


@pytest.mark.parametrize("fix, name", [("Mean-centring", "glove-6b-50d · centred"),
                                       ("All-but-the-top", "glove-6b-50d · all-but-the-top (D=1)")])
def test_fix_shows_before_after_and_becomes_a_source(fix, name):
    at = open_tab("Fixes")
    at.selectbox(key="fix").set_value(fix).run()
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    table = at.table[-1].value
    assert table.loc["Mean cosine", "before"] > 0.2
    assert abs(table.loc["Mean cosine", "after"]) < 0.05
    assert table.loc["Analogy accuracy", "after"] > 0.3
    assert name in at.session_state["user_sources"]


def apply_fix(at, fix, chain=False):
    at.selectbox(key="fix").set_value(fix).run()
    if chain:
        at.checkbox(key="chain").check().run()
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at.sidebar.selectbox(key="source").value, at.table[-1].value


def test_fixes_start_from_the_chosen_table_unless_chained(glove):
    """Centring, whitening, all-but-the-top one after the other: each starts from GloVe (its
    "before" is GloVe's), the sidebar names each result; chained, whitening applies to
    all-but-the-top's result and keeps the 49 directions it has by default."""
    at = open_tab("Fixes")
    glove_cosine = geo.anisotropy(glove, ROWS).mean_cosine
    for fix, name in [("Mean-centring", "glove-6b-50d · centred"), ("Whitening", "glove-6b-50d · whitened"),
                      ("All-but-the-top", "glove-6b-50d · all-but-the-top (D=1)")]:
        source, table = apply_fix(at, fix)
        assert source == name
        assert table.loc["Mean cosine", "before"] == pytest.approx(glove_cosine, abs=1e-6)
    at.selectbox(key="fix").set_value("Whitening").run()
    at.checkbox(key="chain").check().run()
    assert at.number_input(key="fix_dims").value == 49
    source, table = apply_fix(at, "Whitening")
    assert source == "glove-6b-50d · all-but-the-top (D=1) · whitened to 49 dims"
    assert abs(table.loc["Mean cosine", "before"]) < 0.05        # before: all-but-the-top's result


def test_csls_fix_lowers_hubness():
    at = open_tab("Fixes")
    at.selectbox(key="fix").set_value("CSLS retrieval").run()
    at.button[0].click().run()
    table = at.table[-1].value
    assert table.loc["Hubness skewness", "after"] < table.loc["Hubness skewness", "before"]
    assert table["after"].isna()["Mean cosine"]


def test_contextual_cone_tab_runs_minilm():
    at = run_page(PAGE, view="Contextual cone")
    at.number_input(key="geometry_sentences").set_value(8).run()
    assert not at.exception
    cone = contextual.contextual_cone(contextual.lee_sentences(8))
    assert any(f"{cone.tokens:,} token occurrences from 8 sentences" in c.value for c in at.caption)
