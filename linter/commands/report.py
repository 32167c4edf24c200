"""`copydesk report`: lint an archive (in parallel, incrementally) and write the report."""

from __future__ import annotations

import glob
import os
import sys
from pathlib import Path

from .common import iter_article_paths, split_list

EXIT_OK, EXIT_ERROR = 0, 2


def _format_for(out: str, explicit: str | None) -> str:
    if explicit:
        return explicit
    suffix = Path(out).suffix.lower()
    return {".html": "html", ".htm": "html", ".json": "json", ".csv": "csv", ".md": "markdown"}.get(suffix, "html")


def iter_items(paths: list[str], input_format: str | None):
    """(path, raw bytes, format) for every article, streamed: nothing is read ahead."""
    for p in paths:
        if input_format == "jsonl":
            from .jsonl import json_lines

            name = "<stdin>" if p == "-" else p
            for n, line in json_lines(p):
                if line.strip():
                    yield f"{name}:{n}", line, "json"
            continue
        globbed = not os.path.exists(p) and any(c in p for c in "*?[")
        matches = sorted(glob.glob(p, recursive=True)) if globbed else [p]
        for m in matches:
            for path in iter_article_paths([m], found=globbed):  # a glob's finds are untrusted like a walk's
                try:
                    yield path, Path(path).read_bytes(), input_format
                except OSError as exc:
                    yield path, None, f"cannot read: {exc.strerror or exc}"


def run_report(args) -> int:
    from ..config import ConfigError, apply_overrides, config_for, rule_files
    from ..report.aggregate import Aggregate
    from ..report.cache import SummaryCache, article_key, default_path, run_digest
    from ..report.work import ArticleSummary
    from ..ruleset import RuleFileError, load_rule_sets

    try:
        cfg = config_for("-", args.config)
        ruleset = load_rule_sets(rule_files(cfg, args.rules, args.no_shipped_rules))
        ruleset.rules = apply_overrides(cfg, ruleset.rules)
    except (RuleFileError, ConfigError) as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_ERROR
    rules = ruleset.selected(split_list(args.select) or list(cfg.get("select") or []),
                             list(cfg.get("ignore") or []) + split_list(args.ignore))
    fmt = _format_for(args.output, args.format)
    keep_findings = fmt == "csv"
    cache = SummaryCache(None if args.no_cache else (args.cache or default_path()))
    run = run_digest(ruleset, rules, cfg, keep_findings) if cache.db is not None else ""

    from ..report import render

    agg = Aggregate()
    sinks = []
    out = Path(args.output)
    if fmt == "csv":
        sinks.append(render.CsvFindings(out))
    if args.summary_csv:
        sinks.append(render.CsvSummary(Path(args.summary_csv)))

    def take(summary) -> None:
        agg.add(summary)
        for sink in sinks:
            sink.add(summary)

    progress = _progress()
    jobs = max(1, args.jobs or os.cpu_count() or 1)
    work = None
    try:
        work = _Local(jobs, rules, keep_findings) if args.scheduler is None else _Dask(args.scheduler, rules, keep_findings)
        with progress as bar:
            task = bar.add_task("linting", total=None) if bar else None
            pending = []
            for path, data, item_fmt in iter_items(args.paths, args.input_format):
                if data is None:
                    take(ArticleSummary(path=path, error=f"{path}: error: {item_fmt}", score=0))
                    continue
                key = article_key(data, path, run, item_fmt)
                cached = cache.get(key)
                if cached is not None:
                    take(cached)
                else:
                    pending.append((key, (path, data, item_fmt)))
                if len(pending) >= 256:
                    _drain(work, pending, cache, take)
                    pending = []
                if bar:
                    bar.update(task, completed=agg.articles, description=f"linting · {sum(agg.severity.values())} findings")
            _drain(work, pending, cache, take)
            if bar:
                bar.update(task, completed=agg.articles)
    except KeyboardInterrupt:
        cache.close()
        print("copydesk: interrupted; the cache keeps what was done", file=sys.stderr)
        return 130
    finally:
        if work is not None:
            work.close()
        for sink in sinks:
            sink.close()
    cache.close()
    agg.suppressed.sort(key=lambda s: (s["path"], s["line"], s["rule"]))
    agg.errors.sort(key=lambda e: e["path"])
    if fmt == "json":
        render.write_json(agg, rules, out)
    elif fmt == "markdown":
        render.write_markdown(agg, rules, out)
    elif fmt == "html":
        render.write_html(agg, rules, out)
    print(f"{agg.articles} articles, {agg.with_errors} with errors, "
          f"{sum(agg.severity.values())} findings: report written to {out}", file=sys.stderr)
    return EXIT_OK


def _drain(work, pending, cache, take) -> None:
    if not pending:
        return
    for (key, _), summary in zip(pending, work.map([item for _, item in pending])):
        cache.put(key, summary)
        take(summary)


class _Local:
    """The same per-article work in this process or a pool of local processes."""

    def __init__(self, jobs: int, rules, keep: bool):
        from ..report.work import init_worker

        self.pool = None
        if jobs > 1:
            from concurrent.futures import ProcessPoolExecutor

            self.pool = ProcessPoolExecutor(max_workers=jobs, initializer=init_worker, initargs=(rules, keep))
        else:
            init_worker(rules, keep)

    def map(self, items):
        from ..report.work import lint

        if self.pool is None:
            return [lint(i) for i in items]
        return list(self.pool.map(lint, items, chunksize=16))

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)


class _Dask:
    """The same per-article work on a Dask cluster: Dask schedules, retries and moves data."""

    def __init__(self, address: str, rules, keep: bool):
        try:
            from dask.distributed import Client
        except ImportError:
            raise SystemExit("copydesk: error: --scheduler needs the dask extra: pip install 'copydesk[dask]'") from None
        self.client = Client(address) if isinstance(address, str) else address
        self.rules = self.client.scatter(rules, broadcast=True)
        self.keep = keep

    def map(self, items):
        futures = self.client.map(_dask_lint, items, rules=self.rules, keep=self.keep, pure=False)
        return self.client.gather(futures)

    def close(self) -> None:
        self.client.close()


def _dask_lint(item, rules, keep):
    from ..report.work import init_worker, lint

    init_worker(rules, keep)
    return lint(item)


class _NoProgress:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def _progress():
    if not sys.stderr.isatty():
        return _NoProgress()
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    transient=True, console=None)
