"""The shared table library: import round trips against gensim's reader, interrupted
imports, bad folders and names, metadata joins, and --source NAME on the command line."""
import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from engine import library
from engine.readers import streamed, write_vectors
from engine.vectors import EmbeddingSet


@pytest.fixture
def lib(tmp_path, monkeypatch):
    root = tmp_path / "library"
    root.mkdir()
    monkeypatch.setenv(library.LIBRARY_ENV, str(root))
    return root


@pytest.fixture(scope="module")
def words():
    """300 GloVe rows, with a key that is not ASCII."""
    from engine.sources import load_builtin

    table = load_builtin("glove-6b-50d").restrict(300)
    keys = list(table.index_to_key)
    keys[7] = "café"
    return EmbeddingSet(np.asarray(table.vectors), keys, "words")


@pytest.mark.parametrize("fmt", ["word2vec-binary", "word2vec-text", "glove-text"])
def test_import_round_trip_matches_gensim(lib, tmp_path, words, fmt, monkeypatch):
    from gensim.models import KeyedVectors

    monkeypatch.setattr(streamed, "CHUNK_ROWS", 64)           # several blocks, a ragged last one
    monkeypatch.setattr(streamed, "READ_BYTES", 1000)         # records straddle the reads
    path = tmp_path / "table.bin"
    path.write_bytes(write_vectors(words, fmt))
    info = library.import_file(path, "t", format=fmt)
    assert (info.rows, info.dim, info.format) == (300, 50, fmt)
    table = library.load_table("t")
    reference = KeyedVectors.load_word2vec_format(path, binary=fmt == "word2vec-binary",
                                                  no_header=fmt == "glove-text")
    assert table.index_to_key == reference.index_to_key
    np.testing.assert_array_equal(np.asarray(table.vectors), reference.vectors)
    np.testing.assert_allclose(table.unit, reference.get_normed_vectors(), atol=1e-6)
    assert isinstance(table.vectors, np.memmap) and not table.vectors.flags.writeable
    assert [n.key for n in table.most_similar("city", topn=5)] == \
        [k for k, _ in reference.most_similar("city", topn=5)]
    assert library.table_names() == ["t"]


def test_npy_import_and_auto_format(lib, tmp_path, words):
    path = tmp_path / "m.npy"
    np.save(path, np.asarray(words.vectors[:40], dtype=np.float64))
    info = library.import_file(path, "m")
    assert (info.format, info.rows) == ("npy", 40)
    table = library.load_table("m")
    assert table.index_to_key[:3] == ["0", "1", "2"]
    np.testing.assert_array_equal(np.asarray(table.vectors), np.asarray(words.vectors[:40]))


def test_interrupted_import_is_never_listed(lib, tmp_path, words, monkeypatch):
    monkeypatch.setattr(streamed, "CHUNK_ROWS", 50)
    path = tmp_path / "t.bin"
    path.write_bytes(write_vectors(words, "word2vec-binary"))

    def interrupt(done, total):
        if done >= 100:
            raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        library.import_file(path, "half", progress=interrupt)
    assert library.list_tables() == [] and list(lib.iterdir()) == []
    # a process killed mid-import leaves its temporary folder: still not a table
    (lib / ".importing-half-1-1").mkdir()
    np.save(lib / ".importing-half-1-1" / "vectors.npy", np.zeros((3, 2), np.float32))
    assert library.list_tables() == []
    library.import_file(path, "half")
    assert library.table_names() == ["half"]


def test_cut_short_binary_is_refused_and_not_listed(lib, tmp_path, words):
    path = tmp_path / "cut.bin"
    path.write_bytes(write_vectors(words, "word2vec-binary")[:-500])
    with pytest.raises(ValueError, match="the file ends inside row 29[89] of the 300"):
        library.import_file(path, "cut")
    assert list(lib.iterdir()) == []


