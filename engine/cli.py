"""`python -m engine COMMAND ... [--json]`: the engine calls the pages make, in a shell.

Each command lives in a module of engine/commands/ with a `register(subparsers)` that adds
its parser and sets `run` (args -> JSON-able dict) and optionally `text` (dict -> str for
people). Bad input (ValueError, KeyError, OSError) prints one line to stderr, exit code 2.

Only the module of the command being run is imported (COMMAND_OWNERS), so that `info`
starts without torch, pandas or gensim; help, or a command not listed there, imports all.
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
    "engine.commands.code",
    "engine.commands.health",
    "engine.commands.quantize",
]
# command -> its module, so that one command imports only its own module
COMMAND_OWNERS = {
    "info": "engine.commands.lookup", "neighbours": "engine.commands.lookup",
    "analogy": "engine.commands.lookup", "arithmetic": "engine.commands.lookup",
    "evaluate": "engine.commands.evaluate", "positions": "engine.commands.positions",
    "project": "engine.commands.project", "load": "engine.commands.load",
    "truncate": "engine.commands.truncate", "geometry": "engine.commands.geometry",
    "layer": "engine.commands.layer", "import": "engine.commands.library",
    "library": "engine.commands.library", "train": "engine.commands.train",
    "compare": "engine.commands.compare", "contextual": "engine.commands.contextual",
    "search": "engine.commands.search", "code": "engine.commands.code",
    "health": "engine.commands.health", "quantize": "engine.commands.quantize",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's usage dump -> our one-line contract
        print(f"error: {message}", file=sys.stderr)
        sys.exit(2)


def _modules_for(argv: list[str] | None) -> list[str]:
    """The command module that argv's command needs, or all of them (help, unknown names)."""
    words = [word for word in (sys.argv[1:] if argv is None else argv) if not word.startswith("-")]
    owner = COMMAND_OWNERS.get(words[0]) if words else None
    return [owner] if owner else COMMAND_MODULES


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or (given argv) of the one command argv runs."""
    parser = _Parser(prog="python -m engine",
                     description="Embedding Lab: look inside embedding tables.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--source", default=DEFAULT_SOURCE,
                        help="glove-6b-50d (default), minilm-tokens, minilm-positions, "
                             "a table of the library (python -m engine library), "
                             "a path to a vector file, or a model folder")
    common.add_argument("--json", action="store_true", help="print one JSON object")
    subparsers = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for module in (COMMAND_MODULES if argv is None else _modules_for(argv)):
        importlib.import_module(module).register(subparsers, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(argv).parse_args(argv)
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
