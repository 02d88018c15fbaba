"""What app.py draws around every page: while a lecture is shown, the step bar above the page
(title, step counter, moves, talking point, what to notice, the keys of a presenter's
clicker); otherwise the sidebar's "Add this view to your lecture". And the keeper of your
lecture's draft in this browser."""
from __future__ import annotations

from contextlib import contextmanager

import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import StopException

from engine.lecture import MAX_STEPS, Lecture
from ui import lecture as mode
from ui.lecture_draft import keep_draft
from ui.lecture_warmup import progress_line, warm_up
from ui.notice import page_notices
from ui.presentation import PRESENTATION
from ui.text import md_text

# In a lecture the step's title leads and the page's own title is a subheading; presenting,
# the page is alone (no sidebar, no toolbar over the bar) and its title and introduction give
# way to the step's (on a 720-pixel projector they filled the first screen with the bar). A
# narrow bar (800 px, or beside the sidebar) stacks its title above its buttons and its
# talking point above what to notice, rather than wrapping buttons and squeezing sentences
# into a column a few words wide.
LECTURE_CSS = """
[data-testid="stMain"] h1 { font-size: 1.7rem; padding-top: 0.5rem; }
[data-testid="stMain"] .st-key-lecture_bar h1 { font-size: 2.2rem; padding: 0; }
.st-key-lecture_bar { container-type: inline-size; }
@container (max-width: 880px) {
  .st-key-lecture_bar [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"]) { flex-direction: column; }
  .st-key-lecture_bar [data-testid="stColumn"] { width: 100% !important; flex: 1 1 auto !important; }
  .st-key-lecture_bar .st-key-lecture_moves { justify-content: flex-start; }
}
"""
PRESENTING_CSS = """
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stHeader"] { display: none; }
[data-testid="stLayoutWrapper"]:has(> .st-key-lecture_bar) ~ [data-testid="stElementContainer"]:has(h1),
[data-testid="stLayoutWrapper"]:has(> .st-key-lecture_bar) ~ [data-testid="stElementContainer"]:has(h1)
  + [data-testid="stElementContainer"]:has([data-testid="stCaptionContainer"]) { display: none; }
[data-testid="stMainBlockContainer"] { padding-top: 1.5rem; }
"""
# The keys a presenter's clicker sends, and a step's number then Enter to go to it, as in
# presentation software. Installed once per browser tab and kept pointing at the newest
# mount: Streamlit re-runs this module on each rerun without unmounting it. A new step
# scrolls the page to its top (Streamlit keeps the scroll of a page switched to itself).
# Keys typed into a text box or slider stay theirs, except PageUp / PageDown (clickers).
KEYS_JS = """
const MOVES = {ArrowRight: "next", PageDown: "next", " ": "next", ArrowLeft: "previous",
               PageUp: "previous", Home: "first", End: "last"};
const CONTROLS = 'input, textarea, select, [contenteditable="true"], [role="slider"], [role="combobox"]';
let typed = "";
export default function(component) {
  window.__lectureKeys = component;
  if (window.__lectureStep !== component.data.step) {      // a new step opens at its top
    window.__lectureStep = component.data.step;
    const main = document.querySelector('[data-testid="stMain"]');
    if (main) main.scrollTo({top: 0});
  }
  if (window.__lectureKeysOn) return;
  window.__lectureKeysOn = true;
  document.addEventListener("keydown", (event) => {
    const current = window.__lectureKeys;
    const host = current && current.parentElement && (current.parentElement.host || current.parentElement);
    if (!host || !host.isConnected || event.altKey || event.ctrlKey || event.metaKey) return;
    const inControl = event.target.closest && event.target.closest(CONTROLS);
    if (inControl && !event.key.startsWith("Page")) return;
    let trigger = null, value = null;
    if (/^[0-9]$/.test(event.key)) { typed = (typed + event.key).slice(-3); return; }
    if (event.key === "Enter" && typed) { trigger = "move"; value = "step " + typed; }
    else if (MOVES[event.key]) { trigger = "move"; value = MOVES[event.key]; }
    else if (event.key === "Escape") { trigger = "stop"; value = true; }
    else if (event.key === "F5") { trigger = "present"; value = true; }      // a clicker's start key
    typed = "";
    if (!trigger) return;
    event.preventDefault();
    event.stopPropagation();
    if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
    current.setTriggerValue(trigger, value);
  }, true);
}
"""
_keys = st.components.v2.component("lecture_keys", js=KEYS_JS)


