"""The Size and cost page in AppTest: presets, dtype, tying, factorisation, bad sizes."""
import pytest

from tests.apptest import run_page


@pytest.fixture
def page():
    return run_page("views/layer_size.py")


def metric(at, label_part: str) -> str:
    return next(m.value for m in at.metric if label_part in m.label)


def test_defaults_are_gpt2_small(page):
    assert [t.label for t in page.tabs] == ["Calculator", "Real models", "Choosing d"]
    assert not page.error
    assert metric(page, "parameters") == "38,597,376"
    assert metric(page, "share of GPT-2 small") == "31.0%"


def test_preset_dtype_tying_and_factorisation(page):
    page.selectbox(key="size_preset").set_value("LLaMA-3-8B").run()
    assert metric(page, "parameters") == f"{2 * 128_256 * 4_096:,}"        # untied: two tables
    assert metric(page, "share of LLaMA-3-8B") == "13.1%"
    page.radio(key="size_dtype").set_value("bf16").run()
    assert metric(page, "weights in bf16") == "2.0 GiB"               # 2 × 128,256 × 4,096 × 2 bytes
    assert metric(page, "training, mixed precision") == metric(page, "training, fp32") == "15.7 GiB"
    assert metric(page, "training, pure bf16") == "7.8 GiB"
    page.toggle(key="size_tied").set_value(True).run()
    assert metric(page, "parameters") == f"{128_256 * 4_096:,}"
    page.toggle(key="size_factorised").set_value(True).run()
    assert metric(page, "parameters") == f"{128_256 * 128 + 128 * 4_096:,}"
    assert not page.exception and not page.error


def test_zero_vocabulary_is_one_line(page):
    page.number_input(key="size_vocab").set_value(0).run()
    assert not page.exception
    assert "vocabulary V must be a whole number from 1" in page.error[0].value
