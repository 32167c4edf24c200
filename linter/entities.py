"""Entities a rule condition or a check may ask about, each with its source span.

Tickers (exchange-prefixed, cashtags, front-matter `tickers:`), price targets, return and
performance figures, forward-looking markers and sponsor lines.  Found on the block plain
text (the patterns through the article's shared matching text, see document/matchtext.py)
of the sections that can carry them and mapped to source offsets; computed once per
article and only when a rule asks.
"""

from __future__ import annotations

import re
from functools import cache

from .document.model import Document
from .patterns.compile import LazyRegex
from .patterns.gates import GatedPattern, outermost_spans
from .records import Record

EXCHANGES = (
    r"(?:NASDAQ|Nasdaq)(?:GS|GM|CM|\s+(?:Stockholm|Copenhagen|Helsinki|Iceland|First\s+North))?|NYSE(?:\s+American|\s+Arca|\s+ARCA|\s+MKT)?|NYSEARCA|NYSEAMERICAN|NYSEMKT|AMEX|"
    r"TSX(?:V|-V|\.V)?|TSX\s+Venture|CSE|CNSX|ASX|LSE|AIM|OTC(?:QB|QX|PK|BB|\s+Markets|\s+Pink|\s+PINK)?|OTCMKTS|NEO|HKEX|SGX|NSE|BSE|"
    r"Euronext(?:\s+(?:Paris|Amsterdam|Brussels|Lisbon|Dublin|Oslo|Milan|Growth))?|XETRA|Xetra|FWB|FSE|FRA|Frankfurt|BATS|CBOE|Cboe(?:\s+Canada)?|JSE|"
    r"TSE|TYO|SEHK|HKG|KRX|KOSDAQ|SIX|SSE|SZSE|BIT|BME|WSE|CRYPTO|[Tt]icker(?:\s+[Ss]ymbol)?|[Ss]ymbol"
)

# An exchange-prefixed ticker is found from its colon (a literal, so `re` skips ahead fast),
# then the exchange name is checked just before it.  A symbol may start with a digit
# (Frankfurt's "FSE: 1WD") or be a number on an Asian exchange ("TSE: 7203", "SEHK: 0700"):
# the exchange named before the colon is what keeps "10:30" from being a ticker.
_TICKER_AFTER_COLON = LazyRegex(r":\s*(?:(?=[A-Z0-9]{0,5}[A-Z])[A-Z0-9][A-Z0-9]{0,5}(?:[.-][A-Z]{1,2})?|\d{3,6})\b")
# A pattern here that opens with `\b` or a look-behind carries a look-ahead on its possible
# first characters, so `re` skips to candidates (tests/patterns/test_written_lookaheads.py).
_EXCHANGE_BEFORE = LazyRegex(rf"(?=[ABCEFHJKLNOSTWXst])\b(?:{EXCHANGES})\s*$")
_CASHTAG = LazyRegex(r"(?=[$])(?<![\w$])\$[A-Z]{1,5}\b(?!\.\d)")

