"""copydesk's own reader of regular-expression syntax, for the analyses of patterns.

The gates (`gates`) and the safety check (`safety`) need a pattern's structure: the
literals, words and characters a match must hold, the repeats it nests.  Python's `re`
keeps its parser private (`re._parser`), free to change in any release, so copydesk reads
the syntax itself: a small recursive-descent parser of Python's regex syntax building a
tree of `(op, argument)` items (sequences are lists).  The tree has the shape `re`'s own
parser gives (common prefixes of alternatives factored out, alternatives of single
characters made a class, plain groups opened), so the analyses' results are those of the
old code, pattern for pattern (tests/patterns).  A pattern it cannot read raises
`Unsupported`: callers then use no gate, which is always sound.
"""

from __future__ import annotations

import re
from functools import lru_cache

# items: (op, argument)
LITERAL = "LITERAL"  # a code point
NOT_LITERAL = "NOT_LITERAL"  # [^x]: a code point
ANY = "ANY"  # .: None
IN = "IN"  # a class: [(LITERAL, c) | (RANGE, (lo, hi)) | (CATEGORY, name) | (NEGATE, None) first]
RANGE = "RANGE"
CATEGORY = "CATEGORY"
NEGATE = "NEGATE"
AT = "AT"  # a position: one of the AT_ names
BRANCH = "BRANCH"  # (None, [sequence, ...])
SUBPATTERN = "SUBPATTERN"  # (group number or None, flags added, flags removed, sequence)
MAX_REPEAT = "MAX_REPEAT"  # (min, max, sequence); max UNBOUNDED for * + {m,}
MIN_REPEAT = "MIN_REPEAT"  # the same, lazy (*? +? ?? {m,n}?)
POSSESSIVE_REPEAT = "POSSESSIVE_REPEAT"  # the same, possessive (*+ ++ ?+)
ASSERT = "ASSERT"  # (1 ahead | -1 behind, sequence)
ASSERT_NOT = "ASSERT_NOT"
ATOMIC_GROUP = "ATOMIC_GROUP"  # sequence
GROUPREF = "GROUPREF"  # group number
GROUPREF_EXISTS = "GROUPREF_EXISTS"  # (group number, yes sequence, no sequence or None)

AT_BEGINNING, AT_END = "AT_BEGINNING", "AT_END"  # ^ $
AT_BEGINNING_STRING, AT_END_STRING = "AT_BEGINNING_STRING", "AT_END_STRING"  # \A \Z
AT_BOUNDARY, AT_NON_BOUNDARY = "AT_BOUNDARY", "AT_NON_BOUNDARY"  # \b \B

DIGIT, NOT_DIGIT = "DIGIT", "NOT_DIGIT"
SPACE, NOT_SPACE = "SPACE", "NOT_SPACE"
WORD, NOT_WORD = "WORD", "NOT_WORD"

UNBOUNDED = 1 << 32  # the max of an open-ended repeat: more than any count `re` accepts
REPEATS = (MAX_REPEAT, MIN_REPEAT, POSSESSIVE_REPEAT)


class Unsupported(ValueError):
    """Not a pattern this reader understands (or not a valid pattern)."""


class Seq(list):
    """A sequence of items, equal only to itself: alternatives share a prefix item only when
    it is a simple one (a character, class or position), as `re` factors them."""

    def __eq__(self, other):
        return self is other

    def __ne__(self, other):
        return self is not other

    # list declares `__hash__ = None`; a Seq is hashed by identity, as it is compared
    __hash__ = object.__hash__  # type: ignore[assignment]


class Parsed:
    """A parsed pattern: its top-level sequence and its flags (those given and any inline
    global ones, `(?i)` at the start)."""

    __slots__ = ("flags", "items")

    def __init__(self, items: Seq, flags: int):
        self.items = items
        self.flags = flags

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)

    def __getitem__(self, k):
        return self.items[k]


