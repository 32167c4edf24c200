"""Load and validate YAML rule sets, keeping the YAML line of every key for errors.

Each problem is a `RuleFileError`: one line naming the file, the YAML line, the rule id and
the key.  The YAML entry is the single source of a rule's metadata; the kind (code) only
supplies behaviour, its option schema and the values its message template may use.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

from ..diagnostics import SEVERITIES
from ..document.model import SECTION_KINDS
from ..safefile import MiB, read_regular_text
from .errors import RuleFileError
from .model import Example, Rule, RuleSet

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: importing `typing` costs a one-shot run about 3 ms
    from typing import Any

# a rule file larger than this is refused (a configuration may name any file)
RULE_FILE_LIMIT = 16 * MiB

CATEGORIES = ("disclaimer", "promotional", "attribution", "unverified", "suppression")
RULE_KEYS = (
    "id", "name", "category", "severity", "kind", "message", "help", "policy",
    "scope", "when", "enabled", "options", "examples",
)
REQUIRED_KEYS = ("id", "name", "category", "severity", "kind", "message", "policy")
TOP_KEYS = ("ruleset", "description", "rules")
ID_RE = re.compile(r"^[A-Z]{2,8}[0-9]{3}$")
NAME_RE = re.compile(r"^[a-z][a-z0-9-]*(?:\.[a-z][a-z0-9-]*)+$")
FORMATS = ("markdown", "html", "text", "json")

SHIPPED_DIR_CANDIDATES = (
    Path(__file__).resolve().parent.parent / "shipped_rules",  # installed wheel
    Path(__file__).resolve().parent.parent.parent / "rules",  # source checkout / editable
)


def shipped_rules_dir() -> Path:
    for d in SHIPPED_DIR_CANDIDATES:
        if d.is_dir() and any(d.glob("*.yaml")):
            return d
    return SHIPPED_DIR_CANDIDATES[-1]


def shipped_rule_files() -> list[Path]:
    return sorted(shipped_rules_dir().glob("*.yaml"))


def optional_rule_files() -> list[Path]:
    """Shipped rule sets that run only when the configuration names them (`rule_sets:`):
    rules/opt-in/ (recommendations, uk-promotions, crypto, ...; a publisher enables what applies)."""
    return sorted((shipped_rules_dir() / "opt-in").glob("*.yaml"))


def _compose(path: str, text: str):
    """The YAML node graph of a rule file, within safeyaml's size, depth and alias limits."""
    from .. import safeyaml

    try:
        return safeyaml.compose(text)
    except safeyaml.YAMLProblem as exc:
        raise RuleFileError(path, exc.line, f"invalid YAML: {exc.message}", column=exc.column) from None


def _value(node) -> Any:
    """A node's value; one the constructor refuses raises safeyaml.YAMLProblem (with its line)."""
    from .. import safeyaml

    return safeyaml.construct(node)


def _printable_key(key: str) -> str | None:
    """A key fit to quote in an error: a rule file named by a hostile configuration may be
    any file (`rules: [/etc/shadow]`), and its first line must not reach the CI log."""
    return key if re.fullmatch(r"[A-Za-z_][\w.-]{0,40}", key) else None


def _mapping(node) -> dict[str, tuple[Any, Any]]:
    """key -> (key node, value node), for a MappingNode."""
    out = {}
    for k, v in node.value:
        out[str(_value(k))] = (k, v)
    return out


def load_rule_sets(paths, *, kinds=None) -> RuleSet:
    """Load every rule file in `paths` (files, in order); duplicate ids are errors.

    The result is cached (see cache.py) unless custom `kinds` are given."""
    from .. import cache
    from ..checks import KINDS
    from ..entities import MENTION_KINDS

    texts: list[tuple[str, str]] = []
    for p in paths:
        path = str(p)
        try:
            texts.append((path, read_regular_text(path, RULE_FILE_LIMIT)))
        except FileNotFoundError:
            raise RuleFileError(path, None, "rule file not found") from None
        except OSError as exc:
            raise RuleFileError(path, None, f"cannot read rule file: {exc.strerror or exc}") from None
        except UnicodeDecodeError as exc:
            raise RuleFileError(path, None, f"cannot read rule file: {exc}") from None
    key = cache.cache_key(texts) if kinds is None else None
    if key is not None:
        cached = cache.load(key)
        if isinstance(cached, RuleSet):
            return cached
    ruleset = _load_texts(texts, kinds or KINDS, MENTION_KINDS)
    if key is not None:
        cache.save(key, ruleset)
    return ruleset


