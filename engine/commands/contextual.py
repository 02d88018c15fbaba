"""CLI: contextual — a word's static row against its vector in each sentence, layer by layer."""
from __future__ import annotations


def _contextual(args) -> dict:
    from engine.contextual import static_vs_contextual

    return static_vs_contextual(args.word, args.sentences).to_dict()


def _text(result: dict) -> str:
    lines = [f"{result['word']}: pieces {' '.join(result['pieces'])}"
             + (" (its vector is the mean of its pieces)" if len(result["pieces"]) > 1 else "")]
    lines.append("layer          " + "  ".join(f"{layer:>6}" for layer in result["layers"]))
    for number, sentence in enumerate(result["sentences"], 1):
        cut = " (cut at 512 tokens)" if sentence["truncated"] else ""
        lines.append(f"S{number} vs static " + "  ".join(f"{c:6.3f}" for c in sentence["cosine_to_static"])
                     + cut)
    for pair in result["cosine_between"]:
        lines.append(f"S{pair['a'] + 1} vs S{pair['b'] + 1}       "
                     + "  ".join(f"{c:6.3f}" for c in pair["cosine"]))
    return "\n".join(lines)


def register(subparsers, common) -> None:
    contextual = subparsers.add_parser("contextual", parents=[common],
                                       help="MiniLM: a word's contextual vectors against its static row")
    contextual.add_argument("word")
    contextual.add_argument("sentences", nargs="+", help="sentences that use the word")
    contextual.set_defaults(run=_contextual, text=_text)
