"""Source text and the one line index that turns offsets into line and column.

Every position copydesk reports is an offset into the decoded, unmodified source text.
Only reporters turn offsets into 1-based lines and columns (counted in code points), and
they all do it here, so CRLF, lone CR, tabs and astral characters are handled once.
"""

from __future__ import annotations

import sys
from bisect import bisect_right

from .records import Record
from .safefile import MiB, read_regular

# an article larger than this is refused, not read into memory (a path may be a hostile link)
ARTICLE_LIMIT = 256 * MiB


def location(path: str, line: int | None = None, column: int | None = None) -> str:
    """`path`, `path:line` or `path:line:column`: the prefix of every one-line error."""
    if line is None:
        return path
    return f"{path}:{line}" if column is None else f"{path}:{line}:{column}"


class ArticleError(Exception):
    """An article that cannot be read at all: reported as one line, exit code 2."""

    def __init__(self, path: str, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.path = path
        self.message = message
        self.line = line
        self.column = column

    def __str__(self) -> str:
        return f"{location(self.path, self.line, self.column)}: error: {self.message}"

    def __reduce__(self):  # results cross process boundaries (--jobs, report workers)
        return (ArticleError, (self.path, self.message, self.line, self.column))


class LineIndex:
    """Maps 0-based character offsets to 1-based (line, column); `\\r\\n`, `\\r`, `\\n` end lines."""

    __slots__ = ("length", "starts")

    def __init__(self, text: str):
        starts = [0]
        find = text.find
        pos = find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        if "\r" in text:  # lone CR line ends are rare: only then pay for a second pass
            pos = find("\r")
            while pos != -1:
                if pos + 1 >= len(text) or text[pos + 1] != "\n":
                    starts.append(pos + 1)
                pos = find("\r", pos + 1)
            starts.sort()
        self.starts = starts
        self.length = len(text)

    @classmethod
    def from_starts(cls, starts: list[int], length: int) -> LineIndex:
        """An index already computed (line starts and text length), e.g. sent by a worker."""
        index = object.__new__(cls)
        index.starts, index.length = starts, length
        return index

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column of the character at `offset` (or the end of text)."""
        offset = max(0, min(offset, self.length))
        line = bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1

    def line_span(self, line: int) -> tuple[int, int]:
        """Start and end offsets of 1-based `line`, without its line break."""
        start = self.starts[line - 1]
        end = self.starts[line] if line < len(self.starts) else self.length
        return start, end


class Source(Record):
    """A decoded article: the text every offset points into, plus how to write it back."""

    __slots__ = ("path", "text", "had_bom", "_index")  # noqa: RUF023 - a Record: its fields in this order (repr)

    def __init__(self, path: str, text: str, had_bom: bool = False):
        self.path, self.text, self.had_bom = path, text, had_bom
        self._index: LineIndex | None = None

    @property
    def index(self) -> LineIndex:
        if self._index is None:
            self._index = LineIndex(self.text)
        return self._index

    def position(self, offset: int) -> tuple[int, int]:
        return self.index.position(offset)


def decode(path: str, data: bytes) -> Source:
    """Decode UTF-8 strictly; a BOM is remembered and kept out of the text."""
    if b"\x00" in data[:8192]:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise ArticleError(path, "binary file (NUL byte); expected a UTF-8 text article", line)
    had_bom = data.startswith(b"\xef\xbb\xbf")
    if had_bom:
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        column = len(data[line_start : exc.start].decode("utf-8", "replace")) + 1
        raise ArticleError(
            path, f"cannot decode byte 0x{data[exc.start]:02x} as UTF-8 ({exc.reason})", line, column
        ) from None
    if not text.strip():
        raise ArticleError(path, "empty article: the file has no text", 1, 1)
    return Source(path=path, text=text, had_bom=had_bom)


def read_source(path: str) -> Source:
    """Read an article from a path, or standard input for `-`."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
            return decode("<stdin>", data)
        data = read_regular(path, ARTICLE_LIMIT)
    except FileNotFoundError:
        raise ArticleError(path, "no such file") from None
    except IsADirectoryError:
        raise ArticleError(path, "is a directory, not an article") from None
    except OSError as exc:
        raise ArticleError(path, f"cannot read: {exc.strerror or exc}") from None
    return decode(path, data)
