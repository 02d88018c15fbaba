"""The Static vs contextual page's snippet: one word's vector in several sentences, layer by
layer, against the single row the token table gives it."""
from engine.contextual import PRESETS
from engine.snippets.common import MINILM_IMPORTS, MINILM_MODEL
from engine.snippets.template import SnippetTemplate, literal

CONTEXTUAL = SnippetTemplate("contextual", '''
"""Static vs contextual: MiniLM rewrites a word's row layer by layer from the words around it."""
import re

import numpy as np
''' + MINILM_IMPORTS + '''
word, sentences = $word, $sentences
''' + MINILM_MODEL + '''batch = tokenizer(sentences, padding=True, truncation=True, max_length=512, return_tensors="pt",
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
to_static = unit @ (static / np.linalg.norm(static))        # (s, 7) cosine with the static row
for layer in range(7):
    pairs = [f"S{i + 1} vs S{j + 1} {between[layer, i, j]:.4f}" for i in range(len(sentences))
             for j in range(i + 1, len(sentences))]
    statics = [f"S{i + 1} vs static {cosine:.4f}" for i, cosine in enumerate(to_static[:, layer])]
    print(f"layer {layer}: " + ", ".join(pairs + statics))
''', {"ctx_word": "bank", "ctx_sentences": "\n".join(PRESETS["bank"])},
    lambda s: {"word": literal(s["ctx_word"].strip()),
               "sentences": literal([line for line in s["ctx_sentences"].splitlines() if line.strip()])})

TEMPLATES = [CONTEXTUAL]
