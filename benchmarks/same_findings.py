"""Findings identical before and after a change, on the whole corpus.

    python benchmarks/same_findings.py [--base REV] [--head REV] [--corpus ../shared/corpus/news]

Exports each revision with `git archive` (HEAD's default is the work tree as it stands, so
uncommitted work is compared too), runs `python -m linter check --format json` from each
over the corpus, and compares the two outputs. Prints "identical" and exits 0, or prints how
many findings each rule gained and lost (with up to five examples) and exits 1. A speed or
refactoring change must leave this at "identical"; a quality change says what it moved.
"""

from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _export(rev: str, into: Path) -> Path:
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def _findings(checkout: Path, corpus: Path) -> tuple[bytes, set[tuple]]:
    # cwd first on sys.path: `python -m linter` runs the checkout's code, not the installed one
    proc = subprocess.run([sys.executable, "-m", "linter", "check", "--format", "json", str(corpus)],
                          cwd=checkout, capture_output=True)
    if proc.returncode not in (0, 1):
        sys.exit(f"{checkout}: copydesk check exited {proc.returncode}: {proc.stderr.decode()[-500:]}")
    found = set()
    for f in json.loads(proc.stdout)["files"]:
        for d in f["diagnostics"]:
            found.add((d["rule"], f["path"], d["line"], d["column"], d["message"]))
    return proc.stdout, found


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default="HEAD", help="revision to compare against (default HEAD)")
    ap.add_argument("--head", default=None, help="revision to compare (default: the work tree)")
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "news"))
    args = ap.parse_args()
    corpus = Path(args.corpus).resolve()
    if not corpus.is_dir():
        sys.exit(f"no corpus at {corpus}: it sits in ../shared beside the project checkout")
    with tempfile.TemporaryDirectory() as tmp:
        base = _export(args.base, Path(tmp) / "base")
        head = _export(args.head, Path(tmp) / "head") if args.head else ROOT
        base_bytes, base_found = _findings(base, corpus)
        head_bytes, head_found = _findings(head, corpus)
    label = args.head or "work tree"
    if base_bytes == head_bytes:
        print(f"identical: {len(base_found)} findings, JSON output byte-identical ({args.base} vs {label})")
        return 0
    gained = collections.Counter(f[0] for f in head_found - base_found)
    lost = collections.Counter(f[0] for f in base_found - head_found)
    print(f"DIFFERENT ({args.base} vs {label}): {len(base_found)} -> {len(head_found)} findings")
    for rule in sorted(set(gained) | set(lost)):
        print(f"  {rule}: +{gained[rule]} -{lost[rule]}")
    for sign, items in (("+", head_found - base_found), ("-", base_found - head_found)):
        for f in sorted(items)[:5]:
            print(f"  {sign} {f[0]} {f[1]}:{f[2]}:{f[3]} {f[4]}")
    if not gained and not lost:
        print("  same findings, different bytes (order, fields or formatting)")
    return 1


if __name__ == "__main__":
    sys.exit(main())
