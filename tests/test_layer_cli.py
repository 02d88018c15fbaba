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


def test_memory(capsys):
    result = run_json(capsys, "layer", "memory", "--vocab", "128256", "--dim", "4096", "--dtype", "bf16", "--tied")
    assert result["params"] == 128_256 * 4_096 and result["weight_bytes"] == 2 * result["params"]
    assert result["training_bytes"] == {"fp32": 16 * result["params"], "pure bf16": 8 * result["params"],
                                        "mixed precision (bf16 + fp32 master)": 16 * result["params"]}
    preset = run_json(capsys, "layer", "memory", "--preset", "GPT-2 small")
    assert preset["total_params"] == 124_439_808 and 0.3 < preset["embedding_share"] < 0.34


@pytest.mark.parametrize("argv, message", [
    (["layer", "memory", "--vocab", "0", "--dim", "64"], "vocabulary V must be a whole number from 1"),
    (["layer", "memory", "--vocab", "100", "--dim", "64", "--dtype", "fp8"], "unknown dtype 'fp8'"),
    (["layer", "memory", "--preset", "GPT-9"], "unknown preset 'GPT-9'"),
    (["layer", "memory"], "give --vocab and --dim"),
])
def test_bad_memory_input(capsys, argv, message):
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_frozen(capsys):
    result = run_json(capsys, "layer", "frozen", "--epochs", "10")
    assert [run["mode"] for run in result["runs"]] == ["frozen", "fine_tuned", "random"]
    assert result["runs"][0]["rows_moved"] == 0 and result["train"] + result["test"] == 200
