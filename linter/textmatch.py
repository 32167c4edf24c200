"""Fast matching of many regexes over article text, and what makes it fast.

Python's `re` tries every alternative at every position, and most article text matches
none of a rule's patterns.  Each pattern is analysed once, from its parsed form (so
user-written rules get the same treatment): the literals every match must contain (a
substring gate), the words every match must start with (`first_words`: the pattern is then
tried only where those words stand, see `document.matchtext`), and the characters a match
can start with (a look-ahead that lets `re` skip ahead).  Patterns compile lazily: a run
compiles only the patterns an article gets past their gates.
"""

from __future__ import annotations

import re
from functools import lru_cache

try:  # the parser `re` itself uses (already loaded with `re`): the analyses read its trees
    from re import _parser as sre_parse  # Python >= 3.11
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse  # type: ignore[no-redef]

AT_BOUNDARY, CATEGORY_WORD, MAXREPEAT = sre_parse.AT_BOUNDARY, sre_parse.CATEGORY_WORD, sre_parse.MAXREPEAT


class LazyRegex:
    """A regex compiled on first use.

    A rule set holds hundreds of patterns and `re` parses them in pure Python, while one
    article needs few of them (most are skipped by their literal gates): each compiles
    only when it first runs.  It travels as its source and flags (the JSON rule-set cache,
    worker processes), never as a compiled program.
    """

    __slots__ = ("source", "flags", "_compiled")

    def __init__(self, source: str, flags: int = 0, compiled: re.Pattern[str] | None = None):
        self.source = source
        self.flags = flags
        self._compiled = compiled

    @classmethod
    def of(cls, pattern) -> "LazyRegex":
        if isinstance(pattern, LazyRegex):
            return pattern
        return cls(pattern.pattern, pattern.flags, pattern)

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.source, self.flags)
        return self._compiled

    @property
    def pattern(self) -> str:
        return self.source

    def search(self, *args):
        return self.compiled.search(*args)

    def match(self, *args):
        return self.compiled.match(*args)

    def finditer(self, *args):
        return self.compiled.finditer(*args)

    def __getstate__(self):
        return (self.source, int(self.flags))

    def __setstate__(self, state):
        self.source, self.flags = state
        self._compiled = None


class PatternSet:
    """Case-insensitive regexes searched one by one, each behind its literal gate.

    One big alternation is slower in Python's `re` than its parts, and most text matches
    none of them, so a few substring tests skip most searches outright.
    """

    __slots__ = ("patterns",)

    def __init__(self, patterns: tuple[str, ...]):
        self.patterns = [GatedPattern(LazyRegex(p, re.IGNORECASE | re.MULTILINE)) for p in patterns]

    def search(self, text: str) -> re.Match[str] | None:
        """The earliest match of any pattern."""
        lowered = text.lower()
        best = None
        for gated in self.patterns:
            if not gated.may_match(lowered):
                continue
            m = gated.pattern.search(text)
            if m and (best is None or m.start() < best.start()):
                best = m
        return best

    def match(self, text: str) -> re.Match[str] | None:
        for gated in self.patterns:
            m = gated.pattern.match(text)
            if m:
                return m
        return None


@lru_cache(maxsize=1024)
def _parsed(pattern: str, verbose: bool):
    """The parse tree of `pattern` (shared by the analyses below), or None when it is invalid.

    Case and multi-line flags do not change the tree; only verbose mode does.
    """
    try:
        return sre_parse.parse(pattern, re.VERBOSE if verbose else 0)
    except re.error:
        return None


def required_literals(pattern: str) -> list[tuple[str, ...]] | None:
    """What every match of `pattern` must contain: a list of requirements, each a tuple of
    lower-cased literals one of which must occur.

    Worked out from the parsed pattern: a run of literal characters is required; a group of
    alternatives requires one of its branches' requirements; a repeat of at least one
    requires its body's.  Every requirement at the top level must hold, so the gate is their
    conjunction.  None when nothing useful (two characters or more) is required: the
    pattern then always runs.
    """
    parsed = _parsed(pattern, False)
    if parsed is None:
        return None

    def score(req):
        return min(len(x.strip()) for x in req) if req else 0

    def of_item(op, arg):
        if op is sre_parse.BRANCH:
            alternatives = [best_of(of_sequence(b)) for b in arg[1]]
            if any(a is None for a in alternatives):
                return None
            return tuple(dict.fromkeys(x for a in alternatives for x in a))
        if op is sre_parse.SUBPATTERN:
            return best_of(of_sequence(arg[-1]))
        if op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT) and arg[0] >= 1:
            return best_of(of_sequence(arg[2]))
        return None

    def best_of(reqs):
        return max(reqs, key=score) if reqs else None

    def of_sequence(items) -> list[tuple[str, ...]]:
        reqs, run = [], []
        for op, arg in list(items) + [(None, None)]:
            if op is sre_parse.LITERAL:
                run.append(chr(arg))
                continue
            if op is sre_parse.AT:  # \b, ^, $ take no characters: a run goes on across them
                continue
            if run:
                reqs.append(("".join(run),))
                run = []
            if op is not None:
                req = of_item(op, arg)
                if req is not None:
                    reqs.append(req)
        return reqs

    useful = [tuple(x.lower() for x in r) for r in of_sequence(parsed) if score(r) >= 2]
    return useful or None


