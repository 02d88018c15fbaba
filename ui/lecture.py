"""Lecture mode in one browser session: the lecture open, the step shown, the moves between
steps, and the visitor's own lecture.

A step is shown by switching to its page with its settings as the link's parameters, after
forgetting every value a link kept in this session: the page then draws exactly the view
the step's link gives in a fresh browser. The link also carries ?lecture=ID&step=N, so a
reload (or the link sent to a class) opens the lecture at that step.
"""
from __future__ import annotations

import streamlit as st

from engine.lecture import BUILTIN, MAX_STEPS, Lecture, builtin_lecture, step_from_view
from engine.lecture_library import lecture_names, load_lecture
from ui.lecture_warmup import can_warm_up, warm_up
from ui.presentation import PRESENTATION
from ui.sources import CHOSEN_SOURCE
from ui.url_state import NEXT_URL_VALUES

LECTURE = "lecture"                 # session_state: the Lecture shown step by step, or absent
LECTURE_ID = "lecture_id"           # its id: BUILTIN, "library:NAME" or YOURS
STEP = "lecture_step"               # session_state: the index of the step shown
GO_TO = "lecture_go_to"             # session_state: the step to switch to as the next run starts
YOURS = "yours"                     # id of the visitor's own lecture, and its session_state key
LINK_KEYS = "lecture_link_keys"     # session_state: every link parameter seen in this session
LECTURE_PARAM, STEP_PARAM = "lecture", "step"
LIBRARY_PREFIX = "library:"

_pages: dict[str, st.Page] = {}     # the app's pages by address (the same for every session)


def use_pages(pages: dict[str, list[st.Page]]) -> None:
    """Make the app's pages (st.navigation's sections) known to lecture mode."""
    for section in pages.values():
        for page in section:
            _pages[page_name(page)] = page


def page_name(page: st.Page) -> str:
    """The page's name in addresses ('explore'): st.Page.url_path is '' for the default page,
    whose own name Streamlit keeps in _url_path (and hashes into its script hash)."""
    return page.url_path or page._url_path


def app_address() -> str:
    """The app's address as this visitor's browser reaches it, ending in '/'."""
    from urllib.parse import urlsplit

    url = urlsplit(st.context.url or "http://localhost/")
    return f"{url.scheme}://{url.netloc}{url.path.rsplit('/', 1)[0]}/"


def step_link(step) -> str:
    """The full address of a step's live view (the default page lives at the app's root)."""
    from urllib.parse import urlencode

    page = _pages[step.page].url_path if step.page in _pages else step.page
    return app_address() + page + (f"?{urlencode(step.query)}" if step.settings else "")


def page_titles() -> dict[str, str]:
    """Title of every page a step may show, by its address ('layer_lookup': 'Lookup')."""
    return {path: page.title for path, page in _pages.items() if path != "lecture"}


def lecture_ids() -> list[str]:
    """The lectures this server offers: the built-in one, then the library's."""
    return [BUILTIN] + [LIBRARY_PREFIX + name for name in lecture_names()]


def open_lecture(lecture_id: str) -> Lecture:
    """The lecture `lecture_id` names; ValueError (LectureError for a bad file) if none."""
    if lecture_id == BUILTIN:
        return builtin_lecture(page_titles())
    if lecture_id.startswith(LIBRARY_PREFIX):
        return load_lecture(lecture_id.removeprefix(LIBRARY_PREFIX), page_titles())
    if lecture_id == YOURS and st.session_state.get(YOURS):
        return st.session_state[YOURS]
    raise ValueError(f"no lecture {lecture_id!r} here: your own lecture lives in the browser "
                     "that made it (save it as a file to take it elsewhere)")


def your_lecture() -> Lecture | None:
    return st.session_state.get(YOURS)


def set_your_lecture(lecture: Lecture | None) -> None:
    st.session_state[YOURS] = lecture


def current() -> tuple[str, Lecture, int] | None:
    """(id, lecture, step index) while a lecture is shown step by step, else None."""
    if st.session_state.get(LECTURE) is None:
        return None
    return st.session_state[LECTURE_ID], st.session_state[LECTURE], st.session_state[STEP]


def start(lecture_id: str, lecture: Lecture, step: int = 0, present: bool = True) -> None:
    """Show `lecture` from `step` (a callback: the switch happens as the next run starts),
    with the Presentation switch on when `present`."""
    st.session_state.update({LECTURE: lecture, LECTURE_ID: lecture_id, GO_TO: step})
    if present:
        st.session_state[PRESENTATION] = True
    warm_up_lecture(lecture)


def warm_up_lecture(lecture: Lecture) -> None:
    """Start computing every step's results in the background (see ui.lecture_warmup)."""
    if can_warm_up():
        warm_up().request(lecture)


