"""The shared word box: a typed word resolved against the table, case fallback said in a
caption, an unknown word reported in place, the word kept in the URL."""
from streamlit.testing.v1 import AppTest


def word_box_script():
    import numpy as np
    import streamlit as st

    from engine.vectors import EmbeddingSet
    from ui.words import resolved_words, word_box

    table = EmbeddingSet(np.eye(3, dtype=np.float32), ["king", "queen", "man"], "tiny")
    key = word_box(table, "Word", key="word", default="king")
    st.text(f"key={key}")
    keys = resolved_words(table, ["Queen", "man"])
    st.text(f"keys={keys}")


def run(**query) -> AppTest:
    at = AppTest.from_function(word_box_script)
    at.query_params.update(query)
    return at.run()


def test_default_word_needs_no_caption_and_stays_out_of_the_url():
    at = run()
    assert at.text[0].value == "key=king"
    assert "word" not in at.query_params
    assert not at.error


def test_capitalised_word_is_found_in_lower_case_and_said_so():
    at = run()
    at.text_input(key="word").set_value("King").run()
    assert at.text[0].value == "key=king"
    assert any("“King” as “king”" in c.value for c in at.caption)
    assert at.query_params["word"] == "King"
    assert at.text[1].value == "keys=['queen', 'man']"


def test_unknown_word_is_reported_in_place_and_the_rest_still_runs():
    at = run(word="kong")
    assert at.text_input(key="word").value == "kong"
    assert "'kong' is not in the vocabulary of tiny" in at.error[0].value
    assert at.text[0].value == "key=None"
    assert at.text[1].value == "keys=['queen', 'man']"


def restrict_script():
    import numpy as np
    import streamlit as st

    from engine.vectors import EmbeddingSet
    from ui.sources import restrict_control

    rows = 5 if st.session_state.get("small") else 9
    table = EmbeddingSet(np.ones((rows, 2), dtype=np.float32), [f"w{i}" for i in range(rows)],
                         f"rows{rows}")
    st.text(f"restrict={restrict_control(table)}")


def test_restrict_lives_in_the_url_and_follows_a_new_table():
    at = AppTest.from_function(restrict_script)
    at.query_params["restrict"] = "4"
    at.run()
    assert at.text[0].value == "restrict=4"
    at.number_input(key="restrict").set_value(9).run()     # all rows: the default, not in the URL
    assert at.text[0].value == "restrict=9" and "restrict" not in at.query_params
    at.session_state["small"] = True
    at.run()
    assert at.text[0].value == "restrict=5"                  # the smaller table's own "all"
    at.session_state["small"] = False
    at.run()
    assert at.text[0].value == "restrict=9"
