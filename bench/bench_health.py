"""Under-trained tokens on a real ground truth, and the health report's speed.

1. MiniLM's token table (30,522 × 384, read from its package folder as a model folder): its 994
   "[unused…]" tokens were never trained. For each indicator and the combined score: ROC AUC
   and precision among the 994 highest scores (the issue's goal: AUC ≥ 0.99, precision ≥ 0.9);
   the same against a wider truth, "[unused…] or never produced by the tokenizer"; what the
   tokenizer says of the 994 rows flagged first, which real tokens are among them, and
   whether the rows of the cluster tell placeholders from the others (a linear probe).
2. Time of every indicator (engine.undertrained.under_trained) against the same indicators
   computed the plain way in the same run (scikit-learn PCA for the leading component, NumPy
   for the rest), on MiniLM and on GloVe's 400,000 × 50.
3. Other ways of combining the rows' evidence, against the same truth: rank fusion, the
   density of a row's 50 nearest rows (leading component removed), and the score's median
   over a window of neighbouring ids (the [unused…] tokens lie in one run of ids); and what
   the id window costs: the rows of the cluster it hides (under-trained tokens whose id
   neighbours are trained) and the tokens it adds.
4. The whole health report (20,000-row sample) on both tables, and the tokenizer pass.

Run:  .venv/bin/python bench/bench_health.py   (about a minute on 2 idle cores)
"""
from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.health import health_report  # noqa: E402
from engine.readers.model_folder import read_model_folder  # noqa: E402
from engine.sources import load_builtin, minilm_path  # noqa: E402
from engine.token_context import context_of_model  # noqa: E402
from engine.undertrained import separation, under_trained  # noqa: E402

GOAL_AUC, GOAL_PRECISION = 0.99, 0.9


