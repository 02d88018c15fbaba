"""The Load page's lists: the shared library's tables and this visitor's own."""
import pandas as pd
import streamlit as st

from engine import library
from ui.sources import remove_user_source, user_sources
from ui.text import md_text


def show() -> None:
    st.header("The library")
    shared = library.list_tables()
    st.caption(f"Tables every visitor can open, memory-mapped from {library.library_root()}. The "
               "server's owner adds them with `python -m engine import FILE --name NAME "
               "[--metadata CSV]`." if shared else "No shared tables yet. The server's owner adds "
               "them with `python -m engine import FILE --name NAME [--metadata CSV]`.")
    if shared:
        st.dataframe(pd.DataFrame([{"name": t.name, "rows": t.rows, "dims": t.dim, "format": t.format,
                                    "metadata": ", ".join(t.metadata_columns)} for t in shared]),
                     hide_index=True, width="stretch")

    st.header("Your tables")
    if not user_sources():
        st.caption("None yet: upload a file above.")
    for own in list(user_sources().values()):
        left, right = st.columns([5, 1])
        left.write(f"**{md_text(own.name)}**: {len(own):,} rows × {own.dim}")
        if right.button("Remove", key=f"remove-{own.name}"):
            remove_user_source(own.name)
            st.rerun()