def _load_texts(texts: list[tuple[str, str]], kinds, mention_kinds) -> RuleSet:
    rules: list[Rule] = []
    seen_ids: dict[str, str] = {}
    seen_names: dict[str, str] = {}
    import hashlib

    digest = hashlib.sha256()
    files = []
    for path, text in texts:
        digest.update(path.encode() + b"\0" + text.encode() + b"\0")
        files.append(path)
        for rule in _load_file(path, text, kinds, mention_kinds):
            where = f"{rule.file}:{rule.line}"
            if rule.id in seen_ids:
                raise RuleFileError(path, rule.line, f"duplicate rule id (first defined at {seen_ids[rule.id]})", rule.id, "id")
            if rule.name in seen_names:
                raise RuleFileError(path, rule.line, f"duplicate rule name '{rule.name}' (first defined at {seen_names[rule.name]})", rule.id, "name")
            seen_ids[rule.id] = where
            seen_names[rule.name] = where
            rules.append(rule)
    return RuleSet(rules, files, digest.hexdigest())


def _load_file(path: str, text: str, kinds, mention_kinds) -> list[Rule]:
    from .. import safeyaml

    try:
        return _load_nodes(path, _compose(path, text), kinds, mention_kinds)
    except safeyaml.YAMLProblem as exc:
        raise RuleFileError(path, exc.line, f"invalid YAML: {exc.message}", column=exc.column) from None


def _load_nodes(path: str, root, kinds, mention_kinds) -> list[Rule]:
    import yaml

    if root is None:
        raise RuleFileError(path, 1, "empty rule file: expected a mapping with a 'rules' list")
    if not isinstance(root, yaml.MappingNode):
        raise RuleFileError(path, root.start_mark.line + 1, "a rule file must be a mapping with a 'rules' list")
    top = _mapping(root)
    for key, (knode, _) in top.items():
        if key not in TOP_KEYS:
            raise RuleFileError(path, knode.start_mark.line + 1, f"unknown top-level key (expected one of: {', '.join(TOP_KEYS)})", key=_printable_key(key))
    if "rules" not in top:
        raise RuleFileError(path, 1, "missing 'rules' list", key="rules")
    rules_node = top["rules"][1]
    if not isinstance(rules_node, yaml.SequenceNode):
        raise RuleFileError(path, rules_node.start_mark.line + 1, "must be a list of rules", key="rules")
    return [_rule(path, node, kinds, mention_kinds) for node in rules_node.value]


