"""`copydesk report`: lint an archive (in parallel, incrementally) and write the report."""

from __future__ import annotations

import glob
import os
import sys
from pathlib import Path

from ..exitcodes import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK
from .common import iter_article_paths

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only
    from concurrent.futures import ProcessPoolExecutor


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
    """(path, raw bytes, format, where) for every article, streamed: nothing is read ahead;
    `where` is the file it came from (a stream's, for its lines), whose configuration and
    per-path ignores apply.  A path that yields no article (an empty folder, one with no
    article files, a glob whose finds were all skipped, an empty stream) raises
    NothingToReport."""
    for p in paths:
        found = 0
        if input_format == "jsonl":
            from .jsonl import json_lines

            name = "<stdin>" if p == "-" else p
            for n, line in json_lines(p):
                if line.strip():
                    found += 1
                    yield f"{name}:{n}", line, "json", p
            if not found:
                raise NothingToReport(f"{p}: no article in this stream")
            continue
        globbed = _globbed(p)
        matches = sorted(glob.glob(p, recursive=True)) if globbed else [p]
        for m in matches:
            for path in iter_article_paths([m], found=globbed):  # a glob's finds are untrusted like a walk's
                found += 1
                try:
                    data = Path(path).read_bytes()
                except OSError as exc:
                    yield path, None, f"cannot read: {exc.strerror or exc}", path
                    continue
                yield path, data, input_format, path
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
    from ..config import ConfigError
    from ..profile import Profiles
    from ..report.aggregate import Aggregate
    from ..report.cache import SummaryCache, article_key, default_path, run_digest
    from ..report.work import ArticleSummary
    from ..ruleset import RuleFileError
    from .common import UsageError, report_format

    out = Path(args.output)
    # the articles are checked as `copydesk check` checks them: each with the profile of the
    # configuration found upward from it (or --config), its per-path ignores, cues, field map
    profiles = Profiles.from_args(args, watch=False)
    try:
        check_output(out)  # a folder or a missing folder: said as such, before the extension
        fmt = report_format(args.output, args.format)
        here = profiles.get("-")  # the working directory's configuration: a bad one stops the run now
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
    used: dict = {}  # profile key -> (profile, the run digest its articles' cache keys carry)

    def profile_of(where: str):
        profile = profiles.get(where)
        key = profile.cfg.path
        if key not in used:
            used[key] = profile, run_digest(profile.ruleset, profile.rules, profile.cfg, keep_findings) if cache.db is not None else ""
        return key, used[key]

    from ..report import render
    from ..report.aggregate import DETAIL

    agg = Aggregate(detail=DETAIL if args.detail is None else args.detail)
    sinks: list[render.CsvFindings | render.JsonArticles | render.CsvSummary] = []
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
    work: _Local | _Dask | None = None
    try:
        if args.scheduler is None:
            work = _Local(jobs, keep_findings)
        else:
            work = _Dask(args.scheduler, keep_findings, stream=args.input_format == "jsonl")
        with progress as bar:
            task = bar.add_task("linting", total=_count(args.paths, args.input_format)) if bar else None
            for path, data, item_fmt, where in iter_items(args.paths, args.input_format):
                if data is None:
                    take(ArticleSummary(path=path, error=f"{path}: error: {item_fmt}", score=0))
                    continue
                profile_key, (profile, run) = profile_of(where)
                key = article_key(data, path, run, item_fmt)
                cached = cache.get(key)
                if cached is not None:
                    take(cached)
                else:
                    at = "-" if where == "-" else os.path.abspath(where)
                    _drain(work.put(key, (path, data, item_fmt, profile_key, at), profile, run), cache, take)
                if bar:
                    bar.update(task, completed=agg.articles, description=f"linting · {agg.findings:,} findings")
            _drain(work.finish(), cache, take)
            if bar:
                bar.update(task, completed=agg.articles)
        agg.suppressed.sort(key=lambda s: (s["path"], s["line"], s["rule"]))
        agg.errors.sort(key=lambda e: e["path"])
        rules = _listed_rules([p for p, _ in used.values()] or [here])
        if fmt == "json":
            render.write_json(agg, rules, out, articles)
        elif fmt == "markdown":
            render.write_markdown(agg, rules, out)
        elif fmt == "html":
            render.write_html(agg, rules, out)
    except KeyboardInterrupt:
        cache.close()
        print("copydesk: interrupted; the cache keeps what was done", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (NothingToReport, RuleFileError, ConfigError, UsageError) as exc:
        # (a configuration found below the working directory, read when its first article is)
        cache.close()
        for sink in sinks:
            sink.close()
        partials = ([out] if fmt == "csv" else []) + ([Path(args.summary_csv)] if args.summary_csv else [])
        for partial in partials:
            partial.unlink(missing_ok=True)  # no half report left to read as a whole one
        if isinstance(exc, NothingToReport):
            _error(exc)
        else:
            from ..safetext import one_line

            print(one_line(str(exc)), file=sys.stderr)
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


def _listed_rules(profiles) -> list:
    """The rules the report describes: those of every profile its articles used, each id
    once, in the order the first profile lists them."""
    seen, out = set(), []
    for profile in profiles:
        for rule in profile.rules:
            if rule.id not in seen:
                seen.add(rule.id)
                out.append(rule)
    return out


def _error(exc: Exception) -> None:
    from ..safetext import one_line

    print(one_line(f"copydesk: error: {exc}"), file=sys.stderr)


def _drain(done, cache, take) -> None:
    for key, summary in done:
        cache.put(key, summary)
        take(summary)


class _Local:
    """The same per-article work in this process or a pool of local processes."""

    BATCH = 256

    def __init__(self, jobs: int, keep: bool):
        self.jobs, self.keep = jobs, keep
        self.profiles: dict = {}  # profile key -> profile: what the workers were given
        self.pending: list[tuple] = []  # (key, item) not yet sent
        self.pool: ProcessPoolExecutor | None = None

    def put(self, key, item, profile, run=None):
        """Take one article (item = (path, data, format, profile key, where)); give back the
        (key, summary) pairs now done, in order."""
        done = []
        if item[3] not in self.profiles:  # a configuration not seen before: the workers get it
            done = self.finish()
            self.profiles[item[3]] = profile
            self._start()
        self.pending.append((key, item))
        return done + self.finish() if len(self.pending) >= self.BATCH else done

    def _start(self) -> None:
        from ..report.work import init_worker

        self.close()
        if self.jobs > 1:
            from concurrent.futures import ProcessPoolExecutor

            self.pool = ProcessPoolExecutor(max_workers=self.jobs, initializer=init_worker,
                                            initargs=(dict(self.profiles), self.keep))
        else:
            init_worker(self.profiles, self.keep)

    def finish(self):
        from ..report.work import lint

        pending, self.pending = self.pending, []
        items = [item for _, item in pending]
        summaries = [lint(i) for i in items] if self.pool is None else self.pool.map(lint, items, chunksize=16)
        return [(key, s) for (key, _), s in zip(pending, summaries)]

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None


class _Dask:
    """The same per-article work on a Dask cluster, built to scale (issue 20):

    - tasks are batches of up to BATCH_ARTICLES articles or BATCH_BYTES of text (one task per
      ~3 ms article costs the scheduler more than the work);
    - paths, not bytes, when the workers share this machine's storage: found, not assumed,
      by asking every worker to read the first article and match its cache key; each task
      checks every file the same way, and a mismatch is linted here from our own bytes;
    - at most WINDOW tasks per worker thread submitted and not yet handed on
      (`as_completed` refilled as they finish), so neither the scheduler nor this process
      holds the archive; results are handed on in submission order, as the local path does;
    - each run profile (one per configuration file) is scattered to every worker once."""

    BATCH_ARTICLES = 64
    BATCH_BYTES = 1 << 20
    WINDOW = 3

    def __init__(self, address, keep: bool, stream: bool = False):
        try:
            from dask.distributed import Client, as_completed
        except ImportError:  # exit 2, as every usage error (SystemExit with a message exited 1: "findings")
            from .common import UsageError

            raise UsageError("copydesk: error: --scheduler needs the dask extra: pip install 'copydesk[dask]'") from None
        self.own = isinstance(address, str)
        self.client = Client(address) if self.own else address
        self.profiles: dict = {}  # profile key -> profile (for the local fallback)
        self.remote: dict = {}  # profile key -> its scattered copy
        self.keep = keep
        self.shared = False if stream else None  # a stream's lines are not files: always bytes
        threads = sum(self.client.nthreads().values()) or 1
        self.window = max(4, self.WINDOW * threads)
        self.running = as_completed()
        self.batch: list[tuple] = []
        self.batch_bytes = 0
        self.sent: dict[int, list] = {}  # sequence number -> the batch as submitted (kept for the local fallback)
        self.done: dict[int, list] = {}  # sequence number -> its summaries, waiting for the ones before it
        self.next_seq = self.emit_seq = 0
        self.seq_of: dict[object, int] = {}  # task key (a Dask key) -> sequence number

    def put(self, key, item, profile, run: str = ""):
        """Take one article (item = (path, data, format, profile key, where)); give back the
        (key, summary) pairs now done, in order."""
        path, data, fmt, profile_key, _where = item
        if profile_key not in self.remote:  # one piece of data per profile, not one per rule or task
            [self.remote[profile_key]] = self.client.scatter([profile], broadcast=True)
            self.profiles[profile_key] = profile
        if self.shared is None:
            self.shared = self._workers_share(key, path, fmt, run)
        self.batch.append((key, item, run))
        self.batch_bytes += len(data)
        if len(self.batch) >= self.BATCH_ARTICLES or self.batch_bytes >= self.BATCH_BYTES:
            return self._submit()
        return ()

    def finish(self):
        out = self._submit() if self.batch else []
        while self.emit_seq < self.next_seq:
            out.extend(self._wait_one())
        return out

    def _submit(self) -> list:
        from ..report.work import lint_batch

        out = []
        while self.next_seq - self.emit_seq >= self.window:  # the window is full: wait for room
            out.extend(self._wait_one())
        batch, self.batch, self.batch_bytes = self.batch, [], 0
        task = [(key, path, None if self.shared else data, fmt, os.path.abspath(path) if self.shared else None,
                 profile_key, where, run)
                for key, (path, data, fmt, profile_key, where), run in batch]
        profiles = {k: self.remote[k] for k in {item[3] for _, item, _ in batch}}
        future = self.client.submit(lint_batch, task, profiles, self.keep, pure=False)
        self.seq_of[future.key] = self.next_seq
        self.sent[self.next_seq] = batch
        self.next_seq += 1
        self.running.add(future)
        return out

    def _wait_one(self) -> list:
        """Wait for a task to finish; hand on every batch now complete in submission order."""
        if self.emit_seq not in self.done:
            future = next(self.running)
            self.done[self.seq_of.pop(future.key)] = future.result()  # a task's error is raised here, as locally
            future.release()
        out = []
        while self.emit_seq in self.done:
            batch, summaries = self.sent.pop(self.emit_seq), self.done.pop(self.emit_seq)
            for (key, item, _), summary in zip(batch, summaries):
                out.append((key, summary if summary is not None else self._here(item)))
            self.emit_seq += 1
        return out

    def _here(self, item):
        """A file a worker read differently from us (changed since, or another file there)."""
        from ..report.work import init_worker, lint

        init_worker(self.profiles, self.keep)
        return lint(item)

    def _workers_share(self, key, path, fmt, run) -> bool:
        from ..report.work import sees_as_client

        seen = self.client.run(sees_as_client, os.path.abspath(path), path, key, run, fmt)
        shared = bool(seen) and all(seen.values())
        how = ("the workers read the articles from storage they share with this machine (each read checked "
               "against this machine's)" if shared else
               f"sending the articles' bytes: {sum(not v for v in seen.values())} of {len(seen)} workers cannot "
               f"read {path} as this machine does")
        from ..safetext import one_line

        print(one_line(f"copydesk: dask: {how}"), file=sys.stderr)
        return shared

    def close(self) -> None:
        if self.own:
            self.client.close()


class _NoProgress:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def _progress():
    if not sys.stderr.isatty():
        return _NoProgress()
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    # on standard error, like the rest of the run's chatter (standard output may be a pipe)
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    transient=True, console=Console(stderr=True))
