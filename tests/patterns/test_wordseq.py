"""Word-list patterns matched from the words: the same matches as `re`, or no spelling out."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.patterns.wordseq import SPACES, match_at, word_list, word_sequences

_WORD = re.compile(r"\w+")


def spans_from_words(pattern: str, flags: int, text: str) -> list[tuple[int, int]]:
    """What `finditer` finds, from the words of `text` and the spelled-out sequences (the
    way document.matchtext uses them), falling back to the regex where match_at says so."""
    words = word_list(pattern, flags)
    assert words is not None
    lowered = text.lower() if flags & re.IGNORECASE else None
    compiled = re.compile(pattern, flags)
    out, last_end = [], -1
    for m in _WORD.finditer(text):
        pos = m.start()
        node = words.tries.get(m.group().lower() if lowered is not None else m.group())
        if pos < last_end or node is None:
            continue
        try:
            end = match_at(node, text, lowered, m.end())
        except ValueError:
            found = compiled.match(text, pos)
            end = found.end() if found else None
        if end is not None:
            out.append((pos, end))
            last_end = end
    return out


@pytest.mark.parametrize("pattern, expected", [
    (r"\b(?:said|says|according\s+to)\b",
     {"said": (("said",),), "says": (("says",),), "according": (("according", SPACES, "to"),)}),
    (r"\bdoubled?\b", {"doubled": (("doubled",),), "double": (("double",),)}),
    (r"\bdoubled??\b", {"double": (("double",),), "doubled": (("doubled",),)}),
    (r"\byear[- ]to-date\b", {"year": (("year", "-", "to", "-", "date"), ("year", " ", "to", "-", "date"))}),
    (r"\b(?:S&P|Dow)\b", {"s": (("s", "&", "p"),), "dow": (("dow",),)}),
])
def test_spelled_out_in_res_order(pattern, expected):
    assert word_sequences(pattern, re.IGNORECASE) == expected


def test_case_sensitive_words_keep_their_case():
    assert word_sequences(r"\b(?:Buy|Sell)\b") == {"buy": (("Buy",),), "sell": (("Sell",),)}


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
    assert word_sequences(pattern, re.IGNORECASE) is None


def test_too_many_sequences_are_left_to_the_regex():
    assert word_sequences(r"\b" + r"[ab]" * 12 + r"\b") is None  # 4096 spellings


def test_first_alternative_that_matches_wins_as_in_re():
    pattern = r"\b(?:according|according\s+to)\b"
    text = "according to them"
    assert spans_from_words(pattern, re.I, text) == [m.span() for m in re.finditer(pattern, text, re.I)] == [(0, 9)]


def test_an_earlier_shorter_spelling_wins_over_a_later_longer_one():
    pattern = r"\b(?:said\s+today|said|said\s+the)\b"
    text = "he said the same"
    assert spans_from_words(pattern, re.I, text) == [m.span() for m in re.finditer(pattern, text, re.I)] == [(3, 7)]


def test_long_s_is_left_to_the_regex():
    # re's case folding matches "ſ" to "s"; lower-casing does not.  (A first word is looked
    # up lower-cased in the word index, as for every first-word pattern: "ſaid" is not "said".)
    text = "he said so, according to ſources"
    pattern = r"\b(?:said|according\s+to\s+sources)\b"
    assert spans_from_words(pattern, re.I, text) == [m.span() for m in re.finditer(pattern, text, re.I)]


_PATTERNS = [
    r"\b(?:said|says|according\s+to)\b",
    r"\bdoubled?\b",
    r"\byear[- ]to[- ]date\b",
    r"\b(?:S&P|Dow|S&P\s+500)\b",
    r"\b(?:according|according\s+to|to\s+the)\b",
    r"\b(?:Buy|Sell)\s+now\b",
    r"\b(?:a(?:nnuali[sz]ed)?\s+returns?)\b",
    r"\b(?:according\s+to\s+sources|the\s+key)\b",
    r"\b(?:said\s+to|said|said\s+the|the\s+year|the\s+year\s+to-date)\b",
]
_PIECES = ["said", "Said", "SAYS", "according", "to", "To", "the", "year", "date", "S", "P", "Dow", "500",
           "doubled", "double", "Buy", "buy", "now", "NOW", "sell", "a", "annualised", "annualized", "returns",
           "return", "sources", "ſources", "key", "\u212aey", "x", "_", "9"]
_GAPS = [" ", "  ", "\n", "\t", "-", "&", " - ", ", ", ".", "", "\u00a0", "'"]


@pytest.mark.stress  # 300 generated cases
@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_PATTERNS), st.booleans(),
       st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(_GAPS)), max_size=14))
def test_same_matches_as_re(pattern, ignore_case, parts):
    text = "".join(w + g for w, g in parts)
    flags = re.IGNORECASE if ignore_case else 0
    assert spans_from_words(pattern, flags, text) == [m.span() for m in re.finditer(pattern, text, flags)]
