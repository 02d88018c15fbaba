"""The Health report page in AppTest: MiniLM's token table with its tokenizer's statuses, a
model folder opened on the Load page (its output embedding used), and a link's settings."""

from engine.sources import load_builtin
from engine.token_context import context_of_table
from engine.undertrained import under_trained
from tests.apptest import run_page
from tests.model_folders import gpt2_folder
from ui.text import md_text


def test_minilm_report_says_what_the_tokenizer_never_produces():
    at = run_page("views/health.py", source="minilm-tokens", health_sample="2000")
    assert not at.error, [e.value for e in at.error]
    table = load_builtin("minilm-tokens")
    context = context_of_table(table)
    under = under_trained(table, None, context.status, context.init_std, context.pad)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Under-trained cluster"] == f"{under.cluster:,}" and metrics["Rows"] == "30,522"
    flagged = under.status_counts(under.order()[:under.cluster])
    measured = next(c.value for c in at.caption if "stand apart as an under-trained cluster" in c.value)
    assert f"{flagged['never produced']:,} never produced" in measured
    ranked = at.table[0].value
    assert ranked["token"].tolist() == [md_text(under.keys[i][:16]) for i in under.order()[:25]]   # all short
    assert set(ranked["tokenizer"]) <= {"never produced", "produced"}
    assert ranked["score"].tolist() == [round(float(under.score[i]), 3) for i in under.order()[:25]]
    assert any("2,000 random rows (seed 0)" in c.value for c in at.caption)
    assert [h.value for h in at.header] == ["Rows the model never learned", "Norms against id",
                                            "Anisotropy (the narrow cone)", "Hubness", "Near-duplicate rows"]


def test_a_model_folder_from_the_load_page(tmp_path):
    folder, _ = gpt2_folder(tmp_path / "gpt2", "untied")
    at = run_page("views/load.py")
    files = [(p.name, p.read_bytes(), "application/octet-stream") for p in sorted(folder.iterdir())]
    at.file_uploader(key="model_files").set_value(files).run()
    at.text_input(key="model_folder_name").set_value("tiny").run()
    next(b for b in at.button if b.label == "Open the model folder").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    at.switch_page("views/health.py").run()
    at.number_input(key="health_sample").set_value(300).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("Output embedding: untied: lm\\_head.weight differs" in c.value for c in at.caption)
    ranked = at.table[0].value
    assert list(ranked.columns) == ["rank", "token", "tokenizer", "score", "norm"]
    assert len(ranked) == 25 and set(ranked["tokenizer"]) <= {"special", "produced", "part of a character"}
    assert any("on the input and the output embedding" in c.value for c in at.caption)


def test_the_link_keeps_sample_and_k():
    at = run_page("views/health.py", source="karate-club", health_sample="100", health_k="3")
    assert not at.error, [e.value for e in at.error]
    assert at.number_input(key="health_sample").value == 100 and at.number_input(key="health_k").value == 3
    assert any("all 34 rows" in c.value for c in at.caption)
    assert any("k = 3: skewness" in c.value for c in at.caption)
    at.number_input(key="health_k").set_value(4).run()
    assert any("k = 4: skewness" in c.value for c in at.caption) and at.query_params["health_k"] == "4"
