"""A JSON reader that remembers where every string came from.

`json.loads` gives values but no positions; CMS JSON articles need positions inside the
JSON file (the line and column inside a string literal, escapes accounted for).  This
reader returns the value and, for every string, a `TextMap` from its decoded text to the
JSON source, keyed by JSON pointer.  Errors carry the offset of the problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .textmap import TextMap

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: importing `typing` costs a one-shot run about 3 ms
    from typing import Any

_WS = re.compile(r"[ \t\n\r]*")
_PLAIN = re.compile(r'[^"\\\x00-\x1f]+')
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
# CMS articles nest a few levels; each level costs two Python frames, so stay far below the
# interpreter's recursion limit (1000) whatever the caller's own stack depth
MAX_DEPTH = 100


class JSONPositionError(ValueError):
    def __init__(self, message: str, offset: int, key: str | None = None):
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.key = key


@dataclass(slots=True)
class JSONString:
    start: int  # offset of the opening quote
    end: int  # offset after the closing quote
    textmap: TextMap


def pointer_escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


class _Reader:
    def __init__(self, text: str, start: int, end: int):
        self.text = text
        self.pos = start
        self.end = end
        self.strings: dict[str, JSONString] = {}
        # top-level object members: key -> (key_start, key_end, value_start, value_end)
        self.members: dict[str, tuple[int, int, int, int]] = {}
        self.key: str | None = None

    def fail(self, message: str, at: int | None = None):
        raise JSONPositionError(message, self.pos if at is None else at, self.key)

    def ws(self) -> None:
        self.pos = _WS.match(self.text, self.pos, self.end).end()  # type: ignore[union-attr]  # `*`: always matches

    def value(self, pointer: str, depth: int) -> Any:
        if depth > MAX_DEPTH:
            self.fail(f"nesting deeper than {MAX_DEPTH} levels")
        self.ws()
        if self.pos >= self.end:
            self.fail("unexpected end of JSON: expected a value")
        c = self.text[self.pos]
        if c == "{":
            return self.obj(pointer, depth)
        if c == "[":
            return self.arr(pointer, depth)
        if c == '"':
            s = self.string()
            self.strings[pointer] = s
            return s.textmap.text
        for word, val in (("true", True), ("false", False), ("null", None)):
            if self.text.startswith(word, self.pos, self.end):
                self.pos += len(word)
                return val
        m = _NUMBER.match(self.text, self.pos, self.end)
        if m and m.end() > self.pos:
            self.pos = m.end()
            g = m.group()
            return float(g) if any(ch in g for ch in ".eE") else int(g)
        self.fail(f"unexpected character {c!r}: expected a JSON value")

    def obj(self, pointer: str, depth: int) -> dict:
        self.pos += 1
        out: dict[str, Any] = {}
        self.ws()
        if self.text.startswith("}", self.pos, self.end):
            self.pos += 1
            return out
        while True:
            self.ws()
            if not self.text.startswith('"', self.pos, self.end):
                self.fail("expected a string key in double quotes")
            key_start = self.pos
            key = self.string().textmap.text
            key_end = self.pos
            self.ws()
            if not self.text.startswith(":", self.pos, self.end):
                self.fail(f"expected ':' after key '{key}'")
            self.pos += 1
            outer_key, self.key = self.key, key if self.key is None else self.key
            self.ws()
            value_start = self.pos
            out[key] = self.value(f"{pointer}/{pointer_escape(key)}", depth + 1)
            self.key = outer_key
            if depth == 0:
                self.members[key] = (key_start, key_end, value_start, self.pos)
            self.ws()
            if self.text.startswith(",", self.pos, self.end):
                self.pos += 1
                continue
            if self.text.startswith("}", self.pos, self.end):
                self.pos += 1
                return out
            self.fail(f"expected ',' or '}}' after the value of '{key}'")

    def arr(self, pointer: str, depth: int) -> list:
        self.pos += 1
        out: list[Any] = []
        self.ws()
        if self.text.startswith("]", self.pos, self.end):
            self.pos += 1
            return out
        while True:
            out.append(self.value(f"{pointer}/{len(out)}", depth + 1))
            self.ws()
            if self.text.startswith(",", self.pos, self.end):
                self.pos += 1
                continue
            if self.text.startswith("]", self.pos, self.end):
                self.pos += 1
                return out
            self.fail("expected ',' or ']' in array")

    def string(self) -> JSONString:
        text = self.text
        start = self.pos
        pos = start + 1
        tm = TextMap()
        while True:
            m = _PLAIN.match(text, pos, self.end)
            if m:
                tm.add(m.group(), pos)
                pos = m.end()
            if pos >= self.end:
                self.fail("unterminated string", start)
            c = text[pos]
            if c == '"':
                self.pos = pos + 1
                return JSONString(start, pos + 1, tm)
            if c in "\r\n":
                self.fail("unterminated string: line break before the closing quote", pos)
            if c != "\\":
                self.fail("control character in string (must be escaped)", pos)
            esc = text[pos + 1 : pos + 2]
            if esc in _ESCAPES:
                tm.add(_ESCAPES[esc], pos, pos + 2)
                pos += 2
            elif esc == "u":
                pos = self._unicode_escape(pos, tm)
            else:
                self.fail(f"invalid escape '\\{esc}'", pos)

    def _unicode_escape(self, pos: int, tm: TextMap) -> int:
        text = self.text
        hexa = text[pos + 2 : pos + 6]
        if len(hexa) < 4 or not all(ch in "0123456789abcdefABCDEF" for ch in hexa):
            self.fail("invalid \\u escape", pos)
        code = int(hexa, 16)
        end = pos + 6
        if 0xD800 <= code < 0xDC00 and text.startswith("\\u", end):
            low_hex = text[end + 2 : end + 6]
            if len(low_hex) == 4 and all(ch in "0123456789abcdefABCDEF" for ch in low_hex):
                low = int(low_hex, 16)
                if 0xDC00 <= low < 0xE000:
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    end += 6
        if 0xD800 <= code < 0xE000:
            tm.add("\ufffd", pos, end)  # a lone surrogate cannot be text: replacement char
        else:
            tm.add(chr(code), pos, end)
        return end


@dataclass(slots=True)
class JSONValue:
    value: Any
    strings: dict[str, JSONString]  # every string value, by JSON pointer
    members: dict[str, tuple[int, int, int, int]]  # top-level keys: key and value spans


def read_json(text: str, start: int = 0, end: int | None = None) -> JSONValue:
    """Parse one JSON value in text[start:end], with positions of its strings and members."""
    reader = _Reader(text, start, len(text) if end is None else end)
    try:
        value = reader.value("", 0)
    except RecursionError:  # a caller deep in its own stack: still an error, not a traceback
        reader.fail(f"nesting too deep to read (limit {MAX_DEPTH} levels)")
    reader.ws()
    if reader.pos < reader.end:
        reader.fail("extra data after the JSON value")
    return JSONValue(value, reader.strings, reader.members)
