"""`python -m engine COMMAND ... [--json]`: the engine calls the pages make, in a shell.

Each command lives in a module of engine/commands/ with a `register(subparsers)` that adds
its parser and sets `run` (args -> JSON-able dict) and optionally `text` (dict -> str for
people). Bad input (ValueError, KeyError, OSError) prints one line to stderr, exit code 2.
"""
from __future__ import annotations

import argparse
import importlib
import json
import sys

from engine.sources import DEFAULT_SOURCE

COMMAND_MODULES = [
    "engine.commands.lookup",
    "engine.commands.evaluate",
    "engine.commands.positions",
    "engine.commands.project",
    "engine.commands.load",
    "engine.commands.truncate",
    "engine.commands.geometry",
    "engine.commands.layer",
    "engine.commands.library",
    "engine.commands.train",
    "engine.commands.compare",
    "engine.commands.contextual",
    "engine.commands.search",
]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's usage dump -> our one-line contract
        print(f"error: {message}", file=sys.stderr)
        sys.exit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m engine",
                     description="Embedding Lab: look inside embedding tables.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--source", default=DEFAULT_SOURCE,
                        help="glove-6b-50d (default), minilm-tokens, minilm-positions, "
                             "a table of the library (python -m engine library), "
                             "or a path to a vector file")
    common.add_argument("--json", action="store_true", help="print one JSON object")
    subparsers = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for module in COMMAND_MODULES:
        importlib.import_module(module).register(subparsers, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        result = args.run(args)
    except (ValueError, KeyError, OSError) as error:
        message = error.args[0] if isinstance(error, KeyError) and error.args else error
        print(f"error: {message}", file=sys.stderr)
        return 2
    text = getattr(args, "text", None)
    if args.json or text is None:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(text(result))
    return 0
