"""Quality of the attribution and unverified-assertion checks on labelled sentences.

    python benchmarks/quality.py [--eval ../shared/eval] [--task hedge|all] [--show N]

Runs the real `copydesk check --format json` over generated articles: one labelled sentence
per article, as the body of a Markdown file with a front-matter title.  Figures:

* hedge (`hedge_factbank_dev.tsv`): a sentence is flagged when any `unverified` diagnostic
  lies in it; precision, recall, F1 against `label == uncertain`; the same per rule; and
  cue-level agreement (share of flagged uncertain sentences where a flagged span overlaps an
  annotated cue).
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


def run_copydesk(sentences: list[str], select: str) -> tuple[list[list[dict]], list[int]]:
    """Diagnostics per sentence, and the offset of each sentence in its generated file."""
    tmp = Path(tempfile.mkdtemp(prefix="copydesk-quality-"))
    try:
        offsets = []
        for i, sentence in enumerate(sentences):
            head = f"---\ntitle: Eval sentence {i}\n---\n\n"
            (tmp / f"s{i:06d}.md").write_text(head + _markdown_body(sentence) + "\n", encoding="utf-8")
            offsets.append(len(head))
        exe = shutil.which("copydesk")
        cmd = [exe] if exe else [sys.executable, "-m", "linter"]
        proc = subprocess.run(cmd + ["check", "--format", "json", "--select", select, str(tmp)],
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


def hedge(eval_dir: Path, show: int) -> dict:
    rows = list(csv.DictReader(open(eval_dir / "hedge_factbank_dev.tsv", encoding="utf-8"), delimiter="\t"))
    sentences = [r["sentence"] for r in rows]
    gold = [r["label"] == "uncertain" for r in rows]
    diags, _ = run_copydesk(sentences, "unverified")
    flagged = [any(d["category"] == "unverified" for d in ds) for ds in diags]
    tp = sum(f and g for f, g in zip(flagged, gold))
    fp = sum(f and not g for f, g in zip(flagged, gold))
    fn = sum(g and not f for f, g in zip(flagged, gold))
    p, r, f1 = prf(tp, fp, fn)
    print(f"hedge_factbank_dev.tsv: {len(rows)} sentences, {sum(gold)} uncertain")
    print(f"  unverified (any rule): precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}   (tp {tp}, fp {fp}, fn {fn})")
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
    if show:
        print("  sample false positives:")
        for row, fl, g, ds in zip(rows, flagged, gold, diags):
            if fl and not g and show > 0:
                show -= 1
                print(f"    [{', '.join(sorted({d['rule'] + ':' + d['match'] for d in ds}))}] {row['sentence'][:150]}")
    return {"precision": p, "recall": r, "f1": f1}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval", default=str(ROOT.parent / "shared" / "eval"))
    ap.add_argument("--task", choices=("hedge", "all"), default="all")
    ap.add_argument("--show", type=int, default=0, help="print N false positives")
    args = ap.parse_args()
    eval_dir = Path(args.eval)
    if not eval_dir.is_dir():
        print(f"eval data not found: {eval_dir}", file=sys.stderr)
        return 2
    hedge(eval_dir, args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
