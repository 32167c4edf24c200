"""Fast, case-insensitive matching of many regexes over article text.

Python's `re` tries every alternative at every position; most article text matches none of
a rule's patterns.  Each pattern here carries the literals one of which every match must
contain, found by parsing the pattern itself (so user-written rules get them too), and a
pattern runs only when the lower-cased text contains one of them.
"""

from __future__ import annotations

import re


class LazyRegex:
    """A compiled regex that pickles as its source and compiles again only when used.

    The cached rule set (see ruleset/cache.py) holds hundreds of patterns; most never run
    on a given article (their literal gate fails), so start-up should not compile them.
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
        return (self.source, self.flags)

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


def required_literals(pattern: str) -> list[tuple[str, ...]] | None:
    """What every match of `pattern` must contain: a list of requirements, each a tuple of
    lower-cased literals one of which must occur.

    Worked out from the parsed pattern: a run of literal characters is required; a group of
    alternatives requires one of its branches' requirements; a repeat of at least one
    requires its body's.  Every requirement at the top level must hold, so the gate is their
    conjunction.  None when nothing useful (two characters or more) is required: the
    pattern then always runs.
    """
    try:
        from re import _parser as sre_parse  # Python >= 3.11
    except ImportError:  # pragma: no cover - Python 3.10
        import sre_parse  # type: ignore[no-redef]
    try:
        parsed = sre_parse.parse(pattern, re.IGNORECASE)
    except re.error:
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


def first_chars(pattern: str, ignore_case: bool) -> str | None:
    """The characters a match can start with, when the parsed pattern tells; else None."""
    try:
        from re import _parser as sre_parse  # Python >= 3.11
    except ImportError:  # pragma: no cover - Python 3.10
        import sre_parse  # type: ignore[no-redef]
    try:
        parsed = sre_parse.parse(pattern)
    except re.error:
        return None

    def of_sequence(items):
        for op, arg in items:
            if op is sre_parse.AT:
                continue
            if op is sre_parse.LITERAL:
                return {chr(arg)}
            if op is sre_parse.BRANCH:
                sets = [of_sequence(b) for b in arg[1]]
                return None if any(x is None for x in sets) else set().union(*sets)
            if op is sre_parse.SUBPATTERN:
                return of_sequence(arg[-1])
            if op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT) and arg[0] >= 1:
                return of_sequence(arg[2])
            return None
        return None

    chars = of_sequence(parsed)
    if not chars:
        return None
    if ignore_case:
        chars = {c for ch in chars for c in (ch.lower(), ch.upper())}
    return "".join(sorted(chars))


def with_first_char_lookahead(pattern) -> LazyRegex:
    """The same pattern behind `(?=[first characters])` when it opens with `\\b`.

    `re` cannot skip ahead over text for a pattern that starts with `\\b`; a look-ahead on a
    character class it can.  Matches are unchanged (the class holds every possible first
    character); scanning is about twice as fast.
    """
    pattern = LazyRegex.of(pattern)
    source = pattern.source
    if not source.startswith("\\b"):
        return pattern
    chars = first_chars(source, bool(pattern.flags & re.IGNORECASE))
    if not chars or len(chars) > 40:
        return pattern
    klass = "".join("\\" + c if c in "\\]^-[" else c for c in chars)
    return LazyRegex(f"(?=[{klass}])" + source, pattern.flags)


class GatedPattern:
    """A compiled pattern and its prefilter literals (None: always run)."""

    __slots__ = ("pattern", "requirements", "lexicon")

    def __init__(self, pattern):
        self.pattern = with_first_char_lookahead(pattern)
        self.requirements = required_literals(pattern.pattern)
        phrases = word_phrases(pattern.pattern, pattern.flags)
        self.lexicon = WordLexicon(phrases) if phrases else None

    def spans(self, text: str, lowered: str, tokens):
        """Match spans in `text`; `tokens` are `tokens_of(text)` (used by word lexicons)."""
        if not self.may_match(lowered):
            return []
        if self.lexicon is not None:
            return self.lexicon.spans(text, tokens)
        return [m.span() for m in self.pattern.finditer(text)]

    def may_match(self, lowered: str) -> bool:
        if self.requirements is None:
            return True
        for req in self.requirements:
            for lit in req:
                if lit in lowered:
                    break
            else:
                return False
        return True


_TOKEN = re.compile(r"\w+")


class Tokens:
    """The words of a text as offsets plus an index from lower-cased word to positions.

    Compact on purpose (two integer arrays and one small dict of distinct words): a 3 MB
    article has half a million words, and a list of tuples for them would dwarf the text.
    """

    __slots__ = ("starts", "ends", "index", "words_from", "lower_each")

    def __init__(self, text: str, lowered: str):
        from array import array

        self.starts = array("l")
        self.ends = array("l")
        self.index: dict[str, list[int]] = {}
        # offsets must be offsets into `text`: if lower-casing changed the length (rare
        # characters such as 'İ'), read words from `text` and lower-case them one by one
        same = len(lowered) == len(text)
        self.words_from = lowered if same else text
        self.lower_each = not same
        for i, m in enumerate(_TOKEN.finditer(self.words_from)):
            self.starts.append(m.start())
            self.ends.append(m.end())
            self.index.setdefault(m.group().lower(), []).append(i)

    def word(self, i: int) -> str:
        w = self.words_from[self.starts[i] : self.ends[i]]
        return w.lower() if self.lower_each else w


def tokens_of(text: str, lowered: str | None = None) -> Tokens:
    """Word tokens of `text` (offsets into it), matched case-insensitively."""
    return Tokens(text, text.lower() if lowered is None else lowered)


def word_phrases(pattern: str, flags: int) -> list[tuple[str, ...]] | None:
    """The phrases of a pattern shaped `\\b(?:one|two words|...)\\b`, for word-set matching.

    Such patterns (most lexicons) then match by looking words up in a dictionary instead of
    running the regex engine at every position.  None when the pattern has any other shape
    or is case-sensitive.
    """
    if not flags & re.IGNORECASE:
        return None
    try:
        from re import _parser as sre_parse  # Python >= 3.11
        from re._constants import AT_BOUNDARY, CATEGORY_SPACE, MAXREPEAT
    except ImportError:  # pragma: no cover - Python 3.10
        import sre_parse  # type: ignore[no-redef]
        from sre_constants import AT_BOUNDARY, CATEGORY_SPACE, MAXREPEAT  # type: ignore[no-redef]
    try:
        items = list(sre_parse.parse(pattern, flags))
    except re.error:
        return None
    if len(items) < 3 or items[0] != (sre_parse.AT, AT_BOUNDARY) or items[-1] != (sre_parse.AT, AT_BOUNDARY):
        return None
    middle = items[1:-1]
    if len(middle) == 1 and middle[0][0] is sre_parse.SUBPATTERN:
        middle = list(middle[0][1][-1])
    if len(middle) == 1 and middle[0][0] is sre_parse.BRANCH:
        branches = [list(b) for b in middle[0][1][1]]
    else:
        branches = [middle]

    def is_space(op, arg) -> bool:
        if op is not sre_parse.MAX_REPEAT or arg[0] != 1 or arg[1] != MAXREPEAT:
            return False
        body = list(arg[2])
        return len(body) == 1 and body[0][0] is sre_parse.IN and list(body[0][1]) == [(sre_parse.CATEGORY, CATEGORY_SPACE)]

    phrases = []
    for branch in branches:
        words, current = [], []
        for op, arg in branch:
            if op is sre_parse.LITERAL and (chr(arg).isalnum() or chr(arg) == "_"):
                current.append(chr(arg).lower())
            elif is_space(op, arg) and current:
                words.append("".join(current))
                current = []
            else:
                return None
        if not current:
            return None
        words.append("".join(current))
        phrases.append(tuple(words))
    return phrases


class WordLexicon:
    """Phrases matched on word tokens: `\\b(?:said|according to)\\b` without the regex engine."""

    __slots__ = ("by_first",)

    def __init__(self, phrases: list[tuple[str, ...]]):
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        for ph in phrases:
            self.by_first.setdefault(ph[0], []).append(ph)
        for lst in self.by_first.values():
            lst.sort(key=len, reverse=True)  # longest first, as the regex alternation would

    def spans(self, text: str, tokens: Tokens):
        """Phrase matches, in order, found from the positions of their first words."""
        found = []
        starts, ends, n = tokens.starts, tokens.ends, len(tokens.starts)
        for first, phrases in self.by_first.items():
            for i in tokens.index.get(first, ()):
                for ph in phrases:
                    k = len(ph)
                    if i + k > n:
                        continue
                    if all(
                        tokens.word(i + j) == ph[j] and text[ends[i + j - 1] : starts[i + j]].isspace()
                        for j in range(1, k)
                    ):
                        found.append((starts[i], ends[i + k - 1]))
                        break
        found.sort()
        # as the regex would: no overlapping matches, the earliest (and longest) wins
        out, last_end = [], -1
        for a, b in found:
            if a >= last_end:
                out.append((a, b))
                last_end = b
        return out


def backtracking_risk(pattern: str, flags: int = 0) -> str | None:
    """Why `pattern` may backtrack catastrophically, or None.

    Python's `re` cannot be interrupted, so a rule pattern like `(\\w+\\s*)*` could hang a
    pre-commit hook on one unlucky sentence.  Rejected at load time: a repeat of more than 10
    (`*`, `+`, `{n,}`) whose body holds an unbounded repeat and no punctuation character that
    must match in every round (the separator that keeps rounds apart, as `,` in
    `(?:,\\d+)*` or `(` in `(?:\\([^()]*\\))*`).  Bounded nesting such as `(?:\\w+ ){0,2}` passes.
    """
    try:
        from re import _parser as sre_parse  # Python >= 3.11
        from re._constants import MAXREPEAT
    except ImportError:  # pragma: no cover - Python 3.10
        import sre_parse  # type: ignore[no-redef]
        from sre_constants import MAXREPEAT  # type: ignore[no-redef]
    try:
        parsed = sre_parse.parse(pattern, flags)
    except re.error:
        return None

    def unbounded_inside(items) -> bool:
        for op, arg in items:
            if op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT):
                if arg[1] == MAXREPEAT or unbounded_inside(arg[2]):
                    return True
            elif op is sre_parse.SUBPATTERN and unbounded_inside(arg[-1]):
                return True
            elif op is sre_parse.BRANCH and any(unbounded_inside(b) for b in arg[1]):
                return True
        return False

    def separated(items) -> bool:
        for op, arg in items:
            if op is sre_parse.LITERAL and not (chr(arg).isalnum() or chr(arg) == "_" or chr(arg).isspace()):
                return True
            if op is sre_parse.SUBPATTERN and separated(arg[-1]):
                return True
        return False

    def walk(items) -> str | None:
        for op, arg in items:
            children = []
            if op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT):
                hi, body = arg[1], arg[2]
                if (hi == MAXREPEAT or hi > 10) and unbounded_inside(body) and not separated(body):
                    return "a repeated group contains an unbounded repeat (as in '(\\w+\\s*)*'), which can backtrack without end"
                children = [body]
            elif op is sre_parse.SUBPATTERN:
                children = [arg[-1]]
            elif op is sre_parse.BRANCH:
                children = arg[1]
            elif op in (sre_parse.ASSERT, sre_parse.ASSERT_NOT):
                children = [arg[1]]
            for child in children:
                found = walk(child)
                if found:
                    return found
        return None

    return walk(parsed)
