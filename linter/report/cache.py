"""Incremental reports: article summaries in SQLite, as JSON rows, keyed by what decides them.

The key of a row is the article's bytes, path and input format and the run's digest: the
code of the package, the rule files, the rules as this run uses them (configuration
overrides, `--select`/`--ignore`), the configuration's values and whether findings are
kept; so a nightly run over an archive where 1% changed lints only that 1%, and a run with
another selection or configuration never takes another run's rows.

The database lives in the per-user cache folder (private, owner-checked: see `linter.cache`),
never in the working directory, where a pull request could commit one.  Rows are JSON,
validated field by field when read; each carries an HMAC made with a secret kept in that
folder, so rows written by anyone else (a planted or copied `--cache` file) are not taken.
Two runs may share the database (SQLite waits for the other's short write); a damaged
file is replaced, and so is one grown past `MAX_BYTES` (SQLite refuses writes beyond it);
any other problem turns the cache off for the run, never a crash.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sqlite3
import sys

from .. import cache as disk

SCHEMA = "CREATE TABLE IF NOT EXISTS summaries (key TEXT PRIMARY KEY, summary TEXT NOT NULL, mac TEXT NOT NULL)"
COLUMNS = ["key", "summary", "mac"]
FILE_NAME = "report.sqlite"
SECRET_NAME = "report-secret"
WAIT_SECONDS = 60.0  # for another run's write to finish
BATCH = 200  # rows per transaction: an interrupted run keeps what it did
MAX_BYTES = 512 * 1024 * 1024  # the database's bound: a fuller one is started afresh


def run_digest(ruleset, rules: list, cfg, keep_findings: bool) -> str:
    """Everything of this run that changes an article's summary."""
    h = hashlib.sha256(disk.code_digest())
    h.update(ruleset.digest.encode())
    described = [
        [r.id, r.name, r.category, r.severity, r.kind, r.message, r.help, r.policy, r.policy_url, list(r.scope),
         r.when_source, r.enabled, r.options]
        for r in rules
    ]
    h.update(json.dumps(described, sort_keys=True, default=repr).encode())
    h.update(json.dumps([getattr(cfg, "path", None), getattr(cfg, "values", None)], sort_keys=True, default=repr).encode())
    h.update(b"findings" if keep_findings else b"counts")
    return h.hexdigest()


def article_key(data: bytes, path: str, run: str, input_format: str | None = None) -> str:
    from .. import __version__

    h = hashlib.sha256()
    h.update(f"{__version__}\0{run}\0{path}\0{input_format}\0".encode())
    h.update(data)
    return h.hexdigest()


def default_path() -> str | None:
    folder = disk.cache_folder()
    return os.path.join(folder, FILE_NAME) if folder else None


def _secret() -> bytes:
    """This user's key for row MACs, kept in the private cache folder; a fresh one (rows
    of this run only) when there is no usable folder."""
    data = disk.read(SECRET_NAME)
    if data is None or len(data) < 32:
        data = os.urandom(32)
        folder = disk.cache_folder()
        if folder is not None:
            try:
                fd = os.open(os.path.join(folder, SECRET_NAME), os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
            except FileExistsError:  # another run made it first: use theirs
                data = disk.read(SECRET_NAME) or data
            except OSError:
                pass
    return data


class SummaryCache:
    def __init__(self, path: str | None):
        self.path = path
        self.db = None
        self.buffer: list[tuple[str, str, str]] = []
        if path is None:
            return
        self.secret = _secret()
        try:
            os.makedirs(os.path.dirname(os.path.abspath(path)), mode=0o700, exist_ok=True)
            if os.path.lexists(path) and not self._private(path):
                self.path = None  # another user's file, a link, writable by others: not used
                return
            self.db = self._open(path)
        except sqlite3.OperationalError:  # unwritable, or still locked after the wait: no cache this run
            self.db = None
        except sqlite3.DatabaseError:  # not a database, or a damaged one
            self._rebuild()
        except (OSError, sqlite3.Error):  # unwritable folder: no cache this run
            self.db = None

    @staticmethod
    def _private(path: str) -> bool:
        fd = disk.open_private(path)
        if fd is None:
            return False
        os.close(fd)
        return True

    @staticmethod
    def _open(path: str):
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)  # created private
        os.close(fd)
        if os.stat(path).st_size > MAX_BYTES * 15 // 16:  # full, or nearly: SQLite would refuse rows
            raise sqlite3.DatabaseError("the cache is full")  # replaced by an empty one
        db = sqlite3.connect(path, timeout=WAIT_SECONDS, isolation_level=None)
        try:
            db.execute("PRAGMA trusted_schema = OFF")  # a crafted file's triggers and views do nothing
            page = db.execute("PRAGMA page_size").fetchone()[0]
            db.execute(f"PRAGMA max_page_count = {max(1, MAX_BYTES // page)}")  # writes past it fail: cache off
            db.execute(SCHEMA)
            if [row[1] for row in db.execute("PRAGMA table_info(summaries)")] != COLUMNS:
                raise sqlite3.DatabaseError("a cache of another copydesk version")  # replaced
            db.execute("SELECT count(*) FROM summaries").fetchone()
        except sqlite3.Error:
            db.close()
            raise
        return db

    def _rebuild(self) -> None:
        """Replace a file that is not a usable database."""
        if self.db is not None:
            try:
                self.db.close()
            except sqlite3.Error:
                pass
        self.db = None
        if self.path is None:  # no file: nothing to replace
            return
        try:
            os.unlink(self.path)
            self.db = self._open(self.path)
        except (OSError, sqlite3.Error):
            self.db = None

    def _mac(self, key: str, text: str) -> str:
        return hmac.new(self.secret, f"{key}\0{text}".encode(), hashlib.sha256).hexdigest()

    def get(self, key: str):
        if self.db is None:
            return None
        try:
            row = self.db.execute("SELECT summary, mac FROM summaries WHERE key = ?", (key,)).fetchone()
        except sqlite3.DatabaseError as exc:
            self._failed(exc)
            return None
        if row is None or not isinstance(row[0], str) or not isinstance(row[1], str):
            return None
        if not hmac.compare_digest(row[1], self._mac(key, row[0])):
            return None  # not written by this user's copydesk
        work = sys.modules.get("linter.report.work")  # the summaries' module, loaded by whoever reports
        if work is None:
            return None
        try:
            return work.ArticleSummary.from_data(json.loads(row[0]))
        except (ValueError, TypeError):
            return None

    def put(self, key: str, summary) -> None:
        if self.db is None:
            return
        text = json.dumps(summary.to_data(), separators=(",", ":"), default=str)
        self.buffer.append((key, text, self._mac(key, text)))
        if len(self.buffer) >= BATCH:
            self.commit()

    def commit(self) -> None:
        """Write the buffered rows in one short transaction (another run waits for it)."""
        rows, self.buffer = self.buffer, []
        if self.db is None or not rows:
            return
        try:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.executemany("INSERT OR REPLACE INTO summaries (key, summary, mac) VALUES (?, ?, ?)", rows)
            self.db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            self._failed(exc)

    def _failed(self, exc: Exception) -> None:
        """A damaged file is replaced; a database still locked after the wait or a full disk
        turns the cache off for the rest of the run."""
        if isinstance(exc, sqlite3.OperationalError):
            if self.db is not None:
                try:
                    self.db.close()
                except sqlite3.Error:
                    pass
            self.db = None
        else:
            self._rebuild()

    def close(self) -> None:
        if self.db is not None:
            self.commit()
            try:
                self.db.close()
            except sqlite3.Error:
                pass
            self.db = None
