"""The embedding layer itself, in PyTorch on real weights: one module per idea.

lookup      a row read by index equals one-hot · W; BERT's input = token + position + segment rows
gradients   only the rows a batch used get a gradient; padding_idx; sparse gradients
optimisers  which rows each optimiser moves, step by step; updates per row over a corpus
init_scale  initialisation schemes against trained tables; scaling by √d against positions
memory      parameters and bytes of an embedding table, real model presets, dimension rules
frozen      a bag-of-embeddings classifier on GloVe rows: frozen, fine-tuned or random

Shapes: V rows (vocabulary), d dimensions, T tokens, B batches.
"""
