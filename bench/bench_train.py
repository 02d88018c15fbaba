"""Training speed, each against its reference in the same run:

1. word2vec (skip-gram, 100-d, 2 workers, 2 epochs) on gensim's Wikipedia sample
   (head500, 330,000 words): through the engine (the page's and CLI's path: monitored
   corpus, per-epoch callbacks with loss, probe neighbours and map snapshots) against
   gensim's Word2Vec called directly; the best of two runs each.
2. The torch skip-gram against gensim's skip-gram (one worker each), words/s on one epoch
   of the Lee corpus (60,000 words).
3. GloVe: one epoch on head500 (and the co-occurrence count before it), and on Lee.
(Another visitor's Explore while one trains: bench/bench_train_load.py.)

Run: .venv/bin/python bench/bench_train.py
"""
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.timing import best_of  # noqa: E402
from engine.train.corpus import builtin_corpus  # noqa: E402
from engine.train.monitor import Monitor  # noqa: E402
from engine.train.run import train  # noqa: E402
from engine.train.settings import TrainSettings  # noqa: E402

PROBES = ["war", "film", "music"]
MAP = "war armi battl film music album song king emperor church god philosophi theori".split()


def word2vec_overhead() -> None:
    from gensim.models import Word2Vec

    corpus = builtin_corpus("head500")
    settings = TrainSettings("word2vec", dim=100, epochs=2, workers=2)
    ours, _ = best_of(lambda: train(corpus, settings, Monitor(PROBES, MAP)), 2)
    gensim, _ = best_of(lambda: Word2Vec(corpus.sentences, vector_size=100, window=5, min_count=5,
                                         epochs=2, sg=1, negative=5, sample=1e-3, seed=1, workers=2), 2)
    words = 2 * corpus.words
    print(f"| word2vec sg, head500, 2 epochs, 2 workers | {ours:.2f} s ({words / ours:,.0f} words/s) | "
          f"{gensim:.2f} s ({words / gensim:,.0f} words/s) | overhead {ours / gensim - 1:+.1%} |")


def torch_against_gensim() -> None:
    corpus = builtin_corpus("lee")
    torch_run = train(corpus, TrainSettings("torch-sgns", dim=100, epochs=1))
    gensim_run = train(corpus, TrainSettings("word2vec", dim=100, epochs=1, workers=1))
    print(f"| skip-gram, Lee, 1 epoch, 1 thread | torch: {torch_run.seconds:.2f} s "
          f"({torch_run.words_per_second:,.0f} words/s) | gensim: {gensim_run.seconds:.2f} s "
          f"({gensim_run.words_per_second:,.0f} words/s) | torch at "
          f"{torch_run.words_per_second / gensim_run.words_per_second:.1%} of gensim's speed |")


def glove_epochs() -> None:
    for name in ("lee", "head500"):
        corpus = builtin_corpus(name)
        started = time.perf_counter()
        run = train(corpus, TrainSettings("glove", dim=100, epochs=1))
        total = time.perf_counter() - started
        epoch = run.epochs[0].seconds
        print(f"| GloVe, {name}, 1 epoch, {run.cooccurrence.nnz:,} cells | {epoch:.2f} s "
              f"(co-occurrences and set-up {total - epoch:.2f} s) | | |")


def main() -> None:
    print("| task | Embedding Lab | reference | ratio |")
    print("|---|---:|---:|---|")
    word2vec_overhead()
    torch_against_gensim()
    glove_epochs()


if __name__ == "__main__":
    main()
