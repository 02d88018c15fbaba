"""AppTest: Compare two tables opens on GloVe against MiniLM's token table and answers."""
import json

from tests.apptest import run_page


def test_compare_page_defaults_and_same_table():
    at = run_page("views/compare.py")
    assert not at.error, [e.value for e in at.error]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Procrustes residual (mean)"] == "—"          # 50 vs 384 dimensions
    assert 0 < float(metrics["Mean Jaccard@10"]) < 1
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert any(trace.get("name") == "word" for trace in spec["data"])
    at.selectbox(key="compare_b").set_value("glove-6b-50d").run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Mean Jaccard@10"] == "1.000" and float(metrics["Procrustes residual (mean)"]) < 1e-3
    assert metrics["Linear CKA"] == "1.000"
    at.text_input(key="compare_word").set_value("zzzzq").run()
    assert "'zzzzq' is not in" in at.error[0].value
    assert at.get("plotly_chart") and at.metric                   # the rest of the page still draws


def test_compare_word_found_in_lower_case():
    at = run_page("views/compare.py")
    at.text_input(key="compare_word").set_value("Queen").run()
    assert not at.error
    assert any("“Queen” as “queen”" in c.value for c in at.caption)
    assert any(m.value.startswith("Neighbours of “queen”") for m in at.markdown)


def test_cka_is_the_engines_on_the_compared_words():
    from engine.compare import compare_tables
    from engine.sources import load_builtin

    at = run_page("views/compare.py")
    expected = compare_tables(load_builtin("glove-6b-50d"), load_builtin("minilm-tokens"), 10, 5_000)
    assert {m.label: m.value for m in at.metric}["Linear CKA"] == f"{expected.cka:.3f}"
