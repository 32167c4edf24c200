"""`when: genre == "press_release"`: the page's genre (a wire dateline makes a press release)
is a fact conditions can use, and a misspelt use is a one-line error with its column."""

from __future__ import annotations

import pytest

from linter.engine import check_source
from linter.ruleset import load_rule_sets
from linter.ruleset.errors import RuleFileError
from linter.source import Source

RULE = """\
ruleset: house
rules:
  - id: HOUSE901
    name: house.release-contact
    category: disclaimer
    severity: warning
    kind: required
    message: "Press release without a media contact"
    help: "add the issuer's media contact"
    policy: {ref: "House policy R-1"}
    scope: [disclaimer, body, boilerplate]
    when: {when}
    options:
      accept: ['\\\\bmedia contact\\\\b']
"""

RELEASE = """Acme prices offering

TORONTO, July 27, 2020 (GLOBE NEWSWIRE) -- Acme Corp. announced its offering today.
"""
NEWS = """Acme prices offering

TORONTO, July 27 (Reuters) - Acme Corp. announced its offering on Monday, it said.
"""


def _rules(tmp_path, when: str):
    path = tmp_path / "house.yaml"
    path.write_text(RULE.replace("{when}", when), encoding="utf-8")
    return load_rule_sets([str(path)]).rules


@pytest.mark.parametrize("article, fires", [(RELEASE, True), (NEWS, False)])
def test_genre_condition(tmp_path, article, fires):
    rules = _rules(tmp_path, "'genre == \"press_release\"'")
    result = check_source(Source("a.txt", article), rules, "text")
    assert [(d.rule, d.message) for d in result.diagnostics] == ([("HOUSE901", "Press release without a media contact")] if fires else [])


def test_genre_has_no_fields(tmp_path):
    with pytest.raises(RuleFileError) as info:
        _rules(tmp_path, "'genre.kind == \"x\"'")
    path = tmp_path / "house.yaml"
    assert str(info.value) == f"{path}:12:12 error: rule HOUSE901: key 'when': invalid condition: 'genre' has no fields"
