"""The Vocabulary page in AppTest: defaults, a pasted list, a word list file, an uploaded
table as the source, and the strategies shown for a missing word."""
import numpy as np

from engine.readers import write_vectors
from engine.vectors import EmbeddingSet
from tests.apptest import run_page


def vocabulary_page(**query):
    return run_page("views/vocabulary.py", **query)


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_defaults_on_glove():
    at = vocabulary_page()
    assert at.title[0].value == "Vocabulary"
    rows = at.dataframe[0].value.set_index("word")
    assert rows.loc["Paris", "status"] == "other case" and rows.loc["Paris", "found as"] == "paris"
    assert rows.loc["king", "status"] == "exact" and str(rows.loc["king", "rank"]) == "692"
    assert rows.loc["blorptastic", "status"] == "missing"
    assert [s.value for s in at.subheader] == ["UNK vector", "WordPiece pieces (MiniLM)",
                                               "fastText character n-grams", "Hashing into buckets"]
    assert at.code[0].value == "afghanistan ' s"    # the first missing word of the default list
    charts = at.get("plotly_chart")
    assert len(charts) == 1 and not at.error
    assert '"iPhone"' in charts[0].proto.spec and "blorptastic" not in charts[0].proto.spec


def test_pasted_list_and_choosing_a_word():
    at = vocabulary_page()
    at.text_area[0].set_value("Cat dog zzyzxq\nunbelievableness").run()
    assert not at.exception
    assert (metric(at, "Exact"), metric(at, "Other case"), metric(at, "Missing")) == ("1", "1", "2")
    box = next(s for s in at.selectbox if s.label == "Missing word")
    box.set_value("unbelievableness").run()
    assert at.code[0].value == "unbelievable ##ness"
    # two words found: too few for a map, said in one line
    assert "at least 3 words" in at.error[0].value


def test_empty_list_is_an_error_not_a_crash():
    at = vocabulary_page()
    at.text_area[0].set_value("  ").run()
    assert not at.exception and "the word list is empty" in at.error[0].value


def test_uploaded_table_is_a_source_here():
    table = EmbeddingSet(np.eye(4, dtype=np.float32), ["Alpha", "beta", "gamma", "<unk>"], "mine")
    at = run_page("views/load.py")
    at.file_uploader[0].set_value(("mine.txt", write_vectors(table, "glove-text"), "text/plain")).run()
    next(b for b in at.button if b.label == "Load").click().run()
    at.switch_page("views/vocabulary.py").run()
    assert not at.exception
    assert at.sidebar.selectbox[0].value == "mine"
    at.text_area[0].set_value("alpha beta delta").run()
    assert (metric(at, "Exact"), metric(at, "Other case"), metric(at, "Missing")) == ("1", "1", "1")
    assert any("the table's own <unk> row" in c.value.replace("\\", "") for c in at.caption)


def test_a_link_restores_the_word_list():
    at = vocabulary_page(word_list="Cat dog zzyzxq")
    assert at.text_area[0].value == "Cat dog zzyzxq"
    assert (metric(at, "Exact"), metric(at, "Other case"), metric(at, "Missing")) == ("1", "1", "1")


def test_id_tables_start_from_their_own_keys_and_number_rows_from_0():
    """On MiniLM's position table the usual example has no word: the list is made of the
    table's first keys and a made-up word, said in a caption, with no error, and a row shows
    its 0-based id (position 0 is row 0, as nn.Embedding indexes it)."""
    at = vocabulary_page(source="minilm-positions")
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.text_area[0].value == "0 1 2 3 4 5 6 7 blorptastic"
    assert any("has few of the usual example words" in c.value for c in at.caption)
    rows = at.dataframe[0].value.set_index("word")
    assert str(rows.loc["0", "id"]) == "0" and str(rows.loc["7", "id"]) == "7"
    assert rows.loc["blorptastic", "status"] == "missing"


def test_an_uploaded_table_gets_an_example_it_has():
    names = [f"Item{i}" for i in range(150)]
    table = EmbeddingSet(np.random.default_rng(0).standard_normal((150, 5)).astype(np.float32), names, "shop")
    at = run_page("views/load.py")
    at.file_uploader[0].set_value(("shop.txt", write_vectors(table, "glove-text"), "text/plain")).run()
    next(b for b in at.button if b.label == "Load").click().run()
    at.switch_page("views/vocabulary.py").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.text_area[0].value == " ".join(names[:8]) + " ITEM0 blorptastic"
    assert (metric(at, "Exact"), metric(at, "Other case"), metric(at, "Missing")) == ("8", "1", "1")
    assert str(at.dataframe[0].value.set_index("word").loc["Item3", "id"]) == "3"


def test_a_missing_word_has_a_dash_not_none_for_its_row():
    rows = vocabulary_page().dataframe[0].value.set_index("word")
    assert rows.loc["blorptastic", "rank"] == "—"
