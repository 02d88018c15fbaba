"""The real app in Chromium: train a tiny word2vec on the Train page, then open it on Explore
(the trained table is already the visitor's source) and read the same neighbours the engine
gives for the same seeded single-worker run."""
import pytest

from tests.browser import assert_no_exception, open_page, settle, vector_strip_words

pytestmark = pytest.mark.browser


def test_train_a_tiny_model_then_explore_it(app_url, browser_page):
    from engine.train.corpus import builtin_corpus
    from engine.train.run import train
    from engine.train.settings import TrainSettings

    expected = train(builtin_corpus("lee"), TrainSettings("word2vec", dim=12, epochs=2, workers=1)).table
    page = browser_page
    open_page(page, app_url, "train")
    page.get_by_text("Lee background corpus: 300 Australian news stories").click()
    settle(page)
    for label, value in (("Dimension", "12"), ("Epochs", "2")):
        box = page.get_by_label(label, exact=True)
        box.fill(value)
        box.press("Enter")
        settle(page)
    page.get_by_role("button", name="Train", exact=True).click()
    page.get_by_text("Download the table (word2vec text)").wait_for(timeout=180_000)
    settle(page)
    assert_no_exception(page)
    assert page.get_by_text("word2vec-sg-lee-12d").count() > 0

    page.locator('[data-testid="stSidebarNavLink"]').filter(has_text="Explore").first.click()
    settle(page)
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert "source=word2vec-sg-lee-12d" in page.url and "12-d, 2 epochs" in sidebar
    box = page.get_by_label("Word", exact=True)
    box.fill("police")
    box.press("Enter")
    page.get_by_text("Nearest to “police”").wait_for()
    settle(page)
    nearest = [n.key for n in expected.most_similar("police", topn=5)]
    assert vector_strip_words(page) == ["police", *nearest]
    assert_no_exception(page)
