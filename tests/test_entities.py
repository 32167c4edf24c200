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


@pytest.mark.parametrize(
    "sentence, found",
    [
        # (sentence, [(mention text, column in the sentence)]): every form of issue 15
        ("Alphabet (GOOGL 0.21%) rose.", [("GOOGL", 10)]),
        ("Duolingo Inc (NASDAQ:DUOL) rose.", [("NASDAQ:DUOL", 14)]),
        ("The gold fund NYSEARCA: GLD fell.", [("NYSEARCA: GLD", 14)]),
        ("Shares of PayPal PYPL and Block rose.", [("PYPL", 17)]),
        ("Arista Networks ANET, which sports a Zacks Rank #1, rose.", [("ANET", 16)]),
        ("Tamarack Valley Energy (TVE-T) rose.", [("TVE-T", 24)]),
        ("Royal Bank of Canada RY.TO rose.", [("RY.TO", 21)]),
        ("TSLA PUT SWEEP detected near the ask.", [("TSLA", 0)]),
        ("Traders bought options on SPY today.", [("SPY", 26)]),
        ("Unusual QQQ call options traded.", [("QQQ", 8)]),
        ("Bitcoin (CRYPTO: BTC) rose.", [("CRYPTO: BTC", 9)]),
        ("Apple AAPL.O and Pegatron 4938.TW rose.", [("AAPL.O", 6), ("4938.TW", 26)]),
        ("Apple (AAPL) and HP (HPQ) rose; Lowe\u2019s (LOW) fell.", [("AAPL", 7), ("HPQ", 21), ("LOW", 40)]),
        ("Home Depot (ticker: HD) reported.", [("ticker: HD", 12)]),
        ("Generic Gold Corp. (CSE: GGC) (FSE: 1WD) closed.", [("CSE: GGC", 20), ("FSE: 1WD", 31)]),
        ("It has reserved the Nasdaq ticker PCSO.", [("PCSO", 34)]),
        ("Price Action: DUOL shares traded higher.", [("DUOL", 14)]),
        ("Expert Investors Are Closely Watching NeoVolta (NEOV)", [("NEOV", 48)]),
        ("Apple Inc. (AAPL US) and Air Liquide (Euronext Paris: AI) rose.", [("AAPL US", 12), ("Euronext Paris: AI", 38)]),
        ("Toyota (TSE: 7203) and Tencent (SEHK: 0700) fell.", [("TSE: 7203", 8), ("SEHK: 0700", 32)]),
        ("Acme (OTC PINK: ACMEF) and Beta (TSX.V: BET) rose.", [("OTC PINK: ACMEF", 6), ("TSX.V: BET", 33)]),
    ],
)
def test_ticker_forms_with_exact_positions(sentence, found):
    got = _mentions(f"# T\n\n{sentence}\n", "ticker")
    assert [(text, span) for text, span, _ in got] == [(t, t) for t, _ in found]
    doc_text = f"# T\n\n{sentence}\n"
    doc = parse_document(Source("e.md", doc_text), "markdown")
    assert [(m.text, m.start - 5) for m in Facts(doc).mentions("ticker")] == found


@pytest.mark.parametrize(
    "sentence",
    [
        "Apple CEO Tim Cook said the AI push, FDA rules and US ETF and IPO plans matter.",
        "The firm said the SEC and the FDA approved it, and the CEO agreed.",
        "Traders bought FX options and ETF options; CEO options vested.",
        "Rich Communication Services (RCS) support and the Hang Seng Index (HSI) fell.",
        "Merkel's Christian Democrats (CDU) and the Korea Exchange (KRX) agreed.",
        "Loans priced over the London Interbank Offered Rate (LIBOR) and by Industrial and Commercial Bank (ICBC).",
        "Touch ID and Face ID; Windows XP, launched in 2001.",
        "Shares fell on Thursday. CIT, which lends to small firms, said so.",
        "Germany's TUI and Italy's ENI rose.",
        "Mylan N.V. and the U.K. and U.S. markets; WAKE-UP CALL FOR REGULATORS.",
        "APPLE CEO SAYS IPHONE (IP) SALES ROSE",
        "It cost $12.50 and $5 at 10:30 GMT: cheap, after the COVID-19 (B-2) plan.",
        "At 10:30 GMT: 1234 units; pages 10: 250.",
    ],
)
def test_uppercase_words_that_stay_words(sentence):
    assert _mentions(f"# T\n\n{sentence}\n", "ticker") == []


def test_reuters_angle_bracket_symbol_in_plain_text():
    text = "Texaco sues\n\nTexaco Inc <TX> said on Monday it would appeal.\n"
    assert _mentions(text, "ticker", "text") == [("TX", "TX", "body")]


def test_configured_symbols_make_bare_words_symbols():
    text = "# T\n\nWe like GLXY and AI this year.\n"
    doc = parse_document(Source("e.md", text), "markdown")
    assert Facts(doc).mentions("ticker") == []
    got = [(m.text, m.start) for m in Facts(doc, symbols=["GLXY"]).mentions("ticker")]
    assert got == [("GLXY", text.index("GLXY"))]


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
