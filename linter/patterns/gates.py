"""Fast matching of many regexes over article text: the gates that let a pattern skip text.

Python's `re` tries every alternative at every position, and most article text matches
none of a rule's patterns.  Each pattern is analysed once, from copydesk's own reading of
its syntax (`syntax`; so user-written rules get the same treatment): the literals every
match must contain (a substring gate), the words every match must start with
(`first_words`: the pattern is then tried only where those words stand, see
`document.matchtext`), and the characters a match can start with (a look-ahead that lets
`re` skip ahead).  A pattern the reader cannot read gets no gate: it always runs.
"""

from __future__ import annotations

import re

from . import syntax
from .compile import LazyRegex
from .literals import holds, odd_case, required_literals, usable
from .syntax import (
    ANY,
    ASSERT,
    ASSERT_NOT,
    AT,
    AT_BEGINNING,
    AT_BEGINNING_STRING,
    AT_BOUNDARY,
    AT_END,
    AT_END_STRING,
    ATOMIC_GROUP,
    BRANCH,
    CATEGORY,
    DIGIT,
    GROUPREF_EXISTS,
    IN,
    LITERAL,
    MAX_REPEAT,
    MIN_REPEAT,
    NEGATE,
    NOT_DIGIT,
    NOT_LITERAL,
    NOT_WORD,
    POSSESSIVE_REPEAT,
    RANGE,
    SPACE,
    SUBPATTERN,
    WORD,
)
from .wordseq import word_list


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
        lowered = None if odd_case(text) else text.lower()  # None: no gate holds
        best = None
        for gated in self.patterns:
            if lowered is not None and not gated.may_match(lowered):
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


# categories a first-character class may hold: narrow enough for the look-ahead to skip text
_NARROW_CATEGORIES = {DIGIT: "\\d"}


def first_chars(pattern: str, ignore_case: bool) -> str | None:
    """The body of a character class holding every character a match can start with (single
    characters, and `\\d` where a match can start with any digit), when the parsed pattern
    tells; else None."""
    parsed = syntax.parsed(pattern, False)
    if parsed is None:
        return None

    def of_sequence(items):
        for op, arg in items:
            if op is AT or (op in (ASSERT, ASSERT_NOT) and arg[0] < 0):
                continue  # takes no characters: the match starts with what follows
            if op is LITERAL:
                return {chr(arg)}
            if op is IN:  # a class of literals, small ranges and digits, as [A-Z] or [$\\d]
                chars = set()
                for kind, value in arg:
                    if kind is LITERAL:
                        chars.add(chr(value))
                    elif kind is RANGE and value[1] - value[0] < 40:
                        chars.update(map(chr, range(value[0], value[1] + 1)))
                    elif kind is CATEGORY and value in _NARROW_CATEGORIES:
                        chars.add((CATEGORY, value))  # a tuple: apart from single characters
                    else:
                        return None
                return chars
            if op is BRANCH:
                sets = [of_sequence(b) for b in arg[1]]
                return None if any(x is None for x in sets) else set().union(*sets)
            if op is SUBPATTERN:
                return of_sequence(arg[-1])
            if op in (MAX_REPEAT, MIN_REPEAT) and arg[0] >= 1:
                return of_sequence(arg[2])
            return None
        return None

    found = of_sequence(parsed)
    if not found:
        return None
    categories = sorted(_NARROW_CATEGORIES[c[1]] for c in found if not isinstance(c, str))
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
    parsed = syntax.parsed(source, False)
    if (parsed is None or not len(parsed) or parsed[0][0] in (LITERAL, IN)
            or pattern.flags & re.VERBOSE or _LEADING_FLAGS.match(source)):
        return pattern
    klass = first_chars(source, bool(pattern.flags & re.IGNORECASE))
    if not klass or len(klass) > 40:
        return pattern
    return LazyRegex(f"(?=[{klass}])" + source, pattern.flags, literals=pattern.literals)


