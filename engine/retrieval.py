"""Sentence vectors and search over them: what a retrieval (RAG) system does under the hood.

MiniLM (all-MiniLM-L6-v2) was trained to be used as sentence-transformers uses it: the last
layer's token vectors averaged over the real tokens (attention mask), then scaled to length
1, with sentences cut at 256 tokens. Search is then cosine = dot product of unit vectors.
Ranking by the raw dot product of un-normalised vectors instead favours long vectors: the
"cosine pitfall" shown side by side, for sentences and for GloVe words (whose norms grow
with frequency).
"""
from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from engine.atomic import atomic_path
from engine.geometry import Progress
from engine.index import CODE_LEVELS
from engine.torch_threads import all_torch_threads
from engine.vectors import EmbeddingSet, top_k

MAX_SEQ_LENGTH = 256           # sentence_bert_config.json of the model
MAX_SENTENCES = 20_000         # a collection: about 2.6 minutes of embedding on both cores here
INDEX_MIN_SENTENCES = CODE_LEVELS   # fewer are searched exactly: the compressed index trains
                                    # its codes on at least as many rows


def sentence_vectors(sentences: list[str], tokenizer, model, batch_size: int = 32,
                     normalize: bool = True, progress: Progress = None) -> tuple[np.ndarray, int]:
    """((n, d) float32 mean-pooled sentence vectors, unit length if `normalize`; number of
    sentences cut at MAX_SEQ_LENGTH tokens)."""
    import torch

    if not sentences:
        raise ValueError("give at least one sentence")
    empty = [i + 1 for i, s in enumerate(sentences) if not isinstance(s, str) or not s.strip()]
    if empty:
        raise ValueError(f"sentence {empty[0]} is empty; every sentence needs some text")
    # sentences of similar length share a batch, so little of each batch is padding
    order = np.argsort([-len(s) for s in sentences], kind="stable")
    out, cut = [], 0
    for start in range(0, len(sentences), batch_size):
        chunk = [sentences[i] for i in order[start:start + batch_size]]
        cut += sum(len(ids) > MAX_SEQ_LENGTH for ids in tokenizer(chunk)["input_ids"])
        batch = tokenizer(chunk, padding=True, truncation=True, max_length=MAX_SEQ_LENGTH,
                          return_tensors="pt")
        with torch.no_grad():
            tokens = model(**batch).last_hidden_state                       # (b, t, d)
        mask = batch["attention_mask"].unsqueeze(-1).to(tokens.dtype)       # (b, t, 1)
        pooled = (tokens * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
        if normalize:
            pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
        out.append(pooled.numpy())
        if progress:
            progress(min(start + batch_size, len(sentences)), len(sentences))
    vectors = np.empty((len(sentences), out[0].shape[1]), dtype=np.float32)
    vectors[order] = np.concatenate(out)
    return vectors, cut


@dataclass(frozen=True)
class SentenceCollection:
    """Sentences with their pooled vectors: raw (n, d) as pooled, and the unit ones as a
    table (keys = the sentences) for cosine search and the approximate index."""

    name: str
    sentences: list[str]
    raw: np.ndarray
    truncated: int

    @cached_property
    def table(self) -> EmbeddingSet:
        return EmbeddingSet(self.raw, self.sentences, self.name, frequency_ordered=False,
                            description=f"{len(self.sentences):,} sentences × {self.raw.shape[1]}")


def default_cache_folder() -> Path:
    """$EMBEDDING_LAB_CACHE/sentences, else <repo>/.cache/sentences."""
    folder = os.environ.get("EMBEDDING_LAB_CACHE")
    base = Path(folder) if folder else Path(__file__).resolve().parent.parent / ".cache"
    return base / "sentences"


def embed_collection(name: str, sentences: list[str], tokenizer, model, folder: Path | None = None,
                     progress: Progress = None) -> SentenceCollection:
    """Embed the sentences once, torch on every core (a cached one-time job); later calls
    with the same sentences read the cached vectors from `folder` (keyed by a digest of
    the text)."""
    digest = hashlib.blake2b("\n".join(sentences).encode("utf-8", "surrogatepass"),
                             digest_size=12).hexdigest()
    path = Path(folder or default_cache_folder()) / f"minilm-{digest}.npz"
    if path.is_file():
        cached = np.load(path, allow_pickle=False)
        return SentenceCollection(name, list(sentences), cached["raw"], int(cached["truncated"]))
    with all_torch_threads():
        raw, truncated = sentence_vectors(sentences, tokenizer, model, normalize=False, progress=progress)
    with atomic_path(path) as partial:
        np.savez(partial, raw=raw, truncated=truncated)
    return SentenceCollection(name, list(sentences), raw, truncated)


@dataclass(frozen=True)
class Hit:
    key: str
    score: float
    rank: int                   # 1-based


@dataclass(frozen=True)
class CosineVsDot:
    """The same query ranked by cosine and by raw dot product, and the keys whose rank
    differs between the two top-n lists (rank None: not in that list)."""

    cosine: list[Hit]
    dot: list[Hit]

    def changed(self) -> list[tuple[str, int | None, int | None]]:
        by_cosine = {h.key: h.rank for h in self.cosine}
        by_dot = {h.key: h.rank for h in self.dot}
        keys = list(dict.fromkeys([h.key for h in self.cosine] + [h.key for h in self.dot]))
        return [(k, by_cosine.get(k), by_dot.get(k)) for k in keys
                if by_cosine.get(k) != by_dot.get(k)]

    def to_dict(self) -> dict:
        hits = lambda hits: [{"key": h.key, "score": h.score, "rank": h.rank} for h in hits]  # noqa: E731
        return {"cosine": hits(self.cosine), "dot": hits(self.dot),
                "changed": [{"key": k, "cosine_rank": a, "dot_rank": b} for k, a, b in self.changed()]}


def _hits(table: EmbeddingSet, scores: np.ndarray, topn: int, exclude: int | None = None) -> list[Hit]:
    if exclude is not None:
        scores[exclude] = -np.inf
    return [Hit(table.index_to_key[i], float(scores[i]), rank)
            for rank, i in enumerate(top_k(scores, topn), 1)]


def cosine_vs_dot(table: EmbeddingSet, query: np.ndarray, topn: int = 10,
                  exclude: int | None = None) -> CosineVsDot:
    """Top-n rows of `table` for the query vector (d,) by cosine and by raw dot product
    (`exclude`: a row left out of both, e.g. the query word itself)."""
    if not np.linalg.norm(query) > 0:
        raise ValueError("the query vector is all zeros, so it has no direction to compare")
    query = np.asarray(query, dtype=np.float32)
    cosine = table.unit @ (query / np.linalg.norm(query))
    dot = np.asarray(table.vectors) @ query
    return CosineVsDot(_hits(table, cosine, topn, exclude), _hits(table, dot, topn, exclude))


@dataclass(frozen=True)
class SearchReport:
    """A query against a collection: exact cosine hits, the approximate index's hits and
    its recall@k for this query (None without an index), and the cosine / dot-product
    comparison."""

    query: str
    exact: list[Hit]
    approximate: list[Hit]
    recall: float | None
    compared: CosineVsDot
    truncated: int
    seconds: float

    def to_dict(self) -> dict:
        hits = lambda hits: [{"sentence": h.key, "cosine": h.score, "rank": h.rank} for h in hits]  # noqa: E731
        return {"query": self.query, "results": hits(self.exact), "approximate": hits(self.approximate),
                "recall_at_k": self.recall, "cosine_vs_dot": self.compared.to_dict(),
                "query_truncated": bool(self.truncated), "seconds": self.seconds}


def search(collection: SentenceCollection, query: str, tokenizer, model, topn: int = 5,
           index=None) -> SearchReport:
    """Top-n sentences of the collection for `query`, exactly and through `index` (an
    engine.index.AnnIndex over collection.table, cosine)."""
    from engine.errors import check_int

    if not isinstance(query, str) or not query.strip():
        raise ValueError("the query is empty; type a sentence or a few words to search for")
    started = time.perf_counter()
    table = collection.table
    topn = min(check_int("topn", topn, 1), len(table))       # a short collection: all of it
    raw, truncated = sentence_vectors([query], tokenizer, model, normalize=False)
    scores = table.unit @ (raw[0] / np.linalg.norm(raw[0]))
    exact = _hits(table, scores, topn)
    approximate, recall = [], None
    if index is not None:
        found = index.query(raw, topn)
        approximate = [Hit(table.index_to_key[i], float(s), r)
                       for r, (i, s) in enumerate(zip(found.indices[0], found.scores[0]), 1) if i >= 0]
        recall = len(np.intersect1d(found.indices[0], top_k(scores, topn))) / topn
    return SearchReport(query, exact, approximate, recall, cosine_vs_dot(table, raw[0], topn),
                        truncated, time.perf_counter() - started)


def split_sentences(text: str, min_words: int = 3) -> list[str]:
    """Sentences of a text: split after . ! ? and at line breaks; at least `min_words`
    words each, at most MAX_SENTENCES of them (ValueError, saying the count)."""
    import re

    parts = re.split(r"(?<=[.!?])\s+|\n+", text)
    found = [" ".join(p.split()) for p in parts if len(p.split()) >= min_words]
    if not found:
        raise ValueError(f"no sentence of at least {min_words} words in the text "
                         f"({len(text):,} characters)")
    if len(found) > MAX_SENTENCES:
        raise ValueError(f"the text holds {len(found):,} sentences; at most {MAX_SENTENCES:,} can be "
                         "searched (about 2.6 minutes of embedding here)")
    return found
