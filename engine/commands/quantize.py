"""CLI: quantize — shrink a table (float16, bfloat16, int8, binary, product quantisation) and
measure what it costs: memory, neighbour recall@10, search time, benchmark scores; or
(--retrieval lee) binary search with re-scoring on MiniLM's sentence vectors of the Lee corpus."""
from __future__ import annotations

from engine.commands.progress import progress_bar
from engine.units import human_bytes

DEFAULT_PROBES = 300


def _calibration(text: str):
    if text == "table":
        return "table"
    if text.isdigit():
        return int(text)
    return [word for word in text.split(",") if word.strip()]


def _quantize(args) -> dict:
    if args.retrieval:
        return _retrieval(args)
    from engine.quantize import METHODS
    from engine.quantize_effect import quantization_effect
    from engine.sources import load_source

    table = load_source(args.source)
    methods = args.method or list(METHODS)
    with progress_bar(args, "method", "quantize", len(methods)) as bar:
        effect = quantization_effect(table, methods, probes=args.probes, k=args.k,
                                     calibration=_calibration(args.calibration), pq_parts=args.pq_parts,
                                     analogies=args.analogies, progress=bar.report)
    result = effect.to_dict()
    if len(methods) == 1:                  # one method: its numbers at the top level too
        result |= {key: value for key, value in result["points"][0].items() if key not in result}
    return result


def _retrieval(args) -> dict:
    from engine.contextual import all_lee_sentences, load_minilm
    from engine.quantize_retrieval import retrieval_effect
    from engine.retrieval import embed_collection

    if args.retrieval != "lee":
        raise ValueError(f"--retrieval {args.retrieval!r}: only 'lee' (gensim's Lee corpus) is measured")
    sentences = all_lee_sentences()
    tokenizer, model = load_minilm()
    with progress_bar(args, "sentence", "embedding", len(sentences)) as bar:
        collection = embed_collection("lee", sentences, tokenizer, model, progress=bar.report)
    return {"corpus": "lee", **retrieval_effect(collection.raw, probes=args.probes, k=args.k).to_dict()}


def _score(value) -> str:
    return "     -" if value is None else f"{value:6.3f}"


def _text(result: dict) -> str:
    if "corpus" in result:
        lines = [f"{result['corpus']}: {result['documents']:,} sentences × {result['dim']}, {result['probes']} "
                 f"queries left out of their own results, recall@{result['k']} against float32"]
        lines += [f"  {human_bytes(p['bytes']):>10}  recall {p['recall']:.3f}  DCG kept {p['dcg_kept']:.3f}  "
                  f"{p['ms_per_query']:.3f} ms/query  {p['method']}" for p in result["points"]]
        return "\n".join(lines)
    words = result["float32_scores"]
    lines = [f"{result['table']}: {result['rows']:,} × {result['dim']}, recall@{result['k']} of {result['probes']} "
             f"probe rows against float32; int8-ranges calibrated on {result['calibration']}",
             "  method                       memory     ×   recall  ms/query  wordsim  simlex  analogies",
             f"  {'float32':<24} {human_bytes(result['float32_bytes']):>10}   1.0   1.000  "
             f"{result['float32_ms']:8.3f}  "
             f"{_score(words['wordsim353_spearman'])}  {_score(words['simlex999_spearman'])}  "
             f"{_score(words['analogy_accuracy'])}"]
    lines += [f"  {p['title'][:24]:<24} {human_bytes(p['bytes']):>10} {p['ratio']:5.1f}   {p['recall_at_10']:.3f}  "
              f"{p['ms_per_query']:8.3f}  {_score(p['wordsim353_spearman'])}  {_score(p['simlex999_spearman'])}  "
              f"{_score(p['analogy_accuracy'])}" for p in result["points"]]
    return "\n".join(lines)


def register(subparsers, common) -> None:
    from engine.quantize import METHODS

    parser = subparsers.add_parser("quantize", parents=[common],
                                   help="shrink a table (fp16, bf16, int8, binary, PQ) and measure the cost")
    parser.add_argument("--method", nargs="+", choices=METHODS, default=None,
                        help="one or more of " + ", ".join(METHODS) + " (default: all)")
    parser.add_argument("--probes", type=int, default=DEFAULT_PROBES,
                        help=f"rows (or sentences) whose neighbours are compared (default {DEFAULT_PROBES})")
    parser.add_argument("--k", type=int, default=10, help="neighbours compared per probe (default 10)")
    parser.add_argument("--calibration", default="table",
                        help="int8-ranges' calibration rows: 'table' (all), N (the first N rows) or "
                             "word,word,… (default table)")
    parser.add_argument("--pq-parts", type=int, default=None,
                        help="product quantisation: sub-vectors, one byte each (default: the divisor of d "
                             "nearest d/8)")
    parser.add_argument("--analogies", action="store_true",
                        help="also score the Google analogies on each (first 30,000 rows; slower)")
    parser.add_argument("--retrieval", default=None, metavar="lee",
                        help="instead: binary search with re-scoring on MiniLM sentence vectors of the Lee "
                             "corpus, against float32")
    parser.set_defaults(run=_quantize, text=_text)
