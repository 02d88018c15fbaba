"""The Size and cost page's snippets: the calculator (counted by PyTorch on the meta device),
real models' shares, and the rules of thumb for d."""
from functools import lru_cache

from engine.layer.memory import all_presets
from engine.snippets.template import SnippetTemplate, literal


@lru_cache(maxsize=1)
def _presets() -> dict:
    return all_presets()


def _share(settings: dict) -> str:
    """The share line, where the page shows one: a preset's own V, d and tying, unfactorised."""
    preset = _presets().get(settings["size_preset"])
    shape = (settings["size_vocab"], settings["size_dim"], settings["size_tied"])
    if preset is None or not preset.total_params or shape != (preset.vocab, preset.dim, preset.tied) \
            or settings["size_factorised"]:
        return ""
    return (f"model, total = {literal(preset.name)}, {preset.total_params:_}  # the whole model (transformers' count)\n"
            'print(f"share of {model}: {params / total:.1%}")')


CALCULATOR = SnippetTemplate("size.calculator", '''
"""The parameters of an embedding table and the memory to train it with Adam (in fp32, in
mixed precision, in pure bf16), counted by PyTorch on the meta device: shapes only, nothing
allocated. Sizes in binary units: 1 MiB = 2²⁰ bytes."""
import torch

vocab, dim, dtype, tied, factor = $size_vocab, $size_dim, $size_dtype, $size_tied, $factor  # factor: ALBERT's E
with torch.device("meta"):
    layers = [torch.nn.Embedding(vocab, factor or dim)]              # V × d, or V × E factorised
    if factor:
        layers.append(torch.nn.Linear(factor, dim, bias=False))      # E × d: ALBERT's projection
    if not tied:
        layers.append(torch.nn.Linear(dim, vocab, bias=False))       # the output layer, a second V × d
params = sum(p.numel() for layer in layers for p in layer.parameters())
weights = params * {"fp32": 4, "bf16": 2, "fp16": 2, "int8": 1}[dtype]   # bytes


def human(n):                                               # 1,536 -> "1.5 KiB" (powers of 1,024)
    power = next((p for p in range(4, 0, -1) if n >= 1024 ** p), 0)
    return f"{n:,.0f} bytes" if power == 0 else f"{n / 1024 ** power:,.1f} {'KiB MiB GiB TiB'.split()[power - 1]}"


print(f"parameters: {params:,}")
print(f"weights in {dtype}: {human(weights)}")
$share
# training with Adam, bytes per parameter: weights + gradient + fp32 master copy + Adam's m and v
recipes = {"fp32": 4 + 4 + 0 + 8,
           "mixed precision (bf16 + fp32 master)": 2 + 2 + 4 + 8,   # as DeepSpeed and Megatron-LM keep it
           "pure bf16": 2 + 2 + 0 + 4}
for recipe, per_parameter in recipes.items():
    print(f"training, {recipe}: {human(params * per_parameter)}")
''', {"size_vocab": 50_257, "size_dim": 768, "size_dtype": "fp32", "size_tied": True, "size_factorised": False,
      "size_factor": 128, "size_preset": "GPT-2 small"},
    lambda s: {"factor": literal(s["size_factor"] if s["size_factorised"] else None), "share": _share(s)})


def _models(settings: dict) -> dict:
    rows = "".join(f"    {literal(p.name)}: ({p.vocab:_}, {p.dim:_}, {p.tied}, "
                   f"{None if p.total_params is None else format(p.total_params, '_')}),\n"
                   for p in _presets().values())
    return {"models": "{\n" + rows + "}"}


MODELS = SnippetTemplate("size.models", '''
"""The share of a model's parameters in its token table(s): large for small models, small for
big ones, until a large vocabulary pushes it back up."""
models = $models  # V, d, output tied to the input table, the whole model's parameters (transformers' count)
for name, (vocab, dim, tied, total) in models.items():
    table = vocab * dim * (1 if tied else 2)                # untied: the output layer is a second V × d
    print(f"{name}: {vocab:,} × {dim:,}: " + (f"{table / total:.1%} of {total / 1e9:,.3g}B" if total
                                               else "whole model unknown"))
''', {}, _models)

RULES = SnippetTemplate("size.rules", '''
"""Rules of thumb for d from the number of categories V (from tabular models, where a table
embeds one categorical feature)."""
import math

vocab = $size_vocab
rules = {"V^¼ (TensorFlow's guide)": vocab ** 0.25, "1.6·√V": 1.6 * math.sqrt(vocab),
         "min(600, 1.6·V^0.56) (fast.ai)": min(600.0, 1.6 * vocab ** 0.56),
         "min(50, (V+1)/2) (categorical)": min(50.0, (vocab + 1) / 2)}
for name, d in rules.items():
    print(f"{name}: d = {max(1, round(d))}")
''', {"size_vocab": 50_257})

TEMPLATES = [CALCULATOR, MODELS, RULES]
