"""The article model every check stands on.

A `Document` is a list of sections, each holding blocks (paragraphs, headings, list items,
quotes), each holding sentences.  Everything carries `start`/`end` offsets into the
unmodified source; block text is plain text with a `TextMap` back to those offsets.
"""

from __future__ import annotations

from ..records import Record
from ..source import Source
from .textmap import TextMap

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: importing `typing` costs a one-shot run about 3 ms
    from typing import Any

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


class Link(Record):
    """A hyperlink: its anchor text span (source offsets) and target."""

    __slots__ = ("start", "end", "href")

    def __init__(self, start: int, end: int, href: str):
        self.start, self.end, self.href = start, end, href


class Sentence(Record):
    """A sentence: source span, plain text, section, its block (index into Document.blocks),
    its offsets in the block's plain text, and the quoted spans inside it (source offsets)."""

    __slots__ = ("start", "end", "text", "section", "block", "plain_start", "plain_end", "quotes")

    def __init__(self, start: int, end: int, text: str, section: str, block: int, plain_start: int, plain_end: int,
                 quotes: list[tuple[int, int]] | None = None):
        self.start, self.end, self.text, self.section, self.block = start, end, text, section, block
        self.plain_start, self.plain_end = plain_start, plain_end
        self.quotes = [] if quotes is None else quotes


class Block(Record):
    """A paragraph, heading, list item, quote or field, with its plain text (`textmap`).

    kind: heading, paragraph, list_item, quote or field; section: one of SECTION_KINDS;
    pointer: the JSON pointer of the field it came from (CMS JSON); structural: set when the
    structure (tag, class, heading level), not content, decided the section; quotes: quoted
    spans in plain-text offsets; level: heading level (1-6); outer_start/outer_end: the
    element's markup around the text (HTML), where a fix inserts a sibling element.
    """

    __slots__ = ("kind", "section", "start", "end", "textmap", "links", "pointer", "structural", "quotes", "level",
                 "outer_start", "outer_end", "_match_texts")

    def __init__(self, kind: str, section: str, start: int, end: int, textmap: TextMap, links: list[Link] | None = None,
                 pointer: str | None = None, structural: bool = False, quotes: list[tuple[int, int]] | None = None,
                 level: int = 0, outer_start: int | None = None, outer_end: int | None = None):
        self.kind, self.section, self.start, self.end, self.textmap = kind, section, start, end, textmap
        self.links = [] if links is None else links
        self.pointer, self.structural = pointer, structural
        self.quotes = [] if quotes is None else quotes
        self.level, self.outer_start, self.outer_end = level, outer_start, outer_end
        self._match_texts: tuple[str, str] | None = None

    @property
    def text(self) -> str:
        return self.textmap.text

    def match_texts(self) -> tuple[str, str]:
        """(normalised text, its lower-case form), computed once for all rules."""
        if self._match_texts is None:
            from ..patterns.normalise import normalise

            norm = normalise(self.textmap.text)
            self._match_texts = (norm, norm.lower())
        return self._match_texts


class Section(Record):
    __slots__ = ("kind", "start", "end", "blocks", "pointer")

    def __init__(self, kind: str, start: int, end: int, blocks: list[int], pointer: str | None = None):
        self.kind, self.start, self.end = kind, start, end
        self.blocks = blocks  # indices into Document.blocks
        self.pointer = pointer


class FrontMatterEntry(Record):
    __slots__ = ("key", "value", "key_start", "key_end", "value_start", "value_end")

    def __init__(self, key: str, value: Any, key_start: int, key_end: int, value_start: int, value_end: int):
        self.key, self.value = key, value
        self.key_start, self.key_end, self.value_start, self.value_end = key_start, key_end, value_start, value_end


class ParseProblem(Record):
    """A part of the article that could not be understood; the rest is still parsed."""

    __slots__ = ("start", "end", "message", "key")

    def __init__(self, start: int, end: int, message: str, key: str | None = None):
        self.start, self.end, self.message, self.key = start, end, message, key


class Document(Record):
    """The parsed article: front matter, blocks, sections, sentences and parse problems.

    id: the CMS id (JSON articles); json_members: top-level key -> (key_start, key_end,
    value_start, value_end), for fixes in CMS JSON; genre: what kind of page it is, when its
    shape says so ("press_release": the issuer speaks for itself; see cues.yaml `genres`);
    cues: the cue set it was parsed with.
    """

    __slots__ = ("source", "format", "front_matter", "front_matter_entries", "blocks", "sections", "sentences",
                 "problems", "id", "json_members", "genre", "cues", "_by_block", "_article_text", "_voices")

    def __init__(self, source: Source, format: str, front_matter: dict[str, Any] | None = None,
                 front_matter_entries: dict[str, FrontMatterEntry] | None = None, blocks: list[Block] | None = None,
                 sections: list[Section] | None = None, sentences: list[Sentence] | None = None,
                 problems: list[ParseProblem] | None = None, id: str | None = None,
                 json_members: dict[str, tuple[int, int, int, int]] | None = None):
        self.source, self.format = source, format
        self.front_matter = {} if front_matter is None else front_matter
        self.front_matter_entries = {} if front_matter_entries is None else front_matter_entries
        self.blocks = [] if blocks is None else blocks
        self.sections = [] if sections is None else sections
        self.sentences = [] if sentences is None else sentences
        self.problems = [] if problems is None else problems
        self.id = id
        self.json_members = {} if json_members is None else json_members
        self.genre: str | None = None
        self.cues: Any = None  # the parser's cues (structure.finish), for voice and genre lists
        self._voices: dict | None = None
        self._by_block: dict | None = None
        self._article_text: Any = None

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
