"""Why a checkable fact went unflagged: the claim kind's notes reach FileResult and the JSON."""

from __future__ import annotations

import io
import json

import pytest

from linter.engine import check_source
from linter.reporters import json_report
from linter.ruleset import load_rule_sets, shipped_rule_files
from linter.source import Source

ARTICLE = """# Acme

Revenue rose 4.2% to $1.3 billion in the quarter, the company said.

Shares of Acme fell 3% to $41.20 in New York trading.

"We sold 9 million units," said Jane Roe, the chief executive.

Acme is likely to cut 500 jobs next year.

Acme is in talks to buy Beta for $2 billion.
"""


def _result():
    rules = [r for r in load_rule_sets(shipped_rule_files()).rules if r.id == "ATTR201"]
    return check_source(Source("a.md", ARTICLE), rules, "markdown")


def test_each_candidate_left_alone_says_why():
    r = _result()
    assert [(d.rule, r.source.position(d.start)) for d in r.diagnostics] == [("ATTR201", (11, 1))]
    got = [(r.source.position(a), rule, why) for a, b, rule, why in r.not_flagged]
    assert got == [
        ((3, 1), "ATTR201", "sourced: attribution 'said'"),
        ((5, 1), "ATTR201", "needs no source: market data"),
        ((7, 1), "ATTR201", "sourced: attribution '\"We sold 9 million units,\"'"),
        ((9, 1), "ATTR201", "hedged or forecast: left to the unverified rules"),
    ]


def test_json_lists_not_flagged_with_positions_and_text():
    out = io.StringIO()
    json_report.report([_result()], out)
    entry = json.loads(out.getvalue())["files"][0]
    first = entry["not_flagged"][0]
    assert first == {"line": 3, "column": 1, "end_line": 3, "end_column": 68, "start": 8, "end": 75,
                     "rule": "ATTR201", "reason": "sourced: attribution 'said'",
                     "text": "Revenue rose 4.2% to $1.3 billion in the quarter, the company said."}


def test_cli_prints_not_flagged_only_with_explain(tmp_path, capsys):
    from linter.cli import main

    article = tmp_path / "a.md"
    article.write_text(ARTICLE, encoding="utf-8")
    main(["check", "--format", "json", "--select", "ATTR201", str(article)])
    assert "not_flagged" not in json.loads(capsys.readouterr().out)["files"][0]
    main(["check", "--format", "json", "--select", "ATTR201", "--explain", str(article)])
    entry = json.loads(capsys.readouterr().out)["files"][0]
    assert [(n["line"], n["reason"]) for n in entry["not_flagged"]] == [
        (3, "sourced: attribution 'said'"),
        (5, "needs no source: market data"),
        (7, "sourced: attribution '\"We sold 9 million units,\"'"),
        (9, "hedged or forecast: left to the unverified rules"),
    ]


@pytest.mark.parametrize("sentence, reason", [
    ("Did Acme really sell 9 million units in 2023?", "voice: a question"),
    ("I bought 200 shares of Acme for $8,200 in March 2021.", "voice: the author's own account"),
    ("Your $1,000 stake in Acme bought 40 shares in 2015.", "voice: addressed to the reader"),
    ("Acme sold 9 million units in 2023, Jane Roe told analysts.", "sourced: attribution 'told'"),
])
def test_each_voice_is_named_as_the_reason(sentence, reason):
    rules = [r for r in load_rule_sets(shipped_rule_files()).rules if r.id == "ATTR201"]
    r = check_source(Source("v.md", f"# Acme\n\n{sentence}\n"), rules, "markdown")
    assert r.diagnostics == []
    assert [(r.source.position(a), why) for a, b, rule, why in r.not_flagged] == [((3, 1), reason)]
