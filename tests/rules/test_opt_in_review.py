"""The hand review of the issue-22 rules on real articles, held as test cases.

tests/data/opt_in_review.yaml records every finding of benchmarks/opt_in_rules.py (the opt-in
rule sets on ../shared/eval/financial and ../shared/corpus) and a sample of the facts those
rules are conditioned on, each by position with its verdict: right ones must stay found, a
known false positive is an expected failure (strict: fixing it makes the test say so).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from linter.document import parse_document
from linter.engine import check_source
from linter.entities import Facts
from linter.ruleset import load_rule_sets
from linter.ruleset.loader import optional_rule_files
from linter.source import decode
from tests.conftest import ROOT, SHARED, need_shared

REVIEW = yaml.safe_load((ROOT / "tests" / "data" / "opt_in_review.yaml").read_text(encoding="utf-8"))
RULES = {r.id: r for r in load_rule_sets(optional_rule_files()).rules}


def _params(key):
    for f in REVIEW[key]:
        marks = [pytest.mark.xfail(strict=True, reason=f["why"])] if f["verdict"] == "false_positive" else []
        yield pytest.param(f, id=f"{Path(f['file']).stem[:40]}:{f['line']}:{f['col']}", marks=marks)


@pytest.mark.parametrize("finding", list(_params("findings")))
def test_reviewed_finding(finding):
    path = need_shared(SHARED / finding["file"])
    result = check_source(decode(str(path), path.read_bytes()), [RULES[finding["rule"]]])
    flagged_at = {result.source.position(d.start) for d in result.diagnostics if d.rule == finding["rule"]}
    # a right finding must stay; a known false positive is expected to stay too (xfail) until fixed
    assert ((finding["line"], finding["col"]) in flagged_at) == (finding["verdict"] == "right"), finding["why"]


@pytest.mark.parametrize("fact", list(_params("facts")))
def test_reviewed_fact(fact):
    path = need_shared(SHARED / fact["file"])
    source = decode(str(path), path.read_bytes())
    facts = Facts(parse_document(source, None))
    found = {(source.position(m.start), m.text) for m in facts.mentions(fact["fact"])}
    assert (((fact["line"], fact["col"]), fact["text"]) in found) == (fact["verdict"] == "right"), fact["why"]


def test_the_review_is_the_documented_size_and_precision():
    assert REVIEW["sizes"] == {"findings": len(REVIEW["findings"]), "facts": len(REVIEW["facts"])}
    assert len(REVIEW["findings"]) + len(REVIEW["facts"]) == 30
    right = sum(f["verdict"] == "right" for f in REVIEW["findings"] + REVIEW["facts"])
    assert right / 30 >= 0.8
