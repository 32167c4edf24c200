"""The literal gates that let most patterns skip most text: exact requirements, no false skips."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.patterns.gates import GatedPattern
from linter.patterns.literals import required_literals


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


@pytest.mark.stress  # 300 generated cases
@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8), st.sampled_from(PATTERNS))
def test_gate_never_skips_a_real_match(words, pattern):
    text = " ".join(words)
    gated = GatedPattern(re.compile(pattern, re.IGNORECASE))
    if gated.pattern.search(text):
        assert gated.may_match(text.lower())


@pytest.mark.parametrize(
    "source, flags",
    [
        (r"\b(?:said|told|according\s+to)\b", re.IGNORECASE),
        (r"(?P<year>\d{4})-(?P=year)", 0),
        (r"(?<![-\w])\w{3,}ed\b", re.IGNORECASE | re.MULTILINE),
        (r"[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD]", 0),
    ],
)
def test_regex_travels_as_source_and_flags_only(source, flags):
    """Worker processes get rules by pickling in memory: a pattern goes as its source, flags
    and literal gate (no compiled program, nothing of `re`'s internals) and compiles on first
    use."""
    import pickle

    from linter.patterns.compile import LazyRegex
    from linter.patterns.literals import required_literals

    regex = LazyRegex(source, flags).gated()
    regex.compiled  # noqa: B018 - compiled before pickling: still not sent
    literals = required_literals(source)
    assert regex.__getstate__() == (source, int(flags), tuple(literals) if literals else None)
    loaded = pickle.loads(pickle.dumps(regex))
    assert loaded._compiled is None and loaded.literals == regex.literals
    assert loaded.compiled == re.compile(source, flags)  # same flags, code and source
    assert loaded.compiled.groupindex == re.compile(source, flags).groupindex


def test_shipped_rule_set_pickles_for_worker_processes():
    """`report --jobs N` sends the prepared rules to each worker by pickling (in memory)."""
    import pickle

    from linter.checks import KINDS
    from linter.ruleset import load_rule_sets, shipped_rule_files

    ruleset = load_rule_sets(shipped_rule_files(), kinds=KINDS)  # kinds given: built, not cached
    again = pickle.loads(pickle.dumps(ruleset))
    assert [r.id for r in again.rules] == [r.id for r in ruleset.rules]
    assert [r.when for r in again.rules] == [r.when for r in ruleset.rules]


@pytest.mark.parametrize(
    "pattern, flags, expected",
    [
        # a group of alternatives opening with a currency sign or a digit: digits stay a category
        (r"(?:[$€£]\s?\d|\b\d+%)", 0, r"(?=[$£€\d])(?:[$€£]\s?\d|\b\d+%)"),
        (r"\b(?:said|told)\b", re.IGNORECASE, r"(?=[STst])\b(?:said|told)\b"),
        (r"(?<![-\w])(?:a|the)\s+poll\b", 0, r"(?=[at])(?<![-\w])(?:a|the)\s+poll\b"),
        # `re` skips ahead by itself over a leading literal or class
        (r"sponsored\s+by", 0, r"sponsored\s+by"),
        (r"[$€£]\d+", 0, r"[$€£]\d+"),
        # global flags must stay first; a word class is too broad to help
        (r"(?i)\bsaid\b", 0, r"(?i)\bsaid\b"),
        (r"\b\w{3,}ed\b", 0, r"\b\w{3,}ed\b"),
    ],
)
def test_first_character_lookahead(pattern, flags, expected):
    from linter.patterns.gates import with_first_char_lookahead

    assert with_first_char_lookahead(re.compile(pattern, flags)).source == expected


LOOKAHEAD_PATTERNS = [r"(?:[$€£]\s?\d[\d,.]*|\b\d+(?:\.\d+)?\s?%)", r"\b(?:a|the|its)\s+(?:filing|poll)\b", r"(?<![-\w])(?:up|down)\s+\d"]


@pytest.mark.stress  # 300 generated cases
@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="$€£٣0123456789 .,%aAtThe-upolfiling\n", max_size=60), st.sampled_from(LOOKAHEAD_PATTERNS))
def test_lookahead_keeps_every_match(text, pattern):
    """Unicode digits (٣) included: the look-ahead class keeps `\\d` as a category."""
    from linter.patterns.gates import with_first_char_lookahead

    for flags in (0, re.IGNORECASE):
        plain = re.compile(pattern, flags)
        assert [m.span() for m in with_first_char_lookahead(plain).compiled.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_a_gated_search_skips_text_without_the_literals_and_finds_the_rest():
    from linter.patterns.compile import LazyRegex

    regex = LazyRegex(r"\b(?:said|told)\s+reporters\b", re.IGNORECASE).gated()
    assert regex.literals == (("said", "told"), ("reporters",))
    assert regex.search("He told the board.") is None and regex._compiled is None  # not even compiled
    text = "Yesterday he TOLD reporters so."
    assert regex.search(text).span() == (13, 27)
    assert regex.search(text, 14) is None  # only text[pos:endpos] is looked at
    assert regex.search(text, 0, 20) is None
    # 'ſ' folds to 's' in re, not in str.lower: such text is searched ungated
    assert LazyRegex("said reporters", re.IGNORECASE).gated().search("ſaid reporters").span() == (0, 14)
