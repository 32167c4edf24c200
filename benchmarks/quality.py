"""Quality of the attribution and unverified-assertion checks on labelled sentences.

    python benchmarks/quality.py [--eval ../shared/eval] [--task hedge|all] [--show N]

Runs the real `copydesk check --format json` over generated articles: one labelled sentence
per article, as the body of a Markdown file with a front-matter title.  Figures:

* claims (`claims_claimbuster_dev.csv`): a sentence is flagged when an `attribution`
  diagnostic lies in it; precision, recall, F1 against `label == 1`, twice: claim detection
  alone (the rule's source phrases switched off by a configuration, since some debate
  sentences name a source, which the full check counts as attribution), and the full check.
* attribution (`attribution_polnear_train.tsv`): the share of explicitly attributed
  sentences (`has_source` and `has_cue`) flagged by an `attribution` diagnostic, and the
  share among sentences with `attributed == 0`.
* hedge (`hedge_factbank_dev.tsv`): a sentence is flagged when any `unverified` diagnostic
  lies in it; precision, recall, F1 against `label == uncertain`; the same per rule; and
  cue-level agreement (share of flagged uncertain sentences where a flagged span overlaps an
  annotated cue).
* corpus (`corpus/news/`): findings at warning and above per article over every shipped rule
  (median, p90); attribution findings per article (median, p90) and the 20 most
  frequent triggers.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
csv.field_size_limit(10**7)


def _markdown_body(sentence: str) -> str:
    """The sentence as one Markdown paragraph (a leading '#', '>', '-' or '1.' escaped)."""
    s = " ".join(sentence.split())
    if re.match(r"^(?:[#>*+\-=]|\d+[.)]\s)", s):
        s = "\\" + s
    return s


def run_copydesk(sentences: list[str], select: str, config: str | None = None) -> tuple[list[list[dict]], list[int]]:
    """Diagnostics per sentence, and the offset of each sentence in its generated file.

    `config`: the text of a `.copydesk.yaml` to check with (rule option overrides)."""
    tmp = Path(tempfile.mkdtemp(prefix="copydesk-quality-"))
    try:
        extra = []
        if config is not None:
            (tmp / "config.yaml").write_text(config, encoding="utf-8")
            extra = ["--config", str(tmp / "config.yaml")]
        offsets = []
        for i, sentence in enumerate(sentences):
            head = f"---\ntitle: Eval sentence {i}\n---\n\n"
            (tmp / f"s{i:06d}.md").write_text(head + _markdown_body(sentence) + "\n", encoding="utf-8")
            offsets.append(len(head))
        exe = shutil.which("copydesk")
        cmd = [exe] if exe else [sys.executable, "-m", "linter"]
        proc = subprocess.run(cmd + ["check", "--format", "json", "--select", select, *extra, str(tmp)],
                              capture_output=True, text=True, cwd=ROOT)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"copydesk failed ({proc.returncode}): {proc.stderr.strip()}")
        report = json.loads(proc.stdout)
        per_file = {Path(f["path"]).name: f["diagnostics"] for f in report["files"]}
        return [per_file.get(f"s{i:06d}.md", []) for i in range(len(sentences))], offsets
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score(flagged: list[bool], gold: list[bool], label: str) -> dict:
    """Print and return precision, recall and F1 of `flagged` against `gold`."""
    tp = sum(f and g for f, g in zip(flagged, gold))
    fp = sum(f and not g for f, g in zip(flagged, gold))
    fn = sum(g and not f for f, g in zip(flagged, gold))
    p, r, f1 = prf(tp, fp, fn)
    print(f"  {label}: precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}   (tp {tp}, fp {fp}, fn {fn})")
    return {"precision": p, "recall": r, "f1": f1}


def show_false_positives(rows, flagged, gold, describe, show: int) -> None:
    if not show:
        return
    print("  sample false positives:")
    for row, fl, g in zip(rows, flagged, gold):
        if fl and not g and show > 0:
            show -= 1
            print(f"    {describe(row)}")


def hedge(eval_dir: Path, show: int) -> dict:
    rows = list(csv.DictReader(open(eval_dir / "hedge_factbank_dev.tsv", encoding="utf-8"), delimiter="\t"))
    sentences = [r["sentence"] for r in rows]
    gold = [r["label"] == "uncertain" for r in rows]
    diags, _ = run_copydesk(sentences, "unverified")
    flagged = [any(d["category"] == "unverified" for d in ds) for ds in diags]
    print(f"hedge_factbank_dev.tsv: {len(rows)} sentences, {sum(gold)} uncertain")
    result = score(flagged, gold, "unverified (any rule)")
    per_rule: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for ds, g in zip(diags, gold):
        for rule in {d["rule"] for d in ds}:
            per_rule[rule][0 if g else 1] += 1
    for rule in sorted(per_rule):
        t, fpos = per_rule[rule]
        print(f"  {rule}: flags {t + fpos:4d} sentences, precision {t / (t + fpos):.3f}, recall {t / max(1, sum(gold)):.3f}")
    # cue-level agreement: a flagged span overlaps an annotated cue in the sentence
    agree = total = 0
    for row, ds, g in zip(rows, diags, gold):
        if not (g and ds):
            continue
        total += 1
        text = " ".join(row["sentence"].split())
        cue_spans = []
        for cue in filter(None, row["cue_texts"].split("|")):
            for m in re.finditer(re.escape(cue.strip()), text, re.IGNORECASE):
                cue_spans.append(m.span())
        ours = [(d["column"] - 1, d["end_column"] - 1) for d in ds if d["line"] == 5]
        if any(a < qe and qs < b for a, b in ours for qs, qe in cue_spans):
            agree += 1
    print(f"  cue-level agreement: {agree}/{total} flagged uncertain sentences ({agree / max(1, total):.3f})")
    found = {id(row): ds for row, ds in zip(rows, diags)}
    show_false_positives(rows, flagged, gold, lambda row: f"[{', '.join(sorted({d['rule'] + ':' + d['match'] for d in found[id(row)]}))}] {row['sentence'][:150]}", show)
    return result


# Claim detection alone: the shipped rule with its attribution phrases and continuations
# switched off.  ClaimBuster's debate sentences are the speaker's own words, yet some name a
# source ("the Congressional Budget Office has said ..."); the full check rightly counts those
# as attributed, while ClaimBuster labels them check-worthy claims.
CLAIMS_ONLY = "options:\n  ATTR201: {sources: [], continuations: []}\n"


def claims(eval_dir: Path, show: int) -> dict:
    rows = list(csv.DictReader(open(eval_dir / "claims_claimbuster_dev.csv", encoding="utf-8")))
    gold = [r["label"] == "1" for r in rows]
    print(f"claims_claimbuster_dev.csv: {len(rows)} sentences, {sum(gold)} check-worthy claims")
    result = {}
    for name, config in (("claim detection (ATTR201, source phrases off)", CLAIMS_ONLY),
                         ("full check (ATTR201 as shipped)", None)):
        diags, _ = run_copydesk([r["text"] for r in rows], "attribution", config)
        flagged = [any(d["category"] == "attribution" for d in ds) for ds in diags]
        result[name] = score(flagged, gold, name)
        if config is None:
            found = {id(row): ds for row, ds in zip(rows, diags)}
            show_false_positives(rows, flagged, gold, lambda row, found=found: f"[{found[id(row)][0]['message'].split(': ', 1)[1]}] {row['text'][:140]}", show)
    return result


def attribution(eval_dir: Path, limit: int) -> dict:
    rows = list(csv.DictReader(open(eval_dir / "attribution_polnear_train.tsv", encoding="utf-8"), delimiter="\t"))
    explicit = [r for r in rows if r["has_source"] == "1" and r["has_cue"] == "1"]
    unattributed = [r for r in rows if r["attributed"] == "0"]
    if limit:
        explicit, unattributed = explicit[:limit], unattributed[:limit]
    out = {}
    for name, subset in (("has_source & has_cue", explicit), ("attributed == 0", unattributed)):
        diags, _ = run_copydesk([r["sentence"] for r in subset], "attribution")
        share = sum(1 for ds in diags if ds) / max(1, len(subset))
        out[name] = share
        print(f"attribution_polnear_train.tsv, {name}: {len(subset)} sentences, {share:.1%} flagged by ATTR201")
    return out


def corpus(corpus_dir: Path) -> None:
    exe = shutil.which("copydesk")
    cmd = [exe] if exe else [sys.executable, "-m", "linter"]
    proc = subprocess.run(cmd + ["check", "--format", "json", "--jobs", "2", str(corpus_dir)],
                          capture_output=True, text=True, cwd=ROOT)
    every = json.loads(proc.stdout)["files"]
    serious = sorted(sum(1 for d in f["diagnostics"] if d["severity"] != "info") for f in every)
    print(f"corpus/news: {len(every)} articles, findings at warning and above per article (every shipped rule): "
          f"median {serious[len(serious) // 2]}, p90 {serious[int(len(serious) * 0.9)]}, total {sum(serious)}")
    files = [{"diagnostics": [d for d in f["diagnostics"] if d["category"] == "attribution"]} for f in every]
    counts = sorted(len(f["diagnostics"]) for f in files)
    triggers: dict[str, int] = defaultdict(int)
    for f in files:
        for d in f["diagnostics"]:
            triggers[d["message"].split(": ", 1)[1]] += 1
    median = counts[len(counts) // 2]
    p90 = counts[int(len(counts) * 0.9)]
    print(f"corpus/news: {len(files)} articles, attribution findings per article: median {median}, p90 {p90}, total {sum(counts)}")
    print("  top triggers: " + ", ".join(f"{t} ({n})" for t, n in sorted(triggers.items(), key=lambda kv: -kv[1])[:20]))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval", default=str(ROOT.parent / "shared" / "eval"))
    ap.add_argument("--task", choices=("claims", "attribution", "hedge", "corpus", "all"), default="all")
    ap.add_argument("--limit", type=int, default=0, help="at most N sentences per PolNeAR subset (0: all)")
    ap.add_argument("--show", type=int, default=0, help="print N false positives")
    args = ap.parse_args()
    eval_dir = Path(args.eval)
    if not eval_dir.is_dir():
        print(f"eval data not found: {eval_dir}", file=sys.stderr)
        return 2
    if args.task in ("claims", "all"):
        claims(eval_dir, args.show)
    if args.task in ("attribution", "all"):
        attribution(eval_dir, args.limit)
    if args.task in ("hedge", "all"):
        hedge(eval_dir, args.show)
    if args.task in ("corpus", "all"):
        corpus(eval_dir.parent / "corpus" / "news")
    return 0


if __name__ == "__main__":
    sys.exit(main())
