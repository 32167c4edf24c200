"""The run profile: one configuration's rules, parser cues and verdict threshold, built once.

A long-running process (`copydesk lsp`, `copydesk serve`) checks many texts against the same
configuration, so it builds this once and rebuilds it only when a file it was built from
changes (the configuration or a rule file: `Profiles.get` compares their size and mtime).
It builds rules the way `copydesk check` does: the configuration's rule files, its overrides,
`select_rules` for --select/--ignore, `without_ignored` for per-path ignores.
"""

from __future__ import annotations

import os
import threading
import time

from .diagnostics import SEVERITY_RANK

# a file modified this close to (or after) the start of a build may have been read before the
# change and stamped after it: such a profile is rebuilt on the next look (as git treats a
# "racily clean" index entry); file times are coarser than the clock, hence the margin
RACY_NS = 1_000_000_000


class Profile:
    """What checking a text needs: configuration, chosen rules, cues, fail threshold, and a
    hash naming the rule set (rule files, configuration text, chosen rules)."""

    __slots__ = ("cfg", "rules", "cues", "fail_on", "digest", "files", "stamp")

    def __init__(self, cfg, rules, cues, fail_on: str, digest: str, files: list[str], started_ns: int | None = None):
        self.cfg, self.rules, self.cues, self.fail_on = cfg, rules, cues, fail_on
        self.digest, self.files = digest, files
        stamp = file_stamp(files)
        racy = started_ns is not None and any(m is not None and m >= started_ns - RACY_NS for _, _, m in stamp)
        self.stamp = None if racy else stamp  # None: stale at the next look

    def rules_for(self, path: str | None):
        """The rules for an article at `path` (its per-path ignores applied; a relative path
        is taken from the configuration's folder)."""
        from .selection import without_ignored

        if not path or path == "-" or not self.cfg.path:
            return self.rules
        if not os.path.isabs(path):  # a CMS's "opinion/x.md" is relative to the configuration
            path = str(self.cfg.root / path)
        return without_ignored(self.rules, self.cfg.ignores_for(path))

    def check(self, source, fmt: str | None = None):
        """`engine.check_source` with this profile's rules and cues."""
        from .engine import check_source

        return check_source(source, self.rules_for(source.path), fmt, cues=self.cues)

    def fix(self, source, fmt: str | None = None):
        """`fixes.fix_source` (what `check --fix` writes): (fixed text, edits, result)."""
        from .fixes import fix_source

        return fix_source(source, self.rules_for(source.path), fmt, cues=self.cues)

    def warm(self) -> None:
        """Check one small article of each format, so that the parsers' imports and the
        patterns compiled on first use are paid at start-up, not by the first request."""
        from .source import Source

        samples = {
            "markdown": "# Acme\n\nAcme Corp. (NASDAQ: ACME) rose 5%, analysts said.\n",
            "html": "<h1>Acme</h1><p>Acme Corp. (NASDAQ: ACME) rose 5%.</p>",
            "text": "Acme\n\nAcme Corp. (NASDAQ: ACME) rose 5%.\n",
            "json": '{"headline": "Acme", "body": "Acme Corp. (NASDAQ: ACME) rose 5%."}',
        }
        for fmt, text in samples.items():
            self.fix(Source(f"warm.{fmt}", text), fmt)

    def publishable(self, result, fail_on: str | None = None) -> bool:
        """False when the article could not be read or a finding reaches the threshold."""
        if result.error is not None:
            return False
        threshold = SEVERITY_RANK[fail_on or self.fail_on]
        return not any(SEVERITY_RANK[d.severity] >= threshold for d in result.diagnostics)


def file_stamp(paths) -> tuple:
    """(path, size, mtime_ns) of each file, None for one that is missing: what a reload
    compares."""
    out = []
    for p in paths:
        try:
            st = os.stat(p)
            out.append((p, st.st_size, st.st_mtime_ns))
        except OSError:
            out.append((p, None, None))
    return tuple(out)


def build_profile(path: str = "-", config: str | None = None, rules: tuple = (), no_shipped_rules: bool = False,
                  select: tuple = (), ignore: tuple = (), fail_on: str | None = None) -> Profile:
    """The profile for an article at `path` (its configuration found upward from it, or
    `config`).  Raises ConfigError, RuleFileError or SelectorError: one-line messages."""
    import hashlib

    from .selection import select_rules
    from .config import apply_overrides, config_for, cues_for, rule_files
    from .ruleset import load_rule_sets

    started_ns = time.time_ns()
    cfg = config_for(path, config)
    files = rule_files(cfg, list(rules), no_shipped_rules)
    ruleset = load_rule_sets(files)
    chosen = select_rules(apply_overrides(cfg, ruleset.rules), cfg, select, ignore)
    digest = hashlib.sha256(ruleset.digest.encode())
    watched = list(files)
    if cfg.path:
        watched.append(cfg.path)
        try:
            with open(cfg.path, "rb") as fh:
                digest.update(fh.read())
        except OSError:
            pass
    elif not config:  # no configuration yet: one created beside the article (or here) counts
        from .config import CONFIG_NAMES

        folder = os.getcwd() if path == "-" else os.path.dirname(os.path.abspath(path))
        watched += [os.path.join(folder, name) for name in CONFIG_NAMES]
    if cfg.get("symbols_file") and cfg.path:
        watched.append(str(cfg.root / cfg.get("symbols_file")))
    for r in chosen:
        digest.update(f"\0{r.id}:{r.severity}:{sorted(r.options.items(), key=str)!r}".encode())
    return Profile(cfg, chosen, cues_for(cfg), fail_on or cfg.get("fail_on") or "error",
                   "sha256:" + digest.hexdigest(), watched, started_ns)


class Profiles:
    """Profiles by configuration file, each rebuilt when a file it was built from changes.

    `options` are those of `build_profile` (the command line's --config, --rules, ...).
    Thread-safe: `copydesk serve` asks from its checker thread and for /healthz at once, and a
    changed profile is built by one of them while the other waits for it."""

    def __init__(self, **options):
        self.options = options
        self._by_config: dict = {}
        self._lock = threading.Lock()

    def get(self, path: str = "-") -> Profile:
        with self._lock:
            return self._get(path)

    def _get(self, path: str) -> Profile:
        from .config import discover

        key = self._key(path)
        profile = self._by_config.get(key)
        if profile is not None and file_stamp(profile.files) != profile.stamp:
            discover.cache_clear()  # the configuration itself may have changed
            profile = None
            key = self._key(path)
        if profile is None:
            profile = build_profile(path, **self.options)
            self._by_config[key] = profile
        return profile

    def clear(self) -> None:
        """Forget every profile (a configuration file appeared, moved or was deleted)."""
        from .config import discover

        with self._lock:
            discover.cache_clear()
            self._by_config.clear()

    def _key(self, path: str):
        """The configuration file that applies to `path` (None: the defaults); an explicit
        --config is not re-read for every text."""
        from .config import config_for

        explicit = self.options.get("config")
        return ("explicit", explicit) if explicit else config_for(path).path
