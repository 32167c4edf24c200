"""Adversarial inputs from issue 17, each doubled a few times: does time grow linearly?

For every input the script builds the article at sizes n, 2n, 4n, ..., runs `copydesk check`
on it in this process (output to memory, best of `--repeat` runs) and prints the CPU time
of this process (wall time moves with whatever else the shared machine runs; `--wall` to
use it anyway) and its growth per doubling.  Linear work doubles (2.0x); the target is at most about 2.2x
(the last doubling is the one that counts: small sizes are dominated by fixed costs).

    python benchmarks/adversarial.py                 # all inputs
    python benchmarks/adversarial.py --only brackets --doublings 4
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CLAIM = "Revenue rose 4.2% to $1.3 billion in the quarter. Sources said the deal reportedly closed. It is a sure thing. "


def brackets(n: int) -> tuple[str, str, list[str]]:
    """Unmatched `[` in a Markdown paragraph (20,000 took 13 s: each looked for its `]`)."""
    return "brackets.md", "# T\n\n" + "[" * n + " text.\n", ["--format", "concise"]


def long_line_text_output(n: int) -> tuple[str, str, list[str]]:
    """One line of n characters full of findings, in the default text output (each finding
    copied and measured the whole line: 0.8 MB took 15.7 s)."""
    return "long.txt", "Headline\n\n" + CLAIM * (n // len(CLAIM)) + "\n", ["--format", "text"]


def long_line_concise(n: int) -> tuple[str, str, list[str]]:
    """The same line in the concise format: the cost of checking alone, for comparison."""
    return "long.txt", "Headline\n\n" + CLAIM * (n // len(CLAIM)) + "\n", ["--format", "concise"]


def five_line_spans(n: int) -> tuple[str, str, list[str]]:
    """n findings each spanning five lines, text output (this crashed before)."""
    para = "Revenue grew 40%\nto $5 billion\nin the year\nafter the merger\nclosed in March.\n\n"
    return "five.md", "# T\n\n" + para * n, ["--format", "text"]


def unreachable_for_comment(n: int) -> tuple[str, str, list[str]]:
    """Repeated 'could not be reached for comment' (a cue exception: 9.6 s at 800 KB)."""
    s = "Acme could not be reached for comment. "
    return "comment.txt", "Headline\n\n" + s * (n // len(s)) + "\n", ["--format", "concise"]


def nested_lists(n: int) -> tuple[str, str, list[str]]:
    """Markdown lists nested n deep (`- - - item`, so the text grows with n, not n squared as
    with indented lines), then a paragraph: past the nesting limit it is read as text."""
    return "deep.md", "# T\n\n" + "- " * n + "item\n\nIt is a sure thing.\n" * 50, ["--format", "concise"]


def front_matter_aliases(n: int) -> tuple[str, str, list[str]]:
    """Front matter with n keys, each an alias of a list: refused or read in linear time."""
    keys = "base: &b [a, b, c]\n" + "".join(f"k{i}: *b\n" for i in range(n))
    return "aliases.md", f"---\n{keys}---\n\n# T\n\nHello.\n", ["--format", "concise"]


def text_reporter_only(n: int) -> tuple[str, str, list[str]]:
    """The long line's findings through the text reporter alone (checked once, not timed)."""
    return long_line_text_output(n)


def time_reporter(folder: str, name: str, text: str, args: list[str], repeat: int, clock=time.process_time) -> float:
    """CPU time of `--format text` printing the findings of `text`, without the check."""
    from linter.engine import check_source
    from linter.reporters import text as text_reporter
    from linter.ruleset import load_rule_sets, shipped_rule_files
    from linter.source import Source

    result = check_source(Source(name, text), load_rule_sets(shipped_rule_files()).rules)
    best = float("inf")
    for _ in range(repeat):
        start = clock()
        text_reporter.report([result], io.StringIO())
        best = min(best, clock() - start)
    return best


INPUTS = {
    "brackets": (brackets, 5_000),
    "long-line-text": (long_line_text_output, 100_000),
    "long-line-concise": (long_line_concise, 100_000),
    "text-reporter-only": (text_reporter_only, 100_000),
    "five-line-spans": (five_line_spans, 500),
    "could-not-be-reached": (unreachable_for_comment, 100_000),
    "nested-lists": (nested_lists, 5_000),
    "front-matter-aliases": (front_matter_aliases, 2_000),
}


def time_check(folder: str, name: str, text: str, args: list[str], repeat: int, clock=time.process_time) -> float:
    from linter.cli import main

    path = os.path.join(folder, name)
    Path(path).write_text(text, encoding="utf-8")
    best = float("inf")
    for _ in range(repeat):
        sink = io.StringIO()
        start = clock()
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(io.StringIO()):
            main(["check", path, *args])
        best = min(best, clock() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", choices=sorted(INPUTS), help="run only these inputs")
    parser.add_argument("--doublings", type=int, default=3, help="how many times to double the first size")
    parser.add_argument("--repeat", type=int, default=3, help="runs per size (the best is kept)")
    parser.add_argument("--limit", type=float, default=2.2, help="growth per doubling allowed")
    parser.add_argument("--wall", action="store_true", help="wall-clock time instead of this process's CPU time")
    args = parser.parse_args()
    clock = time.perf_counter if args.wall else time.process_time
    os.environ.setdefault("NO_COLOR", "1")
    worst_fail = False
    print(f"{'input':<22} {'size':>10} {'wall s' if args.wall else 'CPU s':>9} {'growth':>7}")
    with tempfile.TemporaryDirectory() as folder:
        time_check(folder, "warm.md", "# T\n\nHello.\n", [], 1)  # imports and rule loading out of the figures
        for key in args.only or INPUTS:
            build, first = INPUTS[key]
            previous = None
            growths = []
            for k in range(args.doublings + 1):
                n = first * 2**k
                name, text, extra = build(n)
                timer = time_reporter if key == "text-reporter-only" else time_check
                seconds = timer(folder, name, text, extra, args.repeat, clock)
                growth = seconds / previous if previous else None
                if growth:
                    growths.append(growth)
                print(f"{key:<22} {n:>10,} {seconds:>9.3f} {growth and f'{growth:.2f}x' or '':>7}", flush=True)
                previous = seconds
            verdict = "ok" if growths[-1] <= args.limit else "TOO FAST GROWTH"
            worst_fail |= verdict != "ok"
            print(f"{key:<22} last doubling {growths[-1]:.2f}x, mean {sum(growths) / len(growths):.2f}x: {verdict}\n")
    return 1 if worst_fail else 0


if __name__ == "__main__":
    sys.exit(main())
