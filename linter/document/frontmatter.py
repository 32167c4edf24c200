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
