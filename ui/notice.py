"""What to notice: the sentences a page states about the numbers it shows, each built from
those numbers. `notice` draws one where the page puts it and keeps it for this run, so that
lecture mode can repeat a step's sentences beside its talking point."""
from __future__ import annotations

import streamlit as st

NOTICES = "page_notices"     # session_state: this run's sentences, in the order drawn


def start_page_run() -> None:
    """Forget the previous run's sentences (app.py calls it before the page runs)."""
    st.session_state[NOTICES] = []


def notice(text: str, where=st) -> None:
    """Draw `text` (markdown built by the page from its numbers; any visitor's string in it
    already escaped with md_text) as a caption in `where`, and keep it for this run."""
    where.caption(text)
    st.session_state.setdefault(NOTICES, []).append(text)


def page_notices() -> list[str]:
    """The sentences this run's page has stated so far."""
    return list(st.session_state.get(NOTICES, []))
