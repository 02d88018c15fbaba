"""Positions page: time to build every figure at its defaults (engine + Plotly builder +
JSON, which is what Streamlit sends), the 4,096 × 512 sinusoidal table, and the engine
against its references (NumPy's closed formula, transformers' RoPE initialisation).

    .venv/bin/python bench/bench_positions.py
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from bench.timing import best_of  # noqa: E402
from engine import positions as pos  # noqa: E402
from engine.plots import positions as plots  # noqa: E402
from engine.sources import load_builtin  # noqa: E402


def figure_seconds(build) -> tuple[float, int]:
    seconds, json_text = best_of(lambda: build().to_json())
    return seconds, len(json_text)


def main() -> None:
    base, context, head_dim = 10_000.0, 4_096, 64
    learned = np.asarray(load_builtin("minilm-positions").vectors)
    q, k = pos.minilm_token_vector("king", head_dim), pos.minilm_token_vector("queen", head_dim)
    inv_freq = pos.inverse_frequencies(head_dim, base)
    pos.order_blindness("the dog bit the man", "the man bit the dog", 5)     # load the weights once
    figures = {
        "order: 2×3 score heatmaps": lambda: plots.order_heatmaps(
            pos.order_blindness("the dog bit the man", "the man bit the dog", 5)),
        "sinusoidal heatmap 512×128": lambda: plots.heatmap(pos.sinusoidal_table(512, 128), "", "d", "p"),
        "sinusoidal heatmap 4096×512 (strided)": lambda: plots.heatmap(
            pos.sinusoidal_table(4_096, 512), "", "d", "p"),
        "sinusoidal dot products 4096×512": lambda: plots.anchored_dots(
            pos.dot_with_all(pos.sinusoidal_table(4_096, 512), [1_024, 2_048]), [1_024, 2_048]),
        "learned table heatmap 512×384": lambda: plots.heatmap(learned, "", "d", "p"),
        "cosines learned | sinusoidal 512×512 ×2": lambda: plots.heatmaps_side_by_side(
            {"a": pos.position_cosines(learned), "b": pos.position_cosines(pos.sinusoidal_table(512, 384))},
            "p", ""),
        "RoPE relative scores (3 × 129)": lambda: plots.relative_score_lines(
            pos.relative_scores(q, k, inv_freq, 64, (64, 1_000, 5_000))),
        "RoPE decay bound to 4,096": lambda: plots.decay_line(pos.rope_decay_bound(inv_freq, context)),
        "RoPE 2-D pair view": lambda: plots.rotation_plane(
            pos.pair_path(q, 8, range(65), inv_freq), pos.pair_path(k, 8, [0], inv_freq)[0], range(65), 0, 8, 0.1),
        "RoPE layout check over 4,096 positions": lambda: plots.lines(
            {"gap": ([0], [pos.layout_gaps(q, range(context), inv_freq)["permuted"]])}, "", "", ""),
        "long context: YaRN wavelengths": lambda: plots.scaling_wavelengths(
            pos.rope_frequencies(head_dim, base, "yarn", 8.0, context), "YaRN"),
        "ALiBi slope bars (12 heads)": lambda: plots.slope_bars(pos.alibi_slopes(12)),
        "ALiBi bias heatmap (24 × 24)": lambda: plots.alibi_heatmap(
            pos.alibi_bias(pos.alibi_slopes(12), 24)[0], 0, 0.5),
    }
    print(f"{'figure (engine + builder + JSON)':<42} {'seconds':>8} {'JSON kB':>8}")
    total = 0.0
    for name, build in figures.items():
        seconds, size = figure_seconds(build)
        total += seconds
        print(f"{name:<42} {seconds:>8.3f} {size / 1024:>8.0f}")
    print(f"{'all figures of the page':<42} {total:>8.3f}")

    def numpy_formula():
        positions, j = np.arange(4_096)[:, None], np.arange(512)[None, :]
        angle = positions / np.power(10_000.0, 2 * (j // 2) / 512)
        return np.where(j % 2 == 0, np.sin(angle), np.cos(angle))

    ours, _ = best_of(lambda: pos.sinusoidal_table(4_096, 512))
    reference, _ = best_of(numpy_formula)
    print(f"\nsinusoidal 4096×512: engine {ours * 1e3:.1f} ms, NumPy formula {reference * 1e3:.1f} ms, "
          f"ratio {reference / ours:.1f}× (engine faster if > 1)")

    from transformers import LlamaConfig
    from transformers.modeling_rope_utils import ROPE_INIT_FUNCTIONS

    config = LlamaConfig(hidden_size=512, num_attention_heads=4, head_dim=128, max_position_embeddings=131_072,
                         rope_parameters={"rope_type": "yarn", "rope_theta": 500_000.0, "factor": 8.0,
                                          "original_max_position_embeddings": 8_192})
    ours, _ = best_of(lambda: pos.rope_frequencies(128, 500_000.0, "yarn", 8.0, 8_192), 20)
    reference, _ = best_of(lambda: ROPE_INIT_FUNCTIONS["yarn"](config), 20)
    print(f"YaRN inverse frequencies d=128: engine {ours * 1e6:.0f} µs, transformers {reference * 1e6:.0f} µs, "
          f"ratio {reference / ours:.1f}×")


if __name__ == "__main__":
    main()
