"""The code behind a view: its "The code" expander, the script that recomputes the numbers
the view shows for its current settings, to copy (the button on the code) or download."""
from __future__ import annotations

import streamlit as st

from engine.snippets import file_name, settings_of, snippet_for


def show_code(view: str, settings: dict | None = None, where=st) -> str:
    """Draw `view`'s expander in `where` and return its script. The settings are the page's
    widget values, read from this session by their keys (engine.snippets.settings_of);
    `settings` adds the values that are not a widget's own (a resolved token, a page constant)."""
    current = {key: st.session_state[key] for key in settings_of(view) if key in st.session_state}
    code = snippet_for(view, current | (settings or {}))
    with where.expander("The code"):
        st.caption(f"**{file_name(view)}**: the numbers above for these settings, recomputed in plain "
                   "Python from the same installed data, without Embedding Lab. Copy it (top right of "
                   "the code) or download it; its second line names the packages it needs.")
        st.code(code, language="python")
        st.download_button("Download as .py", code, file_name=file_name(view), mime="text/x-python",
                           key=f"code-{view}", on_click="ignore")
    return code
