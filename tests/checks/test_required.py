"""Kind `required`: the message names what made the rule's `when:` true (the condition's own
`reasons`), or what the `trigger` option names."""

from __future__ import annotations

import pytest

from linter.checks import KINDS
from linter.engine import check_source
from linter.ruleset import load_rule_sets
from linter.source import Source

RULE = """\
rules:
  - id: TEST501
    name: test.paid-label
    category: disclaimer
    severity: warning
    kind: required
    message: "Paid content is not labelled (trigger: {{trigger}})"
    policy: House style
    when: "{when}"
    options:
      accept: ['\\\\bpaid content\\\\b']
{extra}"""

SPONSOR_LINE = "This article is sponsored by Acme Corp."


def _message(tmp_path, when: str, front_matter: str, body: str, extra: str = "") -> str:
    path = tmp_path / "rules.yaml"
    path.write_text(RULE.format(when=when, extra=extra), encoding="utf-8")
    [rule] = load_rule_sets([str(path)], kinds=KINDS).rules
    text = f"---\n{front_matter}\n---\n\n# Acme\n\n{body}\n"
    [d] = check_source(Source("a.md", text), [rule], "markdown").diagnostics
    return d.message


@pytest.mark.parametrize("when, front_matter, body, trigger", [
    # the first alternative that holds names it: a front-matter value that fails its comparison does not
    ("front_matter.sponsored == true or mentions.sponsor_line", "sponsored: 'yes'", SPONSOR_LINE,
     "'This article is sponsored'"),
    ("front_matter.sponsored == true or mentions.sponsor_line", "sponsored: true", SPONSOR_LINE,
     "front matter 'sponsored: true'"),
    ("mentions.sponsor_line and front_matter.sponsored", "sponsored: true", SPONSOR_LINE,
     "'This article is sponsored'"),
    ("front_matter.deal.paid == true", "deal: {paid: true}", "Shares rose.", "front matter 'deal.paid: true'"),
    # true by an absence, or by a fact that is not a mention or front matter: nothing to quote
    ("not sections.disclaimer", "title: x", "Shares rose.", "this article"),
    ("format == 'markdown'", "title: x", "Shares rose.", "this article"),
])
def test_the_trigger_is_what_made_the_condition_true(tmp_path, when, front_matter, body, trigger):
    assert _message(tmp_path, when, front_matter, body) == f"Paid content is not labelled (trigger: {trigger})"


def test_the_trigger_option_names_it_instead(tmp_path):
    message = _message(tmp_path, "front_matter.sponsored == true", "sponsored: true", SPONSOR_LINE,
                       "      trigger: mentions.sponsor_line\n")
    assert message == "Paid content is not labelled (trigger: 'This article is sponsored')"
    message = _message(tmp_path, "front_matter.sponsored == true", "sponsored: true", "Shares rose.",
                       "      trigger: mentions.sponsor_line\n")
    assert message == "Paid content is not labelled (trigger: this article)"  # named, but not in the article
