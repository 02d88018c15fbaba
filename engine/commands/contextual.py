"""CLI: contextual — a word's static row against its vector in each sentence, layer by layer,
with the anisotropy baseline (Ethayarajh 2019) and, for 'sense | sentence' arguments,
whether sentences of one sense stay closer than sentences of two."""
from __future__ import annotations


def _contextual(args) -> dict:
    from engine.contextual import labelled_sentences, static_vs_contextual
    from engine.contextuality import describe_separation, lee_baseline, sense_separation

    sentences, labels = labelled_sentences("\n".join(args.sentences))
    result = static_vs_contextual(args.word, sentences)
    baseline = lee_baseline()
    between = result.cosine_between()
    output = result.to_dict()
    output["baseline"] = baseline.mean_cosine.round(6).tolist()
    for pair in output["cosine_between"]:
        pair["adjusted"] = (between[:, pair["a"], pair["b"]] - baseline.mean_cosine).round(6).tolist()
    separation = sense_separation(between, labels) if labels else None
    if separation is not None:
        output["senses"] = {"labels": labels, "holds": separation.holds.tolist(),
                            "sentence": describe_separation(separation)}
    return output


def _text(result: dict) -> str:
    lines = [f"{result['word']}: pieces {' '.join(result['pieces'])}"
             + (" (its vector is the mean of its pieces)" if len(result["pieces"]) > 1 else "")]
    lines.append("layer          " + "  ".join(f"{layer:>6}" for layer in result["layers"]))
    lines.append("baseline       " + "  ".join(f"{c:6.3f}" for c in result["baseline"]))
    for number, sentence in enumerate(result["sentences"], 1):
        cut = " (cut at 512 tokens)" if sentence["truncated"] else ""
        lines.append(f"S{number} vs static " + "  ".join(f"{c:6.3f}" for c in sentence["cosine_to_static"])
                     + cut)
    for pair in result["cosine_between"]:
        lines.append(f"S{pair['a'] + 1} vs S{pair['b'] + 1}       "
                     + "  ".join(f"{c:6.3f}" for c in pair["cosine"]))
        lines.append("  − baseline   " + "  ".join(f"{c:6.3f}" for c in pair["adjusted"]))
    if "senses" in result:
        lines.append(result["senses"]["sentence"])
    return "\n".join(lines)


def register(subparsers, common) -> None:
    contextual = subparsers.add_parser("contextual", parents=[common],
                                       help="MiniLM: a word's contextual vectors against its static row")
    contextual.add_argument("word")
    contextual.add_argument("sentences", nargs="+",
                            help="sentences that use the word, each optionally 'sense | sentence'")
    contextual.set_defaults(run=_contextual, text=_text)
