"""Kind `claim` (attribution.py): its notes (why each candidate was left alone, the story's
sourcing notes) come back to the engine in the `RunResult`, not through `Facts`."""

from __future__ import annotations

from linter.checks.kind import RunResult
from linter.document import parse_document
from linter.engine import check_source
from linter.entities import Facts
from linter.ruleset import load_rule_sets, shipped_rule_files
from linter.source import Source

RULE = next(r for r in load_rule_sets(shipped_rule_files()).rules if r.id == "ATTR201")
ARTICLE = """# Acme

Revenue rose 4.2% to $1.3 billion in the quarter, the company said.

Acme is in talks to buy Beta for $2 billion.

Information for this story was gathered from company filings.
"""


def _run():
    doc = parse_document(Source("a.md", ARTICLE), "markdown")
    facts = Facts(doc)
    before = dict(vars(facts))
    result = RULE.impl.run(doc, facts, RULE)
    return doc, facts, before, result


def test_findings_and_notes_come_back_in_the_result():
    doc, _, _, result = _run()
    assert isinstance(result, RunResult)
    position = doc.source.position
    assert [(position(f.start), f.values["trigger"]) for f in result.findings] == [((5, 1), "figure '$2 billion'")]
    assert [(position(a), why) for a, b, why in result.not_flagged] == [((3, 1), "sourced: attribution 'said'")]
    assert [(position(a), position(b)) for a, b in result.sourcing] == [((7, 1), (7, 62))]


def test_the_facts_are_left_as_they_were():
    _, facts, before, _ = _run()
    assert set(vars(facts)) == set(before)  # no attribute added (only the mention cache fills)
    for name in ("claim_notes", "sourcing_notes", "directives"):
        assert not hasattr(facts, name)


def test_the_engine_puts_them_on_the_file_result():
    result = check_source(Source("a.md", ARTICLE), [RULE], "markdown")
    assert [(result.source.position(a), rule, why) for a, b, rule, why in result.not_flagged] == [
        ((3, 1), "ATTR201", "sourced: attribution 'said'")]
    assert [result.source.position(a) for a, b in result.sourcing] == [(7, 1)]


def test_a_rule_not_run_leaves_no_notes():
    from linter.ruleset.condition import compile_condition

    quiet = RULE.replace(when=compile_condition("format == 'html'", ()), when_source="format == 'html'")
    result = check_source(Source("a.md", ARTICLE), [quiet], "markdown")
    assert (result.diagnostics, result.not_flagged, result.sourcing) == ([], [], [])
