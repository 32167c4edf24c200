"""What a pattern's every match must contain, and the text where that cannot be told.

`required_literals` reads a pattern (`syntax`) for the literals every match holds: the gates
(`gates.GatedPattern`, `compile.LazyRegex`) look for them in lower-cased text before running
the regex.  Lower-casing stands for `re`'s case folding except for a few letters
(`ODD_CASE_LETTERS`: 'İ', 'ſ', ...); text holding one of them is matched without gates.
"""

from __future__ import annotations

import re

from . import syntax
from .syntax import AT, BRANCH, LITERAL, MAX_REPEAT, MIN_REPEAT, SUBPATTERN

ODD_CASE_LETTERS = ("\u00b5\u0130\u0131\u017f\u0345\u03c2\u03d0\u03d1\u03d5\u03d6\u03f0\u03f1\u03f5"
                    "\u1c80-\u1c88\u1e9b\u1fbe\ufb05\ufb06")  # a character class's body
_odd_case = None


def odd_case(text: str) -> bool:
    """Does `text` hold one of `ODD_CASE_LETTERS`?  (ASCII text, most articles, never does.)"""
    global _odd_case
    if text.isascii():
        return False
    if _odd_case is None:
        _odd_case = re.compile(f"[{ODD_CASE_LETTERS}]")
    return _odd_case.search(text) is not None


def required_literals(pattern: str) -> list[tuple[str, ...]] | None:
    """What every match of `pattern` must contain: a list of requirements, each a tuple of
    lower-cased literals one of which must occur.

    Worked out from the parsed pattern: a run of literal characters is required; a group of
    alternatives requires one of its branches' requirements; a repeat of at least one
    requires its body's.  Every requirement at the top level must hold, so the gate is their
    conjunction.  None when nothing useful (two characters or more) is required: the
    pattern then always runs.
    """
    parsed = syntax.parsed(pattern, False)
    if parsed is None:
        return None

    def score(req):
        return min(len(x.strip()) for x in req) if req else 0

    def of_item(op, arg):
        if op is BRANCH:
            alternatives = [best_of(of_sequence(b)) for b in arg[1]]
            if any(a is None for a in alternatives):
                return None
            return tuple(dict.fromkeys(x for a in alternatives for x in a))
        if op is SUBPATTERN:
            return best_of(of_sequence(arg[-1]))
        if op in (MAX_REPEAT, MIN_REPEAT) and arg[0] >= 1:
            return best_of(of_sequence(arg[2]))
        return None

    def best_of(reqs):
        return max(reqs, key=score) if reqs else None

    def of_sequence(items) -> list[tuple[str, ...]]:
        reqs: list[tuple[str, ...]] = []
        run: list[str] = []
        for op, arg in list(items) + [(None, None)]:
            if op is LITERAL:
                run.append(chr(arg))
                continue
            if op is AT:  # \b, ^, $ take no characters: a run goes on across them
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




def usable(requirements) -> tuple[tuple[str, ...], ...] | None:
    """`requirements` as a gate, or None when there is none to keep: nothing required, or a
    literal holding an odd-case letter (lower-cased text cannot stand for `re`'s folding of it)."""
    if not requirements or any(odd_case(lit) for req in requirements for lit in req):
        return None
    return tuple(requirements)


def holds(requirements: tuple[tuple[str, ...], ...], lowered: str) -> bool:
    """Does `lowered` (lower-cased text) hold one literal of each requirement?  False means no
    match can be in it."""
    for requirement in requirements:
        for literal in requirement:
            if literal in lowered:
                break
        else:
            return False
    return True


_last_lowered: tuple[str, str] = ("", "")  # (text, text.lower()): the patterns of a list try one text in turn


def lowered_of(text: str) -> str:
    """`text.lower()`, worked out once for the text several patterns search in a row."""
    global _last_lowered
    last = _last_lowered
    if last[0] is text:
        return last[1]
    lowered = text.lower()
    _last_lowered = (text, lowered)
    return lowered
