"""Snapshot tests: the text and JSON output for one fixed article and the shipped rules.

Set UPDATE_SNAPSHOTS=1 to rewrite the files after an intended change, then review the diff.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

from linter.engine import check_source
from linter.reporters import json_report, text
from linter.ruleset import load_rule_sets, shipped_rule_files
from linter.source import read_source

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
ARTICLE = "tests/fixtures/snapshot-article.md"
SNAPSHOTS = ROOT / "tests" / "snapshots"


def _results():
    old = os.getcwd()
    os.chdir(ROOT)
    try:
        rules = load_rule_sets(shipped_rule_files()).rules
        return [check_source(read_source(ARTICLE), rules)]
    finally:
        os.chdir(old)


def _compare(name: str, actual: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("UPDATE_SNAPSHOTS"):
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8")


def test_text_output_snapshot(monkeypatch):
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    buf = io.StringIO()
    text.report(_results(), buf)
    _compare("check.txt", buf.getvalue())


def test_json_output_snapshot():
    buf = io.StringIO()
    json_report.report(_results(), buf)
    data = json.loads(buf.getvalue())
    data["tool"]["version"] = "<version>"
    _compare("check.json", json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def test_json_match_is_exactly_the_source_span():
    results = _results()
    source = results[0].source
    for d in json_report.to_dict(results)["files"][0]["diagnostics"]:
        assert d["match"] == source.text[d["start"] : d["end"]]
        assert (d["line"], d["column"]) == source.position(d["start"])
