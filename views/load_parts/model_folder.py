"""The Load page's model folder: its files (or a zip of them) -> the token table named by its
tokens, the output embedding when untied, and what the folder told about both."""
import streamlit as st

from engine.readers import UPLOAD_LIMITS
from engine.readers.folder_files import folder_files
from engine.readers.model_folder import SeveralTables, read_model_folder
from engine.sources import SOURCES
from ui.model_folders import add_model
from ui.text import md_text, show_error

CANDIDATES = "model_tensor_candidates"    # session_state: tensors that could be the table
WHICH = "Which tensor is the token table?"


def show() -> None:
    st.header("Open a model folder")
    st.caption("A transformer's folder: config.json, model.safetensors (or its shards with "
               "model.safetensors.index.json) or pytorch_model.bin, and tokenizer.json. Select its files "
               "together, or upload a zip of the folder. The token table is found by the config and the "
               "tensor names; its rows are named by their token strings (“Ġ” and “▁” shown as spaces), "
               "special tokens marked; an untied output embedding becomes a source too.")
    files = st.file_uploader("The folder's files, or a zip of them", accept_multiple_files=True,
                             key="model_files", help="Each file at most "
                             f"{st.get_option('server.maxUploadSize')} MB; only the shard that holds the "
                             "token table is read.")
    if not files:
        return
    try:
        found = folder_files(list(files), UPLOAD_LIMITS)
        choices = st.session_state.get(CANDIDATES)
        tensor = st.selectbox(WHICH, choices, key="model_tensor") if choices else None
        name = st.text_input("Name it", found.name, key="model_folder_name")
        if not st.button("Open the model folder", type="primary"):
            return
        if name in SOURCES:
            raise ValueError(f"{name!r} is a built-in source's name; choose another")
        model = read_model_folder(list(files), tensor=tensor, name=name, limits=UPLOAD_LIMITS)
        st.session_state.pop(CANDIDATES, None)
        add_model(model)
    except SeveralTables as error:
        st.session_state[CANDIDATES] = list(error.candidates)
        show_error(error)
        st.selectbox(WHICH, error.candidates, key="model_tensor")
        st.caption("Choose it, then open the folder again.")
        return
    except (KeyError, ValueError) as error:
        show_error(error)
        return
    tokenizer = model.vocabulary
    st.success(f"Opened {md_text(model.input.name)}: {len(model.input):,} tokens × {model.input.dim} from "
               f"{md_text(model.input_tensor)}. It is now your source on every page.")
    st.info(md_text(f"Output embedding: {model.tying_reason}."
                    + (f" It is a source too: {model.output.name}." if model.output is not None else "")))
    st.info(md_text("Tokenizer: none in the folder." if tokenizer is None else
                    f"Tokenizer: {tokenizer.kind}, {tokenizer.size:,} token ids, {len(tokenizer.special)} "
                    f"special and {len(tokenizer.added)} added tokens."))
    for note in model.notes:
        st.info(md_text(note))
