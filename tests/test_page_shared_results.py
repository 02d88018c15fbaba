"""Visitors share computed results by content, never each other's names, and a visitor's
tables count against the memory budgets."""
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.apptest import run_page

EXAMPLE = Path(__file__).resolve().parent.parent / "assets" / "example-glove-500.txt"


def upload_as(name: str, data: bytes, at: AppTest | None = None) -> AppTest:
    at = at or run_page("views/load.py")
    at.file_uploader[0].set_value((f"{name}.txt", data, "text/plain")).run()
    at.text_input[0].set_value(name).run()
    next(b for b in at.button if b.label == "Load").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def centre(at: AppTest) -> AppTest:
    at.switch_page("views/geometry.py")
    at.query_params["view"] = "Fixes"
    at.run()
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown_text(at: AppTest) -> str:
    parts = [e.value for kind in (at.success, at.markdown, at.caption, at.error) for e in kind]
    return " ".join(str(p) for p in parts) + " ".join(at.session_state["user_sources"])


def test_same_bytes_under_two_names_keep_their_own_names_after_a_fix():
    data = EXAMPLE.read_bytes()
    first = centre(upload_as("private-notes", data))
    assert "private-notes · centred" in first.session_state["user_sources"]
    second = centre(upload_as("class-table", data))
    assert "class-table · centred" in second.session_state["user_sources"]
    assert "private-notes" not in shown_text(second)


def test_a_table_over_the_visitor_budget_is_refused_naming_it(monkeypatch):
    monkeypatch.setenv("EMBEDDING_LAB_SESSION_MB", "0.05")
    from ui.visitor import table_budget
    table_budget.clear()
    try:
        at = upload_as("too-big", EXAMPLE.read_bytes())
        assert "your tables and training texts may take 0.05 MiB" in at.error[0].value
        assert "too-big" not in at.session_state["user_sources"]
    finally:
        monkeypatch.delenv("EMBEDDING_LAB_SESSION_MB")
        table_budget.clear()


def test_a_visitor_who_leaves_frees_its_tables_and_stops_its_work():
    import numpy as np

    from engine.vectors import EmbeddingSet
    from ui.visitor import Visitor, _visitors_left, table_budget

    visitor = Visitor("leaving")
    table = EmbeddingSet(np.ones((10, 3), np.float32), [f"w{i}" for i in range(10)], "mine")
    table_budget().charge(visitor.id, "mine", 1_000)
    visitor.tables["mine"] = table
    _visitors_left([visitor])
    assert visitor.left.is_set() and visitor.tables == {}
    assert table_budget().held(visitor.id) == 0


def test_work_between_steps_ends_quietly_once_its_visitor_has_left():
    def script():
        import streamlit as st

        from ui.visitor import VISITOR, Visitor, stop_if_left

        visitor = st.session_state.setdefault(VISITOR, Visitor("v"))
        if st.session_state.get("leave"):
            visitor.left.set()
        stop_if_left()
        st.write("still working")

    at = AppTest.from_function(script).run()
    assert [m.value for m in at.markdown] == ["still working"]
    at.session_state["leave"] = True
    at.run()
    assert not at.exception and [m.value for m in at.markdown] == []