# Characters `re` matches case-insensitively with a letter whose `str.lower()` is another
# ('ſ' and 's', 'ı' and 'i', 'ς' and 'σ'; 'İ' lowers to two characters): lower-cased text,
# literals and words cannot stand for them, so text holding one is matched without gates,
# and a pattern spelling one gets none (tests/patterns derives the list from Unicode's data).
class GatedPattern:
    """A compiled pattern and what lets it skip text it cannot match.

    `requirements`: literals every match contains (None: always run).  `first_words`: for a
    pattern that starts with a spelled-out word, such as `\\b(?:said|according\\s+to)\\b`,
    the words a match must start with: it is then tried only where they stand (see
    `document.matchtext`).  `edge_anchored`: the pattern looks for the start or end of the
    text (`^`/`$` without multi-line mode, `\\A`, `\\Z`), so it must see one block at a time.
    `looks_across`: a look-around of the pattern can take a line break, so in text of
    several blocks joined by line breaks it could see past its own block.  `words`: for a
    pattern that is only a list of words (`wordseq`), its word sequences: it is then matched
    from the article's words and never compiled.
    """

    __slots__ = ("edge_anchored", "first_words", "looks_across", "pattern", "requirements", "words")

    def __init__(self, pattern):
        self.pattern = with_first_char_lookahead(pattern)
        self.first_words = first_words(pattern.pattern, pattern.flags)
        self.edge_anchored = edge_anchored(pattern.pattern, pattern.flags)
        self.looks_across = looks_across_lines(pattern.pattern, pattern.flags)
        requirements = required_literals(pattern.pattern)
        if requirements and self.first_words:
            # a literal inside every first word is already tested by finding the word
            requirements = [r for r in requirements if not all(any(lit in w for lit in r) for w in self.first_words)]
        if self.first_words and any(map(odd_case, self.first_words)):
            self.first_words = None  # lower-cased words cannot stand for it (see ODD_CASE_LETTERS)
        self.requirements = usable(requirements)
        words = word_list(pattern.pattern, pattern.flags) if self.first_words else None
        self.words = words if words is not None and words.firsts <= self.first_words else None

    def may_match(self, lowered: str) -> bool:
        """False only when `lowered` (the lower-cased text) holds no match."""
        return self.requirements is None or holds(self.requirements, lowered)


def edge_anchored(pattern: str, flags: int = 0) -> bool:
    """Does the pattern anchor at the start or end of the whole text?  (`^` and `$` only
    without multi-line mode; `\\A` and `\\Z` always.)  An unparsable pattern counts as anchored."""
    parsed = syntax.parsed(pattern, bool(flags & re.VERBOSE))
    if parsed is None:
        return True
    multiline = bool((flags | parsed.flags) & re.MULTILINE)
    whole_text = {AT_BEGINNING_STRING, AT_END_STRING}
    if not multiline:
        whole_text |= {AT_BEGINNING, AT_END}

    def walk(items) -> bool:
        for op, arg in items:
            if op is AT:
                if arg in whole_text:
                    return True
            elif op is SUBPATTERN:
                if walk(arg[-1]):
                    return True
            elif op is BRANCH:
                if any(walk(b) for b in arg[1]):
                    return True
            elif op in (MAX_REPEAT, MIN_REPEAT, POSSESSIVE_REPEAT):
                if walk(arg[2]):
                    return True
            elif op in (ASSERT, ASSERT_NOT):
                if walk(arg[1]):
                    return True
            elif op is GROUPREF_EXISTS and any(b is not None and walk(b) for b in arg[1:]):
                return True
        return False

    return walk(parsed)


