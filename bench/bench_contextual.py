"""MiniLM on the contextual pages, against sentence-transformers in the same run.

1. Loading the model cold (a fresh process: imports, tokenizer, weights; median of 5
   processes) through transformers, with the share of its imports (torch and transformers'
   BERT module: the floor of any load through transformers), and through
   sentence-transformers; then what a visitor waits for on the Static vs contextual page
   (from opening it to its first chart), opened 10 s after the server's first page, with
   the server's background warm-up and without it (Chromium).
2. A two-sentence static-versus-contextual comparison (every layer) after the load: one
   padded forward pass for both sentences, against one forward pass per sentence (the
   reference), each with torch on one thread (as the app runs it) and on two.
3. Embedding every sentence of gensim's Lee corpus (mean pooling, unit length), uncached,
   as the app does it (torch on every core: a cached one-time job), against
   SentenceTransformer.encode on the same sentences with the same threads, and against our
   own embedding on one thread (as before); the vectors are compared.
4. The anisotropy baseline Static vs contextual opens with (200 Lee sentences, every layer:
   mean cosine across sentences, intra-sentence similarity, MEV), computed once per machine
   on one thread, against the reference of one plain forward pass over the same sentences
   (sentence vectors, one thread), and read back from its disk cache.
5. Sentence search's cosine-against-dot measurement on GloVe (300 query words, top 10 of
   400,000 rows under each score), against one matrix-vector product and a full sort per
   query (the reference), on the same queries.
6. Static vs contextual's caps (engine.contextual.MAX_SENTENCES, MAX_TOTAL_TOKENS), chosen as what the
   page computes in about 10 s: the comparison at each cap on one thread, against one
   forward pass per sentence, and the whole page run at each cap (AppTest: the model, the
   chart and table of every pair of sentences).

Run:  .venv/bin/python bench/bench_contextual.py [--no-browser] [--caps-only]
      (about 3 minutes on 2 idle cores)
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.contextual import PRESETS, all_lee_sentences, lee_sentences, load_minilm, static_vs_contextual  # noqa: E402
from engine.contextuality import BASELINE_SENTENCES, lee_baseline  # noqa: E402
from engine.dot_product import frequency_bands  # noqa: E402
from engine.retrieval import embed_collection, sentence_vectors  # noqa: E402
from engine.sources import minilm_path  # noqa: E402
from engine.torch_threads import all_torch_threads, one_torch_thread  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
COLD_OURS = ("import torch, transformers.models.bert.modeling_bert; print(time.perf_counter() - t); "
             "from engine.contextual import load_minilm; load_minilm()")
COLD_REFERENCE = ("from engine.sources import minilm_path; from sentence_transformers import SentenceTransformer; "
                  "SentenceTransformer(str(minilm_path()), device='cpu', local_files_only=True)")


def timed(fn):
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def median_seconds(fn, repeats: int = 10) -> float:
    fn()                                                                   # warm-up
    return float(np.median([timed(fn)[1] for _ in range(repeats)]))


def one_forward_per_sentence(sentences, tokenizer, model):
    """The reference: every layer's states of each sentence from its own forward pass."""
    with torch.no_grad():
        return [model(**tokenizer(s, return_tensors="pt"), output_hidden_states=True).hidden_states
                for s in sentences]


