"""Fit the claim score of the attribution rule (ATTR201) and measure it by cross-validation.

    python benchmarks/fit_claims.py [--rules rules/attribution.yaml] [--folds 2] [--l2 1.0]

The rule's `features` are regexes with weights; a sentence is a claim when `bias` plus the
weights of the features it matches exceeds `threshold`.  This script reads the features
from the rule file, computes them for every sentence of
`../shared/eval/claims_claimbuster_dev.csv` exactly as the check does for a one-sentence
paragraph, fits L2-regularised logistic regression (plain Python: the features are sparse
and binary), picks the threshold with the best F1 at precision >= 0.75, and prints:

* the k-fold cross-validated precision, recall and F1 of the score alone (no source
  detection, which is what `benchmarks/quality.py` adds),
* how many labelled claims the rule's current weights score as claims although the sentence
  holds an attribution phrase (`sources` outside `not_sources`): recall the full check
  loses by design, since the issue counts those sentences as attributed, and
* the weights fitted on all the data, as YAML to paste into the rule file; a feature
  marked `fitted: false` keeps the weight set by hand (a claim type the data is too small
  to weigh) and only shifts the others.
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quality import prf  # noqa: E402  (benchmarks/quality.py, beside this script)


def _fit(xs, ys, n, l2: float, fixed: dict[int, float], epochs: int = 300, rate: float = 0.5):
    """Logistic regression; the features in `fixed` (set by hand, `fitted: false`) keep
    their weights and only shift the score."""
    w, b = [fixed.get(i, 0.0) for i in range(n)], 0.0
    m = len(xs)
    for _ in range(epochs):
        gw, gb = [0.0] * n, 0.0
        for x, y in zip(xs, ys):
            z = b + sum(w[i] for i in x)
            p = 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))
            g = p - y
            gb += g
            for i in x:
                gw[i] += g
        b -= rate * gb / m
        for i in range(n):
            if i not in fixed:
                w[i] -= rate * (gw[i] / m + l2 * w[i] / m)
    return w, b


def _scores(xs, w, b):
    return [b + sum(w[i] for i in x) for x in xs]


def _counts(scores, ys, t) -> tuple[int, int, int]:
    tp = sum(1 for s, y in zip(scores, ys) if s > t and y)
    fp = sum(1 for s, y in zip(scores, ys) if s > t and not y)
    fn = sum(1 for s, y in zip(scores, ys) if s <= t and y)
    return tp, fp, fn


def _best_threshold(scores, ys, min_precision: float = 0.75) -> float:
    best, best_f1 = 0.0, -1.0
    for t in sorted(set(round(s, 2) for s in scores)):
        p, _, f1 = prf(*_counts(scores, ys, t))
        if p >= min_precision and f1 > best_f1:
            best, best_f1 = t, f1
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rules", default=str(ROOT / "rules" / "attribution.yaml"))
    ap.add_argument("--eval", default=str(ROOT.parent / "shared" / "eval" / "claims_claimbuster_dev.csv"))
    ap.add_argument("--folds", type=int, default=2)
    ap.add_argument("--l2", type=float, default=1.0)
    args = ap.parse_args()
    if not Path(args.eval).exists():
        print(f"{args.eval} not found: ../shared/ is only beside the project's own checkout")
        return 2

    from linter.checks import KINDS
    from linter.checks.attribution import sentence_features
    from linter.ruleset import load_rule_sets

    [rule] = [r for r in load_rule_sets([args.rules], kinds=KINDS).rules if r.kind == "claim"]
    check = rule.check  # the kind's prepared options: compiled features, min_words, skip_if
    features = check.features
    rows = list(csv.DictReader(open(args.eval, encoding="utf-8")))
    data = []
    for row in rows:
        x = sentence_features(check, row["text"].replace("\n", " "))
        data.append((x, row["label"] == "1"))
    scored = [(x, y) for x, y in data if x is not None]
    skipped_claims = sum(1 for x, y in data if x is None and y)
    n = len(features)
    fixed = {i: f.weight for i, f in enumerate(features) if not f.fitted}

    random.seed(0)
    order = list(range(len(scored)))
    random.shuffle(order)
    totals = [0, 0, 0]
    for k in range(args.folds):
        test = set(order[k :: args.folds])
        train = [scored[i] for i in order if i not in test]
        held = [scored[i] for i in sorted(test)]
        w, b = _fit([x for x, _ in train], [y for _, y in train], n, args.l2, fixed)
        t = _best_threshold(_scores([x for x, _ in train], w, b), [y for _, y in train])
        tp, fp, fn = _counts(_scores([x for x, _ in held], w, b), [y for _, y in held], t)
        totals = [totals[0] + tp, totals[1] + fp, totals[2] + fn]
    tp, fp, fn = totals
    fn += skipped_claims  # claims the check never scores count as missed
    p, r, f1 = prf(tp, fp, fn)
    print(f"{len(rows)} sentences, {len(scored)} scored; {args.folds}-fold cross-validation of the score alone:")
    print(f"  precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}   (tp {tp}, fp {fp}, fn {fn})")

    shipped = [f.weight for f in features]
    sourced = 0
    for row, (x, y) in zip(rows, data):
        if x is None or not y or check.bias + sum(shipped[i] for i in x) <= check.threshold:
            continue
        text = " ".join(row["text"].split())
        own = [m.span() for n_ in check.not_sources for m in n_.pattern.finditer(text)]
        starts = [m.start() for src in check.sources for m in src.pattern.finditer(text)]
        if any(not any(a <= st < b for a, b in own) for st in starts):
            sourced += 1
    print(f"claims the current weights score as claims but whose sentence names a source: {sourced}")

    w, b = _fit([x for x, _ in scored], [y for _, y in scored], n, args.l2, fixed)
    t = _best_threshold(_scores([x for x, _ in scored], w, b), [y for _, y in scored])
    print(f"fitted on all: bias: {b:.2f}  threshold: {t:.2f}")
    for f, weight in zip(features, w):
        print(f"  {f.name}: {weight:.2f}" + ("  (set by hand: fitted: false)" if not f.fitted else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
