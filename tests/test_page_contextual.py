"""AppTest: Static versus contextual and Sentence search open at their defaults and answer."""
import json
import threading

from tests.apptest import run_page


def test_contextual_page_defaults_and_a_preset():
    from ui.notice import page_notices

    at = run_page("views/contextual.py")
    assert at.text_input(key="ctx_word").value == "bank"
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert "Cosine minus the baseline, by layer" in titles and any("layer 6" in t for t in titles)
    assert "Adjusted for anisotropy, by layer" in titles
    notices = page_notices(at.session_state)
    assert any(n.startswith("Two random tokens of different sentences already have cosine") for n in notices)
    assert any("more alike than every pair with different senses at layers 1–6" in n for n in notices)
    assert any("the self-similarity of “bank” adjusted for anisotropy falls" in n for n in notices)
    table = at.table[0].value
    assert list(table[""])[:2] == ["baseline (two random tokens)", "S1 vs S2 (river)"]
    at.radio(key="ctx_cosine").set_value("raw").run()
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    rows = list(at.table[0].value[""])
    assert "Cosine by layer" in titles and "S1 vs static row" in rows and rows[0] == "S1 vs S2 (river)"
    at.pills(key="ctx_preset").set_value("spring").run()
    assert any("at layers 2–6" in n and "Not at layers 0–1" in n for n in page_notices(at.session_state))
    at.text_area(key="ctx_sentences").set_value("I like tea.").run()
    assert "'spring' does not occur in sentence 1" in at.error[0].value
    at.text_input(key="ctx_word").set_value("embeddings").run()
    at.text_area(key="ctx_sentences").set_value("Word embeddings are tables.\nWe trained embeddings.").run()
    assert not at.exception and any("em ##bed ##ding ##s" in i.value.replace("\\", "") for i in at.info)


def test_contextual_page_says_its_caps_with_the_count():
    at = run_page("views/contextual.py")
    at.text_area(key="ctx_sentences").set_value("\n".join(["The bank is open."] * 60)).run()
    assert not at.exception and "60 sentences; at most 50 at once" in at.error[0].value
    assert "At most 50 sentences and 10,000 tokens" in at.text_area(key="ctx_sentences").help
def test_retrieval_page_defaults():
    at = run_page("views/retrieval.py")
    assert not at.error, [e.value for e in at.error]
    frames = at.table                      # sentences wrap in a table
    assert len(frames[0].value) == 5 and "cosine" in frames[0].value.columns
    from ui.notice import page_notices

    notices = page_notices(at.session_state)
    assert any("rank 1–1,000, 454 by dot product against 846 by cosine" in n for n in notices)
    assert any(n.startswith("For “doctor” (frequency rank 2,083)") and "lists more frequent words" in n
               for n in notices)
    words = at.table[-1].value
    assert list(words.columns) == ["by cosine", "frequency rank (cosine)", "by dot product", "frequency rank (dot)"]
    assert words["frequency rank (dot)"].median() == 769
    at.text_input(key="retrieval_query").set_value("  ").run()
    assert "the query is empty" in at.error[0].value


def test_a_text_of_too_few_sentences_for_an_index_is_searched_exactly(tmp_path, monkeypatch):
    monkeypatch.setenv("EMBEDDING_LAB_CACHE", str(tmp_path))
    text = ("word " * 20_000 + "\n\n\n" + " ".join(chr(c) for c in range(1, 9)) + "\n").encode()
    at = run_page("views/retrieval.py", retrieval_collection="My text")
    at.get("file_uploader")[0].set_value(("odd.txt", text, "text/plain")).run()
    assert not at.exception and not at.error, [e.value for e in at.exception or at.error]
    assert any("too few for an approximate index" in c.value for c in at.caption)
    assert len(at.table[0].value) == 2                        # both sentences, scored exactly


def test_a_text_past_the_sentence_cap_says_so(monkeypatch):
    from engine import retrieval

    monkeypatch.setattr(retrieval, "MAX_SENTENCES", 3)
    at = run_page("views/retrieval.py", retrieval_collection="My text")
    text = "\n".join(f"Sentence {i} has some words." for i in range(4)).encode()
    at.get("file_uploader")[0].set_value(("many.txt", text, "text/plain")).run()
    assert "the text holds 4 sentences; at most 3 can be searched" in at.error[0].value


def test_the_server_starts_reading_minilm_once_after_its_first_page(monkeypatch):
    import ui.layer

    started = []
    monkeypatch.setattr(ui.layer, "read_minilm_then_freeze", lambda: started.append("warm-up"))
    ui.layer.warm_up_minilm_once.clear()
    run_page().run()                                   # a second run of the first visitor
    run_page()                                         # and a second visitor
    for thread in threading.enumerate():
        if thread.name == "minilm-warm-up":
            thread.join(timeout=60)
    assert started == ["warm-up"]
    monkeypatch.setenv("EMBEDDING_LAB_WARM_UP", "0")
    ui.layer.warm_up_minilm_once.clear()
    run_page()
    assert started == ["warm-up"]
    ui.layer.warm_up_minilm_once.clear()


def test_threads_share_one_read_of_minilm():
    from concurrent.futures import ThreadPoolExecutor

    from engine import contextual

    with ThreadPoolExecutor(3) as pool:
        models = [model for _, model in pool.map(lambda _: contextual.load_minilm(), range(3))]
    assert models[0] is models[1] is models[2]
    assert contextual._read_minilm.cache_info().misses == 1
