"""ID tables with metadata in the app (AppTest): Explore's neighbours carry the metadata
columns, Map colours by a column, and the Categories page (its default, the example, and a
library table imported with --metadata)."""
import pandas as pd

from engine import library
from engine.readers import write_vectors
from tests.apptest import run_page


def test_explore_neighbours_show_metadata_columns():
    at = run_page(None, source="karate-club", word="33")
    frame = at.dataframe[0].value
    assert list(frame.columns[-3:]) == ["club", "role", "friends"]
    assert set(frame["club"][:4]) == {"Officer"}
    assert "club: Officer · role: administrator (John A.) · friends: 17" in [c.value for c in at.caption]


def test_map_colours_by_a_metadata_column():
    at = run_page("views/map.py", source="karate-club")
    colour = next(s for s in at.sidebar.selectbox if s.label == "Colour by")
    assert colour.value == "club" and colour.options[:3] == ["club", "role", "friends"]
    figure = at.get("plotly_chart")[0].proto.spec
    assert '"name":"Mr. Hi"' in figure and '"name":"Officer"' in figure
    assert "0 \\u00b7 Mr. Hi \\u00b7 instructor (Mr. Hi) \\u00b7 16" in figure   # the hover text


def test_categories_page_default_offers_the_example_then_shows_it():
    at = run_page("views/categories.py")
    assert "glove-6b-50d has no categorical metadata column" in at.info[0].value
    at.button[0].click().run()
    assert not at.exception
    frame = at.dataframe[0].value
    assert frame["category"].tolist() == ["Mr. Hi", "Officer"] and frame["members"].tolist() == [17, 17]
    assert at.dataframe[1].value["category"].tolist() == ["Officer"]


def test_library_table_with_metadata(tmp_path, monkeypatch, glove):
    root = tmp_path / "library"
    root.mkdir()
    monkeypatch.setenv(library.LIBRARY_ENV, str(root))
    words = ["france", "germany", "italy", "spain", "paris", "berlin", "rome", "madrid"]
    table = glove.restrict(20_000)
    rows = [table.get_index(w) for w in words]
    path = tmp_path / "places.txt"
    path.write_bytes(write_vectors(type(table)(table.vectors[rows], words, "places"), "glove-text"))
    meta = tmp_path / "places.csv"
    pd.DataFrame({"word": words, "kind": ["country"] * 4 + ["capital"] * 4}).to_csv(meta, index=False)
    library.import_file(path, "places", metadata=meta)
    at = run_page("views/categories.py", source="places")
    assert at.dataframe[0].value["category"].tolist() == ["country", "capital"]
    at = run_page(None, source="places", word="paris")
    frame = at.dataframe[0].value
    assert frame["word"].tolist()[:4] == ["france", "berlin", "rome", "madrid"]
    assert frame["kind"].tolist()[:4] == ["country", "capital", "capital", "capital"]
