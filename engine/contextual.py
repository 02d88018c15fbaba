"""The contextual cone: how close together MiniLM's contextual token vectors sit, layer by
layer, measured on real sentences (gensim's lee_background.cor, Australian news), against
the static token table the model starts from.

Mean cosine is exact over all pairs of token occurrences ([CLS], [SEP] and padding left
out), from the sum of unit vectors as in engine.geometry.
"""
from __future__ import annotations

import functools
import os
import re
import threading
import time
from dataclasses import asdict, dataclass

import numpy as np

from engine.errors import check_int
from engine.evaluate import gensim_datapath
from engine.geometry import Progress, mean_pairwise_cosine
from engine.sources import minilm_path

CORPUS = "lee_background.cor"


def lee_sentences(count: int = 200, min_words: int = 6) -> list[str]:
    """The first `count` sentences of at least `min_words` words of lee_background.cor."""
    count = check_int("sentences", count, 1, 5_000)
    found = []
    with open(gensim_datapath(CORPUS), encoding="utf-8") as corpus:
        for document in corpus:
            for sentence in re.split(r"(?<=[.!?])\s+", document.strip()):
                if len(sentence.split()) >= min_words:
                    found.append(sentence)
                    if len(found) == count:
                        return found
    return found


_MINILM_LOCK = threading.Lock()


@functools.cache
def _read_minilm():
    os.environ["HF_HUB_OFFLINE"] = "1"
    import torch
    from transformers import AutoModel, AutoTokenizer

    torch.set_num_threads(1)
    path = minilm_path()
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    model = AutoModel.from_pretrained(path, local_files_only=True).eval()
    return tokenizer, model


def load_minilm():
    """(tokenizer, model) of the bundled all-MiniLM-L6-v2, offline, in eval mode; read once
    per process (a second caller, e.g. a page while the server's warm-up reads it, waits
    for the first) and shared between threads: callers never change the model.

    torch runs one thread per operation from here on (engine.torch_threads says why)."""
    with _MINILM_LOCK:
        return _read_minilm()


@dataclass(frozen=True)
class LayerCone:
    layer: str              # "embeddings" (after position + LayerNorm), "layer 1" … "layer 6"
    mean_cosine: float


@dataclass(frozen=True)
class ContextualCone:
    """Mean cosine of contextual token vectors per layer, and the static baselines:
    static_occurrences — the token table rows of the same token occurrences;
    static_table — all rows of the token table."""

    sentences: int
    tokens: int
    layers: tuple[LayerCone, ...]
    static_occurrences: float
    static_table: float
    seconds: float

    def to_dict(self) -> dict:
        return {**asdict(self), "layers": [asdict(layer) for layer in self.layers]}


def _unit_sum(vectors) -> np.ndarray:
    """(d,) float64 sum of the unit rows of a (n, d) torch tensor."""
    rows = vectors.double()
    return (rows / rows.norm(dim=1, keepdim=True)).sum(dim=0).numpy()


def contextual_cone(sentences: list[str], tokenizer=None, model=None, batch_size: int = 32,
                    progress: Progress = None) -> ContextualCone:
    """Run MiniLM over `sentences` and measure the cone of every layer's token vectors."""
    import torch

    if not sentences:
        raise ValueError("give at least one sentence to run the model on")
    started = time.perf_counter()
    if tokenizer is None or model is None:
        tokenizer, model = load_minilm()
    table = model.embeddings.word_embeddings.weight.detach()                  # (V, d)
    layer_sums, static_sum, tokens = None, np.zeros(table.shape[1]), 0
    for start in range(0, len(sentences), batch_size):
        batch = tokenizer(sentences[start:start + batch_size], padding=True, truncation=True,
                          max_length=128, return_tensors="pt", return_special_tokens_mask=True)
        keep = (batch.pop("special_tokens_mask") == 0) & (batch["attention_mask"] == 1)  # (b, t)
        with torch.no_grad():
            states = model(**batch, output_hidden_states=True).hidden_states  # 7 × (b, t, d)
        sums = [_unit_sum(state[keep]) for state in states]
        layer_sums = sums if layer_sums is None else [a + b for a, b in zip(layer_sums, sums)]
        static_sum += _unit_sum(table[batch["input_ids"][keep]])
        tokens += int(keep.sum())
        if progress:
            progress(min(start + batch_size, len(sentences)), len(sentences))
    names = ["embeddings"] + [f"layer {i}" for i in range(1, len(layer_sums))]
    return ContextualCone(
        len(sentences), tokens,
        tuple(LayerCone(name, mean_pairwise_cosine(s, tokens)) for name, s in zip(names, layer_sums)),
        mean_pairwise_cosine(static_sum, tokens),
        mean_pairwise_cosine(_unit_sum(table), table.shape[0]),
        time.perf_counter() - started)