# Reuters instrument codes: a symbol and an exchange suffix ("AAPL.O", "RY.TO", "4938.TW").  The
# base has two characters at least so "U.K." and "N.V." stay abbreviations; ".UL", Reuters'
# code for an unlisted company ("Chrysler LLC CBS.UL"), names no security.
RIC_SUFFIXES = (
    "O|N|OQ|A|P|K|TO|V|CN|L|PA|DE|AS|MI|MC|SW|ST|HE|CO|OL|T|HK|SS|SZ|TW|KS|KQ|AX|NS|BO|SI|BK|JK|KL|NZ|SA|MX|F|BR|"
    "LS|VI|IR|WA|AT|JO|TA|PK|OB|VX"
)
_RIC = LazyRegex(rf"(?=[A-Z\d])(?<![\w.&-])(?:[A-Z][A-Z0-9]{{1,5}}|\d{{4,6}})\.(?:{RIC_SUFFIXES})\b(?![.&-]?\w)")
# Reuters' own markup around a symbol: "Texaco Inc <TX>", "Guinness Plc <GUIN.L>"
_ANGLED = LazyRegex(r"(?=[<])(?<=\w )<([A-Z][A-Z0-9]{0,5}(?:\.[A-Z]{1,3})?)>")
# a symbol in parentheses: "Apple (AAPL)", a quote widget "(GOOGL 0.21%)", Bloomberg's
# "(AAPL US)", a Canadian
# "(TVE-T)"; a bare symbol after a company name: "PayPal PYPL", "Arista Networks ANET, which"
_PARENS = LazyRegex(
    r"\((?P<sym>[A-Z]{1,6}(?:\.[A-Z]{1,2})?)(?P<suffix>-(?:T|V|X|CN|U|UN))?"
    r"(?P<quote>\s+[-+\u2212]?\d+(?:\.\d+)?%| (?:US|LN|CN|CT|JP|JT|HK|GR|GY|FP|NA|SM|IM|SS|AU|AT|KS|SW|SE)(?: Equity)?)?\)"
)
_BARE_AFTER_NAME = LazyRegex(
    r"(?<=[A-Za-z.'\u2019] )(?P<sym>[A-Z]{2,5})"
    r"(?=[,;)]|\.(?:\s|$)|$| (?:and|or|is|has|had|was|which|that|stock|shares|rose|fell|gained|jumped|closed|traded|are|were)\b)"
)
# where the page itself says it is a symbol: options flow ("TSLA PUT SWEEP", "options on SPY"),
# a signed quote ("AAPL +1.2%"), a "Price Action:" line, "ticker PCSO", "under the symbol X"
_IN_SYMBOL_CONTEXT = LazyRegex(
    r"(?=[A-Zcopstu])(?:(?<![\w-])(?P<a>[A-Z]{1,5})(?= (?:PUT|CALL)S? (?:SWEEP|BLOCK|SPREAD|TRADE|OPTION)| (?:call |put )?options\b|(?: \([A-Z]{1,5}\))? [-+\u2212]\d+(?:\.\d+)?%)"
    r"|(?:\b(?:options|calls|puts|call options|put options) (?:on|in|for)|\bPrice Action:|\b(?:ticker|stock symbol|trading symbol)"
    r"|\bunder the (?:ticker |trading )?symbol|\btrades? as) [\"\u201c]?(?P<b>[A-Z]{1,5}(?:\.[A-Z]{1,2})?)\b(?![-.]\w))"
)
# Uppercase words a page uses as words, never as a bare symbol (a symbol list configured by the
# publisher, an exchange prefix, a cashtag or an instrument code still make them one).
COMMON_ACRONYMS = frozenset(
    """
    A I AI AG AB ASA AR API APR APY ATM AUM B2B B2C BV CAGR CBD CCO CDO CDS CEO CFO CFPB CIO CME COO COVID CPA CPI CSR CTO
    DC DOE DOJ DOT EBIT EBITDA EC ECB EIA EM EPA EPS ESG ET ETF ETFS ETN EU EUR EV EVS FAA FBI FCA FCC FDA FDIC FED FOMC
    FT FTC FX FY FYI GAAP GBP GDP GMT GPU HQ HR IMF IP IPO IPOS IR IRA IRS ISO IT JPY KK LLC LLP LNG LP LTD ML MOU NATO NAV
    NFT NFTS NGO NHS NV NYC OECD OK OPEC OTC PBOC PC PCE PDF PE PLC PM PMI PR PS Q QA RBI REIT REITS ROE ROI SA SAR SARL SE
    SEC SME SPA SPAC SUV SVP TV UAE UK UN US USA USD VAT VC VP VR WHO WTO YOY YTD ET PT EST PST CST UTC EDT PDT II III IV
    I II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI XX
    LIBOR SOFR EURIBOR SONIA
    AM ID TV XP PIN SIM USB GPS LED LCD OS CD DVD NOT AND THE FOR NEW CO INC CORP LTD OR IN ON AT TO OF BY
    """.split()
)
_SMALL_WORDS = frozenset("of and the for on in to & de des du la le et".split())
_NOT_A_NAME = frozenset(
    """
    The A An In On At As By For From To Of With And But Or If When While Then Than Since After Before During Under Over
    Also So Yet Now Here There This That These Those It Its Our Their His Her My Your We They He She I You Meanwhile
    However Still Even Only Both Each Every All Some Many Most No Not Mr Mrs Ms Dr Says Said Per Via Vs Versus Like
    """.split()
)
# every kind but tickers is one regex (compiled on first use: most runs ask for few kinds)
# a kind is one pattern, or a tuple of patterns kept apart so each can be gated on its own
PATTERNS: dict[str, LazyRegex | tuple[LazyRegex, ...]] = {
    "price_target": LazyRegex(
        r"\b(?:price target|target price|price objective|PT)\b(?:\s+(?:of|to|at|is|was|from|raised to|cut to|lowered to))*"
        r"\s*:?\s*(?:[A-Z]{0,3}\$|US\$|C\$|€|£|¥)\s?\d[\d,]*(?:\.\d+)?",
        re.IGNORECASE,
    ),
    "performance": LazyRegex(
        r"\b(?:returned\s+(?:an?\s+)?(?:annuali[sz]ed\s+|total\s+|average\s+(?:annual\s+)?)?\d[\d,.]*\s?(?:%|percent)"
        r"|(?:delivered|generated|earned|produced|posted)\s+(?:an?\s+)?(?:annuali[sz]ed\s+|total\s+|average\s+(?:annual\s+)?)?returns?\s+of\s+\d[\d,.]*\s?(?:%|percent)"
        r"|\d[\d,.]*\s?(?:%|percent)\s+(?:annuali[sz]ed|total|average annual|annual|cumulative)\s+returns?"
        r"|(?:annuali[sz]ed|total|average annual|historical|cumulative)\s+returns?\s+of\s+\d[\d,.]*\s?(?:%|percent)"
        r"|track record of\s+\d[\d,.]*\s?(?:%|percent))",
        re.IGNORECASE,
    ),
    "forward_looking": LazyRegex(
        # (a spelled-out first word: tried only where one stands, see document.matchtext)
        r"\b(?:expects?|expected to|projects?|projected|projections?|forecasts?|guidance|anticipates?|"
        r"outlook|plans? to|intends? to|aims? to|targets?|will (?:grow|increase|rise|reach|double|triple|expand|deliver|generate))\b",
        re.IGNORECASE,
    ),
    # a sponsor line: the strong forms count anywhere, "sponsored by X" only outside the body
    # (in a news body it is usually a survey's or an event's sponsor) or opening a sentence;
    # compensation stated by the publisher or the promoter ("We have been compensated $50,000",
    # "paid advertisements", "advertise on behalf of the companies"), a "(sponsor)" block
    "sponsor_line": (LazyRegex(
        r"\b(?:this (?:article|post|content|story|newsletter|email|video|page|report|piece|message|release) (?:is|was|has been) "
        r"(?:sponsored|paid for|a paid)|this is a paid (?:promotion|advertisement)|(?:paid|sponsored) (?:promotions?|content|posts?|"
        r"advertisements?|advertising|articles?)|advertorials?|"
        r"(?:I|we|author|publisher|writer|site|website|newsletter|company|LLC|Inc|Ltd|Media|Corp)\.? (?:has|have) been (?:compensated|paid)|"
        r"(?:has|have) been (?:compensated|paid)(?: up to)? (?:[$\u20ac\u00a3]|US\$|C\$)\d[\d,.]*|"
        r"been compensated (?:\w+ ){0,4}?(?:for|to) (?:this|the|its|a|our) (?:article|post|report|campaign|promotion|coverage|"
        r"advertis\w+|marketing|publication)|"
        r"(?:paid|compensated|advertise|advertised|advertises|advertising|advertisements?|advertisers?|promote|promoted|promotes|promoting|promotions?|promoters?)"
        r" (?:\w+ ){0,4}?on behalf of|paid partnership|partner content|"
        r"(?:newsletter|issue|episode|edition|email|podcast|post) is (?:brought to you|sponsored|presented) by|"
        r"(?:a word from|thanks to|a message from) (?:our|today's|this week's) sponsors?)\b",
        re.IGNORECASE,
    ),
        # kept apart from the words above, so those are tried only where their first words stand
        LazyRegex(r"\((?:sponsor|sponsored|paid post|advertisement)\)|(?<![a-z,;] )Sponsored by\b"),
    ),
    "sponsor_credit": LazyRegex(
        r"^\W*(?:sponsored by|paid for by|brought to you by|presented by|in partnership with|compensated by)\b",
        re.IGNORECASE,
    ),
    # issue 22 (opt-in rule sets): what the article is.  The author's or the house's own
    # rating or call ("we rate Acme a buy", "Rating: Outperform", "our price target"), not one
    # reported from a third party
    "own_recommendation": LazyRegex(
        r"\b(?:(?:we|I) (?:rate|are rating|reiterate|maintain|initiate|upgrade|downgrade|recommend|are recommending)\b(?: [\w.,'&()-]+){0,5}? (?:to |at |with |as |an? )?(?:strong buy|buy|sell|hold|outperform|underperform|overweight|underweight|neutral|accumulate|reduce|market perform|equal[- ]weight|coverage)"
        r"|(?:we|I) recommend (?:buying|selling|investors (?:buy|sell))"
        # a house rating ("a Zacks Rank #3 (Hold)"), a call in the piece's own words ("AAPL Stock Remains a
        # Buy", "a must-buy"), a promoter's ("add NEOV to your watchlist")
        r"|rank #?\d \((?:strong buy|buy|hold|sell|strong sell)(?=\))"
        r"|(?:stock|shares) (?:remains?|is still|looks like) an? (?:strong buy|buy|sell|must-buy|top pick)"
        r"|must-buy"
        r"|(?:add|adding) (?:\$?[A-Z]{1,5}|it|this stock|shares|the stock) to your (?:watch ?list|portfolio)"
        r"|(?:our|my) (?:price target|target price|rating|recommendation|fair value estimate)"
        r"|(?:rating|recommendation)\s*:\s*(?:strong buy|buy|sell|hold|outperform|underperform|overweight|underweight|neutral|accumulate|reduce|market perform|equal[- ]weight))\b",
        re.IGNORECASE,
    ),
    # the author's or the house's change of its own call ("we upgrade Acme to buy", "we raise our target")
    "own_rating_change": LazyRegex(
        r"\b(?:we|I) (?:upgrade|downgrade|are upgrading|are downgrading|raise our|cut our|lower our|move our)\b",
        re.IGNORECASE,
    ),
    # a broker's call reported in the text: "was upgraded to buy", "raised its price target"
    "analyst_action": LazyRegex(
        r"\b(?:(?:upgraded|downgraded|upgrades|downgrades|upgrading|downgrading)\b(?: [\w.,'&-]+){0,6}? to (?:an? )?[\"\u201c]?"
        r"(?:strong buy|buy|sell|hold|outperform|underperform|overweight|underweight|neutral|market perform|sector perform|equal[- ]weight|accumulate|reduce|add)\b"
        r"|(?:raised|cut|lowered|trimmed|boosted|lifted|reduced|hiked|raises|cuts|lowers) (?:its|their|the|his|her) (?:\w+ )?(?:price target|target price|price objective)"
        r"|initiated coverage|initiates coverage|began coverage)",
        re.IGNORECASE,
    ),
    "crypto": LazyRegex(
        r"\b(?:crypto(?:currenc(?:y|ies)|[- ]?assets?|[- ]?tokens?)?|bitcoin|ethereum|stablecoins?|altcoins?|memecoins?|"
        r"(?:token|coin) (?:sale|presale|offering|launch)|presale|ICO|DeFi|NFTs?)\b",
        re.IGNORECASE,
    ),
    # an invitation to act: what makes a crypto mention a promotion
    "call_to_action": LazyRegex(
        r"\b(?:buy (?:now|today|before)|sign up (?:now|today|here)|join (?:now|today|the presale)|get started (?:now|today)|"
        r"claim your|don't miss (?:out|this)|invest now|open an account|register now|limited[- ]time offer|"
        r"act now|participate in the presale|whitelist (?:is )?(?:open|now))\b",
        re.IGNORECASE,
    ),
    # a benefit a promotion holds out ("earn up to 12%", "high returns", "grow your wealth")
    "benefit_claim": LazyRegex(
        r"\b(?:earn (?:up to |as much as )?\d[\d.,]*\s?%|(?:yields?|returns?|interest|APY|APR) of (?:up to )?\d[\d.,]*\s?%|"
        r"high(?:er)? (?:returns|yields?|income)|grow your (?:wealth|money|savings|portfolio)|passive income|"
        r"double your (?:money|investment)|(?:tax[- ]free|guaranteed) (?:income|returns?|growth))(?!\w)",
        re.IGNORECASE,
    ),
    # an investment adviser's marketing: a client's or investor's testimonial
    "testimonial": LazyRegex(
        r"\b(?:testimonials?|(?:our|a) (?:satisfied |happy |long-time |longtime )?clients? (?:says?|said|writes|wrote)|"
        r"what (?:our|my) clients (?:say|are saying)|(?:client|investor|customer) (?:review|story|stories|success stor(?:y|ies)))\b",
        re.IGNORECASE,
    ),
    "hypothetical_performance": LazyRegex(
        r"\b(?:back[- ]?test(?:ed|ing)? (?:returns?|performance|results?|portfolios?|strateg(?:y|ies)|models?|shows?|showed|data|CAGR)|"
        r"hypothetical (?:performance|returns?|results|portfolio)|simulated (?:performance|returns?|results)|"
        r"model portfolio (?:returns?|performance))\b",
        re.IGNORECASE,
    ),
    "gross_performance": LazyRegex(
        r"\b(?:gross (?:of fees )?(?:returns?|performance)|(?:returns?|performance) (?:gross of|before) (?:all )?(?:fees|charges|expenses)|"
        r"gross of (?:all )?(?:fees|charges))\b",
        re.IGNORECASE,
    ),
    # a sponsorship label the FTC calls ambiguous when it stands alone: "Promoted", "Partner content"
    "weak_label": LazyRegex(
        r"^\W*(?:promoted(?: content| post| by)?|partner content|from our partners?|presented by|in partnership with|"
        r"brought to you by|featured partner)\b",
        re.IGNORECASE,
    ),
}
MENTION_KINDS = ("ticker",) + tuple(PATTERNS)
# where each entity counts: the author's article, not the furniture or the disclosures
ENTITY_SECTIONS = {
    "ticker": ("headline", "dek", "body", "quote"),
    "price_target": ("headline", "dek", "body", "quote"),
    "performance": ("headline", "dek", "body"),
    "forward_looking": ("headline", "dek", "body"),
    "sponsor_line": ("headline", "dek", "byline", "body", "disclaimer", "boilerplate"),
    "sponsor_credit": ("headline", "dek", "byline", "disclaimer", "boilerplate"),
    "own_recommendation": ("headline", "dek", "body"),
    "own_rating_change": ("headline", "dek", "body"),
    "analyst_action": ("headline", "dek", "body"),
    "crypto": ("headline", "dek", "body"),
    "call_to_action": ("headline", "dek", "body"),
    "benefit_claim": ("headline", "dek", "body"),
    "testimonial": ("headline", "dek", "body", "quote"),
    "hypothetical_performance": ("headline", "dek", "body"),
    "gross_performance": ("headline", "dek", "body"),
    "weak_label": ("headline", "dek", "byline", "dateline", "disclaimer"),
}


