"""Plain-text articles: line 1 is the headline, blank lines or indented lines open paragraphs.

Indented first lines are how wire copy marks paragraphs (the 1987 Reuters hard-wrapped
lines, the 2006-2013 Reuters " " paragraph starts), so both open a new block.  Text is kept
verbatim: every block's plain text *is* its source slice.
"""

from __future__ import annotations

import re

from ..source import Source
from .cues import Cues
from .model import Block, Document
from .structure import finish
from .textmap import TextMap

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_DIRECTIVE = re.compile(r"[ \t]*#[ \t]*copydesk:")


def iter_lines(text: str, start: int = 0, end: int | None = None):
    """Yield (line_start, content_end) for each line of text[start:end], breaks excluded."""
    end = len(text) if end is None else end
    pos = start
    while pos < end:
        m = _LINE.match(text, pos, end)
        line_end = m.end()  # type: ignore[union-attr]  # `[^\r\n]*...|$`: always matches
        content_end = line_end
        while content_end > pos and text[content_end - 1] in "\r\n":
            content_end -= 1
        yield pos, content_end
        if line_end == pos:
            break
        pos = line_end


def paragraph_spans(text: str, start: int, end: int, byline=None) -> list[tuple[int, int]]:
    """Source spans of paragraphs in text[start:end], outer whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    cur_start = cur_end = -1
    n_line = 0
    for ls, le in iter_lines(text, start, end):
        n_line += 1
        line = text[ls:le]
        stripped = line.strip()
        if not stripped or (stripped.startswith("#") and _DIRECTIVE.match(line)):
            # a `# copydesk: ...` suppression line is not article text
            if cur_start >= 0:
                spans.append((cur_start, cur_end))
                cur_start = -1
            continue
        content_start = ls + (len(line) - len(line.lstrip()))
        content_end = ls + len(line.rstrip())
        own_line = byline is not None and n_line <= 6 and byline.search(stripped)
        opens = cur_start < 0 or line[0] in " \t" or own_line
        if opens and cur_start >= 0:
            spans.append((cur_start, cur_end))
        if opens:
            cur_start = content_start
        cur_end = content_end
        if own_line:
            spans.append((cur_start, cur_end))
            cur_start = -1
    if cur_start >= 0:
        spans.append((cur_start, cur_end))
    return spans


def parse_plaintext(source: Source, cues: Cues) -> Document:
    text = source.text
    doc = Document(source=source, format="text")
    byline = cues.section_patterns("byline")
    for ls, le in iter_lines(text):
        if text[ls:le].strip():
            # line 1 (the first non-blank line) is the headline
            hs = ls + len(text[ls:le]) - len(text[ls:le].lstrip())
            he = ls + len(text[ls:le].rstrip())
            doc.blocks.append(Block("heading", "headline", hs, he, TextMap.verbatim_of(text[hs:he], hs), structural=True))
            rest = le
            break
    else:  # pragma: no cover - decode() rejects blank files
        return doc
    for s, e in paragraph_spans(text, rest, len(text), byline):
        for kind, ps, pe in _run_in_headings_apart(text, s, e, cues.run_in_heading):
            doc.blocks.append(Block(kind, "body", ps, pe, TextMap.verbatim_of(text[ps:pe], ps)))
    return finish(doc, cues)


def _run_in_headings_apart(text: str, start: int, end: int, heading) -> list[tuple[str, int, int]]:
    """The paragraph text[start:end] as (kind, start, end) pieces: a subhead run into it after
    a sentence ("... in March. SALES CLIMB Quarterly sales rose ...") becomes a heading of its
    own, so it is not read as the start of the next sentence."""
    if heading is None:
        return [("paragraph", start, end)]
    pieces, at = [], start
    for m in heading.compiled.finditer(text, start, end):
        pieces.append(("paragraph", at, m.start()))
        pieces.append(("heading", m.start(), m.end()))
        at = m.end()
    pieces.append(("paragraph", at, end))
    out = []
    for kind, s, e in pieces:  # without the spaces between them
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((kind, s, e))
    return out
