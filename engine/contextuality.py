"""How contextual are MiniLM's vectors? Ethayarajh's measures (2019, "How Contextual are
Contextualized Word Representations?"), layer by layer, and the anisotropy baseline that
makes layers comparable.

Raw cosines between contextual vectors are inflated by the direction all of a layer's
vectors share (anisotropy), by a different amount at each layer. The baseline is the mean
cosine between the vectors of random tokens from different sentences at that layer; each
measure is shown raw and minus its baseline ("adjusted"):

- self-similarity of a word: mean cosine between its vectors in different sentences;
- intra-sentence similarity: mean cosine between a sentence's token vectors and their mean;
- maximum explainable variance (MEV): the share of the variance of a word's occurrence
  vectors that their first principal component explains, σ₁² / Σσᵢ² of the (uncentred)
  occurrence matrix as in the paper: the most any one static vector could explain. Its
  baseline is the MEV of the vectors of all the baseline's tokens.

Tokens are MiniLM's WordPiece tokens ([CLS], [SEP] and padding left out).
"""
from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from engine.atomic import atomic_path
from engine.geometry import Progress

BASELINE_SENTENCES = 200          # of the Lee corpus: the baseline moves < 0.01 beyond this
_BASELINE_LOCK = threading.Lock()


@dataclass(frozen=True)
class Baseline:
    """Per layer 0 … L (arrays of shape (L+1,)), over `tokens` tokens of `sentences` sentences:
    mean_cosine between tokens of different sentences, intra_sentence similarity (raw), and
    mev of all the tokens' vectors."""

    sentences: int
    tokens: int
    mean_cosine: np.ndarray
    intra_sentence: np.ndarray
    mev: np.ndarray
    seconds: float

    def to_dict(self) -> dict:
        return {"sentences": self.sentences, "tokens": self.tokens, "seconds": self.seconds,
                "mean_cosine": self.mean_cosine.tolist(), "intra_sentence": self.intra_sentence.tolist(),
                "mev": self.mev.tolist()}


