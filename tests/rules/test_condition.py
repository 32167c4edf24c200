"""`when:` conditions as a tree of plain records: evaluated directly (Python's own `and`/`or`
values), pickled and cached as data with no generated code, and able to say which names made
them true."""

from __future__ import annotations

import pickle
from types import SimpleNamespace

import pytest

from linter.ruleset.condition import (
    AllOf,
    AnyOf,
    Compare,
    Condition,
    ConditionError,
    Contains,
    Literal,
    Name,
    Not,
    compile_condition,
)

KINDS = ("ticker", "price_target", "sponsor_line")


def _facts(mentions=None, sections=None, front_matter=None, format="markdown", genre=None):
    mentions, sections = mentions or {}, sections or {}
    return SimpleNamespace(mention_count=lambda k: mentions.get(k, 0), section_count=lambda k: sections.get(k, 0),
                           front_matter=front_matter or {}, format=format, doc=SimpleNamespace(genre=genre))


def _c(expr: str) -> Condition:
    return compile_condition(expr, KINDS)


def test_an_expression_compiles_to_records():
    assert _c('(mentions.ticker or front_matter.a.b >= 2) and not sections.disclaimer and "X" in front_matter.tags').tree == AllOf((
        AnyOf((Name("mentions", ("ticker",)), Compare(">=", Name("front_matter", ("a", "b")), Literal(2)))),
        Not(Name("sections", ("disclaimer",))),
        Contains(Literal("X"), Name("front_matter", ("tags",))),
    ))
    assert _c("format != 'json' and genre == null").tree == AllOf((
        Compare("!=", Name("format"), Literal("json")), Compare("==", Name("genre"), Literal(None))))


@pytest.mark.parametrize("expr, facts, value", [
    ("mentions.ticker or mentions.price_target", _facts({"price_target": 2}), 2),  # the deciding value
    ("mentions.ticker or mentions.price_target", _facts(), 0),
    ("mentions.ticker and front_matter.x", _facts({"ticker": 1}, front_matter={"x": "y"}), "y"),
    ("mentions.ticker and front_matter.x", _facts(front_matter={"x": "y"}), 0),
    ("not sections.disclaimer", _facts(sections={"disclaimer": 1}), False),
    ("sections.body > 2", _facts(sections={"body": 3}), True),
    ("front_matter.n > 2", _facts(front_matter={"n": "3"}), False),  # "3" > 2: a mismatch is false
    ("'X' in front_matter.tags", _facts(front_matter={"tags": ["X"]}), True),
    ("'X' in front_matter.tags", _facts(), False),  # null holds nothing
    ("3 in front_matter.title", _facts(front_matter={"title": "a3"}), False),  # 3 in "a3": false, not an error
    ("front_matter.a.b == true", _facts(front_matter={"a": {"b": True}}), True),
    ("front_matter.a.b == null", _facts(front_matter={"a": "text"}), True),  # no such key below a value
    ("genre == 'press_release'", _facts(genre="press_release"), True),
    ("format == 'html'", _facts(), False),
])
def test_evaluated_directly_as_python_would(expr, facts, value):
    got = _c(expr)(facts)
    assert got == value and type(got) is type(value)


@pytest.mark.parametrize("expr, facts, names", [
    ("mentions.ticker or mentions.price_target", _facts({"ticker": 1, "price_target": 1}), ["mentions.ticker"]),
    ("mentions.ticker or mentions.price_target", _facts({"price_target": 1}), ["mentions.price_target"]),
    ("front_matter.sponsored == true or mentions.sponsor_line",
     _facts({"sponsor_line": 1}, front_matter={"sponsored": "yes"}), ["mentions.sponsor_line"]),
    ("(mentions.ticker or front_matter.x) and mentions.price_target and not sections.disclaimer",
     _facts({"price_target": 1}, front_matter={"x": 1}), ["front_matter.x", "mentions.price_target"]),
    ("'X' in front_matter.tags", _facts(front_matter={"tags": ["X"]}), ["front_matter.tags"]),
    ("not sections.disclaimer", _facts(), []),  # true by an absence
    ("mentions.ticker and mentions.price_target", _facts({"ticker": 1}), []),  # false: nothing made it true
])
def test_reasons_are_the_names_that_made_it_true(expr, facts, names):
    assert [str(n) for n in _c(expr).reasons(facts)] == names


def test_it_pickles_as_data_and_is_immutable():
    c = _c("front_matter.sponsored == true or mentions.ticker > 1 and not 'x' in front_matter.tags")
    data = pickle.dumps(c)
    assert b"builtins" not in data and b"eval" not in data  # no code: the records' own classes only
    assert pickle.loads(data) == c
    with pytest.raises(AttributeError):
        c.tree.items = ()
    assert hash(Name("mentions", ("ticker",))) == hash(Name("mentions", ("ticker",)))


def test_the_json_form_round_trips_and_anything_else_is_refused():
    c = _c("mentions.ticker > 1 or format == 'json' and genre == null")
    assert c.to_data() == ["or", ["cmp", ">", ["mention", "ticker"], ["lit", 1]],
                           ["and", ["cmp", "==", ["format"], ["lit", "json"]], ["cmp", "==", ["genre"], ["lit", None]]]]
    assert Condition.from_data(c.to_data()) == c
    for bad in (["call", "x"], ["cmp", "=~", ["lit", 1], ["lit", 1]], ["lit", [1]], ["not"], ["fm", 1], "mentions.x"):
        with pytest.raises(ValueError):
            Condition.from_data(bad)


@pytest.mark.parametrize("expr, message, column", [
    ("mentions.ticker and", "condition ends too early", 20),
    ("mentions.ticker and or x", "unexpected 'or' in condition", 21),
    ("mentions.ticker ~ 1", "unexpected character '~' in condition", 17),
    ("tickers", "unknown name 'tickers' (expected one of: front_matter, mentions, sections, format, genre)", 1),
    ("format.x", "'format' has no fields", 1),
    ("mentions", "'mentions' needs exactly one field, e.g. mentions.ticker", 1),
    ("front_matter", "'front_matter' needs a field, e.g. front_matter.sponsored", 1),
    ("x or mentions.tickers", "unknown name 'x' (expected one of: front_matter, mentions, sections, format, genre)", 1),
    ("mentions.tickers", "unknown mention 'tickers' (expected one of: ticker, price_target, sponsor_line)", 1),
    ("sections.sidebar", "unknown section 'sidebar' (expected one of: headline, dek, byline, dateline, body, quote, disclaimer, boilerplate)", 1),
])
def test_errors_name_the_problem_and_its_column(expr, message, column):
    with pytest.raises(ConditionError) as exc:
        _c(expr)
    assert (exc.value.message, exc.value.column) == (message, column)
