"""The patterns package reads regex syntax itself; its analyses must give what the old ones,
built on `re`'s private parser, gave.

`old_analyses_*.jsonl` were written by the old code (textmatch.py, before its removal): one
line per pattern with its flags and every analysis.  `shipped`: every pattern the shipped
rule sets (rules/*.yaml and rules/opt-in/*.yaml), the parser's cues and the entity finders
analyse, as recorded while loading them and checking a tenth of the corpus, plus the
known backtracking shapes; `random`: 2,500 seeded random patterns (groups, alternatives,
repeats, look-arounds, positions, classes, flags).
"""

import json
from pathlib import Path

import pytest

from linter.patterns.compile import LazyRegex
from linter.patterns.gates import (
    edge_anchored,
    first_chars,
    first_words,
    with_first_char_lookahead,
)
from linter.patterns.literals import required_literals
from linter.patterns.safety import backtracking_risk

HERE = Path(__file__).parent


def _rows(name):
    with open(HERE / f"old_analyses_{name}.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def _new(p: str, f: int) -> dict:
    req = required_literals(p)
    fw = first_words(p, f)
    return {
        "pattern": p, "flags": f,
        "required_literals": [list(r) for r in req] if req is not None else None,
        "first_chars": [first_chars(p, False), first_chars(p, True)],
        "first_words": sorted(fw) if fw is not None else None,
        "edge_anchored": edge_anchored(p, f),
        "lookahead": with_first_char_lookahead(LazyRegex(p, f)).source,
        "backtracking_risk": backtracking_risk(p, f),
    }


@pytest.mark.parametrize("name, at_least", [("shipped", 800), ("random", 2500)])
def test_every_analysis_is_the_old_one(name, at_least):
    rows = _rows(name)
    assert len(rows) >= at_least
    differences = [(old, new) for old in rows if (new := _new(old["pattern"], old["flags"])) != old]
    assert differences == []


def test_the_shipped_patterns_do_get_gates():
    """The recorded patterns are ones that matter: most have gates, some are refused."""
    rows = _rows("shipped")
    assert sum(1 for r in rows if r["first_words"]) > 500
    assert sum(1 for r in rows if r["required_literals"]) > 700
    assert sum(1 for r in rows if r["lookahead"] != r["pattern"]) > 600
    assert sum(1 for r in rows if r["backtracking_risk"]) >= 10
