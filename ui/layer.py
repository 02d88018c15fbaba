"""What "The embedding layer" pages share: MiniLM loaded once for every session, and the
derived results worth caching. torch is imported only when one of these pages runs."""
from __future__ import annotations

import streamlit as st

from engine.contextual import load_minilm


@st.cache_resource(show_spinner="Loading MiniLM (tokenizer and weights)…")
def minilm():
    """(tokenizer, model) of all-MiniLM-L6-v2 in eval mode, shared by all sessions."""
    return load_minilm()


def seed_from_url(key: str, param: str, default: str) -> None:
    """Give the widget `key` its first value from the URL (?param=…), else `default`, once."""
    if key not in st.session_state:
        st.session_state[key] = st.query_params.get(param, default)


@st.cache_data(show_spinner=False, max_entries=64)
def lookup_results(sentence: str, second: str):
    """(OneHotCheck, InputRepresentation) of a sentence (and optional second one)."""
    from engine.layer.lookup import compare_one_hot, input_representation, tokenize

    tokenizer, model = minilm()
    tokens = tokenize(tokenizer, sentence, second or None, model.config.max_position_embeddings)
    return compare_one_hot(model.embeddings.word_embeddings, tokens), input_representation(model, tokens)
