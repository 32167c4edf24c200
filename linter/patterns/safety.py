"""The safety check: rule patterns that could backtrack without end are refused at load time.

Worked out on copydesk's own reading of the pattern (`syntax`), never `re`'s internals.
"""

from __future__ import annotations

import re

from . import syntax
from .syntax import (
    ANY,
    ASSERT,
    ASSERT_NOT,
    AT,
    ATOMIC_GROUP,
    BRANCH,
    CATEGORY,
    DIGIT,
    IN,
    LITERAL,
    MAX_REPEAT,
    MIN_REPEAT,
    NEGATE,
    NOT_DIGIT,
    NOT_LITERAL,
    NOT_SPACE,
    NOT_WORD,
    POSSESSIVE_REPEAT,
    RANGE,
    SPACE,
    SUBPATTERN,
    UNBOUNDED,
    WORD,
)


def backtracking_risk(pattern: str, flags: int = 0) -> str | None:
    r"""Why `pattern` may backtrack catastrophically, or None.

    Python's `re` cannot be interrupted, so a rule pattern that backtracks without end would
    hang a pre-commit hook or a CI job on one unlucky (or hostile) article.  Refused at load
    time, from the parsed pattern and the characters each part can take (`_Chars`):

    - a repeat of more than 10 rounds holding alternatives that can start the same way, or
      two that can match nothing (`(a|a)*`, `(a|aa)+`): every split tries every choice;
    - a group repeated more than three times holding a repeat of varying count (`*`, `+`,
      `?`, `{0,3}`) and no fence: a required part that nothing of varying length in the
      round can take (`(.*,){10}`, `(\w+\s*)*`, `(?:.{0,3})+`): the rounds can divide the
      text in exponentially (or n^10) many ways.
      A separator the repeat cannot take keeps rounds apart, as `,` in `(?:,\d+)*`, `)` in
      `(?:\([^()]*\))*` or the space in `(?:\w+\s+){0,3}`;
    - two unbounded repeats in a row over shared characters with nothing required between
      them (`\w+\w+`, `\s*(?:x)?\s*`).

    Bounded nesting such as `(?:\w+ ){0,2}` passes.  An invalid pattern is left to `re`.
    """
    parsed = syntax.parsed(pattern, bool(flags & re.VERBOSE))
    if parsed is None:
        return None
    chars = _Chars(bool((flags | parsed.flags) & re.IGNORECASE))
    try:
        return chars.walk(list(parsed), 1, top=True)
    except RecursionError:  # pragma: no cover - nesting deeper than any rule needs
        return "the pattern is nested too deeply to check"


_REPEATS = (MAX_REPEAT, MIN_REPEAT)
_ZERO_WIDTH = (AT, ASSERT, ASSERT_NOT)
# a sample of the characters articles hold: Latin-1 and Latin Extended, and typical others
_SAMPLE = frozenset(map(chr, range(0x250))) | frozenset("\u2009\u200b\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u20ac\u0416\u03b1\u0663\u3000\u4e00\ufeff")
_CATEGORY_TEST = {
    DIGIT: str.isdecimal,
    SPACE: str.isspace,
    WORD: lambda c: c.isalnum() or c == "_",
}
_NOT_CATEGORY = {
    NOT_DIGIT: DIGIT,
    NOT_SPACE: SPACE,
    NOT_WORD: WORD,
}
_OVERLAP = "alternatives that can match the same text are repeated (as in '(a|aa)+'), which can backtrack without end"
_NESTED = "a repeated group contains an unbounded repeat (as in '(\\w+\\s*)*'), which can backtrack without end"
_VARYING = ("a repeated group holds a repeat of varying count and nothing that keeps rounds apart (as in "
            "'(?:.{0,3})+'), which can backtrack without end")
_SEQUENCE = "two unbounded repeats in a row can take the same characters (as in '\\w+\\w+'), which can backtrack without end"


_BIT = {c: 1 << i for i, c in enumerate(sorted(_SAMPLE))}
_ALL = (1 << len(_BIT)) - 1
_ATOMS: dict = {}  # (ignore case, op, arg) -> the mask of an atom: the check runs often on a cache miss


def _mask(chars) -> int:
    out = 0
    for c in chars:
        out |= _BIT.get(c, 0)
    return out


