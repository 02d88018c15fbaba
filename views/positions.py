"""Positions: sinusoidal, learned, RoPE (and its long-context scaling) and ALiBi, on real weights."""
import streamlit as st

from engine import positions as pos
from engine.plots import positions as plots
from ui.common import builtin_table, download_table, show_error

BASES = {"10000": ("10,000 (RoPE paper, LLaMA 2)", 4_096), "500000": ("500,000 (LLaMA 3)", 8_192)}
SCALINGS = {"linear": "linear (position interpolation)", "ntk": "NTK-aware", "dynamic": "dynamic NTK (at length s·L₀)",
            "yarn": "YaRN", "llama3": "LLaMA 3.1 (llama3)"}
chart = lambda figure: st.plotly_chart(figure, width="stretch")  # noqa: E731

st.title("Positions")
st.caption("Attention compares every token with every other and, by itself, cannot tell order. "
           "These are the ways models add position, computed in PyTorch on real weights.")
base_key = st.sidebar.radio("RoPE base", list(BASES), format_func=lambda k: BASES[k][0],
                            index=list(BASES).index(st.query_params.get("base", "10000")) if
                            st.query_params.get("base") in BASES else 0)
base, context = float(base_key), BASES[base_key][1]
head_dim = st.sidebar.radio("RoPE head dimension", [64, 128], horizontal=True)
st.query_params["base"] = base_key
order, sinus, learned, rope, longer, alibi = st.tabs(
    ["Order", "Sinusoidal", "Learned", "RoPE", "Long context", "ALiBi"])

with order:
    st.caption("MiniLM's first attention layer scores every token pair. Without the position rows "
               "(token + segment rows only), reordering the words only reorders the scores; with them, "
               "the scores change (the ? on the metric lists every head). B is shown in A's token order.")
    left, middle, right = st.columns([2, 2, 1])
    sentence_a = left.text_input("Sentence A", "the dog bit the man")
    sentence_b = middle.text_input("Sentence B: the same words in another order", "the man bit the dog")
    head = right.number_input("Head", 0, pos.MINILM_HEADS - 1, 5)
    try:
        blind = pos.order_blindness(sentence_a, sentence_b, head)
        left.metric("Largest score change, no positions", f"{blind.plain_change[head]:.1e}",
                    help=f"Float rounding only. Over all 12 heads: {blind.plain_change.max():.1e}")
        middle.metric("… with MiniLM's learned positions", f"{blind.positioned_change[head]:.2f}",
                      help="Per head: " + ", ".join(f"{c:.2f}" for c in blind.positioned_change))
        chart(plots.order_heatmaps(blind))
    except (KeyError, ValueError) as error:
        show_error(error)

