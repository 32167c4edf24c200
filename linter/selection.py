"""Which rules a run uses: `--select`/`--ignore` and the configuration's `select`, `ignore` and
`per_path_ignores`, resolved in one place for every command, so an unknown id is an error
naming the closest ones (never a silent run of no rules) and ids match in any case."""

from __future__ import annotations


class UsageError(Exception):
    """A command line that cannot mean anything: `str()` is the whole one-line message (exit 2)."""


class SelectorError(UsageError):
    """An unknown rule id, name or category on the command line (exit 2, one line)."""


def split_list(values) -> list[str]:
    """--select A,B --select C -> [A, B, C]"""
    return [v.strip() for item in values for v in str(item).split(",") if v.strip()]


def rule_matches(rule, selector: str) -> bool:
    """A rule answers to its id or an id prefix, its name or a name prefix, or its category,
    in any case (`--select disc101` is DISC101)."""
    key = selector.casefold()
    rid = rule.id.casefold()
    return rid.startswith(key) or rule.name.casefold().startswith(key) or rule.category.casefold() == key


def unknown_selector_message(selector, rules) -> str:
    """"unknown rule or category 'X' (closest: A, B, C)": the nearest ids, names or
    categories by difflib, so a typo names its fix."""
    import difflib

    text = str(selector)
    candidates: dict[str, str] = {}
    for r in rules:
        for known in (r.id, r.category, r.name):
            candidates.setdefault(known.casefold(), known)
    key = text.casefold()

    def nearest(names, cutoff):
        scored = []
        for name in names:
            matcher = difflib.SequenceMatcher(None, key, name)
            if matcher.real_quick_ratio() >= cutoff and matcher.quick_ratio() >= cutoff and matcher.ratio() >= cutoff:
                scored.append((-matcher.ratio(), name))
        return [name for _, name in sorted(scored)[:3]]  # ties in alphabetical order

    close = nearest(candidates, 0.5)
    if not close:  # nothing alike: name the nearest ids anyway, so the user sees the form
        close = nearest([r.id.casefold() for r in rules], 0.0)
    names = ", ".join(candidates[c] for c in close)
    shown = repr(text if len(text) <= 80 else text[:80] + "...")  # a configuration is untrusted: keep it one short line
    return f"unknown rule or category {shown}" + (f" (closest: {names})" if names else " (no rules are loaded)")


# diagnostics the engine itself reports, whatever the selection: naming them is no mistake
BUILT_IN = ("parse", "budget", "parse.problem", "check.time-budget")


def check_selectors(rules, selectors, fail) -> list[str]:
    """`selectors` as strings, each matching at least one of `rules`; else `fail(selector,
    message)` is called (it raises)."""
    out = []
    for s in selectors:
        if not isinstance(s, str) or not s.strip():
            fail(s, f"{s!r} is not a rule id, name or category")
        key = s.strip()
        if key.casefold() not in BUILT_IN and not any(rule_matches(r, key) for r in rules):
            fail(s, unknown_selector_message(key, rules))
        out.append(key)
    return out


def select_rules(rules, cfg=None, select=(), ignore=()):
    """The rules a run uses: `--select` (else the configuration's `select`) minus the
    configuration's `ignore` and `--ignore`.  Every selector, and every selector of the
    configuration's `per_path_ignores`, must name a loaded rule, id prefix, name prefix or
    category (any case): an unknown one raises SelectorError (command line) or ConfigError
    (configuration: file, line, key) naming the closest ids.  A disabled rule runs only
    when selected.  `copydesk check`, `report` and `rules` all choose rules here."""
    select_cli = check_selectors(rules, split_list(select), _cli_fail("--select"))
    ignore_cli = check_selectors(rules, split_list(ignore), _cli_fail("--ignore"))
    select_cfg: list[str] = []
    ignore_cfg: list[str] = []
    if cfg is not None:
        select_cfg = check_selectors(rules, cfg.get("select") or [], _cfg_fail(cfg, "select"))
        ignore_cfg = check_selectors(rules, cfg.get("ignore") or [], _cfg_fail(cfg, "ignore"))
        for glob, selectors in (cfg.get("per_path_ignores") or {}).items():
            check_selectors(rules, selectors, _cfg_fail(cfg, f"per_path_ignores.{glob}"))
    chosen = select_cli or select_cfg
    dropped = ignore_cfg + ignore_cli
    out = []
    for r in rules:
        picked = any(rule_matches(r, s) for s in chosen)
        if (chosen and not picked) or (not r.enabled and not picked):
            continue
        if any(rule_matches(r, s) for s in dropped):
            continue
        out.append(r)
    return out


def without_ignored(rules, selectors):
    """`rules` minus those any of `selectors` names (a path's `per_path_ignores`)."""
    return [r for r in rules if not any(rule_matches(r, s) for s in selectors)] if selectors else rules


def _cli_fail(flag: str):
    def fail(selector, message):
        raise SelectorError(f"copydesk: error: {flag}: {message}")
    return fail


def _cfg_fail(cfg, key: str):
    def fail(selector, message):
        cfg.fail(key, message, cfg.lines.get(key))
    return fail
