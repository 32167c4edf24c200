"""`copydesk report` over a demo archive: throughput, warm-cache time, peak memory.

    python benchmarks/report.py [--corpus ../shared/corpus/news] [--replicate 10]

Builds the demo archive (make_demo_archive.py) in a temporary folder, then times
`copydesk report` at --jobs 1 and --jobs 2 with an empty cache, the --jobs 2 run again
with its warm cache, the HTML report from the warm cache (its size, and with Playwright
and Chromium installed, the time the page takes to load and to apply a filter), and
measures peak resident memory (the largest process: the main one or a worker) for the
corpus and for the corpus replicated --replicate times.  Memory must not grow with the
archive beyond the worst-N detail.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(args: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one copydesk process tree, measured in a child."""
    exe = shutil.which("copydesk")
    cmd = [exe] if exe else [sys.executable, "-m", "linter"]
    probe = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        f"subprocess.run({(cmd + args)!r}, check=True, stderr=subprocess.DEVNULL)\n"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), int(out[1])


def _page_timing(html: Path) -> None:
    """Load the page in headless Chromium and time its load and one filter (where installed)."""
    import time

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        chromium = None
    if chromium is None:
        print("HTML in Chromium: skipped (needs chromium and playwright)")
        return
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1100, "height": 1400})
        t = time.perf_counter()
        page.goto(html.as_uri(), wait_until="load")
        loaded = time.perf_counter() - t
        rows = page.locator("tr.finding").count()
        # in the page: the filter's own work and the layout it causes, without the driver's round trips
        apply = """(v) => { const s = document.getElementById('filter-severity'); s.value = v;
            const t = performance.now(); s.dispatchEvent(new Event('change', {bubbles: true}));
            document.body.offsetHeight; return performance.now() - t; }"""
        filtered = [page.evaluate(apply, v) for v in ("error", "info", "")]
        browser.close()
    print(f"HTML in Chromium: loaded in {loaded:.2f} s ({rows:,} findings in detail); severity filter error / info / "
          f"all applied in {filtered[0]:.0f} / {filtered[1]:.0f} / {filtered[2]:.0f} ms")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "news"))
    ap.add_argument("--replicate", type=int, default=10)
    args = ap.parse_args()
    if not Path(args.corpus).is_dir():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="copydesk-report-bench-"))
    try:
        make = [sys.executable, str(ROOT / "benchmarks" / "make_demo_archive.py"), "--corpus", args.corpus]
        subprocess.run(make + [str(tmp / "archive")], check=True, stderr=subprocess.DEVNULL)
        n = sum(1 for _ in (tmp / "archive").rglob("*.md"))
        print(f"python {platform.python_version()} on {platform.machine()}; demo archive: {n} articles")
        for jobs in (1, 2):
            cache = tmp / f"cache-{jobs}.sqlite"
            secs, rss = _run(["report", str(tmp / "archive"), "-o", str(tmp / "r.json"), "--jobs", str(jobs), "--cache", str(cache)])
            print(f"--jobs {jobs}, empty cache: {secs:.1f} s = {n / secs:,.0f} articles/s; peak RSS {rss / 1024:.0f} MiB")
        secs, rss = _run(["report", str(tmp / "archive"), "-o", str(tmp / "r.json"), "--jobs", "2", "--cache", str(tmp / "cache-2.sqlite")])
        print(f"--jobs 2, warm cache: {secs:.2f} s; peak RSS {rss / 1024:.0f} MiB")
        html = tmp / "r.html"
        secs, rss = _run(["report", str(tmp / "archive"), "-o", str(html), "--jobs", "2", "--cache", str(tmp / "cache-2.sqlite")])
        print(f"HTML, warm cache: {secs:.2f} s, {html.stat().st_size / 1e6:.1f} MB; peak RSS {rss / 1024:.0f} MiB")
        _page_timing(html)
        if args.replicate > 1:
            subprocess.run(make + ["--replicate", str(args.replicate), str(tmp / "big")], check=True, stderr=subprocess.DEVNULL)
            big = sum(1 for _ in (tmp / "big").rglob("*.md"))
            secs, rss = _run(["report", str(tmp / "big"), "-o", str(tmp / "big.json"), "--jobs", "2", "--no-cache"])
            print(f"x{args.replicate} ({big} articles), --jobs 2: {secs:.1f} s = {big / secs:,.0f} articles/s; peak RSS {rss / 1024:.0f} MiB")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
