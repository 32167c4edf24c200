"""What the resident commands (`serve`, `lsp`) share: the run profile their options choose
(declared in linter/cli.py, spelt as `check` spells them) and the one-line error for a
missing extra."""

from __future__ import annotations

import sys

from ..exitcodes import EXIT_ERROR
from ..safetext import one_line


def profile_options(args) -> dict:
    """`build_profile`'s keyword arguments from the parsed options."""
    from ..profile import options_from

    return options_from(args)


def missing_extra(exc: ImportError, command: str) -> int:
    print(one_line(f"copydesk {command}: error: {exc.name or exc} is not installed; "
                   f"install it with: pip install 'copydesk[{command}]'"), file=sys.stderr)
    return EXIT_ERROR
