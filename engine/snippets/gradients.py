"""The Gradients and optimisers page's snippets: W.grad of one sentence, padding_idx, the
rows each optimiser moves, and the updates each row gets in one epoch."""
from engine.snippets.common import LEE_SENTENCES, MINILM_IMPORTS, MINILM_MODEL
from engine.snippets.template import SnippetTemplate

LEE_IMPORTS = '''import importlib.util
import re
from pathlib import Path

''' + MINILM_IMPORTS
TABLE = MINILM_MODEL + '''W = model.embeddings.word_embeddings.weight.detach()        # (V, d) = (30522, 384)
'''
W_GRAD = SnippetTemplate("gradients.w_grad", '''
"""The backward pass of an embedding layer: each token's gradient is added into the row it
read; every other row of W.grad is 0."""
''' + MINILM_IMPORTS + '''
sentence = $gradients_sentence
''' + TABLE + '''ids = torch.tensor(tokenizer(sentence)["input_ids"])        # (T,)
upstream = torch.randn(len(ids), W.shape[1], generator=torch.Generator().manual_seed(0))  # (T, d) dL/d(output)
dense = torch.nn.Embedding.from_pretrained(W.clone(), freeze=False)
sparse = torch.nn.Embedding.from_pretrained(W.clone(), freeze=False, sparse=True)
for layer in (dense, sparse):
    (layer(ids) * upstream).sum().backward()                # a loss whose gradient at the output is `upstream`
rows = dense.weight.grad.abs().sum(1).nonzero().flatten()   # (U,) rows with a gradient
expected = torch.zeros_like(W).index_add_(0, ids, upstream) # each token's vector summed into its row
print(f"rows with a gradient: {len(rows)} of {len(W):,}")
print(f"max |grad − sum of its tokens' vectors|: {(dense.weight.grad - expected).abs().max():g}")
print(f"dense W.grad: {dense.weight.grad.numel() * 4:,} bytes")
print(f"sparse W.grad: {sparse.weight.grad._nnz() * (8 + W.shape[1] * 4):,} bytes")  # (int64 id, d floats) a token
''', {"gradients_sentence": "The cat chased the other cat."})

PADDING = SnippetTemplate("gradients.padding", '''
"""padding_idx: the [PAD] row gets no gradient and never moves, however often it is read."""
''' + MINILM_IMPORTS + '''
batch = $padding_batch
''' + TABLE + '''ids = torch.tensor(tokenizer(batch, padding=True)["input_ids"]).flatten()  # (B·T,) [PAD] fills the short one
pad = tokenizer.pad_token_id
print(f"[PAD] tokens in the batch: {int((ids == pad).sum())}")
fresh = torch.nn.Embedding(*W.shape, padding_idx=pad).weight.detach()  # a new layer zeroes its [PAD] row
for name, start, digits in (("MiniLM", W, ".3f"), ("fresh layer", fresh, "g")):
    layer = torch.nn.Embedding.from_pretrained(start.clone(), freeze=False, padding_idx=pad)
    optimiser = torch.optim.SGD(layer.parameters(), lr=0.1)
    for step in range(5):
        optimiser.zero_grad()
        upstream = torch.randn(len(ids), W.shape[1], generator=torch.Generator().manual_seed(step))  # (T, d)
        (layer(ids) * upstream).sum().backward()
        if step == 0:
            print(f"‖grad of [PAD]‖, {name}: {layer.weight.grad[pad].norm():g}")
        optimiser.step()
    print(f"[PAD] row before → after, {name}: {start[pad].norm():{digits}} → {layer.weight[pad].norm():{digits}}")
''', {"padding_batch": ["The cat sat.", "The bank raised its rates again today."]})

OPTIMISERS = SnippetTemplate("gradients.optimisers", '''
"""Which rows an optimiser step moves: SGD only the rows the batch read; momentum and Adam
keep moving rows read earlier; AdamW's decay moves them all."""
''' + LEE_IMPORTS + '''
steps, lr = $optimisers_steps, $optimisers_lr
''' + TABLE + LEE_SENTENCES + '''batches = [torch.tensor(tokenizer(s)["input_ids"]) for s in sentences[:steps]]  # one sentence a step
optimisers = {"SGD": lambda p: torch.optim.SGD(p, lr=lr),
              "SGD, momentum 0.9": lambda p: torch.optim.SGD(p, lr=lr, momentum=0.9),
              "Adam": lambda p: torch.optim.Adam(p, lr=lr),
              "AdamW, decay 0.01": lambda p: torch.optim.AdamW(p, lr=lr, weight_decay=0.01),
              "SparseAdam (sparse layer)": lambda p: torch.optim.SparseAdam(list(p), lr=lr)}
for name, make in optimisers.items():
    layer = torch.nn.Embedding.from_pretrained(W.clone(), freeze=False, sparse=name.startswith("Sparse"))
    optimiser, changed, unread = make(layer.parameters()), [], []
    for step, ids in enumerate(batches):
        optimiser.zero_grad()
        upstream = torch.randn(len(ids), W.shape[1], generator=torch.Generator().manual_seed(step))  # (T, d)
        (layer(ids) * upstream).sum().backward()
        before = layer.weight.detach().clone()
        optimiser.step()
        moved = (layer.weight.detach() != before).any(1)    # (V,) rows this step changed
        changed.append(int(moved.sum()))
        unread.append(int((moved & ~torch.zeros_like(moved).index_fill_(0, ids, True)).sum()))
    print(f"{name}, rows changed at each step: {changed}")
    print(f"{name}, of those, rows the batch never read: {unread}")
''', {"optimisers_steps": 5, "optimisers_lr": 0.01})

RARE = SnippetTemplate("gradients.rare", '''
"""How many updates each row gets in one epoch of the Lee corpus: one per batch that reads it."""
''' + LEE_IMPORTS + '''
batch_size, marked = $rare_batch, $marked
''' + MINILM_MODEL + LEE_SENTENCES + '''ids = tokenizer(sentences, add_special_tokens=False)["input_ids"]   # one id list per sentence
updates = torch.zeros(tokenizer.vocab_size, dtype=torch.long)      # (V,)
for start in range(0, len(ids), batch_size):
    updates[list({i for sentence in ids[start:start + batch_size] for i in sentence})] += 1  # once per batch
print(f"tokens: {sum(map(len, ids)):,}")
print(f"batches: {-(-len(ids) // batch_size):,}")
print(f"rows never updated in one epoch: {(updates == 0).double().mean():.1%}")
for token in (token for token in marked if token in tokenizer.vocab):
    count = int(updates[tokenizer.vocab[token]])
    print(f"{token}: rank {1 + int((updates > count).sum()):,}, {count:,} updates")
''', {"rare_batch": 8, "rare_words": "the, government, cricket, kangaroo"},
    lambda s: {"marked": repr([w.strip() for w in s["rare_words"].split(",") if w.strip()])})

TEMPLATES = [W_GRAD, PADDING, OPTIMISERS, RARE]
