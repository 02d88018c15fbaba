"""The geometry of a table: anisotropy (the narrow cone), isotropy scores, hubness,
frequency effects, and the known fixes (centring, all-but-the-top, whitening, CSLS).

One module per family of measures; everything is importable from here
(`from engine import geometry as geo; geo.anisotropy(table)`).

References: Mu & Viswanath 2018 (I(W), all-but-the-top), Rudman et al. 2022 (IsoScore),
Radovanović et al. 2010 (hubness), Feldbauer et al. 2018 (Robin Hood index),
Su et al. 2021 (BERT-whitening), Conneau et al. 2018 (CSLS).
"""
from engine.geometry.cone import (
                                  Anisotropy,
                                  Moments,
                                  anisotropy,
                                  describe_cone,
                                  isoscore,
                                  mean_pairwise_cosine,
                                  moments,
                                  partition_isotropy,
                                  sample_pair_cosines,
)
from engine.geometry.fixes import (
                                  all_but_the_top,
                                  benchmark_scores,
                                  centre,
                                  default_removed_components,
                                  measures,
                                  whiten,
)
from engine.geometry.frequency import FrequencyProfile, frequency_profile
from engine.geometry.hubness import (
                                  Hubness,
                                  csls_hubness,
                                  csls_most_similar,
                                  csls_penalty,
                                  csls_word_pairs,
                                  hubness,
                                  hubness_from_indices,
)
from engine.geometry.neighbours import NeighbourGraph, exact_neighbours, neighbour_graph
from engine.geometry.rows import Progress

__all__ = ["Anisotropy", "FrequencyProfile", "Hubness", "Moments", "NeighbourGraph", "Progress",
           "all_but_the_top", "anisotropy", "benchmark_scores", "centre", "csls_hubness",
           "csls_most_similar", "csls_penalty", "csls_word_pairs", "default_removed_components", "describe_cone",
           "exact_neighbours", "frequency_profile", "hubness", "hubness_from_indices", "isoscore",
           "mean_pairwise_cosine", "measures", "moments", "neighbour_graph", "partition_isotropy",
           "sample_pair_cosines", "whiten"]