def go_to(step: int) -> None:
    """Move to step `step` (clamped to the lecture) as the next run starts (a callback)."""
    lecture = st.session_state.get(LECTURE)
    if lecture is not None:
        st.session_state[GO_TO] = max(0, min(step, len(lecture) - 1))


def present() -> None:
    """Presentation on, at the step shown (a callback)."""
    st.session_state[PRESENTATION] = True


def stop_presenting() -> None:
    """Presentation off; the lecture stays open at its step (a callback)."""
    st.session_state[PRESENTATION] = False


def close() -> None:
    """Leave the lecture (a callback); the page stays as it is."""
    for key in (LECTURE, LECTURE_ID, STEP, GO_TO):
        st.session_state.pop(key, None)
    for name in (LECTURE_PARAM, STEP_PARAM):
        st.query_params.pop(name, None)
    st.session_state[PRESENTATION] = False


def follow_link_or_move() -> None:
    """At the start of a run: switch to the step asked for (a button, a key, Present), or
    open the lecture a fresh session's link names (?lecture=ID&step=N)."""
    if st.session_state.get(GO_TO) is not None:
        show_step(st.session_state.pop(GO_TO))
    if st.session_state.get(LECTURE) is None and LECTURE_PARAM in st.query_params:
        _open_from_link()


def show_step(index: int) -> None:
    """Switch to step `index`'s page with its settings (ends this run)."""
    lecture_id, lecture = st.session_state[LECTURE_ID], st.session_state[LECTURE]
    step = lecture.steps[index]
    st.session_state[STEP] = index
    forgotten = st.session_state.get(LINK_KEYS, set()) | set(step.query)
    for key in forgotten:
        st.session_state.pop(key, None)
    _unbind(forgotten)
    st.session_state.pop(NEXT_URL_VALUES, None)
    st.session_state.pop(CHOSEN_SOURCE, None)          # the step's source, else the default
    query = {**step.query, LECTURE_PARAM: lecture_id, STEP_PARAM: str(index + 1)}
    if st.session_state.get(PRESENTATION):
        query["present"] = "1"
    st.switch_page(_pages[step.page], query_params=query)


def _unbind(names) -> None:
    """Release these link parameters from the widgets that own them (st.tabs(...,
    bind="query-params") drawn earlier), as in a fresh session: the link may set them again
    and the widget, drawn anew, reads its value from the link."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    with get_script_run_ctx().session_state.query_params() as params:
        for name in names:
            binding = params.get_binding_for_param(name)
            if binding is not None:
                params.unbind_widget(binding.widget_id)


def _open_from_link() -> None:
    lecture_id = st.query_params[LECTURE_PARAM]
    if lecture_id == YOURS and your_lecture() is None:
        return              # the browser's draft arrives in a moment (ui.lecture_draft), if it has one
    try:
        lecture = open_lecture(lecture_id)
        number = int(st.query_params.get(STEP_PARAM, "1"))
    except ValueError as error:
        st.warning(f"The link's lecture cannot be opened: {error}"[:500].replace("\n", " "))
        del st.query_params[LECTURE_PARAM]
        st.query_params.pop(STEP_PARAM, None)
        return
    st.session_state.update({LECTURE: lecture, LECTURE_ID: lecture_id,
                             STEP: max(0, min(number - 1, len(lecture) - 1))})
    warm_up_lecture(lecture)


def remember_link(page: str) -> None:
    """After a page other than Lecture has run: note its link's parameters (a step forgets
    them all), and keep the lecture's own in the link while a lecture is shown."""
    if page == "lecture":
        return
    seen = st.session_state.setdefault(LINK_KEYS, set())
    seen.update(name for name in st.query_params if name not in (LECTURE_PARAM, STEP_PARAM, "present"))
    shown = current()
    if shown is not None and (st.query_params.get(LECTURE_PARAM), st.query_params.get(STEP_PARAM)) != (
            shown[0], str(shown[2] + 1)):
        st.query_params.update({LECTURE_PARAM: shown[0], STEP_PARAM: str(shown[2] + 1)})


def add_view(page: str, title: str) -> None:
    """Append the view on screen (this page, its link's parameters) to the visitor's own
    lecture (a callback of the "Add this view" button)."""
    mine = your_lecture() or Lecture("My lecture", ())
    if len(mine) >= MAX_STEPS:
        return
    step = step_from_view(title, page, st.query_params.to_dict())
    set_your_lecture(Lecture(mine.title, mine.steps + (step,)))
    st.toast(f"Added as step {len(mine) + 1} of your lecture (Lecture page: edit, present, save).")
