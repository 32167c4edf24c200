"""`copydesk rules`: list the loaded rules; `--test` runs every rule's YAML examples.

A compliance editor can write a rule with pass/fail examples and test it without Python.
"""

from __future__ import annotations

import json
import sys


EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2


def run_rules(args) -> int:
    from ..config import ConfigError, config_for, rule_files
    from ..ruleset import RuleFileError, load_rule_sets

    try:
        files = rule_files(config_for("-"), args.rules, args.no_shipped_rules)
    except ConfigError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_ERROR
    if args.test:
        files = files + [f for f in args.test if f not in files]
    try:
        ruleset = load_rule_sets(files)
    except RuleFileError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_ERROR
    if args.test is not None:
        wanted = set(args.test)
        rules = [r for r in ruleset.rules if not wanted or r.file in wanted]
        return _test(rules, ruleset.rules)
    if args.format == "json":
        json.dump(
            [
                {"id": r.id, "name": r.name, "category": r.category, "severity": r.severity, "kind": r.kind,
                 "enabled": r.enabled, "scope": list(r.scope), "when": r.when_source, "policy": r.policy,
                 "policy_url": r.policy_url, "file": r.file, "line": r.line}
                for r in ruleset.rules
            ],
            sys.stdout,
            indent=2,
            ensure_ascii=False,
        )
        sys.stdout.write("\n")
        return EXIT_OK
    from rich.table import Table
    from rich.text import Text

    from ..reporters.text import make_console
    from ..safetext import visible

    def cell(value: str) -> Text:
        """Rule-file text as plain text: no rich markup, control characters shown, not sent."""
        return Text(visible(value))

    table = Table(box=None, header_style="bold", pad_edge=False)
    for col in ("id", "name", "category", "severity"):
        table.add_column(col, no_wrap=True)
    table.add_column("policy", overflow="ellipsis", no_wrap=True)
    for r in ruleset.rules:
        table.add_row(cell(r.id), cell(r.name + ("" if r.enabled else " (disabled)")), cell(r.category),
                      cell(r.severity), cell(r.policy))
    make_console().print(table)
    return EXIT_OK


def example_failures(rule, context: list | None = None) -> list[str]:
    """Why each example of `rule` does not behave as written (empty when all pass).

    The examples run with the `context` rules too (all loaded rules), so a suppression
    audit rule sees the findings its directives hide; only `rule`'s findings are compared.
    """
    from ..engine import check_source
    from ..source import Source

    run_with = [rule] + [r for r in (context or []) if r.id != rule.id]
    problems = []
    for n, ex in enumerate(rule.examples_pass, 1):
        res = check_source(Source(f"{rule.id}-pass-{n}", ex.article), run_with, ex.format)
        found = [d for d in res.diagnostics if d.rule == rule.id]
        if res.error is not None:
            problems.append(f"pass example {n}: {res.error.message}")
        elif found:
            line, col = res.source.position(found[0].start)
            problems.append(f"pass example {n}: expected no finding, got {line}:{col} {found[0].message}")
    for n, ex in enumerate(rule.examples_fail, 1):
        res = check_source(Source(f"{rule.id}-fail-{n}", ex.article), run_with, ex.format)
        if res.error is not None:
            problems.append(f"fail example {n}: {res.error.message}")
            continue
        got = [res.source.position(d.start) for d in res.diagnostics if d.rule == rule.id]
        if (ex.line, ex.column) not in got:
            shown = ", ".join(f"{a}:{b}" for a, b in got) or "nothing"
            problems.append(f"fail example {n}: expected a finding at {ex.line}:{ex.column}, got {shown}")
    return problems


def _test(rules, context) -> int:
    from ..safetext import visible

    failed = 0
    for rule in rules:
        n = len(rule.examples_pass) + len(rule.examples_fail)
        problems = example_failures(rule, context)
        if not n:
            problems = ["no examples"]
        status = "ok" if not problems else "FAILED"
        print(visible(f"{rule.id} {rule.name}: {status} ({n} example{'s' if n != 1 else ''})"))
        for p in problems:
            print(visible(f"  {rule.file}:{rule.line}: {p}"))
        failed += bool(problems)
    print(f"{len(rules) - failed} of {len(rules)} rules pass their examples.")
    return EXIT_FAILED if failed else EXIT_OK