def test_bad_folders_names_and_sizes(tmp_path, words, monkeypatch):
    path = tmp_path / "t.txt"
    path.write_bytes(write_vectors(words, "glove-text"))
    monkeypatch.setenv(library.LIBRARY_ENV, str(tmp_path / "missing"))
    with pytest.raises(ValueError, match="library folder .*missing does not exist"):
        library.import_file(path, "t")
    assert library.list_tables() == []
    monkeypatch.setenv(library.LIBRARY_ENV, str(tmp_path))
    monkeypatch.setattr(library.os, "access", lambda *a: False)     # a read-only mount
    with pytest.raises(ValueError, match="is read-only"):
        library.import_file(path, "t")
    monkeypatch.undo()
    monkeypatch.setenv(library.LIBRARY_ENV, str(tmp_path))
    library.import_file(path, "t")
    with pytest.raises(ValueError, match="already has a table named 't'"):
        library.import_file(path, "t")
    for bad in ("glove-6b-50d", "../up", ""):
        with pytest.raises(ValueError, match="built-in|not allowed"):
            library.import_file(path, bad)
    monkeypatch.setattr(library, "available_memory", lambda: 10)
    tsv = tmp_path / "v.tsv"
    tsv.write_text("1\t2\n3\t4\n")
    with pytest.raises(ValueError, match="needs about 24 bytes of memory but only 10 bytes is available") as refused:
        library.import_file(tsv, "v", format="tsv")
    assert "python -m engine import" not in str(refused.value)          # it is what they ran
    assert "import streams word2vec binary or text, GloVe text and .npy without --vocab" in str(refused.value)


def test_a_library_path_that_is_a_file_says_so(tmp_path, words, monkeypatch, capsys):
    from engine.cli import main

    path, plain = tmp_path / "t.txt", tmp_path / "tables"
    path.write_bytes(write_vectors(words, "glove-text"))
    plain.write_text("not a folder")
    monkeypatch.setenv(library.LIBRARY_ENV, str(plain))
    with pytest.raises(ValueError, match=r"library folder .*tables is a file, not a folder; set "
                                         "EMBEDDING_LAB_LIBRARY to a folder"):
        library.import_file(path, "t")
    assert main(["library"]) == 2
    err = capsys.readouterr().err
    assert "is a file, not a folder" in err and "no tables yet" not in err


def test_a_binary_metadata_file_says_it_is_not_text(lib, tmp_path, words):
    path, meta = tmp_path / "t.txt", tmp_path / "meta.csv"
    path.write_bytes(write_vectors(words.restrict(6), "glove-text"))
    meta.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    with pytest.raises(ValueError, match=r"the metadata file meta.csv is not UTF-8 text: byte 0x89 is "
                                         r"not a character \(a binary file\?\); give CSV or TSV") as refused:
        library.import_file(path, "t", metadata=meta)
    assert "codec" not in str(refused.value)


def test_metadata_join_keeps_row_order_and_counts_matches(lib, tmp_path, words):
    path = tmp_path / "t.txt"
    path.write_bytes(write_vectors(words.restrict(6), "glove-text"))
    keys = words.index_to_key[:6]
    meta = tmp_path / "meta.csv"
    # shuffled, one key missing, one id unknown to the table
    pd.DataFrame({"title": [f"T-{k}" for k in keys[::-1][:5]] + ["ghost"],
                  "id": keys[::-1][:5] + ["nobody"], "year": [1, 2, 3, 4, 5, 6]}).to_csv(meta, index=False)
    info = library.import_file(path, "t", metadata=meta)
    assert info.metadata_columns == ("title", "year")
    assert "metadata for 5 of 6 keys; 1 metadata id(s) are not in the table" in info.notes
    frame = library.load_table("t").metadata
    assert frame["key"].tolist() == keys
    assert frame["title"].tolist()[1:] == [f"T-{k}" for k in keys[1:]]
    assert pd.isna(frame["title"].iloc[0])


