"""The Train page's snippet: the corpus read as the page reads it, then the method's whole run
for these settings, seeded as the page seeds it, so that it prints the page's numbers: for
word2vec and fastText gensim's own (one worker and a seed reproduce its vectors); for GloVe
and the from-scratch skip-gram the page's PyTorch training loop, step for step (the same
draws from the same generators, the same optimiser: the same loss per epoch and neighbours)."""
from string import Template

from engine.snippets.template import SnippetTemplate, literal
from engine.train.corpus import BUILTIN_CORPORA
from engine.train.settings import TrainSettings

TOKEN = 're.compile(r"[^\\W_]+(?:[\'’-][^\\W_]+)*")'        # lower-cased words, inner - and ' kept
BUILTIN_TEXT = f'text, token = open(datapath($file), encoding="utf-8").read(), {TOKEN}'
UPLOADED_TEXT = f'text, token = open($file, encoding="utf-8-sig").read(), {TOKEN}'

NEIGHBOURS = '''unit = (vectors := $vectors) / np.linalg.norm(vectors, axis=1, keepdims=True)  # (V, d) of length 1
for word in (w for w in probes if w in vocab):          # nearest by cosine after the last epoch, itself left out
    print(f"near “{word}”: " + ", ".join(list(vocab)[n] for n in (-(unit @ unit[vocab[word]])).argsort()[1:6]))'''

CORPUS = 'print(f"Words: {seen.total():,}\\nDistinct words: {len(seen):,}\\nLines: {len(sentences):,}")'
GENSIM = CORPUS + '''
model = $model(sentences, vector_size=$train_dim, window=$train_window, min_count=$train_min_count,
$indent$arguments, seed=$train_seed, workers=1)
print(f"Vocabulary: {len(model.wv):,}")
vocab = model.wv.key_to_index                                            # word -> row
''' + Template(NEIGHBOURS).safe_substitute(vectors="model.wv.vectors")

VOCABULARY = '''vocab = {w: i for i, (w, n) in enumerate(seen.most_common()) if n >= min_count}   # most frequent first
''' + CORPUS.removesuffix('")') + '\\nVocabulary: {len(vocab):,}")\n'

GLOVE = VOCABULARY + '''X = Counter()                                         # X[i, j]: 1/distance summed over each j within `window` of i
for row in ([vocab[w] for w in s if w in vocab] for s in sentences):   # rare words dropped before windowing
    for d, a, b in ((d, a, b) for d in range(1, window + 1) for a, b in [*zip(row, row[d:]), *zip(row[d:], row)]):
        X[a, b] += 1 / d                                              # both ways, as GloVe's cooccur
(i, j), x = torch.tensor(sorted(X)).T, torch.tensor([X[ij] for ij in sorted(X)], dtype=torch.float64)  # (n,) row by row
logx, f = x.log().float(), (x / x_max).pow(0.75).clamp(max=1).float()   # f(x) = min(1, (x / x_max)^0.75)
print(f"nonzero co-occurrence cells: {len(x):,} of {len(vocab) ** 2:,}")
g, shuffle = torch.Generator().manual_seed(seed), torch.Generator().manual_seed(seed)   # W, W~ (V, d), b, b~ (V,)
W, C, b, c = (((torch.rand(len(vocab), *s, generator=g) - 0.5) / dim).requires_grad_() for s in [[dim]] * 2 + [[]] * 2)
optimiser = torch.optim.Adagrad([W, C, b, c], lr=lr, initial_accumulator_value=1.0, eps=0)   # all as glove.c
for epoch in range(1, epochs + 1):
    total = 0.0
    for k in torch.randperm(len(x), generator=shuffle).split($batch):   # (B,) cells, shuffled
        diff = (W[i[k]] * C[j[k]]).sum(1) + b[i[k]] + c[j[k]] - logx[k]  # (B,) w_i·w~_j + b_i + b~_j − log X_ij
        loss = (f[k] * diff * diff).sum()
        optimiser.zero_grad()
        loss.backward()                           # a row no cell of the batch reads gets 0: AdaGrad leaves it
        optimiser.step()
        total += loss.item()
    print(f"loss after epoch {epoch}: {total / len(x):.4g}")           # per cell
''' + Template(NEIGHBOURS).safe_substitute(vectors="(W + C).detach().numpy()")   # the vectors are W + W~

