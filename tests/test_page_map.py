"""The Map page under streamlit's AppTest: defaults, search, bad input, UMAP with the cache."""
import pytest
from streamlit.testing.v1 import AppTest


@pytest.fixture
def page(tmp_path, monkeypatch):
    monkeypatch.setenv("EMBEDDING_LAB_CACHE", str(tmp_path / "maps"))
    at = AppTest.from_file("../app.py", default_timeout=240)
    at.run()
    at.switch_page("views/map.py").run()
    assert not at.exception
    return at


def _widget(elements, label):
    return next(e for e in elements if e.label == label)


def _captions(at) -> str:
    return "\n".join(c.value for c in at.caption)


def test_defaults_draw_a_pca_map_with_its_scores(page):
    at = page
    assert at.title[0].value == "Map"
    labels = [m.label for m in at.metric]
    assert labels == ["Neighbourhood preservation", "Trustworthiness", "Computed in"]
    assert at.metric[0].value.endswith("%") and float(at.metric[0].value[:-1]) < 30
    assert "Explained variance: PC1" in _captions(at)
    assert _widget(at.radio, "Method").value == "pca"
    assert _widget(at.number_input, "Words (most frequent first)").value == 10_000
    assert at.warning, "PCA of GloVe keeps few neighbourhoods: the page must say so"


def test_search_marks_the_word_and_its_true_neighbours(page):
    at = page
    _widget(at.text_input, "Search a word").set_value("queen").run()
    assert not at.exception and not at.error
    text = _captions(at)
    assert "**queen** (star" in text and "king" in text and "princess" in text
    _widget(at.text_input, "Search a word").set_value("kingg").run()
    assert "'kingg' is not in the vocabulary" in at.error[0].value


def test_tsne_past_its_cap_says_so_and_offers_umap(page):
    at = page
    _widget(at.number_input, "Words (most frequent first)").set_value(30_000).run()
    _widget(at.radio, "Method").set_value("tsne").run()
    assert not at.exception and not at.metric
    assert "t-SNE is capped at 20,000" in at.error[0].value and "Use UMAP" in at.error[0].value


def test_a_zero_word_axis_is_one_error_and_no_map(page):
    at = page
    _widget(at.radio, "Method").set_value("axes").run()
    _widget(at.text_input, "x axis (a word formula)").set_value("man - man").run()
    assert not at.exception and not at.metric
    assert "'man - man' is zero" in at.error[0].value


def test_word_axes_clusters_and_3d(page):
    at = page
    _widget(at.radio, "Method").set_value("axes").run()
    _widget(at.selectbox, "Colour by").set_value("k-means cluster").run()
    assert not at.exception and not at.error
    assert "cosine with (woman - man)" in str(at.get("plotly_chart")[0].proto.spec)
    assert "leans to the + words" in _captions(at) and not at.warning
    _widget(at.radio, "Dimensions").set_value(3).run()
    assert not at.exception and not at.error
    assert "selection work on 2-D maps only" in _captions(at)


def test_umap_waits_for_its_button_then_comes_from_the_cache(page):
    at = page
    _widget(at.number_input, "Words (most frequent first)").set_value(800).run()
    _widget(at.radio, "Method").set_value("umap").run()
    assert not at.exception and not at.metric      # a slow method waits to be asked
    _widget(at.button, "Compute the UMAP map of 800 words").click().run()
    assert not at.exception and not at.error, at.error[0].value
    assert not at.metric[2].delta               # computed now
    at.run()
    assert at.metric[2].delta == "from the cache" and not at.button