class _Chars:
    """The characters parts of a parsed pattern can take, as bit masks over `_SAMPLE`, and
    the checks of `backtracking_risk` built on them."""

    def __init__(self, ignore_case: bool):
        self.ignore_case = ignore_case

    def _fold(self, chars) -> frozenset:
        if not self.ignore_case:
            return frozenset(chars)
        return frozenset(c for ch in chars for c in (ch, ch.lower(), ch.upper()) if len(c) == 1)

    def atom(self, op, arg) -> int | None:
        """The mask of a one-character item, or None when `op` is not one."""
        if op not in (LITERAL, NOT_LITERAL, ANY, IN):
            return None
        key = (self.ignore_case, op, tuple(arg) if isinstance(arg, list) else arg)
        found = _ATOMS.get(key)
        if found is None:
            found = _ATOMS[key] = _mask(self._atom_chars(op, arg))
        return found

    def _atom_chars(self, op, arg) -> frozenset:
        if op is LITERAL:
            return self._fold((chr(arg),))
        if op is NOT_LITERAL:
            return _SAMPLE - self._fold((chr(arg),))
        if op is ANY:
            return _SAMPLE
        negate, out = False, set()
        for kind, value in arg:
            if kind is NEGATE:
                negate = True
            elif kind is LITERAL:
                out.add(chr(value))
            elif kind is RANGE:
                lo, hi = value
                out.update(c for c in _SAMPLE if lo <= ord(c) <= hi)
            elif kind is CATEGORY:
                if value in _CATEGORY_TEST:
                    out.update(filter(_CATEGORY_TEST[value], _SAMPLE))
                elif value in _NOT_CATEGORY:
                    test = _CATEGORY_TEST[_NOT_CATEGORY[value]]
                    out.update(c for c in _SAMPLE if not test(c))
                else:
                    out.update(_SAMPLE)
            else:
                out.update(_SAMPLE)
        folded = self._fold(out)
        return _SAMPLE - folded if negate else folded

    # -- what a sequence can take, start and end with, and whether it can match nothing ----
    def chars(self, items) -> int:
        out = 0
        for op, arg in items:
            single = self.atom(op, arg)
            if single is not None:
                out |= single
            elif op is SUBPATTERN:
                out |= self.chars(arg[-1])
            elif op is BRANCH:
                for alt in arg[1]:
                    out |= self.chars(alt)
            elif op in _REPEATS or op is POSSESSIVE_REPEAT:
                out |= self.chars(arg[2])
            elif op is ATOMIC_GROUP:
                out |= self.chars(arg)
            elif op not in _ZERO_WIDTH:  # back-references and the like: anything
                out |= _ALL
        return out

    def nullable(self, items) -> bool:
        return all(self._item_nullable(op, arg) for op, arg in items)

    def _item_nullable(self, op, arg) -> bool:
        if self.atom(op, arg) is not None:
            return False
        if op is SUBPATTERN:
            return self.nullable(arg[-1])
        if op is BRANCH:
            return any(self.nullable(alt) for alt in arg[1])
        if op in _REPEATS or op is POSSESSIVE_REPEAT:
            return arg[0] == 0 or self.nullable(arg[2])
        if op is ATOMIC_GROUP:
            return self.nullable(arg)
        return True  # zero-width items, back-references (may be empty)

    def first(self, items, reverse: bool = False) -> int:
        """The characters a match of `items` can start with (end with, when `reverse`)."""
        out = 0
        for op, arg in (reversed(items) if reverse else items):
            single = self.atom(op, arg)
            if single is not None:
                return out | single
            if op is SUBPATTERN:
                out |= self.first(list(arg[-1]), reverse)
            elif op is BRANCH:
                for alt in arg[1]:
                    out |= self.first(list(alt), reverse)
            elif op in _REPEATS or op is POSSESSIVE_REPEAT:
                out |= self.first(list(arg[2]), reverse)
            elif op is ATOMIC_GROUP:
                out |= self.first(list(arg), reverse)
            elif op not in _ZERO_WIDTH:
                out |= _ALL
            if not self._item_nullable(op, arg):
                return out
        return out

    def flexible(self, items) -> bool:
        """Does `items` hold a repeat whose count can vary (`*`, `+`, `?`, `{0,3}`): the
        parts that let rounds of an enclosing repeat divide text in more than one way."""
        for op, arg in items:
            if op in _REPEATS:
                if arg[0] != arg[1] or self.flexible(arg[2]):
                    return True
            elif op is SUBPATTERN and self.flexible(arg[-1]) or op is BRANCH and any(self.flexible(alt) for alt in arg[1]):
                return True
        return False

    def unbounded(self, items) -> bool:
        for op, arg in items:
            if op in _REPEATS:
                if arg[1] == UNBOUNDED or self.unbounded(arg[2]):
                    return True
            elif op is SUBPATTERN and self.unbounded(arg[-1]) or op is BRANCH and any(self.unbounded(alt) for alt in arg[1]):
                return True
        return False

    # -- the checks ---------------------------------------------------------------------
    def walk(self, items: list, rounds, top: bool = False) -> str | None:
        """Check every repeat in `items`; `rounds`: how often the enclosing repeats can run
        (UNBOUNDED when without bound)."""
        found = self.in_a_row(items)
        if found:
            return found
        for op, arg in items:
            children: list = []
            if op in _REPEATS:
                _, hi, body = arg
                body = list(body)
                total = UNBOUNDED if UNBOUNDED in (hi, rounds) else hi * rounds
                if hi >= 2:
                    if (total == UNBOUNDED or total > 10) and self.overlapping_alternatives(body, self.first(body)):
                        return _OVERLAP
                    if (total == UNBOUNDED or total > 3) and self.flexible(body) and not self.fenced(body):
                        return _NESTED if self.unbounded(body) else _VARYING
                found = self.walk(body, total)
                if found:
                    return found
            elif op is SUBPATTERN:
                children = [list(arg[-1])]
            elif op is BRANCH:
                children = [list(alt) for alt in arg[1]]
            elif op in (ASSERT, ASSERT_NOT):
                children = [list(arg[1])]
            elif op is ATOMIC_GROUP:
                children = [list(arg)]
            for child in children:
                found = self.walk(child, rounds)
                if found:
                    return found
        return None

    def in_a_row(self, items: list) -> str | None:
        """An unbounded repeat right before another (only zero-width items between), where the
        first can end with what the second starts with: every split between them is tried."""
        last = None  # the characters the previous unbounded repeat can end with
        for op, arg in items:
            if op in _ZERO_WIDTH:
                continue
            if op in _REPEATS and arg[1] == UNBOUNDED:
                if last is not None and last & self.first(list(arg[2])):
                    return _SEQUENCE
                last = self.first(list(arg[2]), reverse=True)
            else:
                last = None
        return None

    def overlapping_alternatives(self, items: list, after: int) -> bool:
        """Alternatives (anywhere in `items` outside nested repeats) that can start alike;
        `after`: what can follow `items` (the next round)."""
        for i, (op, arg) in enumerate(items):
            rest = items[i + 1 :]
            follow = self.first(rest) | (after if self.nullable(rest) else 0)
            if op is BRANCH:
                alts = [list(alt) for alt in arg[1]]
                if sum(1 for alt in alts if self.nullable(alt)) > 1:
                    return True
                starts = [self.first(alt) | (follow if self.nullable(alt) else 0) for alt in alts]
                for j, a in enumerate(starts):
                    if any(a & b for b in starts[j + 1 :]):
                        return True
                if any(self.overlapping_alternatives(alt, follow) for alt in alts):
                    return True
            elif (op is SUBPATTERN or (op in _REPEATS and arg[1] == 1)) and self.overlapping_alternatives(list(arg[-1]), follow):
                return True
        return False

    def _flat(self, items) -> list:
        """The items of a round in order, groups opened and zero-width items dropped."""
        out = []
        for op, arg in items:
            if op is SUBPATTERN:
                out += self._flat(arg[-1])
            elif op not in _ZERO_WIDTH:
                out.append((op, arg))
        return out

    def fenced(self, items: list) -> bool:
        """Does every round hold a required part (the fence) that no part of varying length
        (`flexible`) can take, so rounds cannot trade characters?  A fence that itself
        varies (a repeat of one character class) also needs required neighbours (in the
        round, or the next or previous round) that cannot take its characters."""
        flat = self._flat(items)
        flexible = [k for k, item in enumerate(flat) if self.flexible([item])]
        for k, item in enumerate(flat):
            if self._item_nullable(*item):
                continue
            takes = self.chars([item])
            if any(self.chars([flat[u]]) & takes for u in flexible if u != k):
                continue
            if k not in flexible:
                return True
            op, arg = item
            if not (op in _REPEATS and len(arg[2]) == 1 and self.atom(*arg[2][0]) is not None):
                continue
            if self._neighbour_apart(flat, k, takes, 1) and self._neighbour_apart(flat, k, takes, -1):
                return True
        return False

    def _neighbour_apart(self, flat: list, k: int, takes: int, step: int) -> bool:
        """The nearest required item from `k` in direction `step` (around the round) is
        another item, and it and the optional items on the way cannot take `takes`."""
        n = len(flat)
        for d in range(1, n):
            item = flat[(k + step * d) % n]
            if self.chars([item]) & takes:
                return False
            if not self._item_nullable(*item):
                return True
        return False
