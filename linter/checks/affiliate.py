"""Kind `affiliate`: an affiliate link must come after the disclosure of the material connection.

PASS  "We may earn a commission from links on this page." then [the card](https://amzn.to/x)
FAIL  [the card](https://example.com/?tag=site-20) before any such sentence  ->  the link text

The FTC's Endorsement Guides ask that a material connection be disclosed clearly and before
the reader meets the endorsement; a disclosure in the footer comes too late.  Links are read
from the parsed article (Markdown and HTML keep their targets).

Options: `link_patterns` (regexes matched against a link's target: what marks an affiliate
link), `accept` (regexes: wordings of the disclosure), `wording` (the house text: quoted in the
help and inserted at the top by `--fix`).
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

    __slots__ = ("links", "accept", "wording")
    links: list
    accept: list
    wording: str


class AffiliateKind:
    name = "affiliate"
    default_scope = ("headline", "dek", "byline", "body", "disclaimer", "boilerplate")
    message_fields = ("link", "wording")
    options = (
        Option("link_patterns", list, required=True),
        Option("accept", list, []),
        Option("wording", str, ""),
    )
    runs_after_suppression = False

    def prepare(self, rule: Rule, fail: Fail) -> _Prepared:
        o = read_options(rule, fail, self.options)
        p = _Prepared()
        p.links = compile_patterns(o["link_patterns"], lambda m: fail("link_patterns", m))
        p.wording = o["wording"]
        p.accept = compile_patterns(o["accept"], lambda m: fail("accept", m))
        if p.wording.strip():
            p.accept += compile_patterns([p.wording], lambda m: fail("wording", m), literal=True)
        if not p.accept:
            fail("accept", "an affiliate rule needs 'accept' patterns or a 'wording'")
        return p

    def unreachable_scope(self, rule: Rule) -> str | None:
        return None

    def run(self, doc, facts, rule, directives=()) -> RunResult:
        p: _Prepared = rule.check
        first = None
        for i, block in enumerate(doc.blocks):
            if block.section not in rule.scope:
                continue
            for link in block.links:
                if any(pt.search(link.href) for pt in p.links):
                    first = (i, block, link)
                    break
            if first:
                break
        if first is None:
            return RunResult()
        i, block, link = first
        # a disclosure counts when it starts before the link (earlier block, or earlier in this one)
        for j, b in enumerate(doc.blocks[: i + 1]):
            if b.section not in rule.scope:
                continue
            text = b.match_texts()[0]
            for pt in p.accept:
                m = pt.search(text)
                if m and (j < i or b.textmap.to_source(m.start(), m.end())[0] < link.start):
                    return RunResult()
        from ..safetext import visible

        finding = Finding(link.start, link.end, {"link": visible(link.href[:80]), "wording": p.wording},
                          label="disclose the material connection before this link", section=block.section,
                          pointer=block.pointer)
        if p.wording.strip():
            from ..fixes import insertion

            finding.fix, finding.fix_note = insertion(doc, "top", p.wording)
        return RunResult([finding])
