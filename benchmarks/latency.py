"""Where a one-article `copydesk check` spends its time: start-up, imports, regex compilation.

    python benchmarks/latency.py [--runs 9] [FILE ...]

For each file (default: the bundled plain-text and Markdown examples), in fresh processes
(the rule-set cache warm), the median of --runs runs of:
- `python -c pass` (the interpreter's own start-up, the unit the latency targets use);
- the whole check, timed inside the process from its first import to its exit;
- the part of it spent compiling regular expressions (copydesk's `LazyRegex.compiled`,
  timed by wrapping that property: `re` keeps a compiled program in memory only, so every
  process compiles the patterns its article needs) and how many it compiled;
- the import of the modules (everything before the command runs).
The compile share is what no import trimming can remove.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ["examples/halvorsen-drilling-halt.txt", "examples/halvorsen-drilling-halt.md"]

_PROBE = r"""
import time
t0 = time.perf_counter()
import contextlib, io, json, sys
import linter.cli, linter.commands.check
try:
    import linter.patterns.compile as compile_module
except ImportError:  # a checkout from before issue 19 (copy this script into it to compare)
    import linter.textmatch as compile_module
t_imported = time.perf_counter()
spent = [0.0, 0]
compiled = compile_module.LazyRegex.compiled
def timed(self):
    if self._compiled is None:
        t = time.perf_counter()
        value = compiled.fget(self)
        spent[0] += time.perf_counter() - t
        spent[1] += 1
        return value
    return compiled.fget(self)
compile_module.LazyRegex.compiled = property(timed)
with contextlib.redirect_stdout(io.StringIO()):
    linter.cli.main(["check", sys.argv[1]])
t1 = time.perf_counter()
print(json.dumps({"total": t1 - t0, "imports": t_imported - t0, "compile": spent[0], "patterns": spent[1]}))
"""


def _wall(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("files", nargs="*", default=EXAMPLES)
    args = ap.parse_args()
    for f in args.files:  # warm the rule-set cache
        subprocess.run([sys.executable, "-I", "-c", _PROBE, f], cwd=ROOT, capture_output=True)
    base = statistics.median(_wall([sys.executable, "-I", "-c", "pass"]) for _ in range(args.runs))
    print(f"python -c pass: {base * 1000:.0f} ms (median of {args.runs})")
    for f in args.files:
        rows = []
        for _ in range(args.runs):
            out = subprocess.run([sys.executable, "-I", "-c", _PROBE, f], cwd=ROOT, capture_output=True, text=True, check=True)
            rows.append(json.loads(out.stdout))
        med = {k: statistics.median(r[k] for r in rows) for k in ("total", "imports", "compile", "patterns")}
        whole = base + med["total"]
        print(f"{f}: about {whole * 1000:.0f} ms = {whole / base:.1f}x python -c pass; inside the process "
              f"{med['total'] * 1000:.0f} ms: imports {med['imports'] * 1000:.0f} ms, compiling "
              f"{med['patterns']:.0f} regexes {med['compile'] * 1000:.0f} ms "
              f"({med['compile'] / base:.1f}x python -c pass on its own), the rest "
              f"{(med['total'] - med['imports'] - med['compile']) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
