"""Which lecture the Lecture page shows: the built-in one, the library's, or your own.
The choice is kept in the link (?open=ID), the link a class opens."""
import streamlit as st

from engine.lecture import BUILTIN, Lecture, LectureError
from ui.lecture import LIBRARY_PREFIX, YOURS, app_address, lecture_ids, open_lecture, your_lecture
from ui.text import show_error
from ui.url_state import in_url

CHOICE = "open"           # the picker's key and the link's parameter


def label(lecture_id: str) -> str:
    if lecture_id == YOURS:
        return f"Your lecture ({your_lecture().size}, kept in this browser)" if your_lecture() else "Your lecture"
    if lecture_id == BUILTIN:
        return "The embedding layer (built in)"
    return f"{lecture_id.removeprefix(LIBRARY_PREFIX)} (the server's library)"


def class_link(lecture_id: str) -> str:
    """The link that opens the lecture `lecture_id` on this page, for a class."""
    from urllib.parse import urlencode

    return f"{app_address()}lecture?{urlencode({CHOICE: lecture_id})}"


def chosen_lecture() -> tuple[str, Lecture] | None:
    """The picker; (id, lecture) of the chosen lecture, None when none is chosen (or it
    cannot be opened: each of its problems is shown)."""
    # a link to your lecture keeps it chosen while this browser's copy is read back
    ids = lecture_ids() + ([YOURS] if your_lecture() or st.query_params.get(CHOICE) == YOURS else [])
    labels = {lecture_id: label(lecture_id) for lecture_id in ids}
    lecture_id = in_url(st.selectbox, "Lecture", ids, key=CHOICE, default=None, index=None,
                        format_func=labels.get, placeholder="Choose a lecture to open")
    if lecture_id is None:
        return None
    if lecture_id == YOURS and your_lecture() is None:
        st.info("No lecture of yours in this browser yet: add views to it from any page "
                "(“Add this view to your lecture” in the sidebar), or open a lecture file below.")
        return None
    try:
        return lecture_id, open_lecture(lecture_id)
    except LectureError as error:
        for problem in error.problems:
            show_error(ValueError(problem))
    except ValueError as error:
        show_error(error)
    return None
