"""Shared fixtures: a tiny hand-checkable table and the real GloVe table."""
import numpy as np
import pytest

from engine.vectors import EmbeddingSet


def pytest_addoption(parser):
    parser.addoption("--runslow", action="store_true", help="also run tests marked slow")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--runslow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --runslow (make test-all)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def tiny():
    """Six words in 3-D whose answers can be worked out on paper.

    king=(1,1,0) queen=(1,-1,0) man=(0,1,0) woman=(0,-1,0) apple=(0,0,1) the=(2,0,0)
    """
    keys = ["the", "king", "queen", "man", "woman", "apple"]
    vectors = np.array([[2, 0, 0], [1, 1, 0], [1, -1, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1]],
                       dtype=np.float32)
    return EmbeddingSet(vectors, keys, "tiny")


@pytest.fixture(scope="session")
def glove():
    from engine.sources import load_builtin

    return load_builtin("glove-6b-50d")


@pytest.fixture(scope="session")
def glove_gensim(glove):
    """gensim KeyedVectors over the same GloVe rows: the independent reference."""
    from gensim.models import KeyedVectors

    kv = KeyedVectors(vector_size=glove.dim)
    kv.add_vectors(glove.index_to_key, np.asarray(glove.vectors))
    return kv


@pytest.fixture(scope="session")
def app_url():
    """Base URL of the real app, started once for all browser tests."""
    from tests.browser import running_app

    with running_app() as base:
        yield base


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROME_ARGS, CHROMIUM

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium):
    """A fresh browser tab (1400×1000) for one test."""
    context = chromium.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()
