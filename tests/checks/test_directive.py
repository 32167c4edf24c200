"""Kind `directive`: the engine hands it the article's inline suppressions once they are
applied; it reads nothing from `Facts`."""

from __future__ import annotations

from linter.checks.kind import RunResult
from linter.directives import apply, find_directives
from linter.document import parse_document
from linter.engine import check_source
from linter.entities import Facts
from linter.ruleset import load_rule_sets, shipped_rule_files
from linter.source import Source

RULES = {r.id: r for r in load_rule_sets(shipped_rule_files()).rules}
ARTICLE = (
    "# Acme\n\n"
    "<!-- copydesk: disable=PROMO202 -->\nShares rose.\n\n"
    '<!-- copydesk: disable-next-line=DISC101 reason="quoted" -->\nText.\n'
)


def _doc():
    return parse_document(Source("a.md", ARTICLE), "markdown")


def test_the_audit_reads_the_directives_it_is_handed():
    doc = _doc()
    directives = find_directives(doc.source, doc.format)
    apply(directives, [], doc.source)  # nothing to hide: the valid directive stays unused
    rule = RULES["SUPP001"]
    result = rule.impl.run(doc, Facts(doc), rule, directives)
    assert isinstance(result, RunResult)
    assert [(doc.source.position(f.start), f.values["problem"]) for f in result.findings] == [((3, 1), "missing reason")]
    unused = RULES["SUPP002"]
    found = unused.impl.run(doc, Facts(doc), unused, directives).findings
    assert [(doc.source.position(f.start), f.values["rules"]) for f in found] == [((6, 1), "DISC101")]


def test_without_directives_the_audit_finds_nothing():
    doc = _doc()
    rule = RULES["SUPP001"]
    assert rule.impl.run(doc, Facts(doc), rule).findings == []
    assert not hasattr(Facts(doc), "directives")  # no side channel through the facts


def test_the_engine_hands_them_over_after_the_other_rules():
    result = check_source(Source("a.md", ARTICLE), [RULES["SUPP001"], RULES["SUPP002"]], "markdown")
    assert [(d.rule, result.source.position(d.start), d.message) for d in result.diagnostics] == [
        ("SUPP001", (3, 1), "Suppression without a reason (missing reason): it suppresses nothing"),
        ("SUPP002", (6, 1), "Suppression of DISC101 hides nothing: remove it"),
    ]
