"""What "The embedding layer" pages share: MiniLM loaded once for every session, and the
derived results worth caching. torch is imported only when one of these pages runs, or
by the warm-up the server starts after its first page."""
from __future__ import annotations

import gc
import os
import threading

import streamlit as st

from engine.contextual import load_minilm
from ui.visitor import stop_if_left


def read_minilm_then_freeze() -> None:
    """Read MiniLM, then move every object the server holds so far (its imports, GloVe's
    keys, the model) out of the garbage collector's sight: the server's objects grow from
    about 115,000 to 460,000 with torch and transformers, and a full collection then walks
    them all (0.28 s, stalling every visitor) to free none of them. Then read (or, on a
    machine that never has, compute and keep on disk) the anisotropy baseline that Static
    vs contextual opens with."""
    from engine.contextuality import lee_baseline

    load_minilm()
    gc.freeze()
    lee_baseline()


@st.cache_resource(show_spinner=False)
def warm_up_minilm_once() -> bool:
    """Start reading MiniLM in the background, once per server (after the first page has
    been drawn, so that page does not share the cores with it): the first visitor of a
    contextual page then does not wait for transformers' import (most of a cold load's 8 s).
    EMBEDDING_LAB_WARM_UP=0 turns it off: a server whose visitors never open a MiniLM page
    saves about 300 MB."""
    if os.environ.get("EMBEDDING_LAB_WARM_UP", "1") == "0":
        return False
    threading.Thread(target=read_minilm_then_freeze, name="minilm-warm-up", daemon=True).start()
    return True


@st.cache_resource(show_spinner="Loading MiniLM (tokenizer and weights)…")
def minilm():
    """(tokenizer, model) of all-MiniLM-L6-v2 in eval mode, shared by all sessions."""
    return load_minilm()


@st.cache_data(show_spinner=False, max_entries=64)
def lookup_results(sentence: str, second: str):
    """(OneHotCheck, InputRepresentation) of a sentence (and optional second one)."""
    from engine.layer.lookup import compare_one_hot, input_representation, tokenize

    tokenizer, model = minilm()
    tokens = tokenize(tokenizer, sentence, second or None, model.config.max_position_embeddings)
    return compare_one_hot(model.embeddings.word_embeddings, tokens), input_representation(model, tokens)


@st.cache_data(show_spinner="Backward pass on the real table…", max_entries=32)
def gradient_results(sentence: str, seed: int):
    """(Tokens, RowGradients) of one sentence on MiniLM's table, seeded upstream gradients."""
    from engine.layer.gradients import row_gradients, upstream_gradients
    from engine.layer.lookup import tokenize

    tokenizer, model = minilm()
    tokens = tokenize(tokenizer, sentence)
    weight = model.embeddings.word_embeddings.weight
    return tokens, row_gradients(weight, tokens.ids, upstream_gradients(len(tokens.ids), weight.shape[1], seed))


@st.cache_data(show_spinner="Training with padding…", max_entries=16)
def padding_results(sentences: tuple[str, ...]):
    """(ids, PaddingCheck on MiniLM's table, PaddingCheck on a fresh layer) for a padded batch."""
    import torch

    from engine.layer.gradients import padding_check

    tokenizer, model = minilm()
    ids = tokenizer(list(sentences), padding=True)["input_ids"]
    flat = [i for row in ids for i in row]
    weight = model.embeddings.word_embeddings.weight
    fresh = torch.nn.Embedding(*weight.shape, padding_idx=tokenizer.pad_token_id).weight
    return ids, padding_check(weight, flat, tokenizer.pad_token_id), padding_check(fresh, flat, tokenizer.pad_token_id)


@st.cache_data(show_spinner="Running five optimisers on the real table…", max_entries=16)
def optimiser_results(steps: int, lr: float):
    """One OptimiserRun per optimiser, one step per sentence of the Lee corpus."""
    from engine.layer.corpus import lee_background_sentences
    from engine.layer.optimisers import OPTIMISERS, run_optimiser

    tokenizer, model = minilm()
    batches = [tokenizer(s)["input_ids"] for s in lee_background_sentences()[:steps]]
    runs = []
    for name in OPTIMISERS:                   # seconds each on a busy server: stop between them
        stop_if_left()
        runs.append(run_optimiser(model.embeddings.word_embeddings.weight, batches, name, lr))
    return runs


@st.cache_data(show_spinner="Tokenising the Lee corpus…", max_entries=8)
def corpus_updates(batch_size: int):
    """UpdateCounts of one epoch over the Lee background corpus, sentences in batches."""
    from engine.layer.corpus import lee_background_sentences
    from engine.layer.optimisers import corpus_token_ids, update_counts

    tokenizer, model = minilm()
    ids = corpus_token_ids(tokenizer, lee_background_sentences())
    return update_counts(ids, model.config.vocab_size, batch_size)


@st.cache_data(show_spinner="Initialising four tables and sampling rows…", max_entries=4)
def init_statistics(sample: int):
    """TableStats of the four schemes (30,522 × 384, seeded), MiniLM's table and GloVe's."""
    from engine.layer.init_scale import SCHEMES, init_table, table_stats
    from engine.sources import load_builtin

    vocab, dim = minilm()[1].embeddings.word_embeddings.weight.shape
    stats = []
    for scheme, label in SCHEMES.items():     # a table at a time, stopped between them
        stop_if_left()
        stats.append(table_stats(label, init_table(scheme, vocab, dim), sample))
    stop_if_left()
    return stats + [table_stats("MiniLM, trained", load_builtin("minilm-tokens").vectors, sample),
                    table_stats("GloVe 6B, trained", load_builtin("glove-6b-50d").vectors, sample)]


@st.cache_data(show_spinner=False, max_entries=16)
def scale_results(dim: int):
    """(ScaleComparison at d, MiniLM's token and position row norms, their position share)."""
    import torch

    from engine.layer.init_scale import position_share, scale_comparison

    embeddings = minilm()[1].embeddings
    tokens = embeddings.word_embeddings.weight.detach()[torch.randperm(30_522, generator=torch.Generator()
                                                                        .manual_seed(0))[:512]]
    positions = embeddings.position_embeddings.weight.detach()
    return (scale_comparison(dim), tokens.norm(dim=1).numpy(), positions.norm(dim=1).numpy(),
            position_share(tokens, positions))


@st.cache_data(show_spinner="Training the classifier three ways…", max_entries=16)
def classifier_runs(seed: int, epochs: int):
    """(PolarityData, [ClassifierRun per mode]) on GloVe rows, seeded."""
    from engine.layer.frozen import MODES, polarity_data, train_classifier
    from ui.sources import builtin_table

    data = polarity_data(builtin_table("glove-6b-50d"), seed=seed)
    return data, [train_classifier(data, mode, epochs=epochs, seed=seed) for mode in MODES]
