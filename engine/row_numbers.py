"""How a row is numbered for people: in a frequency-ordered table (GloVe) by its frequency
rank, 1 for the most frequent word; in any other table (token ids, positions, item ids) by
its 0-based row id, the index `nn.Embedding` and the tokenizer use."""
from __future__ import annotations

from engine.vectors import EmbeddingSet


def row_heading(table: EmbeddingSet) -> str:
    """The column heading for row numbers: 'rank' or 'id'."""
    return "rank" if table.frequency_ordered else "id"


def row_number(table: EmbeddingSet, row):
    """The number people see for 0-based `row` (an int or an array of them): its rank
    (row + 1) or its id (row)."""
    return row + 1 if table.frequency_ordered else row


def row_text(table: EmbeddingSet, row: int) -> str:
    """'rank 1,234' or 'id 1234' (ids, like token ids, without thousands separators)."""
    return f"rank {row + 1:,}" if table.frequency_ordered else f"id {row}"
