"""A validated rule, as the engine and the checks see it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Example:
    article: str
    format: str = "markdown"
    line: int | None = None  # expected position for a failing example
    column: int | None = None


@dataclass(slots=True)
class Rule:
    id: str
    name: str
    category: str
    severity: str
    kind: str
    message: str
    help: str
    policy: str
    policy_url: str | None
    scope: tuple[str, ...]
    when: Any  # a compiled condition (callable on facts) or None
    when_source: str | None
    enabled: bool
    options: dict[str, Any]
    examples_pass: list[Example] = field(default_factory=list)
    examples_fail: list[Example] = field(default_factory=list)
    file: str = ""
    line: int = 0
    impl: Any = None  # the rule kind (code) that runs this rule
    check: Any = None  # the kind's prepared options for this rule

    def matches(self, selector: str) -> bool:
        """--select/--ignore: an id or id prefix, a name or name prefix, or a category."""
        return (
            self.id == selector
            or self.id.startswith(selector)
            or self.name.startswith(selector)
            or self.category == selector
        )


@dataclass
class RuleSet:
    rules: list[Rule]
    files: list[str]
    digest: str = ""  # hash of the rule files' contents (cache keys)

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
