"""Training an embedding table from text: corpora, word2vec and fastText (gensim), GloVe and
skip-gram with negative sampling (PyTorch), the per-epoch reports, and the run that ties
them together (`engine.train.run.train`)."""
