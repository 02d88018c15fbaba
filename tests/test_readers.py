"""Readers: every format round-trips (our writers and the reference writers of gensim,
NumPy, safetensors and torch), gensim's reader agrees, and every kind of bad file fails
with a FileFormatError that names where."""
import gzip
import io
import pickle

import numpy as np
import pytest

from engine.readers import (
    FORMATS,
    FileFormatError,
    Limits,
    detect_format,
    list_tensors,
    load_vectors,
    read_vectors,
    write_vectors,
    write_vocabulary,
)
from engine.sources import load_source
from engine.vectors import EmbeddingSet

WORDS = ["the", "king", "queen", "naïve", "1999", "null"]   # a number and a NaN-like word too


@pytest.fixture(scope="module")
def table():
    rng = np.random.default_rng(0)
    return EmbeddingSet(rng.standard_normal((6, 5)).astype(np.float32), WORDS, "six")


def same(loaded: EmbeddingSet, table: EmbeddingSet, keys=True):
    if keys:
        assert loaded.index_to_key == table.index_to_key
    np.testing.assert_array_equal(loaded.vectors, table.vectors)
    assert loaded.vectors.dtype == np.float32


@pytest.mark.parametrize("fmt", ["word2vec-text", "word2vec-binary", "glove-text", "fasttext-vec"])
def test_word_formats_round_trip_and_are_detected(table, fmt, tmp_path):
    data = write_vectors(table, fmt)
    path = tmp_path / ("six.vec" if fmt == "fasttext-vec" else "six.txt")
    path.write_bytes(data)
    loaded = load_vectors(path)
    assert loaded.format == fmt
    same(loaded.table, table)
    assert loaded.table.name == "six"
    gz = tmp_path / (path.name + ".gz")
    gz.write_bytes(gzip.compress(data))
    again = load_vectors(gz)
    assert again.format == fmt and again.table.name == "six"
    same(again.table, table)


@pytest.mark.parametrize("binary", [False, True])
def test_gensim_writer_and_reader_agree_with_ours(glove, binary, tmp_path):
    from gensim.models import KeyedVectors

    kv = KeyedVectors(vector_size=glove.dim)
    kv.add_vectors(glove.index_to_key[:3000], np.asarray(glove.vectors[:3000]))
    path = tmp_path / "glove3k.bin"
    kv.save_word2vec_format(str(path), binary=binary)
    ours = read_vectors(path)
    theirs = KeyedVectors.load_word2vec_format(str(path), binary=binary)
    assert ours.index_to_key == theirs.index_to_key
    np.testing.assert_array_equal(ours.vectors, theirs.vectors)
    np.testing.assert_allclose(ours.vectors, glove.vectors[:3000], rtol=0, atol=1e-7 if binary else 1e-6)


def test_gensim_reads_what_we_write(table, tmp_path):
    from gensim.models import KeyedVectors

    for binary, fmt in ((False, "word2vec-text"), (True, "word2vec-binary")):
        path = tmp_path / f"ours-{fmt}"
        path.write_bytes(write_vectors(table, fmt))
        kv = KeyedVectors.load_word2vec_format(str(path), binary=binary)
        assert kv.index_to_key == WORDS
        np.testing.assert_array_equal(kv.vectors, table.vectors)


def test_tsv_with_one_column_metadata(table):
    loaded = load_vectors(write_vectors(table, "tsv"), vocab=write_vocabulary(table))
    assert loaded.format == "tsv"
    same(loaded.table, table)


def test_tsv_with_header_metadata_uses_first_column(table):
    metadata = "word\tcount\n" + "".join(f"{w}\t{i}\n" for i, w in enumerate(WORDS))
    loaded = load_vectors(write_vectors(table, "tsv"), vocab=metadata.encode())
    same(loaded.table, table)
    assert any("first line is the header" in n for n in loaded.notes)


def test_tsv_without_metadata_names_rows_by_id(table):
    loaded = load_vectors(write_vectors(table, "tsv"))
    assert loaded.table.index_to_key == [str(i) for i in range(6)]
    same(loaded.table, table, keys=False)


