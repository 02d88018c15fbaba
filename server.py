"""What `make run` and `make serve` start: the app (app.py's pages) with the work a server
does as it starts, before any visitor: the process set up (ui/process.py: BLAS on one thread,
replies without delay), GloVe opened and MiniLM read in the background. The first visitor
then waits for neither, even on a MiniLM page of a server up half a minute. `streamlit run
app.py` serves the same pages, sets the process up at its first run and starts reading
MiniLM after its first page (the tests start it so)."""
import gc
import importlib
import os
import threading
from contextlib import asynccontextmanager

import streamlit as st

from engine.sources import DEFAULT_SOURCE, load_builtin
from ui.process import set_up_server_process

# what a page's first visitor would wait for otherwise: scikit-learn for Map's PCA and the
# sense map's k-means (1.4 s of CPU to import), SciPy's statistics for Load, Geometry and
# Benchmarks, Plotly's figures for every chart
PAGE_IMPORTS = ("sklearn.cluster", "sklearn.decomposition", "scipy.stats", "engine.plots.contextual")


def open_glove_then_minilm() -> None:
    """The default page's table, then MiniLM and what the pages import (unless
    EMBEDDING_LAB_WARM_UP=0: about 300 MB less for a server without MiniLM pages)."""
    from ui.layer import read_minilm_then_freeze  # its caches belong to the running server

    load_builtin(DEFAULT_SOURCE).key_to_index  # noqa: B018  (built once, here)
    if os.environ.get("EMBEDDING_LAB_WARM_UP", "1") != "0":
        read_minilm_then_freeze()
        for module in PAGE_IMPORTS:
            importlib.import_module(module)
        gc.freeze()                 # their objects too, out of the garbage collector's walks


@asynccontextmanager
async def warm_up(_app):
    set_up_server_process()
    threading.Thread(target=open_glove_then_minilm, name="server-warm-up", daemon=True).start()
    yield


app = st.App("app.py", lifespan=warm_up)
