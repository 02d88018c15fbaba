"""Model folders: the token table found and named by its tokens, the output embedding compared
with it, shards read through their index (and only those needed), a Hugging Face cache as it
lies, uploads and zips, and every kind of bad folder in one line."""
import io
import json
import os
import zipfile

import numpy as np
import pytest
from safetensors.numpy import load_file, save_file

from engine.readers.limits import FileFormatError
from engine.readers.model_folder import SeveralTables, read_model_folder
from engine.sources import load_source, minilm_path
from tests.model_folders import (
    DIM,
    as_cache_snapshot,
    byte_level_tokenizer,
    gpt2_folder,
    llama_folder,
    rows,
    write_folder,
)


def test_minilm_package_folder():
    model = read_model_folder(minilm_path())
    words = (minilm_path() / "vocab.txt").read_text(encoding="utf-8").split("\n")[:30_522]
    weights = load_file(str(minilm_path() / "model.safetensors"))["embeddings.word_embeddings.weight"]
    assert model.input_tensor == "embeddings.word_embeddings.weight"
    assert model.input.index_to_key == words and np.array_equal(model.input.vectors, weights)
    assert model.tying == "no output layer" and model.output is None and "BertModel" in model.tying_reason
    kinds = model.input.metadata["kind"]
    assert kinds[0] == "special" and (kinds == "special").sum() == 5 and kinds[2000] == "vocabulary"
    assert model.init_std == 0.02 and model.pad_row == 0 and model.files_read == ("model.safetensors",)
    assert model.vocabulary.kind == "WordPiece" and model.notes == ()


@pytest.mark.parametrize("head, tying", [("tied", "tied"), ("twice", "tied, stored twice"), ("untied", "untied")])
def test_gpt2_output_embedding_is_compared(tmp_path, head, tying):
    folder, wte = gpt2_folder(tmp_path / "gpt2", head)
    model = read_model_folder(folder)
    assert model.input_tensor == "transformer.wte.weight" and np.array_equal(model.input.vectors, wte)
    assert model.tying == tying
    if head == "untied":
        lm_head = load_file(str(folder / "model.safetensors"))["lm_head.weight"]
        assert np.array_equal(model.output.vectors, lm_head) and model.output.name == "gpt2-output"
        cosine = np.mean(np.sum(wte * lm_head, 1) / np.linalg.norm(wte, axis=1) / np.linalg.norm(lm_head, axis=1))
        assert f"mean cosine of a token's two rows {cosine:.3f}" in model.tying_reason
        assert "tie_word_embeddings = false" in model.tying_reason
    else:
        assert model.output is None
    spaced = [k for k in model.input.index_to_key if k.startswith(" ")]
    assert spaced and "Ġ" not in "".join(model.input.index_to_key)


def test_config_says_tied_but_the_head_differs(tmp_path):
    folder, _ = gpt2_folder(tmp_path / "gpt2", "untied")
    config = json.loads((folder / "config.json").read_text())
    (folder / "config.json").write_text(json.dumps(config | {"tie_word_embeddings": True}))
    assert "the config says tied, yet they differ" in read_model_folder(folder).tying_reason


def test_bfloat16_table_is_widened_exactly(tmp_path):
    import torch

    values = torch.randn(50, DIM).to(torch.bfloat16)
    bits = values.view(torch.int16).numpy().view(np.uint16)
    path = tmp_path / "bf16"
    path.mkdir()
    header = json.dumps({"model.embed_tokens.weight": {"dtype": "BF16", "shape": [50, DIM],
                                                       "data_offsets": [0, bits.nbytes]}}).encode()
    (path / "model.safetensors").write_bytes(len(header).to_bytes(8, "little") + header + bits.tobytes())
    model = read_model_folder(path)
    assert np.array_equal(model.input.vectors, values.float().numpy())
    assert "no config.json" in model.notes[0] and "no tokenizer.json or vocab.txt" in model.notes[1]


def test_shards_are_read_through_the_index_and_only_the_needed_ones(tmp_path):
    folder, embed = llama_folder(tmp_path / "llama")
    (folder / "model-00003-of-00003.safetensors").write_bytes(b"not a safetensors file at all")
    model = read_model_folder(folder)
    assert np.array_equal(model.input.vectors, embed) and model.tying == "untied"
    assert model.files_read == ("model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors")
    assert model.pad_row == 0 and model.vocabulary.kind == "Unigram"
    (folder / "model-00003-of-00003.safetensors").unlink()
    assert "1 shard(s) named in the index are not here (model-00003-of-00003.safetensors)" in \
        read_model_folder(folder).notes[-1]
    (folder / "model-00001-of-00003.safetensors").unlink()
    with pytest.raises(FileFormatError, match="the index puts model.embed_tokens.weight in "
                       "model-00001-of-00003.safetensors, which is not in"):
        read_model_folder(folder)


def test_a_hugging_face_cache_folder_as_it_lies(tmp_path):
    folder, wte = gpt2_folder(tmp_path / "gpt2", "tied")
    repo = as_cache_snapshot(folder, tmp_path / "hub")
    snapshot = next((repo / "snapshots").iterdir())
    assert (snapshot / "model.safetensors").is_symlink()
    for where in (repo, snapshot, repo / "snapshots"):
        model = read_model_folder(where)
        assert model.input.name == "tiny-model" and np.array_equal(model.input.vectors, wte)
    assert load_source(str(repo)).name == "tiny-model"


