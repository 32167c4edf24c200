"""YAML rule sets: loading with line numbers, validation, conditions, the rule model."""

from .errors import RuleFileError
from .model import Rule, RuleSet

__all__ = ["Rule", "RuleSet", "RuleFileError", "load_rule_sets", "shipped_rule_files"]


def load_rule_sets(paths, **kwargs) -> RuleSet:
    from .loader import load_rule_sets as _load

    return _load(paths, **kwargs)


def shipped_rule_files():
    from .loader import shipped_rule_files as _files

    return _files()
