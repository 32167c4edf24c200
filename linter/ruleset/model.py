"""A validated rule, as the engine and the checks see it."""

from __future__ import annotations

from ..records import Record

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: the check path does without `typing`
    from typing import Any

    from ..checks.contract import Kind
    from .condition import Condition


class Example(Record):
    """An example article of a rule; line and column: where a failing example must fail."""

    __slots__ = ("article", "format", "line", "column")

    def __init__(self, article: str, format: str = "markdown", line: int | None = None, column: int | None = None):
        self.article, self.format, self.line, self.column = article, format, line, column


class Rule(Record):
    """One YAML entry: its metadata, options and `when:` condition, with the rule kind
    (`impl`, code) that runs it and that kind's prepared options (`check`)."""

    __slots__ = ("id", "name", "category", "severity", "kind", "message", "help", "policy", "policy_url", "scope",
                 "when", "when_source", "enabled", "options", "examples_pass", "examples_fail", "file", "line",
                 "impl", "check")

    def __init__(self, id: str, name: str, category: str, severity: str, kind: str, message: str, help: str,
                 policy: str, policy_url: str | None, scope: tuple[str, ...], when: Condition | None,
                 when_source: str | None,
                 enabled: bool, options: dict[str, Any], examples_pass: list[Example] | None = None,
                 examples_fail: list[Example] | None = None, file: str = "", line: int = 0, *, impl: Kind,
                 check: Any = None):
        self.id, self.name, self.category, self.severity, self.kind = id, name, category, severity, kind
        self.message, self.help, self.policy, self.policy_url = message, help, policy, policy_url
        self.scope = scope
        self.when = when  # the compiled `when:` condition (called with the facts), or None
        self.when_source, self.enabled, self.options = when_source, enabled, options
        self.examples_pass = [] if examples_pass is None else examples_pass
        self.examples_fail = [] if examples_fail is None else examples_fail
        self.file, self.line = file, line
        self.impl = impl  # the rule kind (code) that runs this rule
        self.check = check  # the kind's prepared options for this rule

    def matches(self, selector: str) -> bool:
        """--select/--ignore: an id or id prefix, a name or name prefix, or a category."""
        return (
            self.id == selector
            or self.id.startswith(selector)
            or self.name.startswith(selector)
            or self.category == selector
        )


class RuleSet(Record):
    __slots__ = ("rules", "files", "digest")

    def __init__(self, rules: list[Rule], files: list[str], digest: str = ""):
        self.rules, self.files = rules, files
        self.digest = digest  # hash of the rule files' contents (cache keys)

    def selected(self, select: list[str] | None = None, ignore: list[str] | None = None) -> list[Rule]:
        out = []
        for r in self.rules:
            if not r.enabled and not (select and any(r.matches(s) for s in select)):
                continue
            if select and not any(r.matches(s) for s in select):
                continue
            if ignore and any(r.matches(s) for s in ignore):
                continue
            out.append(r)
        return out
