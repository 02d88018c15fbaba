"""User-controlled strings shown as text, never as markup.

Streamlit renders markdown (with its colour directives, emoji and icon shortcodes, KaTeX
and links) in st.markdown, st.write, st.caption, st.metric labels, st.error, st.warning,
st.success, st.info, widget labels and tab names. Every word, table or file name, URL
parameter, metadata value or error message that echoes input goes through `md_text`
before it reaches one of them.
"""
from __future__ import annotations

import re
import unicodedata

import streamlit as st

# what can start markup anywhere in a line: emphasis, code, links and images, KaTeX, HTML
# and entities, and a colon that opens a directive (:red[..]), emoji or icon (:smile:);
# a colon before a space ("line 2: ...") stays as it is
_INLINE_MARKUP = re.compile(r"([\\`*_~\[\]$<&]|:(?=\S))")
# Streamlit links bare addresses (http://..., www....) after markdown is parsed, so escapes
# cannot stop it: an invisible word joiner inside "://" and "www." does
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?i:(?<=www))(?=\.)")
# what starts a block only at the beginning: headings, quotes, lists
_BLOCK_START = re.compile(r"^(\s*)([#>+\-]|\d+[.)])")


def _visible(character: str) -> str:
    """A control character as its escape (\\n, \\x00, ...), other characters as they are."""
    if unicodedata.category(character) == "Cc":
        return repr(character)[1:-1]
    return character


def md_text(value: object) -> str:
    """`value` as markdown that renders as exactly its text: the characters that could
    start a link, image, emphasis, `:red[..]`, `$..$` or HTML backslash-escaped, control
    characters (newlines included) shown as their escapes, so it stays one line; a word
    joiner (U+2060, invisible) keeps bare addresses from becoming links."""
    text = _AUTOLINK.sub("\u2060", "".join(_visible(c) for c in str(value)))
    text = _INLINE_MARKUP.sub(r"\\\1", text)
    return _BLOCK_START.sub(lambda m: m.group(1) + _escape_last(m.group(2)), text)


def _escape_last(marker: str) -> str:
    return marker[:-1] + "\\" + marker[-1]



def show_error(error: Exception) -> None:
    """One clear line for bad input, never a traceback (shown as text: it may echo input)."""
    st.error(md_text(error))
