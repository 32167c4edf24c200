"""Incremental reports: article summaries in SQLite, keyed by what decides the result.

The key is the article's content hash, the rule set's hash and the copydesk version, so a
nightly run over an archive where 1% changed lints only that 1%.  Results are committed in
small batches, so an interrupted run keeps what it did; a file that is not a usable
database is replaced, never a crash.
"""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
from pathlib import Path

SCHEMA = "CREATE TABLE IF NOT EXISTS summaries (key TEXT PRIMARY KEY, summary BLOB NOT NULL)"


def article_key(data: bytes, path: str, ruleset_digest: str) -> str:
    from .. import __version__

    h = hashlib.sha256()
    h.update(f"{__version__}\0{ruleset_digest}\0{path}\0".encode())
    h.update(data)
    return h.hexdigest()


class SummaryCache:
    def __init__(self, path: str | None):
        self.path = path
        self.db = None
        self.pending = 0
        if path is None:
            return
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = self._open(path)
        except sqlite3.DatabaseError:
            Path(path).unlink(missing_ok=True)  # corrupt: rebuild
            self.db = self._open(path)

    @staticmethod
    def _open(path: str):
        db = sqlite3.connect(path)
        db.execute(SCHEMA)
        db.execute("SELECT count(*) FROM summaries").fetchone()
        return db

    def get(self, key: str):
        if self.db is None:
            return None
        row = self.db.execute("SELECT summary FROM summaries WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        try:
            return pickle.loads(row[0])
        except Exception:
            return None

    def put(self, key: str, summary) -> None:
        if self.db is None:
            return
        self.db.execute("INSERT OR REPLACE INTO summaries (key, summary) VALUES (?, ?)", (key, pickle.dumps(summary)))
        self.pending += 1
        if self.pending >= 200:
            self.commit()

    def commit(self) -> None:
        if self.db is not None and self.pending:
            self.db.commit()
            self.pending = 0

    def close(self) -> None:
        if self.db is not None:
            self.commit()
            self.db.close()
            self.db = None
