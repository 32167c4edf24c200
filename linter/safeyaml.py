"""Untrusted YAML (front matter, rule files, configuration) read within limits.

PyYAML's safe loader runs no code, but it will still build whatever the text describes: a
400-byte document of nested aliases ("billion laughs") expands to billions of values when
anything walks, prints or serialises it, and some scalars (`2026-02-30` as a date, a
10,000-digit integer) raise plain Python errors from the constructor.  Here a document is
composed first, refused when it is too large, too deep or expands too far through aliases,
and constructed only then, every failure being a `YAMLProblem` with the line, column and
character offset of the node at fault, so that callers can report one line or one
diagnostic naming the file, line and key.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: importing `typing` costs a one-shot run about 3 ms
    from typing import Any
MAX_CHARS = 4_000_000  # a rule file or configuration; front matter passes its own limit
MAX_NODES = 200_000  # values after expanding aliases (the shipped rules hold about 6,000)
MAX_DEPTH = 64  # nesting of lists and mappings

# what YAML accepts in a document (PyYAML's Reader refuses anything else, e.g. C0/C1 controls)
NOT_YAML_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class YAMLProblem(Exception):
    """Why a YAML document cannot be used, and where (0-based offset, 1-based line/column)."""

    def __init__(self, message: str, index: int = 0, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message, self.index, self.line, self.column = message, index, line, column


def _loader(text: str, pure: bool):
    import yaml

    return (yaml.SafeLoader if pure else getattr(yaml, "CSafeLoader", yaml.SafeLoader))(text)


def _at(mark, text: str | None = None) -> dict:
    if mark is None:
        return {}
    return {"index": mark.index, "line": mark.line + 1, "column": mark.column + 1}


def problem_from(exc: Exception, text: str, context: bool = False) -> YAMLProblem:
    """A PyYAML error as a YAMLProblem: its message's first line, where it happened (with
    `context`: where the broken construct opened, and what it was)."""
    import yaml

    if isinstance(exc, yaml.reader.ReaderError):
        index = exc.position
        line = text.count("\n", 0, index) + 1
        column = index - (text.rfind("\n", 0, index) + 1) + 1
        return YAMLProblem(f"unacceptable character U+{exc.character:04X}: control characters are not allowed",
                           index, line, column)
    mark = (getattr(exc, "context_mark", None) if context else None) or getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or (str(exc).splitlines() or ["invalid YAML"])[0]
    opened = getattr(exc, "context", None) if context else None
    message = f"{opened + ', ' if opened else ''}{problem}"
    return YAMLProblem(message, **(_at(mark) or {"index": 0}))


def compose(text: str, max_chars: int = MAX_CHARS, *, pure: bool = False, context: bool = False):
    """The node graph of a one-document YAML text (None when empty), checked for size.

    `pure`: PyYAML's Python parser rather than libyaml (their messages differ; front matter
    keeps the Python parser's); `context`: errors point where the broken construct opened."""
    import yaml

    if len(text) > max_chars:
        raise YAMLProblem(f"larger than the {max_chars:,} characters allowed", 0, 1, 1)
    loader = None
    try:
        loader = _loader(text, pure)
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        raise problem_from(exc, text, context) from None
    except RecursionError:
        raise YAMLProblem(f"nested more than {MAX_DEPTH} levels deep", 0, 1, 1) from None
    finally:
        if loader is not None:
            loader.dispose()
    if node is not None:
        check_node(node)
    return node


def check_node(root, max_nodes: int = MAX_NODES, max_depth: int = MAX_DEPTH) -> int:
    """Refuse a node graph that nests too deeply, refers to itself, or expands to more than
    `max_nodes` values through aliases.  Linear in the composed graph (each shared node is
    sized once), so the check itself cannot be made slow.  Returns the expanded size."""
    import yaml

    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack = [(root, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            if isinstance(node, yaml.MappingNode):
                children = [n for pair in node.value for n in pair]
            else:
                children = node.value
            size = 1 + sum(sizes[id(c)] for c in children)
            if size > max_nodes:
                raise YAMLProblem(
                    f"expands to more than {max_nodes:,} values (aliases repeating aliases?)", **_at(node.start_mark)
                )
            sizes[key] = size
            continue
        if key in sizes:
            continue
        if not isinstance(node, (yaml.SequenceNode, yaml.MappingNode)):
            sizes[key] = 1
            continue
        if key in on_path:
            raise YAMLProblem("an alias refers to the collection that holds it", **_at(node.start_mark))
        if depth > max_depth:
            raise YAMLProblem(f"nested more than {max_depth} levels deep", **_at(node.start_mark))
        on_path.add(key)
        stack.append((node, depth, True))
        children = [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else node.value
        for child in children:
            if id(child) in on_path:
                raise YAMLProblem("an alias refers to the collection that holds it", **_at(child.start_mark))
            if id(child) not in sizes:
                stack.append((child, depth + 1, False))
    return sizes[id(root)]


def construct(node) -> Any:
    """The Python value of a checked node; a value the constructor refuses (an invalid date,
    an integer too long to convert) is a YAMLProblem at that node, not a Python error."""
    import yaml

    constructor = yaml.constructor.SafeConstructor()
    try:
        return constructor.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        raise problem_from(exc, "") from None
    except (ValueError, OverflowError, TypeError) as exc:
        bad = _first_bad_scalar(node) or node
        detail = (str(exc).splitlines() or [type(exc).__name__])[0].split("; ")[0][:120]
        if isinstance(bad, yaml.ScalarNode):
            shown = bad.value if len(bad.value) <= 40 else bad.value[:40] + "…"
            raise YAMLProblem(f"invalid value '{shown}': {detail}", **_at(bad.start_mark)) from None
        raise YAMLProblem(f"invalid value: {detail}", **_at(bad.start_mark)) from None
    except RecursionError:
        raise YAMLProblem(f"nested more than {MAX_DEPTH} levels deep", **_at(node.start_mark)) from None


def _first_bad_scalar(node):
    """The first scalar under `node` the constructor cannot build (to point at its line)."""
    import yaml

    constructor = yaml.constructor.SafeConstructor()
    stack, seen = [node], set()
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        if isinstance(n, yaml.ScalarNode):
            try:
                constructor.construct_object(n)
            except Exception:  # noqa: BLE001 - looking for the culprit of an error already caught
                return n
        elif isinstance(n, yaml.MappingNode):
            stack.extend(x for pair in reversed(n.value) for x in reversed(pair))
        else:
            stack.extend(reversed(n.value))
    return None


def without_surrogates(value: Any) -> tuple[Any, bool]:
    """`value` with lone surrogates (from `"\\ud800"` escapes, not writable as UTF-8)
    replaced by U+FFFD, and whether any was."""
    if isinstance(value, str):
        if not _SURROGATE.search(value):
            return value, False
        return _SURROGATE.sub("\ufffd", value), True
    if isinstance(value, list):
        items = [without_surrogates(v) for v in value]
        return [v for v, _ in items], any(c for _, c in items)
    if isinstance(value, dict):
        out, changed = {}, False
        for k, v in value.items():
            k2, c1 = without_surrogates(k)
            v2, c2 = without_surrogates(v)
            try:
                out[k2] = v2
            except TypeError:  # an unhashable key cannot come out of the safe loader; keep as is
                out[k] = v2
            changed = changed or c1 or c2
        return out, changed
    return value, False


_SURROGATE = re.compile("[\ud800-\udfff]")