# categories a first-character class may hold: narrow enough for the look-ahead to skip text
_NARROW_CATEGORIES = {sre_parse.CATEGORY_DIGIT: "\\d"}


def first_chars(pattern: str, ignore_case: bool) -> str | None:
    """The body of a character class holding every character a match can start with (single
    characters, and `\\d` where a match can start with any digit), when the parsed pattern
    tells; else None."""
    parsed = _parsed(pattern, False)
    if parsed is None:
        return None

    def of_sequence(items):
        for op, arg in items:
            if op is sre_parse.AT or (op in (sre_parse.ASSERT, sre_parse.ASSERT_NOT) and arg[0] < 0):
                continue  # takes no characters: the match starts with what follows
            if op is sre_parse.LITERAL:
                return {chr(arg)}
            if op is sre_parse.IN:  # a class of literals, small ranges and digits, as [A-Z] or [$\\d]
                chars = set()
                for kind, value in arg:
                    if kind is sre_parse.LITERAL:
                        chars.add(chr(value))
                    elif kind is sre_parse.RANGE and value[1] - value[0] < 40:
                        chars.update(map(chr, range(value[0], value[1] + 1)))
                    elif kind is sre_parse.CATEGORY and value in _NARROW_CATEGORIES:
                        chars.add(value)
                    else:
                        return None
                return chars
            if op is sre_parse.BRANCH:
                sets = [of_sequence(b) for b in arg[1]]
                return None if any(x is None for x in sets) else set().union(*sets)
            if op is sre_parse.SUBPATTERN:
                return of_sequence(arg[-1])
            if op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT) and arg[0] >= 1:
                return of_sequence(arg[2])
            return None
        return None

    found = of_sequence(parsed)
    if not found:
        return None
    categories = sorted(_NARROW_CATEGORIES[c] for c in found if not isinstance(c, str))
    chars = {c for c in found if isinstance(c, str)}
    if ignore_case:
        chars = {c for ch in chars for c in (ch.lower(), ch.upper())}
    return "".join("\\" + c if c in "\\]^-[" else c for c in sorted(chars)) + "".join(categories)


# a leading group of global flags, as in "(?i)...", must stay first
_LEADING_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")


def with_first_char_lookahead(pattern) -> LazyRegex:
    """The same pattern behind `(?=[first characters])` when it does not open with a plain
    character or class.

    `re` skips ahead over text only for a pattern that opens with a literal or a character
    class; one that starts with `\\b`, a look-behind or a group of alternatives is tried at
    every position.  A look-ahead on a character class lets it skip.  Matches are unchanged
    (the class holds every possible first character); scanning is about twice as fast.
    """
    pattern = LazyRegex.of(pattern)
    source = pattern.source
    parsed = _parsed(source, False)
    if (parsed is None or not len(parsed) or parsed[0][0] in (sre_parse.LITERAL, sre_parse.IN)
            or pattern.flags & re.VERBOSE or _LEADING_FLAGS.match(source)):
        return pattern
    klass = first_chars(source, bool(pattern.flags & re.IGNORECASE))
    if not klass or len(klass) > 40:
        return pattern
    return LazyRegex(f"(?=[{klass}])" + source, pattern.flags)


class GatedPattern:
    """A compiled pattern and what lets it skip text it cannot match.

    `requirements`: literals every match contains (None: always run).  `first_words`: for a
    pattern that starts with a spelled-out word, such as `\\b(?:said|according\\s+to)\\b`,
    the words a match must start with: it is then tried only where they stand (see
    `document.matchtext`).  `edge_anchored`: the pattern looks for the start or end of the
    text (`^`/`$` without multi-line mode, `\\A`, `\\Z`), so it must see one block at a time.
    """

    __slots__ = ("pattern", "requirements", "first_words", "edge_anchored")

    def __init__(self, pattern):
        self.pattern = with_first_char_lookahead(pattern)
        self.first_words = first_words(pattern.pattern, pattern.flags)
        self.edge_anchored = edge_anchored(pattern.pattern, pattern.flags)
        requirements = required_literals(pattern.pattern)
        if requirements and self.first_words:
            # a literal inside every first word is already tested by finding the word
            requirements = [r for r in requirements if not all(any(lit in w for lit in r) for w in self.first_words)]
        self.requirements = requirements or None

    def may_match(self, lowered: str) -> bool:
        """False only when `lowered` (the lower-cased text) holds no match."""
        if self.requirements is None:
            return True
        for req in self.requirements:
            for lit in req:
                if lit in lowered:
                    break
            else:
                return False
        return True