def timed(fn):
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def plain_indicators(vectors: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """The same indicators the plain way: duplicates by np.unique, sklearn's PCA, a float64
    copy with the component projected out, cosines by NumPy; the combined score by the same
    robust z-scores."""
    from sklearn.decomposition import PCA

    from engine.undertrained import robust_z

    rows = vectors.astype(np.float64)
    np.unique(rows, axis=0, return_inverse=True)                   # duplicate rows
    axis = PCA(1).fit(rows).components_[0]
    flat = rows - np.outer(rows @ axis, axis)
    mean = flat.mean(axis=0)
    target = flat[reference].mean(axis=0)
    lengths = np.linalg.norm(flat, axis=1)
    to_mean = flat @ mean / lengths / np.linalg.norm(mean)
    to_reference = flat @ target / lengths / np.linalg.norm(target)
    norm = np.linalg.norm(rows, axis=1)
    return np.mean([robust_z(-np.log(norm)), robust_z(to_mean), robust_z(to_reference)], axis=0)


def ground_truth() -> None:
    model, read = timed(lambda: read_model_folder(minilm_path()))
    context, tokenizer_seconds = timed(lambda: context_of_model(model))
    table = model.input
    keys = table.index_to_key
    unused = np.array([k.startswith("[unused") for k in keys])
    never = unused | (context.status == "never produced")
    under = under_trained(table, status=context.status, init_std=context.init_std, padding_row=context.pad)
    print(f"MiniLM read as a model folder in {read:.2f} s; tokenizer over every token {tokenizer_seconds:.2f} s: "
          + ", ".join(f"{n:,} {s}" for s, n in Counter(context.status).most_common()))
    print(f"ground truth: {unused.sum()} [unused…] tokens; wider truth ([unused…] or never produced): {never.sum():,}")
    print(f"{'indicator':<42} {'AUC':>7} {'P@994':>7}   {'AUC wide':>8} {'P@' + format(never.sum(), ','):>8}")
    for name, score in [("norm (shortest first)", -under.norm),
                        ("distance to the mean, leading PC out", -under.mean_distance),
                        (f"cosine to reference ({under.reference})", under.reference_cosine),
                        ("combined score", under.score)]:
        narrow, wide = separation(score, unused), separation(score, never)
        print(f"{name[:42]:<42} {narrow['auc']:7.4f} {narrow['precision']:7.3f}   {wide['auc']:8.4f} "
              f"{wide['precision']:8.3f}")
    no_tokenizer = under_trained(table, init_std=context.init_std, padding_row=context.pad)
    narrow = separation(no_tokenizer.score, unused)
    print(f"{'combined, without the tokenizer (' + no_tokenizer.reference + ')':<42} {narrow['auc']:7.4f} "
          f"{narrow['precision']:7.3f}")
    combined = separation(under.score, unused)
    print(f"goal AUC ≥ {GOAL_AUC}: {'met' if combined['auc'] >= GOAL_AUC else 'NOT met'}; goal precision@994 ≥ "
          f"{GOAL_PRECISION}: {'met' if combined['precision'] >= GOAL_PRECISION else 'NOT met'}")
    top = under.order()[:994]
    flagged = [i for i in top if not unused[i]]
    status = Counter(context.status[flagged])
    print(f"the {len(flagged)} real tokens among the 994 flagged first: "
          + ", ".join(f"{n} {s}" for s, n in status.most_common()))
    never = [keys[i] for i in flagged if context.status[i] == "never produced"]
    print("  never produced, e.g.: " + " ".join(never)[:300])
    print("  produced, e.g.:       " + " ".join(keys[i] for i in flagged if context.status[i] == "produced")[:300])
    print(f"cluster past the histogram's valley ({under.threshold:.2f}): {under.cluster:,} rows; "
          + ", ".join(f"{n:,} {s}" for s, n in under.status_counts(under.order()[:under.cluster]).items()))
    cluster = under.order()[:under.cluster]
    accuracy, base = placeholder_probe(np.asarray(table.vectors)[cluster], unused[cluster])
    print(f"inside the cluster, a linear probe on the rows tells [unused…] from the rest with 5-fold accuracy "
          f"{accuracy:.1%} (always guessing the larger class: {base:.1%})")
    combinations_tried(np.asarray(table.vectors), under, unused, context.status, keys)


def combinations_tried(vectors: np.ndarray, under, unused: np.ndarray, status: np.ndarray, keys: list[str]) -> None:
    """Other combinations of the same evidence (none reads a token's string), against the
    [unused…] truth; the id window's cost on the cluster."""
    from scipy.ndimage import median_filter
    from scipy.stats import rankdata

    from engine.geometry.cone import moments
    from engine.undertrained import leading_component, robust_z

    print("\nother combinations, against the 994 [unused…] tokens")
    tiny = float(under.norm[under.norm > 0].min()) / 2
    parts = [robust_z(-np.log(under.norm + tiny)), robust_z(-under.mean_distance), robust_z(under.reference_cosine)]
    ranks = [rankdata(-p) for p in parts]
    rows = vectors.astype(np.float64)
    axis = leading_component(moments(rows).covariance)
    flat = rows - np.outer(rows @ axis, axis)
    flat = (flat / np.linalg.norm(flat, axis=1, keepdims=True)).astype(np.float32)
    density = np.empty(len(rows))
    for start in range(0, len(rows), 2_048):
        scores = flat[start:start + 2_048] @ flat.T
        scores[np.arange(len(scores)), np.arange(start, start + len(scores))] = -1
        density[start:start + 2_048] = -np.sort(-scores, axis=1)[:, :50].mean(axis=1)
    tried = {"reciprocal rank fusion of the three (k = 60)": sum(1 / (60 + r) for r in ranks),
             "density: mean cosine of the 50 nearest rows": density,
             "combined score + density": np.mean(parts + [robust_z(density)], axis=0)}
    for window in (21, 101, 201):
        tried[f"median of the score over {window} neighbouring ids"] = median_filter(under.score, window,
                                                                                  mode="nearest")
    for name, score in tried.items():
        found = separation(score, unused)
        top = np.lexsort((np.arange(len(score)), -score))[:994]
        others = Counter(status[top[~unused[top]]])
        print(f"  {name:<52} AUC {found['auc']:.4f}  P@994 {found['precision']:.3f}  others: "
              + ", ".join(f"{n} {s}" for s, n in others.most_common()))
    window = median_filter(under.score, 101, mode="nearest")
    cluster = under.order()[:under.cluster]
    hidden = cluster[window[cluster] < under.threshold]
    added = [i for i in np.lexsort((np.arange(len(window)), -window))[:994] if not unused[i]]
    print(f"  the 101-id median hides {len(hidden)} of the cluster's {under.cluster:,} rows ("
          + ", ".join(f"{n} {s}" for s, n in Counter(status[hidden]).most_common()) + "), e.g. "
          + " ".join(keys[i] for i in hidden[:12]) + f"; it flags {' '.join(keys[i] for i in added[:6])} …")


def placeholder_probe(rows: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """5-fold accuracy of a logistic regression telling placeholders from the other rows."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_score

    accuracy = cross_val_score(LogisticRegression(max_iter=2_000, C=10), rows, labels, cv=5).mean()
    return float(accuracy), float(max(labels.mean(), 1 - labels.mean()))


def speed() -> None:
    print("\nindicators of every row: engine against the plain way (sklearn PCA, float64 copies), same run")
    for name in ("minilm-tokens", "glove-6b-50d"):
        table = load_builtin(name)
        reference = np.argsort(table.norms, kind="stable")[:max(10, len(table) // 100)]
        under, ours = timed(lambda: under_trained(table))
        plain, theirs = timed(lambda: plain_indicators(np.asarray(table.vectors), reference))
        same = np.corrcoef(plain, under.score)[0, 1]
        print(f"  {name}: {ours:.2f} s against {theirs:.2f} s ({theirs / ours:.1f}×); scores correlate {same:.6f}")
        report, seconds = timed(lambda: health_report(table))
        print(f"  {name}: whole health report {seconds:.1f} s (sample {report.sample_how})")


if __name__ == "__main__":
    ground_truth()
    speed()
