"""tokenizer.json (the Hugging Face `tokenizers` format) -> the string of every token id.

Read as JSON, without the `tokenizers` library (that one is used to check, in the tests, and
to find the tokens the tokenizer never produces, in engine.token_status). Four model kinds:
WordPiece (BERT: "##" marks a piece inside a word), BPE (GPT-2's byte-level BPE writes a
space as "Ġ" and every byte as a printable character; SentencePiece-style BPE as in LLaMA
writes it as "▁" and may fall back to bytes "<0x0A>"), Unigram (SentencePiece: "▁") and
WordLevel. Token strings are shown as the text they stand for: byte-level characters turned
back into bytes and decoded, "▁" as a space; a byte that is only part of a character is
shown as <0xNN>, and a control character (newline, tab) by its escape, so that every string
prints on one line.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from engine.readers.json_text import json_document, utf8_text
from engine.readers.limits import CONTROL_CHARACTERS, MAX_TOKENIZER_JSON, FileFormatError
from engine.units import human_bytes

METASPACE = "▁"
KINDS = ("WordPiece", "BPE", "Unigram", "WordLevel")


@lru_cache(maxsize=1)
def byte_decoder() -> dict[str, int]:
    """GPT-2's printable character -> byte (the inverse of its bytes_to_unicode): bytes that
    print stay themselves, the other 68 (space, control bytes, …) become U+0100 onwards."""
    printable = (list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1))
                 + list(range(ord("®"), ord("ÿ") + 1)))
    chars, extra = {}, 0
    for byte in range(256):
        if byte in printable:
            chars[chr(byte)] = byte
        else:
            chars[chr(256 + extra)] = byte
            extra += 1
    return chars


def _escaped(text: str) -> str:
    """Control characters as escapes (newline as \\n): a token string on one line."""
    return CONTROL_CHARACTERS.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _bytes_as_text(raw: bytes) -> tuple[str, bool]:
    """(UTF-8 text of the bytes, a byte that is only part of a character as <0xNN>; whether
    all of them were whole characters)."""
    try:
        return raw.decode("utf-8"), True
    except UnicodeDecodeError:
        pass
    out, whole, i = [], True, 0
    while i < len(raw):
        for width in (1, 2, 3, 4):
            try:
                out.append(raw[i:i + width].decode("utf-8"))
                i += width
                break
            except UnicodeDecodeError:
                continue
        else:
            out.append(f"<0x{raw[i]:02X}>")
            whole, i = False, i + 1
    return "".join(out), whole


def _types(node) -> set[str]:
    """Every "type" named in a normalizer / pre-tokenizer / decoder (nested in Sequences)."""
    found = set()
    if isinstance(node, dict):
        if isinstance(node.get("type"), str):
            found.add(node["type"])
        for value in node.values():
            found |= _types(value)
    elif isinstance(node, list):
        for value in node:
            found |= _types(value)
    return found


@dataclass(frozen=True)
class TokenizerVocabulary:
    """Every token of a tokenizer.json by id.

    tokens : the raw token string of each id 0 … size − 1 (None: no token has that id).
    special, added : ids of the added tokens, and of those marked special ([CLS], <s>, …).
    byte_level : GPT-2-style bytes as characters ("Ġ" is a space).
    metaspace : SentencePiece's "▁" stands for a space.
    """

    kind: str
    tokens: tuple[str | None, ...]
    special: frozenset[int]
    added: frozenset[int]
    byte_level: bool
    metaspace: bool
    continuing_prefix: str | None
    byte_fallback: bool
    text: str = field(repr=False)      # the file itself, for tokenizers.Tokenizer.from_str

    @property
    def size(self) -> int:
        return len(self.tokens)

    @cached_property
    def shown(self) -> tuple[tuple[str | None, bool], ...]:
        """(the text each token stands for, printable; whether it is whole characters)."""
        return tuple(self._show(i, token) for i, token in enumerate(self.tokens))

    def _show(self, i: int, token: str | None) -> tuple[str | None, bool]:
        if token is None:
            return None, True
        whole = True
        if i in self.added:              # an added token's content is its text
            return _escaped(token), whole
        if self.byte_level and all(c in byte_decoder() for c in token):
            token, whole = _bytes_as_text(bytes(byte_decoder()[c] for c in token))
        elif self.metaspace:
            token = token.replace(METASPACE, " ")
        return _escaped(token), whole

    def display(self, i: int) -> str | None:
        """The text token `i` stands for, on one line (None: no token has this id)."""
        return self.shown[i][0]

    def is_byte_fallback(self, i: int) -> bool:
        token = self.tokens[i]
        return (self.byte_fallback and token is not None and len(token) == 6
                and token.startswith("<0x") and token.endswith(">"))

    def partial_character(self, i: int) -> bool:
        """A byte-level token that holds only part of a character's bytes."""
        return not self.shown[i][1]

    def gaps(self) -> list[int]:
        """Ids below size that name no token."""
        return [i for i, token in enumerate(self.tokens) if token is None]


