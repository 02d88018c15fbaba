"""`python -m engine`: JSON on stdout, and one stderr line with exit code 2 for bad input."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from engine.cli import main

ROOT = Path(__file__).resolve().parent.parent


def run_json(capsys, *argv) -> dict:
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_info(capsys):
    assert run_json(capsys, "info") == {"name": "glove-6b-50d", "rows": 400_000, "dim": 50, "dtype": "float32"}
    assert run_json(capsys, "info", "--source", "minilm-tokens")["rows"] == 30_522


def test_neighbours_match_the_engine(capsys, glove):
    result = run_json(capsys, "neighbours", "king", "--topn", "3", "--restrict", "50000")
    expected = glove.most_similar("king", topn=3, restrict_vocab=50_000)
    assert result == {"word": "king", "neighbours": [{"key": n.key, "score": n.score} for n in expected]}


def test_analogy(capsys):
    result = run_json(capsys, "analogy", "man", "king", "woman", "--method", "mul")
    assert result["results"][0]["key"] == "queen" and len(result["results"]) == 5


def test_arithmetic_matches_gensim(capsys, glove_gensim):
    result = run_json(capsys, "arithmetic", "paris - france + italy", "--topn", "3")
    expected = glove_gensim.most_similar(positive=["paris", "italy"], negative=["france"], topn=3)
    assert [r["key"] for r in result["results"]] == [key for key, _ in expected]
    assert [r["score"] for r in result["results"]] == pytest.approx([score for _, score in expected], abs=1e-5)


def test_evaluate_word_pairs(capsys):
    result = run_json(capsys, "evaluate", "wordsim353")
    assert set(result) >= {"pearson", "spearman", "oov_ratio", "seconds"}


def test_evaluate_analogies(capsys):
    result = run_json(capsys, "evaluate", "analogies", "--restrict", "10000")
    assert len(result["sections"]) == 14
    assert result["correct"] == sum(s["correct"] for s in result["sections"])
    assert set(result["sections"][0]) == {"name", "correct", "total"}


def test_text_output_for_people(capsys):
    assert main(["neighbours", "frog", "--topn", "2"]) == 0
    assert capsys.readouterr().out.splitlines()[1].split()[:2] == ["1.", "snake"]


@pytest.mark.parametrize("argv, message", [
    (["neighbours", "kingg"], "'kingg' is not in the vocabulary of glove-6b-50d"),
    (["neighbours", "king", "--topn", "0"], "topn must be a whole number"),
    (["neighbours", "king", "--restrict", "500000"], "restrict must be a whole number from 1 to 400,000"),
    (["analogy", "man", "king", "man"], "'man' appears twice"),
    (["info", "--source", "nope"], "unknown source 'nope'"),
    (["neighbours", "king", "--topn", "ten"], "invalid int value: 'ten'"),
    (["evaluate", "men3000"], "invalid choice: 'men3000'"),
    (["arithmetic", "king - - woman"], "malformed formula 'king - - woman'"),
    (["arithmetic", "king + queenn"], "'queenn' is not in the vocabulary"),
])
def test_bad_input_is_one_line_on_stderr_and_exit_2(capsys, argv, message):
    try:
        code = main(argv)
    except SystemExit as exit_:   # argparse rejects the value before any command runs
        code = exit_.code
    assert code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1 and message in captured.err


def test_module_entry_point_exits_2():
    done = subprocess.run([sys.executable, "-m", "engine", "neighbours", "kingg"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 2 and done.stderr.startswith("error: 'kingg' is not in the vocabulary")
    assert "Traceback" not in done.stderr

