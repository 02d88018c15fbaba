"""CLI: layer lookup | … — the numbers of "The embedding layer" pages in a shell.

torch and transformers are imported inside each command, so `python -m engine info`
stays fast.
"""
from __future__ import annotations


def _minilm():
    """(tokenizer, model), with transformers' progress bars and warnings kept off stderr, so
    that bad input stays one line."""
    from transformers.utils import logging

    from engine.contextual import load_minilm

    logging.set_verbosity_error()
    logging.disable_progress_bar()
    return load_minilm()


def _lookup(args) -> dict:
    from engine.layer.lookup import check_texts, compare_one_hot, input_representation, tokenize

    check_texts(args.sentence, args.second)
    tokenizer, model = _minilm()
    tokens = tokenize(tokenizer, args.sentence, args.second, model.config.max_position_embeddings)
    check = compare_one_hot(model.embeddings.word_embeddings, tokens)
    return {**check.to_dict(), "segments": list(tokens.segments),
            "input_representation_max_abs_diff": input_representation(model, tokens).max_abs_diff}


def _lookup_text(result: dict) -> str:
    pairs = "  ".join(f"{token}={i}" for token, i in zip(result["tokens"], result["ids"]))
    return (f"tokens: {pairs}\n"
            f"lookup vs one-hot · W: max |diff| = {result['max_abs_diff']:g}; "
            f"index {result['index_seconds'] * 1e6:.1f} µs, one-hot {result['one_hot_seconds'] * 1e3:.2f} ms "
            f"({result['speedup']:,.0f}× slower; {result['numbers_read']:,} numbers read vs "
            f"{result['multiply_adds']:,} multiply-adds)\n"
            f"token + position + segment rows, LayerNorm vs transformers' BertEmbeddings: "
            f"max |diff| = {result['input_representation_max_abs_diff']:.2g}")


def _optimisers(args) -> dict:
    from engine.errors import check_int
    from engine.layer.corpus import lee_background_sentences
    from engine.layer.optimisers import MAX_STEPS, OPTIMISERS, run_optimiser

    steps = check_int("steps", args.steps, 1, MAX_STEPS)
    names = args.optimiser or list(OPTIMISERS)
    tokenizer, model = _minilm()
    batches = [tokenizer(s)["input_ids"] for s in lee_background_sentences()[:steps]]
    weight = model.embeddings.word_embeddings.weight
    return {"rows": weight.shape[0], "steps": steps, "lr": args.lr,
            "optimisers": [run_optimiser(weight, batches, name, args.lr).to_dict() for name in names]}


def _optimisers_text(result: dict) -> str:
    lines = [f"rows changed per step on MiniLM's {result['rows']:,}-row table, lr {result['lr']:g} "
             "(in brackets: rows the step's batch never read)"]
    lines += [f"{run['label']:<26} " + "  ".join(f"{c:>6,} ({a:,})" for c, a in zip(run["changed"], run["changed_absent"]))
              for run in result["optimisers"]]
    return "\n".join(lines)


def register(subparsers, common) -> None:
    layer = subparsers.add_parser("layer", help="the embedding layer in PyTorch: lookup, gradients, "
                                                "optimisers, init, memory, frozen or trainable")
    kinds = layer.add_subparsers(dest="kind", required=True)

    lookup = kinds.add_parser("lookup", parents=[common], help="MiniLM tokens, rows, one-hot · W, BERT input")
    lookup.add_argument("sentence")
    lookup.add_argument("--second", default=None, help="a second sentence (segment B)")
    lookup.set_defaults(run=_lookup, text=_lookup_text)

    optimisers = kinds.add_parser("optimisers", parents=[common],
                                  help="rows each optimiser changes per step on MiniLM's table")
    optimisers.add_argument("--steps", type=int, default=5, help="one Lee-corpus sentence per step (1–50)")
    optimisers.add_argument("--lr", type=float, default=0.01)
    optimisers.add_argument("--optimiser", action="append",
                            help="sgd, momentum, adam, adamw or sparse_adam; repeat to pick several "
                                 "(default: all five)")
    optimisers.set_defaults(run=_optimisers, text=_optimisers_text)
