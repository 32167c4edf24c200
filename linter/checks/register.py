"""Kind `register`: the article read against the publisher's disclosures register
(linter/disclosures.py), which the configuration names with `disclosures:`.

PASS  the register records Jane Doe holding GOOGL; the article by Jane Doe says "The author
      holds shares of GOOGL."
FAIL  the same article says "The author has no position in GOOGL."  ->  the sentence that
      denies the holding (`check: denied_holding`)
FAIL  the register records a payment by Acme Corp. for ACME coverage; the article names ACME
      and says nothing of it  ->  the first mention of ACME (`check: paid_relationship`);
      `--fix` inserts the disclosure built from the register's own entry
FAIL  the register records market making or a mandate in a ticker the article names, and
      the article does not say so  (`check: interests`)

Options: `check` (which of the three), `example_register` (a register in the register's YAML
shape, used only when the rule's own examples and cases run: real articles are read against
the configured register and nothing else).  Without a configured register the rule finds
nothing.
"""

from __future__ import annotations

import re

from ..diagnostics import Finding
from ..patterns.compile import LazyRegex
from .kind import Option, RunResult, read_options

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only
    from ..ruleset.model import Rule
    from .kind import Fail

CHECKS = ("denied_holding", "paid_relationship", "interests")

# The patterns below compile when first searched: without a configured register the rule
# finds nothing, and compiling them at import cost every one-shot check about 1.5 ms.

# a sentence that says someone holds nothing ("has no position in", "does not own shares of",
# "holds no shares", "neither the author nor ... holds")
_DENIAL = LazyRegex(
    r"\b(?:(?:has|have|hold|holds|held|had|maintains?) no\b(?: [\w/-]+){0,4}? (?:positions?|holdings?|shares|stake|interest|securities)"
    r"|(?:does|do|did) not (?:currently )?(?:have|hold|own)\b(?: [\w(),/-]+){0,5}? (?:positions?|shares|securities|stakes?|holdings|stock|interest)"
    r"|(?:has|have|hold|holds|held|owns?) (?:no|0|zero) (?:positions?|shares|securities|stakes?|holdings|stock)"
    r"|no (?:positions?|holdings?|shares|stake|securities)\b (?:in|related to|of)\b"
    r"|(?:is|are) not (?:long|short)\b|neither\b[^.]{0,80}\bnor\b[^.]{0,80}\b(?:holds?|owns?|has|have)\b)",
    re.IGNORECASE,
)
_AUTHOR_WORDS = LazyRegex(r"\b(?:author|authors|writer|contributor|analyst|(?-i:I|me|my))\b", re.IGNORECASE)
_PUBLISHER_WORDS = LazyRegex(r"\b(?:publisher|publication|company|firm|(?-i:we|We|our|Our)|editors?|staff|employees|affiliates)\b", re.IGNORECASE)
_COMPENSATION = LazyRegex(r"\b(?:paid|pays|compensat\w*|receiv\w*|fees?|sponsor\w*|remunerat\w*|consideration)\b", re.IGNORECASE)
_AMOUNT = LazyRegex(r"(?:[$€£¥]|US\$|C\$|A\$)\s?\d|\b\d[\d,.]*\s?(?:dollars|USD|EUR|GBP|shares)\b", re.IGNORECASE)
_MARKET_MAKING = LazyRegex(r"\b(?:market[- ]mak\w+|makes? (?:a )?markets?|liquidity provider|specialist in)\b", re.IGNORECASE)
_MANDATE = LazyRegex(
    r"\b(?:mandate|lead[- ]manag\w+|co-manag\w+|bookrunner|underwr\w+|placing agent|placement agent|broker to|nomad|"
    r"nominated adviser|corporate broker|financial adviser|advis\w+ (?:to|on)|acted as|investment banking)\b",
    re.IGNORECASE,
)


_SYMBOL_WORD = re.compile(r"(?<![A-Za-z0-9])[A-Z0-9][A-Z0-9.-]{0,11}")


class _Prepared:
    """A rule's options, checked: which check, and the register its examples run against."""

    __slots__ = ("check", "example_register")
    check: str
    example_register: dict | None


