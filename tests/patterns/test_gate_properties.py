"""The gates never change what a pattern finds, for every pattern the shipped rules use.

Each gate skips text: the literal gate (`may_match`) skips a pattern outright, the look-ahead
on first characters lets `re` skip positions, and a word-list pattern is tried only where
its first words stand (`document.matchtext`).  A gate that is wrong loses findings silently,
so for every shipped pattern (tests/patterns/old_analyses_shipped.jsonl) on random text built
from that pattern's own words and literals: the gated search finds exactly what plain `re`
finds, block by block.
"""

from __future__ import annotations

import json
import random
import re
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.document.matchtext import ArticleText
from linter.patterns.compile import LazyRegex
from linter.patterns.gates import GatedPattern

HERE = Path(__file__).parent
FILLER = [" ", " ", "\n", "\t", ",", ".", "-", "%", "$", "'", '"', "\u201c", "\u201d", "\u2019", "(", ")", ":", "?",
          "12", "3.5", "2025", "Acme", "ACME", "the", "a", "of", "İ", "ß", "_", "x",
          "ſ", "ı", "K", "ς"]  # letters `re` folds otherwise than str.lower


def _rows():
    with open(HERE / "old_analyses_shipped.jsonl", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    out = []
    for r in rows:
        try:
            re.compile(r["pattern"], r["flags"])
        except re.error:
            continue
        out.append(r)
    return out


ROWS = _rows()


@cache
def _gated(k: int) -> tuple[GatedPattern, re.Pattern]:
    r = ROWS[k]
    return GatedPattern(LazyRegex(r["pattern"], r["flags"])), re.compile(r["pattern"], r["flags"])


def _tokens(k: int) -> list[str]:
    """Pieces a match of pattern `k` is made of: its first words (also capitalised and as
    parts of longer words) and its required literals, and filler."""
    r = ROWS[k]
    words = r["first_words"] or []
    literals = [lit for req in (r["required_literals"] or []) for lit in req]
    pieces = words + [w.capitalize() for w in words] + [w + "s" for w in words] + ["pre" + w for w in words] + literals
    return pieces + FILLER


def _check(k: int, blocks: list[str]) -> None:
    gated, plain = _gated(k)
    article = ArticleText(blocks)
    expected = {}
    for i in range(len(blocks)):
        text = article.text[article.starts[i] : article.ends[i]]
        spans = [m.span() for m in plain.finditer(text)]
        # the look-ahead form finds the same matches as the pattern itself
        assert [m.span() for m in gated.pattern.compiled.finditer(text)] == spans, (ROWS[k]["pattern"], text)
        # the literal gate closes only on text without a match
        if spans:
            assert gated.may_match(text.lower()), (ROWS[k]["pattern"], text)
        spans = [sp for sp in spans if sp[1] > sp[0]]
        if spans:
            expected[i] = spans
    # the whole path: first words, gates, one pass over the article, block edges
    assert article.spans_by_block([gated]) == expected, (ROWS[k]["pattern"], blocks)


@st.composite
def _case(draw):
    k = draw(st.integers(0, len(ROWS) - 1))
    tokens = _tokens(k)
    block = st.lists(st.sampled_from(tokens), max_size=14).map(" ".join)
    return k, draw(st.lists(block, min_size=1, max_size=3))


@pytest.mark.stress  # 600 generated cases
@settings(max_examples=600, deadline=None)
@given(_case())
def test_gated_search_finds_what_re_finds(case):
    k, blocks = case
    _check(k, blocks)


@pytest.mark.stress  # every shipped pattern
def test_every_shipped_pattern_on_seeded_texts():
    """Every pattern, twelve texts each: the sweep hypothesis's sampling may not reach."""
    rng = random.Random(19)
    assert len(ROWS) > 800
    for k in range(len(ROWS)):
        tokens = _tokens(k)
        for _ in range(12):
            blocks = [" ".join(rng.choice(tokens) for _ in range(rng.randint(0, 12))) for _ in range(rng.randint(1, 3))]
            _check(k, blocks)


def test_the_odd_case_letters_are_those_unicode_gives():
    """`ODD_CASE_LETTERS` holds every character whose lower case is two characters or differs from its
    upper case's lower case (both are what `re` folds otherwise than `str.lower`), plus the
    two ligatures `re` takes as one another."""
    import sys

    from linter.patterns.literals import odd_case

    derived = set()
    for c in range(sys.maxunicode + 1):
        if 0xD800 <= c <= 0xDFFF:
            continue
        ch = chr(c)
        lower, upper = ch.lower(), ch.upper()
        if len(lower) != 1 or (len(upper) == 1 and upper.lower() != lower):
            derived.add(ch)
    derived |= {"\ufb05", "\ufb06"}
    listed = {chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF and odd_case(chr(c))}
    assert listed == derived
