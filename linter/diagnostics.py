"""What checks find and what the engine reports.

A check returns light `Finding`s (a span and the values its message needs); the engine
stamps each with the rule's id, name, category, severity, message, help and policy from the
YAML entry, giving a `Diagnostic`.  Checks never hard-code rule metadata.
"""

from __future__ import annotations

from .records import Record

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: importing `typing` costs a one-shot run about 3 ms
    from typing import Any

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


class Fix(Record):
    """Replace source[start:end] with `text` (an insertion when start == end)."""

    __slots__ = ("start", "end", "text")

    def __init__(self, start: int, end: int, text: str):
        self.start, self.end, self.text = start, end, text


class Finding(Record):
    """A span a check found and the values its message needs.

    values: fills the message template; label: short text under the underline; pointer: the
    JSON pointer (CMS JSON articles); primary: the trigger inside a longer span;
    document_level: about the whole article (a missing disclaimer), not a span; severity:
    set when context lowers the rule's severity for this finding; fix_note: why a declared
    fix cannot be applied.
    """

    __slots__ = ("start", "end", "values", "label", "section", "pointer", "primary", "document_level",
                 "severity", "fix", "fix_note")

    def __init__(self, start: int, end: int, values: dict[str, Any] | None = None, label: str | None = None,
                 section: str | None = None, pointer: str | None = None, primary: tuple[int, int] | None = None,
                 document_level: bool = False, severity: str | None = None, fix: Fix | None = None,
                 fix_note: str | None = None):
        self.start, self.end = start, end
        self.values = {} if values is None else values
        self.label, self.section, self.pointer, self.primary = label, section, pointer, primary
        self.document_level, self.severity, self.fix, self.fix_note = document_level, severity, fix, fix_note


class Diagnostic(Record):
    """A finding stamped with its rule's metadata, as reporters print it."""

    __slots__ = ("rule", "name", "category", "severity", "message", "help", "policy", "start", "end", "section",
                 "label", "pointer", "primary", "policy_url", "document_level", "fix", "fix_note")

    def __init__(self, rule: str, name: str, category: str, severity: str, message: str, help: str, policy: str,
                 start: int, end: int, section: str | None = None, label: str | None = None,
                 pointer: str | None = None, primary: tuple[int, int] | None = None, policy_url: str | None = None,
                 document_level: bool = False, fix: Fix | None = None, fix_note: str | None = None):
        self.rule, self.name, self.category, self.severity = rule, name, category, severity
        self.message, self.help, self.policy = message, help, policy
        self.start, self.end, self.section, self.label, self.pointer = start, end, section, label, pointer
        self.primary, self.policy_url, self.document_level = primary, policy_url, document_level
        self.fix, self.fix_note = fix, fix_note

    @property
    def sort_key(self) -> tuple:
        return (self.start, self.end, self.rule)


def parse_problem_diagnostic(problem) -> Diagnostic:
    """A part of the article the parser could not read, reported like any finding."""
    return Diagnostic(
        rule="PARSE",
        name="parse.problem",
        category="parse",
        severity="warning",
        message=problem.message,
        help="fix the markup so the whole article can be checked",
        policy="",
        start=problem.start,
        end=problem.end,
    )


def budget_diagnostic(budget: float, after: str, skipped: list[str]) -> Diagnostic:
    """The check of an article ran past its time budget: the rules not run are named, and the
    article cannot pass as clean (an error, not a silent all clear)."""
    return Diagnostic(
        rule="BUDGET",
        name="check.time-budget",
        category="parse",
        severity="error",
        message=f"check stopped after {budget:g} s (at rule {after}); not run: {', '.join(skipped)}",
        help="split the article, or raise COPYDESK_TIME_BUDGET (seconds; 0 turns the budget off)",
        policy="",
        start=0,
        end=0,
        document_level=True,
    )
