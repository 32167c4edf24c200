"""Hand-written first-character look-aheads (`(?=[...])` ahead of a pattern, so `re` skips to
candidates) must hold every character a match can start with, or matches are lost."""

from __future__ import annotations

import re

import pytest

from linter import entities
from linter.document.quotes import SPEECH
from linter.document.sentences import _TERMINATOR
from linter.patterns.gates import first_chars

_LOOKAHEAD = re.compile(r"\(\?=\[([^\]]*)\]\)")


WRITTEN = {"quotes.SPEECH": SPEECH, "sentences._TERMINATOR": _TERMINATOR}
WRITTEN.update((f"entities.{name}", getattr(entities, name)) for name in (
    "_EXCHANGE_BEFORE", "_CASHTAG", "_RIC", "_ANGLED", "_IN_SYMBOL_CONTEXT", "_WORD", "_INSTITUTION"))


@pytest.mark.parametrize("name", sorted(WRITTEN))
def test_a_written_lookahead_holds_every_first_character(name):
    pattern = WRITTEN[name]
    lookahead = _LOOKAHEAD.match(pattern.pattern)
    assert lookahead is not None
    flags = pattern.flags & re.IGNORECASE
    needed = re.compile(f"[{first_chars(pattern.pattern[lookahead.end():], bool(flags))}]", flags)
    written = re.compile(f"[{lookahead.group(1)}]", flags)
    missing = [chr(c) for c in range(0x3000) if needed.match(chr(c)) and not written.match(chr(c))]
    assert missing == []
