"""The Load page's model folder in AppTest: its files or a zip, the output embedding as a
second source, the tensor asked about when several fit, and a bad folder in one line."""
import io
import json
import zipfile

from tests.apptest import run_page
from tests.model_folders import DIM, byte_level_tokenizer, llama_folder, rows, write_folder


def open_folder(files, name=None):
    at = run_page("views/load.py")
    at.file_uploader(key="model_files").set_value(files).run()
    if name:
        at.text_input(key="model_folder_name").set_value(name).run()
    next(b for b in at.button if b.label == "Open the model folder").click().run()
    assert not at.exception
    return at


def folder_files(folder):
    return [(p.name, p.read_bytes(), "application/octet-stream") for p in sorted(folder.iterdir())]


def test_a_sharded_folder_as_files(tmp_path):
    folder, embed = llama_folder(tmp_path / "llama")
    at = open_folder(folder_files(folder), "llama")
    assert not at.error, [e.value for e in at.error]
    assert at.success[0].value.startswith(f"Opened llama: {len(embed):,} tokens × {DIM} from model.embed\\_tokens")
    assert "It is a source too: llama-output." in at.info[0].value
    assert at.sidebar.selectbox[0].value == "llama"
    assert {"llama", "llama-output"} <= set(at.session_state["user_sources"])
    table = at.session_state["user_sources"]["llama"]
    assert " the" in table.key_to_index and table.metadata["kind"].iloc[0] == "special"


def test_a_zip_named_after_its_folder(tmp_path):
    folder, _ = llama_folder(tmp_path / "llama")
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        for path in folder.iterdir():
            archive.write(path, f"my-model/{path.name}")
    at = run_page("views/load.py")
    at.file_uploader(key="model_files").set_value([("my-model.zip", packed.getvalue(), "application/zip")]).run()
    assert at.text_input(key="model_folder_name").value == "my-model"
    next(b for b in at.button if b.label == "Open the model folder").click().run()
    assert not at.error and at.sidebar.selectbox[0].value == "my-model"


def test_the_tensor_is_asked_about_when_several_fit(tmp_path):
    tokenizer = byte_level_tokenizer()
    size = len(json.loads(tokenizer)["model"]["vocab"])
    folder = write_folder(tmp_path / "pair", tokenizer, {"encoder.embed_tokens.weight": rows(size),
                                                         "decoder.embed_tokens.weight": rows(size, seed=1)},
                          {"vocab_size": size})
    at = open_folder(folder_files(folder))
    assert "2 tensors could be the token table" in at.error[0].value
    at.selectbox(key="model_tensor").set_value("encoder.embed_tokens.weight").run()
    next(b for b in at.button if b.label == "Open the model folder").click().run()
    assert not at.error, [e.value for e in at.error]
    assert "from encoder.embed\\_tokens.weight" in at.success[0].value


def test_a_bad_folder_is_one_line(tmp_path):
    folder, _ = llama_folder(tmp_path / "llama")
    files = [f for f in folder_files(folder) if not f[0].startswith("model-00001")]
    at = open_folder(files)
    assert len(at.error) == 1 and "the index puts model.embed\\_tokens.weight in model-00001" in at.error[0].value
