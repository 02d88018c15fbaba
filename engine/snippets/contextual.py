"""The Static vs contextual page's snippet: one word's vector in several sentences, layer by
layer, against the anisotropy baseline (Ethayarajh 2019) and the single row the token table
gives it."""
from engine.contextual import preset_text
from engine.contextuality import BASELINE_SENTENCES
from engine.snippets.common import GENSIM_DATA, MINILM_IMPORTS, MINILM_MODEL
from engine.snippets.template import SnippetTemplate, literal

CONTEXTUAL = SnippetTemplate("contextual", '''
"""Static vs contextual: MiniLM rewrites a word's row layer by layer from the words around it.
Cosines between its vectors in different sentences, raw or minus the baseline: the mean
cosine between tokens of different sentences of the Lee corpus at that layer."""
import importlib.util
import re
from pathlib import Path

import numpy as np
''' + MINILM_IMPORTS + '''
word, lines, adjusted = $word, $lines, $adjusted
''' + MINILM_MODEL + GENSIM_DATA + '''documents = (data / "lee_background.cor").read_text(encoding="utf-8").splitlines()
lee = [s for d in documents for s in re.split(r"(?<=[.!?])\\s+", d.strip()) if len(s.split()) >= 6][:$count]
total, within, counts = 0, 0, []
for start in range(0, len(lee), 32):                      # the baseline, batch by batch
    chunk = sorted(lee, key=len)[start:start + 32]          # similar lengths: little padding
    batch = tokenizer(chunk, padding=True, truncation=True, max_length=128, return_tensors="pt",
                      return_special_tokens_mask=True)
    keep = (batch.pop("special_tokens_mask") == 0) & (batch["attention_mask"] == 1)  # (b, t) real tokens
    with torch.no_grad():
        states = torch.stack(model(**batch, output_hidden_states=True).hidden_states, dim=1).double()
    unit = torch.nn.functional.normalize(states, dim=3) * keep[:, None, :, None]     # (b, 7, t, 384)
    sums = unit.sum(dim=2)                                  # (b, 7, 384): each sentence's unit-vector sum
    total, within = total + sums.sum(dim=0), within + (sums * sums).sum(dim=(0, 2))
    counts += keep.sum(dim=1).tolist()
tokens = sum(counts)                                        # pairs of tokens from different sentences:
baseline = (((total * total).sum(dim=1) - within) / (tokens ** 2 - sum(c * c for c in counts))).numpy()

labelled = all("|" in line for line in lines)               # "sense | sentence" lines
senses = [line.split("|", 1)[0].strip() for line in lines] if labelled else None
sentences = [line.split("|", 1)[1].strip() if labelled else line.strip() for line in lines]
batch = tokenizer(sentences, padding=True, truncation=True, max_length=512, return_tensors="pt",
                  return_offsets_mapping=True)
offsets = batch.pop("offset_mapping")                       # (s, t, 2) characters of each token
with torch.no_grad():
    states = torch.stack(model(**batch, output_hidden_states=True).hidden_states, dim=1)  # (s, 7, t, 384)
vectors = []
for sentence, spans, state in zip(sentences, offsets.tolist(), states):
    found = re.search(rf"(?<!\\w){re.escape(word)}(?!\\w)", sentence, flags=re.IGNORECASE)  # its first use
    pieces = [i for i, (a, b) in enumerate(spans) if b > a and a >= found.start() and b <= found.end()]
    vectors.append(state[:, pieces].mean(dim=1).numpy())    # (7, 384): layer 0 = input embeddings
vectors = np.stack(vectors)                                 # (s, 7, 384)
table = model.embeddings.word_embeddings.weight.detach()    # (30522, 384)
static = table[tokenizer(word, add_special_tokens=False)["input_ids"]].mean(dim=0).numpy()  # mean of its pieces
unit = vectors / np.linalg.norm(vectors, axis=2, keepdims=True)
between = np.einsum("sld,tld->lst", unit, unit)             # (7, s, s) cosines between the sentences
rows = {"baseline: two random tokens": baseline}
for i in range(len(sentences)):
    for j in range(i + 1, len(sentences)):
        sense = "" if not senses else f" ({senses[i]})" if senses[i] == senses[j] else f" ({senses[i]}–{senses[j]})"
        rows[f"S{i + 1} vs S{j + 1}{sense}"] = between[:, i, j] - (baseline if adjusted else 0)
if not adjusted:
    for i, cosines in enumerate(unit @ (static / np.linalg.norm(static))):   # (7,) with the static row
        rows[f"S{i + 1} vs static row"] = cosines
for name, values in rows.items():
    print(f"{name}: " + ", ".join(f"layer {layer} {value:.3f}" for layer, value in enumerate(values)))
''', {"ctx_word": "bank", "ctx_sentences": preset_text("bank"), "ctx_cosine": "adjusted for anisotropy"},
    lambda s: {"word": literal(s["ctx_word"].strip()),
               "lines": literal([line for line in s["ctx_sentences"].splitlines() if line.strip()]),
               "adjusted": literal(s["ctx_cosine"] != "raw"), "count": literal(BASELINE_SENTENCES)})

TEMPLATES = [CONTEXTUAL]
