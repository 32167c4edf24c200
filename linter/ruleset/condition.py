"""Compile `when:` conditions (grammar in condition.lark) into small trees of plain records.

The grammar is analysed once per process, only when a rule file is loaded without the
rule-set cache; each condition is parsed once at load time into a tree of tuples that is
evaluated directly over `Facts`, so checking an article costs no parsing.  Paths name
what an article offers: `front_matter.KEY`, `mentions.KIND` (a count), `sections.KIND`
(a count), `format`, `genre` (what kind of page it is: "press_release" when a wire dateline
says so, else null).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from ..document.model import SECTION_KINDS

GRAMMAR = Path(__file__).with_name("condition.lark")
ROOTS = ("front_matter", "mentions", "sections", "format", "genre")


class ConditionError(ValueError):
    def __init__(self, message: str, column: int):
        super().__init__(message)
        self.message = message
        self.column = column  # 1-based column inside the expression


@lru_cache(maxsize=1)
def _parser():
    from lark import Lark

    # no `cache=True`: lark would keep the analysed grammar as a pickle in a shared temporary
    # folder, which another user can plant.  The grammar is analysed only when a rule file is
    # loaded without the rule-set cache (a cached rule set holds its conditions as data).
    return Lark(GRAMMAR.read_text(encoding="utf-8"), parser="lalr", propagate_positions=True)


class Condition:
    """A compiled condition: a small tree of plain records, evaluated directly.

    Nodes are tuples: `("or", a, b, ...)`, `("and", ...)`, `("not", x)`, `("cmp", op, a, b)`,
    `("in", a, b)`, `("lit", value)`, `("fm", key, ...)` (front matter), `("mention", kind)`,
    `("section", kind)`, `("format",)`, `("genre",)`.  Being data, it goes into the JSON rule-set cache and
    to worker processes as it is; nothing is generated or `eval`ed.
    """

    __slots__ = ("tree",)

    def __init__(self, tree: tuple):
        self.tree = tree

    def __call__(self, facts):
        return _eval(self.tree, facts)

    def __eq__(self, other):
        return isinstance(other, Condition) and other.tree == self.tree

    __hash__ = None

    def __repr__(self) -> str:
        return f"Condition({self.tree!r})"

    def to_data(self) -> list:
        """The JSON form: the tree with lists for tuples."""
        return _lists(self.tree)

    @classmethod
    def from_data(cls, data) -> "Condition":
        """From the JSON form (lists for tuples), checked node by node: a cache file that
        holds anything else raises ValueError."""
        return cls(_checked(data))


def _lists(node):
    return [_lists(n) if isinstance(n, tuple) else n for n in node]


def _eval(node, f):
    op = node[0]
    if op == "or":  # as Python's `or` and `and`: the deciding value, not a bool
        value = False
        for n in node[1:]:
            value = _eval(n, f)
            if value:
                return value
        return value
    if op == "and":
        value = True
        for n in node[1:]:
            value = _eval(n, f)
            if not value:
                return value
        return value
    if op == "not":
        return not _eval(node[1], f)
    if op == "cmp":
        return _cmp(_eval(node[2], f), node[1], _eval(node[3], f))
    if op == "in":
        return _contains(_eval(node[1], f), _eval(node[2], f))
    if op == "lit":
        return node[1]
    if op == "fm":
        return _fm(f, node[1:])
    if op == "mention":
        return f.mention_count(node[1])
    if op == "section":
        return f.section_count(node[1])
    if op == "format":
        return f.format
    if op == "genre":
        return f.doc.genre
    raise ValueError(f"unknown condition node {op!r}")


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
_ARITY = {"not": 1, "cmp": 3, "in": 2, "lit": 1, "mention": 1, "section": 1, "format": 0, "genre": 0}
_OPS = ("==", "!=", "<", "<=", ">", ">=")


def _checked(data) -> tuple:
    if not isinstance(data, (list, tuple)) or not data or not isinstance(data[0], str):
        raise ValueError("not a condition node")
    op, args = data[0], list(data[1:])
    if op in ("or", "and"):
        return (op, *(_checked(a) for a in args))
    if op not in _ARITY and op != "fm":
        raise ValueError(f"unknown condition node {op!r}")
    if op != "fm" and len(args) != _ARITY[op]:
        raise ValueError(f"condition node {op!r} takes {_ARITY[op]} values")
    if op == "not":
        return (op, _checked(args[0]))
    if op == "cmp":
        if args[0] not in _OPS:
            raise ValueError(f"unknown comparison {args[0]!r}")
        return (op, args[0], _checked(args[1]), _checked(args[2]))
    if op == "in":
        return (op, _checked(args[0]), _checked(args[1]))
    if op == "lit":
        if args[0] is not None and not isinstance(args[0], (bool, int, float, str)):
            raise ValueError("a condition literal is a string, number, true, false or null")
        return (op, args[0])
    if not all(isinstance(a, str) for a in args):
        raise ValueError(f"condition node {op!r} takes names")
    return (op, *args)


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
    return Condition(_tree(tree, mention_kinds))


def _tree(node, kinds) -> tuple:
    """The record for a parse-tree node (see `Condition`)."""
    from lark import Token

    if isinstance(node, Token):  # pragma: no cover - grammar wraps every token
        raise ConditionError(f"unexpected '{node}'", node.column)
    data = node.data
    kids = node.children
    if data == "or_expr":
        return ("or", *(_tree(k, kinds) for k in kids))
    if data == "and_expr":
        return ("and", *(_tree(k, kinds) for k in kids))
    if data == "negation":
        return ("not", _tree(kids[0], kinds))
    if data == "compare":
        return ("cmp", str(kids[1]), _tree(kids[0], kinds), _tree(kids[2], kinds))
    if data == "contains":
        return ("in", _tree(kids[0], kinds), _tree(kids[1], kinds))
    if data == "string":
        import ast

        return ("lit", ast.literal_eval(str(kids[0])))
    if data == "number":
        text = str(kids[0])
        return ("lit", float(text) if "." in text else int(text))
    if data in ("true", "false", "null"):
        return ("lit", {"true": True, "false": False, "null": None}[data])
    if data == "path":
        names = [str(k) for k in kids]
        root = names[0]
        col = node.meta.column
        if root not in ROOTS:
            raise ConditionError(f"unknown name '{root}' (expected one of: {', '.join(ROOTS)})", col)
        if root in ("format", "genre"):
            if len(names) != 1:
                raise ConditionError(f"'{root}' has no fields", col)
            return (root,)
        if len(names) != 2 and root != "front_matter":
            raise ConditionError(f"'{root}' needs exactly one field, e.g. {root}.{'ticker' if root == 'mentions' else 'disclaimer'}", col)
        if len(names) < 2:
            raise ConditionError(f"'{root}' needs a field, e.g. front_matter.sponsored", col)
        field = names[1]
        if root == "mentions":
            if field not in kinds:
                raise ConditionError(f"unknown mention '{field}' (expected one of: {', '.join(kinds)})", col)
            return ("mention", field)
        if root == "sections":
            if field not in SECTION_KINDS:
                raise ConditionError(f"unknown section '{field}' (expected one of: {', '.join(SECTION_KINDS)})", col)
            return ("section", field)
        return ("fm", *names[1:])
    if len(kids) == 1:  # pragma: no cover - inlined by the grammar
        return _tree(kids[0], kinds)
    raise ConditionError(f"unsupported expression '{data}'", 1)  # pragma: no cover
