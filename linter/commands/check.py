"""`copydesk check`: lint files, directories or standard input; print; exit 0/1/2."""

from __future__ import annotations

import sys

from ..diagnostics import SEVERITY_RANK
from ..safetext import one_line
from .common import SelectorError, article_paths, select_rules, without_ignored

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _Setup:
    """Rules and parser cues per configuration file, built once and reused for its files."""

    def __init__(self, args):
        self.args = args
        self._by_config: dict = {}

    def for_path(self, path: str):
        from ..config import apply_overrides, config_for, cues_for, rule_files
        from ..ruleset import load_rule_sets

        cfg = config_for(path, self.args.config)
        key = cfg.path
        if key not in self._by_config:
            ruleset = load_rule_sets(rule_files(cfg, self.args.rules, self.args.no_shipped_rules))
            rules = apply_overrides(cfg, ruleset.rules)
            chosen = select_rules(rules, cfg, self.args.select, self.args.ignore)
            self._by_config[key] = (cfg, chosen, cues_for(cfg))
        cfg, rules, cues = self._by_config[key]
        if path != "-":
            rules = without_ignored(rules, cfg.ignores_for(path))
        return cfg, rules, cues


def run_check(args) -> int:
    from ..config import ConfigError
    from ..engine import FileResult, check_source
    from ..ruleset import RuleFileError
    from ..source import ArticleError, read_source

    setup = _Setup(args)
    problems: list[str] = []
    paths = article_paths(args.paths or ["."], problems)
    try:
        cfg, rules, cues = setup.for_path(paths[0] if paths else "-")
        for line in problems:  # after the rules: a broken rule file is the one line to fix first
            print(one_line(line), file=sys.stderr)
        fail_on = args.fail_on or cfg.get("fail_on") or "error"
        streams = [p for p in paths if args.input_format == "jsonl"
                   or (args.stdin_filename if p == "-" and args.stdin_filename else p).lower().endswith(".jsonl")]
        if streams:
            if len(streams) < len(paths):
                article = next(p for p in paths if p not in streams)
                print(one_line(f"{article}: error: cannot be checked in the same run as the JSON Lines stream {streams[0]}"
                               " (a stream's output is one JSON result per line): check them separately"), file=sys.stderr)
                return EXIT_ERROR
            return _check_streams(streams, rules, cues, fail_on, bool(problems))
        if not paths:
            return EXIT_ERROR  # every path was reported above: nothing was checked

        results = []
        io_error = bool(problems)
        # default: all cores, but a worker only per 16 files: starting the pool costs about what
        # checking 20 articles does, so a pre-commit run of a few files stays in one process
        jobs = min(args.jobs, len(paths)) if args.jobs else min(default_jobs(), len(paths) // 16)
        if jobs > 1 and not (args.fix or args.diff) and "-" not in paths:
            results, io_error = _check_parallel(paths, setup, jobs, args.input_format, bool(args.explain),
                                                whole_lines=args.format == "text")
            io_error = io_error or bool(problems)
            paths = []
        for path in paths:
            cfg, rules, cues = setup.for_path(path)
            try:
                source = read_source(path)
            except ArticleError as exc:
                print(one_line(str(exc)), file=sys.stderr)
                io_error = True
                results.append(FileResult(exc.path, None, error=exc))
                continue
            if path == "-" and args.stdin_filename:
                source.path = args.stdin_filename
            if args.fix or args.diff:
                result, refused = _fix(args, path, source, rules, cues)
                if refused:
                    print(one_line(refused), file=sys.stderr)
                    io_error = True
            else:
                result = check_source(source, rules, args.input_format, cues=cues)
            if result.error is not None:
                print(one_line(str(result.error)), file=sys.stderr)
                io_error = True
            results.append(result)
    except (RuleFileError, ConfigError, SelectorError) as exc:
        print(one_line(str(exc)), file=sys.stderr)
        return EXIT_ERROR
    if not any(r.error is None for r in results):
        return EXIT_ERROR  # nothing could be read: the errors above say why; no "no problems" line

    if args.write_baseline or args.baseline or args.diff_base:
        from ..changes import ChangeError

        try:
            results = _filter_changes(args, results)
        except ChangeError as exc:
            print(one_line(str(exc)), file=sys.stderr)
            return EXIT_ERROR
    if not args.explain:
        for r in results:
            r.not_flagged = []  # why candidates went unflagged: printed only when asked (--explain)
    from ..reporters import get_reporter

    # with --diff the diff owns standard output; with --fix on standard input, the article does
    out = sys.stderr if args.diff or (args.fix and "-" in args.paths) else sys.stdout
    get_reporter(args.format).report(results, out, rules)

    if io_error:
        return EXIT_ERROR
    threshold = SEVERITY_RANK[fail_on]
    failing = any(SEVERITY_RANK[d.severity] >= threshold for r in results for d in r.diagnostics)
    if args.diff and any(getattr(r, "would_change", False) for r in results):
        failing = True  # --diff writes nothing: the fixes it shows are still to be made
    return EXIT_FINDINGS if failing else EXIT_OK


def _check_streams(streams: list[str], rules, cues, fail_on: str, had_problems: bool) -> int:
    """JSON Lines streams (`--input-format jsonl`, or files ending in `.jsonl`): one JSON
    result per input line on standard output; a stream holding no article is an error."""
    from .jsonl import check_stream

    worst = EXIT_ERROR if had_problems else EXIT_OK
    for path in streams:
        try:
            status, articles = check_stream(path, rules, sys.stdout, SEVERITY_RANK[fail_on], cues)
        except OSError as exc:
            print(one_line(f"{path}: error: cannot read: {exc.strerror or exc}"), file=sys.stderr)
            worst = EXIT_ERROR
            continue
        if not articles:
            name = "standard input" if path == "-" else path
            print(one_line(f"{name}: error: no articles to check (the JSON Lines stream is empty)"), file=sys.stderr)
            status = EXIT_ERROR
        worst = max(worst, status)
    return worst


def _filter_changes(args, results):
    """--diff-base and --baseline: report only what is new (see linter/changes.py)."""
    if args.write_baseline:
        from ..changes import write_baseline

        write_baseline(args.write_baseline, results)
        n = sum(len(r.diagnostics) for r in results if r.error is None)
        files = sum(1 for r in results if r.error is None and r.diagnostics)
        print(one_line(f"{args.write_baseline}: wrote a baseline of {n} finding{'s' if n != 1 else ''}"
                       f" in {files} file{'s' if files != 1 else ''}"), file=sys.stderr)
    if args.baseline:
        from ..changes import apply_baseline

        results = apply_baseline(args.baseline, results)
    if args.diff_base:
        from ..changes import only_changed_lines

        results = only_changed_lines(args.diff_base, results)
    return results


def _fix(args, path: str, source, rules, cues):
    """Fix one article; write it (or its diff); return the findings left afterwards and,
    when the fix could not be written, why (the findings are then those before it)."""
    from ..fixes import FixRefused, fix_source, write_atomically

    applied: list[str] = []
    fixed, edits, result = fix_source(source, rules, args.input_format, cues=cues, applied=applied)
    if args.diff:
        if fixed != source.text:
            import difflib

            name = source.path
            old, new = (name, name) if name.startswith("/") else (f"a/{name}", f"b/{name}")
            sys.stdout.writelines(difflib.unified_diff(
                source.text.splitlines(keepends=True), fixed.splitlines(keepends=True), old, new
            ))
            result.would_change = True
    elif path == "-":
        sys.stdout.write(fixed)
        if fixed != source.text:
            _wrote(f"{args.stdin_filename or 'standard input'}: fixed", applied)
    elif fixed != source.text:
        try:
            write_atomically(path, fixed, source.had_bom, original=source.text)
        except FixRefused as exc:
            from ..engine import check_source

            return check_source(source, rules, args.input_format, cues=cues), str(exc)
        _wrote(f"{path}: fixed", applied)
    return result, None


def _wrote(what: str, rule_ids: list[str]) -> None:
    """`a.md: fixed 2 findings (DISC101, DISC103)` on standard error: --fix says what it wrote."""
    from collections import Counter

    counts = Counter(rule_ids)
    detail = ", ".join(f"{rid}" + (f" x{n}" if n > 1 else "") for rid, n in sorted(counts.items()))
    n = len(rule_ids)
    print(one_line(f"{what} {n} finding{'s' if n != 1 else ''} ({detail})"), file=sys.stderr)


# -- --jobs: the same per-file check in worker processes ------------------------------------
# Workers send back bytes: the result pickled with an `Excerpt` (the lines or spans its findings
# touch) in place of the article's whole text, which the parent never reads again, and the
# rules' strings (policy, help...) as numbers.
_WORKER: dict = {}


def default_jobs() -> int:
    """All cores this process may run on (as `report`)."""
    import os

    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _init_worker(setups: dict, explain: bool, whole_lines: bool) -> None:
    _WORKER.update(setups)
    _WORKER["explain"], _WORKER["whole_lines"] = explain, whole_lines
    _WORKER["strings"] = {s: i for i, s in enumerate(_rule_strings(setups))}


def _rule_strings(setups: dict) -> list[str]:
    """The rules' own strings (names, policies, help...), in an order both sides agree on:
    a finding repeats them, so workers send their number instead (pickle persistent ids)."""
    seen: dict[str, None] = {}
    for rules, _ in setups.values():
        for rule in rules:
            for value in (rule.id, rule.name, rule.category, rule.severity, rule.message, rule.help, rule.policy,
                          rule.policy_url):
                if type(value) is str:
                    seen[value] = None
    return list(seen)


def _dumps(obj) -> bytes:
    import io
    import pickle

    buf = io.BytesIO()
    pickler = pickle.Pickler(buf, pickle.HIGHEST_PROTOCOL)
    strings = _WORKER["strings"]
    pickler.persistent_id = lambda o: strings.get(o) if type(o) is str else None
    pickler.dump(obj)
    return buf.getvalue()


def _loads(data: bytes, strings: list[str]):
    import io
    import pickle

    unpickler = pickle.Unpickler(io.BytesIO(data))
    unpickler.persistent_load = strings.__getitem__
    return unpickler.load()


def _check_one(task) -> bytes:
    from ..engine import check_source
    from ..source import ArticleError, read_source

    path, key, fmt = task
    rules, cues = _WORKER[key]
    try:
        source = read_source(path)
    except ArticleError as exc:
        return _dumps(exc)
    return _dumps(compact(check_source(source, rules, fmt, cues=cues), _WORKER["explain"], _WORKER["whole_lines"]))


def compact(result, explain: bool, whole_lines: bool = True):
    """`result` as sent back by a worker: not_flagged only with --explain (it is dropped
    before printing otherwise), the source cut down to an `Excerpt` (whole lines for the
    text reporter's excerpts, the spans alone for every other format)."""
    from ..excerpt import Excerpt, spans_of

    if result.source is None:
        return result
    if not explain:
        result = result.replace(not_flagged=[])
    return result.replace(source=Excerpt.of(result.source, spans_of(result), whole_lines))


def _check_parallel(paths: list[str], setup: _Setup, jobs: int, fmt, explain: bool = False, whole_lines: bool = True):
    """Check files in `jobs` processes; results come back in the order of `paths`."""
    import itertools
    from concurrent.futures import ProcessPoolExecutor

    from ..engine import FileResult
    from ..source import ArticleError

    tasks, setups = [], {}
    for path in paths:
        cfg, rules, cues = setup.for_path(path)
        key = (cfg.path, tuple(r.id for r in rules))
        setups[key] = (rules, cues)
        tasks.append((path, key, fmt))
    results, io_error = [], False
    strings = _rule_strings(setups)
    # the first file is checked here, before the workers fork: they inherit what its check
    # imported and compiled (about 60 ms) instead of each doing it again
    _init_worker(setups, explain, whole_lines)
    first = _check_one(tasks[0])
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(setups, explain, whole_lines)) as pool:
        for data in itertools.chain([first], pool.map(_check_one, tasks[1:], chunksize=8)):
            outcome = _loads(data, strings)
            if isinstance(outcome, ArticleError):
                print(one_line(str(outcome)), file=sys.stderr)
                io_error = True
                results.append(FileResult(outcome.path, None, error=outcome))
                continue
            if outcome.error is not None:
                print(one_line(str(outcome.error)), file=sys.stderr)
                io_error = True
            results.append(outcome)
    return results, io_error
