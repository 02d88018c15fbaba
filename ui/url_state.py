"""Page state kept in the link: a widget whose value lives in the URL as ?key=value, seeded
once into st.session_state, so a link reproduces the view and no change is ever dropped; and
a value that depends on something else (the source, another input) follows it when it
changes, instead of outliving its reason."""
from __future__ import annotations

from typing import Callable

import streamlit as st

NEXT_URL_VALUES = "next_url_values"  # session_state: {key: value} for in_url widgets' next draw
DRAWN_FOR = "url_values_drawn_for"   # session_state: {key: (depends_on, default) at its last draw}


def in_url(widget: Callable, label: str, *args, key: str, default, depends_on=None,
           usable: Callable[[object], bool] | None = None, **kwargs):
    """`widget(label, *args, **kwargs)` (st.selectbox, st.sidebar.radio, st.text_input,
    st.number_input, st.slider, st.checkbox, …) whose value lives in the URL as ?key=value,
    so a link reproduces it.

    `key` is the widget's stable identity and the parameter's name. The value is seeded once
    into st.session_state[key], from the URL if it holds one the widget can take, else
    `default`; it is never passed again as `index=`/`value=` (a default recomputed on each
    run makes Streamlit see a new widget and drop every second change). After the widget,
    the URL gets the value, or loses the parameter while the value equals `default`.
    Options widgets take their options as the first positional argument; number widgets
    their bounds as the first two; a multiselect's list is kept as "a,b,c". Change the value
    from code with `set_in_url`.

    `depends_on` is what the widget's default and valid values come from (the table's name,
    another input's value, a tuple of those). When it differs from the last draw's, a value
    that was that draw's default, or that `usable(value)` rejects, starts again from
    `default`: an example word, a row count or an expected answer never outlives the table
    or question it was made for, while a value the visitor chose that still works stays.
    Values outside the options or bounds are replaced on every draw, whatever they depend on.
    """
    options = list(args[0]) if args and isinstance(args[0], (list, tuple, dict)) else None
    bounds = args[:2] if len(args) >= 2 and all(isinstance(a, (int, float)) for a in args[:2]) else None
    pending = st.session_state.get(NEXT_URL_VALUES, {})
    if key in pending and _fits(pending[key], options, bounds):
        st.session_state[key] = pending.pop(key)
    else:
        if key not in st.session_state or not _fits(st.session_state[key], options, bounds):
            st.session_state[key] = _from_url(key, default, options, bounds)
        if _outlived(key, depends_on, usable):
            st.session_state[key] = default
        else:  # set, not left as widget state: the same key drawn by another page adopts it
            st.session_state[key] = st.session_state[key]
    st.session_state.setdefault(DRAWN_FOR, {})[key] = (depends_on, default)
    value = widget(label, *args, key=key, **kwargs)
    text = _as_text(value)
    if value == default:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != text:
        st.query_params[key] = text
    return value


def _outlived(key: str, depends_on, usable) -> bool:
    """Whether the value of `key` was made for what it depended on at its last draw, which
    has changed since: it was that draw's default, or `usable` rejects it now."""
    last = st.session_state.get(DRAWN_FOR, {}).get(key)
    if last is None or last[0] == depends_on:
        return False
    value = st.session_state[key]
    return value == last[1] or (usable is not None and not usable(value))


def _as_text(value) -> str:
    if isinstance(value, list):
        return ",".join(map(_as_text, value))
    return str(value).lower() if isinstance(value, bool) else str(value)


def _fits(value, options, bounds) -> bool:
    if options is not None:
        return (all(v in options for v in value) if isinstance(value, list)
                else value in options)
    if bounds is not None:
        return isinstance(value, (int, float)) and bounds[0] <= value <= bounds[1]
    return True


def _from_url(key: str, default, options, bounds):
    """The URL's value for `key` as the widget's type, or `default` if absent or unusable."""
    text = st.query_params.get(key)
    if text is None:
        return default
    if options is not None and isinstance(default, list):
        by_text = {_as_text(o): o for o in options}
        chosen = [by_text.get(part) for part in text.split(",") if part]
        return default if None in chosen else chosen
    if options is not None:
        return next((o for o in options if _as_text(o) == text), default)
    try:
        if isinstance(default, bool):
            value = {"true": True, "false": False}[text]
        elif isinstance(default, (int, float)):
            value = type(default)(float(text)) if isinstance(default, float) else int(text)
        else:
            value = text
    except (KeyError, ValueError):
        return default
    return value if _fits(value, None, bounds) else default


def set_in_url(key: str, value) -> None:
    """Give the `in_url` widget `key` this value when it is next drawn: later in this run, or
    after `st.rerun()` if it was drawn already (a drawn widget's state cannot be set)."""
    st.session_state.setdefault(NEXT_URL_VALUES, {})[key] = value

