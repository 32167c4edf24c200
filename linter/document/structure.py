"""Shared last steps of every parser: place blocks by content, build sections and sentences.

Parsers decide what the structure tells them (a `# ` heading, an `<aside class=disclosure>`,
a JSON `disclaimer` field) and mark those blocks `structural`.  Everything else is placed
here by content cues from `cues.yaml`: a disclosure paragraph anywhere, page furniture at the
end, a "By ..." line near the top, a wire dateline and sign-off split off the body.
"""

from __future__ import annotations

from functools import lru_cache

from .cues import Cues
from .model import Block, Document, Section, Sentence
from .sentences import Segmenter, find_quotes


@lru_cache(maxsize=16)
def _segmenter(cues: Cues) -> Segmenter:
    """One segmenter per cue set (Cues hash by identity; the cache keeps them alive)."""
    return Segmenter(cues)


def place_by_content(doc: Document, cues: Cues) -> None:
    """Assign section kinds to body blocks the structure left undecided."""
    blocks = doc.blocks
    disclaimer = cues.section_patterns("disclaimer")
    boilerplate = cues.section_patterns("boilerplate")
    byline = cues.section_patterns("byline")

    furniture = cues.section_patterns("furniture")
    credit = cues.section_patterns("credit")

    _heading_regions(doc, cues)
    _split_signoff(doc, cues)
    free = [i for i, b in enumerate(blocks) if b.section == "body" and not b.structural]
    for i in free:
        if disclaimer is not None and disclaimer.search(blocks[i].text):
            blocks[i].section = "disclaimer"
        elif furniture is not None and _short(blocks[i].text) and furniture.search(blocks[i].text):
            blocks[i].section = "boilerplate"
        elif credit is not None and _short(blocks[i].text) and credit.search(blocks[i].text):
            blocks[i].section = "boilerplate"
            caption = blocks[i - 1] if i else None
            if caption is not None and caption.section == "body" and not caption.structural and _short(caption.text):
                caption.section = "boilerplate"

    # trailing furniture: walk back from the end over boilerplate and disclaimer blocks
    for i in reversed(range(len(blocks))):
        b = blocks[i]
        if b.section in ("boilerplate", "disclaimer"):
            continue
        if b.section == "body" and not b.structural and boilerplate is not None and boilerplate.search(b.text):
            b.section = "boilerplate"
            continue
        break

    # a short "By ..." paragraph before the first body sentence is the byline
    for i in free[:3]:
        b = blocks[i]
        if b.section != "body":
            continue
        if byline is not None and len(b.text) < 160 and byline.search(b.text.strip()):
            b.section = "byline"
        break

    _split_dateline(doc, cues)


def _short(text: str) -> bool:
    """Furniture stands on a line or two of its own; a long paragraph is the article's."""
    return len(text) <= 400 and text.count("\n") <= 1


# a lone title-like line (no sentence end) stands for a heading below every real level
_TITLE_LEVEL = 7


def _heading_regions(doc: Document, cues: Cues) -> None:
    """A "Disclosures" heading places itself and what follows, up to the next peer heading.

    Plain text and pasted CMS copy have no heading markup: there a lone title-like line
    ("About Acme Corp.", "Media Contact", "Forward-Looking Statements") opens the region.
    Only a real heading closes one: the short lines of a bio, an ad or a contact block
    look like titles too."""
    region: tuple[str, int] | None = None
    for b in doc.blocks:
        if b.section == "body" and not b.structural:
            text = b.text.strip()
            level = b.level if b.kind == "heading" else _TITLE_LEVEL if is_title_line(text.rstrip("?:")) else 0
            if level:
                opened = cues.heading_section(text.strip(" *_#:"))
                if opened:
                    region = (opened, level)
                elif region and b.kind == "heading" and level <= region[1]:
                    region = None
        elif b.kind == "heading" and region and b.level <= region[1]:
            region = None
        if region and b.section == "body" and not b.structural:
            b.section = region[0]
            b.structural = True


