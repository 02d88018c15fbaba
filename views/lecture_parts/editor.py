"""Your lecture, edited: its title, each step's title and talking point, the order, removal."""
import dataclasses

import streamlit as st

from engine.lecture import MAX_TALKING_POINT, MAX_TITLE, Lecture
from ui.lecture import page_titles, set_your_lecture, your_lecture
from ui.text import md_text

REVISION = "yours_revision"     # session_state: bumped when steps move, so their boxes follow
BOXES = ("yours_title_", "yours_step_title_", "yours_talk_")


def _changed(lecture: Lecture | None) -> None:
    set_your_lecture(lecture)
    st.session_state[REVISION] = st.session_state.get(REVISION, 0) + 1
    for key in [k for k in st.session_state if k.startswith(BOXES)]:     # the old order's boxes
        del st.session_state[key]


def move(index: int, to: int) -> None:
    steps = list(your_lecture().steps)
    steps.insert(to, steps.pop(index))
    _changed(dataclasses.replace(your_lecture(), steps=tuple(steps)))


def remove(index: int) -> None:
    steps = your_lecture().steps
    _changed(dataclasses.replace(your_lecture(), steps=steps[:index] + steps[index + 1:]) if len(steps) > 1
             else None)


def edit_step(index: int, field: str, key: str) -> None:
    lecture = your_lecture()
    step = lecture.steps[index]
    text = st.session_state[key]
    if field == "title" and not text.strip():
        text = page_titles().get(step.page, step.page)      # a step always has a title
    steps = list(lecture.steps)
    steps[index] = dataclasses.replace(step, **{field: text})
    set_your_lecture(dataclasses.replace(lecture, steps=tuple(steps)))


def edit_title(key: str) -> None:
    set_your_lecture(dataclasses.replace(your_lecture(), title=st.session_state[key].strip() or "My lecture"))


def box(key: str, value: str) -> str:
    """A text box's key, seeded once with `value`."""
    st.session_state.setdefault(key, value)
    return key


def show() -> None:
    lecture, revision = your_lecture(), st.session_state.get(REVISION, 0)
    st.subheader("Edit your lecture", anchor=False)
    key = box(f"yours_title_{revision}", lecture.title)
    st.text_input("Lecture title", key=key, max_chars=MAX_TITLE, on_change=edit_title, args=(key,))
    titles = page_titles()
    for index, step in enumerate(lecture.steps):
        with st.container(border=True, key=f"yours_step_{index}"):
            head = st.container(horizontal=True, vertical_alignment="bottom")
            key = box(f"yours_step_title_{revision}_{index}", step.title)
            head.text_input(f"Step {index + 1}", key=key, max_chars=MAX_TITLE, on_change=edit_step,
                            args=(index, "title", key))
            head.button("", icon=":material/arrow_upward:", key=f"yours_up_{index}", help="Move up",
                        on_click=move, args=(index, index - 1), disabled=index == 0)
            head.button("", icon=":material/arrow_downward:", key=f"yours_down_{index}", help="Move down",
                        on_click=move, args=(index, index + 1), disabled=index == len(lecture) - 1)
            head.button("", icon=":material/delete:", key=f"yours_remove_{index}", help="Remove this step",
                        on_click=remove, args=(index,))
            settings = ", ".join(f"{name}={value}" for name, value in step.settings) or "its default view"
            st.caption(md_text(f"{titles.get(step.page, step.page)}: {settings}"))
            key = box(f"yours_talk_{revision}_{index}", step.talking_point)
            st.text_area("Talking point", key=key, max_chars=MAX_TALKING_POINT, height=90,
                         on_change=edit_step, args=(index, "talking_point", key))
