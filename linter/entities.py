"""Entities a rule condition or a check may ask about, each with its source span.

Tickers (exchange-prefixed, cashtags, front-matter `tickers:`), price targets, return and
performance figures, forward-looking markers and sponsor lines.  Found on the block plain
text of the sections that can carry them and mapped to source offsets; computed once per
article and only when a rule asks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .document.model import Document

EXCHANGES = (
    r"NASDAQ|Nasdaq|NYSE(?:\s+American|\s+Arca|\s+MKT)?|AMEX|NYSEAMERICAN|TSX(?:V|-V)?|TSX\s+Venture|CSE|CNSX|"
    r"ASX|LSE|AIM|OTC(?:QB|QX|\s+Markets|\s+Pink)?|OTCMKTS|NEO|HKEX|SGX|NSE|BSE|Euronext|XETRA|FWB|BATS|CBOE|JSE"
)

PATTERNS: dict[str, re.Pattern[str]] = {
    "ticker": re.compile(
        rf"(?:\b(?:{EXCHANGES})\s*:\s*[A-Z][A-Z0-9]{{0,5}}(?:\.[A-Z]{{1,2}})?\b)|(?<![\w$])\$[A-Z]{{1,5}}\b(?!\.\d)"
    ),
    "price_target": re.compile(
        r"\b(?:price target|target price|price objective|PT)\b(?:\s+(?:of|to|at|is|was|from|raised to|cut to|lowered to))*"
        r"\s*:?\s*(?:[A-Z]{0,3}\$|US\$|C\$|€|£|¥)\s?\d[\d,]*(?:\.\d+)?",
        re.IGNORECASE,
    ),
    "performance": re.compile(
        r"\b(?:(?:returned|gained|delivered|generated|earned)\s+(?:an?\s+)?(?:annuali[sz]ed\s+|total\s+|average\s+)?\d[\d,.]*\s?(?:%|percent)"
        r"|\d[\d,.]*\s?(?:%|percent)\s+(?:annuali[sz]ed\s+|total\s+|average\s+|annual\s+)?returns?"
        r"|(?:annuali[sz]ed|total|average annual|historical)\s+returns?\s+of\s+\d[\d,.]*\s?(?:%|percent)"
        r"|track record of\s+\d[\d,.]*\s?(?:%|percent))",
        re.IGNORECASE,
    ),
    "forward_looking": re.compile(
        r"\b(?:expects?|expected to|projects?|projected|projections?|forecasts?|guidance|anticipates?|"
        r"outlook|plans? to|intends? to|aims? to|targets?|will (?:grow|increase|rise|reach|double|triple|expand|deliver|generate))\b",
        re.IGNORECASE,
    ),
    "sponsor_line": re.compile(
        r"\b(?:sponsored by|paid for by|in partnership with|brought to you by|this is a paid (?:promotion|advertisement)|"
        r"(?:paid|sponsored) (?:promotion|content|post)|advertorial|compensated by)\b",
        re.IGNORECASE,
    ),
}
MENTION_KINDS = tuple(PATTERNS)
# where each entity counts: the author's article, not the furniture or the disclosures
ENTITY_SECTIONS = {
    "ticker": ("headline", "dek", "body", "quote"),
    "price_target": ("headline", "dek", "body", "quote"),
    "performance": ("headline", "dek", "body"),
    "forward_looking": ("headline", "dek", "body"),
    "sponsor_line": ("headline", "dek", "byline", "body", "disclaimer", "boilerplate"),
}


@dataclass(slots=True)
class Mention:
    kind: str
    start: int
    end: int
    text: str
    section: str


class Facts:
    """What conditions see of one article; entities are found on first use."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.format = doc.format
        self.front_matter = doc.front_matter
        self._mentions: dict[str, list[Mention]] = {}
        self._sections: dict[str, int] | None = None

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
    pattern = PATTERNS[kind]
    sections = ENTITY_SECTIONS[kind]
    out: list[Mention] = []
    if kind == "ticker":
        entry = doc.front_matter_entries.get("tickers") or doc.front_matter_entries.get("ticker")
        if entry is not None and entry.value:
            value = entry.value
            shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
            out.append(Mention(kind, entry.value_start, entry.value_end, f"{entry.key}: {shown}", "front_matter"))
    for block in doc.blocks:
        if block.section not in sections:
            continue
        text = block.text
        for m in pattern.finditer(text):
            s, e = block.textmap.to_source(m.start(), m.end())
            out.append(Mention(kind, s, e, m.group(), block.section))
    return out
