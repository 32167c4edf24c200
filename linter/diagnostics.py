"""What checks find and what the engine reports.

A check returns light `Finding`s (a span and the values its message needs); the engine
stamps each with the rule's id, name, category, severity, message, help and policy from the
YAML entry, giving a `Diagnostic`.  Checks never hard-code rule metadata.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


@dataclass(slots=True)
class Fix:
    """Replace source[start:end] with `text` (an insertion when start == end)."""

    start: int
    end: int
    text: str


@dataclass(slots=True)
class Finding:
    start: int
    end: int
    values: dict[str, Any] = field(default_factory=dict)  # fills the message template
    label: str | None = None  # short text under the underline
    section: str | None = None
    pointer: str | None = None  # JSON pointer (CMS JSON articles)
    primary: tuple[int, int] | None = None  # the trigger inside a longer span
    document_level: bool = False  # about the whole article (a missing disclaimer), not a span
    severity: str | None = None  # set when context lowers the rule's severity for this finding
    fix: Fix | None = None
    fix_note: str | None = None  # why a declared fix cannot be applied


@dataclass(slots=True)
class Diagnostic:
    rule: str
    name: str
    category: str
    severity: str
    message: str
    help: str
    policy: str
    start: int
    end: int
    section: str | None = None
    label: str | None = None
    pointer: str | None = None
    primary: tuple[int, int] | None = None
    policy_url: str | None = None
    document_level: bool = False
    fix: Fix | None = None
    fix_note: str | None = None

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
