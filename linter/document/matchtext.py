"""One matching text per article: every block's normalised text, a line break apart.

Rules hold a few hundred patterns and an article a dozen blocks; running each pattern once
per block made the per-call cost (gates, `finditer`, list building) outweigh the scanning
itself.  Here each pattern runs once over the whole article, its matches are cached for
every rule that shares it, and a rule takes the share that falls in the blocks it checks.

Word-list patterns (see `patterns.gates.first_words`) do not scan at all: they are tried only
where one of their first words stands, found in a word index built once per article.

Blocks are joined with "\\n", as paragraphs stand in the source, so `\\b`, and `^` and `$` in
multi-line mode, see a block's edges as they would alone; a pattern anchored at the edges of
the whole text (`^`/`$` otherwise, `\\A`, `\\Z`), or with a look-around that could take the
line break (`(?<!\\bto\\s)`), runs block by block, and a word-list pattern is tried in its
word's block alone.  Text holding a character whose case `re` folds otherwise than
`str.lower` ("ſ", "İ": `patterns.gates.ODD_CASE_LETTERS`) is matched block by block, ungated.
A match that runs across the line break between two blocks (a `\\s+` or `[^"]*` spanning
paragraphs) is not a match in either block: when one occurs, that pattern is run again block
by block, so results equal per-block matching.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from ..patterns.gates import GatedPattern, odd_case
from ..patterns.wordseq import match_at

_WORD = re.compile(r"\w+")

SEPARATOR = "\n"
# one `match` call at a word costs about as much as scanning this many characters
SCAN_COST_RATIO = 60
# below this many first-word positions, matching at each costs less than the literal gate
FEW_WORDS = 8


class ArticleText:
    """The joined text (`text`, `lowered`), where each block starts and ends in it, and the
    matches of every pattern asked for so far."""

    __slots__ = ("_blocks", "_found", "_index", "ends", "lowered", "odd_case", "starts", "text")

    def __init__(self, block_texts: list[str]):
        from ..patterns.normalise import normalise

        self.starts: list[int] = []
        self.ends: list[int] = []
        at = 0
        for t in block_texts:
            self.starts.append(at)
            at += len(t)
            self.ends.append(at)
            at += len(SEPARATOR)
        self.text = normalise(SEPARATOR.join(block_texts))
        self.lowered = self.text.lower()
        self.odd_case = odd_case(self.text)
        self._blocks: list[str] | None = None
        self._index: dict[str, list[int]] | None = None
        self._found: dict[GatedPattern, tuple[list[int], list[tuple[int, int]]]] = {}

    @property
    def word_index(self) -> dict[str, list[int]]:
        """Lower-cased word -> the offsets where it starts, in order."""
        if self._index is None:
            index: dict[str, list[int]] = {}
            if len(self.lowered) == len(self.text):
                for m in _WORD.finditer(self.lowered):
                    index.setdefault(m.group(), []).append(m.start())
            else:  # lower-casing changed the length ('İ'): offsets must come from the text
                for m in _WORD.finditer(self.text):
                    index.setdefault(m.group().lower(), []).append(m.start())
            self._index = index
        return self._index

    def spans(self, gated: GatedPattern) -> list[tuple[int, int]]:
        """Every match of `gated` in the article, in article offsets, found once."""
        return self.matches(gated)[1]

    def spans_by_block(self, patterns) -> dict[int, list[tuple[int, int]]]:
        """The non-empty matches of all `patterns`, grouped by block, in block offsets
        (pattern by pattern, each in text order)."""
        out: dict[int, list[tuple[int, int]]] = {}
        starts = self.starts
        for gated in patterns:
            for a, b in self.matches(gated)[1]:
                if b > a:
                    bi = bisect_right(starts, a) - 1
                    base = starts[bi]
                    out.setdefault(bi, []).append((a - base, b - base))
        return out

    def matches(self, gated: GatedPattern) -> tuple[list[int], list[tuple[int, int]]]:
        """(match starts, match spans) of `gated` in article offsets; the starts for bisecting."""
        found = self._found.get(gated)
        if found is None:
            spans = self._find(gated)
            found = self._found[gated] = ([a for a, _ in spans], spans)
        return found

    def _find(self, gated: GatedPattern) -> list[tuple[int, int]]:
        if self.odd_case:  # no gate holds for this text (see `odd_case`): each block in full
            return self._find_block_by_block(gated)
        if gated.edge_anchored:
            return self._find_block_by_block(gated) if gated.may_match(self.lowered) else []
        spans = self._find_at_words(gated) if gated.first_words is not None else None
        if spans is not None:
            return spans
        if not gated.may_match(self.lowered):
            return []
        if gated.looks_across and len(self.starts) > 1:
            return self._find_block_by_block(gated)
        spans = [m.span() for m in gated.pattern.compiled.finditer(self.text)]
        if len(self.starts) > 1 and spans and self._crosses(spans):
            return self._find_block_by_block(gated)
        return spans

    def _find_block_by_block(self, gated: GatedPattern) -> list[tuple[int, int]]:
        """Matches in each block on its own, in article offsets."""
        spans: list[tuple[int, int]] = []
        finditer = gated.pattern.compiled.finditer
        for lo, block in zip(self.starts, self.blocks):
            spans.extend((m.start() + lo, m.end() + lo) for m in finditer(block))
        return spans

    @property
    def blocks(self) -> list[str]:
        """Each block's normalised text on its own (what a pattern sees of it)."""
        if self._blocks is None:
            text = self.text
            self._blocks = [text[lo:hi] for lo, hi in zip(self.starts, self.ends)]
        return self._blocks

    def _find_at_words(self, gated: GatedPattern) -> list[tuple[int, int]] | None:
        """What `finditer` would find block by block, trying the pattern only where a first
        word starts (in that word's block, so no look-around sees past it); None when those
        words are so common that scanning the text is cheaper."""
        index = self._index if self._index is not None else self.word_index
        if gated.words is not None:
            return self._word_list_spans(gated, index)
        at: list[int] = []
        for word in index.keys() & gated.first_words:  # set operation over the smaller side
            at.extend(index[word])
        if not at:
            return []
        if len(at) * SCAN_COST_RATIO > len(self.text):
            return None  # the caller scans, behind the literal gate
        if len(at) > FEW_WORDS and not gated.may_match(self.lowered):
            return []  # (trying a few positions costs less than looking for the literals)
        at.sort()
        spans, last_end, match, starts, blocks = [], -1, gated.pattern.compiled.match, self.starts, self.blocks
        k, last = 0, len(starts) - 1
        for pos in at:
            if pos < last_end:
                continue
            while k < last and starts[k + 1] <= pos:
                k += 1
            base = starts[k]
            m = match(blocks[k], pos - base)
            if m is not None:
                last_end = m.end() + base
                spans.append((m.start() + base, last_end))
        return spans

    def _word_list_spans(self, gated: GatedPattern, index: dict[str, list[int]]) -> list[tuple[int, int]] | None:
        """What `finditer` would find block by block for a word-list pattern, read from the
        words (`patterns.wordseq`) without running, or compiling, the regex; None when a list
        of phrases opens with words so common that scanning the text is cheaper."""
        words = gated.words
        tries, text = words.tries, self.text
        if words.single:  # each match is one whole word: the index holds them all
            if words.ignore_case:
                spans = [(pos, pos + len(word)) for word in index.keys() & words.firsts for pos in index[word]]
            else:
                spans = [(pos, pos + len(word)) for word in index.keys() & words.firsts for pos in index[word]
                         if text[pos:pos + len(word)] in tries]
            spans.sort()
            return spans
        at = [(pos, word) for word in index.keys() & words.firsts for pos in index[word]]
        if not at:
            return []
        if len(at) * SCAN_COST_RATIO > len(text):
            return None
        at.sort()
        lowered = self.lowered if words.ignore_case else None
        starts, ends = self.starts, self.ends
        spans, last_end, k, last = [], -1, 0, len(starts) - 1
        for pos, word in at:
            if pos < last_end:
                continue
            while k < last and starts[k + 1] <= pos:
                k += 1
            node = tries.get(word if lowered is not None else text[pos:pos + len(word)])
            if node is None:
                continue
            end = match_at(node, text, lowered, pos + len(word), ends[k])
            if end is not None:
                spans.append((pos, end))
                last_end = end
        return spans

    def _crosses(self, spans: list[tuple[int, int]]) -> bool:
        """Does any span run past the end of the block it starts in?"""
        ends, k, last = self.ends, 0, len(self.ends) - 1
        for a, b in spans:
            while k < last and a > ends[k]:
                k += 1
            if b > ends[k]:
                return True
        return False
