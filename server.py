"""What `make run` and `make serve` start: the app (app.py's pages) with the work a server
does as it starts, before any visitor: the process set up (ui/process.py: BLAS on one thread,
replies without delay), GloVe opened and MiniLM read in the background. The first visitor
then waits for neither, even on a MiniLM page of a server up half a minute. `streamlit run
app.py` serves the same pages, sets the process up at its first run and starts reading
MiniLM after its first page (the tests start it so)."""
import os
import threading
from contextlib import asynccontextmanager

import streamlit as st

from engine.sources import DEFAULT_SOURCE, load_builtin
from ui.process import set_up_server_process


def open_glove_then_minilm() -> None:
    """The default page's table, then MiniLM (unless EMBEDDING_LAB_WARM_UP=0)."""
    from ui.layer import read_minilm_then_freeze     # its caches belong to the running server

    load_builtin(DEFAULT_SOURCE).key_to_index  # noqa: B018  (built once, here)
    if os.environ.get("EMBEDDING_LAB_WARM_UP", "1") != "0":
        read_minilm_then_freeze()


@asynccontextmanager
async def warm_up(_app):
    set_up_server_process()
    threading.Thread(target=open_glove_then_minilm, name="server-warm-up", daemon=True).start()
    yield


app = st.App("app.py", lifespan=warm_up)
