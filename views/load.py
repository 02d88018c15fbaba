"""Load your vectors: upload a table in any common format, see what is in it and what is wrong
with it; it becomes a source on every page, for this visitor only."""
from pathlib import Path

import streamlit as st

from engine import library
from engine.readers import FORMATS, KEYLESS_FORMATS, UPLOAD_LIMITS, list_tensors, load_vectors
from engine.sources import SOURCES
from engine.units import human_bytes
from ui.sources import add_user_source, pick_source, select_source
from ui.text import md_text, show_error
from views.load_parts import model_folder, report, tables

EXAMPLE = Path(__file__).resolve().parent.parent / "assets" / "example-glove-500.txt"

st.title("Load your vectors")
st.caption("word2vec text or binary, GloVe, fastText .vec or .bin, TensorFlow Projector TSV, NumPy "
           ".npy, safetensors or a PyTorch state dict (also gzipped); pickles (gensim .model) are "
           f"refused. A table may take up to {human_bytes(UPLOAD_LIMITS.max_memory)} in memory. Your "
           "table is yours alone: it appears under “Source” on every page for you, and nobody "
           "else sees it, while this tab stays open; a reload or a new tab starts without it.")
st.download_button("Download an example file (500 GloVe words, word2vec text)", EXAMPLE.read_bytes(),
                   file_name=EXAMPLE.name, mime="text/plain")

upload, options = st.columns([3, 2])
uploaded = upload.file_uploader("Vector file", help=f"At most {st.get_option('server.maxUploadSize')} MiB "
                                "per file (server.maxUploadSize in .streamlit/config.toml).")
fmt = options.selectbox("Format", ("auto",) + FORMATS, help="auto reads the first bytes and the extension.")
vocab = options.file_uploader("Vocabulary or metadata file (optional)", key="vocab",
                              help=f"One word a line, for {', '.join(KEYLESS_FORMATS)}; without it "
                                   "rows are named 0, 1, 2, …  A Projector metadata.tsv with "
                                   "several columns has a header row; the first column is used.")


@st.cache_data(max_entries=4, show_spinner="Reading the tensors…")
def tensor_shapes(file_id: str, _uploaded, fmt: str) -> dict[str, list[int]]:
    return {t.name: list(t.shape) for t in list_tensors(_uploaded, fmt, UPLOAD_LIMITS) if t.usable}


if uploaded is not None:
    try:
        shapes = tensor_shapes(uploaded.file_id, uploaded, fmt)
        tensor = options.selectbox("Tensor", list(shapes), format_func=lambda n: f"{n} {shapes[n]}",
                                   help="The 2-D tensor that is the embedding table.") if shapes else None
        name = upload.text_input("Name it", Path(uploaded.name).name.split(".")[0] or "mine")
        ordered = upload.checkbox("Its rows are in frequency order (most frequent first)", help="As "
                                  "word2vec, fastText and GloVe files are. Pages then call a row's "
                                  "number its rank (1 = most frequent) and restrict to the most "
                                  "frequent words; otherwise rows are ids, numbered from 0.")
        policy = library.UploadPolicy.from_environment()
        keep = policy.allowed and upload.checkbox(
            "Keep it in the library for everyone", help=f"Every visitor will see it under Source. "
            f"At most {policy.max_megabytes:,.0f} MiB and {policy.max_tables} kept tables (the "
            "server owner's limits).")
        if upload.button("Load", type="primary"):
            if name in SOURCES:
                raise ValueError(f"{name!r} is a built-in source's name; choose another")
            if library.has_table(name):
                raise ValueError(f"{name!r} is a library table's name; choose another")
            loaded = load_vectors(uploaded, fmt, vocab=vocab, tensor=tensor, name=name,
                                  limits=UPLOAD_LIMITS)
            loaded.table.frequency_ordered = ordered
            if keep:
                policy.check(loaded.table)
                library.save_table(loaded.table, name)
                select_source(name)
                where = "It is in the library now, a source on every page for everyone."
            else:
                add_user_source(loaded.table)
                where = "It is now your source on every page."
            st.success(f"Loaded {md_text(loaded.table.name)}: {len(loaded.table):,} rows × "
                       f"{loaded.table.dim} ({loaded.format}). {where}")
            for note in loaded.notes:
                st.info(md_text(note))
    except (KeyError, ValueError) as error:
        show_error(error)

model_folder.show()
table = pick_source()
report.show(table)
tables.show()
