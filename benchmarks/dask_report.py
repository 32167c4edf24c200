"""`copydesk report --scheduler` on a 2-worker Dask `LocalCluster` against local `--jobs 2`.

    python benchmarks/dask_report.py [--corpus ../shared/corpus/news] [--repeat 2] [--timeout 300]

Starts a LocalCluster (2 worker processes, 1 thread each) in this process, then runs, in
turn and --repeat times, `copydesk report CORPUS --no-cache` locally with `--jobs 2` and on
the cluster with `--scheduler`, each a child process bounded by --timeout seconds.  Prints
the best wall time of each and their ratio (target: the cluster within 15% of local), checks
the two reports equal, and the per-task figures the scale note in README.md is built from:
tasks, scheduler CPU per task (this process hosts the scheduler and otherwise waits; figures of the last run), task
run time, and the bytes a task carries each way (its arguments as pickled; its results).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _report(args: list[str], timeout: float) -> tuple[float, str]:
    exe = shutil.which("copydesk")
    cmd = ([exe] if exe else [sys.executable, "-m", "linter"]) + ["report", *args]
    t = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    if done.returncode != 0:
        sys.exit(f"dask_report: {' '.join(cmd)} failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return time.perf_counter() - t, done.stderr


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _stable(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("generated", None)
    return data


def _payloads(corpus: Path, n: int) -> tuple[int, int, int, int]:
    """Pickled bytes of one task of n articles sent as paths, sent as bytes, and of its
    results; and the articles' own bytes (the first n files of the corpus, linted here)."""
    from linter.commands.common import iter_article_paths
    from linter.profile import build_profile
    from linter.report.cache import article_key
    from linter.report.work import lint_batch

    profiles = {"": build_profile()}  # the shipped rules, as a report without a configuration uses
    paths = []
    for p in iter_article_paths([str(corpus)], notes=lambda _: None):
        paths.append(p)
        if len(paths) == n:
            break
    items = [(p, Path(p).read_bytes()) for p in paths]
    # what the client sends per task: (key, path, bytes or None, format, path to read, profile key, where, run)
    as_paths = [(article_key(d, p, "", None), p, None, None, os.path.abspath(p), "", os.path.abspath(p), "")
                for p, d in items]
    as_bytes = [(article_key(d, p, "", None), p, d, None, None, "", os.path.abspath(p), "") for p, d in items]
    results = lint_batch(as_bytes, profiles, True)
    return (len(pickle.dumps(as_paths)), len(pickle.dumps(as_bytes)), len(pickle.dumps(results)),
            sum(len(d) for _, d in items))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "news"))
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=300, help="seconds allowed for each report run")
    opts = ap.parse_args()
    corpus = Path(opts.corpus)
    if not corpus.is_dir():
        print(f"dask_report: {corpus}: no corpus here (../shared/corpus/news beside the checkout)", file=sys.stderr)
        return 2
    try:
        from distributed import LocalCluster
    except ImportError:
        print("dask_report: needs the dask extra: pip install 'copydesk[dask]'", file=sys.stderr)
        return 2
    from distributed import Client, get_task_stream

    from linter.commands.report import _Dask

    tmp = Path(tempfile.mkdtemp(prefix="dask-report-"))
    local_out, dask_out = tmp / "local.json", tmp / "dask.json"
    local, remote, sched_cpu, client_cpu, note = [], [], [], [], ""
    try:
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                Client(cluster.scheduler_address) as client:
            cpu = time.process_time()
            time.sleep(5)
            idle = (time.process_time() - cpu) / 5  # this process's CPU a second with the cluster idle
            for _ in range(opts.repeat):
                local.append(_report([str(corpus), "-o", str(local_out), "--no-cache", "--jobs", "2"], opts.timeout)[0])
                with get_task_stream(client) as stream:
                    cpu, child = time.process_time(), _children_cpu()
                    wall, err = _report([str(corpus), "-o", str(dask_out), "--no-cache", "--scheduler",
                                         cluster.scheduler_address], opts.timeout)
                    sched_cpu.append(time.process_time() - cpu - idle * wall)
                    client_cpu.append(_children_cpu() - child)
                remote.append(wall)
                note = next((line for line in err.splitlines() if line.startswith("copydesk: dask:")), "")
                computes = [s["stop"] - s["start"] for r in stream.data if r["key"].startswith("lint_batch")
                            for s in r["startstops"] if s["action"] == "compute"]
            tasks = len(computes)
            task_seconds = sum(computes) / tasks if tasks else 0.0
    finally:
        same = local_out.exists() and dask_out.exists() and _stable(local_out) == _stable(dask_out)
        articles = _stable(local_out)["summary"]["articles"] if local_out.exists() else 0
        shutil.rmtree(tmp, ignore_errors=True)
    best_local, best_dask = min(local), min(remote)
    print(f"corpus: {corpus} ({articles:,} articles)")
    print(f"local --jobs 2:            best {best_local:.2f} s = {articles / best_local:,.0f} articles/s  "
          f"(runs: {', '.join(f'{t:.2f}' for t in local)})")
    print(f"dask LocalCluster 2 procs: best {best_dask:.2f} s = {articles / best_dask:,.0f} articles/s  "
          f"(runs: {', '.join(f'{t:.2f}' for t in remote)})")
    print(f"ratio dask/local: {best_dask / best_local:.2f} (target at most 1.15); reports identical: {same}")
    print(note)
    n = _Dask.BATCH_ARTICLES
    per_paths, per_bytes, per_result, raw = _payloads(corpus, n)
    if tasks:
        print(f"tasks: {tasks} a run ({articles / tasks:.0f} articles each); task compute {task_seconds * 1000:.0f} ms "
              f"= {task_seconds / (articles / tasks) * 1000:.2f} ms an article; scheduler CPU "
              f"{min(sched_cpu):.2f} s a run above idle ({idle * 100:.1f}% of a core) = "
              f"{min(sched_cpu) / tasks * 1000:.1f} ms a task; client CPU {min(client_cpu):.2f} s a run = "
              f"{min(client_cpu) / articles * 1000:.2f} ms an article")
    print(f"one task of {n} articles ({raw:,} bytes of text): arguments {per_paths:,} bytes as paths, "
          f"{per_bytes:,} as bytes; results {per_result:,} bytes")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
