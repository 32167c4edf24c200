"""Kind `cue`: flag each occurrence of a cue phrase, in context.

PASS  "The company confirmed the sale."      (no cue)
FAIL  "..., one unnamed official said."     ->  span 'one unnamed official'

The span is the cue itself (multi-word cues whole).  Options: `cues` (regexes, matched
case-insensitively; a space matches any whitespace), `cased_cues` (matched as written:
`may` the verb, not `May` the month), `exceptions` (regexes for fixed expressions that are
not cues: a cue inside an exception's match is skipped, e.g. "could not be reached for
comment"), `named_quotes` (`keep`, `lower` to info, or `skip` a cue inside a direct quote
whose speaker the sentence names: the hedge is the speaker's, not the author's), `voices`
(flag a cue only in sentences in these voices, see `document/voice.py`: `[author]` keeps a
hedge to the article's own voice, leaving "X said sales could fall", quotes, questions,
press releases and first-person opinion alone), `per_sentence` (`all`, or `first`: one
finding per sentence, on its first cue, so "could ... could" is one finding).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from ..diagnostics import Finding
from ..document.quotes import in_quote, names_speaker
from ..document.voice import VOICES, voice_of
from ..patterns.compile import LazyRegex, compile_patterns
from ..patterns.gates import GatedPattern
from ..patterns.normalise import normalise, tolerant_regex
from .kind import Option, RunResult, read_options

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only
    from ..ruleset.model import Rule
    from .kind import Fail

NAMED_QUOTES = ("keep", "lower", "skip")
PER_SENTENCE = ("all", "first")



class _Prepared:
    """A rule's options, checked and compiled."""

    __slots__ = ("cues", "exceptions", "named_quotes", "voices", "per_sentence")
    cues: list[GatedPattern]
    exceptions: list[GatedPattern]
    named_quotes: str
    voices: frozenset[str] | None
    per_sentence: str


class CueKind:
    name = "cue"
    default_scope = ("headline", "dek", "body", "quote")
    message_fields = ("cue",)
    options = (
        Option("cues", list, []),
        Option("cased_cues", list, []),
        Option("exceptions", list, []),
        Option("named_quotes", str, "keep", choices=NAMED_QUOTES),
        Option("voices", list, None, names=VOICES, what="voice"),
        Option("per_sentence", str, "all", choices=PER_SENTENCE),
    )
    runs_after_suppression = False

    def prepare(self, rule: Rule, fail: Fail) -> _Prepared:
        o = read_options(rule, fail, self.options)
        p = _Prepared()
        cues, cased = o["cues"], o["cased_cues"]
        if not cues and not cased:
            fail("cues", "a cue rule needs 'cues' or 'cased_cues'")
        compiled = compile_patterns(cues, lambda m: fail("cues", m))
        for item in cased:
            if not isinstance(item, str) or not item.strip():
                fail("cased_cues", f"each entry must be a non-empty string, got {item!r}")
            try:
                source = tolerant_regex(normalise(item))
                from ..patterns.safety import backtracking_risk

                risk = backtracking_risk(source)
                if risk:
                    fail("cased_cues", f"pattern {item!r} is unsafe: {risk}")
                compiled.append(LazyRegex(source, 0, re.compile(source)))
            except re.error as exc:
                fail("cased_cues", f"bad regular expression {item!r}: {exc}")
        p.cues = [GatedPattern(c) for c in compiled]
        p.exceptions = [GatedPattern(c) for c in compile_patterns(o["exceptions"], lambda m: fail("exceptions", m))]
        p.named_quotes = o["named_quotes"]
        p.voices = o["voices"]
        p.per_sentence = o["per_sentence"]
        return p

    def unreachable_scope(self, rule: Rule) -> str | None:
        if rule.check.named_quotes == "skip" and set(rule.scope) == {"quote"}:
            return "scope is only 'quote' but named_quotes is 'skip': the rule can never match"
        return None

    def run(self, doc, facts, rule, directives=()) -> RunResult:
        p: _Prepared = rule.check
        out: list[Finding] = []
        article = doc.article_text()
        excepted_by_block = None
        for i, spans in sorted(article.spans_by_block(p.cues).items()):
            block = doc.blocks[i]
            if block.section not in rule.scope:
                continue
            if excepted_by_block is None:
                excepted_by_block = article.spans_by_block(p.exceptions)
            excepted = _Containment(excepted_by_block.get(i, ()))
            sentences = doc.sentences_by_block().get(i, ())
            starts = [s.plain_start for s in sentences]
            flagged: set[int] = set()
            for a, b in _outermost(spans):
                if excepted.holds(a, b):
                    continue
                if p.voices is not None or p.per_sentence == "first":
                    k = bisect_right(starts, a) - 1
                    if k >= 0:
                        # a cue inside a quote is the quoted speaker's, whatever the sentence
                        voice = "quoted" if in_quote(block, a, b) else voice_of(doc, i, sentences[k])
                        if p.voices is not None and voice not in p.voices:
                            continue
                        if p.per_sentence == "first":
                            if k in flagged:
                                continue
                            flagged.add(k)
                severity = None
                if p.named_quotes != "keep" and _in_named_quote(doc, i, block, a, b):
                    if p.named_quotes == "skip":
                        continue
                    severity = "info"
                s, e = block.textmap.to_source(a, b)
                out.append(Finding(s, e, {"cue": " ".join(block.text[a:b].split())}, section=block.section,
                                   pointer=block.pointer, severity=severity))
        return RunResult(out)


class _Containment:
    """Does one of these spans contain a:b?  Sorted by start with the running maximum of
    their ends, so each question is a bisection (a line repeating "could not be reached for
    comment" thousands of times asked every exception for every cue: quadratic)."""

    __slots__ = ("starts", "reach")

    def __init__(self, spans):
        ordered = sorted(spans)
        self.starts = [a for a, _ in ordered]
        self.reach, far = [], -1
        for _, b in ordered:
            far = max(far, b)
            self.reach.append(far)

    def holds(self, a: int, b: int) -> bool:
        i = bisect_right(self.starts, a) - 1
        return i >= 0 and self.reach[i] >= b


def _outermost(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with those inside (or overlapping the start of) an earlier one dropped."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans, key=lambda s: (s[0], -s[1])):
        if out and a < out[-1][1]:
            continue
        out.append((a, b))
    return out


def _in_named_quote(doc, block_index: int, block, a: int, b: int) -> bool:
    """Is plain span a:b inside a direct quote whose sentence names its speaker?"""
    if not any(qs <= a and b <= qe for qs, qe in block.quotes):
        return block.section == "quote"  # a block quote is the quoted party's text
    for s in doc.sentences_by_block().get(block_index, ()):
        if s.plain_start <= a < s.plain_end:
            return names_speaker(block, s)
    return False
