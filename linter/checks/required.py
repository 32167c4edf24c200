"""Kind `required`: a disclaimer or disclosure that must be present when `when:` holds.

PASS  "... Not a recommendation to buy or sell."   (an `accept` pattern matches)
FAIL  an article that mentions (TSXV: HLV) and has no such line  ->  one finding, placed
      where the text belongs: the start of the disclaimer section, else the last body
      paragraph (or the headline, for `missing_at: headline`).

Options: `wording` (the house text, quoted in the help), `accept` (regexes for tolerated
variants; text is compared with curly/straight quotes, dashes and whitespace normalised),
`placement` (`anywhere`, `start`: anything above the body or its first `within_words` words;
`end`: after the last body paragraph), `missing_at` (`disclaimer` or `headline`),
`elements` (what the disclaimer must say, each element a list of the wordings publishers use
for it: without `anchor`, one sentence that names every element satisfies the rule, so an
equivalent sentence passes and a legend about something else does not), `anchor` +
`elements` (a disclosure found by `anchor` must name each element somewhere in its paragraphs,
e.g. the payer and the amount; one finding per missing element, at the disclosure).
`trigger` (a `when:` name such as `mentions.ticker` or `front_matter.sponsored`): what the
message's `{trigger}` quotes, instead of the names that made the `when:` condition true.
`fix` (a mapping: `insert`, where `--fix` puts the wording, `end`, `disclaimer` or `top`;
`html_class`, the class of the paragraph it adds to an HTML article; `note`): `--fix`
inserts the rule's `wording` (or the configuration's house wording) there.
`wording` may be left out when no wording is true by construction (a position disclosure):
the finding then carries `fix.note` as its fix_note; a configured wording is inserted and,
once present, satisfies the rule.
"""

from __future__ import annotations

import re

from ..diagnostics import Finding
from ..patterns.compile import compile_patterns
from .kind import Option, RunResult, read_options

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only
    from ..ruleset.condition import Name
    from ..ruleset.model import Rule
    from .kind import Fail

PLACEMENTS = ("anywhere", "start", "end")
MISSING_AT = ("disclaimer", "headline")
_TRIGGER = re.compile(r"(mentions|front_matter)\.([A-Za-z0-9_-]+)")
_TOP = ("headline", "dek", "byline", "dateline")


class _Prepared:
    """A rule's options, checked and compiled."""

    __slots__ = ("wording", "accept", "placement", "within_words", "missing_at", "anchor", "elements", "trigger", "fix")
    wording: str
    accept: list
    placement: str
    within_words: int
    missing_at: str
    anchor: list
    elements: dict[str, list]
    trigger: Name | None  # the `trigger` option: what the message quotes, instead of the `when:` reasons
    fix: dict | None


