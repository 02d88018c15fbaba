"""Lookup: what an embedding layer does in the forward pass, on MiniLM's real 30,522 × 384
table and its WordPiece tokenizer.

A row read by index is exactly one-hot(id) · W, but costs d reads instead of V·d
multiply-adds. The same id always gives the same row. BERT-style models then add a
position row and a segment row and apply LayerNorm; `input_representation` does that by
hand and compares it with transformers' own embeddings module.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import torch

MAX_SENTENCE_CHARS = 20_000


@dataclass(frozen=True)
class Tokens:
    """A tokenised sentence (or pair) as MiniLM reads it, [CLS] and [SEP] included."""

    ids: tuple[int, ...]
    tokens: tuple[str, ...]
    segments: tuple[int, ...]    # 0 for the first sentence, 1 for the second

    def labels(self) -> list[str]:
        """'0 [CLS]', '1 the', …: unique labels for figures (a token may repeat)."""
        return [f"{i} {token}" for i, token in enumerate(self.tokens)]

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame({"position": range(len(self.ids)), "token": self.tokens, "id": self.ids,
                             "segment": self.segments})


def check_texts(sentence: str, second: str | None = None) -> list[str]:
    """[sentence] or [sentence, second]; ValueError for an empty or huge text (before any
    model is loaded)."""
    texts = [sentence] + ([second] if second else [])
    for text in texts:
        if not text or not text.strip():
            raise ValueError("the sentence is empty; type a few words, e.g. 'The cat sat.'")
        if len(text) > MAX_SENTENCE_CHARS:
            raise ValueError(f"the sentence has {len(text):,} characters; at most {MAX_SENTENCE_CHARS:,} "
                             "(and 512 tokens) are allowed")
    return texts


def tokenize(tokenizer, sentence: str, second: str | None = None, max_positions: int = 512) -> Tokens:
    """WordPiece ids of `sentence` (and `second`, segment 1); ValueError when empty or longer
    than the model's `max_positions`."""
    texts = check_texts(sentence, second)
    encoded = tokenizer(*texts)
    ids = encoded["input_ids"]
    if len(ids) > max_positions:
        raise ValueError(f"the text has {len(ids):,} tokens; MiniLM has {max_positions} positions, "
                         f"so at most {max_positions} tokens ([CLS] and [SEP] included)")
    return Tokens(tuple(ids), tuple(tokenizer.convert_ids_to_tokens(ids)),
                  tuple(encoded.get("token_type_ids", [0] * len(ids))))


def one_hot_product(weight: torch.Tensor, ids: torch.Tensor) -> torch.Tensor:
    """(T, d) one-hot(ids) (T, V) times weight (V, d): the lookup written as a product."""
    return torch.nn.functional.one_hot(ids, weight.shape[0]).to(weight.dtype) @ weight


