"""Entities for conditions: each kind found with its exact source span."""

from __future__ import annotations

import pytest

from linter.document import parse_document
from linter.entities import Facts
from linter.source import Source


def _mentions(text: str, kind: str, fmt: str = "markdown"):
    doc = parse_document(Source("e.md", text), fmt)
    return [(m.text, text[m.start : m.end], m.section) for m in Facts(doc).mentions(kind)]


@pytest.mark.parametrize(
    "sentence, found",
    [
        ("Apple ($AAPL) rose.", ["$AAPL"]),
        ("Apple (NASDAQ: AAPL) rose.", ["NASDAQ: AAPL"]),
        ("Rua Gold (TSXV: RUA) rose.", ["TSXV: RUA"]),
        ("XYZ Corp (NYSE American: XYZ) and ABCD Inc (OTC: ABCD) fell.", ["NYSE American: XYZ", "OTC: ABCD"]),
        ("Listed as CSE: NWL, ASX: BHP and LSE: VOD.", ["CSE: NWL", "ASX: BHP", "LSE: VOD"]),
        ("It cost $12.50 and $5 at 10:30 GMT: cheap.", []),
    ],
)
def test_tickers(sentence, found):
    got = _mentions(f"# T\n\n{sentence}\n", "ticker")
    assert [g[0] for g in got] == found
    assert all(text == span for text, span, _ in got)


def test_front_matter_tickers_are_mentions_with_the_value_span():
    text = "---\ntickers: [HLV, ACME]\n---\n\nNo ticker in the body.\n"
    assert _mentions(text, "ticker") == [("tickers: HLV, ACME", "[HLV, ACME]", "front_matter")]


@pytest.mark.parametrize(
    "sentence, found",
    [
        ("Analysts set a price target of $45.", ["price target of $45"]),
        ("Our PT $12 stands.", ["PT $12"]),
        ("They cut the target price to C$0.90 from C$1.40.", ["target price to C$0.90"]),
        ("The price was $45.", []),
    ],
)
def test_price_targets(sentence, found):
    assert [g[0] for g in _mentions(f"# T\n\n{sentence}\n", "price_target")] == found


@pytest.mark.parametrize(
    "sentence, found",
    [
        ("The fund returned 35% last year.", ["returned 35%"]),
        ("It has an annualized return of 18% since 2015.", ["annualized return of 18%"]),
        ("A 12.5 percent total return.", ["12.5 percent total return"]),
        ("Profit gained 6 percent.", []),
    ],
)
def test_performance(sentence, found):
    assert [g[0] for g in _mentions(f"# T\n\n{sentence}\n", "performance")] == found


def test_forward_looking_and_sponsor_markers_by_section():
    text = "# T\n\nAcme expects growth and will double output.\n\nSponsored by Acme Corp.\n"
    assert [g[0] for g in _mentions(text, "forward_looking")] == ["expects", "will double"]
    # a paragraph that opens "Sponsored by" is a disclosure, and its opening a sponsor credit
    assert _mentions(text, "sponsor_credit") == [("Sponsored by", "Sponsored by", "disclaimer")]


def test_section_counts_and_format():
    doc = parse_document(Source("e.md", "# T\n\nBody.\n\nNot investment advice.\n"), "markdown")
    facts = Facts(doc)
    assert (facts.section_count("headline"), facts.section_count("body"), facts.section_count("disclaimer")) == (1, 1, 1)
    assert facts.format == "markdown"