def cold_seconds(code: str, repeats: int = 5) -> np.ndarray:
    """Median seconds a fresh Python process takes to run `code` (imports included), on its
    own clock, over `repeats` processes: one number per `print(time.perf_counter() - t)` in
    `code` (the time so far), then the whole run's."""
    timed_code = f"import time; t = time.perf_counter(); {code}; print(time.perf_counter() - t)"
    runs = [subprocess.run([sys.executable, "-c", timed_code], cwd=ROOT, capture_output=True, text=True,
                           check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
            for _ in range(repeats)]
    return np.median([[float(line) for line in done.stdout.split()] for done in runs], axis=0)


def page_wait_seconds(warm_up: bool, pause: float = 10.0) -> float:
    """Chromium: open Explore (the server's first page), wait `pause` s, open Static vs
    contextual; seconds from opening it to its first chart."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROME_ARGS, CHROMIUM, serving, settle

    with sync_playwright() as playwright, serving(EMBEDDING_LAB_WARM_UP="1" if warm_up else "0") as (base, _):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(base)
        settle(page)
        time.sleep(pause)
        started = time.perf_counter()
        page.goto(f"{base}/contextual")
        page.locator(".js-plotly-plot").first.wait_for(timeout=180_000)
        seconds = time.perf_counter() - started
        browser.close()
    return seconds


def cap_inputs(tokenizer) -> dict[str, list[str]]:
    """Sentences at each cap: MAX_SENTENCES Lee sentences that use "the", and
    MAX_TOTAL_TOKENS tokens in sentences of 500 tokens about a bank."""
    from engine.contextual import MAX_SENTENCES, MAX_TOTAL_TOKENS

    lee = [s for s in all_lee_sentences() if " the " in s][:MAX_SENTENCES]
    words = " ".join(all_lee_sentences()).split()
    long = []
    while sum(min(len(ids), 512) for ids in tokenizer(long or ["x"])["input_ids"]) + 500 <= MAX_TOTAL_TOKENS:
        start = 400 * len(long)
        long.append("the bank " + " ".join(words[start:start + 600]))
        while len(tokenizer(long[-1])["input_ids"]) > 500:
            long[-1] = long[-1].rsplit(" ", 1)[0]
    return {f"{len(lee)} sentences (the sentence cap)": lee,
            f"{len(long)} sentences of 500 tokens (the token cap)": long}


def page_run_seconds(sentences: list[str]) -> float:
    """Seconds of one run of the Static vs contextual page (AppTest) with these sentences."""
    from tests.apptest import run_page

    at = run_page("views/contextual.py")
    at.text_input(key="ctx_word").set_value("the")
    at.text_area(key="ctx_sentences").set_value("\n".join(sentences))
    started = time.perf_counter()
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    return time.perf_counter() - started


def caps(tokenizer, model) -> None:
    torch.set_num_threads(1)
    for label, sentences in cap_inputs(tokenizer).items():
        tokens = sum(min(len(ids), 512) for ids in tokenizer(sentences)["input_ids"])
        _, ours = timed(lambda: static_vs_contextual("the", sentences, tokenizer, model))
        _, reference = timed(lambda: one_forward_per_sentence(sentences, tokenizer, model))
        print(f"at the caps, {label}, {tokens:,} tokens: comparison {ours:.1f} s on one thread (one "
              f"forward per sentence {reference:.1f} s, ratio {reference / ours:.2f}); the whole page "
              f"run {page_run_seconds(sentences):.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-browser", action="store_true", help="skip the page-wait measurement")
    parser.add_argument("--caps-only", action="store_true", help="measure the page's caps only")
    options = parser.parse_args()
    browser = not options.no_browser
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    if options.caps_only:
        caps(*load_minilm())
        return
    imports, whole = cold_seconds(COLD_OURS)
    print(f"cold model load in a fresh process, median of 5: {whole:.1f} s, of which importing torch "
          f"and transformers' BERT module {imports:.1f} s (sentence-transformers "
          f"{cold_seconds(COLD_REFERENCE)[-1]:.1f} s)")
    if browser:
        print(f"Static vs contextual opened 10 s after the first page, to its first chart: "
              f"{page_wait_seconds(True):.1f} s with the warm-up, {page_wait_seconds(False):.1f} s without")
    from sentence_transformers import SentenceTransformer

    tokenizer, model = load_minilm()
    reference = SentenceTransformer(str(minilm_path()), device="cpu", local_files_only=True)
    for threads in (1, 2):
        torch.set_num_threads(threads)
        two = [sentence for _, sentence in PRESETS["bank"][:2]]
        batched = median_seconds(lambda: static_vs_contextual("bank", two, tokenizer, model))
        one_by_one = median_seconds(lambda: one_forward_per_sentence(two, tokenizer, model))
        print(f"two-sentence comparison, 7 layers, {threads} thread(s): {1000 * batched:.0f} ms "
              f"(one forward per sentence {1000 * one_by_one:.0f} ms, ratio {one_by_one / batched:.2f})")
    torch.set_num_threads(1)
    sentences = all_lee_sentences()
    with tempfile.TemporaryDirectory() as folder:
        ours, seconds = timed(lambda: embed_collection("lee", sentences, tokenizer, model, Path(folder)))
    with all_torch_threads():
        expected, reference_seconds = timed(lambda: reference.encode(sentences, batch_size=32,
                                                                     normalize_embeddings=True))
    with one_torch_thread():
        _, one_thread = timed(lambda: sentence_vectors(sentences, tokenizer, model))
    difference = np.abs(ours.table.unit - expected).max()
    print(f"embedding {len(sentences):,} Lee sentences on {os.cpu_count()} threads: {seconds:.1f} s "
          f"(sentence-transformers {reference_seconds:.1f} s, ratio {reference_seconds / seconds:.2f}; "
          f"ours on one thread {one_thread:.1f} s); largest difference {difference:.1e}")
    baseline_cost(tokenizer, model)
    dot_frequency_cost()
    caps(tokenizer, model)


def baseline_cost(tokenizer, model) -> None:
    sentences = lee_sentences(BASELINE_SENTENCES)
    with one_torch_thread(), tempfile.TemporaryDirectory() as folder:
        baseline, seconds = timed(lambda: lee_baseline(tokenizer, model, folder=Path(folder)))
        _, reread = timed(lambda: lee_baseline(tokenizer, model, folder=Path(folder)))
        _, reference = timed(lambda: sentence_vectors(sentences, tokenizer, model))
    print(f"anisotropy baseline, {baseline.tokens:,} tokens of {len(sentences)} Lee sentences, one thread: "
          f"{seconds:.1f} s (one plain forward pass over them {reference:.1f} s, ratio {seconds / reference:.2f}); "
          f"read back from disk {1000 * reread:.0f} ms")


def dot_frequency_cost() -> None:
    from engine.sources import load_builtin

    glove = load_builtin("glove-6b-50d")
    glove.unit  # noqa: B018  (built once, as the app's loader does)
    bands, seconds = timed(lambda: frequency_bands(glove))
    rows = np.concatenate([shift.rows for shift in bands.values()])
    vectors, unit = np.asarray(glove.vectors), glove.unit

    def one_by_one():
        for row in rows:
            for table in (unit, vectors):
                scores = table @ table[row]
                scores[row] = -np.inf
                np.median(np.argsort(-scores)[:10])

    _, reference = timed(one_by_one)
    print(f"cosine against dot, median frequency rank of the top 10 for {len(rows)} query words: {seconds:.1f} s "
          f"(a product and a full sort per query {reference:.1f} s, ratio {reference / seconds:.1f})")


if __name__ == "__main__":
    main()
