"""Plain text that remembers where every character came from in the source.

Parsers strip markup (HTML tags and entities, Markdown emphasis and link syntax, JSON
escapes, block-quote markers).  A `TextMap` is built piece by piece while they do, so any
span of plain text maps back to exact source offsets without searching the source again.

A piece is either *verbatim* (plain characters equal the source characters one to one) or a
*replacement* (e.g. `&amp;` -> `&`), whose characters all map to the whole source run.
"""

from __future__ import annotations

from bisect import bisect_right


class TextMap:
    __slots__ = ("_parts", "plain_starts", "src_starts", "src_ends", "verbatim", "_text")

    def __init__(self) -> None:
        self._parts: list[str] = []
        self.plain_starts: list[int] = []
        self.src_starts: list[int] = []
        self.src_ends: list[int] = []
        self.verbatim: list[bool] = []
        self._text: str | None = None

    # -- building -------------------------------------------------------------------
    @property
    def length(self) -> int:
        if not self.plain_starts:
            return 0
        return self.plain_starts[-1] + len(self._parts[-1])

    def add(self, text: str, src_start: int, src_end: int | None = None) -> None:
        """Append `text`: verbatim from `src_start` when `src_end` is omitted, else a
        replacement standing for the whole source run src_start:src_end."""
        if not text:
            return
        verbatim = src_end is None
        end = src_start + len(text) if src_end is None else src_end
        if (
            verbatim
            and self.verbatim
            and self.verbatim[-1]
            and self.src_ends[-1] == src_start
        ):  # extend the previous verbatim piece: fewer pieces, faster lookups
            self._parts[-1] += text
            self.src_ends[-1] = end
        else:
            self.plain_starts.append(self.length)
            self._parts.append(text)
            self.src_starts.append(src_start)
            self.src_ends.append(end)
            self.verbatim.append(verbatim)
        self._text = None

    @classmethod
    def verbatim_of(cls, text: str, src_start: int) -> TextMap:
        tm = cls()
        tm.add(text, src_start)
        return tm

    # -- reading --------------------------------------------------------------------
    @property
    def text(self) -> str:
        if self._text is None:
            self._text = "".join(self._parts)
        return self._text

    def _piece(self, plain: int) -> int:
        return max(0, bisect_right(self.plain_starts, plain) - 1)

    def to_source_start(self, plain: int) -> int:
        """Source offset where the plain character at `plain` begins."""
        if not self.plain_starts:
            return 0
        if plain >= self.length:
            return self.src_ends[-1]
        i = self._piece(plain)
        if self.verbatim[i]:
            return self.src_starts[i] + plain - self.plain_starts[i]
        return self.src_starts[i]

    def to_source_end(self, plain_end: int) -> int:
        """Source offset just after the plain character at `plain_end - 1`."""
        if not self.plain_starts:
            return 0
        if plain_end <= 0:
            return self.src_starts[0]
        i = self._piece(plain_end - 1)
        if self.verbatim[i]:
            return self.src_starts[i] + plain_end - self.plain_starts[i]
        return self.src_ends[i]

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        if end <= start:
            s = self.to_source_start(start)
            return s, s
        return self.to_source_start(start), self.to_source_end(end)

    def pieces(self):
        """Yield (plain_start, text, src_start, src_end, verbatim) for each piece."""
        for i, part in enumerate(self._parts):
            yield self.plain_starts[i], part, self.src_starts[i], self.src_ends[i], self.verbatim[i]

    def slice(self, start: int, end: int) -> TextMap:
        """The map of plain[start:end], as a TextMap of its own."""
        out = TextMap()
        for p0, part, s0, s1, verb in self.pieces():
            p1 = p0 + len(part)
            if p1 <= start or p0 >= end:
                continue
            a, b = max(start, p0), min(end, p1)
            if verb:
                out.add(part[a - p0 : b - p0], s0 + a - p0)
            else:
                out.add(part[a - p0 : b - p0], s0, s1)
        return out

    def through(self, outer: TextMap) -> TextMap:
        """Re-express this map's source offsets through `outer` (whose plain text is our source).

        Used when one parser runs on text that another produced: Markdown or HTML inside a
        JSON string, inline Markdown inside a block whose container prefixes were stripped.
        """
        out = TextMap()
        for _, part, s0, s1, verb in self.pieces():
            if not verb:
                a, b = outer.to_source(s0, s1)
                out.add(part, a, b)
                continue
            # a verbatim piece may cross several outer pieces: split it at their borders
            pos = s0
            k = 0
            while pos < s1:
                i = outer._piece(pos)
                o_p0 = outer.plain_starts[i]
                o_p1 = o_p0 + len(outer._parts[i])
                stop = min(s1, o_p1) if o_p1 > pos else s1
                chunk = part[k : k + stop - pos]
                a, b = outer.to_source(pos, stop)
                out.add(chunk, a, None if outer.verbatim[i] else b)
                k += stop - pos
                pos = stop
        return out
