"""Your lecture kept in your browser (localStorage) as you edit it, as presentation software
keeps a draft: a reload, a new tab or a closed laptop does not lose it. The browser holds
the lecture file's JSON; a new session reads it back through the same checks as any file."""
from __future__ import annotations

import streamlit as st

from engine.lecture import LectureError, read_lecture
from ui import lecture as mode

KEY = "lecture_draft"
# Each run sends the draft (a few kB) to be stored; a session without one asks once for the
# browser's, and an emptied lecture is forgotten there too.
DRAFT_JS = """
const STORED = "embedding-lab-your-lecture";
export default function({data, setTriggerValue}) {
  if (data.draft !== null) localStorage.setItem(STORED, data.draft);
  else if (data.emptied) localStorage.removeItem(STORED);
  else if (!window.__labDraftAsked) {
    window.__labDraftAsked = true;
    const kept = localStorage.getItem(STORED);
    if (kept) setTriggerValue("restore", kept);
  }
}
"""
_draft = st.components.v2.component("lecture_draft", js=DRAFT_JS)


def keep_draft(where=st.sidebar) -> None:
    """Mount the draft keeper (no height) in `where`."""
    mine = mode.your_lecture()
    with where:
        _draft(key=KEY, height=0, on_restore_change=_restore,
               data={"draft": mine.to_json() if mine else None,
                     "emptied": mine is None and mode.YOURS in st.session_state})


def _restore() -> None:
    if mode.your_lecture() is not None:
        return
    try:
        mode.set_your_lecture(read_lecture(st.session_state[KEY]["restore"], mode.page_titles()))
    except LectureError:
        st.toast("The lecture this browser kept could not be read; it is left out.")
