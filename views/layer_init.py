"""Initialisation and scale: fresh tables against trained ones, and scaling by √d."""
import pandas as pd
import streamlit as st

from engine.layer.init_scale import COSINE_BINS, describe_tables
from engine.plots import layer as plots
from ui.code import show_code
from ui.downloads import download_figure, download_table
from ui.layer import init_statistics, scale_results
from ui.notice import notice
from ui.presentation import chart, for_people

st.title("Initialisation and scale")
st.caption("Before training, every row is random numbers. The scheme sets their size; training "
           "sets their directions.")
init_tab, scale_tab = st.tabs(["Init schemes", "Scaling by √d"], key="init_tab", bind="query-params")

with init_tab:
    left, right = st.columns([3, 1])
    sample = right.select_slider("Rows sampled per table", [500, 1_000, 2_000], 1_000, key="init_sample")
    stats = init_statistics(sample)
    figure = plots.init_comparison(stats, COSINE_BINS)
    chart(left, figure, width="stretch")
    notice(describe_tables(stats, fresh=len(stats) - 2), right)
    right.markdown("Four fresh 30,522 × 384 `torch.nn.Embedding` tables (seeded) beside MiniLM's trained "
                   "table and GloVe's. The schemes differ only in scale; their rows all point in unrelated "
                   "directions, cosines within ±3/√d of 0. Trained rows lean together: a mean cosine above "
                   "0, and a wider spread (GloVe has d = 50, so even its random-looking pairs spread wider).")
    frame = pd.DataFrame([s.to_dict() for s in stats])
    right.dataframe(for_people(frame[["name", "mean_norm", "mean_cosine"]].round(4)), hide_index=True)
    download_table(frame, "init-schemes.csv")
    download_figure(figure, "init-schemes.html")
    show_code("init.schemes")

with scale_tab:
    left, right = st.columns([3, 1])
    dim = right.select_slider("d", [64, 128, 256, 384, 512, 1024], 512, key="scale_dim")
    scale, minilm_tokens, minilm_positions, minilm_share = scale_results(dim)
    groups = {"token rows, N(0, 1/d)": scale.token_norms, "token rows × √d": scale.scaled_norms,
              "sinusoidal positions": scale.position_norms, "MiniLM token rows (d = 384)": minilm_tokens,
              "MiniLM learned positions": minilm_positions}
    chart(left, plots.scale_norms(groups, f"Row norms at d = {dim}: positions are √(d/2) = "
                                                f"{scale.position_norms.mean():.1f}"), width="stretch")
    right.metric("positions' share, unscaled", f"{scale.share_unscaled:.0%}")
    right.metric("… with tokens × √d", f"{scale.share_scaled:.0%}")
    right.metric("MiniLM, learned positions", f"{minilm_share:.0%}")
    notice(scale.describe(minilm_share), right)
    right.markdown("A Transformer initialises token rows with variance 1/d (norm ≈ 1), but each "
                   "sinusoidal row has norm √(d/2). Added as they are, the position would be about all "
                   "of the sum (share = ‖p‖² / (‖x‖² + ‖p‖²)). Multiplying by √d (Vaswani et al.) brings "
                   "tokens to norm √d, and the position's share down. Learned positions (MiniLM) are trained "
                   "to whatever size works, so BERT-style models do not scale.")
    show_code("init.scale")
