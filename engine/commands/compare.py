"""CLI: compare — two tables on their shared words: Procrustes residual, neighbour overlap,
linear CKA."""
from __future__ import annotations

from engine.sources import load_source


def _compare(args) -> dict:
    from engine.compare import compare_tables

    result = compare_tables(load_source(args.source_a), load_source(args.source_b), k=args.k,
                            limit=args.limit)
    return result.to_dict(n=args.show)


def _text(result: dict) -> str:
    residual = result["procrustes_residual"]
    lines = [f"{result['source_a']} vs {result['source_b']}: {result['shared']:,} shared words, "
             f"{result['compared']:,} compared",
             f"mean Jaccard@{result['k']} {result['mean_jaccard']:.3f}; Procrustes residual "
             + ("- (different widths)" if residual is None else f"{residual:.4f}")
             + f"; linear CKA {result['linear_cka']:.3f}"]
    for title, rows in (("most changed", result["most_changed"]), ("least changed", result["least_changed"])):
        lines.append(f"{title}: " + ", ".join(f"{r['key']} {r['jaccard']:.2f}" for r in rows))
    return "\n".join(lines)


def register(subparsers, common) -> None:
    compare = subparsers.add_parser("compare", parents=[common],
                                    help="two tables on their shared words: Procrustes, Jaccard@k, linear CKA")
    compare.add_argument("source_a", help="built-in source name or vector file")
    compare.add_argument("source_b", help="built-in source name or vector file")
    compare.add_argument("--k", type=int, default=10, help="neighbours per word")
    compare.add_argument("--limit", type=int, default=10_000,
                         help="compare the first N shared words (in SOURCE_A's order)")
    compare.add_argument("--show", type=int, default=10, help="most / least changed words listed")
    compare.set_defaults(run=_compare, text=_text)
