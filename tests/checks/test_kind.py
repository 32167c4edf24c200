"""The kind contract (linter/checks/contract.py, kind.py): every registered kind meets it, and a rule's
options are checked against what its kind declares, one error naming the key."""

from __future__ import annotations

import inspect
from types import SimpleNamespace

import pytest

from linter.checks import KINDS
from linter.checks.contract import Kind
from linter.checks.kind import Option, RunResult, read_options


class Failed(Exception):
    pass


def fail(key, message):
    raise Failed(key, message)


def _read(options: dict, declared: tuple[Option, ...], kind: str = "demo"):
    return read_options(SimpleNamespace(kind=kind, options=options), fail, declared)


DECLARED = (
    Option("phrases", list, required=True),
    Option("skip_quotes", bool, True),
    Option("within_words", int, 60),
    Option("bias", (int, float), 0.0),
    Option("placement", str, "anywhere", choices=("anywhere", "start", "end")),
    Option("voices", list, None, names=("author", "quoted"), what="voice"),
    Option("fix", dict, None),
)


@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_registered_kind_meets_the_protocol(name):
    kind = KINDS[name]
    assert isinstance(kind, Kind)
    assert kind.name == name
    assert isinstance(kind.runs_after_suppression, bool)
    assert all(isinstance(o, Option) for o in kind.options)
    names = [o.name for o in kind.options]
    assert len(names) == len(set(names)), names
    # every kind's run takes the directives (handed only to the kinds that audit them)
    assert list(inspect.signature(kind.run).parameters) == ["doc", "facts", "rule", "directives"]
    for o in kind.options:
        assert not (o.required and o.default is not None), o.name  # a required option has no default
        assert o.choices is None or o.default is None or o.default in o.choices, o.name


def test_only_the_directive_kind_runs_after_suppression():
    assert [n for n, k in KINDS.items() if k.runs_after_suppression] == ["directive"]


def test_values_and_defaults_by_name():
    assert _read({"phrases": ["moon"], "voices": ["author"]}, DECLARED) == {
        "phrases": ["moon"], "skip_quotes": True, "within_words": 60, "bias": 0.0, "placement": "anywhere",
        "voices": frozenset({"author"}), "fix": None,
    }
    assert _read({"phrases": [], "bias": 2, "within_words": 0}, DECLARED)["bias"] == 2


@pytest.mark.parametrize("options, key, message", [
    ({"phrases": [], "colour": "red"}, "colour",
     "unknown option for kind 'demo' (expected one of: phrases, skip_quotes, within_words, bias, placement, voices, fix)"),
    ({}, "phrases", "missing required option"),
    ({"phrases": "moon"}, "phrases", "must be a list, got str"),
    ({"phrases": [], "skip_quotes": "yes"}, "skip_quotes", "must be true or false, got str"),
    ({"phrases": [], "within_words": True}, "within_words", "must be an integer, got bool"),
    ({"phrases": [], "within_words": 2.5}, "within_words", "must be an integer, got float"),
    ({"phrases": [], "bias": "high"}, "bias", "must be an integer or float, got str"),
    ({"phrases": [], "bias": False}, "bias", "must be an integer or float, got bool"),
    ({"phrases": [], "placement": "middle"}, "placement", "must be one of: anywhere, start, end"),
    ({"phrases": [], "voices": ["narrator"]}, "voices", "unknown voice 'narrator' (expected any of: author, quoted)"),
    ({"phrases": [], "voices": []}, "voices", "must name at least one voice"),
    ({"phrases": [], "fix": ["top"]}, "fix", "must be a mapping, got list"),
])
def test_a_bad_option_is_one_error_naming_its_key(options, key, message):
    with pytest.raises(Failed) as exc:
        _read(options, DECLARED)
    assert exc.value.args == (key, message)


def test_an_unknown_option_is_reported_before_any_other_problem():
    with pytest.raises(Failed) as exc:
        _read({"colour": "red", "skip_quotes": "yes"}, DECLARED)
    assert exc.value.args[0] == "colour"


def test_problems_are_reported_in_the_order_declared():
    with pytest.raises(Failed) as exc:
        _read({"phrases": [], "placement": "middle", "skip_quotes": "yes"}, DECLARED)
    assert exc.value.args == ("skip_quotes", "must be true or false, got str")


def test_run_result_defaults():
    r = RunResult()
    assert (r.findings, r.sourcing, r.not_flagged) == ([], None, [])