SKIPGRAM = VOCABULARY + '''ids, line = np.array([(vocab[w], n) for n, s in enumerate(sentences) for w in s if w in vocab]).T  # (N,) each
freq, sign = np.bincount(ids), torch.tensor([1.0] + [-1.0] * negative)  # (V,) counts; +1 true pair, -1 noise
keep = np.minimum(1, (np.sqrt(freq / t) + 1) * t / freq) if (t := sample * len(ids)) else np.ones(len(freq))
g, noise, rng = torch.Generator().manual_seed(seed), torch.Generator().manual_seed(seed), np.random.default_rng(seed)
v, u = (torch.nn.Embedding.from_pretrained(table, freeze=False, sparse=True) for table in (  # (V, d) each, as
    (torch.rand(len(vocab), dim, generator=g) - 0.5) / dim, torch.zeros(len(vocab), dim)))  # word2vec: v small, u 0
optimiser, cumulative = torch.optim.SparseAdam([v.weight, u.weight], lr=lr), torch.from_numpy(np.cumsum(freq ** 0.75))
for epoch in range(1, epochs + 1):
    c, s, reach = np.stack([ids, line, rng.integers(1, window + 1, len(ids))])[:, rng.random(len(ids)) < keep[ids]]
    pairs = rng.permutation(np.concatenate([np.stack([c[a], c[b]], 1)[(s[a] == s[b]) & (reach[a] >= d)]  # (P, 2)
        for d in range(1, window + 1) for a, b in ((np.s_[:-d], np.s_[d:]), (np.s_[d:], np.s_[:-d]))]))  # in a line
    losses = []
    for centre, context in (batch.T for batch in torch.from_numpy(pairs).split($batch)):  # (B,), (B,)
        drawn = torch.rand(len(centre), negative, generator=noise, dtype=torch.float64) * cumulative[-1]
        rows = torch.cat([context[:, None], torch.searchsorted(cumulative, drawn, right=True)], 1)  # (B, 1 + k)
        loss = -torch.nn.functional.logsigmoid((u(rows) * v(centre)[:, None]).sum(-1) * sign).sum(-1).mean()
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        losses.append(loss.item())
    print(f"loss after epoch {epoch}: {sum(losses) / len(losses):.4g}")  # mean per pair
''' + Template(NEIGHBOURS).safe_substitute(vectors="v.weight.detach().numpy()")   # the input vectors v

TITLES = {"word2vec": "gensim's word2vec", "fasttext": "gensim's fastText", "glove": "GloVe in PyTorch",
          "torch-sgns": "skip-gram with negative sampling in PyTorch"}


def _gensim(settings: dict) -> tuple[str, str, str]:
    """(imports, settings line, code) of a word2vec or fastText run."""
    model = "FastText" if settings["train_method"] == "fasttext" else "Word2Vec"
    arguments = [f"sg={int(settings['train_sg'] == 'skip-gram')}", f"hs={int(settings['train_hs'])}",
                 f"negative={settings['train_negative']}", f"sample={settings['train_sample']!r}",
                 f"epochs={settings['train_epochs']}"]
    if model == "FastText":
        arguments += [f"min_n={settings['train_min_n']}", f"max_n={settings['train_max_n']}", "bucket=200_000"]
    indent = " " * (len(model) + 9)
    lines = [", ".join(arguments[:5])] + ([", ".join(arguments[5:])] if arguments[5:] else [])
    code = Template(GENSIM).substitute({name: literal(value) for name, value in settings.items()} | {
        "model": model, "indent": indent, "arguments": f",\n{indent}".join(lines)})
    probes = f"probes = {literal(settings['train_probes'].lower().split())}"
    return f"import numpy as np\nfrom gensim.models import {model}", probes, code


def _torch(settings: dict) -> tuple[str, str, str]:
    """(imports, settings lines, code) of the GloVe or skip-gram run, with the page's learning rate
    and batch size (TrainSettings' defaults for the method where the page has none)."""
    method = settings["train_method"]
    chosen = TrainSettings(method=method, learning_rate=settings["train_learning_rate"] or None)
    names = ["dim", "window", "min_count", "epochs"] + (["x_max"] if method == "glove" else ["negative", "sample"])
    values = [literal(settings[f"train_{name}"]) for name in names] + [repr(chosen.lr), str(settings["train_seed"])]
    head = (f"probes = {literal(settings['train_probes'].lower().split())}\n"
            f"{', '.join(names + ['lr', 'seed'])} = {', '.join(values)}")
    code = Template(GLOVE if method == "glove" else SKIPGRAM).substitute(batch=f"{chosen.batch:_}")
    return "import numpy as np\nimport torch", head, code


def _method(settings: dict) -> dict:
    """The lines that read the text, and the method's own part, for these settings."""
    corpus, method = settings["train_corpus"], settings["train_method"]
    builtin = corpus in BUILTIN_CORPORA
    imports, head, code = (_gensim if method in ("word2vec", "fasttext") else _torch)(settings)
    file = BUILTIN_CORPORA[corpus][0] if builtin else settings["train_upload"]
    imports += "\nfrom gensim.test.utils import datapath" * builtin
    imports = sorted(imports.splitlines(), key=lambda line: (line.startswith("from"), line.split()[1]))  # as isort
    return {"imports": "\n".join(imports),
            "text": head + "\n" + Template(BUILTIN_TEXT if builtin else UPLOADED_TEXT).substitute(file=literal(file)),
            "method_code": code,
            "title": f"{TITLES[method]} on {file if builtin else 'your text'}, as the page trains it"}


TRAIN = SnippetTemplate("train", '''
"""Train: $title."""
import re
from collections import Counter

$imports

$text
sentences = [w[i:i + 10_000] for w in map(token.findall, text.lower().splitlines()) for i in range(0, len(w), 10_000)]
seen = Counter(w for s in sentences for w in s)   # lower-cased words; a line a sentence, cut at 10,000 as gensim
$method_code
''', {"train_corpus": "lee", "train_upload": "corpus.txt", "train_method": "word2vec", "train_dim": 100,
      "train_window": 5, "train_min_count": 5, "train_epochs": 10, "train_seed": 1, "train_sg": "skip-gram",
      "train_hs": False, "train_negative": 5, "train_sample": 1e-3, "train_min_n": 3, "train_max_n": 6,
      "train_x_max": 10.0, "train_learning_rate": 0.0, "train_probes": "police fire israeli"}, _method)

TEMPLATES = [TRAIN]
