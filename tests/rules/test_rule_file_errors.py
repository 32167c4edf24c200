"""Each broken rule file gives one line naming file, YAML line, rule id and key; exit code 2."""

from __future__ import annotations

import textwrap

import pytest
import yaml

from linter.cli import main

# libyaml (used when PyYAML has it) and pure-Python PyYAML word this error differently
FLOW_ERROR = "did not find expected ',' or ']'" if yaml.__with_libyaml__ else "expected ',' or ']', but got ':'"

GOOD = """\
  - id: TEST101
    name: test.forbidden-word
    category: promotional
    severity: warning
    kind: forbidden
    message: "Forbidden: '{match}'"
    policy: House style
    options:
      phrases: [moonshot]
"""


CLAIM = """\
  - id: TEST201
    name: test.claim
    category: attribution
    severity: warning
    kind: claim
    message: "Claim: {trigger}"
    policy: House style
    options:
      features: [{name: x, weight: 1.0, fitted: false, trigger: figure, pattern: '\\d'}]
      sources: ['\\bsaid\\b']
"""


REQUIRED = """\
  - id: TEST301
    name: test.required
    category: disclaimer
    severity: warning
    kind: required
    message: "Missing ({trigger})"
    policy: House style
    options:
      accept: ['not advice']
"""


CUE = """\
  - id: TEST401
    name: test.cue
    category: unverified
    severity: info
    kind: cue
    message: "Hedge: {cue}"
    policy: House style
    options:
      cues: ['reportedly']
"""


def _rules(tmp_path, body: str):
    path = tmp_path / "house.yaml"
    path.write_text("rules:\n" + body, encoding="utf-8")
    return path


