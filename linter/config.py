"""Configuration: `.copydesk.yaml` or `[tool.copydesk]` in `pyproject.toml`.

Discovered upward from each checked file (or the working directory for standard input), or
given with `--config`.  Every value remembers where it came from (`copydesk config` shows
it), and every problem is one line naming the file, the line and the key (exit code 2).
"""

from __future__ import annotations

import fnmatch
import os
import re
import stat
import sys
from functools import lru_cache
from pathlib import Path

from .configerror import ConfigError
from .records import Record
from .safefile import MiB, read_regular_text

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: importing `typing` costs a one-shot run about 3 ms
    from typing import Any

# a configuration or a symbol list larger than this is refused (it may be hostile)
CONFIG_LIMIT = 16 * MiB

CONFIG_NAMES = (".copydesk.yaml", ".copydesk.yml", "pyproject.toml")
KEYS = {
    "rule_sets": list,  # shipped rule sets by name (file stem); default: all
    "rules": list,  # extra rule files, relative to the config file
    "select": list,
    "ignore": list,
    "fail_on": str,
    "severity": dict,  # rule id -> severity
    "options": dict,  # rule id -> {option: value}
    "house_wording": dict,  # rule id -> wording (shorthand for options.<id>.wording)
    "per_path_ignores": dict,  # glob -> [rule selectors]
    "json_fields": dict,  # section -> [field names]
    "cues": dict,  # extra parser cues (see linter/document/cues.yaml)
    "symbols": list,  # the publisher's ticker symbols: bare uppercase words that count as tickers
    "symbols_file": str,  # the same, one per line in a file relative to this one ('#' comments)
    "disclosures": str,  # the publisher's disclosures register (YAML or CSV), relative to this file
}


class Config(Record):
    """A configuration: its file (`path`; None for the built-in defaults), its values and the
    line each key stands on; `text` as read (the run profile's digest covers it) and
    `symbols` once `symbols_for` has validated them are kept but not compared."""

    __slots__ = ("lines", "path", "symbols", "text", "values")

    def __init__(self, path: str | None = None, values: dict[str, Any] | None = None, lines: dict[str, int] | None = None,
                 text: str = "", symbols: frozenset | None = None):
        self.path = path
        self.values = {} if values is None else values
        self.lines = {} if lines is None else lines
        self.text = text
        self.symbols = symbols

    def _values(self):
        return (self.path, self.values, self.lines)

    def __repr__(self) -> str:
        return f"Config(path={self.path!r}, values={self.values!r}, lines={self.lines!r})"

    @property
    def root(self) -> Path:
        return Path(self.path).resolve().parent if self.path else Path.cwd()

    def get(self, key: str, default=None):
        return self.values.get(key, default)

    def origin(self, key: str) -> str:
        if key in self.values and self.path:
            return f"{self.path}:{self.lines.get(key, 1)}"
        return "default"

    def fail(self, key: str, message: str, line: int | None = None):
        raise ConfigError(self.path or "<config>", line or self.lines.get(key.split(".")[0]), key, message)

    def ignores_for(self, path: str) -> list[str]:
        """Rule selectors that `per_path_ignores` applies to `path`."""
        globs = self.get("per_path_ignores") or {}
        if not globs:
            return []
        try:
            rel = Path(path).resolve().relative_to(self.root).as_posix()
        except ValueError:
            rel = Path(path).as_posix()
        out: list[str] = []
        for pattern, selectors in globs.items():
            if fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(rel, pattern.rstrip("/") + "/*"):
                out.extend(selectors)
        return out


