"""Every speed figure in one go, next to the tools people would use instead; writes RESULTS.md.

    pip install proselint        # the peer, in the same environment (optional)
    python benchmarks/run.py [--runs 9] [--throughput-runs 3] [--out benchmarks/RESULTS.md]

Figures (min / median / max of the runs): one-article latency of `copydesk check` on the
bundled plain-text and Markdown examples next to `python -c pass` and `proselint check` (run
in turn, round-robin, so a busy spell on the shared machine hits every command alike), with
the ratios issue 20 sets targets for (plain text <= 4x, Markdown <= 5x `python -c pass`);
archive throughput over ../shared/corpus/news with the default jobs (all cores) and with
`--jobs 1`, in articles per wall second and per CPU-second of the process tree (children's
rusage), and proselint over the same files per CPU-second (target: copydesk >= 5x); cost
growth of one article scaled from 3 KB to 3 MB and a single 1 MB paragraph (time per MB and
peak memory); and the top frames of a profile of the archive run.

Measure from a regular install (`pip install .`), as CI and users run it: an editable install
adds an import finder to every start-up.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import platform
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLAIN, MARKDOWN = "examples/halvorsen-drilling-halt.txt", "examples/halvorsen-drilling-halt.md"


def _copydesk() -> list[str]:
    exe = shutil.which("copydesk")
    return [exe] if exe else [sys.executable, "-m", "linter"]


def _run(cmd: list[str], **kw) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system of the whole process tree) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, **kw)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _times(cmd: list[str], runs: int, **kw) -> list[float]:
    return [_run(cmd, **kw)[0] for _ in range(runs)]


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


def _latency(args, proselint: str | None) -> list[str]:
    lines = ["## One-article latency (the pre-commit cost)", "",
             "| command | wall time | / `python -c pass` | target |", "| --- | --- | ---: | ---: |"]
    commands = {"python -c pass": [sys.executable, "-c", "pass"]}
    for example in (PLAIN, MARKDOWN):
        commands[f"copydesk check {example}"] = _copydesk() + ["check", example]
        _times(commands[f"copydesk check {example}"], 1)  # warm the rule-set cache and the file cache
    if proselint:
        commands[f"proselint check {MARKDOWN}"] = [proselint, "check", MARKDOWN]
    timed: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, cmd in commands.items():
            timed[name] += _times(cmd, 1)
    base = statistics.median(timed["python -c pass"])
    targets = {f"copydesk check {PLAIN}": "4x", f"copydesk check {MARKDOWN}": "5x"}
    for name, ts in timed.items():
        ratio = "" if name == "python -c pass" else f"{statistics.median(ts) / base:.1f}x"
        lines.append(f"| `{name}` | {_mmm(ts)} | {ratio} | {targets.get(name, '')} |")
    return lines


def _throughput(args, files: list[str], corpus: Path, proselint: str | None) -> list[str]:
    mb = sum(Path(f).stat().st_size for f in files) / 1e6
    lines = ["", f"## Archive throughput ({len(files)} articles, {mb:.1f} MB; {os.cpu_count()} cores)", "",
             "| command | jobs | wall time | articles/s | articles per CPU-second |",
             "| --- | ---: | --- | ---: | ---: |"]
    per_cpu: dict[str, float] = {}
    runs = {"copydesk check (default jobs)": _copydesk() + ["check", "--format", "json", str(corpus)],
            "copydesk check --jobs 1": _copydesk() + ["check", "--format", "json", "--jobs", "1", str(corpus)]}
    list_file = Path(tempfile.mkstemp(suffix=".txt")[1])
    list_file.write_text("\n".join(files) + "\n")
    if proselint:
        runs["proselint check (xargs, one process)"] = ["sh", "-c", f"xargs -n 500 {proselint} check < {list_file}"]
    for name, cmd in runs.items():
        measured = [_run(cmd) for _ in range(args.throughput_runs)]
        walls = [w for w, _ in measured]
        cpu = statistics.median(c for _, c in measured)
        per_cpu[name] = len(files) / cpu
        jobs = "all" if "default" in name else "1"
        lines.append(f"| {name} | {jobs} | {_mmm(walls, 1, 's')} | {len(files) / statistics.median(walls):,.0f} | {per_cpu[name]:,.0f} |")
    list_file.unlink()
    if proselint:
        ratio = per_cpu["copydesk check --jobs 1"] / per_cpu["proselint check (xargs, one process)"]
        lines += ["", f"copydesk / proselint per CPU-second: {ratio:.1f}x (target at least 5x)."]
    return lines


def _growth(files: list[str]) -> list[str]:
    lines = ["", "## Cost growth (one article, repeated paragraphs)", "",
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
    return lines


def _profile(files: list[str]) -> list[str]:
    """cProfile of the per-article path the CLI runs, in this process, over 600 corpus articles."""
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
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(15)
    lines = ["", "## Profile of the archive run (one process, 600 articles, top frames by own time)", "", "```"]
    lines += [ln.replace(str(ROOT) + "/", "") for ln in buf.getvalue().splitlines() if ln.strip()][-16:]
    return lines + ["```"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=9)
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
        f"{time.strftime('%Y-%m-%d')}: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, proselint {'present' if proselint else 'not installed'}. "
        "Figures are min / median / max.",
        "",
    ]
    lines += _latency(args, proselint)
    if files:
        lines += _throughput(args, files, corpus, proselint)
        lines += _growth(files)
        sys.path.insert(0, str(ROOT))
        lines += _profile(files)
    else:
        lines += ["", f"(no corpus at {corpus}: throughput, growth and profile skipped)"]
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
