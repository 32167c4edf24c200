"""Hand-written first-character look-aheads (`(?=[...])` ahead of a pattern, so `re` skips to
candidates) must hold every character a match can start with, or matches are lost."""

from __future__ import annotations

import re

import pytest

from linter.document.quotes import SPEECH
from linter.document.sentences import _TERMINATOR
from linter.patterns.gates import first_chars

_LOOKAHEAD = re.compile(r"\(\?=\[([^\]]*)\]\)")


@pytest.mark.parametrize("pattern", [SPEECH, _TERMINATOR], ids=["quotes.SPEECH", "sentences._TERMINATOR"])
def test_a_written_lookahead_holds_every_first_character(pattern):
    lookahead = _LOOKAHEAD.match(pattern.pattern)
    assert lookahead is not None
    ignore_case = bool(pattern.flags & re.IGNORECASE)
    needed = set(first_chars(pattern.pattern[lookahead.end():], ignore_case))
    written = set(lookahead.group(1))
    if ignore_case:
        needed = {c.lower() for c in needed}
    assert needed <= written
