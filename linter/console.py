"""Console-script entry point: the command line, with the start-up regex cache around it
(loaded before anything else is imported, saved after the command ran)."""

from __future__ import annotations

import sys

from . import regexcache


def run() -> None:
    regexcache.preload()
    from .cli import main

    code = main()
    regexcache.save()
    sys.exit(code)
