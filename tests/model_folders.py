"""Small model folders for the tests, built the way real ones are: tokenizers trained with the
`tokenizers` library on gensim's Lee corpus (byte-level BPE as GPT-2's, SentencePiece Unigram
and BPE with byte fallback as LLaMA's), weights written with safetensors, sharded with an
index, and laid out as a Hugging Face cache snapshot."""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import numpy as np

SPECIALS = ["<pad>", "<unk>", "<s>", "</s>"]
VOCAB = 400
DIM = 16


def lee_lines(count: int = 400) -> list[str]:
    from engine.evaluate import gensim_datapath

    lines = gensim_datapath("lee_background.cor").read_text(encoding="utf-8").splitlines()[:count]
    return lines + ["héllo wörld — “quotes” ½ 日本語", "tabs\tand\nnew lines"]


def byte_level_tokenizer(vocab: int = VOCAB) -> str:
    from tokenizers.implementations import ByteLevelBPETokenizer

    tokenizer = ByteLevelBPETokenizer()
    tokenizer.train_from_iterator(lee_lines(), vocab_size=vocab, special_tokens=SPECIALS[:2], show_progress=False)
    return tokenizer.to_str()


def sentencepiece_tokenizer(vocab: int = VOCAB) -> str:
    from tokenizers.implementations import SentencePieceUnigramTokenizer

    tokenizer = SentencePieceUnigramTokenizer()
    tokenizer.train_from_iterator(lee_lines(), vocab_size=vocab, special_tokens=SPECIALS, unk_token="<unk>",
                                  show_progress=False)
    return tokenizer.to_str()


def byte_fallback_tokenizer(vocab: int = VOCAB) -> str:
    """SentencePiece-style BPE with byte fallback (LLaMA's layout): <0x00>…<0xFF> first."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    tokenizer = Tokenizer(models.BPE(unk_token="<unk>", byte_fallback=True))
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace()
    tokenizer.decoder = decoders.Sequence([decoders.Metaspace(), decoders.ByteFallback(), decoders.Fuse()])
    bytes_ = [f"<0x{b:02X}>" for b in range(256)]
    trainer = trainers.BpeTrainer(vocab_size=vocab, special_tokens=SPECIALS[:3] + bytes_, show_progress=False)
    tokenizer.train_from_iterator(lee_lines(), trainer)
    document = json.loads(tokenizer.to_str())      # LLaMA keeps its byte tokens in the vocabulary,
    document["added_tokens"] = [t for t in document["added_tokens"] if t["content"] not in bytes_]
    return json.dumps(document)


def rows(count: int, dim: int = DIM, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((count, dim)).astype(np.float32)


def write_folder(folder: Path, tokenizer: str | None, tensors: dict[str, np.ndarray], config: dict,
                 shards: list[list[str]] | None = None) -> Path:
    """config.json, tokenizer.json and the tensors: one model.safetensors, or the shards
    (lists of tensor names) with model.safetensors.index.json."""
    from safetensors.numpy import save_file

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(json.dumps(config))
    if tokenizer is not None:
        (folder / "tokenizer.json").write_text(tokenizer)
    if shards is None:
        save_file(tensors, str(folder / "model.safetensors"))
        return folder
    weight_map = {}
    for i, names in enumerate(shards, 1):
        file = f"model-{i:05d}-of-{len(shards):05d}.safetensors"
        save_file({n: tensors[n] for n in names}, str(folder / file))
        weight_map.update({n: file for n in names})
    (folder / "model.safetensors.index.json").write_text(json.dumps({"metadata": {}, "weight_map": weight_map}))
    return folder


def gpt2_folder(folder: Path, head: str = "tied", vocab: int = VOCAB) -> tuple[Path, np.ndarray]:
    """A GPT-2-like folder (byte-level BPE). head: 'tied' (no lm_head), 'twice' (lm_head =
    wte, stored), 'untied' (its own lm_head). Returns (folder, the wte rows)."""
    tokenizer = byte_level_tokenizer(vocab)
    size = json.loads(tokenizer)["model"]["vocab"].__len__()
    wte = rows(size)
    tensors = {"transformer.wte.weight": wte, "transformer.wpe.weight": rows(64, seed=1),
               "transformer.h.0.ln_1.weight": np.ones(DIM, np.float32)}
    if head == "twice":
        tensors["lm_head.weight"] = wte.copy()
    elif head == "untied":
        tensors["lm_head.weight"] = rows(size, seed=2)
    config = {"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "vocab_size": size, "n_embd": DIM,
              "initializer_range": 0.02, "tie_word_embeddings": head != "untied"}
    return write_folder(folder, tokenizer, tensors, config), wte


def llama_folder(folder: Path, tokenizer: str | None = None, extra_rows: int = 0) -> tuple[Path, np.ndarray]:
    """A LLaMA-like folder in three shards (embed_tokens; lm_head; the rest), untied.
    `extra_rows`: the table has that many rows past the tokenizer's last id."""
    tokenizer = tokenizer or sentencepiece_tokenizer()
    size = len(json.loads(tokenizer)["model"]["vocab"]) + extra_rows
    embed = rows(size, seed=3)
    tensors = {"model.embed_tokens.weight": embed, "lm_head.weight": rows(size, seed=4),
               "model.norm.weight": np.ones(DIM, np.float32)}
    config = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": size,
              "hidden_size": DIM, "tie_word_embeddings": False, "pad_token_id": 0}
    return write_folder(folder, tokenizer, tensors, config,
                        shards=[["model.embed_tokens.weight"], ["lm_head.weight"], ["model.norm.weight"]]), embed


def as_cache_snapshot(folder: Path, cache: Path, repo: str = "org--tiny-model") -> Path:
    """The folder laid out as the Hugging Face hub cache does: blobs named by their hash,
    snapshots/<commit>/ holding links into them, refs/main naming the commit. Returns the
    repository's cache folder (models--org--tiny-model)."""
    root = cache / f"models--{repo}"
    commit = hashlib.sha1(repo.encode()).hexdigest()
    snapshot = root / "snapshots" / commit
    (root / "blobs").mkdir(parents=True)
    snapshot.mkdir(parents=True)
    for file in folder.iterdir():
        digest = hashlib.sha256(file.read_bytes()).hexdigest()
        shutil.copyfile(file, root / "blobs" / digest)
        (snapshot / file.name).symlink_to(Path("..") / ".." / "blobs" / digest)
    (root / "refs").mkdir()
    (root / "refs" / "main").write_text(commit)
    return root