@contextmanager
def lecture_frame(navigation):
    """Around `navigation.run()`: the step bar (or, outside a lecture, the sidebar's "Add
    this view" button), with "what to notice" filled from the page once it has run."""
    mode.follow_link_or_move()
    shown = mode.current()
    if shown is None and mode.page_name(navigation) != "lecture":
        _add_view_button(navigation)
    keep_draft()
    notices = _step_bar(*shown[1:]) if shown else None
    try:
        yield
    except StopException:        # the page ended early (st.stop): it has drawn what it shows
        _after_page(navigation, notices)
        raise
    _after_page(navigation, notices)


def _after_page(navigation, notices) -> None:
    if notices is not None:
        _fill_notices(notices, page_notices())
    mode.remember_link(mode.page_name(navigation))


def _step_bar(lecture: Lecture, index: int):
    """Draw the bar of step `index`; returns the "what to notice" box and what it holds."""
    presenting = bool(st.session_state.get(PRESENTATION))
    st.html(f"<style>{LECTURE_CSS}{PRESENTING_CSS if presenting else ''}</style>")
    step, last = lecture.steps[index], len(lecture) - 1
    bar = st.container(key="lecture_bar")
    heading, moves = bar.columns([3, 2])
    heading.title(md_text(step.title), anchor=False)
    heading.caption(f"Step {index + 1} of {len(lecture)} · {md_text(lecture.title)}")
    buttons = moves.container(horizontal=True, horizontal_alignment="right", gap="small", key="lecture_moves")
    buttons.button("", icon=":material/chevron_left:", key="lecture_previous", on_click=mode.go_to,
                   args=(index - 1,), disabled=index == 0, help="Previous step (← or PageUp)")
    buttons.button("Next", icon=":material/chevron_right:", key="lecture_next", type="primary",
                   on_click=mode.go_to, args=(index + 1,), disabled=index == last,
                   help="Next step (→, PageDown or space)")
    if presenting:
        buttons.button("", icon=":material/fullscreen_exit:", key="lecture_stop", on_click=mode.stop_presenting,
                       help="Stop presenting (Esc): normal size, with the sidebar")
    else:
        buttons.button("Present", icon=":material/slideshow:", key="lecture_present", on_click=mode.present,
                       help="Present (F5): larger text, no sidebar")
    buttons.button("", icon=":material/close:", key="lecture_close", on_click=mode.close,
                   help="Leave the lecture")
    record = warm_up().record(step)
    expected = list(record.notices) if record else []
    # "what to notice" beside the talking point, unless the warm-up saw this view state none
    talking, noticed = bar.columns([3, 2]) if expected or record is None else (bar.container(), None)
    for paragraph in step.talking_point.split("\n\n"):
        if paragraph.strip():
            talking.markdown(md_text(" ".join(paragraph.split())))
    if warm_up().ready(lecture) < len(lecture):
        talking.caption(progress_line(lecture))
    box = noticed.empty() if noticed else talking.empty()
    _draw_notices(box, expected)
    _keys(key="lecture_keys", data={"step": index}, height=0, on_move_change=_moved,
          on_stop_change=mode.stop_presenting, on_present_change=mode.present)
    return box, expected


def _moved() -> None:
    """A key moved the lecture: next, previous, first, last, or "step N" (typed, then Enter)."""
    move = st.session_state["lecture_keys"]["move"]
    shown = mode.current()
    if shown is not None:
        index, last = shown[2], len(shown[1]) - 1
        moves = {"next": index + 1, "previous": index - 1, "first": 0, "last": last}
        mode.go_to(moves[move] if move in moves else int(move.removeprefix("step ")) - 1)


def _draw_notices(box, notices: list[str]) -> None:
    if notices:
        with box.container(border=True):
            st.markdown("**What to notice**")
            for text in notices:
                st.markdown(text)


def _fill_notices(drawn, notices: list[str]) -> None:
    """Redraw "what to notice" only if the page stated other sentences than its warm-up did
    (a changed control): the bar does not move under the lecturer's hand otherwise."""
    box, expected = drawn
    if notices != expected:
        box.empty()
        _draw_notices(box, notices)


def _add_view_button(navigation) -> None:
    full = len(mode.your_lecture() or ()) >= MAX_STEPS
    st.sidebar.button("Add this view to your lecture", icon=":material/playlist_add:", key="lecture_add_view",
                      on_click=mode.add_view, args=(mode.page_name(navigation), navigation.title), disabled=full,
                      help=f"A lecture has at most {MAX_STEPS} steps" if full else
                           "This page with its settings becomes the next step of your lecture "
                           "(Lecture page: edit, present, save)")
