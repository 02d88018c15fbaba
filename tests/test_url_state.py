"""in_url's depends_on: a value made for what it depended on (a table, another input) gives way
to the new default when that changes; a value the visitor chose that still works stays; a
link's value is shown as it came. Driven through streamlit's AppTest on a two-table script."""
from streamlit.testing.v1 import AppTest


def dependent_script():
    import streamlit as st

    from ui.url_state import in_url

    tables = {"big": ["king", "queen", "man", "woman", "apple", "pear", "plum", "fig", "kiwi"],
              "small": ["5", "6", "7", "8"]}
    name = in_url(st.selectbox, "Table", list(tables), key="table", default="big")
    words = tables[name]
    rows = in_url(st.number_input, "Rows", 1, len(words), key="rows", default=min(6, len(words)),
                  depends_on=name)
    word = in_url(st.text_input, "Word", key="word", default=words[0], depends_on=name,
                  usable=lambda text: text in words)
    answer = in_url(st.text_input, "Answer", key="answer", default="queen" if word == "king" else "",
                    depends_on=word)
    st.text(f"rows={rows} word={word} answer={answer}")


def run(**query) -> AppTest:
    at = AppTest.from_function(dependent_script)
    at.query_params.update(query)
    return at.run()


def shown(at) -> str:
    return at.text[0].value


def test_defaults_follow_the_table_there_and_back():
    at = run()
    assert shown(at) == "rows=6 word=king answer=queen"
    at.selectbox(key="table").set_value("small").run()
    assert shown(at) == "rows=4 word=5 answer="
    at.selectbox(key="table").set_value("big").run()
    assert shown(at) == "rows=6 word=king answer=queen"
    assert dict(at.query_params) == {}


def test_a_chosen_value_that_still_works_stays_and_one_that_does_not_gives_way():
    at = run()
    at.number_input(key="rows").set_value(3).run()
    at.text_input(key="word").set_value("pear").run()
    at.selectbox(key="table").set_value("small").run()
    assert shown(at) == "rows=3 word=5 answer="          # 3 fits 4 rows; "pear" is not there
    assert at.query_params["rows"] == "3" and "word" not in at.query_params


def test_an_input_that_depends_on_another_input_follows_it():
    at = run()
    at.text_input(key="word").set_value("man").run()
    assert shown(at) == "rows=6 word=man answer="        # "queen" answered "king" only
    assert "answer" not in at.query_params
    at.text_input(key="answer").set_value("woman").run()
    at.text_input(key="word").set_value("apple").run()
    assert shown(at) == "rows=6 word=apple answer=woman"  # typed by the visitor: kept
    at.text_input(key="word").set_value("king").run()
    assert shown(at) == "rows=6 word=king answer=woman"


def test_a_links_values_are_shown_as_they_came():
    at = run(table="small", word="kiwi", rows="2")
    assert shown(at) == "rows=2 word=kiwi answer="       # not the table's: reported by the page
    at.number_input(key="rows").set_value(4).run()
    assert at.text_input(key="word").value == "kiwi"     # nothing it depends on changed


def test_a_value_outside_the_new_bounds_gives_way_whatever_it_depends_on():
    at = run()
    at.number_input(key="rows").set_value(9).run()
    at.selectbox(key="table").set_value("small").run()
    assert shown(at).startswith("rows=4 ")
