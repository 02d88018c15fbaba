"""The JSON files of a model folder (config.json, an index, tokenizer.json), read with one-line
errors that name the file."""
from __future__ import annotations

import json

from engine.readers.limits import FileFormatError


def utf8_text(name: str, data: bytes | str) -> str:
    """`data`, the contents of the file `name`, as text; FileFormatError if it is not UTF-8."""
    if isinstance(data, str):
        return data
    try:
        return bytes(data).decode("utf-8")
    except UnicodeDecodeError as error:
        raise FileFormatError(f"{name} is not UTF-8 text (byte {error.start:,})") from None


def json_document(name: str, data: bytes | str):
    """The JSON value of the file `name` whose contents are `data`; FileFormatError in one line
    if it is not UTF-8 text, not JSON, or nests too deeply to parse."""
    text = utf8_text(name, data)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise FileFormatError(f"{name} is not JSON: {error.msg} at line {error.lineno}, column "
                              f"{error.colno}") from None
    except RecursionError:
        raise FileFormatError(f"{name} nests JSON too deeply") from None
