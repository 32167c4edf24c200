"""HTML articles from a CMS, parsed with the standard library's `html.parser`.

It reports the source position of every tag, text run and entity, which is what exact
offsets need (and it costs no import).  Text is collected per block element; whitespace runs
collapse to one space as a browser shows them, entities decode, and each piece keeps its
source span in the block's `TextMap`.  The element stack (tags, classes, ids, `rel`) places a
block in its section before any content cue is consulted.
"""

from __future__ import annotations

import html as html_lib
import re
from html.parser import HTMLParser

from ..source import Source
from .cues import Cues
from .model import Block, Document, Link, ParseProblem
from .structure import finish
from .textmap import TextMap

BLOCK_TAGS = frozenset(
    "p h1 h2 h3 h4 h5 h6 li blockquote div aside footer header section article figcaption "
    "figure td th pre dd dt address main nav table tr ul ol hr body html dl form".split()
)
SKIP_TAGS = frozenset("script style noscript template svg head iframe object canvas select button".split())
VOID_TAGS = frozenset("area base br col embed hr img input link meta param source track wbr".split())
OPTIONAL_CLOSE = frozenset("p li td th tr dd dt html body head thead tbody tfoot option colgroup".split())
_WS = re.compile(r"\s+")
_NL_ONLY = re.compile(r"\n")


class _Element:
    __slots__ = ("tag", "attrs", "start", "cue")

    def __init__(self, tag: str, attrs: dict, start: int, cue: str | None):
        self.tag = tag
        self.attrs = attrs
        self.start = start
        self.cue = cue


