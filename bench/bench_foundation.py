"""Foundation speed against gensim, measured in the same run on the real GloVe table.

Prints a Markdown table: load time, top-10 neighbours (median over 200 words), the full
Google analogy benchmark at restrict 300,000 (results must be identical), and the two
word-pair benchmarks.   Run: .venv/bin/python bench/bench_foundation.py
"""
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.evaluate import evaluate_word_analogies, evaluate_word_pairs, gensim_datapath  # noqa: E402
from engine.sources import load_builtin  # noqa: E402


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def gensim_table(table):
    from gensim.models import KeyedVectors

    kv = KeyedVectors(vector_size=table.dim)
    kv.add_vectors(table.index_to_key, np.asarray(table.vectors))
    kv.fill_norms()
    return kv


def median_query_seconds(query, words) -> float:
    times = []
    for word in words:
        started = time.perf_counter()
        query(word)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    table, load_seconds = timed(load_builtin, "glove-6b-50d")
    _, unit_seconds = timed(lambda: table.unit)
    kv = gensim_table(table)
    rows = [("load GloVe 400,000 × 50 (memory map + words)", load_seconds, None, "")]
    rows.append(("unit-normalise the table (once)", unit_seconds, None, ""))

    words = table.index_to_key[1000:400_000:1995][:200]
    ours = median_query_seconds(lambda w: table.most_similar(w, topn=10), words)
    theirs = median_query_seconds(lambda w: kv.most_similar(w, topn=10), words)
    same = all([n.key for n in table.most_similar(w, topn=10)] == [k for k, _ in kv.most_similar(w, topn=10)]
               for w in words[:50])
    rows.append(("top-10 neighbours over 400,000 words (median)", ours, theirs,
                 "same words" if same else "DIFFERENT"))

    score = evaluate_word_analogies(table, restrict_vocab=300_000)
    (_, sections), theirs = timed(kv.evaluate_word_analogies, str(gensim_datapath("questions-words.txt")),
                                  restrict_vocab=300_000)
    total = sections[-1]
    same = (score.correct, score.total) == (len(total["correct"]), len(total["correct"]) + len(total["incorrect"]))
    rows.append((f"Google analogies, restrict 300,000: {score.correct:,}/{score.total:,} = {score.accuracy:.2%}",
                 score.seconds, theirs, "identical" if same else "DIFFERENT"))

    for name, file in (("wordsim353", "wordsim353.tsv"), ("simlex999", "simlex999.txt")):
        pairs = evaluate_word_pairs(table, name)
        (_, spearman, _), theirs = timed(kv.evaluate_word_pairs, gensim_datapath(file))
        same = abs(pairs.spearman - spearman.statistic) < 1e-9
        rows.append((f"{name}: Spearman {pairs.spearman:.4f}", pairs.seconds, theirs,
                     "identical" if same else "DIFFERENT"))

    print("| task | Embedding Lab | gensim | speed-up | results |")
    print("|---|---:|---:|---:|---|")
    for task, ours, theirs, note in rows:
        reference = f"{theirs * 1000:.1f} ms" if theirs is not None and theirs < 1 else (
            f"{theirs:.1f} s" if theirs is not None else "—")
        mine = f"{ours * 1000:.1f} ms" if ours < 1 else f"{ours:.1f} s"
        ratio = f"{theirs / ours:.1f}×" if theirs is not None else "—"
        print(f"| {task} | {mine} | {reference} | {ratio} | {note} |")


if __name__ == "__main__":
    main()
