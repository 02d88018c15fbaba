"""Lectures kept in the shared library, so that a class opens the same lecture by link:
one lecture file per name in <library>/.lectures/NAME.json (the library folder of
engine.library; a hidden folder, never listed as a table).

The server's owner puts lecture files there, or lets visitors keep theirs with
EMBEDDING_LAB_LIBRARY_LECTURES=1 (off by default), at most
EMBEDDING_LAB_LIBRARY_LECTURE_COUNT of them (100). A kept lecture is never replaced.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Collection

from engine.lecture import BUILTIN, Lecture, read_lecture
from engine.library import NAME_PATTERN, library_root, writable_root

FOLDER = ".lectures"
LECTURES_ENV = "EMBEDDING_LAB_LIBRARY_LECTURES"             # "1": visitors may keep lectures
LECTURE_COUNT_ENV = "EMBEDDING_LAB_LIBRARY_LECTURE_COUNT"   # kept lectures at most (100)


def _folder(root: Path | str | None) -> Path:
    return Path(root if root is not None else library_root()) / FOLDER


def lecture_names(root: Path | str | None = None) -> list[str]:
    """Names of the lectures in the library, sorted; [] when it has none."""
    folder = _folder(root)
    if not folder.is_dir():
        return []
    return sorted(path.stem for path in folder.glob("*.json") if NAME_PATTERN.fullmatch(path.stem))


def load_lecture(name: str, pages: Collection[str], root: Path | str | None = None) -> Lecture:
    """The library's lecture `name`, checked as any lecture file (LectureError), or
    ValueError naming the lectures there when it has none of that name."""
    path = _folder(root) / f"{name}.json"
    if not NAME_PATTERN.fullmatch(name) or not path.is_file():
        names = lecture_names(root)
        raise ValueError(f"the library has no lecture named {name!r}; it has "
                         f"{', '.join(names) if names else 'none yet'}")
    return read_lecture(path.read_bytes(), pages)


@dataclass(frozen=True)
class LecturePolicy:
    """Whether visitors may keep lectures in the library (the owner's choice), and how many."""

    allowed: bool
    max_lectures: int

    @classmethod
    def from_environment(cls) -> "LecturePolicy":
        return cls(os.environ.get(LECTURES_ENV, "").lower() in ("1", "true", "yes", "on"),
                   int(os.environ.get(LECTURE_COUNT_ENV, 100)))


def keep_lecture(lecture: Lecture, name: str, policy: LecturePolicy,
                 root: Path | str | None = None) -> Path:
    """Write `lecture` into the library as `name` (never over another lecture); ValueError
    saying why when the policy, the name or the library folder does not allow it."""
    if not policy.allowed:
        raise ValueError(f"this server does not keep visitors' lectures in the library (the "
                         f"owner can allow it with {LECTURES_ENV}=1)")
    if not NAME_PATTERN.fullmatch(name or "") or name == BUILTIN:
        raise ValueError(f"lecture name {name!r} is not allowed: use 1–64 letters, digits, '.', '_' "
                         f"or '-', starting with a letter or digit, other than {BUILTIN!r}")
    folder = writable_root(root) / FOLDER
    folder.mkdir(exist_ok=True)
    if len(lecture_names(root)) >= policy.max_lectures:
        raise ValueError(f"the library already keeps {policy.max_lectures} lectures, the most this "
                         "server allows; ask its owner to remove some")
    path = folder / f"{name}.json"
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, prefix=".", suffix=".part",
                                     delete=False) as part:
        part.write(lecture.to_json())
    try:
        os.link(part.name, path)             # fails if the name was taken meanwhile
    except FileExistsError:
        raise ValueError(f"the library already has a lecture named {name!r}; choose another "
                         "name") from None
    finally:
        os.unlink(part.name)
    return path
