"""Helper for the AppTest page tests: run the app (or one of its pages) headless."""
import ast
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def navigation() -> list[tuple[str, bool]]:
    """(script, is the default page) of every page in app.py's navigation, e.g.
    ('views/analogies.py', False), read from its st.Page calls."""
    pages = []
    for node in ast.walk(ast.parse(Path(APP).read_text())):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Page":
            default = any(k.arg == "default" and getattr(k.value, "value", False) for k in node.keywords)
            pages.append((node.args[0].value, default))
    return pages


def run_page(page: str | None = None, **query) -> AppTest:
    """The app with `query` in its URL, switched to `page` (e.g. 'views/analogies.py'),
    after its first full run; fails on any exception."""
    at = AppTest.from_file(APP, default_timeout=300)
    at.query_params.update(query)
    at.run()
    if page is not None:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def run_with_table(page: str | None, table, **query) -> AppTest:
    """run_page with `table` as this visitor's own source (as after an upload), chosen."""
    from ui.visitor import VISITOR, Visitor

    at = AppTest.from_file(APP, default_timeout=300)
    at.session_state[VISITOR] = Visitor("test", {table.name: table})
    at.query_params.update({"source": table.name, **query})
    at.run()
    if page is not None:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at
