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
from .base import check_known_options, get_option

OPTIONS = ("link_patterns", "accept", "wording")


class _Prepared:
    __slots__ = ("links", "accept", "wording")


class AffiliateKind:
    name = "affiliate"
    default_scope = ("headline", "dek", "byline", "body", "disclaimer", "boilerplate")
    message_fields = ("link", "wording")

    def prepare(self, rule, fail) -> _Prepared:
        check_known_options(rule, fail, OPTIONS)
        p = _Prepared()
        p.links = compile_patterns(get_option(rule, fail, "link_patterns", list, required=True), lambda m: fail("link_patterns", m))
        p.wording = get_option(rule, fail, "wording", str, "")
        p.accept = compile_patterns(get_option(rule, fail, "accept", list, []), lambda m: fail("accept", m))
        if p.wording.strip():
            p.accept += compile_patterns([p.wording], lambda m: fail("wording", m), literal=True)
        if not p.accept:
            fail("accept", "an affiliate rule needs 'accept' patterns or a 'wording'")
        return p

    def unreachable_scope(self, rule) -> str | None:
        return None

    def run(self, doc, facts, rule) -> list[Finding]:
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
            return []
        i, block, link = first
        # a disclosure counts when it starts before the link (earlier block, or earlier in this one)
        for j, b in enumerate(doc.blocks[: i + 1]):
            if b.section not in rule.scope:
                continue
            text = b.match_texts()[0]
            for pt in p.accept:
                m = pt.search(text)
                if m and (j < i or b.textmap.to_source(m.start(), m.end())[0] < link.start):
                    return []
        from ..safetext import visible

        finding = Finding(link.start, link.end, {"link": visible(link.href[:80]), "wording": p.wording},
                          label="disclose the material connection before this link", section=block.section,
                          pointer=block.pointer)
        if p.wording.strip():
            from ..fixes import insertion

            finding.fix, finding.fix_note = insertion(doc, "top", p.wording)
        return [finding]