# -- one word in context ---------------------------------------------------------------------
MAX_TOKENS = 512                 # MiniLM's learned position table
BATCH_SIZE = 16                  # sentences per padded forward pass
# What one comparison may ask for: about 10 s of the page's work on this 2-core server
# (bench/bench_contextual.py): MiniLM on one thread reads about 1,000 tokens a second of long
# sentences, and the page draws a curve and a column for every pair of sentences, which past
# 50 sentences (1,225 pairs) costs more than the model.
MAX_SENTENCES = 50
MAX_TOTAL_TOKENS = 10_000        # counted as MiniLM reads them: at most MAX_TOKENS a sentence
SIZE_LIMITS = (f"At most {MAX_SENTENCES} sentences and {MAX_TOTAL_TOKENS:,} tokens at once: about ten "
               "seconds of MiniLM on this server.")
# Two senses, two sentences each (sense, sentence): chosen so that on MiniLM's numbers every
# same-sense pair is more alike than every cross-sense pair in the deep layers (a test checks
# which layers, per preset).
PRESETS = {
    "bank": (("river", "We had a picnic on the grassy bank of the river."),
             ("river", "The boat drifted towards the muddy bank of the stream."),
             ("money", "She opened a savings account at the bank."),
             ("money", "The bank raised its interest rates again.")),
    "bat": (("animal", "The vampire bat feeds on the blood of cattle."),
            ("animal", "A bat hunts insects at night using echoes."),
            ("sport", "The batsman lifted his bat to the crowd."),
            ("sport", "She bought a new cricket bat for the match.")),
    "cell": (("prison", "The prisoner was locked in a small cell."),
             ("prison", "A single prison cell held three men."),
             ("biology", "Every living cell contains DNA."),
             ("biology", "The virus enters the cell through its membrane.")),
    "spring": (("season", "The flowers bloom in spring."),
               ("season", "Lambs are born in early spring."),
               ("coil", "The spring in the old mattress had broken."),
               ("coil", "He replaced the broken spring in the clock.")),
    "play": (("game", "The children play in the park after school."),
             ("game", "They play football every Sunday."),
             ("theatre", "We saw a play by Shakespeare at the theatre."),
             ("theatre", "The actors rehearsed the new play for weeks.")),
}


def preset_text(word: str) -> str:
    """A preset's sentences as 'sense | sentence' lines (what the page's text box holds)."""
    return "\n".join(f"{sense} | {sentence}" for sense, sentence in PRESETS[word])


@dataclass(frozen=True)
class WordInSentence:
    """One occurrence of the word: its WordPiece pieces, their token positions in the
    sentence (after [CLS]), and whether the sentence was cut at MAX_TOKENS."""

    sentence: str
    pieces: tuple[str, ...]
    positions: tuple[int, ...]
    truncated: bool


