"""Compile `when:` conditions (grammar in condition.lark) into small trees of plain records.

The grammar is analysed once per process, only when a rule file is loaded without the
rule-set cache; each condition is parsed once at load time into a tree of records (`Name`,
`Literal`, `Not`, `AllOf`, `AnyOf`, `Compare`, `Contains`) that is evaluated directly over
`Facts`, so checking an article costs no parsing, and a rule set pickles without generated
code.  Names say what an article offers: `front_matter.KEY`, `mentions.KIND` (a count),
`sections.KIND` (a count), `format`, `genre` (what kind of page it is: "press_release" when
a wire dateline says so, else null).
"""

from __future__ import annotations

import os
from functools import lru_cache

from ..document.model import SECTION_KINDS

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: the check path does without `typing`
    from typing import Any

GRAMMAR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "condition.lark")
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
    with open(GRAMMAR, encoding="utf-8") as fh:
        grammar = fh.read()
    return Lark(grammar, parser="lalr", propagate_positions=True)


class Condition:
    """A compiled condition: a tree of plain records (`AnyOf`, `AllOf`, `Not`, `Compare`,
    `Contains`, `Literal`, `Name`) evaluated directly over `Facts`.

    Being data, it pickles for worker processes as it is and goes into the JSON rule-set
    cache as nested lists (`to_data`); nothing is generated or `eval`ed.  `reasons` says
    which names made it true, for a message that quotes its trigger.
    """

    __slots__ = ("tree",)

    def __init__(self, tree: Node):
        self.tree = tree

    def __call__(self, facts):
        return self.tree.value(facts)

    def reasons(self, facts) -> tuple[Name, ...]:
        """The names that made the condition true for this article, in the order written
        (empty when it is false, or true only by an absence: `not sections.disclaimer`)."""
        return self.tree.reasons(facts)

    def __eq__(self, other):
        return isinstance(other, Condition) and other.tree == self.tree

    __hash__ = None  # type: ignore[assignment]  # compared by value, as the tree is

    def __repr__(self) -> str:
        return f"Condition({self.tree!r})"

    def to_data(self) -> list:
        """The JSON form: each node a list, its tag first (see `from_data`)."""
        return self.tree.to_data()

    @classmethod
    def from_data(cls, data) -> Condition:
        """From the JSON form, checked node by node: a cache file that holds anything else
        raises ValueError."""
        return cls(_from_data(data))


class Node:
    """A node of a condition: immutable, compared by value, pickled by its fields.

    `value(facts)` is what the expression yields, as Python's own operators would (`or`
    gives the deciding value, not a bool); `reasons(facts)` the names that made it true."""

    __slots__ = ()
    FIELDS: tuple[str, ...] = ()  # the constructor's arguments, in order (the slots may be in any)

    def value(self, facts) -> Any:
        raise NotImplementedError

    def reasons(self, facts) -> tuple[Name, ...]:
        return ()

    def names(self) -> tuple[Name, ...]:
        """Every name the node reads, in the order written."""
        return ()

    def to_data(self) -> list:
        raise NotImplementedError

    def _fields(self) -> tuple:
        return tuple(getattr(self, field) for field in self.FIELDS)

    def __setattr__(self, name, value):
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __eq__(self, other):
        return type(other) is type(self) and other._fields() == self._fields()

    def __hash__(self):
        return hash((type(self).__name__, self._fields()))

    def __reduce__(self):
        return (type(self), self._fields())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(map(repr, self._fields()))})"


class Name(Node):
    """What an article offers: `mentions.KIND` (a count), `sections.KIND` (a count),
    `front_matter.KEY...`, `format`, `genre`."""

    __slots__ = ("keys", "root")
    FIELDS = ("root", "keys")
    root: str
    keys: tuple[str, ...]

    def __init__(self, root: str, keys: tuple[str, ...] = ()):
        object.__setattr__(self, "root", root)
        object.__setattr__(self, "keys", tuple(keys))

    def value(self, facts) -> Any:
        root = self.root
        if root == "mentions":
            return facts.mention_count(self.keys[0])
        if root == "front_matter":
            value: Any = facts.front_matter
            for k in self.keys:
                if not isinstance(value, dict):
                    return None
                value = value.get(k)
            return value
        if root == "sections":
            return facts.section_count(self.keys[0])
        if root == "format":
            return facts.format
        return facts.doc.genre

    def reasons(self, facts) -> tuple[Name, ...]:
        return (self,) if self.value(facts) else ()

    def names(self) -> tuple[Name, ...]:
        return (self,)

    def __str__(self) -> str:
        return ".".join((self.root, *self.keys))

    def to_data(self) -> list:
        tag = _TAGS[self.root]
        return [tag, *self.keys]


