"""CLI: health — the one-click health report of a table (under-trained rows, norms,
anisotropy, hubness, near-duplicates), optionally written as one self-contained HTML file."""
from __future__ import annotations

from pathlib import Path

from engine.commands.progress import progress_bar


def _health(args) -> dict:
    from engine.health import health_report
    from engine.token_context import open_with_context

    table, context = open_with_context(args.source)
    with progress_bar(args, "step", "health", 4) as bar:
        report = health_report(table, context.output, context.status, context.init_std, context.pad,
                               sample=args.sample, k=args.k, progress=bar.report)
    result = report.to_dict(args.top) | {"output_embedding": context.tying}
    if args.html:
        from engine.health_html import health_html

        Path(args.html).write_text(health_html(report, table.index_to_key, table.norms), encoding="utf-8")
        result["html"] = str(args.html)
    return result


def _text(result: dict) -> str:
    lines = [f"{result['table']}: {result['rows']:,} rows × {result['dim']} "
             f"(sample for geometry: {result['sample_how']})"]
    if result["output_embedding"]:
        lines.append(f"output embedding: {result['output_embedding']}")
    for finding in result["findings"]:
        lines += [f"{'!' if finding['flag'] else ' '} {finding['title']}: {finding['measured']}",
                  f"    what to do: {finding['action']}"]
    lines.append("most likely under-trained: " + ", ".join(repr(t) for t in result["under_trained"][:20]))
    if "html" in result:
        lines.append(f"report written to {result['html']}")
    return "\n".join(lines + [f"({result['seconds']:.1f} s)"])


def register(subparsers, common) -> None:
    parser = subparsers.add_parser("health", parents=[common],
                                   help="health report: under-trained rows, norms, anisotropy, hubness, "
                                        "near-duplicates")
    parser.add_argument("--html", default=None, help="also write the report as one self-contained HTML file")
    parser.add_argument("--sample", type=int, default=20_000,
                        help="rows for anisotropy, hubness and near-duplicates (default 20,000)")
    parser.add_argument("--k", type=int, default=10, help="neighbours per row for hubness (default 10)")
    parser.add_argument("--top", type=int, default=50, help="ranked under-trained rows listed (default 50)")
    parser.set_defaults(run=_health, text=_text)
