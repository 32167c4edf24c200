"""Sentence segmentation and quoted spans, tuned for financial news.

Works on a block's plain text and returns plain-text offsets; the caller maps them to the
source through the block's `TextMap`.  Abbreviations and sentence openers are data
(`cues.yaml`).  Rules, in order, at each `.`, `!`, `?` or ellipsis followed by space:
lower-case next word -> no break; a title ("Mr.") or inline abbreviation ("e.g.") -> no
break; "No. 1" / "Jan. 5" -> no break; a single initial ("J. P. Morgan") -> no break; an
abbreviation that may end a sentence ("Inc.", "U.S.") -> break only before a typical opener.
"""

from __future__ import annotations

import re

from .cues import Cues

# terminator run, then closing quotes/brackets, then whitespace or end of text
_TERMINATOR = re.compile(r"(?=[.!?…])(?:\.{2,}|…|[.!?])+[\"'”’)\]»]*(?=\s|$)")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.&'-]*)$")
_NEXT_WORD = re.compile(r"\s+([\"'“‘(\[]*)([^\s]*)")


class Segmenter:
    def __init__(self, cues: Cues):
        ab = cues.abbreviations
        self.title = ab.get("title", frozenset())
        self.final = ab.get("final", frozenset())
        self.before_number = ab.get("before_number", frozenset())
        self.inline = ab.get("inline", frozenset())
        self.openers = cues.sentence_openers

    def split(self, text: str) -> list[tuple[int, int]]:
        """Sentence spans (plain offsets), whitespace trimmed, in order, non-overlapping."""
        spans: list[tuple[int, int]] = []
        start = 0
        for m in _TERMINATOR.finditer(text):
            end = m.end()
            if end >= len(text) or not self._breaks(text, m.start(), end):
                continue
            spans.append((start, end))
            start = end
        spans.append((start, len(text)))
        out = []
        for s, e in spans:
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e > s:
                out.append((s, e))
        return out

    def _breaks(self, text: str, term_start: int, term_end: int) -> bool:
        nxt = _NEXT_WORD.match(text, term_end)
        if nxt is None:
            return True
        opener, word = nxt.group(1), nxt.group(2)
        if not word:
            return bool(opener)
        first = word[0]
        if first.islower():
            return False
        mark = text[term_start]
        if mark != "." or text.startswith("..", term_start):
            return True  # "!", "?" and an ellipsis before a capital always end a sentence
        before = _WORD_BEFORE.search(text, max(0, term_start - 24), term_start)
        if before is None:
            return True  # after a number or a symbol: "rose 4.2%. Then"
        token = before.group(1)
        low = token.lower().rstrip(".")
        if low in self.title or low in self.inline:
            return False
        if first.isdigit() and low in self.before_number:
            return False
        if len(token) == 1 and token.isupper():
            return False  # an initial: "J. P. Morgan", "Harry S. Truman"
        if low in self.final or "." in low:
            # "Acme Inc. The company ..." breaks; "Acme Inc. Chief Executive ..." does not
            return word.strip("\"'“‘,;:").lower() in self.openers
        return True


_QUOTE_CHARS = re.compile("[\"“”‘’'«»]")


def _sentence_end_before(text: str, i: int) -> int:
    """Where a sentence ends (after its final punctuation) when only whitespace stands
    between it and position `i`; else -1."""
    j = i - 1
    while j > 0 and text[j].isspace():
        j -= 1
    return j + 1 if text[j] in ".!?…" else -1


def find_quotes(text: str) -> list[tuple[int, int]]:
    """Quoted spans (plain offsets, marks included), outermost only.

    Straight and curly double quotes; single quotes only where they cannot be apostrophes.
    A quote left open at the end of a paragraph runs to its end (news style for quotes
    that continue into the next paragraph); so does one left open at the end of a sentence
    when an opening double quote follows it ('... associations.  "Even though ...'), as in
    text whose paragraph breaks were lost.
    """
    spans: list[tuple[int, int]] = []
    open_at = -1
    open_char = ""
    n = len(text)
    for m in _QUOTE_CHARS.finditer(text):
        i = m.start()
        c = text[i]
        prev = text[i - 1] if i > 0 else " "
        nxt = text[i + 1] if i + 1 < n else " "
        if open_at < 0:
            if c in "“«":
                open_at, open_char = i, c
            elif c == '"' and not nxt.isspace():
                open_at, open_char = i, c
            elif c in "‘'" and (prev.isspace() or prev in "([—–-") and nxt.isalnum():
                open_at, open_char = i, c
            continue
        if open_char in "“\"" and c in "“\"" and prev.isspace() and nxt.isalnum():
            end = _sentence_end_before(text, i)
            if end > 0:  # an opening mark: the open quote ran to the end of its sentence
                spans.append((open_at, end))
                open_at, open_char = i, c
                continue
        closes = (
            (open_char in "“\"«" and c in "”\"»")
            or (open_char in "‘'" and c in "’'" and not nxt.isalnum())
        )
        if closes:
            spans.append((open_at, i + 1))
            open_at = -1
    if open_at >= 0:
        end = len(text.rstrip())
        if end > open_at + 1:
            spans.append((open_at, end))
    return spans