class Literal(Node):
    """A string, number, true, false or null."""

    __slots__ = ("literal",)
    FIELDS = ("literal",)
    literal: Any

    def __init__(self, literal):
        object.__setattr__(self, "literal", literal)

    def value(self, facts) -> Any:
        return self.literal

    def to_data(self) -> list:
        return ["lit", self.literal]


class Not(Node):
    """`not x`: true by an absence, so no name makes it true."""

    __slots__ = ("item",)
    FIELDS = ("item",)
    item: Node

    def __init__(self, item: Node):
        object.__setattr__(self, "item", item)

    def value(self, facts) -> bool:
        return not self.item.value(facts)

    def names(self) -> tuple[Name, ...]:
        return self.item.names()

    def to_data(self) -> list:
        return ["not", self.item.to_data()]


class _Junction(Node):
    """What `and` and `or` share: their parts, the names those read, their JSON form."""

    __slots__ = ("items",)
    FIELDS = ("items",)
    TAG = ""  # the JSON form's first element
    items: tuple[Node, ...]

    def __init__(self, items):
        object.__setattr__(self, "items", tuple(items))

    def names(self) -> tuple[Name, ...]:
        return tuple(name for n in self.items for name in n.names())

    def to_data(self) -> list:
        return [self.TAG, *(n.to_data() for n in self.items)]


class AllOf(_Junction):
    """`a and b ...`: the last value, or the first false one; made true by all its parts."""

    __slots__ = ()
    TAG = "and"

    def value(self, facts) -> Any:
        value: Any = True
        for n in self.items:
            value = n.value(facts)
            if not value:
                return value
        return value

    def reasons(self, facts) -> tuple[Name, ...]:
        out: tuple[Name, ...] = ()
        for n in self.items:
            if not n.value(facts):
                return ()
            out += n.reasons(facts)
        return out


class AnyOf(_Junction):
    """`a or b ...`: the first true value, or the last; made true by its first true part."""

    __slots__ = ()
    TAG = "or"

    def value(self, facts) -> Any:
        value: Any = False
        for n in self.items:
            value = n.value(facts)
            if value:
                return value
        return value

    def reasons(self, facts) -> tuple[Name, ...]:
        for n in self.items:
            if n.value(facts):
                return n.reasons(facts)
        return ()


class Compare(Node):
    """`a OP b` for ==, !=, <, <=, >, >=; values that cannot be ordered ("3" > 2) compare false."""

    __slots__ = ("left", "op", "right")
    FIELDS = ("op", "left", "right")
    op: str
    left: Node
    right: Node

    def __init__(self, op: str, left: Node, right: Node):
        object.__setattr__(self, "op", op)
        object.__setattr__(self, "left", left)
        object.__setattr__(self, "right", right)

    def value(self, facts) -> bool:
        a, b, op = self.left.value(facts), self.right.value(facts), self.op
        if op == "==":
            return a == b
        if op == "!=":
            return a != b
        try:
            return _ORDER[op](a, b)
        except TypeError:
            return False

    def reasons(self, facts) -> tuple[Name, ...]:
        return self.names() if self.value(facts) else ()

    def names(self) -> tuple[Name, ...]:
        return self.left.names() + self.right.names()

    def to_data(self) -> list:
        return ["cmp", self.op, self.left.to_data(), self.right.to_data()]


class Contains(Node):
    """`needle in haystack`; false when the haystack is null or holds no such thing."""

    __slots__ = ("haystack", "needle")
    FIELDS = ("needle", "haystack")
    needle: Node
    haystack: Node

    def __init__(self, needle: Node, haystack: Node):
        object.__setattr__(self, "needle", needle)
        object.__setattr__(self, "haystack", haystack)

    def value(self, facts) -> bool:
        needle, hay = self.needle.value(facts), self.haystack.value(facts)
        try:
            return needle in hay if hay is not None else False
        except TypeError:
            return False

    def reasons(self, facts) -> tuple[Name, ...]:
        return self.names() if self.value(facts) else ()

    def names(self) -> tuple[Name, ...]:
        return self.needle.names() + self.haystack.names()

    def to_data(self) -> list:
        return ["in", self.needle.to_data(), self.haystack.to_data()]


_ORDER = {">=": lambda a, b: a >= b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, "<": lambda a, b: a < b}
_OPS = ("==", "!=", "<", "<=", ">", ">=")
# the JSON tag of each kind of name, and back
_TAGS = {"front_matter": "fm", "mentions": "mention", "sections": "section", "format": "format", "genre": "genre"}
_ROOTS = {tag: root for root, tag in _TAGS.items()}
_ARITY = {"not": 1, "cmp": 3, "in": 2, "lit": 1, "mention": 1, "section": 1, "format": 0, "genre": 0}


