"""Train page (AppTest): opens at the run that learns, its presets, trains a tiny model on Lee, makes it
the source."""
from tests.apptest import run_page


def job_of(at):
    """The visitor's training run, or None."""
    return at.session_state["visitor"].held.get("train_job")


def train_tiny(at, **settings):
    for name, value in ({"epochs": 2, "dim": 12} | settings).items():
        at.number_input(key=f"train_{name}").set_value(value)
    at.button(key="train_start").click().run()
    if job_of(at) is None:                             # refused before any process started
        return at
    job_of(at).wait(180)
    return at.run()


def on_lee():
    at = run_page("views/train.py")
    at.radio(key="train_corpus").set_value("lee").run()
    return at


def test_opens_with_the_run_that_learns_and_its_presets_set_every_setting():
    at = run_page("views/train.py")
    assert at.radio(key="train_corpus").value == "head500"
    assert [m.value for m in at.metric[:2]] == ["331,376", "29,677"]
    assert at.text_input(key="train_probes").value.split()[0] == "king"
    at.number_input(key="train_dim").set_value(12)
    at.number_input(key="train_epochs").set_value(3).run()
    at.pills(key="train_preset").set_value("Too little text").run()
    assert at.radio(key="train_corpus").value == "lee"
    assert (at.number_input(key="train_dim").value, at.number_input(key="train_epochs").value) == (100, 10)
    assert at.radio(key="train_sg").value == "skip-gram" and at.selectbox(key="train_method").value == "word2vec"
    at.pills(key="train_preset").set_value("A run that learns").run()
    assert at.radio(key="train_corpus").value == "head500" and not at.exception


def test_trains_a_tiny_word2vec_on_lee_and_shows_both_times():
    at = on_lee()
    assert [m.value for m in at.metric[:2]] == ["60,005", "7,577"]
    at.text_input(key="train_probes").set_value("Government Fire")   # read in lower case
    at = train_tiny(at)
    assert job_of(at).probes == ["government", "fire"]
    assert not at.exception and not at.error
    assert at.session_state["chosen_source"] == "word2vec-sg-lee-12d"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Vocabulary"] == "1,799" and metrics["Epochs"] == "2 of 2"
    assert "WordSim-353 ρ" in metrics
    job = job_of(at)
    assert metrics["You waited"] == f"{job.waited_seconds:.1f} s"
    assert metrics["Training"] == f"{job.result.seconds:.1f} s"
    assert job.waited_seconds > job.result.seconds          # plus starting the process and sending the corpus
    explore = at.switch_page("views/explore.py").run()
    assert not explore.exception
    assert explore.dataframe[0].value["word"].size == 10          # neighbours from the trained table


def test_torch_skipgram_shows_the_rows_each_step_changed():
    at = on_lee()
    at.selectbox(key="train_method").set_value("torch-sgns").run()
    at = train_tiny(at, epochs=1, dim=8)
    assert not at.exception and not at.error
    steps = at.dataframe[-1].value
    assert list(steps["step"][:3]) == [1, 2, 3] and steps["input rows changed"][0].endswith("of 1,799")


def test_a_min_count_that_keeps_nothing_is_one_line():
    at = on_lee()
    at = train_tiny(at, min_count=1_000_000)
    assert not at.exception
    assert [e.value.replace("\\", "") for e in at.error] == [
        "min_count 1,000,000 keeps 0 distinct word(s) of lee (60,005 token(s), 7,577 distinct); lower min_count "
        "or give a longer text"]
    assert at.session_state["chosen_source"] != "word2vec-sg-lee-12d"


def test_a_trained_fasttext_builds_the_vocabulary_pages_unseen_words():
    at = on_lee()
    at.selectbox(key="train_method").set_value("fasttext").run()
    at = train_tiny(at, epochs=1, dim=8)
    assert not at.exception and at.session_state["chosen_source"] == "fasttext-sg-lee-8d"
    assert "Download the fastText model (.bin, with its n-grams)" in [b.label for b in at.get("download_button")]
    vocabulary = at.switch_page("views/vocabulary.py").run()
    assert not vocabulary.exception
    shown = " ".join(m.value for m in vocabulary.markdown)
    assert "Nearest in **fasttext-sg-lee-8d**" in shown


def test_an_uploaded_text_counts_against_the_budgets_and_goes_with_its_visitor(monkeypatch):
    from engine.evaluate import gensim_datapath
    from ui.visitor import _visitors_left, table_budget

    data = gensim_datapath("lee_background.cor").read_bytes()
    at = run_page("views/train.py")
    at.radio(key="train_corpus").set_value("upload").run()
    at.file_uploader[0].set_value(("notes.txt", data, "text/plain")).run()
    assert not at.exception and [m.value for m in at.metric[:2]] == ["60,005", "7,577"]
    visitor = at.session_state["visitor"]
    corpus = visitor.held["training text"][1]
    assert table_budget().held(visitor.id) == corpus.nbytes + len(data)
    _visitors_left([visitor])                      # the browser session ends
    assert visitor.held == {} and table_budget().held(visitor.id) == 0

    monkeypatch.setenv("EMBEDDING_LAB_SESSION_MB", "1")
    table_budget.clear()
    try:
        at = run_page("views/train.py")
        at.radio(key="train_corpus").set_value("upload").run()
        at.file_uploader[0].set_value(("notes.txt", data, "text/plain")).run()
        assert "notes.txt (training text)" in at.error[0].value.replace("\\", "")
        assert "may take 1 MiB in all" in at.error[0].value and not at.metric
        assert table_budget().held(at.session_state["visitor"].id) == 0
    finally:
        monkeypatch.delenv("EMBEDDING_LAB_SESSION_MB")
        table_budget.clear()


def test_each_method_and_corpus_brings_its_own_defaults_and_typed_words_stay():
    at = run_page("views/train.py")
    wikipedia_probes = at.text_input(key="train_probes").value
    at.selectbox(key="train_method").set_value("glove").run()
    assert at.number_input(key="train_learning_rate").value == 0.05
    at.selectbox(key="train_method").set_value("torch-sgns").run()
    assert at.number_input(key="train_learning_rate").value == 0.01     # not GloVe's 0.05
    at.radio(key="train_corpus").set_value("lee").run()
    assert at.text_input(key="train_probes").value not in ("", wikipedia_probes)
    at.text_input(key="train_probes").set_value("king queen").run()
    at.radio(key="train_corpus").set_value("head500").run()
    assert at.text_input(key="train_probes").value == "king queen"
    assert at.text_area(key="train_map").value != ""
    assert not at.exception
