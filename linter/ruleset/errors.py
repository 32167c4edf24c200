"""The one-line error for a broken rule file (exit code 2)."""

from __future__ import annotations


class RuleFileError(Exception):
    def __init__(self, path: str, line: int | None, message: str, rule: str | None = None, key: str | None = None, column: int | None = None):
        super().__init__(message)
        self.path = path
        self.line = line
        self.column = column
        self.rule = rule
        self.key = key
        self.message = message

    def __str__(self) -> str:
        from ..source import location

        parts = [location(self.path, self.line, self.column), " error:"]
        if self.rule:
            parts.append(f" rule {self.rule}:")
        if self.key:
            parts.append(f" key '{self.key}':")
        parts.append(f" {self.message}")
        return "".join(parts)
