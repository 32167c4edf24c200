"""Turn ../shared/corpus/news/ and its MANIFEST.tsv into a demo archive for `copydesk report`.

    python benchmarks/make_demo_archive.py OUT_DIR [--corpus ../shared/corpus/news] [--replicate N]
    python benchmarks/make_demo_archive.py OUT_DIR --synthetic N [--months M]

Each article becomes Markdown with front matter: title, author (from the manifest), date
(YYYY-MM-DD), desk (the source folder), and, deterministically, a share of variants: 10%
sponsored (with and without a sponsor name), 20% mentioning a ticker, some with a
disclosure block, so the report has real shape.  `--replicate N` writes N copies (for the
memory benchmark).  `--synthetic N` needs no corpus: N short generated articles over M
months (default 24), dense with findings (about 20 each), by 40 authors on 6 desks, with
some articles naming their author only in a byline, some naming no author, desk or date,
and some clean; the report's browser test builds its archive this way.  The output is
generated data: never commit it.
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


AUTHORS = [f"{first} {last}" for first, last in zip(
    ["Ann", "Ben", "Carla", "Dev", "Eun-ji", "Farid", "Gita", "Hugo", "Ines", "Jon"] * 4,
    ["Lee", "Okafor", "Marsh", "Patel", "Kim", "Haddad", "Rao", "Weber", "Costa", "Berg",
     "Nakamura", "Silva", "Novak", "Moreau", "Ivanova", "Schmidt", "Rossi", "Jensen", "Walsh", "Dubois",
     "Kowalski", "Andersen", "Fischer", "Romero", "Sato", "Murphy", "Lindqvist", "Hassan", "Keller", "Bianchi",
     "Varga", "Horvat", "Larsen", "Mendes", "Ortiz", "Quinn", "Reyes", "Stone", "Tanaka", "Young"])]
SYNTHETIC_DESKS = ["markets", "mining", "tech", "energy", "crypto", "personal-finance"]
CLAIMS = [
    "Shares of {company} ({ticker}) rose {pct}% to ${price} on Monday.",
    "Revenue could double next year.",
    "Sources say the deal is done.",
    "Insiders said the stock will rally.",
    "Profit rose {pct}% in the quarter.",
    "The company may be sold, people familiar said.",
    "Analysts believe it will triple.",
    "It is a sure thing.",
]
CLEAN = "The central bank held rates at {pct}%, its governor said on Tuesday."
DISCLOSURE = "Not investment advice. The author holds no positions in the securities mentioned."


def synthetic(i: int, months: int) -> str:
    """Article `i` of a generated archive: deterministic, varied, dense with findings."""
    b = _bucket(f"synthetic:{i}")
    fm: dict = {"title": f"Company {i} in the news"}
    author = AUTHORS[(i * 7 + b) % len(AUTHORS)] if b % 10 else None  # 10%: no author at all
    byline_only = author is not None and b % 10 == 1  # 10%: the author only in a byline
    if author and not byline_only:
        fm["author"] = author
    if b % 25:  # 4%: no desk
        fm["desk"] = SYNTHETIC_DESKS[(i + b) % len(SYNTHETIC_DESKS)]
    if b % 20 != 3:  # 5%: no date
        month = i % months
        fm["date"] = f"{2024 + month // 12:04d}-{month % 12 + 1:02d}-{b % 28 + 1:02d}"
    if b < 15:
        fm["sponsored"] = True
    values = {"company": f"Company{i} Corp.", "ticker": TICKERS[b % len(TICKERS)], "pct": b % 40 + 2, "price": f"{b + 10}.20"}
    if b >= 85:  # 15%: a clean article
        paragraphs = [CLEAN.format(**values)]
    else:
        paragraphs = [" ".join(c.format(**values) for c in CLAIMS) for _ in range(1 + b % 3)]
        if b % 4 == 0:
            paragraphs.append(DISCLOSURE)
    if byline_only:
        paragraphs.insert(0, f"By {author}")
    head = "---\n" + "".join(f"{k}: {json.dumps(v)}\n" for k, v in fm.items()) + "---\n\n"
    return head + "\n\n".join(paragraphs) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "news"))
    ap.add_argument("--replicate", type=int, default=1)
    ap.add_argument("--synthetic", type=int, metavar="N", help="N generated articles instead of the corpus")
    ap.add_argument("--months", type=int, default=24, help="months the synthetic articles span")
    args = ap.parse_args()
    if args.synthetic is not None:
        out = Path(args.out)
        for i in range(args.synthetic):
            target = out / f"{i // 100:03d}" / f"article-{i:05d}.md"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(synthetic(i, max(1, args.months)), encoding="utf-8")
        print(f"{args.synthetic} articles written to {out}", file=sys.stderr)
        return 0
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