@dataclass(frozen=True)
class StaticVsContextual:
    """A word's static row against its contextual vectors in several sentences.

    static (d,): the token table row (mean of the rows of its pieces when the word alone
    splits into several). vectors (s, L+1, d): the word's vector in each sentence at layer
    0 (input embeddings: token + position + type, LayerNorm) … L, the mean of its pieces."""

    word: str
    pieces: tuple[str, ...]
    occurrences: tuple[WordInSentence, ...]
    static: np.ndarray
    vectors: np.ndarray

    @property
    def layers(self) -> int:
        return self.vectors.shape[1]

    def cosine_between(self) -> np.ndarray:
        """(L+1, s, s) cosine between the sentences' vectors at each layer."""
        unit = self.vectors / np.linalg.norm(self.vectors, axis=2, keepdims=True)
        return np.einsum("sld,tld->lst", unit, unit)

    def cosine_to_static(self) -> np.ndarray:
        """(s, L+1) cosine of each sentence's vector at each layer with the static row."""
        unit = self.vectors / np.linalg.norm(self.vectors, axis=2, keepdims=True)
        return unit @ (self.static / np.linalg.norm(self.static))

    def to_dict(self) -> dict:
        between = self.cosine_between()
        pairs = [{"a": i, "b": j, "cosine": between[:, i, j].round(6).tolist()}
                 for i in range(len(self.occurrences)) for j in range(i + 1, len(self.occurrences))]
        return {"word": self.word, "pieces": list(self.pieces), "layers": list(range(self.layers)),
                "sentences": [{**asdict(o), "cosine_to_static": c.round(6).tolist()}
                              for o, c in zip(self.occurrences, self.cosine_to_static())],
                "cosine_between": pairs}


def _occurrence(tokenizer, sentence: str, word: str, number: int) -> WordInSentence:
    """Tokenise `sentence` (cut at MAX_TOKENS) and find the first whole-word `word` in it."""
    if not isinstance(sentence, str) or not sentence.strip():
        raise ValueError(f"sentence {number} is empty; write a sentence that uses {word!r}")
    found = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", sentence, flags=re.IGNORECASE)
    if found is None:
        raise ValueError(f"{word!r} does not occur in sentence {number} ({sentence[:60]!r}); "
                         "each sentence must use the word")
    full = tokenizer(sentence, add_special_tokens=True)["input_ids"]
    encoded = tokenizer(sentence, truncation=True, max_length=MAX_TOKENS,
                        return_offsets_mapping=True, return_tensors="pt")
    offsets = encoded.pop("offset_mapping")[0].tolist()
    positions = tuple(i for i, (a, b) in enumerate(offsets)
                      if b > a and a >= found.start() and b <= found.end())
    truncated = len(full) > MAX_TOKENS
    if not positions:
        raise ValueError(f"{word!r} in sentence {number} falls after token {MAX_TOKENS}, where "
                         f"MiniLM cuts the sentence ({len(full):,} tokens); move it earlier")
    ids = encoded["input_ids"][0]
    pieces = tuple(tokenizer.convert_ids_to_tokens([int(ids[i]) for i in positions]))
    return WordInSentence(sentence, pieces, positions, truncated)


def check_size(sentences: list[str], tokenizer) -> int:
    """The number of tokens MiniLM will read in `sentences` (at most MAX_TOKENS each);
    ValueError, saying the count, past MAX_SENTENCES sentences or MAX_TOTAL_TOKENS tokens."""
    if len(sentences) > MAX_SENTENCES:
        raise ValueError(f"{len(sentences):,} sentences; at most {MAX_SENTENCES} at once (about "
                         "10 seconds of work here): remove some")
    tokens = sum(min(len(ids), MAX_TOKENS) for ids in tokenizer(sentences)["input_ids"])
    if tokens > MAX_TOTAL_TOKENS:
        raise ValueError(f"the {len(sentences):,} sentences hold {tokens:,} tokens; at most "
                         f"{MAX_TOTAL_TOKENS:,} at once (about 10 seconds of work here): shorten or "
                         "remove some")
    return tokens


