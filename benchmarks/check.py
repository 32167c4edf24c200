"""`copydesk check` throughput over the news corpus, and the pre-commit start-up cost.

    python benchmarks/check.py [--corpus ../shared/corpus/news] [--runs 7]

1. archive throughput: every corpus article parsed and checked against all shipped rules in
   one process (files read into memory first), articles/second and MB/second;
   next to it, the JSON output of those results: `json.dump(indent=2)` (the pure-Python
   encoder) against the reporter's writer (C encoder per flat object), checked byte-identical,
   and what a `--jobs` worker sends back per article: the pickled `FileResult` with its source
   against the one with an `Excerpt` (linter/excerpt.py);
2. one-article latency: wall time of a `copydesk check` process on one bundled example,
   next to `python -c pass` in the same run (min/median/max of --runs runs each).
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _times(cmd: list[str], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        out.append(time.perf_counter() - t0)
    return out


def _fmt(ts: list[float]) -> str:
    return f"min {min(ts) * 1000:.0f} ms, median {statistics.median(ts) * 1000:.0f} ms, max {max(ts) * 1000:.0f} ms"


def _best_cpu(fn, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        c0 = time.process_time()
        fn()
        best = min(best, time.process_time() - c0)
    return best


def _json_and_payload(results, rules, runs: int) -> None:
    """JSON output of `results` both ways (min CPU time of `runs`), and worker payload bytes."""
    import io
    import json
    import pickle

    from linter.commands.check import compact
    from linter.reporters import json_report

    for r in results:
        r.not_flagged = []  # as `check` prints without --explain
    doc = json_report.to_dict(results)
    slow, fast = io.StringIO(), io.StringIO()
    t_slow = _best_cpu(lambda: json.dump(doc, io.StringIO(), ensure_ascii=False, indent=2), runs)
    t_fast = _best_cpu(lambda: io.StringIO().writelines(json_report.iter_indented(doc)), runs)
    json.dump(doc, slow, ensure_ascii=False, indent=2)
    slow.write("\n")
    json_report.report(results, fast)
    same = "byte-identical" if slow.getvalue() == fast.getvalue() else "DIFFERENT"
    mb = len(fast.getvalue().encode()) / 1e6
    print(f"JSON output ({mb:.1f} MB, best of {runs}, CPU): json.dump(indent=2) {t_slow:.2f} s, "
          f"reporter {t_fast:.2f} s ({t_slow / t_fast:.1f}x), {same}")
    from linter.commands import check
    from linter.profile import build_profile

    profiles = {"all": build_profile()}  # what `check --jobs` hands its workers: the shipped rules
    strings = check._rule_strings(profiles)
    check._init_worker(profiles, False, True)
    whole = sum(len(pickle.dumps(r, pickle.HIGHEST_PROTOCOL)) for r in results)
    c0 = time.process_time()
    for r in results:
        pickle.loads(pickle.dumps(r, pickle.HIGHEST_PROTOCOL))
    t_whole = time.process_time() - c0
    print(f"--jobs payload, what workers sent before: FileResult with its source {whole / 1e6:.1f} MB "
          f"({t_whole:.2f} s CPU to pickle and load)")
    for fmt, whole_lines in (("text", True), ("json and the rest", False)):
        c0 = time.process_time()
        sent = 0
        for r in results:
            data = check._dumps(compact(r, False, whole_lines))
            sent += len(data)
            check._loads(data, strings)
        t_sent = time.process_time() - c0
        print(f"  now, for {fmt}: {sent / 1e6:.1f} MB ({t_sent:.2f} s CPU, excerpting included), "
              f"{whole / max(sent, 1):.1f}x fewer bytes")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "news"))
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()

    from linter.engine import check_source
    from linter.ruleset import load_rule_sets, shipped_rule_files
    from linter.source import decode

    print(f"python {platform.python_version()} on {platform.machine()}")
    corpus = Path(args.corpus)
    if corpus.is_dir():
        rules = load_rule_sets(shipped_rule_files()).rules
        raw = [(str(p), p.read_bytes()) for p in sorted(corpus.rglob("*.txt"))]
        mb = sum(len(b) for _, b in raw) / 1e6
        t0, c0 = time.perf_counter(), time.process_time()
        findings = 0
        results = []
        for path, data in raw:
            results.append(check_source(decode(path, data), rules))
            findings += len(results[-1].diagnostics)
        dt, cpu = time.perf_counter() - t0, time.process_time() - c0
        print(f"check, one process, {len(rules)} rules: {len(raw)} articles ({mb:.1f} MB) in {dt:.2f} s = "
              f"{len(raw) / dt:,.0f} articles/s, {mb / dt:.1f} MB/s; {findings} findings")
        # CPU time moves less than wall time when the machine is shared
        print(f"  CPU time {cpu:.2f} s = {len(raw) / cpu:,.0f} articles per CPU-second")
        _json_and_payload(results, rules, args.runs)
    else:
        print(f"corpus not found ({corpus}): throughput skipped")

    exe = shutil.which("copydesk")
    cmd = [exe] if exe else [sys.executable, "-m", "linter"]
    example = "examples/halvorsen-drilling-halt.md"
    _times(cmd + ["check", example], 1)  # warm the file cache
    base = _times([sys.executable, "-c", "pass"], args.runs)
    ours = _times(cmd + ["check", example], args.runs)
    print(f"python -c pass:          {_fmt(base)}")
    print(f"copydesk check {example}: {_fmt(ours)}  ({statistics.median(ours) / statistics.median(base):.1f}x python -c pass)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
