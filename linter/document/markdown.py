"""Markdown articles with YAML front matter, parsed with markdown-it-py.

markdown-it-py gives the block structure and each block's source lines; the inline content
of a block is aligned to those lines (each content line is a suffix of its source line once
container prefixes such as `> ` or `- ` are gone) and then scanned by `inline.py`.

Importing markdown-it-py costs a one-article check about 27 ms, a quarter of its run; most
articles are paragraphs and `#` headings alone, so those are read here (`_plain_blocks`),
token for token as markdown-it-py would give them, and anything else goes to it.
"""

from __future__ import annotations

import re

from ..source import Source
from .cues import Cues
from .frontmatter import parse_front_matter, split_front_matter
from .inline import scan_inline
from .model import Block, Document, Link, ParseProblem
from .structure import finish
from .textmap import TextMap

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_CLOSING_HASHES = re.compile(r"(?:[ \t]+#+)?[ \t]*$")

_MD = None
# markdown-it stops reading at this nesting depth and silently drops everything after it
# (the commonmark preset's 20 is reached by 9 nested lists, which GitHub still renders);
# past it, the rest is read line by line as plain paragraphs (see _past_nesting_limit)
MAX_NESTING = 40
_CONTAINER_MARKS = re.compile(r"[ \t]*(?:(?:>|[-+*]|\d{1,9}[.)])(?:[ \t]+|$))*")


def _markdown_it():
    global _MD
    if _MD is None:
        from markdown_it import MarkdownIt

        _MD = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING})
    return _MD


class _Token:
    """The fields of a markdown-it-py token that `_parse_body` reads."""

    __slots__ = ("children", "content", "level", "map", "nesting", "tag", "type")

    def __init__(self, type: str, tag: str, nesting: int, level: int, map: list[int] | None, content: str = ""):
        self.type, self.tag, self.nesting, self.level, self.map = type, tag, nesting, level, map
        self.content = content
        # no inline tokens: `_wholly_emphasised` reads them for a paragraph opening with
        # emphasis, and a plain paragraph never opens with `*` or `_`
        self.children: list = []


# a line that may open any block but a paragraph or an ATX heading (CommonMark): a quote, a
# list item, a thematic break or setext underline, a fence, HTML, a link reference
# definition, a table row; or indented code
_OTHER_BLOCK = re.compile(r"[ ]{0,3}(?:[>*+\-_=`~<\[|]|\d{1,9}[.)])|[ ]{0,3}\t|[ ]{4}")
_ATX = re.compile(r"[ ]{0,3}(#{1,6})(?:[ \t]|$)")
_SPACE_TAB = " \t"


def _plain_blocks(src: str) -> list | None:
    """The block tokens of `src` (CommonMark) when it holds paragraphs, ATX headings and
    blank lines only, as markdown-it-py gives them; None for anything else.

    A paragraph runs to a blank line or a heading; its content is its lines joined, trimmed
    at both ends; a heading's is its text without the closing `#`s.  Both trims are left to
    markdown-it-py (whose trimmed set of characters differs between versions) when the text
    ends in a space other than ' ' and '\\t'."""
    if "\0" in src or "\r" in src:
        return None  # markdown-it-py normalises these first
    lines = src.split("\n")
    if lines and lines[-1].strip(_SPACE_TAB) == "":
        lines.pop()  # a last line of spaces, or none at all after the final break: not a line
    tokens: list = []
    para = None  # (first line, content lines) of the open paragraph
    for n, line in enumerate(lines + [""]):
        content = line.strip(_SPACE_TAB)
        heading = None
        if content:
            if content[0].isspace() or content[-1].isspace() or _OTHER_BLOCK.match(line):
                return None
            heading = _ATX.match(line)
        if para is not None and (not content or heading):
            first, body = para
            text = "\n".join(body).strip(_SPACE_TAB)
            tokens += [_Token("paragraph_open", "p", 1, 0, [first, n]),
                       _Token("inline", "", 0, 1, [first, n], text),
                       _Token("paragraph_close", "p", -1, 0, None)]
            para = None
        if heading:
            tag = f"h{len(heading.group(1))}"
            rest = line[heading.end():].rstrip(_SPACE_TAB)
            closing = rest.rstrip("#")
            if len(closing) < len(rest) and (not closing or closing[-1] in _SPACE_TAB):
                rest = closing
            tokens += [_Token("heading_open", tag, 1, 0, [n, n + 1]),
                       _Token("inline", "", 0, 1, [n, n + 1], rest.strip(_SPACE_TAB)),
                       _Token("heading_close", tag, -1, 0, None)]
        elif content:
            if para is None:
                para = (n, [line])
            else:
                para[1].append(line)
    return tokens


