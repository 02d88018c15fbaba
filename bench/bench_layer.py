"""The embedding layer pages: time of each page's script at its defaults (first run, which
computes and caches its results, and a second run, which is what a visitor waits for once
the results are cached), against a bare Streamlit page in the same run; and the engine's
heavy steps against their references (one-hot · W for a lookup, a Python Counter for the
update counts).

    .venv/bin/python bench/bench_layer.py
"""
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from bench.timing import best_of  # noqa: E402

PAGES = ["layer_lookup", "layer_gradients", "layer_init", "layer_size", "layer_frozen"]


def script_seconds(path: Path) -> float:
    at = AppTest.from_file(str(path), default_timeout=900)
    start = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(f"{path.name}: {at.exception[0].value}")
    return seconds


def main() -> None:
    from engine.contextual import load_minilm

    load_seconds, (tokenizer, model) = best_of(load_minilm, 1)
    bare = min(script_seconds(ROOT / "bench" / "bare_text_box.py") for _ in range(3))
    print(f"MiniLM load (tokenizer + weights, once per server): {load_seconds:.2f} s")
    print(f"bare Streamlit page (reference): {bare:.3f} s\n")
    print(f"{'page':<18} {'first run':>10} {'cached run':>11} {'× bare':>8}")
    for name in PAGES:
        first = script_seconds(ROOT / "views" / f"{name}.py")
        cached = min(script_seconds(ROOT / "views" / f"{name}.py") for _ in range(2))
        print(f"{name:<18} {first:>9.2f}s {cached:>10.2f}s {cached / bare:>7.1f}×")

    from engine.layer.corpus import lee_background_sentences
    from engine.layer.lookup import compare_one_hot, tokenize
    from engine.layer.optimisers import corpus_token_ids, update_counts

    check = compare_one_hot(model.embeddings.word_embeddings, tokenize(tokenizer, "The cat sat."))
    print(f"\nlookup of 6 tokens: index {check.index_seconds * 1e6:.1f} µs, one-hot · W "
          f"{check.one_hot_seconds * 1e3:.2f} ms: {check.speedup:,.0f}× (max |diff| {check.max_abs_diff:g})")
    ids = corpus_token_ids(tokenizer, lee_background_sentences())

    def direct() -> Counter:
        counts = Counter()
        for start in range(0, len(ids), 8):
            counts.update(set(i for sentence in ids[start:start + 8] for i in sentence))
        return counts

    ours, counts = best_of(lambda: update_counts(ids, 30_522, 8))
    reference, _ = best_of(direct)
    print(f"updates per row, Lee corpus ({counts.tokens:,} tokens): {ours * 1e3:.0f} ms, Python Counter "
          f"{reference * 1e3:.0f} ms ({reference / ours:.1f}×)")


if __name__ == "__main__":
    main()
