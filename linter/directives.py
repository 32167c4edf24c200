"""Inline suppressions, audited: every waiver names its rules and gives a reason.

    <!-- copydesk: disable=DISC101,promotional.risk-free reason="quoted from the filing" -->
    ... until <!-- copydesk: enable -->
    <!-- copydesk: disable-next-line=PROMO202 reason="the headline quotes the promoter" -->
    ... a line <!-- copydesk: disable-line=PROMO203 reason="..." -->

HTML comments work in Markdown, HTML and inside CMS JSON bodies; plain-text articles may
also use a `# copydesk: ...` line.  Rules are named by id, id prefix, name, name prefix or
category.  A directive without a reason suppresses nothing and is itself a finding, and so
is a directive that suppressed nothing.
"""

from __future__ import annotations

import re

from .records import Record

_COMMENT = re.compile(r"<!--\s*copydesk:(?P<body>.*?)-->", re.DOTALL)
_HASH_LINE = re.compile(r"^[ \t]*#[ \t]*copydesk:(?P<body>[^\r\n]*)", re.MULTILINE)
_BODY = re.compile(
    r"\s*(?P<action>disable-next-line|disable-line|disable|enable)"
    r"(?:\s*=\s*(?P<rules>[\w.\-]+(?:\s*,\s*[\w.\-]+)*))?"
    r"(?:\s+reason\s*=\s*(?:\\?\"(?P<dq>(?:[^\"\\]|\\[^\"])*)\\?\"|'(?P<sq>[^']*)'))?\s*$",
    re.DOTALL,
)


class Directive(Record):
    """An inline suppression comment; rules None: every rule."""

    __slots__ = ("action", "rules", "reason", "start", "end", "line", "used", "valid", "problem")

    def __init__(self, action: str, rules: list[str] | None, reason: str | None, start: int, end: int, line: int,
                 used: int = 0, valid: bool = True, problem: str | None = None):
        self.action, self.rules, self.reason = action, rules, reason
        self.start, self.end, self.line = start, end, line
        self.used, self.valid, self.problem = used, valid, problem

    def covers(self, d) -> bool:
        if self.rules is None:
            return True
        return any(
            d.rule == r or d.rule.startswith(r) or d.name.startswith(r) or d.category == r for r in self.rules
        )


class SuppressionResult(Record):
    """Diagnostics kept, (diagnostic, directive) pairs suppressed, and the directives."""

    __slots__ = ("kept", "suppressed", "directives")

    def __init__(self, kept: list, suppressed: list | None = None, directives: list[Directive] | None = None):
        self.kept = kept
        self.suppressed = [] if suppressed is None else suppressed
        self.directives = [] if directives is None else directives


def find_directives(source, fmt: str) -> list[Directive]:
    text = source.text
    if "copydesk:" not in text:
        return []
    found = []
    matches = list(_COMMENT.finditer(text))
    if fmt == "text":
        matches += list(_HASH_LINE.finditer(text))
    for m in sorted(matches, key=lambda m: m.start()):
        body = m.group("body")
        line, _ = source.position(m.start())
        parsed = _BODY.match(body)
        if parsed is None:
            d = Directive("invalid", None, None, m.start(), m.end(), line, valid=False,
                          problem="unreadable directive: expected disable=RULES reason=\"...\", disable-next-line, disable-line or enable")
            found.append(d)
            continue
        rules = parsed.group("rules")
        reason = parsed.group("dq") if parsed.group("dq") is not None else parsed.group("sq")
        d = Directive(
            parsed.group("action"),
            [r.strip() for r in rules.split(",")] if rules else None,
            reason.strip() if reason else None,
            m.start(),
            m.end(),
            line,
        )
        if d.action != "enable" and not d.reason:
            d.valid = False
            d.problem = "missing reason"
        found.append(d)
    return found


def apply(directives: list[Directive], diagnostics: list, source) -> SuppressionResult:
    """Split diagnostics into kept and suppressed; count what each directive suppressed."""
    if not directives:
        return SuppressionResult(diagnostics)
    ranges = _ranges(directives, len(source.text))
    result = SuppressionResult([], directives=directives)
    for diag in diagnostics:
        line, _ = source.position(diag.start)
        hit = None
        for d in directives:
            if not d.valid or not d.covers(diag):
                continue
            if d.action == "disable-line" and d.line == line:
                hit = d
            elif d.action == "disable-next-line" and _next_line(d, source) == line:
                hit = d
            elif d.action == "disable" and any(a <= diag.start < b for a, b in ranges.get(id(d), [])):
                hit = d
            if hit:
                break
        if hit is None:
            result.kept.append(diag)
        else:
            hit.used += 1
            result.suppressed.append((diag, hit))
    return result


def _next_line(d: Directive, source) -> int:
    """The line after the directive's last line."""
    end_line, _ = source.position(max(d.start, d.end - 1))
    return end_line + 1


def _ranges(directives: list[Directive], length: int) -> dict[int, list[tuple[int, int]]]:
    """For each valid `disable`, the offsets it covers: to the next matching `enable` or the end."""
    out: dict[int, list[tuple[int, int]]] = {}
    for i, d in enumerate(directives):
        if d.action != "disable" or not d.valid:
            continue
        end = length
        for e in directives[i + 1 :]:
            if e.action == "enable" and (e.rules is None or d.rules is None or set(e.rules) & set(d.rules)):
                end = e.start
                break
        out[id(d)] = [(d.end, end)]
    return out
