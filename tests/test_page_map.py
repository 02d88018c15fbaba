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
    assert at.metric[2].delta == "from the cache" and [b.key for b in at.button] == ["lecture_add_view"]
    from tests.apptest import run_page

    linked = run_page("views/map.py", map_rows="800", method="umap")   # a link, in a new session
    assert linked.metric[2].delta == "from the cache" and linked.get("plotly_chart")
    assert [b.key for b in linked.button] == ["lecture_add_view"]


def test_a_link_restores_every_setting_and_words_resolve_their_case(tmp_path, monkeypatch):
    """Words, method, axes, dimensions, colouring, listed words and search come from the URL;
    "Queen" and "Paris" are found as "queen" and "paris", with a caption saying so."""
    from tests.apptest import run_page

    monkeypatch.setenv("EMBEDDING_LAB_CACHE", str(tmp_path / "maps"))
    at = run_page("views/map.py", map_rows="3000", method="axes", x="good - bad", dims="2",
                  colour="word list", words="King, Paris, apple", map_word="Queen")
    assert _widget(at.number_input, "Words (most frequent first)").value == 3_000
    assert _widget(at.radio, "Method").value == "axes"
    assert _widget(at.text_input, "x axis (a word formula)").value == "good - bad"
    assert _widget(at.selectbox, "Colour by").value == "word list"
    assert not at.error
    assert "“King” as “king”, “Paris” as “paris”" in _captions(at)
    assert "**queen** (star" in _captions(at) and "“Queen” as “queen”" in _captions(at)
    spec = str(at.get("plotly_chart")[0].proto.spec)
    assert "cosine with (good - bad)" in spec and "in your list" in spec


def test_an_unknown_listed_word_is_reported_and_the_map_still_draws(page):
    at = page
    _widget(at.selectbox, "Colour by").set_value("word list").run()
    _widget(at.text_input, "Your words").set_value("king, qwxzv").run()
    assert not at.exception and "'qwxzv'" in at.sidebar.error[0].value
    assert at.metric and at.get("plotly_chart")


@pytest.mark.parametrize("source", ["minilm-tokens", "minilm-positions", "karate-club"])
def test_each_built_in_source_opens_with_its_own_word_list(source):
    from tests.apptest import run_page

    at = run_page("views/map.py", source=source, map_rows="500", colour="word list")
    assert not at.exception and not at.error, [e.value for e in at.error]
    listed = _widget(at.text_input, "Your words").value
    assert listed == ("king, queen, paris, france, apple" if source == "minilm-tokens"
                      else "0, 1, 2, 3, 4")


def test_the_karate_clubs_row_count_and_colouring_stay_with_it(page):
    at = page
    at.selectbox(key="source").set_value("karate-club").run()
    assert _widget(at.number_input, "Words (most frequent first)").value == 34
    colouring = at.selectbox(key="colour").value
    assert colouring != "frequency rank"                 # its metadata column comes first
    at.selectbox(key="source").set_value("glove-6b-50d").run()
    assert not at.exception and not at.error
    assert _widget(at.number_input, "Words (most frequent first)").value == 10_000
    assert at.selectbox(key="colour").value == "frequency rank"
    assert "map_rows" not in at.query_params and "colour" not in at.query_params
    at.selectbox(key="source").set_value("karate-club").run()
    assert at.selectbox(key="colour").value == colouring
