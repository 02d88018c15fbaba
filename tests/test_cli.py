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
    assert result == {"word": "king", "score": "cosine",
                      "neighbours": [{"key": n.key, "score": n.score} for n in expected], "notes": []}


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



@pytest.fixture
def ten_rows(tmp_path):
    import numpy as np

    from engine.readers import write_vectors
    from engine.vectors import EmbeddingSet

    table = EmbeddingSet(np.random.default_rng(2).standard_normal((10, 4)).astype(np.float32),
                         [f"w{i}" for i in range(10)], "ten")
    path = tmp_path / "ten.txt"
    path.write_bytes(write_vectors(table, "glove-text"))
    return str(path)


def test_defaults_clamp_to_a_small_table_and_say_so(capsys, ten_rows):
    result = run_json(capsys, "neighbours", "w0", "--source", ten_rows)
    assert len(result["neighbours"]) == 9
    assert result["notes"] == ["topn 9, not the default 10: ten has only 9 rows besides the word"]
    assert len(run_json(capsys, "analogy", "w0", "w1", "w2", "--source", ten_rows)["results"]) == 5
    assert main(["neighbours", "w0", "--source", ten_rows]) == 0
    assert capsys.readouterr().out.strip().endswith("note: topn 9, not the default 10: ten has only "
                                                    "9 rows besides the word")
    assert main(["neighbours", "w0", "--topn", "10", "--source", ten_rows, "--json"]) == 2
    assert "topn must be a whole number from 1 to 9" in capsys.readouterr().err
    cut = run_json(capsys, "truncate", "--source", ten_rows, "--dims", "2", "4")
    assert (cut["probes"], cut["k"]) == (10, 9) and len(cut["notes"]) == 2


def test_every_command_has_its_module_listed():
    """COMMAND_OWNERS lets one command import only its own module: it must name them all."""
    from engine.cli import COMMAND_MODULES, COMMAND_OWNERS, build_parser

    commands = build_parser()._subparsers._group_actions[0].choices
    assert set(commands) == set(COMMAND_OWNERS)
    assert set(COMMAND_OWNERS.values()) == set(COMMAND_MODULES)
    for command, module in COMMAND_OWNERS.items():
        assert command in build_parser([command])._subparsers._group_actions[0].choices, module


HEAVY = ("torch", "transformers", "umap", "gensim", "sklearn", "pandas", "scipy", "tqdm")


@pytest.mark.parametrize("argv", [["info"], ["neighbours", "king", "--topn", "2"]])
def test_quick_commands_import_nothing_heavy(argv):
    code = ("import sys; from engine.cli import main; main(%r); "
            "print(sorted(m for m in %r if m in sys.modules))" % (argv + ["--json"], HEAVY))
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


HELP_IMPORTS = """
import argparse, contextlib, io, json, sys
from engine.cli import build_parser, main

def commands(parser, path):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield path + [name]
                yield from commands(sub, path + [name])

heavy = lambda: sorted(m for m in %r if m in sys.modules)
found = []
for argv in [[]] + list(commands(build_parser(), [])):
    with contextlib.redirect_stdout(io.StringIO()) as shown, contextlib.suppress(SystemExit):
        main(argv + ["--help"])
    found.append([argv, "usage:" in shown.getvalue(), heavy()])
print(json.dumps(found))
"""


def test_every_help_imports_nothing_heavy():
    """Top-level help and every command's and sub-command's help (layer lookup, positions
    rope, ...), one after another in one fresh interpreter: none imports torch, pandas,
    scipy, sklearn, gensim, umap, transformers or tqdm (they took 2 s before help showed)."""
    done = subprocess.run([sys.executable, "-c", HELP_IMPORTS % (HEAVY,)], cwd=ROOT, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert len(found) > 20 and all(shown for _, shown, _ in found)
    assert [(argv, modules) for argv, _, modules in found if modules] == []


def test_evaluate_finds_gensim_data_without_importing_gensim():
    code = ("import sys; from engine.evaluate import gensim_datapath; "
            "print(gensim_datapath('questions-words.txt').is_file(), 'gensim' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.stdout.split() == ["True", "False"]


def test_progress_is_quiet_in_a_pipe():
    done = subprocess.run([sys.executable, "-m", "engine", "evaluate", "analogies", "--restrict", "2000",
                           "--json"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0 and done.stderr == ""
    assert json.loads(done.stdout)["total"] > 0


def _peak_of_cli(*argv) -> int:
    """Peak resident bytes of a fresh `python -m engine ...` process (its exit code 0)."""
    script = ("import resource, subprocess, sys; done = subprocess.run([sys.executable, '-m', 'engine', "
              f"*{list(argv)!r}], capture_output=True); assert done.returncode == 0, done.stderr; "
              "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024)")
    return int(subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout)


def test_loading_a_gzip_peaks_within_the_table_budget(tmp_path):
    """The budget covers the table in memory (numbers, keys, key index): `load` of a gzipped
    text without a row count, its report included, grows the process by the table and the
    blocks being parsed (tens of MB), not more. Before, a table one row past a power of
    two was given twice its rows, and the report's norms and finite check made full-size
    temporary copies (180 MB for this 90 MB table; 133 MB now)."""
    import gzip

    from engine.readers.limits import LIMITS

    rows, dim = 262_145, 50
    line = b" ".join([b"0.25"] * dim)
    big, small = tmp_path / "big.txt.gz", tmp_path / "small.txt.gz"
    big.write_bytes(gzip.compress(b"".join(b"w%d %s\n" % (i, line) for i in range(rows)), 1))
    small.write_bytes(gzip.compress(b"w " + line + b"\n"))
    grown = _peak_of_cli("load", str(big), "--json") - _peak_of_cli("load", str(small), "--json")
    table = LIMITS.table_bytes(rows, dim)
    assert grown < table + (64 << 20), f"{grown:,} bytes for a {table:,}-byte table"
