"""What an embedding table costs: parameters, bytes by dtype, tied or untied output
embeddings (Press & Wolf 2017), ALBERT's factorisation (V·E + E·H instead of V·H), what
training with Adam keeps per parameter (in fp32, in mixed precision as real trainers keep it,
in pure bf16), real models' tables, and the rules of thumb people use to pick d. Sizes are
shown in binary units (engine.units).

No torch here: the numbers are products of the shapes, and the tests check them against
sum(p.numel()) of models transformers builds.
"""
from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass

from engine.errors import check_int

DTYPE_BYTES = {"fp32": 4, "bf16": 2, "fp16": 2, "int8": 1}


@dataclass(frozen=True)
class TrainingRecipe:
    """Bytes per parameter that training with Adam keeps, by part."""

    weights: int        # the copy the forward and backward passes read
    gradient: int
    master: int         # an fp32 copy of the weights that the optimiser updates (mixed precision)
    moments: int        # Adam's m and v together

    @property
    def per_parameter(self) -> int:
        return self.weights + self.gradient + self.master + self.moments

    def parts(self) -> dict[str, int]:
        return {"weights": self.weights, "gradient": self.gradient, "fp32 master weights": self.master,
                "Adam m and v": self.moments}


# Mixed precision as DeepSpeed, Megatron-LM and the ZeRO paper (Rajbhandari et al. 2020) keep
# it: bf16 weights and gradients for the passes, an fp32 master copy and fp32 moments for the
# update, 2 + 2 + 4 + 8 = 16 bytes, as many as pure fp32 (4 + 4 + 8). Only pure bf16, the
# moments in bf16 too, halves it; small updates then round away.
TRAINING = {
    "fp32": TrainingRecipe(4, 4, 0, 8),
    "mixed precision (bf16 + fp32 master)": TrainingRecipe(2, 2, 4, 8),
    "pure bf16": TrainingRecipe(2, 2, 0, 4),
}
MAX_VOCAB = 10_000_000_000     # ten billion rows: past any real table
MAX_DIM = 1_000_000


@dataclass(frozen=True)
class EmbeddingCost:
    """Parameters and bytes of a model's input (and, untied, output) embedding tables."""

    vocab: int
    dim: int
    dtype: str
    tied: bool
    factor_dim: int | None       # ALBERT's E: a V × E table and an E × d projection
    input_params: int            # V·d, or V·E + E·d factorised
    output_params: int           # V·d untied (the output layer is a second V × d table), 0 tied

    @property
    def params(self) -> int:
        return self.input_params + self.output_params

    @property
    def weight_bytes(self) -> int:
        return self.params * DTYPE_BYTES[self.dtype]

    def training_parts(self, recipe: str) -> dict[str, int]:
        """Bytes of each part that training with Adam keeps under `recipe` (a TRAINING name)."""
        return {part: self.params * size for part, size in TRAINING[recipe].parts().items()}

    def training_bytes(self, recipe: str) -> int:
        return self.params * TRAINING[recipe].per_parameter

    def to_dict(self) -> dict:
        return {**asdict(self), "params": self.params, "weight_bytes": self.weight_bytes,
                "training_bytes": {recipe: self.training_bytes(recipe) for recipe in TRAINING}}


def embedding_cost(vocab: int, dim: int, dtype: str = "fp32", tied: bool = True,
                   factor_dim: int | None = None) -> EmbeddingCost:
    """The cost of a V × d embedding; ValueError for sizes outside 1…MAX or an unknown dtype."""
    vocab = check_int("vocabulary V", vocab, 1, MAX_VOCAB)
    dim = check_int("dimension d", dim, 1, MAX_DIM)
    if dtype not in DTYPE_BYTES:
        raise ValueError(f"unknown dtype {dtype!r}; choose one of {', '.join(DTYPE_BYTES)}")
    if factor_dim is None:
        input_params = vocab * dim
    else:
        factor_dim = check_int("factorised dimension E", factor_dim, 1, dim)
        input_params = vocab * factor_dim + factor_dim * dim
    return EmbeddingCost(vocab, dim, dtype, tied, factor_dim, input_params, 0 if tied else vocab * dim)


