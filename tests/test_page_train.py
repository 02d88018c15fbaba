"""Train page (AppTest): opens at its defaults, trains a tiny model, makes it the source."""
from tests.apptest import run_page


def train_tiny(at, **settings):
    for name, value in ({"epochs": 2, "dim": 12} | settings).items():
        at.number_input(key=f"train_{name}").set_value(value)
    at.button(key="train_start").click().run()
    if "train_job" not in at.session_state:          # refused before any process started
        return at
    at.session_state["train_job"].wait(180)
    return at.run()


def test_opens_with_the_lee_corpus_and_trains_a_tiny_word2vec():
    at = run_page("views/train.py")
    assert [m.value for m in at.metric[:2]] == ["60,005", "7,577"]
    at.text_input(key="train_probes_lee").set_value("Government Fire")   # read in lower case
    at = train_tiny(at)
    assert at.session_state["train_job"].probes == ["government", "fire"]
    assert not at.exception and not at.error
    assert at.session_state["chosen_source"] == "word2vec-sg-lee-12d"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Vocabulary"] == "1,799" and metrics["Epochs"] == "2 of 2"
    assert "WordSim-353 ρ" in metrics
    explore = at.switch_page("views/explore.py").run()
    assert not explore.exception
    assert explore.dataframe[0].value["word"].size == 10          # neighbours from the trained table


def test_torch_skipgram_shows_the_rows_each_step_changed():
    at = run_page("views/train.py")
    at.selectbox(key="train_method").set_value("torch-sgns").run()
    at = train_tiny(at, epochs=1, dim=8)
    assert not at.exception and not at.error
    steps = at.dataframe[-1].value
    assert list(steps["step"][:3]) == [1, 2, 3] and steps["input rows changed"][0].endswith("of 1,799")


def test_a_min_count_that_keeps_nothing_is_one_line():
    at = run_page("views/train.py")
    at = train_tiny(at, min_count=1_000_000)
    assert not at.exception
    assert [e.value.replace("\\", "") for e in at.error] == ["min_count 1,000,000 keeps 0 distinct word(s) of lee (60,005 "
                                           "token(s), 7,577 distinct); lower min_count or give a longer text"]
    assert at.session_state["chosen_source"] != "word2vec-sg-lee-12d"


def test_a_trained_fasttext_builds_the_vocabulary_pages_unseen_words():
    at = run_page("views/train.py")
    at.selectbox(key="train_method").set_value("fasttext").run()
    at = train_tiny(at, epochs=1, dim=8)
    assert not at.exception and at.session_state["chosen_source"] == "fasttext-sg-lee-8d"
    assert "Download the fastText model (.bin, with its n-grams)" in [b.label for b in at.get("download_button")]
    vocabulary = at.switch_page("views/vocabulary.py").run()
    assert not vocabulary.exception
    shown = " ".join(m.value for m in vocabulary.markdown)
    assert "Nearest in **fasttext-sg-lee-8d**" in shown
