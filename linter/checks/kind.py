"""The rule-kind contract: what the loader and the engine ask of a kind (`contract.Kind`, the
type), the options a kind declares (`Option`, checked by `read_options`) and what one run
gives back (`RunResult`).

A kind is code; a rule is a YAML entry that names it.  The loader checks the rule's options
against the kind's declared `options` and calls `prepare` once per rule (compiling patterns,
cross-checking options); the engine calls `run` once per article and rule, and stamps the
findings it returns with the rule's metadata.  Nothing a kind works out travels through
`Facts` (a read-only view of the article): notes come back in the `RunResult`, and the inline
suppressions are handed to the kinds that audit them.
"""

from __future__ import annotations

from ..records import Record

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: importing `typing` costs a one-shot run about 3 ms
    from collections.abc import Callable, Collection
    from typing import Any, NoReturn

    from ..diagnostics import Finding
    from ..ruleset.model import Rule

    # fail(key, message): raise the one-line error naming the file, the line and `options.KEY`
    Fail = Callable[[str, str], NoReturn]


class RunResult(Record):
    """What one rule's run on one article gives the engine.

    findings: spans and message values, stamped by the engine; sourcing: story-level
    sourcing notes (start, end), or None when the kind has nothing to say about them;
    not_flagged: (start, end, why) for each candidate the rule left alone, so an editor can
    see why a figure went unflagged.
    """

    __slots__ = ("findings", "sourcing", "not_flagged")

    def __init__(self, findings: list[Finding] | None = None, sourcing: list[tuple[int, int]] | None = None,
                 not_flagged: list[tuple[int, int, str]] | None = None):
        self.findings = [] if findings is None else findings
        self.sourcing = sourcing
        self.not_flagged = [] if not_flagged is None else not_flagged


class Option(Record):
    """One option a kind declares.

    types: the YAML type(s) the value takes (`bool` is not an `int` here); default: the value
    when the rule leaves it out; required: leaving it out is an error; choices: the words a
    string may be; names/what: a list that must name at least one member of `names` (voices,
    features), `what` naming a member in errors.
    """

    __slots__ = ("name", "types", "default", "required", "choices", "names", "what")

    def __init__(self, name: str, types: type | tuple[type, ...], default: Any = None, *, required: bool = False,
                 choices: tuple[str, ...] | None = None, names: Collection[str] | None = None, what: str = ""):
        self.name = name
        self.types = types if isinstance(types, tuple) else (types,)
        self.default, self.required, self.choices = default, required, choices
        self.names, self.what = names, what


# how a type is named in "must be ..., got ..."
_TYPE_WORDS = {str: "a string", list: "a list", dict: "a mapping", int: "an integer", bool: "true or false"}


def read_options(rule: Rule, fail: Fail, options: tuple[Option, ...]) -> dict[str, Any]:
    """The rule's options checked against what its kind declares, each option's value (or its
    default) by name.  An unknown option, a missing required one, a value of the wrong type
    and a word outside `choices` are `fail(key, message)`, in the order declared."""
    known = {o.name for o in options}
    for key in rule.options:
        if key not in known:
            fail(key, f"unknown option for kind '{rule.kind}' (expected one of: {', '.join(o.name for o in options)})")
    values: dict[str, Any] = {}
    for o in options:
        if o.name not in rule.options:
            if o.required:
                fail(o.name, "missing required option")
            values[o.name] = o.default
            continue
        value = rule.options[o.name]
        if not isinstance(value, o.types) or (isinstance(value, bool) and bool not in o.types):
            words = " or ".join(_TYPE_WORDS.get(t, t.__name__) for t in o.types)
            fail(o.name, f"must be {words}, got {type(value).__name__}")
        if o.choices is not None and value not in o.choices:
            fail(o.name, f"must be one of: {', '.join(o.choices)}")
        if o.names is not None:
            value = name_list(fail, o.name, rule.options[o.name], o.names, o.what)
        values[o.name] = value
    return values


def name_list(fail: Fail, key: str, names: list, allowed: Collection[str], what: str) -> frozenset[str]:
    """A list option naming members of `allowed` (voices, features): an unknown name or an
    empty list is an error naming the key."""
    unknown = [n for n in names if n not in allowed]
    if unknown:
        fail(key, f"unknown {what} {unknown[0]!r} (expected any of: {', '.join(map(str, allowed))})")
    if not names:
        fail(key, f"must name at least one {what}")
    return frozenset(names)
