"""The engine: parse -> run each rule's check -> stamp rule metadata -> sort.

Checks return `Finding`s; only here do they become `Diagnostic`s carrying the rule's id,
name, category, severity, message, help and policy, all taken from the YAML entry.
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
    from .directives import apply, find_directives

    facts = facts or Facts(doc)
    out = [parse_problem_diagnostic(p) for p in doc.problems]
    audits = []
    budget = time_budget()
    deadline = time.monotonic() + budget if budget else None
    for n, rule in enumerate(rules):
        if getattr(rule.impl, "runs_after_suppression", False):
            audits.append(rule)
            continue
        if rule.when is not None and not rule.when(facts):
            continue
        for finding in rule.impl.run(doc, facts, rule):
            out.append(stamp(rule, finding))
        if deadline is not None and time.monotonic() > deadline and n + 1 < len(rules):
            out.append(budget_diagnostic(budget, rule.id, [r.id for r in rules[n + 1:]]))
            break
    directives = find_directives(doc.source, doc.format)
    result = apply(directives, out, doc.source)
    facts.directives = directives
    kept = result.kept
    for rule in audits:
        for finding in rule.impl.run(doc, facts, rule):
            kept.append(stamp(rule, finding))
    kept.sort(key=lambda d: d.sort_key)
    return kept, result.suppressed


def check_source(source: Source, rules: list[Rule], fmt: str | None = None, cues=None) -> FileResult:
    try:
        doc = parse_document(source, fmt, cues)
    except ArticleError as exc:
        return FileResult(source.path, fmt, error=exc, source=source)
    facts = Facts(doc)
    diagnostics, suppressed = check_document(doc, rules, facts)
    not_flagged = sorted((a, b, rule_id, why) for rule_id, notes in facts.claim_notes.items() for a, b, why in notes)
    return FileResult(source.path, doc.format, diagnostics, source=source, id=doc.id, suppressed=suppressed,
                      sourcing=facts.sourcing_notes, not_flagged=not_flagged)