class RequiredKind:
    name = "required"
    default_scope = ("disclaimer", "body", "boilerplate")
    message_fields = ("wording", "trigger", "element")
    options = (
        Option("wording", str, ""),
        Option("accept", list, []),
        Option("placement", str, "anywhere", choices=PLACEMENTS),
        Option("within_words", int, 60),
        Option("missing_at", str, "disclaimer", choices=MISSING_AT),
        Option("anchor", list, []),
        Option("elements", dict, {}),
        Option("trigger", str, None),
        Option("fix", dict, None),
    )
    runs_after_suppression = False

    def prepare(self, rule: Rule, fail: Fail) -> _Prepared:
        o = read_options(rule, fail, self.options)
        p = _Prepared()
        p.wording = o["wording"]
        p.accept = compile_patterns(o["accept"], lambda m: fail("accept", m))
        p.placement = o["placement"]
        p.within_words = o["within_words"]
        p.missing_at = o["missing_at"]
        p.anchor = compile_patterns(o["anchor"], lambda m: fail("anchor", m))
        elements = o["elements"]
        p.elements = {}
        for name, pattern in elements.items():
            p.elements[str(name)] = compile_patterns([pattern] if isinstance(pattern, str) else pattern,
                                                     _element_fail(fail, str(name)))
        if p.wording.strip():
            from ..fixes import wording_literal, wording_problem

            problem = wording_problem(p.wording)
            if problem:
                fail("wording", problem)
            # the house wording itself always satisfies the rule (a fix inserts it once)
            p.accept += compile_patterns([wording_literal(p.wording)], lambda m: fail("wording", m), literal=True)
        p.fix = o["fix"]
        if p.fix is not None:
            from ..fixes import INSERT_AT

            if set(p.fix) - {"insert", "html_class", "note"} or p.fix.get("insert") not in INSERT_AT:
                fail("fix", f"must be a mapping with 'insert' (one of: {', '.join(INSERT_AT)}) and may give 'html_class' and 'note'")
            if not p.wording.strip() and not p.fix.get("note"):
                fail("fix", "a fix without 'wording' needs a 'note' saying why nothing is inserted")
        p.trigger = None
        if o["trigger"] is not None:
            m = _TRIGGER.fullmatch(o["trigger"])
            if m is None:
                fail("trigger", "must name what the message quotes, e.g. mentions.forward_looking")
            from ..ruleset.condition import Name

            p.trigger = Name(m.group(1), (m.group(2),))
        if not p.accept and not p.elements:
            fail("accept", "a required rule needs 'accept' patterns or 'elements' (with 'anchor' for a disclosure to inspect)")
        return p

    def unreachable_scope(self, rule: Rule) -> str | None:
        p: _Prepared = rule.check
        if p.placement == "start" and not set(rule.scope) & {"headline", "dek", "byline", "dateline", "body"}:
            return "placement 'start' looks at the headline, dek, byline and the start of the body, none of which is in scope"
        if p.placement == "end" and not set(rule.scope) & {"body", "disclaimer", "boilerplate", "quote"}:
            return "placement 'end' looks after the last body paragraph, but no section that can stand there is in scope"
        return None

    # -- running ------------------------------------------------------------------------
    def run(self, doc, facts, rule, directives=()) -> RunResult:
        p: _Prepared = rule.check
        candidates = self._candidates(doc, rule, p)
        names = (p.trigger,) if p.trigger is not None else rule.when.reasons(facts) if rule.when is not None else ()
        trigger = _trigger(facts, names)
        values = {"wording": p.wording, "trigger": trigger, "element": "disclosure"}
        if not p.anchor:
            sentences = doc.sentences_by_block()
            for i, block, limit in candidates:
                text = block.match_texts()[0][:limit]
                if any(a.search(text) for a in p.accept):
                    return RunResult()
                if p.elements and _names_all(text, sentences.get(i, ()), p.elements):
                    return RunResult()
            finding = self._missing(doc, p, values)
            self._attach_fix(doc, facts, p, finding)
            return RunResult([finding])
        # a disclosure found by its anchor: every element must be named somewhere in it
        disclosure = _disclosure(doc, candidates, p.anchor)
        if not disclosure:
            everything = " and ".join(p.elements) or "disclosure"
            return RunResult([self._missing(doc, p, {**values, "element": everything})])
        block, m = disclosure[0]
        out = []
        for name, patterns in p.elements.items():
            if not any(pt.search(b.match_texts()[0]) for b, _ in disclosure for pt in patterns):
                s, e = block.textmap.to_source(m.start(), m.end())
                out.append(Finding(s, e, {**values, "element": name}, label=f"does not name the {name}",
                                   section=block.section, pointer=block.pointer))
        return RunResult(out)

    @staticmethod
    def _attach_fix(doc, facts, p: _Prepared, finding: Finding) -> None:
        """The insertion the rule declares, in the article's form (fixes.py builds it)."""
        if p.fix is None:
            return
        if not p.wording.strip():
            finding.fix_note = "fix not applied: " + p.fix["note"]
            return
        from ..fixes import insertion, render_wording, shown_wording, template_values

        known = template_values(doc, facts)
        finding.values = {**finding.values, "wording": shown_wording(p.wording, known)}  # the help quotes it
        wording, note = render_wording(p.wording, known)
        if wording is None:
            finding.fix_note = note
            return
        finding.fix, finding.fix_note = insertion(doc, p.fix["insert"], wording, p.fix.get("html_class", "disclosure"))

    @staticmethod
    def _candidates(doc, rule, p: _Prepared):
        """(index, block, characters of its text that count) for the blocks where the text may stand."""
        blocks = doc.blocks
        scoped = [(i, b) for i, b in enumerate(blocks) if b.section in rule.scope]
        if p.placement == "anywhere":
            return [(i, b, len(b.text)) for i, b in scoped]
        body = [i for i, b in enumerate(blocks) if b.section == "body"]
        if p.placement == "end":
            last = body[-1] if body else -1
            return [(i, b, len(b.text)) for i, b in scoped if i >= last]
        out, words = [], p.within_words
        first_body = body[0] if body else len(blocks)
        for i, b in scoped:
            if i < first_body:
                out.append((i, b, len(b.text)))  # headline, dek, byline, a label above the body
            elif b.section == "body" and words > 0:
                # the first N words of the article body
                spans = [m.end() for m in re.finditer(r"\S+", b.text)]
                take = spans[min(words, len(spans)) - 1] if spans else 0
                out.append((i, b, take))
                words -= len(spans)
            elif i > first_body:
                break
        return out

    @staticmethod
    def _missing(doc, p: _Prepared, values) -> Finding:
        sentences = doc.sentences
        if p.missing_at == "headline":
            target = next((s for s in sentences if s.section == "headline"), None)
            label = "label the piece as paid content here"
        else:
            target = next((s for s in sentences if s.section == "disclaimer"), None)
            label = "the disclosure block lacks this text"
            if target is None:
                target = next((s for s in reversed(sentences) if s.section == "body"), None)
                label = "add it after the last paragraph"
        if target is None and sentences:
            target = sentences[0]
        if target is None:
            return Finding(0, min(1, len(doc.text)), values, label=label, document_level=True)
        block = doc.blocks[target.block]
        return Finding(target.start, target.end, values, label=label, section=target.section, pointer=block.pointer, document_level=True)


