"""Library tables in the app (AppTest): listed in the Source picker for every visitor,
opened by link, and a visitor's upload kept in the library only where the owner allows it."""
from pathlib import Path

import pytest

from engine import library
from engine.readers import write_vectors
from tests.apptest import run_page

EXAMPLE = Path(__file__).resolve().parent.parent / "assets" / "example-glove-500.txt"


@pytest.fixture
def shared(tmp_path, monkeypatch, glove):
    """A library holding 'shared-glove': the 2,000 most frequent GloVe words."""
    root = tmp_path / "library"
    root.mkdir()
    monkeypatch.setenv(library.LIBRARY_ENV, str(root))
    path = tmp_path / "g.bin"
    path.write_bytes(write_vectors(glove.restrict(2000), "word2vec-binary"))
    library.import_file(path, "shared-glove")
    return root


def test_library_table_is_offered_and_opens_by_link(shared, glove):
    at = run_page(None, source="shared-glove", word="city")
    picker = at.sidebar.selectbox[0]
    assert picker.value == "shared-glove"
    assert picker.options[0] == "GloVe 6B 50d" and picker.options[-1] == "shared-glove (library)"
    expected = [n.key for n in glove.most_similar("city", topn=10, restrict_vocab=2000)]
    assert at.dataframe[0].value["word"].tolist() == expected
    assert "library table shared-glove: 2,000 rows × 50" in at.sidebar.caption[0].value


def upload_and_keep(at, name: str):
    at.file_uploader[0].set_value((name, EXAMPLE.read_bytes(), "text/plain")).run()
    next(c for c in at.checkbox if c.label.startswith("Keep it in the library")).check().run()
    next(b for b in at.button if b.label == "Load").click().run()
    assert not at.exception
    return at


def test_keeping_an_upload_is_off_by_default(shared):
    at = run_page("views/load.py")
    at.file_uploader[0].set_value(("example.txt", EXAMPLE.read_bytes(), "text/plain")).run()
    assert not [c for c in at.checkbox if c.label.startswith("Keep it in the library")]


def test_upload_kept_in_the_library_within_limits(shared, monkeypatch):
    monkeypatch.setenv(library.UPLOADS_ENV, "1")
    monkeypatch.setenv(library.UPLOAD_COUNT_ENV, "1")
    at = upload_and_keep(run_page("views/load.py"), "example.txt")
    assert "It is in the library now" in at.success[0].value
    assert library.table_names() == ["example", "shared-glove"]
    assert at.sidebar.selectbox[0].value == "example"
    at = upload_and_keep(run_page("views/load.py"), "again.txt")
    assert "already keeps 1 visitors' tables" in at.error[0].value
    monkeypatch.setenv(library.UPLOAD_COUNT_ENV, "5")
    monkeypatch.setenv(library.UPLOAD_MB_ENV, "0.05")
    at = upload_and_keep(run_page("views/load.py"), "big.txt")
    assert "97.7 KiB as float32; visitors' tables in the library may be at most 0.05 MiB" in at.error[0].value
    assert library.table_names() == ["example", "shared-glove"]


def test_big_table_explore_answers_from_the_index_with_its_recall(shared, glove, monkeypatch):
    from engine import approximate

    monkeypatch.setattr(approximate, "EXACT_CELLS", 1_000)      # 2,000 × 50 counts as big
    at = run_page(None, source="shared-glove", word="city")
    caption = next(c.value for c in at.caption if c.value.startswith("Approximate neighbours"))
    assert "recall@10" in caption and "2,000 rows" in caption
    found = at.dataframe[0].value["word"].tolist()
    exact = [n.key for n in glove.most_similar("city", topn=10, restrict_vocab=2000)]
    assert len(set(found) & set(exact)) >= 8
    next(c for c in at.sidebar.checkbox if c.label == "Exact search").check().run()
    assert at.dataframe[0].value["word"].tolist() == exact
