"""The memory calculator against sum(p.numel()) of models transformers builds, and the
presets against the published sizes."""
import pytest
import torch

from engine.layer.memory import (
    PRESETS,
    TRAINING,
    all_presets,
    describe_rules,
    describe_shares,
    embedding_cost,
    embedding_share,
    minilm_preset,
    rule_dimensions,
)
from engine.units import human_bytes


def numel(model) -> int:
    return sum(p.numel() for p in model.parameters())


def test_tied_and_untied_gpt2_against_transformers():
    from transformers import GPT2Config, GPT2LMHeadModel

    config = dict(vocab_size=1_000, n_embd=64, n_layer=2, n_head=2, n_positions=128)
    tied = GPT2LMHeadModel(GPT2Config(**config))
    untied = GPT2LMHeadModel(GPT2Config(**config, tie_word_embeddings=False))
    assert embedding_cost(1_000, 64, tied=True).params == tied.transformer.wte.weight.numel()
    untied_cost = embedding_cost(1_000, 64, tied=False)
    assert untied_cost.params == untied.transformer.wte.weight.numel() + untied.lm_head.weight.numel()
    assert numel(untied) - numel(tied) == untied_cost.output_params == 64_000


def test_albert_factorisation_against_transformers():
    from transformers import AlbertConfig, AlbertModel

    model = AlbertModel(AlbertConfig(vocab_size=1_000, embedding_size=16, hidden_size=64, num_hidden_layers=1,
                                     num_attention_heads=2, intermediate_size=128))
    cost = embedding_cost(1_000, 64, factor_dim=16)
    projection = model.encoder.embedding_hidden_mapping_in.weight
    assert cost.input_params == model.embeddings.word_embeddings.weight.numel() + projection.numel()
    assert cost.input_params == 1_000 * 16 + 16 * 64


def test_bytes_by_dtype_in_binary_units():
    cost = embedding_cost(128_256, 4_096, "bf16", tied=True)
    assert cost.params == 525_336_576 and cost.weight_bytes == 2 * cost.params
    assert embedding_cost(10, 4, "int8", tied=False).weight_bytes == 80
    assert human_bytes(1_536) == "1.5 KiB" and human_bytes(100) == "100 bytes"
    gpt2 = embedding_cost(50_257, 768)                      # 154,389,504 bytes: 147.2 MiB, not "MB"
    assert gpt2.weight_bytes == 154_389_504 and human_bytes(gpt2.weight_bytes) == "147.2 MiB"
    assert human_bytes(3 * 2**30) == "3.0 GiB"


def adam_state_bytes(parameters, optimiser) -> int:
    """Bytes torch holds for the parameters, their gradients and Adam's moments."""
    held = sum(p.numel() * p.element_size() for p in parameters)
    held += sum(p.grad.numel() * p.grad.element_size() for p in parameters)
    return held + sum(t.numel() * t.element_size() for state in optimiser.state.values()
                      for name, t in state.items() if name in ("exp_avg", "exp_avg_sq"))


def test_training_recipes_against_what_torch_allocates():
    """Bytes per parameter after one Adam step, in torch: fp32; mixed precision as real trainers
    keep it (bf16 weights and gradient for the passes, an fp32 master copy and fp32 moments for
    the update); pure bf16."""
    vocab, dim = 100, 8
    ids = torch.arange(vocab)

    def one_step(dtype):
        table = torch.nn.Embedding(vocab, dim).to(dtype)
        optimiser = torch.optim.Adam(table.parameters())
        table(ids).float().sum().backward()
        optimiser.step()
        return adam_state_bytes(list(table.parameters()), optimiser)

    master = torch.nn.Parameter(torch.randn(vocab, dim))                     # fp32 master weights
    working = torch.nn.Parameter(master.detach().to(torch.bfloat16))          # bf16 for the passes
    optimiser = torch.optim.Adam([master])
    torch.nn.functional.embedding(ids, working).float().sum().backward()
    master.grad = working.grad.float()                                       # unscaled into the master
    optimiser.step()
    del master.grad                                                          # freed after the step
    mixed = working.numel() * 2 + working.grad.numel() * 2 + master.numel() * 4 + sum(
        t.numel() * t.element_size() for state in optimiser.state.values() for n, t in state.items()
        if n in ("exp_avg", "exp_avg_sq"))
    cost = embedding_cost(vocab, dim)
    assert cost.training_bytes("fp32") == one_step(torch.float32) == 16 * vocab * dim
    assert cost.training_bytes("mixed precision (bf16 + fp32 master)") == mixed == 16 * vocab * dim
    assert cost.training_bytes("pure bf16") == one_step(torch.bfloat16) == 8 * vocab * dim
    assert list(TRAINING) == ["fp32", "mixed precision (bf16 + fp32 master)", "pure bf16"]


