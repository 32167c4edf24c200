"""Load the parser's data (abbreviations, section cues, HTML classes, field maps).

The data lives in `cues.yaml` beside this module; configuration can extend any list through
`Cues.extended()`.  The shipped cues are cached with their pattern sets built (see
`default_cues`), so a run neither parses the YAML nor compiles the patterns.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache

from ..patterns.compile import LazyRegex
from ..patterns.gates import PatternSet, with_first_char_lookahead

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_CUES_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cues.yaml")


def _memoised(compute):
    """A property computed once per Cues and kept in its `_memo` (a plain field, so the
    prepared values travel in the cache; not `functools.cached_property`, which needs a
    `__dict__`, nor a data class, whose import a one-article run does not otherwise need)."""
    name = compute.__name__

    def get(self):
        try:
            return self._memo[name]
        except KeyError:
            value = self._memo[name] = compute(self)
            return value

    return property(get, doc=compute.__doc__)


class Cues:
    """The parser's data as read from cues.yaml (`raw`), with what is built from it."""

    __slots__ = ("_memo", "raw")

    def __init__(self, raw: dict[str, Any]):
        self.raw = raw
        self._memo: dict[str, Any] = {}

    @_memoised
    def abbreviations(self) -> dict[str, frozenset[str]]:
        return {k: frozenset(v) for k, v in self.raw["abbreviations"].items()}

    @_memoised
    def sentence_openers(self) -> frozenset[str]:
        return frozenset(self.raw["sentence_openers"])

    @_memoised
    def _pattern_sets(self) -> dict[tuple[str, str], PatternSet | None]:
        sets = {("section", k): _pattern_set(v) for k, v in self.raw["sections"].items()}
        sets.update({("heading", k): _pattern_set(v) for k, v in (self.raw.get("heading_sections") or {}).items()})
        sets.update({("genre", k): _pattern_set(v) for k, v in (self.raw.get("genres") or {}).items()})
        return sets

    @_memoised
    def voice_patterns(self) -> dict[str, tuple[LazyRegex, ...]]:
        """Each `voice:` list pattern by pattern, each behind a look-ahead for its first
        characters (a joined alternation opening with look-behinds is tried at every
        position: a quarter slower), compiled on first use (a run that asks no sentence's
        voice compiles none); first_person and reader are case-sensitive."""
        out = {}
        for key, items in (self.raw.get("voice") or {}).items():
            flags = 0 if key in ("first_person", "reader") else re.IGNORECASE
            out[key] = tuple(with_first_char_lookahead(LazyRegex(p, flags).gated()) for p in items or ())
        return out

    @property
    def genres(self) -> tuple[str, ...]:
        return tuple(self.raw.get("genres") or ())

    def genre_patterns(self, genre: str) -> PatternSet | None:
        return self._pattern_sets.get(("genre", genre))

    def section_patterns(self, kind: str) -> PatternSet | None:
        return self._pattern_sets.get(("section", kind))

    @_memoised
    def signoff(self) -> LazyRegex | None:
        pat = self.raw.get("signoff")
        return LazyRegex(pat, re.IGNORECASE) if pat else None

    @_memoised
    def run_in_heading(self) -> LazyRegex | None:
        pat = self.raw.get("run_in_heading")
        return LazyRegex(pat) if pat else None

    def heading_pattern(self, kind: str) -> PatternSet | None:
        return self._pattern_sets.get(("heading", kind))

    def prepared(self) -> Cues:
        """Self, with every pattern set built (before it is cached)."""
        self._pattern_sets, self.signoff, self.run_in_heading, self.voice_patterns  # noqa: B018 - computed for their side effect
        return self

    def heading_section(self, heading: str) -> str | None:
        """The section a heading opens ("Disclosures" -> disclaimer), or None for body."""
        text = heading.strip()
        for kind in (self.raw.get("heading_sections") or {}):
            pat = self.heading_pattern(kind)
            if pat is not None and pat.search(text):
                return kind
        return None

    @_memoised
    def html_classes(self) -> dict[str, tuple[str, ...]]:
        return {k: tuple(v) for k, v in self.raw["html_classes"].items()}

    @_memoised
    def front_matter(self) -> dict[str, tuple[str, ...]]:
        return {k: tuple(v) for k, v in self.raw["front_matter"].items()}

    @_memoised
    def json_fields(self) -> dict[str, tuple[str, ...]]:
        return {k: tuple(v) for k, v in self.raw["json_fields"].items()}

    def extended(self, extra: dict[str, Any]) -> Cues:
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


def _pattern_set(patterns) -> PatternSet | None:
    return PatternSet(tuple(patterns)) if patterns else None


@lru_cache(maxsize=1)
def default_cues() -> Cues:
    """The shipped cues, from the rule-set cache when it holds this version of the file."""
    from .. import cache

    try:
        key = cache.data_key(_CUES_FILE)
    except OSError:
        key = None
    cues = cache.load(key, kind="cues") if key else None
    if not isinstance(cues, Cues):
        import yaml

        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        with open(_CUES_FILE, encoding="utf-8") as fh:
            cues = Cues(yaml.load(fh, Loader=loader)).prepared()
        if key:
            cache.save(key, cues, kind="cues")
    return cues