def test_uploaded_files_and_a_zip_of_the_folder(tmp_path):
    folder, embed = llama_folder(tmp_path / "llama")
    files = [(f"llama/{p.name}", p.read_bytes()) for p in sorted(folder.iterdir())]
    model = read_model_folder(files)
    assert model.input.name == "llama" and np.array_equal(model.input.vectors, embed)
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        for name, data in files:
            archive.writestr(name, data)
    zipped = read_model_folder([("llama.zip", packed.getvalue())])
    assert zipped.input.index_to_key == model.input.index_to_key and zipped.tying == "untied"
    with pytest.raises(FileFormatError, match="is not a readable zip"):
        read_model_folder([("broken.zip", packed.getvalue()[:200])])


def test_several_fitting_tables_are_asked_about(tmp_path):
    tokenizer = byte_level_tokenizer()
    size = len(json.loads(tokenizer)["model"]["vocab"])
    tensors = {"encoder.embed_tokens.weight": rows(size), "decoder.embed_tokens.weight": rows(size, seed=1)}
    folder = write_folder(tmp_path / "pair", tokenizer, tensors, {"vocab_size": size, "d_model": DIM})
    with pytest.raises(SeveralTables, match="2 tensors could be the token table: ") as error:
        read_model_folder(folder)
    assert set(error.value.candidates) == set(tensors)
    chosen = read_model_folder(folder, tensor="decoder.embed_tokens.weight")
    assert np.array_equal(chosen.input.vectors, tensors["decoder.embed_tokens.weight"])
    save_file(tensors | {"shared.weight": rows(size, seed=2)}, str(folder / "model.safetensors"))
    assert read_model_folder(folder).input_tensor == "shared.weight"      # T5 / BART


def test_no_embedding_tensor_is_one_line(tmp_path):
    folder = write_folder(tmp_path / "none", None, {"bias": np.zeros(8, np.float32)}, {"vocab_size": 30})
    with pytest.raises(FileFormatError, match="no embedding tensor in the folder .*none is named like one "
                       r"\(word_embeddings, embed_tokens, wte, shared, embed_in, …\) or has vocab_size = 30 "
                       r"rows; tensors: bias \[8\]$") as error:
        read_model_folder(folder)
    assert "\n" not in str(error.value)
    save_file({"bias": np.zeros(8, np.float32), "encoder.layer.0.weight": rows(12, 8)},
              str(folder / "model.safetensors"))
    with pytest.raises(SeveralTables, match=r"tensors: bias \[8\], encoder.layer.0.weight \[12, 8\]; choose "
                       r"one by name \(--tensor NAME with load or import\)") as error:
        read_model_folder(folder)
    assert error.value.candidates == ("encoder.layer.0.weight",)
    assert len(read_model_folder(folder, tensor="encoder.layer.0.weight").input) == 12
    (folder / "model.safetensors").unlink()
    with pytest.raises(FileFormatError, match="holds no weights: no model.safetensors"):
        read_model_folder(folder)


def test_tokenizer_and_table_sizes_disagree(tmp_path):
    folder, _ = llama_folder(tmp_path / "longer", extra_rows=3)
    model = read_model_folder(folder)
    size = len(model.input) - 3
    assert model.input.index_to_key[-3:] == [f"<row {size}>", f"<row {size + 1}>", f"<row {size + 2}>"]
    assert f"{size + 3:,} rows and tokenizer.json {size:,} tokens: 3 rows have no token string " \
           f"(ids {size:,}–{size + 2:,})" in model.notes[0]
    tokenizer = (folder / "tokenizer.json").read_text()
    small, _ = gpt2_folder(tmp_path / "gpt2", "tied")
    size = len(read_model_folder(small).input)
    (small / "tokenizer.json").write_text(tokenizer)        # a tokenizer of another model, 400 tokens
    wte = rows(size - 10)
    save_file({"transformer.wte.weight": wte}, str(small / "model.safetensors"))
    config = json.loads((small / "config.json").read_text()) | {"vocab_size": size - 10}
    (small / "config.json").write_text(json.dumps(config))
    with pytest.raises(FileFormatError, match=f"tokenizer.json has {size} token ids but transformer.wte.weight "
                       f"has {size - 10} rows: 10 tokens \\(ids {size - 10}–{size - 1}: "):
        read_model_folder(small)


@pytest.mark.parametrize("name, content, message", [
    ("tokenizer.json", b"{not json", "tokenizer.json is not JSON: Expecting property name enclosed in double "
                                     "quotes at line 1, column 2"),
    ("config.json", b"[]", "config.json is JSON but not an object"),
    ("config.json", b"{\"vocab_size\": 3", "config.json is not JSON: Expecting ',' delimiter at line 1"),
    ("model.safetensors.index.json", b"{\"weight_map\": 3}", "has no weight_map of tensor name -> shard file"),
])
def test_bad_json_files_are_one_line(tmp_path, name, content, message):
    folder, _ = llama_folder(tmp_path / "llama")
    (folder / name).write_bytes(content)
    with pytest.raises(FileFormatError, match=message) as error:
        read_model_folder(folder)
    assert "\n" not in str(error.value)


def test_a_500_mb_tokenizer_json_is_refused_unread(tmp_path):
    folder, _ = gpt2_folder(tmp_path / "gpt2", "tied")
    with open(folder / "tokenizer.json", "wb") as handle:
        handle.truncate(500 << 20)                   # sparse: no 500 MiB written or read
    with pytest.raises(FileFormatError, match="tokenizer.json is 500.0 MiB; a tokenizer.json may be at most 64.0 MiB"):
        read_model_folder(folder)
    assert os.stat(folder / "tokenizer.json").st_blocks < 100
