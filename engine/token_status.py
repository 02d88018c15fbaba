"""What the tokenizer does with each token: does any text ever produce it?

Land & Bartolo (2024, "Fishing for Magikarp") call a token unreachable when the text it
decodes to does not encode back to it; such a token never appears in training data, so its
row is never trained. Here the tokenizer itself (the `tokenizers` library, from the model's
tokenizer.json) encodes each token's text alone, and, when that fails, after a few one- or
two-character word starts, since a piece inside a word ("##ing", a SentencePiece piece
without "▁") only appears after one. A token found in none of these is "never produced":
a finding about these texts, a strong hint rather than a proof over every text.

Statuses (one per row of the table):
  special         an added token marked special ([CLS], <|endoftext|>): put in by code, not text
  added           an added token not marked special (matched in text before the model runs)
  byte fallback   <0x0A>-style tokens that spell a character the vocabulary lacks, byte by byte
  part of a character   a byte-level token holding only some bytes of a UTF-8 character
  never produced  its text never encodes to it
  produced        its text encodes to it
  no token        a row of the table with no token in the tokenizer
"""
from __future__ import annotations

import numpy as np

from engine.readers.tokenizer_json import TokenizerVocabulary, byte_decoder

STATUSES = ("special", "added", "byte fallback", "part of a character", "never produced", "produced",
            "no token")
# word starts tried before a piece: letters and digits that rarely join the piece's start
WORD_STARTS = ("q", "x", "z", "j", "v", "7", "0", "qx", "ж", "ℓ", "a")


def _tokenizer(vocabulary: TokenizerVocabulary):
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_str(vocabulary.text)
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer


def _texts(vocabulary: TokenizerVocabulary, ids: np.ndarray) -> list[str]:
    """The text each token stands for, unescaped (the tokenizer gets the real characters)."""
    out = []
    for i in ids:
        token = vocabulary.tokens[i]
        if vocabulary.continuing_prefix and token.startswith(vocabulary.continuing_prefix):
            token = token[len(vocabulary.continuing_prefix):]
        elif vocabulary.byte_level:
            token = _unescaped(token)
        elif vocabulary.metaspace:
            token = token.replace("▁", " ")
        out.append(token)
    return out


def _unescaped(token: str) -> str:
    """A byte-level token of whole characters as its text."""
    if not all(c in byte_decoder() for c in token):
        return token
    return bytes(byte_decoder()[c] for c in token).decode("utf-8")


def _produced(tokenizer, texts: list[str], ids: np.ndarray, start: str) -> np.ndarray:
    """(n,) whether `start` + text encodes to a last token of that id (alone: to that id only)."""
    encoded = tokenizer.encode_batch([start + t for t in texts], add_special_tokens=False)
    if not start:
        return np.array([e.ids == [i] for e, i in zip(encoded, ids.tolist())], dtype=bool)
    return np.array([len(e.ids) > 1 and e.ids[-1] == i for e, i in zip(encoded, ids.tolist())], dtype=bool)


def token_statuses(vocabulary: TokenizerVocabulary, rows: int, progress=None) -> np.ndarray:
    """(rows,) status of each row of a table of `rows` rows (see STATUSES), object strings."""
    status = np.full(rows, "no token", dtype=object)
    known = np.array([i for i in range(min(rows, vocabulary.size)) if vocabulary.tokens[i] is not None],
                     dtype=np.int64)
    status[known] = "never produced"
    for i in known:
        if i in vocabulary.special:
            status[i] = "special"
        elif i in vocabulary.added:
            status[i] = "added"
        elif vocabulary.is_byte_fallback(i):
            status[i] = "byte fallback"
        elif vocabulary.byte_level and vocabulary.partial_character(i):
            status[i] = "part of a character"
    tokenizer = _tokenizer(vocabulary)
    left = known[status[known] == "never produced"]
    texts = dict(zip(left.tolist(), _texts(vocabulary, left)))
    for step, start in enumerate(("",) + WORD_STARTS):
        if left.size == 0:
            break
        found = _produced(tokenizer, [texts[i] for i in left.tolist()], left, start)
        status[left[found]] = "produced"
        left = left[~found]
        if progress:
            progress(step + 1, len(WORD_STARTS) + 1)
    return status