def test_npy_with_vocabulary_against_numpy_save(table, tmp_path):
    path = tmp_path / "t.npy"
    np.save(path, np.asfortranarray(table.vectors.astype(np.float64)))   # Fortran order, float64
    loaded = load_vectors(path, vocab=write_vocabulary(table))
    assert loaded.format == "npy"
    same(loaded.table, table)


def test_npy_object_array_is_refused(tmp_path):
    path = tmp_path / "o.npy"
    np.save(path, np.array([[object()]], dtype=object), allow_pickle=True)
    with pytest.raises(FileFormatError, match="only floating-point"):
        read_vectors(path)


def test_safetensors_against_the_library(table, tmp_path):
    from safetensors.numpy import save_file

    path = tmp_path / "m.safetensors"
    save_file({"layer.weight": np.ones((3, 2), np.float32), "embeddings.word_embeddings.weight":
               table.vectors, "bias": np.zeros(5, np.float32)}, str(path))
    assert [t.name for t in list_tensors(path) if t.usable] == ["embeddings.word_embeddings.weight",
                                                              "layer.weight"]
    loaded = load_vectors(path, vocab=WORDS)
    assert loaded.format == "safetensors"
    same(loaded.table, table)
    other = read_vectors(path, tensor="layer.weight")
    np.testing.assert_array_equal(other.vectors, np.ones((3, 2)))
    with pytest.raises(FileFormatError, match="'bias' has shape \\[5\\]"):
        read_vectors(path, tensor="bias")


def test_safetensors_bfloat16_matches_torch():
    import torch
    from safetensors.torch import save

    weights = torch.randn(4, 3).to(torch.bfloat16)
    table = read_vectors(save({"emb": weights}))
    np.testing.assert_array_equal(table.vectors, weights.float().numpy())


def test_real_minilm_safetensors(tmp_path):
    from engine.sources import load_builtin, minilm_path

    folder = minilm_path()
    loaded = load_vectors(folder / "model.safetensors", vocab=folder / "vocab.txt")
    assert loaded.format == "safetensors"
    assert "embeddings.word_embeddings.weight" in loaded.notes[0]
    reference = load_builtin("minilm-tokens")
    assert loaded.table.index_to_key == reference.index_to_key
    np.testing.assert_array_equal(loaded.table.vectors, reference.vectors)


def test_torch_state_dict(table, tmp_path):
    import torch

    path = tmp_path / "model.pt"
    torch.save({"model": {"embed_tokens.weight": torch.from_numpy(table.vectors.copy()),
                          "head.weight": torch.zeros(2, 9), "step": torch.tensor(3)}}, path)
    loaded = load_vectors(path, vocab=WORDS)
    assert loaded.format == "torch"
    assert "model.embed_tokens.weight" in loaded.notes[0]
    same(loaded.table, table)
    assert {t.name for t in loaded.tensors} == {"model.embed_tokens.weight", "model.head.weight",
                                                "model.step"}


class Exploit:
    def __reduce__(self):
        return (print, ("pickle ran",))


def test_torch_pickle_with_code_is_refused(tmp_path, capsys):
    import torch

    path = tmp_path / "evil.pt"
    torch.save({"weight": torch.zeros(2, 2), "payload": Exploit()}, path)
    with pytest.raises(FileFormatError, match="weights_only=True"):
        read_vectors(path)
    assert "pickle ran" not in capsys.readouterr().out
    with pytest.raises(FileFormatError):
        read_vectors(pickle.dumps(Exploit()), format="torch")
    assert "pickle ran" not in capsys.readouterr().out


def test_torch_without_2d_tensor(tmp_path):
    import torch

    path = tmp_path / "flat.pt"
    torch.save({"bias": torch.zeros(4), "scale": torch.ones(3, 2, 2)}, path)
    with pytest.raises(FileFormatError, match="no 2-D floating-point tensor.*bias \\[4\\]"):
        read_vectors(path)


def test_load_source_reads_a_path(table, tmp_path):
    path = tmp_path / "six.bin"
    path.write_bytes(write_vectors(table, "word2vec-binary"))
    same(load_source(str(path)), table)


