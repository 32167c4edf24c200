"""Kind `forbidden`: phrases or patterns that must not appear in the rule's scope.

PASS  "Returns are not guaranteed." (negation listed in `unless`)
FAIL  "This fund offers guaranteed returns."  ->  span 'guaranteed returns'

Options: `phrases` (literal, tolerant of case, whitespace and hyphens), `patterns`
(regexes; a space matches any whitespace), `unless` (regexes: a match inside a sentence that
also matches one of these is skipped, e.g. negations), `skip_quotes` (quoted speech is the
speaker's, not the author's), `replacement` (suggested wording, shown in the help).
"""

from __future__ import annotations

from bisect import bisect_right

from ..diagnostics import Finding, Fix
from ..document.quotes import in_quote
from ..patterns.compile import compile_patterns
from ..patterns.gates import GatedPattern, outermost_spans
from .kind import Option, RunResult, read_options

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only
    from ..ruleset.model import Rule
    from .kind import Fail


class _Prepared:
    """A rule's options, checked and compiled."""

    __slots__ = ("patterns", "unless", "skip_quotes", "replacement")
    patterns: list[GatedPattern]
    unless: list
    skip_quotes: bool
    replacement: str


class ForbiddenKind:
    name = "forbidden"
    default_scope = ("headline", "dek", "body")
    message_fields = ("match", "replacement")
    options = (
        Option("phrases", list, []),
        Option("patterns", list, []),
        Option("unless", list, []),
        Option("skip_quotes", bool, True),
        Option("replacement", str, ""),
    )
    runs_after_suppression = False

    def prepare(self, rule: Rule, fail: Fail) -> _Prepared:
        o = read_options(rule, fail, self.options)
        p = _Prepared()
        phrases, patterns = o["phrases"], o["patterns"]
        if not phrases and not patterns:
            fail("phrases", "a forbidden rule needs 'phrases' or 'patterns'")
        compiled = compile_patterns(phrases, lambda m: fail("phrases", m), literal=True) + compile_patterns(
            patterns, lambda m: fail("patterns", m)
        )
        p.patterns = [GatedPattern(c) for c in compiled]
        p.unless = compile_patterns(o["unless"], lambda m: fail("unless", m))
        p.skip_quotes = o["skip_quotes"]
        p.replacement = o["replacement"]
        return p

    def unreachable_scope(self, rule: Rule) -> str | None:
        if rule.check.skip_quotes and set(rule.scope) == {"quote"}:
            return "scope is only 'quote' but skip_quotes is true: the rule can never match"
        return None

    def run(self, doc, facts, rule, directives=()) -> RunResult:
        p: _Prepared = rule.check
        out: list[Finding] = []
        sentences_by_block = doc.sentences_by_block()
        article = doc.article_text()
        excused = _Excuses()
        for i, spans in sorted(article.spans_by_block(p.patterns).items()):
            block = doc.blocks[i]
            if block.section not in rule.scope:
                continue
            for a, b in outermost_spans(spans):
                if p.skip_quotes and in_quote(block, a, b):
                    continue
                if p.unless and excused.get(a, block, sentences_by_block.get(i, []), p):
                    continue
                s, e = block.textmap.to_source(a, b)
                finding = Finding(s, e, {"match": " ".join(block.text[a:b].split()), "replacement": p.replacement},
                                  section=block.section, pointer=block.pointer)
                if p.replacement:
                    if doc.text[s:e] == block.text[a:b]:
                        finding.fix = Fix(s, e, _same_case(block.text[a:b], p.replacement))
                    else:
                        finding.fix_note = "fix not applied: the phrase spans markup or escapes"
                out.append(finding)
        return RunResult(out)


class _Excuses:
    """Is the sentence holding a match excused by an `unless` pattern?  Worked out once per
    sentence and found by bisection: a long line with thousands of matches asked every
    sentence, and searched the whole line, for each of them (quadratic)."""

    __slots__ = ("block", "starts", "answers")

    def __init__(self):
        self.block, self.starts, self.answers = None, [], {}

    def get(self, a: int, block, sentences, p) -> bool:
        if block is not self.block:
            self.block, self.starts, self.answers = block, [s.plain_start for s in sentences], {}
        k = bisect_right(self.starts, a) - 1
        if k >= 0 and a >= sentences[k].plain_end:
            k = -1  # between sentences: the whole block is the context, as before
        answer = self.answers.get(k)
        if answer is None:
            text = block.match_texts()[0]
            lo, hi = (sentences[k].plain_start, sentences[k].plain_end) if k >= 0 else (0, len(text))
            answer = self.answers[k] = any(u.search(text, lo, hi) for u in p.unless)
        return answer


def _same_case(original: str, replacement: str) -> str:
    """Keep a capital at the start of a sentence: 'Risk-free' -> 'Low-risk'."""
    if original[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement
