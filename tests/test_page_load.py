"""The Load page in AppTest: defaults, an upload through the real file_uploader, a bad file,
a safetensors tensor choice, and removing the table."""
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import run_page

EXAMPLE = Path(__file__).resolve().parent.parent / "assets" / "example-glove-500.txt"


def load_page() -> AppTest:
    return run_page("views/load.py")


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader[0].set_value((name, data, "application/octet-stream")).run()
    assert not at.exception
    next(b for b in at.button if b.label == "Load").click().run()
    assert not at.exception
    return at


def test_defaults_summarise_glove():
    at = load_page()
    assert at.title[0].value == "Load your vectors"
    assert metric(at, "Rows") == "400,000" and metric(at, "Dimensions") == "50"
    assert metric(at, "Zero rows") == "0"


def test_upload_becomes_this_visitors_source():
    at = upload(load_page(), "example-glove-500.txt", EXAMPLE.read_bytes())
    assert "Loaded example-glove-500: 500 rows × 50 (word2vec-text)" in at.success[0].value
    assert at.sidebar.selectbox[0].value == "example-glove-500"
    assert metric(at, "Rows") == "500"
    assert "example-glove-500" in at.session_state["user_sources"]
    next(b for b in at.button if b.label == "Remove").click().run()
    assert not at.exception
    assert "example-glove-500" not in at.session_state["user_sources"]
    assert metric(at, "Rows") == "400,000"


def test_another_visitor_does_not_see_it():
    upload(load_page(), "example-glove-500.txt", EXAMPLE.read_bytes())
    other = load_page()
    assert "example-glove-500" not in other.sidebar.selectbox[0].options


def test_bad_file_shows_the_line():
    at = upload(load_page(), "bad.txt", b"a 1 2 3\nb 1 2\n")
    assert at.error[0].value == ("line 2: expected a word and 3 numbers, found 2 "
                                 "(rows must all be the same length)")
    assert not at.session_state["user_sources"]


def test_safetensors_offers_its_2d_tensors():
    from safetensors.numpy import save

    data = save({"embed.weight": np.eye(4, dtype=np.float32), "norm": np.ones(4, np.float32),
                 "head.weight": np.ones((2, 4), np.float32)})
    at = upload(load_page(), "model.safetensors", data)
    tensor_box = next(s for s in at.selectbox if s.label == "Tensor")
    assert tensor_box.options == ["embed.weight [4, 4]", "head.weight [2, 4]"]
    assert metric(at, "Rows") == "4" and at.sidebar.selectbox[0].value == "model"
    assert any("no vocabulary file" in i.value for i in at.info)


@pytest.mark.parametrize("name", ["glove-6b-50d"])
def test_builtin_name_is_refused(name):
    at = load_page()
    at.file_uploader[0].set_value(("x.txt", b"a 1 2\n", "text/plain")).run()
    at.text_input[0].set_value(name).run()
    next(b for b in at.button if b.label == "Load").click().run()
    assert "is a built-in source's name" in at.error[0].value


def test_upload_limit_is_configured_below_the_reader_limit():
    import tomllib

    from engine.readers import UPLOAD_LIMITS

    config = tomllib.loads((Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml").read_text())
    megabytes = config["server"]["maxUploadSize"]
    assert 1 <= megabytes and megabytes * 2**20 <= UPLOAD_LIMITS.max_bytes
    at = load_page()
    assert f"At most {megabytes} MiB" in at.file_uploader[0].help


def test_fasttext_bin_upload_and_a_pickle(tmp_path):
    from gensim.models import KeyedVectors
    from gensim.models.fasttext import save_facebook_model

    from engine.vocabulary import lee_fasttext

    path = tmp_path / "lee.bin"
    save_facebook_model(lee_fasttext(), str(path))
    at = upload(load_page(), "lee.bin", path.read_bytes())
    assert "(fasttext-bin)" in at.success[0].value
    assert "character n-gram buckets" in at.info[0].value
    kv = KeyedVectors(vector_size=2)
    kv.add_vectors(["a", "b"], np.ones((2, 2), np.float32))
    kv.save(str(tmp_path / "old.kv"))
    at = load_page()
    at.file_uploader[0].set_value(("old.kv", (tmp_path / "old.kv").read_bytes(), "application/octet-stream")).run()
    assert not at.exception and "is a Python pickle" in at.error[0].value
    assert "save\\_word2vec\\_format" in at.error[0].value          # markdown-escaped, shown as text


def test_the_norm_claim_is_measured_on_the_table(glove):
    """GloVe's frequent words are longer (a claim the page used to make the other way round)."""
    from engine.table_report import norms_by_frequency

    at = load_page()
    captions = " ".join(c.value for c in at.caption)
    assert norms_by_frequency(glove).sentence() in captions and "frequent words are longer" in captions


@pytest.mark.parametrize("ordered", [False, True])
def test_an_upload_in_frequency_order_says_so_everywhere(ordered):
    at = load_page()
    at.file_uploader[0].set_value(("example-glove-500.txt", EXAMPLE.read_bytes(), "text/plain")).run()
    if ordered:
        next(c for c in at.checkbox if c.label.startswith("Its rows are in frequency order")).check().run()
    next(b for b in at.button if b.label == "Load").click().run()
    assert not at.exception
    captions = " ".join(c.value for c in at.caption)
    assert ("the 50 most frequent words have a mean norm" in captions) == ordered
    assert ("is not in frequency order" in captions) != ordered
    at.switch_page("views/geometry.py").run()
    label = at.sidebar.number_input(key="rows").label
    assert ("most frequent words" in label) == ordered and ("id order" in label) != ordered
    at.switch_page("views/vocabulary.py").run()
    at.text_area[0].set_value("the king").run()
    rows = at.dataframe[0].value.set_index("word")
    assert str(rows.loc["the", "rank" if ordered else "id"]) == ("1" if ordered else "0")
