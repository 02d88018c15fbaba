"""The Train page's two presets, trained as the app trains them (in a child process), against
the claims the app makes about them: the run that learns orders word pairs as people do,
too little text does not, and both tables (Geometry's "where the cone is real") have a
narrow cone."""
import pytest

from engine import geometry as geo
from engine.train.corpus import builtin_corpus
from engine.train.job import TrainingJob, train_in_child
from engine.train.report import CHANCE_RHO, LEARNED_RHO, benchmark_scores, describe_rare_vs_frequent, describe_scores
from engine.train.settings import LEARNS, PRESETS, TOO_LITTLE, TrainSettings


@pytest.fixture(scope="module")
def trained():
    progress = {}
    found = {name: train_in_child(builtin_corpus(corpus), settings,
                                  lambda done, total, name=name: progress.setdefault(name, []).append(done))
             for name, (corpus, settings) in PRESETS.items()}
    return found, progress


def test_train_in_child_reports_progress_and_returns_the_run(trained):
    models, progress = trained
    assert progress[TOO_LITTLE][-1] == 100 and progress[TOO_LITTLE] == sorted(progress[TOO_LITTLE])
    lee = models[TOO_LITTLE]
    assert lee.complete and lee.table.name == "word2vec-sg-lee-100d" and len(lee.epochs) == 10


def test_the_run_that_learns(trained):
    """Claim (Train, default preset): "its cosines order word pairs much as people do".
    Measured: WordSim-353 Spearman 0.56 on the 96 pairs covered, "king" → throne; threshold:
    ρ ≥ LEARNED_RHO (0.3)."""
    table = trained[0][LEARNS].table
    scores = benchmark_scores(table)
    assert scores["wordsim353"]["spearman"] >= LEARNED_RHO
    assert "throne" in [n.key for n in table.most_similar("king", topn=5)]
    assert "much as people do (trained on 331,376 words)" in describe_scores(scores, 331_376)


def test_too_little_text(trained):
    """Claim (Train, "Too little text"): "no better than chance". Measured: Spearman −0.19 on 59
    pairs; threshold: ρ < CHANCE_RHO (0.1)."""
    scores = benchmark_scores(trained[0][TOO_LITTLE].table)
    assert scores["wordsim353"]["spearman"] < CHANCE_RHO
    assert "no better than chance. From 60,005 words" in describe_scores(scores, 60_005)


@pytest.mark.parametrize("preset", [LEARNS, TOO_LITTLE])
def test_both_preset_tables_have_a_narrow_cone(trained, preset):
    """Claim (Geometry, "Where the cone is real"): skip-gram tables crowd into a narrow cone.
    Measured: mean cosine 0.44 (Wikipedia sample), 0.75 (Lee); threshold: NARROW_CONE (0.3),
    and the cone sentence says "a narrow cone"."""
    table = trained[0][preset].table
    shape = geo.anisotropy(table)
    assert shape.mean_cosine >= geo.cone.NARROW_CONE
    pairs, random = geo.sample_pair_cosines(table, 20_000)
    assert "has a narrow cone" in geo.describe_cone(shape, table.name, pairs, random)


def test_waited_includes_starting_the_process():
    job = TrainingJob(builtin_corpus("lee"), TrainSettings(epochs=1, dim=8, workers=1)).start()
    job.wait(300)
    assert job.result is not None and job.waited_seconds > job.result.seconds > 0


def test_score_and_rarity_sentences_follow_their_numbers():
    scores = {"wordsim353": {"spearman": 0.2, "pairs": 80, "coverage": 0.2}}
    assert "agree with people's only weakly" in describe_scores(scores, 1_000)
    assert "covers no WordSim-353 pair" in describe_scores({"wordsim353": {"spearman": None, "pairs": 0}}, 10)
    bins = [{"low": 1, "high": 5, "agreement": 0.05}, {"low": 5, "high": 10, "agreement": 0.02},
            {"low": 10, "high": 10**12, "agreement": 0.3}]
    said = describe_rare_vs_frequent(bins, 0.001)
    assert said.startswith("Words the corpus shows 1–4 times agree on 5% of their neighbours, words it shows "
                           "10 or more times on 30% (chance: 0.1%).")
    assert said.endswith("The least agreement is for words seen 5–9 times.")
    bins[1]["agreement"] = 0.1
    assert describe_rare_vs_frequent(bins, 0.001).endswith("The rarest words agree least.")