# -- discovery ----------------------------------------------------------------------------
@lru_cache(maxsize=256)
def discover(directory: str) -> Config:
    """The nearest configuration at or above `directory`, or the defaults."""
    d = Path(directory).resolve()
    for folder in (d, *d.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            try:
                st = candidate.stat()
            except OSError:
                continue
            if not stat.S_ISREG(st.st_mode):
                continue
            cfg = _load_once(str(candidate), name != "pyproject.toml", st.st_ino, st.st_size, st.st_mtime_ns)
            if cfg is not None:
                return cfg
    return Config()


def clear_caches() -> None:
    """Forget every configuration found or read (a long-running process: a file changed)."""
    discover.cache_clear()
    _load_once.cache_clear()


@lru_cache(maxsize=64)
def _load_once(path: str, required: bool, ino: int, size: int, mtime_ns: int) -> Config | None:
    """One file's configuration, read once however many folders below it are discovered
    (an archive of fifty folders under one `.copydesk.yaml`); a changed file is read again."""
    return load_config(path, required)


def config_for(path: str, explicit: str | None = None) -> Config:
    if explicit:
        cfg = load_config(explicit, required=True)
        assert cfg is not None  # required: a missing file raises ConfigError
        return cfg
    directory = os.getcwd() if path == "-" else os.path.dirname(os.path.abspath(path))
    return discover(directory)


# -- loading ------------------------------------------------------------------------------
def load_config(path: str, required: bool = True) -> Config | None:
    try:
        text = read_regular_text(path, CONFIG_LIMIT)
    except FileNotFoundError:
        raise ConfigError(path, None, None, "configuration file not found") from None
    except OSError as exc:
        raise ConfigError(path, None, None, f"cannot read configuration: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(path, None, None, f"cannot read configuration: {exc}") from None
    if path.endswith(".toml"):
        values, lines = _from_pyproject(path, text)
        if values is None:
            return None if not required else Config(path, text=text)
    else:
        values, lines = _from_yaml(path, text)
    cfg = Config(path, values, lines, text)
    _validate(cfg)
    return cfg


def _from_yaml(path: str, text: str):
    """Values and key lines of a YAML configuration, read within safeyaml's limits."""
    import yaml

    from . import safeyaml

    try:
        node = safeyaml.compose(text)
    except safeyaml.YAMLProblem as exc:
        raise ConfigError(path, exc.line, None, f"invalid YAML: {exc.message}") from None
    if node is None:
        return {}, {}
    if not isinstance(node, yaml.MappingNode):
        raise ConfigError(path, node.start_mark.line + 1, None, "the configuration must be a mapping of keys to values")
    values, lines = {}, {}

    def value(n, key=None):
        try:
            return safeyaml.construct(n)
        except safeyaml.YAMLProblem as exc:
            raise ConfigError(path, exc.line, key, f"invalid value: {exc.message}") from None

    for k, v in node.value:
        key = str(value(k))
        values[key] = value(v, key)
        lines[key] = k.start_mark.line + 1
        if isinstance(v, yaml.MappingNode):  # per-rule lines for nested keys
            for k2, _ in v.value:
                lines[f"{key}.{value(k2, key)}"] = k2.start_mark.line + 1
    return values, lines


# `[tool.copydesk]`, `[tool.copydesk.rules]`, `tool.copydesk.x = ...`, `copydesk = {...}` under
# [tool]: every way TOML can spell our table
_MENTIONS_US = re.compile(r'\btool"?\s*\.\s*"?copydesk\b|\bcopydesk"?\s*(?:\.|=\s*\{)')


def _from_pyproject(path: str, text: str):
    if not _MENTIONS_US.search(text):
        return None, {}  # no [tool.copydesk]: not ours to parse (and no TOML parser to import)
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise ConfigError(path, int(m.group(1)) if m else None, None, f"invalid TOML: {exc}") from None
    section = data.get("tool", {}).get("copydesk")
    if section is None:
        return None, {}
    # TOML parsers give no positions: the line of `key =` inside the [tool.copydesk] tables
    lines: dict[str, int] = {}
    in_table = None
    for n, line in enumerate(text.splitlines(), 1):
        header = re.match(r"\s*\[([^\]]+)\]", line)
        if header:
            name = header.group(1).strip()
            in_table = name[len("tool.copydesk"):].lstrip(".") if name.startswith("tool.copydesk") else None
            if in_table:
                lines.setdefault(in_table.split(".")[0], n)
            continue
        if in_table is None:
            continue
        km = re.match(r"\s*([\"']?)([A-Za-z0-9_.\-*/]+)\1\s*=", line)
        if km:
            key = km.group(2)
            full = f"{in_table}.{key}" if in_table else key
            lines.setdefault(full, n)
            lines.setdefault(full.split(".")[0], n)
    return section, lines


def _validate(cfg: Config) -> None:
    from .diagnostics import SEVERITIES

    for key, value in cfg.values.items():
        if key not in KEYS:
            cfg.fail(key, f"unknown key (expected one of: {', '.join(KEYS)})")
        if not isinstance(value, KEYS[key]):
            kind = {list: "a list", dict: "a mapping", str: "a string"}[KEYS[key]]
            cfg.fail(key, f"must be {kind}, got {type(value).__name__}")
    if "fail_on" in cfg.values and cfg.values["fail_on"] not in SEVERITIES:
        cfg.fail("fail_on", f"must be one of: {', '.join(SEVERITIES)}")
    for rule_id, sev in (cfg.get("severity") or {}).items():
        if sev not in SEVERITIES:
            cfg.fail(f"severity.{rule_id}", f"must be one of: {', '.join(SEVERITIES)}", cfg.lines.get(f"severity.{rule_id}"))
    _validate_cues(cfg)
    cfg.symbols = symbols_for(cfg)  # the symbol file is read here, once
    if cfg.get("disclosures"):
        from .disclosures import register_for

        register_for(cfg)  # a bad register is an error now, naming its file, line and column
    for glob, selectors in (cfg.get("per_path_ignores") or {}).items():
        if not isinstance(selectors, list):
            cfg.fail(f"per_path_ignores.{glob}", "must be a list of rule ids, names or categories", cfg.lines.get(f"per_path_ignores.{glob}"))


# the cue entries that hold regexes: groups of lists (section kind, genre or voice -> patterns)
# and single patterns; every one a configuration adds is compiled and safety-checked
_CUE_PATTERN_GROUPS = ("sections", "heading_sections", "genres", "voice")
_CUE_PATTERNS = ("signoff", "run_in_heading")


def _validate_cues(cfg: Config) -> None:
    """Parser cues added by configuration are regexes: compile them, and refuse unsafe ones
    (a `.copydesk.yaml` next to an article is as untrusted as the article)."""
    cues = cfg.get("cues") or {}
    if not isinstance(cues, dict):
        cfg.fail("cues", "must be a mapping (see linter/document/cues.yaml)")
    for group in _CUE_PATTERN_GROUPS:
        lists = cues.get(group) or {}
        if not isinstance(lists, dict):
            cfg.fail("cues", f"'{group}' must map names to lists of regexes")
        for kind, patterns in lists.items():
            if not isinstance(patterns, list):
                cfg.fail("cues", f"{group}.{kind} must be a list of regexes")
            for pattern in patterns:
                _check_cue_pattern(cfg, f"{group}.{kind}", pattern)
    for key in _CUE_PATTERNS:
        if key in cues:
            _check_cue_pattern(cfg, key, cues[key])


def _check_cue_pattern(cfg: Config, where: str, pattern) -> None:
    from .patterns.safety import backtracking_risk

    try:
        re.compile(pattern, re.IGNORECASE | re.MULTILINE)
    except (re.error, TypeError) as exc:
        cfg.fail("cues", f"{where}: bad regular expression {pattern!r}: {exc}")
    risk = backtracking_risk(pattern, re.IGNORECASE)
    if risk:
        cfg.fail("cues", f"{where}: pattern {pattern!r} is unsafe: {risk}")


# -- applying -------------------------------------------------------------------------------
def rule_files(cfg: Config, extra: list[str], no_shipped: bool) -> list[str]:
    from .ruleset.loader import optional_rule_files, shipped_rule_files

    shipped = {p.stem: str(p) for p in shipped_rule_files()}
    optional = {p.stem: str(p) for p in optional_rule_files()}  # opt-in: only when named
    files: list[str] = []
    if not no_shipped:
        names = cfg.get("rule_sets")
        if names is None:
            files = list(shipped.values())
        else:
            for name in names:
                if name == "default":  # every set that runs by default, then the opt-in ones named
                    files.extend(f for f in shipped.values() if f not in files)
                    continue
                if name not in shipped and name not in optional:
                    cfg.fail("rule_sets", f"unknown shipped rule set '{name}' (expected any of: default, {', '.join([*shipped, *optional])})")
                files.append(shipped.get(name) or optional[name])
    for p in cfg.get("rules") or []:
        files.append(str(cfg.root / p) if cfg.path else p)
    return each_once(files + list(extra))


def each_once(files: list[str]) -> list[str]:
    """`files` without a second naming of one file (`rules/x.yaml` beside the shipped
    absolute path, a `--rules` file the configuration lists too): loaded twice, its rules
    would clash with themselves as duplicate ids."""
    seen: set[str] = set()
    out = []
    for f in files:
        key = os.path.realpath(f)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def apply_overrides(cfg: Config, rules: list) -> list:
    """Per-rule severity and option overrides, re-validated by each rule's kind."""
    from .selection import unknown_selector_message

    by_id = {r.id.casefold(): r.id for r in rules}

    def ids(group: str) -> dict:
        """The group's mapping keyed by canonical rule id (keys match in any case)."""
        out = {}
        for rule_id, value in (cfg.get(group) or {}).items():
            canonical = by_id.get(str(rule_id).casefold())
            if canonical is None:
                message = unknown_selector_message(rule_id, rules).replace("rule or category", "rule id", 1)
                cfg.fail(f"{group}.{rule_id}", message, cfg.lines.get(f"{group}.{rule_id}"))
            out[canonical] = value
        return out

    severity = ids("severity")
    options = {k: dict(v) if isinstance(v, dict) else v for k, v in ids("options").items()}
    rule_by_id = {r.id: r for r in rules}
    house = ids("house_wording")
    for rule_id, wording in house.items():
        if not isinstance(rule_by_id[rule_id].options.get("fix"), dict):  # a wording --fix would never insert
            fixable = ", ".join(r.id for r in rules if isinstance(r.options.get("fix"), dict)) or "none"
            cfg.fail(f"house_wording.{rule_id}", f"{rule_id} has no fix to insert a wording with (rules that do: {fixable});"
                     f" to accept a wording without inserting it, use options.{rule_id}.accept",
                     cfg.lines.get(f"house_wording.{rule_id}"))
        options.setdefault(rule_id, {})
        if isinstance(options[rule_id], dict):
            options[rule_id]["wording"] = wording
    out = []
    for rule in rules:
        if rule.id not in severity and rule.id not in options:
            out.append(rule)
            continue
        new = rule.replace(severity=severity.get(rule.id, rule.severity))
        if rule.id in options:
            if not isinstance(options[rule.id], dict):
                cfg.fail(f"options.{rule.id}", "must be a mapping of option names to values", cfg.lines.get(f"options.{rule.id}"))
            new.options = {**rule.options, **options[rule.id]}

            def fail(key, message, rid=rule.id):
                if key == "wording" and rid in house:  # name the key the user wrote
                    cfg.fail(f"house_wording.{rid}", message, cfg.lines.get(f"house_wording.{rid}"))
                cfg.fail(f"options.{rid}.{key}", message, cfg.lines.get(f"options.{rid}") or cfg.lines.get(f"house_wording.{rid}"))

            new.check = new.impl.prepare(new, fail)
        out.append(new)
    return out


_SYMBOL = re.compile(r"[A-Z0-9][A-Z0-9.-]{0,11}")


def symbols_for(cfg: Config) -> frozenset[str]:
    """The configured symbols (`symbols:` and `symbols_file:`), validated: a symbol is written in
    capitals as the page writes it, so 'ACME' counts and 'Acme' or a sentence is refused."""
    if cfg.symbols is not None:
        return cfg.symbols
    values = list(cfg.get("symbols") or [])
    path = cfg.get("symbols_file")
    if path:
        file = cfg.root / path if cfg.path else Path(path)
        try:
            lines = read_regular_text(str(file), CONFIG_LIMIT).splitlines()
        except OSError as exc:
            cfg.fail("symbols_file", f"cannot read {file}: {exc.strerror or exc}")
        except UnicodeDecodeError as exc:
            cfg.fail("symbols_file", f"cannot read {file}: {exc}")
        values += [line.split("#", 1)[0].strip() for line in lines if line.split("#", 1)[0].strip()]
    for value in values:
        if not isinstance(value, str) or not _SYMBOL.fullmatch(value):
            cfg.fail("symbols", f"{value!r} is not a ticker symbol (capital letters and digits, e.g. ACME or RY.TO)")
    return frozenset(values)


def cues_for(cfg: Config):
    from .document.cues import default_cues

    extra = dict(cfg.get("cues") or {})
    if cfg.get("json_fields"):
        extra["json_fields"] = cfg.get("json_fields")
    symbols = symbols_for(cfg)
    if symbols:
        extra["symbols"] = sorted(symbols)  # travels with the cues to where an article is checked
    if cfg.get("disclosures"):
        from .disclosures import register_for

        extra["disclosures"] = register_for(cfg)  # the register, as plain data, for the `register` kind
    if not extra:
        return default_cues()
    return _extended_cues(cfg.path, repr(sorted(extra.items(), key=str)), extra)


_CUE_CACHE: dict[tuple, Any] = {}


def _extended_cues(path, key, extra):
    from .document.cues import default_cues

    cache_key = (path, key)
    if cache_key not in _CUE_CACHE:
        merged = default_cues().extended(extra)
        # the field map replaces the default list for a section rather than extending it
        if "json_fields" in extra:
            merged.raw["json_fields"] = {**default_cues().raw["json_fields"], **extra["json_fields"]}
        _CUE_CACHE[cache_key] = merged
    return _CUE_CACHE[cache_key]