def mev_of_gram(gram: np.ndarray) -> float:
    """σ₁² / Σσᵢ² of a matrix X from its Gram matrix XᵀX (d, d): the top eigenvalue over the
    trace. One BLAS thread: on a busy machine OpenBLAS's threads made a 384 × 384 solve 25×
    slower (0.42 s against 0.02 s)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1, user_api="blas"):
        return float(np.linalg.eigvalsh(gram)[-1] / np.trace(gram))


def anisotropy_baseline(sentences: list[str], tokenizer, model, batch_size: int = 32,
                        progress: Progress = None) -> Baseline:
    """Run MiniLM over `sentences` once and measure, per layer, the baseline mean cosine,
    the intra-sentence similarity and the MEV of all tokens (streamed: per-sentence sums of
    unit vectors and a d × d Gram matrix per layer, never every vector at once)."""
    import torch

    if len(sentences) < 2:
        raise ValueError(f"the baseline needs at least 2 sentences (tokens of different sentences); "
                         f"got {len(sentences)}")
    started = time.perf_counter()
    sentences = sorted(sentences, key=len)          # similar lengths share a batch: little padding
    total = within = grams = 0.0
    intra, counts = [], []
    for start in range(0, len(sentences), batch_size):
        batch = tokenizer(sentences[start:start + batch_size], padding=True, truncation=True,
                          max_length=128, return_tensors="pt", return_special_tokens_mask=True)
        keep = (batch.pop("special_tokens_mask") == 0) & (batch["attention_mask"] == 1)   # (b, t)
        with torch.no_grad():
            states = torch.stack(model(**batch, output_hidden_states=True).hidden_states, 1)  # (b, L+1, t, d)
        states = states[keep.sum(dim=1) > 0].double()
        keep = keep[keep.sum(dim=1) > 0]
        mask = keep[:, None, :, None].double()                                         # (b, 1, t, 1)
        count = keep.sum(dim=1).double()                                               # (b,)
        unit = torch.nn.functional.normalize(states, dim=3) * mask
        sums = unit.sum(dim=2)                                                         # (b, L+1, d)
        mean = torch.nn.functional.normalize((states * mask).sum(dim=2), dim=2)        # direction of the mean
        intra.append(((unit * mean[:, :, None]).sum(dim=(2, 3)) / count[:, None]).numpy())   # (b, L+1)
        kept = states.transpose(1, 2)[keep].float()                                    # (tokens, L+1, d)
        grams = grams + torch.einsum("nla,nlb->lab", kept, kept).double().numpy()      # (L+1, d, d)
        total = total + sums.sum(dim=0).numpy()                                        # (L+1, d)
        within = within + (sums * sums).sum(dim=(0, 2)).numpy()                        # pairs inside
        counts.append(count.numpy())
        if progress:
            progress(min(start + batch_size, len(sentences)), len(sentences))
    counts = np.concatenate(counts)
    if len(counts) < 2:
        raise ValueError("the baseline needs tokens from at least 2 sentences")
    tokens = int(counts.sum())
    across = ((total * total).sum(axis=1) - within) / (tokens ** 2 - (counts ** 2).sum())
    return Baseline(len(counts), tokens, across, np.concatenate(intra).mean(axis=0),
                    np.array([mev_of_gram(g) for g in grams]), time.perf_counter() - started)


def default_cache_folder() -> Path:
    """$EMBEDDING_LAB_CACHE/contextual, else <repo>/.cache/contextual."""
    from engine.retrieval import default_cache_folder as sentences_folder

    return sentences_folder().parent / "contextual"


def lee_baseline(tokenizer=None, model=None, count: int = BASELINE_SENTENCES, folder: Path | None = None,
                 progress: Progress = None) -> Baseline:
    """The baseline on the first `count` sentences of the Lee corpus, computed once and kept
    on disk in `folder` (keyed by a digest of the sentences); later calls read it. A second
    caller while it is computed (the server's warm-up and a visitor) waits for the first."""
    from engine.contextual import lee_sentences, load_minilm

    sentences = lee_sentences(count)
    digest = hashlib.blake2b("\n".join(sentences).encode(), digest_size=12).hexdigest()
    path = Path(folder or default_cache_folder()) / f"baseline-minilm-{digest}.npz"
    with _BASELINE_LOCK:
        if path.is_file():
            kept = np.load(path, allow_pickle=False)
            return Baseline(int(kept["sentences"]), int(kept["tokens"]), kept["mean_cosine"],
                            kept["intra_sentence"], kept["mev"], float(kept["seconds"]))
        if tokenizer is None or model is None:
            tokenizer, model = load_minilm()
        baseline = anisotropy_baseline(sentences, tokenizer, model, progress=progress)
        with atomic_path(path) as partial:       # another server process may read it meanwhile
            np.savez(partial, **baseline.to_dict())
        return baseline


def self_similarity(vectors: np.ndarray) -> np.ndarray:
    """(L+1,) mean cosine between a word's vectors in different sentences; vectors (s, L+1, d), s ≥ 2."""
    count = vectors.shape[0]
    if count < 2:
        raise ValueError(f"self-similarity needs the word in at least 2 sentences; got {count}")
    vectors = vectors.astype(np.float64)
    unit = vectors / np.linalg.norm(vectors, axis=2, keepdims=True)
    sums = unit.sum(axis=0)                                                   # (L+1, d)
    return ((sums * sums).sum(axis=1) - count) / (count * (count - 1))


def max_explainable_variance(vectors: np.ndarray) -> np.ndarray:
    """(L+1,) σ₁² / Σσᵢ² of the word's occurrence matrix (s, d) at each layer; vectors (s, L+1, d)."""
    rows = vectors.astype(np.float64).transpose(1, 0, 2)                      # (L+1, s, d)
    return np.array([mev_of_gram(layer @ layer.T) for layer in rows])        # s × s Gram: same σ


@dataclass(frozen=True)
class WordContextuality:
    """Ethayarajh's measures of one word over `sentences` sentences, raw and adjusted."""

    word: str
    sentences: int
    self_similarity: np.ndarray       # (L+1,)
    mev: np.ndarray                   # (L+1,)
    baseline: Baseline

    @property
    def adjusted_self_similarity(self) -> np.ndarray:
        return self.self_similarity - self.baseline.mean_cosine

    @property
    def adjusted_intra_sentence(self) -> np.ndarray:
        return self.baseline.intra_sentence - self.baseline.mean_cosine

    @property
    def adjusted_mev(self) -> np.ndarray:
        return self.mev - self.baseline.mev

    def to_dict(self) -> dict:
        return {"word": self.word, "sentences": self.sentences,
                "self_similarity": self.self_similarity.tolist(),
                "adjusted_self_similarity": self.adjusted_self_similarity.tolist(),
                "mev": self.mev.tolist(), "adjusted_mev": self.adjusted_mev.tolist(),
                "adjusted_intra_sentence": self.adjusted_intra_sentence.tolist(),
                "baseline": self.baseline.to_dict()}


def word_contextuality(result, baseline: Baseline) -> WordContextuality:
    """The measures of a StaticVsContextual (the word in several sentences) against `baseline`."""
    vectors = result.vectors
    if vectors.shape[1] != len(baseline.mean_cosine):
        raise ValueError(f"the word has {vectors.shape[1]} layers, the baseline {len(baseline.mean_cosine)}")
    return WordContextuality(result.word, vectors.shape[0], self_similarity(vectors),
                             max_explainable_variance(vectors), baseline)


# -- do different senses drift apart? ---------------------------------------------------------
@dataclass(frozen=True)
class SenseSeparation:
    """Per layer (L+1,): the least alike pair of sentences that share a sense label
    (farthest_same) and the most alike pair of different senses (closest_cross)."""

    farthest_same: np.ndarray
    closest_cross: np.ndarray

    @property
    def holds(self) -> np.ndarray:
        """(L+1,) bool: every same-sense pair is more alike than every cross-sense pair."""
        return self.farthest_same > self.closest_cross


def sense_separation(between: np.ndarray, labels) -> SenseSeparation | None:
    """From the cosines between sentences (L+1, s, s) and a sense label per sentence; None
    unless there is at least one pair of each kind."""
    labels = list(labels)
    if len(labels) != between.shape[1]:
        raise ValueError(f"{len(labels)} sense labels for {between.shape[1]} sentences; give one per sentence")
    same = [(i, j) for i in range(len(labels)) for j in range(i + 1, len(labels)) if labels[i] == labels[j]]
    cross = [(i, j) for i in range(len(labels)) for j in range(i + 1, len(labels)) if labels[i] != labels[j]]
    if not same or not cross:
        return None
    pick = lambda pairs: between[:, [i for i, _ in pairs], [j for _, j in pairs]]  # noqa: E731  (L+1, pairs)
    return SenseSeparation(pick(same).min(axis=1), pick(cross).max(axis=1))


def layer_ranges(layers) -> str:
    """[1, 2, 3, 5] -> 'layers 1–3 and 5'; [0] -> 'layer 0'."""
    runs = []
    for layer in sorted(layers):
        if runs and layer == runs[-1][1] + 1:
            runs[-1][1] = layer
        else:
            runs.append([layer, layer])
    text = [f"{a}" if a == b else f"{a}–{b}" for a, b in runs]
    joined = text[0] if len(text) == 1 else ", ".join(text[:-1]) + " and " + text[-1]
    return ("layer " if len(layers) == 1 else "layers ") + joined


def describe_separation(separation: SenseSeparation) -> str:
    """Where on the numbers shown different senses drift apart, and where they do not."""
    holds = separation.holds
    yes = [layer for layer, ok in enumerate(holds) if ok]
    no = [layer for layer, ok in enumerate(holds) if not ok]

    def numbers(layer):
        return (f"same sense ≥ {separation.farthest_same[layer]:.3f}, "
                f"different ≤ {separation.closest_cross[layer]:.3f}")
    if not yes:
        return ("At no layer is every pair of sentences with the same sense more alike than every pair "
                f"with different senses (layer {len(holds) - 1}: {numbers(len(holds) - 1)}).")
    said = (f"Every pair of sentences with the same sense is more alike than every pair with different "
            f"senses at {layer_ranges(yes)} (layer {yes[-1]}: {numbers(yes[-1])}).")
    if no:
        said += (f" Not at {layer_ranges(no)} (layer {no[0]}: {numbers(no[0])})"
                 + (": at layer 0 the vectors differ only by position." if no[0] == 0 else "."))
    return said


def describe_contextuality(measures: WordContextuality) -> str:
    """What the adjusted self-similarity and the MEV of the word show, from their numbers."""
    adjusted, last = measures.adjusted_self_similarity, len(measures.self_similarity) - 1
    lowest = int(np.argmin(adjusted))
    if lowest == 0:
        trend = f"does not fall below layer 0's {adjusted[0]:.2f} at any layer"
    else:
        trend = (f"falls from {adjusted[0]:.2f} at layer 0 to {adjusted[lowest]:.2f} at layer {lowest}: "
                 "deeper layers make its vectors more specific to their sentence")
        if lowest < last and adjusted[last] > adjusted[lowest] + 0.02:
            trend += f", until layer {last} pulls them together again ({adjusted[last]:.2f})"
    return (f"Over {measures.sentences} sentences, the self-similarity of “{measures.word}” adjusted for "
            f"anisotropy {trend}. One static vector could explain at most {measures.mev[last]:.0%} of the "
            f"variance of its layer-{last} vectors (MEV; random tokens: {measures.baseline.mev[last]:.0%}).")


def describe_baseline(baseline: Baseline) -> str:
    """How much of a raw cosine each layer's shared direction accounts for."""
    high, low = int(np.argmax(baseline.mean_cosine)), int(np.argmin(baseline.mean_cosine))
    return (f"Two random tokens of different sentences already have cosine {baseline.mean_cosine[high]:.2f} "
            f"at layer {high} (and {baseline.mean_cosine[low]:.2f} at layer {low}): that much of any raw "
            f"cosine at that layer comes from the direction all its vectors share, not from the word "
            f"(measured over {baseline.tokens:,} tokens of {baseline.sentences} Lee corpus sentences).")
