"""Lecture: a sequence of this app's views, presented step by step with a clicker; your own
made from any page, edited, saved as a file, kept in the library for a class."""
import streamlit as st

from ui.lecture import YOURS
from views.lecture_parts import editor, files, overview
from views.lecture_parts.choose import chosen_lecture

st.title("Lecture")
st.caption("A lecture is a sequence of this app's views, each with a title and a talking point, live: "
           "every number is computed as you show it. Present it and step with → / PageDown / space "
           "and ← / PageUp, the keys a presenter's clicker sends. Make your own from any page with "
           "“Add this view to your lecture” in the sidebar.")
chosen = chosen_lecture()
if chosen is not None:
    overview.show(*chosen)
    if chosen[0] == YOURS:
        editor.show()
files.show()
