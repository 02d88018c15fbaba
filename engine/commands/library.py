"""CLI: import FILE --name NAME [--metadata CSV] — a table into the shared library, once;
library — the tables there. Every command then takes --source NAME."""
from __future__ import annotations

from pathlib import Path

from engine import library
from engine.commands.progress import progress_bar
from engine.readers import FORMATS


def _import(args) -> dict:
    bars = []        # opened at the first rows, so that bad input prints its one line alone

    def progress(done: int, total: int) -> None:
        if not bars:
            bars.append(progress_bar(args, " rows", f"import {args.name}", total, unit_scale=True))
        bars[0].report(done, total)

    try:
        if Path(args.file).is_dir():
            tables = library.import_model_folder(args.file, args.name, tensor=args.tensor, progress=progress)
        else:
            tables = [library.import_file(args.file, args.name, metadata=args.metadata, format=args.format,
                                          vocab=args.vocab, progress=progress)]
    finally:
        for bar in bars:
            bar.close()
    return tables[0].to_dict() | {"library": str(library.library_root()),
                                  "also": [t.to_dict() for t in tables[1:]]}


def _import_text(result: dict) -> str:
    lines = [f"{result['name']}: {result['rows']:,} rows × {result['dim']} ({result['format']}) "
             f"now in the library at {result['library']}; use --source {result['name']}"]
    if result["metadata_columns"]:
        lines.append("metadata columns: " + ", ".join(result["metadata_columns"]))
    lines += [f"{t['name']}: {t['rows']:,} rows × {t['dim']}, the output embedding, also imported; "
              f"use --source {t['name']}" for t in result["also"]]
    return "\n".join(lines + [f"note: {n}" for n in result["notes"]])


def _list(args) -> dict:
    return {"library": str(library.check_root()),
            "tables": [t.to_dict() for t in library.list_tables()]}


def _list_text(result: dict) -> str:
    if not result["tables"]:
        return f"the library at {result['library']} has no tables yet (python -m engine import FILE --name NAME)"
    return "\n".join([f"library at {result['library']}:"] + [
        f"  {t['name']:<24} {t['rows']:>12,} rows × {t['dim']:<5} {t['format']:<16} "
        + (f"metadata: {', '.join(t['metadata_columns'])}" if t["metadata_columns"] else "")
        for t in result["tables"]])


def register(subparsers, common) -> None:
    imp = subparsers.add_parser("import", parents=[common],
                                help="convert a vector file into a memory-mapped table of the library")
    imp.add_argument("file", help="a vector file, or a model folder (its token table; an untied "
                                  "output embedding also, as NAME-output)")
    imp.add_argument("--name", required=True, help="the table's name, used with --source NAME")
    imp.add_argument("--metadata", default=None,
                     help="CSV / TSV / Parquet, one row per key: an id column (id, key, word, "
                          "item, node, or the first) and any others")
    imp.add_argument("--format", default="auto", choices=("auto",) + FORMATS)
    imp.add_argument("--vocab", default=None, help="keys for npy, tsv, safetensors, torch files")
    imp.add_argument("--tensor", default=None, help="a model folder's token table, by tensor name "
                     "(default: found from the config and the names)")
    imp.add_argument("--quiet", action="store_true", help="no progress bar")
    imp.set_defaults(run=_import, text=_import_text)

    listing = subparsers.add_parser("library", parents=[common], help="the tables in the library")
    listing.set_defaults(run=_list, text=_list_text)