def edge_anchored(pattern: str, flags: int = 0) -> bool:
    """Does the pattern anchor at the start or end of the whole text?  (`^` and `$` only
    without multi-line mode; `\\A` and `\\Z` always.)  An unparsable pattern counts as anchored."""
    parsed = _parsed(pattern, bool(flags & re.VERBOSE))
    if parsed is None:
        return True
    multiline = bool((flags | parsed.state.flags) & re.MULTILINE)
    whole_text = {sre_parse.AT_BEGINNING_STRING, sre_parse.AT_END_STRING}
    if not multiline:
        whole_text |= {sre_parse.AT_BEGINNING, sre_parse.AT_END}

    def walk(items) -> bool:
        for op, arg in items:
            if op is sre_parse.AT:
                if arg in whole_text:
                    return True
            elif op is sre_parse.SUBPATTERN:
                if walk(arg[-1]):
                    return True
            elif op is sre_parse.BRANCH:
                if any(walk(b) for b in arg[1]):
                    return True
            elif op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT, getattr(sre_parse, "POSSESSIVE_REPEAT", None)):
                if walk(arg[2]):
                    return True
            elif op in (sre_parse.ASSERT, sre_parse.ASSERT_NOT):
                if walk(arg[1]):
                    return True
            elif op is sre_parse.GROUPREF_EXISTS:
                if any(b is not None and walk(b) for b in arg[1:]):
                    return True
        return False

    return walk(parsed)


def first_words(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """The lower-cased words one of which every match of `pattern` starts with, as a whole word.

    Known when the pattern opens at a word start (`\\b`, or a look-behind such as `(?<![-\\w])`
    that excludes word characters) and its first word is spelled out, through groups,
    alternatives and optional parts: `\\b(?:said|told|according\\s+to)\\b` -> {said, told,
    according}; `\\bdoubled?\\b` -> {double, doubled}.  Such patterns (most lexicons) then
    run only where those words stand, found in the article's word index, instead of
    scanning every position.  None when the pattern has any other shape (or the word list
    would exceed a few thousand spellings).
    """
    parsed = _parsed(pattern, bool(flags & re.VERBOSE))
    if parsed is None:
        return None
    items = list(parsed)

    def is_word_char(code: int) -> bool:
        ch = chr(code)
        return ch.isalnum() or ch == "_"

    def word_start(op, arg) -> bool:
        if (op, arg) == (sre_parse.AT, AT_BOUNDARY):
            return True
        if op is sre_parse.ASSERT_NOT and arg[0] < 0:  # (?<![-\w]): no word character before
            body = list(arg[1])
            return len(body) == 1 and body[0][0] is sre_parse.IN and (sre_parse.CATEGORY, CATEGORY_WORD) in list(body[0][1])
        return False

    def ends_word(op, arg) -> bool:
        """An item that cannot match a word character, so a word before it is complete."""
        if op is sre_parse.LITERAL:
            return not is_word_char(arg)
        if op is sre_parse.IN:
            return all(
                (k is sre_parse.LITERAL and not is_word_char(v))
                or (k is sre_parse.CATEGORY and v in (sre_parse.CATEGORY_SPACE, sre_parse.CATEGORY_NOT_WORD))
                for k, v in arg
            )
        if op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT) and arg[0] >= 1:
            body = list(arg[2])
            return len(body) == 1 and ends_word(*body[0])
        return False

    limit = 5000

    class TooMany(Exception):
        pass

    def expand(seq: list, k: int, prefix: str) -> set[str] | None:
        """Complete first words reachable from item `k` of `seq` with `prefix` already read."""
        while k < len(seq):
            op, arg = seq[k]
            if op is sre_parse.LITERAL and is_word_char(arg):
                prefix += chr(arg).lower()
            elif op is sre_parse.AT and arg is AT_BOUNDARY or ends_word(op, arg):
                return {prefix} if prefix else None
            elif op in (sre_parse.ASSERT, sre_parse.ASSERT_NOT) and not prefix:
                pass  # look-arounds at the start take no characters
            elif op is sre_parse.SUBPATTERN:
                return expand(list(arg[-1]) + seq[k + 1 :], 0, prefix)
            elif op is sre_parse.BRANCH:
                out: set[str] = set()
                for alternative in arg[1]:
                    found = expand(list(alternative) + seq[k + 1 :], 0, prefix)
                    if found is None:
                        return None
                    out |= found
                    if len(out) > limit:
                        raise TooMany
                return out
            elif op is sre_parse.MAX_REPEAT and (arg[0], arg[1]) == (0, 1):  # optional part
                with_it = expand(list(arg[2]) + seq[k + 1 :], 0, prefix)
                without = expand(seq, k + 1, prefix)
                if with_it is None or without is None:
                    return None
                return with_it | without
            else:
                return None
            k += 1
        return None  # the word could go on past the end of the pattern

    if not items or not word_start(*items[0]):
        return None
    try:
        words = expand(items, 1, "")
    except TooMany:
        return None
    return frozenset(words) if words and "" not in words else None


