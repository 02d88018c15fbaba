"""MiniLM sentence vectors of a collection, embedded once and shared by every visitor and
every page that asks for the same sentences (Sentence search, Shrink the table)."""
from __future__ import annotations

import hashlib

from engine.retrieval import SentenceCollection, embed_collection
from ui.layer import minilm
from ui.results import remembered


def sentence_collection(name: str, sentences: list[str]) -> SentenceCollection:
    """The collection's vectors (embedded with a progress bar the first time, then from the
    shared results and the disk cache)."""
    tokenizer, model = minilm()
    digest = hashlib.blake2b("\n".join(sentences).encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()
    return remembered(("sentences", digest), lambda progress: embed_collection(
        name, sentences, tokenizer, model, progress=progress), f"Embedding {len(sentences):,} sentences (once)")