_ESCAPES = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92}
_CLASSES = {"d": DIGIT, "D": NOT_DIGIT, "s": SPACE, "S": NOT_SPACE, "w": WORD, "W": NOT_WORD}
_POSITIONS = {"A": AT_BEGINNING_STRING, "b": AT_BOUNDARY, "B": AT_NON_BOUNDARY, "Z": AT_END_STRING}
_FLAGS = {"i": re.IGNORECASE, "L": re.LOCALE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE,
          "a": re.ASCII, "u": re.UNICODE}
_TYPE_FLAGS = re.ASCII | re.LOCALE | re.UNICODE
_SPECIAL = ".\\[{()*+?^$|"
_DIGITS = "0123456789"
_OCTAL = "01234567"
_HEX = "0123456789abcdefABCDEF"
_WHITESPACE = " \t\n\r\v\f"
_ASCII_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_TOKENS = re.compile(r"\\.|.", re.DOTALL)  # a pattern's tokens: escapes whole


def parse(pattern: str, flags: int = 0) -> Parsed:
    """The tree of `pattern`; `Unsupported` when it cannot be read."""
    if not isinstance(pattern, str):
        raise Unsupported("only text patterns are read")
    reader = _Reader(pattern, flags)
    try:
        items = reader.alternatives(bool(flags & re.VERBOSE), 0)
    except RecursionError:
        raise Unsupported("nested too deeply") from None
    if reader.peek() is not None:
        raise Unsupported("unbalanced parenthesis")
    if reader.condition_refs and max(reader.condition_refs) >= reader.groups:
        raise Unsupported("invalid group reference")
    return Parsed(items, reader.flags)


