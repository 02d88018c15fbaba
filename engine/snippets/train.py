"""The Train page's snippet: the corpus read as the page reads it, then the method's own
numbers: for word2vec and fastText the whole gensim run (one worker and a seed reproduce the
page's vectors), for GloVe its vocabulary and co-occurrence counts, for the torch skip-gram
its vocabulary."""
from string import Template

from engine.snippets.template import SnippetTemplate, literal
from engine.train.corpus import BUILTIN_CORPORA

BUILTIN_TEXT = '''data = Path(importlib.util.find_spec("gensim").origin).parent / "test" / "test_data"
text = (data / $file).read_text(encoding="utf-8")'''
UPLOADED_TEXT = '''text = Path($file).read_text(encoding="utf-8-sig")          # your file'''

GENSIM = '''model = $model(sentences, vector_size=$train_dim, window=$train_window, min_count=$train_min_count,
$indent$arguments, seed=$train_seed, workers=1)
print(f"Vocabulary: {len(model.wv):,}")
for word in (word for word in probes if word in model.wv):  # nearest by cosine after the last epoch
    print(f"near “{word}”: " + ", ".join(near for near, _ in model.wv.most_similar(word, topn=5)))'''

VOCABULARY = '''counts = Counter(w for s in sentences for w in s)
vocab = {w: i for i, w in enumerate(sorted((w for w in counts if counts[w] >= min_count),
                                           key=lambda w: -counts[w]))}   # most frequent first
print(f"Vocabulary: {len(vocab):,}")'''

GLOVE = VOCABULARY + '''
cells = set()                                               # (i, j): j within `window` words of i
for s in sentences:
    row = [vocab[w] for w in s if w in vocab]               # dropped words removed before windowing
    for distance in range(1, window + 1):
        cells |= set(zip(row[:-distance], row[distance:]))
cells |= {(j, i) for i, j in cells}                         # symmetric, as GloVe's cooccur
print(f"nonzero co-occurrence cells: {len(cells):,} of {len(vocab) ** 2:,}")'''


def _method(settings: dict) -> dict:
    """The lines that read the text, and the method's own part, for these settings."""
    corpus, method = settings["train_corpus"], settings["train_method"]
    gensim = method in ("word2vec", "fasttext")
    words = {name: literal(value) for name, value in settings.items()}
    if gensim:
        model = "FastText" if method == "fasttext" else "Word2Vec"
        arguments = [f"sg={int(settings['train_sg'] == 'skip-gram')}", f"hs={int(settings['train_hs'])}",
                     f"negative={settings['train_negative']}", f"sample={settings['train_sample']!r}",
                     f"epochs={settings['train_epochs']}"]
        if method == "fasttext":
            arguments += [f"min_n={settings['train_min_n']}", f"max_n={settings['train_max_n']}",
                          "bucket=200_000"]
        indent = " " * (len(model) + 9)
        lines = [", ".join(arguments[:5])] + ([", ".join(arguments[5:])] if arguments[5:] else [])
        words |= {"model": model, "indent": indent, "arguments": f",\n{indent}".join(lines)}
    code = Template(GENSIM if gensim else GLOVE if method == "glove" else VOCABULARY).substitute(words)
    text = BUILTIN_TEXT if corpus in BUILTIN_CORPORA else UPLOADED_TEXT
    file = BUILTIN_CORPORA[corpus][0] if corpus in BUILTIN_CORPORA else settings["train_upload"]
    standard = ["import importlib.util"] * (corpus in BUILTIN_CORPORA) + ["import re"] + \
        ["from collections import Counter"] * (not gensim) + ["from pathlib import Path"]
    imports = "\n".join(standard) + (f"\n\nfrom gensim.models import {model}" if gensim else "")
    head = (f"probes = {literal(settings['train_probes'].lower().split())}\n" if gensim else
            f"min_count, window = {settings['train_min_count']}, {settings['train_window']}\n" if method == "glove"
            else f"min_count = {settings['train_min_count']}\n")
    return {"imports": imports, "text": head + Template(text).substitute(file=literal(file)),
            "method_code": code, "title": f"{method} on {file if corpus in BUILTIN_CORPORA else 'your text'}"}


TRAIN = SnippetTemplate("train", '''
"""Train: $title, read as the page reads it."""
$imports

$text
token = re.compile(r"[^\\W_]+(?:['’-][^\\W_]+)*")                 # lower-cased words; inner - and ' kept
sentences = [words[i:i + 10_000] for line in text.splitlines()  # one line a sentence (of 10,000 words at most)
             for words in [token.findall(line.lower())] for i in range(0, len(words), 10_000)]
print(f"Words: {sum(map(len, sentences)):,}")
print(f"Distinct words: {len({w for s in sentences for w in s}):,}")
print(f"Lines: {len(sentences):,}")
$method_code
''', {"train_corpus": "lee", "train_upload": "corpus.txt", "train_method": "word2vec", "train_dim": 100,
      "train_window": 5, "train_min_count": 5, "train_epochs": 10, "train_seed": 1, "train_sg": "skip-gram",
      "train_hs": False, "train_negative": 5, "train_sample": 1e-3, "train_min_n": 3, "train_max_n": 6,
      "train_probes": "police fire israeli"}, _method)

TEMPLATES = [TRAIN]