class Mention(Record):
    __slots__ = ("kind", "start", "end", "text", "section")

    def __init__(self, kind: str, start: int, end: int, text: str, section: str):
        self.kind, self.start, self.end, self.text, self.section = kind, start, end, text, section


class Facts:
    """What conditions and kinds see of one article, read-only; entities are found on first
    use (the caches are the only state).  What a kind works out goes back to the engine in
    its `RunResult`, not here."""

    def __init__(self, doc: Document, symbols=None):
        self.doc = doc
        if symbols is None:  # the configured list travels with the cues the article was parsed with
            symbols = (doc.cues.raw.get("symbols") or ()) if doc.cues is not None else ()
        self.symbols = frozenset(symbols)  # the publisher's configured symbol list (`symbols:`)
        self.format = doc.format
        self.front_matter = doc.front_matter
        self._mentions: dict[str, list[Mention]] = {}
        self._sections: dict[str, int] | None = None

    def mentions(self, kind: str) -> list[Mention]:
        found = self._mentions.get(kind)
        if found is None:
            found = self._mentions[kind] = find_mentions(self.doc, kind, self.symbols)
        return found

    def mention_count(self, kind: str) -> int:
        return len(self.mentions(kind))

    def section_count(self, kind: str) -> int:
        if self._sections is None:
            counts: dict[str, int] = {}
            for s in self.doc.sections:
                counts[s.kind] = counts.get(s.kind, 0) + 1
            self._sections = counts
        return self._sections.get(kind, 0)


