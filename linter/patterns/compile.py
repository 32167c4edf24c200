"""Rule patterns compiled: validated, checked for catastrophic backtracking, compiled lazily.

A rule set holds hundreds of patterns and one article needs few of them, so a pattern is a
`LazyRegex`: its source and flags, compiled on first use, and plain data for the JSON
rule-set cache and worker processes (never a compiled program).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .literals import holds, lowered_of, odd_case, required_literals, usable
from .normalise import normalise, phrase_regex, tolerant_regex


class LazyRegex:
    """A regex compiled on first use.

    A rule set holds hundreds of patterns and `re` parses them in pure Python, while one
    article needs few of them (most are skipped by their literal gates): each compiles
    only when it first runs.  It travels as its source and flags (the JSON rule-set cache,
    worker processes), never as a compiled program.  `literals` (see `gated`): what every
    match holds, so that `search` answers "no match" without running, or compiling, the
    regex over text that lacks them (most sentences a rule's patterns are tried on).
    """

    __slots__ = ("_compiled", "flags", "literals", "source")

    def __init__(self, source: str, flags: int = 0, compiled: re.Pattern[str] | None = None,
                 literals: tuple[tuple[str, ...], ...] | None = None):
        self.source = source
        self.flags = flags
        self._compiled = compiled
        self.literals = literals

    def gated(self) -> LazyRegex:
        """Self with `literals` worked out from its source (when rules are prepared: the
        rule-set cache keeps them); a literal holding a letter whose case `re` folds otherwise
        than `str.lower` ('ſ') is no gate."""
        self.literals = usable(required_literals(self.source)) if not self.flags & re.VERBOSE else None
        return self

    @classmethod
    def of(cls, pattern) -> LazyRegex:
        if isinstance(pattern, LazyRegex):
            return pattern
        return cls(pattern.pattern, pattern.flags, pattern)

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.source, self.flags)
        return self._compiled

    @property
    def pattern(self) -> str:
        return self.source

    def search(self, string: str, *args):
        """`re.Pattern.search`; None at once when the text searched (`string`, or its part from
        `pos` to `endpos`) lacks one of the literals every match holds."""
        if self.literals is not None:
            text = string[args[0]:args[1] if len(args) > 1 else None] if args else string
            # (text with a letter `re` folds otherwise than `str.lower` is searched ungated)
            if not odd_case(text) and not holds(self.literals, lowered_of(text)):
                return None
        return self.compiled.search(string, *args)

    def match(self, *args):
        return self.compiled.match(*args)

    def finditer(self, *args):
        return self.compiled.finditer(*args)

    def __getstate__(self):
        return (self.source, int(self.flags), self.literals)

    def __setstate__(self, state):
        self.source, self.flags, self.literals = state
        self._compiled = None


def compile_patterns(items: list[str], fail: Callable[[str], None], *, literal: bool = False) -> list:
    """Validate and compile rule patterns (as `LazyRegex`, so a cached rule set loads fast)."""
    # only when rules are prepared: a run from the rule-set cache skips it
    from . import safety

    out = []
    for item in items:
        if not isinstance(item, str) or not item.strip():
            fail(f"each entry must be a non-empty string, got {item!r}")
        source = phrase_regex(item) if literal else tolerant_regex(normalise(item))
        risk = safety.backtracking_risk(source, re.IGNORECASE)
        if risk:
            fail(f"pattern {item!r} is unsafe: {risk}")
        try:
            out.append(LazyRegex(source, re.IGNORECASE, re.compile(source, re.IGNORECASE)).gated())
        except re.error as exc:
            fail(f"bad regular expression {item!r}: {exc}")
    return out


def safe_compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile`, refusing (as `re.error`) a pattern that `backtracking_risk` rejects: for
    options that hold one raw regex, so a rule file gets its one-line error."""
    from . import safety

    risk = safety.backtracking_risk(pattern, flags) if isinstance(pattern, str) else None
    if risk:
        raise re.error(f"unsafe pattern {pattern!r}: {risk}")
    return re.compile(pattern, flags)
