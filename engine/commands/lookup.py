"""CLI: info, neighbours, analogy, arithmetic — the Explore and Analogies pages in a shell."""
from __future__ import annotations

from dataclasses import asdict

from engine.analogy import METHODS, solve_analogy, solve_arithmetic
from engine.scoring import CSLS_K, SCORES, neighbours_by
from engine.sources import load_source


def _info(args) -> dict:
    table = load_source(args.source)
    return {"name": table.name, "rows": len(table), "dim": table.dim, "dtype": str(table.vectors.dtype)}


def fitted_topn(table, args, default: int, inputs: int) -> tuple[int, list[str]]:
    """args.topn, or the default clamped to the rows left to rank (with a note saying so)."""
    if args.topn is not None:
        return args.topn, []
    searched = len(table) if args.restrict is None else min(args.restrict, len(table))
    available = searched - inputs
    if 1 <= available < default:
        return available, [f"topn {available}, not the default {default}: {table.name} has only "
                           f"{available} rows besides the {'word' if inputs == 1 else 'inputs'}"]
    return default, []


def _neighbours(args) -> dict:
    table = load_source(args.source)
    topn, notes = fitted_topn(table, args, 10, 1)
    penalty = None
    if args.score == "csls":
        from engine import geometry
        from engine.commands.cluster_option import cluster_of
        from engine.commands.progress import progress_bar

        rows = len(table) if args.restrict is None else args.restrict
        with progress_bar(args, "row", "CSLS r(y)", rows) as bar, cluster_of(args) as cluster:
            if cluster is None:
                graph = geometry.neighbour_graph(table, CSLS_K, rows, bar.report)
            else:
                from engine.cluster import passes

                graph = passes.neighbour_graph(table, CSLS_K, rows, cluster, bar.report)
                notes.append(f"r(y) computed on {cluster.description}")
            penalty = geometry.csls_penalty(graph)
    found = neighbours_by(table, args.word, args.score, topn, args.restrict, penalty)
    return {"word": args.word, "score": args.score, "neighbours": [asdict(n) for n in found],
            "notes": notes}


def _analogy(args) -> dict:
    table = load_source(args.source)
    topn, notes = fitted_topn(table, args, 5, 3)
    found = solve_analogy(table, args.a, args.b, args.c, method=args.method, topn=topn,
                          restrict_vocab=args.restrict)
    return {"a": args.a, "b": args.b, "c": args.c, "method": args.method,
            "results": [asdict(n) for n in found], "notes": notes}


def _arithmetic(args) -> dict:
    table = load_source(args.source)
    found = solve_arithmetic(table, args.formula, topn=args.topn, restrict_vocab=args.restrict)
    return {"formula": args.formula, "results": [asdict(n) for n in found]}


def _scored_lines(items: list[dict], notes: list[str] = ()) -> str:
    lines = [f"{i:>3}. {item['key']:<20} {item['score']:.4f}" for i, item in enumerate(items, 1)]
    return "\n".join(lines + [f"note: {note}" for note in notes])


def register(subparsers, common) -> None:
    info = subparsers.add_parser("info", parents=[common], help="rows, dims and dtype of a source")
    info.set_defaults(run=_info, text=lambda r: f"{r['name']}: {r['rows']:,} rows × {r['dim']} ({r['dtype']})")

    near = subparsers.add_parser("neighbours", parents=[common],
                                 help="nearest words by cosine, dot product or CSLS")
    near.add_argument("word")
    near.add_argument("--score", choices=SCORES, default="cosine",
                      help="cosine (default), dot (raw dot product) or csls (Conneau et al. 2018; "
                           "first finds every searched row's 10 nearest rows)")
    near.add_argument("--topn", type=int, default=None,
                      help="how many (default 10, or all the rows of a smaller table)")
    near.add_argument("--restrict", type=int, default=None, help="search only the first N rows")
    from engine.commands.cluster_option import add_cluster_option

    add_cluster_option(near)
    near.set_defaults(run=_neighbours,
                      text=lambda r: f"neighbours of {r['word']}:\n" + _scored_lines(r["neighbours"], r["notes"]))

    analogy = subparsers.add_parser("analogy", parents=[common], help="A : B :: C : ?")
    for name in ("a", "b", "c"):
        analogy.add_argument(name)
    analogy.add_argument("--method", choices=METHODS, default="add",
                         help="add = 3CosAdd, mul = 3CosMul (Levy & Goldberg)")
    analogy.add_argument("--topn", type=int, default=None,
                         help="how many (default 5, or all the rows of a smaller table)")
    analogy.add_argument("--restrict", type=int, default=None, help="search only the first N rows")
    analogy.set_defaults(run=_analogy, text=lambda r: f"{r['a']} : {r['b']} :: {r['c']} : ?\n"
                         + _scored_lines(r["results"], r["notes"]))

    arithmetic = subparsers.add_parser("arithmetic", parents=[common],
                                       help='nearest words to a word formula, e.g. "king - man + woman"')
    arithmetic.add_argument("formula")
    arithmetic.add_argument("--topn", type=int, default=5)
    arithmetic.add_argument("--restrict", type=int, default=None, help="search only the first N rows")
    arithmetic.set_defaults(run=_arithmetic, text=lambda r: f"{r['formula']} ≈\n" + _scored_lines(r["results"]))