def static_vs_contextual(word: str, sentences: list[str], tokenizer=None,
                         model=None, progress: Progress = None) -> StaticVsContextual:
    """The word's static row and its contextual vector in each sentence at every layer.
    At most MAX_SENTENCES sentences and MAX_TOTAL_TOKENS tokens (check_size);
    progress(done, total) after each forward pass of BATCH_SIZE sentences."""
    import torch

    if not isinstance(word, str) or not word.strip() or len(word.split()) != 1:
        raise ValueError(f"give one word (no spaces), got {word!r}")
    word = word.strip()
    sentences = list(sentences)
    if not sentences:
        raise ValueError(f"give at least one sentence that uses {word!r}")
    if tokenizer is None or model is None:
        tokenizer, model = load_minilm()
    check_size(sentences, tokenizer)
    occurrences = [_occurrence(tokenizer, sentence, word, number)
                   for number, sentence in enumerate(sentences, 1)]
    vectors = []
    for start in range(0, len(sentences), BATCH_SIZE):          # one padded forward per batch
        batch = tokenizer(sentences[start:start + BATCH_SIZE], truncation=True, max_length=MAX_TOKENS,
                          padding=True, return_tensors="pt")
        with torch.no_grad():
            states = torch.stack(model(**batch, output_hidden_states=True).hidden_states, dim=1)  # (b, L+1, t, d)
        for row, occurrence in zip(states, occurrences[start:start + BATCH_SIZE]):
            vectors.append(row[:, list(occurrence.positions)].mean(dim=1).numpy())   # (L+1, d)
        if progress:
            progress(len(vectors), len(sentences))
    alone = tokenizer(word, add_special_tokens=False)["input_ids"]
    table = model.embeddings.word_embeddings.weight.detach()                     # (V, d)
    static = table[alone].mean(dim=0).numpy()
    return StaticVsContextual(word, tuple(tokenizer.convert_ids_to_tokens(alone)),
                              tuple(occurrences), static, np.stack(vectors))


MAP_SENTENCES = 40               # the Lee corpus sentences the sense map takes, the first that use the word


def corpus_sentences_with(word: str, limit: int = 60) -> list[str]:
    """Up to `limit` sentences of lee_background.cor that use `word` as a whole word."""
    pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", flags=re.IGNORECASE)
    return [s for s in all_lee_sentences() if pattern.search(s)][:limit]


def all_lee_sentences() -> list[str]:
    """Every sentence of at least 4 words in lee_background.cor (about 2,800)."""
    return list(_lee_sentences())


@functools.cache
def _lee_sentences() -> tuple[str, ...]:
    with open(gensim_datapath(CORPUS), encoding="utf-8") as corpus:
        return tuple(s for document in corpus for s in re.split(r"(?<=[.!?])\s+", document.strip())
                     if len(s.split()) >= 4)


@dataclass(frozen=True)
class SenseMap:
    """The word's vectors at one layer, one per sentence, projected to 2-D by PCA.
    points (s, 2); labels (s,) the typed sense of each sentence, or its k-means cluster
    (computed in the full 384-D space, not on the map)."""

    layer: int
    points: np.ndarray
    labels: tuple[str, ...]
    sentences: tuple[str, ...]
    explained: float          # share of the variance the two axes keep


def sense_map(result: StaticVsContextual, layer: int, labels: list[str] | None = None,
              clusters: int = 2) -> SenseMap:
    """Map the sentences' vectors at `layer`, coloured by `labels` (one per sentence) or,
    without them, by k-means into `clusters` groups."""
    from engine.project import kmeans_labels

    layer = check_int("layer", layer, 0, result.layers - 1)
    vectors = result.vectors[:, layer].astype(np.float64)                     # (s, d)
    if len(vectors) < 3:
        raise ValueError(f"a map needs at least 3 sentences; got {len(vectors)}")
    if labels is None:
        labels = [f"cluster {c + 1}" for c in kmeans_labels(vectors, clusters)]
    elif len(labels) != len(vectors):
        raise ValueError(f"{len(labels)} sense labels for {len(vectors)} sentences; give one per sentence")
    centred = vectors - vectors.mean(axis=0)
    _, singular, axes = np.linalg.svd(centred, full_matrices=False)
    axes *= np.where(axes[np.arange(len(axes)), np.abs(axes).argmax(axis=1)] < 0, -1, 1)[:, None]
    explained = float((singular[:2] ** 2).sum() / max((singular ** 2).sum(), 1e-12))
    return SenseMap(layer, centred @ axes[:2].T, tuple(labels),
                    tuple(o.sentence for o in result.occurrences), explained)


def labelled_sentences(text: str) -> tuple[list[str], list[str] | None]:
    """Lines 'sense | sentence' (labels typed by the user) or plain sentences, one a line."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if lines and all("|" in line for line in lines):
        pairs = [line.split("|", 1) for line in lines]
        return [s.strip() for _, s in pairs], [label.strip() for label, _ in pairs]
    return lines, None
