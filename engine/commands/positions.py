"""CLI: positions rope | sinusoidal | alibi — the Positions page's numbers in a shell."""
from __future__ import annotations

from engine.rope_scaling import SCALINGS


def _rope(args) -> dict:
    from engine.positions import rope_frequencies

    frequencies = rope_frequencies(args.head_dim, args.base, args.scaling, args.factor,
                                   args.original_max_positions, args.seq_len)
    return {"head_dim": args.head_dim, "base": args.base, **frequencies.to_dict()}


def _rope_text(result: dict) -> str:
    lines = [f"RoPE, head dim {result['head_dim']}, base {result['base']:g}, scaling {result['scaling']} "
             f"(factor {result['factor']:g}, original context {result['original_max_positions']:,}, "
             f"attention factor {result['attention_factor']:.4f})",
             f"{'pair':>4}  {'inv_freq':>12}  {'wavelength':>14}  {'unscaled':>14}"]
    lines += [f"{i:>4}  {f:>12.6g}  {w:>14.6g}  {u:>14.6g}" for i, (f, w, u) in enumerate(
        zip(result["inv_freq"], result["wavelengths"], result["unscaled_wavelengths"]))]
    return "\n".join(lines)


def _sinusoidal(args) -> dict:
    from engine.positions import sinusoidal_table

    return {"positions": args.positions, "dim": args.dim, "base": args.base,
            "matrix": sinusoidal_table(args.positions, args.dim, args.base).tolist()}


def _alibi(args) -> dict:
    from engine.positions import alibi_slopes

    return {"heads": args.heads, "slopes": alibi_slopes(args.heads).tolist()}


def register(subparsers, common) -> None:
    positions = subparsers.add_parser("positions", help="positional encodings: RoPE, sinusoidal, ALiBi")
    kinds = positions.add_subparsers(dest="kind", required=True)

    rope = kinds.add_parser("rope", parents=[common], help="RoPE inverse frequencies and wavelengths")
    rope.add_argument("--head-dim", type=int, required=True, help="even, e.g. 64 or 128")
    rope.add_argument("--base", type=float, default=10_000.0, help="10000 (original), 500000 (LLaMA 3)")
    rope.add_argument("--scaling", choices=SCALINGS, default="none")
    rope.add_argument("--factor", type=float, default=1.0, help="context extension factor s ≥ 1")
    rope.add_argument("--original-max-positions", type=int, default=8_192,
                      help="the context length the model was trained on (default 8192)")
    rope.add_argument("--seq-len", type=int, default=None,
                      help="dynamic only: the current length (default factor × original)")
    rope.set_defaults(run=_rope, text=_rope_text)

    sinusoidal = kinds.add_parser("sinusoidal", parents=[common], help="the Vaswani et al. table")
    sinusoidal.add_argument("--positions", type=int, required=True)
    sinusoidal.add_argument("--dim", type=int, required=True, help="even")
    sinusoidal.add_argument("--base", type=float, default=10_000.0)
    sinusoidal.set_defaults(run=_sinusoidal, text=lambda r: "\n".join(
        " ".join(f"{v:+.4f}" for v in row) for row in r["matrix"]))

    alibi = kinds.add_parser("alibi", parents=[common], help="ALiBi head slopes")
    alibi.add_argument("--heads", type=int, required=True)
    alibi.set_defaults(run=_alibi, text=lambda r: "\n".join(
        f"head {i:>3}: {s:.6g}" for i, s in enumerate(r["slopes"])))
