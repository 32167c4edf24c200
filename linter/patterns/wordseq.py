"""Patterns that are only lists of words, matched from the article's words without `re`.

Most lexicon patterns are a list of words or phrases between word boundaries:
`\\b(?:said|says|according\\s+to)\\b`, `\\bdoubled?\\b`, `\\byear[- ]to[- ]date\\b`.  Their
matches are words the article's word index already holds, so such a pattern need not be
compiled at all (compiling is a large part of a one-article run) nor run position by
position: `spelled_out` gives the pattern's word sequences in the order `re` would try
them, `word_list` puts them in a trie per first word, and `match_at` finds at a word's position what `re.match`
would find.

Only a pattern with this shape is spelled out: a word boundary, then words made of ASCII
word characters joined by whitespace runs (`\\s+`) or by literal non-word characters ("-",
"&", "."), through groups, alternatives, classes of such characters and bounded repeats,
then a word boundary; at most `LIMIT` sequences.  Anything else is None (the caller uses
the regex).  Lower-casing stands for `re`'s case folding, so text holding one of the letters
where it does not ('ſ', 'İ': `literals.odd_case`) is not for `match_at`: the caller matches
it with the regex (as `document.matchtext` does).
"""

from __future__ import annotations

import re

from . import syntax
from .syntax import (
    AT,
    AT_BOUNDARY,
    BRANCH,
    CATEGORY,
    IN,
    LITERAL,
    MAX_REPEAT,
    MIN_REPEAT,
    SPACE,
    SUBPATTERN,
)

LIMIT = 2000  # sequences per pattern: more and the regex is the cheaper form
SPACES = "\\s+"  # the separator that stands for a run of whitespace
_SPACE_RUN = object()  # an atom: \s+
_WHITESPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


class _Unsupported(Exception):
    pass


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _atoms(items, budget: list[int]) -> list[tuple]:
    """Every way through `items` as a tuple of atoms (characters or _SPACE_RUN), in the order
    `re` tries them (alternatives in order; a greedy repeat longest first)."""
    ways: list[tuple] = [()]
    for op, arg in items:
        if op == LITERAL:
            options: list[tuple] = [(chr(arg),)]
        elif op == IN:
            if not all(kind == LITERAL for kind, _ in arg):
                raise _Unsupported
            options = [(chr(code),) for _, code in arg]
        elif op == BRANCH:
            options = [w for alt in arg[1] for w in _atoms(alt, budget)]
        elif op == SUBPATTERN:
            _group, add_flags, del_flags, body = arg
            if add_flags or del_flags:
                raise _Unsupported
            options = _atoms(body, budget)
        elif op in (MAX_REPEAT, MIN_REPEAT):
            lo, hi, body = arg
            if lo == 1 and hi == syntax.UNBOUNDED and list(body) == [(IN, [(CATEGORY, SPACE)])]:
                options = [(_SPACE_RUN,)]
            elif hi <= 3:
                inner = _atoms(body, budget)
                counts = range(hi, lo - 1, -1) if op == MAX_REPEAT else range(lo, hi + 1)
                options = []
                for n in counts:
                    reps: list[tuple] = [()]
                    for _ in range(n):
                        reps = [r + w for r in reps for w in inner]
                    options.extend(reps)
            else:
                raise _Unsupported
        else:
            raise _Unsupported
        ways = [w + o for w in ways for o in options]
        if len(ways) > budget[0]:
            raise _Unsupported
    return ways


def _tokens(atoms: tuple, ignore_case: bool) -> tuple[str, ...] | None:
    """Atoms as (word, separator, word, ...); None when they are not words joined by one
    separator each (two separators in a row, or one at either end)."""
    out: list[str] = []
    word, sep = "", ""
    for a in atoms:
        if a is _SPACE_RUN:
            if not word or sep:
                return None
            out.append(word)
            word, sep = "", SPACES
            continue
        if not a.isascii():
            return None
        if _is_word_char(a):
            if sep:
                out.append(sep)
                sep = ""
            word += a.lower() if ignore_case else a
        else:
            if not word and not out:
                return None  # a separator first: the opening \b would need a word after it
            if word:
                out.append(word)
                word = ""
            if sep == SPACES:
                return None
            sep += a
    if sep or not word:
        return None
    out.append(word)
    return tuple(out)


