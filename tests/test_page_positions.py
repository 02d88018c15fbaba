"""The Positions page in Streamlit's AppTest: each tab's defaults (only the open tab runs),
then each tab's main interaction."""
import base64
import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from ui.notice import page_notices

PAGE = str(Path(__file__).resolve().parent.parent / "views" / "positions.py")


TABS = ["Order", "Sinusoidal", "Learned", "RoPE", "Long context", "ALiBi"]


def opened(tab: str) -> AppTest:
    """The page with `tab` open (as its link ?tab=… opens it)."""
    at = AppTest.from_file(PAGE, default_timeout=180)
    at.query_params["tab"] = tab
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def page():
    return opened("Order")


def figures(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def figure(at, title_part: str) -> dict:
    found = [f for f in figures(at) if title_part in f["layout"].get("title", {}).get("text", "")]
    assert found, f"no figure titled '…{title_part}…' in {[f['layout'].get('title') for f in figures(at)]}"
    return found[0]


def values(array) -> np.ndarray:
    """A plotly data array, plain or in plotly's binary encoding."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"])
    return np.asarray(array)


def metric(at, label_part: str) -> str:
    return next(m.value for m in at.metric if label_part in m.label)


def test_each_tab_draws_its_own_figures_only():
    drawn = {}
    for tab in TABS:
        at = opened(tab)
        assert [t.label for t in at.tabs] == TABS and not at.error
        drawn[tab] = figures(at)
        if tab == "Order":
            assert float(metric(at, "no positions")) < 1e-9
            assert float(metric(at, "with MiniLM")) > 1
        if tab == "RoPE":
            assert float(metric(at, "three curves")) < 1e-9
            assert float(metric(at, "after the permutation")) < 1e-9
            said = page_notices(at.session_state)[0]
            assert f"“king” · “queen” scores the same to within {metric(at, 'three curves')};" in said
            assert f"differ by {metric(at, 'as is')} as they are" in said
    assert {tab: len(found) for tab, found in drawn.items()} == {
        "Order": 1, "Sinusoidal": 3, "Learned": 2, "RoPE": 3, "Long context": 1, "ALiBi": 2}
    assert "(showing 1 " not in json.dumps(drawn)      # the defaults draw every cell


def test_order_needs_the_same_tokens(page):
    page.text_input[1].set_value("the cat bit the man").run()
    assert not page.exception
    assert "only in A: dog; only in B: cat" in page.error[0].value


def test_sinusoidal_at_full_size_is_downsampled():
    page = opened("Sinusoidal")
    page.slider[0].set_value(4_096).run()
    page.select_slider[0].set_value(512).run()
    heatmap = figure(page, "Sinusoidal table")
    assert heatmap["layout"]["title"]["text"].endswith("(showing 1 row in 8)")
    rows = values(heatmap["data"][0]["y"])
    assert len(rows) == 512 and rows[1] == 8 and rows[-1] == 4_088
    waves = 2 * np.pi * 10_000 ** (np.arange(256) / 256)         # positions per turn of pair i
    turning = int((waves <= 4_096).sum())
    assert f"over these 4,096 positions {turning} pairs turn at least once and {256 - turning} less" in (
        page_notices(page.session_state)[0])


def test_base_and_scaling_change_the_wavelengths():
    page = opened("Long context")
    before = figure(page, "Wavelength per pair")
    page.radio[0].set_value("500000").run()
    page.selectbox[0].set_value("llama3").run()
    assert not page.exception and not page.error
    after = figure(page, "Wavelength per pair")
    assert after["data"][1]["name"] == "LLaMA 3.1 (llama3)"
    assert page.query_params["base"] == "500000" and page.query_params["scaling"] == "llama3"
    assert page.number_input(key="rope_original").value == 8_192    # L₀ follows the base preset
    assert json.dumps(before["data"]) != json.dumps(after["data"])
    assert page_notices(page.session_state)[0].startswith("LLaMA 3.1 (llama3) with s = 8 stretches ")


def test_unknown_token_is_an_error_not_a_traceback():
    page = opened("RoPE")
    page.text_input(key="rope_query").set_value("qwertyuiopasdf").run()
    assert not page.exception
    assert "not in the vocabulary of minilm-tokens" in page.error[0].value


def test_alibi_heads_not_a_power_of_two():
    page = opened("ALiBi")
    page.number_input(key="alibi_heads").set_value(6).run()
    assert not page.exception
    bars = figure(page, "Slope per head")["data"][0]
    np.testing.assert_allclose(values(bars["y"]), [2 ** -2, 2 ** -4, 2 ** -6, 2 ** -8, 2 ** -1, 2 ** -3])


def test_unknown_query_token_keeps_the_key_box_and_the_pair_slider():
    page = opened("RoPE")
    page.text_input(key="rope_query").set_value("qwertyuiopasdf").run()
    assert not page.exception
    assert len(page.error) == 1 and "qwertyuiopasdf" in page.error[0].value
    assert page.text_input(key="rope_key").value == "queen"
    page.slider(key="rope_pair").set_value(3).run()            # still there, still works
    assert page.query_params["rope_pair"] == "3"
    assert figure(page, "decay")
    page.text_input(key="rope_key").set_value("zzzzqqq").run()
    assert len(page.error) == 2                                  # each box its own error


def test_capitalised_token_is_found_in_lower_case():
    page = opened("RoPE")
    page.text_input(key="rope_query").set_value("King").run()
    assert not page.error
    assert any("“King” as “king”" in c.value for c in page.caption)
    assert float(metric(page, "three curves")) < 1e-9