class _Reader:
    def __init__(self, text: str, flags: int):
        self.tokens = _TOKENS.findall(text)
        if self.tokens and self.tokens[-1] == "\\":
            raise Unsupported("bad escape (end of pattern)")
        self.end = len(self.tokens)
        self.pos = 0  # in tokens
        self.flags = flags
        self.groups = 1  # the next group's number
        self.names: dict[str, int] = {}
        self.open: set[int] = set()
        self.condition_refs: list[int] = []

    # -- tokens: a character, or a backslash and the character after it ----------------
    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < self.end else None

    def get(self) -> str | None:
        if self.pos < self.end:
            self.pos += 1
            return self.tokens[self.pos - 1]
        return None

    def need(self, message: str) -> str:
        """The next token; `Unsupported(message)` at the end of the pattern."""
        token = self.get()
        if token is None:
            raise Unsupported(message)
        return token

    def match(self, char: str) -> bool:
        if self.pos < self.end and self.tokens[self.pos] == char:
            self.pos += 1
            return True
        return False

    def take_while(self, limit: int, allowed: str) -> str:
        out = ""
        while len(out) < limit:
            token = self.peek()
            if token is None or token not in allowed:
                break
            self.pos += 1
            out += token
        return out

    def until(self, end: str) -> str:
        out = ""
        while True:
            token = self.get()
            if token is None:
                raise Unsupported("missing " + end)
            if token == end:
                if not out:
                    raise Unsupported("missing group name")
                return out
            out += token

    # -- escapes ------------------------------------------------------------------------
    def _code_escape(self, escape: str):
        """\\x, \\u, \\U and \\N escapes as a code point, or None for another escape."""
        c = escape[1]
        if c in "xuU":
            digits = self.take_while({"x": 2, "u": 4, "U": 8}[c], _HEX)
            if len(digits) != {"x": 2, "u": 4, "U": 8}[c]:
                raise Unsupported("incomplete escape " + escape + digits)
            code = int(digits, 16)
            if code > 0x10FFFF:
                raise Unsupported("bad escape " + escape + digits)
            return code
        if c == "N":
            import unicodedata

            if not self.match("{"):
                raise Unsupported("missing {")
            name = self.until("}")
            try:
                return ord(unicodedata.lookup(name))
            except (KeyError, TypeError):
                raise Unsupported("undefined character name " + name) from None
        return None

    def class_escape(self, escape: str):
        c = escape[1]
        if c in _ESCAPES:
            return (LITERAL, _ESCAPES[c])
        if c in _CLASSES:
            return (CATEGORY, _CLASSES[c])
        code = self._code_escape(escape)
        if code is not None:
            return (LITERAL, code)
        if c in _OCTAL:
            value = int(c + self.take_while(2, _OCTAL), 8)
            if value > 0o377:
                raise Unsupported("octal escape out of range")
            return (LITERAL, value)
        if c in _DIGITS or c in _ASCII_LETTERS:
            raise Unsupported("bad escape " + escape)
        return (LITERAL, ord(c))

    def escape(self, escape: str):
        c = escape[1]
        if c in _POSITIONS:
            return (AT, _POSITIONS[c])
        if c in _CLASSES:
            return (IN, [(CATEGORY, _CLASSES[c])])
        if c in _ESCAPES:
            return (LITERAL, _ESCAPES[c])
        code = self._code_escape(escape)
        if code is not None:
            return (LITERAL, code)
        if c == "0":
            return (LITERAL, int(c + self.take_while(2, _OCTAL), 8))
        if c in _DIGITS:
            digits = c + self.take_while(1, _DIGITS)
            if len(digits) == 2:
                third = self.take_while(1, _OCTAL) if digits[0] in _OCTAL and digits[1] in _OCTAL else ""
                if third:
                    digits += third
                    value = int(digits, 8)
                    if value > 0o377:
                        raise Unsupported("octal escape out of range")
                    return (LITERAL, value)
            group = int(digits)
            if group >= self.groups or group in self.open:
                raise Unsupported("invalid group reference")
            return (GROUPREF, group)
        if c in _ASCII_LETTERS:
            raise Unsupported("bad escape " + escape)
        return (LITERAL, ord(c))

    # -- structure ----------------------------------------------------------------------
    def alternatives(self, verbose: bool, nested: int) -> Seq:
        """`a|b|c`, with the shared leading items of the alternatives moved before them and
        alternatives of one character each made one class."""
        branches: list[Seq] = []
        while True:
            branches.append(self.sequence(verbose, nested + 1, not nested and not branches))
            if not self.match("|"):
                break
            if not nested:
                verbose = bool(self.flags & re.VERBOSE)
        if len(branches) == 1:
            return branches[0]
        out = Seq()
        while all(branches) and all(b[0] == branches[0][0] for b in branches[1:]):
            prefix = branches[0][0]
            for b in branches:
                del b[0]
            out.append(prefix)
        members: list = []
        for b in branches:
            if len(b) != 1:
                break
            op, arg = b[0]
            if op == LITERAL:
                members.append((op, arg))
            elif op == IN and arg[0][0] != NEGATE:
                members.extend(arg)
            else:
                break
        else:
            out.append((IN, list(dict.fromkeys(members))))
            return out
        out.append((BRANCH, (None, branches)))
        return out

    def sequence(self, verbose: bool, nested: int, first: bool = False) -> Seq:
        items = Seq()
        tokens, end = self.tokens, self.end
        while self.pos < end:
            token = tokens[self.pos]
            if token == "|" or token == ")":
                break
            self.pos += 1
            if verbose:
                if token in _WHITESPACE:
                    continue
                if token == "#":
                    while True:
                        token = self.get()
                        if token is None or token == "\n":
                            break
                    continue
            if token[0] == "\\":
                items.append(self.escape(token))
            elif token not in _SPECIAL:
                items.append((LITERAL, ord(token)))
            elif token == "[":
                items.append(self.char_class())
            elif token in "*+?{":
                if not self.repeat(token, items):
                    items.append((LITERAL, ord(token)))
            elif token == ".":
                items.append((ANY, None))
            elif token == "(":
                if self.group(items, verbose, nested, first):
                    verbose = bool(self.flags & re.VERBOSE)
            elif token == "^":
                items.append((AT, AT_BEGINNING))
            elif token == "$":
                items.append((AT, AT_END))
            else:  # pragma: no cover - every special character is handled above
                raise Unsupported("unexpected " + token)
        for i in range(len(items) - 1, -1, -1):  # plain groups opened
            op, arg = items[i]
            if op == SUBPATTERN and arg[0] is None and not arg[1] and not arg[2]:
                items[i : i + 1] = arg[3]
        return items

    def char_class(self):
        members: list = []
        negate = self.match("^")
        while True:
            token = self.get()
            if token is None:
                raise Unsupported("unterminated character set")
            if token == "]" and members:
                break
            first = self.class_escape(token) if token[0] == "\\" else (LITERAL, ord(token))
            if self.match("-"):
                token2 = self.get()
                if token2 is None:
                    raise Unsupported("unterminated character set")
                if token2 == "]":
                    members.append(first)
                    members.append((LITERAL, ord("-")))
                    break
                second = self.class_escape(token2) if token2[0] == "\\" else (LITERAL, ord(token2))
                if first[0] != LITERAL or second[0] != LITERAL or second[1] < first[1]:
                    raise Unsupported("bad character range")
                members.append((RANGE, (first[1], second[1])))
            else:
                members.append(first)
        members = list(dict.fromkeys(members))
        if len(members) == 1 and members[0][0] == LITERAL:
            return (NOT_LITERAL, members[0][1]) if negate else members[0]
        if negate:
            members.insert(0, (NEGATE, None))
        return (IN, members)

    def repeat(self, token: str, items: Seq) -> bool:
        """Make the last item a repeat; False when `{` does not open a count (a literal)."""
        if token == "?":
            lo, hi = 0, 1
        elif token == "*":
            lo, hi = 0, UNBOUNDED
        elif token == "+":
            lo, hi = 1, UNBOUNDED
        else:
            if self.peek() == "}":
                return False
            here = self.pos
            low = self.take_while(1 << 30, _DIGITS)
            if self.match(","):
                high = self.take_while(1 << 30, _DIGITS)
            else:
                high = low
            if not self.match("}"):
                self.pos = here
                return False
            lo = int(low) if low else 0
            hi = int(high) if high else UNBOUNDED
            if lo >= UNBOUNDED - 1 or (high and hi >= UNBOUNDED - 1):
                raise Unsupported("the repetition number is too large")
            if hi < lo:
                raise Unsupported("min repeat greater than max repeat")
        if not items or items[-1][0] == AT:
            raise Unsupported("nothing to repeat")
        if items[-1][0] in REPEATS:
            raise Unsupported("multiple repeat")
        op, arg = items[-1]
        body = arg[3] if op == SUBPATTERN and arg[0] is None and not arg[1] and not arg[2] else Seq([items[-1]])
        if self.match("?"):
            kind = MIN_REPEAT
        elif self.match("+"):
            kind = POSSESSIVE_REPEAT
        else:
            kind = MAX_REPEAT
        items[-1] = (kind, (lo, hi, body))
        return True

    def group(self, items: Seq, verbose: bool, nested: int, first: bool) -> bool:
        """Read a group after its `(`; True when it was a global flag group (`(?x)`)."""
        capture, atomic, name, add, remove = True, False, None, 0, 0
        if self.match("?"):
            char = self.get()
            if char is None:
                raise Unsupported("unexpected end of pattern")
            if char == "P":
                if self.match("<"):
                    name = self.until(">")
                    if not name.isidentifier():
                        raise Unsupported("bad character in group name")
                elif self.match("="):
                    ref = self.until(")")
                    group = self.names.get(ref)
                    if group is None or group in self.open:
                        raise Unsupported("unknown group name")
                    items.append((GROUPREF, group))
                    return False
                else:
                    raise Unsupported("unknown extension ?P")
            elif char == ":":
                capture = False
            elif char == "#":
                while True:
                    token = self.get()
                    if token is None:
                        raise Unsupported("missing ), unterminated comment")
                    if token == ")":
                        return False
            elif char in "=!<":
                direction = 1
                if char == "<":
                    char = self.get()
                    if char is None or char not in "=!":
                        raise Unsupported("unknown extension ?<")
                    direction = -1
                body = self.alternatives(verbose, nested + 1)
                if not self.match(")"):
                    raise Unsupported("missing ), unterminated subpattern")
                items.append((ASSERT if char == "=" else ASSERT_NOT, (direction, body)))
                return False
            elif char == "(":
                ref = self.until(")")
                if ref.isidentifier():
                    group = self.names.get(ref)
                    if group is None:
                        raise Unsupported("unknown group name")
                else:
                    if not (ref.isdecimal() and ref.isascii()) or not int(ref):
                        raise Unsupported("bad group number")
                    group = int(ref)
                    self.condition_refs.append(group)
                yes = self.sequence(verbose, nested + 1)
                no = None
                if self.match("|"):
                    no = self.sequence(verbose, nested + 1)
                    if self.peek() == "|":
                        raise Unsupported("conditional backref with more than two branches")
                if not self.match(")"):
                    raise Unsupported("missing ), unterminated subpattern")
                items.append((GROUPREF_EXISTS, (group, yes, no)))
                return False
            elif char == ">":
                capture, atomic = False, True
            elif char in _FLAGS or char == "-":
                scoped = self.inline_flags(char)
                if scoped is None:
                    if not first or items:
                        raise Unsupported("global flags not at the start of the expression")
                    return True
                add, remove = scoped
                capture = False
            else:
                raise Unsupported("unknown extension ?" + char)
        group = None
        if capture:
            group = self.groups
            self.groups += 1
            if name is not None:
                if name in self.names:
                    raise Unsupported("redefinition of group name")
                self.names[name] = group
            self.open.add(group)
        inner_verbose = (verbose or bool(add & re.VERBOSE)) and not remove & re.VERBOSE
        body = self.alternatives(inner_verbose, nested + 1)
        if not self.match(")"):
            raise Unsupported("missing ), unterminated subpattern")
        if group is not None:
            self.open.discard(group)
        items.append((ATOMIC_GROUP, body) if atomic else (SUBPATTERN, (group, add, remove, body)))
        return False

    def inline_flags(self, char: str):
        """`(?imsx)` (None: global, added to the pattern's flags) or `(?i-m:...)`'s
        (added, removed)."""
        add = remove = 0
        if char != "-":
            while True:
                if char == "L":
                    raise Unsupported("cannot use 'L' flag with a str pattern")
                add |= _FLAGS[char]
                if (_FLAGS[char] & _TYPE_FLAGS) and (add & _TYPE_FLAGS) != _FLAGS[char]:
                    raise Unsupported("flags 'a', 'u' and 'L' are incompatible")
                char = self.need("missing -, : or )")
                if char in ")-:":
                    break
                if char not in _FLAGS:
                    raise Unsupported("unknown flag")
        if char == ")":
            self.flags |= add
            return None
        if char == "-":
            char = self.need("missing flag")
            if char not in _FLAGS:
                raise Unsupported("missing flag")
            while True:
                if _FLAGS[char] & _TYPE_FLAGS:
                    raise Unsupported("cannot turn off flags 'a', 'u' and 'L'")
                remove |= _FLAGS[char]
                char = self.need("missing :")
                if char == ":":
                    break
                if char not in _FLAGS:
                    raise Unsupported("unknown flag")
        if add & remove:
            raise Unsupported("flag turned on and off")
        return add, remove


@lru_cache(maxsize=1024)
def parsed(pattern: str, verbose: bool = False) -> Parsed | None:
    """The tree of `pattern` (shared by the analyses), or None when this reader cannot read
    it (the analyses then give no gate).  Case and multi-line flags do not change the tree;
    only verbose mode does."""
    try:
        return parse(pattern, re.VERBOSE if verbose else 0)
    except Unsupported:
        return None
