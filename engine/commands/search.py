"""CLI: search — the sentences of a collection nearest to a query (MiniLM sentence vectors)."""
from __future__ import annotations

from pathlib import Path

from engine.commands.progress import progress_bar


def _collection_sentences(corpus: str) -> tuple[str, list[str]]:
    from engine.contextual import all_lee_sentences

    if corpus == "lee":
        return "lee", all_lee_sentences()
    path = Path(corpus)
    if not path.is_file():
        raise ValueError(f"unknown corpus {corpus!r}: use 'lee' or a path to a text file")
    from engine.retrieval import split_sentences

    return path.name, split_sentences(path.read_text(encoding="utf-8", errors="replace"))


def _search(args) -> dict:
    from engine.contextual import load_minilm
    from engine.index import AnnIndex
    from engine.retrieval import INDEX_MIN_SENTENCES, embed_collection, search

    name, sentences = _collection_sentences(args.corpus)
    tokenizer, model = load_minilm()
    with progress_bar(args, "sentence", "embedding", len(sentences)) as bar:
        collection = embed_collection(name, sentences, tokenizer, model, progress=bar.report)
    index = (AnnIndex.build(collection.table, k=min(10, len(sentences) - 1))
             if len(sentences) >= INDEX_MIN_SENTENCES else None)
    report = search(collection, args.query, tokenizer, model, topn=args.topn, index=index).to_dict()
    return {"corpus": name, "sentences": len(sentences), **report}


def _text(result: dict) -> str:
    lines = [f"{result['corpus']} ({result['sentences']:,} sentences), query {result['query']!r}:"]
    lines += [f"{r['rank']:>3}. {r['cosine']:.4f}  {r['sentence']}" for r in result["results"]]
    if result["recall_at_k"] is None:
        lines.append("searched exactly: too few sentences for an approximate index")
    else:
        lines.append(f"approximate index recall@{len(result['results'])}: {result['recall_at_k']:.2f}")
    changed = result["cosine_vs_dot"]["changed"]
    lines.append(f"by raw dot product instead of cosine, {len(changed)} sentences change rank")
    return "\n".join(lines)


def register(subparsers, common) -> None:
    search = subparsers.add_parser("search", parents=[common],
                                   help="MiniLM sentence search over a corpus (exact and approximate)")
    search.add_argument("query")
    search.add_argument("--corpus", default="lee", help="'lee' (gensim's Lee corpus) or a text file")
    search.add_argument("--topn", type=int, default=5)
    search.set_defaults(run=_search, text=_text)
