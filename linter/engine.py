"""The engine: parse -> run each rule's kind -> stamp rule metadata -> suppress -> sort.

Kinds return their `Finding`s (and notes) in a `RunResult` (checks/kind.py); only here do
findings become `Diagnostic`s carrying the rule's id, name, category, severity, message, help
and policy, all taken from the YAML entry.
"""

from __future__ import annotations

import os
import time

from .diagnostics import Diagnostic, Finding, budget_diagnostic, parse_problem_diagnostic
from .document import parse_document
from .document.model import Document
from .entities import Facts
from .records import Record
from .ruleset.model import Rule
from .source import ArticleError, Source


class _Values(dict):
    """Template values; a value a check did not supply renders as empty text."""

    def __missing__(self, key):
        return ""


class FileResult(Record):
    """One article's outcome: its diagnostics, or the error that kept it from being read.

    suppressed: (diagnostic, directive) pairs hidden by inline suppressions, for the audit;
    sourcing: story-level sourcing notes (start, end); would_change: --diff has fixes pending;
    not_flagged: (start, end, rule id, reason) for each candidate claim a rule left alone, so
    an editor can see why a figure went unflagged (its source, its voice, an exemption).
    """

    __slots__ = ("path", "format", "diagnostics", "error", "source", "id", "suppressed", "sourcing", "would_change",
                 "not_flagged")

    def __init__(self, path: str, format: str | None, diagnostics: list[Diagnostic] | None = None,
                 error: ArticleError | None = None, source: Source | None = None, id: str | None = None,
                 suppressed: list | None = None, sourcing: list | None = None, would_change: bool = False,
                 not_flagged: list | None = None):
        self.path, self.format = path, format
        self.diagnostics = [] if diagnostics is None else diagnostics
        self.error, self.source, self.id = error, source, id
        self.suppressed = [] if suppressed is None else suppressed
        self.sourcing = [] if sourcing is None else sourcing
        self.would_change = would_change
        self.not_flagged = [] if not_flagged is None else not_flagged


def stamp(rule: Rule, finding: Finding) -> Diagnostic:
    values = _Values(finding.values)
    return Diagnostic(
        rule=rule.id,
        name=rule.name,
        category=rule.category,
        severity=finding.severity or rule.severity,
        message=rule.message.format_map(values),
        help=rule.help.format_map(values),
        policy=rule.policy,
        policy_url=rule.policy_url,
        start=finding.start,
        end=finding.end,
        section=finding.section,
        label=finding.label,
        pointer=finding.pointer,
        primary=finding.primary,
        document_level=finding.document_level,
        fix=finding.fix,
        fix_note=finding.fix_note,
    )


def time_budget() -> float:
    """Seconds one article's check may take before the remaining rules are skipped and said
    to be (`COPYDESK_TIME_BUDGET`; 0 turns it off).  Every pattern is checked for runaway
    backtracking and every path measured linear (benchmarks/adversarial.py): this is the
    safety net for a hostile article in a pre-commit hook or a CMS pipeline."""
    try:
        return max(0.0, float(os.environ.get("COPYDESK_TIME_BUDGET", DEFAULT_TIME_BUDGET)))
    except ValueError:
        return DEFAULT_TIME_BUDGET


DEFAULT_TIME_BUDGET = 30.0


def check_document(doc: Document, rules: list[Rule], facts: Facts | None = None) -> tuple[list[Diagnostic], list]:
    """Diagnostics left after inline suppressions, and the (diagnostic, directive) pairs hidden."""
    checked = run_rules(doc, rules, facts)
    return checked.diagnostics, checked.suppressed


class Checked(Record):
    """What the rules made of one article: the diagnostics left after inline suppressions,
    the (diagnostic, directive) pairs hidden, the story-level sourcing notes (start, end) and
    (start, end, rule id, why) for each candidate a rule left alone, sorted."""

    __slots__ = ("diagnostics", "suppressed", "sourcing", "not_flagged")

    def __init__(self, diagnostics: list[Diagnostic], suppressed: list, sourcing: list, not_flagged: list):
        self.diagnostics, self.suppressed = diagnostics, suppressed
        self.sourcing, self.not_flagged = sourcing, not_flagged


def run_rules(doc: Document, rules: list[Rule], facts: Facts | None = None) -> Checked:
    """Run each rule whose `when:` holds, apply the inline suppressions, then run the rules
    that audit them (handed the directives); each rule's findings stamped and sorted."""
    from .directives import apply, find_directives

    facts = facts or Facts(doc)
    out = [parse_problem_diagnostic(p) for p in doc.problems]
    audits = []
    sourcing: list = []
    not_flagged: list = []
    budget = time_budget()
    deadline = time.monotonic() + budget if budget else None
    for n, rule in enumerate(rules):
        if rule.impl.runs_after_suppression:
            audits.append(rule)
            continue
        if rule.when is not None and not rule.when(facts):
            continue
        result = rule.impl.run(doc, facts, rule)
        for finding in result.findings:
            out.append(stamp(rule, finding))
        if result.sourcing is not None:
            sourcing = result.sourcing  # the last rule that looks for them has the say
        if result.not_flagged:
            not_flagged.extend((a, b, rule.id, why) for a, b, why in result.not_flagged)
        if deadline is not None and time.monotonic() > deadline and n + 1 < len(rules):
            out.append(budget_diagnostic(budget, rule.id, [r.id for r in rules[n + 1:]]))
            break
    directives = find_directives(doc.source, doc.format)
    applied = apply(directives, out, doc.source)
    kept = applied.kept
    for rule in audits:
        for finding in rule.impl.run(doc, facts, rule, directives).findings:
            kept.append(stamp(rule, finding))
    kept.sort(key=lambda d: d.sort_key)
    not_flagged.sort()
    return Checked(kept, applied.suppressed, sourcing, not_flagged)


def file_result(source: Source, doc: Document, rules: list[Rule]) -> FileResult:
    """The outcome of checking a parsed article against `rules`, notes included."""
    checked = run_rules(doc, rules)
    return FileResult(source.path, doc.format, checked.diagnostics, source=source, id=doc.id,
                      suppressed=checked.suppressed, sourcing=checked.sourcing, not_flagged=checked.not_flagged)


def check_source(source: Source, rules: list[Rule], fmt: str | None = None, cues=None) -> FileResult:
    try:
        doc = parse_document(source, fmt, cues)
    except ArticleError as exc:
        return FileResult(source.path, fmt, error=exc, source=source)
    return file_result(source, doc, rules)
