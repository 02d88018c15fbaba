"""A lecture: an ordered list of steps, each a view of one page of the app (its link's
settings), with a title and a talking point; and its file, human-readable JSON::

    {
      "format": "embedding-lab-lecture",
      "version": 1,
      "title": "The embedding layer",
      "steps": [
        {"title": "A lookup table", "page": "layer_lookup",
         "settings": {"lookup_sentence": "The cat sat."},
         "talking_point": "An embedding layer is a table..."}
      ]
    }

`page` is the page's name in the app's address (/layer_lookup); `settings` are the
parameters its link carries (?lookup_sentence=...), as text. A file is checked field by
field when read: every problem is reported, one line each, and nothing of a bad file is
used. The built-in lecture is such a file, in assets/lectures/.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Collection, Mapping

FORMAT = "embedding-lab-lecture"
VERSION = 1
MAX_FILE_BYTES = 1_000_000
MAX_STEPS = 100                     # a 50-minute lecture has about 20
MAX_TITLE = 120                     # characters of a lecture's or a step's title
MAX_TALKING_POINT = 3_000           # characters: a paragraph or two
MAX_SETTINGS = 30                   # link parameters per step
MAX_VALUE = 20_000                  # characters of one setting (a page's longest text box)
MAX_PROBLEMS = 20                   # reported of a bad file; the rest are counted
SETTING_NAME = re.compile(r"[A-Za-z0-9_]{1,64}")
RESERVED_SETTINGS = ("present", "lecture", "step")     # the lecture's own link parameters
LECTURE_FIELDS = ("format", "version", "title", "steps")
STEP_FIELDS = ("title", "page", "settings", "talking_point")
BUILTIN_FOLDER = Path(__file__).resolve().parent.parent / "assets" / "lectures"
BUILTIN = "the-embedding-layer"


@dataclass(frozen=True)
class Step:
    """One step: the page `page` with the link parameters `settings` ((name, text) pairs,
    in order), its title and what the lecturer says about it."""

    title: str
    page: str
    settings: tuple[tuple[str, str], ...] = ()
    talking_point: str = ""

    @property
    def query(self) -> dict[str, str]:
        """The settings as a link's query parameters."""
        return dict(self.settings)

    def to_dict(self) -> dict:
        return {"title": self.title, "page": self.page, "settings": self.query,
                "talking_point": self.talking_point}