def is_title_line(text: str) -> bool:
    """A short single line that ends no sentence: a heading set as a plain paragraph."""
    t = text.strip()
    if not t or len(t) > 70 or "\n" in t or t[-1] in ".,;!?\"'”’)":
        return False
    return len(t.split()) <= 8 and not t[0].islower()


def _first_body(doc: Document) -> int | None:
    for i, b in enumerate(doc.blocks):
        if b.section == "body":
            return i
    return None


def _split(doc: Document, i: int, cut: int, first_kind: str, second_kind: str) -> None:
    """Split block i at plain offset `cut` into two blocks of the given section kinds."""
    b = doc.blocks[i]
    head, tail = b.textmap.slice(0, cut), b.textmap.slice(cut, b.textmap.length)
    hs, he = head.to_source(0, head.length)
    ts, te = tail.to_source(0, tail.length)
    first = Block(b.kind, first_kind, hs, he, head, [link for link in b.links if link.start < he], b.pointer, True)
    second = Block(b.kind, second_kind, ts, te, tail, [link for link in b.links if link.start >= ts], b.pointer, b.structural)
    doc.blocks[i : i + 1] = [first, second]


def _split_dateline(doc: Document, cues: Cues) -> None:
    pat = cues.section_patterns("dateline")
    i = _first_body(doc)
    if pat is None or i is None:
        return
    m = pat.match(doc.blocks[i].text)
    if m and m.end() < len(doc.blocks[i].text.rstrip()):
        _split(doc, i, m.end(), "dateline", "body")


def _split_signoff(doc: Document, cues: Cues) -> None:
    pat = cues.signoff
    if pat is None:
        return
    for i in reversed(range(len(doc.blocks))):
        b = doc.blocks[i]
        if b.section in ("boilerplate", "disclaimer"):
            continue
        if b.section != "body":
            return
        m = pat.search(b.text)
        if m:
            start = m.start()
            if b.text[:start].strip():
                _split(doc, i, start, "body", "boilerplate")
            else:
                b.section = "boilerplate"
        return


def build_sections_and_sentences(doc: Document, cues: Cues) -> None:
    """Group consecutive blocks of one kind into sections; segment every block."""
    seg = _segmenter(cues)
    sections: list[Section] = []
    sentences: list[Sentence] = []
    for i, b in enumerate(doc.blocks):
        if sections and sections[-1].kind == b.section and sections[-1].pointer == b.pointer:
            sec = sections[-1]
            sec.blocks.append(i)
            sec.end = max(sec.end, b.end)
        else:
            sections.append(Section(b.section, b.start, b.end, [i], b.pointer))
        text = b.text
        tm = b.textmap
        b.quotes = find_quotes(text)
        block_sentences: list[Sentence] = []
        for ps, pe in seg.split(text):
            s, e = tm.to_source(ps, pe)
            if block_sentences and s < block_sentences[-1].end:
                # two sentences inside one replaced run (an escaped scalar): keep them whole
                prev = block_sentences.pop()
                ps, s = prev.plain_start, prev.start
            quotes = []
            for qs, qe in b.quotes:
                if qe <= ps or qs >= pe:
                    continue
                quotes.append(tm.to_source(max(qs, ps), min(qe, pe)))
            block_sentences.append(Sentence(s, e, text[ps:pe], b.section, i, ps, pe, quotes))
        sentences.extend(block_sentences)
    doc.sections = sections
    doc.sentences = sentences


def detect_genre(doc: Document, cues: Cues, first_blocks: int = 4) -> str | None:
    """The page's genre from its opening blocks (a wire dateline makes a press release)."""
    opening = [b for b in doc.blocks if b.section in ("headline", "dek", "dateline", "body")][: first_blocks + 1]
    for genre in cues.genres:
        pat = cues.genre_patterns(genre)
        if pat is not None and any(pat.search(b.text) for b in opening):
            return genre
    return None


def finish(doc: Document, cues: Cues) -> Document:
    doc.cues = cues
    doc.genre = detect_genre(doc, cues)
    place_by_content(doc, cues)
    build_sections_and_sentences(doc, cues)
    return doc
