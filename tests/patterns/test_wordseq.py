"""Word-list patterns matched from the words: the same matches as `re`, or no spelling out."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.document import matchtext
from linter.document.matchtext import ArticleText
from linter.patterns.compile import LazyRegex
from linter.patterns.gates import GatedPattern
from linter.patterns.wordseq import SPACES, spelled_out


def spans_from_words(pattern: str, flags: int, text: str) -> tuple[list, list]:
    """(what `document.matchtext` finds for the word-list pattern in a one-block article, what
    `re.finditer` finds in the same text).  The word path is taken at every word (no falling
    back to a scan for common first words), so it is what is compared."""
    gated = GatedPattern(LazyRegex(pattern, flags))
    assert gated.words is not None, "not spelled out: the test would compare the regex with itself"
    article = ArticleText([text])
    with mock.patch.object(matchtext, "SCAN_COST_RATIO", 0):
        found = article.spans(gated)
    return found, [m.span() for m in re.finditer(pattern, article.text, flags)]


@pytest.mark.parametrize("pattern, expected", [
    (r"\b(?:said|says|according\s+to)\b", [("said",), ("says",), ("according", SPACES, "to")]),
    (r"\bdoubled?\b", [("doubled",), ("double",)]),
    (r"\bdoubled??\b", [("double",), ("doubled",)]),
    (r"\byear[- ]to-date\b", [("year", "-", "to", "-", "date"), ("year", " ", "to", "-", "date")]),
    (r"\b(?:S&P|Dow)\b", [("s", "&", "p"), ("dow",)]),
])
def test_spelled_out_in_res_order(pattern, expected):
    assert spelled_out(pattern, re.IGNORECASE) == (expected, True)


def test_case_sensitive_words_keep_their_case():
    assert spelled_out(r"\b(?:Buy|Sell)\b") == ([("Buy",), ("Sell",)], False)


@pytest.mark.parametrize("pattern", [
    r"\bsaid",  # no closing boundary: a prefix of a longer word matches too
    r"said\b",  # no opening boundary
    r"\b(?:a|an)\s+\w+\b",  # a class of any word character
    r"\bU\.S\.\s+index\b",  # a separator and a whitespace run in a row
    r"\b(?i:said)\b",  # flags inside
    r"\b(?:says?){5}\b",  # a long repeat
    r"\bsaid\s*today\b",  # \s* (may be empty)
    r"\bcaf\u00e9\b",  # not ASCII
    r"(?x)\bsaid\b",  # other flags
    r"\b-\b",  # no word at all
])
def test_other_shapes_are_left_to_the_regex(pattern):
    assert spelled_out(pattern, re.IGNORECASE) is None


def test_too_many_sequences_are_left_to_the_regex():
    assert spelled_out(r"\b" + r"[ab]" * 12 + r"\b") is None  # 4096 spellings


def test_first_alternative_that_matches_wins_as_in_re():
    pattern = r"\b(?:according|according\s+to)\b"
    assert spans_from_words(pattern, re.I, "according to them") == ([(0, 9)], [(0, 9)])


def test_an_earlier_shorter_spelling_wins_over_a_later_longer_one():
    pattern = r"\b(?:said\s+today|said|said\s+the)\b"
    assert spans_from_words(pattern, re.I, "he said the same") == ([(3, 7)], [(3, 7)])


def test_long_s_is_matched_as_re_matches_it():
    # re's case folding matches "ſ" to "s"; lower-casing does not: such text is matched with the regex
    pattern = r"\b(?:said|according\s+to\s+sources)\b"
    assert spans_from_words(pattern, re.I, "he ſaid so, according to ſources") == ([(3, 7), (12, 32)], [(3, 7), (12, 32)])


def test_phrases_stay_in_their_block():
    gated = GatedPattern(LazyRegex(r"\baccording\s+to\b", re.I))
    with mock.patch.object(matchtext, "SCAN_COST_RATIO", 0):
        assert ArticleText(["It rose, according", "to them, according to us"]).spans(gated) == [(28, 40)]


_PATTERNS = [
    r"\b(?:said|says|according\s+to)\b",
    r"\bdoubled?\b",
    r"\byear[- ]to[- ]date\b",
    r"\b(?:S&P|Dow|S&P\s+500)\b",
    r"\b(?:according|according\s+to|to\s+the)\b",
    r"\b(?:Buy|Sell)\s+now\b",
    r"\b(?:annualised|annualized|average|a)\s+returns?\b",
    r"\b(?:according\s+to\s+sources|the\s+key)\b",
    r"\b(?:said\s+to|said|said\s+the|the\s+year|the\s+year\s+to-date)\b",
]
_PIECES = ["said", "Said", "SAYS", "according", "to", "To", "the", "year", "date", "S", "P", "Dow", "500",
           "doubled", "double", "Buy", "buy", "now", "NOW", "sell", "a", "average", "annualised", "annualized", "returns",
           "return", "sources", "ſources", "key", "\u212aey", "x", "_", "9"]
_GAPS = [" ", "  ", "\n", "\t", "-", "&", " - ", ", ", ".", "", "\u00a0", "'"]


@pytest.mark.stress  # 300 generated cases
@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_PATTERNS), st.booleans(),
       st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(_GAPS)), max_size=14))
def test_same_matches_as_re(pattern, ignore_case, parts):
    found, expected = spans_from_words(pattern, re.IGNORECASE if ignore_case else 0, "".join(w + g for w, g in parts))
    assert found == expected
