"""Gradients and optimisers: the rows a backward pass and an optimiser step touch, on MiniLM's real table."""
import streamlit as st

from engine.layer.lookup import check_texts
from engine.layer.optimisers import OPTIMISERS, describe_runs, runs_frame
from engine.plots import layer as plots
from ui.code import show_code
from ui.downloads import download_figure, download_table
from ui.layer import corpus_updates, gradient_results, minilm, optimiser_results, padding_results
from ui.notice import notice
from ui.presentation import chart
from ui.text import md_text, show_error
from ui.url_state import in_url

st.title("Gradients and optimisers")
st.caption("The backward pass hands the layer one d-vector per token; autograd adds each into the row "
           "that token read. Everything here runs torch.autograd and torch.optim on MiniLM's real "
           "30,522 × 384 table.")
grad_tab, pad_tab, optim_tab, rare_tab = st.tabs(["W.grad", "padding_idx", "Optimisers", "Rare tokens"],
                                                 key="gradients_tab", bind="query-params")

if grad_tab.open:
    with grad_tab:
        left, right = st.columns([3, 1])
        sentence = in_url(right.text_input, "Batch (one sentence)", key="gradients_sentence",
                          default="The cat chased the other cat.", max_chars=20_000)
        try:
            check_texts(sentence)
            tokens, grads = gradient_results(sentence, 0)
        except ValueError as error:
            show_error(error)
        else:
            vocabulary = minilm()[0].convert_ids_to_tokens(grads.rows.tolist())
            labels = [f"{t} (id {i}, read {u}×)" for t, i, u in zip(vocabulary, grads.rows, grads.uses)]
            chart(left, plots.gradient_rows(grads.values, labels, f"The {len(grads.rows)} non-zero rows of "
                                                  f"W.grad; the other {grads.vocab - len(grads.rows):,} are 0"),
                              width="stretch")
            right.metric("rows with a gradient", f"{len(grads.rows)} of {grads.vocab:,}")
            right.metric("max |grad − sum of its tokens' vectors|", f"{grads.repeated_sum_error:g}")
            notice(md_text(grads.describe(vocabulary)), right)
            right.markdown("With `sparse=True` the gradient stores one (index, row) per token, not V rows (below).")
            chart(left, plots.byte_bars({"dense W.grad": grads.dense_bytes, "sparse W.grad":
                                                grads.sparse_bytes}, "Gradient memory"), width="stretch")
            show_code("gradients.w_grad")

if pad_tab.open:
    with pad_tab:
        batch = ("The cat sat.", "The bank raised its rates again today.")
        ids, real, fresh = padding_results(batch)
        left, right = st.columns([3, 1])
        names = minilm()[0].convert_ids_to_tokens(real.rows.tolist())
        chart(left, plots.distance_bars(names, real.distances, f"How far each row moved in {real.steps} SGD "
                          "steps (padding_idx = 0, [PAD])", highlight=0), width="stretch")
        right.markdown(f"The batch pads *{md_text(batch[0])}* to the length of *{md_text(batch[1])}* with "
                       f"{real.uses} [PAD] tokens. "
                       "With `padding_idx`, that row gets no gradient and never moves, however often it is read.")
        right.metric("‖grad of [PAD]‖", f"{real.grad_norm:g}")
        right.metric("[PAD] row before → after, MiniLM", f"{real.start_norm:.3f} → {real.end_norm:.3f}")
        right.metric("[PAD] row, fresh layer", f"{fresh.start_norm:g} → {fresh.end_norm:g}")
        notice(real.describe(), right)
        right.caption("A fresh nn.Embedding(padding_idx=0) starts that row at zero; from_pretrained keeps MiniLM's.")
        show_code("gradients.padding", {"padding_batch": list(batch)})

if optim_tab.open:
    with optim_tab:
        left, right = st.columns([3, 1])
        steps = in_url(right.slider, "Steps (one Lee-corpus sentence each)", 1, 10, key="optimisers_steps", default=5)
        lr = in_url(right.select_slider, "Learning rate", [0.001, 0.01, 0.1], key="optimisers_lr", default=0.01)
        runs = optimiser_results(steps, lr)
        figure = plots.optimiser_bars(runs, OPTIMISERS)
        chart(left, figure, width="stretch")
        notice(describe_runs(runs, minilm()[1].embeddings.word_embeddings.num_embeddings), right)
        right.markdown("SGD and SparseAdam move exactly the rows each batch read. Momentum and Adam keep a "
                       "running average per number, so a row read once keeps moving in later steps that "
                       "never read it. AdamW's weight decay shrinks all 30,522 rows at every step.")
        download_table(runs_frame(runs), "optimiser-rows.csv")
        download_figure(figure, "optimiser-rows.html")
        show_code("gradients.optimisers")

if rare_tab.open:
    with rare_tab:
        left, right = st.columns([3, 1])
        batch_size = in_url(right.select_slider, "Sentences per batch", [1, 8, 32, 128], key="rare_batch", default=8)
        words = in_url(right.text_input, "Tokens to mark", key="rare_words",
                       default="the, government, cricket, kangaroo")
        counts = corpus_updates(batch_size)
        vocabulary = minilm()[0].get_vocab()
        unknown = [w for w in (w.strip() for w in words.split(",")) if w and w not in vocabulary]
        if unknown:
            show_error(ValueError(f"not single MiniLM tokens: {', '.join(unknown)}; choose whole-word tokens"))
        marks = {w: (counts.rank(vocabulary[w]), int(counts.updates[vocabulary[w]]))
                 for w in (w.strip() for w in words.split(",")) if w in vocabulary}
        chart(left, plots.zipf_curve(counts.ranked(), {w: m for w, m in marks.items() if m[1]},
                                           counts.never_updated), width="stretch")
        never = [w for w, (_, updates) in marks.items() if not updates]
        if never:
            right.markdown(f"Never updated: {md_text(', '.join(never))}.")
        right.metric("rows never updated in one epoch", f"{counts.never_updated:.1%}")
        notice(counts.describe(), right)
        show_code("gradients.rare")