def test_metadata_that_does_not_match_says_how_many_do(lib, tmp_path, words):
    path = tmp_path / "t.txt"
    path.write_bytes(write_vectors(words.restrict(10), "glove-text"))
    meta = tmp_path / "meta.csv"
    pd.DataFrame({"id": ["the", "x1", "x2"], "c": [1, 2, 3]}).to_csv(meta, index=False)
    with pytest.raises(ValueError, match="only 1 of the table's 10 keys have a metadata row "
                                         r"\(1 of the metadata's 3 ids match"):
        library.import_file(path, "t", metadata=meta)
    assert library.list_tables() == []
    pd.DataFrame({"id": ["the", "the"], "c": [1, 2]}).to_csv(meta, index=False)
    with pytest.raises(ValueError, match="2 repeated|1 repeated id"):
        library.import_file(path, "t", metadata=meta)


def test_cli_import_then_source_by_name(lib, tmp_path, words):
    path = tmp_path / "t.bin"
    path.write_bytes(write_vectors(words, "word2vec-binary"))
    def run(*args):
        return subprocess.run([sys.executable, "-m", "engine", *args], capture_output=True, text=True,
                              env={**__import__("os").environ})
    done = run("import", str(path), "--name", "small", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["rows"] == 300 and done.stderr == ""         # no bar in a pipe
    found = json.loads(run("neighbours", "city", "--source", "small", "--json").stdout)
    assert [n["key"] for n in found["neighbours"]][:3] == \
        [n.key for n in words.most_similar("city", topn=3)]
    again = run("import", str(path), "--name", "small")
    assert again.returncode == 2 and again.stderr.startswith("error: the library already has")
    assert "Traceback" not in again.stderr
    assert json.loads(run("library", "--json").stdout)["tables"][0]["name"] == "small"


def _stderr_on_a_terminal(*args: str) -> str:
    """What `python -m engine ARGS` writes to stderr when stderr is an 80-column terminal (a
    pty; tqdm draws nothing on one of no width)."""
    import fcntl
    import os
    import pty
    import struct
    import termios

    reader, writer = pty.openpty()
    fcntl.ioctl(writer, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    child = subprocess.Popen([sys.executable, "-m", "engine", *args], stdout=subprocess.DEVNULL,
                             stderr=writer)
    os.close(writer)
    written = b""
    while True:
        try:
            chunk = os.read(reader, 4096)
        except OSError:                      # the child closed the terminal
            break
        if not chunk:
            break
        written += chunk
    child.wait()
    os.close(reader)
    return written.decode(errors="replace")


def test_cli_import_shows_its_bar_on_a_terminal_and_quiet_hides_it(lib, tmp_path, words):
    path = tmp_path / "t.bin"
    path.write_bytes(write_vectors(words, "word2vec-binary"))
    assert "import shown:" in _stderr_on_a_terminal("import", str(path), "--name", "shown")   # the bar
    assert _stderr_on_a_terminal("import", str(path), "--name", "hidden", "--quiet") == ""
    assert [t.name for t in library.list_tables()] == ["hidden", "shown"]


def test_cli_approximate_hubness_on_a_library_table(lib, tmp_path, words, capsys):
    from engine.cli import main
    from engine.geometry import hubness, neighbour_graph

    path = tmp_path / "t.bin"
    path.write_bytes(write_vectors(words, "word2vec-binary"))
    library.import_file(path, "small")
    assert main(["geometry", "--source", "small", "--restrict", "300", "--approximate", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    exact = hubness(words, neighbour_graph(words, k=10))
    assert "IVF-PQ fast scan" in result["hubness"]["retrieval"] and result["index_built"]
    assert result["recall_at_10"] >= 0.9
    assert result["hubness"]["skewness"] == pytest.approx(exact.skewness, rel=0.15)
    assert (lib / "small" / "ann-cosine-pq.faiss").is_file()
