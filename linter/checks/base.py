"""What every rule kind shares: option validation.

Pattern handling lives in `linter.patterns` (normalisation, compilation, the safety check,
the gates) and quoted-speech analysis in `linter.document.quotes`.
"""

from __future__ import annotations

from typing import Any


def get_option(rule, fail, key: str, types, default: Any = None, required: bool = False) -> Any:
    if key not in rule.options:
        if required:
            fail(key, "missing required option")
        return default
    value = rule.options[key]
    if not isinstance(value, types) or isinstance(value, bool) and bool not in (types if isinstance(types, tuple) else (types,)):
        names = " or ".join(t.__name__ for t in (types if isinstance(types, tuple) else (types,)))
        fail(key, f"must be {names.replace('str', 'a string').replace('list', 'a list').replace('dict', 'a mapping').replace('int', 'an integer').replace('bool', 'true or false')}, got {type(value).__name__}")
    return value


def get_names(rule, fail, key: str, allowed, what: str) -> frozenset[str] | None:
    """An optional list option naming members of `allowed` (voices, features): None when the
    rule leaves it out; an empty list or an unknown name is an error naming the key."""
    names = get_option(rule, fail, key, list, None)
    if names is None:
        return None
    unknown = [n for n in names if n not in allowed]
    if unknown:
        fail(key, f"unknown {what} {unknown[0]!r} (expected any of: {', '.join(map(str, allowed))})")
    if not names:
        fail(key, f"must name at least one {what}")
    return frozenset(names)


def check_known_options(rule, fail, known: tuple[str, ...]) -> None:
    for key in rule.options:
        if key not in known:
            fail(key, f"unknown option for kind '{rule.kind}' (expected one of: {', '.join(known)})")