def find_mentions(doc: Document, kind: str, symbols: frozenset[str] = frozenset()) -> list[Mention]:
    sections = ENTITY_SECTIONS[kind]
    out: list[Mention] = []
    if kind == "ticker":
        entry = doc.front_matter_entries.get("tickers") or doc.front_matter_entries.get("ticker")
        if entry is not None and entry.value:
            value = entry.value
            shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
            out.append(Mention(kind, entry.value_start, entry.value_end, f"{entry.key}: {shown}", "front_matter"))
    by_block = doc.article_text().spans_by_block(_gates(kind)) if kind != "ticker" else {}
    for i, block in enumerate(doc.blocks):
        if block.section not in sections:
            continue
        text = block.text
        spans = _ticker_spans(text, symbols) if kind == "ticker" else sorted(set(by_block.get(i, ())))
        for a, b in spans:
            s, e = block.textmap.to_source(a, b)
            out.append(Mention(kind, s, e, text[a:b], block.section))
    return out


@cache
def _gates(kind: str) -> tuple[GatedPattern, ...]:
    """Built on first use: most articles never ask for most kinds."""
    patterns = PATTERNS[kind]
    return tuple(GatedPattern(p) for p in (patterns if isinstance(patterns, tuple) else (patterns,)))


def _ticker_spans(text: str, symbols: frozenset[str] = frozenset()) -> list[tuple[int, int]]:
    """Spans of the symbols the page marks as such; the exchange is part of the span when given."""
    found: set[tuple[int, int]] = set()
    if ":" in text:
        for m in _TICKER_AFTER_COLON.finditer(text):
            ex = _EXCHANGE_BEFORE.search(text, max(0, m.start() - 24), m.start())
            if ex:
                found.add((ex.start(), m.end()))
    if "$" in text:
        found.update(m.span() for m in _CASHTAG.finditer(text))
    if "." in text and _DOT_CODE.search(text):
        found.update(m.span() for m in _RIC.finditer(text))
    if "<" in text:
        for m in _ANGLED.finditer(text):
            # Reuters also brackets a body's initials: "The United Auto Workers <UAW>"
            if "." in m.group(1) or not _acronym_of(m.group(1), text[max(0, m.start() - 120) : m.start()].split()):
                found.add(m.span(1))
    shouting = _Shouting(text)  # decided when a bare or bracketed candidate first asks
    if "(" in text:
        for m in _PARENS.finditer(text):
            sym = m.group("sym")
            if m.group("suffix") or m.group("quote"):
                # the exchange is part of the span ("TVE-T", "AAPL US"), a price move is not
                bloomberg = m.group("quote") and m.group("quote")[1:2].isalpha()
                end = m.end("suffix") if m.group("suffix") else m.end("quote") if bloomberg else m.end("sym")
                if sym not in COMMON_ACRONYMS:
                    found.add((m.start("sym"), end))
            elif len(sym) > 1 and not shouting and _is_symbol_after_name(text, m.start(), sym):
                found.add(m.span("sym"))
    for m in _BARE_AFTER_NAME.finditer(text):
        if shouting:
            break  # an all-capitals block names no bare symbol: the rest of the scan is moot
        if _is_symbol_after_name(text, m.start(), m.group("sym"), bare=True):
            found.add(m.span())
    for m in _IN_SYMBOL_CONTEXT.finditer(text) if _SYMBOL_CONTEXT_WORDS.search(text) else ():
        group = "a" if m.group("a") else "b"
        if m.group(group) not in COMMON_ACRONYMS:
            found.add(m.span(group))
    if symbols:
        for m in _WORD.finditer(text):
            if m.group() in symbols:
                found.add(m.span())
    return outermost_spans(found)