CASES = [
    ("unknown_key", GOOD.replace("    policy: House style\n", "    policy: House style\n    colour: red\n"),
     "{p}:9 error: rule TEST101: key 'colour': unknown key (expected one of: id, name, category, severity, kind, message, help, policy, scope, when, enabled, options, examples)"),
    ("wrong_type", GOOD.replace("severity: warning", "severity: [warning]"),
     "{p}:5 error: rule TEST101: key 'severity': must be a non-empty string, got list"),
    ("bad_severity", GOOD.replace("severity: warning", "severity: fatal"),
     "{p}:5 error: rule TEST101: key 'severity': unknown severity 'fatal' (expected one of: error, warning, info)"),
    ("bad_regex", GOOD.replace("phrases: [moonshot]", "patterns: ['(unclosed']"),
     "{p}:10 error: rule TEST101: key 'options.patterns': bad regular expression '(unclosed': missing ), unterminated subpattern at position 0"),
    ("unknown_kind", GOOD.replace("kind: forbidden", "kind: banned"),
     "{p}:6 error: rule TEST101: key 'kind': unknown kind 'banned' (expected one of: affiliate, balanced, claim, cue, directive, forbidden, register, required)"),
    ("unknown_category", GOOD.replace("category: promotional", "category: style"),
     "{p}:4 error: rule TEST101: key 'category': unknown category 'style' (expected one of: disclaimer, promotional, attribution, unverified, suppression)"),
    ("duplicate_id", GOOD + GOOD.replace("test.forbidden-word", "test.other"),
     "{p}:11 error: rule TEST101: key 'id': duplicate rule id (first defined at {p}:2)"),
    ("bad_condition", GOOD.replace("    policy: House style\n", "    policy: House style\n    when: mentions.ticker and or front_matter.x\n"),
     "{p}:9:31 error: rule TEST101: key 'when': invalid condition: unexpected 'or' in condition"),
    ("unknown_condition_name", GOOD.replace("    policy: House style\n", "    policy: House style\n    when: mentions.tickers\n"),
     "{p}:9:11 error: rule TEST101: key 'when': invalid condition: unknown mention 'tickers' (expected one of: ticker, price_target, performance, forward_looking, sponsor_line, sponsor_credit, own_recommendation, own_rating_change, analyst_action, crypto, call_to_action, benefit_claim, testimonial, hypothetical_performance, gross_performance, weak_label)"),
    ("scope_never_matches", GOOD.replace("    policy: House style\n", "    policy: House style\n    scope: [quote]\n"),
     "{p}:9 error: rule TEST101: key 'scope': scope is only 'quote' but skip_quotes is true: the rule can never match"),
    ("unknown_scope", GOOD.replace("    policy: House style\n", "    policy: House style\n    scope: [sidebar]\n"),
     "{p}:9 error: rule TEST101: key 'scope': unknown section 'sidebar' (expected any of: headline, dek, byline, dateline, body, quote, disclaimer, boilerplate)"),
    ("unknown_template_value", GOOD.replace("Forbidden: '{match}'", "Forbidden: '{word}'"),
     "{p}:7 error: rule TEST101: key 'message': unknown template value '{{word}}' (this kind fills: {{match}}, {{replacement}})"),
    ("missing_required_key", GOOD.replace("    policy: House style\n", ""),
     "{p}:2 error: rule TEST101: key 'policy': missing required key"),
    ("bad_id", GOOD.replace("TEST101", "test-1"),
     "{p}:2 error: rule test-1: key 'id': 'test-1' is not a family prefix and three digits, e.g. DISC101"),
    ("unknown_option", GOOD.replace("phrases: [moonshot]", "phrases: [moonshot]\n      colour: red"),
     "{p}:11 error: rule TEST101: key 'options.colour': unknown option for kind 'forbidden' (expected one of: phrases, patterns, unless, skip_quotes, replacement)"),
    ("unknown_claim_feature_key", CLAIM.replace("fitted: false", "fited: false"),
     "{p}:10 error: rule TEST201: key 'options.features': x: unknown key 'fited' (expected one of: cased, fitted, name, pattern, trigger, weight, words_above, words_below)"),
    ("claim_feature_fitted_not_a_boolean", CLAIM.replace("fitted: false", "fitted: sometimes"),
     "{p}:10 error: rule TEST201: key 'options.features': x: 'fitted' must be true or false"),
    ("invalid_yaml", GOOD.replace("kind: forbidden", "kind: [forbidden"),
     "{p}:7:12 error: invalid YAML: " + FLOW_ERROR),
    # options checked against the kind's declared schema (checks/kind.py): the key and its line
    ("option_wrong_type", GOOD.replace("phrases: [moonshot]", "phrases: [moonshot]\n      skip_quotes: 'yes'"),
     "{p}:11 error: rule TEST101: key 'options.skip_quotes': must be true or false, got str"),
    ("option_list_given_a_string", GOOD.replace("phrases: [moonshot]", "phrases: moonshot"),
     "{p}:10 error: rule TEST101: key 'options.phrases': must be a list, got str"),
    ("option_boolean_is_not_an_integer", REQUIRED.replace("accept: ['not advice']", "accept: ['not advice']\n      within_words: true"),
     "{p}:11 error: rule TEST301: key 'options.within_words': must be an integer, got bool"),
    ("option_number_given_text", CLAIM.replace("sources:", "bias: high\n      sources:"),
     "{p}:11 error: rule TEST201: key 'options.bias': must be an integer or float, got str"),
    ("option_unknown_for_its_kind", REQUIRED.replace("accept: ['not advice']", "accept: ['not advice']\n      pattern: x"),
     "{p}:11 error: rule TEST301: key 'options.pattern': unknown option for kind 'required' (expected one of: wording, accept, placement, within_words, missing_at, anchor, elements, trigger, fix)"),
    ("option_required_missing", CLAIM.replace("      sources: ['\\bsaid\\b']\n", ""),
     "{p}:9 error: rule TEST201: key 'options.sources': missing required option"),
    ("option_required_missing_without_options", GOOD.replace("kind: forbidden", "kind: directive").replace("Forbidden: '{match}'", "Directive: {directive}").replace("    options:\n      phrases: [moonshot]\n", ""),
     "{p}:2 error: rule TEST101: key 'options.problem': missing required option"),
    ("option_not_one_of_its_choices", REQUIRED.replace("accept: ['not advice']", "accept: ['not advice']\n      placement: middle"),
     "{p}:11 error: rule TEST301: key 'options.placement': must be one of: anywhere, start, end"),
    ("option_names_an_unknown_voice", CUE.replace("cues: ['reportedly']", "cues: ['reportedly']\n      voices: [author, narrator]"),
     "{p}:11 error: rule TEST401: key 'options.voices': unknown voice 'narrator' (expected any of: issuer, quoted, reported, question, first_person, reader, author)"),
    ("option_names_nothing", CUE.replace("cues: ['reportedly']", "cues: ['reportedly']\n      voices: []"),
     "{p}:11 error: rule TEST401: key 'options.voices': must name at least one voice"),
    ("option_names_an_unknown_feature", CLAIM.replace("sources:", "claim_features: [figure]\n      sources:"),
     "{p}:11 error: rule TEST201: key 'options.claim_features': unknown feature 'figure' (expected any of: x)"),
    ("trigger_option_is_not_a_name", REQUIRED.replace("accept: ['not advice']", "accept: ['not advice']\n      trigger: the ticker"),
     "{p}:11 error: rule TEST301: key 'options.trigger': must name what the message quotes, e.g. mentions.forward_looking"),
]


