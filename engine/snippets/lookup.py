"""The Lookup page's snippets: rows read by index, one-hot · W, the same row in any sentence,
and BERT's input (token + position + segment rows, then LayerNorm)."""
from engine.examples import SAME_ROW_SENTENCES
from engine.snippets.common import MINILM_IMPORTS, MINILM_MODEL
from engine.snippets.template import SnippetTemplate

SENTENCES = {"lookup_sentence": "The cat sat.", "lookup_second": ""}
TOKENS = '''
sentence, second = $lookup_sentence, $lookup_second         # the page's sentences (B may be empty)
''' + MINILM_MODEL + '''encoded = tokenizer(sentence, second or None)               # WordPiece: [CLS] A [SEP] (B [SEP])
ids = torch.tensor(encoded["input_ids"])                    # (T,)
'''

ROWS = SnippetTemplate("lookup.rows", '''
"""Lookup: an embedding layer reads one row of its V × d table per token id; nothing is
multiplied."""
''' + MINILM_IMPORTS + TOKENS + '''layer = model.embeddings.word_embeddings                    # torch.nn.Embedding(30522, 384)
rows = layer(ids)                                           # (T, 384): row ids[t] for token t
print("tokens:", " ".join(tokenizer.convert_ids_to_tokens(ids)))
print("ids:", ", ".join(map(str, ids.tolist())))
print("segments:", ", ".join(map(str, encoded["token_type_ids"])))
print(f"rows: {len(ids)} tokens select {len(set(ids.tolist()))} of {layer.num_embeddings:,}")
''', SENTENCES)

ONE_HOT = SnippetTemplate("lookup.one_hot", '''
"""One-hot · W gives exactly the rows indexing reads, at the cost of a V × d product per token."""
import timeit

''' + MINILM_IMPORTS + TOKENS + '''W = model.embeddings.word_embeddings.weight.detach()        # (V, d) = (30522, 384)
one_hot = torch.nn.functional.one_hot(ids, len(W)).float()  # (T, V)
print(f"max |lookup − one-hot · W|: {(W[ids] - one_hot @ W).abs().max():g}")
print(f"numbers read: {len(ids) * W.shape[1]:,}")
print(f"multiply-adds: {len(ids) * W.shape[0] * W.shape[1]:,}")
index, product = (min(timeit.repeat(run, number=1, repeat=5)) for run in (lambda: W[ids], lambda: one_hot @ W))
print(f"on this machine one-hot · W is slower by {product / index:,.0f}×")
''', SENTENCES)

SAME_ROW = SnippetTemplate("lookup.same_row", '''
"""The same token id reads the same row in every sentence, whatever the sentence means."""
''' + MINILM_IMPORTS + '''
token, sentences = $lookup_static_token, $sentences
''' + MINILM_MODEL + '''layer = model.embeddings.word_embeddings                    # torch.nn.Embedding(30522, 384)
token_id = tokenizer.convert_tokens_to_ids(token)
rows = []
for sentence in sentences:
    ids = tokenizer(sentence)["input_ids"]                  # (T,)
    rows.append(layer(torch.tensor(ids))[ids.index(token_id)])   # (384,) at the token's first place
rows = torch.stack(rows)                                    # (S, 384)
print(f"id of {token}: {token_id}")
print(f"largest difference between the rows: {(rows.max(0).values - rows.min(0).values).max():g}")
''', {"lookup_static_token": "bank", "sentences": list(SAME_ROW_SENTENCES)})

BERT_INPUT = SnippetTemplate("lookup.bert_input", '''
"""BERT's input: token + position + segment rows, then LayerNorm, by hand and by transformers."""
''' + MINILM_IMPORTS + TOKENS + '''segments = torch.tensor(encoded["token_type_ids"])          # (T,) 0 for A, 1 for B
parts = model.embeddings
with torch.no_grad():
    rows = {"token rows": parts.word_embeddings.weight[ids],                 # (T, 384) each
            "position rows": parts.position_embeddings.weight[: len(ids)],   # learned, positions 0…T−1
            "segment rows": parts.token_type_embeddings.weight[segments]}
    rows["sum"] = rows["token rows"] + rows["position rows"] + rows["segment rows"]
    mean = rows["sum"].mean(-1, keepdim=True)
    variance = ((rows["sum"] - mean) ** 2).mean(-1, keepdim=True)
    rows["LayerNorm(sum)"] = ((rows["sum"] - mean) / torch.sqrt(variance + parts.LayerNorm.eps)
                              * parts.LayerNorm.weight + parts.LayerNorm.bias)
    reference = parts(input_ids=ids[None], token_type_ids=segments[None])[0]   # (T, 384)
print(f"max |by hand − transformers|: {(rows['LayerNorm(sum)'] - reference).abs().max():.1e}")
for name, part in rows.items():
    print(f"‖{name}‖ per token: " + ", ".join(f"{norm:.3f}" for norm in part.norm(dim=1).tolist()))
''', SENTENCES)

TEMPLATES = [ROWS, ONE_HOT, SAME_ROW, BERT_INPUT]
