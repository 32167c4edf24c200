"""Every speed figure in one go, next to the tools people would use instead; writes RESULTS.md.

    pip install proselint        # the peer, in the same environment (optional)
    python benchmarks/run.py [--runs 5] [--throughput-runs 3] [--out benchmarks/RESULTS.md]

Figures (min / median / max of the runs): one-article latency of `copydesk check` next to
`python -c pass` and `proselint check` (the three run in turn, round-robin); archive
throughput over ../shared/corpus/news at one and two processes (copydesk `--jobs`,
proselint through `xargs -P`); cost growth of one article scaled from 3 KB to 3 MB and a
single 1 MB paragraph (time per MB and peak memory); and the top frames of a profile of the
archive run.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _copydesk() -> list[str]:
    exe = shutil.which("copydesk")
    return [exe] if exe else [sys.executable, "-m", "linter"]


def _times(cmd: list[str], runs: int, **kw) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, **kw)
        out.append(time.perf_counter() - t0)
    return out


def _mmm(ts: list[float], scale: float = 1000, unit: str = "ms") -> str:
    return f"{min(ts) * scale:.0f} / {statistics.median(ts) * scale:.0f} / {max(ts) * scale:.0f} {unit}"


def _peak_kib(cmd: list[str]) -> tuple[float, int]:
    probe = (
        "import resource, subprocess, time\n"
        "t = time.perf_counter()\n"
        f"subprocess.run({cmd!r}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT).stdout.split()
    return float(out[0]), int(out[1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--throughput-runs", type=int, default=3)
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "news"))
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "RESULTS.md"))
    args = ap.parse_args()
    corpus = Path(args.corpus)
    files = sorted(str(p) for p in corpus.rglob("*.txt")) if corpus.is_dir() else []
    proselint = shutil.which("proselint")
    lines = [
        "# Benchmark results",
        "",
        f"Written by `python benchmarks/run.py --runs {args.runs} --throughput-runs {args.throughput_runs}` on "
        f"{time.strftime('%Y-%m-%d')}: {platform.machine()}, {__import__('os').cpu_count()} cores, Python "
        f"{platform.python_version()}, proselint {'present' if proselint else 'not installed'}. "
        "Figures are min / median / max.",
        "",
        "## One-article latency (the pre-commit cost)",
        "",
        "| command | wall time |",
        "| --- | --- |",
    ]
    example = "examples/halvorsen-drilling-halt.md"
    _times(_copydesk() + ["check", example], 1)  # warm the rule-set cache and the file cache
    # round-robin, so a busy spell on a shared machine hits every command alike
    commands = {"base": [sys.executable, "-c", "pass"], "ours": _copydesk() + ["check", example]}
    if proselint:
        commands["peer"] = [proselint, "check", example]
    timed: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, cmd in commands.items():
            timed[name] += _times(cmd, 1)
    base, ours = timed["base"], timed["ours"]
    lines.append(f"| `python -c pass` | {_mmm(base)} |")
    lines.append(f"| `copydesk check {example}` | {_mmm(ours)} ({statistics.median(ours) / statistics.median(base):.1f}x python) |")
    if proselint:
        lines.append(f"| `proselint check {example}` | {_mmm(timed['peer'])} |")

    if files:
        mb = sum(Path(f).stat().st_size for f in files) / 1e6
        lines += ["", f"## Archive throughput ({len(files)} articles, {mb:.1f} MB)", "",
                  "| command | processes | wall time | articles/s | MB/s |", "| --- | ---: | --- | ---: | ---: |"]
        list_file = Path(tempfile.mkstemp(suffix=".txt")[1])
        list_file.write_text("\n".join(files) + "\n")
        for jobs in (1, 2):
            ts = _times(_copydesk() + ["check", "--format", "concise", "--jobs", str(jobs), str(corpus)], args.throughput_runs)
            med = statistics.median(ts)
            lines.append(f"| copydesk check | {jobs} | {_mmm(ts, 1, 's')} | {len(files) / med:,.0f} | {mb / med:.2f} |")
        if proselint:
            for jobs in (1, 2):
                cmd = ["sh", "-c", f"xargs -P {jobs} -n 100 {proselint} check < {list_file}"]
                ts = _times(cmd, args.throughput_runs)
                med = statistics.median(ts)
                lines.append(f"| proselint check | {jobs} | {_mmm(ts, 1, 's')} | {len(files) / med:,.0f} | {mb / med:.2f} |")
        list_file.unlink()

        lines += ["", "## Cost growth (one article, repeated paragraphs)", "",
                  "| article | size | wall time | s per MB | peak RSS | RSS / size |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
        seed = Path(files[0]).read_text(encoding="utf-8")
        paragraph = " ".join(seed.split("\n", 2)[-1].split())[:3000] or "Acme rose 5%."
        tmp = Path(tempfile.mkdtemp())
        for label, size in (("3 KB", 3_000), ("300 KB", 300_000), ("3 MB", 3_000_000)):
            body = "\n\n".join([paragraph] * max(1, size // (len(paragraph) + 2)))
            path = tmp / f"grow-{size}.txt"
            path.write_text("Growth test\n\n" + body + "\n", encoding="utf-8")
            secs, kib = _peak_kib(_copydesk() + ["check", "--format", "concise", str(path)])
            real = path.stat().st_size
            lines.append(f"| {label} of paragraphs | {real / 1e6:.2f} MB | {secs:.2f} s | {secs / (real / 1e6):.2f} | {kib / 1024:.0f} MiB | {kib * 1024 / real:.0f}x |")
        long_path = tmp / "one-paragraph.txt"
        sentence = "Acme Corp. said revenue rose 4.2% to $1.3 billion in the third quarter. "
        long_path.write_text("Long paragraph\n\n" + sentence * (1_000_000 // len(sentence)) + "\n", encoding="utf-8")
        secs, kib = _peak_kib(_copydesk() + ["check", "--format", "concise", str(long_path)])
        real = long_path.stat().st_size
        lines.append(f"| a single paragraph | {real / 1e6:.2f} MB | {secs:.2f} s | {secs / (real / 1e6):.2f} | {kib / 1024:.0f} MiB | {kib * 1024 / real:.0f}x |")
        shutil.rmtree(tmp, ignore_errors=True)

        lines += ["", "## Profile of the archive run (one process, top frames by own time)", "", "```"]
        sys.path.insert(0, str(ROOT))
        from linter.engine import check_source
        from linter.ruleset import load_rule_sets, shipped_rule_files
        from linter.source import read_source

        rules = load_rule_sets(shipped_rule_files()).rules
        sources = [read_source(f) for f in files[:600]]
        prof = cProfile.Profile()
        prof.enable()
        for s in sources:
            check_source(s, rules)
        prof.disable()
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(12)
        lines += [ln.replace(str(ROOT) + "/", "") for ln in buf.getvalue().splitlines() if ln.strip()][-13:]
        lines.append("```")
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
