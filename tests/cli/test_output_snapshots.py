"""Snapshot tests: every output format for one fixed article and the shipped rules.

Set UPDATE_SNAPSHOTS=1 to rewrite the files after an intended change, then review the diff.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from linter.engine import check_source
from linter.reporters import get_reporter, json_report, text
from linter.ruleset import load_rule_sets, shipped_rule_files
from linter.source import read_source

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
ARTICLE = "tests/fixtures/snapshot-article.md"
SNAPSHOTS = ROOT / "tests" / "snapshots"


def _rules():
    return load_rule_sets(shipped_rule_files()).rules


def _results():
    old = os.getcwd()
    os.chdir(ROOT)
    try:
        return [check_source(read_source(ARTICLE), _rules())]
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


def _versionless(text_out: str) -> str:
    from linter import __version__

    return text_out.replace(f'"version": "{__version__}"', '"version": "<version>"')


@pytest.mark.parametrize("fmt, name", [("concise", "check.concise.txt"), ("github", "check.github.txt"), ("sarif", "check.sarif")])
def test_other_format_snapshots(fmt, name):
    buf = io.StringIO()
    get_reporter(fmt).report(_results(), buf, _rules())
    _compare(name, _versionless(buf.getvalue()))


def test_sarif_validates_against_the_sarif_2_1_0_schema():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "tests" / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    buf = io.StringIO()
    get_reporter("sarif").report(_results(), buf, _rules())
    log = json.loads(buf.getvalue())
    jsonschema.validate(log, schema)
    assert len(log["runs"][0]["results"]) == 7
    assert log["runs"][0]["columnKind"] == "unicodeCodePoints"
