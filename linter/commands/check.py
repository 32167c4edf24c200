"""`copydesk check`: lint files, directories or standard input; print; exit 0/1/2."""

from __future__ import annotations

import sys

from ..diagnostics import SEVERITY_RANK
from .common import iter_article_paths, rule_files, split_list

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def run_check(args) -> int:
    from ..engine import check_source
    from ..ruleset import RuleFileError, load_rule_sets
    from ..source import ArticleError, read_source

    try:
        ruleset = load_rule_sets(rule_files(args.rules, args.no_shipped_rules))
    except RuleFileError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_ERROR
    rules = ruleset.selected(split_list(args.select), split_list(args.ignore))

    if args.input_format == "jsonl":
        from .jsonl import check_stream

        worst = EXIT_OK
        for path in args.paths:
            try:
                worst = max(worst, check_stream(path, rules, sys.stdout, SEVERITY_RANK[args.fail_on]))
            except OSError as exc:
                print(f"{path}: error: cannot read: {exc.strerror or exc}", file=sys.stderr)
                worst = EXIT_ERROR
        return worst

    results = []
    io_error = False
    for path in iter_article_paths(args.paths):
        try:
            source = read_source(path)
        except ArticleError as exc:
            print(str(exc), file=sys.stderr)
            io_error = True
            continue
        if path == "-" and args.stdin_filename:
            source.path = args.stdin_filename
        fmt = args.input_format
        result = check_source(source, rules, fmt)
        if result.error is not None:
            print(str(result.error), file=sys.stderr)
            io_error = True
        results.append(result)

    from ..reporters import get_reporter

    get_reporter(args.format).report(results, sys.stdout, rules)

    if io_error:
        return EXIT_ERROR
    threshold = SEVERITY_RANK[args.fail_on]
    failing = any(SEVERITY_RANK[d.severity] >= threshold for r in results for d in r.diagnostics)
    return EXIT_FINDINGS if failing else EXIT_OK
