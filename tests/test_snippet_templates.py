"""The view scripts as text: short, valid Python that imports nothing of this project, settings
entering as literals (never as code), and one clear line for a view or setting that does not
exist. Whether they compute the page's numbers: tests/test_snippets.py."""
import ast
import json

import pytest

from engine.cli import main
from engine.snippets import TEMPLATES, file_name, settings_of, snippet_for, snippet_for_link
from engine.snippets.positions import SCALING_RULES
from engine.snippets.template import requirements
from engine.train.settings import METHODS

PROJECT = {"engine", "ui", "views", "tests", "app"}
VARIANTS = [(view, {}) for view in TEMPLATES] + \
    [("positions.long_context", {"scaling": scaling}) for scaling in SCALING_RULES] + \
    [("train", {"train_method": method, "train_corpus": corpus}) for method in METHODS
     for corpus in ("lee", "head500", "upload")] + \
    [("size.calculator", {"size_factorised": True, "size_tied": False})]


def imported(code: str) -> set[str]:
    tree = ast.parse(code)
    return {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
            for alias in node.names} | {node.module.split(".")[0] for node in ast.walk(tree)
                                        if isinstance(node, ast.ImportFrom)}


@pytest.mark.parametrize("view, settings", VARIANTS, ids=[f"{v}-{'-'.join(map(str, s.values()))}" for v, s in VARIANTS])
def test_a_short_script_of_plain_python(view, settings):
    code = snippet_for(view, settings)
    lines = code.splitlines()
    assert 10 <= len(lines) <= 40, f"{view}: {len(lines)} lines"
    assert max(map(len, lines)) <= 120, max(lines, key=len)
    assert not imported(code) & PROJECT
    assert lines[0].startswith('"""') and "$" not in code        # every placeholder filled
    needs = requirements(code)
    assert any(line == f"# pip install {' '.join(needs)}" if needs else line.startswith("# plain Python")
               for line in lines[:4])


def test_a_typed_sentence_is_a_literal_never_code():
    hostile = 'x", "") ; import os; os.system("rm -rf /") #\n"""\\'
    tree = ast.parse(snippet_for("lookup.rows", {"lookup_sentence": hostile}))
    assigned = next(node for node in tree.body if isinstance(node, ast.Assign)
                    and getattr(node.targets[0], "elts", [None])[0] is not None
                    and node.targets[0].elts[0].id == "sentence")
    assert [ast.literal_eval(element) for element in assigned.value.elts] == [hostile, ""]
    assert not [node for node in ast.walk(tree) if isinstance(node, ast.Call)
                and getattr(node.func, "attr", "") == "system"]


def test_settings_from_a_link_take_the_defaults_types():
    assert settings_of("positions.alibi", {"alibi_heads": "8"}) == {"alibi_heads": 8, "alibi_length": 24,
                                                                      "alibi_head": 0}
    assert settings_of("size.calculator", {"size_tied": "false"})["size_tied"] is False
    assert "heads, length, head = 8, 24, 0" in snippet_for("positions.alibi", {"alibi_heads": "8"})
    link = {"tab": "ALiBi", "alibi_heads": "8", "base": "500000"}            # a lecture step's link
    assert snippet_for_link("positions.alibi", link) == snippet_for("positions.alibi", {"alibi_heads": 8})


def test_unknown_views_and_settings_are_one_clear_line():
    with pytest.raises(ValueError, match="no code for view 'nope'; views with code: lookup.rows"):
        snippet_for("nope")
    with pytest.raises(ValueError, match="positions.alibi has no setting heads; its settings: alibi_heads"):
        snippet_for("positions.alibi", {"heads": 8})
    with pytest.raises(ValueError, match="setting alibi_heads must be a whole number, like 12; got 'eight'"):
        snippet_for("positions.alibi", {"alibi_heads": "eight"})


def test_the_choice_picked_is_the_code_shown():
    yarn, linear = (snippet_for("positions.long_context", {"scaling": s}) for s in ("yarn", "linear"))
    assert "attention factor" in yarn and "ramp" in yarn and "ramp" not in linear
    assert "FastText(" in snippet_for("train", {"train_method": "fasttext"})
    glove = snippet_for("train", {"train_method": "glove", "train_corpus": "upload", "train_upload": "notes.txt"})
    assert 'open("notes.txt", encoding="utf-8-sig")' in glove and "gensim" not in imported(glove)
    assert "torch.optim.Adagrad(" in glove and "loss.backward()" in glove          # its training loop
    skipgram = snippet_for("train", {"train_method": "torch-sgns", "train_learning_rate": 0.02})
    assert "torch.optim.SparseAdam(" in skipgram and ", 0.02, 1\n" in skipgram     # the page's rate, the seed
    lee, own = (snippet_for("contextual.senses", {"ctx_map_source": source}) for source in ("Lee corpus", "My own"))
    assert "pattern.search(s)][:40]" in lee and "lines = [" not in lee and '"river | We had a picnic' in own
    assert "share of" not in snippet_for("size.calculator", {"size_factorised": True})


def test_the_cli_prints_a_view_and_lists_them(capsys):
    assert main(["code", "positions.alibi", "alibi_heads=6"]) == 0
    assert capsys.readouterr().out == snippet_for("positions.alibi", {"alibi_heads": 6})
    assert main(["code", "--json"]) == 0
    assert set(json.loads(capsys.readouterr().out)["views"]) == set(TEMPLATES)
    assert main(["code", "positions.alibi", "alibi_heads"]) == 2
    assert "a setting is KEY=VALUE, e.g. alibi_heads=8; got 'alibi_heads'" in capsys.readouterr().err
    assert file_name("positions.rope") == "positions_rope.py"
