"""tokenizer.json read without the tokenizers library, checked against it: the string of every
token (WordPiece, byte-level BPE with "Ġ" as a space, SentencePiece's "▁" as a space, byte
fallback), special and added tokens; which tokens the tokenizer never produces; bad files."""
import json
import re

import numpy as np
import pytest
from tokenizers import Tokenizer

from engine.readers.limits import MAX_TOKENIZER_JSON, FileFormatError
from engine.readers.tokenizer_json import byte_decoder, parse_tokenizer_json
from engine.sources import minilm_path
from engine.token_status import token_statuses
from tests.model_folders import byte_fallback_tokenizer, byte_level_tokenizer, lee_lines, sentencepiece_tokenizer


def printable(text: str) -> str:
    """Control characters as Python writes them in a string literal (\\n, \\x00)."""
    return re.sub(r"[\x00-\x1f\x7f]", lambda m: repr(m.group())[1:-1], text)


@pytest.fixture(scope="module")
def minilm_text():
    return (minilm_path() / "tokenizer.json").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def byte_level():
    return byte_level_tokenizer()


@pytest.fixture(scope="module")
def unigram():
    return sentencepiece_tokenizer()


@pytest.fixture(scope="module")
def fallback():
    return byte_fallback_tokenizer()


def test_wordpiece_strings_are_minilm_vocab_txt(minilm_text):
    vocabulary = parse_tokenizer_json(minilm_text)
    words = (minilm_path() / "vocab.txt").read_text(encoding="utf-8").split("\n")[:30_522]
    reference = Tokenizer.from_str(minilm_text)
    assert vocabulary.kind == "WordPiece" and vocabulary.size == 30_522
    assert [vocabulary.display(i) for i in range(30_522)] == words
    assert all(vocabulary.tokens[i] == reference.id_to_token(i) for i in range(0, 30_522, 7))
    assert vocabulary.special == {0, 100, 101, 102, 103}
    assert [vocabulary.display(i) for i in sorted(vocabulary.special)] == ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def test_byte_level_strings_are_what_tokenizers_decodes(byte_level):
    vocabulary = parse_tokenizer_json(byte_level)
    reference = Tokenizer.from_str(byte_level)
    assert vocabulary.byte_level and not vocabulary.metaspace
    whole = partial = 0
    for i in range(vocabulary.size):
        raw = bytes(byte_decoder()[c] for c in reference.id_to_token(i)) if i not in vocabulary.added else None
        if raw is not None and not vocabulary.shown[i][1]:        # bytes of part of a character
            partial += 1
            assert "<0x" in vocabulary.display(i) and reference.decode([i]).count("\ufffd") >= 1
            continue
        whole += 1
        expected = reference.decode([i], skip_special_tokens=False)
        assert vocabulary.display(i) == printable(expected), i
    assert whole > 200 and partial == 128           # each byte 0x80–0xFF alone is part of a character
    spaced = [i for i in range(vocabulary.size) if reference.id_to_token(i).startswith("Ġ")]
    assert spaced and all(vocabulary.display(i).startswith(" ") for i in spaced)


@pytest.mark.parametrize("kind", ["unigram", "fallback"])
def test_sentencepiece_strings_show_the_space(kind, request):
    text = request.getfixturevalue(kind)
    vocabulary = parse_tokenizer_json(text)
    reference = Tokenizer.from_str(text)
    assert vocabulary.metaspace and not vocabulary.byte_level
    for i in range(vocabulary.size):
        token = reference.id_to_token(i)
        assert vocabulary.display(i) == printable(token.replace("▁", " "))
    words = [i for i in range(vocabulary.size)
             if reference.id_to_token(i).startswith("▁") and len(reference.id_to_token(i)) > 2]
    # decoded after another word, a "▁" piece is its text with a space in front
    first = reference.token_to_id("▁the") or words[0]
    assert reference.decode([first, words[1]]).endswith(vocabulary.display(words[1]))


