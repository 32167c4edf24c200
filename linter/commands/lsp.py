"""`copydesk lsp`: the language server (linter/lsp.py); needs `pip install 'copydesk[lsp]'`."""

from __future__ import annotations

import sys

from ..exitcodes import EXIT_ERROR
from .resident import missing_extra, profile_options


def run_lsp(args) -> int:
    if not 0 <= args.debounce <= 10:
        print(f"copydesk lsp: error: --debounce {args.debounce} is not between 0 and 10 seconds", file=sys.stderr)
        return EXIT_ERROR
    try:
        from ..lsp import start
    except ImportError as exc:
        return missing_extra(exc, "lsp")
    return start(profile_options(args), debounce=args.debounce)