with sinus:
    st.caption("Vaswani et al.: position p gets sin(p·θᵢ) in dimension 2i and cos(p·θᵢ) in 2i+1, "
               "θᵢ = 10000^(−2i/d). Each pair turns at its own speed, from 2π positions to ~10,000·2π.")
    left, right = st.columns(2)
    n_positions = left.slider("Positions", 16, 4_096, 512, step=16)
    dim = right.select_slider("d", [16, 32, 64, 128, 256, 384, 512], 128)
    table = pos.sinusoidal_table(n_positions, dim)
    left.plotly_chart(plots.heatmap(table, "Sinusoidal table", "dimension", "position"), width="stretch")
    right.plotly_chart(plots.wavelength_lines({"sinusoidal": pos.wavelengths(pos.inverse_frequencies(dim))},
                                              "Wavelength of each sin/cos pair"), width="stretch")
    anchors = [n_positions // 4, n_positions // 2]
    chart(plots.anchored_dots(pos.dot_with_all(table, anchors), anchors))

with learned:
    st.caption("BERT-style models learn one row per position instead. MiniLM's table has 512 rows: "
               "position 512 does not exist, so longer texts must be cut (GPT-2 stops at 1,024). "
               "A formula such as the sinusoid gives every position a vector, though a model still "
               "only knows the lengths it was trained on.")
    learned_table = builtin_table("minilm-positions").vectors
    left, right = st.columns([2, 3])
    left.plotly_chart(plots.heatmap(learned_table, "MiniLM position table (512 × 384)", "dimension",
                                    "position", height=520), width="stretch")
    right.plotly_chart(plots.heatmaps_side_by_side(
        {"learned (MiniLM)": pos.position_cosines(learned_table),
         "sinusoidal, same 512 × 384": pos.position_cosines(pos.sinusoidal_table(512, 384))},
        "position", "Cosine similarity between positions", height=520), width="stretch")

with rope:
    st.caption(f"Su et al.: rotate each pair of q and k by m·θᵢ (θᵢ = base^(−2i/d)). Here q and k are "
               f"the first {head_dim} numbers of two MiniLM token vectors (384-d), as one head would "
               "split them. Their score then depends on the offset m − n only.")
    left, middle, right = st.columns(3)
    try:
        q = pos.minilm_token_vector(left.text_input("Query token", "king").strip(), head_dim)
        k = pos.minilm_token_vector(middle.text_input("Key token", "queen").strip(), head_dim)
    except (KeyError, ValueError) as error:
        show_error(error)
    else:
        pair = right.slider("Pair for the 2-D view", 0, head_dim // 2 - 1, head_dim // 8)
        inv_freq = pos.inverse_frequencies(head_dim, base)
        scores = pos.relative_scores(q, k, inv_freq, 64, (64, 1_000, 5_000))
        gaps = pos.layout_gaps(q, range(context), inv_freq)
        left.metric("Largest gap between the three curves", f"{scores.spread:.1e}")
        middle.metric("Interleaved vs rotate-half, as is", f"{gaps['as_is']:.2f}")
        right.metric("… after the permutation [0,2,4,…,1,3,5,…]", f"{gaps['permuted']:.1e}")
        a, b = st.columns(2)
        a.plotly_chart(plots.relative_score_lines(scores), width="stretch")
        b.plotly_chart(plots.decay_line(pos.rope_decay_bound(inv_freq, context)), width="stretch")
        a.plotly_chart(plots.rotation_plane(pos.pair_path(q, pair, range(65), inv_freq), pos.pair_path(
            k, pair, [0], inv_freq)[0], range(65), 0, pair, float(inv_freq[pair])), width="stretch")
        b.caption("Interleaved (the paper, Meta's LLaMA code) pairs dimensions (0,1), (2,3), …; "
                  "rotate-half (Hugging Face) pairs (i, i + d/2). Reordering a head's q and k rows by "
                  "[0,2,4,…,1,3,5,…] makes one equal the other (the metrics above, over the whole "
                  "context). In the 2-D view, the query moves θ per position; the key stays at n = 0.")

with longer:
    st.caption("Past its training length L₀, a model meets angles it never saw on the slow pairs. "
               "Each rule stretches some wavelengths so that the longer context maps back into L₀.")
    left, middle, right = st.columns(3)
    scaling = left.selectbox("Scaling", list(SCALINGS), format_func=SCALINGS.get, index=list(SCALINGS).index(
        st.query_params.get("scaling", "yarn")) if st.query_params.get("scaling") in SCALINGS else 3)
    st.query_params["scaling"] = scaling
    factor = middle.number_input("Factor s (new context = s · L₀)", 1.0, 64.0, 8.0, step=1.0)
    original = right.number_input("Original context L₀", 128, 1_000_000, context, step=1_024)
    try:
        scaled = pos.rope_frequencies(head_dim, base, scaling, factor, original)
    except ValueError as error:
        show_error(error)
    else:
        chart(plots.scaling_wavelengths(scaled, SCALINGS[scaling]))
        download_table(scaled.to_frame(), f"rope-{scaling}-{head_dim}-{base_key}.csv")

with alibi:
    st.caption("Press et al.: no position vectors at all. Each head subtracts slope · distance from "
               "its scores; slopes 2^(−8i/n), and for n not a power of two, the slopes of the power of "
               "two below, then every other slope of the one above.")
    left, middle, right = st.columns(3)
    heads = left.number_input("Heads", 1, 64, 12)
    length = middle.slider("Sequence length", 4, 128, 24)
    alibi_head = right.number_input("Head to show", 0, heads - 1, 0)
    slopes = pos.alibi_slopes(heads)
    left, right = st.columns(2)
    left.plotly_chart(plots.slope_bars(slopes), width="stretch")
    right.plotly_chart(plots.alibi_heatmap(pos.alibi_bias(slopes, length)[alibi_head], alibi_head,
                                           float(slopes[alibi_head])), width="stretch")