@dataclass(frozen=True)
class Lecture:
    """A titled sequence of steps."""

    title: str
    steps: tuple[Step, ...]

    def __len__(self) -> int:
        return len(self.steps)

    @property
    def size(self) -> str:
        """'1 step', '22 steps'."""
        return f"{len(self)} step{'' if len(self) == 1 else 's'}"

    def to_dict(self) -> dict:
        return {"format": FORMAT, "version": VERSION, "title": self.title,
                "steps": [step.to_dict() for step in self.steps]}

    def to_json(self) -> str:
        """The lecture file: indented JSON, non-ASCII characters as they are."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    @property
    def views_key(self) -> str:
        """A digest of the views the steps show (pages and settings, in order): two lectures
        with the same key compute the same results."""
        views = [[step.page, list(step.settings)] for step in self.steps]
        return hashlib.blake2b(json.dumps(views).encode(), digest_size=12).hexdigest()


class LectureError(ValueError):
    """A lecture file that cannot be used; `problems` holds one line per bad field."""

    def __init__(self, problems: list[str]):
        shown = problems[:MAX_PROBLEMS]
        if len(problems) > MAX_PROBLEMS:
            shown.append(f"… and {len(problems) - MAX_PROBLEMS:,} more problems")
        self.problems = shown
        super().__init__("; ".join(shown))


def read_lecture(data: str | bytes, pages: Collection[str]) -> Lecture:
    """The lecture in `data` (a lecture file's text or bytes), checked field by field.

    Parameters
    ----------
    data : the file's contents, UTF-8.
    pages : the names of the app's pages a step may show.

    Raises
    ------
    LectureError listing every problem found (at most MAX_PROBLEMS of them).
    """
    size = len(data.encode("utf-8") if isinstance(data, str) else data)
    if size > MAX_FILE_BYTES:
        raise LectureError([f"the file is {size:,} bytes; a lecture file may be at most "
                            f"{MAX_FILE_BYTES:,} bytes"])
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise LectureError([f"the file is not UTF-8 text (byte {error.start:,} cannot be read); "
                                "a lecture file is JSON"]) from None
    try:
        document = json.loads(data)
    except json.JSONDecodeError as error:
        raise LectureError([f"the file is not JSON: line {error.lineno}, column {error.colno}: "
                            f"{error.msg}"]) from None
    except RecursionError:
        raise LectureError(["the file is not a lecture: its JSON is nested too deeply"]) from None
    return lecture_from_dict(document, pages)


def lecture_from_dict(document, pages: Collection[str]) -> Lecture:
    """The lecture a parsed lecture file describes; LectureError listing every problem."""
    if not isinstance(document, dict):
        raise LectureError([f"the file holds a JSON {_kind(document)}; a lecture file is one "
                            f"object with the fields {', '.join(LECTURE_FIELDS)}"])
    problems = _unknown_fields(document, LECTURE_FIELDS, "the file")
    if document.get("format") != FORMAT:
        problems.append(f"format: must be {FORMAT!r}, found {_shown(document.get('format'))}")
    if document.get("version") != VERSION:
        problems.append(f"version: must be {VERSION}, found {_shown(document.get('version'))}")
    title = _text(document.get("title"), "title", MAX_TITLE, problems, one_line=True)
    steps = document.get("steps")
    checked = []
    if not isinstance(steps, list) or not steps:
        problems.append(f"steps: must be a list of 1 to {MAX_STEPS} steps, found {_shown(steps)}")
    elif len(steps) > MAX_STEPS:
        problems.append(f"steps: {len(steps):,} steps; a lecture may have at most {MAX_STEPS}")
    else:
        checked = [_step(step, number, pages, problems) for number, step in enumerate(steps, 1)]
    if problems:
        raise LectureError(problems)
    return Lecture(title, tuple(checked))


def _step(step, number: int, pages: Collection[str], problems: list[str]) -> Step | None:
    where = f"step {number}"
    if not isinstance(step, dict):
        problems.append(f"{where}: must be an object with the fields {', '.join(STEP_FIELDS)}, "
                        f"found {_shown(step)}")
        return None
    problems += _unknown_fields(step, STEP_FIELDS, where)
    title = _text(step.get("title"), f"{where}, title", MAX_TITLE, problems, one_line=True)
    page = step.get("page")
    if page not in pages:
        problems.append(f"{where}, page: {_shown(page)} is not a page of the app; pages are "
                        f"{', '.join(sorted(pages))}")
    talking_point = _text(step.get("talking_point", ""), f"{where}, talking_point",
                          MAX_TALKING_POINT, problems, may_be_empty=True)
    settings = _settings(step.get("settings", {}), f"{where}, settings", problems)
    return Step(title, page, settings, talking_point)


def _settings(settings, where: str, problems: list[str]) -> tuple[tuple[str, str], ...]:
    if not isinstance(settings, dict):
        problems.append(f"{where}: must be an object of link parameters (name: text), found "
                        f"{_shown(settings)}")
        return ()
    if len(settings) > MAX_SETTINGS:
        problems.append(f"{where}: {len(settings):,} parameters; a step may have at most {MAX_SETTINGS}")
        return ()
    for name, value in settings.items():
        if not SETTING_NAME.fullmatch(name):
            problems.append(f"{where}: {_shown(name)} is not a link parameter's name (1–64 letters, "
                            "digits or '_')")
        elif name in RESERVED_SETTINGS:
            problems.append(f"{where}: {name!r} is the lecture's own parameter, not a page's")
        else:
            _text(value, f"{where}, {name}", MAX_VALUE, problems, may_be_empty=True,
                  what="text as the link carries it (\"10\", not 10)")
    return tuple((str(n), v) for n, v in settings.items())


def _text(value, where: str, limit: int, problems: list[str], one_line: bool = False,
          may_be_empty: bool = False, what: str = "text") -> str:
    if not isinstance(value, str):
        problems.append(f"{where}: must be {what}, found {_shown(value)}")
        return ""
    allowed = "" if one_line else "\n\t"
    if not value.strip() and not may_be_empty:
        problems.append(f"{where}: must not be empty")
    elif len(value) > limit:
        problems.append(f"{where}: {len(value):,} characters; at most {limit:,}")
    elif any(unicodedata.category(c) == "Cc" and c not in allowed for c in value):
        problems.append(f"{where}: contains control characters" + (" (it is one line)" if one_line else ""))
    return value


def _unknown_fields(document: dict, fields: tuple[str, ...], where: str) -> list[str]:
    return [f"{where}: unknown field {_shown(name)}; the fields are {', '.join(fields)}"
            for name in document if name not in fields]


def _kind(value) -> str:
    return {dict: "object", list: "list", str: "string", bool: "true/false", type(None): "null",
            int: "number", float: "number"}.get(type(value), type(value).__name__)


def _shown(value) -> str:
    """A found value as a short quote: its JSON kind, and its start if it is text."""
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:40] + "…")
    if value is None:
        return "nothing"
    if isinstance(value, (bool, int, float)):
        return f"{_kind(value)} {json.dumps(value)}"
    return f"a {_kind(value)}"


def builtin_lecture(pages: Collection[str], name: str = BUILTIN) -> Lecture:
    """The lecture shipped with the app, read and checked like any lecture file."""
    return read_lecture((BUILTIN_FOLDER / f"{name}.json").read_bytes(), pages)


def step_from_view(title: str, page: str, query: Mapping[str, str]) -> Step:
    """A step showing `page` with the link parameters `query` (the lecture's own dropped)."""
    settings = tuple((name, str(value)) for name, value in query.items()
                     if name not in RESERVED_SETTINGS)
    return Step(title[:MAX_TITLE], page, settings)
