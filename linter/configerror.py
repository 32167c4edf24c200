"""`ConfigError`: the one-line error for a bad configuration or a file it names (exit code 2).

A leaf module, so that what the configuration reads (the disclosures register) can raise it
without importing the configuration, which imports the register's reader.
"""

from __future__ import annotations

import re

# a key quoted in an error; anything else (the first line of `--config /etc/shadow`) is not
_PRINTABLE_KEY = re.compile(r"[\w.*/?\[\]{}-]{1,80}")


class ConfigError(Exception):
    def __init__(self, path: str, line: int | None, key: str | None, message: str):
        super().__init__(message)
        self.path, self.line, self.key, self.message = path, line, key, message

    def __str__(self) -> str:
        where = self.path + (f":{self.line}" if self.line else "")
        key = f" key '{self.key}':" if self.key and _PRINTABLE_KEY.fullmatch(self.key) else ""
        return f"{where} error:{key} {self.message}"
