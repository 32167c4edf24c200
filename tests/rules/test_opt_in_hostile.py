"""The opt-in rule sets and the register on hostile input: long lines built from what their
patterns look for finish fast (Python's `re` cannot be interrupted), the rule sets pickle for
worker processes, and the whole shipped-plus-opt-in set passes the pattern safety check."""

from __future__ import annotations

import pickle

import pytest

from linter.checks import KINDS
from linter.checks.register import register_cues
from linter.engine import check_source
from linter.ruleset import load_rule_sets, shipped_rule_files
from linter.ruleset.loader import optional_rule_files
from linter.source import Source
from tests.conftest import time_limit

RULES = load_rule_sets([*shipped_rule_files(), *optional_rule_files()], kinds=KINDS).rules  # built: every pattern checked
REGISTER = register_cues({"publisher": "Example Media Ltd",
                          "holdings": [{"holder": "Jane Doe", "ticker": "GOOGL"}],
                          "paid": [{"ticker": "ACME", "payer": "Acme Corp.", "amount": "$5,000"}],
                          "market_making": [{"ticker": "XYZ"}]})

LINES = {
    "upgrades": "was upgraded to buy " * 4000,
    "calls": "we rate Acme a buy and our price target of $60 " * 2000,
    "tickers": "ACME GOOGL XYZ $ACME (NASDAQ: GOOGL) " * 3000,
    "denials": "The author has no position in GOOGL and neither the author nor the publisher holds " * 1500,
    "crypto": "bitcoin presale buy now earn up to 12% " * 3000,
    "links": "[x](https://e.com/?tag=a) " * 3000,
    "words": "a " * 100000,
}


@pytest.mark.parametrize("name", sorted(LINES))
def test_long_hostile_lines_finish_fast(name):
    text = "---\nauthor: Jane Doe\nsponsored: true\n---\n\n# T\n\n" + LINES[name] + "\n"
    with time_limit(20):
        result = check_source(Source("a.md", text), RULES, "markdown", REGISTER)
    assert result.error is None


def test_the_opt_in_sets_pickle_for_worker_processes():
    again = pickle.loads(pickle.dumps(RULES))
    assert [r.id for r in again] == [r.id for r in RULES]
    assert [r.when for r in again] == [r.when for r in RULES]