def test_detection_and_override():
    assert detect_format(b"3 2\na 1 2\n") == "word2vec-text"
    assert detect_format(b"a 1 2\n") == "glove-text"
    assert detect_format(b"1\t2\n") == "tsv"
    assert detect_format(b"1 2\na 1 2\n", "x.vec.gz") == "fasttext-vec"
    assert detect_format(b"1\t2\n3\t4\n") == "tsv"              # not a "rows dims" header
    with pytest.raises(FileFormatError, match="could not tell the format"):
        detect_format(b"hello\n")
    with pytest.raises(ValueError, match="unknown format 'csv'"):
        read_vectors(b"a 1\n", format="csv")
    assert set(FORMATS) >= {"word2vec-text", "torch"}


def test_trailing_spaces_and_crlf_and_tabs():
    table = read_vectors(b"2 3\nab 1 2 3 \ncd 4 5 6 \n")
    np.testing.assert_array_equal(table.vectors, [[1, 2, 3], [4, 5, 6]])
    table = read_vectors(b"ab 1 2 3\r\ncd 4 5 6\r\n")
    assert table.index_to_key == ["ab", "cd"]
    table = read_vectors(b"ab\t1\t2\ncd  3   4\n", format="glove-text")
    np.testing.assert_array_equal(table.vectors, [[1, 2], [3, 4]])


# -- bad files: each names where ------------------------------------------------------------
@pytest.mark.parametrize("data, message", [
    (b"a 1 2 3\nb 1 2\nc 1 2 3\n", "line 2: expected a word and 3 numbers, found 2"),
    (b"a 1 2 3\nb 1 2 3\nc 1 2 3 4\n", "line 3: expected a word and 3 numbers, found 4"),
    (b"a 1 2 3\nb 1 x 3\n", "line 2, field 3: b'x' is not a number"),
    (b"a 1 2 3\nb 1 nan 3\n", "line 2, field 3: nan is not a finite number"),
    (b"a 1 2 3\nb 1 2 -inf\n", "line 2, field 4: -inf is not a finite number"),
    (b"3 2\na 1 2\nb 1 2\n", "header promises 3 rows but the file has 2"),
    (b"1 2\na 1 2\nb 1 2\n", "header promises 1 rows but there are more"),
    (b"2 3\na 1 2\nb 1 2\n", "line 2: expected a word and 3 numbers, found 2"),
    (b"", "the file is empty"),
    (b"  \n\n", "the file is empty"),
    (b"1\t2\n3\n", "line 2: expected 2 numbers, found 1"),
])
def test_bad_text_files_name_the_line(data, message):
    with pytest.raises(FileFormatError, match=message.replace("[", "\\[")):
        read_vectors(data)


def test_binary_cut_short_names_the_byte(table):
    data = write_vectors(table, "word2vec-binary")
    with pytest.raises(FileFormatError, match=r"byte [\d,]+ \(row 6 of 6, b'null'\).*cut short"):
        read_vectors(data[:-6], format="word2vec-binary")
    with pytest.raises(FileFormatError, match="cut short or the header is wrong"):
        read_vectors(data[:40], format="word2vec-binary")
    with pytest.raises(FileFormatError, match="more data follows"):
        read_vectors(data + b"extra" + bytes(20), format="word2vec-binary")


def test_binary_nan_row_is_named():
    row = np.array([1, np.nan], "<f4").tobytes()
    data = b"2 2\nok " + np.ones(2, "<f4").tobytes() + b"\nbad " + row + b"\n"
    with pytest.raises(FileFormatError, match="row 2 \\(b'bad'\\) holds NaN"):
        read_vectors(data)


def test_non_utf8_words_are_decoded_as_latin1_and_said():
    loaded = load_vectors(b"caf\xe9 1 2\nok 3 4\n")
    assert loaded.table.index_to_key == ["café", "ok"]
    assert "1 word(s) were not valid UTF-8 (first: row 1, 'café'); they were decoded as Latin-1" in loaded.notes
    binary = b"1 1\nna\xefve " + np.ones(1, "<f4").tobytes()
    loaded = load_vectors(binary)
    assert loaded.table.index_to_key == ["naïve"] and "Latin-1" in loaded.notes[0]