def _line_starts(text: str, start: int) -> list[int]:
    starts = [start]
    for m in _LINE_BREAK.finditer(text, start):
        starts.append(m.end())
    return starts


def parse_markdown(source: Source, cues: Cues) -> Document:
    text = source.text
    doc = Document(source=source, format="markdown")
    body_start = 0
    fm = split_front_matter(text)
    if fm:
        ys, ye, body_start = fm
        doc.front_matter, doc.front_matter_entries, doc.problems = parse_front_matter(text, ys, ye)
    _parse_body(doc, text, body_start, cues)
    _front_matter_blocks(doc, cues)
    doc.blocks.sort(key=lambda b: b.start)
    return finish(doc, cues)


def parse_markdown_fragment(doc: Document, text: str, start: int, end: int, cues: Cues) -> list[Block]:
    """Blocks of Markdown in text[start:end] (a CMS JSON body), appended to doc.blocks."""
    before = len(doc.blocks)
    _parse_body(doc, text, start, cues, end)
    return doc.blocks[before:]


def _parse_body(doc: Document, text: str, body_start: int, cues: Cues, body_end: int | None = None) -> None:
    body_end = len(text) if body_end is None else body_end
    md_src = text[body_start:body_end]
    env: dict = {}
    tokens = _plain_blocks(md_src)
    if tokens is None:
        tokens = _markdown_it().parse(md_src, env)
    refs = env.get("references", {})
    line_starts = _line_starts(text[:body_end], body_start)
    cut = _nesting_cut(tokens, len(line_starts))

    def line_content(n: int) -> tuple[int, int]:
        """Absolute (start, end) of line n of md_src, without its break."""
        s = line_starts[n]
        e = line_starts[n + 1] if n + 1 < len(line_starts) else body_end
        while e > s and text[e - 1] in "\r\n":
            e -= 1
        return s, e

    containers: list[str] = []  # "quote" / "list_item" stack
    heading_tag = ""
    headline_seen = False
    last_kind = None
    first_blocks = True

    for idx, tok in enumerate(tokens):
        t = tok.type
        if t == "blockquote_open":
            containers.append("quote")
        elif t == "list_item_open":
            containers.append("list_item")
        elif t in ("blockquote_close", "list_item_close"):
            containers.pop()
        elif t == "heading_open":
            heading_tag = tok.tag
        elif t == "html_block" and tok.map:
            from .html import parse_html_fragment

            s, _ = line_content(tok.map[0])
            _, e = line_content(tok.map[1] - 1)
            parse_html_fragment(doc, text, s, e, cues)
        elif t == "inline" and tok.map is not None:
            parent = tokens[idx - 1]
            is_heading = parent.type == "heading_open"
            tm, links = _inline_textmap(text, tok, line_content, refs, is_heading)
            if tm.length == 0 or not tm.text.strip():
                continue
            start, end = tm.to_source(0, tm.length)
            if is_heading:
                kind = "heading"
                level = int(heading_tag[1])
                if level == 1 and not headline_seen:
                    section, structural = "headline", True
                    headline_seen = True
                elif level == 2 and last_kind == "headline":
                    section, structural = "dek", True
                else:
                    section, structural = "body", False
            else:
                in_quote = "quote" in containers
                kind = "quote" if in_quote else ("list_item" if containers else "paragraph")
                if in_quote:
                    section, structural = "quote", True
                elif last_kind == "headline" and first_blocks and _wholly_emphasised(tok):
                    section, structural = "dek", True
                else:
                    section, structural = "body", False
            block = Block(kind, section, start, end, tm, links, structural=structural)
            if is_heading:
                block.level = level
            doc.blocks.append(block)
            first_blocks = first_blocks and section in ("headline", "dek", "byline")
            last_kind = section
    if cut is not None:
        _past_nesting_limit(doc, text, cut, line_content, len(line_starts))


def _nesting_cut(tokens, n_lines: int) -> int | None:
    """The first source line markdown-it dropped at its nesting limit, or None."""
    if not tokens or max(t.level for t in tokens) < MAX_NESTING - 1:
        return None
    read = max((t.map[1] for t in tokens if t.map and t.nesting == 0), default=0)
    return read if read < n_lines else None