@dataclass(frozen=True)
class ModelPreset:
    """A real model's token table. total_params: the whole model (transformers' count, which
    the tests rebuild), None where unknown; published: the size its authors quote."""

    name: str
    vocab: int
    dim: int
    tied: bool
    total_params: int | None
    published: str


PRESETS = {p.name: p for p in [
    ModelPreset("GPT-2 small", 50_257, 768, True, 124_439_808, "124M"),
    ModelPreset("BERT-base", 30_522, 768, True, 109_482_240, "110M"),
    ModelPreset("LLaMA-2-7B", 32_000, 4_096, False, 6_738_415_616, "7B (6.7B)"),
    ModelPreset("LLaMA-3-8B", 128_256, 4_096, False, 8_030_261_248, "8B"),
    ModelPreset("GPT-3", 50_257, 12_288, True, 174_604_259_328, "175B"),
    ModelPreset("Recommender, 10M items", 10_000_000, 128, True, None, "—"),
]}


def minilm_preset() -> ModelPreset:
    """all-MiniLM-L6-v2, read from the package: config.json for V and d, and the total from
    the safetensors header's shapes (no weights read)."""
    from safetensors import safe_open

    from engine.sources import minilm_path

    config = json.loads((minilm_path() / "config.json").read_text(encoding="utf-8"))
    with safe_open(minilm_path() / "model.safetensors", framework="np") as weights:
        total = sum(math.prod(weights.get_slice(key).get_shape()) for key in weights.keys()
                    if not key.endswith("position_ids"))          # a buffer, not a parameter
    return ModelPreset("MiniLM-L6 (this app's)", config["vocab_size"], config["hidden_size"], True, total,
                       "22M")


def all_presets() -> dict[str, ModelPreset]:
    """PRESETS with MiniLM (read from the package) before the recommender."""
    models = list(PRESETS.values())
    models.insert(-1, minilm_preset())
    return {model.name: model for model in models}


def embedding_share(preset: ModelPreset) -> float | None:
    """Share of the model's parameters in its token table(s) (None if the total is unknown)."""
    if preset.total_params is None:
        return None
    return embedding_cost(preset.vocab, preset.dim, tied=preset.tied).params / preset.total_params


DIMENSION_RULES = {
    "V^¼ (TensorFlow's guide)": lambda n: n ** 0.25,
    "1.6·√V": lambda n: 1.6 * math.sqrt(n),
    "min(600, 1.6·V^0.56) (fast.ai)": lambda n: min(600.0, 1.6 * n ** 0.56),
    "min(50, (V+1)/2) (categorical)": lambda n: min(50.0, (n + 1) / 2),
}


def rule_dimensions(vocab: int) -> dict[str, int]:
    """d each rule of thumb suggests for V categories, rounded."""
    vocab = check_int("vocabulary V", vocab, 1, MAX_VOCAB)
    return {name: max(1, round(rule(vocab))) for name, rule in DIMENSION_RULES.items()}


def describe_shares(presets: dict[str, ModelPreset]) -> str:
    """Each model's share of parameters in its token table(s), smallest model first, and
    what a bigger vocabulary does at the same d (models whose total is unknown left out)."""
    known = sorted((p for p in presets.values() if p.total_params), key=lambda p: p.total_params)
    said = ("Share of all parameters in the token table(s), smallest model first: "
            + ", ".join(f"{p.name} {embedding_share(p):.1%}" for p in known) + ".")
    for small, big in ((a, b) for a in known for b in known if a.dim == b.dim and a.vocab < b.vocab):
        said += (f" At the same d = {small.dim:,}, {big.name}'s {big.vocab:,}-token vocabulary takes "
                 f"{embedding_share(big):.1%} against {small.name}'s {embedding_share(small):.1%} "
                 f"with {small.vocab:,} tokens.")
    return said


def describe_rules(presets: dict[str, ModelPreset]) -> str:
    """Which models' d lies above every rule of thumb for their V, and which does not."""
    above, below = [], []
    for preset in (p for p in presets.values() if p.total_params):
        rule, suggested = max(rule_dimensions(preset.vocab).items(), key=lambda item: item[1])
        (above if preset.dim > suggested else below).append(
            f"{preset.name} (d = {preset.dim:,}; {rule.split(' (')[0]}: {suggested:,})")
    said = f"Above every rule: {', '.join(above) or 'none'}."
    return said + (f" Not above every rule: {', '.join(below)}." if below else "")
