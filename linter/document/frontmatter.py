"""YAML front matter with the source span of every top-level key and value."""

from __future__ import annotations

import re

from .model import FrontMatterEntry, ParseProblem

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: importing `typing` costs a one-shot run about 3 ms
    from typing import Any

_OPEN = re.compile(r"---[ \t]*(?:\r\n|\r|\n)")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*(?:\r\n|\r|\n|$)", re.MULTILINE)


def split_front_matter(text: str) -> tuple[int, int, int] | None:
    """(yaml_start, yaml_end, body_start) when the text opens with a `---` block."""
    m = _OPEN.match(text)
    if not m:
        return None
    close = _CLOSE.search(text, m.end())
    if not close:
        return None
    return m.end(), close.start(), close.end()


MAX_FRONT_MATTER = 256_000  # characters; real front matter is a few hundred
MAX_FRONT_MATTER_VALUES = 20_000  # after expanding aliases


def parse_front_matter(
    text: str, start: int, end: int
) -> tuple[dict[str, Any], dict[str, FrontMatterEntry], list[ParseProblem]]:
    """Parse text[start:end] as a YAML mapping; problems carry source offsets and the key.

    Front matter of plain `key: value` lines is read without PyYAML (`import yaml` costs a
    one-shot run about 10 ms), to exactly what PyYAML would give; anything else goes to it."""
    simple = parse_simple_front_matter(text, start, end)
    if simple is not None:
        return simple
    return parse_yaml_front_matter(text, start, end)


def parse_yaml_front_matter(
    text: str, start: int, end: int
) -> tuple[dict[str, Any], dict[str, FrontMatterEntry], list[ParseProblem]]:
    """Parse text[start:end] as a YAML mapping with PyYAML; problems carry source offsets and the key.

    Front matter is untrusted: it is read within size, depth and alias-expansion limits
    (linter/safeyaml.py), a control character YAML refuses is read as U+FFFD, a lone
    surrogate escape as U+FFFD, and a value that cannot be built (`date: 2026-02-30`) is left
    out; each of these is a problem (a PARSE diagnostic) naming the key, never a crash."""
    from .. import safeyaml

    chunk = text[start:end]
    if not chunk.strip():
        return {}, {}, []
    problems: list[ParseProblem] = []
    if safeyaml.NOT_YAML_PRINTABLE.search(chunk):
        def replace(m):
            at = start + m.start()
            key = _key_before(chunk, m.start())
            problems.append(ParseProblem(
                at, at + 1,
                f"front matter holds control character U+{ord(m.group()):04X}, read as U+FFFD"
                + (f" (key '{key}')" if key else ""), key))
            return "\ufffd"

        chunk = safeyaml.NOT_YAML_PRINTABLE.sub(replace, chunk)  # one character for one: offsets hold
    try:
        node = safeyaml.compose(chunk, MAX_FRONT_MATTER, pure=True, context=True)
        if node is not None:
            safeyaml.check_node(node, MAX_FRONT_MATTER_VALUES)
    except safeyaml.YAMLProblem as exc:
        return {}, {}, problems + [_problem(exc, start, end, _key_before(chunk, exc.index))]
    import yaml

    if node is None:
        return {}, {}, problems
    if not isinstance(node, yaml.MappingNode):
        return {}, {}, problems + [ParseProblem(start, end, "front matter must be a mapping of keys to values")]
    values: dict[str, Any] = {}
    entries: dict[str, FrontMatterEntry] = {}
    for key_node, value_node in node.value:
        try:
            key = safeyaml.construct(key_node)
        except safeyaml.YAMLProblem as exc:
            problems.append(_problem(exc, start, end, None))
            continue
        key, _ = safeyaml.without_surrogates(str(key))
        try:
            value = safeyaml.construct(value_node)
        except safeyaml.YAMLProblem as exc:
            problems.append(_problem(exc, start, end, key))
            continue
        value, had_surrogates = safeyaml.without_surrogates(value)
        if had_surrogates:
            problems.append(ParseProblem(
                start + value_node.start_mark.index, start + _value_end(chunk, value_node),
                f"front matter value holds a lone surrogate escape, read as U+FFFD (key '{key}')", key))
        if key in entries:
            problems.append(
                ParseProblem(
                    start + key_node.start_mark.index,
                    start + key_node.end_mark.index,
                    f"duplicate front-matter key '{key}'",
                    key,
                )
            )
        values[key] = value
        entries[key] = FrontMatterEntry(
            key,
            value,
            start + key_node.start_mark.index,
            start + key_node.end_mark.index,
            start + value_node.start_mark.index,
            start + _value_end(chunk, value_node),
        )
    return values, entries, problems