def _best_seconds(run, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


@dataclass(frozen=True)
class OneHotCheck:
    """Lookup by index against one-hot · W for one sentence, values and cost."""

    tokens: Tokens
    rows: np.ndarray             # (T, d) the rows the lookup returned
    max_abs_diff: float          # max |lookup − one-hot · W|: 0.0 exactly
    index_seconds: float         # best of `repeats` runs
    one_hot_seconds: float
    numbers_read: int            # T·d: what indexing touches
    multiply_adds: int           # T·V·d: what the product does

    @property
    def speedup(self) -> float:
        return self.one_hot_seconds / max(self.index_seconds, 1e-9)

    def describe(self) -> str:
        """Whether the product gave the rows indexing reads, and at what cost, from these numbers."""
        same = "exactly the rows indexing reads" if self.max_abs_diff == 0 else (
            f"the rows indexing reads to within {self.max_abs_diff:.1e}")
        return (f"One-hot · W gave {same}, with {self.multiply_adds:,} multiply-adds where indexing reads "
                f"{self.numbers_read:,} numbers, and took {self.speedup:,.0f}× as long.")

    def to_dict(self) -> dict:
        return {"ids": list(self.tokens.ids), "tokens": list(self.tokens.tokens),
                "max_abs_diff": self.max_abs_diff, "index_seconds": self.index_seconds,
                "one_hot_seconds": self.one_hot_seconds, "speedup": self.speedup,
                "numbers_read": self.numbers_read, "multiply_adds": self.multiply_adds}


def compare_one_hot(embedding: torch.nn.Embedding, tokens: Tokens, repeats: int = 5) -> OneHotCheck:
    """Run embedding(ids) and one_hot(ids) @ W on the real table; compare and time both."""
    ids = torch.tensor(tokens.ids)                                   # (T,)
    weight = embedding.weight
    with torch.no_grad():
        rows, product = embedding(ids), one_hot_product(weight, ids)  # (T, d) each
        index_seconds = _best_seconds(lambda: embedding(ids), repeats)
        one_hot_seconds = _best_seconds(lambda: one_hot_product(weight, ids), repeats)
    vocab, dim = weight.shape
    return OneHotCheck(tokens, rows.numpy(), float((rows - product).abs().max()), index_seconds,
                       one_hot_seconds, len(ids) * dim, len(ids) * vocab * dim)


@dataclass(frozen=True)
class StaticRow:
    """One token looked up in several sentences: the rows are identical."""

    token: str
    id: int
    sentences: tuple[str, ...]
    positions: tuple[int, ...]   # where the token sits in each sentence
    row: np.ndarray              # (d,) the row every occurrence got
    max_difference: float        # largest |row_i − row_j| over all occurrences: 0.0

    def to_dict(self) -> dict:
        return {"token": self.token, "id": self.id, "sentences": list(self.sentences),
                "positions": list(self.positions), "max_difference": self.max_difference}


def static_row(tokenizer, embedding: torch.nn.Embedding, token: str, sentences: list[str]) -> StaticRow:
    """Look `token` up in each sentence's token sequence; ValueError if a sentence lacks it."""
    vocabulary = tokenizer.get_vocab()
    if token not in vocabulary:
        pieces = tokenizer.tokenize(token)
        raise ValueError(f"'{token}' is not one MiniLM token (it splits into {' '.join(pieces) or 'nothing'}); "
                         "pick a word that is a single token, e.g. bank")
    token_id, rows, positions = vocabulary[token], [], []
    for sentence in sentences:
        tokens = tokenize(tokenizer, sentence)
        if token_id not in tokens.ids:
            raise ValueError(f"'{token}' is not among the tokens of {sentence!r}: {' '.join(tokens.tokens)}")
        position = tokens.ids.index(token_id)
        with torch.no_grad():
            rows.append(embedding(torch.tensor(tokens.ids))[position])   # (d,)
        positions.append(position)
    stacked = torch.stack(rows)                                            # (S, d)
    spread = (stacked.max(0).values - stacked.min(0).values).max()
    return StaticRow(token, token_id, tuple(sentences), tuple(positions), stacked[0].numpy(), float(spread))


def layer_norm(x: torch.Tensor, gain: torch.Tensor, bias: torch.Tensor, eps: float) -> torch.Tensor:
    """(T, d) (x − mean) / √(var + eps) · gain + bias over the last dimension (biased var)."""
    mean = x.mean(-1, keepdim=True)
    variance = ((x - mean) ** 2).mean(-1, keepdim=True)
    return (x - mean) / torch.sqrt(variance + eps) * gain + bias


@dataclass(frozen=True)
class InputRepresentation:
    """BERT's input to layer 1, part by part: every array is (T, d)."""

    tokens: Tokens
    token_rows: np.ndarray
    position_rows: np.ndarray
    segment_rows: np.ndarray
    summed: np.ndarray
    normed: np.ndarray           # LayerNorm(summed): what the first attention layer reads
    max_abs_diff: float          # against transformers' BertEmbeddings on the same ids

    def row_norms(self) -> dict[str, np.ndarray]:
        """(T,) length of every token's row in each part, by part name."""
        return {name: np.linalg.norm(getattr(self, name), axis=1)
                for name in ("token_rows", "position_rows", "segment_rows", "summed", "normed")}

    def describe(self) -> str:
        """Each part's mean row length and the check against transformers, from these arrays."""
        mean = {name: float(norms.mean()) for name, norms in self.row_norms().items()}
        return (f"Over these {len(self.tokens.ids)} tokens the rows are on average {mean['token_rows']:.2f} long "
                f"(token), {mean['position_rows']:.2f} (position) and {mean['segment_rows']:.2f} (segment); after "
                f"LayerNorm the sums are {mean['normed']:.1f} long on average. By hand and by transformers' own "
                f"module the result differs by at most {self.max_abs_diff:.1e}.")

    def to_dict(self) -> dict:
        return {"ids": list(self.tokens.ids), "tokens": list(self.tokens.tokens),
                "segments": list(self.tokens.segments),
                "row_norms": {name: norms.tolist() for name, norms in self.row_norms().items()},
                "max_abs_diff_vs_transformers": self.max_abs_diff}


def input_representation(model, tokens: Tokens) -> InputRepresentation:
    """token row + position row + segment row, then LayerNorm, by hand on MiniLM's weights,
    and the largest difference from `model.embeddings(ids, segments)` (eval mode: no dropout)."""
    parts = model.embeddings
    ids = torch.tensor(tokens.ids)                                             # (T,)
    segments = torch.tensor(tokens.segments)                                   # (T,)
    with torch.no_grad():
        token_rows = parts.word_embeddings.weight.detach()[ids]                # (T, d)
        position_rows = parts.position_embeddings.weight.detach()[: len(ids)]  # (T, d)
        segment_rows = parts.token_type_embeddings.weight.detach()[segments]   # (T, d)
        summed = token_rows + position_rows + segment_rows
        normed = layer_norm(summed, parts.LayerNorm.weight, parts.LayerNorm.bias, parts.LayerNorm.eps)
        reference = parts(input_ids=ids[None], token_type_ids=segments[None])[0]  # (T, d)
    return InputRepresentation(tokens, token_rows.numpy(), position_rows.numpy(), segment_rows.numpy(),
                               summed.numpy(), normed.numpy(), float((normed - reference).abs().max()))
