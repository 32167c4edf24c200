"""Attribution and unverified findings measured on real financial articles.

    python benchmarks/financial.py [--eval ../shared/eval] [--show fp|fn|all] [--category attribution|unverified]
                                   [--config FILE] [--json]

Scores `copydesk check --format json` (the real CLI, every shipped rule) on
`../shared/eval/financial/`: 24 real publisher pages and 10 corpus articles, every line
labelled by `RUBRIC.md`.  As the set's README prescribes, each article is checked whole and
a labelled sentence is flagged by a category when a diagnostic of that category overlaps its
span; every printed finding counts, whatever its severity and wherever it is (a finding in a
disclosure line is a false alarm).  Gold: attribution `needs_source`; unverified `yes`.

Printed: precision and recall per category, at each severity floor (info and above,
warning and above, error), and findings that overlap no labelled sentence (counted as false
alarms in a second precision figure, so nothing escapes the count).  Then two guards from
the rest of `../shared/eval` (skip with --no-guards): the share of PolNeAR's reported-speech
sentences the attribution check flags, and FactBank hedge precision/recall (as shipped, and
with the hedge rule in every voice, since FactBank marks reported hedges too).  `--show` lists the
false alarms and misses with their rule, for finding what breaks.  Tune for patterns: more
articles of the same kinds are kept aside to check these figures.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATEGORIES = ("attribution", "unverified")
SEVERITIES = ("info", "warning", "error")
_RANK = {s: i for i, s in enumerate(SEVERITIES)}


def gold_of(category: str, row: dict) -> bool:
    return row["attribution"] == "needs_source" if category == "attribution" else row["unverified"] == "yes"


def article_path(eval_dir: Path, name: str) -> Path:
    """Labels name a financial article by file name, a corpus article by its path under corpus/news/."""
    if "/" in name:
        return eval_dir.parent / "corpus" / "news" / name
    return eval_dir / "financial" / "articles" / name


def load_rows(eval_dir: Path) -> dict[Path, list[dict]]:
    """Labelled rows per article, each with its span found by searching forward for its text."""
    out: dict[Path, list[dict]] = {}
    for tsv in sorted((eval_dir / "financial" / "labels").glob("*.tsv")):
        with tsv.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
        if not rows:
            continue
        path = article_path(eval_dir, rows[0]["file"])
        text = path.read_text(encoding="utf-8")
        pos = 0
        for r in rows:
            needle = r["text"]
            i = text.find(needle, pos)
            if i < 0:  # a tab written as a space (see RUBRIC.md): compare with tabs as spaces
                i = text.replace("\t", " ").find(needle, pos)
            if i < 0:
                raise SystemExit(f"{tsv}: row {r['idx']}: text not found in {path}")
            r["span"] = (i, i + len(needle))
            pos = i + len(needle)
        out[path] = rows
    return out


def run_check(paths: list[Path], config: str | None) -> dict[str, list[dict]]:
    cmd = [sys.executable, "-m", "linter", "check", "--format", "json", "--input-format", "text"]
    if config:
        cmd += ["--config", config]
    proc = subprocess.run(cmd + [str(p) for p in paths], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"copydesk check failed ({proc.returncode}): {proc.stderr.strip()[:500]}")
    report = json.loads(proc.stdout)
    return {str(Path(f["path"]).resolve()): f.get("diagnostics", []) for f in report["files"]}


def score(rows_by_path, diags_by_path, category: str, floor: str):
    """(tp, fp, fn, stray, examples): sentence-level counts at severity >= floor; stray = findings
    overlapping no labelled sentence."""
    tp = fp = fn = stray = 0
    examples: list[tuple[str, Path, dict, list[dict]]] = []
    for path, rows in rows_by_path.items():
        diags = [d for d in diags_by_path.get(str(path.resolve()), [])
                 if d.get("category") == category and _RANK[d["severity"]] >= _RANK[floor] and "start" in d]
        hit_any = [False] * len(diags)
        for r in rows:
            a, b = r["span"]
            hits = [d for d in diags if d["start"] < b and a < d["end"]]
            for k, d in enumerate(diags):
                if d["start"] < b and a < d["end"]:
                    hit_any[k] = True
            gold = gold_of(category, r)
            if hits and gold:
                tp += 1
            elif hits:
                fp += 1
                examples.append(("fp", path, r, hits))
            elif gold:
                fn += 1
                examples.append(("fn", path, r, []))
        stray += hit_any.count(False)
    return tp, fp, fn, stray, examples


def ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--eval", default=str(ROOT.parent / "shared" / "eval"))
    ap.add_argument("--show", choices=("fp", "fn", "all"))
    ap.add_argument("--category", choices=CATEGORIES)
    ap.add_argument("--config", help="a .copydesk.yaml to check with")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--no-guards", action="store_true", help="skip the PolNeAR and FactBank guards (about a minute)")
    args = ap.parse_args(argv)
    eval_dir = Path(args.eval)
    if not (eval_dir / "financial" / "labels").is_dir():
        print(f"skipped: no labelled financial articles at {eval_dir / 'financial'}", file=sys.stderr)
        return 0
    rows_by_path = load_rows(eval_dir)
    diags = run_check(list(rows_by_path), args.config)
    figures = {}
    cats = (args.category,) if args.category else CATEGORIES
    for cat in cats:
        gold = sum(gold_of(cat, r) for rows in rows_by_path.values() for r in rows)
        for floor in SEVERITIES:
            tp, fp, fn, stray, examples = score(rows_by_path, diags, cat, floor)
            figures[f"{cat}/{floor}"] = {
                "flagged": tp + fp, "tp": tp, "fp": fp, "fn": fn, "gold": gold, "stray": stray,
                "precision": round(ratio(tp, tp + fp), 3), "recall": round(ratio(tp, gold), 3),
                "precision_with_stray": round(ratio(tp, tp + fp + stray), 3),
            }
            if args.show and floor == "info":
                for kind, path, r, hits in examples:
                    if args.show not in (kind, "all"):
                        continue
                    rules = ",".join(sorted({h["rule"] for h in hits}))
                    print(f"{kind} {cat} {path.name}#{r['idx']} [{r['zone']}/{r['attribution']}/{r['unverified']}] "
                          f"{rules} :: {r['text'][:160]}")
                    for h in hits[:2]:
                        print(f"      {h['rule']} {h['severity']}: {h['message'][:120]}")
    if not args.no_guards:
        figures.update(guards(eval_dir))
    if args.json:
        print(json.dumps(figures, indent=1))
        return 0
    print(f"{len(rows_by_path)} articles, {sum(len(r) for r in rows_by_path.values())} labelled lines")
    print(f"{'category':<12} {'severity':<9} {'flagged':>7} {'TP':>4} {'FP':>4} {'FN':>4} {'stray':>5} {'P':>6} {'R':>6} {'P+stray':>8}")
    for key, f in figures.items():
        if "/" not in key:
            continue
        cat, floor = key.split("/")
        print(f"{cat:<12} {floor + '+':<9} {f['flagged']:>7} {f['tp']:>4} {f['fp']:>4} {f['fn']:>4} {f['stray']:>5} "
              f"{f['precision']:>6.3f} {f['recall']:>6.3f} {f['precision_with_stray']:>8.3f}")
    if "polnear_reported_speech" in figures:
        g = figures["polnear_reported_speech"]
        print(f"guard: PolNeAR reported-speech sentences flagged by attribution: {g['flagged']} of {g['sentences']} "
              f"({g['share']:.1%}; target <= 3%)")
        for name, label in (("factbank", "author-voice hedges (as shipped)"), ("factbank_all_voices", "UNV307 in every voice")):
            g = figures[name]
            print(f"guard: FactBank uncertain sentences, {label}: P {g['precision']:.3f} R {g['recall']:.3f} F1 {g['f1']:.3f}")
    return 0


# UNV307 as shipped flags a hedge only in the article's own voice (RUBRIC.md); FactBank marks a
# sentence uncertain whoever hedges, so the guard also reports the rule in every voice.
ALL_VOICES = "options:\n  UNV307: {voices: [issuer, quoted, reported, question, first_person, reader, author]}\n"


def guards(eval_dir: Path) -> dict:
    """PolNeAR sentences that report speech or evidence (the attribution check must not flag
    them) and FactBank's hedged sentences, through the real CLI (benchmarks/quality.py)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import quality

    out: dict = {}
    cues = eval_dir / "attribution_polnear_train_cues.tsv"
    if cues.is_file():
        with cues.open(encoding="utf-8", newline="") as fh:
            rows = [r for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE) if r["reported_speech"] == "1"]
        diags, _ = quality.run_copydesk([r["sentence"] for r in rows], "attribution")
        flagged = sum(any(d["category"] == "attribution" for d in ds) for ds in diags)
        out["polnear_reported_speech"] = {"sentences": len(rows), "flagged": flagged, "share": round(flagged / max(1, len(rows)), 4)}
    hedges = eval_dir / "hedge_factbank_dev.tsv"
    if hedges.is_file():
        with hedges.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh, delimiter="\t"))
        gold = [r["label"] == "uncertain" for r in rows]
        for name, config in (("factbank", None), ("factbank_all_voices", ALL_VOICES)):
            diags, _ = quality.run_copydesk([r["sentence"] for r in rows], "unverified", config)
            flagged = [any(d["category"] == "unverified" for d in ds) for ds in diags]
            tp = sum(f and g for f, g in zip(flagged, gold))
            fp = sum(f and not g for f, g in zip(flagged, gold))
            p, r, f1 = quality.prf(tp, fp, sum(gold) - tp)
            out[name] = {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f1, 3)}
    return out


if __name__ == "__main__":
    raise SystemExit(main())