_UPPER_PAIR = LazyRegex(r"[A-Z][A-Z]")
_WORD = LazyRegex(r"(?=[A-Z])(?<![\w$])[A-Z][A-Z0-9]{0,5}(?:[.-][A-Z]{1,2})?\b(?![.-]\w)")
_LAST_WORD = LazyRegex(r"[\w&'\u2019.]+\s*$")
_NAME_WORD = LazyRegex(r"(?:[A-Z][\w&'\u2019.-]*|&)$")


class _Shouting:
    """`_shouting(text)`, computed on first use: most blocks hold no bare candidate."""

    __slots__ = ("text", "value")

    def __init__(self, text: str):
        self.text = text
        self.value: bool | None = None

    def __bool__(self) -> bool:
        if self.value is None:
            self.value = _shouting(self.text) if _UPPER_PAIR.search(self.text) else True  # no two capitals: no symbol
        return self.value


# cheap gates for the two scans below, which otherwise try every capital letter: an
# instrument code has a dot between a word and a capital; a symbol context has one of its words
_DOT_CODE = LazyRegex(r"\w\.[A-Z]")
_SYMBOL_CONTEXT_WORDS = LazyRegex(r"PUT|CALL|[-+\u2212]\d|options|calls|puts|Price Action|ticker|symbol|trades? as")


