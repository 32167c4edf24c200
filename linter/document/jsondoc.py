"""CMS JSON articles: fields map to sections, everything else becomes front matter.

Positions point into the JSON file itself.  A field's text is parsed in its decoded form
(HTML or Markdown bodies with their own parsers) and every offset is then carried through
the string literal's `TextMap`, so escapes such as `\\n` or `\\u00e9` are accounted for.
"""

from __future__ import annotations

import re

from ..source import ArticleError, Source
from .cues import Cues
from .jsonscan import JSONPositionError, JSONString, pointer_escape, read_json
from .model import Block, Document, FrontMatterEntry, Link, ParseProblem
from .structure import finish

_HTML_HINT = re.compile(r"<(?:p|div|h[1-6]|br|ul|ol|li|blockquote|a|span|strong|em|b|i|aside|section|article|figure|table)\b[^>]*>", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    return _HTML_HINT.search(text) is not None


def parse_json_article(source: Source, cues: Cues, start: int = 0, end: int | None = None) -> Document:
    """Parse the JSON object in source.text[start:end] (the whole file by default)."""
    text = source.text
    try:
        parsed = read_json(text, start, end)
    except JSONPositionError as exc:
        line, col = source.position(exc.offset)
        where = f" (in the value of key '{exc.key}')" if exc.key else ""
        raise ArticleError(source.path, f"malformed JSON: {exc.message}{where}", line, col) from None
    if not isinstance(parsed.value, dict):
        line, col = source.position(start)
        raise ArticleError(source.path, "a CMS JSON article must be a JSON object", line, col)
    doc = Document(source=source, format="json")
    doc.json_members = dict(parsed.members)
    fields = parsed.value
    used: set[str] = set()
    for section, keys in cues.json_fields.items():
        for key in keys:
            string = parsed.strings.get(f"/{pointer_escape(key)}")
            if string is None or not string.textmap.text.strip():
                continue
            used.add(key)
            _field_blocks(doc, section, key, string, cues)
            break
    for key, value in fields.items():
        if key in used:
            continue
        ks, ke, vs, ve = parsed.members[key]
        doc.front_matter[key] = value
        doc.front_matter_entries[key] = FrontMatterEntry(key, value, ks, ke, vs, ve)
    if "id" in fields:
        doc.id = str(fields["id"])
    doc.blocks.sort(key=lambda b: b.start)
    return finish(doc, cues)


def _field_blocks(doc: Document, section: str, key: str, string: JSONString, cues: Cues) -> None:
    pointer = f"/{pointer_escape(key)}"
    value = string.textmap.text
    structured = section in ("body", "disclaimer") and (looks_like_html(value) or section == "body")
    if not structured:
        tm = string.textmap
        stripped = value.strip()
        a = len(value) - len(value.lstrip())
        tm = tm.slice(a, a + len(stripped))
        s, e = tm.to_source(0, tm.length)
        doc.blocks.append(Block("field", section, s, e, tm, pointer=pointer, structural=True))
        return
    inner = Document(source=Source(doc.source.path, value), format=doc.format)
    if looks_like_html(value):
        from .html import parse_html_fragment

        parse_html_fragment(inner, value, 0, len(value), cues)
    else:
        from .markdown import parse_markdown_fragment

        parse_markdown_fragment(inner, value, 0, len(value), cues)
    outer = string.textmap
    for b in inner.blocks:
        tm = b.textmap.through(outer)
        s, e = tm.to_source(0, tm.length)
        links = [Link(*outer.to_source(link.start, link.end), link.href) for link in b.links]
        kind_section = b.section
        if section == "disclaimer":
            kind_section = "disclaimer"
        doc.blocks.append(
            Block(b.kind, kind_section, s, e, tm, links, pointer, b.structural or section == "disclaimer", level=b.level)
        )
    for p in inner.problems:
        s, e = outer.to_source(p.start, p.end)
        doc.problems.append(ParseProblem(s, e, f"{p.message} (in {pointer})", key))
