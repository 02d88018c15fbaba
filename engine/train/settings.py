"""The settings of one training run, checked at the boundary, with a line of help each."""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from engine.errors import check_float, check_int

METHODS = {
    "word2vec": "word2vec (gensim): predict a word's neighbours (skip-gram) or a word from them (CBOW)",
    "fasttext": "fastText (gensim): word2vec over character n-grams, so unseen words get vectors too",
    "glove": "GloVe (PyTorch): fit log co-occurrence counts by weighted least squares",
    "torch-sgns": "skip-gram with negative sampling from scratch in PyTorch (for reading, not speed)",
}

HELP = {
    "sg": "Skip-gram predicts each neighbour from the word (better for rare words); CBOW predicts "
          "the word from its averaged neighbours (faster).",
    "hs": "Hierarchical softmax: a binary tree over the vocabulary instead of negative samples.",
    "dim": "Numbers per word (the table's width).",
    "window": "How many words on each side count as context.",
    "min_count": "Words seen fewer times than this are dropped before training.",
    "epochs": "Passes over the corpus.",
    "negative": "Random 'noise' words per true pair that the model learns to score low.",
    "sample": "Down-sample very frequent words ('the', 'of'): higher keeps more of them.",
    "seed": "Random seed: the same seed and one worker give the same vectors.",
    "workers": "Training threads (one gives reproducible vectors).",
    "min_n": "Shortest character n-gram (fastText).",
    "max_n": "Longest character n-gram (fastText).",
    "bucket": "Hash buckets shared by all character n-grams (fastText; gensim's default is "
              "2,000,000, which costs 763 MiB at 100-d).",
    "x_max": "GloVe's weight f(x) = min(1, (x/x_max)^0.75) saturates at this many co-occurrences "
             "(the paper's 100 suits billions of words; a small corpus needs less).",
    "learning_rate": "Step size: AdaGrad's for GloVe, SparseAdam's for the torch skip-gram "
                     "(gensim's word2vec and fastText use their own 0.025 decaying to 0.0001).",
    "batch_size": "Pairs (torch skip-gram) or co-occurrence cells (GloVe) per optimiser step.",
}


@dataclass(frozen=True)
class TrainSettings:
    method: str = "word2vec"
    sg: bool = True
    hs: bool = False
    dim: int = 100
    window: int = 5
    min_count: int = 5
    epochs: int = 5
    negative: int = 5
    sample: float = 1e-3
    seed: int = 1
    workers: int = 2
    min_n: int = 3
    max_n: int = 6
    bucket: int = 200_000
    x_max: float = 100.0
    learning_rate: float | None = None
    batch_size: int | None = None

    def __post_init__(self):
        if self.method not in METHODS:
            raise ValueError(f"unknown method {self.method!r}; choose from {', '.join(METHODS)}")
        check_int("dim", self.dim, 1, 2_000)
        check_int("window", self.window, 1, 100)
        check_int("min_count", self.min_count, 1, 10**9)
        check_int("epochs", self.epochs, 1, 1_000)
        check_int("negative", self.negative, 0 if self.hs else 1, 100)
        check_float("sample", self.sample, 0, 1)
        check_int("seed", self.seed, 0, 2**31 - 1)
        check_int("workers", self.workers, 1, 64)
        check_int("min_n", self.min_n, 1, 20)
        check_int("max_n", self.max_n, self.min_n, 20)
        check_int("bucket", self.bucket, 1, 2_000_000)
        check_float("x_max", self.x_max, 0, low_open=True)
        if self.learning_rate is not None:
            check_float("learning_rate", self.learning_rate, 0, 10, low_open=True)
        if self.batch_size is not None:
            check_int("batch_size", self.batch_size, 1, 10**7)
        if self.hs and self.method not in ("word2vec", "fasttext"):
            raise ValueError(f"hierarchical softmax is a word2vec/fastText option, not {self.method}'s")

    @property
    def lr(self) -> float:
        """The learning rate: the one given, else the method's default (GloVe's paper: 0.05)."""
        return self.learning_rate or {"glove": 0.05, "torch-sgns": 0.01}.get(self.method, 0.025)

    @property
    def batch(self) -> int:
        """Batch size: the one given, else the method's default."""
        return self.batch_size or {"glove": 16_384, "torch-sgns": 4096}.get(self.method, 1)

    def used(self) -> dict:
        """The settings that matter for this method (for a summary card or the JSON)."""
        common = ["dim", "window", "min_count", "epochs", "seed"]
        extra = {"word2vec": ["sg", "hs", "negative", "sample", "workers"],
                 "fasttext": ["sg", "hs", "negative", "sample", "workers", "min_n", "max_n", "bucket"],
                 "glove": ["x_max", "learning_rate", "batch_size"],
                 "torch-sgns": ["negative", "sample", "learning_rate", "batch_size"]}[self.method]
        values = asdict(self) | {"learning_rate": self.lr, "batch_size": self.batch}
        return {"method": self.method} | {k: values[k] for k in common + extra}

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


# The Train page's presets (corpus, settings): the same skip-gram run on enough text to learn
# from (measured: WordSim-353 ρ 0.56 on the pairs it covers, "king" → throne, heir; about 30 s
# on one worker) and on too little (ρ −0.19, "king" → conflict). Geometry measures both tables.
LEARNS, TOO_LITTLE = "A run that learns", "Too little text"
PRESETS = {
    LEARNS: ("head500", TrainSettings(method="word2vec", sg=True, dim=100, epochs=10, workers=1)),
    TOO_LITTLE: ("lee", TrainSettings(method="word2vec", sg=True, dim=100, epochs=10, workers=1)),
}
