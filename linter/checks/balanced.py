"""Kind `balanced`: a claim must be balanced where it stands, not in a footer.

PASS  "Earn up to 7% a year. Your capital is at risk."   (the risk in the same paragraph)
FAIL  "Earn up to 7% a year with our bond plan." with "Capital at risk." only three
      paragraphs later, or in the footer  ->  the span of the benefit

A promotion that holds out a benefit must give the relevant risks a fair and prominent
indication (FCA COBS 4.5A.3): a warning far from the claim, or in small print at the end, is
not as prominent as the claim it balances.  Prominence is read here as nearness: the
balancing statement must stand in the claim's paragraph or within `within_blocks`
paragraphs of it (same section kinds as the rule's scope).

Options: `trigger` (a mention kind, e.g. benefit_claim: what must be balanced), `accept`
(regexes: the balancing statement), `within_blocks` (default 1), `wording` (the house text,
quoted in the help).
"""

from __future__ import annotations

from ..diagnostics import Finding
from ..patterns.compile import compile_patterns
from .kind import Option, RunResult, read_options

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only
    from ..ruleset.model import Rule
    from .kind import Fail


class _Prepared:
    """A rule's options, checked and compiled."""

    __slots__ = ("trigger", "accept", "within_blocks", "wording")
    trigger: str
    accept: list
    within_blocks: int
    wording: str


class BalancedKind:
    name = "balanced"
    default_scope = ("headline", "dek", "body")
    message_fields = ("trigger", "wording")
    options = (
        Option("trigger", str, required=True),
        Option("accept", list, required=True),
        Option("within_blocks", int, 1),
        Option("wording", str, ""),
    )
    runs_after_suppression = False

    def prepare(self, rule: Rule, fail: Fail) -> _Prepared:
        from ..entities import MENTION_KINDS

        o = read_options(rule, fail, self.options)
        p = _Prepared()
        p.trigger = o["trigger"]
        if p.trigger not in MENTION_KINDS:
            fail("trigger", f"unknown mention kind '{p.trigger}' (expected one of: {', '.join(MENTION_KINDS)})")
        p.accept = compile_patterns(o["accept"], lambda m: fail("accept", m))
        p.within_blocks = o["within_blocks"]
        if p.within_blocks < 0:
            fail("within_blocks", "must be 0 or more")
        p.wording = o["wording"]
        if p.wording.strip():
            p.accept += compile_patterns([p.wording], lambda m: fail("wording", m), literal=True)
        return p

    def unreachable_scope(self, rule: Rule) -> str | None:
        return None

    def run(self, doc, facts, rule, directives=()) -> RunResult:
        p: _Prepared = rule.check
        mentions = [m for m in facts.mentions(p.trigger) if m.section in rule.scope]
        if not mentions:
            return RunResult()
        blocks = doc.blocks
        scoped = [i for i, b in enumerate(blocks) if b.section in rule.scope]
        balanced = {i for i in scoped if any(a.search(blocks[i].match_texts()[0]) for a in p.accept)}
        out, done = [], set()
        for m in mentions:
            i = next((k for k in scoped if blocks[k].start <= m.start < max(blocks[k].end, blocks[k].start + 1)), None)
            if i is None or i in done:
                continue
            done.add(i)
            pos = scoped.index(i)
            near = scoped[max(0, pos - p.within_blocks): pos + p.within_blocks + 1]
            if any(k in balanced for k in near):
                continue
            out.append(Finding(m.start, m.end, {"trigger": f"'{m.text}'", "wording": p.wording},
                               label="no risk statement beside this", section=blocks[i].section,
                               pointer=blocks[i].pointer))
        return RunResult(out)
