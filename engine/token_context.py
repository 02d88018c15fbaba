"""What a token table brings besides its rows, for the health report: the model's own
output embedding, what the tokenizer does with each token, the initialisation's scale and the
padding row. From a model folder directly; for MiniLM's built-in table from its package
folder; for a library table imported from a model folder, from what the import stored (its
"tokenizer" metadata column, and the NAME-output table)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from engine.vectors import EmbeddingSet

STATUS_COLUMN = "tokenizer"


@dataclass(frozen=True)
class TokenContext:
    output: EmbeddingSet | None = field(default=None, repr=False)
    status: np.ndarray | None = field(default=None, repr=False)
    init_std: float | None = None
    pad: int | None = None
    tying: str | None = None


def context_of_model(model, progress=None) -> TokenContext:
    """The TokenContext of a ModelTables (engine.readers.model_folder), tokenizer run once."""
    from engine.token_status import token_statuses

    status = None if model.vocabulary is None else token_statuses(model.vocabulary, len(model.input), progress)
    return TokenContext(model.output, status, model.init_std, model.pad_row, model.tying_reason)


def _minilm_context() -> TokenContext:
    from engine.readers.tokenizer_json import parse_tokenizer_json
    from engine.sources import minilm_path
    from engine.token_status import token_statuses

    folder = minilm_path()
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    vocabulary = parse_tokenizer_json((folder / "tokenizer.json").read_bytes())
    return TokenContext(None, token_statuses(vocabulary, config["vocab_size"]), config.get("initializer_range"),
                        config.get("pad_token_id"), "no output embedding: BertModel is the model without "
                        "its language-model head")


def context_of_table(table: EmbeddingSet) -> TokenContext:
    """The TokenContext a table carries: MiniLM's built-in token table, a library table
    imported from a model folder, or nothing (an empty TokenContext)."""
    from engine import library

    if table.name == "minilm-tokens" and len(table) == 30_522:
        return _minilm_context()
    status = None
    if table.metadata is not None and STATUS_COLUMN in table.metadata.columns:
        status = table.metadata[STATUS_COLUMN].to_numpy(dtype=object)
    output = None
    if library.has_table(library.output_name(table.name)) and library.has_table(table.name):
        candidate = library.load_table(library.output_name(table.name))
        output = candidate if candidate.vectors.shape == table.vectors.shape else None
    return TokenContext(output, status)


def open_with_context(source: str) -> tuple[EmbeddingSet, TokenContext]:
    """A source as --source takes it (a model folder too) with its TokenContext."""
    from engine.sources import load_source

    if Path(source).is_dir():
        from engine.readers.model_folder import read_model_folder

        model = read_model_folder(source)
        return model.input, context_of_model(model)
    table = load_source(source)
    return table, context_of_table(table)