class RegisterKind:
    name = "register"
    default_scope = ("byline", "body", "disclaimer", "boilerplate")
    message_fields = ("holder", "ticker", "payer", "amount", "period", "interest", "register_line", "register")
    options = (
        Option("check", str, required=True, choices=CHECKS),
        Option("example_register", dict, None),
    )
    runs_after_suppression = False

    def prepare(self, rule: Rule, fail: Fail) -> _Prepared:
        o = read_options(rule, fail, self.options)
        p = _Prepared()
        p.check = o["check"]
        example = o["example_register"]
        p.example_register = None
        if example is not None:
            import yaml

            from ..disclosures import RegisterError, parse_yaml

            try:
                p.example_register = parse_yaml(f"{rule.file} ({rule.id} example_register)", yaml.safe_dump(example))
            except RegisterError as exc:
                fail("example_register", exc.message)
        return p

    def unreachable_scope(self, rule: Rule) -> str | None:
        return None

    def run(self, doc, facts, rule, directives=()) -> RunResult:
        register = _configured(doc)
        if register is None:
            return RunResult()
        p: _Prepared = rule.check
        if p.check == "denied_holding":
            return RunResult(_denied_holdings(doc, rule, register))
        if p.check == "paid_relationship":
            return RunResult(_paid(doc, facts, rule, register))
        return RunResult(_interests(doc, facts, rule, register))


def _configured(doc):
    cues = doc.cues
    return (cues.raw.get("disclosures") if cues is not None else None) or None


def register_cues(data: dict):
    """Default parser cues carrying `data` (a register in its YAML shape) as the configured
    register: for rule cases and examples."""
    import yaml

    from ..disclosures import parse_yaml
    from ..document.cues import default_cues

    return default_cues().extended({"disclosures": parse_yaml("register.yaml", yaml.safe_dump(data, sort_keys=False))})


def example_cues(rule):
    """The cues a rule's examples run with: the default cues and the rule's example register
    (None when the rule has none)."""
    register = rule.check.example_register if isinstance(rule.check, _Prepared) else None
    if register is None:
        return None
    from ..document.cues import default_cues

    return default_cues().extended({"disclosures": register})


# -- what the article is about ------------------------------------------------------------
def _article_text(doc) -> str:
    return "\n".join(b.text for b in doc.blocks)


def _named_tickers(doc, entries) -> dict[str, tuple[int | None, int, int]]:
    """Register tickers the article names (in its text or its front matter `tickers:`), with the
    block and plain-text span of the first mention (None for the front matter)."""
    from ..disclosures import ticker_in

    fm = doc.front_matter.get("tickers") or doc.front_matter.get("ticker") or []
    fm = [str(t) for t in (fm if isinstance(fm, list) else [fm])]
    # the symbols the article could name, found once: a register of thousands of entries costs
    # one set look-up each, not a search of every paragraph
    words: set[str] = set()
    for text in [*(b.text for b in doc.blocks), *fm]:
        for w in _SYMBOL_WORD.findall(text):
            words.update((w, w.rstrip(".-")))
    out: dict[str, tuple[int | None, int, int]] = {}
    for e in entries:
        t = e["ticker"]
        if t in out or t not in words:
            continue
        for i, block in enumerate(doc.blocks):
            if block.section in ("disclaimer", "boilerplate"):
                continue
            m = ticker_in(block.text, t)
            if m:
                out[t] = (i, m.start(), m.end())
                break
        else:
            if any(ticker_in(f, t) for f in fm):
                out[t] = (None, 0, 0)
    return out


def _authors(doc) -> str:
    parts: list[str] = []
    for key in ("author", "authors", "byline"):
        v = doc.front_matter.get(key)
        if isinstance(v, list):
            parts.extend(str(x) for x in v)
        elif isinstance(v, str):
            parts.append(v)
    parts.extend(b.text for b in doc.blocks if b.section == "byline")
    return " ".join(parts).casefold()


def _where(register, entry) -> str:
    """`file:line` of a register entry, the file relative to the working folder when inside it."""
    import os

    from ..safetext import visible_path

    path = register.get("file", "register")
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive
        rel = path
    return f"{visible_path(path if rel.startswith('..') else rel)}:{entry['line']}"


def _finding_at_mention(doc, block_index, a, b, values, label):
    if block_index is None:
        entry = doc.front_matter_entries.get("tickers") or doc.front_matter_entries.get("ticker")
        if entry is not None:
            return Finding(entry.value_start, entry.value_end, values, label=label, section="front_matter")
        return Finding(0, min(1, len(doc.text)), values, label=label, document_level=True)
    block = doc.blocks[block_index]
    s, e = block.textmap.to_source(a, b)
    return Finding(s, e, values, label=label, section=block.section, pointer=block.pointer)


