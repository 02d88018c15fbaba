"""CLI for model folders, health and quantize: load FOLDER, --source FOLDER, import FOLDER,
health [--html], quantize --method; bad folders in one line with exit code 2."""
import json

import numpy as np
import pytest
from safetensors.numpy import save_file

from engine.cli import main
from engine.readers.model_folder import read_model_folder
from engine.sources import load_builtin, minilm_path
from tests.model_folders import gpt2_folder, llama_folder, rows, write_folder


def run_json(capsys, *argv) -> dict:
    assert main([*argv, "--json"]) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def test_load_and_source_a_model_folder(capsys):
    folder = str(minilm_path())
    loaded = run_json(capsys, "load", folder)
    assert (loaded["rows"], loaded["dim"], loaded["input_tensor"]) == (30_522, 384, "embeddings.word_embeddings.weight")
    assert loaded["tying"] == "no output layer" and loaded["tokenizer"]["kind"] == "WordPiece"
    assert loaded["tokenizer"]["special"] == 5 and loaded["zero_rows"] == 0
    found = run_json(capsys, "neighbours", "king", "--topn", "5", "--source", folder)
    expected = load_builtin("minilm-tokens").most_similar("king", topn=5)
    assert [n["key"] for n in found["neighbours"]] == [n.key for n in expected]
    assert main(["load", folder]) == 0
    text = capsys.readouterr().out
    assert "tokenizer: WordPiece, 30,522 tokens, 5 special, 5 added" in text


def test_health_of_a_folder_writes_one_html_file(capsys, tmp_path):
    folder, _ = gpt2_folder(tmp_path / "gpt2", "untied")
    out = tmp_path / "report.html"
    result = run_json(capsys, "health", "--source", str(folder), "--html", str(out), "--sample", "300")
    model = read_model_folder(folder)
    assert result["has_output"] and result["output_embedding"] == model.tying_reason
    assert result["rows"] == len(model.input) and result["html"] == str(out)
    assert result["under_trained"] == [r["token"] for r in result["ranked"]][:len(result["under_trained"])]
    assert "tokenizer" in result["ranked"][0] and len(result["findings"]) == 5
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Health report: gpt2" in page
    assert main(["health", "--source", str(folder), "--sample", "300"]) == 0
    assert "most likely under-trained: " in capsys.readouterr().out


def test_import_a_folder_and_report_its_health(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("EMBEDDING_LAB_LIBRARY", str(tmp_path / "library"))
    (tmp_path / "library").mkdir()
    folder, embed = llama_folder(tmp_path / "llama")
    imported = run_json(capsys, "import", str(folder), "--name", "tiny", "--quiet")
    assert imported["name"] == "tiny" and [t["name"] for t in imported["also"]] == ["tiny-output"]
    assert set(imported["metadata_columns"]) == {"token", "kind", "tokenizer"}
    found = run_json(capsys, "info", "--source", "tiny-output")
    assert (found["rows"], found["dim"]) == embed.shape
    result = run_json(capsys, "health", "--source", "tiny", "--sample", "300")
    assert result["has_output"] and result["ranked"][0]["tokenizer"] in ("special", "produced", "never produced")
    assert main(["import", str(folder), "--name", "tiny", "--quiet"]) == 2
    assert "already has a table named 'tiny'" in capsys.readouterr().err


def test_quantize_one_method(capsys):
    result = run_json(capsys, "quantize", "--method", "int8", "--probes", "50")
    assert result["method"] == "int8" and result["bytes"] == 400_000 * 50 + 4 * 400_000
    assert 0.9 < result["recall_at_10"] <= 1 and result["calibration"] == "all 400,000 rows"
    assert main(["quantize", "--method", "binary", "pq", "--probes", "30", "--source", "minilm-tokens"]) == 0
    text = capsys.readouterr().out
    assert "binary (sign bits)" in text and "product quantisation, 48" in text


def _no_embedding_tensor(folder):
    write_folder(folder, None, {"bias": np.zeros(8, np.float32)}, {"vocab_size": 30})


def _tokenizer_longer_than_the_table(folder):
    gpt2_folder(folder)
    config = json.loads((folder / "config.json").read_text())
    size = config["vocab_size"]
    save_file({"transformer.wte.weight": rows(size - 10)}, str(folder / "model.safetensors"))
    (folder / "config.json").write_text(json.dumps(config | {"vocab_size": size - 10}))


def _huge_tokenizer(folder):
    gpt2_folder(folder)
    with open(folder / "tokenizer.json", "wb") as handle:
        handle.truncate(500 << 20)                   # sparse: no 500 MiB written or read


@pytest.mark.parametrize("make, message", [
    (lambda f: f.mkdir(), "holds no weights: no model.safetensors"),
    (_no_embedding_tensor, "no embedding tensor in the folder"),
    (lambda f: (gpt2_folder(f), (f / "tokenizer.json").write_text("{oops")), "tokenizer.json is not JSON"),
    (_huge_tokenizer, "tokenizer.json is 500.0 MiB; a tokenizer.json may be at most 64.0 MiB"),
    (_tokenizer_longer_than_the_table, "token ids but transformer.wte.weight has"),
    (lambda f: (llama_folder(f), (f / "model-00001-of-00003.safetensors").unlink()),
     "the index puts model.embed_tokens.weight in model-00001-of-00003.safetensors, which is not in"),
])
def test_bad_folders_are_one_line(capsys, tmp_path, make, message):
    folder = tmp_path / "model"
    make(folder)
    for argv in (["load", str(folder)], ["info", "--source", str(folder)], ["health", "--source", str(folder)]):
        assert main([*argv, "--json"]) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: ") and message in err and err.count("\n") == 1


def test_quantize_bad_input(capsys):
    assert main(["quantize", "--method", "pq", "--pq-parts", "7", "--json"]) == 2
    assert "7 does not divide 50" in capsys.readouterr().err
    assert main(["quantize", "--calibration", "kingg,queen", "--json"]) == 2
    assert "'kingg' is not in the vocabulary" in capsys.readouterr().err
    assert main(["quantize", "--retrieval", "wiki", "--json"]) == 2
    assert "only 'lee'" in capsys.readouterr().err


def test_a_table_longer_than_its_tokenizer_says_which_rows_have_no_string(capsys, tmp_path):
    folder, embed = llama_folder(tmp_path / "longer", extra_rows=3)
    size = len(embed) - 3
    assert main(["load", str(folder)]) == 0
    out = capsys.readouterr().out
    assert f"note: model.embed_tokens.weight has {size + 3:,} rows and tokenizer.json {size:,} tokens: 3 rows " \
           f"have no token string (ids {size:,}–{size + 2:,})" in out
