"""Matching once per article gives exactly what matching block by block gave.

`document.matchtext.ArticleText` joins the blocks, tries word-list patterns only at their
first words and re-runs a pattern block by block when a match crosses a block boundary;
whatever the text, the spans must equal `finditer` on each block alone.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.document.matchtext import ArticleText
from linter.patterns.compile import LazyRegex
from linter.patterns.gates import GatedPattern, first_words

PATTERNS = [
    (r"\b(?:said|told|according\s+to)\b", re.I),
    (r"(?<![-\w])(?:raised|cut|doubled?)\b", re.I),
    (r"\b(?:I|we|you)(?:'ve)?(?:\s+(?:have|also|\w+ly)){0,3}\s+\w+", re.I),
    (r"\bto\s+the\s+moon\b", re.I),
    (r"(?:\"|“)[^\"“”]{5,}(?:\"|”)", re.I),
    (r"\b\d+(?:\.\d+)?\s?(?:%|percent)\s+(?:of\s+(?:\w+\s+){1,2})?say\b", re.I),
    (r"(?<!^)(?<![.!?] )\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,5}", re.M),
    (r"\?\s*$", re.M),
    (r"\s+", 0),
    (r"x*", 0),
    (r"^\W*(?:said|acme)\b", re.I),  # anchored at each block's start, as alone
    (r"(?:\?|percent)$", 0),
    (r"\Asaid", re.I | re.M),
]
WORDS = ["said", "Said", "told", "according", "to", "the", "moon", "raised", "pre-raised", "cut", "double",
         "doubled", "I", "we", "You", "have", "also", "really", "42%", "3.5", "percent", "of", "voters", "say",
         '"', "“", "”", "Acme", "Corp", "?", ".", "!", "x", "xx", "\n", " ", "\t", "İ", "ß", "-"]
blocks = st.lists(st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join), min_size=1, max_size=5)


@pytest.mark.stress  # 300 generated cases
@settings(max_examples=300, deadline=None)
@given(blocks, st.sampled_from(PATTERNS))
def test_article_matches_equal_block_matches(texts, pattern):
    source, flags = pattern
    gated = GatedPattern(LazyRegex(source, flags))
    article = ArticleText(texts)
    expected = {}
    for i in range(len(texts)):
        spans = [m.span() for m in re.compile(source, flags).finditer(article.text[article.starts[i]:article.ends[i]])]
        spans = [sp for sp in spans if sp[1] > sp[0]]
        if spans:
            expected[i] = spans
    assert article.spans_by_block([gated]) == expected


def test_first_words_of_common_shapes():
    assert first_words(r"\b(?:said|told|according\s+to)\b", re.I) == {"said", "told", "according"}
    assert first_words(r"\bdoubled?\b", re.I) == {"double", "doubled"}
    assert first_words(r"(?<![-\w])(?:raised|cut)\b", re.I) == {"raised", "cut"}
    assert first_words(r"\b(?:has|hasn't) been\b", re.I) == {"has", "hasn"}  # the word ends at the apostrophe
    assert first_words(r"\bsaid", re.I) is None  # "saidx" would match: the word may go on
    assert first_words(r"\b\d+\b", re.I) is None
    assert first_words(r"said\b", re.I) is None  # no word start: "unsaid" would match
