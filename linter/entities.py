"""Entities a rule condition or a check may ask about, each with its source span.

Tickers (exchange-prefixed, cashtags, front-matter `tickers:`), price targets, return and
performance figures, forward-looking markers and sponsor lines.  Found on the block plain
text (the patterns through the article's shared matching text, see document/matchtext.py)
of the sections that can carry them and mapped to source offsets; computed once per
article and only when a rule asks.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .document.model import Document
from .records import Record
from .textmatch import GatedPattern, LazyRegex

EXCHANGES = (
    r"NASDAQ|Nasdaq|NYSE(?:\s+American|\s+Arca|\s+MKT)?|AMEX|NYSEAMERICAN|TSX(?:V|-V)?|TSX\s+Venture|CSE|CNSX|"
    r"ASX|LSE|AIM|OTC(?:QB|QX|\s+Markets|\s+Pink)?|OTCMKTS|NEO|HKEX|SGX|NSE|BSE|Euronext|XETRA|FWB|BATS|CBOE|JSE"
)

# An exchange-prefixed ticker is found from its colon (a literal, so `re` skips ahead fast),
# then the exchange name is checked just before it.
_TICKER_AFTER_COLON = LazyRegex(r":\s*[A-Z][A-Z0-9]{0,5}(?:\.[A-Z]{1,2})?\b")
_EXCHANGE_BEFORE = LazyRegex(rf"\b(?:{EXCHANGES})\s*$")
_CASHTAG = LazyRegex(r"(?<![\w$])\$[A-Z]{1,5}\b(?!\.\d)")

# every kind but tickers is one regex (compiled on first use: most runs ask for few kinds)
PATTERNS: dict[str, LazyRegex] = {
    "price_target": LazyRegex(
        r"\b(?:price target|target price|price objective|PT)\b(?:\s+(?:of|to|at|is|was|from|raised to|cut to|lowered to))*"
        r"\s*:?\s*(?:[A-Z]{0,3}\$|US\$|C\$|€|£|¥)\s?\d[\d,]*(?:\.\d+)?",
        re.IGNORECASE,
    ),
    "performance": LazyRegex(
        r"\b(?:returned\s+(?:an?\s+)?(?:annuali[sz]ed\s+|total\s+|average\s+(?:annual\s+)?)?\d[\d,.]*\s?(?:%|percent)"
        r"|(?:delivered|generated|earned|produced|posted)\s+(?:an?\s+)?(?:annuali[sz]ed\s+|total\s+|average\s+(?:annual\s+)?)?returns?\s+of\s+\d[\d,.]*\s?(?:%|percent)"
        r"|\d[\d,.]*\s?(?:%|percent)\s+(?:annuali[sz]ed|total|average annual|annual|cumulative)\s+returns?"
        r"|(?:annuali[sz]ed|total|average annual|historical|cumulative)\s+returns?\s+of\s+\d[\d,.]*\s?(?:%|percent)"
        r"|track record of\s+\d[\d,.]*\s?(?:%|percent))",
        re.IGNORECASE,
    ),
    "forward_looking": LazyRegex(
        # the look-ahead lets `re` reject most positions on one character
        r"(?=[eEpPfFgGaAoOiItTwW])\b(?:expects?|expected to|projects?|projected|projections?|forecasts?|guidance|anticipates?|"
        r"outlook|plans? to|intends? to|aims? to|targets?|will (?:grow|increase|rise|reach|double|triple|expand|deliver|generate))\b",
        re.IGNORECASE,
    ),
    # a sponsor line: the strong forms count anywhere, "sponsored by X" only outside the body
    # (in a news body it is usually a survey's or an event's sponsor)
    "sponsor_line": LazyRegex(
        r"\b(?:this (?:article|post|content|story) (?:is|was) (?:sponsored|paid for)|this is a paid (?:promotion|advertisement)|"
        r"(?:paid|sponsored) (?:promotion|content|post|advertisement)|advertorial)\b",
        re.IGNORECASE,
    ),
    "sponsor_credit": LazyRegex(
        r"^\W*(?:sponsored by|paid for by|brought to you by|presented by|in partnership with|compensated by)\b",
        re.IGNORECASE,
    ),
}
MENTION_KINDS = ("ticker",) + tuple(PATTERNS)
# where each entity counts: the author's article, not the furniture or the disclosures
ENTITY_SECTIONS = {
    "ticker": ("headline", "dek", "body", "quote"),
    "price_target": ("headline", "dek", "body", "quote"),
    "performance": ("headline", "dek", "body"),
    "forward_looking": ("headline", "dek", "body"),
    "sponsor_line": ("headline", "dek", "byline", "body", "disclaimer", "boilerplate"),
    "sponsor_credit": ("headline", "dek", "byline", "disclaimer", "boilerplate"),
}


class Mention(Record):
    __slots__ = ("kind", "start", "end", "text", "section")

    def __init__(self, kind: str, start: int, end: int, text: str, section: str):
        self.kind, self.start, self.end, self.text, self.section = kind, start, end, text, section


class Facts:
    """What conditions see of one article; entities are found on first use."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.format = doc.format
        self.front_matter = doc.front_matter
        self._mentions: dict[str, list[Mention]] = {}
        self._sections: dict[str, int] | None = None
        self.directives: list = []  # inline suppressions, set by the engine for audit rules
        self.sourcing_notes: list[tuple[int, int]] = []  # story-level notes, found by the claim kind

    def mentions(self, kind: str) -> list[Mention]:
        found = self._mentions.get(kind)
        if found is None:
            found = self._mentions[kind] = find_mentions(self.doc, kind)
        return found

    def mention_count(self, kind: str) -> int:
        return len(self.mentions(kind))

    def section_count(self, kind: str) -> int:
        if self._sections is None:
            counts: dict[str, int] = {}
            for s in self.doc.sections:
                counts[s.kind] = counts.get(s.kind, 0) + 1
            self._sections = counts
        return self._sections.get(kind, 0)


def find_mentions(doc: Document, kind: str) -> list[Mention]:
    sections = ENTITY_SECTIONS[kind]
    out: list[Mention] = []
    if kind == "ticker":
        entry = doc.front_matter_entries.get("tickers") or doc.front_matter_entries.get("ticker")
        if entry is not None and entry.value:
            value = entry.value
            shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
            out.append(Mention(kind, entry.value_start, entry.value_end, f"{entry.key}: {shown}", "front_matter"))
    by_block = doc.article_text().spans_by_block([_gate(kind)]) if kind != "ticker" else {}
    for i, block in enumerate(doc.blocks):
        if block.section not in sections:
            continue
        text = block.text
        spans = _ticker_spans(text) if kind == "ticker" else by_block.get(i, ())
        for a, b in spans:
            s, e = block.textmap.to_source(a, b)
            out.append(Mention(kind, s, e, text[a:b], block.section))
    return out


@lru_cache(maxsize=None)
def _gate(kind: str) -> GatedPattern:
    """Built on first use: most articles never ask for most kinds."""
    return GatedPattern(PATTERNS[kind])


def _ticker_spans(text: str) -> list[tuple[int, int]]:
    found = []
    if ":" in text:
        for m in _TICKER_AFTER_COLON.finditer(text):
            ex = _EXCHANGE_BEFORE.search(text, max(0, m.start() - 24), m.start())
            if ex:
                found.append((ex.start(), m.end()))
    if "$" in text:
        found.extend(m.span() for m in _CASHTAG.finditer(text))
    return sorted(found)