@pytest.mark.parametrize("name, body, expected", CASES, ids=[c[0] for c in CASES])
def test_rule_file_error_is_one_line_exit_2(tmp_path, capsys, name, body, expected):
    path = _rules(tmp_path, body)
    article = tmp_path / "a.md"
    article.write_text("# T\n\nText.\n", encoding="utf-8")
    code = main(["check", "--no-shipped-rules", "--rules", str(path), str(article)])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert err == expected.format(p=path) + "\n"


def test_good_rule_file_loads_and_runs(tmp_path, capsys):
    path = _rules(tmp_path, GOOD)
    article = tmp_path / "a.md"
    article.write_text("# T\n\nA moonshot bet.\n", encoding="utf-8")
    code = main(["check", "--no-shipped-rules", "--rules", str(path), str(article), "--format", "json"])
    assert code == 0  # a warning does not fail at the default --fail-on error
    assert '"rule": "TEST101"' in capsys.readouterr().out


def test_rules_test_command_reports_a_wrong_example(tmp_path, capsys):
    body = GOOD + textwrap.indent(
        textwrap.dedent(
            """\
            examples:
              fail:
                - article: "# T\\n\\nA moonshot.\\n"
                  line: 3
                  column: 5
            """
        ),
        "    ",
    )
    path = _rules(tmp_path, body)
    code = main(["rules", "--no-shipped-rules", "--test", str(path)])
    out = capsys.readouterr().out
    assert code == 1
    assert out == (
        "TEST101 test.forbidden-word: FAILED (1 example)\n"
        f"  {path}:2: fail example 1: expected a finding at 3:5, got 3:3\n"
        "0 of 1 rules pass their examples.\n"
    )


def test_a_rule_file_named_twice_is_loaded_once(tmp_path, capsys, monkeypatch):
    """`rules --test rules/x.yaml` names a shipped set by a relative path, and a configuration
    may list the file `--rules` names again: either way it is one file, not duplicate ids."""
    example = '    examples:\n      fail:\n        - article: "# T\\n\\nA moonshot.\\n"\n          line: 3\n          column: 3\n'
    path = _rules(tmp_path, GOOD + example)
    (tmp_path / ".copydesk.yaml").write_text(f"rules:\n  - {path.name}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code = main(["rules", "--no-shipped-rules", "--rules", path.name, "--test", path.name])
    assert (code, capsys.readouterr().out) == (0, "TEST101 test.forbidden-word: ok (1 example)\n1 of 1 rules pass their examples.\n")


def test_pattern_that_can_backtrack_without_end_is_rejected(tmp_path, capsys):
    body = GOOD.replace("phrases: [moonshot]", "patterns: ['(?:\\w+\\s*)*moon']")
    path = _rules(tmp_path, body)
    article = tmp_path / "a.md"
    article.write_text("# T\n\nText.\n", encoding="utf-8")
    assert main(["check", "--no-shipped-rules", "--rules", str(path), str(article)]) == 2
    assert capsys.readouterr().err == (
        f"{path}:10 error: rule TEST101: key 'options.patterns': pattern '(?:\\\\w+\\\\s*)*moon' is unsafe: "
        "a repeated group contains an unbounded repeat (as in '(\\w+\\s*)*'), which can backtrack without end\n"
    )
