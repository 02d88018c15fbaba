"""A word's neighbours scored three ways: cosine, raw dot product, or CSLS.

Cosine ignores vector length; the raw dot product rewards long vectors (in GloVe, frequent
words), which is what a model that never normalises compares; CSLS (Conneau et al. 2018),
2·cos(x, y) − r(x) − r(y) with r the mean cosine of a row's k nearest rows, lowers the hubs
that sit near everything.
"""
from __future__ import annotations

import numpy as np

from engine.errors import check_int
from engine.vectors import EmbeddingSet, Neighbour, top_k

SCORES = ("cosine", "dot", "csls")
CSLS_K = 10


def neighbours_by(table: EmbeddingSet, word: str, score: str = "cosine", topn: int = 10,
                  restrict_vocab: int | None = None,
                  penalty: np.ndarray | None = None) -> list[Neighbour]:
    """The `topn` rows nearest to `word` (itself left out) among the first `restrict_vocab`
    rows, by `score`: 'cosine', 'dot' (raw dot product of the un-normalised vectors) or
    'csls' (needs `penalty`, (restrict,) r_k of every searched row: geometry.csls_penalty
    of geometry.neighbour_graph(table, CSLS_K, restrict))."""
    if score == "cosine":
        return table.most_similar(word, topn=topn, restrict_vocab=restrict_vocab)
    if score == "csls":
        from engine.geometry import csls_most_similar

        if penalty is None:
            raise ValueError("CSLS needs r_k of every searched row (the penalty); none was given")
        if word not in table:
            raise ValueError(f"CSLS needs a word with a row of its own; {word!r} has none "
                             "(its vector is built from pieces): score by cosine instead")
        return csls_most_similar(table, word, penalty, topn)
    if score != "dot":
        raise ValueError(f"unknown score {score!r}; use one of {', '.join(SCORES)}")
    limit = len(table) if restrict_vocab is None else check_int("restrict", restrict_vocab, 1, len(table))
    scores = np.asarray(table.vectors[:limit]) @ table.get_vector(word)
    own = table.key_to_index.get(word)
    if own is not None and own < limit:
        scores[own] = -np.inf
    topn = check_int("topn", topn, 1, max(1, limit - (own is not None and own < limit)))
    return [Neighbour(table.index_to_key[i], float(scores[i])) for i in top_k(scores, topn)]
