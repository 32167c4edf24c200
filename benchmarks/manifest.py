"""How often copydesk agrees with the article-level labels of the real financial pages.

Reads `../shared/eval/financial/MANIFEST.tsv` (24 real pages in `articles/`, plain text;
third-party text, read in place and never copied into the project) and runs the real
`copydesk check --format json --input-format text` over them once, with the shipped rules
and three probe rules written to a temporary file (never shipped) that report what copydesk
found rather than what it requires:

- ticker found: PROBE901 fires when `mentions.ticker` holds (the condition DISC101/DISC102
  use); label `mentions_ticker` "yes" or "yes (...)".
- not-advice finding: DISC101 fires iff the page mentions a ticker (label) and
  `not_advice_present` is not "yes".
- position finding: DISC102 fires iff the page mentions a ticker (label) and
  `position_disclosure_present` is "no".
- sponsorship found: PROBE902 fires when the sponsorship condition of DISC103/DISC104 holds
  (front matter, `mentions.sponsor_line`, `mentions.sponsor_credit`); label
  `sponsored_or_paid` starts with "yes".
- compensation complete: for a sponsored page, DISC104 fires iff `compensation_disclosed` is
  not "yes"; for any other page DISC104 must stay silent.
- forward-looking legend found: a paragraph of the page says what DISC105 accepts as a legend
  (its `accept` wordings, read from rules/disclaimers.yaml: the probe PROBE903 requires them
  and fires when none is there); label `fls_legend_present` "yes".

With `--corpus-since REF` it also counts DISC101 findings over `../shared/corpus/news/` (news
that carries no disclaimers) with the code of REF (a `git archive` in a temporary folder) and
with this checkout, and prints 20 of the newly flagged articles (a fixed seed) with the ticker
that made the rule run, for checking by hand that each is a ticker.

Usage: python benchmarks/manifest.py [--json] [--corpus-since REF]
"""

from __future__ import annotations

import csv
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "eval" / "financial"
TARGET = 22  # each label must agree on at least this many of the 24 pages

NEVER = "[^\\s\\S]"  # a pattern no text matches: the probe fires whenever its condition holds


def probe_rules() -> str:
    """The probe rule set: what copydesk found, as findings the JSON report carries."""
    shipped = yaml.safe_load((ROOT / "rules" / "disclaimers.yaml").read_text(encoding="utf-8"))
    disc105 = next(r for r in shipped["rules"] if r["id"] == "DISC105")
    disc103 = next(r for r in shipped["rules"] if r["id"] == "DISC103")
    everywhere = ["headline", "dek", "byline", "dateline", "body", "quote", "disclaimer", "boilerplate"]

    def probe(n, name, when, accept, message):
        return {"id": f"PROBE{n}", "name": f"probe.{name}", "category": "disclaimer", "severity": "info",
                "kind": "required", "message": message, "help": "benchmark probe", "policy": {"ref": "benchmark"},
                "scope": everywhere, "when": when, "options": {"wording": "", "accept": accept}}

    rules = [
        probe(901, "ticker", "mentions.ticker", [NEVER], "ticker found: {trigger}"),
        probe(902, "sponsorship", disc103["when"], [NEVER], "sponsorship found: {trigger}"),
        probe(903, "legend", "true", disc105["options"]["accept"], "no forward-looking legend"),
    ]
    return yaml.safe_dump({"ruleset": "manifest-probes", "description": "benchmark probes", "rules": rules})


def run(articles: list[Path]) -> dict[str, list[dict]]:
    with tempfile.TemporaryDirectory() as tmp:
        probes = Path(tmp) / "probes.yaml"
        probes.write_text(probe_rules(), encoding="utf-8")
        cmd = [sys.executable, "-m", "linter", "check", "--format", "json", "--input-format", "text",
               "--rules", str(probes), "--select", "DISC101,DISC102,DISC104,PROBE", *map(str, articles)]
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if proc.returncode not in (0, 1):
        sys.exit(f"copydesk check failed ({proc.returncode}): {proc.stderr.strip()}")
    report = json.loads(proc.stdout)
    return {Path(f["path"]).name: f.get("diagnostics", []) for f in report["files"]}


