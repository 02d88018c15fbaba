"""What to notice: the sentences a page states about the numbers it shows, each built from
those numbers. `notice` draws one where the page puts it and keeps it for this run, so that
lecture mode can repeat a step's sentences beside its talking point."""
from __future__ import annotations

import streamlit as st

NOTICES = "page_notices"     # session_state: {place on the page: sentence}, in the order drawn


def start_page_run() -> None:
    """Forget the previous run's sentences (app.py calls it before the page runs)."""
    st.session_state[NOTICES] = {}


def notice(text: str, where=st) -> None:
    """Draw `text` (markdown built by the page from its numbers; any visitor's string in it
    already escaped with md_text) as a caption in `where`, and keep it for this run.

    Kept by its place on the page: a fragment's rerun (which does not pass through
    start_page_run) draws its sentences again at the same places, replacing them."""
    caption = where.caption(text)
    st.session_state.setdefault(NOTICES, {})[tuple(caption._cursor.delta_path)] = text


def page_notices(state=None) -> list[str]:
    """The sentences this run's page has stated so far, in `state` (an AppTest's or a
    headless run's session state; this session's by default)."""
    state = st.session_state if state is None else state
    return list(state[NOTICES].values()) if NOTICES in state else []