def test_byte_fallback_and_special_statuses(fallback):
    vocabulary = parse_tokenizer_json(fallback)
    status = token_statuses(vocabulary, vocabulary.size)
    reference = Tokenizer.from_str(fallback)
    fallbacks = np.flatnonzero(status == "byte fallback")
    assert len(fallbacks) == 256 and vocabulary.byte_fallback
    # a character the vocabulary lacks is spelled with exactly these byte tokens
    spelled = reference.encode("ж", add_special_tokens=False).ids
    assert set(spelled) - {reference.token_to_id("▁")} <= set(fallbacks.tolist())
    assert {vocabulary.display(i) for i in np.flatnonzero(status == "special")} == {"<pad>", "<unk>", "<s>"}


def test_every_token_the_corpus_encodes_to_is_produced(byte_level, unigram):
    """Sound check from the other side: a token that encoding real text yields is never
    called 'never produced'."""
    for text in (byte_level, unigram):
        vocabulary = parse_tokenizer_json(text)
        status = token_statuses(vocabulary, vocabulary.size)
        reference = Tokenizer.from_str(text)
        seen = {i for e in reference.encode_batch(lee_lines(), add_special_tokens=False) for i in e.ids}
        assert seen and all(status[i] in ("produced", "part of a character") for i in seen)


def test_minilm_unused_tokens_and_split_punctuation_are_never_produced(minilm_text):
    vocabulary = parse_tokenizer_json(minilm_text)
    status = token_statuses(vocabulary, 30_522)
    keys = [vocabulary.display(i) for i in range(30_522)]
    unused = np.array([k.startswith("[unused") for k in keys])
    assert unused.sum() == 994 and (status[unused] == "never produced").all()
    reference = Tokenizer.from_str(minilm_text)
    reference.no_padding()                  # the file pads every encoding to 128 with [PAD]
    # BERT's pre-tokenizer splits punctuation off every word, so "##)" can never follow a piece
    for piece in ("##)", "##。", "..."):
        i = vocabulary.tokens.index(piece)
        assert status[i] == "never produced"
        assert i not in reference.encode(f"a{piece.removeprefix('##')} b", add_special_tokens=False).ids
    assert status[vocabulary.tokens.index("##ing")] == "produced"
    assert status[vocabulary.tokens.index("king")] == "produced"
    seen = {i for e in reference.encode_batch(lee_lines(2_000), add_special_tokens=False) for i in e.ids}
    assert len(seen) > 5_000 and all(status[i] != "never produced" for i in seen)


def test_a_table_longer_than_the_tokenizer_has_rows_without_a_token(byte_level):
    vocabulary = parse_tokenizer_json(byte_level)
    status = token_statuses(vocabulary, vocabulary.size + 5)
    assert (status[-5:] == "no token").all()


@pytest.mark.parametrize("data, message", [
    (b"{\"model\": ", "tokenizer.json is not JSON: Expecting value at line 1, column 11"),
    (b"[1, 2]", "is JSON but not a tokenizer"),
    (b"\xff\xfe", "is not UTF-8"),
    (json.dumps({"model": {"type": "Magic", "vocab": {}}}).encode(), "model type 'Magic' is not one of"),
    (json.dumps({"model": {"type": "WordPiece", "vocab": {"a": -1}}}).encode(), "token 'a' has id -1"),
    (json.dumps({"model": {"type": "BPE", "vocab": {}, "merges": []}}).encode(), "empty vocabulary"),
])
def test_bad_tokenizer_json_is_one_line(data, message):
    with pytest.raises(FileFormatError, match=message.replace("(", r"\(")) as error:
        parse_tokenizer_json(data)
    assert "\n" not in str(error.value)


def test_a_huge_tokenizer_json_is_refused_by_its_size():
    class Huge(bytes):
        def __len__(self):
            return 500 << 20

    with pytest.raises(FileFormatError, match="tokenizer.json is 500.0 MiB; a tokenizer.json may be at most 64.0 MiB"):
        parse_tokenizer_json(Huge(b"{}"))
    assert MAX_TOKENIZER_JSON == 64 << 20
