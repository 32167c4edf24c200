"""Shared by the sub-commands: selectors and finding article files."""

from __future__ import annotations

import os
from pathlib import Path

from ..document import EXTENSIONS


def split_list(values: list[str]) -> list[str]:
    """--select A,B --select C -> [A, B, C]"""
    return [v.strip() for item in values for v in item.split(",") if v.strip()]


def iter_article_paths(paths: list[str]):
    """Files as given; directories walked (sorted, hidden folders skipped) by extension."""
    for p in paths:
        if p == "-":
            yield p
            continue
        path = Path(p)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "node_modules")
                for name in sorted(files):
                    if Path(name).suffix.lower() in EXTENSIONS:
                        yield os.path.join(root, name)
        else:
            yield p