def _shouting(text: str) -> bool:
    """An all-capitals block (a wire headline) writes names in capitals: no bare symbols there."""
    lower, upper = sum(map(str.islower, text)), sum(map(str.isupper, text))
    return lower < (lower + upper) * 0.3


def _is_symbol_after_name(text: str, at: int, sym: str, bare: bool = False) -> bool:
    """Does the name before `at` carry the symbol `sym`, rather than an acronym of its words?

    In parentheses: "Apple (AAPL)", "HP (HPQ)", "Kospi Index (KOSPI)", not "Rich Communication
    Services (RCS)" or "Christian Democrats (CDU)".  Bare, the symbol must be spelt from the
    name ("PayPal PYPL", "Arista Networks ANET"): "Windows XP" and "Mitsubishi UFJ" stay words.
    """
    if sym in COMMON_ACRONYMS:
        return False
    before = text[max(0, at - 120) : at]
    if _INSTITUTION.search(before):
        return False  # "Korea Exchange (KRX)", "Hedge Fund Research (HFR)": a body, not a listed company
    m = _LAST_WORD.search(before)
    last = m.group().rstrip() if m else ""
    if not last or not _NAME_WORD.search(last) or last.rstrip(".,") in _NOT_A_NAME:
        return False
    name = _name_before(before[: m.start()].split(), last)
    if bare:
        if last.endswith((".", "'s", "\u2019s")) and not last.endswith(_COMPANY_ABBREVIATIONS):
            return False  # "on Thursday. CIT", "Germany's TUI"
        if not any(c.islower() for c in last) or text[at + len(sym) : at + len(sym) + 1] == "-":
            return False
        return _spelt_from(sym, name) and not _acronym_of(sym, before.split())
    return not _acronym_of(sym, before.split())


