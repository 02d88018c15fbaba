"""`python -m engine layer …`: JSON on stdout; bad input one stderr line, exit code 2."""
import json

import pytest

from engine.cli import main


def run_json(capsys, *argv) -> dict:
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_lookup(capsys):
    result = run_json(capsys, "layer", "lookup", "The cat sat.")
    assert result["tokens"] == ["[CLS]", "the", "cat", "sat", ".", "[SEP]"]
    assert result["max_abs_diff"] == 0.0 and result["input_representation_max_abs_diff"] < 1e-5
    assert result["multiply_adds"] == 6 * 30_522 * 384


@pytest.mark.parametrize("argv, message", [
    (["layer", "lookup", " "], "the sentence is empty"),
    (["layer", "lookup", "word " * 600], "MiniLM has 512 positions"),
])
def test_bad_input_is_one_line_and_exit_2(capsys, argv, message):
    assert main(argv) == 2
    error = capsys.readouterr().err.strip()
    assert message in error and len(error.splitlines()) == 1


def test_optimisers(capsys):
    result = run_json(capsys, "layer", "optimisers", "--steps", "2", "--optimiser", "sgd",
                      "--optimiser", "adamw")
    sgd, adamw = result["optimisers"]
    assert sgd["changed"] == sgd["batch_rows"] and sgd["changed_absent"] == [0, 0]
    assert adamw["changed"] == [30_522, 30_522]


@pytest.mark.parametrize("argv, message", [
    (["layer", "optimisers", "--steps", "0"], "steps must be a whole number from 1 to 50"),
    (["layer", "optimisers", "--optimiser", "lion"], "unknown optimiser 'lion'"),
])
def test_bad_optimiser_input(capsys, argv, message):
    assert main(argv) == 2
    assert message in capsys.readouterr().err
