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
    lines += [f"{run['label']:<26} "
              + "  ".join(f"{c:>6,} ({a:,})" for c, a in zip(run["changed"], run["changed_absent"]))
              for run in result["optimisers"]]
    return "\n".join(lines)


def _memory(args) -> dict:
    from engine.layer.memory import all_presets, embedding_cost, embedding_share, rule_dimensions

    if args.preset is not None:
        presets = all_presets()
        if args.preset not in presets:
            raise ValueError(f"unknown preset {args.preset!r}; choose one of {', '.join(all_presets())}")
        model = presets[args.preset]
        args.vocab, args.dim, args.tied = args.vocab or model.vocab, args.dim or model.dim, model.tied
    if args.vocab is None or args.dim is None:
        raise ValueError("give --vocab and --dim, or --preset NAME")
    cost = embedding_cost(args.vocab, args.dim, args.dtype, args.tied, args.factor)
    result = {**cost.to_dict(), "rules_of_thumb": rule_dimensions(args.vocab)}
    if args.preset is not None:
        result.update(preset=model.name, total_params=model.total_params, published=model.published,
                      embedding_share=embedding_share(model))
    return result


def _memory_text(result: dict) -> str:
    from engine.units import human_bytes

    shape = f"{result['vocab']:,} × {result['dim']:,}" + (f" (factorised, E = {result['factor_dim']})"
                                                           if result["factor_dim"] else "")
    lines = [f"{shape}, {'tied' if result['tied'] else 'untied'}, {result['dtype']}: "
             f"{result['params']:,} parameters, {human_bytes(result['weight_bytes'])}",
             "training with Adam: " + ", ".join(f"{recipe} {human_bytes(size)}"
                                                for recipe, size in result["training_bytes"].items())]
    if result.get("embedding_share") is not None:
        lines.append(f"{result['preset']}: {result['embedding_share']:.1%} of {result['total_params']:,} parameters")
    return "\n".join(lines)


def _frozen(args) -> dict:
    from engine.layer.frozen import MODES, polarity_data, train_classifier
    from engine.sources import load_builtin

    data = polarity_data(load_builtin("glove-6b-50d"), seed=args.seed)
    runs = [train_classifier(data, mode, epochs=args.epochs, seed=args.seed) for mode in MODES]
    return {"sentences": len(data.labels), "train": len(data.train), "test": len(data.test),
            "vocabulary": len(data.words), "glove_coverage": data.coverage, "seed": args.seed,
            "epochs": args.epochs, "runs": [run.to_dict(data.words) for run in runs]}


def _frozen_text(result: dict) -> str:
    lines = [f"{result['train']} training / {result['test']} held-out sentences, {result['vocabulary']:,} "
             f"GloVe rows, seed {result['seed']}, {result['epochs']} epochs"]
    lines += [f"{run['label']:<24} train {run['train_accuracy']:.0%}  held-out {run['test_accuracy']:.0%}  "
              f"rows moved {run['rows_moved']:,}" for run in result["runs"]]
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

    memory = kinds.add_parser("memory", parents=[common], help="parameters and bytes of an embedding table")
    memory.add_argument("--vocab", type=int, help="rows V")
    memory.add_argument("--dim", type=int, help="dimension d")
    memory.add_argument("--dtype", default="fp32", help="the weights' dtype: fp32 (default), bf16, fp16 or "
                        "int8; training is shown in fp32, mixed precision and pure bf16")
    memory.add_argument("--tied", action="store_true", help="the output layer reuses the input table")
    memory.add_argument("--factor", type=int, default=None, help="ALBERT's E: V·E + E·d parameters")
    memory.add_argument("--preset", default=None, help="a real model, e.g. 'GPT-2 small', 'LLaMA-3-8B'")
    memory.set_defaults(run=_memory, text=_memory_text)

    frozen = kinds.add_parser("frozen", parents=[common],
                              help="a GloVe bag-of-embeddings classifier: frozen, fine-tuned, random")
    frozen.add_argument("--seed", type=int, default=0)
    frozen.add_argument("--epochs", type=int, default=100)
    frozen.set_defaults(run=_frozen, text=_frozen_text)
