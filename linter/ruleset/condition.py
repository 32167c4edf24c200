"""Compile `when:` conditions (grammar in condition.lark) into plain Python closures.

The grammar is parsed once per process; each condition is parsed once at load time and
turned into a closure over `Facts`, so checking an article costs no parsing.  Paths name
what an article offers: `front_matter.KEY`, `mentions.KIND` (a count), `sections.KIND`
(a count), `format`.
"""

from __future__ import annotations

import operator
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from ..document.model import SECTION_KINDS

GRAMMAR = Path(__file__).with_name("condition.lark")
ROOTS = ("front_matter", "mentions", "sections", "format")


class ConditionError(ValueError):
    def __init__(self, message: str, column: int):
        super().__init__(message)
        self.message = message
        self.column = column  # 1-based column inside the expression


@lru_cache(maxsize=1)
def _parser():
    from lark import Lark

    # cache=True keeps the analysed grammar in a temporary file: start-up pays ~5 ms, not ~90
    return Lark(GRAMMAR.read_text(encoding="utf-8"), parser="lalr", propagate_positions=True, cache=True)


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
}


def compile_condition(expr: str, mention_kinds: tuple[str, ...]) -> Callable[[Any], Any]:
    """Parse and compile; raise ConditionError with the column of the problem."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

    try:
        tree = _parser().parse(expr)
    except UnexpectedToken as exc:
        if exc.token.type == "$END":
            raise ConditionError("condition ends too early", len(expr) + 1) from None
        raise ConditionError(f"unexpected '{exc.token}' in condition", exc.column) from None
    except UnexpectedCharacters as exc:
        raise ConditionError(f"unexpected character '{expr[exc.pos_in_stream]}' in condition", exc.column) from None
    except UnexpectedEOF:
        raise ConditionError("condition ends too early", len(expr) + 1) from None
    except UnexpectedInput as exc:  # pragma: no cover - other lark input errors
        raise ConditionError(str(exc).splitlines()[0], getattr(exc, "column", 1)) from None
    return _compile(tree, mention_kinds)


def _compile(node, kinds) -> Callable[[Any], Any]:
    from lark import Token

    if isinstance(node, Token):  # pragma: no cover - grammar wraps every token
        raise ConditionError(f"unexpected '{node}'", node.column)
    data = node.data
    kids = node.children
    if data == "or_expr":
        parts = [_compile(k, kinds) for k in kids]
        return lambda f: any(p(f) for p in parts)
    if data == "and_expr":
        parts = [_compile(k, kinds) for k in kids]
        return lambda f: all(p(f) for p in parts)
    if data == "negation":
        inner = _compile(kids[0], kinds)
        return lambda f: not inner(f)
    if data == "compare":
        left, op, right = _compile(kids[0], kinds), _COMPARE[str(kids[1])], _compile(kids[2], kinds)

        def compare(f):
            a, b = left(f), right(f)
            try:
                return op(a, b)
            except TypeError:  # "3" > 2: a mismatch is simply false
                return False

        return compare
    if data == "contains":
        needle, hay = _compile(kids[0], kinds), _compile(kids[1], kinds)

        def contains(f):
            h = hay(f)
            try:
                return needle(f) in h if h is not None else False
            except TypeError:
                return False

        return contains
    if data == "string":
        import ast

        value = ast.literal_eval(str(kids[0]))
        return lambda f: value
    if data == "number":
        text = str(kids[0])
        value = float(text) if "." in text else int(text)
        return lambda f: value
    if data in ("true", "false", "null"):
        value = {"true": True, "false": False, "null": None}[data]
        return lambda f: value
    if data == "path":
        names = [str(k) for k in kids]
        root = names[0]
        col = node.meta.column
        if root not in ROOTS:
            raise ConditionError(f"unknown name '{root}' (expected one of: {', '.join(ROOTS)})", col)
        if root == "format":
            if len(names) != 1:
                raise ConditionError("'format' has no fields", col)
            return lambda f: f.format
        if len(names) != 2 and root != "front_matter":
            raise ConditionError(f"'{root}' needs exactly one field, e.g. {root}.{'ticker' if root == 'mentions' else 'disclaimer'}", col)
        if len(names) < 2:
            raise ConditionError(f"'{root}' needs a field, e.g. front_matter.sponsored", col)
        field = names[1]
        if root == "mentions":
            if field not in kinds:
                raise ConditionError(f"unknown mention '{field}' (expected one of: {', '.join(kinds)})", col)
            return lambda f: f.mention_count(field)
        if root == "sections":
            if field not in SECTION_KINDS:
                raise ConditionError(f"unknown section '{field}' (expected one of: {', '.join(SECTION_KINDS)})", col)
            return lambda f: f.section_count(field)
        keys = names[1:]

        def front_matter(f):
            value: Any = f.front_matter
            for k in keys:
                if not isinstance(value, dict):
                    return None
                value = value.get(k)
            return value

        return front_matter
    if len(kids) == 1:  # pragma: no cover - inlined by the grammar
        return _compile(kids[0], kinds)
    raise ConditionError(f"unsupported expression '{data}'", 1)  # pragma: no cover