# -- the three checks ----------------------------------------------------------------------
def _denied_holdings(doc, rule, register) -> list[Finding]:
    holdings = register.get("holdings") or []
    if not holdings:
        return []
    named = _named_tickers(doc, holdings)
    if not named:
        return []
    authors = _authors(doc)
    publisher = (register.get("publisher") or "").casefold()
    out = []
    for s in doc.sentences:
        if s.section not in rule.scope:
            continue
        text = " ".join(s.text.split())
        if not _DENIAL.search(text):
            continue
        about_author = bool(_AUTHOR_WORDS.search(text))
        about_publisher = bool(_PUBLISHER_WORDS.search(text)) or (publisher and publisher in text.casefold())
        from ..disclosures import ticker_in

        specific = [t for t in named if ticker_in(text, t)]
        for h in holdings:
            t = h["ticker"]
            if t not in named or (specific and t not in specific):
                continue
            holder = h["holder"]
            is_publisher = holder.casefold() in ("publisher", publisher) if publisher else holder.casefold() == "publisher"
            by_name = holder.casefold() in text.casefold()
            if is_publisher:
                relevant = about_publisher
            else:
                relevant = by_name or (about_author and holder.casefold() in authors)
            if not relevant:
                continue
            shown = (register.get("publisher") or "the publisher") if is_publisher else holder
            values = {"holder": shown, "ticker": t, "register_line": str(h["line"]), "register": _where(register, h)}
            block = doc.blocks[s.block]
            out.append(Finding(s.start, s.end, values, label=f"the register records {shown} holding {t}",
                               section=s.section, pointer=block.pointer,
                               fix_note="fix not applied: the sentence contradicts the register; an editor must correct it"))
            break  # one finding per sentence
    return out


def _paid(doc, facts, rule, register) -> list[Finding]:
    entries = register.get("paid") or []
    if not entries:
        return []
    named = _named_tickers(doc, entries)
    if not named:
        return []
    paragraphs = [b.text for b in doc.blocks if b.section in rule.scope]
    out = []
    for e in entries:
        t = e["ticker"]
        if t not in named:
            continue
        payer_word = _payer_key(e["payer"])
        disclosed = any(
            payer_word in p.casefold() and _COMPENSATION.search(p) and (_AMOUNT.search(p) or e["amount"].casefold() in p.casefold())
            for p in paragraphs
        )
        if disclosed:
            continue
        values = {"ticker": t, "payer": e["payer"], "amount": e["amount"], "period": e.get("period", ""),
                  "register_line": str(e["line"]), "register": _where(register, e)}
        finding = _finding_at_mention(doc, *named[t], values, f"{e['payer']} paid {e['amount']}: not disclosed")
        _attach_fix(doc, finding, _paid_sentence(register, e))
        out.append(finding)
    return out


def _interests(doc, facts, rule, register) -> list[Finding]:
    entries = [("market maker", e) for e in register.get("market_making") or []] + [
        ("mandate", e) for e in register.get("mandates") or []]
    if not entries:
        return []
    named = _named_tickers(doc, [e for _, e in entries])
    paragraphs = [b.text for b in doc.blocks if b.section in rule.scope]
    out = []
    seen = set()
    from ..disclosures import ticker_in

    for interest, e in entries:
        t = e["ticker"]
        if t not in named or (interest, t) in seen:
            continue
        seen.add((interest, t))
        pattern = _MARKET_MAKING if interest == "market maker" else _MANDATE
        # disclosed: a paragraph that says so and names the ticker (or is a disclosure block)
        if any(pattern.search(p) and (ticker_in(p, t) or len(named) == 1) for p in paragraphs):
            continue
        shown = "making a market in it" if interest == "market maker" else f"holding a mandate ({e['role']})"
        values = {"ticker": t, "interest": shown, "register_line": str(e["line"]), "register": _where(register, e)}
        finding = _finding_at_mention(doc, *named[t], values, f"the register records the publisher {shown}")
        _attach_fix(doc, finding, _interest_sentence(register, interest, e))
        out.append(finding)
    return out


def _payer_key(payer: str) -> str:
    """The word of a payer's name an article is sure to use: "Acme" of "Acme Corp."."""
    words = [w for w in re.findall(r"[\w&'-]+", payer) if w.casefold() not in ("the", "inc", "corp", "ltd", "llc", "plc", "co")]
    return (words[0] if words else payer).casefold()


def _publisher(register) -> str:
    return register.get("publisher") or "The publisher"


def _paid_sentence(register, e) -> str:
    period = f" ({e['period']})" if e.get("period") else ""
    service = e.get("service") or f"coverage of {e['ticker']}"
    return f"Disclosure: {_publisher(register)} was paid {e['amount']} by {e['payer']} for {service}{period}."


def _interest_sentence(register, interest, e) -> str:
    if interest == "market maker":
        return f"Disclosure: {_publisher(register)} makes a market in {e['ticker']}."
    period = f", {e['period']}" if e.get("period") else ""
    return f"Disclosure: {_publisher(register)} {e['role']} ({e['ticker']}{period})."


def _attach_fix(doc, finding: Finding, sentence: str) -> None:
    """The disclosure the register's own entry makes true, in the article's own form."""
    from ..fixes import insertion

    finding.fix, finding.fix_note = insertion(doc, "disclaimer", sentence)
