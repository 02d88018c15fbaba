"""CLI: truncate — neighbour overlap and benchmark scores of a table cut to fewer dimensions."""
from __future__ import annotations

from engine.commands.progress import progress_bar
from engine.sources import load_source
from engine.truncate import truncation_effect


def _truncate(args) -> dict:
    table = load_source(args.source)
    with progress_bar(args, "cut") as bar:
        return truncation_effect(table, args.dims, probes=args.probes, k=args.k, restrict=args.restrict,
                                 analogies=args.analogies, progress=bar.report).to_dict()


def _score(value) -> str:
    return "   -  " if value is None else f"{value:6.3f}"


def _text(result: dict) -> str:
    lines = [f"{result['table']}: overlap@{result['k']} of {result['probes']} words "
             f"(search in the first {result['restrict']:,} rows)",
             "  dims  overlap  wordsim  simlex  analogies"]
    lines += [f"{p['dims']:>6}   {_score(p['neighbour_overlap'])}  {_score(p['wordsim353_spearman'])}  "
              f"{_score(p['simlex999_spearman'])}  {_score(p['analogy_accuracy'])}" for p in result["points"]]
    return "\n".join(lines + [f"note: {note}" for note in result["notes"]])


def register(subparsers, common) -> None:
    cut = subparsers.add_parser("truncate", parents=[common],
                                help="keep the first m dimensions (Matryoshka) and measure the loss")
    cut.add_argument("--dims", type=int, nargs="+", default=None,
                     help="cut points (default: 10%%, 20%%, 40%%, 60%%, 80%% and all of the width)")
    cut.add_argument("--probes", type=int, default=None,
                     help="words whose neighbours are compared (default 500, or all rows of a smaller table)")
    cut.add_argument("--k", type=int, default=None,
                     help="neighbours per word (default 10, or fewer on a table of 10 rows or less)")
    cut.add_argument("--restrict", type=int, default=50_000, help="search only the first N rows")
    cut.add_argument("--analogies", action="store_true",
                     help="also score the Google analogies (first 30,000 rows; slower)")
    cut.set_defaults(run=_truncate, text=_text)
