"""A lecture's overview: its steps, the warm-up's progress, Present, the handout and the file."""
import re

import pandas as pd
import streamlit as st

from engine.handout import handout_html
from engine.lecture import Lecture
from ui.lecture import LIBRARY_PREFIX, YOURS, page_titles, set_your_lecture, start, step_link, warm_up_lecture
from ui.lecture_warmup import progress_line, warm_up
from ui.text import md_text
from ui.url_state import set_in_url
from views.lecture_parts.choose import CHOICE, class_link


def file_stem(lecture: Lecture) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", lecture.title).strip("-").lower()[:60] or "lecture"


def edit_a_copy(lecture: Lecture) -> None:
    set_your_lecture(lecture)
    set_in_url(CHOICE, YOURS)


def show(lecture_id: str, lecture: Lecture) -> None:
    warm_up_lecture(lecture)
    st.subheader(md_text(lecture.title), anchor=False)
    ready = warm_up().ready(lecture) == len(lecture)
    st.fragment(lambda: warm_up_progress(lecture, ready), run_every=None if ready else 2.0)()
    row = st.container(horizontal=True, vertical_alignment="bottom")
    first = row.selectbox("From step", range(len(lecture)), format_func=lambda i: f"{i + 1}. {lecture.steps[i].title}",
                          key="lecture_start_at", width=320)
    row.button("Present", icon=":material/slideshow:", type="primary", on_click=start,
               args=(lecture_id, lecture, first), help="Full screen steps: → / PageDown / space next, "
               "← / PageUp previous, Esc stops presenting")
    row.button("Step through", icon=":material/list:", on_click=start, args=(lecture_id, lecture, first, False),
               help="The same steps at the normal size, with the sidebar")
    links = [step_link(step) for step in lecture.steps]
    row.download_button("Handout (HTML)", lambda: handout(lecture, links), file_name=f"{file_stem(lecture)}.html",
                        mime="text/html", icon=":material/download:", on_click="ignore", disabled=not ready,
                        help="Every step's talking point, what to notice and figures in one file that "
                             "opens offline" if ready else "Ready when every step is")
    row.download_button("Lecture file (JSON)", lecture.to_json(), file_name=f"{file_stem(lecture)}.json",
                        mime="application/json", icon=":material/download:", on_click="ignore")
    if lecture_id != YOURS:
        row.button("Edit a copy", icon=":material/edit:", on_click=edit_a_copy, args=(lecture,),
                   help="Becomes your lecture (replacing it, if you have one): reorder, retitle, add views")
    if lecture_id.startswith(LIBRARY_PREFIX):
        st.caption("A class opens this lecture with this link:")
        st.code(class_link(lecture_id), language=None)
    titles = page_titles()
    st.table(pd.DataFrame({
        "step": range(1, len(lecture) + 1), "title": [s.title for s in lecture.steps],
        "page": [titles.get(s.page, s.page) for s in lecture.steps],
        "settings": [", ".join(f"{k} = {v}" for k, v in s.settings) for s in lecture.steps]}),
        hide_index=True)


def warm_up_progress(lecture: Lecture, ready_when_drawn: bool) -> None:
    """The warm-up's progress line, redrawn every 2 s; the whole page once it is done (the
    handout becomes available)."""
    st.caption(progress_line(lecture))
    if not ready_when_drawn and warm_up().ready(lecture) == len(lecture):
        st.rerun(scope="app")


def handout(lecture: Lecture, links: list[str]) -> str:
    """The handout, with each step's link as this visitor reaches the app."""
    link_of = dict(zip(lecture.steps, links))
    return handout_html(lecture, [warm_up().record(step) for step in lecture.steps], link_of.get)
