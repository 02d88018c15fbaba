"""The real app in Chromium with a library holding an ID table with metadata: the Source
picker offers it to a fresh visitor, Explore shows each neighbour's metadata, Categories its
centroids."""
import numpy as np
import pandas as pd
import pytest

from engine import library
from engine.readers import write_vectors
from engine.vectors import EmbeddingSet
from tests.browser import assert_no_exception, choose_option, open_page, running_app, settle, vector_strip_words

pytestmark = pytest.mark.browser

PLACES = ["france", "germany", "italy", "spain", "paris", "berlin", "rome", "madrid"]


@pytest.fixture(scope="module")
def library_app(tmp_path_factory):
    """The app serving a library with 'places': 8 GloVe rows, a 'kind' column."""
    from engine.sources import load_builtin

    folder = tmp_path_factory.mktemp("browser-library")
    root = folder / "library"
    root.mkdir()
    glove = load_builtin("glove-6b-50d")
    rows = [glove.get_index(w) for w in PLACES]
    (folder / "places.bin").write_bytes(write_vectors(
        EmbeddingSet(np.asarray(glove.vectors[rows]), PLACES, "places"), "word2vec-binary"))
    pd.DataFrame({"id": PLACES, "kind": ["country"] * 4 + ["capital"] * 4,
                  "letters": [len(w) for w in PLACES]}).to_csv(folder / "places.csv", index=False)
    library.import_file(folder / "places.bin", "places", metadata=folder / "places.csv", root=root)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(library.LIBRARY_ENV, str(root))
        with running_app() as base:
            yield base


def test_library_id_table_with_metadata(library_app, browser_page):
    page = browser_page
    open_page(page, library_app)
    choose_option(page, "Source", "places (library)")
    box = page.get_by_label("Word", exact=True)
    box.fill("paris")
    box.press("Enter")
    settle(page)
    page.get_by_text("kind: capital · letters: 5").wait_for()
    assert vector_strip_words(page)[:4] == ["paris", "france", "berlin", "rome"]
    assert_no_exception(page)

    open_page(page, library_app, "categories?source=places")        # a link to it works too
    page.get_by_text("2 categories of “kind”").wait_for()
    assert_no_exception(page)
    page.screenshot(path="/tmp/library-categories.png", full_page=True)
