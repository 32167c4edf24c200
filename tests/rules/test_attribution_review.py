"""The hand-reviewed samples of ATTR201 (and, from sample 3, unverified) findings on the
news corpus, held as test cases.

tests/data/attribution_review.yaml records each reviewed finding by position with its
verdict: right claims must stay flagged, fixed false positives must stay gone, and known
false positives, and claims a later rule change stopped flagging (`missed`, with why), are
expected failures (strict: fixing one makes the test say so).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from linter.engine import check_source
from linter.ruleset import load_rule_sets, shipped_rule_files
from linter.source import decode
from tests.conftest import CORPUS, ROOT, need_shared

REVIEW = yaml.safe_load((ROOT / "tests" / "data" / "attribution_review.yaml").read_text(encoding="utf-8"))
RULES = {r.id: r for r in load_rule_sets(shipped_rule_files()).rules}


def _cases():
    for f in REVIEW["findings"]:
        marks = []
        if f["verdict"] == "false_positive" and not f["fixed"]:
            marks.append(pytest.mark.xfail(strict=True, reason=f"known false positive: {f['why']}"))
        if f["verdict"] == "claim" and f.get("missed"):
            marks.append(pytest.mark.xfail(strict=True, reason=f"known miss: {f['missed']}"))
        yield pytest.param(f, id=f"s{f['sample']}:{Path(f['file']).stem[:40]}:{f['line']}:{f['col']}", marks=marks)


@pytest.mark.parametrize("finding", list(_cases()))
def test_reviewed_finding(finding):
    path = need_shared(CORPUS / finding["file"])
    rule = finding.get("rule", "ATTR201")
    result = check_source(decode(str(path), path.read_bytes()), [RULES[rule]])
    flagged_at = {result.source.position(d.start) for d in result.diagnostics if d.rule == rule}
    here = (finding["line"], finding["col"])
    if finding["verdict"] == "claim":
        assert here in flagged_at, f"a reviewed claim is no longer flagged ({finding['why']})"
    else:
        assert here not in flagged_at, f"a reviewed false positive is flagged ({finding['why']})"


def test_the_samples_are_the_documented_size():
    sizes: dict[int, int] = {}
    for f in REVIEW["findings"]:
        sizes[f["sample"]] = sizes.get(f["sample"], 0) + 1
        assert f["verdict"] in {"claim", "false_positive"}
    assert sizes == REVIEW["sizes"] == {1: 24, 2: 40, 3: 40, 4: 40, 5: 40}
