"""YAML front matter with the source span of every top-level key and value."""

from __future__ import annotations

import re
from typing import Any

from .model import FrontMatterEntry, ParseProblem

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


def parse_front_matter(
    text: str, start: int, end: int
) -> tuple[dict[str, Any], dict[str, FrontMatterEntry], list[ParseProblem]]:
    """Parse text[start:end] as a YAML mapping; problems carry source offsets and the key."""
    import yaml

    chunk = text[start:end]
    if not chunk.strip():
        return {}, {}, []
    loader = yaml.SafeLoader(chunk)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}, []
        if not isinstance(node, yaml.MappingNode):
            return {}, {}, [
                ParseProblem(start, end, "front matter must be a mapping of keys to values")
            ]
        values: dict[str, Any] = {}
        entries: dict[str, FrontMatterEntry] = {}
        problems: list[ParseProblem] = []
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            try:
                value = loader.construct_object(value_node, deep=True)
            except yaml.YAMLError as exc:
                problems.append(_problem(exc, start, end, str(key)))
                continue
            key = str(key)
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
    except yaml.YAMLError as exc:
        return {}, {}, [_problem(exc, start, end, _key_before(chunk, exc))]
    finally:
        loader.dispose()


def _value_end(chunk: str, node) -> int:
    """End of a value without the trailing line break pyyaml includes for block scalars."""
    e = node.end_mark.index
    while e > node.start_mark.index and chunk[e - 1] in "\r\n \t":
        e -= 1
    return e


def _problem(exc, start: int, end: int, key: str | None) -> ParseProblem:
    # the context mark is where the broken construct opened ("[" of an unclosed list),
    # which is where an editor has to look; the problem mark is often the next line
    mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
    at = start + mark.index if mark is not None else start
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    msg = f"malformed front matter: {context + ', ' if context else ''}{problem}"
    if key:
        msg += f" (key '{key}')"
    return ParseProblem(at, min(at + 1, end) if at < end else at, msg, key)


def _key_before(chunk: str, exc) -> str | None:
    """The top-level key whose entry holds the error, for the one-line message."""
    mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
    if mark is None:
        return None
    for line in reversed(chunk[: mark.index + 1].splitlines()):
        m = re.match(r"([A-Za-z_][\w-]*)\s*:", line)
        if m:
            return m.group(1)
    return None