def safe_compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile`, refusing (as `re.error`) a pattern that `backtracking_risk` rejects: for
    options that hold one raw regex, so a rule file gets its one-line error."""
    risk = backtracking_risk(pattern, flags) if isinstance(pattern, str) else None
    if risk:
        raise re.error(f"unsafe pattern {pattern!r}: {risk}")
    return re.compile(pattern, flags)


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
    parsed = _parsed(pattern, bool(flags & re.VERBOSE))
    if parsed is None:
        return None
    chars = _Chars(bool((flags | parsed.state.flags) & re.IGNORECASE))
    try:
        return chars.walk(list(parsed), 1, top=True)
    except RecursionError:  # pragma: no cover - nesting deeper than any rule needs
        return "the pattern is nested too deeply to check"


_REPEATS = (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT)
_ZERO_WIDTH = (sre_parse.AT, sre_parse.ASSERT, sre_parse.ASSERT_NOT)
# a sample of the characters articles hold: Latin-1 and Latin Extended, and typical others
_SAMPLE = frozenset(map(chr, range(0x250))) | frozenset("\u2009\u200b\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u20ac\u0416\u03b1\u0663\u3000\u4e00\ufeff")
_CATEGORY_TEST = {
    sre_parse.CATEGORY_DIGIT: str.isdecimal,
    sre_parse.CATEGORY_SPACE: str.isspace,
    sre_parse.CATEGORY_WORD: lambda c: c.isalnum() or c == "_",
}
_NOT_CATEGORY = {
    sre_parse.CATEGORY_NOT_DIGIT: sre_parse.CATEGORY_DIGIT,
    sre_parse.CATEGORY_NOT_SPACE: sre_parse.CATEGORY_SPACE,
    sre_parse.CATEGORY_NOT_WORD: sre_parse.CATEGORY_WORD,
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
        if op not in (sre_parse.LITERAL, sre_parse.NOT_LITERAL, sre_parse.ANY, sre_parse.IN):
            return None
        key = (self.ignore_case, op, tuple(arg) if isinstance(arg, list) else arg)
        found = _ATOMS.get(key)
        if found is None:
            found = _ATOMS[key] = _mask(self._atom_chars(op, arg))
        return found

    def _atom_chars(self, op, arg) -> frozenset:
        if op is sre_parse.LITERAL:
            return self._fold((chr(arg),))
        if op is sre_parse.NOT_LITERAL:
            return _SAMPLE - self._fold((chr(arg),))
        if op is sre_parse.ANY:
            return _SAMPLE
        negate, out = False, set()
        for kind, value in arg:
            if kind is sre_parse.NEGATE:
                negate = True
            elif kind is sre_parse.LITERAL:
                out.add(chr(value))
            elif kind is sre_parse.RANGE:
                lo, hi = value
                out.update(c for c in _SAMPLE if lo <= ord(c) <= hi)
            elif kind is sre_parse.CATEGORY:
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
            elif op is sre_parse.SUBPATTERN:
                out |= self.chars(arg[-1])
            elif op is sre_parse.BRANCH:
                for alt in arg[1]:
                    out |= self.chars(alt)
            elif op in _REPEATS or op is getattr(sre_parse, "POSSESSIVE_REPEAT", None):
                out |= self.chars(arg[2])
            elif op is getattr(sre_parse, "ATOMIC_GROUP", None):
                out |= self.chars(arg)
            elif op not in _ZERO_WIDTH:  # back-references and the like: anything
                out |= _ALL
        return out

    def nullable(self, items) -> bool:
        return all(self._item_nullable(op, arg) for op, arg in items)

    def _item_nullable(self, op, arg) -> bool:
        if self.atom(op, arg) is not None:
            return False
        if op is sre_parse.SUBPATTERN:
            return self.nullable(arg[-1])
        if op is sre_parse.BRANCH:
            return any(self.nullable(alt) for alt in arg[1])
        if op in _REPEATS or op is getattr(sre_parse, "POSSESSIVE_REPEAT", None):
            return arg[0] == 0 or self.nullable(arg[2])
        if op is getattr(sre_parse, "ATOMIC_GROUP", None):
            return self.nullable(arg)
        return True  # zero-width items, back-references (may be empty)

    def first(self, items, reverse: bool = False) -> int:
        """The characters a match of `items` can start with (end with, when `reverse`)."""
        out = 0
        for op, arg in (reversed(items) if reverse else items):
            single = self.atom(op, arg)
            if single is not None:
                return out | single
            if op is sre_parse.SUBPATTERN:
                out |= self.first(list(arg[-1]), reverse)
            elif op is sre_parse.BRANCH:
                for alt in arg[1]:
                    out |= self.first(list(alt), reverse)
            elif op in _REPEATS or op is getattr(sre_parse, "POSSESSIVE_REPEAT", None):
                out |= self.first(list(arg[2]), reverse)
            elif op is getattr(sre_parse, "ATOMIC_GROUP", None):
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
            elif op is sre_parse.SUBPATTERN and self.flexible(arg[-1]):
                return True
            elif op is sre_parse.BRANCH and any(self.flexible(alt) for alt in arg[1]):
                return True
        return False

    def unbounded(self, items) -> bool:
        for op, arg in items:
            if op in _REPEATS:
                if arg[1] == MAXREPEAT or self.unbounded(arg[2]):
                    return True
            elif op is sre_parse.SUBPATTERN and self.unbounded(arg[-1]):
                return True
            elif op is sre_parse.BRANCH and any(self.unbounded(alt) for alt in arg[1]):
                return True
        return False

    # -- the checks ---------------------------------------------------------------------
    def walk(self, items: list, rounds, top: bool = False) -> str | None:
        """Check every repeat in `items`; `rounds`: how often the enclosing repeats can run
        (MAXREPEAT when without bound)."""
        found = self.in_a_row(items)
        if found:
            return found
        for op, arg in items:
            children: list = []
            if op in _REPEATS:
                lo, hi, body = arg
                body = list(body)
                total = MAXREPEAT if MAXREPEAT in (hi, rounds) else hi * rounds
                if hi >= 2:
                    if (total == MAXREPEAT or total > 10) and self.overlapping_alternatives(body, self.first(body)):
                        return _OVERLAP
                    if total == MAXREPEAT or total > 3:
                        if self.flexible(body) and not self.fenced(body):
                            return _NESTED if self.unbounded(body) else _VARYING
                found = self.walk(body, total)
                if found:
                    return found
            elif op is sre_parse.SUBPATTERN:
                children = [list(arg[-1])]
            elif op is sre_parse.BRANCH:
                children = [list(alt) for alt in arg[1]]
            elif op in (sre_parse.ASSERT, sre_parse.ASSERT_NOT):
                children = [list(arg[1])]
            elif op is getattr(sre_parse, "ATOMIC_GROUP", None):
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
            if op in _REPEATS and arg[1] == MAXREPEAT:
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
            if op is sre_parse.BRANCH:
                alts = [list(alt) for alt in arg[1]]
                if sum(1 for alt in alts if self.nullable(alt)) > 1:
                    return True
                starts = [self.first(alt) | (follow if self.nullable(alt) else 0) for alt in alts]
                for j, a in enumerate(starts):
                    if any(a & b for b in starts[j + 1 :]):
                        return True
                if any(self.overlapping_alternatives(alt, follow) for alt in alts):
                    return True
            elif op is sre_parse.SUBPATTERN or (op in _REPEATS and arg[1] == 1):
                if self.overlapping_alternatives(list(arg[-1]), follow):
                    return True
        return False

    def _flat(self, items) -> list:
        """The items of a round in order, groups opened and zero-width items dropped."""
        out = []
        for op, arg in items:
            if op is sre_parse.SUBPATTERN:
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


def outermost_spans(spans) -> list[tuple[int, int]]:
    """Sorted spans with those inside an earlier, longer one dropped: one finding or mention
    per phrase ("NASDAQ: AAPL" holds "AAPL"; "Zacks Rank #1 (Strong Buy)" holds "Strong Buy")."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans, key=lambda s: (s[0], -s[1])):
        if out and b <= out[-1][1]:
            continue
        out.append((a, b))
    return out
