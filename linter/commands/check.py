"""`copydesk check`: lint files, directories or standard input; print; exit 0/1/2."""

from __future__ import annotations

import sys

from ..exitcodes import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK
from ..safetext import one_line
from .common import SelectorError, article_paths


def run_check(args) -> int:
    from ..config import ConfigError
    from ..profile import Profiles
    from ..ruleset import RuleFileError

    profiles = Profiles.from_args(args, watch=False)  # one per configuration file the articles find
    problems: list[str] = []
    paths = article_paths(args.paths or ["."], problems)
    try:
        first = profiles.get(_named(args, paths[0]) if paths else "-")
        for line in problems:  # after the rules: a broken rule file is the one line to fix first
            print(one_line(line), file=sys.stderr)
        streams = [p for p in paths if args.input_format == "jsonl"
                   or (args.stdin_filename if p == "-" and args.stdin_filename else p).lower().endswith(".jsonl")]
        if streams:
            if len(streams) < len(paths):
                article = next(p for p in paths if p not in streams)
                print(one_line(f"{article}: error: cannot be checked in the same run as the JSON Lines stream {streams[0]}"
                               " (a stream's output is one JSON result per line): check them separately"), file=sys.stderr)
                return EXIT_ERROR
            # every stream is checked with the first one's rules (its per-path ignores applied)
            return _check_streams(streams, first, _where(_named(args, paths[0])), bool(problems))
        if not paths:
            return EXIT_ERROR  # every path was reported above: nothing was checked

        results = []
        io_error = bool(problems)
        # default: all cores, but a worker only per 16 files: starting the pool costs about what
        # checking 20 articles does, so a pre-commit run of a few files stays in one process
        jobs = min(args.jobs, len(paths)) if args.jobs else min(default_jobs(), len(paths) // 16)
        shown = first.rules_for(_where(_named(args, paths[0])))  # the rules the reporter lists (SARIF): the last file's
        if jobs > 1 and not (args.fix or args.diff) and "-" not in paths:
            results, io_error = _check_parallel(paths, profiles, jobs, args.input_format, bool(args.explain),
                                                whole_lines=args.format == "text")
            io_error = io_error or bool(problems)
            paths = []
        for path in paths:
            named = _named(args, path)
            profile = profiles.get(named)
            shown = profile.rules_for(_where(named))
            if args.fix or args.diff:
                result, refused = _fix(args, path, profile)
                if refused:
                    print(one_line(refused), file=sys.stderr)
                    io_error = True
            else:
                result, _ = profile.check_file(path, args.input_format, name=None if named == path else named, where=named)
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
    get_reporter(args.format).report(results, out, shown)

    if io_error:
        return EXIT_ERROR
    failing = any(first.failing(r, args.fail_on) for r in results)
    if args.diff and any(getattr(r, "would_change", False) for r in results):
        failing = True  # --diff writes nothing: the fixes it shows are still to be made
    return EXIT_FINDINGS if failing else EXIT_OK


def _named(args, path: str) -> str:
    """The article's name: standard input's --stdin-filename (its configuration, found upward
    from it, and its per-path ignores apply, as to the file itself), else `path`."""
    return args.stdin_filename if path == "-" and args.stdin_filename else path


def _where(path: str) -> str:
    """The path whose per-path ignores apply to `path` as the command line names it."""
    import os

    return "-" if path == "-" else os.path.abspath(path)


def _check_streams(streams: list[str], profile, where: str, had_problems: bool) -> int:
    """JSON Lines streams (`--input-format jsonl`, or files ending in `.jsonl`): one JSON
    result per input line on standard output; a stream holding no article is an error.
    Every article is checked with `profile`, the per-path ignores of `where` applied."""
    from .jsonl import check_stream

    worst = EXIT_ERROR if had_problems else EXIT_OK
    for path in streams:
        try:
            status, articles = check_stream(path, profile, sys.stdout, where)
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


def _fix(args, path: str, profile):
    """Fix one article; write it (or its diff); return the findings left afterwards and,
    when the fix could not be written, why (the findings are then those before it).  An
    article that cannot be read gives a result holding the error."""
    from ..fixes import FixRefused, write_atomically
    from ..source import ArticleError, read_source

    try:
        source = read_source(path)
    except ArticleError as exc:
        from ..engine import FileResult

        return FileResult(exc.path, None, error=exc), None
    if path == "-" and args.stdin_filename:
        source.path = args.stdin_filename
    where = _where(_named(args, path))
    applied: list[str] = []
    fixed, _edits, result = profile.fix(source, args.input_format, where, applied)
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
            return profile.check(source, args.input_format, where), str(exc)
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


def _init_worker(profiles: dict, explain: bool, whole_lines: bool) -> None:
    _WORKER["profiles"] = profiles
    _WORKER["explain"], _WORKER["whole_lines"] = explain, whole_lines
    _WORKER["strings"] = {s: i for i, s in enumerate(_rule_strings(profiles))}


def _rule_strings(profiles: dict) -> list[str]:
    """The rules' own strings (names, policies, help...), in an order both sides agree on:
    a finding repeats them, so workers send their number instead (pickle persistent ids)."""
    seen: dict[str, None] = {}
    for profile in profiles.values():
        for rule in profile.rules:
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
    # pickle's documented hook, set on the instance (no subclass to build per process)
    pickler.persistent_id = lambda o: strings.get(o) if type(o) is str else None  # type: ignore[method-assign]
    pickler.dump(obj)
    return buf.getvalue()


def _loads(data: bytes, strings: list[str]):
    import io
    import pickle

    unpickler = pickle.Unpickler(io.BytesIO(data))
    unpickler.persistent_load = strings.__getitem__  # type: ignore[method-assign]  # as above
    return unpickler.load()


def _check_one(task) -> bytes:
    path, key, fmt = task
    result, _ = _WORKER["profiles"][key].check_file(path, fmt)
    if result.source is None:  # not read: the error alone goes back
        return _dumps(result.error)
    return _dumps(compact(result, _WORKER["explain"], _WORKER["whole_lines"]))


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


def _check_parallel(paths: list[str], profiles, jobs: int, fmt, explain: bool = False, whole_lines: bool = True):
    """Check files in `jobs` processes; results come back in the order of `paths`."""
    import itertools
    from concurrent.futures import ProcessPoolExecutor

    from ..engine import FileResult
    from ..source import ArticleError

    tasks, used = [], {}
    for path in paths:
        profile = profiles.get(path)
        key = profile.cfg.path  # one profile per configuration file
        used[key] = profile
        tasks.append((path, key, fmt))
    results, io_error = [], False
    strings = _rule_strings(used)
    # the first file is checked here, before the workers fork: they inherit what its check
    # imported and compiled (about 60 ms) instead of each doing it again
    _init_worker(used, explain, whole_lines)
    first = _check_one(tasks[0])
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(used, explain, whole_lines)) as pool:
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
