"""Where copydesk keeps its caches (rule sets, parser cues, regex programs, report results)."""

from __future__ import annotations

import os


def cache_folder() -> str | None:
    """`$COPYDESK_CACHE_DIR`, else `$XDG_CACHE_HOME/copydesk`, else `~/.cache/copydesk`;
    None when `COPYDESK_NO_CACHE` is set.  Plain `os.path`: asked before anything else is
    imported (see regexcache.py)."""
    if os.environ.get("COPYDESK_NO_CACHE"):
        return None
    base = os.environ.get("COPYDESK_CACHE_DIR")
    if base:
        return base
    xdg = os.environ.get("XDG_CACHE_HOME")
    return os.path.join(xdg, "copydesk") if xdg else os.path.join(os.path.expanduser("~"), ".cache", "copydesk")
