"""What a lecturer does with the pages whose sentences are measured, in real Chromium: switch
Static vs contextual between adjusted and raw cosines and back, and to a preset whose
sentence names the layers where its senses do not separate; train the skip-gram table with
a real cone from Geometry in one click and make it the source; switch the Train presets."""
import re

import pytest

from tests.browser import assert_no_exception, main_text, metric_value, open_page, settle

pytestmark = pytest.mark.browser


def wait_for_text(page, text: str) -> None:
    page.wait_for_function("t => document.querySelector('[data-testid=stMain]').textContent.includes(t)",
                           arg=text, timeout=300_000)


def choose(page, label: str) -> None:
    page.locator('[data-testid="stMain"]').get_by_text(label, exact=True).first.click()
    settle(page)
    assert_no_exception(page)


def test_contextual_adjusted_raw_and_back_then_a_preset(app_url, browser_page):
    page = browser_page
    open_page(page, app_url, "contextual")
    wait_for_text(page, "Cosine minus the baseline, by layer")
    assert "at layers 1–6" in main_text(page)
    choose(page, "raw")
    wait_for_text(page, "S1 vs static row")
    assert "ctx_cosine=raw" in page.url and "Cosine minus the baseline" not in main_text(page)
    choose(page, "adjusted for anisotropy")
    wait_for_text(page, "Cosine minus the baseline, by layer")
    assert "ctx_cosine" not in page.url and "S1 vs static row" not in main_text(page)
    page.locator('[data-testid="stButtonGroup"]').get_by_text("spring", exact=True).click()
    settle(page)
    wait_for_text(page, "Not at layers 0–1")
    choose(page, "raw")
    wait_for_text(page, "S1 vs static row")
    assert "Not at layers 0–1" in main_text(page)      # the order within a layer is the same raw
    assert_no_exception(page)


def test_geometry_trains_a_real_cone_and_makes_it_the_source(app_url, browser_page):
    page = browser_page
    open_page(page, app_url, "geometry?source=glove-6b-50d")
    wait_for_text(page, "has no narrow cone")
    page.get_by_role("button", name="Train on the Lee background corpus").click()
    settle(page, limit=400)
    assert float(metric_value(page, "Mean cosine, the Lee background corpus", timeout=400_000)) > 0.3
    page.get_by_role("button", name="Make it the source").click()
    settle(page, limit=400)
    wait_for_text(page, "has a narrow cone")
    assert "source=word2vec-sg-lee-100d" in page.url
    assert_no_exception(page)


def test_train_presets_set_the_corpus_and_back(app_url, browser_page):
    page = browser_page
    open_page(page, app_url, "train")
    wait_for_text(page, "331,376")
    page.locator('[data-testid="stButtonGroup"]').get_by_text("Too little text", exact=True).click()
    settle(page)
    wait_for_text(page, "60,005")
    page.locator('[data-testid="stButtonGroup"]').get_by_text("A run that learns", exact=True).click()
    settle(page)
    wait_for_text(page, "331,376")
    assert re.search(r"king war music", page.get_by_label("Probe words (neighbours listed after each epoch)")
                     .input_value())
    assert_no_exception(page)