def looks_across_lines(pattern: str, flags: int = 0) -> bool:
    """Can a look-around of the pattern (`(?<!\\bto\\s)`, `(?=\\s*-)`) take a line break?  Then,
    run over blocks joined by line breaks, it could see into the block before or after, so
    the pattern must see one block at a time.  An unparsable pattern counts as one that can."""
    parsed = syntax.parsed(pattern, bool(flags & re.VERBOSE))
    if parsed is None:
        return True

    def takes_newline(op, arg, dotall: bool) -> bool:
        if op is LITERAL:
            return arg == 10
        if op is NOT_LITERAL:
            return arg != 10
        if op is ANY:
            return dotall
        if op is IN:
            negate, found = False, False
            for kind, value in arg:
                if kind is NEGATE:
                    negate = True
                elif kind is LITERAL:
                    found = found or value == 10
                elif kind is RANGE:
                    found = found or value[0] <= 10 <= value[1]
                elif kind is CATEGORY:
                    found = found or value in (SPACE, NOT_WORD, NOT_DIGIT)
            return found != negate
        return op is not AT  # back-references and anything else: it may

    def walk(items, inside: bool, dotall: bool) -> bool:
        for op, arg in items:
            if op in (ASSERT, ASSERT_NOT):
                if walk(arg[1], True, dotall):
                    return True
            elif op is SUBPATTERN:
                inner = (dotall or bool(arg[1] & re.DOTALL)) and not arg[2] & re.DOTALL
                if walk(arg[3], inside, inner):
                    return True
            elif op is BRANCH:
                if any(walk(b, inside, dotall) for b in arg[1]):
                    return True
            elif op in (MAX_REPEAT, MIN_REPEAT, POSSESSIVE_REPEAT):
                if walk(arg[2], inside, dotall):
                    return True
            elif op is ATOMIC_GROUP:
                if walk(arg, inside, dotall):
                    return True
            elif op is GROUPREF_EXISTS:
                if any(b is not None and walk(b, inside, dotall) for b in arg[1:]):
                    return True
            elif inside and takes_newline(op, arg, dotall):
                return True
        return False

    return walk(list(parsed), False, bool((flags | parsed.flags) & re.DOTALL))


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
    parsed = syntax.parsed(pattern, bool(flags & re.VERBOSE))
    if parsed is None:
        return None
    items = list(parsed)

    def is_word_char(code: int) -> bool:
        ch = chr(code)
        return ch.isalnum() or ch == "_"

    def word_start(op, arg) -> bool:
        if (op, arg) == (AT, AT_BOUNDARY):
            return True
        if op is ASSERT_NOT and arg[0] < 0:  # (?<![-\w]): no word character before
            body = list(arg[1])
            return len(body) == 1 and body[0][0] is IN and (CATEGORY, WORD) in list(body[0][1])
        return False

    def ends_word(op, arg) -> bool:
        """An item that cannot match a word character, so a word before it is complete."""
        if op is LITERAL:
            return not is_word_char(arg)
        if op is IN:
            return all(
                (k is LITERAL and not is_word_char(v))
                or (k is CATEGORY and v in (SPACE, NOT_WORD))
                for k, v in arg
            )
        if op in (MAX_REPEAT, MIN_REPEAT) and arg[0] >= 1:
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
            if op is LITERAL and is_word_char(arg):
                prefix += chr(arg).lower()
            elif op is AT and arg is AT_BOUNDARY or ends_word(op, arg):
                return {prefix} if prefix else None
            elif op in (ASSERT, ASSERT_NOT) and not prefix:
                pass  # look-arounds at the start take no characters
            elif op is SUBPATTERN:
                return expand(list(arg[-1]) + seq[k + 1 :], 0, prefix)
            elif op is BRANCH:
                out: set[str] = set()
                for alternative in arg[1]:
                    found = expand(list(alternative) + seq[k + 1 :], 0, prefix)
                    if found is None:
                        return None
                    out |= found
                    if len(out) > limit:
                        raise TooMany
                return out
            elif op is MAX_REPEAT and (arg[0], arg[1]) == (0, 1):  # optional part
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


def outermost_spans(spans) -> list[tuple[int, int]]:
    """Sorted spans with those inside an earlier, longer one dropped: one finding or mention
    per phrase ("NASDAQ: AAPL" holds "AAPL"; "Zacks Rank #1 (Strong Buy)" holds "Strong Buy")."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans, key=lambda s: (s[0], -s[1])):
        if out and b <= out[-1][1]:
            continue
        out.append((a, b))
    return out
