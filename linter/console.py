"""Console-script entry point: the command line and its exit code."""

from __future__ import annotations

import sys


def run() -> None:
    from .cli import main

    sys.exit(main())
