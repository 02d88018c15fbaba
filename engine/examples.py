"""Example inputs that fit a table: the word pages open on words the table has, whatever
table it is (GloVe, a token or position table, an upload without "breakfast")."""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

from engine.vectors import EmbeddingSet

ODD_ONE_OUT = ("breakfast", "cereal", "dinner", "lunch")
EXAMPLE_WORD = "king"
SCAN_ROWS = 2_000       # rows searched for an example's odd word
SAME_ROW_SENTENCES = ("I sat on the river bank.", "The bank raised its rates.", "Bank on it.")  # one id, three senses


def example_word(table: EmbeddingSet) -> str:
    """'king' when the table has it, else its sixth row (past the padding and special
    tokens that open many token tables), else its last."""
    return EXAMPLE_WORD if EXAMPLE_WORD in table else table.index_to_key[min(5, len(table) - 1)]


def odd_one_out_example(table: EmbeddingSet) -> list[str]:
    """Four words of `table`, one of which fits least: breakfast, cereal, dinner, lunch when
    the table has them; else its example word, that word's two nearest rows and the row
    least like it among the first SCAN_ROWS. Empty when the table has fewer than 4 rows."""
    if all(word in table for word in ODD_ONE_OUT):
        return list(ODD_ONE_OUT)
    if len(table) < 4:
        return []
    word = example_word(table)
    near = [n.key for n in table.most_similar(word, topn=2)]
    scan = min(SCAN_ROWS, len(table))
    cosines = table.unit[:scan] @ table.unit[table.key_to_index[word]]
    taken = {table.key_to_index[k] for k in [word, *near]}
    far = next(int(i) for i in np.argsort(cosines, kind="stable") if int(i) not in taken)
    return [word, *near, table.index_to_key[far]]


def fitting(examples: Mapping[str, Sequence[str]], table: EmbeddingSet) -> dict[str, Sequence[str]]:
    """The examples (name -> words) whose every word the table resolves (any case)."""
    def known(word: str) -> bool:
        return word in table or word.lower() in table
    return {name: words for name, words in examples.items() if all(map(known, words))}


def example_pair(table: EmbeddingSet) -> tuple[str, str]:
    """The example word and its nearest row: a pair worth comparing."""
    word = example_word(table)
    if len(table) < 2:
        return word, word
    return word, table.most_similar(word, topn=1)[0].key
