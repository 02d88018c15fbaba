"""The Truncate page in AppTest: defaults on GloVe, one word before and after, and the cut
table added as this visitor's source."""
import pytest

from tests.apptest import run_page


def test_defaults_and_a_new_source():
    at = run_page("views/truncate.py")
    curve = at.table[0].value
    assert curve["dims"].tolist() == [5, 10, 20, 30, 40, 50]
    assert curve["neighbour overlap"].iloc[-1] == 1.0 and curve["neighbour overlap"].iloc[0] < 0.2
    pair = at.dataframe[0].value
    assert pair["all 50 dims"].tolist()[:2] == ["prince", "queen"]
    assert "of 10 neighbours of “king” survive the cut to 10 dimensions" in at.main.caption[-1].value
    next(b for b in at.button if b.label.startswith("Use the first 10")).click().run()
    assert not at.exception
    assert at.sidebar.selectbox[0].value == "glove-6b-50d-first10"
    assert at.session_state["user_sources"]["glove-6b-50d-first10"].dim == 10


def test_unknown_word_is_one_line():
    at = run_page("views/truncate.py")
    at.text_input[0].set_value("kingg").run()
    assert not at.exception and "'kingg' is not in the vocabulary" in at.error[0].value


def test_a_twelve_row_table_clamps_the_defaults_and_says_so():
    import numpy as np

    from engine.readers import write_vectors
    from engine.vectors import EmbeddingSet

    rng = np.random.default_rng(3)
    table = EmbeddingSet(rng.standard_normal((12, 6)).astype(np.float32), [f"w{i}" for i in range(12)], "twelve")
    at = run_page("views/load.py")
    at.file_uploader[0].set_value(("twelve.txt", write_vectors(table, "glove-text"), "text/plain")).run()
    next(b for b in at.button if b.label == "Load").click().run()
    at.switch_page("views/truncate.py").run()
    at.text_input[0].set_value("w0").run()
    assert not at.exception and not at.error
    assert "12 probe words, not 500: the table has only 12 rows" in at.info[0].value
    assert "of 10 neighbours of “w0”" in at.main.caption[-1].value


def test_a_link_restores_the_cuts_the_width_and_the_word():
    """?cuts=5,25&kept=25&truncate_word=King: the cut points, the slider, and "King" found
    as "king" (said in a caption) with its neighbours."""
    at = run_page("views/truncate.py", cuts="5,25", kept="25", truncate_word="King")
    assert not at.exception and not at.error
    assert at.sidebar.multiselect[0].value == [5, 25]
    assert at.table[0].value["dims"].tolist() == [5, 25]
    assert at.slider[0].value == 25 and at.text_input[0].value == "King"
    assert any("“King” as “king”" in c.value for c in at.caption)
    assert "of 10 neighbours of “king” survive the cut to 25 dimensions" in at.main.caption[-1].value


@pytest.mark.parametrize("source, word", [("minilm-tokens", "king"), ("minilm-positions", "0"),
                                          ("karate-club", "0")])
def test_each_built_in_source_opens_on_a_word_it_has(source, word):
    at = run_page("views/truncate.py", source=source)
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.text_input[0].value == word
    assert f"neighbours of “{word}” survive" in at.main.caption[-1].value
