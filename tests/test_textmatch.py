"""The literal gates that let most patterns skip most text: exact requirements, no false skips."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.textmatch import GatedPattern, required_literals


@pytest.mark.parametrize(
    "pattern, expected",
    [
        (r"\bnot (?:an? )?(?:investment|financial) advice\b", [("not ",), ("investment", "financial"), (" advice",)]),
        (r"\bwill\s+(?:reach|hit|trade\s+at)\s+\$\d", [("will",), ("reach", "hit", "trade")]),
        (r"\b(?:paid|compensated) (?:by|for)\b", [("paid", "compensated"), ("by", "for")]),
        (r"\d+%", None),
        (r"(?:ab|\d)+xyz", [("xyz",)]),
    ],
)
def test_required_literals(pattern, expected):
    assert required_literals(pattern) == expected


PATTERNS = [
    r"\bguaranteed?\s+(?:an?\s+)?(?:\d+%\s+)?(?:returns?|profits?)\b",
    r"\b(?:can(?:'t|not|\s+not)|won't|never)\s+(?:lose|fail)\b",
    r"\bwill\s+(?:definitely|surely)\s+(?:\w+\s+){0,2}(?:rise|double)\b",
    r"(?:sponsored|paid)\s+(?:content|post)",
]
WORDS = ["guaranteed", "guarantee", "a", "12%", "returns", "profit", "can't", "cannot", "can", "not", "never",
         "lose", "fail", "will", "definitely", "surely", "prices", "rise", "double", "sponsored", "paid", "content",
         "post", "GUARANTEED", "Returns", "x"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8), st.sampled_from(PATTERNS))
def test_gate_never_skips_a_real_match(words, pattern):
    text = " ".join(words)
    gated = GatedPattern(re.compile(pattern, re.IGNORECASE))
    if gated.pattern.search(text):
        assert gated.may_match(text.lower())
