"""CLI: load FILE|FOLDER — read a vector file in any format, or a model folder's token table,
and report what is in it (the Load page)."""
from __future__ import annotations

from pathlib import Path

from engine.commands.progress import progress_bar
from engine.readers import FORMATS, load_vectors
from engine.table_report import table_report


def _load(args) -> dict:
    if Path(args.file).is_dir():
        return _load_folder(args)
    with progress_bar(args, "B", "reading", unit_scale=True) as bar:
        loaded = load_vectors(args.file, format=args.format, vocab=args.vocab, tensor=args.tensor,
                              progress=bar.report)
    report = table_report(loaded.table).to_dict()
    return loaded.to_dict() | {key: value for key, value in report.items() if key != "name"} | {
        "tensors": [{"name": t.name, "shape": list(t.shape), "dtype": t.dtype} for t in loaded.tensors]}


def _load_folder(args) -> dict:
    from engine.readers.model_folder import read_model_folder

    model = read_model_folder(args.file, tensor=args.tensor)
    report = table_report(model.input).to_dict()
    return model.to_dict() | {key: value for key, value in report.items() if key != "name"}


def _text(result: dict) -> str:
    q = result["norm_quantiles"]
    lines = [f"{result['name']}: {result['rows']:,} rows × {result['dim']} ({result['format']}, "
             f"{result['dtype']}, {result['mebibytes']:.1f} MiB)",
             f"repeated keys: {result['duplicate_keys']:,}   zero rows: {result['zero_rows']:,}   "
             f"NaN/inf rows: {result['nonfinite_rows']:,}",
             f"row norms: min {q[0]:.3f}  median {q[4]:.3f}  max {q[-1]:.3f}"]
    if "tying" in result:
        tokenizer = result["tokenizer"]
        lines.insert(1, f"token table {result['input_tensor']}; output embedding: {result['tying_reason']}")
        lines.insert(2, "tokenizer: " + ("none" if tokenizer is None else
                                        f"{tokenizer['kind']}, {tokenizer['tokens']:,} tokens, "
                                        f"{tokenizer['special']} special, {tokenizer['added']} added"))
    return "\n".join(lines + [f"note: {n}" for n in result["notes"]])


def register(subparsers, common) -> None:
    load = subparsers.add_parser("load", parents=[common],
                                 help="read a vector file (any format) or a model folder and summarise it")
    load.add_argument("file", help="a vector file, or a model folder (config.json, *.safetensors, "
                                   "tokenizer.json; a Hugging Face cache folder too)")
    load.add_argument("--format", default="auto", choices=("auto",) + FORMATS)
    load.add_argument("--vocab", default=None,
                      help="vocabulary / metadata file for tsv, npy, safetensors, torch")
    load.add_argument("--tensor", default=None,
                      help="which 2-D tensor of a safetensors / PyTorch file or model folder "
                           "(default: the token embedding)")
    load.set_defaults(run=_load, text=_text)
