"""The run profile: one configuration's rules, parser cues and verdict threshold, built once
and used by every command, so that no two commands can read the same configuration
differently.

`configure` finds the configuration and its rule files (`copydesk config` and `copydesk rules`
stop there); `build_profile` goes on to load the rules, apply the configuration's overrides,
`select`/`ignore` and --select/--ignore (linter/selection.py) and merge its cues, field map,
symbols and register.  `Profiles` keeps one profile per configuration file: `check` and
`report` ask it for each article's (a configuration is found upward from each file, or
given with --config), and a long-running process (`copydesk lsp`, `copydesk serve`) has it
rebuild a profile when a file it was built from changes (`Profiles.get` compares their size
and mtime).

Every article, in whichever command or process (`check` and its workers, the `.jsonl`
pipeline, `report` here, in its workers or on Dask, `serve`, `lsp`), becomes a `FileResult`
through `Profile.check_file` / `Profile.check_article`: the profile's rules less the
per-path ignores of its path, parsed with its cues, `engine.file_result`.
"""

from __future__ import annotations

import os
import time

from .diagnostics import SEVERITY_RANK

TYPE_CHECKING = False
if TYPE_CHECKING:
    from contextlib import AbstractContextManager

# a file modified this close to (or after) the start of a build may have been read before the
# change and stamped after it: such a profile is rebuilt on the next look (as git treats a
# "racily clean" index entry); file times are coarser than the clock, hence the margin
RACY_NS = 1_000_000_000


class Profile:
    """What checking a text needs: configuration, chosen rules, cues, fail threshold, and a
    hash naming the rule set (rule files, configuration text, chosen rules).  Plain data: it
    pickles to worker processes and Dask workers as it is."""

    __slots__ = ("_by_ignores", "cfg", "cues", "digest", "fail_on", "files", "rules", "ruleset", "stamp")

    def __init__(self, cfg, rules, cues, fail_on: str, digest: str, files: list[str], started_ns: int | None = None,
                 ruleset=None):
        self.cfg, self.rules, self.cues, self.fail_on = cfg, rules, cues, fail_on
        self.digest, self.files, self.ruleset = digest, files, ruleset
        self._by_ignores: dict = {}  # per-path ignores -> the rules left (one list per distinct set)
        stamp = file_stamp(files)
        racy = started_ns is not None and any(m is not None and m >= started_ns - RACY_NS for _, _, m in stamp)
        self.stamp = None if racy else stamp  # None: stale at the next look

    def rules_for(self, path: str | None):
        """The rules for an article at `path` (its per-path ignores applied; a relative path
        is taken from the configuration's folder: a CMS's "opinion/x.md"; `-` or None: none)."""
        if not path or path == "-" or not self.cfg.path:
            return self.rules
        if not os.path.isabs(path):
            path = str(self.cfg.root / path)
        selectors = self.cfg.ignores_for(path)
        if not selectors:
            return self.rules
        key = tuple(selectors)
        rules = self._by_ignores.get(key)
        if rules is None:
            from .selection import without_ignored

            rules = self._by_ignores[key] = without_ignored(self.rules, selectors)
        return rules

    def check_file(self, path: str, fmt: str | None = None, data: bytes | None = None, name: str | None = None,
                   where: str | None = None):
        """(FileResult, Document or None) for the article file at `path`: the one way a file
        becomes a result, for `check` (here or in its workers) and `report` (here, in its
        workers or on Dask).  `data`: its bytes, already read; `name`: the name to report
        (standard input's --stdin-filename); `where`: the path whose per-path ignores apply
        (default `path`, relative to the working directory; standard input has none).  A file
        that cannot be read gives a result holding the error."""
        from .source import ArticleError, decode, read_source

        try:
            source = read_source(path) if data is None else decode(path, data)
        except ArticleError as exc:
            from .engine import FileResult

            return FileResult(exc.path, None, error=exc), None
        if name:
            source.path = name
        where = where or path
        return self.check_article(source, fmt, "-" if where == "-" else os.path.abspath(where))

    def check_article(self, source, fmt: str | None = None, where: str | None = None):
        """(FileResult, Document or None): `engine.check_source` with this profile's rules
        for `where` (default the source's own path; see `rules_for`) and its cues, keeping the
        parsed document (a report summarises its front matter and byline)."""
        from .document import parse_document
        from .engine import FileResult, file_result
        from .source import ArticleError

        rules = self.rules_for(source.path if where is None else where)
        try:
            doc = parse_document(source, fmt, self.cues)
        except ArticleError as exc:
            return FileResult(source.path, fmt, error=exc, source=source), None
        return file_result(source, doc, rules), doc

    def check(self, source, fmt: str | None = None, where: str | None = None):
        """`check_article`'s result alone."""
        return self.check_article(source, fmt, where)[0]

    def fix(self, source, fmt: str | None = None, where: str | None = None, applied: list | None = None):
        """`fixes.fix_source` (what `check --fix` writes): (fixed text, edits, result)."""
        from .fixes import fix_source

        rules = self.rules_for(source.path if where is None else where)
        return fix_source(source, rules, fmt, cues=self.cues, applied=applied)

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

    def failing(self, result, fail_on: str | None = None) -> bool:
        """A finding of `result` reaches the threshold (`fail_on`, else the profile's)."""
        threshold = SEVERITY_RANK[fail_on or self.fail_on]
        return any(SEVERITY_RANK[d.severity] >= threshold for d in result.diagnostics)

    def publishable(self, result, fail_on: str | None = None) -> bool:
        """False when the article could not be read or a finding reaches the threshold."""
        return result.error is None and not self.failing(result, fail_on)


