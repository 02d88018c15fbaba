"""CLI: train — learn a table from text (word2vec, fastText, GloVe or the torch skip-gram),
write it as word2vec text and report time, words/s, loss per epoch and benchmark scores."""
from __future__ import annotations

from pathlib import Path

from engine.commands.progress import progress_bar


def _train(args) -> dict:
    from engine.readers import write_vectors
    from engine.train.corpus import load_corpus
    from engine.train.monitor import Monitor
    from engine.train.report import benchmark_scores, bins_to_dicts, rare_vs_frequent
    from engine.train.run import train
    from engine.train.settings import TrainSettings

    settings = TrainSettings(method=args.method, sg=not args.cbow, hs=args.hs, dim=args.dim,
                             window=args.window, min_count=args.min_count, epochs=args.epochs,
                             negative=args.negative, sample=args.sample, seed=args.seed,
                             workers=args.workers, min_n=args.min_n, max_n=args.max_n, bucket=args.bucket,
                             x_max=args.x_max, learning_rate=args.learning_rate,
                             batch_size=args.batch_size)
    if args.out is not None and not Path(args.out).resolve().parent.is_dir():
        raise ValueError(f"cannot write {args.out}: its folder does not exist")
    corpus = load_corpus(args.corpus)
    total = settings.epochs * corpus.words
    bar = progress_bar(args, "word", f"{settings.method} on {corpus.name}", total, unit_scale=True,
                       mininterval=1)

    def progress(fraction: float, words_per_second: float) -> None:
        bar.update(int(fraction * total) - bar.n)

    try:
        trained = train(corpus, settings, Monitor(probes=args.probes, on_progress=progress))
    finally:
        bar.close()
    result = trained.to_dict()
    if args.out is not None:
        Path(args.out).write_bytes(write_vectors(trained.table, "word2vec-text"))
        result["out"] = str(args.out)
    result["scores"] = benchmark_scores(trained.table)
    if args.rare_vs_frequent:
        from engine.sources import load_source

        bins, chance = rare_vs_frequent(trained.table, corpus.counts, load_source(args.source))
        result["rare_vs_frequent"] = {"reference": args.source, "k": 10, "chance": chance,
                                      "bins": bins_to_dicts(bins)}
    return result


def _number(value) -> str:
    return "-" if value is None else f"{value:.3f}"


def _text(result: dict) -> str:
    lines = [f"{result['name']}: {result['rows']:,} words × {result['dim']} in {result['seconds']:.1f} s "
             f"({result['words_per_second']:,.0f} words/s)" + ("" if result["complete"] else " PARTIAL")]
    for epoch in result["epochs"]:
        near = "; ".join(f"{w}: {', '.join(n)}" for w, n in epoch["neighbours"].items())
        lines.append(f"  epoch {epoch['epoch']:>3}  loss {_number(epoch['loss']):>12}  {near}")
    scores = result["scores"]
    for name in ("wordsim353", "simlex999"):
        s = scores[name]
        lines.append(f"{name}: Spearman {_number(s['spearman'])} on {s['pairs']} pairs "
                     f"({s['coverage']:.0%} covered)")
    a = scores["analogies"]
    lines.append(f"analogies: {a['correct']:,} / {a['questions']:,} ({a['coverage']:.1%} of the "
                 f"questions covered)")
    if "rare_vs_frequent" in result:
        rare = result["rare_vs_frequent"]
        lines.append(f"neighbour agreement with {rare['reference']} (top {rare['k']}, chance "
                     f"{rare['chance']:.3f}) by corpus count:")
        lines += [f"  {b['low']:>6,}–{b['high'] - 1:<8,} {b['words']:>6,} words  {b['agreement']:.3f}"
                  for b in rare["bins"]]
    if "out" in result:
        lines.append(f"written to {result['out']} (word2vec text)")
    return "\n".join(lines)


def register(subparsers, common) -> None:
    from engine.train.settings import HELP, METHODS, TrainSettings

    defaults = TrainSettings()
    run = subparsers.add_parser("train", parents=[common],
                                help="train word2vec / fastText / GloVe / a torch skip-gram on text")
    run.add_argument("--corpus", default="lee",
                     help="lee (60,000 words of news), head500 (330,000 words of Wikipedia, "
                          "stemmed), or a UTF-8 text file, one sentence per line")
    run.add_argument("--method", default="word2vec", choices=list(METHODS),
                     help="; ".join(METHODS.values()))
    kind = run.add_mutually_exclusive_group()
    kind.add_argument("--sg", action="store_true", help="skip-gram (the default)")
    kind.add_argument("--cbow", action="store_true", help=HELP["sg"])
    run.add_argument("--hs", action="store_true", help=HELP["hs"])
    for name in ("dim", "window", "min_count", "epochs", "negative", "seed", "workers", "min_n",
                 "max_n", "bucket"):
        run.add_argument(f"--{name.replace('_', '-')}", type=int, default=getattr(defaults, name),
                         help=HELP[name].replace("%", "%%"))
    run.add_argument("--sample", type=float, default=defaults.sample, help=HELP["sample"])
    run.add_argument("--x-max", type=float, default=defaults.x_max, help=HELP["x_max"])
    run.add_argument("--learning-rate", type=float, default=None, help=HELP["learning_rate"])
    run.add_argument("--batch-size", type=int, default=None, help=HELP["batch_size"])
    run.add_argument("--probes", nargs="*", default=["government", "police", "state"],
                     help="words whose nearest neighbours are listed after every epoch")
    run.add_argument("--out", default=None, help="write the table here as word2vec text")
    run.add_argument("--rare-vs-frequent", action="store_true",
                     help="also compare each word's neighbours with --source's (GloVe by default) "
                          "by corpus frequency")
    run.set_defaults(run=_train, text=_text)
