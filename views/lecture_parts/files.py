"""Lecture files: open one as your lecture; keep your lecture in the server's library, where
a class opens it by link (when the server's owner allows it)."""
import streamlit as st

from engine.lecture import Lecture, LectureError, read_lecture
from engine.lecture_library import LECTURES_ENV, LecturePolicy, keep_lecture
from ui.lecture import LIBRARY_PREFIX, YOURS, page_titles, set_your_lecture, your_lecture
from ui.text import md_text, show_error
from ui.url_state import set_in_url
from views.lecture_parts.choose import CHOICE, class_link


def open_as_yours(lecture: Lecture) -> None:
    set_your_lecture(lecture)
    set_in_url(CHOICE, YOURS)


def open_file() -> None:
    uploaded = st.file_uploader("Open a lecture file (JSON, as saved here)", type=["json"], key="lecture_file")
    if uploaded is None:
        return
    try:
        lecture = read_lecture(uploaded.getvalue(), page_titles())
    except LectureError as error:
        st.error(f"{md_text(uploaded.name)} is not a lecture this app can show:")
        for problem in error.problems:
            show_error(ValueError(problem))
        return
    mine = your_lecture()
    st.button(f"Open “{md_text(lecture.title)}” ({lecture.size}) as your lecture", type="primary",
              on_click=open_as_yours, args=(lecture,), key="lecture_open_file",
              help=f"Replaces your lecture's {mine.size}: save them first" if mine else None)


def keep_in_library() -> None:
    policy = LecturePolicy.from_environment()
    if not policy.allowed:
        st.caption(f"This server does not keep visitors' lectures; its owner can allow it "
                   f"({LECTURES_ENV}=1). Save yours as a file.")
        return
    left, right = st.columns([2, 1], vertical_alignment="bottom")
    name = left.text_input("Name in the library (letters, digits, . _ -)", key="lecture_library_name",
                           max_chars=64)
    if right.button("Keep in the library", key="lecture_keep"):
        try:
            keep_lecture(your_lecture(), name.strip(), policy)
        except ValueError as error:
            show_error(error)
        else:
            st.success("Kept in the library. A class opens it with this link:")
            st.code(class_link(LIBRARY_PREFIX + name.strip()), language=None)


def show() -> None:
    st.subheader("Lecture files", anchor=False)
    open_file()
    if your_lecture():
        keep_in_library()