class WordList:
    """A word-list pattern spelled out.

    `firsts`: the lower-cased first words (looked up in the article's word index).
    `tries`: first word (lower-cased when `ignore_case`, else as written) -> what may follow
    it, as nested dicts: a word's node maps "" to the rank (in `re`'s order of trying) of
    the sequence that ends there and each separator to the words that may follow it, each
    with its own node.  `single`: every sequence is one word, so a match is a whole word of
    the text and there is nothing to try.
    """

    __slots__ = ("firsts", "ignore_case", "single", "tries")

    def __init__(self, sequences: list[tuple[str, ...]], ignore_case: bool):
        self.ignore_case = ignore_case
        self.firsts = frozenset(seq[0].lower() for seq in sequences)
        self.single = all(len(seq) == 1 for seq in sequences)
        self.tries: dict[str, dict] = {}
        for rank, seq in enumerate(sequences):
            node = self.tries.setdefault(seq[0], {})
            for k in range(1, len(seq), 2):
                node = node.setdefault(seq[k], {}).setdefault(seq[k + 1], {})
            node.setdefault("", rank)  # an earlier spelling of the same words ranks first


def spelled_out(pattern: str, flags: int = 0) -> tuple[list[tuple[str, ...]], bool] | None:
    """The pattern's word sequences in `re`'s order of trying them, and whether case is
    ignored; None when the pattern is not a word list (see the module docstring)."""
    try:
        parsed = syntax.parse(pattern, flags)
    except syntax.Unsupported:
        return None
    all_flags = flags | parsed.flags
    if all_flags & ~(re.IGNORECASE | re.UNICODE | re.MULTILINE | re.DOTALL):  # the last two: no ^ $ . to change
        return None
    items = list(parsed)
    if len(items) < 3 or items[0] != (AT, AT_BOUNDARY) or items[-1] != (AT, AT_BOUNDARY):
        return None
    ignore_case = bool(all_flags & re.IGNORECASE)
    try:
        ways = _atoms(items[1:-1], [LIMIT])
    except (_Unsupported, RecursionError):
        return None
    out: list[tuple[str, ...]] = []
    seen = set()
    for atoms in ways:
        tokens = _tokens(atoms, ignore_case)
        if tokens is None:
            return None
        if tokens not in seen:
            seen.add(tokens)
            out.append(tokens)
    return (out, ignore_case) if out else None


def word_list(pattern: str, flags: int = 0) -> WordList | None:
    """The pattern as a WordList, or None when it is not one (see the module docstring)."""
    found = spelled_out(pattern, flags)
    return None if found is None else WordList(*found)


def match_at(node: dict, text: str, lowered: str | None, at: int, stop: int | None = None) -> int | None:
    """Where the match that `re` would find ends, given the node of the first word (from
    `WordList.tries`) and `at`, where that word (a whole word of the text) ends; None when no
    sequence stands there.  `lowered` is the lower-cased text (same length) for a
    case-insensitive list, None for a case-sensitive one; `stop` ends the stretch a match
    must stay in (a block of the article text).  The text holds no odd-case letter (see the
    module docstring)."""
    if stop is None:
        stop = len(text)
    best_rank, best_end = None, None
    todo = [(node, at)]
    while todo:
        node, at = todo.pop()
        rank = node.get("")
        if rank is not None and (best_rank is None or rank < best_rank):
            best_rank, best_end = rank, at
        for sep, words in node.items():
            if not sep:
                continue
            if sep == SPACES:
                m = _WHITESPACE.match(text, at, stop)
                if m is None:
                    continue
                start = m.end()
            elif text.startswith(sep, at, stop):
                start = at + len(sep)
            else:
                continue
            m = _WORD.match(text, start, stop)
            if m is None:
                continue
            end = m.end()
            child = words.get(m.group() if lowered is None else lowered[start:end])
            if child is not None:
                todo.append((child, end))
    return best_end
