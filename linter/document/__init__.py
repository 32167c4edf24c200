"""Parse an article (Markdown, HTML, plain text, CMS JSON) into a `Document`."""

from __future__ import annotations

from pathlib import Path

from ..source import ArticleError, Source
from .cues import Cues, default_cues
from .model import Block, Document, Section, Sentence

FORMATS = ("markdown", "html", "text", "json")
EXTENSIONS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdx": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "text",
    ".text": "text",
    ".json": "json",
}

__all__ = ["FORMATS", "EXTENSIONS", "detect_format", "parse_document", "Document", "Block", "Section", "Sentence"]


def detect_format(path: str, text: str | None = None) -> str:
    """By extension; for standard input or unknown extensions, by a look at the text."""
    fmt = EXTENSIONS.get(Path(path).suffix.lower())
    if fmt:
        return fmt
    if text is not None:
        head = text.lstrip()[:200].lower()
        if head.startswith("{"):
            return "json"
        if head.startswith("<"):
            return "html"
        if head.startswith("---") or head.startswith("#"):
            return "markdown"
    return "text"


def parse_document(source: Source, fmt: str | None = None, cues: Cues | None = None) -> Document:
    """Parse `source`; raises ArticleError only when nothing at all can be read."""
    cues = cues or default_cues()
    fmt = fmt or detect_format(source.path, source.text)
    if fmt == "markdown":
        from .markdown import parse_markdown

        return parse_markdown(source, cues)
    if fmt == "html":
        from .html import parse_html

        return parse_html(source, cues)
    if fmt == "json":
        from .jsondoc import parse_json_article

        return parse_json_article(source, cues)
    if fmt == "text":
        from .plaintext import parse_plaintext

        return parse_plaintext(source, cues)
    raise ArticleError(source.path, f"unknown input format '{fmt}' (expected one of: {', '.join(FORMATS)})")