def _past_nesting_limit(doc: Document, text: str, cut: int, line_content, n_lines: int) -> None:
    """Text after the nesting limit, still checked: each run of non-blank lines is a plain
    paragraph (list and quote markers left out), and a PARSE problem says so."""
    run = TextMap()
    first_at = None

    def flush():
        nonlocal run
        if run.length and run.text.strip():
            tm = _strip(run)
            start, end = tm.to_source(0, tm.length)
            doc.blocks.append(Block("paragraph", "body", start, end, tm))
        run = TextMap()

    for n in range(cut, n_lines):
        ls, le = line_content(n)
        line = text[ls:le]
        marks = _CONTAINER_MARKS.match(line).end()  # type: ignore[union-attr]  # `(...)*`: always matches
        content = line[marks:]
        if not content.strip():
            flush()
            continue
        if first_at is None:
            first_at = ls + marks
        if run.length:
            run.add(" ", ls, ls + marks)  # the line break and the markers: one space
        run.add(content, ls + marks)
    flush()
    if first_at is not None:
        doc.problems.append(ParseProblem(
            first_at, first_at + 1,
            f"Markdown nested more than {MAX_NESTING} levels deep: the text from here on is checked "
            "as plain paragraphs"))


def _inline_textmap(text, tok, line_content, refs, is_heading):
    """Map the inline token's content to source lines, then scan its inline syntax."""
    content = tok.content
    lines = content.split("\n")
    outer = TextMap()
    first, last = tok.map
    for j, cline in enumerate(lines):
        n = first + j
        if n >= last:
            break
        ls, le = line_content(n)
        src_line = text[ls:le]
        if is_heading:
            src_line = _CLOSING_HASHES.sub("", src_line)
        trimmed = src_line.rstrip(" \t")
        if j == len(lines) - 1 and trimmed.endswith(cline):
            outer.add(cline, ls + len(trimmed) - len(cline))
        elif src_line.endswith(cline):
            outer.add(cline, ls + len(src_line) - len(cline))
        elif trimmed.endswith(cline):
            outer.add(cline, ls + len(trimmed) - len(cline))
        else:  # tabs expanded by the parser: keep the whole line as one replaced piece
            outer.add(cline, ls, le)
        if j < len(lines) - 1:
            outer.add("\n", le, line_content(n + 1)[0] if n + 1 < last else le)
    inline = scan_inline(content, refs)
    tm = inline.textmap.through(outer)
    links = []
    for ps, pe, href in inline.links:
        if pe > ps:
            s, e = tm.to_source(ps, pe)
            links.append(Link(s, e, href))
    return _strip(tm), links


def _strip(tm: TextMap) -> TextMap:
    text = tm.text
    a, b = 0, len(text)
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return tm if (a, b) == (0, len(text)) else tm.slice(a, b)


def _wholly_emphasised(tok) -> bool:
    kids = tok.children or []
    return len(kids) >= 3 and kids[0].type in ("em_open", "strong_open") and kids[-1].type in ("em_close", "strong_close")


def _front_matter_blocks(doc: Document, cues: Cues) -> None:
    """Headline, dek and byline from front-matter keys, when the body does not give them."""
    have = {b.section for b in doc.blocks if b.structural}
    for section, keys in cues.front_matter.items():
        if section in have:
            continue
        for key in keys:
            entry = doc.front_matter_entries.get(key)
            if entry is None or not isinstance(entry.value, (str, list)):
                continue
            tm = _value_textmap(doc.source.text, entry)
            if tm is None or not tm.text.strip():
                continue
            start, end = tm.to_source(0, tm.length)
            doc.blocks.append(Block("field", section, start, end, tm, structural=True))
            break


def _value_textmap(text: str, entry) -> TextMap | None:
    """Plain text of a front-matter value: verbatim when the scalar is written as-is."""
    value = entry.value
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    vs, ve = entry.value_start, entry.value_end
    raw = text[vs:ve]
    if raw == value:
        return TextMap.verbatim_of(value, vs)
    if len(raw) >= 2 and raw[0] in "\"'" and raw[-1] == raw[0] and raw[1:-1] == value:
        return TextMap.verbatim_of(value, vs + 1)
    if raw.startswith('"'):  # escapes: YAML's double-quoted style is JSON's, plus a few
        from .jsonscan import JSONPositionError, read_json

        try:
            parsed = read_json(text, vs, ve)
        except JSONPositionError:
            parsed = None
        if parsed is not None and parsed.value == value:
            return parsed.strings[""].textmap
    tm = TextMap()
    tm.add(" ".join(value.split()), vs, ve)
    return tm