def test_the_shares_and_rules_sentences_say_what_the_numbers_show():
    presets = all_presets()
    shares = describe_shares(presets)
    assert "GPT-2 small 31.0%" in shares and "GPT-3 0.4%" in shares
    assert "LLaMA-3-8B's 128,256-token vocabulary takes 13.1% against LLaMA-2-7B's 3.9%" in shares
    rules = describe_rules(presets)
    # MiniLM's d = 384 is below fast.ai's min(600, 1.6·V^0.56) = 519 for V = 30,522
    assert rule_dimensions(30_522)["min(600, 1.6·V^0.56) (fast.ai)"] == 519
    assert "Not above every rule: MiniLM-L6 (this app's) (d = 384" in rules
    assert rules.startswith("Above every rule: GPT-2 small (d = 768")


def build(name: str):
    from transformers import BertConfig, BertModel, GPT2Config, GPT2LMHeadModel, LlamaConfig, LlamaForCausalLM

    llama = dict(hidden_size=4_096, num_hidden_layers=32, num_attention_heads=32, tie_word_embeddings=False)
    return {"GPT-2 small": lambda: GPT2LMHeadModel(GPT2Config()),
            "BERT-base": lambda: BertModel(BertConfig()),
            "LLaMA-2-7B": lambda: LlamaForCausalLM(LlamaConfig(vocab_size=32_000, intermediate_size=11_008,
                                                               num_key_value_heads=32, **llama)),
            "LLaMA-3-8B": lambda: LlamaForCausalLM(LlamaConfig(vocab_size=128_256, intermediate_size=14_336,
                                                               num_key_value_heads=8, **llama)),
            "GPT-3": lambda: GPT2LMHeadModel(GPT2Config(n_embd=12_288, n_layer=96, n_head=96, n_positions=2_048)),
            }[name]()


@pytest.mark.parametrize("name, published", [("GPT-2 small", 124e6), ("BERT-base", 110e6),
                                             ("LLaMA-2-7B", 6.7e9), ("LLaMA-3-8B", 8.0e9), ("GPT-3", 175e9)])
def test_presets_against_transformers_and_published_sizes(name, published):
    preset = PRESETS[name]
    with torch.device("meta"):                     # shapes only, no memory
        model = build(name)
    assert numel(model) == preset.total_params
    assert preset.total_params == pytest.approx(published, rel=0.01)
    assert model.get_input_embeddings().weight.shape == (preset.vocab, preset.dim)
    output = model.get_output_embeddings()
    assert preset.tied == (output is None or output.weight is model.get_input_embeddings().weight)


def test_embedding_shares():
    assert embedding_share(PRESETS["GPT-2 small"]) == pytest.approx(1 / 3, abs=0.03)   # about a third
    assert embedding_share(PRESETS["GPT-3"]) < 0.01
    assert embedding_share(PRESETS["Recommender, 10M items"]) is None


def test_minilm_preset_read_from_the_package():
    from engine.contextual import load_minilm

    _, model = load_minilm()
    preset = minilm_preset()
    assert (preset.vocab, preset.dim) == (30_522, 384) and preset.total_params == numel(model)
    assert list(all_presets())[-2:] == [preset.name, "Recommender, 10M items"]


def test_rules_of_thumb():  # V = 10,000: 10, 1.6·100, 1.6·10^(4·0.56) = 1.6·173.8
    assert rule_dimensions(10_000) == {"V^¼ (TensorFlow's guide)": 10, "1.6·√V": 160,
                                       "min(600, 1.6·V^0.56) (fast.ai)": 278, "min(50, (V+1)/2) (categorical)": 50}
    assert rule_dimensions(3)["min(50, (V+1)/2) (categorical)"] == 2


@pytest.mark.parametrize("args, message", [
    ((0, 64), "vocabulary V must be a whole number from 1"), ((100, 0), "dimension d must be"),
    ((10**11, 64), "vocabulary V must be"), ((100, 64, "fp8"), "unknown dtype 'fp8'"),
])
def test_bad_sizes(args, message):
    with pytest.raises(ValueError, match=message):
        embedding_cost(*args)