def judge(row: dict, found: list[dict]) -> dict[str, tuple[bool, bool, str]]:
    """label -> (expected, got, what copydesk said) for one page."""
    fired = {}
    for d in found:
        fired.setdefault(d["rule"], d)

    def said(rule):
        d = fired.get(rule)
        return f"{rule} at {d['line']}:{d['column']}: {d['message']}" if d else f"no {rule}"

    ticker = row["mentions_ticker"].startswith("yes")
    sponsored = row["sponsored_or_paid"].startswith("yes")
    return {
        "ticker found": (ticker, "PROBE901" in fired, said("PROBE901")),
        "not-advice finding": (ticker and row["not_advice_present"] != "yes", "DISC101" in fired, said("DISC101")),
        "position finding": (ticker and row["position_disclosure_present"] == "no", "DISC102" in fired, said("DISC102")),
        "sponsorship found": (sponsored, "PROBE902" in fired, said("PROBE902")),
        "compensation finding": (sponsored and row["compensation_disclosed"] != "yes", "DISC104" in fired, said("DISC104")),
        "legend found": (row["fls_legend_present"] == "yes", "PROBE903" not in fired, said("PROBE903")),
    }


def disc101_files(code_root: Path, corpus: Path) -> set[str]:
    """Articles of the corpus that get a DISC101 finding from the code at `code_root`."""
    env = {**os.environ, "PYTHONPATH": str(code_root), "COPYDESK_NO_CACHE": "1"}
    cmd = [sys.executable, "-m", "linter", "check", "--format", "json", "--input-format", "text",
           "--select", "DISC101", str(corpus)]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=code_root, env=env)
    if proc.returncode not in (0, 1):
        sys.exit(f"copydesk check failed ({proc.returncode}): {proc.stderr.strip()}")
    return {f["path"] for f in json.loads(proc.stdout)["files"] if f.get("diagnostics")}


def corpus_since(ref: str) -> None:
    corpus = ROOT.parent / "shared" / "corpus" / "news"
    if not corpus.is_dir():
        print(f"corpus skipped: {corpus} is absent")
        return
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "archive", ref], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        before = disc101_files(Path(tmp), corpus)
    after = disc101_files(ROOT, corpus)
    new = sorted(after - before)
    print(f"corpus DISC101: {len(before)} articles at {ref}, {len(after)} now ({len(new)} new, {len(before - after)} gone)")
    sys.path.insert(0, str(ROOT))
    from linter.document import parse_document
    from linter.entities import Facts
    from linter.source import Source

    for path in random.Random(15).sample(new, min(20, len(new))):
        text = Path(path).read_text(encoding="utf-8")
        first = Facts(parse_document(Source(path, text), "text")).mentions("ticker")[0]
        context = " ".join(text[max(0, first.start - 40) : first.end + 10].split())
        print(f"  {Path(path).relative_to(corpus)}: {first.text!r} in '...{context}...'")


def main(argv: list[str]) -> int:
    manifest = DATA / "MANIFEST.tsv"
    if not manifest.is_file():
        print(f"skipped: {manifest} is absent (the labelled pages sit in ../shared/ beside the project)")
        return 0
    with manifest.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    found = run([DATA / "articles" / r["file"] for r in rows])
    results: dict[str, list[tuple[str, bool, bool, str]]] = {}
    for row in rows:
        for label, (expected, got, said) in judge(row, found.get(row["file"], [])).items():
            results.setdefault(label, []).append((row["file"], expected, got, said))
    if "--json" in argv:
        json.dump({label: {"agree": sum(e == g for _, e, g, _ in r), "of": len(r),
                           "disagreements": [{"file": f, "expected": e, "got": g, "copydesk": s} for f, e, g, s in r if e != g]}
                   for label, r in results.items()}, sys.stdout, indent=2)
        print()
        return 0
    print(f"{len(rows)} labelled pages in {manifest}")
    worst = len(rows)
    for label, r in results.items():
        agree = sum(e == g for _, e, g, _ in r)
        worst = min(worst, agree)
        print(f"{label:22} agrees on {agree:2} of {len(r)}")
        for f, e, g, s in r:
            if e != g:
                print(f"    {f}: label says {'yes' if e else 'no'}, copydesk {'yes' if g else 'no'} ({s})")
    print(f"target: each label at least {TARGET} of {len(rows)}: {'met' if worst >= TARGET else 'NOT met'}")
    if "--corpus-since" in argv:
        corpus_since(argv[argv.index("--corpus-since") + 1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
