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


def register(subparsers, common) -> None:
    layer = subparsers.add_parser("layer", help="the embedding layer in PyTorch: lookup, gradients, "
                                                "optimisers, init, memory, frozen or trainable")
    kinds = layer.add_subparsers(dest="kind", required=True)

    lookup = kinds.add_parser("lookup", parents=[common], help="MiniLM tokens, rows, one-hot · W, BERT input")
    lookup.add_argument("sentence")
    lookup.add_argument("--second", default=None, help="a second sentence (segment B)")
    lookup.set_defaults(run=_lookup, text=_lookup_text)
