"""Word boxes and how rows are named, shared by the word pages (Explore, Analogies, …): a
typed word resolved against the table (with its case note or its error in place), a box
that follows a change of table (see ui.url_state.in_url's depends_on), and what a row
number means."""
from __future__ import annotations

from typing import Callable

import streamlit as st

from engine.analogy import parse_arithmetic
from engine.project import resolvable, split_words
from engine.vectors import EmbeddingSet
from ui.text import md_text
from ui.url_state import in_url


def word_box(table: EmbeddingSet, label: str, *, key: str, default: str, where=st,
             depends_on=(), usable: Callable[[str], bool] | None = None, **kwargs) -> str | None:
    """A text box for one word of `table`, kept in the URL as ?key=…: the table's key for
    the typed word (see `resolved_word`), or None once an error is shown in place.

    The box depends on the table and on `depends_on` (what else its default comes from):
    when either changes, the old default, or a word `usable` rejects (default: a word the
    table cannot resolve), gives way to the new `default` (see ui.url_state.in_url)."""
    text = in_url(where.text_input, label, key=key, default=default, depends_on=(table.name, depends_on),
                  usable=usable or has_word(table), **kwargs)
    return resolved_word(table, text.strip(), where)


def resolved_word(table: EmbeddingSet, word: str, where=st) -> str | None:
    """`table.resolve(word)`, with a caption when the case was changed ("King" → "king"); on
    an unknown or empty word, the error is shown in `where` and None returned, so the
    controls around it keep working."""
    try:
        key = table.resolve(word)
    except (KeyError, ValueError) as error:
        where.error(md_text(error))
        return None
    if key != word:
        where.caption(case_note([(word, key)]))
    return key


def resolved_words(table: EmbeddingSet, words: list[str], where=st) -> list[str] | None:
    """`resolved_word` for a list: the keys, one caption for every changed case, or None
    after one error line naming the words the table lacks."""
    keys, unknown = [], []
    for word in words:
        try:
            keys.append(table.resolve(word))
        except (KeyError, ValueError):
            unknown.append(word)
    if unknown:
        where.error(md_text(f"not in {table.name}: {', '.join(map(repr, unknown))}; "
                            "use words of this table"))
        return None
    changed = [(w, k) for w, k in zip(words, keys) if w != k]
    if changed:
        where.caption(case_note(changed))
    return keys


def case_note(changed: list[tuple[str, str]]) -> str:
    """One line saying which typed words were found in lower case."""
    pairs = ", ".join(f"“{md_text(w)}” as “{md_text(k)}”" for w, k in changed)
    return f"Found {pairs}: this table keeps them in lower case."


# tables whose rows are not words in frequency order: what a row number means there
ROW_NAMES = {"minilm-tokens": "Token id", "minilm-positions": "Position"}


def has_word(table: EmbeddingSet) -> Callable[[object], bool]:
    """Whether `table` resolves a typed word ("King" as "king"): a word box's `usable`."""
    return lambda word: resolvable(table, [str(word).strip()])


def has_words(table: EmbeddingSet) -> Callable[[object], bool]:
    """Whether `table` resolves every word of a list typed with commas or spaces between
    them: a word list's `usable`."""
    return lambda text: resolvable(table, split_words(str(text)))


def has_formula(table: EmbeddingSet) -> Callable[[object], bool]:
    """Whether `table` resolves every word of a word formula ("king - man + woman")."""
    def usable(text) -> bool:
        try:
            parsed = parse_arithmetic(str(text))
        except ValueError:
            return False
        return resolvable(table, parsed.positive + parsed.negative)
    return usable


def row_name(table: EmbeddingSet) -> str:
    """What a row number is called on this table: a frequency rank (1-based), else an id
    (0-based, as nn.Embedding indexes it)."""
    if table.frequency_ordered:
        return "Frequency rank"
    return ROW_NAMES.get(table.name.split(" · ")[0], "Row id")


def row_number(table: EmbeddingSet, row: int) -> int:
    """The number shown for `row`: 1-based rank when frequency ordered, else 0-based id."""
    return row + 1 if table.frequency_ordered else row


def optional_word_box(table: EmbeddingSet, label: str, *, key: str, default: str,
                      where=st, depends_on=()) -> str | None:
    """A word box (kept in the URL, resolved and following the table as word_box) that may
    stay empty: None while it is, with no error; None after an error shown in place for a
    word the table lacks."""
    known = has_word(table)
    text = in_url(where.text_input, label, key=key, default=default, depends_on=(table.name, depends_on),
                  usable=lambda word: not str(word).strip() or known(word)).strip()
    return resolved_word(table, text, where) if text else None