def _rule(path: str, node, kinds, mention_kinds) -> Rule:
    import yaml

    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        raise RuleFileError(path, line, "each rule must be a mapping")
    entries = _mapping(node)
    rid = None
    if "id" in entries:
        rid = str(_value(entries["id"][1]))

    def fail(key: str, message: str, at=None, column: int | None = None):
        n = at if at is not None else (entries[key][0] if key in entries else node)
        raise RuleFileError(path, n.start_mark.line + 1, message, rid, key, column)

    for key in entries:
        if key not in RULE_KEYS:
            if _printable_key(key) is None:
                raise RuleFileError(path, entries[key][0].start_mark.line + 1, f"unknown key (expected one of: {', '.join(RULE_KEYS)})", rid)
            fail(key, f"unknown key (expected one of: {', '.join(RULE_KEYS)})")
    for key in REQUIRED_KEYS:
        if key not in entries:
            fail(key, "missing required key")

    def get(key: str, types, default=None):
        from .. import safeyaml

        if key not in entries:
            return default
        try:
            value = _value(entries[key][1])
        except safeyaml.YAMLProblem as exc:
            fail(key, f"invalid YAML: {exc.message}")
        if not isinstance(value, types) or (types is str and not value.strip()):
            names = " or ".join(t.__name__ for t in (types if isinstance(types, tuple) else (types,)))
            fail(key, f"must be a {names.replace('str', 'non-empty string').replace('dict', 'mapping').replace('list', 'list')}, got {type(value).__name__}")
        return value

    rid = get("id", str)
    if not ID_RE.match(rid):
        fail("id", f"'{rid}' is not a family prefix and three digits, e.g. DISC101")
    name = get("name", str)
    if not NAME_RE.match(name):
        fail("name", f"'{name}' is not dotted kebab-case, e.g. disclaimer.not-investment-advice")
    category = get("category", str)
    if category not in CATEGORIES:
        fail("category", f"unknown category '{category}' (expected one of: {', '.join(CATEGORIES)})")
    severity = get("severity", str)
    if severity not in SEVERITIES:
        fail("severity", f"unknown severity '{severity}' (expected one of: {', '.join(SEVERITIES)})")
    kind_name = get("kind", str)
    if kind_name not in kinds:
        fail("kind", f"unknown kind '{kind_name}' (expected one of: {', '.join(sorted(kinds))})")
    kind = kinds[kind_name]
    message = get("message", str)
    help_text = get("help", str, "")
    for key, template in (("message", message), ("help", help_text)):
        _check_template(template, kind, lambda m, k=key: fail(k, m))
    policy_value = get("policy", (str, dict))
    if isinstance(policy_value, dict):
        unknown = set(policy_value) - {"ref", "url"}
        if unknown or not isinstance(policy_value.get("ref"), str):
            fail("policy", "a policy mapping needs 'ref' (text) and may have 'url'")
        policy, policy_url = policy_value["ref"], policy_value.get("url")
    else:
        policy, policy_url = policy_value, None
    scope = get("scope", list, list(kind.default_scope))
    for s in scope:
        if s not in SECTION_KINDS:
            fail("scope", f"unknown section '{s}' (expected any of: {', '.join(SECTION_KINDS)})")
    if not scope:
        fail("scope", "an empty scope can never match")
    enabled = get("enabled", bool, True)
    when_source = get("when", str)
    when = None
    if when_source is not None:
        from .condition import ConditionError, compile_condition

        try:
            when = compile_condition(when_source, mention_kinds)
        except ConditionError as exc:
            vnode = entries["when"][1]
            column = None
            if "\n" not in when_source:
                quote = 1 if vnode.style in ("'", '"') else 0  # a string's node is a scalar
                column = vnode.start_mark.column + 1 + quote + exc.column - 1
            raise RuleFileError(path, vnode.start_mark.line + 1, f"invalid condition: {exc.message}", rid, "when", column) from None
    options = get("options", dict, {})
    option_nodes = _mapping(entries["options"][1]) if "options" in entries else {}

    def option_fail(key: str, message: str):
        at = option_nodes[key][0] if key in option_nodes else (entries["options"][0] if "options" in entries else node)
        raise RuleFileError(path, at.start_mark.line + 1, message, rid, f"options.{key}")

    rule = Rule(
        id=rid, name=name, category=category, severity=severity, kind=kind_name,
        message=message, help=help_text, policy=policy, policy_url=policy_url,
        scope=tuple(scope), when=when, when_source=when_source, enabled=enabled,
        options=options, file=path, line=line, impl=kind,
    )
    rule.check = kind.prepare(rule, option_fail)
    unreachable = kind.unreachable_scope(rule)
    if unreachable:
        fail("scope", unreachable)
    if "examples" in entries:
        _examples(rule, entries["examples"], fail)
    return rule


def _check_template(template: str, kind, fail) -> None:
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]
    except ValueError as exc:
        fail(f"bad template: {exc}")
        return
    for f in fields:
        base = re.split(r"[.\[!:]", f, maxsplit=1)[0]
        if base == "" or base not in kind.message_fields:
            fail(f"unknown template value '{{{f}}}' (this kind fills: {', '.join('{' + x + '}' for x in kind.message_fields)})")


def _examples(rule: Rule, entry, fail) -> None:
    value = _value(entry[1])
    if not isinstance(value, dict) or set(value) - {"pass", "fail"}:
        fail("examples", "must be a mapping with 'pass' and/or 'fail' lists")
    for item in value.get("pass") or []:
        if isinstance(item, str):
            rule.examples_pass.append(Example(item))
        elif isinstance(item, dict) and isinstance(item.get("article"), str) and item.get("format", "markdown") in FORMATS:
            rule.examples_pass.append(Example(item["article"], item.get("format", "markdown")))
        else:
            fail("examples", "each 'pass' example is an article text or a mapping with 'article' (and 'format')")
    for item in value.get("fail") or []:
        ok = (
            isinstance(item, dict)
            and isinstance(item.get("article"), str)
            and isinstance(item.get("line"), int)
            and isinstance(item.get("column"), int)
            and item.get("format", "markdown") in FORMATS
        )
        if not ok:
            fail("examples", "each 'fail' example needs 'article', 'line' and 'column' (and may give 'format')")
        rule.examples_fail.append(Example(item["article"], item.get("format", "markdown"), item["line"], item["column"]))
