"""The Truncate page in AppTest: defaults on GloVe, one word before and after, and the cut
table added as this visitor's source."""
from tests.apptest import run_page


def test_defaults_and_a_new_source():
    at = run_page("views/truncate.py")
    curve = at.dataframe[0].value
    assert curve["dims"].tolist() == [5, 10, 20, 30, 40, 50]
    assert curve["neighbour_overlap"].iloc[-1] == 1.0 and curve["neighbour_overlap"].iloc[0] < 0.2
    pair = at.dataframe[1].value
    assert pair["all 50 dims"].tolist()[:2] == ["prince", "queen"]
    assert "of 10 neighbours of “king” survive the cut to 10 dimensions" in at.markdown[-1].value
    next(b for b in at.button if b.label.startswith("Use the first 10")).click().run()
    assert not at.exception
    assert at.sidebar.selectbox[0].value == "glove-6b-50d-first10"
    assert at.session_state["user_sources"]["glove-6b-50d-first10"].dim == 10


def test_unknown_word_is_one_line():
    at = run_page("views/truncate.py")
    at.text_input[0].set_value("kingg").run()
    assert not at.exception and "'kingg' is not in the vocabulary" in at.error[0].value
