"""`copydesk lsp`: the language server (linter/lsp.py); needs `pip install 'copydesk[lsp]'`."""

from __future__ import annotations

import sys

from .resident import EXIT_ERROR, add_profile_options, missing_extra, profile_options


def add_parser(sub) -> None:
    lp = sub.add_parser("lsp", help="run the language server on standard input and output (for editors)")
    add_profile_options(lp)
    lp.add_argument("--debounce", type=float, default=0.1, help="seconds of quiet after a keystroke before checking (default 0.1)")
    lp.set_defaults(run_command=run_lsp)


def run_lsp(args) -> int:
    if not 0 <= args.debounce <= 10:
        print(f"copydesk lsp: error: --debounce {args.debounce} is not between 0 and 10 seconds", file=sys.stderr)
        return EXIT_ERROR
    try:
        from ..lsp import start
    except ImportError as exc:
        return missing_extra(exc, "lsp")
    return start(profile_options(args), debounce=args.debounce)
