"""What reporters read of an article, without the article: the lines its spans touch.

`check --jobs` workers send results back to the parent; a whole `Source` would carry every
article's text across the process boundary again.  An `Excerpt` keeps the line starts (for
line and column of any offset) and the text of just the lines that a finding, a sourcing
note, a not-flagged candidate or a suppressed finding touches: all that the text, JSON,
SARIF, GitHub and concise reporters and the baseline/diff-base filters read.  Offsets stay
those of the whole article; reading text outside the kept lines is a bug and raises.
"""

from __future__ import annotations

from bisect import bisect_right

from .source import LineIndex


def spans_of(result):
    """Every (start, end) of `result` whose text or position a reporter may read."""
    for d in result.diagnostics:
        yield d.start, d.end
    for a, b in result.sourcing:
        yield a, b
    for a, b, *_ in result.not_flagged:
        yield a, b
    for d, _ in result.suppressed:
        yield d.start, d.end


class Excerpt:
    """Stands in for `Source` once checking is done: `path`, `had_bom`, `position`,
    `index.line_span` and `text[...]` within the kept lines."""

    __slots__ = ("path", "had_bom", "index", "text")

    def __init__(self, path: str, had_bom: bool, starts: list[int], length: int, chunks: list[tuple[int, str]]):
        self.path, self.had_bom = path, had_bom
        self.index = LineIndex.from_starts(starts, length)  # the whole article's lines
        self.text = _Chunks(chunks, length)

    @classmethod
    def of(cls, source, spans, whole_lines: bool = True) -> Excerpt:
        """The excerpt of `source` holding every whole line (with its line break) that a
        span in `spans` touches (the text reporter shows them), or with `whole_lines` false
        just the spans' own text (all that the other formats and the filters read)."""
        index = source.index
        starts, length = index.starts, index.length
        if not whole_lines:
            merged: list[list[int]] = []
            for a, b in sorted(spans):
                if merged and a <= merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], b)
                else:
                    merged.append([a, b])
            text = source.text
            return cls(source.path, source.had_bom, starts, length, [(a, text[a:b]) for a, b in merged if b > a])
        lines: set[int] = set()
        for a, b in spans:
            first, _ = index.position(a)
            last, _ = index.position(b)
            lines.update(range(first, last + 1))
        runs: list[tuple[int, int]] = []  # adjacent lines joined
        for n in sorted(lines):
            ls, le = index.line_span(n)
            if runs and ls == runs[-1][1]:
                runs[-1] = (runs[-1][0], le)
            else:
                runs.append((ls, le))
        text = source.text
        chunks = [(a, text[a:b]) for a, b in runs]
        return cls(source.path, source.had_bom, starts, length, chunks)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column of `offset` in the whole article."""
        return self.index.position(offset)

    def __reduce__(self):
        return (Excerpt, (self.path, self.had_bom, self.index.starts, self.index.length, self.text.chunks))


class _Chunks:
    """A read-only string of `length` characters of which only `chunks` are known."""

    __slots__ = ("chunks", "offsets", "length")

    def __init__(self, chunks: list[tuple[int, str]], length: int):
        self.chunks, self.length = chunks, length
        self.offsets = [start for start, _ in chunks]

    def __len__(self) -> int:
        return self.length

    def _chunk(self, a: int, b: int) -> tuple[int, str]:
        i = bisect_right(self.offsets, a) - 1
        if i >= 0:
            start, text = self.chunks[i]
            if b <= start + len(text):
                return start, text
        raise IndexError(f"text {a}:{b} is outside the excerpt")

    def __getitem__(self, key):
        if isinstance(key, slice):
            a, b, step = key.indices(self.length)
            if step != 1:
                raise IndexError("an excerpt is sliced with step 1 only")
            if b <= a:
                return ""
            start, text = self._chunk(a, b)
            return text[a - start : b - start]
        if key < 0:
            key += self.length
        start, text = self._chunk(key, key + 1)
        return text[key - start]
