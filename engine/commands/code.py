"""CLI: code — the script behind a page's view, for its settings, runnable without this project."""
from __future__ import annotations

from engine.snippets import TEMPLATES, file_name, settings_of, snippet_for


def _setting(text: str) -> tuple[str, str]:
    key, equals, value = text.partition("=")
    if not equals or not key:
        raise ValueError(f"a setting is KEY=VALUE, e.g. alibi_heads=8; got {text!r}")
    return key, value


def _code(args) -> dict:
    if args.view is None:
        return {"views": {view: settings_of(view) for view in TEMPLATES}}
    given = dict(map(_setting, args.settings))
    return {"view": args.view, "file": file_name(args.view), "settings": settings_of(args.view, given),
            "code": snippet_for(args.view, given)}


def _text(result: dict) -> str:
    if "views" in result:
        return "\n".join(f"{view}: " + (" ".join(f"{k}={v!r}" for k, v in settings.items()) or "(no settings)")
                         for view, settings in result["views"].items())
    return result["code"].rstrip("\n")


def register(subparsers, common) -> None:
    code = subparsers.add_parser("code", parents=[common],
                                 help="print the script behind a view (no VIEW: list the views and settings)")
    code.add_argument("view", nargs="?", default=None, help="e.g. positions.rope, gradients.optimisers")
    code.add_argument("settings", nargs="*", metavar="KEY=VALUE",
                      help="a setting by the page's widget key, e.g. base=500000 head_dim=128")
    code.set_defaults(run=_code, text=_text)
