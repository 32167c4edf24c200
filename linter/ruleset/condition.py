"""Compile `when:` conditions (grammar in condition.lark) into plain Python functions.

The grammar is parsed once per process; each condition is parsed once at load time and
turned into a function over `Facts`, so checking an article costs no parsing.  Paths name
what an article offers: `front_matter.KEY`, `mentions.KIND` (a count), `sections.KIND`
(a count), `format`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

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


class Condition:
    """A compiled condition: Python source generated from the parse tree, evaluated once.

    Keeping the generated source (not a closure) lets a cached rule set pickle it; loading
    the cache re-creates the function without lark.
    """

    __slots__ = ("python", "_fn")

    def __init__(self, python: str):
        self.python = python
        self._fn = eval(f"lambda f: {python}", dict(_HELPERS))  # noqa: S307 - our own generated code

    def __call__(self, facts):
        return self._fn(facts)

    def __getstate__(self):
        return self.python

    def __setstate__(self, python):
        self.__init__(python)


def _cmp(a, op, b):
    try:
        return {"==": a == b, "!=": a != b}[op] if op in ("==", "!=") else _ORDER[op](a, b)
    except TypeError:  # "3" > 2: a mismatch is simply false
        return False


def _contains(needle, hay):
    try:
        return needle in hay if hay is not None else False
    except TypeError:
        return False


def _fm(f, keys):
    value: Any = f.front_matter
    for k in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(k)
    return value


_ORDER = {">=": lambda a, b: a >= b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, "<": lambda a, b: a < b}
_HELPERS = {"_cmp": _cmp, "_contains": _contains, "_fm": _fm, "__builtins__": {}}


def compile_condition(expr: str, mention_kinds: tuple[str, ...]) -> Condition:
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
    return Condition(_source(tree, mention_kinds))


def _source(node, kinds) -> str:
    """Python source for a parse-tree node, over `f` (the article's Facts)."""
    from lark import Token

    if isinstance(node, Token):  # pragma: no cover - grammar wraps every token
        raise ConditionError(f"unexpected '{node}'", node.column)
    data = node.data
    kids = node.children
    if data == "or_expr":
        return "(" + " or ".join(_source(k, kinds) for k in kids) + ")"
    if data == "and_expr":
        return "(" + " and ".join(_source(k, kinds) for k in kids) + ")"
    if data == "negation":
        return f"(not {_source(kids[0], kinds)})"
    if data == "compare":
        return f"_cmp({_source(kids[0], kinds)}, {str(kids[1])!r}, {_source(kids[2], kinds)})"
    if data == "contains":
        return f"_contains({_source(kids[0], kinds)}, {_source(kids[1], kinds)})"
    if data == "string":
        import ast

        return repr(ast.literal_eval(str(kids[0])))
    if data == "number":
        text = str(kids[0])
        return repr(float(text) if "." in text else int(text))
    if data in ("true", "false", "null"):
        return {"true": "True", "false": "False", "null": "None"}[data]
    if data == "path":
        names = [str(k) for k in kids]
        root = names[0]
        col = node.meta.column
        if root not in ROOTS:
            raise ConditionError(f"unknown name '{root}' (expected one of: {', '.join(ROOTS)})", col)
        if root == "format":
            if len(names) != 1:
                raise ConditionError("'format' has no fields", col)
            return "f.format"
        if len(names) != 2 and root != "front_matter":
            raise ConditionError(f"'{root}' needs exactly one field, e.g. {root}.{'ticker' if root == 'mentions' else 'disclaimer'}", col)
        if len(names) < 2:
            raise ConditionError(f"'{root}' needs a field, e.g. front_matter.sponsored", col)
        field = names[1]
        if root == "mentions":
            if field not in kinds:
                raise ConditionError(f"unknown mention '{field}' (expected one of: {', '.join(kinds)})", col)
            return f"f.mention_count({field!r})"
        if root == "sections":
            if field not in SECTION_KINDS:
                raise ConditionError(f"unknown section '{field}' (expected one of: {', '.join(SECTION_KINDS)})", col)
            return f"f.section_count({field!r})"
        return f"_fm(f, {tuple(names[1:])!r})"
    if len(kids) == 1:  # pragma: no cover - inlined by the grammar
        return _source(kids[0], kinds)
    raise ConditionError(f"unsupported expression '{data}'", 1)  # pragma: no cover
