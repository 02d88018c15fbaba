"""The Shrink the table page in AppTest: its table and sentence against the engine's numbers,
a shrunk table kept as a source, calibration words checked, and the Lee measurement."""
import pytest

from engine.quantize import default_pq_parts
from engine.quantize_effect import quantization_effect, summary_sentence
from engine.sources import load_builtin
from tests.apptest import run_page


def test_glove_int8_and_binary_against_the_engine():
    at = run_page("views/shrink.py", methods="int8,binary", probes="100")
    assert not at.error, [e.value for e in at.error]
    effect = quantization_effect(load_builtin("glove-6b-50d"), ("int8", "binary"), probes=100)
    frame = at.table[0].value
    assert frame["stored as"].tolist() == ["float32", "int8, a scale per row", "binary (sign bits)"]
    assert frame["recall"].tolist() == ["1.000"] + [f"{p.recall_at_10:.3f}" for p in effect.points]
    assert frame["MiB (× smaller)"].tolist() == ["76.29 (1×)", "20.6 (3.7×)", "2.67 (28.6×)"]
    assert any(c.value == summary_sentence(effect) for c in at.caption)
    assert at.multiselect(key="methods").value == ["int8", "binary"]


def test_a_shrunk_table_becomes_a_source():
    at = run_page("views/shrink.py", methods="int8", probes="50")
    next(b for b in at.button if b.label == "Use it as a source").click().run()
    assert not at.exception
    assert at.sidebar.selectbox[0].value == "glove-6b-50d-int8"
    assert at.session_state["user_sources"]["glove-6b-50d-int8"].dim == 50
    at.switch_page("views/compare.py").run()
    at.selectbox(key="compare_a").set_value("glove-6b-50d").run()
    at.selectbox(key="compare_b").set_value("glove-6b-50d-int8").run()
    metrics = {m.label: m.value for m in at.metric}
    assert float(metrics["Linear CKA"]) > 0.999 and float(metrics["Mean Jaccard@10"]) > 0.9


def test_calibration_on_words_and_a_word_the_table_lacks():
    at = run_page("views/shrink.py", methods="int8-ranges", probes="50", calibration="words I choose",
                  calibration_words="king, queen, man, woman")
    assert not at.error and "4 chosen words" in next(c.value for c in at.caption if "int8 ranges from" in c.value)
    at.text_input(key="calibration_words").set_value("king, kingg").run()
    assert "not in glove-6b-50d: 'kingg'" in at.sidebar.error[0].value


@pytest.mark.slow
def test_lee_sentences_binary_with_rescoring():
    at = run_page("views/shrink.py", methods="int8", probes="50", lee_binary="true")
    assert not at.error, [e.value for e in at.error]
    frame = at.table[1].value
    assert frame["method"].tolist()[0] == "float32" and len(frame) == 4
    recipe = frame.iloc[2]
    assert any(f"{recipe['recall@10']:.1%} of float32's 10 nearest sentences" in c.value for c in at.caption)


def test_calibration_words_and_pq_parts_follow_the_source():
    at = run_page("views/shrink.py", methods="int8-ranges", probes="50", calibration="words I choose")
    glove_words = at.text_input(key="calibration_words").value
    at.sidebar.selectbox[0].set_value("minilm-tokens").run()
    tokens = load_builtin("minilm-tokens")
    assert at.text_input(key="calibration_words").value == ", ".join(tokens.index_to_key[100:110]) != glove_words
    assert at.selectbox(key="pq_parts").value == default_pq_parts(384)   # GloVe's 5 does not divide 384
    assert not at.error, [e.value for e in at.error]
    at.text_input(key="calibration_words").set_value("king, queen").run()
    at.sidebar.selectbox[0].set_value("glove-6b-50d").run()
    assert at.text_input(key="calibration_words").value == "king, queen"      # typed, and GloVe has them