# The cheap path.  A line is `key: value` at column 0 (or blank); a value is a one-line plain
# scalar, a '...' or "..." scalar without quotes or backslashes inside, or a flow list of
# words.  A plain scalar opens with a letter, `_`, `$`, `(` or a non-ASCII character (no
# YAML 1.1 resolver reads those as anything but a string, bar the words below), or is a
# decimal int or a YYYY-MM-DD date; it holds no `:` or `#` (mapping value, comment).  Tabs
# are refused (PyYAML refuses a tab after a value), and so is any character PyYAML reads
# specially or refuses: NEL, U+2028/9, BOM, controls, surrogates.
_SIMPLE_MAX = 16_000  # characters: far below the node limit whatever the lines hold
_BLANK = re.compile(r" *(?:\r\n|\r|\n|\Z)")
_ENTRY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]{0,127}):( +)([^ \r\n](?:[^\r\n]*[^ \r\n])?) *(?:\r\n|\r|\n|\Z)")
_ODD = re.compile(r"[^\n\r -~]")  # outside printable ASCII: checked one by one
_PLAIN_STOP = re.compile(r"[:#]")
_INT = re.compile(r"0|[1-9][0-9]{0,17}")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_WORD = r"[A-Za-z][A-Za-z0-9._-]*"
_LIST = re.compile(rf"\[ *(?:({_WORD}(?: *, *{_WORD})*) *)?\]")
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
# plain words PyYAML reads as bool or null and the cheap path does not build: fall back
_NOT_STR = frozenset("yes Yes YES no No NO on On ON off Off OFF null Null NULL".split())


def parse_simple_front_matter(
    text: str, start: int, end: int
) -> tuple[dict[str, Any], dict[str, FrontMatterEntry], list[ParseProblem]] | None:
    """What parse_yaml_front_matter returns for text[start:end], or None (use it) unless
    the front matter is plain `key: value` lines whose YAML meaning is certain."""
    if end - start > _SIMPLE_MAX:
        return None
    for odd in _ODD.finditer(text, start, end):
        c = ord(odd.group())  # tab, controls, NEL; surrogates; line/paragraph separators, BOM
        if c < 0xA0 or 0xD800 <= c <= 0xDFFF or c in (0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF):
            return None
    values: dict[str, Any] = {}
    entries: dict[str, FrontMatterEntry] = {}
    pos = start
    while pos < end:
        blank = _BLANK.match(text, pos, end)
        if blank:
            pos = blank.end()
            continue
        m = _ENTRY.match(text, pos, end)
        if not m:
            return None
        key = m.group(1)
        if key in entries or key in _NOT_STR or key in _BOOLS:
            return None
        found = _simple_value(m.group(3))
        if found is None:
            return None
        value = found[0]
        values[key] = value
        entries[key] = FrontMatterEntry(key, value, m.start(1), m.end(1), m.start(3), m.end(3))
        pos = m.end()
    return values, entries, []


def _simple_value(raw: str) -> tuple[Any] | None:
    """(value,) of a one-line YAML value, as PyYAML's safe loader builds it; None if unsure."""
    first = raw[0]
    if first in "'\"":
        inner = raw[1:-1]
        if len(raw) < 2 or raw[-1] != first or "'" in inner or '"' in inner or "\\" in inner:
            return None
        return (inner,)
    if first == "[":
        m = _LIST.fullmatch(raw)
        if not m:
            return None
        items = [w.strip(" ") for w in m.group(1).split(",")] if m.group(1) else []
        if any(w in _NOT_STR or w in _BOOLS for w in items):
            return None
        return (items,)
    if _PLAIN_STOP.search(raw):
        return None
    if first.isascii():
        if "0" <= first <= "9":
            if _INT.fullmatch(raw):
                return (int(raw),)
            m = _DATE.fullmatch(raw)
            if not m:
                return None
            from datetime import date

            try:
                return (date(int(m.group(1)), int(m.group(2)), int(m.group(3))),)
            except ValueError:  # 2026-02-30: PyYAML's path reports it
                return None
        if not (first.isalpha() or first in "_$("):
            return None
    if raw in _BOOLS:
        return (_BOOLS[raw],)
    if raw in _NOT_STR:
        return None
    return (raw,)


def _value_end(chunk: str, node) -> int:
    """End of a value without the trailing line break pyyaml includes for block scalars."""
    e = node.end_mark.index
    while e > node.start_mark.index and chunk[e - 1] in "\r\n \t":
        e -= 1
    return e


def _problem(exc, start: int, end: int, key: str | None) -> ParseProblem:
    # the mark is where the broken construct opened ("[" of an unclosed list), which is
    # where an editor has to look; the problem mark is often the next line
    at = start + min(max(exc.index, 0), end - start)
    msg = f"malformed front matter: {exc.message}"
    if key:
        msg += f" (key '{key}')"
    return ParseProblem(at, min(at + 1, end) if at < end else at, msg, key)


def _key_before(chunk: str, index: int) -> str | None:
    """The top-level key whose entry holds `index`, for the one-line message."""
    for line in reversed(chunk[: index + 1].splitlines()):
        m = re.match(r"([A-Za-z_][\w-]*)\s*:", line)
        if m:
            return m.group(1)
    return None
