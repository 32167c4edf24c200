"""The claim kind's word lexicon: whole words, case-folded, each counted once, summed exactly."""

from __future__ import annotations

from linter.checks import KINDS
from linter.checks.attribution import lexicon_score
from linter.ruleset import load_rule_sets
from tests.rules.test_rule_file_errors import CLAIM

# the minimal claim rule of the rule-file error tests, with a lexicon
RULE = "rules:\n" + CLAIM + "      lexicon: {big: 1.0e+16, small: 1.0, minus: -1.0e+16, rose: 0.25}\n"


def _check(tmp_path):
    path = tmp_path / "claim.yaml"
    path.write_text(RULE, encoding="utf-8")
    [rule] = load_rule_sets([str(path)], kinds=KINDS).rules
    return rule.check


def test_words_count_once_whole_and_case_folded(tmp_path):
    check = _check(tmp_path)
    assert lexicon_score(check, "Rose, rose and ROSE.") == 0.25
    assert lexicon_score(check, "Prices arose; roses bloomed.") == 0.0


def test_the_sum_does_not_depend_on_the_order_of_the_words(tmp_path):
    """1e16 + 1 - 1e16 is 0 or 1 in floating point depending on the order; the set of words
    comes in a different order in every process, so a plain sum could tip a sentence over
    the threshold in one run and not the next."""
    check = _check(tmp_path)
    assert lexicon_score(check, "big small minus") == lexicon_score(check, "minus small big") == 1.0
