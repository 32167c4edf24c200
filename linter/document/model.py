"""The article model every check stands on.

A `Document` is a list of sections, each holding blocks (paragraphs, headings, list items,
quotes), each holding sentences.  Everything carries `start`/`end` offsets into the
unmodified source; block text is plain text with a `TextMap` back to those offsets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..source import Source
from .textmap import TextMap

SECTION_KINDS = (
    "headline",
    "dek",
    "byline",
    "dateline",
    "body",
    "quote",
    "disclaimer",
    "boilerplate",
)


@dataclass(slots=True)
class Link:
    """A hyperlink: its anchor text span (source offsets) and target."""

    start: int
    end: int
    href: str


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    text: str
    section: str
    block: int  # index into Document.blocks
    plain_start: int  # offsets into the block's plain text
    plain_end: int
    quotes: list[tuple[int, int]] = field(default_factory=list)  # source offsets


@dataclass(slots=True)
class Block:
    kind: str  # heading, paragraph, list_item, quote or field
    section: str  # one of SECTION_KINDS
    start: int
    end: int
    textmap: TextMap
    links: list[Link] = field(default_factory=list)
    pointer: str | None = None  # JSON pointer of the field it came from (CMS JSON)
    # set by the structure (tag, class, heading level) when it, not content, decided the section
    structural: bool = False
    # quoted spans in plain-text offsets, computed once per block
    quotes: list[tuple[int, int]] = field(default_factory=list)
    level: int = 0  # heading level (1-6) for headings
    # the element's markup around the text (HTML): where a fix inserts a sibling element
    outer_start: int | None = None
    outer_end: int | None = None
    _match_texts: tuple[str, str] | None = field(default=None, repr=False, compare=False)

    @property
    def text(self) -> str:
        return self.textmap.text

    def match_texts(self) -> tuple[str, str]:
        """(normalised text, its lower-case form), computed once for all rules."""
        if self._match_texts is None:
            from ..checks.base import normalise

            norm = normalise(self.textmap.text)
            self._match_texts = (norm, norm.lower())
        return self._match_texts


@dataclass(slots=True)
class Section:
    kind: str
    start: int
    end: int
    blocks: list[int]  # indices into Document.blocks
    pointer: str | None = None


@dataclass(slots=True)
class FrontMatterEntry:
    key: str
    value: Any
    key_start: int
    key_end: int
    value_start: int
    value_end: int


@dataclass(slots=True)
class ParseProblem:
    """A part of the article that could not be understood; the rest is still parsed."""

    start: int
    end: int
    message: str
    key: str | None = None


@dataclass
class Document:
    source: Source
    format: str
    front_matter: dict[str, Any] = field(default_factory=dict)
    front_matter_entries: dict[str, FrontMatterEntry] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    problems: list[ParseProblem] = field(default_factory=list)
    id: str | None = None  # the CMS id, for JSON articles
    # CMS JSON: top-level key -> (key_start, key_end, value_start, value_end), for fixes
    json_members: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)
    _by_block: dict | None = field(default=None, repr=False, compare=False)
    _article_text: Any = field(default=None, repr=False, compare=False)

    @property
    def path(self) -> str:
        return self.source.path

    @property
    def text(self) -> str:
        return self.source.text

    def sentences_by_block(self) -> dict[int, list[Sentence]]:
        """Sentences grouped by block index, built once for all rules."""
        if self._by_block is None:
            by_block: dict[int, list[Sentence]] = {}
            for s in self.sentences:
                by_block.setdefault(s.block, []).append(s)
            self._by_block = by_block
        return self._by_block

    def article_text(self):
        """All blocks' normalised text as one `ArticleText`, for matching each pattern once."""
        if self._article_text is None:
            from .matchtext import ArticleText

            self._article_text = ArticleText([b.text for b in self.blocks])
        return self._article_text
