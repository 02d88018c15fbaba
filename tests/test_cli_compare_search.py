"""CLI: compare, contextual and search print the engine's numbers; bad input exits 2."""
import json

import numpy as np
import pytest

from engine.cli import main
from engine.compare import compare_tables
from engine.contextual import PRESETS
from engine.readers import read_vectors


def run_json(capsys, *argv) -> dict:
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def write_glove_text(path, keys, vectors):
    path.write_text("".join(f"{k} {' '.join(f'{x:.6f}' for x in row)}\n" for k, row in zip(keys, vectors)))
    return str(path)


def test_compare_json_matches_the_engine(capsys, tmp_path, glove):
    head = glove.restrict(300)
    rng = np.random.default_rng(0)
    a = write_glove_text(tmp_path / "a.txt", head.index_to_key, head.vectors)
    shifted = head.vectors + 0.3 * rng.normal(size=head.vectors.shape)
    b = write_glove_text(tmp_path / "b.txt", head.index_to_key, shifted)
    result = run_json(capsys, "compare", a, b, "--k", "5", "--show", "3")
    expected = compare_tables(read_vectors(a), read_vectors(b), k=5)
    assert result["mean_jaccard"] == pytest.approx(expected.mean_jaccard)
    assert result["procrustes_residual"] == pytest.approx(expected.mean_residual)
    assert [r["key"] for r in result["most_changed"]] == [c.key for c in expected.most_changed(3)]
    assert result["shared"] == 300 and len(result["least_changed"]) == 3
    assert main(["compare", a, b, "--k", "5"]) == 0
    assert "mean Jaccard@5" in capsys.readouterr().out


def test_compare_bad_input(capsys, tmp_path):
    a = write_glove_text(tmp_path / "a.txt", ["x", "y"], np.eye(2))
    b = write_glove_text(tmp_path / "b.txt", ["p", "q"], np.eye(2))
    assert main(["compare", a, b, "--json"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "share no keys" in err


def test_contextual_json(capsys):
    result = run_json(capsys, "contextual", "bank", "I sat on the river bank.", "The bank raised its rates.")
    assert result["pieces"] == ["bank"] and result["layers"] == list(range(7))
    assert len(result["cosine_between"][0]["cosine"]) == 7 and len(result["sentences"]) == 2
    pair = result["cosine_between"][0]
    assert [round(c - b, 6) for c, b in zip(pair["cosine"], result["baseline"])] == pytest.approx(pair["adjusted"],
                                                                                                abs=2e-6)
    assert "senses" not in result
    labelled = run_json(capsys, "contextual", "bank", *(f"{sense} | {sentence}" for sense, sentence in PRESETS["bank"]))
    assert labelled["senses"]["labels"] == ["river", "river", "money", "money"]
    assert labelled["senses"]["holds"] == [False] + [True] * 6
    assert main(["contextual", "bank", "I like tea."]) == 2
    assert "'bank' does not occur in sentence 1" in capsys.readouterr().err
    assert main(["contextual", "bank", *["The bank is open."] * 51]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "51 sentences; at most 50 at once" in err


def test_search_json_on_a_text_file(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("EMBEDDING_LAB_CACHE", str(tmp_path / "cache"))
    text = tmp_path / "notes.txt"
    text.write_text("The cat sat on the mat.\nStocks fell sharply on Monday.\n"
                    "A kitten slept on the rug.\nThe central bank cut interest rates.\n"
                    "Rain is expected over the weekend.\n")
    result = run_json(capsys, "search", "a small cat sleeping", "--corpus", str(text), "--topn", "2")
    assert result["sentences"] == 5 and len(result["results"]) == 2
    assert result["results"][0]["sentence"] in {"A kitten slept on the rug.", "The cat sat on the mat."}
    assert result["recall_at_k"] is None and result["approximate"] == []   # too few for an index
    assert main(["search", "a small cat", "--corpus", str(text)]) == 0
    assert "searched exactly: too few sentences for an approximate index" in capsys.readouterr().out
    text.write_text("\n".join(f"Sentence number {i} is about topic {i % 7}." for i in range(40)))
    assert 0 <= run_json(capsys, "search", "topic 3", "--corpus", str(text))["recall_at_k"] <= 1
    assert main(["search", "x", "--corpus", str(tmp_path / "missing.txt")]) == 2
    assert "unknown corpus" in capsys.readouterr().err
