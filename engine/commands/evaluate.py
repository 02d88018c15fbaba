"""CLI: evaluate analogies | wordsim353 | simlex999 — the Benchmarks page in a shell."""
from __future__ import annotations

from engine.commands.progress import progress_bar
from engine.evaluate import PAIR_SETS, evaluate_word_analogies, evaluate_word_pairs
from engine.sources import load_source

BENCHMARKS = ("analogies",) + tuple(PAIR_SETS)


def _evaluate(args) -> dict:
    table = load_source(args.source)
    if args.benchmark == "analogies":
        with progress_bar(args, "question") as bar:
            return evaluate_word_analogies(table, restrict_vocab=args.restrict,
                                           progress=bar.report).to_dict()
    return evaluate_word_pairs(table, args.benchmark, restrict_vocab=args.restrict).to_dict()


def _text(result: dict) -> str:
    if "sections" not in result:
        return (f"{result['name']}: Pearson {result['pearson']:.4f}, Spearman "
                f"{result['spearman']:.4f}, {result['oov_ratio']:.1f}% pairs out of vocabulary")
    lines = [f"{s['name']:<28} {s['correct']:>5} / {s['total']:<5}" for s in result["sections"]]
    lines.append(f"{'total':<28} {result['correct']:>5} / {result['total']:<5} "
                 f"= {result['accuracy']:.2%}   ({result['seconds']:.1f} s)")
    return "\n".join(lines)


def register(subparsers, common) -> None:
    evaluate = subparsers.add_parser("evaluate", parents=[common],
                                     help="Google analogies, WordSim-353 or SimLex-999")
    evaluate.add_argument("benchmark", choices=BENCHMARKS)
    evaluate.add_argument("--restrict", type=int, default=300_000,
                          help="use only the first N rows, as gensim's restrict_vocab (default 300000)")
    evaluate.set_defaults(run=_evaluate, text=_text)
