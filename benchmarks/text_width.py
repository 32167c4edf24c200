"""Does `copydesk check` text output fit the width?  Runs the text reporter over the news
corpus (../shared/corpus/news) at each width (COLUMNS, as on a terminal of that size) and
counts lines wider than it, by rich's cell measure, and of those the ones with more than one
word (a single word wider than the line, a long path, is left whole on purpose).

    python benchmarks/text_width.py [--widths 80 120] [--limit N]
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--widths", type=int, nargs="+", default=[80, 120])
    ap.add_argument("--limit", type=int, default=0, help="only the first N articles (0: all)")
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "news"))
    args = ap.parse_args()

    from rich.cells import cell_len

    from linter.commands.common import article_paths
    from linter.engine import check_source
    from linter.reporters import text
    from linter.ruleset import load_rule_sets, shipped_rule_files
    from linter.source import ArticleError, read_source

    rules = load_rule_sets(shipped_rule_files()).rules
    problems: list[str] = []
    paths = article_paths([args.corpus], problems)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 2
    if args.limit:
        paths = paths[: args.limit]
    results = []
    for p in paths:
        try:
            results.append(check_source(read_source(p), rules))
        except ArticleError:
            continue
    findings = sum(len(r.diagnostics) for r in results)
    print(f"{len(results)} articles, {findings} findings")
    for width in args.widths:
        os.environ["COLUMNS"] = str(width)
        out = io.StringIO()
        t0 = time.perf_counter()
        text.report(results, out)
        seconds = time.perf_counter() - t0
        lines = out.getvalue().splitlines()
        over = [s for s in lines if cell_len(s) > width]
        words = [s for s in over if " " in s.strip()]
        print(f"width {width}: {len(lines)} lines in {seconds:.2f} s; {len(over)} wider than {width} "
              f"(longest {max((cell_len(s) for s in lines), default=0)}), of which {len(words)} hold more than one word")
    return 0


if __name__ == "__main__":
    sys.exit(main())