_INSTITUTION = LazyRegex(
    r"(?=[ABCDEFGIMOPRSTU])\b(?:Institute|Board|Commission|Association|Exchange|Research|Statistics|Union|Agency|Authority|Council|Committee|"
    r"Organi[sz]ation|Ministry|Office|Department|Federation|Party|Forum|Programme|Program|Agreement|Act|Treaty|"
    r"Movement|Front|Service|Services|Survey|Delta|Court|Centre|Center|Group of \w+)\s*$"
)
_COMPANY_ABBREVIATIONS = ("Inc.", "Corp.", "Co.", "Ltd.", "Plc.", "PLC.", "N.V.", "S.A.", "A.G.", "L.P.")


def _name_before(words: list[str], last: str) -> list[str]:
    """The run of capitalised words ending with `last` (at most three; a possessive ends it)."""
    name = [last]
    for w in reversed(words[-2:]):
        if not _NAME_WORD.search(w) or w.rstrip(".,") in _NOT_A_NAME or w.endswith((".", ",", ":", ";", "'", "'s", "\u2019s")):
            break
        name.insert(0, w)
    return name


def _spelt_from(sym: str, name: list[str]) -> bool:
    """`sym` starts with the name's first letter and takes its letters in order: PYPL from PayPal."""
    letters = "".join(c for c in "".join(name).upper() if c.isalnum())
    if not letters or letters[0] != sym[0]:
        return False
    i = 0
    for c in letters:
        if i < len(sym) and c == sym[i]:
            i += 1
    return i == len(sym)


