"""Patterns that are only lists of words, matched from the article's words without `re`.

Most lexicon patterns are a list of words or phrases between word boundaries:
`\\b(?:said|says|according\\s+to)\\b`, `\\bdoubled?\\b`, `\\byear[- ]to[- ]date\\b`.  Their
matches are words the article's word index already holds, so such a pattern need not be
compiled at all (compiling is most of a one-article run's cost) nor run position by
position: `word_sequences` spells the pattern out as its word sequences, in the order `re`
would try them, and `match_at` finds at a word's position what `re.match` would find.

Only a pattern with this shape is spelled out: a word boundary, then words made of ASCII
word characters joined by whitespace runs (`\\s+`) or by literal non-word characters ("-",
"&", "."), through groups, alternatives, classes of such characters and bounded repeats,
then a word boundary; at most `LIMIT` sequences.  Anything else is None (the caller uses
the regex).  A match in text that is not ASCII is left to the regex too (`re`'s case folding
matches "ſ" to "s"; lower-casing does not).
"""

from __future__ import annotations

import re

from . import syntax
from .syntax import AT, AT_BOUNDARY, BRANCH, CATEGORY, IN, LITERAL, MAX_REPEAT, MIN_REPEAT, SPACE, SUBPATTERN

LIMIT = 2000  # sequences per pattern: more and the regex is the cheaper form
SPACES = "\\s+"  # the separator that stands for a run of whitespace
_SPACE_RUN = object()  # an atom: \s+
_WHITESPACE = re.compile(r"\s+")


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
            options = [(chr(arg),)]
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


def word_sequences(pattern: str, flags: int = 0) -> dict[str, tuple[tuple[str, ...], ...]] | None:
    """First word -> the pattern's word sequences that start with it, in `re`'s order of
    trying them; None when the pattern is not a word list (see the module docstring)."""
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
    out: dict[str, list[tuple[str, ...]]] = {}
    seen = set()
    for atoms in ways:
        tokens = _tokens(atoms, ignore_case)
        if tokens is None:
            return None
        if tokens not in seen:
            seen.add(tokens)
            out.setdefault(tokens[0].lower(), []).append(tokens)
    return {first: tuple(seqs) for first, seqs in out.items()} or None


def match_at(sequences: tuple[tuple[str, ...], ...], text: str, lowered: str | None, pos: int) -> int | None:
    """Where the first of `sequences` that stands at `pos` ends (`pos` starts a whole word
    equal to their first word, lower-cased); None when none does.  `lowered` is the
    lower-cased text (same length) for a case-insensitive pattern, None for a case-sensitive
    one.  Raises ValueError where a case-insensitive word meets text that is not ASCII: the
    caller asks the regex."""
    probe = text if lowered is None else lowered
    end_text = len(text)
    for seq in sequences:
        at = pos
        ok = True
        for k, token in enumerate(seq):
            if k % 2:  # a separator
                if token == SPACES:
                    m = _WHITESPACE.match(text, at)
                    if m is None:
                        ok = False
                        break
                    at = m.end()
                elif text.startswith(token, at):
                    at += len(token)
                else:
                    ok = False
                    break
            else:
                end = at + len(token)
                if lowered is not None and not text[at:end].isascii():
                    raise ValueError("not ASCII")
                if probe[at:end] != token or (end < end_text and _is_word_char(text[end])):
                    ok = False
                    break
                at = end
        if ok:
            return at
    return None
