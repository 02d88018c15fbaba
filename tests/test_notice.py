"""ui.notice keeps a page's sentences once each: a fragment's rerun (a word typed on Explore)
draws its sentences again in place, and lecture mode must not see them twice."""
from pathlib import Path
from unittest.mock import MagicMock

import pytest

PAGE = '''
import streamlit as st
from ui.notice import notice, start_page_run

start_page_run()
st.session_state.full = st.session_state.get("full", 0) + 1
notice("Before the part.")

@st.fragment
def part():
    st.session_state.runs = st.session_state.get("runs", 0) + 1
    notice(f"The part has run {st.session_state.runs} times.")
    notice("Beside it.", st.columns(2)[1])

part()
notice("After the part.")
'''


def _run(script: Path, state, fragments, fragment_id: str | None = None) -> None:
    """One run of `script` (the whole script, or only the fragment `fragment_id`) as the
    server's script runner does it, in this process."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner import RerunData
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.runtime.scriptrunner_utils.script_requests import ScriptRequests
    from streamlit.testing.v1.local_script_runner import LocalScriptRunner

    runner = LocalScriptRunner(str(script), state, PagesManager(str(script), ScriptCache(), setup_watcher=False),
                               fragment_storage=fragments)
    if fragment_id:      # in place of the full run a new runner asks for first, as a browser's fragment rerun
        runner._requests = ScriptRequests()
        runner.request_rerun(RerunData(fragment_id_queue=[fragment_id]))
    runner.start()
    runner.join()


@pytest.fixture
def runtime():
    """A stand-in for the server's runtime, as AppTest sets one up for its runs."""
    from streamlit.runtime import Runtime
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    Runtime._instance = MagicMock(spec=Runtime)
    Runtime._instance.media_file_mgr = MediaFileManager(MemoryMediaFileStorage("/mock/media"))
    yield
    Runtime._instance = None


def test_a_fragment_rerun_replaces_its_sentences_in_place(tmp_path, runtime):
    from streamlit.runtime.fragment import MemoryFragmentStorage
    from streamlit.runtime.state.safe_session_state import SafeSessionState
    from streamlit.runtime.state.session_state import SessionState

    from ui.notice import page_notices

    script = tmp_path / "page.py"
    script.write_text(PAGE)
    state, fragments = SafeSessionState(SessionState(), lambda: None), MemoryFragmentStorage()
    _run(script, state, fragments)
    assert page_notices(state) == ["Before the part.", "The part has run 1 times.", "Beside it.", "After the part."]
    (fragment_id,) = fragments._fragments
    _run(script, state, fragments, fragment_id)
    assert (state["full"], state["runs"]) == (1, 2)
    assert page_notices(state) == ["Before the part.", "The part has run 2 times.", "Beside it.", "After the part."]