def test_safetensors_header_that_lies_about_offsets(table):
    from safetensors.numpy import save

    data = bytearray(save({"emb": table.vectors}))
    header = data[8:8 + int.from_bytes(data[:8], "little")]
    lying = header.replace(b"[0,120]", b"[0,999]")
    assert lying != header
    with pytest.raises(FileFormatError, match="'emb': data_offsets end at byte 1,0\\d\\d but the file ends"):
        read_vectors(bytes(data[:8] + lying + data[8 + len(header):]))
    short = header.replace(b"[0,120]", b"[0,100]")
    with pytest.raises(FileFormatError, match="needs 120 bytes but data_offsets span 100"):
        read_vectors(bytes(data[:8] + short + data[8 + len(header):]))
    with pytest.raises(FileFormatError, match="header length says"):
        read_vectors(b"\xff" * 8 + b"{}", format="safetensors")


def test_npy_cut_short(table):
    buffer = io.BytesIO()
    np.save(buffer, table.vectors)
    with pytest.raises(FileFormatError, match="but the file ends at byte"):
        read_vectors(buffer.getvalue()[:-8])


def test_vocabulary_must_match_rows(table):
    with pytest.raises(FileFormatError, match="vocabulary has 5 entries for 6 rows"):
        read_vectors(write_vectors(table, "tsv"), vocab=WORDS[:5])
    with pytest.raises(ValueError, match="names its own rows"):
        read_vectors(write_vectors(table, "glove-text"), vocab=WORDS)


def test_limits_on_rows_dims_and_bytes(table, tmp_path):
    data = write_vectors(table, "word2vec-text")
    with pytest.raises(FileFormatError, match="6 rows; at most 5 are allowed"):
        read_vectors(data, limits=Limits(max_rows=5))
    with pytest.raises(FileFormatError, match="5 dimensions; at most 4 are allowed"):
        read_vectors(write_vectors(table, "glove-text"), limits=Limits(max_dim=4))
    with pytest.raises(FileFormatError, match="header has 9,000,000,000 rows"):
        read_vectors(b"9000000000 2\na 1 2\n")
    path = tmp_path / "big.txt"
    path.write_bytes(data)
    with pytest.raises(FileFormatError, match=f"{len(data)} bytes; at most 100 are allowed"):
        read_vectors(path, limits=Limits(max_bytes=100))
    bomb = gzip.compress(b"a" + b" 0" * 100_000)
    with pytest.raises(FileFormatError, match="unpacks to more than 1,000 bytes"):
        read_vectors(bomb, limits=Limits(max_bytes=1_000))
    with pytest.raises(FileFormatError, match="gzip stream is damaged"):
        read_vectors(gzip.compress(data)[:-12])


@pytest.mark.slow
def test_full_glove_binary_matches_gensim(glove, tmp_path):
    from gensim.models import KeyedVectors

    path = tmp_path / "glove.bin"
    path.write_bytes(write_vectors(glove, "word2vec-binary"))
    ours = read_vectors(path)
    theirs = KeyedVectors.load_word2vec_format(str(path), binary=True)
    assert ours.index_to_key == theirs.index_to_key == glove.index_to_key
    np.testing.assert_array_equal(ours.vectors, theirs.vectors)


def test_cli_load_json(table, tmp_path, capsys):
    import json

    from engine.cli import main

    path = tmp_path / "six.txt.gz"
    path.write_bytes(gzip.compress(write_vectors(table, "word2vec-text")))
    assert main(["load", str(path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["name"], result["rows"], result["dim"], result["format"]) == ("six", 6, 5, "word2vec-text")
    assert result["duplicate_keys"] == 0 and result["zero_rows"] == 0
    np.testing.assert_allclose(result["norm_quantiles"][-1], np.linalg.norm(table.vectors, axis=1).max(),
                               rtol=1e-6)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"a 1 2\nb 1\n")
    assert main(["load", str(bad)]) == 2
    assert capsys.readouterr().err.strip() == ("error: line 2: expected a word and 2 numbers, found 1 "
                                               "(rows must all be the same length)")
