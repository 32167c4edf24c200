"""Parse throughput on one core, and sentence-boundary accuracy.

    python benchmarks/parse.py [--corpus ../shared/corpus/news] [--repeat 3]

Prints articles/second and MB/second for parsing every article of the corpus (files read
into memory first, so the figure is the parser's, not the disk's), best of --repeat runs,
and boundary precision/recall on tests/data/sentence_boundaries.txt.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from linter.document import parse_document  # noqa: E402
from linter.document.boundaries import score  # noqa: E402
from linter.source import decode  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "news"))
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        print(f"corpus not found: {corpus}", file=sys.stderr)
        return 2
    files = sorted(p for p in corpus.rglob("*") if p.suffix in (".txt", ".md", ".html", ".json"))
    raw = [(str(p), p.read_bytes()) for p in files]
    mb = sum(len(b) for _, b in raw) / 1e6
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        n_sent = 0
        for path, data in raw:
            n_sent += len(parse_document(decode(path, data)).sentences)
        times.append(time.perf_counter() - t0)
    best, med = min(times), statistics.median(times)
    print(f"python {platform.python_version()} on {platform.machine()}, one process")
    print(f"corpus: {len(raw)} articles, {mb:.1f} MB, {n_sent} sentences")
    print(f"parse: best {len(raw) / best:,.0f} articles/s, {mb / best:.1f} MB/s "
          f"(median {len(raw) / med:,.0f} articles/s over {args.repeat} runs)")
    b = score(ROOT / "tests" / "data" / "sentence_boundaries.txt")
    print(f"sentence boundaries: precision {b['precision']:.3f}, recall {b['recall']:.3f}, "
          f"{b['exact']}/{b['paragraphs']} paragraphs exact")
    return 0


if __name__ == "__main__":
    sys.exit(main())