def file_stamp(paths) -> tuple:
    """(path, size, mtime_ns) of each file, None for one that is missing: what a reload
    compares."""
    out: list[tuple[str, int | None, int | None]] = []
    for p in paths:
        try:
            st = os.stat(p)
            out.append((p, st.st_size, st.st_mtime_ns))
        except OSError:
            out.append((p, None, None))
    return tuple(out)


def configure(path: str = "-", config: str | None = None, rules=(), no_shipped_rules: bool = False):
    """(configuration, rule files) for an article at `path` (its configuration found upward
    from it, or `config`): the first stage of every profile, and all `copydesk config` and
    `copydesk rules` need.  Raises ConfigError (one line naming file, line and key)."""
    from .config import config_for, rule_files

    cfg = config_for(path, config)
    return cfg, rule_files(cfg, list(rules), no_shipped_rules)


def build_profile(path: str = "-", config: str | None = None, rules: tuple = (), no_shipped_rules: bool = False,
                  select: tuple = (), ignore: tuple = (), fail_on: str | None = None) -> Profile:
    """The profile for an article at `path` (its configuration found upward from it, or
    `config`).  Raises ConfigError, RuleFileError or SelectorError: one-line messages."""
    import hashlib

    from .config import apply_overrides, cues_for
    from .ruleset import load_rule_sets
    from .selection import select_rules

    started_ns = time.time_ns()
    cfg, files = configure(path, config, rules, no_shipped_rules)
    ruleset = load_rule_sets(files)
    chosen = select_rules(apply_overrides(cfg, ruleset.rules), cfg, select, ignore)
    digest = hashlib.sha256(ruleset.digest.encode())
    watched = list(files)
    if cfg.path:
        watched.append(cfg.path)
        digest.update(cfg.text.encode("utf-8"))  # the text read once, by config_for
    elif not config:  # no configuration yet: one created beside the article (or here) counts
        from .config import CONFIG_NAMES

        folder = os.getcwd() if path == "-" else os.path.dirname(os.path.abspath(path))
        watched += [os.path.join(folder, name) for name in CONFIG_NAMES]
    if cfg.get("symbols_file") and cfg.path:
        watched.append(str(cfg.root / cfg.get("symbols_file")))
    for r in chosen:
        digest.update(f"\0{r.id}:{r.severity}:{sorted(r.options.items(), key=str)!r}".encode())
    return Profile(cfg, chosen, cues_for(cfg), fail_on or cfg.get("fail_on") or "error",
                   "sha256:" + digest.hexdigest(), watched, started_ns, ruleset)


class _OneThread:
    """The lock of profiles asked from one thread only: holds nothing."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None


_ONE_THREAD = _OneThread()


class Profiles:
    """Profiles by configuration file; with `watch`, each rebuilt when a file it was built
    from changes (a one-shot run, `check` or `report`, does not look again).

    `options` are those of `build_profile` (the command line's --config, --rules, ...).
    Watching profiles are thread-safe: `copydesk serve` asks from its checker thread and for
    /healthz at once, and a changed profile is built by one of them while the other waits for
    it.  A one-shot run asks from one thread and takes no lock (nor imports `threading`)."""

    def __init__(self, watch: bool = True, **options):
        self.options, self.watch = options, watch
        self._by_config: dict = {}
        self._lock: AbstractContextManager = _ONE_THREAD
        if watch:
            import threading

            self._lock = threading.Lock()

    @classmethod
    def from_args(cls, args, watch: bool = True) -> Profiles:
        """The profiles the command line's --config, --rules, --select ... choose."""
        return cls(watch=watch, **options_from(args))

    def get(self, path: str = "-") -> Profile:
        with self._lock:
            return self._get(path)

    def _get(self, path: str) -> Profile:
        from .config import clear_caches

        key = self._key(path)
        profile = self._by_config.get(key)
        if profile is not None and self.watch and file_stamp(profile.files) != profile.stamp:
            clear_caches()  # the configuration itself may have changed
            profile = None
            key = self._key(path)
        if profile is None:
            profile = build_profile(path, **self.options)
            self._by_config[key] = profile
        return profile

    def clear(self) -> None:
        """Forget every profile (a configuration file appeared, moved or was deleted)."""
        from .config import clear_caches

        with self._lock:
            clear_caches()
            self._by_config.clear()

    def _key(self, path: str):
        """The configuration file that applies to `path` (None: the defaults); an explicit
        --config is not re-read for every text."""
        from .config import config_for

        explicit = self.options.get("config")
        return ("explicit", explicit) if explicit else config_for(path).path


def options_from(args) -> dict:
    """`build_profile`'s keyword arguments from a command's parsed options (every command
    that checks spells them as `check` does)."""
    return {"config": args.config, "rules": tuple(args.rules), "no_shipped_rules": args.no_shipped_rules,
            "select": tuple(args.select), "ignore": tuple(args.ignore), "fail_on": getattr(args, "fail_on", None)}
