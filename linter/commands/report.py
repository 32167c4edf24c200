"""`copydesk report`: lint an archive (in parallel, incrementally) and write the report."""

from __future__ import annotations

import glob
import os
import sys
from pathlib import Path

from .common import iter_article_paths

EXIT_OK, EXIT_ERROR = 0, 2


class NothingToReport(Exception):
    """A path that names no article: a report of nothing must never read as all clear."""


def _globbed(p: str) -> bool:
    return not os.path.exists(p) and any(c in p for c in "*?[")


def check_paths(paths: list[str], input_format: str | None) -> None:
    """Refuse, before any work, a path that cannot hold an article: missing, or a glob that
    matches nothing.  (A folder with no article is found by `iter_items` as it walks.)"""
    for p in paths:
        if p == "-":
            continue
        if _globbed(p):
            if not glob.glob(p, recursive=True):
                raise NothingToReport(f"{p}: no file matches this pattern")
        elif not os.path.exists(p):
            raise NothingToReport(f"{p}: No such file or directory")


def iter_items(paths: list[str], input_format: str | None):
    """(path, raw bytes, format) for every article, streamed: nothing is read ahead.  A
    path that yields no article (an empty folder, one with no article files, a glob whose
    finds were all skipped, an empty stream) raises NothingToReport."""
    for p in paths:
        found = 0
        if input_format == "jsonl":
            from .jsonl import json_lines

            name = "<stdin>" if p == "-" else p
            for n, line in json_lines(p):
                if line.strip():
                    found += 1
                    yield f"{name}:{n}", line, "json"
            if not found:
                raise NothingToReport(f"{p}: no article in this stream")
            continue
        globbed = _globbed(p)
        matches = sorted(glob.glob(p, recursive=True)) if globbed else [p]
        for m in matches:
            for path in iter_article_paths([m], found=globbed):  # a glob's finds are untrusted like a walk's
                found += 1
                try:
                    yield path, Path(path).read_bytes(), input_format
                except OSError as exc:
                    yield path, None, f"cannot read: {exc.strerror or exc}"
        if not found:
            what = "folder" if os.path.isdir(p) else "pattern" if globbed else "path"
            raise NothingToReport(f"{p}: no article in this {what} (looked for {_extensions()})")


def _count(paths: list[str], input_format: str | None) -> int | None:
    """How many articles the walk will find, for the progress bar's total (a walk costs
    little beside linting); None for a stream, which is read once."""
    if input_format == "jsonl":
        return None
    n = 0
    for p in paths:
        globbed = _globbed(p)
        for m in sorted(glob.glob(p, recursive=True)) if globbed else [p]:
            n += sum(1 for _ in iter_article_paths([m], notes=lambda _: None, found=globbed))
    return n


def _extensions() -> str:
    from ..document import EXTENSIONS

    return ", ".join(sorted(EXTENSIONS))


def check_output(out: Path) -> None:
    """The report file must be writable where it is named: found now, not after the work."""
    if out.is_dir():
        raise IsADirectoryError(21, "Is a directory", str(out))
    if not out.parent.is_dir():
        raise FileNotFoundError(2, "No such file or directory", str(out))


def run_report(args) -> int:
    from ..config import ConfigError, apply_overrides, config_for, rule_files
    from ..report.aggregate import Aggregate
    from ..report.cache import SummaryCache, article_key, default_path, run_digest
    from ..report.work import ArticleSummary
    from ..ruleset import RuleFileError, load_rule_sets
    from .common import UsageError, report_format, select_rules

    out = Path(args.output)
    try:
        check_output(out)  # a folder or a missing folder: said as such, before the extension
        fmt = report_format(args.output, args.format)
        cfg = config_for("-", args.config)
        ruleset = load_rule_sets(rule_files(cfg, args.rules, args.no_shipped_rules))
        ruleset.rules = apply_overrides(cfg, ruleset.rules)
        rules = select_rules(ruleset.rules, cfg, args.select, args.ignore)
        if args.summary_csv:
            check_output(Path(args.summary_csv))
        check_paths(args.paths, args.input_format)
    except (RuleFileError, ConfigError, UsageError) as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_ERROR
    except NothingToReport as exc:
        _error(exc)
        return EXIT_ERROR
    if args.detail is not None and args.detail < 0:
        print("copydesk: error: --detail: must be 0 or more", file=sys.stderr)
        return EXIT_ERROR
    keep_findings = True  # the page's detail, the JSON's articles, the CSV's rows
    cache = SummaryCache(None if args.no_cache else (args.cache or default_path()))
    run = run_digest(ruleset, rules, cfg, keep_findings) if cache.db is not None else ""

    from ..report import render
    from ..report.aggregate import DETAIL

    agg = Aggregate(detail=DETAIL if args.detail is None else args.detail)
    sinks = []
    articles = None
    if fmt == "csv":
        sinks.append(render.CsvFindings(out))
    elif fmt == "json":
        articles = render.JsonArticles()
        sinks.append(articles)
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
            task = bar.add_task("linting", total=_count(args.paths, args.input_format)) if bar else None
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
                    bar.update(task, completed=agg.articles, description=f"linting · {agg.findings:,} findings")
            _drain(work, pending, cache, take)
            if bar:
                bar.update(task, completed=agg.articles)
        agg.suppressed.sort(key=lambda s: (s["path"], s["line"], s["rule"]))
        agg.errors.sort(key=lambda e: e["path"])
        if fmt == "json":
            render.write_json(agg, rules, out, articles)
        elif fmt == "markdown":
            render.write_markdown(agg, rules, out)
        elif fmt == "html":
            render.write_html(agg, rules, out)
    except KeyboardInterrupt:
        cache.close()
        print("copydesk: interrupted; the cache keeps what was done", file=sys.stderr)
        return 130
    except NothingToReport as exc:
        cache.close()
        for sink in sinks:
            sink.close()
        partials = ([out] if fmt == "csv" else []) + ([Path(args.summary_csv)] if args.summary_csv else [])
        for partial in partials:
            partial.unlink(missing_ok=True)  # no half report left to read as a whole one
        _error(exc)
        return EXIT_ERROR
    finally:
        if work is not None:
            work.close()
        for sink in sinks:
            sink.close()
    cache.close()
    print(f"{agg.articles:,} articles, {agg.with_errors:,} with errors, "
          f"{agg.findings:,} findings: report written to {out}", file=sys.stderr)
    return EXIT_OK


def _error(exc: Exception) -> None:
    from ..safetext import one_line

    print(one_line(f"copydesk: error: {exc}"), file=sys.stderr)


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
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    # on standard error, like the rest of the run's chatter (standard output may be a pipe)
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    transient=True, console=Console(stderr=True))
