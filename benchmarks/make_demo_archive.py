"""Turn ../shared/corpus/news/ and its MANIFEST.tsv into a demo archive for `copydesk report`.

    python benchmarks/make_demo_archive.py OUT_DIR [--corpus ../shared/corpus/news] [--replicate N]

Each article becomes Markdown with front matter: title, author (from the manifest), date
(YYYY-MM-DD), desk (the source folder), and, deterministically, a share of variants: 10%
sponsored (with and without a sponsor name), 20% mentioning a ticker, some with a
disclosure block, so the report has real shape.  `--replicate N` writes N copies (for the
memory benchmark).  The output is generated data: never commit it.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
csv.field_size_limit(10**7)
DESKS = {"reuters_2006_2013": "wire", "reuters21578": "archive-1987", "bbc_business": "business"}
TICKERS = ["NYSE: XOM", "NASDAQ: AAPL", "TSXV: RUA", "$ACME", "NYSE: GS", "CSE: NWL"]


def _date(value: str) -> str | None:
    m = re.search(r"\b([A-Z][a-z]{2}) (\d{1,2}), (\d{4})\b", value)  # "Fri Oct 20, 2006 6:15pm EDT"
    if m:
        try:
            return datetime.strptime(" ".join(m.groups()), "%b %d %Y").strftime("%Y-%m-%d")
        except ValueError:
            return None
    m = re.search(r"(\d{4})-(\d{4})", value)
    if m:
        return f"{m.group(1)}-06-01"
    return None


def _bucket(name: str) -> int:
    return int(hashlib.sha256(name.encode()).hexdigest()[:8], 16) % 100


def convert(path: Path, meta: dict, copy: int) -> str:
    lines = path.read_text(encoding="utf-8").split("\n", 2)
    title, body = lines[0].strip(), (lines[2] if len(lines) > 2 else "").strip()
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n|\n(?=\s)", body) if p.strip()] or ["(no body)"]
    b = _bucket(f"{path.name}:{copy}")
    fm = {"title": title}
    author = (meta.get("author") or "").replace("By", "").strip()
    if author:
        fm["author"] = " ".join(author.split())
    date = _date(meta.get("date") or "")
    if date:
        fm["date"] = date
    fm["desk"] = DESKS.get(path.parent.name, path.parent.name)
    if b < 10:
        fm["sponsored"] = True
        fm["desk"] = "sponsored"
        if b < 5:
            fm["sponsor"] = "Northwind Promotions"
    if b < 30:
        paragraphs[0] = f"Shares of the company ({TICKERS[b % len(TICKERS)]}) moved on the news. " + paragraphs[0]
    if 15 <= b < 25:
        paragraphs.append("Not investment advice. The author holds no positions in the securities mentioned.")
    head = "---\n" + "".join(f"{k}: {json.dumps(v)}\n" for k, v in fm.items()) + "---\n\n"
    return head + "\n\n".join(paragraphs) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "news"))
    ap.add_argument("--replicate", type=int, default=1)
    args = ap.parse_args()
    corpus = Path(args.corpus)
    manifest = {row["file"]: row for row in csv.DictReader(open(corpus / "MANIFEST.tsv", encoding="utf-8"), delimiter="\t")}
    out = Path(args.out)
    n = 0
    for copy in range(args.replicate):
        for path in sorted(corpus.rglob("*.txt")):
            meta = manifest.get(f"news/{path.relative_to(corpus).as_posix()}", {})
            target = out / (f"copy{copy:02d}" if args.replicate > 1 else "") / path.parent.name / (path.stem + ".md")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(convert(path, meta, copy), encoding="utf-8")
            n += 1
    print(f"{n} articles written to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
