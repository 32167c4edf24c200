"""`copydesk rules`: list the loaded rules; `--test` runs every rule's YAML examples;
`--coverage` maps each regulation element the rules cite to the rule ids that check it.

A compliance editor can write a rule with pass/fail examples and test it without Python.
The opt-in rule sets (rules/opt-in/: recommendations, uk-promotions, crypto, ...) are listed,
tested and covered too, marked as such when the configuration does not enable them.
"""

from __future__ import annotations

import json
import os
import re
import sys

from ..exitcodes import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK

# below this width the policy column is left out: id, name, severity and category must fit
POLICY_MIN_WIDTH = 120


def run_rules(args) -> int:
    from ..config import ConfigError, each_once
    from ..profile import configure
    from ..ruleset import RuleFileError, load_rule_sets
    from ..ruleset.loader import optional_rule_files

    try:
        # the run profile's first stage (configuration, rule files); every rule is listed, so
        # no selection or override is applied
        _, files = configure("-", None, args.rules, args.no_shipped_rules)
    except ConfigError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_ERROR
    enabled_files = set(files)
    if not args.no_shipped_rules:  # the opt-in sets too, so they can be seen, tested and covered
        files = files + [str(p) for p in optional_rule_files() if str(p) not in enabled_files]
    if args.test:  # a file named again (rules/x.yaml for the shipped one) is loaded once
        files = each_once(files + list(args.test))
    try:
        ruleset = load_rule_sets(files)
    except RuleFileError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_ERROR
    if args.test is not None:
        wanted = {os.path.realpath(f) for f in args.test}
        rules = [r for r in ruleset.rules if not wanted or os.path.realpath(r.file) in wanted]
        return _test(rules, ruleset.rules)
    if getattr(args, "coverage", False):
        return _coverage(ruleset.rules, args.format)
    off = {r.id for r in ruleset.rules if r.file not in enabled_files and r.file not in args.rules}
    if args.format == "json":
        json.dump(
            [
                {"id": r.id, "name": r.name, "severity": r.severity, "category": r.category, "kind": r.kind,
                 "rule_set": rule_set(r), "enabled": r.enabled and r.id not in off, "opt_in": r.id in off,
                 "scope": list(r.scope), "when": r.when_source, "policy": r.policy, "policy_url": r.policy_url,
                 "file": r.file, "line": r.line}
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

    console = make_console()
    table = Table(box=None, header_style="bold", pad_edge=False)

    def widest(header: str, values) -> int:
        return max([len(header), *(len(v) for v in values)])

    # id, severity and category keep their width (users copy ids into --select); the name crops.
    # "runs": does the rule run with this configuration (an opt-in set not named, a disabled rule: no)
    table.add_column("id", no_wrap=True, min_width=widest("id", (r.id for r in ruleset.rules)))
    table.add_column("name", no_wrap=True, overflow="ellipsis")
    table.add_column("severity", no_wrap=True, min_width=widest("severity", (r.severity for r in ruleset.rules)))
    table.add_column("category", no_wrap=True, min_width=widest("category", (r.category for r in ruleset.rules)))
    table.add_column("runs", no_wrap=True, min_width=4)
    wide = console.width >= POLICY_MIN_WIDTH
    if wide:
        widths = [widest(h, vals) for h, vals in (
            ("id", [r.id for r in ruleset.rules]), ("name", [r.name for r in ruleset.rules]),
            ("severity", [r.severity for r in ruleset.rules]), ("category", [r.category for r in ruleset.rules]),
            ("runs", ["yes"]), ("set", [rule_set(r) for r in ruleset.rules]))]
        table.add_column("set", no_wrap=True, min_width=widths[-1])
        # the policy takes what is left (rich drops columns rather than crop one that is too long)
        table.add_column("policy", overflow="ellipsis", no_wrap=True,
                         max_width=max(10, console.width - sum(widths) - 2 * len(widths) - 4))
    for r in ruleset.rules:
        runs = "no" if r.id in off or not r.enabled else "yes"
        row = [cell(r.id), cell(r.name), cell(r.severity), cell(r.category), cell(runs)]
        if wide:
            row += [cell(rule_set(r)), cell(r.policy)]
        table.add_row(*row)
    console.print(table, soft_wrap=False)  # the table fits the width (the console soft-wraps by default)
    if off:
        console.print(Text("runs no: an opt-in rule set (rules/opt-in/) the configuration does not name; "
                           "enable one with rule_sets: [default, crypto]"), soft_wrap=False)
    return EXIT_OK


def rule_set(rule) -> str:
    """The rule set a rule comes from: its file's name without the extension."""
    from pathlib import Path

    return Path(rule.file).stem


# -- coverage: regulation element -> rule ids -------------------------------------------------
_SPLIT = re.compile(r";\s+")


def coverage(rules) -> dict[str, list[str]]:
    """Each regulation element a rule cites (its policy reference split at ';'), with the ids of
    the rules that check it, in rule order."""
    out: dict[str, list[str]] = {}
    for r in rules:
        for element in _SPLIT.split(r.policy.strip()):
            element = " ".join(element.split()).rstrip(".")
            if element and r.id not in out.setdefault(element, []):
                out[element].append(r.id)
    return dict(sorted(out.items(), key=lambda kv: kv[0].casefold()))


def _coverage(rules, fmt: str) -> int:
    table = coverage(rules)
    if fmt == "json":
        json.dump([{"element": k, "rules": v} for k, v in table.items()], sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return EXIT_OK
    from rich.table import Table
    from rich.text import Text

    from ..reporters.text import make_console
    from ..safetext import visible

    console = make_console()
    width = max(len(", ".join(ids)) for ids in table.values()) if table else 8
    t = Table(box=None, header_style="bold", pad_edge=False, show_lines=False)
    t.add_column("regulation element", overflow="fold")
    # the ids wrap at a comma, in at most a third of the width
    t.add_column("rule ids", overflow="fold", max_width=max(8, min(width, console.width // 3)))
    for element, ids in table.items():
        t.add_row(Text(visible(element)), Text(", ".join(ids)))
    console.print(t, soft_wrap=False)
    return EXIT_OK


def example_failures(rule, context: list | None = None) -> list[str]:
    """Why each example of `rule` does not behave as written (empty when all pass).

    The examples run with the `context` rules too (all loaded rules), so a suppression
    audit rule sees the findings its directives hide; only `rule`'s findings are compared.
    """
    from ..checks.register import example_cues
    from ..engine import check_source
    from ..source import Source

    run_with = [rule] + [r for r in (context or []) if r.id != rule.id]
    cues = example_cues(rule)  # a register rule's examples run against its example register
    problems = []
    for n, ex in enumerate(rule.examples_pass, 1):
        source = Source(f"{rule.id}-pass-{n}", ex.article)
        res = check_source(source, run_with, ex.format, cues)
        found = [d for d in res.diagnostics if d.rule == rule.id]
        if res.error is not None:
            problems.append(f"pass example {n}: {res.error.message}")
        elif found:
            line, col = source.position(found[0].start)
            problems.append(f"pass example {n}: expected no finding, got {line}:{col} {found[0].message}")
    for n, ex in enumerate(rule.examples_fail, 1):
        source = Source(f"{rule.id}-fail-{n}", ex.article)
        res = check_source(source, run_with, ex.format, cues)
        if res.error is not None:
            problems.append(f"fail example {n}: {res.error.message}")
            continue
        got = [source.position(d.start) for d in res.diagnostics if d.rule == rule.id]
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
        elif not rule.examples_fail:
            # the coverage gate: a rule no example makes fire may never fire at all
            problems.append("no failing example: nothing shows that the rule fires")
        status = "ok" if not problems else "FAILED"
        print(visible(f"{rule.id} {rule.name}: {status} ({n} example{'s' if n != 1 else ''})"))
        for p in problems:
            print(visible(f"  {rule.file}:{rule.line}: {p}"))
        failed += bool(problems)
    print(f"{len(rules) - failed} of {len(rules)} rules pass their examples.")
    return EXIT_FINDINGS if failed else EXIT_OK  # a rule that fails its examples is a finding