def _element_fail(fail: Fail, name: str):
    """`fail` for a pattern of element `name`: the error names the element."""
    return lambda message: fail("elements", f"{name}: {message}")


def _trigger(facts, names) -> str:
    """What made the condition true, for the message: the first of `names` (those that made
    the `when:` condition true, or the `trigger` option) that is a mention the article has or
    front matter it sets, as the text it quotes."""
    for name in names:
        if name.root == "mentions":
            found = facts.mentions(name.keys[0])
            in_text = [m for m in found if m.section != "front_matter"]
            if in_text:
                return f"'{in_text[0].text}'"
            if found:
                return f"front matter '{found[0].text}'"
        elif name.root == "front_matter":
            value = name.value(facts)
            if value:
                shown = str(value).lower() if isinstance(value, bool) else value
                return f"front matter '{'.'.join(name.keys)}: {shown}'"
    return "this article"


def _names_all(text: str, sentences, elements) -> bool:
    """Does one sentence of the block name every element (in any of its wordings)?"""
    spans = [(s.plain_start, s.plain_end) for s in sentences] or [(0, len(text))]
    for a, b in spans:
        b = min(b, len(text))
        if a < b and all(any(v.search(text, a, b) for v in variants) for variants in elements.values()):
            return True
    return False


def _disclosure(doc, candidates, anchor):
    """The disclosure the elements are read from: every paragraph the anchor finds (the first
    is where a finding points) and the paragraphs that run on from one in a disclosure section,
    so a payer named two paragraphs after the amount still counts."""
    out, seen = [], set()
    by_index = {i: b for i, b, _ in candidates}
    for i, block, limit in candidates:
        m = next((m for a in anchor for m in [a.search(block.match_texts()[0][:limit])] if m), None)
        if m is None or i in seen:
            continue
        out.append((block, m))
        seen.add(i)
        j = i + 1
        while block.section in ("disclaimer", "boilerplate") and j in by_index and by_index[j].section == block.section:
            if j not in seen:
                out.append((by_index[j], m))
                seen.add(j)
            j += 1
    return out