def _vocabulary_entries(model: dict, kind: str) -> dict[int, str]:
    vocab = model.get("vocab")
    if kind == "Unigram":
        if not isinstance(vocab, list) or not all(isinstance(e, list) and e and isinstance(e[0], str)
                                                  for e in vocab):
            raise FileFormatError("tokenizer.json: a Unigram model's vocab is a list of [piece, score] pairs")
        return {i: entry[0] for i, entry in enumerate(vocab)}
    if not isinstance(vocab, dict):
        raise FileFormatError(f"tokenizer.json: a {kind} model's vocab is an object of token: id; "
                              f"found {type(vocab).__name__}")
    entries = {}
    for token, i in vocab.items():
        if type(i) is not int or i < 0:
            raise FileFormatError(f"tokenizer.json: token {token[:40]!r} has id {str(i)[:20]}; ids are "
                                  "whole numbers of at least 0")
        entries.setdefault(i, token)
    return entries


def _kind(model: dict) -> str:
    kind = model.get("type")
    if kind is None:                     # files written before "type" was stored
        vocab = model.get("vocab")
        kind = ("Unigram" if isinstance(vocab, list) else "BPE" if "merges" in model
                else "WordPiece" if "continuing_subword_prefix" in model else "WordLevel")
    if kind not in KINDS:
        raise FileFormatError(f"tokenizer.json: model type {str(kind)[:40]!r} is not one of {', '.join(KINDS)}")
    return kind


def parse_tokenizer_json(data: bytes | str, name: str = "tokenizer.json") -> TokenizerVocabulary:
    """The TokenizerVocabulary of a tokenizer.json's bytes; FileFormatError in one line for a
    file over MAX_TOKENIZER_JSON, not UTF-8 JSON, or without a model and its vocabulary."""
    if len(data) > MAX_TOKENIZER_JSON:
        raise FileFormatError(f"{name} is {human_bytes(len(data))}; a tokenizer.json may be at most "
                              f"{human_bytes(MAX_TOKENIZER_JSON)} (the largest real ones, of 256,000 "
                              "tokens, are over 30 MiB)")
    text = utf8_text(name, data)
    document = json_document(name, text)
    if not isinstance(document, dict) or not isinstance(document.get("model"), dict):
        raise FileFormatError(f"{name} is JSON but not a tokenizer: it has no \"model\" object "
                              "(a tokenizer.json from the tokenizers library has one)")
    model = document["model"]
    kind = _kind(model)
    entries = _vocabulary_entries(model, kind)
    special, added = set(), set()
    for entry in document.get("added_tokens") or []:
        if not isinstance(entry, dict) or type(entry.get("id")) is not int or entry["id"] < 0 \
                or not isinstance(entry.get("content"), str):
            raise FileFormatError(f"{name}: an added token needs an id and a content; found {str(entry)[:80]}")
        entries[entry["id"]] = entry["content"]
        added.add(entry["id"])
        if entry.get("special"):
            special.add(entry["id"])
    if not entries:
        raise FileFormatError(f"{name} has an empty vocabulary")
    tokens = [None] * (max(entries) + 1)
    for i, token in entries.items():
        tokens[i] = token
    around = {key: document.get(key) for key in ("normalizer", "pre_tokenizer", "decoder")}
    types = _types(around)
    byte_level = "ByteLevel" in types
    metaspace = not byte_level and ("Metaspace" in types or any(
        token is not None and METASPACE in token for token in tokens[:1000]))
    prefix = model.get("continuing_subword_prefix") if kind == "WordPiece" else None
    return TokenizerVocabulary(kind, tuple(tokens), frozenset(special), frozenset(added), byte_level,
                               metaspace, prefix or None, bool(model.get("byte_fallback")), text)