class _ArticleHTMLParser(HTMLParser):
    def __init__(self, doc: Document, text: str, start: int, end: int, cues: Cues):
        super().__init__(convert_charrefs=False)
        self.doc = doc
        self.text = text
        self.base = start
        self.end_offset = end
        chunk = text[start:end]
        self.nl_starts = [0] + [m.end() for m in _NL_ONLY.finditer(chunk)]
        self.classes = cues.html_classes
        self.disclaimer = cues.section_patterns("disclaimer")
        self.stack: list[_Element] = []
        self.skip = 0
        self.tm = TextMap()
        self.links: list[Link] = []
        self.open_link: tuple[int, str] | None = None
        self.pending_space: tuple[int, int] | None = None
        self.headline_done = any(b.section == "headline" for b in doc.blocks)
        self.closing = False
        self.feed(chunk)
        self.closing = True  # what close() still hands over is a construct cut off by the end
        self.close()
        self.flush()
        self._report_unclosed()

    # -- positions --------------------------------------------------------------------
    def _at(self) -> int:
        line, col = self.getpos()
        return self.base + self.nl_starts[line - 1] + col

    # -- context ------------------------------------------------------------------------
    def _cue(self, tag: str, attrs: dict) -> str | None:
        if tag == "h1":
            return "headline"
        if tag == "blockquote":
            return "quote"
        if tag in ("aside", "footer"):
            return "furniture"
        if tag == "nav":
            return "boilerplate"
        if attrs.get("rel") == "author" or tag == "address":
            return "byline"
        names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower()
        if names.strip():
            for section, words in self.classes.items():
                if any(w in names for w in words):
                    return section
        return None

    def _context(self) -> tuple[str, bool, str, int]:
        """(section, structural, block kind, heading level) from the open elements."""
        kind, level = "paragraph", 0
        for el in reversed(self.stack):
            if el.tag in ("li", "dd", "dt") and kind == "paragraph":
                kind = "list_item"
            if el.tag in ("h1", "h2", "h3", "h4", "h5", "h6") and kind == "paragraph":
                kind, level = "heading", int(el.tag[1])
        for el in reversed(self.stack):
            if el.cue == "headline":
                if self.headline_done:
                    continue
                return "headline", True, "heading", 1
            if el.cue:
                return el.cue, True, ("quote" if el.cue == "quote" else kind), level
        return "body", False, kind, level

    # -- events -------------------------------------------------------------------------
    def handle_starttag(self, tag, attrs):
        if self.skip:
            if tag in SKIP_TAGS:
                self.skip += 1
            return
        if tag in SKIP_TAGS:
            self.skip = 1
            return
        at = self._at()
        if tag in BLOCK_TAGS:
            self.flush()
        elif tag == "br":
            raw = self.get_starttag_text() or "<br>"
            self._add_break(at, at + len(raw))
            return
        if tag in VOID_TAGS:
            return
        adict = {k: (v or "") for k, v in attrs}
        if tag == "a" and "href" in adict:
            self.open_link = (self.tm.length + (1 if self.pending_space else 0), adict["href"])
        if tag == "p" and self.stack and self.stack[-1].tag == "p":
            self.stack.pop()  # <p> implicitly closes an open <p>
        self.stack.append(_Element(tag, adict, at, self._cue(tag, adict)))

    def handle_startendtag(self, tag, attrs):
        if not self.skip and tag == "br":
            at = self._at()
            raw = self.get_starttag_text() or "<br/>"
            self._add_break(at, at + len(raw))

    def handle_endtag(self, tag):
        if self.skip:
            if tag in SKIP_TAGS:
                self.skip -= 1
            return
        if tag == "a" and self.open_link is not None:
            ps, href = self.open_link
            if self.tm.length > ps:
                s, e = self.tm.to_source(ps, self.tm.length)
                self.links.append(Link(s, e, href))
            self.open_link = None
        if tag in BLOCK_TAGS:
            before = len(self.doc.blocks)
            self.flush()
            element = next((el for el in reversed(self.stack) if el.tag == tag), None)
            if element is not None and len(self.doc.blocks) > before:
                at = self._at()
                close = self.text.find(">", at)
                last = self.doc.blocks[-1]
                last.outer_start = element.start
                last.outer_end = close + 1 if close != -1 else at
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if self.skip:
            return
        at = self._at()
        if self.closing and data[:1] == "<":
            # html.parser hands back a tag or comment cut off by the end of input as text
            self.doc.problems.append(ParseProblem(at, self.end_offset, "unterminated HTML tag or comment"))
        self._add_text(data, at)

    def handle_entityref(self, name):
        if self.skip:
            return
        at = self._at()
        length = 1 + len(name) + (1 if self.text.startswith(";", at + 1 + len(name)) else 0)
        raw = self.text[at : at + length]
        self._add_decoded(html_lib.unescape(raw), at, at + length)

    def handle_charref(self, name):
        if self.skip:
            return
        at = self._at()
        length = 2 + len(name) + (1 if self.text.startswith(";", at + 2 + len(name)) else 0)
        raw = self.text[at : at + length]
        self._add_decoded(html_lib.unescape(raw), at, at + length)

    # -- text ------------------------------------------------------------------------------
    def _add_decoded(self, value: str, start: int, end: int) -> None:
        if value.isspace():
            self._space(start, end)
            return
        self._emit_pending()
        self.tm.add(value, start, end)

    def _add_text(self, data: str, at: int) -> None:
        pos = 0
        for m in _WS.finditer(data):
            if m.start() > pos:
                self._emit_pending()
                self.tm.add(data[pos : m.start()], at + pos)
            self._space(at + m.start(), at + m.end())
            pos = m.end()
        if pos < len(data):
            self._emit_pending()
            self.tm.add(data[pos:], at + pos)

    def _space(self, start: int, end: int) -> None:
        if self.tm.length and not self.pending_space:
            self.pending_space = (start, end)

    def _emit_pending(self) -> None:
        if self.pending_space:
            s, e = self.pending_space
            if e - s == 1 and self.text[s] == " ":
                self.tm.add(" ", s)
            else:
                self.tm.add(" ", s, e)
            self.pending_space = None

    def _add_break(self, start: int, end: int) -> None:
        if self.tm.length:
            self.pending_space = None
            self.tm.add("\n", start, end)

    def flush(self) -> None:
        tm = self.tm
        if tm.length and tm.text.strip():
            text = tm.text
            a = len(text) - len(text.lstrip())
            b = len(text.rstrip())
            if (a, b) != (0, len(text)):
                tm = tm.slice(a, b)
            section, structural, kind, level = self._context()
            if section == "headline":
                self.headline_done = True
            if section == "furniture":
                section, structural = "boilerplate", False
                if self.disclaimer is not None and self.disclaimer.search(tm.text):
                    section, structural = "disclaimer", True
            s, e = tm.to_source(0, tm.length)
            block = Block(kind, section, s, e, tm, self.links, structural=structural, level=level)
            if kind == "heading" and section == "body" and level == 2 and self._last_section() == "headline":
                block.section, block.structural = "dek", True
            self.doc.blocks.append(block)
        self.tm = TextMap()
        self.links = []
        self.pending_space = None
        if self.open_link is not None:
            self.open_link = (0, self.open_link[1])

    def _last_section(self) -> str | None:
        return self.doc.blocks[-1].section if self.doc.blocks else None

    def _report_unclosed(self) -> None:
        for el in self.stack:
            if el.tag not in OPTIONAL_CLOSE:
                self.doc.problems.append(
                    ParseProblem(el.start, el.start + 1 + len(el.tag), f"unclosed <{el.tag}> element")
                )


def parse_html_fragment(doc: Document, text: str, start: int, end: int, cues: Cues) -> list[Block]:
    """Blocks of the HTML in text[start:end], appended to doc.blocks (in `text` offsets)."""
    before = len(doc.blocks)
    _ArticleHTMLParser(doc, text, start, end, cues)
    return doc.blocks[before:]


def parse_html(source: Source, cues: Cues) -> Document:
    doc = Document(source=source, format="html")
    parse_html_fragment(doc, source.text, 0, len(source.text), cues)
    return finish(doc, cues)
