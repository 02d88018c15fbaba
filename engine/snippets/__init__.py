"""The code behind each view: a short script, in plain PyTorch, transformers, gensim or NumPy
and without this project, that computes the numbers the view shows for its current settings
and prints them. It loads the same installed data the view reads, found as a user would.

    >>> print(snippet_for("positions.alibi", {"alibi_heads": 8}))

One template module per page. Settings are named as the page's widgets are keyed (and as
its link names them); `settings_of` lists a view's, with the page's defaults. A test runs
every view's script, as its page shows it, in a fresh Python and checks its printed numbers
against the page's.
"""
from __future__ import annotations

from engine.snippets import contextual, frozen, gradients, init_scale, lookup, positions, size, train
from engine.snippets.template import SnippetTemplate

TEMPLATES: dict[str, SnippetTemplate] = {
    template.view: template
    for module in (lookup, gradients, init_scale, size, frozen, train, positions, contextual)
    for template in module.TEMPLATES}


def _template(view: str) -> SnippetTemplate:
    if view not in TEMPLATES:
        raise ValueError(f"no code for view {view!r}; views with code: {', '.join(TEMPLATES)}")
    return TEMPLATES[view]


def settings_of(view: str, given: dict | None = None) -> dict:
    """The view's settings (widget key -> value): the page's defaults, with `given` applied."""
    return _template(view).settings(given)


def snippet_for(view: str, settings: dict | None = None) -> str:
    """The script of `view` (e.g. "positions.rope") for `settings` (widget key -> value; the
    others at the page's defaults; text from a link is read as the default's type);
    ValueError for an unknown view or setting."""
    return _template(view).render(settings)


def snippet_for_link(view: str, query: dict) -> str:
    """The script of `view` for a link's parameters (e.g. a lecture step's): those the view
    takes are its settings, the others (tab, source, ...) are left aside."""
    return snippet_for(view, {key: value for key, value in query.items() if key in _template(view).defaults})


def file_name(view: str) -> str:
    """What the script is saved as: "positions.rope" -> "positions_rope.py"."""
    return _template(view).view.replace(".", "_") + ".py"