def _from_data(data) -> Node:
    if not isinstance(data, (list, tuple)) or not data or not isinstance(data[0], str):
        raise ValueError("not a condition node")
    op, args = data[0], list(data[1:])
    if op in ("or", "and"):
        items = [_from_data(a) for a in args]
        return AnyOf(items) if op == "or" else AllOf(items)
    if op not in _ARITY and op != "fm":
        raise ValueError(f"unknown condition node {op!r}")
    if op != "fm" and len(args) != _ARITY[op]:
        raise ValueError(f"condition node {op!r} takes {_ARITY[op]} values")
    if op == "not":
        return Not(_from_data(args[0]))
    if op == "cmp":
        if args[0] not in _OPS:
            raise ValueError(f"unknown comparison {args[0]!r}")
        return Compare(args[0], _from_data(args[1]), _from_data(args[2]))
    if op == "in":
        return Contains(_from_data(args[0]), _from_data(args[1]))
    if op == "lit":
        if args[0] is not None and not isinstance(args[0], (bool, int, float, str)):
            raise ValueError("a condition literal is a string, number, true, false or null")
        return Literal(args[0])
    if not all(isinstance(a, str) for a in args):
        raise ValueError(f"condition node {op!r} takes names")
    return Name(_ROOTS[op], tuple(args))


def compile_condition(expr: str, mention_kinds: tuple[str, ...]) -> Condition:
    """Parse and compile; raise ConditionError with the column of the problem."""
    from lark.exceptions import (
        UnexpectedCharacters,
        UnexpectedEOF,
        UnexpectedInput,
        UnexpectedToken,
    )

    try:
        tree = _parser().parse(expr)
    except UnexpectedToken as exc:
        if exc.token.type == "$END":
            raise ConditionError("condition ends too early", len(expr) + 1) from None
        raise ConditionError(f"unexpected '{exc.token}' in condition", exc.column) from None
    except UnexpectedCharacters as exc:
        raise ConditionError(f"unexpected character '{expr[exc.pos_in_stream or 0]}' in condition", exc.column) from None
    except UnexpectedEOF:
        raise ConditionError("condition ends too early", len(expr) + 1) from None
    except UnexpectedInput as exc:  # pragma: no cover - other lark input errors
        raise ConditionError(str(exc).splitlines()[0], exc.column or 1) from None
    return Condition(_tree(tree, mention_kinds))


def _tree(node, kinds) -> Node:
    """The record for a parse-tree node (see `Condition`)."""
    from lark import Token

    if isinstance(node, Token):  # pragma: no cover - grammar wraps every token
        raise ConditionError(f"unexpected '{node}'", node.column or 1)
    data = node.data
    kids = node.children
    if data == "or_expr":
        return AnyOf(_tree(k, kinds) for k in kids)
    if data == "and_expr":
        return AllOf(_tree(k, kinds) for k in kids)
    if data == "negation":
        return Not(_tree(kids[0], kinds))
    if data == "compare":
        return Compare(str(kids[1]), _tree(kids[0], kinds), _tree(kids[2], kinds))
    if data == "contains":
        return Contains(_tree(kids[0], kinds), _tree(kids[1], kinds))
    if data == "string":
        import ast

        return Literal(ast.literal_eval(str(kids[0])))
    if data == "number":
        text = str(kids[0])
        return Literal(float(text) if "." in text else int(text))
    if data in ("true", "false", "null"):
        return Literal({"true": True, "false": False, "null": None}[data])
    if data == "path":
        names = [str(k) for k in kids]
        root = names[0]
        col = node.meta.column
        if root not in ROOTS:
            raise ConditionError(f"unknown name '{root}' (expected one of: {', '.join(ROOTS)})", col)
        if root in ("format", "genre"):
            if len(names) != 1:
                raise ConditionError(f"'{root}' has no fields", col)
            return Name(root)
        if len(names) != 2 and root != "front_matter":
            raise ConditionError(f"'{root}' needs exactly one field, e.g. {root}.{'ticker' if root == 'mentions' else 'disclaimer'}", col)
        if len(names) < 2:
            raise ConditionError(f"'{root}' needs a field, e.g. front_matter.sponsored", col)
        field = names[1]
        if root == "mentions":
            if field not in kinds:
                raise ConditionError(f"unknown mention '{field}' (expected one of: {', '.join(kinds)})", col)
            return Name("mentions", (field,))
        if root == "sections":
            if field not in SECTION_KINDS:
                raise ConditionError(f"unknown section '{field}' (expected one of: {', '.join(SECTION_KINDS)})", col)
            return Name("sections", (field,))
        return Name("front_matter", tuple(names[1:]))
    if len(kids) == 1:  # pragma: no cover - inlined by the grammar
        return _tree(kids[0], kinds)
    raise ConditionError(f"unsupported expression '{data}'", 1)  # pragma: no cover