def _missing_initials(sym: str, words: list[str]) -> int:
    """How many letters of `sym` are not initials (or inner capitals) of `words`."""
    pool: list[str] = []
    for w in words:
        for p in (p for p in re.split(r"[-/]", w) if p):
            pool.append(p[0].upper())
            pool.extend(c for c in p[1:] if c.isupper())
    missing = 0
    for c in sym:
        if c in pool:
            pool.remove(c)  # each initial accounts for one letter
        else:
            missing += 1
    return missing


def _acronym_of(sym: str, words: list[str]) -> bool:
    """Is `sym` made of the initials of the words before it?  All its letters among them
    ("Hazards for Flammables (HERF)"), all but one of a long one, or its first two the
    initials of two words in a row when it is short ("Christian Democrats (CDU)");
    "Arista Networks (ANET)" and "Closely Watching NeoVolta (NEOV)" are symbols."""
    words = [w.strip("\"'\u201c\u201d(),.") for w in words[-(len(sym) + 3) :]]
    words = [w for w in words if w]
    if _missing_initials(sym, words) == 0:
        return True
    if len(sym) >= 4:
        # a long one may take a letter from inside a word ("London Interbank Offered Rate
        # (LIBOR)") when it spells the words right before it, from the one its first letter opens
        for k in range(1, min(len(sym) + 1, len(words)) + 1):
            if words[-k][0].upper() == sym[0] and _missing_initials(sym, words[-k:]) <= 1:
                return True
    if len(sym) > 3:
        return False  # "Arista Networks (ANET)": a symbol may start with its name's initials
    heads = [w[0].upper() for w in words if w.lower() not in _SMALL_WORDS]
    return any(heads[i] == sym[0] and heads[i + 1] == sym[1] for i in range(len(heads) - 1))
