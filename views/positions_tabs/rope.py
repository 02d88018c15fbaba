"""Positions' RoPE tab: rotary positions on real MiniLM token vectors."""
import streamlit as st

from engine import positions as pos
from engine.plots import positions as plots
from ui.code import show_code
from ui.notice import notice
from ui.presentation import chart
from ui.sources import builtin_table
from ui.text import md_text
from ui.url_state import in_url
from ui.words import word_box


def show(base, context, head_dim):
    st.caption(f"Su et al.: rotate each pair of q and k by m·θᵢ (θᵢ = base^(−2i/d)). Here q and k are "
               f"the first {head_dim} numbers of two MiniLM token vectors (384-d), as one head would "
               "split them. Their score then depends on the offset m − n only.")
    left, middle, right = st.columns(3)
    tokens = builtin_table("minilm-tokens")
    query = word_box(tokens, "Query token", key="rope_query", default="king", where=left)
    key = word_box(tokens, "Key token", key="rope_key", default="queen", where=middle)
    pair = in_url(right.slider, "Pair for the 2-D view", 0, head_dim // 2 - 1, key="rope_pair",
                  default=head_dim // 8, depends_on=head_dim)
    inv_freq = pos.inverse_frequencies(head_dim, base)
    a, b = st.columns(2)
    chart(b, plots.decay_line(pos.rope_decay_bound(inv_freq, context)), width="stretch")
    if query is None or key is None:
        a.info("The score curves and the 2-D view need a query and a key token of MiniLM's vocabulary.")
        return
    q, k = pos.minilm_token_vector(query, head_dim), pos.minilm_token_vector(key, head_dim)
    scores = pos.relative_scores(q, k, inv_freq, 64, (64, 1_000, 5_000))
    gaps = pos.layout_gaps(q, range(context), inv_freq)
    left.metric("Largest gap between the three curves", f"{scores.spread:.1e}")
    middle.metric("Interleaved vs rotate-half, as is", f"{gaps['as_is']:.2f}")
    right.metric("… after the permutation [0,2,4,…,1,3,5,…]", f"{gaps['permuted']:.1e}")
    starts = ", ".join(f"{n:,}" for n in scores.key_positions)
    notice(f"With the key at positions {starts} and the query at the same offsets from it, “{md_text(query)}” · "
           f"“{md_text(key)}” scores {'the same' if scores.spread < 1e-4 else 'differently'} to within "
           f"{scores.spread:.1e}; the two layouts differ by {gaps['as_is']:.2f} as they are and by "
           f"{gaps['permuted']:.1e} after the permutation.")
    chart(a, plots.relative_score_lines(scores), width="stretch")
    chart(a, plots.rotation_plane(pos.pair_path(q, pair, range(65), inv_freq), pos.pair_path(
        k, pair, [0], inv_freq)[0], range(65), 0, pair, float(inv_freq[pair])), width="stretch")
    b.caption("Interleaved (the paper, Meta's LLaMA code) pairs dimensions (0,1), (2,3), …; "
              "rotate-half (Hugging Face) pairs (i, i + d/2). Reordering a head's q and k rows by "
              "[0,2,4,…,1,3,5,…] makes one equal the other (the metrics above, over the whole "
              "context). In the 2-D view, the query moves θ per position; the key stays at n = 0.")
    show_code("positions.rope", {"rope_query": query, "rope_key": key, "rope_context": context})
