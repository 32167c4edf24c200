"""Data-driven rule tests: tests/rules/cases/<RULE_ID>.yaml for every shipped rule.

A case without `expect` must produce no diagnostic of that rule; otherwise the rule's
diagnostics must equal the list exactly (line, col, end_line, end_col, message).
`pytest -k DISC101` runs one rule's cases.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from linter.engine import check_source
from linter.ruleset import load_rule_sets, shipped_rule_files
from linter.ruleset.loader import optional_rule_files
from linter.source import Source

CASES = Path(__file__).parent / "cases"
# the opt-in rule sets (rules/opt-in/) are shipped rules too: their cases run here
RULES = {r.id: r for r in load_rule_sets([*shipped_rule_files(), *optional_rule_files()]).rules}


def _register_cues(data):
    """A case file's `register:` (the register kind's disclosures register), as parser cues."""
    if "register" not in data:
        return None
    from linter.checks.register import register_cues

    return register_cues(data["register"])


def _cases():
    for path in sorted(CASES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for name, case in data["cases"].items():
            yield pytest.param(data["rule"], name, case, _register_cues(data), id=f"{data['rule']}-{name}")


@pytest.mark.parametrize("rule_id, name, case, cues", list(_cases()))
def test_rule_case(rule_id, name, case, cues):
    rule = RULES[rule_id]
    fmt = case.get("format", "markdown")
    ext = {"markdown": "md", "html": "html", "text": "txt", "json": "json"}[fmt]
    # audit rules need the findings their directives hide: run every rule, compare this one's
    rules = list(RULES.values()) if rule.kind == "directive" else [rule]
    result = check_source(Source(f"case.{ext}", case["article"]), rules, fmt, cues)
    assert result.error is None
    got = []
    for d in result.diagnostics:
        if d.rule != rule_id:
            continue
        line, col = result.source.position(d.start)
        end_line, end_col = result.source.position(d.end)
        got.append({"line": line, "col": col, "end_line": end_line, "end_col": end_col, "message": d.message,
                    "severity": d.severity})
    expected = case.get("expect", [])
    # `severity` is compared where a case states it (context can lower it)
    assert [{k: g[k] for k in e} for g, e in zip(got, expected)] == expected and len(got) == len(expected), got
    assert name.startswith("pass") == (not got)
    if "fix" in case:
        from linter.fixes import fix_source

        fixed, _, after = fix_source(Source(f"case.{ext}", case["article"]), [rule], fmt, cues)
        assert fixed == case["fix"]
        assert [d.fix_note for d in after.diagnostics if d.rule == rule_id and d.fix_note] == case.get("fix_notes", [])


def test_every_shipped_rule_has_cases_and_examples():
    covered = {}
    for path in CASES.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        covered[data["rule"]] = data["cases"]
    for rule_id, rule in RULES.items():
        assert rule_id in covered, f"{rule_id} has no tests/rules/cases/{rule_id}.yaml"
        names = list(covered[rule_id])
        assert any(n.startswith("pass") for n in names) and any(n.startswith("fail") for n in names), rule_id
        assert rule.examples_pass and rule.examples_fail, f"{rule_id} has no pass/fail examples in {rule.file}"


def test_shipped_examples_behave_as_written():
    from linter.commands.rules import example_failures

    for rule in RULES.values():
        assert example_failures(rule, list(RULES.values())) == [], rule.id
