"""Load the parser's data (abbreviations, section cues, HTML classes, field maps).

The data lives in `cues.yaml` beside this module; configuration can extend any list through
`Cues.extended()`.  Regexes are compiled once per process.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

_CUES_FILE = Path(__file__).with_name("cues.yaml")


@dataclass(frozen=True, eq=False)
class Cues:
    raw: dict[str, Any]

    @cached_property
    def abbreviations(self) -> dict[str, frozenset[str]]:
        return {k: frozenset(v) for k, v in self.raw["abbreviations"].items()}

    @cached_property
    def sentence_openers(self) -> frozenset[str]:
        return frozenset(self.raw["sentence_openers"])

    def section_patterns(self, kind: str) -> PatternSet | None:
        pats = self.raw["sections"].get(kind) or []
        return _compile_any(tuple(pats))

    @cached_property
    def signoff(self) -> re.Pattern[str] | None:
        pat = self.raw.get("signoff")
        return re.compile(pat, re.IGNORECASE) if pat else None

    def heading_pattern(self, kind: str) -> PatternSet | None:
        pats = (self.raw.get("heading_sections") or {}).get(kind) or []
        return _compile_any(tuple(pats))

    def heading_section(self, heading: str) -> str | None:
        """The section a heading opens ("Disclosures" -> disclaimer), or None for body."""
        text = heading.strip()
        for kind in (self.raw.get("heading_sections") or {}):
            pat = self.heading_pattern(kind)
            if pat is not None and pat.search(text):
                return kind
        return None

    @cached_property
    def html_classes(self) -> dict[str, tuple[str, ...]]:
        return {k: tuple(v) for k, v in self.raw["html_classes"].items()}

    @cached_property
    def front_matter(self) -> dict[str, tuple[str, ...]]:
        return {k: tuple(v) for k, v in self.raw["front_matter"].items()}

    @cached_property
    def json_fields(self) -> dict[str, tuple[str, ...]]:
        return {k: tuple(v) for k, v in self.raw["json_fields"].items()}

    def extended(self, extra: dict[str, Any]) -> "Cues":
        """A copy with lists in `extra` appended (nested dicts merged), for configuration."""
        return Cues(_merge(self.raw, extra))


def _merge(base: Any, extra: Any) -> Any:
    if isinstance(base, dict) and isinstance(extra, dict):
        out = dict(base)
        for k, v in extra.items():
            out[k] = _merge(base.get(k), v) if k in base else v
        return out
    if isinstance(base, list) and isinstance(extra, list):
        return base + [x for x in extra if x not in base]
    return extra


class PatternSet:
    """Case-insensitive regexes searched one by one, each behind a literal prefilter.

    One big alternation is slower in Python's `re` than its parts, and most text matches
    none of them: a substring test for a literal every match must contain (found from the
    parsed pattern, so user-added cues get it too) skips most searches outright.
    """

    __slots__ = ("patterns",)

    def __init__(self, patterns: tuple[str, ...]):
        self.patterns = [
            (required_literal(p), re.compile(p, re.IGNORECASE | re.MULTILINE)) for p in patterns
        ]

    def search(self, text: str) -> re.Match[str] | None:
        lowered = None
        best = None
        for literals, pattern in self.patterns:
            if literals:
                if lowered is None:
                    lowered = text.lower()
                if not any(lit in lowered for lit in literals):
                    continue
            m = pattern.search(text)
            if m and (best is None or m.start() < best.start()):
                best = m
        return best

    def match(self, text: str) -> re.Match[str] | None:
        for _, pattern in self.patterns:
            m = pattern.match(text)
            if m:
                return m
        return None


def required_literal(pattern: str) -> tuple[str, ...] | None:
    """Literals, lower-cased, one of which every match of `pattern` contains.

    Taken from the top level of the parsed pattern: the longest literal run, or a group of
    alternatives that each open with a literal run ("(?:paid|compensated)").  Every match
    contains one of them, so a substring test on the lower-cased text is a safe prefilter.
    None when nothing of at least three characters is required.
    """
    try:
        from re import _parser as sre_parse  # Python >= 3.11
    except ImportError:  # pragma: no cover - Python 3.10
        import sre_parse  # type: ignore[no-redef]
    try:
        parsed = sre_parse.parse(pattern, re.IGNORECASE)
    except re.error:
        return None

    def literal_prefix(items) -> str:
        out = []
        for op, arg in items:
            if op is sre_parse.LITERAL:
                out.append(chr(arg))
            elif op is sre_parse.AT:
                continue
            else:
                break
        return "".join(out)

    candidates: list[tuple[str, ...]] = []
    run: list[str] = []
    for op, arg in list(parsed) + [(None, None)]:
        if op is sre_parse.LITERAL:
            run.append(chr(arg))
            continue
        if op is sre_parse.AT:  # \b, ^, $ take no characters: a run goes on across them
            continue
        if run:
            candidates.append(("".join(run),))
            run = []
        if op is sre_parse.BRANCH:  # a non-capturing group may come inlined
            candidates.append(tuple(literal_prefix(b) for b in arg[1]))
        elif op is sre_parse.SUBPATTERN:
            body = list(arg[-1])
            if len(body) == 1 and body[0][0] is sre_parse.BRANCH:
                alternatives = tuple(literal_prefix(b) for b in body[0][1][1])
                candidates.append(alternatives)
            else:
                prefix = literal_prefix(body)
                if prefix:
                    candidates.append((prefix,))
    usable = [tuple(a.lower() for a in c) for c in candidates if all(len(a.strip()) >= 3 for a in c)]
    if not usable:
        return None
    return max(usable, key=lambda alts: min(len(a) for a in alts))


@lru_cache(maxsize=64)
def _compile_any(patterns: tuple[str, ...]) -> PatternSet | None:
    if not patterns:
        return None
    return PatternSet(patterns)


@lru_cache(maxsize=1)
def default_cues() -> Cues:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(_CUES_FILE, encoding="utf-8") as fh:
        return Cues(yaml.load(fh, Loader=loader))
