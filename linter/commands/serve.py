"""`copydesk serve`: the HTTP service (linter/service.py); needs `pip install 'copydesk[serve]'`."""

from __future__ import annotations

import sys

from ..exitcodes import EXIT_ERROR, EXIT_OK
from ..safetext import one_line
from .resident import missing_extra, profile_options


def run_serve(args) -> int:
    from ..config import ConfigError
    from ..profile import Profiles
    from ..ruleset import RuleFileError
    from ..selection import SelectorError

    try:
        from .. import service
    except ImportError as exc:
        return missing_extra(exc, "serve")
    if not 0 <= args.port <= 65535:
        print(f"copydesk serve: error: --port {args.port} is not a port (0-65535)", file=sys.stderr)
        return EXIT_ERROR
    if args.max_bytes < 1:
        print("copydesk serve: error: --max-bytes must be at least 1", file=sys.stderr)
        return EXIT_ERROR
    if not 0 < args.body_timeout <= 3600:
        print(f"copydesk serve: error: --body-timeout {args.body_timeout:g} is not between 0 and 3600 seconds", file=sys.stderr)
        return EXIT_ERROR
    try:
        token = service.token_from_env()
    except ValueError as exc:
        print(f"copydesk serve: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    profiles = Profiles(**profile_options(args))
    try:
        profile = profiles.get("-")  # loaded once, now: a bad configuration stops the start
        profile.warm()
    except (ConfigError, RuleFileError, SelectorError) as exc:
        print(one_line(str(exc)), file=sys.stderr)
        return EXIT_ERROR

    def announce(url: str) -> None:
        print(f"copydesk serve: listening on {url} ({len(profile.rules)} rules, {profile.digest[:19]})",
              file=sys.stderr, flush=True)

    try:
        service.serve(profiles, args.host, args.port, args.max_bytes, not args.no_access_log,
                      token, announce, args.body_timeout)
    except OSError as exc:
        print(one_line(f"copydesk serve: error: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}"),
              file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK
