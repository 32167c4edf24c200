"""`copydesk lsp`: the language server (linter/lsp.py); needs `pip install 'copydesk[lsp]'`."""

from __future__ import annotations


def run_lsp(args) -> int:
    from .serve import missing_extra, profile_options

    try:
        from ..lsp import start
    except ImportError as exc:
        return missing_extra(exc, "lsp")
    return start(profile_options(args), debounce=args.debounce)
