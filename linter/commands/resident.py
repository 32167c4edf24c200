"""What the resident commands (`serve`, `lsp`) share: the options that choose the run profile,
spelt as `check` spells them, and the one-line error for a missing extra."""

from __future__ import annotations

import sys

from ..safetext import one_line

EXIT_ERROR = 2


def add_profile_options(p) -> None:
    """The options that choose the run profile, as `check` spells them."""
    p.add_argument("--config", help="configuration file (default: discovered upward from the working directory, or from each document)")
    p.add_argument("--rules", action="append", default=[], metavar="FILE", help="an extra YAML rule set (repeatable)")
    p.add_argument("--no-shipped-rules", action="store_true", help="use only the --rules files")
    p.add_argument("--select", action="append", default=[], metavar="RULE", help="only these rules (as check --select)")
    p.add_argument("--ignore", action="append", default=[], metavar="RULE", help="skip these rules (as check --ignore)")
    p.add_argument("--fail-on", choices=("error", "warning", "info"), default=None,
                   help="lowest severity that makes an article not publishable (default: the configuration's fail_on, else error)")


def profile_options(args) -> dict:
    """`build_profile`'s keyword arguments from the parsed options."""
    from ..profile import options_from

    return options_from(args)


def missing_extra(exc: ImportError, command: str) -> int:
    print(one_line(f"copydesk {command}: error: {exc.name or exc} is not installed; "
                   f"install it with: pip install 'copydesk[{command}]'"), file=sys.stderr)
    return EXIT_ERROR
